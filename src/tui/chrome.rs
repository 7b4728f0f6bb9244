//! The frame every screen shares: a title bar, the body, a banner line for storage failures,
//! and a footer with the keys that work here and the ROSA helpline (always visible).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::State;
use super::theme::Theme;
use crate::words::HELPLINE;

/// Draws the title bar, banner and footer of an interview screen; returns the body's area.
pub fn draw(state: &State, frame: &mut Frame, title: &str, keys: &[(&str, &str)]) -> Rect {
    let status = state
        .banner
        .as_deref()
        .map(|b| Status::Error(state.strings().error_word, b));
    draw_frame(frame, state.theme, title, status, keys)
}

/// What the line above the footer says, if anything.
#[derive(Debug, Clone, Copy)]
pub enum Status<'a> {
    /// A failure the user must see: the localized word for "error" and the sentence.
    Error(&'a str, &'a str),
    /// A calm confirmation (for example "exported to ...").
    Notice(&'a str),
}

/// Draws the frame every screen shares, interview and review alike (title bar, status line,
/// footer with the keys and the helpline), and returns the body's area.
pub fn draw_frame(
    frame: &mut Frame,
    t: Theme,
    title: &str,
    status: Option<Status>,
    keys: &[(&str, &str)],
) -> Rect {
    let [top, body, banner, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(2),
    ])
    .areas(frame.area());

    let right = format!("ROSA {HELPLINE}");
    let room = usize::from(top.width).saturating_sub(right.chars().count() + 1);
    let left: String = format!("rosa-screen · {title}")
        .chars()
        .take(room)
        .collect();
    let pad = usize::from(top.width).saturating_sub(left.chars().count() + right.chars().count());
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(left, t.title()),
            Span::raw(" ".repeat(pad)),
            Span::styled(right, t.bold()),
        ])),
        top,
    );

    match status {
        Some(Status::Error(word, b)) => frame.render_widget(
            Paragraph::new(Line::styled(format!("{word}: {b}"), t.error())),
            banner,
        ),
        Some(Status::Notice(n)) => {
            frame.render_widget(
                Paragraph::new(Line::styled(n.to_string(), t.bold())),
                banner,
            );
        }
        None => {}
    }

    // Key hints wrap between pairs, never inside one.
    let width = usize::from(foot.width);
    let mut lines: Vec<Line> = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0;
    for (k, what) in keys {
        let w = k.chars().count() + 1 + what.chars().count();
        if used > 0 && used + 2 + w > width {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        if used > 0 {
            spans.push(Span::raw("  "));
            used += 2;
        }
        spans.push(Span::styled(*k, t.key()));
        spans.push(Span::raw(format!(" {what}")));
        used += w;
    }
    lines.push(Line::from(spans));
    frame.render_widget(Paragraph::new(lines), foot);
    body
}

/// Rows `lines` take when wrapped at `width` (word wrapping may need one more row per line
/// than the plain division, so that is allowed for).
pub fn wrapped_height(lines: &[Line], width: u16) -> u16 {
    let w = usize::from(width.max(1));
    let rows: usize = lines
        .iter()
        .map(|l| {
            let n = l.width();
            if n <= w { 1 } else { n.div_ceil(w) + 1 }
        })
        .sum();
    u16::try_from(rows).unwrap_or(u16::MAX)
}

/// Greedy word wrap of `text` to `width` characters; continuation rows are indented like the
/// first row's leading spaces plus two, so wrapped items stay visibly one item.
#[must_use]
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let lead = text.chars().take_while(|c| *c == ' ').count();
    let indent = " ".repeat((lead + 2).min(width / 2));
    let mut rows = Vec::new();
    let mut row = " ".repeat(lead);
    let mut row_len = lead;
    let mut fresh = true;
    for word in text.split_whitespace() {
        let w = word.chars().count();
        let gap = usize::from(!fresh);
        if !fresh && row_len + gap + w > width {
            rows.push(std::mem::take(&mut row));
            row.clone_from(&indent);
            row_len = indent.chars().count();
            fresh = true;
        }
        if !fresh {
            row.push(' ');
            row_len += 1;
        }
        // A word longer than a row is cut where the row ends.
        let mut chars = word.chars().peekable();
        while chars.peek().is_some() {
            let room = width.saturating_sub(row_len).max(1);
            let piece: String = chars.by_ref().take(room).collect();
            row_len += piece.chars().count();
            row.push_str(&piece);
            if chars.peek().is_some() {
                rows.push(std::mem::take(&mut row));
                row.clone_from(&indent);
                row_len = indent.chars().count();
            }
        }
        fresh = false;
    }
    rows.push(row);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_words_and_indents_continuations() {
        assert_eq!(
            wrap("  - a bb ccc dddd", 10),
            vec!["  - a bb", "    ccc", "    dddd"]
        );
        assert_eq!(wrap("", 10), vec![""]);
        assert_eq!(
            wrap("abcdefghijklmnop", 8),
            vec!["abcdefgh", "  ijklmn", "  op"]
        );
    }
}
