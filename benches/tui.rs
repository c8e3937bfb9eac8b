//! Terminal app benchmarks against the budgets of DESIGN §6:
//! keystroke to finished frame at 200×60 on the question, tree and goal
//! screens, an answer with its session saved,
//! start to first frame of the real binary, and what an idle app costs.
//!
//! A frame is "finished" when it is drawn as the app draws it
//! (`tui::paint`: rendered, diffed with the last frame) and crossterm has
//! encoded every escape sequence (into a sink instead of a terminal), so
//! the figure includes everything but the terminal's own drawing.
//!
//! `cargo bench --bench tui [FILTER]`; without `--bench` every case runs once.

#[path = "support/harness.rs"]
mod harness;

use harness::{bench, bench_timed, Case, Measurement, Mode};

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use skillchain::pack::Registry;
use skillchain::tui::paint::Painter;
use skillchain::tui::{ui, App, Keymap, Options, Theme};

const CASES: &[Case] = &[
    ("keystroke to frame, question screen 200×60", case_question),
    ("keystroke to frame, tree screen 200×60", case_tree),
    ("keystroke to frame, goal with live detection", case_goal),
    ("keystroke to frame, 2 KB goal (the cap)", case_goal_at_cap),
    ("answer to frame, session saved", case_answer_saved),
    ("start to first frame (real binary, pty)", case_first_frame),
    (
        "baseline: start /bin/echo in the same pty",
        case_echo_baseline,
    ),
    ("start to detected chain, goal given", case_first_chain),
    ("idle for 2 s: CPU time used", case_idle),
];

fn main() {
    harness::run("tui", CASES);
}

/// A 200×60 terminal drawn the way the app draws (`tui::paint`).
struct Term {
    terminal: Terminal<CrosstermBackend<std::io::Sink>>,
    painter: Painter,
}

impl Term {
    fn draw(&mut self, app: &mut App) {
        self.painter
            .draw(&mut self.terminal, |f| ui::draw(f, app))
            .expect("draw");
    }
}

fn terminal() -> Term {
    Term {
        terminal: Terminal::with_options(
            CrosstermBackend::new(std::io::sink()),
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, 200, 60)),
            },
        )
        .expect("terminal"),
        painter: Painter::new(),
    }
}

fn app(goal: &str) -> App {
    let registry = Registry::bundled().expect("bundled packs");
    let dir = std::env::temp_dir().join("skillchain-bench-out");
    App::new(
        Arc::new(registry),
        Options {
            goal: (!goal.is_empty()).then(|| goal.to_string()),
            out: Some(dir),
            no_prefs: true,
            ..Options::default()
        },
        Theme::dark(),
        Keymap::default(),
    )
}

fn press(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    app.handle_event(Event::Key(KeyEvent::new(code, mods)));
}

/// Alternates Down and Up (so every key changes the screen) and draws.
fn keystroke_case(mode: Mode, name: &str, mut app: App, mut term: Term) -> Measurement {
    let mut down = true;
    term.draw(&mut app);
    bench(mode, name, Duration::from_millis(1), 2000, || {
        press(
            &mut app,
            if down { KeyCode::Down } else { KeyCode::Up },
            KeyModifiers::NONE,
        );
        down = !down;
        term.draw(&mut app);
    })
}

const GOAL: &str = "streaming pipeline from kafka to snowflake with dbt tests";

