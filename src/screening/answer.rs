//! Answers as the session takes and stores them.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::AnswerError;
use super::session::special_hint;
use super::typed;
use crate::questionnaire::scenario::AnswerInput;
use crate::questionnaire::{Kind, Question};

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

impl fmt::Display for Answer {
    /// The answer as a person would write it: `yes`, `unpaid, watched`, `14`, `2027-01-15`,
    /// `dont_know`, `declined` (an empty multi answer is `none`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Choice(s) | Self::Text(s) | Self::Date(s) => f.write_str(s),
            Self::Choices(cs) if cs.is_empty() => f.write_str("none"),
            Self::Choices(cs) => f.write_str(&cs.join(", ")),
            Self::Number(n) => write!(f, "{n}"),
            Self::DontKnow => f.write_str(DONT_KNOW),
            Self::Declined => f.write_str(DECLINED),
        }
    }
}

/// The special answers as written in files and typed input.
const DONT_KNOW: &str = "dont_know";
const DECLINED: &str = "declined";

impl Answer {
    /// True for `dont_know` and `declined`.
    #[must_use]
    pub fn is_special(&self) -> bool {
        matches!(self, Self::DontKnow | Self::Declined)
    }

    /// Reads an answer typed by the officer (plain mode, text fields) and checks it against
    /// the question.
    ///
    /// Accepted input, surrounding blanks ignored and words in any case:
    /// - `dont_know` and `declined`, or the short forms `?` and `-` (except for `text`
    ///   questions, where those characters are a text);
    /// - `yes_no`: `yes`/`no`, also `y`/`n` and Norwegian `ja`/`nei`, or `1`/`2`;
    /// - `single`: a choice id or its 1-based number;
    /// - `multi`: choice ids or numbers separated by commas or blanks (`1,3`, `unpaid watched`);
    ///   empty input means none chosen;
    /// - `number`: with `.` or `,` as decimal mark (`1.5`, `1,5`), optionally negative;
    /// - `date`: `YYYY-MM-DD` or Norwegian `DD.MM.YYYY`, a real day (kept as `YYYY-MM-DD`);
    /// - `text`: the text as typed (not empty).
    ///
    /// # Errors
    /// One sentence naming the question and the value, as [`AnswerError`].
    pub fn parse(q: &Question, input: &str) -> Result<Answer, AnswerError> {
        let t = input.trim();
        let lower = t.to_lowercase();
        let short_forms = q.kind != Kind::Text;
        let a = if lower == DONT_KNOW || (short_forms && t == "?") {
            Answer::DontKnow
        } else if lower == DECLINED || (short_forms && t == "-") {
            Answer::Declined
        } else {
            match q.kind {
                Kind::Info => {
                    return Err(AnswerError::InfoTakesNoAnswer {
                        question: q.id.name.clone(),
                    });
                }
                Kind::YesNo | Kind::Single => {
                    if t.is_empty() {
                        return Err(empty(q));
                    }
                    Answer::Choice(choice_token(q, t)?)
                }
                Kind::Multi => {
                    let mut ids = Vec::new();
                    for token in t.split([',', ' ', ';']).filter(|s| !s.is_empty()) {
                        let id = choice_token(q, token)?;
                        if ids.contains(&id) {
                            return Err(AnswerError::DuplicateChoice {
                                question: q.id.name.clone(),
                                value: id,
                            });
                        }
                        ids.push(id);
                    }
                    ids.sort_by_key(|c| q.choices.iter().position(|x| x.id.name == *c));
                    Answer::Choices(ids)
                }
                Kind::Number => Answer::Number(parse_number(q, t)?),
                Kind::Text => {
                    if t.is_empty() {
                        return Err(empty(q));
                    }
                    Answer::Text(t.to_string())
                }
                // `18.12.2026` as well as `2026-12-18`; stored (and compared) in ISO form.
                Kind::Date => Answer::Date(
                    super::typed::parse_date(t).map_or_else(|| t.to_string(), |d| d.to_string()),
                ),
            }
        };
        validate(q, &a)?;
        Ok(a)
    }

