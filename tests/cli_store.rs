//! The storage commands through the real binary: referrals, stats, audit verify, and refusing
//! bad database files without touching them.

// Test helpers panic on failure by design: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

mod common;

use common::cli;
use common::fixtures::{self, raised};
use predicates::prelude::*;
use rosa_screen::screening::Answer;
use rosa_screen::store::{Consent, Finish, Gender, Interpreter, NewReferral, NewScreening, Store};

/// A finished screening with a referral, made through the library as an interview would.
fn seed(store: &mut Store, unit: &str, person: &str) -> String {
    let s = store
        .create_screening(&fixtures::small(), &fixtures::details(unit, person))
        .unwrap();
    store.record_answer(&s, "explain", None, None).unwrap();
    for (q, a) in &fixtures::strong_answers() {
        store.record_answer(&s, q, Some(a), None).unwrap();
    }
    // A changed answer keeps the earlier value.
    store
        .record_answer(&s, "hours", Some(&Answer::Number(15.0)), Some("corrected"))
        .unwrap();
    store.record_answer(&s, "notes", None, None).unwrap();
    store
        .finish_screening(
            &s,
            &Finish {
                outcome: "strong_indication".into(),
                indicators: vec![
                    raised("job_deception", &["job_matched"]),
                    raised("travel_arranged", &["who_arranged"]),
                    raised("long_days", &[]),
                    raised("little_pay", &["conditions"]),
                    raised("watched", &["conditions"]),
                    raised("papers_taken", &["passport"]),
                ],
                flags: vec![raised("forced_crime", &["told_to_offend"])],
                positive: vec![
                    "recruitment".into(),
                    "exploitation".into(),
                    "control".into(),
                ],
            },
        )
        .unwrap();
    store
        .create_referral(
            &s,
            &NewReferral {
                consent: Consent::Named,
                release_date: Some(jiff::civil::date(2027, 1, 15)),
                expulsion: Some(rosa_screen::store::Expulsion::Yes),
                contact: "Duty officer B, 555 01 234".into(),
            },
        )
        .unwrap()
}

fn setup() -> (tempfile::TempDir, PathBuf, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rosa.db");
    let mut store = Store::open(&db).unwrap();
    let ids = vec![
        seed(&mut store, "Bredtveit", "B-2026-117"),
        seed(&mut store, "Ullersmo", "U-2026-009"),
    ];
    (dir, db, ids)
}

/// Ids and times differ on every run.
/// The login name the binary records as actor (the same user runs the tests).
fn login() -> String {
    rosa_screen::system::login_name().unwrap()
}

