//! The queue: counts per status, the filter, and one page of referrals in the queue's order
//! (urgent first; see `store::queue`).

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::{Effect, Msg, Screen, State, days_until, figures};
use crate::store::{Expulsion, QueueChoices, QueueCounts, QueueFilter, QueueRow, Status};
use crate::tui::input::LineInput;

/// The queue's own state: the filter, the page of rows on show and the focused row.
#[derive(Debug, Clone, Default)]
pub struct QueueState {
    /// The filter applied.
    pub filter: QueueFilter,
    /// Position (in the whole filtered queue) of `rows[0]`.
    pub offset: u64,
    /// The page on show.
    pub rows: Vec<QueueRow>,
    /// The focused row's position in the whole filtered queue.
    pub selected: u64,
    /// Counts per status under the filter (its status part ignored).
    pub counts: QueueCounts,
    /// Units and outcomes to filter by.
    pub choices: QueueChoices,
    /// The search being typed (None: not searching).
    pub search: Option<LineInput>,
    /// A page has arrived at least once.
    pub loaded: bool,
}

impl QueueState {
    /// How many referrals match the whole filter.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.counts.matching(self.filter.status)
    }

    /// The focused row, if it is on the page.
    #[must_use]
    pub fn focused(&self) -> Option<&QueueRow> {
        let i = usize::try_from(self.selected.checked_sub(self.offset)?).ok()?;
        self.rows.get(i)
    }

    /// The page holding the focused row.
    #[must_use]
    pub fn load(&self, page: u32, counts: bool) -> Effect {
        self.load_at(self.selected, page, counts)
    }

    /// The page holding position `at`.
    #[must_use]
    pub fn load_at(&self, at: u64, page: u32, counts: bool) -> Effect {
        let page = u64::from(page.max(1));
        Effect::LoadQueue {
            filter: self.filter.clone(),
            offset: (at / page) * page,
            limit: u32::try_from(page).unwrap_or(u32::MAX),
            counts,
        }
    }

    /// A page arrived. Pages for an older filter are dropped (a later one is on its way).
    pub fn loaded(
        &mut self,
        filter: QueueFilter,
        offset: u64,
        rows: Vec<QueueRow>,
        counts: Option<QueueCounts>,
    ) {
        if filter != self.filter {
            return;
        }
        if let Some(c) = counts {
            self.counts = c;
        }
        self.offset = offset;
        self.rows = rows;
        self.loaded = true;
        // Keep the focus on the page that arrived (the queue may have changed under us).
        let end = offset + self.rows.len() as u64;
        if self.rows.is_empty() || self.selected < offset {
            self.selected = offset;
        } else if self.selected >= end {
            self.selected = end - 1;
        }
    }

    /// After a page arrived empty past the start (the queue shrank while we paged), the
    /// page holding the new last row.
    #[must_use]
    pub fn refill(&self, page: u32) -> Option<Effect> {
        let total = self.total();
        let effect = self.load_at(total.saturating_sub(1), page, true);
        let moves = matches!(&effect, Effect::LoadQueue { offset, .. } if *offset != self.offset);
        (self.rows.is_empty() && self.offset > 0 && moves).then_some(effect)
    }
}

/// What the reviewer can do on the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueMsg {
    /// Focus the row above.
    Up,
    /// Focus the row below.
    Down,
    /// One page up.
    PageUp,
    /// One page down.
    PageDown,
    /// The first row.
    First,
    /// The last row.
    Last,
    /// Open the focused referral.
    Open,
    /// Next status filter (all, new, in_review, ...).
    NextStatus,
    /// Next unit filter.
    NextUnit,
    /// Next outcome filter.
    NextOutcome,
    /// Start typing a search.
    Search,
    /// A key while typing the search.
    SearchKey(KeyEvent),
    /// Apply the typed search.
    SearchApply,
    /// Stop typing, keep the old search.
    SearchCancel,
    /// Remove every filter.
    Clear,
    /// Open the figures.
    Figures,
}

