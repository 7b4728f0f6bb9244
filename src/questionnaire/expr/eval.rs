//! Evaluation of expressions over an [`Env`].
//!
//! The rules are those of the format reference ("Expressions" and "Semantics in detail"):
//! a question without a value ([`Value::Missing`]) compares false with everything, except that
//! `!=` is `not ==` and so is true; `in` with a missing value is false; `+` and `-` with a
//! missing operand give no value. Anything that makes no sense at run time (a type error that
//! slipped past lint, a call with the wrong arguments) is [`Value::Missing`], which never
//! holds: evaluation never panics, whatever the tree.

use super::Env;
use super::ast::{ArithOp, Call, CompareOp, Expr, Value};
use crate::questionnaire::model::Strength;

/// Evaluates `e` over `env`. `dimension` is the context of argument-less `strong()`,
/// `medium()`, `weak()`, `count()` and `score()` inside a dimension's `positive_when`.
#[must_use]
pub fn eval(e: &Expr, env: &dyn Env, dimension: Option<&str>) -> Value {
    match e {
        Expr::Number(n) => Value::Number(*n),
        Expr::Str(s) => Value::Str(s.clone()),
        Expr::Bool(b) => Value::Bool(*b),
        Expr::Ident(id) => env.answer(&id.name),
        Expr::Call(call) => eval_call(call, env, dimension),
        Expr::Not(inner) => match eval(inner, env, dimension) {
            Value::Bool(b) => Value::Bool(!b),
            // `not` of something that is not a truth value is a type error: no value.
            _ => Value::Missing,
        },
        // Short-circuit, and anything that is not `true` counts as false, so that a missing
        // value on one side of `or` cannot hide a true other side.
        Expr::And(a, b) => Value::Bool(holds(a, env, dimension) && holds(b, env, dimension)),
        Expr::Or(a, b) => Value::Bool(holds(a, env, dimension) || holds(b, env, dimension)),
        Expr::Compare { op, lhs, rhs, .. } => {
            let l = eval(lhs, env, dimension);
            let r = eval(rhs, env, dimension);
            Value::Bool(compare(*op, &l, &r))
        }
        Expr::In { lhs, list, .. } => {
            let l = eval(lhs, env, dimension);
            if l == Value::Missing {
                return Value::Bool(false);
            }
            let found = list
                .iter()
                .any(|item| equal(&l, &eval(item, env, dimension)));
            Value::Bool(found)
        }
        Expr::Arith { op, lhs, rhs, .. } => {
            match (eval(lhs, env, dimension), eval(rhs, env, dimension)) {
                (Value::Number(a), Value::Number(b)) => Value::Number(match op {
                    ArithOp::Add => a + b,
                    ArithOp::Sub => a - b,
                }),
                // Missing in, missing out; a string or truth value here is a type error.
                _ => Value::Missing,
            }
        }
    }
}

/// True only when `e` evaluates to `true`; a missing value or a type error does not hold.
#[must_use]
pub fn holds(e: &Expr, env: &dyn Env, dimension: Option<&str>) -> bool {
    eval(e, env, dimension) == Value::Bool(true)
}

/// Equality of two present values of the same type. Missing values and values of different
/// types are never equal.
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        _ => false,
    }
}

