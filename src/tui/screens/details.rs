//! The details form before a new screening: unit, officer, the person's reference and a few
//! facts about them, the interview language and the interpreter. Unit and officer default to
//! the latest screening's on this machine.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Margin, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::referral::put;
use crate::store::fields;
use crate::store::{Gender, Interpreter, NewScreening};
use crate::tui::app::{Effect, Msg, Screen, State};
use crate::tui::chrome;
use crate::tui::input::LineInput;
use crate::tui::wrap;
use crate::words::fmt;
use crate::words::officer::Strings;

/// The fields in order. The last row is the start button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Prison or unit.
    Unit,
    /// Officer.
    Officer,
    /// The person's reference.
    Person,
    /// Gender (a choice).
    Gender,
    /// Birth year (optional).
    BirthYear,
    /// Nationality.
    Nationality,
    /// Interview language (a choice among the questionnaire's).
    Language,
    /// Interpreter (a choice).
    Interpreter,
    /// The person's language, if different.
    PersonLanguage,
    /// The start button.
    Start,
}

impl Field {
    /// Every row, top to bottom.
    pub const ALL: [Field; 10] = [
        Self::Unit,
        Self::Officer,
        Self::Person,
        Self::Gender,
        Self::BirthYear,
        Self::Nationality,
        Self::Language,
        Self::Interpreter,
        Self::PersonLanguage,
        Self::Start,
    ];

    fn is_choice(self) -> bool {
        matches!(self, Self::Gender | Self::Language | Self::Interpreter)
    }

    fn label(self, s: &Strings) -> &'static str {
        match self {
            Self::Unit => s.f_unit,
            Self::Officer => s.f_officer,
            Self::Person => s.f_person,
            Self::Gender => s.f_gender,
            Self::BirthYear => s.f_birth_year,
            Self::Nationality => s.f_nationality,
            Self::Language => s.f_language,
            Self::Interpreter => s.f_interpreter,
            Self::PersonLanguage => s.f_person_language,
            Self::Start => s.f_start,
        }
    }
}

/// The form's state.
#[derive(Debug, Clone)]
pub struct DetailsState {
    /// Unit.
    pub unit: LineInput,
    /// Officer.
    pub officer: LineInput,
    /// Person's reference.
    pub person: LineInput,
    /// Gender.
    pub gender: Gender,
    /// Birth year text.
    pub birth_year: LineInput,
    /// Nationality text.
    pub nationality: LineInput,
    /// Index into the questionnaire's languages.
    pub language: usize,
    /// Interpreter (unused when [`DetailsState::interpreter_asked`]).
    pub interpreter: Interpreter,
    /// True when the questionnaire asks about the interpreter (`fills: details.interpreter`):
    /// the form skips the row and the answer fills it, so it is never asked twice.
    pub interpreter_asked: bool,
    /// Person's language text.
    pub person_language: LineInput,
    /// The focused row (index into [`Field::ALL`]).
    pub focus: usize,
    /// Why the form was not accepted, if it was not.
    pub error: Option<String>,
}

/// What the officer can do on the form.
#[derive(Debug, Clone)]
pub enum DetailsMsg {
    /// Next field.
    Next,
    /// Previous field.
    Prev,
    /// Enter: next field, or start on the last row.
    Enter,
    /// Next value of a choice field.
    CycleNext,
    /// Previous value of a choice field.
    CyclePrev,
    /// A key for the focused text field.
    Edit(KeyEvent),
    /// Back to home.
    Cancel,
}

/// Opens the form with defaults from the latest screening.
pub fn open(state: &mut State) {
    let d = state.defaults.clone().unwrap_or_default();
    let language = state
        .questionnaire
        .languages
        .iter()
        .position(|l| *l == state.lang)
        .unwrap_or(0);
    state.screen = Screen::Details(Box::new(DetailsState {
        unit: LineInput::new(&d.unit),
        officer: LineInput::new(&d.officer),
        person: LineInput::default(),
        gender: Gender::Unknown,
        birth_year: LineInput::default(),
        nationality: LineInput::default(),
        language,
        interpreter: Interpreter::None,
        interpreter_asked: state
            .questionnaire
            .asks(crate::questionnaire::FillField::DetailsInterpreter),
        person_language: LineInput::default(),
        // Start where typing is needed: the person when unit and officer are remembered.
        focus: if d.unit.is_empty() || d.officer.is_empty() {
            0
        } else {
            2
        },
        error: None,
    }));
}

impl DetailsState {
    /// The focused field.
    #[must_use]
    pub fn field(&self) -> Field {
        Field::ALL.get(self.focus).copied().unwrap_or(Field::Start)
    }

