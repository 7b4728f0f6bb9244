//! `rosa-screen review`, and the home screen (`rosa-screen` with no command).

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use super::CmdResult;
use super::interview::{load, open_store, run_tui};
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

/// Opens the review queue.
pub fn run(_db: Option<&Path>) -> CmdResult {
    Err(super::Failure::usage("PENDING(review)"))
}
