//! What a bundle holds (format 1): one referral, or a withdrawal notice, with the prison's
//! audit head at the moment it was sealed.
//!
//! A referral carries everything ROSA needs to follow it up: the screening's details, the
//! outcome, flags and indicators with the questions that raised them, the answers as asked
//! (with earlier values), the questionnaire's id, version, hash and exact YAML, the urgency and
//! the officer's contact. An anonymous referral's payload carries no person reference, no birth
//! year and no free text: notes are left out, and so are text answers (the question's entry is
//! dropped, since even a blank would say something was typed).
//!
//! The unit is deliberately not in the payload: ROSA takes it from the key that signed it.

use serde::{Deserialize, Serialize};

use crate::screening::Answer;
use crate::store::{
    Consent, Custody, EarlierAnswer, Expulsion, Finish, Gender, Interpreter, Raised,
    ReferralDetail, ReferralEvent, ReferralRow, Status, StoredAnswer, StoredScreening,
};

/// The bundle format this program writes.
pub const FORMAT: u32 = 1;
/// The oldest bundle format this program opens (N-1 once there is a format 2).
pub const OLDEST_FORMAT: u32 = 1;

/// A prison's audit head: how many entries its log had and the hash of the last one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHead {
    /// Number of entries.
    pub entries: u64,
    /// Hash of the last entry (hex).
    pub hash: String,
}

/// The whole payload, signed inside the encryption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    /// The format number ([`FORMAT`] when written by this program).
    pub format: u32,
    /// When it was sealed (RFC 3339 UTC).
    pub sealed_at: String,
    /// The prison's audit head when it was sealed.
    pub audit_head: AuditHead,
    /// A referral or a withdrawal notice.
    #[serde(flatten)]
    pub body: Body,
}

/// What the payload is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    /// A referral to follow up.
    Referral(Box<ReferralPayload>),
    /// The person withdrew consent: erase ROSA's copy and close the referral.
    Withdrawal(WithdrawalPayload),
}

impl Body {
    /// The referral this payload is about.
    #[must_use]
    pub fn referral_id(&self) -> &str {
        match self {
            Self::Referral(r) => &r.referral_id,
            Self::Withdrawal(w) => &w.referral_id,
        }
    }

    /// `referral` or `withdrawal`.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Referral(_) => "referral",
            Self::Withdrawal(_) => "withdrawal",
        }
    }
}

/// A withdrawal notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawalPayload {
    /// The referral whose consent was withdrawn.
    pub referral_id: String,
    /// When consent was withdrawn.
    pub withdrawn_at: String,
    /// The officer's note (why, what was agreed).
    pub note: String,
}

/// The questionnaire a screening was asked with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionnairePayload {
    /// Its id.
    pub id: String,
    /// Its version.
    pub version: String,
    /// SHA-256 of the exact YAML.
    pub hash: String,
    /// The file name it came from (or `built-in:...`).
    pub source: String,
    /// The exact YAML text (ROSA keeps it once per hash).
    pub yaml: String,
    /// The exact PO files of its translations for the person, which the hash covers too
    /// (absent, and so unchanged bundles, for a questionnaire without translations).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translations: Vec<crate::questionnaire::TranslationSource>,
}

/// One answer as asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerPayload {
    /// The question id.
    pub question_id: String,
    /// The answer; None when skipped or an info item was seen.
    pub answer: Option<Answer>,
    /// The officer's note (never in an anonymous referral).
    pub note: Option<String>,
    /// When it was given.
    pub answered_at: String,
    /// Earlier values, oldest first.
    pub history: Vec<EarlierAnswer>,
}

