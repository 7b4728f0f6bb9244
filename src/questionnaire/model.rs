//! The in-memory model of a format-1 questionnaire.
//!
//! These types know nothing of YAML: `load.rs` builds them from a file and records where each
//! item stands (`Pos`), so that every finding of the linter can name a line and column.

use ahash::{HashMap, HashMapExt};

use super::expr::Expr;

/// Where something stands in the source file. Lines and columns start at 1; columns count
/// characters, `offset` and `len` count bytes (what miette needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// Byte offset of the item in the source text.
    pub offset: usize,
    /// Byte length of the item in the source text (0 when unknown).
    pub len: usize,
}

/// An identifier together with where it was written.
#[derive(Debug, Clone)]
pub struct Id {
    /// The identifier as written.
    pub name: String,
    /// Where it stands in the file.
    pub pos: Pos,
}

impl Id {
    /// The identifier as a string slice.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.name
    }
}

impl PartialEq for Id {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// A text in every declared language, in the order the file gave them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Text {
    /// `(language, text)` pairs.
    pub entries: Vec<(String, String)>,
    /// Where the text stands in the file.
    pub pos: Pos,
}

impl Text {
    /// The text in `lang`, if the file gives it.
    #[must_use]
    pub fn get(&self, lang: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(l, _)| l == lang)
            .map(|(_, t)| t.as_str())
    }

    /// The text in `lang`, or else the first one given (the linter guarantees every declared
    /// language is present in a clean file, so the fallback only matters for broken files).
    #[must_use]
    pub fn show(&self, lang: &str) -> &str {
        self.get(lang)
            .or_else(|| self.entries.first().map(|(_, t)| t.as_str()))
            .unwrap_or("")
    }
}

/// A condition written in the expression language, with its parsed form.
#[derive(Debug, Clone)]
pub struct Cond {
    /// The expression exactly as written.
    pub source: String,
    /// Where the expression's text starts in the file (inside the quotes, if quoted).
    pub pos: Pos,
    /// The parsed expression, or the syntax error (reported by lint as `expression-syntax`).
    pub parsed: Result<Expr, super::expr::SyntaxError>,
}

/// How strongly an indicator points to trafficking (ILO: strong, medium, weak).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Strength {
    /// A strong indicator.
    Strong,
    /// A medium indicator.
    Medium,
    /// A weak indicator.
    Weak,
}

impl Strength {
    /// The word used in the file.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Strong => "strong",
            Self::Medium => "medium",
            Self::Weak => "weak",
        }
    }
}

/// Whether an outcome recommends, offers or does not lead to a referral to ROSA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralAdvice {
    /// Refer (with consent).
    Recommended,
    /// Offer a referral.
    Offered,
    /// No referral from this outcome.
    None,
}

impl ReferralAdvice {
    /// The word used in the file.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Recommended => "recommended",
            Self::Offered => "offered",
            Self::None => "none",
        }
    }
}

/// The kinds of question of format 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Answered `yes` or `no`.
    YesNo,
    /// One of the listed choices.
    Single,
    /// Any number of the listed choices.
    Multi,
    /// A number, optionally bounded by `min` and `max`.
    Number,
    /// Free text.
    Text,
    /// An ISO 8601 date (`2027-01-15`).
    Date,
    /// Shown text that takes no answer.
    Info,
}

impl Kind {
    /// The word used in the file.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::YesNo => "yes_no",
            Self::Single => "single",
            Self::Multi => "multi",
            Self::Number => "number",
            Self::Text => "text",
            Self::Date => "date",
            Self::Info => "info",
        }
    }
}

/// One choice of a `single`, `multi` or (synthesised by the loader) `yes_no` question.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The choice id (the answer value).
    pub id: Id,
    /// What the officer sees.
    pub label: Text,
    /// Indicators and flags raised when this choice is given.
    pub raises: Vec<Id>,
    /// `multi` only: this choice (such as "none of these") can only be chosen alone.
    pub exclusive: bool,
    /// The value this choice gives the field its question fills (`named`, `pending`, ...), with
    /// where it was written; `None` when the file gives none.
    pub fills: Option<Id>,
}

