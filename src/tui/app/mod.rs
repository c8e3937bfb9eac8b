//! The app's state and its one entry for input: keys and mouse become
//! [`Action`]s (through the keymap) and actions become session commands.
//! Nothing here draws; `ui` draws whatever state this leaves.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;
use std::path::PathBuf;
use std::sync::Arc;

use super::action::Action;
use super::keymap::{Context, Keymap};
use super::screens::resume::ResumeScreen;
use super::screens::{customize, packs, report, review, tree};
use super::screens::{goal::GoalScreen, question::QuestionUi, report::ReportUi, tree::TreeUi};
use super::theme::Theme;
use crate::detect::Detection;
use crate::pack::{Maturity, Registry};
use crate::session::{Command, Screen, Session};
use crate::store::Autosave;

mod guard;
mod sessions;
mod text;
pub use guard::{Guard, Layer, View, SETTLE};
pub use sessions::resume_command;
pub use text::GOAL_MAX_BYTES;

/// What the command line gave the app.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub goal: Option<String>,
    pub out: Option<PathBuf>,
    pub pack: Option<String>,
    pub maturity: Option<Maturity>,
    /// `--no-prefs`: saved preferences are not used this time.
    pub no_prefs: bool,
    /// Keep the session on disk after every change (and offer a saved one
    /// at start). Off for benchmarks and tests that want no files.
    pub autosave: bool,
    /// `skillchain resume`: the session file to open.
    pub resume: Option<PathBuf>,
}

/// How the app ended: the exit code and a line for the terminal after the
/// full screen is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exit {
    pub code: u8,
    pub message: String,
}

pub enum Phase {
    Goal(Box<GoalScreen>),
    Resume(Box<ResumeScreen>),
    Journey(Box<Journey>),
}

/// A goal that detected a pack: the session and each screen's view state.
pub struct Journey {
    pub session: Session,
    pub det: Detection,
    pub out: PathBuf,
    pub chain_scroll: u16,
    pub customize: ListCursor,
    pub question: QuestionUi,
    pub review: ListCursor,
    pub tree: Option<TreeUi>,
    pub report: Option<ReportUi>,
    /// A one-line note for the footer (what the last action did).
    pub notice: Option<String>,
    /// Saves the session after every change; None when not kept.
    pub saver: Option<Autosave>,
    /// A failed save was reported (once).
    pub save_warned: bool,
    /// The pack picker, when open on the chain screen.
    pub packs: Option<ListCursor>,
    /// What the last write put on disk, kept after leaving the report, so
    /// every exit message says what really happened.
    pub written: Option<Written>,
}

/// A write that happened: how many files, and the line that says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub files: usize,
    pub line: String,
}

/// A cursor over a list whose rows the screen computes, with the scroll
/// offset ratatui's list keeps.
#[derive(Debug, Default, Clone)]
pub struct ListCursor {
    pub index: usize,
    pub offset: usize,
}

impl ListCursor {
    pub fn apply(&mut self, action: Action, len: usize, page: usize) -> bool {
        if len == 0 {
            return false;
        }
        let last = len - 1;
        let before = self.index;
        self.index = match action {
            Action::Up => self.index.saturating_sub(1),
            Action::Down => (self.index + 1).min(last),
            Action::PageUp => self.index.saturating_sub(page.max(1)),
            Action::PageDown => (self.index + page.max(1)).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return false,
        };
        self.index = self.index.min(last);
        self.index != before
    }
}

/// Where the last frame drew the screen's main list, so a click can pick a
/// row and the wheel can scroll it.
#[derive(Debug, Default, Clone)]
pub struct MouseTargets {
    /// The list's area and the item under each of its rows.
    pub list: Option<(Rect, Vec<usize>)>,
    pub preview: Option<Rect>,
}

