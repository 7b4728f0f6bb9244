//! Immediate flags (format 1, `immediate: true`): which were raised in a screening, and when and
//! by whom each was acknowledged; and the details the questionnaire fills (`fills:`).
//!
//! A screening records an immediate flag the moment an answer raises it (the front end calls
//! [`Store::record_immediate`] after saving the answer) and the acknowledgement when the officer
//! confirms having seen its advice. A screening resumed before that shows it again
//! ([`Store::restore_immediate`] puts the record back into the session). Nothing is un-raised:
//! a row is never deleted by a changed answer.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Custody, Interpreter, Store, StoreError, audit, now};
use crate::questionnaire::FillField;
use crate::screening::Session;

/// One immediate flag raised in a screening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImmediateRecord {
    /// The flag id.
    pub flag: String,
    /// When an answer first raised it.
    pub raised_at: String,
    /// When the officer acknowledged it (None: not yet; shown again on resume).
    pub acknowledged_at: Option<String>,
    /// The login name of whoever acknowledged it.
    pub acknowledged_by: Option<String>,
}

impl Store {
    /// Records the immediate flags `flags` as raised in a screening, with the time now; flags
    /// already recorded keep their first time. Returns the flags newly recorded, in the order
    /// given. (Acknowledging goes through [`Store::acknowledge_immediate`], which records who.)
    pub fn record_immediate<'a>(
        &mut self,
        screening: &str,
        flags: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<String>, StoreError> {
        let flags: Vec<&str> = flags.into_iter().collect();
        if flags.is_empty() {
            return Ok(Vec::new());
        }
        let label = self.label.clone();
        let err = |e| super::sql_error(&label, e);
        let tx = self.write()?;
        let mut added = Vec::new();
        let at = now();
        for flag in flags {
            let n = tx
                .execute(
                    "INSERT INTO immediate_flags (screening_id, flag, raised_at)
                     VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                    params![screening, flag, at],
                )
                .map_err(err)?;
            if n > 0 {
                added.push(flag.to_owned());
            }
        }
        tx.commit().map_err(err)?;
        Ok(added)
    }

