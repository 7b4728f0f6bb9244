//! Property tests of the expression parser: whatever a trainer (or a fuzzer) writes, `parse`
//! returns a value or a syntax error with an offset inside the text, and never panics; and
//! every expression tree survives `to_source` then `parse` unchanged.

use proptest::prelude::*;
use rosa_screen::questionnaire::expr::{
    ArithOp, Call, CompareOp, Expr, Ident, check, is_constant, parse, to_source,
};

/// Pieces of the grammar, glued at random: near-misses of real conditions reach the parser's
/// error paths far more often than random characters do.
const TOKENS: &[&str] = &[
    "agrees", "hours", "has", "raised", "strong", "count", "positive", "(", ")", "[", "]", ",",
    "'yes'", "\"no\"", "'", "\"", "1", "2.5", "0.", "==", "!=", "<", "<=", ">", ">=", "=", "!",
    "+", "-", "and", "or", "not", "in", "true", "false", " ", "  ", "&&", "å", "’", "A", "_", "9x",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..24).prop_map(|ts| ts.concat())
}

/// Offsets in the tree are where things were written; they differ between the original text
/// and the printed one, so trees are compared without them.
fn strip(e: &Expr) -> Expr {
    match e {
        Expr::Number(_) | Expr::Str(_) | Expr::Bool(_) => e.clone(),
        Expr::Ident(id) => Expr::Ident(Ident {
            name: id.name.clone(),
            at: 0,
        }),
        Expr::Call(c) => Expr::Call(Call {
            name: Ident {
                name: c.name.name.clone(),
                at: 0,
            },
            args: c.args.iter().map(strip).collect(),
        }),
        Expr::Not(x) => Expr::Not(Box::new(strip(x))),
        Expr::And(a, b) => Expr::And(Box::new(strip(a)), Box::new(strip(b))),
        Expr::Or(a, b) => Expr::Or(Box::new(strip(a)), Box::new(strip(b))),
        Expr::Compare { op, lhs, rhs, .. } => Expr::Compare {
            op: *op,
            lhs: Box::new(strip(lhs)),
            rhs: Box::new(strip(rhs)),
            at: 0,
        },
        Expr::In { lhs, list, .. } => Expr::In {
            lhs: Box::new(strip(lhs)),
            list: list.iter().map(strip).collect(),
            at: 0,
        },
        Expr::Arith { op, lhs, rhs, .. } => Expr::Arith {
            op: *op,
            lhs: Box::new(strip(lhs)),
            rhs: Box::new(strip(rhs)),
            at: 0,
        },
    }
}

fn ident() -> impl Strategy<Value = Ident> {
    "[a-z][a-z0-9_]{0,8}"
        .prop_filter("keywords are not ids", |s| {
            !matches!(s.as_str(), "and" | "or" | "not" | "in" | "true" | "false")
        })
        .prop_map(|name| Ident { name, at: 0 })
}

/// Trees the parser can produce: list elements are atoms or parenthesised expressions,
/// numbers have no sign, strings never hold both kinds of quote.
fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        (0u32..1000, 0u32..4).prop_map(|(n, f)| Expr::Number(f64::from(n) + f64::from(f) / 4.0)),
        "[a-z åø_'-]{0,6}".prop_map(Expr::Str),
        "[a-z \"]{0,6}".prop_map(Expr::Str),
        any::<bool>().prop_map(Expr::Bool),
        ident().prop_map(Expr::Ident),
    ];
    leaf.prop_recursive(5, 48, 4, |inner| {
        let cmp = prop_oneof![
            Just(CompareOp::Eq),
            Just(CompareOp::Ne),
            Just(CompareOp::Lt),
            Just(CompareOp::Le),
            Just(CompareOp::Gt),
            Just(CompareOp::Ge),
        ];
        let arith = prop_oneof![Just(ArithOp::Add), Just(ArithOp::Sub)];
        prop_oneof![
            (ident(), prop::collection::vec(inner.clone(), 0..3))
                .prop_map(|(name, args)| Expr::Call(Call { name, args })),
            inner.clone().prop_map(|x| Expr::Not(Box::new(x))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::Or(Box::new(a), Box::new(b))),
            (cmp, inner.clone(), inner.clone()).prop_map(|(op, l, r)| Expr::Compare {
                op,
                lhs: Box::new(l),
                rhs: Box::new(r),
                at: 0
            }),
            (inner.clone(), prop::collection::vec(inner.clone(), 0..3)).prop_map(|(l, list)| {
                Expr::In {
                    lhs: Box::new(l),
                    list,
                    at: 0,
                }
            }),
            (arith, inner.clone(), inner).prop_map(|(op, l, r)| Expr::Arith {
                op,
                lhs: Box::new(l),
                rhs: Box::new(r),
                at: 0
            }),
        ]
    })
}

