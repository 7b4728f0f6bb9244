//! Round trips through an in-memory and an on-disk store.

use super::*;
use crate::questionnaire::{Questionnaire, Source};
use crate::screening::Answer;

pub(crate) fn questionnaire(text: &str) -> Questionnaire {
    let mut q = Questionnaire::default();
    q.id = "small-screening".into();
    q.version = "0.1".into();
    q.source = Source {
        name: "small.yaml".into(),
        text: text.into(),
        ..Source::default()
    };
    q
}

pub(crate) fn details() -> NewScreening {
    NewScreening {
        unit: "Bredtveit".into(),
        officer: "Duty officer B".into(),
        person: "B-2026-117".into(),
        gender: Gender::Female,
        birth_year: Some(1990),
        nationality: "NG".into(),
        language: "en".into(),
        interpreter: Some(Interpreter::InPerson),
        person_language: Some("yo".into()),
    }
}

fn yes() -> Answer {
    Answer::Choice("yes".into())
}

fn finished_referral(store: &mut Store) -> (String, String) {
    let q = questionnaire("format: 1\n");
    let s = store.create_screening(&q, &details()).unwrap();
    store
        .record_answer(&s, "agrees", Some(&yes()), None)
        .unwrap();
    store
        .finish_screening(
            &s,
            &Finish {
                outcome: "possible".into(),
                indicators: vec![Raised {
                    id: "job_deception".into(),
                    because: vec!["job_matched".into()],
                }],
                flags: vec![Raised {
                    id: "forced_crime".into(),
                    because: vec![],
                }],
                positive: vec!["recruitment".into()],
            },
        )
        .unwrap();
    let r = store
        .create_referral(
            &s,
            &NewReferral {
                consent: Consent::Named,
                release_date: Some(jiff::civil::date(2027, 1, 15)),
                expulsion: Some(crate::store::Expulsion::Yes),
                contact: "555 01 234".into(),
            },
        )
        .unwrap();
    (s, r)
}

#[test]
fn answers_keep_history_and_order() {
    let mut store = Store::in_memory().unwrap();
    let q = questionnaire("format: 1\nid: x\n");
    let s = store.create_screening(&q, &details()).unwrap();
    assert!(
        store
            .record_answer(&s, "agrees", Some(&yes()), None)
            .unwrap()
    );
    assert!(
        store
            .record_answer(&s, "hours", Some(&Answer::Number(14.0)), Some("said 14"))
            .unwrap()
    );
    // The same again changes nothing.
    assert!(
        !store
            .record_answer(&s, "agrees", Some(&yes()), None)
            .unwrap()
    );
    // A change keeps the earlier value.
    assert!(
        store
            .record_answer(&s, "agrees", Some(&Answer::Choice("no".into())), None)
            .unwrap()
    );
    store.record_answer(&s, "explain", None, None).unwrap();

    let loaded = store.load_screening(&s).unwrap();
    let ids: Vec<_> = loaded
        .answers
        .iter()
        .map(|a| a.question_id.as_str())
        .collect();
    assert_eq!(ids, ["agrees", "hours", "explain"]);
    let agrees = loaded.answer("agrees").unwrap();
    assert_eq!(agrees.answer, Some(Answer::Choice("no".into())));
    assert_eq!(agrees.history.len(), 1);
    assert_eq!(agrees.history[0].answer, Some(yes()));
    assert!(agrees.history[0].replaced_at >= agrees.history[0].answered_at);
    assert_eq!(
        loaded.answer("hours").unwrap().note.as_deref(),
        Some("said 14")
    );
    assert_eq!(loaded.answer("explain").unwrap().answer, None);
    assert_eq!(loaded.questionnaire_yaml, "format: 1\nid: x\n");
    assert_eq!(loaded.questionnaire_hash, sha256_hex(b"format: 1\nid: x\n"));
    assert!(loaded.result.is_none());
    assert_eq!(store.unfinished().unwrap().len(), 1);
    assert_eq!(store.unfinished().unwrap()[0].entries, 3);
}

#[test]
fn finished_screening_is_closed_to_answers() {
    let mut store = Store::in_memory().unwrap();
    let (s, _) = finished_referral(&mut store);
    assert!(store.unfinished().unwrap().is_empty());
    let err = store
        .record_answer(&s, "agrees", Some(&yes()), None)
        .unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err}");
    let loaded = store.load_screening(&s).unwrap();
    let result = loaded.result.unwrap();
    assert_eq!(result.outcome, "possible");
    assert_eq!(result.indicators[0].because, ["job_matched"]);
    assert_eq!(result.flags[0].id, "forced_crime");
    assert_eq!(result.positive, ["recruitment"]);
    assert_eq!(loaded.consent, Some(Consent::Named));
}

