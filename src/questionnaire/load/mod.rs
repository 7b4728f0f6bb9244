//! Reading questionnaire files (format 1) and other YAML inputs.
//!
//! This is the only module that touches YAML (serde-saphyr, and granit-parser, the parser
//! under it). A questionnaire is read once into the *raw* types of [`raw`] that mirror the
//! format exactly (unknown fields are refused, ids, references and conditions keep their
//! position with [`raw::Spanned`]), then [`convert`] turns them into the domain types of
//! [`super::model`], filling every [`Pos`]. A plainly well-formed file reaches the raw types by
//! the fast path of [`fast`] (straight from the parser's events); any other file, and so every
//! file with a problem, through serde-saphyr, which gives the same raw value (the fast path
//! steps aside whenever it could differ). Problems that stop the file from being understood
//! at all (`yaml`, `schema`, `format-version`) are returned as findings here, mapped from
//! serde-saphyr's errors by [`errors`]; everything that needs the whole questionnaire (unknown
//! references, unreachable questions, ...) is the linter's job.
//!
//! All parsing goes through [`parse_options`]: YAML 1.2 booleans only (`consent: no` stays the
//! string `no`) and a budget far below the library default, so a hostile or broken file cannot
//! exhaust memory or time.

mod convert;
mod errors;
mod fast;
mod positions;
mod raw;

use std::path::Path;

use serde::de::DeserializeOwned;

use self::convert::Convert;
pub(crate) use self::convert::is_language_tag;
pub(crate) use self::errors::finding;
use self::errors::{error_finding, line_of_key};
pub use self::positions::Positions;
pub(crate) use self::raw::RawQuestionnaire;
use self::raw::{FormatProbe, Spanned};
use super::finding::{Code, Finding};
use super::model::{Pos, Questionnaire, Translation, TranslationSource};

/// The parser options every YAML file is read with: YAML 1.2 booleans (so `no` and `off` stay
/// strings, as format 1 requires) and a budget sized for questionnaires. The largest file we
/// expect (5,000 questions in two languages, the benchmark) has about 150,000 nodes; a real
/// screening has a few thousand. Anchors and aliases are rare in trainer files, so they are
/// capped hard to stop alias bombs early.
fn parse_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        budget: serde_saphyr::budget! {
            max_reader_input_bytes: Some(BUDGET_MAX_SCALAR_BYTES),
            max_events: BUDGET_MAX_EVENTS,
            max_nodes: BUDGET_MAX_NODES,
            max_aliases: 2_000,
            max_anchors: 2_000,
            max_depth: 32,
            max_documents: 1,
            max_total_scalar_bytes: BUDGET_MAX_SCALAR_BYTES,
            max_merge_keys: 1_000,
        },
    }
}

/// The budget's limits that the fast path ([`fast`]) counts too, so that it gives way to
/// serde-saphyr (which then refuses the file) before a limit is reached.
const BUDGET_MAX_EVENTS: usize = 600_000;
const BUDGET_MAX_NODES: usize = 300_000;
const BUDGET_MAX_SCALAR_BYTES: usize = 16 * 1024 * 1024;

/// Where the PO files of a questionnaire's `translations:` come from.
#[derive(Debug, Clone, Copy)]
pub enum PoFiles<'a> {
    /// Read from disk, relative to the questionnaire file's folder (the name given to
    /// [`load_with`]), with the same limits as every other file read ([`read_file`]).
    Disk,
    /// The texts stored with a questionnaire snapshot, by language (an old screening shows
    /// the translation it was asked with, whatever the files on disk say now).
    Stored(&'a [TranslationSource]),
    /// Not read: each translation is kept with no messages (for `questionnaire translate`,
    /// which writes the PO files and needs only the texts and where the files go).
    Skip,
}

/// Reads a questionnaire from its text. `file` is the name used in findings; the PO files of
/// its `translations:` (if any) are read from disk relative to it.
///
/// # Errors
/// Every `yaml`, `format-version` and `schema` problem found, in file order. A YAML or
/// serde error stops the reading, so there is at most one of those; the checks done while
/// converting (id patterns, texts, fields that do not fit the question's kind) are all
/// collected. A translation file that cannot be read or is not valid PO is a `schema`
/// finding too (on the PO file's line, or on the `file:` line when the file is missing).
pub fn load_str(text: &str, file: &str) -> Result<Questionnaire, Vec<Finding>> {
    load_with(text, file, PoFiles::Disk)
}

