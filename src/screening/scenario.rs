//! The scenario runner behind `questionnaire test`: each case walks the questionnaire exactly
//! as an interview would, through the same [`Session`], and its result is compared with what
//! the case expects. Reading the files and printing the results is the command's work
//! (`commands::scenario`); this part is pure.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::Arc;

use super::{Answer, ScreeningResult, Session};
use crate::questionnaire::scenario::{AnswerInput, Case, Expect, ScenarioFile};
use crate::questionnaire::suggest::suggest;
use crate::questionnaire::{Kind, Questionnaire};

/// How one case went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseReport {
    /// The case's name.
    pub name: String,
    /// `None` when it passed, else the first difference in one sentence.
    pub failure: Option<String>,
    /// Which part of the case's `answers:` the failure is about, when it is about one (so the
    /// reader of the file can name its line); `None` for a difference in the result.
    pub at: Option<AnswerAt>,
}

/// The part of a case's (or an answers file's) `answers:` a problem is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerAt {
    /// The `answers:` block as a whole (a required question has no answer in it).
    Block,
    /// The answer to this question: its value (a wrong choice or type) ...
    Value(String),
    /// ... or its key (a question that does not exist or is never asked).
    Key(String),
}

/// Why a walk over written answers stopped: one sentence, and where it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkFailure {
    /// One sentence.
    pub message: String,
    /// The answer at fault.
    pub at: AnswerAt,
}

impl CaseReport {
    /// The line `questionnaire test` prints: `pass: <name>` or `FAIL: <name>: <why>`.
    #[must_use]
    pub fn line(&self) -> String {
        match &self.failure {
            None => format!("pass: {}", self.name),
            Some(why) => format!("FAIL: {}: {why}", self.name),
        }
    }
}

/// Runs every case of a scenario over an already loaded, lint-clean questionnaire.
#[must_use]
pub fn run_scenario(q: &Arc<Questionnaire>, scenario: &ScenarioFile) -> Vec<CaseReport> {
    scenario
        .cases
        .iter()
        .map(|case| {
            let (failure, at) = match walk_answers_at(q, &case.answers) {
                Err(f) => (Some(f.message), Some(f.at)),
                Ok(session) => (
                    compare(&session.result(), &session, &case.expect).err(),
                    None,
                ),
            };
            CaseReport {
                name: case.name.clone(),
                failure,
                at,
            }
        })
        .collect()
}

/// Walks one case and compares the result.
///
/// # Errors
/// The first difference, as one sentence.
pub fn run_case(q: &Arc<Questionnaire>, case: &Case) -> Result<(), String> {
    let session = walk_case(q, case)?;
    compare(&session.result(), &session, &case.expect)
}

fn walk_case(q: &Arc<Questionnaire>, case: &Case) -> Result<Session, String> {
    walk_answers(q, &case.answers)
}

/// Walks the questionnaire with answers written as in a scenario case (or an
/// `interview --answers` file), as an officer would: `info` items are continued, optional
/// questions without an answer are left empty. Returns the finished session.
///
/// # Errors
/// One sentence for the first problem: a required question without an answer (``asked `x`
/// but the case gives no answer``), an answer the question cannot take, or an answer for a
/// question that was never asked or does not exist.
pub fn walk_answers(
    q: &Arc<Questionnaire>,
    answers: &BTreeMap<String, AnswerInput>,
) -> Result<Session, String> {
    walk_answers_at(q, answers).map_err(|f| f.message)
}

