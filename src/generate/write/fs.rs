//! Platform calls of the write path: atomic single-file saves, rename without
//! replace, starting writeback of a file and flushing folders. Reading goes through
//! [`crate::textfile`], the one reader that opens only regular files.

use std::fs::{self, File};
use std::io::{self, ErrorKind, Write};
use std::path::Path;

/// Write `content` to `path` so that a reader (or a crash) sees either the old
/// file or the new one, never a mix: temp file in the same folder, fsync, rename,
/// fsync the folder. An existing file keeps its permissions; a new one is private
/// to the user, since session files can hold answers.
pub fn atomic_write(path: &Path, content: &[u8]) -> io::Result<()> {
    replace_via_temp(path, content)?;
    sync_dir(parent_or_dot(path))
}

/// Writes a flushed temp file beside `path` and renames it over `path`.
fn replace_via_temp(path: &Path, content: &[u8]) -> io::Result<()> {
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
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Flushes a file written without a flush, and its folder's entry, to the
/// disk.
pub fn make_durable(path: &Path) -> io::Result<()> {
    File::open(path)?.sync_all()?;
    sync_dir(parent_or_dot(path))
}

/// True when both paths name the same file (same device and inode).
#[cfg(unix)]
pub fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::symlink_metadata(a), fs::symlink_metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
pub fn same_file(_a: &Path, _b: &Path) -> bool {
    false
}

pub fn parent_or_dot(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// One directory operation that never replaces a file that appeared
/// meanwhile (Linux `renameat2` with `RENAME_NOREPLACE`). `None` where the
/// call or the flag is not supported.
pub fn rename_no_replace(from: &Path, to: &Path) -> Option<io::Result<()>> {
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

/// Starts writing `file`'s dirty pages to the disk without waiting (Linux
/// `sync_file_range(SYNC_FILE_RANGE_WRITE)`), so that a later `fsync` of it
/// finds the data already written or on its way. Unlike `syncfs`, this
/// touches only our own file, never another process's dirty data. A hint:
/// where unsupported, or if it fails, the later `fsync` does all the work.
pub fn start_writeback(file: &File) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: `file` is an open descriptor for the duration of the call.
        let _ =
            unsafe { libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE) };
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = file;
    }
}

/// False when `dir` lies on a file system held in memory only (tmpfs,
/// ramfs): nothing on it survives a power loss, so flushing it orders
/// nothing and only costs time (the kill-safety of a write never rests on
/// flushes). True wherever that cannot be told.
pub fn outlives_power_loss(dir: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        const RAMFS_MAGIC: i64 = 0x8584_58f6;
        let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
            return true;
        };
        // SAFETY: a zeroed `statfs` is a valid value for the call to fill.
        let mut st: libc::statfs = unsafe { std::mem::zeroed() };
        // SAFETY: `path` is NUL-terminated and `st` is writable for the call.
        if unsafe { libc::statfs(path.as_ptr(), &mut st) } != 0 {
            return true;
        }
        #[allow(clippy::unnecessary_cast)]
        let kind = st.f_type as i64;
        #[allow(clippy::unnecessary_cast)]
        let tmpfs = libc::TMPFS_MAGIC as i64;
        kind != tmpfs && kind != RAMFS_MAGIC
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        true
    }
}

/// At most this many flushes wait on the disk at once: each `fsync` ends
/// with a flush of the disk's write cache, and flushes that wait together
/// are served together (the block layer merges them), so `n` files take
/// about `n / FLUSHERS` cache flushes instead of `n`.
const FLUSHERS: usize = 8;

/// Flushes every file in `files` (`fsync`: data and metadata), several at
/// once; the first failure comes back with the index of its file.
pub fn sync_all_parallel(files: &[File]) -> Result<(), (usize, io::Error)> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || -> Result<(), (usize, io::Error)> {
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            match files.get(i) {
                Some(f) => f.sync_all().map_err(|e| (i, e))?,
                None => return Ok(()),
            }
        }
    };
    let helpers = FLUSHERS.min(files.len()).saturating_sub(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..helpers)
            .filter_map(|_| {
                // A thread that only calls fsync needs little stack; one
                // that cannot start leaves its share to the others.
                std::thread::Builder::new()
                    .stack_size(64 << 10)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        let mut result = work();
        for h in handles {
            let r = h
                .join()
                .unwrap_or_else(|_| Err((0, io::Error::other("a flushing thread stopped"))));
            if result.is_ok() {
                result = r;
            }
        }
        result
    })
}

