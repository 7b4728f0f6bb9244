//! Fuzzing the file readers on stable Rust: proptest drives the YAML loader (questionnaires),
//! the answers reader (answers files and scenario cases: YAML to answers, positions, the walk)
//! and, through the conditions of generated questionnaires, the expression parser, checker,
//! linter and evaluation. `tests/expr_props.rs` fuzzes the expression parser on its own.
//!
//! Inputs are real files (tests/fuzz_corpus/ and the lint fixtures) mutated at random: lines
//! dropped, repeated, swapped, re-indented or cut, and YAML or expression tokens inserted;
//! plus plain random text. Near misses of valid files reach far deeper than random bytes.
//!
//! Properties: nothing panics or overflows the stack; every finding names the file, a line
//! inside it and a span on character boundaries; a questionnaire that loads can be linted,
//! opened and walked to its end.
//!
//! A short run is part of `cargo test` (CI). A longer run, as reported in the closing notes:
//! `PROPTEST_CASES=20000 cargo test --release --test fuzz_readers`. A failure is saved by
//! proptest under proptest-regressions/ and replayed first on every later run; an input worth
//! keeping for good goes into tests/fuzz_corpus/ (every file there is also replayed as is).

// Test helpers panic on failure by design: a failed property is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mutate.rs"]
mod mutate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use mutate::{apply, mutation};
use proptest::prelude::*;
use rosa_screen::questionnaire::scenario::{AnswerInput, ScenarioFile};
use rosa_screen::questionnaire::{Finding, Kind, Questionnaire, lint, load, open};
use rosa_screen::screening::scenario::walk_answers_at;
use rosa_screen::screening::{Answer, Session};
use serde::Deserialize;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn yaml_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().and_then(|e| e.to_str()) == Some("yaml"));
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// Seeds for questionnaires: the corpus, every lint fixture, the example.
fn questionnaire_seeds() -> Vec<String> {
    let mut v = yaml_files(&root().join("tests/fuzz_corpus/questionnaires"));
    v.extend(yaml_files(&root().join("tests/fixtures/lint")));
    v.extend(yaml_files(&root().join("tests/fixtures/examples")));
    assert!(v.len() > 10, "the seeds are missing");
    v
}

/// Seeds for answers: the corpus, the answers fixtures, the example scenario.
fn answers_seeds() -> Vec<String> {
    let mut v = yaml_files(&root().join("tests/fuzz_corpus/answers"));
    v.extend(yaml_files(&root().join("tests/fixtures/answers")));
    v.extend(yaml_files(&root().join("tests/fixtures/examples")));
    assert!(v.len() > 3, "the seeds are missing");
    v
}

/// Tokens inserted by mutations: YAML syntax, words of the format, expression pieces, and
/// characters that have broken parsers before (BOM, tabs, CR, NUL, right-to-left marks).
const TOKENS: &[&str] = &[
    ":",
    ": ",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "<<: *a",
    "!!str ",
    "!!int ",
    "'",
    "\"",
    "#",
    "\n",
    "\n  ",
    "  ",
    "\t",
    "\r",
    "\r\n",
    "\u{feff}",
    "\u{0}",
    "\u{202e}",
    "é",
    "---\n",
    "...\n",
    "|\n",
    ">-\n",
    "? ",
    "~",
    "null",
    "yes",
    "no",
    "true",
    "1e999",
    "-1",
    "0x1F",
    ".nan",
    "id: x",
    "kind: single",
    "kind: info",
    "choices: []",
    "raises: [x]",
    "when: ",
    "show_if: ",
    "goto:\n  - to: end",
    "required: false",
    "\"a == 'b'\"",
    " or ",
    " and ",
    "not ",
    "+1",
    "(",
    ")",
    "positive(",
    "has(",
    "count() ",
    ">= 2",
    "== 'yes'",
    "dont_know",
];

fn mutated(seeds: Vec<String>) -> impl Strategy<Value = String> {
    (
        prop::sample::select(seeds),
        prop::collection::vec(mutation(TOKENS), 1..6),
    )
        .prop_map(|(seed, ms)| ms.iter().fold(seed, |t, m| apply(&t, m)))
}

/// Every finding names the file, a line inside it and a span on character boundaries.
fn check_findings(text: &str, findings: &[Finding]) {
    let lines = text.lines().count() + 1;
    for f in findings {
        assert_eq!(f.file, "fuzz.yaml");
        assert!(
            f.line >= 1 && f.line <= lines,
            "line {} of {lines}: {f:?}",
            f.line
        );
        assert!(!f.message.is_empty());
        if let Some((offset, len)) = f.span {
            assert!(offset + len <= text.len(), "span past the end: {f:?}");
            assert!(text.is_char_boundary(offset), "span start: {f:?}");
            assert!(text.is_char_boundary(offset + len), "span end: {f:?}");
        }
    }
}

