//! Settings in one place: the config file, the state file and their precedence.
//!
//! Each setting is taken from the first of these that has it (product.md, "Command line"):
//!
//! 1. a flag (`--db`, `--lang`, and the flags of the commands that use a setting);
//! 2. an environment variable (`ROSA_SCREEN_DB`, `ROSA_SCREEN_LANG`, `ROSA_SCREEN_SITE`);
//! 3. the config file: the user's own (`--config PATH`, `ROSA_SCREEN_CONFIG`, or
//!    `rosa-screen.toml` in the platform's config directory), key by key above the system-wide
//!    file of a site (`/etc/rosa-screen/rosa-screen.toml`);
//! 4. remembered choices (the last language picked on screen), kept in a state file of their own
//!    (`state.toml` in the platform's state directory) and never written into a config file;
//! 5. the built-in default.
//!
//! One [`Settings`] value is built once per run in `commands` and passed down. Every key is
//! documented in `docs/rosa-screen.example.toml`. A config file with a syntax error, a value of
//! the wrong kind or an unknown key (a typo must not be silently ignored) is refused with the
//! file, the line and the key, and the command exits 2. A missing file at a default location
//! means defaults; a file named with `--config` or `ROSA_SCREEN_CONFIG` must exist.
//!
//! ```text
//! Settings::load(&Flags) -> Result<Settings, SettingsError>      // the real environment
//! Settings::build(&Flags, &env, &Paths) -> Result<...>            // the same, for tests
//! settings.remember_lang(Lang) -> Result<(), SettingsError>       // writes the state file
//! State::read(path) / State::write(path)                          // the state file itself
//! ```
//!
//! Keys, and who reads them:
//!
//! | key | kind | read by |
//! | --- | --- | --- |
//! | `db` | path | every command that opens the database (`commands::open_store`) |
//! | `lang` | `nb` or `en` | the screens, plain mode and the interview (`Settings::lang`) |
//! | `site` | `prison` or `rosa` | the home screen (what it offers) |
//! | `[handoff] rosa_public` | path | `handoff seal` / `handoff confirm` when `--to`/`--from` is not given |
//! | `[handoff] own_key` | path | `handoff seal` when `--key` is not given |
//! | `[handoff] outbox` | path | the home screen: a prison's hand-off seals into it; ROSA's import writes receipts into it |
//! | `[handoff] inbox` | path | the home screen: ROSA's import reads bundles from it; a prison's hand-off reads receipts from it |
//! | `[purge] older_than_days` | whole days | `purge` when `--older-than` is not given; the home screen's reminder |

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The file name of the config file, in the platform's config directory or `/etc/rosa-screen`.
pub const CONFIG_FILE_NAME: &str = "rosa-screen.toml";

/// The system-wide config file of a site, consulted below the user's own.
pub const SYSTEM_CONFIG: &str = "/etc/rosa-screen/rosa-screen.toml";

/// Names another system-wide config file instead of [`SYSTEM_CONFIG`]: for tests and packagers
/// (a missing file named here means no system-wide file).
pub const SYSTEM_CONFIG_ENV: &str = "ROSA_SCREEN_SYSTEM_CONFIG";

/// Names the user's config file (the `--config` flag wins over it).
pub const CONFIG_ENV: &str = "ROSA_SCREEN_CONFIG";

/// The database file (the `--db` flag wins over it).
pub const DB_ENV: &str = "ROSA_SCREEN_DB";

/// The language of the program's own words (the `--lang` flag wins over it).
pub const LANG_ENV: &str = "ROSA_SCREEN_LANG";

/// Which kind of site this is.
pub const SITE_ENV: &str = "ROSA_SCREEN_SITE";

/// The file name of the state file (remembered choices), in the platform's state directory.
pub const STATE_FILE_NAME: &str = "state.toml";

/// The largest config or state file read (a config file is a few lines; this refuses a device
/// or a huge file given by mistake before reading it).
const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// A language of the program's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Norwegian (bokmål).
    Nb,
    /// English.
    En,
}

