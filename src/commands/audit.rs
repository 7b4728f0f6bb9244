//! `rosa-screen audit`: `verify` (the proof) and `head` (an anchor to note elsewhere).

use std::process::ExitCode;

use super::{CmdResult, Failure, print_out};
use crate::cli::AuditCommand;
use crate::settings::Settings;
use crate::store::Anchor;

/// Runs `audit verify` or `audit head`.
///
/// `verify` exits 0 when the file, the chain, every anchor and the replay of the log against
/// the tables are intact; otherwise it prints every problem (one a line, `problem: ...`) and
/// exits 1 naming the first.
pub fn run(settings: &Settings, cmd: &AuditCommand) -> CmdResult {
    match cmd {
        AuditCommand::Anchors { unit } => super::handoff::anchors(settings, unit.as_deref()),
        AuditCommand::Verify { anchors } => {
            let anchors = anchors
                .iter()
                .map(|a| a.parse::<Anchor>().map_err(Failure::usage))
                .collect::<Result<Vec<_>, _>>()?;
            let store = super::open_existing_store(settings)?;
            let report = store.verify_audit_full(&anchors)?;
            if let Some(first) = report.problems.first() {
                for p in &report.problems {
                    print_out(&format!("problem: {p}\n"))?;
                }
                let more = match report.problems.len() {
                    1 => String::new(),
                    n => format!(" (and {} more, listed above)", n - 1),
                };
                return Err(Failure::found(format!(
                    "the audit log of {} does not prove what happened: {first}{more}",
                    store.label()
                )));
            }
            let c = &report.checked;
            print_out(&format!("audit log intact: {} entries\n", report.count))?;
            print_out(&format!("last hash: {}\n", report.head))?;
            print_out(&format!(
                "replayed: {} screenings, {} answers, {} referrals, {} anchors ({} erased screenings skipped)\n",
                c.screenings, c.answers, c.referrals, c.anchors, c.erased
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Head => {
            let store = super::open_existing_store(settings)?;
            let head = store.audit_head()?;
            print_out(&format!("entries: {}\n", head.seq))?;
            print_out(&format!("head: {}\n", head.hash))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
