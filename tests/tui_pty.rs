//! The real binary in a real pseudo-terminal (`common::pty`): start a screening, answer three
//! questions, SIGKILL it, start again, resume, find question four with the first three answers
//! kept, finish and see the outcome.

mod common;

use common::fixtures;
use common::pty::keys::{DOWN, ENTER, ESC, TAB};
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
    t.keys(&format!("Bredtveit{TAB}Officer B{TAB}PTY-1{TAB}"));
    for _ in 0..6 {
        t.keys(TAB);
    }
    t.wait_for("[ Start the screening ]");
    t.keys(ENTER);
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
    assert!(home.contains("3 saved"), "{home}");
    t.keys(&format!("{DOWN}{ENTER}"));
    let q4 = t.wait_for("Did you come here for a job?");
    assert!(q4.contains("Question 4"), "{q4}");
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
