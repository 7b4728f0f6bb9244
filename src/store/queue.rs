//! The review queue: referrals a page at a time in the queue's default order, with filters,
//! counts per status, and the units and outcomes to filter by.
//!
//! # Order
//! 1. open referrals (`new`, `in_review`, `contacted`), then decided ones (`accepted`,
//!    `declined`, `other_help`), then `closed`;
//! 2. within each, urgent first: a flag was raised (possible minor, acute danger, release
//!    soon...) or expulsion is expected;
//! 3. then the soonest release or transfer date first (none given: last);
//! 4. then the longest waiting first (received earliest), then by id.
//!
//! Every key is a fact stored with the referral (the unit, person, outcome and flags are copied
//! into it from the finished screening, which never changes afterwards), so the order is the
//! generated `queue_*` columns of `referrals` and one index, `referrals_queue` (schema step 3),
//! which also holds the filter columns: a page is a range read of that index, and skipped rows
//! (a deep page) need no table lookup. A person search reads the narrow `referrals_person`
//! index whole and sorts only the matches. [`Store::queue_page_after`] pages by key instead of
//! by offset. Nothing loads the whole list.

use rusqlite::types::Value;
use serde::Serialize;

use super::screenings::word;
use super::{Status, Store, StoreError};

/// Which referrals the queue shows. Every part is optional; all given parts must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// Only this status.
    pub status: Option<Status>,
    /// Only this unit (case-insensitive).
    pub unit: Option<String>,
    /// Only this outcome id.
    pub outcome: Option<String>,
    /// Only people whose reference contains this text (case-insensitive for ASCII letters).
    pub person: Option<String>,
}

/// One line of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueRow {
    /// The referral id.
    pub id: String,
    /// Its status.
    pub status: Status,
    /// When it was received (made), RFC 3339.
    pub created_at: String,
    /// The unit (prison).
    pub unit: String,
    /// The person's reference.
    pub person: String,
    /// The screening's outcome id.
    pub outcome: String,
    /// Release or transfer date (YYYY-MM-DD).
    pub release_date: Option<String>,
    /// Expulsion expected, pending or unknown.
    pub expulsion: Option<super::Expulsion>,
    /// Raised flag ids, in the order the screening raised them.
    pub flags: Vec<String>,
    /// A flag was raised or expulsion is expected or pending (sorted first within its status group).
    pub urgent: bool,
}

/// How many referrals match a filter, per status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QueueCounts {
    /// Per status, in workflow order, every status listed (zero included). The status part
    /// of the filter is ignored here, so the header shows the whole spread.
    pub by_status: Vec<(Status, u64)>,
}

impl QueueCounts {
    /// How many referrals have `status`.
    #[must_use]
    pub fn of(&self, status: Status) -> u64 {
        self.by_status
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n)
    }

    /// How many match the whole filter, status included.
    #[must_use]
    pub fn matching(&self, status: Option<Status>) -> u64 {
        match status {
            Some(s) => self.of(s),
            None => self.by_status.iter().map(|(_, n)| n).sum(),
        }
    }
}

/// The values the queue can be filtered by.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QueueChoices {
    /// Units with at least one referral, sorted.
    pub units: Vec<String>,
    /// Outcome ids with at least one referral, sorted.
    pub outcomes: Vec<String>,
}

/// The default order: the columns of the `referrals_queue` index.
const ORDER: &str = "r.queue_group, r.queue_urgent, r.queue_release, r.created_at, r.id";

/// The columns of a [`QueueRow`], read by [`queue_row`].
const ROW: &str = "r.id, r.status, r.created_at, r.unit, r.person, r.outcome, r.release_date,
    r.expulsion, r.queue_urgent, r.flags";

