//! The raw serde types: a format-1 file exactly as written. Unknown fields are refused; ids,
//! references and conditions keep their position with `Spanned`. `pub(crate)` so that
//! schema.rs derives the JSON Schema from the very same types (it then cannot drift from what
//! the loader accepts); [`super::convert`] turns them into the model.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::errors::pos_of;
use crate::questionnaire::model::Pos;

/// A value with the position of its node: where the scalar, or the opening of the mapping or
/// sequence, was written. Read through the YAML library's own `Spanned` (which knows the
/// position), and built directly by the fast path of [`super::fast`]; the model only ever
/// needs the [`Pos`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spanned<T> {
    /// The value.
    pub(super) value: T,
    /// Where it was written.
    pub(super) pos: Pos,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        Ok(Spanned {
            value: s.value,
            pos: pos_of(&s.referenced),
        })
    }
}

/// The top level of a format-1 file.
#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "rosa-screen questionnaire, format 1")]
pub(crate) struct RawQuestionnaire {
    /// The format version: 1.
    // Read as written (any scalar) and checked after the one parse, so that a wrong or missing
    // version is reported as `format-version`; when the parse itself fails, the loader probes
    // `format` alone (see `load::format_probe`) so that a format-2 file is told about the
    // version, not about fields it does not know.
    // No `serde(default)`: a missing `Option` field is `None` anyway, and without it the schema
    // keeps `format` required.
    #[schemars(with = "FormatOne")]
    pub(super) format: Option<Spanned<String>>,
    /// The questionnaire id: `[a-z][a-z0-9_-]*`.
    #[schemars(with = "String", regex(pattern = r"^[a-z][a-z0-9_-]*$"))]
    pub(super) id: Spanned<String>,
    /// The content version trainers bump (write it quoted: `"2025.1"`).
    #[schemars(with = "String")]
    pub(super) version: Spanned<String>,
    /// Declared languages (BCP 47); the first is the default.
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub(super) languages: Spanned<Vec<Spanned<String>>>,
    /// The title.
    #[schemars(with = "TextSchema")]
    pub(super) title: Spanned<RawText>,
    /// An optional description.
    #[serde(default)]
    #[schemars(with = "Option<TextSchema>")]
    pub(super) description: Option<Spanned<RawText>>,
    /// Dimensions (at least one).
    #[schemars(length(min = 1))]
    pub(super) dimensions: Vec<RawDimension>,
    /// Indicators (at least one).
    #[schemars(length(min = 1))]
    pub(super) indicators: Vec<RawIndicator>,
    /// Flags (optional).
    #[serde(default)]
    pub(super) flags: Vec<RawFlag>,
    /// Sections (at least one).
    #[schemars(length(min = 1))]
    pub(super) sections: Vec<RawSection>,
    /// Outcomes (at least one); the last has no `when`.
    #[schemars(length(min = 1))]
    pub(super) outcomes: Vec<RawOutcome>,
    /// More languages, for the person being interviewed, each in a gettext PO file (optional).
    #[serde(default)]
    pub(crate) translations: Vec<RawTranslation>,
}

