//! `skillchain run`: the whole journey without the interactive app.

use clap::Args;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{print_json, refuse, Style};
use crate::answers;
use crate::error::{EngineError, Problem};
use crate::generate::{self, build_plan, interrupt, FileStatus, FolderLock, Plan};
use crate::headless::{pick, prepare, Request};
use crate::pack::{Maturity, Registry};
use crate::session::Session;
use crate::validate::{self, Report};

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The goal; optional with --answers (the file records it).
    pub goal: Option<String>,
    /// Use this pack instead of the one detection picks.
    #[arg(long, value_name = "ID")]
    pub pack: Option<String>,
    /// Answers file (YAML); `.skillchain/answers.yaml` of an earlier run replays it exactly.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Questions without an answer take their defaults.
    #[arg(long)]
    pub defaults: bool,
    /// Output folder (default: ./<pack output root>, e.g. ./data-pipeline).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// starter, intermediate or advanced.
    #[arg(long, value_name = "M")]
    pub maturity: Option<Maturity>,
    /// The chain, comma-separated (dependencies are added).
    #[arg(long, value_delimiter = ',', value_name = "a,b")]
    pub skills: Option<Vec<String>>,
    /// Use this blueprint (`none` for none) instead of the detected offer.
    #[arg(long, value_name = "B")]
    pub blueprint: Option<String>,
    /// Answer one question: `skill-id.question-id=value`; repeatable.
    #[arg(long = "set", value_name = "SKILL.QUESTION=VALUE")]
    pub sets: Vec<String>,
    /// Resolve a conflict between skills: `conflict-id=resolution-id`; repeatable.
    #[arg(long = "resolve", value_name = "CONFLICT=CHOICE")]
    pub resolves: Vec<String>,
    /// Show the plan (each file new / identical / conflict / skipped); write nothing.
    #[arg(long)]
    pub pretend: bool,
    /// Overwrite files that exist with other content.
    #[arg(long)]
    pub force: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct RunJson<'a> {
    pack: &'a str,
    blueprint: Option<&'a str>,
    maturity: Maturity,
    out: String,
    /// The skills whose files are written, in run order.
    chain: Vec<String>,
    /// Skills in the chain only for their answers: their files are skipped.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    answers_only: Vec<String>,
    files: &'a [generate::PlannedFile],
    written: bool,
    report: Option<&'a Report>,
}

