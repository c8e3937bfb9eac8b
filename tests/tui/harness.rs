//! Drives the app the way a terminal would: key and mouse events in, the
//! drawn screen (ratatui's TestBackend) out.
#![allow(dead_code)]

use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::text::Line;
use ratatui::Terminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use skillchain::pack::Registry;
use skillchain::session::{QKey, Screen, Session};
use skillchain::tui::keymap::Chord;
use skillchain::tui::{ui, App, Keymap, Options, Theme};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Ui {
    pub app: App,
    pub dir: tempfile::TempDir,
    pub width: u16,
    pub height: u16,
    /// The app's clock: each key a person presses comes a second after the
    /// last (time enough to read the screen); bursts come at one instant.
    pub clock: std::time::Instant,
}

/// Temp folders with a fixed-length name, so paths on screen have the same
/// width on every machine and snapshots can mask them.
pub fn short_tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("sc")
        .rand_bytes(6)
        .tempdir_in("/tmp")
        .expect("temp dir")
}

impl Ui {
    /// The app on the mini fixture pack, writing into a fresh temp folder.
    pub fn mini(goal: &str) -> Ui {
        Ui::with(goal, Some("mini"), "mini-out", Keymap::default())
    }

    /// The app on the bundled packs.
    pub fn bundled(goal: &str) -> Ui {
        Ui::with(goal, None, "data-pipeline", Keymap::default())
    }

    pub fn with(goal: &str, pack: Option<&str>, out: &str, keymap: Keymap) -> Ui {
        let registry =
            Registry::load(&[repo().join("tests/fixtures/packs/mini")]).expect("packs load");
        let dir = short_tempdir();
        let opts = Options {
            goal: (!goal.is_empty()).then(|| goal.to_string()),
            out: Some(dir.path().join(out)),
            pack: pack.map(str::to_string),
            no_prefs: true,
            autosave: true,
            ..Options::default()
        };
        let clock = std::time::Instant::now();
        let mut app = App::new(Arc::new(registry), opts, Theme::monochrome(), keymap);
        app.guard.freeze(clock);
        let mut ui = Ui {
            app,
            dir,
            width: 120,
            height: 40,
            clock,
        };
        // The real app draws its first frame before reading a key.
        ui.render();
        ui
    }

    /// A second run of the app on the same folders (as after closing the
    /// terminal and starting again).
    pub fn restart_app(&mut self, goal: &str, pack: Option<&str>, out: &str, resume: bool) {
        let registry =
            Registry::load(&[repo().join("tests/fixtures/packs/mini")]).expect("packs load");
        let out = self.dir.path().join(out);
        let opts = Options {
            goal: (!goal.is_empty()).then(|| goal.to_string()),
            resume: resume.then(|| skillchain::store::session_path(&out)),
            out: Some(out),
            pack: pack.map(str::to_string),
            no_prefs: true,
            autosave: true,
            ..Options::default()
        };
        self.app = App::new(
            Arc::new(registry),
            opts,
            Theme::monochrome(),
            Keymap::default(),
        );
        self.app.guard.freeze(self.clock);
        self.render();
    }

    pub fn out(&self) -> PathBuf {
        match self.app.journey() {
            Some(j) => j.out.clone(),
            None => self.dir.path().to_path_buf(),
        }
    }

    pub fn size(&mut self, width: u16, height: u16) -> &mut Self {
        self.width = width;
        self.height = height;
        self
    }

    /// Presses keys written as the keymap writes them, space-separated:
    /// `"down down enter ctrl-s esc"`. Returns whether the last one changed
    /// anything (would redraw).
    pub fn keys(&mut self, spec: &str) -> bool {
        let mut changed = false;
        for k in spec.split_whitespace() {
            let chord: Chord = k.parse().unwrap_or_else(|e| panic!("{e}"));
            changed = self.press(KeyEvent::new(chord.code, chord.mods));
            // The real loop draws between events; drawing settles list
            // offsets and the tree's write.
            self.render();
        }
        changed
    }

    /// Lets `ms` milliseconds pass on the app's clock.
    pub fn wait(&mut self, ms: u64) {
        self.clock += std::time::Duration::from_millis(ms);
        self.app.guard.freeze(self.clock);
    }

