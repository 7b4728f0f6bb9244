//! The append-only audit log: who created, answered, viewed, changed, noted or exported what.
//!
//! Each entry stores the sha256 of its own content together with the hash of the entry before
//! it, so editing an entry breaks its own hash, and deleting or reordering entries breaks the
//! chain. Removing entries at the very end cannot be seen from the log alone: `audit head`
//! prints the count and the last hash so they can be noted elsewhere (an [`Anchor`]), and
//! `audit verify --anchor N:HASH` checks them later, as it checks the anchors kept in the
//! `audit_anchors` table (hand-off receipts: [`keep_anchor`]).
//!
//! # Replay ([`Store::verify_audit_full`])
//! The log is also replayed against the tables, and every row changed behind the program's back
//! is named with its id:
//! - every screening and referral has its `created` entry, and every one created is still there;
//! - a screening's details (unit, officer, person, gender, birth year, nationality, languages,
//!   interpreter, questionnaire) match the HMAC digest its `created` entry recorded
//!   (`details:HEX`), or the latest `filled details` entry's (an answer that fills
//!   `details.interpreter` set it later, in the answer's transaction), and its outcome the
//!   `finished` entry;
//! - each question's answer rows, oldest first, match the digests of its `answered` /
//!   `changed answer` / `noted` entries (`QUESTION digest:HEX`);
//! - each referral's status is the last status change logged (`new` without one), and its
//!   history rows are the logged `created` / `changed status` / `noted` entries, in order;
//!   a status renamed by a migration is read under its new name (`status_renames`);
//! - the append-only triggers are still there, and SQLite's `quick_check` passes first.
//!
//! # Erasing (purge, withdrawal)
//! The digests are keyed per screening (`screenings.digest_key`, see `digest.rs`). Erasing a
//! screening's personal content ([`erase_content`]) deletes its answers, clears the person,
//! birth year, officer and contact (also the copies in `referrals`) and the history notes, and
//! sets the key to NULL, so no digest can be checked or reversed again. The same transaction
//! appends one entry whose detail starts with [`ERASED`] and lists the erased screening ids
//! ([`erased_detail`]); replay skips the details, answers and referral history of those
//! screenings, and accepts that their referrals are gone. [`Store::erase_screening_content`]
//! does all of this for one screening (a withdrawal); a purge calls [`erase_content`] for each
//! screening and appends one `purged` entry with [`erased_detail`] of them all.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Store, StoreError, digest, now, sha256_hex};

/// The start of a screening's `created` detail: its details digest follows.
pub(crate) const DETAILS: &str = "details:";
/// The action of the entry an answer writes when it fills a screening detail
/// (`details.interpreter`, `details.custody`): `FIELD details:HEX`, the digest of the details
/// as they are after it (see `Store::record`).
pub(crate) const FILLED_DETAILS: &str = "filled details";
/// Between the question id and the digest in an answer entry's detail.
pub(crate) const DIGEST: &str = " digest:";
/// The start of the detail of an entry that erased screenings' content; comma-separated
/// screening ids follow.
pub const ERASED: &str = "erased screenings: ";

/// An entry number and the hash it had, noted elsewhere (printed by `audit head`, or carried
/// by a hand-off receipt), so that removing entries at the end of the log is caught.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anchor {
    /// The entry number, from 1.
    pub seq: i64,
    /// Its hash (64 lowercase hex digits).
    pub hash: String,
}

impl std::str::FromStr for Anchor {
    type Err = String;
    /// `N:HASH`, as `audit head` prints them (`entries: N`, `head: HASH`).
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "the anchor `{s}` is not N:HASH (an entry number, a colon and its 64 hex digits, as `audit head` prints them)"
            )
        };
        let (n, hash) = s.trim().split_once(':').ok_or_else(bad)?;
        let seq: i64 = n.trim().parse().map_err(|_| bad())?;
        let hash = hash.trim().to_ascii_lowercase();
        if seq < 1 || hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(Self { seq, hash })
    }
}

