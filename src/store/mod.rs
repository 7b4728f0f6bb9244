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
//! store::actor() -> String                      // the OS login name (crate::system::actor)
//! store::review_actor() -> Result<String, StoreError>          // refused without a login name
//! fn actor(&self) -> &str; fn with_actor(self, a) -> Store      // the actor of screening writes
//!
//! // screenings (actor: the store's, the login name; the typed officer is contact data only)
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
//! // referrals (actor: given by the caller, see store::review_actor())
//! fn create_referral(&mut self, screening: &str, r: &NewReferral) -> Result<String, StoreError>
//!     // refused (StoreError::Refused, exit 1) without consent, unfinished, or already referred
//! fn referrals(&self, f: &ReferralFilter) -> Result<Vec<ReferralRow>, StoreError> // newest first
//! fn referrals_page(&self, f: &ReferralFilter, after: Option<&str>, limit: u32)
//!     -> Result<ReferralPage, StoreError>     // keyset page + total + next_after
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
//! fn queue_page_after(&self, f: &QueueFilter, after: Option<&str>, limit: u32)
//!     -> Result<Vec<QueueRow>, StoreError>    // by key: a deep page costs what the first does
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
mod digest;
pub mod fields;
mod handoff;
mod immediate;
mod migrate;
mod queue;
mod referrals;
mod resume;
mod screenings;
mod stats;
mod translations;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use serde::{Deserialize, Serialize};

pub use audit::{
    Anchor, AuditCheck, AuditEntry, AuditReport, Checked, ERASED, erase_content, erased_detail,
    keep_anchor,
};
pub use handoff::{
    Arrival, HandoffState, Imported, Incoming, PrisonHead, PurgeRule, Purged, ReceiptRecord, Site,
    Withdrawal,
};
pub use immediate::ImmediateRecord;
pub use queue::{QueueChoices, QueueCounts, QueueFilter, QueueRow};
pub use referrals::{
    NewReferral, ReferralDetail, ReferralEvent, ReferralFilter, ReferralPage, ReferralRow, Status,
    allowed_next,
};
pub use resume::Resumed;
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
    /// The file is empty: for a command that reads, there is no database in it.
    #[error(
        "{path} is an empty file, not a rosa-screen database; it was left untouched (check --db or ROSA_SCREEN_DB)"
    )]
    Empty {
        /// The file.
        path: String,
    },
    /// The path names something that is not a regular file (a folder, a FIFO, a device).
    #[error("{path} is {kind}, not a database file; give the path of a database file with --db")]
    NotAFile {
        /// The path.
        path: String,
        /// What it is: "a folder", "a named pipe (FIFO)", "a device", ...
        kind: &'static str,
    },
    /// The file is an SQLite database whose pages are damaged or cut short.
    #[error(
        "{path} is damaged (its pages are corrupt or the file was cut short); it was left untouched, restore it from a backup"
    )]
    Corrupt {
        /// The file.
        path: String,
    },
    /// The schema version is one no rosa-screen ever writes (negative, or absurdly high).
    #[error(
        "{path} has schema version {found}, which no rosa-screen writes (the file may be damaged); it was left untouched"
    )]
    BadVersion {
        /// The file.
        path: String,
        /// The version found.
        found: i64,
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
    /// A typed field that the rules of [`fields`] refuse (nothing was written).
    #[error(transparent)]
    Invalid(#[from] fields::Invalid),
    /// The database or its folder is open to more users than it should be (the sentence
    /// names the file and the `chmod` that fixes it).
    #[error("{0}")]
    Unsafe(String),
    /// A referral action with nobody to record it under (no login name).
    #[error("{0}")]
    NoActor(String),
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
            | Self::Empty { .. }
            | Self::NotAFile { .. }
            | Self::Invalid(_)
            | Self::Corrupt { .. }
            | Self::BadVersion { .. }
            | Self::Foreign { .. }
            | Self::Newer { .. }
            | Self::Io { .. }
            | Self::NoDataDir
            | Self::Missing { .. }
            | Self::NotFound { .. }
            | Self::Unsafe(_)
            | Self::NoActor(_)
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

/// Whether expulsion (deportation) is expected: a decision made, none, one pending, or not
/// known. `pending` matters for urgency: identification must come before the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expulsion {
    /// An expulsion decision is made.
    Yes,
    /// No expulsion.
    No,
    /// A decision is pending.
    Pending,
    /// Not known.
    #[default]
    Unknown,
}

/// The person's custody: on remand, serving a sentence, or other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Custody {
    /// Held on remand (awaiting trial).
    Remand,
    /// Serving a sentence.
    Sentenced,
    /// Anything else.
    Other,
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
words!(Expulsion, "expulsion state", Yes => "yes", No => "no", Pending => "pending", Unknown => "unknown");
words!(Custody, "custody", Remand => "remand", Sentenced => "sentenced", Other => "other");

/// An open database.
pub struct Store {
    conn: Connection,
    /// The file as shown in messages (`:memory:` for an in-memory store).
    label: String,
    /// Test hook: every write fails as on a full disk (see [`Store::fail_writes_for_test`]).
    fail_writes: bool,
    /// The audit actor of screening writes: the login name of whoever runs the program.
    actor: String,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("file", &self.label).finish()
    }
}

