//! `rosa-screen questionnaire`.

use super::CmdResult;
use crate::cli::QuestionnaireCommand;

/// Runs `questionnaire ...`.
pub fn run(_cmd: &QuestionnaireCommand) -> CmdResult {
    Err(super::Failure::usage("PENDING(questionnaire)"))
}
