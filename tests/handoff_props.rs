//! Property tests of the hand-off: generated referrals survive seal -> open -> import -> read
//! back unchanged, and the bundle reader (a stable fuzz target driven by proptest) never
//! panics and never accepts garbage, a truncated bundle or one with a byte flipped.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::OnceLock;

use proptest::prelude::*;
use rosa_screen::handoff::bundle;
use rosa_screen::handoff::keys::{PublicKey, SecretKey, SiteKind};
use rosa_screen::handoff::payload::{
    AnswerPayload, AuditHead, Body, FORMAT, Payload, QuestionnairePayload, ReferralPayload,
};
use rosa_screen::handoff::sha256_hex;
use rosa_screen::screening::Answer;
use rosa_screen::store::{
    Consent, EarlierAnswer, Expulsion, Finish, Gender, Imported, Incoming, Interpreter, Raised,
    Store,
};

struct Keys {
    prison: SecretKey,
    rosa: SecretKey,
}

/// One pair of keys for the whole file (key generation is not what is tested here).
fn keys() -> &'static Keys {
    static K: OnceLock<Keys> = OnceLock::new();
    K.get_or_init(|| Keys {
        prison: SecretKey::generate(SiteKind::Prison),
        rosa: SecretKey::generate(SiteKind::Rosa),
    })
}

/// ROSA's identities, as `handoff import --identity` gives them.
fn rosa() -> &'static [SecretKey] {
    std::slice::from_ref(&keys().rosa)
}

fn registered(id: &str) -> Option<PublicKey> {
    let p = keys().prison.public();
    (id == p.key_id()).then_some(p)
}

fn word() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_]{0,8}"
}

fn free_text() -> impl Strategy<Value = String> {
    // Any printable text, control characters and non-ASCII included.
    "\\PC{0,40}"
}

fn answer(anonymous: bool) -> impl Strategy<Value = Option<Answer>> {
    let text = if anonymous {
        Just(None).boxed()
    } else {
        free_text().prop_map(|t| Some(Answer::Text(t))).boxed()
    };
    prop_oneof![
        Just(None),
        word().prop_map(|w| Some(Answer::Choice(w))),
        prop::collection::vec(word(), 0..4).prop_map(|v| Some(Answer::Choices(v))),
        // Whole numbers: JSON keeps them exactly.
        (0u32..10_000).prop_map(|n| Some(Answer::Number(f64::from(n)))),
        Just(Some(Answer::Date("2027-01-15".to_owned()))),
        Just(Some(Answer::DontKnow)),
        Just(Some(Answer::Declined)),
        text,
    ]
}

fn time(n: u32) -> String {
    format!("2026-05-01T09:{:02}:{:02}.000000Z", (n / 60) % 60, n % 60)
}

fn answers(anonymous: bool) -> impl Strategy<Value = Vec<AnswerPayload>> {
    let note = if anonymous {
        Just(None).boxed()
    } else {
        prop::option::of(free_text()).boxed()
    };
    let earlier = (answer(anonymous), note.clone()).prop_map(|(answer, note)| EarlierAnswer {
        answer,
        note,
        answered_at: time(1),
        replaced_at: time(2),
    });
    prop::collection::vec(
        (
            answer(anonymous),
            note,
            prop::collection::vec(earlier, 0..2),
        ),
        0..6,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (answer, note, history))| AnswerPayload {
                question_id: format!("q{i}"),
                answer,
                note,
                answered_at: time(3 + u32::try_from(i).unwrap_or(0)),
                history,
            })
            .collect()
    })
}

fn referral() -> impl Strategy<Value = ReferralPayload> {
    any::<bool>().prop_flat_map(|anonymous| {
        (
            free_text(),
            free_text(),
            prop::option::of(1930i32..2010),
            prop::sample::select(vec![
                Gender::Female,
                Gender::Male,
                Gender::Other,
                Gender::Unknown,
            ]),
            prop::option::of(prop::sample::select(vec![
                Expulsion::Yes,
                Expulsion::No,
                Expulsion::Pending,
                Expulsion::Unknown,
            ])),
            answers(anonymous),
            prop::collection::vec(word(), 0..3),
            free_text(),
        )
            .prop_map(
                move |(person, contact, birth, gender, expulsion, answers, flags, yaml)| {
                    ReferralPayload {
                        referral_id: uuid::Uuid::now_v7().to_string(),
                        screening_id: uuid::Uuid::now_v7().to_string(),
                        consent: if anonymous {
                            Consent::Anonymous
                        } else {
                            Consent::Named
                        },
                        created_at: time(50),
                        created_by: contact.clone(),
                        release_date: expulsion.map(|_| "2027-01-15".to_owned()),
                        expulsion,
                        contact: contact.clone(),
                        officer: contact,
                        person: (!anonymous).then_some(person),
                        gender,
                        birth_year: if anonymous { None } else { birth },
                        nationality: "NG".to_owned(),
                        language: "en".to_owned(),
                        interpreter: Some(Interpreter::Phone),
                        person_language: None,
                        custody: None,
                        started_at: time(0),
                        ended_at: time(40),
                        questionnaire: QuestionnairePayload {
                            id: "q".to_owned(),
                            version: "1".to_owned(),
                            hash: sha256_hex(yaml.as_bytes()),
                            source: "generated".to_owned(),
                            yaml,
                            translations: Vec::new(),
                        },
                        result: Finish {
                            outcome: "refer".to_owned(),
                            indicators: vec![Raised {
                                id: "ind".to_owned(),
                                because: vec!["q0".to_owned()],
                            }],
                            flags: flags
                                .into_iter()
                                .enumerate()
                                .map(|(i, f)| Raised {
                                    id: format!("{f}{i}"),
                                    because: vec![],
                                })
                                .collect(),
                            positive: vec!["labour".to_owned()],
                        },
                        answers,
                    }
                },
            )
    })
}

