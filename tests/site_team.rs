//! A site's team sharing one database (product.md, "Deployment"): a screening started by one
//! officer is resumed and finished by another, each audit entry names the login name of who did
//! it, and no audit row carries the officer's typed contact details. The database is created in
//! a team's folder (set-group-id) with mode 0660, and a database open to every user is refused.
//!
//! The real two-user run (two system users, the Debian package) is `.ci/deb-test`; here one
//! process plays both officers with `Store::with_actor`.

#![cfg(unix)]
// Test helpers panic on failure by design: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use rosa_screen::questionnaire;
use rosa_screen::screening::Answer;
use rosa_screen::store::{
    Consent, Finish, Interpreter, NewReferral, NewScreening, Store, StoreError,
};

mod common;

use common::fixtures;

const CONTACT: &str = "Duty officer B, 555 01 234";

fn details() -> NewScreening {
    NewScreening {
        officer: CONTACT.into(),
        interpreter: Some(Interpreter::None),
        person_language: None,
        ..fixtures::details("Bredtveit", "B-2026-117")
    }
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

/// A team's folder: 2770, as the package's install makes `/var/lib/rosa-screen`.
fn team_folder() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o2770)).unwrap();
    (tmp, dir)
}

#[test]
fn two_officers_share_a_screening_under_their_own_login_names() {
    let (_tmp, dir) = team_folder();
    let db = dir.join("rosa-screen.db");
    let q = questionnaire::builtin().unwrap();

    let mut first = Store::open(&db).unwrap().with_actor("officer1");
    // Created for the team: the group may read and write it, nobody else.
    assert_eq!(mode(&db), 0o660);
    let id = first.create_screening(&q, &details()).unwrap();
    first
        .record_answer(&id, "agrees", Some(&Answer::Choice("yes".into())), None)
        .unwrap();
    drop(first);

    // Another member of the team resumes the unfinished screening and finishes it.
    let mut second = Store::open(&db).unwrap().with_actor("officer2");
    let unfinished = second.unfinished().unwrap();
    assert_eq!(unfinished.len(), 1);
    assert_eq!(unfinished[0].id, id);
    second
        .record_answer(&id, "agrees", Some(&Answer::Choice("no".into())), None)
        .unwrap();
    second
        .finish_screening(
            &id,
            &Finish {
                outcome: "declined_talk".into(),
                ..Finish::default()
            },
        )
        .unwrap();
    let referral = second.create_referral(
        &id,
        &NewReferral {
            consent: Consent::Anonymous,
            release_date: None,
            expulsion: None,
            contact: CONTACT.into(),
        },
    );
    // Whatever the outcome allows, the audit rows below are what matters.
    drop(referral);

    let entries = second.audit_entries().unwrap();
    let screening_rows: Vec<(&str, &str)> = entries
        .iter()
        .filter(|e| e.entity == format!("screening:{id}"))
        .map(|e| (e.actor.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        screening_rows,
        [
            ("officer1", "created"),
            ("officer1", "answered"),
            ("officer2", "changed answer"),
            ("officer2", "finished"),
        ]
    );
    for e in &entries {
        for field in [&e.actor, &e.action, &e.entity, &e.detail] {
            assert!(
                // The whole phone number: a hex digest may hold "555" by chance.
                !field.contains("555 01 234") && !field.contains("Duty officer"),
                "contact details in an audit row: {e:?}"
            );
        }
    }
    // The typed officer stays the screening's contact data.
    assert_eq!(second.load_screening(&id).unwrap().officer, CONTACT);
    assert!(matches!(
        second.verify_audit().unwrap(),
        rosa_screen::store::AuditCheck::Intact { .. }
    ));
    // The files SQLite made beside it are the team's too.
    for suffix in ["-wal", "-shm"] {
        let f = dir.join(format!("rosa-screen.db{suffix}"));
        if f.exists() {
            assert_eq!(mode(&f) & 0o007, 0, "{}", f.display());
        }
    }
}

#[test]
fn a_database_open_to_every_user_is_refused_and_left_as_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("rosa-screen.db");
    drop(Store::open(&db).unwrap());
    assert_eq!(mode(&db), 0o600);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = std::fs::read(&db).unwrap();
    let err = Store::open(&db).unwrap_err();
    assert!(matches!(err, StoreError::Unsafe(_)), "{err:?}");
    assert_eq!(err.exit_code(), 2);
    let msg = err.to_string();
    assert!(msg.contains(&db.display().to_string()), "{msg}");
    assert!(
        msg.contains(&format!("chmod 0600 {}", db.display())),
        "{msg}"
    );
    assert_eq!(mode(&db), 0o644);
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn the_cli_refuses_a_world_readable_database_with_the_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("rosa-screen.db");
    drop(Store::open(&db).unwrap());
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("rosa-screen"))
        .env("ROSA_SCREEN_DB", &db)
        .args(["referrals", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        format!(
            "rosa-screen: the database file {0} can be read by every user of this machine (mode \
             0644) and holds personal data: run `chmod 0600 {0}` (the program does not change \
             modes itself)\n",
            db.display()
        )
    );
}
