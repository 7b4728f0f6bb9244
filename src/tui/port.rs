//! What the interview front ends (terminal UI and plain mode) need from storage, as one small
//! trait. The runner performs effects through it; `update` never sees it. Keeping the seam
//! this narrow lets tests play whole interviews against an in-memory store and lets the store's
//! own schema change without touching any screen.

use std::sync::Arc;

use crate::questionnaire::Questionnaire;
use crate::screening::{Entry, Pending, ScreeningResult};

// The values a screening records are the store's own, so the two never drift apart.
pub use crate::store::{Consent, Gender, Interpreter};

/// What the officer records before the first question.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Details {
    /// The prison or unit.
    pub unit: String,
    /// The officer's name and contact.
    pub officer: String,
    /// The prison's own reference for the person (no name needed).
    pub person: String,
    /// The person's gender.
    pub gender: Gender,
    /// The person's year of birth, if known.
    pub birth_year: Option<i32>,
    /// ISO 3166-1 alpha-2 code (upper case) or `unknown`.
    pub nationality: String,
    /// The interview's language: one of the questionnaire's languages.
    pub language: String,
    /// Whether an interpreter took part.
    pub interpreter: Interpreter,
    /// The person's own language when it differs from the interview's.
    pub person_language: Option<String>,
}

/// An unfinished screening, as the home screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfinished {
    /// The screening id.
    pub id: String,
    /// The person's reference.
    pub person: String,
    /// The unit.
    pub unit: String,
    /// When it was started (as the store formats it for people).
    pub started: String,
    /// How many entries are saved so far (answers, skipped questions, information shown).
    pub answered: usize,
}

/// A screening read back to continue it.
#[derive(Debug, Clone)]
pub struct Resumed {
    /// The screening id.
    pub id: String,
    /// Its details.
    pub details: Details,
    /// The exact questionnaire it was started with.
    pub questionnaire: Arc<Questionnaire>,
    /// Every stored entry, by question id.
    pub entries: Vec<(String, Entry)>,
}

/// Whether expulsion is expected (the store's words: yes, no, pending, unknown).
pub use crate::store::Expulsion;

/// A referral as the officer makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralRequest {
    /// Named or anonymous (never [`Consent::None`]: no consent, no referral).
    pub consent: Consent,
    /// Release or transfer date (ISO 8601), if one is set.
    pub release_date: Option<String>,
    /// Whether an expulsion decision has been made.
    pub expulsion: Expulsion,
    /// How ROSA reaches the officer.
    pub contact: String,
}

/// A storage call that failed, in one sentence for the officer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageError(pub String);

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StorageError {}

/// The storage calls an interview makes. Every write is durable when the call returns: the
/// front ends show the next question only after `record` succeeded.
pub trait Storage {
    /// The details of the latest screening on this machine (for defaults), if any.
    fn last_details(&mut self) -> Result<Option<Details>, StorageError>;
    /// Unfinished screenings, newest first.
    fn unfinished(&mut self) -> Result<Vec<Unfinished>, StorageError>;
    /// Starts a screening; returns its id.
    fn start(&mut self, q: &Questionnaire, details: &Details) -> Result<String, StorageError>;
    /// Saves what a prepared move asks (the question's whole entry), if anything.
    fn record(&mut self, screening: &str, pending: &Pending) -> Result<(), StorageError>;
    /// Reads an unfinished screening back.
    fn resume(&mut self, screening: &str) -> Result<Resumed, StorageError>;
    /// Records the result and marks the screening finished; its answers cannot change after.
    fn finish(&mut self, screening: &str, result: &ScreeningResult) -> Result<(), StorageError>;
    /// Records the person's consent to a referral (also when it is refused).
    fn set_consent(&mut self, screening: &str, consent: Consent) -> Result<(), StorageError>;
    /// Makes a referral from a finished screening; returns the referral id.
    fn refer(&mut self, screening: &str, request: &ReferralRequest)
    -> Result<String, StorageError>;
}
