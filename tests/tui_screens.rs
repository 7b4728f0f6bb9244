//! Every screen at 80x24 in Norwegian and English, as text snapshots (TestBackend + insta).
//! Ids and times are replaced by placeholders so the snapshots stay stable.

// Test helpers may panic: a failed set-up is a failed test.
#![allow(clippy::expect_used)]

mod common;

use common::*;
use ratatui::crossterm::event::{Event, KeyCode};

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "[id]",
    );
    s.add_filter(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "[time]");
    s
}

/// Plays `events` on a fresh app in each language and snapshots the last frame as
/// `<name>_<lang>`.
fn shots(name: &str, events: &[Event]) {
    for lang in ["nb", "en"] {
        let mut app = App::new(lang);
        app.play(events.to_vec());
        settings().bind(|| insta::assert_snapshot!(format!("{name}_{lang}"), app.screen()));
    }
}

fn to_question(n: usize) -> Vec<Event> {
    // Keys that answer the first n questions of the example (as in answer_all).
    let mut e = start_screening("B-2026-117");
    let all = answer_all();
    let mut answered = 0;
    for ev in all {
        if answered == n {
            break;
        }
        if ev == enter() {
            answered += 1;
        }
        e.push(ev);
    }
    e
}

#[test]
fn home_empty() {
    shots("home", &[]);
}

#[test]
fn home_with_an_unfinished_screening() {
    let mut e = to_question(3);
    e.push(key(KeyCode::Esc));
    shots("home_unfinished", &e);
}

#[test]
fn details_form() {
    shots("details", &[ch('n')]);
}

#[test]
fn details_form_with_an_error() {
    let mut e = vec![ch('n')];
    for _ in 0..9 {
        e.push(tab());
    }
    e.push(enter());
    shots("details_error", &e);
}

#[test]
fn observation_question_with_guidance() {
    let mut e = to_question(0);
    e.push(ctrl('g'));
    shots("interview_observation", &e);
}

#[test]
fn info_item() {
    shots("interview_info", &to_question(1));
}

#[test]
fn yes_no_question() {
    shots("interview_yes_no", &to_question(2));
}

#[test]
fn single_question_with_a_choice_focused() {
    let mut e = to_question(5);
    e.push(key(KeyCode::Down));
    shots("interview_single", &e);
}

#[test]
fn number_question_with_an_error() {
    let mut e = to_question(6);
    e.extend(text("30"));
    e.push(enter());
    shots("interview_number_error", &e);
}

#[test]
fn multi_question_with_ticks() {
    let mut e = to_question(7);
    e.extend([ch('1'), ch('3')]);
    shots("interview_multi", &e);
}

#[test]
fn text_question_being_typed() {
    let mut e = to_question(11);
    e.extend(text("Worried"));
    shots("interview_text", &e);
}

#[test]
fn note_editor() {
    let mut e = to_question(3);
    e.push(ch('n'));
    e.extend(text("Spoke quietly"));
    shots("interview_note", &e);
}

#[test]
fn overview() {
    let mut e = to_question(6);
    e.push(ctrl('o'));
    e.push(key(KeyCode::Up));
    shots("interview_overview", &e);
}

#[test]
fn help_overlay() {
    let mut e = to_question(2);
    e.push(ch('?'));
    shots("interview_help", &e);
}

#[test]
fn person_language_shown_for_the_interpreter() {
    // English officer, Norwegian person: both texts on screen.
    let mut app = App::new("en");
    let mut e = vec![ch('n')];
    e.extend(text("Bredtveit"));
    e.push(tab());
    e.extend(text("Officer B"));
    e.push(tab());
    e.extend(text("B-1"));
    for _ in 0..6 {
        e.push(tab());
    }
    e.extend(text("nb"));
    e.push(tab());
    e.push(enter());
    e.extend(text("30"));
    e.extend([enter(), enter()]);
    app.play(e);
    settings().bind(|| insta::assert_snapshot!("interview_two_languages", app.screen()));
}

#[test]
fn summary() {
    shots("summary", &to_question(12));
    let mut e = to_question(12);
    // More presses than rows: scrolling stops with the last row on screen.
    for _ in 0..40 {
        e.push(key(KeyCode::Down));
    }
    shots("summary_scrolled", &e);
}

