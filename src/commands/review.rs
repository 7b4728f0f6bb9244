//! `rosa-screen review`, and the home screen (`rosa-screen` with no command).

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use super::interview::{load, open_store, run_tui};
use super::{CmdResult, db};
use crate::tui::{Exit, Start};

/// Opens the home screen. Choosing the review queue there closes home, runs [`run`], and
/// comes back to home when the queue is closed.
pub fn home(db: Option<&Path>) -> CmdResult {
    let q = Arc::new(load(None)?);
    loop {
        let mut store = open_store(db)?;
        let exit = run_tui(&q, None, &mut store, Start::Home)?;
        // The queue opens its own connection; this one is not needed meanwhile.
        drop(store);
        match exit {
            Exit::Quit => return Ok(ExitCode::SUCCESS),
            Exit::OpenReview => {
                run(db)?;
            }
        }
    }
}

/// Opens the review queue on the terminal, acting as the login name of whoever runs the program
/// (as recorded in the audit log; refused without one). The database must exist: there is
/// nothing to review in a new one.
pub fn run(db_path: Option<&Path>) -> CmdResult {
    let actor = crate::store::review_actor()?;
    let mut store = db::open_existing(db_path)?;
    // Norwegian first, like the built-in questionnaire; `l` switches to English on any screen.
    crate::tui::review::run(&mut store, "nb", &actor)
        .map_err(|e| super::Failure::found(e.to_string()))?;
    Ok(ExitCode::SUCCESS)
}
