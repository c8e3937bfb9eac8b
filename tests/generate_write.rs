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

// ---------------------------------------------------------------------------
// The report after a write into a folder that held nothing else is built
// from the written contents (no walk of the folder, no read back): it must
// be the report `validate` gives of that folder, byte for byte.

/// A small seeded generator (xorshift), so a failure names its seed.
struct Seeded(u64);

impl Seeded {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// `skill.question=value` answers to about a quarter of the choice, multi
/// choice and bool questions of `pack`, picked by `rng`.
fn random_sets(pack: &skillchain::pack::Pack, rng: &mut Seeded) -> Vec<String> {
    use skillchain::pack::QuestionKind as K;
    let mut sets = Vec::new();
    for skill in &pack.skills {
        for q in skill.questions.iter() {
            if rng.below(4) != 0 {
                continue;
            }
            let value = match q.kind {
                K::Choice | K::MultiChoice if !q.options.is_empty() => {
                    q.options[rng.below(q.options.len())].value.clone()
                }
                K::Bool => ["true", "false"][rng.below(2)].to_string(),
                _ => continue,
            };
            sets.push(format!("{}.{}={value}", skill.id, q.id));
        }
    }
    sets
}

#[test]
fn the_report_after_a_fresh_write_is_the_report_of_validating_the_folder() {
    use skillchain::generate::{build_plan, deliverables, write_and_validate};
    use skillchain::headless::{prepare, Request};
    use skillchain::pack::{Maturity, Registry};
    use skillchain::validate::{render_text, validate_session};

    let registry = Registry::bundled().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut rng = Seeded(0x5eed_0013);
    let (mut compared, mut with_answers) = (0, 0);
    for pack in &registry.packs {
        let mut blueprints: Vec<Option<String>> =
            pack.blueprints.iter().map(|b| Some(b.id.clone())).collect();
        blueprints.push(None);
        for blueprint in &blueprints {
            for maturity in [
                Maturity::Starter,
                Maturity::Intermediate,
                Maturity::Advanced,
            ] {
                let request = |sets: Vec<String>| Request {
                    goal: pack.manifest.examples.first().cloned(),
                    pack: Some(pack.id().to_string()),
                    blueprint: blueprint.clone(),
                    no_blueprint: blueprint.is_none(),
                    skills: blueprint
                        .is_none()
                        .then(|| pack.skills.iter().map(|s| s.id.clone()).collect()),
                    maturity: Some(maturity),
                    sets,
                    defaults: true,
                    skip_loads: true,
                    ..Request::default()
                };
                // Answers refused (a conflict, a question closed by another
                // answer) are drawn again, then dropped: the defaults are
                // compared then.
                let mut drawn = None;
                let mut sets = Vec::new();
                for _ in 0..4 {
                    sets = random_sets(pack, &mut rng);
                    if let Ok(s) = prepare(&registry, &request(sets.clone())) {
                        drawn = Some(s);
                        break;
                    }
                }
                let answered = drawn.is_some() && !sets.is_empty();
                let session = match drawn {
                    Some(s) => s,
                    None => prepare(&registry, &request(Vec::new())).unwrap(),
                };
                let root = tmp.path().join(format!("out{compared}"));
                let plan = build_plan(&session, &root).unwrap();
                let done = write_and_validate(&session, &plan, &Default::default())
                    .unwrap_or_else(|e| panic!("{} {blueprint:?} {sets:?}: {e}", pack.id()));
                let walked =
                    validate_session(&root, &deliverables(&session, &plan), &session).unwrap();
                let what = format!("{} {blueprint:?} {maturity:?} {sets:?}", pack.id());
                assert_eq!(
                    serde_json::to_string_pretty(&done.report).unwrap(),
                    serde_json::to_string_pretty(&walked).unwrap(),
                    "{what}"
                );
                assert_eq!(
                    render_text(&done.report, false),
                    render_text(&walked, false),
                    "{what}"
                );
                compared += 1;
                with_answers += usize::from(answered);
            }
        }
    }
    assert!(compared >= 30, "only {compared} trees compared");
    assert!(
        with_answers >= 10,
        "only {with_answers} with random answers"
    );
}

/// The same through the command line: `run --json`'s report of a fresh
/// folder is `validate --json` of it, for every bundled pack's first
/// example goal, into a folder the run creates and into one that exists
/// empty.
#[test]
fn run_and_validate_print_the_same_report_of_a_fresh_folder() {
    let registry = skillchain::pack::Registry::bundled().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_skillchain");
    let cli = |args: &[&str]| {
        let o = Command::new(bin)
            .args(args)
            .env("XDG_CONFIG_HOME", tmp.path().join("config"))
            .env("XDG_DATA_HOME", tmp.path().join("data"))
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            o.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    for (n, pack) in registry.packs.iter().enumerate() {
        let goal = pack.manifest.examples.first().cloned().unwrap();
        for existing in [false, true] {
            let out = tmp.path().join(format!("out{n}-{existing}"));
            if existing {
                fs::create_dir(&out).unwrap();
            }
            let out_s = out.to_str().unwrap();
            let ran = cli(&[
                "run",
                &goal,
                "--pack",
                pack.id(),
                "--defaults",
                "--out",
                out_s,
                "--json",
            ]);
            let validated = cli(&["validate", out_s, "--json"]);
            assert_eq!(ran["report"], validated, "{} {goal}", pack.id());
        }
    }
}

/// The files under `root` (`.skillchain` included) with their contents.
fn contents(root: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().display().to_string();
            (rel, fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn a_staged_journal_of_an_earlier_version_is_finished() {
    // The layout every earlier version writes, for any write: new contents
    // staged under `write/new`, committed, one file already renamed into
    // place when the process died.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("out");
    let txn = root.join(".skillchain/write");
    fs::create_dir_all(txn.join("new")).unwrap();
    fs::create_dir_all(txn.join("backup")).unwrap();
    fs::write(root.join("mine.txt"), "the user's\n").unwrap();
    fs::write(txn.join("new/0"), "alpha\n").unwrap();
    fs::write(root.join("top.txt"), "beta\n").unwrap();
    fs::write(
        txn.join("journal.json"),
        r#"{"dirs":["a","a/b"],"files":[{"path":"a/b/x.txt","staged":"0","replace":false},{"path":"top.txt","staged":"1","replace":false}]}"#,
    )
    .unwrap();
    let r = skillchain::generate::write::recover(&root).unwrap();
    assert!(
        matches!(r, Some(Recovered::Finished { files: 2, .. })),
        "{r:?}"
    );
    let expected: BTreeMap<String, String> = [
        ("a/b/x.txt", "alpha\n"),
        ("mine.txt", "the user's\n"),
        ("top.txt", "beta\n"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(contents(&root), expected);
    assert!(!root.join(".skillchain").exists());
}

#[test]
fn a_create_only_journal_left_by_a_kill_is_undone_and_keeps_what_was_there() {
    // Every moment of a killed create-only write: the journal committed,
    // then 0, 1, 2 or all 3 files (and their folders) in place.
    let created = ["n/m/a.txt", "b.txt", "n/c.txt"];
    for placed in 0..=created.len() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("out");
        let txn = root.join(".skillchain/write");
        fs::create_dir_all(&txn).unwrap();
        fs::write(root.join("mine.txt"), "the user's\n").unwrap();
        fs::create_dir(root.join("kept")).unwrap();
        fs::write(
            txn.join("journal.json"),
            r#"{"dirs":["n","n/m"],"created":["n/m/a.txt","b.txt","n/c.txt"]}"#,
        )
        .unwrap();
        if placed > 0 {
            fs::create_dir_all(root.join("n/m")).unwrap();
        }
        for rel in &created[..placed] {
            fs::write(root.join(rel), "new\n").unwrap();
        }
        let r = skillchain::generate::write::recover(&root).unwrap();
        assert!(
            matches!(r, Some(Recovered::RolledBack { reason: None, .. })),
            "{placed}: {r:?}"
        );
        let mut left: Vec<String> = walkdir::WalkDir::new(&root)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                e.path().strip_prefix(&root).unwrap().display().to_string()
            })
            .collect();
        left.sort();
        assert_eq!(left, ["kept", "mine.txt"], "{placed} placed");
    }
}

#[test]
fn a_journal_that_cannot_be_read_is_refused_unless_it_was_cut_short_before_anything_was_applied() {
    // A user's files where a cut-short journal would put its own: a journal
    // that is deleted must leave them alone.
    let users: BTreeMap<String, String> = [("a/b.txt", "the user's\n"), ("top.txt", "mine\n")]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let whole = r#"{"dirs":["a"],"created":["a/b.txt","top.txt"]}"#;
    // Every prefix of a create-only journal, with and without the zeros of
    // blocks the disk never got: cut short, so nothing was applied.
    let mut cut: Vec<Vec<u8>> = (0..whole.len())
        .map(|n| whole.as_bytes()[..n].to_vec())
        .collect();
    cut.extend((0..whole.len()).step_by(7).map(|n| {
        let mut v = whole.as_bytes()[..n].to_vec();
        v.extend([0u8; 64]);
        v
    }));
    // Neither layout, or damaged inside: refused, naming the journal.
    let damaged: Vec<Vec<u8>> = [
        r#"{"dirs":[],"created":["a"],"files":[]}"#,
        r#"{"dirs":[]}"#,
        "[1, 2]",
        "garbage {",
        "{\"dirs\":[\0\0\0\0],\"created\":[]}",
    ]
    .iter()
    .map(|t| t.as_bytes().to_vec())
    .collect();
    for (text, staged, refused) in cut
        .iter()
        .map(|t| (t, false, false))
        .chain(cut.iter().take(5).map(|t| (t, true, true)))
        .chain(damaged.iter().map(|t| (t, false, true)))
    {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("out");
        let txn = root.join(".skillchain/write");
        fs::create_dir_all(&txn).unwrap();
        if staged {
            // The staged layout: its journal is renamed into place whole,
            // so one that does not parse was damaged.
            fs::create_dir(txn.join("new")).unwrap();
        }
        for (rel, content) in &users {
            fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
            fs::write(root.join(rel), content).unwrap();
        }
        fs::write(txn.join("journal.json"), text).unwrap();
        let shown = String::from_utf8_lossy(text).into_owned();
        match skillchain::generate::write::recover(&root) {
            Err(e) => {
                assert!(refused, "{shown:?} staged {staged}: refused: {e}");
                let e = e.to_string();
                assert!(
                    e.contains("journal.json") && e.contains("cannot be read"),
                    "{shown:?}: {e}"
                );
                assert!(txn.join("journal.json").exists());
            }
            Ok(r) => {
                assert!(!refused, "{shown:?} staged {staged}: not refused: {r:?}");
                assert!(
                    matches!(r, Some(Recovered::RolledBack { reason: None, .. })),
                    "{shown:?}: {r:?}"
                );
                assert_eq!(contents(&root), users, "{shown:?}");
                assert!(!root.join(".skillchain").exists(), "{shown:?}");
            }
        }
    }
}
