//! Referrals to ROSA, their status workflow, notes and history.
//!
//! # Status workflow
//! ```text
//! new -> in_review -> contacted -> accepted | declined | other_help -> closed
//! ```
//! `closed` may also be reached from `new`, `in_review` and `contacted`, because a referral can
//! become moot before ROSA decides (the person was released or deported before contact, the
//! referral duplicates another, consent was withdrawn). Closing early needs a note saying why,
//! so the history explains it. Nothing leaves `closed`: a new concern is a new screening.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params, params_from_iter};
use serde::{Deserialize, Serialize};

use super::screenings::{StoredScreening, word};
use super::{Consent, Expulsion, Store, StoreError, audit, new_id, now};

/// A referral's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Made, not yet looked at.
    New,
    /// A reviewer is looking at it.
    InReview,
    /// ROSA has contacted the person or the prison.
    Contacted,
    /// The person accepted help.
    Accepted,
    /// The person declined help.
    Declined,
    /// ROSA did not follow it up as trafficking; other help was suggested. (No status ever
    /// says "not a victim"; this was `not_trafficking` before schema step 4.)
    OtherHelp,
    /// Done.
    Closed,
}

super::words!(Status, "referral status",
    New => "new", InReview => "in_review", Contacted => "contacted", Accepted => "accepted",
    Declined => "declined", OtherHelp => "other_help", Closed => "closed");

/// The statuses a referral may move to from `from` (see the module docs).
#[must_use]
pub fn allowed_next(from: Status) -> &'static [Status] {
    use Status as S;
    match from {
        S::New => &[S::InReview, S::Closed],
        S::InReview => &[S::Contacted, S::Closed],
        S::Contacted => &[S::Accepted, S::Declined, S::OtherHelp, S::Closed],
        S::Accepted | S::Declined | S::OtherHelp => &[S::Closed],
        S::Closed => &[],
    }
}

/// True when moving to `to` from `from` needs a note: closing before a decision.
fn needs_note(from: Status, to: Status) -> bool {
    to == Status::Closed && matches!(from, Status::New | Status::InReview | Status::Contacted)
}

/// Refuses a release or transfer date outside a sane window: before 2000, or more than ten
/// years after `today` (a typo such as 2207 for 2027 would sort the referral last). The rule
/// itself is the one validator's (`fields::check_release_date`), shared with every form.
fn release_date_sane(d: jiff::civil::Date, today: jiff::civil::Date) -> Result<(), StoreError> {
    super::fields::check_release_date(d, today)?;
    Ok(())
}

/// What an officer gives to make a referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReferral {
    /// The person's consent; `None` is refused.
    pub consent: Consent,
    /// Release or transfer date (identification is urgent before it).
    pub release_date: Option<jiff::civil::Date>,
    /// Whether expulsion (deportation) is expected, pending or unknown.
    pub expulsion: Option<Expulsion>,
    /// How ROSA reaches the referring officer.
    pub contact: String,
}

/// Which referrals to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferralFilter {
    /// Only this status.
    pub status: Option<Status>,
    /// Only this unit (case-insensitive).
    pub unit: Option<String>,
    /// Only referrals made on or after this day (UTC).
    pub since: Option<jiff::civil::Date>,
}

/// One page of the referral list, newest first, and how many referrals match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralPage {
    /// How many referrals match the filter (on every page, not only after `after`).
    pub total: u64,
    /// The referrals on this page.
    pub referrals: Vec<ReferralRow>,
    /// The id to give as `after` for the next page; `None` on the last page.
    pub next_after: Option<String>,
}

/// One line of the referral list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralRow {
    /// The referral id.
    pub id: String,
    /// Its status.
    pub status: Status,
    /// When it was made.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
    /// The screening it came from.
    pub screening_id: String,
    /// The unit.
    pub unit: String,
    /// The person's reference.
    pub person: String,
    /// The screening's outcome id.
    pub outcome: String,
    /// Consent given.
    pub consent: Consent,
    /// Release or transfer date (YYYY-MM-DD).
    pub release_date: Option<String>,
    /// Expulsion expected, pending or unknown.
    pub expulsion: Option<Expulsion>,
    /// Raised flag ids.
    pub flags: Vec<String>,
}

