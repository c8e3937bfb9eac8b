//! Nothing happens unasked: no key acts on a screen too small to be seen,
//! no burst of keys (a paste without bracketed paste, typed-ahead input)
//! takes a decision, and every message printed at exit is true.

#[path = "tui/harness.rs"]
mod harness;

use harness::Ui;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use skillchain::session::Screen;
use skillchain::tui::action::Action;
use skillchain::tui::keymap::{Chord, Context};
use skillchain::tui::Keymap;
use std::path::Path;

/// Project files under `out` (the session file is not a project file),
/// with their contents.
fn project_files(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    if !out.exists() {
        return v;
    }
    for e in walkdir::WalkDir::new(out).sort_by_file_name() {
        let e = e.expect("walk");
        let rel = e
            .path()
            .strip_prefix(out)
            .expect("under out")
            .to_string_lossy()
            .to_string();
        if e.file_type().is_file() && !rel.starts_with(".skillchain") {
            v.push((rel, std::fs::read(e.path()).expect("read")));
        }
    }
    v
}

/// The journey at each screen, on the mini pack.
fn at(screen: &str) -> Ui {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    let keys = match screen {
        "goal" => {
            let mut ui = Ui::with("", Some("mini"), "mini-out", Keymap::default());
            ui.type_text("kafka pipeline");
            return ui;
        }
        "chain" => "",
        "customize" => "x c",
        "question-list" => "enter",
        "question-text" => "x enter enter enter",
        "review" => "enter ctrl-d",
        "tree" => "enter ctrl-d w",
        "report" => "enter ctrl-d w w",
        other => panic!("no screen {other}"),
    };
    ui.keys(keys);
    ui
}

const SCREENS: &[&str] = &[
    "goal",
    "chain",
    "customize",
    "question-list",
    "question-text",
    "review",
    "tree",
    "report",
];

/// Every key bound on `ctx` (but quit), every printable ASCII character,
/// and the editing keys.
fn every_key(keymap: &Keymap, ctx: Context) -> Vec<KeyEvent> {
    let mut keys: Vec<KeyEvent> = Action::ALL
        .iter()
        .filter(|a| **a != Action::Quit)
        .flat_map(|a| keymap.keys(ctx, *a))
        .map(|c: Chord| KeyEvent::new(c.code, c.mods))
        .collect();
    keys.extend(
        (0x20u8..0x7f).map(|b| KeyEvent::new(KeyCode::Char(b as char), KeyModifiers::NONE)),
    );
    for code in [
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::Backspace,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Home,
        KeyCode::End,
    ] {
        keys.push(KeyEvent::new(code, KeyModifiers::NONE));
    }
    keys.retain(|k| keymap.action(ctx, k) != Some(Action::Quit));
    keys
}

#[test]
fn while_the_terminal_is_too_small_no_key_but_quit_acts_on_any_screen() {
    for screen in SCREENS {
        let mut ui = at(screen);
        let out = ui.out();
        let before_files = project_files(&out);
        let before = ui.screen();
        let ctx = ui.app.context();
        let keys = every_key(&ui.app.keymap, ctx);
        for (w, h) in [(59, 40), (120, 15)] {
            ui.size(w, h);
            ui.render();
            for key in &keys {
                let changed = ui.press(*key);
                assert!(
                    !changed,
                    "{screen} at {w}x{h}: {key:?} acted on a hidden screen"
                );
            }
            assert_eq!(ui.app.exit, None, "{screen}");
            assert!(!ui.app.asking_quit, "{screen}");
            assert_eq!(project_files(&out), before_files, "{screen} at {w}x{h}");
            ui.size(120, 40);
            assert_eq!(
                ui.screen(),
                before,
                "{screen} at {w}x{h}: the screen changed"
            );
        }
    }
}

#[test]
fn while_too_small_ctrl_c_asks_in_the_notice_itself_and_quits() {
    let mut ui = at("question-list");
    ui.size(50, 10);
    ui.keys("ctrl-c");
    assert!(ui.app.asking_quit);
    let s = ui.screen();
    assert!(s.contains("Quit now? No project files were"), "{s}");
    assert!(s.contains("y / Enter: quit"), "{s}");
    ui.keys("y");
    assert!(ui.app.exit.is_some());
}

