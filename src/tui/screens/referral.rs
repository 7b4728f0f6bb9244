//! Making a referral to ROSA: the consent gate first (no consent, no referral: the officer is
//! shown the anonymous-advice path and the helpline instead), then urgency (release or
//! transfer date, expulsion decision) and the officer's contact, then the referral's id.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Margin, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::summary;
use crate::questionnaire::FillField;
use crate::store::fields;
use crate::store::{Consent, Expulsion, NewReferral};
use crate::tui::app::{AfterFinish, Effect, Msg, Screen, Screening, State};
use crate::tui::chrome;
use crate::tui::input::LineInput;
use crate::tui::wrap;
use crate::words::HELPLINE;
use crate::words::fmt;
use crate::words::officer::Strings;

/// Where in the referral the officer is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Asking for consent; the focused choice, if any.
    Consent(Option<usize>),
    /// No consent: no referral; anonymous advice and the helpline.
    NoConsent,
    /// Urgency and contact; the focused field (0 date, 1 expulsion, 2 contact, 3 button).
    Form(usize),
    /// The referral was made.
    Done {
        /// Its id.
        id: String,
    },
}

/// The referral screens' state.
#[derive(Debug, Clone)]
pub struct ReferralState {
    /// The step.
    pub step: Step,
    /// Consent given.
    pub consent: Consent,
    /// Release or transfer date.
    pub release: LineInput,
    /// Expulsion decision.
    pub expulsion: Expulsion,
    /// Officer's contact.
    pub contact: LineInput,
    /// Why the last action was refused.
    pub error: Option<String>,
    /// The fields the answers filled (`fills:`): shown with where they came from, never
    /// asked again.
    pub carried: Carried,
}

/// For each referral field the questionnaire's answers filled, the id of the question whose
/// answer filled it; `None`: the form asks for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Carried {
    /// `referral.consent`.
    pub consent: Option<String>,
    /// `referral.release_date`.
    pub release: Option<String>,
    /// `referral.expulsion`.
    pub expulsion: Option<String>,
}

/// The form's rows: the date, expulsion, the contact, the button.
const ROWS: usize = 4;

impl ReferralState {
    /// True when form row `i` was carried over from the answers (and is not focusable).
    fn is_carried(&self, i: usize) -> bool {
        match i {
            0 => self.carried.release.is_some(),
            1 => self.carried.expulsion.is_some(),
            _ => false,
        }
    }

    /// The next row from `f` that asks for something, going down (`down`) or up; stays at
    /// `f` when there is none.
    fn step_from(&self, f: usize, down: bool) -> usize {
        let mut i = f;
        loop {
            i = if down {
                if i + 1 >= ROWS {
                    return f;
                }
                i + 1
            } else {
                let Some(j) = i.checked_sub(1) else {
                    return f;
                };
                j
            };
            if !self.is_carried(i) {
                return i;
            }
        }
    }

    /// The first row that asks for something.
    fn first_row(&self) -> usize {
        (0..ROWS).find(|i| !self.is_carried(*i)).unwrap_or(ROWS - 1)
    }
}

/// What the officer can do on the referral screens.
#[derive(Debug, Clone)]
pub enum ReferralMsg {
    /// Focus up.
    Up,
    /// Focus down.
    Down,
    /// Pick consent choice n.
    Pick(usize),
    /// Change the focused choice field.
    Cycle,
    /// Confirm / next.
    Enter,
    /// A key for the focused text field.
    Edit(KeyEvent),
    /// Back to the summary (or home after the referral was made).
    Back,
}

