//! Property tests of the session: whatever valid answers are given, in whatever order of
//! going back and forth, the walk ends, never panics, and depends only on the answers.

use proptest::prelude::*;

use super::*;
use crate::questionnaire::Strength;
use crate::questionnaire::fixture::{Builder, QuestionExt, choice, question, sample};

/// A valid answer for `q` chosen by `seed`, or `None` to leave it empty / continue (only
/// where that is allowed).
pub(crate) fn random_answer(q: &Question, seed: u32) -> Option<Answer> {
    if q.kind == Kind::Info {
        return None;
    }
    // One seed in eight gives a special answer where allowed, one in eight skips an optional
    // question.
    match seed % 8 {
        0 if q.allow.dont_know => return Some(Answer::DontKnow),
        1 if q.allow.declined => return Some(Answer::Declined),
        2 if !q.required => return None,
        _ => {}
    }
    let pick = (seed / 8) as usize;
    let a = match q.kind {
        Kind::YesNo | Kind::Single => {
            let c = q.choices.get(pick % q.choices.len().max(1))?;
            Answer::Choice(c.id.name.clone())
        }
        Kind::Multi => Answer::Choices(
            q.choices
                .iter()
                .enumerate()
                .filter(|(i, _)| pick >> (i % 16) & 1 == 1)
                .map(|(_, c)| c.id.name.clone())
                .collect(),
        ),
        Kind::Number => {
            let lo = q.min.unwrap_or(-50.0);
            let hi = q.max.unwrap_or(lo + 100.0).max(lo);
            #[allow(clippy::cast_precision_loss)]
            let frac = (pick % 1001) as f64 / 1000.0;
            Answer::Number(lo + (hi - lo) * frac)
        }
        Kind::Text => Answer::Text(format!("text {pick}")),
        Kind::Date => Answer::Date(format!(
            "{:04}-{:02}-{:02}",
            1990 + pick % 40,
            1 + pick % 12,
            1 + pick % 28
        )),
        Kind::Info => return None,
    };
    Some(a)
}

/// Gives the answer chosen by `seed` at the cursor.
fn step(s: &mut Session, seed: u32) {
    let Some(q) = s.current().cloned() else {
        return;
    };
    let r = match random_answer(&q, seed) {
        Some(a) => s.answer(a),
        None => s.skip(),
    };
    assert_eq!(r, Ok(()), "at `{}`", q.id);
}

/// Walks to the end with the seeds (cycling), returning the number of steps taken.
fn walk_to_end(s: &mut Session, seeds: &[u32]) -> usize {
    let limit = s.questionnaire().question_count() + 1;
    let mut n = 0;
    while !s.is_finished() {
        assert!(n <= limit, "the walk did not end after {limit} steps");
        step(s, seeds.get(n % seeds.len().max(1)).copied().unwrap_or(0));
        n += 1;
    }
    n
}

/// A bigger questionnaire with show_ifs on earlier answers, on raised indicators, gotos to
/// questions, sections and the end, and a hidden section.
fn branching() -> Arc<Questionnaire> {
    use Kind::*;
    Builder::new()
        .dimension("a", "count() >= 2 or strong() >= 1")
        .dimension("b", "score() >= 2")
        .indicator("i1", "a", Strength::Strong, 1.0, None)
        .indicator("i2", "a", Strength::Weak, 1.0, Some("n > 5"))
        .indicator("i3", "b", Strength::Medium, 2.0, Some("positive(a)"))
        .flag("f1", Some("has(m, 'x') and raised(i3)"))
        .section(
            "one",
            None,
            vec![
                question("y1", YesNo)
                    .raises("yes", &["i1"])
                    .goto(Some("y1 == 'no'"), "two"),
                question("n", Number).range(Some(0.0), Some(10.0)),
                question("m", Multi).choices(vec![
                    choice("x", &["i3"]),
                    choice("z", &[]),
                    choice("w", &["f1"]),
                ]),
            ],
        )
        .section(
            "two",
            Some("not raised(i1) or n != 3"),
            vec![
                question("s", Single)
                    .choices(vec![choice("p", &[]), choice("r", &["i2"])])
                    .show_if("answered(y1)")
                    .goto(Some("s == 'p'"), "d"),
                question("info2", Info),
                question("t", Text).optional().goto(None, "three"),
                question("never", YesNo),
            ],
        )
        .section(
            "three",
            Some("positive(a) or declined(y1)"),
            vec![
                question("d", Date).optional(),
                question("y2", YesNo).goto(Some("y2 == 'yes'"), "end"),
                question("y3", YesNo).show_if("dont_know(y1) or n >= 2"),
            ],
        )
        .outcome("both_pos", Some("positive(a) and positive(b)"))
        .outcome("one_pos", Some("positive(a) or positive(b)"))
        .outcome("no_pos", None)
        .build()
}

