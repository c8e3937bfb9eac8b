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
    /// Files the pack uses (manifest, skills, blueprints, templates) that are
    /// not UTF-8 text.
    pub unreadable: Vec<String>,
}

impl PackFiles {
    /// Reads a pack folder. Hidden entries (`.git`, `.DS_Store`) are skipped,
    /// and so is a file the pack does not use that is not small UTF-8 text
    /// (an image next to a README). A file the pack uses that is not UTF-8
    /// text is recorded in `unreadable`, so it is reported with the other
    /// problems. Files over [`crate::limits::PACK_FILE`] (or past
    /// [`crate::limits::PACK_TOTAL`] for the whole pack) refuse the pack at
    /// once, each named. A leading byte-order mark is dropped.
    pub fn from_dir(dir: &Path) -> Result<PackFiles, EngineError> {
        use crate::limits::{human, PACK_FILE, PACK_TOTAL};
        use crate::textfile::ReadError;
        let mut files = BTreeMap::new();
        let mut unreadable = Vec::new();
        let mut refused = Vec::new();
        let mut total: u64 = 0;
        let walker = walkdir::WalkDir::new(dir)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = entry.map_err(|e| {
                EngineError::Other(format!("{}: cannot read pack folder: {e}", dir.display()))
            })?;
            let ft = entry.file_type();
            let rel = entry
                .path()
                .strip_prefix(dir)
                .map_err(|e| EngineError::Other(e.to_string()))?;
            let key = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            // A link, FIFO, socket or device where a pack file would be:
            // named, never opened (it could block or lead out of the pack)
            // nor taken for a missing file.
            if ft.is_dir() {
                // A folder named like the manifest, a skill or a template.
                if key == MANIFEST
                    || is_yaml_in(&key, "skills/")
                    || is_yaml_in(&key, "blueprints/")
                    || (key.starts_with("templates/") && key.ends_with(".j2"))
                {
                    refused.push((key, crate::textfile::not_a_file("folder")));
                }
                continue;
            }
            if !ft.is_file() {
                if is_pack_file(&key) {
                    let kind = std::fs::symlink_metadata(entry.path())
                        .ok()
                        .as_ref()
                        .and_then(crate::textfile::kind_of)
                        .unwrap_or("special file");
                    refused.push((key, crate::textfile::not_a_file(kind)));
                }
                continue;
            }
            if !is_pack_file(&key) {
                // A README is kept; an image, a data dump or anything over
                // the limit next to the pack is none of its business.
                if let Ok(text) = crate::textfile::read(entry.path(), PACK_FILE, "pack files") {
                    files.insert(key, text);
                }
                continue;
            }
            let limit = PACK_FILE.min(PACK_TOTAL.saturating_sub(total));
            let bytes = match crate::textfile::read_bytes(entry.path(), limit, "pack files") {
                Ok(b) => b,
                Err(ReadError::TooLarge { .. }) if limit < PACK_FILE => {
                    refused.push((
                        key,
                        format!(
                            "the pack's files are larger than {} together, the limit for one pack; remove what it does not need",
                            human(PACK_TOTAL)
                        ),
                    ));
                    continue;
                }
                Err(ReadError::TooLarge { .. }) => {
                    refused.push((
                        key,
                        format!(
                            "larger than {}, the limit for one pack file; split it or remove what it does not need",
                            human(PACK_FILE)
                        ),
                    ));
                    continue;
                }
                Err(e) => return Err(EngineError::Other(e.to_string())),
            };
            total += bytes.len() as u64;
            match crate::textfile::text(entry.path(), bytes) {
                Ok(text) => {
                    files.insert(key, text);
                }
                Err(_) => unreadable.push(key),
            }
        }
        if !refused.is_empty() {
            return Err(Problems {
                context: format!("pack {}", dir.display()),
                problems: refused
                    .into_iter()
                    .map(|(name, why)| Problem::new(format!("{}/{name}", dir.display()), why))
                    .collect(),
            }
            .into());
        }
        Ok(PackFiles {
            origin: dir.display().to_string(),
            files,
            unreadable,
        })
    }

    fn from_embedded(dir: &Dir<'static>) -> PackFiles {
        let mut files = BTreeMap::new();
        collect_embedded(dir, dir.path(), &mut files);
        PackFiles {
            origin: format!("bundled:{}", dir.path().display()),
            files,
            unreadable: Vec::new(),
        }
    }
}

