//! `rosa-screen audit`.

use std::path::Path;

use super::CmdResult;
use crate::cli::AuditCommand;

/// Runs `audit verify`.
pub fn run(_db: Option<&Path>, _cmd: &AuditCommand) -> CmdResult {
    Err(super::Failure::usage("PENDING(store)"))
}
