//! The review queue for ROSA staff: the queue of referrals, one referral in full (with status
//! changes, notes and Markdown export), and the year's figures.
//!
//! Same architecture as the interview: terminal events become messages ([`to_msg`]);
//! [`update`] changes the [`State`] and returns [`Effect`]s without doing IO; the [`runner`]
//! performs them against the [`Store`] and feeds the results back as messages; [`view`] only
//! draws. The loop is generic over the backend and the event source.
//!
//! The queue never holds more than one page of rows: every move past the page, every filter
//! change, asks the store for that page (see `store::queue`).

pub mod detail;
pub mod figures;
pub mod queue;
pub mod runner;

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::chrome::{self, draw_frame};
use super::theme::Theme;
use crate::questionnaire::Questionnaire;
use crate::store::{
    QueueChoices, QueueCounts, QueueFilter, QueueRow, ReferralDetail, Stats, Status,
};
use crate::words::HELPLINE;
// Named `words` here as before the move, so `super::words::status_label` reads the same.
use crate::words::review::{self as words, Words, words};

pub use runner::{Ended, Remember, run, run_with, run_with_remember};

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
/// The smallest terminal the screens are laid out for.
pub const MIN_HEIGHT: u16 = 24;

/// The screen on show. The queue's state is kept underneath, so leaving a referral returns
/// to the same place in the queue.
#[derive(Debug, Clone)]
pub enum Screen {
    /// The queue.
    Queue,
    /// One referral.
    Detail(Box<detail::DetailState>),
    /// The year's figures.
    Figures(Box<figures::FiguresState>),
}

/// The whole state of the review screens.
#[derive(Debug, Clone)]
pub struct State {
    /// The screens' language (`nb` or `en`; also chooses the questionnaire's wording).
    pub lang: String,
    /// Styles.
    pub theme: Theme,
    /// The queue (always kept).
    pub queue: queue::QueueState,
    /// What is on show.
    pub screen: Screen,
    /// The last failure, shown until the next successful action.
    pub banner: Option<String>,
    /// The last confirmation ("Note added."), shown until the next action.
    pub notice: Option<String>,
    /// The terminal's size in cells.
    pub size: (u16, u16),
    /// Set when the loop must end.
    pub exit: bool,
    /// Today (for days to release), read once so `update` and `view` stay pure.
    pub today: jiff::civil::Date,
    /// The questionnaire whose outcome and flag labels the queue shows (the built-in one);
    /// ids are shown for what it does not know.
    pub labels: Option<std::sync::Arc<Questionnaire>>,
    /// Set with `exit` when the reviewer pressed Ctrl-C: the whole program ends, not only
    /// the queue.
    pub interrupted: bool,
}

impl State {
    /// A fresh state on the queue, with no rows loaded yet (see [`State::first_effects`]).
    #[must_use]
    pub fn new(lang: &str, theme: Theme, today: jiff::civil::Date) -> Self {
        Self {
            lang: lang.to_owned(),
            theme,
            queue: queue::QueueState::default(),
            screen: Screen::Queue,
            banner: None,
            notice: None,
            size: (MIN_WIDTH, MIN_HEIGHT),
            exit: false,
            today,
            labels: None,
            interrupted: false,
        }
    }

    /// An outcome's label in the screens' language (its id when unknown).
    #[must_use]
    pub fn outcome_label(&self, id: &str) -> String {
        self.labels
            .as_deref()
            .and_then(|q| {
                q.outcome(id)
                    .map(|o| o.label.show(&self.label_lang(q)).to_owned())
            })
            .unwrap_or_else(|| id.to_owned())
    }

    /// A flag's label in the screens' language (its id when unknown).
    #[must_use]
    pub fn flag_label(&self, id: &str) -> String {
        self.labels
            .as_deref()
            .and_then(|q| {
                q.flag(id)
                    .map(|f| f.label.show(&self.label_lang(q)).to_owned())
            })
            .unwrap_or_else(|| id.to_owned())
    }

    fn label_lang(&self, q: &Questionnaire) -> String {
        if q.languages.contains(&self.lang) {
            self.lang.clone()
        } else {
            q.default_language().to_owned()
        }
    }