/// The templates of the bundled pack in folder `dir`, keyed by path under
/// its `templates/` (what [`parse_pack`] gives a pack read from YAML).
pub(super) fn embedded_templates(dir: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(templates) = BUNDLED.get_dir(Path::new(dir).join("templates")) {
        collect_embedded(templates, templates.path(), &mut out);
    }
    out
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

/// Parses a YAML document (`what` names it in messages: "skill", …), turning
/// serde errors into a problem with `file:line:col` that says what to do.
fn parse_yaml<T: serde::de::DeserializeOwned>(
    origin: &str,
    name: &str,
    what: &str,
    text: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    let at = |e: &serde_yaml::Error| match e.location() {
        Some(l) => format!("{origin}/{name}:{}:{}", l.line(), l.column()),
        None => format!("{origin}/{name}"),
    };
    // Editors on Windows may start a file with a byte-order mark; it is not
    // part of the YAML.
    let text = text.strip_prefix(crate::textfile::BOM).unwrap_or(text);
    // Reading the document untyped first separates broken YAML from a
    // well-formed document with the wrong fields.
    let doc = match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(doc) => doc,
        Err(e) => {
            let msg = describe_yaml_error(&e);
            let msg = match msg.split_once("duplicate entry with key ") {
                Some(("", key)) => {
                    // At the top of the file serde_yaml gives no place: the
                    // second appearance of the key is it.
                    let key = key.trim_matches('"');
                    let found = crate::yamlfile::key_lines(text, &[], key);
                    let place = match found.get(1) {
                        Some((l, c)) => format!("{origin}/{name}:{l}:{c}"),
                        None => at(&e),
                    };
                    problems.push(Problem::new(
                        place,
                        format!("key `{key}` appears twice in the same mapping; keep one"),
                    ));
                    return None;
                }
                Some((path, key)) => format!(
                    "{}key `{}` appears twice in the same mapping; keep one",
                    path_prefix(path.strip_suffix(": ").unwrap_or(path)),
                    key.trim_matches('"')
                ),
                None => format!(
                    "not valid YAML: {msg}; check the indentation and quoting on this line and the lines above it"
                ),
            };
            problems.push(Problem::new(at(&e), msg));
            return None;
        }
    };
    if doc.is_null() {
        problems.push(Problem::new(
            format!("{origin}/{name}"),
            format!("the file is empty: write a {what} here or delete the file"),
        ));
        return None;
    }
    match serde_yaml::from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let msg = describe_yaml_error(&e);
            let msg = explain(&msg, what, &doc).unwrap_or(msg);
            problems.push(Problem::new(at(&e), msg));
            None
        }
    }
}

/// serde_yaml's message without its positions (the location carries them),
/// plus a suggestion when the message is about an unknown field or variant.
pub fn describe_yaml_error(e: &serde_yaml::Error) -> String {
    static POSITION: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let raw = e.to_string();
    let msg = match POSITION.get_or_init(|| regex::Regex::new(r" at line \d+ column \d+").ok()) {
        Some(re) => re.replace_all(&raw, "").into_owned(),
        None => raw,
    }
    .replace(UNTAGGED_ANSWER, ANSWER_SHAPES);
    for prefix in ["unknown field `", "unknown variant `"] {
        if let Some(start) = msg.find(prefix) {
            let rest = &msg[start + prefix.len()..];
            let Some(end) = rest.find('`') else { continue };
            let word = &rest[..end];
            // rest[end + 1..] is ", expected one of `a`, `b`": the names
            // are every other piece after the first.
            let expected: Vec<&str> = rest[end + 1..].split('`').skip(1).step_by(2).collect();
            if let Some(s) = crate::suggest::did_you_mean(word, expected.iter().copied()) {
                return format!("{msg} (did you mean `{s}`?)");
            }
        }
    }
    msg
}

/// Rewrites serde_yaml messages that lack context: "questions[0]: missing
/// field `prompt`" becomes "questions[0]: question `engine` is missing the
/// required field `prompt`; add `prompt: …`", naming the item by its id so
/// the author finds it without counting.
fn explain(msg: &str, what: &str, doc: &serde_yaml::Value) -> Option<String> {
    if let Some((path, field)) = msg.split_once("missing field `") {
        let path = path.strip_suffix(": ").unwrap_or(path);
        let field = field.strip_suffix('`')?;
        return Some(format!(
            "{}{} is missing the required field `{field}`; add `{field}: …`",
            path_prefix(path),
            subject(path, what, doc)?
        ));
    }
    if let Some((path, _)) = msg.split_once(ANSWER_SHAPES) {
        let path = path.strip_suffix(": ").unwrap_or(path);
        return Some(format!(
            "{}{} has a value of the wrong shape: {ANSWER_SHAPES}",
            path_prefix(path),
            subject(path, what, doc)?
        ));
    }
    None
}

