//! The interview: one question at a time, with its section and progress, the person's language
//! for the interpreter, guidance on demand, a clear mark on observation items, an answer widget
//! per kind, special answers, notes, back and forward, an overview to jump to any answered
//! point, a language switch and pause. Every answer is committed to the store before the next
//! question appears: keys only produce [`Effect::Record`]; the session moves when the runner
//! reports [`Msg::Recorded`].

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Margin, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::answer_input::{self, AnswerInput};
use super::{flag_panel, summary};
use crate::questionnaire::translation::PersonLanguage;
use crate::questionnaire::{Kind, Question};
use crate::screening::{Answer, Move, Pending, Session};
use crate::tui::app::{Effect, Msg, Screen, Screening, State, centered};
use crate::tui::chrome;
use crate::tui::input::LineInput;
use crate::tui::wrap;
use crate::words::fmt;
use crate::words::officer::Strings;

/// The interview's own state (the session lives in [`Screening`]).
#[derive(Debug, Clone)]
pub struct InterviewState {
    /// The answer widget for the current question.
    pub widget: AnswerInput,
    /// Guidance is shown.
    pub guidance: bool,
    /// The note editor, when open.
    pub note: Option<LineInput>,
    /// The overview is open with this path position focused.
    pub overview: Option<usize>,
    /// Why the last answer was not taken.
    pub error: Option<String>,
}

/// What the officer can do in the interview.
#[derive(Debug, Clone)]
pub enum InterviewMsg {
    /// Focus the choice above.
    Up,
    /// Focus the choice below.
    Down,
    /// Pick (single) or toggle (multi) choice number n (0-based).
    Pick(usize),
    /// Toggle the focused choice (multi).
    Toggle,
    /// Confirm the answer (or continue).
    Submit,
    /// The person does not know.
    DontKnow,
    /// The person does not want to answer.
    Declined,
    /// Leave an optional question empty.
    Skip,
    /// The previous question.
    Back,
    /// The next already answered question.
    Forward,
    /// Show or hide guidance.
    Guidance,
    /// Open the note editor.
    Note,
    /// A key for the note editor.
    NoteKey(KeyEvent),
    /// Save the note.
    NoteSave,
    /// Close the note editor without saving.
    NoteCancel,
    /// A key for the typed answer.
    Edit(KeyEvent),
    /// Open or close the overview.
    Overview,
    /// Jump to the question focused in the overview.
    OverviewGo,
    /// Switch the language shown to the officer.
    Language,
    /// Back to home; everything answered is already saved.
    Pause,
}

fn fresh(session: &Session) -> InterviewState {
    let q = session.current();
    let entry = q.and_then(|q| session.entry(q.id.as_str()));
    InterviewState {
        widget: AnswerInput::for_question(q, entry),
        guidance: false,
        note: None,
        overview: None,
        error: None,
    }
}

/// Shows `screening` at its current question (or the summary when the walk is at its end).
pub fn open(state: &mut State, screening: Screening) -> Vec<Effect> {
    if screening
        .session
        .questionnaire()
        .languages
        .contains(&screening.details.language)
    {
        state.lang.clone_from(&screening.details.language);
    }
    let st = fresh(&screening.session);
    // At the end of the walk with the cursor there (not merely a finished walk: the officer
    // may have gone back to change an answer).
    let at_end = screening.session.current().is_none();
    state.screen = Screen::Interview(Box::new(screening), Box::new(st));
    if at_end {
        summary::open(state);
    }
    Vec::new()
}

fn typing(st: &InterviewState) -> bool {
    st.widget.typing()
}

/// Maps a key to an interview message. Command letters work when no text is being typed;
/// their Ctrl variants (and PgUp/PgDn, Esc, F1) work always.
#[must_use]
pub fn key(sc: &Screening, st: &InterviewState, key: KeyEvent) -> Option<Msg> {
    use InterviewMsg as M;
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let m = if st.note.is_some() {
        match key.code {
            KeyCode::Enter => M::NoteSave,
            KeyCode::Esc => M::NoteCancel,
            _ => M::NoteKey(key),
        }
    } else if st.overview.is_some() {
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => M::Up,
            KeyCode::Down | KeyCode::Char('j') => M::Down,
            KeyCode::Enter => M::OverviewGo,
            KeyCode::Esc | KeyCode::Char('o') => M::Overview,
            _ => return None,
        }
    } else if ctrl {
        match key.code {
            KeyCode::Char('g') => M::Guidance,
            KeyCode::Char('d') => M::DontKnow,
            KeyCode::Char('r') => M::Declined,
            KeyCode::Char('n') => M::Note,
            KeyCode::Char('o') => M::Overview,
            KeyCode::Char('l') => M::Language,
            KeyCode::Char('s') => M::Skip,
            KeyCode::Char('b') => M::Back,
            KeyCode::Char('f') => M::Forward,
            _ if typing(st) => M::Edit(key),
            _ => return None,
        }
    } else {
        match key.code {
            KeyCode::Enter => M::Submit,
            KeyCode::Esc => M::Pause,
            KeyCode::PageUp => M::Back,
            KeyCode::PageDown => M::Forward,
            _ if typing(st) => M::Edit(key),
            KeyCode::Up | KeyCode::Char('k') => M::Up,
            KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => M::Down,
            KeyCode::Left | KeyCode::Char('b') => M::Back,
            KeyCode::Right | KeyCode::Char('f') => M::Forward,
            KeyCode::Char(' ') | KeyCode::Char('x') => M::Toggle,
            KeyCode::Char(c @ '1'..='9') => {
                let n = c as usize - '1' as usize;
                let count = sc.session.current().map_or(0, |q| q.choices.len());
                if n >= count {
                    return None;
                }
                M::Pick(n)
            }
            KeyCode::Char('d') => M::DontKnow,
            KeyCode::Char('r') => M::Declined,
            KeyCode::Char('s') => M::Skip,
            KeyCode::Char('n') => M::Note,
            KeyCode::Char('g') => M::Guidance,
            KeyCode::Char('o') => M::Overview,
            KeyCode::Char('l') => M::Language,
            KeyCode::Char('p') => M::Pause,
            KeyCode::Char('?') => return Some(Msg::Help),
            _ => return None,
        }
    };
    Some(Msg::Interview(m))
}