impl Lang {
    /// The language code, as in questionnaires (`nb`, `en`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nb => "nb",
            Self::En => "en",
        }
    }

    /// Every language of the program's own words.
    pub const ALL: [Self; 2] = [Self::Nb, Self::En];
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "nb" => Ok(Self::Nb),
            "en" => Ok(Self::En),
            _ => Err(format!(
                "`{s}` is not a language of the program; use nb or en"
            )),
        }
    }
}

/// Which kind of site a database belongs to (product.md, "Deployment"): it decides what the home
/// screen offers. Unset means both kinds of work are offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Site {
    /// A prison unit: interviews and hand-off.
    Prison,
    /// ROSA: the review queue, imports and sites.
    Rosa,
}

impl Site {
    /// The word used in the config file.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Prison => "prison",
            Self::Rosa => "rosa",
        }
    }
}

impl std::fmt::Display for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Site {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "prison" => Ok(Self::Prison),
            "rosa" => Ok(Self::Rosa),
            _ => Err(format!("`{s}` is not a kind of site; use prison or rosa")),
        }
    }
}

/// The `[handoff]` table: the files the hand-off between a prison and ROSA uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Handoff {
    /// ROSA's public file, installed at a prison (`handoff seal --to`, `handoff confirm --from`).
    pub rosa_public: Option<PathBuf>,
    /// This site's own secret file (`handoff seal --key`).
    pub own_key: Option<PathBuf>,
    /// The folder of files this site sends (a prison's bundles, ROSA's receipts): where the
    /// home screen's hand-off seals into and ROSA's import writes receipts.
    pub outbox: Option<PathBuf>,
    /// The folder of files this site receives (ROSA's bundles, a prison's receipts): where the
    /// home screen's import reads bundles at ROSA and its hand-off reads receipts at a prison.
    pub inbox: Option<PathBuf>,
}

/// The `[purge]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purge {
    /// Screenings older than this many days are purged (`purge --older-than` overrides); when
    /// set and a purge is overdue, the home screen says so.
    pub older_than_days: Option<u32>,
}

/// Every setting of one run, built once from flags, environment, config files, the state file
/// and defaults (see the module documentation for the order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The database file; `None` means the default in the platform's data directory
    /// (`store::default_path`).
    pub db: Option<PathBuf>,
    /// The language of the program's own words (and the interview's first language); `None`
    /// means the questionnaire's default language.
    pub lang: Option<Lang>,
    /// Where [`Settings::lang`] came from (a language named by a flag or the environment is
    /// refused when a questionnaire lacks it; a remembered one quietly falls back).
    pub lang_source: Option<Source>,
    /// Which kind of site this is; `None` offers both kinds of work.
    pub site: Option<Site>,
    /// The hand-off files.
    pub handoff: Handoff,
    /// The purge period.
    pub purge: Purge,
    /// The config files that were read, the system-wide one first (for messages).
    pub config_files: Vec<PathBuf>,
    /// Where remembered choices are kept; `None` when the platform has no such directory.
    pub state_file: Option<PathBuf>,
}

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag.
    Flag,
    /// An environment variable.
    Env,
    /// A config file.
    File,
    /// The state file (a remembered choice).
    State,
}

/// What the global flags say (clap fills this in `commands`).
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// `--config PATH`.
    pub config: Option<PathBuf>,
    /// `--db PATH`.
    pub db: Option<PathBuf>,
    /// `--lang nb|en`.
    pub lang: Option<String>,
}

/// Where the files are looked for (the real places come from [`Paths::platform`]).
#[derive(Debug, Clone, Default)]
pub struct Paths {
    /// The user's config file when neither `--config` nor `ROSA_SCREEN_CONFIG` names one.
    pub user_config: Option<PathBuf>,
    /// The system-wide config file.
    pub system_config: Option<PathBuf>,
    /// The state file.
    pub state: Option<PathBuf>,
}

