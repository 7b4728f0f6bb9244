//! The hand-off between sites: sealing one referral, importing one, and importing 1,000
//! bundles into a ROSA database that already holds 100,000 referrals (a file database, with
//! each import its own durable transaction, as in use).
//!
//! Goals: seal and import one referral < 20 ms each; 1,000 bundles into 100,000 referrals
//! < 10 s.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rosa_screen::handoff::bundle;
use rosa_screen::handoff::keys::{PublicKey, SecretKey, SiteKind};
use rosa_screen::handoff::payload::{
    AnswerPayload, AuditHead, Body, FORMAT, Payload, QuestionnairePayload, ReferralPayload,
};
use rosa_screen::handoff::sha256_hex;
use rosa_screen::questionnaire::BUILTIN_TEXT;
use rosa_screen::screening::Answer;
use rosa_screen::store::{
    Consent, Expulsion, Finish, Gender, Incoming, Interpreter, Raised, Store,
};

/// A referral as a prison seals it: the built-in questionnaire's exact YAML (it travels in
/// every bundle) and thirty answers with notes.
fn referral() -> ReferralPayload {
    let answers = (0..30)
        .map(|i| AnswerPayload {
            question_id: format!("q{i}"),
            answer: Some(if i % 3 == 0 {
                Answer::Choice("yes".to_owned())
            } else {
                Answer::Number(f64::from(i))
            }),
            note: (i % 4 == 0).then(|| "Said so twice, and looked at the door.".to_owned()),
            answered_at: "2026-05-01T09:10:00.000000Z".to_owned(),
            history: vec![],
        })
        .collect();
    ReferralPayload {
        referral_id: uuid::Uuid::now_v7().to_string(),
        screening_id: uuid::Uuid::now_v7().to_string(),
        consent: Consent::Named,
        created_at: "2026-05-01T10:00:00.000000Z".to_owned(),
        created_by: "Duty officer B, 555 01 234".to_owned(),
        release_date: Some("2027-01-15".to_owned()),
        expulsion: Some(Expulsion::Yes),
        contact: "Duty officer B, 555 01 234".to_owned(),
        officer: "Duty officer B, 555 01 234".to_owned(),
        person: Some("B-2026-117".to_owned()),
        gender: Gender::Female,
        birth_year: Some(1990),
        nationality: "NG".to_owned(),
        language: "en".to_owned(),
        interpreter: Some(Interpreter::InPerson),
        person_language: None,
        custody: None,
        started_at: "2026-05-01T09:00:00.000000Z".to_owned(),
        ended_at: "2026-05-01T09:40:00.000000Z".to_owned(),
        questionnaire: QuestionnairePayload {
            id: "prison-screening".to_owned(),
            version: "2".to_owned(),
            hash: sha256_hex(BUILTIN_TEXT.as_bytes()),
            source: "built-in".to_owned(),
            yaml: BUILTIN_TEXT.to_owned(),
            translations: Vec::new(),
        },
        result: Finish {
            outcome: "strong_indication".to_owned(),
            indicators: vec![Raised {
                id: "little_pay".to_owned(),
                because: vec!["q1".to_owned()],
            }],
            flags: vec![Raised {
                id: "release_soon".to_owned(),
                because: vec![],
            }],
            positive: vec![],
        },
        answers,
    }
}

struct Keys {
    prison: SecretKey,
    rosa: SecretKey,
}

fn seal(k: &Keys, r: ReferralPayload) -> String {
    let json = Payload {
        format: FORMAT,
        sealed_at: "2026-05-02T08:00:00.000000Z".to_owned(),
        audit_head: AuditHead {
            entries: 40,
            hash: "ab".repeat(32),
        },
        body: Body::Referral(Box::new(r)),
    }
    .to_json()
    .unwrap();
    bundle::seal(&json, &k.prison, &k.rosa.public()).unwrap()
}

