//! Reading questionnaire files (format 1) and other YAML inputs.
//!
//! This is the only module that touches the YAML library (serde-saphyr). It deserialises the
//! file into *raw* serde types that mirror the format exactly (unknown fields are refused, ids,
//! references and conditions keep their position with `Spanned`), then converts them into the
//! domain types of [`super::model`], filling every [`Pos`]. Problems that stop the file from
//! being understood at all (`yaml`, `schema`, `format-version`) are returned as findings here;
//! everything that needs the whole questionnaire (unknown references, unreachable questions,
//! ...) is the linter's job.
//!
//! All parsing goes through [`parse_options`]: YAML 1.2 booleans only (`consent: no` stays the
//! string `no`) and a budget far below the library default, so a hostile or broken file cannot
//! exhaust memory or time.

use std::collections::BTreeMap;
use std::path::Path;

use schemars::JsonSchema;
use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::{Location, Spanned};

use super::expr;
use super::finding::{Code, Finding};
use super::model::{
    Allow, Choice, Cond, Dimension, FillField, Fills, Flag, Goto, Id, Indicator, Kind, Outcome,
    Pos, Question, Questionnaire, ReferralAdvice, Section, Source, Strength, Text,
};
use super::suggest::suggest;

// ---------------------------------------------------------------------------------------------
// Raw serde types: the file exactly as written. `pub(crate)` so that schema.rs can derive the
// JSON Schema from the very same types (it then cannot drift from what the loader accepts).
// ---------------------------------------------------------------------------------------------

/// The top level of a format-1 file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "rosa-screen questionnaire, format 1")]
pub(crate) struct RawQuestionnaire {
    /// The format version: 1.
    // Checked by a pre-pass (`check_format`) so that a format-2 file is told about the version,
    // not about fields it does not know; here it is only accepted.
    #[allow(dead_code)]
    #[schemars(with = "FormatOne")]
    format: IgnoredAny,
    /// The questionnaire id: `[a-z][a-z0-9_-]*`.
    #[schemars(with = "String", regex(pattern = r"^[a-z][a-z0-9_-]*$"))]
    id: Spanned<String>,
    /// The content version trainers bump (write it quoted: `"2025.1"`).
    #[schemars(with = "String")]
    version: Spanned<String>,
    /// Declared languages (BCP 47); the first is the default.
    #[schemars(with = "Vec<String>", length(min = 1))]
    languages: Spanned<Vec<Spanned<String>>>,
    /// The title.
    #[schemars(with = "TextSchema")]
    title: Spanned<RawText>,
    /// An optional description.
    #[serde(default)]
    #[schemars(with = "Option<TextSchema>")]
    description: Option<Spanned<RawText>>,
    /// Dimensions (at least one).
    #[schemars(length(min = 1))]
    dimensions: Vec<RawDimension>,
    /// Indicators (at least one).
    #[schemars(length(min = 1))]
    indicators: Vec<RawIndicator>,
    /// Flags (optional).
    #[serde(default)]
    flags: Vec<RawFlag>,
    /// Sections (at least one).
    #[schemars(length(min = 1))]
    sections: Vec<RawSection>,
    /// Outcomes (at least one); the last has no `when`.
    #[schemars(length(min = 1))]
    outcomes: Vec<RawOutcome>,
}

/// Schema-only: `format` must be the number 1.
#[derive(JsonSchema)]
#[schemars(transform = format_one_schema)]
struct FormatOne;

fn format_one_schema(schema: &mut schemars::Schema) {
    *schema = schemars::json_schema!({ "const": 1, "description": "The format version: 1." });
}

/// Schema-only: a text is a map from language to string, or a plain string when exactly one
/// language is declared.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
#[schemars(rename = "Text")]
enum TextSchema {
    /// A plain string (only with exactly one declared language).
    Plain(String),
    /// Language tag -> text.
    Map(BTreeMap<String, String>),
}

/// A text as written: a plain string or a map from language to string, in file order.
#[derive(Debug)]
pub(crate) enum RawText {
    /// `title: "..."`.
    Plain(String),
    /// `title: {nb: "...", en: "..."}`.
    Map(Vec<(String, String)>),
}

