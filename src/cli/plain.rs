//! `skillchain [GOAL] --plain`: the whole journey as line-by-line prompts, for
//! screen readers, dumb terminals and piped input. Every decision goes
//! through the engine's session state machine, exactly as in the full-screen
//! app; this module only prints screens and turns lines into commands.

use clap::Args;
use std::collections::BTreeSet;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::Arc;

use super::detect::print_chain_screen;
use super::run::{print_plan, print_written};
use super::saving::{finish, offer_to_remember, resume_command, Saver};
use super::Style;
use crate::detect::{self, Detection};
use crate::error::EngineError;
use crate::generate::{self, build_plan, Plan};
use crate::pack::{Maturity, QuestionKind, Registry};
use crate::session::{
    Command, Overlay, Pending, QKey, Screen, Session, SessionMeta, StepState, TYPED_COMMANDS,
};
use crate::store::{self, Autosave};
use crate::validate::{self, Report, Status};

#[derive(Debug, Args, Default)]
pub struct PlainArgs {
    /// The goal, e.g. "streaming pipeline from kafka to snowflake with dbt tests".
    pub goal: Option<String>,
    /// Line-by-line prompts instead of the full-screen app.
    #[arg(long)]
    pub plain: bool,
    /// Output folder (default: ./<pack output root>, e.g. ./data-pipeline).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Use this pack instead of the one detection picks.
    #[arg(long, value_name = "ID")]
    pub pack: Option<String>,
    /// starter, intermediate or advanced.
    #[arg(long, value_name = "M")]
    pub maturity: Option<Maturity>,
    /// Replace a session saved in the output folder without asking (piped
    /// input is never asked: without this flag the saved session is kept
    /// and this run does not save its progress).
    #[arg(long)]
    pub replace_session: bool,
}

/// Exit code when the input ends (or Ctrl-C / Ctrl-D at a prompt) before
/// the journey finished: end of input is not consent, and not success.
pub const EXIT_INPUT_ENDED: u8 = 3;

/// Lines in, text out. On a terminal, lines are edited with the usual
/// readline keys and history (rustyline); piped input is read line by line
/// as it comes. `None` means the input ended: nothing more is written.
pub(super) struct Prompt {
    input: Input,
}

enum Input {
    Piped(std::io::StdinLock<'static>),
    Terminal(Box<rustyline::DefaultEditor>),
}

impl Prompt {
    pub(super) fn stdin() -> Prompt {
        use std::io::IsTerminal;
        if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
            if let Ok(editor) = rustyline::DefaultEditor::new() {
                return Prompt {
                    input: Input::Terminal(Box::new(editor)),
                };
            }
        }
        Prompt {
            input: Input::Piped(std::io::stdin().lock()),
        }
    }

    /// True when a person types the answers (questions they did not expect
    /// may be asked); false for piped input.
    pub(super) fn is_terminal(&self) -> bool {
        matches!(self.input, Input::Terminal(_))
    }

    pub(super) fn ask(&mut self, prompt: &str) -> Option<String> {
        let prompt = fit_prompt(prompt);
        match &mut self.input {
            Input::Piped(input) => {
                print!("{prompt}");
                let _ = std::io::stdout().flush();
                read_line(input)
            }
            Input::Terminal(editor) => match editor.readline(&prompt) {
                Ok(line) => {
                    if !line.trim().is_empty() {
                        let _ = editor.add_history_entry(line.as_str());
                    }
                    Some(line)
                }
                Err(_) => {
                    println!();
                    None
                }
            },
        }
    }

    /// Like [`Prompt::ask`], without echoing what is typed when input is a
    /// terminal (secrets, kept out of the history); piped input is read as
    /// it is.
    pub(super) fn ask_hidden(&mut self, prompt: &str) -> Option<String> {
        match &mut self.input {
            Input::Piped(_) => self.ask(prompt),
            Input::Terminal(_) => {
                print!("{}", fit_prompt(prompt));
                let _ = std::io::stdout().flush();
                let _quiet = NoEcho::start();
                read_line(&mut std::io::stdin().lock())
            }
        }
    }

