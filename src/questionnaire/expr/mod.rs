//! The expression language of format 1: conditions such as
//! `positive(recruitment) and hours > 12`.
//!
//! `parse` turns a string into an [`Expr`] (never panicking, whatever the input), `check`
//! type-checks it against a questionnaire, and `eval` computes it over an [`Env`] that the
//! screening session provides.

mod ast;
mod check;
mod eval;
pub mod fold;
mod parse;

pub use ast::{ArithOp, Call, CompareOp, Expr, Ident, SyntaxError, Value};
pub use check::{CheckContext, FUNCTIONS, Problem, check, questions_read, raised_read};
pub use eval::{eval, holds};
pub use fold::is_constant;
pub use parse::{op_str, parse, to_source};

use super::model::Strength;

/// What an expression can read while it is evaluated. The screening session implements it
/// over the answers of the questions that were actually asked.
pub trait Env {
    /// The value of a bare question id: the choice id for `yes_no` and `single`, the number
    /// for `number`, the text for `text` and `date`. [`Value::Missing`] when the question was
    /// not asked, not answered, or answered `dont_know` or `declined`.
    fn answer(&self, question: &str) -> Value;
    /// `answered(q)`: asked and given any answer, special answers included.
    fn answered(&self, question: &str) -> bool;
    /// `dont_know(q)`.
    fn dont_know(&self, question: &str) -> bool;
    /// `declined(q)`.
    fn declined(&self, question: &str) -> bool;
    /// `has(q, 'choice')` for `single` and `multi` questions.
    fn has(&self, question: &str, choice: &str) -> bool;
    /// `raised(x)` for an indicator or flag.
    fn raised(&self, id: &str) -> bool;
    /// `strong(d)`, `medium(d)`, `weak(d)` (with a strength) and `count(d)` (with `None`).
    fn count(&self, dimension: &str, strength: Option<Strength>) -> usize;
    /// `score(d)`: the sum of the weights of the raised indicators of `d`.
    fn score(&self, dimension: &str) -> f64;
    /// `positive(d)`.
    fn positive(&self, dimension: &str) -> bool;
}