/// What `handoff import` does for one bundle: open, check, read the payload, store it.
fn import(k: &Keys, store: &mut Store, armored: &str) {
    let prison = k.prison.public();
    let lookup = |id: &str| (id == prison.key_id()).then(|| prison.clone());
    let opened = bundle::open(
        armored.as_bytes(),
        "bench.age",
        std::slice::from_ref(&k.rosa),
        &lookup as &dyn Fn(&str) -> Option<PublicKey>,
    )
    .unwrap();
    let payload = Payload::from_json(&opened.payload).unwrap();
    let Body::Referral(r) = payload.body else {
        panic!("not a referral")
    };
    let from = Incoming {
        unit: "Bredtveit".to_owned(),
        key_id: opened.signer,
        format: opened.format,
        payload_sha256: opened.payload_sha256,
        audit_entries: payload.audit_head.entries,
        audit_head: payload.audit_head.hash,
    };
    black_box(
        store
            .import_referral(&r.to_detail("Bredtveit"), &from, "bench")
            .unwrap(),
    );
}

/// `n` finished screenings with referrals, in one transaction of straight SQL.
fn fill(path: &Path, n: usize) {
    drop(Store::open(path).unwrap());
    let mut conn = rusqlite::Connection::open(path).unwrap();
    let tx = conn.transaction().unwrap();
    tx.execute(
        "INSERT INTO questionnaires VALUES ('h', 'bench', '1', 'bench.yaml', 'format: 1', '2026-01-01T00:00:00.000000Z')",
        [],
    )
    .unwrap();
    {
        let mut s = tx
            .prepare(
                "INSERT INTO screenings (id, questionnaire_hash, questionnaire_id,
                   questionnaire_version, unit, officer, person, gender, nationality, language,
                   interpreter, started_at, ended_at, outcome)
                 VALUES (?1, 'h', 'bench', '1', 'Ila', 'Officer', ?2, 'female', 'NG', 'en',
                   'none', ?3, ?3, 'some_signs')",
            )
            .unwrap();
        let mut r = tx
            .prepare(
                "INSERT INTO referrals (id, screening_id, consent, contact, status, created_at,
                   updated_at, unit, person, outcome, flags)
                 VALUES (?1, ?2, 'named', 'contact', 'closed', ?3, ?3, 'Ila', ?4, 'some_signs', '')",
            )
            .unwrap();
        for i in 0..n {
            let sid = format!("s{i:08}");
            let at = format!("2026-{:02}-{:02}T10:00:00.{i:06}Z", 1 + i % 12, 1 + i % 28);
            s.execute(rusqlite::params![sid, format!("P-{i}"), at])
                .unwrap();
            r.execute(rusqlite::params![
                format!("r{i:08}"),
                sid,
                at,
                format!("P-{i}")
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
}

fn handoff(c: &mut Criterion) {
    let k = Keys {
        prison: SecretKey::generate(SiteKind::Prison),
        rosa: SecretKey::generate(SiteKind::Rosa),
    };
    println!(
        "bundle size (built-in questionnaire, 30 answers): {} bytes",
        seal(&k, referral()).len()
    );
    c.bench_function("handoff: seal one referral", |b| {
        b.iter_batched(referral, |r| black_box(seal(&k, r)), BatchSize::SmallInput);
    });

    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one.db");
    let mut store = Store::open(&one).unwrap();
    c.bench_function("handoff: import one referral (file database)", |b| {
        b.iter_batched(
            || seal(&k, referral()),
            |armored| import(&k, &mut store, &armored),
            BatchSize::SmallInput,
        );
    });

    let big = dir.path().join("big.db");
    fill(&big, 100_000);
    let mut store = Store::open(&big).unwrap();
    let mut g = c.benchmark_group("handoff: 1,000 bundles into 100,000 referrals");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(30));
    g.bench_function("import 1,000", |b| {
        b.iter_batched(
            || (0..1000).map(|_| seal(&k, referral())).collect::<Vec<_>>(),
            |bundles| {
                for armored in &bundles {
                    import(&k, &mut store, armored);
                }
            },
            BatchSize::PerIteration,
        );
    });
    g.finish();
}

criterion_group!(benches, handoff);
criterion_main!(benches);