impl Paths {
    /// The platform's places: `rosa-screen.toml` in its config directory, [`SYSTEM_CONFIG`]
    /// (or `$ROSA_SCREEN_SYSTEM_CONFIG`), and `state.toml` in its state directory (its local
    /// data directory where the platform has no state directory).
    #[must_use]
    pub fn platform() -> Self {
        let dirs = directories::ProjectDirs::from("no", "ROSA", "rosa-screen");
        let system = std::env::var_os(SYSTEM_CONFIG_ENV)
            .filter(|v| !v.is_empty())
            .map_or_else(|| PathBuf::from(SYSTEM_CONFIG), PathBuf::from);
        Self {
            user_config: dirs.as_ref().map(|d| d.config_dir().join(CONFIG_FILE_NAME)),
            system_config: Some(system),
            state: dirs.as_ref().map(|d| {
                d.state_dir()
                    .unwrap_or_else(|| d.data_local_dir())
                    .join(STATE_FILE_NAME)
            }),
        }
    }
}

/// A setting or a settings file that cannot be used. Every one is bad usage (exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// A file that could not be read.
    #[error("cannot read the config file {path}: {why}")]
    Unreadable {
        /// The file.
        path: String,
        /// Why.
        why: String,
    },
    /// A file that is not valid TOML, or has a wrong value or an unknown key.
    #[error("{path}:{line}: {what}")]
    Bad {
        /// The file.
        path: String,
        /// The 1-based line.
        line: usize,
        /// The key and what is wrong with it.
        what: String,
    },
    /// A flag or environment variable with a value that cannot be used.
    #[error("{source_name} {why}")]
    BadValue {
        /// `--lang`, `ROSA_SCREEN_LANG`, ...
        source_name: String,
        /// What is wrong.
        why: String,
    },
    /// The state file could not be written.
    #[error("cannot remember the choice in {path}: {why}")]
    StateUnwritable {
        /// The state file.
        path: String,
        /// Why.
        why: String,
    },
}

impl SettingsError {
    /// The exit code of product.md: always 2 (bad usage or input that cannot be read).
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        2
    }
}

/// One config file as written: every key optional, unknown keys refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    db: Option<PathBuf>,
    lang: Option<Lang>,
    site: Option<Site>,
    #[serde(default)]
    handoff: FileHandoff,
    #[serde(default)]
    purge: FilePurge,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileHandoff {
    rosa_public: Option<PathBuf>,
    own_key: Option<PathBuf>,
    outbox: Option<PathBuf>,
    inbox: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilePurge {
    older_than_days: Option<u32>,
}

impl FileSettings {
    /// Relative paths in a config file are relative to the file's own folder, so a file means
    /// the same whatever the working directory.
    fn resolve_paths(&mut self, dir: &Path) {
        for p in [
            &mut self.db,
            &mut self.handoff.rosa_public,
            &mut self.handoff.own_key,
            &mut self.handoff.outbox,
            &mut self.handoff.inbox,
        ]
        .into_iter()
        .flatten()
        {
            if p.is_relative() {
                *p = dir.join(&*p);
            }
        }
    }

    /// `self` above `below`, key by key.
    fn over(self, below: Self) -> Self {
        Self {
            db: self.db.or(below.db),
            lang: self.lang.or(below.lang),
            site: self.site.or(below.site),
            handoff: FileHandoff {
                rosa_public: self.handoff.rosa_public.or(below.handoff.rosa_public),
                own_key: self.handoff.own_key.or(below.handoff.own_key),
                outbox: self.handoff.outbox.or(below.handoff.outbox),
                inbox: self.handoff.inbox.or(below.handoff.inbox),
            },
            purge: FilePurge {
                older_than_days: self.purge.older_than_days.or(below.purge.older_than_days),
            },
        }
    }
}

/// Remembered choices: the state file's content. Never written into a config file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// The last language picked on screen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
}