    pub(super) fn yes(&mut self, prompt: &str, default: bool) -> Option<bool> {
        loop {
            let a = self.ask(prompt)?;
            match a.trim().to_ascii_lowercase().as_str() {
                "" => return Some(default),
                "y" | "yes" => return Some(true),
                "n" | "no" => return Some(false),
                _ => println!("Answer y or n."),
            }
        }
    }
}

fn read_line(input: &mut impl BufRead) -> Option<String> {
    let mut line = String::new();
    let limit = crate::limits::MULTILINE_ANSWER;
    match crate::textfile::read_line(input, &mut line, limit) {
        Ok(0) => {
            println!();
            None
        }
        Err(e) => {
            println!();
            eprintln!("{e}");
            None
        }
        Ok(_) => Some(line.trim_end_matches(['\n', '\r']).to_string()),
    }
}

/// The terminal's width when output goes to one; piped output is not
/// wrapped (scripts and screen readers get whole lines).
fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    ratatui::crossterm::terminal::size()
        .ok()
        .map(|(w, _)| usize::from(w).max(20))
}

/// `text` broken at word boundaries to the terminal's width; unchanged when
/// output is piped.
pub(super) fn fit(text: &str) -> String {
    fit_to(text, terminal_width())
}

/// `text` broken at word boundaries into lines of at most `width` columns
/// (continuations indented two more); unchanged without a width.
fn fit_to(text: &str, width: Option<usize>) -> String {
    match width {
        Some(w) => text
            .split('\n')
            .map(|l| {
                let indent: String = l.chars().take_while(|c| *c == ' ').collect();
                crate::tui::ui::wrap(l, w.saturating_sub(1), &format!("{indent}  ")).join("\n")
            })
            .collect::<Vec<_>>()
            .join("\n"),
        None => text.to_string(),
    }
}

/// A prompt wrapped like [`fit`]: every line but the last is printed, the
/// last one is where the answer is typed.
fn fit_prompt(prompt: &str) -> String {
    let fitted = fit(prompt);
    match fitted.rsplit_once('\n') {
        Some((head, last)) => {
            println!("{head}");
            last.to_string()
        }
        None => fitted,
    }
}

/// Prints `text` wrapped at word boundaries on a terminal.
pub(super) fn say(text: &str) {
    println!("{}", fit(text));
}

/// Terminal echo off while alive (on a terminal); restored on drop.
struct NoEcho(libc::termios);

impl NoEcho {
    fn start() -> Option<NoEcho> {
        use std::io::IsTerminal;
        if !std::io::stdin().is_terminal() {
            return None;
        }
        // SAFETY: tcgetattr/tcsetattr on stdin with a zeroed, then filled,
        // termios; the saved settings are put back on drop.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(0, &mut t) != 0 {
                return None;
            }
            let saved = t;
            t.c_lflag &= !libc::ECHO;
            t.c_lflag |= libc::ECHONL;
            if libc::tcsetattr(0, libc::TCSANOW, &t) != 0 {
                return None;
            }
            Some(NoEcho(saved))
        }
    }
}

impl Drop for NoEcho {
    fn drop(&mut self) {
        // SAFETY: restores the settings read in `start`.
        unsafe {
            libc::tcsetattr(0, libc::TCSANOW, &self.0);
        }
    }
}

/// How the journey ended.
pub(super) enum End {
    Code(u8),
    /// The person typed quit.
    Quit,
    /// The input ended at a prompt: not consent; exit [`EXIT_INPUT_ENDED`].
    InputEnded,
}

