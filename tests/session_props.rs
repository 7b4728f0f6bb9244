//! The session over real questionnaires loaded from YAML (the example and the built-in one):
//! property tests (random valid answers always end in an outcome; the same answers always give
//! the same walk, also after restoring; random moves never panic) and a walk through the
//! example by typed input, as plain mode would do it.

// Test helpers panic on failure by design: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Arc;

use proptest::prelude::*;
use rosa_screen::questionnaire::{Kind, Question, Questionnaire, open};
use rosa_screen::screening::{Answer, Entry, Session};

fn load(rel: &str) -> Arc<Questionnaire> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    Arc::new(open(&text, rel).unwrap_or_else(|f| panic!("{rel}: {f:?}")))
}

fn example() -> Arc<Questionnaire> {
    load("tests/fixtures/examples/small-screening.yaml")
}

fn builtin() -> Arc<Questionnaire> {
    load("questionnaires/prison-screening.yaml")
}

/// A valid answer for `q` chosen by `seed`; `None` to leave it empty or continue.
fn random_answer(q: &Question, seed: u32) -> Option<Answer> {
    match seed % 10 {
        0 if q.allow.dont_know && q.kind != Kind::Info => return Some(Answer::DontKnow),
        1 if q.allow.declined && q.kind != Kind::Info => return Some(Answer::Declined),
        2 if !q.required => return None,
        _ => {}
    }
    let pick = (seed / 10) as usize;
    Some(match q.kind {
        Kind::Info => return None,
        Kind::YesNo | Kind::Single => Answer::Choice(
            q.choices
                .get(pick % q.choices.len().max(1))?
                .id
                .name
                .clone(),
        ),
        Kind::Multi => {
            let mut picked: Vec<_> = q
                .choices
                .iter()
                .enumerate()
                .filter(|(i, _)| (pick >> (i % 24)) & 1 == 1)
                .map(|(_, c)| c)
                .collect();
            // A valid answer holds an exclusive choice ("none of these") only alone, and a
            // required question with one says "none" with it rather than with the empty list.
            if picked.iter().any(|c| !c.exclusive) {
                picked.retain(|c| !c.exclusive);
            } else {
                picked.truncate(1);
            }
            if picked.is_empty()
                && q.required
                && let Some(none) = q.choices.iter().find(|c| c.exclusive)
            {
                picked.push(none);
            }
            Answer::Choices(picked.iter().map(|c| c.id.name.clone()).collect())
        }
        Kind::Number => {
            let lo = q.min.unwrap_or(0.0);
            let hi = q.max.unwrap_or(lo + 100.0).max(lo);
            #[allow(clippy::cast_precision_loss)]
            let frac = (pick % 101) as f64 / 100.0;
            Answer::Number((lo + (hi - lo) * frac).round().clamp(lo, hi))
        }
        Kind::Text => Answer::Text(format!("said {pick}")),
        Kind::Date => Answer::Date(format!(
            "{:04}-{:02}-{:02}",
            2020 + pick % 10,
            1 + pick % 12,
            1 + pick % 28
        )),
    })
}

fn finish(s: &mut Session, seeds: &[u32]) {
    let limit = s.questionnaire().question_count() + 1;
    let mut n = 0;
    while let Some(q) = s.current().cloned() {
        assert!(n <= limit, "the walk did not end");
        let seed = seeds[n % seeds.len()];
        let r = match random_answer(&q, seed) {
            Some(a) => s.answer(a),
            None => s.skip(),
        };
        assert_eq!(r, Ok(()), "at `{}`", q.id);
        n += 1;
    }
}

fn ids(s: &Session) -> Vec<String> {
    s.path().iter().map(|q| q.id.name.clone()).collect()
}

