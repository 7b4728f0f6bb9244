//! The frame every screen shares: a title bar, the body, a banner line for storage failures,
//! and a footer with the keys that work here and the ROSA helpline (always visible).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::State;

/// The helpline, shown on every screen.
pub const HELPLINE: &str = "+47 22 33 11 60";

/// Draws the title bar, banner and footer; returns the body's area.
pub fn draw(state: &State, frame: &mut Frame, title: &str, keys: &[(&str, &str)]) -> Rect {
    let s = state.strings();
    let t = state.theme;
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

    if let Some(b) = &state.banner {
        frame.render_widget(
            Paragraph::new(Line::styled(format!("{}: {b}", s.error_word), t.error())),
            banner,
        );
    }

    let mut spans = Vec::new();
    for (i, (k, what)) in keys.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(*k, t.key()));
        spans.push(Span::raw(format!(" {what}")));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).wrap(ratatui::widgets::Wrap { trim: true }),
        foot,
    );
    body
}
