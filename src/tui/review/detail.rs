//! One referral in full: the person's details, outcome, flags with advice, indicators with the
//! answers that raised them, every answer as asked (in the wording of the questionnaire
//! version the screening used), the status history and notes. Actions: change status (only
//! the allowed next statuses are offered), add a note, export the summary as Markdown.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Effect, Msg, Opened, Screen, State, days_until};
use crate::questionnaire::Questionnaire;
use crate::store::{Expulsion, Status, allowed_next};
use crate::tui::fmt;
use crate::tui::input::LineInput;
use crate::tui::strings::strings;

/// What the reviewer is doing on the referral.
#[derive(Debug, Clone)]
pub enum Mode {
    /// Reading (scrolling).
    Reading,
    /// Choosing the next status among the allowed ones.
    ChooseStatus {
        /// The focused choice.
        selected: usize,
    },
    /// Typing the note that goes with a status change.
    StatusNote {
        /// The chosen status.
        to: Status,
        /// The note typed so far.
        input: LineInput,
    },
    /// Typing a note.
    Note(LineInput),
    /// Typing the file to export to.
    Export(LineInput),
}

/// The referral screen's own state.
#[derive(Debug, Clone)]
pub struct DetailState {
    /// The referral and its questionnaire snapshot.
    pub opened: Opened,
    /// The first line shown.
    pub scroll: u16,
    /// What the reviewer is doing.
    pub mode: Mode,
}

impl DetailState {
    /// The referral's id.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.opened.detail.row.id
    }

    /// The statuses this referral may move to.
    #[must_use]
    pub fn next_statuses(&self) -> &'static [Status] {
        allowed_next(self.opened.detail.row.status)
    }
}

/// What the reviewer can do on the referral screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetailMsg {
    /// Scroll up a line (or focus the choice above).
    Up,
    /// Scroll down a line (or focus the choice below).
    Down,
    /// Scroll up a page.
    PageUp,
    /// Scroll down a page.
    PageDown,
    /// Back to the top.
    Top,
    /// Back to the queue (or cancel what is being typed or chosen).
    Back,
    /// Start a status change.
    ChangeStatus,
    /// Start a note.
    AddNote,
    /// Start an export.
    Export,
    /// Confirm the choice or the text typed.
    Confirm,
    /// A key while typing.
    Type(KeyEvent),
}

/// Maps a key to a referral-screen message.
#[must_use]
pub fn key(d: &DetailState, key: KeyEvent) -> Option<Msg> {
    let m = match (&d.mode, key.code) {
        (Mode::Reading, code) => match code {
            KeyCode::Up | KeyCode::Char('k') => DetailMsg::Up,
            KeyCode::Down | KeyCode::Char('j') => DetailMsg::Down,
            KeyCode::PageUp => DetailMsg::PageUp,
            KeyCode::PageDown | KeyCode::Char(' ') => DetailMsg::PageDown,
            KeyCode::Home | KeyCode::Char('g') => DetailMsg::Top,
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Backspace | KeyCode::Left => {
                DetailMsg::Back
            }
            KeyCode::Char('s') => DetailMsg::ChangeStatus,
            KeyCode::Char('n') => DetailMsg::AddNote,
            KeyCode::Char('e') => DetailMsg::Export,
            KeyCode::Char('l') => return Some(Msg::Language),
            _ => return None,
        },
        (Mode::ChooseStatus { .. }, code) => match code {
            KeyCode::Up | KeyCode::Char('k') => DetailMsg::Up,
            KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => DetailMsg::Down,
            KeyCode::Enter => DetailMsg::Confirm,
            KeyCode::Esc | KeyCode::Char('q') => DetailMsg::Back,
            _ => return None,
        },
        (_, KeyCode::Enter) => DetailMsg::Confirm,
        (_, KeyCode::Esc) => DetailMsg::Back,
        (_, _) => DetailMsg::Type(key),
    };
    Some(Msg::Detail(m))
}