pub fn run(
    registry: &Registry,
    args: PlainArgs,
    no_prefs: bool,
    st: Style,
) -> Result<u8, EngineError> {
    let mut p = Prompt::stdin();
    let (det, mut session) = match start(registry, &args, &mut p, st)? {
        Ok(found) => found,
        Err(end) => return Ok(finish(end, &Saver::new(None))),
    };
    let (prefs, warnings) = super::prefs::for_pack(no_prefs, session.pack());
    for w in warnings {
        println!("{}", st.yellow(&format!("⚠ {w}")));
    }
    if !prefs.is_empty() {
        session.set_preferences(prefs);
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(&session.pack().manifest.output_root));
    // With no output folder chosen yet, the session lives in the data dir.
    let mut path = store::journey_session_path(args.out.as_deref());
    if let Some(saved_at) = path.clone() {
        match store::load_session(&saved_at) {
            Ok(Some(old)) => {
                say(&st.yellow(&format!(
                    "A session saved {} is in {} (goal \"{}\").",
                    store::describe_age(store::now_secs().saturating_sub(old.updated)),
                    saved_at.display(),
                    old.goal
                )));
                let resume = resume_command(args.out.as_deref());
                if args.replace_session {
                    say("It is replaced by this new session (--replace-session).");
                } else if p.is_terminal() {
                    match p.yes("Replace it with this new session? [y/N] ", false) {
                        Some(true) => {}
                        Some(false) => {
                            say(&format!("Kept it; `{resume}` continues it."));
                            return Ok(0);
                        }
                        None => return Ok(finish(End::InputEnded, &Saver::new(None))),
                    }
                } else {
                    // Piped input answers only the questions of the journey:
                    // a line meant for a question must never answer this.
                    say(&format!(
                        "Input is piped, so nobody is asked: the saved session is kept and this run does not save its progress (`{resume}` continues the saved one; --replace-session replaces it)."
                    ));
                    path = None;
                }
            }
            Ok(None) => {}
            Err(e) => say(&st.yellow(&format!("⚠ {e}"))),
        }
    }
    let meta = SessionMeta {
        id: store::new_session_id(),
        created: store::now_secs(),
        out: args
            .out
            .as_ref()
            .map(|o| std::path::absolute(o).unwrap_or_else(|_| o.clone())),
    };
    let mut saver = Saver::new(path.map(|p| Autosave::new(p, meta).with_baseline(&session)));
    // Like the app when it opens a journey: the folder is made whole first.
    say_recovery(&out, st);
    let end = journey(det, session, out, &mut p, st, &mut saver)?;
    Ok(finish(end, &saver))
}

/// Asks for a goal until one detects a pack.
fn start(
    registry: &Registry,
    args: &PlainArgs,
    p: &mut Prompt,
    st: Style,
) -> Result<Result<(Detection, Session), End>, EngineError> {
    let mut goal = args.goal.clone();
    loop {
        let g = match goal.take() {
            Some(g) if !g.trim().is_empty() => g,
            _ => match p.ask("Describe what you want to build (empty to quit): ") {
                Some(g) if !g.trim().is_empty() => g,
                Some(_) => return Ok(Err(End::Quit)),
                None => return Ok(Err(End::InputEnded)),
            },
        };
        if let Err(e) = crate::limits::check_goal(&g) {
            println!("{}", st.yellow(&e));
            continue;
        }
        match detect::detect_with(registry, &g, args.pack.as_deref()) {
            Ok(det) => {
                let Some(pack) = registry.get(&det.inner.pack).cloned() else {
                    return Err(EngineError::Other("detected pack is not loaded".into()));
                };
                let session = Session::new(
                    Arc::new(pack),
                    det.inner.clone(),
                    det.inner.offer.clone(),
                    args.maturity.unwrap_or_default(),
                );
                return Ok(Ok((det, session)));
            }
            Err(no) => println!("{}", st.yellow(no.to_string().trim_end())),
        }
    }
}

