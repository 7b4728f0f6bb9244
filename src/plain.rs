//! Plain mode (`interview --plain`): the same screening, line by line on stdin and stdout,
//! with no escape codes, for screen readers and scripts. It drives the same
//! [`Session`](crate::screening::Session) and the same storage seam as the terminal UI, and
//! saves each answer before the next question is printed.
//!
//! Typed commands at a question: a choice's number (or numbers `1,3` for several, Enter for
//! none), a choice id, a number, a date, text; `dont_know`, `declined`, `skip`, `back`,
//! `forward`, `note`, `guidance`, `help`, `pause`.

use std::io::{self, BufRead, Write};
use std::sync::Arc;

use crate::questionnaire::translation::{PersonLanguage, ProgramWord};
use crate::questionnaire::{FillField, Kind, Question, Questionnaire};
use crate::sanitize;
use crate::screening::{Answer, Move, Session};
use crate::store::fields::{self, Invalid};
use crate::store::{
    Consent, Expulsion, Gender, Interpreter, NewReferral, NewScreening, Store, StoreError,
};
use crate::words::HELPLINE;
use crate::words::fmt;
use crate::words::officer::{Strings, strings};
use crate::words::summary;

/// How a plain-mode run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// Input ended before a screening was started or resumed: nothing was stored.
    NotStarted,
    /// Paused (or input ended) before the end; everything answered is saved.
    Paused {
        /// The screening id.
        screening: String,
    },
    /// Finished without a referral.
    Finished {
        /// The screening id.
        screening: String,
        /// The outcome id.
        outcome: String,
    },
    /// Finished with a referral.
    Referred {
        /// The screening id.
        screening: String,
        /// The outcome id.
        outcome: String,
        /// The referral id.
        referral: String,
    },
}

/// Why plain mode stopped early.
#[derive(Debug)]
pub enum PlainError {
    /// Reading or writing the terminal failed.
    Io(io::Error),
    /// The store refused or failed; nothing after the last saved answer was kept.
    Storage(StoreError),
}

impl std::fmt::Display for PlainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Io(e) => write!(f, "could not read or write the terminal: {e}"),
            Self::Storage(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for PlainError {}

impl From<io::Error> for PlainError {
    fn from(e: io::Error) -> Self {
        Self::Io(e)
    }
}

impl From<StoreError> for PlainError {
    fn from(e: StoreError) -> Self {
        Self::Storage(e)
    }
}

struct Io<'a, R, W> {
    input: R,
    out: W,
    s: &'a Strings,
}

impl<R: BufRead, W: Write> Io<'_, R, W> {
    fn say(&mut self, line: &str) -> io::Result<()> {
        writeln!(self.out, "{line}")
    }

    /// Prints `prompt` and reads one line; `None` at the end of input.
    fn ask(&mut self, prompt: &str) -> io::Result<Option<String>> {
        write!(self.out, "{prompt}> ")?;
        self.out.flush()?;
        let mut line = String::new();
        if self.input.read_line(&mut line)? == 0 {
            writeln!(self.out)?;
            return Ok(None);
        }
        Ok(Some(line.trim().to_string()))
    }

    /// Asks until `parse` accepts; `None` at the end of input.
    fn ask_until<T>(
        &mut self,
        prompt: &str,
        mut parse: impl FnMut(&str) -> Result<T, String>,
    ) -> io::Result<Option<T>> {
        loop {
            let Some(line) = self.ask(prompt)? else {
                return Ok(None);
            };
            match parse(&line) {
                Ok(v) => return Ok(Some(v)),
                Err(e) => self.say(&format!("{}: {e}", self.s.error_word))?,
            }
        }
    }

    fn choose(
        &mut self,
        prompt: &str,
        options: &[&str],
        default: usize,
    ) -> io::Result<Option<usize>> {
        for (i, o) in options.iter().enumerate() {
            self.say(&format!("  {}. {o}", i + 1))?;
        }
        let s = self.s;
        self.ask_until(&format!("{prompt} [{}]", default + 1), |l| {
            if l.is_empty() {
                return Ok(default);
            }
            match l.parse::<usize>() {
                Ok(n) if (1..=options.len()).contains(&n) => Ok(n - 1),
                _ => Err(s
                    .plain_pick
                    .replace("{value}", l)
                    .replace("{n}", &options.len().to_string())),
            }
        })
    }
}

