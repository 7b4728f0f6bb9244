//! Text is data, never terminal control (issue 10): stored text holding escape sequences, a
//! bare carriage return, a backspace or bidi controls is printed harmlessly by every text
//! output, and kept exactly by JSON. The raw bytes of stdout and stderr are checked.

// Test helpers panic on failure by design: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod common;

use common::{cli, fixtures};

/// Sets the window title, clears the screen, returns to the start of the line, rubs out a
/// character, and reverses the text that follows (U+202E) — all inside one value.
fn nasty(what: &str) -> String {
    format!(
        "{what}\u{1b}]0;owned\u{7}\u{1b}[2J\r\u{8}\u{9b}31m\u{202e}kcab\u{202c}\n- item\n# heading"
    )
}

fn cmd(db: &Path) -> Command {
    let mut c = cli::rosa(db);
    c.env("ROSA_SCREEN_ACTOR", "tester");
    c
}

/// A bytes check that names what it found: no C0 control but line feed and tab, no DEL, no
/// C1 control (UTF-8 C2 80..C2 9F), no bidi control.
fn assert_harmless(what: &str, bytes: &[u8]) {
    let text = String::from_utf8(bytes.to_vec()).expect("utf-8 output");
    for (i, c) in text.char_indices() {
        let bad = (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}');
        assert!(
            !bad,
            "{what}: raw U+{:04X} at byte {i}: {:?}",
            u32::from(c),
            text.get(i.saturating_sub(40)..(i + 40).min(text.len()))
        );
    }
}

/// A database with one finished screening and referral whose typed fields were then set to
/// hostile text behind the program's back (as a careless import or an attacker with the file
/// could), so the test does not depend on what input validation lets through.
fn hostile_db() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rosa.db");
    let answers = dir.path().join("answers.yaml");
    let text = std::fs::read_to_string(cli::STRONG_ANSWERS)
        .unwrap()
        .replace(
            "  wants_help: yes\n",
            "  wants_help: yes\n  notes: TEXTANSWER\n",
        );
    std::fs::write(&answers, text).unwrap();
    let out = cmd(&db)
        .args([
            "interview",
            "--questionnaire",
            fixtures::SMALL_PATH,
            "--answers",
        ])
        .arg(&answers)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = String::from_utf8(out.stdout).unwrap();
    let referral = out
        .lines()
        .find_map(|l| l.strip_prefix("referral: "))
        .unwrap()
        .to_owned();
    cmd(&db)
        .args(["referrals", "note", &referral, "NOTEHERE"])
        .assert()
        .success();

    let conn = rusqlite::Connection::open(&db).unwrap();
    let text_answer = serde_json::to_string(&nasty("answer")).unwrap();
    let text_answer = &text_answer[1..text_answer.len() - 1];
    conn.execute_batch("BEGIN").unwrap();
    conn.execute(
        "UPDATE screenings SET unit = ?1, officer = ?2, person = ?3, nationality = ?4",
        [
            nasty("unit"),
            nasty("officer"),
            nasty("person"),
            nasty("nationality"),
        ],
    )
    .unwrap();
    conn.execute(
        "UPDATE referrals SET unit = ?1, person = ?2, contact = ?3",
        [nasty("unit"), nasty("person"), nasty("contact")],
    )
    .unwrap();
    conn.execute(
        "UPDATE answers SET note = ?1 WHERE note IS NOT NULL",
        [nasty("note")],
    )
    .unwrap();
    let n = conn
        .execute(
            "UPDATE answers SET answer = replace(answer, 'TEXTANSWER', ?1)",
            [text_answer],
        )
        .unwrap();
    assert!(n > 0, "the text answer was not found");
    conn.execute(
        "UPDATE referral_events SET note = ?1 WHERE note = 'NOTEHERE'",
        [nasty("event note")],
    )
    .unwrap();
    conn.execute_batch("COMMIT").unwrap();
    (dir, db, referral)
}

fn stdout_of(db: &Path, args: &[&str]) -> Vec<u8> {
    let out = cmd(db).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_harmless(&format!("{args:?} stderr"), &out.stderr);
    out.stdout
}

#[test]
fn every_text_output_shows_control_characters_harmlessly() {
    let (_dir, db, id) = hostile_db();
    for args in [
        vec!["referrals", "list"],
        vec!["referrals", "list", "--format", "csv"],
        vec!["referrals", "show", id.as_str()],
        vec!["referrals", "show", id.as_str(), "--markdown"],
        vec!["stats"],
        vec!["stats", "--format", "csv"],
    ] {
        let out = stdout_of(&db, &args);
        assert_harmless(&format!("{args:?}"), &out);
        let out = String::from_utf8(out).unwrap();
        // Shown, not dropped: the reader can still see that something odd was stored.
        assert!(
            out.contains("\\u{1b}") && out.contains("owned"),
            "{args:?}: {out}"
        );
        assert!(
            out.contains("\\u{202e}") || args[0] == "stats",
            "{args:?}: {out}"
        );
    }
}

