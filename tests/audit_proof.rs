//! `audit verify` as proof, through the real binary: a real database is made with the
//! commands, a copy is changed behind the program's back with rusqlite, and `audit verify`
//! must exit 1 naming what was changed; `audit head` anchors catch entries removed at the end.

// Test helpers panic on failure by design: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use predicates::prelude::*;

mod common;

use common::{cli, fixtures};

/// A database with one screening and its referral, moved on and noted: (dir, db, screening,
/// referral).
fn real() -> (tempfile::TempDir, PathBuf, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rosa.db");
    let made = cli::stdout(cli::rosa(&db).args([
        "interview",
        "--answers",
        fixtures::BUILTIN_STRONG_ANSWERS,
    ]));
    let (s, r) = (
        cli::field(&made, "screening").unwrap().to_owned(),
        cli::field(&made, "referral").unwrap().to_owned(),
    );
    cli::stdout(cli::rosa(&db).args(["referrals", "set-status", &r, "in_review"]));
    cli::stdout(cli::rosa(&db).args(["referrals", "note", &r, "called the unit"]));
    (dir, db, s, r)
}

/// A copy of `db` changed by `sql` (run with the append-only triggers in place unless the SQL
/// drops them).
fn tampered(db: &Path, name: &str, sql: &str) -> PathBuf {
    let copy = db.with_file_name(name);
    std::fs::copy(db, &copy).unwrap();
    let c = rusqlite::Connection::open(&copy).unwrap();
    c.execute_batch(sql).unwrap();
    drop(c);
    copy
}

/// `audit verify` on `db` exits 1 and its output names every `needle`.
fn refused(db: &Path, args: &[&str], needles: &[&str]) {
    let o = cli::rosa(db)
        .args(["audit", "verify"])
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(o.status.code(), Some(1), "{text}");
    for n in needles {
        assert!(text.contains(n), "`{n}` not in:\n{text}");
    }
}

#[test]
fn an_untouched_database_is_intact_and_replayed() {
    let (_dir, db, _, _) = real();
    let text = cli::stdout(cli::rosa(&db).args(["audit", "verify"]));
    assert!(text.contains("audit log intact: "), "{text}");
    assert!(text.contains("replayed: 1 screenings, "), "{text}");
    assert!(text.contains(" 1 referrals, 0 anchors"), "{text}");
    let head = cli::stdout(cli::rosa(&db).args(["audit", "head"]));
    let (n, hash) = (
        cli::field(&head, "entries").unwrap(),
        cli::field(&head, "head").unwrap(),
    );
    assert_eq!(hash.len(), 64);
    let anchored =
        cli::stdout(cli::rosa(&db).args(["audit", "verify", "--anchor", &format!("{n}:{hash}")]));
    assert!(anchored.contains("1 anchors"), "{anchored}");
    cli::rosa(&db)
        .args(["audit", "verify", "--anchor", "seven:abc"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the anchor `seven:abc` is not N:HASH",
        ));
}

#[test]
fn a_status_changed_behind_the_programs_back_is_named() {
    let (_dir, db, _, r) = real();
    let bad = tampered(
        &db,
        "status.db",
        &format!("UPDATE referrals SET status = 'accepted' WHERE id = '{r}';"),
    );
    refused(
        &bad,
        &[],
        &[
            &format!("the status of referral {r} is `accepted`"),
            "`in_review`",
        ],
    );
}

#[test]
fn an_edited_answer_is_named() {
    let (_dir, db, s, _) = real();
    let bad = tampered(
        &db,
        "answer.db",
        "UPDATE answers SET answer = '\"no\"' WHERE question_id = 'offered_work';",
    );
    refused(
        &bad,
        &[],
        &[&format!(
            "the answer to `offered_work` in screening {s} was edited"
        )],
    );
    let note = tampered(
        &db,
        "note.db",
        "UPDATE answers SET note = 'made up' WHERE question_id = 'work_hours';",
    );
    refused(&note, &[], &[&format!("`work_hours` in screening {s}")]);
}

#[test]
fn changed_officer_or_person_is_named() {
    let (_dir, db, s, _) = real();
    for (name, sql) in [
        (
            "officer.db",
            "UPDATE screenings SET officer = 'Someone else';",
        ),
        ("person.db", "UPDATE screenings SET person = 'O-2026-999';"),
    ] {
        let bad = tampered(&db, name, sql);
        refused(&bad, &[], &[&format!("the details of screening {s}")]);
    }
}

#[test]
fn a_deleted_referral_or_history_is_named() {
    let (_dir, db, _, r) = real();
    let gone = tampered(
        &db,
        "gone.db",
        &format!(
            "DELETE FROM referral_events WHERE referral_id = '{r}'; DELETE FROM referrals WHERE id = '{r}';"
        ),
    );
    refused(&gone, &[], &[&format!("referral {r} was deleted")]);
    let history = tampered(
        &db,
        "history.db",
        "DELETE FROM referral_events WHERE kind = 'note';",
    );
    refused(
        &history,
        &[],
        &[&format!("the history of referral {r} does not match")],
    );
}