pub struct App {
    /// None while the packs are still loading (the first frame does not
    /// wait for them).
    registry: Option<Arc<Registry>>,
    opts: Options,
    pub theme: Theme,
    pub keymap: Keymap,
    pub phase: Phase,
    /// Help on the goal screen (the session keeps its own overlays).
    pub goal_help: bool,
    /// "Quit?" is on screen.
    pub asking_quit: bool,
    pub exit: Option<Exit>,
    pub mouse: MouseTargets,
    /// Rows the main list showed last frame (page size for PgUp/PgDn).
    pub page: usize,
    /// Writing was asked for: the loop draws "Writing…" first, then runs it.
    pub write_requested: bool,
    /// First line of the help overlay shown (it scrolls when it is taller
    /// than the screen).
    pub help_scroll: usize,
    /// A problem found while starting (an unreadable saved session), shown
    /// once the first screen is up.
    startup_note: Option<String>,
    /// Input timing against what was drawn: which keys a person meant.
    pub guard: Guard,
    /// The journey left for the goal screen (Esc on the chain): the same
    /// goal brings it back whole; another goal of the same pack starts
    /// with its answers as defaults. Going back never loses an answer.
    pub(super) parked: Option<Box<Journey>>,
    /// Flushes saves to the disk behind the frames; started at the first
    /// save, and dropping it waits for the last flush.
    flusher: Option<crate::store::SessionFlusher>,
}

impl App {
    /// How many packs are installed (0 while they load).
    pub fn pack_count(&self) -> usize {
        self.registry.as_ref().map_or(0, |r| r.packs.len())
    }

    pub fn new(registry: Arc<Registry>, opts: Options, theme: Theme, keymap: Keymap) -> App {
        let mut app = App::starting(opts, theme, keymap);
        app.loaded(Ok(registry));
        app
    }

    /// The app before its packs are loaded: the goal screen, drawn at once.
    pub fn starting(opts: Options, theme: Theme, keymap: Keymap) -> App {
        let goal = opts.goal.clone().unwrap_or_default();
        App {
            phase: Phase::Goal(Box::new(GoalScreen::new(&goal))),
            registry: None,
            opts,
            theme,
            keymap,
            goal_help: false,
            asking_quit: false,
            exit: None,
            mouse: MouseTargets::default(),
            page: 10,
            write_requested: false,
            help_scroll: 0,
            startup_note: None,
            guard: Guard::default(),
            parked: None,
            flusher: None,
        }
    }

    /// The packs arrived (or failed to): detect the goal typed so far, and
    /// open the chain of a goal given on the command line.
    pub fn loaded(&mut self, registry: Result<Arc<Registry>, String>) {
        let registry = match registry {
            Ok(r) => r,
            Err(e) => {
                self.exit = Some(Exit {
                    code: 2,
                    message: e,
                });
                return;
            }
        };
        if let Some(id) = self.opts.pack.as_deref() {
            if registry.get(id).is_none() {
                self.exit = Some(Exit {
                    code: 2,
                    message: format!(
                        "error: --pack: pack `{id}` is not installed; `skillchain list` shows the packs"
                    ),
                });
                return;
            }
        }
        self.registry = Some(registry);
        if self.offer_saved_session() {
            return;
        }
        let only = self.opts.pack.clone();
        let mut typed = String::new();
        if let (Phase::Goal(g), Some(r)) = (&mut self.phase, &self.registry) {
            g.loading = false;
            g.detect(r, only.as_deref());
            typed = g.text();
        }
        if !typed.trim().is_empty() && self.opts.goal.as_deref() == Some(typed.as_str()) {
            self.start_journey();
        }
        // A saved session that could not be read is said wherever we are.
        if let Some(note) = self.startup_note.take() {
            match &mut self.phase {
                Phase::Goal(g) => g.error = Some(note),
                Phase::Journey(j) => j.notice = Some(format!("⚠ {note}")),
                Phase::Resume(_) => {}
            }
        }
    }

    /// The goal screen for `goal`, detected against the packs once loaded.
    fn goal_screen(&self, goal: &str) -> GoalScreen {
        let mut g = GoalScreen::new(goal);
        if let Some(r) = &self.registry {
            g.loading = false;
            g.detect(r, self.opts.pack.as_deref());
        }
        g
    }

    pub fn journey(&self) -> Option<&Journey> {
        match &self.phase {
            Phase::Journey(j) => Some(j),
            _ => None,
        }
    }