/// A referral arrived: show it (keeping the scroll when it is the one on show, reloaded).
pub fn opened(state: &mut State, o: Opened) {
    if let Screen::Detail(d) = &mut state.screen
        && d.id() == o.detail.row.id
    {
        d.opened = o;
        d.mode = Mode::Reading;
        return;
    }
    state.notice = None;
    state.screen = Screen::Detail(Box::new(DetailState {
        opened: o,
        scroll: 0,
        mode: Mode::Reading,
    }));
}

/// The language of the questionnaire's wording: the screens' language when the snapshot has
/// it, else the snapshot's first language.
fn wording_lang(state: &State, q: Option<&Questionnaire>) -> String {
    match q {
        Some(q) if q.languages.contains(&state.lang) => state.lang.clone(),
        Some(q) => q.default_language().to_owned(),
        None => state.lang.clone(),
    }
}

/// Applies a referral-screen message.
pub fn update(state: &mut State, msg: DetailMsg) -> Vec<Effect> {
    let page = state.page_size();
    let height = lines(state).len();
    let lang = match &state.screen {
        Screen::Detail(d) => wording_lang(state, d.opened.questionnaire.as_ref()),
        _ => state.lang.clone(),
    };
    let words = state.words();
    let Screen::Detail(d) = &mut state.screen else {
        return Vec::new();
    };
    // Stop when the last line reaches the bottom (lines wrap, so this is an estimate).
    let visible = usize::try_from(page).unwrap_or(usize::MAX);
    let max_scroll = u16::try_from(height.saturating_sub(visible)).unwrap_or(u16::MAX);
    let step = u16::try_from(page).unwrap_or(u16::MAX);
    let id = d.id().to_owned();
    match (&mut d.mode, msg) {
        (Mode::Reading, DetailMsg::Up) => d.scroll = d.scroll.saturating_sub(1),
        (Mode::Reading, DetailMsg::Down) => d.scroll = (d.scroll + 1).min(max_scroll),
        (Mode::Reading, DetailMsg::PageUp) => d.scroll = d.scroll.saturating_sub(step),
        (Mode::Reading, DetailMsg::PageDown) => {
            d.scroll = d.scroll.saturating_add(step).min(max_scroll);
        }
        (Mode::Reading, DetailMsg::Top) => d.scroll = 0,
        (Mode::Reading, DetailMsg::Back) => {
            state.screen = Screen::Queue;
            state.notice = None;
            // The referral may have changed: read the page again.
            return vec![state.queue.load(page, true)];
        }
        (Mode::Reading, DetailMsg::ChangeStatus) => {
            if d.next_statuses().is_empty() {
                state.notice = Some(words.closed_final.to_owned());
            } else {
                d.mode = Mode::ChooseStatus { selected: 0 };
            }
        }
        (Mode::Reading, DetailMsg::AddNote) => d.mode = Mode::Note(LineInput::default()),
        (Mode::Reading, DetailMsg::Export) => {
            let short: String = id.chars().take(8).collect();
            d.mode = Mode::Export(LineInput::new(&format!("referral-{short}.md")));
        }
        (Mode::ChooseStatus { selected }, DetailMsg::Up) => {
            let n = allowed_next(d.opened.detail.row.status).len();
            *selected = selected.checked_sub(1).unwrap_or(n.saturating_sub(1));
        }
        (Mode::ChooseStatus { selected }, DetailMsg::Down) => {
            let n = allowed_next(d.opened.detail.row.status).len().max(1);
            *selected = (*selected + 1) % n;
        }
        (Mode::ChooseStatus { selected }, DetailMsg::Confirm) => {
            if let Some(to) = allowed_next(d.opened.detail.row.status).get(*selected) {
                d.mode = Mode::StatusNote {
                    to: *to,
                    input: LineInput::default(),
                };
            }
        }
        (Mode::StatusNote { to, input }, DetailMsg::Confirm) => {
            let effect = Effect::SetStatus {
                id,
                to: *to,
                note: Some(input.value()).filter(|n| !n.is_empty()),
            };
            d.mode = Mode::Reading;
            return vec![effect];
        }
        (Mode::Note(input), DetailMsg::Confirm) => {
            let text = input.value();
            if text.is_empty() {
                state.notice = Some(words.note_empty.to_owned());
                return Vec::new();
            }
            d.mode = Mode::Reading;
            return vec![Effect::AddNote { id, text }];
        }
        (Mode::Export(input), DetailMsg::Confirm) => {
            let path = input.value();
            if path.is_empty() {
                state.notice = Some(words.path_empty.to_owned());
                return Vec::new();
            }
            d.mode = Mode::Reading;
            return vec![Effect::Export {
                id,
                path: PathBuf::from(path),
                lang,
            }];
        }
        (
            Mode::StatusNote { input, .. } | Mode::Note(input) | Mode::Export(input),
            DetailMsg::Type(k),
        ) => input.key(k),
        (_, DetailMsg::Back) => d.mode = Mode::Reading,
        _ => {}
    }
    Vec::new()
}

