//! The `rosa-screen` binary: parse the command line, dispatch, leave with the right exit code.

use std::process::ExitCode;

use clap::Parser;
use rosa_screen::cli::Cli;
use rosa_screen::commands;

fn main() -> ExitCode {
    match commands::run(Cli::parse()) {
        Ok(code) => code,
        Err(failure) => {
            commands::print_err(&format!("rosa-screen: {failure}"));
            ExitCode::from(failure.code)
        }
    }
}