#[test]
fn every_stored_field_reaches_the_text_and_markdown_reports_escaped() {
    let (_dir, db, id) = hostile_db();
    for style in [None, Some("--markdown")] {
        let mut args = vec!["referrals", "show", id.as_str()];
        args.extend(style);
        let out = String::from_utf8(stdout_of(&db, &args)).unwrap();
        for what in [
            "unit",
            "officer",
            "person",
            "contact",
            "note",
            "event note",
            "answer",
        ] {
            let shown = if style.is_some() {
                "\\\\u{1b}\\]0;owned\\\\u{7}\\\\u{1b}\\[2J\\\\u{d}\\\\u{8}"
            } else {
                "\\u{1b}]0;owned\\u{7}\\u{1b}[2J\\u{d}\\u{8}"
            };
            assert!(
                out.contains(&format!("{what}{shown}")),
                "{args:?}: {what} not shown escaped in\n{out}"
            );
        }
        if style.is_some() {
            // A line break in a typed field cannot start a list item or a heading.
            assert!(
                !out.lines()
                    .any(|l| l.starts_with("- item") || l.starts_with("# heading")),
                "{out}"
            );
        }
    }
}

#[test]
fn json_keeps_the_exact_text_escaped() {
    let (_dir, db, id) = hostile_db();
    let list = stdout_of(&db, &["referrals", "list", "--json"]);
    assert_harmless("referrals list --json", &list);
    let list: serde_json::Value = serde_json::from_slice(&list).unwrap();
    assert_eq!(list[0]["person"], serde_json::json!(nasty("person")));
    let show = stdout_of(&db, &["referrals", "show", &id, "--json"]);
    assert_harmless("referrals show --json", &show);
    let text = String::from_utf8(show.clone()).unwrap();
    assert!(
        text.contains(
            &nasty("contact")
                .replace('\u{1b}', "\\u001b")
                .replace('\r', "\\r")[..12]
        )
    );
    let show: serde_json::Value = serde_json::from_slice(&show).unwrap();
    assert_eq!(show["contact"], serde_json::json!(nasty("contact")));
    let stats = stdout_of(&db, &["stats", "--json"]);
    assert_harmless("stats --json", &stats);
    let stats: serde_json::Value = serde_json::from_slice(&stats).unwrap();
    assert!(stats.to_string().contains("owned"));
}

#[test]
fn lint_shows_escapes_from_the_yaml_harmlessly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("evil.yaml");
    let text = std::fs::read_to_string(fixtures::SMALL_PATH)
        .unwrap()
        .replace(
            "id: came_for_job",
            "id: \"came\\e]0;owned\\a\\e[2J\\r\\bjob\\u202E\"",
        )
        .replace(
            "text: {nb: \"Kom du hit for en jobb?\"",
            "text: {nb: \"Kom du\\e[2J hit\\r for en jobb?\"",
        );
    std::fs::write(&file, text).unwrap();
    for format in ["text", "json"] {
        let out = cmd(&dir.path().join("unused.db"))
            .args(["questionnaire", "lint", "--format", format])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_harmless(&format!("lint --format {format} stdout"), &out.stdout);
        assert_harmless(&format!("lint --format {format} stderr"), &out.stderr);
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.contains("came"), "{stdout}");
    }
    // The scenario runner and the drawing echo ids and texts too.
    let out = cmd(&dir.path().join("unused.db"))
        .args(["questionnaire", "graph"])
        .arg(&file)
        .output()
        .unwrap();
    assert_harmless("graph stdout", &out.stdout);
    assert_harmless("graph stderr", &out.stderr);
}

#[test]
fn an_error_that_echoes_what_was_typed_shows_it_harmlessly() {
    let (_dir, db, _) = hostile_db();
    let out = cmd(&db)
        .args(["referrals", "show", "\u{1b}]0;owned\u{7}\u{1b}[2J"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_harmless("referrals show ESC stderr", &out.stderr);
    assert!(String::from_utf8_lossy(&out.stderr).contains("\\u{1b}"));
}

#[test]
fn an_absurdly_long_stored_value_does_not_break_the_list_or_the_figures() {
    let (_dir, db, _) = hostile_db();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let long = "P".repeat(70_000);
    conn.execute("UPDATE referrals SET person = ?1, unit = ?1", [&long])
        .unwrap();
    conn.execute("UPDATE screenings SET person = ?1, unit = ?1", [&long])
        .unwrap();
    drop(conn);
    let list = String::from_utf8(stdout_of(&db, &["referrals", "list"])).unwrap();
    assert!(list.contains(&long));
    let stats = String::from_utf8(stdout_of(&db, &["stats"])).unwrap();
    assert!(stats.contains(&long));
}