/// A field of the screening or referral that a question's answer can fill (`fills:`), so the
/// program never asks for it twice and never names a question id in code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FillField {
    /// `referral.consent`: the person's consent to a referral (`named`, `anonymous`, `none`).
    ReferralConsent,
    /// `referral.release_date`: the release or transfer date (a date question).
    ReferralReleaseDate,
    /// `referral.expulsion`: whether expulsion is expected (`yes`, `no`, `pending`, `unknown`).
    ReferralExpulsion,
    /// `details.interpreter`: how an interpreter takes part (`none`, `in_person`, `phone`).
    DetailsInterpreter,
    /// `details.custody`: remand, sentenced or other.
    DetailsCustody,
}

impl FillField {
    /// Every field, in the order the format lists them.
    pub const ALL: [FillField; 5] = [
        Self::ReferralConsent,
        Self::ReferralReleaseDate,
        Self::ReferralExpulsion,
        Self::DetailsInterpreter,
        Self::DetailsCustody,
    ];

    /// The name used in the file (`referral.consent`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReferralConsent => "referral.consent",
            Self::ReferralReleaseDate => "referral.release_date",
            Self::ReferralExpulsion => "referral.expulsion",
            Self::DetailsInterpreter => "details.interpreter",
            Self::DetailsCustody => "details.custody",
        }
    }

    /// The field named `name` in a file.
    #[must_use]
    pub fn from_name(name: &str) -> Option<FillField> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The question kind that can fill the field.
    #[must_use]
    pub fn kind(self) -> Kind {
        match self {
            Self::ReferralReleaseDate => Kind::Date,
            _ => Kind::Single,
        }
    }

    /// The values each choice says it fills (`fills: named`); empty for a date field, which
    /// takes the answer itself.
    #[must_use]
    pub fn values(self) -> &'static [&'static str] {
        match self {
            Self::ReferralConsent => &["named", "anonymous", "none"],
            Self::ReferralReleaseDate => &[],
            Self::ReferralExpulsion => &["yes", "no", "pending", "unknown"],
            Self::DetailsInterpreter => &["none", "in_person", "phone"],
            Self::DetailsCustody => &["remand", "sentenced", "other"],
        }
    }
}

impl std::fmt::Display for FillField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A question's `fills:`: the field, and where it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fills {
    /// The field filled.
    pub field: FillField,
    /// Where `fills:`'s value stands.
    pub pos: Pos,
}

/// Where a `goto` goes.
#[derive(Debug, Clone)]
pub struct Goto {
    /// The condition; `None` means always (allowed on the last entry).
    pub cond: Option<Cond>,
    /// A later question or section id, or `end`.
    pub to: Id,
    /// Where the entry stands.
    pub pos: Pos,
}

impl Goto {
    /// True when the target is the end of the interview.
    #[must_use]
    pub fn is_end(&self) -> bool {
        self.to.name == "end"
    }
}

/// Which special answers a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allow {
    /// "Don't know" is offered.
    pub dont_know: bool,
    /// "Declined" (the person does not want to answer) is offered.
    pub declined: bool,
}

impl Default for Allow {
    fn default() -> Self {
        Self {
            dont_know: true,
            declined: true,
        }
    }
}