#[test]
fn entries_removed_from_the_end_are_caught_by_an_anchor() {
    let (_dir, db, _, r) = real();
    let head = cli::stdout(cli::rosa(&db).args(["audit", "head"]));
    let anchor = format!(
        "{}:{}",
        cli::field(&head, "entries").unwrap(),
        cli::field(&head, "head").unwrap()
    );
    let n: i64 = cli::field(&head, "entries").unwrap().parse().unwrap();
    // The last entries go, and the trigger is put back as it was.
    let cut = tampered(
        &db,
        "cut.db",
        &format!(
            "DROP TRIGGER audit_no_delete;
             DELETE FROM audit WHERE seq >= {n} - 1;
             CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                 BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
             DELETE FROM referral_events WHERE kind = 'note' AND referral_id = '{r}';"
        ),
    );
    refused(
        &cut,
        &["--anchor", &anchor],
        &[&format!(
            "entry {n} of the anchor {anchor} (--anchor) is missing"
        )],
    );
}

#[test]
fn an_emptied_log_is_not_intact() {
    let (_dir, db, _, _) = real();
    let empty = tampered(
        &db,
        "empty.db",
        "DROP TRIGGER audit_no_delete; DELETE FROM audit;
         CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
             BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    );
    refused(
        &empty,
        &[],
        &["the audit log is empty, but the database holds 1 screenings"],
    );
}

#[test]
fn dropped_append_only_triggers_are_reported() {
    let (_dir, db, _, _) = real();
    let bad = tampered(&db, "trigger.db", "DROP TRIGGER audit_no_update;");
    refused(
        &bad,
        &[],
        &["the append-only trigger audit_no_update of the audit log was dropped"],
    );
}

#[test]
fn erased_content_is_skipped_and_renamed_statuses_are_replayed() {
    let (_dir, db, s, r) = real();
    // A withdrawal erases the screening's content and destroys its key: still intact.
    {
        let mut store = rosa_screen::store::Store::open(&db)
            .unwrap()
            .with_actor("tester");
        store.erase_screening_content(&s, "withdrawn").unwrap();
    }
    let text = cli::stdout(cli::rosa(&db).args(["audit", "verify"]));
    assert!(text.contains("(1 erased screenings skipped)"), "{text}");
    let c = rusqlite::Connection::open(&db).unwrap();
    let left: i64 = c
        .query_row(
            "SELECT count(*) FROM answers WHERE screening_id = ?1",
            [&s],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
    drop(c);
    // A migration renaming `in_review` records the mapping; replay reads the log's old name
    // as the new one.
    let renamed = tampered(
        &db,
        "renamed.db",
        &format!(
            "UPDATE referrals SET status = 'contacted' WHERE id = '{r}';
             UPDATE referral_events SET to_status = 'contacted' WHERE to_status = 'in_review';
             INSERT INTO status_renames (old, new, schema_version) VALUES ('in_review', 'contacted', 99);"
        ),
    );
    cli::stdout(cli::rosa(&renamed).args(["audit", "verify"]));
    let unrecorded = tampered(
        &db,
        "unrecorded.db",
        &format!(
            "UPDATE referrals SET status = 'contacted' WHERE id = '{r}';
             UPDATE referral_events SET to_status = 'contacted' WHERE to_status = 'in_review';"
        ),
    );
    refused(
        &unrecorded,
        &[],
        &[&format!("the status of referral {r} is `contacted`")],
    );
}

/// Issue 14 item 9: the built-in questionnaire asks about the interpreter, so its answer fills
/// it (with its own `filled details` entry, in the answer's transaction) and the replay accepts
/// that; the interpreter changed afterwards behind the program's back is named.
#[test]
fn an_interpreter_filled_by_the_answer_is_proved_and_a_later_edit_named() {
    let (_dir, db, s, _) = real();
    let c = rusqlite::Connection::open(&db).unwrap();
    let filled: Vec<String> = c
        .prepare("SELECT detail FROM audit WHERE action = 'filled details' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    drop(c);
    assert!(
        filled
            .iter()
            .any(|d| d.starts_with("details.interpreter details:")),
        "{filled:?}"
    );
    let text = cli::stdout(cli::rosa(&db).args(["audit", "verify"]));
    assert!(text.contains("audit log intact: "), "{text}");
    let edited = tampered(
        &db,
        "interpreter.db",
        &format!("UPDATE screenings SET interpreter = 'phone' WHERE id = '{s}';"),
    );
    refused(&edited, &[], &[&format!("the details of screening {s}")]);
    let emptied = tampered(
        &db,
        "not-known.db",
        &format!("UPDATE screenings SET interpreter = NULL WHERE id = '{s}';"),
    );
    refused(&emptied, &[], &[&format!("the details of screening {s}")]);
}
