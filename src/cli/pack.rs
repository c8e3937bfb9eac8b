//! `skillchain pack add|list|update|remove|search|import-registry|index`:
//! packs from HTTPS, local archives and folders, pack indexes and upstream
//! registries. Only `add`, `update`, `search` (and `import-registry` of a
//! URL) touch the network.

use clap::Subcommand;
use serde_json::json;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::{print_json, Style};
use crate::error::EngineError;
use crate::pack::{PackSource, Registry};
use crate::remote::{
    self, AddOptions, Confirm, Installer, LockFile, PackDiff, Places, UpdateOutcome,
};

#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Install a pack: an https:// URL of a .tar.gz/.tgz/.zip or of a pack
    /// index, a local archive, a pack folder, or an id a configured index lists.
    Add {
        source: String,
        /// The archive's expected sha256 (required for an https:// archive
        /// that does not come from an index).
        #[arg(long, value_name = "HEX")]
        sha256: Option<String>,
        /// Which pack to take from an index or from an archive holding several.
        #[arg(long, value_name = "ID")]
        name: Option<String>,
    },
    /// Every pack with its source: bundled, config dir, --skillchains, installed (with its pin).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Fetch installed packs again, show what changed, install after confirmation.
    Update {
        id: Option<String>,
        /// Install without asking.
        #[arg(long)]
        yes: bool,
    },
    /// Uninstall a pack installed with `pack add`.
    Remove { id: String },
    /// Search the indexes listed in the config dir's indexes.yaml.
    Search {
        #[arg(required = true)]
        words: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Convert an upstream skillchain registry (_registry.yaml, registry_version 2.x) into a pack folder.
    ImportRegistry {
        /// A path or an https:// URL.
        source: String,
        /// The pack folder to write (default: ./<id>).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The pack id (default: from the registry's name or file).
        #[arg(long, value_name = "ID")]
        id: Option<String>,
    },
    /// Build reproducible archives and index.yaml for a folder of packs.
    Index {
        /// A pack or a folder of packs.
        #[arg(default_value = "skillchains")]
        src: PathBuf,
        #[arg(long, value_name = "DIR", default_value = "index")]
        out: PathBuf,
        /// Only check that OUT is up to date (exit 1 when it is not).
        #[arg(long)]
        check: bool,
    },
}

