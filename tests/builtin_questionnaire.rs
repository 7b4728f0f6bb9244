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
    assert!(cases >= 40, "at least 40 scenarios, found {cases}");
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

/// The answers of a quiet conversation: an adult, a private room, nothing worrying said, and
/// none of the officer's observations yet (each case adds its own).
const QUIET: &str = "
      age_check: adult
      crisis_check: no
      private_room: yes
      interpreter: not_needed
      custody_status: sentenced
      release_timing: later
      expulsion: lawful_no_decision
      defence_lawyer: yes
      consent_to_talk: yes
      grew_up: abroad
      offered_work: no
      promised_papers: not_promised
      life_before: [none_of_these]
      earlier_exploitation: no
      partner_involved: no
      promises_broken: no
      journey_debt: no_debt
      oath_or_ritual: no
      harm_at_start: [none_of_these]
      go_on_after_background: go_on
      activities: [nothing_of_this]
      free_to_go_out: yes
      passport_holder: myself
      hurt_by_them: no
      threats: [no_threats]
      debt_to_them: no_debt
      told_what_to_say: no
      against_others: no
      if_you_left: [nothing_serious]
      afraid_of_police: not_afraid
      same_people: no
      knew_address: yes
      family_with_them: no
      go_on_after_control: go_on
      talk_or_lawyer: talk_now
      contact_since_arrest: no
      owe_after_release: no
      afraid_now: not_afraid
      connected_inside: no
      information_given: [helpline_card]
      referral_consent: not_now
      age_doubt_after: no";

const OBSERVATIONS: [(&str, &str); 4] = [
    ("obs_others_in_control", "observed_others_in_control"),
    ("obs_manner", "observed_fear_or_coaching"),
    ("obs_injuries", "observed_injuries"),
    ("obs_arrested_with", "observed_with_controllers"),
];

#[test]
fn staff_observations_never_lead_to_a_recommended_referral() {
    // Every combination of the four observation answers (yes, no, don't know), first on a quiet
    // conversation, then on one where the person was pushed into the offence (one medium sign of
    // coercion). Observations are weak signs: whatever they are, the outcome must stay one that
    // only offers a referral.
    let pushed = "
      pressure_before_arrest: [could_not_refuse]
      if_said_no: nothing_serious
      lawyer_may_know: no";
    let mut cases = String::new();
    for (base_name, extra, base_raised, base_flags) in [
        (
            "quiet",
            "\n      pressure_before_arrest: [no]",
            vec![],
            "[]",
        ),
        (
            "pushed into the offence",
            pushed,
            vec!["forced_into_crime"],
            "[forced_criminality]",
        ),
    ] {
        for combo in 0..81u32 {
            let mut answers = String::new();
            let mut raised = base_raised.clone();
            let mut n = combo;
            for (question, indicator) in OBSERVATIONS {
                let answer = ["yes", "no", "dont_know"][(n % 3) as usize];
                n /= 3;
                answers.push_str(&format!("\n      {question}: {answer}"));
                if answer == "yes" {
                    raised.push(indicator);
                }
            }
            let outcome = if raised.is_empty() {
                "no_signs_seen"
            } else {
                "some_signs"
            };
            cases.push_str(&format!(
                "  - name: {base_name}, observations {combo}\n    answers:{QUIET}{extra}{answers}\n    \
                 expect:\n      outcome: {outcome}\n      positive: []\n      raised: [{}]\n      flags: {base_flags}\n",
                raised.join(", ")
            ));
        }
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::copy(questionnaire(), dir.path().join("prison-screening.yaml"))
        .expect("copy the questionnaire");
    let path = dir.path().join("observations.tests.yaml");
    std::fs::write(
        &path,
        format!("questionnaire: prison-screening.yaml\ncases:\n{cases}"),
    )
    .expect("write the generated scenarios");

    let out = cargo_bin_cmd!("rosa-screen")
        .args(["questionnaire", "test"])
        .arg(&path)
        .output()
        .expect("run rosa-screen");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "observations changed a referral decision:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("162 passed, 0 failed"),
        "all 162 combinations pass:\n{stdout}"
    );
}

#[test]
fn scenario_report_snapshot() {
    // The report names every case, so a reviewer sees at a glance which situations the
    // built-in logic is held to; a renamed, added or failing case shows up as a diff.
    let out = cargo_bin_cmd!("rosa-screen")
        .args(["questionnaire", "test"])
        .arg(scenarios())
        .output()
        .expect("run rosa-screen");
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

/// The ids a scenario file's cases expect under `key` (`outcome`, `raised` or `flags`), read
/// from its text: the file is written one expectation a line, and reading the text keeps this
/// test independent of how the program parses scenario files.
fn expected_ids(text: &str, key: &str) -> std::collections::BTreeSet<String> {
    let prefix = format!("{key}:");
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix(prefix.as_str()))
        .map(|rest| rest.split('#').next().unwrap_or("").trim())
        .flat_map(|value| {
            value
                .trim_start_matches('[')
                .trim_end_matches(']')
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_scenarios_cover_every_outcome_flag_and_indicator() {
    // Every result the questionnaire can give, and every flag and indicator it can raise, is
    // pinned by at least one case, so a change to any of them shows up as a failing case.
    let q = rosa_screen::questionnaire::builtin().expect("the built-in questionnaire loads");
    let text = std::fs::read_to_string(scenarios()).expect("read the scenario file");
    let covered = |key: &str, ids: Vec<String>| {
        let seen = expected_ids(&text, key);
        let missing: Vec<String> = ids.into_iter().filter(|id| !seen.contains(id)).collect();
        assert!(
            missing.is_empty(),
            "no scenario expects these under `{key}`: {missing:?}"
        );
    };
    covered(
        "outcome",
        q.outcomes.iter().map(|o| o.id.name.clone()).collect(),
    );
    covered("flags", q.flags.iter().map(|f| f.id.name.clone()).collect());
    covered(
        "raised",
        q.indicators.iter().map(|i| i.id.name.clone()).collect(),
    );
}