/// A referral as sealed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferralPayload {
    /// The referral id (ROSA keeps it, so both sites speak of the same id).
    pub referral_id: String,
    /// The screening id.
    pub screening_id: String,
    /// `named` or `anonymous`.
    pub consent: Consent,
    /// When the referral was made.
    pub created_at: String,
    /// Who made it (the officer as recorded on the screening).
    pub created_by: String,
    /// Release or transfer date (YYYY-MM-DD).
    pub release_date: Option<String>,
    /// Whether expulsion is expected (`yes`, `no`, `pending`, `unknown`).
    pub expulsion: Option<Expulsion>,
    /// How ROSA reaches the referring officer.
    pub contact: String,
    /// The officer who ran the screening.
    pub officer: String,
    /// The prison's reference for the person (None in an anonymous referral).
    pub person: Option<String>,
    /// Gender.
    pub gender: Gender,
    /// Year of birth (None in an anonymous referral).
    pub birth_year: Option<i32>,
    /// Nationality (ISO 3166-1 alpha-2 or `unknown`).
    pub nationality: String,
    /// The interview's language.
    pub language: String,
    /// Interpreter; `None` (null) when the questionnaire asks it and it was not answered with
    /// a value.
    pub interpreter: Option<Interpreter>,
    /// The person's own language.
    pub person_language: Option<String>,
    /// Remand, sentenced or other, when the questionnaire filled it.
    #[serde(default)]
    pub custody: Option<Custody>,
    /// When the screening started.
    pub started_at: String,
    /// When it ended.
    pub ended_at: String,
    /// The questionnaire asked.
    pub questionnaire: QuestionnairePayload,
    /// The outcome, raised indicators and flags, positive dimensions.
    pub result: Finish,
    /// The answers as asked, in the order first given.
    pub answers: Vec<AnswerPayload>,
}

impl ReferralPayload {
    /// The payload for a referral as the prison's store holds it; an anonymous one is
    /// stripped here, so nothing identifying can reach the bundle by another path.
    ///
    /// # Errors
    /// A sentence when the screening is not finished (a referral always is).
    pub fn from_detail(d: &ReferralDetail) -> Result<Self, String> {
        let s = &d.screening;
        let anonymous = d.row.consent == Consent::Anonymous;
        let ended_at = s
            .ended_at
            .clone()
            .ok_or_else(|| format!("the screening of referral {} is not finished", d.row.id))?;
        let result = s.result.clone().unwrap_or_default();
        let created_by = d
            .events
            .iter()
            .find(|e| e.kind == "created")
            .map_or_else(|| s.officer.clone(), |e| e.actor.clone());
        let answers = s
            .answers
            .iter()
            .filter(|a| !(anonymous && is_text(a.answer.as_ref())))
            .map(|a| AnswerPayload {
                question_id: a.question_id.clone(),
                answer: a.answer.clone(),
                note: if anonymous { None } else { a.note.clone() },
                answered_at: a.answered_at.clone(),
                history: a
                    .history
                    .iter()
                    .filter(|h| !(anonymous && is_text(h.answer.as_ref())))
                    .map(|h| EarlierAnswer {
                        note: if anonymous { None } else { h.note.clone() },
                        ..h.clone()
                    })
                    .collect(),
            })
            .collect();
        Ok(Self {
            referral_id: d.row.id.clone(),
            screening_id: s.id.clone(),
            consent: d.row.consent,
            created_at: d.row.created_at.clone(),
            created_by,
            release_date: d.row.release_date.clone(),
            expulsion: d.row.expulsion,
            contact: d.contact.clone(),
            officer: s.officer.clone(),
            person: (!anonymous).then(|| s.person.clone()),
            gender: s.gender,
            birth_year: if anonymous { None } else { s.birth_year },
            nationality: s.nationality.clone(),
            language: s.language.clone(),
            interpreter: s.interpreter,
            person_language: s.person_language.clone(),
            custody: s.custody,
            started_at: s.started_at.clone(),
            ended_at,
            questionnaire: QuestionnairePayload {
                id: s.questionnaire_id.clone(),
                version: s.questionnaire_version.clone(),
                hash: s.questionnaire_hash.clone(),
                source: s.questionnaire_source.clone(),
                yaml: s.questionnaire_yaml.clone(),
                translations: s.questionnaire_translations.clone(),
            },
            result,
            answers,
        })
    }

