//! Start-up as a person sees it: the real binary in a pseudo-terminal, from spawning the
//! process to the home screen's first frame on the emulated screen, against
//! `rosa-screen --help` in the same pseudo-terminal (spawn to exit, all output read). The goal
//! is a first frame within 4x the time of `--help`; the ratio is printed after the run.
//!
//! Each start uses an existing database (created once before measuring, as on any day but
//! the first) and the built-in questionnaire, in a home folder of its own with no settings.
//!
//! Run: `cargo bench --bench start_pty -- --warm-up-time 1 --measurement-time 3`

#![allow(clippy::expect_used)] // a benchmark that cannot set up has nothing to measure

use std::io::Read;
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_rosa-screen");
/// On the home screen's first frame (English, as `--lang en` asks).
const HOME_TEXT: &str = "Start a new screening";

/// The program with `args`, isolated in `home` (no settings, no state of the developer's).
fn command(home: &Path, args: &[&str]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(BIN);
    cmd.args(args);
    cmd.cwd(home);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ROSA_SCREEN_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("HOME", home);
    for (var, dir) in [
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
    ] {
        cmd.env(var, home.join(dir));
    }
    cmd.env(
        "ROSA_SCREEN_SYSTEM_CONFIG",
        home.join("no-system-config.toml"),
    );
    cmd.env("TERM", "xterm-256color");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// How long one start may take before the run fails (only so that a broken program fails
/// the run, in CI's test mode too, instead of hanging it).
const DEADLINE: Duration = Duration::from_secs(60);

/// Runs `cmd` in a new 80x24 pseudo-terminal, reading what it writes until `done` says so
/// (given the emulated screen, or `None` at the end of output); returns the time from spawn.
fn run(cmd: CommandBuilder, kill_when_done: bool, done: impl Fn(Option<&str>) -> bool) -> Duration {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pty");
    let start = Instant::now();
    let mut child = pty.slave.spawn_command(cmd).expect("spawn");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().expect("reader");
    // Kept open while the program runs (a closed terminal input would end it early).
    let _writer = pty.master.take_writer().expect("writer");
    // A reader thread, so that the wait below can give up at the deadline.
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(k) = reader.read(&mut buf) {
            if k == 0 || tx.send(buf[..k].to_vec()).is_err() {
                break;
            }
        }
    });
    let n = |v| NonZeroU16::new(v).expect("non-zero");
    let mut screen = vt100::Parser::new(n(24), n(80), 0);
    let elapsed = loop {
        let left = DEADLINE.saturating_sub(start.elapsed());
        match rx.recv_timeout(left) {
            Ok(bytes) => {
                screen.process(&bytes);
                if done(Some(&screen.screen().contents())) {
                    break start.elapsed();
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                assert!(done(None), "the program ended before it was done");
                break start.elapsed();
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                panic!(
                    "no result within {DEADLINE:?}; the screen:\n{}",
                    screen.screen().contents()
                );
            }
        }
    };
    if kill_when_done {
        child.kill().expect("kill");
    }
    child.wait().expect("wait");
    elapsed
}

fn start_up(c: &mut Criterion) {
    let home = tempfile::tempdir().expect("tempdir");
    let db = home.path().join("rosa.db");
    let db = db.to_str().expect("utf-8 path");
    let tui_args = ["--db", db, "--lang", "en"];
    // The first start creates the database; every measured one opens it.
    run(command(home.path(), &tui_args), true, |s| {
        s.is_some_and(|s| s.contains(HOME_TEXT))
    });

    let mut group = c.benchmark_group("start_pty");
    group.sample_size(20);
    let mut help_total = Duration::ZERO;
    let mut help_n = 0u32;
    group.bench_function("help", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                total += run(command(home.path(), &["--help"]), false, |s| s.is_none());
            }
            help_total += total;
            help_n += u32::try_from(iters).unwrap_or(u32::MAX);
            total
        });
    });
    let mut home_total = Duration::ZERO;
    let mut home_n = 0u32;
    group.bench_function("home_first_frame", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                total += run(command(home.path(), &tui_args), true, |s| {
                    s.is_some_and(|s| s.contains(HOME_TEXT))
                });
            }
            home_total += total;
            home_n += u32::try_from(iters).unwrap_or(u32::MAX);
            total
        });
    });
    group.finish();
    if help_n > 0 && home_n > 0 {
        let help = help_total / help_n;
        let first = home_total / home_n;
        println!(
            "start_pty: --help {help:.2?}, home first frame {first:.2?}, ratio {:.2} (goal: at most 4)",
            first.as_secs_f64() / help.as_secs_f64()
        );
    }
}

criterion_group!(benches, start_up);
criterion_main!(benches);
