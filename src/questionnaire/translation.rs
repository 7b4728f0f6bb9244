//! Translations for the person being interviewed (`translations:`, gettext PO files): which
//! texts are messages and under which `msgctxt`, the `untranslated` and `stale-translation`
//! checks, the second language the front ends show, writing and updating a PO file for
//! `questionnaire translate`, and the pseudo-language used to find cut text.
//!
//! Each text's `msgctxt` is its place in the questionnaire (`question.debt.text`,
//! `question.debt.choice.family.label`, `outcome.refer.advice`) and its `msgid` the text in
//! the first officer language. A message is used only when both match the current text, so a
//! changed question is never shown in its old translation. The program's own words that the
//! person sees are messages too, under `program.*` ([`PROGRAM`]).

use std::collections::HashSet;

use super::finding::{Code, Finding};
use super::model::{Kind, Question, Questionnaire, Section, Text, Translation};
use super::po::{self, Header, OutMessage, PoFile};

/// The language tag that `questionnaire translate` fills with the pseudo-language instead of
/// leaving new messages empty (the `qps-ploc` of Windows' pseudo-locales).
pub const PSEUDO_LANG: &str = "qps-ploc";

/// The program's own words that the person sees, as messages: `(msgctxt, English,
/// Norwegian)`. The msgid is the Norwegian text when the questionnaire's first language is a
/// Norwegian one, the English text otherwise.
pub const PROGRAM: &[(&str, &str, &str)] = &[
    ("program.yes", "Yes", "Ja"),
    ("program.no", "No", "Nei"),
    ("program.dont_know", "Don't know", "Vet ikke"),
    (
        "program.declined",
        "I do not want to answer",
        "Jeg vil ikke svare",
    ),
    (
        "program.helpline",
        "You can call ROSA at any time, day and night: +47 22 33 11 60",
        "Du kan ringe ROSA når som helst, dag og natt: +47 22 33 11 60",
    ),
];

/// The program's words the person sees, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgramWord {
    /// The answer yes.
    Yes,
    /// The answer no.
    No,
    /// "Don't know".
    DontKnow,
    /// "I do not want to answer".
    Declined,
    /// The helpline card.
    Helpline,
}

impl ProgramWord {
    fn index(self) -> usize {
        match self {
            Self::Yes => 0,
            Self::No => 1,
            Self::DontKnow => 2,
            Self::Declined => 3,
            Self::Helpline => 4,
        }
    }
}

/// A BCP 47 language tag in its common shape (`ro`, `pt-BR`, `qps-ploc`).
#[must_use]
pub fn is_language_tag(s: &str) -> bool {
    super::load::is_language_tag(s)
}

fn is_norwegian(lang: &str) -> bool {
    matches!(lang.split('-').next(), Some("nb" | "nn" | "no"))
}

/// The program word's text in the officer language `lang` (Norwegian or English).
#[must_use]
pub fn program_text(word: ProgramWord, lang: &str) -> &'static str {
    let (_, en, nb) = PROGRAM[word.index()];
    if is_norwegian(lang) { nb } else { en }
}

/// One text of the questionnaire as a translation message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// `msgctxt`: where the text stands (`question.debt.text`).
    pub ctxt: String,
    /// `msgid`: the text in the first officer language.
    pub source: String,
    /// The other officer languages' texts, for the translator.
    pub others: Vec<(String, String)>,
    /// What the text is for, for the translator.
    pub note: &'static str,
}

