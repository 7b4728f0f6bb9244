//! The built-in questionnaire and its scenario file, checked through the real binary exactly as
//! a trainer would: `questionnaire lint` must find nothing at all (no errors and no warnings),
//! and every scenario in `questionnaire test` must pass. A last test proves the scenario run is
//! not vacuous: a case with a wrong expectation must fail.

use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;

fn questionnaires_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("questionnaires")
}

fn questionnaire() -> PathBuf {
    questionnaires_dir().join("prison-screening.yaml")
}

fn scenarios() -> PathBuf {
    questionnaires_dir().join("prison-screening.tests.yaml")
}

/// The number of cases in the scenario file, counted from its text so that adding a case does
/// not need this test to change.
fn case_count(text: &str) -> usize {
    text.lines()
        .filter(|l| l.trim_start().starts_with("- name:"))
        .count()
}

#[test]
fn lint_finds_nothing_in_text_form() {
    let out = cargo_bin_cmd!("rosa-screen")
        .args(["questionnaire", "lint"])
        .arg(questionnaire())
        .output()
        .expect("run rosa-screen");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "lint failed ({:?}):\n{stdout}\n{stderr}",
        out.status.code()
    );
    // Findings print as `file:line:col: warning[code] ...` or `error[code]`; the closing
    // summary ("0 errors, 0 warnings") has no bracket, so it does not count.
    let all = format!("{stdout}{stderr}");
    assert!(
        !all.contains("warning[") && !all.contains("error["),
        "lint reported findings:\n{stdout}\n{stderr}"
    );
}

#[test]
fn lint_finds_nothing_in_json_form() {
    let out = cargo_bin_cmd!("rosa-screen")
        .args(["questionnaire", "lint", "--format", "json"])
        .arg(questionnaire())
        .output()
        .expect("run rosa-screen");
    assert!(out.status.success(), "lint failed: {out:?}");
    let findings: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("lint --format json prints JSON");
    assert_eq!(
        findings,
        serde_json::json!([]),
        "the built-in questionnaire must lint clean"
    );
}

#[test]
fn every_scenario_passes() {
    let text = std::fs::read_to_string(scenarios()).expect("read the scenario file");
    let cases = case_count(&text);
    assert!(cases >= 16, "at least 16 scenarios, found {cases}");
    let out = cargo_bin_cmd!("rosa-screen")
        .args(["questionnaire", "test"])
        .arg(scenarios())
        .output()
        .expect("run rosa-screen");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "scenarios failed ({:?}):\n{stdout}\n{stderr}",
        out.status.code()
    );
    assert!(
        stdout.contains(&format!("{cases} passed, 0 failed")),
        "expected all {cases} cases to pass:\n{stdout}\n{stderr}"
    );
}

#[test]
fn a_wrong_expectation_fails_the_run() {
    // Copy both files, then make one expectation wrong: observations alone must never give a
    // recommended referral, so claiming `possible_indication` there has to fail.
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::copy(questionnaire(), dir.path().join("prison-screening.yaml"))
        .expect("copy the questionnaire");
    let text = std::fs::read_to_string(scenarios()).expect("read the scenario file");
    let marker = "outcome: some_signs              # referral offered, not recommended";
    assert!(
        text.contains(marker),
        "the observation-only case is where this test expects it"
    );
    let broken = text.replacen(marker, "outcome: possible_indication", 1);
    let path = dir.path().join("prison-screening.tests.yaml");
    std::fs::write(&path, broken).expect("write the changed scenario file");

    let out = cargo_bin_cmd!("rosa-screen")
        .args(["questionnaire", "test"])
        .arg(&path)
        .output()
        .expect("run rosa-screen");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failed case exits 1:\n{stdout}"
    );
    let cases = case_count(&text);
    assert!(
        stdout.contains(&format!("{} passed, 1 failed", cases - 1)),
        "exactly one case fails:\n{stdout}"
    );
}
