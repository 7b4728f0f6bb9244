//! The questionnaire file format (format 1): model, loading with positions, expressions,
//! lint, graph and schema. Knows nothing of screenings, storage or screens.

pub mod expr;
pub mod finding;
#[cfg(test)]
pub(crate) mod fixture;
pub mod graph;
pub mod lint;
pub mod load;
pub mod model;
pub mod po;
pub mod scenario;
pub mod schema;
pub mod suggest;
pub mod translation;

pub use finding::{Code, Finding, Severity};
pub use model::*;

/// The name the built-in questionnaire goes by in messages and in stored snapshots.
pub const BUILTIN_NAME: &str = "built-in:prison-screening.yaml";

/// The built-in questionnaire's exact text, compiled into the binary so a fresh install works
/// with no set-up.
pub const BUILTIN_TEXT: &str = include_str!("../../questionnaires/prison-screening.yaml");

/// The built-in questionnaire, loaded and linted.
///
/// # Errors
/// The findings if it does not load or lint cleanly (tests keep it clean).
pub fn builtin() -> Result<Questionnaire, Vec<Finding>> {
    open(BUILTIN_TEXT, BUILTIN_NAME)
}

/// The content hash of a questionnaire (hex SHA-256): of the exact YAML alone when it has no
/// translations, so such a questionnaire keeps the hash it always had; otherwise of the YAML
/// followed by each translation's language, file name and exact PO text (each length-prefixed,
/// so no two different contents run together into the same bytes). A screening records it,
/// and the stored snapshot holds exactly these texts.
#[must_use]
pub fn content_hash(yaml: &str, translations: &[TranslationSource]) -> String {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    h.update(yaml.as_bytes());
    for t in translations {
        for part in [t.lang.as_str(), t.file.as_str(), t.text.as_str()] {
            h.update(b"\0");
            h.update(part.len().to_string().as_bytes());
            h.update(b":");
            h.update(part.as_bytes());
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Loads and lints a questionnaire: what `interview` and `questionnaire test` use before
/// running one.
///
/// # Errors
/// The findings (warnings included, sorted by line) when loading fails or lint finds at
/// least one error; warnings alone do not stop a questionnaire from being used.
pub fn open(text: &str, file: &str) -> Result<Questionnaire, Vec<Finding>> {
    open_with(text, file, load::PoFiles::Disk)
}

/// As [`open`], with the translations' PO files taken from `po` (a stored snapshot's).
///
/// # Errors
/// As [`open`].
pub fn open_with(
    text: &str,
    file: &str,
    po: load::PoFiles<'_>,
) -> Result<Questionnaire, Vec<Finding>> {
    let q = load::load_with(text, file, po)?;
    let findings = lint::lint(&q);
    if findings.iter().any(|f| f.severity == Severity::Error) {
        Err(findings)
    } else {
        Ok(q)
    }
}