/// Walks a questionnaire to its end answering the first choice (or a plain value), so the
/// conditions of a loaded file are evaluated too.
fn walk_to_the_end(q: Questionnaire) {
    let mut s = Session::new(Arc::new(q));
    for _ in 0..=s.questionnaire().question_count() {
        let Some(question) = s.current() else { break };
        let answer = match question.kind {
            Kind::YesNo | Kind::Single => question
                .choices
                .first()
                .map(|c| Answer::Choice(c.id.name.clone())),
            Kind::Multi => question
                .choices
                .first()
                .map(|c| Answer::Choices(vec![c.id.name.clone()])),
            Kind::Number => Some(Answer::Number(question.min.unwrap_or(1.0))),
            Kind::Text => Some(Answer::Text("x".into())),
            Kind::Date => Some(Answer::Date("2026-01-15".into())),
            Kind::Info => None,
        };
        let moved = match answer {
            Some(a) => s.answer(a).or_else(|_| s.skip()),
            None => s.skip(),
        };
        if moved.is_err() {
            break;
        }
    }
    let _ = s.result();
}

fn questionnaire_property(text: &str) {
    match load::load_str(text, "fuzz.yaml") {
        Err(findings) => {
            assert!(!findings.is_empty());
            check_findings(text, &findings);
        }
        Ok(q) => {
            check_findings(text, &lint::lint(&q));
            if let Ok(q) = open(text, "fuzz.yaml") {
                walk_to_the_end(q);
            }
        }
    }
}

/// The answers part of an answers file or scenario case, read as `interview --answers` and
/// `questionnaire test` read it.
#[derive(Debug, Deserialize)]
struct AnswersOnly {
    #[serde(default)]
    answers: BTreeMap<String, AnswerInput>,
}

fn example() -> Arc<Questionnaire> {
    let text = std::fs::read_to_string(root().join("tests/fixtures/examples/small-screening.yaml"))
        .unwrap();
    Arc::new(open(&text, "small-screening.yaml").unwrap())
}

fn answers_property(q: &Arc<Questionnaire>, text: &str) {
    let positions = load::Positions::of(text, "fuzz.yaml");
    let lines = text.lines().count() + 1;
    // Whatever path is asked for, the message names the file and a line inside it.
    for path in [
        &["answers"][..],
        &["answers", "agrees"],
        &["cases", "0", "answers"],
    ] {
        let m = positions.message(path, false, "m");
        assert!(m.starts_with("fuzz.yaml"), "{m}");
        if let Some(line) = m.split(':').nth(1).and_then(|l| l.parse::<usize>().ok()) {
            assert!(line >= 1 && line <= lines, "{m}");
        }
    }
    match load::from_yaml::<AnswersOnly>(text, "fuzz.yaml") {
        Err(f) => check_findings(text, &[f]),
        Ok(a) => {
            let _ = walk_answers_at(q, &a.answers);
        }
    }
    if let Ok(s) = load::from_yaml::<ScenarioFile>(text, "fuzz.yaml") {
        for case in &s.cases {
            let _ = walk_answers_at(q, &case.answers);
        }
    }
}

proptest! {
    // The default (256 cases, or PROPTEST_CASES) keeps the run in CI short.
    #![proptest_config(ProptestConfig { max_shrink_iters: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn the_loader_survives_mutated_questionnaires(text in mutated(questionnaire_seeds())) {
        questionnaire_property(&text);
    }

    #[test]
    fn the_loader_survives_any_text(text in any::<String>()) {
        questionnaire_property(&text);
    }

    #[test]
    fn the_answers_reader_survives_mutated_answers(text in mutated(answers_seeds())) {
        answers_property(&example(), &text);
    }

    #[test]
    fn the_answers_reader_survives_any_text(text in any::<String>()) {
        answers_property(&example(), &text);
    }
}

/// Every corpus file is replayed as it is, on every run.
#[test]
fn the_corpus_replays_clean() {
    for text in yaml_files(&root().join("tests/fuzz_corpus/questionnaires")) {
        questionnaire_property(&text);
    }
    let q = example();
    for text in yaml_files(&root().join("tests/fuzz_corpus/answers")) {
        answers_property(&q, &text);
    }
}
