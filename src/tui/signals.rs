//! SIGTERM, SIGHUP and SIGINT end the screens as cleanly as quitting does: the event loop sees
//! the signal, returns, and the terminal is restored (main screen back, cursor shown) on the
//! way out. Nothing else needs doing: every answer is already on disk.
//!
//! The handlers only set flags (signal-hook's safe flag API; no code of ours runs in a signal
//! handler). While no screen is open (between the home screen and the review queue, and after
//! the last one closed) and after a first signal, such a signal ends the process at once with
//! the shell's usual status (128 + the signal), as if no handler were installed.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// The flags the handlers set, registered once per process.
struct Flags {
    /// The last signal received while a screen was open (0: none).
    received: Arc<AtomicUsize>,
    /// True when a signal must end the process at once (no screen open, or a second signal).
    immediate: Arc<AtomicBool>,
}

static FLAGS: OnceLock<Flags> = OnceLock::new();

#[cfg(unix)]
const WATCHED: [i32; 3] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
];

#[cfg(unix)]
fn register() -> std::io::Result<Flags> {
    use signal_hook::flag;
    let received = Arc::new(AtomicUsize::new(0));
    let immediate = Arc::new(AtomicBool::new(false));
    for sig in WATCHED {
        // Order matters: the shutdown looks at `immediate` before the next action sets it, so
        // the first signal is handled by the loop and a second one ends the process.
        flag::register_conditional_shutdown(sig, 128 + sig, Arc::clone(&immediate))?;
        flag::register(sig, Arc::clone(&immediate))?;
        flag::register_usize(
            sig,
            Arc::clone(&received),
            usize::try_from(sig).unwrap_or(0),
        )?;
    }
    Ok(Flags {
        received,
        immediate,
    })
}

#[cfg(not(unix))]
fn register() -> std::io::Result<Flags> {
    Ok(Flags {
        received: Arc::new(AtomicUsize::new(0)),
        immediate: Arc::new(AtomicBool::new(false)),
    })
}

/// While alive, a watched signal ends the event loop instead of the process; dropped, a signal
/// ends the process at once again.
#[derive(Debug)]
pub struct Watch(());

impl Drop for Watch {
    fn drop(&mut self) {
        if let Some(f) = FLAGS.get() {
            f.immediate.store(true, Ordering::SeqCst);
        }
    }
}

/// Starts watching for SIGTERM, SIGHUP and SIGINT while a screen is open (see [`Watch`]).
///
/// # Errors
/// The handlers could not be installed.
pub fn watch() -> std::io::Result<Watch> {
    let flags = match FLAGS.get() {
        Some(f) => f,
        None => {
            let f = register()?;
            FLAGS.get_or_init(|| f)
        }
    };
    if flags.received.load(Ordering::SeqCst) == 0 {
        flags.immediate.store(false, Ordering::SeqCst);
    }
    Ok(Watch(()))
}

/// The signal that ended the screens, if one did: the program then exits with 128 + it.
#[must_use]
pub fn received() -> Option<i32> {
    let n = FLAGS.get()?.received.load(Ordering::SeqCst);
    (n != 0).then(|| i32::try_from(n).unwrap_or(0))
}

/// The exit status for [`received`]: 128 + the signal, as a shell reports a signal's end.
#[must_use]
pub fn exit_status() -> Option<u8> {
    received().map(|sig| u8::try_from(128 + sig).unwrap_or(u8::MAX))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_signal_while_watching_is_remembered_not_fatal() {
        let w = watch().unwrap();
        assert_eq!(received(), None);
        signal_hook::low_level::raise(signal_hook::consts::SIGHUP).unwrap();
        assert_eq!(received(), Some(signal_hook::consts::SIGHUP));
        assert_eq!(exit_status(), Some(129));
        // Disarm before dropping the watch: a later signal in this test process would end it.
        drop(w);
    }
}
