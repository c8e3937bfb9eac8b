//! `generate::write` against real folders: every test builds a temp dir, runs
//! `write_all`, and compares the whole tree before and after.

// Permission bits, inodes and symlinks are Unix notions.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::ErrorKind;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use skillchain::error::Problem;
use skillchain::generate::write::{
    atomic_write, write_all, FolderLock, Recovered, WriteError, WriteItem, WriteMode, WriteSummary,
};
use WriteMode::{Create, Overwrite};

#[derive(Debug, PartialEq, Eq)]
enum Node {
    Dir,
    File {
        content: Vec<u8>,
        mode: u32,
        mtime: SystemTime,
        inode: u64,
    },
    Link(PathBuf),
}

/// Everything under `root` that a user could notice changing (folder mtimes aside).
fn snapshot(root: &Path) -> BTreeMap<String, Node> {
    let mut tree = BTreeMap::new();
    if !root.exists() {
        return tree;
    }
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let meta = fs::symlink_metadata(entry.path()).unwrap();
        let node = if meta.file_type().is_symlink() {
            Node::Link(fs::read_link(entry.path()).unwrap())
        } else if meta.is_dir() {
            Node::Dir
        } else {
            Node::File {
                content: fs::read(entry.path()).unwrap(),
                mode: meta.permissions().mode(),
                mtime: meta.modified().unwrap(),
                inode: meta.ino(),
            }
        };
        tree.insert(rel, node);
    }
    tree
}

fn item(path: &str, content: &str, mode: WriteMode) -> WriteItem {
    WriteItem::new(path, content, mode)
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn write_file(path: &Path, content: &str) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(path, content).unwrap();
}

/// Give a file an mtime far in the past, so "untouched" is visible even when the
/// test runs within one timestamp tick.
fn age(path: &Path) {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(old)
        .unwrap();
}

fn problems(err: WriteError) -> Vec<Problem> {
    match err {
        WriteError::Refused(problems) => problems,
        other => panic!("expected a refusal, got: {other}"),
    }
}

/// Everything in `.skillchain` but the answers file: staging in any state.
fn staging_dirs(root: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(root.join(".skillchain")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "answers.yaml")
        .collect();
    names.sort();
    names
}

/// Root ignores permission bits, so permission tests only prove something when
/// a write into a read-only folder really fails.
fn permissions_are_enforced(scratch: &Path) -> bool {
    let probe = scratch.join("probe");
    fs::create_dir(&probe).unwrap();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o555)).unwrap();
    let enforced = File::create(probe.join("x")).is_err();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o755)).unwrap();
    fs::remove_dir_all(&probe).unwrap();
    enforced
}

#[test]
fn creates_nested_files_and_a_missing_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("out/project");
    let summary = write_all(
        &root,
        &[
            item("README.md", "# hi\n", Create),
            item("dbt/models/staging/orders.sql", "select 1\n", Create),
            item(".skillchain/answers.yaml", "a: 1\n", Create),
        ],
    )
    .unwrap();
    assert_eq!(
        summary,
        WriteSummary {
            created: strings(&[
                "README.md",
                "dbt/models/staging/orders.sql",
                ".skillchain/answers.yaml"
            ]),
            overwritten: vec![],
            unchanged: vec![],
            recovered: None,
        }
    );
    let tree: Vec<String> = snapshot(&root).into_keys().collect();
    assert_eq!(
        tree,
        strings(&[
            ".skillchain",
            ".skillchain/answers.yaml",
            "README.md",
            "dbt",
            "dbt/models",
            "dbt/models/staging",
            "dbt/models/staging/orders.sql",
        ])
    );
    assert_eq!(
        fs::read_to_string(root.join("dbt/models/staging/orders.sql")).unwrap(),
        "select 1\n"
    );
}

#[test]
fn staging_folder_is_removed_when_it_was_the_only_thing_in_skillchain_dir() {
    let tmp = tempfile::tempdir().unwrap();
    write_all(tmp.path(), &[item("a.txt", "a", Create)]).unwrap();
    assert!(!tmp.path().join(".skillchain").exists());
}

