//! Findings: what the loader and the linter report about a questionnaire file.

use serde::Serialize;

/// The lint codes of format 1 (see the format reference); the string form is the code users see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// The file is not valid YAML.
    Yaml,
    /// A field is missing, unknown, or of the wrong type.
    Schema,
    /// `format` is missing or not 1.
    FormatVersion,
    /// An id is used twice.
    DuplicateId,
    /// An expression, `raises`, `dimension` or `goto` names no such thing.
    UnknownReference,
    /// A `show_if` or question `goto` condition reads a later question.
    ForwardReference,
    /// A `goto` target is not after the question.
    BackwardGoto,
    /// An expression does not parse.
    ExpressionSyntax,
    /// A comparison or call that can never be meaningful.
    TypeMismatch,
    /// A text lacks a declared language.
    MissingTranslation,
    /// The last outcome has a `when`, or an outcome follows the default.
    NoDefaultOutcome,
    /// A single or multi question without choices.
    NoChoices,
    /// No answer and no `when` can raise the indicator.
    UnusedIndicator,
    /// No interview can reach the question.
    UnreachableQuestion,
    /// The outcome can never be the result.
    UnreachableOutcome,
    /// A section without questions.
    EmptySection,
    /// A translation file lacks some texts, or has fuzzy or stale ones (with the counts).
    Untranslated,
    /// A translation's `msgctxt` names no text of the questionnaire.
    StaleTranslation,
}

impl Code {
    /// The code as users see it (`unknown-reference`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yaml => "yaml",
            Self::Schema => "schema",
            Self::FormatVersion => "format-version",
            Self::DuplicateId => "duplicate-id",
            Self::UnknownReference => "unknown-reference",
            Self::ForwardReference => "forward-reference",
            Self::BackwardGoto => "backward-goto",
            Self::ExpressionSyntax => "expression-syntax",
            Self::TypeMismatch => "type-mismatch",
            Self::MissingTranslation => "missing-translation",
            Self::NoDefaultOutcome => "no-default-outcome",
            Self::NoChoices => "no-choices",
            Self::UnusedIndicator => "unused-indicator",
            Self::UnreachableQuestion => "unreachable-question",
            Self::UnreachableOutcome => "unreachable-outcome",
            Self::EmptySection => "empty-section",
            Self::Untranslated => "untranslated",
            Self::StaleTranslation => "stale-translation",
        }
    }

    /// The severity a finding with this code has.
    #[must_use]
    pub fn severity(self) -> Severity {
        match self {
            Self::UnusedIndicator
            | Self::UnreachableQuestion
            | Self::UnreachableOutcome
            | Self::EmptySection
            | Self::Untranslated
            | Self::StaleTranslation => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How serious a finding is: errors stop a questionnaire from being used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The questionnaire cannot be used until this is fixed.
    Error,
    /// Probably a mistake; the questionnaire still works.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// One problem found in a file. Serialises to the JSON of `lint --format json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The file as the user named it.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters), when known.
    pub column: Option<usize>,
    /// The lint code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// The id the finding concerns, when there is one.
    pub id: Option<String>,
    /// One sentence saying what is wrong (and, where it helps, how to fix it).
    pub message: String,
    /// Byte offset and length in the file, for the underlined snippet (not in the JSON).
    #[serde(skip)]
    pub span: Option<(usize, usize)>,
}

impl Finding {
    /// The one-line text form: `file:line:col: error[code] id: message`.
    #[must_use]
    pub fn to_line(&self) -> String {
        let col = self.column.map(|c| format!(":{c}")).unwrap_or_default();
        let id = self
            .id
            .as_ref()
            .map(|i| format!(" {i}:"))
            .unwrap_or_default();
        format!(
            "{}:{}{}: {}[{}]{} {}",
            self.file,
            self.line,
            col,
            self.severity.as_str(),
            self.code,
            id,
            self.message
        )
    }
}
