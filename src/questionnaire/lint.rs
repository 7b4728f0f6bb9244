//! The linter: every semantic check of format 1 that needs the whole questionnaire.
//!
//! [`lint`] takes a loaded [`Questionnaire`] (so the file is valid YAML of the right shape)
//! and returns all findings, sorted by line and column. Every check is a single pass over the
//! items with hash lookups, so the cost grows linearly with the size of the file.
//!
//! Checks beyond the table of codes, mapped onto those codes (see docs/questionnaire-format.md):
//! duplicate choice ids in one question (`duplicate-id`); empty translations
//! (`missing-translation`); `raises` naming a question or dimension, a `goto` naming an
//! indicator (`unknown-reference`); a `goto` into its own or an earlier section
//! (`backward-goto`); flags that nothing raises (`unused-indicator`); outcomes whose `when`
//! repeats an earlier one, or that follow an outcome whose `when` always holds
//! (`unreachable-outcome`).

use std::collections::{HashMap, HashSet};

use super::expr::{self, ArithOp, CompareOp, Expr};
use super::finding::{Code, Finding};
use super::load::{finding, suggest};
use super::model::{Cond, Kind, Named, Pos, Questionnaire, Strength, Text};

/// Runs every check on `q` and returns the findings sorted by (line, column).
#[must_use]
pub fn lint(q: &Questionnaire) -> Vec<Finding> {
    let mut l = Linter::new(q);
    l.duplicates();
    l.translations();
    l.references();
    l.gotos();
    l.choices();
    l.outcomes();
    l.sections();
    l.unused();
    l.reachability();
    l.expressions();
    let mut out = l.out;
    out.sort_by(|a, b| {
        (a.line, a.column.unwrap_or(0), a.code).cmp(&(b.line, b.column.unwrap_or(0), b.code))
    });
    out
}

/// Per-dimension totals, for the bounds of `count()`, `strong()`, ... and `score()`.
#[derive(Debug, Default, Clone, Copy)]
struct DimTotals {
    strong: usize,
    medium: usize,
    weak: usize,
    weight: f64,
}

struct Linter<'q> {
    q: &'q Questionnaire,
    file: &'q str,
    out: Vec<Finding>,
    /// Byte offset where each line starts, to turn offsets inside expressions into line:column.
    line_starts: Vec<usize>,
    dims: HashMap<&'q str, DimTotals>,
    /// Indicators and flags that some answer raises.
    raised_by_answer: HashSet<&'q str>,
}

impl<'q> Linter<'q> {
    fn new(q: &'q Questionnaire) -> Self {
        let text = &q.source.text;
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut dims: HashMap<&str, DimTotals> = HashMap::new();
        for i in &q.indicators {
            let d = dims.entry(i.dimension.as_str()).or_default();
            match i.strength {
                Strength::Strong => d.strong += 1,
                Strength::Medium => d.medium += 1,
                Strength::Weak => d.weak += 1,
            }
            d.weight += i.weight.max(0.0);
        }
        let raised_by_answer = q
            .questions()
            .flat_map(|x| x.choices.iter())
            .flat_map(|c| c.raises.iter())
            .map(|r| r.as_str())
            .collect();
        Self {
            q,
            file: &q.source.name,
            out: Vec::new(),
            line_starts,
            dims,
            raised_by_answer,
        }
    }

    fn push(&mut self, pos: Pos, code: Code, id: Option<&str>, message: String) {
        self.out.push(finding(self.file, pos, code, id, message));
    }

    /// The file position of byte `at` (length `len`) inside condition `c`. Exact when the
    /// expression stands in the file as written (plain or quoted without escapes, on one
    /// line); otherwise the start of the condition.
    fn expr_pos(&self, c: &Cond, at: usize, len: usize) -> Pos {
        let text = &self.q.source.text;
        let verbatim = text
            .get(c.pos.offset..c.pos.offset + c.source.len())
            .is_some_and(|s| s == c.source);
        if !verbatim || at > c.source.len() {
            return c.pos;
        }
        let offset = c.pos.offset + at;
        let line = self.line_starts.partition_point(|s| *s <= offset);
        let start = self.line_starts.get(line.wrapping_sub(1)).copied().unwrap_or(0);
        let column = text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        Pos {
            line,
            column,
            offset,
            len,
        }
    }

