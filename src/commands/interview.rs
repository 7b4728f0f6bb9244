//! `rosa-screen interview`.

use std::path::Path;

use super::CmdResult;
use crate::cli::InterviewArgs;

/// Runs `interview`.
pub fn run(_db: Option<&Path>, _args: &InterviewArgs) -> CmdResult {
    Err(super::Failure::usage("PENDING(tui)"))
}
