//! The questionnaire file format (format 1): model, loading with positions, expressions,
//! lint, graph and schema. Knows nothing of screenings, storage or screens.

pub mod expr;
pub mod finding;
pub mod graph;
pub mod lint;
pub mod load;
pub mod model;
pub mod scenario;
pub mod schema;

pub use finding::{Code, Finding, Severity};
pub use model::*;

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
