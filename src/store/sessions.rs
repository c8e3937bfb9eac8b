//! The session file on disk: atomic saves, loads that keep what they cannot
//! read, and the small clock helpers the session's metadata needs.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use super::StoreError;
use crate::generate::atomic_write;
use crate::generate::write::STATE_DIR;
use crate::session::{SavedSession, SESSION_FORMAT};

pub const SESSION_FILE: &str = "session.json";

/// `<out>/.skillchain/session.json`.
pub fn session_path(out: &Path) -> PathBuf {
    out.join(STATE_DIR).join(SESSION_FILE)
}

/// Where a journey keeps its session: in its output folder when one was
/// given, else in the data dir (None when there is no home folder).
pub fn journey_session_path(out: Option<&Path>) -> Option<PathBuf> {
    match out {
        Some(o) => Some(session_path(o)),
        None => super::Locations::from_os()
            .ok()
            .map(|l| l.unplaced_session()),
    }
}

/// Seconds since the Unix epoch.
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A fresh session id: the time, the process and a counter, in hex.
pub fn new_session_id() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{:x}-{:x}-{:x}{:x}",
        now_secs(),
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// "just now", "5 minutes ago", "3 hours ago", "2 days ago".
pub fn describe_age(seconds: u64) -> String {
    let unit = |n: u64, what: &str| format!("{n} {what}{} ago", if n == 1 { "" } else { "s" });
    match seconds {
        0..=59 => "just now".to_string(),
        60..=3599 => unit(seconds / 60, "minute"),
        3600..=86_399 => unit(seconds / 3600, "hour"),
        _ => unit(seconds / 86_400, "day"),
    }
}

/// Writes the session atomically (temp file, fsync, rename), creating its
/// folder: a kill at any moment leaves the previous save or this one.
pub fn save_session(path: &Path, saved: &SavedSession) -> Result<(), StoreError> {
    write_session(path, saved)
}

/// Like [`save_session`], without waiting for the disk: safe against a kill
/// at once, against an OS crash only after [`make_session_durable`]. For the
/// app, which saves after every keystroke that changes an answer and must
/// draw the next frame without an fsync's delay.
///
/// The new content is written to a spare file beside the session
/// (`.session.json.spare`) and swapped with it in one atomic exchange
/// (`renameat2`); the spare then holds the previous save until
/// [`make_session_durable`] removes it. A plain rename over the session
/// would do the same for a reader, but on ext4 it makes the rename start
/// writing the new file to the disk and free the old one, 0.3–2 ms on the
/// next frame's path; the exchange takes about 0.1 ms.
pub fn save_session_quick(path: &Path, saved: &SavedSession) -> Result<(), StoreError> {
    let text = session_text(path, saved)?;
    let spare = spare_path(path);
    let written = match write_spare(path, &spare, text.as_bytes()) {
        // The folder is made at the first save only: two system calls less
        // on every later one.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| StoreError::io("create the folder", dir, e))?;
            }
            write_spare(path, &spare, text.as_bytes())
        }
        other => other,
    };
    written.map_err(|e| StoreError::io("write", &spare, e))?;
    match exchange(&spare, path) {
        Ok(()) => Ok(()),
        // No session yet, or a filesystem without the exchange: a rename.
        Err(_) => std::fs::rename(&spare, path).map_err(|e| StoreError::io("write", path, e)),
    }
}

/// Flushes a session saved with [`save_session_quick`] to the disk, after
/// removing the previous save the exchange left in the spare file.
pub fn make_session_durable(path: &Path) -> Result<(), StoreError> {
    remove_spare(path)?;
    crate::generate::make_durable(path).map_err(|e| StoreError::io("flush", path, e))
}

/// Removes the spare file of a quick save and the previous save renamed
/// aside from it, if any.
pub fn remove_spare(path: &Path) -> Result<(), StoreError> {
    for spare in [spare_path(path), retired_path(path)] {
        match std::fs::remove_file(&spare) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io("remove", &spare, e)),
        }
    }
    Ok(())
}

/// `<folder>/.<name>.old`: a previous save on its way out.
fn retired_path(path: &Path) -> PathBuf {
    let spare = spare_path(path);
    spare.with_extension("old")
}

