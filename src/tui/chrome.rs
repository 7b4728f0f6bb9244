//! The frame every screen shares: a title bar, the body, a banner line for storage failures,
//! and a footer with the keys that work here and the ROSA helpline (always visible).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::State;
use super::theme::Theme;
use super::wrap;
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

/// The title bar's left part wrapped into the room beside the helpline (a long title, such as
/// a long person reference, takes more rows instead of being cut).
fn title_rows(title: &str, width: u16) -> Vec<Line<'static>> {
    let right = wrap::width(&format!("ROSA {HELPLINE}"));
    let room = usize::from(width).saturating_sub(right + 1).max(8);
    wrap::wrap_line(&Line::raw(format!("rosa-screen · {title}")), room)
}

/// The status line's rows: a long sentence wraps instead of being cut (one row even when
/// empty, so the screen does not jump).
fn status_rows(status: Option<Status>, t: Theme, width: u16) -> Vec<Line<'static>> {
    let line = match status {
        Some(Status::Error(word, b)) => Line::styled(format!("{word}: {b}"), t.error()),
        Some(Status::Notice(n)) => Line::styled(n.to_string(), t.bold()),
        None => return vec![Line::from("")],
    };
    wrap::wrap_line(&line, usize::from(width))
}

/// Rows the frame takes around the body on a terminal `width` wide, for a screen that must
/// know its body's height before drawing (to scroll to its very end): the title bar, the
/// status line and the two rows of keys.
#[must_use]
pub fn frame_rows(title: &str, width: u16, status: Option<Status>) -> u16 {
    let rows =
        title_rows(title, width).len() + status_rows(status, Theme::new(false), width).len() + 2;
    u16::try_from(rows).unwrap_or(u16::MAX)
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
    let width = frame.area().width;
    let titles = title_rows(title, width);
    let statuses = status_rows(status, t, width);
    let [top, body, banner, foot] = Layout::vertical([
        Constraint::Length(u16::try_from(titles.len()).unwrap_or(1)),
        Constraint::Min(1),
        Constraint::Length(u16::try_from(statuses.len()).unwrap_or(1)),
        Constraint::Length(2),
    ])
    .areas(frame.area());

    let right = format!("ROSA {HELPLINE}");
    for (i, row) in titles.into_iter().enumerate() {
        let y = top.y + u16::try_from(i).unwrap_or(u16::MAX);
        if y >= top.bottom() {
            break;
        }
        let mut spans: Vec<Span> = row
            .spans
            .into_iter()
            .map(|sp| Span::styled(sp.content, t.title()))
            .collect();
        if i == 0 {
            let used: usize = spans.iter().map(Span::width).sum();
            let pad = usize::from(top.width).saturating_sub(used + wrap::width(&right));
            spans.push(Span::raw(" ".repeat(pad)));
            spans.push(Span::styled(right.clone(), t.bold()));
        }
        frame.render_widget(
            Paragraph::new(Line::from(spans)),
            Rect::new(top.x, y, top.width, 1),
        );
    }
    frame.render_widget(Paragraph::new(statuses), banner);

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
