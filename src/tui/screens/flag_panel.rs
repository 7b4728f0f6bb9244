//! Immediate flags on screen (format 1, `immediate: true`): the panel that interrupts the
//! interview the moment an answer raises one, with its advice, until the officer acknowledges
//! it (recorded through the store: when and by whom); and the line above the question that
//! lists every immediate flag raised in this screening for the rest of it.
//!
//! The panel is shown while the session has an immediate flag not yet acknowledged (on the
//! interview and the summary alike: the last answer may raise one), so a resumed screening
//! shows it again. Enter asks the runner to record the acknowledgement
//! ([`Effect::AcknowledgeFlag`]); the session marks it only once the store has.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::questionnaire::Flag;
use crate::screening::ImmediateFlag;
use crate::tui::app::{Effect, Msg, State, centered, screening, screening_mut};
use crate::tui::theme::Theme;
use crate::tui::wrap;
use crate::words::officer::Strings;

/// Whether the panel is up: the screening on show has an immediate flag not yet
/// acknowledged.
#[must_use]
pub fn showing(state: &State) -> bool {
    screening(&state.screen).is_some_and(|sc| !sc.session.unacknowledged().is_empty())
}

/// The keys the panel takes: Enter acknowledges, `?` opens the help; nothing else happens
/// until the officer has read it.
#[must_use]
pub fn key(key: KeyEvent) -> Option<Msg> {
    match key.code {
        KeyCode::Enter => Some(Msg::Acknowledge),
        KeyCode::Char('?') => Some(Msg::Help),
        _ => None,
    }
}

/// Enter on the panel: asks the runner to record the acknowledgement of the flag shown.
pub fn acknowledge(state: &mut State) -> Vec<Effect> {
    let Some(sc) = screening(&state.screen) else {
        return Vec::new();
    };
    match sc.session.unacknowledged().first() {
        Some(flag) => vec![Effect::AcknowledgeFlag {
            screening: sc.id.clone(),
            flag: flag.id.name.clone(),
        }],
        None => Vec::new(),
    }
}

/// The store recorded the acknowledgement of `flag`: the session marks it, and the panel shows
/// the next one waiting, or closes.
pub fn acknowledged(state: &mut State, flag: &str) {
    if let Some(sc) = screening_mut(&mut state.screen) {
        sc.session.acknowledge(flag);
    }
}

/// Draws the panel for the first flag waiting in the screening on show, if any, over `area`;
/// returns where the terminal cursor belongs (its Enter line), so a screen reader reads it.
pub fn draw_waiting(state: &State, frame: &mut Frame, area: Rect) -> Option<Position> {
    let sc = screening(&state.screen)?;
    let waiting = sc.session.unacknowledged();
    let flag = waiting.first()?;
    Some(draw(
        frame,
        area,
        flag,
        waiting.len() - 1,
        &state.lang,
        state.strings(),
        state.theme,
    ))
}

/// The panel's lines for `flag`: what was raised, what to do now, and how to go on.
#[must_use]
pub fn lines(flag: &Flag, more: usize, lang: &str, s: &Strings, t: Theme) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::styled(
            format!("{} {}", s.flag_now, flag.label.show(lang)),
            t.error(),
        ),
        Line::from(""),
        Line::from(flag.advice.show(lang).to_string()),
        Line::from(""),
    ];
    if more > 0 {
        out.push(Line::styled(
            s.flag_more.replace("{n}", &more.to_string()),
            t.dim(),
        ));
    }
    out.push(Line::from(vec![
        Span::styled("Enter", t.key()),
        Span::raw(format!(" {}", s.flag_ack)),
    ]));
    out
}

/// Draws the panel over `area` (the interview's body), every line wrapped with a hanging
/// indent (nothing clipped while it fits); `more` is how many other flags wait after this one.
/// Returns the position of its Enter line, for the terminal cursor.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    flag: &Flag,
    more: usize,
    lang: &str,
    s: &Strings,
    t: Theme,
) -> Position {
    let width = area.width.saturating_sub(4).min(72);
    let text = lines(flag, more, lang, s, t);
    let inner = usize::from(width.saturating_sub(2));
    // The advice is prose and wraps flush; the label and the Enter line hang under their
    // text. The Enter line is the last one: the rows before it say where it starts.
    let last = text.len().saturating_sub(1);
    let mut rows = Vec::new();
    let mut enter_row = 0;
    for (i, line) in text.iter().enumerate() {
        let hang = match i {
            0 => 2,
            i if i == last => {
                enter_row = rows.len();
                "Enter ".len()
            }
            _ => 0,
        };
        rows.extend(wrap::wrap_line_hanging(line, inner, hang));
    }
    let height = (u16::try_from(rows.len())
        .unwrap_or(u16::MAX)
        .saturating_add(2))
    .min(area.height);
    let panel = centered(area, width, height);
    frame.render_widget(Clear, panel);
    frame.render_widget(
        Paragraph::new(rows).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.error())
                .title(format!(" {} ", s.flag_title)),
        ),
        panel,
    );
    let y = panel.y + 1 + u16::try_from(enter_row).unwrap_or(0);
    Position::new(panel.x + 1, y.min(panel.bottom().saturating_sub(2)))
}

