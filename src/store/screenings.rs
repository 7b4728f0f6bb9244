//! Screenings, their answers (with every earlier value kept) and their results.

use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use super::{Consent, Custody, Gender, Interpreter, Store, StoreError, audit, digest, new_id, now};
use crate::questionnaire::{FillField, Questionnaire};
use crate::screening::{Answer, Entry, Pending, RaisedItem, ScreeningResult};

/// The details an officer gives before a screening starts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewScreening {
    /// The prison or unit.
    pub unit: String,
    /// The officer (name and contact as they want it recorded).
    pub officer: String,
    /// The prison's own reference for the person (a pseudonym or case number; no name).
    pub person: String,
    /// Gender.
    pub gender: Gender,
    /// Year of birth, if known.
    pub birth_year: Option<i32>,
    /// ISO 3166-1 alpha-2 code, or `unknown`.
    pub nationality: String,
    /// The interview's language (one of the questionnaire's).
    pub language: String,
    /// Whether an interpreter took part; `None` when the questionnaire asks it
    /// (`fills: details.interpreter`), so its answer fills it (see [`Store::record`]).
    pub interpreter: Option<Interpreter>,
    /// The person's own language, when an interpreter was used or it differs.
    pub person_language: Option<String>,
}

/// An indicator or flag that was raised, with the questions whose answers raised it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Raised {
    /// The indicator or flag id.
    pub id: String,
    /// Question ids whose answers raised it (by `raises`, or read by its `when` condition);
    /// empty when a condition read no answer, and for `when`-raised items of screenings
    /// finished before conditions named their answers.
    pub because: Vec<String>,
}

/// The result of a finished screening, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Finish {
    /// The outcome id.
    pub outcome: String,
    /// Raised indicators.
    pub indicators: Vec<Raised>,
    /// Raised flags.
    pub flags: Vec<Raised>,
    /// Positive dimensions.
    pub positive: Vec<String>,
}

impl From<&ScreeningResult> for Finish {
    fn from(r: &ScreeningResult) -> Self {
        let raised = |items: &[RaisedItem]| {
            items
                .iter()
                .map(|i| Raised {
                    id: i.id.clone(),
                    because: i.because.clone(),
                })
                .collect()
        };
        Self {
            outcome: r.outcome.clone(),
            indicators: raised(&r.indicators),
            flags: raised(&r.flags),
            positive: r.positive.clone(),
        }
    }
}

/// One line of the list of screenings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreeningSummary {
    /// The screening id.
    pub id: String,
    /// When it started.
    pub started_at: String,
    /// When it ended (None: unfinished).
    pub ended_at: Option<String>,
    /// The unit.
    pub unit: String,
    /// The officer.
    pub officer: String,
    /// The person's reference.
    pub person: String,
    /// The questionnaire id.
    pub questionnaire_id: String,
    /// The questionnaire version.
    pub questionnaire_version: String,
    /// How many questions have an entry (answered, skipped or seen).
    pub entries: usize,
    /// How many questions have an answer (a special answer counts; a skipped question or a
    /// read-out item seen does not): what the home screen says was answered.
    pub answers: usize,
}

/// The current entry for one question, with its earlier values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredAnswer {
    /// The question id.
    pub question_id: String,
    /// The answer; None when the question was skipped or is an info item that was seen.
    pub answer: Option<Answer>,
    /// The officer's note.
    pub note: Option<String>,
    /// When this value was given.
    pub answered_at: String,
    /// Earlier values, oldest first: (answer, note, given at, replaced at).
    pub history: Vec<EarlierAnswer>,
}

/// A value an answer had before it was changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarlierAnswer {
    /// The earlier answer.
    pub answer: Option<Answer>,
    /// The earlier note.
    pub note: Option<String>,
    /// When it was given.
    pub answered_at: String,
    /// When it was replaced.
    pub replaced_at: String,
}