impl<'de> Deserialize<'de> for RawText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text: a map from language to string (or a plain string)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawText, E> {
                Ok(RawText::Plain(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<RawText, E> {
                Ok(RawText::Plain(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<RawText, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, String>()? {
                    entries.push((k, v));
                }
                Ok(RawText::Map(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// A dimension.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Dimension")]
pub(crate) struct RawDimension {
    /// The dimension id.
    #[schemars(with = "String", regex(pattern = r"^[a-z][a-z0-9_]*$"))]
    id: Spanned<String>,
    /// Its label.
    #[schemars(with = "TextSchema")]
    label: Spanned<RawText>,
    /// When the dimension counts as present (an expression).
    #[schemars(with = "String")]
    positive_when: Spanned<String>,
}

/// Indicator strength.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Strength")]
pub(crate) enum RawStrength {
    /// Strong.
    Strong,
    /// Medium.
    Medium,
    /// Weak.
    Weak,
}

/// An indicator.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Indicator")]
pub(crate) struct RawIndicator {
    /// The indicator id.
    #[schemars(with = "String", regex(pattern = r"^[a-z][a-z0-9_]*$"))]
    id: Spanned<String>,
    /// The dimension it belongs to.
    #[schemars(with = "String")]
    dimension: Spanned<String>,
    /// strong, medium or weak.
    #[schemars(with = "RawStrength")]
    strength: Spanned<RawStrength>,
    /// Summed by `score(dimension)`; default 1.
    #[serde(default)]
    #[schemars(with = "Option<f64>", range(min = 0))]
    weight: Option<Spanned<f64>>,
    /// What the officer sees in the summary.
    #[schemars(with = "TextSchema")]
    label: Spanned<RawText>,
    /// Raised when this holds (an expression), besides any `raises`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    when: Option<Spanned<String>>,
}

/// A flag.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Flag")]
pub(crate) struct RawFlag {
    /// The flag id.
    #[schemars(with = "String", regex(pattern = r"^[a-z][a-z0-9_]*$"))]
    id: Spanned<String>,
    /// Its label.
    #[schemars(with = "TextSchema")]
    label: Spanned<RawText>,
    /// What the officer must do.
    #[schemars(with = "TextSchema")]
    advice: Spanned<RawText>,
    /// Raised when this holds (an expression), besides any `raises`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    when: Option<Spanned<String>>,
    /// Shown with its advice the moment an answer raises it, before the next question.
    #[serde(default)]
    immediate: Option<bool>,
}

/// A section.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Section")]
pub(crate) struct RawSection {
    /// The section id.
    #[schemars(with = "String", regex(pattern = r"^[a-z][a-z0-9_]*$"))]
    id: Spanned<String>,
    /// Its title.
    #[schemars(with = "TextSchema")]
    title: Spanned<RawText>,
    /// Read out or shown at the section's start.
    #[serde(default)]
    #[schemars(with = "Option<TextSchema>")]
    intro: Option<Spanned<RawText>>,
    /// The whole section is skipped when this does not hold (an expression).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    show_if: Option<Spanned<String>>,
    /// Its questions in order (an empty section is a warning, not an error).
    #[serde(default)]
    #[schemars(with = "Vec<RawQuestion>")]
    questions: Vec<Spanned<RawQuestion>>,
}

/// Question kinds.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Kind")]
pub(crate) enum RawKind {
    /// yes or no.
    YesNo,
    /// One of the choices.
    Single,
    /// Any of the choices.
    Multi,
    /// A number.
    Number,
    /// Free text.
    Text,
    /// An ISO 8601 date.
    Date,
    /// Text shown, no answer.
    Info,
}

/// Special answers a question may allow.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "SpecialAnswer")]
pub(crate) enum RawSpecial {
    /// "Don't know".
    DontKnow,
    /// The person declined to answer.
    Declined,
}

/// A question (or `info` item). The kind is a plain field, not a tagged enum, so that the
/// positions inside stay known (serde-saphyr loses them inside internally tagged enums).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Question")]
pub(crate) struct RawQuestion {
    /// Unique across the whole file.
    #[schemars(with = "String", regex(pattern = r"^[a-z][a-z0-9_]*$"))]
    id: Spanned<String>,
    /// yes_no, single, multi, number, text, date or info.
    #[schemars(with = "RawKind")]
    kind: Spanned<RawKind>,
    /// What is asked.
    #[schemars(with = "TextSchema")]
    text: Spanned<RawText>,
    /// For the officer only.
    #[serde(default)]
    #[schemars(with = "Option<TextSchema>")]
    guidance: Option<Spanned<RawText>>,
    /// Answered from what the officer saw or knows.
    #[serde(default)]
    observation: Option<bool>,
    /// Default true.
    #[serde(default)]
    required: Option<bool>,
    /// Which special answers are offered (default both).
    #[serde(default)]
    #[schemars(with = "Option<Vec<RawSpecial>>")]
    allow: Option<Vec<Spanned<RawSpecial>>>,
    /// Asked only when this holds (an expression reading earlier questions).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    show_if: Option<Spanned<String>>,
    /// single and multi only.
    #[serde(default)]
    #[schemars(with = "Option<Vec<RawChoice>>")]
    choices: Option<Spanned<Vec<RawChoice>>>,
    /// yes_no only: which answer raises which indicators and flags.
    #[serde(default)]
    #[schemars(with = "Option<RawYesNoRaises>")]
    raises: Option<Spanned<RawYesNoRaises>>,
    /// number only: inclusive lower bound.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    min: Option<Spanned<f64>>,
    /// number only: inclusive upper bound.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    max: Option<Spanned<f64>>,
    /// Jumps evaluated after the question was shown; the first that holds wins.
    #[serde(default)]
    #[schemars(with = "Option<Vec<RawGoto>>")]
    goto: Option<Vec<Spanned<RawGoto>>>,
    /// A field of the screening or referral this answer also fills, so it is never asked twice.
    #[serde(default)]
    #[schemars(with = "Option<FillsSchema>")]
    fills: Option<Spanned<String>>,
}

/// Schema-only: the fields a question can fill.
#[derive(JsonSchema)]
#[allow(dead_code)]
#[schemars(rename = "Fills")]
enum FillsSchema {
    /// The consent question (single; each choice fills `named`, `anonymous` or `none`).
    #[serde(rename = "referral.consent")]
    ReferralConsent,
    /// The release or transfer date (a date question).
    #[serde(rename = "referral.release_date")]
    ReferralReleaseDate,
    /// Expulsion (single; each choice fills `yes`, `no`, `pending` or `unknown`).
    #[serde(rename = "referral.expulsion")]
    ReferralExpulsion,
    /// The interpreter (single; each choice fills `none`, `in_person` or `phone`).
    #[serde(rename = "details.interpreter")]
    DetailsInterpreter,
    /// Custody (single; each choice fills `remand`, `sentenced` or `other`).
    #[serde(rename = "details.custody")]
    DetailsCustody,
}

/// A choice of a single or multi question.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Choice")]
pub(crate) struct RawChoice {
    /// The choice id (the answer value).
    #[schemars(with = "String", regex(pattern = r"^[a-z][a-z0-9_]*$"))]
    id: Spanned<String>,
    /// What the officer sees.
    #[schemars(with = "TextSchema")]
    label: Spanned<RawText>,
    /// Indicators and flags raised by this choice.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    raises: Option<Vec<Spanned<String>>>,
    /// multi only: this choice (such as "none of these") can only be chosen alone.
    #[serde(default)]
    exclusive: Option<bool>,
    /// The value this choice gives the field its question `fills`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    fills: Option<Spanned<String>>,
}

/// `raises:` of a yes_no question.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "YesNoRaises")]
pub(crate) struct RawYesNoRaises {
    /// Raised when the answer is yes.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    yes: Option<Vec<Spanned<String>>>,
    /// Raised when the answer is no.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    no: Option<Vec<Spanned<String>>>,
}

/// One `goto` entry.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Goto")]
pub(crate) struct RawGoto {
    /// The condition (an expression); optional on the last entry only.
    #[serde(default, rename = "if")]
    #[schemars(with = "Option<String>")]
    cond: Option<Spanned<String>>,
    /// A later question or section id, or `end`.
    #[schemars(with = "String")]
    to: Spanned<String>,
}

/// Whether a referral is recommended, offered or not made.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Referral")]
pub(crate) enum RawReferral {
    /// Refer (with consent).
    Recommended,
    /// Offer a referral.
    Offered,
    /// No referral.
    None,
}

/// An outcome.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Outcome")]
pub(crate) struct RawOutcome {
    /// The outcome id.
    #[schemars(with = "String", regex(pattern = r"^[a-z][a-z0-9_]*$"))]
    id: Spanned<String>,
    /// The condition; the last outcome has none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    when: Option<Spanned<String>>,
    /// Its label.
    #[schemars(with = "TextSchema")]
    label: Spanned<RawText>,
    /// What the officer should do now.
    #[schemars(with = "TextSchema")]
    advice: Spanned<RawText>,
    /// recommended, offered or none.
    #[schemars(with = "RawReferral")]
    referral: Spanned<RawReferral>,
}

/// The pre-pass: only `format`, every other field ignored.
#[derive(Debug, Deserialize)]
struct FormatProbe {
    #[serde(default)]
    format: Option<Spanned<String>>,
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/// The parser options every YAML file is read with: YAML 1.2 booleans (so `no` and `off` stay
/// strings, as format 1 requires) and a budget sized for questionnaires. The largest file we
/// expect (5,000 questions in two languages, the benchmark) has about 150,000 nodes; a real
/// screening has a few thousand. Anchors and aliases are rare in trainer files, so they are
/// capped hard to stop alias bombs early.
fn parse_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        budget: serde_saphyr::budget! {
            max_reader_input_bytes: Some(16 * 1024 * 1024),
            max_events: 600_000,
            max_nodes: 300_000,
            max_aliases: 2_000,
            max_anchors: 2_000,
            max_depth: 32,
            max_documents: 1,
            max_total_scalar_bytes: 16 * 1024 * 1024,
            max_merge_keys: 1_000,
        },
    }
}

/// Reads a questionnaire from its text. `file` is the name used in findings.
///
/// # Errors
/// Every `yaml`, `format-version` and `schema` problem found, in file order. A YAML or
/// serde error stops the reading, so there is at most one of those; the checks done while
/// converting (id patterns, texts, fields that do not fit the question's kind) are all
/// collected.
pub fn load_str(text: &str, file: &str) -> Result<Questionnaire, Vec<Finding>> {
    check_format(text, file).map_err(|f| vec![f])?;
    let raw: RawQuestionnaire = serde_saphyr::from_str_with_options(text, parse_options())
        .map_err(|e| vec![error_finding(&e, text, file)])?;
    let mut cx = Convert {
        file,
        text,
        languages: Vec::new(),
        findings: Vec::new(),
    };
    let q = cx.questionnaire(raw);
    if cx.findings.is_empty() {
        Ok(q)
    } else {
        cx.findings.sort_by_key(|f| (f.line, f.column));
        Err(cx.findings)
    }
}

/// Reads a questionnaire file.
///
/// An unreadable file (missing, a directory, not UTF-8) gives one `yaml` finding at line 1
/// whose message names the file and the reason: for the linter that is a file it cannot
/// read as YAML, and callers that must tell "unreadable" from "invalid" (the CLI exits 2 for
/// the first) check the file themselves before calling, or use [`read_file`].
///
/// # Errors
/// As [`load_str`], plus the unreadable-file finding.
pub fn load_file(path: &Path) -> Result<Questionnaire, Vec<Finding>> {
    let name = path.display().to_string();
    let text = read_file(path).map_err(|message| {
        vec![Finding {
            file: name.clone(),
            line: 1,
            column: None,
            code: Code::Yaml,
            severity: Code::Yaml.severity(),
            id: None,
            message,
            span: None,
        }]
    })?;
    load_str(&text, &name)
}

/// Reads a text file for loading, with a one-sentence reason when it cannot be read.
///
/// # Errors
/// The reason, naming the file: missing, unreadable or not UTF-8 text.
pub fn read_file(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "there is no such file".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            _ if path.is_dir() => "it is a directory".to_owned(),
            _ => e.to_string(),
        };
        format!("cannot read `{}`: {why}", path.display())
    })?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "cannot read `{}`: it is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// Reads any other YAML input (scenario files, `--answers` files) into `T`, with the same
/// strict booleans and budget as questionnaires.
///
/// # Errors
/// One `yaml` finding (not valid YAML, with the parser's line and column) or `schema` finding
/// (a field missing, unknown or of the wrong type).
// A failed read is rare and ends the command, so the size of the error does not matter; the
// signature is the one the other parts were promised.
#[allow(clippy::result_large_err)]
pub fn from_yaml<T: DeserializeOwned>(text: &str, file: &str) -> Result<T, Finding> {
    serde_saphyr::from_str_with_options(text, parse_options())
        .map_err(|e| error_finding(&e, text, file))
}

// ---------------------------------------------------------------------------------------------
// format pre-pass and error mapping
// ---------------------------------------------------------------------------------------------

/// Checks `format: 1` before anything else, so that a file written for a later format is told
/// so rather than drowned in "unknown field" errors.
#[allow(clippy::result_large_err)] // as from_yaml: once per file, on the way out
fn check_format(text: &str, file: &str) -> Result<(), Finding> {
    let probe: FormatProbe =
        serde_saphyr::from_str_with_options(text, parse_options()).map_err(|e| {
            // A type error here means `format` (or the top level) has the wrong shape.
            let f = error_finding(&e, text, file);
            if f.code == Code::Schema && line_of_key(text, "format") == Some(f.line) {
                Finding {
                    code: Code::FormatVersion,
                    severity: Code::FormatVersion.severity(),
                    message: "`format` must be the number 1".into(),
                    ..f
                }
            } else {
                f
            }
        })?;
    let Some(format) = probe.format else {
        return Err(finding(
            file,
            Pos {
                line: 1,
                column: 1,
                offset: 0,
                len: 0,
            },
            Code::FormatVersion,
            None,
            if text.trim().is_empty() {
                "the file is empty; a questionnaire starts with `format: 1`".into()
            } else {
                "the file has no `format:` line; add `format: 1` at the top".into()
            },
        ));
    };
    let pos = pos_of(&format.referenced);
    let quoted = matches!(text.as_bytes().get(pos.offset), Some(b'"' | b'\''));
    let value = format.value.trim();
    if quoted || value != "1" {
        let shown = if quoted {
            format!("\"{value}\"")
        } else {
            value.to_owned()
        };
        return Err(finding(
            file,
            pos,
            Code::FormatVersion,
            None,
            format!(
                "`format: {shown}` is not supported; this program reads format 1 (write `format: 1`)"
            ),
        ));
    }
    Ok(())
}

/// Builds a finding.
pub(crate) fn finding(
    file: &str,
    pos: Pos,
    code: Code,
    id: Option<&str>,
    message: String,
) -> Finding {
    Finding {
        file: file.to_owned(),
        line: pos.line.max(1),
        column: (pos.column > 0).then_some(pos.column),
        code,
        severity: code.severity(),
        id: id.map(str::to_owned),
        message,
        span: (pos.len > 0 || pos.offset > 0).then_some((pos.offset, pos.len)),
    }
}

fn pos_of(l: &Location) -> Pos {
    let span = l.span();
    Pos {
        line: usize::try_from(l.line()).unwrap_or(0),
        column: usize::try_from(l.column()).unwrap_or(0),
        offset: span
            .byte_offset()
            .and_then(|o| usize::try_from(o).ok())
            .unwrap_or(0),
        len: span
            .byte_len()
            .and_then(|o| usize::try_from(o).ok())
            .unwrap_or(0),
    }
}

/// The known field lists of the raw structs, to say *where* an unknown field was written.
const PLACES: &[(&str, &str)] = &[
    ("format", "at the top level"),
    ("kind", "in a question"),
    ("questions", "in a section"),
    ("positive_when", "in a dimension"),
    ("strength", "in an indicator"),
    ("referral", "in an outcome"),
    ("advice", "in a flag"),
    ("to", "in a goto entry"),
    (
        "yes",
        "in `raises` of a yes_no question (use `yes:` and `no:`)",
    ),
    ("label", "in a choice"),
];

/// Maps a serde-saphyr error to one finding: parser problems are `yaml`, everything about the
/// shape of the data is `schema`.
fn error_finding(e: &serde_saphyr::Error, text: &str, file: &str) -> Finding {
    use serde_saphyr::Error as E;
    let inner = e.without_snippet();
    let pos = inner
        .location()
        .or_else(|| e.location())
        .map(|l| {
            let mut p = pos_of(&l);
            if p.offset == 0 && p.line > 1 {
                p.offset = offset_of(text, p.line, p.column);
            }
            p
        })
        .unwrap_or(Pos {
            line: 1,
            column: 0,
            offset: 0,
            len: 0,
        });
    let owner = enclosing_id(text, pos);
    let (code, message) = match inner {
        E::SerdeUnknownField {
            field, expected, ..
        } => {
            let place = PLACES
                .iter()
                .find(|(k, _)| expected.contains(k))
                .map_or("here", |(_, p)| p);
            let list = expected
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let hint = suggest(field, expected.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            (
                Code::Schema,
                format!("unknown field `{field}` {place}; expected one of {list}{hint}"),
            )
        }
        E::SerdeMissingField { field, .. } => (
            Code::Schema,
            match &owner {
                Some(id) => format!("`{id}` has no `{field}:`, which is required"),
                None => format!("the required field `{field}` is missing"),
            },
        ),
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let list = expected
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let hint = suggest(variant, expected.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            (
                Code::Schema,
                format!("`{variant}` is not allowed here; expected one of {list}{hint}"),
            )
        }
        E::InvalidBooleanStrict { .. } => (
            Code::Schema,
            format!(
                "{} must be `true` or `false` (`yes`, `no`, `on` and `off` are not booleans in YAML 1.2)",
                key_on_line(text, pos.line).map_or("this value".to_owned(), |k| format!("`{k}`"))
            ),
        ),
        E::Budget { breach, .. } => (
            Code::Yaml,
            format!(
                "the file is too large or too deeply nested to be a questionnaire ({breach:?})"
            ),
        ),
        E::SerdeInvalidType { .. }
        | E::SerdeInvalidValue { .. }
        | E::SerdeInvalidLength { .. }
        | E::InvalidScalar { .. }
        | E::NullIntoString { .. }
        | E::Unexpected { .. }
        | E::UnexpectedValueForUnit { .. }
        | E::ExpectedStringKeyForExternallyTaggedEnum { .. }
        | E::ExternallyTaggedEnumExpectedScalarOrMapping { .. }
        | E::UnexpectedValueForUnitEnumVariant { .. }
        | E::DuplicateMappingKey { .. }
        | E::Message { .. }
        | E::InvalidCharNull { .. }
        | E::InvalidCharNotSingleScalar { .. }
        | E::NonFiniteFloat { .. }
        | E::TaggedEnumMismatch { .. }
        | E::SerdeVariantId { .. }
        | E::Eof { .. } => (Code::Schema, plain_message(inner)),
        _ => (Code::Yaml, plain_message(inner)),
    };
    let message = match (code, inner) {
        (_, E::Eof { .. }) if text.trim().is_empty() => "the file is empty".to_owned(),
        (_, E::DuplicateMappingKey { key, .. }) => format!(
            "the key `{}` is written twice in the same mapping",
            key.as_deref().unwrap_or("?")
        ),
        (_, E::Unexpected { expected, .. }) if *expected == "mapping start" && pos.line == 1 => {
            "the file must be a mapping of fields (`format: 1`, `id: ...`, ...)".to_owned()
        }
        _ => message,
    };
    // A YAML syntax error is about the text, not about an item, so it names no id.
    let owner = if code == Code::Yaml { None } else { owner };
    finding(file, pos, code, owner.as_deref(), message)
}

/// The library's message without its trailing " at line N, column M" (the finding has those).
fn plain_message(e: &serde_saphyr::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) if s[i..].contains(", column ") => s[..i].to_owned(),
        _ => s,
    }
}

/// Byte offset of a 1-based line and column (in characters).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut off = 0;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n + 1 == line {
            return off
                + l.char_indices()
                    .nth(column.saturating_sub(1))
                    .map_or(l.len(), |(i, _)| i);
        }
        off += l.len();
    }
    text.len()
}

/// The id of the mapping that a (block-style) position belongs to, found by walking up to the
/// `id:` key at the same indentation. Used only to name the item in a schema message; it gives
/// up (None) whenever the layout is not the usual one.
fn enclosing_id(text: &str, pos: Pos) -> Option<String> {
    if pos.line == 0 {
        return None;
    }
    let lines: Vec<&str> = text.lines().take(pos.line).collect();
    // The key column of the line at fault (the position may point at a value).
    let key_col = |l: &str| {
        let indent = l.chars().take_while(|c| *c == ' ').count();
        if l[indent..].starts_with("- ") {
            indent + 2
        } else {
            indent
        }
    };
    let col = key_col(lines.last()?);
    for l in lines.iter().rev() {
        let trimmed = l.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let k = key_col(l);
        if k == col {
            if let Some(v) = l[k..].strip_prefix("id:") {
                let v = v.trim().trim_matches(|c| c == '"' || c == '\'');
                return (!v.is_empty() && !v.contains(' ')).then(|| v.to_owned());
            }
            if l.trim_start().starts_with("- ") {
                return None;
            }
        } else if k < col {
            return None;
        }
    }
    None
}

/// The mapping key written on a line (`    observation: yes` -> `observation`).
fn key_on_line(text: &str, line: usize) -> Option<String> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let l = l.trim_start().trim_start_matches("- ");
    let (k, _) = l.split_once(':')?;
    is_id(k, false).then(|| k.to_owned())
}

