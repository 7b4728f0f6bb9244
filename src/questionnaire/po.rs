//! Reading and writing gettext PO files, the translations of a questionnaire for the person
//! being interviewed (see [`super::translation`]).
//!
//! The parsing and writing itself is `polib`'s. Its parser trusts its input (a lone `#` line
//! at the start, a `"` line on its own, an unterminated string or a line broken inside a
//! multi-byte character make it panic, and lines it does not know are dropped without a word),
//! so every line is checked here first, with its line number, and polib only ever sees lines
//! of the shapes it handles. That check also gives each message the line it starts on, which
//! polib does not keep, so that findings can name it.

use std::io::BufWriter;

use polib::catalog::Catalog;
use polib::message::{Message, MessageFlags};
use polib::metadata::CatalogMetadata;

/// One message of a PO file (the header entry is not one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoMessage {
    /// `msgctxt`: the text's place in the questionnaire (`question.debt.text`); `None` when
    /// the message has none.
    pub ctxt: Option<String>,
    /// `msgid`: the source text it translates.
    pub id: String,
    /// `msgstr`: the translation (empty when not translated yet).
    pub text: String,
    /// Marked `#, fuzzy`: a guess or an old translation that a translator has yet to check.
    pub fuzzy: bool,
    /// The translator's own comments (`# ...`), kept when the file is written again.
    pub translator_comments: String,
    /// The line the message starts on (its `msgctxt`, or `msgid` when it has none).
    pub line: usize,
}

/// A PO file as read: its header and its messages in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoFile {
    /// What the header says that a translator or their tool wrote, kept when the file is
    /// written again.
    pub header: PoHeader,
    /// The messages, header excluded, obsolete (`#~`) entries dropped.
    pub messages: Vec<PoMessage>,
}

/// The parts of a PO file's header that are kept when it is updated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoHeader {
    /// `POT-Creation-Date`: when the texts were last taken from the questionnaire.
    pub creation_date: String,
    /// `PO-Revision-Date`: when a translator last saved it.
    pub revision_date: String,
    /// `Last-Translator`.
    pub last_translator: String,
    /// `Language-Team`.
    pub language_team: String,
    /// The comment lines above the header entry (title, copyright, translators).
    pub preheader: Vec<String>,
}

/// Why a PO file cannot be read: the line and one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong there.
    pub message: String,
}

impl PoError {
    fn at(line: usize, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
        }
    }
}

/// What a line of a PO file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    Blank,
    /// `# ...`, `#. ...`, `#: ...`, `#, ...`: comments polib keeps.
    Comment,
    /// `#~ ...` (obsolete), `#| ...` (previous msgid) and other `#x` lines polib ignores.
    Ignored,
    Obsolete,
    Keyword(Keyword),
    Continuation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Keyword {
    Msgctxt,
    Msgid,
    Msgstr,
}

/// Checks one quoted string (`"..."`): closed, no bare `"` inside, only the escapes polib
/// understands.
fn check_string(s: &str, line: usize) -> Result<(), PoError> {
    let inner = s
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .filter(|_| s.len() >= 2)
        .ok_or_else(|| {
            PoError::at(
                line,
                "a string must be written in double quotes on one line, like \"text\"",
            )
        })?;
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                return Err(PoError::at(
                    line,
                    "a double quote inside a string must be written \\\"",
                ));
            }
            '\\' => match chars.next() {
                Some('\\' | 'n' | 'r' | 't' | '"') => {}
                Some(other) => {
                    return Err(PoError::at(
                        line,
                        format!(
                            "`\\{other}` is not an escape this program reads; use \\n, \\t, \\\" or \\\\"
                        ),
                    ));
                }
                None => {
                    return Err(PoError::at(
                        line,
                        "a string ends with a lone backslash; write \\\\ for a backslash",
                    ));
                }
            },
            _ => {}
        }
    }
    Ok(())
}

