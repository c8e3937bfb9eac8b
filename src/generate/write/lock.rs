//! The advisory file lock of skillchain: one writer at a time for the
//! whole plan-check-write of an output folder, and for the pack store
//! (`pack add|update|remove` rewriting `packs.lock`). An advisory lock (`flock`) on `<out>/.skillchain/lock`,
//! which also says who holds it (pid, command, since when) and which folders
//! its holder created, so that a lock left by a killed process is recovered:
//! the OS drops the locks of a dead process, and the next holder reads what
//! the dead one left and finishes or rolls back its write.
//!
//! The lock file is removed on release while still locked; an acquirer
//! checks after locking that the path still names the file it locked, so
//! the removal never lets two holders in.

use std::fs::{self, File, TryLockError};
use std::io::{self, ErrorKind, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::fs::parent_or_dot;
use super::journal::{self, Recovered};
use super::{failure, WriteError};
use crate::generate::interrupt;
use crate::generate::paths::STATE_DIR;
use crate::textfile::kind_of;

pub const LOCK_FILE: &str = "lock";

/// How long a second writer waits for the first before refusing.
/// `SKILLCHAIN_LOCK_WAIT_MS` changes it (tests, slow disks).
const DEFAULT_WAIT: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(25);

/// What the lock file records about its holder.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Holder {
    pid: u32,
    command: String,
    /// Seconds since the Unix epoch.
    since: u64,
    /// Folders created to hold the lock (the output folder, its missing
    /// parents, `.skillchain`), outermost first: removed again when empty.
    #[serde(default)]
    created: Vec<PathBuf>,
}

/// The output folder, locked. Released (lock file removed, folders it
/// created removed again when empty) when dropped.
#[derive(Debug)]
pub struct FolderLock {
    root: PathBuf,
    file: Option<File>,
    /// Folders to remove when empty on release, outermost first.
    created: Vec<PathBuf>,
    /// What was done to finish a write interrupted before this one.
    recovered: Option<Recovered>,
}

impl FolderLock {
    /// Locks `root` (creating it if needed), waiting a few seconds for
    /// another writer, then finishes or rolls back any write that a killed
    /// process left there. See [`FolderLock::recovered`].
    pub fn acquire(root: &Path) -> Result<FolderLock, WriteError> {
        Self::acquire_waiting(root, wait_time())
    }

    /// [`FolderLock::acquire`], waiting at most `wait` for another writer.
    pub fn acquire_waiting(root: &Path, wait: Duration) -> Result<FolderLock, WriteError> {
        let (mut lock, dead) = acquire(root, wait, true, FOR_OUTPUT)?;
        lock.recovered =
            journal::recover_locked(root, dead.as_ref().map(Holder::who), dead.is_some())?;
        Ok(lock)
    }

    /// Locks an existing folder that has a lock file or a write in progress,
    /// without creating anything: for commands that only read it.
    pub(super) fn acquire_existing(root: &Path) -> Result<FolderLock, WriteError> {
        let (mut lock, dead) = acquire(root, wait_time(), false, FOR_OUTPUT)?;
        lock.recovered =
            journal::recover_locked(root, dead.as_ref().map(Holder::who), dead.is_some())?;
        Ok(lock)
    }

