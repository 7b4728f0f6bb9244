//! `rosa-screen review`.

use std::path::Path;
use std::process::ExitCode;

use super::{CmdResult, db};

/// Opens the home screen.
pub fn home(_db: Option<&Path>) -> CmdResult {
    Err(super::Failure::usage("PENDING(tui)"))
}

/// Opens the review queue on the terminal, acting as `$ROSA_SCREEN_ACTOR` or the OS user (as
/// recorded in the audit log). The database must exist: there is nothing to review in a new one.
pub fn run(db_path: Option<&Path>) -> CmdResult {
    let mut store = db::open_existing(db_path)?;
    // Norwegian first, like the built-in questionnaire; `l` switches to English on any screen.
    crate::tui::review::run(&mut store, "nb", &crate::store::actor())
        .map_err(|e| super::Failure::found(e.to_string()))?;
    Ok(ExitCode::SUCCESS)
}