/// One question (or `info` item).
#[derive(Debug, Clone)]
pub struct Question {
    /// The question id.
    pub id: Id,
    /// Its kind.
    pub kind: Kind,
    /// What is asked (or, for `info`, shown).
    pub text: Text,
    /// For the officer only: how to ask, what to listen for.
    pub guidance: Option<Text>,
    /// Answered from what the officer saw or knows; not asked aloud.
    pub observation: bool,
    /// An answer (possibly a special one) is needed to go on.
    pub required: bool,
    /// Which special answers are offered.
    pub allow: Allow,
    /// Asked only when this holds.
    pub show_if: Option<Cond>,
    /// Choices: from the file for `single` and `multi`; `yes` and `no` for `yes_no` (with the
    /// file's `raises:` attached), empty otherwise.
    pub choices: Vec<Choice>,
    /// Where the `choices:` value was written, if it was (so that `choices: []` is reported
    /// on its own line, and a missing `choices:` at the question).
    pub choices_pos: Option<Pos>,
    /// Inclusive lower bound of a number question.
    pub min: Option<f64>,
    /// Inclusive upper bound of a number question.
    pub max: Option<f64>,
    /// Jumps evaluated after the question was shown; the first that holds wins.
    pub goto: Vec<Goto>,
    /// The field of the screening or referral this question's answer also fills.
    pub fills: Option<Fills>,
    /// Index of the section this question belongs to.
    pub section: usize,
    /// Where the question starts in the file.
    pub pos: Pos,
}

impl Question {
    /// The choice with this id, if any.
    #[must_use]
    pub fn choice(&self, id: &str) -> Option<&Choice> {
        self.choices.iter().find(|c| c.id.name == id)
    }
}

/// A section of questions.
#[derive(Debug, Clone)]
pub struct Section {
    /// The section id.
    pub id: Id,
    /// Its title.
    pub title: Text,
    /// Shown at the start of the section.
    pub intro: Option<Text>,
    /// The whole section is skipped when this does not hold.
    pub show_if: Option<Cond>,
    /// Its questions in order.
    pub questions: Vec<Question>,
    /// Where the section starts in the file.
    pub pos: Pos,
}

/// A dimension groups indicators (for example the ILO's "coercion at destination").
#[derive(Debug, Clone)]
pub struct Dimension {
    /// The dimension id.
    pub id: Id,
    /// Its label.
    pub label: Text,
    /// When the dimension counts as present.
    pub positive_when: Cond,
    /// Where it stands in the file.
    pub pos: Pos,
}

/// An indicator: a sign of trafficking raised by answers or by a condition.
#[derive(Debug, Clone)]
pub struct Indicator {
    /// The indicator id.
    pub id: Id,
    /// The dimension it belongs to.
    pub dimension: Id,
    /// Its strength.
    pub strength: Strength,
    /// Summed by `score(dimension)`; default 1.
    pub weight: f64,
    /// What the officer sees in the summary.
    pub label: Text,
    /// Raised when this holds, besides any `raises`.
    pub when: Option<Cond>,
    /// Where it stands in the file.
    pub pos: Pos,
}

/// A flag: something that calls for an action of its own, whatever the outcome.
#[derive(Debug, Clone)]
pub struct Flag {
    /// The flag id.
    pub id: Id,
    /// Its label.
    pub label: Text,
    /// What the officer must do.
    pub advice: Text,
    /// Raised when this holds, besides any `raises`.
    pub when: Option<Cond>,
    /// Shown with its advice the moment an answer raises it, before the next question.
    pub immediate: bool,
    /// Where it stands in the file.
    pub pos: Pos,
}

/// A possible result of a screening; the first whose `when` holds is the result.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The outcome id.
    pub id: Id,
    /// The condition; `None` on the last (default) outcome.
    pub when: Option<Cond>,
    /// Its label.
    pub label: Text,
    /// What the officer should do now.
    pub advice: Text,
    /// Whether a referral is recommended, offered or not made.
    pub referral: ReferralAdvice,
    /// Where it stands in the file.
    pub pos: Pos,
}

/// The file a questionnaire was loaded from: its name and exact text.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// The file name as given by the user (or `built-in:...`).
    pub name: String,
    /// The exact YAML text.
    pub text: String,
    /// The exact text of each translation's PO file, in the order `translations:` lists
    /// them: part of the questionnaire's content (its hash and stored snapshot).
    pub translations: Vec<TranslationSource>,
}

/// The exact text of one translation's PO file, as read (or as stored with a snapshot).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TranslationSource {
    /// The person's language (`ro`).
    pub lang: String,
    /// The file as `translations:` names it (relative to the questionnaire file).
    pub file: String,
    /// The PO file's exact text.
    pub text: String,
}

