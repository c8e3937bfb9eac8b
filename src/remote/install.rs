//! Adding, updating and removing installed packs. Every path goes through
//! one pipeline: get the bytes (download, local archive or folder), check
//! the checksum, unpack into a staging folder inside the data dir, lint,
//! rename the pack folder into place, then rewrite `packs.lock`. Until the
//! lock is rewritten the previous version is what every run loads.

use std::path::{Path, PathBuf};

use super::archive::{unpack, ArchiveKind, Limits};
use super::diff::{diff_packs, PackDiff};
use super::fetch::Fetcher;
use super::index::{IndexEntry, IndexesFile, LoadedIndex};
use super::lock::{utc_timestamp, LockEntry, LockFile};
use super::{is_sha256, sha256_hex, Places};
use crate::error::{EngineError, Problem};
use crate::pack::{load_dir, Pack, PackSource, MANIFEST};

/// What `pack add` was given.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    pub source: String,
    pub sha256: Option<String>,
    /// The pack to take from an index or from an archive holding several.
    pub name: Option<String>,
}

/// How `pack update` decides to install a changed pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// `--yes`.
    Yes,
    /// Ask on the terminal; without one, install nothing.
    Ask,
}

/// What `pack update` did for one pack.
#[derive(Debug, Clone)]
pub enum UpdateOutcome {
    UpToDate {
        id: String,
        version: String,
    },
    Updated {
        diff: PackDiff,
        entry: LockEntry,
    },
    /// The change was shown and not confirmed.
    Declined {
        diff: PackDiff,
        new_sha256: String,
    },
}

/// The pack commands' shared state: folders, the HTTP client (made on
/// first use, so local sources never build one) and the unpack caps.
pub struct Installer {
    pub places: Places,
    pub limits: Limits,
    fetcher: Option<Fetcher>,
    /// No "downloading …" lines (for `--json`).
    pub quiet: bool,
}

/// Bytes or a folder, with what the lock will say about them.
struct Fetched {
    content: Content,
    source: String,
    sha256: String,
    index: Option<String>,
    /// The pack id an index entry promised.
    expect_id: Option<String>,
}

enum Content {
    Archive(Vec<u8>, ArchiveKind),
    Folder(PathBuf),
}

/// A pack unpacked and linted in a staging folder, not yet installed.
struct Staged {
    guard: StagingDir,
    root: PathBuf,
    pack: Pack,
    entry: LockEntry,
}

/// A staging folder removed when dropped unless it was renamed away.
struct StagingDir(PathBuf);

