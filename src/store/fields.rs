//! The one validator for what people type into a screening's details, a referral and a note.
//! Every front end (the screens, plain mode, `interview --answers`, the `referrals` commands)
//! checks through here, and the store checks again before it writes, so no path stores what
//! these rules refuse. Errors are typed ([`Invalid`]): the CLI prints the English sentence, the
//! screens say it in the officer's language.

use jiff::civil::Date;

use super::{NewReferral, NewScreening};
use crate::screening::typed::{self, TextProblem};

/// The earliest year of birth taken.
pub const BIRTH_YEAR_MIN: i32 = 1900;
/// The earliest release date taken: anything before is a typing mistake.
pub const RELEASE_EARLIEST: Date = jiff::civil::date(2000, 1, 1);
/// How many years ahead a release date may lie.
pub const RELEASE_YEARS_AHEAD: i16 = 10;

/// A field people type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The prison or unit.
    Unit,
    /// The officer.
    Officer,
    /// The person's reference.
    Person,
    /// The year of birth.
    BirthYear,
    /// The nationality.
    Nationality,
    /// The interview's language.
    Language,
    /// The person's own language.
    PersonLanguage,
    /// The release or transfer date.
    ReleaseDate,
    /// The referral's contact.
    Contact,
    /// A note (an officer's on a question, a reviewer's on a referral or a status change).
    Note,
    /// The answer to a `text` question.
    TextAnswer,
}

impl Field {
    /// The field's name in messages.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Unit => "unit",
            Self::Officer => "officer",
            Self::Person => "person reference",
            Self::BirthYear => "year of birth",
            Self::Nationality => "nationality",
            Self::Language => "language",
            Self::PersonLanguage => "person's language",
            Self::ReleaseDate => "release date",
            Self::Contact => "contact",
            Self::Note => "note",
            Self::TextAnswer => "text answer",
        }
    }

    /// The longest text the field takes, for text fields.
    #[must_use]
    pub fn max_len(self) -> usize {
        match self {
            Self::Unit => typed::UNIT_MAX,
            Self::Officer => typed::OFFICER_MAX,
            Self::Person => typed::PERSON_MAX,
            Self::Contact => typed::CONTACT_MAX,
            Self::Note => typed::NOTE_MAX,
            Self::TextAnswer => typed::TEXT_ANSWER_MAX,
            Self::BirthYear | Self::Nationality | Self::ReleaseDate => 10,
            Self::Language | Self::PersonLanguage => 35,
        }
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Required and empty.
    Empty,
    /// Typed text that is not allowed (control characters, too long).
    Text(TextProblem),
    /// Not a year from [`BIRTH_YEAR_MIN`] to `max` (this year).
    BirthYear {
        /// This year.
        max: i32,
    },
    /// Not a two-letter country code or `unknown`.
    Nationality,
    /// Not one of the questionnaire's languages.
    Language {
        /// The questionnaire's languages, comma-separated.
        known: String,
    },
    /// Not a language tag such as `ro` or `pt-BR`.
    PersonLanguage,
    /// Not a date.
    NotADate,
    /// A date outside the window a release can be in.
    DateWindow {
        /// The earliest date taken.
        earliest: Date,
        /// The latest date taken.
        latest: Date,
    },
}

/// A field that was refused, with the value given and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", sentence(self))]
pub struct Invalid {
    /// The field.
    pub field: Field,
    /// The value as given (shortened for the message when long).
    pub value: String,
    /// What is wrong.
    pub problem: Problem,
}

fn sentence(i: &Invalid) -> String {
    let name = i.field.name();
    let value = &i.value;
    match &i.problem {
        Problem::Empty => format!("the {name} is empty; it is needed"),
        Problem::Text(p) => format!("the {name} {p}"),
        Problem::BirthYear { max } => format!(
            "the year of birth `{value}` is not a year from {BIRTH_YEAR_MIN} to {max}; leave it empty if unknown"
        ),
        Problem::Nationality => format!(
            "the nationality `{value}` is not a two-letter country code (ISO 3166-1 alpha-2, such as NG) or `unknown`"
        ),
        Problem::Language { known } => {
            format!("the language `{value}` is not one of the questionnaire's ({known})")
        }
        Problem::PersonLanguage => format!(
            "the person's language `{value}` is not a language code such as `ro` or `pt-BR`"
        ),
        Problem::NotADate => {
            format!("the {name} `{value}` is not a date; write it as 18.12.2026 or 2026-12-18")
        }
        Problem::DateWindow { earliest, latest } => {
            format!("the {name} {value} is outside {earliest} to {latest}; check the year")
        }
    }
}