    /// The referral as ROSA stores it: `unit` is the unit registered for the signing key.
    /// A new referral at ROSA starts as `new` with the prison's creation event.
    #[must_use]
    pub fn to_detail(&self, unit: &str) -> ReferralDetail {
        let flags = self.result.flags.iter().map(|f| f.id.clone()).collect();
        ReferralDetail {
            row: ReferralRow {
                id: self.referral_id.clone(),
                status: Status::New,
                created_at: self.created_at.clone(),
                updated_at: self.created_at.clone(),
                screening_id: self.screening_id.clone(),
                unit: unit.to_owned(),
                person: self.person.clone().unwrap_or_default(),
                outcome: self.result.outcome.clone(),
                consent: self.consent,
                release_date: self.release_date.clone(),
                expulsion: self.expulsion,
                flags,
            },
            contact: self.contact.clone(),
            screening: StoredScreening {
                id: self.screening_id.clone(),
                questionnaire_id: self.questionnaire.id.clone(),
                questionnaire_version: self.questionnaire.version.clone(),
                questionnaire_hash: self.questionnaire.hash.clone(),
                questionnaire_source: self.questionnaire.source.clone(),
                questionnaire_yaml: self.questionnaire.yaml.clone(),
                questionnaire_translations: self.questionnaire.translations.clone(),
                unit: unit.to_owned(),
                officer: self.officer.clone(),
                person: self.person.clone().unwrap_or_default(),
                gender: self.gender,
                birth_year: self.birth_year,
                nationality: self.nationality.clone(),
                language: self.language.clone(),
                interpreter: self.interpreter,
                person_language: self.person_language.clone(),
                custody: self.custody,
                consent: Some(self.consent),
                started_at: self.started_at.clone(),
                ended_at: Some(self.ended_at.clone()),
                answers: self
                    .answers
                    .iter()
                    .map(|a| StoredAnswer {
                        question_id: a.question_id.clone(),
                        answer: a.answer.clone(),
                        note: a.note.clone(),
                        answered_at: a.answered_at.clone(),
                        history: a.history.clone(),
                    })
                    .collect(),
                result: Some(self.result.clone()),
                referral_id: Some(self.referral_id.clone()),
            },
            events: vec![ReferralEvent {
                at: self.created_at.clone(),
                actor: self.created_by.clone(),
                kind: "created".to_owned(),
                from: None,
                to: Some(Status::New),
                note: None,
            }],
        }
    }

    /// Checks what a signature cannot: that the YAML is the one its hash names, and that an
    /// anonymous referral really carries nothing identifying (a prison running an old or
    /// altered program must not be able to send it).
    ///
    /// # Errors
    /// One phrase saying what is wrong.
    pub fn check(&self) -> Result<(), String> {
        if crate::questionnaire::content_hash(
            &self.questionnaire.yaml,
            &self.questionnaire.translations,
        ) != self.questionnaire.hash
        {
            return Err("its questionnaire text does not match the questionnaire hash".to_owned());
        }
        if uuid::Uuid::parse_str(&self.referral_id).is_err()
            || uuid::Uuid::parse_str(&self.screening_id).is_err()
        {
            return Err("its referral or screening id is not an id".to_owned());
        }
        if self.consent == Consent::None {
            return Err("it is a referral without consent".to_owned());
        }
        if self.consent == Consent::Anonymous {
            let identifying = self.person.is_some()
                || self.birth_year.is_some()
                || self.answers.iter().any(|a| {
                    a.note.is_some()
                        || is_text(a.answer.as_ref())
                        || a.history
                            .iter()
                            .any(|h| h.note.is_some() || is_text(h.answer.as_ref()))
                });
            if identifying {
                return Err(
                    "it is marked anonymous but carries a person reference, birth year or free text"
                        .to_owned(),
                );
            }
        }
        Ok(())
    }
}

fn is_text(a: Option<&Answer>) -> bool {
    matches!(a, Some(Answer::Text(_)))
}

/// The raised items of a result, for callers building one by hand.
#[must_use]
pub fn raised(id: &str, because: &[&str]) -> Raised {
    Raised {
        id: id.to_owned(),
        because: because.iter().map(|s| (*s).to_owned()).collect(),
    }
}

impl Payload {
    /// Serialises to the exact text that is signed.
    ///
    /// # Errors
    /// A sentence when serialisation fails (it does not for these types).
    pub fn to_json(&self) -> Result<String, String> {
        serde_json::to_string(self).map_err(|e| format!("cannot write the bundle payload: {e}"))
    }

