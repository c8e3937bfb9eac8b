//! `skillchain list` and `skillchain lint`.

use serde_json::json;
use std::path::Path;

use super::{print_json, Style};
use crate::error::EngineError;
use crate::pack::{load_dir, pack_folders, Registry};

pub fn list(registry: &Registry, as_json: bool) -> Result<u8, EngineError> {
    if as_json {
        let packs: Vec<_> = registry
            .packs
            .iter()
            .map(|p| {
                json!({
                    "id": p.manifest.id,
                    "title": p.manifest.title,
                    "version": p.manifest.version,
                    "description": p.manifest.description,
                    "origin": p.origin,
                    "output_root": p.manifest.output_root,
                    "examples": p.manifest.examples,
                    "skills": p.skills.iter().map(|s| json!({
                        "id": s.id, "title": s.title, "tier": s.tier, "required": s.required,
                        "questions": s.questions.len(), "outputs": s.outputs.len(),
                    })).collect::<Vec<_>>(),
                    "blueprints": p.blueprints.iter().map(|b| json!({
                        "id": b.id, "title": b.title, "skills": b.skills, "deliverables": b.deliverables.len(),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        print_json(&json!({ "packs": packs }))?;
        return Ok(0);
    }
    for p in &registry.packs {
        println!(
            "{} {} ({}) [{}]",
            p.manifest.id, p.manifest.version, p.manifest.title, p.origin
        );
        if !p.manifest.description.is_empty() {
            println!("  {}", p.manifest.description.trim());
        }
        println!("  skills:");
        for s in &p.skills {
            println!(
                "    {:28} {:12} {} question{}{}",
                s.id,
                s.tier.as_str(),
                s.questions.len(),
                if s.questions.len() == 1 { "" } else { "s" },
                if s.required { ", required" } else { "" }
            );
        }
        if !p.blueprints.is_empty() {
            println!("  blueprints:");
            for b in &p.blueprints {
                println!(
                    "    {:28} {} deliverables: {}",
                    b.id,
                    b.deliverables.len(),
                    b.title
                );
            }
        }
        if let Some(e) = p.manifest.examples.first() {
            println!("  try: skillchain detect \"{e}\"");
        }
        println!();
    }
    Ok(0)
}

pub fn lint(path: Option<&Path>, st: Style) -> Result<u8, EngineError> {
    let packs = match path {
        Some(p) => {
            // A pack folder, or a folder of packs: every pack is checked and
            // every problem of every pack reported before exiting.
            let mut packs = Vec::new();
            let mut problems = Vec::new();
            // A folder with skills/ but no manifest is a broken pack, not a folder of packs.
            let dirs = if p.join("skills").is_dir() {
                vec![p.to_path_buf()]
            } else {
                pack_folders(p)?
            };
            for dir in dirs {
                match load_dir(&dir) {
                    Ok(pack) => packs.push(pack),
                    Err(EngineError::Problems(p)) => problems.push(p),
                    Err(e) => return Err(e),
                }
            }
            if !problems.is_empty() {
                for p in &problems {
                    eprint!("{}", st.error(&p.to_string()));
                    eprintln!();
                }
                return Ok(2);
            }
            packs
        }
        None => Registry::bundled_checked()?.packs,
    };
    for p in packs {
        println!(
            "{} {} ({}): {} skills, {} blueprints, {} templates, {} conflict rules: no problems",
            st.green("✓"),
            p.manifest.id,
            p.origin,
            p.skills.len(),
            p.blueprints.len(),
            p.templates.len(),
            p.manifest.conflicts.len()
        );
    }
    Ok(0)
}
