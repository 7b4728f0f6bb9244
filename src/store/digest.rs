//! Digests the audit log records instead of values: HMAC-SHA256 under a random key kept in the
//! screening's row (`screenings.digest_key`).
//!
//! A plain hash of an answer could be reversed by trying the few possible answers; an HMAC
//! cannot without the key, and purge and withdrawal destroy the key, so nothing recorded in the
//! append-only log can be turned back into the person's answers. While the key exists,
//! `audit verify` recomputes each digest from the row and names a row changed behind the
//! program's back.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Bytes in a screening's digest key.
pub const KEY_LEN: usize = 32;

/// A new random key for a screening, from the operating system's generator.
pub fn new_key() -> Result<Vec<u8>, String> {
    let mut key = vec![0u8; KEY_LEN];
    getrandom::fill(&mut key)
        .map_err(|e| format!("the system gave no random bytes for a digest key: {e}"))?;
    Ok(key)
}

/// HMAC-SHA256 (hex) of `fields` under `key`; each field is length-prefixed, so fields cannot
/// run into each other, and `None` differs from any text.
pub fn digest(key: &[u8], fields: &[Option<&str>]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        // HMAC takes a key of any length; this arm is never reached.
        return String::new();
    };
    for field in fields {
        match field {
            Some(f) => {
                mac.update(f.len().to_string().as_bytes());
                mac.update(b":");
                mac.update(f.as_bytes());
            }
            None => mac.update(b"-"),
        }
        mac.update(b"\n");
    }
    let bytes = mac.finalize().into_bytes();
    let mut out = String::with_capacity(64);
    for b in bytes {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The digest of one answer entry (the stored JSON of the answer and the note).
pub fn answer(key: &[u8], question: &str, answer_json: Option<&str>, note: Option<&str>) -> String {
    digest(key, &[Some("answer"), Some(question), answer_json, note])
}

/// The screening details that must not change after they were recorded, in a fixed order.
pub struct Details<'a> {
    /// The questionnaire's content hash.
    pub questionnaire_hash: &'a str,
    /// The unit.
    pub unit: &'a str,
    /// The officer (contact data).
    pub officer: &'a str,
    /// The person's reference.
    pub person: &'a str,
    /// Gender word.
    pub gender: &'a str,
    /// Birth year.
    pub birth_year: Option<i64>,
    /// Nationality.
    pub nationality: &'a str,
    /// The interview's language.
    pub language: &'a str,
    /// Interpreter word; `None`: not known yet.
    pub interpreter: Option<&'a str>,
    /// The person's own language.
    pub person_language: Option<&'a str>,
}

/// The digest of a screening's details.
pub fn details(key: &[u8], d: &Details<'_>) -> String {
    let year = d.birth_year.map(|y| y.to_string());
    digest(
        key,
        &[
            Some("details"),
            Some(d.questionnaire_hash),
            Some(d.unit),
            Some(d.officer),
            Some(d.person),
            Some(d.gender),
            year.as_deref(),
            Some(d.nationality),
            Some(d.language),
            d.interpreter,
            d.person_language,
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_and_unambiguous() {
        let k1 = new_key().unwrap();
        let k2 = new_key().unwrap();
        assert_ne!(k1, k2);
        let a = answer(&k1, "q", Some("\"yes\""), None);
        assert_eq!(a, answer(&k1, "q", Some("\"yes\""), None));
        assert_ne!(
            a,
            answer(&k2, "q", Some("\"yes\""), None),
            "the key matters"
        );
        assert_ne!(a, answer(&k1, "q", Some("\"no\""), None));
        assert_ne!(a, answer(&k1, "q", Some("\"yes\""), Some("")));
        assert_ne!(
            digest(&k1, &[Some("ab"), Some("c")]),
            digest(&k1, &[Some("a"), Some("bc")])
        );
        // Never the plain hash of the value.
        assert_ne!(a, crate::store::sha256_hex(b"\"yes\""));
    }
}