/// Runs a screening in plain mode: resume or details, the questions, the summary, and a
/// referral if wanted.
pub fn run<R: BufRead, W: Write>(
    input: R,
    out: W,
    store: &mut Store,
    questionnaire: Arc<Questionnaire>,
    lang: Option<&str>,
) -> Result<Ended, PlainError> {
    let lang = lang
        .filter(|l| questionnaire.languages.iter().any(|x| x == l))
        .unwrap_or_else(|| questionnaire.default_language())
        .to_string();
    let mut io = Io {
        input,
        out,
        s: strings(&lang),
    };
    let s = io.s;
    io.say(&format!(
        "rosa-screen: {} · {} {HELPLINE}",
        questionnaire.title.show(&lang),
        s.helpline_line
    ))?;
    io.say(s.plain_intro)?;

    // Resume an unfinished screening, or start a new one.
    let mut unfinished = store.unfinished()?;
    // The store lists oldest first; the officer most likely wants the latest.
    unfinished.reverse();
    let mut resumed = None;
    if !unfinished.is_empty() {
        io.say(s.home_unfinished)?;
        let mut options: Vec<String> = vec![s.home_new_row.to_string()];
        options.extend(unfinished.iter().map(|u| {
            format!(
                "{} {} · {} · {} · {}",
                s.home_resume,
                sanitize::visible_line(&u.person),
                sanitize::visible_line(&u.unit),
                fmt::local_time(&u.started_at),
                s.answered_count.replace("{n}", &u.answers.to_string())
            )
        }));
        let refs: Vec<&str> = options.iter().map(String::as_str).collect();
        // The default is to resume the latest: after a crash, Enter must never start a second
        // screening of the same person.
        let Some(pick) = io.choose(s.plain_choose, &refs, 1)? else {
            io.say(s.plain_not_started)?;
            return Ok(Ended::NotStarted);
        };
        if let Some(u) = pick.checked_sub(1).and_then(|i| unfinished.get(i)) {
            resumed = Some(store.resume(&u.id)?);
        }
    }
    let (id, details, mut session) = match resumed {
        Some(r) => {
            let mut session = Session::restore(r.questionnaire, r.screening.entries());
            // Immediate flags not yet acknowledged are shown again before the next question.
            store.restore_immediate(&r.screening.id, &mut session)?;
            let details = r.screening.details();
            (r.screening.id, details, session)
        }
        None => {
            let defaults = store
                .latest_screening()?
                .map(|s| s.details())
                .unwrap_or_default();
            // Input that ends in the details form started nothing: nothing is stored before
            // the whole form is given, so this ends cleanly.
            let Some(details) = ask_details(&mut io, &questionnaire, &defaults, &lang)? else {
                io.say(s.plain_not_started)?;
                return Ok(Ended::NotStarted);
            };
            let id = store.create_screening(&questionnaire, &details)?;
            (id, details, Session::new(Arc::clone(&questionnaire)))
        }
    };
    let lang = if session
        .questionnaire()
        .languages
        .contains(&details.language)
    {
        details.language.clone()
    } else {
        lang
    };
    io.s = strings(&lang);
    let s = io.s;

    loop {
        if !questions(&mut io, store, &id, &details, &mut session, &lang)? {
            io.say(s.plain_paused)?;
            return Ok(Ended::Paused { screening: id });
        }
        // The summary, then what to do.
        let result = session.result();
        io.say("")?;
        io.say(&format!("== {} ==", s.summary_title))?;
        for (_, line) in summary::lines(session.questionnaire(), &session, &result, &lang, s) {
            io.say(&line)?;
        }
        // The helpline card in the person's language, for the officer to show or read out.
        if let Some(p) = PersonLanguage::new(
            session.questionnaire(),
            &lang,
            details.person_language.as_deref(),
        ) && let Some(t) = p.program(ProgramWord::Helpline)
        {
            io.say(&format!("[{}] {}", p.lang(), sanitize::visible_line(t)))?;
        }
        io.say("")?;
        let mut options = vec![s.key_finish, s.key_change];
        if result.allows_referral() {
            options.insert(0, s.key_refer);
        }
        let Some(pick) = io.choose(s.plain_choose, &options, 0)? else {
            io.say(s.plain_paused)?;
            return Ok(Ended::Paused { screening: id });
        };
        let picked = options.get(pick).copied().unwrap_or(s.key_finish);
        if picked == s.key_change {
            session.back();
            continue;
        }
        store.finish_screening(&id, &(&result).into())?;
        if picked == s.key_finish {
            io.say(s.plain_finished)?;
            return Ok(Ended::Finished {
                screening: id,
                outcome: result.outcome,
            });
        }
        return refer(&mut io, store, id, &details, &session, result.outcome);
    }
}

