//! `rosa-screen audit`.

use std::process::ExitCode;

use super::print_out;
use super::{CmdResult, Failure};
use crate::cli::AuditCommand;
use crate::settings::Settings;
use crate::store::AuditCheck;

/// Runs `audit verify`: exit 0 with the count when the chain is intact, exit 1 naming the first
/// bad entry otherwise.
pub fn run(settings: &Settings, cmd: &AuditCommand) -> CmdResult {
    match cmd {
        AuditCommand::Anchors { unit } => super::handoff::anchors(settings, unit.as_deref()),
        AuditCommand::Verify => {
            let store = super::open_existing_store(settings)?;
            match store.verify_audit()? {
                AuditCheck::Intact { count, last_hash } => {
                    // ROSA's receipts kept by `handoff confirm` are anchors signed by
                    // someone else: entry N still has the hash ROSA received.
                    if let Some(why) = store.check_receipt_anchors()? {
                        return Err(Failure::found(format!(
                            "the audit log of {} does not match a receipt from ROSA: {why}",
                            store.label()
                        )));
                    }
                    print_out(&format!("audit log intact: {count} entries\n"))?;
                    print_out(&format!("last hash: {last_hash}\n"))?;
                    Ok(ExitCode::SUCCESS)
                }
                AuditCheck::Broken { seq, reason } => Err(Failure::found(format!(
                    "the audit log of {} is broken at entry {seq}: {reason}",
                    store.label()
                ))),
            }
        }
    }
}