/// serde's message when an answer value is a map or a nested list; it names
/// a Rust type the author never sees.
const UNTAGGED_ANSWER: &str = "data did not match any variant of untagged enum AnswerValue";
/// What `describe_yaml_error` says instead.
const ANSWER_SHAPES: &str = "a value must be text, a number, true/false or a list of texts";

fn path_prefix(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}: ")
    }
}

/// "question `engine`" for the item at serde's `path` (`questions[0]`) in
/// `doc`, "skill `tune`" for the document itself, "this output" for an item
/// without an id.
fn subject(path: &str, what: &str, doc: &serde_yaml::Value) -> Option<String> {
    let mut node = doc;
    let mut noun = what;
    if !path.is_empty() {
        for segment in path.split('.') {
            let mut pieces = segment.split('[');
            let key = pieces.next().unwrap_or_default();
            node = node.get(key)?;
            for index in pieces {
                node = node.get(index.strip_suffix(']')?.parse::<usize>().ok()?)?;
            }
            noun = match key {
                "questions" => "question",
                "options" => "option",
                "smart_defaults" => "smart default",
                "outputs" => "output",
                "checks" => "check",
                "deliverables" => "deliverable",
                "conflicts" => "conflict",
                "resolutions" => "resolution",
                _ => "item",
            };
        }
    }
    let name = ["id", "value", "path"]
        .iter()
        .find_map(|k| node.get(*k).and_then(serde_yaml::Value::as_str));
    Some(match name {
        Some(n) => format!("{noun} `{n}`"),
        None => format!("this {noun}"),
    })
}

/// Parses and lints one pack. Every problem in the pack is reported together:
/// a file that does not parse is reported and the rest is still checked, with
/// references to what that file defines taken on trust so one typo does not
/// turn into a dozen "unknown skill" messages.
pub fn parse_pack(pf: &PackFiles) -> Result<Pack, Problems> {
    parse_pack_with(pf, true)
}

/// `lint: false` skips the semantic checks: only for bundled packs, which
/// are fixed at build time and linted by `skillchain lint` in CI, so the app
/// starts without re-checking them every time.
fn parse_pack_with(pf: &PackFiles, lint: bool) -> Result<Pack, Problems> {
    let mut problems = Vec::new();
    let origin = pf.origin.as_str();
    for name in &pf.unreadable {
        problems.push(Problem::new(
            format!("{origin}/{name}"),
            "not UTF-8 text: save it as UTF-8 (pack files are read as text)",
        ));
    }
    let manifest = match pf.files.get(MANIFEST) {
        Some(text) => {
            parse_yaml::<Manifest>(origin, MANIFEST, "pack manifest", text, &mut problems)
        }
        None if pf.unreadable.iter().any(|n| n == MANIFEST) => None,
        None => {
            problems.push(Problem::new(
                origin,
                format!(
                    "no {MANIFEST}: a pack folder needs a manifest with id, title, version and output_root; create {MANIFEST} in this folder"
                ),
            ));
            None
        }
    };
    let mut skills = Vec::new();
    let mut blueprints = Vec::new();
    let mut templates = BTreeMap::new();
    let mut lint_input = super::lint::Sources {
        origin: origin.to_string(),
        manifest_broken: manifest.is_none(),
        ..Default::default()
    };
    for (name, text) in &pf.files {
        if let Some(rest) = name.strip_prefix("templates/") {
            templates.insert(rest.to_string(), text.clone());
        } else if is_yaml_in(name, "skills/") {
            match parse_yaml::<Skill>(origin, name, "skill", text, &mut problems) {
                Some(s) => skills.push((name.clone(), s)),
                None => {
                    lint_input.broken_skills.insert(stand_in_id(name, text));
                }
            }
        } else if is_yaml_in(name, "blueprints/") {
            match parse_yaml::<Blueprint>(origin, name, "blueprint", text, &mut problems) {
                Some(b) => blueprints.push((name.clone(), b)),
                None => lint_input.broken_blueprints = true,
            }
        }
    }
    for name in &pf.unreadable {
        if is_yaml_in(name, "skills/") {
            lint_input.broken_skills.insert(stand_in_id(name, ""));
        } else if is_yaml_in(name, "blueprints/") {
            lint_input.broken_blueprints = true;
        } else if let Some(rest) = name.strip_prefix("templates/") {
            // Known to exist, so outputs naming it are not reported again.
            templates.insert(rest.to_string(), String::new());
        }
    }
    let manifest_ok = manifest.is_some();
    let manifest = manifest.unwrap_or_else(|| stand_in_manifest(origin));
    let pack_id = manifest.id.clone();
    lint_input.skill_files = skills.iter().map(|(n, _)| n.clone()).collect();
    lint_input.blueprint_files = blueprints.iter().map(|(n, _)| n.clone()).collect();
    let pack = Pack {
        manifest,
        skills: skills.into_iter().map(|(_, s)| s).collect(),
        blueprints: blueprints.into_iter().map(|(_, b)| b).collect(),
        templates: templates.into(),
        origin: pf.origin.clone(),
        source: if origin.starts_with("bundled:") {
            super::model::PackSource::Bundled
        } else {
            super::model::PackSource::Folder
        },
        by_id: Default::default(),
        detect_index: Default::default(),
    };
    if lint || !problems.is_empty() {
        problems.extend(lint_pack(&pack, &lint_input));
    }
    if problems.is_empty() {
        let mut pack = pack;
        super::path_answers::bound_path_answers(&mut pack);
        Ok(pack)
    } else if manifest_ok {
        Err(Problems {
            context: format!("pack `{pack_id}` ({origin})"),
            problems,
        })
    } else {
        Err(Problems {
            context: format!("pack {origin}"),
            problems,
        })
    }
}

