//! The home screen's two-site rows end to end: a prison makes a referral and seals it on its
//! screens, ROSA imports the bundle with `handoff import` (and the other way round: sealed with
//! `handoff seal`, imported on ROSA's screen), and the prison confirms ROSA's receipt on its
//! screen. Each site has its own database, config and keys in a temporary folder, as in
//! `two_sites.rs`; the screens run in-process through the real runner, the commands through the
//! real binary. One PTY test runs the prison's hand-off in a real terminal.

// Test helpers panic on failure by design: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::pty::Launch;
use common::*;
use ratatui::crossterm::event::KeyCode;
use rosa_screen::settings::{Handoff, Site as Kind};
use rosa_screen::store::Store;
use rosa_screen::tui::SiteSetup;

/// One site: its folder, database, config and keys.
struct Site {
    dir: tempfile::TempDir,
    kind: &'static str,
}

impl Site {
    fn new(kind: &'static str) -> Self {
        let s = Self {
            dir: tempfile::tempdir().unwrap(),
            kind,
        };
        let keys = s.path("keys");
        s.ok(&["keys", "generate", "--out", p(&keys), "--site", kind]);
        s
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn db(&self) -> PathBuf {
        self.path(&format!("{}.db", self.kind))
    }

    fn config(&self) -> PathBuf {
        self.path("rosa-screen.toml")
    }

    /// Writes the config: the site, and the `[handoff]` table the screens use.
    fn configure(&self, handoff: &Handoff) {
        let line = |k: &str, v: &Option<PathBuf>| {
            v.as_ref()
                .map(|v| format!("{k} = \"{}\"\n", v.display()))
                .unwrap_or_default()
        };
        std::fs::write(
            self.config(),
            format!(
                "site = \"{}\"\n\n[handoff]\n{}{}{}{}",
                self.kind,
                line("rosa_public", &handoff.rosa_public),
                line("own_key", &handoff.own_key),
                line("outbox", &handoff.outbox),
                line("inbox", &handoff.inbox),
            ),
        )
        .unwrap();
    }

    fn cmd(&self) -> assert_cmd::Command {
        let mut c = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("rosa-screen"));
        c.env("ROSA_SCREEN_DB", self.db())
            .env("ROSA_SCREEN_CONFIG", self.config())
            .env("ROSA_SCREEN_SYSTEM_CONFIG", self.path("no-system.toml"))
            .env("XDG_STATE_HOME", self.path("state"))
            .env("ROSA_SCREEN_ACTOR", "tester")
            .env("ROSA_SCREEN_PASSPHRASE", "")
            .env_remove("ROSA_SCREEN_SITE")
            .env_remove("ROSA_SCREEN_LANG");
        c
    }

    /// Runs and expects success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        if !self.config().exists() {
            std::fs::write(self.config(), format!("site = \"{}\"\n", self.kind)).unwrap();
        }
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// The screens of this site in-process, over its database, with its config.
    fn app(&self, lang: &str, handoff: Handoff) -> App {
        let mut app = App::with_store(lang, 80, 24, Store::open(&self.db()).unwrap());
        let kind = if self.kind == "prison" {
            Kind::Prison
        } else {
            Kind::Rosa
        };
        app.state.site = Some(kind);
        app.state.setup = SiteSetup {
            site: Some(kind),
            handoff,
            purge_days: None,
        };
        app
    }
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A prison and ROSA that know each other: ROSA's public file at the prison, the prison
/// registered at ROSA. Returns their `[handoff]` tables (the prison's outbox is ROSA's inbox,
/// ROSA's outbox the prison's inbox, as a shared folder would make them).
fn two_sites() -> (Site, Site, Handoff, Handoff) {
    let prison = Site::new("prison");
    let rosa = Site::new("rosa");
    rosa.ok(&[
        "sites",
        "add",
        p(&prison.path("keys/prison.public")),
        "--unit",
        "Bredtveit",
    ]);
    let to_rosa = prison.path("outbox");
    let to_prison = prison.path("inbox");
    let prison_handoff = Handoff {
        rosa_public: Some(rosa.path("keys/rosa.public")),
        own_key: Some(prison.path("keys/prison.secret")),
        outbox: Some(to_rosa.clone()),
        inbox: Some(to_prison.clone()),
    };
    let rosa_handoff = Handoff {
        rosa_public: None,
        own_key: Some(rosa.path("keys/rosa.secret")),
        outbox: Some(to_prison),
        inbox: Some(to_rosa),
    };
    prison.configure(&prison_handoff);
    rosa.configure(&rosa_handoff);
    (prison, rosa, prison_handoff, rosa_handoff)
}

