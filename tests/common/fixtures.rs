//! Test fixtures shared by the library's unit tests and the integration tests: one file,
//! compiled into the library under `cfg(test)` as `crate::fixtures` (see `src/lib.rs`) and into
//! each integration test as `common::fixtures`. It uses only the library's public API, through
//! the name `rosa_screen`, so that both can compile it.
//!
//! What is here: the example questionnaire (`tests/fixtures/examples/small-screening.yaml`) as
//! text, path and loaded; a screening's details; the answers of its strong case and the
//! indicators they raise; a whole finished screening with its referral; and a ratatui buffer
//! as text. Hand-built questionnaires for the unit tests live in `questionnaire::fixture`; the
//! real binary in a terminal in `tests/common/pty.rs`.
#![allow(dead_code)] // each test uses a different part
#![allow(clippy::expect_used)] // a failed set-up is a failed test

use std::sync::Arc;

use ratatui::buffer::Buffer;
use rosa_screen::questionnaire::{self, Questionnaire, Source};
use rosa_screen::screening::Answer;
use rosa_screen::store::{
    Consent, Expulsion, Finish, Gender, Interpreter, NewReferral, NewScreening, Raised, Store,
};

/// The example questionnaire's text: every part of format 1, small enough to read.
pub const SMALL_YAML: &str = include_str!("../fixtures/examples/small-screening.yaml");

/// The example questionnaire's file, for the command line.
pub const SMALL_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/examples/small-screening.yaml"
);

/// An `interview --answers` file for the built-in questionnaire's strong case (a referral).
pub const BUILTIN_STRONG_ANSWERS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/answers/builtin-strong.yaml"
);

/// The example questionnaire, loaded (it loads clean).
pub fn small() -> Arc<Questionnaire> {
    Arc::new(questionnaire::open(SMALL_YAML, "small-screening.yaml").expect("example loads clean"))
}

/// A questionnaire with nothing but `id`, version `1` and a two-line source (`X.yaml`), for
/// store tests that record screenings without asking anything.
pub fn bare(id: &str) -> Questionnaire {
    let mut q = Questionnaire::default();
    q.id = id.into();
    q.version = "1".into();
    q.source = Source {
        name: format!("{id}.yaml"),
        text: format!("format: 1\nid: {id}\n"),
        ..Source::default()
    };
    q
}

/// The details of a new screening of `person` at `unit`, as an officer fills them in: a woman
/// from Nigeria, interviewed in English with an interpreter in the room who speaks Yoruba.
/// Change a field with `NewScreening { birth_year: Some(1999), ..details(unit, person) }`.
pub fn details(unit: &str, person: &str) -> NewScreening {
    NewScreening {
        unit: unit.into(),
        officer: "Duty officer B, 555 01 234".into(),
        person: person.into(),
        gender: Gender::Female,
        birth_year: None,
        nationality: "NG".into(),
        language: "en".into(),
        interpreter: Some(Interpreter::InPerson),
        person_language: Some("yo".into()),
    }
}

/// The answers of the example's strong case, in the order asked (the `explain` info item and
/// the optional `notes` are left out): a job that was not as promised, long days, unpaid and
/// watched, passport taken, told to offend.
pub fn strong_answers() -> Vec<(&'static str, Answer)> {
    vec![
        ("age_estimate", Answer::Number(24.0)),
        ("agrees", Answer::Choice("yes".into())),
        ("came_for_job", Answer::Choice("yes".into())),
        ("job_matched", Answer::Choice("no".into())),
        ("who_arranged", Answer::Choice("others".into())),
        ("hours", Answer::Number(14.0)),
        (
            "conditions",
            Answer::Choices(vec!["unpaid".into(), "watched".into()]),
        ),
        ("passport", Answer::Choice("them".into())),
        ("told_to_offend", Answer::Choice("yes".into())),
        ("wants_help", Answer::Choice("yes".into())),
    ]
}

/// An indicator or flag raised by the answers to `because`.
pub fn raised(id: &str, because: &[&str]) -> Raised {
    Raised {
        id: id.into(),
        because: because.iter().map(|b| (*b).to_owned()).collect(),
    }
}

/// A finished screening of the example's strong case with a named referral, recorded through
/// the store as the interview would (answers in order, then the result, then the referral),
/// raising `flags` and due for release on `release` (`YYYY-MM-DD`). Returns the referral id.
pub fn referral(
    store: &mut Store,
    unit: &str,
    person: &str,
    flags: &[&str],
    release: Option<&str>,
) -> String {
    let s = store
        .create_screening(
            &small(),
            &NewScreening {
                birth_year: Some(1999),
                ..details(unit, person)
            },
        )
        .expect("screening created");
    store
        .record_answer(&s, "age_estimate", Some(&Answer::Number(24.0)), None)
        .expect("answer saved");
    store
        .record_answer(&s, "explain", None, None)
        .expect("info item saved");
    for (q, a) in strong_answers().iter().skip(1) {
        let note = (*q == "job_matched").then_some("Promised work in a restaurant");
        store
            .record_answer(&s, q, Some(a), note)
            .expect("answer saved");
    }
    store
        .finish_screening(
            &s,
            &Finish {
                outcome: "strong_indication".into(),
                indicators: vec![
                    raised("job_deception", &["job_matched"]),
                    raised("long_days", &[]),
                    raised("papers_taken", &["passport"]),
                ],
                flags: flags
                    .iter()
                    .map(|f| raised(f, &["told_to_offend"]))
                    .collect(),
                positive: vec!["recruitment".into()],
            },
        )
        .expect("screening finished");
    store
        .create_referral(
            &s,
            &NewReferral {
                consent: Consent::Named,
                release_date: release.map(|d| d.parse().expect("a YYYY-MM-DD date")),
                expulsion: Some(Expulsion::No),
                contact: "Duty officer B, 555 01 234".into(),
            },
        )
        .expect("referral made")
}

/// A ratatui buffer as text: one line per row, trailing spaces dropped.
pub fn screen_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
