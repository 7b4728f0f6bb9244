//! Styles. Colour is only ever a second signal: every state also shows as text, a marker or a
//! modifier (bold, reversed), so the screens read the same with `NO_COLOR` or a monochrome
//! terminal.

use ratatui::style::{Color, Modifier, Style};

/// The styles of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// False when `NO_COLOR` is set (https://no-color.org): modifiers only.
    pub color: bool,
}

impl Theme {
    /// The theme for this process: no colour when `NO_COLOR` is set to anything non-empty.
    #[must_use]
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self { color: !no_color }
    }

    /// A theme with colour (`true`) or without.
    #[must_use]
    pub fn new(color: bool) -> Self {
        Self { color }
    }

    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    /// Screen titles.
    #[must_use]
    pub fn title(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// The focused row or field (also marked with `>` by the screens).
    #[must_use]
    pub fn focus(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// Warnings that need attention (observation items, flags).
    #[must_use]
    pub fn warn(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// Errors (always also worded as an error).
    #[must_use]
    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// Secondary text: the interpreter's language, hints.
    #[must_use]
    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::Gray).add_modifier(Modifier::ITALIC)
        } else {
            Style::new().add_modifier(Modifier::ITALIC)
        }
    }

    /// Key names in the footer and help.
    #[must_use]
    pub fn key(self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }

    /// Plain emphasis.
    #[must_use]
    pub fn bold(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_colour_only_modifiers_remain() {
        let t = Theme::new(false);
        for style in [t.title(), t.warn(), t.error(), t.dim(), t.key(), t.focus()] {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
            assert!(!style.add_modifier.is_empty(), "still marked: {style:?}");
        }
        assert_eq!(Theme::new(true).error().fg, Some(Color::Red));
    }
}
