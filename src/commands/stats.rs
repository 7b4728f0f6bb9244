//! `rosa-screen stats`.

use std::process::ExitCode;

use super::{CmdResult, Failure};
use super::{print_json, print_out};
use crate::cli::{OutputFormat, StatsArgs};
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
    let store = super::open_existing_store(settings)?;
    let stats = store.stats(year)?;
    match OutputFormat::chosen(args.format, args.json) {
        OutputFormat::Json => print_json(&stats)?,
        OutputFormat::Csv => print_out(&csv(&stats)?)?,
        OutputFormat::Text => print_out(&text(&stats))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The figures as CSV for a spreadsheet, one figure a row: `year,section,key,count`. The
/// totals are in section `total` (keys `screenings`, `finished`, `referrals`...); each
/// breakdown's rows carry its JSON name as section (`outcomes`, `flags`...). Built from the
/// JSON value, so every figure of `--format json` is here with the same number.
///
/// # Errors
/// A [`Failure`] when a figure has a shape CSV cannot hold (tests keep that from happening).
pub fn csv(s: &Stats) -> Result<String, Failure> {
    let fail =
        |e: &dyn std::fmt::Display| Failure::found(format!("cannot write the figures as CSV: {e}"));
    let value = serde_json::to_value(s).map_err(|e| fail(&e))?;
    let serde_json::Value::Object(fields) = value else {
        return Err(fail(&"they are not a record"));
    };
    let year = s.year.to_string();
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(["year", "section", "key", "count"])
        .map_err(|e| fail(&e))?;
    // Totals first, in the order of the JSON; then each breakdown.
    for (name, v) in &fields {
        if name != "year"
            && let serde_json::Value::Number(n) = v
        {
            w.write_record([year.as_str(), "total", name, &n.to_string()])
                .map_err(|e| fail(&e))?;
        }
    }
    for (name, v) in &fields {
        match v {
            serde_json::Value::Number(_) => {}
            serde_json::Value::Array(counts) => {
                for c in counts {
                    let key = c.get("key").and_then(serde_json::Value::as_str);
                    let count = c.get("count").and_then(serde_json::Value::as_u64);
                    let (Some(key), Some(count)) = (key, count) else {
                        return Err(fail(&format!("`{name}` is not a list of counts")));
                    };
                    let key = crate::sanitize::visible(key);
                    w.write_record([year.as_str(), name, &key, &count.to_string()])
                        .map_err(|e| fail(&e))?;
                }
            }
            _ => return Err(fail(&format!("`{name}` is neither a number nor a list"))),
        }
    }
    let bytes = w.into_inner().map_err(|e| fail(&e))?;
    String::from_utf8(bytes).map_err(|e| fail(&e))
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
    // Keys are stored text (units, nationalities): shown as data, on one line each.
    let keys: Vec<String> = counts
        .iter()
        .map(|c| crate::sanitize::visible_line(&c.key).into_owned())
        .collect();
    let width = keys.iter().map(|k| k.chars().count()).max().unwrap_or(0);
    for (key, c) in keys.iter().zip(counts) {
        out.push_str(&format!("  {}  {}\n", super::pad(key, width), c.count));
    }
    out
}
