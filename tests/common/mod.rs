//! The one set of helpers for the integration tests (a test file says `mod common;`):
//! [`fixtures`] (the example questionnaire, details, a recorded referral; shared with the
//! library's unit tests), [`cli`] (the binary as a command), [`pty`] (the binary in a
//! pseudo-terminal), and here key events and a driver that plays keys through the real
//! runner on a `TestBackend`.
#![allow(dead_code)] // each test file uses a different part
#![allow(clippy::expect_used)] // test helpers: a failure here is a failed test

pub mod cli;
pub mod fixtures;
pub mod pty;

use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use rosa_screen::questionnaire::Questionnaire;
use rosa_screen::store::Store;
use rosa_screen::tui::app::{Effect, Exit, State};
use rosa_screen::tui::runner::{self, Scripted};
use rosa_screen::tui::theme::Theme;

/// The small example questionnaire (every kind of question).
pub fn example() -> Arc<Questionnaire> {
    fixtures::small()
}

/// A small questionnaire whose answers fill the referral's release date and expulsion.
pub fn forms_fills() -> Arc<Questionnaire> {
    let text = include_str!("../fixtures/examples/forms-fills.yaml");
    Arc::new(
        rosa_screen::questionnaire::open(text, "forms-fills.yaml")
            .expect("forms-fills loads clean"),
    )
}

/// A key press.
pub fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// A key press with Ctrl.
pub fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// A character key.
pub fn ch(c: char) -> Event {
    key(KeyCode::Char(c))
}

/// Typing a string.
pub fn text(s: &str) -> Vec<Event> {
    s.chars().map(ch).collect()
}

/// Enter.
pub fn enter() -> Event {
    key(KeyCode::Enter)
}

/// Tab.
pub fn tab() -> Event {
    key(KeyCode::Tab)
}

/// The app on a TestBackend with an in-memory store.
pub struct App {
    pub state: State,
    pub store: Store,
    pub terminal: Terminal<TestBackend>,
    started: bool,
}

impl App {
    /// A fresh app in `lang`, home screen, 80x24, no colour (snapshots are text anyway).
    pub fn new(lang: &str) -> Self {
        Self::sized(lang, 80, 24)
    }

    /// A fresh app at a given size.
    pub fn sized(lang: &str, w: u16, h: u16) -> Self {
        Self::with_store(lang, w, h, Store::in_memory().expect("in-memory store"))
    }

    /// A fresh app over `store`.
    pub fn with_store(lang: &str, w: u16, h: u16, store: Store) -> Self {
        Self::with_questionnaire(example(), lang, w, h, store)
    }

    /// A fresh app running questionnaire `q` over `store`.
    pub fn with_questionnaire(
        q: Arc<Questionnaire>,
        lang: &str,
        w: u16,
        h: u16,
        store: Store,
    ) -> Self {
        Self {
            state: State::new(q, Some(lang), Theme::new(false)),
            store,
            terminal: Terminal::new(TestBackend::new(w, h)).expect("test terminal"),
            started: false,
        }
    }

    /// Plays `events` through the real loop (loading home data first on the first call);
    /// returns why it stopped.
    pub fn play(&mut self, events: Vec<Event>) -> Exit {
        let first = if self.started {
            Vec::new()
        } else {
            vec![Effect::LoadHome]
        };
        self.started = true;
        // One extra no-op event so the last state is drawn before the script ends.
        let mut events = events;
        events.push(Event::FocusGained);
        runner::run(
            &mut self.terminal,
            &mut Scripted(events.into_iter()),
            &mut self.store,
            &mut self.state,
            first,
        )
        .expect("runs")
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        fixtures::screen_text(self.terminal.backend().buffer())
    }

    /// Where the terminal cursor is, if shown.
    pub fn cursor(&mut self) -> (u16, u16) {
        let p = self.terminal.get_cursor_position().expect("cursor");
        (p.x, p.y)
    }
}

/// Keys that fill the details form from the home screen and start the screening.
pub fn start_screening(person: &str) -> Vec<Event> {
    let mut e = vec![ch('n')];
    e.extend(text("Bredtveit"));
    e.push(tab());
    e.extend(text("Officer B, 555 01 234"));
    e.push(tab());
    e.extend(text(person));
    e.push(tab());
    e.push(key(KeyCode::Right)); // gender: female
    e.push(tab());
    e.extend(text("1990"));
    e.push(tab());
    e.extend(text("ng"));
    e.push(tab()); // language stays
    e.push(tab());
    e.push(key(KeyCode::Right)); // interpreter: in person
    e.push(tab());
    e.push(tab()); // person's language: none
    e.push(enter()); // start
    e
}

/// Answers to the example's questions up to the end of the questions (strong indication).
pub fn answer_all() -> Vec<Event> {
    let mut e = Vec::new();
    e.extend(text("34"));
    e.push(enter()); // age_estimate
    e.push(enter()); // explain (info)
    e.extend([ch('1'), enter()]); // agrees: yes
    e.extend([ch('1'), enter()]); // came_for_job: yes
    e.extend([ch('2'), enter()]); // job_matched: no
    e.extend([ch('2'), enter()]); // who_arranged: someone else
    e.extend(text("14"));
    e.push(enter()); // hours
    e.extend([ch('1'), ch('3'), enter()]); // conditions: unpaid, watched
    e.extend([ch('2'), enter()]); // passport: the employer
    e.extend([ch('1'), enter()]); // told_to_offend: yes
    e.extend([ch('1'), enter()]); // wants_help: yes
    e.extend(text("Worried about a debt"));
    e.push(enter()); // notes
    e
}
