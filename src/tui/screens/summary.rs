//! The summary after the last question: flags first with their advice, then the outcome and
//! its advice, then the indicators grouped by dimension with their strength and the answer that
//! raised each, the positive dimensions, and the helpline. From here the officer makes a
//! referral, finishes without one, or goes back to change answers.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Margin, Position};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{interview, referral};
use crate::questionnaire::Questionnaire;
use crate::screening::{ScreeningResult, Session};
use crate::tui::app::{AfterFinish, Effect, Msg, Screen, State};
use crate::tui::chrome;
use crate::words::officer::Strings;
use crate::words::summary::{Kind, lines};

/// The summary's own state.
#[derive(Debug, Clone)]
pub struct SummaryState {
    /// The result as stored.
    pub result: ScreeningResult,
    /// First line shown.
    pub scroll: u16,
    /// Why the last action was refused, if it was.
    pub error: Option<String>,
}

/// What the officer can do on the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryMsg {
    /// Scroll up.
    Up,
    /// Scroll down.
    Down,
    /// Make a referral.
    Refer,
    /// Finish without a referral (back home).
    Done,
    /// Go back to the last question to change answers.
    Change,
}

/// Turns the interview screen into the summary.
pub fn open(state: &mut State) {
    let screen = std::mem::replace(&mut state.screen, Screen::Home(Default::default()));
    state.screen = match screen {
        Screen::Interview(sc, _) | Screen::Referral(sc, _) | Screen::Summary(sc, _) => {
            let result = sc.session.result();
            Screen::Summary(
                sc,
                SummaryState {
                    result,
                    scroll: 0,
                    error: None,
                },
            )
        }
        other => other,
    };
}

/// The result is stored: go home, or on to the consent being recorded.
pub fn finished(state: &mut State, then: AfterFinish) -> Vec<Effect> {
    let sc = match &mut state.screen {
        Screen::Summary(sc, _) | Screen::Referral(sc, _) | Screen::Interview(sc, _) => sc,
        Screen::Home(_) | Screen::Details(_) | Screen::Site(_) => return Vec::new(),
    };
    sc.finished = true;
    match then {
        AfterFinish::Home => vec![Effect::LoadHome],
        AfterFinish::Consent(consent) => vec![Effect::Consent {
            screening: sc.id.clone(),
            consent,
        }],
    }
}

/// Maps a key to a summary message.
#[must_use]
pub fn key(_s: &SummaryState, key: KeyEvent) -> Option<Msg> {
    let m = match key.code {
        KeyCode::Up | KeyCode::Char('k') | KeyCode::PageUp => SummaryMsg::Up,
        KeyCode::Down | KeyCode::Char('j') | KeyCode::PageDown => SummaryMsg::Down,
        KeyCode::Char('r') => SummaryMsg::Refer,
        KeyCode::Char('f') => SummaryMsg::Done,
        KeyCode::Char('c') | KeyCode::Left | KeyCode::Char('b') => SummaryMsg::Change,
        KeyCode::Char('?') => return Some(Msg::Help),
        _ => return None,
    };
    Some(Msg::Summary(m))
}

/// Applies a summary message.
pub fn update(state: &mut State, msg: SummaryMsg) -> Vec<Effect> {
    let s = state.strings();
    let Screen::Summary(sc, su) = &mut state.screen else {
        return Vec::new();
    };
    match msg {
        SummaryMsg::Up => su.scroll = su.scroll.saturating_sub(1),
        SummaryMsg::Down => {
            // Stop when the last row is on screen (the body is the terminal less 4 rows and
            // 2 columns).
            let rows = rows(
                sc.session.questionnaire(),
                &sc.session,
                &su.result,
                &state.lang,
                s,
                state.size.0.saturating_sub(2),
            );
            let card =
                person_card(&state.lang, state.theme, sc, state.size.0.saturating_sub(2)).len();
            let height = u16::try_from(rows.len() + card).unwrap_or(u16::MAX);
            let max = height.saturating_sub(state.size.1.saturating_sub(4));
            su.scroll = su.scroll.saturating_add(1).min(max);
        }
        SummaryMsg::Done => {
            if sc.finished {
                return vec![Effect::LoadHome];
            }
            return vec![Effect::Finish {
                screening: sc.id.clone(),
                result: su.result.clone(),
                then: AfterFinish::Home,
            }];
        }
        SummaryMsg::Refer => {
            if !su.result.allows_referral() {
                su.error = Some(s.no_referral_outcome.to_string());
            } else {
                return referral::open(state);
            }
        }
        SummaryMsg::Change if sc.finished => su.error = Some(s.already_finished.to_string()),
        SummaryMsg::Change => {
            let screen = std::mem::replace(&mut state.screen, Screen::Home(Default::default()));
            if let Screen::Summary(mut sc, _) = screen {
                sc.session.back();
                return interview::open(state, *sc);
            }
        }
    }
    Vec::new()
}

