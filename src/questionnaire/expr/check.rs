//! The type checker: what the linter says about an expression before any interview runs.
//!
//! It walks a parsed [`Expr`] against a [`Questionnaire`] and reports unknown ids (with a
//! "did you mean" suggestion), reads of later questions where only earlier ones may be read,
//! and comparisons or calls that can never be meaningful. It never stops at the first
//! problem, but it does not repeat itself: once a part of the expression is wrong, the parts
//! built on it are not reported again (see [`Ty::Error`]).

use super::ast::{CompareOp, Expr, Ident};
use super::parse::op_str;
use crate::questionnaire::finding::Code;
use crate::questionnaire::model::{Kind, Named, Question, Questionnaire};
use crate::questionnaire::suggest::suggest;

/// Where an expression stands, which decides what it may read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckContext<'a> {
    /// The dimension whose `positive_when` this is: there, `strong()`, `medium()`, `weak()`,
    /// `count()` and `score()` may be called without an argument.
    pub dimension: Option<&'a str>,
    /// `Some(i)`: the expression may read only questions whose file-order index is below `i`
    /// (a `show_if` of question `i` or of a section starting at `i`; `Some(i + 1)` for a `goto`
    /// of question `i`, which may read the question itself). `None`: it may read anything.
    pub reads_before: Option<usize>,
}

/// One problem in an expression. `at` and `len` are byte offsets in the expression's text,
/// so the linter can add them to the position of the condition in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// `unknown-reference`, `forward-reference` or `type-mismatch`.
    pub code: Code,
    /// One sentence saying what is wrong and how to fix it.
    pub message: String,
    /// Byte offset in the expression text.
    pub at: usize,
    /// Byte length of the part at fault (0 when only the start is known).
    pub len: usize,
    /// The id the problem is about, when there is one.
    pub id: Option<String>,
}

/// The functions of the expression language, for calls and suggestions.
pub const FUNCTIONS: [&str; 11] = [
    "answered",
    "dont_know",
    "declined",
    "has",
    "raised",
    "strong",
    "medium",
    "weak",
    "count",
    "score",
    "positive",
];

/// Checks `e` against `q` and returns every problem found, in the order they stand in the
/// expression (left to right, inner before outer where they overlap).
#[must_use]
pub fn check(e: &Expr, q: &Questionnaire, ctx: &CheckContext) -> Vec<Problem> {
    let mut c = Checker {
        q,
        ctx,
        problems: Vec::new(),
    };
    let ty = c.ty(e);
    c.need_truth(e, &ty, "the condition");
    c.problems
}

/// The ids of the questions `e` reads, in the order they first appear, without repeats:
/// bare ids that name questions and the question arguments of `answered`, `dont_know`,
/// `declined` and `has`. Ids that name nothing, or something other than a question, are left
/// out (the checker reports them).
#[must_use]
pub fn questions_read(e: &Expr, q: &Questionnaire) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    walk_idents(e, &mut |id| {
        if q.question_index(&id.name).is_some() && !out.contains(&id.name) {
            out.push(id.name.clone());
        }
    });
    out
}

/// The ids of the indicators and flags `e` reads (through `raised(...)`), in the order they
/// first appear, without repeats. With [`questions_read`] this says which answers a `when`
/// condition depends on, so a screening can name them as the evidence for what it raised.
#[must_use]
pub fn raised_read(e: &Expr, q: &Questionnaire) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    walk_idents(e, &mut |id| {
        let named = matches!(
            q.lookup(&id.name),
            Some(crate::questionnaire::Named::Indicator(_) | crate::questionnaire::Named::Flag(_))
        );
        if named && !out.contains(&id.name) {
            out.push(id.name.clone());
        }
    });
    out
}

/// Calls `f` on every bare id and every bare-id argument of a call, left to right. Function
/// names themselves are not ids and are skipped.
fn walk_idents(e: &Expr, f: &mut dyn FnMut(&Ident)) {
    match e {
        Expr::Number(_) | Expr::Str(_) | Expr::Bool(_) => {}
        Expr::Ident(id) => f(id),
        Expr::Call(call) => {
            for a in &call.args {
                walk_idents(a, f);
            }
        }
        Expr::Not(x) => walk_idents(x, f),
        Expr::And(a, b) | Expr::Or(a, b) => {
            walk_idents(a, f);
            walk_idents(b, f);
        }
        Expr::Compare { lhs, rhs, .. } | Expr::Arith { lhs, rhs, .. } => {
            walk_idents(lhs, f);
            walk_idents(rhs, f);
        }
        Expr::In { lhs, list, .. } => {
            walk_idents(lhs, f);
            for x in list {
                walk_idents(x, f);
            }
        }
    }
}