/// Asks for the details field by field, each checked the moment it is typed by the one
/// validator (`store::fields`), so a refused value is asked again at once.
fn ask_details<R: BufRead, W: Write>(
    io: &mut Io<'_, R, W>,
    q: &Questionnaire,
    defaults: &NewScreening,
    lang: &str,
) -> io::Result<Option<NewScreening>> {
    let s = io.s;
    let said = |e: Invalid| fmt::invalid(&e, s);
    let text = |io: &mut Io<'_, R, W>, field: fields::Field, label: &str, default: &str| {
        let prompt = if default.is_empty() {
            label.to_string()
        } else {
            format!("{label} [{}]", sanitize::visible_line(default))
        };
        io.ask_until(&prompt, |l| {
            let v = if l.is_empty() { default } else { l };
            fields::line(field, v, false).map_err(said)
        })
    };
    macro_rules! or_eof {
        ($e:expr) => {
            match $e? {
                Some(v) => v,
                None => return Ok(None),
            }
        };
    }
    io.say(&format!("== {} ==", s.details_title))?;
    io.say(s.details_intro)?;
    let unit = or_eof!(text(io, fields::Field::Unit, s.f_unit, &defaults.unit));
    let officer = or_eof!(text(
        io,
        fields::Field::Officer,
        s.f_officer,
        &defaults.officer
    ));
    let person = or_eof!(text(io, fields::Field::Person, s.f_person, ""));
    io.say(s.f_gender)?;
    let g = or_eof!(io.choose(
        s.f_gender,
        &[s.g_female, s.g_male, s.g_other, s.g_unknown],
        3
    ));
    let gender = Gender::ALL.get(g).copied().unwrap_or_default();
    let this_year = fields::this_year();
    let birth_year = or_eof!(
        io.ask_until(&format!("{} ({})", s.f_birth_year, s.optional), |l| {
            fields::birth_year(l, this_year).map_err(said)
        })
    );
    let nationality = or_eof!(
        io.ask_until(&format!("{} [unknown]", s.f_nationality), |l| {
            fields::nationality(l).map_err(said)
        })
    );
    let langs: Vec<&str> = q.languages.iter().map(String::as_str).collect();
    io.say(s.f_language)?;
    let li = langs.iter().position(|l| *l == lang).unwrap_or(0);
    let l = or_eof!(io.choose(s.f_language, &langs, li));
    let language = langs
        .get(l)
        .map_or_else(|| lang.to_string(), |l| (*l).to_string());
    // A questionnaire that asks about the interpreter fills it from the answer: never twice.
    let interpreter = if q.asks(FillField::DetailsInterpreter) {
        io.say(&format!("{}: {}", s.f_interpreter, s.asked_in_interview))?;
        None
    } else {
        io.say(s.f_interpreter)?;
        let i = or_eof!(io.choose(s.f_interpreter, &[s.i_none, s.i_in_person, s.i_phone], 0));
        Some(Interpreter::ALL.get(i).copied().unwrap_or_default())
    };
    let person_language = or_eof!(
        io.ask_until(&format!("{} ({})", s.f_person_language, s.optional), |l| {
            fields::person_language(l, &language).map_err(said)
        })
    );
    let details = NewScreening {
        unit,
        officer,
        person,
        gender,
        birth_year,
        nationality,
        language,
        interpreter,
        person_language,
    };
    // Each field was checked as it was typed; this is the same rule over the whole.
    match details.validated(&q.languages, this_year) {
        Ok(d) => Ok(Some(d)),
        Err(e) => {
            io.say(&format!("{}: {}", s.error_word, said(e)))?;
            Ok(None)
        }
    }
}

