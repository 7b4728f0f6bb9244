//! The expression environment of a screening: the answers of the questions on the path, and
//! the indicators and flags they raise.
//!
//! Answers are kept by file-order index (`None`: not on the path, or left unanswered), so
//! that a question that was not asked can never be read by a condition (the stale-answer rule).

use std::cell::OnceCell;

use super::Answer;
use crate::questionnaire::expr::{Env, Value, holds, questions_read, raised_read};
use crate::questionnaire::{Named, Questionnaire, Strength};

/// The answers that count, by file-order question index.
pub(crate) type Given<'a> = [Option<&'a Answer>];

/// What is raised: for each indicator and flag (by index), `None` when not raised, else the
/// file-order indices of the questions whose answers raised it: the questions of the chosen
/// answers (`raises`), or the answered questions its `when` read (directly, or through the
/// evidence of an indicator or flag it reads with `raised()`). Empty when a `when` read no
/// answer at all (only counts or dimensions, say).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Raised {
    pub(crate) indicators: Vec<Option<Vec<usize>>>,
    pub(crate) flags: Vec<Option<Vec<usize>>>,
}

impl Raised {
    fn is_raised(&self, q: &Questionnaire, id: &str) -> bool {
        match q.lookup(id) {
            Some(Named::Indicator(i)) => self.indicators.get(i).is_some_and(Option::is_some),
            Some(Named::Flag(i)) => self.flags.get(i).is_some_and(Option::is_some),
            _ => false,
        }
    }
}

/// Computes what `given` raises: first the `raises` of the chosen answers, then every `when`
/// again and again until nothing new is raised (nothing is ever un-raised).
pub(crate) fn compute_raised(q: &Questionnaire, given: &Given<'_>) -> Raised {
    let mut r = Raised {
        indicators: vec![None; q.indicators.len()],
        flags: vec![None; q.flags.len()],
    };
    for (qi, answer) in given.iter().enumerate() {
        let (Some(answer), Some(question)) = (answer, q.question_at(qi)) else {
            continue;
        };
        let chosen: Vec<&str> = match answer {
            Answer::Choice(c) => vec![c.as_str()],
            Answer::Choices(cs) => cs.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        };
        for c in chosen {
            let Some(choice) = question.choice(c) else {
                continue;
            };
            for id in &choice.raises {
                let slot = match q.lookup(id.as_str()) {
                    Some(Named::Indicator(i)) => r.indicators.get_mut(i),
                    Some(Named::Flag(i)) => r.flags.get_mut(i),
                    _ => None,
                };
                if let Some(slot) = slot {
                    let because = slot.get_or_insert_with(Vec::new);
                    if !because.contains(&qi) {
                        because.push(qi);
                    }
                }
            }
        }
    }
    // Rounds in which every `when` sees the same state, so that the result does not depend
    // on the order of the file. Each round raises at least one more item or ends the loop,
    // so there are at most as many rounds as indicators and flags.
    loop {
        let mut new_indicators = Vec::new();
        let mut new_flags = Vec::new();
        {
            let ctx = Ctx {
                q,
                given,
                raised: &r,
                visiting: &[],
            };
            for (i, ind) in q.indicators.iter().enumerate() {
                if r.indicators.get(i).is_some_and(Option::is_none)
                    && cond_holds(ind.when.as_ref(), &ctx, None)
                {
                    new_indicators.push((i, evidence(ind.when.as_ref(), &ctx)));
                }
            }
            for (i, flag) in q.flags.iter().enumerate() {
                if r.flags.get(i).is_some_and(Option::is_none)
                    && cond_holds(flag.when.as_ref(), &ctx, None)
                {
                    new_flags.push((i, evidence(flag.when.as_ref(), &ctx)));
                }
            }
        }
        if new_indicators.is_empty() && new_flags.is_empty() {
            return r;
        }
        for (i, because) in new_indicators {
            if let Some(slot) = r.indicators.get_mut(i) {
                *slot = Some(because);
            }
        }
        for (i, because) in new_flags {
            if let Some(slot) = r.flags.get_mut(i) {
                *slot = Some(because);
            }
        }
    }
}

/// The evidence for an item a `when` condition raised: the file-order indices of the questions
/// it reads that have an answer that counts (a special answer included: `dont_know(x)` reads
/// x), and the evidence of the indicators and flags it reads with `raised()`, in file order.
fn evidence(cond: Option<&crate::questionnaire::Cond>, ctx: &Ctx<'_>) -> Vec<usize> {
    let Some(Ok(e)) = cond.map(|c| c.parsed.as_ref()) else {
        return Vec::new();
    };
    let mut out: Vec<usize> = questions_read(e, ctx.q)
        .iter()
        .filter_map(|id| ctx.q.question_index(id))
        .filter(|&i| ctx.given.get(i).copied().flatten().is_some())
        .collect();
    for id in raised_read(e, ctx.q) {
        let because = match ctx.q.lookup(&id) {
            Some(Named::Indicator(i)) => ctx.raised.indicators.get(i),
            Some(Named::Flag(i)) => ctx.raised.flags.get(i),
            _ => None,
        };
        out.extend(because.into_iter().flatten().flatten().copied());
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// True when the condition is present, parses and holds. A condition that does not parse
/// never holds (lint reports it, and a file with lint errors is not run).
pub(crate) fn cond_holds(
    cond: Option<&crate::questionnaire::Cond>,
    env: &dyn Env,
    dimension: Option<&str>,
) -> bool {
    match cond.map(|c| c.parsed.as_ref()) {
        Some(Ok(e)) => holds(e, env, dimension),
        _ => false,
    }
}

fn given_answer<'a>(q: &Questionnaire, given: &Given<'a>, id: &str) -> Option<&'a Answer> {
    let i = q.question_index(id)?;
    given.get(i).copied().flatten()
}