// ---------------------------------------------------------------------------------------------
// Conversion raw -> model
// ---------------------------------------------------------------------------------------------

/// Words that cannot be ids: they mean something else in expressions or in `goto`.
const RESERVED: &[&str] = &["and", "or", "not", "in", "true", "false", "end"];

struct Convert<'a> {
    file: &'a str,
    text: &'a str,
    languages: Vec<String>,
    findings: Vec<Finding>,
}

impl Convert<'_> {
    fn schema(&mut self, pos: Pos, id: Option<&str>, message: String) {
        self.findings
            .push(finding(self.file, pos, Code::Schema, id, message));
    }

    fn questionnaire(&mut self, raw: RawQuestionnaire) -> Questionnaire {
        let qid = self.qid(&raw.id);
        self.languages(&raw.languages);
        let title = self.text(raw.title, "the title", Some(&qid.name));
        let description = raw
            .description
            .map(|t| self.text(t, "the description", Some(&qid.name)));
        let version = raw.version.value.clone();
        if version.trim().is_empty() {
            self.schema(
                pos_of(&raw.version.referenced),
                None,
                "`version` is empty; give the content version, for example \"2025.1\"".into(),
            );
        }
        for (list, what, n) in [
            ("dimensions", "dimension", raw.dimensions.len()),
            ("indicators", "indicator", raw.indicators.len()),
            ("sections", "section", raw.sections.len()),
            ("outcomes", "outcome", raw.outcomes.len()),
        ] {
            if n == 0 {
                let line = line_of_key(self.text, list).unwrap_or(1);
                self.schema(
                    Pos {
                        line,
                        column: 1,
                        offset: offset_of(self.text, line, 1),
                        len: 0,
                    },
                    None,
                    format!("`{list}` is empty; a questionnaire needs at least one {what}"),
                );
            }
        }
        let dimensions = raw
            .dimensions
            .into_iter()
            .map(|d| self.dimension(d))
            .collect();
        let indicators = raw
            .indicators
            .into_iter()
            .map(|i| self.indicator(i))
            .collect();
        let flags = raw.flags.into_iter().map(|f| self.flag(f)).collect();
        let sections = raw
            .sections
            .into_iter()
            .enumerate()
            .map(|(i, s)| self.section(i, s))
            .collect();
        let outcomes = raw.outcomes.into_iter().map(|o| self.outcome(o)).collect();
        // Built field by field: the index fields are private and filled by `index()`.
        let mut q = Questionnaire::default();
        q.id = qid.name;
        q.version = version;
        q.languages = self.languages.clone();
        q.title = title;
        q.description = description;
        q.dimensions = dimensions;
        q.indicators = indicators;
        q.flags = flags;
        q.sections = sections;
        q.outcomes = outcomes;
        q.source = Source {
            name: self.file.to_owned(),
            text: self.text.to_owned(),
        };
        q.index();
        q
    }

    fn languages(&mut self, raw: &Spanned<Vec<Spanned<String>>>) {
        if raw.value.is_empty() {
            self.schema(
                pos_of(&raw.referenced),
                None,
                "`languages` is empty; declare at least one, for example `[nb, en]`".into(),
            );
        }
        for l in &raw.value {
            let pos = pos_of(&l.referenced);
            if !is_language_tag(&l.value) {
                self.schema(
                    pos,
                    None,
                    format!(
                        "`{}` is not a language tag; use BCP 47 tags such as `nb`, `nn`, `en`",
                        l.value
                    ),
                );
            } else if self.languages.contains(&l.value) {
                self.schema(
                    pos,
                    None,
                    format!("the language `{}` is declared twice", l.value),
                );
            } else {
                self.languages.push(l.value.clone());
            }
        }
    }

    /// The questionnaire id (dashes allowed, unlike every other id).
    fn qid(&mut self, raw: &Spanned<String>) -> Id {
        let id = Id {
            name: raw.value.clone(),
            pos: pos_of(&raw.referenced),
        };
        if !is_id(&id.name, true) {
            self.schema(
                id.pos,
                None,
                format!(
                    "the questionnaire id `{}` must start with a lower-case letter and use only a-z, 0-9, `_` and `-`",
                    id.name
                ),
            );
        }
        id
    }

    fn id(&mut self, raw: &Spanned<String>, what: &str) -> Id {
        let id = Id {
            name: raw.value.clone(),
            pos: pos_of(&raw.referenced),
        };
        if !is_id(&id.name, false) {
            self.schema(
                id.pos,
                Some(&id.name),
                format!(
                    "the {what} id `{}` must start with a lower-case letter and use only a-z, 0-9 and `_`",
                    id.name
                ),
            );
        } else if RESERVED.contains(&id.name.as_str()) {
            self.schema(
                id.pos,
                Some(&id.name),
                format!(
                    "`{}` cannot be a {what} id: the word is reserved in expressions and `goto`",
                    id.name
                ),
            );
        }
        id
    }

    /// A reference (to be resolved by lint): kept as written, with its position.
    fn reference(raw: &Spanned<String>) -> Id {
        Id {
            name: raw.value.clone(),
            pos: pos_of(&raw.referenced),
        }
    }

    fn text(&mut self, raw: Spanned<RawText>, what: &str, owner: Option<&str>) -> Text {
        let pos = pos_of(&raw.referenced);
        let entries = match raw.value {
            RawText::Map(entries) => {
                for (lang, _) in &entries {
                    if !self.languages.contains(lang) {
                        let declared = self.languages.join(", ");
                        let hint = suggest(lang, self.languages.iter().map(String::as_str))
                            .map(|s| format!("; did you mean `{s}`?"))
                            .unwrap_or_default();
                        self.schema(
                            pos,
                            owner,
                            format!(
                                "{what} has a text in `{lang}`, which is not in `languages` ({declared}){hint}"
                            ),
                        );
                    }
                }
                entries
            }
            RawText::Plain(s) => {
                if let [only] = self.languages.as_slice() {
                    vec![(only.clone(), s)]
                } else {
                    let declared = self.languages.join(", ");
                    self.schema(
                        pos,
                        owner,
                        format!(
                            "{what} is a plain string, but the questionnaire declares {} languages ({declared}); write it as a map such as `{{{}: \"...\"}}`",
                            self.languages.len(),
                            self.languages.join(": \"...\", ")
                        ),
                    );
                    vec![(self.languages.first().cloned().unwrap_or_default(), s)]
                }
            }
        };
        Text { entries, pos }
    }

    fn cond(&self, raw: Spanned<String>) -> Cond {
        let mut pos = pos_of(&raw.referenced);
        if matches!(self.text.as_bytes().get(pos.offset), Some(b'"' | b'\'')) {
            // The span starts at the opening quote; the expression starts after it.
            pos.offset += 1;
            pos.column += 1;
        }
        pos.len = raw.value.len();
        let parsed = expr::parse(&raw.value);
        Cond {
            source: raw.value,
            pos,
            parsed,
        }
    }

    fn number(&mut self, raw: &Spanned<f64>, what: &str, owner: &str) -> Option<f64> {
        if raw.value.is_finite() {
            Some(raw.value)
        } else {
            self.schema(
                pos_of(&raw.referenced),
                Some(owner),
                format!("`{what}` must be a finite number"),
            );
            None
        }
    }

    fn dimension(&mut self, raw: RawDimension) -> Dimension {
        let id = self.id(&raw.id, "dimension");
        Dimension {
            label: self.text(raw.label, "the label", Some(&id.name)),
            positive_when: self.cond(raw.positive_when),
            pos: id.pos,
            id,
        }
    }

    fn indicator(&mut self, raw: RawIndicator) -> Indicator {
        let id = self.id(&raw.id, "indicator");
        let weight = match &raw.weight {
            Some(w) => match self.number(w, "weight", &id.name) {
                Some(v) if v < 0.0 => {
                    self.schema(
                        pos_of(&w.referenced),
                        Some(&id.name),
                        format!("`weight: {v}` is negative; weights are 0 or more"),
                    );
                    v
                }
                Some(v) => v,
                None => 1.0,
            },
            None => 1.0,
        };
        Indicator {
            dimension: Self::reference(&raw.dimension),
            strength: match raw.strength.value {
                RawStrength::Strong => Strength::Strong,
                RawStrength::Medium => Strength::Medium,
                RawStrength::Weak => Strength::Weak,
            },
            weight,
            label: self.text(raw.label, "the label", Some(&id.name)),
            when: raw.when.map(|c| self.cond(c)),
            pos: id.pos,
            id,
        }
    }

    fn flag(&mut self, raw: RawFlag) -> Flag {
        let id = self.id(&raw.id, "flag");
        Flag {
            label: self.text(raw.label, "the label", Some(&id.name)),
            advice: self.text(raw.advice, "the advice", Some(&id.name)),
            when: raw.when.map(|c| self.cond(c)),
            immediate: raw.immediate.unwrap_or(false),
            pos: id.pos,
            id,
        }
    }

    fn section(&mut self, index: usize, raw: RawSection) -> Section {
        let id = self.id(&raw.id, "section");
        Section {
            title: self.text(raw.title, "the title", Some(&id.name)),
            intro: raw.intro.map(|t| self.text(t, "the intro", Some(&id.name))),
            show_if: raw.show_if.map(|c| self.cond(c)),
            questions: raw
                .questions
                .into_iter()
                .map(|q| self.question(index, q))
                .collect(),
            pos: id.pos,
            id,
        }
    }

    #[allow(clippy::too_many_lines)] // one field after the other; splitting it hides the order
    fn question(&mut self, section: usize, raw: Spanned<RawQuestion>) -> Question {
        let start = pos_of(&raw.referenced);
        let raw = raw.value;
        let id = self.id(&raw.id, "question");
        let name = id.name.clone();
        let kind = match raw.kind.value {
            RawKind::YesNo => Kind::YesNo,
            RawKind::Single => Kind::Single,
            RawKind::Multi => Kind::Multi,
            RawKind::Number => Kind::Number,
            RawKind::Text => Kind::Text,
            RawKind::Date => Kind::Date,
            RawKind::Info => Kind::Info,
        };
        let kind_word = kind.as_str();
        let mut allow = Allow {
            dont_know: false,
            declined: false,
        };
        match &raw.allow {
            None => allow = Allow::default(),
            Some(list) => {
                for s in list {
                    match s.value {
                        RawSpecial::DontKnow => allow.dont_know = true,
                        RawSpecial::Declined => allow.declined = true,
                    }
                }
            }
        }
        if kind == Kind::Info {
            for (present, field) in [
                (raw.allow.is_some(), "allow"),
                (raw.required.is_some(), "required"),
                (raw.observation.is_some(), "observation"),
            ] {
                if present {
                    self.schema(
                        start,
                        Some(&name),
                        format!(
                            "`{field}` does not apply to an `info` item, which takes no answer"
                        ),
                    );
                }
            }
        }
        // Fields that only make sense for some kinds: a trainer who writes them on another kind
        // has almost certainly picked the wrong kind, so say so instead of ignoring them.
        let mut choices = Vec::new();
        if let Some(list) = raw.choices {
            if matches!(kind, Kind::Single | Kind::Multi) {
                for c in list.value {
                    let cid = self.id(&c.id, "choice");
                    if matches!(cid.name.as_str(), "dont_know" | "declined") {
                        self.schema(
                            cid.pos,
                            Some(&name),
                            format!(
                                "the choice id `{}` is reserved for the special answer; use `allow:` to offer it",
                                cid.name
                            ),
                        );
                    }
                    let exclusive = c.exclusive.unwrap_or(false);
                    if exclusive && kind != Kind::Multi {
                        self.schema(
                            cid.pos,
                            Some(&name),
                            format!(
                                "`exclusive` is for the choices of multi questions, not {kind_word}: one answer is always chosen alone"
                            ),
                        );
                    }
                    choices.push(Choice {
                        label: self.text(c.label, "the choice label", Some(&name)),
                        raises: c.raises.iter().flatten().map(Self::reference).collect(),
                        exclusive,
                        fills: c.fills.as_ref().map(Self::reference),
                        id: cid,
                    });
                }
            } else {
                let why = if kind == Kind::YesNo {
                    "; its choices are always yes and no (use `raises: {yes: [...], no: [...]}`)"
                } else {
                    ""
                };
                self.schema(
                    pos_of(&list.referenced),
                    Some(&name),
                    format!("`choices` is for single and multi questions, not {kind_word}{why}"),
                );
            }
        }
        if let Some(r) = raw.raises {
            if kind == Kind::YesNo {
                let r_pos = pos_of(&r.referenced);
                for (answer, list) in [("yes", r.value.yes), ("no", r.value.no)] {
                    choices.push(Choice {
                        id: Id {
                            name: answer.to_owned(),
                            pos: r_pos,
                        },
                        label: yes_no_label(&self.languages, answer, r_pos),
                        raises: list.iter().flatten().map(Self::reference).collect(),
                        exclusive: false,
                        fills: None,
                    });
                }
            } else {
                let why = if matches!(kind, Kind::Single | Kind::Multi) {
                    "; put `raises:` on the choices instead"
                } else {
                    ""
                };
                self.schema(
                    pos_of(&r.referenced),
                    Some(&name),
                    format!("`raises` on a question is for yes_no questions, not {kind_word}{why}"),
                );
            }
        }
        if kind == Kind::YesNo && choices.is_empty() {
            choices = ["yes", "no"]
                .iter()
                .map(|answer| Choice {
                    id: Id {
                        name: (*answer).to_owned(),
                        pos: start,
                    },
                    label: yes_no_label(&self.languages, answer, start),
                    raises: Vec::new(),
                    exclusive: false,
                    fills: None,
                })
                .collect();
        }
        let min = raw.min.as_ref().and_then(|m| self.number(m, "min", &name));
        let max = raw.max.as_ref().and_then(|m| self.number(m, "max", &name));
        for (field, v) in [("min", &raw.min), ("max", &raw.max)] {
            if let Some(v) = v
                && kind != Kind::Number
            {
                self.schema(
                    pos_of(&v.referenced),
                    Some(&name),
                    format!("`{field}` is for number questions, not {kind_word}"),
                );
            }
        }
        if let (Some(lo), Some(hi), Some(m)) = (min, max, &raw.max)
            && lo > hi
        {
            self.schema(
                pos_of(&m.referenced),
                Some(&name),
                format!("`min: {lo}` is greater than `max: {hi}`, so no answer would be accepted"),
            );
        }
        let mut goto = Vec::new();
        let entries = raw.goto.unwrap_or_default();
        let last = entries.len().saturating_sub(1);
        for (i, g) in entries.into_iter().enumerate() {
            let gpos = pos_of(&g.referenced);
            if g.value.cond.is_none() && i != last {
                self.schema(
                    gpos,
                    Some(&name),
                    "only the last `goto` entry may leave out `if:`; the entries after it could never be used".into(),
                );
            }
            goto.push(Goto {
                cond: g.value.cond.map(|c| self.cond(c)),
                to: Self::reference(&g.value.to),
                pos: gpos,
            });
        }
        let fills = self.fills(raw.fills.as_ref(), kind, &choices, &name);
        Question {
            text: self.text(raw.text, "the text", Some(&name)),
            guidance: raw
                .guidance
                .map(|t| self.text(t, "the guidance", Some(&name))),
            observation: raw.observation.unwrap_or(false),
            required: raw.required.unwrap_or(true),
            allow,
            show_if: raw.show_if.map(|c| self.cond(c)),
            choices,
            min,
            max,
            goto,
            fills,
            section,
            pos: start,
            id,
            kind,
        }
    }

    /// Checks a question's `fills:` and its choices' values: the field exists, the question's
    /// kind can fill it, and (for a choice field) every choice names one of the field's values.
    /// A choice value on a question that fills nothing is refused too, since it would be ignored.
    fn fills(
        &mut self,
        raw: Option<&Spanned<String>>,
        kind: Kind,
        choices: &[Choice],
        name: &str,
    ) -> Option<Fills> {
        let Some(raw) = raw else {
            for c in choices {
                if let Some(v) = &c.fills {
                    self.schema(
                        v.pos,
                        Some(name),
                        format!(
                            "choice `{}` says `fills: {}` but question `{name}` has no `fills:` naming the field",
                            c.id, v.name
                        ),
                    );
                }
            }
            return None;
        };
        let pos = pos_of(&raw.referenced);
        let Some(field) = FillField::from_name(raw.value.trim()) else {
            let names: Vec<&str> = FillField::ALL.iter().map(|f| f.as_str()).collect();
            let hint = suggest(raw.value.trim(), names.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            self.schema(
                pos,
                Some(name),
                format!(
                    "`fills: {}` names no field; a question can fill {}{hint}",
                    raw.value,
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            return None;
        };
        if kind != field.kind() {
            self.schema(
                pos,
                Some(name),
                format!(
                    "a {} question cannot fill `{field}`, which takes a {} question",
                    kind.as_str(),
                    field.kind().as_str()
                ),
            );
            return None;
        }
        let values = field.values();
        for c in choices {
            let listed = values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ");
            match &c.fills {
                None => self.schema(
                    c.id.pos,
                    Some(name),
                    format!(
                        "choice `{}` of question `{name}` has no `fills:`; since the question fills `{field}`, each choice names one of {listed}",
                        c.id
                    ),
                ),
                Some(v) if !values.contains(&v.name.as_str()) => {
                    let hint = suggest(&v.name, values.iter().copied())
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    self.schema(
                        v.pos,
                        Some(name),
                        format!(
                            "choice `{}` says `fills: {}`, which `{field}` does not take; it takes {listed}{hint}",
                            c.id, v.name
                        ),
                    );
                }
                Some(_) => {}
            }
        }
        Some(Fills { field, pos })
    }

    fn outcome(&mut self, raw: RawOutcome) -> Outcome {
        let id = self.id(&raw.id, "outcome");
        Outcome {
            when: raw.when.map(|c| self.cond(c)),
            label: self.text(raw.label, "the label", Some(&id.name)),
            advice: self.text(raw.advice, "the advice", Some(&id.name)),
            referral: match raw.referral.value {
                RawReferral::Recommended => ReferralAdvice::Recommended,
                RawReferral::Offered => ReferralAdvice::Offered,
                RawReferral::None => ReferralAdvice::None,
            },
            pos: id.pos,
            id,
        }
    }
}

/// The label of a synthesised yes/no choice in each declared language.
fn yes_no_label(languages: &[String], answer: &str, pos: Pos) -> Text {
    let yes = answer == "yes";
    Text {
        entries: languages
            .iter()
            .map(|l| {
                let t = match (l.as_str(), yes) {
                    ("nb" | "nn" | "no", true) => "Ja",
                    ("nb" | "nn" | "no", false) => "Nei",
                    ("en", true) => "Yes",
                    ("en", false) => "No",
                    _ => answer,
                };
                (l.clone(), t.to_owned())
            })
            .collect(),
        pos,
    }
}

/// The 1-based line of a top-level key.
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

/// `[a-z][a-z0-9_]*` (with `-` too for the questionnaire id).
fn is_id(s: &str, dashes: bool) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || (dashes && c == '-')
        })
}

