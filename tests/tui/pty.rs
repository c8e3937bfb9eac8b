//! Runs the real binary in a pseudo-terminal and reads its screen through a
//! terminal emulator (vt100), the way a person sees it.
#![allow(dead_code)]

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Everything the app printed, for messages after it left the screen.
    raw: Arc<Mutex<Vec<u8>>>,
    /// Set when the app's side of the terminal closed and all output is read.
    drained: Arc<std::sync::atomic::AtomicBool>,
}

/// How long to wait for a screen before failing: generous, because it is a
/// deadline for "never", not a measure of speed.
const PATIENCE: Duration = Duration::from_secs(30);

/// Longer than the app's settle time for deciding keys (200 ms).
const SETTLED: Duration = Duration::from_millis(300);

impl Pty {
    pub fn spawn(args: &[&str], cwd: &Path, cols: u16, rows: u16) -> Pty {
        Pty::spawn_env(args, cwd, cols, rows, &[])
    }

    /// [`Pty::spawn`] with environment changes (a value, or None to unset).
    pub fn spawn_env(
        args: &[&str],
        cwd: &Path,
        cols: u16,
        rows: u16,
        env: &[(&str, Option<&str>)],
    ) -> Pty {
        let system = native_pty_system();
        let pair = system
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_skillchain"));
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        // Keymap and themes from a fresh config dir, not the machine's.
        cmd.env("XDG_CONFIG_HOME", cwd.join(".config"));
        cmd.env("XDG_DATA_HOME", cwd.join(".data"));
        cmd.env("HOME", cwd);
        // A terminal that says it shows 24-bit colour.
        cmd.env("COLORTERM", "truecolor");
        for (k, v) in env {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            }
        }
        let child = pair.slave.spawn_command(cmd).expect("skillchain starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        let drained = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let d = drained.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut parser) = p.lock() {
                    parser.process(&buf[..n]);
                }
                if let Ok(mut raw) = r.lock() {
                    raw.extend_from_slice(&buf[..n]);
                }
            }
            d.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        Pty {
            child,
            master: pair.master,
            writer,
            parser,
            raw,
            drained,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    /// Where the terminal's cursor is (row, column) and whether it shows.
    pub fn cursor(&self) -> ((u16, u16), bool) {
        let p = self.parser.lock().expect("parser");
        let s = p.screen();
        (s.cursor_position(), !s.hide_cursor())
    }

    /// Waits until the terminal's cursor is at (row, column).
    pub fn wait_cursor(&self, at: (u16, u16)) {
        let start = Instant::now();
        while self.cursor().0 != at {
            if start.elapsed() > PATIENCE {
                panic!(
                    "the cursor never came to {at:?}; it is at {:?} on:\n{}",
                    self.cursor().0,
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the screen shows `text`; fails with the screen if it
    /// never does.
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            if start.elapsed() > PATIENCE {
                panic!("the screen never showed `{text}`; it shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the screen shows every one of `texts` at once.
    pub fn wait_for_all(&self, texts: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if texts.iter().all(|t| s.contains(t)) {
                return s;
            }
            if start.elapsed() > PATIENCE {
                let missing: Vec<&&str> = texts.iter().filter(|t| !s.contains(**t)).collect();
                panic!("the screen never showed {missing:?}; it shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends raw bytes (keys as a terminal encodes them) at a person's
    /// pace: the next key comes a moment later, so the app reads each on its
    /// own (keys read together are a paste or typed-ahead input to it).
    pub fn send(&mut self, bytes: &str) {
        self.send_burst(bytes);
        std::thread::sleep(Duration::from_millis(40));
    }

    /// Sends raw bytes in one write, as a paste or typed-ahead input.
    pub fn send_burst(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
    }

    /// Types text and waits until it shows (so the next key is not read as
    /// part of an escape sequence).
    pub fn type_text(&mut self, text: &str) {
        self.send(text);
        self.wait_for(text);
    }

    /// Sends a key that decides something (write, done, yes to a prompt…)
    /// the way a person does: after the screen has been on view for a
    /// moment. The app ignores such keys when they come sooner, as typed-
    /// ahead input would, so this waits past that moment first.
    pub fn deliberate(&mut self, key: &str) {
        std::thread::sleep(SETTLED);
        self.send(key);
    }

    /// [`Pty::deliberate`], then waits for the screen it should lead to.
    pub fn deliberate_key(&mut self, key: &str, then: &str) -> String {
        self.deliberate(key);
        self.wait_for(then)
    }

    /// Sends a key and waits for the screen it should lead to.
    pub fn key(&mut self, key: &str, then: &str) -> String {
        self.send(key);
        self.wait_for(then)
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize");
        if let Ok(mut p) = self.parser.lock() {
            p.set_size(rows, cols);
        }
    }

    /// Waits for the app to end; its exit code and what it printed last.
    pub fn wait_exit(&mut self) -> (u32, String) {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                // Everything it printed before leaving is read first.
                while !self.drained.load(std::sync::atomic::Ordering::SeqCst)
                    && start.elapsed() < PATIENCE
                {
                    std::thread::sleep(Duration::from_millis(10));
                }
                return (status.exit_code(), self.screen());
            }
            if start.elapsed() > PATIENCE {
                let _ = self.child.kill();
                panic!("the app did not end; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn signal(&mut self, signal: i32) {
        if let Some(pid) = self.child.process_id() {
            // SAFETY: kill(2) on a child this test started.
            unsafe {
                libc::kill(pid as i32, signal);
            }
        }
    }

    /// SIGKILL: no chance to clean up, as when a terminal dies hard.
    pub fn kill_hard(&mut self) {
        if let Some(pid) = self.child.process_id() {
            // SAFETY: kill(2) on a child this test started.
            unsafe {
                libc::kill(pid as i32, libc::SIGKILL);
            }
        }
        let _ = self.child.wait();
    }

    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().expect("raw")).into_owned()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// The mini fixture pack's folder.
pub fn mini() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/packs/mini").to_string()
}

pub mod keys {
    pub const ENTER: &str = "\r";
    pub const ESC: &str = "\x1b";
    pub const TAB: &str = "\t";
    pub const UP: &str = "\x1b[A";
    pub const DOWN: &str = "\x1b[B";
    pub const CTRL_C: &str = "\x03";
    pub const CTRL_D: &str = "\x04";
    pub const CTRL_R: &str = "\x12";
    pub const CTRL_S: &str = "\x13";
    pub const CTRL_T: &str = "\x14";
    pub const CTRL_A: &str = "\x01";
    pub const CTRL_U: &str = "\x15";
    pub const HOME: &str = "\x1b[H";
    pub const LEFT: &str = "\x1b[D";
    pub const F1: &str = "\x1bOP";
}