    pub fn session(&self) -> Option<&Session> {
        self.journey().map(|j| &j.session)
    }

    /// The key context of what is on screen.
    pub fn context(&self) -> Context {
        match &self.phase {
            Phase::Goal(_) => Context::Goal,
            Phase::Resume(_) => Context::Resume,
            Phase::Journey(j) => match j.session.screen {
                Screen::Chain => Context::Chain,
                Screen::Customize => Context::Customize,
                Screen::Question { .. } => {
                    if j.question.is_text(&j.session) {
                        Context::QuestionText
                    } else {
                        Context::QuestionList
                    }
                }
                Screen::Review => Context::Review,
                Screen::Tree => Context::Tree,
                Screen::Report => Context::Report,
            },
        }
    }

    /// What is on view now: the screen, what covers it, and whether the
    /// terminal is too small to show it.
    pub fn view(&self) -> View {
        let layer = if self.asking_quit {
            Layer::QuitPrompt
        } else {
            match &self.phase {
                Phase::Resume(r) if r.confirm_discard => Layer::DiscardPrompt,
                Phase::Journey(j) if j.session.pending.is_some() => Layer::RestartPrompt,
                Phase::Journey(j) if j.session.overlay.is_some() => Layer::Overlay,
                Phase::Journey(j) if j.report.as_ref().is_some_and(|r| r.remember.is_some()) => {
                    Layer::Remember
                }
                _ if self.goal_help => Layer::Overlay,
                _ => Layer::Screen,
            }
        };
        View {
            context: self.context(),
            layer,
            too_small: self.guard.too_small(),
        }
    }

    /// Handles one terminal event that arrived alone; true when the screen
    /// must be redrawn.
    pub fn handle_event(&mut self, event: Event) -> bool {
        self.handle_input(event, false)
    }

    /// Handles events that arrived together (read from the terminal at
    /// once): when they hold more than one key, every key is typed-ahead
    /// input or a paste, so none of them takes a decision.
    pub fn handle_batch(&mut self, events: Vec<Event>) -> bool {
        let keys = events.iter().filter(|e| matches!(e, Event::Key(_))).count();
        let mut changed = false;
        for e in events {
            changed |= self.handle_input(e, keys > 1);
        }
        if keys > 1 && changed {
            // Detection clears the goal's note; a cap note stays said.
            let note = match &self.phase {
                Phase::Goal(g) => g.error.clone(),
                _ => None,
            };
            self.detect_goal();
            if let (Phase::Goal(g), Some(n)) = (&mut self.phase, note) {
                g.error = Some(n);
            }
        }
        changed
    }

    fn handle_input(&mut self, event: Event, burst: bool) -> bool {
        let changed = match event {
            Event::Key(k) if k.kind != KeyEventKind::Release => {
                self.guard.key_arrived(burst);
                self.on_key(k)
            }
            Event::Mouse(m) if !self.guard.too_small() => self.on_mouse(m),
            Event::Resize(w, h) => {
                self.guard.resized(w, h);
                match &mut self.phase {
                    Phase::Goal(g) => text::realign(&mut g.input),
                    Phase::Journey(j) => text::realign(&mut j.question.input),
                    Phase::Resume(_) => {}
                }
                true
            }
            Event::Paste(text) if !self.guard.too_small() => self.on_paste(&text),
            _ => false,
        };
        if changed {
            self.save();
        }
        changed
    }

