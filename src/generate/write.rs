//! Writing generated files into the output folder, all or nothing.
//!
//! This module owns the on-disk transaction: checking every item before the disk is
//! touched, staging the new contents inside the output folder, moving them into place
//! with backups, undoing everything when any step fails, and cleaning staging folders
//! left behind by a killed run. It also owns [`atomic_write`], the single-file
//! version that the session store reuses.
//!
//! Why it is safe to kill the process at any moment: new contents reach a target path
//! only by `rename`/`link` of a complete, fsynced staged file, so a target is always
//! either its old content or its new content, never half of one. Backups are hard
//! links (or copies) taken while the original stays in place, so there is no moment
//! when a target is missing.

use std::collections::{BTreeSet, HashMap};
use std::fs::{self, File, TryLockError};
use std::io::{self, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::unsafe_path;
use crate::error::Problem;

/// Folder inside the output folder where skillchain keeps its own files.
pub const STATE_DIR: &str = ".skillchain";
/// The life of a staging folder, all directly in `STATE_DIR`, one random suffix:
/// `prep-X` while it is being set up, renamed to `staging-X` once its lock file
/// is held (so a `staging-X` is never unlocked while its run lives), renamed to
/// `discard-X` before it is deleted (so a kill halfway through deleting leaves
/// something obviously dead), or to `rescued-X` if it holds originals that a
/// failed rollback could not put back (never deleted automatically).
const PREP_PREFIX: &str = "prep-";
const STAGING_PREFIX: &str = "staging-";
const DISCARD_PREFIX: &str = "discard-";
const RESCUED_PREFIX: &str = "rescued-";
const RESERVED_PREFIXES: [&str; 4] = [PREP_PREFIX, STAGING_PREFIX, DISCARD_PREFIX, RESCUED_PREFIX];
/// Held locked for the whole write, so a later call can tell a live staging
/// folder (locked) from one left by a killed run (unlocked: the OS drops the
/// locks of a dead process).
const LOCK_FILE: &str = "lock";
/// A `prep-X` folder may belong to a run that is starting right now; only after
/// this long is it surely abandoned.
const PREP_GRACE: Duration = Duration::from_secs(60);

/// What to do when the target file already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// The target must not exist, or must already hold exactly this content.
    Create,
    /// Replace whatever file is there (the user chose to, or `--force`).
    Overwrite,
}

/// One file to write, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteItem {
    /// Relative and `/`-separated, e.g. `dbt/models/staging/orders.sql`.
    pub path: String,
    pub content: Vec<u8>,
    pub mode: WriteMode,
}

impl WriteItem {
    pub fn new(path: impl Into<String>, content: impl Into<Vec<u8>>, mode: WriteMode) -> Self {
        WriteItem {
            path: path.into(),
            content: content.into(),
            mode,
        }
    }
}

/// What a successful [`write_all`] did, each list in item order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteSummary {
    pub created: Vec<String>,
    pub overwritten: Vec<String>,
    /// Already held exactly this content; left untouched (mtime included).
    pub unchanged: Vec<String>,
}