fn case_question(mode: Mode) -> Measurement {
    let mut app = app(GOAL);
    // The multi-choice of physical-design techniques: long options and help.
    press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    for _ in 0..4 {
        press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    }
    press(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    keystroke_case(
        mode,
        "keystroke to frame, question screen 200×60",
        app,
        terminal(),
    )
}

fn case_tree(mode: Mode) -> Measurement {
    let mut app = app(GOAL);
    press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    press(&mut app, KeyCode::Char('d'), KeyModifiers::CONTROL);
    press(&mut app, KeyCode::Char('w'), KeyModifiers::NONE);
    // Rest on a big file so the preview has work to do.
    for _ in 0..2 {
        press(&mut app, KeyCode::Down, KeyModifiers::NONE);
    }
    keystroke_case(
        mode,
        "keystroke to frame, tree screen 200×60",
        app,
        terminal(),
    )
}

/// An answer changes the session, so it is saved (spare file, atomic
/// exchange) before the next frame, and handed to the flusher thread
/// (fsync) after it: a kill at any moment loses nothing, and the frame
/// does not wait for the disk. The figure runs from the key to the app
/// ready for the next key: answer, save, frame and the hand-off (which
/// removes the previous save), all the loop's thread does for an answer.
/// Answers come as a person gives them, after the last flush ended: one
/// given during a flush can wait for the disk where both touch the same
/// inode block.
fn case_answer_saved(mode: Mode) -> Measurement {
    let dir = std::env::temp_dir().join("skillchain-bench-saved");
    let _ = std::fs::remove_dir_all(&dir);
    let registry = Registry::bundled().expect("bundled packs");
    let mut app = App::new(
        Arc::new(registry),
        Options {
            goal: Some(GOAL.to_string()),
            out: Some(dir.clone()),
            no_prefs: true,
            autosave: true,
            ..Options::default()
        },
        Theme::dark(),
        Keymap::default(),
    );
    let mut term = terminal();
    press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    let mut forward = true;
    let m = bench_timed(
        mode,
        "answer to frame, session saved",
        Duration::from_millis(1),
        300,
        || {
            // Answer (Enter) then go back (Esc): both change what is saved.
            let key = if forward {
                KeyCode::Enter
            } else {
                KeyCode::Esc
            };
            forward = !forward;
            let start = Instant::now();
            app.handle_event(Event::Key(KeyEvent::new(key, KeyModifiers::NONE)));
            term.draw(&mut app);
            app.flush_saves();
            let took = start.elapsed();
            // A person answers further apart than a flush takes (1–30 ms):
            // the next answer does not meet this one's fsync.
            app.wait_for_flushes();
            took
        },
    );
    let _ = std::fs::remove_dir_all(&dir);
    m
}

fn case_goal(mode: Mode) -> Measurement {
    let mut app = app("");
    let mut term = terminal();
    let text: Vec<char> = GOAL.chars().collect();
    let mut i = 0;
    bench(
        mode,
        "keystroke to frame, goal with live detection",
        Duration::from_millis(1),
        2000,
        || {
            // Type the goal, then erase it, over and over: every key
            // re-detects against all bundled packs.
            let n = text.len();
            if i % (2 * n) < n {
                press(&mut app, KeyCode::Char(text[i % n]), KeyModifiers::NONE);
            } else {
                press(&mut app, KeyCode::Backspace, KeyModifiers::NONE);
            }
            i += 1;
            term.draw(&mut app);
        },
    )
}

/// A goal at its 2 KB cap: a character typed and erased at its end, each
/// re-detected and drawn.
fn case_goal_at_cap(mode: Mode) -> Measurement {
    let mut goal = String::new();
    while goal.len() + GOAL.len() + 1 < skillchain::tui::app::GOAL_MAX_BYTES {
        goal.push_str(GOAL);
        goal.push(' ');
    }
    let mut app = app(&goal);
    // Back to the goal screen with the long goal in the field.
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    let mut term = terminal();
    let mut i = 0;
    bench(
        mode,
        "keystroke to frame, 2 KB goal (the cap)",
        Duration::from_millis(1),
        2000,
        || {
            if i % 2 == 0 {
                press(&mut app, KeyCode::Char('x'), KeyModifiers::NONE);
            } else {
                press(&mut app, KeyCode::Backspace, KeyModifiers::NONE);
            }
            i += 1;
            term.draw(&mut app);
        },
    )
}

/// The app in a pseudo-terminal; a channel receives its output.
struct Spawned {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    output: mpsc::Receiver<Vec<u8>>,
    bytes: Arc<AtomicUsize>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

fn spawn() -> Spawned {
    spawn_program(env!("CARGO_BIN_EXE_skillchain"), &[])
}

/// With a goal on the command line the packs load behind the first frame
/// and the chain follows: issue 13 asks for it drawn by 15 ms.
fn case_first_chain(mode: Mode) -> Measurement {
    bench_timed(
        mode,
        "start to detected chain, goal given",
        Duration::from_millis(15),
        30,
        || {
            time_to_text(
                env!("CARGO_BIN_EXE_skillchain"),
                &[GOAL],
                "SKILL CHAIN DETECTED",
            )
        },
    )
}

fn spawn_program(program: &str, args: &[&str]) -> Spawned {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 60,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let dir = std::env::temp_dir();
    let mut cmd = CommandBuilder::new(program);
    cmd.args(args);
    cmd.cwd(&dir);
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_CONFIG_HOME", dir.join("skillchain-bench-config"));
    cmd.env("XDG_DATA_HOME", dir.join("skillchain-bench-data"));
    let child = pair.slave.spawn_command(cmd).expect("spawn");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let (tx, rx) = mpsc::channel();
    let bytes = Arc::new(AtomicUsize::new(0));
    let counted = bytes.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
            counted.fetch_add(n, Ordering::SeqCst);
        }
    });
    Spawned {
        child,
        output: rx,
        bytes,
        _master: pair.master,
    }
}