pub fn run(cmd: PackCommand, pack_dirs: Vec<PathBuf>, st: Style) -> Result<u8, EngineError> {
    let places = || Places::from_os().map_err(EngineError::Other);
    match cmd {
        PackCommand::Add {
            source,
            sha256,
            name,
        } => {
            let mut inst = Installer::new(places()?);
            let remote::Added {
                entry,
                pack,
                replaced,
            } = remote::add(
                &mut inst,
                &AddOptions {
                    source,
                    sha256,
                    name,
                },
            )?;
            println!(
                "{} installed {} {} ({}) from {}",
                st.green("✓"),
                entry.id,
                entry.version,
                pack.manifest.title,
                entry.source
            );
            println!("  sha256 {}", entry.sha256);
            if let Some(old) = replaced.filter(|o| o.sha256 != entry.sha256) {
                println!("  replaces {} {} from {}", old.id, old.version, old.source);
            }
            if Registry::bundled().is_ok_and(|r| r.get(&entry.id).is_some()) {
                println!(
                    "  {} replaces the bundled pack `{}` (remove it with `skillchain pack remove {}`)",
                    st.yellow("!"),
                    entry.id,
                    entry.id
                );
            }
            if !pack_dirs.is_empty() {
                let folder = pack_dirs
                    .iter()
                    .filter_map(|d| crate::pack::pack_folders(d).ok())
                    .flatten()
                    .find(|f| crate::pack::load_dir(f).is_ok_and(|p| p.id() == entry.id));
                if let Some(f) = folder {
                    println!(
                        "  {} a pack folder with the same id takes precedence: {}",
                        st.yellow("!"),
                        f.display()
                    );
                }
            }
            if let Some(e) = pack.manifest.examples.first() {
                println!("  try: skillchain detect \"{e}\"");
            }
            Ok(0)
        }
        PackCommand::List { json } => list(&Registry::load(&pack_dirs)?, &places()?, json, st),
        PackCommand::Update { id, yes } => {
            let mut inst = Installer::new(places()?);
            let confirm = if yes { Confirm::Yes } else { Confirm::Ask };
            let mut ask = |d: &PackDiff| ask(d, st);
            let outcomes = remote::update(&mut inst, id.as_deref(), confirm, &mut ask)?;
            if outcomes.is_empty() {
                println!("no installed packs; `skillchain pack add SOURCE` installs one");
            }
            for o in outcomes {
                match o {
                    UpdateOutcome::UpToDate { id, version } => {
                        println!("{} {id} {version} is up to date", st.green("✓"))
                    }
                    UpdateOutcome::Updated { diff, entry } => {
                        if yes {
                            print_diff(&diff, st);
                        }
                        println!(
                            "{} updated {} to {} (sha256 {})",
                            st.green("✓"),
                            entry.id,
                            entry.version,
                            entry.sha256
                        );
                    }
                    UpdateOutcome::Declined { diff, new_sha256 } => {
                        println!(
                            "nothing installed; {} {} stays. Run `skillchain pack update {} --yes` to install {} (sha256 {new_sha256})",
                            diff.id, diff.old_version, diff.id, diff.new_version
                        );
                    }
                }
            }
            Ok(0)
        }
        PackCommand::Remove { id } => {
            let entry = remote::remove(&places()?, &id)?;
            println!(
                "{} removed {} {} (from {})",
                st.green("✓"),
                entry.id,
                entry.version,
                entry.source
            );
            Ok(0)
        }
        PackCommand::Search { words, json } => search(&places()?, &words, json, st),
        PackCommand::ImportRegistry { source, out, id } => import(&places()?, &source, out, id, st),
        PackCommand::Index { src, out, check } => index(&src, &out, check, st),
    }
}

/// Prints the change and asks on the terminal; without one, declines.
fn ask(diff: &PackDiff, st: Style) -> bool {
    print_diff(diff, st);
    if !std::io::stdin().is_terminal() {
        return false;
    }
    print!("Install {} {}? [y/N] ", diff.id, diff.new_version);
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line).is_err() {
        return false;
    }
    matches!(line.trim().to_lowercase().as_str(), "y" | "yes")
}

fn print_diff(diff: &PackDiff, st: Style) {
    println!(
        "{} {} → {}",
        st.bold(&diff.id),
        diff.old_version,
        diff.new_version
    );
    if diff.changes.is_empty() {
        println!("  files changed, but no skill, question, blueprint or template did");
    }
    for c in &diff.changes {
        println!("  {c}");
    }
}

/// Where a pack comes from, as `pack list` says it.
fn source_label(p: &crate::pack::Pack, places: &Places) -> &'static str {
    match &p.source {
        PackSource::Bundled => "bundled",
        PackSource::Installed { .. } => "installed",
        PackSource::Folder => {
            if Path::new(&p.origin).starts_with(places.config.join("skillchains")) {
                "config dir"
            } else {
                "--skillchains"
            }
        }
    }
}

