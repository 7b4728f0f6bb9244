//! Yearly figures like those of ROSA's annual report.

use serde::Serialize;

use super::{Store, StoreError};

/// How many of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// The value counted (an outcome id, a status, a unit...).
    pub key: String,
    /// How many.
    pub count: u64,
}

/// The figures for one year. Screenings count by the day they started, referrals by the day
/// they were made (UTC); lists are sorted by count, largest first, then by key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// The year.
    pub year: i16,
    /// Screenings started.
    pub screenings: u64,
    /// Of those, finished.
    pub finished: u64,
    /// Referrals made.
    pub referrals: u64,
    /// Finished screenings by outcome.
    pub outcomes: Vec<Count>,
    /// Referrals by current status.
    pub statuses: Vec<Count>,
    /// Screenings by unit.
    pub units: Vec<Count>,
    /// Referrals by unit.
    pub referrals_by_unit: Vec<Count>,
    /// Screenings by gender.
    pub genders: Vec<Count>,
    /// Screenings by nationality.
    pub nationalities: Vec<Count>,
    /// Finished screenings that raised each flag.
    pub flags: Vec<Count>,
    /// Finished screenings that raised each indicator.
    pub indicators: Vec<Count>,
}

impl Store {
    /// The figures for `year`: the rows still held plus what purged screenings left in
    /// `purged_counts`, so a purge never changes them.
    pub fn stats(&self, year: i16) -> Result<Stats, StoreError> {
        let mut s = self.live_stats(year)?;
        self.add_purged(&mut s)?;
        Ok(s)
    }

    /// Adds the counts folded in by purges (src/store/handoff.rs) to the live figures.
    fn add_purged(&self, s: &mut Stats) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT measure, key, count FROM purged_counts WHERE year = ?1")
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([i64::from(s.year)], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                ))
            })
            .map_err(|e| self.sql(e))?;
        let mut touched = false;
        for row in rows {
            let (measure, key, n) = row.map_err(|e| self.sql(e))?;
            touched = true;
            let list = match measure.as_str() {
                "screenings" => {
                    s.screenings += n;
                    continue;
                }
                "finished" => {
                    s.finished += n;
                    continue;
                }
                "referrals" => {
                    s.referrals += n;
                    continue;
                }
                "outcome" => &mut s.outcomes,
                "status" => &mut s.statuses,
                "unit" => &mut s.units,
                "referral_unit" => &mut s.referrals_by_unit,
                "gender" => &mut s.genders,
                "nationality" => &mut s.nationalities,
                "flag" => &mut s.flags,
                "indicator" => &mut s.indicators,
                _ => continue,
            };
            match list.iter_mut().find(|c| c.key == key) {
                Some(c) => c.count += n,
                None => list.push(Count { key, count: n }),
            }
        }
        if touched {
            for list in [
                &mut s.outcomes,
                &mut s.statuses,
                &mut s.units,
                &mut s.referrals_by_unit,
                &mut s.genders,
                &mut s.nationalities,
                &mut s.flags,
                &mut s.indicators,
            ] {
                // The order of the live query: largest first, then by key.
                list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
            }
        }
        Ok(())
    }

    /// The figures for `year` from the rows still held.
    fn live_stats(&self, year: i16) -> Result<Stats, StoreError> {
        let from = format!("{year:04}-01-01");
        let to = format!("{:04}-01-01", i32::from(year) + 1);
        let one = |sql: &str| -> Result<u64, StoreError> {
            self.conn
                .query_row(sql, [&from, &to], |r| r.get::<_, i64>(0))
                .map(|n| u64::try_from(n).unwrap_or(0))
                .map_err(|e| self.sql(e))
        };
        let many = |sql: &str| -> Result<Vec<Count>, StoreError> {
            let sql = format!("{sql} ORDER BY 2 DESC, 1");
            let mut stmt = self.conn.prepare(&sql).map_err(|e| self.sql(e))?;
            let rows = stmt
                .query_map([&from, &to], |r| {
                    Ok(Count {
                        key: r.get(0)?,
                        count: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                    })
                })
                .map_err(|e| self.sql(e))?;
            rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
        };
        const IN_YEAR: &str = "s.started_at >= ?1 AND s.started_at < ?2";
        const REF_IN_YEAR: &str = "r.created_at >= ?1 AND r.created_at < ?2";
        Ok(Stats {
            year,
            screenings: one(&format!(
                "SELECT count(*) FROM screenings s WHERE {IN_YEAR}"
            ))?,
            finished: one(&format!(
                "SELECT count(*) FROM screenings s WHERE {IN_YEAR} AND s.ended_at IS NOT NULL"
            ))?,
            referrals: one(&format!(
                "SELECT count(*) FROM referrals r WHERE {REF_IN_YEAR}"
            ))?,
            outcomes: many(&format!(
                "SELECT s.outcome, count(*) FROM screenings s
                 WHERE {IN_YEAR} AND s.outcome IS NOT NULL GROUP BY 1"
            ))?,
            statuses: many(&format!(
                "SELECT r.status, count(*) FROM referrals r WHERE {REF_IN_YEAR} GROUP BY 1"
            ))?,
            units: many(&format!(
                "SELECT s.unit, count(*) FROM screenings s WHERE {IN_YEAR} GROUP BY 1"
            ))?,
            referrals_by_unit: many(&format!(
                "SELECT s.unit, count(*) FROM referrals r JOIN screenings s ON s.id = r.screening_id
                 WHERE {REF_IN_YEAR} GROUP BY 1"
            ))?,
            genders: many(&format!(
                "SELECT s.gender, count(*) FROM screenings s WHERE {IN_YEAR} GROUP BY 1"
            ))?,
            nationalities: many(&format!(
                "SELECT s.nationality, count(*) FROM screenings s WHERE {IN_YEAR} GROUP BY 1"
            ))?,
            flags: many(&format!(
                "SELECT x.item, count(*) FROM raised x JOIN screenings s ON s.id = x.screening_id
                 WHERE {IN_YEAR} AND x.kind = 'flag' GROUP BY 1"
            ))?,
            indicators: many(&format!(
                "SELECT x.item, count(*) FROM raised x JOIN screenings s ON s.id = x.screening_id
                 WHERE {IN_YEAR} AND x.kind = 'indicator' GROUP BY 1"
            ))?,
        })
    }
}
