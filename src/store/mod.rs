//! SQLite storage: questionnaire snapshots, screenings, answers with history, referrals, their
//! status history, and a hash-chained audit log. This module owns ALL SQL of the program.
//!
//! # Public API (what the TUI, the review queue and the commands call)
//! ```text
//! Store::open(path: &Path) -> Result<Store, StoreError>          // checks, then migrates
//! Store::open_default(db: Option<&Path>) -> Result<Store, StoreError> // --db/ROSA_SCREEN_DB or the data dir
//! Store::open_existing(db: Option<&Path>) -> Result<Store, StoreError> // never creates a file
//! Store::in_memory() -> Result<Store, StoreError>                 // tests
//! store::default_path() -> Result<PathBuf, StoreError>
//! store::actor() -> String                                        // $ROSA_SCREEN_ACTOR or the OS user
//!
//! // screenings (actor: the screening's officer)
//! fn create_screening(&mut self, q: &Questionnaire, d: &NewScreening) -> Result<String, StoreError>
//! fn record_answer(&mut self, screening: &str, question: &str, answer: Option<&Answer>,
//!                  note: Option<&str>) -> Result<bool, StoreError>   // true: something changed
//! fn finish_screening(&mut self, screening: &str, r: &Finish) -> Result<(), StoreError>
//! fn set_consent(&mut self, screening: &str, c: Consent) -> Result<(), StoreError>
//! fn unfinished(&self) -> Result<Vec<ScreeningSummary>, StoreError>
//! fn load_screening(&self, id: &str) -> Result<StoredScreening, StoreError>
//!     // .questionnaire_yaml/.questionnaire_source -> questionnaire::open, then
//!     // Session::restore(q, stored.entries()) resumes it; .answers keep every earlier value
//! Finish::from(&ScreeningResult)                                   // what finish_screening takes
//!
//! // referrals (actor: given by the caller, see store::actor())
//! fn create_referral(&mut self, screening: &str, r: &NewReferral) -> Result<String, StoreError>
//!     // refused (StoreError::Refused, exit 1) without consent, unfinished, or already referred
//! fn referrals(&self, f: &ReferralFilter) -> Result<Vec<ReferralRow>, StoreError> // newest first
//! fn resolve_referral(&self, id_or_prefix: &str) -> Result<String, StoreError>
//! fn referral(&self, id: &str) -> Result<ReferralDetail, StoreError>  // reads; no audit entry
//! fn record_view(&mut self, id: &str, actor: &str) -> Result<(), StoreError>
//! fn record_export(&mut self, id: &str, actor: &str, what: &str) -> Result<(), StoreError>
//! fn set_status(&mut self, id: &str, to: Status, note: Option<&str>, actor: &str)
//!     -> Result<Status, StoreError>                                  // returns the old status
//! fn add_note(&mut self, id: &str, text: &str, actor: &str) -> Result<(), StoreError>
//! store::allowed_next(from: Status) -> &'static [Status]           // the workflow, see referrals.rs
//!
//! // the review queue (src/store/queue.rs; order and filters documented there)
//! fn queue_page(&self, f: &QueueFilter, offset: u64, limit: u32) -> Result<Vec<QueueRow>, StoreError>
//! fn queue_counts(&self, f: &QueueFilter) -> Result<QueueCounts, StoreError>
//! fn queue_choices(&self) -> Result<QueueChoices, StoreError>
//!
//! fn stats(&self, year: i16) -> Result<Stats, StoreError>
//! fn verify_audit(&self) -> Result<AuditCheck, StoreError>
//! fn audit_entries(&self) -> Result<Vec<AuditEntry>, StoreError>
//!
//! // two sites (src/store/handoff.rs; docs/handoff.md)
//! fn current_audit_head(&self) -> Result<(u64, String), StoreError>
//! fn handoff_waiting / withdrawals_waiting / handoff_state / handoff_counts   // prison
//! fn record_sealed / confirm_receipt / receipt_anchors / withdraw_referral     // prison
//! fn add_site / sites / import_referral / import_withdrawal / arrival / anchors // ROSA
//! fn purge(&mut self, rule: PurgeRule, cutoff: &str, dry_run: bool, actor: &str) -> Purged
//! fn last_purge(&self) -> Result<Option<String>, StoreError>
//!
//! StoreError::exit_code() -> u8; Display is the one sentence for the user
//! (commands::db has `impl From<StoreError> for Failure`).
//! ```
//! Every write is one IMMEDIATE transaction that also appends its audit entry; it returns only
//! after the commit is on disk (WAL with `synchronous=FULL`), so an answer the screen moved past
//! is never lost. Several processes (officer, reviewer) may use one file at once: writers wait up
//! to [`BUSY_TIMEOUT`] for each other.

