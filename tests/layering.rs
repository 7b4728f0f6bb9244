//! The layers of docs/architecture.md, checked: a lower layer that imports a higher one fails
//! this test, naming the file, the line and the import.
//!
//! `questionnaire` <- `screening` <- `store`, `tui`, `plain`, `report` <- `commands` / `cli`;
//! `sanitize`, `settings` and `system` sit beside them and depend on nothing above them.

// Test helpers panic on failure by design: a failed set-up is a failed test.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

/// Each part (a folder or a file under src/) and the parts it must never name.
const RULES: &[(&str, &[&str])] = &[
    (
        "questionnaire",
        &[
            "screening",
            "store",
            "tui",
            "plain",
            "report",
            "commands",
            "cli",
            "settings",
        ],
    ),
    (
        "screening",
        &[
            "store", "tui", "plain", "report", "commands", "cli", "settings",
        ],
    ),
    ("store", &["tui", "plain", "report", "commands", "cli"]),
    ("tui", &["commands", "cli", "plain"]),
    ("plain.rs", &["commands", "cli"]),
    ("report.rs", &["tui", "plain", "commands", "cli"]),
    (
        "sanitize.rs",
        &[
            "questionnaire",
            "screening",
            "store",
            "tui",
            "plain",
            "report",
            "commands",
            "cli",
            "settings",
        ],
    ),
    (
        "system.rs",
        &[
            "questionnaire",
            "screening",
            "store",
            "tui",
            "plain",
            "report",
            "commands",
            "cli",
            "settings",
            "sanitize",
        ],
    ),
    (
        "settings.rs",
        &[
            "questionnaire",
            "screening",
            "store",
            "tui",
            "plain",
            "report",
            "commands",
            "cli",
        ],
    ),
];

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for e in entries {
            rust_files(&e, out);
        }
    } else if path.extension().is_some_and(|x| x == "rs") {
        out.push(path.to_path_buf());
    }
}

/// The crate-level parts some code names, with the byte offset of each: `crate::x`, and each
/// top-level `x` of `crate::{x, y::{z}}` (groups may span lines, as rustfmt writes them).
fn named_parts(code: &str) -> Vec<(usize, String)> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut parts = Vec::new();
    let mut from = 0;
    while let Some(i) = code[from..].find("crate::") {
        let at = from + i;
        let rest = &code[at + "crate::".len()..];
        from = at + "crate::".len();
        let Some(group) = rest.strip_prefix('{') else {
            parts.push((at, ident(rest)));
            continue;
        };
        let (mut depth, mut start) = (0usize, true);
        for (k, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => start = true,
                c if start && (c.is_alphanumeric() || c == '_') => {
                    parts.push((at, ident(&group[k..])));
                    start = false;
                }
                _ => {}
            }
        }
    }
    parts
}

/// The file's text with `//` comments blanked out (so a doc comment naming a higher layer is
/// not an import), line breaks kept so offsets still tell lines.
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn violations(src: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for (part, forbidden) in RULES {
        let mut files = Vec::new();
        rust_files(&src.join(part), &mut files);
        assert!(!files.is_empty(), "no source found for {part}");
        for file in files {
            let code = without_comments(&std::fs::read_to_string(&file).unwrap());
            for (at, name) in named_parts(&code) {
                if forbidden.contains(&name.as_str()) {
                    let line = code[..at].matches('\n').count() + 1;
                    found.push(format!(
                        "{}:{line}: {part} imports `crate::{name}`",
                        file.display()
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn no_lower_layer_imports_a_higher_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(found.is_empty(), "layering broken:\n{}", found.join("\n"));
}

#[test]
fn the_check_sees_single_and_grouped_imports() {
    let names =
        |code: &str| -> Vec<String> { named_parts(code).into_iter().map(|(_, n)| n).collect() };
    assert_eq!(names("use crate::store::Store;"), ["store"]);
    assert_eq!(
        names("use crate::{\n    cli::X,\n    commands,\n    tui::{a, b},\n};"),
        ["cli", "commands", "tui"]
    );
    assert_eq!(
        names("let x = crate::commands::run(crate::cli::Cli::parse());"),
        ["commands", "cli"]
    );
    assert!(names("use super::Answer;").is_empty());
    let code = without_comments("//! crate::tui is above\nuse crate::store;\n");
    assert_eq!(
        named_parts(&code),
        [(code.find("crate").unwrap(), "store".to_owned())]
    );
}