    /// Reads a payload of a format this program opens.
    ///
    /// # Errors
    /// One phrase saying what is wrong.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let p: Self =
            serde_json::from_str(text).map_err(|e| format!("its payload cannot be read ({e})"))?;
        if let Body::Referral(r) = &p.body {
            r.check()?;
        }
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample(consent: Consent) -> ReferralPayload {
        let yaml = "id: q\nversion: '1'\n".to_owned();
        ReferralPayload {
            referral_id: uuid::Uuid::now_v7().to_string(),
            screening_id: uuid::Uuid::now_v7().to_string(),
            consent,
            created_at: "2026-05-01T10:00:00.000000Z".into(),
            created_by: "Officer A".into(),
            release_date: Some("2027-01-15".into()),
            expulsion: Some(Expulsion::Yes),
            contact: "Officer A, 555 01 234".into(),
            officer: "Officer A".into(),
            person: (consent == Consent::Named).then(|| "B-2026-117".into()),
            gender: Gender::Female,
            birth_year: (consent == Consent::Named).then_some(1990),
            nationality: "NG".into(),
            language: "en".into(),
            interpreter: Some(Interpreter::InPerson),
            person_language: None,
            custody: None,
            started_at: "2026-05-01T09:00:00.000000Z".into(),
            ended_at: "2026-05-01T09:40:00.000000Z".into(),
            questionnaire: QuestionnairePayload {
                id: "q".into(),
                version: "1".into(),
                hash: super::super::sha256_hex(yaml.as_bytes()),
                source: "built-in".into(),
                yaml,
                translations: Vec::new(),
            },
            result: Finish {
                outcome: "refer".into(),
                indicators: vec![raised("unpaid", &["hours"])],
                flags: vec![raised("urgent", &[])],
                positive: vec!["labour".into()],
            },
            answers: vec![AnswerPayload {
                question_id: "hours".into(),
                answer: Some(Answer::Number(14.0)),
                note: None,
                answered_at: "2026-05-01T09:10:00.000000Z".into(),
                history: vec![],
            }],
        }
    }

    #[test]
    fn payload_round_trips_through_json() {
        let p = Payload {
            format: FORMAT,
            sealed_at: "2026-05-02T00:00:00Z".into(),
            audit_head: AuditHead {
                entries: 3,
                hash: "ab".into(),
            },
            body: Body::Referral(Box::new(sample(Consent::Named))),
        };
        let json = p.to_json().unwrap();
        assert!(json.contains("\"kind\":\"referral\""), "{json}");
        assert!(json.contains("\"format\":1"), "{json}");
        assert_eq!(Payload::from_json(&json).unwrap(), p);
    }

    /// An interpreter not known (the questionnaire asks it; not answered with a value) travels
    /// as null and arrives as not known; a bundle sealed before it could be null still reads.
    #[test]
    fn an_interpreter_not_known_travels_as_null() {
        let mut r = sample(Consent::Named);
        r.interpreter = None;
        let p = Payload {
            format: FORMAT,
            sealed_at: "2026-05-02T00:00:00Z".into(),
            audit_head: AuditHead {
                entries: 3,
                hash: "ab".into(),
            },
            body: Body::Referral(Box::new(r)),
        };
        let json = p.to_json().unwrap();
        assert!(json.contains("\"interpreter\":null"), "{json}");
        assert_eq!(Payload::from_json(&json).unwrap(), p);
        let older = json.replace("\"interpreter\":null", "\"interpreter\":\"phone\"");
        let Body::Referral(r) = Payload::from_json(&older).unwrap().body else {
            unreachable!("a referral bundle")
        };
        assert_eq!(r.interpreter, Some(Interpreter::Phone));
    }

    #[test]
    fn anonymous_payload_with_identifying_data_is_refused() {
        let mut r = sample(Consent::Anonymous);
        assert!(r.check().is_ok());
        r.birth_year = Some(1990);
        assert!(r.check().is_err());
        let mut r = sample(Consent::Anonymous);
        r.answers[0].note = Some("lives at".into());
        assert!(r.check().is_err());
    }

    #[test]
    fn translations_travel_with_the_questionnaire_and_its_hash_covers_them() {
        let mut r = sample(Consent::Named);
        let before = serde_json::to_string(&r).unwrap();
        assert!(
            !before.contains("translations"),
            "absent when there are none"
        );
        r.questionnaire.translations = vec![crate::questionnaire::TranslationSource {
            lang: "ro".into(),
            file: "q.ro.po".into(),
            text: "msgid \"\"\nmsgstr \"Language: ro\\n\"\n".into(),
        }];
        assert!(r.check().is_err(), "the YAML-only hash no longer covers it");
        r.questionnaire.hash = crate::questionnaire::content_hash(
            &r.questionnaire.yaml,
            &r.questionnaire.translations,
        );
        assert!(r.check().is_ok());
        r.questionnaire.translations[0].text.push(' ');
        assert!(r.check().unwrap_err().contains("hash"));
    }

    #[test]
    fn yaml_must_match_its_hash() {
        let mut r = sample(Consent::Named);
        r.questionnaire.yaml.push(' ');
        assert!(r.check().unwrap_err().contains("hash"));
    }
}
