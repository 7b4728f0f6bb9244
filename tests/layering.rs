//! The layers of docs/architecture.md, checked: a lower layer that imports a higher one fails
//! this test, naming the file, the line and the import.
//!
//! `questionnaire` <- `screening` <- `store` <- `words` <- `tui`, `plain`, `report` <-
//! `commands` / `cli`; `sanitize`, `settings` and `system` sit beside them and depend on
//! nothing above them. The front ends do not reach into each other: plain mode and reports
//! find their words in `words`, never in `tui`, and `commands` starts the screens only through
//! what `tui/mod.rs` itself declares (its entry points), never a module below it.

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
            "words",
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
            "store", "words", "tui", "plain", "report", "commands", "cli", "settings",
        ],
    ),
    (
        "store",
        &["words", "tui", "plain", "report", "commands", "cli"],
    ),
    (
        "words",
        &["tui", "plain", "report", "commands", "cli", "settings"],
    ),
    ("tui", &["commands", "cli", "plain"]),
    ("plain.rs", &["tui", "commands", "cli"]),
    ("report.rs", &["tui", "plain", "commands", "cli"]),
    (
        "sanitize.rs",
        &[
            "questionnaire",
            "screening",
            "store",
            "words",
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
            "words",
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
            "words",
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

/// The modules declared in `tui/mod.rs` (`pub mod x;`, `mod x;`): the screens' insides.
fn tui_modules(src: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(src.join("tui/mod.rs")).unwrap();
    text.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            let name = l.strip_prefix("mod ")?.strip_suffix(';')?;
            Some(name.to_owned())
        })
        .collect()
}

/// What code names right after `tui::` (with `crate::` before it or not), with the byte offset
/// of each: `tui::x` gives `x`, `tui::{self, x::y, z}` gives `self`, `x` and `z`.
fn tui_items(code: &str) -> Vec<(usize, String)> {
    let mut items = Vec::new();
    let mut from = 0;
    while let Some(i) = code[from..].find("tui::") {
        let at = from + i;
        from = at + "tui::".len();
        // `some_tui::x` or `a.tui::x` is another name; `crate::tui::x` and `tui::x` are ours.
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        if before == Some(':') && !code[..at].ends_with("crate::") {
            continue;
        }
        // The first import only (offset 0): a group gives each of its top-level items.
        let named = named_parts(&format!("crate::{}", &code[from..]));
        items.extend(
            named
                .into_iter()
                .take_while(|(offset, _)| *offset == 0)
                .map(|(_, name)| (at, name)),
        );
    }
    items
}

/// `commands` may start the screens (the items `tui/mod.rs` itself declares) but never name a
/// module below `tui`, such as its word tables or one screen's state.
fn commands_reaching_into_tui(src: &Path) -> Vec<String> {
    let inner = tui_modules(src);
    assert!(inner.iter().any(|m| m == "app"), "tui/mod.rs not read");
    let mut files = Vec::new();
    rust_files(&src.join("commands"), &mut files);
    rust_files(&src.join("cli.rs"), &mut files);
    rust_files(&src.join("main.rs"), &mut files);
    let mut found = Vec::new();
    for file in files {
        let code = without_comments(&std::fs::read_to_string(&file).unwrap());
        for (at, name) in tui_items(&code) {
            if inner.contains(&name) {
                let line = code[..at].matches('\n').count() + 1;
                found.push(format!(
                    "{}:{line}: names `tui::{name}`, inside the screens; use an entry point of tui/mod.rs",
                    file.display()
                ));
            }
        }
    }
    found
}

#[test]
fn no_lower_layer_imports_a_higher_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = violations(&src);
    found.extend(commands_reaching_into_tui(&src));
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

#[test]
fn the_check_sees_what_commands_name_inside_tui() {
    let items =
        |code: &str| -> Vec<String> { tui_items(code).into_iter().map(|(_, n)| n).collect() };
    assert_eq!(
        items("use crate::tui::{self, Exit, Start};"),
        ["self", "Exit", "Start"]
    );
    assert_eq!(items("tui::run_at(site)"), ["run_at"]);
    assert_eq!(items("let e: crate::tui::review::Ended;"), ["review"]);
    assert_eq!(
        items("use crate::tui::{\n    app::State,\n    Exit,\n};"),
        ["app", "Exit"]
    );
    assert!(items("use crate::words::fmt; my_tui::x(); super::tui::y();").is_empty());
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let inner = tui_modules(&src);
    for m in ["app", "review", "screens", "chrome"] {
        assert!(inner.iter().any(|x| x == m), "{m} not seen in tui/mod.rs");
    }
}
