//! The fast path: the raw types of [`super::raw`] built straight from the YAML parser's events
//! (granit-parser, the very parser serde-saphyr reads with, so the YAML dialect is the same),
//! with the same positions, for a file that is plainly well formed.
//!
//! serde-saphyr spends about three quarters of a load in its generic machinery (every
//! `Spanned` value goes through a synthesised map, every event through replay and redaction
//! bookkeeping); reading the events directly into the known shapes costs a fraction of that.
//!
//! The rule that keeps the two paths equal: this reader accepts only what it can reproduce
//! exactly, and returns `None` on anything else, however harmless: a parse error, a tag, an
//! anchor or alias, a null, a quoted key, a number or boolean spelled in any but the plainest
//! way, a duplicate or unknown key, a missing field, a second document, a budget limit
//! approached. The caller then reads the file with serde-saphyr, which either accepts it the
//! same way or produces the finding. So a `Some` here is always the value serde-saphyr would
//! give, and every message and position of a broken file still comes from serde-saphyr.
//! `tests` below check that claim on every example file, generated questionnaires and
//! mutated ones.

use std::borrow::Cow;

use granit_parser::{Event, Parser, ScalarStyle, Span, StrInput};

use super::raw::{
    RawChoice, RawDimension, RawFlag, RawGoto, RawIndicator, RawKind, RawOutcome, RawQuestion,
    RawQuestionnaire, RawReferral, RawSection, RawSpecial, RawStrength, RawText, RawTranslation,
    RawYesNoRaises, Spanned,
};
use super::{BUDGET_MAX_EVENTS, BUDGET_MAX_NODES, BUDGET_MAX_SCALAR_BYTES};
use crate::questionnaire::model::Pos;

/// Reads `text` into the raw types, or `None` when the serde-saphyr path must decide.
pub(super) fn parse(text: &str) -> Option<RawQuestionnaire> {
    // Past the budget's byte limit serde-saphyr refuses the file; let it say so.
    if text.len() > BUDGET_MAX_SCALAR_BYTES {
        return None;
    }
    let mut r = Reader::new(text);
    r.expect(|t| matches!(t, Tok::StreamStart))?;
    r.expect(|t| matches!(t, Tok::DocStart))?;
    let q = r.questionnaire()?;
    r.expect(|t| matches!(t, Tok::DocEnd))?;
    r.expect(|t| matches!(t, Tok::StreamEnd))?;
    // Nothing may follow the end of the stream (a parser that went on would be a surprise).
    if r.parser.next_event().is_some() {
        return None;
    }
    Some(q)
}

/// The event source, with one event of lookahead and the budget's counters.
struct Reader<'a> {
    parser: Parser<'a, StrInput<'a>>,
    peeked: Option<Tok<'a>>,
    /// Every event read, as the budget counts them.
    events: usize,
    /// Scalars, mappings and sequences.
    nodes: usize,
    /// Bytes of all scalar values.
    scalar_bytes: usize,
}

/// An event as this reader needs it: small (the parser's event and span are about 200 bytes,
/// and moving them around cost more than reading them), with the position already worked
/// out. Anything with an anchor, alias or tag is `Other`, which no reader accepts.
enum Tok<'a> {
    Scalar(Cow<'a, str>, ScalarStyle, Pos),
    MapStart(Pos),
    MapEnd,
    SeqStart(Pos),
    SeqEnd,
    DocStart,
    DocEnd,
    StreamStart,
    StreamEnd,
    Other,
}

/// Stores a field's value, or gives up when the field was already written (a duplicate key,
/// which serde-saphyr reports).
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

/// The position of a node as serde-saphyr reports it: line and 1-based character column of
/// the start, byte offset and byte length of the span.
fn pos_of(span: &Span) -> Pos {
    let start = span.start.byte_offset();
    let end = span.end.byte_offset();
    Pos {
        line: span.start.line(),
        column: span.start.col() + 1,
        offset: start.unwrap_or(0),
        len: match (start, end) {
            (Some(s), Some(e)) => e.saturating_sub(s),
            _ => 0,
        },
    }
}

/// A plain scalar that YAML reads as null (serde-saphyr refuses it as a string).
fn is_null(value: &str) -> bool {
    matches!(value, "" | "~" | "null" | "Null" | "NULL")
}

/// A plain scalar that an untyped read might take for something other than a string: null,
/// a boolean, or anything that starts like a number (`1`, `-2`, `+3`, `.5`, `.inf`, `0x1f`).
/// Over-cautious on purpose (`-x` is a string, but serde-saphyr decides).
fn may_not_be_a_string(value: &str) -> bool {
    is_null(value)
        || matches!(
            value,
            "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
        )
        || value
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.'))
}