/// Opens the referral from the summary: the form takes what the answers filled (consent,
/// release date, expulsion) and asks only for the rest. A consent the answers gave is recorded
/// at once (the consent step is not asked again); otherwise the consent step comes first.
pub fn open(state: &mut State) -> Vec<Effect> {
    let today = state.today;
    let screen = std::mem::replace(&mut state.screen, Screen::Home(Default::default()));
    let Screen::Summary(sc, _) = screen else {
        state.screen = screen;
        return Vec::new();
    };
    let filled = sc.session.filled();
    let mut carried = Carried::default();
    let consent = filled
        .get(FillField::ReferralConsent)
        .and_then(|v| v.parse::<Consent>().ok());
    if consent.is_some() {
        carried.consent = filled
            .question(FillField::ReferralConsent)
            .map(str::to_owned);
    }
    // A filled date outside the window a release can be in (a typing slip in the interview)
    // is not carried: the form shows it, says why, and lets the officer correct it.
    let release = filled.get(FillField::ReferralReleaseDate).unwrap_or("");
    if !release.is_empty() && matches!(fields::release_date(release, today), Ok(Some(_))) {
        carried.release = filled
            .question(FillField::ReferralReleaseDate)
            .map(str::to_owned);
    }
    let expulsion = filled
        .get(FillField::ReferralExpulsion)
        .and_then(|v| v.parse::<Expulsion>().ok());
    if expulsion.is_some() {
        carried.expulsion = filled
            .question(FillField::ReferralExpulsion)
            .map(str::to_owned);
    }
    let r = ReferralState {
        step: Step::Consent(consent.and_then(|c| Consent::ALL.iter().position(|x| *x == c))),
        consent: consent.unwrap_or(Consent::None),
        release: LineInput::new(release),
        expulsion: expulsion.unwrap_or_default(),
        contact: LineInput::new(&sc.details.officer),
        error: None,
        carried,
    };
    let effects = match consent {
        Some(c) => consent_effects(&sc, c),
        None => Vec::new(),
    };
    state.screen = Screen::Referral(sc, Box::new(r));
    effects
}

/// Records `consent`: the result first when the screening is not finished yet (a referral is
/// made from a finished screening), then the consent, whatever it is.
fn consent_effects(sc: &Screening, consent: Consent) -> Vec<Effect> {
    if sc.finished {
        return vec![Effect::Consent {
            screening: sc.id.clone(),
            consent,
        }];
    }
    vec![Effect::Finish {
        screening: sc.id.clone(),
        result: sc.session.result(),
        then: AfterFinish::Consent(consent),
    }]
}

/// The consent is stored: no consent ends here; otherwise urgency and contact follow.
pub fn consent_recorded(state: &mut State, consent: Consent) {
    if let Screen::Referral(_, r) = &mut state.screen {
        r.consent = consent;
        r.step = if consent == Consent::None {
            Step::NoConsent
        } else {
            Step::Form(r.first_row())
        };
    }
}

/// Records the referral id the store gave.
pub fn referred(state: &mut State, id: String) {
    if let Screen::Referral(_, r) = &mut state.screen {
        r.step = Step::Done { id };
        r.error = None;
    }
}

fn text_field(r: &ReferralState) -> bool {
    matches!(r.step, Step::Form(0 | 2))
}

/// Maps a key to a referral message.
#[must_use]
pub fn key(r: &ReferralState, key: KeyEvent) -> Option<Msg> {
    use ReferralMsg as M;
    let m = match key.code {
        KeyCode::Esc => M::Back,
        KeyCode::Enter => M::Enter,
        KeyCode::Up | KeyCode::BackTab => M::Up,
        KeyCode::Down | KeyCode::Tab => M::Down,
        _ if text_field(r) => M::Edit(key),
        KeyCode::Char(c @ '1'..='3') if matches!(r.step, Step::Consent(_)) => {
            M::Pick(c as usize - '1' as usize)
        }
        KeyCode::Left | KeyCode::Right | KeyCode::Char(' ') if r.step == Step::Form(1) => M::Cycle,
        KeyCode::Char('?') => return Some(Msg::Help),
        _ => return None,
    };
    Some(Msg::Referral(m))
}

