//! Whole interviews played as key events through the real loop, against an in-memory store:
//! the final frame and the stored rows.

mod common;

use common::*;
use ratatui::crossterm::event::KeyCode;
use rosa_screen::screening::Answer;
use rosa_screen::tui::app::{Exit, Screen};

#[test]
fn a_whole_screening_with_a_referral() {
    let mut app = App::new("en");
    app.play(start_screening("B-2026-117"));
    assert!(app.screen().contains("Approximate age"), "{}", app.screen());
    app.play(answer_all());
    let screen = app.screen();
    assert!(screen.contains("Strong indication"), "{screen}");
    assert!(screen.contains("ACT ON THESE NOW"), "{screen}");

    // The referral: consent, urgency, contact.
    let mut keys = vec![ch('r'), ch('1'), enter()];
    keys.extend(text("2027-01-15"));
    keys.push(enter());
    keys.push(ch(' ')); // expulsion: yes
    keys.push(enter());
    keys.push(enter()); // contact kept from the officer
    keys.push(enter()); // make the referral
    app.play(keys);
    let screen = app.screen();
    assert!(screen.contains("The referral is recorded"), "{screen}");

    let Screen::Referral(sc, _) = &app.state.screen else {
        panic!("on the referral screen");
    };
    let stored = app.store.load_screening(&sc.id).expect("stored");
    assert!(stored.ended_at.is_some(), "finished");
    assert_eq!(stored.unit, "Bredtveit");
    assert_eq!(stored.person, "B-2026-117");
    assert_eq!(stored.nationality, "NG");
    assert_eq!(stored.birth_year, Some(1990));
    let answer = |q: &str| {
        stored
            .answers
            .iter()
            .find(|a| a.question_id == q)
            .and_then(|a| a.answer.clone())
    };
    assert_eq!(answer("age_estimate"), Some(Answer::Number(34.0)));
    assert_eq!(answer("hours"), Some(Answer::Number(14.0)));
    assert_eq!(
        answer("conditions"),
        Some(Answer::Choices(vec!["unpaid".into(), "watched".into()]))
    );
    assert_eq!(
        answer("notes"),
        Some(Answer::Text("Worried about a debt".into()))
    );
    let referrals = app.store.referrals(&Default::default()).expect("referrals");
    assert_eq!(referrals.len(), 1);
    assert_eq!(referrals[0].screening_id, sc.id);
    assert_eq!(referrals[0].release_date.as_deref(), Some("2027-01-15"));
    assert_eq!(
        referrals[0].expulsion,
        Some(rosa_screen::store::Expulsion::Yes)
    );

    // Enter goes home; the screening is no longer unfinished.
    app.play(vec![enter()]);
    assert!(matches!(&app.state.screen, Screen::Home(h) if h.unfinished.is_empty()));
}

#[test]
fn every_answer_is_stored_before_the_next_question_shows() {
    let mut app = App::new("en");
    app.play(start_screening("P-1"));
    let mut keys = text("34");
    keys.push(enter());
    app.play(keys);
    // The info item is on screen, and the answer before it is already in the store.
    assert!(
        app.screen().contains("Explain who you are"),
        "{}",
        app.screen()
    );
    let Screen::Interview(sc, _) = &app.state.screen else {
        panic!("interviewing");
    };
    let stored = app.store.load_screening(&sc.id).expect("stored");
    assert_eq!(stored.answers.len(), 1);
    assert_eq!(stored.answers[0].answer, Some(Answer::Number(34.0)));
}

#[test]
fn pause_and_resume_return_to_the_exact_question() {
    let mut app = App::new("en");
    app.play(start_screening("P-2"));
    let mut keys = text("40");
    keys.extend([enter(), enter(), ch('1'), enter()]); // age, info, agrees: yes
    keys.push(key(KeyCode::Esc)); // pause
    app.play(keys);
    let home = app.screen();
    assert!(home.contains("Resume P-2"), "{home}");
    // The row counts answers: age and "agrees" (the read-out item between them is none).
    assert!(home.contains("2 answered"), "{home}");

    // Resume: the cursor is already on the unfinished row (never on "new", which would start
    // a second screening of the same person), so Enter resumes it.
    assert!(home.contains("> Resume P-2"), "{home}");
    app.play(vec![enter()]);
    let screen = app.screen();
    assert!(screen.contains("Did you come here for a job?"), "{screen}");
    // Back shows the saved answer of the question before.
    app.play(vec![key(KeyCode::Left)]);
    assert!(app.screen().contains("Saved: Yes"), "{}", app.screen());
}

