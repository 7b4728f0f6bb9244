//! The two-site screens against real stores and real keys in a temporary folder: a prison seals
//! from its hand-off screen, ROSA imports from its import screen and sees the referrals in its
//! queue with where they came from, the prison confirms the receipts; snapshots at 80x24 and
//! 120x40 in both languages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::handoff::keys::{SiteKind, generate_files};
use crate::screening::Answer;
use crate::store::{
    Consent, Finish, Gender, Interpreter, NewReferral, NewScreening, Raised, Store,
};
use crate::tui::app::{self, Screen};
use crate::tui::testing::{Driver, example};

/// Two sites' keys and folders in one temporary folder.
struct Keys {
    dir: tempfile::TempDir,
}

impl Keys {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        generate_files(&dir.path().join("prison"), SiteKind::Prison, None).unwrap();
        generate_files(&dir.path().join("rosa"), SiteKind::Rosa, None).unwrap();
        Self { dir }
    }

    fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    /// The prison's config: ROSA's public file, its own key, bundles out, receipts in.
    fn prison(&self) -> SiteSetup {
        SiteSetup {
            site: Some(Site::Prison),
            handoff: Handoff {
                rosa_public: Some(self.path("rosa/rosa.public")),
                own_key: Some(self.path("prison/prison.secret")),
                outbox: Some(self.path("to-rosa")),
                inbox: Some(self.path("to-prison")),
            },
            purge_days: None,
        }
    }

    /// ROSA's config: its own key, bundles in (the prison's outbox), receipts out.
    fn rosa(&self) -> SiteSetup {
        SiteSetup {
            site: Some(Site::Rosa),
            handoff: Handoff {
                rosa_public: None,
                own_key: Some(self.path("rosa/rosa.secret")),
                outbox: Some(self.path("to-prison")),
                inbox: Some(self.path("to-rosa")),
            },
            purge_days: None,
        }
    }
}

/// A finished screening with a referral made with `consent`; returns the referral id.
fn referral(store: &mut Store, person: &str, consent: Consent) -> String {
    let q = example();
    let s = store
        .create_screening(
            &q,
            &NewScreening {
                unit: "Bredtveit".into(),
                officer: "Duty officer B, 555 01 234".into(),
                person: person.into(),
                gender: Gender::Female,
                birth_year: Some(1999),
                nationality: "NG".into(),
                language: "en".into(),
                interpreter: Some(Interpreter::InPerson),
                person_language: None,
            },
        )
        .unwrap();
    store
        .record_answer(&s, "agrees", Some(&Answer::Choice("yes".into())), None)
        .unwrap();
    store
        .record_answer(&s, "hours", Some(&Answer::Number(14.0)), Some("Said 14"))
        .unwrap();
    store
        .finish_screening(
            &s,
            &Finish {
                outcome: "strong_indication".into(),
                indicators: vec![Raised {
                    id: "long_days".into(),
                    because: vec!["hours".into()],
                }],
                flags: Vec::new(),
                positive: Vec::new(),
            },
        )
        .unwrap();
    store
        .create_referral(
            &s,
            &NewReferral {
                consent,
                release_date: None,
                expulsion: None,
                contact: "Duty officer B, 555 01 234".into(),
            },
        )
        .unwrap()
}

/// A site on its home screen in `lang`, with `setup`, over `store`.
fn site(lang: &str, setup: SiteSetup, store: Store) -> Driver {
    let mut d = Driver::new(lang);
    d.store = store;
    d.state.site = setup.site;
    d.state.setup = setup;
    home(&mut d);
    d
}

fn home(d: &mut Driver) {
    let m = crate::tui::runner::perform(&mut d.store, app::Effect::LoadHome);
    crate::tui::runner::dispatch(&mut d.state, &mut d.store, m);
}

/// The prison with three referrals (named, anonymous, named) waiting.
fn prison(lang: &str, keys: &Keys) -> Driver {
    let mut store = Store::in_memory().unwrap();
    referral(&mut store, "B-2026-117", Consent::Named);
    referral(&mut store, "B-2026-118", Consent::Anonymous);
    referral(&mut store, "B-2026-119", Consent::Named);
    site(lang, keys.prison(), store)
}