    /// Converts an answer written in a YAML file (scenario cases, `--answers` files) and
    /// checks it against the question. Choices are given by id (not by number), `multi`
    /// answers as a list (a single id is taken as a list of one), special answers as the
    /// words `dont_know` and `declined`.
    ///
    /// # Errors
    /// One sentence naming the question and the value, as [`AnswerError`].
    pub fn from_input(q: &Question, input: &AnswerInput) -> Result<Answer, AnswerError> {
        let wrong = |expected: &str| AnswerError::WrongKind {
            question: q.id.name.clone(),
            expected: expected.to_string(),
            value: input.to_string(),
        };
        let a = match input {
            AnswerInput::Text(s) if s == DONT_KNOW => Answer::DontKnow,
            AnswerInput::Text(s) if s == DECLINED => Answer::Declined,
            AnswerInput::Text(s) => match q.kind {
                Kind::Info => {
                    return Err(AnswerError::InfoTakesNoAnswer {
                        question: q.id.name.clone(),
                    });
                }
                Kind::YesNo | Kind::Single => Answer::Choice(s.clone()),
                Kind::Multi => Answer::Choices(vec![s.clone()]),
                Kind::Number => Answer::Number(parse_number(q, s.trim())?),
                Kind::Text => Answer::Text(s.clone()),
                Kind::Date => Answer::Date(s.trim().to_string()),
            },
            AnswerInput::Number(n) => match q.kind {
                Kind::Number => Answer::Number(*n),
                Kind::Text => Answer::Text(n.to_string()),
                _ => return Err(wrong(expected(q))),
            },
            AnswerInput::List(items) => match q.kind {
                Kind::Multi => Answer::Choices(items.clone()),
                _ => return Err(wrong(expected(q))),
            },
            AnswerInput::Bool(_) => return Err(wrong(expected(q))),
        };
        validate(q, &a)?;
        Ok(a)
    }
}

/// What a question takes, in words, for error messages.
fn expected(q: &Question) -> &'static str {
    match q.kind {
        Kind::YesNo => "`yes` or `no`",
        Kind::Single => "one of its choice ids",
        Kind::Multi => "a list of its choice ids",
        Kind::Number => "a number",
        Kind::Text => "a text",
        Kind::Date => "a date written like 2027-01-15",
        Kind::Info => "no answer",
    }
}

fn empty(q: &Question) -> AnswerError {
    AnswerError::Empty {
        question: q.id.name.clone(),
    }
}

fn choices_list(q: &Question) -> String {
    q.choices
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} `{}`", i + 1, c.id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A choice given by id (any case), by 1-based number, or for yes/no as y/n/ja/nei.
fn choice_token(q: &Question, token: &str) -> Result<String, AnswerError> {
    let lower = token.to_lowercase();
    if let Some(c) = q.choices.iter().find(|c| c.id.name == lower) {
        return Ok(c.id.name.clone());
    }
    if q.kind == Kind::YesNo {
        let id = match lower.as_str() {
            "y" | "ja" | "j" => Some("yes"),
            "n" | "nei" => Some("no"),
            _ => None,
        };
        if let Some(c) = id.and_then(|id| q.choice(id)) {
            return Ok(c.id.name.clone());
        }
    }
    if let Ok(n) = token.parse::<usize>()
        && let Some(c) = n.checked_sub(1).and_then(|i| q.choices.get(i))
    {
        return Ok(c.id.name.clone());
    }
    Err(AnswerError::UnknownChoice {
        question: q.id.name.clone(),
        value: token.to_string(),
        choices: choices_list(q),
    })
}

/// A decimal number with `.` or `,` as decimal mark and an optional minus sign. Exponents,
/// `inf` and `NaN` (which Rust's parser accepts) are refused: nobody types them on purpose.
fn parse_number(q: &Question, t: &str) -> Result<f64, AnswerError> {
    let not_a_number = || AnswerError::NotANumber {
        question: q.id.name.clone(),
        value: t.to_string(),
    };
    let digits = t.strip_prefix('-').unwrap_or(t);
    let mut marks = 0;
    let well_formed = !digits.is_empty()
        && digits.chars().all(|c| {
            if c == '.' || c == ',' {
                marks += 1;
                true
            } else {
                c.is_ascii_digit()
            }
        })
        && marks <= 1
        && digits.chars().any(|c| c.is_ascii_digit());
    if !well_formed {
        return Err(not_a_number());
    }
    let n: f64 = t.replace(',', ".").parse().map_err(|_| not_a_number())?;
    if n.is_finite() {
        Ok(n)
    } else {
        Err(not_a_number())
    }
}

