//! Plain mode through the real binary: a whole screening typed on stdin, a pause at the end of
//! input and a resume, and what the store holds afterwards.

// The helpers below run inside tests only; a failed unwrap there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

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
        // The row counts answers (the read-out item is not one), and only questions are
        // numbered (issue 14 item 15).
        .stdout(predicate::str::contains("2 answered"))
        .stdout(predicate::str::contains("Question 3 · 2 answered · about"))
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

/// Runs plain mode on `db` in `lang` with `input`; the assertion to go on from.
fn plain(db: &std::path::Path, lang: &str, input: String) -> assert_cmd::assert::Assert {
    cargo_bin_cmd!("rosa-screen")
        .arg("--db")
        .arg(db)
        .args([
            "interview",
            "--plain",
            "--lang",
            lang,
            "--questionnaire",
            EXAMPLE,
        ])
        .write_stdin(input)
        .assert()
}

/// The screening id plain mode printed, and that screening's current answer to `question`.
fn saved_answer(db: &std::path::Path, out: &[u8], question: &str) -> Option<Answer> {
    let out = String::from_utf8_lossy(out);
    let id = out
        .lines()
        .find_map(|l| l.strip_prefix("screening: "))
        .expect("screening id printed");
    let store = Store::open(db).unwrap();
    let s = store.load_screening(id).unwrap();
    s.answers
        .into_iter()
        .find(|a| a.question_id == question)
        .and_then(|a| {
            assert!(a.history.is_empty(), "{question} was saved once: {a:?}");
            a.answer
        })
}

/// Issue 14 item 13: `?` is "don't know", as the help says, not the help itself.
#[test]
fn a_question_mark_answers_dont_know() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let out = plain(&db, "en", format!("{}?\n", details()))
        .success()
        .stdout(predicate::str::contains("Commands:").not())
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        saved_answer(&db, &out, "age_estimate"),
        Some(Answer::DontKnow)
    );
}

/// Issue 14 item 13: after `back`, Enter alone keeps the saved answer (and the prompt says
/// so) instead of refusing an empty answer; nothing is saved twice.
#[test]
fn enter_keeps_the_saved_answer_after_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let out = plain(&db, "en", format!("{}34\n\nback\nback\n\n\n", details()))
        .success()
        .stdout(predicate::str::contains("Saved: 34"))
        .stdout(predicate::str::contains("Enter keeps it"))
        .stdout(predicate::str::contains("Error").not())
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        saved_answer(&db, &out, "age_estimate"),
        Some(Answer::Number(34.0))
    );
}

/// Issue 14 item 13: input that ends in the details form ends cleanly (exit 0, nothing
/// stored, no screening named); input that ends once a screening exists keeps everything and
/// says how to resume.
#[test]
fn end_of_input_in_the_details_form_ends_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    plain(&db, "en", "Bredtveit\nOfficer B\n".into())
        .code(0)
        .stdout(predicate::str::contains("nothing was saved"))
        .stdout(predicate::str::contains("screening: ").not())
        .stderr(predicate::str::is_empty());
    assert!(Store::open(&db).unwrap().unfinished().unwrap().is_empty());
    plain(&db, "en", format!("{}34\n", details()))
        .code(0)
        .stdout(predicate::str::contains(
            "Everything answered is saved; start again to resume.",
        ));
    // The resume menu is part of starting: input ending there stores nothing more.
    plain(&db, "en", String::new())
        .code(0)
        .stdout(predicate::str::contains("nothing was saved"));
    assert_eq!(Store::open(&db).unwrap().unfinished().unwrap().len(), 1);
}

/// Issue 14 item 13: with an unfinished screening, Enter at the resume menu resumes it; it
/// never starts a second screening of the same person.
#[test]
fn the_resume_menu_defaults_to_resume() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    plain(&db, "en", format!("{}34\n", details())).success();
    plain(&db, "en", "\n".into())
        .success()
        .stdout(predicate::str::contains("Choose a number [2]"))
        .stdout(predicate::str::contains("Read out · 1 answered · about"));
    assert_eq!(Store::open(&db).unwrap().unfinished().unwrap().len(), 1);
}

