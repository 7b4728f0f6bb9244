//! The interview's answer widget, apart from the screen around it: how the current question is
//! answered (one choice, a tick list, a typed line, or Enter to continue), as its own state
//! ([`AnswerInput`]), its update (focus, pick, tick, type, and the answer it gives) and its view
//! ([`AnswerInput::view`]: the rows wrapped to a width, then drawn). The interview screen owns
//! the session, records what the widget gives and lays it out; the widget never sees the store.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::questionnaire::{Kind, Question};
use crate::screening::{Answer, Entry};
use crate::tui::input::LineInput;
use crate::tui::theme::Theme;
use crate::tui::wrap;
use crate::words::fmt;
use crate::words::officer::Strings;

/// How the current question is answered on screen.
#[derive(Debug, Clone)]
pub enum AnswerInput {
    /// An `info` item, or the end of the questions: Enter continues.
    Continue,
    /// `yes_no` and `single`: one choice; `None` until the officer picks (nothing is
    /// pre-selected, so a stray Enter cannot record an answer).
    Choice(Option<usize>),
    /// `multi`: the focused row and which choices are ticked.
    Multi {
        /// Focused row.
        cursor: usize,
        /// Ticked choices, in the question's order.
        chosen: Vec<bool>,
    },
    /// `number`, `text`, `date`: typed.
    Line(Box<LineInput>),
}

impl AnswerInput {
    /// The widget for `q`, showing its stored answer, if any (`None`: the end of the
    /// questions).
    #[must_use]
    pub fn for_question(q: Option<&Question>, entry: Option<&Entry>) -> Self {
        let Some(q) = q else {
            return Self::Continue;
        };
        let stored = entry.and_then(|e| e.answer.as_ref());
        match q.kind {
            Kind::Info => Self::Continue,
            Kind::YesNo | Kind::Single => Self::Choice(match stored {
                Some(Answer::Choice(id)) => q.choices.iter().position(|c| c.id.name == *id),
                _ => None,
            }),
            Kind::Multi => Self::Multi {
                cursor: 0,
                chosen: q
                    .choices
                    .iter()
                    .map(|c| {
                        matches!(stored, Some(Answer::Choices(ids)) if ids.contains(&c.id.name))
                    })
                    .collect(),
            },
            Kind::Number | Kind::Text | Kind::Date => {
                Self::Line(Box::new(LineInput::new(&match stored {
                    Some(Answer::Number(n)) => fmt::number(*n),
                    Some(Answer::Text(t) | Answer::Date(t)) => t.clone(),
                    _ => String::new(),
                })))
            }
        }
    }

    /// Text is being typed: letters belong to the answer, not to the screen's commands.
    #[must_use]
    pub fn typing(&self) -> bool {
        matches!(self, Self::Line(_))
    }

    /// The answer is picked from a list of choices.
    #[must_use]
    pub fn choosing(&self) -> bool {
        matches!(self, Self::Choice(_) | Self::Multi { .. })
    }

    /// The focused choice, if any.
    #[must_use]
    pub fn focus(&self) -> Option<usize> {
        match self {
            Self::Choice(c) => *c,
            Self::Multi { cursor, .. } => Some(*cursor),
            _ => None,
        }
    }

    /// Moves the focus one choice down (or up) among `n` choices; with nothing focused yet,
    /// down focuses the first and up the last.
    pub fn step(&mut self, down: bool, n: usize) {
        let last = n.saturating_sub(1);
        match self {
            Self::Choice(c) => {
                *c = Some(match (*c, down) {
                    (None, true) => 0,
                    (None, false) => last,
                    (Some(i), true) => (i + 1).min(last),
                    (Some(i), false) => i.saturating_sub(1),
                });
            }
            Self::Multi { cursor, .. } => {
                *cursor = if down {
                    (*cursor + 1).min(last)
                } else {
                    cursor.saturating_sub(1)
                };
            }
            _ => {}
        }
    }

    /// Picks choice `i` (one choice) or focuses and toggles it (a tick list). Returns the note
    /// (in `lang`) saying which ticks an exclusive choice cleared, if any.
    pub fn pick(
        &mut self,
        q: Option<&Question>,
        i: usize,
        lang: &str,
        s: &Strings,
    ) -> Option<String> {
        match self {
            Self::Choice(c) => {
                *c = Some(i);
                None
            }
            Self::Multi { cursor, .. } => {
                *cursor = i;
                self.toggle(q, lang, s)
            }
            _ => None,
        }
    }