    /// Records that `actor` (the login name, see [`super::actor`]) acknowledged the immediate
    /// flag `flag` of a screening, with the time, and appends an audit entry. Acknowledging a
    /// flag already acknowledged keeps the first acknowledgement.
    pub fn acknowledge_immediate(
        &mut self,
        screening: &str,
        flag: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let label = self.label.clone();
        let err = |e| super::sql_error(&label, e);
        let tx = self.write()?;
        let exists: Option<i64> = tx
            .query_row("SELECT 1 FROM screenings WHERE id = ?1", [screening], |r| {
                r.get(0)
            })
            .optional()
            .map_err(err)?;
        if exists.is_none() {
            return Err(StoreError::NotFound {
                what: "screening",
                id: screening.to_owned(),
            });
        }
        let at = now();
        let changed = tx
            .execute(
                "INSERT INTO immediate_flags
                     (screening_id, flag, raised_at, acknowledged_at, acknowledged_by)
                 VALUES (?1, ?2, ?3, ?3, ?4)
                 ON CONFLICT (screening_id, flag) DO UPDATE
                     SET acknowledged_at = excluded.acknowledged_at,
                         acknowledged_by = excluded.acknowledged_by
                   WHERE acknowledged_at IS NULL",
                params![screening, flag, at, actor],
            )
            .map_err(err)?;
        if changed > 0 {
            audit::append(
                &tx,
                actor,
                "acknowledged flag",
                &format!("screening:{screening}"),
                flag,
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// The immediate flags raised in a screening, in the order they were raised.
    pub fn immediate_flags(&self, screening: &str) -> Result<Vec<ImmediateRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT flag, raised_at, acknowledged_at, acknowledged_by FROM immediate_flags
                 WHERE screening_id = ?1 ORDER BY raised_at, flag",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([screening], |r| {
                Ok(ImmediateRecord {
                    flag: r.get(0)?,
                    raised_at: r.get(1)?,
                    acknowledged_at: r.get(2)?,
                    acknowledged_by: r.get(3)?,
                })
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    /// Puts what the store recorded about a screening's immediate flags back into a resumed
    /// session: raised (even if the answers no longer raise it) and whether acknowledged.
    pub fn restore_immediate(
        &self,
        screening: &str,
        session: &mut Session,
    ) -> Result<(), StoreError> {
        for r in self.immediate_flags(screening)? {
            session.restore_immediate(&r.flag, r.acknowledged_at.is_some());
        }
        Ok(())
    }

    /// Sets screening details that the questionnaire asks but no answer gave a value for, from
    /// elsewhere (the top-level `interpreter:` of an `interview --answers` file); `None` leaves
    /// a detail as it is. Like an answer that fills one ([`Store::record`]), a change appends a
    /// `filled details` entry with the digest of the new details, so the log still proves them.
    pub fn set_filled_details(
        &mut self,
        screening: &str,
        interpreter: Option<Interpreter>,
        custody: Option<Custody>,
    ) -> Result<(), StoreError> {
        if interpreter.is_none() && custody.is_none() {
            return Ok(());
        }
        let label = self.label.clone();
        let err = |e| super::sql_error(&label, e);
        let actor = self.actor.clone();
        let tx = self.write()?;
        let key: Option<Option<Vec<u8>>> = tx
            .query_row(
                "SELECT digest_key FROM screenings WHERE id = ?1",
                [screening],
                |r| r.get(0),
            )
            .optional()
            .map_err(err)?;
        let Some(key) = key else {
            return Err(StoreError::NotFound {
                what: "screening",
                id: screening.to_owned(),
            });
        };
        let fills = [
            (
                FillField::DetailsInterpreter,
                interpreter.map(Interpreter::as_str),
            ),
            (FillField::DetailsCustody, custody.map(Custody::as_str)),
        ];
        for (field, value) in fills {
            if value.is_some() {
                super::screenings::fill_detail(
                    &tx,
                    &actor,
                    screening,
                    field,
                    value,
                    key.as_deref(),
                )
                .map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    /// The statuses renamed by a migration, `(old, new)`: an audit log entry written before the
    /// rename names the old status, and is replayed under the new one.
    pub fn status_renames(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT old, new FROM status_renames ORDER BY schema_version, old")
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::screening::{Answer, Move};
    use crate::store::tests::details;

    const FEATURES: &str = include_str!("../../tests/fixtures/lint/format-features.yaml");

    fn start(store: &mut Store) -> (String, Session) {
        let q = Arc::new(crate::questionnaire::open(FEATURES, "f.yaml").unwrap());
        let id = store.create_screening(&q, &details()).unwrap();
        (id, Session::new(q))
    }

    fn give(store: &mut Store, id: &str, s: &mut Session, a: Answer) {
        let p = s.prepare(Move::Answer(a)).unwrap();
        store.record(id, &p).unwrap();
        s.apply(p).unwrap();
    }

    fn raised(s: &Session) -> Vec<&str> {
        s.immediate_flags()
            .iter()
            .map(|f| f.flag.id.as_str())
            .collect()
    }

    #[test]
    fn raised_flags_are_recorded_once_and_acknowledged_with_who_and_when() {
        let mut store = Store::in_memory().unwrap();
        let (id, mut s) = start(&mut store);
        assert!(store.record_immediate(&id, raised(&s)).unwrap().is_empty());
        give(&mut store, &id, &mut s, Answer::Choice("remand".into()));
        give(&mut store, &id, &mut s, Answer::Choice("in_room".into()));
        give(&mut store, &id, &mut s, Answer::Choice("no".into()));
        give(&mut store, &id, &mut s, Answer::Choices(vec!["you".into()]));
        assert_eq!(s.newly_raised().len(), 1);
        assert_eq!(
            store.record_immediate(&id, raised(&s)).unwrap(),
            ["acute_danger"]
        );
        assert!(store.record_immediate(&id, raised(&s)).unwrap().is_empty());
        let r = store.immediate_flags(&id).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].acknowledged_at, None);

        // Resumed before the acknowledgement: shown again.
        let mut resumed = Session::restore(Arc::clone(s.questionnaire_arc()), s.entries_owned());
        store.restore_immediate(&id, &mut resumed).unwrap();
        assert_eq!(resumed.unacknowledged().len(), 1);

        store
            .acknowledge_immediate(&id, "acute_danger", "officer1")
            .unwrap();
        store
            .acknowledge_immediate(&id, "acute_danger", "someone_else")
            .unwrap();
        let r = store.immediate_flags(&id).unwrap();
        assert_eq!(r[0].acknowledged_by.as_deref(), Some("officer1"));
        assert!(r[0].acknowledged_at.is_some());
        let acks: Vec<_> = store
            .audit_entries()
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "acknowledged flag")
            .collect();
        assert_eq!(acks.len(), 1, "the second acknowledgement changes nothing");
        assert_eq!(acks[0].actor, "officer1");

        let mut resumed = Session::restore(Arc::clone(s.questionnaire_arc()), s.entries_owned());
        store.restore_immediate(&id, &mut resumed).unwrap();
        assert!(resumed.unacknowledged().is_empty());
        assert!(
            store
                .acknowledge_immediate("no-such-screening", "acute_danger", "x")
                .is_err()
        );
    }

    #[test]
    fn filled_details_and_status_renames() {
        let mut store = Store::in_memory().unwrap();
        let (id, _) = start(&mut store);
        store
            .set_filled_details(&id, Some(Interpreter::Phone), Some(Custody::Remand))
            .unwrap();
        let s = store.load_screening(&id).unwrap();
        assert_eq!(s.interpreter, Some(Interpreter::Phone));
        assert_eq!(s.custody, Some(Custody::Remand));
        assert_eq!(store.verify_audit_full(&[]).unwrap().problems, [""; 0]);
        let filled = store
            .audit_entries()
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "filled details")
            .count();
        assert_eq!(filled, 2);
        store.set_filled_details(&id, None, None).unwrap();
        assert!(
            store
                .set_filled_details("nope", None, Some(Custody::Other))
                .is_err()
        );
        assert_eq!(
            store.status_renames().unwrap(),
            [("not_trafficking".to_string(), "other_help".to_string())]
        );
    }
}