/// A screening as loaded: details, the exact questionnaire text it used, its answers in the
/// order they were first given, and its result once finished.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredScreening {
    /// The screening id.
    pub id: String,
    /// The questionnaire id.
    pub questionnaire_id: String,
    /// The questionnaire version.
    pub questionnaire_version: String,
    /// sha256 of the questionnaire's exact YAML.
    pub questionnaire_hash: String,
    /// The file name the questionnaire came from (or `built-in:...`).
    pub questionnaire_source: String,
    /// The exact YAML text used.
    #[serde(skip)]
    pub questionnaire_yaml: String,
    /// The exact PO files of its translations for the person (empty without any).
    #[serde(skip)]
    pub questionnaire_translations: Vec<crate::questionnaire::TranslationSource>,
    /// The unit.
    pub unit: String,
    /// The officer.
    pub officer: String,
    /// The person's reference.
    pub person: String,
    /// Gender.
    pub gender: Gender,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Nationality.
    pub nationality: String,
    /// The interview's language.
    pub language: String,
    /// Interpreter; `None`: not known (the questionnaire asks it and it was not answered
    /// with a value, or not yet).
    pub interpreter: Option<Interpreter>,
    /// The person's own language.
    pub person_language: Option<String>,
    /// Consent to a referral, once asked.
    pub consent: Option<Consent>,
    /// Start time.
    pub started_at: String,
    /// End time (None: unfinished).
    pub ended_at: Option<String>,
    /// Current entries, in the order first given.
    pub answers: Vec<StoredAnswer>,
    /// The result, once finished.
    pub result: Option<Finish>,
    /// The referral made from it, if any.
    pub referral_id: Option<String>,
    /// Custody (remand, sentenced, other), when the questionnaire's answers filled it.
    pub custody: Option<Custody>,
}

impl StoredScreening {
    /// The questionnaire it was asked with, from the stored snapshot (YAML and PO files),
    /// loaded but not linted.
    ///
    /// # Errors
    /// The findings when the snapshot no longer loads.
    pub fn questionnaire_snapshot(
        &self,
    ) -> Result<Questionnaire, Vec<crate::questionnaire::Finding>> {
        crate::questionnaire::load::load_with(
            &self.questionnaire_yaml,
            &self.questionnaire_source,
            crate::questionnaire::load::PoFiles::Stored(&self.questionnaire_translations),
        )
    }

    /// The current entries as a session takes them back (`Session::restore`), to resume an
    /// unfinished screening where it stopped.
    #[must_use]
    pub fn entries(&self) -> Vec<(String, Entry)> {
        self.answers
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
            .collect()
    }

    /// The current entry for a question.
    #[must_use]
    pub fn answer(&self, question_id: &str) -> Option<&StoredAnswer> {
        self.answers.iter().find(|a| a.question_id == question_id)
    }
}

fn answer_json(a: Option<&Answer>) -> Result<Option<String>, StoreError> {
    a.map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::Refused(format!("cannot store the answer: {e}")))
}

fn parse_answer(text: Option<String>) -> rusqlite::Result<Option<Answer>> {
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })
    })
    .transpose()
}

/// Reads a small word enum stored as text.
pub(crate) fn word<T: std::str::FromStr<Err = String>>(
    r: &Row<'_>,
    i: usize,
) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    s.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