/// A filesystem step that failed: what was being done, to which file, and what
/// the user can do about it.
#[derive(Debug, thiserror::Error)]
#[error("could not {action} `{path}`: {source}; {hint}")]
pub struct WriteFailure {
    /// e.g. `create the folder`, `stage`, `back up`, `move into place`.
    pub action: &'static str,
    /// The item path (relative) or, for the output folder itself, its full path.
    pub path: String,
    #[source]
    pub source: io::Error,
    pub hint: String,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The items were checked and refused before anything on disk was changed.
    #[error("{}", refused_message(.0))]
    Refused(Vec<Problem>),
    /// A step failed and everything this call had changed was put back.
    #[error("{0}\nnothing was changed: every file written so far was put back")]
    RolledBack(#[source] WriteFailure),
    /// A step failed and putting things back failed too; `leftovers` says what
    /// is not as it was and where any original content was kept.
    #[error("{failure}\nputting things back also failed, so the output folder is not as it was:\n{}", bullet_list(.leftovers))]
    RollbackIncomplete {
        #[source]
        failure: WriteFailure,
        leftovers: Vec<String>,
    },
}

fn refused_message(problems: &[Problem]) -> String {
    let n = problems.len();
    let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    format!(
        "nothing was written: {n} problem{}\n{}",
        if n == 1 { "" } else { "s" },
        bullet_list(&lines)
    )
}

fn bullet_list(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| format!("  - {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Write `content` to `path` so that a reader (or a crash) sees either the old
/// file or the new one, never a mix: temp file in the same folder, fsync, rename,
/// fsync the folder. An existing file keeps its permissions; a new one is private
/// to the user, since session files can hold answers.
pub fn atomic_write(path: &Path, content: &[u8]) -> io::Result<()> {
    replace_via_temp(path, content, true)?;
    sync_dir(parent_or_dot(path))
}

/// The atomic part of [`atomic_write`] without the fsyncs: another process
/// (or this one after a kill) sees the old or the new content, never a mix,
/// but an OS crash before [`make_durable`] may lose the new one. For saves
/// that must not delay the next frame.
pub fn atomic_replace(path: &Path, content: &[u8]) -> io::Result<()> {
    replace_via_temp(path, content, false)
}

/// Writes a temp file beside `path` (flushed first when `sync`) and renames
/// it over `path`.
fn replace_via_temp(path: &Path, content: &[u8], sync: bool) -> io::Result<()> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            ErrorKind::InvalidInput,
            format!("`{}` does not name a file", path.display()),
        )
    })?;
    let dir = parent_or_dot(path);
    // A recognisable name, so a temp file left by a kill is obviously ours.
    let prefix = format!(".{}.", name.to_string_lossy());
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(content)?;
    if let Ok(meta) = fs::metadata(path) {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    if sync {
        tmp.as_file().sync_all()?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Flushes a file written by [`atomic_replace`], and its folder's entry,
/// to the disk.
pub fn make_durable(path: &Path) -> io::Result<()> {
    File::open(path)?.sync_all()?;
    sync_dir(parent_or_dot(path))
}

/// Write every item under `root`, or nothing at all. See the module comment for
/// the guarantees; `root` is created if missing.
pub fn write_all(root: &Path, items: &[WriteItem]) -> Result<WriteSummary, WriteError> {
    let plan = check(root, items).map_err(WriteError::Refused)?;
    let mut summary = WriteSummary::default();
    for p in &plan {
        let list = match p.action {
            Action::Unchanged => &mut summary.unchanged,
            Action::Create => &mut summary.created,
            Action::Replace => &mut summary.overwritten,
        };
        list.push(p.rel.clone());
    }
    let mut txn = Txn {
        root,
        created_dirs: Vec::new(),
        staging: None,
        lock: None,
        placed: Vec::new(),
    };
    match txn.run(&plan) {
        Ok(()) => {
            txn.finish();
            Ok(summary)
        }
        Err(failure) => Err(txn.roll_back(failure)),
    }
}

// ---------------------------------------------------------------------------
// Checking, before the disk is touched.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Unchanged,
    Create,
    Replace,
}

struct Planned<'a> {
    /// Index in the caller's items; names the staged file.
    index: usize,
    /// Normalised `/`-separated relative path.
    rel: String,
    segments: Vec<&'a str>,
    content: &'a [u8],
    action: Action,
}