    // -- duplicate-id -------------------------------------------------------------------------

    fn duplicates(&mut self) {
        let q = self.q;
        let mut all: Vec<(&str, &super::model::Id)> = Vec::new();
        all.extend(q.dimensions.iter().map(|x| ("dimension", &x.id)));
        all.extend(q.indicators.iter().map(|x| ("indicator", &x.id)));
        all.extend(q.flags.iter().map(|x| ("flag", &x.id)));
        for s in &q.sections {
            all.push(("section", &s.id));
            all.extend(s.questions.iter().map(|x| ("question", &x.id)));
        }
        all.extend(q.outcomes.iter().map(|x| ("outcome", &x.id)));
        all.sort_by_key(|(_, id)| id.pos.offset);
        let mut seen: HashMap<&str, (&str, Pos)> = HashMap::new();
        for (what, id) in all {
            if let Some((first, at)) = seen.get(id.as_str()).copied() {
                self.push(
                    id.pos,
                    Code::DuplicateId,
                    Some(id.as_str()),
                    format!(
                        "the {what} id `{id}` is already used by the {first} at line {}; ids must be unique across the whole file",
                        at.line
                    ),
                );
            } else {
                seen.insert(id.as_str(), (what, id.pos));
            }
        }
        for x in q.questions() {
            let mut ids: HashMap<&str, Pos> = HashMap::new();
            for c in &x.choices {
                if let Some(at) = ids.get(c.id.as_str()) {
                    let msg = format!(
                        "question `{}` has the choice `{}` twice (first at line {})",
                        x.id, c.id, at.line
                    );
                    self.push(c.id.pos, Code::DuplicateId, Some(x.id.as_str()), msg);
                } else {
                    ids.insert(c.id.as_str(), c.id.pos);
                }
            }
        }
    }

    // -- missing-translation ------------------------------------------------------------------

    fn translations(&mut self) {
        let q = self.q;
        let mut texts: Vec<(&Text, &str, &str)> = vec![(&q.title, "the title", q.id.as_str())];
        if let Some(d) = &q.description {
            texts.push((d, "the description", q.id.as_str()));
        }
        for d in &q.dimensions {
            texts.push((&d.label, "the label of dimension", d.id.as_str()));
        }
        for i in &q.indicators {
            texts.push((&i.label, "the label of indicator", i.id.as_str()));
        }
        for f in &q.flags {
            texts.push((&f.label, "the label of flag", f.id.as_str()));
            texts.push((&f.advice, "the advice of flag", f.id.as_str()));
        }
        for s in &q.sections {
            texts.push((&s.title, "the title of section", s.id.as_str()));
            if let Some(t) = &s.intro {
                texts.push((t, "the intro of section", s.id.as_str()));
            }
            for x in &s.questions {
                texts.push((&x.text, "the text of question", x.id.as_str()));
                if let Some(t) = &x.guidance {
                    texts.push((t, "the guidance of question", x.id.as_str()));
                }
                if matches!(x.kind, Kind::Single | Kind::Multi) {
                    for c in &x.choices {
                        texts.push((&c.label, "a choice label of question", x.id.as_str()));
                    }
                }
            }
        }
        for o in &q.outcomes {
            texts.push((&o.label, "the label of outcome", o.id.as_str()));
            texts.push((&o.advice, "the advice of outcome", o.id.as_str()));
        }
        for (text, what, owner) in texts {
            for lang in &q.languages {
                let msg = match text.get(lang) {
                    None => format!("{what} `{owner}` has no `{lang}` text"),
                    Some(s) if s.trim().is_empty() => {
                        format!("{what} `{owner}` has an empty `{lang}` text")
                    }
                    Some(_) => continue,
                };
                // The questionnaire's own texts name no item id.
                let id = (owner != q.id).then_some(owner);
                self.push(text.pos, Code::MissingTranslation, id, msg);
            }
        }
    }

