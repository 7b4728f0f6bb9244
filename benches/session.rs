//! How fast the session answers, restores and computes a result on large questionnaires.
//!
//! The questionnaire is built in code (not loaded from YAML) so that only the session is
//! measured: sections of 50 questions, every other one with a `show_if` on the one before,
//! yes/no answers raising indicators, `when` conditions on numbers and on other indicators.
//!
//! Run: `cargo bench --bench session`.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rosa_screen::questionnaire::expr::parse;
use rosa_screen::questionnaire::{
    Allow, Choice, Cond, Dimension, Goto, Id, Indicator, Kind, Outcome, Pos, Question,
    Questionnaire, ReferralAdvice, Section, Strength, Text,
};
use rosa_screen::screening::{Answer, Entry, Session};

fn id(s: &str) -> Id {
    Id {
        name: s.to_string(),
        pos: Pos::default(),
    }
}

fn text(s: &str) -> Text {
    Text {
        entries: vec![("en".into(), s.into())],
        pos: Pos::default(),
    }
}

fn cond(src: &str) -> Cond {
    Cond {
        source: src.into(),
        pos: Pos::default(),
        parsed: parse(src),
    }
}

fn choice(c: &str, raises: Vec<Id>) -> Choice {
    Choice {
        id: id(c),
        label: text(c),
        raises,
        exclusive: false,
        fills: None,
    }
}

/// `n` questions: even ones yes/no (raising indicator `i{k}` on yes), odd ones numbers shown
/// only when the yes/no before was answered yes; a goto every 10 questions.
fn build(n: usize) -> Arc<Questionnaire> {
    let mut q = Questionnaire::default();
    q.id = "bench".into();
    q.version = "1".into();
    q.languages = vec!["en".into()];
    q.title = text("bench");
    let dims = ["a", "b", "c"];
    for d in dims {
        q.dimensions.push(Dimension {
            id: id(d),
            label: text(d),
            positive_when: cond("strong() >= 2 or (strong() >= 1 and medium() + weak() >= 2)"),
            pos: Pos::default(),
        });
    }
    let indicators = 100;
    for k in 0..indicators {
        let when = if k % 10 == 9 {
            Some(cond(&format!("raised(i{}) and count(a) >= 3", k - 1)))
        } else {
            None
        };
        q.indicators.push(Indicator {
            id: id(&format!("i{k}")),
            dimension: id(dims[k % 3]),
            strength: [Strength::Strong, Strength::Medium, Strength::Weak][k % 3],
            weight: 1.0,
            label: text("x"),
            when,
            pos: Pos::default(),
        });
    }
    let per_section = 50;
    for s in 0..n.div_ceil(per_section) {
        let mut questions = Vec::new();
        for j in 0..per_section {
            let i = s * per_section + j;
            if i >= n {
                break;
            }
            let mut question = Question {
                id: id(&format!("q{i}")),
                kind: Kind::YesNo,
                text: text("question"),
                guidance: None,
                observation: false,
                required: true,
                allow: Allow::default(),
                show_if: None,
                choices: Vec::new(),
                choices_pos: None,
                min: None,
                max: None,
                goto: Vec::new(),
                fills: None,
                section: s,
                pos: Pos::default(),
            };
            if i % 2 == 0 {
                question.choices = vec![
                    choice("yes", vec![id(&format!("i{}", (i / 2) % indicators))]),
                    choice("no", Vec::new()),
                ];
            } else {
                question.kind = Kind::Number;
                question.min = Some(0.0);
                question.max = Some(24.0);
                question.show_if = Some(cond(&format!("q{} == 'yes'", i - 1)));
            }
            if i % 10 == 5 && i + 2 < n {
                question.goto.push(Goto {
                    cond: Some(cond(&format!("q{i} > 20"))),
                    to: id(&format!("q{}", i + 2)),
                    pos: Pos::default(),
                });
            }
            questions.push(question);
        }
        q.sections.push(Section {
            id: id(&format!("s{s}")),
            title: text("section"),
            intro: None,
            show_if: (s % 5 == 4).then(|| cond("not positive(c) or count(b) < 100")),
            questions,
            pos: Pos::default(),
        });
    }
    for (o, when) in [
        ("refer", Some("positive(a) and positive(b)")),
        ("some", Some("count(a) + count(b) + count(c) >= 1")),
        ("none", None),
    ] {
        q.outcomes.push(Outcome {
            id: id(o),
            when: when.map(cond),
            label: text(o),
            advice: text(o),
            referral: ReferralAdvice::Offered,
            pos: Pos::default(),
        });
    }
    q.index();
    Arc::new(q)
}

/// The answer the benchmark gives to `q`: alternating yes and no, 14 for numbers.
fn answer_for(q: &Question) -> Answer {
    match q.kind {
        Kind::Number => Answer::Number(14.0),
        _ => {
            let n: usize = q.id.name.trim_start_matches('q').parse().unwrap_or(0);
            Answer::Choice(if n.is_multiple_of(4) { "yes" } else { "no" }.into())
        }
    }
}

/// A session walked until `stop` questions are on the path (or the end).
fn walked(q: &Arc<Questionnaire>, stop: usize) -> Session {
    let mut s = Session::new(Arc::clone(q));
    while let Some(cur) = s.current() {
        if s.path().len() > stop {
            break;
        }
        let a = answer_for(cur);
        if s.answer(a).is_err() {
            break;
        }
    }
    s
}

fn benches(c: &mut Criterion) {
    let big = build(5000);
    let half = walked(&big, 2500);
    c.bench_function("answer at the frontier, 5000 questions, 2500 asked", |b| {
        b.iter_batched(
            || half.clone(),
            |mut s| {
                let a = s.current().map(answer_for);
                if let Some(a) = a {
                    black_box(s.answer(a)).ok();
                }
                s
            },
            BatchSize::SmallInput,
        );
    });
    let entries: Vec<(String, Entry)> = half
        .entries()
        .map(|(id, e)| (id.to_string(), e.clone()))
        .collect();
    c.bench_function("restore, 5000 questions, 2500 asked", |b| {
        b.iter(|| Session::restore(Arc::clone(&big), black_box(entries.clone())));
    });
    let done = walked(&big, usize::MAX);
    c.bench_function("result, 5000 questions finished", |b| {
        b.iter(|| black_box(done.result()));
    });
    c.bench_function("progress, 5000 questions, 2500 asked", |b| {
        b.iter(|| black_box(half.progress()));
    });
    let small = build(200);
    c.bench_function("whole interview, 200 questions", |b| {
        b.iter(|| black_box(walked(&small, usize::MAX).result()));
    });
}

criterion_group!(group, benches);
criterion_main!(group);