/// The referral's text, line by line (before wrapping).
#[must_use]
pub fn lines(state: &State) -> Vec<Line<'static>> {
    let Screen::Detail(d) = &state.screen else {
        return Vec::new();
    };
    let w = state.words();
    let t = state.theme;
    let o = &d.opened;
    let r = &o.detail.row;
    let s = &o.detail.screening;
    let q = o.questionnaire.as_ref();
    let lang = wording_lang(state, q);
    let interview_words = strings(&state.lang);
    let mut out: Vec<Line<'static>> = Vec::new();
    let heading = |out: &mut Vec<Line<'static>>, text: &str| {
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        out.push(Line::styled(text.to_owned(), t.title()));
    };
    let field = |out: &mut Vec<Line<'static>>, name: &str, value: String| {
        out.push(Line::from(vec![
            Span::styled(format!("{name}: "), t.bold()),
            Span::raw(value),
        ]));
    };
    let expulsion = |e: Option<Expulsion>| match e {
        Some(Expulsion::Yes) => w.yes_word.to_owned(),
        Some(Expulsion::No) => w.no_word.to_owned(),
        Some(Expulsion::Pending) => w.pending_word.to_owned(),
        Some(Expulsion::Unknown) | None => w.not_known.to_owned(),
    };

    heading(&mut out, w.referral_heading);
    field(&mut out, w.f_status, r.status.as_str().to_owned());
    field(
        &mut out,
        w.f_received,
        r.created_at
            .get(..16)
            .unwrap_or(&r.created_at)
            .replace('T', " "),
    );
    let release = match r.release_date.as_deref() {
        None => w.not_given.to_owned(),
        Some(date) => match days_until(state.today, date) {
            Some(n) if n < 0 => format!("{date} ({})", w.passed),
            Some(0) => format!("{date} ({})", w.today_word),
            Some(n) => format!("{date} ({})", w.days_left.replace("{n}", &n.to_string())),
            None => date.to_owned(),
        },
    };
    field(&mut out, w.f_release, release);
    field(&mut out, w.f_expulsion, expulsion(r.expulsion));
    field(&mut out, w.f_consent, r.consent.as_str().to_owned());
    field(&mut out, w.f_contact, o.detail.contact.clone());

    heading(&mut out, w.person_heading);
    field(&mut out, w.f_person, s.person.clone());
    field(&mut out, w.f_unit, s.unit.clone());
    field(&mut out, w.f_officer, s.officer.clone());
    field(&mut out, w.f_gender, s.gender.as_str().to_owned());
    field(
        &mut out,
        w.f_birth_year,
        s.birth_year
            .map_or_else(|| w.not_given.to_owned(), |y| y.to_string()),
    );
    field(&mut out, w.f_nationality, s.nationality.clone());
    field(&mut out, w.f_language, s.language.clone());
    let interpreter = match &s.person_language {
        Some(l) => format!("{} ({l})", s.interpreter),
        None => s.interpreter.to_string(),
    };
    field(&mut out, w.f_interpreter, interpreter);
    field(
        &mut out,
        w.f_screened,
        format!(
            "{} – {}",
            s.started_at
                .get(..16)
                .unwrap_or(&s.started_at)
                .replace('T', " "),
            s.ended_at
                .as_deref()
                .map_or_else(String::new, |e| e.get(..16).unwrap_or(e).replace('T', " "))
        ),
    );
    field(
        &mut out,
        w.f_questionnaire,
        format!(
            "{} {} (sha256 {})",
            s.questionnaire_id,
            s.questionnaire_version,
            s.questionnaire_hash
                .get(..12)
                .unwrap_or(&s.questionnaire_hash)
        ),
    );
    if q.is_none() {
        out.push(Line::styled(w.snapshot_missing.to_owned(), t.warn()));
    }

    let result = s.result.as_ref();
    heading(&mut out, w.outcome_heading);
    if let Some(res) = result {
        match q.and_then(|q| q.outcome(&res.outcome)) {
            Some(oc) => {
                out.push(Line::styled(
                    format!("{} ({})", oc.label.show(&lang), res.outcome),
                    t.bold(),
                ));
                out.push(Line::raw(oc.advice.show(&lang).to_owned()));
            }
            None => out.push(Line::styled(res.outcome.clone(), t.bold())),
        }
    }

    heading(&mut out, w.flags_heading);
    let flags = result.map(|r| r.flags.as_slice()).unwrap_or_default();
    if flags.is_empty() {
        out.push(Line::raw(w.none_raised.to_owned()));
    }
    for f in flags {
        match q.and_then(|q| q.flag(&f.id)) {
            Some(x) => {
                out.push(Line::styled(
                    format!("! {} ({})", x.label.show(&lang), f.id),
                    t.warn(),
                ));
                out.push(Line::raw(format!("  {}", x.advice.show(&lang))));
            }
            None => out.push(Line::styled(format!("! {}", f.id), t.warn())),
        }
    }

    let question_text = |id: &str| -> String {
        q.and_then(|q| q.question(id))
            .map_or_else(|| id.to_owned(), |x| x.text.show(&lang).to_owned())
    };
    let answer_text = |id: &str| -> String {
        let Some(a) = s.answer(id) else {
            return String::new();
        };
        match (&a.answer, q.and_then(|q| q.question(id))) {
            (Some(ans), Some(question)) => fmt::answer(question, ans, &lang, interview_words),
            (Some(ans), None) => serde_json::to_string(ans).unwrap_or_default(),
            (None, _) => w.left_empty.to_owned(),
        }
    };

    heading(&mut out, w.indicators_heading);
    let indicators = result.map(|r| r.indicators.as_slice()).unwrap_or_default();
    if indicators.is_empty() {
        out.push(Line::raw(w.none_raised.to_owned()));
    }
    for i in indicators {
        let name = match q.and_then(|q| q.indicator(&i.id)) {
            Some(x) => {
                let dim = q
                    .and_then(|q| q.dimension(x.dimension.as_str()))
                    .map_or_else(
                        || x.dimension.as_str().to_owned(),
                        |d| d.label.show(&lang).to_owned(),
                    );
                format!(
                    "• {} ({}; {dim}, {})",
                    x.label.show(&lang),
                    i.id,
                    x.strength.as_str()
                )
            }
            None => format!("• {}", i.id),
        };
        out.push(Line::styled(name, t.bold()));
        if i.because.is_empty() {
            out.push(Line::styled(format!("    {}", w.raised_by_rule), t.dim()));
        }
        for qid in &i.because {
            out.push(Line::raw(format!(
                "    {}: {}",
                question_text(qid),
                answer_text(qid)
            )));
        }
    }

    heading(&mut out, w.answers_heading);
    for a in &s.answers {
        let changed = if a.history.is_empty() {
            String::new()
        } else {
            format!(" ({})", w.changed_word)
        };
        out.push(Line::from(vec![
            Span::styled(format!("{}: ", question_text(&a.question_id)), t.bold()),
            Span::raw(format!("{}{changed}", answer_text(&a.question_id))),
        ]));
        if let Some(n) = &a.note {
            out.push(Line::styled(
                format!("    {}: {n}", w.officer_note),
                t.dim(),
            ));
        }
    }

    heading(&mut out, w.history_heading);
    for e in &o.detail.events {
        let at = e.at.get(..16).unwrap_or(&e.at).replace('T', " ");
        let what = match e.kind.as_str() {
            "created" => w.ev_created.to_owned(),
            "status" => format!(
                "{}: {} -> {}",
                w.ev_status,
                e.from.map_or("?", Status::as_str),
                e.to.map_or("?", Status::as_str)
            ),
            _ => w.ev_note.to_owned(),
        };
        let note = e
            .note
            .as_deref()
            .map_or_else(String::new, |n| format!(" — {n}"));
        out.push(Line::raw(format!("{at}  {}  {what}{note}", e.actor)));
    }
    out
}

