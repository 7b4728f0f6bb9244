//! Translations for the person (`translations:`, PO files): the translator's round trip with
//! `questionnaire translate` and `lint`, the hash and stored snapshot, hostile PO files, and
//! GNU `msgfmt -c` over every PO file the program writes and ships.

// Test helpers outside #[test] functions may unwrap: a failure is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::cargo_bin_cmd;
use proptest::prelude::*;
use rosa_screen::questionnaire::{self, BUILTIN_TEXT, po, translation};
use serde_json::Value;

const SMALL: &str = include_str!("fixtures/small-screening.yaml");

/// The small example with a Romanian translation declared, in a fresh folder.
fn folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("small.yaml");
    std::fs::write(
        &yaml,
        SMALL.replace(
            "languages: [nb, en]\n",
            "languages: [nb, en]\ntranslations:\n  - lang: ro\n    file: small.ro.po\n",
        ),
    )
    .unwrap();
    (dir, yaml)
}

fn translate(yaml: &Path, args: &[&str]) -> (String, i32) {
    let out = cargo_bin_cmd!("rosa-screen")
        .args(["questionnaire", "translate"])
        .arg(yaml)
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap(),
    )
}

fn lint(yaml: &Path) -> (Vec<Value>, i32) {
    let out = cargo_bin_cmd!("rosa-screen")
        .args(["questionnaire", "lint", "--format", "json"])
        .arg(yaml)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    (v.as_array().unwrap().clone(), out.status.code().unwrap())
}

fn lint_text(yaml: &Path) -> String {
    let out = cargo_bin_cmd!("rosa-screen")
        .args(["questionnaire", "lint"])
        .arg(yaml.file_name().unwrap())
        .current_dir(yaml.parent().unwrap())
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Sets the msgstr of the message at `ctxt` in the PO text.
fn fill(po_text: &str, ctxt: &str, text: &str) -> String {
    let start = po_text
        .find(&format!("msgctxt \"{ctxt}\"\n"))
        .unwrap_or_else(|| panic!("no {ctxt}"));
    let at = start + po_text[start..].find("msgstr \"\"\n").unwrap();
    format!(
        "{}msgstr \"{text}\"\n{}",
        &po_text[..at],
        &po_text[at + "msgstr \"\"\n".len()..]
    )
}

fn message<'a>(f: &'a po::PoFile, ctxt: &str) -> &'a po::PoMessage {
    f.messages
        .iter()
        .find(|m| m.ctxt.as_deref() == Some(ctxt))
        .unwrap()
}

