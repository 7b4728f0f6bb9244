//! Unit tests of the session over hand-built questionnaires.

use super::*;
use crate::questionnaire::Strength;
use crate::questionnaire::fixture::{Builder, QuestionExt, choice, question, sample};
use crate::screening::RaisedItem;

fn ids(s: &Session) -> Vec<&str> {
    s.path().iter().map(|q| q.id.as_str()).collect()
}

fn cur(s: &Session) -> Option<&str> {
    s.current().map(|q| q.id.as_str())
}

fn yes() -> Answer {
    Answer::Choice("yes".into())
}

fn no() -> Answer {
    Answer::Choice("no".into())
}

fn choice_a(c: &str) -> Answer {
    Answer::Choice(c.into())
}

/// Answers the item at the cursor, failing the test with the error if refused.
fn give(s: &mut Session, a: Answer) {
    let at = cur(s).unwrap_or("<end>").to_string();
    if let Err(e) = s.answer(a) {
        panic!("answer at {at} refused: {e}");
    }
}

/// Walks the sample to `hours` with job = yes, matched = no, who = others.
fn to_hours() -> Session {
    let mut s = Session::new(sample());
    s.skip().unwrap();
    give(&mut s, yes());
    give(&mut s, Answer::Number(30.0));
    give(&mut s, yes());
    give(&mut s, no());
    give(&mut s, choice_a("others"));
    assert_eq!(cur(&s), Some("hours"));
    s
}

fn raised_ids(r: &ScreeningResult) -> Vec<&str> {
    r.indicators.iter().map(|i| i.id.as_str()).collect()
}

fn flag_ids(r: &ScreeningResult) -> Vec<&str> {
    r.flags.iter().map(|i| i.id.as_str()).collect()
}

#[test]
fn a_new_session_stands_at_the_first_item() {
    let s = Session::new(sample());
    assert_eq!(cur(&s), Some("intro"));
    assert_eq!(ids(&s), ["intro"]);
    assert_eq!(s.cursor(), 0);
    assert!(!s.is_finished());
    assert_eq!(s.entries().count(), 0);
}

#[test]
fn info_items_take_no_answer_and_skip_continues() {
    let mut s = Session::new(sample());
    let err = s.answer(yes());
    assert_eq!(
        err,
        Err(AnswerError::InfoTakesNoAnswer {
            question: "intro".into()
        })
    );
    assert_eq!(s.skip(), Ok(()));
    assert_eq!(cur(&s), Some("agrees"));
    // The continued info item is recorded, so a resumed interview does not show it again.
    assert_eq!(s.entry("intro"), Some(&Entry::default()));
}

#[test]
fn goto_end_finishes_the_walk() {
    let mut s = Session::new(sample());
    s.skip().unwrap();
    give(&mut s, no());
    assert!(s.is_finished());
    assert_eq!(cur(&s), None);
    assert_eq!(ids(&s), ["intro", "agrees"]);
    assert_eq!(s.asked(), ["agrees"]);
    assert_eq!(s.cursor(), 2);
    assert_eq!(s.result().outcome, "declined_talk");
    assert_eq!(s.answer(yes()), Err(AnswerError::Finished));
    assert_eq!(s.skip(), Err(AnswerError::Finished));
    assert!(!s.forward());
    assert_eq!(
        s.progress(),
        Progress {
            answered: 1,
            remaining: 0
        }
    );
}

