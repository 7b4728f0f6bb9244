//! Hostile or damaged database files, through the real binary: several processes creating one
//! new database at once, `file:` names, truncated, empty and corrupt files, impossible schema
//! versions, and paths that are not files (FIFO, device, folder). Each is refused by name with
//! exit 2 and the file is left byte for byte as it was, with no `-wal`/`-shm` beside it.

// Test helpers panic on failure by design: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;

const ANSWERS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/answers/builtin-strong.yaml"
);

fn cmd() -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin!("rosa-screen"));
    c.env_remove("ROSA_SCREEN_DB")
        .env("ROSA_SCREEN_ACTOR", "tester")
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(60));
    c
}

/// A real database with one screening and its referral, closed cleanly (no -wal left).
fn real_db(dir: &Path) -> PathBuf {
    let db = dir.join("rosa.db");
    cmd()
        .arg("--db")
        .arg(&db)
        .args(["interview", "--answers", ANSWERS])
        .assert()
        .success();
    db
}

/// The files beside `db` whose names start with its name (the -wal and -shm of SQLite).
fn leftovers(db: &Path) -> Vec<String> {
    let name = db.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(db.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&name) && *n != name)
        .collect()
}

#[test]
fn several_processes_create_one_new_database_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let children: Vec<_> = (0..6)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin!("rosa-screen"))
                .arg("--db")
                .arg(&db)
                .args(["interview", "--answers", ANSWERS])
                .env("ROSA_SCREEN_ACTOR", "tester")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "a process failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let list = cmd()
        .arg("--db")
        .arg(&db)
        .args(["referrals", "list", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 6);
    cmd()
        .arg("--db")
        .arg(&db)
        .args(["audit", "verify"])
        .assert()
        .success();
}

#[test]
fn a_file_name_is_a_path_not_a_uri() {
    let dir = tempfile::tempdir().unwrap();
    // An SQLite URI would open `notes.db` (a text file here) in memory or elsewhere; as a
    // path, `file:rosa.db?mode=memory` is a new file with exactly that name.
    std::fs::write(dir.path().join("notes.db"), "shopping list\n").unwrap();
    cmd()
        .current_dir(dir.path())
        .args(["--db", "file:notes.db", "interview", "--answers", ANSWERS])
        .assert()
        .success();
    assert!(dir.path().join("file:notes.db").is_file());
    assert_eq!(
        std::fs::read(dir.path().join("notes.db")).unwrap(),
        b"shopping list\n"
    );
    cmd()
        .current_dir(dir.path())
        .args([
            "--db",
            "file:rosa.db?mode=memory",
            "interview",
            "--answers",
            ANSWERS,
        ])
        .assert()
        .success();
    assert!(dir.path().join("file:rosa.db?mode=memory").is_file());
}

#[test]
fn a_truncated_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = real_db(dir.path());
    let whole = std::fs::read(&db).unwrap();
    for cut in [whole.len() / 2, whole.len() - 4096, 100, 1000] {
        std::fs::write(&db, &whole[..cut]).unwrap();
        for args in [
            &["referrals", "list"][..],
            &["audit", "verify"],
            &["stats"],
            &["interview", "--answers", ANSWERS],
        ] {
            cmd()
                .arg("--db")
                .arg(&db)
                .args(args)
                .assert()
                .code(2)
                .stderr(predicate::str::contains("rosa.db is damaged"));
            assert_eq!(
                std::fs::read(&db).unwrap(),
                &whole[..cut],
                "{args:?} at {cut}"
            );
            assert!(leftovers(&db).is_empty(), "{:?}", leftovers(&db));
        }
    }
}

#[test]
fn corrupt_pages_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = real_db(dir.path());
    let mut bytes = std::fs::read(&db).unwrap();
    // Overwrite every page but the first (the header and schema stay readable).
    for b in &mut bytes[4096..] {
        *b = 0xA5;
    }
    std::fs::write(&db, &bytes).unwrap();
    for args in [&["referrals", "list"][..], &["stats"]] {
        cmd()
            .arg("--db")
            .arg(&db)
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("is damaged"));
        assert_eq!(std::fs::read(&db).unwrap(), bytes);
        assert!(leftovers(&db).is_empty(), "{:?}", leftovers(&db));
    }
    cmd()
        .arg("--db")
        .arg(&db)
        .args(["audit", "verify"])
        .assert()
        .code(predicate::in_iter([1, 2]))
        .stderr(predicate::str::contains("damaged").or(predicate::str::contains("corrupt")));
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
}

#[test]
fn an_empty_file_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("empty.db");
    std::fs::write(&db, b"").unwrap();
    for args in [&["audit", "verify"][..], &["referrals", "list"], &["stats"]] {
        cmd()
            .arg("--db")
            .arg(&db)
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("empty.db is an empty file"));
        assert_eq!(std::fs::metadata(&db).unwrap().len(), 0);
        assert!(leftovers(&db).is_empty());
    }
}

#[test]
fn impossible_schema_versions_get_one_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let db = real_db(dir.path());
    for version in [-5_i64, 2_000_000_000] {
        {
            let c = rusqlite::Connection::open(&db).unwrap();
            c.pragma_update(None, "user_version", version).unwrap();
            c.pragma_update(None, "journal_mode", "DELETE").unwrap();
        }
        let before = std::fs::read(&db).unwrap();
        let out = cmd()
            .arg("--db")
            .arg(&db)
            .args(["referrals", "list"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains(&format!(
                "has schema version {version}, which no rosa-screen writes"
            )),
            "{err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(!err.contains("CREATE"), "{err}");
        assert_eq!(std::fs::read(&db).unwrap(), before);
    }
}

#[cfg(unix)]
#[test]
fn paths_that_are_not_files_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.db");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let cases: Vec<(PathBuf, &str)> = vec![
        (fifo, "is a named pipe (FIFO), not a database file"),
        (
            PathBuf::from("/dev/zero"),
            "is a device, not a database file",
        ),
        (
            PathBuf::from("/dev/null"),
            "is a device, not a database file",
        ),
        (dir.path().to_path_buf(), "is a folder, not a database file"),
    ];
    for (path, says) in cases {
        for args in [
            &["referrals", "list"][..],
            &["interview", "--answers", ANSWERS],
        ] {
            cmd()
                .timeout(Duration::from_secs(20))
                .arg("--db")
                .arg(&path)
                .args(args)
                .assert()
                .code(2)
                .stderr(predicate::str::contains(says));
        }
    }
}

#[test]
fn release_dates_outside_a_sane_window_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dates.db");
    let text = std::fs::read_to_string(ANSWERS).unwrap();
    assert!(text.contains("release_date: 2027-03-01"));
    for (date, shown) in [("1999-12-31", "1999-12-31"), ("2207-03-01", "2207-03-01")] {
        let file = dir.path().join(format!("answers-{date}.yaml"));
        std::fs::write(
            &file,
            text.replace("release_date: 2027-03-01", &format!("release_date: {date}")),
        )
        .unwrap();
        cmd()
            .arg("--db")
            .arg(&db)
            .args(["interview", "--answers"])
            .arg(&file)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "the release date {shown} is outside 2000-01-01 to"
            )));
    }
}
