//! The write journal: how a checked plan reaches the disk so that a kill at
//! any moment leaves the folder recoverable to exactly before or exactly
//! after, and the recovery itself.
//!
//! Two layouts. A write that replaces no file (every target absent, as in
//! a fresh output folder) creates its files in place under a create-only
//! journal: see [`super::direct`], which has its own power-loss argument
//! (two barriers and a flushed completion). Every other write, and every
//! write of versions before the create-only journal (whose journals the
//! recovery below still finishes), is staged as follows.
//!
//! Under the folder lock, in `.skillchain/write/`:
//! 1. *prepare*: every new content is written to `new/<n>`, every original
//!    that will be replaced gets a second name in `backup/<n>` (a hard link,
//!    or a copy), and the list of steps is written to `journal.json.tmp`;
//!    all flushed. The output folder itself is untouched.
//! 2. *commit*: `journal.json.tmp` is renamed to `journal.json`, flushed.
//! 3. *apply*: missing folders are created and each `new/<n>` is renamed
//!    onto its target: a target holds its old or its new content, never half.
//!    Then every folder that gained or lost a name is flushed.
//! 4. *complete*: `write/` is renamed to `write.done/` and deleted. Only now
//!    do the originals go.
//!
//! A failure or a signal during apply rolls back: `rolling-back` is written
//! and flushed first, so a kill during the rollback finishes the rollback.
//! Recovery, by the next command that locks the folder: no `write/` →
//! nothing to do; `write/` without `journal.json` → the folder was never
//! touched: delete it (rolled back); `rolling-back` present → roll back;
//! else roll forward (every step is idempotent) and, should that fail, roll
//! back.
//!
//! Power loss. A barrier flushes our own files and folders (`fsync` of each
//! staged file, of the journal and of each folder a name was added to or
//! removed from, issued from a few threads at once so the disk serves their
//! cache flushes together), or, while the machine holds almost no dirty
//! data but ours, the whole file system in one `syncfs` (see
//! [`super::fs::flush_for`]): a `syncfs` also writes back every other
//! process's dirty data, hundreds of milliseconds behind a build. Writeback
//! of each staged file starts as soon as it is written. Three barriers
//! order what survives a power loss:
//! - B1, before the commit: every staged file (data and mode), every backup
//!   copy, `journal.json.tmp` and the folders naming them (`new/`,
//!   `backup/`, `write/`, `.skillchain/` and the output folder) are flushed.
//!   So a `journal.json` that survives names staged files and backups that
//!   survive whole.
//! - B2, the commit: the rename to `journal.json` is flushed (`write/`)
//!   before any target is touched. So if any change to the output folder
//!   survives, the committed journal does too, and recovery can finish or
//!   undo it; without `journal.json` the output folder was never touched.
//! - B3, before completing: the folders the renames and new folders changed
//!   are flushed before `write/` is renamed away, so the journal goes only
//!   once the whole new tree is durable. A lost completion leaves the
//!   journal, and the roll forward finds every file in place (idempotent).
//! - A rollback flushes its `rolling-back` mark before undoing anything (a
//!   roll forward over a half undone write would mix old and new), and the
//!   undone folders before the staging folder (with the backups) goes.
//!
//! On tmpfs or ramfs nothing survives a power loss, so nothing is flushed
//! there; safety against a kill never rests on flushes.
//!
//! A checksum per staged file in the journal could fold B1 into B2 only if
//! a torn `journal.json` could be told from a damaged one (the first means
//! nothing was applied, the second may not): a flushed temp file renamed
//! into place makes that certain, for one small flush more.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, ErrorKind, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::check::{missing_dirs, Action, Planned};
use super::direct::{self, Created};
use super::fs::{
    flush_for, parent_or_dot, remove_tree, rename_no_replace, same_file, start_writeback,
    sync_all_parallel, sync_dir, sync_dirs, sync_filesystem, Flush,
};
use super::{failure, WriteError, WriteFailure};
use crate::generate::interrupt;
use crate::generate::paths::STATE_DIR;