/// Keeps an anchor (for example from a hand-off receipt) inside the caller's transaction, so
/// every later `audit verify` checks it. `source` says where it came from
/// (`receipt:<referral id>`). Keeping the same anchor twice changes nothing.
pub fn keep_anchor(conn: &Connection, a: &Anchor, source: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO audit_anchors (seq, hash, source, kept_at) VALUES (?1, ?2, ?3, ?4)",
        params![a.seq, a.hash, source, now()],
    )?;
    Ok(())
}

/// The detail of an entry that erased the content of `screenings` (see the module docs).
#[must_use]
pub fn erased_detail(screenings: &[&str]) -> String {
    format!("{ERASED}{}", screenings.join(","))
}

/// Erases the personal content of one screening inside the caller's transaction: its answers
/// (every value), the person's reference, birth year and the officer's contact on the
/// screening, the person and contact copied into its referral, the notes of the referral's
/// history, and the digest key. The caller appends the audit entry ([`erased_detail`]).
/// Returns false when there is no such screening.
pub fn erase_content(conn: &Connection, screening: &str) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE screenings SET person = '', birth_year = NULL, officer = '', digest_key = NULL
          WHERE id = ?1",
        [screening],
    )?;
    if n == 0 {
        return Ok(false);
    }
    conn.execute("DELETE FROM answers WHERE screening_id = ?1", [screening])?;
    conn.execute(
        "UPDATE referral_events SET note = NULL
          WHERE referral_id IN (SELECT id FROM referrals WHERE screening_id = ?1)",
        [screening],
    )?;
    conn.execute(
        "UPDATE referrals SET person = '', contact = '' WHERE screening_id = ?1",
        [screening],
    )?;
    Ok(true)
}

/// The `prev_hash` of the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

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

/// What `audit verify` found: the chain, the anchors, the replay against the tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    /// Entries in the log.
    pub count: usize,
    /// The hash of the last entry (the genesis value for an empty log).
    pub head: String,
    /// Screenings, answer rows and referrals the replay checked.
    pub checked: Checked,
    /// Every problem found, one sentence each, naming the entry or the row; empty: intact.
    pub problems: Vec<String>,
}

/// How much the replay checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Checked {
    /// Screenings whose details were compared with their digest.
    pub screenings: usize,
    /// Answer rows compared with their digest.
    pub answers: usize,
    /// Referrals whose status and history were replayed.
    pub referrals: usize,
    /// Anchors checked (given and kept).
    pub anchors: usize,
    /// Screenings skipped because a purge or withdrawal erased them.
    pub erased: usize,
}

impl AuditReport {
    /// True when nothing was found.
    #[must_use]
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }
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

