//! The app and its terminal under faults: SIGINT from another shell, the
//! terminal window closed under it (SIGHUP), and a terminal that vanishes
//! without any SIGHUP reaching the app (its tty reads end in EIO). Each time
//! the app must end within seconds, never panic, keep the answers given so
//! far, and (when the terminal is still there) hand it back usable.
#![cfg(unix)]

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const PATIENCE: Duration = Duration::from_secs(30);
const ENTER: &str = "\r";

/// The app in a pseudo-terminal that this test can close, unlike one whose
/// reader thread holds the terminal open.
struct App {
    child: Box<dyn Child + Send + Sync>,
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    stderr: PathBuf,
}

impl App {
    /// Starts `skillchain ARGS` with standard error to a file (so a panic
    /// message survives the terminal), optionally with SIGHUP blocked so a
    /// closed terminal announces itself only through the tty.
    fn spawn(dir: &Path, args: &[&str], block_hangup: bool) -> App {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let stderr = dir.join("stderr.txt");
        // This test binary, re-run as `exec_the_app`, points standard error
        // at a file (so a panic message survives the terminal), blocks
        // SIGHUP when asked, and becomes the app with exec(2): same pid, so
        // the test waits for the app itself.
        let mut cmd = CommandBuilder::new(std::env::current_exe().expect("this test binary"));
        cmd.args(["--ignored", "--exact", "exec_the_app", "--nocapture"]);
        cmd.env(HELPER_STDERR, &stderr);
        cmd.env(HELPER_ARGS, args.join("\u{1f}"));
        if block_hangup {
            cmd.env(HELPER_BLOCK_HANGUP, "1");
        }
        cmd.cwd(dir);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        cmd.env("XDG_CONFIG_HOME", dir.join(".config"));
        cmd.env("XDG_DATA_HOME", dir.join(".data"));
        cmd.env("HOME", dir);
        let child = pair.slave.spawn_command(cmd).expect("skillchain starts");
        drop(pair.slave);
        let fd = pair.master.as_raw_fd().expect("the master's fd");
        let writer = pair.master.take_writer().expect("writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(30, 100, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, r, st) = (screen.clone(), raw.clone(), stop.clone());
        // Reads with a timeout, so closing the terminal never waits on a
        // blocked read holding it open.
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while !st.load(Ordering::SeqCst) {
                let mut pfd = libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: poll(2) and read(2) on the master fd, which stays
                // open until this thread has been joined.
                let ready = unsafe { libc::poll(&mut pfd, 1, 20) };
                if ready <= 0 || pfd.revents & libc::POLLIN == 0 {
                    if pfd.revents & (libc::POLLHUP | libc::POLLERR) != 0 {
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    continue;
                }
                let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
                if n <= 0 {
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                }
                let bytes = &buf[..n as usize];
                s.lock().expect("screen").process(bytes);
                r.lock().expect("raw").extend_from_slice(bytes);
            }
        });
        App {
            child,
            master: Some(pair.master),
            writer: Some(writer),
            screen,
            raw,
            stop,
            reader: Some(reader),
            stderr,
        }
    }

    fn screen(&self) -> String {
        self.screen.lock().expect("screen").screen().contents()
    }

