//! `rosa-screen questionnaire lint` and `schema`, run as a user would: the real binary on real
//! files. Every lint code has a fixture in tests/fixtures/lint/ whose `# expect:` lines give the
//! findings it must produce (code, line and, where known, column), and nothing else.

// Test helpers outside #[test] functions may unwrap: a failure is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

fn fixtures(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir)
}

fn lint_json(path: &Path) -> (Vec<Value>, i32) {
    let out = cargo_bin_cmd!("rosa-screen")
        .args(["questionnaire", "lint", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    let findings: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: not JSON ({e}): {}",
            path.display(),
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (
        findings.as_array().unwrap().clone(),
        out.status.code().unwrap(),
    )
}

/// `# expect: code line [column]` lines at the top of a fixture.
fn expectations(path: &Path) -> Vec<(String, u64, Option<u64>)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            (
                parts[0].to_owned(),
                parts[1].parse().unwrap(),
                parts.get(2).map(|c| c.parse().unwrap()),
            )
        })
        .collect()
}

#[test]
fn every_lint_fixture_gives_exactly_its_findings() {
    let mut checked = 0;
    let mut codes_seen = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(fixtures("lint")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let want = expectations(&path);
        let (got, code) = lint_json(&path);
        let got_triples: Vec<(String, u64, Option<u64>)> = got
            .iter()
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_owned(),
                    f["line"].as_u64().unwrap(),
                    f["column"].as_u64(),
                )
            })
            .collect();
        assert_eq!(
            got_triples.len(),
            want.len(),
            "{}: expected {want:?}, got {got:#?}",
            path.display()
        );
        for (c, line, col) in &want {
            assert!(
                got_triples
                    .iter()
                    .any(|(gc, gl, gcol)| gc == c && gl == line && (col.is_none() || gcol == col)),
                "{}: expected {c} at {line}:{col:?}, got {got:#?}",
                path.display()
            );
            codes_seen.insert(c.clone());
        }
        let any_error = got.iter().any(|f| f["severity"] == "error");
        assert_eq!(code, i32::from(any_error), "{}: exit code", path.display());
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} fixtures found");
    // Every code of the format's table has a fixture.
    for code in [
        "yaml",
        "schema",
        "format-version",
        "duplicate-id",
        "unknown-reference",
        "forward-reference",
        "backward-goto",
        "expression-syntax",
        "type-mismatch",
        "missing-translation",
        "no-default-outcome",
        "no-choices",
        "unused-indicator",
        "unreachable-question",
        "unreachable-outcome",
        "empty-section",
        "untranslated",
        "stale-translation",
    ] {
        assert!(codes_seen.contains(code), "no fixture for {code}");
    }
}

#[test]
fn the_examples_lint_clean() {
    let mut files = vec![fixtures("examples").join("small-screening.yaml")];
    // CI lays the shared folder beside the clone; use it when it is there.
    let shared =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/examples/small-screening.yaml");
    if shared.exists() {
        files.push(shared);
    }
    for f in files {
        cargo_bin_cmd!("rosa-screen")
            .args(["questionnaire", "lint"])
            .arg(&f)
            .assert()
            .success()
            .stdout("")
            .stderr("0 errors, 0 warnings in 1 file\n");
    }
}

#[test]
fn json_findings_have_exactly_the_documented_fields() {
    let (got, code) = lint_json(&fixtures("lint").join("unknown-reference.yaml"));
    assert_eq!(code, 1);
    let f = got[0].as_object().unwrap();
    let keys: Vec<&str> = f.keys().map(String::as_str).collect();
    let mut want = vec![
        "file", "line", "column", "code", "severity", "id", "message",
    ];
    want.sort_unstable();
    let mut keys_sorted = keys.clone();
    keys_sorted.sort_unstable();
    assert_eq!(keys_sorted, want);
    assert_eq!(f["severity"], "error");
    assert_eq!(f["id"], "passport");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `papers_taken`?")
    );
}

#[test]
fn a_format_one_file_with_a_yaml_error_gives_the_parsers_line() {
    let (got, code) = lint_json(&fixtures("lint").join("yaml.yaml"));
    assert_eq!(code, 1);
    assert_eq!(got[0]["code"], "yaml");
    assert_eq!(got[0]["line"], 6);
    assert!(got[0]["id"].is_null());
}

