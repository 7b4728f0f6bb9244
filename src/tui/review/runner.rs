//! The review loop: draw, wait for an event, update, and perform the effects (store reads and
//! writes, the export file) before the next frame. Generic over the backend and the event
//! source, so tests drive it with scripted keys on a `TestBackend`.

use std::collections::VecDeque;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use ratatui::Terminal;
use ratatui::backend::Backend;

use super::{Effect, Msg, Opened, State, update, view};
use crate::report::{self, Style};
use crate::store::{ReferralDetail, Store, StoreError};
use crate::tui::runner::{Events, TerminalError, TerminalEvents};
use crate::tui::theme::Theme;

/// The questionnaire a referral's screening was asked with, from its stored snapshot.
fn snapshot(d: &ReferralDetail) -> Option<crate::questionnaire::Questionnaire> {
    d.screening.questionnaire_snapshot().ok()
}

fn failed(e: &StoreError) -> Msg {
    Msg::Failed(e.to_string())
}

/// Writes `text` to `path` atomically: a temporary file beside it, flushed to disk, then
/// renamed over the target, so a crash or full disk never leaves a half-written summary.
/// `before_rename` runs once the data is safely on disk (the audit entry); if it fails, the
/// temporary file is removed and nothing appears at `path`.
pub fn write_atomically(
    path: &Path,
    text: &str,
    before_rename: impl FnOnce() -> Result<(), String>,
) -> Result<(), String> {
    let shown = path.display();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| format!("{shown} is not a file name to export to"))?;
    if path.is_dir() {
        return Err(format!(
            "{shown} is a folder; give a file name to export to"
        ));
    }
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let io = |e: std::io::Error| format!("cannot write {shown}: {e}");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(io)?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(io)
        .and_then(|()| before_rename())
        .and_then(|()| std::fs::rename(&tmp, path).map_err(io));
    if written.is_err() {
        // Best effort: the temporary file must not linger with a person's answers in it.
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Performs one effect; the message carrying its result.
pub fn perform(store: &mut Store, actor: &str, effect: Effect) -> Msg {
    match effect {
        Effect::LoadQueue {
            filter,
            offset,
            limit,
            counts,
        } => {
            let counted = if counts {
                match store.queue_counts(&filter) {
                    Ok(c) => Some(c),
                    Err(e) => return failed(&e),
                }
            } else {
                None
            };
            match store.queue_page(&filter, offset, limit) {
                Ok(rows) => Msg::QueueLoaded {
                    filter,
                    offset,
                    rows,
                    counts: counted,
                },
                Err(e) => failed(&e),
            }
        }
        Effect::LoadChoices => match store.queue_choices() {
            Ok(c) => Msg::ChoicesLoaded(c),
            Err(e) => failed(&e),
        },
        Effect::Open(id) => {
            // Read first, then record the view: a referral is shown only once its viewing is
            // in the audit log.
            let detail = match store.referral(&id) {
                Ok(d) => d,
                Err(e) => return failed(&e),
            };
            if let Err(e) = store.record_view(&id, actor) {
                return Msg::Failed(format!(
                    "the view of referral {id} could not be recorded in the audit log, so it is not shown: {e}"
                ));
            }
            let questionnaire = snapshot(&detail);
            match store.arrival(&id) {
                Ok(arrival) => Msg::Opened(Box::new(Opened {
                    detail,
                    questionnaire,
                    arrival,
                })),
                Err(e) => failed(&e),
            }
        }
        Effect::Reload(id) => match (store.referral(&id), store.arrival(&id)) {
            (Ok(detail), Ok(arrival)) => {
                let questionnaire = snapshot(&detail);
                Msg::Opened(Box::new(Opened {
                    detail,
                    questionnaire,
                    arrival,
                }))
            }
            (Err(e), _) | (_, Err(e)) => failed(&e),
        },
        Effect::LoadArrivals(ids) => {
            let mut found = std::collections::HashMap::new();
            for id in ids {
                match store.arrival(&id) {
                    Ok(Some(a)) => {
                        found.insert(id, a);
                    }
                    Ok(None) => {}
                    Err(e) => return failed(&e),
                }
            }
            Msg::ArrivalsLoaded(found)
        }
        Effect::SetStatus { id, to, note } => {
            match store.set_status(&id, to, note.as_deref(), actor) {
                Ok(from) => Msg::StatusChanged { id, from, to },
                Err(e) => failed(&e),
            }
        }
        Effect::AddNote { id, text } => match store.add_note(&id, &text, actor) {
            Ok(()) => Msg::NoteAdded(id),
            Err(e) => failed(&e),
        },
        Effect::Export { id, path, lang } => {
            let detail = match store.referral(&id) {
                Ok(d) => d,
                Err(e) => return failed(&e),
            };
            let q = snapshot(&detail);
            let lang = match &q {
                Some(q) if q.languages.contains(&lang) => lang,
                Some(q) => q.default_language().to_owned(),
                None => lang,
            };
            let text = report::render(&detail, q.as_ref(), &lang, Style::Markdown);
            let what = format!("markdown {}", path.display());
            match write_atomically(&path, &text, || {
                store
                    .record_export(&id, actor, &what)
                    .map_err(|e| format!("the export was not written, because it could not be recorded in the audit log: {e}"))
            }) {
                Ok(()) => Msg::Exported(path),
                Err(e) => Msg::Failed(e),
            }
        }
        Effect::LoadFigures(year) => match store.stats(year) {
            Ok(s) => Msg::FiguresLoaded(Box::new(s)),
            Err(e) => failed(&e),
        },
        // Remembering needs the settings: [`dispatch_with`] performs it; without them there
        // is nowhere to remember.
        Effect::RememberLang(_) => Msg::Remembered,
    }
}

/// Remembers the language picked on screen (the settings' state file); a sentence on failure.
pub type Remember<'a> = &'a mut dyn FnMut(&str) -> Result<(), String>;

/// Like [`dispatch`], with `remember` performing [`Effect::RememberLang`].
pub fn dispatch_with(
    state: &mut State,
    store: &mut Store,
    actor: &str,
    remember: &mut dyn FnMut(&str) -> Result<(), String>,
    msg: Msg,
) {
    let mut queue: VecDeque<Effect> = update(state, msg).into();
    while let Some(effect) = queue.pop_front() {
        let result = match effect {
            Effect::RememberLang(lang) => match remember(&lang) {
                Ok(()) => Msg::Remembered,
                Err(e) => Msg::Failed(e),
            },
            other => perform(store, actor, other),
        };
        queue.extend(update(state, result));
    }
}

/// Applies `msg` and performs every effect it leads to, in order, until none are left (a
/// language picked on screen is not remembered: see [`dispatch_with`]).
pub fn dispatch(state: &mut State, store: &mut Store, actor: &str, msg: Msg) {
    dispatch_with(state, store, actor, &mut |_| Ok(()), msg);
}

/// Runs the review screens on `terminal` until the reviewer quits or the events run out.
/// `actor` is recorded in the audit log and the status history.
pub fn run_with<B, E>(
    terminal: &mut Terminal<B>,
    events: &mut E,
    store: &mut Store,
    actor: &str,
    state: &mut State,
) -> Result<(), TerminalError>
where
    B: Backend,
    E: Events,
{
    run_with_remember(terminal, events, store, actor, state, &mut |_| Ok(()))
}

/// [`run_with`], remembering the language picked on screen through `remember`.
pub fn run_with_remember<B, E>(
    terminal: &mut Terminal<B>,
    events: &mut E,
    store: &mut Store,
    actor: &str,
    state: &mut State,
    remember: Remember<'_>,
) -> Result<(), TerminalError>
where
    B: Backend,
    E: Events,
{
    let draw_err = |e: B::Error| TerminalError(format!("could not draw on the terminal: {e}"));
    let size = terminal.size().map_err(draw_err)?;
    state.size = (size.width, size.height);
    for effect in state.first_effects() {
        let msg = perform(store, actor, effect);
        dispatch(state, store, actor, msg);
    }
    loop {
        if state.exit {
            return Ok(());
        }
        terminal.draw(|f| view(state, f)).map_err(draw_err)?;
        let Some(event) = events
            .next_event()
            .map_err(|e| TerminalError(format!("could not read from the terminal: {e}")))?
        else {
            return Ok(());
        };
        if let Some(msg) = super::to_msg(state, &event) {
            dispatch_with(state, store, actor, remember, msg);
        }
    }
}

/// Leaves raw mode and the alternate screen when dropped, so every way out (return, `?`,
/// panic unwinding) restores the terminal.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        ratatui::restore();
        let _ = ratatui::crossterm::execute!(std::io::stdout(), ratatui::crossterm::cursor::Show);
    }
}