#[test]
fn a_full_walk_raises_by_answers_and_by_when_until_nothing_new() {
    let mut s = to_hours();
    give(&mut s, Answer::Number(14.0));
    give(
        &mut s,
        Answer::Choices(vec!["watched".into(), "unpaid".into()]),
    );
    // Stored in the question's order.
    assert_eq!(
        s.entry("conds").and_then(|e| e.answer.clone()),
        Some(Answer::Choices(vec!["unpaid".into(), "watched".into()]))
    );
    s.skip().unwrap(); // arrived is optional
    give(&mut s, yes());
    s.skip().unwrap();
    assert!(s.is_finished());
    assert_eq!(
        s.asked(),
        [
            "agrees", "age", "job", "matched", "who", "hours", "conds", "arrived", "help", "notes"
        ]
    );
    let r = s.result();
    assert_eq!(
        raised_ids(&r),
        [
            "deceived",
            "arranged",
            "long_days",
            "little_pay",
            "watched",
            "combined"
        ]
    );
    let because = |id: &str| {
        r.indicators
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.because.clone())
    };
    assert_eq!(because("deceived"), Some(vec!["matched".to_string()]));
    assert_eq!(because("watched"), Some(vec!["conds".to_string()]));
    // A `when` names the answers it read (issue 14 item 14): `hours > 12` read hours.
    assert_eq!(because("long_days"), Some(vec!["hours".to_string()]));
    // combined needs watched and little_pay (a `when` on `raises`), and the flag needs the
    // dimension positive, which needs combined's weight: three rounds of the fixpoint.
    // `raised(watched) and raised(little_pay)` reads no answer itself: the evidence of the
    // two indicators it read is its own.
    assert_eq!(because("combined"), Some(vec!["conds".to_string()]));
    assert_eq!(flag_ids(&r), ["controlled"]);
    // `positive(control)` reads no answer and no raised item: nothing to name.
    assert_eq!(r.flags.first().map(|f| f.because.clone()), Some(vec![]));
    assert_eq!(r.positive, ["recruitment", "exploitation", "control"]);
    assert_eq!(r.outcome, "refer");
}

#[test]
fn a_goto_to_a_section_jumps_to_its_first_question() {
    let mut s = Session::new(sample());
    s.skip().unwrap();
    give(&mut s, yes());
    give(&mut s, Answer::Number(16.0));
    give(&mut s, yes());
    give(&mut s, yes());
    give(&mut s, choice_a("self"));
    assert_eq!(cur(&s), Some("help"));
    let r = s.result();
    assert_eq!(flag_ids(&r), ["minor"]);
    // `age < 18` read the age: the flag names it as its evidence.
    assert_eq!(r.because("minor"), Some(&["age".to_string()][..]));
    assert_eq!(r.outcome, "none_seen");
}

#[test]
fn a_section_show_if_skips_the_whole_section() {
    let mut s = Session::new(sample());
    s.skip().unwrap();
    give(&mut s, yes());
    give(&mut s, Answer::Number(40.0));
    give(&mut s, no());
    // matched is hidden by its own show_if.
    assert_eq!(cur(&s), Some("who"));
    give(&mut s, choice_a("others"));
    // work is hidden by the section's show_if.
    assert_eq!(cur(&s), Some("help"));
    assert_eq!(s.result().outcome, "some");
}

#[test]
fn changing_an_earlier_answer_keeps_later_ones_but_ignores_them_off_the_path() {
    let mut s = to_hours();
    give(&mut s, Answer::Number(14.0));
    assert_eq!(cur(&s), Some("conds"));
    assert!(s.jump_to("job"));
    assert_eq!(cur(&s), Some("job"));
    give(&mut s, no());
    // The next item on the recomputed path: matched is no longer shown.
    assert_eq!(cur(&s), Some("who"));
    assert!(!s.on_path("matched"));
    assert!(!s.on_path("hours"));
    // Stale answers stay stored...
    assert_eq!(
        s.entry("matched").and_then(|e| e.answer.clone()),
        Some(no())
    );
    assert_eq!(
        s.entry("hours").and_then(|e| e.answer.clone()),
        Some(Answer::Number(14.0))
    );
    // ...but count for nothing.
    let r = s.result();
    assert_eq!(raised_ids(&r), ["arranged"]);
    // who keeps its answer; going on walks past it into closing (work is skipped now).
    give(&mut s, choice_a("others"));
    assert_eq!(cur(&s), Some("help"));

    // Changing job back brings matched and hours back, with their answers, one step at a
    // time.
    assert!(s.jump_to("job"));
    give(&mut s, yes());
    assert_eq!(cur(&s), Some("matched"));
    assert_eq!(
        s.entry("matched").and_then(|e| e.answer.clone()),
        Some(no())
    );
    assert!(s.forward());
    assert_eq!(cur(&s), Some("who"));
    assert!(s.forward());
    assert_eq!(cur(&s), Some("hours"));
    assert!(s.forward());
    // conds is the frontier: it has no answer, so the cursor stops there.
    assert_eq!(cur(&s), Some("conds"));
    assert!(!s.forward());
    assert_eq!(
        raised_ids(&s.result()),
        ["deceived", "arranged", "long_days"]
    );
}

