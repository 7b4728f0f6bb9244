//! One referral in full: the person's details, outcome, flags with advice, indicators with the
//! answers that raised them, every answer as asked (in the wording of the questionnaire
//! version the screening used), the status history and notes. Actions: change status (only
//! the allowed next statuses are offered), add a note, export the summary as Markdown.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Alignment, Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Effect, Msg, Opened, Screen, State, days_until, words};
use crate::questionnaire::Questionnaire;
use crate::store::{Expulsion, Interpreter, Status, allowed_next};
use crate::tui::input::LineInput;
use crate::tui::shown;
use crate::words::fmt;
use crate::words::officer::strings;

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
    /// The first row shown (of the text wrapped to the screen's width).
    pub scroll: u16,
    /// The part last jumped to (shown as the current tab until the reviewer scrolls).
    pub part: Option<usize>,
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
    /// To the very end (the status history and notes).
    Bottom,
    /// To the start of a part (0: referral ... 6: status history and notes).
    Part(usize),
    /// To the next part.
    NextPart,
    /// To the part before.
    PrevPart,
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
            KeyCode::End | KeyCode::Char('G') => DetailMsg::Bottom,
            KeyCode::Tab => DetailMsg::NextPart,
            KeyCode::BackTab => DetailMsg::PrevPart,
            KeyCode::Char(c @ '1'..='7') => {
                DetailMsg::Part(usize::from(u8::try_from(c).unwrap_or(b'1') - b'1'))
            }
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
pub fn opened(state: &mut State, mut o: Opened) {
    // Evidence older screenings did not store (the answers a `when` read), named as in
    // `referrals show` and exports.
    crate::report::fill_evidence(&mut o.detail, o.questionnaire.as_ref());
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
        part: None,
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

/// The rows the referral's text may use: the body less the tab row and the position row
/// (the prompt of a status change or note covers the lower rows; scrolling is for reading).
#[must_use]
pub fn viewport(state: &State) -> (u16, u16) {
    // Title bar, status line and two footer rows; tabs and position.
    (state.size.0, state.size.1.saturating_sub(4 + 2).max(1))
}

/// The part shown as current: the one last jumped to, else the last one starting at or above
/// the top row.
#[must_use]
pub fn current_part(d: &DetailState, parts: &[usize]) -> usize {
    d.part.unwrap_or_else(|| {
        parts
            .iter()
            .rposition(|start| *start <= usize::from(d.scroll))
            .unwrap_or(0)
    })
}

/// Applies a referral-screen message.
pub fn update(state: &mut State, msg: DetailMsg) -> Vec<Effect> {
    let page = state.page_size();
    let (width, height) = viewport(state);
    let text = body(state, width);
    let lang = match &state.screen {
        Screen::Detail(d) => wording_lang(state, d.opened.questionnaire.as_ref()),
        _ => state.lang.clone(),
    };
    let words = state.words();
    let Screen::Detail(d) = &mut state.screen else {
        return Vec::new();
    };
    // Stop when the last row reaches the bottom: the rows are wrapped here exactly as drawn.
    let max_scroll =
        u16::try_from(text.rows.len().saturating_sub(usize::from(height))).unwrap_or(u16::MAX);
    let step = height.saturating_sub(1).max(1);
    let at_part = |i: usize| -> u16 {
        text.parts
            .get(i)
            .map_or(max_scroll, |r| u16::try_from(*r).unwrap_or(u16::MAX))
            .min(max_scroll)
    };
    let shown = current_part(d, &text.parts);
    let id = d.id().to_owned();
    if matches!(d.mode, Mode::Reading) {
        d.part = None;
    }
    match (&mut d.mode, msg) {
        (Mode::Reading, DetailMsg::Up) => d.scroll = d.scroll.saturating_sub(1),
        (Mode::Reading, DetailMsg::Down) => d.scroll = (d.scroll + 1).min(max_scroll),
        (Mode::Reading, DetailMsg::PageUp) => d.scroll = d.scroll.saturating_sub(step),
        (Mode::Reading, DetailMsg::PageDown) => {
            d.scroll = d.scroll.saturating_add(step).min(max_scroll);
        }
        (Mode::Reading, DetailMsg::Top) => d.scroll = 0,
        (Mode::Reading, DetailMsg::Bottom) => d.scroll = max_scroll,
        (Mode::Reading, DetailMsg::Part(i)) if i < text.parts.len() => {
            d.scroll = at_part(i);
            d.part = Some(i);
        }
        (Mode::Reading, DetailMsg::NextPart) => {
            let i = (shown + 1).min(text.parts.len().saturating_sub(1));
            d.scroll = at_part(i);
            d.part = Some(i);
        }
        (Mode::Reading, DetailMsg::PrevPart) => {
            let i = shown.saturating_sub(1);
            d.scroll = at_part(i);
            d.part = Some(i);
        }
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

/// The referral's text wrapped to the screen: its rows and the first row of each part.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// Every row, wrapped with a hanging indent.
    pub rows: Vec<Line<'static>>,
    /// The first row of each part, in the order of the jump keys 1-7.
    pub parts: Vec<usize>,
}

/// The referral's text wrapped to `width` cells, with where each part starts.
#[must_use]
pub fn body(state: &State, width: u16) -> Body {
    let (lines, heads) = text(state);
    let mut rows = Vec::new();
    let mut parts = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if heads.contains(&i) {
            parts.push(rows.len());
        }
        rows.extend(crate::tui::wrap::wrap_line(l, usize::from(width)));
    }
    Body { rows, parts }
}

/// The referral's text, line by line (before wrapping).
#[must_use]
pub fn lines(state: &State) -> Vec<Line<'static>> {
    text(state).0
}

