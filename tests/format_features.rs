//! The format's `immediate` flags, `exclusive` choices and `fills`, as the loader reads them and
//! as the JSON Schema describes them. (Lint codes for their mistakes: tests/fixtures/lint/
//! fills-*.yaml, checked by tests/lint.rs; the session's rules: src/screening/session/features.rs.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use rosa_screen::questionnaire::{self, FillField};
use serde_json::Value;

const FEATURES: &str = include_str!("fixtures/lint/format-features.yaml");

#[test]
fn the_loader_keeps_immediate_exclusive_and_fills() {
    let q = questionnaire::open(FEATURES, "format-features.yaml").expect("lint-clean");
    let danger = q.flag("acute_danger").unwrap();
    assert!(danger.immediate);
    let threats = q.question("threats").unwrap();
    let exclusive: Vec<&str> = threats
        .choices
        .iter()
        .filter(|c| c.exclusive)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(exclusive, ["no_threats"]);
    let fields: Vec<(&str, FillField)> = q
        .questions()
        .filter_map(|x| Some((x.id.as_str(), x.fills?.field)))
        .collect();
    assert_eq!(
        fields,
        [
            ("custody", FillField::DetailsCustody),
            ("interpreter", FillField::DetailsInterpreter),
            ("release", FillField::ReferralReleaseDate),
            ("expulsion", FillField::ReferralExpulsion),
            ("consent", FillField::ReferralConsent),
        ]
    );
    let expulsion = q.question("expulsion").unwrap();
    let values: Vec<&str> = expulsion
        .choices
        .iter()
        .map(|c| c.fills.as_ref().unwrap().as_str())
        .collect();
    assert_eq!(values, ["yes", "no", "pending", "unknown"]);
    // Defaults: not immediate, not exclusive, fills nothing.
    let passport = q.question("passport").unwrap();
    assert!(passport.fills.is_none());
    assert!(
        passport
            .choices
            .iter()
            .all(|c| !c.exclusive && c.fills.is_none())
    );
}

#[test]
fn the_json_schema_takes_the_new_fields_and_refuses_wrong_ones() {
    let schema: Value = serde_json::from_str(&questionnaire::schema::json_schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let check = |yaml: &str| -> usize {
        let v: Value = questionnaire::load::from_yaml(yaml, "x.yaml").unwrap();
        validator.iter_errors(&v).count()
    };
    assert_eq!(check(FEATURES), 0);
    assert!(check(&FEATURES.replace("fills: details.custody", "fills: details.custdy")) > 0);
    assert!(check(&FEATURES.replace("immediate: true", "immediate: \"yes\"")) > 0);
    assert!(check(&FEATURES.replace("exclusive: true", "exclusive: 1")) > 0);
}

// ---- `interview --answers` with immediate flags, exclusive choices and fills -----------------

mod answers_file {
    use std::path::{Path, PathBuf};

    use assert_cmd::Command;
    use rosa_screen::store::{Consent, Custody, Expulsion, Interpreter, Store};

    const FEATURES: &str = "tests/fixtures/lint/format-features.yaml";

    fn run(dir: &Path, body: &str) -> (std::process::Output, PathBuf) {
        let db = dir.join("rosa.db");
        let file = dir.join("answers.yaml");
        std::fs::write(&file, body).unwrap();
        let out = Command::new(assert_cmd::cargo::cargo_bin!("rosa-screen"))
            .env("ROSA_SCREEN_DB", &db)
            .env("ROSA_SCREEN_ACTOR", "tester")
            .args(["interview", "--questionnaire", FEATURES, "--answers"])
            .arg(&file)
            .output()
            .unwrap();
        (out, db)
    }

    fn file(threats: &str, referral: &str) -> String {
        format!(
            "unit: Bredtveit
officer: Duty officer B
person: B-2026-117
gender: female
nationality: NG
language: en
answers:
  custody: remand
  interpreter: by_phone
  passport: \"yes\"
  threats: {threats}
  release: 2027-01-15
  expulsion: pending
  consent: named
{referral}"
        )
    }

    #[test]
    fn flags_print_before_the_outcome_and_filled_fields_need_not_be_repeated() {
        let dir = tempfile::tempdir().unwrap();
        let (out, db) = run(
            dir.path(),
            &file(
                "[you, family]",
                "referral:\n  contact: \"Duty officer B, 555 01 234\"\n",
            ),
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let keys: Vec<&str> = stdout
            .lines()
            .map(|l| l.split_once(": ").unwrap().0)
            .collect();
        assert_eq!(
            keys,
            ["screening", "flag", "outcome", "referral"],
            "{stdout}"
        );
        assert!(
            stdout.contains("\nflag: acute_danger\noutcome: refer\n"),
            "{stdout}"
        );

        let store = Store::open(&db).unwrap();
        let rows = store.referrals(&Default::default()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].consent, Consent::Named);
        assert_eq!(rows[0].release_date.as_deref(), Some("2027-01-15"));
        assert_eq!(rows[0].expulsion, Some(Expulsion::Pending));
        let s = store.load_screening(&rows[0].screening_id).unwrap();
        assert_eq!(s.interpreter, Some(Interpreter::Phone));
        assert_eq!(s.custody, Some(Custody::Remand));
        assert_eq!(s.consent, Some(Consent::Named));
        let flags = store.immediate_flags(&s.id).unwrap();
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].flag, "acute_danger");
        assert_eq!(flags[0].acknowledged_at, None);
    }

    #[test]
    fn a_referral_value_that_contradicts_the_answers_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (out, db) = run(
            dir.path(),
            &file(
                "[family]",
                "referral:\n  consent: anonymous\n  expulsion: pending\n  contact: c\n",
            ),
        );
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(
                "`consent: anonymous` contradicts the answer to question `consent`, which gives referral.consent `named`"
            ),
            "{stderr}"
        );
        // Nothing is stored when the file is refused.
        let store = Store::open(&db).unwrap();
        assert!(store.unfinished().unwrap().is_empty());
        assert!(store.referrals(&Default::default()).unwrap().is_empty());
    }

    #[test]
    fn an_exclusive_choice_with_others_is_refused_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let (out, _db) = run(dir.path(), &file("[family, no_threats]", ""));
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(
                "in question `threats`, `no_threats` can only be chosen alone, but the answer also has `family`"
            ),
            "{stderr}"
        );
        let (out, _db) = run(dir.path(), &file("[]", ""));
        assert_eq!(out.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&out.stderr)
                .contains("needs at least one choice; if none applies, choose `no_threats`")
        );
    }
}