#[test]
fn referral_consent() {
    let mut e = to_question(12);
    e.extend([ch('r'), key(KeyCode::Down)]);
    shots("referral_consent", &e);
}

#[test]
fn referral_form() {
    let mut e = to_question(12);
    e.extend([ch('r'), ch('1'), enter()]);
    e.extend(text("2027-01-1"));
    shots("referral_form", &e);
}

#[test]
fn referral_no_consent() {
    let mut e = to_question(12);
    e.extend([ch('r'), ch('3'), enter()]);
    shots("referral_no_consent", &e);
}

#[test]
fn referral_made() {
    let mut e = to_question(12);
    e.extend([
        ch('r'),
        ch('2'),
        enter(),
        enter(),
        enter(),
        enter(),
        enter(),
    ]);
    shots("referral_done", &e);
}

#[test]
fn too_small() {
    for lang in ["nb", "en"] {
        let mut app = App::sized(lang, 60, 20);
        app.play(vec![]);
        settings().bind(|| insta::assert_snapshot!(format!("too_small_{lang}"), app.screen()));
    }
}

#[test]
fn the_cursor_sits_on_the_focused_item() {
    let mut app = App::new("en");
    app.play(vec![]);
    // Home: the first row is focused.
    let home = app.cursor();
    app.play(vec![key(KeyCode::Down)]);
    let (x, y) = app.cursor();
    assert_eq!(x, home.0);
    assert!(y > home.1, "moved down: {home:?} -> {:?}", (x, y));
    // In a typed answer the cursor follows the text.
    app.play(vec![key(KeyCode::Up)]);
    let mut e = start_screening("C-1");
    e.extend(text("12"));
    app.play(e);
    let screen = app.screen();
    let (x, y) = app.cursor();
    let row: Vec<&str> = screen.lines().collect();
    let line = row[usize::from(y)];
    assert!(line.contains("12"), "cursor row {y}: {line}");
    assert_eq!(usize::from(x), line.find("12").unwrap() + 2);
}

/// The example with its consent question made long, as real questions are: long choice labels
/// and guidance, in two languages.
fn long_choices() -> std::sync::Arc<rosa_screen::questionnaire::Questionnaire> {
    let text = include_str!("fixtures/examples/small-screening.yaml").replace(
        r#"        kind: yes_no
        allow: []
        text: {nb: "Vil du snakke med meg nå?", en: "Are you willing to talk with me now?"}"#,
        r#"        kind: single
        allow: []
        text: {nb: "Vil du snakke med meg nå, om arbeidet og om det som skjedde før du ble pågrepet?", en: "Are you willing to talk with me now, about the work and about what happened before the arrest?"}
        guidance: {nb: "Si at samtalen er frivillig, og at personen kan stoppe når som helst uten at det får følger for soningen.", en: "Say that the talk is voluntary and that the person can stop at any time without it affecting the sentence."}
        choices:
          - {id: "yes", label: {nb: "Ja, personen vil snakke nå, også om arbeid som dyrking av cannabis eller tyveri", en: "Yes, the person wants to talk now, also about work such as growing cannabis or theft"}}
          - {id: "no", label: {nb: "Nei, personen vil ikke snakke nå (gi kortet med hjelpetelefonen)", en: "No, the person does not want to talk now (hand over the card with the helpline)"}}"#,
    );
    std::sync::Arc::new(
        rosa_screen::questionnaire::open(&text, "long.yaml").expect("the long example loads"),
    )
}

/// Officer in `lang`, the person speaking the other language through an interpreter, on the
/// long question, with its guidance open.
fn long_question(lang: &str, w: u16, h: u16) -> App {
    let mut app = App::sized(lang, w, h);
    app.state = rosa_screen::tui::app::State::new(
        long_choices(),
        Some(lang),
        rosa_screen::tui::theme::Theme::new(false),
    );
    let other = if lang == "nb" { "en" } else { "nb" };
    let mut e = vec![ch('n')];
    e.extend(text("Bredtveit"));
    e.push(tab());
    e.extend(text("Officer B"));
    e.push(tab());
    e.extend(text("B-1"));
    for _ in 0..6 {
        e.push(tab());
    }
    e.extend(text(other));
    e.push(tab());
    e.push(enter());
    e.extend(text("30"));
    e.extend([enter(), enter(), ch('g')]);
    app.play(e);
    app
}