/// [`walk_answers`], saying which answer a failure is about, with "did you mean" for a near
/// miss of a choice or question id.
///
/// # Errors
/// As [`walk_answers`].
pub fn walk_answers_at(
    q: &Arc<Questionnaire>,
    answers: &BTreeMap<String, AnswerInput>,
) -> Result<Session, WalkFailure> {
    let fail = |message: String, at: AnswerAt| WalkFailure { message, at };
    let mut s = Session::new(Arc::clone(q));
    let mut used = BTreeSet::new();
    // Every step moves the walk forward by at least one item, so this bound is never reached
    // by a correct session; it only keeps a bug from hanging the command.
    for _ in 0..=q.question_count() {
        let Some(question) = s.current() else { break };
        let id = question.id.name.clone();
        let step = match answers.get(&id) {
            Some(input) => {
                used.insert(id.clone());
                let answer = Answer::from_input(question, input)
                    .map_err(|e| fail(e.explain(question), AnswerAt::Value(id.clone())))?;
                s.answer(answer)
            }
            None if question.kind == Kind::Info || !question.required => s.skip(),
            None => {
                return Err(fail(
                    format!("asked `{id}` but the case gives no answer"),
                    AnswerAt::Block,
                ));
            }
        };
        step.map_err(|e| fail(e.to_string(), AnswerAt::Value(id.clone())))?;
    }
    if !s.is_finished() {
        return Err(fail(
            "the interview did not come to an end".to_string(),
            AnswerAt::Block,
        ));
    }
    for id in answers.keys() {
        if used.contains(id) {
            continue;
        }
        let message = if q.question(id).is_some() {
            format!("the case answers `{id}`, which was never asked")
        } else {
            let hint = suggest(id, q.questions().map(|x| x.id.as_str()))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            format!("the case answers `{id}`, but the questionnaire has no question `{id}`{hint}")
        };
        return Err(fail(message, AnswerAt::Key(id.clone())));
    }
    Ok(s)
}

fn compare(r: &ScreeningResult, s: &Session, expect: &Expect) -> Result<(), String> {
    if let Some(want) = &expect.outcome
        && *want != r.outcome
    {
        return Err(format!("expected outcome `{want}`, got `{}`", r.outcome));
    }
    let ids = |items: &[super::RaisedItem]| -> Vec<String> {
        items.iter().map(|i| i.id.clone()).collect()
    };
    compare_set("raised", expect.raised.as_deref(), &ids(&r.indicators))?;
    compare_set("flags", expect.flags.as_deref(), &ids(&r.flags))?;
    compare_set("positive", expect.positive.as_deref(), &r.positive)?;
    if let Some(want) = &expect.asked {
        let got = s.asked();
        if *want != got {
            let mut msg = format!("expected asked {}, got {}", list(want), list(&got));
            let i = want
                .iter()
                .zip(&got)
                .position(|(a, b)| a != b)
                .unwrap_or(want.len().min(got.len()));
            let _ = match (want.get(i), got.get(i)) {
                (Some(w), Some(g)) => write!(
                    msg,
                    " (first difference at position {}: expected `{w}`, got `{g}`)",
                    i + 1
                ),
                (Some(w), None) => write!(msg, " (`{w}` was not asked)"),
                (None, Some(g)) => write!(msg, " (`{g}` was asked as well)"),
                (None, None) => Ok(()),
            };
            return Err(msg);
        }
    }
    Ok(())
}

/// Compares an expected set of ids with what was found; order and repeats do not matter.
fn compare_set(what: &str, want: Option<&[String]>, got: &[String]) -> Result<(), String> {
    let Some(want) = want else { return Ok(()) };
    let w: BTreeSet<&str> = want.iter().map(String::as_str).collect();
    let g: BTreeSet<&str> = got.iter().map(String::as_str).collect();
    if w == g {
        return Ok(());
    }
    let missing: Vec<&str> = w.difference(&g).copied().collect();
    let unexpected: Vec<&str> = g.difference(&w).copied().collect();
    let mut detail = Vec::new();
    if !missing.is_empty() {
        detail.push(format!("missing {}", ticks(&missing)));
    }
    if !unexpected.is_empty() {
        detail.push(format!("unexpected {}", ticks(&unexpected)));
    }
    Err(format!(
        "expected {what} {}, got {} ({})",
        list(want),
        list(got),
        detail.join("; ")
    ))
}

fn list<S: AsRef<str>>(items: &[S]) -> String {
    let inner: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    format!("[{}]", inner.join(", "))
}

