//! State transitions of the review screens, whole flows against an in-memory store, and
//! snapshots of every screen at 80x24 and 120x40.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::detail::{DetailMsg, Mode};
use super::queue::QueueMsg;
use super::runner::{dispatch, perform};
use super::*;
use crate::fixtures;
use crate::store::{QueueFilter, Store};

const ACTOR: &str = "reviewer A";

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 1)
}

/// A store with three referrals: one flagged, one with a release date, one plain.
fn store() -> (Store, Vec<String>) {
    let mut st = Store::in_memory().unwrap();
    let ids = vec![
        fixtures::referral(&mut st, "Ullersmo", "U-2026-009", &[], None),
        fixtures::referral(&mut st, "Bredtveit", "B-2026-117", &["forced_crime"], None),
        fixtures::referral(&mut st, "Bredtveit", "B-2026-118", &[], Some("2026-11-20")),
    ];
    (st, ids)
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

struct App {
    state: State,
    store: Store,
    terminal: Terminal<TestBackend>,
}

impl App {
    fn new(w: u16, h: u16) -> Self {
        let (mut store, _) = store();
        let mut state = State::new("en", crate::tui::theme::Theme::new(false), today());
        state.size = (w, h);
        state.labels = Some(fixtures::small());
        for e in state.first_effects() {
            let m = perform(&mut store, ACTOR, e);
            dispatch(&mut state, &mut store, ACTOR, m);
        }
        Self {
            state,
            store,
            terminal: Terminal::new(TestBackend::new(w, h)).unwrap(),
        }
    }

    fn press(&mut self, e: Event) {
        if let Some(m) = to_msg(&self.state, &e) {
            dispatch(&mut self.state, &mut self.store, ACTOR, m);
        }
    }

    fn keys(&mut self, s: &str) {
        for c in s.chars() {
            self.press(key(KeyCode::Char(c)));
        }
    }

    fn screen(&mut self) -> String {
        self.terminal.draw(|f| view(&self.state, f)).unwrap();
        let today_utc = jiff::Timestamp::now().to_string();
        let today_utc = today_utc.get(..10).unwrap_or_default().to_owned();
        self.terminal
            .backend()
            .to_string()
            .replace(&today_utc, "[received]")
    }
}

fn snap(name: &str, text: &str) {
    insta::with_settings!({filters => vec![
        (r"\[received\] \d\d:\d\d", "[received time]"),
        (r"referral-[0-9a-f]{8}\.md", "referral-[id].md"),
    ]}, {
        insta::assert_snapshot!(name, text);
    });
}

// ---- state transitions -------------------------------------------------------------------

fn row(id: &str) -> crate::store::QueueRow {
    crate::store::QueueRow {
        id: id.into(),
        status: Status::New,
        created_at: "2026-10-01T10:00:00.000000Z".into(),
        unit: "Ila".into(),
        person: id.into(),
        outcome: "possible".into(),
        release_date: None,
        expulsion: None,
        flags: vec![],
        urgent: false,
    }
}

fn with_page(total: u64, page: u64) -> State {
    let mut s = State::new("en", crate::tui::theme::Theme::new(false), today());
    s.size = (80, 24);
    let size = u64::from(s.page_size());
    let offset = page * size;
    let rows = (offset..(offset + size).min(total))
        .map(|i| row(&format!("r{i}")))
        .collect();
    let counts = crate::store::QueueCounts {
        by_status: vec![(Status::New, total)],
    };
    s.queue
        .loaded(QueueFilter::default(), offset, rows, Some(counts));
    s.queue.selected = offset;
    s
}

#[test]
fn moving_past_the_page_asks_for_the_next_page_only() {
    let mut s = with_page(100, 0);
    let page = u64::from(s.page_size());
    for _ in 0..page - 1 {
        assert!(update(&mut s, Msg::Queue(QueueMsg::Down)).is_empty());
    }
    let effects = update(&mut s, Msg::Queue(QueueMsg::Down));
    assert_eq!(
        effects,
        vec![Effect::LoadQueue {
            filter: QueueFilter::default(),
            offset: page,
            limit: s.page_size(),
            counts: false,
        }]
    );
    // The last row is the last of 100, never past it.
    update(&mut s, Msg::Queue(QueueMsg::Last));
    assert_eq!(s.queue.selected, 99);
    update(&mut s, Msg::Queue(QueueMsg::Down));
    assert_eq!(s.queue.selected, 99);
}

#[test]
fn status_filter_cycles_through_every_status_and_back_to_all() {
    let mut s = with_page(10, 0);
    let mut seen = Vec::new();
    for _ in 0..=Status::ALL.len() {
        let effects = update(&mut s, Msg::Queue(QueueMsg::NextStatus));
        assert!(matches!(
            &effects[..],
            [Effect::LoadQueue {
                counts: true,
                offset: 0,
                ..
            }]
        ));
        seen.push(s.queue.filter.status);
    }
    assert_eq!(seen.first(), Some(&Some(Status::New)));
    assert_eq!(seen.last(), Some(&None));
    assert_eq!(seen.len(), Status::ALL.len() + 1);
}

#[test]
fn a_page_for_an_older_filter_is_dropped() {
    let mut s = with_page(10, 0);
    update(&mut s, Msg::Queue(QueueMsg::NextStatus));
    update(
        &mut s,
        Msg::QueueLoaded {
            filter: QueueFilter::default(),
            offset: 0,
            rows: vec![row("stale")],
            counts: None,
        },
    );
    assert!(s.queue.rows.iter().all(|r| r.id != "stale"));
}

#[test]
fn search_is_typed_then_applied_or_cancelled() {
    let mut s = with_page(10, 0);
    let k = |c| {
        Msg::Queue(QueueMsg::SearchKey(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )))
    };
    update(&mut s, Msg::Queue(QueueMsg::Search));
    update(&mut s, k('B'));
    update(&mut s, k('-'));
    assert!(update(&mut s, Msg::Queue(QueueMsg::SearchCancel)).is_empty());
    assert_eq!(s.queue.filter.person, None);
    update(&mut s, Msg::Queue(QueueMsg::Search));
    update(&mut s, k('7'));
    let effects = update(&mut s, Msg::Queue(QueueMsg::SearchApply));
    assert_eq!(s.queue.filter.person.as_deref(), Some("7"));
    assert_eq!(effects.len(), 1);
    // While typing, letters are text, not commands ("q" does not quit).
    update(&mut s, Msg::Queue(QueueMsg::Search));
    let typed = to_msg(&s, &key(KeyCode::Char('q')));
    assert!(matches!(typed, Some(Msg::Queue(QueueMsg::SearchKey(_)))));
}

