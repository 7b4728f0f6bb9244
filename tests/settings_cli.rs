//! Settings through the real binary: the config file, its precedence below flags and the
//! environment, and refusing a bad file with its file, line and key.

// Test helpers panic on failure by design: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

/// The binary with every place a setting comes from pointed into `home`, so the machine's own
/// files are never read.
fn cmd(home: &Path) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin!("rosa-screen"));
    c.env_remove("ROSA_SCREEN_DB")
        .env_remove("ROSA_SCREEN_CONFIG")
        .env_remove("ROSA_SCREEN_LANG")
        .env_remove("ROSA_SCREEN_SITE")
        .env(
            "ROSA_SCREEN_SYSTEM_CONFIG",
            home.join("etc/rosa-screen.toml"),
        )
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("NO_COLOR", "1");
    c
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn the_config_file_names_the_database_and_flags_win() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    write(
        &h.join("config/rosa-screen/rosa-screen.toml"),
        "db = \"from-user.db\"\n",
    );
    write(
        &h.join("etc/rosa-screen.toml"),
        "db = \"/nowhere/from-system.db\"\n",
    );
    // `referrals list` needs an existing database, so the message names the one it chose.
    cmd(h)
        .args(["referrals", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            h.join("config/rosa-screen/from-user.db")
                .display()
                .to_string(),
        ));
    cmd(h)
        .env("ROSA_SCREEN_DB", h.join("from-env.db"))
        .args(["referrals", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("from-env.db"));
    cmd(h)
        .env("ROSA_SCREEN_DB", h.join("from-env.db"))
        .arg("--db")
        .arg(h.join("from-flag.db"))
        .args(["referrals", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("from-flag.db"));
    std::fs::remove_file(h.join("config/rosa-screen/rosa-screen.toml")).unwrap();
    cmd(h)
        .args(["stats"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nowhere/from-system.db"));
}

#[test]
fn a_misspelt_key_is_refused_with_file_line_and_key() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let file = h.join("my.toml");
    write(&file, "lang = \"en\"\n\n[purge]\nolder_then_days = 30\n");
    let out = cmd(h)
        .arg("--config")
        .arg(&file)
        .args(["questionnaire", "schema"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!("rosa-screen: {}:4: ", file.display())),
        "{stderr}"
    );
    assert!(stderr.contains("purge.older_then_days"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_config_file_named_in_the_environment_must_exist() {
    let home = tempfile::tempdir().unwrap();
    cmd(home.path())
        .env("ROSA_SCREEN_CONFIG", home.path().join("typo.toml"))
        .args(["questionnaire", "schema"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("typo.toml: there is no such file"));
}

#[test]
fn lang_takes_only_the_programs_languages() {
    let home = tempfile::tempdir().unwrap();
    cmd(home.path())
        .args(["--lang", "de", "questionnaire", "schema"])
        .assert()
        .code(2)
        .stderr("rosa-screen: --lang `de` is not a language of the program; use nb or en\n");
    cmd(home.path())
        .env("ROSA_SCREEN_LANG", "sv")
        .args(["questionnaire", "schema"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ROSA_SCREEN_LANG `sv`"));
}

#[test]
fn the_shipped_example_config_means_defaults() {
    let home = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rosa-screen.example.toml");
    cmd(home.path())
        .env("ROSA_SCREEN_SYSTEM_CONFIG", &example)
        .args(["questionnaire", "schema"])
        .assert()
        .success();
}