/// Every reason the items cannot be written, all at once, or the plan.
fn check<'a>(root: &Path, items: &'a [WriteItem]) -> Result<Vec<Planned<'a>>, Vec<Problem>> {
    let mut problems = Vec::new();
    let root_exists = match fs::metadata(root) {
        Ok(meta) if meta.is_dir() => true,
        Ok(_) => {
            problems.push(Problem::new(
                root.display().to_string(),
                "the output folder is a file; choose another output folder",
            ));
            false
        }
        Err(e) if e.kind() == ErrorKind::NotFound => false,
        Err(e) => {
            problems.push(Problem::new(
                root.display().to_string(),
                format!(
                    "cannot inspect the output folder: {e}; check permissions on `{}`",
                    parent_or_dot(root).display()
                ),
            ));
            false
        }
    };
    if root_exists {
        check_state_dir(root, &mut problems);
    }

    // Paths that some item needs to be a folder, with the first item needing it.
    let mut folders: HashMap<String, String> = HashMap::new();
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    let mut shaped = Vec::new();
    for (index, item) in items.iter().enumerate() {
        if let Some(why) = unsafe_path(&item.path) {
            problems.push(Problem::new(&item.path, why));
            continue;
        }
        // unsafe_path treats `\` as a separator too; split the same way so the
        // check and the write agree on what the path means.
        let segments: Vec<&str> = item.path.split(['/', '\\']).collect();
        let rel = segments.join("/");
        if is_reserved(&segments) {
            problems.push(Problem::new(
                &item.path,
                format!(
                    "is reserved for skillchain's own staging (`{STATE_DIR}` itself and `{STATE_DIR}/{}*`); choose another path",
                    RESERVED_PREFIXES.join("*`, `")
                ),
            ));
            continue;
        }
        if let Some(first) = first_seen.get(&rel) {
            problems.push(Problem::new(
                &item.path,
                format!(
                    "is listed twice (items {} and {}); each file can be written once",
                    first + 1,
                    index + 1
                ),
            ));
            continue;
        }
        first_seen.insert(rel.clone(), index);
        for depth in 1..segments.len() {
            folders
                .entry(segments[..depth].join("/"))
                .or_insert_with(|| rel.clone());
        }
        shaped.push((index, item, rel, segments));
    }

    let mut plan = Vec::new();
    for (index, item, rel, segments) in shaped {
        if let Some(child) = folders.get(&rel) {
            problems.push(Problem::new(
                &item.path,
                format!("is written as a file, but `{child}` needs it to be a folder"),
            ));
            continue;
        }
        let action = if root_exists {
            match inspect_target(root, &segments, item) {
                Ok(action) => action,
                Err(why) => {
                    problems.push(Problem::new(&item.path, why));
                    continue;
                }
            }
        } else {
            Action::Create
        };
        plan.push(Planned {
            index,
            rel,
            segments,
            content: &item.content,
            action,
        });
    }

    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(problems)
    }
}

fn is_reserved(segments: &[&str]) -> bool {
    segments == [STATE_DIR]
        || (segments.first() == Some(&STATE_DIR)
            && segments
                .get(1)
                .is_some_and(|s| RESERVED_PREFIXES.iter().any(|p| s.starts_with(p))))
}

/// Staging lives in `root/.skillchain`, so it must be a real folder (a link could
/// put staging, and so our writes, outside the output folder).
fn check_state_dir(root: &Path, problems: &mut Vec<Problem>) {
    let dir = root.join(STATE_DIR);
    match fs::symlink_metadata(&dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(meta) => problems.push(Problem::new(
            STATE_DIR,
            format!(
                "is a {}, but skillchain keeps its files in a folder there; move it away",
                kind_name(&meta)
            ),
        )),
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => problems.push(Problem::new(
            STATE_DIR,
            format!(
                "cannot inspect it: {e}; check permissions on `{}`",
                root.display()
            ),
        )),
    }
}

