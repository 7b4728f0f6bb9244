//! Files that are not files, through the real binary: a device that never ends (`/dev/zero`,
//! `/dev/urandom`), a named pipe with no writer, a directory, and a file over the size limit,
//! given as a questionnaire, an answers file or a scenario file. Each must be refused at once,
//! by name, with exit 2; the timeout turns "reads forever" into a failed test instead of a
//! hung one (it is a guard, not a measurement).

// Test helpers panic on failure by design: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

mod common;

/// Far more than a refusal needs, far less than reading a device to the 16 MB limit under load.
const GUARD: Duration = Duration::from_secs(20);

fn cmd(db: &Path) -> Command {
    let mut c = common::cli::rosa(db);
    c.env("ROSA_SCREEN_ACTOR", "tester").timeout(GUARD);
    c
}

/// A named pipe nobody writes to: opening it for reading would block for ever.
fn fifo(dir: &Path) -> PathBuf {
    let path = dir.join("pipe.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(made.success());
    path
}

/// A file just over the limit that costs no disk: its size is set, nothing is written.
fn huge(dir: &Path) -> PathBuf {
    let path = dir.join("huge.yaml");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(rosa_screen::questionnaire::load::MAX_FILE_BYTES + 1)
        .unwrap();
    path
}

/// The hostile inputs, each with the words its refusal must contain.
fn hostile(dir: &Path) -> Vec<(PathBuf, &'static str)> {
    let mut v = vec![
        (PathBuf::from("/dev/zero"), "not a regular file"),
        (fifo(dir), "not a regular file"),
        (dir.to_path_buf(), "is a directory"),
        (huge(dir), "larger than 16 MB"),
    ];
    if Path::new("/dev/urandom").exists() {
        v.push((PathBuf::from("/dev/urandom"), "not a regular file"));
    }
    v
}

fn assert_refused(out: &std::process::Output, path: &Path, why: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}: {stderr}", path.display());
    assert!(
        stderr.contains(&format!("`{}`", path.display())),
        "the file is named: {stderr}"
    );
    assert!(stderr.contains(why), "{why}: {stderr}");
}

#[test]
fn lint_refuses_devices_pipes_directories_and_huge_files() {
    let dir = tempfile::tempdir().unwrap();
    for (path, why) in hostile(dir.path()) {
        let out = cmd(&dir.path().join("rosa.db"))
            .args(["questionnaire", "lint"])
            .arg(&path)
            .output()
            .unwrap();
        assert_refused(&out, &path, why);
    }
}

#[test]
fn interview_refuses_them_as_questionnaire_and_as_answers_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rosa.db");
    for (path, why) in hostile(dir.path()) {
        let out = cmd(&db)
            .args(["interview", "--answers"])
            .arg(&path)
            .output()
            .unwrap();
        assert_refused(&out, &path, why);
        let out = cmd(&db)
            .args([
                "interview",
                "--answers",
                "tests/fixtures/answers/strong.yaml",
            ])
            .arg("--questionnaire")
            .arg(&path)
            .output()
            .unwrap();
        assert_refused(&out, &path, why);
    }
    assert!(!db.exists(), "nothing was stored");
}

#[test]
fn questionnaire_test_refuses_them_as_scenario_file() {
    let dir = tempfile::tempdir().unwrap();
    for (path, why) in hostile(dir.path()) {
        let out = cmd(&dir.path().join("rosa.db"))
            .args(["questionnaire", "test"])
            .arg(&path)
            .output()
            .unwrap();
        assert_refused(&out, &path, why);
    }
}

#[test]
fn a_scenario_naming_a_device_as_its_questionnaire_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("s.yaml");
    std::fs::write(
        &scenario,
        "questionnaire: /dev/zero\ncases:\n  - name: x\n    expect: {outcome: refer}\n",
    )
    .unwrap();
    let out = cmd(&dir.path().join("rosa.db"))
        .args(["questionnaire", "test"])
        .arg(&scenario)
        .output()
        .unwrap();
    assert_refused(&out, Path::new("/dev/zero"), "not a regular file");
}

#[test]
fn a_file_of_comments_over_the_limit_is_refused_by_its_size() {
    // Real bytes this time (not a sparse file): the refusal still comes from the size.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("comments.yaml");
    let line = "# a comment line that is not a questionnaire\n";
    let n =
        usize::try_from(rosa_screen::questionnaire::load::MAX_FILE_BYTES).unwrap() / line.len() + 2;
    std::fs::write(&path, line.repeat(n)).unwrap();
    let out = cmd(&dir.path().join("rosa.db"))
        .args(["questionnaire", "lint"])
        .arg(&path)
        .output()
        .unwrap();
    assert_refused(&out, &path, "larger than 16 MB");
}