pub fn run(
    registry: &Registry,
    args: RunArgs,
    no_prefs: bool,
    st: Style,
) -> Result<u8, EngineError> {
    let file = match &args.answers {
        Some(path) => {
            let parsed = answers::read(path).map_err(|p| refuse("answers", vec![p]))?;
            Some((path.display().to_string(), parsed))
        }
        None => None,
    };
    let none = args.blueprint.as_deref() == Some("none");
    let mut req = Request {
        goal: args.goal.clone(),
        pack: args.pack.clone(),
        answers: file,
        blueprint: if none { None } else { args.blueprint.clone() },
        no_blueprint: none,
        skills: args.skills.clone(),
        maturity: args.maturity,
        sets: args.sets.clone(),
        resolves: args.resolves.clone(),
        defaults: args.defaults,
        skip_loads: false,
        preferences: Default::default(),
        detection: None,
    };
    // The pack's preferences, when it can be told; otherwise `prepare`
    // reports why there is no pack.
    if let Ok((pack, detection)) = pick(registry, &req) {
        let (prefs, warnings) = super::prefs::for_pack(no_prefs, &pack);
        for w in warnings {
            eprintln!("{}", st.yellow(&format!("⚠ {w}")));
        }
        req.preferences = prefs;
        // `prepare` takes the same pack and detection without detecting
        // again.
        req.pack = Some(pack.manifest.id.clone());
        req.detection = detection;
    }
    let session = prepare(registry, &req)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(&session.pack().manifest.output_root));
    if args.pretend {
        report_recovery(&out)?;
        let plan = build_plan(&session, &out)?;
        if args.json {
            print_json(&summary(&session, &plan, false, None))?;
        } else {
            print_header(&session, st);
            print_plan(&plan, st, true);
            println!("\nNothing written (--pretend).");
        }
        return Ok(0);
    }
    // From here a signal rolls the write back instead of killing mid-way.
    if let Err(e) = interrupt::install() {
        eprintln!(
            "{}",
            st.yellow(&format!(
                "⚠ cannot catch interrupts ({e}); a kill now is recovered by the next command"
            ))
        );
    }
    // One writer at a time, from the plan to the last file.
    let mut lock = FolderLock::acquire(&out).map_err(|e| write_refused(&out, e))?;
    if let Some(r) = lock.take_recovered() {
        eprintln!("{}", st.yellow(&format!("⚠ {r}")));
    }
    let plan = build_plan(&session, &out)?;
    if let Some(signal) = interrupt::pending() {
        return Ok(interrupted(signal, st));
    }
    let conflicts: Vec<&generate::PlannedFile> = plan.conflicts().collect();
    if !conflicts.is_empty() && !args.force {
        let problems: Vec<Problem> = conflicts
            .iter()
            .map(|f| {
                let stat = generate::diff_stat(f.existing.as_deref().unwrap_or(""), &f.content);
                Problem::new(
                    out.join(&f.path).display().to_string(),
                    format!(
                        "exists with other content (+{} −{} lines against what would be generated)",
                        stat.added, stat.removed
                    ),
                )
            })
            .collect();
        return Err(refuse(
            "nothing was written; these files exist with other content (rerun with --force to overwrite them, --pretend to see the plan, or --out to write elsewhere)",
            problems,
        ));
    }
    let overwrite = plan.conflicts().map(|f| f.path.clone()).collect();
    let done = match generate::write_and_validate_locked(&lock, &session, &plan, &overwrite) {
        Ok(done) => done,
        Err(e) => match interrupt::pending() {
            Some(signal) => {
                eprintln!("{}", st.error(&e.to_string()));
                return Ok(interrupt::exit_code(signal));
            }
            None => return Err(e),
        },
    };
    drop(lock);
    let report = &done.report;
    if args.json {
        print_json(&summary(&session, &plan, true, Some(report)))?;
    } else {
        print_header(&session, st);
        print_plan(&plan, st, false);
        if plan.count(FileStatus::Skipped) > 0 {
            println!(
                "  {}",
                st.dim("(--pretend lists the skipped files and why)")
            );
        }
        print_written(&done, &plan, st);
        print!("{}", validate::render_text(report, st.color));
    }
    Ok(if report.pass { 0 } else { 1 })
}

/// Finishes or rolls back a write that a killed run left in `dir`, saying
/// which on one line of stderr. Every command that reads or writes an
/// output folder calls it first.
pub(super) fn report_recovery(dir: &Path) -> Result<(), EngineError> {
    match generate::recover(dir) {
        Ok(Some(r)) => {
            eprintln!("⚠ {r}");
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(e) => Err(write_refused(dir, e)),
    }
}

fn write_refused(dir: &Path, e: generate::WriteError) -> EngineError {
    EngineError::Other(format!("{}: {e}", dir.display()))
}

/// A signal arrived before anything was written: say so, exit 128 + signal.
fn interrupted(signal: i32, st: Style) -> u8 {
    eprintln!(
        "{}",
        st.error(&format!(
            "interrupted by {}: nothing was written",
            interrupt::name(signal)
        ))
    );
    interrupt::exit_code(signal)
}

fn summary<'a>(
    session: &'a Session,
    plan: &'a Plan,
    written: bool,
    report: Option<&'a Report>,
) -> RunJson<'a> {
    RunJson {
        pack: session.pack().id(),
        blueprint: session.blueprint.as_deref(),
        maturity: session.maturity,
        out: plan.root.display().to_string(),
        chain: session.writing_chain(),
        answers_only: session.answers_only_chain(),
        files: &plan.files,
        written,
        report,
    }
}

