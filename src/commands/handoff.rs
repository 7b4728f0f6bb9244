//! The two-site commands (docs/handoff.md): `keys generate`, `sites add|list`,
//! `handoff seal|import|confirm`, `referrals withdraw`, `purge`, `audit anchors`.
//!
//! A command over several files handles every file, says what happened to each (`sealed: ID
//! PATH`, `imported: ID`, `already imported: ID`, `delivered: ID`; a refused file as one
//! sentence on standard error) and exits 1 when any file was refused.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use age::secrecy::SecretString;

use super::{CmdResult, Failure, print_err, print_out};
use crate::handoff::bundle;
use crate::handoff::files;
use crate::handoff::keys::{self, PublicKey, SecretKey, SiteKind};
use crate::handoff::payload::{
    AuditHead, Body, FORMAT, Payload, ReferralPayload, WithdrawalPayload,
};
use crate::handoff::receipt::{self, Receipt};
use crate::handoff::{HandoffError, sha256_hex};
use crate::settings::{Settings, Site};
use crate::store::{self, Imported, Incoming, PurgeRule, ReceiptRecord, Store};

/// The environment variable a secret key file's passphrase may come from (for scripts and
/// tests; on a terminal it is asked for instead).
pub const PASSPHRASE_ENV: &str = "ROSA_SCREEN_PASSPHRASE";

impl From<HandoffError> for Failure {
    fn from(e: HandoffError) -> Self {
        Self {
            code: e.exit_code(),
            message: e.to_string(),
        }
    }
}

/// The passphrase of a secret key file: `ROSA_SCREEN_PASSPHRASE`, else asked on the terminal.
fn ask_passphrase(path: &Path) -> Result<SecretString, String> {
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        return Ok(SecretString::from(p));
    }
    rpassword::prompt_password(format!("Passphrase for {}: ", path.display()))
        .map(SecretString::from)
        .map_err(|_| {
            format!("it is protected by a passphrase; run on a terminal or set {PASSPHRASE_ENV}")
        })
}

/// A new key's passphrase: `ROSA_SCREEN_PASSPHRASE` (empty: none), else asked twice on a
/// terminal (empty: none), else none.
fn new_passphrase() -> Result<Option<SecretString>, Failure> {
    use std::io::IsTerminal;
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        return Ok((!p.is_empty()).then(|| SecretString::from(p)));
    }
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let fail = |e: std::io::Error| Failure::usage(format!("cannot read the passphrase: {e}"));
    let one = rpassword::prompt_password("Passphrase for the secret key (empty for none): ")
        .map_err(fail)?;
    if one.is_empty() {
        return Ok(None);
    }
    let two = rpassword::prompt_password("The same passphrase again: ").map_err(fail)?;
    if one != two {
        return Err(Failure::usage(
            "the two passphrases differ; nothing was written, run keys generate again",
        ));
    }
    Ok(Some(SecretString::from(one)))
}

/// `keys generate --out DIR [--site prison|rosa]`.
///
/// # Errors
/// A [`Failure`] when the files exist or cannot be written.
pub fn keys_generate(settings: &Settings, out: &Path, site: Option<&str>) -> CmdResult {
    let site = match site {
        Some(s) => s.parse::<SiteKind>().map_err(Failure::usage)?,
        None => match settings.site {
            Some(Site::Rosa) => SiteKind::Rosa,
            _ => SiteKind::Prison,
        },
    };
    let pass = new_passphrase()?;
    let (key, paths) = keys::generate_files(out, site, pass.as_ref())?;
    print_out(&format!(
        "secret: {} (keep it on this machine; it never leaves the site)\n",
        paths.secret.display()
    ))?;
    print_out(&format!("public: {}\n", paths.public.display()))?;
    print_out(&format!("fingerprint: {}\n", key.public().fingerprint()))?;
    Ok(ExitCode::SUCCESS)
}

