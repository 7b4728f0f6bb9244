//! `rosa-screen referrals`: list, show, set-status, note.
//!
//! Actions are recorded in the audit log under the login name of whoever runs the program
//! (`store::review_actor`); without one they are refused.
//! Showing a referral is recorded as `viewed` (`exported` for `--json`/`--markdown`); listing is
//! not recorded, because a list shows no answers.

use std::process::ExitCode;

use super::{CmdResult, Failure};
use super::{print_json, print_out};
use crate::cli::{OutputFormat, ReferralsCommand};
use crate::questionnaire::Questionnaire;
use crate::report::{self, Style};
use crate::settings::Settings;
use crate::store::{self, ReferralDetail, ReferralFilter, ReferralRow, Status};

/// Runs `referrals ...`.
pub fn run(settings: &Settings, cmd: &ReferralsCommand) -> CmdResult {
    match cmd {
        ReferralsCommand::List {
            status,
            unit,
            since,
            format,
            json,
            limit,
            after,
        } => {
            let filter = ReferralFilter {
                status: status.as_deref().map(parse_status).transpose()?,
                unit: unit.clone(),
                since: since
                    .as_deref()
                    .map(|s| {
                        s.parse::<jiff::civil::Date>().map_err(|_| {
                            Failure::usage(format!(
                                "--since `{s}` is not a date; write it as YYYY-MM-DD"
                            ))
                        })
                    })
                    .transpose()?,
            };
            let store = super::open_existing_store(settings)?;
            let after = after
                .as_deref()
                .map(|a| store.resolve_referral(a))
                .transpose()?;
            let chosen = OutputFormat::chosen(*format, *json);
            if limit.is_none() && after.is_none() {
                // Scripts rely on a plain list of every match (product.md).
                let rows = store.referrals(&filter)?;
                match chosen {
                    OutputFormat::Json => print_json(&rows)?,
                    OutputFormat::Csv => print_out(&list_csv(&rows)?)?,
                    OutputFormat::Text => {
                        let labels = store.handoff_labels()?;
                        let show = settings.site == Some(crate::settings::Site::Prison)
                            || !labels.is_empty();
                        print_out(&list_text_with(&rows, show.then_some(&labels)))?;
                    }
                }
                return Ok(ExitCode::SUCCESS);
            }
            let page =
                store.referrals_page(&filter, after.as_deref(), limit.unwrap_or(u32::MAX))?;
            match chosen {
                // The page with its total and the id to continue after.
                OutputFormat::Json => print_json(&page)?,
                // CSV holds rows only; the total and the next page go to stderr.
                OutputFormat::Csv => {
                    print_out(&list_csv(&page.referrals)?)?;
                    super::print_err(page_footer(&page).trim_end());
                }
                OutputFormat::Text => {
                    print_out(&list_text(&page.referrals))?;
                    print_out(&page_footer(&page))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        ReferralsCommand::Show { id, json, markdown } => {
            let mut store = super::open_existing_store(settings)?;
            let id = store.resolve_referral(id)?;
            let mut detail = store.referral(&id)?;
            // Every output names the answers a `when` read, also for older screenings that
            // stored none (the text and Markdown summaries do this in `report::render`).
            let q = snapshot(&detail);
            report::fill_evidence(&mut detail, q.as_ref());
            let actor = store::review_actor()?;
            if *json {
                store.record_export(&id, &actor, "json")?;
                let handoff = store.handoff_state(&id)?;
                let arrival = store.arrival(&id)?;
                print_json(&ShowJson {
                    detail: &detail,
                    handoff,
                    arrival,
                })?;
                return Ok(ExitCode::SUCCESS);
            }
            let out = {
                let q = snapshot(&detail);
                let lang = settings
                    .lang_code()
                    .filter(|l| {
                        q.as_ref()
                            .is_some_and(|q| q.languages.iter().any(|x| x == l))
                    })
                    .map_or_else(|| report_language(q.as_ref(), &detail), str::to_owned);
                if *markdown {
                    store.record_export(&id, &actor, "markdown")?;
                    report::render(&detail, q.as_ref(), &lang, Style::Markdown)
                } else {
                    store.record_view(&id, &actor)?;
                    report::render(&detail, q.as_ref(), &lang, Style::Text)
                }
            };
            print_out(out.trim_end())?;
            print_out("\n")?;
            Ok(ExitCode::SUCCESS)
        }
        ReferralsCommand::SetStatus { id, status, note } => {
            let to = parse_status(status)?;
            let actor = store::review_actor()?;
            let mut store = super::open_existing_store(settings)?;
            let id = store.resolve_referral(id)?;
            let from = store.set_status(&id, to, note.as_deref(), &actor)?;
            print_out(&format!("referral: {id}\n"))?;
            print_out(&format!("status: {from} -> {to}\n"))?;
            Ok(ExitCode::SUCCESS)
        }
        ReferralsCommand::Withdraw {
            id,
            note,
            out,
            to,
            key,
        } => super::handoff::withdraw(
            settings,
            id,
            note,
            out.as_deref(),
            to.as_deref(),
            key.as_deref(),
        ),
        ReferralsCommand::Note { id, text } => {
            let actor = store::review_actor()?;
            let mut store = super::open_existing_store(settings)?;
            let id = store.resolve_referral(id)?;
            store.add_note(&id, text, &actor)?;
            print_out(&format!("referral: {id}\n"))?;
            print_out("note: added\n")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `referrals show --json`: the referral, and where it stands between the sites (the
/// hand-off state at the prison that made it; where and when it arrived at ROSA).
#[derive(serde::Serialize)]
struct ShowJson<'a> {
    #[serde(flatten)]
    detail: &'a ReferralDetail,
    #[serde(skip_serializing_if = "Option::is_none")]
    handoff: Option<store::HandoffState>,
    #[serde(skip_serializing_if = "Option::is_none")]
    arrival: Option<store::Arrival>,
}

fn parse_status(s: &str) -> Result<Status, Failure> {
    s.parse::<Status>().map_err(Failure::usage)
}

/// The questionnaire the screening was asked with, from its stored snapshot.
fn snapshot(d: &ReferralDetail) -> Option<Questionnaire> {
    d.screening.questionnaire_snapshot().ok()
}

/// English when the questionnaire has it (ROSA's staff work in both), else its first language.
fn report_language(q: Option<&Questionnaire>, d: &ReferralDetail) -> String {
    match q {
        Some(q) if q.languages.iter().any(|l| l == "en") => "en".to_owned(),
        Some(q) => q.default_language().to_owned(),
        None => d.screening.language.clone(),
    }
}

/// The line under a page: how many of how many, and how to ask for the next page.
fn page_footer(page: &store::ReferralPage) -> String {
    let shown = page.referrals.len();
    match &page.next_after {
        Some(next) => format!(
            "{shown} shown of {} matching; next page: --after {next}\n",
            page.total
        ),
        None => format!(
            "{shown} shown of {} matching; this is the last page\n",
            page.total
        ),
    }
}

/// The columns of `referrals list --format csv` that come first, in this order; any other field
/// of the JSON rows follows in name order, so a field added to the list is never left out.
const CSV_LEAD: [&str; 12] = [
    "id",
    "status",
    "created_at",
    "updated_at",
    "screening_id",
    "unit",
    "person",
    "outcome",
    "consent",
    "release_date",
    "expulsion",
    "flags",
];

/// The list as CSV for a spreadsheet: a header, then one referral a row, with the fields and
/// values of `--format json` (a missing value is an empty cell, a list such as `flags` is
/// joined with `;`). Built from the JSON rows, so both always agree.
///
/// # Errors
/// A [`Failure`] when a row cannot be written (a nested value CSV cannot hold).
pub fn list_csv(rows: &[ReferralRow]) -> Result<String, Failure> {
    use serde_json::Value;
    let fail =
        |e: &dyn std::fmt::Display| Failure::found(format!("cannot write the list as CSV: {e}"));
    let values: Vec<serde_json::Map<String, Value>> = rows
        .iter()
        .map(|r| match serde_json::to_value(r) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => Err(fail(&"a referral is not a record")),
            Err(e) => Err(fail(&e)),
        })
        .collect::<Result<_, _>>()?;
    let mut header: Vec<String> = CSV_LEAD.iter().map(|s| (*s).to_owned()).collect();
    let mut rest: Vec<String> = values
        .iter()
        .flat_map(|m| m.keys())
        .filter(|k| !CSV_LEAD.contains(&k.as_str()))
        .cloned()
        .collect();
    rest.sort();
    rest.dedup();
    header.extend(rest);
    let cell = |v: Option<&Value>| -> Result<String, Failure> {
        Ok(match v {
            None | Some(Value::Null) => String::new(),
            // Stored text is data: bidi controls shown like control characters (line breaks
            // stay, quoted as CSV allows).
            Some(Value::String(s)) => crate::sanitize::visible(s).into_owned(),
            Some(Value::Bool(b)) => b.to_string(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| match i {
                    Value::String(s) => Ok(crate::sanitize::visible(s).into_owned()),
                    other => Err(fail(&format!("a list holds `{other}`"))),
                })
                .collect::<Result<Vec<_>, _>>()?
                .join(";"),
            Some(Value::Object(_)) => return Err(fail(&"a field holds a record")),
        })
    };
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(&header).map_err(|e| fail(&e))?;
    for m in &values {
        let record = header
            .iter()
            .map(|h| cell(m.get(h)))
            .collect::<Result<Vec<_>, _>>()?;
        w.write_record(&record).map_err(|e| fail(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| fail(&e))?;
    String::from_utf8(bytes).map_err(|e| fail(&e))
}

/// The list as aligned columns, one referral a line, with a header.
#[must_use]
pub fn list_text(rows: &[ReferralRow]) -> String {
    list_text_with(rows, None)
}

/// As [`list_text`], with a HANDOFF column when `handoff` is given: at a prison `waiting`,
/// `sealed`, `delivered` or `withdrawn (notice ...)`; at ROSA `arrived DATE` for an imported
/// referral ([`crate::store::Store::handoff_labels`]). An anonymous referral's person shows
/// as `(anonymous)`.
#[must_use]
pub fn list_text_with(
    rows: &[ReferralRow],
    handoff: Option<&std::collections::HashMap<String, String>>,
) -> String {
    if rows.is_empty() {
        return "no referrals\n".to_owned();
    }
    let mut header = vec![
        "ID", "STATUS", "MADE", "UNIT", "PERSON", "OUTCOME", "RELEASE", "FLAGS",
    ];
    if handoff.is_some() {
        header.push("HANDOFF");
    }
    // Stored text is shown as data: a control character, line break or bidi control in a
    // typed field is shown as an escape and cannot break the columns or act on the terminal.
    let cell = |s: &str| crate::sanitize::visible_line(s).into_owned();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut cells = vec![
                cell(&r.id),
                r.status.to_string(),
                cell(r.created_at.get(..10).unwrap_or(&r.created_at)),
                cell(&r.unit),
                if r.consent == crate::store::Consent::Anonymous && r.person.is_empty() {
                    "(anonymous)".to_owned()
                } else {
                    cell(&r.person)
                },
                cell(&r.outcome),
                r.release_date
                    .as_deref()
                    .map_or_else(|| "-".to_owned(), cell),
                if r.flags.is_empty() {
                    "-".to_owned()
                } else {
                    cell(&r.flags.join(","))
                },
            ];
            if let Some(h) = handoff {
                cells.push(
                    h.get(&r.id)
                        .cloned()
                        .unwrap_or_else(|| "waiting".to_owned()),
                );
            }
            cells
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in &table {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut push = |cells: &[&str]| {
        let line: Vec<String> = cells
            .iter()
            .zip(widths.iter().copied())
            .map(|(c, w)| super::pad(c, w))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    };
    push(&header);
    for row in &table {
        push(&row.iter().map(String::as_str).collect::<Vec<_>>());
    }
    out
}
