//! Sealing and opening a bundle.
//!
//! ```text
//! payload (JSON text, `format` inside)
//!   -> envelope {purpose, format, recipient, signer, payload, signature}   signed by the prison
//!   -> age, encrypted to ROSA's X25519 recipient
//!   -> ASCII armour (survives e-mail)
//! ```
//! The signature covers [`LABEL`], the format, ROSA's key id, the prison's key id and the exact
//! payload text ([`super::signed_message`]). Opening checks, in order: the armour and age's
//! authentication (a changed or truncated file fails here), which of ROSA's keys opens it, the
//! envelope's purpose and format, that it was signed for the key that opened it, that the signer
//! is a registered prison, and the signature.

use std::io::Read;

use age::armor::{ArmoredReader, ArmoredWriter, Format};
use data_encoding::BASE64;
use serde::{Deserialize, Serialize};

use super::keys::{PublicKey, SecretKey, SiteKind};
use super::payload::{FORMAT, OLDEST_FORMAT};
use super::{HandoffError, files, sha256_hex, signed_message};

/// The purpose label signed with every bundle.
pub const LABEL: &str = "rosa-screen bundle";

/// The signed envelope inside the encryption.
#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    purpose: String,
    format: u32,
    recipient: String,
    signer: String,
    payload: String,
    signature: String,
}

fn message(format: u32, recipient: &str, signer: &str, payload: &str) -> Vec<u8> {
    signed_message(
        LABEL,
        &[
            format.to_string().as_bytes(),
            recipient.as_bytes(),
            signer.as_bytes(),
            payload.as_bytes(),
        ],
    )
}

/// Seals `payload` (the JSON text of a [`super::payload::Payload`]): signs it with the prison's
/// key, encrypts it to ROSA's public key, and returns the ASCII-armoured bundle.
///
/// # Errors
/// [`HandoffError::KeyFile`] when `to` is not ROSA's key or `key` is not a prison's.
pub fn seal(payload: &str, key: &SecretKey, to: &PublicKey) -> Result<String, HandoffError> {
    seal_as(FORMAT, payload, key, to)
}

/// As [`seal`], with the envelope's format number given (tests make bundles of other formats).
#[doc(hidden)]
pub fn seal_as(
    format: u32,
    payload: &str,
    key: &SecretKey,
    to: &PublicKey,
) -> Result<String, HandoffError> {
    if to.site != SiteKind::Rosa {
        return Err(HandoffError::KeyFile {
            path: "--to".to_owned(),
            why: "it is a prison's public file; bundles are sealed to ROSA's public file"
                .to_owned(),
        });
    }
    if key.site != SiteKind::Prison {
        return Err(HandoffError::KeyFile {
            path: "--key".to_owned(),
            why: "it is ROSA's secret key; a bundle is signed with the prison's own key".to_owned(),
        });
    }
    let recipient = to.key_id();
    let signer = key.public().key_id();
    let signature = key.sign(&message(format, &recipient, &signer, payload));
    let envelope = Envelope {
        purpose: LABEL.to_owned(),
        format,
        recipient,
        signer,
        payload: payload.to_owned(),
        signature: BASE64.encode(&signature),
    };
    let plain = serde_json::to_vec(&envelope).map_err(|e| HandoffError::Io {
        path: "the bundle".to_owned(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let io = |e: std::io::Error| HandoffError::Io {
        path: "the bundle".to_owned(),
        source: e,
    };
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&to.recipient as _))
        .map_err(|e| io(std::io::Error::other(e.to_string())))?;
    let mut out = Vec::with_capacity(plain.len() * 4 / 3 + 512);
    let armored = ArmoredWriter::wrap_output(&mut out, Format::AsciiArmor).map_err(io)?;
    let mut w = encryptor.wrap_output(armored).map_err(io)?;
    std::io::Write::write_all(&mut w, &plain).map_err(io)?;
    w.finish().and_then(ArmoredWriter::finish).map_err(io)?;
    String::from_utf8(out).map_err(|e| io(std::io::Error::other(e.to_string())))
}

/// An opened, checked bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// The bundle's format.
    pub format: u32,
    /// Which of the given identities opened it (its index).
    pub identity: usize,
    /// The signing prison's key id.
    pub signer: String,
    /// The payload text, exactly as signed.
    pub payload: String,
    /// SHA-256 (hex) of the payload text (what the receipt names).
    pub payload_sha256: String,
}