impl Invalid {
    /// A typed text refused by the rules of [`typed`].
    #[must_use]
    pub fn text(field: Field, value: &str, problem: TextProblem) -> Self {
        Self::new(field, value, Problem::Text(problem))
    }

    fn new(field: Field, value: &str, problem: Problem) -> Self {
        // A refused value may be huge or hostile: the message shows a short, visible part.
        let mut shown: String = value
            .chars()
            .take(40)
            .map(|c| {
                if c.is_control() || typed::is_bidi_control(c) {
                    '?'
                } else {
                    c
                }
            })
            .collect();
        if value.chars().count() > 40 {
            shown.push('…');
        }
        Self {
            field,
            value: shown,
            problem,
        }
    }
}

/// Checks a one-line text field: trimmed, required unless `optional`, no control characters
/// or bidirectional controls, within the field's length. Returns the trimmed text.
///
/// # Errors
/// The field and why.
pub fn line(field: Field, value: &str, optional: bool) -> Result<String, Invalid> {
    let v = value.trim();
    if v.is_empty() && !optional {
        return Err(Invalid::new(field, v, Problem::Empty));
    }
    typed::check_line(v, field.max_len()).map_err(|p| Invalid::new(field, v, Problem::Text(p)))?;
    Ok(v.to_owned())
}

/// Checks a note: trimmed, not empty, newlines and tabs allowed, no other control characters,
/// at most [`typed::NOTE_MAX`] characters. Returns the trimmed text.
///
/// # Errors
/// Why the note is refused.
pub fn note(value: &str) -> Result<String, Invalid> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Invalid::new(Field::Note, v, Problem::Empty));
    }
    typed::check_text(v, typed::NOTE_MAX)
        .map_err(|p| Invalid::new(Field::Note, v, Problem::Text(p)))?;
    Ok(v.to_owned())
}

/// A typed year of birth: empty is unknown; else a year from [`BIRTH_YEAR_MIN`] to `this_year`.
///
/// # Errors
/// When it is not such a year.
pub fn birth_year(text: &str, this_year: i32) -> Result<Option<i32>, Invalid> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i32>() {
        Ok(y) => check_birth_year(y, this_year).map(Some),
        Err(_) => Err(Invalid::new(
            Field::BirthYear,
            t,
            Problem::BirthYear { max: this_year },
        )),
    }
}

fn check_birth_year(y: i32, this_year: i32) -> Result<i32, Invalid> {
    if (BIRTH_YEAR_MIN..=this_year).contains(&y) {
        Ok(y)
    } else {
        Err(Invalid::new(
            Field::BirthYear,
            &y.to_string(),
            Problem::BirthYear { max: this_year },
        ))
    }
}

/// A typed nationality: empty or `unknown` (any case) is `unknown`; two letters are a
/// country code, stored in upper case.
///
/// # Errors
/// When it is neither.
pub fn nationality(text: &str) -> Result<String, Invalid> {
    let t = text.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("unknown") {
        Ok("unknown".to_owned())
    } else if t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(t.to_ascii_uppercase())
    } else {
        Err(Invalid::new(Field::Nationality, t, Problem::Nationality))
    }
}

/// A typed person's language: empty, or the interview's own language, is none; else a tag of
/// letters, digits and `-` starting with a letter, at most 35 characters.
///
/// # Errors
/// When it is not such a tag.
pub fn person_language(text: &str, language: &str) -> Result<Option<String>, Invalid> {
    let t = text.trim();
    if t.is_empty() || t == language {
        Ok(None)
    } else if t.len() <= Field::PersonLanguage.max_len()
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && t.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
    {
        Ok(Some(t.to_owned()))
    } else {
        Err(Invalid::new(
            Field::PersonLanguage,
            t,
            Problem::PersonLanguage,
        ))
    }
}