/// A seeded generator (xorshift), so a failure names its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A burst: printable characters, Enter, Tab and Esc in any order.
fn random_burst(rng: &mut Rng) -> Vec<Event> {
    let len = 1 + rng.below(40);
    (0..len)
        .map(|_| {
            let code = match rng.below(10) {
                0 => KeyCode::Enter,
                1 => KeyCode::Tab,
                2 => KeyCode::Esc,
                _ => KeyCode::Char((0x20 + rng.below(0x5f)) as u8 as char),
            };
            Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
        })
        .collect()
}

#[test]
fn no_burst_of_keys_writes_a_file_on_any_screen() {
    // One journey per screen, many bursts in a row: each burst starts
    // where the last one left the app.
    for (n, screen) in SCREENS.iter().enumerate() {
        let seed = (n as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut rng = Rng(seed);
        let mut ui = at(screen);
        let out = ui.out();
        let before = project_files(&out);
        for round in 0..20 {
            let burst = random_burst(&mut rng);
            ui.burst_events(burst.clone());
            assert_eq!(
                project_files(&out),
                before,
                "{screen}, seed {seed}, round {round}: a burst wrote files: {burst:?}"
            );
            assert!(
                ui.app.exit.is_none(),
                "{screen}, seed {seed}, round {round}: a burst ended the app: {burst:?}"
            );
        }
    }
}

#[test]
fn every_printable_character_and_enter_in_a_burst_takes_no_decision() {
    let all: String = (0x20u8..0x7f).map(|b| b as char).collect();
    for screen in SCREENS {
        let mut ui = at(screen);
        let out = ui.out();
        let before = project_files(&out);
        let kind = ui.app.session().map(|s| s.screen);
        for text in [
            all.clone(),
            format!("{all}\n"),
            "w\n".repeat(5),
            "sw\nq".to_string(),
        ] {
            ui.burst_text(&text);
            assert_eq!(project_files(&out), before, "{screen}: {text:?}");
            assert!(ui.app.exit.is_none(), "{screen}: {text:?}");
            if matches!(kind, Some(Screen::Tree | Screen::Report)) {
                assert_eq!(
                    ui.app.session().map(|s| s.screen),
                    kind,
                    "{screen}: {text:?}"
                );
            }
        }
    }
}

#[test]
fn a_goal_pasted_without_bracketed_paste_lands_in_the_field_whole() {
    let mut ui = Ui::with("", None, "data-pipeline", Keymap::default());
    ui.burst_text("streaming pipeline\nfrom kafka to snowflake\nwith dbt tests\n");
    assert!(
        ui.app.journey().is_none(),
        "the paste did not leave the goal"
    );
    assert!(
        ui.screen()
            .contains("│streaming pipeline from kafka to snowflake with dbt tests"),
        "{}",
        ui.screen()
    );
    // A deliberate Enter then opens the chain.
    ui.keys("enter");
    assert_eq!(ui.session().screen, Screen::Chain);
    assert_eq!(
        ui.session().goal,
        "streaming pipeline from kafka to snowflake with dbt tests "
    );
    // Typed-ahead `s` and `w` on the fresh chain take no default and write nothing.
    ui.burst_text("sw");
    assert_eq!(ui.session().screen, Screen::Chain);
    assert!(project_files(&ui.out()).is_empty());
}

#[test]
fn write_needs_a_key_pressed_on_the_tree_after_it_was_on_view() {
    let mut ui = at("review");
    let out = ui.out();
    ui.keys("w");
    assert_eq!(ui.session().screen, Screen::Tree);
    // Typed ahead: the same instant the tree was drawn.
    ui.burst("w");
    assert_eq!(ui.session().screen, Screen::Tree);
    assert!(project_files(&out).is_empty());
    let s = ui.screen();
    assert!(
        s.contains("`w` (write) was ignored: it came with other keys or before this screen was"),
        "{s}"
    );
    // Not long enough on view yet.
    ui.wait(skillchain::tui::app::SETTLE.as_millis() as u64 - 1);
    ui.burst("w");
    assert!(project_files(&out).is_empty());
    ui.wait(1);
    ui.burst("w");
    assert_eq!(ui.session().screen, Screen::Report);
    assert!(!project_files(&out).is_empty());
}

#[test]
fn a_tree_never_drawn_takes_no_write() {
    let mut ui = at("review");
    // `w` opens the tree; the second `w` comes before any frame showed it.
    ui.press(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::NONE));
    ui.press(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::NONE));
    assert_eq!(ui.session().screen, Screen::Tree);
    assert!(project_files(&ui.out()).is_empty());
}