#[test]
fn referral_needs_consent_and_a_finished_screening() {
    let mut store = Store::in_memory().unwrap();
    let q = questionnaire("format: 1\n");
    let s = store.create_screening(&q, &details()).unwrap();
    let new = NewReferral {
        consent: Consent::Named,
        release_date: None,
        expulsion: None,
        contact: "x".into(),
    };
    assert!(matches!(
        store.create_referral(&s, &new).unwrap_err(),
        StoreError::Refused(_)
    ));
    store.finish_screening(&s, &Finish::default()).unwrap();
    let none = NewReferral {
        consent: Consent::None,
        ..new.clone()
    };
    let err = store.create_referral(&s, &none).unwrap_err();
    assert!(err.to_string().contains("+47 22 33 11 60"), "{err}");
    store.create_referral(&s, &new).unwrap();
    assert!(store.create_referral(&s, &new).is_err());
}

#[test]
fn status_workflow_and_history() {
    let mut store = Store::in_memory().unwrap();
    let (_, r) = finished_referral(&mut store);
    let err = store
        .set_status(&r, Status::Accepted, None, "rosa")
        .unwrap_err();
    assert!(
        err.to_string().contains("allowed next: in_review, closed"),
        "{err}"
    );
    assert_eq!(err.exit_code(), 1);
    assert_eq!(
        store
            .set_status(&r, Status::InReview, None, "rosa")
            .unwrap(),
        Status::New
    );
    store.add_note(&r, "called the prison", "rosa").unwrap();
    assert!(store.set_status(&r, Status::Closed, None, "rosa").is_err());
    store
        .set_status(&r, Status::Closed, Some("released before contact"), "rosa")
        .unwrap();
    let err = store.set_status(&r, Status::New, None, "rosa").unwrap_err();
    assert!(err.to_string().contains("none (it is closed)"), "{err}");
    let d = store.referral(&r).unwrap();
    assert_eq!(d.row.status, Status::Closed);
    let kinds: Vec<_> = d.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["created", "status", "note", "status"]);
    assert_eq!(d.events[3].note.as_deref(), Some("released before contact"));
    assert_eq!(d.row.flags, ["forced_crime"]);
    assert_eq!(d.row.release_date.as_deref(), Some("2027-01-15"));
}

#[test]
fn list_filters_and_prefixes() {
    let mut store = Store::in_memory().unwrap();
    let (_, a) = finished_referral(&mut store);
    let (_, b) = finished_referral(&mut store);
    store
        .set_status(&b, Status::InReview, None, "rosa")
        .unwrap();
    let all = store.referrals(&ReferralFilter::default()).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].id, b, "newest first");
    let new = store
        .referrals(&ReferralFilter {
            status: Some(Status::New),
            ..ReferralFilter::default()
        })
        .unwrap();
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].id, a);
    let unit = store
        .referrals(&ReferralFilter {
            unit: Some("bredtveit".into()),
            since: Some(jiff::civil::date(2000, 1, 1)),
            ..ReferralFilter::default()
        })
        .unwrap();
    assert_eq!(unit.len(), 2);
    let future = store
        .referrals(&ReferralFilter {
            since: Some(jiff::civil::date(2999, 1, 1)),
            ..ReferralFilter::default()
        })
        .unwrap();
    assert!(future.is_empty());
    assert_eq!(store.resolve_referral(&a).unwrap(), a);
    assert_eq!(store.resolve_referral(&a.to_uppercase()).unwrap(), a);
    // Both ids were made within the same millisecond range: the first 8 hex digits match.
    assert!(matches!(
        store.resolve_referral(&a[..4]).unwrap_err(),
        StoreError::Ambiguous { count: 2, .. }
    ));
    assert!(matches!(
        store.resolve_referral("zz%").unwrap_err(),
        StoreError::NotFound { .. }
    ));
}

#[test]
fn audit_chain_covers_every_action() {
    let mut store = Store::in_memory().unwrap();
    let (_, r) = finished_referral(&mut store);
    store.record_view(&r, "rosa").unwrap();
    store.record_export(&r, "rosa", "markdown").unwrap();
    let actions: Vec<_> = store
        .audit_entries()
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "created", "answered", "finished", "created", "viewed", "exported"
        ]
    );
    assert!(matches!(
        store.verify_audit().unwrap(),
        AuditCheck::Intact { count: 6, .. }
    ));
    // The triggers refuse changes made through SQL.
    assert!(
        store
            .conn
            .execute("UPDATE audit SET actor = 'x' WHERE seq = 2", [])
            .is_err()
    );
    assert!(
        store
            .conn
            .execute("DELETE FROM audit WHERE seq = 2", [])
            .is_err()
    );
}

