//! A site's keys: an age X25519 identity (to receive bundles) and an Ed25519 signing key (to
//! sign bundles and receipts), kept in two text files.
//!
//! The public file (give it to the other site; it is not secret):
//! ```text
//! rosa-screen public key 1
//! site: prison
//! encryption: age1...
//! signing: <base64 of the 32-byte Ed25519 verifying key>
//! # fingerprint: ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567
//! ```
//! Lines starting with `#` are comments. The key id is the SHA-256 (hex) of the first four
//! lines as written above, each ended by a newline; the fingerprint read aloud on the phone is
//! its first 20 bytes (160 bits) in base32, in eight groups of four.
//!
//! The secret file (0600; it never leaves the site) has the same shape with `rosa-screen
//! secret key 1`, the `AGE-SECRET-KEY-1...` identity and the base64 Ed25519 seed. With a
//! passphrase the whole text is encrypted with age's scrypt passphrase encryption (ASCII
//! armour), so a copied file is useless without the passphrase.

use std::path::{Path, PathBuf};

use age::secrecy::{ExposeSecret, SecretString};
use data_encoding::{BASE32_NOPAD, BASE64};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use super::{HandoffError, files};

const PUBLIC_HEADER: &str = "rosa-screen public key 1";
const SECRET_HEADER: &str = "rosa-screen secret key 1";
const ARMOR_BEGIN: &str = "-----BEGIN AGE ENCRYPTED FILE-----";

/// Which kind of site a key belongs to: a prison seals, ROSA imports and signs receipts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteKind {
    /// A prison unit.
    Prison,
    /// ROSA.
    Rosa,
}

impl SiteKind {
    /// The word in key files and on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Prison => "prison",
            Self::Rosa => "rosa",
        }
    }
}

impl std::str::FromStr for SiteKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "prison" => Ok(Self::Prison),
            "rosa" => Ok(Self::Rosa),
            _ => Err(format!("`{s}` is not a kind of site; use prison or rosa")),
        }
    }
}

impl std::fmt::Display for SiteKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A site's public key: what another site needs to encrypt to it and check its signatures.
#[derive(Clone)]
pub struct PublicKey {
    /// The kind of site.
    pub site: SiteKind,
    /// The age recipient bundles are encrypted to.
    pub recipient: age::x25519::Recipient,
    /// The key that checks this site's signatures.
    pub verifying: VerifyingKey,
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicKey")
            .field("site", &self.site)
            .field("key_id", &self.key_id())
            .finish()
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.canonical() == other.canonical()
    }
}

impl PublicKey {
    /// The lines the key id is computed over.
    fn canonical(&self) -> String {
        format!(
            "{PUBLIC_HEADER}\nsite: {}\nencryption: {}\nsigning: {}\n",
            self.site,
            self.recipient,
            BASE64.encode(self.verifying.as_bytes())
        )
    }

    /// The key id: SHA-256 (hex) of the public file's key lines.
    #[must_use]
    pub fn key_id(&self) -> String {
        data_encoding::HEXLOWER.encode(&Sha256::digest(self.canonical().as_bytes()))
    }

    /// The fingerprint read aloud: the first 160 bits of the key id in base32, eight groups
    /// of four (`ABCD EFGH ...`).
    #[must_use]
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(self.canonical().as_bytes());
        group(&BASE32_NOPAD.encode(&digest[..20]))
    }

    /// The public file's text, with the fingerprint as a comment.
    #[must_use]
    pub fn to_file_text(&self) -> String {
        format!(
            "{}# fingerprint: {}\n",
            self.canonical(),
            self.fingerprint()
        )
    }

    /// Reads a public file's text (`label` names it in messages).
    ///
    /// # Errors
    /// [`HandoffError::KeyFile`] when it is not a rosa-screen public key file.
    pub fn parse(text: &str, label: &str) -> Result<Self, HandoffError> {
        let bad = |why: &str| HandoffError::KeyFile {
            path: label.to_owned(),
            why: why.to_owned(),
        };
        let fields = fields(text, PUBLIC_HEADER).map_err(|w| bad(&w))?;
        if fields.header_is_secret {
            return Err(bad(
                "it is a SECRET key file; give the public file (the secret one never leaves its site)",
            ));
        }
        let recipient: age::x25519::Recipient = fields
            .encryption
            .parse()
            .map_err(|_| bad("its `encryption:` line is not an age X25519 recipient"))?;
        let bytes: [u8; 32] = BASE64
            .decode(fields.signing.as_bytes())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| bad("its `signing:` line is not a base64 Ed25519 key"))?;
        let verifying = VerifyingKey::from_bytes(&bytes)
            .map_err(|_| bad("its `signing:` line is not a valid Ed25519 key"))?;
        let key = Self {
            site: fields.site,
            recipient,
            verifying,
        };
        // People read the fingerprint from the comment line: a file whose keys were swapped
        // but whose comment was kept must not pass that phone check.
        for line in text.lines().map(str::trim) {
            if let Some(fp) = line.strip_prefix("# fingerprint:")
                && fp.trim() != key.fingerprint()
            {
                return Err(bad(
                    "its `# fingerprint:` line does not match its keys (the file was changed)",
                ));
            }
        }
        Ok(key)
    }

    /// Reads a public file.
    ///
    /// # Errors
    /// [`HandoffError`] when it cannot be read or is not a public key file.
    pub fn load(path: &Path) -> Result<Self, HandoffError> {
        let bytes = files::read_limited(path)?;
        let text = String::from_utf8(bytes).map_err(|_| HandoffError::KeyFile {
            path: path.display().to_string(),
            why: "it is not text".to_owned(),
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Checks `signature` (64 bytes) over `message` (strict Ed25519 verification).
    #[must_use]
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(bytes) = <[u8; 64]>::try_from(signature) else {
            return false;
        };
        self.verifying
            .verify_strict(message, &Signature::from_bytes(&bytes))
            .is_ok()
    }
}

/// A site's secret key. Never printed or logged; `Debug` shows only the public key id.
pub struct SecretKey {
    /// The kind of site.
    pub site: SiteKind,
    identity: age::x25519::Identity,
    signing: SigningKey,
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretKey")
            .field("site", &self.site)
            .field("key_id", &self.public().key_id())
            .finish_non_exhaustive()
    }
}

