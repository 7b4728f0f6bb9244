//! `interview --answers FILE` through the real binary: a whole screening recorded from a file,
//! referrals refused without consent, and invalid files refused with nothing stored.

// Test helpers panic on failure by design: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use predicates::prelude::*;
use rosa_screen::screening::Answer;
use rosa_screen::store::{Consent, Store};

mod common;

use common::{cli, fixtures};

fn db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rosa.db");
    (dir, db)
}

/// A copy of the strong answers file with one text replaced.
fn variant(dir: &Path, from: &str, to: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    cli::answers_with(
        cli::STRONG_ANSWERS,
        dir,
        &format!("variant-{n}.yaml"),
        &[(from, to)],
    )
}

#[test]
fn records_a_whole_screening_and_its_referral() {
    let (_dir, db) = db();
    let out = cli::rosa(&db)
        .args([
            "interview",
            "--questionnaire",
            fixtures::SMALL_PATH,
            "--answers",
            cli::STRONG_ANSWERS,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.lines().count(), 3, "{out}");
    let screening = cli::field(&out, "screening").unwrap();
    assert_eq!(cli::field(&out, "outcome"), Some("strong_indication"));
    let referral = cli::field(&out, "referral").unwrap();

    let store = Store::open(&db).unwrap();
    let s = store.load_screening(screening).unwrap();
    assert_eq!(s.unit, "Bredtveit");
    assert_eq!(s.person, "B-2026-117");
    assert_eq!(s.consent, Some(Consent::Named));
    assert_eq!(s.referral_id.as_deref(), Some(referral));
    assert_eq!(s.questionnaire_source, fixtures::SMALL_PATH);
    assert_eq!(
        s.questionnaire_yaml,
        std::fs::read_to_string(fixtures::SMALL_PATH).unwrap(),
        "the exact text is kept"
    );
    // Answers in the order asked, the info item included as seen.
    let asked: Vec<_> = s.answers.iter().map(|a| a.question_id.as_str()).collect();
    assert_eq!(
        asked,
        [
            "age_estimate",
            "explain",
            "agrees",
            "came_for_job",
            "job_matched",
            "who_arranged",
            "hours",
            "conditions",
            "passport",
            "told_to_offend",
            "wants_help",
            "notes"
        ]
    );
    assert_eq!(
        s.answer("hours").unwrap().answer,
        Some(Answer::Number(14.0))
    );
    assert_eq!(
        s.answer("hours").unwrap().note.as_deref(),
        Some("Said fourteen, sometimes more.")
    );
    let r = s.result.unwrap();
    assert_eq!(r.flags[0].id, "forced_crime");
    assert_eq!(r.flags[0].because, ["told_to_offend"]);
    assert_eq!(r.positive, ["recruitment", "exploitation", "control"]);

    let d = store.referral(referral).unwrap();
    assert_eq!(d.row.release_date.as_deref(), Some("2027-01-15"));
    assert_eq!(d.row.expulsion, Some(rosa_screen::store::Expulsion::Yes));
    cli::rosa(&db).args(["audit", "verify"]).assert().success();
}

#[test]
fn the_built_in_questionnaire_is_used_by_default() {
    let (_dir, db) = db();
    let out = cli::rosa(&db)
        .args([
            "interview",
            "--answers",
            "tests/fixtures/answers/builtin-strong.yaml",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = String::from_utf8(out.stdout).unwrap();
    assert_eq!(cli::field(&out, "outcome"), Some("strong_indication"));
    let store = Store::open(&db).unwrap();
    let s = store
        .load_screening(cli::field(&out, "screening").unwrap())
        .unwrap();
    assert_eq!(s.questionnaire_source, "built-in:prison-screening.yaml");
    assert_eq!(s.nationality, "NO");
}

#[test]
fn no_consent_stores_the_screening_but_no_referral() {
    let (dir, db) = db();
    let file = variant(dir.path(), "consent: named", "consent: none");
    let out = cli::rosa(&db)
        .args([
            "interview",
            "--questionnaire",
            fixtures::SMALL_PATH,
            "--answers",
        ])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the person did not consent"))
        .stderr(predicate::str::contains("+47 22 33 11 60"))
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(cli::field(&out, "referral"), None);
    let store = Store::open(&db).unwrap();
    let s = store
        .load_screening(cli::field(&out, "screening").unwrap())
        .unwrap();
    assert_eq!(s.consent, Some(Consent::None));
    assert!(s.result.is_some());
    assert!(store.referrals(&Default::default()).unwrap().is_empty());
}

#[test]
fn an_outcome_without_referral_refuses_one() {
    let (dir, db) = db();
    let file = dir.path().join("declined.yaml");
    std::fs::write(
        &file,
        "unit: Ila\nofficer: O\nperson: I-1\ngender: unknown\nnationality: unknown\n\
         language: nb\ninterpreter: phone\nperson_language: ar\n\
         answers: {age_estimate: 30, agrees: no}\n\
         referral: {consent: anonymous, contact: O}\n",
    )
    .unwrap();
    cli::rosa(&db)
        .args([
            "interview",
            "--questionnaire",
            fixtures::SMALL_PATH,
            "--answers",
        ])
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("outcome: declined_talk"))
        .stderr(predicate::str::contains(
            "the outcome `declined_talk` does not lead to a referral",
        ));
}

#[test]
fn invalid_files_are_refused_and_nothing_is_stored() {
    let (dir, db) = db();
    let d = dir.path();
    let cases = [
        (
            variant(d, "hours: 14", "hours: 30"),
            "30 is outside the range of question `hours`",
        ),
        (variant(d, "passport: them", "passport: lost"), "`passport`"),
        (
            variant(d, "gender: female", "gender: femal"),
            "did you mean `female`?",
        ),
        (
            variant(
                d,
                "  wants_help: yes\n",
                "  wants_help: yes\n  shoe_size: 42\n",
            ),
            "the questionnaire has no question `shoe_size`",
        ),
        (
            variant(d, "  agrees: yes\n", "  agrees: no\n"),
            "which is not asked with these answers",
        ),
        (
            variant(d, "  who_arranged: others\n", ""),
            "question `who_arranged` is asked and required but the file gives no answer",
        ),
        (
            variant(d, "language: en", "language: sv"),
            "language `sv` is not one of the questionnaire's (nb, en)",
        ),
        (
            variant(d, "nationality: NG", "nationality: Nigeria"),
            "nationality `Nigeria` is not a two-letter country code",
        ),
        (
            variant(d, "release_date: 2027-01-15", "release_date: 15.13.2027"),
            "release date `15.13.2027` is not a date",
        ),
        (
            variant(d, "release_date: 2027-01-15", "release_date: 1999-01-15"),
            "the release date 1999-01-15 is outside 2000-01-01 to",
        ),
        (
            variant(d, "person: \"B-2026-117\"", "person: \"\\e]0;owned\\a\""),
            "the person reference contains the control character U+001B",
        ),
        (
            variant(
                d,
                "officer: \"Duty officer B, 555 01 234\"",
                "officer: \"B\\u202E711\"",
            ),
            "the officer contains the bidirectional control U+202E",
        ),
        (
            variant(
                d,
                "person: \"B-2026-117\"",
                &format!("person: {}", "x".repeat(70_000)),
            ),
            "the person reference is 70000 characters long; at most 64 are allowed",
        ),
        (
            variant(d, "expulsion: yes", "expulsion: true"),
            "`true` is not allowed here; expected one of `yes`, `no`",
        ),
    ];
    for (file, message) in &cases {
        cli::rosa(&db)
            .args([
                "interview",
                "--questionnaire",
                fixtures::SMALL_PATH,
                "--answers",
            ])
            .arg(file)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(*message));
        assert!(!db.exists(), "{message}: a database was created");
    }
    cli::rosa(&db)
        .args([
            "interview",
            "--answers",
            "tests/fixtures/answers/missing.yaml",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("there is no such file"));
    cli::rosa(&db)
        .args([
            "interview",
            "--questionnaire",
            "tests/fixtures/none.yaml",
            "--answers",
            cli::STRONG_ANSWERS,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("none.yaml"));
    assert!(!db.exists());
}

#[test]
fn problems_name_their_line_and_column_with_did_you_mean() {
    let (dir, db) = db();
    let d = dir.path();
    let name = |p: &Path| p.display().to_string();
    let cases = [
        // A wrong choice, at the answer's value.
        (
            variant(d, "passport: them", "passport: thme"),
            "16:13: `thme` is not a choice of question `passport`; its choices are 1 `me`, 2 `them`; did you mean `them`?",
        ),
        // An unknown question, at its key.
        (
            variant(
                d,
                "  wants_help: yes\n",
                "  wants_help: yes\n  wants_hlp: yes\n",
            ),
            "19:3: the questionnaire has no question `wants_hlp`; did you mean `wants_help`?",
        ),
        // A wrong type, at the value.
        (
            variant(d, "  agrees: yes\n", "  agrees: 14\n"),
            "10:11: question `agrees` takes `yes` or `no`, not `14`",
        ),
        // An unknown key at the top level, named as such.
        (
            variant(d, "officer:", "officr:"),
            "2:1: error[schema] unknown field `officr` at the top level of the answers file;",
        ),
        // An unknown key in the referral block, named as such.
        (
            variant(d, "  consent: named", "  consnt: named"),
            "22:3: error[schema] unknown field `consnt` in the `referral:` block;",
        ),
        // A bad date, at the value.
        (
            variant(d, "release_date: 2027-01-15", "release_date: 2027-15-01"),
            "23:17: referral: the release date `2027-15-01` is not a date; write it as 18.12.2026 or 2026-12-18",
        ),
        // A language the questionnaire does not have, with the closest one.
        (
            variant(d, "language: en", "language: eng"),
            "6:11: language `eng` is not one of the questionnaire's (nb, en); did you mean `en`?",
        ),
    ];
    for (file, message) in &cases {
        let want = format!("rosa-screen: {}:{message}", name(file));
        cli::rosa(&db)
            .args([
                "interview",
                "--questionnaire",
                fixtures::SMALL_PATH,
                "--answers",
            ])
            .arg(file)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::starts_with(want));
    }
    assert!(!db.exists());
}

/// Issue 14 item 9: the one date validator takes the Norwegian form in an answers file too
/// (quoted, so YAML reads it as text), and the referral stores it in ISO form.
#[test]
fn a_norwegian_release_date_is_taken_and_stored_as_iso() {
    let (dir, db) = db();
    let file = variant(
        dir.path(),
        "release_date: 2027-01-15",
        "release_date: \"15.01.2027\"",
    );
    cli::rosa(&db)
        .args([
            "interview",
            "--questionnaire",
            fixtures::SMALL_PATH,
            "--answers",
        ])
        .arg(&file)
        .assert()
        .success();
    let store = Store::open(&db).unwrap();
    let refs = store.referrals(&Default::default()).unwrap();
    assert_eq!(refs.len(), 1);
    assert_eq!(refs[0].release_date.as_deref(), Some("2027-01-15"));
}

/// A copy of the built-in strong answers file with one text replaced.
fn builtin_variant(dir: &Path, name: &str, from: &str, to: &str) -> PathBuf {
    cli::answers_with(fixtures::BUILTIN_STRONG_ANSWERS, dir, name, &[(from, to)])
}

/// Issue 14 item 9: the built-in questionnaire asks about the interpreter, so the file may
/// leave `interpreter:` out (the answer fills it, with its own audit entry), and a value that
/// contradicts the answer is refused, naming the line and the question; nothing is stored.
#[test]
fn the_interpreter_comes_from_the_answer_and_a_contradiction_is_refused() {
    let (dir, db) = db();
    let left_out = builtin_variant(dir.path(), "left-out.yaml", "interpreter: none\n", "");
    let out = cli::stdout(
        cli::rosa(&db)
            .arg("interview")
            .arg("--answers")
            .arg(&left_out),
    );
    let id = cli::field(&out, "screening").unwrap().to_owned();
    let phone = cli::answers_with(
        fixtures::BUILTIN_STRONG_ANSWERS,
        dir.path(),
        "phone.yaml",
        &[
            ("interpreter: none\n", "interpreter: phone\n"),
            ("  interpreter: not_needed\n", "  interpreter: phone\n"),
        ],
    );
    let out = cli::stdout(cli::rosa(&db).arg("interview").arg("--answers").arg(&phone));
    let by_phone = cli::field(&out, "screening").unwrap().to_owned();
    {
        let store = Store::open(&db).unwrap();
        let s = store.load_screening(&id).unwrap();
        assert_eq!(s.interpreter, Some(rosa_screen::store::Interpreter::None));
        assert_eq!(s.custody, Some(rosa_screen::store::Custody::Remand));
        let s = store.load_screening(&by_phone).unwrap();
        assert_eq!(s.interpreter, Some(rosa_screen::store::Interpreter::Phone));
    }
    cli::stdout(cli::rosa(&db).args(["audit", "verify"]));

    let contradicts = builtin_variant(
        dir.path(),
        "contradicts.yaml",
        "interpreter: none\n",
        "interpreter: in_person\n",
    );
    let (_dir2, other) = self::db();
    cli::rosa(&other)
        .arg("interview")
        .arg("--answers")
        .arg(&contradicts)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "contradicts.yaml:9:14: `interpreter: in_person` contradicts the answer to question `interpreter`, which gives details.interpreter `none`; leave `interpreter` out or make them agree",
        ));
    // Refused before the store is opened: nothing is stored.
    assert!(
        !other.exists()
            || Store::open(&other)
                .unwrap()
                .latest_screening()
                .unwrap()
                .is_none()
    );
}