#[test]
fn audit_verify_finds_tampering_behind_the_triggers() {
    let mut store = Store::in_memory().unwrap();
    finished_referral(&mut store);
    store
        .conn
        .execute_batch("DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'x' WHERE seq = 3;")
        .unwrap();
    assert!(matches!(
        store.verify_audit().unwrap(),
        AuditCheck::Broken { seq: 3, .. }
    ));
}

#[test]
fn stats_count_the_year() {
    let mut store = Store::in_memory().unwrap();
    let (_, r) = finished_referral(&mut store);
    finished_referral(&mut store);
    store
        .set_status(&r, Status::InReview, None, "rosa")
        .unwrap();
    let year: i16 = now()[..4].parse().unwrap();
    let st = store.stats(year).unwrap();
    assert_eq!((st.screenings, st.finished, st.referrals), (2, 2, 2));
    assert_eq!(
        st.outcomes,
        [Count {
            key: "possible".into(),
            count: 2
        }]
    );
    assert_eq!(st.statuses.len(), 2);
    assert_eq!(st.flags[0].key, "forced_crime");
    assert_eq!(st.indicators[0].count, 2);
    assert_eq!(st.genders[0].key, "female");
    let empty = store.stats(year - 5).unwrap();
    assert_eq!(empty.screenings, 0);
    assert!(empty.units.is_empty());
}

#[test]
fn full_disk_keeps_earlier_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("full.db");
    let mut store = Store::open(&path).unwrap();
    let q = questionnaire("format: 1\n");
    let s = store.create_screening(&q, &details()).unwrap();
    store
        .record_answer(&s, "agrees", Some(&yes()), None)
        .unwrap();
    let pages: u32 = store
        .conn
        .pragma_query_value(None, "page_count", |r| r.get(0))
        .unwrap();
    store.limit_pages_for_test(pages).unwrap();
    // Text answers of the longest length allowed, until the capped file is full (a few fit
    // into the free room of the last pages).
    let big = "x".repeat(crate::screening::typed::TEXT_ANSWER_MAX);
    let mut saved = 0;
    let err = loop {
        match store.record_answer(
            &s,
            &format!("notes_{saved}"),
            Some(&Answer::Text(big.clone())),
            None,
        ) {
            Ok(_) => saved += 1,
            Err(e) => break e,
        }
        assert!(saved < 100, "the capped file never filled up");
    };
    assert!(matches!(err, StoreError::Full { .. }), "{err}");
    assert!(err.to_string().contains("intact"));
    drop(store);
    let store = Store::open(&path).unwrap();
    let loaded = store.load_screening(&s).unwrap();
    assert_eq!(loaded.answers.len(), 1 + saved);
    let count = 2 + saved;
    assert!(matches!(
        store.verify_audit().unwrap(),
        AuditCheck::Intact { count: c, .. } if c == count
    ));
}

#[cfg(unix)]
#[test]
fn new_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/dir/r.db");
    let mut store = Store::open(&path).unwrap();
    store
        .create_screening(&questionnaire("format: 1\n"), &details())
        .unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    // SQLite gives its side files the database's permissions.
    assert_eq!(mode(&path.with_extension("db-wal")), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
}

#[test]
fn foreign_and_garbage_files_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "this is not a database at all, just some text\n").unwrap();
    let err = Store::open(&junk).unwrap_err();
    assert!(matches!(err, StoreError::NotSqlite { .. }), "{err}");
    assert_eq!(
        std::fs::read(&junk).unwrap(),
        b"this is not a database at all, just some text\n"
    );

    let other = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let before = std::fs::read(&other).unwrap();
    let err = Store::open(&other).unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    assert_eq!(std::fs::read(&other).unwrap(), before);
    assert_eq!(err.exit_code(), 2);

    let newer = dir.path().join("newer.db");
    drop(Store::open(&newer).unwrap());
    {
        let c = rusqlite::Connection::open(&newer).unwrap();
        c.pragma_update(None, "user_version", migrate::latest() + 1)
            .unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(&newer).unwrap();
    let err = Store::open(&newer).unwrap_err();
    assert!(matches!(err, StoreError::Newer { .. }), "{err}");
    assert_eq!(std::fs::read(&newer).unwrap(), before);

    // An empty file is an empty database: it is taken over.
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    // (for its owner only: a file other users can read is refused, see system.rs)
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&empty, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    Store::open(&empty).unwrap();
}

#[test]
fn two_connections_share_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let mut officer = Store::open(&path).unwrap();
    let mut reviewer = Store::open(&path).unwrap();
    let (_, r) = finished_referral(&mut officer);
    reviewer
        .set_status(&r, Status::InReview, None, "rosa")
        .unwrap();
    assert_eq!(officer.referral(&r).unwrap().row.status, Status::InReview);
    assert!(matches!(
        officer.verify_audit().unwrap(),
        AuditCheck::Intact { count: 5, .. }
    ));
}