pub(super) const TXN_DIR: &str = "write";
pub(super) const DONE_DIR: &str = "write.done";
const RESCUED_PREFIX: &str = "write.rescued-";
pub(super) const JOURNAL: &str = "journal.json";
pub(super) const JOURNAL_TMP: &str = "journal.json.tmp";
const ROLLING_BACK: &str = "rolling-back";
/// A journal lists one line per file; even 100,000 files stay far below.
const MAX_JOURNAL: u64 = 256 << 20;
/// Staged files kept open until they are flushed; past this many, the ones
/// open are flushed at once, so a large write stays far from the limit of
/// open files.
pub(super) const MAX_OPEN: usize = 256;

/// Unknown fields are refused: a journal with the fields of both layouts
/// (see [`Created`]) cannot be told to be either.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Journal {
    /// Folders to create, relative, parents first.
    dirs: Vec<String>,
    files: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    /// Relative target path, `/`-separated.
    path: String,
    /// Name under `new/` and `backup/`.
    staged: String,
    /// The target exists and its original is kept under `backup/`.
    replace: bool,
}

/// What a command did about a write that a killed (or failed) process had
/// left half done, before doing anything else in that folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovered {
    /// Every file of the interrupted write is now in place.
    Finished {
        root: PathBuf,
        files: usize,
        by: Option<String>,
    },
    /// The folder is exactly as before the interrupted write.
    RolledBack {
        root: PathBuf,
        /// Why it was not finished instead, when that was tried.
        reason: Option<String>,
        by: Option<String>,
    },
}

impl fmt::Display for Recovered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let by = |by: &Option<String>| match by {
            Some(b) => format!(" by {b}"),
            None => String::new(),
        };
        match self {
            Recovered::Finished { root, files, by: b } => write!(
                f,
                "recovered `{}`: finished the write interrupted{} ({files} file{} now as planned)",
                root.display(),
                by(b),
                if *files == 1 { "" } else { "s" }
            ),
            Recovered::RolledBack {
                root,
                reason,
                by: b,
            } => {
                write!(
                    f,
                    "recovered `{}`: rolled back the write interrupted{}; the folder is as it was before it",
                    root.display(),
                    by(b)
                )?;
                if let Some(r) = reason {
                    write!(f, " (it could not be finished: {r})")?;
                }
                Ok(())
            }
        }
    }
}

pub(super) enum Stop {
    Failed(WriteFailure),
    Interrupted(i32),
}

impl Stop {
    /// The error of a write stopped before anything of the output folder
    /// changed, or once all of it was put back.
    pub(super) fn undone(self) -> WriteError {
        match self {
            Stop::Failed(f) => WriteError::RolledBack(f),
            Stop::Interrupted(s) => WriteError::Interrupted(s),
        }
    }

    /// The error of a write whose rollback left `leftovers` (none: the
    /// folder is as before).
    pub(super) fn after_rollback(self, root: &Path, leftovers: Vec<String>) -> WriteError {
        if leftovers.is_empty() {
            return self.undone();
        }
        let failure = match self {
            Stop::Failed(f) => f,
            Stop::Interrupted(s) => failure(
                "finish writing",
                root.display().to_string(),
                io::Error::new(ErrorKind::Interrupted, interrupt::name(s)),
                root,
            ),
        };
        WriteError::RollbackIncomplete { failure, leftovers }
    }
}

