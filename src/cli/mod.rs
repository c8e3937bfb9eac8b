//! The command line: argument parsing, subcommands and exit codes.
//! Exit codes: 0 success / PASS, 1 validation NEEDS ATTENTION, 2 bad input.

mod detect;
mod list;
mod pack;
mod plain;
mod prefs;
mod resume;
mod run;
mod saving;
mod style;
mod validate;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::{EngineError, Problem, Problems};
use crate::pack::{Maturity, Registry};
pub use style::Style;

#[derive(Debug, Parser)]
#[command(
    name = "skillchain",
    version,
    about = "Turn a data-engineering goal into a configured, generated and validated project",
    after_help = "Examples:\n  skillchain detect \"streaming pipeline from kafka to snowflake with dbt tests\"\n  skillchain run \"streaming pipeline from kafka to snowflake with dbt tests\" --defaults --out ./data-pipeline\n  skillchain validate ./data-pipeline\n  skillchain resume ./data-pipeline"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    /// Without a subcommand: the interactive journey for GOAL.
    #[command(flatten)]
    pub journey: plain::PlainArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Add packs from a folder (a pack, or a folder of packs); repeatable.
    /// A pack with the id of a bundled one replaces it. Packs in the config
    /// dir's skillchains/ folder are always added.
    #[arg(long = "skillchains", value_name = "DIR", global = true)]
    pub skillchains: Vec<PathBuf>,
    /// Colour theme of the app: dark (default), light, high-contrast,
    /// catppuccin-mocha, gruvbox-dark, a name in the config dir's themes/, or
    /// a .yaml file.
    #[arg(long, value_name = "NAME", global = true)]
    pub theme: Option<String>,
    /// No colours (also when NO_COLOR is set or output is not a terminal).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Ignore saved preferences for this run (they stay saved).
    #[arg(long, global = true)]
    pub no_prefs: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the pack, blueprint and chain a goal detects, with scores and reasons.
    Detect {
        goal: String,
        /// Detect within this pack only.
        #[arg(long, value_name = "ID")]
        pack: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Answer, generate and validate without the interactive app.
    Run(run::RunArgs),
    /// Check a generated folder against its deliverables.
    Validate {
        dir: PathBuf,
        /// Blueprint to check against (default: the one recorded in DIR/.skillchain/answers.yaml).
        #[arg(long, value_name = "B")]
        blueprint: Option<String>,
        /// starter, intermediate or advanced.
        #[arg(long, value_name = "M")]
        maturity: Option<Maturity>,
        #[arg(long)]
        json: bool,
    },
    /// List packs, their skills and blueprints.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Check a pack folder (or every bundled pack): schema, references, cycles, templates.
    Lint { path: Option<PathBuf> },
    /// Continue a saved session (DIR: the journey's output folder; without
    /// it, the session saved before an output folder was chosen).
    Resume { dir: Option<PathBuf> },
    /// Show or remove saved preferences (answers remembered as defaults).
    Prefs {
        #[command(subcommand)]
        command: prefs::PrefsCommand,
    },
    /// Packs from HTTPS, archives, folders, indexes and upstream registries.
    Pack {
        #[command(subcommand)]
        command: pack::PackCommand,
    },
}

impl clap::builder::ValueParserFactory for Maturity {
    type Parser = clap::builder::ValueParser;
    fn value_parser() -> Self::Parser {
        clap::builder::ValueParser::new(|s: &str| s.parse::<Maturity>())
    }
}

/// Parses the command line, runs it, and maps the outcome to an exit code.
/// Output that could not be written ends with exit code
/// [`crate::output::EXIT_OUTPUT_FAILED`] and a message on standard error.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return ExitCode::from(crate::output::finish(usage(&e))),
    };
    let style = Style::detect(cli.global.no_color);
    let code = match dispatch(cli, style) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", style.error(&e.to_string()));
            2
        }
    };
    ExitCode::from(crate::output::finish(code))
}

/// Prints what clap has to say (help, version, a usage error) the way clap
/// does, recording a failed write instead of ignoring it.
fn usage(e: &clap::Error) -> u8 {
    let stream = if e.use_stderr() {
        crate::output::Stream::Err
    } else {
        crate::output::Stream::Out
    };
    if let Err(err) = e.print() {
        crate::output::record(stream, &err);
    }
    u8::try_from(e.exit_code()).unwrap_or(2)
}

fn dispatch(cli: Cli, style: Style) -> Result<u8, EngineError> {
    // A goal over its limit is refused before anything reads it.
    let goal = match &cli.command {
        Some(Command::Detect { goal, .. }) => Some(goal),
        Some(Command::Run(args)) => args.goal.as_ref(),
        None => cli.journey.goal.as_ref(),
        _ => None,
    };
    if let Some(goal) = goal {
        crate::limits::check_goal(goal).map_err(EngineError::Other)?;
    }
    // The packs live until the process exits: freeing them one allocation
    // at a time would be a tenth of a `detect`.
    let registry = || load_packs(&cli.global, style).map(|r| &*Box::leak(Box::new(r)));
    let no_prefs = cli.global.no_prefs;
    let Some(command) = cli.command else {
        return journey(&cli.global, cli.journey, style);
    };
    match command {
        Command::Detect { goal, pack, json } => {
            detect::run(registry()?, &goal, pack.as_deref(), json, style)
        }
        Command::Run(args) => run::run(registry()?, args, no_prefs, style),
        Command::Validate {
            dir,
            blueprint,
            maturity,
            json,
        } => validate::run(
            registry()?,
            &dir,
            blueprint.as_deref(),
            maturity,
            json,
            style,
        ),
        Command::List { json } => list::list(registry()?, json),
        Command::Lint { path } => list::lint(path.as_deref(), style),
        Command::Resume { dir } => {
            if interactive_terminal() {
                let path = resume::locate(dir.as_deref())?;
                let opts = crate::tui::Options {
                    out: dir,
                    no_prefs,
                    autosave: true,
                    resume: Some(path),
                    ..Default::default()
                };
                return full_screen(&cli.global, opts, style);
            }
            resume::run(registry()?, dir, no_prefs, style)
        }
        Command::Prefs { command } => prefs::run(registry()?, command, style),
        Command::Pack { command } => pack::run(command, pack_dirs(&cli.global), style),
    }
}

