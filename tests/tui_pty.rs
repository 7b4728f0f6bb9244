//! The real binary in a real pseudo-terminal (portable-pty + vt100): start a screening, answer
//! three questions, SIGKILL it, start again, resume, find question four with the first three
//! answers kept, finish and see the outcome. A drain thread feeds the screen emulator; every
//! wait polls the emulated screen against a deadline.

#![allow(clippy::expect_used)] // helpers of a test: a failure is a failed test

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

const DEADLINE: Duration = Duration::from_secs(20);

struct Term {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    // Keeps the pseudo-terminal open while the test runs.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Term {
    fn start(db: &Path, args: &[&str]) -> Term {
        let db = db.to_string_lossy().into_owned();
        let mut all = vec!["--db", db.as_str()];
        all.extend_from_slice(args);
        Term::start_command(env!("CARGO_BIN_EXE_rosa-screen"), &all, false)
    }

    /// Runs `program` in a fresh pseudo-terminal. With `keeps_alternate` the emulated terminal
    /// keeps what is on the alternate screen when a program enters it again (as tmux does;
    /// vt100 alone clears it on every `CSI ? 1049 h`).
    fn start_command(program: &str, args: &[&str], keeps_alternate: bool) -> Term {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(program);
        for a in args {
            cmd.arg(a);
        }
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("NO_COLOR", "1");
        let child = pty.slave.spawn_command(cmd).expect("spawn");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let n = |v| NonZeroU16::new(v).expect("non-zero");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(n(24), n(80), 0)));
        let sink = Arc::clone(&screen);
        // Drain continuously: a full pty buffer would block the program.
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(k) = reader.read(&mut buf) {
                if k == 0 {
                    break;
                }
                let mut bytes = buf[..k].to_vec();
                if keeps_alternate {
                    bytes = replace(&bytes, b"\x1b[?1049h", b"\x1b[?47h");
                }
                sink.lock().expect("screen").process(&bytes);
            }
        });
        Term {
            child,
            writer,
            screen,
            _master: pty.master,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().expect("screen").screen().contents()
    }

    fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let c = self.contents();
            if c.contains(what) {
                return c;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "waited for {what:?}; the screen shows:\n{c}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
    }

    /// Sends `signal` (a name for `kill`, e.g. "TERM") to the program.
    fn signal(&mut self, signal: &str) {
        let pid = self.child.process_id().expect("pid");
        let ok = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &pid.to_string()])
            .status()
            .expect("kill");
        assert!(ok.success());
    }

    /// Waits until the terminal is given back: main screen, cursor shown.
    fn wait_restored(&self) {
        let restored = |t: &Term| {
            let p = t.screen.lock().expect("screen");
            !p.screen().alternate_screen() && !p.screen().hide_cursor()
        };
        let start = Instant::now();
        while !restored(self) {
            assert!(start.elapsed() < DEADLINE, "the terminal was not restored");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn sigkill(&mut self) {
        let pid = self.child.process_id().expect("pid");
        let ok = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .expect("kill");
        assert!(ok.success());
        self.child.wait().expect("reaped");
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().expect("try_wait") {
                return s;
            }
            assert!(start.elapsed() < DEADLINE, "the program did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// `bytes` with every `from` replaced by `to`.
fn replace(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

const TAB: &str = "\t";
const ENTER: &str = "\r";
const ESC: &str = "\x1b";

#[test]
fn killed_mid_screening_and_resumed_where_it_stopped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("screenings.db");
    let args = [
        "interview",
        "--questionnaire",
        "tests/fixtures/examples/small-screening.yaml",
        "--lang",
        "en",
    ];

    let mut t = Term::start(&db, &args);
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
    t.sigkill();

    // Start again: Esc leaves the new-screening form for home, where the screening waits.
    let mut t = Term::start(&db, &args);
    t.wait_for("Prison or unit");
    t.keys(ESC);
    let home = t.wait_for("Resume PTY-1");
    assert!(home.contains("3 saved"), "{home}");
    // After the crash the cursor is on the unfinished screening: Enter resumes it.
    assert!(home.contains("> Resume PTY-1"), "{home}");
    t.keys(ENTER);
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
    t.keys("q");
    let status = t.wait_exit();
    assert!(status.success(), "{status:?}");
    // The terminal is given back: main screen, cursor shown.
    let restored = |t: &Term| {
        let p = t.screen.lock().expect("screen");
        !p.screen().alternate_screen() && !p.screen().hide_cursor()
    };
    let start = Instant::now();
    while !restored(&t) {
        assert!(start.elapsed() < DEADLINE, "the terminal was not restored");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sigterm_and_sighup_restore_the_terminal_and_keep_the_answers() {
    for (signal, code) in [("TERM", 143), ("HUP", 129)] {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("screenings.db");
        let args = [
            "interview",
            "--questionnaire",
            "tests/fixtures/examples/small-screening.yaml",
            "--lang",
            "en",
        ];
        let mut t = Term::start(&db, &args);
        t.wait_for("Prison or unit");
        t.keys(&format!("Bredtveit{TAB}Officer B{TAB}SIG-1{TAB}"));
        for _ in 0..6 {
            t.keys(TAB);
        }
        t.wait_for("[ Start the screening ]");
        t.keys(ENTER);
        t.wait_for("Approximate age");
        t.keys(&format!("34{ENTER}"));
        t.wait_for("Explain who you are");
        assert!(
            t.screen.lock().expect("screen").screen().alternate_screen(),
            "the screens run on the alternate screen"
        );
        t.signal(signal);
        let status = t.wait_exit();
        assert_eq!(status.exit_code(), code, "SIG{signal}: {status:?}");
        // The main screen is back, with the cursor.
        t.wait_restored();
        // The answer given before the signal is kept: the next start offers to resume it.
        let mut t = Term::start(&db, &args);
        t.wait_for("Prison or unit");
        t.keys(ESC);
        t.wait_for("Resume SIG-1");
        t.keys("q");
        assert!(t.wait_exit().success());
    }
}

#[test]
fn a_new_start_clears_what_was_left_on_the_alternate_screen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("screenings.db");
    // A shell leaves text on the alternate screen (as a program killed there would), then the
    // program starts in the same terminal, one that keeps that screen's text (as tmux does).
    let script = format!(
        "printf '\\033[?1049h\\033[15;40HLEFTOVER-TEXT'; exec '{}' --db '{}' --lang en",
        env!("CARGO_BIN_EXE_rosa-screen"),
        db.display()
    );
    let mut t = Term::start_command("sh", &["-c", &script], true);
    let home = t.wait_for("Start a new screening");
    assert!(!home.contains("LEFTOVER-TEXT"), "{home}");
    t.keys("q");
    assert!(t.wait_exit().success());
}