    /// Toggles the focused choice of a tick list, keeping the `exclusive` rule: ticking an
    /// exclusive choice ("none of these") clears the others and the reverse, so the screen
    /// never holds a contradiction. Returns the short note saying what was cleared and why.
    pub fn toggle(&mut self, q: Option<&Question>, lang: &str, s: &Strings) -> Option<String> {
        let Self::Multi { cursor, chosen } = self else {
            return None;
        };
        let row = *cursor;
        match q {
            Some(q) => {
                let cleared = crate::tui::exclusive::toggle(q, chosen, row);
                crate::tui::exclusive::note(q, row, &cleared, lang, s)
            }
            None => {
                if let Some(x) = chosen.get_mut(row) {
                    *x = !*x;
                }
                None
            }
        }
    }

    /// Gives a key to the typed answer; false when nothing is being typed.
    pub fn edit(&mut self, key: KeyEvent) -> bool {
        match self {
            Self::Line(input) => {
                input.key(key);
                true
            }
            _ => false,
        }
    }

    /// The answer on screen for `q`: `Ok(None)` leaves the question empty (Enter on an `info`
    /// item, or on an empty typed line; the session refuses that for a required question),
    /// `Err` is the sentence saying why it cannot be taken as it is.
    ///
    /// # Errors
    /// No choice picked yet, or typed text that is not a value of the question's kind.
    pub fn answer(&self, q: &Question, s: &Strings) -> Result<Option<Answer>, String> {
        match self {
            Self::Continue => Ok(None),
            Self::Choice(None) => Err(s.choose_first.to_string()),
            Self::Choice(Some(i)) => q
                .choices
                .get(*i)
                .map(|c| Some(Answer::Choice(c.id.name.clone())))
                .ok_or_else(|| s.choose_first.to_string()),
            Self::Multi { chosen, .. } => Ok(Some(Answer::Choices(
                q.choices
                    .iter()
                    .zip(chosen)
                    .filter(|(_, on)| **on)
                    .map(|(c, _)| c.id.name.clone())
                    .collect(),
            ))),
            Self::Line(input) => {
                let text = input.value();
                if text.is_empty() {
                    return Ok(None);
                }
                Answer::parse(q, &text)
                    .map(Some)
                    .map_err(|e| fmt::answer_error(q, &e, s))
            }
        }
    }

    /// The widget laid out for `width` cells: every row wrapped (never clipped), ready to
    /// draw.
    #[must_use]
    pub fn view<'a>(&'a self, ctx: Context<'a>, width: usize) -> Drawn<'a> {
        let rows = match self {
            Self::Continue => wrap_rows(ctx.strings.press_enter, ctx.theme.dim(), width),
            Self::Choice(_) | Self::Multi { .. } => Vec::new(),
            Self::Line(_) => {
                let hint = match ctx.question.kind {
                    Kind::Number => fmt::bounds(ctx.question, ctx.strings),
                    Kind::Date => ctx.strings.date_hint.to_string(),
                    _ => ctx.strings.text_hint.to_string(),
                };
                wrap_rows(&hint, ctx.theme.dim(), width)
            }
        };
        let choices = if self.choosing() {
            self.choice_rows(&ctx, width)
        } else {
            Vec::new()
        };
        Drawn {
            input: self,
            ctx,
            choices,
            rows,
        }
    }

