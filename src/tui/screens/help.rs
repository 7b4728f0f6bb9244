//! The help overlay: every key of the screen on show. Any key closes it.

use ratatui::Frame;
use ratatui::layout::Position;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::tui::app::{Screen, State, centered};
use crate::words::officer::Strings;

/// The keys of the screen on show, as (keys, what they do).
#[must_use]
pub fn keys(screen: &Screen, s: &Strings) -> Vec<(&'static str, &'static str)> {
    let mut k = match screen {
        Screen::Home(h) => {
            let w = crate::words::sites::SiteWords::of(s.lang);
            let mut k = vec![("↑ ↓", s.key_move), ("Enter", s.key_choose)];
            if h.offers_screenings() {
                k.extend([("n", s.home_new), ("h", w.home_handoff)]);
            }
            if h.offers_review() {
                k.extend([
                    ("r", s.home_review),
                    ("i", w.home_import),
                    ("p", w.home_sites),
                ]);
            }
            k.extend([("l", s.key_language), ("q, Esc", s.key_quit)]);
            k
        }
        Screen::Details(_) => vec![
            ("Tab, ↓", s.key_next_field),
            ("Shift+Tab, ↑", s.key_prev_field),
            ("← → Space", s.key_change),
            ("Enter", s.key_next_or_start),
            ("Esc", s.key_cancel),
        ],
        Screen::Interview(..) => vec![
            ("Enter", s.help_enter),
            ("↑ ↓, 1-9", s.help_choose),
            ("Space, x", s.key_toggle),
            ("←, b, PgUp, Ctrl+B", s.key_back),
            ("→, f, PgDn, Ctrl+F", s.key_forward),
            ("d, Ctrl+D", s.dont_know),
            ("r, Ctrl+R", s.declined),
            ("s, Ctrl+S", s.help_skip),
            ("n, Ctrl+N", s.key_note),
            ("g, Ctrl+G", s.key_guidance),
            ("o, Ctrl+O", s.key_overview),
            ("l, Ctrl+L", s.key_language),
            ("p, Esc", s.help_pause),
        ],
        Screen::Summary(..) => vec![
            ("r", s.key_refer),
            ("f, Enter", s.key_finish),
            ("c, ←", s.key_change),
            ("↑ ↓", s.key_scroll),
            ("PgUp PgDn Home End", s.key_page),
        ],
        Screen::Referral(..) => vec![
            ("↑ ↓, 1-3", s.key_choose),
            ("Tab, Shift+Tab", s.key_next_field),
            ("← → Space", s.key_change),
            ("Enter", s.key_next_or_send),
            ("Esc", s.key_back_summary),
        ],
        Screen::Site(x) => super::sites::help_keys(x, crate::words::sites::site_words(s.lang)),
    };
    k.push(("?, F1", s.key_help));
    k.push(("Ctrl+C", s.help_quit_now));
    k
}

/// Draws the overlay.
pub fn view(state: &State, frame: &mut Frame) {
    let s = state.strings();
    let t = state.theme;
    let keys = keys(&state.screen, s);
    let height = u16::try_from(keys.len()).unwrap_or(20) + 7;
    let pop = centered(frame.area(), 72, height);
    frame.render_widget(Clear, pop);
    let block = Block::bordered().title(format!(" {} ", s.help_title));
    let inner = block.inner(pop);
    frame.render_widget(block, pop);
    let mut lines = vec![Line::styled(s.help_saved, t.dim()), Line::from("")];
    for (k, what) in keys {
        lines.push(Line::from(vec![
            Span::styled(format!("{k:<22}"), t.key()),
            Span::raw(what),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(s.help_close, t.dim()));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    frame.set_cursor_position(Position::new(inner.x, inner.y));
}
