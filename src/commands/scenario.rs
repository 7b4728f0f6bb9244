//! `rosa-screen questionnaire test FILE...`: reads scenario files and their questionnaires,
//! runs every case with the pure runner of [`crate::screening::scenario`], and prints one line
//! per case and the `N passed, N failed` line.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use super::{CmdResult, Failure, Out, Purpose, open_questionnaire};
use crate::questionnaire::Questionnaire;
use crate::questionnaire::load;
use crate::questionnaire::scenario::ScenarioFile;
use crate::screening::scenario::{AnswerAt, run_scenario};

/// Runs `questionnaire test FILE...`: one line per case on stdout, then `N passed, N failed`.
/// Exit 0 when every case passes, 1 when any fails.
///
/// # Errors
/// Exit 2 when a scenario file or its questionnaire cannot be read, or the questionnaire has
/// lint errors (its findings are printed on stderr first).
pub fn run_files(files: &[PathBuf]) -> CmdResult {
    run_files_to(
        files,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    )
}

/// [`run_files`] writing to the given streams (for tests), through the one writer: a reader
/// that went away ends the output, not the command, which still exits with what the cases
/// earned.
///
/// # Errors
/// As [`run_files`].
pub fn run_files_to(files: &[PathBuf], out: &mut dyn Write, err: &mut dyn Write) -> CmdResult {
    let mut out = Out::new(out);
    let mut err = Out::quiet(err);
    let mut scenarios = Vec::new();
    // Everything is loaded first, so an unreadable file stops the command before any case
    // runs rather than after half the output.
    for file in files {
        scenarios.push(load_scenario(file, &mut err)?);
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for (q, scenario, at) in &scenarios {
        for (i, mut report) in run_scenario(q, scenario).into_iter().enumerate() {
            // A failure about one of the case's answers names the line of that answer.
            if let (Some(why), Some(place)) = (&report.failure, &report.at) {
                let case = i.to_string();
                let (question, key) = match place {
                    AnswerAt::Block => (None, true),
                    AnswerAt::Value(q) => (Some(q.as_str()), false),
                    AnswerAt::Key(q) => (Some(q.as_str()), true),
                };
                let mut path = vec!["cases", case.as_str(), "answers"];
                path.extend(question);
                report.failure = Some(at.message(&path, key, why));
            }
            if report.failure.is_some() {
                failed += 1;
            } else {
                passed += 1;
            }
            out.line(&crate::sanitize::visible_line(&report.line()))?;
        }
    }
    out.line(&format!("{passed} passed, {failed} failed"))?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Reads a scenario file and opens (loads and lints) its questionnaire, named relative to the
/// scenario file.
fn load_scenario<W: Write>(
    file: &Path,
    err: &mut Out<W>,
) -> Result<(Arc<Questionnaire>, ScenarioFile, load::Positions), Failure> {
    let name = file.display().to_string();
    let text = load::read_file(file).map_err(Failure::usage)?;
    let scenario: ScenarioFile =
        load::from_yaml(&text, &name).map_err(|finding| Failure::usage(finding.to_line()))?;
    let qpath = file
        .parent()
        .unwrap_or_else(|| Path::new(""))
        .join(&scenario.questionnaire);
    let q = open_questionnaire(Some(&qpath), Purpose::Scenario(&name), err)?;
    Ok((Arc::new(q), scenario, load::Positions::of(&text, &name)))
}
