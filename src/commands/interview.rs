//! `rosa-screen interview`.

use std::path::Path;

use super::CmdResult;
use crate::cli::InterviewArgs;

/// Runs `interview`.
pub fn run(db: Option<&Path>, args: &InterviewArgs) -> CmdResult {
    if let Some(file) = &args.answers {
        return super::interview_answers::run(db, args, file);
    }
    Err(super::Failure::usage("PENDING(tui)"))
}