fn filtered() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    // The actor is the login name of whoever runs the tests.
    s.add_filter(&regex_escape(&format!("({})", login())), "([LOGIN])");
    s.add_filter(
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "[ID]",
    );
    s.add_filter(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", "[TIME]");
    // Today's date (the MADE column); the release date stays visible.
    let today = jiff::Timestamp::now().to_string()[..10].to_owned();
    s.add_filter(&regex_escape(&today), "[TODAY]   ");
    s
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

#[test]
fn list_filters_and_prints_json() {
    let (_dir, db, ids) = setup();
    let all = cli::stdout(cli::rosa(&db).args(["referrals", "list"]));
    filtered().bind(|| insta::assert_snapshot!("list", all));
    let one = cli::stdout(cli::rosa(&db).args(["referrals", "list", "--unit", "ullersmo"]));
    assert!(one.contains(&ids[1]) && !one.contains(&ids[0]), "{one}");
    let json = cli::stdout(cli::rosa(&db).args(["referrals", "list", "--status", "new", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["id"], ids[1].as_str(), "newest first");
    assert_eq!(v[0]["flags"][0], "forced_crime");
    let none = cli::stdout(cli::rosa(&db).args(["referrals", "list", "--since", "2999-01-01"]));
    assert_eq!(none, "no referrals\n");
    cli::rosa(&db)
        .args(["referrals", "list", "--status", "open"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`open` is not a referral status"));
    cli::rosa(&db)
        .args(["referrals", "list", "--since", "15.01.2027"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("YYYY-MM-DD"));
}

#[test]
fn list_pages_with_limit_and_after() {
    let (_dir, db, ids) = setup();
    // Newest first: ids[1], then ids[0].
    let first = cli::stdout(cli::rosa(&db).args(["referrals", "list", "--limit", "1"]));
    assert!(
        first.contains(&ids[1]) && !first.contains(&ids[0]),
        "{first}"
    );
    assert!(
        first.ends_with(&format!(
            "1 shown of 2 matching; next page: --after {}\n",
            ids[1]
        )),
        "{first}"
    );
    let second =
        cli::stdout(cli::rosa(&db).args(["referrals", "list", "--limit", "1", "--after", &ids[1]]));
    assert!(
        second.contains(&ids[0]) && !second.contains(&ids[1]),
        "{second}"
    );
    assert!(
        second.ends_with("1 shown of 2 matching; this is the last page\n"),
        "{second}"
    );
    let json = cli::stdout(cli::rosa(&db).args(["referrals", "list", "--limit", "1", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["total"], 2);
    assert_eq!(v["referrals"][0]["id"], ids[1].as_str());
    assert_eq!(v["next_after"], ids[1].as_str());
    // Without --limit every match is printed, as scripts expect.
    let all = cli::stdout(cli::rosa(&db).args(["referrals", "list", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&all).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    cli::rosa(&db)
        .args(["referrals", "list", "--limit", "0"])
        .assert()
        .code(2);
    cli::rosa(&db)
        .args(["referrals", "list", "--limit", "1", "--after", "ffff"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ffff"));
}

#[test]
fn show_text_markdown_json() {
    let (_dir, db, ids) = setup();
    let text = cli::stdout(cli::rosa(&db).args(["referrals", "show", &ids[0]]));
    // Issue 14 item 14: `long_days` was raised by its `when` (`hours > 12`) and stored with no
    // evidence, as screenings finished before conditions named their answers were; the
    // summary replays the answers and names the one the condition read.
    assert!(
        text.contains("because of \"How many hours a day did you work?\": 15"),
        "{text}"
    );
    assert!(!text.contains("raised by its condition"), "{text}");
    filtered().bind(|| insta::assert_snapshot!("show_text", text));
    let md = cli::stdout(cli::rosa(&db).args(["referrals", "show", &ids[0], "--markdown"]));
    filtered().bind(|| insta::assert_snapshot!("show_markdown", md));
    let json = cli::stdout(cli::rosa(&db).args(["referrals", "show", &ids[0], "--json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    // The JSON export names the answer `long_days`'s condition read too.
    let long_days = v["screening"]["result"]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "long_days")
        .cloned()
        .unwrap();
    assert_eq!(long_days["because"], serde_json::json!(["hours"]));
    assert_eq!(v["status"], "new");
    assert_eq!(v["screening"]["person"], "B-2026-117");
    assert_eq!(v["screening"]["result"]["outcome"], "strong_indication");
    let audit = Store::open(&db).unwrap().audit_entries().unwrap();
    let tail: Vec<_> = audit[audit.len() - 3..]
        .iter()
        .map(|e| (e.actor.as_str(), e.action.as_str(), e.detail.as_str()))
        .collect();
    // Actions are recorded under the login name of whoever runs the program.
    let me = login();
    assert_eq!(
        tail,
        [
            (me.as_str(), "viewed", ""),
            (me.as_str(), "exported", "markdown"),
            (me.as_str(), "exported", "json")
        ]
    );
}

#[test]
fn ids_may_be_given_as_unique_prefix() {
    let (_dir, db, ids) = setup();
    // The last 12 hex digits of a uuid v7 are random: a long prefix is unique.
    let prefix = &ids[0][..30];
    let out = cli::stdout(cli::rosa(&db).args(["referrals", "show", prefix]));
    assert!(out.contains(&ids[0]));
    cli::rosa(&db)
        .args(["referrals", "show", &ids[0][..4]])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("matches 2 referrals"));
    cli::rosa(&db)
        .args(["referrals", "show", "ffffffff"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no referral with id `ffffffff`"));
}

#[test]
fn status_changes_follow_the_workflow() {
    let (_dir, db, ids) = setup();
    let id = &ids[0];
    cli::rosa(&db)
        .args(["referrals", "set-status", id, "accepted"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot go from `new` to `accepted`; allowed next: in_review, closed",
        ));
    let out = cli::stdout(cli::rosa(&db).args(["referrals", "set-status", id, "in_review"]));
    assert_eq!(out, format!("referral: {id}\nstatus: new -> in_review\n"));
    cli::stdout(cli::rosa(&db).args([
        "referrals",
        "set-status",
        id,
        "contacted",
        "--note",
        "phoned the unit",
    ]));
    let out = cli::stdout(cli::rosa(&db).args(["referrals", "note", id, "meeting on Tuesday"]));
    assert_eq!(out, format!("referral: {id}\nnote: added\n"));
    cli::rosa(&db)
        .args(["referrals", "set-status", id, "closed"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("needs a note"));
    cli::stdout(cli::rosa(&db).args(["referrals", "set-status", id, "accepted"]));
    cli::stdout(cli::rosa(&db).args(["referrals", "set-status", id, "closed"]));
    cli::rosa(&db)
        .args(["referrals", "set-status", id, "new"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "allowed next: none (it is closed)",
        ));
    let show = cli::stdout(cli::rosa(&db).args(["referrals", "show", id]));
    let me = login();
    assert!(
        show.contains(&format!("status new -> in_review ({me})")),
        "{show}"
    );
    assert!(show.contains(&format!(
        "status in_review -> contacted ({me}): phoned the unit"
    )));
    assert!(show.contains(&format!("note ({me}): meeting on Tuesday")));
    cli::rosa(&db)
        .args(["referrals", "note", id, "   "])
        .assert()
        .code(1);
    // Typed text is data: notes with terminal control are refused at input, naming the
    // character and never echoing it.
    for args in [
        vec!["referrals", "note", id, "ok\u{1b}]0;owned\u{7}"],
        vec!["referrals", "set-status", id, "closed", "--note", "a\rb"],
    ] {
        let out = cli::rosa(&db).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("the note contains the control character U+"),
            "{err}"
        );
        assert!(!err.contains('\u{1b}') && !err.contains('\r'), "{err:?}");
    }
    let long = "x".repeat(4001);
    cli::rosa(&db)
        .args(["referrals", "note", id, &long])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the note is 4001 characters long; at most 4000 are allowed",
        ));
}

#[test]
fn stats_count_the_year() {
    let (_dir, db, _) = setup();
    let year = jiff::Timestamp::now().to_string()[..4].to_owned();
    let out = cli::stdout(cli::rosa(&db).args(["stats", "--year", &year]));
    let out = out.replace(&year, "[YEAR]");
    insta::assert_snapshot!("stats", out);
    let json = cli::stdout(cli::rosa(&db).args(["stats", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["screenings"], 2);
    assert_eq!(v["referrals"], 2);
    assert_eq!(v["flags"][0]["key"], "forced_crime");
    let old = cli::stdout(cli::rosa(&db).args(["stats", "--year", "2001"]));
    assert!(old.contains("screenings: 0"));
    cli::rosa(&db)
        .args(["stats", "--year", "20000"])
        .assert()
        .code(2);
}

#[test]
fn audit_verify_detects_tampering() {
    let (_dir, db, ids) = setup();
    cli::stdout(cli::rosa(&db).args(["referrals", "show", &ids[0]]));
    cli::rosa(&db)
        .args(["audit", "verify"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("audit log intact: 33 entries"));
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(
            "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'nobody' WHERE seq = 7;",
        )
        .unwrap();
    }
    cli::rosa(&db)
        .args(["audit", "verify"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "broken at entry 7: entry 7 was changed",
        ));
}

#[test]
fn audit_verify_detects_deleted_entries() {
    let (_dir, db, _) = setup();
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 12;")
            .unwrap();
    }
    cli::rosa(&db)
        .args(["audit", "verify"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "broken at entry 12: entry 12 is missing",
        ));
}

#[test]
fn bad_database_files_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "shopping list\n").unwrap();
    cli::rosa(&text)
        .args(["referrals", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a rosa-screen database"));
    assert_eq!(std::fs::read(&text).unwrap(), b"shopping list\n");

    let other = dir.path().join("other.sqlite");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE songs (title TEXT);").unwrap();
    }
    let before = std::fs::read(&other).unwrap();
    cli::rosa(&other)
        .args(["stats"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "SQLite database of another program",
        ));
    assert_eq!(std::fs::read(&other).unwrap(), before);

    let newer = dir.path().join("newer.db");
    drop(Store::open(&newer).unwrap());
    {
        let c = rusqlite::Connection::open(&newer).unwrap();
        c.pragma_update(None, "user_version", 999).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(&newer).unwrap();
    cli::rosa(&newer)
        .args(["audit", "verify"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "written by a newer rosa-screen (schema version 999",
        ));
    assert_eq!(std::fs::read(&newer).unwrap(), before);

    let missing = dir.path().join("typo.db");
    cli::rosa(&missing)
        .args(["referrals", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("there is no database at"));
    assert!(!missing.exists());
}

#[test]
fn answers_left_behind_by_a_change_are_marked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rosa.db");
    let mut store = Store::open(&db).unwrap();
    let s = store
        .create_screening(
            &fixtures::small(),
            &NewScreening {
                unit: "Ila".into(),
                officer: "O".into(),
                person: "I-9".into(),
                gender: Gender::Male,
                birth_year: Some(1999),
                nationality: "RO".into(),
                language: "en".into(),
                interpreter: Some(Interpreter::None),
                person_language: None,
            },
        )
        .unwrap();
    for (q, a) in [
        ("age_estimate", Some(Answer::Number(30.0))),
        ("explain", None),
        ("agrees", Some(Answer::Choice("yes".into()))),
        ("came_for_job", Some(Answer::Choice("no".into()))),
        // The officer goes back: the person does not want to talk after all.
        ("agrees", Some(Answer::Choice("no".into()))),
    ] {
        store.record_answer(&s, q, a.as_ref(), None).unwrap();
    }
    store
        .finish_screening(
            &s,
            &Finish {
                outcome: "declined_talk".into(),
                ..Finish::default()
            },
        )
        .unwrap();
    let r = store
        .create_referral(
            &s,
            &NewReferral {
                consent: Consent::Anonymous,
                release_date: None,
                expulsion: None,
                contact: "O".into(),
            },
        )
        .unwrap();
    let text = cli::stdout(cli::rosa(&db).args(["referrals", "show", &r]));
    let block = text
        .split("Did you come here for a job?")
        .nth(1)
        .unwrap()
        .lines()
        .take(3)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(block.contains("Not counted"), "{block}");
    let agrees = text.split("(agrees)").nth(1).unwrap();
    assert!(agrees.contains("Earlier answer: Yes"), "{agrees}");
    assert!(!agrees.lines().take(3).any(|l| l.contains("Not counted")));
}
