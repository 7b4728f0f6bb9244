//! The conventions of a command-line tool, through the real binary: `--version`, shell
//! completions and manual pages that name every subcommand, and `--format csv` giving the same
//! figures and rows as `--format json`.

// Test helpers panic on failure by design: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use clap::CommandFactory;
use rosa_screen::cli::Cli;

mod common;

use common::{cli, fixtures};

fn bin() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("rosa-screen"))
}

/// Every subcommand at every depth, as the path of names (`["referrals", "list"]`).
fn subcommands() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: &[String], out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands() {
            let mut p = path.to_vec();
            p.push(sub.get_name().to_owned());
            out.push(p.clone());
            walk(sub, &p, out);
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), &[], &mut out);
    assert!(out.len() > 10, "{out:?}");
    out
}

#[test]
fn version_names_the_program_and_the_builtin_questionnaire() {
    let out = cli::stdout(bin().arg("--version"));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        format!("rosa-screen {}", env!("CARGO_PKG_VERSION"))
    );
    let q = rosa_screen::questionnaire::builtin().unwrap();
    assert_eq!(lines[1], format!("questionnaire: {}", q.id));
    assert_eq!(lines[2], format!("questionnaire version: {}", q.version));
    let hash = lines[3].strip_prefix("questionnaire hash: ").unwrap();
    assert_eq!(hash, rosa_screen::store::questionnaire_hash(&q));
    assert_eq!(hash.len(), 64);
    // -V is the same.
    assert_eq!(cli::stdout(bin().arg("-V")), out);
}

#[test]
fn completions_name_every_subcommand_in_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = cli::stdout(bin().args(["completions", shell]));
        assert!(script.len() > 1000, "{shell}: {script}");
        for path in subcommands() {
            let name = path.last().unwrap();
            assert!(script.contains(name.as_str()), "{shell} lacks `{name}`");
        }
        // Options of a nested command complete too.
        assert!(script.contains("--format"), "{shell}");
    }
    let bad = bin().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn man_page_names_every_top_level_subcommand() {
    let page = cli::stdout(bin().arg("man"));
    assert!(page.starts_with(".ie") || page.contains(".TH"), "{page}");
    assert!(page.contains("rosa\\-screen"), "{page}");
    for path in subcommands().iter().filter(|p| p.len() == 1) {
        // roff escapes the hyphen of `set-status` and friends.
        let name = path[0].replace('-', "\\-");
        assert!(page.contains(&name), "the page lacks `{}`", path[0]);
    }
}

#[test]
fn man_out_writes_one_page_per_subcommand_at_every_depth() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli::stdout(bin().args(["man", "--out"]).arg(dir.path()));
    let mut expected = vec!["rosa-screen.1".to_owned()];
    for path in subcommands()
        .iter()
        .filter(|p| p.iter().all(|n| n != "help"))
    {
        expected.push(format!("rosa-screen-{}.1", path.join("-")));
    }
    for name in &expected {
        let file = dir.path().join(name);
        let page = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("{name}: {e}; printed:\n{out}"));
        assert!(page.contains(".TH"), "{name}");
        assert!(out.contains(name.as_str()), "{out}");
    }
}

/// A database with two referrals from different units, one with a comma and quotes in its
/// unit so that CSV quoting is exercised.
fn seeded() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rosa.db");
    let odd = cli::answers_with(
        cli::STRONG_ANSWERS,
        dir.path(),
        "odd.yaml",
        &[
            ("unit: Bredtveit", "unit: 'Oslo, \"avd. A\"'"),
            ("person: \"B-2026-117\"", "person: \"O-7\""),
        ],
    );
    for file in [Path::new(cli::STRONG_ANSWERS), odd.as_path()] {
        cli::record(&db, Some(fixtures::SMALL_PATH), file);
    }
    (dir, db)
}