fn sealed(r: &ReferralPayload) -> (String, String) {
    let payload = Payload {
        format: FORMAT,
        sealed_at: time(59),
        audit_head: AuditHead {
            entries: 3,
            hash: "ab".repeat(32),
        },
        body: Body::Referral(Box::new(r.clone())),
    };
    let json = payload.to_json().unwrap();
    let b = bundle::seal(&json, &keys().prison, &keys().rosa.public()).unwrap();
    (json, b)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Seal, open, import into ROSA's store, read back: the same referral.
    #[test]
    fn seal_import_round_trip(r in referral()) {
        let (json, b) = sealed(&r);
        let opened = bundle::open(b.as_bytes(), "b", rosa(), &registered).unwrap();
        prop_assert_eq!(&opened.payload, &json);
        let payload = Payload::from_json(&opened.payload).unwrap();
        let Body::Referral(back) = payload.body else { panic!("not a referral") };
        prop_assert_eq!(&*back, &r);

        let mut store = Store::in_memory().unwrap();
        let from = Incoming {
            unit: "Bredtveit".to_owned(),
            key_id: opened.signer.clone(),
            format: opened.format,
            payload_sha256: opened.payload_sha256.clone(),
            audit_entries: 3,
            audit_head: "ab".repeat(32),
        };
        let first = store.import_referral(&back.to_detail("Bredtveit"), &from, "rosa").unwrap();
        prop_assert!(matches!(first, Imported::New { .. }), "first import");
        let again = store.import_referral(&back.to_detail("Bredtveit"), &from, "rosa").unwrap();
        prop_assert!(matches!(again, Imported::Already { .. }), "second import");
        let stored = store.referral(&r.referral_id).unwrap();
        let read_back = ReferralPayload::from_detail(&stored).unwrap();
        prop_assert_eq!(read_back, r);
    }

    /// The bundle reader never panics on garbage, and never accepts it.
    #[test]
    fn garbage_is_refused_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        prop_assert!(bundle::open(&bytes, "g", rosa(), &registered).is_err());
    }

    /// A truncated bundle, or one with any byte flipped, is refused without panic.
    #[test]
    fn truncated_or_flipped_is_refused(r in referral(), cut in any::<prop::sample::Index>(),
                                       at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let (_, b) = sealed(&r);
        let bytes = b.as_bytes();
        let short = &bytes[..cut.index(bytes.len())];
        // Only trailing white space cut off (an e-mail client may drop the last line break)
        // still opens, to exactly the sealed payload; any other cut is refused.
        if short.trim_ascii_end() == bytes.trim_ascii_end() {
            let o = bundle::open(short, "t", rosa(), &registered);
            prop_assert!(o.is_ok(), "only the last line break was cut");
            if let Ok(o) = o {
                prop_assert_eq!(o.payload, sealed_payload_of(&b));
            }
        } else {
            prop_assert!(bundle::open(short, "t", rosa(), &registered).is_err());
        }
        let mut flipped = bytes.to_vec();
        let i = at.index(flipped.len());
        flipped[i] ^= 1 << bit;
        // A flip in the armour's line breaks or trailing whitespace can leave the decoded
        // bytes the same; anything that still opens must be exactly the original payload.
        if let Ok(o) = bundle::open(&flipped, "f", rosa(), &registered) {
            prop_assert_eq!(o.payload, sealed_payload_of(&b));
        }
    }
}

fn sealed_payload_of(b: &str) -> String {
    bundle::open(b.as_bytes(), "b", rosa(), &registered)
        .unwrap()
        .payload
}
