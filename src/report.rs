//! A referral summary as plain text or Markdown: a pure function of the loaded referral (and
//! the questionnaire snapshot it was asked with), used by `referrals show` and the review
//! screens' export.
//!
//! Questions, choices, indicators, flags and outcomes are shown with the wording of the exact
//! questionnaire the screening used. When that snapshot cannot be read (it should always load;
//! this is a safety net), ids are shown instead, so the summary is never lost.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::questionnaire::{Kind, Questionnaire};
use crate::sanitize;
use crate::screening::{Answer, Session};
use crate::store::{Expulsion, ReferralDetail, StoredAnswer};

/// Output style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Plain text for the terminal.
    Text,
    /// Markdown for export.
    Markdown,
}

/// Fills in the evidence that screenings finished before `when` conditions named the answers
/// they read did not store: each raised indicator or flag without any gets the answers its
/// condition read, found by replaying the stored answers over the questionnaire snapshot
/// (`screening` decides, as for a new screening). Without the snapshot nothing changes. The
/// summary here and the review screens both use it, so every front end names the answers.
pub fn fill_evidence(d: &mut ReferralDetail, q: Option<&Questionnaire>) {
    let s = &mut d.screening;
    let empty = |items: &[crate::store::Raised]| items.iter().any(|i| i.because.is_empty());
    let wanted = s
        .result
        .as_ref()
        .is_some_and(|r| empty(&r.indicators) || empty(&r.flags));
    let (Some(q), true) = (q, wanted) else {
        return;
    };
    let replayed = Session::restore(Arc::new(q.clone()), s.entries()).result();
    let Some(result) = s.result.as_mut() else {
        return;
    };
    for item in result.indicators.iter_mut().chain(result.flags.iter_mut()) {
        if item.because.is_empty()
            && let Some(b) = replayed.because(&item.id)
        {
            item.because = b.to_vec();
        }
    }
}

