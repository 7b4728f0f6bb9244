//! Conversion from the raw serde types to the model: fills every [`Pos`], checks what serde
//! cannot (id patterns and reserved words, texts against the declared languages, fields that
//! do not fit the question's kind) and collects all of those problems as `schema` findings.

use super::errors::{finding, line_of_key, offset_of};
use super::raw::{
    RawDimension, RawFlag, RawIndicator, RawKind, RawOutcome, RawQuestion, RawQuestionnaire,
    RawReferral, RawSection, RawSpecial, RawStrength, RawText, RawTranslation, Spanned,
};
use crate::questionnaire::expr;
use crate::questionnaire::finding::{Code, Finding};
use crate::questionnaire::model::{
    Allow, Choice, Cond, Dimension, FillField, Fills, Flag, Goto, Id, Indicator, Kind, Outcome,
    Pos, Question, Questionnaire, ReferralAdvice, Section, Source, Strength, Text,
};
use crate::questionnaire::suggest::suggest;

/// Words that cannot be ids: they mean something else in expressions or in `goto`.
const RESERVED: &[&str] = &["and", "or", "not", "in", "true", "false", "end"];

pub(super) struct Convert<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
    pub(super) languages: Vec<String>,
    pub(super) findings: Vec<Finding>,
    /// The `translations:` entries that passed the checks: language, file as written, and
    /// where the file was written; the loader reads the files.
    pub(super) translations: Vec<(Id, String, Pos)>,
}

