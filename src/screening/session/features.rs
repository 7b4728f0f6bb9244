//! Session tests of the format's `immediate` flags, `exclusive` choices and `fills`.

use std::sync::Arc;

use super::*;
use crate::questionnaire::fixture::{Builder, QuestionExt, choice, id, question};
use crate::questionnaire::{FillField, Fills, Pos, Questionnaire, Strength};
use crate::screening::RaisedItem;

/// age (number; under 18 raises the immediate flag `minor` by its `when`), threats (multi;
/// `you` raises the immediate flag `danger`, `none_of_these` is exclusive), extras (optional
/// multi with an exclusive choice), custody (single, fills details.custody), release (date,
/// optional, fills referral.release_date), consent (single, fills referral.consent).
fn features() -> Arc<Questionnaire> {
    use Kind::*;
    let mut q = Builder::new()
        .dimension("control", "strong() >= 1")
        .indicator("watched", "control", Strength::Strong, 1.0, None)
        .flag("minor", Some("age < 18"))
        .flag("danger", None)
        .flag("release_soon", None)
        .section(
            "main",
            None,
            vec![
                question("age", Number),
                question("threats", Multi).choices(vec![
                    choice("you", &["danger"]),
                    choice("family", &["watched", "release_soon"]),
                    choice("none_of_these", &[]),
                ]),
                question("extras", Multi).optional().choices(vec![
                    choice("a", &[]),
                    choice("b", &[]),
                    choice("neither", &[]),
                ]),
                question("custody", Single).choices(vec![
                    choice("remand", &[]),
                    choice("sentenced", &[]),
                    choice("other_custody", &[]),
                ]),
                question("release", Date).optional(),
                question("consent", Single)
                    .allow(false, false)
                    .choices(vec![
                        choice("named", &[]),
                        choice("anonymous", &[]),
                        choice("lawyer_first", &[]),
                    ]),
            ],
        )
        .outcome("refer", Some("positive(control)"))
        .outcome("none_seen", None)
        .build();
    let m = Arc::make_mut(&mut q);
    for f in &mut m.flags {
        f.immediate = f.id.name != "release_soon";
    }
    let fills = |field| {
        Some(Fills {
            field,
            pos: Pos::default(),
        })
    };
    for s in &mut m.sections {
        for x in &mut s.questions {
            match x.id.as_str() {
                "threats" | "extras" => {
                    if let Some(c) = x.choices.last_mut() {
                        c.exclusive = true;
                    }
                }
                "custody" => {
                    x.fills = fills(FillField::DetailsCustody);
                    for (c, v) in x.choices.iter_mut().zip(["remand", "sentenced", "other"]) {
                        c.fills = Some(id(v));
                    }
                }
                "release" => x.fills = fills(FillField::ReferralReleaseDate),
                "consent" => {
                    x.fills = fills(FillField::ReferralConsent);
                    for (c, v) in x.choices.iter_mut().zip(["named", "anonymous", "none"]) {
                        c.fills = Some(id(v));
                    }
                }
                _ => {}
            }
        }
    }
    q
}

fn choices(cs: &[&str]) -> Answer {
    Answer::Choices(cs.iter().map(|c| (*c).to_string()).collect())
}

fn flag_ids(fs: &[&Flag]) -> Vec<String> {
    fs.iter().map(|f| f.id.name.clone()).collect()
}

#[test]
fn an_answer_says_which_immediate_flags_it_newly_raised() {
    let mut s = Session::new(features());
    assert!(s.newly_raised().is_empty());
    s.answer(Answer::Number(16.0)).unwrap();
    assert_eq!(flag_ids(&s.newly_raised()), ["minor"]);
    assert_eq!(flag_ids(&s.unacknowledged()), ["minor"]);
    // A plain flag is not immediate: `family` raises release_soon, which is never "newly
    // raised", and the already raised `minor` is not raised again.
    s.answer(choices(&["family"])).unwrap();
    assert!(s.newly_raised().is_empty());
    assert!(s.result().flags.iter().any(|f| f.id == "release_soon"));
    assert_eq!(flag_ids(&s.unacknowledged()), ["minor"]);
}

#[test]
fn an_immediate_flag_is_shown_once_and_acknowledged_once() {
    let mut s = Session::new(features());
    s.answer(Answer::Number(16.0)).unwrap();
    assert!(s.acknowledge("minor"));
    assert!(s.unacknowledged().is_empty());
    assert!(s.acknowledge("minor"), "acknowledging twice is harmless");
    assert!(!s.acknowledge("danger"), "not raised yet");
    assert!(!s.acknowledge("release_soon"), "not an immediate flag");
    assert!(!s.acknowledge("nothing"));
    // Going back and answering again keeps it raised and acknowledged; nothing new is shown.
    s.back();
    s.answer(Answer::Number(15.0)).unwrap();
    assert!(s.newly_raised().is_empty());
    let listed: Vec<(&str, bool)> = s
        .immediate_flags()
        .iter()
        .map(|f| (f.flag.id.as_str(), f.acknowledged))
        .collect();
    assert_eq!(listed, [("minor", true)]);
}

#[test]
fn a_changed_answer_never_un_raises_an_immediate_flag() {
    let mut s = Session::new(features());
    s.answer(Answer::Number(16.0)).unwrap();
    s.back();
    s.answer(Answer::Number(30.0)).unwrap();
    assert!(s.newly_raised().is_empty());
    assert_eq!(flag_ids(&s.unacknowledged()), ["minor"]);
    let flags: Vec<RaisedItem> = s.result().flags;
    assert_eq!(
        flags,
        [RaisedItem {
            id: "minor".into(),
            because: vec![]
        }]
    );
    // The outcome is still computed from the answers as they are.
    assert_eq!(s.result().outcome, "none_seen");
}