/// Flushes quick saves to the disk on a thread of its own, so the app reads
/// the next key while the disk works (an fsync waits 1–30 ms on a busy
/// disk). Dropping it waits for every flush asked for: an app that ends
/// has its last save on the disk.
pub struct SessionFlusher {
    work: Option<mpsc::Sender<(File, PathBuf)>>,
    failed: mpsc::Receiver<StoreError>,
    /// Flushes asked for and not done yet.
    pending: Arc<(Mutex<usize>, Condvar)>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SessionFlusher {
    /// Starts the thread; without one (the system refused it) each flush
    /// waits for the disk where it is asked for.
    pub fn start() -> SessionFlusher {
        let (work, jobs) = mpsc::channel::<(File, PathBuf)>();
        let (report, failed) = mpsc::channel();
        let pending = Arc::new((Mutex::new(0usize), Condvar::new()));
        let done = pending.clone();
        let thread = std::thread::Builder::new()
            .name("session-flush".to_string())
            .spawn(move || {
                while let Ok(job) = jobs.recv() {
                    // A save replaced by a newer one of the same file needs
                    // no flush of its own.
                    let mut batch = vec![job];
                    let mut taken = 1;
                    while let Ok(newer) = jobs.try_recv() {
                        taken += 1;
                        match batch.iter_mut().find(|(_, p)| *p == newer.1) {
                            Some(older) => *older = newer,
                            None => batch.push(newer),
                        }
                    }
                    for (file, path) in batch {
                        if let Err(e) = sync_saved(&file, &path) {
                            let _ = report.send(e);
                        }
                    }
                    let (count, idle) = &*done;
                    if let Ok(mut n) = count.lock() {
                        *n = n.saturating_sub(taken);
                    }
                    idle.notify_all();
                }
            })
            .ok();
        SessionFlusher {
            work: thread.is_some().then_some(work),
            failed,
            pending,
            thread,
        }
    }

    /// Has a session saved by [`save_session_quick`] flushed to the disk:
    /// the previous save left in the spare is renamed aside here (so the
    /// next quick save can write the spare again) and removed on the thread
    /// with the flush (removing frees its blocks, 0.2–10 ms on a busy disk).
    pub fn flush(&self, path: &Path) -> Result<(), StoreError> {
        let spare = spare_path(path);
        match std::fs::rename(&spare, retired_path(path)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io("rename", &spare, e)),
        }
        let file = File::open(path).map_err(|e| StoreError::io("flush", path, e))?;
        let Some(work) = &self.work else {
            return sync_saved(&file, path);
        };
        if let Ok(mut n) = self.pending.0.lock() {
            *n += 1;
        }
        match work.send((file, path.to_path_buf())) {
            Ok(()) => Ok(()),
            // The thread is gone: flush here, and it is not pending.
            Err(mpsc::SendError((file, path))) => {
                if let Ok(mut n) = self.pending.0.lock() {
                    *n = n.saturating_sub(1);
                }
                sync_saved(&file, &path)
            }
        }
    }

    /// Waits until every flush asked for is done (the bench spaces answers
    /// as a person does, further apart than a flush takes).
    pub fn wait_idle(&self) {
        let (count, idle) = &*self.pending;
        if let Ok(mut n) = count.lock() {
            while *n > 0 {
                match idle.wait(n) {
                    Ok(next) => n = next,
                    Err(_) => return,
                }
            }
        }
    }

    /// A flush that failed on the thread since the last call, if any.
    pub fn failure(&self) -> Option<StoreError> {
        self.failed.try_recv().ok()
    }
}

impl Drop for SessionFlusher {
    fn drop(&mut self) {
        drop(self.work.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Flushes a saved session's content and its folder's entry, and removes
/// the previous save renamed aside by [`SessionFlusher::flush`] (gone
/// already when a later flush removed it).
fn sync_saved(file: &File, path: &Path) -> Result<(), StoreError> {
    file.sync_all()
        .map_err(|e| StoreError::io("flush", path, e))?;
    let retired = retired_path(path);
    match std::fs::remove_file(&retired) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(StoreError::io("remove", &retired, e)),
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match File::open(dir).and_then(|d| d.sync_all()) {
        Ok(()) => Ok(()),
        // The journey ended and its folder went with it: nothing to keep.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::io("flush", dir, e)),
    }
}

/// `<folder>/.<name>.spare`: hidden, and recognisably the session's.
fn spare_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| SESSION_FILE.to_string());
    path.with_file_name(format!(".{name}.spare"))
}

/// Writes the spare from scratch (what a kill left there is dropped), with
/// the session's permissions, or private to the user for a new session.
fn write_spare(path: &Path, spare: &Path, content: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(spare)?;
    file.write_all(content)?;
    match std::fs::metadata(path) {
        Ok(meta) => file.set_permissions(meta.permissions()),
        // A spare left by a kill keeps its mode through the truncation.
        #[cfg(unix)]
        Err(_) => file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600)),
        #[cfg(not(unix))]
        Err(_) => Ok(()),
    }
}

