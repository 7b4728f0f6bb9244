//! The review queue through the real binary in a real pseudo-terminal (`common::pty`), on a
//! database prepared with `interview --answers`: open the queue, filter by unit, open a
//! referral, set it to `in_review` with a note, quit; then `referrals show --json` confirms the
//! status and the note, and the audit log holds the view.

// Test helpers panic on failure by design: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use common::pty::Pty;
use common::pty::keys::{CTRL_C, END, ENTER, ESC};
use common::{cli, fixtures};
use rosa_screen::store::Store;

mod common;

/// The review app (or home, with no `args`) over `db`, in the folder that holds it.
fn start(db: &Path, args: &[&str]) -> Pty {
    let mut all = vec!["--db", db.to_str().expect("a UTF-8 temp path")];
    all.extend_from_slice(args);
    Pty::start(db.parent().expect("db folder"), &all)
}

/// Records a whole screening with its referral through `interview --answers` (the built-in
/// questionnaire's strong case, with the unit and person replaced); returns the referral id.
fn record(db: &Path, unit: &str, person: &str) -> String {
    let answers = cli::answers_with(
        fixtures::BUILTIN_STRONG_ANSWERS,
        db.parent().expect("db folder"),
        &format!("{person}.yaml"),
        &[
            ("unit: Oslo fengsel", &format!("unit: {unit}")),
            ("person: \"O-2026-031\"", &format!("person: \"{person}\"")),
        ],
    );
    let out = cli::record(db, None, &answers);
    cli::field(&out, "referral")
        .unwrap_or_else(|| panic!("no referral made: {out}"))
        .trim()
        .to_owned()
}

#[test]
fn filter_open_set_in_review_with_a_note_and_quit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("rosa.db");
    let ila = record(&db, "Ila fengsel", "I-2026-001");
    let ullersmo = record(&db, "Ullersmo fengsel", "U-2026-042");

    let mut t = start(&db, &["review"]);
    t.wait_for("Henvisningskø");
    t.keys("l");
    let queue = t.wait_for("Review queue");
    assert!(queue.contains("new 2"), "{queue}");
    assert!(
        queue.contains("I-2026-001") && queue.contains("U-2026-042"),
        "{queue}"
    );
    // Units cycle in order: Ila, then Ullersmo.
    t.keys("uu");
    let filtered = t.wait_for("unit Ullersmo fengsel");
    assert!(!filtered.contains("I-2026-001"), "{filtered}");
    t.keys(ENTER);
    t.wait_for("REFERRAL");
    t.wait_for("U-2026-042");
    t.keys("s");
    t.wait_for("Move to which status?");
    t.keys(ENTER);
    t.wait_for("Note for the change to in review");
    t.keys("Called Ullersmo, interview booked");
    t.keys(ENTER);
    t.wait_for("Status changed: new -> in review");
    t.keys(ESC);
    t.wait_for("Review queue");
    t.keys("q");
    let status = t.wait_exit();
    assert!(status.success(), "{status:?}");

    let out = cli::stdout(cli::rosa(&db).args(["referrals", "show", &ullersmo, "--json"]));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["status"], "in_review");
    let events = json["events"].as_array().unwrap();
    let change = events.iter().find(|e| e["kind"] == "status").unwrap();
    assert_eq!(change["note"], "Called Ullersmo, interview booked");
    // Recorded under the login name of whoever runs the program.
    let me = rosa_screen::system::login_name().unwrap();
    assert_eq!(change["actor"], me.as_str());

    let store = Store::open(&db).unwrap();
    let audit = store.audit_entries().unwrap();
    let viewed: Vec<_> = audit
        .iter()
        .filter(|a| a.action == "viewed" && a.actor == me)
        .map(|a| a.entity.as_str())
        .collect();
    assert_eq!(viewed, [format!("referral:{ullersmo}")]);
    // The other referral was neither opened nor changed.
    assert!(
        audit
            .iter()
            .all(|a| a.entity != format!("referral:{ila}") || a.action == "created")
    );
    assert!(matches!(
        store.verify_audit().unwrap(),
        rosa_screen::store::AuditCheck::Intact { .. }
    ));
}

#[test]
fn ctrl_c_in_the_queue_opened_from_home_ends_the_program() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("rosa.db");
    record(&db, "Ila fengsel", "I-2026-001");
    let mut t = start(&db, &[]);
    t.wait_for("Åpne henvisningskøen");
    t.keys("r");
    t.wait_for("I-2026-001");
    t.keys(CTRL_C);
    let status = t.wait_exit();
    assert!(status.success(), "{status:?}");
}

#[test]
fn the_language_picked_at_home_is_kept_in_the_queue_and_remembered_for_the_next_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("rosa.db");
    record(&db, "Ila fengsel", "I-2026-001");
    let mut t = start(&db, &[]);
    t.wait_for("Åpne henvisningskøen");
    t.keys("l");
    t.wait_for("Open the review queue");
    t.keys("r");
    t.wait_for("Review queue");
    // Back home in English, then quit.
    t.keys("q");
    t.wait_for("Open the review queue");
    t.keys("q");
    assert!(t.wait_exit().success());
    // The next start remembers English.
    let mut t = start(&db, &["review"]);
    t.wait_for("Review queue");
    t.keys("q");
    assert!(t.wait_exit().success());
}

#[test]
fn the_detail_scrolls_to_the_status_history() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("rosa.db");
    record(&db, "Ila fengsel", "I-2026-001");
    let mut t = start(&db, &["--lang", "en", "review"]);
    t.wait_for("I-2026-001");
    t.keys(ENTER);
    t.wait_for("REFERRAL");
    t.keys("7");
    let screen = t.wait_for("STATUS HISTORY AND NOTES");
    assert!(screen.contains("referral made"), "{screen}");
    // End shows the same last rows, and says it is the end.
    t.keys(END);
    let screen = t.wait_for(" · end");
    assert!(screen.contains("referral made"), "{screen}");
    t.keys(CTRL_C);
    assert!(t.wait_exit().success());
}
