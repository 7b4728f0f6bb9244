//! The summary after the last question: flags first with their advice, then the outcome and
//! its advice, then the indicators grouped by dimension with their strength and the answer that
//! raised each, the positive dimensions, and the helpline. From here the officer makes a
//! referral, finishes without one, or goes back to change answers.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Margin, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{interview, referral};
use crate::questionnaire::Questionnaire;
use crate::screening::{ScreeningResult, Session};
use crate::tui::app::{AfterFinish, Effect, Msg, Screen, State, centered};
use crate::tui::{chrome, wrap};
use crate::words::HELPLINE;
use crate::words::officer::Strings;
use crate::words::summary::{Kind, lines};

/// The summary's own state.
#[derive(Debug, Clone)]
pub struct SummaryState {
    /// The result as stored.
    pub result: ScreeningResult,
    /// First line shown.
    pub scroll: u16,
    /// Why the last action was refused, if it was (cleared by the next key).
    pub error: Option<String>,
    /// `f` was pressed: the officer is asked to confirm finishing for good.
    pub confirm: bool,
}

/// What the officer can do on the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryMsg {
    /// Scroll up a line.
    Up,
    /// Scroll down a line.
    Down,
    /// Scroll up a page.
    PageUp,
    /// Scroll down a page.
    PageDown,
    /// To the top.
    Top,
    /// To the end.
    End,
    /// Make a referral.
    Refer,
    /// Finish without a referral: asks to confirm first.
    Done,
    /// Finishing is confirmed: the result is stored for good (back home).
    ConfirmDone,
    /// Finishing is not confirmed: back to the summary.
    CancelDone,
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
                    confirm: false,
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

/// Maps a key to a summary message. While finishing waits to be confirmed, Enter confirms and
/// every other key goes back to the summary, so one stray key never finishes a screening.
#[must_use]
pub fn key(su: &SummaryState, key: KeyEvent) -> Option<Msg> {
    if su.confirm {
        return Some(Msg::Summary(match key.code {
            KeyCode::Enter => SummaryMsg::ConfirmDone,
            KeyCode::F(1) | KeyCode::Char('?') => return Some(Msg::Help),
            _ => SummaryMsg::CancelDone,
        }));
    }
    let m = match key.code {
        KeyCode::Up | KeyCode::Char('k') => SummaryMsg::Up,
        KeyCode::Down | KeyCode::Char('j') => SummaryMsg::Down,
        KeyCode::PageUp => SummaryMsg::PageUp,
        KeyCode::PageDown | KeyCode::Char(' ') => SummaryMsg::PageDown,
        KeyCode::Home => SummaryMsg::Top,
        KeyCode::End => SummaryMsg::End,
        KeyCode::Char('r') => SummaryMsg::Refer,
        KeyCode::Char('f') => SummaryMsg::Done,
        KeyCode::Char('c') | KeyCode::Left | KeyCode::Char('b') => SummaryMsg::Change,
        KeyCode::Char('?') => return Some(Msg::Help),
        _ => return None,
    };
    Some(Msg::Summary(m))
}

/// The summary's title: the word and the person's reference (shown sanitised).
fn title(s: &Strings, sc: &crate::tui::app::Screening) -> String {
    format!(
        "{} · {}",
        s.summary_title,
        crate::tui::shown(&sc.details.person)
    )
}

/// Rows of the summary's body on the terminal (the frame around it takes 4 rows, more when a
/// long title or a storage failure wraps): what one page shows.
fn page(state: &State, sc: &crate::tui::app::Screening) -> u16 {
    let s = state.strings();
    let status = state
        .banner
        .as_deref()
        .map(|b| chrome::Status::Error(s.error_word, b));
    let frame = chrome::frame_rows(&title(s, sc), state.size.0, status);
    state.size.1.saturating_sub(frame).max(1)
}