/// The keys that make an anonymous referral from the summary (no date, contact kept).
fn refer_anonymously() -> Vec<ratatui::crossterm::event::Event> {
    vec![
        ch('r'),
        ch('2'),
        enter(),
        enter(),
        enter(),
        enter(),
        enter(),
    ]
}

#[test]
fn sealed_on_the_prison_screen_imported_by_command_confirmed_on_the_prison_screen() {
    let (prison, rosa, handoff, _) = two_sites();
    let mut app = prison.app("en", handoff);
    app.play(start_screening("B-2026-117"));
    app.play(answer_all());
    app.play(refer_anonymously());
    let done = app.screen();
    assert!(done.contains("The referral is recorded"), "{done}");
    assert!(done.contains("It waits here for the hand-off"), "{done}");
    insta::with_settings!({filters => vec![
        (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[id]"),
    ]}, {
        insta::assert_snapshot!("referral_done_at_a_prison_en", done);
    });

    app.play(vec![enter()]);
    let home = app.screen();
    assert!(home.contains("Hand-off to ROSA: 1 waiting"), "{home}");
    app.play(vec![ch('h'), ch('s')]);
    let sealed = app.screen();
    assert!(sealed.contains("sealed: referral-"), "{sealed}");
    let bundles: Vec<PathBuf> = std::fs::read_dir(prison.path("outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(bundles.len(), 1, "{bundles:?}");

    // ROSA, on its own machine, imports the file with the command.
    let out = rosa.ok(&[
        "handoff",
        "import",
        p(&bundles[0]),
        "--receipts",
        p(&prison.path("inbox")),
    ]);
    let id = out
        .trim()
        .strip_prefix("imported: ")
        .unwrap_or_else(|| panic!("{out}"))
        .to_owned();
    let shown = rosa.ok(&["referrals", "show", &id, "--json"]);
    assert!(shown.contains("\"anonymous\": true"), "{shown}");
    assert!(shown.contains("\"unit\": \"Bredtveit\""), "{shown}");

    // The receipt came back into the prison's inbox: confirm it on the hand-off screen.
    app.play(vec![key(KeyCode::Esc), ch('h'), ch('c')]);
    let confirmed = app.screen();
    assert!(
        confirmed.contains(&format!("delivered: {id}")),
        "{confirmed}"
    );
    app.play(vec![key(KeyCode::Esc)]);
    let home = app.screen();
    assert!(
        home.contains("Hand-off to ROSA: 0 waiting · 0 sealed, no receipt yet · 1 delivered"),
        "{home}"
    );
    let list = prison.ok(&["referrals", "list"]);
    assert!(list.contains("delivered"), "{list}");
}

#[test]
fn sealed_by_command_imported_on_rosas_screen_and_shown_in_the_queue() {
    let (prison, rosa, handoff, rosa_handoff) = two_sites();
    let mut app = prison.app("en", handoff);
    app.play(start_screening("B-2026-118"));
    app.play(answer_all());
    app.play(refer_anonymously());
    drop(app);
    let sealed = prison.ok(&["handoff", "seal", "--out", p(&prison.path("outbox"))]);
    assert!(sealed.starts_with("sealed: "), "{sealed}");

    let mut screen = rosa.app("nb", rosa_handoff);
    screen.play(Vec::new());
    let home = screen.screen();
    assert!(
        home.contains("Importer henvisninger fra innboksen (filer som venter: 1)"),
        "{home}"
    );
    assert!(home.contains("Registrerte fengsler (1)"), "{home}");
    screen.play(vec![ch('i'), ch('i')]);
    let imported = screen.screen();
    assert!(imported.contains("imported: "), "{imported}");
    // Again: nothing changes.
    screen.play(vec![ch('i')]);
    assert!(
        screen.screen().contains("already imported: "),
        "{}",
        screen.screen()
    );
    let receipts: Vec<_> = std::fs::read_dir(prison.path("inbox")).unwrap().collect();
    assert_eq!(receipts.len(), 1, "one receipt for the prison");
    let confirmed = prison.ok(&[
        "handoff",
        "confirm",
        p(&receipts[0].as_ref().unwrap().path()),
    ]);
    assert!(confirmed.starts_with("delivered: "), "{confirmed}");
    let list = rosa.ok(&["referrals", "list"]);
    assert!(
        list.contains("(anonymous)") && list.contains("arrived "),
        "{list}"
    );
}

#[test]
fn the_prison_seals_in_a_real_terminal() {
    let (prison, _rosa, handoff, _) = two_sites();
    // A referral recorded through the screens' code, in-process.
    let mut app = prison.app("en", handoff);
    app.play(start_screening("B-2026-119"));
    app.play(answer_all());
    app.play(refer_anonymously());
    drop(app);
    let db = prison.db();
    let config = prison.config();
    let mut t = Launch::new(prison.dir.path())
        .env("ROSA_SCREEN_DB", p(&db))
        .env("ROSA_SCREEN_CONFIG", p(&config))
        .env("ROSA_SCREEN_LANG", "en")
        .spawn(&[]);
    t.wait_for("Hand-off to ROSA: 1 waiting");
    t.keys("h");
    t.wait_for("B-2026-119");
    t.keys("s");
    let screen = t.wait_for("sealed: referral-");
    assert!(
        screen.contains("Now send the sealed files to ROSA"),
        "{screen}"
    );
    t.keys("\x1b");
    t.wait_for("Hand-off to ROSA: 0 waiting · 1 sealed");
    assert!(t.quit_with("q").success());
    assert_eq!(
        std::fs::read_dir(prison.path("outbox")).unwrap().count(),
        1,
        "one bundle in the outbox"
    );
}

#[test]
fn plain_mode_at_a_prison_says_the_referral_waits_for_the_hand_off() {
    let prison = Site::new("prison");
    let input = "Bredtveit\nOfficer B, 555 01 234\nPL-1\n1\n1990\nng\n2\n1\n\n\
                 34\n\n1\n1\n2\n2\n14\n1,3\n2\n1\n1\nWorried about a debt\n\
                 1\n1\n2027-01-15\n2\n\n";
    let out = prison
        .cmd()
        .args([
            "interview",
            "--plain",
            "--lang",
            "en",
            "--questionnaire",
            "tests/fixtures/examples/small-screening.yaml",
        ])
        .write_stdin(input)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("Referral id: "), "{stdout}");
    assert!(
        stdout.contains("It waits here for the hand-off: `rosa-screen handoff seal`"),
        "{stdout}"
    );
    // Without a site (one database for both) it says nothing of a hand-off.
    let both = Site::new("prison");
    std::fs::write(both.config(), "").unwrap();
    let out = both
        .cmd()
        .args([
            "interview",
            "--plain",
            "--lang",
            "en",
            "--questionnaire",
            "tests/fixtures/examples/small-screening.yaml",
        ])
        .write_stdin(input)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Referral id: "), "{stdout}");
    assert!(!stdout.contains("hand-off"), "{stdout}");
}