#[test]
fn going_back_from_the_summary_to_change_an_answer() {
    let mut app = App::new("en");
    app.play(start_screening("P-3"));
    app.play(answer_all());
    assert!(app.screen().contains("Strong indication"));
    // Change: back to the last question; then back to passport and change it to "I did".
    let mut keys = vec![ch('c')];
    for _ in 0..3 {
        keys.push(key(KeyCode::PageUp));
    }
    app.play(keys);
    assert!(
        app.screen().contains("Who kept your passport?"),
        "{}",
        app.screen()
    );
    app.play(vec![
        ch('1'),
        enter(),
        key(KeyCode::PageDown),
        key(KeyCode::PageDown),
        key(KeyCode::PageDown),
    ]);
    assert!(
        app.screen().contains("Possible indication"),
        "{}",
        app.screen()
    );
    // Finish without a referral: `f` asks first, and says what finishing means; any other key
    // goes back to the summary with nothing stored.
    app.play(vec![ch('f')]);
    let ask = app.screen();
    assert!(ask.contains("Finish without a referral?"), "{ask}");
    assert!(ask.contains("no referral to ROSA is made"), "{ask}");
    app.play(vec![ch('x')]);
    assert!(matches!(&app.state.screen, Screen::Summary(_, su) if !su.confirm));
    assert!(
        app.store
            .latest_screening()
            .expect("read")
            .is_some_and(|s| s.ended_at.is_none())
    );
    // Confirmed: the result is stored and home lists nothing unfinished.
    app.play(vec![ch('f'), enter()]);
    assert!(matches!(&app.state.screen, Screen::Home(h) if h.unfinished.is_empty()));
}

#[test]
fn no_consent_means_no_referral() {
    let mut app = App::new("nb");
    app.play(start_screening("P-4"));
    app.play(answer_all());
    app.play(vec![ch('r'), ch('3'), enter()]);
    let screen = app.screen();
    assert!(screen.contains("det blir ingen henvisning"), "{screen}");
    assert!(screen.contains("+47 22 33 11 60"), "{screen}");
    let Screen::Referral(sc, _) = &app.state.screen else {
        panic!("referral screen");
    };
    let stored = app.store.load_screening(&sc.id).expect("stored");
    assert!(stored.ended_at.is_some());
    assert_eq!(stored.consent.map(|c| c.as_str()), Some("none"));
    assert!(
        app.store
            .referrals(&Default::default())
            .expect("list")
            .is_empty()
    );
}

#[test]
fn declined_talk_ends_early_and_offers_no_referral() {
    let mut app = App::new("en");
    app.play(start_screening("P-5"));
    let mut keys = text("50");
    keys.extend([enter(), enter(), ch('2'), enter()]); // agrees: no -> end
    app.play(keys);
    let screen = app.screen();
    assert!(screen.contains("No conversation"), "{screen}");
    app.play(vec![ch('r')]);
    assert!(
        app.screen().contains("does not lead to a referral"),
        "{}",
        app.screen()
    );
}

#[test]
fn notes_and_special_answers_are_stored() {
    let mut app = App::new("en");
    app.play(start_screening("P-6"));
    let mut keys = vec![ctrl('n')];
    keys.extend(text("Looked tired"));
    keys.push(enter()); // note saved as a draft
    keys.push(ctrl('d')); // age: don't know
    app.play(keys);
    let Screen::Interview(sc, _) = &app.state.screen else {
        panic!("interviewing");
    };
    let stored = app.store.load_screening(&sc.id).expect("stored");
    assert_eq!(stored.answers[0].answer, Some(Answer::DontKnow));
    assert_eq!(stored.answers[0].note.as_deref(), Some("Looked tired"));
}

#[test]
fn the_review_queue_is_handed_over() {
    let mut app = App::new("en");
    assert_eq!(app.play(vec![ch('r')]), Exit::OpenReview);
}

/// Issue 14 item 9: what the answers fill is carried into the referral form and not asked
/// again. The release date is typed the Norwegian way in the interview and the expulsion
/// case is pending; the form shows both with the question they came from, starts on the
/// contact, and the stored referral holds them.
#[test]
fn the_referral_form_carries_over_what_the_answers_filled() {
    let store = rosa_screen::store::Store::in_memory().expect("store");
    let mut app = App::with_questionnaire(forms_fills(), "en", 80, 24, store);
    app.play(start_screening("B-2026-118"));
    let mut keys = vec![ch('1'), enter()]; // passport: yes
    keys.extend(text("18.12.2026"));
    keys.push(enter()); // release: typed the Norwegian way, stored as 2026-12-18
    keys.extend([ch('3'), enter()]); // expulsion: the case is pending
    keys.extend([ch('r'), ch('1'), enter()]); // refer, consent with identity
    app.play(keys);
    let screen = app.screen();
    assert!(
        screen.contains("Release or transfer date    2026-12-18"),
        "{screen}"
    );
    assert!(
        screen.contains("Expulsion decision          decision pending"),
        "{screen}"
    );
    assert!(
        screen.contains("from the answer to “Is there an expulsion decision?”"),
        "{screen}"
    );
    assert!(
        screen.contains("> Your contact (name, phone)"),
        "the focus skips the carried rows: {screen}"
    );
    // Enter on the contact, Enter on the button: nothing else is asked.
    app.play(vec![enter(), enter()]);
    let screen = app.screen();
    assert!(screen.contains("The referral is recorded"), "{screen}");
    assert!(
        screen.contains("Release or transfer date: 2026-12-18"),
        "{screen}"
    );
    assert!(
        screen.contains("Expulsion decision: decision pending"),
        "{screen}"
    );
    let referrals = app.store.referrals(&Default::default()).expect("referrals");
    assert_eq!(referrals.len(), 1);
    assert_eq!(referrals[0].release_date.as_deref(), Some("2026-12-18"));
    assert_eq!(
        referrals[0].expulsion,
        Some(rosa_screen::store::Expulsion::Pending)
    );
}