/// A translation for the person being interviewed (`translations:`): a language the person
/// reads, kept in a gettext PO file.
#[derive(Debug, Clone)]
pub struct Translation {
    /// The language (`ro`), with where it was written.
    pub lang: Id,
    /// The file as written in `translations:`.
    pub file: String,
    /// The file as findings name it (joined to the questionnaire file's folder).
    pub path: String,
    /// Where the entry's `file:` value stands in the questionnaire.
    pub pos: Pos,
    /// The PO file's messages.
    pub messages: Vec<super::po::PoMessage>,
    /// msgctxt -> indexes into `messages`, built by [`Translation::new`].
    by_place: HashMap<String, Vec<usize>>,
}

impl Translation {
    /// A translation with its messages indexed by place.
    #[must_use]
    pub fn new(
        lang: Id,
        file: String,
        path: String,
        pos: Pos,
        messages: Vec<super::po::PoMessage>,
    ) -> Self {
        let mut by_place: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, m) in messages.iter().enumerate() {
            if let Some(c) = &m.ctxt {
                by_place.entry(c.clone()).or_default().push(i);
            }
        }
        Self {
            lang,
            file,
            path,
            pos,
            messages,
            by_place,
        }
    }

    /// The messages whose msgctxt is `place`.
    pub fn at(&self, place: &str) -> impl Iterator<Item = &super::po::PoMessage> {
        self.by_place
            .get(place)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.messages.get(i))
    }

    /// The translation of the text at `place` whose source (first-language) text is `source`:
    /// only a message whose msgctxt and msgid both match, not fuzzy and not empty, so that a
    /// person never reads the old meaning of a changed text.
    #[must_use]
    pub fn get(&self, place: &str, source: &str) -> Option<&str> {
        self.at(place)
            .find(|m| m.id == source && !m.fuzzy && !m.text.is_empty())
            .map(|m| m.text.as_str())
    }
}

/// What kind of thing an id names (they share one namespace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// A section, by index.
    Section(usize),
    /// A question, by its position in file order (see [`Questionnaire::questions`]).
    Question(usize),
    /// A dimension, by index.
    Dimension(usize),
    /// An indicator, by index.
    Indicator(usize),
    /// A flag, by index.
    Flag(usize),
    /// An outcome, by index.
    Outcome(usize),
}

/// A whole questionnaire in format 1.
#[derive(Debug, Clone, Default)]
pub struct Questionnaire {
    /// The questionnaire id.
    pub id: String,
    /// The content version trainers bump.
    pub version: String,
    /// Declared languages; the first is the default.
    pub languages: Vec<String>,
    /// The title.
    pub title: Text,
    /// An optional description.
    pub description: Option<Text>,
    /// Dimensions in file order.
    pub dimensions: Vec<Dimension>,
    /// Indicators in file order.
    pub indicators: Vec<Indicator>,
    /// Flags in file order.
    pub flags: Vec<Flag>,
    /// Sections in file order.
    pub sections: Vec<Section>,
    /// Outcomes in file order; the last is the default.
    pub outcomes: Vec<Outcome>,
    /// Languages the person reads (`translations:`), each with its PO file's messages.
    pub translations: Vec<Translation>,
    /// The file it came from.
    pub source: Source,
    /// (section, question) index pairs in file order; the interview walks this list.
    order: Vec<(usize, usize)>,
    /// The first definition of each id (duplicates are reported by lint).
    names: HashMap<String, Named>,
}

impl Questionnaire {
    /// True when one of its questions fills `field` (`fills:`), so no form asks for it.
    #[must_use]
    pub fn asks(&self, field: FillField) -> bool {
        self.questions()
            .any(|q| q.fills.is_some_and(|f| f.field == field))
    }