/// A typed release date: empty is none; else a date (`2026-12-18` or `18.12.2026`) in the
/// window of
/// [`check_release_date`].
///
/// # Errors
/// When it is not a date, or outside the window.
pub fn release_date(text: &str, today: Date) -> Result<Option<Date>, Invalid> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    // The one reader of typed dates: ISO or Norwegian `18.12.2026`.
    let d = typed::parse_date(t)
        .ok_or_else(|| Invalid::new(Field::ReleaseDate, t, Problem::NotADate))?;
    check_release_date(d, today).map(Some)
}

/// A release date from [`RELEASE_EARLIEST`] to [`RELEASE_YEARS_AHEAD`] years after `today`.
///
/// # Errors
/// When it is outside that window.
pub fn check_release_date(d: Date, today: Date) -> Result<Date, Invalid> {
    let latest = today
        .checked_add(jiff::Span::new().years(RELEASE_YEARS_AHEAD))
        .unwrap_or(Date::MAX);
    if d < RELEASE_EARLIEST || d > latest {
        return Err(Invalid::new(
            Field::ReleaseDate,
            &d.to_string(),
            Problem::DateWindow {
                earliest: RELEASE_EARLIEST,
                latest,
            },
        ));
    }
    Ok(d)
}

impl NewScreening {
    /// The details checked and tidied (text trimmed, the nationality in upper case or
    /// `unknown`, the person's language dropped when it is the interview's): every rule for
    /// a screening's details, in one place. `languages` are the questionnaire's (empty: not
    /// checked); `this_year` is the latest year of birth taken.
    ///
    /// # Errors
    /// The first field at fault and why.
    pub fn validated(self, languages: &[String], this_year: i32) -> Result<Self, Invalid> {
        let unit = line(Field::Unit, &self.unit, false)?;
        let officer = line(Field::Officer, &self.officer, false)?;
        let person = line(Field::Person, &self.person, false)?;
        let birth_year = self
            .birth_year
            .map(|y| check_birth_year(y, this_year))
            .transpose()?;
        let nationality = nationality(&self.nationality)?;
        // A questionnaire built in code may list no languages: then there is nothing to check
        // the language against (a loaded questionnaire always lists them).
        if !languages.is_empty() && !languages.contains(&self.language) {
            return Err(Invalid::new(
                Field::Language,
                &self.language,
                Problem::Language {
                    known: languages.join(", "),
                },
            ));
        }
        let person_language = match &self.person_language {
            Some(pl) => person_language(pl, &self.language)?,
            None => None,
        };
        Ok(Self {
            unit,
            officer,
            person,
            birth_year,
            nationality,
            person_language,
            ..self
        })
    }
}

impl NewReferral {
    /// The referral checked and tidied: the contact is required (ROSA must reach the
    /// officer) and plain text, the release date lies in its window around `today`.
    ///
    /// # Errors
    /// The first field at fault and why.
    pub fn validated(self, today: Date) -> Result<Self, Invalid> {
        let contact = line(Field::Contact, &self.contact, false)?;
        let release_date = self
            .release_date
            .map(|d| check_release_date(d, today))
            .transpose()?;
        Ok(Self {
            contact,
            release_date,
            ..self
        })
    }
}

/// Today in the machine's time zone: the reference for release dates.
#[must_use]
pub fn today() -> Date {
    crate::system::local_today()
}