    /// The screens' words in the current language.
    #[must_use]
    pub fn words(&self) -> &'static Words {
        words(&self.lang)
    }

    /// True when the terminal is smaller than the screens need.
    #[must_use]
    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    /// The effects that fill the queue the first time.
    #[must_use]
    pub fn first_effects(&self) -> Vec<Effect> {
        vec![Effect::LoadChoices, self.queue.load(self.page_size(), true)]
    }

    /// How many queue rows fit on the screen.
    #[must_use]
    pub fn page_size(&self) -> u32 {
        // Title, counts (two lines when narrow), filter, table header, hint; banner and two
        // footer lines.
        let fixed = 9 + u16::from(self.narrow());
        u32::from(self.size.1.saturating_sub(fixed).max(1))
    }

    /// True when the counts per status need two lines.
    #[must_use]
    pub fn narrow(&self) -> bool {
        self.size.0 < 100
    }
}

/// Work for the runner: every storage and file call goes through here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Read a page of the queue (and the counts when `counts`).
    LoadQueue {
        /// The filter.
        filter: QueueFilter,
        /// Rows to skip.
        offset: u64,
        /// Rows to read.
        limit: u32,
        /// Also count per status.
        counts: bool,
    },
    /// Read the units and outcomes to filter by.
    LoadChoices,
    /// Read one referral and record the view in the audit log.
    Open(String),
    /// Read one referral again after a change (not a new view).
    Reload(String),
    /// Change a referral's status.
    SetStatus {
        /// The referral.
        id: String,
        /// The new status.
        to: Status,
        /// The note.
        note: Option<String>,
    },
    /// Add a note.
    AddNote {
        /// The referral.
        id: String,
        /// The note.
        text: String,
    },
    /// Write the referral's summary as Markdown to a file and record the export.
    Export {
        /// The referral.
        id: String,
        /// The file.
        path: PathBuf,
        /// The questionnaire wording's language.
        lang: String,
    },
    /// Read the figures of a year.
    LoadFigures(i16),
    /// Remember the language picked on screen for the next start (the settings' state file).
    RememberLang(String),
    /// Read where and when these referrals arrived (those imported from a prison).
    LoadArrivals(Vec<String>),
}

/// A referral as opened: the stored detail and the questionnaire snapshot it was asked with
/// (None if the snapshot cannot be read; ids are shown then).
#[derive(Debug, Clone)]
pub struct Opened {
    /// The referral in full.
    pub detail: ReferralDetail,
    /// The questionnaire it used.
    pub questionnaire: Option<Questionnaire>,
    /// Where and when it arrived, for a referral imported from a prison.
    pub arrival: Option<crate::store::Arrival>,
}

/// Everything that can happen.
#[derive(Debug, Clone)]
pub enum Msg {
    /// Leave the review screens.
    Quit,
    /// Ctrl-C: end the whole program (from the home screen's queue too).
    Interrupt,
    /// The terminal changed size.
    Resize(u16, u16),
    /// Switch the screens' language.
    Language,
    /// A queue key.
    Queue(queue::QueueMsg),
    /// A referral screen key.
    Detail(detail::DetailMsg),
    /// A figures key.
    Figures(figures::FiguresMsg),
    /// A page of the queue arrived.
    QueueLoaded {
        /// The filter it was read with.
        filter: QueueFilter,
        /// Its first row's position.
        offset: u64,
        /// The rows.
        rows: Vec<QueueRow>,
        /// Counts, when asked for.
        counts: Option<QueueCounts>,
    },
    /// The filter values arrived.
    ChoicesLoaded(QueueChoices),
    /// A referral arrived (opened or reloaded).
    Opened(Box<Opened>),
    /// A status change was saved.
    StatusChanged {
        /// The referral.
        id: String,
        /// The status before.
        from: Status,
        /// The status now.
        to: Status,
    },
    /// A note was saved.
    NoteAdded(String),
    /// The summary was written.
    Exported(PathBuf),
    /// The figures arrived.
    FiguresLoaded(Box<Stats>),
    /// A storage or file action failed (one sentence).
    Failed(String),
    /// The language was remembered (or there is nowhere to remember it).
    Remembered,
    /// Where the referrals on the page came from (imported ones only).
    ArrivalsLoaded(std::collections::HashMap<String, crate::store::Arrival>),
}

/// Turns a terminal event into a message (None: ignored).
#[must_use]
pub fn to_msg(state: &State, event: &Event) -> Option<Msg> {
    let key = match event {
        Event::Resize(w, h) => return Some(Msg::Resize(*w, *h)),
        Event::Key(k) if k.kind != KeyEventKind::Release => *k,
        _ => return None,
    };
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Msg::Interrupt);
    }
    if state.too_small() {
        return None;
    }
    match &state.screen {
        Screen::Queue => queue::key(&state.queue, key),
        Screen::Detail(d) => detail::key(d, key),
        Screen::Figures(_) => figures::key(key),
    }
}