#[test]
fn back_forward_and_jump_stay_on_the_path() {
    let mut s = to_hours();
    assert_eq!(s.cursor(), 6);
    assert!(!s.forward());
    assert!(s.back());
    assert_eq!(cur(&s), Some("who"));
    assert!(s.forward());
    assert_eq!(cur(&s), Some("hours"));
    for _ in 0..6 {
        assert!(s.back());
    }
    assert_eq!(cur(&s), Some("intro"));
    assert!(!s.back());
    assert!(!s.jump_to("conds"), "not on the path yet");
    assert!(!s.jump_to("nonsense"));
    assert!(s.jump_to("hours"));
    assert_eq!(s.cursor(), 6);
    // Re-answering an early item with the same answer moves one step forward.
    assert!(s.jump_to("agrees"));
    give(&mut s, yes());
    assert_eq!(cur(&s), Some("age"));
    assert_eq!(ids(&s).len(), 7);
}

#[test]
fn required_questions_cannot_be_skipped() {
    let mut s = Session::new(sample());
    s.skip().unwrap();
    assert_eq!(
        s.skip(),
        Err(AnswerError::Required {
            question: "agrees".into(),
            hint: String::new()
        })
    );
    give(&mut s, yes());
    let err = s.skip().err().map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            "question `age` is required and cannot be left unanswered; `dont_know` or `declined` can be given instead"
        )
    );
    // A special answer is an answer.
    give(&mut s, Answer::DontKnow);
    assert_eq!(cur(&s), Some("job"));
}

#[test]
fn skipping_an_answered_optional_question_clears_it_but_keeps_the_note() {
    let mut s = to_hours();
    give(&mut s, Answer::Number(10.0));
    give(&mut s, Answer::Choices(vec![]));
    s.set_note("arrived", Some("not sure of the year".into()));
    give(&mut s, Answer::Date("2024-02-29".into()));
    assert!(s.jump_to("arrived"));
    s.skip().unwrap();
    assert_eq!(
        s.entry("arrived"),
        Some(&Entry {
            answer: None,
            note: Some("not sure of the year".into())
        })
    );
    assert_eq!(cur(&s), Some("help"));
}

#[test]
fn allow_limits_the_special_answers() {
    let mut s = Session::new(sample());
    s.skip().unwrap();
    for special in [Answer::DontKnow, Answer::Declined] {
        let err = s.answer(special.clone()).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                format!(
                    "question `agrees` does not take the answer `{special}`; it takes only `yes` or `no`"
                )
                .as_str()
            )
        );
    }
    give(&mut s, yes());
    give(&mut s, Answer::Declined);
    give(&mut s, no());
    give(&mut s, choice_a("self"));
    assert_eq!(cur(&s), Some("help"));
    let err = s.answer(Answer::Declined).err().map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            "question `help` does not take the answer `declined`; it takes `yes` or `no` and `dont_know` can be given instead"
        )
    );
    give(&mut s, Answer::DontKnow);
    assert_eq!(cur(&s), Some("notes"));
}