fn ticks(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::questionnaire::fixture::sample;
    use crate::questionnaire::scenario::AnswerInput;

    fn t(s: &str) -> AnswerInput {
        AnswerInput::Text(s.into())
    }

    fn case(answers: &[(&str, AnswerInput)], expect: Expect) -> Case {
        Case {
            name: "c".into(),
            answers: answers
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
            expect,
        }
    }

    fn strings(v: &[&str]) -> Option<Vec<String>> {
        Some(v.iter().map(|s| (*s).to_string()).collect())
    }

    fn full() -> Vec<(&'static str, AnswerInput)> {
        vec![
            ("agrees", t("yes")),
            ("age", AnswerInput::Number(30.0)),
            ("job", t("yes")),
            ("matched", t("no")),
            ("who", t("others")),
            ("hours", AnswerInput::Number(14.0)),
            (
                "conds",
                AnswerInput::List(vec!["unpaid".into(), "watched".into()]),
            ),
            ("help", t("dont_know")),
        ]
    }

    #[test]
    fn a_passing_case() {
        let expect = Expect {
            outcome: Some("refer".into()),
            raised: strings(&[
                "combined",
                "watched",
                "little_pay",
                "long_days",
                "arranged",
                "deceived",
            ]),
            flags: strings(&["controlled"]),
            positive: strings(&["control", "recruitment", "exploitation"]),
            asked: strings(&[
                "agrees", "age", "job", "matched", "who", "hours", "conds", "arrived", "help",
                "notes",
            ]),
        };
        assert_eq!(run_case(&sample(), &case(&full(), expect)), Ok(()));
    }

    #[test]
    fn the_first_difference_is_reported() {
        let q = sample();
        let run = |expect: Expect| run_case(&q, &case(&full(), expect));
        assert_eq!(
            run(Expect {
                outcome: Some("some".into()),
                raised: strings(&[]),
                ..Expect::default()
            }),
            Err("expected outcome `some`, got `refer`".into())
        );
        assert_eq!(
            run(Expect {
                raised: strings(&["deceived", "arranged", "long_days", "little_pay", "debt"]),
                ..Expect::default()
            }),
            Err("expected raised [deceived, arranged, long_days, little_pay, debt], got [deceived, arranged, long_days, little_pay, watched, combined] (missing `debt`; unexpected `combined`, `watched`)".into())
        );
        assert_eq!(
            run(Expect {
                flags: strings(&[]),
                ..Expect::default()
            }),
            Err("expected flags [], got [controlled] (unexpected `controlled`)".into())
        );
        assert_eq!(
            run(Expect {
                asked: strings(&["agrees", "age", "job", "who"]),
                ..Expect::default()
            }),
            Err("expected asked [agrees, age, job, who], got [agrees, age, job, matched, who, hours, conds, arrived, help, notes] (first difference at position 4: expected `who`, got `matched`)".into())
        );
    }

    #[test]
    fn walk_failures() {
        let q = sample();
        let mut answers = full();
        answers.retain(|(k, _)| *k != "hours");
        assert_eq!(
            run_case(&q, &case(&answers, Expect::default())),
            Err("asked `hours` but the case gives no answer".into())
        );
        let mut answers = full();
        answers.push(("nonsense", t("yes")));
        assert_eq!(
            run_case(&q, &case(&answers, Expect::default())),
            Err(
                "the case answers `nonsense`, but the questionnaire has no question `nonsense`"
                    .into()
            )
        );
        let answers = vec![("agrees", t("no")), ("age", AnswerInput::Number(30.0))];
        assert_eq!(
            run_case(&q, &case(&answers, Expect::default())),
            Err("the case answers `age`, which was never asked".into())
        );
        let mut answers = full();
        answers.retain(|(k, _)| *k != "hours");
        answers.push(("hours", AnswerInput::Number(30.0)));
        assert_eq!(
            run_case(&q, &case(&answers, Expect::default())),
            Err(
                "30 is outside the range of question `hours`, which takes numbers from 0 to 24"
                    .into()
            )
        );
        let answers = vec![("agrees", t("declined"))];
        assert_eq!(
            run_case(&q, &case(&answers, Expect::default())),
            Err("question `agrees` does not take the answer `declined`; it takes only `yes` or `no`".into())
        );
        let answers = vec![("intro", t("yes"))];
        assert_eq!(
            run_case(&q, &case(&answers, Expect::default())),
            Err("`intro` only shows information and takes no answer".into())
        );
    }

    #[test]
    fn report_lines() {
        let pass = CaseReport {
            name: "all fine".into(),
            failure: None,
            at: None,
        };
        assert_eq!(pass.line(), "pass: all fine");
        let fail = CaseReport {
            name: "minor".into(),
            failure: Some("expected outcome `refer`, got `consult`".into()),
            at: None,
        };
        assert_eq!(
            fail.line(),
            "FAIL: minor: expected outcome `refer`, got `consult`"
        );
    }
}
