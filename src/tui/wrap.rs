//! Word wrapping of styled lines with a hanging indent, shared by every screen that must never
//! clip a word: continuation rows start under the first row's text (its leading spaces plus
//! two), so a wrapped item still reads as one item, and styles survive the wrap.
//!
//! Screens wrap their lines themselves (instead of ratatui's `Wrap`) when they need to know
//! how many rows the text takes (to scroll to its very end) or want the hanging indent.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// How many cells `text` takes on a terminal (wide characters count two).
#[must_use]
pub fn width(text: &str) -> usize {
    Span::raw(text).width()
}

fn char_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    width(c.encode_utf8(&mut buf))
}

/// One word of a line: its characters with their styles, and the style of the gap before it.
struct Word {
    chars: Vec<(char, Style)>,
    gap: Style,
}

impl Word {
    fn width(&self) -> usize {
        self.chars.iter().map(|(c, _)| char_width(*c)).sum()
    }
}

/// Groups consecutive characters of one style into spans.
fn to_line(cells: &[(char, Style)], line_style: Style) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut text = String::new();
    let mut style: Option<Style> = None;
    for (c, s) in cells {
        if style.is_some_and(|x| x != *s) {
            spans.push(Span::styled(
                std::mem::take(&mut text),
                style.unwrap_or_default(),
            ));
        }
        style = Some(*s);
        text.push(*c);
    }
    if !text.is_empty() {
        spans.push(Span::styled(text, style.unwrap_or_default()));
    }
    Line::from(spans).style(line_style)
}

/// The no-break space: words joined by it wrap as one (a label and its count, a phone number).
pub const NBSP: char = '\u{a0}';

