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
use crate::handoff::HandoffError;
use crate::handoff::exchange::{self, ExchangeError, Importer, Sealer, Work};
use crate::handoff::keys::{self, PublicKey, SecretKey, SiteKind};
use crate::settings::{Settings, Site};

pub use crate::handoff::exchange::PASSPHRASE_ENV;

impl From<ExchangeError> for Failure {
    fn from(e: ExchangeError) -> Self {
        Self {
            code: e.exit_code(),
            message: e.to_string(),
        }
    }
}

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
    Ok(exchange::load_secret(path, want, &ask_passphrase)?)
}

/// The keys and folder of `handoff seal` and `referrals withdraw --out`, from the flags or the
/// config's `[handoff]` table.
fn sealer(
    settings: &Settings,
    to: Option<&Path>,
    key: Option<&Path>,
    out: &Path,
    force: bool,
) -> Result<Sealer, Failure> {
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
    Ok(Sealer::new(&to, &key, out, force, &ask_passphrase)?)
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
    let sealer = sealer(settings, to, key, out, force)?;
    let mut store = super::open_existing_store(settings)?;
    let mut failed = false;
    let mut work: Vec<Work> = Vec::new();
    if ids.is_empty() {
        work = exchange::waiting(&store)?;
        if work.is_empty() {
            print_out("nothing waits to be sealed\n")?;
        }
    } else {
        for given in ids {
            match exchange::work_for(&store, given) {
                Ok(w) => work.push(w),
                Err(e) => {
                    print_err(&format!("rosa-screen: {e}"));
                    failed = true;
                }
            }
        }
    }
    let all_sealed = each(work, |w| {
        let path = sealer.seal(&mut store, &w)?;
        Ok(format!("sealed: {} {}\n", w.id, path.display()))
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
    let mut store = super::open_existing_store(settings)?;
    let importer = Importer::new(&store, ids, receipts, force)?;
    let all = each(bundles, |path| {
        Ok(format!("{}\n", importer.import(&mut store, path)?.line()))
    })?;
    Ok(exit_code(!all))
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
    let rosa = exchange::load_rosa_public(&from)?;
    let mut store = super::open_existing_store(settings)?;
    let all = each(receipts, |path| {
        exchange::confirm(&mut store, path, &rosa)
            .map(|id| format!("delivered: {id}\n"))
            .map_err(Failure::from)
    })?;
    Ok(exit_code(!all))
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
        .map(|dir| sealer(settings, to, key, dir, false))
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
    let cutoff = exchange::purge_cutoff(days, jiff::Timestamp::now())
        .ok_or_else(|| Failure::usage(format!("--older-than {days} reaches before the year 0")))?;
    let rule = exchange::purge_rule(settings.site);
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
