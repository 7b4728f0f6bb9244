//! Answers and numbers as officers read them, shared by the screens and plain mode.

use super::officer::Strings;
use crate::questionnaire::Question;
use crate::screening::typed::{TextProblem, code};
use crate::screening::{Answer, AnswerError};
use crate::store::fields::{Field, Invalid, Problem};

/// Where the interview stands, in words: "Question 3 · 1 answered · about 5 left" (a
/// read-out item says "Read out" instead, since it is not a question). Only questions are
/// numbered and counted; what is left is "about" because answers can open or close
/// questions further on.
#[must_use]
pub fn progress(session: &crate::screening::Session, s: &Strings) -> String {
    let p = session.progress();
    let path = session.path();
    let here = match session.current() {
        Some(q) if q.kind == crate::questionnaire::Kind::Info => s.read_out_word.to_string(),
        _ => {
            let n = path
                .iter()
                .take(session.cursor() + 1)
                .filter(|q| q.kind != crate::questionnaire::Kind::Info)
                .count();
            format!("{} {}", s.question_word, n.max(1))
        }
    };
    format!(
        "{here} · {} · {}",
        s.answered_count.replace("{n}", &p.answered.to_string()),
        s.about_left.replace("{n}", &p.remaining.to_string())
    )
}

/// A stored RFC 3339 time as people read it, in the machine's time zone
/// (`2026-11-29 13:05`); the stored text itself when it does not parse.
#[must_use]
pub fn local_time(stored: &str) -> String {
    stored
        .parse::<jiff::Timestamp>()
        .map(|t| {
            // The zone is read once per process: jiff's own `TimeZone::system()` lists the
            // whole zoneinfo folder, once for every row of a long list.
            static ZONE: std::sync::OnceLock<jiff::tz::TimeZone> = std::sync::OnceLock::new();
            t.to_zoned_datetime(ZONE.get_or_init(crate::system::local_zone).clone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| stored.to_string())
}

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
        // Typed text is data: shown with any control character visible, never obeyed.
        Answer::Text(t) | Answer::Date(t) => crate::sanitize::visible_line(t).into_owned(),
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
        AnswerError::BadText { what, problem, .. } => text_problem(
            if *what == "note" {
                s.note_word
            } else {
                s.answer_word
            },
            problem,
            s,
        ),
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

/// The label of a typed field as the forms show it.
#[must_use]
pub fn field_label(f: Field, s: &Strings) -> &'static str {
    match f {
        Field::Unit => s.f_unit,
        Field::Officer => s.f_officer,
        Field::Person => s.f_person,
        Field::BirthYear => s.f_birth_year,
        Field::Nationality => s.f_nationality,
        Field::Language => s.f_language,
        Field::PersonLanguage => s.f_person_language,
        Field::ReleaseDate => s.f_release,
        Field::Contact => s.f_contact,
        Field::Note => s.note_word,
        Field::TextAnswer => s.answer_word,
    }
}

/// Why typed text was refused, naming the field by its label.
#[must_use]
pub fn text_problem(label: &str, p: &TextProblem, s: &Strings) -> String {
    match p {
        TextProblem::TooLong { len, max } => s
            .err_too_long
            .replace("{field}", label)
            .replace("{len}", &len.to_string())
            .replace("{max}", &max.to_string()),
        TextProblem::Control { ch } => s
            .err_control
            .replace("{field}", label)
            .replace("{code}", &code(*ch)),
        TextProblem::Bidi { ch } => s
            .err_bidi
            .replace("{field}", label)
            .replace("{code}", &code(*ch)),
    }
}

/// A refused field of the details or referral forms, in the officer's language.
#[must_use]
pub fn invalid(e: &Invalid, s: &Strings) -> String {
    let label = field_label(e.field, s);
    let value = e.value.as_str();
    match &e.problem {
        Problem::Empty if e.field == Field::Contact => s.err_contact.to_string(),
        Problem::Empty => s.err_required.replace("{field}", label),
        Problem::Text(p) => text_problem(label, p, s),
        Problem::BirthYear { max } => s
            .err_birth_year
            .replace("{value}", value)
            .replace("{max}", &max.to_string()),
        Problem::Nationality => s.err_nationality.replace("{value}", value),
        Problem::PersonLanguage => s.err_person_language.replace("{value}", value),
        Problem::NotADate => s.err_date.replace("{value}", value),
        Problem::DateWindow { earliest, latest } => s
            .err_date_window
            .replace("{value}", value)
            .replace("{from}", &earliest.to_string())
            .replace("{to}", &latest.to_string()),
        Problem::Language { .. } => e.to_string(),
    }
}

/// The special answers `q` takes ("don't know", "declined"), in the person's language and made
/// safe to print, joined for one line under the officer's; `None` for a read-out item or an
/// observation, when the question takes none, or when they are not translated. One function
/// for the screens and plain mode, so both offer the person the same words.
#[must_use]
pub fn person_specials(
    p: &crate::questionnaire::translation::PersonLanguage<'_>,
    q: &Question,
) -> Option<String> {
    use crate::questionnaire::Kind;
    use crate::questionnaire::translation::ProgramWord;
    if q.kind == Kind::Info || q.observation {
        return None;
    }
    let mut words = Vec::new();
    if q.allow.dont_know {
        words.push(p.program(ProgramWord::DontKnow)?);
    }
    if q.allow.declined {
        words.push(p.program(ProgramWord::Declined)?);
    }
    (!words.is_empty()).then(|| {
        words
            .iter()
            .map(|w| crate::sanitize::visible_line(w))
            .collect::<Vec<_>>()
            .join(" · ")
    })
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