/// Checks the form with the one validator (`store::fields`; release dates within their
/// window around `today`); the referral or the sentence naming the wrong value.
pub fn request(
    r: &ReferralState,
    today: jiff::civil::Date,
    s: &Strings,
) -> Result<NewReferral, String> {
    let checked = fields::release_date(&r.release.value(), today).and_then(|release_date| {
        NewReferral {
            consent: r.consent,
            release_date,
            expulsion: match r.expulsion {
                Expulsion::Unknown => None,
                e => Some(e),
            },
            contact: r.contact.value(),
        }
        .validated(today)
    });
    checked.map_err(|e| fmt::invalid(&e, s))
}

/// Applies a referral message.
pub fn update(state: &mut State, msg: ReferralMsg) -> Vec<Effect> {
    use ReferralMsg as M;
    let s = state.strings();
    let today = state.today;
    let Screen::Referral(sc, r) = &mut state.screen else {
        return Vec::new();
    };
    let n = Consent::ALL.len();
    match (&r.step, msg) {
        (Step::Done { .. } | Step::NoConsent, M::Enter | M::Back) => {
            return vec![Effect::LoadHome];
        }
        (Step::Consent(_) | Step::Form(_), M::Back) => summary::open(state),
        (Step::Consent(c), M::Up) => {
            r.step = Step::Consent(Some(c.map_or(n - 1, |i| i.saturating_sub(1))))
        }
        (Step::Consent(c), M::Down) => {
            r.step = Step::Consent(Some(c.map_or(0, |i| (i + 1).min(n - 1))))
        }
        (Step::Consent(_), M::Pick(i)) => r.step = Step::Consent(Some(i.min(n - 1))),
        (Step::Consent(None), M::Enter) => r.error = Some(s.choose_first.to_string()),
        (Step::Consent(Some(i)), M::Enter) => {
            r.error = None;
            let consent = Consent::ALL.get(*i).copied().unwrap_or(Consent::None);
            r.consent = consent;
            return consent_effects(sc, consent);
        }
        (Step::Form(f), M::Up) => r.step = Step::Form(r.step_from(*f, false)),
        (Step::Form(f), M::Down) => r.step = Step::Form(r.step_from(*f, true)),
        (Step::Form(1), M::Cycle) => {
            let all = Expulsion::ALL;
            let i = all.iter().position(|e| *e == r.expulsion).unwrap_or(0);
            r.expulsion = all.get((i + 1) % all.len()).copied().unwrap_or_default();
        }
        (Step::Form(f), M::Edit(k)) => {
            let f = *f;
            if f == 0 {
                r.release.key(k);
            } else if f == 2 {
                r.contact.key(k);
            }
        }
        (Step::Form(f), M::Enter) if *f < ROWS - 1 => r.step = Step::Form(r.step_from(*f, true)),
        (Step::Form(_), M::Enter) => match request(r, today, s) {
            Ok(request) => {
                r.error = None;
                return vec![Effect::Refer {
                    screening: sc.id.clone(),
                    request,
                }];
            }
            Err(e) => r.error = Some(e),
        },
        _ => {}
    }
    Vec::new()
}

fn consent_word(c: Consent, s: &Strings) -> &'static str {
    match c {
        Consent::Named => s.consent_named,
        Consent::Anonymous => s.consent_anonymous,
        Consent::None => s.consent_none,
    }
}

fn expulsion_word(e: Expulsion, s: &Strings) -> &'static str {
    match e {
        Expulsion::Unknown => s.expulsion_unknown,
        Expulsion::Yes => s.expulsion_yes,
        Expulsion::No => s.expulsion_no,
        Expulsion::Pending => s.expulsion_pending,
    }
}

/// What the release field says under it while it is typed: the date as read (`18.12.2026`
/// is read as 2026-12-18), or why it is refused, by the one validator (`store::fields`).
/// `None` while it is empty.
fn release_check(
    r: &ReferralState,
    today: jiff::civil::Date,
    s: &Strings,
) -> Option<Result<String, String>> {
    match fields::release_date(&r.release.value(), today) {
        Ok(Some(d)) => Some(Ok(s.date_understood.replace("{date}", &d.to_string()))),
        Ok(None) => None,
        Err(e) => Some(Err(fmt::invalid(&e, s))),
    }
}