#[test]
fn a_translators_round_trip() {
    let (dir, yaml) = folder();
    let po_path = dir.path().join("small.ro.po");
    // 1. translate writes the file: every text and the program's words, none translated.
    let (said, code) = translate(&yaml, &["--lang", "ro"]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("small.ro.po"), "{said}");
    let written = std::fs::read_to_string(&po_path).unwrap();
    let f = po::parse(&written).unwrap();
    let texts = f.messages.len();
    assert!(f.messages.iter().all(|m| m.text.is_empty() && !m.fuzzy));
    // The other officer language goes along as a translator comment.
    assert!(
        written.contains(
            "#. en: Did you come here for a job?\nmsgctxt \"question.came_for_job.text\"\nmsgid \"Kom du hit for en jobb?\"\n"
        ),
        "{written}"
    );
    assert!(written.contains("msgctxt \"program.dont_know\"\nmsgid \"Vet ikke\"\n"));

    // 2. lint: one `untranslated` warning with the counts, no errors.
    let (findings, code) = lint(&yaml);
    assert_eq!(code, 0);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["code"], "untranslated");
    assert_eq!(findings[0]["severity"], "warning");
    assert_eq!(findings[0]["id"], "ro");
    assert!(
        findings[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("small.ro.po")
    );
    let msg = findings[0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with(&format!("{texts} of {texts} texts are not translated")),
        "{msg}"
    );

    // 3. a translator fills three messages, and one more that is fuzzy.
    let mut t = written.clone();
    t = fill(
        &t,
        "question.came_for_job.text",
        "Ați venit aici pentru un loc de muncă?",
    );
    t = fill(&t, "question.hours.text", "Câte ore pe zi ați lucrat?");
    t = fill(&t, "program.yes", "Da");
    t = fill(&t, "program.no", "Nu");
    t = t.replace("msgctxt \"program.no\"", "#, fuzzy\nmsgctxt \"program.no\"");
    // ...and their editor signs the header.
    t = format!("# Romanian translation of the small example.\n{t}").replace(
        "Last-Translator: Translators of this questionnaire",
        "Last-Translator: M. Popescu <m.popescu@example.org>",
    );
    std::fs::write(&po_path, &t).unwrap();
    let (findings, _) = lint(&yaml);
    let msg = findings[0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with(&format!(
            "{} of {texts} texts are not translated into `ro` ({} untranslated, 1 fuzzy, 0 stale",
            texts - 3,
            texts - 4
        )),
        "{msg}"
    );
    let q = questionnaire::load::load_file(&yaml).unwrap();
    let second = translation::Second::of(&q, "ro").unwrap();
    let came = q.question("came_for_job").unwrap();
    assert_eq!(
        second.question(came),
        Some("Ați venit aici pentru un loc de muncă?")
    );
    assert_eq!(second.choice(came, "yes"), Some("Da"));
    assert_eq!(second.choice(came, "no"), None, "fuzzy is never shown");

    // 4. the trainer changes a source text: its translation is stale, shown nowhere...
    let changed = std::fs::read_to_string(&yaml).unwrap().replace(
        "nb: \"Kom du hit for en jobb?\"",
        "nb: \"Kom du til Norge for en jobb?\"",
    );
    std::fs::write(&yaml, changed).unwrap();
    let (findings, _) = lint(&yaml);
    let msg = findings[0]["message"].as_str().unwrap();
    assert!(msg.contains("1 fuzzy, 1 stale"), "{msg}");
    let q = questionnaire::load::load_file(&yaml).unwrap();
    let second = translation::Second::of(&q, "ro").unwrap();
    assert_eq!(second.question(q.question("came_for_job").unwrap()), None);

    // 5. ...and translate again marks it fuzzy with the old translation kept, keeps the rest.
    let (said, code) = translate(&yaml, &["--lang", "ro"]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("0 new, 1 changed"), "{said}");
    let f = po::parse(&std::fs::read_to_string(&po_path).unwrap()).unwrap();
    assert_eq!(f.messages.len(), texts);
    let m = message(&f, "question.came_for_job.text");
    assert_eq!(m.id, "Kom du til Norge for en jobb?");
    assert_eq!(m.text, "Ați venit aici pentru un loc de muncă?");
    assert!(m.fuzzy);
    assert_eq!(
        message(&f, "question.hours.text").text,
        "Câte ore pe zi ați lucrat?"
    );
    assert!(!message(&f, "question.hours.text").fuzzy);
    assert_eq!(message(&f, "program.yes").text, "Da");
    assert!(message(&f, "program.no").fuzzy);
    assert_eq!(
        f.header.last_translator,
        "M. Popescu <m.popescu@example.org>"
    );
    assert_eq!(
        f.header.preheader,
        ["Romanian translation of the small example."]
    );
    let (findings, _) = lint(&yaml);
    let msg = findings[0]["message"].as_str().unwrap();
    assert!(msg.contains("2 fuzzy, 0 stale"), "{msg}");

    // 6. Running it again changes nothing.
    let before = std::fs::read_to_string(&po_path).unwrap();
    let (said, _) = translate(&yaml, &["--lang", "ro"]);
    assert!(said.contains("is up to date"), "{said}");
    assert_eq!(std::fs::read_to_string(&po_path).unwrap(), before);
    msgfmt_accepts(&po_path);
}

