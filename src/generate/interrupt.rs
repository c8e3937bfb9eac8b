//! SIGINT, SIGTERM and SIGHUP during a write: the first one is only noted,
//! and the writer checks between steps, rolls back and exits 128 + the
//! signal's number (130, 143, 129); a second one ends the process at once
//! (the write journal makes that recoverable by the next command).

use std::sync::atomic::{AtomicI32, Ordering};

static PENDING: AtomicI32 = AtomicI32::new(0);

/// The signal received since [`install`], if any.
pub fn pending() -> Option<i32> {
    match PENDING.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// `SIGINT` and so on, for messages.
pub fn name(signal: i32) -> &'static str {
    #[cfg(unix)]
    {
        match signal {
            libc::SIGINT => "SIGINT",
            libc::SIGTERM => "SIGTERM",
            libc::SIGHUP => "SIGHUP",
            _ => "a signal",
        }
    }
    #[cfg(not(unix))]
    {
        let _ = signal;
        "an interrupt"
    }
}

/// The exit code for a run ended by `signal`: 128 + its number.
pub fn exit_code(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(130)
}

/// Catches SIGINT, SIGTERM and SIGHUP for the rest of the process, for
/// commands that write (`run`). Nothing else in the process may rely on
/// their default action afterwards.
pub fn install() -> std::io::Result<()> {
    #[cfg(unix)]
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: the action only touches an atomic and calls `_exit`, both
        // async-signal-safe.
        unsafe {
            signal_hook::low_level::register(signal, move || {
                if PENDING.swap(signal, Ordering::SeqCst) != 0 {
                    signal_hook::low_level::exit(128 + signal);
                }
            })?;
        }
    }
    Ok(())
}