/// Issue 14 item 13: an interview in Norwegian takes (and offers) Norwegian command words;
/// the English ones still work, so scripts do not break.
#[test]
fn norwegian_command_words_in_a_norwegian_interview() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    // The same details, with the interview's language 1 (nb).
    let nb = details().replacen("\nng\n2\n", "\nng\n1\n", 1);
    let out = plain(
        &db,
        "nb",
        format!("{nb}hjelp\nvet_ikke\ntilbake\n\nback\n\npause\n"),
    )
    .success()
    .stdout(predicate::str::contains("Kommandoer: et nummer"))
    .stdout(predicate::str::contains("tilbake, notat, hjelp, pause"))
    .stdout(predicate::str::contains("Enter beholder det"))
    .stdout(predicate::str::contains("Feil").not())
    .get_output()
    .stdout
    .clone();
    assert_eq!(
        saved_answer(&db, &out, "age_estimate"),
        Some(Answer::DontKnow)
    );
}

/// Issue 14 item 9 in plain mode: the referral takes what the answers filled (the release
/// date, typed the Norwegian way in the interview, and expulsion "pending"), says where each
/// came from, and asks only for the rest (consent and contact here).
#[test]
fn the_referral_takes_what_the_answers_filled() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let input = format!("{}1\n18.12.2026\n3\n1\n1\n\n", details());
    let out = cargo_bin_cmd!("rosa-screen")
        .arg("--db")
        .arg(&db)
        .args([
            "interview",
            "--plain",
            "--lang",
            "en",
            "--questionnaire",
            "tests/fixtures/examples/forms-fills.yaml",
        ])
        .write_stdin(input)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Release or transfer date: 2026-12-18 (from the answer to \u{201c}On which date is the person to be released or transferred?\u{201d}; change it there)",
        ))
        .stdout(predicate::str::contains(
            "Expulsion decision: decision pending (from the answer to",
        ))
        .stdout(predicate::str::contains("Referral id: "))
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        !out.contains("Release or transfer date (DD.MM.YYYY"),
        "{out}"
    );
    let store = Store::open(&db).unwrap();
    let refs = store.referrals(&Default::default()).unwrap();
    assert_eq!(refs.len(), 1);
    assert_eq!(
        refs[0].release_date.as_deref(),
        Some("2026-12-18"),
        "{refs:?}"
    );
    assert_eq!(
        refs[0].expulsion,
        Some(rosa_screen::store::Expulsion::Pending)
    );
}

/// Issue 14 item 9 in plain mode: a questionnaire that asks about the interpreter and the
/// custody itself; the details questions leave the interpreter out (saying the interview asks
/// it), and each answer fills its detail the moment it is saved (here paused right after).
#[test]
fn the_interpreter_is_asked_once_in_the_interview() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    // No interpreter line among the details: unit, officer, person, gender, birth year,
    // nationality, language, person's language; then "by phone" and "on remand".
    let input = "Bredtveit\nOfficer B, 555 01 234\nPL-1\n1\n1990\nng\n2\n\n3\n1\n".to_owned();
    let out = cargo_bin_cmd!("rosa-screen")
        .arg("--db")
        .arg(&db)
        .args([
            "interview",
            "--plain",
            "--lang",
            "en",
            "--questionnaire",
            "tests/fixtures/examples/interpreter-fills.yaml",
        ])
        .write_stdin(input)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Interview language [2]> Interpreter: asked in the interview\n",
        ))
        .stdout(predicate::str::contains("Paused"))
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(!out.contains("Interpreter [1]>"), "{out}");
    let id = out
        .lines()
        .find_map(|l| l.strip_prefix("screening: "))
        .expect("screening id printed");
    let store = Store::open(&db).unwrap();
    let s = store.load_screening(id).unwrap();
    assert!(s.ended_at.is_none());
    assert_eq!(s.interpreter, Some(rosa_screen::store::Interpreter::Phone));
    assert_eq!(s.custody, Some(rosa_screen::store::Custody::Remand));
    drop(store);
    cargo_bin_cmd!("rosa-screen")
        .arg("--db")
        .arg(&db)
        .args(["audit", "verify"])
        .assert()
        .success()
        .stdout(predicate::str::contains("audit log intact: "));
}

/// A questionnaire without such a question keeps asking in the details, as before.
#[test]
fn without_the_question_the_details_ask_for_the_interpreter() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let out = plain(&db, "en", format!("{}34\n", details()))
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("Interpreter [1]>"), "{out}");
    let id = out
        .lines()
        .find_map(|l| l.strip_prefix("screening: "))
        .expect("screening id printed");
    let s = Store::open(&db).unwrap().load_screening(id).unwrap();
    assert_eq!(s.interpreter, Some(rosa_screen::store::Interpreter::None));
}