/// Every text of `q` as a message, in file order, then the program's words.
#[must_use]
pub fn places(q: &Questionnaire) -> Vec<Place> {
    let first = q.default_language().to_owned();
    let mut out = Vec::new();
    let mut add = |ctxt: String, text: &Text, note: &'static str| {
        out.push(Place {
            ctxt,
            source: text.show(&first).to_owned(),
            others: text
                .entries
                .iter()
                .filter(|(l, _)| *l != first)
                .cloned()
                .collect(),
            note,
        });
    };
    add(
        "questionnaire.title".into(),
        &q.title,
        "The questionnaire's title.",
    );
    if let Some(d) = &q.description {
        add(
            "questionnaire.description".into(),
            d,
            "The questionnaire's description, for the officer.",
        );
    }
    for s in &q.sections {
        add(
            format!("section.{}.title", s.id),
            &s.title,
            "A section's title.",
        );
        if let Some(i) = &s.intro {
            add(
                format!("section.{}.intro", s.id),
                i,
                "Said or shown at the start of a section.",
            );
        }
        for qu in &s.questions {
            let note = if qu.kind == Kind::Info {
                "Read out or shown to the person."
            } else if qu.observation {
                "An observation of the officer's: not asked aloud, not shown to the person."
            } else {
                "A question asked aloud; shown to the person under the officer's text."
            };
            add(format!("question.{}.text", qu.id), &qu.text, note);
            if let Some(g) = &qu.guidance {
                add(
                    format!("question.{}.guidance", qu.id),
                    g,
                    "Guidance for the officer only: never shown to the person.",
                );
            }
            // yes and no are the program's words (program.yes, program.no).
            if qu.kind != Kind::YesNo {
                for c in &qu.choices {
                    add(
                        format!("question.{}.choice.{}.label", qu.id, c.id),
                        &c.label,
                        "An answer the person may give; shown under the officer's text.",
                    );
                }
            }
        }
    }
    for d in &q.dimensions {
        add(
            format!("dimension.{}.label", d.id),
            &d.label,
            "For the officer's summary: not shown to the person.",
        );
    }
    for i in &q.indicators {
        add(
            format!("indicator.{}.label", i.id),
            &i.label,
            "For the officer's summary: not shown to the person.",
        );
    }
    for f in &q.flags {
        add(
            format!("flag.{}.label", f.id),
            &f.label,
            "For the officer: not shown to the person.",
        );
        add(
            format!("flag.{}.advice", f.id),
            &f.advice,
            "Advice for the officer: not shown to the person.",
        );
    }
    for o in &q.outcomes {
        add(
            format!("outcome.{}.label", o.id),
            &o.label,
            "For the officer's summary: not shown to the person.",
        );
        add(
            format!("outcome.{}.advice", o.id),
            &o.advice,
            "Advice for the officer: not shown to the person.",
        );
    }
    for &(ctxt, en, nb) in PROGRAM {
        let (source, other) = if is_norwegian(&first) {
            (nb, ("en", en))
        } else {
            (en, ("nb", nb))
        };
        out.push(Place {
            ctxt: ctxt.to_owned(),
            source: source.to_owned(),
            others: vec![(other.0.to_owned(), other.1.to_owned())],
            note: "The program's own words, shown to the person.",
        });
    }
    out
}

/// How far one translation is: counts over the questionnaire's texts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Texts of the questionnaire (and program words).
    pub texts: usize,
    /// Translated, matching msgctxt and msgid, not fuzzy.
    pub translated: usize,
    /// No message, or an empty msgstr.
    pub missing: usize,
    /// Marked fuzzy.
    pub fuzzy: usize,
    /// The msgctxt matches but the msgid is an older source text.
    pub stale: usize,
}