/// How a barrier of the write makes its files durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flush {
    /// A file system held in memory (see [`outlives_power_loss`]).
    Nothing,
    /// One `syncfs`: while the kernel holds almost no dirty data but ours,
    /// it costs what our own files cost, in one pass.
    WholeFs,
    /// An `fsync` of each file and folder: never waits for other processes'
    /// dirty data, but costs a write of each inode (and, on ext4 without a
    /// journal, far more than one pass).
    Each,
}

/// Dirty or in-flight data of others below which one `syncfs` cannot wait
/// long for them (2 MiB: a few milliseconds of a disk's writing).
const QUIET_BYTES: u64 = 2 << 20;

/// How to flush `own` bytes just written under `dir`: [`Flush::WholeFs`]
/// only while the kernel holds at most [`QUIET_BYTES`] of dirty or
/// in-flight data besides ours (`/proc/meminfo`). `SKILLCHAIN_FLUSH=each`
/// always flushes file by file, `SKILLCHAIN_FLUSH=syncfs` always with
/// `syncfs` (to measure either on a busy machine); both stay durable.
pub fn flush_for(dir: &Path, own: u64) -> Flush {
    if !outlives_power_loss(dir) {
        return Flush::Nothing;
    }
    let forced = std::env::var("SKILLCHAIN_FLUSH").ok();
    if cfg!(not(target_os = "linux")) || forced.as_deref() == Some("each") {
        return Flush::Each;
    }
    if forced.as_deref() == Some("syncfs") {
        return Flush::WholeFs;
    }
    match unwritten_bytes() {
        Some(n) if n <= own.saturating_add(QUIET_BYTES) => Flush::WholeFs,
        _ => Flush::Each,
    }
}

/// Dirty and under-writeback bytes of the whole machine (`/proc/meminfo`).
fn unwritten_bytes() -> Option<u64> {
    use std::io::Read;
    // One read of a buffer that holds the whole file (about 1.5 KiB), not
    // the small growing reads of `read_to_string` on a file of size 0.
    let mut buf = vec![0u8; 8192];
    let mut file = File::open("/proc/meminfo").ok()?;
    let mut len = 0;
    loop {
        match file.read(&mut buf[len..]).ok()? {
            0 => break,
            n => len += n,
        }
        if len == buf.len() {
            buf.resize(len * 2, 0);
        }
    }
    let text = std::str::from_utf8(&buf[..len]).ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = text.lines().find(|l| l.starts_with(name))?;
        let kb = line[name.len()..]
            .split_whitespace()
            .next()?
            .parse::<u64>()
            .ok()?;
        Some(kb * 1024)
    };
    Some(field("Dirty:")? + field("Writeback:")?)
}

/// Flushes the whole file system holding `dir` in one call (Linux `syncfs`).
pub fn sync_filesystem(dir: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let f = File::open(dir)?;
        // SAFETY: `f` is an open descriptor for the duration of the call.
        if unsafe { libc::syncfs(f.as_raw_fd()) } == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        sync_dir(dir)
    }
}

/// Flushes each folder in `dirs` (see [`sync_dir`]), several at once; the
/// first failure says which folder.
pub fn sync_dirs<'a>(dirs: &[&'a Path]) -> Result<(), (&'a Path, io::Error)> {
    let mut open = Vec::with_capacity(dirs.len());
    for dir in dirs {
        #[cfg(unix)]
        open.push(File::open(dir).map_err(|e| (*dir, e))?);
        // Windows cannot open a folder as a file; NTFS journals the rename itself.
        #[cfg(not(unix))]
        let _ = dir;
    }
    sync_all_parallel(&open).map_err(|(i, e)| (dirs[i], e))
}

/// Flush a folder's entries (new names, renames) to disk.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
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