/// A key of a text map that compares as a string and nothing else: a letter, then letters,
/// digits and dashes (every language tag), and not a null or boolean word.
fn is_plain_text_key(key: &str) -> bool {
    key.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !may_not_be_a_string(key)
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        // The options serde-saphyr gives the parser for our budget: the parser's defaults
        // (its lookahead and nesting limits are the budget's defaults), without comments.
        let options = granit_parser::options! { emit_comments: false };
        Reader {
            parser: Parser::new_from_str_with_options(text, options),
            peeked: None,
            events: 0,
            nodes: 0,
            scalar_bytes: 0,
        }
    }

    /// The next event; `None` on a parse error, at the end, or near a budget limit.
    fn next(&mut self) -> Option<Tok<'a>> {
        if let Some(t) = self.peeked.take() {
            return Some(t);
        }
        let (event, span) = self.parser.next_event()?.ok()?;
        self.events += 1;
        let tok = match event {
            Event::Scalar(value, style, 0, None) => {
                self.nodes += 1;
                self.scalar_bytes += value.len();
                Tok::Scalar(value, style, pos_of(&span))
            }
            Event::MappingStart(_, 0, None) => {
                self.nodes += 1;
                Tok::MapStart(pos_of(&span))
            }
            Event::SequenceStart(_, 0, None) => {
                self.nodes += 1;
                Tok::SeqStart(pos_of(&span))
            }
            Event::MappingEnd => Tok::MapEnd,
            Event::SequenceEnd => Tok::SeqEnd,
            Event::DocumentStart(..) => Tok::DocStart,
            Event::DocumentEnd => Tok::DocEnd,
            Event::StreamStart => Tok::StreamStart,
            Event::StreamEnd => Tok::StreamEnd,
            _ => Tok::Other,
        };
        if self.events >= BUDGET_MAX_EVENTS
            || self.nodes >= BUDGET_MAX_NODES
            || self.scalar_bytes >= BUDGET_MAX_SCALAR_BYTES
        {
            return None;
        }
        Some(tok)
    }

    fn peek(&mut self) -> Option<&Tok<'a>> {
        if self.peeked.is_none() {
            self.peeked = Some(self.next()?);
        }
        self.peeked.as_ref()
    }

    fn expect(&mut self, what: impl Fn(&Tok<'a>) -> bool) -> Option<()> {
        let tok = self.next()?;
        what(&tok).then_some(())
    }

    /// A scalar with neither anchor nor tag: its text, style and position.
    fn scalar(&mut self) -> Option<(Cow<'a, str>, ScalarStyle, Pos)> {
        match self.next()? {
            Tok::Scalar(value, style, pos) => Some((value, style, pos)),
            _ => None,
        }
    }

    /// A mapping (block or flow, no anchor or tag): each key, a plain scalar, is handed to
    /// `field`, which reads the value. Returns where the mapping starts.
    fn map(&mut self, mut field: impl FnMut(&mut Self, &str) -> Option<()>) -> Option<Pos> {
        let Tok::MapStart(pos) = self.next()? else {
            return None;
        };
        loop {
            match self.next()? {
                Tok::MapEnd => return Some(pos),
                Tok::Scalar(key, ScalarStyle::Plain, _) => field(self, &key)?,
                _ => return None,
            }
        }
    }

    /// A sequence (block or flow, no anchor or tag) of items read by `item`.
    fn seq<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Spanned<Vec<T>>> {
        let Tok::SeqStart(pos) = self.next()? else {
            return None;
        };
        let mut value = Vec::new();
        loop {
            if matches!(self.peek()?, Tok::SeqEnd) {
                self.peeked = None;
                return Some(Spanned { value, pos });
            }
            value.push(item(self)?);
        }
    }

    /// A string field: any scalar but a plain null.
    fn string(&mut self) -> Option<Spanned<String>> {
        let (value, style, pos) = self.scalar()?;
        if style == ScalarStyle::Plain && is_null(&value) {
            return None;
        }
        Some(Spanned {
            value: value.into_owned(),
            pos,
        })
    }

    fn strings(&mut self) -> Option<Vec<Spanned<String>>> {
        Some(self.seq(Self::string)?.value)
    }

    /// A number field: only plain decimal spellings whose value is finite.
    fn number(&mut self) -> Option<Spanned<f64>> {
        let (value, style, pos) = self.scalar()?;
        if style != ScalarStyle::Plain
            || value.is_empty()
            || !value
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        {
            return None;
        }
        let n: f64 = value.parse().ok()?;
        n.is_finite().then_some(Spanned { value: n, pos })
    }

    /// A boolean field: plain `true` or `false` (in the spellings YAML 1.2 allows).
    fn boolean(&mut self) -> Option<Spanned<bool>> {
        let (value, style, pos) = self.scalar()?;
        if style != ScalarStyle::Plain {
            return None;
        }
        let value = match &*value {
            "true" | "True" | "TRUE" => true,
            "false" | "False" | "FALSE" => false,
            _ => return None,
        };
        Some(Spanned { value, pos })
    }

    /// A unit enum written as a plain word, one of `variants`.
    fn word<T: Copy>(&mut self, variants: &[(&str, T)]) -> Option<Spanned<T>> {
        let (value, style, pos) = self.scalar()?;
        if style != ScalarStyle::Plain {
            return None;
        }
        let &(_, v) = variants.iter().find(|(name, _)| *name == value)?;
        Some(Spanned { value: v, pos })
    }

    /// A text: a string, or a map from language to string.
    fn text(&mut self) -> Option<Spanned<RawText>> {
        if matches!(self.peek()?, Tok::Scalar(..)) {
            let (value, style, pos) = self.scalar()?;
            if style == ScalarStyle::Plain && may_not_be_a_string(&value) {
                return None;
            }
            return Some(Spanned {
                value: RawText::Plain(value.into_owned()),
                pos,
            });
        }
        let mut entries: Vec<(String, String)> = Vec::new();
        let pos = self.map(|r, key| {
            if !is_plain_text_key(key) || entries.iter().any(|(k, _)| k == key) {
                return None;
            }
            entries.push((key.to_owned(), r.string()?.value));
            Some(())
        })?;
        Some(Spanned {
            value: RawText::Map(entries),
            pos,
        })
    }

    fn questionnaire(&mut self) -> Option<RawQuestionnaire> {
        let (mut format, mut id, mut version, mut languages, mut title, mut description) =
            (None, None, None, None, None, None);
        let (mut dimensions, mut indicators, mut flags, mut sections, mut outcomes) =
            (None, None, None, None, None);
        let mut translations = None;
        self.map(|r, key| match key {
            "format" => once(&mut format, r.string()?),
            "id" => once(&mut id, r.string()?),
            "version" => once(&mut version, r.string()?),
            "languages" => once(&mut languages, r.seq(Self::string)?),
            "title" => once(&mut title, r.text()?),
            "description" => once(&mut description, r.text()?),
            "dimensions" => once(&mut dimensions, r.seq(Self::dimension)?.value),
            "indicators" => once(&mut indicators, r.seq(Self::indicator)?.value),
            "flags" => once(&mut flags, r.seq(Self::flag)?.value),
            "sections" => once(&mut sections, r.seq(Self::section)?.value),
            "outcomes" => once(&mut outcomes, r.seq(Self::outcome)?.value),
            "translations" => once(&mut translations, r.seq(Self::translation)?.value),
            _ => None,
        })?;
        Some(RawQuestionnaire {
            format,
            id: id?,
            version: version?,
            languages: languages?,
            title: title?,
            description,
            dimensions: dimensions?,
            indicators: indicators?,
            flags: flags.unwrap_or_default(),
            sections: sections?,
            outcomes: outcomes?,
            translations: translations.unwrap_or_default(),
        })
    }

    fn translation(&mut self) -> Option<RawTranslation> {
        let (mut lang, mut file) = (None, None);
        self.map(|r, key| match key {
            "lang" => once(&mut lang, r.string()?),
            "file" => once(&mut file, r.string()?),
            _ => None,
        })?;
        Some(RawTranslation {
            lang: lang?,
            file: file?,
        })
    }

    fn dimension(&mut self) -> Option<RawDimension> {
        let (mut id, mut label, mut positive_when) = (None, None, None);
        self.map(|r, key| match key {
            "id" => once(&mut id, r.string()?),
            "label" => once(&mut label, r.text()?),
            "positive_when" => once(&mut positive_when, r.string()?),
            _ => None,
        })?;
        Some(RawDimension {
            id: id?,
            label: label?,
            positive_when: positive_when?,
        })
    }

    fn indicator(&mut self) -> Option<RawIndicator> {
        let (mut id, mut dimension, mut strength, mut weight, mut label, mut when) =
            (None, None, None, None, None, None);
        self.map(|r, key| match key {
            "id" => once(&mut id, r.string()?),
            "dimension" => once(&mut dimension, r.string()?),
            "strength" => once(
                &mut strength,
                r.word(&[
                    ("strong", RawStrength::Strong),
                    ("medium", RawStrength::Medium),
                    ("weak", RawStrength::Weak),
                ])?
                .value,
            ),
            "weight" => once(&mut weight, r.number()?),
            "label" => once(&mut label, r.text()?),
            "when" => once(&mut when, r.string()?),
            _ => None,
        })?;
        Some(RawIndicator {
            id: id?,
            dimension: dimension?,
            strength: strength?,
            weight,
            label: label?,
            when,
        })
    }

    fn flag(&mut self) -> Option<RawFlag> {
        let (mut id, mut label, mut advice, mut when, mut immediate) =
            (None, None, None, None, None);
        self.map(|r, key| match key {
            "id" => once(&mut id, r.string()?),
            "label" => once(&mut label, r.text()?),
            "advice" => once(&mut advice, r.text()?),
            "when" => once(&mut when, r.string()?),
            "immediate" => once(&mut immediate, r.boolean()?.value),
            _ => None,
        })?;
        Some(RawFlag {
            id: id?,
            label: label?,
            advice: advice?,
            when,
            immediate,
        })
    }

    fn section(&mut self) -> Option<RawSection> {
        let (mut id, mut title, mut intro, mut show_if, mut questions) =
            (None, None, None, None, None);
        self.map(|r, key| match key {
            "id" => once(&mut id, r.string()?),
            "title" => once(&mut title, r.text()?),
            "intro" => once(&mut intro, r.text()?),
            "show_if" => once(&mut show_if, r.string()?),
            "questions" => once(&mut questions, r.seq(Self::question)?.value),
            _ => None,
        })?;
        Some(RawSection {
            id: id?,
            title: title?,
            intro,
            show_if,
            questions: questions.unwrap_or_default(),
        })
    }

    fn question(&mut self) -> Option<Spanned<RawQuestion>> {
        let (mut id, mut kind, mut text, mut guidance, mut observation, mut required) =
            (None, None, None, None, None, None);
        let (mut allow, mut show_if, mut choices, mut raises, mut min, mut max) =
            (None, None, None, None, None, None);
        let (mut goto, mut fills) = (None, None);
        let pos = self.map(|r, key| match key {
            "id" => once(&mut id, r.string()?),
            "kind" => once(
                &mut kind,
                r.word(&[
                    ("yes_no", RawKind::YesNo),
                    ("single", RawKind::Single),
                    ("multi", RawKind::Multi),
                    ("number", RawKind::Number),
                    ("text", RawKind::Text),
                    ("date", RawKind::Date),
                    ("info", RawKind::Info),
                ])?
                .value,
            ),
            "text" => once(&mut text, r.text()?),
            "guidance" => once(&mut guidance, r.text()?),
            "observation" => once(&mut observation, r.boolean()?),
            "required" => once(&mut required, r.boolean()?),
            "allow" => once(
                &mut allow,
                r.seq(|r| {
                    r.word(&[
                        ("dont_know", RawSpecial::DontKnow),
                        ("declined", RawSpecial::Declined),
                    ])
                })?,
            ),
            "show_if" => once(&mut show_if, r.string()?),
            "choices" => once(&mut choices, r.seq(Self::choice)?),
            "raises" => once(&mut raises, r.yes_no_raises()?),
            "min" => once(&mut min, r.number()?),
            "max" => once(&mut max, r.number()?),
            "goto" => once(&mut goto, r.seq(Self::goto)?.value),
            "fills" => once(&mut fills, r.string()?),
            _ => None,
        })?;
        Some(Spanned {
            value: RawQuestion {
                id: id?,
                kind: kind?,
                text: text?,
                guidance,
                observation,
                required,
                allow,
                show_if,
                choices,
                raises,
                min,
                max,
                goto,
                fills,
            },
            pos,
        })
    }

    fn choice(&mut self) -> Option<RawChoice> {
        let (mut id, mut label, mut raises, mut exclusive, mut fills) =
            (None, None, None, None, None);
        self.map(|r, key| match key {
            "id" => once(&mut id, r.string()?),
            "label" => once(&mut label, r.text()?),
            "raises" => once(&mut raises, r.strings()?),
            "exclusive" => once(&mut exclusive, r.boolean()?.value),
            "fills" => once(&mut fills, r.string()?),
            _ => None,
        })?;
        Some(RawChoice {
            id: id?,
            label: label?,
            raises,
            exclusive,
            fills,
        })
    }

    fn yes_no_raises(&mut self) -> Option<Spanned<RawYesNoRaises>> {
        let (mut yes, mut no) = (None, None);
        let pos = self.map(|r, key| match key {
            "yes" => once(&mut yes, r.strings()?),
            "no" => once(&mut no, r.strings()?),
            _ => None,
        })?;
        Some(Spanned {
            value: RawYesNoRaises { yes, no },
            pos,
        })
    }

    fn goto(&mut self) -> Option<Spanned<RawGoto>> {
        let (mut cond, mut to) = (None, None);
        let pos = self.map(|r, key| match key {
            "if" => once(&mut cond, r.string()?),
            "to" => once(&mut to, r.string()?),
            _ => None,
        })?;
        Some(Spanned {
            value: RawGoto { cond, to: to? },
            pos,
        })
    }

    fn outcome(&mut self) -> Option<RawOutcome> {
        let (mut id, mut when, mut label, mut advice, mut referral) =
            (None, None, None, None, None);
        self.map(|r, key| match key {
            "id" => once(&mut id, r.string()?),
            "when" => once(&mut when, r.string()?),
            "label" => once(&mut label, r.text()?),
            "advice" => once(&mut advice, r.text()?),
            "referral" => once(
                &mut referral,
                r.word(&[
                    ("recommended", RawReferral::Recommended),
                    ("offered", RawReferral::Offered),
                    ("none", RawReferral::None),
                ])?
                .value,
            ),
            _ => None,
        })?;
        Some(RawOutcome {
            id: id?,
            when,
            label: label?,
            advice: advice?,
            referral: referral?,
        })
    }
}

