//! `rosa-screen questionnaire`: lint, graph and schema here; `test` runs in [`super::scenario`].

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{CmdResult, Purpose, print_err, print_json, print_out};
use crate::cli::{GraphFormat, LintFormat, QuestionnaireCommand};
use crate::questionnaire::{Finding, Severity, graph, lint, load, schema, translation};
use crate::sanitize;

/// Runs `questionnaire ...`.
///
/// # Errors
/// A [`super::Failure`] for bad usage or unreadable input (exit 2).
pub fn run(cmd: &QuestionnaireCommand) -> CmdResult {
    run_in(cmd, None)
}

/// Runs `questionnaire ...` with the language of the program's own words from the settings
/// (`--lang`): `graph` draws the questionnaire's texts in it when the questionnaire has it.
///
/// # Errors
/// As [`run`].
pub fn run_in(cmd: &QuestionnaireCommand, lang: Option<&str>) -> CmdResult {
    run_lang(cmd, lang.map(Lang::Fallback))
}

/// Runs `questionnaire ...` with `--lang LL` given on the command line: the questionnaire's
/// language to draw in, which may be one the program's own words lack (`ro`); a questionnaire
/// without it is refused rather than drawn in another language.
///
/// # Errors
/// As [`run`]; exit 2 when the questionnaire has no texts in `lang`.
pub fn run_named(cmd: &QuestionnaireCommand, lang: &str) -> CmdResult {
    run_lang(cmd, Some(Lang::Named(lang)))
}

