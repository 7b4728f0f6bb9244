//! The application state, its messages and effects, and the three pure functions around them:
//! [`to_msg`] (an event becomes a message), [`update`] (a message changes the state and asks for
//! effects, never doing IO itself) and [`view`] (draws the state, changing nothing).
//!
//! One answer, from key press to SQLite (the same verb on every path):
//! key -> [`to_msg`] -> `Msg::Interview` -> `Session::prepare` (checks; nothing moves) ->
//! [`Effect::Record`] -> runner -> `Store::record` (one IMMEDIATE transaction, on disk) ->
//! [`Msg::Recorded`] -> `Session::apply` (the walk moves) -> next frame. A failed write becomes
//! [`Msg::StoreFailed`]: the banner shows it and the screen keeps what was typed.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::screens::{details, flag_panel, help, home, interview, referral, sites, summary};
use super::theme::Theme;
use crate::questionnaire::Questionnaire;
use crate::screening::{Pending, ScreeningResult, Session};
use crate::store::{
    Consent, ImmediateRecord, NewReferral, NewScreening, Resumed, ScreeningSummary,
};
use crate::words::officer::{Strings, strings};

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
/// The smallest terminal the screens are laid out for.
pub const MIN_HEIGHT: u16 = 24;

/// One screening being run: its id in the store, its details and the session walking it.
#[derive(Debug, Clone)]
pub struct Screening {
    /// The store's id.
    pub id: String,
    /// What was recorded before the first question.
    pub details: NewScreening,
    /// The walk through the questionnaire.
    pub session: Session,
    /// The result is stored and the answers can no longer change.
    pub finished: bool,
}

/// The screen on show, with its own state.
#[derive(Debug, Clone)]
pub enum Screen {
    /// Start, resume, review queue, quit.
    Home(home::HomeState),
    /// The details form before a new screening.
    Details(Box<details::DetailsState>),
    /// The questions.
    Interview(Box<Screening>, Box<interview::InterviewState>),
    /// Flags, outcome, indicators.
    Summary(Box<Screening>, summary::SummaryState),
    /// Consent, urgency, contact, and the referral made.
    Referral(Box<Screening>, Box<referral::ReferralState>),
    /// The hand-off (prison), imports or registered prisons (ROSA).
    Site(sites::SiteScreen),
}

/// Why the application loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The officer quit (everything was already saved).
    Quit,
    /// The officer asked for the review queue (opened by `commands::review::home`).
    OpenReview,
}

/// The whole state of the terminal UI.
#[derive(Debug, Clone)]
pub struct State {
    /// The questionnaire new screenings use.
    pub questionnaire: Arc<Questionnaire>,
    /// The language of the screens (and of the questions for the officer).
    pub lang: String,
    /// Styles.
    pub theme: Theme,
    /// The screen on show.
    pub screen: Screen,
    /// The help overlay is open.
    pub help: bool,
    /// The last storage failure, shown until the next successful action.
    pub banner: Option<String>,
    /// The details of the latest screening on this machine (for the form's defaults).
    pub defaults: Option<NewScreening>,
    /// The terminal's size in cells.
    pub size: (u16, u16),
    /// Set when the loop must end.
    pub exit: Option<Exit>,
    /// This year (the latest valid year of birth); read once so `update` stays pure.
    pub this_year: i32,
    /// Today (release dates are checked against it); read once so `update` stays pure.
    pub today: jiff::civil::Date,
    /// The kind of site (from the settings): what the home screen offers.
    pub site: Option<crate::settings::Site>,
    /// The hand-off files and folders and the purge period (from the settings).
    pub setup: sites::SiteSetup,
}

impl State {
    /// A fresh state on the home screen. `lang` falls back to the questionnaire's default
    /// language when the questionnaire does not have it.
    #[must_use]
    pub fn new(questionnaire: Arc<Questionnaire>, lang: Option<&str>, theme: Theme) -> Self {
        let lang = lang
            .filter(|l| questionnaire.languages.iter().any(|x| x == l))
            .unwrap_or_else(|| questionnaire.default_language())
            .to_string();
        Self {
            questionnaire,
            lang,
            theme,
            screen: Screen::Home(home::HomeState::default()),
            help: false,
            banner: None,
            defaults: None,
            size: (MIN_WIDTH, MIN_HEIGHT),
            exit: None,
            this_year: crate::store::fields::this_year(),
            today: crate::store::fields::today(),
            site: None,
            setup: sites::SiteSetup::default(),
        }
    }