    // -- unknown-reference (raises, dimension, goto) ------------------------------------------

    fn references(&mut self) {
        let q = self.q;
        for i in &q.indicators {
            if q.dimension(i.dimension.as_str()).is_none() {
                let msg = self.unknown(
                    i.dimension.as_str(),
                    "dimension",
                    q.dimensions.iter().map(|d| d.id.as_str()),
                );
                self.push(
                    i.dimension.pos,
                    Code::UnknownReference,
                    Some(i.id.as_str()),
                    format!("indicator `{}`: {msg}", i.id),
                );
            }
        }
        let raisable = || {
            q.indicators
                .iter()
                .map(|i| i.id.as_str())
                .chain(q.flags.iter().map(|f| f.id.as_str()))
        };
        for x in q.questions() {
            for c in &x.choices {
                for r in &c.raises {
                    if q.indicator(r.as_str()).is_none() && q.flag(r.as_str()).is_none() {
                        let msg = self.unknown(r.as_str(), "indicator or flag", raisable());
                        self.push(
                            r.pos,
                            Code::UnknownReference,
                            Some(x.id.as_str()),
                            format!("`raises` of question `{}`: {msg}", x.id),
                        );
                    }
                }
            }
            for g in &x.goto {
                let to = g.to.as_str();
                let ok = g.is_end()
                    || matches!(q.lookup(to), Some(Named::Question(_) | Named::Section(_)));
                if !ok {
                    let targets = q
                        .questions()
                        .map(|y| y.id.as_str())
                        .chain(q.sections.iter().map(|s| s.id.as_str()))
                        .chain(["end"]);
                    let msg = self.unknown(to, "question or section (or `end`)", targets);
                    self.push(
                        g.to.pos,
                        Code::UnknownReference,
                        Some(x.id.as_str()),
                        format!("`goto` of question `{}`: {msg}", x.id),
                    );
                }
            }
        }
    }

    /// "no indicator `x`; did you mean `y`?", or what `x` is when it names the wrong kind.
    fn unknown<'a>(
        &self,
        name: &str,
        wanted: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> String {
        let what = match self.q.lookup(name) {
            Some(Named::Section(_)) => Some("a section"),
            Some(Named::Question(_)) => Some("a question"),
            Some(Named::Dimension(_)) => Some("a dimension"),
            Some(Named::Indicator(_)) => Some("an indicator"),
            Some(Named::Flag(_)) => Some("a flag"),
            Some(Named::Outcome(_)) => Some("an outcome"),
            None => None,
        };
        if let Some(what) = what {
            return format!("`{name}` is {what}, not a {wanted}");
        }
        let hint = suggest(name, candidates)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        format!("there is no {wanted} `{name}`{hint}")
    }

    // -- backward-goto ------------------------------------------------------------------------

    fn gotos(&mut self) {
        let q = self.q;
        for (i, x) in q.questions().enumerate() {
            for g in &x.goto {
                let back = match q.lookup(g.to.as_str()) {
                    Some(Named::Question(t)) => (t <= i).then(|| {
                        if t == i {
                            "to itself".to_owned()
                        } else {
                            format!("back to the earlier question `{}`", g.to)
                        }
                    }),
                    Some(Named::Section(s)) => (s <= x.section).then(|| {
                        if s == x.section {
                            format!("to its own section `{}`", g.to)
                        } else {
                            format!("back to the earlier section `{}`", g.to)
                        }
                    }),
                    _ => None,
                };
                if let Some(how) = back {
                    self.push(
                        g.to.pos,
                        Code::BackwardGoto,
                        Some(x.id.as_str()),
                        format!(
                            "question `{}` jumps {how}; a `goto` may only go forward (to a later question or section, or `end`)",
                            x.id
                        ),
                    );
                }
            }
        }
    }

