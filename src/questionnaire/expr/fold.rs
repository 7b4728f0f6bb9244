//! Constant folding: whether an expression holds whatever the answers (`Some(true)`), never
//! holds (`Some(false)`), or depends on them (`None`). One folder for the checker's
//! [`is_constant`] and the linter's reachability warnings, which add what they know of the
//! questionnaire (the most indicators a dimension can have raised, which dimensions can never be
//! positive) through [`Facts`].

use super::ast::{ArithOp, Call, CompareOp, Expr};

/// What is known without answers about the calls of an expression. The default knows
/// nothing, so only literals fold.
pub trait Facts {
    /// The truth of a call such as `positive(d)` or `raised(x)` when it cannot change with the
    /// answers; `depth` counts the hops through other expressions (for cycle bounds).
    fn call_truth(&self, _call: &Call, _dimension: Option<&str>, _depth: usize) -> Option<bool> {
        None
    }
    /// The least and greatest value a numeric call such as `count(d)` can take.
    fn call_range(&self, _call: &Call, _dimension: Option<&str>) -> Option<(f64, f64)> {
        None
    }
}

/// Literals only.
pub struct NoFacts;

impl Facts for NoFacts {}

/// The truth value of `e` when it does not depend on any answer (`false`, `1 > 2`,
/// `not true`, `x == 'a' and false`), for the unreachable-question warning; `None` when it
/// depends on answers or is ill-typed.
#[must_use]
pub fn is_constant(e: &Expr) -> Option<bool> {
    truth(e, &NoFacts, None, 0)
}

/// The truth of `e` when it cannot depend on the answers, given `facts`. `dimension` is the
/// dimension whose `positive_when` is folded (argument-less counts read it); `depth` is passed
/// to [`Facts::call_truth`].
#[must_use]
pub fn truth(e: &Expr, facts: &dyn Facts, dimension: Option<&str>, depth: usize) -> Option<bool> {
    match e {
        Expr::Bool(b) => Some(*b),
        Expr::Not(x) => truth(x, facts, dimension, depth).map(|b| !b),
        // One constant `false` decides an `and` whatever the other side is (and one `true`
        // an `or`), so these are decidable even when the other side reads answers.
        Expr::And(a, b) => match (
            truth(a, facts, dimension, depth),
            truth(b, facts, dimension, depth),
        ) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        },
        Expr::Or(a, b) => match (
            truth(a, facts, dimension, depth),
            truth(b, facts, dimension, depth),
        ) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        },
        Expr::Compare { op, lhs, rhs, .. } => {
            if let (Expr::Str(a), Expr::Str(b)) = (lhs.as_ref(), rhs.as_ref()) {
                return Some(compare_ord(*op, a.cmp(b)));
            }
            if let (Some(l), Some(r)) = (range(lhs, facts, dimension), range(rhs, facts, dimension))
            {
                return compare_ranges(*op, l, r);
            }
            // Truth values are only equal or not; ordering them means nothing.
            let l = truth(lhs, facts, dimension, depth)?;
            let r = truth(rhs, facts, dimension, depth)?;
            match op {
                CompareOp::Eq => Some(l == r),
                CompareOp::Ne => Some(l != r),
                _ => None,
            }
        }
        Expr::In { lhs, list, .. } => {
            let l = literal(lhs)?;
            let mut found = false;
            for x in list {
                found |= literal(x)? == l;
            }
            Some(found)
        }
        Expr::Call(c) => facts.call_truth(c, dimension, depth),
        Expr::Number(_) | Expr::Str(_) | Expr::Ident(_) | Expr::Arith { .. } => None,
    }
}

/// The least and greatest value a numeric expression can take when it does not depend on
/// answers (a literal is a single point).
#[must_use]
pub fn range(e: &Expr, facts: &dyn Facts, dimension: Option<&str>) -> Option<(f64, f64)> {
    match e {
        Expr::Number(n) => Some((*n, *n)),
        Expr::Arith { op, lhs, rhs, .. } => {
            let (a, b) = (range(lhs, facts, dimension)?, range(rhs, facts, dimension)?);
            Some(match op {
                ArithOp::Add => (a.0 + b.0, a.1 + b.1),
                ArithOp::Sub => (a.0 - b.1, a.1 - b.0),
            })
        }
        Expr::Call(c) => facts.call_range(c, dimension),
        _ => None,
    }
}

/// A literal value for `in` lists: a number (sums of numbers too) or a string.
#[derive(Debug, PartialEq)]
enum Literal<'e> {
    Number(f64),
    Str(&'e str),
}

fn literal(e: &Expr) -> Option<Literal<'_>> {
    match e {
        Expr::Str(s) => Some(Literal::Str(s)),
        _ => match range(e, &NoFacts, None)? {
            #[allow(clippy::float_cmp)] // exact: a literal sum is a single point
            (lo, hi) if lo == hi => Some(Literal::Number(lo)),
            _ => None,
        },
    }
}

fn compare_ord(op: CompareOp, ord: std::cmp::Ordering) -> bool {
    match op {
        CompareOp::Eq => ord.is_eq(),
        CompareOp::Ne => !ord.is_eq(),
        CompareOp::Lt => ord.is_lt(),
        CompareOp::Le => ord.is_le(),
        CompareOp::Gt => ord.is_gt(),
        CompareOp::Ge => ord.is_ge(),
    }
}

/// Decides a comparison between two ranges when every pair of values gives the same answer.
#[must_use]
pub fn compare_ranges(
    op: CompareOp,
    (a_lo, a_hi): (f64, f64),
    (b_lo, b_hi): (f64, f64),
) -> Option<bool> {
    let always_lt = a_hi < b_lo;
    let never_lt = a_lo >= b_hi;
    let always_le = a_hi <= b_lo;
    let never_le = a_lo > b_hi;
    #[allow(clippy::float_cmp)] // exact: both ranges are single literal points
    let always_eq = a_lo == a_hi && b_lo == b_hi && a_lo == b_lo;
    let never_eq = a_hi < b_lo || b_hi < a_lo;
    let decide = |always: bool, never: bool| {
        if always {
            Some(true)
        } else if never {
            Some(false)
        } else {
            None
        }
    };
    match op {
        CompareOp::Lt => decide(always_lt, never_lt),
        CompareOp::Le => decide(always_le, never_le),
        CompareOp::Gt => decide(b_hi < a_lo, b_lo >= a_hi),
        CompareOp::Ge => decide(b_hi <= a_lo, b_lo > a_hi),
        CompareOp::Eq => decide(always_eq, never_eq),
        CompareOp::Ne => decide(never_eq, always_eq),
    }
}