/// What writing `segments` needs to do, or why it must not: every existing parent
/// must be a real folder (never a link), and the target a regular file or absent.
fn inspect_target(root: &Path, segments: &[&str], item: &WriteItem) -> Result<Action, String> {
    let mut path = root.to_path_buf();
    for (depth, seg) in segments.iter().enumerate() {
        path.push(seg);
        let shown = segments[..=depth].join("/");
        let is_target = depth + 1 == segments.len();
        let meta = match fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            // Nothing below a missing folder can exist either.
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Action::Create),
            Err(e) => {
                return Err(format!(
                    "cannot inspect `{shown}`: {e}; check permissions on `{}`",
                    parent_or_dot(&path).display()
                ))
            }
        };
        if meta.file_type().is_symlink() {
            let where_to = if points_outside(root, &path) {
                "which points outside the output folder"
            } else {
                "and links are never followed"
            };
            return Err(if is_target {
                format!("is a symbolic link, {where_to}; remove the link or choose another path")
            } else {
                format!("passes through the symbolic link `{shown}`, {where_to}; remove the link or choose another path")
            });
        }
        if !is_target {
            if !meta.is_dir() {
                return Err(format!(
                    "needs `{shown}` to be a folder, but it is a {}; move it away or choose another path",
                    kind_name(&meta)
                ));
            }
            continue;
        }
        if !meta.is_file() {
            return Err(format!(
                "is a {} on disk, so a file cannot be written there; move it away or choose another path",
                kind_name(&meta)
            ));
        }
        // Equal sizes are needed before reading; most changed files differ in size.
        let same = if meta.len() == item.content.len() as u64 {
            fs::read(&path).map(|old| old == item.content)
        } else {
            Ok(false)
        };
        return match (same, item.mode) {
            (Ok(true), _) => Ok(Action::Unchanged),
            (Ok(false), WriteMode::Create) => Err(
                "already exists with different content; choose to overwrite or keep it".to_string(),
            ),
            (Err(e), WriteMode::Create) => Err(format!(
                "already exists and cannot be read to compare it: {e}; check permissions on it"
            )),
            // Overwrite was chosen, so an unreadable file is simply replaced.
            (_, WriteMode::Overwrite) => Ok(Action::Replace),
        };
    }
    // `segments` is never empty (unsafe_path refuses empty paths).
    Ok(Action::Create)
}

/// Only used to word the message: every link is refused either way.
fn points_outside(root: &Path, link: &Path) -> bool {
    match (fs::canonicalize(root), fs::canonicalize(link)) {
        (Ok(root), Ok(target)) => !target.starts_with(root),
        // A dangling link cannot be placed; call it outside to be safe.
        _ => true,
    }
}

fn kind_name(meta: &fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        "folder"
    } else if t.is_file() {
        "file"
    } else if t.is_symlink() {
        "symbolic link"
    } else {
        "special file"
    }
}

// ---------------------------------------------------------------------------
// The transaction: stage, move into place, then clean up or roll back.

/// A target this call has changed, and where its original content is kept.
struct Placed {
    rel: String,
    target: PathBuf,
    backup: Option<PathBuf>,
}

struct Txn<'a> {
    root: &'a Path,
    /// Folders this call created, in creation order (parents first).
    created_dirs: Vec<PathBuf>,
    staging: Option<PathBuf>,
    lock: Option<File>,
    /// Targets changed so far, in order.
    placed: Vec<Placed>,
}