/// The referral summary. `q` is the questionnaire snapshot the screening used (None if it could
/// not be loaded); `lang` chooses the questionnaire's wording.
#[must_use]
pub fn render(d: &ReferralDetail, q: Option<&Questionnaire>, lang: &str, style: Style) -> String {
    // A screening finished before conditions named the answers they read stored no evidence
    // for a `when`: replaying its answers names them now.
    let mut filled = d.clone();
    fill_evidence(&mut filled, q);
    let d = &filled;
    let mut w = Writer {
        out: String::new(),
        style,
    };
    let s = &d.screening;
    w.title(&format!("Referral {}", d.row.id));
    w.field("Status", d.row.status.as_str());
    w.field("Made", &d.row.created_at);
    w.field("Last change", &d.row.updated_at);
    match &d.row.release_date {
        Some(date) => w.field("Release or transfer date", date),
        None => w.field("Release or transfer date", "not given"),
    }
    w.field(
        "Expulsion expected",
        match d.row.expulsion {
            Some(Expulsion::Yes) => "yes",
            Some(Expulsion::No) => "no",
            Some(Expulsion::Pending) => "decision pending",
            Some(Expulsion::Unknown) | None => "not known",
        },
    );
    w.field("Consent", d.row.consent.as_str());
    w.field("Contact", &typed(&d.contact));

    w.heading("Screening");
    w.field("Screening", &s.id);
    w.field("Unit", &typed(&s.unit));
    w.field("Officer", &typed(&s.officer));
    w.field("Person reference", &typed(&s.person));
    w.field("Gender", s.gender.as_str());
    w.field(
        "Birth year",
        &s.birth_year
            .map_or_else(|| "not given".to_owned(), |y| y.to_string()),
    );
    w.field("Nationality", &typed(&s.nationality));
    w.field("Interview language", &typed(&s.language));
    // `None`: the questionnaire asks it, and it was not answered with a value (or not yet).
    let kind = s
        .interpreter
        .map_or_else(|| "not known".to_owned(), |i| i.to_string());
    let interpreter = match &s.person_language {
        Some(l) => format!("{kind} (person's language: {})", typed(l)),
        None => kind,
    };
    w.field("Interpreter", &interpreter);
    w.field("Started", &s.started_at);
    w.field("Ended", s.ended_at.as_deref().unwrap_or("not finished"));
    w.field(
        "Questionnaire",
        &format!(
            "{} version {} (sha256 {})",
            s.questionnaire_id,
            s.questionnaire_version,
            s.questionnaire_hash
                .get(..12)
                .unwrap_or(&s.questionnaire_hash)
        ),
    );

    // An answer given and then left behind when an earlier answer changed the way through the
    // questionnaire is kept, but does not count: replaying the answers tells which.
    let session = q.map(|q| Session::restore(Arc::new(q.clone()), s.entries()));

    w.heading("Outcome");
    if let Some(r) = &s.result {
        let (label, advice) =
            q.and_then(|q| q.outcome(&r.outcome))
                .map_or((r.outcome.clone(), None), |o| {
                    (
                        format!("{} ({})", o.label.show(lang), r.outcome),
                        Some(o.advice.show(lang).to_owned()),
                    )
                });
        w.line(&label);
        if let Some(advice) = advice {
            w.line(&format!("Advice: {advice}"));
        }

        w.heading("Flags");
        if r.flags.is_empty() {
            w.line("None raised.");
        }
        for f in &r.flags {
            let item = q.and_then(|q| q.flag(&f.id)).map_or_else(
                || f.id.clone(),
                |x| format!("{} ({}): {}", x.label.show(lang), f.id, x.advice.show(lang)),
            );
            w.bullet(&item);
        }

        w.heading("Indicators");
        if r.indicators.is_empty() {
            w.line("None raised.");
        }
        for i in &r.indicators {
            let item = q.and_then(|q| q.indicator(&i.id)).map_or_else(
                || i.id.clone(),
                |x| {
                    format!(
                        "{} ({}; {}, {})",
                        x.label.show(lang),
                        i.id,
                        x.dimension,
                        x.strength.as_str()
                    )
                },
            );
            w.bullet(&item);
            let because = &i.because;
            if because.is_empty() {
                w.sub("raised by the questionnaire's rule over other findings, not by one answer");
            }
            for qid in because {
                let answer = s.answer(qid);
                let text = question_text(q, qid, lang);
                let given = answer.map_or_else(
                    || "no answer".to_owned(),
                    |a| answer_text(q, qid, a.answer.as_ref(), lang),
                );
                w.sub(&format!("because of \"{text}\": {given}"));
            }
        }

        w.heading("Positive dimensions");
        if r.positive.is_empty() {
            w.line("None.");
        }
        for dim in &r.positive {
            let item = q.and_then(|q| q.dimension(dim)).map_or_else(
                || dim.clone(),
                |x| format!("{} ({dim})", x.label.show(lang)),
            );
            w.bullet(&item);
        }
    } else {
        w.line("The screening is not finished.");
    }

    w.heading("Answers as asked");
    if s.answers.is_empty() {
        w.line("No answers.");
    }
    for (n, a) in s.answers.iter().enumerate() {
        let counted = session.as_ref().is_none_or(|x| x.on_path(&a.question_id));
        answer_block(&mut w, q, n + 1, a, lang, counted);
    }

    w.heading("History and notes");
    for e in &d.events {
        let what = match (e.kind.as_str(), e.from, e.to) {
            ("created", _, _) => "referral made".to_owned(),
            ("status", Some(f), Some(t)) => format!("status {f} -> {t}"),
            ("note", _, _) => "note".to_owned(),
            (k, _, _) => k.to_owned(),
        };
        let note = e
            .note
            .as_ref()
            .map(|n| format!(": {}", typed(n)))
            .unwrap_or_default();
        w.bullet(&format!("{} {} ({}){note}", e.at, what, typed(&e.actor)));
    }
    w.out
}

fn question_text(q: Option<&Questionnaire>, qid: &str, lang: &str) -> String {
    q.and_then(|q| q.question(qid))
        .map_or_else(|| qid.to_owned(), |x| x.text.show(lang).to_owned())
}

fn answer_block(
    w: &mut Writer,
    q: Option<&Questionnaire>,
    n: usize,
    a: &StoredAnswer,
    lang: &str,
    counted: bool,
) {
    let question = q.and_then(|q| q.question(&a.question_id));
    let text = question_text(q, &a.question_id, lang);
    if question.is_some() {
        w.numbered(n, &format!("{text} ({})", a.question_id));
    } else {
        w.numbered(n, &a.question_id);
    }
    let is_info = question.is_some_and(|x| x.kind == Kind::Info);
    if !is_info {
        w.sub(&format!(
            "Answer: {}",
            answer_text(q, &a.question_id, a.answer.as_ref(), lang)
        ));
    }
    if !counted {
        w.sub("Not counted: no longer asked after an earlier answer was changed");
    }
    if let Some(note) = &a.note {
        w.sub(&format!("Note: {}", typed(note)));
    }
    for e in &a.history {
        w.sub(&format!(
            "Earlier answer: {} (given {}, changed {})",
            answer_text(q, &a.question_id, e.answer.as_ref(), lang),
            e.answered_at,
            e.replaced_at
        ));
    }
}