/// Applies an interview message.
#[allow(clippy::too_many_lines)] // one flat match over the interview's messages reads best
pub fn update(state: &mut State, msg: InterviewMsg) -> Vec<Effect> {
    use InterviewMsg as M;
    let s = state.strings();
    // An error answers the key before: the next key clears it (and says anew if it fails).
    if let Screen::Interview(_, st) = &mut state.screen {
        st.error = None;
    }
    if matches!(msg, M::Language) {
        if let Screen::Interview(sc, _) = &state.screen {
            let next = state.next_lang(sc.session.questionnaire());
            state.lang = next;
        }
        return Vec::new();
    }
    if matches!(msg, M::Pause) {
        return vec![Effect::LoadHome];
    }
    let Screen::Interview(sc, st) = &mut state.screen else {
        return Vec::new();
    };
    let current = sc.session.current().cloned();
    match msg {
        M::Up | M::Down => {
            let down = matches!(msg, M::Down);
            if let Some(i) = &mut st.overview {
                let n = sc.session.path().len();
                *i = if down {
                    (*i + 1).min(n.saturating_sub(1))
                } else {
                    i.saturating_sub(1)
                };
                return Vec::new();
            }
            let n = current.as_ref().map_or(0, |q| q.choices.len());
            st.widget.step(down, n);
        }
        M::Pick(i) => {
            let note = st.widget.pick(current.as_ref(), i, &state.lang, s);
            if matches!(st.widget, AnswerInput::Multi { .. }) {
                st.error = note;
            }
        }
        M::Toggle => {
            if matches!(st.widget, AnswerInput::Multi { .. }) {
                st.error = st.widget.toggle(current.as_ref(), &state.lang, s);
            }
        }
        M::Edit(k) => {
            if st.widget.edit(k) {
                st.error = None;
            }
        }
        M::Guidance => st.guidance = !st.guidance,
        M::Note => {
            if let Some(q) = &current {
                let existing = sc.session.entry(q.id.as_str()).and_then(|e| e.note.clone());
                st.note = Some(LineInput::new(existing.as_deref().unwrap_or("")));
            }
        }
        M::NoteKey(k) => {
            if let Some(n) = &mut st.note {
                n.key(k);
            }
        }
        M::NoteCancel => st.note = None,
        M::NoteSave => {
            let Some(input) = st.note.take() else {
                return Vec::new();
            };
            // Saved at once on a question dealt with; held by the session until the answer
            // otherwise (the session decides which).
            let text = input.value();
            let effects = record(sc, st, Move::Note((!text.is_empty()).then_some(text)), s);
            if st.error.is_some() {
                // Refused: the editor stays open with what was typed.
                st.note = Some(input);
            }
            return effects;
        }
        M::Overview => {
            st.overview = match st.overview {
                Some(_) => None,
                None => Some(sc.session.cursor()),
            };
        }
        M::OverviewGo => {
            let target = st
                .overview
                .and_then(|i| sc.session.path().get(i).map(|q| q.id.name.clone()));
            if let Some(id) = target
                && sc.session.jump_to(&id)
            {
                **st = fresh(&sc.session);
                if sc.session.current().is_none() {
                    summary::open(state);
                }
            } else {
                st.overview = None;
            }
        }
        M::Back => {
            if sc.session.back() {
                **st = fresh(&sc.session);
            } else {
                st.error = Some(s.at_first.to_string());
            }
        }
        M::Forward => {
            if sc.session.forward() {
                **st = fresh(&sc.session);
                if sc.session.current().is_none() {
                    summary::open(state);
                }
            } else if let Some(q) = &current
                && sc.session.is_finished()
                && let Some(entry) = sc.session.entry(q.id.as_str())
            {
                // The last item of a finished walk: moving on means to the summary, which
                // the session reaches by taking the saved answer again (the store keeps it
                // unchanged).
                let mv = entry.answer.clone().map_or(Move::Skip, Move::Answer);
                return record(sc, st, mv, s);
            } else {
                st.error = Some(s.at_frontier.to_string());
            }
        }
        M::DontKnow | M::Declined => {
            if current.is_none() {
                return Vec::new();
            }
            let answer = if matches!(msg, M::DontKnow) {
                Answer::DontKnow
            } else {
                Answer::Declined
            };
            return record(sc, st, Move::Answer(answer), s);
        }
        M::Skip => {
            if current.is_none() {
                return Vec::new();
            }
            return record(sc, st, Move::Skip, s);
        }
        M::Submit => {
            let Some(q) = &current else {
                summary::open(state);
                return Vec::new();
            };
            let answer = match st.widget.answer(q, s) {
                Ok(a) => a,
                Err(e) => {
                    st.error = Some(e);
                    return Vec::new();
                }
            };
            return record(sc, st, answer.map_or(Move::Skip, Move::Answer), s);
        }
        M::Language | M::Pause => {}
    }
    Vec::new()
}