/// Applies a message; returns the effects the runner must perform. Never does IO.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Quit => {
            state.exit = true;
            Vec::new()
        }
        Msg::Interrupt => {
            state.exit = true;
            state.interrupted = true;
            Vec::new()
        }
        Msg::Resize(w, h) => {
            let before = state.page_size();
            state.size = (w, h);
            if state.page_size() == before {
                Vec::new()
            } else {
                vec![
                    state
                        .queue
                        .load_at(state.queue.selected, state.page_size(), false),
                ]
            }
        }
        Msg::Language => {
            state.lang = if words(&state.lang).queue_title == words::NB.queue_title {
                "en".to_owned()
            } else {
                "nb".to_owned()
            };
            vec![Effect::RememberLang(state.lang.clone())]
        }
        Msg::Queue(m) => {
            state.notice = None;
            queue::update(state, m)
        }
        Msg::Detail(m) => detail::update(state, m),
        Msg::Figures(m) => figures::update(state, m),
        Msg::QueueLoaded {
            filter,
            offset,
            rows,
            counts,
        } => {
            state.banner = None;
            state.queue.loaded(filter, offset, rows, counts);
            let mut effects: Vec<Effect> =
                state.queue.refill(state.page_size()).into_iter().collect();
            if !state.queue.rows.is_empty() {
                effects.push(Effect::LoadArrivals(
                    state.queue.rows.iter().map(|r| r.id.clone()).collect(),
                ));
            }
            effects
        }
        Msg::ArrivalsLoaded(a) => {
            state.queue.arrivals = a;
            Vec::new()
        }
        Msg::ChoicesLoaded(c) => {
            state.queue.choices = c;
            Vec::new()
        }
        Msg::Opened(o) => {
            state.banner = None;
            detail::opened(state, *o);
            Vec::new()
        }
        Msg::StatusChanged { id, from, to } => {
            state.banner = None;
            state.notice = Some(
                state
                    .words()
                    .status_changed
                    .replace("{from}", words::status_label(state.words(), from))
                    .replace("{to}", words::status_label(state.words(), to)),
            );
            // The queue's order and counts change with the status.
            vec![
                Effect::Reload(id),
                state.queue.load(state.page_size(), true),
            ]
        }
        Msg::NoteAdded(id) => {
            state.banner = None;
            state.notice = Some(state.words().note_added.to_owned());
            vec![Effect::Reload(id)]
        }
        Msg::Exported(path) => {
            state.banner = None;
            state.notice = Some(
                state
                    .words()
                    .exported
                    .replace("{path}", &path.display().to_string()),
            );
            Vec::new()
        }
        Msg::FiguresLoaded(stats) => {
            state.banner = None;
            if let Screen::Figures(f) = &mut state.screen {
                f.stats = Some(*stats);
            }
            Vec::new()
        }
        Msg::Failed(e) => {
            state.notice = None;
            state.banner = Some(e);
            Vec::new()
        }
        Msg::Remembered => Vec::new(),
    }
}

/// Draws the state. Changes nothing.
pub fn view(state: &State, frame: &mut Frame) {
    if state.too_small() {
        let w = state.words();
        let text = w
            .too_small
            .replace("{w}", &state.size.0.to_string())
            .replace("{h}", &state.size.1.to_string());
        frame.render_widget(
            Paragraph::new(vec![
                Line::styled(text, state.theme.error()),
                Line::raw(format!("ROSA {HELPLINE}")),
            ])
            .wrap(Wrap { trim: true }),
            frame.area(),
        );
        return;
    }
    match &state.screen {
        Screen::Queue => queue::view(state, frame),
        Screen::Detail(d) => detail::view(state, d, frame),
        Screen::Figures(f) => figures::view(state, f, frame),
    }
}

/// Draws the frame every review screen shares (the same as the interview's: title bar, banner
/// or notice, footer with the keys and the helpline) and returns the body's area.
pub fn chrome(state: &State, frame: &mut Frame, title: &str, keys: &[(&str, &str)]) -> Rect {
    let status = match (&state.banner, &state.notice) {
        (Some(b), _) => Some(chrome::Status::Error(state.words().error_word, b)),
        (None, Some(n)) => Some(chrome::Status::Notice(n)),
        (None, None) => None,
    };
    draw_frame(frame, state.theme, title, status, keys)
}

/// Days from `today` to a release date `YYYY-MM-DD` (negative: passed); None if unparsable.
#[must_use]
pub fn days_until(today: jiff::civil::Date, date: &str) -> Option<i64> {
    let d: jiff::civil::Date = date.parse().ok()?;
    let span = today.until(d).ok()?;
    Some(i64::from(span.get_days()))
}

#[cfg(test)]
mod tests;