/// A BCP 47 tag in its common shape: a 2-3 letter language, then subtags of 1-8 letters or
/// digits (`nb`, `en-GB`, `se`, `sr-Latn`).
fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small valid file in one language; tests change pieces of it.
    pub(crate) const BASE: &str = r#"format: 1
id: t
version: "1"
languages: [en]
title: T
dimensions:
  - id: control
    label: Control
    positive_when: "strong() >= 1"
indicators:
  - id: papers_taken
    dimension: control
    strength: strong
    label: Papers taken
sections:
  - id: main
    title: Main
    questions:
      - id: passport
        kind: yes_no
        text: Passport?
        raises:
          yes: [papers_taken]
      - id: hours
        kind: number
        min: 0
        max: 24
        show_if: "passport == 'yes'"
        text: Hours?
outcomes:
  - id: refer
    when: "positive(control)"
    label: Refer
    advice: Refer.
    referral: recommended
  - id: none_seen
    label: None
    advice: Card.
    referral: offered
"#;

    fn load(text: &str) -> Result<Questionnaire, Vec<Finding>> {
        load_str(text, "t.yaml")
    }

    fn err(text: &str) -> Finding {
        let mut e = load(text).unwrap_err();
        assert_eq!(e.len(), 1, "{e:#?}");
        e.remove(0)
    }

    #[test]
    fn base_loads_with_positions() {
        let q = load(BASE).unwrap();
        assert_eq!(q.id, "t");
        assert_eq!(q.question_count(), 2);
        let p = q.question("passport").unwrap();
        assert_eq!((p.id.pos.line, p.id.pos.column), (19, 13));
        assert_eq!(
            &BASE[p.id.pos.offset..p.id.pos.offset + p.id.pos.len],
            "passport"
        );
        assert_eq!(p.pos.line, 19);
        assert_eq!(q.source.name, "t.yaml");
        assert_eq!(q.source.text, BASE);
    }

    #[test]
    fn a_quoted_condition_starts_inside_the_quotes() {
        let q = load(BASE).unwrap();
        let c = q.question("hours").unwrap().show_if.as_ref().unwrap();
        assert_eq!(
            &BASE[c.pos.offset..c.pos.offset + c.pos.len],
            "passport == 'yes'"
        );
        assert_eq!((c.pos.line, c.pos.column), (28, 19));
        assert!(c.parsed.is_ok());
    }

    #[test]
    fn plain_and_block_conditions_keep_their_start() {
        let text = BASE.replace(
            "show_if: \"passport == 'yes'\"",
            "show_if: >-\n          passport == 'yes'",
        );
        let q = load(&text).unwrap();
        let c = q.question("hours").unwrap().show_if.as_ref().unwrap();
        assert_eq!(c.source, "passport == 'yes'");
        assert_eq!(&text[c.pos.offset..c.pos.offset + 8], "passport");
        let text = BASE.replace("when: \"positive(control)\"", "when: positive(control)");
        let q = load(&text).unwrap();
        let c = q.outcomes[0].when.as_ref().unwrap();
        assert_eq!(
            &text[c.pos.offset..c.pos.offset + c.pos.len],
            "positive(control)"
        );
    }

    #[test]
    fn a_syntax_error_in_a_condition_is_kept_for_lint() {
        let q = load(&BASE.replace("positive(control)\"", "positive(control) and\"")).unwrap();
        assert!(q.outcomes[0].when.as_ref().unwrap().parsed.is_err());
    }

    #[test]
    fn yes_no_questions_get_yes_and_no_choices_with_raises() {
        let text = BASE
            .replace("languages: [en]", "languages: [nb, en, se]")
            .replace("title: T\n", "title: {nb: T, en: T, se: T}\n");
        // Plain texts are refused with three languages; this test only needs the choices.
        let e = load(&text).unwrap_err();
        assert!(e.iter().all(|f| f.code == Code::Schema));
        let q = load(BASE).unwrap();
        let p = q.question("passport").unwrap();
        let ids: Vec<&str> = p.choices.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["yes", "no"]);
        assert_eq!(p.choices[0].raises[0].as_str(), "papers_taken");
        assert!(p.choices[1].raises.is_empty());
        assert_eq!(p.choices[0].label.get("en"), Some("Yes"));
        let labels = yes_no_label(
            &["nb".into(), "nn".into(), "se".into()],
            "no",
            Pos::default(),
        );
        assert_eq!(labels.get("nb"), Some("Nei"));
        assert_eq!(labels.get("nn"), Some("Nei"));
        assert_eq!(labels.get("se"), Some("no"));
    }

    #[test]
    fn yes_no_without_raises_still_has_its_choices() {
        let q =
            load(&BASE.replace("        raises:\n          yes: [papers_taken]\n", "")).unwrap();
        assert_eq!(q.question("passport").unwrap().choices.len(), 2);
    }

    #[test]
    fn format_is_checked_before_the_schema() {
        let f = err(&BASE.replace("format: 1", "format: 2\nnew_field_of_format_2: x"));
        assert_eq!(f.code, Code::FormatVersion);
        assert_eq!((f.line, f.column), (1, Some(9)));
        assert_eq!(
            err(&BASE.replace("format: 1\n", "")).code,
            Code::FormatVersion
        );
        assert_eq!(
            err(&BASE.replace("format: 1", "format: \"1\"")).code,
            Code::FormatVersion
        );
        assert_eq!(
            err(&BASE.replace("format: 1", "format: [1]")).code,
            Code::FormatVersion
        );
        assert_eq!(err("").code, Code::FormatVersion);
    }

    #[test]
    fn yaml_errors_have_the_parsers_position_and_no_id() {
        let f = err(&BASE.replace("title: T", "title: T: U"));
        assert_eq!(f.code, Code::Yaml);
        assert_eq!(f.line, 5);
        assert!(f.id.is_none());
        assert_eq!(err(&format!("{BASE}---\nx: 1\n")).code, Code::Yaml);
    }

    #[test]
    fn unknown_fields_are_named_with_a_suggestion_and_the_item() {
        let f = err(&BASE.replace(
            "        text: Hours?",
            "        text: Hours?\n        show_fi: x",
        ));
        assert_eq!(f.code, Code::Schema);
        assert_eq!(f.line, 30);
        assert_eq!(f.id.as_deref(), Some("hours"));
        assert!(
            f.message.contains("unknown field `show_fi` in a question"),
            "{}",
            f.message
        );
        assert!(
            f.message.ends_with("did you mean `show_if`?"),
            "{}",
            f.message
        );
    }

    #[test]
    fn wrong_kinds_and_missing_fields_are_schema_findings() {
        let f = err(&BASE.replace("kind: number", "kind: numbr"));
        assert!(
            f.message.contains("did you mean `number`?"),
            "{}",
            f.message
        );
        let f = err(&BASE.replace("    label: Papers taken\n", ""));
        assert_eq!(f.code, Code::Schema);
        assert!(f.message.contains("`label:`"), "{}", f.message);
        let f = err(&BASE.replace("min: 0", "min: lots"));
        assert_eq!((f.code, f.line), (Code::Schema, 26));
        let f = err(&BASE.replace("title: T\n", "title: T\ntitle: U\n"));
        assert!(f.message.contains("written twice"), "{}", f.message);
        assert_eq!(err("- a\n").code, Code::Schema);
    }

    #[test]
    fn ids_must_match_the_pattern_and_not_be_reserved() {
        let e = load(&BASE.replace("id: passport", "id: Passport")).unwrap_err();
        assert!(
            e.iter()
                .any(|f| f.code == Code::Schema && f.message.contains("`Passport`"))
        );
        let e = load(&BASE.replace("id: hours", "id: end")).unwrap_err();
        assert!(e.iter().any(|f| f.message.contains("reserved")));
        // The questionnaire id may have dashes; others may not.
        assert!(load(&BASE.replace("id: t\n", "id: prison-screening\n")).is_ok());
        assert!(load(&BASE.replace("id: main", "id: main-part")).is_err());
    }

    #[test]
    fn plain_texts_need_exactly_one_language() {
        let text = BASE.replace("languages: [en]", "languages: [nb, en]");
        let e = load(&text).unwrap_err();
        assert!(e.iter().all(|f| f.code == Code::Schema));
        assert!(e[0].message.contains("plain string"), "{}", e[0].message);
        assert!(e.len() > 5, "every plain text is reported: {e:#?}");
        let e = load(&BASE.replace("title: T", "title: {en: T, de: T}")).unwrap_err();
        assert!(e[0].message.contains("`de`"), "{}", e[0].message);
    }

    #[test]
    fn fields_that_do_not_fit_the_kind_are_refused() {
        let e = load(&BASE.replace("kind: number", "kind: text")).unwrap_err();
        assert_eq!(e.len(), 2, "min and max: {e:#?}");
        let e = load(&BASE.replace("kind: yes_no", "kind: single")).unwrap_err();
        assert!(
            e[0].message.contains("put `raises:` on the choices"),
            "{}",
            e[0].message
        );
        let e = load(&BASE.replace("min: 0", "min: 30")).unwrap_err();
        assert!(e[0].message.contains("greater than"), "{}", e[0].message);
        let e = load(&BASE.replace(
            "        text: Hours?\n",
            "        text: Hours?\n        choices: []\n",
        ))
        .unwrap_err();
        assert!(
            e[0].message.contains("`choices` is for single and multi"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn reserved_choice_ids_and_goto_without_if_in_the_middle() {
        let text = BASE.replace(
            "        kind: yes_no\n        text: Passport?\n        raises:\n          yes: [papers_taken]\n",
            "        kind: single\n        text: Passport?\n        choices:\n          - {id: dont_know, label: X}\n        goto:\n          - to: end\n          - if: \"true\"\n            to: end\n",
        );
        let e = load(&text).unwrap_err();
        assert_eq!(e.len(), 2, "{e:#?}");
        assert!(e[0].message.contains("reserved for the special answer"));
        assert!(e[1].message.contains("only the last `goto` entry"));
    }

    #[test]
    fn yes_and_no_stay_strings_in_other_yaml_files() {
        let v: BTreeMap<String, serde_json::Value> =
            from_yaml("consent: no\nagrees: yes\noff: off\n", "a.yaml").unwrap();
        assert_eq!(v["consent"], "no");
        assert_eq!(v["agrees"], "yes");
        assert_eq!(v["off"], "off");
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct S {
            a: u32,
        }
        let f = from_yaml::<S>("b: 1\n", "s.yaml").unwrap_err();
        assert_eq!(
            (f.code, f.line, f.file.as_str()),
            (Code::Schema, 1, "s.yaml")
        );
        let f = from_yaml::<S>("a: \"1\n", "s.yaml").unwrap_err();
        assert_eq!(f.code, Code::Yaml);
    }

    #[test]
    fn hostile_files_are_refused_by_the_budget() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let f = from_yaml::<serde_json::Value>(&deep, "d.yaml").unwrap_err();
        assert_eq!(f.code, Code::Yaml);
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (i, name) in ["b", "c", "d", "e", "f", "g", "h"].iter().enumerate() {
            let prev = ["a", "b", "c", "d", "e", "f", "g"][i];
            bomb.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        assert!(from_yaml::<serde_json::Value>(&bomb, "b.yaml").is_err());
    }

    #[test]
    fn unreadable_files_are_one_finding() {
        let e = load_file(Path::new("/no/such/dir/q.yaml")).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].code, Code::Yaml);
        assert!(e[0].message.contains("there is no such file"));
    }

    #[test]
    fn language_tags_and_ids() {
        assert!(is_language_tag("nb") && is_language_tag("en-GB") && is_language_tag("sr-Latn"));
        assert!(!is_language_tag("english") && !is_language_tag("e") && !is_language_tag(""));
        assert!(is_id("a_1", false) && !is_id("1a", false) && !is_id("a-b", false));
        assert!(is_id("a-b", true) && !is_id("", true));
    }
}
