//! Text is data, never terminal control: the one output sanitiser every text writer uses.
//!
//! Text that people typed (a person reference, unit, officer, contact, note, text answer) and
//! text read from files (a questionnaire's ids and wording, a config file) may hold escape
//! sequences (`ESC ] 0 ; ... BEL` sets a window title, `ESC [ 2 J` clears the screen), a bare
//! carriage return or a backspace (which overwrite what was printed), or bidirectional controls
//! (which can make a reference read as another). Printed raw, they act on the terminal. Every
//! writer passes such text through one of the functions here, which show each of these
//! characters visibly as a Rust-style escape (`\u{1b}`), so what was stored can still be read
//! exactly and nothing acts on the terminal.
//!
//! | function | keeps | for |
//! | --- | --- | --- |
//! | [`visible`] | line breaks, tabs | typed data shown in a block (notes, text answers) |
//! | [`visible_line`] | nothing | typed data in one line or a table cell |
//! | [`visible_text`] | line breaks, tabs, bidi controls | the questionnaire's own texts (right-to-left languages keep their controls) and whole outputs already made of sanitised parts |
//! | [`markdown_inline`] | bidi controls; also escapes Markdown | text inside Markdown (typed data after [`visible`]): it cannot start a list item, heading, link or HTML |
//! | [`json_safe`] | everything serde_json keeps | JSON text: C1 controls, DEL and bidi controls as `\uXXXX`, still the same JSON value |
//!
//! The CLI's one writer (`commands::Out`) applies [`visible_text`] to everything it prints and
//! [`json_safe`] to JSON, so a writer that forgets a field still cannot put a control
//! character on the terminal; typed fields are passed through [`visible`] or [`visible_line`]
//! as well so their bidi controls are shown too. The terminal UI and plain mode use the same
//! functions.

use std::borrow::Cow;

/// A control character: C0 (U+0000-U+001F, including ESC, CR, backspace, BEL), DEL (U+007F)
/// or C1 (U+0080-U+009F, which some terminals obey like ESC sequences).
#[must_use]
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// A bidirectional formatting character: the embeddings and overrides U+202A-U+202E, the
/// isolates U+2066-U+2069, and the marks U+200E, U+200F and U+061C. In typed data they are
/// refused at input and shown visibly on output; the questionnaire's own right-to-left texts
/// keep theirs.
#[must_use]
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// The Unicode line and paragraph separators, which some terminals and viewers break lines at.
fn is_unicode_break(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

/// Which characters a function shows as escapes.
#[derive(Clone, Copy)]
struct Rule {
    keep_breaks: bool,
    keep_bidi: bool,
}

impl Rule {
    fn escapes(self, c: char) -> bool {
        if self.keep_breaks && (c == '\n' || c == '\t') {
            return false;
        }
        is_control(c) || is_unicode_break(c) || (!self.keep_bidi && is_bidi_control(c))
    }
}

fn apply(s: &str, rule: Rule) -> Cow<'_, str> {
    if !s.chars().any(|c| rule.escapes(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if rule.escapes(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn push_escape(out: &mut String, c: char) {
    use std::fmt::Write as _;
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
}

/// Typed data for a block of text: every control character, bidi control and Unicode line
/// separator shown as `\u{..}`; line breaks and tabs kept (a bare carriage return is shown).
#[must_use]
pub fn visible(s: &str) -> Cow<'_, str> {
    apply(
        s,
        Rule {
            keep_breaks: true,
            keep_bidi: false,
        },
    )
}

/// Typed data for one line or a table cell: as [`visible`], and line breaks and tabs shown as
/// `\u{a}` and `\u{9}` too, so one value stays one line.
#[must_use]
pub fn visible_line(s: &str) -> Cow<'_, str> {
    apply(
        s,
        Rule {
            keep_breaks: false,
            keep_bidi: false,
        },
    )
}

/// The program's output and the questionnaire's own texts: control characters shown as
/// `\u{..}`, line breaks, tabs and bidi controls kept (a right-to-left questionnaire text needs
/// its own).
#[must_use]
pub fn visible_text(s: &str) -> Cow<'_, str> {
    apply(
        s,
        Rule {
            keep_breaks: true,
            keep_bidi: true,
        },
    )
}

/// Text inside Markdown: shown as by [`visible_text`] (pass typed data through [`visible`]
/// first, so its bidi controls are shown too), with line breaks turned into spaces (so no line
/// can start a list item, heading, quote or table) and the characters that make headings,
/// emphasis, code, links, tables and HTML escaped with a backslash.
#[must_use]
pub fn markdown_inline(s: &str) -> String {
    let shown = visible_text(s);
    let mut o = String::with_capacity(shown.len());
    for c in shown.chars() {
        match c {
            '\n' | '\t' => o.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' => {
                o.push('\\');
                o.push(c);
            }
            _ => o.push(c),
        }
    }
    o
}