impl Drop for StagingDir {
    fn drop(&mut self) {
        if self.0.exists() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl Installer {
    pub fn new(places: Places) -> Installer {
        Installer {
            places,
            limits: Limits::default(),
            fetcher: None,
            quiet: false,
        }
    }

    fn fetcher(&mut self) -> Result<&Fetcher, String> {
        if self.fetcher.is_none() {
            let mut f = Fetcher::new()?;
            f.quiet = self.quiet;
            self.fetcher = Some(f);
        }
        self.fetcher
            .as_ref()
            .ok_or_else(|| "the HTTPS client is missing".to_string())
    }

    /// Reads a URL or a local file.
    fn read_location(&mut self, location: &str) -> Result<Vec<u8>, String> {
        if is_url(location) {
            self.fetcher()?.get(location)
        } else {
            crate::textfile::read_bytes(
                Path::new(location),
                crate::limits::PACK_ARCHIVE,
                "pack archives and indexes",
            )
            .map_err(|e| e.to_string())
        }
    }

    /// Downloads a URL (for `import-registry`).
    pub fn download(&mut self, url: &str) -> Result<Vec<u8>, String> {
        self.fetcher()?.get(url)
    }

    /// Fetches and parses a pack index (URL or local file).
    pub fn read_index(&mut self, location: &str) -> Result<LoadedIndex, String> {
        let bytes = self.read_location(location)?;
        LoadedIndex::parse(&bytes, location)
    }

    /// The indexes listed in the config dir's `indexes.yaml`.
    pub fn configured_indexes(&self) -> Result<Vec<String>, String> {
        IndexesFile::read(&self.places.indexes_file())
    }

    fn resolve(&mut self, opts: &AddOptions) -> Result<Fetched, String> {
        let src = opts.source.trim();
        if let Some(want) = &opts.sha256 {
            if !is_sha256(want) {
                return Err(format!(
                    "--sha256 {want}: a sha256 is 64 hexadecimal digits; copy it from the pack's publisher"
                ));
            }
        }
        if is_url(src) {
            let path = src.split(['?', '#']).next().unwrap_or(src);
            if path.ends_with(".yaml") || path.ends_with(".yml") {
                return self.fetch_via_index(src, opts);
            }
            let bytes = self.fetcher()?.get(src)?;
            return match ArchiveKind::sniff(&bytes) {
                Some(kind) => self.verified_archive(bytes, kind, src, opts.sha256.as_deref(), true),
                None if LoadedIndex::parse(&bytes, src).is_ok() => self.fetch_via_index(src, opts),
                None => Err(format!(
                    "{src}: neither a pack archive (.tar.gz, .tgz, .zip) nor a pack index; check the URL"
                )),
            };
        }
        let path = Path::new(src);
        if path.is_dir() {
            let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
            let sha = tree_sha256(&abs, &self.limits)?;
            if let Some(want) = &opts.sha256 {
                if !want.eq_ignore_ascii_case(&sha) {
                    return Err(mismatch(src, want, &sha));
                }
            }
            return Ok(Fetched {
                content: Content::Folder(abs.clone()),
                source: abs.display().to_string(),
                sha256: sha,
                index: None,
                expect_id: None,
            });
        }
        // Anything there but a folder is read as a file, so that a FIFO or
        // a device is named as such rather than called missing.
        if std::fs::symlink_metadata(path).is_ok() {
            let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
            let name = abs.display().to_string();
            if path.is_file() && (name.ends_with(".yaml") || name.ends_with(".yml")) {
                return self.fetch_via_index(&name, opts);
            }
            let bytes = crate::textfile::read_bytes(
                &abs,
                crate::limits::PACK_ARCHIVE,
                "pack archives and indexes",
            )
            .map_err(|e| e.to_string())?;
            let kind = ArchiveKind::sniff(&bytes).ok_or_else(|| {
                format!("{name}: not a pack archive (.tar.gz, .tgz, .zip) nor a pack index; pass an archive, a pack folder or an index")
            })?;
            return self.verified_archive(bytes, kind, &name, opts.sha256.as_deref(), false);
        }
        if is_id(src) {
            return self.fetch_configured(src, opts);
        }
        Err(format!(
            "{src}: no such file or folder, and not an https:// URL; pass a pack archive, a pack folder, an index or an https:// URL"
        ))
    }

    fn verified_archive(
        &self,
        bytes: Vec<u8>,
        kind: ArchiveKind,
        source: &str,
        want: Option<&str>,
        remote: bool,
    ) -> Result<Fetched, String> {
        let sha = sha256_hex(&bytes);
        match want {
            Some(w) if !w.eq_ignore_ascii_case(&sha) => return Err(mismatch(source, w, &sha)),
            Some(_) => {}
            None if remote => {
                return Err(format!(
                    "{source}: no checksum given, so the download cannot be verified and nothing was installed; its sha256 is {sha}: compare it with the one the pack's publisher states, then run `skillchain pack add {source} --sha256 {sha}`"
                ))
            }
            None => {}
        }
        Ok(Fetched {
            content: Content::Archive(bytes, kind),
            source: source.to_string(),
            sha256: sha,
            index: None,
            expect_id: None,
        })
    }

    fn fetch_via_index(&mut self, location: &str, opts: &AddOptions) -> Result<Fetched, String> {
        let index = self.read_index(location)?;
        let entry = pick_entry(&index, opts.name.as_deref())?;
        self.fetch_entry(&index, &entry, opts.sha256.as_deref())
    }

    fn fetch_entry(
        &mut self,
        index: &LoadedIndex,
        entry: &IndexEntry,
        want: Option<&str>,
    ) -> Result<Fetched, String> {
        if let Some(w) = want {
            if !w.eq_ignore_ascii_case(&entry.sha256) {
                return Err(format!(
                    "{}: the index gives sha256 {} for `{}`, not the {w} you passed; check which one the pack's publisher states",
                    index.location, entry.sha256, entry.id
                ));
            }
        }
        let archive = index.archive_location(entry)?;
        let bytes = self.read_location(&archive)?;
        let kind = ArchiveKind::sniff(&bytes).ok_or_else(|| {
            format!("{archive}: not a pack archive (.tar.gz, .tgz, .zip); the index `{}` points at the wrong file: tell its maintainer", index.location)
        })?;
        let mut fetched =
            self.verified_archive(bytes, kind, &archive, Some(&entry.sha256), true)?;
        fetched.index = Some(index.location.clone());
        fetched.expect_id = Some(entry.id.clone());
        Ok(fetched)
    }

    fn fetch_configured(&mut self, id: &str, opts: &AddOptions) -> Result<Fetched, String> {
        let indexes = self.configured_indexes()?;
        if indexes.is_empty() {
            return Err(format!(
                "{id}: no such file or folder, and no pack index is configured to look it up in; list indexes in {} or pass a URL",
                self.places.indexes_file().display()
            ));
        }
        for location in indexes {
            let index = self.read_index(&location)?;
            if let Some(entry) = index.entries.iter().find(|e| e.id == id).cloned() {
                return self.fetch_entry(&index, &entry, opts.sha256.as_deref());
            }
        }
        Err(format!(
            "{id}: no configured index lists this pack; `skillchain pack search WORDS` shows what they list"
        ))
    }

    /// Unpacks (or copies) into a staging folder and lints the pack.
    fn stage(&self, fetched: Fetched, name: Option<&str>) -> Result<Staged, EngineError> {
        let packs = self.places.packs_dir();
        std::fs::create_dir_all(&packs).map_err(|e| EngineError::io(&packs, e))?;
        if let Ok(lock) = LockFile::read(&self.places.lock_file()) {
            clean_leftovers(&packs, &lock);
        }
        let dir = packs.join(format!(
            ".staging-{}-{}",
            std::process::id(),
            crate::store::new_session_id()
        ));
        std::fs::create_dir(&dir).map_err(|e| EngineError::io(&dir, e))?;
        let guard = StagingDir(dir.clone());
        let refused = |problems: Vec<String>| {
            EngineError::Problems(crate::error::Problems::new(
                format!("pack {}", fetched.source),
                problems.into_iter().map(|p| Problem::new("", p)).collect(),
            ))
        };
        match &fetched.content {
            Content::Archive(bytes, kind) => {
                unpack(bytes, *kind, &dir, &self.limits, &fetched.source).map_err(refused)?;
            }
            Content::Folder(src) => copy_folder(src, &dir, &self.limits).map_err(refused)?,
        }
        let want = name.or(fetched.expect_id.as_deref());
        let root = find_pack_root(&dir, want)
            .map_err(|e| EngineError::Other(format!("{}: {e}", fetched.source)))?;
        let pack = load_dir(&root).map_err(|e| match e {
            EngineError::Problems(mut p) => {
                p.context = format!(
                    "pack from {} fails lint; nothing was installed; fix these and try again",
                    fetched.source
                );
                EngineError::Problems(p)
            }
            other => other,
        })?;
        if let Some(want) = want {
            if pack.id() != want {
                return Err(EngineError::Other(format!(
                    "{}: the pack's id is `{}`, not `{want}`; nothing was installed",
                    fetched.source,
                    pack.id()
                )));
            }
        }
        let entry = LockEntry {
            id: pack.id().to_string(),
            version: pack.manifest.version.clone(),
            source: fetched.source,
            sha256: fetched.sha256.to_ascii_lowercase(),
            installed_at: utc_timestamp(),
            index: fetched.index,
        };
        Ok(Staged {
            guard,
            root,
            pack,
            entry,
        })
    }

    /// Renames the staged pack into place and records it in the lock; the
    /// previous version's folder is removed only after the lock points away
    /// from it.
    fn commit(&self, staged: Staged) -> Result<(LockEntry, Option<LockEntry>), EngineError> {
        let _lock_guard = self.lock_guard()?;
        let packs = self.places.packs_dir();
        let target = packs.join(staged.entry.folder_name());
        if target.exists() {
            // Same id and checksum: the same files. Swap anyway, so a
            // damaged copy is repaired.
            let trash = packs.join(format!(".trash-{}", crate::store::new_session_id()));
            std::fs::rename(&target, &trash).map_err(|e| EngineError::io(&target, e))?;
            let _trash = StagingDir(trash);
            std::fs::rename(&staged.root, &target).map_err(|e| EngineError::io(&target, e))?;
        } else {
            std::fs::rename(&staged.root, &target).map_err(|e| EngineError::io(&target, e))?;
        }
        drop(staged.guard);
        let lock_path = self.places.lock_file();
        let mut lock = LockFile::read(&lock_path).map_err(EngineError::Other)?;
        let previous = lock.get(&staged.entry.id).cloned();
        lock.put(staged.entry.clone());
        lock.write(&lock_path).map_err(EngineError::Other)?;
        if let Some(old) = &previous {
            if old.folder_name() != staged.entry.folder_name() {
                let _ = std::fs::remove_dir_all(packs.join(old.folder_name()));
            }
        }
        Ok((staged.entry, previous))
    }

    /// Keeps two pack commands from rewriting the lock at once.
    fn lock_guard(&self) -> Result<crate::generate::FolderLock, EngineError> {
        store_lock(&self.places)
    }
}

/// What `pack add` installed, and the installed pack it replaced.
pub struct Added {
    pub entry: LockEntry,
    pub pack: Pack,
    pub replaced: Option<LockEntry>,
}

/// `pack add`: everything checked before anything is installed.
pub fn add(inst: &mut Installer, opts: &AddOptions) -> Result<Added, EngineError> {
    let fetched = inst.resolve(opts).map_err(EngineError::Other)?;
    let staged = inst.stage(fetched, opts.name.as_deref())?;
    let pack = staged.pack.clone();
    let (entry, replaced) = inst.commit(staged)?;
    Ok(Added {
        entry,
        pack,
        replaced,
    })
}

/// `pack update [ID]`: fetches each pack again from where it came from,
/// and installs a changed one only when `confirm` says so.
pub fn update(
    inst: &mut Installer,
    id: Option<&str>,
    confirm: Confirm,
    ask: &mut dyn FnMut(&PackDiff) -> bool,
) -> Result<Vec<UpdateOutcome>, EngineError> {
    let lock = LockFile::read(&inst.places.lock_file()).map_err(EngineError::Other)?;
    let entries: Vec<LockEntry> = match id {
        Some(id) => vec![lock.get(id).cloned().ok_or_else(|| not_installed(id))?],
        None => lock.packs.clone(),
    };
    let mut out = Vec::new();
    for old in entries {
        let fetched = match &old.index {
            Some(index) => {
                let index = inst.read_index(index).map_err(EngineError::Other)?;
                let entry = index.entries.iter().find(|e| e.id == old.id).cloned().ok_or_else(|| {
                    EngineError::Other(format!(
                        "{}: the index no longer lists `{}`; keep the installed version, or `skillchain pack remove {}`",
                        index.location, old.id, old.id
                    ))
                })?;
                if entry.sha256.eq_ignore_ascii_case(&old.sha256) {
                    out.push(UpdateOutcome::UpToDate {
                        id: old.id.clone(),
                        version: old.version.clone(),
                    });
                    continue;
                }
                inst.fetch_entry(&index, &entry, None)
                    .map_err(EngineError::Other)?
            }
            // A URL without a published checksum: the user's confirmation
            // of the shown change is the check.
            None if is_url(&old.source) => {
                let bytes = inst
                    .fetcher()
                    .and_then(|f| f.get(&old.source))
                    .map_err(EngineError::Other)?;
                let kind = ArchiveKind::sniff(&bytes).ok_or_else(|| {
                    EngineError::Other(format!(
                        "{}: no longer a pack archive (.tar.gz, .tgz, .zip); check with the pack's publisher",
                        old.source
                    ))
                })?;
                inst.verified_archive(bytes, kind, &old.source, None, false)
                    .map_err(EngineError::Other)?
            }
            None => {
                let opts = AddOptions {
                    source: old.source.clone(),
                    sha256: None,
                    name: Some(old.id.clone()),
                };
                inst.resolve(&opts).map_err(EngineError::Other)?
            }
        };
        if fetched.sha256.eq_ignore_ascii_case(&old.sha256) {
            out.push(UpdateOutcome::UpToDate {
                id: old.id.clone(),
                version: old.version.clone(),
            });
            continue;
        }
        let staged = inst.stage(fetched, Some(&old.id))?;
        let current = load_dir(&inst.places.packs_dir().join(old.folder_name())).ok();
        let diff = diff_packs(current.as_ref(), &old.version, &staged.pack);
        let yes = match confirm {
            Confirm::Yes => true,
            Confirm::Ask => ask(&diff),
        };
        if yes {
            let (entry, _) = inst.commit(staged)?;
            out.push(UpdateOutcome::Updated { diff, entry });
        } else {
            out.push(UpdateOutcome::Declined {
                diff,
                new_sha256: staged.entry.sha256.clone(),
            });
        }
    }
    Ok(out)
}

/// The config dir locked by skillchain's one advisory lock (see
/// [`crate::generate::FolderLock`]): a second pack command waits a few
/// seconds, then refuses naming the first; a killed one's lock is freed.
fn store_lock(places: &Places) -> Result<crate::generate::FolderLock, EngineError> {
    crate::generate::FolderLock::acquire_store(&places.config)
        .map_err(|e| EngineError::Other(e.to_string()))
}

/// `pack remove ID`.
pub fn remove(places: &Places, id: &str) -> Result<LockEntry, EngineError> {
    let _guard = store_lock(places)?;
    let lock_path = places.lock_file();
    let mut lock = LockFile::read(&lock_path).map_err(EngineError::Other)?;
    let entry = lock.get(id).cloned().ok_or_else(|| not_installed(id))?;
    lock.packs.retain(|p| p.id != id);
    lock.write(&lock_path).map_err(EngineError::Other)?;
    let dir = places.packs_dir().join(entry.folder_name());
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| EngineError::io(&dir, e))?;
    }
    Ok(entry)
}

