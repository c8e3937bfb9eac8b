//! Loading packs: bundled ones from the binary, others from folders on disk.
//!
//! Both go through [`PackFiles`], an in-memory copy of the pack folder, so the
//! bundled and on-disk paths share every check.

use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::lint::lint_pack;
use super::model::{Blueprint, Manifest, Pack, Skill};
use crate::error::{EngineError, Problem, Problems};

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/skillchains");

pub const MANIFEST: &str = "pack.yaml";

/// The text files of one pack folder, keyed by path relative to the folder
/// with `/` separators.
#[derive(Debug, Clone, Default)]
pub struct PackFiles {
    /// `bundled:<id>` or the folder path; used in messages.
    pub origin: String,
    pub files: BTreeMap<String, String>,
}

impl PackFiles {
    pub fn from_dir(dir: &Path) -> Result<PackFiles, EngineError> {
        let mut files = BTreeMap::new();
        for entry in walkdir::WalkDir::new(dir)
            .follow_links(false)
            .sort_by_file_name()
        {
            let entry = entry.map_err(|e| {
                EngineError::Other(format!("{}: cannot read pack folder: {e}", dir.display()))
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(dir)
                .map_err(|e| EngineError::Other(e.to_string()))?;
            let key = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let text = std::fs::read_to_string(entry.path())
                .map_err(|e| EngineError::io(entry.path(), e))?;
            files.insert(key, text);
        }
        Ok(PackFiles {
            origin: dir.display().to_string(),
            files,
        })
    }

    fn from_embedded(dir: &Dir<'static>) -> PackFiles {
        let mut files = BTreeMap::new();
        collect_embedded(dir, dir.path(), &mut files);
        PackFiles {
            origin: format!("bundled:{}", dir.path().display()),
            files,
        }
    }
}

fn collect_embedded(dir: &Dir<'static>, root: &Path, out: &mut BTreeMap<String, String>) {
    for file in dir.files() {
        if let (Ok(rel), Some(text)) = (file.path().strip_prefix(root), file.contents_utf8()) {
            let key = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.insert(key, text.to_string());
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, root, out);
    }
}

/// Parses a YAML document, turning serde errors into a problem with
/// `file:line:col` and a "did you mean" for unknown fields.
fn parse_yaml<T: serde::de::DeserializeOwned>(
    origin: &str,
    name: &str,
    text: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    match serde_yaml::from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let location = match e.location() {
                Some(l) => format!("{origin}/{name}:{}:{}", l.line(), l.column()),
                None => format!("{origin}/{name}"),
            };
            problems.push(Problem::new(location, describe_yaml_error(&e)));
            None
        }
    }
}

/// serde_yaml's message without its trailing position, plus a suggestion
/// when the message is about an unknown field or variant.
pub fn describe_yaml_error(e: &serde_yaml::Error) -> String {
    let raw = e.to_string();
    let msg = match raw.rfind(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw,
    };
    for prefix in ["unknown field `", "unknown variant `"] {
        if let Some(start) = msg.find(prefix) {
            let rest = &msg[start + prefix.len()..];
            let Some(end) = rest.find('`') else { continue };
            let word = &rest[..end];
            let expected: Vec<&str> = rest[end + 1..].split('`').skip(1).step_by(2).collect();
            if let Some(s) = crate::suggest::did_you_mean(word, expected.iter().copied()) {
                return format!("{msg} (did you mean `{s}`?)");
            }
        }
    }
    msg
}

/// Parses and lints one pack. Every problem in the pack is reported together.
pub fn parse_pack(pf: &PackFiles) -> Result<Pack, Problems> {
    let mut problems = Vec::new();
    let origin = pf.origin.as_str();
    let manifest = match pf.files.get(MANIFEST) {
        Some(text) => parse_yaml::<Manifest>(origin, MANIFEST, text, &mut problems),
        None => {
            problems.push(Problem::new(
                origin,
                format!(
                    "no {MANIFEST}: a pack folder needs a manifest (see skillchains/README.md)"
                ),
            ));
            None
        }
    };
    let mut skills = Vec::new();
    let mut blueprints = Vec::new();
    let mut templates = BTreeMap::new();
    for (name, text) in &pf.files {
        if let Some(rest) = name.strip_prefix("templates/") {
            templates.insert(rest.to_string(), text.clone());
        } else if is_yaml_in(name, "skills/") {
            if let Some(s) = parse_yaml::<Skill>(origin, name, text, &mut problems) {
                skills.push((name.clone(), s));
            }
        } else if is_yaml_in(name, "blueprints/") {
            if let Some(b) = parse_yaml::<Blueprint>(origin, name, text, &mut problems) {
                blueprints.push((name.clone(), b));
            }
        }
    }
    let Some(manifest) = manifest else {
        return Err(Problems {
            context: format!("pack {origin}"),
            problems,
        });
    };
    let pack_id = manifest.id.clone();
    let lint_input = super::lint::Sources {
        origin: origin.to_string(),
        skill_files: skills
            .iter()
            .map(|(n, s)| (s.id.clone(), n.clone()))
            .collect(),
        blueprint_files: blueprints
            .iter()
            .map(|(n, b)| (b.id.clone(), n.clone()))
            .collect(),
    };
    let pack = Pack {
        manifest,
        skills: skills.into_iter().map(|(_, s)| s).collect(),
        blueprints: blueprints.into_iter().map(|(_, b)| b).collect(),
        templates,
        origin: pf.origin.clone(),
    };
    problems.extend(lint_pack(&pack, &lint_input));
    if problems.is_empty() {
        Ok(pack)
    } else {
        Err(Problems {
            context: format!("pack `{pack_id}` ({origin})"),
            problems,
        })
    }
}