fn compare(op: CompareOp, l: &Value, r: &Value) -> bool {
    match op {
        CompareOp::Eq => equal(l, r),
        // The format defines `a != b` as `not (a == b)`, missing values included.
        CompareOp::Ne => !equal(l, r),
        CompareOp::Lt | CompareOp::Le | CompareOp::Gt | CompareOp::Ge => {
            let ord = match (l, r) {
                (Value::Number(x), Value::Number(y)) => x.partial_cmp(y),
                // ISO dates compare as strings, which orders them in time.
                (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
                _ => None,
            };
            let Some(ord) = ord else { return false };
            match op {
                CompareOp::Lt => ord.is_lt(),
                CompareOp::Le => ord.is_le(),
                CompareOp::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            }
        }
    }
}

/// The id named by an argument, when the argument is a bare id.
fn ident_arg(args: &[Expr], i: usize) -> Option<&str> {
    match args.get(i) {
        Some(Expr::Ident(id)) => Some(id.name.as_str()),
        _ => None,
    }
}

/// The dimension of `strong(d)` and friends: the argument, or the context when there is none.
fn dimension_arg<'a>(args: &'a [Expr], dimension: Option<&'a str>) -> Option<&'a str> {
    match args.len() {
        0 => dimension,
        1 => ident_arg(args, 0),
        _ => None,
    }
}

fn eval_call(call: &Call, env: &dyn Env, dimension: Option<&str>) -> Value {
    let args = call.args.as_slice();
    // A one-argument call on a bare id; anything else is a type error (no value).
    let one = || {
        if args.len() == 1 {
            ident_arg(args, 0)
        } else {
            None
        }
    };
    let count = |strength: Option<Strength>| match dimension_arg(args, dimension) {
        Some(d) => Value::Number(usize_to_f64(env.count(d, strength))),
        None => Value::Missing,
    };
    match call.name.name.as_str() {
        "answered" => one().map_or(Value::Missing, |q| Value::Bool(env.answered(q))),
        "dont_know" => one().map_or(Value::Missing, |q| Value::Bool(env.dont_know(q))),
        "declined" => one().map_or(Value::Missing, |q| Value::Bool(env.declined(q))),
        "raised" => one().map_or(Value::Missing, |x| Value::Bool(env.raised(x))),
        "positive" => one().map_or(Value::Missing, |d| Value::Bool(env.positive(d))),
        "has" => match (args.len(), ident_arg(args, 0), args.get(1)) {
            (2, Some(q), Some(Expr::Str(c))) => Value::Bool(env.has(q, c)),
            _ => Value::Missing,
        },
        "strong" => count(Some(Strength::Strong)),
        "medium" => count(Some(Strength::Medium)),
        "weak" => count(Some(Strength::Weak)),
        "count" => count(None),
        "score" => match dimension_arg(args, dimension) {
            Some(d) => Value::Number(env.score(d)),
            None => Value::Missing,
        },
        _ => Value::Missing,
    }
}

/// Counts are small (at most the number of indicators), so the conversion is exact.
#[allow(clippy::cast_precision_loss)]
fn usize_to_f64(n: usize) -> f64 {
    n as f64
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::questionnaire::expr::parse;

    /// A hand-filled environment: answers by id, raised ids, counts per dimension.
    #[derive(Default)]
    struct Fake {
        answers: HashMap<String, Value>,
        special: HashMap<String, &'static str>,
        multi: HashMap<String, Vec<String>>,
        raised: Vec<String>,
        counts: HashMap<(String, Option<Strength>), usize>,
        positive: Vec<String>,
    }

    impl Env for Fake {
        fn answer(&self, q: &str) -> Value {
            self.answers.get(q).cloned().unwrap_or(Value::Missing)
        }
        fn answered(&self, q: &str) -> bool {
            self.answers.contains_key(q)
                || self.special.contains_key(q)
                || self.multi.contains_key(q)
        }
        fn dont_know(&self, q: &str) -> bool {
            self.special.get(q) == Some(&"dont_know")
        }
        fn declined(&self, q: &str) -> bool {
            self.special.get(q) == Some(&"declined")
        }
        fn has(&self, q: &str, c: &str) -> bool {
            self.multi.get(q).is_some_and(|v| v.iter().any(|x| x == c))
                || self.answers.get(q) == Some(&Value::Str(c.to_string()))
        }
        fn raised(&self, id: &str) -> bool {
            self.raised.iter().any(|x| x == id)
        }
        fn count(&self, d: &str, s: Option<Strength>) -> usize {
            self.counts.get(&(d.to_string(), s)).copied().unwrap_or(0)
        }
        fn score(&self, d: &str) -> f64 {
            usize_to_f64(self.count(d, None)) * 1.5
        }
        fn positive(&self, d: &str) -> bool {
            self.positive.iter().any(|x| x == d)
        }
    }

    fn env() -> Fake {
        let mut f = Fake::default();
        f.answers.insert("hours".into(), Value::Number(14.0));
        f.answers.insert("agrees".into(), Value::Str("yes".into()));
        f.answers
            .insert("arrived".into(), Value::Str("2024-03-01".into()));
        f.special.insert("paid".into(), "declined");
        f.special.insert("where".into(), "dont_know");
        f.multi
            .insert("conditions".into(), vec!["unpaid".into(), "watched".into()]);
        f.raised.push("debt".into());
        f.counts
            .insert(("control".into(), Some(Strength::Strong)), 2);
        f.counts.insert(("control".into(), None), 3);
        f.positive.push("control".into());
        f
    }

    fn check(src: &str) -> bool {
        let e = parse(src).unwrap_or_else(|err| panic!("{src}: {err}"));
        holds(&e, &env(), None)
    }

    fn value(src: &str, dim: Option<&str>) -> Value {
        let e = parse(src).unwrap_or_else(|err| panic!("{src}: {err}"));
        eval(&e, &env(), dim)
    }

    #[test]
    fn comparisons_of_present_values() {
        assert!(check("hours > 12"));
        assert!(check("hours >= 14 and hours <= 14"));
        assert!(!check("hours < 14"));
        assert!(check("hours == 14"));
        assert!(check("hours != 13"));
        assert!(check("agrees == 'yes'"));
        assert!(check("agrees != 'no'"));
        assert!(check("1.5 + 1.5 == 3"));
    }

    #[test]
    fn missing_compares_false_except_not_equal() {
        for src in [
            "unasked == 'yes'",
            "unasked < 3",
            "unasked <= 3",
            "unasked > 3",
            "unasked >= 3",
            "paid == 'yes'",
            "where > 0",
            "unasked in ['a', 'b']",
        ] {
            assert!(!check(src), "{src} should be false");
        }
        assert!(check("unasked != 'yes'"));
        assert!(check("paid != 'yes'"));
        assert!(check("not (unasked == 'yes')"));
    }

    #[test]
    fn arithmetic_with_missing_gives_no_value() {
        assert_eq!(value("unasked + 1", None), Value::Missing);
        assert_eq!(value("1 - unasked", None), Value::Missing);
        assert!(!check("unasked + 1 > 0"));
        assert!(check("unasked + 1 != 0"));
        assert_eq!(value("hours - 4", None), Value::Number(10.0));
    }

    #[test]
    fn dates_compare_as_strings() {
        assert!(check("arrived < '2024-12-31'"));
        assert!(check("arrived >= '2024-03-01'"));
        assert!(!check("arrived > '2025-01-01'"));
    }

    #[test]
    fn in_lists() {
        assert!(check("agrees in ['no', 'yes']"));
        assert!(!check("agrees in ['no']"));
        assert!(!check("agrees in []"));
        assert!(check("hours in [1, 14]"));
    }

    #[test]
    fn functions() {
        assert!(check("answered(hours)"));
        assert!(check("answered(paid)"));
        assert!(!check("answered(unasked)"));
        assert!(check("declined(paid)"));
        assert!(!check("dont_know(paid)"));
        assert!(check("dont_know(where)"));
        assert!(check("has(conditions, 'watched')"));
        assert!(!check("has(conditions, 'none')"));
        assert!(check("has(agrees, 'yes')"));
        assert!(check("raised(debt)"));
        assert!(!check("raised(other)"));
        assert!(check("strong(control) == 2"));
        assert!(check("count(control) == 3 and weak(control) == 0"));
        assert!(check("score(control) == 4.5"));
        assert!(check("positive(control) and not positive(recruitment)"));
    }

    #[test]
    fn argument_less_counts_read_the_dimension_context() {
        assert_eq!(value("strong()", Some("control")), Value::Number(2.0));
        assert_eq!(value("count()", Some("control")), Value::Number(3.0));
        assert_eq!(value("score()", Some("control")), Value::Number(4.5));
        // Outside a positive_when there is no context: no value, never a panic.
        assert_eq!(value("strong()", None), Value::Missing);
        assert!(!check("strong() >= 0"));
    }

    #[test]
    fn type_errors_are_false_never_a_panic() {
        for src in [
            "hours == 'x'",
            "agrees > 3",
            "not hours",
            "has(conditions)",
            "has(conditions, watched)",
            "raised('debt')",
            "strong(control, control) > 0",
            "nonsense(hours)",
            "agrees + 1 > 0",
            "true + 1 > 0",
            "hours",
            "'text'",
        ] {
            assert!(!check(src), "{src} should not hold");
        }
        assert!(check("true"));
        assert!(!check("false"));
        assert!(check("true or unasked > 1"));
        assert!(!check("unasked > 1 and true"));
    }
}