    /// Moves the focus off a row the interview asks (the interpreter), on in the direction
    /// it was going.
    fn skip_asked(&mut self, forward: bool) {
        if self.interpreter_asked && self.field() == Field::Interpreter {
            self.focus = if forward {
                self.focus + 1
            } else {
                self.focus.saturating_sub(1)
            };
        }
    }

    fn input(&self, f: Field) -> Option<&LineInput> {
        match f {
            Field::Unit => Some(&self.unit),
            Field::Officer => Some(&self.officer),
            Field::Person => Some(&self.person),
            Field::BirthYear => Some(&self.birth_year),
            Field::Nationality => Some(&self.nationality),
            Field::PersonLanguage => Some(&self.person_language),
            _ => None,
        }
    }

    fn input_mut(&mut self, f: Field) -> Option<&mut LineInput> {
        match f {
            Field::Unit => Some(&mut self.unit),
            Field::Officer => Some(&mut self.officer),
            Field::Person => Some(&mut self.person),
            Field::BirthYear => Some(&mut self.birth_year),
            Field::Nationality => Some(&mut self.nationality),
            Field::PersonLanguage => Some(&mut self.person_language),
            _ => None,
        }
    }

    /// Checks the form with the one validator for details (`store::fields`); the details,
    /// or the sentence in the officer's language saying which field is wrong and why.
    pub fn validate(
        &self,
        languages: &[String],
        this_year: i32,
        s: &Strings,
    ) -> Result<NewScreening, String> {
        let language = languages
            .get(self.language)
            .cloned()
            .unwrap_or_else(|| "en".to_string());
        let person_language = self.person_language.value();
        let checked = NewScreening {
            unit: self.unit.value(),
            officer: self.officer.value(),
            person: self.person.value(),
            gender: self.gender,
            birth_year: None,
            nationality: self.nationality.value(),
            language,
            interpreter: (!self.interpreter_asked).then_some(self.interpreter),
            person_language: (!person_language.is_empty()).then_some(person_language),
        }
        .validated(languages, this_year)
        .and_then(|d| {
            Ok(NewScreening {
                birth_year: fields::birth_year(&self.birth_year.value(), this_year)?,
                ..d
            })
        });
        checked.map_err(|e| fmt::invalid(&e, s))
    }
}

/// Maps a key to a form message.
#[must_use]
pub fn key(d: &DetailsState, key: KeyEvent) -> Option<Msg> {
    let field = d.field();
    let m = match key.code {
        KeyCode::Esc => DetailsMsg::Cancel,
        KeyCode::Tab | KeyCode::Down => DetailsMsg::Next,
        KeyCode::BackTab | KeyCode::Up => DetailsMsg::Prev,
        KeyCode::Enter => DetailsMsg::Enter,
        KeyCode::Char('?')
            if !key.modifiers.contains(KeyModifiers::CONTROL) && d.input(field).is_none() =>
        {
            return Some(Msg::Help);
        }
        KeyCode::Right | KeyCode::Char(' ') if field.is_choice() => DetailsMsg::CycleNext,
        KeyCode::Left if field.is_choice() => DetailsMsg::CyclePrev,
        _ if d.input(field).is_some() => DetailsMsg::Edit(key),
        _ => return None,
    };
    Some(Msg::Details(m))
}

fn cycle<T: Copy + PartialEq>(all: &[T], now: T, forward: bool) -> T {
    let n = all.len();
    let i = all.iter().position(|x| *x == now).unwrap_or(0);
    let j = if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    };
    all.get(j).copied().unwrap_or(now)
}

/// Applies a form message.
pub fn update(state: &mut State, msg: DetailsMsg) -> Vec<Effect> {
    let s = state.strings();
    let langs = state.questionnaire.languages.clone();
    let this_year = state.this_year;
    let Screen::Details(d) = &mut state.screen else {
        return Vec::new();
    };
    let last = Field::ALL.len() - 1;
    match msg {
        DetailsMsg::Next => {
            d.focus = (d.focus + 1).min(last);
            d.skip_asked(true);
        }
        DetailsMsg::Prev => {
            d.focus = d.focus.saturating_sub(1);
            d.skip_asked(false);
        }
        DetailsMsg::CycleNext | DetailsMsg::CyclePrev => {
            let fwd = matches!(msg, DetailsMsg::CycleNext);
            match d.field() {
                Field::Gender => d.gender = cycle(Gender::ALL, d.gender, fwd),
                Field::Interpreter => d.interpreter = cycle(Interpreter::ALL, d.interpreter, fwd),
                Field::Language => {
                    let n = langs.len().max(1);
                    d.language = if fwd {
                        (d.language + 1) % n
                    } else {
                        (d.language + n - 1) % n
                    };
                }
                _ => {}
            }
        }
        DetailsMsg::Edit(k) => {
            let f = d.field();
            if let Some(i) = d.input_mut(f) {
                i.key(k);
            }
        }
        DetailsMsg::Cancel => return vec![Effect::LoadHome],
        DetailsMsg::Enter => {
            if d.focus < last {
                d.focus += 1;
                d.skip_asked(true);
                return Vec::new();
            }
            match d.validate(&langs, this_year, s) {
                Ok(details) => {
                    d.error = None;
                    // The officer's chosen language becomes the screens' language.
                    state.lang.clone_from(&details.language);
                    return vec![Effect::Start {
                        questionnaire: std::sync::Arc::clone(&state.questionnaire),
                        details,
                    }];
                }
                Err(e) => d.error = Some(e),
            }
        }
    }
    Vec::new()
}

