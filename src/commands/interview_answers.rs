//! `rosa-screen interview --answers FILE`: records a whole screening from a YAML file (a paper
//! form entered afterwards; tests use it).
//!
//! Everything in the file is checked first (details, every answer against its question, the
//! walk reaching its end) and nothing is stored unless all of it is valid. Then the screening is
//! stored answer by answer exactly as an interview would, finished, and a referral is made when
//! the file asks for one, the outcome allows it and the person consented. A refused referral
//! leaves the screening stored and exits 1 with the reason.
//!
//! What the answers fill (`fills:` in the questionnaire: consent, release date, expulsion,
//! interpreter, custody) need not be repeated in the file; a value the file gives that differs
//! from the answer is refused, naming both. Immediate flags the answers raise are printed as
//! `flag: ID` lines before `outcome:` (and recorded as raised, not acknowledged: nobody saw
//! them while the file was read).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use serde::Deserialize;

use super::print_out;
use super::{CmdResult, Failure};
use crate::cli::InterviewArgs;
use crate::questionnaire::scenario::AnswerInput;
use crate::questionnaire::suggest::suggest;
use crate::questionnaire::{FillField, Kind, Questionnaire, load};
use crate::screening::{Answer, AnswerError, Filled, Move, Pending, Session};
use crate::settings::Settings;
use crate::store::{Consent, Expulsion, Gender, Interpreter, NewReferral, NewScreening, fields};

/// The answers file. The keys of product.md are fixed; `birth_year`, `person_language` and
/// `notes` (officer notes by question id) are optional additions. `interpreter` may be left
/// out when the questionnaire's answers fill it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswersFile {
    unit: String,
    officer: String,
    person: String,
    gender: Gender,
    nationality: String,
    language: String,
    #[serde(default)]
    interpreter: Option<Interpreter>,
    #[serde(default)]
    birth_year: Option<i32>,
    #[serde(default)]
    person_language: Option<String>,
    answers: BTreeMap<String, AnswerInput>,
    #[serde(default)]
    notes: BTreeMap<String, String>,
    #[serde(default)]
    referral: Option<ReferralInput>,
}

/// The `referral:` block. `consent` may be left out when the answers fill it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferralInput {
    #[serde(default)]
    consent: Option<Consent>,
    #[serde(default)]
    release_date: Option<String>,
    /// `yes`, `no`, `pending` or `unknown` (YAML booleans are strict: `yes` is a word).
    #[serde(default)]
    expulsion: Option<Expulsion>,
    contact: String,
}

/// Runs `interview --answers FILE`.
pub fn run(settings: &Settings, args: &InterviewArgs, file: &Path) -> CmdResult {
    let name = file.display().to_string();
    let text = load::read_file(file).map_err(Failure::usage)?;
    let input: AnswersFile =
        load::from_yaml(&text, &name).map_err(|f| Failure::usage(f.to_line()))?;
    // Problems found after reading (a wrong choice, a bad date) name their line too.
    let at = load::Positions::of(&text, &name);
    let q = Arc::new(super::open_questionnaire(
        args.questionnaire.as_deref(),
        super::Purpose::Interview,
        &mut super::stderr(),
    )?);
    let (session, moves) = walk(&q, &input, &at)?;
    let filled = session.filled();
    let details = details(&input, &q, &filled, &at)?;
    let referral = input
        .referral
        .as_ref()
        .map(|r| new_referral(r, &filled, &at))
        .transpose()?;

    // Everything is valid: store it, each move durably and in order, as an interview would.
    let mut store = super::open_store(settings)?;
    let id = store.create_screening(&q, &details)?;
    for pending in &moves {
        store.record(&id, pending)?;
    }
    if q.asks(FillField::DetailsInterpreter) && filled.get(FillField::DetailsInterpreter).is_none()
    {
        // No answer gave the interpreter (left out, or "don't know"): the file's value stands.
        store.set_filled_details(&id, input.interpreter, None)?;
    }
    if let Some(consent) = filled.get(FillField::ReferralConsent) {
        store.set_consent(&id, word::<Consent>(consent, &name)?)?;
    }
    let raised: Vec<&str> = session
        .immediate_flags()
        .iter()
        .map(|f| f.flag.id.as_str())
        .collect();
    let immediate = store.record_immediate(&id, raised)?;
    let result = session.result();
    store.finish_screening(&id, &(&result).into())?;
    print_out(&format!("screening: {id}\n"))?;
    for flag in &immediate {
        print_out(&format!("flag: {flag}\n"))?;
    }
    print_out(&format!("outcome: {}\n", result.outcome))?;

    let Some(referral) = referral else {
        return Ok(ExitCode::SUCCESS);
    };
    if !result.allows_referral() {
        store.set_consent(&id, referral.consent)?;
        return Err(Failure::found(format!(
            "{name}: no referral was made: the outcome `{}` does not lead to a referral (the screening is stored)",
            result.outcome
        )));
    }
    if referral.consent == Consent::None {
        store.set_consent(&id, Consent::None)?;
        return Err(Failure::found(format!(
            "{name}: no referral was made because the person did not consent (the screening is stored); call ROSA on +47 22 33 11 60 for anonymous advice instead"
        )));
    }
    let rid = store.create_referral(&id, &referral)?;
    print_out(&format!("referral: {rid}\n"))?;
    Ok(ExitCode::SUCCESS)
}