// ---- plain mode: an immediate flag before the next question, again after a resume -----------

mod plain {
    use assert_cmd::cargo::cargo_bin_cmd;
    use rosa_screen::store::Store;

    const FEATURES: &str = "tests/fixtures/lint/format-features.yaml";
    const DETAILS: &str = "Bredtveit\nOfficer B\nPL-1\n1\n1990\nng\n1\n1\n\n";

    fn run(db: &std::path::Path, input: String) -> String {
        let out = cargo_bin_cmd!("rosa-screen")
            .arg("--db")
            .arg(db)
            .args([
                "interview",
                "--plain",
                "--lang",
                "en",
                "--questionnaire",
                FEATURES,
            ])
            .write_stdin(input)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn an_immediate_flag_is_printed_before_the_next_question_and_again_until_acknowledged() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("p.db");
        // custody, interpreter, passport, then threats: "You" raises acute_danger; input ends
        // at the acknowledgement prompt.
        let out = run(&db, format!("{DETAILS}1\n1\n1\n1\n"));
        let flag = out.find("!! ACT NOW: Acute danger").expect("flag shown");
        assert!(out[flag..].contains("!! Call the duty officer now.\nPress Enter to confirm"));
        assert!(!out[flag..].contains("When will you be released?"), "{out}");
        let store = Store::open(&db).unwrap();
        let id = store.unfinished().unwrap()[0].id.clone();
        let flags = store.immediate_flags(&id).unwrap();
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].acknowledged_at, None);
        drop(store);

        // Resumed: shown again before the next question; Enter acknowledges it.
        let out = run(&db, "2\n\n".to_string());
        let flag = out.find("!! ACT NOW: Acute danger").expect("shown again");
        let next = out
            .find("When will you be released?")
            .expect("then the question");
        assert!(flag < next, "{out}");
        let store = Store::open(&db).unwrap();
        let flags = store.immediate_flags(&id).unwrap();
        assert!(flags[0].acknowledged_at.is_some());
        assert!(flags[0].acknowledged_by.is_some());
        drop(store);

        // Once acknowledged, a further resume does not show it.
        let out = run(&db, "2\n".to_string());
        assert!(!out.contains("ACT NOW"), "{out}");
    }

    #[test]
    fn an_exclusive_choice_with_others_is_refused_and_asked_again() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("p.db");
        let out = run(&db, format!("{DETAILS}1\n1\n1\n2,3\n\n3\n"));
        assert!(
            out.contains(
                "Error: \u{201c}None of these\u{201d} can only be chosen alone; untick the others first."
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "Error: Choose at least one; if none applies, choose \u{201c}None of these\u{201d}."
            ),
            "{out}"
        );
        assert!(out.contains("When will you be released?"), "{out}");
    }
}
