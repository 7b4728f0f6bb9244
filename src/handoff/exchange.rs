//! The hand-off steps as the command line and the home screen both run them: seal a referral
//! (or a withdrawal notice) into a folder, import one bundle and write its receipt, confirm one
//! receipt. `commands::handoff` adds the flags, the config and the printed lines; the screens'
//! runner adds the folders of the config and shows the same results. Keeping one copy here
//! means a rule (what may be sealed, what an import refuses) holds on both paths.
//!
//! Nothing here asks on a terminal: a passphrase comes from the caller's `ask`.

use std::path::{Path, PathBuf};

use age::secrecy::SecretString;

use super::keys::{PublicKey, SecretKey, SiteKind};
use super::payload::{AuditHead, Body, FORMAT, Payload, ReferralPayload, WithdrawalPayload};
use super::receipt::{self, Receipt};
use super::{HandoffError, bundle, files, sha256_hex};
use crate::store::{self, Imported, Incoming, ReceiptRecord, Store, StoreError};

/// The environment variable a secret key file's passphrase may come from (for scripts and
/// tests; otherwise the command line asks on the terminal and the screens ask on screen).
pub const PASSPHRASE_ENV: &str = "ROSA_SCREEN_PASSPHRASE";

/// The purge rule of a kind of site (product.md, "Keeping data no longer than needed"):
/// without a site both rules apply.
#[must_use]
pub fn purge_rule(site: Option<crate::settings::Site>) -> store::PurgeRule {
    match site {
        Some(crate::settings::Site::Prison) => store::PurgeRule::Prison,
        Some(crate::settings::Site::Rosa) => store::PurgeRule::Rosa,
        None => store::PurgeRule::Both,
    }
}

/// The cut-off of a purge of what is older than `days` (RFC 3339, as stored); `None` when it
/// would reach before the year 0.
#[must_use]
pub fn purge_cutoff(days: u32, now: jiff::Timestamp) -> Option<String> {
    let span = jiff::SignedDuration::from_hours(i64::from(days) * 24);
    now.checked_sub(span).ok().map(|t| format!("{t:.6}"))
}

/// How a secret key file's passphrase is obtained when the file has one.
pub type Ask<'a> = &'a dyn Fn(&Path) -> Result<SecretString, String>;

/// Why one step of the hand-off did not happen: one sentence naming the file or referral.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// A key, bundle or receipt that cannot be used.
    #[error(transparent)]
    Handoff(#[from] HandoffError),
    /// The database refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Bad usage: the wrong kind of key, a referral that is not this site's to seal (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The step ran and found a problem (exit 1).
    #[error("{0}")]
    Refused(String),
}

impl ExchangeError {
    /// The exit code of product.md: 2 for what cannot be used at all, 1 for a refusal.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Handoff(e) => e.exit_code(),
            Self::Store(e) => e.exit_code(),
            Self::Usage(_) => 2,
            Self::Refused(_) => 1,
        }
    }

    /// True when a secret key file needs a passphrase that `ask` did not give (a screen then
    /// asks for it and tries again).
    #[must_use]
    pub fn is_passphrase(&self) -> bool {
        matches!(self, Self::Handoff(HandoffError::Passphrase { .. }))
    }
}

/// Reads this site's secret key file and checks it is of the kind `want`.
///
/// # Errors
/// An [`ExchangeError`] when it cannot be read, the passphrase is missing or wrong, or it is
/// the other kind of site's key.
pub fn load_secret(path: &Path, want: SiteKind, ask: Ask<'_>) -> Result<SecretKey, ExchangeError> {
    let k = SecretKey::load(path, ask)?;
    if k.site != want {
        return Err(ExchangeError::Usage(format!(
            "{} is a {} key; this needs the {} secret key",
            path.display(),
            k.site,
            want
        )));
    }
    Ok(k)
}

/// Reads ROSA's public file (installed at a prison).
///
/// # Errors
/// An [`ExchangeError`] when it cannot be read or is a prison's public file.
pub fn load_rosa_public(path: &Path) -> Result<PublicKey, ExchangeError> {
    let k = PublicKey::load(path)?;
    if k.site != SiteKind::Rosa {
        return Err(ExchangeError::Usage(format!(
            "{} is a prison's public file; give ROSA's public file",
            path.display()
        )));
    }
    Ok(k)
}

