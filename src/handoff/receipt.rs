//! ROSA's receipt for one bundle: the referral id, the SHA-256 of the bundle's payload, when it
//! arrived, and the prison's audit head from the bundle, signed with the ROSA key that opened
//! it. It holds no personal data, so it is plain signed text (JSON), not encrypted.
//!
//! At the prison a receipt marks the referral `delivered`, and is kept: it is an anchor of the
//! prison's audit chain signed by someone else (entry N had hash H when the bundle was sealed).

use data_encoding::BASE64;
use serde::{Deserialize, Serialize};

use super::keys::{PublicKey, SecretKey, SiteKind};
use super::payload::AuditHead;
use super::{HandoffError, signed_message};

/// The purpose label signed with every receipt.
pub const LABEL: &str = "rosa-screen receipt";
/// The receipt format this program writes and reads.
pub const FORMAT: u32 = 1;

/// What a receipt says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// `referral` or `withdrawal`.
    pub kind: String,
    /// The referral.
    pub referral: String,
    /// SHA-256 (hex) of the bundle's payload.
    pub payload_sha256: String,
    /// When ROSA imported it (RFC 3339 UTC).
    pub received_at: String,
    /// The prison's audit head from the bundle.
    pub audit_head: AuditHead,
    /// ROSA's key id (the key that opened the bundle and signs this receipt).
    pub rosa: String,
    /// The sending prison's key id.
    pub prison: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct ReceiptFile {
    purpose: String,
    format: u32,
    body: String,
    signature: String,
}

/// Signs a receipt with ROSA's key; returns the file's text.
///
/// # Errors
/// [`HandoffError::KeyFile`] when `key` is not ROSA's.
pub fn sign(r: &Receipt, key: &SecretKey) -> Result<String, HandoffError> {
    if key.site != SiteKind::Rosa {
        return Err(HandoffError::KeyFile {
            path: "--identity".to_owned(),
            why: "receipts are signed with ROSA's key".to_owned(),
        });
    }
    let body = serde_json::to_string(r).map_err(|e| HandoffError::Io {
        path: "the receipt".to_owned(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let signature = key.sign(&signed_message(LABEL, &[body.as_bytes()]));
    let file = ReceiptFile {
        purpose: LABEL.to_owned(),
        format: FORMAT,
        body,
        signature: BASE64.encode(&signature),
    };
    serde_json::to_string_pretty(&file)
        .map(|s| s + "\n")
        .map_err(|e| HandoffError::Io {
            path: "the receipt".to_owned(),
            source: std::io::Error::other(e.to_string()),
        })
}

/// Reads a receipt and checks that `rosa` signed it. `label` names the file in messages.
///
/// # Errors
/// [`HandoffError::Damaged`] when it is not a receipt; [`HandoffError::BadSignature`] when it
/// was not signed by `rosa` or was changed.
pub fn verify(bytes: &[u8], label: &str, rosa: &PublicKey) -> Result<Receipt, HandoffError> {
    let damaged = |why: &str| HandoffError::Damaged {
        path: label.to_owned(),
        why: why.to_owned(),
    };
    let file: ReceiptFile =
        serde_json::from_slice(bytes).map_err(|_| damaged("it is not a rosa-screen receipt"))?;
    if file.purpose != LABEL {
        return Err(damaged("it is not a rosa-screen receipt"));
    }
    if file.format != FORMAT {
        return Err(HandoffError::UnknownFormat {
            path: label.to_owned(),
            found: file.format,
            known: FORMAT.to_string(),
        });
    }
    let sig = BASE64
        .decode(file.signature.as_bytes())
        .map_err(|_| damaged("its signature is not readable"))?;
    if !rosa.verifies(&signed_message(LABEL, &[file.body.as_bytes()]), &sig) {
        return Err(HandoffError::BadSignature {
            path: label.to_owned(),
            why: format!(
                "it is not signed by ROSA's key (fingerprint {}), or it was changed",
                rosa.fingerprint()
            ),
        });
    }
    let r: Receipt =
        serde_json::from_str(&file.body).map_err(|_| damaged("what it says cannot be read"))?;
    if r.rosa != rosa.key_id() {
        return Err(HandoffError::BadSignature {
            path: label.to_owned(),
            why: "it names another ROSA key than the one that signed it".to_owned(),
        });
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(rosa: &SecretKey) -> Receipt {
        Receipt {
            kind: "referral".into(),
            referral: "0190".into(),
            payload_sha256: "ab".repeat(32),
            received_at: "2026-05-02T00:00:00Z".into(),
            audit_head: AuditHead {
                entries: 7,
                hash: "cd".repeat(32),
            },
            rosa: rosa.public().key_id(),
            prison: "p".into(),
        }
    }

    #[test]
    fn round_trip() {
        let rosa = SecretKey::generate(SiteKind::Rosa);
        let text = sign(&sample(&rosa), &rosa).unwrap();
        assert_eq!(
            verify(text.as_bytes(), "r", &rosa.public()).unwrap(),
            sample(&rosa)
        );
    }

    #[test]
    fn another_key_or_a_change_is_refused() {
        let rosa = SecretKey::generate(SiteKind::Rosa);
        let other = SecretKey::generate(SiteKind::Rosa);
        let text = sign(&sample(&other), &other).unwrap();
        assert!(matches!(
            verify(text.as_bytes(), "r", &rosa.public()),
            Err(HandoffError::BadSignature { .. })
        ));
        let text = sign(&sample(&rosa), &rosa).unwrap();
        let changed = text.replace("7", "8");
        assert!(verify(changed.as_bytes(), "r", &rosa.public()).is_err());
        assert!(verify(b"garbage", "r", &rosa.public()).is_err());
    }

    #[test]
    fn a_prison_cannot_sign_receipts() {
        let prison = SecretKey::generate(SiteKind::Prison);
        assert!(sign(&sample(&prison), &prison).is_err());
    }
}