impl SecretKey {
    /// A new key from the operating system's random numbers.
    #[must_use]
    pub fn generate(site: SiteKind) -> Self {
        let mut seed = [0u8; 32];
        OsRng.fill_bytes(&mut seed);
        let signing = SigningKey::from_bytes(&seed);
        seed.fill(0);
        Self {
            site,
            identity: age::x25519::Identity::generate(),
            signing,
        }
    }

    /// Its public half.
    #[must_use]
    pub fn public(&self) -> PublicKey {
        PublicKey {
            site: self.site,
            recipient: self.identity.to_public(),
            verifying: self.signing.verifying_key(),
        }
    }

    /// The age identity that opens bundles sealed to this key.
    #[must_use]
    pub fn identity(&self) -> &age::x25519::Identity {
        &self.identity
    }

    /// Signs `message` (64-byte Ed25519 signature).
    #[must_use]
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.signing.sign(message).to_bytes().to_vec()
    }

    /// The secret file's plain text.
    fn to_text(&self) -> SecretString {
        SecretString::from(format!(
            "{SECRET_HEADER}\nsite: {}\nencryption: {}\nsigning: {}\n",
            self.site,
            self.identity.to_string().expose_secret(),
            BASE64.encode(self.signing.as_bytes())
        ))
    }

    fn parse(text: &str, label: &str) -> Result<Self, HandoffError> {
        let bad = |why: &str| HandoffError::KeyFile {
            path: label.to_owned(),
            why: why.to_owned(),
        };
        let fields = fields(text, SECRET_HEADER).map_err(|w| bad(&w))?;
        if !fields.header_is_secret {
            return Err(bad(
                "it is a public key file; give the site's secret key file",
            ));
        }
        let identity: age::x25519::Identity = fields
            .encryption
            .parse()
            .map_err(|_| bad("its `encryption:` line is not an age X25519 identity"))?;
        let seed: [u8; 32] = BASE64
            .decode(fields.signing.as_bytes())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| bad("its `signing:` line is not a base64 Ed25519 key"))?;
        Ok(Self {
            site: fields.site,
            identity,
            signing: SigningKey::from_bytes(&seed),
        })
    }

    /// Reads a secret file. When it is protected by a passphrase, `ask` is called for it
    /// (the command line asks on the terminal or reads `ROSA_SCREEN_PASSPHRASE`).
    ///
    /// # Errors
    /// [`HandoffError`] when it cannot be read, is not a secret key file, or the passphrase
    /// is missing or wrong.
    pub fn load(
        path: &Path,
        ask: &dyn Fn(&Path) -> Result<SecretString, String>,
    ) -> Result<Self, HandoffError> {
        let label = path.display().to_string();
        let bytes = files::read_limited(path)?;
        let text = String::from_utf8(bytes).map_err(|_| HandoffError::KeyFile {
            path: label.clone(),
            why: "it is not text".to_owned(),
        })?;
        if !text.trim_start().starts_with(ARMOR_BEGIN) {
            return Self::parse(&text, &label);
        }
        let pass = ask(path).map_err(|why| HandoffError::Passphrase {
            path: label.clone(),
            why,
        })?;
        let wrong = || HandoffError::Passphrase {
            path: label.clone(),
            why: "the passphrase is wrong (or the file was changed)".to_owned(),
        };
        let identity = age::scrypt::Identity::new(pass);
        let plain = age::decrypt(&identity, text.as_bytes()).map_err(|_| wrong())?;
        let plain = SecretString::from(String::from_utf8(plain).map_err(|_| wrong())?);
        Self::parse(plain.expose_secret(), &label)
    }

    /// The secret file's content: plain text, or encrypted under `passphrase` (age scrypt,
    /// ASCII armour) when one is given.
    ///
    /// # Errors
    /// [`HandoffError::Io`] when encryption fails (it does not in practice).
    pub fn file_bytes(&self, passphrase: Option<&SecretString>) -> Result<Vec<u8>, HandoffError> {
        self.file_bytes_with_work(passphrase, None)
    }

    /// As [`SecretKey::file_bytes`], with the scrypt work factor (log2) set (tests use a small
    /// one; `None` is age's default of about one second).
    fn file_bytes_with_work(
        &self,
        passphrase: Option<&SecretString>,
        log_n: Option<u8>,
    ) -> Result<Vec<u8>, HandoffError> {
        let text = self.to_text();
        let Some(pass) = passphrase else {
            return Ok(text.expose_secret().as_bytes().to_vec());
        };
        let mut recipient = age::scrypt::Recipient::new(pass.clone());
        if let Some(n) = log_n {
            recipient.set_work_factor(n);
        }
        age::encrypt_and_armor(&recipient, text.expose_secret().as_bytes())
            .map(String::into_bytes)
            .map_err(|e| HandoffError::Io {
                path: "the secret key".to_owned(),
                source: std::io::Error::other(e.to_string()),
            })
    }
}