/// "from the answer to "<question>"" for a carried field.
fn carried_note(sc: &Screening, question: &str, lang: &str, s: &Strings) -> String {
    let text = sc
        .session
        .questionnaire()
        .question(question)
        .map_or_else(|| question.to_owned(), |q| q.text.show(lang).to_owned());
    s.carried_from.replace("{question}", &text)
}

/// Draws `lines` wrapped to the area's width with a hanging indent from row `y` down, as far
/// as the area goes; returns the row after them.
pub(crate) fn put(frame: &mut Frame, area: Rect, y: u16, lines: &[Line<'_>]) -> u16 {
    put_hanging(frame, area, y, lines, 2)
}

/// [`put`] with continuation rows indented `hang` cells (0 for running text).
fn put_hanging(frame: &mut Frame, area: Rect, y: u16, lines: &[Line<'_>], hang: usize) -> u16 {
    let width = usize::from(area.width);
    let rows: Vec<Line<'static>> = lines
        .iter()
        .flat_map(|l| wrap::wrap_line_hanging(l, width, hang))
        .collect();
    let mut y = y;
    for row in rows {
        if y >= area.bottom() {
            break;
        }
        frame.render_widget(Paragraph::new(row), Rect::new(area.x, y, area.width, 1));
        y += 1;
    }
    y
}

/// The urgency and contact form: each row a label and its value; a carried row shows the
/// value and the question it came from; the date says how it was read (or why not) as it is
/// typed. Every text wraps with a hanging indent, so nothing is cut at 80 columns.
#[allow(clippy::too_many_lines)] // one row after the other, kept in reading order
fn form(state: &State, sc: &Screening, r: &ReferralState, f: usize, area: Rect, frame: &mut Frame) {
    let s = state.strings();
    let t = state.theme;
    let lang = state.lang.as_str();
    let mut head = vec![Line::styled(
        format!("{}: {}", s.consent_word, consent_word(r.consent, s)),
        t.bold(),
    )];
    if let Some(q) = &r.carried.consent {
        head.push(Line::styled(
            format!("  {}", carried_note(sc, q, lang, s)),
            t.dim(),
        ));
    }
    head.push(Line::styled(s.urgency_explain, t.dim()));
    let mut y = put(frame, area, area.y, &head) + 1;

    let labels = [s.f_release, s.f_expulsion, s.f_contact];
    // The label column fits the longest label (plus the focus marker and a gap), up to three
    // fifths of the width; a longer label wraps inside it.
    let label_w = labels
        .iter()
        .map(|l| wrap::width(l))
        .max()
        .unwrap_or(0)
        .saturating_add(4)
        .min(usize::from(area.width) * 3 / 5);
    let label_w16 = u16::try_from(label_w).unwrap_or(area.width / 2);
    let value_w = area.width.saturating_sub(label_w16);
    for (i, label) in labels.iter().enumerate() {
        if y >= area.bottom() {
            break;
        }
        let focused = f == i;
        let carried = r.is_carried(i);
        let label_rows = wrap::wrap_flush(label, label_w.saturating_sub(4).max(1));
        let style = if focused {
            t.focus()
        } else {
            ratatui::style::Style::new()
        };
        for (n, text) in label_rows.iter().enumerate() {
            let row_y = y + u16::try_from(n).unwrap_or(0);
            if row_y >= area.bottom() {
                break;
            }
            let marker = if focused && n == 0 { "> " } else { "  " };
            frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::raw(marker),
                    Span::styled(text.clone(), if focused { t.bold() } else { t.dim() }),
                ])),
                Rect::new(area.x, row_y, label_w16, 1),
            );
        }
        let value = Rect::new(area.x + label_w16, y, value_w, 1);
        match i {
            0 if carried => {
                let shown = fields::release_date(&r.release.value(), state.today)
                    .ok()
                    .flatten()
                    .map_or_else(|| r.release.value(), |d| d.to_string());
                frame.render_widget(Paragraph::new(Line::styled(shown, t.bold())), value);
            }
            0 => {
                r.release.render(frame, value, focused, style);
                if !focused && r.release.is_empty() {
                    frame.render_widget(
                        Paragraph::new(Line::styled(s.date_optional, t.dim())),
                        value,
                    );
                }
            }
            1 => {
                let word = expulsion_word(r.expulsion, s);
                let shown = if carried {
                    word.to_owned()
                } else {
                    format!("< {word} >")
                };
                frame.render_widget(
                    Paragraph::new(Line::styled(shown, if carried { t.bold() } else { style })),
                    value,
                );
                if focused {
                    frame.set_cursor_position(Position::new(value.x + 2, y));
                }
            }
            _ => {
                r.contact.render(frame, value, focused, style);
            }
        }
        y += u16::try_from(label_rows.len().max(1)).unwrap_or(1);
        // Under the row: where a carried value came from, or how the typed date was read.
        let note =
            match (i, carried) {
                (0, true) => r.carried.release.as_deref().map(|q| {
                    Line::styled(format!("    {}", carried_note(sc, q, lang, s)), t.dim())
                }),
                (1, true) => r.carried.expulsion.as_deref().map(|q| {
                    Line::styled(format!("    {}", carried_note(sc, q, lang, s)), t.dim())
                }),
                (0, false) => release_check(r, state.today, s).map(|c| match c {
                    Ok(read) => Line::styled(format!("    {read}"), t.dim()),
                    Err(e) => Line::styled(format!("    {}: {e}", s.error_word), t.error()),
                }),
                _ => None,
            };
        if let Some(note) = note {
            y = put(frame, area, y, &[note]);
        }
    }
    y += 1;
    if y < area.bottom() {
        let focused = f == ROWS - 1;
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::raw(if focused { "> " } else { "  " }),
                Span::styled(
                    format!("[ {} ]", s.send_referral),
                    if focused { t.focus() } else { t.bold() },
                ),
            ])),
            Rect::new(area.x, y, area.width, 1),
        );
        if focused {
            frame.set_cursor_position(Position::new(area.x + 2, y));
        }
    }
    if let Some(e) = &r.error {
        put(
            frame,
            area,
            y + 2,
            &[Line::styled(format!("{}: {e}", s.error_word), t.error())],
        );
    }
}