#[test]
fn a_message_for_no_text_is_a_stale_translation_and_translate_drops_it() {
    let (dir, yaml) = folder();
    let po_path = dir.path().join("small.ro.po");
    translate(&yaml, &["--lang", "ro"]);
    let mut t = std::fs::read_to_string(&po_path).unwrap();
    t.push_str("\nmsgctxt \"question.gone.text\"\nmsgid \"Borte?\"\nmsgstr \"Plecat?\"\n");
    t.push_str("\nmsgid \"no place\"\nmsgstr \"fără loc\"\n");
    std::fs::write(&po_path, &t).unwrap();
    let (findings, code) = lint(&yaml);
    assert_eq!(code, 0, "warnings only");
    let codes: Vec<(&str, u64, Option<&str>)> = findings
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap(),
                f["line"].as_u64().unwrap(),
                f["id"].as_str(),
            )
        })
        .collect();
    let lines = t.lines().count() as u64;
    assert_eq!(
        codes,
        [
            ("untranslated", 1, Some("ro")),
            ("stale-translation", lines - 5, Some("question.gone.text")),
            ("stale-translation", lines - 1, None),
        ]
    );
    let (said, _) = translate(&yaml, &["--lang", "ro"]);
    assert!(said.contains("2 dropped"), "{said}");
    let (findings, _) = lint(&yaml);
    assert_eq!(findings.len(), 1);
}

#[test]
fn the_lint_text_for_untranslated_and_stale_entries() {
    let (dir, yaml) = folder();
    let po_path = dir.path().join("small.ro.po");
    translate(&yaml, &["--lang", "ro"]);
    let mut t = std::fs::read_to_string(&po_path).unwrap();
    t = fill(&t, "question.hours.text", "Câte ore pe zi ați lucrat?");
    t = fill(&t, "program.yes", "Da");
    t = t.replace(
        "msgid \"Hvor mange timer jobbet du om dagen?\"",
        "msgid \"Hvor mange timer jobbet du?\"",
    );
    t.push_str("\nmsgctxt \"question.gone.text\"\nmsgid \"Borte?\"\nmsgstr \"Plecat?\"\n");
    std::fs::write(&po_path, &t).unwrap();
    let out = lint_text(&yaml);
    let n = po::parse(&t).unwrap().messages.len() - 1;
    let line = t.lines().count() - 2;
    assert_eq!(
        out,
        format!(
            "small.ro.po:1: warning[untranslated] ro: {} of {n} texts are not translated into `ro` ({} untranslated, 0 fuzzy, 1 stale: their source text changed); the person sees those in no second language\n\
             small.ro.po:{line}: warning[stale-translation] question.gone.text: msgctxt `question.gone.text` names no text of the questionnaire (removed or renamed); `questionnaire translate` drops it\n",
            n - 1,
            n - 2
        )
    );
}

#[test]
fn a_questionnaire_without_translations_keeps_its_hash() {
    let q = questionnaire::builtin().unwrap();
    assert!(q.translations.is_empty());
    assert_eq!(
        rosa_screen::store::questionnaire_hash(&q),
        questionnaire::content_hash(BUILTIN_TEXT, &[])
    );
    // The hash of the exact YAML alone, as every screening before translations recorded.
    let out = Command::new("sha256sum")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("questionnaires/prison-screening.yaml"))
        .output();
    if let Ok(out) = out {
        let sum = String::from_utf8_lossy(&out.stdout);
        assert!(sum.starts_with(&questionnaire::content_hash(BUILTIN_TEXT, &[])));
    }
}