/// The referral's text, line by line, and the index of each part's heading.
fn text(state: &State) -> (Vec<Line<'static>>, Vec<usize>) {
    let Screen::Detail(d) = &state.screen else {
        return (Vec::new(), Vec::new());
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
    let mut heads: Vec<usize> = Vec::new();
    let mut heading = |out: &mut Vec<Line<'static>>, text: &str| {
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        heads.push(out.len());
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

    let sw = crate::words::sites::site_words(&state.lang);
    let anonymous = o.arrival.as_ref().is_some_and(|a| a.anonymous);
    heading(&mut out, w.referral_heading);
    field(
        &mut out,
        w.f_status,
        words::status_label(w, r.status).to_owned(),
    );
    let minute = |at: &str| at.get(..16).unwrap_or(at).replace('T', " ");
    match &o.arrival {
        // Imported from a prison: who sent it and when it arrived, then when it was made.
        Some(a) => {
            field(&mut out, sw.f_sent_by, shown(&a.unit));
            field(
                &mut out,
                sw.f_arrived,
                sw.arrived_detail
                    .replace("{at}", &minute(&a.arrived_at))
                    .replace("{format}", &a.format.to_string())
                    .replace("{key}", a.key_id.get(..12).unwrap_or(&a.key_id)),
            );
            field(&mut out, sw.f_made_at_prison, minute(&r.created_at));
            if let Some(wd) = &a.withdrawn_at {
                field(&mut out, sw.f_withdrawn, minute(wd));
            }
        }
        None => field(&mut out, w.f_received, minute(&r.created_at)),
    }
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
    let consent = match r.consent.as_str() {
        "named" => w.consent_named,
        "anonymous" => w.consent_anonymous,
        other => other,
    };
    field(&mut out, w.f_consent, consent.to_owned());
    field(&mut out, w.f_contact, shown(&o.detail.contact));

    heading(&mut out, w.person_heading);
    if anonymous && s.person.is_empty() {
        field(&mut out, w.f_person, sw.anonymous.to_owned());
    } else {
        field(&mut out, w.f_person, shown(&s.person));
    }
    field(&mut out, w.f_unit, shown(&s.unit));
    field(&mut out, w.f_officer, shown(&s.officer));
    let gender = match s.gender.as_str() {
        "female" => interview_words.g_female,
        "male" => interview_words.g_male,
        "other" => interview_words.g_other,
        "unknown" => interview_words.g_unknown,
        other => other,
    };
    field(&mut out, w.f_gender, gender.to_owned());
    field(
        &mut out,
        w.f_birth_year,
        s.birth_year.map_or_else(
            || {
                if anonymous {
                    sw.not_sent_anonymous.to_owned()
                } else {
                    w.not_given.to_owned()
                }
            },
            |y| y.to_string(),
        ),
    );
    field(&mut out, w.f_nationality, s.nationality.clone());
    field(&mut out, w.f_language, s.language.clone());
    let kind = match s.interpreter {
        Some(Interpreter::None) => interview_words.i_none,
        Some(Interpreter::InPerson) => interview_words.i_in_person,
        Some(Interpreter::Phone) => interview_words.i_phone,
        // The questionnaire asks it, and it was not answered with a value.
        None => w.not_known,
    };
    let interpreter = match &s.person_language {
        Some(l) => format!("{kind} ({l})"),
        None => kind.to_owned(),
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
                format!("    {}: {}", w.officer_note, shown(n)),
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
                e.from.map_or("?", |x| words::status_label(w, x)),
                e.to.map_or("?", |x| words::status_label(w, x))
            ),
            _ => w.ev_note.to_owned(),
        };
        let note = e
            .note
            .as_deref()
            .map_or_else(String::new, |n| format!(" — {}", shown(n)));
        out.push(Line::raw(format!("{at}  {}  {what}{note}", e.actor)));
    }
    (out, heads)
}

