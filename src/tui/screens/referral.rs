//! Making a referral to ROSA: the consent gate first (no consent, no referral: the officer is
//! shown the anonymous-advice path and the helpline instead), then urgency (release or
//! transfer date, expulsion decision) and the officer's contact, then the referral's id.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Margin, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::summary;
use crate::store::fields;
use crate::store::{Consent, Expulsion, NewReferral};
use crate::tui::app::{AfterFinish, Effect, Msg, Screen, Screening, State};
use crate::tui::chrome;
use crate::tui::input::LineInput;
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

/// Opens the consent step from the summary.
pub fn open(state: &mut State) {
    let screen = std::mem::replace(&mut state.screen, Screen::Home(Default::default()));
    state.screen = match screen {
        Screen::Summary(sc, _) => {
            let contact = LineInput::new(&sc.details.officer);
            Screen::Referral(
                sc,
                Box::new(ReferralState {
                    step: Step::Consent(None),
                    consent: Consent::None,
                    release: LineInput::default(),
                    expulsion: Expulsion::Unknown,
                    contact,
                    error: None,
                }),
            )
        }
        other => other,
    };
}

/// The consent is stored: no consent ends here; otherwise urgency and contact follow.
pub fn consent_recorded(state: &mut State, consent: Consent) {
    if let Screen::Referral(_, r) = &mut state.screen {
        r.consent = consent;
        r.step = if consent == Consent::None {
            Step::NoConsent
        } else {
            Step::Form(0)
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
            // A referral is made from a finished screening: store the result first (once),
            // then the consent, whatever it is.
            if sc.finished {
                return vec![Effect::Consent {
                    screening: sc.id.clone(),
                    consent,
                }];
            }
            return vec![Effect::Finish {
                screening: sc.id.clone(),
                result: sc.session.result(),
                then: AfterFinish::Consent(consent),
            }];
        }
        (Step::Form(f), M::Up) => r.step = Step::Form(f.saturating_sub(1)),
        (Step::Form(f), M::Down) => r.step = Step::Form((f + 1).min(3)),
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
        (Step::Form(f), M::Enter) if *f < 3 => r.step = Step::Form(f + 1),
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
    let mut cursor = Position::new(area.x, area.y);
    let mut lines: Vec<Line> = Vec::new();
    match &r.step {
        Step::Consent(focus) => {
            lines.push(Line::styled(s.consent_question, t.bold()));
            lines.push(Line::styled(s.consent_explain, t.dim()));
            lines.push(Line::from(""));
            for (i, c) in Consent::ALL.iter().enumerate() {
                let focused = *focus == Some(i);
                if focused {
                    cursor =
                        Position::new(area.x, area.y + u16::try_from(lines.len()).unwrap_or(0));
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
            if focus.is_none() {
                cursor = Position::new(area.x, area.y + 3);
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
            lines.push(Line::styled(
                format!("{}: {}", s.consent_word, consent_word(r.consent, s)),
                t.bold(),
            ));
            lines.push(Line::styled(s.urgency_explain, t.dim()));
            lines.push(Line::from(""));
            let label_w = 40u16;
            let rows: [(&str, usize); 3] = [(s.f_release, 0), (s.f_expulsion, 1), (s.f_contact, 2)];
            frame.render_widget(
                Paragraph::new(lines.clone()).wrap(Wrap { trim: true }),
                area,
            );
            for (label, i) in rows {
                let y = area.y + 4 + u16::try_from(i).unwrap_or(0);
                let focused = *f == i;
                frame.render_widget(
                    Paragraph::new(Line::from(vec![
                        Span::raw(if focused { "> " } else { "  " }),
                        Span::styled(label, if focused { t.bold() } else { t.dim() }),
                    ])),
                    Rect::new(area.x, y, label_w, 1),
                );
                let value = Rect::new(area.x + label_w, y, area.width.saturating_sub(label_w), 1);
                let style = if focused {
                    t.focus()
                } else {
                    ratatui::style::Style::new()
                };
                match i {
                    0 => {
                        r.release.render(frame, value, focused, style);
                        if !focused && r.release.is_empty() {
                            frame.render_widget(
                                Paragraph::new(Line::styled(s.date_optional, t.dim())),
                                value,
                            );
                        }
                    }
                    2 => r.contact.render(frame, value, focused, style),
                    _ => {
                        frame.render_widget(
                            Paragraph::new(Line::styled(
                                format!("< {} >", expulsion_word(r.expulsion, s)),
                                style,
                            )),
                            value,
                        );
                        if focused {
                            frame.set_cursor_position(Position::new(value.x + 2, y));
                        }
                    }
                }
            }
            let y = area.y + 8;
            let focused = *f == 3;
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
            if let Some(e) = &r.error {
                frame.render_widget(
                    Paragraph::new(Line::styled(format!("{}: {e}", s.error_word), t.error()))
                        .wrap(Wrap { trim: true }),
                    Rect::new(area.x, y + 2, area.width, 2),
                );
            }
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
                (s.f_release, r.release.value()),
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
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
    frame.set_cursor_position(cursor);
}