/// Swaps two existing files atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are NUL-terminated strings that outlive the call.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

fn session_text(path: &Path, saved: &SavedSession) -> Result<String, StoreError> {
    let mut text = serde_json::to_string_pretty(saved).map_err(|e| {
        StoreError::io(
            "write",
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        )
    })?;
    text.push('\n');
    Ok(text)
}

fn write_session(path: &Path, saved: &SavedSession) -> Result<(), StoreError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io("create the folder", dir, e))?;
    }
    let text = session_text(path, saved)?;
    atomic_write(path, text.as_bytes()).map_err(|e| StoreError::io("write", path, e))?;
    remove_spare(path)
}

/// Reads a session file: `None` when there is none. A file that does not
/// parse (corrupt, truncated, empty) is renamed aside to
/// `session.json.corrupt-<seconds>` and reported, never deleted.
pub fn load_session(path: &Path) -> Result<Option<SavedSession>, StoreError> {
    let bytes = match crate::textfile::read_bytes(path, 64 << 20, "session files") {
        Ok(b) => b,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(StoreError::Unreadable(e)),
    };
    // The version first, so a newer file is not mistaken for a corrupt one.
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) {
        if let Some(found) = v.get("skillchain_session").and_then(|f| f.as_u64()) {
            if found > u64::from(SESSION_FORMAT) {
                return Err(StoreError::NewerSession {
                    path: path.to_path_buf(),
                    found: u32::try_from(found).unwrap_or(u32::MAX),
                    supported: SESSION_FORMAT,
                });
            }
        }
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(set_aside(path, "the file is empty".to_string()));
    }
    match serde_json::from_slice::<SavedSession>(&bytes) {
        Ok(s) if s.skillchain_session == SESSION_FORMAT => Ok(Some(s)),
        Ok(s) => Err(set_aside(
            path,
            format!("unknown session format {}", s.skillchain_session),
        )),
        Err(e) => Err(set_aside(path, e.to_string())),
    }
}

fn set_aside(path: &Path, reason: String) -> StoreError {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| SESSION_FILE.to_string());
    let stamp = now_secs();
    let mut kept_as = path.with_file_name(format!("{name}.corrupt-{stamp}"));
    let mut n = 1;
    while kept_as.exists() {
        kept_as = path.with_file_name(format!("{name}.corrupt-{stamp}-{n}"));
        n += 1;
    }
    match std::fs::rename(path, &kept_as) {
        Ok(()) => StoreError::CorruptSession {
            path: path.to_path_buf(),
            reason,
            kept_as,
        },
        Err(rename) => StoreError::CorruptSessionStuck {
            path: path.to_path_buf(),
            reason,
            rename,
        },
    }
}