/// The armour's closing line, which every sealed bundle ends with.
const ARMOR_END: &[u8] = b"-----END AGE ENCRYPTED FILE-----";

/// Opens a bundle: decrypts it with the first of `identities` it was sealed for, checks the
/// envelope, and checks the signature with the key `signer` returns for its key id (`None`:
/// not a registered prison). `label` names the file in messages.
///
/// # Errors
/// [`HandoffError::NotForThisKey`], [`HandoffError::Damaged`] (not a bundle, changed,
/// truncated), [`HandoffError::UnknownFormat`], [`HandoffError::UnknownSigner`] or
/// [`HandoffError::BadSignature`]. Never panics, whatever the bytes.
pub fn open(
    bytes: &[u8],
    label: &str,
    identities: &[SecretKey],
    signer: &dyn Fn(&str) -> Option<PublicKey>,
) -> Result<Opened, HandoffError> {
    let damaged = |why: &str| HandoffError::Damaged {
        path: label.to_owned(),
        why: why.to_owned(),
    };
    // age's armour reader stops once the encrypted data is read and does not insist on the
    // closing line, so a bundle cut inside that line would still open: a bundle must end as it
    // was sealed (found by the truncation property test).
    if !bytes.trim_ascii_end().ends_with(ARMOR_END) {
        return Err(damaged(
            "it was cut short: its closing line `-----END AGE ENCRYPTED FILE-----` is missing",
        ));
    }
    let mut opened = None;
    for (i, id) in identities.iter().enumerate() {
        let decryptor = age::Decryptor::new_buffered(ArmoredReader::new(bytes)).map_err(|_| {
            damaged("it is not a sealed bundle, or its beginning was changed or cut off")
        })?;
        match decryptor.decrypt(std::iter::once(id.identity() as &dyn age::Identity)) {
            Ok(mut reader) => {
                let mut plain = Vec::new();
                (&mut reader)
                    .take(files::MAX_READ)
                    .read_to_end(&mut plain)
                    .map_err(|_| damaged("it was changed or cut short after it was sealed"))?;
                opened = Some((i, plain));
                break;
            }
            Err(age::DecryptError::NoMatchingKeys) => {}
            Err(_) => return Err(damaged("it was changed after it was sealed")),
        }
    }
    let Some((identity, plain)) = opened else {
        return Err(HandoffError::NotForThisKey {
            path: label.to_owned(),
        });
    };
    let env: Envelope = serde_json::from_slice(&plain)
        .map_err(|_| damaged("what it holds is not a rosa-screen bundle"))?;
    if env.purpose != LABEL {
        return Err(damaged("what it holds is not a rosa-screen bundle"));
    }
    if !(OLDEST_FORMAT..=FORMAT).contains(&env.format) {
        return Err(HandoffError::UnknownFormat {
            path: label.to_owned(),
            found: env.format,
            known: if OLDEST_FORMAT == FORMAT {
                FORMAT.to_string()
            } else {
                format!("{OLDEST_FORMAT} and {FORMAT}")
            },
        });
    }
    let own = identities
        .get(identity)
        .map(|k| k.public().key_id())
        .unwrap_or_default();
    if env.recipient != own {
        return Err(HandoffError::BadSignature {
            path: label.to_owned(),
            why: "it was signed for another ROSA key and re-encrypted to this one".to_owned(),
        });
    }
    let Some(prison) = signer(&env.signer) else {
        return Err(HandoffError::UnknownSigner {
            path: label.to_owned(),
            key: env.signer,
        });
    };
    let sig = BASE64
        .decode(env.signature.as_bytes())
        .map_err(|_| damaged("its signature is not readable"))?;
    if prison.site != SiteKind::Prison
        || prison.key_id() != env.signer
        || !prison.verifies(
            &message(env.format, &env.recipient, &env.signer, &env.payload),
            &sig,
        )
    {
        return Err(HandoffError::BadSignature {
            path: label.to_owned(),
            why: "its signature does not match the prison key registered for it".to_owned(),
        });
    }
    Ok(Opened {
        format: env.format,
        identity,
        signer: env.signer,
        payload_sha256: sha256_hex(env.payload.as_bytes()),
        payload: env.payload,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Sites {
        prison: SecretKey,
        rosa: SecretKey,
    }

    fn sites() -> Sites {
        Sites {
            prison: SecretKey::generate(SiteKind::Prison),
            rosa: SecretKey::generate(SiteKind::Rosa),
        }
    }

    fn registered(p: &SecretKey) -> impl Fn(&str) -> Option<PublicKey> + '_ {
        move |id: &str| (id == p.public().key_id()).then(|| p.public())
    }

    #[test]
    fn round_trip() {
        let s = sites();
        let b = seal("{\"format\":1}", &s.prison, &s.rosa.public()).unwrap();
        assert!(b.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
        let o = open(b.as_bytes(), "b", &[s.rosa], &registered(&s.prison)).unwrap();
        assert_eq!(o.payload, "{\"format\":1}");
        assert_eq!(o.signer, s.prison.public().key_id());
        assert_eq!(o.payload_sha256, sha256_hex(b"{\"format\":1}"));
    }

    #[test]
    fn a_cut_in_the_closing_line_is_refused_but_a_lost_line_break_is_not() {
        let s = sites();
        let b = seal("{}", &s.prison, &s.rosa.public()).unwrap();
        let reg = registered(&s.prison);
        let trimmed = b.trim_end();
        let rosa = [s.rosa];
        assert!(open(trimmed.as_bytes(), "b", &rosa, &reg).is_ok());
        let cut = &trimmed.as_bytes()[..trimmed.len() - 6];
        let err = open(cut, "b", &rosa, &reg).unwrap_err();
        assert!(err.to_string().contains("closing line"), "{err}");
    }

    #[test]
    fn second_identity_opens_after_rotation() {
        let s = sites();
        let new = SecretKey::generate(SiteKind::Rosa);
        let b = seal("{}", &s.prison, &s.rosa.public()).unwrap();
        let o = open(b.as_bytes(), "b", &[new, s.rosa], &registered(&s.prison)).unwrap();
        assert_eq!(o.identity, 1);
    }

    #[test]
    fn refusals_are_named() {
        let s = sites();
        let other_rosa = SecretKey::generate(SiteKind::Rosa);
        let b = seal("{}", &s.prison, &s.rosa.public()).unwrap();
        let reg = registered(&s.prison);
        assert!(matches!(
            open(b.as_bytes(), "b", &[other_rosa], &reg),
            Err(HandoffError::NotForThisKey { .. })
        ));
        let stranger = SecretKey::generate(SiteKind::Prison);
        let b2 = seal("{}", &stranger, &s.rosa.public()).unwrap();
        assert!(matches!(
            open(b2.as_bytes(), "b", std::slice::from_ref(&s.rosa), &reg),
            Err(HandoffError::UnknownSigner { .. })
        ));
        let cut = &b.as_bytes()[..b.len() / 2];
        assert!(matches!(
            open(cut, "b", std::slice::from_ref(&s.rosa), &reg),
            Err(HandoffError::Damaged { .. })
        ));
        let b3 = seal_as(FORMAT + 1, "{}", &s.prison, &s.rosa.public()).unwrap();
        assert!(matches!(
            open(b3.as_bytes(), "b", std::slice::from_ref(&s.rosa), &reg),
            Err(HandoffError::UnknownFormat { found: 2, .. })
        ));
    }

    #[test]
    fn every_changed_byte_of_the_body_is_refused() {
        let s = sites();
        let b = seal("{}", &s.prison, &s.rosa.public()).unwrap();
        let reg = registered(&s.prison);
        let ids = [s.rosa];
        let lines: Vec<&str> = b.lines().collect();
        // Change one base64 character in each line of the armour's body.
        for (n, line) in lines.iter().enumerate().skip(1).take(lines.len() - 2) {
            let mut changed: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
            let c = if line.starts_with('A') { "B" } else { "A" };
            changed[n].replace_range(0..1, c);
            let text = changed.join("\n") + "\n";
            assert!(open(text.as_bytes(), "b", &ids, &reg).is_err(), "line {n}");
        }
    }

    #[test]
    fn keys_of_the_wrong_kind_are_refused_when_sealing() {
        let s = sites();
        assert!(seal("{}", &s.prison, &s.prison.public()).is_err());
        assert!(seal("{}", &s.rosa, &s.rosa.public()).is_err());
    }
}
