//! Answers and numbers as officers read them, shared by the screens and plain mode.

use super::strings::Strings;
use crate::questionnaire::Question;
use crate::screening::{Answer, AnswerError};

/// A number without a needless `.0`.
#[must_use]
pub fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

/// The label of choice `id` of `q` in `lang` (the id itself if the question lacks it).
#[must_use]
pub fn choice_label(q: &Question, id: &str, lang: &str) -> String {
    q.choice(id)
        .map_or_else(|| id.to_string(), |c| c.label.show(lang).to_string())
}

/// An answer in words.
#[must_use]
pub fn answer(q: &Question, a: &Answer, lang: &str, s: &Strings) -> String {
    match a {
        Answer::Choice(id) => choice_label(q, id, lang),
        Answer::Choices(ids) if ids.is_empty() => s.none_chosen.to_string(),
        Answer::Choices(ids) => ids
            .iter()
            .map(|id| choice_label(q, id, lang))
            .collect::<Vec<_>>()
            .join(", "),
        Answer::Number(n) => number(*n),
        Answer::Text(t) | Answer::Date(t) => t.clone(),
        Answer::DontKnow => s.dont_know.to_string(),
        Answer::Declined => s.declined.to_string(),
    }
}

/// What a number question accepts, in words ("a number from 0 to 24").
#[must_use]
pub fn bounds(q: &Question, s: &Strings) -> String {
    match (q.min, q.max) {
        (Some(a), Some(b)) => s
            .number_between
            .replace("{min}", &number(a))
            .replace("{max}", &number(b)),
        (Some(a), None) => s.number_at_least.replace("{min}", &number(a)),
        (None, Some(b)) => s.number_at_most.replace("{max}", &number(b)),
        (None, None) => s.number_any.to_string(),
    }
}

/// Why an answer was refused, in the officer's language for the mistakes people make while
/// typing (a number out of range, not a number, not a date); the session's own sentence
/// (which names the question id) otherwise.
#[must_use]
pub fn answer_error(q: &Question, e: &AnswerError, s: &Strings) -> String {
    match e {
        AnswerError::OutOfRange { value, .. } => {
            let range = bounds(q, s);
            let mut chars = range.chars();
            let range = chars.next().map_or_else(String::new, |c| {
                c.to_lowercase().chain(chars).collect::<String>()
            });
            s.err_range
                .replace("{value}", value)
                .replace("{range}", &range)
        }
        AnswerError::NotANumber { value, .. } => s
            .err_not_number
            .replace("{value}", value)
            .replace("{range}", &bounds(q, s)),
        AnswerError::NotADate { value, .. } => s.err_date.replace("{value}", value),
        AnswerError::Empty { .. } => s.type_first.to_string(),
        AnswerError::Required { .. } => s.required_no_skip.to_string(),
        AnswerError::SpecialNotAllowed { .. } | AnswerError::InfoTakesNoAnswer { .. } => {
            s.special_not_allowed.to_string()
        }
        AnswerError::ExclusiveWithOthers { choice, .. } => s
            .err_exclusive
            .replace("{choice}", &choice_label(q, choice, s.lang)),
        AnswerError::NoneChosen { .. } => {
            let labels: Vec<String> = q
                .choices
                .iter()
                .filter(|c| c.exclusive)
                .map(|c| c.label.show(s.lang).to_string())
                .collect();
            s.err_none_chosen.replace("{choice}", &labels.join(" / "))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_a_zero_fraction() {
        assert_eq!(number(14.0), "14");
        assert_eq!(number(1.5), "1.5");
        assert_eq!(number(-3.0), "-3");
    }
}