#[test]
fn the_unknown_field_message_suggests_the_right_one() {
    let (got, _) = lint_json(&fixtures("lint").join("unknown-field.yaml"));
    let msg = got[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("unknown field `show_fi` in a question"),
        "{msg}"
    );
    assert!(msg.contains("did you mean `show_if`?"), "{msg}");
    assert_eq!(got[0]["id"], "wants_help");
}

#[test]
fn text_output_is_one_line_per_finding_with_a_summary_on_stderr() {
    let dir = fixtures("lint");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("yaml"))
        .collect();
    names.sort();
    let out = cargo_bin_cmd!("rosa-screen")
        .current_dir(&dir)
        .args(["questionnaire", "lint"])
        .args(names.iter().map(|p| p.file_name().unwrap()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    insta::assert_snapshot!("lint_all_fixtures", stdout);
    assert!(
        stderr.ends_with(&format!("in {} files\n", names.len())),
        "{stderr}"
    );
}

#[test]
fn an_unreadable_file_exits_2_and_names_it() {
    cargo_bin_cmd!("rosa-screen")
        .args(["questionnaire", "lint", "no/such/file.yaml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "cannot read `no/such/file.yaml`: there is no such file",
        ));
}

#[test]
fn lint_without_files_is_bad_usage() {
    cargo_bin_cmd!("rosa-screen")
        .args(["questionnaire", "lint"])
        .assert()
        .code(2);
}

#[test]
fn warnings_alone_exit_0() {
    cargo_bin_cmd!("rosa-screen")
        .args(["questionnaire", "lint"])
        .arg(fixtures("lint").join("empty-section.yaml"))
        .assert()
        .success()
        .stderr("0 errors, 1 warning in 1 file\n");
}

#[test]
fn yes_and_no_are_not_booleans() {
    // `observation: yes` is the string "yes" in YAML 1.2, so it is not a boolean field value.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixtures("lint").join("clean.yaml"))
        .unwrap()
        .replace(
            "        kind: yes_no\n        text: Would",
            "        kind: yes_no\n        observation: yes\n        text: Would",
        );
    let path = dir.path().join("q.yaml");
    std::fs::write(&path, text).unwrap();
    let (got, code) = lint_json(&path);
    assert_eq!(code, 1);
    assert_eq!(got[0]["code"], "schema");
    assert!(
        got[0]["message"]
            .as_str()
            .unwrap()
            .contains("`observation`")
    );
}

#[test]
fn schema_prints_a_json_schema_naming_every_top_level_field() {
    let out = cargo_bin_cmd!("rosa-screen")
        .args(["questionnaire", "schema"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    let props = schema["properties"].as_object().unwrap();
    for field in [
        "format",
        "id",
        "version",
        "languages",
        "title",
        "description",
        "dimensions",
        "indicators",
        "flags",
        "sections",
        "outcomes",
    ] {
        assert!(props.contains_key(field), "schema lacks `{field}`");
    }
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn a_long_flat_condition_is_an_expression_syntax_error_not_a_crash() {
    // 30,000 terms joined by `+`, and a 30,000-long `or` chain: parsed by a loop, but each
    // builds a tree one level deeper per operator; both are refused with the limit named.
    let clean = std::fs::read_to_string(fixtures("lint").join("clean.yaml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for long in [
        format!("{} >= 1", vec!["strong()"; 30_000].join(" + ")),
        vec!["positive(control)"; 30_000].join(" or "),
    ] {
        let path = dir.path().join("long.yaml");
        std::fs::write(
            &path,
            clean.replace("when: \"positive(control)\"", &format!("when: \"{long}\"")),
        )
        .unwrap();
        let (got, code) = lint_json(&path);
        assert_eq!(code, 1);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert_eq!(got[0]["code"], "expression-syntax");
        assert_eq!(got[0]["line"], 29);
        let msg = got[0]["message"].as_str().unwrap();
        assert!(msg.contains("more than 256 levels"), "{msg}");
        assert!(msg.len() < 400, "the condition is quoted shortened: {msg}");
    }
}