/// Counts how far `t` covers `places`.
#[must_use]
pub fn coverage(places: &[Place], t: &Translation) -> Coverage {
    let mut c = Coverage {
        texts: places.len(),
        ..Coverage::default()
    };
    for p in places {
        let mut at = t.at(&p.ctxt).peekable();
        if at.peek().is_none() {
            c.missing += 1;
            continue;
        }
        match at.find(|m| m.id == p.source) {
            None => c.stale += 1,
            Some(m) if m.text.is_empty() => c.missing += 1,
            Some(m) if m.fuzzy => c.fuzzy += 1,
            Some(_) => c.translated += 1,
        }
    }
    c
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The `untranslated` and `stale-translation` warnings of every translation of `q`: per PO
/// file one `untranslated` finding with the counts (on line 1 of the PO file, id the
/// language), and one `stale-translation` finding per message whose msgctxt names no text (on
/// the message's line, id the msgctxt).
#[must_use]
pub fn lint(q: &Questionnaire) -> Vec<Finding> {
    if q.translations.is_empty() {
        return Vec::new();
    }
    let places = places(q);
    let known: HashSet<&str> = places.iter().map(|p| p.ctxt.as_str()).collect();
    let mut out = Vec::new();
    for t in &q.translations {
        let c = coverage(&places, t);
        let not = c.missing + c.fuzzy + c.stale;
        if not > 0 {
            out.push(Finding {
                file: t.path.clone(),
                line: 1,
                column: None,
                code: Code::Untranslated,
                severity: Code::Untranslated.severity(),
                id: Some(t.lang.name.clone()),
                message: format!(
                    "{not} of {} are not translated into `{}` ({} untranslated, {} fuzzy, {} stale: their source text changed); the person sees those in no second language",
                    plural(c.texts, "text", "texts"),
                    t.lang.name,
                    c.missing,
                    c.fuzzy,
                    c.stale
                ),
                span: None,
            });
        }
        for m in &t.messages {
            let named = m.ctxt.as_deref().filter(|c| known.contains(c));
            if named.is_some() {
                continue;
            }
            let message = match &m.ctxt {
                Some(c) => format!(
                    "msgctxt `{c}` names no text of the questionnaire (removed or renamed); `questionnaire translate` drops it"
                ),
                None => "this message has no msgctxt, so it names no text of the questionnaire; `questionnaire translate` drops it".to_owned(),
            };
            out.push(Finding {
                file: t.path.clone(),
                line: m.line,
                column: None,
                code: Code::StaleTranslation,
                severity: Code::StaleTranslation.severity(),
                id: m.ctxt.clone(),
                message,
                span: None,
            });
        }
    }
    out
}

/// The person's second language for one interview: the texts of a questionnaire's
/// translation that match the current texts.
#[derive(Debug, Clone, Copy)]
pub struct Second<'q> {
    q: &'q Questionnaire,
    t: &'q Translation,
}

impl<'q> Second<'q> {
    /// The second language `lang` of `q`, when `q` has a translation into it.
    #[must_use]
    pub fn of(q: &'q Questionnaire, lang: &str) -> Option<Self> {
        q.translation(lang).map(|t| Self { q, t })
    }

    /// The language tag.
    #[must_use]
    pub fn lang(&self) -> &'q str {
        &self.t.lang.name
    }

    fn get(&self, ctxt: &str, text: &Text) -> Option<&'q str> {
        self.t.get(ctxt, text.show(self.q.default_language()))
    }

    /// A question's text in the person's language: only for questions asked aloud and
    /// read-outs (never an observation).
    #[must_use]
    pub fn question(&self, question: &Question) -> Option<&'q str> {
        if question.observation {
            return None;
        }
        self.get(&format!("question.{}.text", question.id), &question.text)
    }

    /// A choice's label in the person's language (yes and no are the program's words).
    #[must_use]
    pub fn choice(&self, question: &Question, choice: &str) -> Option<&'q str> {
        if question.observation {
            return None;
        }
        if question.kind == Kind::YesNo {
            return match choice {
                "yes" => self.program(ProgramWord::Yes),
                "no" => self.program(ProgramWord::No),
                _ => None,
            };
        }
        let c = question.choice(choice)?;
        self.get(
            &format!("question.{}.choice.{}.label", question.id, c.id),
            &c.label,
        )
    }

    /// A section's intro, read out, in the person's language.
    #[must_use]
    pub fn intro(&self, section: &Section) -> Option<&'q str> {
        let intro = section.intro.as_ref()?;
        self.get(&format!("section.{}.intro", section.id), intro)
    }

    /// One of the program's words the person sees.
    #[must_use]
    pub fn program(&self, word: ProgramWord) -> Option<&'q str> {
        let (ctxt, _, _) = PROGRAM[word.index()];
        self.t
            .get(ctxt, program_text(word, self.q.default_language()))
    }
}