    /// Locks a folder of skillchain's own (the config dir, while a pack
    /// command rewrites `packs.lock`); a busy lock says to run that
    /// command again.
    pub fn acquire_store(root: &Path) -> Result<FolderLock, WriteError> {
        let (mut lock, dead) = acquire(
            root,
            wait_time(),
            true,
            "Wait for it to finish and run the command again",
        )?;
        lock.recovered =
            journal::recover_locked(root, dead.as_ref().map(Holder::who), dead.is_some())?;
        Ok(lock)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The interrupted write this lock found and dealt with, if any.
    pub fn recovered(&self) -> Option<&Recovered> {
        self.recovered.as_ref()
    }

    pub fn take_recovered(&mut self) -> Option<Recovered> {
        self.recovered.take()
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        let path = self.root.join(STATE_DIR).join(LOCK_FILE);
        // Removed while still held: see the module comment.
        let _ = fs::remove_file(&path);
        self.file = None;
        // Fails, as it should, for any folder that holds something. An empty
        // `.skillchain` means nothing, so it goes even when not ours.
        let _ = fs::remove_dir(self.root.join(STATE_DIR));
        for dir in self.created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    }
}

fn wait_time() -> Duration {
    std::env::var("SKILLCHAIN_LOCK_WAIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(DEFAULT_WAIT)
}

impl Holder {
    /// `` `skillchain run` (pid 42) ``, for the recovery message.
    fn who(&self) -> String {
        format!("`{}` (pid {})", self.command, self.pid)
    }
}

/// What a busy output folder's message says to do.
const FOR_OUTPUT: &str = "Wait for it to finish and run again, or choose another --out";

/// Locks `root`; also returns what a dead holder left in the lock file.
/// `advice` ends the message when another process holds it.
fn acquire(
    root: &Path,
    wait: Duration,
    create: bool,
    advice: &str,
) -> Result<(FolderLock, Option<Holder>), WriteError> {
    let deadline = Instant::now() + wait;
    let state = root.join(STATE_DIR);
    let path = state.join(LOCK_FILE);
    let mut created = Vec::new();
    loop {
        if create {
            create_missing(root, &mut created)?;
        }
        let file = match check_state_dir(&state).and_then(|()| open_lock_file(&path)) {
            Ok(f) => f,
            // `.skillchain` was removed, empty, by a holder releasing or a
            // repair between our creating it and opening the lock: again.
            Err(_)
                if create && fs::symlink_metadata(&state).is_err() && Instant::now() < deadline =>
            {
                continue
            }
            Err(e) => return Err(e),
        };
        match file.try_lock() {
            Ok(()) => {
                // Removed (and maybe created anew) by its last holder between
                // our open and our lock: that file is no longer the lock.
                if !super::fs::same_file_as(&file, &path) {
                    continue;
                }
                let mut file = file;
                let dead = read_holder(&mut file);
                // A dead holder's folders are ours to remove once empty.
                for dir in dead.iter().flat_map(|h| h.created.iter()) {
                    if !created.contains(dir) {
                        created.push(dir.clone());
                    }
                }
                created.sort_by_key(|d| d.components().count());
                let me = Holder {
                    pid: std::process::id(),
                    command: command_label(),
                    since: now(),
                    created: created.clone(),
                };
                // A read-only folder can still be locked; the record is a courtesy.
                let _ = write_holder(&mut file, &me);
                let lock = FolderLock {
                    root: root.to_path_buf(),
                    file: Some(file),
                    created,
                    recovered: None,
                };
                return Ok((lock, dead));
            }
            Err(TryLockError::WouldBlock) => {
                if let Some(signal) = interrupt::pending() {
                    return Err(WriteError::Interrupted(signal));
                }
                if Instant::now() >= deadline {
                    let mut file = file;
                    let holder = read_holder(&mut file).unwrap_or_default();
                    return Err(WriteError::Busy(describe(&holder, root, wait, advice)));
                }
                std::thread::sleep(POLL);
            }
            Err(TryLockError::Error(e)) => {
                return Err(WriteError::RolledBack(failure(
                    "lock",
                    shown(&path),
                    e,
                    &state,
                )))
            }
        }
    }
}

/// Creates the output folder, its missing parents and `.skillchain`,
/// remembering each one created (outermost first).
fn create_missing(root: &Path, created: &mut Vec<PathBuf>) -> Result<(), WriteError> {
    if let Ok(meta) = fs::metadata(root) {
        if !meta.is_dir() {
            return Err(WriteError::Refused(vec![crate::error::Problem::new(
                root.display().to_string(),
                "the output folder is a file; choose another output folder",
            )]));
        }
    }
    let state = root.join(STATE_DIR);
    let mut missing = Vec::new();
    let mut dir = state.as_path();
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
        match fs::create_dir(&dir) {
            Ok(()) => created.push(dir),
            // Another writer made it first: fine, it is not ours to remove.
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => {
                let (action, shown) = if dir == state {
                    ("create the folder", STATE_DIR.to_string())
                } else {
                    ("create the output folder", dir.display().to_string())
                };
                return Err(WriteError::RolledBack(failure(
                    action,
                    shown,
                    e,
                    parent_or_dot(&dir),
                )));
            }
        }
    }
    Ok(())
}

/// `.skillchain` must be a real folder: a link could put the lock, the
/// journal and so our writes anywhere.
fn check_state_dir(state: &Path) -> Result<(), WriteError> {
    match fs::symlink_metadata(state) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(meta) => Err(WriteError::Refused(vec![crate::error::Problem::new(
            state.display().to_string(),
            format!(
                "is a {}, but skillchain keeps its files in a folder there; move it away",
                kind_of(&meta).unwrap_or("file")
            ),
        )])),
        Err(e) => Err(WriteError::RolledBack(failure(
            "inspect",
            STATE_DIR.to_string(),
            e,
            parent_or_dot(state),
        ))),
    }
}