mod audit;
mod handoff;
mod migrate;
mod queue;
mod referrals;
mod screenings;
mod stats;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use serde::{Deserialize, Serialize};

pub use audit::{AuditCheck, AuditEntry};
pub use handoff::{
    Anchor, Arrival, HandoffState, Imported, Incoming, PurgeRule, Purged, ReceiptRecord, Site,
    Withdrawal,
};
pub use queue::{QueueChoices, QueueCounts, QueueFilter, QueueRow};
pub use referrals::{
    NewReferral, ReferralDetail, ReferralEvent, ReferralFilter, ReferralRow, Status, allowed_next,
};
pub use screenings::questionnaire_hash;
pub use screenings::{
    EarlierAnswer, Finish, NewScreening, Raised, ScreeningSummary, StoredAnswer, StoredScreening,
};
pub use stats::{Count, Stats};

/// How long a write waits for another process's write to finish before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the store could not do what was asked. Each message is one sentence for the user.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file exists but is not an SQLite database.
    #[error(
        "{path} is not a rosa-screen database (it is not an SQLite file); it was left untouched"
    )]
    NotSqlite {
        /// The file.
        path: String,
    },
    /// The file is an SQLite database of some other program.
    #[error(
        "{path} is an SQLite database of another program, not of rosa-screen; it was left untouched"
    )]
    Foreign {
        /// The file.
        path: String,
    },
    /// The file was written by a newer rosa-screen.
    #[error(
        "{path} was written by a newer rosa-screen (schema version {found}, this program knows up to {known}); install the newer rosa-screen, the file was left untouched"
    )]
    Newer {
        /// The file.
        path: String,
        /// Its schema version.
        found: i64,
        /// The newest version this program knows.
        known: i64,
    },
    /// The disk (or the database's size limit) is full.
    #[error(
        "the database {path} is full (no space left on the disk); this action was not saved, everything saved before it is intact"
    )]
    Full {
        /// The file.
        path: String,
    },
    /// Another process held the database for longer than the busy timeout.
    #[error("the database {path} is busy (another rosa-screen is writing to it); try again")]
    Busy {
        /// The file.
        path: String,
    },
    /// A file or folder could not be created or read.
    #[error("cannot use {path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// `open_existing` found no file.
    #[error(
        "there is no database at {path} (nothing has been recorded there yet); check --db or ROSA_SCREEN_DB"
    )]
    Missing {
        /// The file.
        path: String,
    },
    /// No data directory could be found and no `--db` was given.
    #[error("no data directory found for the database; give one with --db PATH or ROSA_SCREEN_DB")]
    NoDataDir,
    /// No record with this id.
    #[error("no {what} with id `{id}`")]
    NotFound {
        /// "screening" or "referral".
        what: &'static str,
        /// The id or prefix given.
        id: String,
    },
    /// A prefix matches several records.
    #[error("`{id}` matches {count} {what}s; give more characters of the id")]
    Ambiguous {
        /// "referral".
        what: &'static str,
        /// The prefix given.
        id: String,
        /// How many records it matches.
        count: usize,
    },
    /// A status change the workflow does not allow.
    #[error("referral {id} cannot go from `{from}` to `{to}`; allowed next: {allowed}")]
    IllegalTransition {
        /// The referral.
        id: String,
        /// Its current status.
        from: Status,
        /// The status asked for.
        to: Status,
        /// The allowed next statuses, comma-separated (or "none (it is closed)").
        allowed: String,
    },
    /// The action is not allowed in the record's current state (for example a referral without
    /// consent, or an answer to a finished screening).
    #[error("{0}")]
    Refused(String),
    /// Any other database failure.
    #[error("database error in {path}: {source}")]
    Sql {
        /// The file.
        path: String,
        /// What SQLite said.
        source: rusqlite::Error,
    },
}

impl StoreError {
    /// The exit code for this error: 2 for input that cannot be used (a bad file, an unknown or
    /// ambiguous id), 1 when the command ran and hit a problem (a refused change, a full disk).
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::NotSqlite { .. }
            | Self::Foreign { .. }
            | Self::Newer { .. }
            | Self::Io { .. }
            | Self::NoDataDir
            | Self::Missing { .. }
            | Self::NotFound { .. }
            | Self::Ambiguous { .. } => 2,
            Self::Full { .. }
            | Self::Busy { .. }
            | Self::IllegalTransition { .. }
            | Self::Refused(_)
            | Self::Sql { .. } => 1,
        }
    }
}