/// The person's language during an interview, when it is not the officer's: either another
/// of the questionnaire's own languages (its texts are in the file), or a translation (its
/// matching PO messages). The front ends show it under the officer's text for questions asked
/// aloud, choices, section introductions and the program's words, never for guidance or
/// observations.
#[derive(Debug, Clone, Copy)]
pub struct PersonLanguage<'q> {
    q: &'q Questionnaire,
    lang: &'q str,
    second: Option<Second<'q>>,
}

impl<'q> PersonLanguage<'q> {
    /// The person's language `person` of `q` while the officer reads `officer`: `None` when
    /// no person's language is given, when it is the officer's, or when `q` has neither its
    /// texts nor a translation into it.
    #[must_use]
    pub fn new(q: &'q Questionnaire, officer: &str, person: Option<&str>) -> Option<Self> {
        let person = person?;
        if person == officer {
            return None;
        }
        if let Some(l) = q.languages.iter().find(|l| *l == person) {
            return Some(Self {
                q,
                lang: l,
                second: None,
            });
        }
        let second = Second::of(q, person)?;
        Some(Self {
            q,
            lang: second.lang(),
            second: Some(second),
        })
    }

    /// The language tag.
    #[must_use]
    pub fn lang(&self) -> &'q str {
        self.lang
    }

    /// The question's text for the person (`None` for an observation, or when untranslated).
    #[must_use]
    pub fn question(&self, question: &'q Question) -> Option<&'q str> {
        if question.observation {
            return None;
        }
        match &self.second {
            Some(s) => s.question(question),
            None => question.text.get(self.lang),
        }
    }

    /// A choice's label for the person (yes and no are the program's words).
    #[must_use]
    pub fn choice(&self, question: &'q Question, choice: &str) -> Option<&'q str> {
        if question.observation {
            return None;
        }
        match &self.second {
            Some(s) => s.choice(question, choice),
            None => question.choice(choice).and_then(|c| c.label.get(self.lang)),
        }
    }

    /// A section's introduction for the person.
    #[must_use]
    pub fn intro(&self, section: &'q Section) -> Option<&'q str> {
        match &self.second {
            Some(s) => s.intro(section),
            None => section.intro.as_ref().and_then(|i| i.get(self.lang)),
        }
    }

    /// One of the program's words for the person.
    #[must_use]
    pub fn program(&self, word: ProgramWord) -> Option<&'q str> {
        match &self.second {
            Some(s) => s.program(word),
            None if is_norwegian(self.lang) || self.lang.split('-').next() == Some("en") => {
                Some(program_text(word, self.lang))
            }
            None => None,
        }
    }

    /// The questionnaire.
    #[must_use]
    pub fn questionnaire(&self) -> &'q Questionnaire {
        self.q
    }
}

/// What `questionnaire translate` did to a PO file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Update {
    /// Messages written.
    pub texts: usize,
    /// New texts, written with an empty msgstr (or the pseudo-language).
    pub added: usize,
    /// Texts whose source changed: the old translation kept, marked fuzzy.
    pub changed: usize,
    /// Old messages that name no text any more, dropped.
    pub dropped: usize,
}

