//! The queue: counts per status, the filter, and one page of referrals in the queue's order
//! (urgent first; see `store::queue`).

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::{Effect, Msg, Screen, State, days_until, figures, words};
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
    /// Where the referrals on the page came from, by id (imported ones only).
    pub arrivals: std::collections::HashMap<String, crate::store::Arrival>,
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
        // Each label and its count wrap as one.
        let item = format!("{} {n}", words::status_label(w, *s))
            .replace(' ', &crate::tui::wrap::NBSP.to_string());
        spans.push(Span::styled(item, style));
    }
    frame.render_widget(
        Paragraph::new(crate::tui::wrap::wrap_line(
            &Line::from(spans),
            usize::from(counts_area.width),
        )),
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
            q.filter.status.map_or(all, |x| words::status_label(w, x)),
            w.unit_word,
            q.filter
                .unit
                .as_deref()
                .map_or_else(|| all.to_owned(), crate::tui::shown),
            w.outcome_word,
            q.filter
                .outcome
                .as_deref()
                .map_or_else(|| all.to_owned(), |o| state.outcome_label(o)),
            w.search_word,
            q.filter
                .person
                .as_deref()
                .map_or_else(|| "-".to_owned(), crate::tui::shown),
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
        let header = [
            " ".to_owned(),
            w.col_urgency.to_owned(),
            w.col_received.to_owned(),
            w.col_person.to_owned(),
            w.col_unit.to_owned(),
            w.col_status.to_owned(),
            w.col_outcome.to_owned(),
            w.col_flags.to_owned(),
        ];
        let cells: Vec<[String; 8]> = q
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let focused = q.offset + i as u64 == q.selected;
                [
                    if focused { ">" } else { " " }.to_owned(),
                    urgency(r, state.today),
                    // At ROSA a referral is received when it arrives from the prison.
                    q.arrivals.get(&r.id).map_or_else(
                        || r.created_at.get(..10).unwrap_or(&r.created_at).to_owned(),
                        |a| a.arrived_at.get(..10).unwrap_or(&a.arrived_at).to_owned(),
                    ),
                    match q.arrivals.get(&r.id) {
                        Some(a) if a.anonymous && r.person.is_empty() => {
                            crate::words::sites::site_words(&state.lang)
                                .anonymous
                                .to_owned()
                        }
                        _ => crate::tui::shown(&r.person),
                    },
                    crate::tui::shown(&r.unit),
                    words::status_label(w, r.status).to_owned(),
                    state.outcome_label(&r.outcome),
                    r.flags
                        .iter()
                        .map(|f| state.flag_label(f))
                        .collect::<Vec<_>>()
                        .join(", "),
                ]
            })
            .collect();
        let widths = column_widths(&header, &cells, table_area.width);
        // A row takes at most three lines, so a page still shows several referrals; a longer
        // unit, outcome or flag list ends in "…" (the referral shows it whole). The person
        // reference is never shortened: its column is as wide as the longest one.
        let wrapped = |text: &str, col: usize| -> Vec<String> {
            let mut lines = crate::tui::wrap::wrap_flush(text, usize::from(widths[col]));
            if lines.len() > MAX_ROW_LINES {
                lines.truncate(MAX_ROW_LINES);
                if let Some(last) = lines.last_mut() {
                    let room = usize::from(widths[col]).saturating_sub(1);
                    while crate::tui::wrap::width(last) > room {
                        last.pop();
                    }
                    last.push('…');
                }
            }
            lines
        };
        let header = Row::new(header.clone()).style(t.bold());
        let rows = cells.iter().enumerate().map(|(i, c)| {
            let focused = q.offset + i as u64 == q.selected;
            let urgent = q.rows.get(i).is_some_and(|r| r.urgent);
            let lines: Vec<Vec<String>> = c
                .iter()
                .enumerate()
                .map(|(col, text)| wrapped(text, col))
                .collect();
            let height = lines.iter().map(Vec::len).max().unwrap_or(1);
            let row = Row::new(lines.into_iter().enumerate().map(|(col, l)| {
                let cell = Cell::from(Text::from(
                    l.into_iter().map(Line::from).collect::<Vec<_>>(),
                ));
                if col == 1 && urgent {
                    cell.style(t.warn())
                } else {
                    cell
                }
            }))
            .height(u16::try_from(height).unwrap_or(1));
            if focused { row.style(t.focus()) } else { row }
        });
        let focused_row = usize::try_from(q.selected.saturating_sub(q.offset)).ok();
        let table = Table::new(rows, widths.map(Constraint::Length))
            .header(header)
            .column_spacing(1);
        let mut table_state = TableState::default().with_selected(focused_row);
        frame.render_stateful_widget(table, table_area, &mut table_state);
    }
    frame.render_widget(
        Paragraph::new(Line::styled(w.urgency_hint, t.dim())),
        hint_area,
    );
}

/// The most lines one referral takes in the queue.
const MAX_ROW_LINES: usize = 3;

/// Column widths sized by content: every column gets the width of its widest cell (header
/// included) when that fits. When it does not, the person reference, urgency, date and the
/// focus mark keep their full width (a reference is never cut), and unit, status, outcome and
/// flags share what is left, the narrower ones first getting all they need; their text wraps
/// inside the row rather than being cut.
#[must_use]
pub fn column_widths(header: &[String; 8], rows: &[[String; 8]], total: u16) -> [u16; 8] {
    let natural: Vec<usize> = (0..8)
        .map(|c| {
            std::iter::once(&header[c])
                .chain(rows.iter().map(|r| &r[c]))
                .map(|t| crate::tui::wrap::width(t))
                .max()
                .unwrap_or(1)
                .max(1)
        })
        .collect();
    let mut out = [0u16; 8];
    let spacing = 7;
    let fixed = [0usize, 1, 2, 3];
    let flexible = [4usize, 5, 6, 7];
    let mut left = usize::from(total).saturating_sub(spacing);
    for c in fixed {
        let w = natural[c].min(left);
        out[c] = u16::try_from(w).unwrap_or(u16::MAX);
        left -= w;
    }
    // Each flexible column first gets its longest word (so words wrap whole) when all of
    // them fit; then, narrowest first, each takes what it needs up to an equal share of the
    // rest.
    let word: Vec<usize> = (0..8)
        .map(|c| {
            std::iter::once(&header[c])
                .chain(rows.iter().map(|r| &r[c]))
                .map(|t| crate::tui::wrap::longest_word(t))
                .max()
                .unwrap_or(1)
                .clamp(1, natural[c])
        })
        .collect();
    let floor: usize = flexible.iter().map(|c| word[*c]).sum();
    let base: Vec<usize> = if floor <= left {
        word.clone()
    } else {
        // Not even the longest words fit: share the room by the same rule, on the words.
        let mut base = vec![1; 8];
        let mut room = left;
        let mut order = flexible.to_vec();
        order.sort_by_key(|c| word[*c]);
        let mut remaining = order.len();
        for c in order {
            let w = word[c].min(room / remaining.max(1)).max(1);
            base[c] = w;
            room = room.saturating_sub(w);
            remaining -= 1;
        }
        base
    };
    left -= flexible.iter().map(|c| base[*c]).sum::<usize>().min(left);
    let mut order = flexible.to_vec();
    order.sort_by_key(|c| natural[*c] - base[*c]);
    let mut remaining = order.len();
    for c in order {
        let share = left / remaining.max(1);
        let extra = (natural[c] - base[c]).min(share);
        out[c] = u16::try_from(base[c] + extra).unwrap_or(u16::MAX);
        left -= extra;
        remaining -= 1;
    }
    out
}