/// ROSA with the prison registered.
fn rosa(lang: &str, keys: &Keys) -> Driver {
    let mut store = Store::in_memory().unwrap();
    let public = crate::handoff::keys::PublicKey::load(&keys.path("prison/prison.public")).unwrap();
    store
        .add_site(
            "Bredtveit",
            &public.key_id(),
            &public.fingerprint(),
            &public.to_file_text(),
            "tester",
        )
        .unwrap();
    site(lang, keys.rosa(), store)
}

fn render(state: &app::State, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut s = state.clone();
    s.size = (w, h);
    t.draw(|f| app::view(&s, f)).unwrap();
    crate::fixtures::screen_text(t.backend().buffer())
}

/// Snapshots at 80x24 and 120x40, with what changes from run to run (temporary folders,
/// ids, dates, fingerprints) replaced.
fn shots(name: &str, state: &app::State, dir: &Path) {
    let mut s = insta::Settings::clone_current();
    s.add_filter(&regex_escape(&dir.display().to_string()), "[dir]");
    s.add_filter(
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "[id]",
    );
    s.add_filter(r"\b[0-9a-f]{8}\b", "[id8]");
    s.add_filter(r"\b[0-9a-f]{12}\b", "[key]");
    s.add_filter(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", "[time]");
    s.add_filter(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", "[fingerprint]");
    s.bind(|| {
        insta::assert_snapshot!(format!("{name}_80x24"), render(state, 80, 24));
        insta::assert_snapshot!(format!("{name}_120x40"), render(state, 120, 40));
    });
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn report(d: &Driver) -> Report {
    match &d.state.screen {
        Screen::Site(SiteScreen::Handoff(h)) => h.report.clone(),
        Screen::Site(SiteScreen::Import(i)) => i.report.clone(),
        other => panic!("not a two-site screen: {other:?}"),
    }
    .expect("a report")
}

#[test]
fn a_prison_seals_on_screen_rosa_imports_on_screen_and_the_receipts_come_back() {
    for lang in ["en", "nb"] {
        let keys = Keys::new();
        let dir = keys.dir.path().to_path_buf();
        let mut p = prison(lang, &keys);
        let Screen::Home(h) = &p.state.screen else {
            panic!("home");
        };
        assert_eq!(h.facts.count(HandoffState::Waiting), 3);
        shots(&format!("prison_home_{lang}"), &p.state, &dir);

        p.key(KeyCode::Char('h'));
        shots(&format!("handoff_waiting_{lang}"), &p.state, &dir);
        p.key(KeyCode::Char('s'));
        let r = report(&p);
        assert!(r.all_done(), "{r:?}");
        assert_eq!(r.lines.len(), 3);
        shots(&format!("handoff_sealed_{lang}"), &p.state, &dir);
        let bundles = exchange::files_in(&keys.path("to-rosa"), "age").unwrap();
        assert_eq!(bundles.len(), 3);
        // Sealing again finds nothing waiting.
        p.key(KeyCode::Char('s'));
        assert!(report(&p).empty);

        let mut r = rosa(lang, &keys);
        let Screen::Home(h) = &r.state.screen else {
            panic!("home");
        };
        assert_eq!((h.facts.inbox, h.facts.sites), (Some(3), 1));
        shots(&format!("rosa_home_{lang}"), &r.state, &dir);
        r.key(KeyCode::Char('i'));
        shots(&format!("import_waiting_{lang}"), &r.state, &dir);
        r.key(KeyCode::Char('i'));
        let done = report(&r);
        assert!(done.all_done(), "{done:?}");
        assert!(done.lines.iter().all(|(_, l)| l.starts_with("imported: ")));
        shots(&format!("import_done_{lang}"), &r.state, &dir);
        // Importing the same files again changes nothing.
        r.key(KeyCode::Char('i'));
        assert!(
            report(&r)
                .lines
                .iter()
                .all(|(_, l)| l.starts_with("already imported: "))
        );
        r.key(KeyCode::Esc);
        r.key(KeyCode::Char('p'));
        shots(&format!("sites_{lang}"), &r.state, &dir);

        // The receipts ROSA wrote are in the prison's inbox: confirm them on screen.
        p.key(KeyCode::Esc);
        p.key(KeyCode::Char('h'));
        p.key(KeyCode::Char('c'));
        let confirmed = report(&p);
        assert!(confirmed.all_done(), "{confirmed:?}");
        assert!(
            confirmed
                .lines
                .iter()
                .all(|(_, l)| l.starts_with("delivered: "))
        );
        p.key(KeyCode::Esc);
        let Screen::Home(h) = &p.state.screen else {
            panic!("home");
        };
        assert_eq!(h.facts.count(HandoffState::Delivered), 3);
        assert_eq!(h.facts.count(HandoffState::Waiting), 0);
    }
}

#[test]
fn a_missing_folder_is_named_instead_of_sealing() {
    let keys = Keys::new();
    let mut setup = keys.prison();
    setup.handoff.outbox = None;
    let mut store = Store::in_memory().unwrap();
    referral(&mut store, "B-1", Consent::Named);
    let mut p = site("en", setup, store);
    p.key(KeyCode::Char('h'));
    p.key(KeyCode::Char('s'));
    let r = report(&p);
    assert!(!r.all_done());
    assert!(r.lines[0].1.contains("outbox"), "{r:?}");
    assert_eq!(p.store.handoff_counts().unwrap()[0].1, 1, "still waiting");
}

#[test]
fn a_bundle_for_another_key_is_refused_by_name_and_the_others_are_imported() {
    let keys = Keys::new();
    let mut p = prison("en", &keys);
    p.key(KeyCode::Char('h'));
    p.key(KeyCode::Char('s'));
    std::fs::write(keys.path("to-rosa/stray.age"), "not a bundle").unwrap();
    let mut r = rosa("en", &keys);
    r.key(KeyCode::Char('i'));
    r.key(KeyCode::Char('i'));
    let done = report(&r);
    let refused: Vec<&String> = done
        .lines
        .iter()
        .filter(|(b, l)| *b && !l.is_empty())
        .map(|(_, l)| l)
        .collect();
    assert_eq!(refused.len(), 1, "{done:?}");
    assert!(refused[0].contains("stray.age"), "{refused:?}");
    assert_eq!(done.lines.iter().filter(|(b, _)| !b).count(), 3);
}

#[test]
fn an_overdue_purge_is_on_the_home_screen() {
    for lang in ["en", "nb"] {
        let keys = Keys::new();
        let mut setup = keys.prison();
        // Zero days: everything finished before now may go.
        setup.purge_days = Some(0);
        let mut store = Store::in_memory().unwrap();
        // A screening without a referral, finished: the prison's rule lets it go.
        let s = store
            .create_screening(
                &example(),
                &NewScreening {
                    unit: "Bredtveit".into(),
                    officer: "Duty officer B".into(),
                    person: "B-1".into(),
                    gender: Gender::Male,
                    birth_year: None,
                    nationality: "RO".into(),
                    language: "en".into(),
                    interpreter: Some(Interpreter::None),
                    person_language: None,
                },
            )
            .unwrap();
        store
            .finish_screening(
                &s,
                &Finish {
                    outcome: "no_indication".into(),
                    indicators: Vec::new(),
                    flags: Vec::new(),
                    positive: Vec::new(),
                },
            )
            .unwrap();
        let d = site(lang, setup, store);
        let Screen::Home(h) = &d.state.screen else {
            panic!("home");
        };
        let due = h.facts.purge.clone().expect("a purge is due");
        assert_eq!((due.days, due.screenings, due.last), (0, 1, None));
        shots(&format!("purge_overdue_{lang}"), &d.state, keys.dir.path());
        // Nothing was purged by looking.
        assert!(d.store.latest_screening().unwrap().is_some());
    }
}

#[test]
fn no_warning_without_a_period_or_with_nothing_old() {
    let keys = Keys::new();
    let d = prison("en", &keys);
    let Screen::Home(h) = &d.state.screen else {
        panic!("home");
    };
    assert_eq!(h.facts.purge, None);
    let mut setup = keys.prison();
    setup.purge_days = Some(3650);
    let mut store = Store::in_memory().unwrap();
    referral(&mut store, "B-1", Consent::Named);
    let d = site("en", setup, store);
    let Screen::Home(h) = &d.state.screen else {
        panic!("home");
    };
    assert_eq!(h.facts.purge, None);
}

#[test]
fn a_locked_key_asks_for_its_passphrase_and_tries_again_with_it() {
    let keys = Keys::new();
    let mut p = prison("en", &keys);
    p.key(KeyCode::Char('h'));
    let effects = update(
        &mut p.state,
        SiteMsg::NeedsPassphrase {
            action: Action::Seal,
            key: keys.path("prison/prison.secret"),
        },
    );
    assert!(effects.is_empty());
    for c in "pass word".chars() {
        update(&mut p.state, SiteMsg::PassChar(c));
    }
    let screen = render(&p.state, 80, 24);
    assert!(screen.contains("*********"), "{screen}");
    assert!(!screen.contains("pass word"), "{screen}");
    let effects = update(&mut p.state, SiteMsg::PassEnter);
    match effects.as_slice() {
        [app::Effect::Site(SiteEffect::Seal { passphrase, .. })] => {
            use age::secrecy::ExposeSecret;
            assert_eq!(
                passphrase
                    .as_ref()
                    .map(|p| p.expose_secret().to_owned())
                    .as_deref(),
                Some("pass word")
            );
        }
        other => panic!("{other:?}"),
    }
    let Screen::Site(SiteScreen::Handoff(h)) = &p.state.screen else {
        panic!("hand-off");
    };
    assert!(h.asking.is_none());
    // Debug output never shows what was typed.
    let asking = Asking {
        action: Action::Seal,
        key: PathBuf::from("k"),
        typed: "secret".into(),
    };
    assert!(!format!("{asking:?}").contains("secret\""));
}

/// ROSA's review screens over `store`, in `lang`, at `w`x`h`, with the queue loaded.
fn review(store: &mut Store, lang: &str) -> crate::tui::review::State {
    use crate::tui::review::runner::{dispatch, perform};
    let mut state = crate::tui::review::State::new(
        lang,
        crate::tui::theme::Theme::new(false),
        jiff::civil::date(2026, 11, 1),
    );
    state.size = (120, 40);
    state.labels = Some(example());
    for e in state.first_effects() {
        let m = perform(store, "reviewer", e);
        dispatch(&mut state, store, "reviewer", m);
    }
    state
}

fn render_review(state: &crate::tui::review::State, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut s = state.clone();
    s.size = (w, h);
    t.draw(|f| crate::tui::review::view(&s, f)).unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn the_queue_and_referral_show_where_an_imported_referral_came_from() {
    use crate::tui::review::{Msg as RMsg, Screen as RScreen, queue::QueueMsg};
    for lang in ["en", "nb"] {
        let keys = Keys::new();
        let dir = keys.dir.path().to_path_buf();
        let mut p = prison(lang, &keys);
        p.key(KeyCode::Char('h'));
        p.key(KeyCode::Char('s'));
        let mut r = rosa(lang, &keys);
        r.key(KeyCode::Char('i'));
        r.key(KeyCode::Char('i'));
        assert!(report(&r).all_done());

        let mut store = std::mem::replace(&mut r.store, Store::in_memory().unwrap());
        let mut q = review(&mut store, lang);
        assert_eq!(q.queue.arrivals.len(), 3, "every row on the page arrived");
        let mut s = insta::Settings::clone_current();
        s.add_filter(&regex_escape(&dir.display().to_string()), "[dir]");
        s.add_filter(
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            "[id]",
        );
        s.add_filter(r"\b[0-9a-f]{12}\b", "[key]");
        s.add_filter(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", "[time]");
        let queue_80 = render_review(&q, 80, 24);
        let queue_120 = render_review(&q, 120, 40);
        let anonymous = if lang == "en" {
            "(anonymous)"
        } else {
            "(anonym)"
        };
        assert!(queue_80.contains(anonymous), "{queue_80}");
        assert!(queue_80.contains("Bredtveit"), "{queue_80}");
        // Open the anonymous one.
        let at = q
            .queue
            .rows
            .iter()
            .position(|row| row.person.is_empty())
            .expect("the anonymous referral is in the queue");
        for _ in 0..at {
            crate::tui::review::runner::dispatch(
                &mut q,
                &mut store,
                "reviewer",
                RMsg::Queue(QueueMsg::Down),
            );
        }
        crate::tui::review::runner::dispatch(
            &mut q,
            &mut store,
            "reviewer",
            RMsg::Queue(QueueMsg::Open),
        );
        assert!(matches!(q.screen, RScreen::Detail(_)));
        let detail_80 = render_review(&q, 80, 24);
        let detail_120 = render_review(&q, 120, 40);
        let (sent, arrived) = if lang == "en" {
            ("Sent by: Bredtveit", "Arrived:")
        } else {
            ("Sendt fra: Bredtveit", "Kom inn:")
        };
        assert!(detail_80.contains(sent), "{detail_80}");
        assert!(detail_80.contains(arrived), "{detail_80}");
        assert!(detail_80.contains(anonymous), "{detail_80}");
        s.bind(|| {
            insta::assert_snapshot!(format!("queue_imported_{lang}_80x24"), queue_80);
            insta::assert_snapshot!(format!("queue_imported_{lang}_120x40"), queue_120);
            insta::assert_snapshot!(format!("detail_anonymous_{lang}_80x24"), detail_80);
            insta::assert_snapshot!(format!("detail_anonymous_{lang}_120x40"), detail_120);
        });
    }
}

#[test]
fn a_withdrawal_shows_its_notice_and_is_sealed_with_the_waiting_referrals() {
    let keys = Keys::new();
    let mut store = Store::in_memory().unwrap();
    let sealed_first = referral(&mut store, "B-1", Consent::Named);
    let mut p = site("en", keys.prison(), store);
    p.key(KeyCode::Char('h'));
    p.key(KeyCode::Char('s'));
    assert_eq!(report(&p).lines.len(), 1);
    let never_sealed = referral(&mut p.store, "B-2", Consent::Named);
    // Consent withdrawn for one that ROSA has (a notice must follow) and one it never had.
    p.store
        .withdraw_referral(&sealed_first, "Consent withdrawn", "tester")
        .unwrap();
    p.store
        .withdraw_referral(&never_sealed, "Consent withdrawn", "tester")
        .unwrap();
    p.key(KeyCode::Esc);
    p.key(KeyCode::Char('h'));
    let Screen::Site(SiteScreen::Handoff(h)) = &p.state.screen else {
        panic!("hand-off");
    };
    let states: Vec<&RowState> = h.rows.iter().map(|r| &r.state).collect();
    assert_eq!(
        states,
        [
            &RowState::Withdrawn("waiting".into()),
            &RowState::Withdrawn("none".into())
        ]
    );
    let screen = render(&p.state, 80, 24);
    assert!(screen.contains("withdrawn, notice waiting"), "{screen}");
    assert!(screen.contains("withdrawn, notice not needed"), "{screen}");
    // Sealing now seals the notice, as `handoff seal` does.
    p.key(KeyCode::Char('s'));
    let r = report(&p);
    assert!(r.all_done(), "{r:?}");
    assert_eq!(r.lines.len(), 1);
    assert!(r.lines[0].1.starts_with("sealed: withdrawal-"), "{r:?}");
}
