//! The loop: draw, wait for an event, turn it into a message, update, and perform the effects
//! `update` asked for (feeding their results back as messages) before the next frame is drawn.
//! Generic over the ratatui backend and the event source, so tests drive it with scripted key
//! events and a `TestBackend`.

use std::collections::VecDeque;
use std::io;

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event};

use super::app::{self, Effect, Exit, Msg, State};
use crate::store::Store;

/// Where events come from.
pub trait Events {
    /// The next event; `Ok(None)` when there will be no more (scripted tests).
    fn next_event(&mut self) -> io::Result<Option<Event>>;
}

/// The real terminal's events (blocking). A watched signal (SIGTERM, SIGHUP, SIGINT; see
/// [`super::signals`]) ends them, so the loop returns and the terminal is restored.
#[derive(Debug, Default, Clone, Copy)]
pub struct TerminalEvents;

/// How long a wait for a key lasts before the signal flag is looked at again: short enough
/// that a `kill` gives the terminal back at once to a person watching, long enough to cost
/// nothing.
const SIGNAL_CHECK: std::time::Duration = std::time::Duration::from_millis(100);

impl Events for TerminalEvents {
    fn next_event(&mut self) -> io::Result<Option<Event>> {
        loop {
            if super::signals::received().is_some() {
                return Ok(None);
            }
            match event::poll(SIGNAL_CHECK) {
                Ok(true) => return event::read().map(Some),
                Ok(false) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

/// Scripted events, for tests and benchmarks.
#[derive(Debug)]
pub struct Scripted<I>(pub I);

impl<I: Iterator<Item = Event>> Events for Scripted<I> {
    fn next_event(&mut self) -> io::Result<Option<Event>> {
        Ok(self.0.next())
    }
}

/// Performs one effect against the store; the message carrying its result.
pub fn perform(store: &mut Store, effect: Effect) -> Msg {
    let failed = |e: crate::store::StoreError| Msg::StoreFailed(e.to_string());
    match effect {
        Effect::LoadHome => match (store.unfinished(), store.latest_screening()) {
            (Ok(mut unfinished), Ok(latest)) => {
                // The store lists oldest first; the officer most likely wants the latest.
                unfinished.reverse();
                Msg::HomeLoaded {
                    unfinished,
                    defaults: latest.map(|s| s.details()),
                }
            }
            (Err(e), _) | (_, Err(e)) => failed(e),
        },
        Effect::Start {
            questionnaire,
            details,
        } => match store.create_screening(&questionnaire, &details) {
            Ok(id) => Msg::Started { id, details },
            Err(e) => failed(e),
        },
        Effect::Resume(id) => match (store.resume(&id), store.immediate_flags(&id)) {
            (Ok(r), Ok(flags)) => Msg::Resumed(Box::new(r), flags),
            (Err(e), _) | (_, Err(e)) => failed(e),
        },
        Effect::Record { screening, pending } => match store.record(&screening, &pending) {
            Ok(()) => Msg::Recorded(pending),
            Err(e) => failed(e),
        },
        Effect::Finish {
            screening,
            result,
            then,
        } => match store.finish_screening(&screening, &(&result).into()) {
            Ok(()) => Msg::Finished(then),
            Err(e) => failed(e),
        },
        Effect::Consent { screening, consent } => match store.set_consent(&screening, consent) {
            Ok(()) => Msg::ConsentRecorded(consent),
            Err(e) => failed(e),
        },
        Effect::Refer { screening, request } => match store.create_referral(&screening, &request) {
            Ok(id) => Msg::Referred(id),
            Err(e) => failed(e),
        },
        Effect::RecordFlags { screening, flags } => {
            match store.record_immediate(&screening, flags.iter().map(String::as_str)) {
                Ok(_) => Msg::FlagsRecorded,
                Err(e) => failed(e),
            }
        }
        Effect::AcknowledgeFlag { screening, flag } => {
            let actor = store.actor().to_owned();
            match store.acknowledge_immediate(&screening, &flag, &actor) {
                Ok(()) => Msg::FlagAcknowledged(flag),
                Err(e) => failed(e),
            }
        }
        Effect::Site(e) => super::screens::sites::perform(store, e),
    }
}

/// Applies `msg` and performs every effect it leads to, in order, until none are left.
pub fn dispatch(state: &mut State, store: &mut Store, msg: Msg) {
    let mut queue: VecDeque<Effect> = app::update(state, msg).into();
    while let Some(effect) = queue.pop_front() {
        let result = perform(store, effect);
        queue.extend(app::update(state, result));
    }
}

/// A failure of the terminal itself (not of the store, which the screens report).
#[derive(Debug)]
pub struct TerminalError(pub String);

impl std::fmt::Display for TerminalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TerminalError {}

/// Runs the application until the officer quits, asks for the review queue, or the events
/// run out. `first` are the effects to perform before the first frame (loading home data).
pub fn run<B, E>(
    terminal: &mut Terminal<B>,
    events: &mut E,
    store: &mut Store,
    state: &mut State,
    first: Vec<Effect>,
) -> Result<Exit, TerminalError>
where
    B: Backend,
    E: Events,
{
    let draw_err = |e: B::Error| TerminalError(format!("could not draw on the terminal: {e}"));
    let size = terminal.size().map_err(draw_err)?;
    state.size = (size.width, size.height);
    for effect in first {
        let msg = perform(store, effect);
        dispatch(state, store, msg);
    }
    loop {
        if let Some(exit) = state.exit {
            return Ok(exit);
        }
        terminal.draw(|f| app::view(state, f)).map_err(draw_err)?;
        let Some(event) = events
            .next_event()
            .map_err(|e| TerminalError(format!("could not read from the terminal: {e}")))?
        else {
            return Ok(Exit::Quit);
        };
        if let Some(msg) = app::to_msg(state, &event) {
            dispatch(state, store, msg);
        }
    }
}