/// As [`load_str`], with the PO files taken from `po`.
///
/// # Errors
/// As [`load_str`].
pub fn load_with(text: &str, file: &str, po: PoFiles<'_>) -> Result<Questionnaire, Vec<Finding>> {
    // One parse on the way to a good file: `format` is read with everything else and checked
    // right after. Only when the parse fails is `format` probed on its own (see
    // `format_probe`), so that a file of another format is told about the version.
    // A plainly well-formed file is read by the fast path; anything else (and every file with
    // a problem) by serde-saphyr, which gives the same raw value or the finding.
    let raw: RawQuestionnaire = match fast::parse(text) {
        Some(raw) => raw,
        None => match serde_saphyr::from_str_with_options(text, parse_options()) {
            Ok(raw) => raw,
            Err(e) => {
                format_probe(text, file).map_err(|f| vec![f])?;
                return Err(vec![error_finding(&e, text, file)]);
            }
        },
    };
    check_format(raw.format.as_ref(), text, file).map_err(|f| vec![f])?;
    let mut cx = Convert {
        file,
        text,
        languages: Vec::new(),
        findings: Vec::new(),
        translations: Vec::new(),
    };
    let mut q = cx.questionnaire(raw);
    let declared = std::mem::take(&mut cx.translations);
    let mut po_findings = Vec::new();
    for (lang, name, pos) in declared {
        let path = po_path(file, &name);
        if matches!(po, PoFiles::Skip) {
            q.translations
                .push(Translation::new(lang, name, path, pos, Vec::new()));
            continue;
        }
        let read = match po {
            PoFiles::Skip => continue,
            PoFiles::Disk => read_file(Path::new(&path)),
            PoFiles::Stored(stored) => stored
                .iter()
                .find(|s| s.lang == lang.name)
                .map(|s| s.text.clone())
                .ok_or_else(|| {
                    format!(
                        "the stored snapshot of this questionnaire has no translation into `{}`",
                        lang.name
                    )
                }),
        };
        let po_text = match read {
            Ok(t) => t,
            Err(why) => {
                cx.findings
                    .push(finding(file, pos, Code::Schema, Some(&lang.name), why));
                continue;
            }
        };
        match super::po::parse(&po_text) {
            Ok(parsed) => {
                q.source.translations.push(TranslationSource {
                    lang: lang.name.clone(),
                    file: name.clone(),
                    text: po_text,
                });
                q.translations
                    .push(Translation::new(lang, name, path, pos, parsed.messages));
            }
            Err(e) => po_findings.push(Finding {
                file: path,
                line: e.line,
                column: None,
                code: Code::Schema,
                severity: Code::Schema.severity(),
                id: Some(lang.name.clone()),
                message: format!("not a PO file this program can read: {}", e.message),
                span: None,
            }),
        }
    }
    if cx.findings.is_empty() && po_findings.is_empty() {
        Ok(q)
    } else {
        cx.findings.sort_by_key(|f| (f.line, f.column));
        cx.findings.extend(po_findings);
        Err(cx.findings)
    }
}

/// A translation's PO file as findings name it and as it is read: `file` joined to the
/// folder of the questionnaire named `questionnaire`.
#[must_use]
pub fn po_path(questionnaire: &str, file: &str) -> String {
    match Path::new(questionnaire).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(file).display().to_string(),
        _ => file.to_owned(),
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

/// The largest file read as a questionnaire, answers file or scenario file: 16 MB, far beyond
/// any real one (the 5,000-question benchmark is about 1 MB). Checked before reading, and the
/// read itself stops there, so a huge or endless file costs nothing.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a text file for loading, with a one-sentence reason when it cannot be read.
///
/// Only a regular file (or a link to one) is read: a directory, a device such as `/dev/zero`
/// or `/dev/urandom`, a named pipe or a socket is refused at once, before it is opened (a pipe
/// would block the open, a device would be read forever). A file larger than
/// [`MAX_FILE_BYTES`] is refused by its size before reading, and the read is bounded too, in
/// case the file grows in between.
///
/// # Errors
/// The reason, naming the file: missing, not a regular file, too large, unreadable or not
/// UTF-8 text.
pub fn read_file(path: &Path) -> Result<String, String> {
    use std::io::Read as _;
    let cannot = |why: &str| format!("cannot read `{}`: {why}", path.display());
    let io_why = |e: &std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => "there is no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(|e| cannot(&io_why(&e)))?;
    check_kind_and_size(&meta).map_err(|why| cannot(&why))?;
    let file = std::fs::File::open(path).map_err(|e| cannot(&io_why(&e)))?;
    // The metadata said "regular file" a moment ago, but the path may have been swapped since;
    // the open file itself is checked again, and the read stops one byte past the limit.
    let meta = file.metadata().map_err(|e| cannot(&io_why(&e)))?;
    check_kind_and_size(&meta).map_err(|why| cannot(&why))?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot(&io_why(&e)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(cannot(&too_large()));
    }
    String::from_utf8(bytes).map_err(|e| {
        cannot(&format!(
            "it is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Refuses what is not a regular file, and a regular file over the size limit.
fn check_kind_and_size(meta: &std::fs::Metadata) -> Result<(), String> {
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err("it is a directory".to_owned());
    }
    if !kind.is_file() {
        return Err(
            "it is not a regular file (a device, a named pipe or a socket cannot be read as one)"
                .to_owned(),
        );
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(())
}

fn too_large() -> String {
    format!(
        "it is larger than {} MB, the limit for questionnaires, answers and scenario files",
        MAX_FILE_BYTES / (1024 * 1024)
    )
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
// format
// ---------------------------------------------------------------------------------------------

/// Probes `format` alone (every other field ignored) when the whole file did not parse, so that
/// a file written for a later format is told so rather than drowned in "unknown field" errors.
#[allow(clippy::result_large_err)] // as from_yaml: once per file, on the way out
fn format_probe(text: &str, file: &str) -> Result<(), Finding> {
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
    check_format(probe.format.as_ref(), text, file)
}

/// `format` must be the unquoted number 1.
#[allow(clippy::result_large_err)] // as from_yaml: once per file, on the way out
fn check_format(format: Option<&Spanned<String>>, text: &str, file: &str) -> Result<(), Finding> {
    let Some(format) = format else {
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
    let pos = format.pos;
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::convert::{is_id, is_language_tag, yes_no_label};
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