#[test]
fn the_po_files_are_part_of_the_content_hash_and_the_stored_snapshot() {
    let (dir, yaml) = folder();
    let po_path = dir.path().join("small.ro.po");
    translate(&yaml, &["--lang", "ro"]);
    let t = fill(
        &std::fs::read_to_string(&po_path).unwrap(),
        "question.hours.text",
        "Câte ore pe zi ați lucrat?",
    );
    std::fs::write(&po_path, &t).unwrap();
    let q = questionnaire::load::load_file(&yaml).unwrap();
    let yaml_text = std::fs::read_to_string(&yaml).unwrap();
    let hash = rosa_screen::store::questionnaire_hash(&q);
    assert_ne!(hash, questionnaire::content_hash(&yaml_text, &[]));
    assert_eq!(q.source.translations.len(), 1);
    assert_eq!(q.source.translations[0].text, t);

    // A screening keeps the PO text it was asked with; the file changing later changes
    // neither the old screening nor its hash.
    let mut store = rosa_screen::store::Store::open(&dir.path().join("s.db")).unwrap();
    let id = store
        .create_screening(
            &q,
            &rosa_screen::store::NewScreening {
                unit: "Bredtveit".into(),
                officer: "Officer A".into(),
                person: "B-1".into(),
                gender: rosa_screen::store::Gender::Female,
                birth_year: None,
                nationality: "RO".into(),
                language: "nb".into(),
                interpreter: Some(rosa_screen::store::Interpreter::None),
                person_language: Some("ro".into()),
            },
        )
        .unwrap();
    std::fs::write(&po_path, t.replace("Câte ore pe zi ați lucrat?", "Altceva")).unwrap();
    let resumed = store.resume(&id).unwrap();
    assert_eq!(resumed.screening.questionnaire_hash, hash);
    let q2 = &resumed.questionnaire;
    assert_eq!(rosa_screen::store::questionnaire_hash(q2), hash);
    let second = translation::Second::of(q2, "ro").unwrap();
    assert_eq!(
        second.question(q2.question("hours").unwrap()),
        Some("Câte ore pe zi ați lucrat?")
    );
}

#[test]
fn broken_and_hostile_po_files_are_findings_not_panics() {
    let (dir, yaml) = folder();
    let po_path = dir.path().join("small.ro.po");
    // Missing: a schema error on the `file:` line of the questionnaire.
    let (findings, code) = lint(&yaml);
    assert_eq!(code, 1);
    assert_eq!(findings[0]["code"], "schema");
    assert_eq!(findings[0]["line"], 9);
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains("there is no such file")
    );
    // Broken: a schema error on the PO file's own line.
    std::fs::write(
        &po_path,
        "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\nmsgid \"a\nmsgstr \"\"\n",
    )
    .unwrap();
    let (findings, code) = lint(&yaml);
    assert_eq!(code, 1);
    assert_eq!(findings[0]["code"], "schema");
    assert_eq!(findings[0]["line"], 4);
    assert!(
        findings[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("small.ro.po")
    );
    // Not a regular file, and not text.
    #[cfg(unix)]
    {
        std::fs::remove_file(&po_path).unwrap();
        std::os::unix::fs::symlink("/dev/zero", &po_path).unwrap();
        let (findings, code) = lint(&yaml);
        assert_eq!(code, 1);
        assert!(
            findings[0]["message"]
                .as_str()
                .unwrap()
                .contains("not a regular file")
        );
        std::fs::remove_file(&po_path).unwrap();
    }
    std::fs::write(&po_path, [0xff, 0xfe, 0x00, b'"']).unwrap();
    let (findings, code) = lint(&yaml);
    assert_eq!(code, 1);
    assert!(findings[0]["message"].as_str().unwrap().contains("UTF-8"));
    // The translation's language must not be an officer language, nor given twice.
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, text.replace("lang: ro", "lang: en")).unwrap();
    let (findings, _) = lint(&yaml);
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains("one of the officer's `languages`")
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    /// Any text made of PO-ish pieces is read or refused with a line, never a panic.
    #[test]
    fn po_reading_never_panics(lines in prop::collection::vec(prop::sample::select(vec![
        "", "#", "# c", "#. x", "#, fuzzy", "#~ msgid \"a\"", "#| msgid \"a\"", "\"", "\"a\"",
        "\"é", "msgid \"\"", "msgid \"a\"", "msgstr \"\"", "msgstr \"b\"", "msgctxt \"c\"",
        "msgid", "msgstr[0] \"x\"", "\"Content-Type: text/plain; charset=UTF-8\\n\"",
        "msgid \"\\\"", "msgid \"a\\\"\"", " msgid \"a\"", "msgid  \"a\"", "\u{feff}msgid \"\"",
        "msgstr \"Plural-Forms: nplurals=x; plural=(;\\n\"", "\r", "msgid \"é\"",
    ]), 0..24)) {
        let text = lines.join("\n");
        match po::parse(&text) {
            Ok(_) => {}
            Err(e) => prop_assert!(e.line >= 1 && e.line <= lines.len().max(1)),
        }
    }
}

