//! One screening as a pure state machine over a loaded questionnaire: which question is next,
//! going back, answers, raised indicators, positive dimensions and the outcome. Knows nothing of
//! storage or screens; every front end drives the same [`Session`].

pub mod answer;
mod env;
pub mod error;
pub mod result;
pub mod scenario;
pub mod session;
pub mod typed;
mod walk;

pub use answer::Answer;
pub(crate) use answer::validate;
pub use error::AnswerError;
pub use result::{RaisedItem, ScreeningResult};
pub use session::{Entry, Filled, ImmediateFlag, Move, Pending, Progress, Session};
