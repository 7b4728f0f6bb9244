//! Start-up to the first drawn frame of the home screen: load and lint the questionnaire, open
//! a store, read the home data, draw once at 80x24 (TestBackend). And one interview step: a
//! key that commits an answer and draws the next question.

#![allow(clippy::expect_used)] // a benchmark that cannot set up has nothing to measure

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use rosa_screen::questionnaire;
use rosa_screen::store::Store;
use rosa_screen::tui::app::{Effect, State};
use rosa_screen::tui::runner::{self, Scripted};
use rosa_screen::tui::theme::Theme;

const EXAMPLE: &str = include_str!("../tests/fixtures/examples/small-screening.yaml");

fn first_frame(c: &mut Criterion) {
    c.bench_function("start_to_first_frame", |b| {
        b.iter(|| {
            let q = Arc::new(
                questionnaire::open(EXAMPLE, "small-screening.yaml").expect("example loads"),
            );
            let mut store = Store::in_memory().expect("store");
            let mut state = State::new(q, Some("nb"), Theme::new(true));
            let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
            runner::run(
                &mut terminal,
                &mut Scripted(std::iter::empty()),
                &mut store,
                &mut state,
                vec![Effect::LoadHome],
            )
            .expect("runs");
            terminal
        });
    });
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn answer_step(c: &mut Criterion) {
    let q = Arc::new(questionnaire::open(EXAMPLE, "small-screening.yaml").expect("loads"));
    c.bench_function("answer_commit_and_redraw", |b| {
        b.iter_batched(
            || {
                let mut store = Store::in_memory().expect("store");
                let mut state = State::new(Arc::clone(&q), Some("en"), Theme::new(true));
                let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
                let mut start = vec![key('n')];
                start.extend("Unit".chars().map(key));
                start.push(Event::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
                start.extend("Officer".chars().map(key));
                start.push(Event::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
                start.extend("P-1".chars().map(key));
                for _ in 0..7 {
                    start.push(Event::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
                }
                start.push(Event::Key(KeyEvent::new(
                    KeyCode::Enter,
                    KeyModifiers::NONE,
                )));
                runner::run(
                    &mut terminal,
                    &mut Scripted(start.into_iter()),
                    &mut store,
                    &mut state,
                    vec![Effect::LoadHome],
                )
                .expect("runs");
                (store, state, terminal)
            },
            |(mut store, mut state, mut terminal)| {
                let keys = vec![
                    key('3'),
                    key('4'),
                    Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
                ];
                runner::run(
                    &mut terminal,
                    &mut Scripted(keys.into_iter()),
                    &mut store,
                    &mut state,
                    Vec::new(),
                )
                .expect("runs");
            },
            criterion::BatchSize::SmallInput,
        );
    });
}

criterion_group!(benches, first_frame, answer_step);
criterion_main!(benches);