impl Convert<'_> {
    fn schema(&mut self, pos: Pos, id: Option<&str>, message: String) {
        self.findings
            .push(finding(self.file, pos, Code::Schema, id, message));
    }

    pub(super) fn questionnaire(&mut self, raw: RawQuestionnaire) -> Questionnaire {
        let qid = self.qid(&raw.id);
        self.languages(&raw.languages);
        let title = self.text(raw.title, "the title", Some(&qid.name));
        let description = raw
            .description
            .map(|t| self.text(t, "the description", Some(&qid.name)));
        let version = raw.version.value.clone();
        if version.trim().is_empty() {
            self.schema(
                raw.version.pos,
                None,
                "`version` is empty; give the content version, for example \"2025.1\"".into(),
            );
        }
        for (list, what, n) in [
            ("dimensions", "dimension", raw.dimensions.len()),
            ("indicators", "indicator", raw.indicators.len()),
            ("sections", "section", raw.sections.len()),
            ("outcomes", "outcome", raw.outcomes.len()),
        ] {
            if n == 0 {
                let line = line_of_key(self.text, list).unwrap_or(1);
                self.schema(
                    Pos {
                        line,
                        column: 1,
                        offset: offset_of(self.text, line, 1),
                        len: 0,
                    },
                    None,
                    format!("`{list}` is empty; a questionnaire needs at least one {what}"),
                );
            }
        }
        let dimensions = raw
            .dimensions
            .into_iter()
            .map(|d| self.dimension(d))
            .collect();
        let indicators = raw
            .indicators
            .into_iter()
            .map(|i| self.indicator(i))
            .collect();
        let flags = raw.flags.into_iter().map(|f| self.flag(f)).collect();
        let sections = raw
            .sections
            .into_iter()
            .enumerate()
            .map(|(i, s)| self.section(i, s))
            .collect();
        let outcomes = raw.outcomes.into_iter().map(|o| self.outcome(o)).collect();
        self.translations(raw.translations);
        // Built field by field: the index fields are private and filled by `index()`.
        let mut q = Questionnaire::default();
        q.id = qid.name;
        q.version = version;
        q.languages = self.languages.clone();
        q.title = title;
        q.description = description;
        q.dimensions = dimensions;
        q.indicators = indicators;
        q.flags = flags;
        q.sections = sections;
        q.outcomes = outcomes;
        q.source = Source {
            name: self.file.to_owned(),
            text: self.text.to_owned(),
            translations: Vec::new(),
        };
        q.index();
        q
    }

    fn languages(&mut self, raw: &Spanned<Vec<Spanned<String>>>) {
        if raw.value.is_empty() {
            self.schema(
                raw.pos,
                None,
                "`languages` is empty; declare at least one, for example `[nb, en]`".into(),
            );
        }
        for l in &raw.value {
            let pos = l.pos;
            if !is_language_tag(&l.value) {
                self.schema(
                    pos,
                    None,
                    format!(
                        "`{}` is not a language tag; use BCP 47 tags such as `nb`, `nn`, `en`",
                        l.value
                    ),
                );
            } else if self.languages.contains(&l.value) {
                self.schema(
                    pos,
                    None,
                    format!("the language `{}` is declared twice", l.value),
                );
            } else {
                self.languages.push(l.value.clone());
            }
        }
    }

    /// `translations:`: each language a tag, none an officer language or given twice, each
    /// with a file name.
    fn translations(&mut self, raw: Vec<RawTranslation>) {
        for t in raw {
            let lang_pos = t.lang.pos;
            let file_pos = t.file.pos;
            let lang = t.lang.value;
            if !is_language_tag(&lang) {
                self.schema(
                    lang_pos,
                    None,
                    format!(
                        "`{lang}` is not a language tag; use BCP 47 tags such as `ro`, `lt`, `vi`"
                    ),
                );
            } else if self.languages.contains(&lang) {
                self.schema(
                    lang_pos,
                    None,
                    format!(
                        "`{lang}` is one of the officer's `languages`, whose texts are in the file itself; `translations` are for other languages"
                    ),
                );
            } else if self.translations.iter().any(|(l, _, _)| l.name == lang) {
                self.schema(
                    lang_pos,
                    None,
                    format!("the translation into `{lang}` is listed twice"),
                );
            } else if t.file.value.trim().is_empty() {
                self.schema(
                    file_pos,
                    None,
                    format!("the translation into `{lang}` names no file; give its PO file, for example `{lang}.po`"),
                );
            } else {
                self.translations.push((
                    Id {
                        name: lang,
                        pos: lang_pos,
                    },
                    t.file.value,
                    file_pos,
                ));
            }
        }
    }

    /// The questionnaire id (dashes allowed, unlike every other id).
    fn qid(&mut self, raw: &Spanned<String>) -> Id {
        let id = Id {
            name: raw.value.clone(),
            pos: raw.pos,
        };
        if !is_id(&id.name, true) {
            self.schema(
                id.pos,
                None,
                format!(
                    "the questionnaire id `{}` must start with a lower-case letter and use only a-z, 0-9, `_` and `-`",
                    id.name
                ),
            );
        }
        id
    }

    fn id(&mut self, raw: &Spanned<String>, what: &str) -> Id {
        let id = Id {
            name: raw.value.clone(),
            pos: raw.pos,
        };
        if !is_id(&id.name, false) {
            self.schema(
                id.pos,
                Some(&id.name),
                format!(
                    "the {what} id `{}` must start with a lower-case letter and use only a-z, 0-9 and `_`",
                    id.name
                ),
            );
        } else if RESERVED.contains(&id.name.as_str()) {
            self.schema(
                id.pos,
                Some(&id.name),
                format!(
                    "`{}` cannot be a {what} id: the word is reserved in expressions and `goto`",
                    id.name
                ),
            );
        }
        id
    }

    /// A reference (to be resolved by lint): kept as written, with its position.
    fn reference(raw: &Spanned<String>) -> Id {
        Id {
            name: raw.value.clone(),
            pos: raw.pos,
        }
    }

    fn text(&mut self, raw: Spanned<RawText>, what: &str, owner: Option<&str>) -> Text {
        let pos = raw.pos;
        let entries = match raw.value {
            RawText::Map(entries) => {
                for (lang, _) in &entries {
                    if !self.languages.contains(lang) {
                        let declared = self.languages.join(", ");
                        let hint = suggest(lang, self.languages.iter().map(String::as_str))
                            .map(|s| format!("; did you mean `{s}`?"))
                            .unwrap_or_default();
                        self.schema(
                            pos,
                            owner,
                            format!(
                                "{what} has a text in `{lang}`, which is not in `languages` ({declared}){hint}"
                            ),
                        );
                    }
                }
                entries
            }
            RawText::Plain(s) => {
                if let [only] = self.languages.as_slice() {
                    vec![(only.clone(), s)]
                } else {
                    let declared = self.languages.join(", ");
                    self.schema(
                        pos,
                        owner,
                        format!(
                            "{what} is a plain string, but the questionnaire declares {} languages ({declared}); write it as a map such as `{{{}: \"...\"}}`",
                            self.languages.len(),
                            self.languages.join(": \"...\", ")
                        ),
                    );
                    vec![(self.languages.first().cloned().unwrap_or_default(), s)]
                }
            }
        };
        Text { entries, pos }
    }

    fn cond(&self, raw: Spanned<String>) -> Cond {
        let mut pos = raw.pos;
        if matches!(self.text.as_bytes().get(pos.offset), Some(b'"' | b'\'')) {
            // The span starts at the opening quote; the expression starts after it.
            pos.offset += 1;
            pos.column += 1;
        }
        pos.len = raw.value.len();
        let parsed = expr::parse(&raw.value);
        Cond {
            source: raw.value,
            pos,
            parsed,
        }
    }

    fn number(&mut self, raw: &Spanned<f64>, what: &str, owner: &str) -> Option<f64> {
        if raw.value.is_finite() {
            Some(raw.value)
        } else {
            self.schema(
                raw.pos,
                Some(owner),
                format!("`{what}` must be a finite number"),
            );
            None
        }
    }

    fn dimension(&mut self, raw: RawDimension) -> Dimension {
        let id = self.id(&raw.id, "dimension");
        Dimension {
            label: self.text(raw.label, "the label", Some(&id.name)),
            positive_when: self.cond(raw.positive_when),
            pos: id.pos,
            id,
        }
    }

    fn indicator(&mut self, raw: RawIndicator) -> Indicator {
        let id = self.id(&raw.id, "indicator");
        let weight = match &raw.weight {
            Some(w) => match self.number(w, "weight", &id.name) {
                Some(v) if v < 0.0 => {
                    self.schema(
                        w.pos,
                        Some(&id.name),
                        format!("`weight: {v}` is negative; weights are 0 or more"),
                    );
                    v
                }
                Some(v) => v,
                None => 1.0,
            },
            None => 1.0,
        };
        Indicator {
            dimension: Self::reference(&raw.dimension),
            strength: match raw.strength {
                RawStrength::Strong => Strength::Strong,
                RawStrength::Medium => Strength::Medium,
                RawStrength::Weak => Strength::Weak,
            },
            weight,
            label: self.text(raw.label, "the label", Some(&id.name)),
            when: raw.when.map(|c| self.cond(c)),
            pos: id.pos,
            id,
        }
    }

    fn flag(&mut self, raw: RawFlag) -> Flag {
        let id = self.id(&raw.id, "flag");
        Flag {
            label: self.text(raw.label, "the label", Some(&id.name)),
            advice: self.text(raw.advice, "the advice", Some(&id.name)),
            when: raw.when.map(|c| self.cond(c)),
            immediate: raw.immediate.unwrap_or(false),
            pos: id.pos,
            id,
        }
    }

    fn section(&mut self, index: usize, raw: RawSection) -> Section {
        let id = self.id(&raw.id, "section");
        Section {
            title: self.text(raw.title, "the title", Some(&id.name)),
            intro: raw.intro.map(|t| self.text(t, "the intro", Some(&id.name))),
            show_if: raw.show_if.map(|c| self.cond(c)),
            questions: raw
                .questions
                .into_iter()
                .map(|q| self.question(index, q))
                .collect(),
            pos: id.pos,
            id,
        }
    }

    #[allow(clippy::too_many_lines)] // one field after the other; splitting it hides the order
    fn question(&mut self, section: usize, raw: Spanned<RawQuestion>) -> Question {
        let start = raw.pos;
        let raw = raw.value;
        let id = self.id(&raw.id, "question");
        let name = id.name.clone();
        let kind = match raw.kind {
            RawKind::YesNo => Kind::YesNo,
            RawKind::Single => Kind::Single,
            RawKind::Multi => Kind::Multi,
            RawKind::Number => Kind::Number,
            RawKind::Text => Kind::Text,
            RawKind::Date => Kind::Date,
            RawKind::Info => Kind::Info,
        };
        let kind_word = kind.as_str();
        let mut allow = Allow {
            dont_know: false,
            declined: false,
        };
        match &raw.allow {
            None => allow = Allow::default(),
            Some(list) => {
                for s in &list.value {
                    match s.value {
                        RawSpecial::DontKnow => allow.dont_know = true,
                        RawSpecial::Declined => allow.declined = true,
                    }
                }
            }
        }
        if kind == Kind::Info {
            for (at, field) in [
                (raw.allow.as_ref().map(|a| a.pos), "allow"),
                (raw.required.as_ref().map(|r| r.pos), "required"),
                (raw.observation.as_ref().map(|o| o.pos), "observation"),
            ] {
                if let Some(at) = at {
                    self.schema(
                        at,
                        Some(&name),
                        format!(
                            "`{field}` does not apply to an `info` item, which takes no answer"
                        ),
                    );
                }
            }
        }
        // Fields that only make sense for some kinds: a trainer who writes them on another kind
        // has almost certainly picked the wrong kind, so say so instead of ignoring them.
        let mut choices = Vec::new();
        let choices_pos = raw.choices.as_ref().map(|list| list.pos);
        if let Some(list) = raw.choices {
            if matches!(kind, Kind::Single | Kind::Multi) {
                for c in list.value {
                    let cid = self.id(&c.id, "choice");
                    if matches!(cid.name.as_str(), "dont_know" | "declined") {
                        self.schema(
                            cid.pos,
                            Some(&name),
                            format!(
                                "the choice id `{}` is reserved for the special answer; use `allow:` to offer it",
                                cid.name
                            ),
                        );
                    }
                    let exclusive = c.exclusive.unwrap_or(false);
                    if exclusive && kind != Kind::Multi {
                        self.schema(
                            cid.pos,
                            Some(&name),
                            format!(
                                "`exclusive` is for the choices of multi questions, not {kind_word}: one answer is always chosen alone"
                            ),
                        );
                    }
                    choices.push(Choice {
                        label: self.text(c.label, "the choice label", Some(&name)),
                        raises: c.raises.iter().flatten().map(Self::reference).collect(),
                        exclusive,
                        fills: c.fills.as_ref().map(Self::reference),
                        id: cid,
                    });
                }
            } else {
                let why = if kind == Kind::YesNo {
                    "; its choices are always yes and no (use `raises: {yes: [...], no: [...]}`)"
                } else {
                    ""
                };
                self.schema(
                    list.pos,
                    Some(&name),
                    format!("`choices` is for single and multi questions, not {kind_word}{why}"),
                );
            }
        }
        if let Some(r) = raw.raises {
            if kind == Kind::YesNo {
                let r_pos = r.pos;
                for (answer, list) in [("yes", r.value.yes), ("no", r.value.no)] {
                    choices.push(Choice {
                        id: Id {
                            name: answer.to_owned(),
                            pos: r_pos,
                        },
                        label: yes_no_label(&self.languages, answer, r_pos),
                        raises: list.iter().flatten().map(Self::reference).collect(),
                        exclusive: false,
                        fills: None,
                    });
                }
            } else {
                let why = if matches!(kind, Kind::Single | Kind::Multi) {
                    "; put `raises:` on the choices instead"
                } else {
                    ""
                };
                self.schema(
                    r.pos,
                    Some(&name),
                    format!("`raises` on a question is for yes_no questions, not {kind_word}{why}"),
                );
            }
        }
        if kind == Kind::YesNo && choices.is_empty() {
            choices = ["yes", "no"]
                .iter()
                .map(|answer| Choice {
                    id: Id {
                        name: (*answer).to_owned(),
                        pos: start,
                    },
                    label: yes_no_label(&self.languages, answer, start),
                    raises: Vec::new(),
                    exclusive: false,
                    fills: None,
                })
                .collect();
        }
        let min = raw.min.as_ref().and_then(|m| self.number(m, "min", &name));
        let max = raw.max.as_ref().and_then(|m| self.number(m, "max", &name));
        for (field, v) in [("min", &raw.min), ("max", &raw.max)] {
            if let Some(v) = v
                && kind != Kind::Number
            {
                self.schema(
                    v.pos,
                    Some(&name),
                    format!("`{field}` is for number questions, not {kind_word}"),
                );
            }
        }
        if let (Some(lo), Some(hi), Some(m)) = (min, max, &raw.max)
            && lo > hi
        {
            self.schema(
                m.pos,
                Some(&name),
                format!("`min: {lo}` is greater than `max: {hi}`, so no answer would be accepted"),
            );
        }
        let mut goto = Vec::new();
        let entries = raw.goto.unwrap_or_default();
        let last = entries.len().saturating_sub(1);
        for (i, g) in entries.into_iter().enumerate() {
            let gpos = g.pos;
            if g.value.cond.is_none() && i != last {
                self.schema(
                    gpos,
                    Some(&name),
                    "only the last `goto` entry may leave out `if:`; the entries after it could never be used".into(),
                );
            }
            goto.push(Goto {
                cond: g.value.cond.map(|c| self.cond(c)),
                to: Self::reference(&g.value.to),
                pos: gpos,
            });
        }
        let fills = self.fills(raw.fills.as_ref(), kind, &choices, &name);
        Question {
            text: self.text(raw.text, "the text", Some(&name)),
            guidance: raw
                .guidance
                .map(|t| self.text(t, "the guidance", Some(&name))),
            observation: raw.observation.is_some_and(|o| o.value),
            required: raw.required.is_none_or(|r| r.value),
            allow,
            show_if: raw.show_if.map(|c| self.cond(c)),
            choices,
            choices_pos,
            min,
            max,
            goto,
            fills,
            section,
            pos: start,
            id,
            kind,
        }
    }

    /// Checks a question's `fills:` and its choices' values: the field exists, the question's
    /// kind can fill it, and (for a choice field) every choice names one of the field's values.
    /// A choice value on a question that fills nothing is refused too, since it would be ignored.
    fn fills(
        &mut self,
        raw: Option<&Spanned<String>>,
        kind: Kind,
        choices: &[Choice],
        name: &str,
    ) -> Option<Fills> {
        let Some(raw) = raw else {
            for c in choices {
                if let Some(v) = &c.fills {
                    self.schema(
                        v.pos,
                        Some(name),
                        format!(
                            "choice `{}` says `fills: {}` but question `{name}` has no `fills:` naming the field",
                            c.id, v.name
                        ),
                    );
                }
            }
            return None;
        };
        let pos = raw.pos;
        let Some(field) = FillField::from_name(raw.value.trim()) else {
            let names: Vec<&str> = FillField::ALL.iter().map(|f| f.as_str()).collect();
            let hint = suggest(raw.value.trim(), names.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            self.schema(
                pos,
                Some(name),
                format!(
                    "`fills: {}` names no field; a question can fill {}{hint}",
                    raw.value,
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            return None;
        };
        if kind != field.kind() {
            self.schema(
                pos,
                Some(name),
                format!(
                    "a {} question cannot fill `{field}`, which takes a {} question",
                    kind.as_str(),
                    field.kind().as_str()
                ),
            );
            return None;
        }
        let values = field.values();
        for c in choices {
            let listed = values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ");
            match &c.fills {
                None => self.schema(
                    c.id.pos,
                    Some(name),
                    format!(
                        "choice `{}` of question `{name}` has no `fills:`; since the question fills `{field}`, each choice names one of {listed}",
                        c.id
                    ),
                ),
                Some(v) if !values.contains(&v.name.as_str()) => {
                    let hint = suggest(&v.name, values.iter().copied())
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    self.schema(
                        v.pos,
                        Some(name),
                        format!(
                            "choice `{}` says `fills: {}`, which `{field}` does not take; it takes {listed}{hint}",
                            c.id, v.name
                        ),
                    );
                }
                Some(_) => {}
            }
        }
        Some(Fills { field, pos })
    }

    fn outcome(&mut self, raw: RawOutcome) -> Outcome {
        let id = self.id(&raw.id, "outcome");
        Outcome {
            when: raw.when.map(|c| self.cond(c)),
            label: self.text(raw.label, "the label", Some(&id.name)),
            advice: self.text(raw.advice, "the advice", Some(&id.name)),
            referral: match raw.referral {
                RawReferral::Recommended => ReferralAdvice::Recommended,
                RawReferral::Offered => ReferralAdvice::Offered,
                RawReferral::None => ReferralAdvice::None,
            },
            pos: id.pos,
            id,
        }
    }
}

/// The label of a synthesised yes/no choice in each declared language.
pub(super) fn yes_no_label(languages: &[String], answer: &str, pos: Pos) -> Text {
    let yes = answer == "yes";
    Text {
        entries: languages
            .iter()
            .map(|l| {
                let t = match (l.as_str(), yes) {
                    ("nb" | "nn" | "no", true) => "Ja",
                    ("nb" | "nn" | "no", false) => "Nei",
                    ("en", true) => "Yes",
                    ("en", false) => "No",
                    _ => answer,
                };
                (l.clone(), t.to_owned())
            })
            .collect(),
        pos,
    }
}

/// `[a-z][a-z0-9_]*` (with `-` too for the questionnaire id).
pub(super) fn is_id(s: &str, dashes: bool) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || (dashes && c == '-')
        })
}

/// A BCP 47 tag in its common shape: a 2-3 letter language, then subtags of 1-8 letters or
/// digits (`nb`, `en-GB`, `se`, `sr-Latn`).
pub(crate) fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}