impl Txn<'_> {
    fn run(&mut self, plan: &[Planned<'_>]) -> Result<(), WriteFailure> {
        self.create_root()?;
        clean_stale_staging(&self.root.join(STATE_DIR));
        let changes: Vec<&Planned<'_>> = plan
            .iter()
            .filter(|p| p.action != Action::Unchanged)
            .collect();
        if changes.is_empty() {
            return Ok(());
        }
        let staging = self.start_staging()?;
        for p in &changes {
            self.stage(&staging, p)?;
        }
        // Every staged file must be on disk before any target points at it.
        sync_filesystem_or(&staging.join("new"), || sync_dir(&staging.join("new")))
            .map_err(|e| failure("flush", rel_of(self.root, &staging), e, self.root))?;
        for p in &changes {
            self.place(&staging, p)?;
        }
        match sync_filesystem(self.root) {
            Some(r) => {
                r.map_err(|e| failure("flush", self.root.display().to_string(), e, self.root))
            }
            None => self.sync_touched_dirs(),
        }
    }

    /// Create `root` and any missing parents, remembering them for rollback.
    fn create_root(&mut self) -> Result<(), WriteFailure> {
        let mut missing = Vec::new();
        let mut dir = self.root;
        loop {
            if dir.as_os_str().is_empty() || fs::symlink_metadata(dir).is_ok() {
                break;
            }
            missing.push(dir.to_path_buf());
            match dir.parent() {
                Some(parent) => dir = parent,
                None => break,
            }
        }
        for dir in missing.into_iter().rev() {
            if let Err(e) = fs::create_dir(&dir) {
                return Err(failure(
                    "create the output folder",
                    dir.display().to_string(),
                    e,
                    parent_or_dot(&dir),
                ));
            }
            self.created_dirs.push(dir);
        }
        Ok(())
    }

    fn start_staging(&mut self) -> Result<PathBuf, WriteFailure> {
        let state = self.root.join(STATE_DIR);
        self.create_dir(&state, STATE_DIR)?;
        let fail = |e| {
            failure(
                "create a staging folder in",
                STATE_DIR.to_string(),
                e,
                &state,
            )
        };
        let prep = tempfile::Builder::new()
            .prefix(PREP_PREFIX)
            .tempdir_in(&state)
            .map_err(fail)?
            .keep();
        self.staging = Some(prep.clone());
        let lock = File::create_new(prep.join(LOCK_FILE)).map_err(fail)?;
        lock.try_lock().map_err(|e| match e {
            TryLockError::Error(e) => fail(e),
            TryLockError::WouldBlock => fail(io::Error::other("its lock is held by another run")),
        })?;
        self.lock = Some(lock);
        fs::create_dir(prep.join("new")).map_err(fail)?;
        fs::create_dir(prep.join("backup")).map_err(fail)?;
        let staging = renamed(&prep, PREP_PREFIX, STAGING_PREFIX);
        fs::rename(&prep, &staging).map_err(fail)?;
        self.staging = Some(staging.clone());
        Ok(staging)
    }

    /// Write the new content to `staging/new/<index>` and fsync it.
    fn stage(&self, staging: &Path, p: &Planned<'_>) -> Result<(), WriteFailure> {
        let staged = staging.join("new").join(p.index.to_string());
        // Staging shares the output folder's drive and permissions, so point the
        // user at the output folder rather than at our temporary one.
        let fail = |e| failure("stage", p.rel.clone(), e, self.root);
        let mut file = File::create_new(&staged).map_err(fail)?;
        file.write_all(p.content).map_err(fail)?;
        if p.action == Action::Replace {
            // A replaced script stays executable, a private file stays private.
            if let Ok(meta) = fs::metadata(self.root.join(&p.rel)) {
                file.set_permissions(meta.permissions()).map_err(fail)?;
            }
        }
        if cfg!(target_os = "linux") {
            // Flushed all at once by `syncfs` in `run`.
            Ok(())
        } else {
            file.sync_all().map_err(fail)
        }
    }

    /// Create the target's missing folders, back up a replaced original, and move
    /// the staged file into place.
    fn place(&mut self, staging: &Path, p: &Planned<'_>) -> Result<(), WriteFailure> {
        let mut target = self.root.to_path_buf();
        for depth in 0..p.segments.len() - 1 {
            target.push(p.segments[depth]);
            self.create_dir(&target, &p.segments[..=depth].join("/"))?;
        }
        target.push(p.segments[p.segments.len() - 1]);
        let staged = staging.join("new").join(p.index.to_string());
        let folder = parent_or_dot(&target).to_path_buf();
        match p.action {
            Action::Unchanged => Ok(()),
            Action::Create => {
                place_new(&staged, &target)
                    .map_err(|e| failure("write", p.rel.clone(), e, &folder))?;
                self.placed.push(Placed {
                    rel: p.rel.clone(),
                    target,
                    backup: None,
                });
                Ok(())
            }
            Action::Replace => {
                let backup = staging.join("backup").join(p.index.to_string());
                back_up(&target, &backup)
                    .map_err(|e| failure("back up", p.rel.clone(), e, &folder))?;
                fs::rename(&staged, &target)
                    .map_err(|e| failure("replace", p.rel.clone(), e, &folder))?;
                self.placed.push(Placed {
                    rel: p.rel.clone(),
                    target,
                    backup: Some(backup),
                });
                Ok(())
            }
        }
    }

    /// `mkdir` one folder if it is missing, remembering it for rollback.
    fn create_dir(&mut self, dir: &Path, shown: &str) -> Result<(), WriteFailure> {
        match fs::create_dir(dir) {
            Ok(()) => {
                self.created_dirs.push(dir.to_path_buf());
                Ok(())
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                match fs::symlink_metadata(dir) {
                    Ok(meta) if meta.is_dir() => Ok(()),
                    // Something appeared since the check; never write through it.
                    _ => Err(failure(
                        "create the folder",
                        shown.to_string(),
                        io::Error::new(ErrorKind::AlreadyExists, "a file or link is in the way"),
                        parent_or_dot(dir),
                    )),
                }
            }
            Err(e) => Err(failure(
                "create the folder",
                shown.to_string(),
                e,
                parent_or_dot(dir),
            )),
        }
    }

    /// Renames are only durable once their folder is flushed.
    fn sync_touched_dirs(&self) -> Result<(), WriteFailure> {
        let mut dirs = BTreeSet::new();
        for placed in &self.placed {
            dirs.insert(parent_or_dot(&placed.target).to_path_buf());
        }
        for dir in &self.created_dirs {
            dirs.insert(parent_or_dot(dir).to_path_buf());
        }
        for dir in dirs {
            sync_dir(&dir).map_err(|e| failure("flush", dir.display().to_string(), e, &dir))?;
        }
        Ok(())
    }

    fn finish(mut self) {
        // The files are in place; a staging folder that cannot be removed now is
        // harmless and the next call removes it, so it does not fail the write.
        if let Some(staging) = self.staging.take() {
            let _ = remove_staging(&staging, self.lock.take());
        }
        self.remove_state_dir_if_created();
    }

    /// Remove `.skillchain` again if this call created it and nothing else lives there.
    fn remove_state_dir_if_created(&mut self) {
        let state = self.root.join(STATE_DIR);
        if let Some(pos) = self.created_dirs.iter().position(|d| *d == state) {
            if fs::remove_dir(&state).is_ok() {
                self.created_dirs.remove(pos);
            }
        }
    }

    /// Undo everything in reverse order; report what could not be undone.
    fn roll_back(mut self, failure: WriteFailure) -> WriteError {
        let mut leftovers = Vec::new();
        // (item path, backup file name, why it could not be restored)
        let mut unrestored = Vec::new();
        for placed in self.placed.drain(..).rev() {
            match &placed.backup {
                Some(backup) => {
                    if let Err(e) = fs::rename(backup, &placed.target) {
                        let name = backup.file_name().unwrap_or_default().to_owned();
                        unrestored.push((placed.rel, name, e));
                    }
                }
                None => {
                    if let Err(e) = fs::remove_file(&placed.target) {
                        if e.kind() != ErrorKind::NotFound {
                            leftovers.push(format!(
                                "`{}` was created and could not be removed: {e}",
                                placed.rel
                            ));
                        }
                    }
                }
            }
        }
        if let Some(staging) = self.staging.take() {
            if unrestored.is_empty() {
                if let Err(e) = remove_staging(&staging, self.lock.take()) {
                    leftovers.push(format!(
                        "the staging folder `{}` could not be removed ({e}); the next write removes it",
                        staging.display()
                    ));
                }
            } else {
                // It holds originals we could not put back: move it where no
                // cleanup will ever delete it, and say where.
                let rescued = renamed(&staging, STAGING_PREFIX, RESCUED_PREFIX);
                let kept = if fs::rename(&staging, &rescued).is_ok() {
                    rescued
                } else {
                    staging
                };
                self.lock = None;
                for (rel, name, e) in unrestored {
                    leftovers.push(format!(
                        "`{rel}` still has the new content ({e}); its original is kept at `{}`",
                        kept.join("backup").join(name).display()
                    ));
                }
            }
        }
        for dir in self.created_dirs.drain(..).rev() {
            if let Err(e) = fs::remove_dir(&dir) {
                if e.kind() != ErrorKind::NotFound {
                    leftovers.push(format!(
                        "the folder `{}` was created and could not be removed: {e}",
                        dir.display()
                    ));
                }
            }
        }
        if leftovers.is_empty() {
            WriteError::RolledBack(failure)
        } else {
            WriteError::RollbackIncomplete { failure, leftovers }
        }
    }
}

