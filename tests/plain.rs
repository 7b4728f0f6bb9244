//! Plain mode through the real binary: a whole screening typed on stdin, a pause at the end of
//! input and a resume, and what the store holds afterwards.

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use rosa_screen::screening::Answer;
use rosa_screen::store::Store;

const EXAMPLE: &str = "tests/fixtures/examples/small-screening.yaml";

fn details() -> &'static str {
    "Bredtveit\nOfficer B, 555 01 234\nPL-1\n1\n1990\nng\n2\n1\n\n"
}

fn answers() -> &'static str {
    "34\n\n1\n1\n2\n2\n14\n1,3\n2\n1\n1\nWorried about a debt\n"
}

#[test]
fn a_whole_screening_with_a_referral() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let input = format!("{}{}1\n1\n2027-01-15\n2\n\n", details(), answers());
    let out = cargo_bin_cmd!("rosa-screen")
        .args(["--db"])
        .arg(&db)
        .args([
            "interview",
            "--plain",
            "--lang",
            "en",
            "--questionnaire",
            EXAMPLE,
        ])
        .write_stdin(input)
        .assert()
        .success()
        .stdout(predicate::str::contains("Strong indication"))
        .stdout(predicate::str::contains("ACT ON THESE NOW"))
        .stdout(predicate::str::contains("Referral id: "))
        .stdout(predicate::str::contains("\x1b").not())
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let id = out
        .lines()
        .find_map(|l| l.strip_prefix("screening: "))
        .expect("screening id printed");
    let store = Store::open(&db).unwrap();
    let s = store.load_screening(id).unwrap();
    assert!(s.ended_at.is_some());
    assert_eq!(s.nationality, "NG");
    let conditions = s
        .answers
        .iter()
        .find(|a| a.question_id == "conditions")
        .unwrap();
    assert_eq!(
        conditions.answer,
        Some(Answer::Choices(vec!["unpaid".into(), "watched".into()]))
    );
    let refs = store.referrals(&Default::default()).unwrap();
    assert_eq!(refs.len(), 1);
    assert_eq!(refs[0].expulsion, Some(rosa_screen::store::Expulsion::Yes));
}

#[test]
fn end_of_input_pauses_and_a_second_run_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let run = |input: String| {
        cargo_bin_cmd!("rosa-screen")
            .arg("--db")
            .arg(&db)
            .args([
                "interview",
                "--plain",
                "--lang",
                "en",
                "--questionnaire",
                EXAMPLE,
            ])
            .write_stdin(input)
            .assert()
            .success()
    };
    run(format!("{}34\n\n1\n", details())).stdout(predicate::str::contains("Paused"));
    // Second run: 2 resumes the unfinished screening at question four.
    run("2\n".to_string())
        .stdout(predicate::str::contains("Resume PL-1"))
        .stdout(predicate::str::contains("3 saved"))
        .stdout(predicate::str::contains("Question 4 · 2 answered"))
        .stdout(predicate::str::contains("Did you come here for a job?"));
}

#[test]
fn wrong_input_is_explained_and_asked_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    cargo_bin_cmd!("rosa-screen")
        .arg("--db")
        .arg(&db)
        .args([
            "interview",
            "--plain",
            "--lang",
            "en",
            "--questionnaire",
            EXAMPLE,
        ])
        .write_stdin(format!("{}200\nabc\n34\n", details()))
        .assert()
        .success()
        .stdout(predicate::str::contains("200 is outside the range"))
        .stdout(predicate::str::contains("\"abc\" is not a number"))
        .stdout(predicate::str::contains("Explain who you are"));
}

#[test]
fn an_unknown_language_is_refused() {
    cargo_bin_cmd!("rosa-screen")
        .args([
            "interview",
            "--plain",
            "--lang",
            "fr",
            "--questionnaire",
            EXAMPLE,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--lang `fr`"));
}

#[test]
fn the_screens_need_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    cargo_bin_cmd!("rosa-screen")
        .arg("--db")
        .arg(dir.path().join("s.db"))
        .args(["interview", "--questionnaire", EXAMPLE])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--plain"));
}