impl State {
    /// Reads the state file; a missing file is an empty state.
    ///
    /// # Errors
    /// A [`SettingsError`] when the file exists but cannot be read or is not a valid state file.
    pub fn read(path: &Path) -> Result<Self, SettingsError> {
        match read_text(path)? {
            None => Ok(Self::default()),
            Some(text) => parse(&text, path),
        }
    }

    /// Writes the state file (its folder is created, private to the user, if needed). The file
    /// is written beside and renamed into place, so a crash never leaves half a file.
    ///
    /// # Errors
    /// [`SettingsError::StateUnwritable`] when the folder or file cannot be written.
    pub fn write(&self, path: &Path) -> Result<(), SettingsError> {
        let fail = |why: String| SettingsError::StateUnwritable {
            path: path.display().to_string(),
            why,
        };
        let text = toml::to_string(self).map_err(|e| fail(e.to_string()))?;
        let text = format!(
            "# Choices rosa-screen remembers between runs (written by the program; settings \
             belong in rosa-screen.toml).\n{text}"
        );
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(|e| fail(e.to_string()))?;
        }
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, text).map_err(|e| fail(e.to_string()))?;
        std::fs::rename(&tmp, path).map_err(|e| fail(e.to_string()))
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

impl Settings {
    /// Builds the settings from the flags, the process environment and the platform's files.
    ///
    /// # Errors
    /// A [`SettingsError`] (exit 2) for a config or state file that cannot be read or used, or
    /// a flag or environment variable with a value that cannot be used.
    pub fn load(flags: &Flags) -> Result<Self, SettingsError> {
        Self::build(
            flags,
            &|k| std::env::var(k).ok().filter(|v| !v.is_empty()),
            &Paths::platform(),
        )
    }

    /// Builds the settings from the flags, an environment and the given places (the seam for
    /// tests; [`Settings::load`] passes the real ones).
    ///
    /// # Errors
    /// As [`Settings::load`].
    pub fn build(
        flags: &Flags,
        env: &dyn Fn(&str) -> Option<String>,
        paths: &Paths,
    ) -> Result<Self, SettingsError> {
        let mut config_files = Vec::new();
        let system = match &paths.system_config {
            Some(p) => read_config(p, &mut config_files)?,
            None => None,
        };
        let user = match flags
            .config
            .clone()
            .or_else(|| env(CONFIG_ENV).map(PathBuf::from))
        {
            Some(p) => {
                // A file the user named must be there: a typo would otherwise mean defaults.
                if !p.exists() {
                    return Err(SettingsError::Unreadable {
                        path: p.display().to_string(),
                        why: "there is no such file".to_owned(),
                    });
                }
                read_config(&p, &mut config_files)?
            }
            None => match &paths.user_config {
                Some(p) => read_config(p, &mut config_files)?,
                None => None,
            },
        };
        let file = user.unwrap_or_default().over(system.unwrap_or_default());
        // The state file is the program's own memory, not something a person wrote: one that
        // cannot be read only forgets the remembered choices (the next `remember_lang`
        // rewrites it), rather than stopping every command.
        let state = paths
            .state
            .as_deref()
            .and_then(|p| State::read(p).ok())
            .unwrap_or_default();
        let (lang, lang_source) = match (&flags.lang, env(LANG_ENV)) {
            (Some(v), _) => (Some(parse_value::<Lang>("--lang", v)?), Some(Source::Flag)),
            (None, Some(v)) => (Some(parse_value::<Lang>(LANG_ENV, &v)?), Some(Source::Env)),
            (None, None) => match (file.lang, state.lang) {
                (Some(l), _) => (Some(l), Some(Source::File)),
                (None, Some(l)) => (Some(l), Some(Source::State)),
                (None, None) => (None, None),
            },
        };
        let site = match env(SITE_ENV) {
            Some(v) => Some(parse_value::<Site>(SITE_ENV, &v)?),
            None => file.site,
        };
        Ok(Self {
            db: flags
                .db
                .clone()
                .or_else(|| env(DB_ENV).map(PathBuf::from))
                .or(file.db),
            lang,
            lang_source,
            site,
            handoff: Handoff {
                rosa_public: file.handoff.rosa_public,
                own_key: file.handoff.own_key,
                outbox: file.handoff.outbox,
                inbox: file.handoff.inbox,
            },
            purge: Purge {
                older_than_days: file.purge.older_than_days,
            },
            config_files,
            state_file: paths.state.clone(),
        })
    }