/// Draws the referral.
pub fn view(state: &State, d: &DetailState, frame: &mut Frame) {
    let w = state.words();
    let t = state.theme;
    let keys: Vec<(&str, &str)> = match d.mode {
        Mode::Reading => vec![
            ("↑↓ PgUp PgDn", w.key_scroll),
            ("s", w.key_change_status),
            ("n", w.key_note),
            ("e", w.key_export),
            ("l", w.key_language),
            ("Esc", w.key_back),
        ],
        Mode::ChooseStatus { .. } => vec![
            ("↑↓", w.key_move),
            ("Enter", w.key_choose),
            ("Esc", w.key_cancel),
        ],
        _ => vec![("Enter", w.key_save), ("Esc", w.key_cancel)],
    };
    let title = format!(
        "{} {} · {}",
        w.detail_title, d.opened.detail.screening.person, d.opened.detail.row.status
    );
    let body = super::chrome(state, frame, &title, &keys);
    let prompt_height = match &d.mode {
        Mode::Reading => 0,
        Mode::ChooseStatus { .. } => u16::try_from(d.next_statuses().len()).unwrap_or(4) + 3,
        _ => 5,
    };
    let [content, prompt] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(prompt_height)]).areas(body);
    frame.render_widget(
        Paragraph::new(lines(state))
            .wrap(Wrap { trim: false })
            .scroll((d.scroll, 0)),
        content,
    );
    if prompt_height == 0 {
        return;
    }
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(t.bold());
    let inner = block.inner(prompt);
    frame.render_widget(block, prompt);
    match &d.mode {
        Mode::Reading => {}
        Mode::ChooseStatus { selected } => {
            let mut l = vec![Line::styled(w.choose_status, t.bold())];
            for (i, s) in d.next_statuses().iter().enumerate() {
                if i == *selected {
                    l.push(Line::styled(format!("> {s}"), t.focus()));
                } else {
                    l.push(Line::raw(format!("  {s}")));
                }
            }
            frame.render_widget(Paragraph::new(l), inner);
        }
        Mode::StatusNote { to, input } => {
            prompt_input(
                frame,
                inner,
                &w.status_note_prompt.replace("{to}", to.as_str()),
                input,
                state,
            );
        }
        Mode::Note(input) => prompt_input(frame, inner, w.note_prompt, input, state),
        Mode::Export(input) => prompt_input(frame, inner, w.export_prompt, input, state),
    }
}

fn prompt_input(
    frame: &mut Frame,
    area: ratatui::layout::Rect,
    label: &str,
    input: &LineInput,
    state: &State,
) {
    let [l, f] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(Line::styled(label.to_owned(), state.theme.bold()))
            .wrap(Wrap { trim: true }),
        l,
    );
    input.render(frame, f, true, state.theme.focus());
}
