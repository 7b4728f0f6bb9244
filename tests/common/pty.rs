//! The real binary in a real pseudo-terminal (portable-pty + vt100): the one harness for every
//! PTY test.
//!
//! A test starts `rosa-screen` with some arguments in a pseudo-terminal of a given size, types
//! keys, waits for text on the emulated screen, and sends signals. A drain thread feeds
//! everything the program writes to a vt100 emulator, so the program never blocks on a full
//! pty buffer and [`Pty::screen`] is always the screen as a person would see it.
//!
//! Waiting is the only use of time: every `wait_*` polls the screen until what it waits for
//! is there, and fails (showing the screen) after [`DEADLINE`]. The deadline is there only so
//! a broken program fails instead of hanging the test run; it says nothing about speed, and
//! no test should assert on how long something took.
//!
//! The program runs in a folder of the test's own (`home`): it is its working directory,
//! `HOME`, and the XDG config, state, data and cache directories, with no system-wide config
//! file and none of the caller's `ROSA_SCREEN_*` variables, so the developer's own settings and
//! remembered choices never leak in or get written.
//!
//! ```ignore
//! mod common;
//! use common::pty::{Pty, Launch, keys::{ENTER, TAB}};
//!
//! let dir = tempfile::tempdir().expect("tempdir");
//! let db = dir.path().join("rosa.db");
//! let mut t = Pty::start(dir.path(), &["--db", db.to_str().unwrap(), "--lang", "en"]);
//! t.wait_for("Start a new screening");
//! t.keys(&format!("n{ENTER}"));
//! // Another size, a setting from the environment:
//! let mut wide = Launch::new(dir.path()).size(120, 40).env("ROSA_SCREEN_SITE", "rosa").spawn(&[]);
//! t.kill(); // SIGKILL, as a power cut would
//! assert!(wide.quit_with("q").success());
//! ```
#![allow(clippy::expect_used)] // a failed set-up or a missed wait is a failed test

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// How long a wait may take before the test fails. Only a guard against hanging: generous,
/// because six test runs may share two cores.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// How often a wait looks at the screen again.
const POLL: Duration = Duration::from_millis(20);

/// What a terminal sends for the keys a test needs (xterm, normal cursor mode).
pub mod keys {
    /// Enter (carriage return, as a terminal sends it).
    pub const ENTER: &str = "\r";
    /// Tab.
    pub const TAB: &str = "\t";
    /// Shift+Tab.
    pub const BACKTAB: &str = "\x1b[Z";
    /// Escape.
    pub const ESC: &str = "\x1b";
    /// Backspace.
    pub const BACKSPACE: &str = "\x7f";
    /// Arrow up.
    pub const UP: &str = "\x1b[A";
    /// Arrow down.
    pub const DOWN: &str = "\x1b[B";
    /// Arrow right.
    pub const RIGHT: &str = "\x1b[C";
    /// Arrow left.
    pub const LEFT: &str = "\x1b[D";
    /// Home.
    pub const HOME: &str = "\x1b[H";
    /// End.
    pub const END: &str = "\x1b[F";
    /// Page up.
    pub const PAGE_UP: &str = "\x1b[5~";
    /// Page down.
    pub const PAGE_DOWN: &str = "\x1b[6~";
    /// Ctrl+C (the terminal in raw mode passes it to the program as a key).
    pub const CTRL_C: &str = "\x03";
}

/// How to start the program: the folder it lives in, the terminal's size, extra environment.
/// [`Pty::start`] is the common case (80x24, nothing extra).
#[derive(Debug, Clone)]
pub struct Launch {
    home: PathBuf,
    cols: u16,
    rows: u16,
    cwd: Option<PathBuf>,
    env: Vec<(String, String)>,
    program: Option<String>,
    keeps_alternate: bool,
}

impl Launch {
    /// The program in `home` (see the module's notes), on an 80x24 terminal.
    pub fn new(home: &Path) -> Self {
        Self {
            home: home.to_path_buf(),
            cols: 80,
            rows: 24,
            cwd: None,
            env: Vec::new(),
            program: None,
            keeps_alternate: false,
        }
    }

