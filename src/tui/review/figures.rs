//! The year's figures, like ROSA's annual report: screenings by outcome and gender, referrals
//! by status and unit, as horizontal bar charts with the number beside each bar.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph};

use super::{Effect, Msg, Screen, State};
use crate::store::{Count, Stats};

/// The figures screen's own state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiguresState {
    /// The year shown.
    pub year: i16,
    /// Its figures, once read.
    pub stats: Option<Stats>,
}

/// What the reviewer can do on the figures screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FiguresMsg {
    /// The year before.
    PrevYear,
    /// The year after.
    NextYear,
    /// Back to the queue.
    Back,
}

/// Maps a key to a figures message.
#[must_use]
pub fn key(key: KeyEvent) -> Option<Msg> {
    let m = match key.code {
        KeyCode::Left | KeyCode::Char('h') | KeyCode::Char('-') => FiguresMsg::PrevYear,
        KeyCode::Right | KeyCode::Char('+') => FiguresMsg::NextYear,
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('f') | KeyCode::Backspace => {
            FiguresMsg::Back
        }
        KeyCode::Char('l') => return Some(Msg::Language),
        _ => return None,
    };
    Some(Msg::Figures(m))
}

/// Applies a figures message.
pub fn update(state: &mut State, msg: FiguresMsg) -> Vec<Effect> {
    let Screen::Figures(f) = &mut state.screen else {
        return Vec::new();
    };
    let year = match msg {
        FiguresMsg::Back => {
            state.screen = super::Screen::Queue;
            return Vec::new();
        }
        FiguresMsg::PrevYear => f.year.saturating_sub(1).max(2000),
        FiguresMsg::NextYear => f.year.saturating_add(1).min(state.today.year()),
    };
    if year == f.year {
        return Vec::new();
    }
    f.year = year;
    f.stats = None;
    vec![Effect::LoadFigures(year)]
}

/// One chart: a titled box of horizontal bars, the count written beside each bar.
fn chart(frame: &mut Frame, area: Rect, title: &str, counts: &[Count], state: &State) {
    let w = state.words();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(format!(" {title} "), state.theme.bold()));
    if counts.is_empty() {
        frame.render_widget(Paragraph::new(w.fig_none).block(block), area);
        return;
    }
    let label_width = counts
        .iter()
        .map(|c| c.key.chars().count())
        .max()
        .unwrap_or(1)
        .min(20);
    let bars: Vec<Bar> = counts
        .iter()
        .map(|c| {
            let label: String = format!("{:<label_width$}", c.key)
                .chars()
                .take(label_width)
                .collect();
            Bar::default()
                .label(Line::raw(label))
                .value(c.count)
                // Always beside the bar, also for the short ones, so the number never hides.
                .text_value(String::new())
        })
        .collect();
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let number_width = counts
        .iter()
        .map(|c| c.count.to_string().len())
        .max()
        .unwrap_or(1);
    let [bars_area, numbers_area] = Layout::horizontal([
        Constraint::Min(1),
        Constraint::Length(u16::try_from(number_width + 1).unwrap_or(8)),
    ])
    .areas(inner);
    frame.render_widget(
        BarChart::default()
            .direction(Direction::Horizontal)
            .bar_width(1)
            .bar_gap(0)
            .bar_style(state.theme.key())
            .data(BarGroup::default().bars(&bars)),
        bars_area,
    );
    let numbers: Vec<Line> = counts
        .iter()
        .map(|c| Line::raw(format!(" {:>number_width$}", c.count)))
        .collect();
    frame.render_widget(Paragraph::new(numbers), numbers_area);
}

/// Draws the figures.
pub fn view(state: &State, f: &FiguresState, frame: &mut Frame) {
    let w = state.words();
    let keys = [
        ("← →", w.key_year),
        ("l", w.key_language),
        ("Esc", w.key_back),
    ];
    let body = super::chrome(
        state,
        frame,
        &format!("{} {}", w.figures_title, f.year),
        &keys,
    );
    let Some(s) = &f.stats else {
        frame.render_widget(Paragraph::new(w.loading), body);
        return;
    };
    let [head, grid] = Layout::vertical([Constraint::Length(1), Constraint::Min(4)]).areas(body);
    frame.render_widget(
        Paragraph::new(Line::styled(
            w.figures_year
                .replace("{y}", &s.year.to_string())
                .replace("{s}", &s.screenings.to_string())
                .replace("{f}", &s.finished.to_string())
                .replace("{r}", &s.referrals.to_string()),
            state.theme.bold(),
        )),
        head,
    );
    let [top, bottom] = Layout::vertical([Constraint::Fill(1), Constraint::Fill(1)]).areas(grid);
    let [a, b] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(top);
    let [c, d] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(bottom);
    chart(frame, a, w.fig_outcome, &s.outcomes, state);
    chart(frame, b, w.fig_status, &s.statuses, state);
    chart(frame, c, w.fig_unit, &s.referrals_by_unit, state);
    chart(frame, d, w.fig_gender, &s.genders, state);
}
