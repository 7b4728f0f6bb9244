//! The questionnaire file format (format 1): model, loading with positions, expressions,
//! lint, graph and schema. Knows nothing of screenings, storage or screens.

pub mod expr;
pub mod finding;
pub mod graph;
pub mod model;

pub use finding::{Code, Finding, Severity};
pub use model::*;
