//! The append-only audit log: who created, answered, viewed, changed, noted or exported what.
//!
//! Each entry stores the sha256 of its own content together with the hash of the entry before
//! it, so editing an entry breaks its own hash, and deleting or reordering entries breaks the
//! chain. Removing entries at the very end cannot be seen from the log alone: `audit verify`
//! prints the count and the last hash so they can be noted elsewhere and compared later.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Store, StoreError, now, sha256_hex};

/// The `prev_hash` of the first entry.
pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Position in the log, from 1.
    pub seq: i64,
    /// When (RFC 3339 UTC).
    pub at: String,
    /// Who.
    pub actor: String,
    /// `created`, `answered`, `finished`, `viewed`, `changed status`, `noted`, `exported`.
    pub action: String,
    /// What, as `kind:id` (for example `referral:0190...`).
    pub entity: String,
    /// A short detail without personal data (for example `new -> in_review`).
    pub detail: String,
    /// The hash of the entry before.
    pub prev_hash: String,
    /// The hash of this entry.
    pub hash: String,
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AuditCheck {
    /// Every entry is intact.
    Intact {
        /// Number of entries.
        count: usize,
        /// Hash of the last entry (note it to detect later removal at the end).
        last_hash: String,
    },
    /// The first entry found edited, deleted or out of place.
    Broken {
        /// Its `seq` (for a gap: the first missing position).
        seq: i64,
        /// What is wrong, one phrase.
        reason: String,
    },
}

/// The hash of an entry: every field, length-prefixed so fields cannot run into each other.
fn entry_hash(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    entity: &str,
    detail: &str,
    prev: &str,
) -> String {
    let mut buf = Vec::new();
    for field in [
        &seq.to_string() as &str,
        at,
        actor,
        action,
        entity,
        detail,
        prev,
    ] {
        buf.extend_from_slice(field.len().to_string().as_bytes());
        buf.push(b':');
        buf.extend_from_slice(field.as_bytes());
        buf.push(b'\n');
    }
    sha256_hex(&buf)
}

/// Appends an entry inside the caller's transaction (so the action and its entry commit
/// together or not at all).
pub(crate) fn append(
    conn: &Connection,
    actor: &str,
    action: &str,
    entity: &str,
    detail: &str,
) -> rusqlite::Result<()> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_owned()),
    };
    let at = now();
    let hash = entry_hash(seq, &at, actor, action, entity, detail, &prev);
    conn.execute(
        "INSERT INTO audit (seq, at, actor, action, entity, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![seq, at, actor, action, entity, detail, prev, hash],
    )?;
    Ok(())
}

impl Store {
    /// Every audit entry in order.
    pub fn audit_entries(&self) -> Result<Vec<AuditEntry>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT seq, at, actor, action, entity, detail, prev_hash, hash
                 FROM audit ORDER BY seq",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(AuditEntry {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    entity: r.get(4)?,
                    detail: r.get(5)?,
                    prev_hash: r.get(6)?,
                    hash: r.get(7)?,
                })
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.sql(e))
    }

    /// Checks the whole chain and names the first bad entry.
    pub fn verify_audit(&self) -> Result<AuditCheck, StoreError> {
        let entries = self.audit_entries()?;
        Ok(check(&entries))
    }
}

/// Checks a list of entries read in `seq` order.
fn check(entries: &[AuditEntry]) -> AuditCheck {
    let mut prev = GENESIS.to_owned();
    for (expected_seq, e) in (1..).zip(entries) {
        if e.seq != expected_seq {
            return AuditCheck::Broken {
                seq: expected_seq,
                reason: format!(
                    "entry {expected_seq} is missing (the next entry found is {})",
                    e.seq
                ),
            };
        }
        let own = entry_hash(
            e.seq,
            &e.at,
            &e.actor,
            &e.action,
            &e.entity,
            &e.detail,
            &e.prev_hash,
        );
        if own != e.hash {
            return AuditCheck::Broken {
                seq: e.seq,
                reason: format!("entry {} was changed after it was written", e.seq),
            };
        }
        if e.prev_hash != prev {
            return AuditCheck::Broken {
                seq: e.seq,
                reason: format!(
                    "entry {} does not follow the entry before it (an entry was removed, replaced or moved)",
                    e.seq
                ),
            };
        }
        prev.clone_from(&e.hash);
    }
    AuditCheck::Intact {
        count: entries.len(),
        last_hash: prev,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut out = Vec::new();
        let mut prev = GENESIS.to_owned();
        for seq in 1..=n {
            let at = format!("2026-01-01T00:00:{seq:02}.000000Z");
            let hash = entry_hash(seq, &at, "a", "viewed", "referral:x", "", &prev);
            out.push(AuditEntry {
                seq,
                at,
                actor: "a".into(),
                action: "viewed".into(),
                entity: "referral:x".into(),
                detail: String::new(),
                prev_hash: prev.clone(),
                hash: hash.clone(),
            });
            prev = hash;
        }
        out
    }

    #[test]
    fn intact_chain_counts() {
        assert!(matches!(
            check(&chain(5)),
            AuditCheck::Intact { count: 5, .. }
        ));
        assert!(matches!(check(&[]), AuditCheck::Intact { count: 0, .. }));
    }

    #[test]
    fn edited_entry_is_named() {
        let mut c = chain(5);
        c[2].actor = "someone else".into();
        assert!(matches!(check(&c), AuditCheck::Broken { seq: 3, .. }));
    }

    #[test]
    fn deleted_entry_is_named() {
        let mut c = chain(5);
        c.remove(1);
        assert!(matches!(check(&c), AuditCheck::Broken { seq: 2, .. }));
    }

    #[test]
    fn reordered_entries_are_named() {
        let mut c = chain(5);
        // Swap the contents of 2 and 4 but keep the seq numbers in place, as an UPDATE would.
        let (a, b) = (c[1].clone(), c[3].clone());
        c[1] = AuditEntry { seq: 2, ..b };
        c[3] = AuditEntry { seq: 4, ..a };
        assert!(matches!(check(&c), AuditCheck::Broken { seq: 2, .. }));
    }

    #[test]
    fn fields_cannot_run_into_each_other() {
        assert_ne!(
            entry_hash(1, "t", "ab", "c", "e", "", "p"),
            entry_hash(1, "t", "a", "bc", "e", "", "p")
        );
    }
}
