//! The `rosa-screen` binary: parse the command line, dispatch, leave with the right exit code.

use std::process::ExitCode;

use clap::Parser;
use rosa_screen::cli::{Cli, Command};
use rosa_screen::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        _ if cli.version => commands::meta::version(),
        None => commands::review::home(cli.db.as_deref()),
        Some(Command::Interview(args)) => commands::interview::run(cli.db.as_deref(), &args),
        Some(Command::Review) => commands::review::run(cli.db.as_deref()),
        Some(Command::Referrals(cmd)) => commands::referrals::run(cli.db.as_deref(), &cmd),
        Some(Command::Stats(args)) => commands::stats::run(cli.db.as_deref(), &args),
        Some(Command::Questionnaire(cmd)) => commands::questionnaire::run(&cmd),
        Some(Command::Audit(cmd)) => commands::audit::run(cli.db.as_deref(), &cmd),
        Some(Command::Completions(args)) => commands::meta::completions(args.shell),
        Some(Command::Man(args)) => commands::meta::man(args.out.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("rosa-screen: {failure}");
            ExitCode::from(failure.code)
        }
    }
}