/// The two files `keys generate` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFiles {
    /// `DIR/SITE.secret`.
    pub secret: PathBuf,
    /// `DIR/SITE.public`.
    pub public: PathBuf,
}

/// Generates a key and writes `DIR/SITE.secret` (0600) and `DIR/SITE.public`. Existing files
/// are never replaced: a site that lost its secret key makes a new one in a new folder (see
/// docs/handoff.md, key rotation).
///
/// # Errors
/// [`HandoffError::Exists`] when either file exists (nothing is written then), or
/// [`HandoffError::Io`].
pub fn generate_files(
    dir: &Path,
    site: SiteKind,
    passphrase: Option<&SecretString>,
) -> Result<(SecretKey, KeyFiles), HandoffError> {
    files::ensure_dir(dir)?;
    let paths = KeyFiles {
        secret: dir.join(format!("{site}.secret")),
        public: dir.join(format!("{site}.public")),
    };
    for p in [&paths.secret, &paths.public] {
        if std::fs::symlink_metadata(p).is_ok() {
            return Err(HandoffError::Exists {
                path: p.display().to_string(),
            });
        }
    }
    let key = SecretKey::generate(site);
    files::write_private(&paths.secret, &key.file_bytes(passphrase)?, false)?;
    let public = key.public().to_file_text();
    if let Err(e) = write_public(&paths.public, &public) {
        // Keep the two files together: no secret without its public half.
        let _ = std::fs::remove_file(&paths.secret);
        return Err(e);
    }
    Ok((key, paths))
}

/// The public file is not secret (0644), but is still never written through a link.
fn write_public(path: &Path, text: &str) -> Result<(), HandoffError> {
    files::write_private(path, text.as_bytes(), false)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).map_err(
            |source| HandoffError::Io {
                path: path.display().to_string(),
                source,
            },
        )?;
    }
    Ok(())
}

