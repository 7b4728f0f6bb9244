//! The two-site screens the home screen opens (product.md, "Deployment" and "Two sites"):
//! the hand-off at a prison (each referral's hand-off state; seal what waits into the
//! configured outbox; confirm ROSA's receipts from the inbox), and at ROSA the import of
//! bundles from the inbox (receipts written to the outbox) and the registered prisons.
//!
//! The same Elm shape as every screen: keys become [`SiteMsg`]s, [`update`] changes the state
//! and returns [`SiteEffect`]s (never IO), the runner ([`perform`]) runs them through the same
//! functions the `handoff` commands use (`handoff::exchange`) and answers with a message.

use std::cell::Cell;
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Margin};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::handoff::exchange::{self, Importer, Sealer};
use crate::handoff::keys::SiteKind;
use crate::settings::{Handoff, Site};
use crate::store::{Consent, HandoffState, Store, StoreError};
use crate::tui::app::{Effect, Msg, Screen, State};
use crate::tui::chrome;
use crate::tui::shown;
use crate::words::sites::{SiteWords, site_words};

/// What the screens need from the settings: the kind of site, the hand-off files and folders,
/// and the purge period (for the home screen's reminder).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteSetup {
    /// The kind of site (`None`: both kinds of work are offered).
    pub site: Option<Site>,
    /// The `[handoff]` table.
    pub handoff: Handoff,
    /// `[purge] older_than_days`.
    pub purge_days: Option<u32>,
}

/// A purge that is due: the period and what it would remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurgeDue {
    /// The configured period in days.
    pub days: u32,
    /// Screenings a purge would remove now.
    pub screenings: u64,
    /// Referrals among them.
    pub referrals: u64,
    /// When the last purge ran (RFC 3339), if ever.
    pub last: Option<String>,
}

/// What the home screen shows about the site's work besides the screenings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteFacts {
    /// Local referrals per hand-off state (a prison, or no site set).
    pub handoff: Vec<(HandoffState, u64)>,
    /// Registered prisons (ROSA, or no site set).
    pub sites: u64,
    /// Bundles waiting in the inbox (`None`: no inbox configured).
    pub inbox: Option<u64>,
    /// Set when a purge period is configured and something is older than it.
    pub purge: Option<PurgeDue>,
}

impl SiteFacts {
    /// The count of local referrals in `state`.
    #[must_use]
    pub fn count(&self, state: HandoffState) -> u64 {
        self.handoff
            .iter()
            .find(|(s, _)| *s == state)
            .map_or(0, |(_, n)| *n)
    }
}

/// A local referral's hand-off state, as the prison's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowState {
    /// Not sealed yet.
    Waiting,
    /// Sealed; no receipt confirmed.
    Sealed,
    /// ROSA's receipt confirmed.
    Delivered,
    /// Consent withdrawn; the notice's state (`waiting`, `sealed`, `delivered`, `none`).
    Withdrawn(String),
}

/// One referral on the prison's hand-off screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoffRow {
    /// The referral id.
    pub id: String,
    /// When it was made (RFC 3339).
    pub made: String,
    /// The person's reference (the prison's own).
    pub person: String,
    /// Consent was given anonymously (the bundle carries no reference).
    pub anonymous: bool,
    /// Its hand-off state.
    pub state: RowState,
}

/// One registered prison on ROSA's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteRow {
    /// The unit.
    pub unit: String,
    /// The fingerprint read aloud.
    pub fingerprint: String,
    /// When it was registered (RFC 3339).
    pub added: String,
    /// When its latest bundle arrived, if any has.
    pub last: Option<String>,
}

/// The outcome of one action (sealing, confirming, importing): a line per file or referral.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Each line, and whether it is a refusal.
    pub lines: Vec<(bool, String)>,
    /// Nothing was there to act on.
    pub empty: bool,
}

impl Report {
    fn failed(sentence: String) -> Self {
        Self {
            lines: vec![(true, sentence)],
            empty: false,
        }
    }

    /// True when something was done and nothing refused.
    #[must_use]
    pub fn all_done(&self) -> bool {
        !self.empty && !self.lines.is_empty() && self.lines.iter().all(|(bad, _)| !bad)
    }
}

/// What an action was for, kept while a passphrase is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Seal what waits (prison).
    Seal,
    /// Confirm the receipts in the inbox (prison).
    Confirm,
    /// Import the bundles in the inbox (ROSA).
    Import,
}

/// The two-site screen on show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteScreen {
    /// The prison's hand-off.
    Handoff(Box<HandoffScreen>),
    /// ROSA's import.
    Import(Box<ImportScreen>),
    /// ROSA's registered prisons.
    Sites(Box<SitesScreen>),
}

/// The prison's hand-off screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HandoffScreen {
    /// Local referrals: waiting first, then sealed, then the rest, oldest first within each.
    pub rows: Vec<HandoffRow>,
    /// Receipts found in the inbox.
    pub receipts: Vec<PathBuf>,
    /// The first row shown.
    pub top: usize,
    /// The last action's outcome.
    pub report: Option<Report>,
    /// The passphrase being typed, when the key asked for one.
    pub asking: Option<Asking>,
    /// The list has arrived.
    pub loaded: bool,
}

