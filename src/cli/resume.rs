//! `skillchain resume [DIR]`: shows a saved session and offers to continue
//! it, to restart its chain with the saved answers as defaults, or to
//! discard it; then goes on in the line-by-line journey.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::plain::{journey, Prompt};
use super::saving::{finish, Saver};
use super::{refuse, Style};
use crate::detect::Detection;
use crate::error::{EngineError, Problem};
use crate::pack::Registry;
use crate::session::{SavedSession, Session, SessionMeta};
use crate::store::{self, Autosave, Locations};

/// The session file `resume` reads: DIR's, or else the one saved before an
/// output folder was chosen, or else the current folder's.
pub(super) fn locate(dir: Option<&Path>) -> Result<PathBuf, EngineError> {
    if let Some(d) = dir {
        return Ok(store::session_path(d));
    }
    let mut tried = Vec::new();
    if let Ok(loc) = Locations::from_os() {
        let p = loc.unplaced_session();
        if p.exists() {
            return Ok(p);
        }
        tried.push(p);
    }
    let here = store::session_path(Path::new("."));
    if here.exists() {
        return Ok(here);
    }
    tried.push(here);
    Err(refuse(
        "resume",
        tried
            .into_iter()
            .map(|p| {
                Problem::new(
                    p.display().to_string(),
                    "no saved session here; pass the journey's output folder: skillchain resume DIR",
                )
            })
            .collect(),
    ))
}

pub fn run(
    registry: &Registry,
    dir: Option<PathBuf>,
    no_prefs: bool,
    st: Style,
) -> Result<u8, EngineError> {
    let path = locate(dir.as_deref())?;
    let saved = match store::load_session(&path) {
        Ok(Some(s)) => s,
        Ok(None) => {
            return Err(refuse(
                "resume",
                vec![Problem::new(
                path.display().to_string(),
                "no saved session here; pass the journey's output folder: skillchain resume DIR",
            )],
            ))
        }
        Err(e) => return Err(EngineError::Other(e.to_string())),
    };
    let Some(pack) = registry.get(&saved.pack) else {
        return Err(refuse(
            "resume",
            vec![Problem::new(
                path.display().to_string(),
                format!(
                    "the session's pack `{}` is not installed; add it with --skillchains DIR",
                    saved.pack
                ),
            )],
        ));
    };
    let pack = Arc::new(pack.clone());
    let (prefs, warnings) = super::prefs::for_pack(no_prefs, &pack);
    let (session, notices) = Session::restore_with_preferences(pack.clone(), &saved, prefs);
    print_saved(&path, &saved, &session, st);
    if !notices.is_empty() {
        println!("\n{}", st.bold("Since it was saved:"));
        for n in &notices {
            println!(
                "  {}",
                st.yellow(&format!("⚠ {}", n.describe_for(&session)))
            );
        }
    }
    for w in warnings {
        println!("{}", st.yellow(&format!("⚠ {w}")));
    }
    let mut p = Prompt::stdin();
    let session = loop {
        println!("\n[c]ontinue (Enter), [r]estart this chain with the saved answers as defaults, [d]iscard, [q]uit");
        let Some(a) = p.ask("> ") else {
            // End of input is not a choice: say so, exit non-zero.
            println!("The input ended before a choice was made: nothing changed.");
            return Ok(super::plain::EXIT_INPUT_ENDED);
        };
        match a.trim().to_ascii_lowercase().as_str() {
            "" | "c" | "continue" => break session,
            "r" | "restart" => break session.restart_with_answers_as_defaults(),
            "d" | "discard" => {
                match p.yes(
                    "Discard this session? Its answers cannot be recovered. [y/N] ",
                    false,
                ) {
                    Some(true) => {
                        store::discard_session(&path)
                            .map_err(|e| EngineError::Other(e.to_string()))?;
                        println!("Discarded {}.", path.display());
                        return Ok(0);
                    }
                    Some(false) => continue,
                    None => {
                        println!("The input ended before a choice was made: nothing changed.");
                        return Ok(super::plain::EXIT_INPUT_ENDED);
                    }
                }
            }
            "q" | "quit" => {
                println!("Nothing changed.");
                return Ok(0);
            }
            _ => println!("{}", st.red("✗ type c, r, d or q")),
        }
    };
    let out = dir
        .clone()
        .or_else(|| saved.out.clone())
        .unwrap_or_else(|| PathBuf::from(&pack.manifest.output_root));
    super::run::report_recovery(&out)?;
    let meta = SessionMeta {
        id: saved.id.clone(),
        created: saved.created,
        out: saved.out.clone().or(dir),
    };
    let mut saver = Saver::new(Some(Autosave::new(path, meta).with_baseline(&session)));
    let det = Detection {
        packs: Vec::new(),
        inner: session.detection.clone(),
    };
    let end = journey(det, session, out, &mut p, st, &mut saver)?;
    Ok(finish(end, &saver))
}

fn print_saved(path: &Path, saved: &SavedSession, s: &Session, st: Style) {
    let now = store::now_secs();
    println!(
        "{} {}",
        st.bold("SAVED SESSION"),
        st.dim(&path.display().to_string())
    );
    println!("  Goal:  \"{}\"", saved.goal);
    println!(
        "  Pack:  {} {} · blueprint {} · maturity {}",
        saved.pack,
        saved.pack_version,
        s.blueprint.as_deref().unwrap_or("none"),
        s.maturity.as_str()
    );
    println!(
        "  Saved: {} (started {})",
        store::describe_age(now.saturating_sub(saved.updated)),
        store::describe_age(now.saturating_sub(saved.created))
    );
    let v = s.status();
    println!("  {} answered, {} to go", v.answered, v.remaining);
    super::plain::print_steps(&v);
}
