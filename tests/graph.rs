//! `rosa-screen questionnaire graph`, run as a user would: the real binary on the example
//! questionnaire, with the drawings kept as snapshots and the DOT checked by Graphviz itself.

// Test helpers outside #[test] functions may unwrap: a failure is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use assert_cmd::cargo::cargo_bin_cmd;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/examples/small-screening.yaml")
}

/// Runs `questionnaire graph` and returns (stdout, stderr, exit code).
fn graph(file: &Path, format: &str) -> (String, String, i32) {
    let out = cargo_bin_cmd!("rosa-screen")
        .args(["questionnaire", "graph", "--format", format])
        .arg(file)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap(),
    )
}

#[test]
fn dot_of_the_example() {
    let (out, err, code) = graph(&example(), "dot");
    assert_eq!((code, err.as_str()), (0, ""));
    insta::assert_snapshot!("small_screening_dot", out);
}

#[test]
fn mermaid_of_the_example() {
    let (out, err, code) = graph(&example(), "mermaid");
    assert_eq!((code, err.as_str()), (0, ""));
    insta::assert_snapshot!("small_screening_mermaid", out);
}

#[test]
fn dot_is_the_default_format() {
    let out = cargo_bin_cmd!("rosa-screen")
        .args(["questionnaire", "graph"])
        .arg(example())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("digraph "));
}

#[test]
fn graphviz_accepts_the_dot() {
    let (out, _, _) = graph(&example(), "dot");
    let Ok(mut child) = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        println!("note: `dot` (graphviz) is not installed; skipping the DOT validity check");
        return;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(out.as_bytes())
        .unwrap();
    let res = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(res.status.success(), "dot failed: {err}");
    assert!(err.trim().is_empty(), "dot warned: {err}");
    let svg = String::from_utf8_lossy(&res.stdout);
    // The Norwegian text survives the trip through Graphviz.
    assert!(svg.contains("Vil du snakke med meg nå?"), "{svg}");
}

#[test]
fn an_unreadable_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.yaml");
    let (out, err, code) = graph(&missing, "dot");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("nope.yaml"), "{err}");
}

#[test]
fn a_questionnaire_with_errors_exits_1_and_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.yaml");
    let text = std::fs::read_to_string(example())
        .unwrap()
        .replace("to: end", "to: nowhere");
    std::fs::write(&file, text).unwrap();
    let (out, err, code) = graph(&file, "mermaid");
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("unknown-reference") && err.contains("nowhere"),
        "{err}"
    );
    assert!(err.contains("broken.yaml has 1 error"), "{err}");
}