/// What a typed line at a question means.
#[derive(Debug, Clone, PartialEq)]
enum Typed {
    Answer(Answer),
    Skip,
    Back,
    Forward,
    Note,
    Guidance,
    Help,
    Pause,
    /// Enter alone on a question answered before: keep that answer and go on.
    Keep(Answer),
}

/// The command a typed word names: the English words (and their first letters) always, so
/// scripts work in every language, and the words of the interview's language `s`.
fn command(word: &str, s: &Strings) -> Option<Typed> {
    let w = word.to_lowercase();
    let is = |english: &str, short: &str, own: &str| w == english || w == short || w == own;
    if is("back", "b", s.cmd_back) {
        Some(Typed::Back)
    } else if is("forward", "f", s.cmd_forward) {
        Some(Typed::Forward)
    } else if is("note", "n", s.cmd_note) {
        Some(Typed::Note)
    } else if is("guidance", "g", s.cmd_guidance) {
        Some(Typed::Guidance)
    } else if is("help", "h", s.cmd_help) {
        // `?` is not help: it is "don't know", as the help says.
        Some(Typed::Help)
    } else if is("pause", "quit", s.cmd_pause) {
        Some(Typed::Pause)
    } else if is("skip", "skip", s.cmd_skip) {
        Some(Typed::Skip)
    } else {
        None
    }
}

/// Reads a typed line at question `q`; `saved` is the answer already saved there (after
/// `back`), which Enter alone keeps.
fn typed(q: &Question, line: &str, saved: Option<&Answer>, s: &Strings) -> Result<Typed, String> {
    if let Some(c) = command(line, s) {
        return Ok(c);
    }
    if line.is_empty()
        && let Some(a) = saved
    {
        return Ok(Typed::Keep(a.clone()));
    }
    if q.kind == Kind::Info {
        return Ok(Typed::Skip);
    }
    if line.is_empty() && !q.required {
        return Ok(Typed::Skip);
    }
    // The interview language's words for the special answers (`vet_ikke`, `vil_ikke`).
    let lower = line.to_lowercase();
    let line = if lower == s.cmd_dont_know || lower == s.cmd_dont_know.replace('_', " ") {
        "dont_know"
    } else if lower == s.cmd_declined || lower == s.cmd_declined.replace('_', " ") {
        "declined"
    } else {
        line
    };
    // The session's own parser: numbers or ids for choices, `1,3` for several, `?` and `-`
    // for don't know and declined, numbers with `.` or `,`, ISO dates.
    let answer = Answer::parse(q, line).map_err(|e| fmt::answer_error(q, &e, s))?;
    Session::validate(q, &answer).map_err(|e| fmt::answer_error(q, &e, s))?;
    Ok(Typed::Answer(answer))
}

