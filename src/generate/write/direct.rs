//! A write that only creates files (every target absent, as in a fresh
//! output folder): each file is written in place, with no staged copy to
//! rename and no original to keep, under a journal that lists what it
//! creates, so that a kill at any moment is undone by removing exactly
//! that.
//!
//! Under the folder lock, in `.skillchain/write/`:
//! 1. *commit*: the folders and files to create are listed in
//!    `journal.json`. The output folder is untouched.
//! 2. *apply*: the missing folders are created, then each file is written
//!    unnamed in its folder and named once whole (Linux `O_TMPFILE` and
//!    `linkat`, which never replaces a file that appeared meanwhile; by
//!    name with `O_EXCL` where unnamed files do not exist). So a kill never
//!    leaves half a file at a target, not even before the recovery.
//! 3. *complete*: `write/` is renamed to `write.done/` and deleted.
//!
//! A failure or a signal during apply removes what this write created and
//! then the journal. Recovery of such a journal by the next lock holder
//! always rolls back (the contents are not in the journal, so it cannot
//! finish): every listed file is removed, then every listed folder left
//! empty, and only then the journal; each step can run again after a kill.
//!
//! Power loss. Two barriers and a flush of the completion order what
//! survives (our own files and folders, or one `syncfs` while the machine
//! holds almost no other dirty data, as for [`super::journal`]):
//! - C1, before the first change to the output tree: `journal.json`,
//!   `write/` and the folders naming it (`.skillchain/`, the output
//!   folder), flushed together. So any created file that survives comes
//!   with a whole journal that lists it. A journal cut short (a kill while
//!   it is written, a power cut before C1 ends) does not parse, and means
//!   that nothing was applied: recovery deletes it. Only this layout can
//!   leave one, and it never has the staged layout's `write/new/`, so a
//!   journal that does not parse beside `new/` is still refused.
//! - C2, before completing: every created file (data and size) and every
//!   folder a name was added to. So once the journal's removal survives,
//!   the whole new tree does.
//! - C3, after the completion rename, before the write returns:
//!   `.skillchain/` is flushed, so a write reported done is never undone by
//!   a journal a power loss brought back.
//! - A rollback flushes the folders it removed names from before the
//!   journal goes, so the journal never vanishes while a removed file
//!   could come back.
//!
//! Against the staged journal this saves a write, a rename and a removal
//! per file, and the staged files' barrier: C1 flushes only the small
//! journal and three folders, in one round.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use super::check::Planned;
use super::fs::{
    beside, create_whole, flush_for, parent_or_dot, start_writeback, sync_all_parallel, sync_dir,
    sync_filesystem, Flush,
};
use super::journal::{
    check_signal, create_dirs, discard, Recovered, Stop, DONE_DIR, JOURNAL, MAX_OPEN,
};
use super::{failure, WriteError, WriteFailure};
use crate::generate::paths::STATE_DIR;

/// The journal of a write that only creates. Its fields differ from the
/// staged journal's, so an older skillchain refuses it (naming it) rather
/// than taking it for a staged write with every file already in place.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Created {
    /// Folders to create, relative, parents first.
    dirs: Vec<String>,
    /// Files to create, relative, `/`-separated, in the order written.
    created: Vec<String>,
}

