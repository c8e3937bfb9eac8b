//! Standard output and standard error for the whole crate. The crate's
//! `print!`, `println!`, `eprint!` and `eprintln!` (defined here, declared
//! first in `lib.rs`, so they replace the standard ones everywhere in the
//! crate) never panic: a write that fails (a full disk, a closed pipe, a
//! terminal that went away) is recorded, later writes to that stream are
//! dropped, and [`finish`] turns the failure into a message and an exit
//! code when the command ends. The command's own work (files written, a
//! session saved) is never cut short by its output failing.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Exit code when standard output or standard error could not be written
/// (a full disk, an I/O error). A closed pipe (`| head`) is not counted:
/// the reader stopped on purpose.
pub const EXIT_OUTPUT_FAILED: u8 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Out,
    Err,
}

impl Stream {
    fn name(self) -> &'static str {
        match self {
            Stream::Out => "standard output",
            Stream::Err => "standard error",
        }
    }
}

/// The first write that failed on a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub stream: Stream,
    pub kind: io::ErrorKind,
    pub message: String,
}

impl Failure {
    /// A closed pipe: the reader had enough (`skillchain list | head -3`).
    pub fn is_closed_pipe(&self) -> bool {
        self.kind == io::ErrorKind::BrokenPipe
    }
}

static OUT_BROKEN: AtomicBool = AtomicBool::new(false);
static ERR_BROKEN: AtomicBool = AtomicBool::new(false);
static FAILURES: Mutex<Vec<Failure>> = Mutex::new(Vec::new());

fn broken(stream: Stream) -> &'static AtomicBool {
    match stream {
        Stream::Out => &OUT_BROKEN,
        Stream::Err => &ERR_BROKEN,
    }
}

/// Records that `stream` failed; later writes to it are dropped.
pub fn record(stream: Stream, error: &io::Error) {
    if broken(stream).swap(true, Ordering::SeqCst) {
        return;
    }
    if let Ok(mut all) = FAILURES.lock() {
        all.push(Failure {
            stream,
            kind: error.kind(),
            message: error.to_string(),
        });
    }
}

/// Writes formatted text (and a newline) to a stream; never panics.
pub fn write(stream: Stream, args: fmt::Arguments<'_>, newline: bool) {
    if broken(stream).load(Ordering::SeqCst) {
        return;
    }
    let result = match stream {
        Stream::Out => put(&mut io::stdout().lock(), args, newline),
        Stream::Err => put(&mut io::stderr().lock(), args, newline),
    };
    if let Err(e) = result {
        record(stream, &e);
    }
}

fn put(w: &mut impl Write, args: fmt::Arguments<'_>, newline: bool) -> io::Result<()> {
    w.write_fmt(args)?;
    if newline {
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// Gives up on standard output without counting it as a failure: the
/// terminal it was went away, and what is still buffered for it can never
/// be written.
pub fn abandon_stdout() {
    OUT_BROKEN.store(true, Ordering::SeqCst);
}

/// Writes a line to standard error if it can be written, and forgets it
/// otherwise: for a goodbye after the terminal went away, which is not a
/// failure of the command.
pub fn try_eprintln(text: &str) {
    if !ERR_BROKEN.load(Ordering::SeqCst) {
        let mut err = io::stderr().lock();
        let _ = writeln!(err, "{text}").and_then(|()| err.flush());
    }
}

/// Flushes standard output (a prompt without a newline), recording a failure.
pub fn flush() {
    if !OUT_BROKEN.load(Ordering::SeqCst) {
        if let Err(e) = io::stdout().flush() {
            record(Stream::Out, &e);
        }
    }
}

/// Whether standard output still works (nothing failed on it so far).
pub fn stdout_ok() -> bool {
    !OUT_BROKEN.load(Ordering::SeqCst)
}

/// The failures recorded so far, first first.
pub fn failures() -> Vec<Failure> {
    FAILURES.lock().map(|f| f.clone()).unwrap_or_default()
}

/// Ends the command: flushes both streams and returns the exit code. After
/// a failed write (other than a closed pipe) the code is
/// [`EXIT_OUTPUT_FAILED`] and standard error says what happened, when it
/// still works.
pub fn finish(code: u8) -> u8 {
    flush();
    if !ERR_BROKEN.load(Ordering::SeqCst) {
        if let Err(e) = io::stderr().flush() {
            record(Stream::Err, &e);
        }
    }
    let failed: Vec<Failure> = failures()
        .into_iter()
        .filter(|f| !f.is_closed_pipe())
        .collect();
    if failed.is_empty() {
        return code;
    }
    for f in &failed {
        if f.stream == Stream::Out {
            write(Stream::Err, format_args!("{}", describe(f)), true);
        }
    }
    if !ERR_BROKEN.load(Ordering::SeqCst) {
        let _ = io::stderr().flush();
    }
    EXIT_OUTPUT_FAILED
}

/// What the user reads on standard error after standard output failed.
pub fn describe(f: &Failure) -> String {
    format!(
        "skillchain: could not write to {}: {}; the output is incomplete, though the command itself ran to its end (exit code {EXIT_OUTPUT_FAILED}): send the output where it can be written",
        f.stream.name(),
        f.message
    )
}

/// `print!` that records a failed write instead of panicking.
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::output::write($crate::output::Stream::Out, format_args!($($arg)*), false)
    };
}

/// `println!` that records a failed write instead of panicking.
macro_rules! println {
    () => {
        $crate::output::write($crate::output::Stream::Out, format_args!(""), true)
    };
    ($($arg:tt)*) => {
        $crate::output::write($crate::output::Stream::Out, format_args!($($arg)*), true)
    };
}

/// `eprint!` that records a failed write instead of panicking.
macro_rules! eprint {
    ($($arg:tt)*) => {
        $crate::output::write($crate::output::Stream::Err, format_args!($($arg)*), false)
    };
}

/// `eprintln!` that records a failed write instead of panicking.
macro_rules! eprintln {
    () => {
        $crate::output::write($crate::output::Stream::Err, format_args!(""), true)
    };
    ($($arg:tt)*) => {
        $crate::output::write($crate::output::Stream::Err, format_args!($($arg)*), true)
    };
}