/// Sets the screening detail an answer fills (`value` checked against the store's words: a
/// value the loader let through but the store does not know is refused by the CHECK) and, when
/// it changed, appends a `filled details` entry with the digest of the details as they now are
/// (`details:HEX`; the field name alone when the screening has no digest key).
pub(super) fn fill_detail(
    tx: &rusqlite::Transaction<'_>,
    actor: &str,
    screening: &str,
    field: FillField,
    value: Option<&str>,
    key: Option<&[u8]>,
) -> rusqlite::Result<()> {
    let column = match field {
        FillField::DetailsInterpreter => "interpreter",
        FillField::DetailsCustody => "custody",
        _ => return Ok(()),
    };
    let changed = tx.execute(
        &format!("UPDATE screenings SET {column} = ?1 WHERE id = ?2 AND {column} IS NOT ?1"),
        params![value, screening],
    )?;
    if changed == 0 {
        return Ok(());
    }
    let detail = match key {
        Some(key) => {
            let d = tx.query_row(
                "SELECT questionnaire_hash, unit, officer, person, gender, birth_year,
                        nationality, language, interpreter, person_language
                   FROM screenings WHERE id = ?1",
                [screening],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, Option<i64>>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, Option<String>>(8)?,
                        r.get::<_, Option<String>>(9)?,
                    ))
                },
            )?;
            let hex = digest::details(
                key,
                &digest::Details {
                    questionnaire_hash: &d.0,
                    unit: &d.1,
                    officer: &d.2,
                    person: &d.3,
                    gender: &d.4,
                    birth_year: d.5,
                    nationality: &d.6,
                    language: &d.7,
                    interpreter: d.8.as_deref(),
                    person_language: d.9.as_deref(),
                },
            );
            format!("{field} {}{hex}", audit::DETAILS)
        }
        None => field.to_string(),
    };
    audit::append(
        tx,
        actor,
        audit::FILLED_DETAILS,
        &format!("screening:{screening}"),
        &detail,
    )
}

/// Like [`word`], for a column that may be NULL.
pub(crate) fn opt_word<T: std::str::FromStr<Err = String>>(
    r: &Row<'_>,
    i: usize,
) -> rusqlite::Result<Option<T>> {
    let s: Option<String> = r.get(i)?;
    s.map(|s| {
        s.parse().map_err(|e: String| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
        })
    })
    .transpose()
}

/// The content hash a screening records for its questionnaire (hex SHA-256 of the exact text),
/// also shown by `rosa-screen --version` for the built-in one, so both can be compared.
#[must_use]
pub fn questionnaire_hash(q: &Questionnaire) -> String {
    crate::questionnaire::content_hash(&q.source.text, &q.source.translations)
}

impl Store {
    /// Starts a screening: keeps the questionnaire's exact text (once per content hash) and
    /// records the details. Returns the new screening id.
    pub fn create_screening(
        &mut self,
        q: &Questionnaire,
        d: &NewScreening,
    ) -> Result<String, StoreError> {
        // The last line of defence: whatever the front end, nothing the rules refuse is stored.
        let d = &d
            .clone()
            .validated(&q.languages, super::fields::this_year())?;
        let hash = questionnaire_hash(q);
        let id = new_id();
        let at = now();
        let label = self.label.clone();
        // The login name, never the typed officer (contact data of the screening).
        let actor = self.actor.clone();
        let key = digest::new_key().map_err(StoreError::Refused)?;
        // The log records a keyed digest of the details, never the details themselves.
        let details = digest::details(
            &key,
            &digest::Details {
                questionnaire_hash: &hash,
                unit: &d.unit,
                officer: &d.officer,
                person: &d.person,
                gender: d.gender.as_str(),
                birth_year: d.birth_year.map(i64::from),
                nationality: &d.nationality,
                language: &d.language,
                interpreter: d.interpreter.map(Interpreter::as_str),
                person_language: d.person_language.as_deref(),
            },
        );
        let tx = self.write()?;
        let run = || -> rusqlite::Result<()> {
            tx.execute(
                "INSERT OR IGNORE INTO questionnaires (hash, qid, version, source_name, yaml, first_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![hash, q.id, q.version, q.source.name, q.source.text, at],
            )?;
            super::translations::keep(&tx, &hash, &q.source.translations)?;
            tx.execute(
                "INSERT INTO screenings (id, questionnaire_hash, questionnaire_id,
                    questionnaire_version, unit, officer, person, gender, birth_year, nationality,
                    language, interpreter, person_language, started_at, digest_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                params![
                    id,
                    hash,
                    q.id,
                    q.version,
                    d.unit,
                    d.officer,
                    d.person,
                    d.gender.as_str(),
                    d.birth_year,
                    d.nationality,
                    d.language,
                    d.interpreter.map(Interpreter::as_str),
                    d.person_language,
                    at,
                    key
                ],
            )?;
            audit::append(
                &tx,
                &actor,
                "created",
                &format!("screening:{id}"),
                &format!("{}{details}", audit::DETAILS),
            )?;
            Ok(())
        };
        run().map_err(|e| super::sql_error(&label, e))?;
        tx.commit().map_err(|e| super::sql_error(&label, e))?;
        Ok(id)
    }