pub(super) fn journey(
    det: Detection,
    mut s: Session,
    out: PathBuf,
    p: &mut Prompt,
    st: Style,
    saver: &mut Saver,
) -> Result<End, EngineError> {
    let mut shown_chain = false;
    // The question printed last: shown again (after a refused answer, an
    // overlay), it is asked again without repeating its help and options.
    let mut last_shown: Option<QKey> = None;
    loop {
        // Saved before the next prompt: whatever the person sees has been kept.
        saver.save(&s, st);
        if let Some(Pending::Restart) = s.pending {
            let Some(yes) = p.yes(
                "Restart: clear every answer and go back to the chain? [y/N] ",
                false,
            ) else {
                return Ok(End::InputEnded);
            };
            let _ = s.apply(if yes {
                Command::ConfirmYes
            } else {
                Command::ConfirmNo
            });
            shown_chain = false;
            continue;
        }
        match s.overlay {
            Some(Overlay::Status) => print_status(&s, st),
            Some(Overlay::Help) => print_help(&s, st),
            None => {}
        }
        if s.overlay.is_some() {
            let _ = s.apply(Command::CloseOverlay);
        }
        let line = match s.screen {
            Screen::Chain => {
                if !shown_chain {
                    println!();
                    print_chain_screen(&det, &s, st);
                    shown_chain = true;
                }
                let offer = s.detection.offer.is_some();
                let hint = match (offer, s.blueprint.is_some()) {
                    (true, true) => ", custom (drop the blueprint)",
                    (true, false) => ", blueprint (use it)",
                    _ => "",
                };
                println!("\nconfirm (Enter), skip (all defaults), customize{hint}, help, quit");
                let Some(line) = p.ask("> ") else {
                    return Ok(End::InputEnded);
                };
                let cmd = match line.trim().to_ascii_lowercase().as_str() {
                    "" | "confirm" | "c" | "y" | "yes" => Command::Confirm,
                    "skip" | "skip all" => Command::SkipAll,
                    "customize" | "customise" => Command::Customize,
                    "blueprint" | "use blueprint" => Command::UseBlueprint(true),
                    "custom" => Command::UseBlueprint(false),
                    "help" => Command::Help,
                    "quit" | "q" => return Ok(End::Quit),
                    other => {
                        println!(
                            "{}",
                            st.red(&format!(
                                "✗ `{other}`: type confirm, skip, customize, help or quit"
                            ))
                        );
                        continue;
                    }
                };
                if matches!(cmd, Command::UseBlueprint(_) | Command::Customize) {
                    shown_chain = false;
                }
                Some(cmd)
            }
            Screen::Customize => match customize(&mut s, p, st) {
                Some(cmd) => Some(cmd),
                None => return Ok(End::InputEnded),
            },
            Screen::Question { .. } => {
                let key = s.current().map(|(_, _, r)| r.key.clone());
                print_question(&s, st, key.is_some() && key == last_shown);
                last_shown = key;
                let secret = s
                    .current()
                    .is_some_and(|(_, q, _)| q.kind == QuestionKind::Secret);
                let asked = if secret {
                    p.ask_hidden("> ")
                } else {
                    p.ask("> ")
                };
                let Some(line) = asked else {
                    return Ok(End::InputEnded);
                };
                match line.trim().to_ascii_lowercase().as_str() {
                    "quit" | "q" => match p.yes("Quit without writing anything? [y/N] ", false) {
                        Some(true) => return Ok(End::Quit),
                        None => return Ok(End::InputEnded),
                        Some(false) => continue,
                    },
                    // Enter alone takes what is shown: a default stays a
                    // default (the same engine call as Enter in the app).
                    "" => Some(Command::Accept),
                    _ => Some(Command::Answer(line)),
                }
            }
            Screen::Review => match review(&mut s, p, st) {
                Ok(c) => Some(c),
                Err(end) => return Ok(end),
            },
            Screen::Tree => return tree_and_report(&mut s, &out, p, st, saver),
            Screen::Report => return Ok(End::Code(0)),
        };
        let Some(cmd) = line else {
            continue;
        };
        let was_chain = s.screen == Screen::Chain || s.screen == Screen::Customize;
        match s.apply(cmd) {
            Ok(()) => {
                if !s.changes.is_empty() {
                    say(&st.yellow("Later answers changed:"));
                    for c in &s.changes {
                        say(&format!("  {}", s.describe_change(c)));
                    }
                }
                if was_chain && s.screen == Screen::Chain {
                    shown_chain = false;
                }
            }
            Err(e) => say(&st.red(&format!("✗ {e}"))),
        }
    }
}

