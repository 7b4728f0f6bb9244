//! `rosa-screen stats`.

use std::process::ExitCode;

use super::print_out;
use super::{CmdResult, Failure, db};
use crate::cli::StatsArgs;
use crate::settings::Settings;
use crate::store::{Count, Stats};

/// Runs `stats`: the figures of one year (default: this year, UTC).
pub fn run(settings: &Settings, args: &StatsArgs) -> CmdResult {
    let year = match args.year {
        Some(y) => i16::try_from(y)
            .ok()
            .filter(|y| (1900..=9999).contains(y))
            .ok_or_else(|| {
                Failure::usage(format!("--year {y} is not a year between 1900 and 9999"))
            })?,
        // RFC 3339 in UTC starts with the four-digit year.
        None => jiff::Timestamp::now()
            .to_string()
            .get(..4)
            .and_then(|y| y.parse().ok())
            .ok_or_else(|| Failure::found("cannot tell the current year from the clock"))?,
    };
    let store = db::open_existing(settings.db.as_deref())?;
    let stats = store.stats(year)?;
    if args.json {
        let json = serde_json::to_string_pretty(&stats)
            .map_err(|e| Failure::found(format!("cannot write the figures as JSON: {e}")))?;
        print_out(&format!("{json}\n"))?;
    } else {
        print_out(&text(&stats))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The figures as text, one block per breakdown.
#[must_use]
pub fn text(s: &Stats) -> String {
    let mut out = format!(
        "year: {}\nscreenings: {}\nfinished: {}\nreferrals: {}\n",
        s.year, s.screenings, s.finished, s.referrals
    );
    for (title, counts) in [
        ("outcomes", &s.outcomes),
        ("referral statuses", &s.statuses),
        ("screenings by unit", &s.units),
        ("referrals by unit", &s.referrals_by_unit),
        ("gender", &s.genders),
        ("nationality", &s.nationalities),
        ("flags", &s.flags),
        ("indicators", &s.indicators),
    ] {
        out.push_str(&block(title, counts));
    }
    out
}

fn block(title: &str, counts: &[Count]) -> String {
    let mut out = format!("\n{title}:\n");
    if counts.is_empty() {
        out.push_str("  (none)\n");
    }
    let width = counts
        .iter()
        .map(|c| c.key.chars().count())
        .max()
        .unwrap_or(0);
    for c in counts {
        out.push_str(&format!("  {:<width$}  {}\n", c.key, c.count));
    }
    out
}
