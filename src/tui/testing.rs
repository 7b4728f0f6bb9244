//! Test helpers: the example questionnaire, a real in-memory [`Store`], and a way to press keys
//! through `to_msg`, `update` and the effects.

use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::app::{self, State};
use super::runner;
use super::theme::Theme;
use crate::questionnaire::Questionnaire;
use crate::screening::Entry;
use crate::store::{Store, StoredScreening};

/// The small example questionnaire.
pub fn example() -> Arc<Questionnaire> {
    crate::fixtures::small()
}

/// A state and an in-memory store, driven by keys.
pub struct Driver {
    pub state: State,
    pub store: Store,
}

impl Driver {
    /// On the home screen in `lang`.
    pub fn new(lang: &str) -> Self {
        Self::with_questionnaire(example(), lang)
    }

    /// On the home screen in `lang`, interviewing with `questionnaire`.
    pub fn with_questionnaire(questionnaire: Arc<Questionnaire>, lang: &str) -> Self {
        let mut d = Self {
            state: State::new(questionnaire, Some(lang), Theme::new(false)),
            store: Store::in_memory().unwrap_or_else(|e| panic!("in-memory store: {e}")),
        };
        let m = runner::perform(&mut d.store, app::Effect::LoadHome);
        runner::dispatch(&mut d.state, &mut d.store, m);
        d
    }

    /// Presses one key (through `to_msg`); returns whether it produced a message.
    pub fn key(&mut self, code: KeyCode) -> bool {
        self.event(KeyEvent::new(code, KeyModifiers::NONE))
    }

    /// Presses Ctrl+`c`.
    pub fn ctrl(&mut self, c: char) -> bool {
        self.event(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
    }

    fn event(&mut self, k: KeyEvent) -> bool {
        match app::to_msg(&self.state, &Event::Key(k)) {
            Some(m) => {
                runner::dispatch(&mut self.state, &mut self.store, m);
                true
            }
            None => false,
        }
    }

    /// Types text.
    pub fn type_str(&mut self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// Fills the form and starts a screening for `person`.
    pub fn start(&mut self, person: &str) {
        self.key(KeyCode::Char('n'));
        for (i, v) in ["Unit 1", "Officer A", person].iter().enumerate() {
            if i > 0 {
                self.key(KeyCode::Tab);
            }
            self.type_str(v);
        }
        for _ in 0..7 {
            self.key(KeyCode::Tab);
        }
        self.key(KeyCode::Enter);
    }

    /// The screen at 80x24 as text.
    pub fn screen(&self) -> String {
        let Ok(mut t) = Terminal::new(TestBackend::new(80, 24));
        let _ = t.draw(|f| app::view(&self.state, f));
        crate::fixtures::screen_text(t.backend().buffer())
    }

    /// The current question's id, if interviewing.
    pub fn current(&self) -> Option<String> {
        match &self.state.screen {
            app::Screen::Interview(sc, _) => sc.session.current().map(|q| q.id.name.clone()),
            _ => None,
        }
    }

    /// The screening started last, as stored.
    pub fn kept(&self) -> StoredScreening {
        match self.store.latest_screening() {
            Ok(Some(s)) => s,
            other => panic!("no screening stored: {other:?}"),
        }
    }

    /// The stored entry for a question of the screening started last.
    pub fn entry(&self, question: &str) -> Option<Entry> {
        self.kept()
            .entries()
            .into_iter()
            .find(|(id, _)| id == question)
            .map(|(_, e)| e)
    }

    /// Makes every write fail as on a full disk (`true`), or work again.
    pub fn full_disk(&mut self, on: bool) {
        self.store.fail_writes_for_test(on);
    }
}