/// Asks questions until the walk's end (`true`) or a pause or the end of input (`false`).
fn questions<R: BufRead, W: Write>(
    io: &mut Io<'_, R, W>,
    store: &mut Store,
    id: &str,
    details: &NewScreening,
    session: &mut Session,
    lang: &str,
) -> Result<bool, PlainError> {
    let s = io.s;
    let mut last_section = usize::MAX;
    while let Some(q) = session.current().cloned() {
        if !immediate_flags(io, store, id, session, lang)? {
            return Ok(false);
        }
        let qn = session.questionnaire();
        // The person's language under the officer's text: another of the questionnaire's
        // languages, or a translation (never for guidance or observations).
        let person = PersonLanguage::new(qn, lang, details.person_language.as_deref());
        if q.section != last_section {
            last_section = q.section;
            if let Some(sec) = qn.sections.get(q.section) {
                io.say("")?;
                io.say(&format!(
                    "== {} ({}/{}) ==",
                    sec.title.show(lang),
                    q.section + 1,
                    qn.sections.len()
                ))?;
                if let Some(intro) = &sec.intro {
                    io.say(intro.show(lang))?;
                    if let Some(p) = &person
                        && let Some(t) = p.intro(sec)
                    {
                        io.say(&format!("[{}] {}", p.lang(), sanitize::visible_line(t)))?;
                    }
                }
            }
        }
        io.say("")?;
        io.say(&fmt::progress(session, s))?;
        if q.observation {
            io.say(s.observation_mark)?;
        }
        let prefix = if q.kind == Kind::Info {
            s.info_word
        } else {
            ""
        };
        io.say(&format!("{prefix}{}", q.text.show(lang)))?;
        if let Some(p) = &person
            && let Some(t) = p.question(&q)
        {
            io.say(&format!("[{}] {}", p.lang(), sanitize::visible_line(t)))?;
        }
        for (i, c) in q.choices.iter().enumerate() {
            let mut label = c.label.show(lang).to_string();
            if let Some(t) = person.as_ref().and_then(|p| p.choice(&q, c.id.as_str())) {
                label = format!("{label} / {}", sanitize::visible_line(t));
            }
            io.say(&format!("  {}. {label}", i + 1))?;
        }
        if let Some(p) = &person
            && let Some(words) = fmt::person_specials(p, &q)
        {
            io.say(&format!("[{}] {words}", p.lang()))?;
        }
        let entry = session.entry(q.id.as_str()).cloned();
        if let Some(a) = entry.as_ref().and_then(|e| e.answer.as_ref()) {
            io.say(&format!(
                "{}: {}",
                s.saved_word,
                fmt::answer(&q, a, lang, s)
            ))?;
        }
        if let Some(n) = entry.as_ref().and_then(|e| e.note.as_ref()) {
            io.say(&format!("{}: {}", s.note_word, sanitize::visible_line(n)))?;
        }
        let hint = match q.kind {
            Kind::Info => s.press_enter.to_string(),
            Kind::YesNo | Kind::Single => s.plain_hint_single.to_string(),
            Kind::Multi => s.plain_hint_multi.to_string(),
            Kind::Number => fmt::bounds(&q, s),
            Kind::Date => s.date_hint.to_string(),
            Kind::Text => s.text_hint.to_string(),
        };
        let saved = entry.as_ref().and_then(|e| e.answer.as_ref());
        let mut specials = Vec::new();
        if saved.is_some() {
            specials.push(s.plain_keep);
        }
        if q.kind != Kind::Info {
            if q.allow.dont_know {
                specials.push(s.cmd_dont_know);
            }
            if q.allow.declined {
                specials.push(s.cmd_declined);
            }
            if !q.required {
                specials.push(s.cmd_skip);
            }
        }
        specials.extend([s.cmd_back, s.cmd_note, s.cmd_help, s.cmd_pause]);
        io.say(&format!("({hint}; {})", specials.join(", ")))?;

        let Some(line) = io.ask_until(s.answer_word, |l| typed(&q, l, saved, s))? else {
            return Ok(false);
        };
        let mv = match line {
            Typed::Pause => return Ok(false),
            // Kept as it is: nothing to save when the walk can go on over it.
            Typed::Keep(_) if session.forward() => continue,
            Typed::Keep(a) => Move::Answer(a),
            Typed::Help => {
                io.say(s.plain_help)?;
                continue;
            }
            Typed::Guidance => {
                match &q.guidance {
                    Some(g) => io.say(&format!("{}: {}", s.guidance_word, g.show(lang)))?,
                    None => io.say(s.plain_no_guidance)?,
                }
                continue;
            }
            Typed::Back => {
                if !session.back() {
                    io.say(s.at_first)?;
                }
                continue;
            }
            Typed::Forward => {
                if !session.forward() {
                    io.say(s.at_frontier)?;
                }
                continue;
            }
            Typed::Note => {
                let Some(text) = io.ask(s.note_word)? else {
                    return Ok(false);
                };
                Move::Note((!text.is_empty()).then_some(text))
            }
            Typed::Skip => Move::Skip,
            Typed::Answer(a) => Move::Answer(a),
        };
        // Save first, then move: the session decides what is saved (and refuses what it
        // must), the store writes it, and only then does the walk go on.
        let pending = match session.prepare(mv) {
            Ok(p) => p,
            Err(e) => {
                io.say(&format!(
                    "{}: {}",
                    s.error_word,
                    fmt::answer_error(&q, &e, s)
                ))?;
                continue;
            }
        };
        store.record(id, &pending)?;
        if let Err(e) = session.apply(pending) {
            io.say(&format!("{}: {e}", s.error_word))?;
        }
    }
    // The last answer may have raised one too: shown before the summary.
    immediate_flags(io, store, id, session, lang)
}