#[test]
fn only_allowed_next_statuses_are_offered_and_the_note_goes_with_the_change() {
    let mut app = App::new(80, 24);
    app.press(key(KeyCode::Enter));
    let Screen::Detail(d) = &app.state.screen else {
        panic!("not on the referral")
    };
    assert_eq!(d.next_statuses(), [Status::InReview, Status::Closed]);
    let id = d.id().to_owned();
    update(&mut app.state, Msg::Detail(DetailMsg::ChangeStatus));
    update(&mut app.state, Msg::Detail(DetailMsg::Down));
    update(&mut app.state, Msg::Detail(DetailMsg::Down));
    update(&mut app.state, Msg::Detail(DetailMsg::Confirm));
    let Screen::Detail(d) = &app.state.screen else {
        panic!()
    };
    assert!(matches!(
        d.mode,
        Mode::StatusNote {
            to: Status::InReview,
            ..
        }
    ));
    for c in "Called the prison".chars() {
        update(
            &mut app.state,
            Msg::Detail(DetailMsg::Type(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            ))),
        );
    }
    let effects = update(&mut app.state, Msg::Detail(DetailMsg::Confirm));
    assert_eq!(
        effects,
        vec![Effect::SetStatus {
            id,
            to: Status::InReview,
            note: Some("Called the prison".into())
        }]
    );
}

#[test]
fn a_closed_referral_offers_no_status_change() {
    let mut app = App::new(80, 24);
    app.press(key(KeyCode::Enter));
    let id = match &app.state.screen {
        Screen::Detail(d) => d.id().to_owned(),
        Screen::Queue | Screen::Figures(_) => panic!(),
    };
    app.store
        .set_status(&id, Status::Closed, Some("released before contact"), ACTOR)
        .unwrap();
    let m = perform(&mut app.store, ACTOR, Effect::Reload(id));
    dispatch(&mut app.state, &mut app.store, ACTOR, m);
    app.press(key(KeyCode::Char('s')));
    let Screen::Detail(d) = &app.state.screen else {
        panic!()
    };
    assert!(matches!(d.mode, Mode::Reading));
    assert_eq!(
        app.state.notice.as_deref(),
        Some(super::words::EN.closed_final)
    );
}