fn classify(l: &str, n: usize) -> Result<Line, PoError> {
    if l.trim().is_empty() {
        return Ok(Line::Blank);
    }
    if let Some(rest) = l.strip_prefix('#') {
        return Ok(if rest.starts_with('~') {
            Line::Obsolete
        } else if rest.is_empty()
            || rest.starts_with(' ')
            || rest.starts_with(". ")
            || rest.starts_with(": ")
            || rest.starts_with(", ")
        {
            Line::Comment
        } else {
            Line::Ignored
        });
    }
    if l.starts_with('"') {
        check_string(l.trim_end(), n)?;
        return Ok(Line::Continuation);
    }
    let (word, rest) = l.split_once(' ').unwrap_or((l, ""));
    let keyword = match word {
        "msgctxt" => Keyword::Msgctxt,
        "msgid" => Keyword::Msgid,
        "msgstr" => Keyword::Msgstr,
        "msgid_plural" => {
            return Err(PoError::at(
                n,
                "plural forms (`msgid_plural`) are not used by questionnaires",
            ));
        }
        w if w.starts_with("msgstr[") => {
            return Err(PoError::at(
                n,
                "plural forms (`msgstr[N]`) are not used by questionnaires",
            ));
        }
        _ => {
            return Err(PoError::at(
                n,
                "this is not a PO line: expected msgctxt, msgid, msgstr, a \"string\", a # comment or a blank line",
            ));
        }
    };
    // polib wants exactly one space between the keyword and the string.
    if rest.starts_with(' ') || rest.is_empty() {
        return Err(PoError::at(
            n,
            "write one space between the keyword and its \"string\"",
        ));
    }
    check_string(rest.trim_end(), n)?;
    Ok(Line::Keyword(keyword))
}

/// Parses the text of a PO file.
///
/// # Errors
/// The first line that is not valid PO (as this program reads it: no plural forms, UTF-8),
/// a missing header entry, or a message written twice.
pub fn parse(text: &str) -> Result<PoFile, PoError> {
    // Pass 1: check every line, group lines into blocks (separated by blank lines), keep the
    // blocks that hold a message and note where each starts.
    let mut kept = String::with_capacity(text.len());
    let mut starts: Vec<usize> = Vec::new();
    let mut block: Vec<(usize, &str, Line)> = Vec::new();
    let flush = |block: &mut Vec<(usize, &str, Line)>,
                 kept: &mut String,
                 starts: &mut Vec<usize>|
     -> Result<(), PoError> {
        let has_keyword = block.iter().any(|(_, _, k)| matches!(k, Line::Keyword(_)));
        if has_keyword {
            let mut last: Option<Keyword> = None;
            let mut first_line = None;
            for (n, _, kind) in block.iter() {
                match kind {
                    Line::Keyword(k) => {
                        if last.is_some_and(|l| l >= *k) {
                            return Err(PoError::at(
                                *n,
                                "a message is msgctxt (optional), then msgid, then msgstr, each once; separate messages with a blank line",
                            ));
                        }
                        last = Some(*k);
                        first_line.get_or_insert(*n);
                    }
                    Line::Continuation if last.is_none() => {
                        return Err(PoError::at(
                            *n,
                            "a \"string\" line must follow msgctxt, msgid or msgstr",
                        ));
                    }
                    Line::Comment if last.is_some() => {
                        return Err(PoError::at(
                            *n,
                            "comments come before msgctxt and msgid; separate messages with a blank line",
                        ));
                    }
                    _ => {}
                }
            }
            if last != Some(Keyword::Msgstr) {
                let n = block.last().map_or(1, |b| b.0);
                return Err(PoError::at(n, "this message has no msgid or no msgstr"));
            }
            starts.push(first_line.unwrap_or(1));
            for (_, l, kind) in block.iter() {
                match kind {
                    Line::Ignored | Line::Obsolete => {}
                    // polib panics on a lone `#` before any field.
                    Line::Comment if *l == "#" => kept.push_str("# "),
                    _ => kept.push_str(l),
                }
                if !matches!(kind, Line::Ignored | Line::Obsolete) {
                    kept.push('\n');
                }
            }
            kept.push('\n');
        } else if let Some((n, _, _)) = block
            .iter()
            .find(|(_, _, k)| matches!(k, Line::Continuation))
        {
            return Err(PoError::at(
                *n,
                "a \"string\" line must follow msgctxt, msgid or msgstr",
            ));
        }
        // A block of comments or obsolete (#~) lines only holds no message: dropped.
        block.clear();
        Ok(())
    };
    for (i, raw) in text.split('\n').enumerate() {
        let n = i + 1;
        let l = raw.strip_suffix('\r').unwrap_or(raw);
        let kind = classify(l, n)?;
        if kind == Line::Blank {
            flush(&mut block, &mut kept, &mut starts)?;
        } else {
            block.push((n, l, kind));
        }
    }
    flush(&mut block, &mut kept, &mut starts)?;
    if starts.is_empty() {
        return Err(PoError::at(
            1,
            "the file holds no messages, not even the header entry (msgid \"\"); start from a file `questionnaire translate` writes",
        ));
    }

    // Pass 2: polib reads the checked lines.
    let catalog = polib::po_file::parse_from_reader(kept.as_bytes()).map_err(|e| {
        let why = e.to_string();
        if why.contains("Metadata") {
            PoError::at(
                1,
                "the file has no header entry (msgid \"\" with a msgstr holding Content-Type); start from a file `questionnaire translate` writes",
            )
        } else {
            PoError::at(1, why.replace("PO parse error: ", ""))
        }
    })?;
    // The header is the first block; polib keeps one message per msgctxt and msgid, so a
    // message written twice shows as one block too many.
    let message_starts = starts.get(1..).unwrap_or(&[]);
    if catalog.count() != message_starts.len() {
        return Err(PoError::at(
            1,
            "a message (the same msgctxt and msgid) is written twice; keep one",
        ));
    }
    let messages = catalog
        .messages()
        .zip(message_starts)
        .map(|(m, &line)| PoMessage {
            ctxt: m.msgctxt().map(str::to_owned),
            id: m.msgid().to_owned(),
            text: m.msgstr().map(str::to_owned).unwrap_or_default(),
            fuzzy: m.is_fuzzy(),
            translator_comments: m.translator_comments().to_owned(),
            line,
        })
        .collect();
    let m = &catalog.metadata;
    let header = PoHeader {
        creation_date: m.pot_creation_date.clone(),
        revision_date: m.po_revision_date.clone(),
        last_translator: m.last_translator.clone(),
        language_team: m.language_team.clone(),
        preheader: catalog.preheader.clone(),
    };
    Ok(PoFile { header, messages })
}

