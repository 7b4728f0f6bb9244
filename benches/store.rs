//! Storage speed: committing one answer durably, and opening the database and listing 100,000
//! referrals filtered by status (the review queue's first screen).
//!
//! Goals: an answer < 5 ms (it is on disk before the next question shows); open + a page of 100
//! of 100,000 referrals filtered by status, with the total, < 50 ms (the whole filtered list is
//! measured too, for comparison: without `--limit` every match is printed).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use rosa_screen::questionnaire::{Questionnaire, Source};
use rosa_screen::screening::Answer;
use rosa_screen::store::{Gender, Interpreter, NewScreening, ReferralFilter, Status, Store};

/// The id given to the `n`-th filled referral.
fn referral_id(n: usize) -> String {
    format!("r{n:08}")
}

fn questionnaire() -> Questionnaire {
    let mut q = Questionnaire::default();
    q.id = "bench".into();
    q.version = "1".into();
    q.source = Source {
        name: "bench.yaml".into(),
        text: "format: 1\nid: bench\n".into(),
        ..Source::default()
    };
    q
}

fn details() -> NewScreening {
    NewScreening {
        unit: "Bredtveit".into(),
        officer: "Officer".into(),
        person: "B-1".into(),
        gender: Gender::Female,
        birth_year: None,
        nationality: "NG".into(),
        language: "en".into(),
        interpreter: Some(Interpreter::None),
        person_language: None,
    }
}

fn commit_answer(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("answers.db")).unwrap();
    let s = store
        .create_screening(&questionnaire(), &details())
        .unwrap();
    let mut i = 0u32;
    c.bench_function("commit one answer (WAL, synchronous=FULL)", |b| {
        b.iter(|| {
            i += 1;
            // A new value each time, so every call writes (and keeps history).
            store
                .record_answer(&s, "hours", Some(&Answer::Number(f64::from(i))), None)
                .unwrap();
        });
    });
}

/// Fills a database with `n` finished screenings and their referrals in one transaction
/// (straight SQL: going through the API would cost one fsync per row just to set up).
fn fill(path: &Path, n: usize) {
    drop(Store::open(path).unwrap());
    let mut conn = rusqlite::Connection::open(path).unwrap();
    let tx = conn.transaction().unwrap();
    tx.execute(
        "INSERT INTO questionnaires VALUES ('h', 'bench', '1', 'bench.yaml', 'format: 1', '2026-01-01T00:00:00.000000Z')",
        [],
    )
    .unwrap();
    let statuses = Status::ALL;
    let units = ["Bredtveit", "Ullersmo", "Ila", "Bergen", "Trondheim"];
    {
        let mut s = tx
            .prepare(
                "INSERT INTO screenings (id, questionnaire_hash, questionnaire_id,
                   questionnaire_version, unit, officer, person, gender, nationality, language,
                   interpreter, started_at, ended_at, outcome)
                 VALUES (?1, 'h', 'bench', '1', ?2, 'Officer', ?3, 'female', 'NG', 'en', 'none',
                   ?4, ?4, 'possible')",
            )
            .unwrap();
        let mut r = tx
            .prepare(
                "INSERT INTO referrals (id, screening_id, consent, release_date, contact, status,
                   created_at, updated_at, unit, person, outcome, flags)
                 VALUES (?1, ?2, 'named', '2027-01-15', 'contact', ?3, ?4, ?4, ?5, ?6,
                   'possible', ?7)",
            )
            .unwrap();
        let mut f = tx
            .prepare(
                "INSERT INTO raised (screening_id, kind, item, because, ord)
                 VALUES (?1, 'flag', 'forced_crime', '[]', 0)",
            )
            .unwrap();
        for i in 0..n {
            let sid = format!("s{i:08}");
            let at = format!(
                "2026-{:02}-{:02}T{:02}:00:00.000000Z",
                1 + i % 12,
                1 + i % 28,
                i % 24
            );
            s.execute(rusqlite::params![
                sid,
                units[i % units.len()],
                format!("P-{i}"),
                at
            ])
            .unwrap();
            r.execute(rusqlite::params![
                referral_id(i),
                sid,
                statuses[i % statuses.len()].as_str(),
                at,
                units[i % units.len()],
                format!("P-{i}"),
                if i % 3 == 0 { "forced_crime" } else { "" }
            ])
            .unwrap();
            if i % 3 == 0 {
                f.execute([&sid]).unwrap();
            }
        }
    }
    tx.commit().unwrap();
}

fn list_referrals(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.db");
    fill(&path, 100_000);
    c.bench_function("open + list 100,000 referrals filtered by status", |b| {
        b.iter(|| {
            let store = Store::open(&path).unwrap();
            let rows = store
                .referrals(&ReferralFilter {
                    status: Some(Status::InReview),
                    ..ReferralFilter::default()
                })
                .unwrap();
            black_box(rows.len());
        });
    });
}

/// `referrals list --status S --limit 100`: the first page and the total, then a page deep
/// in the list by key.
fn list_page(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.db");
    fill(&path, 100_000);
    let filter = ReferralFilter {
        status: Some(Status::Closed),
        ..ReferralFilter::default()
    };
    c.bench_function(
        "open + first 100 of 100,000 referrals by status, with the total",
        |b| {
            b.iter(|| {
                let store = Store::open(&path).unwrap();
                let page = store.referrals_page(&filter, None, 100).unwrap();
                black_box((page.total, page.referrals.len()));
            });
        },
    );
    let store = Store::open(&path).unwrap();
    // The oldest closed referrals: the last page of the list.
    let all = store.referrals(&filter).unwrap();
    let deep = all[all.len() - 50].id.clone();
    c.bench_function("open + last page by key (--after), with the total", |b| {
        b.iter(|| {
            let store = Store::open(&path).unwrap();
            let page = store.referrals_page(&filter, Some(&deep), 100).unwrap();
            black_box((page.total, page.referrals.len()));
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = commit_answer, list_referrals, list_page
}
criterion_main!(benches);