    /// Saves what a move prepared by `Session::prepare` asks: the question's whole entry
    /// (answer and note), in one transaction with its audit entry, on disk when this returns.
    /// A move with nothing to save (a note typed before the answer) writes nothing. This is
    /// the one verb every front end uses for an answer; the caller applies the move to its
    /// session only after it succeeded.
    ///
    /// # Errors
    /// As [`Store::record_answer`].
    pub fn record(&mut self, screening: &str, pending: &Pending) -> Result<(), StoreError> {
        match pending.entry() {
            Some(e) => self
                .record_entry(
                    screening,
                    pending.question(),
                    e.answer.as_ref(),
                    e.note.as_deref(),
                    pending.fills_detail(),
                )
                .map(|_| ()),
            None => Ok(()),
        }
    }

    /// Records the entry for one question of an unfinished screening, durably, in one
    /// transaction. A different value closes the current one (kept as history) and adds the
    /// new one; the same value again changes nothing and returns `false`.
    pub fn record_answer(
        &mut self,
        screening: &str,
        question: &str,
        answer: Option<&Answer>,
        note: Option<&str>,
    ) -> Result<bool, StoreError> {
        self.record_entry(screening, question, answer, note, None)
    }

    /// [`Store::record_answer`], also setting the screening detail the question fills
    /// (`fills: details.interpreter` / `details.custody`; `None` value: not known) in the same
    /// transaction. A changed detail gets its own audit entry, `filled details`, with the
    /// digest of the details as they now are, so `audit verify` accepts the change.
    fn record_entry(
        &mut self,
        screening: &str,
        question: &str,
        answer: Option<&Answer>,
        note: Option<&str>,
        fills: Option<(FillField, Option<&str>)>,
    ) -> Result<bool, StoreError> {
        if let Some(n) = note.filter(|n| !n.trim().is_empty()) {
            super::fields::note(n)?;
        }
        if let Some(Answer::Text(t)) = answer {
            crate::screening::typed::check_text(t, crate::screening::typed::TEXT_ANSWER_MAX)
                .map_err(|p| {
                    super::fields::Invalid::text(super::fields::Field::TextAnswer, t, p)
                })?;
        }
        let json = answer_json(answer)?;
        let label = self.label.clone();
        let err = |e| super::sql_error(&label, e);
        let actor = self.actor.clone();
        let tx = self.write()?;
        let (_officer, ended) = officer_and_end(&tx, screening)
            .map_err(err)?
            .ok_or_else(|| StoreError::NotFound {
                what: "screening",
                id: screening.to_owned(),
            })?;
        if ended.is_some() {
            return Err(StoreError::Refused(format!(
                "screening {screening} is finished; its answers can no longer be changed"
            )));
        }
        let key: Option<Vec<u8>> = tx
            .query_row(
                "SELECT digest_key FROM screenings WHERE id = ?1",
                [screening],
                |r| r.get(0),
            )
            .map_err(err)?;
        let current: Option<(i64, Option<String>, Option<String>)> = tx
            .query_row(
                "SELECT id, answer, note FROM answers
                 WHERE screening_id = ?1 AND question_id = ?2 AND replaced_at IS NULL",
                [screening, question],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(err)?;
        let at = now();
        let action = match &current {
            Some((_, a, n)) if *a == json && n.as_deref() == note => {
                // Nothing new to save; the detail is set as this answer gave it already.
                return Ok(false);
            }
            Some((row, a, _)) => {
                tx.execute(
                    "UPDATE answers SET replaced_at = ?1 WHERE id = ?2",
                    params![at, row],
                )
                .map_err(err)?;
                if *a == json {
                    "noted"
                } else {
                    "changed answer"
                }
            }
            None => "answered",
        };
        tx.execute(
            "INSERT INTO answers (screening_id, question_id, answer, note, answered_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![screening, question, json, note, at],
        )
        .map_err(err)?;
        // The question id and a keyed digest of the entry, never the answer or the note.
        let detail = match &key {
            Some(k) => format!(
                "{question}{}{}",
                audit::DIGEST,
                digest::answer(k, question, json.as_deref(), note)
            ),
            None => question.to_owned(),
        };
        audit::append(
            &tx,
            &actor,
            action,
            &format!("screening:{screening}"),
            &detail,
        )
        .map_err(err)?;
        if let Some((field, value)) = fills {
            fill_detail(&tx, &actor, screening, field, value, key.as_deref()).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(true)
    }

    /// Records the person's consent to a referral (also when it is refused).
    pub fn set_consent(&mut self, screening: &str, consent: Consent) -> Result<(), StoreError> {
        let label = self.label.clone();
        let err = |e| super::sql_error(&label, e);
        let actor = self.actor.clone();
        let tx = self.write()?;
        let _officer: String = tx
            .query_row(
                "SELECT officer FROM screenings WHERE id = ?1",
                [screening],
                |r| r.get(0),
            )
            .optional()
            .map_err(err)?
            .ok_or_else(|| StoreError::NotFound {
                what: "screening",
                id: screening.to_owned(),
            })?;
        tx.execute(
            "UPDATE screenings SET consent = ?1 WHERE id = ?2",
            params![consent.as_str(), screening],
        )
        .map_err(err)?;
        audit::append(
            &tx,
            &actor,
            "recorded consent",
            &format!("screening:{screening}"),
            consent.as_str(),
        )
        .map_err(err)?;
        tx.commit().map_err(err)
    }

    /// Finishes a screening: end time, outcome, raised indicators and flags, positive
    /// dimensions. A finished screening cannot be finished again.
    pub fn finish_screening(&mut self, screening: &str, r: &Finish) -> Result<(), StoreError> {
        let label = self.label.clone();
        let err = |e| super::sql_error(&label, e);
        let actor = self.actor.clone();
        let tx = self.write()?;
        let (_officer, ended) = officer_and_end(&tx, screening)
            .map_err(err)?
            .ok_or_else(|| StoreError::NotFound {
                what: "screening",
                id: screening.to_owned(),
            })?;
        if ended.is_some() {
            return Err(StoreError::Refused(format!(
                "screening {screening} is already finished"
            )));
        }
        tx.execute(
            "UPDATE screenings SET ended_at = ?1, outcome = ?2 WHERE id = ?3",
            params![now(), r.outcome, screening],
        )
        .map_err(err)?;
        let rows = r
            .indicators
            .iter()
            .map(|x| ("indicator", x.id.as_str(), x.because.as_slice()))
            .chain(
                r.flags
                    .iter()
                    .map(|x| ("flag", x.id.as_str(), x.because.as_slice())),
            )
            .chain(
                r.positive
                    .iter()
                    .map(|d| ("dimension", d.as_str(), &[][..])),
            );
        for (ord, (kind, item, because)) in rows.enumerate() {
            let because = serde_json::to_string(because)
                .map_err(|e| StoreError::Refused(format!("cannot store the result: {e}")))?;
            tx.execute(
                "INSERT INTO raised (screening_id, kind, item, because, ord)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    screening,
                    kind,
                    item,
                    because,
                    i64::try_from(ord).unwrap_or(i64::MAX)
                ],
            )
            .map_err(err)?;
        }
        audit::append(
            &tx,
            &actor,
            "finished",
            &format!("screening:{screening}"),
            &r.outcome,
        )
        .map_err(err)?;
        tx.commit().map_err(err)
    }

    /// Screenings that were started and not finished, oldest first (to resume them).
    pub fn unfinished(&self) -> Result<Vec<ScreeningSummary>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.id, s.started_at, s.ended_at, s.unit, s.officer, s.person,
                        s.questionnaire_id, s.questionnaire_version,
                        (SELECT count(*) FROM answers a
                          WHERE a.screening_id = s.id AND a.replaced_at IS NULL),
                        (SELECT count(*) FROM answers a
                          WHERE a.screening_id = s.id AND a.replaced_at IS NULL
                            AND a.answer IS NOT NULL)
                 FROM screenings s WHERE s.ended_at IS NULL ORDER BY s.started_at",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(ScreeningSummary {
                    id: r.get(0)?,
                    started_at: r.get(1)?,
                    ended_at: r.get(2)?,
                    unit: r.get(3)?,
                    officer: r.get(4)?,
                    person: r.get(5)?,
                    questionnaire_id: r.get(6)?,
                    questionnaire_version: r.get(7)?,
                    entries: usize::try_from(r.get::<_, i64>(8)?).unwrap_or(0),
                    answers: usize::try_from(r.get::<_, i64>(9)?).unwrap_or(0),
                })
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    /// The screening started last on this database, if any (the details form takes its unit
    /// and officer as defaults). Added by helper "tui".
    pub fn latest_screening(&self) -> Result<Option<StoredScreening>, StoreError> {
        let id: Option<String> = self
            .conn
            .query_row(
                "SELECT id FROM screenings ORDER BY started_at DESC, id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.sql(e))?;
        id.map(|id| self.load_screening(&id)).transpose()
    }

    /// Loads one screening in full.
    pub fn load_screening(&self, id: &str) -> Result<StoredScreening, StoreError> {
        let mut s = self
            .conn
            .query_row(
                "SELECT s.id, s.questionnaire_id, s.questionnaire_version, s.questionnaire_hash,
                        q.source_name, q.yaml, s.unit, s.officer, s.person, s.gender,
                        s.birth_year, s.nationality, s.language, s.interpreter,
                        s.person_language, s.consent, s.started_at, s.ended_at, s.outcome,
                        (SELECT r.id FROM referrals r WHERE r.screening_id = s.id), s.custody
                 FROM screenings s JOIN questionnaires q ON q.hash = s.questionnaire_hash
                 WHERE s.id = ?1",
                [id],
                |r| {
                    let consent: Option<String> = r.get(15)?;
                    let outcome: Option<String> = r.get(18)?;
                    Ok(StoredScreening {
                        id: r.get(0)?,
                        questionnaire_id: r.get(1)?,
                        questionnaire_version: r.get(2)?,
                        questionnaire_hash: r.get(3)?,
                        questionnaire_source: r.get(4)?,
                        questionnaire_yaml: r.get(5)?,
                        questionnaire_translations: Vec::new(),
                        unit: r.get(6)?,
                        officer: r.get(7)?,
                        person: r.get(8)?,
                        gender: word(r, 9)?,
                        birth_year: r.get(10)?,
                        nationality: r.get(11)?,
                        language: r.get(12)?,
                        interpreter: opt_word(r, 13)?,
                        person_language: r.get(14)?,
                        consent: match consent {
                            Some(c) => Some(c.parse().map_err(|e: String| {
                                rusqlite::Error::FromSqlConversionFailure(
                                    15,
                                    rusqlite::types::Type::Text,
                                    e.into(),
                                )
                            })?),
                            None => None,
                        },
                        started_at: r.get(16)?,
                        ended_at: r.get(17)?,
                        answers: Vec::new(),
                        result: outcome.map(|outcome| Finish {
                            outcome,
                            ..Finish::default()
                        }),
                        referral_id: r.get(19)?,
                        custody: r
                            .get::<_, Option<String>>(20)?
                            .map(|c| {
                                c.parse().map_err(|e: String| {
                                    rusqlite::Error::FromSqlConversionFailure(
                                        20,
                                        rusqlite::types::Type::Text,
                                        e.into(),
                                    )
                                })
                            })
                            .transpose()?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.sql(e))?
            .ok_or_else(|| StoreError::NotFound {
                what: "screening",
                id: id.to_owned(),
            })?;
        s.answers = self.answers_of(id)?;
        s.questionnaire_translations =
            super::translations::of(&self.conn, &s.questionnaire_hash).map_err(|e| self.sql(e))?;
        if let Some(result) = s.result.as_mut() {
            self.raised_of(id, result)?;
        }
        Ok(s)
    }

    /// Current entries with history, in the order each question was first given an entry.
    fn answers_of(&self, id: &str) -> Result<Vec<StoredAnswer>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT question_id, answer, note, answered_at, replaced_at FROM answers
                 WHERE screening_id = ?1 ORDER BY id",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    parse_answer(r.get(1)?)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .map_err(|e| self.sql(e))?;
        let mut out: Vec<StoredAnswer> = Vec::new();
        let mut earlier: Vec<(String, EarlierAnswer)> = Vec::new();
        for row in rows {
            let (question_id, answer, note, answered_at, replaced_at) =
                row.map_err(|e| self.sql(e))?;
            if !out.iter().any(|a| a.question_id == question_id)
                && !earlier.iter().any(|(q, _)| *q == question_id)
            {
                // Remember first-given order with a placeholder filled below.
                out.push(StoredAnswer {
                    question_id: question_id.clone(),
                    answer: None,
                    note: None,
                    answered_at: String::new(),
                    history: Vec::new(),
                });
            }
            match replaced_at {
                Some(replaced_at) => earlier.push((
                    question_id,
                    EarlierAnswer {
                        answer,
                        note,
                        answered_at,
                        replaced_at,
                    },
                )),
                None => {
                    if let Some(slot) = out.iter_mut().find(|a| a.question_id == question_id) {
                        slot.answer = answer;
                        slot.note = note;
                        slot.answered_at = answered_at;
                    }
                }
            }
        }
        for (q, e) in earlier {
            if let Some(slot) = out.iter_mut().find(|a| a.question_id == q) {
                slot.history.push(e);
            }
        }
        // A question whose entries were all replaced has no current value: drop it.
        out.retain(|a| !a.answered_at.is_empty());
        Ok(out)
    }

    fn raised_of(&self, id: &str, result: &mut Finish) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT kind, item, because FROM raised WHERE screening_id = ?1 ORDER BY ord")
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(|e| self.sql(e))?;
        for row in rows {
            let (kind, item, because) = row.map_err(|e| self.sql(e))?;
            let because: Vec<String> = serde_json::from_str(&because).unwrap_or_default();
            match kind.as_str() {
                "indicator" => result.indicators.push(Raised { id: item, because }),
                "flag" => result.flags.push(Raised { id: item, because }),
                _ => result.positive.push(item),
            }
        }
        Ok(())
    }
}

/// The officer and end time of a screening (`None` if there is no such screening): what every
/// write to a screening checks first, inside its own transaction.
fn officer_and_end(
    conn: &rusqlite::Connection,
    screening: &str,
) -> rusqlite::Result<Option<(String, Option<String>)>> {
    conn.query_row(
        "SELECT officer, ended_at FROM screenings WHERE id = ?1",
        [screening],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}
