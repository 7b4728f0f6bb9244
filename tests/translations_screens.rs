//! The person's second language on the officer's screens and in plain mode, with the
//! pseudo-language (accented, about 40% longer): at 80x24 every text wraps and nothing is cut.

// Test helpers may panic: a failed set-up is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use assert_cmd::cargo::cargo_bin_cmd;
use common::*;
use ratatui::crossterm::event::{Event, KeyCode};
use rosa_screen::questionnaire::load::{PoFiles, load_with};
use rosa_screen::questionnaire::translation::{self, PSEUDO_LANG};
use rosa_screen::questionnaire::{self, Questionnaire, TranslationSource};
use rosa_screen::tui::app::State;
use rosa_screen::tui::theme::Theme;

const EXAMPLE: &str = include_str!("fixtures/examples/small-screening.yaml");

/// The example with a translation into the pseudo-language, as files (YAML and PO).
fn pseudo_files() -> (String, String) {
    let q = questionnaire::open(EXAMPLE, "small-screening.yaml").unwrap();
    let (po, _) = translation::update(&q, PSEUDO_LANG, None, "2026-01-01 00:00+0000");
    let yaml = EXAMPLE.replace(
        "languages: [nb, en]\n",
        &format!(
            "languages: [nb, en]\ntranslations:\n  - lang: {PSEUDO_LANG}\n    file: small-screening.{PSEUDO_LANG}.po\n"
        ),
    );
    (yaml, po)
}

fn pseudo_questionnaire() -> Arc<Questionnaire> {
    let (yaml, po) = pseudo_files();
    let stored = [TranslationSource {
        lang: PSEUDO_LANG.into(),
        file: format!("small-screening.{PSEUDO_LANG}.po"),
        text: po,
    }];
    let q = load_with(&yaml, "small-screening.yaml", PoFiles::Stored(&stored)).unwrap();
    assert!(questionnaire::lint::lint(&q).is_empty(), "fully translated");
    Arc::new(q)
}

/// Details for a screening whose person reads the pseudo-language.
fn start(lang_tabs: usize) -> Vec<Event> {
    let mut e = vec![ch('n')];
    e.extend(text("Bredtveit"));
    e.push(tab());
    e.extend(text("Officer B"));
    e.push(tab());
    e.extend(text("B-1"));
    for _ in 0..lang_tabs {
        e.push(tab());
    }
    e.extend(text(PSEUDO_LANG));
    e.push(tab());
    e.push(enter());
    e
}

fn app() -> App {
    let mut app = App::new("en");
    app.state = State::new(pseudo_questionnaire(), Some("en"), Theme::new(false));
    app
}

/// Every bracket the pseudo-language opens is closed on screen: a cut text loses its `]`.
fn nothing_cut(screen: &str) {
    assert_eq!(
        screen.matches('[').count(),
        screen.matches(']').count(),
        "a text is cut:\n{screen}"
    );
    assert!(screen.contains("[qps-ploc]"), "{screen}");
}

fn shot(name: &str, events: Vec<Event>) -> String {
    let mut app = app();
    app.play(events);
    let screen = app.screen();
    nothing_cut(&screen);
    insta::assert_snapshot!(name, screen);
    screen
}

#[test]
fn a_read_out_in_the_second_language() {
    let mut e = start(6);
    e.extend(text("30"));
    e.push(enter()); // age_estimate: an observation, never in the person's language
    shot("second_language_info_80x24", e);
}

#[test]
fn a_yes_no_question_in_the_second_language() {
    let mut e = start(6);
    e.extend(text("30"));
    e.extend([enter(), enter()]);
    let screen = shot("second_language_yes_no_80x24", e);
    assert!(screen.contains("Yes / [Jåå]"), "{screen}");
}

#[test]
fn a_multi_question_in_the_second_language() {
    let mut e = start(6);
    e.extend(text("30"));
    e.extend([enter(), enter()]);
    e.extend([ch('1'), enter()]); // agrees
    e.extend([ch('1'), enter()]); // came_for_job
    e.extend([ch('2'), enter()]); // job_matched
    e.extend([ch('2'), enter()]); // who_arranged
    e.extend(text("14"));
    e.push(enter()); // hours
    shot("second_language_multi_80x24", e);
}

#[test]
fn an_observation_is_never_shown_in_the_second_language() {
    let mut app = app();
    app.play(start(6));
    let screen = app.screen();
    assert!(!screen.contains("[qps-ploc]"), "{screen}");
}

#[test]
fn the_helpline_card_in_the_second_language_on_the_summary() {
    let mut e = start(6);
    e.extend(answer_all());
    for _ in 0..40 {
        e.push(key(KeyCode::Down));
    }
    let mut app = app();
    app.play(e);
    let screen = app.screen();
    assert!(
        screen.contains("[qps-ploc] [Đûû ķååñ ŕîîñĝéé ŔÖÖŠÅÅ"),
        "{screen}"
    );
    nothing_cut(&screen);
}

#[test]
fn plain_mode_shows_the_second_language() {
    let dir = tempfile::tempdir().unwrap();
    let (yaml, po) = pseudo_files();
    let file = dir.path().join("small-screening.yaml");
    std::fs::write(&file, yaml).unwrap();
    std::fs::write(
        dir.path().join(format!("small-screening.{PSEUDO_LANG}.po")),
        po,
    )
    .unwrap();
    let details =
        format!("Bredtveit\nOfficer B, 555 01 234\nPL-1\n1\n1990\nng\n2\n1\n{PSEUDO_LANG}\n");
    // Age (an observation), the read-out, then yes to `agrees`; the input ends there.
    let input = format!("{details}34\n\n1\n");
    let out = cargo_bin_cmd!("rosa-screen")
        .arg("--db")
        .arg(dir.path().join("s.db"))
        .args(["interview", "--plain", "--lang", "en", "--questionnaire"])
        .arg(&file)
        .write_stdin(input)
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    let from = out.find("Question 1").expect("the first question");
    // The fourth item is the third question (a read-out item is not numbered).
    let to = out.find("Question 3").map_or(out.len(), |i| i);
    let part = &out[from..to];
    insta::assert_snapshot!("second_language_plain", part);
    assert!(part.contains("[qps-ploc] ["), "{part}");
    assert!(part.contains("  1. Yes / [Jåå]"), "{part}");
}