/// This year in the machine's time zone: the latest year of birth.
#[must_use]
pub fn this_year() -> i32 {
    i32::from(today().year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Consent, Gender, Interpreter};

    fn details() -> NewScreening {
        NewScreening {
            unit: " Bredtveit ".into(),
            officer: "Officer B, 555 01 234".into(),
            person: "B-2026-117".into(),
            gender: Gender::Female,
            birth_year: Some(1990),
            nationality: "ng".into(),
            language: "en".into(),
            interpreter: Some(Interpreter::None),
            person_language: Some("en".into()),
        }
    }

    fn langs() -> Vec<String> {
        vec!["nb".into(), "en".into()]
    }

    #[test]
    fn good_details_are_tidied() {
        let d = details().validated(&langs(), 2026).unwrap();
        assert_eq!(d.unit, "Bredtveit");
        assert_eq!(d.nationality, "NG");
        assert_eq!(d.person_language, None, "the interview's own language");
    }

    #[test]
    fn one_rule_for_the_year_of_birth() {
        for y in [1899, 2027] {
            let e = NewScreening {
                birth_year: Some(y),
                ..details()
            }
            .validated(&langs(), 2026)
            .unwrap_err();
            assert_eq!(e.field, Field::BirthYear);
            assert_eq!(
                e.to_string(),
                format!(
                    "the year of birth `{y}` is not a year from 1900 to 2026; leave it empty if unknown"
                )
            );
        }
        assert_eq!(birth_year("", 2026), Ok(None));
        assert_eq!(birth_year(" 1990 ", 2026), Ok(Some(1990)));
        assert!(birth_year("nineteen", 2026).is_err());
    }

    #[test]
    fn typed_fields_refuse_terminal_control_and_say_the_limit() {
        let e = NewScreening {
            person: "x".repeat(70_000),
            ..details()
        }
        .validated(&langs(), 2026)
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "the person reference is 70000 characters long; at most 64 are allowed"
        );
        let e = NewScreening {
            unit: "Unit\u{1b}]0;owned\u{7}".into(),
            ..details()
        }
        .validated(&langs(), 2026)
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "the unit contains the control character U+001B, which cannot be part of it"
        );
        let e = NewScreening {
            officer: "B\u{202E}711".into(),
            ..details()
        }
        .validated(&langs(), 2026)
        .unwrap_err();
        assert!(e.to_string().contains("U+202E"), "{e}");
        assert!(matches!(
            NewScreening {
                person: "  ".into(),
                ..details()
            }
            .validated(&langs(), 2026),
            Err(Invalid {
                field: Field::Person,
                problem: Problem::Empty,
                ..
            })
        ));
    }

    #[test]
    fn languages_and_nationality() {
        assert!(
            NewScreening {
                language: "fr".into(),
                ..details()
            }
            .validated(&langs(), 2026)
            .is_err()
        );
        assert_eq!(nationality("Unknown"), Ok("unknown".into()));
        assert!(nationality("Nigeria").is_err());
        assert_eq!(person_language("pt-BR", "en"), Ok(Some("pt-BR".into())));
        assert!(person_language("1x", "en").is_err());
    }

    #[test]
    fn release_dates_outside_a_sane_window_are_refused() {
        let today = jiff::civil::date(2026, 11, 30);
        assert_eq!(
            release_date("2027-01-15", today),
            Ok(Some(jiff::civil::date(2027, 1, 15)))
        );
        assert_eq!(release_date("", today), Ok(None));
        let e = release_date("1999-12-31", today).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the release date 1999-12-31 is outside 2000-01-01 to 2036-11-30; check the year"
        );
        assert!(release_date("2036-12-01", today).is_err());
        assert!(release_date("2036-11-30", today).is_ok());
        assert_eq!(
            release_date("18.12.2026", today),
            Ok(Some(jiff::civil::date(2026, 12, 18))),
            "Norwegian dates are taken as well as ISO"
        );
        assert!(matches!(
            release_date("15.01.2027x", today),
            Err(Invalid {
                problem: Problem::NotADate,
                ..
            })
        ));
        let r = NewReferral {
            consent: Consent::Named,
            release_date: Some(jiff::civil::date(9999, 1, 1)),
            expulsion: None,
            contact: "B".into(),
        };
        assert!(r.validated(today).is_err());
    }

    #[test]
    fn notes_keep_lines_but_not_escapes() {
        assert_eq!(note(" a\nb\tc "), Ok("a\nb\tc".into()));
        assert!(note("a\u{1b}[2J").is_err());
        assert!(note(&"x".repeat(4001)).is_err());
        assert!(note("   ").is_err());
        let e = note("\u{1b}[31mred").unwrap_err();
        assert!(
            !e.to_string().contains('\u{1b}'),
            "the message never echoes control"
        );
    }
}