/// Checks `mv` with the session and asks the runner to record it; the session moves only
/// when the store reports [`Msg::Recorded`]. A refused move shows why in the officer's words.
fn record(sc: &Screening, st: &mut InterviewState, mv: Move, s: &Strings) -> Vec<Effect> {
    match sc.session.prepare(mv) {
        Ok(pending) => {
            st.error = None;
            vec![Effect::Record {
                screening: sc.id.clone(),
                pending,
            }]
        }
        Err(e) => {
            st.error = Some(match sc.session.current() {
                Some(q) => fmt::answer_error(q, &e, s),
                None => e.to_string(),
            });
            Vec::new()
        }
    }
}

/// The store saved what `pending` asked: applies it to the session and shows the next
/// question (the summary when the walk reached its end). A note keeps the screen as it was.
pub fn recorded(state: &mut State, pending: Pending) -> Vec<Effect> {
    state.banner = None;
    let Screen::Interview(sc, st) = &mut state.screen else {
        return Vec::new();
    };
    let moves_on = pending.moves_on();
    if let Err(e) = sc.session.apply(pending) {
        st.error = Some(e.to_string());
        return Vec::new();
    }
    // Immediate flags this answer raised interrupt at once (the panel shows while one is not
    // acknowledged); the store records them as raised first.
    let raised: Vec<String> = sc
        .session
        .newly_raised()
        .iter()
        .map(|f| f.id.name.clone())
        .collect();
    let effects = if raised.is_empty() {
        Vec::new()
    } else {
        vec![Effect::RecordFlags {
            screening: sc.id.clone(),
            flags: raised,
        }]
    };
    if !moves_on {
        st.error = None;
        return effects;
    }
    **st = fresh(&sc.session);
    if sc.session.current().is_none() {
        summary::open(state);
    }
    effects
}

/// The keys the footer offers: only what works here and now. A special answer, a skip or
/// guidance appears only when the current question takes it, back only after the first
/// question, the language switch only with a second language, the choice numbers only as far
/// as the choices go; while text is typed, the Ctrl variants.
fn footer(state: &State, sc: &Screening, st: &InterviewState) -> Vec<(String, &'static str)> {
    let s = state.strings();
    let k = |key: &str, what: &'static str| (key.to_string(), what);
    if flag_panel::showing(state) {
        return vec![k("Enter", s.key_acknowledge), k("?", s.key_help)];
    }
    if st.note.is_some() {
        return vec![k("Enter", s.key_save_note), k("Esc", s.key_cancel)];
    }
    if st.overview.is_some() {
        return vec![
            k("↑↓", s.key_move),
            k("Enter", s.key_jump),
            k("Esc", s.key_close),
        ];
    }
    let typing = st.widget.typing();
    let ctrl = |letter: &str, plain: &str| {
        if typing {
            letter.to_string()
        } else {
            plain.to_string()
        }
    };
    let Some(q) = sc.session.current() else {
        return vec![
            k("Enter", s.key_continue),
            k(if typing { "PgUp" } else { "←" }, s.key_back),
            k("Esc", s.key_pause),
            k(if typing { "F1" } else { "?" }, s.key_help),
        ];
    };
    let mut keys = vec![k(
        "Enter",
        if matches!(st.widget, AnswerInput::Continue) {
            s.key_continue
        } else {
            s.key_answer
        },
    )];
    if matches!(st.widget, AnswerInput::Multi { .. }) {
        keys.push(k("Space", s.key_toggle));
    }
    if st.widget.choosing() {
        let n = q.choices.len().min(9);
        keys.push((format!("↑↓/1-{n}"), s.key_choose));
    }
    if sc.session.cursor() > 0 {
        keys.push((ctrl("PgUp", "←"), s.key_back));
    }
    if q.kind != Kind::Info {
        if q.allow.dont_know {
            keys.push((ctrl("^D", "d"), s.dont_know));
        }
        if q.allow.declined {
            keys.push((ctrl("^R", "r"), s.key_declined));
        }
        if !q.required {
            keys.push((ctrl("^S", "s"), s.key_skip));
        }
    }
    keys.push((ctrl("^N", "n"), s.key_note));
    if q.guidance.is_some() {
        keys.push((ctrl("^G", "g"), s.key_guidance));
    }
    keys.push((ctrl("^O", "o"), s.key_overview));
    if sc.session.questionnaire().languages.len() > 1 {
        keys.push((ctrl("^L", "l"), s.key_language));
    }
    keys.push(k("Esc", s.key_pause));
    keys.push(k(if typing { "F1" } else { "?" }, s.key_help));
    keys
}