/// Opens (or creates) the lock file; anything else than a regular file
/// there is refused with what it is.
fn open_lock_file(path: &Path) -> Result<File, WriteError> {
    let not_a_file = |kind: &str| {
        WriteError::Refused(vec![crate::error::Problem::new(
            shown(path),
            format!(
                "{}; skillchain keeps its lock file there: remove it",
                crate::textfile::not_regular(kind)
            ),
        )])
    };
    let io_failure =
        |e: io::Error| WriteError::RolledBack(failure("lock", shown(path), e, parent_or_dot(path)));
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A FIFO or a link planted at the lock's name must not block or redirect us.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = match options.open(path) {
        Ok(f) => f,
        // A read-only folder: locking works on a read-only descriptor too.
        Err(e) if e.kind() == ErrorKind::PermissionDenied && path.exists() => {
            fs::OpenOptions::new()
                .read(true)
                .open(path)
                .map_err(io_failure)?
        }
        Err(e) => {
            return Err(
                match fs::symlink_metadata(path).ok().as_ref().and_then(kind_of) {
                    Some(kind) => not_a_file(kind),
                    None => io_failure(e),
                },
            )
        }
    };
    if let Some(kind) = kind_of(&file.metadata().map_err(io_failure)?) {
        return Err(not_a_file(kind));
    }
    Ok(file)
}

fn read_holder(file: &mut File) -> Option<Holder> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.take(64 * 1024).read_to_string(&mut text).ok()?;
    serde_json::from_str(&text).ok()
}

fn write_holder(file: &mut File, holder: &Holder) -> io::Result<()> {
    let text = serde_json::to_string(holder).map_err(io::Error::other)?;
    file.set_len(0)?;
    file.rewind()?;
    file.write_all(text.as_bytes())
}

/// `skillchain run`: the program and its subcommand, never the rest of the
/// command line (answers given with `--set` can be secrets).
fn command_label() -> String {
    let mut args = std::env::args();
    let program = args
        .next()
        .map(|p| {
            Path::new(&p)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or(p)
        })
        .unwrap_or_else(|| "skillchain".to_string());
    // The first word that is a subcommand (global flags may come first);
    // without one it is the app.
    const COMMANDS: [&str; 5] = ["run", "resume", "validate", "prefs", "pack"];
    let mut args = args.skip_while(|a| !COMMANDS.contains(&a.as_str()));
    match (args.next(), args.next()) {
        // `pack add`: the pack command too (never its arguments).
        (Some(sub), Some(what)) if sub == "pack" && !what.starts_with('-') => {
            format!(
                "{program} {sub} {}",
                what.chars().take(20).collect::<String>()
            )
        }
        (Some(sub), _) => format!("{program} {sub}"),
        (None, _) => program,
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn describe(holder: &Holder, root: &Path, wait: Duration, advice: &str) -> String {
    let who = if holder.pid == 0 {
        "another process".to_string()
    } else {
        format!(
            "`{}` (pid {}, since {})",
            holder.command,
            holder.pid,
            crate::utc::readable(holder.since)
        )
    };
    format!(
        "`{}` is being written by {who}; waited {:.0} s. {advice}",
        root.display(),
        wait.as_secs_f64()
    )
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}