/// Writes the PO file for `lang` (a POT template when `lang` is empty) from the current
/// texts of `q`, keeping what `old` already has: new texts get an empty msgstr, a text whose
/// source changed keeps its old translation marked fuzzy, messages that name no text are
/// dropped, and translators' comments stay. For [`PSEUDO_LANG`] every untranslated message
/// gets the pseudo-language. `date` is the header's `POT-Creation-Date`; what a translator
/// wrote in the old header (revision date, translator, team, comments) is kept.
#[must_use]
pub fn update(q: &Questionnaire, lang: &str, old: Option<&PoFile>, date: &str) -> (String, Update) {
    let places = places(q);
    let mut stats = Update {
        texts: places.len(),
        ..Update::default()
    };
    let empty = PoFile::default();
    let old = old.unwrap_or(&empty);
    let mut used = vec![false; old.messages.len()];
    // msgctxt -> the old messages at that place, so a large file is updated in linear time.
    let mut by_place: std::collections::HashMap<&str, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, m) in old.messages.iter().enumerate() {
        if let Some(c) = &m.ctxt {
            by_place.entry(c.as_str()).or_default().push(i);
        }
    }
    let mut out = Vec::with_capacity(places.len());
    for p in &places {
        let mut extracted = p.note.to_owned();
        for (l, t) in &p.others {
            extracted.push('\n');
            extracted.push_str(&format!("{l}: {}", t.replace('\n', " ")));
        }
        let same_place: &[usize] = by_place.get(p.ctxt.as_str()).map_or(&[], Vec::as_slice);
        let exact = same_place
            .iter()
            .copied()
            .find(|&i| old.messages.get(i).is_some_and(|m| m.id == p.source));
        let (text, fuzzy, comments) = if let Some(i) = exact {
            let m = &old.messages[i];
            (m.text.clone(), m.fuzzy, m.translator_comments.clone())
        } else if let Some(m) = same_place
            .iter()
            .filter_map(|&i| old.messages.get(i))
            .find(|m| !m.text.is_empty())
        {
            // The source changed: keep the old translation for the translator to check, but
            // fuzzy, so it is never shown as it is.
            stats.changed += 1;
            (m.text.clone(), true, m.translator_comments.clone())
        } else {
            stats.added += usize::from(same_place.is_empty());
            stats.changed += usize::from(!same_place.is_empty());
            (String::new(), false, String::new())
        };
        for &i in same_place {
            if let Some(u) = used.get_mut(i) {
                *u = true;
            }
        }
        let (text, fuzzy) = if lang == PSEUDO_LANG && (text.is_empty() || fuzzy) {
            (pseudo(&p.source), false)
        } else {
            (text, fuzzy)
        };
        out.push(OutMessage {
            ctxt: p.ctxt.clone(),
            id: p.source.clone(),
            text: if lang.is_empty() { String::new() } else { text },
            fuzzy: fuzzy && !lang.is_empty(),
            extracted,
            translator_comments: comments,
        });
    }
    stats.dropped = used.iter().filter(|u| !**u).count();
    let header = Header {
        project: format!("{} {}", q.id, q.version),
        language: lang.to_owned(),
        date: date.to_owned(),
        kept: (!old.messages.is_empty() || !old.header.last_translator.is_empty())
            .then(|| old.header.clone()),
    };
    (po::write(&header, &out), stats)
}

/// The pseudo-language: every letter accented and the text about 40% longer (vowels
/// doubled, then padded with `~`), in brackets, so that a screen that clips or does not wrap
/// shows it at once. Digits, spaces and punctuation stay, so numbers remain readable.
#[must_use]
pub fn pseudo(source: &str) -> String {
    let mut out = String::from("[");
    for c in source.chars() {
        let a = accent(c);
        out.push(a);
        if "aeiouyAEIOUY".contains(c) {
            out.push(a);
        }
    }
    let want = source.chars().count() * 14 / 10;
    let have = out.chars().count() + 1;
    if want > have {
        out.push(' ');
        out.extend(std::iter::repeat_n('~', want - have - 1));
    }
    out.push(']');
    out
}

fn accent(c: char) -> char {
    const FROM: &str = "abcdeghiklnorstuwyzABCDEGHIKLNORSTUWYZ";
    const TO: &str = "åƀçđéĝĥîķļñöŕšţûŵýžÅƁÇĐÉĜĤÎĶĻÑÖŔŠŢÛŴÝŽ";
    FROM.chars()
        .position(|f| f == c)
        .and_then(|i| TO.chars().nth(i))
        .unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudo_is_accented_and_about_forty_percent_longer() {
        let s = "Do you owe money to anyone who helped you come here?";
        let p = pseudo(s);
        let ratio = p.chars().count() as f64 / s.chars().count() as f64;
        assert!((1.35..=1.5).contains(&ratio), "{p} ({ratio})");
        assert!(p.starts_with("[Đöö ýýööûû"), "{p}");
        assert_eq!(pseudo("+47 22"), "[+47 22]");
    }
}