/// A value the questionnaire's `fills:` guarantees to be one of the store's words (the loader
/// checks each choice's value); a failure here means the two lists drifted apart.
fn word<T: std::str::FromStr<Err = String>>(value: &str, file: &str) -> Result<T, Failure> {
    value
        .parse()
        .map_err(|e: String| Failure::usage(format!("{file}: {e}")))
}

/// Takes a field from the file or from what the answers filled: either alone, or both when they
/// agree; a contradiction is refused naming the question (at the file's value, `path`).
fn agree<T: PartialEq + Copy + std::fmt::Display>(
    given: Option<T>,
    filled: Option<T>,
    field: FillField,
    path: &[&str],
    answers: &Filled,
    at: &load::Positions,
) -> Result<Option<T>, Failure> {
    let key = path.last().copied().unwrap_or_default();
    match (given, filled) {
        (Some(g), Some(f)) if g != f => Err(Failure::usage(at.message(
            path,
            false,
            &format!(
                "`{key}: {g}` contradicts the answer to question `{}`, which gives {field} `{f}`; leave `{key}` out or make them agree",
                answers.question(field).unwrap_or("?"),
            ),
        ))),
        (g, f) => Ok(g.or(f)),
    }
}

fn details(
    input: &AnswersFile,
    q: &Questionnaire,
    filled: &Filled,
    at: &load::Positions,
) -> Result<NewScreening, Failure> {
    let file = at.file();
    if !q.languages.contains(&input.language) {
        let hint = suggest(&input.language, q.languages.iter().map(String::as_str))
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        return Err(Failure::usage(at.message(
            &["language"],
            false,
            &format!(
                "language `{}` is not one of the questionnaire's ({}){hint}",
                input.language,
                q.languages.join(", ")
            ),
        )));
    }
    let answered = filled
        .get(FillField::DetailsInterpreter)
        .map(|v| word::<Interpreter>(v, file))
        .transpose()?;
    let interpreter = agree(
        input.interpreter,
        answered,
        FillField::DetailsInterpreter,
        &["interpreter"],
        filled,
        at,
    )?;
    // A questionnaire that asks about the interpreter fills it when that answer is stored (in
    // the answer's transaction, as in an interview), so the screening starts without it; the
    // file's own value is set after the answers (`run`) only where no answer gave one.
    let interpreter = match interpreter {
        _ if q.asks(FillField::DetailsInterpreter) => None,
        Some(i) => Some(i),
        None => {
            return Err(Failure::usage(format!(
                "{file}: `interpreter` is missing; give none, in_person or phone (or answer the questionnaire's interpreter question)"
            )));
        }
    };
    // Every rule for details in one place (`store::fields`); a refusal names its line.
    NewScreening {
        unit: input.unit.clone(),
        officer: input.officer.clone(),
        person: input.person.clone(),
        gender: input.gender,
        birth_year: input.birth_year,
        nationality: input.nationality.clone(),
        language: input.language.clone(),
        interpreter,
        person_language: input.person_language.clone(),
    }
    .validated(&q.languages, fields::this_year())
    .map_err(|e| Failure::usage(at.message(key_of(e.field), false, &e.to_string())))
}

/// The key in the answers file that holds `field`, so a refusal names its line.
fn key_of(field: fields::Field) -> &'static [&'static str] {
    use fields::Field as F;
    match field {
        F::Unit => &["unit"],
        F::Officer => &["officer"],
        F::Person => &["person"],
        F::BirthYear => &["birth_year"],
        F::Nationality => &["nationality"],
        F::Language => &["language"],
        F::PersonLanguage => &["person_language"],
        F::ReleaseDate => &["referral", "release_date"],
        F::Contact => &["referral", "contact"],
        F::Note => &["notes"],
        F::TextAnswer => &["answers"],
    }
}