#[test]
fn long_choices_wrap_whole_in_both_languages_with_an_interpreter() {
    for lang in ["nb", "en"] {
        for (w, h) in [(80, 24), (120, 40)] {
            let app = long_question(lang, w, h);
            let screen = app.screen();
            if let Ok(dir) = std::env::var("CAPTURE_DIR") {
                std::fs::write(format!("{dir}/interview_long_{lang}_{w}x{h}.txt"), &screen)
                    .expect("capture");
            }
            // Every word of both choices, in both languages, and of the question's second
            // language is on screen.
            let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
            for must in [
                "growing cannabis or theft",
                "dyrking av cannabis eller tyveri",
                "hand over the card with the helpline)",
                "gi kortet med hjelpetelefonen)",
                "about what happened before the arrest?",
                "før du ble pågrepet?",
            ] {
                assert!(
                    flat.contains(must),
                    "{lang} {w}x{h}: {must:?} missing:\n{screen}"
                );
            }
            settings().bind(|| {
                insta::assert_snapshot!(format!("interview_long_choices_{lang}_{w}x{h}"), screen);
            });
        }
    }
}

/// On the built-in questionnaire in `lang` at `w`x`h`, the first question answered "Yes, or
/// possibly" (under 18): the immediate flag `possible_minor` interrupts.
fn immediate_flag(lang: &str, w: u16, h: u16) -> App {
    let mut app = App::sized(lang, w, h);
    app.state = rosa_screen::tui::app::State::new(
        std::sync::Arc::new(
            rosa_screen::questionnaire::builtin().expect("the built-in questionnaire loads"),
        ),
        Some(lang),
        rosa_screen::tui::theme::Theme::new(false),
    );
    let mut e = start_screening("B-2026-117");
    e.extend([ch('2'), enter()]);
    app.play(e);
    app
}

#[test]
fn an_immediate_flag_interrupts_then_stays_listed_at_the_top() {
    for lang in ["nb", "en"] {
        for (w, h) in [(80, 24), (120, 40)] {
            let mut app = immediate_flag(lang, w, h);
            let panel = app.screen();
            settings().bind(|| {
                insta::assert_snapshot!(format!("interview_flag_panel_{lang}_{w}x{h}"), panel);
            });
            // Read: the next question, with the flag listed above it.
            app.play(vec![enter()]);
            let next = app.screen();
            settings().bind(|| {
                insta::assert_snapshot!(format!("interview_flag_line_{lang}_{w}x{h}"), next);
            });
        }
    }
}

// ---- The details and referral forms (issue 14 items 5 and 9) ------------------------------

/// Plays `events` on a fresh app over questionnaire `q` at `w`x`h` in each language and
/// snapshots the last frame as `<name>_<w>x<h>_<lang>`.
fn shots_at(
    name: &str,
    q: &std::sync::Arc<rosa_screen::questionnaire::Questionnaire>,
    events: &[Event],
    (w, h): (u16, u16),
) {
    for lang in ["nb", "en"] {
        let store = rosa_screen::store::Store::in_memory().expect("store");
        let mut app = App::with_questionnaire(std::sync::Arc::clone(q), lang, w, h, store);
        app.play(events.to_vec());
        settings().bind(|| {
            insta::assert_snapshot!(format!("{name}_{w}x{h}_{lang}"), app.screen());
        });
    }
}

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

#[test]
fn details_form_at_both_sizes() {
    let mut e = vec![ch('n')];
    for _ in 0..9 {
        e.push(tab());
    }
    e.push(enter());
    for size in SIZES {
        shots_at("form_details_error", &example(), &e, size);
    }
}

/// The built-in questionnaire asks about the interpreter (`fills: details.interpreter`), so
/// the form does not: its row says the interview asks it, and Tab from the interview language
/// goes past it to the person's language.
#[test]
fn details_form_when_the_interview_asks_the_interpreter() {
    let q = std::sync::Arc::new(rosa_screen::questionnaire::builtin().expect("built-in"));
    let mut e = vec![ch('n')];
    for _ in 0..7 {
        e.push(tab());
    }
    for size in SIZES {
        shots_at("form_details_interpreter_asked", &q, &e, size);
    }
}