/// Shows every immediate flag raised and not yet acknowledged (the last answer's, or those left
/// unacknowledged before a resume), each with its advice, and asks the officer to confirm
/// having read it; the store records the flag as raised, then when and by whom (the login
/// name) it was acknowledged. `false` when input ended first: the flag stays unacknowledged and
/// is shown again on resume.
fn immediate_flags<R: BufRead, W: Write>(
    io: &mut Io<'_, R, W>,
    store: &mut Store,
    id: &str,
    session: &mut Session,
    lang: &str,
) -> Result<bool, PlainError> {
    let s = io.s;
    let waiting: Vec<(String, String, String)> = session
        .unacknowledged()
        .iter()
        .map(|f| {
            (
                f.id.name.clone(),
                f.label.show(lang).to_string(),
                f.advice.show(lang).to_string(),
            )
        })
        .collect();
    if waiting.is_empty() {
        return Ok(true);
    }
    store.record_immediate(id, waiting.iter().map(|(f, _, _)| f.as_str()))?;
    let actor = store.actor().to_owned();
    for (flag, label, advice) in waiting {
        io.say("")?;
        io.say(&format!("!! {}: {label}", s.flag_title.to_uppercase()))?;
        io.say(&format!("!! {advice}"))?;
        if io.ask(s.flag_plain_ack)?.is_none() {
            return Ok(false);
        }
        store.acknowledge_immediate(id, &flag, &actor)?;
        session.acknowledge(&flag);
    }
    Ok(true)
}

/// A referral field the answers filled (`fills:`): its value, and the line that says so
/// ("Expulsion decision: decision pending (from the answer to "...")").
fn carried<T: std::str::FromStr>(
    session: &Session,
    field: FillField,
    label: &str,
    word: impl Fn(&T) -> String,
    s: &Strings,
) -> Option<(T, String)> {
    let filled = session.filled();
    let value: T = filled.get(field)?.parse().ok()?;
    let lang = s.lang;
    let question = filled.question(field).unwrap_or_default();
    let text = session
        .questionnaire()
        .question(question)
        .map_or_else(|| question.to_owned(), |q| q.text.show(lang).to_owned());
    let line = format!(
        "{label}: {} ({})",
        word(&value),
        s.carried_from.replace("{question}", &text)
    );
    Some((value, line))
}

