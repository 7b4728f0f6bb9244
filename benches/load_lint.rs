//! Loading and linting large questionnaires: 1,000 and 5,000 questions, generated the same
//! way every run (sections of 25, every kind of question, about half with a `show_if` on an
//! earlier question, two languages). The goal is 5,000 questions loaded and linted in under
//! 50 ms, growing about linearly. The generated file is plainly well formed, so it takes the
//! loader's fast path (granit-parser's events straight into the raw types, see
//! `questionnaire/load/fast.rs`); the YAML parser itself is then about half of the total, and
//! serde-saphyr is not used at all.
//!
//! Run: `cargo bench --bench load_lint -- --warm-up-time 1 --measurement-time 3`

use std::fmt::Write;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rosa_screen::questionnaire::{lint::lint, load::load_str};

/// A questionnaire of `n` questions; deterministic (no randomness at all).
fn generate(n: usize) -> String {
    let indicators = (n / 50).max(3);
    let mut s = String::with_capacity(n * 300);
    s.push_str(
        "format: 1\nid: bench\nversion: \"1\"\nlanguages: [nb, en]\ntitle: {nb: \"Ytelse\", en: \"Benchmark\"}\n",
    );
    s.push_str("dimensions:\n");
    for d in 0..3 {
        let _ = writeln!(
            s,
            "  - id: d{d}\n    label: {{nb: \"Dimensjon {d}\", en: \"Dimension {d}\"}}\n    positive_when: \"strong() >= 1 or medium() >= 2\""
        );
    }
    s.push_str("indicators:\n");
    for k in 0..indicators {
        let strength = ["strong", "medium", "weak"][k % 3];
        let _ = writeln!(
            s,
            "  - id: i{k}\n    dimension: d{}\n    strength: {strength}\n    label: {{nb: \"Indikator {k}\", en: \"Indicator {k}\"}}",
            k % 3
        );
    }
    s.push_str("sections:\n");
    for i in 0..n {
        if i % 25 == 0 {
            let sec = i / 25;
            let _ = writeln!(
                s,
                "  - id: s{sec}\n    title: {{nb: \"Del {sec}\", en: \"Part {sec}\"}}\n    questions:"
            );
        }
        let kind = ["yes_no", "single", "multi", "number", "text", "date"][i % 6];
        let _ = writeln!(
            s,
            "      - id: q{i}\n        kind: {kind}\n        text: {{nb: \"Spørsmål {i}?\", en: \"Question {i}?\"}}"
        );
        // About half the questions depend on an earlier yes_no or number question.
        if i % 2 == 1 && i >= 6 {
            let yes_no = i - (i % 6);
            let cond = if i % 4 == 1 {
                format!("q{yes_no} == 'yes'")
            } else {
                format!("q{} > 3 or q{yes_no} != 'no'", yes_no - 3)
            };
            let _ = writeln!(s, "        show_if: \"{cond}\"");
        }
        let ind = (i / 6) % indicators;
        match kind {
            "yes_no" => {
                let _ = writeln!(s, "        raises:\n          yes: [i{ind}]");
            }
            "single" | "multi" => {
                s.push_str("        choices:\n");
                for c in 0..3 {
                    let raises = if c == 1 {
                        format!(", raises: [i{ind}]")
                    } else {
                        String::new()
                    };
                    let _ = writeln!(
                        s,
                        "          - {{id: c{c}, label: {{nb: \"Valg {c}\", en: \"Choice {c}\"}}{raises}}}"
                    );
                }
            }
            "number" => s.push_str("        min: 0\n        max: 100\n"),
            "text" => s.push_str("        required: false\n"),
            _ => {}
        }
    }
    s.push_str(
        "outcomes:\n  - id: refer\n    when: \"positive(d0) and positive(d1)\"\n    label: {nb: Henvis, en: Refer}\n    advice: {nb: \"Henvis.\", en: \"Refer.\"}\n    referral: recommended\n  - id: some\n    when: \"count(d0) + count(d1) + count(d2) >= 1\"\n    label: {nb: Noen, en: Some}\n    advice: {nb: \"Tilby.\", en: \"Offer.\"}\n    referral: offered\n  - id: none_seen\n    label: {nb: Ingen, en: None}\n    advice: {nb: \"Kort.\", en: \"Card.\"}\n    referral: offered\n",
    );
    s
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("questionnaire");
    for n in [1_000, 5_000] {
        let text = generate(n);
        // The generated file must be clean, or the benchmark would measure error paths.
        let q = match load_str(&text, "bench.yaml") {
            Ok(q) => q,
            Err(f) => panic!("generated questionnaire does not load: {:?}", f.first()),
        };
        let findings = lint(&q);
        assert!(
            findings.is_empty(),
            "generated questionnaire is not clean: {:?}",
            findings.first()
        );
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("load", n), &text, |b, t| {
            b.iter(|| load_str(black_box(t), "bench.yaml").is_ok());
        });
        group.bench_with_input(BenchmarkId::new("lint", n), &q, |b, q| {
            b.iter(|| lint(black_box(q)).len());
        });
        group.bench_with_input(BenchmarkId::new("load_lint", n), &text, |b, t| {
            b.iter(|| match load_str(black_box(t), "bench.yaml") {
                Ok(q) => lint(&q).len(),
                Err(f) => f.len(),
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