/// The type of a part of an expression.
#[derive(Debug, Clone)]
enum Ty<'q> {
    /// `true`/`false`, comparisons, `answered()`, `positive()`...
    Truth,
    /// Number literals, number questions, `count()`, `score()`, sums.
    Number,
    /// A string literal (its value is needed to check it against choices).
    Literal(String),
    /// The answer of a `text` or `date` question.
    Text(&'q Question),
    /// The answer of a `yes_no` or `single` question: one of its choice ids.
    Choice(&'q Question),
    /// A bare `multi` question: only readable with `has`.
    Multi(&'q Question),
    /// Already reported as wrong; parts built on it are not reported again.
    Error,
}

/// Where a part of the expression stands: byte offset and length, as far as the syntax tree
/// knows (literals carry no offset, so an operator or a neighbouring id stands in for them).
fn span(e: &Expr) -> Option<(usize, usize)> {
    match e {
        Expr::Ident(id) => Some((id.at, id.name.len())),
        Expr::Call(c) => Some((c.name.at, c.name.name.len())),
        Expr::Number(_) | Expr::Str(_) | Expr::Bool(_) => None,
        Expr::Not(x) => span(x),
        Expr::And(a, b) | Expr::Or(a, b) => span(a).or_else(|| span(b)),
        Expr::Compare { op, lhs, at, .. } => span(lhs).or(Some((*at, op_str(*op).len()))),
        Expr::Arith { lhs, at, .. } => span(lhs).or(Some((*at, 1))),
        Expr::In { lhs, at, .. } => span(lhs).or(Some((*at, 2))),
    }
}

/// How a part of the expression is described in messages.
fn describe(e: &Expr) -> String {
    match e {
        Expr::Ident(id) => format!("`{}`", id.name),
        Expr::Call(c) => format!("`{}(...)`", c.name.name),
        Expr::Number(n) => format!("the number {n}"),
        Expr::Str(s) => format!("the string '{s}'"),
        Expr::Bool(b) => format!("`{b}`"),
        _ => "this part".to_string(),
    }
}

/// Choice ids as `'a', 'b' or 'c'`.
fn choice_list(q: &Question) -> String {
    let ids: Vec<String> = q
        .choices
        .iter()
        .map(|c| format!("'{}'", c.id.name))
        .collect();
    match ids.split_last() {
        None => "none (it has no choices)".to_string(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The message for a choice `q` does not have. `dont_know` and `declined` get their own
/// hint: trainers reach for them as values, but special answers have no value to compare.
fn no_choice(q: &Question, choice: &str) -> String {
    let name = q.id.name.as_str();
    if matches!(choice, "dont_know" | "declined") {
        format!(
            "`{name}` has no choice '{choice}': a special answer has no value to compare, so write `{choice}({name})`"
        )
    } else {
        format!(
            "`{name}` has no choice '{choice}'; its choices are {}",
            choice_list(q)
        )
    }
}

/// A choice id of `q` to use in examples of the right way to write something.
fn example_choice(q: &Question) -> &str {
    q.choices.first().map_or("choice", |c| c.id.name.as_str())
}

struct Checker<'q, 'c> {
    q: &'q Questionnaire,
    ctx: &'c CheckContext<'c>,
    problems: Vec<Problem>,
}

impl<'q> Checker<'q, '_> {
    fn report(
        &mut self,
        code: Code,
        at: Option<(usize, usize)>,
        id: Option<&str>,
        message: String,
    ) {
        let (at, len) = at.unwrap_or((0, 0));
        self.problems.push(Problem {
            code,
            message,
            at,
            len,
            id: id.map(str::to_string),
        });
    }

    fn mismatch(&mut self, at: Option<(usize, usize)>, id: Option<&str>, message: String) {
        self.report(Code::TypeMismatch, at, id, message);
    }

    /// The type of `e`, reporting problems inside it.
    fn ty(&mut self, e: &Expr) -> Ty<'q> {
        match e {
            Expr::Number(_) => Ty::Number,
            Expr::Str(s) => Ty::Literal(s.clone()),
            Expr::Bool(_) => Ty::Truth,
            Expr::Ident(id) => self.ident(id),
            Expr::Call(c) => self.call(&c.name, &c.args),
            Expr::Not(x) => {
                let t = self.ty(x);
                self.need_truth(x, &t, "`not`");
                Ty::Truth
            }
            Expr::And(a, b) | Expr::Or(a, b) => {
                let word = if matches!(e, Expr::And(..)) {
                    "`and`"
                } else {
                    "`or`"
                };
                let ta = self.ty(a);
                self.need_truth(a, &ta, word);
                let tb = self.ty(b);
                self.need_truth(b, &tb, word);
                Ty::Truth
            }
            Expr::Compare { op, lhs, rhs, at } => {
                let tl = self.ty(lhs);
                let tr = self.ty(rhs);
                self.compare(*op, lhs, &tl, rhs, &tr, *at);
                Ty::Truth
            }
            Expr::In { lhs, list, at } => {
                let tl = self.ty(lhs);
                for x in list {
                    let tx = self.ty(x);
                    self.compare_in(lhs, &tl, x, &tx, *at);
                }
                Ty::Truth
            }
            Expr::Arith { op, lhs, rhs, at } => {
                let sign = match op {
                    super::ast::ArithOp::Add => "+",
                    super::ast::ArithOp::Sub => "-",
                };
                let tl = self.ty(lhs);
                let tr = self.ty(rhs);
                let ok_l = self.need_number(lhs, &tl, sign, *at);
                let ok_r = self.need_number(rhs, &tr, sign, *at);
                if ok_l && ok_r { Ty::Number } else { Ty::Error }
            }
        }
    }

    /// A bare id: a question's answer.
    fn ident(&mut self, id: &Ident) -> Ty<'q> {
        let at = Some((id.at, id.name.len()));
        let Some(named) = self.q.lookup(&id.name) else {
            self.unknown(id, false);
            return Ty::Error;
        };
        let name = id.name.as_str();
        let what = match named {
            Named::Question(i) => {
                self.forward(id, i);
                let Some(question) = self.q.question_at(i) else {
                    return Ty::Error;
                };
                return match question.kind {
                    Kind::YesNo | Kind::Single => Ty::Choice(question),
                    Kind::Multi => Ty::Multi(question),
                    Kind::Number => Ty::Number,
                    Kind::Text | Kind::Date => Ty::Text(question),
                    Kind::Info => {
                        self.mismatch(
                            at,
                            Some(name),
                            format!("`{name}` is an info item and has no answer to read"),
                        );
                        Ty::Error
                    }
                };
            }
            Named::Indicator(_) => format!(
                "`{name}` is an indicator, not a question; write `raised({name})` to ask whether it was raised"
            ),
            Named::Flag(_) => format!(
                "`{name}` is a flag, not a question; write `raised({name})` to ask whether it was raised"
            ),
            Named::Dimension(_) => format!(
                "`{name}` is a dimension, not a question; read it with `positive({name})`, `count({name})`, `strong({name})`, `medium({name})`, `weak({name})` or `score({name})`"
            ),
            Named::Section(_) => format!(
                "`{name}` is a section, not a question; a section has no value, read one of its questions instead"
            ),
            Named::Outcome(_) => format!(
                "`{name}` is an outcome, not a question; outcomes cannot be read in expressions"
            ),
        };
        self.mismatch(at, Some(name), what);
        Ty::Error
    }

    /// Reports a read of question `index` where only earlier questions may be read.
    fn forward(&mut self, id: &Ident, index: usize) {
        if let Some(limit) = self.ctx.reads_before
            && index >= limit
        {
            self.report(
                Code::ForwardReference,
                Some((id.at, id.name.len())),
                Some(&id.name),
                format!(
                    "`{}` is asked later in the interview, so it has no answer yet here; a `show_if` or `goto` may read only earlier questions",
                    id.name
                ),
            );
        }
    }

    /// Reports an id that names nothing, with the closest known name as a suggestion.
    fn unknown(&mut self, id: &Ident, function: bool) {
        let message = if function {
            let hint = suggest(&id.name, FUNCTIONS.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_else(|| format!("; the functions are {}", FUNCTIONS.join(", ")));
            if self.q.lookup(&id.name).is_some() {
                format!("`{}` is an id, not a function{hint}", id.name)
            } else {
                format!("there is no function `{}`{hint}", id.name)
            }
        } else if FUNCTIONS.contains(&id.name.as_str()) {
            let wants = match id.name.as_str() {
                "answered" | "dont_know" | "declined" => "a question id",
                "has" => "a question id and a choice",
                "raised" => "an indicator or flag id",
                _ => "a dimension id",
            };
            format!(
                "`{}` is a function, not an id; call it with {wants} in parentheses, such as `{}(...)`",
                id.name, id.name
            )
        } else {
            let ids = self.q.all_ids().chain(FUNCTIONS.iter().copied());
            let hint = suggest(&id.name, ids)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            format!("`{}` is not defined in this questionnaire{hint}", id.name)
        };
        self.report(
            Code::UnknownReference,
            Some((id.at, id.name.len())),
            Some(&id.name),
            message,
        );
    }

    /// `e` (of type `t`) must be a truth value because of `role`.
    fn need_truth(&mut self, e: &Expr, t: &Ty<'q>, role: &str) {
        let at = span(e);
        match t {
            Ty::Truth | Ty::Error => {}
            Ty::Choice(q) => {
                let name = q.id.name.as_str();
                let example = if q.kind == Kind::YesNo {
                    format!("`{name} == 'yes'`")
                } else {
                    format!("`{name} == '{}'`", example_choice(q))
                };
                self.mismatch(
                    at,
                    Some(name),
                    format!(
                        "{role} needs true or false, but `{name}` is a {} question whose answer is a choice; write {example}",
                        q.kind.as_str()
                    ),
                );
            }
            Ty::Multi(q) => {
                let name = q.id.name.as_str();
                self.mismatch(
                    at,
                    Some(name),
                    format!(
                        "{role} needs true or false, but `{name}` is a multi question; read a multi question with `has({name}, '{}')`",
                        example_choice(q)
                    ),
                );
            }
            Ty::Number => self.mismatch(
                at,
                ident_name(e),
                format!(
                    "{role} needs true or false, but {} is a number; compare it, for example `{} > 0`",
                    describe(e),
                    ident_name(e).unwrap_or("...")
                ),
            ),
            Ty::Text(q) => {
                let name = q.id.name.as_str();
                self.mismatch(
                    at,
                    Some(name),
                    format!(
                        "{role} needs true or false, but `{name}` is a {} question; compare it with a value, or write `answered({name})`",
                        q.kind.as_str()
                    ),
                );
            }
            Ty::Literal(s) => self.mismatch(
                at,
                None,
                format!("{role} needs true or false, but the string '{s}' is text"),
            ),
        }
    }

    /// `e` (of type `t`) is an operand of `+` or `-`; true when it is a number.
    fn need_number(&mut self, e: &Expr, t: &Ty<'q>, sign: &str, op_at: usize) -> bool {
        let what = match t {
            Ty::Number => return true,
            Ty::Error => return false,
            Ty::Truth => format!("{} is true or false", describe(e)),
            Ty::Literal(s) => format!("the string '{s}' is text"),
            Ty::Text(q) => format!("`{}` is a {} question", q.id.name, q.kind.as_str()),
            Ty::Choice(q) => format!(
                "`{}` is a {} question whose answer is a choice",
                q.id.name,
                q.kind.as_str()
            ),
            Ty::Multi(q) => format!(
                "`{}` is a multi question (read it with `has({}, '{}')`)",
                q.id.name,
                q.id.name,
                example_choice(q)
            ),
        };
        self.mismatch(
            span(e).or(Some((op_at, 1))),
            ident_name(e),
            format!("`{sign}` needs numbers, but {what}"),
        );
        false
    }

    /// One element of `lhs in [...]`: checked like `lhs == x`.
    fn compare_in(&mut self, lhs: &Expr, tl: &Ty<'q>, x: &Expr, tx: &Ty<'q>, at: usize) {
        self.compare_types(CompareOp::Eq, lhs, tl, x, tx, at, "in");
    }

    fn compare(
        &mut self,
        op: CompareOp,
        lhs: &Expr,
        tl: &Ty<'q>,
        rhs: &Expr,
        tr: &Ty<'q>,
        at: usize,
    ) {
        self.compare_types(op, lhs, tl, rhs, tr, at, op_str(op));
    }

    /// Whether `lhs op rhs` can ever be meaningful; reports it when not.
    #[allow(clippy::too_many_arguments)]
    fn compare_types(
        &mut self,
        op: CompareOp,
        lhs: &Expr,
        tl: &Ty<'q>,
        rhs: &Expr,
        tr: &Ty<'q>,
        at: usize,
        written: &str,
    ) {
        let op_span = Some((at, written.len()));
        let ordering = !matches!(op, CompareOp::Eq | CompareOp::Ne);
        // A multi question first: whatever it is compared with, the fix is `has`.
        for (e, t) in [(lhs, tl), (rhs, tr)] {
            if let Ty::Multi(q) = t {
                let name = q.id.name.as_str();
                self.mismatch(
                    span(e),
                    Some(name),
                    format!(
                        "`{name}` is a multi question and cannot be compared with `{written}`; read a multi question with `has({name}, '{}')`",
                        example_choice(q)
                    ),
                );
                return;
            }
        }
        match (tl, tr) {
            (Ty::Error, _) | (_, Ty::Error) => {}
            (Ty::Number, Ty::Number) => {}
            (Ty::Choice(q), Ty::Literal(s)) | (Ty::Literal(s), Ty::Choice(q)) => {
                let name = q.id.name.as_str();
                if q.choice(s).is_none() {
                    self.mismatch(
                        span(if matches!(tl, Ty::Choice(_)) {
                            lhs
                        } else {
                            rhs
                        })
                        .or(op_span),
                        Some(name),
                        no_choice(q, s),
                    );
                } else if ordering {
                    self.choice_order(q, op_span);
                }
            }
            (Ty::Choice(a), Ty::Choice(b)) => {
                if ordering {
                    self.choice_order(a, op_span);
                } else if !a.choices.iter().any(|c| b.choice(&c.id.name).is_some()) {
                    self.mismatch(
                        span(lhs).or(op_span),
                        Some(a.id.name.as_str()),
                        format!(
                            "`{}` and `{}` share no choice, so they are never equal",
                            a.id.name, b.id.name
                        ),
                    );
                }
            }
            (Ty::Choice(q), Ty::Text(_)) | (Ty::Text(_), Ty::Choice(q)) if ordering => {
                self.choice_order(q, op_span);
            }
            // Dates compare as strings, which orders them in time only when both are ISO
            // dates: `'15.01.2027'` would compare, silently, by the day first.
            (Ty::Text(q), Ty::Literal(s)) | (Ty::Literal(s), Ty::Text(q))
                if q.kind == Kind::Date && !is_iso_date(s) =>
            {
                let name = q.id.name.as_str();
                self.mismatch(
                    span(if matches!(tl, Ty::Text(_)) { lhs } else { rhs }).or(op_span),
                    Some(name),
                    format!(
                        "`{name}` is a date question, but '{s}' is not a date written as YYYY-MM-DD (for example '2027-01-15'), so the comparison would not follow the calendar"
                    ),
                );
            }
            // Texts, dates and string literals compare as strings (dates in ISO order).
            (
                Ty::Literal(_) | Ty::Text(_) | Ty::Choice(_),
                Ty::Literal(_) | Ty::Text(_) | Ty::Choice(_),
            ) => {}
            (Ty::Truth, Ty::Truth) => {
                if ordering {
                    self.mismatch(
                        op_span,
                        None,
                        format!("true and false have no order, so `{written}` means nothing here; use `==` or `!=`"),
                    );
                }
            }
            _ => {
                let (l, r) = (self.kind_of(lhs, tl), self.kind_of(rhs, tr));
                self.mismatch(
                    span(lhs).or_else(|| span(rhs)).or(op_span),
                    ident_name(lhs).or_else(|| ident_name(rhs)),
                    format!("`{written}` compares {l} with {r}, which is never meaningful"),
                );
            }
        }
    }

    fn choice_order(&mut self, q: &Question, at: Option<(usize, usize)>) {
        let name = q.id.name.as_str();
        self.mismatch(
            at,
            Some(name),
            format!(
                "the choices of `{name}` have no order; compare with `==`, `!=` or `in` instead"
            ),
        );
    }

    /// A phrase naming what `e` is, for mismatch messages.
    fn kind_of(&self, e: &Expr, t: &Ty<'q>) -> String {
        match t {
            Ty::Truth => format!("{} (true or false)", describe(e)),
            Ty::Number => match e {
                Expr::Ident(id) => format!("`{}` (a number question)", id.name),
                Expr::Number(n) => format!("the number {n}"),
                _ => format!("{} (a number)", describe(e)),
            },
            Ty::Literal(s) => format!("the string '{s}'"),
            Ty::Text(q) | Ty::Choice(q) | Ty::Multi(q) => {
                format!("`{}` (a {} question)", q.id.name, q.kind.as_str())
            }
            Ty::Error => describe(e),
        }
    }

    /// A function call.
    fn call(&mut self, name: &Ident, args: &[Expr]) -> Ty<'q> {
        let f = name.name.as_str();
        let at = Some((name.at, name.name.len()));
        match f {
            "answered" | "dont_know" | "declined" => {
                if self.arity(name, args, 1, "one question id") {
                    self.question_arg(f, &args[0], &[]);
                }
                Ty::Truth
            }
            "has" => {
                if self.arity(name, args, 2, "a question id and a choice in quotes") {
                    let q = self.question_arg(f, &args[0], &[Kind::Single, Kind::Multi]);
                    self.has_choice(q, &args[1], span(&args[0]));
                }
                Ty::Truth
            }
            "raised" => {
                if self.arity(name, args, 1, "one indicator or flag id")
                    && let Some(id) = self.id_arg(f, &args[0])
                {
                    match self.q.lookup(&id.name) {
                        Some(Named::Indicator(_) | Named::Flag(_)) => {}
                        Some(other) => self.wrong_kind(f, id, other, "an indicator or a flag"),
                        None => {}
                    }
                }
                Ty::Truth
            }
            "strong" | "medium" | "weak" | "count" | "score" => {
                if args.is_empty() {
                    if self.ctx.dimension.is_none() {
                        self.mismatch(
                            at,
                            Some(f),
                            format!(
                                "`{f}()` without an argument works only inside a dimension's `positive_when`; here write `{f}(dimension_id)`"
                            ),
                        );
                    }
                } else if self.arity(name, args, 1, "one dimension id") {
                    self.dimension_arg(f, &args[0]);
                }
                Ty::Number
            }
            "positive" => {
                if self.arity(name, args, 1, "one dimension id") {
                    self.dimension_arg(f, &args[0]);
                }
                Ty::Truth
            }
            _ => {
                self.unknown(name, true);
                // What the arguments should be is unknown, but ids that name nothing are
                // mistakes whatever the function was meant to be.
                for a in args {
                    walk_idents(a, &mut |id| {
                        if self.q.lookup(&id.name).is_none() {
                            self.unknown(id, false);
                        }
                    });
                }
                Ty::Error
            }
        }
    }

    /// Checks the argument count; reports and returns false when it is wrong.
    fn arity(&mut self, name: &Ident, args: &[Expr], n: usize, wants: &str) -> bool {
        if args.len() == n {
            return true;
        }
        self.mismatch(
            Some((name.at, name.name.len())),
            Some(&name.name),
            format!(
                "`{}` takes {wants}, but is given {} argument{}",
                name.name,
                args.len(),
                if args.len() == 1 { "" } else { "s" }
            ),
        );
        false
    }

    /// An argument that must be a bare id; `None` (reported) when it is not, or names nothing.
    fn id_arg<'e>(&mut self, f: &str, arg: &'e Expr) -> Option<&'e Ident> {
        let Expr::Ident(id) = arg else {
            // Check inside anyway so that unknown ids in it are reported too.
            self.ty(arg);
            self.mismatch(
                span(arg),
                None,
                format!(
                    "the argument of `{f}` must be an id as written in the file, not {}",
                    describe(arg)
                ),
            );
            return None;
        };
        if self.q.lookup(&id.name).is_none() {
            self.unknown(id, false);
            return None;
        }
        Some(id)
    }

    fn wrong_kind(&mut self, f: &str, id: &Ident, named: Named, wants: &str) {
        let is = match named {
            Named::Section(_) => "a section",
            Named::Question(_) => "a question",
            Named::Dimension(_) => "a dimension",
            Named::Indicator(_) => "an indicator",
            Named::Flag(_) => "a flag",
            Named::Outcome(_) => "an outcome",
        };
        self.mismatch(
            Some((id.at, id.name.len())),
            Some(&id.name),
            format!("`{f}` takes {wants}, but `{}` is {is}", id.name),
        );
    }

    /// A question argument of `answered`, `dont_know`, `declined` or `has`; `kinds` limits the
    /// question kinds allowed (empty: any that takes an answer).
    fn question_arg(&mut self, f: &str, arg: &Expr, kinds: &[Kind]) -> Option<&'q Question> {
        let id = self.id_arg(f, arg)?;
        let named = self.q.lookup(&id.name)?;
        let Named::Question(i) = named else {
            self.wrong_kind(f, id, named, "a question");
            return None;
        };
        self.forward(id, i);
        let question = self.q.question_at(i)?;
        let fits = if kinds.is_empty() {
            question.kind != Kind::Info
        } else {
            kinds.contains(&question.kind)
        };
        if !fits {
            let wants = if kinds.is_empty() {
                "a question that takes an answer".to_string()
            } else {
                let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
                format!("a {} question", names.join(" or "))
            };
            let hint = match question.kind {
                Kind::YesNo if f == "has" => format!("; write `{} == 'yes'`", id.name),
                _ => String::new(),
            };
            self.mismatch(
                Some((id.at, id.name.len())),
                Some(&id.name),
                format!(
                    "`{f}` takes {wants}, but `{}` is a {} question{hint}",
                    id.name,
                    question.kind.as_str()
                ),
            );
            return None;
        }
        Some(question)
    }

    /// The second argument of `has`: a string literal naming one of the question's choices.
    /// `at` is where the question argument stands (string literals carry no offset).
    fn has_choice(&mut self, q: Option<&'q Question>, arg: &Expr, at: Option<(usize, usize)>) {
        if let (Expr::Ident(bare), Some(q)) = (arg, q)
            && q.choice(&bare.name).is_some()
        {
            self.mismatch(
                Some((bare.at, bare.name.len())),
                Some(&q.id.name),
                format!(
                    "put the choice in quotes: `has({}, '{}')`",
                    q.id.name, bare.name
                ),
            );
            return;
        }
        let Expr::Str(choice) = arg else {
            let before = self.problems.len();
            self.ty(arg);
            if self.problems.len() > before {
                // An unknown id there already says what is wrong.
                return;
            }
            self.mismatch(
                span(arg),
                ident_name(arg),
                format!(
                    "the second argument of `has` must be a choice id in quotes, such as '{}', not {}",
                    q.map_or("choice", example_choice),
                    describe(arg)
                ),
            );
            return;
        };
        if let Some(q) = q
            && q.choice(choice).is_none()
        {
            let name = q.id.name.as_str();
            self.mismatch(at, Some(name), no_choice(q, choice));
        }
    }

    fn dimension_arg(&mut self, f: &str, arg: &Expr) {
        if let Some(id) = self.id_arg(f, arg) {
            match self.q.lookup(&id.name) {
                Some(Named::Dimension(_)) | None => {}
                Some(other) => self.wrong_kind(f, id, other, "a dimension"),
            }
        }
    }
}

