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

use ahash::{HashMap, HashMapExt, HashSet};

use super::expr::fold::{self, Facts};
use super::expr::{self, Call, Expr};
use super::finding::{Code, Finding};
use super::load::finding;
use super::model::{Cond, Kind, Named, Pos, Questionnaire, Strength, Text};
use super::suggest::suggest;

/// Runs every check on `q` and returns the findings sorted by (line, column).
#[must_use]
pub fn lint(q: &Questionnaire) -> Vec<Finding> {
    let mut l = Linter::new(q);
    l.duplicates();
    l.translations();
    l.references();
    l.gotos();
    l.choices();
    l.fills();
    l.outcomes();
    l.sections();
    l.unused();
    l.reachability();
    l.expressions();
    let mut out = l.out;
    out.sort_by(|a, b| {
        (a.line, a.column.unwrap_or(0), a.code).cmp(&(b.line, b.column.unwrap_or(0), b.code))
    });
    // The translations' findings name their PO files: after the questionnaire's own, file by
    // file.
    out.extend(super::translation::lint(q));
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
        let start = self
            .line_starts
            .get(line.wrapping_sub(1))
            .copied()
            .unwrap_or(0);
        let column = text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        // A one-byte mark on a character of several bytes (`\u{202e}` where an operator was
        // expected) is widened to the whole character, so the span can be cut from the text
        // (found by tests/fuzz_readers.rs).
        let mut end = (offset + len).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        Pos {
            line,
            column,
            offset,
            len: end - offset,
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
                // `choices: []` is fixed on its own line; a missing `choices:` in the question.
                self.push(
                    x.choices_pos.unwrap_or(x.id.pos),
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

    // -- schema: a field filled twice ------------------------------------------------------------

    /// Each field may be filled by one question only: with two, the program could not tell
    /// which answer the referral form should take. (The loader checks each `fills:` alone.)
    fn fills(&mut self) {
        let mut first: HashMap<super::model::FillField, &str> = HashMap::new();
        for x in self.q.questions() {
            let Some(f) = x.fills else { continue };
            match first.get(&f.field) {
                Some(earlier) => {
                    let msg = format!(
                        "question `{}` fills `{}`, which question `{earlier}` already fills; a field is filled by one question only",
                        x.id, f.field
                    );
                    self.push(f.pos, Code::Schema, Some(x.id.as_str()), msg);
                }
                None => {
                    first.insert(f.field, x.id.as_str());
                }
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
                self.push(
                    last.id.pos,
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
                    _ => format!(
                        "question `{}` is never asked: no path through the questionnaire leads to it",
                        x.id
                    ),
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
                found.push((x.id.pos, x.id.as_str(), msg));
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
    /// depends on them (`None`): the one constant folder of [`expr::fold`], told what this
    /// questionnaire allows (see the [`Facts`] impl below).
    fn truth(&self, e: &Expr, dim: Option<&str>, depth: usize) -> Option<bool> {
        fold::truth(e, self, dim, depth)
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
                        format!("{} in `{}`", e.message, shortened(&c.source)),
                    );
                }
                Ok(e) => {
                    let ctx = expr::CheckContext {
                        dimension,
                        reads_before,
                    };
                    for p in expr::check(e, q, &ctx) {
                        let pos = self.expr_pos(c, p.at, p.len);
                        // The finding names the item the condition belongs to (where the
                        // trainer must edit), as every other finding does; the message names
                        // the id at fault.
                        self.push(pos, p.code, Some(owner), p.message);
                    }
                }
            }
        }
    }
}

/// What lint knows without answers: `positive(d)` through `d`'s `positive_when`, `raised(x)`
/// of an indicator or flag that no answer raises through its `when`, and the bounds of
/// `count()`-like calls (0 up to the number of indicators that exist).
impl Facts for Linter<'_> {
    fn call_truth(&self, c: &Call, _dim: Option<&str>, depth: usize) -> Option<bool> {
        // Dimensions may read each other through positive(); a bound stops any cycle.
        if depth > 8 {
            return None;
        }
        match c.name.name.as_str() {
            "positive" => {
                let Some(Expr::Ident(d)) = c.args.first() else {
                    return None;
                };
                let dimension = self.q.dimension(&d.name)?;
                let e = dimension.positive_when.parsed.as_ref().ok()?;
                fold::truth(e, self, Some(&d.name), depth + 1)
            }
            "raised" => {
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
                        (fold::truth(e, self, None, depth + 1) == Some(false)).then_some(false)
                    }
                }
            }
            _ => None,
        }
    }

    fn call_range(&self, c: &Call, dim: Option<&str>) -> Option<(f64, f64)> {
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
}