    pub fn on_key(&mut self, key: KeyEvent) -> bool {
        let view = self.view();
        let deliberate = self.guard.deliberate(view);
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        let yes = matches!(
            key.code,
            KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter
        );
        if self.asking_quit {
            if !deliberate {
                // A prompt is answered by a key pressed after reading it.
                return false;
            }
            if yes || ctrl_c {
                self.exit = Some(self.quit_exit());
            } else {
                self.asking_quit = false;
            }
            return true;
        }
        if view.too_small {
            // Nothing can be read: only quitting acts.
            let quit = ctrl_c || self.keymap.action(view.context, &key) == Some(Action::Quit);
            return quit && self.quit();
        }
        if let Phase::Resume(r) = &mut self.phase {
            if r.confirm_discard {
                if !deliberate {
                    return false;
                }
                return if yes {
                    self.resume_action(Action::Confirm)
                } else {
                    r.confirm_discard = false;
                    true
                };
            }
        }
        if let Phase::Journey(j) = &mut self.phase {
            if j.session.pending.is_some() {
                if !deliberate {
                    return false;
                }
                let cmd = if yes {
                    Command::ConfirmYes
                } else {
                    Command::ConfirmNo
                };
                let _ = j.session.apply(cmd);
                j.question.sync(&j.session);
                return true;
            }
            if j.session.overlay.is_some() && !ctrl_c {
                if j.session.overlay == Some(crate::session::Overlay::Help)
                    && scroll_help(&mut self.help_scroll, key.code)
                {
                    return true;
                }
                self.help_scroll = 0;
                let _ = j.session.apply(Command::CloseOverlay);
                return true;
            }
        }
        if self.goal_help && !ctrl_c {
            if !scroll_help(&mut self.help_scroll, key.code) {
                self.goal_help = false;
                self.help_scroll = 0;
            }
            return true;
        }
        let ctx = self.context();
        let burst = self.guard.in_burst();
        match self.keymap.action(ctx, &key) {
            // Enter inside a paste or typed-ahead input is a line break of
            // the text, never a confirmation.
            Some(Action::Confirm) if burst => self.burst_enter(),
            Some(Action::Quit) if burst && !ctrl_c => false,
            Some(a)
                if !deliberate
                    && (guard::irreversible(a, ctx)
                        || (a == Action::Confirm && view.layer == Layer::Remember)) =>
            {
                let key = self.keymap.key_label(ctx, a).unwrap_or_default();
                self.say(guard::refused(a, &key));
                true
            }
            Some(a) => self.act(a),
            None => self.type_key(key),
        }
    }

    /// A one-line note on the current screen.
    fn say(&mut self, note: String) {
        match &mut self.phase {
            Phase::Goal(g) => g.error = Some(note),
            Phase::Journey(j) => j.notice = Some(note),
            Phase::Resume(_) => {}
        }
    }