    /// Each choice as rows wrapped to `width`: the focus mark, number and tick box, then the
    /// label (with the person's language after a slash), continuation rows indented under the
    /// label so a choice never loses a word.
    fn choice_rows(&self, ctx: &Context<'_>, width: usize) -> Vec<Vec<Line<'static>>> {
        let focus = self.focus();
        ctx.question
            .choices
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let focused = focus == Some(i);
                let mark = match self {
                    Self::Multi { chosen, .. } => {
                        if chosen.get(i).copied().unwrap_or(false) {
                            "[x]"
                        } else {
                            "[ ]"
                        }
                    }
                    _ => {
                        if matches!(ctx.saved, Some(Answer::Choice(id)) if *id == c.id.name) {
                            "(*)"
                        } else {
                            "( )"
                        }
                    }
                };
                let mut label = c.label.show(ctx.lang).to_string();
                if let Some(pl) = ctx
                    .person
                    .and_then(|p| p.choice(ctx.question, c.id.as_str()))
                {
                    label = format!("{label} / {}", crate::tui::shown(pl));
                }
                let prefix = format!("{} {}. {mark} ", if focused { ">" } else { " " }, i + 1);
                let indent = wrap::width(&prefix);
                let style = if focused {
                    ctx.theme.focus()
                } else {
                    Style::new()
                };
                wrap::wrap_flush(&label, width.saturating_sub(indent).max(8))
                    .into_iter()
                    .enumerate()
                    .map(|(row, text)| {
                        let lead = if row == 0 {
                            prefix.clone()
                        } else {
                            " ".repeat(indent)
                        };
                        Line::styled(format!("{lead}{text}"), style)
                    })
                    .collect()
            })
            .collect()
    }
}

/// `text` wrapped to `width` with the hanging indent, in `style`.
fn wrap_rows(text: &str, style: Style, width: usize) -> Vec<Line<'static>> {
    wrap::wrap_line(&Line::styled(text.to_string(), style), width)
}

/// What the widget needs to know to draw itself.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The question on screen.
    pub question: &'a Question,
    /// Its saved answer (a saved choice is marked `(*)`).
    pub saved: Option<&'a Answer>,
    /// The officer's language.
    pub lang: &'a str,
    /// The person's language, when the choices are also shown in it (another of the
    /// questionnaire's languages, or a translation).
    pub person: Option<crate::questionnaire::translation::PersonLanguage<'a>>,
    /// The screens' words.
    pub strings: &'static Strings,
    /// Styles.
    pub theme: Theme,
    /// Keys go to the widget (no note editor or overview open over it): the typed line shows
    /// its cursor.
    pub active: bool,
}

/// The widget laid out for a width (see [`AnswerInput::view`]).
#[derive(Debug)]
pub struct Drawn<'a> {
    input: &'a AnswerInput,
    ctx: Context<'a>,
    /// Each choice's rows (choice lists).
    choices: Vec<Vec<Line<'static>>>,
    /// The line to continue, or the typed line's hint, wrapped.
    rows: Vec<Line<'static>>,
}