/// The person's gender as recorded (ROSA's annual report counts by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Other.
    Other,
    /// Not known or not said.
    #[default]
    Unknown,
}

/// Whether and how an interpreter took part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interpreter {
    /// No interpreter.
    #[default]
    None,
    /// An interpreter in the room.
    InPerson,
    /// An interpreter on the phone.
    Phone,
}

/// The person's consent to a referral to ROSA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    /// Referred with name and contact.
    Named,
    /// Referred without identifying details.
    Anonymous,
    /// No consent: no referral; the officer may call ROSA for anonymous advice.
    None,
}

/// The words used in the database and on the command line for the small enums above.
macro_rules! words {
    ($t:ty, $what:literal, $($v:ident => $s:literal),+ $(,)?) => {
        impl $t {
            /// The word used in the database and on the command line.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),+ }
            }
            /// Every value, in order.
            pub const ALL: &'static [Self] = &[$(Self::$v),+];
        }
        impl std::str::FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($s => Ok(Self::$v),)+
                    _ => Err(format!(
                        concat!("`{}` is not a ", $what, "; use one of: {}"),
                        s,
                        [$($s),+].join(", ")
                    )),
                }
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use words;

words!(Gender, "gender", Female => "female", Male => "male", Other => "other", Unknown => "unknown");
words!(Interpreter, "kind of interpreter", None => "none", InPerson => "in_person", Phone => "phone");
words!(Consent, "consent", Named => "named", Anonymous => "anonymous", None => "none");

/// An open database.
pub struct Store {
    conn: Connection,
    /// The file as shown in messages (`:memory:` for an in-memory store).
    label: String,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("file", &self.label).finish()
    }
}

/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// The default database file: `rosa-screen.db` in the platform's data directory.
pub fn default_path() -> Result<PathBuf, StoreError> {
    let dirs =
        directories::ProjectDirs::from("no", "ROSA", "rosa-screen").ok_or(StoreError::NoDataDir)?;
    Ok(dirs.data_dir().join("rosa-screen.db"))
}

/// Who is acting, for CLI referral actions: `$ROSA_SCREEN_ACTOR`, else the OS user name.
#[must_use]
pub fn actor() -> String {
    ["ROSA_SCREEN_ACTOR", "USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .map(|v| v.trim().to_owned())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Now, as stored: RFC 3339 UTC with a fixed six fractional digits, so that text order is time
/// order.
pub(crate) fn now() -> String {
    format!("{:.6}", jiff::Timestamp::now())
}

/// A new uuid v7 id (time-ordered, so ids sort by creation).
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Hex sha256 of some text.
pub(crate) fn sha256_hex(text: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(text);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

impl Store {
    /// Opens an existing database at `db` (or the default path) without creating one: for
    /// commands that only read or act on what is there, so a mistyped `--db` is reported
    /// instead of silently starting an empty database.
    pub fn open_existing(db: Option<&Path>) -> Result<Self, StoreError> {
        let path = match db {
            Some(p) => p.to_path_buf(),
            None => default_path()?,
        };
        if !path.exists() {
            return Err(StoreError::Missing {
                path: path.display().to_string(),
            });
        }
        Self::open(&path)
    }

    /// Opens (creating if needed) the database at `db`, or at [`default_path`] when `None`.
    pub fn open_default(db: Option<&Path>) -> Result<Self, StoreError> {
        match db {
            Some(p) => Self::open(p),
            None => Self::open(&default_path()?),
        }
    }

    /// Opens the database at `path`, creating it (folder 0700, file 0600) if it does not exist,
    /// and migrating it to the current schema. A file that is not an SQLite database, an SQLite
    /// file of another program, or a database from a newer rosa-screen is refused before
    /// anything is written to it.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let label = path.display().to_string();
        let io = |source| StoreError::Io {
            path: label.clone(),
            source,
        };
        if path.exists() {
            check_existing(path, &label)?;
        } else {
            create_file(path).map_err(io)?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| sql_error(&label, e))?;
        let mut store = Self { conn, label };
        store.configure(true)?;
        store.migrate()?;
        Ok(store)
    }

    /// A fresh database in memory (for tests and benches).
    pub fn in_memory() -> Result<Self, StoreError> {
        let label = ":memory:".to_owned();
        let conn = Connection::open_in_memory().map_err(|e| sql_error(&label, e))?;
        let mut store = Self { conn, label };
        store.configure(false)?;
        store.migrate()?;
        Ok(store)
    }

    /// The file as shown in messages.
    #[must_use]
    pub fn label(&self) -> &str {
        &self.label
    }

    fn configure(&mut self, file: bool) -> Result<(), StoreError> {
        let label = self.label.clone();
        let e = |err| sql_error(&label, err);
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(e)?;
        if file {
            // WAL lets a reviewer read while an officer writes; FULL makes each commit durable
            // before it returns (the answer is on disk before the next question shows).
            let mode: String = self
                .conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
                .map_err(e)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Refused(format!(
                    "the database {label} cannot use write-ahead logging (journal mode stayed `{mode}`)"
                )));
            }
        }
        self.conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(e)?;
        self.conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(e)?;
        Ok(())
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        // Read again under the write lock: another process may have migrated in between.
        let current: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.sql(e))?;
        if current > migrate::latest() {
            return Err(StoreError::Newer {
                path: self.label.clone(),
                found: current,
                known: migrate::latest(),
            });
        }
        if current < migrate::latest() {
            migrate::run(&mut self.conn, current).map_err(|e| sql_error(&self.label, e))?;
        }
        Ok(())
    }

    /// Maps an SQLite error of this store to a [`StoreError`].
    pub(crate) fn sql(&self, e: rusqlite::Error) -> StoreError {
        sql_error(&self.label, e)
    }

    /// Starts a write transaction that takes the write lock at once (so two writers queue on the
    /// busy timeout instead of failing when upgrading a read lock).
    pub(crate) fn write(&mut self) -> Result<rusqlite::Transaction<'_>, StoreError> {
        let label = self.label.clone();
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sql_error(&label, e))
    }

    /// Test-only hook: caps the file at `pages` pages, to simulate a full disk.
    #[doc(hidden)]
    pub fn limit_pages_for_test(&self, pages: u32) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "max_page_count", pages)
            .map_err(|e| self.sql(e))
    }
}