/// The actor of an in-memory store (tests and benches).
pub const IN_MEMORY_ACTOR: &str = "tester";

/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// The default database file: `rosa-screen.db` in the platform's data directory.
pub fn default_path() -> Result<PathBuf, StoreError> {
    let dirs =
        directories::ProjectDirs::from("no", "ROSA", "rosa-screen").ok_or(StoreError::NoDataDir)?;
    Ok(dirs.data_dir().join("rosa-screen.db"))
}

/// Who is acting: the operating system's login name ([`crate::system::actor`]), never a typed
/// name. Referral actions use [`review_actor`], which refuses when there is no login name.
#[must_use]
pub fn actor() -> String {
    crate::system::actor()
}

/// The login name for an action on a referral (view, export, status, note).
///
/// # Errors
/// [`StoreError::NoActor`] when the operating system has no login name for this user.
pub fn review_actor() -> Result<String, StoreError> {
    crate::system::review_actor().map_err(StoreError::NoActor)
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
        crate::system::check_reachable(&path).map_err(StoreError::Unsafe)?;
        let label = path.display().to_string();
        match fs::metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::Missing { path: label });
            }
            Err(source) => {
                return Err(StoreError::Io {
                    path: label,
                    source,
                });
            }
            Ok(m) => {
                regular_file(&m, &label)?;
                // An empty file holds no database; migrating it would write a schema into a
                // file the user may have meant for something else.
                if m.len() == 0 {
                    return Err(StoreError::Empty { path: label });
                }
            }
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
        // The bundled SQLite reads a name starting with `file:` as a URI whatever the open
        // flags say; `./file:...` is a plain path, so a path always names the file it spells.
        let plain = plain_path(path);
        let path = plain.as_path();
        // A database open to other users is named with its fix, never opened or re-moded.
        crate::system::check_reachable(path).map_err(StoreError::Unsafe)?;
        let modes = || crate::system::check_database(path).map_err(StoreError::Unsafe);
        // The connection that checked an existing file is the one kept: opening it a second
        // time made SQLite read and parse the whole schema twice on every start.
        let checked = match fs::metadata(path) {
            Ok(m) => {
                // What the file is comes first (a foreign file is named as such), then who may
                // read it; both only read.
                regular_file(&m, &label)?;
                let conn = check_existing(path, &label)?;
                modes()?;
                conn
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                create_file(path).map_err(io)?;
                modes()?;
                None
            }
            Err(e) => return Err(io(e)),
        };
        let conn = match checked {
            Some(conn) => conn,
            None => open_read_write(path, &label)?,
        };
        let mut store = Self {
            conn,
            label,
            fail_writes: false,
            actor: actor(),
        };
        store.configure(true)?;
        store.migrate()?;
        Ok(store)
    }

    /// A fresh database in memory (for tests and benches), acting as [`IN_MEMORY_ACTOR`] so
    /// that results do not depend on who runs them ([`Store::with_actor`] for another).
    pub fn in_memory() -> Result<Self, StoreError> {
        let label = ":memory:".to_owned();
        let conn = Connection::open_in_memory().map_err(|e| sql_error(&label, e))?;
        let mut store = Self {
            conn,
            label,
            fail_writes: false,
            actor: IN_MEMORY_ACTOR.to_owned(),
        };
        store.configure(false)?;
        store.migrate()?;
        Ok(store)
    }

    /// The file as shown in messages.
    #[must_use]
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The actor recorded in the audit log for screening writes (the login name; see
    /// [`actor`]).
    #[must_use]
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The same store acting as someone else: for tests of several team members sharing one
    /// database in one process (each real process takes its own login name).
    #[must_use]
    pub fn with_actor(mut self, actor: impl Into<String>) -> Self {
        self.actor = actor.into();
        self
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
        let current: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.sql(e))?;
        version_known(current, &self.label)?;
        if current < migrate::latest() {
            // Each step reads the version again under the write lock: another process opening
            // the same new file may have migrated it in between.
            match migrate::run(&mut self.conn) {
                Ok(()) => {}
                Err(migrate::Error::Sql(e)) => return Err(self.sql(e)),
                Err(migrate::Error::Version(found)) => version_known(found, &self.label)?,
            }
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
        if self.fail_writes {
            return Err(StoreError::Full { path: label });
        }
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sql_error(&label, e))
    }

    /// Test-only hook: from now on (`on`) every write fails exactly as on a full disk, before
    /// anything is written; reads keep working. The front ends' "nothing moves when the disk
    /// is full" tests use it on [`Store::in_memory`].
    #[doc(hidden)]
    pub fn fail_writes_for_test(&mut self, on: bool) {
        self.fail_writes = on;
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
        Some(C::DatabaseCorrupt) => StoreError::Corrupt { path },
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

/// `path` as SQLite must be given it so that it is read as a plain file name: a relative path
/// gets a leading `./` (a name starting with `file:` would otherwise be read as a URI).
fn plain_path(path: &Path) -> PathBuf {
    if path.is_relative() {
        Path::new(".").join(path)
    } else {
        path.to_path_buf()
    }
}

/// Refuses at once, by name, a path that is not a regular file (reading a FIFO would wait
/// forever, a device would never end).
fn regular_file(m: &fs::Metadata, label: &str) -> Result<(), StoreError> {
    if m.is_file() {
        return Ok(());
    }
    let kind = if m.is_dir() {
        "a folder"
    } else {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            let t = m.file_type();
            if t.is_fifo() {
                "a named pipe (FIFO)"
            } else if t.is_char_device() || t.is_block_device() {
                "a device"
            } else if t.is_socket() {
                "a socket"
            } else {
                "not a regular file"
            }
        }
        #[cfg(not(unix))]
        {
            "not a regular file"
        }
    };
    Err(StoreError::NotAFile {
        path: label.to_owned(),
        kind,
    })
}

