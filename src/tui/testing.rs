//! Test helpers: an in-memory [`Storage`] that records every call, the example questionnaire,
//! and a way to press keys through `to_msg`, `update` and the effects.

use std::collections::BTreeMap;
use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::app::{self, State};
use super::port::{Consent, Details, ReferralRequest, Resumed, Storage, StorageError, Unfinished};
use super::runner;
use super::theme::Theme;
use crate::questionnaire::Questionnaire;
use crate::screening::{Entry, Pending, ScreeningResult};

/// One screening as the memory store keeps it.
#[derive(Debug, Clone, Default)]
pub struct Kept {
    pub details: Details,
    pub entries: BTreeMap<String, Entry>,
    pub result: Option<ScreeningResult>,
    pub consent: Option<Consent>,
    pub referral: Option<ReferralRequest>,
}

/// Storage in memory; `fail` makes the next write fail (a full disk).
#[derive(Debug, Default)]
pub struct Memory {
    pub q: Option<Arc<Questionnaire>>,
    pub screenings: BTreeMap<String, Kept>,
    pub fail: bool,
}

impl Memory {
    fn write(&mut self) -> Result<(), StorageError> {
        if self.fail {
            return Err(StorageError(
                "the disk is full; this answer was not saved".into(),
            ));
        }
        Ok(())
    }
}

impl Storage for Memory {
    fn last_details(&mut self) -> Result<Option<Details>, StorageError> {
        Ok(self.screenings.values().last().map(|k| k.details.clone()))
    }
    fn unfinished(&mut self) -> Result<Vec<Unfinished>, StorageError> {
        Ok(self
            .screenings
            .iter()
            .filter(|(_, k)| k.result.is_none())
            .map(|(id, k)| Unfinished {
                id: id.clone(),
                person: k.details.person.clone(),
                unit: k.details.unit.clone(),
                started: "today".into(),
                answered: k.entries.len(),
            })
            .collect())
    }
    fn start(&mut self, q: &Questionnaire, details: &Details) -> Result<String, StorageError> {
        self.write()?;
        let id = format!("s{}", self.screenings.len() + 1);
        self.q = Some(Arc::new(q.clone()));
        self.screenings.insert(
            id.clone(),
            Kept {
                details: details.clone(),
                ..Kept::default()
            },
        );
        Ok(id)
    }
    fn record(&mut self, s: &str, p: &Pending) -> Result<(), StorageError> {
        let Some(e) = p.entry() else {
            return Ok(());
        };
        self.write()?;
        let k = self
            .screenings
            .get_mut(s)
            .ok_or(StorageError("no such".into()))?;
        k.entries.insert(p.question().to_string(), e.clone());
        Ok(())
    }
    fn resume(&mut self, s: &str) -> Result<Resumed, StorageError> {
        let k = self
            .screenings
            .get(s)
            .ok_or(StorageError("no such".into()))?;
        Ok(Resumed {
            id: s.to_string(),
            details: k.details.clone(),
            questionnaire: self.q.clone().ok_or(StorageError("no q".into()))?,
            entries: k.entries.clone().into_iter().collect(),
        })
    }
    fn finish(&mut self, s: &str, r: &ScreeningResult) -> Result<(), StorageError> {
        self.write()?;
        let k = self
            .screenings
            .get_mut(s)
            .ok_or(StorageError("no such".into()))?;
        if k.result.is_some() {
            return Err(StorageError("already finished".into()));
        }
        k.result = Some(r.clone());
        Ok(())
    }
    fn set_consent(&mut self, s: &str, c: Consent) -> Result<(), StorageError> {
        self.write()?;
        let k = self
            .screenings
            .get_mut(s)
            .ok_or(StorageError("no such".into()))?;
        k.consent = Some(c);
        Ok(())
    }
    fn refer(&mut self, s: &str, r: &ReferralRequest) -> Result<String, StorageError> {
        self.write()?;
        let k = self
            .screenings
            .get_mut(s)
            .ok_or(StorageError("no such".into()))?;
        k.referral = Some(r.clone());
        Ok(format!("r-{s}"))
    }
}

/// The small example questionnaire.
pub fn example() -> Arc<Questionnaire> {
    let text = include_str!("../../tests/fixtures/examples/small-screening.yaml");
    match crate::questionnaire::open(text, "small-screening.yaml") {
        Ok(q) => Arc::new(q),
        Err(f) => panic!("example does not load: {f:?}"),
    }
}

/// A state and a memory store, driven by keys.
pub struct Driver {
    pub state: State,
    pub store: Memory,
}

impl Driver {
    /// On the home screen in `lang`.
    pub fn new(lang: &str) -> Self {
        let mut d = Self {
            state: State::new(example(), Some(lang), Theme::new(false)),
            store: Memory::default(),
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
        let buf = t.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut line = String::new();
            for x in 0..buf.area.width {
                line.push_str(buf[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// The current question's id, if interviewing.
    pub fn current(&self) -> Option<String> {
        match &self.state.screen {
            app::Screen::Interview(sc, _) => sc.session.current().map(|q| q.id.name.clone()),
            _ => None,
        }
    }
}
