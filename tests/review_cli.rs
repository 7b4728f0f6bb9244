//! `rosa-screen review` refuses clearly when there is nothing to review.

// Test helpers panic on failure by design: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use predicates::prelude::*;

#[test]
fn a_missing_database_is_named_and_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nothing-here.db");
    assert_cmd::cargo::cargo_bin_cmd!("rosa-screen")
        .args(["review", "--db"])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("there is no database at")
                .and(predicate::str::contains("nothing-here.db")),
        );
    assert!(!db.exists());
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.txt");
    std::fs::write(&db, "not a database").unwrap();
    assert_cmd::cargo::cargo_bin_cmd!("rosa-screen")
        .args(["review", "--db"])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a rosa-screen database"));
    assert_eq!(std::fs::read_to_string(&db).unwrap(), "not a database");
}