/// True for a real calendar date written `YYYY-MM-DD`, the only form answers to date
/// questions take.
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && s.parse::<jiff::civil::Date>().is_ok()
}

/// The id `e` is, when it is a bare id.
fn ident_name(e: &Expr) -> Option<&str> {
    match e {
        Expr::Ident(id) => Some(&id.name),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::expr::{is_constant, parse};
    use crate::questionnaire::fixture::one_of_each;
    use crate::questionnaire::model::Cond;

    fn run(src: &str, ctx: &CheckContext) -> Vec<Problem> {
        let e = parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        check(&e, &one_of_each(), ctx)
    }

    fn problems(src: &str) -> Vec<Problem> {
        run(src, &CheckContext::default())
    }

    /// Exactly one problem with this code, whose message contains `needle`.
    fn one(src: &str, code: Code, needle: &str) -> Problem {
        let ps = problems(src);
        assert_eq!(ps.len(), 1, "{src}: {ps:#?}");
        let p = ps.into_iter().next().unwrap_or_else(|| unreachable!());
        assert_eq!(p.code, code, "{src}: {p:?}");
        assert!(p.message.contains(needle), "{src}: {}", p.message);
        p
    }

    fn clean(src: &str) {
        let ps = problems(src);
        assert!(ps.is_empty(), "{src}: {ps:#?}");
    }

    #[test]
    fn well_typed_conditions_are_clean() {
        for src in [
            "agrees == 'yes'",
            "'no' != agrees",
            "age >= 18 and age < 65.5",
            "arrived in ['job_offer', 'family']",
            "has(conditions, 'unpaid') or has(arrived, 'other')",
            "notes == 'x' or released < '2027-01-15'",
            "answered(notes) and not dont_know(age) and not declined(agrees)",
            "raised(debt) or raised(minor)",
            "strong(control) + medium(control) - weak(control) >= 1 or score(control) > 2.5",
            "count(control) >= 1 and positive(control)",
            "true",
            "not false",
            "answered(age) == true",
            "arrived != notes",
            "(age > 1)",
        ] {
            clean(src);
        }
    }

    #[test]
    fn unknown_id_suggests_the_closest() {
        let p = one(
            "agres == 'yes'",
            Code::UnknownReference,
            "did you mean `agrees`?",
        );
        assert_eq!((p.at, p.len), (0, 5));
        assert_eq!(p.id.as_deref(), Some("agrees").map(|_| "agres"));
        let p = one(
            "age > 1 and zzzzzz",
            Code::UnknownReference,
            "`zzzzzz` is not defined",
        );
        assert!(!p.message.contains("did you mean"));
        assert_eq!(p.at, 12);
        one(
            "raised(det)",
            Code::UnknownReference,
            "did you mean `debt`?",
        );
        one(
            "positive(contrl)",
            Code::UnknownReference,
            "did you mean `control`?",
        );
        one(
            "has(conditons, 'unpaid')",
            Code::UnknownReference,
            "`conditions`",
        );
    }

    #[test]
    fn unknown_function_suggests_a_function() {
        let p = one(
            "positve(control)",
            Code::UnknownReference,
            "did you mean `positive`?",
        );
        assert_eq!((p.at, p.len), (0, 7));
        one(
            "frobnicate(control)",
            Code::UnknownReference,
            "the functions are",
        );
        one(
            "agrees('yes')",
            Code::UnknownReference,
            "is an id, not a function",
        );
        one(
            "count >= 1",
            Code::UnknownReference,
            "is a function, not an id",
        );
        one("answered", Code::UnknownReference, "with a question id");
        // Mistakes in the arguments of an unknown function are still reported.
        assert_eq!(problems("positve(contrl)").len(), 2);
    }

    #[test]
    fn forward_reference_in_show_if_and_goto() {
        let ctx = CheckContext {
            dimension: None,
            reads_before: Some(2),
        };
        assert!(run("agrees == 'yes'", &ctx).is_empty());
        let ps = run("age > 3", &ctx);
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].code, Code::ForwardReference);
        assert_eq!(ps[0].id.as_deref(), Some("age"));
        assert!(ps[0].message.contains("later"), "{}", ps[0].message);
        // Function arguments count as reads too.
        let ps = run("answered(arrived) or has(conditions, 'unpaid')", &ctx);
        assert_eq!(
            ps.iter().map(|p| p.code).collect::<Vec<_>>(),
            [Code::ForwardReference, Code::ForwardReference]
        );
        // A goto of question 2 may read the question itself.
        let goto = CheckContext {
            dimension: None,
            reads_before: Some(3),
        };
        assert!(run("age > 3", &goto).is_empty());
        // raised() and positive() are not question reads.
        assert!(run("raised(debt) or positive(control)", &ctx).is_empty());
        // Anywhere else, anything may be read.
        clean("later == 'yes'");
    }

    #[test]
    fn bare_multi_in_a_comparison() {
        let p = one(
            "conditions == 'unpaid'",
            Code::TypeMismatch,
            "has(conditions, 'unpaid')",
        );
        assert_eq!((p.at, p.len), (0, 10));
        one(
            "conditions in ['unpaid']",
            Code::TypeMismatch,
            "multi question",
        );
        one("'x' != conditions", Code::TypeMismatch, "has(conditions");
    }

    #[test]
    fn bare_non_questions_name_what_they_are() {
        one("debt", Code::TypeMismatch, "`raised(debt)`");
        one("minor and true", Code::TypeMismatch, "is a flag");
        one("control", Code::TypeMismatch, "positive(control)");
        one("start", Code::TypeMismatch, "is a section");
        one("done", Code::TypeMismatch, "is an outcome");
        one("intro == 'x'", Code::TypeMismatch, "info item");
    }

    #[test]
    fn choices_are_checked() {
        let p = one("agrees == 'ja'", Code::TypeMismatch, "'yes' or 'no'");
        assert_eq!(p.id.as_deref(), Some("agrees"));
        one("'maybe' == agrees", Code::TypeMismatch, "no choice 'maybe'");
        one(
            "arrived == 'jobs'",
            Code::TypeMismatch,
            "'job_offer', 'family' or 'other'",
        );
        one(
            "arrived in ['family', 'boat']",
            Code::TypeMismatch,
            "'boat'",
        );
        one("arrived < 'family'", Code::TypeMismatch, "no order");
        one("arrived == city", Code::TypeMismatch, "share no choice");
        one(
            "agrees == 'declined'",
            Code::TypeMismatch,
            "write `declined(agrees)`",
        );
        one(
            "has(arrived, 'dont_know')",
            Code::TypeMismatch,
            "write `dont_know(arrived)`",
        );
        one(
            "agrees != 'ja'",
            Code::TypeMismatch,
            "its choices are 'yes' or 'no'",
        );
    }

    #[test]
    fn numbers_and_strings_do_not_mix() {
        one(
            "age == '18'",
            Code::TypeMismatch,
            "`age` (a number question) with the string '18'",
        );
        one("'18' < age", Code::TypeMismatch, "the string '18'");
        one("notes > 3", Code::TypeMismatch, "`notes` (a text question)");
        one("agrees == 1", Code::TypeMismatch, "yes_no");
        one("age in [1, 'two']", Code::TypeMismatch, "'two'");
        one("1 == 'a'", Code::TypeMismatch, "never meaningful");
        one("age == true", Code::TypeMismatch, "never meaningful");
        one("answered(age) < true", Code::TypeMismatch, "no order");
        one("released < '15.01.2027'", Code::TypeMismatch, "YYYY-MM-DD");
        one("'2027-02-30' == released", Code::TypeMismatch, "YYYY-MM-DD");
        clean("released in ['2027-01-15', '2028-02-29']");
        assert!(!is_iso_date("+2027-01-15"));
        assert!(!is_iso_date("2027-1-15"));
    }

    #[test]
    fn arithmetic_needs_numbers() {
        one("age + notes > 1", Code::TypeMismatch, "`+` needs numbers");
        one("age - 'x' > 1", Code::TypeMismatch, "`-` needs numbers");
        one("agrees + 1 > 1", Code::TypeMismatch, "choice");
        // One problem, not a second one for the comparison built on it.
        assert_eq!(problems("age + true > 'x'").len(), 1);
    }

    #[test]
    fn logic_needs_truth_values() {
        one("agrees", Code::TypeMismatch, "write `agrees == 'yes'`");
        one(
            "arrived or true",
            Code::TypeMismatch,
            "`arrived == 'job_offer'`",
        );
        one("not age", Code::TypeMismatch, "is a number");
        one("true and notes", Code::TypeMismatch, "answered(notes)");
        one(
            "conditions",
            Code::TypeMismatch,
            "has(conditions, 'unpaid')",
        );
        one("'yes'", Code::TypeMismatch, "is text");
        one("count(control)", Code::TypeMismatch, "is a number");
        one("age + 1", Code::TypeMismatch, "is a number");
    }

    #[test]
    fn functions_check_arity_and_kinds() {
        one("answered()", Code::TypeMismatch, "given 0 arguments");
        one(
            "answered(age, agrees)",
            Code::TypeMismatch,
            "given 2 arguments",
        );
        one(
            "answered(debt)",
            Code::TypeMismatch,
            "`debt` is an indicator",
        );
        one("answered(intro)", Code::TypeMismatch, "info");
        one("dont_know('age')", Code::TypeMismatch, "must be an id");
        one(
            "has(agrees, 'yes')",
            Code::TypeMismatch,
            "write `agrees == 'yes'`",
        );
        one("has(age, 'x')", Code::TypeMismatch, "single or multi");
        one(
            "has(conditions, 'paid')",
            Code::TypeMismatch,
            "'unpaid' or 'watched'",
        );
        one(
            "has(conditions, unpaid)",
            Code::TypeMismatch,
            "`has(conditions, 'unpaid')`",
        );
        one("has(conditions, nobody)", Code::UnknownReference, "nobody");
        one("has(conditions, age)", Code::TypeMismatch, "in quotes");
        one(
            "has(conditions)",
            Code::TypeMismatch,
            "a question id and a choice",
        );
        one(
            "raised(control)",
            Code::TypeMismatch,
            "an indicator or a flag",
        );
        one("raised(age)", Code::TypeMismatch, "is a question");
        one("positive(debt)", Code::TypeMismatch, "a dimension");
        one("positive()", Code::TypeMismatch, "given 0 arguments");
        one("strong(debt) > 1", Code::TypeMismatch, "a dimension");
        one("score(control, control) > 1", Code::TypeMismatch, "given 2");
        one("raised(age > 1)", Code::TypeMismatch, "must be an id");
    }

    #[test]
    fn argument_less_counts_only_in_positive_when() {
        let p = one("strong() >= 1", Code::TypeMismatch, "positive_when");
        assert_eq!((p.at, p.len), (0, 6));
        let dim = CheckContext {
            dimension: Some("control"),
            reads_before: None,
        };
        let src = "strong() >= 2 or (strong() >= 1 and medium() + weak() >= 1) or count() >= 3 or score() > 1";
        assert!(run(src, &dim).is_empty());
        assert!(!run("positive() ", &dim).is_empty());
    }

    #[test]
    fn offsets_point_into_the_text() {
        let src = "age > 1 and has(conditions, 'nope')";
        let ps = problems(src);
        assert_eq!(ps.len(), 1);
        assert_eq!(&src[ps[0].at..ps[0].at + ps[0].len], "conditions");
        let src = "true and 1 == 'a'";
        let ps = problems(src);
        assert_eq!(&src[ps[0].at..ps[0].at + ps[0].len], "==");
    }

    #[test]
    fn reads_are_listed_once_in_order() {
        let q = one_of_each();
        let e = parse("age > 1 and (has(conditions, 'unpaid') or age < 3) and raised(debt) and answered(notes) and nobody == 'x'")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(questions_read(&e, &q), ["age", "conditions", "notes"]);
    }

    /// Every condition of the example questionnaire, in the context lint gives it, is clean;
    /// the checker must not cry wolf on a file trainers copy from.
    #[test]
    fn the_example_questionnaire_checks_clean() {
        let text = include_str!("../../../tests/fixtures/examples/small-screening.yaml");
        let q = crate::questionnaire::load::load_str(text, "small-screening.yaml")
            .unwrap_or_else(|f| panic!("{f:#?}"));
        let mut checked = 0;
        let mut all = |c: &Cond, dimension: Option<&str>, reads_before: Option<usize>| {
            let e = c.parsed.as_ref().unwrap_or_else(|e| panic!("{e}"));
            let ps = check(
                e,
                &q,
                &CheckContext {
                    dimension,
                    reads_before,
                },
            );
            assert!(ps.is_empty(), "{}: {ps:#?}", c.source);
            checked += 1;
        };
        for d in &q.dimensions {
            all(&d.positive_when, Some(&d.id.name), None);
        }
        for c in q.indicators.iter().filter_map(|i| i.when.as_ref()) {
            all(c, None, None);
        }
        for c in q.flags.iter().filter_map(|f| f.when.as_ref()) {
            all(c, None, None);
        }
        for c in q.outcomes.iter().filter_map(|o| o.when.as_ref()) {
            all(c, None, None);
        }
        for (si, s) in q.sections.iter().enumerate() {
            if let Some(c) = &s.show_if {
                all(c, None, Some(q.section_start(si)));
            }
        }
        for (i, x) in q.questions().enumerate() {
            if let Some(c) = &x.show_if {
                all(c, None, Some(i));
            }
            for c in x.goto.iter().filter_map(|g| g.cond.as_ref()) {
                all(c, None, Some(i + 1));
            }
        }
        assert_eq!(checked, 12);
        // The goto of `agrees` reads `agrees` itself: allowed for a goto, not for a show_if.
        let agrees = q.question("agrees").unwrap_or_else(|| unreachable!());
        let goto = agrees.goto[0]
            .cond
            .as_ref()
            .unwrap_or_else(|| unreachable!());
        let e = goto.parsed.as_ref().unwrap_or_else(|e| panic!("{e}"));
        let i = q.question_index("agrees").unwrap_or_else(|| unreachable!());
        let ctx = CheckContext {
            dimension: None,
            reads_before: Some(i),
        };
        assert_eq!(check(e, &q, &ctx)[0].code, Code::ForwardReference);
        assert_eq!(questions_read(e, &q), ["agrees"]);
    }

    #[test]
    fn constants_are_found() {
        let c = |s: &str| is_constant(&parse(s).unwrap_or_else(|e| panic!("{e}")));
        assert_eq!(c("false"), Some(false));
        assert_eq!(c("not true"), Some(false));
        assert_eq!(c("1 > 2"), Some(false));
        assert_eq!(c("1 + 2 >= 3"), Some(true));
        assert_eq!(c("'a' < 'b'"), Some(true));
        assert_eq!(c("age > 1 and false"), Some(false));
        assert_eq!(c("age > 1 or true"), Some(true));
        assert_eq!(c("age > 1 or false"), None);
        assert_eq!(c("2 in [1, 2]"), Some(true));
        assert_eq!(c("2 in []"), Some(false));
        assert_eq!(c("2 in [1, age]"), None);
        assert_eq!(c("true == false"), Some(false));
        assert_eq!(c("1 == 'a'"), None);
        assert_eq!(c("raised(debt)"), None);
    }
}