/// The id a skill file that does not parse most likely defines: its `id`
/// field if the YAML is readable, else the file name (`skills/<id>.yaml`).
fn stand_in_id(name: &str, text: &str) -> String {
    serde_yaml::from_str::<serde_yaml::Value>(text)
        .ok()
        .and_then(|v| v.get("id").and_then(|id| id.as_str().map(str::to_string)))
        .unwrap_or_else(|| {
            let file = name.rsplit('/').next().unwrap_or(name);
            file.trim_end_matches(".yaml")
                .trim_end_matches(".yml")
                .to_string()
        })
}

/// Lets the skills of a pack whose manifest is missing or broken be checked
/// anyway; lint skips the manifest's own checks for it.
fn stand_in_manifest(origin: &str) -> Manifest {
    Manifest {
        id: origin
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(origin)
            .to_string(),
        title: String::new(),
        description: String::new(),
        version: String::new(),
        output_root: String::new(),
        triggers: BTreeMap::new(),
        synonyms: BTreeMap::new(),
        examples: Vec::new(),
        conflicts: Vec::new(),
        jinja_files: Vec::new(),
        makes: None,
    }
}

/// Whether the pack reads this file (as opposed to a README or an image).
fn is_pack_file(name: &str) -> bool {
    name == MANIFEST
        || name.starts_with("templates/")
        || is_yaml_in(name, "skills/")
        || is_yaml_in(name, "blueprints/")
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
    /// The user's packs (config dir) that could not be loaded, left out so
    /// that every other pack still works; shown as warnings.
    pub skipped: Vec<Problems>,
}

impl Registry {
    /// The packs compiled into the binary, parsed but not linted (see
    /// [`Registry::bundled_checked`]).
    pub fn bundled() -> Result<Registry, EngineError> {
        // Precompiled at build time (see `blob`); YAML only if it is stale.
        if let Some(packs) = super::blob::bundled_packs() {
            return Ok(Registry {
                packs,
                skipped: Vec::new(),
            });
        }
        Self::bundled_with(false)
    }

    /// The bundled packs with every lint check, as `skillchain lint` runs them.
    pub fn bundled_checked() -> Result<Registry, EngineError> {
        Self::bundled_with(true)
    }