#[test]
fn answers_are_validated_against_their_question() {
    let s = sample();
    let q = |id: &str| s.question(id).cloned().unwrap();
    let check = |id: &str, a: Answer| Session::validate(&q(id), &a).map_err(|e| e.to_string());
    assert_eq!(
        check("age", Answer::Number(9.0)),
        Err("9 is outside the range of question `age`, which takes numbers from 10 to 99".into())
    );
    assert_eq!(check("age", Answer::Number(10.0)), Ok(()));
    assert_eq!(check("age", Answer::Number(99.0)), Ok(()));
    assert!(check("age", Answer::Number(99.5)).is_err());
    assert!(check("age", Answer::Number(f64::NAN)).is_err());
    assert!(check("age", Answer::Number(f64::INFINITY)).is_err());
    assert_eq!(
        check("who", choice_a("friend")),
        Err(
            "`friend` is not a choice of question `who`; its choices are 1 `self`, 2 `others`"
                .into()
        )
    );
    assert_eq!(
        check("job", Answer::Number(1.0)),
        Err("question `job` takes `yes` or `no`, not `1`".into())
    );
    assert_eq!(
        check(
            "conds",
            Answer::Choices(vec!["unpaid".into(), "unpaid".into()])
        ),
        Err("`unpaid` is given twice in the answer to question `conds`".into())
    );
    assert!(check("conds", Answer::Choices(vec!["late".into()])).is_err());
    assert_eq!(check("conds", Answer::Choices(vec![])), Ok(()));
    assert!(check("conds", choice_a("unpaid")).is_err());
    assert_eq!(
        check("arrived", Answer::Date("2027-02-30".into())),
        Err(
            "`2027-02-30` is not a date; question `arrived` takes a date written like 2027-01-15"
                .into()
        )
    );
    assert!(check("arrived", Answer::Date("2027-1-15".into())).is_err());
    assert!(check("arrived", Answer::Date("15.01.2027".into())).is_err());
    assert_eq!(check("arrived", Answer::Date("2028-02-29".into())), Ok(()));
    assert!(check("notes", Answer::Text("   ".into())).is_err());
    assert_eq!(check("notes", Answer::Text("fine".into())), Ok(()));
    assert!(check("intro", Answer::Text("x".into())).is_err());
}

#[test]
fn notes_are_kept_with_the_answer_and_do_not_move_the_walk() {
    let mut s = Session::new(sample());
    s.skip().unwrap();
    s.set_note("agrees", Some("hesitant at first".into()));
    assert_eq!(cur(&s), Some("agrees"), "a note alone is no answer");
    assert_eq!(ids(&s), ["intro", "agrees"]);
    give(&mut s, yes());
    assert_eq!(
        s.entry("agrees"),
        Some(&Entry {
            answer: Some(yes()),
            note: Some("hesitant at first".into())
        })
    );
    s.set_note("agrees", Some("  ".into()));
    assert_eq!(s.entry("agrees").and_then(|e| e.note.clone()), None);
    // A note on a question without an answer that is then cleared leaves no entry.
    s.set_note("age", Some("looks young".into()));
    s.set_note("age", None);
    assert_eq!(s.entry("age"), None);
    // Unknown ids are ignored.
    s.set_note("nonsense", Some("x".into()));
    assert_eq!(s.entry("nonsense"), None);
}

#[test]
fn restore_places_the_cursor_at_the_frontier() {
    let mut s = to_hours();
    s.set_note("hours", Some("works nights".into()));
    let saved: Vec<(String, Entry)> = s
        .entries()
        .map(|(id, e)| (id.to_string(), e.clone()))
        .collect();
    let r = Session::restore(sample(), saved);
    assert_eq!(cur(&r), Some("hours"));
    assert_eq!(r.cursor(), 6);
    assert_eq!(ids(&r), ids(&s));
    assert_eq!(
        r.entry("hours").and_then(|e| e.note.as_deref()),
        Some("works nights")
    );
    assert_eq!(r.result(), s.result());
}

