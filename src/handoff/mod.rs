//! The hand-off between two sites: a prison seals each referral for ROSA, ROSA imports it and
//! sends back a signed receipt.
//!
//! No cryptography is made here; well-kept libraries are composed:
//! - [`age`] (X25519 recipients, ASCII armour) encrypts a bundle so only ROSA can read it;
//! - [`ed25519_dalek`] signs inside the encryption, so ROSA knows which prison sealed it, and
//!   signs receipts, so a prison knows ROSA has it.
//!
//! What is signed is always a purpose label, the key ids it is meant for and the exact bytes of
//! the payload, each length-prefixed ([`signed_message`]), so a signature made for one purpose
//! (a receipt) cannot be replayed as another (a bundle), and a bundle signed for one ROSA key
//! cannot be re-encrypted to another reader and pass as meant for it.
//!
//! ```text
//! keys.rs     key files (secret 0600, optional passphrase; public with a version line),
//!             key ids and fingerprints read aloud
//! bundle.rs   seal: payload -> signed envelope -> age -> armour; open: the reverse, with checks
//! receipt.rs  ROSA's signed receipt for one bundle, checked at the prison
//! payload.rs  what a bundle holds (format 1): a referral, or a withdrawal notice
//! files.rs    0600, O_EXCL, O_NOFOLLOW writes; bounded reads
//! exchange.rs the steps (seal, import, confirm) as the commands and the home screen run them
//! ```

pub mod bundle;
pub mod exchange;
pub mod files;
pub mod keys;
pub mod payload;
pub mod receipt;

use sha2::{Digest, Sha256};

/// Why a key, bundle or receipt could not be used. Each message is one sentence naming the
/// file at fault.
#[derive(Debug, thiserror::Error)]
pub enum HandoffError {
    /// A file or folder could not be read or written.
    #[error("cannot use {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file exists and `--force` was not given.
    #[error("{path} already exists; it was left untouched (give --force to replace it)")]
    Exists {
        /// The file.
        path: String,
    },
    /// A path that is not a regular file of a sensible size.
    #[error("{path} cannot be read: {why}")]
    NotAFile {
        /// The path.
        path: String,
        /// Why.
        why: String,
    },
    /// A key file that is not one of ours, or of the wrong kind.
    #[error("{path} is not a usable rosa-screen key file: {why}")]
    KeyFile {
        /// The file.
        path: String,
        /// What is wrong.
        why: String,
    },
    /// The passphrase of a secret key file is missing or wrong.
    #[error("cannot open the secret key file {path}: {why}")]
    Passphrase {
        /// The file.
        path: String,
        /// What went wrong.
        why: String,
    },
    /// The bundle was encrypted to a key we do not hold.
    #[error(
        "{path} was refused: it was not sealed for this ROSA key (none of the --identity files opens it)"
    )]
    NotForThisKey {
        /// The bundle.
        path: String,
    },
    /// The bundle or receipt was changed, cut short or is not one at all.
    #[error("{path} was refused: {why}")]
    Damaged {
        /// The file.
        path: String,
        /// What is wrong, one phrase.
        why: String,
    },
    /// The bundle was signed by a key that is not registered with `sites add`.
    #[error(
        "{path} was refused: it is signed by a prison key that is not registered here (key {key}); register the prison with `sites add` after checking its fingerprint"
    )]
    UnknownSigner {
        /// The bundle.
        path: String,
        /// The signer's key id.
        key: String,
    },
    /// A bundle or receipt whose signature does not match.
    #[error("{path} was refused: {why}")]
    BadSignature {
        /// The file.
        path: String,
        /// Whose signature failed.
        why: String,
    },
    /// A bundle of a format this program cannot open.
    #[error(
        "{path} was refused: it is bundle format {found}, this program opens formats {known}; install the newer rosa-screen"
    )]
    UnknownFormat {
        /// The bundle.
        path: String,
        /// The format found.
        found: u32,
        /// The formats this program opens, e.g. `1`.
        known: String,
    },
}

impl HandoffError {
    /// The exit code: 2 for input that cannot be read or used at all (a missing key file, a
    /// folder given as a file), 1 for a file that was read and refused.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Io { .. } | Self::NotAFile { .. } | Self::KeyFile { .. } => 2,
            Self::Exists { .. }
            | Self::Passphrase { .. }
            | Self::NotForThisKey { .. }
            | Self::Damaged { .. }
            | Self::UnknownSigner { .. }
            | Self::BadSignature { .. }
            | Self::UnknownFormat { .. } => 1,
        }
    }
}

/// The exact bytes that are signed: a purpose label and then each part, every one prefixed by
/// its length (8 bytes, big-endian), so no part can run into the next.
#[must_use]
pub fn signed_message(label: &str, parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + parts.iter().map(|p| p.len() + 8).sum::<usize>());
    for part in std::iter::once(label.as_bytes()).chain(parts.iter().copied()) {
        out.extend_from_slice(&(part.len() as u64).to_be_bytes());
        out.extend_from_slice(part);
    }
    out
}

/// Lowercase hex SHA-256.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_cannot_run_into_each_other() {
        assert_ne!(
            signed_message("l", &[b"ab", b"c"]),
            signed_message("l", &[b"a", b"bc"])
        );
        assert_ne!(signed_message("l1", &[b"x"]), signed_message("l", &[b"1x"]));
    }
}