/// Draws the referral screens.
#[allow(clippy::too_many_lines)] // each step is a short block, kept together
pub fn view(state: &State, sc: &Screening, r: &ReferralState, frame: &mut Frame) {
    let s = state.strings();
    let t = state.theme;
    let keys: Vec<(&str, &str)> = match r.step {
        Step::Consent(_) => vec![
            ("↑↓/1-3", s.key_choose),
            ("Enter", s.key_confirm),
            ("Esc", s.key_back_summary),
            ("?", s.key_help),
        ],
        Step::Form(_) => vec![
            ("Tab/↓", s.key_next_field),
            ("↑", s.key_prev_field),
            ("Enter", s.key_next_or_send),
            ("Esc", s.key_back_summary),
        ],
        Step::NoConsent | Step::Done { .. } => vec![("Enter", s.key_home)],
    };
    let title = format!(
        "{} · {}",
        s.referral_title,
        crate::tui::shown(&sc.details.person)
    );
    let body = chrome::draw(state, frame, &title, &keys);
    let area = body.inner(Margin {
        horizontal: 2,
        vertical: 1,
    });
    // The line the cursor sits on (an index into `lines`); its row is found after wrapping.
    let mut cursor_line = 0usize;
    let mut lines: Vec<Line> = Vec::new();
    match &r.step {
        Step::Consent(focus) => {
            lines.push(Line::styled(s.consent_question, t.bold()));
            lines.push(Line::styled(s.consent_explain, t.dim()));
            lines.push(Line::from(""));
            for (i, c) in Consent::ALL.iter().enumerate() {
                let focused = *focus == Some(i);
                if focused || (focus.is_none() && i == 0) {
                    cursor_line = lines.len();
                }
                lines.push(Line::styled(
                    format!(
                        "{} {}. {}",
                        if focused { ">" } else { " " },
                        i + 1,
                        consent_word(*c, s)
                    ),
                    if focused {
                        t.focus()
                    } else {
                        ratatui::style::Style::new()
                    },
                ));
            }
        }
        Step::NoConsent => {
            lines.push(Line::styled(s.no_consent_title, t.warn()));
            lines.push(Line::from(""));
            lines.push(Line::from(s.no_consent_text));
            lines.push(Line::from(""));
            lines.push(Line::styled(
                format!("{} {}", s.helpline_line, HELPLINE),
                t.bold(),
            ));
        }
        Step::Form(f) => {
            form(state, sc, r, *f, area, frame);
            return;
        }
        Step::Done { id } => {
            lines.push(Line::styled(s.referral_made, t.title()));
            lines.push(Line::from(""));
            lines.push(Line::from(vec![
                Span::styled(format!("{}: ", s.referral_id), t.bold()),
                Span::raw(id.clone()),
            ]));
            let rows = [
                (s.f_person, crate::tui::shown(&sc.details.person)),
                (s.f_unit, crate::tui::shown(&sc.details.unit)),
                (s.consent_word, consent_word(r.consent, s).to_string()),
                (
                    s.f_release,
                    fields::release_date(&r.release.value(), state.today)
                        .ok()
                        .flatten()
                        .map_or_else(String::new, |d| d.to_string()),
                ),
                (s.f_expulsion, expulsion_word(r.expulsion, s).to_string()),
                (s.f_contact, crate::tui::shown(&r.contact.value())),
            ];
            for (k, v) in rows {
                lines.push(Line::from(format!(
                    "{k}: {}",
                    if v.is_empty() { "-" } else { &v }
                )));
            }
            lines.push(Line::from(""));
            // What happens next depends on where the referral is now (product.md, "Two
            // sites"): at a prison it waits for the hand-off; in a database ROSA works from
            // directly it is in the queue already.
            let sw = crate::words::sites::site_words(&state.lang);
            lines.push(Line::from(
                if state.site == Some(crate::settings::Site::Prison) {
                    sw.next_prison
                } else {
                    sw.next_direct
                },
            ));
            lines.push(Line::styled(
                format!("{} {}", s.helpline_line, HELPLINE),
                t.bold(),
            ));
        }
    }
    if let Some(e) = &r.error {
        lines.push(Line::from(""));
        lines.push(Line::styled(format!("{}: {e}", s.error_word), t.error()));
    }
    // Running text, wrapped flush (never cut at 80 columns); the cursor row counts the rows
    // the lines before its line took.
    let width = usize::from(area.width);
    let before: usize = lines
        .iter()
        .take(cursor_line)
        .map(|l| wrap::wrap_line_hanging(l, width, 0).len())
        .sum();
    put_hanging(frame, area, area.y, &lines, 0);
    let row = area
        .y
        .saturating_add(u16::try_from(before).unwrap_or(u16::MAX));
    frame.set_cursor_position(Position::new(
        area.x,
        row.min(area.bottom().saturating_sub(1)),
    ));
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::screening::{Answer, Session};
    use crate::tui::app::{State, update};
    use crate::tui::theme::Theme;

    /// Consent, release date and expulsion all filled by answers.
    const FILLS: &str = r#"
format: 1
id: t
version: "1"
languages: [en]
title: T
dimensions: [{id: d, label: D, positive_when: "strong() >= 1"}]
indicators: [{id: i, dimension: d, strength: strong, label: I}]
sections:
  - id: s
    title: S
    questions:
      - {id: q, kind: yes_no, text: Q, raises: {yes: [i]}}
      - {id: release, kind: date, text: When?, required: false, fills: referral.release_date}
      - id: expulsion
        kind: single
        text: Expulsion?
        fills: referral.expulsion
        choices:
          - {id: p, label: Pending, fills: pending}
          - {id: n, label: No, fills: "no"}
      - id: consent
        kind: single
        allow: []
        text: May we tell ROSA?
        fills: referral.consent
        choices:
          - {id: named, label: Named, fills: named}
          - {id: refuses, label: No, fills: none}
outcomes:
  - {id: refer, when: "positive(d)", label: R, advice: A, referral: recommended}
  - {id: none_seen, label: N, advice: A, referral: offered}
"#;

    /// On the summary after answering with `release` (typed) and consent `consent`.
    fn summary(release: &str, consent: &str) -> State {
        let q = Arc::new(crate::questionnaire::open(FILLS, "t.yaml").unwrap());
        let mut state = State::new(Arc::clone(&q), Some("en"), Theme::new(false));
        state.today = jiff::civil::date(2026, 11, 30);
        let mut session = Session::new(Arc::clone(&q));
        session.answer(Answer::Choice("yes".into())).unwrap();
        let date = q
            .question("release")
            .map(|x| Answer::parse(x, release).unwrap());
        session.answer(date.unwrap()).unwrap();
        session.answer(Answer::Choice("p".into())).unwrap();
        session.answer(Answer::Choice(consent.into())).unwrap();
        let result = session.result();
        state.screen = Screen::Summary(
            Box::new(Screening {
                id: "s1".into(),
                details: crate::store::NewScreening {
                    officer: "Officer B".into(),
                    ..Default::default()
                },
                session,
                finished: false,
            }),
            summary::SummaryState {
                result,
                scroll: 0,
                error: None,
                confirm: false,
            },
        );
        state
    }

    fn referral(state: &State) -> &ReferralState {
        let Screen::Referral(_, r) = &state.screen else {
            panic!("on the referral screens");
        };
        r
    }

    #[test]
    fn what_the_answers_filled_is_carried_and_not_asked() {
        let mut state = summary("18.12.2026", "named");
        // A filled consent is recorded at once (the result first): no consent step to answer.
        let effects = open(&mut state);
        assert!(matches!(
            effects.as_slice(),
            [Effect::Finish {
                then: AfterFinish::Consent(Consent::Named),
                ..
            }]
        ));
        consent_recorded(&mut state, Consent::Named);
        let r = referral(&state);
        assert_eq!(r.carried.release.as_deref(), Some("release"));
        assert_eq!(r.carried.expulsion.as_deref(), Some("expulsion"));
        assert_eq!(r.carried.consent.as_deref(), Some("consent"));
        // The focus starts on the contact and never lands on a carried row.
        assert_eq!(r.step, Step::Form(2));
        update(&mut state, Msg::Referral(ReferralMsg::Up));
        assert_eq!(referral(&state).step, Step::Form(2));
        update(&mut state, Msg::Referral(ReferralMsg::Down));
        assert_eq!(referral(&state).step, Step::Form(3));
        let r = referral(&state);
        let req = request(r, jiff::civil::date(2026, 11, 30), state.strings()).unwrap();
        assert_eq!(req.release_date, Some(jiff::civil::date(2026, 12, 18)));
        assert_eq!(req.expulsion, Some(Expulsion::Pending));
        assert_eq!(req.consent, Consent::Named);
    }

    #[test]
    fn a_filled_date_outside_its_window_is_asked_again_and_refusal_goes_to_no_consent() {
        let mut state = summary("1999-01-01", "refuses");
        let effects = open(&mut state);
        assert!(matches!(
            effects.as_slice(),
            [Effect::Finish {
                then: AfterFinish::Consent(Consent::None),
                ..
            }]
        ));
        let r = referral(&state);
        assert_eq!(
            r.carried.release, None,
            "a date the validator refuses is not carried"
        );
        assert_eq!(
            r.release.value(),
            "1999-01-01",
            "it is shown to be corrected"
        );
        assert!(release_check(r, state.today, state.strings()).is_some_and(|c| c.is_err()));
        consent_recorded(&mut state, Consent::None);
        assert_eq!(referral(&state).step, Step::NoConsent);
    }
}
