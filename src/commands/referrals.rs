//! `rosa-screen referrals`.

use std::path::Path;

use super::CmdResult;
use crate::cli::ReferralsCommand;

/// Runs `referrals ...`.
pub fn run(_db: Option<&Path>, _cmd: &ReferralsCommand) -> CmdResult {
    Err(super::Failure::usage("PENDING(store)"))
}