/// The schema versions this program can open: 0 (new) up to [`migrate::latest`]. A newer one
/// is `Newer`; a negative or absurd one (no rosa-screen will ever write it) is `BadVersion`.
fn version_known(found: i64, label: &str) -> Result<(), StoreError> {
    /// Far above any version a real release will reach.
    const ABSURD: i64 = 100_000;
    if !(0..ABSURD).contains(&found) {
        return Err(StoreError::BadVersion {
            path: label.to_owned(),
            found,
        });
    }
    if found > migrate::latest() {
        return Err(StoreError::Newer {
            path: label.to_owned(),
            found,
            known: migrate::latest(),
        });
    }
    Ok(())
}

/// Checks the SQLite header of a non-empty file: a page size SQLite can write, and a file as
/// long as the page count the header records (when that count is valid), so a file cut short
/// is refused before anything opens it for writing.
fn header_intact(head: &[u8], len: u64) -> bool {
    let Some(h) = head.get(..100) else {
        return false;
    };
    let raw_size = u32::from(u16::from_be_bytes([h[16], h[17]]));
    let page_size = if raw_size == 1 { 65_536 } else { raw_size };
    if !(512..=65_536).contains(&page_size) || !page_size.is_power_of_two() {
        return false;
    }
    let page_size = u64::from(page_size);
    if !len.is_multiple_of(page_size) {
        return false;
    }
    let word = |at: usize| u32::from_be_bytes([h[at], h[at + 1], h[at + 2], h[at + 3]]);
    let pages = u64::from(word(28));
    // The page count is valid only when the change counter matches "version-valid-for".
    pages == 0 || word(24) != word(92) || len >= pages * page_size
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
        // 0660 in a team's (set-group-id) folder, so the rest of the team can write it.
        o.mode(crate::system::new_file_mode(crate::system::sharing(path)));
    }
    match o.open(path) {
        #[cfg(unix)]
        Ok(file) => {
            // The umask may have taken the group's write bit; a team's file needs it.
            use std::os::unix::fs::PermissionsExt;
            let mode = crate::system::new_file_mode(crate::system::sharing(path));
            file.set_permissions(fs::Permissions::from_mode(mode))
        }
        #[cfg(not(unix))]
        Ok(_) => Ok(()),
        // Another process created it in between: fine, SQLite will open it.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Opens `path` for reading and writing, never creating it (the caller created it 0600).
fn open_read_write(path: &Path, label: &str) -> Result<Connection, StoreError> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| sql_error(label, e))
}

/// Checks an existing file without writing to it: an SQLite file (or empty), ours or empty of
/// tables, and not from a newer version. Returns the connection that checked it, for the
/// caller to keep (`None` for an empty file, which was never opened).
fn check_existing(path: &Path, label: &str) -> Result<Option<Connection>, StoreError> {
    let io = |source| StoreError::Io {
        path: label.to_owned(),
        source,
    };
    let mut head = Vec::with_capacity(100);
    let mut file = fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    (&mut file).take(100).read_to_end(&mut head).map_err(io)?;
    if head.is_empty() {
        // An empty file is an empty database to SQLite (we may have created it and crashed).
        return Ok(None);
    }
    if head.get(..16) != Some(SQLITE_MAGIC.as_slice()) {
        return Err(StoreError::NotSqlite {
            path: label.to_owned(),
        });
    }
    if !header_intact(&head, len) {
        return Err(StoreError::Corrupt {
            path: label.to_owned(),
        });
    }
    // Only reads, so a refused file stays byte-identical. Opened for reading and writing (never
    // creating) all the same: a read-only connection to a file in WAL mode creates `-wal` and
    // `-shm` beside it that it may not remove on close, leaving them behind after a refusal.
    let conn = open_read_write(path, label)?;
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
    version_known(version, label)?;
    Ok(Some(conn))
}

#[cfg(test)]
mod tests;