/// ROSA's import screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportScreen {
    /// Bundles found in the inbox.
    pub files: Vec<PathBuf>,
    /// The last import's outcome.
    pub report: Option<Report>,
    /// The passphrase being typed, when ROSA's key asked for one.
    pub asking: Option<Asking>,
    /// The list has arrived.
    pub loaded: bool,
}

/// ROSA's list of registered prisons.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SitesScreen {
    /// The prisons, by unit.
    pub rows: Vec<SiteRow>,
    /// The first row shown.
    pub top: usize,
    /// The list has arrived.
    pub loaded: bool,
}

/// A passphrase being typed (never shown, never trimmed).
#[derive(Clone, PartialEq, Eq)]
pub struct Asking {
    /// The action that needs it.
    pub action: Action,
    /// The key file it opens.
    pub key: PathBuf,
    /// What was typed.
    typed: String,
}

impl std::fmt::Debug for Asking {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Asking")
            .field("action", &self.action)
            .field("key", &self.key)
            .field("typed", &"[hidden]")
            .finish()
    }
}

/// Work for the runner.
#[derive(Debug, Clone)]
pub enum SiteEffect {
    /// Read what the home screen shows about the site.
    LoadFacts(SiteSetup),
    /// Read the prison's referrals with their hand-off state and the receipts in `inbox`.
    LoadHandoff {
        /// The inbox, if configured.
        inbox: Option<PathBuf>,
    },
    /// Seal every waiting referral and withdrawal notice into `outbox`.
    Seal {
        /// ROSA's public file.
        to: PathBuf,
        /// The prison's secret file.
        key: PathBuf,
        /// The folder.
        outbox: PathBuf,
        /// Typed on screen, when the key asked for one.
        passphrase: Option<SecretString>,
    },
    /// Check and confirm these receipts with ROSA's public file `from`.
    Confirm {
        /// ROSA's public file.
        from: PathBuf,
        /// The receipts.
        receipts: Vec<PathBuf>,
    },
    /// List the bundles in the inbox.
    LoadImport {
        /// The inbox.
        inbox: PathBuf,
    },
    /// Import these bundles with ROSA's secret file, writing receipts into `receipts`.
    Import {
        /// ROSA's secret file.
        identity: PathBuf,
        /// The bundles.
        bundles: Vec<PathBuf>,
        /// Where receipts go, if configured.
        receipts: Option<PathBuf>,
        /// Typed on screen, when the key asked for one.
        passphrase: Option<SecretString>,
    },
    /// Read the registered prisons.
    LoadSites,
}

/// Keys on the two-site screens and the results of their effects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteMsg {
    /// Scroll up.
    Up,
    /// Scroll down.
    Down,
    /// Seal (hand-off) or import (import screen).
    Act,
    /// Confirm receipts (hand-off).
    ConfirmReceipts,
    /// Back to the home screen.
    Home,
    /// A character of the passphrase.
    PassChar(char),
    /// Remove the last character of the passphrase.
    PassBack,
    /// Use the passphrase typed.
    PassEnter,
    /// Stop asking.
    PassCancel,
    /// The home screen's facts arrived.
    FactsLoaded(SiteFacts),
    /// The hand-off list arrived.
    HandoffLoaded {
        /// The referrals.
        rows: Vec<HandoffRow>,
        /// Receipts in the inbox.
        receipts: Vec<PathBuf>,
    },
    /// The inbox's bundles were listed.
    ImportLoaded(Vec<PathBuf>),
    /// The registered prisons arrived.
    SitesLoaded(Vec<SiteRow>),
    /// An action ran.
    Done(Report),
    /// The secret key needs a passphrase: ask for it, then run the action again.
    NeedsPassphrase {
        /// The action.
        action: Action,
        /// The key file.
        key: PathBuf,
    },
}

/// The words of these screens in the state's language.
fn words(state: &State) -> &'static SiteWords {
    site_words(&state.lang)
}

/// The effect that reads the home screen's facts for this state's site.
#[must_use]
pub fn load_facts(state: &State) -> Effect {
    let mut setup = state.setup.clone();
    setup.site = state.site;
    Effect::Site(SiteEffect::LoadFacts(setup))
}

/// Opens the prison's hand-off screen.
pub fn open_handoff(state: &mut State) -> Vec<Effect> {
    state.screen = Screen::Site(SiteScreen::Handoff(Box::default()));
    vec![Effect::Site(SiteEffect::LoadHandoff {
        inbox: state.setup.handoff.inbox.clone(),
    })]
}

/// Opens ROSA's import screen.
pub fn open_import(state: &mut State) -> Vec<Effect> {
    state.screen = Screen::Site(SiteScreen::Import(Box::default()));
    match &state.setup.handoff.inbox {
        Some(inbox) => vec![Effect::Site(SiteEffect::LoadImport {
            inbox: inbox.clone(),
        })],
        None => {
            if let Screen::Site(SiteScreen::Import(i)) = &mut state.screen {
                i.loaded = true;
            }
            Vec::new()
        }
    }
}

/// Opens ROSA's list of registered prisons.
pub fn open_sites(state: &mut State) -> Vec<Effect> {
    state.screen = Screen::Site(SiteScreen::Sites(Box::default()));
    vec![Effect::Site(SiteEffect::LoadSites)]
}