#[test]
fn identical_files_are_reported_unchanged_and_left_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write_file(&root.join("same.txt"), "same\n");
    write_file(&root.join("sub/forced.txt"), "forced\n");
    age(&root.join("same.txt"));
    age(&root.join("sub/forced.txt"));
    let before = snapshot(root);

    let summary = write_all(
        root,
        &[
            item("same.txt", "same\n", Create),
            item("sub/forced.txt", "forced\n", Overwrite),
        ],
    )
    .unwrap();

    assert_eq!(summary.unchanged, strings(&["same.txt", "sub/forced.txt"]));
    assert!(summary.created.is_empty() && summary.overwritten.is_empty());
    // Same content, mode, mtime and inode: the files were not rewritten.
    assert_eq!(snapshot(root), before);
}

#[test]
fn create_over_a_differing_file_is_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write_file(&root.join("mine.txt"), "my edits\n");
    let before = snapshot(root);

    let err = write_all(
        root,
        &[
            item("new/file.txt", "new\n", Create),
            item("mine.txt", "generated\n", Create),
        ],
    )
    .unwrap_err();

    assert_eq!(
        problems(err),
        vec![Problem::new(
            "mine.txt",
            "already exists with different content; choose to overwrite or keep it"
        )]
    );
    assert_eq!(snapshot(root), before);
}

#[test]
fn overwrite_replaces_a_differing_file_and_keeps_its_permissions() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write_file(&root.join("run.sh"), "echo old\n");
    fs::set_permissions(root.join("run.sh"), fs::Permissions::from_mode(0o755)).unwrap();

    let summary = write_all(
        root,
        &[
            item("run.sh", "echo new\n", Overwrite),
            item("other.txt", "x", Overwrite),
        ],
    )
    .unwrap();

    assert_eq!(summary.overwritten, strings(&["run.sh"]));
    assert_eq!(summary.created, strings(&["other.txt"]));
    assert_eq!(
        fs::read_to_string(root.join("run.sh")).unwrap(),
        "echo new\n"
    );
    let mode = fs::metadata(root.join("run.sh"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755);
    assert_eq!(staging_dirs(root), Vec::<String>::new());
}

#[test]
fn unsafe_duplicate_and_conflicting_paths_are_all_listed_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("out");
    let err = write_all(
        &root,
        &[
            item("/etc/passwd", "x", Create),
            item("ok.txt", "1", Create),
            item("a/../../escape", "x", Create),
            item("ok.txt", "2", Overwrite),
            item("a//b", "x", Create),
            item("", "x", Create),
            item(".skillchain/staging-abc/f", "x", Create),
            item("docs", "x", Create),
            item("docs/index.md", "x", Create),
        ],
    )
    .unwrap_err();
    let text = err.to_string();
    assert_eq!(
        problems(err),
        vec![
            Problem::new("/etc/passwd", "`/etc/passwd` is absolute"),
            Problem::new("a/../../escape", "`a/../../escape` climbs out with `..`"),
            Problem::new(
                "ok.txt",
                "is listed twice (items 2 and 4); each file can be written once"
            ),
            Problem::new("a//b", "`a//b` has an empty or `.` segment"),
            Problem::new("", "the path is empty"),
            Problem::new(
                ".skillchain/staging-abc/f",
                "`.skillchain/staging-abc/f` is inside `.skillchain/`, which holds skillchain's own files; choose another path"
            ),
            Problem::new(
                "docs",
                "is written as a file, but `docs/index.md` needs it to be a folder"
            ),
        ]
    );
    assert!(text.starts_with(
        "nothing was written: 7 problems\n  - /etc/passwd: `/etc/passwd` is absolute\n"
    ));
    assert!(!root.exists(), "the output folder must not even be created");
}