fn list(registry: &Registry, places: &Places, as_json: bool, st: Style) -> Result<u8, EngineError> {
    let lock = LockFile::read(&places.lock_file()).map_err(EngineError::Other)?;
    let shadowed: Vec<_> = lock
        .packs
        .iter()
        .filter(|e| {
            registry
                .get(&e.id)
                .is_some_and(|p| !matches!(p.source, PackSource::Installed { .. }))
        })
        .collect();
    if as_json {
        let packs: Vec<_> = registry
            .packs
            .iter()
            .map(|p| {
                let mut v = json!({
                    "id": p.id(),
                    "title": p.manifest.title,
                    "version": p.manifest.version,
                    "source": source_label(p, places),
                    "origin": p.origin,
                });
                if let PackSource::Installed {
                    url,
                    sha256,
                    installed_at,
                    ..
                } = &p.source
                {
                    v["url"] = json!(url);
                    v["sha256"] = json!(sha256);
                    v["installed_at"] = json!(installed_at);
                }
                v
            })
            .collect();
        let hidden: Vec<_> = shadowed
            .iter()
            .map(|e| json!({"id": e.id, "version": e.version, "url": e.source, "sha256": e.sha256}))
            .collect();
        print_json(&json!({ "packs": packs, "installed_but_replaced": hidden }))?;
        return Ok(0);
    }
    for p in &registry.packs {
        let label = source_label(p, places);
        println!(
            "{} {} ({}) [{}]",
            st.bold(p.id()),
            p.manifest.version,
            p.manifest.title,
            label
        );
        match &p.source {
            PackSource::Installed {
                url,
                sha256,
                installed_at,
                ..
            } => {
                println!("  from {url}");
                println!("  sha256 {sha256}, installed {installed_at}");
            }
            PackSource::Folder => println!("  {}", p.origin),
            PackSource::Bundled => {}
        }
    }
    for e in shadowed {
        println!(
            "{} installed {} {} is replaced by a pack with the same id from a folder",
            st.yellow("!"),
            e.id,
            e.version
        );
    }
    Ok(0)
}

fn search(places: &Places, words: &[String], as_json: bool, st: Style) -> Result<u8, EngineError> {
    let mut inst = Installer::new(places.clone());
    inst.quiet = as_json;
    let locations = inst.configured_indexes().map_err(EngineError::Other)?;
    if locations.is_empty() {
        return Err(EngineError::Other(format!(
            "no pack index is configured; list index URLs in {} (`indexes: [https://…/index.yaml]`, see README \"Packs from anywhere\")",
            places.indexes_file().display()
        )));
    }
    let mut results = Vec::new();
    let mut problems = Vec::new();
    for location in &locations {
        match inst.read_index(location) {
            Ok(index) => {
                problems.extend(index.problems.iter().cloned());
                for (e, n) in index.search(words) {
                    results.push((e.clone(), n, index.location.clone()));
                }
            }
            Err(e) => problems.push(e),
        }
    }
    results.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
    if as_json {
        let items: Vec<_> = results
            .iter()
            .map(|(e, n, index)| {
                json!({
                    "id": e.id, "title": e.title, "description": e.description,
                    "version": e.version, "archive": e.archive, "sha256": e.sha256,
                    "triggers": e.triggers, "index": index, "matched_words": n,
                })
            })
            .collect();
        print_json(&json!({ "results": items, "problems": problems }))?;
    } else {
        for (e, _, index) in &results {
            println!("{} {} ({})", st.bold(&e.id), e.version, e.title);
            if !e.description.is_empty() {
                println!("  {}", e.description);
            }
            println!("  skillchain pack add {} --name {}", index, e.id);
        }
        for p in &problems {
            eprintln!("{} {p}", st.yellow("warning:"));
        }
        if results.is_empty() {
            println!(
                "no pack in the configured indexes matches {}",
                words.join(" ")
            );
        }
    }
    Ok(if results.is_empty() { 1 } else { 0 })
}

