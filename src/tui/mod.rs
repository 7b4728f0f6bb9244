//! The terminal UI for prison officers: home, details, interview, summary and referral.
//!
//! Elm-style: terminal events become messages ([`app::to_msg`]); [`app::update`] changes the
//! [`app::State`] and returns [`app::Effect`]s without doing IO; the [`runner`] performs the
//! effects on the [`Store`](crate::store::Store) and feeds the results back as messages;
//! [`app::view`] only draws. The loop is generic over the backend and the event source, so
//! tests play whole interviews in-process.

pub mod app;
pub mod chrome;
pub mod exclusive;
pub mod input;
pub mod review;
pub mod runner;
pub mod screens;
pub mod signals;
#[cfg(test)]
pub(crate) mod testing;
pub mod theme;
pub mod wrap;

use std::io;
use std::sync::Arc;

use ratatui::crossterm::{cursor, execute};

use crate::questionnaire::Questionnaire;
use crate::store::Store;
pub use app::Exit;
use app::{Effect, State};
/// The review queue's entry point, so `commands` starts it without naming `tui`'s insides
/// (`tests/layering.rs` holds it to that).
pub use review::{Ended as ReviewEnded, run as run_review};
use runner::{TerminalError, TerminalEvents};
pub use screens::sites::SiteSetup;
/// The exit status when SIGTERM, SIGHUP or SIGINT ended the screens (128 + the signal), so
/// `commands` ends the program instead of opening another screen.
pub use signals::exit_status as signal_exit_status;

/// Text someone typed (a person reference, unit, officer, contact, note, text answer), as a
/// screen shows it: control and bidirectional characters visible as escapes (`\u{1b}`), so
/// what was stored can be read exactly and nothing in it acts on the terminal.
#[must_use]
pub fn shown(typed: &str) -> String {
    crate::sanitize::visible_line(typed).into_owned()
}

/// Where the application opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// The home screen.
    Home,
    /// The details form of a new screening.
    NewScreening,
}

/// Leaves raw mode and the alternate screen when dropped, so every way out of the loop
/// (return, `?`, panic unwinding) restores the terminal. ratatui's own panic hook covers a
/// panic that aborts before unwinding.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        ratatui::restore();
        // Show the cursor again even if the last frame hid it.
        let _ = execute!(io::stdout(), cursor::Show);
    }
}

/// Runs the terminal UI on the real terminal until the officer quits or opens the review
/// queue. The terminal is restored on every way out, including a panic.
pub fn run(
    questionnaire: Arc<Questionnaire>,
    lang: Option<&str>,
    store: &mut Store,
    start: Start,
) -> Result<Exit, TerminalError> {
    run_keeping_lang(questionnaire, lang, store, start).map(|(exit, _)| exit)
}

/// [`run`], also giving back the language on screen when it ended, so the next screen (the
/// review queue opened from home, or home again) keeps the language the user picked.
///
/// # Errors
/// As [`run`].
pub fn run_keeping_lang(
    questionnaire: Arc<Questionnaire>,
    lang: Option<&str>,
    store: &mut Store,
    start: Start,
) -> Result<(Exit, String), TerminalError> {
    run_at(None, questionnaire, lang, store, start)
}

/// [`run_keeping_lang`] at a site of this kind: the home screen offers what the site does
/// (product.md, "Deployment"); `None` offers everything.
///
/// # Errors
/// As [`run`].
pub fn run_at(
    site: Option<crate::settings::Site>,
    questionnaire: Arc<Questionnaire>,
    lang: Option<&str>,
    store: &mut Store,
    start: Start,
) -> Result<(Exit, String), TerminalError> {
    let setup = screens::sites::SiteSetup {
        site,
        ..screens::sites::SiteSetup::default()
    };
    run_set_up(setup, questionnaire, lang, store, start)
}

/// [`run_at`] with the site's hand-off folders and purge period too (from the settings), so
/// the home screen's hand-off, import and purge reminder work.
///
/// # Errors
/// As [`run`].
pub fn run_set_up(
    setup: screens::sites::SiteSetup,
    questionnaire: Arc<Questionnaire>,
    lang: Option<&str>,
    store: &mut Store,
    start: Start,
) -> Result<(Exit, String), TerminalError> {
    let _watch = signals::watch()
        .map_err(|e| TerminalError(format!("could not watch for SIGTERM and SIGHUP: {e}")))?;
    let mut terminal = ratatui::try_init()
        .map_err(|e| TerminalError(format!("could not open the terminal: {e}")))?;
    let _restore = Restore;
    // Whatever an earlier program left on the alternate screen goes: the first frame only
    // draws cells that differ from a blank screen.
    ratatui::backend::Backend::clear(terminal.backend_mut())
        .map_err(|e| TerminalError(format!("could not clear the terminal: {e}")))?;
    let mut state = State::new(questionnaire, lang, theme::Theme::from_env());
    state.site = setup.site;
    state.setup = setup;
    // Home data loads first even for a new screening: the form's defaults come from it.
    let loaded = runner::perform(store, Effect::LoadHome);
    runner::dispatch(&mut state, store, loaded);
    if start == Start::NewScreening {
        runner::dispatch(
            &mut state,
            store,
            app::Msg::Home(screens::home::HomeMsg::New),
        );
    }
    let exit = runner::run(
        &mut terminal,
        &mut TerminalEvents,
        store,
        &mut state,
        Vec::new(),
    )?;
    Ok((exit, state.lang))
}