#[test]
fn a_parent_that_is_a_file_is_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write_file(&root.join("notes"), "a file, not a folder\n");
    let before = snapshot(root);

    let err = write_all(
        root,
        &[
            item("a.txt", "a", Create),
            item("b/c.txt", "c", Create),
            item("notes/todo.md", "x", Create),
        ],
    )
    .unwrap_err();

    assert_eq!(
        problems(err),
        vec![Problem::new(
            "notes/todo.md",
            "needs `notes` to be a folder, but it is a file; move it away or choose another path"
        )]
    );
    assert_eq!(snapshot(root), before);
}

#[test]
fn a_folder_at_the_target_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("models")).unwrap();
    let err = write_all(tmp.path(), &[item("models", "x", Overwrite)]).unwrap_err();
    assert_eq!(
        problems(err),
        vec![Problem::new(
            "models",
            "is a folder on disk, so a file cannot be written there; move it away or choose another path"
        )]
    );
}

#[test]
fn links_inside_the_output_folder_are_refused_so_nothing_lands_outside() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    let root = tmp.path().join("out");
    fs::create_dir_all(&outside).unwrap();
    fs::create_dir_all(root.join("real")).unwrap();
    write_file(&outside.join("secret.txt"), "keep\n");
    std::os::unix::fs::symlink(&outside, root.join("escape")).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), root.join("secret.txt")).unwrap();
    std::os::unix::fs::symlink(root.join("real"), root.join("inner")).unwrap();
    let before_outside = snapshot(&outside);
    let before = snapshot(&root);

    let err = write_all(
        &root,
        &[
            item("fine.txt", "ok", Create),
            item("escape/evil.txt", "x", Create),
            item("secret.txt", "x", Overwrite),
            item("inner/x.txt", "x", Create),
        ],
    )
    .unwrap_err();

    assert_eq!(
        problems(err),
        vec![
            Problem::new(
                "escape/evil.txt",
                "passes through the symbolic link `escape`, which points outside the output folder; remove the link or choose another path"
            ),
            Problem::new(
                "secret.txt",
                "is a symbolic link, which points outside the output folder; remove the link or choose another path"
            ),
            Problem::new(
                "inner/x.txt",
                "passes through the symbolic link `inner`, and links are never followed; remove the link or choose another path"
            ),
        ]
    );
    assert_eq!(snapshot(&outside), before_outside);
    assert_eq!(snapshot(&root), before);
}

/// Deterministic even as root: a folder name longer than any Linux/macOS
/// filesystem allows (255 bytes) passes the checks (its parent does not exist yet)
/// and fails for real when the move phase creates it, after earlier items have
/// already been moved into place.
#[test]
fn a_failure_while_moving_into_place_undoes_every_earlier_move() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write_file(&root.join("keep.txt"), "original\n");
    write_file(&root.join("src/main.py"), "print(1)\n");
    fs::set_permissions(root.join("keep.txt"), fs::Permissions::from_mode(0o640)).unwrap();
    age(&root.join("keep.txt"));
    let before = snapshot(root);
    let long = "x".repeat(256);
    let bad = format!("deep/{long}/f.txt");

    let err = write_all(
        root,
        &[
            item("keep.txt", "replaced\n", Overwrite),
            item("src/pkg/sub/new.py", "new\n", Create),
            item("top.txt", "top\n", Create),
            item("src/main.py", "print(1)\n", Create),
            item(&bad, "never\n", Create),
            item("after.txt", "after\n", Create),
        ],
    )
    .unwrap_err();

    let WriteError::RolledBack(failure) = &err else {
        panic!("expected a clean rollback, got: {err}");
    };
    assert_eq!(failure.action, "create the folder");
    assert_eq!(failure.path, format!("deep/{long}"));
    assert_eq!(failure.source.kind(), ErrorKind::InvalidFilename);
    assert_eq!(
        failure.hint,
        "the name is too long or not allowed on this drive; shorten or rename it"
    );
    assert!(err
        .to_string()
        .ends_with("\nnothing was changed: every file written so far was put back"));
    // keep.txt is back with its original content, mode, mtime and inode.
    assert_eq!(snapshot(root), before);
}

