//! `rosa-screen review`, and the home screen (`rosa-screen` with no command).

use std::process::ExitCode;
use std::sync::Arc;

use super::{CmdResult, Purpose, open_existing_store, open_questionnaire, open_store, run_tui};
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
    loop {
        let mut store = open_store(settings)?;
        let exit = run_tui(&q, settings, &mut store, Start::Home)?;
        // The queue opens its own connection; this one is not needed meanwhile.
        drop(store);
        match exit {
            Exit::Quit => return Ok(ExitCode::SUCCESS),
            Exit::OpenReview => {
                run(settings)?;
            }
        }
    }
}

/// Opens the review queue on the terminal, acting as the login name of whoever runs the program
/// (as recorded in the audit log; refused without one). The database must exist: there is
/// nothing to review in a new one.
pub fn run(settings: &Settings) -> CmdResult {
    let actor = crate::store::review_actor()?;
    let mut store = open_existing_store(settings)?;
    // Norwegian first, like the built-in questionnaire, unless the settings say otherwise; `l`
    // switches language on any screen.
    let lang = settings.lang_code().unwrap_or("nb");
    crate::tui::review::run(&mut store, lang, &actor)
        .map_err(|e| super::Failure::found(e.to_string()))?;
    Ok(ExitCode::SUCCESS)
}