fn new_referral(
    r: &ReferralInput,
    filled: &Filled,
    at: &load::Positions,
) -> Result<NewReferral, Failure> {
    let file = at.file();
    let today = fields::today();
    // One rule for release dates (`store::fields`): a date, within its window.
    let date = |d: &str, path: &[&str]| {
        fields::release_date(d, today)
            .map_err(|e| Failure::usage(at.message(path, false, &format!("referral: {e}"))))
    };
    let release_date = agree(
        r.release_date
            .as_deref()
            .map(|d| date(d, &["referral", "release_date"]))
            .transpose()?
            .flatten(),
        filled
            .get(FillField::ReferralReleaseDate)
            .map(|d| date(d, &["answers"]))
            .transpose()?
            .flatten(),
        FillField::ReferralReleaseDate,
        &["referral", "release_date"],
        filled,
        at,
    )?;
    let consent = agree(
        r.consent,
        filled
            .get(FillField::ReferralConsent)
            .map(|v| word::<Consent>(v, file))
            .transpose()?,
        FillField::ReferralConsent,
        &["referral", "consent"],
        filled,
        at,
    )?
    .ok_or_else(|| {
        Failure::usage(at.message(
            &["referral"],
            true,
            "referral `consent` is missing; give named, anonymous or none (or answer the questionnaire's consent question)",
        ))
    })?;
    let expulsion = agree(
        r.expulsion,
        filled
            .get(FillField::ReferralExpulsion)
            .map(|v| word::<Expulsion>(v, file))
            .transpose()?,
        FillField::ReferralExpulsion,
        &["referral", "expulsion"],
        filled,
        at,
    )?;
    let referral = NewReferral {
        consent,
        release_date,
        expulsion,
        contact: r.contact.trim().to_owned(),
    };
    if consent == Consent::None {
        // No referral will be made; the contact is not needed.
        return Ok(referral);
    }
    referral
        .validated(today)
        .map_err(|e| Failure::usage(at.message(key_of(e.field), false, &format!("referral: {e}"))))
}

/// Walks the questionnaire with the file's answers as an officer would, through the same
/// `Session::prepare`/`apply` as the screens, and returns the session with the prepared moves
/// in the order an interview would save them. Any answer the question cannot take, a required
/// question without an answer, or an answer or note for a question that is never asked is
/// refused naming the question.
fn walk(
    q: &Arc<Questionnaire>,
    input: &AnswersFile,
    at: &load::Positions,
) -> Result<(Session, Vec<Pending>), Failure> {
    let mut s = Session::new(Arc::clone(q));
    let mut moves = Vec::new();
    let mut used = Vec::new();
    let file = at.file();
    let refused = |e: AnswerError| Failure::usage(format!("{file}: {e}"));
    // Each step moves the walk forward, so the bound is only a guard against a bug.
    for _ in 0..=q.question_count() {
        let Some(question) = s.current() else { break };
        let id = question.id.name.clone();
        // Where this question's answer and note were written, for the messages below.
        let answer_at =
            |e: AnswerError| Failure::usage(at.message(&["answers", &id], false, &e.to_string()));
        let note_at =
            |e: AnswerError| Failure::usage(at.message(&["notes", &id], false, &e.to_string()));
        // A note first: the session holds it and saves it with the answer.
        if let Some(note) = input.notes.get(&id) {
            let p = s.prepare(Move::Note(Some(note.clone()))).map_err(note_at)?;
            s.apply(p).map_err(note_at)?;
        }
        let question = s.current().ok_or(AnswerError::Finished).map_err(refused)?;
        let mv = match input.answers.get(&id) {
            Some(given) => {
                used.push(id.clone());
                Move::Answer(Answer::from_input(question, given).map_err(|e| {
                    Failure::usage(at.message(&["answers", &id], false, &e.explain(question)))
                })?)
            }
            None if question.kind == Kind::Info || !question.required => Move::Skip,
            None => {
                return Err(Failure::usage(at.message(
                    &["answers"],
                    true,
                    &format!("question `{id}` is asked and required but the file gives no answer"),
                )));
            }
        };
        let p = s.prepare(mv).map_err(answer_at)?;
        moves.push(p.clone());
        s.apply(p).map_err(answer_at)?;
    }
    if !s.is_finished() {
        return Err(Failure::usage(at.message(
            &["answers"],
            true,
            "the answers do not bring the interview to its end",
        )));
    }
    for id in input.answers.keys() {
        if !used.contains(id) {
            let message = if q.question(id).is_some() {
                format!("the file answers `{id}`, which is not asked with these answers")
            } else {
                let hint = suggest(id, q.questions().map(|x| x.id.as_str()))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                format!("the questionnaire has no question `{id}`{hint}")
            };
            return Err(Failure::usage(at.message(&["answers", id], true, &message)));
        }
    }
    for id in input.notes.keys() {
        if !s.path().iter().any(|x| x.id.as_str() == id) {
            let hint = if q.question(id).is_some() {
                String::new()
            } else {
                suggest(id, q.questions().map(|x| x.id.as_str()))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default()
            };
            return Err(Failure::usage(at.message(
                &["notes", id],
                true,
                &format!("a note is given for `{id}`, which is not asked with these answers{hint}"),
            )));
        }
    }
    Ok((s, moves))
}