/// The person's language, when it differs from the officer's and the questionnaire has its
/// texts or a translation into it.
fn person<'a>(sc: &'a Screening, lang: &str) -> Option<PersonLanguage<'a>> {
    PersonLanguage::new(
        sc.session.questionnaire(),
        lang,
        sc.details.person_language.as_deref(),
    )
}

/// Draws the interview.
#[allow(clippy::too_many_lines)] // the screen is laid out top to bottom in one place
pub fn view(state: &State, sc: &Screening, st: &InterviewState, frame: &mut Frame) {
    let s = state.strings();
    let t = state.theme;
    let lang = state.lang.as_str();
    let q = sc.session.questionnaire();
    let current = sc.session.current();
    let section = current.and_then(|c| q.sections.get(c.section));
    let title = match section {
        Some(sec) => format!(
            "{} ({}/{})",
            sec.title.show(lang),
            current.map_or(0, |c| c.section) + 1,
            q.sections.len()
        ),
        None => s.end_title.to_string(),
    };
    let typing = typing(st);
    let owned = footer(state, sc, st);
    let keys: Vec<(&str, &str)> = owned.iter().map(|(k, w)| (k.as_str(), *w)).collect();
    let body = chrome::draw(state, frame, &title, &keys);
    let area = body.inner(Margin {
        horizontal: 1,
        vertical: 0,
    });

    let Some(cq) = current else {
        frame.render_widget(
            Paragraph::new(vec![
                Line::from(""),
                Line::styled(s.end_reached, t.bold()),
                Line::from(s.end_enter),
            ])
            .wrap(Wrap { trim: true }),
            area,
        );
        frame.set_cursor_position(Position::new(area.x, area.y + 1));
        return;
    };

    // Every text wraps with a hanging indent (tui::wrap) and is never clipped: the question
    // (with the person's language and the guidance) and the status line get their rows
    // first; the choices get the rest and scroll around the focused one when they do not all
    // fit, each choice whole.
    let width = usize::from(area.width);
    let saved = sc
        .session
        .entry(cq.id.as_str())
        .and_then(|e| e.answer.as_ref());
    let input = st.widget.view(
        answer_input::Context {
            question: cq,
            saved,
            lang,
            person: person(sc, lang),
            strings: s,
            theme: t,
            active: st.note.is_none() && st.overview.is_none(),
        },
        width,
    );
    // The head (progress and the person's reference) and an error wrap like everything else.
    let head_rows = wrap::wrap_line(
        &Line::from(vec![
            Span::styled(fmt::progress(&sc.session, s), t.dim()),
            Span::styled(" · ", t.dim()),
            Span::styled(crate::tui::shown(&sc.details.person), t.bold()),
        ]),
        width,
    );
    let head_h = u16::try_from(head_rows.len()).unwrap_or(1).max(1);
    let error_rows = st.error.as_ref().map_or_else(Vec::new, |e| {
        wrap::wrap_line(
            &Line::styled(format!("{}: {e}", s.error_word), t.error()),
            width,
        )
    });
    // One row is kept for an error even without one, so the screen does not jump.
    let error_h = u16::try_from(error_rows.len()).unwrap_or(1).max(1);
    let status_rows = wrap::wrap_line(&status_line(state, sc, cq, typing), width);
    let status_h = u16::try_from(status_rows.len()).unwrap_or(1).max(1);
    let lines = wrap::wrap_lines(&question_lines(state, sc, cq, st.guidance), width);
    // Immediate flags raised so far stay listed above the question for the rest of the
    // screening.
    let flag_rows = flag_panel::top_line(&sc.session.immediate_flags(), lang, s, t)
        .map(|l| wrap::wrap_line(&l, width))
        .unwrap_or_default();
    let flag_h = u16::try_from(flag_rows.len()).unwrap_or(0);
    // Head, the flags, two gaps and the error rows are fixed.
    let free = area
        .height
        .saturating_sub(head_h + flag_h + 2 + status_h + error_h);
    let question_need = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let question_h = question_need.min(free.saturating_sub(input.min())).max(1);
    let widget_h = input.need().min(free.saturating_sub(question_h)).max(1);
    let [head, flags, question, _, widget, _, status, error, _] = Layout::vertical([
        Constraint::Length(head_h),
        Constraint::Length(flag_h),
        Constraint::Length(question_h),
        Constraint::Length(1),
        Constraint::Length(widget_h),
        Constraint::Length(1),
        Constraint::Length(status_h),
        Constraint::Length(error_h),
        Constraint::Min(0),
    ])
    .areas(area);

    frame.render_widget(Paragraph::new(head_rows), head);

    frame.render_widget(Paragraph::new(flag_rows), flags);
    frame.render_widget(Paragraph::new(lines), question);
    let cursor = input.render(frame, widget);

    frame.render_widget(Paragraph::new(status_rows), status);
    frame.render_widget(Paragraph::new(error_rows), error);
    if let Some(c) = cursor
        && st.note.is_none()
        && st.overview.is_none()
    {
        frame.set_cursor_position(c);
    }

    if let Some(input) = &st.note {
        let pop = centered(area, 70, 5);
        frame.render_widget(Clear, pop);
        let block = Block::bordered().title(format!(" {} ", s.note_title));
        let inner = block.inner(pop);
        frame.render_widget(block, pop);
        frame.render_widget(
            Paragraph::new(Line::styled(s.note_hint, t.dim())),
            Rect::new(inner.x, inner.y + 2, inner.width, 1),
        );
        input.render(
            frame,
            Rect::new(inner.x, inner.y, inner.width, 2),
            true,
            t.focus(),
        );
    }
    if let Some(sel) = st.overview {
        overview(state, sc, sel, area, frame);
    }
    if let Some(c) = flag_panel::draw_waiting(state, frame, area) {
        frame.set_cursor_position(c);
    }
}

