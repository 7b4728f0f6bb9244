//! Reading a screening back to continue it: its details as they were given, and the exact
//! questionnaire it was started with (even if the built-in one changed since).

use std::sync::Arc;

use super::{NewScreening, Store, StoreError, StoredScreening};
use crate::questionnaire::{self, Questionnaire};

/// An unfinished screening read back, ready for `Session::restore(questionnaire,
/// screening.entries())`.
#[derive(Debug, Clone)]
pub struct Resumed {
    /// The screening as stored.
    pub screening: StoredScreening,
    /// The exact questionnaire it was started with.
    pub questionnaire: Arc<Questionnaire>,
}

impl StoredScreening {
    /// The details as they were given when it started (the interpreter as it is now: an
    /// answer that fills it may have set it since).
    #[must_use]
    pub fn details(&self) -> NewScreening {
        NewScreening {
            unit: self.unit.clone(),
            officer: self.officer.clone(),
            person: self.person.clone(),
            gender: self.gender,
            birth_year: self.birth_year,
            nationality: self.nationality.clone(),
            language: self.language.clone(),
            interpreter: self.interpreter,
            person_language: self.person_language.clone(),
        }
    }
}

impl Store {
    /// Reads screening `id` back with the questionnaire it was started with.
    ///
    /// # Errors
    /// No such screening, a database failure, or the stored questionnaire no longer loads
    /// (named with its first finding).
    pub fn resume(&self, id: &str) -> Result<Resumed, StoreError> {
        let s = self.load_screening(id)?;
        let q = questionnaire::open_with(
            &s.questionnaire_yaml,
            &s.questionnaire_source,
            questionnaire::load::PoFiles::Stored(&s.questionnaire_translations),
        )
        .map_err(|findings| {
            let first = findings
                .first()
                .map_or_else(String::new, |f| format!(": {}", f.message));
            StoreError::Refused(format!(
                "the questionnaire stored with screening {id} ({}) no longer loads{first}",
                s.questionnaire_source
            ))
        })?;
        Ok(Resumed {
            screening: s,
            questionnaire: Arc::new(q),
        })
    }
}