/// Maps a key to a message on a two-site screen.
#[must_use]
pub fn key(s: &SiteScreen, key: KeyEvent) -> Option<Msg> {
    let asking = match s {
        SiteScreen::Handoff(h) => h.asking.is_some(),
        SiteScreen::Import(i) => i.asking.is_some(),
        SiteScreen::Sites(_) => false,
    };
    let m = if asking {
        match key.code {
            KeyCode::Enter => SiteMsg::PassEnter,
            KeyCode::Esc => SiteMsg::PassCancel,
            KeyCode::Backspace => SiteMsg::PassBack,
            KeyCode::Char(c) => SiteMsg::PassChar(c),
            _ => return None,
        }
    } else {
        match (s, key.code) {
            (_, KeyCode::Up | KeyCode::Char('k')) => SiteMsg::Up,
            (_, KeyCode::Down | KeyCode::Char('j')) => SiteMsg::Down,
            (SiteScreen::Handoff(_), KeyCode::Char('s') | KeyCode::Enter) => SiteMsg::Act,
            (SiteScreen::Handoff(_), KeyCode::Char('c')) => SiteMsg::ConfirmReceipts,
            (SiteScreen::Import(_), KeyCode::Char('i') | KeyCode::Enter) => SiteMsg::Act,
            (_, KeyCode::Esc | KeyCode::Char('h') | KeyCode::Backspace) => SiteMsg::Home,
            (_, KeyCode::Char('q')) => return Some(Msg::Quit),
            (_, KeyCode::Char('?')) => return Some(Msg::Help),
            _ => return None,
        }
    };
    Some(Msg::Site(m))
}

/// The effect of `action`, with the passphrase typed (if any); `None` when the config lacks
/// what it needs (the screen says which key to set).
fn action_effect(
    state: &State,
    action: Action,
    passphrase: Option<SecretString>,
) -> Option<Effect> {
    let h = &state.setup.handoff;
    let e = match (action, &state.screen) {
        (Action::Seal, _) => SiteEffect::Seal {
            to: h.rosa_public.clone()?,
            key: h.own_key.clone()?,
            outbox: h.outbox.clone()?,
            passphrase,
        },
        (Action::Confirm, Screen::Site(SiteScreen::Handoff(s))) => SiteEffect::Confirm {
            from: h.rosa_public.clone()?,
            receipts: s.receipts.clone(),
        },
        (Action::Import, Screen::Site(SiteScreen::Import(s))) => SiteEffect::Import {
            identity: h.own_key.clone()?,
            bundles: s.files.clone(),
            receipts: h.outbox.clone(),
            passphrase,
        },
        _ => return None,
    };
    Some(Effect::Site(e))
}

/// The config keys an action needs that are not set, for the screen to name.
#[must_use]
pub fn missing(setup: &SiteSetup, action: Action) -> Vec<&'static str> {
    let h = &setup.handoff;
    let need: &[(&str, bool)] = match action {
        Action::Seal => &[
            ("rosa_public", h.rosa_public.is_none()),
            ("own_key", h.own_key.is_none()),
            ("outbox", h.outbox.is_none()),
        ],
        Action::Confirm => &[
            ("rosa_public", h.rosa_public.is_none()),
            ("inbox", h.inbox.is_none()),
        ],
        Action::Import => &[
            ("own_key", h.own_key.is_none()),
            ("inbox", h.inbox.is_none()),
        ],
    };
    need.iter().filter(|(_, m)| *m).map(|(k, _)| *k).collect()
}

fn report_mut(state: &mut State) -> Option<&mut Option<Report>> {
    match &mut state.screen {
        Screen::Site(SiteScreen::Handoff(h)) => Some(&mut h.report),
        Screen::Site(SiteScreen::Import(i)) => Some(&mut i.report),
        _ => None,
    }
}

fn asking_mut(state: &mut State) -> Option<&mut Option<Asking>> {
    match &mut state.screen {
        Screen::Site(SiteScreen::Handoff(h)) => Some(&mut h.asking),
        Screen::Site(SiteScreen::Import(i)) => Some(&mut i.asking),
        _ => None,
    }
}

/// Runs `action` now, or says which config keys it needs.
fn start(state: &mut State, action: Action, passphrase: Option<SecretString>) -> Vec<Effect> {
    let lacking = missing(&state.setup, action);
    if !lacking.is_empty() {
        let sentence = format!(
            "set {} in the [handoff] table of the config first (see docs/handoff.md)",
            lacking.join(", ")
        );
        if let Some(r) = report_mut(state) {
            *r = Some(Report::failed(sentence));
        }
        return Vec::new();
    }
    action_effect(state, action, passphrase)
        .into_iter()
        .collect()
}