#[test]
fn figures_year_stays_between_2000_and_this_year() {
    let mut s = with_page(1, 0);
    update(&mut s, Msg::Queue(QueueMsg::Figures));
    assert!(update(&mut s, Msg::Figures(figures::FiguresMsg::NextYear)).is_empty());
    assert_eq!(
        update(&mut s, Msg::Figures(figures::FiguresMsg::PrevYear)),
        vec![Effect::LoadFigures(2025)]
    );
    update(&mut s, Msg::Figures(figures::FiguresMsg::Back));
    assert!(matches!(s.screen, Screen::Queue));
}

// ---- whole flows against the store --------------------------------------------------------

#[test]
fn default_order_puts_the_flagged_then_the_soonest_release_first() {
    let app = App::new(80, 24);
    let people: Vec<&str> = app
        .state
        .queue
        .rows
        .iter()
        .map(|r| r.person.as_str())
        .collect();
    assert_eq!(people, ["B-2026-117", "B-2026-118", "U-2026-009"]);
    assert_eq!(app.state.queue.counts.of(Status::New), 3);
}

#[test]
fn filter_open_change_status_note_and_export_are_all_recorded() {
    let mut app = App::new(80, 24);
    // Unit filter: the units cycle in order (Bredtveit, Ullersmo).
    app.keys("uu");
    assert_eq!(app.state.queue.filter.unit.as_deref(), Some("Ullersmo"));
    assert_eq!(app.state.queue.rows.len(), 1);
    app.press(key(KeyCode::Enter));
    let id = app.state.queue.rows[0].id.clone();
    assert!(matches!(app.state.screen, Screen::Detail(_)));
    let audit = app.store.audit_entries().unwrap();
    let last = audit.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        ("viewed", ACTOR)
    );
    assert_eq!(last.entity, format!("referral:{id}"));

    // s, Enter (in_review), a note, Enter.
    app.keys("s");
    app.press(key(KeyCode::Enter));
    app.keys("Phoned the unit");
    app.press(key(KeyCode::Enter));
    app.keys("n");
    app.keys("Interpreter needed: Yoruba");
    app.press(key(KeyCode::Enter));
    let d = app.store.referral(&id).unwrap();
    assert_eq!(d.row.status, Status::InReview);
    let notes: Vec<_> = d.events.iter().filter_map(|e| e.note.as_deref()).collect();
    assert_eq!(notes, ["Phoned the unit", "Interpreter needed: Yoruba"]);
    assert_eq!(app.state.notice.as_deref(), Some("Note added."));

    // Export to a file in a temporary folder.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("summary.md");
    app.keys("e");
    if let Screen::Detail(d) = &mut app.state.screen {
        d.mode = Mode::Export(crate::tui::input::LineInput::new(
            &path.display().to_string(),
        ));
    }
    app.press(key(KeyCode::Enter));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("U-2026-009"), "{text}");
    assert!(text.contains("in\\_review"), "{text}");
    let last = app.store.audit_entries().unwrap().pop().unwrap();
    assert_eq!(last.action, "exported");
    assert!(last.detail.contains("summary.md"), "{}", last.detail);
    // No temporary file is left beside it.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    // Back on the queue the row shows its new status.
    app.press(key(KeyCode::Esc));
    assert!(matches!(app.state.screen, Screen::Queue));
    assert_eq!(app.state.queue.rows[0].status, Status::InReview);
    assert!(matches!(
        app.store.verify_audit().unwrap(),
        crate::store::AuditCheck::Intact { .. }
    ));
}

#[test]
fn an_illegal_or_unexplained_early_close_is_refused_with_the_reason() {
    let mut app = App::new(80, 24);
    app.press(key(KeyCode::Enter));
    app.keys("s");
    app.press(key(KeyCode::Down));
    app.press(key(KeyCode::Enter));
    // No note: closing before a decision needs one.
    app.press(key(KeyCode::Enter));
    let banner = app.state.banner.clone().unwrap_or_default();
    assert!(banner.contains("needs a note"), "{banner}");
    let screen = app.screen();
    assert!(screen.contains("Error: closing referral"), "{screen}");
}

#[test]
fn export_to_a_folder_is_refused_and_nothing_is_recorded() {
    let mut app = App::new(80, 24);
    app.press(key(KeyCode::Enter));
    let before = app.store.audit_entries().unwrap().len();
    let dir = tempfile::tempdir().unwrap();
    app.keys("e");
    if let Screen::Detail(d) = &mut app.state.screen {
        d.mode = Mode::Export(crate::tui::input::LineInput::new(
            &dir.path().display().to_string(),
        ));
    }
    app.press(key(KeyCode::Enter));
    assert!(
        app.state
            .banner
            .as_deref()
            .unwrap_or_default()
            .contains("is a folder")
    );
    assert_eq!(app.store.audit_entries().unwrap().len(), before);
}