#[test]
fn a_failure_removes_the_output_folder_it_created() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("new/out");
    let long = "y".repeat(300);
    let err = write_all(
        &root,
        &[
            item("a/b.txt", "b", Create),
            item(&format!("{long}/c.txt"), "c", Create),
        ],
    )
    .unwrap_err();
    // Refused at the check: the folder exists by then (the lock made it).
    let problems = problems(err);
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0]
            .message
            .ends_with("the name is too long or not allowed on this drive; shorten or rename it"),
        "{}",
        problems[0]
    );
    assert_eq!(snapshot(tmp.path()), BTreeMap::new());
}

#[test]
fn a_read_only_target_folder_fails_with_its_name_and_rolls_back() {
    let tmp = tempfile::tempdir().unwrap();
    if !permissions_are_enforced(tmp.path()) {
        eprintln!("skipped: running as root, permission bits are not enforced");
        return;
    }
    let root = tmp.path().join("out");
    write_file(&root.join("keep.txt"), "original\n");
    fs::create_dir(root.join("locked")).unwrap();
    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot(&root);

    let err = write_all(
        &root,
        &[
            item("keep.txt", "replaced\n", Overwrite),
            item("fresh/new.txt", "new\n", Create),
            item("locked/x.txt", "x\n", Create),
        ],
    )
    .unwrap_err();

    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o755)).unwrap();
    let WriteError::RolledBack(failure) = &err else {
        panic!("expected a clean rollback, got: {err}");
    };
    assert_eq!(failure.action, "write");
    assert_eq!(failure.path, "locked/x.txt");
    assert_eq!(failure.source.kind(), ErrorKind::PermissionDenied);
    assert_eq!(
        failure.hint,
        format!("check permissions on `{}`", root.join("locked").display())
    );
    assert_eq!(snapshot(&root), before);
}

#[test]
fn a_read_only_output_folder_fails_before_any_target_is_touched() {
    let tmp = tempfile::tempdir().unwrap();
    if !permissions_are_enforced(tmp.path()) {
        eprintln!("skipped: running as root, permission bits are not enforced");
        return;
    }
    let root = tmp.path().join("out");
    write_file(&root.join("keep.txt"), "original\n");
    fs::set_permissions(&root, fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot(&root);

    let err = write_all(&root, &[item("keep.txt", "replaced\n", Overwrite)]).unwrap_err();

    fs::set_permissions(&root, fs::Permissions::from_mode(0o755)).unwrap();
    let WriteError::RolledBack(failure) = &err else {
        panic!("expected a clean rollback, got: {err}");
    };
    assert_eq!(failure.action, "create the folder");
    assert_eq!(failure.path, ".skillchain");
    assert_eq!(
        failure.hint,
        format!("check permissions on `{}`", root.display())
    );
    assert_eq!(snapshot(&root), before);
}

#[test]
fn a_held_lock_makes_a_second_writer_refuse_naming_its_holder_and_a_dead_one_is_recovered() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("out");
    let lock = root.join(".skillchain/lock");
    write_file(
        &lock,
        r#"{"pid":4242,"command":"skillchain run","since":1764381349,"created":[]}"#,
    );
    // Another process holds it, as in real life.
    let mut held = LockHolder::hold(&lock);
    let before = snapshot(&root);

    let err = FolderLock::acquire_waiting(&root, Duration::from_millis(1000)).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "`{}` is being written by `skillchain run` (pid 4242, since 2025-11-29 01:55:49 UTC); \
             waited 1 s. Wait for it to finish and run again, or choose another --out",
            root.display()
        )
    );
    assert_eq!(snapshot(&root), before);

    // Its holder dies: the lock is stale, and the next writer says so.
    held.release();
    let summary = write_all(&root, &[item("a.txt", "a", Create)]).unwrap();
    assert_eq!(
        summary.recovered,
        Some(Recovered::RolledBack {
            root: root.clone(),
            reason: None,
            by: Some("`skillchain run` (pid 4242)".to_string()),
        })
    );
    assert_eq!(
        snapshot(&root).into_keys().collect::<Vec<_>>(),
        strings(&["a.txt"])
    );
}

