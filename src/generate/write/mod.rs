//! Writing generated files into the output folder, all or nothing.
//!
//! What lives where: [`check`] refuses unsafe items before the disk is
//! touched, [`lock`] keeps one writer per output folder, [`journal`] stages,
//! commits, applies and rolls back (and recovers a write a killed process
//! left; [`direct`] when the write only creates files), [`fs`] holds the
//! platform calls. This file is the public face:
//! the items, the outcome, the errors, and [`write_all`] / [`recover`].
//!
//! Why it is safe to kill the process at any moment: new contents reach a
//! target only by `rename` of a complete, flushed staged file listed in a
//! committed journal, or, when the write replaces nothing, by naming a
//! complete unnamed file at a target the committed journal lists;
//! originals keep a second name until the whole new tree is in place, and
//! the next command that locks the folder finishes or rolls back what the
//! journal says was under way. Why a power loss is safe too (which flush
//! comes before which step): see [`journal`] and [`direct`].

mod check;
mod direct;
mod fs;
mod journal;
mod lock;

use std::io::{self, ErrorKind};
use std::path::Path;

use crate::error::Problem;

pub use self::fs::{atomic_write, make_durable};
pub use crate::generate::paths::STATE_DIR;
pub use journal::Recovered;
pub use lock::FolderLock;

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
    /// What was done first about a write that a killed process had left.
    pub recovered: Option<Recovered>,
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
    /// Another process holds the output folder's lock; the message says who.
    #[error("{0}")]
    Busy(String),
    /// SIGINT, SIGTERM or SIGHUP arrived; everything was put back.
    #[error("interrupted by {}: nothing was changed, every file written so far was put back", crate::generate::interrupt::name(*.0))]
    Interrupted(i32),
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

/// Write every item under `root`, or nothing at all: locks the folder (see
/// [`FolderLock`]) for the check and the write. `root` is created if missing.
pub fn write_all(root: &Path, items: &[WriteItem]) -> Result<WriteSummary, WriteError> {
    let mut lock = FolderLock::acquire(root)?;
    let recovered = lock.take_recovered();
    let mut summary = write_locked(&lock, items)?;
    summary.recovered = recovered;
    Ok(summary)
}

/// [`write_all`] under a lock the caller already holds (so that its plan and
/// this write see the same folder).
pub fn write_locked(lock: &FolderLock, items: &[WriteItem]) -> Result<WriteSummary, WriteError> {
    write_locked_with(lock, items, || (), |()| ()).map(|(summary, ())| summary)
}

/// [`write_locked`], overlapping the caller's work with the disk's:
/// `while_staged` runs while the new contents are on their way to the disk
/// (nothing of the output folder changed yet), `while_flushing` gets its
/// result once every file is in place, while the renames are flushed. Both
/// must leave the output folder alone. Their result counts only with the
/// write's: on an error it is dropped. With nothing to change, both simply
/// run.
pub fn write_locked_with<S, F>(
    lock: &FolderLock,
    items: &[WriteItem],
    while_staged: impl FnOnce() -> S,
    while_flushing: impl FnOnce(S) -> F,
) -> Result<(WriteSummary, F), WriteError> {
    write_locked_knowing(lock, items, while_staged, |s, _| while_flushing(s))
}

/// [`write_locked_with`], telling `while_flushing` whether the items are
/// the whole tree of the folder outside `.skillchain` once written: it
/// held nothing else, and every item was created. Validation then needs
/// no walk of the disk.
pub fn write_locked_knowing<S, F>(
    lock: &FolderLock,
    items: &[WriteItem],
    while_staged: impl FnOnce() -> S,
    while_flushing: impl FnOnce(S, bool) -> F,
) -> Result<(WriteSummary, F), WriteError> {
    let root = lock.root();
    let fresh = check::holds_only_state(root);
    let plan = check::check(root, items, fresh).map_err(WriteError::Refused)?;
    let mut summary = WriteSummary::default();
    for p in &plan {
        let list = match p.action {
            check::Action::Unchanged => &mut summary.unchanged,
            check::Action::Create => &mut summary.created,
            check::Action::Replace => &mut summary.overwritten,
        };
        list.push(p.rel.clone());
    }
    let changes: Vec<&check::Planned<'_>> = plan
        .iter()
        .filter(|p| p.action != check::Action::Unchanged)
        .collect();
    let whole = fresh;
    let done = if changes.is_empty() {
        while_flushing(while_staged(), whole)
    } else {
        journal::write_changes(root, &changes, fresh, while_staged, |s| {
            while_flushing(s, whole)
        })?
    };
    Ok((summary, done))
}

/// Finishes or rolls back a write that a killed process left in `root`, if
/// any, and says which. Touches nothing when there is nothing to recover,
/// so read-only commands (`validate`) call it first. Waits a few seconds
/// for a live writer, then refuses with who it is.
pub fn recover(root: &Path) -> Result<Option<Recovered>, WriteError> {
    if !journal::needs_recovery(root) {
        // A process killed between creating `.skillchain` and its lock file
        // leaves the folder empty: it means nothing, and the folder is as
        // before without it. (Fails, as it should, when it holds anything.)
        let _ = std::fs::remove_dir(root.join(STATE_DIR));
        return Ok(None);
    }
    match FolderLock::acquire_existing(root) {
        Ok(mut lock) => Ok(lock.take_recovered()),
        // Another command finished the repair (or its write) meanwhile.
        Err(_) if !journal::needs_recovery(root) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Why no file can be written where a `kind` (see
/// [`crate::textfile::kind_of`]) stands: the same words for the plan and
/// for the write.
pub fn cannot_write_over(kind: &str) -> String {
    format!(
        "{}, so a file cannot be written there; remove it or choose another --out",
        crate::textfile::not_regular(kind)
    )
}

pub(crate) fn failure(
    action: &'static str,
    path: String,
    source: io::Error,
    dir: &Path,
) -> WriteFailure {
    let hint = hint_for(&source, dir);
    WriteFailure {
        action,
        path,
        source,
        hint,
    }
}

/// What the user can do about an I/O error; `dir` is the folder being written.
pub(super) fn hint_for(e: &io::Error, dir: &Path) -> String {
    // A file where a folder of the path should be: name it.
    if e.kind() == ErrorKind::NotADirectory {
        if let Some(file) = dir.ancestors().find(|a| a.is_file()) {
            return format!(
                "`{}` is a file, so it cannot hold a folder; choose another output folder or move that file away",
                file.display()
            );
        }
    }
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
        ErrorKind::FileTooLarge => "the file is larger than this drive or the file-size limit of this shell (`ulimit -f`) allows; raise the limit or choose another output folder".to_string(),
        _ => format!("check that `{dir}` is writable and try again"),
    }
}

/// For the app, when it opens a journey on `out`: runs [`recover`] and puts
/// what it did (or why it could not) in front of the screen's `notice`.
pub fn recovery_notice(out: &Path, notice: Option<String>) -> Option<String> {
    let line = match recover(out) {
        Ok(Some(r)) => format!("⚠ {r}"),
        Ok(None) => return notice,
        Err(e) => format!("⚠ {}: {e}", out.display()),
    };
    Some(match notice {
        Some(n) => format!("{line} · {n}"),
        None => line,
    })
}