/// One entry of `translations:`.
#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Translation")]
pub(crate) struct RawTranslation {
    /// The person's language (a BCP 47 tag that is not one of `languages`).
    #[schemars(with = "String")]
    pub(crate) lang: Spanned<String>,
    /// The gettext PO file, relative to the questionnaire file.
    #[schemars(with = "String")]
    pub(crate) file: Spanned<String>,
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
#[derive(Debug, PartialEq)]
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
#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Dimension")]
pub(crate) struct RawDimension {
    /// The dimension id.
    #[schemars(with = "String", regex(pattern = r"^[a-z][a-z0-9_]*$"))]
    pub(super) id: Spanned<String>,
    /// Its label.
    #[schemars(with = "TextSchema")]
    pub(super) label: Spanned<RawText>,
    /// When the dimension counts as present (an expression).
    #[schemars(with = "String")]
    pub(super) positive_when: Spanned<String>,
}

/// Indicator strength.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, JsonSchema)]
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
#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Indicator")]
pub(crate) struct RawIndicator {
    /// The indicator id.
    #[schemars(with = "String", regex(pattern = r"^[a-z][a-z0-9_]*$"))]
    pub(super) id: Spanned<String>,
    /// The dimension it belongs to.
    #[schemars(with = "String")]
    pub(super) dimension: Spanned<String>,
    /// strong, medium or weak.
    pub(super) strength: RawStrength,
    /// Summed by `score(dimension)`; default 1.
    #[serde(default)]
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub(super) weight: Option<Spanned<f64>>,
    /// What the officer sees in the summary.
    #[schemars(with = "TextSchema")]
    pub(super) label: Spanned<RawText>,
    /// Raised when this holds (an expression), besides any `raises`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) when: Option<Spanned<String>>,
}

/// A flag.
#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Flag")]
pub(crate) struct RawFlag {
    /// The flag id.
    #[schemars(with = "String", regex(pattern = r"^[a-z][a-z0-9_]*$"))]
    pub(super) id: Spanned<String>,
    /// Its label.
    #[schemars(with = "TextSchema")]
    pub(super) label: Spanned<RawText>,
    /// What the officer must do.
    #[schemars(with = "TextSchema")]
    pub(super) advice: Spanned<RawText>,
    /// Raised when this holds (an expression), besides any `raises`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) when: Option<Spanned<String>>,
    /// Shown with its advice the moment an answer raises it, before the next question.
    #[serde(default)]
    pub(super) immediate: Option<bool>,
}

/// A section.
#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Section")]
pub(crate) struct RawSection {
    /// The section id.
    #[schemars(with = "String", regex(pattern = r"^[a-z][a-z0-9_]*$"))]
    pub(super) id: Spanned<String>,
    /// Its title.
    #[schemars(with = "TextSchema")]
    pub(super) title: Spanned<RawText>,
    /// Read out or shown at the section's start.
    #[serde(default)]
    #[schemars(with = "Option<TextSchema>")]
    pub(super) intro: Option<Spanned<RawText>>,
    /// The whole section is skipped when this does not hold (an expression).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) show_if: Option<Spanned<String>>,
    /// Its questions in order (an empty section is a warning, not an error).
    #[serde(default)]
    #[schemars(with = "Vec<RawQuestion>")]
    pub(super) questions: Vec<Spanned<RawQuestion>>,
}

/// Question kinds.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, JsonSchema)]
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
#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Question")]
pub(crate) struct RawQuestion {
    /// Unique across the whole file.
    #[schemars(with = "String", regex(pattern = r"^[a-z][a-z0-9_]*$"))]
    pub(super) id: Spanned<String>,
    /// yes_no, single, multi, number, text, date or info.
    pub(super) kind: RawKind,
    /// What is asked.
    #[schemars(with = "TextSchema")]
    pub(super) text: Spanned<RawText>,
    /// For the officer only.
    #[serde(default)]
    #[schemars(with = "Option<TextSchema>")]
    pub(super) guidance: Option<Spanned<RawText>>,
    /// Answered from what the officer saw or knows.
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    pub(super) observation: Option<Spanned<bool>>,
    /// Default true.
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    pub(super) required: Option<Spanned<bool>>,
    /// Which special answers are offered (default both).
    #[serde(default)]
    #[schemars(with = "Option<Vec<RawSpecial>>")]
    pub(super) allow: Option<Spanned<Vec<Spanned<RawSpecial>>>>,
    /// Asked only when this holds (an expression reading earlier questions).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) show_if: Option<Spanned<String>>,
    /// single and multi only.
    #[serde(default)]
    #[schemars(with = "Option<Vec<RawChoice>>")]
    pub(super) choices: Option<Spanned<Vec<RawChoice>>>,
    /// yes_no only: which answer raises which indicators and flags.
    #[serde(default)]
    #[schemars(with = "Option<RawYesNoRaises>")]
    pub(super) raises: Option<Spanned<RawYesNoRaises>>,
    /// number only: inclusive lower bound.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub(super) min: Option<Spanned<f64>>,
    /// number only: inclusive upper bound.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub(super) max: Option<Spanned<f64>>,
    /// Jumps evaluated after the question was shown; the first that holds wins.
    #[serde(default)]
    #[schemars(with = "Option<Vec<RawGoto>>")]
    pub(super) goto: Option<Vec<Spanned<RawGoto>>>,
    /// A field of the screening or referral this answer also fills, so it is never asked twice.
    #[serde(default)]
    #[schemars(with = "Option<FillsSchema>")]
    pub(super) fills: Option<Spanned<String>>,
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
#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Choice")]
pub(crate) struct RawChoice {
    /// The choice id (the answer value).
    #[schemars(with = "String", regex(pattern = r"^[a-z][a-z0-9_]*$"))]
    pub(super) id: Spanned<String>,
    /// What the officer sees.
    #[schemars(with = "TextSchema")]
    pub(super) label: Spanned<RawText>,
    /// Indicators and flags raised by this choice.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub(super) raises: Option<Vec<Spanned<String>>>,
    /// multi only: this choice (such as "none of these") can only be chosen alone.
    #[serde(default)]
    pub(super) exclusive: Option<bool>,
    /// The value this choice gives the field its question `fills`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) fills: Option<Spanned<String>>,
}

/// `raises:` of a yes_no question.
#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "YesNoRaises")]
pub(crate) struct RawYesNoRaises {
    /// Raised when the answer is yes.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub(super) yes: Option<Vec<Spanned<String>>>,
    /// Raised when the answer is no.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub(super) no: Option<Vec<Spanned<String>>>,
}

/// One `goto` entry.
#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Goto")]
pub(crate) struct RawGoto {
    /// The condition (an expression); optional on the last entry only.
    #[serde(default, rename = "if")]
    #[schemars(with = "Option<String>")]
    pub(super) cond: Option<Spanned<String>>,
    /// A later question or section id, or `end`.
    #[schemars(with = "String")]
    pub(super) to: Spanned<String>,
}

/// Whether a referral is recommended, offered or not made.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, JsonSchema)]
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
#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Outcome")]
pub(crate) struct RawOutcome {
    /// The outcome id.
    #[schemars(with = "String", regex(pattern = r"^[a-z][a-z0-9_]*$"))]
    pub(super) id: Spanned<String>,
    /// The condition; the last outcome has none.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) when: Option<Spanned<String>>,
    /// Its label.
    #[schemars(with = "TextSchema")]
    pub(super) label: Spanned<RawText>,
    /// What the officer should do now.
    #[schemars(with = "TextSchema")]
    pub(super) advice: Spanned<RawText>,
    /// recommended, offered or none.
    pub(super) referral: RawReferral,
}

/// The probe run only when the whole file does not deserialise: `format` alone, every other
/// field ignored.
#[derive(Debug, Deserialize)]
pub(super) struct FormatProbe {
    #[serde(default)]
    pub(super) format: Option<Spanned<String>>,
}