    // -- no-choices ---------------------------------------------------------------------------

    fn choices(&mut self) {
        for x in self.q.questions() {
            if matches!(x.kind, Kind::Single | Kind::Multi) && x.choices.is_empty() {
                self.push(
                    x.id.pos,
                    Code::NoChoices,
                    Some(x.id.as_str()),
                    format!(
                        "the {} question `{}` has no `choices`",
                        x.kind.as_str(),
                        x.id
                    ),
                );
            }
        }
    }

    // -- no-default-outcome, unreachable-outcome ----------------------------------------------

    fn outcomes(&mut self) {
        let q = self.q;
        let Some(last) = q.outcomes.last() else {
            return;
        };
        let default = q.outcomes.iter().position(|o| o.when.is_none());
        match default {
            None => {
                let pos = last.when.as_ref().map_or(last.id.pos, |c| c.pos);
                self.push(
                    pos,
                    Code::NoDefaultOutcome,
                    Some(last.id.as_str()),
                    format!(
                        "the last outcome `{}` has a `when`; the last outcome is the default and must have none (add a default outcome after it)",
                        last.id
                    ),
                );
            }
            Some(d) => {
                for o in &q.outcomes[d + 1..] {
                    self.push(
                        o.id.pos,
                        Code::NoDefaultOutcome,
                        Some(o.id.as_str()),
                        format!(
                            "outcome `{}` comes after the default outcome `{}` (line {}), which has no `when`; the default must be the last",
                            o.id, q.outcomes[d].id, q.outcomes[d].id.pos.line
                        ),
                    );
                }
            }
        }
        let end = default.map_or(q.outcomes.len(), |d| d + 1);
        let mut always: Option<&super::model::Outcome> = None;
        let mut seen: Vec<(&Expr, &super::model::Outcome)> = Vec::new();
        for o in &q.outcomes[..end] {
            let Some(when) = &o.when else { continue };
            let msg = if let Some(a) = always {
                Some(format!(
                    "outcome `{}` can never be the result: the earlier outcome `{}` (line {}) always holds",
                    o.id, a.id, a.id.pos.line
                ))
            } else if let Ok(e) = &when.parsed {
                let same = seen.iter().find(|(x, _)| *x == e).map(|(_, o)| *o);
                if let Some(first) = same {
                    Some(format!(
                        "outcome `{}` can never be the result: the earlier outcome `{}` (line {}) has the same `when`",
                        o.id, first.id, first.id.pos.line
                    ))
                } else {
                    seen.push((e, o));
                    match self.truth(e, None, 0) {
                        Some(false) => Some(format!(
                            "outcome `{}` can never be the result: its `when` can never hold ({})",
                            o.id,
                            self.why_false(e)
                        )),
                        Some(true) => {
                            always = Some(o);
                            None
                        }
                        None => None,
                    }
                }
            } else {
                None
            };
            if let Some(msg) = msg {
                self.push(o.id.pos, Code::UnreachableOutcome, Some(o.id.as_str()), msg);
            }
        }
    }

    // -- empty-section ------------------------------------------------------------------------

    fn sections(&mut self) {
        for s in &self.q.sections {
            if s.questions.is_empty() {
                self.push(
                    s.id.pos,
                    Code::EmptySection,
                    Some(s.id.as_str()),
                    format!("section `{}` has no questions", s.id),
                );
            }
        }
    }

    // -- unused-indicator ---------------------------------------------------------------------