/// Maps a key to a queue message.
#[must_use]
pub fn key(s: &QueueState, key: KeyEvent) -> Option<Msg> {
    if s.search.is_some() {
        let m = match key.code {
            KeyCode::Enter => QueueMsg::SearchApply,
            KeyCode::Esc => QueueMsg::SearchCancel,
            _ => QueueMsg::SearchKey(key),
        };
        return Some(Msg::Queue(m));
    }
    let m = match key.code {
        KeyCode::Up | KeyCode::Char('k') => QueueMsg::Up,
        KeyCode::Down | KeyCode::Char('j') => QueueMsg::Down,
        KeyCode::PageUp => QueueMsg::PageUp,
        KeyCode::PageDown | KeyCode::Char(' ') => QueueMsg::PageDown,
        KeyCode::Home | KeyCode::Char('g') => QueueMsg::First,
        KeyCode::End | KeyCode::Char('G') => QueueMsg::Last,
        KeyCode::Enter => QueueMsg::Open,
        KeyCode::Char('s') => QueueMsg::NextStatus,
        KeyCode::Char('u') => QueueMsg::NextUnit,
        KeyCode::Char('o') => QueueMsg::NextOutcome,
        KeyCode::Char('/') => QueueMsg::Search,
        KeyCode::Char('c') => QueueMsg::Clear,
        KeyCode::Char('f') => QueueMsg::Figures,
        KeyCode::Char('l') => return Some(Msg::Language),
        KeyCode::Char('q') | KeyCode::Esc => return Some(Msg::Quit),
        _ => return None,
    };
    Some(Msg::Queue(m))
}

/// The value after `current` in `all`, wrapping through "none" (all).
fn next_of<T: Clone + PartialEq>(all: &[T], current: Option<&T>) -> Option<T> {
    match current.and_then(|c| all.iter().position(|x| x == c)) {
        None => all.first().cloned(),
        Some(i) => all.get(i + 1).cloned(),
    }
}

/// Applies a queue message.
pub fn update(state: &mut State, msg: QueueMsg) -> Vec<Effect> {
    let page = state.page_size();
    let q = &mut state.queue;
    let last = q.total().saturating_sub(1);
    let moved = |q: &mut QueueState, to: u64| -> Vec<Effect> {
        q.selected = to.min(last);
        if q.focused().is_some() {
            Vec::new()
        } else {
            vec![q.load(page, false)]
        }
    };
    let refilter = |q: &mut QueueState| -> Vec<Effect> {
        q.selected = 0;
        vec![q.load(page, true)]
    };
    match msg {
        QueueMsg::Up => moved(q, q.selected.saturating_sub(1)),
        QueueMsg::Down => moved(q, q.selected.saturating_add(1)),
        QueueMsg::PageUp => moved(q, q.selected.saturating_sub(u64::from(page))),
        QueueMsg::PageDown => moved(q, q.selected.saturating_add(u64::from(page))),
        QueueMsg::First => moved(q, 0),
        QueueMsg::Last => moved(q, last),
        QueueMsg::Open => match q.focused() {
            Some(r) => vec![Effect::Open(r.id.clone())],
            None => Vec::new(),
        },
        QueueMsg::NextStatus => {
            q.filter.status = next_of(Status::ALL, q.filter.status.as_ref());
            refilter(q)
        }
        QueueMsg::NextUnit => {
            q.filter.unit = next_of(&q.choices.units, q.filter.unit.as_ref());
            refilter(q)
        }
        QueueMsg::NextOutcome => {
            q.filter.outcome = next_of(&q.choices.outcomes, q.filter.outcome.as_ref());
            refilter(q)
        }
        QueueMsg::Search => {
            q.search = Some(LineInput::new(q.filter.person.as_deref().unwrap_or("")));
            Vec::new()
        }
        QueueMsg::SearchKey(k) => {
            if let Some(input) = &mut q.search {
                input.key(k);
            }
            Vec::new()
        }
        QueueMsg::SearchApply => {
            let typed = q.search.take().map(|i| i.value()).unwrap_or_default();
            q.filter.person = Some(typed).filter(|t| !t.is_empty());
            refilter(q)
        }
        QueueMsg::SearchCancel => {
            q.search = None;
            Vec::new()
        }
        QueueMsg::Clear => {
            q.filter = QueueFilter::default();
            refilter(q)
        }
        QueueMsg::Figures => {
            let year = state.today.year();
            state.screen = Screen::Figures(Box::new(figures::FiguresState { year, stats: None }));
            vec![Effect::LoadFigures(year)]
        }
    }
}

/// The urgency cell: `!` when urgent, days to release, `E` for expected expulsion.
#[must_use]
pub fn urgency(r: &QueueRow, today: jiff::civil::Date) -> String {
    let mut parts = Vec::new();
    if r.urgent {
        parts.push("!".to_owned());
    }
    if let Some(d) = r.release_date.as_deref() {
        match days_until(today, d) {
            Some(n) if n < 0 => parts.push("past".to_owned()),
            Some(n) => parts.push(format!("{n}d")),
            None => parts.push(d.to_owned()),
        }
    }
    match r.expulsion {
        Some(Expulsion::Yes) => parts.push("E".to_owned()),
        Some(Expulsion::Pending) => parts.push("E?".to_owned()),
        _ => {}
    }
    parts.join(" ")
}