    fn bundled_with(lint: bool) -> Result<Registry, EngineError> {
        let mut packs = Vec::new();
        let mut all = Vec::new();
        // One thread per pack: parsing YAML is most of the start-up time.
        let parsed: Vec<Result<Pack, Problems>> = std::thread::scope(|scope| {
            let handles: Vec<_> = BUNDLED
                .dirs()
                .filter(|dir| dir.get_file(dir.path().join(MANIFEST)).is_some())
                .map(|dir| {
                    scope.spawn(move || parse_pack_with(&PackFiles::from_embedded(dir), lint))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(Problems {
                            context: "bundled packs".to_string(),
                            problems: vec![Problem::new("", "parsing a bundled pack panicked")],
                        })
                    })
                })
                .collect()
        });
        for result in parsed {
            match result {
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
        Ok(Registry {
            packs,
            skipped: Vec::new(),
        })
    }

    /// Bundled packs plus those in `dirs`; each dir is a pack or a folder of packs.
    pub fn load(dirs: &[PathBuf]) -> Result<Registry, EngineError> {
        let mut reg = Registry::bundled()?;
        let mut all = Vec::new();
        // Packs installed by `skillchain pack add`, read offline from the data dir.
        if let Ok(places) = crate::remote::Places::from_os() {
            let (installed, problems) = crate::remote::load_installed(&places);
            // A broken installed pack is skipped (and named), like a broken
            // pack of the user's packs folder: the others keep working.
            if !problems.is_empty() {
                reg.skipped.push(Problems::new(
                    "installed packs (skillchain pack list; reinstall with skillchain pack add), skipped until fixed",
                    problems,
                ));
            }
            installed.into_iter().for_each(|p| reg.insert(p));
        }
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

    /// Bundled packs, then the user's packs in `user` (the config dir's
    /// `skillchains/` folder: each broken one is left out and recorded in
    /// `skipped`, named by its folder), then `dirs` (`--skillchains`: a
    /// broken pack there stops the command, as it was asked for by name).
    pub fn load_with_user(user: Option<&Path>, dirs: &[PathBuf]) -> Result<Registry, EngineError> {
        let mut reg = Registry::load(dirs)?;
        let Some(user) = user.filter(|u| u.is_dir()) else {
            return Ok(reg);
        };
        let given: Vec<String> = reg.packs.iter().map(|p| p.origin.clone()).collect();
        let context = |what: String| {
            format!(
                "{what}, in your packs folder {}, is skipped until it is fixed",
                user.display()
            )
        };
        let folders = match pack_folders(user) {
            Ok(f) => f,
            // An empty packs folder is fine.
            Err(_) => return Ok(reg),
        };
        for f in folders {
            match load_dir(&f) {
                Ok(p) => {
                    // `--skillchains` wins over the config dir for the same id.
                    let flagged = reg.packs.iter().any(|q| {
                        q.manifest.id == p.manifest.id
                            && given.contains(&q.origin)
                            && !q.origin.starts_with("bundled:")
                    });
                    if !flagged {
                        reg.insert(p);
                    }
                }
                Err(EngineError::Problems(mut p)) => {
                    p.context = context(p.context);
                    reg.skipped.push(p);
                }
                Err(e) => reg.skipped.push(Problems {
                    context: context(format!("pack {}", f.display())),
                    problems: vec![Problem::new("", e.to_string())],
                }),
            }
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
pub fn pack_folders(dir: &Path) -> Result<Vec<PathBuf>, EngineError> {
    if dir.is_file() {
        let manifest = dir.file_name().is_some_and(|n| n == MANIFEST);
        let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
        return Err(EngineError::Other(match (manifest, parent) {
            (true, Some(p)) => format!(
                "{} is the manifest; pass the pack's folder instead: {}",
                dir.display(),
                p.display()
            ),
            _ => format!(
                "{} is a file, not a pack folder; pass a pack folder (one with {MANIFEST}) or a folder of packs",
                dir.display()
            ),
        }));
    }
    if !dir.is_dir() {
        return Err(EngineError::Other(format!(
            "{}: no such folder; pass a pack folder (one with {MANIFEST}) or a folder of packs",
            dir.display()
        )));
    }
    // Whatever stands at pack.yaml makes this a pack, so that a FIFO or a
    // device there is named when the pack is read, not called missing.
    if std::fs::symlink_metadata(dir.join(MANIFEST)).is_ok() {
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
            "{}: no pack here: neither it nor any sub-folder has a {MANIFEST}; pass a pack folder (one with {MANIFEST}) or a folder of pack folders",
            dir.display()
        )));
    }
    Ok(out)
}