/// Wraps one styled line to `width` cells. Runs of spaces between words become one space;
/// leading spaces are kept; continuation rows are indented by the leading spaces plus two
/// (at most half the width). A word longer than a row is split where the row ends, so nothing
/// is ever cut off. An empty line stays one empty row. Words joined by [`NBSP`] stay together.
#[must_use]
pub fn wrap_line(line: &Line<'_>, width: usize) -> Vec<Line<'static>> {
    wrap_line_hanging(line, width, 2)
}

/// Wraps plain text to `width` cells with no hanging indent (table cells, narrow columns).
#[must_use]
pub fn wrap_flush(text: &str, width: usize) -> Vec<String> {
    wrap_line_hanging(&Line::raw(text), width, 0)
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

/// The longest word of `text` (what a column needs so that no word is split).
#[must_use]
pub fn longest_word(text: &str) -> usize {
    text.split(|c: char| c.is_whitespace() && c != NBSP)
        .map(width)
        .max()
        .unwrap_or(0)
}

/// [`wrap_line`] with continuation rows indented `hang` cells more than the first.
#[must_use]
pub fn wrap_line_hanging(line: &Line<'_>, width: usize, hang: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let cells: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
        .collect();
    let glued = glued_spaces(&cells);
    let lead = cells.iter().take_while(|(c, _)| *c == ' ').count();
    let lead_width = lead.min(width / 2);
    let indent = (lead_width + hang).min(width / 2);
    let mut words: Vec<Word> = Vec::new();
    let mut gap = Style::default();
    let mut current: Vec<(char, Style)> = Vec::new();
    for (i, &(c, s)) in cells.iter().enumerate().skip(lead) {
        if c.is_whitespace() && c != NBSP && !glued.get(i).copied().unwrap_or(false) {
            if !current.is_empty() {
                words.push(Word {
                    chars: std::mem::take(&mut current),
                    gap,
                });
            }
            gap = s;
        } else {
            current.push((c, s));
        }
    }
    if !current.is_empty() {
        words.push(Word {
            chars: current,
            gap,
        });
    }
    let lead_style = cells.first().map(|(_, s)| *s).unwrap_or_default();
    let mut rows: Vec<Vec<(char, Style)>> = Vec::new();
    let mut row: Vec<(char, Style)> = vec![(' ', lead_style); lead_width];
    let mut used = lead_width;
    let mut fresh = true;
    for word in words {
        let w = word.width();
        if !fresh && used + 1 + w > width {
            rows.push(std::mem::take(&mut row));
            row = vec![(' ', Style::default()); indent];
            used = indent;
            fresh = true;
        }
        if !fresh {
            row.push((' ', word.gap));
            used += 1;
        }
        for (c, s) in word.chars {
            let cw = char_width(c);
            if used + cw > width && used > indent {
                rows.push(std::mem::take(&mut row));
                row = vec![(' ', Style::default()); indent];
                used = indent;
            }
            row.push((c, s));
            used += cw;
        }
        fresh = false;
    }
    rows.push(row);
    rows.iter().map(|r| to_line(r, line.style)).collect()
}

/// Which cells are spaces inside a phone number (`+47 22 33 11 60`, `466 15 000`): a space
/// between a group of digits (with an optional `+` or opening bracket before it) and the next
/// group (with optional closing punctuation after it). A number split over two rows is easily
/// misdialled, so such a space never breaks a row.
fn glued_spaces(cells: &[(char, Style)]) -> Vec<bool> {
    let chars: Vec<char> = cells.iter().map(|(c, _)| *c).collect();
    let token = |from: usize, to: usize| -> String { chars[from..to].iter().collect() };
    let mut glued = vec![false; chars.len()];
    for i in 0..chars.len() {
        if chars[i] != ' ' || i == 0 || i + 1 >= chars.len() {
            continue;
        }
        let start = chars[..i]
            .iter()
            .rposition(|c| c.is_whitespace())
            .map_or(0, |p| p + 1);
        let end = chars[i + 1..]
            .iter()
            .position(|c| c.is_whitespace())
            .map_or(chars.len(), |p| i + 1 + p);
        let before = token(start, i);
        let after = token(i + 1, end);
        let before = before.trim_start_matches(['(', '[', '\u{ab}', '"', '+']);
        let after = after.trim_end_matches(['.', ',', ';', ':', ')', ']', '!', '?', '\u{bb}', '"']);
        let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
        glued[i] = digits(before) && digits(after);
    }
    glued
}

/// Wraps every line (see [`wrap_line`]).
#[must_use]
pub fn wrap_lines(lines: &[Line<'_>], width: usize) -> Vec<Line<'static>> {
    lines.iter().flat_map(|l| wrap_line(l, width)).collect()
}

/// Wraps plain text to `width` cells with the hanging indent of [`wrap_line`].
#[must_use]
pub fn wrap_text(text: &str, width: usize) -> Vec<String> {
    wrap_line(&Line::raw(text), width)
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    #[test]
    fn words_wrap_with_a_hanging_indent_and_are_never_cut() {
        assert_eq!(
            wrap_text("  - a bb ccc dddd", 10),
            vec!["  - a bb", "    ccc", "    dddd"]
        );
        assert_eq!(wrap_text("", 10), vec![""]);
        assert_eq!(
            wrap_text("abcdefghijklmnop", 8),
            vec!["abcdefgh", "  ijklmn", "  op"]
        );
        assert_eq!(
            wrap_text("growing cannabis or theft", 20),
            vec!["growing cannabis or", "  theft"]
        );
        assert_eq!(
            wrap_flush("Bredtveit fengsel", 10),
            vec!["Bredtveit", "fengsel"]
        );
        assert_eq!(wrap_text("aa b\u{a0}c", 5), vec!["aa", "  b\u{a0}c"]);
        // A phone number stays on one row (its spaces are kept as they are).
        assert_eq!(
            wrap_text("call ROSA on +47 22 33 11 60.", 20),
            vec!["call ROSA on", "  +47 22 33 11 60."]
        );
        assert_eq!(
            wrap_flush("Bufdir (466 15 000) helps", 12),
            vec!["Bufdir", "(466 15 000)", "helps"]
        );
        assert_eq!(wrap_flush("in 14 days", 5), vec!["in 14", "days"]);
        assert_eq!(longest_word("in review\u{a0}3 ab"), 8);
    }

    #[test]
    fn styles_survive_the_wrap() {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let line = Line::from(vec![
            Span::styled("Name: ", bold),
            Span::raw("a long value here"),
        ]);
        let rows = wrap_line(&line, 12);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].spans[0].content, "Name: ");
        assert_eq!(rows[0].spans[0].style, bold);
        let all: String = rows
            .iter()
            .flat_map(|r| r.spans.iter().map(|s| s.content.to_string()))
            .collect();
        assert!(all.contains("value"), "{all}");
    }

    #[test]
    fn wide_characters_count_two_cells() {
        assert_eq!(width("ab"), 2);
        assert_eq!(width("中"), 2);
        for row in wrap_text("中中中中中中 中中", 8) {
            assert!(width(&row) <= 8, "{row}");
        }
    }
}