    /// Rebuilds the id index and the question order; the loader calls it once after building
    /// the sections and lists.
    pub fn index(&mut self) {
        self.order.clear();
        self.names.clear();
        for (si, s) in self.sections.iter().enumerate() {
            self.names
                .entry(s.id.name.clone())
                .or_insert(Named::Section(si));
            for (qi, q) in s.questions.iter().enumerate() {
                self.names
                    .entry(q.id.name.clone())
                    .or_insert(Named::Question(self.order.len()));
                self.order.push((si, qi));
            }
        }
        for (i, d) in self.dimensions.iter().enumerate() {
            self.names
                .entry(d.id.name.clone())
                .or_insert(Named::Dimension(i));
        }
        for (i, x) in self.indicators.iter().enumerate() {
            self.names
                .entry(x.id.name.clone())
                .or_insert(Named::Indicator(i));
        }
        for (i, f) in self.flags.iter().enumerate() {
            self.names
                .entry(f.id.name.clone())
                .or_insert(Named::Flag(i));
        }
        for (i, o) in self.outcomes.iter().enumerate() {
            self.names
                .entry(o.id.name.clone())
                .or_insert(Named::Outcome(i));
        }
    }

    /// The default (first) language.
    #[must_use]
    pub fn default_language(&self) -> &str {
        self.languages.first().map_or("en", String::as_str)
    }

    /// What `id` names, if anything.
    #[must_use]
    pub fn lookup(&self, id: &str) -> Option<Named> {
        self.names.get(id).copied()
    }

    /// Every id the questionnaire defines (for "did you mean" suggestions).
    pub fn all_ids(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }

    /// Number of questions (including `info` items) in file order.
    #[must_use]
    pub fn question_count(&self) -> usize {
        self.order.len()
    }

    /// The question at position `index` in file order.
    #[must_use]
    pub fn question_at(&self, index: usize) -> Option<&Question> {
        let (s, q) = *self.order.get(index)?;
        self.sections.get(s)?.questions.get(q)
    }

    /// All questions in file order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    /// The question with this id.
    #[must_use]
    pub fn question(&self, id: &str) -> Option<&Question> {
        match self.lookup(id)? {
            Named::Question(i) => self.question_at(i),
            _ => None,
        }
    }

    /// The position in file order of the question with this id.
    #[must_use]
    pub fn question_index(&self, id: &str) -> Option<usize> {
        match self.lookup(id)? {
            Named::Question(i) => Some(i),
            _ => None,
        }
    }

    /// Position in file order of the first question of section `section` (or the
    /// question count when the section and all after it are empty).
    #[must_use]
    pub fn section_start(&self, section: usize) -> usize {
        self.order
            .iter()
            .position(|&(s, _)| s >= section)
            .unwrap_or(self.order.len())
    }

    /// The indicator with this id.
    #[must_use]
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        match self.lookup(id)? {
            Named::Indicator(i) => self.indicators.get(i),
            _ => None,
        }
    }

    /// The flag with this id.
    #[must_use]
    pub fn flag(&self, id: &str) -> Option<&Flag> {
        match self.lookup(id)? {
            Named::Flag(i) => self.flags.get(i),
            _ => None,
        }
    }

    /// The dimension with this id.
    #[must_use]
    pub fn dimension(&self, id: &str) -> Option<&Dimension> {
        match self.lookup(id)? {
            Named::Dimension(i) => self.dimensions.get(i),
            _ => None,
        }
    }

    /// The outcome with this id.
    #[must_use]
    pub fn outcome(&self, id: &str) -> Option<&Outcome> {
        match self.lookup(id)? {
            Named::Outcome(i) => self.outcomes.get(i),
            _ => None,
        }
    }

    /// The translation into the person's language `lang`, if the questionnaire has one.
    #[must_use]
    pub fn translation(&self, lang: &str) -> Option<&Translation> {
        self.translations.iter().find(|t| t.lang.name == lang)
    }

    /// The section with this id.
    #[must_use]
    pub fn section(&self, id: &str) -> Option<&Section> {
        match self.lookup(id)? {
            Named::Section(i) => self.sections.get(i),
            _ => None,
        }
    }
}