#[test]
fn a_bracketed_paste_is_text_only_on_every_screen() {
    for screen in SCREENS {
        let mut ui = at(screen);
        let out = ui.out();
        let before = project_files(&out);
        let kind = ui.app.session().map(|s| s.screen);
        ui.app
            .handle_event(Event::Paste("w\ns\nq\ny\n".to_string()));
        ui.render();
        assert_eq!(project_files(&out), before, "{screen}");
        assert_eq!(ui.app.session().map(|s| s.screen), kind, "{screen}");
        assert!(ui.app.exit.is_none(), "{screen}");
    }
}

/// What an exit message claims, checked against the disk.
fn check_exit_message(message: &str, out: &Path) {
    let files = project_files(out);
    let session = out.join(".skillchain/session.json").is_file();
    if message.contains("Nothing was written") {
        assert!(files.is_empty(), "{message}: but {} files", files.len());
    }
    if message.contains("Nothing was written") {
        assert!(!session, "{message}: but a session file is on disk");
    }
    if message.contains("the last session is saved") {
        assert!(session, "{message}: but no session file");
    }
    if message.contains("your answers are saved") {
        assert!(session, "{message}: but no session file");
        assert!(files.is_empty(), "{message}: but files exist");
        assert!(message.contains(&out.display().to_string()), "{message}");
    }
    if let Some(rest) = message.split("Wrote ").nth(1) {
        let new: usize = rest
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("a count");
        assert_eq!(new, files.len(), "{message}");
    } else {
        assert!(
            files.is_empty(),
            "{message}: says nothing of {} files",
            files.len()
        );
    }
}

#[test]
fn every_way_out_prints_what_really_happened() {
    // (where, keys that leave)
    let cases: &[(&str, &str)] = &[
        ("goal", "ctrl-c"),
        ("chain", "esc ctrl-c"),
        ("question-list", "enter esc esc ctrl-c"),
        ("chain", "q"),
        ("chain", "ctrl-c"),
        ("customize", "q y"),
        ("question-list", "q y"),
        ("question-text", "ctrl-c y"),
        ("review", "q enter"),
        ("tree", "q y"),
        ("report", "q"),
        ("report", "ctrl-c"),
        ("report", "esc q"),
        ("report", "esc ctrl-c"),
        ("report", "esc esc q"),
        ("report", "esc esc enter q"),
    ];
    for (screen, keys) in cases {
        let mut ui = at(screen);
        let out = ui.out();
        ui.keys(keys);
        let exit = ui
            .app
            .exit
            .clone()
            .unwrap_or_else(|| panic!("{screen} {keys}: still running\n{}", ui.screen()));
        check_exit_message(&exit.message, &out);
        let interrupted = ui.app.interrupted();
        check_exit_message(&interrupted.message, &out);
        assert!(
            interrupted.message.starts_with("Interrupted."),
            "{}",
            interrupted.message
        );
    }
}

#[test]
fn after_writing_quit_asks_nothing_and_says_what_was_written() {
    let mut ui = at("report");
    let out = ui.out();
    let n = project_files(&out).len();
    ui.keys("esc");
    assert_eq!(ui.session().screen, Screen::Tree);
    ui.keys("q");
    assert!(!ui.app.asking_quit, "nothing to confirm once written");
    let exit = ui.app.exit.clone().expect("quit at once");
    assert!(
        exit.message
            .starts_with(&format!("Quit. Wrote {n} new and 0 overwritten files to")),
        "{}",
        exit.message
    );
}
