//! The real binary in a real pseudo-terminal (`common::pty`): start a screening, answer three
//! questions, SIGKILL it, start again, resume, find question four with the first three answers
//! kept, finish and see the outcome; SIGTERM and SIGHUP give the terminal back; a start clears
//! what an earlier program left on the alternate screen.

mod common;

use common::fixtures;
use common::pty::keys::{ENTER, ESC};
use common::pty::{Launch, Pty};

#[test]
fn killed_mid_screening_and_resumed_where_it_stopped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("screenings.db");
    let db = db.to_str().expect("a UTF-8 temp path");
    let args = [
        "--db",
        db,
        "interview",
        "--questionnaire",
        fixtures::SMALL_PATH,
        "--lang",
        "en",
    ];

    let mut t = Pty::start(dir.path(), &args);
    t.wait_for("Prison or unit");
    t.start_screening("Bredtveit", "Officer B", "PTY-1", "Start the screening");
    t.wait_for("Approximate age");
    t.keys(&format!("34{ENTER}"));
    t.wait_for("Explain who you are");
    t.keys(ENTER);
    t.wait_for("Are you willing to talk");
    t.keys(&format!("1{ENTER}"));
    t.wait_for("Did you come here for a job?");
    t.kill();

    // Start again: Esc leaves the new-screening form for home, where the screening waits.
    let mut t = Pty::start(dir.path(), &args);
    t.wait_for("Prison or unit");
    t.keys(ESC);
    let home = t.wait_for("Resume PTY-1");
    assert!(home.contains("2 answered"), "{home}");
    // After the crash the cursor is on the unfinished screening: Enter resumes it.
    assert!(home.contains("> Resume PTY-1"), "{home}");
    t.keys(ENTER);
    let q4 = t.wait_for("Did you come here for a job?");
    // The fourth item is the third question (the read-out item is not one).
    assert!(q4.contains("Question 3 · 2 answered · about"), "{q4}");
    // The overview lists the three answers kept.
    t.keys("o");
    let overview = t.wait_for("Overview");
    assert!(overview.contains("Approximate age — 34"), "{overview}");
    assert!(
        overview.contains("Are you willing to talk with me now? — Yes"),
        "{overview}"
    );
    t.keys(ESC);
    // The footer of the question (not the overview's) shows it closed.
    t.wait_for("Enter answer");

    // Finish: no job -> the journey question, then closing.
    t.keys(&format!("2{ENTER}"));
    t.wait_for("Who arranged the journey?");
    t.keys(&format!("1{ENTER}"));
    t.wait_for("Would you like us to contact ROSA");
    t.keys(&format!("2{ENTER}"));
    t.wait_for("Anything else you want to tell me?");
    t.keys(ENTER);
    let summary = t.wait_for("OUTCOME");
    assert!(summary.contains("No signs seen"), "{summary}");
    t.keys("f");
    t.wait_for("Finish without a referral?");
    t.keys(ENTER);
    t.wait_for("Start a new screening");
    let status = t.quit_with("q");
    assert!(status.success(), "{status:?}");
    // The terminal is given back: main screen, cursor shown.
    t.wait_restored();
}

#[test]
fn a_window_too_small_says_so_and_the_screen_comes_back_when_it_grows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("screenings.db");
    let db = db.to_str().expect("a UTF-8 temp path");
    let mut t = Launch::new(dir.path())
        .size(60, 20)
        .spawn(&["--db", db, "--lang", "en"]);
    let small = t.wait_for("The window is too small.");
    assert!(small.contains("It is 60x20"), "{small}");
    t.resize(100, 30);
    t.wait_for("Start a new screening");
    assert!(t.quit_with("q").success());
    t.wait_restored();
}

#[test]
fn sigterm_and_sighup_restore_the_terminal_and_keep_the_answers() {
    for (signal, code) in [("TERM", 143), ("HUP", 129)] {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("screenings.db");
        let db = db.to_str().expect("a UTF-8 temp path");
        let args = [
            "--db",
            db,
            "interview",
            "--questionnaire",
            fixtures::SMALL_PATH,
            "--lang",
            "en",
        ];
        let mut t = Pty::start(dir.path(), &args);
        t.wait_for("Prison or unit");
        t.start_screening("Bredtveit", "Officer B", "SIG-1", "Start the screening");
        t.wait_for("Approximate age");
        t.keys(&format!("34{ENTER}"));
        t.wait_for("Explain who you are");
        assert!(
            t.with_screen(vt100::Screen::alternate_screen),
            "the screens run on the alternate screen"
        );
        t.signal(signal);
        let status = t.wait_exit();
        assert_eq!(status.exit_code(), code, "SIG{signal}: {status:?}");
        // The main screen is back, with the cursor.
        t.wait_restored();
        // The answer given before the signal is kept: the next start offers to resume it.
        let mut t = Pty::start(dir.path(), &args);
        t.wait_for("Prison or unit");
        t.keys(ESC);
        t.wait_for("Resume SIG-1");
        assert!(t.quit_with("q").success());
    }
}

#[test]
fn a_new_start_clears_what_was_left_on_the_alternate_screen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("screenings.db");
    let db = db.to_str().expect("a UTF-8 temp path");
    // A shell leaves text on the alternate screen where home draws nothing (as a program
    // killed there would), then the program starts in the same terminal, one that keeps that
    // screen's text (as tmux does).
    let script = "printf '\\033[?1049h\\033[15;40HLEFTOVER-TEXT'; exec \"$0\" \"$@\"";
    let mut t = Launch::new(dir.path())
        .program("sh")
        .keeps_alternate_screen()
        .spawn(&[
            "-c",
            script,
            env!("CARGO_BIN_EXE_rosa-screen"),
            "--db",
            db,
            "--lang",
            "en",
        ]);
    let home = t.wait_for("Start a new screening");
    assert!(!home.contains("LEFTOVER-TEXT"), "{home}");
    assert!(t.quit_with("q").success());
}

#[test]
fn an_immediate_flag_interrupts_the_interview() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("screenings.db");
    let db = db.to_str().expect("a UTF-8 temp path");
    // The built-in questionnaire: "Could the person be under 18?" answered "Yes, or possibly"
    // raises the immediate flag "May be under 18".
    let mut t = Pty::start(dir.path(), &["--db", db, "interview", "--lang", "en"]);
    t.wait_for("Prison or unit");
    t.start_screening("Ila", "Officer B", "FLAG-1", "Start the screening");
    t.wait_for("Could the person be under 18?");
    t.keys(&format!("2{ENTER}"));
    let panel = t.wait_for("Act now");
    assert!(panel.contains("May be under 18"), "{panel}");
    assert!(panel.contains("Treat the person as under 18"), "{panel}");
    t.keys(ENTER);
    let next = t.wait_for("! Act on: May be under 18");
    assert!(next.contains("Stop: contact child welfare"), "{next}");
    assert!(!next.contains("Treat the person"), "{next}");
    assert!(t.quit_with("\x03").success());
    t.wait_restored();
}
