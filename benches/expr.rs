//! How long parsing and checking conditions take: the linter runs them for every condition
//! of a file on each save, and the interview evaluates many on each answer, so they must stay
//! far below anything a person notices.

use criterion::{Criterion, criterion_group, criterion_main};
use rosa_screen::questionnaire::Cond;
use rosa_screen::questionnaire::expr::{CheckContext, check, parse, to_source};
use rosa_screen::questionnaire::load::load_str;

/// Conditions of the size real questionnaires use, and one much longer.
const TYPICAL: &[&str] = &[
    "agrees == 'no'",
    "came_for_job == 'yes'",
    "hours > 12",
    "strong() >= 2 or (strong() >= 1 and medium() + weak() >= 1) or medium() >= 3",
    "positive(recruitment) and positive(exploitation) and positive(control)",
    "count(recruitment) + count(exploitation) + count(control) >= 1",
    "has(conditions, 'unpaid') or arrived in ['job_offer', 'family']",
];

fn long_condition() -> String {
    (0..200)
        .map(|i| format!("(q{i} == 'yes' and has(m{i}, 'x') or count(d{i}) + {i} >= 2.5)"))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn bench(c: &mut Criterion) {
    c.bench_function("parse 7 typical conditions", |b| {
        b.iter(|| {
            for s in TYPICAL {
                let _ = std::hint::black_box(parse(std::hint::black_box(s)));
            }
        });
    });
    let long = long_condition();
    c.bench_function("parse a 200-clause condition", |b| {
        b.iter(|| std::hint::black_box(parse(std::hint::black_box(&long))));
    });
    // Type-checking every condition of the example, as lint does on each run.
    let text = include_str!("../tests/fixtures/examples/small-screening.yaml");
    if let Ok(q) = load_str(text, "small-screening.yaml") {
        let mut conds: Vec<(&Cond, Option<&str>)> = Vec::new();
        conds.extend(
            q.dimensions
                .iter()
                .map(|d| (&d.positive_when, Some(d.id.as_str()))),
        );
        conds.extend(
            q.indicators
                .iter()
                .filter_map(|i| i.when.as_ref())
                .map(|c| (c, None)),
        );
        conds.extend(
            q.outcomes
                .iter()
                .filter_map(|o| o.when.as_ref())
                .map(|c| (c, None)),
        );
        c.bench_function(
            "check the example's dimension, indicator and outcome conditions",
            |b| {
                b.iter(|| {
                    for (cond, dimension) in &conds {
                        if let Ok(e) = &cond.parsed {
                            let ctx = CheckContext {
                                dimension: *dimension,
                                reads_before: None,
                            };
                            std::hint::black_box(check(e, &q, &ctx));
                        }
                    }
                });
            },
        );
    }
    if let Ok(e) = parse(&long) {
        c.bench_function("to_source a 200-clause condition", |b| {
            b.iter(|| std::hint::black_box(to_source(std::hint::black_box(&e))));
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