/// Applies a message on a two-site screen (or a fact for the home screen).
pub fn update(state: &mut State, msg: SiteMsg) -> Vec<Effect> {
    match msg {
        SiteMsg::FactsLoaded(f) => {
            if let Screen::Home(h) = &mut state.screen {
                h.facts = f;
            }
            Vec::new()
        }
        SiteMsg::Home => vec![Effect::LoadHome],
        SiteMsg::Up | SiteMsg::Down => {
            let down = msg == SiteMsg::Down;
            let (top, len) = match &mut state.screen {
                Screen::Site(SiteScreen::Handoff(h)) => (&mut h.top, h.rows.len()),
                Screen::Site(SiteScreen::Sites(s)) => (&mut s.top, s.rows.len()),
                _ => return Vec::new(),
            };
            *top = if down {
                (*top + 1).min(len.saturating_sub(1))
            } else {
                top.saturating_sub(1)
            };
            Vec::new()
        }
        SiteMsg::Act => {
            let action = match &state.screen {
                Screen::Site(SiteScreen::Handoff(_)) => Action::Seal,
                Screen::Site(SiteScreen::Import(i)) => {
                    if i.files.is_empty() {
                        if let Some(r) = report_mut(state) {
                            *r = Some(Report {
                                lines: Vec::new(),
                                empty: true,
                            });
                        }
                        return Vec::new();
                    }
                    Action::Import
                }
                _ => return Vec::new(),
            };
            start(state, action, None)
        }
        SiteMsg::ConfirmReceipts => match &state.screen {
            Screen::Site(SiteScreen::Handoff(h)) if h.receipts.is_empty() => {
                let lacking = missing(&state.setup, Action::Confirm);
                if lacking.is_empty() {
                    if let Some(r) = report_mut(state) {
                        *r = Some(Report {
                            lines: Vec::new(),
                            empty: true,
                        });
                    }
                    Vec::new()
                } else {
                    start(state, Action::Confirm, None)
                }
            }
            Screen::Site(SiteScreen::Handoff(_)) => start(state, Action::Confirm, None),
            _ => Vec::new(),
        },
        SiteMsg::PassChar(c) => {
            if let Some(Some(a)) = asking_mut(state) {
                a.typed.push(c);
            }
            Vec::new()
        }
        SiteMsg::PassBack => {
            if let Some(Some(a)) = asking_mut(state) {
                a.typed.pop();
            }
            Vec::new()
        }
        SiteMsg::PassCancel => {
            if let Some(a) = asking_mut(state) {
                *a = None;
            }
            Vec::new()
        }
        SiteMsg::PassEnter => {
            let Some(asked) = asking_mut(state).and_then(Option::take) else {
                return Vec::new();
            };
            start(
                state,
                asked.action,
                Some(SecretString::from(asked.typed.clone())),
            )
        }
        SiteMsg::NeedsPassphrase { action, key } => {
            if let Some(a) = asking_mut(state) {
                *a = Some(Asking {
                    action,
                    key,
                    typed: String::new(),
                });
            }
            Vec::new()
        }
        SiteMsg::Done(report) => {
            if let Some(r) = report_mut(state) {
                *r = Some(report);
            }
            // What the action changed: the list again.
            match &state.screen {
                Screen::Site(SiteScreen::Handoff(_)) => {
                    vec![Effect::Site(SiteEffect::LoadHandoff {
                        inbox: state.setup.handoff.inbox.clone(),
                    })]
                }
                Screen::Site(SiteScreen::Import(_)) => state
                    .setup
                    .handoff
                    .inbox
                    .clone()
                    .map(|inbox| Effect::Site(SiteEffect::LoadImport { inbox }))
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            }
        }
        SiteMsg::HandoffLoaded { rows, receipts } => {
            if let Screen::Site(SiteScreen::Handoff(h)) = &mut state.screen {
                h.top = h.top.min(rows.len().saturating_sub(1));
                h.rows = rows;
                h.receipts = receipts;
                h.loaded = true;
            }
            state.banner = None;
            Vec::new()
        }
        SiteMsg::ImportLoaded(files) => {
            if let Screen::Site(SiteScreen::Import(i)) = &mut state.screen {
                i.files = files;
                i.loaded = true;
            }
            state.banner = None;
            Vec::new()
        }
        SiteMsg::SitesLoaded(rows) => {
            if let Screen::Site(SiteScreen::Sites(s)) = &mut state.screen {
                s.rows = rows;
                s.loaded = true;
            }
            state.banner = None;
            Vec::new()
        }
    }
}

// ------------------------------------------------------------------------------------ runner