/// One thing to seal: a referral's bundle, or the notice that its consent was withdrawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Work {
    /// The referral.
    pub id: String,
    /// A withdrawal notice rather than the referral.
    pub withdrawal: bool,
}

/// Everything waiting to be sealed at a prison: every waiting referral, oldest first, then
/// every withdrawal notice (what `handoff seal` without ids and the home screen's hand-off
/// seal).
///
/// # Errors
/// A [`StoreError`] when the database cannot be read.
pub fn waiting(store: &Store) -> Result<Vec<Work>, StoreError> {
    let mut work: Vec<Work> = store
        .handoff_waiting()?
        .into_iter()
        .map(|id| Work {
            id,
            withdrawal: false,
        })
        .collect();
    work.extend(store.withdrawals_waiting()?.into_iter().map(|w| Work {
        id: w.referral_id,
        withdrawal: true,
    }));
    Ok(work)
}

/// What sealing the referral `given` (an id or its unique start) would seal, or why it may
/// not be sealed here.
///
/// # Errors
/// An [`ExchangeError`] naming the referral: unknown, withdrawn before it was sealed, imported
/// from a prison, or delivered already.
pub fn work_for(store: &Store, given: &str) -> Result<Work, ExchangeError> {
    let id = store.resolve_referral(given)?;
    match (store.withdrawal(&id)?, store.handoff_state(&id)?) {
        (Some(w), _) if w.notice == "none" => Err(ExchangeError::Refused(format!(
            "consent for referral {id} was withdrawn before it was sealed; there is nothing to tell ROSA"
        ))),
        (Some(_), _) => Ok(Work {
            id,
            withdrawal: true,
        }),
        (None, None) => Err(ExchangeError::Refused(format!(
            "referral {id} came from a prison; only the prison that made it seals it"
        ))),
        (None, Some(store::HandoffState::Delivered)) => Err(ExchangeError::Refused(format!(
            "referral {id} was already delivered to ROSA; nothing was sealed"
        ))),
        (None, Some(_)) => Ok(Work {
            id,
            withdrawal: false,
        }),
    }
}

/// The keys and the folder a prison seals with.
pub struct Sealer {
    to: PublicKey,
    key: SecretKey,
    out: PathBuf,
    force: bool,
}

impl Sealer {
    /// Loads ROSA's public file `to` and the prison's secret file `key`, and makes sure the
    /// folder `out` is there (created private when it is not).
    ///
    /// # Errors
    /// An [`ExchangeError`] when a key is missing, of the wrong kind, or locked, or the folder
    /// cannot be made.
    pub fn new(
        to: &Path,
        key: &Path,
        out: &Path,
        force: bool,
        ask: Ask<'_>,
    ) -> Result<Self, ExchangeError> {
        let to = load_rosa_public(to)?;
        let key = load_secret(key, SiteKind::Prison, ask)?;
        files::ensure_dir(out)?;
        Ok(Self {
            to,
            key,
            out: out.to_path_buf(),
            force,
        })
    }

    /// The folder bundles are written into.
    #[must_use]
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Seals one piece of work; returns the file written.
    ///
    /// # Errors
    /// An [`ExchangeError`] when the referral cannot be read, the file exists (without
    /// `force`) or cannot be written, or the seal cannot be recorded.
    pub fn seal(&self, store: &mut Store, work: &Work) -> Result<PathBuf, ExchangeError> {
        if work.withdrawal {
            self.seal_withdrawal(store, &work.id)
        } else {
            self.seal_referral(store, &work.id)
        }
    }

    /// Seals a referral's bundle into `referral-ID.age`.
    ///
    /// # Errors
    /// As [`Sealer::seal`].
    pub fn seal_referral(&self, store: &mut Store, id: &str) -> Result<PathBuf, ExchangeError> {
        let detail = store.referral(id)?;
        let payload = ReferralPayload::from_detail(&detail).map_err(ExchangeError::Refused)?;
        self.write(
            store,
            id,
            Body::Referral(Box::new(payload)),
            &format!("referral-{id}.age"),
        )
    }

    /// Seals a withdrawal notice into `withdrawal-ID.age`.
    ///
    /// # Errors
    /// As [`Sealer::seal`]; also when consent for the referral was not withdrawn.
    pub fn seal_withdrawal(&self, store: &mut Store, id: &str) -> Result<PathBuf, ExchangeError> {
        let w = store.withdrawal(id)?.ok_or_else(|| {
            ExchangeError::Usage(format!("consent for referral {id} was not withdrawn"))
        })?;
        let body = Body::Withdrawal(WithdrawalPayload {
            referral_id: id.to_owned(),
            withdrawn_at: w.withdrawn_at,
            note: w.note.unwrap_or_default(),
        });
        self.write(store, id, body, &format!("withdrawal-{id}.age"))
    }