#[test]
fn the_old_questionnaire_wording_is_shown_even_if_the_built_in_one_changed() {
    // The referral's screening used the stored snapshot; the detail reads the snapshot, not
    // any questionnaire of the running program.
    let mut app = App::new(120, 40);
    app.press(key(KeyCode::Enter));
    let Screen::Detail(d) = &app.state.screen else {
        panic!()
    };
    assert_eq!(d.opened.questionnaire.as_ref().unwrap().version, "0.1");
    let text: String = super::detail::lines(&app.state)
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("small-screening 0.1"), "{text}");
}

// ---- snapshots ----------------------------------------------------------------------------

#[test]
fn snapshots_of_every_screen() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = App::new(w, h);
        snap(&format!("queue_{w}x{h}"), &app.screen());
        app.keys("u");
        snap(&format!("queue_filtered_{w}x{h}"), &app.screen());
        app.keys("c");
        app.press(key(KeyCode::Enter));
        snap(&format!("detail_{w}x{h}"), &app.screen());
        app.press(key(KeyCode::PageDown));
        snap(&format!("detail_scrolled_{w}x{h}"), &app.screen());
        app.keys("s");
        snap(&format!("detail_status_{w}x{h}"), &app.screen());
        app.press(key(KeyCode::Esc));
        app.press(key(KeyCode::Esc));
        app.keys("f");
        snap(&format!("figures_{w}x{h}"), &app.screen());
    }
}

#[test]
fn snapshot_norwegian_queue_and_too_small() {
    let mut app = App::new(80, 24);
    app.keys("l");
    snap("queue_nb_80x24", &app.screen());
    let mut small = App::new(60, 20);
    snap("too_small_60x20", &small.screen());
}

// ---- a long referral, scrolled to its end ------------------------------------------------

/// The app on one long referral: a long person reference, then a year of review with a
/// status change and notes every few days, so the status history is far below the first page.
fn long_app(lang: &str, w: u16, h: u16) -> App {
    let mut st = Store::in_memory().unwrap();
    let id = fixtures::referral(
        &mut st,
        "Bredtveit fengsel, avdeling for kvinner",
        "OSL-2026-0456-KVINNE-B",
        &["forced_crime"],
        Some("2026-11-20"),
    );
    for (to, note) in [
        (
            Status::InReview,
            "Read the answers; the passport answer needs a call.",
        ),
        (
            Status::Contacted,
            "Phoned the unit; the person wants to talk to ROSA.",
        ),
    ] {
        st.set_status(&id, to, Some(note), ACTOR).unwrap();
    }
    for i in 1..=12 {
        st.add_note(
            &id,
            &format!("Follow-up {i}: spoke with the contact officer about the next steps and the release date."),
            ACTOR,
        )
        .unwrap();
    }
    st.add_note(&id, "LAST NOTE: the final word of the history.", ACTOR)
        .unwrap();
    let mut state = State::new(lang, crate::tui::theme::Theme::new(false), today());
    state.size = (w, h);
    state.labels = Some(fixtures::small());
    for e in state.first_effects() {
        let m = perform(&mut st, ACTOR, e);
        dispatch(&mut state, &mut st, ACTOR, m);
    }
    let mut app = App {
        state,
        store: st,
        terminal: Terminal::new(TestBackend::new(w, h)).unwrap(),
    };
    app.press(key(KeyCode::Enter));
    assert!(matches!(app.state.screen, Screen::Detail(_)));
    app
}

#[test]
fn end_shows_the_last_note_of_the_status_history_at_every_size() {
    for (w, h) in [(80, 24), (100, 30), (120, 40)] {
        let mut app = long_app("en", w, h);
        assert!(!app.screen().contains("LAST NOTE"));
        app.press(key(KeyCode::End));
        let screen = app.screen();
        assert!(screen.contains("LAST NOTE: the final word"), "{screen}");
        assert!(screen.contains(" · end"), "{screen}");
        // Paging down from the top reaches the same end, and no further.
        app.press(key(KeyCode::Home));
        for _ in 0..40 {
            app.press(key(KeyCode::PageDown));
        }
        assert_eq!(app.screen(), screen);
        app.keys("j");
        assert_eq!(app.screen(), screen);
    }
}