impl Store {
    /// The number of entries and the hash of the last one (`audit head`): note them elsewhere
    /// and give them to `audit verify --anchor N:HASH` later.
    pub fn audit_head(&self) -> Result<Anchor, StoreError> {
        let last: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql(e))?;
        Ok(last.map_or_else(
            || Anchor {
                seq: 0,
                hash: GENESIS.to_owned(),
            },
            |(seq, hash)| Anchor { seq, hash },
        ))
    }

    /// Erases the personal content of one screening ([`erase_content`]) and records it in one
    /// entry by `self`'s actor with `action` (`withdrawn`, `purged`...), in one transaction.
    pub fn erase_screening_content(&mut self, id: &str, action: &str) -> Result<(), StoreError> {
        let label = self.label.clone();
        let err = |e| super::sql_error(&label, e);
        let actor = self.actor.clone();
        let tx = self.write()?;
        if !erase_content(&tx, id).map_err(err)? {
            return Err(StoreError::NotFound {
                what: "screening",
                id: id.to_owned(),
            });
        }
        append(
            &tx,
            &actor,
            action,
            &format!("screening:{id}"),
            &erased_detail(&[id]),
        )
        .map_err(err)?;
        tx.commit().map_err(err)
    }

    /// The whole proof: SQLite's `quick_check`, the chain, the `anchors` given and those kept
    /// in `audit_anchors`, the append-only triggers, and the replay of the log against the
    /// tables (module docs). A damaged file is reported as the one problem, without replay.
    pub fn verify_audit_full(&self, anchors: &[Anchor]) -> Result<AuditReport, StoreError> {
        let mut problems = Vec::new();
        let quick: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("PRAGMA quick_check(5)")
                .map_err(|e| self.sql(e))?;
            let rows = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(|e| self.sql(e))?;
            rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))?
        };
        if quick.first().map(String::as_str) != Some("ok") {
            problems.push(format!(
                "the database file is damaged (SQLite's quick_check: {})",
                quick.join("; ")
            ));
            return Ok(AuditReport {
                count: 0,
                head: GENESIS.to_owned(),
                checked: Checked::default(),
                problems,
            });
        }
        let entries = self.audit_entries()?;
        let (count, head) = match check(&entries) {
            AuditCheck::Intact { count, last_hash } => (count, last_hash),
            AuditCheck::Broken { seq, reason } => {
                problems.push(format!("the chain is broken at entry {seq}: {reason}"));
                (entries.len(), GENESIS.to_owned())
            }
        };
        let mut checked = Checked::default();
        let kept: Vec<(Anchor, String)> = {
            let mut stmt = self
                .conn
                .prepare("SELECT seq, hash, source FROM audit_anchors ORDER BY seq, source")
                .map_err(|e| self.sql(e))?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        Anchor {
                            seq: r.get(0)?,
                            hash: r.get(1)?,
                        },
                        r.get::<_, String>(2)?,
                    ))
                })
                .map_err(|e| self.sql(e))?;
            rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))?
        };
        let given = anchors.iter().map(|a| (a.clone(), "--anchor".to_owned()));
        for (a, source) in given.chain(kept) {
            checked.anchors += 1;
            let found = usize::try_from(a.seq - 1)
                .ok()
                .and_then(|i| entries.get(i))
                .filter(|e| e.seq == a.seq);
            match found {
                None => problems.push(format!(
                    "entry {} of the anchor {}:{} ({source}) is missing: the log now ends at entry {} (entries were removed from the end)",
                    a.seq,
                    a.seq,
                    a.hash,
                    entries.last().map_or(0, |e| e.seq)
                )),
                Some(e) if e.hash != a.hash => problems.push(format!(
                    "entry {} has hash {}, not {} as the anchor ({source}) says (the log was rewritten from there)",
                    a.seq, e.hash, a.hash
                )),
                Some(_) => {}
            }
        }
        for trigger in ["audit_no_update", "audit_no_delete"] {
            let there: bool = self
                .conn
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?1)",
                    [trigger],
                    |r| r.get(0),
                )
                .map_err(|e| self.sql(e))?;
            if !there {
                problems.push(format!(
                    "the append-only trigger {trigger} of the audit log was dropped"
                ));
            }
        }
        replay::run(&self.conn, &entries, &mut problems, &mut checked).map_err(|e| self.sql(e))?;
        Ok(AuditReport {
            count,
            head,
            checked,
            problems,
        })
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

/// The replay of the log against the tables (module docs).
mod replay {
    use super::*;

    /// What the log says about one screening.
    #[derive(Default)]
    struct Screening {
        created: bool,
        details: Option<String>,
        outcome: Option<String>,
        /// Per question, the digests of its entries in order (`None`: not recorded).
        answers: HashMap<String, Vec<Option<String>>>,
    }

    /// An answer row's stored JSON and note.
    type AnswerRow = (Option<String>, Option<String>);

    /// What the log says about one referral.
    struct Referral {
        screening: String,
        /// (kind, to status) of each history entry in order.
        history: Vec<(String, Option<String>)>,
    }