fn print_header(session: &Session, st: Style) {
    let ids: Vec<&str> = session.chain.iter().map(|e| e.id.as_str()).collect();
    println!(
        "{} {} · blueprint {} · maturity {}",
        st.bold("Pack"),
        session.pack().id(),
        session.blueprint.as_deref().unwrap_or("none"),
        session.maturity.as_str()
    );
    println!("{} {}", st.bold("Chain"), ids.join(" → "));
    let only = session.answers_only_chain();
    if !only.is_empty() {
        println!(
            "{}",
            st.dim(&format!(
                "      answers only (not asked by the goal, files not written): {}",
                only.join(", ")
            ))
        );
    }
    for c in session.conflicts() {
        println!(
            "{} {}: resolved with {}",
            st.yellow("⚠"),
            c.title,
            c.chosen.as_deref().unwrap_or("?")
        );
    }
}

/// The plan grouped by skill: `+` new, `=` identical, `!` conflict, `-`
/// skipped. Skipped files are listed with their reason only when `detailed`
/// (`--pretend`); otherwise counted, so the list stays readable.
pub(super) fn print_plan(plan: &Plan, st: Style, detailed: bool) {
    // One write to the terminal, not one per line.
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n{} {}: {} new, {} identical, {} conflict, {} skipped",
        st.bold("Plan for"),
        display(&plan.root),
        plan.count(FileStatus::New),
        plan.count(FileStatus::Identical),
        plan.count(FileStatus::Conflict),
        plan.count(FileStatus::Skipped)
    );
    let mut skills: Vec<&str> = Vec::new();
    for f in &plan.files {
        if !skills.contains(&f.skill.as_str()) {
            skills.push(&f.skill);
        }
    }
    for skill in skills {
        let _ = writeln!(out, "  {}", st.bold(skill));
        let mut skipped = 0;
        let mut answers_only = 0;
        for f in plan.files.iter().filter(|f| f.skill == skill) {
            let mark = match f.status {
                FileStatus::New => st.green("+"),
                FileStatus::Identical => st.dim("="),
                FileStatus::Conflict => st.red("!"),
                FileStatus::Skipped if detailed => st.dim("-"),
                FileStatus::Skipped
                    if f.reason.as_deref() == Some(generate::ANSWERS_ONLY_REASON) =>
                {
                    answers_only += 1;
                    continue;
                }
                FileStatus::Skipped => {
                    skipped += 1;
                    continue;
                }
            };
            let note = match f.status {
                FileStatus::Identical => st.dim(" (identical)"),
                FileStatus::Conflict => st.red(" (exists with other content)"),
                _ => String::new(),
            };
            let _ = writeln!(out, "    {mark} {}{note}", f.path);
            if let (FileStatus::Skipped, Some(reason)) = (f.status, &f.reason) {
                let _ = writeln!(out, "        {}", st.dim(reason));
            }
        }
        for (n, why) in [
            (
                answers_only,
                "not asked by the goal, only its answers are used",
            ),
            (skipped, "their conditions do not hold"),
        ] {
            if n > 0 {
                let _ = writeln!(out, "    {}", st.dim(&format!("({n} skipped: {why})")));
            }
        }
    }
    print!("{out}");
}

pub(super) fn print_written(done: &generate::Finished, plan: &Plan, st: Style) {
    let (created, overwritten) = done.counts();
    println!(
        "\n{} {created} new and {overwritten} overwritten files to {} ({} unchanged).\n\
         Recorded .skillchain/answers.yaml (replay) and .skillchain/plan.md (hand-off).\n",
        st.bold("Wrote"),
        display(&plan.root),
        plan.count(FileStatus::Identical)
    );
}

fn display(p: &Path) -> String {
    p.display().to_string()
}
