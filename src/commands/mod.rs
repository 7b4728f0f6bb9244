//! One handler per subcommand. Handlers print results to stdout and return an exit status;
//! failures are one sentence for stderr with the exit code of product.md.

pub mod audit;
pub mod db;
pub mod interview;
pub mod interview_answers;
pub mod meta;
pub mod questionnaire;
pub mod referrals;
pub mod review;
pub mod stats;

use std::io::Write;
use std::process::ExitCode;

/// A command that could not do its work: one clear sentence and the exit code to leave with
/// (1: the command ran and found a problem; 2: bad usage or unreadable input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// 1 or 2.
    pub code: u8,
    /// One sentence naming the file, line, id or value at fault.
    pub message: String,
}

impl Failure {
    /// Bad usage or input that cannot be read (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }

    /// The command ran and found a problem (exit 1).
    pub fn found(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What a handler returns.
pub type CmdResult = Result<ExitCode, Failure>;

/// Writes to stdout. A reader that went away (`rosa-screen referrals show ID | head`) is not
/// an error, so piped output never panics.
///
/// # Errors
/// A [`Failure`] when stdout cannot be written for another reason.
pub fn print_out(s: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::found(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}
