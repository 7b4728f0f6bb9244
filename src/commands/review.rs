//! `rosa-screen review`.

use std::path::Path;

use super::CmdResult;

/// Opens the home screen.
pub fn home(_db: Option<&Path>) -> CmdResult {
    Err(super::Failure::usage("PENDING(tui)"))
}

/// Opens the review queue.
pub fn run(_db: Option<&Path>) -> CmdResult {
    Err(super::Failure::usage("PENDING(review)"))
}