pub fn remove_tree(dir: &Path) -> io::Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// True when the open `file` is the file `path` names now.
#[cfg(unix)]
pub fn same_file_as(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
pub fn same_file_as(_file: &File, path: &Path) -> bool {
    path.exists()
}

/// Runs `flush` (a flush of the disk, or half of a write) on a thread of
/// its own while `work` runs here, one after the other where no thread can
/// be started, so the disk's waits overlap the caller's work. `None`: the
/// other thread panicked.
pub fn beside<R: Send, W>(
    flush: impl FnOnce() -> R + Send,
    work: impl FnOnce() -> W,
) -> (Option<R>, W) {
    // Kept here, not moved into the thread, so a thread that cannot start
    // leaves it to run inline.
    let slot = std::sync::Mutex::new(Some(flush));
    let run = || {
        let f = slot.lock().ok().and_then(|mut s| s.take());
        f.map(|f| f())
    };
    std::thread::scope(|scope| {
        let flusher = std::thread::Builder::new()
            .name("write".to_string())
            .stack_size(256 << 10)
            .spawn_scoped(scope, run);
        match flusher {
            Ok(handle) => {
                let done = work();
                (handle.join().ok().flatten(), done)
            }
            Err(_) => (run(), work()),
        }
    })
}

/// Creates `target` holding `content` so that its name appears only once
/// the content is whole, never over an existing file: on Linux an unnamed
/// file is written in the target's folder (`O_TMPFILE`) and then named
/// (`linkat`, which never replaces). A kill before the name leaves nothing
/// (the kernel frees an unnamed file with its last descriptor). `None`
/// where the system or the file system has no unnamed files, or cannot
/// name one: the caller creates the file by name.
pub fn create_whole(target: &Path, content: &[u8]) -> Option<io::Result<File>> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::OpenOptionsExt;
        let file = fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_TMPFILE)
            .mode(0o666)
            .open(parent_or_dot(target));
        let mut file = match file {
            Ok(f) => f,
            Err(e) => {
                return match e.raw_os_error() {
                    Some(libc::EOPNOTSUPP) | Some(libc::EISDIR) | Some(libc::EINVAL) => None,
                    _ => Some(Err(e)),
                }
            }
        };
        if let Err(e) = file.write_all(content) {
            return Some(Err(e));
        }
        let Ok(to) = std::ffi::CString::new(target.as_os_str().as_bytes()) else {
            return Some(Err(io::Error::new(
                ErrorKind::InvalidInput,
                "the name holds a NUL byte",
            )));
        };
        match name_unnamed(&file, &to) {
            Ok(()) => Some(Ok(file)),
            // No way to name it here (no `/proc`, no links on this file
            // system): the unnamed file goes with its descriptor, and the
            // caller creates the file by name.
            Err(e)
                if matches!(
                    e.raw_os_error(),
                    Some(libc::ENOENT | libc::EPERM | libc::EOPNOTSUPP)
                ) =>
            {
                None
            }
            Err(e) => Some(Err(e)),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (target, content);
        None
    }
}

/// Gives the unnamed `file` the name `to`. `linkat(AT_EMPTY_PATH)` needs a
/// capability most users lack; the `/proc/self/fd` link works for anyone.
/// Which one works is remembered.
#[cfg(target_os = "linux")]
fn name_unnamed(file: &File, to: &std::ffi::CStr) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    use std::sync::atomic::{AtomicBool, Ordering};
    static BY_PROC: AtomicBool = AtomicBool::new(false);
    let fd = file.as_raw_fd();
    if !BY_PROC.load(Ordering::Relaxed) {
        // SAFETY: `fd` is open; both strings are NUL-terminated.
        let rc = unsafe {
            libc::linkat(
                fd,
                c"".as_ptr(),
                libc::AT_FDCWD,
                to.as_ptr(),
                libc::AT_EMPTY_PATH,
            )
        };
        if rc == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::ENOENT) && e.raw_os_error() != Some(libc::EPERM) {
            return Err(e);
        }
        BY_PROC.store(true, Ordering::Relaxed);
    }
    let from = std::ffi::CString::new(format!("/proc/self/fd/{fd}")).map_err(io::Error::other)?;
    // SAFETY: both strings are NUL-terminated.
    let rc = unsafe {
        libc::linkat(
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::AT_SYMLINK_FOLLOW,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}