/// Waits until the output so far contains `text`.
fn wait_for(s: &Spawned, text: &str) {
    let mut seen = Vec::new();
    let needle = text.as_bytes();
    while !seen.windows(needle.len()).any(|w| w == needle) {
        match s.output.recv_timeout(Duration::from_secs(10)) {
            Ok(chunk) => seen.extend(chunk),
            Err(_) => panic!("the app never drew `{text}`"),
        }
    }
}

/// From starting `program` in a pty to `text` in its output; the process is
/// ended afterwards, outside the time.
fn time_to_text(program: &str, args: &[&str], text: &str) -> Duration {
    let start = Instant::now();
    let mut s = spawn_program(program, args);
    wait_for(&s, text);
    let took = start.elapsed();
    let _ = s.child.kill();
    let _ = s.child.wait();
    took
}

fn case_first_frame(mode: Mode) -> Measurement {
    bench_timed(
        mode,
        "start to first frame (real binary, pty)",
        Duration::from_millis(10),
        30,
        // The goal screen's title is in the first frame.
        || time_to_text(env!("CARGO_BIN_EXE_skillchain"), &[], "build?"),
    )
}

/// What starting any program in a pseudo-terminal costs here, so the
/// figure above can be read net of it.
fn case_echo_baseline(mode: Mode) -> Measurement {
    bench_timed(
        mode,
        "baseline: start /bin/echo in the same pty",
        Duration::from_millis(30),
        30,
        || time_to_text("/bin/echo", &["build?"], "build?"),
    )
}

/// CPU time (user + system) of a process so far, from /proc.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after ')'.
    let rest = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<u64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse().ok())
        .collect();
    let ticks: u64 = fields.iter().sum();
    let per_second = 100; // USER_HZ on Linux
    Duration::from_millis(ticks * 1000 / per_second)
}

fn case_idle(mode: Mode) -> Measurement {
    let idle = match mode {
        Mode::Measure => Duration::from_secs(2),
        Mode::Smoke => Duration::from_millis(200),
    };
    let mut s = spawn();
    wait_for(&s, "build?");
    // Let the first frame settle, then measure a quiet stretch.
    std::thread::sleep(Duration::from_millis(300));
    let pid = s.child.process_id().unwrap_or(0);
    let (cpu_before, bytes_before) = (cpu_time(pid), s.bytes.load(Ordering::SeqCst));
    std::thread::sleep(idle);
    let (cpu_after, bytes_after) = (cpu_time(pid), s.bytes.load(Ordering::SeqCst));
    let _ = s.child.kill();
    let _ = s.child.wait();
    let used = cpu_after.saturating_sub(cpu_before);
    println!(
        "  (idle {:?}: {} ms of CPU, {} bytes written to the terminal)",
        idle,
        used.as_millis(),
        bytes_after - bytes_before
    );
    // One scheduler tick (10 ms) is the smallest CPU time /proc can show.
    bench_timed(
        mode,
        "idle for 2 s: CPU time used",
        Duration::from_millis(10),
        1,
        || used,
    )
}