fn gender_word(g: Gender, s: &Strings) -> &'static str {
    match g {
        Gender::Female => s.g_female,
        Gender::Male => s.g_male,
        Gender::Other => s.g_other,
        Gender::Unknown => s.g_unknown,
    }
}

/// The officer's word for an interpreter setting.
#[must_use]
pub fn interpreter_word(i: Interpreter, s: &Strings) -> &'static str {
    match i {
        Interpreter::None => s.i_none,
        Interpreter::InPerson => s.i_in_person,
        Interpreter::Phone => s.i_phone,
    }
}

/// Draws the form.
pub fn view(state: &State, d: &DetailsState, frame: &mut Frame) {
    let s = state.strings();
    let t = state.theme;
    let field = d.field();
    let mut keys = vec![("Tab/↓", s.key_next_field), ("↑", s.key_prev_field)];
    if field.is_choice() {
        keys.push(("←→", s.key_change));
    }
    keys.push(("Enter", s.key_next_or_start));
    keys.push(("Esc", s.key_cancel));
    keys.push(("F1", s.key_help));
    let body = chrome::draw(state, frame, s.details_title, &keys);
    let area = body.inner(Margin {
        horizontal: 2,
        vertical: 1,
    });
    // Everything wraps (never cut at 80 columns): the intro, long labels inside their
    // column, and the error.
    let mut y = put(
        frame,
        area,
        area.y,
        &[Line::styled(s.details_intro, t.dim())],
    ) + 1;
    let label_w = Field::ALL
        .iter()
        .filter(|f| **f != Field::Start)
        .map(|f| wrap::width(f.label(s)))
        .max()
        .unwrap_or(0)
        .saturating_add(4)
        .min(usize::from(area.width) * 3 / 5);
    let label_w16 = u16::try_from(label_w).unwrap_or(area.width / 2);
    for (i, f) in Field::ALL.iter().enumerate() {
        if *f == Field::Start {
            y += 1;
        }
        if y >= area.bottom() {
            break;
        }
        let focused = i == d.focus;
        let marker = if focused { "> " } else { "  " };
        if *f == Field::Start {
            let row = Rect::new(area.x, y, area.width, 1);
            let style = if focused { t.focus() } else { t.bold() };
            frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::raw(marker),
                    Span::styled(format!("[ {} ]", s.f_start), style),
                ])),
                row,
            );
            if focused {
                frame.set_cursor_position(Position::new(area.x + 2, y));
            }
            y += 1;
            continue;
        }
        let label_rows = wrap::wrap_flush(f.label(s), label_w.saturating_sub(4).max(1));
        for (n, text) in label_rows.iter().enumerate() {
            let row_y = y + u16::try_from(n).unwrap_or(0);
            if row_y >= area.bottom() {
                break;
            }
            frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::raw(if n == 0 { marker } else { "  " }),
                    Span::styled(text.clone(), if focused { t.bold() } else { t.dim() }),
                ])),
                Rect::new(area.x, row_y, label_w16, 1),
            );
        }
        let value_area = Rect::new(
            area.x + label_w16,
            y,
            area.width.saturating_sub(label_w16),
            1,
        );
        if let Some(input) = d.input(*f) {
            input.render(
                frame,
                value_area,
                focused,
                if focused {
                    t.focus()
                } else {
                    ratatui::style::Style::new()
                },
            );
            if !focused && input.is_empty() {
                let hint = match f {
                    Field::BirthYear | Field::PersonLanguage => s.optional,
                    Field::Nationality => s.unknown_hint,
                    _ => "",
                };
                frame.render_widget(Paragraph::new(Line::styled(hint, t.dim())), value_area);
            }
        } else if *f == Field::Interpreter && d.interpreter_asked {
            // Not a choice here: the interview's question fills it.
            frame.render_widget(
                Paragraph::new(Line::styled(s.asked_in_interview, t.dim())),
                value_area,
            );
        } else {
            let value = match f {
                Field::Gender => gender_word(d.gender, s).to_string(),
                Field::Interpreter => interpreter_word(d.interpreter, s).to_string(),
                Field::Language => state
                    .questionnaire
                    .languages
                    .get(d.language)
                    .cloned()
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let style = if focused {
                t.focus()
            } else {
                ratatui::style::Style::new()
            };
            frame.render_widget(
                Paragraph::new(Line::styled(format!("< {value} >"), style)),
                value_area,
            );
            if focused {
                frame.set_cursor_position(Position::new(value_area.x + 2, y));
            }
        }
        y += u16::try_from(label_rows.len().max(1)).unwrap_or(1);
    }
    if let Some(e) = &d.error {
        put(
            frame,
            area,
            y + 1,
            &[Line::styled(format!("{}: {e}", s.error_word), t.error())],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::app::tests::bare;
    use crate::tui::app::{Msg, update};
    use crate::tui::theme::Theme;
    use crate::words::officer::EN;
    use ratatui::crossterm::event::KeyModifiers;

    fn typed(d: &mut DetailsState, f: Field, text: &str) {
        d.focus = Field::ALL.iter().position(|x| *x == f).unwrap_or(0);
        for c in text.chars() {
            let k = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            if let Some(i) = d.input_mut(f) {
                i.key(k);
            }
        }
    }

    fn form() -> State {
        let mut s = State::new(bare(), Some("en"), Theme::new(false));
        s.defaults = Some(NewScreening {
            unit: "Bredtveit".into(),
            officer: "Officer B".into(),
            ..NewScreening::default()
        });
        open(&mut s);
        s
    }

    fn langs() -> Vec<String> {
        vec!["nb".into(), "en".into()]
    }

    #[test]
    fn defaults_fill_unit_and_officer_and_focus_the_person() {
        let s = form();
        let Screen::Details(d) = &s.screen else {
            panic!("details");
        };
        assert_eq!(d.unit.value(), "Bredtveit");
        assert_eq!(d.officer.value(), "Officer B");
        assert_eq!(d.field(), Field::Person);
        assert_eq!(d.language, 1, "the screens' language is preselected");
    }

    #[test]
    fn validation_names_the_field_and_value() {
        let mut s = form();
        let Screen::Details(d) = &mut s.screen else {
            panic!("details");
        };
        assert_eq!(
            d.validate(&langs(), 2026, &EN),
            Err("Person's reference is needed.".into())
        );
        typed(d, Field::Person, "B-1");
        typed(d, Field::BirthYear, "19x0");
        let e = d.validate(&langs(), 2026, &EN).unwrap_err();
        assert!(e.contains("\"19x0\"") && e.contains("2026"), "{e}");
        d.birth_year = LineInput::new("1990");
        typed(d, Field::Nationality, "Norway");
        let e = d.validate(&langs(), 2026, &EN).unwrap_err();
        assert!(e.contains("\"Norway\""), "{e}");
        d.nationality = LineInput::new("no");
        let ok = d.validate(&langs(), 2026, &EN).expect("valid");
        assert_eq!(ok.nationality, "NO");
        assert_eq!(ok.birth_year, Some(1990));
        assert_eq!(ok.language, "en");
        assert_eq!(ok.person_language, None);
    }

    #[test]
    fn enter_moves_on_and_starts_on_the_last_row() {
        let mut s = form();
        let Screen::Details(d) = &mut s.screen else {
            panic!("details");
        };
        typed(d, Field::Person, "B-1");
        d.focus = Field::ALL.len() - 2;
        assert!(update(&mut s, Msg::Details(DetailsMsg::Enter)).is_empty());
        let effects = update(&mut s, Msg::Details(DetailsMsg::Enter));
        assert!(matches!(
            effects.as_slice(),
            [Effect::Start { details, .. }] if details.person == "B-1" && details.unit == "Bredtveit"
        ));
    }

    #[test]
    fn choice_fields_cycle_both_ways() {
        let mut s = form();
        if let Screen::Details(d) = &mut s.screen {
            d.focus = 3;
        }
        update(&mut s, Msg::Details(DetailsMsg::CycleNext));
        update(&mut s, Msg::Details(DetailsMsg::CycleNext));
        let Screen::Details(d) = &s.screen else {
            panic!("details");
        };
        assert_eq!(d.gender, Gender::Male);
        update(&mut s, Msg::Details(DetailsMsg::CyclePrev));
        update(&mut s, Msg::Details(DetailsMsg::CyclePrev));
        let Screen::Details(d) = &s.screen else {
            panic!("details");
        };
        assert_eq!(d.gender, Gender::Unknown);
    }
}