/// Maps an SQLite error to a [`StoreError`] naming `label`.
pub(crate) fn sql_error(label: &str, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode as C;
    let path = label.to_owned();
    match e.sqlite_error_code() {
        Some(C::DiskFull) => StoreError::Full { path },
        Some(C::DatabaseBusy | C::DatabaseLocked) => StoreError::Busy { path },
        Some(C::NotADatabase) => StoreError::NotSqlite { path },
        Some(C::CannotOpen | C::ReadOnly | C::PermissionDenied) => StoreError::Io {
            path,
            source: std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the file or its folder cannot be opened for writing",
            ),
        },
        _ => StoreError::Sql { path, source: e },
    }
}

/// Creates an empty database file with owner-only permissions (and its folder, 0700).
fn create_file(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.exists())
    {
        let mut b = fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(dir)?;
    }
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    match o.open(path) {
        Ok(_) => Ok(()),
        // Another process created it in between: fine, SQLite will open it.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Checks an existing file without writing to it: an SQLite file (or empty), ours or empty of
/// tables, and not from a newer version. Returns its schema version.
fn check_existing(path: &Path, label: &str) -> Result<i64, StoreError> {
    let io = |source| StoreError::Io {
        path: label.to_owned(),
        source,
    };
    let mut head = Vec::with_capacity(16);
    fs::File::open(path)
        .map_err(io)?
        .take(16)
        .read_to_end(&mut head)
        .map_err(io)?;
    if head.is_empty() {
        // An empty file is an empty database to SQLite (we may have created it and crashed).
        return Ok(0);
    }
    if head.as_slice() != SQLITE_MAGIC {
        return Err(StoreError::NotSqlite {
            path: label.to_owned(),
        });
    }
    // Read-only, so a refused file stays byte-identical.
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| sql_error(label, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| sql_error(label, e))?;
    let app: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| sql_error(label, e))?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| sql_error(label, e))?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(|e| sql_error(label, e))?;
    if app != migrate::APPLICATION_ID && !(app == 0 && tables == 0 && version == 0) {
        return Err(StoreError::Foreign {
            path: label.to_owned(),
        });
    }
    if version > migrate::latest() {
        return Err(StoreError::Newer {
            path: label.to_owned(),
            found: version,
            known: migrate::latest(),
        });
    }
    Ok(version)
}

#[cfg(test)]
mod tests;