fn customize(s: &mut Session, p: &mut Prompt, st: Style) -> Option<Command> {
    println!("\n{}", st.bold("CUSTOMIZE THE CHAIN"));
    let choices = s.skill_choices();
    for (i, c) in choices.iter().enumerate() {
        let mark = if c.in_chain { "[x]" } else { "[ ]" };
        let lock = if c.locked { " (required)" } else { "" };
        println!("  {:>2}. {mark} {}{lock}", i + 1, c.id);
        println!("         {}", st.dim(&c.why));
    }
    println!("\nType a number or skill id to add or remove it; Enter when done.");
    let line = p.ask("> ")?;
    let t = line.trim();
    if t.is_empty() || t == "done" {
        return Some(Command::FinishCustomize);
    }
    let id = match t.parse::<usize>() {
        Ok(n) if n >= 1 && n <= choices.len() => choices[n - 1].id.clone(),
        _ => t.to_string(),
    };
    Some(Command::ToggleSkill(id))
}

/// Prints the question on screen; `again` (the same question once more)
/// prints only its prompt and current value, not its help and options.
fn print_question(s: &Session, st: Style, again: bool) {
    let Some((step, q, r)) = s.current() else {
        return;
    };
    let status = s.status();
    let (k, n) = status.question_of_step();
    if !again {
        say(&format!(
            "\n{} {}  {}",
            st.bold(&format!("STEP {}/{}:", status.step, status.total)),
            st.bold(&step.title),
            st.dim(&format!("question {k}/{n}"))
        ));
    }
    say(&q.prompt);
    if again {
        say(&format!("  {}", st.dim(&current_line(s, q, r))));
        return;
    }
    if !q.help.is_empty() {
        say(&format!("  {}", st.dim(q.help.trim())));
    }
    for (i, o) in q.options.iter().enumerate() {
        let help = if o.help.is_empty() {
            String::new()
        } else {
            format!(" — {}", o.help.trim())
        };
        let label = if o.label.is_empty() || o.label == o.value {
            o.value.clone()
        } else {
            format!("{} {}", o.label, st.dim(&format!("[{}]", o.value)))
        };
        say(&format!("  {}) {label}{}", i + 1, st.dim(&help)));
    }
    let how = match q.kind {
        QuestionKind::MultiChoice => "comma-separated numbers or values",
        QuestionKind::Bool => "yes or no",
        QuestionKind::Secret => "what you type is not shown and is never saved",
        QuestionKind::Choice => "a number or a value",
        _ => "",
    };
    say(&format!(
        "  {}{}",
        current_line(s, q, r),
        if how.is_empty() {
            String::new()
        } else {
            st.dim(&format!("; answer with {how}"))
        }
    ));
    say(&format!(
        "  {}",
        st.dim("Enter takes it · skip · skip skill · back · status · done · restart · help · quit")
    ));
}

/// `Current: redpanda (typed)` or `Default: kafka (goal keyword "kafka")`.
fn current_line(s: &Session, q: &crate::pack::Question, r: &crate::session::Resolved) -> String {
    let shown = match (&r.value, q.kind) {
        (_, QuestionKind::Secret) => "(hidden)".to_string(),
        (Some(v), _) if v.is_empty() => "(empty)".to_string(),
        (Some(v), _) => v.to_string(),
        (None, _) => String::new(),
    };
    let prov = r
        .provenance
        .as_ref()
        .map(|p| s.describe(p))
        .unwrap_or_default();
    let label = if s.answer(&r.key).is_some() {
        "Current"
    } else {
        "Default"
    };
    format!("{label}: {shown} ({prov})")
}