/// Through the screens: the form starts the screening without the interpreter (its row is
/// skipped), and the interview's answer records it the moment it is saved (`Store::record`).
#[test]
fn the_interviews_answer_records_the_interpreter() {
    let q = std::sync::Arc::new(
        rosa_screen::questionnaire::open(
            &std::fs::read_to_string("tests/fixtures/examples/interpreter-fills.yaml")
                .expect("fixture"),
            "interpreter-fills.yaml",
        )
        .expect("loads clean"),
    );
    let store = rosa_screen::store::Store::in_memory().expect("store");
    let mut app = App::with_questionnaire(q, "en", 80, 24, store);
    let mut e = vec![ch('n')];
    e.extend(text("Bredtveit"));
    e.push(tab());
    e.extend(text("Officer B, 555 01 234"));
    e.push(tab());
    e.extend(text("PL-1"));
    // Gender, year of birth, nationality, language; then past the interpreter to the
    // person's language, and on to Start.
    for _ in 0..6 {
        e.push(tab());
    }
    e.push(enter());
    app.play(e);
    let s = app
        .store
        .latest_screening()
        .expect("read")
        .expect("started");
    assert_eq!(s.interpreter, None, "{}", app.screen());
    app.play(vec![ch('3'), enter()]); // by telephone
    let s = app.store.load_screening(&s.id).expect("read");
    assert_eq!(
        s.interpreter,
        Some(rosa_screen::store::Interpreter::Phone),
        "{}",
        app.screen()
    );
    assert!(app.screen().contains("custody status"), "{}", app.screen());
}

/// A Norwegian date typed in the referral form is read at once, and the form says how.
#[test]
fn referral_form_reads_a_norwegian_date_as_it_is_typed() {
    let mut e = to_question(12);
    e.extend([ch('r'), ch('1'), enter()]);
    e.extend(text("18.12.2026"));
    for size in SIZES {
        shots_at("form_referral_date", &example(), &e, size);
    }
}

/// The keys that answer forms-fills: passport yes, release 18.12.2026 (typed the Norwegian
/// way), expulsion pending; then the summary's `r` and consent 1.
fn to_carried_form() -> Vec<Event> {
    let mut e = start_screening("B-2026-117");
    e.extend([ch('1'), enter()]);
    e.extend(text("18.12.2026"));
    e.push(enter());
    e.extend([ch('3'), enter()]);
    e.extend([ch('r'), ch('1'), enter()]);
    e
}

/// What the answers filled (release date, expulsion "pending") is shown with the question it
/// came from and not asked again: the focus starts on the contact.
#[test]
fn referral_form_shows_what_the_answers_filled() {
    for size in SIZES {
        shots_at(
            "form_referral_carried",
            &forms_fills(),
            &to_carried_form(),
            size,
        );
    }
}

// ---- The summary: pages, its end, and the question before finishing (issue 14 item 10) ---

/// The summary's scroll position.
fn summary_scroll(app: &App) -> u16 {
    match &app.state.screen {
        rosa_screen::tui::app::Screen::Summary(_, su) => su.scroll,
        _ => panic!("not the summary"),
    }
}

#[test]
fn summary_pages_to_its_end_and_asks_before_finishing() {
    for lang in ["nb", "en"] {
        for (w, h) in SIZES {
            let mut app = App::sized(lang, w, h);
            app.play(to_question(12));
            let top = app.screen();
            settings().bind(|| insta::assert_snapshot!(format!("summary_{w}x{h}_{lang}"), top));
            app.play(vec![key(KeyCode::End)]);
            let end = summary_scroll(&app);
            let last = app.screen();
            settings().bind(|| {
                insta::assert_snapshot!(format!("summary_end_{w}x{h}_{lang}"), last);
            });
            // The end shows the last row (the helpline); Down goes no further.
            assert!(last.contains("+47 22 33 11 60\n\n"), "{last}");
            app.play(vec![key(KeyCode::Down)]);
            assert_eq!(summary_scroll(&app), end);
            app.play(vec![key(KeyCode::Home)]);
            assert_eq!(summary_scroll(&app), 0);
            if end > 0 {
                // A page moves by the body's height less one row, never past the end.
                app.play(vec![key(KeyCode::PageDown)]);
                assert_eq!(summary_scroll(&app), (h - 5).min(end));
                app.play(vec![key(KeyCode::PageUp)]);
                assert_eq!(summary_scroll(&app), 0);
            }
            app.play(vec![ch('f')]);
            let ask = app.screen();
            settings().bind(|| {
                insta::assert_snapshot!(format!("summary_confirm_finish_{w}x{h}_{lang}"), ask);
            });
        }
    }
}