#[test]
fn flags_raised_by_choices_are_newly_raised_in_file_order() {
    let mut s = Session::new(features());
    s.answer(Answer::Number(40.0)).unwrap();
    assert!(s.newly_raised().is_empty());
    s.answer(choices(&["you", "family"])).unwrap();
    assert_eq!(flag_ids(&s.newly_raised()), ["danger"]);
    // Any other change clears what was newly raised.
    s.answer(Answer::Choices(vec![])).unwrap();
    assert!(s.newly_raised().is_empty());
}

#[test]
fn a_resumed_screening_shows_unacknowledged_flags_again() {
    let mut s = Session::new(features());
    s.answer(Answer::Number(16.0)).unwrap();
    s.answer(choices(&["you"])).unwrap();
    s.acknowledge("minor");
    let entries: Vec<(String, Entry)> = s
        .entries()
        .map(|(id, e)| (id.to_string(), e.clone()))
        .collect();

    // Without what the store recorded, every flag the answers raise is shown again.
    let r = Session::restore(features(), entries.clone());
    assert!(r.newly_raised().is_empty());
    assert_eq!(flag_ids(&r.unacknowledged()), ["minor", "danger"]);

    // With it, only the one not acknowledged.
    let mut r = Session::restore(features(), entries);
    r.restore_immediate("minor", true);
    r.restore_immediate("danger", false);
    assert_eq!(flag_ids(&r.unacknowledged()), ["danger"]);

    // A flag the store recorded stays raised even when the stored answers no longer raise it.
    let mut r = Session::restore(
        features(),
        [(
            "age".to_string(),
            Entry {
                answer: Some(Answer::Number(30.0)),
                note: None,
            },
        )],
    );
    assert!(r.unacknowledged().is_empty());
    r.restore_immediate("minor", false);
    r.restore_immediate("release_soon", false); // not immediate: ignored
    assert_eq!(flag_ids(&r.unacknowledged()), ["minor"]);
    assert_eq!(r.result().flags.len(), 1);
}

#[test]
fn an_exclusive_choice_is_chosen_alone() {
    let mut s = Session::new(features());
    s.answer(Answer::Number(40.0)).unwrap();
    let err = s.answer(choices(&["family", "none_of_these"])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "in question `threats`, `none_of_these` can only be chosen alone, but the answer also has `family`"
    );
    assert_eq!(s.current().map(|q| q.id.as_str()), Some("threats"));
    s.answer(choices(&["none_of_these"])).unwrap();
    // Optional multi with an exclusive choice: the empty list is still fine.
    s.answer(Answer::Choices(vec![])).unwrap();
    assert_eq!(s.current().map(|q| q.id.as_str()), Some("custody"));
}

#[test]
fn a_required_multi_with_an_exclusive_choice_refuses_the_empty_list() {
    let mut s = Session::new(features());
    s.answer(Answer::Number(40.0)).unwrap();
    let err = s.answer(Answer::Choices(vec![])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "question `threats` needs at least one choice; if none applies, choose `none_of_these`"
    );
    // Special answers are still allowed.
    s.answer(Answer::DontKnow).unwrap();
}

#[test]
fn typed_and_file_answers_get_the_exclusive_error_too() {
    let q = features();
    let threats = q.question("threats").unwrap();
    assert!(matches!(
        Answer::parse(threats, "1,3"),
        Err(AnswerError::ExclusiveWithOthers { .. })
    ));
    assert!(matches!(
        Answer::parse(threats, ""),
        Err(AnswerError::NoneChosen { .. })
    ));
    let input = crate::questionnaire::scenario::AnswerInput::List(vec![
        "none_of_these".into(),
        "you".into(),
    ]);
    assert!(matches!(
        Answer::from_input(threats, &input),
        Err(AnswerError::ExclusiveWithOthers { .. })
    ));
}

#[test]
fn filled_fields_come_from_answered_questions_on_the_path() {
    let mut s = Session::new(features());
    assert!(s.filled().is_empty());
    s.answer(Answer::Number(40.0)).unwrap();
    s.answer(choices(&["none_of_these"])).unwrap();
    s.skip().unwrap();
    s.answer(Answer::Choice("other_custody".into())).unwrap();
    assert_eq!(s.filled().get(FillField::DetailsCustody), Some("other"));
    assert_eq!(
        s.filled().question(FillField::DetailsCustody),
        Some("custody")
    );
    // A date fills itself.
    s.answer(Answer::Date("2027-01-15".into())).unwrap();
    s.answer(Answer::Choice("lawyer_first".into())).unwrap();
    let f = s.filled();
    assert_eq!(f.get(FillField::ReferralReleaseDate), Some("2027-01-15"));
    assert_eq!(f.get(FillField::ReferralConsent), Some("none"));
    assert_eq!(f.get(FillField::ReferralExpulsion), None);
    assert_eq!(
        f.iter().collect::<Vec<_>>(),
        [
            (FillField::DetailsCustody, "other"),
            (FillField::ReferralReleaseDate, "2027-01-15"),
            (FillField::ReferralConsent, "none"),
        ]
    );
}

#[test]
fn special_answers_and_empty_optional_questions_fill_nothing() {
    let mut s = Session::new(features());
    s.answer(Answer::Number(40.0)).unwrap();
    s.answer(choices(&["none_of_these"])).unwrap();
    s.skip().unwrap();
    s.answer(Answer::DontKnow).unwrap();
    s.skip().unwrap();
    assert!(s.filled().is_empty());
}