/// Performs one two-site effect against the store and the files; the message with its result.
pub fn perform(store: &mut Store, effect: SiteEffect) -> Msg {
    let failed = |e: StoreError| Msg::StoreFailed(e.to_string());
    let msg = match effect {
        SiteEffect::LoadFacts(setup) => match facts(store, &setup) {
            Ok(f) => SiteMsg::FactsLoaded(f),
            Err(e) => return failed(e),
        },
        SiteEffect::LoadHandoff { inbox } => {
            let rows = match handoff_rows(store) {
                Ok(r) => r,
                Err(e) => return failed(e),
            };
            let receipts = match inbox.as_deref().map(|d| exchange::files_in(d, "json")) {
                Some(Ok(r)) => r,
                Some(Err(e)) => return Msg::StoreFailed(e.to_string()),
                None => Vec::new(),
            };
            SiteMsg::HandoffLoaded { rows, receipts }
        }
        SiteEffect::Seal {
            to,
            key,
            outbox,
            passphrase,
        } => {
            let asked = Cell::new(false);
            let ask = ask_with(passphrase.as_ref(), &asked);
            let sealer = match Sealer::new(&to, &key, &outbox, false, &ask) {
                Ok(s) => s,
                Err(e) if e.is_passphrase() && asked.get() => {
                    return Msg::Site(SiteMsg::NeedsPassphrase {
                        action: Action::Seal,
                        key,
                    });
                }
                Err(e) => return Msg::Site(SiteMsg::Done(Report::failed(e.to_string()))),
            };
            let work = match exchange::waiting(store) {
                Ok(w) => w,
                Err(e) => return failed(e),
            };
            let mut report = Report {
                empty: work.is_empty(),
                lines: Vec::new(),
            };
            for w in &work {
                report.lines.push(match sealer.seal(store, w) {
                    // The folder is on screen already; the file name holds the id.
                    Ok(path) => (
                        false,
                        format!(
                            "sealed: {}",
                            path.file_name().map_or_else(
                                || path.display().to_string(),
                                |n| { n.to_string_lossy().into_owned() }
                            )
                        ),
                    ),
                    Err(e) => (true, e.to_string()),
                });
            }
            SiteMsg::Done(report)
        }
        SiteEffect::Confirm { from, receipts } => {
            let rosa = match exchange::load_rosa_public(&from) {
                Ok(k) => k,
                Err(e) => return Msg::Site(SiteMsg::Done(Report::failed(e.to_string()))),
            };
            let mut report = Report {
                empty: receipts.is_empty(),
                lines: Vec::new(),
            };
            for r in &receipts {
                report.lines.push(match exchange::confirm(store, r, &rosa) {
                    Ok(id) => (false, format!("delivered: {id}")),
                    Err(e) => (true, e.to_string()),
                });
            }
            SiteMsg::Done(report)
        }
        SiteEffect::LoadImport { inbox } => match exchange::files_in(&inbox, "age") {
            Ok(files) => SiteMsg::ImportLoaded(files),
            Err(e) => return Msg::StoreFailed(e.to_string()),
        },
        SiteEffect::Import {
            identity,
            bundles,
            receipts,
            passphrase,
        } => {
            let asked = Cell::new(false);
            let ask = ask_with(passphrase.as_ref(), &asked);
            let key = match exchange::load_secret(&identity, SiteKind::Rosa, &ask) {
                Ok(k) => k,
                Err(e) if e.is_passphrase() && asked.get() => {
                    return Msg::Site(SiteMsg::NeedsPassphrase {
                        action: Action::Import,
                        key: identity,
                    });
                }
                Err(e) => return Msg::Site(SiteMsg::Done(Report::failed(e.to_string()))),
            };
            let importer = match Importer::new(store, vec![key], receipts.as_deref(), false) {
                Ok(i) => i,
                Err(e) => return Msg::Site(SiteMsg::Done(Report::failed(e.to_string()))),
            };
            let mut report = Report {
                empty: bundles.is_empty(),
                lines: Vec::new(),
            };
            for b in &bundles {
                report.lines.push(match importer.import(store, b) {
                    Ok(done) => (false, done.line()),
                    Err(e) => (true, e.to_string()),
                });
            }
            SiteMsg::Done(report)
        }
        SiteEffect::LoadSites => match site_rows(store) {
            Ok(rows) => SiteMsg::SitesLoaded(rows),
            Err(e) => return failed(e),
        },
    };
    Msg::Site(msg)
}

/// The passphrase callback of the screens: `ROSA_SCREEN_PASSPHRASE` when set (scripts and
/// tests, as on the command line), else what was typed on screen; with neither, `asked` is set
/// so the screen asks.
fn ask_with<'a>(
    typed: Option<&'a SecretString>,
    asked: &'a Cell<bool>,
) -> impl Fn(&Path) -> Result<SecretString, String> + 'a {
    move |_| {
        if let Ok(p) = std::env::var(exchange::PASSPHRASE_ENV) {
            return Ok(SecretString::from(p));
        }
        match typed {
            Some(p) => Ok(p.clone()),
            None => {
                asked.set(true);
                Err("it is protected by a passphrase".to_owned())
            }
        }
    }
}

/// What the home screen shows about the site's work.
fn facts(store: &mut Store, setup: &SiteSetup) -> Result<SiteFacts, StoreError> {
    let mut f = SiteFacts::default();
    if setup.site != Some(Site::Rosa) {
        f.handoff = store.handoff_counts()?;
    }
    if setup.site != Some(Site::Prison) {
        f.sites = store.sites()?.len() as u64;
        f.inbox = setup.handoff.inbox.as_deref().map(|d| {
            // An inbox that cannot be read shows as empty here; the import screen says why.
            exchange::files_in(d, "age").map_or(0, |v| v.len() as u64)
        });
    }
    if let Some(days) = setup.purge_days
        && let Some(cutoff) = exchange::purge_cutoff(days, jiff::Timestamp::now())
    {
        let actor = store.actor().to_owned();
        // A dry run: counts only, nothing changes.
        let due = store.purge(exchange::purge_rule(setup.site), &cutoff, true, &actor)?;
        if due.screenings > 0 {
            f.purge = Some(PurgeDue {
                days,
                screenings: due.screenings,
                referrals: due.referrals,
                last: store.last_purge()?,
            });
        }
    }
    Ok(f)
}