/// The built-in questionnaire's under-18 route to its summary, where `r` is refused: the
/// sentence wraps above the summary instead of being cut, and phone numbers stay whole.
#[test]
fn a_refusal_on_the_summary_wraps_above_it() {
    for lang in ["nb", "en"] {
        for (w, h) in SIZES {
            let mut app = immediate_flag(lang, w, h);
            let mut e = vec![enter(), ch('2'), enter()];
            for _ in 0..6 {
                e.extend([ch('1'), enter()]);
            }
            e.push(ch('r'));
            app.play(e);
            let screen = app.screen();
            assert!(screen.contains("+47 22 33 11 60"), "{screen}");
            settings().bind(|| {
                insta::assert_snapshot!(format!("summary_refused_{w}x{h}_{lang}"), screen);
            });
        }
    }
}

// ---- Nothing clipped in the interview (issue 14 item 5) ------------------------------------

/// On the built-in questionnaire, a long person reference and three answers, then the
/// overview: the reference wraps under the progress, the overview shows every question whole.
#[test]
fn a_long_reference_and_the_overview_wrap_instead_of_being_cut() {
    let person = "PERS-2026-000123-OSLO-FENGSEL-AVD-B-CELLE-14-REF-9";
    for lang in ["nb", "en"] {
        for (w, h) in SIZES {
            let mut app = App::sized(lang, w, h);
            app.state = rosa_screen::tui::app::State::new(
                std::sync::Arc::new(
                    rosa_screen::questionnaire::builtin().expect("the built-in questionnaire"),
                ),
                Some(lang),
                rosa_screen::tui::theme::Theme::new(false),
            );
            let mut e = start_screening(person);
            e.extend([ch('1'), enter(), ch('2'), enter(), ch('1'), enter()]);
            app.play(e);
            let question = app.screen();
            assert!(question.contains(person), "{question}");
            settings().bind(|| {
                insta::assert_snapshot!(
                    format!("interview_long_reference_{lang}_{w}x{h}"),
                    question
                );
            });
            app.play(vec![ch('o')]);
            let overview = app.screen();
            let flat = overview
                .replace('│', " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            for whole in [
                "Is the person in acute crisis now, physically or mentally, or having thoughts of suicide?",
                "Er personen i akutt krise nå, fysisk eller psykisk, eller har personen selvmordstanker?",
            ] {
                let other_lang = (lang == "en") != whole.starts_with("Is");
                assert!(other_lang || flat.contains(whole), "{overview}");
            }
            settings().bind(|| {
                insta::assert_snapshot!(
                    format!("interview_overview_whole_{lang}_{w}x{h}"),
                    overview
                );
            });
        }
    }
}

/// A reference too long for the title bar wraps there instead of being cut, and the summary
/// still scrolls to its very last row under the taller bar.
#[test]
fn a_long_reference_wraps_in_the_title_and_the_summary_still_reaches_its_end() {
    let person = "PERS-2026-000123-OSLO-FENGSEL-AVD-B-CELLE-14-REF-9";
    for lang in ["nb", "en"] {
        let mut app = App::new(lang);
        let mut e = start_screening(person);
        e.extend(answer_all());
        e.push(key(KeyCode::End));
        app.play(e);
        let screen = app.screen();
        let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(person), "{screen}");
        assert!(
            screen.contains("+47 22 33 11 60\n\n"),
            "the last row: {screen}"
        );
        settings().bind(|| {
            insta::assert_snapshot!(format!("summary_long_reference_end_{lang}"), screen);
        });
    }
}