/// Put a staged file at a target that should not exist. A hard link fails if the
/// target appeared since the check, so a file that someone else just created is
/// never clobbered; where links are unsupported, fall back to check-then-rename.
fn place_new(staged: &Path, target: &Path) -> io::Result<()> {
    match rename_no_replace(staged, target) {
        Some(Ok(())) => return Ok(()),
        Some(Err(e)) if e.kind() == ErrorKind::AlreadyExists => {
            return Err(io::Error::new(
                ErrorKind::AlreadyExists,
                "a file appeared there while writing",
            ))
        }
        // Unsupported here (another OS, or a filesystem without the flag).
        _ => {}
    }
    match fs::hard_link(staged, target) {
        Ok(()) => {
            // The staged name is only a second link to the placed file, and the
            // staging folder is removed at the end anyway.
            let _ = fs::remove_file(staged);
            Ok(())
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(io::Error::new(
            ErrorKind::AlreadyExists,
            "a file appeared there while writing",
        )),
        Err(link_error) => match fs::symlink_metadata(target) {
            Err(e) if e.kind() == ErrorKind::NotFound => fs::rename(staged, target),
            Ok(_) => Err(io::Error::new(
                ErrorKind::AlreadyExists,
                "a file appeared there while writing",
            )),
            Err(_) => Err(link_error),
        },
    }
}

/// Keep the original of a file about to be replaced. A hard link leaves the
/// original in place (no moment without a file at the target) and costs no space;
/// a copy is the fallback where links are unsupported.
fn back_up(target: &Path, backup: &Path) -> io::Result<()> {
    if fs::hard_link(target, backup).is_ok() {
        return Ok(());
    }
    fs::copy(target, backup)?;
    File::open(backup)?.sync_all()
}

/// Delete a staging folder: first rename it to `discard-X` while still holding its
/// lock (one atomic step that marks it dead for every other run), then delete.
fn remove_staging(staging: &Path, lock: Option<File>) -> io::Result<()> {
    let discard = renamed(staging, STAGING_PREFIX, DISCARD_PREFIX);
    let doomed = if fs::rename(staging, &discard).is_ok() {
        discard.as_path()
    } else {
        // The rename failed: delete it where it is.
        staging
    };
    drop(lock);
    remove_tree(doomed)
}

fn remove_tree(dir: &Path) -> io::Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Remove what runs that were killed left in `STATE_DIR`. Best effort: what cannot
/// be removed now is retried next time, and never in this write's way (its
/// folder name is random).
fn clean_stale_staging(state: &Path) {
    let Ok(entries) = fs::read_dir(state) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        if name.starts_with(DISCARD_PREFIX) {
            let _ = remove_tree(&path);
        } else if name.starts_with(STAGING_PREFIX) {
            // A `staging-X` is born locked, so a lock we can take means its run
            // is dead. Hold it while renaming, like the owner would.
            if let Some(lock) = take_abandoned_lock(&path) {
                let _ = remove_staging(&path, lock);
            }
        } else if name.starts_with(PREP_PREFIX) && older_than(&path, PREP_GRACE) {
            let _ = remove_tree(&path);
        }
    }
}