/// Removes a session file (after the tree is written, or on an explicit
/// discard). A file that is already gone is fine.
pub fn discard_session(path: &Path) -> Result<(), StoreError> {
    remove_spare(path)?;
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::io("remove", path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_as_a_person_says_them() {
        assert_eq!(describe_age(5), "just now");
        assert_eq!(describe_age(60), "1 minute ago");
        assert_eq!(describe_age(7200), "2 hours ago");
        assert_eq!(describe_age(3 * 86_400 + 5), "3 days ago");
    }

    fn saved() -> SavedSession {
        use crate::detect::detect_in_pack;
        use crate::session::{Session, SessionMeta};
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs/mini");
        let pack = std::sync::Arc::new(crate::pack::load_dir(&dir).expect("mini loads"));
        let det = detect_in_pack(&pack, pack.detect_index(), "kafka streaming");
        let s = Session::new(pack, det, None, crate::pack::Maturity::Intermediate);
        let meta = SessionMeta {
            id: "id".to_string(),
            created: 1,
            out: None,
        };
        s.to_saved(&meta, 2)
    }

    #[test]
    fn a_saved_session_loads_back_equal_and_a_missing_one_is_none() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = session_path(&dir.path().join("out"));
        assert_eq!(load_session(&path).expect("no file is fine"), None);
        save_session(&path, &saved()).expect("saved");
        assert_eq!(load_session(&path).expect("loads"), Some(saved()));
        discard_session(&path).expect("discarded");
        assert!(!path.exists());
        discard_session(&path).expect("discarding twice is fine");
    }

    /// Quick saves, flushes and durable saves in a seeded random order: the
    /// file always loads as the last save, the spare holding the previous
    /// save exists only between a quick save over a session and its flush,
    /// and discarding leaves neither.
    #[test]
    fn quick_saves_always_leave_the_last_save_and_a_flush_removes_the_spare() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = session_path(&dir.path().join("out"));
        let spare = spare_path(&path);
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut last: Option<u64> = None;
        let mut expect_spare = false;
        for n in 0..120u64 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut s = saved();
            s.updated = n;
            match seed % 4 {
                0 => {
                    save_session(&path, &s).expect("saved");
                    expect_spare = false;
                    last = Some(n);
                }
                1 if last.is_some() => {
                    make_session_durable(&path).expect("flushed");
                    expect_spare = false;
                }
                _ => {
                    save_session_quick(&path, &s).expect("saved quickly");
                    expect_spare |= last.is_some();
                    last = Some(n);
                }
            }
            let loaded = load_session(&path).expect("loads").map(|l| l.updated);
            assert_eq!(loaded, last, "step {n}");
            assert_eq!(spare.exists(), expect_spare, "step {n}");
        }
        save_session_quick(&path, &saved()).expect("saved quickly");
        discard_session(&path).expect("discarded");
        assert!(!path.exists() && !spare.exists());
    }

    #[test]
    fn the_flusher_removes_the_spare_at_once_and_its_drop_waits_for_the_flushes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let paths: Vec<PathBuf> = (0..3)
            .map(|n| session_path(&dir.path().join(format!("out{n}"))))
            .collect();
        let flusher = SessionFlusher::start();
        for round in 0..20u64 {
            for path in &paths {
                let mut s = saved();
                s.updated = round;
                save_session_quick(path, &s).expect("saved quickly");
                flusher.flush(path).expect("flush asked for");
                assert!(!spare_path(path).exists());
            }
        }
        flusher.wait_idle();
        drop(flusher);
        for path in &paths {
            assert!(!retired_path(path).exists());
            let loaded = load_session(path).expect("loads").expect("exists");
            assert_eq!(loaded.updated, 19);
        }
        let err = SessionFlusher::start()
            .flush(&dir.path().join("none/session.json"))
            .expect_err("nothing saved there");
        assert!(err.to_string().contains("none/session.json"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_quick_save_keeps_the_session_files_permissions_and_a_new_one_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(SESSION_FILE);
        // What a kill between writing the spare and the swap leaves.
        std::fs::write(spare_path(&path), "{ half a sess").expect("leftover");
        save_session_quick(&path, &saved()).expect("saved");
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(load_session(&path).expect("loads"), Some(saved()));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        save_session_quick(&path, &saved()).expect("saved again");
        assert_eq!(mode(&path), 0o640);
        assert_eq!(load_session(&path).expect("loads"), Some(saved()));
    }

    #[test]
    fn a_truncated_session_file_is_renamed_aside_and_reported_with_both_paths() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(SESSION_FILE);
        let full = serde_json::to_string(&saved()).expect("json");
        let cut = &full[..full.len() / 2];
        std::fs::write(&path, cut).expect("write");
        let err = load_session(&path).expect_err("corrupt");
        let StoreError::CorruptSession { kept_as, .. } = &err else {
            panic!("{err}");
        };
        assert!(!path.exists());
        assert_eq!(std::fs::read_to_string(kept_as).expect("kept"), cut);
        let name = kept_as
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert!(name.starts_with("session.json.corrupt-"), "{name}");
        let msg = err.to_string();
        assert!(
            msg.starts_with(&format!(
                "`{}` is not a readable session file (EOF while parsing",
                path.display()
            )),
            "{msg}"
        );
        assert!(
            msg.ends_with(&format!(
                "it was kept as `{}` (nothing was deleted): its answers can be read there by hand; start a new journey to go on",
                kept_as.display()
            )),
            "{msg}"
        );
        // A second corrupt file does not replace the first one kept.
        std::fs::write(&path, "").expect("write");
        let err = load_session(&path).expect_err("empty");
        let StoreError::CorruptSession {
            kept_as: second,
            reason,
            ..
        } = &err
        else {
            panic!("{err}");
        };
        assert_eq!(reason, "the file is empty");
        assert_ne!(second, kept_as);
        assert!(kept_as.exists() && second.exists());
    }

    #[test]
    fn a_session_from_a_newer_skillchain_is_refused_and_left_in_place() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(SESSION_FILE);
        std::fs::write(&path, "{\"skillchain_session\": 9, \"future\": true}").expect("write");
        let err = load_session(&path).expect_err("newer");
        assert!(matches!(
            err,
            StoreError::NewerSession {
                found: 9,
                supported: 1,
                ..
            }
        ));
        assert!(path.exists());
    }

    #[test]
    fn session_ids_differ_between_calls() {
        assert_ne!(new_session_id(), new_session_id());
    }
}