/// The prison's local referrals with their hand-off state: waiting first, then sealed, then
/// withdrawn and delivered; oldest first within each.
fn handoff_rows(store: &Store) -> Result<Vec<HandoffRow>, StoreError> {
    // Two reads for the whole list, not two queries a referral.
    let states = store.handoff_states()?;
    let mut notices: std::collections::HashMap<String, String> = store
        .withdrawals()?
        .into_iter()
        .map(|w| (w.referral_id, w.notice))
        .collect();
    let mut rows = Vec::new();
    for r in store.referrals(&crate::store::ReferralFilter::default())? {
        let Some(hs) = states.get(&r.id) else {
            // Imported from a prison: not this site's to hand off.
            continue;
        };
        let state = match notices.remove(&r.id) {
            Some(notice) => RowState::Withdrawn(notice),
            None => match hs {
                HandoffState::Waiting => RowState::Waiting,
                HandoffState::Sealed => RowState::Sealed,
                HandoffState::Delivered => RowState::Delivered,
            },
        };
        rows.push(HandoffRow {
            id: r.id,
            made: r.created_at,
            person: r.person,
            anonymous: r.consent == Consent::Anonymous,
            state,
        });
    }
    let rank = |s: &RowState| match s {
        RowState::Waiting => 0,
        RowState::Withdrawn(n) if n == "waiting" => 0,
        RowState::Sealed => 1,
        RowState::Withdrawn(n) if n == "sealed" => 1,
        RowState::Withdrawn(_) => 2,
        RowState::Delivered => 3,
    };
    rows.sort_by(|a, b| (rank(&a.state), &a.made, &a.id).cmp(&(rank(&b.state), &b.made, &b.id)));
    Ok(rows)
}

/// The registered prisons with when their latest bundle arrived.
fn site_rows(store: &Store) -> Result<Vec<SiteRow>, StoreError> {
    let heads = store.anchors(None)?;
    Ok(store
        .sites()?
        .into_iter()
        .map(|s| SiteRow {
            last: heads
                .iter()
                .find(|h| h.unit.eq_ignore_ascii_case(&s.unit))
                .map(|h| h.received_at.clone()),
            unit: s.unit,
            fingerprint: s.fingerprint,
            added: s.added_at,
        })
        .collect())
}

// ------------------------------------------------------------------------------------ views

/// A hand-off state in the screens' words.
#[must_use]
pub fn state_label(w: &SiteWords, s: &RowState) -> String {
    match s {
        RowState::Waiting => w.st_waiting.to_owned(),
        RowState::Sealed => w.st_sealed.to_owned(),
        RowState::Delivered => w.st_delivered.to_owned(),
        RowState::Withdrawn(n) => w.st_withdrawn.replace(
            "{notice}",
            match n.as_str() {
                "waiting" => w.notice_waiting,
                "sealed" => w.notice_sealed,
                "delivered" => w.notice_delivered,
                _ => w.notice_none,
            },
        ),
    }
}

/// The home screen's hand-off row.
#[must_use]
pub fn handoff_row_text(w: &SiteWords, f: &SiteFacts) -> String {
    w.handoff_row
        .replace("{waiting}", &f.count(HandoffState::Waiting).to_string())
        .replace("{sealed}", &f.count(HandoffState::Sealed).to_string())
        .replace("{delivered}", &f.count(HandoffState::Delivered).to_string())
}

/// The home screen's purge reminder, when a purge is due.
#[must_use]
pub fn purge_text(w: &SiteWords, f: &SiteFacts) -> Option<String> {
    let p = f.purge.as_ref()?;
    Some(
        w.purge_overdue
            .replace("{screenings}", &p.screenings.to_string())
            .replace("{referrals}", &p.referrals.to_string())
            .replace("{days}", &p.days.to_string())
            .replace(
                "{last}",
                &p.last.as_deref().map_or_else(
                    || w.never.to_owned(),
                    |l| l.get(..10).unwrap_or(l).to_owned(),
                ),
            ),
    )
}

fn folder_line(
    w: &SiteWords,
    template: &str,
    path: Option<&PathBuf>,
    key: &str,
    n: usize,
) -> String {
    let shown_path = path.map_or_else(
        || w.folder_unset.replace("{key}", key),
        |p| shown(&p.display().to_string()),
    );
    template
        .replace("{path}", &shown_path)
        .replace("{n}", &n.to_string())
}

/// The report's lines, wrapped, with what to do next when everything went through.
fn report_lines(
    w: &SiteWords,
    state: &State,
    r: &Report,
    empty: &str,
    next: &str,
) -> Vec<Line<'static>> {
    let t = state.theme;
    // Refusals first, then what to do next, then what went through: the room is small and
    // the first lines are the ones that must be read.
    let mut out = Vec::new();
    if r.empty {
        out.push(Line::styled(empty.to_owned(), t.bold()));
    }
    for (_, line) in r.lines.iter().filter(|(bad, _)| *bad) {
        out.push(Line::styled(
            format!("{}: {}", w.refused_word, shown(line)),
            t.error(),
        ));
    }
    if r.all_done() {
        out.push(Line::styled(next.to_owned(), t.bold()));
    }
    for (_, line) in r.lines.iter().filter(|(bad, _)| !*bad) {
        out.push(Line::raw(shown(line)));
    }
    out
}