#[test]
fn stats_csv_has_the_same_figures_as_json() {
    let (_dir, db) = seeded();
    let year = &jiff::Timestamp::now().to_string()[..4];
    let json: serde_json::Value = serde_json::from_str(&cli::stdout(
        bin()
            .env("ROSA_SCREEN_DB", &db)
            .args(["stats", "--year", year, "--format", "json"]),
    ))
    .unwrap();
    // `--json` is the short form of the same.
    let short: serde_json::Value = serde_json::from_str(&cli::stdout(
        bin()
            .env("ROSA_SCREEN_DB", &db)
            .args(["stats", "--year", year, "--json"]),
    ))
    .unwrap();
    assert_eq!(json, short);
    let csv = cli::stdout(
        bin()
            .env("ROSA_SCREEN_DB", &db)
            .args(["stats", "--year", year, "--format", "csv"]),
    );
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec!["year", "section", "key", "count"]
    );
    // Rebuild the JSON value from the rows and compare it whole.
    let mut rebuilt = serde_json::Map::new();
    rebuilt.insert("year".into(), json["year"].clone());
    let mut lists: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for row in reader.records() {
        let row = row.unwrap();
        assert_eq!(&row[0], year);
        let count: u64 = row[3].parse().unwrap();
        if &row[1] == "total" {
            rebuilt.insert(row[2].to_owned(), count.into());
        } else {
            lists
                .entry(row[1].to_owned())
                .or_default()
                .push(serde_json::json!({"key": &row[2], "count": count}));
        }
    }
    for (name, v) in json.as_object().unwrap() {
        if v.is_array() {
            rebuilt.insert(name.clone(), lists.remove(name).unwrap_or_default().into());
        }
    }
    assert!(lists.is_empty(), "sections not in the JSON: {lists:?}");
    assert_eq!(serde_json::Value::Object(rebuilt), json);
    assert_eq!(json["referrals"], 2);
}

#[test]
fn referrals_list_csv_has_the_same_rows_as_json() {
    let (_dir, db) = seeded();
    let json: serde_json::Value =
        serde_json::from_str(&cli::stdout(bin().env("ROSA_SCREEN_DB", &db).args([
            "referrals",
            "list",
            "--json",
        ])))
        .unwrap();
    let csv = cli::stdout(bin().env("ROSA_SCREEN_DB", &db).args([
        "referrals",
        "list",
        "--format",
        "csv",
    ]));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let json = json.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows.len(), json.len());
    for (row, obj) in rows.iter().zip(json) {
        let obj = obj.as_object().unwrap();
        let mut keys: Vec<&String> = obj.keys().collect();
        keys.sort();
        let mut cols: Vec<&String> = headers.iter().collect();
        cols.sort();
        assert_eq!(keys, cols, "every JSON field is a column and no more");
        for (h, cell) in headers.iter().zip(row.iter()) {
            let expected = match &obj[h] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(a) => a
                    .iter()
                    .map(|x| x.as_str().unwrap().to_owned())
                    .collect::<Vec<_>>()
                    .join(";"),
                other => other.to_string(),
            };
            assert_eq!(cell, expected, "column {h}");
        }
    }
    assert!(
        rows.iter()
            .any(|r| r.iter().any(|c| c == "Oslo, \"avd. A\""))
    );
    let both = bin()
        .env("ROSA_SCREEN_DB", &db)
        .args(["referrals", "list", "--json", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn lang_chooses_the_words_of_stats_graph_and_referrals_show() {
    let (_dir, db) = seeded();
    let run = |args: &[&str]| cli::stdout(bin().env("ROSA_SCREEN_DB", &db).args(args));
    let nb = run(&["--lang", "nb", "stats"]);
    let en = run(&["stats", "--lang", "en"]);
    assert!(nb.contains("kartlegginger: 2\n"), "{nb}");
    assert!(nb.contains("\nindikatorer:\n"), "{nb}");
    assert!(en.contains("screenings: 2\n"), "{en}");
    // Without a language the figures stay in English, as before.
    assert_eq!(run(&["stats"]), en);
    // The same numbers in any language.
    let numbers = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_ascii_digit())
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect()
    };
    assert_eq!(numbers(&nb), numbers(&en));

    let file = "questionnaires/prison-screening.yaml";
    let g_nb = run(&["questionnaire", "graph", file, "--lang", "nb"]);
    let g_en = run(&["questionnaire", "graph", file, "--lang", "en"]);
    assert_ne!(g_nb, g_en);
    let id = run(&["referrals", "list", "--format", "csv"])
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_owned();
    let show_en = run(&["referrals", "show", &id, "--lang", "en"]);
    let show_nb = run(&["referrals", "show", &id, "--lang", "nb"]);
    assert_ne!(show_en, show_nb);
}