    /// The screens' words in the current language.
    #[must_use]
    pub fn strings(&self) -> &'static Strings {
        strings(&self.lang)
    }

    /// True when the terminal is smaller than the screens need.
    #[must_use]
    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    /// The next display language after the current one (wrapping), for the switch key.
    #[must_use]
    pub fn next_lang(&self, q: &Questionnaire) -> String {
        let langs = &q.languages;
        let i = langs.iter().position(|l| *l == self.lang).unwrap_or(0);
        langs
            .get((i + 1) % langs.len().max(1))
            .cloned()
            .unwrap_or_else(|| self.lang.clone())
    }
}

/// What follows once the result is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFinish {
    /// Back to the home screen (finished without a referral).
    Home,
    /// Record this consent (the referral's first step).
    Consent(Consent),
}

/// Work for the runner: every storage call goes through here.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Read unfinished screenings and the latest details.
    LoadHome,
    /// Start a screening with these details.
    Start {
        /// The questionnaire to run.
        questionnaire: Arc<Questionnaire>,
        /// The details.
        details: NewScreening,
    },
    /// Read a screening back.
    Resume(String),
    /// Save a prepared move durably (`Store::record`); on success the runner sends
    /// [`Msg::Recorded`] and only then does the session move.
    Record {
        /// The screening id.
        screening: String,
        /// The move, checked by `Session::prepare`.
        pending: Pending,
    },
    /// Record the result.
    Finish {
        /// The screening id.
        screening: String,
        /// The result.
        result: ScreeningResult,
        /// What follows.
        then: AfterFinish,
    },
    /// Record the person's consent.
    Consent {
        /// The screening id.
        screening: String,
        /// The consent.
        consent: Consent,
    },
    /// Make a referral.
    Refer {
        /// The screening id.
        screening: String,
        /// The referral.
        request: NewReferral,
    },
    /// Record immediate flags an answer just raised (`Store::record_immediate`), so a
    /// screening resumed before they are acknowledged shows them again.
    RecordFlags {
        /// The screening id.
        screening: String,
        /// The flag ids.
        flags: Vec<String>,
    },
    /// Record that the officer acknowledged an immediate flag (`Store::acknowledge_immediate`,
    /// with the store's actor: the login name).
    AcknowledgeFlag {
        /// The screening id.
        screening: String,
        /// The flag id.
        flag: String,
    },
    /// Hand-off, import and sites work (`screens::sites`).
    Site(sites::SiteEffect),
}

/// Everything that can happen: officers' intentions (from keys) and effects' results.
#[derive(Debug, Clone)]
pub enum Msg {
    /// Leave the program (everything is already saved).
    Quit,
    /// The terminal was resized.
    Resize(u16, u16),
    /// Open or close the help overlay.
    Help,
    /// A key on the home screen.
    Home(home::HomeMsg),
    /// A key on the details form.
    Details(details::DetailsMsg),
    /// A key in the interview.
    Interview(interview::InterviewMsg),
    /// A key on the summary.
    Summary(summary::SummaryMsg),
    /// A key on the referral screens.
    Referral(referral::ReferralMsg),
    /// Home data read.
    HomeLoaded {
        /// Unfinished screenings.
        unfinished: Vec<ScreeningSummary>,
        /// The latest details.
        defaults: Option<NewScreening>,
    },
    /// A screening was started.
    Started {
        /// Its id.
        id: String,
        /// Its details.
        details: NewScreening,
    },
    /// A screening was read back, with what the store recorded about its immediate flags.
    Resumed(Box<Resumed>, Vec<ImmediateRecord>),
    /// A prepared move is on disk: apply it (`Session::apply`).
    Recorded(Pending),
    /// The result was recorded.
    Finished(AfterFinish),
    /// The consent was recorded.
    ConsentRecorded(Consent),
    /// A referral was made.
    Referred(String),
    /// A storage call failed: the sentence to show. Nothing on screen was lost.
    StoreFailed(String),
    /// Enter on the immediate-flag panel: acknowledge the flag it shows.
    Acknowledge,
    /// Immediate flags raised by an answer are recorded.
    FlagsRecorded,
    /// The acknowledgement of this immediate flag is recorded: the panel moves on.
    FlagAcknowledged(String),
    /// A key on a two-site screen, or the result of its work.
    Site(sites::SiteMsg),
}

/// Turns a terminal event into a message for the screen on show (or none).
#[must_use]
pub fn to_msg(state: &State, event: &Event) -> Option<Msg> {
    match event {
        Event::Resize(w, h) => Some(Msg::Resize(*w, *h)),
        Event::Key(key) if key.kind != KeyEventKind::Release => key_msg(state, *key),
        _ => None,
    }
}

