//! The storage seam over the real SQLite [`Store`]: maps the front ends' types to the store's
//! and its errors to one sentence for the officer.

use std::sync::Arc;

use crate::questionnaire::Questionnaire;
use crate::screening::{Entry, Pending, ScreeningResult};
use crate::store::{self, Finish, NewReferral, NewScreening, Raised, Store, StoreError};

use super::port::{
    Details, Expulsion, ReferralRequest, Resumed, Storage, StorageError, Unfinished,
};

fn err(e: StoreError) -> StorageError {
    StorageError(e.to_string())
}

fn raised(items: &[crate::screening::RaisedItem]) -> Vec<Raised> {
    items
        .iter()
        .map(|r| Raised {
            id: r.id.clone(),
            because: r.because.clone(),
        })
        .collect()
}

/// A stored RFC 3339 time as people read it, in the machine's time zone
/// (`2026-11-29 13:05`); the stored text itself when it does not parse.
#[must_use]
pub fn local_time(stored: &str) -> String {
    stored
        .parse::<jiff::Timestamp>()
        .map(|t| {
            t.to_zoned_datetime(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| stored.to_string())
}

fn details(s: &store::StoredScreening) -> Details {
    Details {
        unit: s.unit.clone(),
        officer: s.officer.clone(),
        person: s.person.clone(),
        gender: s.gender,
        birth_year: s.birth_year,
        nationality: s.nationality.clone(),
        language: s.language.clone(),
        interpreter: s.interpreter,
        person_language: s.person_language.clone(),
    }
}

impl Storage for Store {
    fn last_details(&mut self) -> Result<Option<Details>, StorageError> {
        match self.latest_screening().map_err(err)? {
            Some(s) => Ok(Some(details(&s))),
            None => Ok(None),
        }
    }

    fn unfinished(&mut self) -> Result<Vec<Unfinished>, StorageError> {
        let mut list: Vec<Unfinished> = Store::unfinished(self)
            .map_err(err)?
            .into_iter()
            .map(|s| Unfinished {
                started: local_time(&s.started_at),
                id: s.id,
                person: s.person,
                unit: s.unit,
                answered: s.entries,
            })
            .collect();
        // The store lists oldest first; the officer most likely wants the latest.
        list.reverse();
        Ok(list)
    }

    fn start(&mut self, q: &Questionnaire, d: &Details) -> Result<String, StorageError> {
        self.create_screening(
            q,
            &NewScreening {
                unit: d.unit.clone(),
                officer: d.officer.clone(),
                person: d.person.clone(),
                gender: d.gender,
                birth_year: d.birth_year,
                nationality: d.nationality.clone(),
                language: d.language.clone(),
                interpreter: d.interpreter,
                person_language: d.person_language.clone(),
            },
        )
        .map_err(err)
    }

    fn record(&mut self, screening: &str, pending: &Pending) -> Result<(), StorageError> {
        Store::record(self, screening, pending).map_err(err)
    }

    fn resume(&mut self, screening: &str) -> Result<Resumed, StorageError> {
        let s = self.load_screening(screening).map_err(err)?;
        // The exact questionnaire the screening was started with, even if the built-in one
        // changed since.
        let q = crate::questionnaire::open(&s.questionnaire_yaml, &s.questionnaire_source)
            .map_err(|findings| {
                let first = findings
                    .first()
                    .map_or_else(String::new, |f| format!(": {}", f.message));
                StorageError(format!(
                    "the questionnaire stored with screening {screening} ({}) no longer loads{first}",
                    s.questionnaire_source
                ))
            })?;
        Ok(Resumed {
            id: s.id.clone(),
            details: details(&s),
            questionnaire: Arc::new(q),
            entries: s
                .answers
                .iter()
                .map(|a| {
                    (
                        a.question_id.clone(),
                        Entry {
                            answer: a.answer.clone(),
                            note: a.note.clone(),
                        },
                    )
                })
                .collect(),
        })
    }

    fn finish(&mut self, screening: &str, r: &ScreeningResult) -> Result<(), StorageError> {
        self.finish_screening(
            screening,
            &Finish {
                outcome: r.outcome.clone(),
                indicators: raised(&r.indicators),
                flags: raised(&r.flags),
                positive: r.positive.clone(),
            },
        )
        .map_err(err)
    }

    fn set_consent(&mut self, screening: &str, c: store::Consent) -> Result<(), StorageError> {
        Store::set_consent(self, screening, c).map_err(err)
    }

    fn refer(&mut self, screening: &str, r: &ReferralRequest) -> Result<String, StorageError> {
        let release_date = match &r.release_date {
            Some(d) => Some(d.parse::<jiff::civil::Date>().map_err(|_| {
                StorageError(format!("release date `{d}` is not a date like 2027-01-15"))
            })?),
            None => None,
        };
        self.create_referral(
            screening,
            &NewReferral {
                consent: r.consent,
                release_date,
                expulsion: match r.expulsion {
                    Expulsion::Unknown => None,
                    e => Some(e),
                },
                contact: r.contact.clone(),
            },
        )
        .map_err(err)
    }
}
