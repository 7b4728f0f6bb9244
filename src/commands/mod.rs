//! One handler per subcommand. [`run`] builds the one [`Settings`] value of the run and
//! dispatches; handlers print results through the one writer ([`print_out`], [`print_json`],
//! [`print_err`]) and return an exit status; failures are one sentence for stderr with the exit
//! code of product.md.

pub mod audit;
pub mod db;
pub mod handoff;
pub mod interview;
pub mod interview_answers;
pub mod meta;
pub mod questionnaire;
pub mod referrals;
pub mod review;
pub mod scenario;
pub mod stats;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use crate::cli::{Cli, Command, HandoffCommand, KeysCommand, SitesCommand};
use crate::questionnaire::{BUILTIN_NAME, BUILTIN_TEXT, Questionnaire, Severity, load};
use crate::sanitize;
use crate::settings::{Flags, Settings, SettingsError};
use crate::store::Store;
use crate::tui::{self, Exit, Start};

/// Builds the settings once (flags, environment, config files, state file, defaults) and runs
/// the command the user typed.
///
/// # Errors
/// A [`Failure`] with the exit code of product.md.
pub fn run(cli: Cli) -> CmdResult {
    // Version, completions and the man page need no settings: they work beside a broken
    // config file, which is when someone may need them.
    if cli.version {
        return meta::version();
    }
    let command = match cli.command {
        Some(Command::Completions(args)) => return meta::completions(args.shell),
        Some(Command::Man(args)) => return meta::man(args.out.as_deref()),
        // A language named on the line for a drawing is the questionnaire's (it may have
        // languages the program's own words lack), so it is not checked as a setting; the
        // drawing opens no database.
        Some(Command::Questionnaire(cmd @ crate::cli::QuestionnaireCommand::Graph { .. }))
            if cli.lang.is_some() =>
        {
            return questionnaire::run_named(&cmd, cli.lang.as_deref().unwrap_or_default());
        }
        // `--lang` names the translation's language here (any tag, not only nb or en), so
        // it is taken as typed rather than as a setting.
        Some(Command::Questionnaire(crate::cli::QuestionnaireCommand::Translate {
            file,
            out,
            template,
        })) => {
            return questionnaire::translate(&file, cli.lang.as_deref(), out.as_deref(), template);
        }
        other => other,
    };
    let settings = Settings::load(&Flags {
        config: cli.config,
        db: cli.db,
        lang: cli.lang,
    })?;
    match command {
        None => review::home(&settings),
        Some(Command::Interview(args)) => interview::run(&settings, &args),
        Some(Command::Review) => review::run(&settings),
        Some(Command::Referrals(cmd)) => referrals::run(&settings, &cmd),
        Some(Command::Stats(args)) => stats::run(&settings, &args),
        Some(Command::Questionnaire(cmd)) => questionnaire::run_in(&cmd, settings.lang_code()),
        Some(Command::Audit(cmd)) => audit::run(&settings, &cmd),
        Some(Command::Keys(KeysCommand::Generate { out, site })) => {
            handoff::keys_generate(&settings, &out, site.as_deref())
        }
        Some(Command::Sites(SitesCommand::Add { public_file, unit })) => {
            handoff::sites_add(&settings, &public_file, &unit)
        }
        Some(Command::Sites(SitesCommand::List)) => handoff::sites_list(&settings),
        Some(Command::Handoff(HandoffCommand::Seal {
            ids,
            to,
            key,
            out,
            force,
        })) => handoff::seal(&settings, &ids, to.as_deref(), key.as_deref(), &out, force),
        Some(Command::Handoff(HandoffCommand::Import {
            bundles,
            identity,
            receipts,
            force,
        })) => handoff::import(&settings, &bundles, &identity, receipts.as_deref(), force),
        Some(Command::Handoff(HandoffCommand::Confirm { receipts, from })) => {
            handoff::confirm(&settings, &receipts, from.as_deref())
        }
        Some(Command::Purge(args)) => handoff::purge(&settings, args.older_than, args.dry_run),
        // Answered above, before the settings.
        Some(Command::Completions(_) | Command::Man(_)) => Ok(ExitCode::SUCCESS),
    }
}

impl From<SettingsError> for Failure {
    fn from(e: SettingsError) -> Self {
        Self {
            code: e.exit_code(),
            message: e.to_string(),
        }
    }
}

/// A command that could not do its work: one clear sentence and the exit code to leave with
/// (1: the command ran and found a problem; 2: bad usage or unreadable input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// 1 or 2.
    pub code: u8,
    /// One sentence naming the file, line, id or value at fault.
    pub message: String,
}

impl Failure {
    /// Bad usage or input that cannot be read (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }

    /// The command ran and found a problem (exit 1).
    pub fn found(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What a handler returns.
pub type CmdResult = Result<ExitCode, Failure>;

/// The one writer of every handler: text is shown through [`sanitize::visible_text`] (a
/// control character in stored or read text cannot act on the terminal) and JSON through
/// [`sanitize::json_safe`]. A reader that went away (`rosa-screen questionnaire test | head`)
/// is not an error: the rest of the output is dropped and the command ends with the exit code
/// its work earned, the same rule for every command.
#[derive(Debug)]
pub struct Out<W: Write> {
    w: W,
    /// The reader went away; nothing more is written.
    gone: bool,
    /// Failures to write are ignored (standard error: nowhere left to report them).
    quiet: bool,
}

impl<W: Write> Out<W> {
    /// A writer over `w` that reports a failed write as a [`Failure`].
    pub fn new(w: W) -> Self {
        Self {
            w,
            gone: false,
            quiet: false,
        }
    }

    /// A writer over `w` that drops failed writes (for standard error).
    pub fn quiet(w: W) -> Self {
        Self {
            w,
            gone: false,
            quiet: true,
        }
    }

    /// Writes text, with control characters shown visibly.
    ///
    /// # Errors
    /// A [`Failure`] when the stream cannot be written for a reason other than a closed pipe.
    pub fn text(&mut self, s: &str) -> Result<(), Failure> {
        self.raw(&sanitize::visible_text(s))
    }

    /// Writes one line of text (a line break is added).
    ///
    /// # Errors
    /// As [`Out::text`].
    pub fn line(&mut self, s: &str) -> Result<(), Failure> {
        self.text(s)?;
        self.raw("\n")
    }

    /// Writes a value as pretty JSON and a line break; serde_json escapes C0 controls and
    /// [`sanitize::json_safe`] the rest.
    ///
    /// # Errors
    /// A [`Failure`] when the value cannot be written as JSON or the stream cannot be written.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Failure> {
        let json = serde_json::to_string_pretty(v)
            .map_err(|e| Failure::found(format!("cannot write the output as JSON: {e}")))?;
        self.raw(&sanitize::json_safe(&json))?;
        self.raw("\n")
    }

    fn raw(&mut self, s: &str) -> Result<(), Failure> {
        if self.gone {
            return Ok(());
        }
        match self.w.write_all(s.as_bytes()).and_then(|()| self.w.flush()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.gone = true;
                Ok(())
            }
            Err(_) if self.quiet => Ok(()),
            Err(e) => Err(Failure::found(format!(
                "cannot write to standard output: {e}"
            ))),
        }
    }
}

/// The writer of standard output.
#[must_use]
pub fn stdout() -> Out<std::io::StdoutLock<'static>> {
    Out::new(std::io::stdout().lock())
}

/// The writer of standard error (failed writes are dropped).
#[must_use]
pub fn stderr() -> Out<std::io::StderrLock<'static>> {
    Out::quiet(std::io::stderr().lock())
}

/// Writes text to standard output through the one writer ([`Out::text`]).
///
/// # Errors
/// A [`Failure`] when stdout cannot be written for a reason other than a closed pipe.
pub fn print_out(s: &str) -> Result<(), Failure> {
    stdout().text(s)
}

/// Writes a value as pretty JSON and a line break to standard output ([`Out::json`]).
///
/// # Errors
/// As [`Out::json`].
pub fn print_json<T: serde::Serialize + ?Sized>(v: &T) -> Result<(), Failure> {
    stdout().json(v)
}

/// Writes one line to standard error, control characters shown visibly.
pub fn print_err(s: &str) {
    // A quiet writer never fails.
    let _ = stderr().line(s);
}

/// `s` padded with spaces to `width` characters, for aligned columns. Unlike a format width it
/// has no upper limit, so an absurdly long stored value cannot make a list panic.
#[must_use]
pub fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    let mut out = String::with_capacity(s.len() + width.saturating_sub(n));
    out.push_str(s);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(n)));
    out
}

/// Opens (creating if needed) the database of the settings, for a command that records
/// something.
///
/// # Errors
/// A [`Failure`] with the store's exit code.
pub fn open_store(settings: &Settings) -> Result<Store, Failure> {
    db::open(settings.db.as_deref())
}

/// Opens the existing database of the settings, for a command that reads or acts on what is
/// recorded (a mistyped `--db` is reported instead of starting an empty database).
///
/// # Errors
/// A [`Failure`] with the store's exit code.
pub fn open_existing_store(settings: &Settings) -> Result<Store, Failure> {
    db::open_existing(settings.db.as_deref())
}

/// What a questionnaire is opened for: says what must wait until its lint errors are fixed,
/// and with which exit code.
#[derive(Debug, Clone, Copy)]
pub enum Purpose<'a> {
    /// An interview, on screen, in plain mode or from an answers file (exit 2).
    Interview,
    /// Drawing its branching (exit 1: the command ran and found a problem).
    Draw,
    /// Running the scenario file of this name (exit 2).
    Scenario(&'a str),
}