/// Applies a summary message.
pub fn update(state: &mut State, msg: SummaryMsg) -> Vec<Effect> {
    let s = state.strings();
    let size = state.size;
    let page = match &state.screen {
        Screen::Summary(sc, _) => page(state, sc),
        _ => return Vec::new(),
    };
    let Screen::Summary(sc, su) = &mut state.screen else {
        return Vec::new();
    };
    // An error answers the key before: the next key clears it.
    su.error = None;
    // Scrolling stops with the last row on screen (rows wrapped as drawn).
    let width = size.0.saturating_sub(2);
    let total = rows(
        sc.session.questionnaire(),
        &sc.session,
        &su.result,
        &state.lang,
        s,
        width,
    )
    .len()
        + person_card(&state.lang, state.theme, sc, width).len();
    let max = u16::try_from(total)
        .unwrap_or(u16::MAX)
        .saturating_sub(page);
    match msg {
        SummaryMsg::Up => su.scroll = su.scroll.saturating_sub(1),
        SummaryMsg::Down => su.scroll = su.scroll.saturating_add(1).min(max),
        // A page keeps one row of the last page in sight, so the eye finds its place.
        SummaryMsg::PageUp => su.scroll = su.scroll.saturating_sub(page.saturating_sub(1).max(1)),
        SummaryMsg::PageDown => {
            su.scroll = su
                .scroll
                .saturating_add(page.saturating_sub(1).max(1))
                .min(max);
        }
        SummaryMsg::Top => su.scroll = 0,
        SummaryMsg::End => su.scroll = max,
        SummaryMsg::Done if sc.finished => return vec![Effect::LoadHome],
        SummaryMsg::Done => su.confirm = true,
        SummaryMsg::CancelDone => su.confirm = false,
        SummaryMsg::ConfirmDone => {
            su.confirm = false;
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

/// The summary wrapped to `width` columns with a hanging indent (phone numbers kept whole):
/// one entry per screen row.
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
            wrap::wrap_text(&l, usize::from(width))
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
    } else if su.confirm {
        keys.extend([
            ("Enter", s.key_finish_for_good),
            ("Esc", s.key_back_to_summary),
        ]);
    } else {
        if su.result.allows_referral() {
            keys.push(("r", s.key_refer));
        }
        keys.extend([
            ("f", s.key_finish),
            ("c", s.key_change),
            ("↑↓", s.key_scroll),
            ("PgUp/PgDn", s.key_page),
            ("?", s.key_help),
        ]);
    }
    let body = chrome::draw(state, frame, &title(s, sc), &keys);
    let area = body.inner(Margin {
        horizontal: 1,
        vertical: 0,
    });
    // An error stays above the summary (never scrolled away), wrapped.
    let error_rows = su.error.as_ref().map_or_else(Vec::new, |e| {
        wrap::wrap_line(
            &Line::styled(format!("{}: {e}", s.error_word), t.error()),
            usize::from(area.width),
        )
    });
    let error_h = u16::try_from(error_rows.len())
        .unwrap_or(u16::MAX)
        .min(area.height);
    let [error_area, text_area] =
        Layout::vertical([Constraint::Length(error_h), Constraint::Min(0)]).areas(area);
    frame.render_widget(Paragraph::new(error_rows), error_area);
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
    // The person's helpline card in their language (for the interpreter) ends the summary.
    text.extend(person_card(&state.lang, t, sc, area.width));
    frame.render_widget(Paragraph::new(text).scroll((su.scroll, 0)), text_area);
    frame.set_cursor_position(Position::new(area.x, area.y));
    if su.confirm {
        let c = confirm(state, su, area, frame);
        frame.set_cursor_position(c);
    }
    // The last answer may have raised an immediate flag: it interrupts here too.
    if let Some(c) = super::flag_panel::draw_waiting(state, frame, area) {
        frame.set_cursor_position(c);
    }
}

/// The question before finishing for good: what finishing means, and how to go on. Returns
/// where the terminal cursor belongs (its first line).
fn confirm(state: &State, su: &SummaryState, area: Rect, frame: &mut Frame) -> Position {
    let s = state.strings();
    let t = state.theme;
    let width = area.width.saturating_sub(4).min(72);
    let inner = usize::from(width.saturating_sub(2));
    let mut text = vec![
        Line::styled(s.finish_confirm_question, t.bold()),
        Line::from(""),
        Line::from(s.finish_confirm_means.replace("{helpline}", HELPLINE)),
    ];
    if su.result.allows_referral() {
        text.push(Line::from(""));
        text.push(Line::from(s.finish_confirm_refer));
    }
    text.push(Line::from(""));
    text.push(Line::from(vec![
        Span::styled("Enter", t.key()),
        Span::raw(format!(" {} · ", s.key_finish_for_good)),
        Span::styled("Esc", t.key()),
        Span::raw(format!(" {}", s.key_back_to_summary)),
    ]));
    let rows: Vec<Line> = text
        .iter()
        .flat_map(|l| wrap::wrap_line_hanging(l, inner, 0))
        .collect();
    let height = u16::try_from(rows.len())
        .unwrap_or(u16::MAX)
        .saturating_add(2)
        .min(area.height);
    let panel = centered(area, width, height);
    frame.render_widget(Clear, panel);
    frame.render_widget(
        Paragraph::new(rows)
            .block(Block::bordered().title(format!(" {} ", s.finish_confirm_title))),
        panel,
    );
    Position::new(panel.x + 1, panel.y + 1)
}