#[test]
fn restore_of_a_finished_walk_stands_at_the_end_and_keeps_unknown_ids() {
    let entries = vec![
        ("intro".to_string(), Entry::default()),
        (
            "agrees".to_string(),
            Entry {
                answer: Some(no()),
                note: None,
            },
        ),
        (
            "removed_question".to_string(),
            Entry {
                answer: Some(yes()),
                note: Some("from an older version".into()),
            },
        ),
    ];
    let s = Session::restore(sample(), entries);
    assert!(s.is_finished());
    assert_eq!(cur(&s), None);
    assert_eq!(s.cursor(), 2);
    assert_eq!(s.entries().count(), 3);
    assert!(s.entry("removed_question").is_some());
    assert_eq!(s.result().outcome, "declined_talk");
}

#[test]
fn progress_counts_questions_not_info_items() {
    let mut s = Session::new(sample());
    // Projected as if every question were left empty: agrees, age, job, who (matched and
    // the work section need job == 'yes'), help, notes; the info item is not counted.
    assert_eq!(
        s.progress(),
        Progress {
            answered: 0,
            remaining: 6
        }
    );
    s.skip().unwrap();
    give(&mut s, yes());
    assert_eq!(s.progress().answered, 1);
    give(&mut s, Answer::Number(30.0));
    give(&mut s, yes());
    let p = s.progress();
    assert_eq!(p.answered, 3);
    // matched, who, hours, conds, arrived, help, notes
    assert_eq!(p.remaining, 7);
}

#[test]
fn show_if_sees_what_the_answers_so_far_raise() {
    use Kind::*;
    let q = Builder::new()
        .dimension("d", "count() >= 2")
        .indicator("a", "d", Strength::Weak, 1.0, None)
        .indicator(
            "b",
            "d",
            Strength::Weak,
            1.0,
            Some("raised(a) and x == 'yes'"),
        )
        .section(
            "s",
            None,
            vec![
                question("x", YesNo).raises("yes", &["a"]),
                question("y", YesNo).show_if("positive(d)"),
                question("z", YesNo).show_if("not raised(a)"),
            ],
        )
        .outcome("o", None)
        .build();
    let mut s = Session::new(q.clone());
    give(&mut s, yes());
    assert_eq!(cur(&s), Some("y"));
    give(&mut s, no());
    assert!(s.is_finished());
    let mut s = Session::new(q);
    give(&mut s, no());
    assert_eq!(cur(&s), Some("z"));
}

#[test]
fn a_cycle_of_positive_calls_ends_as_not_positive() {
    let q = Builder::new()
        .dimension("a", "positive(b) or strong() >= 1")
        .dimension("b", "positive(a)")
        .indicator("i", "a", Strength::Strong, 1.0, Some("positive(b)"))
        .section("s", None, vec![question("x", Kind::YesNo)])
        .outcome("yes_a", Some("positive(a)"))
        .outcome("no_a", None)
        .build();
    let mut s = Session::new(q);
    give(&mut s, yes());
    let r = s.result();
    assert_eq!(r.outcome, "no_a");
    assert!(r.indicators.is_empty());
}

#[test]
fn goto_may_read_its_own_question_and_an_info_item_may_jump() {
    use Kind::*;
    let q = Builder::new()
        .dimension("d", "count() >= 1")
        .indicator("i", "d", Strength::Weak, 1.0, None)
        .section(
            "s",
            None,
            vec![
                question("start", Info).goto(None, "last"),
                question("skipped", YesNo),
                question("last", Number)
                    .optional()
                    .goto(Some("last > 3"), "t"),
                question("mid", YesNo),
            ],
        )
        .section("t", None, vec![question("end_q", Text).optional()])
        .outcome("o", None)
        .build();
    let mut s = Session::new(q.clone());
    s.skip().unwrap();
    assert_eq!(cur(&s), Some("last"));
    give(&mut s, Answer::Number(5.0));
    assert_eq!(cur(&s), Some("end_q"));
    // Left empty: the goto's condition has no value and does not hold.
    let mut s = Session::new(q);
    s.skip().unwrap();
    s.skip().unwrap();
    assert_eq!(cur(&s), Some("mid"));
    assert_eq!(s.asked(), ["last", "mid"]);
}