/// Where a drawing's language came from.
#[derive(Debug, Clone, Copy)]
enum Lang<'a> {
    /// The settings (environment, config, remembered): used when the questionnaire has it.
    Fallback(&'a str),
    /// `--lang` on the command line: the questionnaire must have it.
    Named(&'a str),
}

fn run_lang(cmd: &QuestionnaireCommand, lang: Option<Lang<'_>>) -> CmdResult {
    match cmd {
        QuestionnaireCommand::Lint { files, format } => lint_files(files, *format),
        QuestionnaireCommand::Test { files } => super::scenario::run_files(files),
        QuestionnaireCommand::Graph { file, format } => graph(file, *format, lang),
        QuestionnaireCommand::Schema => {
            print_out(&format!("{}\n", schema::json_schema()))?;
            Ok(ExitCode::SUCCESS)
        }
        QuestionnaireCommand::Translate {
            file,
            out,
            template,
        } => translate(
            file,
            lang.map(|(Lang::Fallback(l) | Lang::Named(l))| l),
            out.as_deref(),
            *template,
        ),
    }
}

/// Runs `questionnaire translate FILE --lang LL [--out PO]` (or `--template`): writes or
/// updates the PO file and says on stderr what changed.
///
/// # Errors
/// Exit 2 for bad usage (no language, a language of the questionnaire itself, not a tag),
/// an unreadable questionnaire or old PO file, or one that cannot be written; exit 1 when
/// the questionnaire has lint errors (its texts may not be what the trainer means yet).
pub fn translate(file: &Path, lang: Option<&str>, out: Option<&Path>, template: bool) -> CmdResult {
    let lang = match (lang, template) {
        (Some(_), true) => {
            return Err(super::Failure::usage(
                "give either --lang LL (a translation) or --template (the .pot), not both",
            ));
        }
        (None, false) => {
            return Err(super::Failure::usage(
                "give the language to translate into with --lang LL (for example --lang ro), or --template for the .pot template",
            ));
        }
        (Some(l), false) => l,
        (None, true) => "",
    };
    if !lang.is_empty() && !translation::is_language_tag(lang) {
        return Err(super::Failure::usage(format!(
            "`{}` is not a language tag; use BCP 47 tags such as ro, lt, vi or pt-BR",
            sanitize::visible_line(lang)
        )));
    }
    // The PO files are not read: the one to write may not exist yet, or be the broken one.
    let name = file.display().to_string();
    let text = load::read_file(file).map_err(super::Failure::usage)?;
    let q = load::load_with(&text, &name, load::PoFiles::Skip)
        .and_then(|q| {
            let errors: Vec<Finding> = lint::lint(&q)
                .into_iter()
                .filter(|f| f.severity == Severity::Error)
                .collect();
            if errors.is_empty() {
                Ok(q)
            } else {
                Err(errors)
            }
        })
        .map_err(|findings| {
            for f in &findings {
                print_err(&sanitize::visible_line(&f.to_line()));
            }
            super::Failure::found(format!(
                "{name} has {} (listed above); fix {} before translating it",
                if findings.len() == 1 {
                    "1 error".to_owned()
                } else {
                    format!("{} errors", findings.len())
                },
                if findings.len() == 1 { "it" } else { "them" }
            ))
        })?;
    if q.languages.iter().any(|l| l == lang) {
        return Err(super::Failure::usage(format!(
            "`{lang}` is one of the questionnaire's own languages, whose texts are in {} itself; translations are for the person's other languages",
            file.display()
        )));
    }
    let out: PathBuf = match out {
        Some(o) => o.to_path_buf(),
        None => default_po_path(file, &q, lang),
    };
    let old_text = if out.exists() {
        Some(load::read_file(&out).map_err(super::Failure::usage)?)
    } else {
        None
    };
    let old = match &old_text {
        Some(t) => Some(crate::questionnaire::po::parse(t).map_err(|e| {
            super::Failure::usage(format!(
                "{}:{}: not a PO file this program can read: {}",
                out.display(),
                e.line,
                e.message
            ))
        })?),
        None => None,
    };
    // Unchanged content keeps its old date, so running `translate` again changes nothing.
    if let (Some(old_text), Some(old)) = (&old_text, &old) {
        let (again, _) = translation::update(&q, lang, Some(old), &old.header.creation_date);
        if &again == old_text {
            print_err(&format!("{} is up to date", out.display()));
            return Ok(ExitCode::SUCCESS);
        }
    }
    let now = jiff::Timestamp::now()
        .strftime("%Y-%m-%d %H:%M+0000")
        .to_string();
    let (text, stats) = translation::update(&q, lang, old.as_ref(), &now);
    std::fs::write(&out, text)
        .map_err(|e| super::Failure::usage(format!("cannot write `{}`: {e}", out.display())))?;
    print_err(&format!(
        "wrote {}: {} messages, {} new, {} changed (marked fuzzy: check them), {} dropped",
        out.display(),
        stats.texts,
        stats.added,
        stats.changed,
        stats.dropped
    ));
    Ok(ExitCode::SUCCESS)
}

/// Where `translate` writes by default: the file `translations:` names for `lang`, else
/// FILE's name with `.LL.po` (or `.pot` for the template) beside it.
fn default_po_path(file: &Path, q: &crate::questionnaire::Questionnaire, lang: &str) -> PathBuf {
    if let Some(t) = q.translation(lang) {
        return PathBuf::from(&t.path);
    }
    let stem = file.file_stem().map_or_else(
        || "questionnaire".into(),
        |s| s.to_string_lossy().into_owned(),
    );
    let name = if lang.is_empty() {
        format!("{stem}.pot")
    } else {
        format!("{stem}.{lang}.po")
    };
    file.with_file_name(name)
}

/// Runs `questionnaire graph FILE --format dot|mermaid [--lang LL]`: prints the drawing, texts
/// in the language named by `--lang` (refused when the questionnaire lacks it), else in the
/// settings' language when the questionnaire has it, else in its default language.
///
/// # Errors
/// Exit 2 when the file cannot be read; exit 1, after printing every finding to stderr, when
/// the questionnaire has errors (a drawing of a broken file would mislead).
fn graph(file: &Path, format: GraphFormat, lang: Option<Lang<'_>>) -> CmdResult {
    let q = super::open_questionnaire(Some(file), Purpose::Draw, &mut super::stderr())?;
    let has = |l: &str| q.languages.iter().any(|x| x == l);
    let lang = match lang {
        Some(Lang::Named(l)) if !has(l) => {
            return Err(super::Failure::usage(format!(
                "{} has no texts in `{}`; its languages are {}",
                file.display(),
                sanitize::visible_line(l),
                q.languages.join(", ")
            )));
        }
        Some(Lang::Named(l) | Lang::Fallback(l)) if has(l) => l.to_owned(),
        _ => q.default_language().to_owned(),
    };
    print_out(&match format {
        GraphFormat::Dot => graph::dot(&q, &lang),
        GraphFormat::Mermaid => graph::mermaid(&q, &lang),
    })?;
    Ok(ExitCode::SUCCESS)
}

/// What linting some files found.
#[derive(Debug, Default)]
pub struct LintReport {
    /// Every finding, file by file, each file's sorted by line.
    pub findings: Vec<Finding>,
    /// One sentence per file that could not be read.
    pub unreadable: Vec<String>,
    /// Number of files read.
    pub files: usize,
}

impl LintReport {
    /// Number of findings of this severity.
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// The summary line: `N errors, N warnings in N files`.
    #[must_use]
    pub fn summary(&self) -> String {
        let n =
            |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
        format!(
            "{}, {} in {}",
            n(self.count(Severity::Error), "error", "errors"),
            n(self.count(Severity::Warning), "warning", "warnings"),
            n(self.files, "file", "files")
        )
    }
}

/// Loads and lints each file; a file that cannot be read is noted and the others still run.
#[must_use]
pub fn lint_report(files: &[PathBuf]) -> LintReport {
    let mut report = LintReport::default();
    for path in files {
        let name = path.display().to_string();
        match load::read_file(path) {
            Err(why) => report.unreadable.push(why),
            Ok(text) => {
                report.files += 1;
                match load::load_str(&text, &name) {
                    Ok(q) => report.findings.extend(lint::lint(&q)),
                    Err(found) => report.findings.extend(found),
                }
            }
        }
    }
    report
}

/// `questionnaire lint FILE... [--format text|json]`: findings on stdout (one a line, or a JSON
/// array), the summary on stderr. Exit 0 when clean or warnings only, 1 with any error, 2 when
/// a file cannot be read.
fn lint_files(files: &[PathBuf], format: LintFormat) -> CmdResult {
    let report = lint_report(files);
    match format {
        // One finding a line, whatever a message echoes from the file (a line break or a
        // bidi control in an id is shown, not obeyed).
        LintFormat::Text => print_out(
            &report
                .findings
                .iter()
                .map(|f| sanitize::visible_line(&f.to_line()).into_owned() + "\n")
                .collect::<String>(),
        )?,
        LintFormat::Json => print_json(&report.findings)?,
    }
    for why in &report.unreadable {
        print_err(&format!("rosa-screen: {why}"));
    }
    print_err(&report.summary());
    Ok(if !report.unreadable.is_empty() {
        ExitCode::from(2)
    } else if report.count(Severity::Error) > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