    /// Seals one payload into `DIR/NAME` (0600, never through a link, never over a file
    /// unless forced) and records it with the audit head it carries.
    fn write(
        &self,
        store: &mut Store,
        referral: &str,
        body: Body,
        name: &str,
    ) -> Result<PathBuf, ExchangeError> {
        let head = store.current_audit_head()?;
        let payload = Payload {
            format: FORMAT,
            sealed_at: format!("{:.6}", jiff::Timestamp::now()),
            audit_head: AuditHead {
                entries: head.0,
                hash: head.1.clone(),
            },
            body,
        };
        let kind = payload.body.kind();
        let json = payload.to_json().map_err(ExchangeError::Refused)?;
        let armored = bundle::seal(&json, &self.key, &self.to)?;
        let path = self.out.join(name);
        files::write_private(&path, armored.as_bytes(), self.force)?;
        let actor = store.actor().to_owned();
        store.record_sealed(referral, kind, &sha256_hex(json.as_bytes()), &head, &actor)?;
        Ok(path)
    }
}

/// What importing one bundle did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedBundle {
    /// The referral it was about.
    pub id: String,
    /// `referral` or `withdrawal`.
    pub kind: &'static str,
    /// It had been imported before; nothing changed.
    pub already: bool,
}

impl ImportedBundle {
    /// The line `handoff import` prints: `imported: ID`, `withdrawn: ID` or
    /// `already imported: ID`.
    #[must_use]
    pub fn line(&self) -> String {
        match (self.already, self.kind) {
            (true, _) => format!("already imported: {}", self.id),
            (false, "withdrawal") => format!("withdrawn: {}", self.id),
            (false, _) => format!("imported: {}", self.id),
        }
    }
}

/// ROSA's keys and the registered prisons, ready to import bundles.
pub struct Importer {
    identities: Vec<SecretKey>,
    sites: Vec<(String, PublicKey)>,
    receipts: Option<PathBuf>,
    force: bool,
}

impl Importer {
    /// Reads the registered prisons from `store`; makes sure the receipts folder is there.
    ///
    /// # Errors
    /// An [`ExchangeError`] when the database cannot be read or the folder cannot be made.
    pub fn new(
        store: &Store,
        identities: Vec<SecretKey>,
        receipts: Option<&Path>,
        force: bool,
    ) -> Result<Self, ExchangeError> {
        if let Some(dir) = receipts {
            files::ensure_dir(dir)?;
        }
        let sites = store
            .sites()?
            .into_iter()
            .filter_map(|s| {
                PublicKey::parse(&s.public_key, &s.unit)
                    .ok()
                    .map(|k| (s.unit, k))
            })
            .collect();
        Ok(Self {
            identities,
            sites,
            receipts: receipts.map(Path::to_path_buf),
            force,
        })
    }