/// GNU msgfmt's checks on a PO file (format, header, msgid/msgstr line ends). CI installs
/// gettext (.ci/run); elsewhere the check is skipped with a note when msgfmt is missing.
fn msgfmt_accepts(path: &Path) {
    let out = Command::new("msgfmt")
        .args(["-c", "-o", "/dev/null"])
        .arg(path)
        .output();
    match out {
        Ok(out) => assert!(
            out.status.success(),
            "msgfmt -c refuses {}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "msgfmt is needed in CI (.ci/run installs gettext): {e}"
            );
            eprintln!("msgfmt not found ({e}); skipping the msgfmt check");
        }
    }
}

#[test]
fn msgfmt_accepts_the_shipped_template_and_every_file_translate_writes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    msgfmt_accepts(&root.join("questionnaires/prison-screening.pot"));
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("prison-screening.yaml");
    std::fs::write(&yaml, BUILTIN_TEXT).unwrap();
    for args in [
        &["--lang", "ro"][..],
        &["--lang", translation::PSEUDO_LANG],
        &["--template"],
    ] {
        let (said, code) = translate(&yaml, args);
        assert_eq!(code, 0, "{said}");
    }
    for name in [
        "prison-screening.ro.po",
        "prison-screening.qps-ploc.po",
        "prison-screening.pot",
    ] {
        msgfmt_accepts(&dir.path().join(name));
    }
}

#[test]
fn the_shipped_template_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shipped =
        std::fs::read_to_string(root.join("questionnaires/prison-screening.pot")).unwrap();
    let q = questionnaire::builtin().unwrap();
    let date = shipped
        .lines()
        .find_map(|l| l.strip_prefix("\"POT-Creation-Date: "))
        .and_then(|l| l.strip_suffix("\\n\""))
        .unwrap();
    let (now, _) = translation::update(&q, "", None, date);
    assert!(
        now == shipped,
        "questionnaires/prison-screening.pot is out of date: run `rosa-screen questionnaire translate questionnaires/prison-screening.yaml --template`"
    );
}

#[test]
fn the_pseudo_language_translates_everything_longer() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("small.yaml");
    std::fs::write(&yaml, SMALL).unwrap();
    translate(&yaml, &["--lang", translation::PSEUDO_LANG]);
    let f =
        po::parse(&std::fs::read_to_string(dir.path().join("small.qps-ploc.po")).unwrap()).unwrap();
    for m in &f.messages {
        assert!(!m.fuzzy && m.text.starts_with('['), "{m:?}");
        assert!(m.text.chars().count() >= m.id.chars().count(), "{m:?}");
    }
}

#[test]
fn translate_refuses_bad_usage() {
    let (_dir, yaml) = folder();
    for (args, says) in [
        (&[][..], "give the language to translate into"),
        (
            &["--lang", "nb"],
            "one of the questionnaire's own languages",
        ),
        (&["--lang", "romanian"], "is not a language tag"),
        (&["--lang", "ro", "--template"], "not both"),
    ] {
        let (said, code) = translate(&yaml, args);
        assert_eq!(code, 2, "{args:?}: {said}");
        assert!(said.contains(says), "{args:?}: {said}");
    }
}
