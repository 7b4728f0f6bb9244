//! Rules for text that people type into the program (a person's reference, unit, officer,
//! contact, notes, text answers): it is data, never terminal control. Control characters and
//! bidirectional controls are refused at input, and every field has a length limit that the
//! message names. The questionnaire's own texts are not typed and keep what their author wrote
//! (right-to-left languages need their marks).
//!
//! Front ends check as the officer types (to show the field at fault); the store checks again
//! before it writes, so no path can store what these rules refuse.

/// The longest person reference: prisons use case numbers and pseudonyms, never prose.
pub const PERSON_MAX: usize = 64;
/// The longest unit (a prison or a unit in it).
pub const UNIT_MAX: usize = 80;
/// The longest officer (a name and a phone number or e-mail).
pub const OFFICER_MAX: usize = 200;
/// The longest contact on a referral.
pub const CONTACT_MAX: usize = 200;
/// The longest note (an officer's note on a question, a reviewer's note on a referral).
pub const NOTE_MAX: usize = 4000;
/// The longest answer to a `text` question.
pub const TEXT_ANSWER_MAX: usize = 4000;

/// Why a typed text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextProblem {
    /// Longer than the field allows.
    #[error("is {len} characters long; at most {max} are allowed")]
    TooLong {
        /// Its length in characters.
        len: usize,
        /// The field's limit.
        max: usize,
    },
    /// A control character (escape, carriage return, backspace, ...): it could drive the
    /// terminal that shows the text.
    #[error("contains the control character {}, which cannot be part of it", code(*.ch))]
    Control {
        /// The character.
        ch: char,
    },
    /// A bidirectional control (U+202A-202E, U+2066-2069, and the marks U+200E, U+200F,
    /// U+061C): it could make the text read as another.
    #[error(
        "contains the bidirectional control {}, which could make it read as something else",
        code(*.ch)
    )]
    Bidi {
        /// The character.
        ch: char,
    },
}

/// `U+001B`.
#[must_use]
pub fn code(ch: char) -> String {
    format!("U+{:04X}", u32::from(ch))
}

/// True for the bidirectional controls (embeddings, overrides, isolates and the direction
/// marks): the same set the output sanitiser shows visibly.
#[must_use]
pub fn is_bidi_control(ch: char) -> bool {
    crate::sanitize::is_bidi_control(ch)
}

/// Reads a date as people type it: ISO `2026-12-18`, or Norwegian `18.12.2026` (the day and
/// month may have one digit, `8.1.2027`; the year always has four, so a typo cannot land in
/// another century). `None` when it is neither, or no such day.
/// The one reader of typed dates: the interview's date questions and the release date of
/// `store::fields` both use it, and store the ISO form.
#[must_use]
pub fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    let t = text.trim();
    let num = |part: &str, digits: std::ops::RangeInclusive<usize>| -> Option<i16> {
        (digits.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    };
    let (y, m, d) = if let [y, m, d] = t.split('-').collect::<Vec<_>>()[..] {
        (num(y, 4..=4)?, num(m, 2..=2)?, num(d, 2..=2)?)
    } else if let [d, m, y] = t.split('.').collect::<Vec<_>>()[..] {
        (num(y, 4..=4)?, num(m, 1..=2)?, num(d, 1..=2)?)
    } else {
        return None;
    };
    jiff::civil::Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

/// Checks a one-line field (person, unit, officer, contact): no control characters at all,
/// no bidirectional controls, at most `max` characters.
///
/// # Errors
/// The first problem found.
pub fn check_line(value: &str, max: usize) -> Result<(), TextProblem> {
    check(value, max, false)
}

/// Checks a free text (a note, a text answer): newlines and tabs are allowed, other control
/// characters and bidirectional controls are not, at most `max` characters.
///
/// # Errors
/// The first problem found.
pub fn check_text(value: &str, max: usize) -> Result<(), TextProblem> {
    check(value, max, true)
}

fn check(value: &str, max: usize, multiline: bool) -> Result<(), TextProblem> {
    for ch in value.chars() {
        if ch.is_control() && !(multiline && matches!(ch, '\n' | '\t')) {
            return Err(TextProblem::Control { ch });
        }
        if is_bidi_control(ch) {
            return Err(TextProblem::Bidi { ch });
        }
    }
    let len = value.chars().count();
    if len > max {
        return Err(TextProblem::TooLong { len, max });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_in_iso_and_norwegian_form() {
        let d = jiff::civil::date(2026, 12, 18);
        assert_eq!(parse_date("2026-12-18"), Some(d));
        assert_eq!(parse_date(" 18.12.2026 "), Some(d));
        assert_eq!(parse_date("8.1.2027"), Some(jiff::civil::date(2027, 1, 8)));
        for bad in [
            "18.12.26",
            "31.02.2027",
            "2026-2-1",
            "2026/12/18",
            "18-12-2026",
            "",
            "18.12.2026.",
            "+1.1.2027",
            "1.1.-200",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn plain_text_and_other_scripts_pass() {
        assert_eq!(check_line("B-2026-117", PERSON_MAX), Ok(()));
        assert_eq!(check_line("Bredtveit fengsel, avd. Ø", UNIT_MAX), Ok(()));
        assert_eq!(check_text("مرحبا\n\tsecond line", NOTE_MAX), Ok(()));
    }

    #[test]
    fn escapes_and_bare_returns_are_refused() {
        assert_eq!(
            check_line("A\u{1b}]0;pwned\u{7}", PERSON_MAX),
            Err(TextProblem::Control { ch: '\u{1b}' })
        );
        assert_eq!(
            check_text("ok\rover", NOTE_MAX),
            Err(TextProblem::Control { ch: '\r' })
        );
        assert_eq!(
            check_line("two\nlines", UNIT_MAX),
            Err(TextProblem::Control { ch: '\n' })
        );
        assert_eq!(
            check_text("\u{9b}2J", NOTE_MAX),
            Err(TextProblem::Control { ch: '\u{9b}' })
        );
    }

    #[test]
    fn bidirectional_controls_are_refused() {
        for ch in ['\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{200F}'] {
            let v = format!("B-{ch}711-6202");
            assert_eq!(check_line(&v, PERSON_MAX), Err(TextProblem::Bidi { ch }));
            assert_eq!(check_text(&v, NOTE_MAX), Err(TextProblem::Bidi { ch }));
        }
    }

    #[test]
    fn the_limit_is_in_characters_and_named_in_the_message() {
        let at = "ø".repeat(PERSON_MAX);
        assert_eq!(check_line(&at, PERSON_MAX), Ok(()));
        let over = "x".repeat(70_000);
        let e = check_line(&over, PERSON_MAX).unwrap_err();
        assert_eq!(
            e.to_string(),
            "is 70000 characters long; at most 64 are allowed"
        );
        assert_eq!(
            TextProblem::Control { ch: '\u{1b}' }.to_string(),
            "contains the control character U+001B, which cannot be part of it"
        );
    }
}