#[cfg(test)]
mod tests {
    //! The two paths agree: whenever the fast path reads a file, serde-saphyr reads the very
    //! same raw value (positions included). Checked on every questionnaire-like file in the
    //! repository (and the shared examples when they are beside it), on generated
    //! questionnaires written in every YAML style the format allows, and on broken variants of
    //! both.

    use std::path::{Path, PathBuf};

    use proptest::prelude::*;

    use super::super::parse_options;
    use super::*;
    use crate::mutate::{apply, mutation};

    /// Whether the fast path took `text`; panics when it took it differently from serde-saphyr.
    fn agree(text: &str) -> bool {
        let Some(fast) = parse(text) else {
            return false;
        };
        match serde_saphyr::from_str_with_options::<RawQuestionnaire>(text, parse_options()) {
            Ok(slow) => {
                assert_eq!(fast, slow, "the two paths differ on:\n{text}");
                true
            }
            Err(e) => panic!("the fast path accepted what serde-saphyr refuses ({e}):\n{text}"),
        }
    }

    fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                yaml_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                out.push(p);
            }
        }
    }

    /// Every YAML file of the repository's questionnaires, fixtures and fuzz corpus, and the
    /// shared examples (CI lays the shared folder beside the clone).
    fn repository_files() -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in [
            "questionnaires",
            "tests/fixtures",
            "tests/fuzz_corpus",
            "../shared/examples",
        ] {
            yaml_files(&root.join(dir), &mut files);
        }
        files.sort();
        files
    }

    #[test]
    fn every_file_in_the_repository_reads_the_same_both_ways() {
        let mut taken = Vec::new();
        for f in repository_files() {
            let text = std::fs::read_to_string(&f).unwrap();
            if agree(&text) {
                taken.push(f.display().to_string());
            }
        }
        // The clean questionnaires must actually use the fast path, or it would prove nothing.
        for clean in [
            "questionnaires/prison-screening.yaml",
            "tests/fixtures/examples/small-screening.yaml",
            "tests/fixtures/lint/clean.yaml",
        ] {
            assert!(
                taken.iter().any(|t| t.ends_with(clean)),
                "{clean} did not take the fast path; taken: {taken:#?}"
            );
        }
    }

    #[test]
    fn what_the_fast_path_leaves_to_serde_saphyr() {
        let base = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint/clean.yaml"),
        )
        .unwrap();
        assert!(parse(&base).is_some());
        for (from, to) in [
            ("format: 1", "format: 1\nformat: 1"),        // a duplicate key
            ("format: 1", "format: 1\nformt: 1"),         // an unknown key
            ("format: 1", "format: ~"),                   // a null
            ("format: 1", "format: !!str 1"),             // a tag
            ("format: 1", "format: &a 1"),                // an anchor
            ("format: 1", "\"format\": 1"),               // a quoted key
            ("format: 1", "format: 1\n---\nx: 1"),        // a second document
            ("format: 1", "format: [1"),                  // a YAML error
            ("strength: strong", "strength: \"strong\""), // a quoted enum
            ("strength: strong", "strength: strang"),     // an unknown enum
        ] {
            assert!(base.contains(from), "{from}");
            let text = base.replacen(from, to, 1);
            assert!(parse(&text).is_none(), "{to}");
        }
    }

    /// A node of a generated file, rendered in the style chosen for it.
    #[derive(Debug, Clone)]
    enum Node {
        Scalar(String, Style),
        /// A mapping; `true` for flow style (`{a: b}`).
        Map(Vec<(&'static str, Node)>, bool),
        /// A mapping with keys made at run time (a text's languages).
        Texts(Vec<(String, Node)>, bool),
        /// A sequence; `true` for flow style (`[a, b]`).
        Seq(Vec<Node>, bool),
    }

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Style {
        /// Written as it is (numbers, booleans, enum words).
        Bare,
        /// Plain when the text allows it, else double-quoted.
        Plain,
        Single,
        Double,
        Literal,
        Folded,
    }

    /// Whether `s` may be written plain anywhere (block or flow) and still be this string.
    fn plain_safe(s: &str) -> bool {
        let mut chars = s.chars();
        chars.next().is_some_and(char::is_alphabetic)
            && s.chars().all(|c| {
                c.is_alphanumeric() || matches!(c, ' ' | '?' | '_' | '.' | '(' | ')' | '\'' | '=')
            })
            && !s.ends_with(' ')
            && !s.contains("  ")
            && !matches!(
                s,
                "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
            )
    }

    fn quote(s: &str, style: Style, indent: usize, flow: bool) -> String {
        let style = match style {
            Style::Plain if plain_safe(s) => Style::Plain,
            Style::Plain => Style::Double,
            // Block scalars only in block context, and only for text they keep as it is.
            Style::Literal | Style::Folded
                if flow
                    || s.is_empty()
                    || s.starts_with([' ', '\n'])
                    || s.contains("\n ")
                    || s.ends_with([' ', '\n']) =>
            {
                Style::Single
            }
            // A quoted scalar over several lines folds them, and its continuation lines would
            // need indenting: keep line breaks escaped.
            Style::Single if s.contains('\n') => Style::Double,
            other => other,
        };
        match style {
            Style::Bare | Style::Plain => s.to_owned(),
            Style::Single => format!("'{}'", s.replace('\'', "''")),
            Style::Double => {
                let mut out = String::from("\"");
                for c in s.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        '\t' => out.push_str("\\t"),
                        c => out.push(c),
                    }
                }
                out.push('"');
                out
            }
            Style::Literal | Style::Folded => {
                let pad = " ".repeat(indent + 2);
                let mut out = String::from(if style == Style::Literal { "|-" } else { ">-" });
                for line in s.split('\n') {
                    out.push('\n');
                    if !line.is_empty() {
                        out.push_str(&pad);
                        out.push_str(line);
                    }
                    // A folded scalar folds single line breaks: write each as two.
                    if style == Style::Folded {
                        out.push('\n');
                    }
                }
                if style == Style::Folded {
                    out.pop();
                }
                out
            }
        }
    }

    /// Renders `node` as the value of a key or item at `indent`; block containers start on a
    /// new line.
    fn value(node: &Node, indent: usize) -> String {
        match node {
            Node::Scalar(s, style) => format!(" {}", quote(s, *style, indent, false)),
            Node::Map(_, true) | Node::Texts(_, true) | Node::Seq(_, true) => {
                format!(" {}", flow(node))
            }
            Node::Seq(items, false) if items.is_empty() => " []".to_owned(),
            Node::Map(..) | Node::Texts(..) | Node::Seq(..) => {
                format!("\n{}", block(node, indent + 2))
            }
        }
    }

    fn flow(node: &Node) -> String {
        match node {
            Node::Scalar(s, style) => quote(s, *style, 0, true),
            Node::Map(entries, _) => {
                let parts: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", flow(v)))
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
            Node::Texts(entries, _) => {
                let parts: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", flow(v)))
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
            Node::Seq(items, _) => {
                let parts: Vec<String> = items.iter().map(flow).collect();
                format!("[{}]", parts.join(", "))
            }
        }
    }

    /// A block container at `indent`, each line indented, ending with a line break.
    fn block(node: &Node, indent: usize) -> String {
        let pad = " ".repeat(indent);
        let mut out = String::new();
        match node {
            Node::Map(entries, _) => {
                for (k, v) in entries {
                    out.push_str(&format!("{pad}{k}:{}\n", value(v, indent)));
                }
            }
            Node::Texts(entries, _) => {
                for (k, v) in entries {
                    out.push_str(&format!("{pad}{k}:{}\n", value(v, indent)));
                }
            }
            Node::Seq(items, _) => {
                for item in items {
                    match item {
                        Node::Map(entries, false) if !entries.is_empty() => {
                            // The first key goes on the dash's line.
                            let inner = block(item, indent + 2);
                            out.push_str(&format!("{pad}- {}", &inner[indent + 2..]));
                        }
                        other => out.push_str(&format!("{pad}-{}\n", value(other, indent))),
                    }
                }
            }
            Node::Scalar(..) => out.push_str(&format!("{pad}{}\n", flow(node))),
        }
        out
    }

    // -----------------------------------------------------------------------------------------
    // Generated questionnaires
    // -----------------------------------------------------------------------------------------

    /// Words for texts: plain ones, YAML 1.1 booleans that format 1 keeps as strings, and ones
    /// that must be quoted.
    const WORDS: &[&str] = &[
        "Passport",
        "Hours worked?",
        "Spørsmål om æøå",
        "yes",
        "no",
        "off",
        "Norway",
        "null",
        "true",
        "1.5",
        "x: y",
        "#tag",
        "- item",
        "it's",
        "say \"hi\"",
        "two\nlines",
        "tab\there",
        "~",
        "@at",
        "*star",
        "&amp",
        "{brace}",
        "[bracket]",
        "",
        "a,b",
        "עברית",
    ];
    const NUMBERS: &[&str] = &[
        "0", "1", "24", "1.5", "-3", "1e2", "+4", "100", "0.25", "7.",
    ];
    const BOOLS: &[&str] = &["true", "false", "True", "FALSE"];

    fn style() -> impl Strategy<Value = Style> {
        prop_oneof![
            4 => Just(Style::Plain),
            2 => Just(Style::Double),
            2 => Just(Style::Single),
            1 => Just(Style::Literal),
            1 => Just(Style::Folded),
        ]
    }

    fn word() -> impl Strategy<Value = Node> {
        (prop::sample::select(WORDS), style()).prop_map(|(w, s)| Node::Scalar(w.to_owned(), s))
    }

    /// A plain scalar: an id, a number, a boolean, an enum word.
    fn plain(s: &str) -> Node {
        Node::Scalar(s.to_owned(), Style::Bare)
    }

    /// An id written in any quoting (it is a string either way).
    fn id(s: String) -> impl Strategy<Value = Node> {
        style().prop_map(move |st| Node::Scalar(s.clone(), st))
    }

    /// A text: a plain string (one language) or a map from language to string.
    fn text(langs: &'static [&'static str]) -> impl Strategy<Value = Node> {
        let map = (prop::collection::vec(word(), langs.len()), any::<bool>()).prop_map(
            move |(ws, flow)| {
                Node::Texts(
                    langs.iter().map(|l| (*l).to_owned()).zip(ws).collect(),
                    flow,
                )
            },
        );
        if langs.len() == 1 {
            prop_oneof![word(), map].boxed()
        } else {
            map.boxed()
        }
    }

    /// Key order is free in YAML: entries are shuffled by `order`.
    fn shuffled<K>(mut entries: Vec<(K, Node)>, order: &[usize]) -> Vec<(K, Node)> {
        for (i, &j) in order.iter().enumerate() {
            let n = entries.len();
            if n > 1 {
                entries.swap(i % n, j % n);
            }
        }
        entries
    }

    type Entries = Vec<(&'static str, Node)>;

    /// Optional entries: each kept or dropped by its flag.
    fn some(entries: Vec<(bool, &'static str, Node)>) -> Entries {
        entries
            .into_iter()
            .filter(|(keep, ..)| *keep)
            .map(|(_, k, v)| (k, v))
            .collect()
    }

    fn map(entries: Entries, order: Vec<usize>, flow: bool) -> Node {
        Node::Map(shuffled(entries, &order), flow)
    }

    fn order() -> impl Strategy<Value = Vec<usize>> {
        prop::collection::vec(any::<usize>(), 0..6)
    }

    fn choice(
        langs: &'static [&'static str],
        n: usize,
        ind: String,
    ) -> impl Strategy<Value = Node> {
        (
            id(format!("c{n}")),
            text(langs),
            any::<(bool, bool, bool)>(),
            prop::sample::select(BOOLS),
            order(),
            any::<bool>(),
        )
            .prop_map(move |(cid, label, (r, e, f), b, ord, flow)| {
                let mut entries = vec![("id", cid), ("label", label)];
                entries.extend(some(vec![
                    (r, "raises", Node::Seq(vec![plain(&ind)], flow)),
                    (e, "exclusive", plain(b)),
                    (f, "fills", plain("none")),
                ]));
                map(entries, ord, flow)
            })
    }

    fn question(
        langs: &'static [&'static str],
        n: usize,
        ind: String,
    ) -> impl Strategy<Value = Node> {
        let kind = prop::sample::select(
            &[
                "yes_no", "single", "multi", "number", "text", "date", "info",
            ][..],
        );
        (
            kind,
            id(format!("q{n}")),
            text(langs),
            (text(langs), any::<[bool; 8]>()),
            (prop::sample::select(BOOLS), prop::sample::select(BOOLS)),
            (prop::sample::select(NUMBERS), prop::sample::select(NUMBERS)),
            prop::collection::vec(choice(langs, n, ind.clone()), 0..3),
            (order(), any::<bool>(), style()),
        )
            .prop_map(
                move |(
                    kind,
                    qid,
                    txt,
                    (guidance, flags),
                    (b1, b2),
                    (lo, hi),
                    choices,
                    (ord, flow, st),
                )| {
                    let [g, o, r, a, s, x, gt, fl] = flags;
                    let mut entries = vec![("id", qid), ("kind", plain(kind)), ("text", txt)];
                    entries.extend(some(vec![
                        (g, "guidance", guidance),
                        (o, "observation", plain(b1)),
                        (r, "required", plain(b2)),
                        (
                            a,
                            "allow",
                            Node::Seq(vec![plain("dont_know"), plain("declined")], flow),
                        ),
                        (s, "show_if", Node::Scalar("q0 == 'yes'".into(), st)),
                        (
                            gt,
                            "goto",
                            Node::Seq(
                                vec![
                                    Node::Map(
                                        vec![
                                            ("if", Node::Scalar("q0 != 'no'".into(), st)),
                                            ("to", plain("end")),
                                        ],
                                        flow,
                                    ),
                                    Node::Map(vec![("to", plain("end"))], !flow),
                                ],
                                false,
                            ),
                        ),
                        (fl, "fills", plain("details.custody")),
                    ]));
                    match kind {
                        "yes_no" if x => entries.push((
                            "raises",
                            Node::Map(
                                vec![
                                    ("yes", Node::Seq(vec![plain(&ind)], flow)),
                                    ("no", Node::Seq(Vec::new(), true)),
                                ],
                                flow,
                            ),
                        )),
                        "single" | "multi" => {
                            entries.push(("choices", Node::Seq(choices, x && flow)));
                        }
                        "number" if x => {
                            entries.push(("min", plain(lo)));
                            entries.push(("max", plain(hi)));
                        }
                        _ => {}
                    }
                    map(entries, ord, false)
                },
            )
    }

    fn section(langs: &'static [&'static str], n: usize) -> impl Strategy<Value = Node> {
        (
            id(format!("s{n}")),
            text(langs),
            (text(langs), any::<(bool, bool)>()),
            prop::collection::vec(0usize..1000, 0..4),
            order(),
        )
            .prop_flat_map(move |(sid, title, (intro, (i, s)), qs, ord)| {
                let questions: Vec<_> = qs
                    .iter()
                    .enumerate()
                    .map(|(k, _)| question(langs, n * 10 + k, format!("i{}", k % 2)))
                    .collect();
                (
                    questions,
                    Just((sid.clone(), title.clone(), intro.clone(), i, s, ord.clone())),
                )
                    .prop_map(|(questions, (sid, title, intro, i, s, ord))| {
                        let mut entries = vec![("id", sid), ("title", title)];
                        entries.extend(some(vec![
                            (i, "intro", intro),
                            (s, "show_if", plain("q0 == 'yes'")),
                        ]));
                        entries.push(("questions", Node::Seq(questions, false)));
                        map(entries, ord, false)
                    })
            })
    }

    fn questionnaire() -> impl Strategy<Value = String> {
        prop_oneof![Just(&["en"][..]), Just(&["nb", "en"][..])].prop_flat_map(|langs| {
            (
                (text(langs), text(langs), any::<bool>(), style()),
                (text(langs), prop::sample::select(NUMBERS), any::<bool>()),
                (
                    text(langs),
                    text(langs),
                    prop::sample::select(BOOLS),
                    any::<bool>(),
                ),
                prop::collection::vec(section(langs, 0), 1..3),
                (text(langs), text(langs)),
                (order(), any::<bool>()),
            )
                .prop_map(
                    move |(
                        (title, description, d, vst),
                        (ilabel, weight, w),
                        (flabel, fadvice, imm, f),
                        sections,
                        (olabel, oadvice),
                        (ord, flow),
                    )| {
                        let dimension = Node::Map(
                            vec![
                                ("id", plain("d0")),
                                ("label", ilabel.clone()),
                                ("positive_when", Node::Scalar("strong() >= 1".into(), vst)),
                            ],
                            flow,
                        );
                        let indicators = (0..2)
                            .map(|k| {
                                let mut e = vec![
                                    ("id", plain(&format!("i{k}"))),
                                    ("dimension", plain("d0")),
                                    ("strength", plain(["strong", "medium", "weak"][k])),
                                    ("label", ilabel.clone()),
                                ];
                                if w {
                                    e.push(("weight", plain(weight)));
                                }
                                Node::Map(e, flow && k == 0)
                            })
                            .collect();
                        let outcome = Node::Map(
                            vec![
                                ("id", plain("none_seen")),
                                ("label", olabel),
                                ("advice", oadvice),
                                ("referral", plain("offered")),
                            ],
                            false,
                        );
                        let mut entries = vec![
                            ("format", plain("1")),
                            ("id", plain("gen")),
                            ("version", Node::Scalar("2025.1".into(), vst)),
                            (
                                "languages",
                                Node::Seq(langs.iter().map(|l| plain(l)).collect(), flow),
                            ),
                            ("title", title),
                            ("dimensions", Node::Seq(vec![dimension], false)),
                            ("indicators", Node::Seq(indicators, false)),
                            ("sections", Node::Seq(sections, false)),
                            ("outcomes", Node::Seq(vec![outcome], false)),
                        ];
                        entries.extend(some(vec![
                            (
                                w,
                                "translations",
                                Node::Seq(
                                    vec![Node::Map(
                                        vec![("lang", plain("ro")), ("file", plain("ro.po"))],
                                        flow,
                                    )],
                                    false,
                                ),
                            ),
                            (d, "description", description),
                            (
                                f,
                                "flags",
                                Node::Seq(
                                    vec![Node::Map(
                                        vec![
                                            ("id", plain("danger")),
                                            ("label", flabel),
                                            ("advice", fadvice),
                                            ("immediate", plain(imm)),
                                        ],
                                        false,
                                    )],
                                    false,
                                ),
                            ),
                        ]));
                        let mut out = String::new();
                        if flow {
                            out.push_str("# generated\n---\n");
                        }
                        out.push_str(&block(&map(entries, ord, false), 0));
                        out
                    },
                )
        })
    }

    // -----------------------------------------------------------------------------------------
    // Broken variants
    // -----------------------------------------------------------------------------------------

    const TOKENS: &[&str] = &[
        "\n",
        " ",
        "  ",
        ":",
        ": ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "#",
        "&a ",
        "*a",
        "!!str ",
        "!x ",
        "'",
        "\"",
        "~",
        "null",
        "---\n",
        "...\n",
        "<<: ",
        "|\n",
        ">\n",
        "\t",
        "id: x\n",
        "? ",
        "%YAML 1.2\n",
        "\\",
        "true",
        "1",
        "-",
        ".inf",
        "0x1",
        "\u{feff}",
    ];

    fn seeds() -> Vec<String> {
        repository_files()
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .filter(|t| parse(t).is_some())
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn generated_questionnaires_take_the_fast_path_and_agree(text in questionnaire()) {
            prop_assert!(agree(&text), "the fast path gave way on:\n{text}");
        }

        #[test]
        fn broken_generated_questionnaires_agree(
            text in questionnaire(),
            ms in prop::collection::vec(mutation(TOKENS), 1..4),
        ) {
            agree(&ms.iter().fold(text, |t, m| apply(&t, m)));
        }

        #[test]
        fn broken_repository_files_agree(
            seed in prop::sample::select(seeds()),
            ms in prop::collection::vec(mutation(TOKENS), 1..4),
        ) {
            agree(&ms.iter().fold(seed, |t, m| apply(&t, m)));
        }
    }
}