/// The keys of a two-site screen, for the help overlay.
#[must_use]
pub fn help_keys(s: &SiteScreen, w: &'static SiteWords) -> Vec<(&'static str, &'static str)> {
    match s {
        SiteScreen::Handoff(_) => vec![
            ("↑ ↓", w.key_move),
            ("s, Enter", w.key_seal),
            ("c", w.key_confirm),
            ("Esc, h", w.key_back),
            ("q", w.key_quit),
        ],
        SiteScreen::Import(_) => vec![
            ("i, Enter", w.key_import),
            ("Esc, h", w.key_back),
            ("q", w.key_quit),
        ],
        SiteScreen::Sites(_) => vec![
            ("↑ ↓", w.key_move),
            ("Esc, h", w.key_back),
            ("q", w.key_quit),
        ],
    }
}

/// Draws a two-site screen.
pub fn view(state: &State, s: &SiteScreen, frame: &mut Frame) {
    match s {
        SiteScreen::Handoff(h) => view_handoff(state, h, frame),
        SiteScreen::Import(i) => view_import(state, i, frame),
        SiteScreen::Sites(x) => view_sites(state, x, frame),
    }
}

fn passphrase_lines(w: &SiteWords, state: &State, a: &Asking) -> Vec<Line<'static>> {
    vec![
        Line::styled(
            w.passphrase_prompt
                .replace("{path}", &shown(&a.key.display().to_string())),
            state.theme.bold(),
        ),
        Line::styled(
            format!("> {}", "*".repeat(a.typed.chars().count())),
            state.theme.focus(),
        ),
    ]
}