    fn id_of<'a>(entity: &'a str, kind: &str) -> Option<&'a str> {
        entity.strip_prefix(kind)?.strip_prefix(':')
    }

    pub(super) fn run(
        conn: &Connection,
        entries: &[AuditEntry],
        problems: &mut Vec<String>,
        checked: &mut Checked,
    ) -> rusqlite::Result<()> {
        let renames: HashMap<String, String> = {
            let mut stmt = conn.prepare("SELECT old, new FROM status_renames")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let rename = |s: &str| -> String {
            let mut s = s.to_owned();
            // A chain of renames (a -> b, later b -> c) ends at the newest name.
            for _ in 0..8 {
                match renames.get(&s) {
                    Some(n) if *n != s => s.clone_from(n),
                    _ => break,
                }
            }
            s
        };

        let mut erased: HashSet<String> = HashSet::new();
        // Screenings that arrived whole in a signed bundle from a prison (`imported` entries,
        // src/store/handoff.rs): their details and answers were recorded, and digested, in the
        // prison's log, not here; the bundle's signature vouched for them on arrival.
        let mut arrived: HashSet<String> = HashSet::new();
        let mut screenings: HashMap<String, Screening> = HashMap::new();
        let mut referrals: HashMap<String, Referral> = HashMap::new();
        for e in entries {
            if let Some(list) = e.detail.strip_prefix(ERASED) {
                erased.extend(list.split(',').filter(|s| !s.is_empty()).map(str::to_owned));
                continue;
            }
            if e.action == "imported"
                && let Some(id) = id_of(&e.entity, "referral")
            {
                let sid = e
                    .detail
                    .split_whitespace()
                    .next()
                    .and_then(|w| id_of(w, "screening"))
                    .unwrap_or_default()
                    .to_owned();
                screenings.entry(sid.clone()).or_default().created = true;
                arrived.insert(sid.clone());
                referrals.insert(
                    id.to_owned(),
                    Referral {
                        screening: sid,
                        history: vec![("created".to_owned(), Some("new".to_owned()))],
                    },
                );
                continue;
            }
            if let Some(id) = id_of(&e.entity, "screening") {
                let s = screenings.entry(id.to_owned()).or_default();
                match e.action.as_str() {
                    "created" => {
                        s.created = true;
                        s.details = e.detail.strip_prefix(DETAILS).map(str::to_owned);
                    }
                    // An answer filled a detail (`FIELD details:HEX`): the details are checked
                    // against the digest of the latest such entry from here on.
                    FILLED_DETAILS => {
                        if let Some((_, d)) = e.detail.split_once(DETAILS) {
                            s.details = Some(d.to_owned());
                        }
                    }
                    "finished" => s.outcome = Some(e.detail.clone()),
                    "answered" | "changed answer" | "noted" => {
                        let (question, digest) = match e.detail.split_once(DIGEST) {
                            Some((q, d)) => (q, Some(d.to_owned())),
                            None => (e.detail.as_str(), None),
                        };
                        s.answers
                            .entry(question.to_owned())
                            .or_default()
                            .push(digest);
                    }
                    _ => {}
                }
            } else if let Some(id) = id_of(&e.entity, "referral") {
                match e.action.as_str() {
                    "created" => {
                        referrals.insert(
                            id.to_owned(),
                            Referral {
                                screening: id_of(&e.detail, "screening")
                                    .unwrap_or_default()
                                    .to_owned(),
                                history: vec![("created".to_owned(), Some("new".to_owned()))],
                            },
                        );
                    }
                    "changed status" => {
                        if let Some(r) = referrals.get_mut(id) {
                            let to = e.detail.split_once(" -> ").map(|(_, to)| rename(to.trim()));
                            r.history.push(("status".to_owned(), to));
                        }
                    }
                    "noted" => {
                        if let Some(r) = referrals.get_mut(id) {
                            r.history.push(("note".to_owned(), None));
                        }
                    }
                    _ => {}
                }
            }
        }

        let mut seen: HashSet<String> = HashSet::new();
        let mut without_entry = 0usize;
        {
            let mut stmt = conn.prepare(
                "SELECT id, questionnaire_hash, unit, officer, person, gender, birth_year,
                        nationality, language, interpreter, person_language, digest_key, outcome
                   FROM screenings ORDER BY id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                seen.insert(id.clone());
                let Some(logged) = screenings.get(&id) else {
                    without_entry += 1;
                    problems.push(format!(
                        "screening {id} has no entry in the audit log (added behind the program's back, or its entries were removed)"
                    ));
                    continue;
                };
                if erased.contains(&id) {
                    checked.erased += 1;
                    continue;
                }
                if arrived.contains(&id) {
                    checked.screenings += 1;
                    continue;
                }
                let key: Option<Vec<u8>> = r.get(11)?;
                if let Some(expected) = &logged.details {
                    let Some(key) = key.as_deref() else {
                        problems.push(format!(
                            "the digest key of screening {id} was removed, though no purge or withdrawal erased it"
                        ));
                        continue;
                    };
                    checked.screenings += 1;
                    let (hash, unit, officer, person, gender): (
                        String,
                        String,
                        String,
                        String,
                        String,
                    ) = (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
                    let (year, nationality, language, interpreter, person_language): (
                        Option<i64>,
                        String,
                        String,
                        Option<String>,
                        Option<String>,
                    ) = (r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?);
                    let now = digest::details(
                        key,
                        &digest::Details {
                            questionnaire_hash: &hash,
                            unit: &unit,
                            officer: &officer,
                            person: &person,
                            gender: &gender,
                            birth_year: year,
                            nationality: &nationality,
                            language: &language,
                            interpreter: interpreter.as_deref(),
                            person_language: person_language.as_deref(),
                        },
                    );
                    if now != *expected {
                        problems.push(format!(
                            "the details of screening {id} (unit, officer, person, gender, birth year, nationality, languages, interpreter or questionnaire) were changed after they were recorded"
                        ));
                    }
                }
                let outcome: Option<String> = r.get(12)?;
                if let Some(expected) = &logged.outcome
                    && outcome.as_deref() != Some(expected.as_str())
                {
                    problems.push(format!(
                        "the outcome of screening {id} is `{}`, but the audit log recorded `{expected}`",
                        outcome.unwrap_or_default()
                    ));
                }
            }
        }
        if entries.is_empty() && without_entry > 0 {
            problems.push(format!(
                "the audit log is empty, but the database holds {without_entry} screenings (every entry was deleted)"
            ));
        }
        for (id, s) in &screenings {
            if s.created && !seen.contains(id) && !erased.contains(id) {
                problems.push(format!("screening {id} was deleted"));
            }
        }

        // Answers: each (screening, question)'s rows in order against the logged digests.
        {
            let mut rows_of: HashMap<(String, String), Vec<AnswerRow>> = HashMap::new();
            let mut stmt = conn.prepare(
                "SELECT screening_id, question_id, answer, note FROM answers ORDER BY id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                rows_of
                    .entry((r.get(0)?, r.get(1)?))
                    .or_default()
                    .push((r.get(2)?, r.get(3)?));
            }
            let mut keys: HashMap<String, Option<Vec<u8>>> = HashMap::new();
            {
                let mut stmt = conn.prepare("SELECT id, digest_key FROM screenings")?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    keys.insert(r.get(0)?, r.get(1)?);
                }
            }
            let mut pairs: Vec<(&String, &String)> = screenings
                .iter()
                .flat_map(|(s, l)| l.answers.keys().map(move |q| (s, q)))
                .collect();
            pairs.sort();
            for (sid, question) in pairs {
                if erased.contains(sid) || !seen.contains(sid) {
                    continue;
                }
                let logged = &screenings[sid].answers[question];
                let rows = rows_of
                    .remove(&(sid.clone(), question.clone()))
                    .unwrap_or_default();
                if logged.iter().any(Option::is_none) {
                    // Recorded before digests were kept: only the count can be compared.
                    if rows.len() < logged.len() {
                        problems.push(format!(
                            "an answer to `{question}` in screening {sid} was deleted"
                        ));
                    }
                    continue;
                }
                let Some(Some(key)) = keys.get(sid) else {
                    continue;
                };
                if rows.len() < logged.len() {
                    problems.push(format!(
                        "an answer to `{question}` in screening {sid} was deleted"
                    ));
                    continue;
                }
                if rows.len() > logged.len() {
                    problems.push(format!(
                        "screening {sid} has an answer to `{question}` that the audit log never recorded (added behind the program's back)"
                    ));
                    continue;
                }
                for ((answer, note), expected) in rows.iter().zip(logged) {
                    checked.answers += 1;
                    let now = digest::answer(key, question, answer.as_deref(), note.as_deref());
                    if Some(now) != *expected {
                        problems.push(format!(
                            "the answer to `{question}` in screening {sid} was edited after it was given"
                        ));
                        break;
                    }
                }
            }
            let mut extra: Vec<_> = rows_of
                .into_keys()
                .filter(|(s, _)| {
                    !erased.contains(s) && !arrived.contains(s) && screenings.contains_key(s)
                })
                .collect();
            extra.sort();
            for (sid, question) in extra {
                problems.push(format!(
                    "screening {sid} has an answer to `{question}` that the audit log never recorded (added behind the program's back)"
                ));
            }
        }

        // Referrals: present, status, history.
        let mut present: HashSet<String> = HashSet::new();
        {
            let mut history: HashMap<String, Vec<(String, Option<String>)>> = HashMap::new();
            let mut stmt = conn
                .prepare("SELECT referral_id, kind, to_status FROM referral_events ORDER BY id")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let kind: String = r.get(1)?;
                let to: Option<String> = r.get(2)?;
                // A note's row carries no status; a created row's is `new`.
                let to = if kind == "note" {
                    None
                } else {
                    to.map(|t| rename(&t))
                };
                history.entry(r.get(0)?).or_default().push((kind, to));
            }
            let mut stmt = conn.prepare("SELECT id, status FROM referrals ORDER BY id")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                let status: String = r.get(1)?;
                present.insert(id.clone());
                let Some(logged) = referrals.get(&id) else {
                    problems.push(format!(
                        "referral {id} has no entry in the audit log (added behind the program's back, or its entries were removed)"
                    ));
                    continue;
                };
                checked.referrals += 1;
                let expected = logged
                    .history
                    .iter()
                    .rev()
                    .find_map(|(kind, to)| (kind != "note").then(|| to.clone()).flatten())
                    .unwrap_or_else(|| "new".to_owned());
                if rename(&status) != expected {
                    problems.push(format!(
                        "the status of referral {id} is `{status}`, but the last change the audit log records made it `{expected}` (changed behind the program's back)"
                    ));
                }
                if erased.contains(&logged.screening) {
                    continue;
                }
                let rows = history.remove(&id).unwrap_or_default();
                if rows != logged.history {
                    problems.push(format!(
                        "the history of referral {id} does not match the audit log ({} entries logged, {} in its history: one was deleted, added or changed)",
                        logged.history.len(),
                        rows.len()
                    ));
                }
            }
        }
        let mut gone: Vec<_> = referrals
            .iter()
            .filter(|(id, r)| !present.contains(*id) && !erased.contains(&r.screening))
            .map(|(id, _)| id.clone())
            .collect();
        gone.sort();
        for id in gone {
            problems.push(format!("referral {id} was deleted"));
        }
        Ok(())
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