impl Drawn<'_> {
    /// Rows the whole widget takes.
    #[must_use]
    pub fn need(&self) -> u16 {
        let rows = if self.input.choosing() {
            self.choices.iter().map(Vec::len).sum::<usize>()
        } else if self.input.typing() {
            // The field's row, then the hint.
            1 + self.rows.len()
        } else {
            self.rows.len()
        };
        u16::try_from(rows).unwrap_or(u16::MAX).max(1)
    }

    /// The fewest rows the widget can be drawn in: its tallest choice (the list then scrolls
    /// around the focused one), else all of it.
    #[must_use]
    pub fn min(&self) -> u16 {
        if self.input.choosing() {
            u16::try_from(self.choices.iter().map(Vec::len).max().unwrap_or(1))
                .unwrap_or(u16::MAX)
                .max(1)
        } else {
            self.need()
        }
    }

    /// Draws the widget in `area`; returns where the terminal cursor belongs (the focused
    /// choice, the typed text, the line to continue).
    pub fn render(&self, frame: &mut Frame, area: Rect) -> Option<Position> {
        let t = self.ctx.theme;
        match self.input {
            AnswerInput::Continue => {
                frame.render_widget(Paragraph::new(self.rows.clone()), area);
                Some(Position::new(area.x, area.y))
            }
            AnswerInput::Choice(_) | AnswerInput::Multi { .. } => {
                let focus = self.input.focus();
                // Scroll so the focused choice is whole on screen, the ones before it above.
                let rows = usize::from(area.height);
                let focus_i = focus.unwrap_or(0).min(self.choices.len().saturating_sub(1));
                let mut top = focus_i;
                let mut used = self.choices.get(focus_i).map_or(1, Vec::len);
                while top > 0 && used + self.choices[top - 1].len() <= rows {
                    top -= 1;
                    used += self.choices[top].len();
                }
                let mut cursor = None;
                let mut y = area.y;
                for (i, choice) in self.choices.iter().enumerate().skip(top) {
                    let h = u16::try_from(choice.len()).unwrap_or(u16::MAX);
                    if y + h > area.bottom() {
                        break;
                    }
                    frame.render_widget(
                        Paragraph::new(choice.clone()),
                        Rect::new(area.x, y, area.width, h),
                    );
                    if focus == Some(i) {
                        cursor = Some(Position::new(area.x, y));
                    }
                    y += h;
                }
                if focus.is_none() {
                    cursor = Some(Position::new(area.x, area.y));
                }
                cursor
            }
            AnswerInput::Line(input) => {
                let label = format!("{}: ", self.ctx.strings.answer_word);
                let lw = u16::try_from(wrap::width(&label)).unwrap_or(0);
                frame.render_widget(
                    Paragraph::new(Line::styled(label, t.bold())),
                    Rect::new(area.x, area.y, lw.min(area.width), 1),
                );
                let field = Rect::new(
                    area.x + lw.min(area.width),
                    area.y,
                    area.width.saturating_sub(lw),
                    1,
                );
                input.render(frame, field, self.ctx.active, t.focus());
                let hint_h = area.height.saturating_sub(1);
                frame.render_widget(
                    Paragraph::new(self.rows.clone()),
                    Rect::new(area.x, area.y + 1, area.width, hint_h),
                );
                // The typed line places the cursor itself.
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    fn question(kind: &str) -> Question {
        let q = crate::tui::testing::example();
        let id = match kind {
            "number" => "age_estimate",
            "single" => "who_arranged",
            "multi" => "conditions",
            _ => "explain",
        };
        q.question(id).cloned().unwrap_or_else(|| panic!("{id}"))
    }

    #[test]
    fn nothing_is_picked_until_the_officer_picks() {
        let q = question("single");
        let s = crate::words::officer::Strings::of("en");
        let mut w = AnswerInput::for_question(Some(&q), None);
        assert_eq!(w.answer(&q, s), Err(s.choose_first.to_string()));
        w.step(true, q.choices.len());
        w.step(true, q.choices.len());
        assert_eq!(
            w.answer(&q, s),
            Ok(Some(Answer::Choice(q.choices[1].id.name.clone())))
        );
        w.step(false, q.choices.len());
        w.step(false, q.choices.len());
        assert_eq!(w.focus(), Some(0), "stops at the first");
    }

    #[test]
    fn a_tick_list_gives_what_is_ticked() {
        let q = question("multi");
        let s = crate::words::officer::Strings::of("en");
        let mut w = AnswerInput::for_question(Some(&q), None);
        assert_eq!(w.answer(&q, s), Ok(Some(Answer::Choices(Vec::new()))));
        w.pick(Some(&q), 2, "en", s);
        w.pick(Some(&q), 0, "en", s);
        let Ok(Some(Answer::Choices(ids))) = w.answer(&q, s) else {
            panic!("choices");
        };
        assert_eq!(
            ids,
            [q.choices[0].id.name.clone(), q.choices[2].id.name.clone()]
        );
    }

    #[test]
    fn a_typed_line_is_parsed_or_refused_with_a_sentence() {
        let q = question("number");
        let s = crate::words::officer::Strings::of("en");
        let mut w = AnswerInput::for_question(Some(&q), None);
        assert!(w.typing());
        assert_eq!(w.answer(&q, s), Ok(None), "empty leaves it empty");
        for c in "5".chars() {
            assert!(w.edit(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
        }
        assert!(w.answer(&q, s).is_err_and(|e| e.contains("outside")));
        w.edit(KeyEvent::new(KeyCode::Char('0'), KeyModifiers::NONE));
        assert_eq!(w.answer(&q, s), Ok(Some(Answer::Number(50.0))));
        assert!(!AnswerInput::Continue.edit(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE)));
    }

    #[test]
    fn a_long_hint_wraps_instead_of_being_cut() {
        let q = question("number");
        let w = AnswerInput::for_question(Some(&q), None);
        let ctx = Context {
            question: &q,
            saved: None,
            lang: "en",
            person: None,
            strings: crate::words::officer::Strings::of("en"),
            theme: Theme::new(false),
            active: true,
        };
        let narrow = w.view(ctx, 12);
        assert!(
            narrow.need() > 2,
            "the hint takes more than one row at 12 cells"
        );
        assert_eq!(w.view(ctx, 80).need(), 2);
    }
}
