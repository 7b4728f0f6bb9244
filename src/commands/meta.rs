//! The program about itself: `--version`, `completions SHELL` and `man`, all generated from the
//! clap definitions in `cli.rs`, so they cannot drift from the command line.

use std::path::Path;
use std::process::ExitCode;

use clap::CommandFactory;

use super::{CmdResult, Failure, print_out};
use crate::cli::{Cli, CompletionShell};
use crate::questionnaire;
use crate::store;

/// The program's name as typed.
const BIN: &str = "rosa-screen";

/// `rosa-screen --version`: the program's version, then the built-in questionnaire's id,
/// version and content hash (the hash a screening records, so IT and ROSA can tell which
/// questions a site asks without opening a database).
///
/// # Errors
/// A [`Failure`] when the built-in questionnaire does not load (tests keep it loading) or
/// stdout cannot be written.
pub fn version() -> CmdResult {
    print_out(&version_text()?)?;
    Ok(ExitCode::SUCCESS)
}

/// The text `--version` prints, three `key: value` lines after the first.
///
/// # Errors
/// A [`Failure`] when the built-in questionnaire does not load.
pub fn version_text() -> Result<String, Failure> {
    let q = questionnaire::builtin().map_err(|findings| {
        Failure::found(format!(
            "the built-in questionnaire does not load ({} findings); this build is broken",
            findings.len()
        ))
    })?;
    Ok(format!(
        "{BIN} {}\nquestionnaire: {}\nquestionnaire version: {}\nquestionnaire hash: {}\n",
        env!("CARGO_PKG_VERSION"),
        q.id,
        q.version,
        store::questionnaire_hash(&q),
    ))
}

/// `rosa-screen completions SHELL`: the completion script on stdout.
///
/// # Errors
/// A [`Failure`] when stdout cannot be written.
pub fn completions(shell: CompletionShell) -> CmdResult {
    print_out(&completion_script(shell))?;
    Ok(ExitCode::SUCCESS)
}

/// The completion script for `shell`.
#[must_use]
pub fn completion_script(shell: CompletionShell) -> String {
    use clap_complete::Shell;
    let shell = match shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
        CompletionShell::Powershell => Shell::PowerShell,
    };
    let mut out = Vec::new();
    clap_complete::generate(
        shell,
        &mut crate::cli::without_db(Cli::command()),
        BIN,
        &mut out,
    );
    String::from_utf8_lossy(&out).into_owned()
}

/// `rosa-screen man [--out DIR]`: the main page on stdout, or every page written into `DIR`.
///
/// # Errors
/// A [`Failure`] naming the folder when a page cannot be written.
pub fn man(out: Option<&Path>) -> CmdResult {
    match out {
        None => print_out(&man_page()?)?,
        Some(dir) => {
            for name in write_man_pages(dir)? {
                print_out(&format!("written: {}\n", dir.join(name).display()))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The main manual page, `rosa-screen(1)`, as roff.
///
/// # Errors
/// A [`Failure`] when rendering fails (it writes to memory, so only on a bug).
pub fn man_page() -> Result<String, Failure> {
    let mut out = Vec::new();
    clap_mangen::Man::new(crate::cli::without_db(Cli::command()))
        .render(&mut out)
        .map_err(|e| Failure::found(format!("cannot render the manual page: {e}")))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Writes `rosa-screen.1` and one page per subcommand, at every depth
/// (`rosa-screen-referrals-list.1`), into `dir` (created if needed). Returns the file names.
///
/// # Errors
/// A [`Failure`] naming the folder when it cannot be created or written.
pub fn write_man_pages(dir: &Path) -> Result<Vec<String>, Failure> {
    let fail = |e: std::io::Error| {
        Failure::usage(format!(
            "cannot write manual pages into {}: {e}",
            dir.display()
        ))
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut cmd = crate::cli::without_db(Cli::command().disable_help_subcommand(true));
    // Built, so every global flag and every page's full name reach the subcommands.
    cmd.build();
    let mut names = Vec::new();
    collect_pages(&cmd, &mut names);
    clap_mangen::generate_to(cmd, dir).map_err(fail)?;
    names.sort();
    Ok(names)
}

/// The file names `clap_mangen::generate_to` writes for `cmd` and its subcommands.
fn collect_pages(cmd: &clap::Command, names: &mut Vec<String>) {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect_pages(sub, names);
    }
    names.push(format!(
        "{}.1",
        cmd.get_display_name().unwrap_or_else(|| cmd.get_name())
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_names_the_builtin_questionnaire_and_its_stored_hash() {
        let text = version_text().unwrap();
        let q = questionnaire::builtin().unwrap();
        assert!(text.starts_with(&format!("rosa-screen {}\n", env!("CARGO_PKG_VERSION"))));
        assert!(
            text.contains(&format!("questionnaire: {}\n", q.id)),
            "{text}"
        );
        assert!(text.contains(&format!("questionnaire version: {}\n", q.version)));
        // The same hash a screening of the built-in questionnaire records.
        let mut st = store::Store::in_memory().unwrap();
        let details = store::NewScreening {
            unit: "Bredtveit".into(),
            officer: "Duty officer B".into(),
            person: "B-1".into(),
            gender: store::Gender::Female,
            birth_year: None,
            nationality: "NG".into(),
            language: "en".into(),
            interpreter: Some(store::Interpreter::None),
            person_language: None,
        };
        let id = st.create_screening(&q, &details).unwrap();
        let stored = st.load_screening(&id).unwrap();
        assert!(
            text.contains(&format!(
                "questionnaire hash: {}\n",
                stored.questionnaire_hash
            )),
            "{text}"
        );
    }
}