/// The question block: observation mark, section intro, the question in the officer's
/// language, the person's language below it, and guidance when shown.
/// The line under the answer: the saved answer, the officer's note, and the special answers
/// the question takes (wrapped by the caller, never clipped).
fn status_line(state: &State, sc: &Screening, cq: &Question, typing: bool) -> Line<'static> {
    let s = state.strings();
    let t = state.theme;
    let lang = state.lang.as_str();
    let saved = sc
        .session
        .entry(cq.id.as_str())
        .and_then(|e| e.answer.clone());
    // Saved answer, special answers on offer, note.
    let mut bits: Vec<Span<'static>> = Vec::new();
    if let Some(a) = &saved {
        bits.push(Span::styled(format!("{}: ", s.saved_word), t.bold()));
        bits.push(Span::raw(fmt::answer(cq, a, lang, s)));
        bits.push(Span::raw("  "));
    }
    let note = sc
        .session
        .entry(cq.id.as_str())
        .and_then(|e| e.note.clone());
    if let Some(n) = note {
        bits.push(Span::styled(format!("{}: ", s.note_word), t.bold()));
        bits.push(Span::raw(crate::tui::shown(&n)));
        bits.push(Span::raw("  "));
    }
    if cq.kind != Kind::Info && saved.is_none() {
        let (d, r, sk) = if typing {
            ("^D", "^R", "^S")
        } else {
            ("d", "r", "s")
        };
        let mut offers = Vec::new();
        if cq.allow.dont_know {
            offers.push(format!("{d} {}", s.dont_know));
        }
        if cq.allow.declined {
            offers.push(format!("{r} {}", s.declined));
        }
        if !cq.required {
            offers.push(format!("{sk} {}", s.skip_optional));
        }
        if !offers.is_empty() {
            bits.push(Span::styled(
                format!("{}: {}", s.also_word, offers.join(" · ")),
                t.dim(),
            ));
        }
    }
    Line::from(bits)
}

fn question_lines<'a>(
    state: &State,
    sc: &'a Screening,
    cq: &'a Question,
    guidance: bool,
) -> Vec<Line<'a>> {
    let s = state.strings();
    let t = state.theme;
    let lang = state.lang.as_str();
    let section = sc.session.questionnaire().sections.get(cq.section);
    let mut lines: Vec<Line> = Vec::new();
    if cq.observation {
        lines.push(Line::styled(s.observation_mark, t.warn()));
    }
    let person = person(sc, lang);
    if let Some(sec) = section
        && let Some(intro) = &sec.intro
        && sec.questions.first().is_some_and(|f| f.id == cq.id)
    {
        lines.push(Line::styled(intro.show(lang).to_string(), t.dim()));
        if let Some(p) = &person
            && let Some(pi) = p.intro(sec)
        {
            lines.push(Line::styled(
                format!("[{}] {}", p.lang(), crate::tui::shown(pi)),
                t.dim(),
            ));
        }
    }
    let kind_word = if cq.kind == Kind::Info {
        s.info_word
    } else {
        ""
    };
    lines.push(Line::from(vec![
        Span::styled(kind_word, t.dim()),
        Span::styled(cq.text.show(lang).to_string(), t.bold()),
    ]));
    if let Some(p) = &person {
        if let Some(pt) = p.question(cq) {
            lines.push(Line::styled(
                format!("[{}] {}", p.lang(), crate::tui::shown(pt)),
                t.dim(),
            ));
        }
        if let Some(words) = fmt::person_specials(p, cq) {
            lines.push(Line::styled(format!("[{}] {words}", p.lang()), t.dim()));
        }
    }
    match (&cq.guidance, guidance) {
        (Some(g), true) => {
            lines.push(Line::from(vec![
                Span::styled(format!("{}: ", s.guidance_word), t.bold()),
                Span::raw(g.show(lang).to_string()),
            ]));
        }
        (Some(_), false) => lines.push(Line::styled(s.guidance_available, t.dim())),
        _ => {}
    }
    lines
}

