//! Why an answer was refused.

use super::typed::TextProblem;

/// An answer that the question cannot take, or an action the session cannot do now. Each
/// message is one sentence that names the question and the value at fault, fit to show the
/// officer or a trainer as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// A choice id (or number) the question does not have.
    #[error("`{value}` is not a choice of question `{question}`; its choices are {choices}")]
    UnknownChoice {
        /// The question id.
        question: String,
        /// What was given.
        value: String,
        /// The question's choices, listed for the message (`yes`, `no`).
        choices: String,
    },
    /// The same choice given twice in a `multi` answer.
    #[error("`{value}` is given twice in the answer to question `{question}`")]
    DuplicateChoice {
        /// The question id.
        question: String,
        /// The repeated choice id.
        value: String,
    },
    /// A `multi` answer holding an exclusive choice (such as "none of these") with others.
    #[error(
        "in question `{question}`, `{choice}` can only be chosen alone, but the answer also has {others}"
    )]
    ExclusiveWithOthers {
        /// The question id.
        question: String,
        /// The exclusive choice.
        choice: String,
        /// The other choices given, listed for the message (`` `unpaid`, `watched` ``).
        others: String,
    },
    /// An empty `multi` answer to a required question that has an exclusive choice: "none" is
    /// said with that choice.
    #[error("question `{question}` needs at least one choice; if none applies, choose {exclusive}")]
    NoneChosen {
        /// The question id.
        question: String,
        /// The exclusive choices, listed for the message (`` `none_of_these` ``).
        exclusive: String,
    },
    /// A number outside `min` and `max` (both inclusive).
    #[error("{value} is outside the range of question `{question}`, which takes {range}")]
    OutOfRange {
        /// The question id.
        question: String,
        /// The number given.
        value: String,
        /// The allowed range in words (`numbers from 0 to 24`).
        range: String,
    },
    /// Text that is not a finite number.
    #[error("`{value}` is not a number; question `{question}` takes a number such as 14 or 1.5")]
    NotANumber {
        /// The question id.
        question: String,
        /// What was given.
        value: String,
    },
    /// Text that is not a real ISO date.
    #[error("`{value}` is not a date; question `{question}` takes a date written like 2027-01-15")]
    NotADate {
        /// The question id.
        question: String,
        /// What was given.
        value: String,
    },
    /// `dont_know` or `declined` on a question whose `allow` leaves it out.
    #[error("question `{question}` does not take the answer `{value}`; {hint}")]
    SpecialNotAllowed {
        /// The question id.
        question: String,
        /// `dont_know` or `declined`.
        value: String,
        /// What the question does take.
        hint: String,
    },
    /// An answer of the wrong kind (a list for a `yes_no` question, a number for a date).
    #[error("question `{question}` takes {expected}, not `{value}`")]
    WrongKind {
        /// The question id.
        question: String,
        /// What the question takes, in words.
        expected: String,
        /// What was given.
        value: String,
    },
    /// Skipping a required question.
    #[error("question `{question}` is required and cannot be left unanswered{hint}")]
    Required {
        /// The question id.
        question: String,
        /// Which special answers could be given instead (may be empty).
        hint: String,
    },
    /// An answer given to an `info` item.
    #[error("`{question}` only shows information and takes no answer")]
    InfoTakesNoAnswer {
        /// The item's id.
        question: String,
    },
    /// Nothing typed, or a text answer of blanks only.
    #[error("no answer was given to question `{question}`")]
    Empty {
        /// The question id.
        question: String,
    },
    /// A text answer or a note that typed text may not be (control characters, too long).
    #[error("the {what} of question `{question}` {problem}")]
    BadText {
        /// The question id.
        question: String,
        /// "answer" or "note".
        what: &'static str,
        /// What is wrong with it.
        problem: TextProblem,
    },
    /// A prepared move applied after the cursor moved to another item.
    #[error(
        "the move prepared for question `{question}` no longer applies: the interview has moved"
    )]
    Moved {
        /// The question id the move was prepared for.
        question: String,
    },
    /// `answer` or `skip` after the interview reached its end.
    #[error("the interview is finished: there is no question to answer")]
    Finished,
}

impl AnswerError {
    /// The message, with "did you mean" added when a refused choice id is a near miss of one
    /// of the question's choices (`yest` for `yes`): what a file reader prints, where the
    /// trainer must find the typo in the file.
    #[must_use]
    pub fn explain(&self, q: &crate::questionnaire::Question) -> String {
        let hint = match self {
            Self::UnknownChoice { value, .. } => crate::questionnaire::suggest::suggest(
                value,
                q.choices.iter().map(|c| c.id.as_str()),
            )
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default(),
            _ => String::new(),
        };
        format!("{self}{hint}")
    }
}