/// The one way a command opens a questionnaire: `file`, or the built-in one when `None`; read,
/// loaded and linted. A questionnaire with lint errors is not used: every finding is written
/// to `err` and the failure says what to fix first.
///
/// # Errors
/// Exit 2 when the file cannot be read; with lint errors, exit 2 (1 for [`Purpose::Draw`]).
pub fn open_questionnaire<W: Write>(
    file: Option<&Path>,
    purpose: Purpose<'_>,
    err: &mut Out<W>,
) -> Result<Questionnaire, Failure> {
    let (text, name) = match file {
        Some(path) => (
            load::read_file(path).map_err(|e| match purpose {
                Purpose::Scenario(scenario) => {
                    Failure::usage(format!("{e} (the questionnaire named by {scenario})"))
                }
                _ => Failure::usage(e),
            })?,
            path.display().to_string(),
        ),
        None => (BUILTIN_TEXT.to_owned(), BUILTIN_NAME.to_owned()),
    };
    crate::questionnaire::open(&text, &name).map_err(|findings| {
        for f in &findings {
            // One finding a line; what it echoes from the file is shown, not obeyed.
            let _ = err.line(&sanitize::visible_line(&f.to_line()));
        }
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        let (n, it) = if errors == 1 {
            ("1 lint error".to_owned(), "it")
        } else {
            (format!("{errors} lint errors"), "them")
        };
        match purpose {
            Purpose::Interview => Failure::usage(format!(
                "the questionnaire {name} has {n} (listed above); fix {it} before an interview"
            )),
            Purpose::Draw => Failure::found(format!(
                "{name} has {errors} error{} (listed above); fix {it} before drawing it",
                if errors == 1 { "" } else { "s" }
            )),
            Purpose::Scenario(scenario) => Failure::usage(format!(
                "the questionnaire {name} has {n}; fix {it} before running {scenario}"
            )),
        }
    })
}

/// Runs the terminal UI, refusing clearly when there is no terminal. The home screen, the
/// interview and the review queue all come here, so `interview` and `review` do not call
/// each other.
///
/// # Errors
/// Exit 2 without a terminal; exit 1 when the terminal fails.
pub fn run_tui(
    q: &Arc<Questionnaire>,
    settings: &Settings,
    store: &mut Store,
    start: Start,
) -> Result<Exit, Failure> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(Failure::usage(
            "the screens need a terminal; for line-by-line use run `rosa-screen interview --plain`",
        ));
    }
    tui::run_set_up(
        site_setup(settings),
        Arc::clone(q),
        settings.lang_code(),
        store,
        start,
    )
    .map(|(exit, _)| exit)
    .map_err(|e| Failure::found(e.to_string()))
}

/// [`run_tui`] in `lang` (None: the settings' language), giving back the language on screen at
/// the end. A language picked on screen is remembered for the next start.
///
/// # Errors
/// As [`run_tui`].
pub fn run_tui_in(
    q: &Arc<Questionnaire>,
    settings: &Settings,
    lang: Option<&str>,
    store: &mut Store,
    start: Start,
) -> Result<(Exit, String), Failure> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(Failure::usage(
            "the screens need a terminal; for line-by-line use run `rosa-screen interview --plain`",
        ));
    }
    let lang = lang.or(settings.lang_code());
    let (exit, shown) = tui::run_set_up(site_setup(settings), Arc::clone(q), lang, store, start)
        .map_err(|e| Failure::found(e.to_string()))?;
    if Some(shown.as_str()) != lang
        && let Err(e) = remember_lang(settings, &shown)
    {
        // The screens are closed now: say it where the user sees it.
        stderr().line(&format!("rosa-screen: {e}"))?;
    }
    Ok((exit, shown))
}

/// What the screens need from the settings: the kind of site, the `[handoff]` files and
/// folders, and the purge period.
#[must_use]
pub fn site_setup(settings: &Settings) -> tui::SiteSetup {
    tui::SiteSetup {
        site: settings.site,
        handoff: settings.handoff.clone(),
        purge_days: settings.purge.older_than_days,
    }
}

/// Remembers a language picked on screen in the state file; a failure is told on stderr and
/// changes nothing else (nothing recorded depends on it). Languages the program's own words do
/// not have (a questionnaire's third language) are not remembered.
///
/// # Errors
/// The one-sentence reason, for a screen to show.
pub fn remember_lang(settings: &Settings, lang: &str) -> Result<(), String> {
    let Ok(l) = lang.parse::<crate::settings::Lang>() else {
        return Ok(());
    };
    settings.remember_lang(l).map_err(|e| e.to_string())
}