/// JSON as serde_json wrote it, with what serde_json leaves raw escaped as `\uXXXX`: DEL, the
/// C1 controls, bidi controls and the Unicode line separators. These can only occur inside
/// JSON strings, so the result is the same JSON value, safe to print on a terminal.
#[must_use]
pub fn json_safe(json: &str) -> Cow<'_, str> {
    let escapes = |c: char| {
        (is_control(c) && !matches!(c, '\n' | '\t' | '\r'))
            || is_bidi_control(c)
            || is_unicode_break(c)
    };
    if !json.chars().any(escapes) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if escapes(c) {
            use std::fmt::Write as _;
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NASTY: &str = "a\u{1b}]0;x\u{7}b\u{1b}[2Jc\rd\u{8}e";

    #[test]
    fn escapes_and_overwrites_are_shown_not_obeyed() {
        assert_eq!(
            visible(NASTY),
            "a\\u{1b}]0;x\\u{7}b\\u{1b}[2Jc\\u{d}d\\u{8}e"
        );
        assert_eq!(visible_text(NASTY), visible(NASTY));
        for f in [visible, visible_line, visible_text] {
            assert!(!f(NASTY).chars().any(is_control), "{}", f(NASTY));
        }
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(visible("Bredtveit, B-2026-117"), Cow::Borrowed(_)));
        assert!(matches!(visible_line("æøå ÆØÅ"), Cow::Borrowed(_)));
    }

    #[test]
    fn line_breaks_are_kept_in_blocks_and_shown_in_lines() {
        assert_eq!(visible("one\ntwo\tthree"), "one\ntwo\tthree");
        assert_eq!(visible_line("one\ntwo\tthree"), "one\\u{a}two\\u{9}three");
        assert_eq!(visible("one\r\ntwo"), "one\\u{d}\ntwo");
    }

    #[test]
    fn c1_controls_and_separators_are_shown() {
        assert_eq!(visible_text("a\u{9b}2Jb\u{2028}c"), "a\\u{9b}2Jb\\u{2028}c");
        assert_eq!(visible_text("a\u{7f}"), "a\\u{7f}");
    }

    #[test]
    fn bidi_controls_are_shown_in_typed_data_and_kept_in_questionnaire_texts() {
        let s = "B-\u{202e}711\u{202c}-2026";
        assert_eq!(visible(s), "B-\\u{202e}711\\u{202c}-2026");
        assert_eq!(visible_line("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
        assert_eq!(visible_text(s), s);
        assert!(is_bidi_control('\u{200f}'));
        assert!(!is_bidi_control('ا'));
    }

    #[test]
    fn markdown_cannot_start_blocks_or_links() {
        assert_eq!(markdown_inline("# [x](y) <b>"), "\\# \\[x\\](y) \\<b\\>");
        assert_eq!(
            markdown_inline("note\n- not an item\n## not a heading"),
            "note - not an item \\#\\# not a heading"
        );
        assert_eq!(markdown_inline("a\rb\u{1b}[2J"), "a\\\\u{d}b\\\\u{1b}\\[2J");
    }

    #[test]
    fn json_stays_the_same_value_and_holds_no_raw_control() {
        let value = serde_json::json!({"person": format!("{NASTY}\u{9b}\u{202e}\u{2028}\u{7f}")});
        let raw = serde_json::to_string(&value).unwrap();
        let safe = json_safe(&raw);
        assert!(
            !safe.chars().any(|c| is_control(c) || is_bidi_control(c)),
            "{safe}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        assert_eq!(json_safe(&pretty).lines().count(), pretty.lines().count());
    }
}