fn is_yaml_in(name: &str, folder: &str) -> bool {
    name.strip_prefix(folder).is_some_and(|rest| {
        !rest.contains('/') && (rest.ends_with(".yaml") || rest.ends_with(".yml"))
    })
}

/// Loads one pack folder from disk.
pub fn load_dir(dir: &Path) -> Result<Pack, EngineError> {
    if !dir.is_dir() {
        return Err(EngineError::Other(format!(
            "{}: no such folder; pass a pack folder (one with {MANIFEST}) or a folder of packs",
            dir.display()
        )));
    }
    Ok(parse_pack(&PackFiles::from_dir(dir)?)?)
}

/// All packs available to this run: bundled ones, replaced or extended by
/// `--skillchains` folders (later folders win).
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub packs: Vec<Pack>,
}

impl Registry {
    /// The packs compiled into the binary.
    pub fn bundled() -> Result<Registry, EngineError> {
        let mut packs = Vec::new();
        let mut all = Vec::new();
        for dir in BUNDLED.dirs() {
            if dir.get_file(dir.path().join(MANIFEST)).is_none() {
                continue;
            }
            match parse_pack(&PackFiles::from_embedded(dir)) {
                Ok(p) => packs.push(p),
                Err(e) => all.extend(e.problems),
            }
        }
        if !all.is_empty() {
            return Err(Problems {
                context: "bundled packs".to_string(),
                problems: all,
            }
            .into());
        }
        packs.sort_by(|a, b| a.manifest.id.cmp(&b.manifest.id));
        Ok(Registry { packs })
    }

    /// Bundled packs plus those in `dirs`; each dir is a pack or a folder of packs.
    pub fn load(dirs: &[PathBuf]) -> Result<Registry, EngineError> {
        let mut reg = Registry::bundled()?;
        let mut all = Vec::new();
        for dir in dirs {
            match pack_folders(dir) {
                Ok(folders) => {
                    for f in folders {
                        match load_dir(&f) {
                            Ok(p) => reg.insert(p),
                            Err(EngineError::Problems(p)) => all.extend(p.problems),
                            Err(e) => all.push(Problem::new("", e.to_string())),
                        }
                    }
                }
                Err(e) => all.push(Problem::new("", e.to_string())),
            }
        }
        if !all.is_empty() {
            return Err(Problems {
                context: "packs from --skillchains".to_string(),
                problems: all,
            }
            .into());
        }
        Ok(reg)
    }

    /// Adds a pack, replacing one with the same id.
    pub fn insert(&mut self, pack: Pack) {
        match self
            .packs
            .iter_mut()
            .find(|p| p.manifest.id == pack.manifest.id)
        {
            Some(slot) => *slot = pack,
            None => {
                self.packs.push(pack);
                self.packs.sort_by(|a, b| a.manifest.id.cmp(&b.manifest.id));
            }
        }
    }

    pub fn get(&self, id: &str) -> Option<&Pack> {
        self.packs.iter().find(|p| p.manifest.id == id)
    }
}

/// A folder with a manifest is a pack; otherwise each sub-folder with one is.
fn pack_folders(dir: &Path) -> Result<Vec<PathBuf>, EngineError> {
    if !dir.is_dir() {
        return Err(EngineError::Other(format!(
            "{}: no such folder; --skillchains takes a pack folder (one with {MANIFEST}) or a folder of packs",
            dir.display()
        )));
    }
    if dir.join(MANIFEST).is_file() {
        return Ok(vec![dir.to_path_buf()]);
    }
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| EngineError::io(dir, e))?;
    for entry in entries.flatten() {
        let p = entry.path();
        if p.join(MANIFEST).is_file() {
            out.push(p);
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(EngineError::Other(format!(
            "{}: no pack here: neither it nor any sub-folder has a {MANIFEST}",
            dir.display()
        )));
    }
    Ok(out)
}
