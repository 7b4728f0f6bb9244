//! Questionnaires built by hand for the unit tests (the expression checker, the graph, the
//! session), so that they are tested without the YAML loader. The one place that builds model
//! items piece by piece: `id`, `text`, `cond`, `choice`, `question` with [`QuestionExt`] to
//! change it, [`Builder`] for a whole questionnaire, and the two shared questionnaires,
//! [`sample`] (the walk the session tests follow) and [`one_of_each`].

use std::sync::Arc;

use crate::questionnaire::expr::parse;
use crate::questionnaire::{
    Allow, Choice, Cond, Dimension, Flag, Goto, Id, Indicator, Kind, Outcome, Pos, Question,
    Questionnaire, ReferralAdvice, Section, Strength, Text,
};

pub(crate) fn id(s: &str) -> Id {
    Id {
        name: s.to_string(),
        pos: Pos::default(),
    }
}

pub(crate) fn text(s: &str) -> Text {
    Text {
        entries: vec![("en".into(), s.into())],
        pos: Pos::default(),
    }
}

pub(crate) fn cond(src: &str) -> Cond {
    Cond {
        source: src.into(),
        pos: Pos::default(),
        parsed: parse(src),
    }
}

pub(crate) fn choice(c: &str, raises: &[&str]) -> Choice {
    Choice {
        id: id(c),
        label: text(c),
        raises: raises.iter().map(|r| id(r)).collect(),
        exclusive: false,
        fills: None,
    }
}

/// Choices with these ids, raising nothing.
pub(crate) fn choice_list(ids: &[&str]) -> Vec<Choice> {
    ids.iter().map(|c| choice(c, &[])).collect()
}

/// A question with the format's defaults (required, both special answers allowed).
pub(crate) fn question(qid: &str, kind: Kind) -> Question {
    let choices = if kind == Kind::YesNo {
        vec![choice("yes", &[]), choice("no", &[])]
    } else {
        Vec::new()
    };
    Question {
        id: id(qid),
        kind,
        text: text(qid),
        guidance: None,
        observation: false,
        required: true,
        allow: Allow::default(),
        show_if: None,
        choices,
        choices_pos: None,
        min: None,
        max: None,
        goto: Vec::new(),
        fills: None,
        section: 0,
        pos: Pos::default(),
    }
}

/// Builder-style changes to a question.
pub(crate) trait QuestionExt {
    fn show_if(self, src: &str) -> Self;
    fn goto(self, cond: Option<&str>, to: &str) -> Self;
    fn choices(self, cs: Vec<Choice>) -> Self;
    fn raises(self, answer: &str, ids: &[&str]) -> Self;
    fn range(self, min: Option<f64>, max: Option<f64>) -> Self;
    fn optional(self) -> Self;
    fn allow(self, dont_know: bool, declined: bool) -> Self;
}

impl QuestionExt for Question {
    fn show_if(mut self, src: &str) -> Self {
        self.show_if = Some(cond(src));
        self
    }
    fn goto(mut self, c: Option<&str>, to: &str) -> Self {
        self.goto.push(Goto {
            cond: c.map(cond),
            to: id(to),
            pos: Pos::default(),
        });
        self
    }
    fn choices(mut self, cs: Vec<Choice>) -> Self {
        self.choices = cs;
        self
    }
    fn raises(mut self, answer: &str, ids: &[&str]) -> Self {
        if let Some(c) = self.choices.iter_mut().find(|c| c.id.name == answer) {
            c.raises = ids.iter().map(|r| id(r)).collect();
        }
        self
    }
    fn range(mut self, min: Option<f64>, max: Option<f64>) -> Self {
        self.min = min;
        self.max = max;
        self
    }
    fn optional(mut self) -> Self {
        self.required = false;
        self
    }
    fn allow(mut self, dont_know: bool, declined: bool) -> Self {
        self.allow = Allow {
            dont_know,
            declined,
        };
        self
    }
}

/// Builds a questionnaire piece by piece.
#[derive(Default)]
pub(crate) struct Builder {
    q: Questionnaire,
}

impl Builder {
    pub(crate) fn new() -> Self {
        let mut b = Self::default();
        b.q.id = "test".into();
        b.q.version = "1".into();
        b.q.languages = vec!["en".into()];
        b.q.title = text("Test");
        b
    }

    pub(crate) fn dimension(mut self, d: &str, positive_when: &str) -> Self {
        self.q.dimensions.push(Dimension {
            id: id(d),
            label: text(d),
            positive_when: cond(positive_when),
            pos: Pos::default(),
        });
        self
    }

    pub(crate) fn indicator(
        mut self,
        i: &str,
        dimension: &str,
        strength: Strength,
        weight: f64,
        when: Option<&str>,
    ) -> Self {
        self.q.indicators.push(Indicator {
            id: id(i),
            dimension: id(dimension),
            strength,
            weight,
            label: text(i),
            when: when.map(cond),
            pos: Pos::default(),
        });
        self
    }

    pub(crate) fn flag(mut self, f: &str, when: Option<&str>) -> Self {
        self.q.flags.push(Flag {
            id: id(f),
            label: text(f),
            advice: text("do something"),
            when: when.map(cond),
            immediate: false,
            pos: Pos::default(),
        });
        self
    }

    pub(crate) fn section(mut self, s: &str, show_if: Option<&str>, qs: Vec<Question>) -> Self {
        let index = self.q.sections.len();
        self.q.sections.push(Section {
            id: id(s),
            title: text(s),
            intro: None,
            show_if: show_if.map(cond),
            questions: qs
                .into_iter()
                .map(|mut q| {
                    q.section = index;
                    q
                })
                .collect(),
            pos: Pos::default(),
        });
        self
    }

