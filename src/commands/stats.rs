//! `rosa-screen stats`.

use std::path::Path;

use super::CmdResult;
use crate::cli::StatsArgs;

/// Runs `stats`.
pub fn run(_db: Option<&Path>, _args: &StatsArgs) -> CmdResult {
    Err(super::Failure::usage("PENDING(store)"))
}