#[test]
fn a_goto_into_a_hidden_section_lands_after_it() {
    use Kind::*;
    let q = Builder::new()
        .dimension("d", "count() >= 1")
        .indicator("i", "d", Strength::Weak, 1.0, None)
        .section(
            "a",
            None,
            vec![question("x", YesNo).goto(Some("x == 'yes'"), "inner")],
        )
        .section(
            "b",
            Some("x == 'no'"),
            vec![question("first", YesNo), question("inner", YesNo)],
        )
        .section("c", None, vec![question("after", YesNo)])
        .outcome("o", None)
        .build();
    let mut s = Session::new(q);
    give(&mut s, yes());
    assert_eq!(cur(&s), Some("after"));
    assert!(s.back());
    give(&mut s, no());
    assert_eq!(cur(&s), Some("first"));
}

#[test]
fn an_empty_questionnaire_walk_is_finished_at_once() {
    let q = Builder::new()
        .dimension("d", "count() >= 1")
        .indicator("i", "d", Strength::Weak, 1.0, None)
        .section("s", None, vec![question("x", Kind::YesNo).show_if("false")])
        .outcome("o", None)
        .build();
    let mut s = Session::new(q);
    assert!(s.is_finished());
    assert_eq!(cur(&s), None);
    assert!(!s.back());
    assert_eq!(s.result().outcome, "o");
    assert_eq!(s.skip(), Err(AnswerError::Finished));
}

#[test]
fn multi_choice_raises_and_has() {
    use Kind::*;
    let q = Builder::new()
        .dimension("d", "count() >= 1")
        .indicator("i", "d", Strength::Weak, 1.0, None)
        .flag("f", None)
        .section(
            "s",
            None,
            vec![
                question("m", Multi).choices(vec![
                    choice("a", &["i", "f"]),
                    choice("b", &["i"]),
                    choice("c", &[]),
                ]),
                question("only_b", YesNo).show_if("has(m, 'b')"),
            ],
        )
        .outcome("o", None)
        .build();
    let mut s = Session::new(q);
    give(&mut s, Answer::Choices(vec!["a".into(), "b".into()]));
    assert_eq!(cur(&s), Some("only_b"));
    let r = s.result();
    assert_eq!(
        r.indicators,
        vec![RaisedItem {
            id: "i".into(),
            because: vec!["m".into()]
        }]
    );
    assert_eq!(
        r.flags,
        vec![RaisedItem {
            id: "f".into(),
            because: vec!["m".into()]
        }]
    );
    assert_eq!(r.positive, ["d"]);
    assert!(r.is_raised("f"));
}

/// Saves what `p` asks to save into `store` (a stand-in for the database), then applies it.
fn save_then_apply(s: &mut Session, store: &mut Vec<(String, Entry)>, mv: Move) {
    let p = s.prepare(mv).unwrap();
    if let Some(e) = p.entry() {
        store.push((p.question().to_string(), e.clone()));
    }
    s.apply(p).unwrap();
}

#[test]
fn prepare_changes_nothing_until_apply() {
    let mut s = Session::new(sample());
    s.skip().unwrap();
    let before = s.clone();
    let p = s.prepare(Move::Answer(yes())).unwrap();
    assert_eq!(p.question(), "agrees");
    assert!(p.moves_on());
    assert_eq!(
        p.entry(),
        Some(&Entry {
            answer: Some(yes()),
            note: None
        })
    );
    // The store failed: the pending move is dropped and the session is as it was.
    drop(p);
    assert_eq!(cur(&s), cur(&before));
    assert_eq!(s.entry("agrees"), None);
    let p = s.prepare(Move::Answer(yes())).unwrap();
    s.apply(p).unwrap();
    assert_eq!(cur(&s), Some("age"));
}