fn key_msg(state: &State, key: KeyEvent) -> Option<Msg> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Msg::Quit);
    }
    if state.too_small() {
        // Nothing else is visible, so nothing else may happen.
        return None;
    }
    if state.help {
        return Some(Msg::Help);
    }
    if key.code == KeyCode::F(1) {
        return Some(Msg::Help);
    }
    if flag_panel::showing(state) {
        // An immediate flag interrupts: only its acknowledgement (and help, and Ctrl-C) goes
        // on until the officer has read it.
        return flag_panel::key(key);
    }
    match &state.screen {
        Screen::Home(s) => home::key(s, key),
        Screen::Details(s) => details::key(s, key),
        Screen::Interview(sc, s) => interview::key(sc, s, key),
        Screen::Summary(_, s) => summary::key(s, key),
        Screen::Referral(_, s) => referral::key(s, key),
        Screen::Site(s) => sites::key(s, key),
    }
}

/// Applies a message; returns the effects the runner must perform. Never does IO.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Quit => {
            state.exit = Some(Exit::Quit);
            Vec::new()
        }
        Msg::Resize(w, h) => {
            state.size = (w, h);
            Vec::new()
        }
        Msg::Help => {
            state.help = !state.help;
            Vec::new()
        }
        Msg::StoreFailed(sentence) => {
            state.banner = Some(sentence);
            Vec::new()
        }
        Msg::HomeLoaded {
            unfinished,
            defaults,
        } => {
            state.defaults = defaults;
            state.banner = None;
            state.screen = Screen::Home(home::HomeState::with(unfinished).at_site(state.site));
            // The hand-off counts, imports waiting and a purge reminder follow.
            vec![sites::load_facts(state)]
        }
        Msg::Site(m) => sites::update(state, m),
        Msg::Home(m) => home::update(state, m),
        Msg::Details(m) => details::update(state, m),
        Msg::Started { id, details } => {
            state.banner = None;
            let session = Session::new(Arc::clone(&state.questionnaire));
            interview::open(
                state,
                Screening {
                    id,
                    details,
                    session,
                    finished: false,
                },
            )
        }
        Msg::Resumed(r, immediate) => {
            state.banner = None;
            let mut session = Session::restore(r.questionnaire, r.screening.entries());
            // Flags acknowledged before stay acknowledged; the others interrupt again.
            for f in &immediate {
                session.restore_immediate(&f.flag, f.acknowledged_at.is_some());
            }
            let details = r.screening.details();
            interview::open(
                state,
                Screening {
                    id: r.screening.id,
                    details,
                    session,
                    finished: false,
                },
            )
        }
        Msg::Interview(m) => interview::update(state, m),
        Msg::Recorded(pending) => interview::recorded(state, pending),
        Msg::Finished(then) => {
            state.banner = None;
            summary::finished(state, then)
        }
        Msg::ConsentRecorded(c) => {
            state.banner = None;
            referral::consent_recorded(state, c);
            Vec::new()
        }
        Msg::Summary(m) => summary::update(state, m),
        Msg::Referral(m) => referral::update(state, m),
        Msg::Referred(id) => {
            state.banner = None;
            referral::referred(state, id);
            Vec::new()
        }
        Msg::Acknowledge => flag_panel::acknowledge(state),
        Msg::FlagsRecorded => {
            state.banner = None;
            Vec::new()
        }
        Msg::FlagAcknowledged(flag) => {
            state.banner = None;
            flag_panel::acknowledged(state, &flag);
            Vec::new()
        }
    }
}

/// The screening on show (interview, summary or referral), if any.
#[must_use]
pub fn screening(screen: &Screen) -> Option<&Screening> {
    match screen {
        Screen::Interview(sc, _) | Screen::Summary(sc, _) | Screen::Referral(sc, _) => Some(sc),
        Screen::Home(_) | Screen::Details(_) | Screen::Site(_) => None,
    }
}

/// The screening on show, to change (see [`screening`]).
pub fn screening_mut(screen: &mut Screen) -> Option<&mut Screening> {
    match screen {
        Screen::Interview(sc, _) | Screen::Summary(sc, _) | Screen::Referral(sc, _) => Some(sc),
        Screen::Home(_) | Screen::Details(_) | Screen::Site(_) => None,
    }
}