/// `Some(lock)` when no living run owns `staging` (`Some(None)`: no lock file at
/// all, which only a manual edit produces); `None` while its owner still runs.
fn take_abandoned_lock(staging: &Path) -> Option<Option<File>> {
    match File::open(staging.join(LOCK_FILE)) {
        Ok(lock) => lock.try_lock().is_ok().then_some(Some(lock)),
        Err(e) if e.kind() == ErrorKind::NotFound => Some(None),
        Err(_) => None,
    }
}

fn older_than(path: &Path, age: Duration) -> bool {
    fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|elapsed| elapsed > age)
}

/// `dir/<from>X` → `dir/<to>X`.
fn renamed(path: &Path, from: &str, to: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let suffix = name.strip_prefix(from).unwrap_or(&name);
    path.with_file_name(format!("{to}{suffix}"))
}

// ---------------------------------------------------------------------------
// Small helpers.

fn failure(action: &'static str, path: String, source: io::Error, dir: &Path) -> WriteFailure {
    let hint = hint_for(&source, dir);
    WriteFailure {
        action,
        path,
        source,
        hint,
    }
}

/// What the user can do about an I/O error; `dir` is the folder being written.
fn hint_for(e: &io::Error, dir: &Path) -> String {
    let dir = dir.display();
    match e.kind() {
        ErrorKind::PermissionDenied => format!("check permissions on `{dir}`"),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            format!("free some disk space on the drive holding `{dir}` and try again")
        }
        ErrorKind::ReadOnlyFilesystem => {
            format!("`{dir}` is on a read-only drive; choose another output folder")
        }
        ErrorKind::InvalidFilename => {
            "the name is too long or not allowed on this drive; shorten or rename it".to_string()
        }
        ErrorKind::NotADirectory | ErrorKind::IsADirectory | ErrorKind::AlreadyExists => {
            format!("something in `{dir}` changed while writing; look at it and run again")
        }
        ErrorKind::FileTooLarge => "the file is too large for this drive".to_string(),
        _ => format!("check that `{dir}` is writable and try again"),
    }
}