fn answer_value(q: &Questionnaire, given: &Given<'_>, id: &str) -> Value {
    match given_answer(q, given, id) {
        Some(Answer::Choice(c) | Answer::Text(c) | Answer::Date(c)) => Value::Str(c.clone()),
        Some(Answer::Number(n)) => Value::Number(*n),
        // A bare multi question has no single value (lint rejects it in comparisons);
        // special answers have none by definition.
        Some(Answer::Choices(_) | Answer::DontKnow | Answer::Declined) | None => Value::Missing,
    }
}

fn has_choice(q: &Questionnaire, given: &Given<'_>, id: &str, choice: &str) -> bool {
    match given_answer(q, given, id) {
        Some(Answer::Choice(c)) => c == choice,
        Some(Answer::Choices(cs)) => cs.iter().any(|c| c == choice),
        _ => false,
    }
}

/// The environment once `raised` is known: used for the result and inside the fixpoint.
pub(crate) struct Ctx<'a> {
    pub(crate) q: &'a Questionnaire,
    pub(crate) given: &'a Given<'a>,
    pub(crate) raised: &'a Raised,
    /// Dimensions whose `positive_when` is being evaluated, so that a cycle of `positive()`
    /// calls (which lint does not forbid) ends as "not positive" instead of overflowing.
    pub(crate) visiting: &'a [usize],
}

impl Ctx<'_> {
    fn indicators_of<'s>(
        &'s self,
        dimension: &'s str,
    ) -> impl Iterator<Item = &'s crate::questionnaire::Indicator> + 's {
        self.q
            .indicators
            .iter()
            .zip(&self.raised.indicators)
            .filter(move |(ind, r)| r.is_some() && ind.dimension.name == dimension)
            .map(|(ind, _)| ind)
    }
}

impl Env for Ctx<'_> {
    fn answer(&self, question: &str) -> Value {
        answer_value(self.q, self.given, question)
    }
    fn answered(&self, question: &str) -> bool {
        given_answer(self.q, self.given, question).is_some()
    }
    fn dont_know(&self, question: &str) -> bool {
        matches!(
            given_answer(self.q, self.given, question),
            Some(Answer::DontKnow)
        )
    }
    fn declined(&self, question: &str) -> bool {
        matches!(
            given_answer(self.q, self.given, question),
            Some(Answer::Declined)
        )
    }
    fn has(&self, question: &str, choice: &str) -> bool {
        has_choice(self.q, self.given, question, choice)
    }
    fn raised(&self, id: &str) -> bool {
        self.raised.is_raised(self.q, id)
    }
    fn count(&self, dimension: &str, strength: Option<Strength>) -> usize {
        self.indicators_of(dimension)
            .filter(|ind| strength.is_none_or(|s| ind.strength == s))
            .count()
    }
    fn score(&self, dimension: &str) -> f64 {
        self.indicators_of(dimension).map(|ind| ind.weight).sum()
    }
    fn positive(&self, dimension: &str) -> bool {
        let Some(Named::Dimension(i)) = self.q.lookup(dimension) else {
            return false;
        };
        if self.visiting.contains(&i) {
            return false;
        }
        let Some(d) = self.q.dimensions.get(i) else {
            return false;
        };
        let mut visiting = self.visiting.to_vec();
        visiting.push(i);
        let inner = Ctx {
            q: self.q,
            given: self.given,
            raised: self.raised,
            visiting: &visiting,
        };
        cond_holds(Some(&d.positive_when), &inner, Some(dimension))
    }
}

/// The environment of the walk: answers given so far, and what they raise computed only
/// when a condition asks (most `show_if`s never do) and then kept until the next answer.
pub(crate) struct WalkEnv<'a> {
    pub(crate) q: &'a Questionnaire,
    pub(crate) given: &'a Given<'a>,
    pub(crate) cache: &'a OnceCell<Raised>,
}

impl WalkEnv<'_> {
    fn with_raised<T>(&self, f: impl FnOnce(&Ctx<'_>) -> T) -> T {
        let raised = self
            .cache
            .get_or_init(|| compute_raised(self.q, self.given));
        f(&Ctx {
            q: self.q,
            given: self.given,
            raised,
            visiting: &[],
        })
    }
}

impl Env for WalkEnv<'_> {
    fn answer(&self, question: &str) -> Value {
        answer_value(self.q, self.given, question)
    }
    fn answered(&self, question: &str) -> bool {
        given_answer(self.q, self.given, question).is_some()
    }
    fn dont_know(&self, question: &str) -> bool {
        matches!(
            given_answer(self.q, self.given, question),
            Some(Answer::DontKnow)
        )
    }
    fn declined(&self, question: &str) -> bool {
        matches!(
            given_answer(self.q, self.given, question),
            Some(Answer::Declined)
        )
    }
    fn has(&self, question: &str, choice: &str) -> bool {
        has_choice(self.q, self.given, question, choice)
    }
    fn raised(&self, id: &str) -> bool {
        self.with_raised(|c| c.raised(id))
    }
    fn count(&self, dimension: &str, strength: Option<Strength>) -> usize {
        self.with_raised(|c| c.count(dimension, strength))
    }
    fn score(&self, dimension: &str) -> f64 {
        self.with_raised(|c| c.score(dimension))
    }
    fn positive(&self, dimension: &str) -> bool {
        self.with_raised(|c| c.positive(dimension))
    }
}