/// The interactive journey: the full-screen app on a terminal, the
/// line-by-line prompts with `--plain`, on a dumb terminal or when input or
/// output is not a terminal (a pipe, a file).
fn journey(global: &Global, args: plain::PlainArgs, style: Style) -> Result<u8, EngineError> {
    if args.plain || !interactive_terminal() {
        return plain::run(&load_packs(global, style)?, args, global.no_prefs, style);
    }
    let opts = crate::tui::Options {
        goal: args.goal,
        out: args.out,
        pack: args.pack,
        maturity: args.maturity,
        no_prefs: global.no_prefs,
        autosave: true,
        resume: None,
    };
    full_screen(global, opts, style)
}

/// The user's packs folder: `<config>/skillchains/`.
fn user_packs() -> Option<PathBuf> {
    crate::tui::config_dir().map(|c| c.join("skillchains"))
}

/// The pack folders of this run in order: the user's packs folder (when it
/// exists), then each `--skillchains DIR`.
fn pack_dirs(global: &Global) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = user_packs().filter(|d| d.is_dir()).into_iter().collect();
    dirs.extend(global.skillchains.iter().cloned());
    dirs
}

/// Every pack of this run: bundled ones, the user's packs in
/// `<config>/skillchains/`, then each `--skillchains DIR`; a later pack with
/// the same id replaces an earlier one. A broken pack of the user's folder
/// is left out with a warning, so the others keep working.
fn load_packs(global: &Global, style: Style) -> Result<Registry, EngineError> {
    let reg = Registry::load_with_user(user_packs().as_deref(), &global.skillchains)?;
    warn_skipped(&reg.skipped, style);
    Ok(reg)
}

fn warn_skipped(skipped: &[Problems], style: Style) {
    for p in skipped {
        eprint!("{}", style.yellow(&format!("⚠ {p}")));
    }
}

/// True when the full-screen app can run: input and output are a terminal
/// that is not `TERM=dumb`.
fn interactive_terminal() -> bool {
    use std::io::IsTerminal;
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    !dumb && std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Runs the full-screen app with the theme and keymap of the config dir.
fn full_screen(
    global: &Global,
    opts: crate::tui::Options,
    style: Style,
) -> Result<u8, EngineError> {
    let config = crate::tui::config_dir();
    let theme = crate::tui::Theme::select(global.theme.as_deref(), config.as_deref(), style.color)
        .map_err(|e| {
            EngineError::Other(format!(
                "{e}\n  `--theme` takes a built-in theme, a name in {}/themes/, or a .yaml file.",
                config
                    .as_deref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "the config dir".to_string())
            ))
        })?;
    let keymap = crate::tui::Keymap::load(config.as_deref())
        .map_err(|e| EngineError::Other(e.to_string()))?;
    let dirs = global.skillchains.clone();
    let skipped = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let keep = skipped.clone();
    let load = move || {
        let reg = Registry::load_with_user(user_packs().as_deref(), &dirs)
            .map_err(|e| style.error(&e.to_string()))?;
        if let Ok(mut k) = keep.lock() {
            k.clone_from(&reg.skipped);
        }
        Ok(reg)
    };
    let ended = crate::tui::run(load, opts, theme, keymap)
        .map_err(|e| EngineError::Other(format!("the terminal failed: {e}")))?;
    let exit = ended.exit;
    if let (false, Ok(skipped)) = (ended.terminal_gone, skipped.lock()) {
        warn_skipped(&skipped, style);
    }
    if ended.terminal_gone {
        // No screen to say goodbye on; standard error may still be a file.
        crate::output::abandon_stdout();
        crate::output::try_eprintln(&format!("The terminal closed. {}", exit.message));
    } else if exit.code == 2 {
        eprintln!("{}", exit.message);
    } else {
        // Wrapped at word boundaries on a terminal, like every `--plain` line.
        plain::say(&exit.message);
    }
    Ok(exit.code)
}

/// Problems as an error that exits 2.
pub(crate) fn refuse(context: &str, problems: Vec<Problem>) -> EngineError {
    EngineError::Problems(Problems {
        context: context.to_string(),
        problems,
    })
}

pub(crate) fn print_json<T: serde::Serialize>(v: &T) -> Result<(), EngineError> {
    let text = serde_json::to_string_pretty(v).map_err(|e| EngineError::Other(e.to_string()))?;
    println!("{text}");
    Ok(())
}
