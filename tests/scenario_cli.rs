//! `rosa-screen questionnaire test` through the real binary: passing and failing cases, exit
//! codes, and the one-sentence errors for unreadable or broken files. Also the same example
//! scenario run in-process, through the library.

// Test helpers panic on failure by design: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use assert_cmd::cargo::cargo_bin_cmd;
use rosa_screen::commands::scenario::run_files_to;
use rosa_screen::questionnaire::scenario::ScenarioFile;
use rosa_screen::questionnaire::{load, open};
use rosa_screen::screening::scenario::run_scenario;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/examples")
}

/// Runs `questionnaire test` with the arguments; returns (exit code, stdout, stderr).
fn run(args: &[&Path]) -> (Option<i32>, String, String) {
    let out = cargo_bin_cmd!("rosa-screen")
        .args(["questionnaire", "test"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A temporary folder with a copy of the example questionnaire and the given scenario text.
fn scenario_dir(scenario: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        examples().join("small-screening.yaml"),
        dir.path().join("small-screening.yaml"),
    )
    .unwrap();
    let file = dir.path().join("case.tests.yaml");
    std::fs::write(&file, scenario).unwrap();
    (dir, file)
}

#[test]
fn the_example_scenarios_pass() {
    let (code, stdout, stderr) = run(&[&examples().join("small-screening.tests.yaml")]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    insta::assert_snapshot!(stdout, @r"
    pass: declining to talk ends the conversation
    pass: all three dimensions present
    pass: a possible minor is flagged whatever the answers
    3 passed, 0 failed
    ");
    assert_eq!(stderr, "");
}

const FAILING: &str = r"questionnaire: small-screening.yaml
cases:
  - name: wrong outcome
    answers: {age_estimate: 30, agrees: no}
    expect: {outcome: strong_indication}
  - name: a required question without an answer
    answers: {age_estimate: 30, agrees: yes}
  - name: an answer for a question never asked
    answers: {age_estimate: 30, agrees: no, came_for_job: yes}
  - name: an answer the question cannot take
    answers: {age_estimate: 130, agrees: no}
  - name: a special answer that is not allowed
    answers: {age_estimate: 30, agrees: declined}
  - name: a boolean instead of yes
    answers: {age_estimate: 30, agrees: true}
  - name: wrong raised and flags
    answers: {age_estimate: 16, agrees: yes, came_for_job: no, who_arranged: others, wants_help: dont_know}
    expect: {outcome: some, raised: [travel_arranged, watched], flags: []}
  - name: wrong asked order
    answers: {age_estimate: 30, agrees: no}
    expect: {asked: [agrees, age_estimate]}
  - name: still passing
    answers: {age_estimate: 30, agrees: no}
    expect: {outcome: declined_talk, raised: [], flags: [], positive: [], asked: [age_estimate, agrees]}
";

#[test]
fn failing_cases_name_the_first_difference_and_exit_1() {
    let (dir, file) = scenario_dir(FAILING);
    let (code, stdout, stderr) = run(&[&file]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert_eq!(stderr, "");
    // Failures about an answer name its line in the scenario file (in a temporary folder).
    let stdout = stdout.replace(&dir.path().display().to_string(), "DIR");
    insta::assert_snapshot!(stdout);
}

#[test]
fn problems_with_a_cases_answers_name_their_line_and_column() {
    let (dir, file) = scenario_dir(
        "questionnaire: small-screening.yaml
cases:
  - name: wrong choice
    answers:
      age_estimate: 30
      agrees: yes
      came_for_job: yes
      job_matched: no
      who_arranged: otters
  - name: unknown question
    answers:
      age_estimate: 30
      agrees: no
      agrese: no
  - name: wrong type
    answers:
      age_estimate: thirty
      agrees: no
  - name: missing answer
    answers:
      age_estimate: 30
",
    );
    let (code, stdout, stderr) = run(&[&file]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    let stdout = stdout.replace(&dir.path().display().to_string(), "DIR");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "FAIL: wrong choice: DIR/case.tests.yaml:9:21: `otters` is not a choice of question `who_arranged`; its choices are 1 `self`, 2 `others`; did you mean `others`?",
            "FAIL: unknown question: DIR/case.tests.yaml:14:7: the case answers `agrese`, but the questionnaire has no question `agrese`; did you mean `agrees`?",
            "FAIL: wrong type: DIR/case.tests.yaml:17:21: `thirty` is not a number; question `age_estimate` takes a number such as 14 or 1.5",
            "FAIL: missing answer: DIR/case.tests.yaml:20:5: asked `agrees` but the case gives no answer",
            "0 passed, 4 failed",
        ]
    );
}

#[test]
fn an_unknown_key_in_expect_names_expect() {
    let (_dir, file) = scenario_dir(
        "questionnaire: small-screening.yaml\ncases:\n  - name: typo\n    answers: {age_estimate: 30, agrees: no}\n    expect:\n      outcom: declined_talk\n",
    );
    let (code, _, stderr) = run(&[&file]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("case.tests.yaml:6:7: error[schema] unknown field `outcom` in `expect:`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `outcome`?"), "{stderr}");
}

#[test]
fn several_files_give_one_total() {
    let (_dir, file) = scenario_dir(FAILING);
    let (code, stdout, _) = run(&[&examples().join("small-screening.tests.yaml"), &file]);
    assert_eq!(code, Some(1));
    assert!(stdout.ends_with("4 passed, 8 failed\n"), "{stdout}");
}

#[test]
fn an_unreadable_scenario_file_exits_2() {
    let (code, stdout, stderr) = run(&[Path::new("/nonexistent/x.tests.yaml")]);
    assert_eq!(code, Some(2));
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "rosa-screen: cannot read `/nonexistent/x.tests.yaml`: there is no such file\n"
    );
}

#[test]
fn an_unknown_key_in_a_scenario_file_exits_2_naming_the_line() {
    let (dir, file) = scenario_dir(
        "questionnaire: small-screening.yaml\ncases:\n  - name: typo\n    answers: {agrees: no}\n    expcet: {outcome: declined_talk}\n",
    );
    let (code, stdout, stderr) = run(&[&file]);
    assert_eq!(code, Some(2));
    assert_eq!(stdout, "");
    let stderr = stderr.replace(&dir.path().display().to_string(), "DIR");
    assert!(
        stderr.starts_with("rosa-screen: DIR/case.tests.yaml:5"),
        "{stderr}"
    );
    assert!(stderr.contains("expcet"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_missing_questionnaire_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.tests.yaml");
    std::fs::write(&file, "questionnaire: nowhere.yaml\ncases: []\n").unwrap();
    let (code, _, stderr) = run(&[&file]);
    assert_eq!(code, Some(2));
    let stderr = stderr.replace(&dir.path().display().to_string(), "DIR");
    assert_eq!(
        stderr,
        "rosa-screen: cannot read `DIR/nowhere.yaml`: there is no such file (the questionnaire named by DIR/x.tests.yaml)\n"
    );
}

#[test]
fn a_questionnaire_with_lint_errors_prints_its_findings_and_exits_2() {
    let (dir, file) = scenario_dir("questionnaire: small-screening.yaml\ncases: []\n");
    let q = dir.path().join("small-screening.yaml");
    let text = std::fs::read_to_string(&q)
        .unwrap()
        .replace("when: \"hours > 12\"", "when: \"hourz > 12\"");
    std::fs::write(&q, text).unwrap();
    let (code, stdout, stderr) = run(&[&file]);
    assert_eq!(code, Some(2));
    assert_eq!(stdout, "");
    let stderr = stderr.replace(&dir.path().display().to_string(), "DIR");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].starts_with("DIR/small-screening.yaml:") && lines[0].contains("unknown-reference"),
        "{stderr}"
    );
    assert_eq!(
        lines[1],
        "rosa-screen: the questionnaire DIR/small-screening.yaml has 1 lint error; fix it before running DIR/case.tests.yaml"
    );
}

#[test]
fn the_example_scenarios_pass_in_process() {
    let dir = examples();
    let qtext = std::fs::read_to_string(dir.join("small-screening.yaml")).unwrap();
    let q = Arc::new(open(&qtext, "small-screening.yaml").unwrap());
    let stext = std::fs::read_to_string(dir.join("small-screening.tests.yaml")).unwrap();
    let scenario: ScenarioFile = load::from_yaml(&stext, "small-screening.tests.yaml").unwrap();
    let reports = run_scenario(&q, &scenario);
    assert_eq!(reports.len(), 3);
    for r in &reports {
        assert_eq!(r.failure, None, "{}", r.line());
    }

    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = run_files_to(
        &[dir.join("small-screening.tests.yaml")],
        &mut out,
        &mut err,
    );
    assert_eq!(code, Ok(std::process::ExitCode::SUCCESS));
    assert!(String::from_utf8_lossy(&out).ends_with("3 passed, 0 failed\n"));
    assert!(err.is_empty());
}