fn rel_of(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn parent_or_dot(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Flush a folder's entries (new names, renames) to disk.
/// One directory operation instead of link + unlink, and it never replaces a
/// file that appeared meanwhile (Linux `renameat2` with `RENAME_NOREPLACE`).
/// `None` where the call or the flag is not supported.
fn rename_no_replace(from: &Path, to: &Path) -> Option<io::Result<()>> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let (Ok(a), Ok(b)) = (
            CString::new(from.as_os_str().as_bytes()),
            CString::new(to.as_os_str().as_bytes()),
        ) else {
            return None;
        };
        // SAFETY: both pointers are valid NUL-terminated paths for the call.
        let rc = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_NOREPLACE,
            )
        };
        if rc == 0 {
            return Some(Ok(()));
        }
        let e = io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::EXDEV) => None,
            _ => Some(Err(e)),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (from, to);
        None
    }
}

/// Flushes the whole filesystem holding `dir` in one call (Linux `syncfs`):
/// one journal commit instead of one per file. `None` where unavailable.
fn sync_filesystem(dir: &Path) -> Option<io::Result<()>> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let f = match File::open(dir) {
            Ok(f) => f,
            Err(e) => return Some(Err(e)),
        };
        // SAFETY: `f` is an open descriptor for the duration of the call.
        let rc = unsafe { libc::syncfs(f.as_raw_fd()) };
        Some(if rc == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        None
    }
}

fn sync_filesystem_or(dir: &Path, fallback: impl FnOnce() -> io::Result<()>) -> io::Result<()> {
    match sync_filesystem(dir) {
        Some(r) => r,
        None => fallback(),
    }
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    // Windows cannot open a folder as a file; NTFS journals the rename itself.
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}