    pub(crate) fn outcome(mut self, o: &str, when: Option<&str>) -> Self {
        self.q.outcomes.push(Outcome {
            id: id(o),
            when: when.map(cond),
            label: text(o),
            advice: text("advice"),
            referral: ReferralAdvice::Offered,
            pos: Pos::default(),
        });
        self
    }

    pub(crate) fn build(mut self) -> Arc<Questionnaire> {
        self.q.index();
        Arc::new(self.q)
    }
}

/// The questionnaire most session tests walk: an info item, a consent question that can end
/// the interview, a section skipped by `show_if`, a goto to a section, a `when` chain.
pub(crate) fn sample() -> Arc<Questionnaire> {
    use Kind::*;
    Builder::new()
        .dimension("recruitment", "strong() >= 1 or medium() >= 2")
        .dimension("exploitation", "strong() >= 1")
        .dimension("control", "score() >= 3")
        .indicator("deceived", "recruitment", Strength::Strong, 1.0, None)
        .indicator("arranged", "recruitment", Strength::Medium, 1.0, None)
        .indicator(
            "long_days",
            "exploitation",
            Strength::Strong,
            1.0,
            Some("hours > 12"),
        )
        .indicator("little_pay", "exploitation", Strength::Medium, 1.0, None)
        .indicator("watched", "control", Strength::Medium, 2.0, None)
        .indicator(
            "combined",
            "control",
            Strength::Weak,
            1.0,
            Some("raised(watched) and raised(little_pay)"),
        )
        .flag("minor", Some("age < 18"))
        .flag("controlled", Some("positive(control)"))
        .section(
            "start",
            None,
            vec![
                question("intro", Info),
                question("agrees", YesNo)
                    .allow(false, false)
                    .goto(Some("agrees == 'no'"), "end"),
                question("age", Number).range(Some(10.0), Some(99.0)),
            ],
        )
        .section(
            "journey",
            None,
            vec![
                question("job", YesNo),
                question("matched", YesNo)
                    .show_if("job == 'yes'")
                    .raises("no", &["deceived"]),
                question("who", Single)
                    .choices(vec![choice("self", &[]), choice("others", &["arranged"])])
                    .goto(Some("who == 'self'"), "closing"),
            ],
        )
        .section(
            "work",
            Some("job == 'yes'"),
            vec![
                question("hours", Number).range(Some(0.0), Some(24.0)),
                question("conds", Multi).choices(vec![
                    choice("unpaid", &["little_pay"]),
                    choice("watched", &["watched"]),
                    choice("none", &[]),
                ]),
                question("arrived", Date).optional(),
            ],
        )
        .section(
            "closing",
            None,
            vec![
                question("help", YesNo).allow(true, false),
                question("notes", Text).optional(),
            ],
        )
        .outcome("declined_talk", Some("agrees == 'no'"))
        .outcome(
            "refer",
            Some("positive(recruitment) and positive(exploitation)"),
        )
        .outcome(
            "some",
            Some("count(recruitment) + count(exploitation) + count(control) >= 1"),
        )
        .outcome("none_seen", None)
        .build()
}

/// One question of every kind, for the expression checker and the graph. Questions in file
/// order: 0 agrees (yes_no), 1 intro (info), 2 age (number),
/// 3 arrived (single), 4 conditions (multi), 5 notes (text), 6 released (date),
/// 7 city (single sharing no choice with `arrived`), 8 later (yes_no).
pub(crate) fn one_of_each() -> Questionnaire {
    let mut q = Questionnaire::default();
    q.id = "t".into();
    q.languages = vec!["en".into()];
    q.dimensions = vec![Dimension {
        id: id("control"),
        label: text("Control"),
        positive_when: cond("strong() >= 1"),
        pos: Pos::default(),
    }];
    q.indicators = vec![Indicator {
        id: id("debt"),
        dimension: id("control"),
        strength: Strength::Strong,
        weight: 1.0,
        label: text("Debt"),
        when: None,
        pos: Pos::default(),
    }];
    q.flags = vec![Flag {
        id: id("minor"),
        label: text("Minor"),
        advice: text("Call"),
        when: None,
        immediate: false,
        pos: Pos::default(),
    }];
    q.sections = vec![
        Section {
            id: id("start"),
            title: text("Start"),
            intro: None,
            show_if: None,
            questions: vec![
                question("agrees", Kind::YesNo),
                question("intro", Kind::Info),
                question("age", Kind::Number),
                question("arrived", Kind::Single).choices(choice_list(&[
                    "job_offer",
                    "family",
                    "other",
                ])),
            ],
            pos: Pos::default(),
        },
        Section {
            id: id("work"),
            title: text("Work"),
            intro: None,
            show_if: None,
            questions: vec![
                question("conditions", Kind::Multi).choices(choice_list(&["unpaid", "watched"])),
                question("notes", Kind::Text),
                question("released", Kind::Date),
                question("city", Kind::Single).choices(choice_list(&["oslo", "bergen"])),
                question("later", Kind::YesNo),
            ],
            pos: Pos::default(),
        },
    ];
    q.outcomes = vec![Outcome {
        id: id("done"),
        when: None,
        label: text("Done"),
        advice: text("Nothing"),
        referral: ReferralAdvice::None,
        pos: Pos::default(),
    }];
    q.index();
    q
}
