//! The review queue with 100,000 referrals: time to show the first page (open the database,
//! read the filter values, the counts and the first page, draw it) and to apply a filter
//! (counts and first page under the new filter, drawn), plus a reference search, which has
//! to read every row.
//!
//! Goal: < 50 ms each.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rosa_screen::store::{QueueFilter, Status, Store};
use rosa_screen::tui::review::queue::QueueMsg;
use rosa_screen::tui::review::runner::{dispatch, perform};
use rosa_screen::tui::review::{Msg, State, view};
use rosa_screen::tui::theme::Theme;

/// Fills a database with `n` finished screenings and their referrals in one transaction
/// (straight SQL: the API would cost one fsync per row just to set up). Most referrals are
/// closed, as in a real queue after some years; a third raised a flag; half have a release
/// date. The queue's order columns are generated from these, as in use.
fn fill(path: &Path, n: usize) {
    drop(Store::open(path).unwrap());
    let mut conn = rusqlite::Connection::open(path).unwrap();
    let tx = conn.transaction().unwrap();
    tx.execute(
        "INSERT INTO questionnaires VALUES ('h', 'bench', '1', 'bench.yaml', 'format: 1', '2026-01-01T00:00:00.000000Z')",
        [],
    )
    .unwrap();
    let units = [
        "Bredtveit",
        "Ullersmo",
        "Ila",
        "Bergen",
        "Trondheim",
        "Halden",
        "Skien",
        "Stavanger",
    ];
    let outcomes = ["strong_indication", "possible_indication", "some_signs"];
    let flags = ["possible_minor", "acute_danger", "release_soon"];
    {
        let mut s = tx
            .prepare(
                "INSERT INTO screenings (id, questionnaire_hash, questionnaire_id,
                   questionnaire_version, unit, officer, person, gender, nationality, language,
                   interpreter, started_at, ended_at, outcome)
                 VALUES (?1, 'h', 'bench', '1', ?2, 'Officer', ?3, 'female', 'NG', 'en', 'none',
                   ?4, ?4, ?5)",
            )
            .unwrap();
        let mut f = tx
            .prepare(
                "INSERT INTO raised (screening_id, kind, item, because, ord)
                 VALUES (?1, 'flag', ?2, '[]', 0)",
            )
            .unwrap();
        let mut r = tx
            .prepare(
                "INSERT INTO referrals (id, screening_id, consent, release_date, expulsion,
                   contact, status, created_at, updated_at, unit, person, outcome, flags)
                 VALUES (?1, ?2, 'named', ?3, ?4, 'contact', ?5, ?6, ?6, ?7, ?8, ?9, ?10)",
            )
            .unwrap();
        for i in 0..n {
            let sid = format!("s{i:08}");
            let at = format!(
                "2026-{:02}-{:02}T{:02}:00:00.{i:06}Z",
                1 + i % 12,
                1 + i % 28,
                i % 24
            );
            s.execute(rusqlite::params![
                sid,
                units[i % units.len()],
                format!("P-{i}"),
                at,
                outcomes[i % outcomes.len()]
            ])
            .unwrap();
            if i % 3 == 0 {
                f.execute(rusqlite::params![sid, flags[i % flags.len()]])
                    .unwrap();
            }
            let status = if i % 5 == 0 {
                Status::ALL[i % Status::ALL.len()]
            } else {
                Status::Closed
            };
            let release = (i % 2 == 0).then(|| format!("2027-{:02}-{:02}", 1 + i % 12, 1 + i % 28));
            r.execute(rusqlite::params![
                format!("r{i:08}"),
                sid,
                release,
                (i % 7 == 0).then_some("yes"),
                status.as_str(),
                at,
                units[i % units.len()],
                format!("P-{i}"),
                outcomes[i % outcomes.len()],
                if i % 3 == 0 {
                    flags[i % flags.len()]
                } else {
                    ""
                }
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
}

fn state() -> State {
    let mut s = State::new("en", Theme::new(false), jiff::civil::date(2026, 11, 1));
    s.size = (120, 40);
    s
}

fn queue(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.db");
    fill(&path, 100_000);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();

    c.bench_function(
        "review: open + first page of 100,000 referrals, drawn",
        |b| {
            b.iter(|| {
                let mut store = Store::open(&path).unwrap();
                let mut st = state();
                for e in st.first_effects() {
                    let m = perform(&mut store, "bench", e);
                    dispatch(&mut st, &mut store, "bench", m);
                }
                terminal.draw(|f| view(&st, f)).unwrap();
                black_box(st.queue.rows.len());
            });
        },
    );

    let mut store = Store::open(&path).unwrap();
    let mut st = state();
    for e in st.first_effects() {
        let m = perform(&mut store, "bench", e);
        dispatch(&mut st, &mut store, "bench", m);
    }
    c.bench_function(
        "review: apply a unit filter (counts + first page), drawn",
        |b| {
            b.iter(|| {
                // Cycles through the eight units and back to all.
                dispatch(&mut st, &mut store, "bench", Msg::Queue(QueueMsg::NextUnit));
                terminal.draw(|f| view(&st, f)).unwrap();
                black_box(st.queue.rows.len());
            });
        },
    );
    c.bench_function(
        "review: apply a status filter (counts + first page), drawn",
        |b| {
            b.iter(|| {
                dispatch(
                    &mut st,
                    &mut store,
                    "bench",
                    Msg::Queue(QueueMsg::NextStatus),
                );
                terminal.draw(|f| view(&st, f)).unwrap();
                black_box(st.queue.rows.len());
            });
        },
    );
    c.bench_function("review: search a person reference (reads every row)", |b| {
        let f = QueueFilter {
            person: Some("P-9999".into()),
            ..QueueFilter::default()
        };
        b.iter(|| {
            black_box(store.queue_counts(&f).unwrap());
            black_box(store.queue_page(&f, 0, 31).unwrap());
        });
    });
    c.bench_function("review: last page of 100,000 (OFFSET)", |b| {
        b.iter(|| {
            black_box(
                store
                    .queue_page(&QueueFilter::default(), 99_969, 31)
                    .unwrap(),
            )
        });
    });
    // The page after the 99,969th referral, by key (what a reader paging on by key costs).
    let before_last = store
        .queue_page(&QueueFilter::default(), 99_968, 1)
        .unwrap()
        .remove(0)
        .id;
    c.bench_function("review: last page of 100,000 (by key)", |b| {
        b.iter(|| {
            black_box(
                store
                    .queue_page_after(&QueueFilter::default(), Some(&before_last), 31)
                    .unwrap(),
            )
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = queue
}
criterion_main!(benches);