fn questionnaires() -> impl Strategy<Value = Arc<Questionnaire>> {
    prop_oneof![Just(sample()), Just(branching())]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any sequence of valid answers ends, in an outcome of the questionnaire.
    #[test]
    fn valid_answers_always_end_in_an_outcome(
        q in questionnaires(),
        seeds in prop::collection::vec(any::<u32>(), 1..40),
    ) {
        let mut s = Session::new(q.clone());
        walk_to_end(&mut s, &seeds);
        prop_assert!(s.current().is_none());
        let r = s.result();
        prop_assert!(q.outcome(&r.outcome).is_some());
        let p = s.progress();
        prop_assert_eq!(p.remaining, 0);
        prop_assert_eq!(p.answered, s.asked().len());
    }

    /// Going back to the start and giving the same answers again gives the same path and
    /// result; so does restoring from the stored entries.
    #[test]
    fn the_same_answers_give_the_same_walk(
        q in questionnaires(),
        seeds in prop::collection::vec(any::<u32>(), 1..40),
    ) {
        let mut s = Session::new(q.clone());
        walk_to_end(&mut s, &seeds);
        let path: Vec<String> = s.path().iter().map(|x| x.id.name.clone()).collect();
        let result = s.result();
        let entries: Vec<(String, Entry)> =
            s.entries().map(|(id, e)| (id.to_string(), e.clone())).collect();

        while s.back() {}
        prop_assert_eq!(s.cursor(), 0);
        // Re-give each stored answer in order.
        while let Some(cur) = s.current().cloned() {
            let stored = s.entry(cur.id.as_str()).and_then(|e| e.answer.clone());
            let r = match stored {
                Some(a) => s.answer(a),
                None => s.skip(),
            };
            prop_assert_eq!(r, Ok(()));
        }
        let again: Vec<String> = s.path().iter().map(|x| x.id.name.clone()).collect();
        prop_assert_eq!(&again, &path);
        prop_assert_eq!(s.result(), result.clone());

        let restored = Session::restore(q, entries);
        let r_path: Vec<String> = restored.path().iter().map(|x| x.id.name.clone()).collect();
        prop_assert_eq!(&r_path, &path);
        prop_assert_eq!(restored.result(), result);
        prop_assert!(restored.is_finished());
    }

    /// Random moves never panic and keep the session's invariants.
    #[test]
    fn random_moves_never_panic(
        q in questionnaires(),
        moves in prop::collection::vec((0u8..6, any::<u32>()), 0..120),
    ) {
        let mut s = Session::new(q.clone());
        for (m, seed) in moves {
            match m {
                0 => { s.back(); }
                1 => { s.forward(); }
                2 => {
                    let ids: Vec<String> = s.path().iter().map(|x| x.id.name.clone()).collect();
                    if let Some(id) = ids.get(seed as usize % ids.len().max(1)) {
                        prop_assert!(s.jump_to(id));
                    }
                }
                3 => {
                    // Any typed input: refused with an error or taken, never a panic.
                    if let Some(cur) = s.current().cloned() {
                        let inputs = ["yes", "2", "1,3", "-", "?", "", "14", "2027-02-30", "x"];
                        if let Ok(a) = Answer::parse(&cur, inputs[seed as usize % inputs.len()]) {
                            prop_assert_eq!(s.answer(a), Ok(()));
                        }
                    }
                }
                4 => {
                    if let Some(cur) = s.current().map(|x| x.id.name.clone()) {
                        s.set_note(&cur, Some(format!("note {seed}")));
                    }
                }
                _ => step(&mut s, seed),
            }
            let len = s.path().len();
            prop_assert!(s.cursor() <= len);
            prop_assert_eq!(s.current().is_none(), s.cursor() == len);
            if !s.is_finished() {
                prop_assert!(s.cursor() < len);
            }
            let _ = s.result();
            let _ = s.progress();
        }
    }

    /// Saving first, then moving: a walk where every save may fail (the pending move is then
    /// dropped and tried again) stores exactly what the session holds, and ends where a walk
    /// without failures ends. What the store saw, replayed into a fresh session, gives the
    /// same path and result.
    #[test]
    fn a_failed_save_never_moves_the_session(
        q in questionnaires(),
        seeds in prop::collection::vec(any::<u32>(), 1..40),
        fails in prop::collection::vec(any::<bool>(), 1..40),
    ) {
        let mut clean = Session::new(q.clone());
        walk_to_end(&mut clean, &seeds);

        let mut s = Session::new(q.clone());
        let mut stored: Vec<(String, Entry)> = Vec::new();
        let mut n = 0;
        let mut tries = 0;
        while let Some(cur) = s.current().cloned() {
            let seed = seeds.get(n % seeds.len()).copied().unwrap_or(0);
            let mv = match random_answer(&cur, seed) {
                Some(a) => Move::Answer(a),
                None => Move::Skip,
            };
            if n % 3 == 0 {
                let note = s.prepare(Move::Note(Some(format!("note {n}"))));
                prop_assert!(note.is_ok());
                if let Ok(p) = note {
                    prop_assert!(p.entry().is_none(), "nothing to save before the answer");
                    prop_assert_eq!(s.apply(p), Ok(()));
                }
            }
            let p = s.prepare(mv);
            prop_assert!(p.is_ok(), "at `{}`: {:?}", cur.id, p);
            let Ok(p) = p else { break };
            let before = s.cursor();
            let fail = fails.get(tries % fails.len()).copied().unwrap_or(false);
            tries += 1;
            if fail && tries < 200 {
                // The store refused: nothing is applied and the question is asked again.
                drop(p);
                prop_assert_eq!(s.cursor(), before);
                continue;
            }
            let entry = p.entry().cloned();
            prop_assert!(entry.is_some(), "an answer or a skip is always saved");
            if let Some(e) = entry {
                stored.retain(|(id, _)| *id != cur.id.name);
                stored.push((cur.id.name.clone(), e));
            }
            prop_assert_eq!(s.apply(p), Ok(()));
            n += 1;
        }
        let path = |x: &Session| -> Vec<String> {
            x.path().iter().map(|q| q.id.name.clone()).collect()
        };
        prop_assert_eq!(path(&s), path(&clean));
        prop_assert_eq!(s.result(), clean.result());
        for (id, e) in &stored {
            prop_assert_eq!(s.entry(id), Some(e));
        }
        let replayed = Session::restore(q, stored);
        prop_assert_eq!(path(&replayed), path(&s));
        prop_assert_eq!(replayed.result(), s.result());
    }
}
