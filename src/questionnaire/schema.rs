//! The JSON Schema of format 1, for editors (VS Code's YAML extension and the like).
//!
//! It is generated from the loader's own raw serde types, so it cannot drift from what the
//! loader accepts. It describes the shape only: references, expressions and translations are
//! checked by `questionnaire lint`.

use super::load::RawQuestionnaire;

/// The JSON Schema (draft 2020-12) of a format-1 questionnaire file, pretty-printed.
#[must_use]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RawQuestionnaire);
    // Serialising a `serde_json::Value` tree cannot fail; fall back to the compact form anyway
    // rather than panic.
    serde_json::to_string_pretty(&schema).unwrap_or_else(|_| schema.as_value().to_string())
}
