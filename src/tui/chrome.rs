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