/// A condition as quoted in a message: whole when short, else its start and end (a refused
/// 30,000-term condition must not become a 300 KB line).
fn shortened(source: &str) -> String {
    const KEEP: usize = 40;
    let chars: Vec<char> = source.chars().collect();
    if chars.len() <= 2 * KEEP + 10 {
        return source.to_owned();
    }
    let head: String = chars.iter().take(KEEP).collect();
    let tail: String = chars.iter().skip(chars.len() - KEEP).collect();
    format!("{head} ... {tail}")
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
        Expr::In { lhs, list, .. } => {
            mentions(lhs, names) || list.iter().any(|x| mentions(x, names))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::expr::CompareOp;
    use crate::questionnaire::expr::fold::compare_ranges;
    use crate::questionnaire::load::load_str;

    const BASE: &str = r#"format: 1
id: t
version: "1"
languages: [en]
title: T
dimensions:
  - id: control
    label: Control
    positive_when: "strong() >= 1"
indicators:
  - id: papers_taken
    dimension: control
    strength: strong
    label: Papers taken
sections:
  - id: main
    title: Main
    questions:
      - id: passport
        kind: yes_no
        text: Passport?
        raises:
          yes: [papers_taken]
      - id: hours
        kind: number
        text: Hours?
      - id: notes
        kind: text
        text: Notes?
  - id: closing
    title: Closing
    questions:
      - id: wants_help
        kind: yes_no
        text: Help?
outcomes:
  - id: refer
    when: "positive(control)"
    label: Refer
    advice: Refer.
    referral: recommended
  - id: none_seen
    label: None
    advice: Card.
    referral: offered
"#;

    fn lint_text(text: &str) -> Vec<Finding> {
        lint(&load_str(text, "t.yaml").unwrap())
    }

    fn codes(text: &str) -> Vec<(Code, usize, Option<String>)> {
        lint_text(text)
            .into_iter()
            .map(|f| (f.code, f.line, f.id))
            .collect()
    }

    fn with_goto(on: &str, goto: &str) -> String {
        let anchor = format!("      - id: {on}\n");
        let at = BASE.find(&anchor).unwrap() + anchor.len();
        let end = BASE[at..]
            .find("      - id:")
            .map_or(BASE.len(), |i| at + i);
        let end = BASE[at..end]
            .find("  - id: closing")
            .map_or(end, |i| at + i);
        format!("{}        goto:\n{goto}{}", &BASE[..end], &BASE[end..])
    }

    #[test]
    fn the_base_is_clean() {
        assert_eq!(lint_text(BASE), vec![]);
    }

    #[test]
    fn a_conditional_goto_reaches_both_ways() {
        let text = with_goto(
            "passport",
            "          - if: \"passport == 'no'\"\n            to: closing\n",
        );
        assert_eq!(codes(&text), vec![]);
    }

    #[test]
    fn an_unconditional_goto_to_a_section_skips_what_lies_between() {
        let text = with_goto("passport", "          - to: closing\n");
        let found = codes(&text);
        assert_eq!(
            found,
            vec![
                (Code::UnreachableQuestion, 26, Some("hours".into())),
                (Code::UnreachableQuestion, 29, Some("notes".into())),
            ]
        );
        let f = &lint_text(&text)[0];
        assert!(
            f.message
                .contains("the `goto` of `passport` always jumps over it to `wants_help`"),
            "{}",
            f.message
        );
    }

    #[test]
    fn a_goto_whose_if_always_holds_is_unconditional() {
        let text = with_goto("hours", "          - if: \"1 < 2\"\n            to: end\n");
        let found = codes(&text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|f| f.0 == Code::UnreachableQuestion));
    }

    #[test]
    fn gotos_may_not_go_back_or_into_their_own_section() {
        let text = with_goto(
            "hours",
            "          - if: \"hours > 3\"\n            to: passport\n          - if: \"hours > 4\"\n            to: main\n          - if: \"hours > 5\"\n            to: hours\n",
        );
        let found = codes(&text);
        assert_eq!(
            found.iter().filter(|f| f.0 == Code::BackwardGoto).count(),
            3,
            "{found:?}"
        );
    }

    #[test]
    fn goto_targets_must_exist_and_be_questions_or_sections() {
        let text = with_goto(
            "hours",
            "          - if: \"hours > 3\"\n            to: wants_hlp\n          - to: papers_taken\n",
        );
        let f = lint_text(&text);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert!(
            f[0].message.contains("did you mean `wants_help`?"),
            "{}",
            f[0].message
        );
        assert!(
            f[1].message.contains("`papers_taken` is an indicator"),
            "{}",
            f[1].message
        );
    }

    #[test]
    fn a_section_that_is_never_shown_is_reported_once() {
        let text = BASE.replace(
            "    title: Closing\n",
            "    title: Closing\n    show_if: \"false\"\n",
        );
        assert_eq!(
            codes(&text),
            vec![(Code::UnreachableQuestion, 30, Some("closing".into()))]
        );
    }

    #[test]
    fn positive_of_a_dimension_that_can_never_be_positive_is_false() {
        let text = BASE.replace("strong() >= 1", "strong() >= 2");
        let found = codes(&text);
        assert_eq!(
            found,
            vec![(Code::UnreachableOutcome, 37, Some("refer".into()))]
        );
        // A score beyond the sum of the weights, too.
        let text = BASE.replace("strong() >= 1", "score() > 1");
        assert_eq!(codes(&text).len(), 1);
        let text = BASE.replace("strong() >= 1", "score() >= 1");
        assert_eq!(codes(&text), vec![]);
    }

    #[test]
    fn outcomes_after_one_that_always_holds_or_with_the_same_when() {
        let text = BASE.replace(
            "  - id: none_seen\n",
            "  - id: again\n    when: \"positive(control)\"\n    label: A\n    advice: A.\n    referral: none\n  - id: always\n    when: \"count(control) >= 0\"\n    label: A\n    advice: A.\n    referral: none\n  - id: never\n    when: \"positive(control)  or  true\"\n    label: A\n    advice: A.\n    referral: none\n  - id: none_seen\n",
        );
        let found = codes(&text);
        assert_eq!(
            found
                .iter()
                .map(|f| f.2.clone().unwrap())
                .collect::<Vec<_>>(),
            ["again", "never"],
            "{found:?}"
        );
        assert!(found.iter().all(|f| f.0 == Code::UnreachableOutcome));
    }

    #[test]
    fn default_outcome_rules() {
        let text = BASE.replace(
            "  - id: none_seen\n",
            "  - id: none_seen\n    when: \"true\"\n",
        );
        assert_eq!(
            codes(&text),
            vec![(Code::NoDefaultOutcome, 42, Some("none_seen".into()))]
        );
        let text = BASE.replace(
            "  - id: refer\n    when: \"positive(control)\"\n",
            "  - id: refer\n",
        );
        assert_eq!(
            codes(&text),
            vec![(Code::NoDefaultOutcome, 41, Some("none_seen".into()))]
        );
    }

    #[test]
    fn duplicates_across_kinds_and_within_choices() {
        let text = BASE.replace("      - id: notes\n", "      - id: refer\n");
        let f = lint_text(&text);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!((f[0].code, f[0].line), (Code::DuplicateId, 37));
        assert!(
            f[0].message
                .contains("outcome id `refer` is already used by the question at line 27"),
            "{}",
            f[0].message
        );
        let text = BASE.replace(
            "        kind: text\n        text: Notes?\n",
            "        kind: single\n        text: Notes?\n        choices:\n          - {id: a, label: A}\n          - {id: a, label: B}\n",
        );
        assert_eq!(
            codes(&text),
            vec![(Code::DuplicateId, 32, Some("notes".into()))]
        );
    }

    #[test]
    fn raises_must_name_an_indicator_or_flag() {
        let text = BASE.replace("yes: [papers_taken]", "yes: [papers_taken, hours]");
        let f = lint_text(&text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code, Code::UnknownReference);
        assert!(
            f[0].message.contains("`hours` is a question"),
            "{}",
            f[0].message
        );
        let text = BASE.replace("dimension: control", "dimension: controll");
        let f = lint_text(&text);
        assert!(
            f.iter().any(|f| f.code == Code::UnknownReference
                && f.message.contains("did you mean `control`?"))
        );
    }

    #[test]
    fn empty_translations_are_missing() {
        let text = BASE
            .replace("languages: [en]", "languages: [nb, en]")
            .replace(": T\n", ": {nb: T, en: T}\n")
            .replace("label: Control", "label: {nb: Kontroll, en: \" \"}");
        let text = text
            .lines()
            .map(|l| {
                if let Some((k, v)) = l.split_once(": ")
                    && (k.ends_with("label")
                        || k.ends_with("title")
                        || k.ends_with("text")
                        || k.ends_with("advice"))
                    && !v.starts_with('{')
                {
                    format!("{k}: {{nb: \"{v}\", en: \"{v}\"}}")
                } else {
                    l.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let f = lint_text(&text);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].code, Code::MissingTranslation);
        assert!(f[0].message.contains("empty `en` text"), "{}", f[0].message);
    }

    #[test]
    fn flags_nothing_raises_are_unused() {
        let text = BASE.replace(
            "sections:\n",
            "flags:\n  - id: minor\n    label: Minor\n    advice: Call.\n    when: \"false\"\nsections:\n",
        );
        assert_eq!(
            codes(&text),
            vec![(Code::UnusedIndicator, 16, Some("minor".into()))]
        );
    }

    #[test]
    fn expression_problems_point_inside_the_expression() {
        let text = BASE.replace(
            "        kind: text\n        text: Notes?\n",
            "        kind: text\n        show_if: \"hours > 'x'  and  wants_help == 'yes'\"\n        text: Notes?\n",
        );
        let f = lint_text(&text);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!((f[0].code, f[0].line), (Code::TypeMismatch, 29));
        assert_eq!(f[1].code, Code::ForwardReference);
        assert_eq!(f[1].column, Some(37));
        assert_eq!(f[1].id.as_deref(), Some("notes"));
        assert!(f[0].column < f[1].column);
    }

    #[test]
    fn findings_are_sorted_by_line_and_column() {
        let text = BASE
            .replace("      - id: notes\n", "      - id: control\n")
            .replace("yes: [papers_taken]", "yes: [nothing]")
            .replace("    title: Closing\n    questions:\n      - id: wants_help\n        kind: yes_no\n        text: Help?\n", "    title: Closing\n    questions: []\n");
        let f = lint_text(&text);
        let keys: Vec<(usize, Option<usize>)> = f.iter().map(|f| (f.line, f.column)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert!(f.len() >= 4, "{f:#?}");
    }

    #[test]
    fn ranges_of_counts() {
        assert_eq!(
            compare_ranges(CompareOp::Ge, (0.0, 1.0), (2.0, 2.0)),
            Some(false)
        );
        assert_eq!(
            compare_ranges(CompareOp::Ge, (0.0, 1.0), (0.0, 0.0)),
            Some(true)
        );
        assert_eq!(compare_ranges(CompareOp::Ge, (0.0, 3.0), (2.0, 2.0)), None);
        assert_eq!(
            compare_ranges(CompareOp::Eq, (1.0, 1.0), (1.0, 1.0)),
            Some(true)
        );
        assert_eq!(
            compare_ranges(CompareOp::Ne, (0.0, 1.0), (5.0, 5.0)),
            Some(true)
        );
        assert_eq!(
            compare_ranges(CompareOp::Lt, (0.0, 1.0), (5.0, 5.0)),
            Some(true)
        );
    }
}