/// Text that someone typed (a person reference, unit, officer, contact, note, text answer):
/// control characters and bidi controls shown as escapes, whatever the output style.
fn typed(s: &str) -> std::borrow::Cow<'_, str> {
    sanitize::visible(s)
}

/// An answer in words: choice labels from the questionnaire when known.
fn answer_text(q: Option<&Questionnaire>, qid: &str, a: Option<&Answer>, lang: &str) -> String {
    let question = q.and_then(|q| q.question(qid));
    let label = |id: &str| {
        question
            .and_then(|x| x.choice(id))
            .map_or_else(|| id.to_owned(), |c| c.label.show(lang).to_owned())
    };
    match a {
        None => "left unanswered".to_owned(),
        Some(Answer::Choice(c)) => label(c),
        Some(Answer::Choices(cs)) if cs.is_empty() => "none of them".to_owned(),
        Some(Answer::Choices(cs)) => cs.iter().map(|c| label(c)).collect::<Vec<_>>().join(", "),
        Some(Answer::Number(x)) => format_number(*x),
        Some(Answer::Text(t)) => format!("\"{}\"", typed(t)),
        Some(Answer::Date(d)) => d.clone(),
        Some(Answer::DontKnow) => "does not know".to_owned(),
        Some(Answer::Declined) => "did not want to answer".to_owned(),
    }
}

/// 14 rather than 14.0; other values as Rust prints them.
fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        x.to_string()
    }
}

struct Writer {
    out: String,
    style: Style,
}

impl Writer {
    /// Every text is shown as data: control characters as escapes (typed fields have passed
    /// through [`typed`] as well); in Markdown it also cannot turn into headings, list items,
    /// links or HTML.
    fn esc(&self, s: &str) -> String {
        match self.style {
            Style::Text => sanitize::visible_text(s).into_owned(),
            Style::Markdown => sanitize::markdown_inline(s),
        }
    }

    fn title(&mut self, t: &str) {
        let t = self.esc(t);
        match self.style {
            Style::Text => {
                let _ = writeln!(self.out, "{t}\n{}", "=".repeat(t.chars().count()));
            }
            Style::Markdown => {
                let _ = writeln!(self.out, "# {t}\n");
            }
        }
    }

    fn heading(&mut self, t: &str) {
        match self.style {
            Style::Text => {
                let _ = writeln!(self.out, "\n{t}\n{}", "-".repeat(t.chars().count()));
            }
            Style::Markdown => {
                let _ = writeln!(self.out, "\n## {t}\n");
            }
        }
    }

    fn field(&mut self, k: &str, v: &str) {
        let v = self.esc(v);
        match self.style {
            Style::Text => {
                let _ = writeln!(self.out, "{k}: {v}");
            }
            Style::Markdown => {
                let _ = writeln!(self.out, "- **{k}:** {v}");
            }
        }
    }

    fn line(&mut self, t: &str) {
        let t = self.esc(t);
        let _ = writeln!(self.out, "{t}");
    }

    fn bullet(&mut self, t: &str) {
        let t = self.esc(t);
        let _ = writeln!(self.out, "- {t}");
    }

    fn numbered(&mut self, n: usize, t: &str) {
        let t = self.esc(t);
        let _ = writeln!(self.out, "{n}. {t}");
    }

    fn sub(&mut self, t: &str) {
        let t = self.esc(t);
        let _ = writeln!(self.out, "   - {t}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_without_trailing_zero() {
        assert_eq!(format_number(14.0), "14");
        assert_eq!(format_number(2.5), "2.5");
    }

    #[test]
    fn markdown_escapes_user_text() {
        let w = Writer {
            out: String::new(),
            style: Style::Markdown,
        };
        assert_eq!(w.esc("# [x](y) <b>"), "\\# \\[x\\](y) \\<b\\>");
    }

    #[test]
    fn answers_without_questionnaire_show_ids() {
        assert_eq!(
            answer_text(
                None,
                "q",
                Some(&Answer::Choices(vec!["a".into(), "b".into()])),
                "en"
            ),
            "a, b"
        );
        assert_eq!(
            answer_text(None, "q", Some(&Answer::Declined), "en"),
            "did not want to answer"
        );
        assert_eq!(answer_text(None, "q", None, "en"), "left unanswered");
    }
}