    fn raw(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().expect("raw")).into_owned()
    }

    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while !self.screen().contains(text) {
            assert!(
                start.elapsed() < PATIENCE,
                "the screen never showed `{text}`; it shows:\n{}\nstderr:\n{}",
                self.screen(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&mut self, keys: &str) {
        let w = self.writer.as_mut().expect("terminal open");
        w.write_all(keys.as_bytes()).expect("keys");
        w.flush().expect("flush");
    }

    fn signal(&self, signal: i32) {
        let pid = self.child.process_id().expect("pid");
        // SAFETY: kill(2) on the child this test started.
        unsafe {
            libc::kill(pid as i32, signal);
        }
    }

    /// Closes every handle on the terminal's master side, as a terminal
    /// emulator does when its window is closed.
    fn close_terminal(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(r) = self.reader.take() {
            r.join().expect("reader ends");
        }
        self.writer = None;
        self.master = None;
    }

    /// The exit code, or a failure when the app is still running after
    /// `limit` (killed then, so the test never hangs).
    fn exit_within(&mut self, limit: Duration) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("status") {
                return status.exit_code();
            }
            if start.elapsed() > limit {
                let _ = self.child.kill();
                panic!(
                    "the app was still running {limit:?} later; stderr:\n{}",
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Starts a journey into `out` and answers the first question, so
    /// there is something to save.
    fn answer_one(&mut self) {
        self.wait_for("SKILL CHAIN DETECTED FOR");
        self.send(ENTER);
        self.wait_for("STEP 1/");
        self.send("shop_events");
        self.wait_for("shop_events");
        self.send(ENTER);
        self.wait_for("question 2/");
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        self.stop.store(true, Ordering::SeqCst);
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
    }
}

const GOAL: &str = "kafka pipeline to snowflake";

const HELPER_STDERR: &str = "APP_TERMINAL_STDERR";
const HELPER_ARGS: &str = "APP_TERMINAL_ARGS";
const HELPER_BLOCK_HANGUP: &str = "APP_TERMINAL_BLOCK_HANGUP";

/// Not a test: the tests above run this binary as `exec_the_app` to start
/// the app with standard error in a file and, for one of them, SIGHUP
/// blocked (a mask survives exec), so a closed terminal reaches the app
/// only through its tty.
#[test]
#[ignore = "run by the other tests of this file to start the app"]
fn exec_the_app() {
    let Ok(stderr) = std::env::var(HELPER_STDERR) else {
        return;
    };
    let args = std::env::var(HELPER_ARGS).unwrap_or_default();
    let file = std::fs::File::create(&stderr).expect("stderr file");
    // SAFETY: dup2(2) onto standard error, and sigprocmask(2) with a set
    // built by sigemptyset/sigaddset, just before exec.
    unsafe {
        use std::os::fd::AsRawFd;
        libc::dup2(file.as_raw_fd(), libc::STDERR_FILENO);
        if std::env::var_os(HELPER_BLOCK_HANGUP).is_some() {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGHUP);
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        }
    }
    // execv(2) itself: std's exec would clear the signal mask first.
    std::env::remove_var(HELPER_STDERR);
    let bin = std::ffi::CString::new(env!("CARGO_BIN_EXE_skillchain")).expect("path");
    let mut argv: Vec<std::ffi::CString> = vec![bin.clone()];
    argv.extend(
        args.split('\u{1f}')
            .map(|a| std::ffi::CString::new(a).expect("argument")),
    );
    let mut ptrs: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).collect();
    ptrs.push(std::ptr::null());
    // SAFETY: execv(2) with a NUL-terminated path and a NULL-terminated
    // array of NUL-terminated arguments that outlive the call.
    unsafe {
        libc::execv(bin.as_ptr(), ptrs.as_ptr());
    }
    let err = std::io::Error::last_os_error();
    panic!("exec failed: {err}");
}

/// The questions with an explicit answer in the journey's saved session.
fn saved_answers(dir: &Path) -> Vec<String> {
    let path = dir.join("out/.skillchain/session.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} was not saved: {e}", path.display()));
    let v: serde_json::Value = serde_json::from_str(&text).expect("a session file");
    v["answers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| format!("{}.{}", a["step"], a["question"]).replace('"', ""))
        .collect()
}

fn no_panic(app: &App) {
    let err = app.stderr();
    assert!(!err.contains("panicked"), "the app panicked:\n{err}");
}

#[test]
fn sigint_from_another_shell_saves_restores_the_terminal_and_exits_130() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = App::spawn(dir.path(), &[GOAL, "--out", "out"], false);
    app.answer_one();
    app.signal(libc::SIGINT);
    assert_eq!(app.exit_within(Duration::from_secs(10)), 130);
    no_panic(&app);
    let raw = app.raw();
    let left = raw
        .rfind("\x1b[?1049l")
        .expect("the alternate screen is left");
    assert!(
        raw[left..].contains("\x1b[?25h"),
        "the cursor is shown after leaving the alternate screen"
    );
    assert_eq!(
        saved_answers(dir.path()),
        ["architecting-data.project_name"],
        "the answer is saved"
    );
    // Raw mode is off again: the line discipline echoes and handles input.
    let text = app.screen();
    assert!(
        text.contains("Interrupted. No project files were written; your answers are saved"),
        "{text}"
    );
}

#[test]
fn closing_the_terminal_saves_and_ends_the_app_without_a_panic() {
    for round in 0..5 {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut app = App::spawn(dir.path(), &[GOAL, "--out", "out"], false);
        app.answer_one();
        app.close_terminal();
        assert_eq!(
            app.exit_within(Duration::from_secs(10)),
            130,
            "round {round}: stderr:\n{}",
            app.stderr()
        );
        no_panic(&app);
        assert!(
            app.stderr()
                .starts_with("The terminal closed. Interrupted."),
            "round {round}: {}",
            app.stderr()
        );
        assert_eq!(
            saved_answers(dir.path()),
            ["architecting-data.project_name"],
            "round {round}"
        );
    }
}

#[test]
fn a_terminal_gone_without_sighup_is_a_hang_up_not_a_spin() {
    for round in 0..3 {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut app = App::spawn(dir.path(), &[GOAL, "--out", "out"], true);
        app.answer_one();
        app.close_terminal();
        assert_eq!(
            app.exit_within(Duration::from_secs(10)),
            130,
            "round {round}"
        );
        no_panic(&app);
        assert!(
            app.stderr()
                .starts_with("The terminal closed. Interrupted."),
            "round {round}: {}",
            app.stderr()
        );
        assert_eq!(
            saved_answers(dir.path()),
            ["architecting-data.project_name"],
            "round {round}"
        );
    }
}