#[test]
fn atomic_write_replaces_content_keeps_permissions_and_leaves_no_temp_file() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("session.json");

    atomic_write(&path, b"{\"step\":1}").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"{\"step\":1}");
    // New session files are private: they can hold answers.
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );

    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    atomic_write(&path, b"{\"step\":2}").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"{\"step\":2}");
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o644
    );

    let names: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, strings(&["session.json"]));
}

#[test]
fn atomic_write_into_a_missing_folder_names_the_error() {
    let tmp = tempfile::tempdir().unwrap();
    let err = atomic_write(&tmp.path().join("nope/session.json"), b"x").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

// ---------------------------------------------------------------------------
// Killing a real process in the middle of writes.

const CHILD_ROOT: &str = "SKILLCHAIN_TEST_WRITE_CHILD_ROOT";
const BIG: usize = 4 << 20;

/// Not a test by itself: the body of the child process that
/// `killing_the_process_never_leaves_a_half_written_file` starts and kills.
#[test]
#[ignore = "helper process for killing_the_process_never_leaves_a_half_written_file"]
fn write_child_process() {
    let Ok(root) = std::env::var(CHILD_ROOT) else {
        return;
    };
    let root = PathBuf::from(root);
    for round in 0.. {
        let fill = if round % 2 == 0 { b'a' } else { b'b' };
        let items = [
            WriteItem::new("data/big.bin", vec![fill; BIG], Overwrite),
            WriteItem::new("data/small.txt", vec![fill; 10], Overwrite),
        ];
        write_all(&root, &items).unwrap();
    }
}

#[test]
fn killing_the_process_never_leaves_a_half_written_file() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let exe = std::env::current_exe().unwrap();
    for attempt in 0..12u64 {
        let mut child = Command::new(&exe)
            .args(["write_child_process", "--exact", "--ignored", "--quiet"])
            .env(CHILD_ROOT, root)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(20 + attempt * 17));
        child.kill().unwrap(); // SIGKILL: no chance to clean up
        child.wait().unwrap();

        for (name, len) in [("data/big.bin", BIG), ("data/small.txt", 10)] {
            match fs::read(root.join(name)) {
                Ok(bytes) => {
                    assert_eq!(bytes.len(), len, "{name} is half written");
                    assert!(
                        bytes.iter().all(|b| *b == bytes[0]),
                        "{name} mixes two versions"
                    );
                }
                Err(e) => assert_eq!(e.kind(), ErrorKind::NotFound),
            }
        }
    }
    // The next run removes whatever staging the killed ones left. Only a run
    // killed while creating its folder can leave a `prep-*` (it cannot be told
    // from a run starting right now, so it waits a minute); it never holds data.
    write_all(root, &[item("done.txt", "done", Create)]).unwrap();
    for name in staging_dirs(root) {
        assert!(name.starts_with("prep-"), "{name} was not cleaned");
        let files = walkdir::WalkDir::new(root.join(".skillchain").join(&name))
            .into_iter()
            .filter(|e| e.as_ref().unwrap().file_type().is_file())
            .map(|e| fs::metadata(e.unwrap().path()).unwrap().len())
            .sum::<u64>();
        assert_eq!(files, 0, "{name} holds data");
    }
}

/// A separate process that holds an exclusive lock on a file until released.
struct LockHolder(std::process::Child);

impl LockHolder {
    fn hold(path: &Path) -> LockHolder {
        use std::io::BufRead;
        let mut child = std::process::Command::new("python3")
            .args([
                "-c",
                "import fcntl, sys, time\nf = open(sys.argv[1])\nfcntl.flock(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(600)",
            ])
            .arg(path)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the holder says when it holds the lock");
        assert_eq!(line.trim(), "locked");
        LockHolder(child)
    }

    /// Ends the holder; its lock goes with it.
    fn release(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for LockHolder {
    fn drop(&mut self) {
        self.release();
    }
}