fn questionnaires() -> impl Strategy<Value = Arc<Questionnaire>> {
    let (a, b) = (example(), builtin());
    prop_oneof![Just(a), Just(b)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn valid_answers_always_end_in_an_outcome(
        q in questionnaires(),
        seeds in prop::collection::vec(any::<u32>(), 1..60),
    ) {
        let mut s = Session::new(q.clone());
        finish(&mut s, &seeds);
        prop_assert!(s.is_finished());
        let r = s.result();
        prop_assert!(q.outcome(&r.outcome).is_some(), "unknown outcome {}", r.outcome);
        for item in r.indicators.iter() {
            prop_assert!(q.indicator(&item.id).is_some());
            for because in &item.because {
                prop_assert!(s.on_path(because));
            }
        }
        for d in &r.positive {
            prop_assert!(q.dimension(d).is_some());
        }
    }

    #[test]
    fn the_same_answers_give_the_same_walk_and_result(
        q in questionnaires(),
        seeds in prop::collection::vec(any::<u32>(), 1..60),
    ) {
        let mut s = Session::new(q.clone());
        finish(&mut s, &seeds);
        let (path, result) = (ids(&s), s.result());
        let saved: Vec<(String, Entry)> =
            s.entries().map(|(k, e)| (k.to_string(), e.clone())).collect();

        while s.back() {}
        while let Some(cur) = s.current().cloned() {
            let a = s.entry(cur.id.as_str()).and_then(|e| e.answer.clone());
            let r = match a {
                Some(a) => s.answer(a),
                None => s.skip(),
            };
            prop_assert_eq!(r, Ok(()));
        }
        prop_assert_eq!(ids(&s), path.clone());
        prop_assert_eq!(s.result(), result.clone());

        let restored = Session::restore(q, saved);
        prop_assert_eq!(ids(&restored), path);
        prop_assert_eq!(restored.result(), result);
    }

    #[test]
    fn random_moves_never_panic(
        q in questionnaires(),
        moves in prop::collection::vec((0u8..5, any::<u32>()), 0..150),
    ) {
        let mut s = Session::new(q);
        for (m, seed) in moves {
            match m {
                0 => { s.back(); }
                1 => { s.forward(); }
                2 => {
                    let inputs = ["yes", "no", "1", "2,3", "?", "-", "", "14", "1,5", "2027-01-15", "nonsense"];
                    if let Some(cur) = s.current().cloned()
                        && let Ok(a) = Answer::parse(&cur, inputs[seed as usize % inputs.len()])
                    {
                        prop_assert_eq!(s.answer(a), Ok(()));
                    }
                }
                3 => {
                    let path = ids(&s);
                    let target = &path[seed as usize % path.len().max(1)..];
                    if let Some(id) = target.first() {
                        prop_assert!(s.jump_to(id));
                    }
                }
                _ => {
                    if let Some(cur) = s.current().cloned() {
                        let _ = match random_answer(&cur, seed) {
                            Some(a) => s.answer(a),
                            None => s.skip(),
                        };
                    }
                }
            }
            prop_assert!(s.cursor() <= s.path().len());
            let p = s.progress();
            prop_assert!(p.answered <= s.questionnaire().question_count());
            let _ = s.result();
        }
    }
}

/// The example's "all three dimensions" case typed as an officer would in plain mode.
#[test]
fn the_example_walked_by_typed_input() {
    let q = example();
    let mut s = Session::new(q);
    let typed = [
        ("age_estimate", "24"),
        ("explain", ""),
        ("agrees", "ja"),
        ("came_for_job", "y"),
        ("job_matched", "2"),
        ("who_arranged", "others"),
        ("hours", "14,5"),
        ("conditions", "1, 3"),
        ("passport", "2"),
        ("told_to_offend", "yes"),
        ("wants_help", "?"),
        ("notes", ""),
    ];
    for (id, input) in typed {
        let cur = s.current().cloned().unwrap();
        assert_eq!(cur.id.as_str(), id);
        if input.is_empty() {
            s.skip().unwrap();
        } else {
            let a = Answer::parse(&cur, input).unwrap();
            s.answer(a).unwrap();
        }
    }
    assert!(s.is_finished());
    let r = s.result();
    assert_eq!(r.outcome, "strong_indication");
    assert_eq!(r.positive, ["recruitment", "exploitation", "control"]);
    let raised: Vec<(&str, Vec<&str>)> = r
        .indicators
        .iter()
        .map(|i| {
            (
                i.id.as_str(),
                i.because.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        raised,
        [
            ("job_deception", vec!["job_matched"]),
            ("travel_arranged", vec!["who_arranged"]),
            // Raised by its `when` (`hours > 12`): the answer it read is the evidence.
            ("long_days", vec!["hours"]),
            ("little_pay", vec!["conditions"]),
            ("papers_taken", vec!["passport"]),
            ("watched", vec!["conditions"]),
        ]
    );
    assert_eq!(r.flags.len(), 1);
    assert_eq!(r.flags[0].id, "forced_crime");
    assert_eq!(r.flags[0].because, ["told_to_offend"]);
    assert_eq!(s.progress().answered, 11);

    // Going back to `came_for_job` and answering no: the work section falls off the path,
    // its answers stay stored but no longer count.
    assert!(s.jump_to("came_for_job"));
    s.answer(Answer::Choice("no".into())).unwrap();
    assert_eq!(s.current().map(|q| q.id.as_str()), Some("who_arranged"));
    while s.forward() {}
    assert!(s.is_finished());
    assert!(!s.on_path("hours"));
    assert!(s.entry("hours").is_some());
    let r = s.result();
    // One medium sign left, and told_to_offend (in the work section) no longer counts.
    assert_eq!(r.outcome, "some");
    assert!(r.flags.is_empty());
    let raised: Vec<&str> = r.indicators.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(raised, ["travel_arranged"]);
}