/// How the review screens ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ended {
    /// Ctrl-C: the whole program ends (not only the queue).
    pub interrupted: bool,
    /// The language on screen at the end, for the next screen.
    pub lang: String,
}

/// Runs the review screens on the real terminal (restored on every way out, panics
/// included), in `lang` (`nb` or `en`), acting as `actor`. `labels` gives the outcome and flag
/// labels of the queue; `remember` keeps a language picked on screen for the next start.
pub fn run(
    store: &mut Store,
    lang: &str,
    actor: &str,
    labels: Option<std::sync::Arc<crate::questionnaire::Questionnaire>>,
    remember: Remember<'_>,
) -> Result<Ended, TerminalError> {
    let _watch = crate::tui::signals::watch()
        .map_err(|e| TerminalError(format!("could not watch for SIGTERM and SIGHUP: {e}")))?;
    let mut terminal = ratatui::try_init()
        .map_err(|e| TerminalError(format!("could not open the terminal: {e}")))?;
    let _restore = Restore;
    // Whatever an earlier program left on the alternate screen goes (see `tui::run_at`).
    ratatui::backend::Backend::clear(terminal.backend_mut())
        .map_err(|e| TerminalError(format!("could not clear the terminal: {e}")))?;
    let today = crate::system::local_today();
    let mut state = State::new(lang, Theme::from_env(), today);
    state.labels = labels;
    run_with_remember(
        &mut terminal,
        &mut TerminalEvents,
        store,
        actor,
        &mut state,
        remember,
    )?;
    Ok(Ended {
        interrupted: state.interrupted,
        lang: state.lang,
    })
}