    /// The language of the program's own words as a code, for the front ends (`None`: the
    /// questionnaire's default).
    #[must_use]
    pub fn lang_code(&self) -> Option<&'static str> {
        self.lang.map(Lang::as_str)
    }

    /// Remembers the language picked on screen in the state file, so the next run starts in
    /// it (a flag, the environment or a config file still win over it). Other remembered
    /// choices in the file are kept.
    ///
    /// # Errors
    /// A [`SettingsError`] when the state file cannot be written; callers on a screen may show
    /// it and carry on, since nothing recorded depends on it.
    pub fn remember_lang(&self, lang: Lang) -> Result<(), SettingsError> {
        let Some(path) = &self.state_file else {
            return Ok(());
        };
        // A state file that cannot be read is replaced: it only held remembered choices.
        let mut state = State::read(path).unwrap_or_default();
        if state.lang == Some(lang) {
            return Ok(());
        }
        state.lang = Some(lang);
        state.write(path)
    }

    /// The remembered choices as they are in the state file now.
    ///
    /// # Errors
    /// A [`SettingsError`] when the state file exists but cannot be read.
    pub fn remembered(&self) -> Result<State, SettingsError> {
        match &self.state_file {
            Some(p) => State::read(p),
            None => Ok(State::default()),
        }
    }
}

fn parse_value<T: std::str::FromStr<Err = String>>(
    source_name: &str,
    value: &str,
) -> Result<T, SettingsError> {
    value.parse().map_err(|why| SettingsError::BadValue {
        source_name: source_name.to_owned(),
        why,
    })
}