/// Writes `changes` through the journal. On any failure, or a signal, the
/// folder is put back as it was and the error says so. `while_staged` runs
/// while the staged files are being written to the disk (before the
/// commit), `while_flushing` once every file is in place while the renames
/// are being flushed (on another thread); both must not touch the folder's
/// files, and their results count only if the write succeeds. A write that
/// replaces nothing goes in place instead (see [`direct`]); `fresh`: the
/// folder holds nothing but `.skillchain`.
pub(super) fn write_changes<S, F>(
    root: &Path,
    changes: &[&Planned<'_>],
    fresh: bool,
    while_staged: impl FnOnce() -> S,
    while_flushing: impl FnOnce(S) -> F,
) -> Result<F, WriteError> {
    let txn = root.join(STATE_DIR).join(TXN_DIR);
    let dirs = missing_dirs(root, changes, fresh);
    if changes.iter().all(|p| p.action == Action::Create) {
        return direct::write_created(root, &txn, changes, dirs, while_staged, while_flushing);
    }
    let (journal, staged) = match prepare(root, &txn, changes, dirs, while_staged) {
        Ok(j) => j,
        Err(stop) => {
            let _ = discard(&txn);
            return Err(stop.undone());
        }
    };
    let stop = match apply(root, &txn, &journal, true) {
        Ok(()) => {
            let (flushed, done) = flush_while(root, &journal, || while_flushing(staged));
            match flushed {
                Ok(()) => {
                    complete(root, &txn);
                    return Ok(done);
                }
                Err(f) => Stop::Failed(f),
            }
        }
        Err(stop) => stop,
    };
    let leftovers = roll_back(root, &txn, &journal);
    Err(stop.after_rollback(root, leftovers))
}

pub(super) fn check_signal() -> Result<(), Stop> {
    match interrupt::pending() {
        Some(s) => Err(Stop::Interrupted(s)),
        None => Ok(()),
    }
}

fn prepare<S>(
    root: &Path,
    txn: &Path,
    changes: &[&Planned<'_>],
    dirs: Vec<String>,
    while_staged: impl FnOnce() -> S,
) -> Result<(Journal, S), Stop> {
    let state = root.join(STATE_DIR);
    let fail_state = |e| {
        Stop::Failed(failure(
            "create a staging folder in",
            STATE_DIR.to_string(),
            e,
            &state,
        ))
    };
    fs::create_dir(txn).map_err(fail_state)?;
    fs::create_dir(txn.join("new")).map_err(fail_state)?;
    fs::create_dir(txn.join("backup")).map_err(fail_state)?;
    let mut journal = Journal {
        dirs,
        files: Vec::with_capacity(changes.len()),
    };
    // How B1 flushes: decided once, when the first file must be flushed.
    let mut mode: Option<Flush> = None;
    let mut own: u64 = 0;
    // Staged (and copied) files written but not flushed yet, with their item.
    let mut unflushed: Vec<(File, Unflushed<'_>)> =
        Vec::with_capacity(changes.len().min(MAX_OPEN) + 6);
    for (n, p) in changes.iter().enumerate() {
        if n % 64 == 0 {
            check_signal()?;
        }
        let staged = p.index.to_string();
        let target = root.join(&p.rel);
        let file = stage(root, &txn.join("new").join(&staged), p, &target).map_err(Stop::Failed)?;
        own += p.content.len() as u64;
        unflushed.push((file, Unflushed::Staged(&p.rel)));
        if p.action == Action::Replace {
            let copy = back_up(&target, &txn.join("backup").join(&staged)).map_err(|e| {
                Stop::Failed(failure("back up", p.rel.clone(), e, parent_or_dot(&target)))
            })?;
            if let Some(copy) = copy {
                unflushed.push((copy, Unflushed::Staged(&p.rel)));
            }
        }
        if unflushed.len() >= MAX_OPEN {
            // Too many open files: flush them now, or close them for the
            // one pass over the file system.
            if *mode.get_or_insert_with(|| flush_for(txn, own)) == Flush::Each {
                flush_staged(root, &state, &mut unflushed).map_err(Stop::Failed)?;
            }
            unflushed.clear();
        }
        journal.files.push(Entry {
            path: p.rel.clone(),
            staged,
            replace: p.action == Action::Replace,
        });
    }
    let text = serde_json::to_vec(&journal).map_err(|e| {
        Stop::Failed(failure(
            "record the journal in",
            STATE_DIR.to_string(),
            io::Error::other(e),
            &state,
        ))
    })?;
    let fail_journal = |e| {
        Stop::Failed(failure(
            "record the journal in",
            STATE_DIR.to_string(),
            e,
            &state,
        ))
    };
    let mut file = File::create_new(txn.join(JOURNAL_TMP)).map_err(fail_journal)?;
    file.write_all(&text).map_err(fail_journal)?;
    start_writeback(&file);
    // The disk is busy with our files: the caller's work overlaps it.
    let staged = while_staged();
    // B1: everything staged is on disk before the journal says it is: the
    // files, the journal and the folders naming them.
    let mode = *mode.get_or_insert_with(|| flush_for(txn, own + text.len() as u64));
    match mode {
        Flush::Nothing => {}
        Flush::WholeFs => {
            unflushed.clear();
            sync_filesystem(txn).map_err(fail_journal)?;
        }
        Flush::Each => {
            unflushed.push((file, Unflushed::Journal));
            let new = txn.join("new");
            let backup = txn.join("backup");
            for dir in [new.as_path(), backup.as_path(), txn, state.as_path(), root] {
                let open = File::open(dir).map_err(|e| {
                    Stop::Failed(failure("flush", dir.display().to_string(), e, dir))
                })?;
                unflushed.push((open, Unflushed::Folder(dir.to_path_buf())));
            }
            flush_staged(root, &state, &mut unflushed).map_err(Stop::Failed)?;
        }
    }
    check_signal()?;
    // B2: the commit.
    fs::rename(txn.join(JOURNAL_TMP), txn.join(JOURNAL)).map_err(fail_journal)?;
    if mode != Flush::Nothing {
        sync_dir(txn).map_err(fail_journal)?;
    }
    Ok((journal, staged))
}

/// What an open file waiting for its flush is, for the error.
enum Unflushed<'a> {
    /// The staged file (or backup copy) of this item.
    Staged(&'a str),
    Journal,
    Folder(PathBuf),
}

/// Flushes the files written so far, several at once (their data is
/// already on its way to the disk).
fn flush_staged(
    root: &Path,
    state: &Path,
    unflushed: &mut Vec<(File, Unflushed<'_>)>,
) -> Result<(), WriteFailure> {
    let (files, what): (Vec<File>, Vec<Unflushed<'_>>) = unflushed.drain(..).unzip();
    sync_all_parallel(&files).map_err(|(i, e)| match &what[i] {
        Unflushed::Staged(rel) => failure("stage", rel.to_string(), e, root),
        Unflushed::Journal => failure("record the journal in", STATE_DIR.to_string(), e, state),
        Unflushed::Folder(dir) => failure("flush", dir.display().to_string(), e, dir),
    })
}

/// Writes the new content of `p` to `staged` and starts writing it to the
/// disk; the open file is flushed before the commit.
fn stage(root: &Path, staged: &Path, p: &Planned<'_>, target: &Path) -> Result<File, WriteFailure> {
    // Staging shares the output folder's drive and permissions, so point the
    // user at the output folder rather than at our own one.
    let fail = |e| failure("stage", p.rel.clone(), e, root);
    let mut file = File::create_new(staged).map_err(fail)?;
    file.write_all(p.content).map_err(fail)?;
    if p.action == Action::Replace {
        // A replaced script stays executable, a private file stays private.
        if let Ok(meta) = fs::symlink_metadata(target) {
            file.set_permissions(meta.permissions()).map_err(fail)?;
        }
    }
    start_writeback(&file);
    Ok(file)
}

/// Keep the original of a file about to be replaced. A hard link leaves the
/// original in place and costs no space; a copy is the fallback, returned
/// open to be flushed with the staged files.
fn back_up(target: &Path, backup: &Path) -> io::Result<Option<File>> {
    if fs::hard_link(target, backup).is_ok() {
        return Ok(None);
    }
    fs::copy(target, backup)?;
    let copy = File::open(backup)?;
    start_writeback(&copy);
    Ok(Some(copy))
}

/// Rolls the journal forward: each step is done unless it already is, so a
/// recovery can run it again after a kill at any point.
fn apply(root: &Path, txn: &Path, journal: &Journal, live: bool) -> Result<(), Stop> {
    create_dirs(root, &journal.dirs)?;
    for (n, entry) in journal.files.iter().enumerate() {
        if live && n % 16 == 0 {
            check_signal()?;
        }
        let staged = txn.join("new").join(&entry.staged);
        let target = root.join(&entry.path);
        let folder = parent_or_dot(&target).to_path_buf();
        // A live write staged every file itself; a recovery may find some
        // already in place.
        if !live && fs::symlink_metadata(&staged).is_err() {
            continue; // already in place
        }
        let placed = if entry.replace {
            fs::rename(&staged, &target)
        } else {
            place_new(&staged, &target)
        };
        placed.map_err(|e| {
            let action = if entry.replace { "replace" } else { "write" };
            Stop::Failed(failure(action, entry.path.clone(), e, &folder))
        })?;
    }
    Ok(())
}

/// Creates the folders `dirs` (relative, parents first) under `root`; one
/// that exists already is fine unless it is not a folder.
pub(super) fn create_dirs(root: &Path, dirs: &[String]) -> Result<(), Stop> {
    for dir in dirs {
        let path = root.join(dir);
        match fs::create_dir(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
                    // Something appeared since the check; never write through it.
                    return Err(Stop::Failed(failure(
                        "create the folder",
                        dir.clone(),
                        io::Error::new(ErrorKind::AlreadyExists, "a file or link is in the way"),
                        parent_or_dot(&path),
                    )));
                }
            }
            Err(e) => {
                return Err(Stop::Failed(failure(
                    "create the folder",
                    dir.clone(),
                    e,
                    parent_or_dot(&path),
                )))
            }
        }
    }
    Ok(())
}

/// Put a staged file at a target that should not exist; a file that someone
/// else created there meanwhile is never clobbered.
fn place_new(staged: &Path, target: &Path) -> io::Result<()> {
    let appeared = || {
        io::Error::new(
            ErrorKind::AlreadyExists,
            "a file appeared there while writing",
        )
    };
    match rename_no_replace(staged, target) {
        Some(Ok(())) => return Ok(()),
        Some(Err(e)) if e.kind() == ErrorKind::AlreadyExists => {
            // A link made by the fallback below before a kill: finish it.
            if same_file(staged, target) {
                return fs::remove_file(staged);
            }
            return Err(appeared());
        }
        _ => {}
    }
    match fs::hard_link(staged, target) {
        Ok(()) => fs::remove_file(staged),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            if same_file(staged, target) {
                fs::remove_file(staged)
            } else {
                Err(appeared())
            }
        }
        Err(link_error) => match fs::symlink_metadata(target) {
            Err(e) if e.kind() == ErrorKind::NotFound => fs::rename(staged, target),
            Ok(_) => Err(appeared()),
            Err(_) => Err(link_error),
        },
    }
}

/// Renames are durable only once their folders are flushed: the folder of
/// each target, and the parent of each folder created (B3).
fn flush_applied(root: &Path, journal: &Journal) -> Result<(), WriteFailure> {
    match flush_for(root, 0) {
        Flush::Nothing => return Ok(()),
        Flush::WholeFs => {
            return sync_filesystem(root)
                .map_err(|e| failure("flush", root.display().to_string(), e, root))
        }
        Flush::Each => {}
    }
    let mut dirs: Vec<PathBuf> = journal
        .files
        .iter()
        .map(|e| e.path.as_str())
        .chain(journal.dirs.iter().map(String::as_str))
        .map(|rel| parent_or_dot(&root.join(rel)).to_path_buf())
        .collect();
    dirs.sort();
    dirs.dedup();
    let dirs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
    sync_dirs(&dirs).map_err(|(dir, e)| failure("flush", dir.display().to_string(), e, dir))
}

/// [`flush_applied`] on a thread of its own while `work` runs here; inline
/// where no thread can be started.
fn flush_while<F>(
    root: &Path,
    journal: &Journal,
    work: impl FnOnce() -> F,
) -> (Result<(), WriteFailure>, F) {
    if flush_for(root, 0) == Flush::Nothing {
        return (Ok(()), work());
    }
    std::thread::scope(|scope| {
        // The thread only opens and flushes folders.
        let flusher = std::thread::Builder::new()
            .name("flush".to_string())
            .stack_size(64 << 10)
            .spawn_scoped(scope, || flush_applied(root, journal));
        match flusher {
            Ok(handle) => {
                let done = work();
                let flushed = handle.join().unwrap_or_else(|_| {
                    Err(failure(
                        "flush",
                        root.display().to_string(),
                        io::Error::other("the flushing thread stopped"),
                        root,
                    ))
                });
                (flushed, done)
            }
            Err(_) => (flush_applied(root, journal), work()),
        }
    })
}

/// The new tree is whole: drop the journal and the originals.
pub(super) fn complete(root: &Path, txn: &Path) {
    let done = root.join(STATE_DIR).join(DONE_DIR);
    // One rename marks the write complete; a kill while deleting leaves only
    // `write.done`, which the next lock holder deletes.
    if fs::rename(txn, &done).is_ok() {
        let _ = remove_tree(&done);
    }
}

/// Deletes a `write/` that was never committed (the folder is untouched).
pub(super) fn discard(txn: &Path) -> io::Result<()> {
    let done = parent_or_dot(txn).join(DONE_DIR);
    remove_tree(&done)?;
    fs::rename(txn, &done)?;
    remove_tree(&done)
}

/// Undoes every applied step, in reverse. Returns what could not be undone
/// (empty when the folder is exactly as before).
fn roll_back(root: &Path, txn: &Path, journal: &Journal) -> Vec<String> {
    let mut leftovers = Vec::new();
    // From here on a recovery rolls back too, whatever happens.
    let marked = File::create(txn.join(ROLLING_BACK))
        .and_then(|f| f.sync_all())
        .and_then(|()| sync_dir(txn));
    if let Err(e) = marked {
        leftovers.push(format!("could not mark the write as rolling back: {e}"));
    }
    let mut unrestored = Vec::new();
    for entry in journal.files.iter().rev() {
        let staged = txn.join("new").join(&entry.staged);
        let backup = txn.join("backup").join(&entry.staged);
        let target = root.join(&entry.path);
        if fs::symlink_metadata(&staged).is_ok() {
            // Never placed, or placed by a link whose staged name was not yet removed.
            if !entry.replace && same_file(&staged, &target) {
                if let Err(e) = fs::remove_file(&target) {
                    leftovers.push(format!(
                        "`{}` was created and could not be removed: {e}",
                        entry.path
                    ));
                }
            }
            continue;
        }
        if entry.replace {
            if fs::symlink_metadata(&backup).is_err() {
                continue; // already restored
            }
            if let Err(e) = fs::rename(&backup, &target) {
                unrestored.push((entry.path.clone(), entry.staged.clone(), e));
            }
        } else if let Err(e) = fs::remove_file(&target) {
            if e.kind() != ErrorKind::NotFound {
                leftovers.push(format!(
                    "`{}` was created and could not be removed: {e}",
                    entry.path
                ));
            }
        }
    }
    for dir in journal.dirs.iter().rev() {
        // Never created (or a name that cannot exist): nothing to undo.
        if !fs::symlink_metadata(root.join(dir)).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        if let Err(e) = fs::remove_dir(root.join(dir)) {
            if e.kind() != ErrorKind::NotFound {
                leftovers.push(format!(
                    "the folder `{dir}` was created and could not be removed: {e}"
                ));
            }
        }
    }
    // What was put back is durable before the backups' folder goes.
    let _ = flush_applied(root, journal);
    if unrestored.is_empty() {
        if let Err(e) = discard(txn) {
            leftovers.push(format!(
                "the staging folder `{}` could not be removed ({e}); the next write removes it",
                txn.display()
            ));
        }
    } else {
        // It holds originals we could not put back: move it where no
        // cleanup will ever delete it, and say where.
        let rescued = parent_or_dot(txn).join(format!("{RESCUED_PREFIX}{}", std::process::id()));
        let kept = if fs::rename(txn, &rescued).is_ok() {
            rescued
        } else {
            txn.to_path_buf()
        };
        for (rel, name, e) in unrestored {
            leftovers.push(format!(
                "`{rel}` still has the new content ({e}); its original is kept at `{}`",
                kept.join("backup").join(name).display()
            ));
        }
    }
    leftovers
}

/// Finishes or rolls back whatever write an earlier process left in `root`.
/// The caller holds the folder lock; `by` names the dead holder.
pub(super) fn recover_locked(
    root: &Path,
    by: Option<String>,
    stale_lock: bool,
) -> Result<Option<Recovered>, WriteError> {
    let state = root.join(STATE_DIR);
    let txn = state.join(TXN_DIR);
    let done = state.join(DONE_DIR);
    let had_done = fs::symlink_metadata(&done).is_ok();
    if had_done {
        let _ = remove_tree(&done);
    }
    if fs::symlink_metadata(&txn).is_err() {
        return Ok(match (had_done, stale_lock) {
            (true, _) => Some(Recovered::Finished {
                root: root.to_path_buf(),
                files: 0,
                by,
            }),
            (false, true) => Some(Recovered::RolledBack {
                root: root.to_path_buf(),
                reason: None,
                by,
            }),
            (false, false) => None,
        });
    }
    // Nothing of the write reached the output folder: the staging folder goes.
    let never_applied = || {
        discard(&txn).map_err(|e| {
            WriteError::RolledBack(failure(
                "remove the staging folder",
                txn.display().to_string(),
                e,
                &state,
            ))
        })?;
        Ok(Some(Recovered::RolledBack {
            root: root.to_path_buf(),
            reason: None,
            by: by.clone(),
        }))
    };
    let read = crate::textfile::read_bytes_with(
        &txn.join(JOURNAL),
        MAX_JOURNAL,
        "write journals",
        crate::textfile::Links::Refuse,
    );
    let journal = match read {
        // Never committed: the output folder was not touched.
        Err(e) if e.is_not_found() => return never_applied(),
        Err(e) => return Err(unreadable_journal(&txn, &e.reason())),
        Ok(bytes) => match serde_json::from_slice::<Created>(&bytes) {
            // A write that only created files: always undone.
            Ok(created) => {
                return direct::recover(root, &txn, &created, by).map(Some);
            }
            Err(_) => match serde_json::from_slice::<Journal>(&bytes) {
                Ok(journal) => journal,
                // Cut short while a create-only write recorded it (the
                // staged layout renames a flushed journal into place, after
                // making `new/`): nothing was applied.
                Err(_) if cut_short(&bytes) && fs::symlink_metadata(txn.join("new")).is_err() => {
                    return never_applied();
                }
                Err(e) => return Err(unreadable_journal(&txn, &e.to_string())),
            },
        },
    };
    let mut reason = None;
    if fs::symlink_metadata(txn.join(ROLLING_BACK)).is_err() {
        let forward = apply(root, &txn, &journal, false)
            .and_then(|()| flush_applied(root, &journal).map_err(Stop::Failed));
        match forward {
            Ok(()) => {
                complete(root, &txn);
                return Ok(Some(Recovered::Finished {
                    root: root.to_path_buf(),
                    files: journal.files.len(),
                    by,
                }));
            }
            Err(Stop::Failed(f)) => reason = Some(f.to_string()),
            Err(Stop::Interrupted(_)) => {}
        }
    }
    let leftovers = roll_back(root, &txn, &journal);
    if leftovers.is_empty() {
        Ok(Some(Recovered::RolledBack {
            root: root.to_path_buf(),
            reason,
            by,
        }))
    } else {
        Err(WriteError::RollbackIncomplete {
            failure: failure(
                "recover the interrupted write in",
                root.display().to_string(),
                io::Error::other(reason.unwrap_or_else(|| "it was being rolled back".to_string())),
                root,
            ),
            leftovers,
        })
    }
}

/// What a journal written in place looks like when a kill or a power cut
/// stopped it: a prefix of a JSON object (it ends before the object does),
/// or blocks the disk never received (zeros). Anything else that does not
/// parse was damaged, and is refused.
fn cut_short(bytes: &[u8]) -> bool {
    let written = bytes
        .iter()
        .rposition(|&b| b != 0)
        .map_or(&bytes[..0], |end| &bytes[..=end]);
    if written.is_empty() {
        return true;
    }
    let mut reader = serde_json::Deserializer::from_slice(written).into_iter::<serde_json::Value>();
    match reader.next() {
        Some(Err(e)) => e.is_eof(),
        _ => false,
    }
}

pub(super) fn unreadable_journal(txn: &Path, why: &str) -> WriteError {
    WriteError::Refused(vec![crate::error::Problem::new(
        txn.join(JOURNAL).display().to_string(),
        format!(
            "the journal of an interrupted write cannot be read ({why}), so skillchain cannot tell how to finish or undo it; the originals of replaced files are in `{}`: compare the folder with them, then delete `{}`",
            txn.join("backup").display(),
            txn.display()
        ),
    )])
}

/// True when `root` may hold an interrupted write or a stale lock: the only
/// case in which a read-only command needs the lock.
pub(super) fn needs_recovery(root: &Path) -> bool {
    let state = root.join(STATE_DIR);
    [super::lock::LOCK_FILE, TXN_DIR, DONE_DIR]
        .iter()
        .any(|n| fs::symlink_metadata(state.join(n)).is_ok())
}