/// The summary wrapped to `width` columns: one entry per screen row.
#[must_use]
pub fn rows(
    q: &Questionnaire,
    session: &Session,
    r: &ScreeningResult,
    lang: &str,
    s: &Strings,
    width: u16,
) -> Vec<(Kind, String)> {
    lines(q, session, r, lang, s)
        .into_iter()
        .flat_map(|(k, l)| {
            chrome::wrap(&l, usize::from(width))
                .into_iter()
                .map(move |row| (k, row))
        })
        .collect()
}

/// The helpline card in the person's language, wrapped to `width` (the rest of the summary
/// stays in the officer's language), for the officer to show or read out; empty when the
/// person's language has none.
fn person_card(
    lang: &str,
    theme: crate::tui::theme::Theme,
    sc: &crate::tui::app::Screening,
    width: u16,
) -> Vec<Line<'static>> {
    let Some(p) = crate::questionnaire::translation::PersonLanguage::new(
        sc.session.questionnaire(),
        lang,
        sc.details.person_language.as_deref(),
    ) else {
        return Vec::new();
    };
    let Some(card) = p.program(crate::questionnaire::translation::ProgramWord::Helpline) else {
        return Vec::new();
    };
    let line = Line::styled(
        format!("[{}] {}", p.lang(), crate::tui::shown(card)),
        theme.dim(),
    );
    crate::tui::wrap::wrap_line(&line, usize::from(width))
}

/// Draws the summary.
pub fn view(state: &State, sc: &crate::tui::app::Screening, su: &SummaryState, frame: &mut Frame) {
    let s = state.strings();
    let t = state.theme;
    let q = sc.session.questionnaire();
    let mut keys = Vec::new();
    if super::flag_panel::showing(state) {
        keys.extend([("Enter", s.key_acknowledge), ("?", s.key_help)]);
    } else {
        if su.result.allows_referral() {
            keys.push(("r", s.key_refer));
        }
        keys.extend([
            ("f", s.key_finish),
            ("c", s.key_change),
            ("↑↓", s.key_scroll),
            ("?", s.key_help),
        ]);
    }
    let title = format!("{} · {}", s.summary_title, sc.details.person);
    let body = chrome::draw(state, frame, &title, &keys);
    let area = body.inner(Margin {
        horizontal: 1,
        vertical: 0,
    });
    let mut text: Vec<Line> = rows(q, &sc.session, &su.result, &state.lang, s, area.width)
        .into_iter()
        .map(|(k, l)| {
            let style = match k {
                Kind::Heading => t.title(),
                Kind::Warn => t.warn(),
                Kind::Bold => t.bold(),
                Kind::Dim => t.dim(),
                Kind::Plain => ratatui::style::Style::new(),
            };
            Line::from(Span::styled(l, style))
        })
        .collect();
    text.extend(person_card(&state.lang, t, sc, area.width));
    if let Some(e) = &su.error {
        text.insert(0, Line::styled(format!("{}: {e}", s.error_word), t.error()));
    }
    frame.render_widget(Paragraph::new(text).scroll((su.scroll, 0)), area);
    frame.set_cursor_position(Position::new(area.x, area.y));
    // The last answer may have raised an immediate flag: it interrupts here too.
    if let Some(c) = super::flag_panel::draw_waiting(state, frame, area) {
        frame.set_cursor_position(c);
    }
}