    /// Runs `program` instead of `rosa-screen` (a shell that prepares the terminal, then
    /// `exec`s the program), with the same isolation.
    #[must_use]
    pub fn program(mut self, program: &str) -> Self {
        self.program = Some(program.to_owned());
        self
    }

    /// Emulates a terminal that keeps what is on the alternate screen when a program enters it
    /// again, as tmux does (vt100 alone clears it on every `CSI ? 1049 h`).
    #[must_use]
    pub fn keeps_alternate_screen(mut self) -> Self {
        self.keeps_alternate = true;
        self
    }

    /// A terminal of `cols` columns and `rows` rows.
    #[must_use]
    pub fn size(mut self, cols: u16, rows: u16) -> Self {
        self.cols = cols;
        self.rows = rows;
        self
    }

    /// Sets an environment variable for the program (after the isolation, so it wins).
    #[must_use]
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Runs the program in `dir` instead of `home` (for relative paths in its arguments).
    #[must_use]
    pub fn cwd(mut self, dir: &Path) -> Self {
        self.cwd = Some(dir.to_path_buf());
        self
    }

    /// Starts `rosa-screen ARGS` in a new pseudo-terminal.
    pub fn spawn(self, args: &[&str]) -> Pty {
        let size = PtySize {
            rows: self.rows,
            cols: self.cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pty = native_pty_system().openpty(size).expect("open a pty");
        let mut cmd = CommandBuilder::new(
            self.program
                .as_deref()
                .unwrap_or(env!("CARGO_BIN_EXE_rosa-screen")),
        );
        cmd.args(args);
        cmd.cwd(self.cwd.as_deref().unwrap_or(&self.home));
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("ROSA_SCREEN_") {
                cmd.env_remove(key);
            }
        }
        cmd.env("HOME", &self.home);
        for (var, dir) in [
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_STATE_HOME", "state"),
            ("XDG_DATA_HOME", "data"),
            ("XDG_CACHE_HOME", "cache"),
        ] {
            cmd.env(var, self.home.join(dir));
        }
        // A file that does not exist: no system-wide settings (settings.rs).
        cmd.env(
            "ROSA_SCREEN_SYSTEM_CONFIG",
            self.home.join("no-system-config.toml"),
        );
        cmd.env("TERM", "xterm-256color");
        cmd.env("NO_COLOR", "1");
        for (key, value) in &self.env {
            cmd.env(key, value);
        }
        let child = pty.slave.spawn_command(cmd).expect("start rosa-screen");
        // The child holds its own copy; ours would keep the pty open after it exits.
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("pty reader");
        let writer = pty.master.take_writer().expect("pty writer");
        let n = |v| NonZeroU16::new(v).expect("a terminal of at least 1x1");
        let parser = vt100::Parser::new(n(self.rows), n(self.cols), 0);
        let screen = Arc::new(Mutex::new(parser));
        let sink = Arc::clone(&screen);
        let keeps_alternate = self.keeps_alternate;
        // Drain continuously: a full pty buffer would block the program.
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(k) = reader.read(&mut buf) {
                if k == 0 {
                    break;
                }
                if keeps_alternate {
                    let bytes = replace(&buf[..k], b"\x1b[?1049h", b"\x1b[?47h");
                    sink.lock().expect("screen").process(&bytes);
                } else {
                    sink.lock().expect("screen").process(&buf[..k]);
                }
            }
        });
        Pty {
            child,
            writer,
            screen,
            master: pty.master,
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

/// A running `rosa-screen` in a pseudo-terminal. Dropping it kills the program if it is still
/// running, so a failed test leaves nothing behind.
pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    master: Box<dyn MasterPty + Send>,
}

impl Pty {
    /// Starts `rosa-screen ARGS` on an 80x24 terminal in `home` (see the module's notes).
    pub fn start(home: &Path, args: &[&str]) -> Self {
        Launch::new(home).spawn(args)
    }