#[test]
fn jump_keys_and_tab_reach_every_part() {
    let mut app = long_app("en", 80, 24);
    let headings = [
        "REFERRAL",
        "PERSON AND SCREENING",
        "OUTCOME",
        "FLAGS: ACT ON THESE",
        "INDICATORS AND THE ANSWERS",
        "ALL ANSWERS, AS ASKED",
        "STATUS HISTORY AND NOTES",
    ];
    for (i, h) in headings.iter().enumerate() {
        app.keys(&(i + 1).to_string());
        assert!(app.screen().contains(h), "part {}: {}", i + 1, app.screen());
    }
    app.keys("1");
    for h in headings.iter().skip(1) {
        app.press(key(KeyCode::Tab));
        assert!(app.screen().contains(h), "{h}: {}", app.screen());
    }
    app.press(key(KeyCode::BackTab));
    assert!(app.screen().contains("ALL ANSWERS"), "{}", app.screen());
}

#[test]
fn the_position_counts_the_wrapped_rows() {
    let mut app = long_app("en", 80, 24);
    let screen = app.screen();
    assert!(screen.contains("lines 1-18 of "), "{screen}");
    app.keys("j");
    assert!(app.screen().contains("lines 2-19 of "), "{}", app.screen());
}

#[test]
fn snapshots_of_a_long_referral_scrolled_to_its_end() {
    for lang in ["en", "nb"] {
        for (w, h) in [(80, 24), (120, 40)] {
            let mut app = long_app(lang, w, h);
            snap(&format!("long_detail_top_{lang}_{w}x{h}"), &app.screen());
            app.press(key(KeyCode::End));
            snap(&format!("long_detail_end_{lang}_{w}x{h}"), &app.screen());
            app.press(key(KeyCode::Esc));
            snap(&format!("long_queue_{lang}_{w}x{h}"), &app.screen());
        }
    }
}

#[test]
fn the_queue_never_cuts_the_person_reference_and_shows_labels() {
    let mut app = long_app("en", 80, 24);
    app.press(key(KeyCode::Esc));
    let screen = app.screen();
    assert!(screen.contains("OSL-2026-0456-KVINNE-B"), "{screen}");
    assert!(screen.contains("contacted"), "{screen}");
    let mut app = long_app("en", 120, 40);
    app.press(key(KeyCode::Esc));
    let screen = app.screen();
    assert!(screen.contains("OSL-2026-0456-KVINNE-B"), "{screen}");
    assert!(screen.contains("Strong indication"), "{screen}");
    assert!(!screen.contains("strong_indication"), "{screen}");
    assert!(!screen.contains("in_review"), "{screen}");
    app.keys("l");
    let screen = app.screen();
    assert!(screen.contains("kontaktet"), "{screen}");
}

#[test]
fn column_widths_fit_the_content_and_keep_the_reference_whole() {
    let header = [
        "", "Urgency", "Received", "Person", "Unit", "Status", "Outcome", "Flags",
    ]
    .map(str::to_owned);
    let row = [
        ">",
        "! 19d E",
        "2026-11-01",
        "PERS-2026-000123456",
        "Bredtveit fengsel",
        "in review",
        "Strong indication",
        "Pushed into crime, Under 18",
    ]
    .map(str::to_owned);
    let w = super::queue::column_widths(&header, std::slice::from_ref(&row), 80);
    assert_eq!(w[3], 19, "the reference keeps its full width");
    assert!(w.iter().sum::<u16>() + 7 <= 80, "{w:?}");
    // Wide enough: every column at its content's width.
    let w = super::queue::column_widths(&header, std::slice::from_ref(&row), 200);
    assert_eq!(w, [1, 7, 10, 19, 17, 9, 17, 27]);
}

#[test]
fn ctrl_c_interrupts_while_q_only_leaves_the_queue() {
    let mut app = App::new(80, 24);
    app.keys("q");
    assert!(app.state.exit && !app.state.interrupted);
    let mut app = App::new(80, 24);
    app.press(key(KeyCode::Enter));
    app.press(Event::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert!(app.state.exit && app.state.interrupted);
}

#[test]
fn a_language_picked_on_screen_is_remembered_through_the_runner() {
    let mut app = App::new(80, 24);
    assert_eq!(
        update(&mut app.state, Msg::Language),
        vec![Effect::RememberLang("nb".into())]
    );
    let mut seen = Vec::new();
    super::runner::dispatch_with(
        &mut app.state,
        &mut app.store,
        ACTOR,
        &mut |l| {
            seen.push(l.to_owned());
            Err("cannot remember the choice in /x: read-only".into())
        },
        Msg::Language,
    );
    assert_eq!(seen, vec!["en".to_owned()]);
    // A failure to remember is shown, and nothing else changes.
    assert_eq!(app.state.lang, "en");
    assert!(
        app.state
            .banner
            .as_deref()
            .unwrap_or("")
            .contains("cannot remember")
    );
}