    fn on_mouse(&mut self, m: MouseEvent) -> bool {
        let inside = |r: Rect| {
            m.column >= r.x && m.column < r.x + r.width && m.row >= r.y && m.row < r.y + r.height
        };
        match m.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let down = m.kind == MouseEventKind::ScrollDown;
                if self.mouse.preview.is_some_and(inside) {
                    return self.act(if down {
                        Action::PreviewDown
                    } else {
                        Action::PreviewUp
                    });
                }
                self.act(if down { Action::Down } else { Action::Up })
            }
            MouseEventKind::Down(MouseButton::Left) => {
                let Some((area, items)) = &self.mouse.list else {
                    return false;
                };
                if !inside(*area) {
                    return false;
                }
                let Some(row) = items.get((m.row - area.y) as usize).copied() else {
                    return false;
                };
                self.select_row(row)
            }
            _ => false,
        }
    }

    /// Moves the cursor of the screen's main list to `row` (a click).
    fn select_row(&mut self, row: usize) -> bool {
        let Phase::Journey(j) = &mut self.phase else {
            return false;
        };
        match j.session.screen {
            Screen::Customize => {
                j.customize.index = row.min(j.session.pack().skills.len().saturating_sub(1))
            }
            Screen::Question { .. } => j.question.click(row, &j.session),
            Screen::Review => review::click(j, row),
            Screen::Tree => {
                if let Some(t) = &mut j.tree {
                    t.click(row);
                }
            }
            Screen::Report => {
                if let Some(r) = &mut j.report {
                    r.cursor.index = row.min(r.report.results.len().saturating_sub(1));
                }
            }
            Screen::Chain => return false,
        }
        true
    }

    /// Runs an action on the current screen; true when something changed.
    pub fn act(&mut self, action: Action) -> bool {
        match action {
            Action::Quit => return self.quit(),
            Action::Help => {
                match &mut self.phase {
                    Phase::Goal(_) | Phase::Resume(_) => self.goal_help = true,
                    Phase::Journey(j) => {
                        let _ = j.session.apply(Command::Help);
                    }
                }
                return true;
            }
            _ => {}
        }
        let page = self.page;
        if matches!(self.phase, Phase::Resume(_)) {
            return self.resume_action(action);
        }
        match &mut self.phase {
            Phase::Resume(_) => false,
            Phase::Goal(g) => match action {
                Action::Confirm => {
                    if g.detection.as_ref().is_some_and(|d| d.is_ok()) {
                        self.start_journey();
                    } else {
                        g.error = Some(if g.loading {
                            "the packs are still loading: press Enter again in a moment".to_string()
                        } else if g.input.lines().join(" ").trim().is_empty() {
                            "describe what you want to build first".to_string()
                        } else {
                            "no pack matches yet: add words like the examples below".to_string()
                        });
                    }
                    true
                }
                _ => false,
            },
            Phase::Journey(j) => {
                j.notice = None;
                let was = j.session.screen;
                let changed = match j.session.screen {
                    Screen::Chain => {
                        if j.packs.is_some() || action == Action::Packs {
                            return match packs::handle(j, action, page) {
                                packs::Outcome::Switch(id) => self.switch_pack(&id),
                                packs::Outcome::Changed(c) => c,
                            };
                        }
                        if action == Action::Back {
                            let goal = j.session.goal.clone();
                            let screen = Phase::Goal(Box::new(self.goal_screen(&goal)));
                            let left = std::mem::replace(&mut self.phase, screen);
                            if let Phase::Journey(j) = left {
                                self.parked = Some(j);
                            }
                            return true;
                        }
                        chain_action(j, action)
                    }
                    Screen::Customize => customize::handle(j, action, page),
                    Screen::Question { .. } => j.question.handle(&mut j.session, action, page),
                    Screen::Review => review::handle(j, action, page),
                    Screen::Tree => {
                        let (changed, write) = tree::handle(j, action, page);
                        if write {
                            self.write_requested = true;
                        }
                        changed
                    }
                    Screen::Report => match report::handle(j, action, page) {
                        report::Outcome::Changed(c) => c,
                        report::Outcome::Exit(code) => {
                            self.exit = Some(finished_exit(j, code));
                            true
                        }
                    },
                };
                // Entering the tree builds its plan; entering a question
                // loads its value into the widgets.
                if j.session.screen == Screen::Tree && j.tree.is_none() {
                    tree::enter(j);
                }
                if j.session.screen == Screen::Review && was != Screen::Review {
                    review::enter(j);
                }
                if j.session.screen != Screen::Tree && j.session.screen != Screen::Report {
                    j.tree = None;
                }
                j.question.sync(&j.session);
                changed
            }
        }
    }

    /// Restarts the journey on pack `id` (picked on the chain screen), with
    /// the same goal; the pack scores stay those of the whole registry.
    fn switch_pack(&mut self, id: &str) -> bool {
        let (Phase::Journey(j), Some(r)) = (&self.phase, &self.registry) else {
            return false;
        };
        let Some(pack) = r.get(id) else {
            return false;
        };
        let goal = j.session.goal.clone();
        let inner = crate::detect::detect_in_pack(pack, pack.detect_index(), &goal);
        let det = Detection {
            packs: j.det.packs.clone(),
            inner,
        };
        let mut g = GoalScreen::new(&goal);
        g.loading = false;
        g.detection = Some(Ok(det));
        self.phase = Phase::Goal(Box::new(g));
        self.start_journey();
        true
    }

    /// Writes the tree (after the loop has drawn "Writing…").
    pub fn run_requested_write(&mut self) {
        if !std::mem::take(&mut self.write_requested) {
            return;
        }
        if let Phase::Journey(j) = &mut self.phase {
            tree::write(j);
        }
    }

    fn quit(&mut self) -> bool {
        // Only answers that would be lost are worth a question; once the
        // tree is written there is nothing to confirm.
        let at_risk = match &self.phase {
            Phase::Goal(_) | Phase::Resume(_) => false,
            Phase::Journey(j) => {
                !matches!(j.session.screen, Screen::Chain | Screen::Report) && j.written.is_none()
            }
        };
        if at_risk {
            self.asking_quit = true;
        } else {
            self.exit = Some(self.quit_exit());
        }
        true
    }

    /// What quitting now leaves behind, in one sentence (the quit prompt
    /// and the exit message say the same).
    pub fn quit_consequence(&self) -> String {
        match &self.phase {
            Phase::Journey(j) => {
                if let Some(w) = &j.written {
                    return w.line.clone();
                }
                match &j.saver {
                    Some(s) if s.written() => format!(
                        "No project files were written; your answers are saved: `{}` continues.",
                        resume_command(s.meta().out.as_deref())
                    ),
                    _ => {
                        "Nothing was written; the answers of this session are not kept.".to_string()
                    }
                }
            }
            Phase::Resume(_) => "The saved session is kept.".to_string(),
            Phase::Goal(_) => {
                // Back on the goal after a chain: that session stays saved.
                let saved = self.opts.autosave
                    && crate::store::journey_session_path(self.opts.out.as_deref())
                        .is_some_and(|p| p.is_file());
                if saved {
                    format!(
                        "No project files were written; the last session is saved: `{}` continues.",
                        resume_command(self.opts.out.as_deref())
                    )
                } else {
                    "Nothing was written.".to_string()
                }
            }
        }
    }

    /// The terminal closed or a signal asked the app to stop: exit 130 with
    /// what became of the session.
    pub fn interrupted(&self) -> Exit {
        Exit {
            code: 130,
            message: {
                let m = self.quit_exit().message;
                match m.strip_prefix("Quit.") {
                    Some(rest) => format!("Interrupted.{rest}"),
                    None => format!("Interrupted. {m}"),
                }
            },
        }
    }

    fn quit_exit(&self) -> Exit {
        match &self.phase {
            Phase::Journey(j) if j.report.is_some() => {
                let code = j.report.as_ref().map_or(0, |r| u8::from(!r.report.pass));
                finished_exit(j, code)
            }
            _ => Exit {
                code: 0,
                message: format!("Quit. {}", self.quit_consequence()),
            },
        }
    }
}

