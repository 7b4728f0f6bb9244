//! The real binary as a command (assert_cmd), for the tests that run `rosa-screen` to the end
//! and read what it printed: one way to start it over a database, to insist that it succeeded,
//! to read its `key: value` lines, and to record a screening from an answers file.
#![allow(clippy::expect_used)] // a failed set-up is a failed test

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// An `interview --answers` file for the example questionnaire's strong case (a referral).
pub const STRONG_ANSWERS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/answers/strong.yaml"
);

/// `rosa-screen` over the database `db`, without colour, and with nothing of the caller's
/// settings: none of its `ROSA_SCREEN_*` variables, no system-wide config file, and config and
/// state directories in the folder that holds `db`. Add what a test needs with `.env(..)`.
pub fn rosa(db: &Path) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin!("rosa-screen"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ROSA_SCREEN_") {
            c.env_remove(key);
        }
    }
    let home = db.parent().expect("the database is in a folder");
    c.env("ROSA_SCREEN_DB", db)
        .env(
            "ROSA_SCREEN_SYSTEM_CONFIG",
            home.join("no-system-config.toml"),
        )
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("NO_COLOR", "1");
    c
}

/// Runs `c`, which must succeed (its stderr is shown if not); returns what it printed.
pub fn stdout(c: &mut Command) -> String {
    let out = c.output().expect("run rosa-screen");
    assert!(
        out.status.success(),
        "failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The value of the first `key: value` line of `out`.
pub fn field<'a>(out: &'a str, key: &str) -> Option<&'a str> {
    out.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(": "))
}

/// A copy of the answers file `from` in `dir`, named `name`, with each `(old, new)` text
/// replaced; each `old` must be in the file, so a changed fixture fails here, by name.
pub fn answers_with(from: &str, dir: &Path, name: &str, replace: &[(&str, &str)]) -> PathBuf {
    let mut text = std::fs::read_to_string(from).expect("read the answers file");
    for (old, new) in replace {
        assert!(text.contains(old), "{from} no longer holds {old:?}");
        text = text.replace(old, new);
    }
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the answers file");
    path
}

/// Records a whole screening (and its referral, if the file makes one) from `answers` with
/// `interview --answers`, which must succeed; returns the output (`screening: ID`,
/// `outcome: ID`, `referral: ID`). `questionnaire` is the built-in one when `None`.
pub fn record(db: &Path, questionnaire: Option<&str>, answers: &Path) -> String {
    let mut c = rosa(db);
    c.arg("interview");
    if let Some(q) = questionnaire {
        c.args(["--questionnaire", q]);
    }
    stdout(c.arg("--answers").arg(answers))
}
