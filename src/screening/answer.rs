//! Answers as the session takes and stores them.

use serde::{Deserialize, Serialize};

/// One answer to a question. Special answers (`DontKnow`, `Declined`) raise nothing and have no
/// value in expressions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// A `yes_no` (`yes`/`no`) or `single` answer: the choice id.
    Choice(String),
    /// A `multi` answer: the chosen ids, in the question's order; empty means none.
    Choices(Vec<String>),
    /// A `number` answer.
    Number(f64),
    /// A `text` answer.
    Text(String),
    /// A `date` answer, ISO 8601 (`2027-01-15`).
    Date(String),
    /// The person does not know.
    DontKnow,
    /// The person did not want to answer.
    Declined,
}