/// One message to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutMessage {
    /// `msgctxt`.
    pub ctxt: String,
    /// `msgid`.
    pub id: String,
    /// `msgstr` (empty for a new message).
    pub text: String,
    /// Written with `#, fuzzy`.
    pub fuzzy: bool,
    /// `#.` lines for the translator (the other officer languages' texts, hints).
    pub extracted: String,
    /// `#` lines of the translator, kept from the old file.
    pub translator_comments: String,
}

/// The header of a written PO file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// `Project-Id-Version`: the questionnaire id and version.
    pub project: String,
    /// `Language` (empty for a template).
    pub language: String,
    /// `POT-Creation-Date`, as `YYYY-MM-DD HH:MM+0000`.
    pub date: String,
    /// What the old file's header had (revision date, translator, team, comments); `None`
    /// for a new file.
    pub kept: Option<PoHeader>,
}

/// Writes a PO file (or, with an empty language, a POT template) with polib's writer.
#[must_use]
pub fn write(header: &Header, messages: &[OutMessage]) -> String {
    let kept = header.kept.clone().unwrap_or_default();
    let or = |old: &str, new: &str| {
        if old.trim().is_empty() {
            new.to_owned()
        } else {
            old.to_owned()
        }
    };
    let mut meta = CatalogMetadata::new();
    meta.project_id_version.clone_from(&header.project);
    meta.pot_creation_date.clone_from(&header.date);
    meta.po_revision_date = or(&kept.revision_date, &header.date);
    meta.last_translator = or(&kept.last_translator, "Translators of this questionnaire");
    meta.language_team = or(
        &kept.language_team,
        if header.language.is_empty() {
            "none"
        } else {
            &header.language
        },
    );
    "1.0".clone_into(&mut meta.mime_version);
    "text/plain; charset=UTF-8".clone_into(&mut meta.content_type);
    "8bit".clone_into(&mut meta.content_transfer_encoding);
    meta.language.clone_from(&header.language);
    let mut catalog = Catalog::new(meta);
    catalog.preheader = kept.preheader;
    for m in messages {
        let mut flags = MessageFlags::new();
        if m.fuzzy {
            flags.add_flag("fuzzy");
        }
        catalog.append_or_update(
            Message::build_singular()
                .with_translator_comments(m.translator_comments.clone())
                .with_extracted_comments(m.extracted.clone())
                .with_flags(flags)
                .with_msgctxt(m.ctxt.clone())
                .with_msgid(m.id.clone())
                .with_msgstr(m.text.clone())
                .done(),
        );
    }
    let mut out = BufWriter::new(Vec::new());
    // Writing to memory cannot fail; an error would leave the text short, which the caller's
    // own check (`parse` of what was written) would catch.
    let _ = polib::po_file::write(&catalog, &mut out);
    let bytes = out.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"# Romanian translation.
#
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: ro\n"

#. en: Do you owe money?
msgctxt "question.debt.text"
msgid "Skylder du penger?"
msgstr "Datorați bani?"

#, fuzzy
msgctxt "question.debt.guidance"
msgid "Spør rolig."
msgstr "Întrebați "
"calm."

#~ msgctxt "question.gone.text"
#~ msgid "Borte?"
#~ msgstr "Plecat?"

msgid "no context"
msgstr ""
"#;

    #[test]
    fn reads_messages_with_lines_flags_and_continuations() {
        let f = parse(GOOD).unwrap();
        assert_eq!(f.messages.len(), 3, "{f:#?}");
        let m = &f.messages[0];
        assert_eq!(m.ctxt.as_deref(), Some("question.debt.text"));
        assert_eq!(
            (m.id.as_str(), m.text.as_str()),
            ("Skylder du penger?", "Datorați bani?")
        );
        assert_eq!((m.line, m.fuzzy), (9, false));
        let m = &f.messages[1];
        assert_eq!(
            (m.text.as_str(), m.fuzzy, m.line),
            ("Întrebați calm.", true, 14)
        );
        assert_eq!(f.messages[2].ctxt, None);
        assert_eq!(f.messages[2].line, 23);
    }

    #[test]
    fn broken_lines_are_errors_with_their_line_never_a_panic() {
        for (text, line) in [
            (
                "#\nmsgid \"\"\nmsgstr \"Content-Type: text/plain\\n\"\n\n\"\n",
                5,
            ),
            ("msgid \"\"\nmsgstr \"x\"\n\nmsgid \"a\nmsgstr \"\"\n", 4),
            ("msgid \"\"\nmsgstr \"x\"\n\nmsgid \"é\nmsgstr \"\"\n", 4),
            (
                "msgid \"\"\nmsgstr \"x\"\n\nmsgid \"a\" b\"\nmsgstr \"\"\n",
                4,
            ),
            (
                "msgid \"\"\nmsgstr \"x\"\n\nmsgid \"\\q\"\nmsgstr \"\"\n",
                4,
            ),
            (
                "msgid \"\"\nmsgstr \"x\"\n\n  msgid \"a\"\nmsgstr \"\"\n",
                4,
            ),
            (
                "msgid \"\"\nmsgstr \"x\"\n\nmsgid \"a\"\nmsgid_plural \"b\"\n",
                5,
            ),
            ("msgid \"\"\nmsgstr \"x\"\n\nmsgid \"a\"\n", 4),
            ("msgid \"\"\nmsgstr \"x\"\n\nmsgstr \"a\"\nmsgid \"b\"\n", 5),
            ("msgid \"\"\nmsgstr \"x\"\n\n\"a\"\n", 4),
            ("msgid \"\"\nmsgstr \"x\"\n\nmsgid\nmsgstr \"\"\n", 4),
            ("msgid \"a\"\nmsgstr \"b\"\n", 1),
            (
                "msgid \"\"\nmsgstr \"x\"\n\nmsgid \"a\"\nmsgstr \"\"\n\nmsgid \"a\"\nmsgstr \"\"\n",
                1,
            ),
        ] {
            let e = parse(text).unwrap_err();
            assert_eq!(e.line, line, "{text:?}: {e:?}");
        }
        assert_eq!(parse("").unwrap_err().line, 1);
    }

    #[test]
    fn what_is_written_reads_back() {
        let header = Header {
            project: "t 1".into(),
            language: "ro".into(),
            date: "2026-01-01 00:00+0000".into(),
            kept: Some(PoHeader {
                last_translator: "M. Popescu <m@example.org>".into(),
                preheader: vec!["Romanian.".into()],
                ..PoHeader::default()
            }),
        };
        let out = vec![
            OutMessage {
                ctxt: "question.a.text".into(),
                id: "A \"quoted\" line\nand a second one that is long enough to be folded by the writer at seventy-eight".into(),
                text: String::new(),
                fuzzy: true,
                extracted: "en: A\nnb: B".into(),
                translator_comments: "checked by M.".into(),
            },
            OutMessage {
                ctxt: "program.yes".into(),
                id: "Ja".into(),
                text: "Da".into(),
                fuzzy: false,
                extracted: String::new(),
                translator_comments: String::new(),
            },
        ];
        let text = write(&header, &out);
        assert!(text.contains("#. en: A\n#. nb: B\n"), "{text}");
        let back = parse(&text).unwrap();
        assert_eq!(back.messages.len(), 2);
        assert_eq!(back.messages[0].id, out[0].id);
        assert!(back.messages[0].fuzzy);
        assert_eq!(back.messages[0].translator_comments, "checked by M.");
        assert_eq!(back.messages[1].text, "Da");
        assert_eq!(back.header.last_translator, "M. Popescu <m@example.org>");
        assert_eq!(back.header.preheader, ["Romanian."]);
        assert_eq!(back.header.revision_date, "2026-01-01 00:00+0000");
    }
}