fn overview(state: &State, sc: &Screening, sel: usize, area: Rect, frame: &mut Frame) {
    let s = state.strings();
    let t = state.theme;
    let lang = state.lang.as_str();
    let q = sc.session.questionnaire();
    let pop = area;
    frame.render_widget(Clear, pop);
    let block = Block::bordered().title(format!(" {} ", s.overview_title));
    let inner = block.inner(pop);
    frame.render_widget(block, pop);
    let mut lines: Vec<Line> = Vec::new();
    let mut sel_line = 0;
    let mut sel_end = 0;
    let mut last_section = usize::MAX;
    for (i, item) in sc.session.path().iter().enumerate() {
        if item.section != last_section {
            last_section = item.section;
            let title = q
                .sections
                .get(item.section)
                .map_or("", |x| x.title.show(lang));
            lines.push(Line::styled(title.to_string(), t.bold()));
        }
        let answer = sc.session.entry(item.id.as_str()).map_or_else(
            || s.not_answered.to_string(),
            |e| {
                e.answer.as_ref().map_or_else(
                    || {
                        if item.kind == Kind::Info {
                            s.shown_word.to_string()
                        } else {
                            s.left_empty.to_string()
                        }
                    },
                    |a| fmt::answer(item, a, lang, s),
                )
            },
        );
        let focused = i == sel;
        if focused {
            sel_line = lines.len();
        }
        // The whole question and its answer, wrapped under the text (never cut short).
        let here = if i == sc.session.cursor() { "*" } else { " " };
        let prefix = format!("{}{here} ", if focused { ">" } else { " " });
        let style = if focused {
            t.focus()
        } else {
            ratatui::style::Style::new()
        };
        let body = format!("{} — {answer}", item.text.show(lang));
        let indent = wrap::width(&prefix);
        let rows = wrap::wrap_flush(
            &body,
            usize::from(inner.width).saturating_sub(indent).max(8),
        );
        for (row, text) in rows.into_iter().enumerate() {
            let lead = if row == 0 {
                prefix.clone()
            } else {
                " ".repeat(indent)
            };
            lines.push(Line::styled(format!("{lead}{text}"), style));
        }
        if focused {
            sel_end = lines.len() - 1;
        }
    }
    // Scroll so the focused item is whole on screen, with a row of context below it.
    let height = usize::from(inner.height);
    let top = (sel_end + 2)
        .saturating_sub(height)
        .min(sel_line)
        .min(lines.len().saturating_sub(1));
    frame.render_widget(
        Paragraph::new(lines).scroll((u16::try_from(top).unwrap_or(0), 0)),
        inner,
    );
    let y = inner.y + u16::try_from(sel_line - top).unwrap_or(0);
    if y < inner.bottom() {
        frame.set_cursor_position(Position::new(inner.x, y));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::testing::Driver;
    use ratatui::crossterm::event::KeyCode as K;

    #[test]
    fn ticking_an_exclusive_choice_clears_the_others_and_says_why() {
        let text = include_str!("../../../tests/fixtures/lint/format-features.yaml");
        let q = crate::questionnaire::open(text, "format-features.yaml").unwrap();
        let mut d = Driver::with_questionnaire(std::sync::Arc::new(q), "en");
        d.start("P");
        for _ in 0..3 {
            d.key(K::Char('1'));
            d.key(K::Enter);
        }
        assert_eq!(d.current().as_deref(), Some("threats"));
        let chosen = |d: &Driver| match &d.state.screen {
            Screen::Interview(_, st) => match &st.widget {
                AnswerInput::Multi { chosen, .. } => chosen.clone(),
                _ => panic!("not a tick list"),
            },
            _ => panic!("not interviewing"),
        };
        d.key(K::Char('1'));
        d.key(K::Char('2'));
        assert_eq!(chosen(&d), [true, true, false]);
        d.key(K::Char('3'));
        assert_eq!(
            chosen(&d),
            [false, false, true],
            "none of these clears the others"
        );
        let screen = d.screen();
        assert!(screen.contains("None of these"), "{screen}");
        assert!(
            matches!(&d.state.screen, Screen::Interview(_, st) if st.error.is_some()),
            "a note says why the others were cleared"
        );
        d.key(K::Char('2'));
        assert_eq!(chosen(&d), [false, true, false], "and the reverse");
        d.key(K::Enter);
        assert_eq!(
            d.entry("threats").and_then(|e| e.answer),
            Some(Answer::Choices(vec!["family".into()]))
        );
    }

    #[test]
    fn a_typed_number_is_committed_then_the_session_moves() {
        let mut d = Driver::new("en");
        d.start("P");
        assert_eq!(d.current().as_deref(), Some("age_estimate"));
        d.type_str("34");
        d.key(K::Enter);
        assert_eq!(d.current().as_deref(), Some("explain"));
        assert_eq!(
            d.entry("age_estimate").and_then(|e| e.answer),
            Some(Answer::Number(34.0))
        );
    }

    #[test]
    fn nothing_moves_when_the_store_fails() {
        let mut d = Driver::new("en");
        d.start("P");
        d.full_disk(true);
        d.type_str("34");
        d.key(K::Enter);
        assert_eq!(d.current().as_deref(), Some("age_estimate"));
        assert!(
            d.state
                .banner
                .as_deref()
                .is_some_and(|b| b.contains("not saved"))
        );
        assert!(
            d.screen().contains("34"),
            "the typed answer stays on screen"
        );
        d.full_disk(false);
        d.key(K::Enter);
        assert_eq!(d.current().as_deref(), Some("explain"));
        assert_eq!(d.state.banner, None);
    }

    #[test]
    fn out_of_range_and_garbage_are_refused_with_a_sentence() {
        let mut d = Driver::new("en");
        d.start("P");
        d.type_str("5");
        d.key(K::Enter);
        let Screen::Interview(_, st) = &d.state.screen else {
            panic!("interview");
        };
        assert!(
            st.error.as_deref().is_some_and(|e| e.contains("outside")),
            "{:?}",
            st.error
        );
        assert!(d.kept().answers.is_empty());
    }

    #[test]
    fn no_choice_is_preselected() {
        let mut d = Driver::new("en");
        d.start("P");
        d.type_str("34");
        d.key(K::Enter);
        d.key(K::Enter); // info
        assert_eq!(d.current().as_deref(), Some("agrees"));
        d.key(K::Enter);
        assert_eq!(
            d.current().as_deref(),
            Some("agrees"),
            "a stray Enter records nothing"
        );
        d.key(K::Down);
        d.key(K::Enter);
        assert_eq!(d.current().as_deref(), Some("came_for_job"));
        assert_eq!(
            d.entry("agrees").and_then(|e| e.answer),
            Some(Answer::Choice("yes".into()))
        );
    }

    #[test]
    fn special_answers_only_where_allowed() {
        let mut d = Driver::new("en");
        d.start("P");
        d.key(K::Char('d')); // typing: 'd' is a letter in the number field
        assert_eq!(d.current().as_deref(), Some("age_estimate"));
        d.key(K::Backspace);
        d.ctrl('d');
        assert_eq!(d.current().as_deref(), Some("explain"));
        d.key(K::Enter);
        d.key(K::Char('r')); // agrees: allow []
        assert_eq!(d.current().as_deref(), Some("agrees"));
        let Screen::Interview(_, st) = &d.state.screen else {
            panic!("interview");
        };
        assert!(st.error.is_some());
    }

    /// The footer's keys on screen, as `key what` strings.
    fn footer_of(d: &Driver) -> Vec<String> {
        let Screen::Interview(sc, st) = &d.state.screen else {
            panic!("interview");
        };
        footer(&d.state, sc, st)
            .into_iter()
            .map(|(k, w)| format!("{k} {w}"))
            .collect()
    }

    #[test]
    fn the_footer_offers_only_what_the_question_takes() {
        let mut d = Driver::new("en");
        d.start("P");
        // age_estimate: typed, with guidance, don't know and declined allowed, the first
        // question (no back).
        let f = footer_of(&d);
        assert!(f.contains(&"^D don't know".to_string()), "{f:?}");
        assert!(f.contains(&"^R declined".to_string()), "{f:?}");
        assert!(f.contains(&"^G guidance".to_string()), "{f:?}");
        assert!(!f.iter().any(|k| k.contains("back")), "{f:?}");
        assert!(!f.iter().any(|k| k.contains("skip")), "required: {f:?}");
        d.type_str("34");
        d.key(K::Enter);
        // explain: a read-out item: Enter continues, no special answers.
        let f = footer_of(&d);
        assert_eq!(f.first().map(String::as_str), Some("Enter continue"));
        assert!(!f.iter().any(|k| k.contains("don't know")), "{f:?}");
        assert!(f.contains(&"← back".to_string()), "{f:?}");
        d.key(K::Enter);
        // agrees: allow [] and no guidance: neither is offered; two choices.
        let f = footer_of(&d);
        assert!(!f.iter().any(|k| k.contains("don't know")), "{f:?}");
        assert!(!f.iter().any(|k| k.contains("declined")), "{f:?}");
        assert!(!f.iter().any(|k| k.contains("guidance")), "{f:?}");
        assert!(f.contains(&"↑↓/1-2 choose".to_string()), "{f:?}");
        let screen = d.screen();
        assert!(!screen.contains("d don't know"), "{screen}");
    }

    #[test]
    fn the_head_numbers_questions_only_and_says_about_how_many_are_left() {
        let mut d = Driver::new("en");
        d.start("P");
        assert!(
            d.screen()
                .contains("Question 1 · 0 answered · about 6 left")
        );
        d.type_str("34");
        d.key(K::Enter);
        // A read-out item is not a question: it has no number and is not counted.
        assert!(d.screen().contains("Read out · 1 answered · about 5 left"));
        d.key(K::Enter);
        assert!(
            d.screen()
                .contains("Question 2 · 1 answered · about 5 left")
        );
        let nb = crate::words::officer::Strings::of("nb");
        let Screen::Interview(sc, _) = &d.state.screen else {
            panic!("interview");
        };
        assert_eq!(
            fmt::progress(&sc.session, nb),
            "Spørsmål 2 · 1 besvart · omtrent 5 igjen"
        );
    }

    #[test]
    fn an_error_clears_on_the_next_key() {
        let mut d = Driver::new("en");
        d.start("P");
        d.type_str("34");
        d.key(K::Enter);
        d.key(K::Enter);
        d.key(K::Char('r')); // agrees: allow []
        let error = |d: &Driver| match &d.state.screen {
            Screen::Interview(_, st) => st.error.clone(),
            _ => panic!("interview"),
        };
        assert!(error(&d).is_some());
        assert!(d.screen().contains("Error:"));
        d.key(K::Down);
        assert_eq!(error(&d), None);
        assert!(!d.screen().contains("Error:"));
        // A key that fails again says so again.
        d.key(K::Char('d'));
        assert!(error(&d).is_some());
    }

    #[test]
    fn back_shows_the_saved_answer_and_forward_returns() {
        let mut d = Driver::new("en");
        d.start("P");
        d.type_str("34");
        d.key(K::Enter);
        d.key(K::Left);
        assert_eq!(d.current().as_deref(), Some("age_estimate"));
        let Screen::Interview(_, st) = &d.state.screen else {
            panic!("interview");
        };
        assert!(matches!(&st.widget, AnswerInput::Line(i) if i.value() == "34"));
        d.key(K::PageDown);
        assert_eq!(d.current().as_deref(), Some("explain"));
    }

    #[test]
    fn a_note_before_the_answer_is_saved_with_it() {
        let mut d = Driver::new("en");
        d.start("P");
        d.ctrl('n');
        d.type_str("tired");
        d.key(K::Enter);
        assert!(d.kept().answers.is_empty(), "no entry without an answer");
        d.type_str("30");
        d.key(K::Enter);
        assert_eq!(
            d.entry("age_estimate").and_then(|e| e.note).as_deref(),
            Some("tired")
        );
        // A note on an answered question is saved at once.
        d.key(K::Left);
        d.ctrl('n');
        d.ctrl('u');
        d.key(K::Backspace);
        for _ in 0..5 {
            d.key(K::Backspace);
        }
        d.type_str("very tired");
        d.key(K::Enter);
        assert_eq!(
            d.entry("age_estimate").and_then(|e| e.note).as_deref(),
            Some("very tired")
        );
    }

    #[test]
    fn the_overview_jumps_to_an_answered_question() {
        let mut d = Driver::new("en");
        d.start("P");
        d.type_str("34");
        d.key(K::Enter);
        d.key(K::Enter);
        d.key(K::Char('o'));
        d.key(K::Up);
        d.key(K::Up);
        d.key(K::Enter);
        assert_eq!(d.current().as_deref(), Some("age_estimate"));
    }

    #[test]
    fn language_switch_and_pause() {
        let mut d = Driver::new("en");
        d.start("P");
        d.key(K::PageDown); // nothing answered ahead
        d.ctrl('l');
        assert_eq!(d.state.lang, "nb");
        assert!(d.screen().contains("Omtrentlig alder"));
        d.key(K::Esc);
        assert!(matches!(d.state.screen, Screen::Home(ref h) if h.unfinished.len() == 1));
    }

    #[test]
    fn resume_returns_to_the_exact_question() {
        let mut d = Driver::new("en");
        d.start("P");
        d.type_str("34");
        d.key(K::Enter);
        d.key(K::Enter);
        d.key(K::Char('1'));
        d.key(K::Enter);
        d.key(K::Esc);
        // Home focuses the unfinished screening: Enter resumes it.
        d.key(K::Enter);
        assert_eq!(d.current().as_deref(), Some("came_for_job"));
    }

    #[test]
    fn a_note_with_terminal_control_is_refused_and_kept_on_screen() {
        let mut d = Driver::new("en");
        d.start("P");
        d.type_str("34");
        d.key(K::Enter);
        d.key(K::Left);
        d.ctrl('n');
        d.type_str("ok\u{1b}[2J");
        d.key(K::Enter);
        let Screen::Interview(_, st) = &d.state.screen else {
            panic!("interview");
        };
        assert!(
            st.error.as_deref().is_some_and(|e| e.contains("U+001B")),
            "{:?}",
            st.error
        );
        assert!(st.note.is_some(), "the editor stays open with the text");
        assert_eq!(d.entry("age_estimate").and_then(|e| e.note), None);
    }
}
