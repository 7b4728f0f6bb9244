//! `rosa-screen interview`: the terminal UI (default), plain line mode (`--plain`), or a
//! screening recorded from an answers file (`--answers`).

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use super::print_out;
use super::{CmdResult, Failure};
use crate::cli::InterviewArgs;
use crate::questionnaire::{self, Questionnaire};
use crate::store::Store;
use crate::tui::{self, Exit, Start};

/// Runs `interview`.
pub fn run(db: Option<&Path>, args: &InterviewArgs) -> CmdResult {
    if let Some(file) = &args.answers {
        return super::interview_answers::run(db, args, file);
    }
    let q = Arc::new(load(args.questionnaire.as_deref())?);
    check_lang(&q, args.lang.as_deref())?;
    let mut store = open_store(db)?;
    if args.plain {
        let stdin = std::io::stdin();
        let stdout = std::io::stdout();
        let ended = crate::plain::run(
            stdin.lock(),
            stdout.lock(),
            &mut store,
            q,
            args.lang.as_deref(),
        )
        .map_err(|e| Failure::found(e.to_string()))?;
        let id = match &ended {
            crate::plain::Ended::Paused { screening }
            | crate::plain::Ended::Finished { screening, .. }
            | crate::plain::Ended::Referred { screening, .. } => screening,
        };
        print_out(&format!("screening: {id}\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let exit = run_tui(&q, args.lang.as_deref(), &mut store, Start::NewScreening)?;
    if exit == Exit::OpenReview {
        drop(store);
        return super::review::home(db);
    }
    Ok(ExitCode::SUCCESS)
}

/// The questionnaire of `--questionnaire FILE` (checked with lint), or the built-in one.
pub fn load(file: Option<&Path>) -> Result<Questionnaire, Failure> {
    let (text, name) = match file {
        Some(path) => {
            let text = crate::questionnaire::load::read_file(path).map_err(Failure::usage)?;
            (text, path.display().to_string())
        }
        None => (
            questionnaire::BUILTIN_TEXT.to_string(),
            questionnaire::BUILTIN_NAME.to_string(),
        ),
    };
    questionnaire::open(&text, &name).map_err(|findings| {
        let first = findings
            .iter()
            .find(|f| f.severity == questionnaire::Severity::Error)
            .or(findings.first());
        match first {
            Some(f) => Failure::usage(format!(
                "{}:{}: {} (run `rosa-screen questionnaire lint {name}` for every problem)",
                name, f.line, f.message
            )),
            None => Failure::usage(format!("{name} cannot be used as a questionnaire")),
        }
    })
}

/// Refuses a `--lang` the questionnaire does not have.
fn check_lang(q: &Questionnaire, lang: Option<&str>) -> Result<(), Failure> {
    match lang {
        Some(l) if !q.languages.iter().any(|x| x == l) => Err(Failure::usage(format!(
            "--lang `{l}` is not a language of questionnaire `{}`; it has {}",
            q.id,
            q.languages.join(", ")
        ))),
        _ => Ok(()),
    }
}

/// Opens (creating if needed) the database.
pub fn open_store(db: Option<&Path>) -> Result<Store, Failure> {
    Store::open_default(db).map_err(|e| Failure {
        code: e.exit_code(),
        message: e.to_string(),
    })
}

/// Runs the terminal UI, refusing clearly when there is no terminal.
pub fn run_tui(
    q: &Arc<Questionnaire>,
    lang: Option<&str>,
    store: &mut Store,
    start: Start,
) -> Result<Exit, Failure> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(Failure::usage(
            "the screens need a terminal; for line-by-line use run `rosa-screen interview --plain`",
        ));
    }
    tui::run(Arc::clone(q), lang, store, start).map_err(|e| Failure::found(e.to_string()))
}