/// True for `YYYY-MM-DD` naming a real day (2027-02-30 is not one).
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i16> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let (Ok(m), Ok(d)) = (i8::try_from(m), i8::try_from(d)) else {
        return false;
    };
    jiff::civil::Date::new(y, m, d).is_ok()
}

/// An exclusive choice is chosen alone, and a required question that has one is not answered
/// with the empty list (its exclusive choice says "none").
fn exclusive_rules(q: &Question, cs: &[String]) -> Result<(), AnswerError> {
    let ticks = |ids: &mut dyn Iterator<Item = &str>| {
        ids.map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
    };
    if cs.len() > 1
        && let Some(alone) = cs
            .iter()
            .find(|c| q.choice(c).is_some_and(|choice| choice.exclusive))
    {
        return Err(AnswerError::ExclusiveWithOthers {
            question: q.id.name.clone(),
            choice: alone.clone(),
            others: ticks(&mut cs.iter().filter(|c| *c != alone).map(String::as_str)),
        });
    }
    if cs.is_empty() && q.required && q.choices.iter().any(|c| c.exclusive) {
        let exclusive = ticks(
            &mut q
                .choices
                .iter()
                .filter(|c| c.exclusive)
                .map(|c| c.id.as_str()),
        );
        return Err(AnswerError::NoneChosen {
            question: q.id.name.clone(),
            exclusive,
        });
    }
    Ok(())
}