fn queue_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<QueueRow> {
    let flags: String = r.get(9)?;
    Ok(QueueRow {
        id: r.get(0)?,
        status: word(r, 1)?,
        created_at: r.get(2)?,
        unit: r.get(3)?,
        person: r.get(4)?,
        outcome: r.get(5)?,
        release_date: r.get(6)?,
        expulsion: r
            .get::<_, Option<String>>(7)?
            .map(|e| {
                e.parse().map_err(|e: String| {
                    rusqlite::Error::FromSqlConversionFailure(
                        7,
                        rusqlite::types::Type::Text,
                        e.into(),
                    )
                })
            })
            .transpose()?,
        urgent: r.get::<_, i64>(8)? == 0,
        flags: flags
            .split(',')
            .filter(|f| !f.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

/// `LIKE` pattern for "contains `text`", with the wildcards in `text` escaped.
fn contains_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The WHERE clause (possibly empty) and its parameters for `f`; `with_status` false leaves
/// the status out (for the counts).
fn conditions(f: &QueueFilter, with_status: bool) -> (String, Vec<Value>) {
    let mut parts = Vec::new();
    let mut params = Vec::new();
    if let (true, Some(s)) = (with_status, f.status) {
        params.push(Value::Text(s.as_str().to_owned()));
        parts.push(format!("r.status = ?{}", params.len()));
    }
    if let Some(u) = f.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        params.push(Value::Text(u.to_owned()));
        parts.push(format!("r.unit = ?{} COLLATE NOCASE", params.len()));
    }
    if let Some(o) = f.outcome.as_deref().filter(|o| !o.is_empty()) {
        params.push(Value::Text(o.to_owned()));
        parts.push(format!("r.outcome = ?{}", params.len()));
    }
    if let Some(p) = f.person.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        params.push(Value::Text(contains_pattern(p)));
        // A contains-search cannot use an index range, but reading the narrow person index
        // whole is a few milliseconds; only the matching rows are then sorted.
        parts.push(format!(
            "r.rowid IN (SELECT rowid FROM referrals INDEXED BY referrals_person
                          WHERE person LIKE ?{} ESCAPE '\\')",
            params.len()
        ));
    }
    if parts.is_empty() {
        (String::new(), params)
    } else {
        (format!("WHERE {}", parts.join(" AND ")), params)
    }
}

impl Store {
    /// Up to `limit` referrals matching `f` in the queue's order (see the module docs),
    /// skipping the first `offset`.
    pub fn queue_page(
        &self,
        f: &QueueFilter,
        offset: u64,
        limit: u32,
    ) -> Result<Vec<QueueRow>, StoreError> {
        let (cond, mut params) = conditions(f, true);
        params.push(Value::Integer(i64::from(limit)));
        let limit_at = params.len();
        params.push(Value::Integer(i64::try_from(offset).unwrap_or(i64::MAX)));
        let offset_at = params.len();
        let sql = format!(
            "SELECT {ROW} FROM referrals r {cond}
              ORDER BY {ORDER} LIMIT ?{limit_at} OFFSET ?{offset_at}"
        );
        self.queue_rows(&sql, params)
    }

    /// Up to `limit` referrals matching `f` in the queue's order that come after the referral
    /// `after` (the last one shown), or from the start when `after` is `None`: paging by key,
    /// so a deep page costs what the first one does. An unknown `after` is `NotFound`.
    pub fn queue_page_after(
        &self,
        f: &QueueFilter,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<QueueRow>, StoreError> {
        let (cond, mut params) = conditions(f, true);
        let mut cond = cond;
        if let Some(after) = after {
            let known: bool = self
                .conn
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM referrals WHERE id = ?1)",
                    [after],
                    |r| r.get(0),
                )
                .map_err(|e| self.sql(e))?;
            if !known {
                return Err(StoreError::NotFound {
                    what: "referral",
                    id: after.to_owned(),
                });
            }
            params.push(Value::Text(after.to_owned()));
            let key = format!(
                "({ORDER}) > (SELECT queue_group, queue_urgent, queue_release, created_at, id
                                FROM referrals WHERE id = ?{})",
                params.len()
            );
            cond = if cond.is_empty() {
                format!("WHERE {key}")
            } else {
                format!("{cond} AND {key}")
            };
        }
        params.push(Value::Integer(i64::from(limit)));
        let sql = format!(
            "SELECT {ROW} FROM referrals r {cond} ORDER BY {ORDER} LIMIT ?{}",
            params.len()
        );
        self.queue_rows(&sql, params)
    }

    fn queue_rows(&self, sql: &str, params: Vec<Value>) -> Result<Vec<QueueRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params), queue_row)
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    /// How many referrals match `f` (its status ignored), per status.
    pub fn queue_counts(&self, f: &QueueFilter) -> Result<QueueCounts, StoreError> {
        let (cond, params) = conditions(f, false);
        let sql = format!("SELECT r.status, count(*) FROM referrals r {cond} GROUP BY 1");
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.sql(e))?;
        let found = stmt
            .query_map(rusqlite::params_from_iter(params), |r| {
                Ok((word::<Status>(r, 0)?, r.get::<_, i64>(1)?))
            })
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(QueueCounts {
            by_status: Status::ALL
                .iter()
                .map(|s| {
                    let n = found
                        .iter()
                        .find(|(x, _)| x == s)
                        .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0));
                    (*s, n)
                })
                .collect(),
        })
    }

    /// The units and outcomes that have referrals, for the queue's filters.
    pub fn queue_choices(&self) -> Result<QueueChoices, StoreError> {
        let list = |sql: &str| -> Result<Vec<String>, StoreError> {
            let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.sql(e))?;
            let rows = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(|e| self.sql(e))?;
            rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
        };
        Ok(QueueChoices {
            // Units that differ only in case are one unit, as the filter treats them.
            units: list(
                "SELECT min(unit) FROM referrals GROUP BY unit COLLATE NOCASE
                  ORDER BY unit COLLATE NOCASE",
            )?,
            outcomes: list(
                "SELECT DISTINCT outcome FROM referrals WHERE outcome <> '' ORDER BY outcome",
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::fixtures;
    use crate::store::{Consent, Finish, Interpreter, NewReferral, NewScreening, Raised, Store};

    /// A finished screening with a referral.
    fn seed(
        store: &mut Store,
        unit: &str,
        person: &str,
        outcome: &str,
        flags: &[&str],
        release: Option<&str>,
    ) -> String {
        let s = store
            .create_screening(
                &fixtures::bare("t"),
                &NewScreening {
                    officer: "Officer".into(),
                    interpreter: Some(Interpreter::None),
                    person_language: None,
                    ..fixtures::details(unit, person)
                },
            )
            .unwrap();
        store
            .finish_screening(
                &s,
                &Finish {
                    outcome: outcome.into(),
                    flags: flags
                        .iter()
                        .map(|f| Raised {
                            id: (*f).into(),
                            because: vec![],
                        })
                        .collect(),
                    ..Finish::default()
                },
            )
            .unwrap();
        store
            .create_referral(
                &s,
                &NewReferral {
                    consent: Consent::Named,
                    release_date: release.map(|d| d.parse().unwrap()),
                    expulsion: None,
                    contact: "c".into(),
                },
            )
            .unwrap()
    }

    fn people(rows: &[QueueRow]) -> Vec<&str> {
        rows.iter().map(|r| r.person.as_str()).collect()
    }

    #[test]
    fn urgent_and_soonest_first_and_closed_last() {
        let mut st = Store::in_memory().unwrap();
        let plain = seed(&mut st, "Ila", "A", "some_signs", &[], None);
        seed(&mut st, "Ila", "B", "some_signs", &[], Some("2027-03-01"));
        seed(&mut st, "Bergen", "C", "strong", &["acute_danger"], None);
        seed(&mut st, "Ila", "D", "strong", &[], Some("2027-01-01"));
        st.set_status(&plain, Status::Closed, Some("duplicate"), "r")
            .unwrap();
        let rows = st.queue_page(&QueueFilter::default(), 0, 10).unwrap();
        assert_eq!(people(&rows), ["C", "D", "B", "A"]);
        assert!(rows[0].urgent);
        assert_eq!(rows[0].flags, ["acute_danger"]);
        assert_eq!(rows[3].status, Status::Closed);
        // Paging continues where the last page stopped.
        let second = st.queue_page(&QueueFilter::default(), 2, 10).unwrap();
        assert_eq!(people(&second), ["B", "A"]);
    }

    #[test]
    fn filters_and_counts() {
        let mut st = Store::in_memory().unwrap();
        let a = seed(&mut st, "Ila", "B-2026-117", "strong", &[], None);
        seed(&mut st, "Bergen", "B-2026-200", "strong", &[], None);
        seed(&mut st, "ila", "X_1%", "weak", &[], None);
        st.set_status(&a, Status::InReview, None, "r").unwrap();

        let unit = QueueFilter {
            unit: Some("ILA".into()),
            ..QueueFilter::default()
        };
        assert_eq!(st.queue_page(&unit, 0, 10).unwrap().len(), 2);
        let counts = st.queue_counts(&unit).unwrap();
        assert_eq!(counts.of(Status::New), 1);
        assert_eq!(counts.of(Status::InReview), 1);
        assert_eq!(counts.matching(None), 2);
        assert_eq!(counts.by_status.len(), Status::ALL.len());

        let search = QueueFilter {
            person: Some("2026".into()),
            status: Some(Status::New),
            ..QueueFilter::default()
        };
        assert_eq!(
            people(&st.queue_page(&search, 0, 10).unwrap()),
            ["B-2026-200"]
        );
        assert_eq!(
            st.queue_counts(&search)
                .unwrap()
                .matching(Some(Status::New)),
            1
        );

        // Wildcards typed in a search are literal.
        let literal = QueueFilter {
            person: Some("_1%".into()),
            ..QueueFilter::default()
        };
        assert_eq!(people(&st.queue_page(&literal, 0, 10).unwrap()), ["X_1%"]);
        let pct = QueueFilter {
            person: Some("%".into()),
            ..QueueFilter::default()
        };
        assert_eq!(st.queue_page(&pct, 0, 10).unwrap().len(), 1);

        let outcome = QueueFilter {
            outcome: Some("weak".into()),
            ..QueueFilter::default()
        };
        assert_eq!(people(&st.queue_page(&outcome, 0, 10).unwrap()), ["X_1%"]);

        let choices = st.queue_choices().unwrap();
        assert_eq!(choices.outcomes, ["strong", "weak"]);
        // "Ila" and "ila" are one unit, as the filter treats them.
        assert_eq!(choices.units.len(), 2);
    }

    #[test]
    fn keyset_pages_follow_the_offset_pages() {
        let mut st = Store::in_memory().unwrap();
        for i in 0..7 {
            let flags: &[&str] = if i % 3 == 0 { &["acute_danger"] } else { &[] };
            let release = (i % 2 == 0).then_some("2027-02-01");
            seed(&mut st, "Ila", &format!("P-{i}"), "s", flags, release);
        }
        let all = st.queue_page(&QueueFilter::default(), 0, 100).unwrap();
        let mut by_key = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = st
                .queue_page_after(&QueueFilter::default(), after.as_deref(), 3)
                .unwrap();
            let Some(last) = page.last() else { break };
            after = Some(last.id.clone());
            by_key.extend(page);
        }
        assert_eq!(by_key, all);
        let err = st
            .queue_page_after(&QueueFilter::default(), Some("nope"), 3)
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    }

    #[test]
    fn status_changes_move_the_row() {
        let mut st = Store::in_memory().unwrap();
        let a = seed(&mut st, "Ila", "A", "s", &[], None);
        seed(&mut st, "Ila", "B", "s", &[], None);
        st.set_status(&a, Status::Closed, Some("moot"), "r")
            .unwrap();
        let rows = st.queue_page(&QueueFilter::default(), 0, 10).unwrap();
        assert_eq!(people(&rows), ["B", "A"]);
        let closed = QueueFilter {
            status: Some(Status::Closed),
            ..QueueFilter::default()
        };
        assert_eq!(people(&st.queue_page(&closed, 0, 10).unwrap()), ["A"]);
    }
}