/// The referral: what the answers filled (consent, release date, expulsion) is said and not
/// asked again; the rest is asked, each field checked as it is typed.
fn refer<R: BufRead, W: Write>(
    io: &mut Io<'_, R, W>,
    store: &mut Store,
    id: String,
    details: &NewScreening,
    session: &Session,
    outcome: String,
) -> Result<Ended, PlainError> {
    let s = io.s;
    io.say(&format!("== {} ==", s.referral_title))?;
    let consent_words = [s.consent_named, s.consent_anonymous, s.consent_none];
    let word_of = |c: &Consent| {
        let i = Consent::ALL.iter().position(|x| x == c).unwrap_or(2);
        consent_words.get(i).copied().unwrap_or_default().to_owned()
    };
    let consent = match carried(
        session,
        FillField::ReferralConsent,
        s.consent_word,
        word_of,
        s,
    ) {
        Some((c, line)) => {
            io.say(&line)?;
            c
        }
        None => {
            io.say(s.consent_question)?;
            io.say(s.consent_explain)?;
            let Some(c) = io.choose(s.consent_word, &consent_words, 2)? else {
                return Ok(Ended::Finished {
                    screening: id,
                    outcome,
                });
            };
            Consent::ALL.get(c).copied().unwrap_or(Consent::None)
        }
    };
    store.set_consent(&id, consent)?;
    if consent == Consent::None {
        io.say(s.no_consent_title)?;
        io.say(s.no_consent_text)?;
        io.say(&format!("{} {HELPLINE}", s.helpline_line))?;
        return Ok(Ended::Finished {
            screening: id,
            outcome,
        });
    }
    io.say(s.urgency_explain)?;
    let eof = |io: &mut Io<'_, R, W>, id: String, outcome: String| {
        io.say(s.plain_no_referral)?;
        Ok(Ended::Finished {
            screening: id,
            outcome,
        })
    };
    let today = fields::today();
    // A filled date is carried when the one validator takes it (a slip outside the window a
    // release can be in is asked again, with the reason).
    let filled_date = carried(
        session,
        FillField::ReferralReleaseDate,
        s.f_release,
        |d: &jiff::civil::Date| d.to_string(),
        s,
    )
    .filter(|(d, _)| fields::check_release_date(*d, today).is_ok());
    let release_date = match filled_date {
        Some((d, line)) => {
            io.say(&line)?;
            Some(d)
        }
        None => {
            let Some(d) = io.ask_until(&format!("{} ({})", s.f_release, s.date_optional), |l| {
                fields::release_date(l, today).map_err(|e| fmt::invalid(&e, s))
            })?
            else {
                return eof(io, id, outcome);
            };
            d
        }
    };
    // The order read out: not known first (the default), then yes, no, decision pending.
    let order = [
        Expulsion::Unknown,
        Expulsion::Yes,
        Expulsion::No,
        Expulsion::Pending,
    ];
    let expulsion_words = [
        s.expulsion_unknown,
        s.expulsion_yes,
        s.expulsion_no,
        s.expulsion_pending,
    ];
    let word_of = |e: &Expulsion| {
        let i = order.iter().position(|x| x == e).unwrap_or(0);
        expulsion_words
            .get(i)
            .copied()
            .unwrap_or_default()
            .to_owned()
    };
    let expulsion = match carried(
        session,
        FillField::ReferralExpulsion,
        s.f_expulsion,
        word_of,
        s,
    ) {
        Some((e, line)) => {
            io.say(&line)?;
            e
        }
        None => {
            io.say(s.f_expulsion)?;
            let Some(e) = io.choose(s.f_expulsion, &expulsion_words, 0)? else {
                return eof(io, id, outcome);
            };
            order.get(e).copied().unwrap_or_default()
        }
    };
    let shown_officer = sanitize::visible_line(&details.officer);
    let Some(contact) = io.ask_until(&format!("{} [{shown_officer}]", s.f_contact), |l| {
        let v = if l.is_empty() {
            details.officer.as_str()
        } else {
            l
        };
        fields::line(fields::Field::Contact, v, false).map_err(|e| fmt::invalid(&e, s))
    })?
    else {
        return eof(io, id, outcome);
    };
    let referral = store.create_referral(
        &id,
        &NewReferral {
            consent,
            release_date,
            expulsion: (expulsion != Expulsion::Unknown).then_some(expulsion),
            contact,
        },
    )?;
    io.say(s.referral_made)?;
    io.say(&format!("{}: {referral}", s.referral_id))?;
    io.say(s.referral_next)?;
    io.say(&format!("{} {HELPLINE}", s.helpline_line))?;
    Ok(Ended::Referred {
        screening: id,
        outcome,
        referral,
    })
}
