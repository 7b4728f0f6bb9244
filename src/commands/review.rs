//! `rosa-screen review`, and the home screen (`rosa-screen` with no command).

use std::process::ExitCode;
use std::sync::Arc;

use super::{
    CmdResult, Purpose, open_existing_store, open_questionnaire, open_store, remember_lang,
    run_tui_in,
};
use crate::settings::Settings;
use crate::tui::{Exit, Start};

/// Opens the home screen. Choosing the review queue there closes home, runs [`run`], and
/// comes back to home when the queue is closed.
pub fn home(settings: &Settings) -> CmdResult {
    let q = Arc::new(open_questionnaire(
        None,
        Purpose::Interview,
        &mut super::stderr(),
    )?);
    // The language picked on one screen is kept on the next (home, queue, home again).
    let mut lang: Option<String> = None;
    loop {
        let mut store = open_store(settings)?;
        let (exit, shown) = run_tui_in(&q, settings, lang.as_deref(), &mut store, Start::Home)?;
        // The queue opens its own connection; this one is not needed meanwhile.
        drop(store);
        if let Some(code) = crate::tui::signal_exit_status() {
            // Ended by SIGTERM or SIGHUP: the terminal is restored, nothing opens again.
            return Ok(ExitCode::from(code));
        }
        match exit {
            Exit::Quit => return Ok(ExitCode::SUCCESS),
            Exit::OpenReview => {
                let ended = queue(settings, &shown)?;
                if let Some(code) = crate::tui::signal_exit_status() {
                    return Ok(ExitCode::from(code));
                }
                // Ctrl-C ends the program from the queue too, not only the queue.
                if ended.interrupted {
                    return Ok(ExitCode::SUCCESS);
                }
                lang = Some(ended.lang);
            }
        }
    }
}

/// Opens the review queue on the terminal, acting as the login name of whoever runs the program
/// (as recorded in the audit log; refused without one). The database must exist: there is
/// nothing to review in a new one.
pub fn run(settings: &Settings) -> CmdResult {
    // Norwegian first, like the built-in questionnaire, unless the settings say otherwise; `l`
    // switches language on any screen.
    queue(settings, settings.lang_code().unwrap_or("nb"))?;
    Ok(crate::tui::signal_exit_status().map_or(ExitCode::SUCCESS, ExitCode::from))
}

/// The queue in `lang`; a language picked there is remembered for the next start.
fn queue(settings: &Settings, lang: &str) -> Result<crate::tui::ReviewEnded, super::Failure> {
    let actor = crate::store::review_actor()?;
    let mut store = open_existing_store(settings)?;
    // The built-in questionnaire names the outcomes and flags in the queue; without it (it is
    // compiled in, so only a broken build) the queue shows their ids.
    let labels = crate::questionnaire::builtin().ok().map(Arc::new);
    crate::tui::run_review(&mut store, lang, &actor, labels, &mut |l| {
        remember_lang(settings, l)
    })
    .map_err(|e| super::Failure::found(e.to_string()))
}