/// `sites add PUBLIC_FILE --unit NAME` (ROSA).
///
/// # Errors
/// A [`Failure`] when the file is not a prison's public file or is registered already.
pub fn sites_add(settings: &Settings, public: &Path, unit: &str) -> CmdResult {
    let key = PublicKey::load(public)?;
    if key.site != SiteKind::Prison {
        return Err(Failure::usage(format!(
            "{} is ROSA's public file; register a prison's public file",
            public.display()
        )));
    }
    let text = key.to_file_text();
    let mut store = super::open_store(settings)?;
    let actor = store.actor().to_owned();
    store.add_site(unit, &key.key_id(), &key.fingerprint(), &text, &actor)?;
    print_out(&format!("registered: {}\n", unit.trim()))?;
    print_out(&format!("fingerprint: {}\n", key.fingerprint()))?;
    Ok(ExitCode::SUCCESS)
}

/// `sites list` (ROSA).
///
/// # Errors
/// A [`Failure`] when the database cannot be read.
pub fn sites_list(settings: &Settings) -> CmdResult {
    let store = super::open_existing_store(settings)?;
    let sites = store.sites()?;
    if sites.is_empty() {
        print_out("no prisons registered\n")?;
    }
    for s in sites {
        print_out(&format!(
            "{}  {}  added {}\n",
            s.unit,
            s.fingerprint,
            s.added_at.get(..10).unwrap_or(&s.added_at)
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn configured(
    flag: Option<&Path>,
    config: Option<&PathBuf>,
    what: &str,
) -> Result<PathBuf, Failure> {
    flag.map(Path::to_path_buf)
        .or_else(|| config.cloned())
        .ok_or_else(|| Failure::usage(format!("give {what}")))
}

fn load_secret(path: &Path, want: SiteKind) -> Result<SecretKey, Failure> {
    let k = SecretKey::load(path, &ask_passphrase)?;
    if k.site != want {
        return Err(Failure::usage(format!(
            "{} is a {} key; this needs the {} secret key",
            path.display(),
            k.site,
            want
        )));
    }
    Ok(k)
}

fn load_rosa_public(path: &Path) -> Result<PublicKey, Failure> {
    let k = PublicKey::load(path)?;
    if k.site != SiteKind::Rosa {
        return Err(Failure::usage(format!(
            "{} is a prison's public file; give ROSA's public file",
            path.display()
        )));
    }
    Ok(k)
}

/// What `handoff seal` and `referrals withdraw` seal with.
pub struct Sealer {
    to: PublicKey,
    key: SecretKey,
    out: PathBuf,
    force: bool,
}

impl Sealer {
    /// Loads the keys from the flags or the config's `[handoff]` table.
    ///
    /// # Errors
    /// A [`Failure`] when a key is missing or of the wrong kind.
    pub fn new(
        settings: &Settings,
        to: Option<&Path>,
        key: Option<&Path>,
        out: &Path,
        force: bool,
    ) -> Result<Self, Failure> {
        let to = configured(
            to,
            settings.handoff.rosa_public.as_ref(),
            "--to ROSA_PUBLIC_FILE, or set rosa_public in the [handoff] table of the config",
        )?;
        let key = configured(
            key,
            settings.handoff.own_key.as_ref(),
            "--key OWN_SECRET_FILE, or set own_key in the [handoff] table of the config",
        )?;
        files::ensure_dir(out)?;
        Ok(Self {
            to: load_rosa_public(&to)?,
            key: load_secret(&key, SiteKind::Prison)?,
            out: out.to_path_buf(),
            force,
        })
    }

    /// Seals one payload into `DIR/NAME` and records it; returns the path.
    fn seal(
        &self,
        store: &mut Store,
        referral: &str,
        body: Body,
        name: &str,
    ) -> Result<PathBuf, Failure> {
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
        let json = payload.to_json().map_err(Failure::found)?;
        let armored = bundle::seal(&json, &self.key, &self.to)?;
        let path = self.out.join(name);
        files::write_private(&path, armored.as_bytes(), self.force)?;
        let actor = store.actor().to_owned();
        store.record_sealed(referral, kind, &sha256_hex(json.as_bytes()), &head, &actor)?;
        Ok(path)
    }

    /// Seals a referral's bundle.
    fn seal_referral(&self, store: &mut Store, id: &str) -> Result<PathBuf, Failure> {
        let detail = store.referral(id)?;
        let payload = ReferralPayload::from_detail(&detail).map_err(Failure::found)?;
        self.seal(
            store,
            id,
            Body::Referral(Box::new(payload)),
            &format!("referral-{id}.age"),
        )
    }

    /// Seals a withdrawal notice.
    fn seal_withdrawal(&self, store: &mut Store, id: &str) -> Result<PathBuf, Failure> {
        let w = store.withdrawal(id)?.ok_or_else(|| {
            Failure::usage(format!("consent for referral {id} was not withdrawn"))
        })?;
        let body = Body::Withdrawal(WithdrawalPayload {
            referral_id: id.to_owned(),
            withdrawn_at: w.withdrawn_at,
            note: w.note.unwrap_or_default(),
        });
        self.seal(store, id, body, &format!("withdrawal-{id}.age"))
    }
}

/// `handoff seal [ID...] [--to F] [--key F] --out DIR [--force]` (prison).
///
/// # Errors
/// A [`Failure`] when the keys or the database cannot be used; a refused referral is reported
/// and the others are still sealed (exit 1).
pub fn seal(
    settings: &Settings,
    ids: &[String],
    to: Option<&Path>,
    key: Option<&Path>,
    out: &Path,
    force: bool,
) -> CmdResult {
    let sealer = Sealer::new(settings, to, key, out, force)?;
    let mut store = super::open_existing_store(settings)?;
    let mut failed = false;
    let mut work: Vec<(String, bool)> = Vec::new();
    if ids.is_empty() {
        work.extend(store.handoff_waiting()?.into_iter().map(|id| (id, false)));
        work.extend(
            store
                .withdrawals_waiting()?
                .into_iter()
                .map(|w| (w.referral_id, true)),
        );
        if work.is_empty() {
            print_out("nothing waits to be sealed\n")?;
        }
    } else {
        for given in ids {
            let id = match store.resolve_referral(given) {
                Ok(id) => id,
                Err(e) => {
                    print_err(&format!("rosa-screen: {e}"));
                    failed = true;
                    continue;
                }
            };
            match (store.withdrawal(&id)?, store.handoff_state(&id)?) {
                (Some(w), _) if w.notice == "none" => {
                    print_err(&format!(
                        "rosa-screen: consent for referral {id} was withdrawn before it was sealed; there is nothing to tell ROSA"
                    ));
                    failed = true;
                }
                (Some(_), _) => work.push((id, true)),
                (None, None) => {
                    print_err(&format!(
                        "rosa-screen: referral {id} came from a prison; only the prison that made it seals it"
                    ));
                    failed = true;
                }
                (None, Some(store::HandoffState::Delivered)) => {
                    print_err(&format!(
                        "rosa-screen: referral {id} was already delivered to ROSA; nothing was sealed"
                    ));
                    failed = true;
                }
                (None, Some(_)) => work.push((id, false)),
            }
        }
    }
    let all_sealed = each(work, |(id, withdrawal)| {
        let path = if withdrawal {
            sealer.seal_withdrawal(&mut store, &id)
        } else {
            sealer.seal_referral(&mut store, &id)
        }?;
        Ok(format!("sealed: {id} {}\n", path.display()))
    })?;
    Ok(exit_code(failed || !all_sealed))
}

/// Runs `one` for every item, printing its line, or its refusal on stderr, and going on with
/// the others: product.md's rule for commands over several files. True when none was refused.
fn each<T>(
    items: impl IntoIterator<Item = T>,
    mut one: impl FnMut(T) -> Result<String, Failure>,
) -> Result<bool, Failure> {
    let mut all = true;
    for item in items {
        match one(item) {
            Ok(line) => print_out(&line)?,
            Err(e) => {
                print_err(&format!("rosa-screen: {e}"));
                all = false;
            }
        }
    }
    Ok(all)
}

/// Exit 1 when anything was refused (after the others were handled), else 0.
fn exit_code(refused: bool) -> ExitCode {
    if refused {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `handoff import BUNDLE... --identity F... [--receipts DIR] [--force]` (ROSA).
///
/// # Errors
/// A [`Failure`] when no identity or the database can be used; each refused bundle is
/// reported and the others are still imported (exit 1).
pub fn import(
    settings: &Settings,
    bundles: &[PathBuf],
    identities: &[PathBuf],
    receipts: Option<&Path>,
    force: bool,
) -> CmdResult {
    let identity_paths: Vec<PathBuf> = if identities.is_empty() {
        vec![configured(
            None,
            settings.handoff.own_key.as_ref(),
            "--identity ROSA_SECRET_FILE, or set own_key in the [handoff] table of the config",
        )?]
    } else {
        identities.to_vec()
    };
    let ids = identity_paths
        .iter()
        .map(|p| load_secret(p, SiteKind::Rosa))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(dir) = receipts {
        files::ensure_dir(dir)?;
    }
    let mut store = super::open_existing_store(settings)?;
    let sites: Vec<(String, PublicKey)> = store
        .sites()?
        .into_iter()
        .filter_map(|s| {
            PublicKey::parse(&s.public_key, &s.unit)
                .ok()
                .map(|k| (s.unit, k))
        })
        .collect();
    let lookup = |key_id: &str| {
        sites
            .iter()
            .find(|(_, k)| k.key_id() == key_id)
            .map(|(_, k)| k.clone())
    };
    let actor = store.actor().to_owned();
    let all = each(bundles, |path| {
        import_one(
            &mut store, path, &ids, &lookup, &sites, &actor, receipts, force,
        )
    })?;
    Ok(exit_code(!all))
}

#[allow(clippy::too_many_arguments)]
fn import_one(
    store: &mut Store,
    path: &Path,
    ids: &[SecretKey],
    lookup: &dyn Fn(&str) -> Option<PublicKey>,
    sites: &[(String, PublicKey)],
    actor: &str,
    receipts: Option<&Path>,
    force: bool,
) -> Result<String, Failure> {
    let label = path.display().to_string();
    let bytes = files::read_limited(path)?;
    let opened = bundle::open(&bytes, &label, ids, lookup)?;
    let damaged = |why: String| HandoffError::Damaged {
        path: label.clone(),
        why,
    };
    let payload = Payload::from_json(&opened.payload).map_err(damaged)?;
    if payload.format != opened.format {
        return Err(damaged("its payload's format differs from its envelope's".to_owned()).into());
    }
    let unit = sites
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
    let result = match &payload.body {
        Body::Referral(r) => store.import_referral(&r.to_detail(&from.unit), &from, actor)?,
        Body::Withdrawal(w) => store.import_withdrawal(&w.referral_id, &w.note, &from, actor)?,
    };
    let (line, arrived_at) = match (&result, kind) {
        (Imported::New { arrived_at }, "withdrawal") => (format!("withdrawn: {id}\n"), arrived_at),
        (Imported::New { arrived_at }, _) => (format!("imported: {id}\n"), arrived_at),
        (Imported::Already { arrived_at }, _) => (format!("already imported: {id}\n"), arrived_at),
    };
    if let (Some(dir), Some(rosa)) = (receipts, ids.get(opened.identity)) {
        let r = Receipt {
            kind: kind.to_owned(),
            referral: id.clone(),
            payload_sha256: opened.payload_sha256.clone(),
            received_at: arrived_at.clone(),
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
            files::write_private(&target, text.as_bytes(), force)?;
        }
    }
    Ok(line)
}

/// `handoff confirm RECEIPT... [--from F]` (prison).
///
/// # Errors
/// A [`Failure`] when ROSA's public file or the database cannot be used; each refused receipt
/// is reported and the others are still confirmed (exit 1).
pub fn confirm(settings: &Settings, receipts: &[PathBuf], from: Option<&Path>) -> CmdResult {
    let from = configured(
        from,
        settings.handoff.rosa_public.as_ref(),
        "--from ROSA_PUBLIC_FILE, or set rosa_public in the [handoff] table of the config",
    )?;
    let rosa = load_rosa_public(&from)?;
    let mut store = super::open_existing_store(settings)?;
    let actor = store.actor().to_owned();
    let all = each(receipts, |path| {
        confirm_one(&mut store, path, &rosa, &actor).map(|id| format!("delivered: {id}\n"))
    })?;
    Ok(exit_code(!all))
}

fn confirm_one(
    store: &mut Store,
    path: &Path,
    rosa: &PublicKey,
    actor: &str,
) -> Result<String, Failure> {
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
    store
        .confirm_receipt(&record, actor)
        .map_err(|e| Failure::found(format!("{label} was refused: {e}")))?;
    Ok(r.referral)
}

/// `referrals withdraw ID --note TEXT [--out DIR --to F --key F]` (prison): erases at once;
/// when the referral had been sealed, the notice to ROSA is sealed now if `--out` is given,
/// else by the next `handoff seal`.
///
/// # Errors
/// A [`Failure`] when the referral is unknown, came from a prison, or was withdrawn before.
pub fn withdraw(
    settings: &Settings,
    id: &str,
    note: &str,
    out: Option<&Path>,
    to: Option<&Path>,
    key: Option<&Path>,
) -> CmdResult {
    // Load the keys first, so a missing key stops the command before anything is erased.
    let sealer = out
        .map(|dir| Sealer::new(settings, to, key, dir, false))
        .transpose()?;
    let mut store = super::open_existing_store(settings)?;
    let id = store.resolve_referral(id)?;
    let actor = store.actor().to_owned();
    let tell = store.withdraw_referral(&id, note, &actor)?;
    print_out(&format!("withdrawn: {id}\n"))?;
    if !tell {
        print_out("notice: none (the referral was never sealed, so ROSA never had it)\n")?;
        return Ok(ExitCode::SUCCESS);
    }
    match sealer {
        Some(s) => {
            let path = s.seal_withdrawal(&mut store, &id)?;
            print_out(&format!("sealed: {id} {}\n", path.display()))?;
        }
        None => {
            print_out("notice: waiting (`rosa-screen handoff seal --out DIR` seals it for ROSA)\n")?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `purge [--older-than DAYS] [--dry-run]`.
///
/// # Errors
/// A [`Failure`] when no period is given or configured, or the database cannot be used.
pub fn purge(settings: &Settings, older_than: Option<u32>, dry_run: bool) -> CmdResult {
    let days = older_than
        .or(settings.purge.older_than_days)
        .ok_or_else(|| {
            Failure::usage(
                "give --older-than DAYS, or set older_than_days in the [purge] table of the config",
            )
        })?;
    let span = jiff::SignedDuration::from_hours(i64::from(days) * 24);
    let cutoff = jiff::Timestamp::now()
        .checked_sub(span)
        .map_err(|_| Failure::usage(format!("--older-than {days} reaches before the year 0")))?;
    let cutoff = format!("{cutoff:.6}");
    let rule = match settings.site {
        Some(Site::Prison) => PurgeRule::Prison,
        Some(Site::Rosa) => PurgeRule::Rosa,
        None => PurgeRule::Both,
    };
    let mut store = super::open_existing_store(settings)?;
    let actor = store.actor().to_owned();
    let p = store.purge(rule, &cutoff, dry_run, &actor)?;
    let verb = if dry_run { "would purge" } else { "purged" };
    print_out(&format!(
        "{verb}: {} screenings, {} referrals (older than {days} days)\n",
        p.screenings, p.referrals
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// `audit anchors [--unit U]` (ROSA): each prison's latest audit head.
///
/// # Errors
/// A [`Failure`] when the database cannot be read.
pub fn anchors(settings: &Settings, unit: Option<&str>) -> CmdResult {
    let store = super::open_existing_store(settings)?;
    let anchors = store.anchors(unit)?;
    if anchors.is_empty() {
        print_out("no audit heads received\n")?;
    }
    for a in anchors {
        print_out(&format!(
            "{}: entries {} head {} (received {})\n",
            a.unit, a.entries, a.head, a.received_at
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