/// Reads a file if it is there (`None` when it is not), refusing what is not a regular file
/// or is too large before reading it.
fn read_text(path: &Path) -> Result<Option<String>, SettingsError> {
    let fail = |why: String| SettingsError::Unreadable {
        path: path.display().to_string(),
        why,
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(fail(e.to_string())),
    };
    if !meta.is_file() {
        return Err(fail("it is not a regular file".to_owned()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(format!(
            "it is {} bytes, more than the {MAX_FILE_BYTES} a settings file may have",
            meta.len()
        )));
    }
    std::fs::read_to_string(path)
        .map(Some)
        .map_err(|e| fail(e.to_string()))
}

fn read_config(
    path: &Path,
    read: &mut Vec<PathBuf>,
) -> Result<Option<FileSettings>, SettingsError> {
    let Some(text) = read_text(path)? else {
        return Ok(None);
    };
    let mut file: FileSettings = parse(&text, path)?;
    if let Some(dir) = path.parent() {
        file.resolve_paths(dir);
    }
    read.push(path.to_path_buf());
    Ok(Some(file))
}

/// Parses TOML, turning an error into one sentence with the file, line and key.
fn parse<T: serde::de::DeserializeOwned>(text: &str, path: &Path) -> Result<T, SettingsError> {
    toml::from_str(text).map_err(|e| {
        let start = e.span().map_or(0, |s| s.start);
        let (line, key) = locate(text, start);
        let message = e.message().trim_end().replace('\n', " ");
        let what = match key {
            // An unknown key names itself in the message; say which table it is in too.
            Some(key) if !message.contains(&format!("`{}`", last_part(&key))) => {
                format!("key `{key}`: {message}")
            }
            Some(key) if key.contains('.') => format!("key `{key}`: {message}"),
            _ => message,
        };
        SettingsError::Bad {
            path: path.display().to_string(),
            line,
            what: crate::sanitize::visible_line(&what).into_owned(),
        }
    })
}

fn last_part(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// The 1-based line of a byte offset, and the dotted key written on that line (with its
/// table), if the line is a `key = value` line.
fn locate(text: &str, offset: usize) -> (usize, Option<String>) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line_no = before.matches('\n').count() + 1;
    let line = text.lines().nth(line_no - 1).unwrap_or("");
    let table = before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && !l.starts_with("[["))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_owned());
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_owned())
        .filter(|k| !k.is_empty() && !k.starts_with('#'));
    let key = key.map(|k| match table {
        Some(t) if !line.trim_start().starts_with('[') => format!("{t}.{k}"),
        _ => k,
    });
    (line_no, key)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    struct Place {
        _dir: tempfile::TempDir,
        root: PathBuf,
    }

    fn place() -> Place {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        Place { _dir: dir, root }
    }

    impl Place {
        fn paths(&self) -> Paths {
            Paths {
                user_config: Some(self.root.join("user/rosa-screen.toml")),
                system_config: Some(self.root.join("etc/rosa-screen.toml")),
                state: Some(self.root.join("state/state.toml")),
            }
        }

        fn write(&self, rel: &str, text: &str) -> PathBuf {
            let p = self.root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
            p
        }
    }

    fn build(p: &Place, flags: &Flags, env: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        let env: BTreeMap<String, String> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Settings::build(flags, &|k| env.get(k).cloned(), &p.paths())
    }

    #[test]
    fn nothing_anywhere_means_defaults() {
        let p = place();
        let s = build(&p, &Flags::default(), &[]).unwrap();
        assert_eq!(s.db, None);
        assert_eq!(s.lang, None);
        assert_eq!(s.site, None);
        assert_eq!(s.handoff, Handoff::default());
        assert_eq!(s.purge, Purge::default());
        assert!(s.config_files.is_empty());
    }

    #[test]
    fn every_key_is_read_from_the_user_file() {
        let p = place();
        p.write(
            "user/rosa-screen.toml",
            "db = \"/srv/rosa/site.db\"\nlang = \"en\"\nsite = \"prison\"\n\n[handoff]\n\
             rosa_public = \"keys/rosa.pub\"\nown_key = \"/etc/rosa-screen/own.key\"\n\
             outbox = \"out\"\ninbox = \"/srv/in\"\n\n\
             [purge]\nolder_than_days = 730\n",
        );
        let s = build(&p, &Flags::default(), &[]).unwrap();
        assert_eq!(s.db, Some(PathBuf::from("/srv/rosa/site.db")));
        assert_eq!(s.lang, Some(Lang::En));
        assert_eq!(s.site, Some(Site::Prison));
        assert_eq!(
            s.handoff.rosa_public,
            Some(p.root.join("user/keys/rosa.pub")),
            "a relative path is relative to the config file's folder"
        );
        assert_eq!(
            s.handoff.own_key,
            Some(PathBuf::from("/etc/rosa-screen/own.key"))
        );
        assert_eq!(s.handoff.outbox, Some(p.root.join("user/out")));
        assert_eq!(s.handoff.inbox, Some(PathBuf::from("/srv/in")));
        assert_eq!(s.purge.older_than_days, Some(730));
        assert_eq!(s.config_files, vec![p.root.join("user/rosa-screen.toml")]);
    }

    #[test]
    fn flag_beats_environment_beats_file_beats_state_beats_default() {
        let p = place();
        p.write(
            "user/rosa-screen.toml",
            "lang = \"nb\"\ndb = \"/file.db\"\n",
        );
        State {
            lang: Some(Lang::En),
        }
        .write(&p.root.join("state/state.toml"))
        .unwrap();
        let flags = Flags {
            lang: Some("en".into()),
            db: Some("/flag.db".into()),
            config: None,
        };
        let env = [(LANG_ENV, "nb"), (DB_ENV, "/env.db")];
        let s = build(&p, &flags, &env).unwrap();
        assert_eq!(s.lang, Some(Lang::En));
        assert_eq!(s.db, Some(PathBuf::from("/flag.db")));

        let s = build(
            &p,
            &Flags::default(),
            &[(LANG_ENV, "en"), (DB_ENV, "/env.db")],
        )
        .unwrap();
        assert_eq!(s.lang, Some(Lang::En));
        assert_eq!(s.db, Some(PathBuf::from("/env.db")));

        let s = build(&p, &Flags::default(), &[]).unwrap();
        assert_eq!(
            s.lang,
            Some(Lang::Nb),
            "the config file beats the state file"
        );
        assert_eq!(s.db, Some(PathBuf::from("/file.db")));

        std::fs::remove_file(p.root.join("user/rosa-screen.toml")).unwrap();
        let s = build(&p, &Flags::default(), &[]).unwrap();
        assert_eq!(s.lang, Some(Lang::En), "the remembered language");
        assert_eq!(s.db, None);
    }

    #[test]
    fn the_user_file_is_above_the_system_file_key_by_key() {
        let p = place();
        p.write(
            "etc/rosa-screen.toml",
            "db = \"/var/lib/rosa-screen/site.db\"\nsite = \"rosa\"\n[purge]\nolder_than_days = 365\n",
        );
        p.write("user/rosa-screen.toml", "site = \"prison\"\n");
        let s = build(&p, &Flags::default(), &[]).unwrap();
        assert_eq!(s.site, Some(Site::Prison));
        assert_eq!(s.db, Some(PathBuf::from("/var/lib/rosa-screen/site.db")));
        assert_eq!(s.purge.older_than_days, Some(365));
        assert_eq!(s.config_files.len(), 2);
    }

    #[test]
    fn config_flag_and_environment_name_the_user_file() {
        let p = place();
        let a = p.write("a.toml", "site = \"rosa\"\n");
        let b = p.write("b.toml", "site = \"prison\"\n");
        p.write("user/rosa-screen.toml", "lang = \"en\"\n");
        let env = [(CONFIG_ENV, b.to_str().unwrap())];
        let flags = Flags {
            config: Some(a),
            ..Flags::default()
        };
        let s = build(&p, &flags, &env).unwrap();
        assert_eq!(s.site, Some(Site::Rosa));
        assert_eq!(s.lang, None, "the default user file is not read then");
        let s = build(&p, &Flags::default(), &env).unwrap();
        assert_eq!(s.site, Some(Site::Prison));
    }

    #[test]
    fn a_named_config_file_that_is_missing_is_refused() {
        let p = place();
        let flags = Flags {
            config: Some(p.root.join("nope.toml")),
            ..Flags::default()
        };
        let e = build(&p, &flags, &[]).unwrap_err();
        assert!(e.to_string().contains("nope.toml"), "{e}");
        assert!(e.to_string().contains("no such file"), "{e}");
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn an_unknown_key_is_refused_with_file_line_and_key() {
        let p = place();
        p.write(
            "user/rosa-screen.toml",
            "lang = \"en\"\n\n[purge]\nolder_then_days = 3\n",
        );
        let e = build(&p, &Flags::default(), &[]).unwrap_err().to_string();
        assert!(e.contains("rosa-screen.toml:4:"), "{e}");
        assert!(e.contains("purge.older_then_days"), "{e}");
        let p = place();
        p.write("user/rosa-screen.toml", "# a comment\nlnag = \"en\"\n");
        let e = build(&p, &Flags::default(), &[]).unwrap_err().to_string();
        assert!(e.contains("rosa-screen.toml:2:"), "{e}");
        assert!(e.contains("`lnag`"), "{e}");
    }

    #[test]
    fn a_wrong_value_is_refused_with_file_line_and_key() {
        let p = place();
        p.write("etc/rosa-screen.toml", "site = \"prison\"\nlang = \"fr\"\n");
        let e = build(&p, &Flags::default(), &[]).unwrap_err().to_string();
        assert!(e.contains("etc/rosa-screen.toml:2:"), "{e}");
        assert!(e.contains("key `lang`"), "{e}");
        assert!(e.contains("fr"), "{e}");
        let p = place();
        p.write(
            "user/rosa-screen.toml",
            "[purge]\nolder_than_days = \"soon\"\n",
        );
        let e = build(&p, &Flags::default(), &[]).unwrap_err().to_string();
        assert!(e.contains(":2: key `purge.older_than_days`"), "{e}");
    }

    #[test]
    fn a_syntax_error_is_refused_with_its_line() {
        let p = place();
        p.write("user/rosa-screen.toml", "site = \"prison\"\ndb = \n");
        let e = build(&p, &Flags::default(), &[]).unwrap_err().to_string();
        assert!(e.contains("rosa-screen.toml:2:"), "{e}");
    }

    #[test]
    fn a_folder_where_the_file_should_be_is_refused() {
        let p = place();
        std::fs::create_dir_all(p.root.join("user/rosa-screen.toml")).unwrap();
        let e = build(&p, &Flags::default(), &[]).unwrap_err().to_string();
        assert!(e.contains("not a regular file"), "{e}");
    }

    #[test]
    fn bad_flag_and_environment_values_name_their_source() {
        let p = place();
        let flags = Flags {
            lang: Some("fr".into()),
            ..Flags::default()
        };
        let e = build(&p, &flags, &[]).unwrap_err().to_string();
        assert_eq!(
            e,
            "--lang `fr` is not a language of the program; use nb or en"
        );
        let e = build(&p, &Flags::default(), &[(SITE_ENV, "jail")])
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "ROSA_SCREEN_SITE `jail` is not a kind of site; use prison or rosa"
        );
    }

    #[test]
    fn remembering_a_language_writes_only_the_state_file() {
        let p = place();
        let user = p.write("user/rosa-screen.toml", "site = \"prison\"\n");
        let s = build(&p, &Flags::default(), &[]).unwrap();
        assert_eq!(s.lang, None);
        s.remember_lang(Lang::En).unwrap();
        assert_eq!(
            std::fs::read_to_string(&user).unwrap(),
            "site = \"prison\"\n"
        );
        assert_eq!(s.remembered().unwrap().lang, Some(Lang::En));
        let again = build(&p, &Flags::default(), &[]).unwrap();
        assert_eq!(again.lang, Some(Lang::En));
        let state = std::fs::read_to_string(p.root.join("state/state.toml")).unwrap();
        assert!(state.contains("lang = \"en\""), "{state}");
    }

    #[test]
    fn a_broken_state_file_only_forgets_what_was_remembered() {
        let p = place();
        p.write("state/state.toml", "lang = [\n");
        let s = build(&p, &Flags::default(), &[]).unwrap();
        assert_eq!(s.lang, None);
        assert!(s.remembered().is_err());
        s.remember_lang(Lang::En).unwrap();
        assert_eq!(s.remembered().unwrap().lang, Some(Lang::En));
    }

    #[test]
    fn the_example_config_in_the_docs_is_valid_and_names_every_key() {
        let text = include_str!("../docs/rosa-screen.example.toml");
        // Every key is commented out in the example (`#key = value`, prose is `# ...`);
        // uncommented it must parse.
        let uncommented: String = text
            .lines()
            .map(|l| {
                l.strip_prefix('#')
                    .filter(|r| !r.is_empty() && !r.starts_with([' ', '#']))
                    .unwrap_or(l)
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let f: FileSettings = parse(&uncommented, Path::new("example.toml")).unwrap();
        assert!(f.db.is_some() && f.lang.is_some() && f.site.is_some());
        assert!(f.handoff.rosa_public.is_some() && f.handoff.own_key.is_some());
        assert!(f.purge.older_than_days.is_some());
        // And as shipped (all commented) it means defaults.
        let _: FileSettings = parse(text, Path::new("example.toml")).unwrap();
    }
}