    fn unused(&mut self) {
        let q = self.q;
        let items = q
            .indicators
            .iter()
            .map(|i| ("indicator", &i.id, &i.when))
            .chain(q.flags.iter().map(|f| ("flag", &f.id, &f.when)));
        let mut found = Vec::new();
        for (what, id, when) in items {
            if self.raised_by_answer.contains(id.as_str()) {
                continue;
            }
            let when_false = when
                .as_ref()
                .and_then(|c| c.parsed.as_ref().ok())
                .is_some_and(|e| self.truth(e, None, 0) == Some(false));
            let msg = match when {
                None => format!(
                    "no answer raises the {what} `{id}` and it has no `when`, so it can never be raised"
                ),
                Some(_) if when_false => format!(
                    "no answer raises the {what} `{id}` and its `when` can never hold, so it can never be raised"
                ),
                Some(_) => continue,
            };
            found.push((id.pos, id.as_str(), msg));
        }
        for (pos, id, msg) in found {
            self.push(pos, Code::UnusedIndicator, Some(id), msg);
        }
    }

    // -- unreachable-question -----------------------------------------------------------------

    /// Walks the question order once, as every interview would at best: a question is reached
    /// when the walk can arrive at it, shown when it is reached and neither its nor its
    /// section's `show_if` is constantly false. A shown question's `goto` entries mark their
    /// targets reached; an unconditional (or constantly true) entry stops the fall-through.
    fn reachability(&mut self) {
        let q = self.q;
        let n = q.question_count();
        let mut reached = vec![false; n + 1];
        if let Some(r) = reached.first_mut() {
            *r = true;
        }
        let section_false: Vec<bool> = q
            .sections
            .iter()
            .map(|s| self.cond_false(s.show_if.as_ref()))
            .collect();
        for (si, s) in q.sections.iter().enumerate() {
            if section_false[si] && !s.questions.is_empty() {
                self.push(
                    s.id.pos,
                    Code::UnreachableQuestion,
                    Some(s.id.as_str()),
                    format!(
                        "section `{}` is never shown: its `show_if` can never hold, so none of its {} questions is asked",
                        s.id,
                        s.questions.len()
                    ),
                );
            }
        }
        // The latest unconditional jump seen: (question that jumps, target index).
        let mut cover: Option<(usize, usize)> = None;
        let mut found = Vec::new();
        for (i, x) in q.questions().enumerate() {
            if !reached[i] {
                let msg = match cover {
                    Some((from, to)) if to > i => {
                        let by = q.question_at(from).map_or("", |f| f.id.as_str());
                        let target = if to >= n {
                            "`end`".to_owned()
                        } else {
                            q.question_at(to)
                                .map_or(String::new(), |t| format!("`{}`", t.id))
                        };
                        format!(
                            "question `{}` is never asked: the `goto` of `{by}` always jumps over it to {target}",
                            x.id
                        )
                    }
                    _ => format!("question `{}` is never asked: no path through the questionnaire leads to it", x.id),
                };
                found.push((x.id.pos, x.id.as_str(), msg));
                continue;
            }
            if section_false[x.section] {
                reached[i + 1] = true;
                continue;
            }
            if let Some(c) = &x.show_if
                && self.cond_false(Some(c))
            {
                let msg = format!(
                    "question `{}` is never asked: its `show_if` can never hold ({})",
                    x.id,
                    c.parsed
                        .as_ref()
                        .map_or_else(|_| String::new(), |e| self.why_false(e))
                );
                found.push((c.pos, x.id.as_str(), msg));
                reached[i + 1] = true;
                continue;
            }
            let mut falls_through = true;
            for g in &x.goto {
                let truth = match &g.cond {
                    None => Some(true),
                    Some(c) => c.parsed.as_ref().ok().and_then(|e| self.truth(e, None, 0)),
                };
                if truth == Some(false) {
                    continue;
                }
                let target = if g.is_end() {
                    Some(n)
                } else {
                    match q.lookup(g.to.as_str()) {
                        Some(Named::Question(t)) => Some(t),
                        Some(Named::Section(s)) => Some(q.section_start(s)),
                        _ => None,
                    }
                };
                // Backward and unknown targets are reported elsewhere; the walk ignores them.
                let Some(t) = target.filter(|t| *t > i) else {
                    continue;
                };
                reached[t] = true;
                if truth == Some(true) {
                    falls_through = false;
                    if cover.is_none_or(|(_, to)| to <= i || t > to) {
                        cover = Some((i, t));
                    }
                    break;
                }
            }
            if falls_through {
                reached[i + 1] = true;
            }
        }
        for (pos, id, msg) in found {
            self.push(pos, Code::UnreachableQuestion, Some(id), msg);
        }
    }