fn print_status(s: &Session, st: Style) {
    let v = s.status();
    let defaulted = if v.defaulted > 0 {
        format!(", {} took defaults unseen", v.defaulted)
    } else {
        String::new()
    };
    println!(
        "\n{} step {}/{}, {} answered{defaulted}, {} to go",
        st.bold("STATUS:"),
        v.step,
        v.total,
        v.answered,
        v.remaining
    );
    print_steps(&v);
}

/// One line per step: ✓ done, ◆ current (question k/n), ◐ partly answered
/// (k/n), ○ pending, – skipped.
pub(super) fn print_steps(v: &crate::session::StatusView) {
    for step in &v.steps {
        let (sym, note) = match step.state {
            StepState::Done => ("✓", String::new()),
            StepState::Current { index, count } => ("◆", format!(" (question {index}/{count})")),
            StepState::Partial { answered, count } => {
                ("◐", format!(" ({answered}/{count} answered)"))
            }
            StepState::Pending => ("○", String::new()),
            StepState::Skipped => ("–", " (skipped: defaults)".to_string()),
        };
        println!("  {sym} {}{note}", step.title);
    }
}

fn print_help(s: &Session, st: Style) {
    println!("\n{}", st.bold("COMMANDS (type the word and press Enter)"));
    for (word, meaning) in TYPED_COMMANDS {
        println!("  {word:<11} {meaning}");
    }
    println!(
        "  {:<11} keep the value shown (a default stays a default)",
        "(Enter)"
    );
    println!("  {:<11} leave without writing anything", "quit");
    if s.screen == Screen::Review {
        println!("  {:<11} change that answer", "edit N");
        println!("  {:<11} choose a resolution", "resolve ID R");
        println!("  {:<11} preview the files, then write", "write");
    }
}