#[test]
fn timestamps_sort_as_text() {
    let a = now();
    assert_eq!(a.len(), "2026-01-01T00:00:00.000000Z".len(), "{a}");
    assert!(a.ends_with('Z'));
}

#[test]
fn list_pages_by_key_with_the_total() {
    let mut store = Store::in_memory().unwrap();
    for _ in 0..5 {
        finished_referral(&mut store);
    }
    let all = store.referrals(&ReferralFilter::default()).unwrap();
    let mut paged = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store
            .referrals_page(&ReferralFilter::default(), after.as_deref(), 2)
            .unwrap();
        assert_eq!(page.total, 5, "the total is the whole match on every page");
        paged.extend(page.referrals);
        match page.next_after {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(paged, all);
    // An exact last page has no next page.
    let two = store
        .referrals_page(&ReferralFilter::default(), Some(&all[2].id), 2)
        .unwrap();
    assert_eq!(two.referrals.len(), 2);
    assert_eq!(two.next_after, None);
    let filtered = store
        .referrals_page(
            &ReferralFilter {
                status: Some(Status::Closed),
                ..ReferralFilter::default()
            },
            None,
            10,
        )
        .unwrap();
    assert_eq!((filtered.total, filtered.referrals.len()), (0, 0));
    assert!(matches!(
        store
            .referrals_page(&ReferralFilter::default(), Some("nope"), 2)
            .unwrap_err(),
        StoreError::NotFound { .. }
    ));
}

/// A clean questionnaire with every `fills` field (custody first, then the interpreter).
const FILLS: &str = include_str!("../../tests/fixtures/lint/format-features.yaml");

#[test]
fn an_answer_fills_the_interpreter_and_custody_in_its_own_transaction() {
    use std::sync::Arc;

    use crate::screening::{Move, Session};
    let q = Arc::new(crate::questionnaire::open(FILLS, "format-features.yaml").unwrap());
    let mut store = Store::in_memory().unwrap();
    let d = NewScreening {
        interpreter: None,
        ..details()
    };
    let id = store.create_screening(&q, &d).unwrap();
    // Paused before the question: not known yet, and the log agrees.
    let s = store.load_screening(&id).unwrap();
    assert_eq!((s.interpreter, s.custody), (None, None));
    assert_eq!(store.verify_audit_full(&[]).unwrap().problems, [""; 0]);

    let mut session = Session::new(Arc::clone(&q));
    for choice in ["remand", "by_phone"] {
        let p = session
            .prepare(Move::Answer(Answer::Choice(choice.into())))
            .unwrap();
        store.record(&id, &p).unwrap();
        session.apply(p).unwrap();
    }
    let s = store.load_screening(&id).unwrap();
    assert_eq!(s.interpreter, Some(Interpreter::Phone));
    assert_eq!(s.custody, Some(Custody::Remand));
    let filled: Vec<String> = store
        .audit_entries()
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "filled details")
        .map(|e| e.detail)
        .collect();
    assert_eq!(filled.len(), 2, "{filled:?}");
    assert!(
        filled[0].starts_with("details.custody details:"),
        "{filled:?}"
    );
    assert!(
        filled[1].starts_with("details.interpreter details:"),
        "{filled:?}"
    );
    // Only the detail's digest: never the value itself.
    assert!(!filled[1].contains("phone"), "{filled:?}");
    assert_eq!(store.verify_audit_full(&[]).unwrap().problems, [""; 0]);

    // The same answer again writes nothing new.
    let before = store.audit_entries().unwrap().len();
    assert!(
        !store
            .record_answer(
                &id,
                "interpreter",
                Some(&Answer::Choice("by_phone".into())),
                None
            )
            .unwrap()
    );
    assert_eq!(store.audit_entries().unwrap().len(), before);

    // Changed behind the program's back: named.
    store
        .conn
        .execute(
            "UPDATE screenings SET interpreter = 'in_person' WHERE id = ?1",
            [&id],
        )
        .unwrap();
    let problems = store.verify_audit_full(&[]).unwrap().problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains(&format!("the details of screening {id}")),
        "{problems:?}"
    );
}

#[test]
fn a_questionnaire_without_the_question_keeps_the_forms_interpreter() {
    let q = questionnaire("format: 1\n");
    let mut store = Store::in_memory().unwrap();
    let id = store.create_screening(&q, &details()).unwrap();
    store
        .record_answer(&id, "agrees", Some(&yes()), None)
        .unwrap();
    let s = store.load_screening(&id).unwrap();
    assert_eq!(s.interpreter, Some(Interpreter::InPerson));
    assert!(
        !store
            .audit_entries()
            .unwrap()
            .iter()
            .any(|e| e.action == "filled details")
    );
    assert_eq!(store.verify_audit_full(&[]).unwrap().problems, [""; 0]);
}