/// `ABCDEFGH...` as `ABCD EFGH ...`.
fn group(s: &str) -> String {
    s.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

struct Fields {
    header_is_secret: bool,
    site: SiteKind,
    encryption: String,
    signing: String,
}

/// The fields of a key file; `expected` is the header this reader wants (for the message).
fn fields(text: &str, expected: &str) -> Result<Fields, String> {
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    let header = lines.next().unwrap_or_default();
    let header_is_secret = match header {
        SECRET_HEADER => true,
        PUBLIC_HEADER => false,
        h if h.starts_with("rosa-screen public key ")
            || h.starts_with("rosa-screen secret key ") =>
        {
            return Err(format!(
                "it is a key file of a newer version (`{h}`); install the newer rosa-screen"
            ));
        }
        _ => return Err(format!("its first line is not `{expected}`")),
    };
    let (mut site, mut encryption, mut signing) = (None, None, None);
    for line in lines {
        let Some((k, v)) = line.split_once(':') else {
            return Err("a line is not `name: value`".to_owned());
        };
        let v = v.trim().to_owned();
        let slot = match k.trim() {
            "site" => &mut site,
            "encryption" => &mut encryption,
            "signing" => &mut signing,
            other => return Err(format!("it has an unknown line `{other}:`")),
        };
        if slot.replace(v).is_some() {
            return Err(format!("the `{}:` line appears twice", k.trim()));
        }
    }
    let site = site
        .ok_or("it has no `site:` line")?
        .parse::<SiteKind>()
        .map_err(|e| format!("its `site:` line: {e}"))?;
    Ok(Fields {
        header_is_secret,
        site,
        encryption: encryption.ok_or("it has no `encryption:` line")?,
        signing: signing.ok_or("it has no `signing:` line")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_pass(_: &Path) -> Result<SecretString, String> {
        Err("no passphrase here".to_owned())
    }

    #[test]
    fn public_file_round_trips_with_the_same_id() {
        let k = SecretKey::generate(SiteKind::Prison);
        let text = k.public().to_file_text();
        let back = PublicKey::parse(&text, "p.public").unwrap();
        assert_eq!(back, k.public());
        assert_eq!(back.key_id(), k.public().key_id());
        assert_eq!(back.site, SiteKind::Prison);
    }

    #[test]
    fn fingerprint_is_eight_groups_of_four_and_160_bits() {
        let fp = SecretKey::generate(SiteKind::Rosa).public().fingerprint();
        let groups: Vec<&str> = fp.split(' ').collect();
        assert_eq!(groups.len(), 8, "{fp}");
        assert!(groups.iter().all(|g| g.len() == 4));
        // 32 base32 characters carry 5 bits each.
        assert_eq!(groups.concat().len() * 5, 160);
    }

    #[test]
    fn secret_file_round_trips_and_signs_like_the_original() {
        let dir = tempfile::tempdir().unwrap();
        let (k, paths) = generate_files(dir.path(), SiteKind::Rosa, None).unwrap();
        let back = SecretKey::load(&paths.secret, &no_pass).unwrap();
        assert_eq!(back.public(), k.public());
        let sig = back.sign(b"m");
        assert!(PublicKey::load(&paths.public).unwrap().verifies(b"m", &sig));
        assert!(!k.public().verifies(b"other", &sig));
    }

    #[cfg(unix)]
    #[test]
    fn secret_is_owner_only_and_never_overwritten() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (_, paths) = generate_files(dir.path(), SiteKind::Prison, None).unwrap();
        let mode = std::fs::metadata(&paths.secret)
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
        let before = std::fs::read(&paths.secret).unwrap();
        assert!(matches!(
            generate_files(dir.path(), SiteKind::Prison, None),
            Err(HandoffError::Exists { .. })
        ));
        assert_eq!(std::fs::read(&paths.secret).unwrap(), before);
    }

    #[test]
    fn passphrase_protects_the_secret_file() {
        let dir = tempfile::tempdir().unwrap();
        let k = SecretKey::generate(SiteKind::Rosa);
        let pass = SecretString::from("correct horse".to_owned());
        let bytes = k.file_bytes_with_work(Some(&pass), Some(4)).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with(ARMOR_BEGIN));
        assert!(!text.contains("AGE-SECRET-KEY"));
        let p = dir.path().join("rosa.secret");
        files::write_private(&p, &bytes, false).unwrap();
        let ok = |_: &Path| Ok(SecretString::from("correct horse".to_owned()));
        assert_eq!(SecretKey::load(&p, &ok).unwrap().public(), k.public());
        let wrong = |_: &Path| Ok(SecretString::from("wrong".to_owned()));
        assert!(matches!(
            SecretKey::load(&p, &wrong),
            Err(HandoffError::Passphrase { .. })
        ));
        assert!(matches!(
            SecretKey::load(&p, &no_pass),
            Err(HandoffError::Passphrase { .. })
        ));
    }

    #[test]
    fn wrong_kinds_of_file_are_named() {
        let k = SecretKey::generate(SiteKind::Prison);
        let secret_text = k.to_text();
        let e = PublicKey::parse(secret_text.expose_secret(), "x").unwrap_err();
        assert!(e.to_string().contains("SECRET"), "{e}");
        let e = PublicKey::parse("hello\n", "x").unwrap_err();
        assert!(e.to_string().contains("first line"), "{e}");
        let e = PublicKey::parse("rosa-screen public key 9\n", "x").unwrap_err();
        assert!(e.to_string().contains("newer"), "{e}");
        let bad = k
            .public()
            .to_file_text()
            .replace("site: prison", "site: moon");
        assert!(PublicKey::parse(&bad, "x").is_err());
        // Keys swapped, fingerprint comment kept: refused.
        let other = SecretKey::generate(SiteKind::Prison).public();
        let swapped = other
            .to_file_text()
            .replace(&other.fingerprint(), &k.public().fingerprint());
        let e = PublicKey::parse(&swapped, "x").unwrap_err();
        assert!(e.to_string().contains("fingerprint"), "{e}");
    }
}
