//! Output piped into a program that stops reading (`rosa-screen referrals show ID | head`) must
//! end quietly, never with a panic and a backtrace.
// Helpers outside #[test] functions may fail loudly: a failed set-up is a failed test.
#![allow(clippy::expect_used)]

use std::process::{Command, Stdio};

/// Runs the binary with stdout connected to a pipe whose reading end is already closed, so
/// the first write fails with EPIPE every time (no race with a reader).
fn run_into_closed_pipe(args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    Command::new(assert_cmd::cargo::cargo_bin!("rosa-screen"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .expect("run rosa-screen")
}

#[test]
fn commands_writing_into_a_closed_pipe_do_not_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db.sqlite");
    let answers = dir.path().join("answers.yaml");
    std::fs::write(
        &answers,
        "unit: Bredtveit\nofficer: B\nperson: P-1\ngender: unknown\nnationality: unknown\n\
         language: en\ninterpreter: none\nanswers: {age_estimate: 30, agrees: no}\n",
    )
    .expect("write answers");
    let small = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/examples/small-screening.yaml"
    );
    let db = db.to_str().expect("utf-8 path");
    let answers = answers.to_str().expect("utf-8 path");
    for args in [
        vec!["questionnaire", "schema"],
        vec!["questionnaire", "graph", small],
        vec![
            "--db",
            db,
            "interview",
            "--answers",
            answers,
            "--questionnaire",
            small,
        ],
        vec!["--db", db, "referrals", "list"],
        vec!["--db", db, "stats"],
        vec!["--db", db, "audit", "verify"],
    ] {
        let out = run_into_closed_pipe(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked"),
            "{args:?} panicked on a closed pipe: {stderr}"
        );
        assert_ne!(out.status.code(), Some(101), "{args:?}: {stderr}");
    }
}

/// One broken-pipe rule for every command: a reader that went away ends the output, and the
/// command still exits with the code its work earned (`questionnaire test | head` used to exit
/// 2 while `lint | head` exited 0).
#[test]
fn a_closed_pipe_does_not_change_the_exit_code() {
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/examples");
    let small = format!("{examples}/small-screening.yaml");
    let tests = format!("{examples}/small-screening.tests.yaml");
    for (args, code) in [
        (vec!["questionnaire", "test", tests.as_str()], 0),
        (vec!["questionnaire", "lint", small.as_str()], 0),
        (vec!["questionnaire", "graph", small.as_str()], 0),
        (vec!["questionnaire", "schema"], 0),
    ] {
        let out = run_into_closed_pipe(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(!stderr.contains("cannot write"), "{args:?}: {stderr}");
    }
}