    /// Decrypts and checks one bundle, adds it to the queue in one transaction, and writes
    /// its receipt when a receipts folder was given.
    ///
    /// # Errors
    /// An [`ExchangeError`] naming the file when it is refused; nothing of it is stored.
    pub fn import(&self, store: &mut Store, path: &Path) -> Result<ImportedBundle, ExchangeError> {
        let label = path.display().to_string();
        let bytes = files::read_limited(path)?;
        let lookup = |key_id: &str| {
            self.sites
                .iter()
                .find(|(_, k)| k.key_id() == key_id)
                .map(|(_, k)| k.clone())
        };
        let opened = bundle::open(&bytes, &label, &self.identities, &lookup)?;
        let damaged = |why: String| HandoffError::Damaged {
            path: label.clone(),
            why,
        };
        let payload = Payload::from_json(&opened.payload).map_err(damaged)?;
        if payload.format != opened.format {
            return Err(
                damaged("its payload's format differs from its envelope's".to_owned()).into(),
            );
        }
        let unit = self
            .sites
            .iter()
            .find(|(_, k)| k.key_id() == opened.signer)
            .map(|(u, _)| u.clone())
            .unwrap_or_default();
        let from = Incoming {
            unit,
            key_id: opened.signer.clone(),
            format: opened.format,
            payload_sha256: opened.payload_sha256.clone(),
            audit_entries: payload.audit_head.entries,
            audit_head: payload.audit_head.hash.clone(),
        };
        let id = payload.body.referral_id().to_owned();
        let kind = payload.body.kind();
        let actor = store.actor().to_owned();
        let result = match &payload.body {
            Body::Referral(r) => store.import_referral(&r.to_detail(&from.unit), &from, &actor)?,
            Body::Withdrawal(w) => {
                store.import_withdrawal(&w.referral_id, &w.note, &from, &actor)?
            }
        };
        let (already, arrived_at) = match result {
            Imported::New { arrived_at } => (false, arrived_at),
            Imported::Already { arrived_at } => (true, arrived_at),
        };
        if let (Some(dir), Some(rosa)) = (&self.receipts, self.identities.get(opened.identity)) {
            let r = Receipt {
                kind: kind.to_owned(),
                referral: id.clone(),
                payload_sha256: opened.payload_sha256.clone(),
                received_at: arrived_at,
                audit_head: payload.audit_head.clone(),
                rosa: rosa.public().key_id(),
                prison: opened.signer.clone(),
            };
            let text = receipt::sign(&r, rosa)?;
            let target = dir.join(format!("receipt-{kind}-{id}.json"));
            // The same receipt again (a bundle imported twice) is the same bytes: Ed25519 is
            // deterministic, so an identical file already there is fine.
            let same = std::fs::read(&target).is_ok_and(|old| old == text.as_bytes());
            if !same {
                files::write_private(&target, text.as_bytes(), self.force)?;
            }
        }
        Ok(ImportedBundle { id, kind, already })
    }
}

/// Checks one receipt against ROSA's public file and marks its referral delivered; returns
/// the referral id.
///
/// # Errors
/// An [`ExchangeError`] naming the file when the receipt is refused.
pub fn confirm(store: &mut Store, path: &Path, rosa: &PublicKey) -> Result<String, ExchangeError> {
    let label = path.display().to_string();
    let bytes = files::read_limited(path)?;
    let r = receipt::verify(&bytes, &label, rosa)?;
    let record = ReceiptRecord {
        kind: r.kind.clone(),
        referral_id: r.referral.clone(),
        payload_sha256: r.payload_sha256.clone(),
        received_at: r.received_at.clone(),
        audit_entries: r.audit_head.entries,
        audit_head: r.audit_head.hash.clone(),
        rosa_key_id: r.rosa.clone(),
        text: String::from_utf8_lossy(&bytes).into_owned(),
    };
    let actor = store.actor().to_owned();
    store
        .confirm_receipt(&record, &actor)
        .map_err(|e| ExchangeError::Refused(format!("{label} was refused: {e}")))?;
    Ok(r.referral)
}

/// The files in `dir` whose names end in `.EXT`, sorted by name (the inbox of bundles or
/// receipts a screen imports from). A missing folder holds none.
///
/// # Errors
/// [`HandoffError::Io`] when the folder exists but cannot be read.
pub fn files_in(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, HandoffError> {
    let io = |source| HandoffError::Io {
        path: dir.display().to_string(),
        source,
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        // Only regular files: a link or folder is never read from an inbox.
        let regular = entry.file_type().is_ok_and(|t| t.is_file());
        if regular && path.extension().is_some_and(|x| x == ext) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inbox_lists_only_regular_files_of_its_kind_sorted() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        for name in ["b.age", "a.age", "c.json", "notes.txt"] {
            std::fs::write(dir.path().join(name), "x").unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::create_dir(dir.path().join("d.age")).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<String> = files_in(dir.path(), "age")
            .unwrap_or_else(|e| panic!("{e}"))
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        assert_eq!(names, ["a.age", "b.age"]);
        assert!(
            files_in(&dir.path().join("missing"), "age")
                .unwrap_or_else(|e| panic!("{e}"))
                .is_empty()
        );
    }

    #[test]
    fn import_lines_are_the_commands_lines() {
        let b = |kind, already| ImportedBundle {
            id: "R".into(),
            kind,
            already,
        };
        assert_eq!(b("referral", false).line(), "imported: R");
        assert_eq!(b("withdrawal", false).line(), "withdrawn: R");
        assert_eq!(b("referral", true).line(), "already imported: R");
    }
}