    fn cond_false(&self, c: Option<&Cond>) -> bool {
        c.and_then(|c| c.parsed.as_ref().ok())
            .is_some_and(|e| self.truth(e, None, 0) == Some(false))
    }

    // -- constant truth -----------------------------------------------------------------------

    /// Whether `e` holds whatever the answers (`Some(true)`), never holds (`Some(false)`), or
    /// depends on them (`None`). Knows literals, `and`/`or`/`not`, comparisons of constants,
    /// the bounds of `count()`-like calls (0 up to the number of indicators that exist) and
    /// `positive(d)` through `d`'s `positive_when`. Anything reading answers is `None`.
    fn truth(&self, e: &Expr, dim: Option<&str>, depth: usize) -> Option<bool> {
        // Dimensions may read each other through positive(); a bound stops any cycle.
        if depth > 8 {
            return None;
        }
        match e {
            Expr::Bool(b) => Some(*b),
            Expr::Not(x) => self.truth(x, dim, depth).map(|b| !b),
            Expr::And(a, b) => match (self.truth(a, dim, depth), self.truth(b, dim, depth)) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            },
            Expr::Or(a, b) => match (self.truth(a, dim, depth), self.truth(b, dim, depth)) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            },
            Expr::Compare { op, lhs, rhs, .. } => {
                if let (Expr::Str(a), Expr::Str(b)) = (lhs.as_ref(), rhs.as_ref()) {
                    return Some(match op {
                        CompareOp::Eq => a == b,
                        CompareOp::Ne => a != b,
                        CompareOp::Lt => a < b,
                        CompareOp::Le => a <= b,
                        CompareOp::Gt => a > b,
                        CompareOp::Ge => a >= b,
                    });
                }
                let (l, r) = (self.range(lhs, dim)?, self.range(rhs, dim)?);
                compare_ranges(*op, l, r)
            }
            Expr::Call(c) if c.name.name == "positive" => {
                let Some(Expr::Ident(d)) = c.args.first() else {
                    return None;
                };
                let dimension = self.q.dimension(&d.name)?;
                let e = dimension.positive_when.parsed.as_ref().ok()?;
                self.truth(e, Some(&d.name), depth + 1)
            }
            Expr::Call(c) if c.name.name == "raised" => {
                let Some(Expr::Ident(x)) = c.args.first() else {
                    return None;
                };
                let when = match self.q.lookup(&x.name)? {
                    Named::Indicator(i) => &self.q.indicators.get(i)?.when,
                    Named::Flag(i) => &self.q.flags.get(i)?.when,
                    _ => return None,
                };
                if self.raised_by_answer.contains(x.name.as_str()) {
                    return None;
                }
                match when {
                    None => Some(false),
                    Some(c) => {
                        let e = c.parsed.as_ref().ok()?;
                        (self.truth(e, None, depth + 1) == Some(false)).then_some(false)
                    }
                }
            }
            _ => None,
        }
    }

    /// The range of values a numeric expression can take, when it does not depend on answers.
    fn range(&self, e: &Expr, dim: Option<&str>) -> Option<(f64, f64)> {
        match e {
            Expr::Number(n) => Some((*n, *n)),
            Expr::Arith { op, lhs, rhs, .. } => {
                let (a, b) = (self.range(lhs, dim)?, self.range(rhs, dim)?);
                Some(match op {
                    ArithOp::Add => (a.0 + b.0, a.1 + b.1),
                    ArithOp::Sub => (a.0 - b.1, a.1 - b.0),
                })
            }
            Expr::Call(c) => {
                let d = match c.args.as_slice() {
                    [] => dim?,
                    [Expr::Ident(d)] => d.name.as_str(),
                    _ => return None,
                };
                self.q.dimension(d)?;
                let t = self.dims.get(d).copied().unwrap_or_default();
                #[allow(clippy::cast_precision_loss)] // counts of indicators are small
                let count = |n: usize| Some((0.0, n as f64));
                match c.name.name.as_str() {
                    "strong" => count(t.strong),
                    "medium" => count(t.medium),
                    "weak" => count(t.weak),
                    "count" => count(t.strong + t.medium + t.weak),
                    "score" => Some((0.0, t.weight)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// A short reason for a constantly false expression, for the message.
    fn why_false(&self, e: &Expr) -> String {
        let mentions_counts = mentions(e, &["count", "strong", "medium", "weak", "score"]);
        if mentions_counts {
            "it needs more raised indicators, or a higher score, than the questionnaire has".into()
        } else if mentions(e, &["positive"]) {
            "it needs a dimension that can never be positive".into()
        } else if mentions(e, &["raised"]) {
            "it needs an indicator or flag that nothing raises".into()
        } else {
            "it does not depend on any answer".into()
        }
    }

    // -- expressions --------------------------------------------------------------------------

    /// Syntax errors kept by the loader, then the type checker on every parsed condition.
    fn expressions(&mut self) {
        let q = self.q;
        let mut conds: Vec<(&Cond, &str, Option<&str>, Option<usize>)> = Vec::new();
        for d in &q.dimensions {
            conds.push((&d.positive_when, d.id.as_str(), Some(d.id.as_str()), None));
        }
        for i in &q.indicators {
            if let Some(c) = &i.when {
                conds.push((c, i.id.as_str(), None, None));
            }
        }
        for f in &q.flags {
            if let Some(c) = &f.when {
                conds.push((c, f.id.as_str(), None, None));
            }
        }
        let mut index = 0;
        for (si, s) in q.sections.iter().enumerate() {
            if let Some(c) = &s.show_if {
                conds.push((c, s.id.as_str(), None, Some(q.section_start(si))));
            }
            for x in &s.questions {
                if let Some(c) = &x.show_if {
                    conds.push((c, x.id.as_str(), None, Some(index)));
                }
                for g in &x.goto {
                    if let Some(c) = &g.cond {
                        conds.push((c, x.id.as_str(), None, Some(index + 1)));
                    }
                }
                index += 1;
            }
        }
        for o in &q.outcomes {
            if let Some(c) = &o.when {
                conds.push((c, o.id.as_str(), None, None));
            }
        }
        for (c, owner, dimension, reads_before) in conds {
            match &c.parsed {
                Err(e) => {
                    let pos = self.expr_pos(c, e.at, 1);
                    self.push(
                        pos,
                        Code::ExpressionSyntax,
                        Some(owner),
                        format!("{} in `{}`", e.message, c.source),
                    );
                }
                Ok(_) => {
                    // The type checker (expr::check) is wired in once it lands on main.
                    let _ = (dimension, reads_before);
                }
            }
        }
    }
}

/// Decides a comparison between two ranges when every pair of values gives the same answer.
fn compare_ranges(op: CompareOp, (a_lo, a_hi): (f64, f64), (b_lo, b_hi): (f64, f64)) -> Option<bool> {
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

/// True when `e` calls any of `names`.
fn mentions(e: &Expr, names: &[&str]) -> bool {
    match e {
        Expr::Call(c) => {
            names.contains(&c.name.name.as_str()) || c.args.iter().any(|a| mentions(a, names))
        }
        Expr::Not(x) => mentions(x, names),
        Expr::And(a, b) | Expr::Or(a, b) => mentions(a, names) || mentions(b, names),
        Expr::Compare { lhs, rhs, .. } | Expr::Arith { lhs, rhs, .. } => {
            mentions(lhs, names) || mentions(rhs, names)
        }
        Expr::In { lhs, list, .. } => mentions(lhs, names) || list.iter().any(|x| mentions(x, names)),
        _ => false,
    }
}
