//! The result of a screening: raised indicators and flags (with the questions that raised
//! them), positive dimensions and the outcome.

use serde::Serialize;

use super::env::{Ctx, Given, compute_raised, cond_holds};
use crate::questionnaire::{Questionnaire, ReferralAdvice};

/// What a screening found, computed from the answers of the questions that were asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScreeningResult {
    /// The id of the first outcome whose `when` holds (else the last outcome).
    pub outcome: String,
    /// Raised indicators, in file order.
    pub indicators: Vec<RaisedItem>,
    /// Raised flags, in file order.
    pub flags: Vec<RaisedItem>,
    /// Ids of the dimensions whose `positive_when` holds, in file order.
    pub positive: Vec<String>,
    /// Whether the outcome recommends, offers or does not lead to a referral: the one answer
    /// every front end asks ("may a referral be made?"). An outcome the questionnaire does not
    /// name (a questionnaire without outcomes) offers one: the person's consent still decides,
    /// and a possible victim is never turned away by a gap in the file.
    #[serde(skip)]
    pub referral: ReferralAdvice,
}

/// One raised indicator or flag, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RaisedItem {
    /// The indicator or flag id.
    pub id: String,
    /// Ids of the questions whose answers raised it, in the order they were asked: the
    /// questions of the chosen answers (`raises`), or those its `when` condition read (with
    /// the evidence of what it read through `raised()`); empty only when a `when` read no
    /// answer (counts or dimensions alone).
    pub because: Vec<String>,
}

impl ScreeningResult {
    /// True when the outcome allows a referral (recommended or offered).
    #[must_use]
    pub fn allows_referral(&self) -> bool {
        self.referral != ReferralAdvice::None
    }

    /// The ids of the questions whose answers raised the indicator or flag `id` (see
    /// [`RaisedItem::because`]); `None` when it was not raised.
    #[must_use]
    pub fn because(&self, id: &str) -> Option<&[String]> {
        self.indicators
            .iter()
            .chain(&self.flags)
            .find(|r| r.id == id)
            .map(|r| r.because.as_slice())
    }

    /// True when the indicator or flag `id` was raised.
    #[must_use]
    pub fn is_raised(&self, id: &str) -> bool {
        self.indicators
            .iter()
            .chain(&self.flags)
            .any(|r| r.id == id)
    }
}

/// Computes the result over `given` (the answers of the asked questions, by file index).
pub(crate) fn compute(q: &Questionnaire, given: &Given<'_>) -> ScreeningResult {
    let raised = compute_raised(q, given);
    let ctx = Ctx {
        q,
        given,
        raised: &raised,
        visiting: &[],
    };
    // `compute_raised` lists the questions in file order, which is the order they were asked
    // in: the walk only ever moves forward.
    let because = |qs: &Vec<usize>| -> Vec<String> {
        qs.iter()
            .filter_map(|&qi| q.question_at(qi).map(|question| question.id.name.clone()))
            .collect()
    };
    let indicators = q
        .indicators
        .iter()
        .zip(&raised.indicators)
        .filter_map(|(ind, r)| {
            r.as_ref().map(|qs| RaisedItem {
                id: ind.id.name.clone(),
                because: because(qs),
            })
        })
        .collect();
    let flags = q
        .flags
        .iter()
        .zip(&raised.flags)
        .filter_map(|(flag, r)| {
            r.as_ref().map(|qs| RaisedItem {
                id: flag.id.name.clone(),
                because: because(qs),
            })
        })
        .collect();
    let positive = q
        .dimensions
        .iter()
        .filter(|d| {
            use crate::questionnaire::expr::Env;
            ctx.positive(d.id.as_str())
        })
        .map(|d| d.id.name.clone())
        .collect();
    // The first outcome whose `when` holds; one without `when` (the default) always does.
    let chosen = q
        .outcomes
        .iter()
        .find(|o| o.when.is_none() || cond_holds(o.when.as_ref(), &ctx, None))
        .or_else(|| q.outcomes.last());
    ScreeningResult {
        outcome: chosen.map(|o| o.id.name.clone()).unwrap_or_default(),
        indicators,
        flags,
        positive,
        referral: chosen.map_or(ReferralAdvice::Offered, |o| o.referral),
    }
}