/// Checks that question `q` can take answer `a` (see [`super::Session::validate`]).
pub(crate) fn validate(q: &Question, a: &Answer) -> Result<(), AnswerError> {
    let id = || q.id.name.clone();
    if q.kind == Kind::Info {
        return Err(AnswerError::InfoTakesNoAnswer { question: id() });
    }
    let wrong = || AnswerError::WrongKind {
        question: id(),
        expected: expected(q).to_string(),
        value: a.to_string(),
    };
    match a {
        Answer::DontKnow | Answer::Declined => {
            let allowed = if matches!(a, Answer::DontKnow) {
                q.allow.dont_know
            } else {
                q.allow.declined
            };
            if !allowed {
                let hint = match special_hint(q).strip_prefix("; ") {
                    Some(h) => format!("{} and {h}", expected(q)),
                    None => format!("only {}", expected(q)),
                };
                return Err(AnswerError::SpecialNotAllowed {
                    question: id(),
                    value: a.to_string(),
                    hint: format!("it takes {hint}"),
                });
            }
        }
        Answer::Choice(c) => {
            if !matches!(q.kind, Kind::YesNo | Kind::Single) {
                return Err(wrong());
            }
            if q.choice(c).is_none() {
                return Err(AnswerError::UnknownChoice {
                    question: id(),
                    value: c.clone(),
                    choices: choices_list(q),
                });
            }
        }
        Answer::Choices(cs) => {
            if q.kind != Kind::Multi {
                return Err(wrong());
            }
            for (i, c) in cs.iter().enumerate() {
                if q.choice(c).is_none() {
                    return Err(AnswerError::UnknownChoice {
                        question: id(),
                        value: c.clone(),
                        choices: choices_list(q),
                    });
                }
                if cs.get(..i).is_some_and(|before| before.contains(c)) {
                    return Err(AnswerError::DuplicateChoice {
                        question: id(),
                        value: c.clone(),
                    });
                }
            }
            exclusive_rules(q, cs)?;
        }
        Answer::Number(n) => {
            if q.kind != Kind::Number {
                return Err(wrong());
            }
            if !n.is_finite() {
                return Err(AnswerError::NotANumber {
                    question: id(),
                    value: n.to_string(),
                });
            }
            let below = q.min.is_some_and(|min| *n < min);
            let above = q.max.is_some_and(|max| *n > max);
            if below || above {
                let range = match (q.min, q.max) {
                    (Some(lo), Some(hi)) => format!("numbers from {lo} to {hi}"),
                    (Some(lo), None) => format!("numbers of at least {lo}"),
                    (None, Some(hi)) => format!("numbers of at most {hi}"),
                    (None, None) => "any number".to_string(),
                };
                return Err(AnswerError::OutOfRange {
                    question: id(),
                    value: n.to_string(),
                    range,
                });
            }
        }
        Answer::Text(t) => {
            if q.kind != Kind::Text {
                return Err(wrong());
            }
            if t.trim().is_empty() {
                return Err(empty(q));
            }
            typed::check_text(t, typed::TEXT_ANSWER_MAX).map_err(|problem| {
                AnswerError::BadText {
                    question: id(),
                    what: "answer",
                    problem,
                }
            })?;
        }
        Answer::Date(d) => {
            if q.kind != Kind::Date {
                return Err(wrong());
            }
            if !is_iso_date(d) {
                return Err(AnswerError::NotADate {
                    question: id(),
                    value: d.clone(),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::fixture::sample;

    fn parse(id: &str, input: &str) -> Result<Answer, String> {
        let q = sample();
        let question = q.question(id).cloned().unwrap();
        Answer::parse(&question, input).map_err(|e| e.to_string())
    }

    fn from_input(id: &str, input: AnswerInput) -> Result<Answer, String> {
        let q = sample();
        let question = q.question(id).cloned().unwrap();
        Answer::from_input(&question, &input).map_err(|e| e.to_string())
    }

    fn c(s: &str) -> Answer {
        Answer::Choice(s.into())
    }

    #[test]
    fn typed_yes_no() {
        for (input, want) in [
            ("yes", "yes"),
            (" YES ", "yes"),
            ("y", "yes"),
            ("ja", "yes"),
            ("1", "yes"),
            ("no", "no"),
            ("nei", "no"),
            ("2", "no"),
        ] {
            assert_eq!(parse("job", input), Ok(c(want)), "{input}");
        }
        assert_eq!(
            parse("job", "3"),
            Err("`3` is not a choice of question `job`; its choices are 1 `yes`, 2 `no`".into())
        );
        assert_eq!(
            parse("job", ""),
            Err("no answer was given to question `job`".into())
        );
    }

    #[test]
    fn typed_specials_respect_allow() {
        assert_eq!(parse("job", "dont_know"), Ok(Answer::DontKnow));
        assert_eq!(parse("job", "?"), Ok(Answer::DontKnow));
        assert_eq!(parse("job", "Declined"), Ok(Answer::Declined));
        assert_eq!(parse("job", "-"), Ok(Answer::Declined));
        assert!(parse("agrees", "?").is_err());
        assert!(parse("help", "-").is_err());
        // In a text question `?` and `-` are text; the full words are still special.
        assert_eq!(parse("notes", "?"), Ok(Answer::Text("?".into())));
        assert_eq!(parse("notes", "declined"), Ok(Answer::Declined));
    }

    #[test]
    fn typed_choices() {
        assert_eq!(parse("who", "others"), Ok(c("others")));
        assert_eq!(parse("who", "2"), Ok(c("others")));
        assert!(parse("who", "0").is_err());
        assert!(parse("who", "friend").is_err());
        assert_eq!(
            parse("conds", "3, 1"),
            Ok(Answer::Choices(vec!["unpaid".into(), "none".into()]))
        );
        assert_eq!(
            parse("conds", "watched unpaid"),
            Ok(Answer::Choices(vec!["unpaid".into(), "watched".into()]))
        );
        assert_eq!(parse("conds", ""), Ok(Answer::Choices(vec![])));
        assert_eq!(
            parse("conds", "1,unpaid"),
            Err("`unpaid` is given twice in the answer to question `conds`".into())
        );
    }

    #[test]
    fn typed_numbers() {
        assert_eq!(parse("hours", "14"), Ok(Answer::Number(14.0)));
        assert_eq!(parse("hours", "1,5"), Ok(Answer::Number(1.5)));
        assert_eq!(parse("hours", " 7.25 "), Ok(Answer::Number(7.25)));
        assert_eq!(parse("hours", "24"), Ok(Answer::Number(24.0)));
        assert_eq!(
            parse("hours", "25"),
            Err(
                "25 is outside the range of question `hours`, which takes numbers from 0 to 24"
                    .into()
            )
        );
        assert!(parse("hours", "-1").is_err());
        for bad in [
            "", "abc", "1e3", "inf", "NaN", "1.2.3", "1,5,0", ".", "-", "12h",
        ] {
            let r = parse("hours", bad);
            assert!(
                r.is_err() || bad == "-",
                "{bad:?} should be refused, got {r:?}"
            );
        }
        assert_eq!(
            parse("hours", "12h"),
            Err("`12h` is not a number; question `hours` takes a number such as 14 or 1.5".into())
        );
    }

    #[test]
    fn typed_dates_and_texts() {
        assert_eq!(
            parse("arrived", "2027-01-15"),
            Ok(Answer::Date("2027-01-15".into()))
        );
        assert!(parse("arrived", "2027-13-01").is_err());
        assert!(parse("arrived", "2027-02-29").is_err());
        assert!(parse("arrived", "27-01-15").is_err());
        assert_eq!(
            parse("notes", "  he said   a lot  "),
            Ok(Answer::Text("he said   a lot".into()))
        );
        assert!(parse("notes", "   ").is_err());
        assert_eq!(
            parse("intro", "x"),
            Err("`intro` only shows information and takes no answer".into())
        );
    }

    #[test]
    fn file_inputs() {
        let t = |s: &str| AnswerInput::Text(s.into());
        assert_eq!(from_input("job", t("yes")), Ok(c("yes")));
        assert_eq!(
            from_input("job", AnswerInput::Bool(false)),
            Err("question `job` takes `yes` or `no`, not `false`".into())
        );
        // Numbers name choices only in typed input, never in files.
        assert!(from_input("who", AnswerInput::Number(2.0)).is_err());
        assert!(from_input("who", t("2")).is_err());
        assert_eq!(
            from_input("hours", AnswerInput::Number(14.0)),
            Ok(Answer::Number(14.0))
        );
        assert_eq!(from_input("hours", t("1,5")), Ok(Answer::Number(1.5)));
        assert!(from_input("hours", AnswerInput::Number(30.0)).is_err());
        assert_eq!(
            from_input(
                "conds",
                AnswerInput::List(vec!["watched".into(), "unpaid".into()])
            ),
            Ok(Answer::Choices(vec!["watched".into(), "unpaid".into()]))
        );
        assert_eq!(
            from_input("conds", t("watched")),
            Ok(Answer::Choices(vec!["watched".into()]))
        );
        assert_eq!(
            from_input("job", AnswerInput::List(vec!["yes".into()])),
            Err("question `job` takes `yes` or `no`, not `[yes]`".into())
        );
        assert_eq!(from_input("job", t("declined")), Ok(Answer::Declined));
        assert!(from_input("agrees", t("declined")).is_err());
        assert_eq!(
            from_input("notes", AnswerInput::Number(3.0)),
            Ok(Answer::Text("3".into()))
        );
        assert_eq!(
            from_input("arrived", t("2027-01-15")),
            Ok(Answer::Date("2027-01-15".into()))
        );
    }

    #[test]
    fn answers_display_as_written_and_serialise_as_the_store_keeps_them() {
        assert_eq!(Answer::Choices(vec![]).to_string(), "none");
        assert_eq!(
            Answer::Choices(vec!["a".into(), "b".into()]).to_string(),
            "a, b"
        );
        assert_eq!(Answer::Number(1.5).to_string(), "1.5");
        assert_eq!(Answer::Number(14.0).to_string(), "14");
        assert_eq!(
            serde_json::to_string(&c("yes")).unwrap(),
            r#"{"type":"choice","value":"yes"}"#
        );
        assert_eq!(
            serde_json::to_string(&Answer::DontKnow).unwrap(),
            r#"{"type":"dont_know"}"#
        );
    }
}
