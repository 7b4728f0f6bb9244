//! A one-field text input on top of `ratatui-textarea`: real editing (cursor keys, Home/End,
//! word moves, undo) and the real terminal cursor placed in it, so screen readers follow.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

/// An editable text value. Enter is never inserted: the screens use it to confirm.
#[derive(Debug, Clone)]
pub struct LineInput {
    area: TextArea<'static>,
}

impl Default for LineInput {
    fn default() -> Self {
        Self::new("")
    }
}

impl LineInput {
    /// An input holding `value`, with the cursor at its end.
    #[must_use]
    pub fn new(value: &str) -> Self {
        let mut area = TextArea::new(vec![value.replace(['\n', '\r'], " ")]);
        area.move_cursor(CursorMove::End);
        // The drawn cursor cell is left to the terminal's own cursor.
        area.set_cursor_line_style(Style::new());
        area.set_wrap_mode(WrapMode::WordOrGlyph);
        Self { area }
    }

    /// The text typed so far, trimmed of surrounding spaces.
    #[must_use]
    pub fn value(&self) -> String {
        self.area.lines().join(" ").trim().to_string()
    }

    /// True when nothing but spaces was typed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.value().is_empty()
    }

    /// Applies one key; Enter and Tab are ignored (the screens use them to move on).
    pub fn key(&mut self, key: KeyEvent) {
        if matches!(key.code, KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab) {
            return;
        }
        self.area.input(key);
    }

    /// Draws the input in `area`; when `focused`, puts the terminal cursor on the text cursor.
    pub fn render(&self, frame: &mut Frame, area: Rect, focused: bool, style: Style) {
        let mut shown = self.area.clone();
        shown.set_style(style);
        if !focused {
            shown.set_cursor_style(style);
        }
        frame.render_widget(&shown, area);
        if focused {
            let cursor = shown.screen_cursor();
            let (top, left) = shown.scroll_offset();
            let row = cursor.row.saturating_sub(usize::from(top));
            let col = cursor.col.saturating_sub(usize::from(left));
            let x = area
                .x
                .saturating_add(u16::try_from(col).unwrap_or(u16::MAX));
            let y = area
                .y
                .saturating_add(u16::try_from(row).unwrap_or(u16::MAX));
            if x < area.right() && y < area.bottom() {
                frame.set_cursor_position(Position::new(x, y));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_and_editing() {
        let mut i = LineInput::new("Bredtveit");
        i.key(k(KeyCode::Backspace));
        i.key(k(KeyCode::Char('X')));
        i.key(k(KeyCode::Enter));
        assert_eq!(i.value(), "BredtveiX");
        i.key(k(KeyCode::Home));
        i.key(k(KeyCode::Char('>')));
        assert_eq!(i.value(), ">BredtveiX");
    }

    #[test]
    fn newlines_in_defaults_are_flattened() {
        assert_eq!(LineInput::new("a\nb").value(), "a b");
        assert!(LineInput::new("  ").is_empty());
    }
}