/// Draws the queue.
pub fn view(state: &State, frame: &mut Frame) {
    let w = state.words();
    let t = state.theme;
    let q = &state.queue;
    let keys: Vec<(&str, &str)> = if q.search.is_some() {
        vec![("Enter", w.search_word), ("Esc", w.key_cancel)]
    } else {
        vec![
            ("↑↓", w.key_move),
            ("Enter", w.key_open),
            ("s", w.key_status),
            ("u", w.key_unit),
            ("o", w.key_outcome),
            ("/", w.key_search),
            ("c", w.key_clear),
            ("f", w.key_figures),
            ("l", w.key_language),
            ("q", w.key_quit),
        ]
    };
    let body = super::chrome(state, frame, w.queue_title, &keys);
    let [counts_area, filter_area, table_area, hint_area] = Layout::vertical([
        Constraint::Length(1 + u16::from(state.narrow())),
        Constraint::Length(1),
        Constraint::Min(2),
        Constraint::Length(1),
    ])
    .areas(body);

    let mut spans = Vec::new();
    for (i, (s, n)) in q.counts.by_status.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" · "));
        }
        let style = if q.filter.status == Some(*s) {
            t.focus()
        } else {
            t.bold()
        };
        spans.push(Span::styled(format!("{s} {n}"), style));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).wrap(ratatui::widgets::Wrap { trim: true }),
        counts_area,
    );

    let all = w.all_word;
    let filter_line = if let Some(input) = &q.search {
        let [label, field] =
            Layout::horizontal([Constraint::Length(2), Constraint::Min(1)]).areas(filter_area);
        frame.render_widget(Paragraph::new(Span::styled("/ ", t.key())), label);
        input.render(frame, field, true, t.bold());
        None
    } else {
        let total = q.total();
        let shown = if total == 0 {
            String::new()
        } else {
            let from = q.offset + 1;
            let to = q.offset + q.rows.len() as u64;
            w.shown_of
                .replace("{from}", &from.to_string())
                .replace("{to}", &to.to_string())
                .replace("{n}", &total.to_string())
        };
        Some(format!(
            "{}: {} {} · {} {} · {} {} · {} {}   {shown}",
            w.filter_word,
            w.status_word,
            q.filter.status.map_or(all, Status::as_str),
            w.unit_word,
            q.filter.unit.as_deref().unwrap_or(all),
            w.outcome_word,
            q.filter.outcome.as_deref().unwrap_or(all),
            w.search_word,
            q.filter.person.as_deref().unwrap_or("-"),
        ))
    };
    if let Some(line) = filter_line {
        frame.render_widget(Paragraph::new(line), filter_area);
    }

    if !q.loaded {
        frame.render_widget(Paragraph::new(w.loading), table_area);
    } else if q.rows.is_empty() {
        frame.render_widget(Paragraph::new(w.none_match), table_area);
    } else {
        let header = Row::new([
            " ",
            w.col_urgency,
            w.col_received,
            w.col_person,
            w.col_unit,
            w.col_status,
            w.col_outcome,
            w.col_flags,
        ])
        .style(t.bold());
        let rows = q.rows.iter().enumerate().map(|(i, r)| {
            let focused = q.offset + i as u64 == q.selected;
            let row = Row::new([
                Cell::from(if focused { ">" } else { " " }),
                Cell::from(urgency(r, state.today)).style(if r.urgent {
                    t.warn()
                } else {
                    ratatui::style::Style::new()
                }),
                Cell::from(r.created_at.get(..10).unwrap_or(&r.created_at).to_owned()),
                Cell::from(r.person.clone()),
                Cell::from(r.unit.clone()),
                Cell::from(r.status.as_str()),
                Cell::from(r.outcome.clone()),
                Cell::from(r.flags.join(",")),
            ]);
            if focused { row.style(t.focus()) } else { row }
        });
        // The person's reference is what a reviewer searches and calls about: it gets room
        // first; outcome and flags take what is left.
        let table = Table::new(
            rows,
            [
                Constraint::Length(1),
                Constraint::Length(8),
                Constraint::Length(10),
                Constraint::Min(12),
                Constraint::Fill(1),
                Constraint::Length(15),
                Constraint::Fill(2),
                Constraint::Fill(1),
            ],
        )
        .header(header)
        .column_spacing(1);
        frame.render_widget(table, table_area);
    }
    frame.render_widget(
        Paragraph::new(Line::styled(w.urgency_hint, t.dim())),
        hint_area,
    );
}
