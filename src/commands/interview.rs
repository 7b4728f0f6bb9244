//! `rosa-screen interview`: the terminal UI (default), plain line mode (`--plain`), or a
//! screening recorded from an answers file (`--answers`).

use std::process::ExitCode;
use std::sync::Arc;

use super::{CmdResult, Failure, Purpose, open_questionnaire, open_store, print_out, run_tui_in};
use crate::cli::InterviewArgs;
use crate::questionnaire::Questionnaire;
use crate::settings::{Settings, Source};
use crate::tui::{Exit, Start};

/// Runs `interview`.
pub fn run(settings: &Settings, args: &InterviewArgs) -> CmdResult {
    if let Some(file) = &args.answers {
        return super::interview_answers::run(settings, args, file);
    }
    let q = Arc::new(open_questionnaire(
        args.questionnaire.as_deref(),
        Purpose::Interview,
        &mut super::stderr(),
    )?);
    check_lang(&q, settings)?;
    let mut store = open_store(settings)?;
    if args.plain {
        let default_lang = q.default_language().to_owned();
        let stdin = std::io::stdin();
        let stdout = std::io::stdout();
        let ended = crate::plain::run(
            stdin.lock(),
            stdout.lock(),
            &mut store,
            q,
            settings.lang_code(),
        )
        .map_err(|e| Failure::found(e.to_string()))?;
        if matches!(ended, crate::plain::Ended::Referred { .. })
            && settings.site == Some(crate::settings::Site::Prison)
        {
            // At a prison the referral reaches ROSA only once it is sealed and sent.
            let lang = settings.lang_code().unwrap_or(&default_lang);
            print_out(&format!(
                "{}\n",
                crate::words::sites::SiteWords::of(lang).next_prison_plain
            ))?;
        }
        let id = match &ended {
            // Nothing was stored, so there is no screening to name; not a failure.
            crate::plain::Ended::NotStarted => return Ok(ExitCode::SUCCESS),
            crate::plain::Ended::Paused { screening }
            | crate::plain::Ended::Finished { screening, .. }
            | crate::plain::Ended::Referred { screening, .. } => screening,
        };
        print_out(&format!("screening: {id}\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let (exit, _) = run_tui_in(&q, settings, None, &mut store, Start::NewScreening)?;
    if let Some(code) = crate::tui::signal_exit_status() {
        // Ended by SIGTERM or SIGHUP: the terminal is restored, nothing opens again.
        return Ok(ExitCode::from(code));
    }
    if exit == Exit::OpenReview {
        drop(store);
        return super::review::home(settings);
    }
    Ok(ExitCode::SUCCESS)
}

/// Refuses a language named by `--lang` or `ROSA_SCREEN_LANG` that the questionnaire does not
/// have; one from a config or state file falls back to the questionnaire's default instead.
fn check_lang(q: &Questionnaire, settings: &Settings) -> Result<(), Failure> {
    let named = match settings.lang_source {
        Some(Source::Flag) => "--lang",
        Some(Source::Env) => crate::settings::LANG_ENV,
        _ => return Ok(()),
    };
    match settings.lang_code() {
        Some(l) if !q.languages.iter().any(|x| x == l) => Err(Failure::usage(format!(
            "{named} `{l}` is not a language of questionnaire `{}`; it has {}",
            q.id,
            q.languages.join(", ")
        ))),
        _ => Ok(()),
    }
}