/// Draws the referral.
pub fn view(state: &State, d: &DetailState, frame: &mut Frame) {
    let w = state.words();
    let t = state.theme;
    let keys: Vec<(&str, &str)> = match d.mode {
        Mode::Reading => vec![
            ("↑↓ PgUp PgDn Home End", w.key_scroll),
            ("1-7 Tab", w.key_part),
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
    let person = &d.opened.detail.screening.person;
    let anonymous = d.opened.arrival.as_ref().is_some_and(|a| a.anonymous) && person.is_empty();
    let title = format!(
        "{} {} · {}",
        w.detail_title,
        if anonymous {
            crate::words::sites::site_words(&state.lang)
                .anonymous
                .to_owned()
        } else {
            shown(person)
        },
        words::status_label(w, d.opened.detail.row.status)
    );
    let body_area = super::chrome(state, frame, &title, &keys);
    let prompt_height = match &d.mode {
        Mode::Reading => 0,
        Mode::ChooseStatus { .. } => u16::try_from(d.next_statuses().len()).unwrap_or(4) + 3,
        _ => 5,
    };
    let [tabs, content, position, prompt] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(prompt_height),
    ])
    .areas(body_area);
    let text = body(state, content.width);
    let current = current_part(d, &text.parts);
    let mut spans = Vec::new();
    for (i, name) in w.parts().iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        let label = format!("{} {name}", i + 1);
        spans.push(if i == current {
            Span::styled(label, t.focus())
        } else {
            Span::styled(label, t.dim())
        });
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), tabs);
    let top = usize::from(d.scroll).min(text.rows.len().saturating_sub(1));
    let shown: Vec<Line> = text
        .rows
        .iter()
        .skip(top)
        .take(usize::from(content.height))
        .cloned()
        .collect();
    let last = top + shown.len();
    frame.render_widget(Paragraph::new(shown), content);
    let mut where_ = w
        .lines_of
        .replace("{from}", &(top + 1).to_string())
        .replace("{to}", &last.to_string())
        .replace("{n}", &text.rows.len().to_string());
    if last >= text.rows.len() {
        where_.push_str(" · ");
        where_.push_str(w.at_end);
    }
    frame.render_widget(
        Paragraph::new(Line::styled(where_, t.dim())).alignment(Alignment::Right),
        position,
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
                    l.push(Line::styled(
                        format!("> {}", words::status_label(w, *s)),
                        t.focus(),
                    ));
                } else {
                    l.push(Line::raw(format!("  {}", words::status_label(w, *s))));
                }
            }
            frame.render_widget(Paragraph::new(l), inner);
        }
        Mode::StatusNote { to, input } => {
            prompt_input(
                frame,
                inner,
                &w.status_note_prompt
                    .replace("{to}", words::status_label(w, *to)),
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