#[test]
fn the_required_skip_rule_lives_in_prepare() {
    let mut s = Session::new(sample());
    // Info items continue; skipping is the only way past them.
    assert!(s.prepare(Move::Skip).is_ok());
    assert_eq!(
        s.prepare(Move::Answer(yes())),
        Err(AnswerError::InfoTakesNoAnswer {
            question: "intro".into()
        })
    );
    s.skip().unwrap();
    assert_eq!(
        s.prepare(Move::Skip),
        Err(AnswerError::Required {
            question: "agrees".into(),
            hint: String::new()
        })
    );
}

#[test]
fn a_note_before_the_answer_waits_and_a_note_after_it_is_saved_at_once() {
    let mut s = Session::new(sample());
    let mut store = Vec::new();
    save_then_apply(&mut s, &mut store, Move::Skip);
    // Before the answer: nothing to save, the session holds it, the walk does not move.
    let p = s
        .prepare(Move::Note(Some("hesitant at first".into())))
        .unwrap();
    assert_eq!(p.entry(), None);
    assert!(!p.moves_on());
    s.apply(p).unwrap();
    assert_eq!(cur(&s), Some("agrees"));
    assert_eq!(store.len(), 1);
    // The answer carries the waiting note into the store.
    save_then_apply(&mut s, &mut store, Move::Answer(yes()));
    assert_eq!(
        store.last(),
        Some(&(
            "agrees".to_string(),
            Entry {
                answer: Some(yes()),
                note: Some("hesitant at first".into())
            }
        ))
    );
    // Back on an answered question, a note is saved on its own with the same answer.
    assert!(s.back());
    save_then_apply(&mut s, &mut store, Move::Note(Some("calm later".into())));
    assert_eq!(
        store.last(),
        Some(&(
            "agrees".to_string(),
            Entry {
                answer: Some(yes()),
                note: Some("calm later".into())
            }
        ))
    );
    assert_eq!(cur(&s), Some("agrees"), "a note never moves the walk");
    // A blank note clears it.
    save_then_apply(&mut s, &mut store, Move::Note(Some("  ".into())));
    assert_eq!(store.last().map(|(_, e)| e.note.clone()), Some(None));
}

#[test]
fn typed_text_is_data_never_terminal_control() {
    let mut s = to_hours();
    let err = s
        .prepare(Move::Note(Some("tired\u{1b}[2J".into())))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the note of question `hours` contains the control character U+001B, which cannot be part of it"
    );
    assert!(
        s.prepare(Move::Note(Some("line one\nline two\twith a tab".into())))
            .is_ok()
    );
    let long = "x".repeat(4001);
    assert!(s.prepare(Move::Note(Some(long))).is_err());
    give(&mut s, Answer::Number(10.0));
    give(&mut s, Answer::Choices(vec![]));
    give(&mut s, Answer::Date("2024-02-29".into()));
    give(&mut s, yes());
    assert_eq!(cur(&s), Some("notes"));
    let err = s
        .prepare(Move::Answer(Answer::Text("a\u{202E}b".into())))
        .unwrap_err();
    assert!(err.to_string().contains("U+202E"), "{err}");
}

#[test]
fn a_move_prepared_elsewhere_is_not_applied() {
    let mut s = Session::new(sample());
    s.skip().unwrap();
    let p = s.prepare(Move::Answer(yes())).unwrap();
    assert!(s.back());
    assert_eq!(
        s.apply(p),
        Err(AnswerError::Moved {
            question: "agrees".into()
        })
    );
    assert_eq!(s.entry("agrees"), None);
}

#[test]
fn the_result_says_whether_a_referral_may_be_made() {
    let mut s = Session::new(sample());
    s.skip().unwrap();
    give(&mut s, no());
    assert!(s.is_finished());
    let r = s.result();
    let q = sample();
    let expected = q.outcome(&r.outcome).map(|o| o.referral);
    assert_eq!(Some(r.referral), expected);
    assert_eq!(
        r.allows_referral(),
        r.referral != crate::questionnaire::ReferralAdvice::None
    );
}