    /// One key, pressed on its own a second after the last one.
    pub fn press(&mut self, key: KeyEvent) -> bool {
        self.wait(1000);
        let changed = self.app.handle_event(Event::Key(key));
        if self.app.write_requested {
            self.render();
            self.app.run_requested_write();
        }
        changed
    }

    /// Keys (written as for [`Ui::keys`]) that reach the app in one read of
    /// the terminal, at one instant: a paste without bracketed paste or
    /// input typed ahead. The frame is drawn after the whole batch.
    pub fn burst(&mut self, spec: &str) -> bool {
        let events = spec
            .split_whitespace()
            .map(|k| {
                let chord: Chord = k.parse().unwrap_or_else(|e| panic!("{e}"));
                Event::Key(KeyEvent::new(chord.code, chord.mods))
            })
            .collect();
        self.burst_events(events)
    }

    /// Text that reaches the app as plain keystrokes in one read (a paste
    /// without bracketed paste); `\n` arrives as Enter.
    pub fn burst_text(&mut self, text: &str) -> bool {
        let events = text
            .chars()
            .map(|c| {
                let code = match c {
                    '\n' | '\r' => ratatui::crossterm::event::KeyCode::Enter,
                    '\t' => ratatui::crossterm::event::KeyCode::Tab,
                    c => ratatui::crossterm::event::KeyCode::Char(c),
                };
                Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
            })
            .collect();
        self.burst_events(events)
    }

    pub fn burst_events(&mut self, events: Vec<Event>) -> bool {
        let changed = self.app.handle_batch(events);
        if self.app.write_requested {
            self.render();
            self.app.run_requested_write();
        }
        self.render();
        changed
    }

    /// Types text character by character, as a person would.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyEvent::new(
                ratatui::crossterm::event::KeyCode::Char(c),
                KeyModifiers::NONE,
            ));
        }
        self.render();
    }

    pub fn click(&mut self, column: u16, row: u16) -> bool {
        self.app.handle_event(Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }))
    }

    pub fn wheel(&mut self, down: bool, column: u16, row: u16) -> bool {
        self.app.handle_event(Event::Mouse(MouseEvent {
            kind: if down {
                MouseEventKind::ScrollDown
            } else {
                MouseEventKind::ScrollUp
            },
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }))
    }

    fn render_terminal(&mut self) -> Terminal<TestBackend> {
        let mut t =
            Terminal::new(TestBackend::new(self.width, self.height)).expect("test terminal");
        t.draw(|f| ui::draw(f, &mut self.app)).expect("draws");
        t
    }

    pub fn render(&mut self) {
        self.render_terminal();
    }

    /// The screen as text, one line per row, trailing spaces cut; the temp
    /// folder's name is masked.
    pub fn screen(&mut self) -> String {
        let t = self.render_terminal();
        let buf = t.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut line = String::new();
            let mut x = 0;
            while x < buf.area.width {
                let sym = buf[(x, y)].symbol();
                line.push_str(sym);
                x += Line::from(sym).width().max(1) as u16;
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        mask(&out, self.dir.path())
    }

    /// Clicks the first row whose text contains `text`.
    pub fn click_on(&mut self, text: &str) -> bool {
        let s = self.screen();
        let (row, line) = s
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(text))
            .unwrap_or_else(|| panic!("`{text}` is not on screen:\n{s}"));
        let col = Line::from(&line[..line.find(text).unwrap_or(0)]).width() as u16;
        let changed = self.click(col, row as u16);
        self.render();
        changed
    }

    pub fn session(&self) -> &Session {
        self.app.session().expect("a journey is under way")
    }

    pub fn screen_kind(&self) -> Screen {
        self.session().screen
    }

    /// (value as shown, provenance source) of an answer.
    pub fn value(&self, step: &str, q: &str) -> (String, String) {
        let key = QKey::new(step, q);
        let r = self
            .session()
            .resolved()
            .iter()
            .find(|r| r.key == key)
            .unwrap_or_else(|| panic!("{key} is not a question of this chain"));
        (
            r.value.as_ref().map(|v| v.to_string()).unwrap_or_default(),
            r.provenance
                .as_ref()
                .map(|p| p.source.as_str().to_string())
                .unwrap_or_default(),
        )
    }

    pub fn current(&self) -> Option<String> {
        self.session().current().map(|(_, _, r)| r.key.to_string())
    }
}

pub fn mask(text: &str, dir: &Path) -> String {
    text.replace(&dir.display().to_string(), "/tmp/scXXXXXX")
}