/// Arrow keys scroll the help overlay; true when the key was one.
fn scroll_help(scroll: &mut usize, code: KeyCode) -> bool {
    match code {
        KeyCode::Down | KeyCode::PageDown => *scroll += 1,
        KeyCode::Up | KeyCode::PageUp => *scroll = scroll.saturating_sub(1),
        _ => return false,
    }
    true
}

fn chain_action(j: &mut Journey, action: Action) -> bool {
    let cmd = match action {
        Action::Confirm => Command::Confirm,
        Action::SkipAll => Command::SkipAll,
        Action::Customize => Command::Customize,
        Action::UseBlueprint => Command::UseBlueprint(true),
        Action::DropBlueprint => Command::UseBlueprint(false),
        Action::Down | Action::PageDown => {
            j.chain_scroll = j.chain_scroll.saturating_add(1);
            return true;
        }
        Action::Up | Action::PageUp => {
            j.chain_scroll = j.chain_scroll.saturating_sub(1);
            return true;
        }
        _ => return false,
    };
    let _ = j.session.apply(cmd);
    true
}

/// The exit after the report: what was written and the verdict.
fn finished_exit(j: &Journey, code: u8) -> Exit {
    let asked: String = report::asked_lines(&j.session)
        .iter()
        .map(|l| format!(" {}", l.trim_start_matches("⚠ ")))
        .collect();
    let message = match &j.report {
        Some(r) => format!(
            "{} Report: {} {}% ({} of {} deliverables fulfilled, maturity {}).{asked}",
            r.written_line,
            r.report.verdict(),
            r.report.completeness,
            r.report.fulfilled,
            r.report.required,
            r.report.maturity.as_str()
        ),
        None => format!(
            "Quit. {}",
            j.written
                .as_ref()
                .map_or("Nothing was written.", |w| w.line.as_str())
        ),
    };
    Exit { code, message }
}