    /// Types `bytes` (text, or the sequences in [`keys`]).
    pub fn keys(&mut self, bytes: &str) {
        self.writer
            .write_all(bytes.as_bytes())
            .expect("type into the pty");
        self.writer.flush().expect("flush the pty");
    }

    /// The screen as text, one line per row, trailing spaces dropped. No-break spaces (which
    /// keep labels with their counts) read as spaces.
    pub fn screen(&self) -> String {
        self.with_screen(|s| s.contents().replace('\u{a0}', " "))
    }

    /// Looks at the emulated screen itself (cursor, colours, alternate screen, one cell).
    pub fn with_screen<T>(&self, look: impl FnOnce(&vt100::Screen) -> T) -> T {
        look(self.screen.lock().expect("screen").screen())
    }

    /// Waits until `text` is on the screen; returns the screen.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} on the screen"), |s| {
            s.contents().replace('\u{a0}', " ").contains(text)
        })
    }

    /// Waits until `text` is no longer on the screen; returns the screen.
    pub fn wait_gone(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} gone from the screen"), |s| {
            !s.contents().replace('\u{a0}', " ").contains(text)
        })
    }

    /// Waits until `ready` holds for the screen; returns the screen. `what` names the wait in
    /// the failure message.
    pub fn wait_until(&self, what: &str, ready: impl Fn(&vt100::Screen) -> bool) -> String {
        let start = Instant::now();
        loop {
            if self.with_screen(&ready) {
                return self.screen();
            }
            assert!(
                start.elapsed() < DEADLINE,
                "waited {DEADLINE:?} for {what}; the screen shows:\n{}",
                self.screen()
            );
            std::thread::sleep(POLL);
        }
    }

    /// Makes the terminal `cols`x`rows`, as a person dragging the window would: the program
    /// gets SIGWINCH from the kernel.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let n = |v| NonZeroU16::new(v).expect("a terminal of at least 1x1");
        self.screen
            .lock()
            .expect("screen")
            .set_size(n(rows), n(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
    }

    /// The program's process id.
    pub fn pid(&self) -> u32 {
        self.child
            .process_id()
            .expect("a running program has a pid")
    }

    /// Sends signal `name` (`TERM`, `INT`, `HUP`, `KILL`, ...) to the program.
    pub fn signal(&mut self, name: &str) {
        let sent = std::process::Command::new("kill")
            .args(["-s", name, &self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -s {name} failed");
    }

    /// Kills the program with SIGKILL (nothing can be tidied up, as in a power cut) and
    /// waits until it is gone.
    pub fn kill(&mut self) {
        self.signal("KILL");
        self.child.wait().expect("reap the killed program");
    }

    /// Waits until the program exits; returns how.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("ask whether it exited") {
                return status;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "the program did not exit within {DEADLINE:?}; the screen shows:\n{}",
                self.screen()
            );
            std::thread::sleep(POLL);
        }
    }

    /// Types `bytes` and waits for the program to exit; returns how.
    pub fn quit_with(&mut self, bytes: &str) -> ExitStatus {
        self.keys(bytes);
        self.wait_exit()
    }

    /// On the details form that opens a new screening: types the unit, the officer and the
    /// person's reference, leaves the other fields as they are, moves to the start button and
    /// presses it. `start` is the button's text in the screen's language ("Start the
    /// screening", "Start kartleggingen"). The one place that knows the form's order.
    pub fn start_screening(&mut self, unit: &str, officer: &str, person: &str, start: &str) {
        use keys::{ENTER, TAB};
        self.keys(&format!("{unit}{TAB}{officer}{TAB}{person}{TAB}"));
        // Gender, year of birth, nationality, language, interpreter, person's language.
        for _ in 0..6 {
            self.keys(TAB);
        }
        self.wait_for(&format!("[ {start} ]"));
        self.keys(ENTER);
    }

    /// Waits until the terminal is given back as it was: the main screen, the cursor shown.
    pub fn wait_restored(&self) {
        self.wait_until("the terminal to be restored", |s| {
            !s.alternate_screen() && !s.hide_cursor()
        });
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