fn import(
    places: &Places,
    source: &str,
    out: Option<PathBuf>,
    id: Option<String>,
    st: Style,
) -> Result<u8, EngineError> {
    let text = if source.contains("://") {
        let mut inst = Installer::new(places.clone());
        let bytes = inst_get(&mut inst, source)?;
        String::from_utf8(bytes).map_err(|_| {
            EngineError::Other(format!(
                "{source}: not UTF-8 text; is this a _registry.yaml?"
            ))
        })?
    } else {
        crate::textfile::read(
            Path::new(source),
            crate::limits::PACK_ARCHIVE,
            "registry files",
        )
        .map_err(|e| EngineError::Other(e.to_string()))?
    };
    let id = match id {
        Some(id) => id,
        None => default_id(&text, source),
    };
    if !remote::is_pack_id(&id) {
        return Err(EngineError::Other(format!(
            "--id {id}: a pack id is lower-case letters, digits and dashes"
        )));
    }
    let report = remote::import_registry(&text, source, &id).map_err(EngineError::Other)?;
    let dir = out.unwrap_or_else(|| PathBuf::from(&id));
    remote::write_pack(&report, &dir).map_err(EngineError::Other)?;
    let lint = crate::pack::load_dir(&dir);
    println!(
        "{} wrote pack `{id}` to {}: {} skills, {} blueprints, {} questions",
        st.green("✓"),
        dir.display(),
        report.skills,
        report.blueprints,
        report.questions
    );
    if !report.not_converted.is_empty() {
        println!(
            "not converted, or converted with a change (also in {}/IMPORT.md):",
            dir.display()
        );
        for l in &report.not_converted {
            println!("  - {l}");
        }
    }
    match lint {
        Ok(p) => {
            if let Some(e) = p.manifest.examples.first() {
                println!(
                    "try: skillchain --skillchains {} run \"{e}\" --defaults   (or `skillchain pack add {}` to install it)",
                    dir.display(),
                    dir.display()
                );
            }
            Ok(0)
        }
        Err(e) => {
            eprintln!("{}", st.error(&e.to_string()));
            Ok(2)
        }
    }
}

fn inst_get(inst: &mut Installer, url: &str) -> Result<Vec<u8>, EngineError> {
    inst.download(url).map_err(EngineError::Other)
}

/// The registry's `name`, else its file name (`_registry.yaml` → its folder).
fn default_id(text: &str, source: &str) -> String {
    let from_doc = serde_yaml::from_str::<serde_yaml::Value>(text)
        .ok()
        .and_then(|v| v.get("name").and_then(|n| n.as_str().map(str::to_string)));
    let base = from_doc.unwrap_or_else(|| {
        let path = Path::new(source.rsplit("://").next().unwrap_or(source));
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = stem.trim_start_matches('_').to_string();
        if stem == "registry" || stem.is_empty() {
            path.parent()
                .and_then(|p| p.file_name())
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "imported".to_string())
        } else {
            stem
        }
    });
    let mut id = String::new();
    for c in base.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_string();
    if id.is_empty() {
        "imported".to_string()
    } else {
        id
    }
}

fn index(src: &Path, out: &Path, check: bool, st: Style) -> Result<u8, EngineError> {
    let title = "skillchain bundled packs";
    if !check {
        let written = remote::build_index(src, out, title)?;
        if written.is_empty() {
            println!("{} {} is up to date", st.green("✓"), out.display());
        } else {
            for w in written {
                println!("wrote {}", out.join(w).display());
            }
        }
        return Ok(0);
    }
    let tmp = tempfile::tempdir().map_err(|e| EngineError::Other(e.to_string()))?;
    remote::build_index(src, tmp.path(), title)?;
    let names = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    let want = names(tmp.path());
    let mut stale: Vec<String> = Vec::new();
    for n in &want {
        if std::fs::read(tmp.path().join(n)).ok() != std::fs::read(out.join(n)).ok() {
            stale.push(n.clone());
        }
    }
    for n in names(out) {
        if !want.contains(&n) {
            stale.push(format!("{n} (no longer produced)"));
        }
    }
    if stale.is_empty() {
        println!("{} {} is up to date", st.green("✓"), out.display());
        Ok(0)
    } else {
        eprintln!(
            "{} is out of date ({}); run scripts/build-index and commit the result",
            out.display(),
            stale.join(", ")
        );
        Ok(1)
    }
}