fn not_installed(id: &str) -> EngineError {
    EngineError::Other(format!(
        "no installed pack `{id}`; `skillchain pack list` shows what is installed (bundled and config-dir packs are not removed or updated by this command)"
    ))
}

/// Installed packs, read from the data dir as `packs.lock` lists them; no
/// network. Each problem names the pack and what to do.
pub fn load_installed(places: &Places) -> (Vec<Pack>, Vec<Problem>) {
    let lock_path = places.lock_file();
    let lock = match LockFile::read(&lock_path) {
        Ok(l) => l,
        Err(e) => return (Vec::new(), vec![Problem::new("", e)]),
    };
    let mut packs = Vec::new();
    let mut problems = Vec::new();
    for entry in lock.packs {
        let dir = places.packs_dir().join(entry.folder_name());
        if !dir.join(MANIFEST).is_file() {
            problems.push(Problem::new(
                dir.display().to_string(),
                format!(
                    "installed pack `{}` is missing its files; run `skillchain pack add {}` again, or `skillchain pack remove {}`",
                    entry.id, entry.source, entry.id
                ),
            ));
            continue;
        }
        match load_dir(&dir) {
            Ok(mut pack) => {
                pack.source = PackSource::Installed {
                    url: entry.source.clone(),
                    sha256: entry.sha256.clone(),
                    version: entry.version.clone(),
                    installed_at: entry.installed_at.clone(),
                };
                packs.push(pack);
            }
            Err(e) => problems.push(Problem::new(
                dir.display().to_string(),
                format!(
                    "installed pack `{}` does not load: {}; run `skillchain pack update {}`, or `skillchain pack remove {}`",
                    entry.id,
                    e.to_string().trim_end(),
                    entry.id,
                    entry.id
                ),
            )),
        }
    }
    (packs, problems)
}

