//! `skillchain prefs show|reset [PACK]`, and loading a pack's preferences
//! for a run or a journey: a problem with them is a warning, never a stop.

use clap::Subcommand;

use super::Style;
use crate::error::EngineError;
use crate::pack::Registry;
use crate::store::{prefs, Locations};

#[derive(Debug, Subcommand)]
pub enum PrefsCommand {
    /// Show saved preferences (of every pack, or of PACK) and where they live.
    Show { pack: Option<String> },
    /// Remove saved preferences (of every pack, or of PACK).
    Reset { pack: Option<String> },
}

pub(super) use crate::store::prefs::for_pack;

pub fn run(registry: &Registry, cmd: PrefsCommand, st: Style) -> Result<u8, EngineError> {
    let loc = Locations::from_os().map_err(|e| EngineError::Other(e.to_string()))?;
    match cmd {
        PrefsCommand::Show { pack } => show(registry, &loc, pack.as_deref(), st),
        PrefsCommand::Reset { pack } => {
            let removed = prefs::reset(&loc, pack.as_deref())
                .map_err(|e| EngineError::Other(e.to_string()))?;
            if removed.is_empty() {
                match &pack {
                    Some(p) => println!(
                        "No saved preferences for pack {p} ({} does not exist).",
                        loc.prefs_file(p).display()
                    ),
                    None => println!(
                        "No saved preferences ({} holds none).",
                        loc.prefs_dir().display()
                    ),
                }
            }
            for path in removed {
                println!("Removed {}", path.display());
            }
            Ok(0)
        }
    }
}

fn show(
    registry: &Registry,
    loc: &Locations,
    pack: Option<&str>,
    st: Style,
) -> Result<u8, EngineError> {
    let ids = match pack {
        Some(p) => vec![p.to_string()],
        None => prefs::packs_with_prefs(loc).map_err(|e| EngineError::Other(e.to_string()))?,
    };
    let mut code = 0;
    let mut shown = 0;
    for id in &ids {
        let path = loc.prefs_file(id);
        match prefs::load(loc, id) {
            Ok(Some(file)) => {
                shown += 1;
                println!(
                    "{} {}",
                    st.bold(id),
                    st.dim(&format!("({})", path.display()))
                );
                for (key, v) in file.values() {
                    println!("  {key} = {v}");
                }
                if let Some(p) = registry.get(id) {
                    for n in prefs::vet(p, &file).1 {
                        println!("  {}", st.yellow(&format!("⚠ {n}")));
                    }
                }
            }
            Ok(None) => {
                println!(
                    "No saved preferences for pack {id} ({} does not exist).",
                    path.display()
                );
            }
            Err(e) => {
                shown += 1;
                code = 2;
                eprintln!("{}", st.error(&e.to_string()));
            }
        }
    }
    if ids.is_empty() && shown == 0 {
        println!(
            "No saved preferences yet ({} holds none). At the end of a journey, skillchain offers to remember your answers.",
            loc.prefs_dir().display()
        );
    }
    Ok(code)
}