/// The line listing the immediate flags raised so far (`None` when there are none): shown above
/// the question for the rest of the screening, so the officer never loses sight of them.
#[must_use]
pub fn top_line(
    flags: &[ImmediateFlag<'_>],
    lang: &str,
    s: &Strings,
    t: Theme,
) -> Option<Line<'static>> {
    if flags.is_empty() {
        return None;
    }
    let labels: Vec<String> = flags
        .iter()
        .map(|f| f.flag.label.show(lang).to_string())
        .collect();
    Some(Line::from(vec![
        Span::styled(format!("{} ", s.flag_line), t.error()),
        Span::styled(labels.join(" · "), t.bold()),
    ]))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use ratatui::crossterm::event::KeyCode as K;

    use super::*;
    use crate::tui::app::{Effect, Screen};
    use crate::tui::runner;
    use crate::tui::testing::Driver;

    /// The built-in questionnaire: its first question, "Could the person be under 18?",
    /// raises the immediate flag `possible_minor` with "Yes, or possibly" (choice 2).
    fn builtin(lang: &str) -> Driver {
        let q = crate::questionnaire::builtin().unwrap_or_else(|e| panic!("{e:?}"));
        Driver::with_questionnaire(Arc::new(q), lang)
    }

    /// Starts the program again over the same store: home, then Enter (which resumes).
    fn restart(d: &mut Driver) {
        let q = Arc::clone(&d.state.questionnaire);
        d.state = State::new(q, Some("en"), crate::tui::theme::Theme::new(false));
        let m = runner::perform(&mut d.store, Effect::LoadHome);
        runner::dispatch(&mut d.state, &mut d.store, m);
        d.key(K::Enter);
    }

    #[test]
    fn an_immediate_flag_interrupts_until_acknowledged_and_stays_listed() {
        let mut d = builtin("en");
        d.start("P-1");
        assert_eq!(d.current().as_deref(), Some("age_check"));
        assert!(!showing(&d.state));
        d.key(K::Char('2'));
        d.key(K::Enter);
        assert!(showing(&d.state), "the answer raised possible_minor");
        let screen = d.screen();
        assert!(screen.contains("Act now"), "{screen}");
        assert!(screen.contains("May be under 18"), "{screen}");
        assert!(screen.contains("Treat the person as under 18"), "{screen}");
        let id = d.kept().id;
        let stored = d.store.immediate_flags(&id).unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].flag, "possible_minor");
        assert_eq!(stored[0].acknowledged_at, None, "raised, not yet read");
        // Nothing else happens until it is read: no pause, no answer, no note.
        for k in [K::Esc, K::Char('1'), K::Char('n'), K::Left] {
            assert!(!d.key(k), "{k:?} is not taken while the panel is up");
        }
        assert_eq!(d.current().as_deref(), Some("child_welfare_first"));
        assert!(d.key(K::Enter));
        assert!(!showing(&d.state));
        let stored = d.store.immediate_flags(&id).unwrap();
        assert!(stored[0].acknowledged_at.is_some());
        assert_eq!(stored[0].acknowledged_by.as_deref(), Some(d.store.actor()));
        // Listed above the question for the rest of the screening.
        let screen = d.screen();
        assert!(screen.contains("! Act on: May be under 18"), "{screen}");
        assert!(!screen.contains("Treat the person"), "{screen}");
        d.key(K::Char('1'));
        d.key(K::Enter);
        assert_eq!(d.current().as_deref(), Some("crisis_check"));
        assert!(d.screen().contains("! Act on: May be under 18"));
    }

    #[test]
    fn a_flag_not_yet_read_interrupts_again_on_resume_and_a_read_one_does_not() {
        let mut d = builtin("en");
        d.start("P-2");
        d.key(K::Char('2'));
        d.key(K::Enter);
        assert!(showing(&d.state));
        // The program ends before the officer read it (everything is saved).
        restart(&mut d);
        assert!(
            matches!(d.state.screen, Screen::Interview(..)),
            "resumed at once"
        );
        assert!(showing(&d.state), "shown again");
        d.key(K::Enter);
        assert!(!showing(&d.state));
        restart(&mut d);
        assert_eq!(d.current().as_deref(), Some("child_welfare_first"));
        assert!(!showing(&d.state), "read before: not shown again");
        assert!(d.screen().contains("! Act on: May be under 18"));
    }

    #[test]
    fn a_failed_acknowledgement_keeps_the_panel() {
        let mut d = builtin("en");
        d.start("P-3");
        d.key(K::Char('2'));
        d.key(K::Enter);
        d.full_disk(true);
        d.key(K::Enter);
        assert!(showing(&d.state), "not recorded, so not acknowledged");
        assert!(d.state.banner.is_some());
        d.full_disk(false);
        d.key(K::Enter);
        assert!(!showing(&d.state));
        assert_eq!(d.state.banner, None);
    }
}