pub(crate) fn is_url(s: &str) -> bool {
    s.contains("://")
}

fn mismatch(source: &str, want: &str, got: &str) -> String {
    format!(
        "{source}: checksum mismatch: expected sha256 {want}, got {got}; the file changed since its checksum was published, or was altered on the way. Nothing was installed. Ask the pack's publisher which is right; pass --sha256 {got} only if they confirm it"
    )
}

fn pick_entry(index: &LoadedIndex, name: Option<&str>) -> Result<IndexEntry, String> {
    let ids = || {
        index
            .entries
            .iter()
            .map(|e| e.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match name {
        Some(n) => index
            .entries
            .iter()
            .find(|e| e.id == n)
            .cloned()
            .ok_or_else(|| {
                let bad = index
                    .problems
                    .iter()
                    .find(|p| p.contains(&format!("`{n}`")))
                    .map(|p| format!(" (its entry is broken: {p})"))
                    .unwrap_or_default();
                format!(
                    "{}: no usable pack `{n}` in this index{bad}; it lists: {}",
                    index.location,
                    ids()
                )
            }),
        None if index.listed == 1 && index.entries.len() == 1 => Ok(index.entries[0].clone()),
        None => Err(format!(
            "{}: the index lists {} packs; choose one with --name ID: {}{}",
            index.location,
            index.listed,
            ids(),
            if index.problems.is_empty() {
                String::new()
            } else {
                format!(
                    " ({} more with broken entries: {})",
                    index.problems.len(),
                    index.problems.join("; ")
                )
            }
        )),
    }
}

/// The pack folder in an unpacked archive: the folder itself, or the one
/// sub-folder (at most two levels down) with a `pack.yaml`; with several,
/// the one whose id is `name`.
pub fn find_pack_root(dir: &Path, name: Option<&str>) -> Result<PathBuf, String> {
    if dir.join(MANIFEST).is_file() {
        return Ok(dir.to_path_buf());
    }
    let subdirs = |d: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(d)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_dir())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    let mut level = subdirs(dir);
    let mut candidates: Vec<PathBuf> = level
        .iter()
        .filter(|p| p.join(MANIFEST).is_file())
        .cloned()
        .collect();
    if candidates.is_empty() && level.len() == 1 {
        level = subdirs(&level[0]);
        candidates = level
            .iter()
            .filter(|p| p.join(MANIFEST).is_file())
            .cloned()
            .collect();
    }
    let id_of = |p: &Path| -> String {
        crate::textfile::read(&p.join(MANIFEST), crate::limits::PACK_FILE, "pack files")
            .ok()
            .and_then(|t| serde_yaml::from_str::<serde_yaml::Value>(&t).ok())
            .and_then(|v| v.get("id").and_then(|i| i.as_str().map(str::to_string)))
            .unwrap_or_default()
    };
    match (candidates.len(), name) {
        (0, _) => Err(format!(
            "no {MANIFEST} found; a pack archive holds one pack folder (with {MANIFEST}) at its top or one folder down"
        )),
        (1, _) => Ok(candidates.remove(0)),
        (_, Some(n)) => candidates.into_iter().find(|p| id_of(p) == n).ok_or_else(|| {
            format!("it holds several packs and none has the id `{n}`")
        }),
        (_, None) => Err(format!(
            "it holds several packs ({}); choose one with --name ID",
            candidates.iter().map(|p| id_of(p)).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// Copies a local pack folder into staging: regular files only (hidden
/// entries skipped as when loading; links refused), under the same caps as
/// an archive.
fn copy_folder(src: &Path, dest: &Path, limits: &Limits) -> Result<(), Vec<String>> {
    let files = folder_files(src, limits)?;
    for (rel, path) in files {
        let to = dest.join(&rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| vec![format!("{}: {e}", parent.display())])?;
        }
        std::fs::copy(&path, &to)
            .map_err(|e| vec![format!("{}: cannot copy ({e})", path.display())])?;
    }
    Ok(())
}

/// The regular files of a folder, sorted by relative path.
pub(crate) fn folder_files(
    src: &Path,
    limits: &Limits,
) -> Result<Vec<(String, PathBuf)>, Vec<String>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut total = 0u64;
    let walker = walkdir::WalkDir::new(src)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| vec![format!("{}: cannot read ({e})", src.display())])?;
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(src)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if !ft.is_file() {
            let kind = std::fs::symlink_metadata(entry.path())
                .ok()
                .as_ref()
                .and_then(crate::textfile::kind_of)
                .unwrap_or("special file");
            problems.push(format!(
                "{}: `{rel}` {}; a pack holds regular files only: replace it with the file itself",
                src.display(),
                crate::textfile::not_regular(kind)
            ));
            continue;
        }
        total += entry.metadata().map(|m| m.len()).unwrap_or(0);
        if out.len() >= limits.max_entries || total > limits.max_total_bytes {
            return Err(vec![format!(
                "{}: more than {} files or {} bytes; is this a pack folder?",
                src.display(),
                limits.max_entries,
                limits.max_total_bytes
            )]);
        }
        out.push((rel, entry.path().to_path_buf()));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// A checksum of a folder's files: their sorted relative paths, sizes and
/// contents. Stable across machines, so `pack update` sees a changed folder.
pub(crate) fn tree_sha256(src: &Path, limits: &Limits) -> Result<String, String> {
    use sha2::Digest;
    let files = folder_files(src, limits).map_err(|p| p.join("\n"))?;
    let mut hasher = sha2::Sha256::new();
    for (rel, path) in files {
        let bytes = crate::textfile::read_bytes(&path, limits.max_total_bytes, "pack files")
            .map_err(|e| e.to_string())?;
        hasher.update(rel.as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    Ok(super::hex(&hasher.finalize()))
}

/// Removes what an interrupted command left behind: staging and trash
/// folders, and pack folders the lock does not point at (killed between
/// the rename and the lock rewrite). Only those older than an hour: a
/// running command may own a newer one.
fn clean_leftovers(packs: &Path, lock: &LockFile) {
    let Ok(rd) = std::fs::read_dir(packs) else {
        return;
    };
    let live: Vec<String> = lock.packs.iter().map(LockEntry::folder_name).collect();
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let leftover = name.starts_with(".staging-")
            || name.starts_with(".trash-")
            || (!name.starts_with('.') && !live.contains(&name));
        if !leftover || !e.path().is_dir() {
            continue;
        }
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 3600);
        if old {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// A pack id: lower-case letters, digits and dashes.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}