fn error_offset_is_inside(src: &str) {
    if let Err(e) = parse(src) {
        assert!(e.at <= src.len(), "{src:?}: offset {} past the end", e.at);
        assert!(!e.message.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_never_panics_on_any_string(src in any::<String>()) {
        error_offset_is_inside(&src);
    }

    #[test]
    fn parse_never_panics_on_token_soup(src in token_soup()) {
        error_offset_is_inside(&src);
        // Whatever parses can be printed, checked and folded without panicking either.
        if let Ok(e) = parse(&src) {
            let q = rosa_screen::questionnaire::Questionnaire::default();
            let _ = check(&e, &q, &Default::default());
            let _ = is_constant(&e);
            let again = parse(&to_source(&e)).map(|x| strip(&x));
            prop_assert_eq!(again, Ok(strip(&e)));
        }
    }

    #[test]
    fn printed_trees_parse_back_unchanged(e in expr()) {
        let src = to_source(&e);
        let back = parse(&src).map(|x| strip(&x));
        prop_assert_eq!(back, Ok(strip(&e)), "{}", src);
    }
}

/// The longest chains the parser accepts are walked by the checker, the folder, the printer
/// and the parser again on a small stack: every walk over an accepted tree is bounded by the
/// parser's level limit, whatever the shape.
#[test]
fn the_longest_accepted_chains_are_safe_to_walk_on_a_small_stack() {
    let longest = [
        vec!["1"; 254].join(" + ") + " > 2",
        vec!["agrees == 'yes'"; 128].join(" or "),
        vec!["true"; 256].join(" and "),
        format!("{}true{}", "not (".repeat(31), ")".repeat(31)),
    ];
    let handle = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            let q = rosa_screen::questionnaire::Questionnaire::default();
            let mut accepted = 0;
            for src in &longest {
                let Ok(e) = parse(src) else { continue };
                accepted += 1;
                let _ = check(&e, &q, &Default::default());
                let _ = is_constant(&e);
                let _ = rosa_screen::questionnaire::expr::eval(&e, &Nothing, None);
                let again = parse(&to_source(&e)).map(|x| strip(&x));
                assert_eq!(again, Ok(strip(&e)));
            }
            accepted
        })
        .unwrap();
    assert_eq!(
        handle.join().unwrap(),
        4,
        "the chains near the limit are accepted"
    );
}

/// An interview where nothing was answered or raised.
struct Nothing;

impl rosa_screen::questionnaire::expr::Env for Nothing {
    fn answer(&self, _: &str) -> rosa_screen::questionnaire::expr::Value {
        rosa_screen::questionnaire::expr::Value::Missing
    }
    fn answered(&self, _: &str) -> bool {
        false
    }
    fn dont_know(&self, _: &str) -> bool {
        false
    }
    fn declined(&self, _: &str) -> bool {
        false
    }
    fn has(&self, _: &str, _: &str) -> bool {
        false
    }
    fn raised(&self, _: &str) -> bool {
        false
    }
    fn count(&self, _: &str, _: Option<rosa_screen::questionnaire::Strength>) -> usize {
        0
    }
    fn score(&self, _: &str) -> f64 {
        0.0
    }
    fn positive(&self, _: &str) -> bool {
        false
    }
}
