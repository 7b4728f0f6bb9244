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
pub mod scenario;
pub mod schema;
pub mod suggest;

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

/// Loads and lints a questionnaire: what `interview` and `questionnaire test` use before
/// running one.
///
/// # Errors
/// The findings (warnings included, sorted by line) when loading fails or lint finds at
/// least one error; warnings alone do not stop a questionnaire from being used.
pub fn open(text: &str, file: &str) -> Result<Questionnaire, Vec<Finding>> {
    let q = load::load_str(text, file)?;
    let findings = lint::lint(&q);
    if findings.iter().any(|f| f.severity == Severity::Error) {
        Err(findings)
    } else {
        Ok(q)
    }
}