/// Prints every answer numbered; returns the command for the next line, or
/// how the journey ended (quit, end of input).
fn review(s: &mut Session, p: &mut Prompt, st: Style) -> Result<Command, End> {
    println!("\n{}", st.bold("REVIEW"));
    let mut keys: Vec<QKey> = Vec::new();
    for step in s.steps() {
        println!("  {}", st.bold(&step.title));
        for r in s
            .resolved()
            .iter()
            .filter(|r| r.key.step == step.key && r.applicable)
        {
            let Some(q) = s.question(&r.key) else {
                continue;
            };
            keys.push(r.key.clone());
            let value = if q.kind == QuestionKind::Secret {
                "(hidden)".to_string()
            } else {
                r.value.as_ref().map(|v| v.to_string()).unwrap_or_default()
            };
            let prov = r
                .provenance
                .as_ref()
                .map(|p| s.describe(p))
                .unwrap_or_default();
            println!(
                "   {:>3}. {}: {value} {}",
                keys.len(),
                q.prompt.trim_end_matches('?'),
                st.dim(&format!("({prov})"))
            );
        }
    }
    let conflicts = s.conflicts();
    if !conflicts.is_empty() {
        println!("\n  {}", st.bold("Conflicts"));
        for c in &conflicts {
            let state = match &c.chosen {
                Some(r) => st.green(&format!("resolved: {r}")),
                None => st.red("unresolved"),
            };
            println!(
                "  {} {} [{}]: {} {state}",
                st.yellow("⚠"),
                c.title,
                c.id,
                c.message
            );
            for (id, label) in &c.resolutions {
                // What it sets, exactly, beside what it says.
                let sets = c
                    .sets
                    .iter()
                    .find(|(r, _)| r == id)
                    .map(|(_, sets)| {
                        sets.iter()
                            .map(|(k, v)| format!("{k} = {v}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .filter(|s| !s.is_empty())
                    .map(|s| format!(": sets {s}"))
                    .unwrap_or_default();
                say(&format!("      resolve {} {id}   ({label}{sets})", c.id));
            }
        }
    }
    println!("\nwrite (Enter: preview the files), edit N, resolve ID R, back, status, help, quit");
    let Some(line) = p.ask("> ") else {
        return Err(End::InputEnded);
    };
    let words: Vec<&str> = line.split_whitespace().collect();
    Ok(match words.as_slice() {
        [] | ["write"] | ["w"] => Command::Proceed,
        ["edit", n] | ["e", n] => match n.parse::<usize>() {
            Ok(i) if i >= 1 && i <= keys.len() => Command::Edit(keys[i - 1].clone()),
            _ => match n.split_once('.') {
                Some((a, b)) => Command::Edit(QKey::new(a, b)),
                None => {
                    println!("{}", st.red(&format!("✗ no answer numbered {n}")));
                    return review(s, p, st);
                }
            },
        },
        ["resolve", c, r] => Command::Resolve {
            conflict: c.to_string(),
            resolution: r.to_string(),
        },
        ["back"] => Command::Back,
        ["status"] => Command::Status,
        ["help"] => Command::Help,
        ["restart"] => Command::Restart,
        ["quit"] | ["q"] => return Err(End::Quit),
        _ => {
            // The same words as the line above the prompt, and what was
            // typed, so a script's mistake is found at once.
            println!(
                "{}",
                st.red(&format!(
                    "✗ `{}` is not a review command: type write, edit N, resolve ID R, back, status, help or quit",
                    line.trim()
                ))
            );
            return review(s, p, st);
        }
    })
}

/// Previews the tree, asks about each conflicting file, writes, and shows the
/// report with its remediation choices.
fn tree_and_report(
    s: &mut Session,
    out: &std::path::Path,
    p: &mut Prompt,
    st: Style,
    saver: &mut Saver,
) -> Result<End, EngineError> {
    // The plan must see the folder whole: a write killed meanwhile is
    // finished or rolled back first, and said.
    say_recovery(out, st);
    let plan = build_plan(s, out)?;
    print_plan(&plan, st, false);
    let mut overwrite = BTreeSet::new();
    for f in plan.conflicts() {
        loop {
            let Some(a) = p.ask(&format!(
                "{} exists with other content: [k]eep yours, [o]verwrite, [d]iff? ",
                f.path
            )) else {
                return Ok(End::InputEnded);
            };
            match a.trim().to_ascii_lowercase().as_str() {
                "" | "k" | "keep" => break,
                "o" | "overwrite" => {
                    overwrite.insert(f.path.clone());
                    break;
                }
                "d" | "diff" => print!(
                    "{}",
                    generate::unified_diff(
                        &f.path,
                        f.existing.as_deref().unwrap_or(""),
                        &f.content,
                        3
                    )
                ),
                _ => println!("Answer k, o or d."),
            }
        }
    }
    let Some(go) = p.yes(&format!("\nWrite to {}? [Y/n] ", out.display()), true) else {
        return Ok(End::InputEnded);
    };
    if !go {
        let _ = s.apply(Command::Back);
        saver.save(s, st);
        return Ok(End::Quit);
    }
    let done = generate::write_and_validate(s, &plan, &overwrite)?;
    say_recovered(done.written.recovered.as_ref(), st);
    saver.finish(st);
    let _ = s.apply(Command::ToReport);
    print_written(&done, &plan, st);
    offer_to_remember(s, p, st);
    report_loop(s, &plan, done.report, p, st)
}

/// Finishes or rolls back a write that a killed process left in `out`, and
/// says which on stderr in the one line `run`, `validate`, `resume` and the
/// app use. A folder another writer holds is only warned about here: the
/// write itself waits for it or refuses.
fn say_recovery(out: &std::path::Path, st: Style) {
    match generate::recover(out) {
        Ok(r) => say_recovered(r.as_ref(), st),
        Err(e) => eprintln!("{}", st.yellow(&format!("⚠ {}: {e}", out.display()))),
    }
}

fn say_recovered(r: Option<&generate::Recovered>, st: Style) {
    if let Some(r) = r {
        eprintln!("{}", st.yellow(&format!("⚠ {r}")));
    }
}

fn report_loop(
    s: &mut Session,
    plan: &Plan,
    mut report: Report,
    p: &mut Prompt,
    st: Style,
) -> Result<End, EngineError> {
    // What is on disk as skillchain wrote it, updated by each "generate".
    let mut plan = plan.clone();
    loop {
        for line in s.asked_but_removed_lines() {
            println!("{}", st.yellow(&line));
        }
        print!("{}", validate::render_text(&report, st.color));
        if report.pass {
            return Ok(End::Code(0));
        }
        println!("\n[g]enerate missing, [c]ontinue anyway, [d]etails, or a maturity (starter, intermediate, advanced)");
        let Some(a) = p.ask("> ") else {
            return Ok(End::Code(1));
        };
        match a.trim().to_ascii_lowercase().as_str() {
            "c" | "continue" | "" => return Ok(End::Code(1)),
            "d" | "details" => print_details(&report, st),
            "g" | "generate" | "generate missing" => {
                let fresh = build_plan(s, &plan.root)?;
                let (overwrite, kept) = generate::missing_overwrites(&report, &plan, &fresh);
                let done = generate::write_and_validate(s, &fresh, &overwrite)?;
                if let Some(kept) = generate::kept_edited_note(&kept) {
                    println!("{}", st.yellow(&format!("⚠ {kept}")));
                }
                say_recovered(done.written.recovered.as_ref(), st);
                print_written(&done, &fresh, st);
                report = done.report;
                plan = fresh;
            }
            other => match other.parse::<Maturity>() {
                Ok(m) => {
                    let _ = s.apply(Command::SetMaturity(m));
                    // Judged again with the answers the maturity moved.
                    report = generate::rejudge(s, &plan.root)
                        .unwrap_or_else(|_| report.with_maturity(m));
                }
                Err(e) => println!("{}", st.red(&format!("✗ {e}"))),
            },
        }
    }
}

fn print_details(report: &Report, st: Style) {
    for r in report
        .results
        .iter()
        .filter(|r| r.status != Status::Fulfilled)
    {
        println!(
            "\n{} {} ({}, primary skill {})",
            r.status.symbol(),
            st.bold(&r.name),
            r.status.as_str(),
            r.skill
        );
        println!("    expected: {}", r.expected.join(", "));
        if !r.found.is_empty() {
            println!("    found:    {}", r.found.join(", "));
        }
        for m in &r.missing {
            println!("    missing:  {m}");
        }
        for c in &r.failed_checks {
            println!("    check failed: {} ({})", c.description, c.reason);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fit_to;

    #[test]
    fn lines_wrap_at_word_boundaries_and_keep_every_word() {
        let words = [
            "stream.platform:",
            "kafka",
            "→",
            "pubsub",
            "(earlier",
            "answer",
            "base.cloud",
            "==",
            "'gcp')",
            "and",
            "architecting-data.storage_format:",
            "parquet",
            "→",
            "iceberg",
        ];
        let text = format!("  {}", words.join(" "));
        // Every word fits a line at these widths (a longer word is cut; a
        // terminal would cut it anyway).
        for width in [40, 41, 47, 61, 80] {
            let out = fit_to(&text, Some(width));
            for line in out.lines() {
                assert!(line.chars().count() < width, "{width}: {line:?}");
                let last = line.split(' ').next_back().unwrap_or("");
                assert!(words.contains(&last), "{width}: cut mid-word: {line:?}");
            }
            let again: Vec<&str> = out.split_whitespace().collect();
            assert_eq!(again, words, "{width}");
        }
        assert_eq!(fit_to(&text, None), text);
    }
}
