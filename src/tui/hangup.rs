//! Noticing that the app's terminal went away (its window closed, the
//! connection dropped), with or without a SIGHUP reaching the app.
//!
//! The terminal's event stream cannot tell: on a terminal whose other side
//! closed, reads end in end-of-input or EIO, which it retries forever on
//! whichever thread polls it. So a thread of its own blocks in poll(2) for
//! nothing but POLLHUP/POLLERR on standard input and output, which costs
//! nothing while the terminal is there. It tells the event loop, which
//! saves and ends; if the loop does not end within a grace period (stuck in
//! that spinning read), the thread ends the process itself. The answers are
//! already on disk by then: the app saves each one before drawing the next
//! frame.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long the event loop has to end by itself after a hang-up.
const GRACE: Duration = Duration::from_secs(2);

/// Exit code after a hang-up, as after SIGINT or SIGTERM.
const EXIT_INTERRUPTED: i32 = 130;

/// Work the process must not be ended in the middle of (flushing a save,
/// writing the tree), counted while it runs.
static BUSY: AtomicUsize = AtomicUsize::new(0);

/// Marks the event loop as busy with work that must finish, until dropped.
pub struct Busy;

impl Busy {
    pub fn enter() -> Busy {
        BUSY.fetch_add(1, Ordering::SeqCst);
        Busy
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        BUSY.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Resolves when the terminal hangs up. An error (the thread could not
/// watch) is not a hang-up.
pub fn watch() -> tokio::sync::oneshot::Receiver<()> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    #[cfg(unix)]
    std::thread::spawn(move || {
        if !wait_for_hangup() {
            return;
        }
        let _ = tx.send(());
        let start = Instant::now();
        while start.elapsed() < GRACE || BUSY.load(Ordering::SeqCst) > 0 {
            std::thread::sleep(Duration::from_millis(50));
        }
        // Still here: the event loop is stuck reading the dead terminal.
        crate::output::abandon_stdout();
        crate::output::try_eprintln(
            "The terminal closed. Interrupted. Answers given so far are saved: `skillchain resume` continues.",
        );
        std::process::exit(EXIT_INTERRUPTED);
    });
    #[cfg(not(unix))]
    std::mem::forget(tx);
    rx
}

/// Blocks until standard input or output hangs up (true), or polling
/// fails for good (false).
#[cfg(unix)]
fn wait_for_hangup() -> bool {
    let mut fds = [libc::STDIN_FILENO, libc::STDOUT_FILENO].map(|fd| libc::pollfd {
        fd,
        events: 0,
        revents: 0,
    });
    loop {
        // SAFETY: poll(2) on the process's own standard input and output,
        // with an array that lives across the call and its true length.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, -1) };
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return false;
        }
        let hung = libc::POLLHUP | libc::POLLERR | libc::POLLNVAL;
        if fds.iter().any(|f| f.revents & hung != 0) {
            return true;
        }
    }
}