/// Draws the state. Changes nothing.
pub fn view(state: &State, frame: &mut Frame) {
    let area = frame.area();
    let s = state.strings();
    if state.too_small() || area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = vec![
            Line::styled(s.too_small_title, state.theme.error()),
            Line::from(
                s.too_small
                    .replace("{w}", &area.width.to_string())
                    .replace("{h}", &area.height.to_string()),
            ),
            Line::from(s.quit_hint),
        ];
        frame.render_widget(
            Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    match &state.screen {
        Screen::Home(h) => home::view(state, h, frame),
        Screen::Details(d) => details::view(state, d, frame),
        Screen::Interview(sc, i) => interview::view(state, sc, i, frame),
        Screen::Summary(sc, su) => summary::view(state, sc, su, frame),
        Screen::Referral(sc, r) => referral::view(state, sc, r, frame),
        Screen::Site(x) => sites::view(state, x, frame),
    }
    if state.help {
        help::view(state, frame);
    }
}

/// The rectangle of `width` x `height` centred in `area` (clipped to it).
#[must_use]
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::tui::screens::details::DetailsMsg;
    use crate::tui::screens::home::HomeMsg;

    /// A questionnaire with two languages and nothing else (enough for home and details).
    pub(crate) fn bare() -> Arc<Questionnaire> {
        let mut q = Questionnaire::default();
        q.id = "bare".into();
        q.languages = vec!["nb".into(), "en".into()];
        Arc::new(q)
    }

    pub(crate) fn press(state: &State, code: KeyCode) -> Option<Msg> {
        to_msg(state, &Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    pub(crate) fn press_ctrl(state: &State, c: char) -> Option<Msg> {
        to_msg(
            state,
            &Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
        )
    }

    #[test]
    fn ctrl_c_quits_from_anywhere() {
        let mut s = State::new(bare(), Some("en"), Theme::new(false));
        update(&mut s, Msg::Home(HomeMsg::New));
        let m = press_ctrl(&s, 'c').expect("a message");
        assert!(matches!(m, Msg::Quit));
        update(&mut s, m);
        assert_eq!(s.exit, Some(Exit::Quit));
    }

    #[test]
    fn a_too_small_terminal_takes_no_keys_but_ctrl_c() {
        let mut s = State::new(bare(), Some("en"), Theme::new(false));
        update(&mut s, Msg::Resize(60, 20));
        assert!(s.too_small());
        assert!(press(&s, KeyCode::Char('n')).is_none());
        assert!(press_ctrl(&s, 'c').is_some());
        update(&mut s, Msg::Resize(100, 30));
        assert!(matches!(
            press(&s, KeyCode::Char('n')),
            Some(Msg::Home(HomeMsg::New))
        ));
    }

    #[test]
    fn help_opens_and_any_key_closes_it() {
        let mut s = State::new(bare(), Some("en"), Theme::new(false));
        let m = press(&s, KeyCode::Char('?')).expect("help");
        update(&mut s, m);
        assert!(s.help);
        let m = press(&s, KeyCode::Char('x')).expect("closes");
        update(&mut s, m);
        assert!(!s.help);
    }

    #[test]
    fn an_unknown_language_falls_back_to_the_default() {
        let s = State::new(bare(), Some("fr"), Theme::new(false));
        assert_eq!(s.lang, "nb");
        assert_eq!(s.next_lang(&bare()), "en");
    }

    #[test]
    fn a_store_failure_is_shown_and_cleared_by_the_next_success() {
        let mut s = State::new(bare(), Some("en"), Theme::new(false));
        update(&mut s, Msg::StoreFailed("the database is full".into()));
        assert_eq!(s.banner.as_deref(), Some("the database is full"));
        update(
            &mut s,
            Msg::HomeLoaded {
                unfinished: Vec::new(),
                defaults: None,
            },
        );
        assert_eq!(s.banner, None);
    }

    #[test]
    fn details_keys_go_to_the_focused_field() {
        let mut s = State::new(bare(), Some("en"), Theme::new(false));
        update(&mut s, Msg::Home(HomeMsg::New));
        assert!(matches!(
            press(&s, KeyCode::Char('B')),
            Some(Msg::Details(DetailsMsg::Edit(_)))
        ));
        assert!(matches!(
            press(&s, KeyCode::Tab),
            Some(Msg::Details(DetailsMsg::Next))
        ));
        // '?' is a letter in a text field, help on a choice field.
        assert!(matches!(
            press(&s, KeyCode::Char('?')),
            Some(Msg::Details(DetailsMsg::Edit(_)))
        ));
        for _ in 0..3 {
            update(&mut s, Msg::Details(DetailsMsg::Next));
        }
        assert!(matches!(press(&s, KeyCode::Char('?')), Some(Msg::Help)));
    }
}
