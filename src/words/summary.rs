//! A finished (or paused) screening's summary as lines of words: flags first with their
//! advice, then the outcome and its advice, then the indicators grouped by dimension with their
//! strength and the answer that raised each, the positive dimensions, and the helpline. The
//! summary screen wraps and styles these lines; plain mode prints them.

use super::fmt;
use super::officer::Strings;
use crate::questionnaire::{Questionnaire, ReferralAdvice};
use crate::screening::{ScreeningResult, Session};

/// The summary as lines (also used by plain mode and the officers' guide).
#[must_use]
pub fn lines(
    q: &Questionnaire,
    session: &Session,
    r: &ScreeningResult,
    lang: &str,
    s: &Strings,
) -> Vec<(Kind, String)> {
    let mut out = Vec::new();
    if !r.flags.is_empty() {
        out.push((Kind::Heading, s.flags_heading.to_string()));
        for f in &r.flags {
            match q.flag(&f.id) {
                Some(flag) => {
                    out.push((Kind::Warn, format!("! {}", flag.label.show(lang))));
                    out.push((Kind::Plain, format!("  {}", flag.advice.show(lang))));
                }
                None => out.push((Kind::Warn, format!("! {}", f.id))),
            }
            for b in because(q, session, &f.because, lang, s) {
                out.push((Kind::Dim, format!("  {b}")));
            }
        }
        out.push((Kind::Plain, String::new()));
    }
    out.push((Kind::Heading, s.outcome_heading.to_string()));
    match q.outcome(&r.outcome) {
        Some(o) => {
            out.push((Kind::Bold, o.label.show(lang).to_string()));
            out.push((Kind::Plain, o.advice.show(lang).to_string()));
            let advice = match r.referral {
                ReferralAdvice::Recommended => s.referral_recommended,
                ReferralAdvice::Offered => s.referral_offered,
                ReferralAdvice::None => s.referral_none,
            };
            out.push((Kind::Plain, advice.to_string()));
        }
        None => out.push((Kind::Bold, r.outcome.clone())),
    }
    out.push((Kind::Plain, String::new()));
    out.push((Kind::Heading, s.indicators_heading.to_string()));
    if r.indicators.is_empty() {
        out.push((Kind::Dim, s.no_indicators.to_string()));
    }
    for d in &q.dimensions {
        let raised: Vec<_> = r
            .indicators
            .iter()
            .filter_map(|x| q.indicator(&x.id).map(|i| (x, i)))
            .filter(|(_, i)| i.dimension.name == d.id.name)
            .collect();
        if raised.is_empty() {
            continue;
        }
        let positive = r.positive.contains(&d.id.name);
        out.push((
            Kind::Bold,
            format!(
                "{}{}",
                d.label.show(lang),
                if positive { s.positive_suffix } else { "" }
            ),
        ));
        for (x, i) in raised {
            let strength = match i.strength {
                crate::questionnaire::Strength::Strong => s.strong,
                crate::questionnaire::Strength::Medium => s.medium,
                crate::questionnaire::Strength::Weak => s.weak,
            };
            out.push((
                Kind::Plain,
                format!("  - [{strength}] {}", i.label.show(lang)),
            ));
            for b in because(q, session, &x.because, lang, s) {
                out.push((Kind::Dim, format!("      {b}")));
            }
        }
    }
    out.push((Kind::Plain, String::new()));
    let positive: Vec<String> = r
        .positive
        .iter()
        .map(|p| {
            q.dimension(p)
                .map_or_else(|| p.clone(), |d| d.label.show(lang).to_string())
        })
        .collect();
    out.push((
        Kind::Bold,
        format!(
            "{}: {}",
            s.positive_heading,
            if positive.is_empty() {
                s.none_word.to_string()
            } else {
                positive.join(", ")
            }
        ),
    ));
    out.push((
        Kind::Plain,
        format!("{} {}", s.helpline_line, super::HELPLINE),
    ));
    out
}

fn because(
    q: &Questionnaire,
    session: &Session,
    ids: &[String],
    lang: &str,
    s: &Strings,
) -> Vec<String> {
    ids.iter()
        .filter_map(|id| {
            let question = q.question(id)?;
            let answer = session
                .entry(id)
                .and_then(|e| e.answer.as_ref())
                .map(|a| fmt::answer(question, a, lang, s))?;
            Some(format!(
                "{} \"{}\": {answer}",
                s.because_word,
                question.text.show(lang)
            ))
        })
        .collect()
}

/// How a summary line is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A heading.
    Heading,
    /// Needs attention.
    Warn,
    /// Bold.
    Bold,
    /// Secondary.
    Dim,
    /// Plain.
    Plain,
}