/// One entry of a referral's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralEvent {
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// `created`, `status` or `note`.
    pub kind: String,
    /// The status before a change.
    pub from: Option<Status>,
    /// The status after a change (or at creation).
    pub to: Option<Status>,
    /// The note.
    pub note: Option<String>,
}

/// A referral in full: the list line, the contact, the whole screening and the history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReferralDetail {
    /// The list line.
    #[serde(flatten)]
    pub row: ReferralRow,
    /// How ROSA reaches the referring officer.
    pub contact: String,
    /// The screening (details, answers, result, questionnaire snapshot).
    pub screening: StoredScreening,
    /// History, oldest first.
    pub events: Vec<ReferralEvent>,
}

/// The list columns, all in the `referrals_status` index.
const ROW_SELECT: &str = "SELECT r.id, r.status, r.created_at, r.updated_at, r.screening_id,
        r.unit, r.person, r.outcome, r.consent, r.release_date, r.expulsion, r.flags
     FROM referrals r";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ReferralRow> {
    let flags: String = r.get(11)?;
    Ok(ReferralRow {
        id: r.get(0)?,
        status: word(r, 1)?,
        created_at: r.get(2)?,
        updated_at: r.get(3)?,
        screening_id: r.get(4)?,
        unit: r.get(5)?,
        person: r.get(6)?,
        outcome: r.get(7)?,
        consent: word(r, 8)?,
        release_date: r.get(9)?,
        expulsion: r
            .get::<_, Option<String>>(10)?
            .map(|e| {
                e.parse().map_err(|e: String| {
                    rusqlite::Error::FromSqlConversionFailure(
                        10,
                        rusqlite::types::Type::Text,
                        e.into(),
                    )
                })
            })
            .transpose()?,
        flags: flags
            .split(',')
            .filter(|f| !f.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

impl Store {
    /// Makes a referral from a finished screening. Refused without consent (the officer should
    /// call ROSA for anonymous advice instead), for an unfinished screening, or when the
    /// screening already has a referral. Records the consent on the screening too.
    pub fn create_referral(
        &mut self,
        screening: &str,
        r: &NewReferral,
    ) -> Result<String, StoreError> {
        let r = &r.clone().validated(super::fields::today())?;
        if r.consent == Consent::None {
            return Err(StoreError::Refused(format!(
                "no referral was made from screening {screening}: the person did not consent; call ROSA on +47 22 33 11 60 for anonymous advice instead"
            )));
        }
        if let Some(d) = r.release_date {
            release_date_sane(d, super::fields::today())?;
        }
        let label = self.label.clone();
        let err = |e| super::sql_error(&label, e);
        // The login name of whoever makes it; the officer's typed name is the contact.
        let actor = self.actor.clone();
        let tx = self.write()?;
        #[allow(clippy::type_complexity)]
        let (_officer, ended, existing, unit, person, outcome, flags): (
            String,
            Option<String>,
            Option<String>,
            String,
            String,
            Option<String>,
            Option<String>,
        ) = tx
            .query_row(
                "SELECT officer, ended_at, (SELECT id FROM referrals WHERE screening_id = s.id),
                        unit, person, outcome,
                        (SELECT group_concat(item, ',') FROM
                           (SELECT item FROM raised WHERE screening_id = s.id AND kind = 'flag'
                            ORDER BY ord))
                 FROM screenings s WHERE id = ?1",
                [screening],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                },
            )
            .optional()
            .map_err(err)?
            .ok_or_else(|| StoreError::NotFound {
                what: "screening",
                id: screening.to_owned(),
            })?;
        if ended.is_none() {
            return Err(StoreError::Refused(format!(
                "screening {screening} is not finished; finish it before making a referral"
            )));
        }
        if let Some(existing) = existing {
            return Err(StoreError::Refused(format!(
                "screening {screening} already has referral {existing}"
            )));
        }
        let id = new_id();
        let at = now();
        tx.execute(
            "INSERT INTO referrals (id, screening_id, consent, release_date, expulsion, contact,
                status, created_at, updated_at, unit, person, outcome, flags)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'new', ?7, ?7, ?8, ?9, ?10, ?11)",
            params![
                id,
                screening,
                r.consent.as_str(),
                r.release_date.map(|d| d.to_string()),
                r.expulsion.map(Expulsion::as_str),
                r.contact,
                at,
                unit,
                person,
                outcome.unwrap_or_default(),
                flags.unwrap_or_default()
            ],
        )
        .map_err(err)?;
        tx.execute(
            "UPDATE screenings SET consent = ?1 WHERE id = ?2",
            params![r.consent.as_str(), screening],
        )
        .map_err(err)?;
        tx.execute(
            "INSERT INTO referral_events (referral_id, at, actor, kind, to_status)
             VALUES (?1, ?2, ?3, 'created', 'new')",
            params![id, at, actor],
        )
        .map_err(err)?;
        audit::append(
            &tx,
            &actor,
            "created",
            &format!("referral:{id}"),
            &format!("screening:{screening}"),
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(id)
    }

    /// Referrals matching `f`, newest first.
    pub fn referrals(&self, f: &ReferralFilter) -> Result<Vec<ReferralRow>, StoreError> {
        let (filter, args) = filter_sql(f);
        let sql = format!(
            "{ROW_SELECT}
             WHERE {filter}
             ORDER BY r.created_at DESC, r.id DESC"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map(params_from_iter(args.iter()), row)
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    /// Up to `limit` referrals matching `f`, newest first, that come after the referral
    /// `after` in that order (from the newest when `None`), with the total that match: paging
    /// by key, so the last page costs what the first one does. `after` must be a full id
    /// (`NotFound` otherwise); it need not match the filter.
    pub fn referrals_page(
        &self,
        f: &ReferralFilter,
        after: Option<&str>,
        limit: u32,
    ) -> Result<ReferralPage, StoreError> {
        let (filter, args) = filter_sql(f);
        let key: Option<(String, String)> = match after {
            None => None,
            Some(id) => Some(
                self.conn
                    .query_row(
                        "SELECT created_at, id FROM referrals WHERE id = ?1",
                        [id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()
                    .map_err(|e| self.sql(e))?
                    .ok_or_else(|| StoreError::NotFound {
                        what: "referral",
                        id: id.to_owned(),
                    })?,
            ),
        };
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM referrals r WHERE {filter}"))
            .and_then(|mut st| st.query_row(params_from_iter(args.iter()), |r| r.get(0)))
            .map_err(|e| self.sql(e))?;
        let mut page_args = args;
        let after_cond = match key {
            Some((at, id)) => {
                page_args.push(Value::Text(at));
                page_args.push(Value::Text(id));
                " AND (r.created_at, r.id) < (?, ?)"
            }
            None => "",
        };
        // One more than asked, to know whether a next page exists.
        page_args.push(Value::Integer(i64::from(limit) + 1));
        let sql = format!(
            "{ROW_SELECT}
             WHERE {filter}{after_cond}
             ORDER BY r.created_at DESC, r.id DESC LIMIT ?"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.sql(e))?;
        let rows: Vec<ReferralRow> = stmt
            .query_map(params_from_iter(page_args.iter()), row)
            .map_err(|e| self.sql(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))?;
        let mut referrals = rows;
        let more = referrals.len() > usize::try_from(limit).unwrap_or(usize::MAX);
        referrals.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let next_after = more
            .then(|| referrals.last().map(|r| r.id.clone()))
            .flatten();
        Ok(ReferralPage {
            total: u64::try_from(total).unwrap_or(0),
            referrals,
            next_after,
        })
    }

    /// The full id of the one referral whose id is `id_or_prefix` or starts with it.
    pub fn resolve_referral(&self, id_or_prefix: &str) -> Result<String, StoreError> {
        let prefix = id_or_prefix.trim().to_ascii_lowercase();
        let not_found = || StoreError::NotFound {
            what: "referral",
            id: id_or_prefix.to_owned(),
        };
        // Ids are lowercase hex and dashes; anything else cannot match (and keeps LIKE
        // wildcards out of the pattern).
        if prefix.is_empty() || !prefix.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(not_found());
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM referrals WHERE id >= ?1 AND id < ?2 LIMIT 3")
            .map_err(|e| self.sql(e))?;
        // Every id starting with the prefix sorts between the prefix and the prefix followed by
        // a character above any id character, which lets the primary key index answer.
        let upper = format!("{prefix}\u{7f}");
        let ids = stmt
            .query_map(params![prefix, upper], |r| r.get::<_, String>(0))
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        match ids.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(not_found()),
            _ => {
                let count: i64 = self
                    .conn
                    .query_row(
                        "SELECT count(*) FROM referrals WHERE id >= ?1 AND id < ?2",
                        params![prefix, upper],
                        |r| r.get(0),
                    )
                    .map_err(|e| self.sql(e))?;
                Err(StoreError::Ambiguous {
                    what: "referral",
                    id: id_or_prefix.to_owned(),
                    count: usize::try_from(count).unwrap_or(usize::MAX),
                })
            }
        }
    }

    /// One referral in full (a plain read: record the view with [`Store::record_view`]).
    pub fn referral(&self, id: &str) -> Result<ReferralDetail, StoreError> {
        let (row, contact) = self
            .conn
            .query_row(
                "SELECT r.id, r.status, r.created_at, r.updated_at, r.screening_id,
                    r.unit, r.person, r.outcome, r.consent, r.release_date, r.expulsion,
                    r.flags, r.contact
                 FROM referrals r WHERE r.id = ?1",
                [id],
                |r| Ok((row(r)?, r.get::<_, String>(12)?)),
            )
            .optional()
            .map_err(|e| self.sql(e))?
            .ok_or_else(|| StoreError::NotFound {
                what: "referral",
                id: id.to_owned(),
            })?;
        let screening = self.load_screening(&row.screening_id)?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT at, actor, kind, from_status, to_status, note FROM referral_events
                 WHERE referral_id = ?1 ORDER BY id",
            )
            .map_err(|e| self.sql(e))?;
        let events = stmt
            .query_map([id], |r| {
                let from: Option<String> = r.get(3)?;
                let to: Option<String> = r.get(4)?;
                Ok(ReferralEvent {
                    at: r.get(0)?,
                    actor: r.get(1)?,
                    kind: r.get(2)?,
                    from: from.and_then(|s| s.parse().ok()),
                    to: to.and_then(|s| s.parse().ok()),
                    note: r.get(5)?,
                })
            })
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(ReferralDetail {
            row,
            contact,
            screening,
            events,
        })
    }

    /// Records in the audit log that `actor` viewed a referral.
    pub fn record_view(&mut self, id: &str, actor: &str) -> Result<(), StoreError> {
        self.audit_only(actor, "viewed", id, "")
    }

    /// Records in the audit log that `actor` exported a referral (`what`: the format).
    pub fn record_export(&mut self, id: &str, actor: &str, what: &str) -> Result<(), StoreError> {
        self.audit_only(actor, "exported", id, what)
    }

    fn audit_only(
        &mut self,
        actor: &str,
        action: &str,
        id: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        let label = self.label.clone();
        let err = |e| super::sql_error(&label, e);
        let tx = self.write()?;
        audit::append(&tx, actor, action, &format!("referral:{id}"), detail).map_err(err)?;
        tx.commit().map_err(err)
    }

    /// Moves a referral to `to` if the workflow allows it (see the module docs), recording who,
    /// when, from, to and the note. Returns the status it had before.
    pub fn set_status(
        &mut self,
        id: &str,
        to: Status,
        note: Option<&str>,
        actor: &str,
    ) -> Result<Status, StoreError> {
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if let Some(n) = note {
            super::fields::note(n)?;
        }
        let label = self.label.clone();
        let err = |e| super::sql_error(&label, e);
        let tx = self.write()?;
        let from: Status = tx
            .query_row("SELECT status FROM referrals WHERE id = ?1", [id], |r| {
                word(r, 0)
            })
            .optional()
            .map_err(err)?
            .ok_or_else(|| StoreError::NotFound {
                what: "referral",
                id: id.to_owned(),
            })?;
        let allowed = allowed_next(from);
        if !allowed.contains(&to) {
            return Err(StoreError::IllegalTransition {
                id: id.to_owned(),
                from,
                to,
                allowed: if allowed.is_empty() {
                    "none (it is closed)".to_owned()
                } else {
                    allowed
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            });
        }
        if needs_note(from, to) && note.is_none() {
            return Err(StoreError::Refused(format!(
                "closing referral {id} while it is `{from}` needs a note saying why (--note)"
            )));
        }
        let at = now();
        tx.execute(
            "UPDATE referrals SET status = ?1, updated_at = ?2 WHERE id = ?3",
            params![to.as_str(), at, id],
        )
        .map_err(err)?;
        tx.execute(
            "INSERT INTO referral_events (referral_id, at, actor, kind, from_status, to_status, note)
             VALUES (?1, ?2, ?3, 'status', ?4, ?5, ?6)",
            params![id, at, actor, from.as_str(), to.as_str(), note],
        )
        .map_err(err)?;
        audit::append(
            &tx,
            actor,
            "changed status",
            &format!("referral:{id}"),
            &format!("{from} -> {to}"),
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(from)
    }

    /// Adds a note to a referral's history.
    pub fn add_note(&mut self, id: &str, text: &str, actor: &str) -> Result<(), StoreError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(StoreError::Refused(format!(
                "the note for referral {id} is empty; nothing was added"
            )));
        }
        super::fields::note(text)?;
        let label = self.label.clone();
        let err = |e| super::sql_error(&label, e);
        let tx = self.write()?;
        let at = now();
        let n = tx
            .execute(
                "UPDATE referrals SET updated_at = ?1 WHERE id = ?2",
                params![at, id],
            )
            .map_err(err)?;
        if n == 0 {
            return Err(StoreError::NotFound {
                what: "referral",
                id: id.to_owned(),
            });
        }
        tx.execute(
            "INSERT INTO referral_events (referral_id, at, actor, kind, note)
             VALUES (?1, ?2, ?3, 'note', ?4)",
            params![id, at, actor, text],
        )
        .map_err(err)?;
        audit::append(&tx, actor, "noted", &format!("referral:{id}"), "").map_err(err)?;
        tx.commit().map_err(err)
    }
}

/// The `WHERE` condition of a referral list and its parameters. It names only the conditions
/// in use: `?1 IS NULL OR ...` would hide the `referrals_status` index from SQLite's planner,
/// and a deep page would then scan.
fn filter_sql(f: &ReferralFilter) -> (String, Vec<Value>) {
    let mut conds: Vec<&str> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if let Some(status) = f.status {
        conds.push("r.status = ?");
        args.push(Value::Text(status.as_str().to_owned()));
    }
    if let Some(unit) = &f.unit {
        conds.push("r.unit = ? COLLATE NOCASE");
        args.push(Value::Text(unit.clone()));
    }
    if let Some(since) = f.since {
        conds.push("r.created_at >= ?");
        args.push(Value::Text(since.to_string()));
    }
    if conds.is_empty() {
        ("1".to_owned(), args)
    } else {
        (conds.join(" AND "), args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_reaches_closed_from_every_open_status() {
        for s in Status::ALL {
            if *s != Status::Closed {
                assert!(allowed_next(*s).contains(&Status::Closed), "{s}");
            }
        }
        assert!(allowed_next(Status::Closed).is_empty());
    }

    #[test]
    fn release_dates_outside_the_window_are_refused() {
        let today = jiff::civil::date(2026, 11, 30);
        assert!(release_date_sane(jiff::civil::date(2027, 1, 15), today).is_ok());
        assert!(release_date_sane(jiff::civil::date(2000, 1, 1), today).is_ok());
        assert!(release_date_sane(jiff::civil::date(2036, 11, 30), today).is_ok());
        let old = release_date_sane(jiff::civil::date(1999, 12, 31), today).unwrap_err();
        assert_eq!(old.exit_code(), 2);
        assert!(old.to_string().contains("1999-12-31"), "{old}");
        assert!(release_date_sane(jiff::civil::date(2036, 12, 1), today).is_err());
    }

    #[test]
    fn early_close_needs_note_but_after_decision_does_not() {
        assert!(needs_note(Status::New, Status::Closed));
        assert!(!needs_note(Status::Accepted, Status::Closed));
    }
}