/// Writes `changes` (all [`super::check::Action::Create`]) in place;
/// `dirs` are the folders they need that do not exist. See
/// [`super::journal::write_changes`] for `while_staged` and
/// `while_flushing`.
pub(super) fn write_created<S, F>(
    root: &Path,
    txn: &Path,
    changes: &[&Planned<'_>],
    dirs: Vec<String>,
    while_staged: impl FnOnce() -> S,
    while_flushing: impl FnOnce(S) -> F,
) -> Result<F, WriteError> {
    let own: u64 = changes.iter().map(|p| p.content.len() as u64).sum();
    // Decided once: one look at the file system and the machine.
    let mode = flush_for(root, own);
    let journal = Created {
        dirs,
        created: changes.iter().map(|p| p.rel.clone()).collect(),
    };
    let staged = match commit(root, txn, &journal, mode, while_staged) {
        Ok(s) => s,
        Err(stop) => {
            let _ = discard(txn);
            return Err(stop.undone());
        }
    };
    let mut made = Vec::new();
    let mut open: Vec<(File, usize)> = Vec::new();
    let stop = match apply(root, changes, &journal, mode, &mut made, &mut open) {
        Ok(()) => {
            // C2 on another thread while the caller works here.
            let (flushed, done) = match mode {
                Flush::Nothing => (Ok(()), while_flushing(staged)),
                _ => {
                    let (flushed, done) = beside(
                        || flush_created(root, &journal, mode, open),
                        || while_flushing(staged),
                    );
                    (flushed.unwrap_or_else(|| Err(thread_stopped(root))), done)
                }
            };
            match flushed.and_then(|()| complete(root, txn, mode)) {
                Ok(()) => return Ok(done),
                Err(f) => Stop::Failed(f),
            }
        }
        Err(stop) => stop,
    };
    let leftovers = roll_back(root, txn, &journal, Some(&made), mode);
    Err(stop.after_rollback(root, leftovers))
}

/// Records the journal and makes it durable (C1), while `while_staged`
/// runs here.
fn commit<S>(
    root: &Path,
    txn: &Path,
    journal: &Created,
    mode: Flush,
    while_staged: impl FnOnce() -> S,
) -> Result<S, Stop> {
    let state = root.join(STATE_DIR);
    let fail = |e| {
        Stop::Failed(failure(
            "record the journal in",
            STATE_DIR.to_string(),
            e,
            &state,
        ))
    };
    fs::create_dir(txn).map_err(|e| {
        Stop::Failed(failure(
            "create a staging folder in",
            STATE_DIR.to_string(),
            e,
            &state,
        ))
    })?;
    let text = serde_json::to_vec(journal).map_err(|e| fail(io::Error::other(e)))?;
    // Written under its own name: a journal cut short (by a kill, or by a
    // power cut during C1) does not parse, and then nothing was applied
    // (see `super::journal::recover_locked`).
    let mut file = File::create_new(txn.join(JOURNAL)).map_err(fail)?;
    file.write_all(&text).map_err(fail)?;
    check_signal()?;
    let record = || -> io::Result<()> {
        // The journal and every folder naming it down from the output
        // folder, their flushes waiting on the disk together.
        let mut batch = vec![file];
        #[cfg(unix)]
        for dir in [txn, state.as_path(), root] {
            batch.push(File::open(dir)?);
        }
        sync_all_parallel(&batch).map_err(|(_, e)| e)
    };
    let (recorded, staged) = if mode == Flush::Nothing {
        (Some(Ok(())), while_staged())
    } else {
        beside(record, while_staged)
    };
    recorded
        .unwrap_or_else(|| Err(io::Error::other("the flushing thread stopped")))
        .map_err(fail)?;
    Ok(staged)
}

/// Below this many files one thread writes them all: starting a second
/// costs more than it saves.
const SPLIT_MIN: usize = 24;

/// Creates the folders, then each file, in two halves on two threads
/// (file creation is mostly the kernel's work, in different folders mostly
/// in parallel). `made` gets the index of each file created (a failure
/// while writing one leaves nothing at its target); files to flush one by
/// one stay in `open`, with their index.
fn apply(
    root: &Path,
    changes: &[&Planned<'_>],
    journal: &Created,
    mode: Flush,
    made: &mut Vec<usize>,
    open: &mut Vec<(File, usize)>,
) -> Result<(), Stop> {
    create_dirs(root, &journal.dirs)?;
    let failed = AtomicBool::new(false);
    if changes.len() < SPLIT_MIN {
        let half = write_files(root, changes, 0, journal, mode, &failed);
        made.extend(half.made);
        open.extend(half.open);
        return half.result;
    }
    let mid = changes.len() / 2;
    let (first, second) = changes.split_at(mid);
    let (theirs, mine) = beside(
        || write_files(root, second, mid, journal, mode, &failed),
        || write_files(root, first, 0, journal, mode, &failed),
    );
    // A thread that could not start (or stopped) leaves its half here.
    let theirs = theirs.unwrap_or_else(|| write_files(root, second, mid, journal, mode, &failed));
    made.extend(mine.made.iter().chain(theirs.made.iter()));
    open.extend(mine.open.into_iter().chain(theirs.open));
    mine.result.and(theirs.result)
}

/// What one thread of [`apply`] did.
struct Written {
    made: Vec<usize>,
    open: Vec<(File, usize)>,
    result: Result<(), Stop>,
}

/// Writes `changes`, the files from index `offset` on; stops early once
/// `failed` says the other half failed.
fn write_files(
    root: &Path,
    changes: &[&Planned<'_>],
    offset: usize,
    journal: &Created,
    mode: Flush,
    failed: &AtomicBool,
) -> Written {
    let mut out = Written {
        made: Vec::with_capacity(changes.len()),
        open: Vec::new(),
        result: Ok(()),
    };
    for (k, p) in changes.iter().enumerate() {
        let n = offset + k;
        if k % 16 == 0 {
            if let Err(stop) = check_signal() {
                out.result = Err(stop);
                break;
            }
        }
        if failed.load(Ordering::Relaxed) {
            break;
        }
        let target = root.join(&p.rel);
        let fail = |e: io::Error| {
            let e = if e.kind() == io::ErrorKind::AlreadyExists {
                io::Error::new(e.kind(), "a file appeared there while writing")
            } else {
                e
            };
            Stop::Failed(failure("write", p.rel.clone(), e, parent_or_dot(&target)))
        };
        // Named only once whole: a kill never leaves half a file at a
        // target, even before the next command undoes the write.
        let file = match create_whole(&target, p.content) {
            Some(Ok(file)) => {
                out.made.push(n);
                Ok(file)
            }
            Some(Err(e)) => Err(fail(e)),
            None => File::create_new(&target)
                .map_err(fail)
                .and_then(|mut file| {
                    out.made.push(n);
                    file.write_all(p.content).map(|()| file).map_err(fail)
                }),
        };
        let file = match file {
            Ok(file) => file,
            Err(stop) => {
                out.result = Err(stop);
                break;
            }
        };
        if mode == Flush::Each {
            // Its data goes to the disk while the next files are written.
            start_writeback(&file);
            out.open.push((file, n));
            if out.open.len() >= MAX_OPEN {
                let batch = std::mem::take(&mut out.open);
                if let Err(f) = flush_files(root, &journal.created, batch) {
                    out.result = Err(Stop::Failed(f));
                    break;
                }
            }
        }
    }
    if out.result.is_err() {
        failed.store(true, Ordering::Relaxed);
    }
    out
}

/// Flushes open created files; a failure names the file.
fn flush_files(
    root: &Path,
    names: &[String],
    open: Vec<(File, usize)>,
) -> Result<(), WriteFailure> {
    let (files, index): (Vec<File>, Vec<usize>) = open.into_iter().unzip();
    sync_all_parallel(&files).map_err(|(i, e)| {
        let rel = names.get(index[i]).cloned().unwrap_or_default();
        let dir = parent_or_dot(&root.join(&rel)).to_path_buf();
        failure("flush", rel, e, &dir)
    })
}

/// The folders whose names changed: the parent of each created file and
/// folder.
fn changed_dirs(root: &Path, journal: &Created) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = journal
        .created
        .iter()
        .chain(journal.dirs.iter())
        .map(|rel| parent_or_dot(&root.join(rel)).to_path_buf())
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

/// C2: every created file and every folder that gained a name.
fn flush_created(
    root: &Path,
    journal: &Created,
    mode: Flush,
    open: Vec<(File, usize)>,
) -> Result<(), WriteFailure> {
    match mode {
        Flush::Nothing => Ok(()),
        Flush::WholeFs => {
            sync_filesystem(root).map_err(|e| failure("flush", root.display().to_string(), e, root))
        }
        Flush::Each => {
            flush_files(root, &journal.created, open)?;
            flush_dirs(&changed_dirs(root, journal))
        }
    }
}

fn flush_dirs(dirs: &[PathBuf]) -> Result<(), WriteFailure> {
    let dirs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
    super::fs::sync_dirs(&dirs)
        .map_err(|(dir, e)| failure("flush", dir.display().to_string(), e, dir))
}

fn thread_stopped(root: &Path) -> WriteFailure {
    failure(
        "flush",
        root.display().to_string(),
        io::Error::other("the flushing thread stopped"),
        root,
    )
}

/// The new tree is whole: drop the journal, durably (C3).
fn complete(root: &Path, txn: &Path, mode: Flush) -> Result<(), WriteFailure> {
    let state = root.join(STATE_DIR);
    let done = state.join(DONE_DIR);
    let fail = |e| failure("complete the write in", STATE_DIR.to_string(), e, &state);
    fs::rename(txn, &done).map_err(fail)?;
    if mode != Flush::Nothing {
        sync_dir(&state).map_err(fail)?;
    }
    // A kill now leaves only `write.done`, which the next lock holder
    // deletes. It holds the journal alone: two calls, not a tree walk.
    if fs::remove_file(done.join(JOURNAL))
        .and_then(|()| fs::remove_dir(&done))
        .is_err()
    {
        let _ = super::fs::remove_tree(&done);
    }
    Ok(())
}

/// Removes the listed files with an index in `made` (a recovery, `None`:
/// all that exist), then the listed folders left empty, flushes those
/// removals, then the journal. Returns what could not be undone.
fn roll_back(
    root: &Path,
    txn: &Path,
    journal: &Created,
    made: Option<&[usize]>,
    mode: Flush,
) -> Vec<String> {
    let mut leftovers = Vec::new();
    let ours: Vec<&String> = match made {
        Some(made) => made
            .iter()
            .filter_map(|&n| journal.created.get(n))
            .collect(),
        None => journal.created.iter().collect(),
    };
    for rel in ours.into_iter().rev() {
        if let Err(e) = fs::remove_file(root.join(rel)) {
            if e.kind() != io::ErrorKind::NotFound {
                leftovers.push(format!("`{rel}` was created and could not be removed: {e}"));
            }
        }
    }
    for dir in journal.dirs.iter().rev() {
        // Never created (or a name that cannot exist): nothing to undo.
        if !fs::symlink_metadata(root.join(dir)).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        if let Err(e) = fs::remove_dir(root.join(dir)) {
            if e.kind() != io::ErrorKind::NotFound {
                leftovers.push(format!(
                    "the folder `{dir}` was created and could not be removed: {e}"
                ));
            }
        }
    }
    // The removals are durable before the journal that lists them goes.
    let flushed = match mode {
        Flush::Nothing => Ok(()),
        Flush::WholeFs => sync_filesystem(root).map_err(|e| e.to_string()),
        Flush::Each => {
            // The folders still there that a removal changed.
            let mut dirs = changed_dirs(root, journal);
            dirs.retain(|d| fs::symlink_metadata(d).is_ok_and(|m| m.is_dir()));
            flush_dirs(&dirs).map_err(|f| f.to_string())
        }
    };
    if let Err(e) = flushed {
        leftovers.push(format!(
            "the removals could not be flushed to the disk ({e}); the journal `{}` is kept for the next command to undo the write again",
            txn.display()
        ));
        return leftovers;
    }
    if let Err(e) = discard(txn) {
        leftovers.push(format!(
            "the staging folder `{}` could not be removed ({e}); the next write removes it",
            txn.display()
        ));
    }
    leftovers
}

/// Undoes the create-only write a killed process left in `root` (the
/// caller holds the lock).
pub(super) fn recover(
    root: &Path,
    txn: &Path,
    journal: &Created,
    by: Option<String>,
) -> Result<Recovered, WriteError> {
    let mode = flush_for(root, 0);
    let leftovers = roll_back(root, txn, journal, None, mode);
    if leftovers.is_empty() {
        Ok(Recovered::RolledBack {
            root: root.to_path_buf(),
            reason: None,
            by,
        })
    } else {
        Err(WriteError::RollbackIncomplete {
            failure: failure(
                "recover the interrupted write in",
                root.display().to_string(),
                io::Error::other("it was being undone"),
                root,
            ),
            leftovers,
        })
    }
}
