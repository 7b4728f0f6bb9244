//! From the YAML library's errors and positions to findings: parser problems are `yaml`,
//! everything about the shape of the data is `schema`, each with the line and column the
//! library reports and, where the layout allows, the id of the item it is in.

use serde_saphyr::Location;

use super::convert::is_id;
use crate::questionnaire::finding::{Code, Finding};
use crate::questionnaire::model::Pos;
use crate::questionnaire::suggest::suggest;

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

pub(super) fn pos_of(l: &Location) -> Pos {
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
// The first entry whose field is among the expected ones wins, so the answers file and
// scenario file come first: their top levels share names (`referral`, `label`) with items of a
// questionnaire.
const PLACES: &[(&str, &str)] = &[
    ("officer", "at the top level of the answers file"),
    ("contact", "in the `referral:` block"),
    ("cases", "at the top level of the scenario file"),
    ("expect", "in a case"),
    ("asked", "in `expect:`"),
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
    ("lang", "in a `translations:` entry"),
];

/// Maps a serde-saphyr error to one finding: parser problems are `yaml`, everything about the
/// shape of the data is `schema`.
pub(super) fn error_finding(e: &serde_saphyr::Error, text: &str, file: &str) -> Finding {
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
                None if item_start(text, pos).line <= 1 => {
                    format!("the file has no `{field}:`, which is required")
                }
                None => format!("the required field `{field}` is missing here"),
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
    // The library places a missing field at the mapping's last key; the fix goes into the item,
    // so the finding points at the item's first line.
    let pos = if matches!(inner, E::SerdeMissingField { .. }) {
        item_start(text, pos)
    } else {
        pos
    };
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
pub(super) fn offset_of(text: &str, line: usize, column: usize) -> usize {
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

/// The first line of the (block-style) mapping that a position inside it belongs to: walking
/// up over the keys at the same indentation to the `- ` that starts a list item, or to the
/// first key of a mapping under a key (line 1 for the top level). Points at the first key.
/// A flow mapping (`{id: a, ...}`) is on one line, so the position itself is kept.
fn item_start(text: &str, pos: Pos) -> Pos {
    if pos.line == 0 {
        return pos;
    }
    let lines: Vec<&str> = text.lines().take(pos.line).collect();
    let Some(last) = lines.last() else {
        return pos;
    };
    if last.trim_start().trim_start_matches("- ").starts_with('{') {
        return pos;
    }
    let col = key_col(last);
    let mut start = None;
    for (i, l) in lines.iter().enumerate().rev() {
        let trimmed = l.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let k = key_col(l);
        if k < col {
            break;
        }
        if k == col {
            start = Some(i);
            if trimmed.starts_with("- ") {
                break;
            }
        }
    }
    let Some(i) = start else { return pos };
    let line = i + 1;
    Pos {
        line,
        column: col + 1,
        offset: offset_of(text, line, col + 1),
        len: 0,
    }
}

/// The column (0-based) where the key of a block-mapping line starts, after any `- `.
fn key_col(l: &str) -> usize {
    let indent = l.chars().take_while(|c| *c == ' ').count();
    let rest = &l[indent..];
    match rest.strip_prefix('-') {
        Some(after) if after.starts_with(' ') => {
            indent + 1 + after.chars().take_while(|c| *c == ' ').count()
        }
        _ => indent,
    }
}

/// The mapping key written on a line (`    observation: yes` -> `observation`).
fn key_on_line(text: &str, line: usize) -> Option<String> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let l = l.trim_start().trim_start_matches("- ");
    let (k, _) = l.split_once(':')?;
    is_id(k, false).then(|| k.to_owned())
}

/// The 1-based line of a top-level key.
pub(super) fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}