/// An interpreter question answered "don't know" leaves the interpreter not known: the store
/// holds none, `referrals show` says so, and the log still proves it.
#[test]
fn an_interpreter_not_known_is_shown_as_such() {
    let (dir, db) = db();
    let file = dir.path().join("not-known.yaml");
    std::fs::write(
        &file,
        "unit: Bredtveit\nofficer: \"Officer B, 555 01 234\"\nperson: PL-9\ngender: female\n\
         nationality: NG\nlanguage: en\nanswers:\n  interpreter: dont_know\n  \
         custody_status: remand\n  passport: yes\nreferral:\n  consent: named\n  \
         contact: \"Officer B, 555 01 234\"\n",
    )
    .unwrap();
    let out = cli::stdout(
        cli::rosa(&db)
            .arg("interview")
            .arg("--answers")
            .arg(&file)
            .args([
                "--questionnaire",
                "tests/fixtures/examples/interpreter-fills.yaml",
            ]),
    );
    let (s, r) = (
        cli::field(&out, "screening").unwrap().to_owned(),
        cli::field(&out, "referral").unwrap().to_owned(),
    );
    let stored = Store::open(&db).unwrap().load_screening(&s).unwrap();
    assert_eq!(stored.interpreter, None);
    assert_eq!(stored.custody, Some(rosa_screen::store::Custody::Remand));
    let shown = cli::stdout(cli::rosa(&db).args(["referrals", "show", &r]));
    assert!(shown.contains("Interpreter: not known\n"), "{shown}");
    cli::stdout(cli::rosa(&db).args(["audit", "verify"]));
}

/// Where no answer gives the interpreter ("don't know" here), the file's own `interpreter:`
/// stands (no contradiction), with its `filled details` entry, so the log still proves it.
#[test]
fn the_files_interpreter_stands_where_the_answer_gives_none() {
    let (dir, db) = db();
    let file = dir.path().join("given.yaml");
    std::fs::write(
        &file,
        "unit: Bredtveit\nofficer: \"Officer B, 555 01 234\"\nperson: PL-9\ngender: female\n\
         nationality: NG\nlanguage: en\ninterpreter: phone\nanswers:\n  interpreter: dont_know\n  \
         custody_status: remand\n  passport: no\n",
    )
    .unwrap();
    let out = cli::stdout(
        cli::rosa(&db)
            .arg("interview")
            .arg("--answers")
            .arg(&file)
            .args([
                "--questionnaire",
                "tests/fixtures/examples/interpreter-fills.yaml",
            ]),
    );
    let s = cli::field(&out, "screening").unwrap().to_owned();
    let stored = Store::open(&db).unwrap().load_screening(&s).unwrap();
    assert_eq!(
        stored.interpreter,
        Some(rosa_screen::store::Interpreter::Phone)
    );
    cli::stdout(cli::rosa(&db).args(["audit", "verify"]));
}