/// Lays out intro lines, a list and the report in the body; returns the list's area.
fn draw_body(
    frame: &mut Frame,
    body: ratatui::layout::Rect,
    intro: Vec<Line<'static>>,
    header: Option<Line<'static>>,
    list: Vec<Line<'static>>,
    top: usize,
    bottom: Vec<Line<'static>>,
) {
    let inner = body.inner(Margin {
        horizontal: 2,
        vertical: 1,
    });
    let width = usize::from(inner.width.max(1));
    let intro: Vec<Line> = intro
        .iter()
        .flat_map(|l| crate::tui::wrap::wrap_line_hanging(l, width, 0))
        .collect();
    let bottom = crate::tui::wrap::wrap_lines(&bottom, width);
    let intro_h = u16::try_from(intro.len()).unwrap_or(u16::MAX);
    // The report keeps at least half of the room; the list takes the rest.
    let bottom_h = u16::try_from(bottom.len())
        .unwrap_or(u16::MAX)
        .min(inner.height.saturating_sub(intro_h) / 2 + 1);
    let [a, head, b, c] = Layout::vertical([
        Constraint::Length(intro_h),
        Constraint::Length(u16::from(header.is_some())),
        Constraint::Min(1),
        Constraint::Length(bottom_h),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(intro), a);
    if let Some(h) = header {
        frame.render_widget(Paragraph::new(h), head);
    }
    frame.render_widget(
        Paragraph::new(list.into_iter().skip(top).collect::<Vec<_>>()),
        b,
    );
    frame.render_widget(Paragraph::new(bottom).wrap(Wrap { trim: false }), c);
}

fn view_handoff(state: &State, h: &HandoffScreen, frame: &mut Frame) {
    let w = words(state);
    let t = state.theme;
    let keys: Vec<(&str, &str)> = if h.asking.is_some() {
        vec![("Enter", w.key_enter), ("Esc", w.key_cancel)]
    } else {
        vec![
            ("↑↓", w.key_move),
            ("s", w.key_seal),
            ("c", w.key_confirm),
            ("Esc", w.key_back),
            ("q", w.key_quit),
        ]
    };
    let body = chrome::draw(state, frame, w.handoff_title, &keys);
    let counts = |s: &RowState| h.rows.iter().filter(|r| &r.state == s).count();
    let mut header = None;
    let intro = vec![
        Line::raw(w.handoff_intro),
        Line::raw(folder_line(
            w,
            w.outbox_line,
            state.setup.handoff.outbox.as_ref(),
            "outbox",
            0,
        )),
        Line::raw(folder_line(
            w,
            w.inbox_receipts_line,
            state.setup.handoff.inbox.as_ref(),
            "inbox",
            h.receipts.len(),
        )),
        Line::styled(
            handoff_row_text(
                w,
                &SiteFacts {
                    handoff: vec![
                        (HandoffState::Waiting, counts(&RowState::Waiting) as u64),
                        (HandoffState::Sealed, counts(&RowState::Sealed) as u64),
                        (HandoffState::Delivered, counts(&RowState::Delivered) as u64),
                    ],
                    ..SiteFacts::default()
                },
            ),
            t.bold(),
        ),
        Line::raw(""),
    ];
    let wide = body.width >= 110;
    let id_of = |id: &str| -> String {
        if wide {
            id.to_owned()
        } else {
            id.chars().take(8).collect()
        }
    };
    let id_w = if wide { 36 } else { 8 };
    let person_of = |r: &HandoffRow| -> String {
        if r.anonymous {
            format!("{} {}", shown(&r.person), w.anonymous)
        } else {
            shown(&r.person)
        }
    };
    let person_w = h
        .rows
        .iter()
        .map(|r| crate::tui::wrap::width(&person_of(r)))
        .chain(std::iter::once(crate::tui::wrap::width(w.col_person)))
        .max()
        .unwrap_or(6)
        .min(30);
    let pad = |s: &str, n: usize| -> String {
        let mut out: String = s.to_owned();
        let have = crate::tui::wrap::width(&out);
        out.extend(std::iter::repeat_n(' ', n.saturating_sub(have)));
        out
    };
    let mut list = Vec::new();
    if !h.loaded {
        list.push(Line::raw("…"));
    } else if h.rows.is_empty() {
        list.push(Line::styled(w.no_referrals, t.dim()));
    } else {
        header = Some(Line::styled(
            format!(
                "{}  {}  {}  {}",
                pad(w.col_referral, id_w),
                pad(w.col_made, 10),
                pad(w.col_person, person_w),
                w.col_state
            ),
            t.bold(),
        ));
        for r in &h.rows {
            let style = match r.state {
                RowState::Waiting => t.warn(),
                _ => ratatui::style::Style::default(),
            };
            list.push(Line::from(vec![
                Span::raw(format!(
                    "{}  {}  {}  ",
                    pad(&id_of(&r.id), id_w),
                    r.made.get(..10).unwrap_or(&r.made),
                    pad(&person_of(r), person_w),
                )),
                Span::styled(state_label(w, &r.state), style),
            ]));
        }
    }
    let bottom = match (&h.asking, &h.report) {
        (Some(a), _) => passphrase_lines(w, state, a),
        (None, Some(r)) => {
            let empty = if r.lines.is_empty() && h.receipts.is_empty() && !r.empty {
                w.no_receipts
            } else {
                w.nothing_waits
            };
            report_lines(w, state, r, empty, w.sent_next)
        }
        (None, None) => Vec::new(),
    };
    draw_body(frame, body, intro, header, list, h.top, bottom);
}

fn view_import(state: &State, i: &ImportScreen, frame: &mut Frame) {
    let w = words(state);
    let t = state.theme;
    let keys: Vec<(&str, &str)> = if i.asking.is_some() {
        vec![("Enter", w.key_enter), ("Esc", w.key_cancel)]
    } else {
        vec![("i", w.key_import), ("Esc", w.key_back), ("q", w.key_quit)]
    };
    let body = chrome::draw(state, frame, w.import_title, &keys);
    let intro = vec![
        Line::raw(w.import_intro),
        Line::raw(folder_line(
            w,
            w.inbox_line,
            state.setup.handoff.inbox.as_ref(),
            "inbox",
            i.files.len(),
        )),
        Line::raw(folder_line(
            w,
            w.receipts_line,
            state.setup.handoff.outbox.as_ref(),
            "outbox",
            0,
        )),
        Line::raw(""),
    ];
    let mut list: Vec<Line<'static>> = i
        .files
        .iter()
        .map(|f| {
            Line::raw(format!(
                "  {}",
                shown(&f.file_name().map_or_else(
                    || f.display().to_string(),
                    |n| n.to_string_lossy().into_owned()
                ))
            ))
        })
        .collect();
    if i.loaded && i.files.is_empty() && state.setup.handoff.inbox.is_some() {
        list.push(Line::styled(w.no_bundles, t.dim()));
    }
    let bottom = match (&i.asking, &i.report) {
        (Some(a), _) => passphrase_lines(w, state, a),
        (None, Some(r)) => report_lines(w, state, r, w.no_bundles, w.import_next),
        (None, None) => Vec::new(),
    };
    draw_body(frame, body, intro, None, list, 0, bottom);
}

fn view_sites(state: &State, s: &SitesScreen, frame: &mut Frame) {
    let w = words(state);
    let t = state.theme;
    let keys = [("↑↓", w.key_move), ("Esc", w.key_back), ("q", w.key_quit)];
    let body = chrome::draw(state, frame, w.sites_title, &keys);
    let intro = vec![Line::raw(w.sites_intro), Line::raw("")];
    let mut list = Vec::new();
    if s.loaded && s.rows.is_empty() {
        list.push(Line::styled(w.no_sites, t.dim()));
    }
    for r in &s.rows {
        list.push(Line::from(vec![
            Span::styled(shown(&r.unit), t.bold()),
            Span::raw(format!(
                "  {} {}  {} {}",
                w.col_added,
                r.added.get(..10).unwrap_or(&r.added),
                w.col_last,
                r.last.as_deref().map_or("-", |l| l.get(..10).unwrap_or(l)),
            )),
        ]));
        list.push(Line::raw(format!(
            "  {}: {}",
            w.col_fingerprint, r.fingerprint
        )));
    }
    // Each prison takes two lines; scrolling moves a prison at a time.
    draw_body(frame, body, intro, None, list, s.top * 2, Vec::new());
}

#[cfg(test)]
#[path = "sites_tests.rs"]
mod tests;
