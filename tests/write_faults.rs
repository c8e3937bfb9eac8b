//! The write path under faults, with real `skillchain` processes and real
//! folders: SIGKILL at random moments (then the next command recovers),
//! two writers at once, SIGINT/SIGTERM, `.git` and `.skillchain` outputs,
//! FIFOs, sockets and device links where files are planned, read or locked,
//! and templates that never end.
//!
//! The default run keeps the loops small; `SKILLCHAIN_STRESS=1 cargo test
//! --release --test write_faults -- --nocapture` runs the full ones (200
//! kills per case, 20 kills of a 3,000-file write, 20 concurrent pairs at
//! 3,000 files, 20 torn folders whose repair is killed twice) and prints the
//! figures the README quotes.

#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{bin, isolated};

fn stress() -> bool {
    std::env::var("SKILLCHAIN_STRESS").is_ok_and(|v| v == "1")
}

/// A seeded xorshift: the same kill moments on every run of one seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// Uniform in `0..=max`.
    fn upto(&mut self, max: Duration) -> Duration {
        let micros = max.as_micros().max(1) as u64;
        Duration::from_micros(self.next() % (micros + 1))
    }
}

/// A pack `bulk` with one skill `files` (text question `tag`, default `one`)
/// writing `files` small files spread over 7 folders, plus `extra`
/// outputs (path template, template name, template source).
fn bulk_pack(files: usize, extra: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("skills")).unwrap();
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("pack.yaml"),
        "id: bulk\ntitle: Bulk pack for write tests\nversion: 1.0.0\noutput_root: bulk-out\n\
         triggers:\n  bulk: 5\nexamples:\n  - bulk files\n",
    )
    .unwrap();
    let mut skill = String::from(
        "id: files\ntitle: Files\ntier: foundation\nrequired: true\nestimated_minutes: 1\n\
         keywords:\n  primary: [bulk]\nquestions:\n  - id: tag\n    prompt: Which tag?\n    \
         kind: text\n    default: one\noutputs:\n",
    );
    for i in 0..files {
        skill.push_str(&format!(
            "  - {{ template: f.txt.j2, path: \"d{}/f{i}.txt\" }}\n",
            i % 7
        ));
    }
    for (path, name, _) in extra {
        skill.push_str(&format!("  - {{ template: {name}, path: {path:?} }}\n"));
    }
    fs::write(root.join("skills/files.yaml"), skill).unwrap();
    fs::write(root.join("templates/f.txt.j2"), "tag: {{ files.tag }}\n").unwrap();
    for (_, name, source) in extra {
        fs::write(root.join("templates").join(name), source).unwrap();
    }
    dir
}

fn command(pack: &Path, args: &[String]) -> Command {
    let mut cmd = Command::new(bin());
    isolated(&mut cmd)
        .arg("--skillchains")
        .arg(pack)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

fn run_args(out: &Path, tag: &str, force: bool) -> Vec<String> {
    let mut args: Vec<String> = ["run", "bulk files", "--pack", "bulk", "--defaults", "--set"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push(format!("files.tag={tag}"));
    args.push("--out".to_string());
    args.push(out.display().to_string());
    if force {
        args.push("--force".to_string());
    }
    args
}

/// Runs to the end, failing the test (instead of hanging it) after `limit`.
/// Its output is read meanwhile: a plan of 3,000 files fills a pipe.
fn finish(mut child: Child, limit: Duration, what: &str) -> Output {
    use std::io::Read;
    fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut bytes);
            }
            bytes
        })
    }
    let (out, err) = (drain(child.stdout.take()), drain(child.stderr.take()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{what} still ran after {limit:?} (a hang); stderr: {}",
                String::from_utf8_lossy(&err.join().unwrap_or_default())
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

fn output(pack: &Path, args: &[String]) -> Output {
    let child = command(pack, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    finish(child, hang_limit(), &args.join(" "))
}

/// Long enough for a 3,000-file write whose `syncfs` waits behind other
/// processes' dirty data on a busy machine; short enough to catch a hang.
fn hang_limit() -> Duration {
    Duration::from_secs(if stress() { 900 } else { 60 })
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Dir,
    File(Vec<u8>, u32),
    Link(PathBuf),
    Special,
}

/// Everything under `root` a user could notice (timestamps aside).
fn snapshot(root: &Path) -> BTreeMap<String, Node> {
    let mut tree = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .flatten()
    {
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let Ok(meta) = fs::symlink_metadata(entry.path()) else {
            continue;
        };
        let node = if meta.file_type().is_symlink() {
            Node::Link(fs::read_link(entry.path()).unwrap_or_default())
        } else if meta.is_dir() {
            Node::Dir
        } else if meta.is_file() {
            Node::File(
                fs::read(entry.path()).unwrap_or_default(),
                meta.permissions().mode(),
            )
        } else {
            Node::Special
        };
        tree.insert(rel, node);
    }
    tree
}

/// What differs between two trees, briefly, for a failure message.
fn difference(a: &BTreeMap<String, Node>, b: &BTreeMap<String, Node>) -> String {
    let mut lines = Vec::new();
    for (k, v) in a {
        match b.get(k) {
            None => lines.push(format!("only in the first: {k}")),
            Some(w) if w != v => lines.push(format!("differs: {k}")),
            _ => {}
        }
    }
    for k in b.keys().filter(|k| !a.contains_key(*k)) {
        lines.push(format!("only in the second: {k}"));
    }
    lines.truncate(12);
    lines.join("\n")
}

/// `tree` without the lock file and the folders that only hold it.
fn without_lock(tree: &BTreeMap<String, Node>) -> BTreeMap<String, Node> {
    let mut t = tree.clone();
    t.remove(".skillchain/lock");
    if !t.keys().any(|k| k.starts_with(".skillchain/")) {
        t.remove(".skillchain");
    }
    t
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

fn reset(out: &Path, base: Option<&Path>) {
    if out.exists() {
        fs::remove_dir_all(out).unwrap();
    }
    if let Some(base) = base {
        copy_tree(base, out);
    }
}

/// Writes a complete tree with tag `one`, then edits it as a user would:
/// every fifth file changed, one deleted. Kept in `base` for resets.
fn edited_tree(pack: &Path, out: &Path, base: &Path, files: usize) {
    let o = output(pack, &run_args(out, "one", false));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    for i in (0..files).step_by(5) {
        let f = out.join(format!("d{}/f{i}.txt", i % 7));
        fs::write(&f, format!("edited by hand {i}\n")).unwrap();
    }
    fs::remove_file(out.join("d1/f1.txt")).unwrap();
    copy_tree(out, base);
}

/// A bulk pack of `files` files and, in a work folder, its tree written and
/// edited by hand (`out`), with a copy to reset it from (`base`).
struct Edited {
    pack: tempfile::TempDir,
    work: tempfile::TempDir,
}

impl Edited {
    fn new(files: usize) -> Edited {
        let e = Edited {
            pack: bulk_pack(files, &[]),
            work: tempfile::tempdir().unwrap(),
        };
        edited_tree(e.pack.path(), &e.out(), &e.base(), files);
        e
    }

    fn out(&self) -> PathBuf {
        self.work.path().join("out")
    }

    fn base(&self) -> PathBuf {
        self.work.path().join("base")
    }
}

/// Polls until `path` exists or the child ends; true when it appeared.
fn wait_for(path: &Path, child: &mut Child, limit: Duration) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        if path.exists() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    false
}

#[derive(Debug, Default)]
struct KillStats {
    kills: usize,
    /// Folders found neither as before nor as planned right after the kill
    /// (before any recovery): what the journal has to repair.
    torn_at_kill: usize,
    /// After the next command: must stay 0 (the loop stops at the first).
    partial_after_next: usize,
    recovered_lines: usize,
    ended_before_kill: usize,
}

/// Kills `run` (over a fresh folder, or with `--force` over an edited tree)
/// `kills` times at seeded random moments, each followed by the next command
/// (`validate`, `run --pretend` or the same `run`), and checks the folder.
fn kill_loop(kills: usize, files: usize, force: bool, seed: u64) -> KillStats {
    let pack = bulk_pack(files, &[]);
    let pack = pack.path();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let base = work.path().join("base");
    if force {
        edited_tree(pack, &out, &base, files);
    }
    let base = force.then_some(base.as_path());
    reset(&out, base);
    let before = snapshot(&out);
    let args = run_args(&out, "two", force);

    // The planned tree, and how long a whole run and its write phase take.
    let started = Instant::now();
    let mut child = command(pack, &args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lock = out.join(".skillchain/lock");
    let locked = wait_for(&lock, &mut child, Duration::from_secs(60));
    let lock_at = started.elapsed();
    let status = finish(child, hang_limit(), "run").status;
    assert!(status.success(), "the reference run failed: {status}");
    let whole = started.elapsed();
    let write_phase = if locked { whole - lock_at } else { whole / 2 };
    let planned = snapshot(&out);
    assert_ne!(planned, before);
    // The same run again over its own tree: plan.md then lists the files as
    // identical, so a run after a finished recovery ends here.
    let o = output(pack, &args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let rerun = snapshot(&out);

    let mut rng = Rng::new(seed);
    let mut stats = KillStats::default();
    // The reference run can be slower than the runs after it (cold caches,
    // a busy machine): each run that ends before its kill halves the delays
    // after it, and the loop goes on (at most six times as long) until a
    // kill has landed mid-write.
    let mut scale = 1.0;
    let mut k = 0;
    while k < kills || (stats.torn_at_kill == 0 && k < kills * 6) {
        reset(&out, base);
        let mut child = command(pack, &args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // One kill in four anywhere in the run; the others once the folder
        // is locked, where writing happens.
        if k % 4 == 0 {
            std::thread::sleep(rng.upto(whole.mul_f64(scale)));
        } else if wait_for(&lock, &mut child, Duration::from_secs(60)) {
            std::thread::sleep(rng.upto(write_phase.mul_f64(1.2 * scale)));
        }
        if child.try_wait().unwrap().is_some() {
            stats.ended_before_kill += 1;
            scale *= 0.5;
        }
        child.kill().unwrap(); // SIGKILL: no chance to clean up
        child.wait().unwrap();
        stats.kills += 1;
        let torn = snapshot(&out);
        // A lock file alone (the run died before it wrote or planned
        // anything) is removed silently; anything else is a torn folder.
        let torn = torn != before && torn != planned && without_lock(&torn) != before;
        if torn {
            stats.torn_at_kill += 1;
        }

        let next: Vec<String> = match k % 3 {
            0 => vec!["validate".to_string(), out.display().to_string()],
            1 => {
                let mut a = args.clone();
                a.push("--pretend".to_string());
                a
            }
            _ => args.clone(),
        };
        let o = output(pack, &next);
        let said = text(&o.stderr);
        if said.contains("recovered `") {
            stats.recovered_lines += 1;
        }
        let after = snapshot(&out);
        let ok = if k % 3 == 2 {
            after == planned || after == rerun
        } else {
            after == before || after == planned
        };
        if !ok {
            panic!(
                "kill {k} (seed {seed}, force {force}): after `{}` the folder is neither as before nor as planned:\n{}\nstderr: {said}",
                next[0],
                difference(&after, if k % 3 == 2 { &planned } else { &before })
            );
        }
        // A torn folder must have been repaired by exactly this command, and
        // said so in one line.
        if torn {
            assert_eq!(
                said.lines().filter(|l| l.contains("recovered `")).count(),
                1,
                "kill {k}: the repair was not reported on one line: {said}"
            );
        }
        k += 1;
    }
    stats
}

#[test]
fn kills_at_random_moments_leave_the_folder_as_before_or_as_planned() {
    let (kills, files) = if stress() { (200, 60) } else { (8, 40) };
    let started = Instant::now();
    for (force, seed) in [(false, 7), (true, 11)] {
        let stats = kill_loop(kills, files, force, seed);
        eprintln!(
            "kill loop: {files} files, force {force}: {stats:?} in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        assert_eq!(stats.partial_after_next, 0);
        // The loop must really hit the write: some kills tore the folder.
        assert!(
            stats.torn_at_kill > 0,
            "no kill landed mid-write: {stats:?}"
        );
    }
}

#[test]
fn kills_during_a_3000_file_force_write_are_recovered() {
    if !stress() {
        return;
    }
    let started = Instant::now();
    let stats = kill_loop(20, 3000, true, 23);
    eprintln!(
        "kill loop: 3000 files, force: {stats:?} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(stats.partial_after_next, 0);
    assert!(stats.torn_at_kill > 0, "{stats:?}");
}

#[test]
fn two_concurrent_force_writers_never_mix_their_trees() {
    let (tries, files) = if stress() { (20, 3000) } else { (3, 100) };
    let setup = Edited::new(files);
    let (pack, out, base) = (setup.pack.path(), setup.out(), setup.base());
    let mut planned = Vec::new();
    for tag in ["alpha", "beta"] {
        reset(&out, Some(&base));
        let o = output(pack, &run_args(&out, tag, true));
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        planned.push(snapshot(&out));
    }
    let started = Instant::now();
    let (mut mixed, mut refused, mut both_wrote) = (0, 0, 0);
    for _ in 0..tries {
        reset(&out, Some(&base));
        let spawn = |tag: &str| {
            command(pack, &run_args(&out, tag, true))
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("alpha"), spawn("beta"));
        let outs = [
            finish(a, hang_limit(), "alpha"),
            finish(b, hang_limit(), "beta"),
        ];
        let mut wrote = 0;
        for o in &outs {
            match o.status.code() {
                Some(0) => wrote += 1,
                Some(2) => {
                    let e = text(&o.stderr);
                    assert!(
                        e.contains("is being written by `skillchain run` (pid "),
                        "{e}"
                    );
                    refused += 1;
                }
                other => panic!("exit {other:?}: {}", text(&o.stderr)),
            }
        }
        assert!(wrote >= 1);
        if wrote == 2 {
            both_wrote += 1;
        }
        // plan.md lists each file's status against the folder its run
        // found (the other writer's tree, for the second): compared apart.
        let now = snapshot(&out);
        let plan_md = |t: &BTreeMap<String, Node>| match t.get(".skillchain/plan.md") {
            Some(Node::File(bytes, _)) => text(bytes),
            _ => String::new(),
        };
        let whole = |t: &BTreeMap<String, Node>| {
            let mut t = t.clone();
            t.remove(".skillchain/plan.md");
            t
        };
        let one_run = ["alpha", "beta"].iter().zip(&planned).any(|(tag, p)| {
            whole(&now) == whole(p) && plan_md(&now).contains(&format!("Which tag: `{tag}`"))
        });
        if !one_run {
            mixed += 1;
        }
    }
    eprintln!(
        "concurrent --force pairs: {tries} tries, {files} files: {mixed} mixed, {both_wrote} both wrote in turn, {refused} refused (lock busy) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(mixed, 0);
}

#[test]
fn sigint_and_sigterm_during_run_roll_back_and_exit_128_plus_the_signal() {
    let files = 300;
    let pack = bulk_pack(files, &[]);
    let pack = pack.path();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let base = work.path().join("base");
    edited_tree(pack, &out, &base, files);
    let before = snapshot(&out);
    let args = run_args(&out, "two", true);
    let o = output(pack, &args);
    assert_eq!(o.status.code(), Some(0));
    let planned = snapshot(&out);
    let lock = out.join(".skillchain/lock");
    let mut rng = Rng::new(5);
    for (signal, code, name) in [
        (libc::SIGINT, 130, "SIGINT"),
        (libc::SIGTERM, 143, "SIGTERM"),
    ] {
        let mut interrupted = 0;
        let attempts = if stress() { 40 } else { 4 };
        // A run that finished before its signal halves the delays after it,
        // and the loop goes on (at most six times as long) until a signal
        // has landed during the write.
        let mut scale = 1.0;
        let mut attempt = 0;
        while attempt < attempts || (interrupted == 0 && attempt < attempts * 6) {
            reset(&out, Some(&base));
            let mut child = command(pack, &args)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            if wait_for(&lock, &mut child, Duration::from_secs(60)) {
                std::thread::sleep(
                    rng.upto(Duration::from_millis(40 + attempt * 10).mul_f64(scale)),
                );
            }
            // SAFETY: sending a signal to our own child.
            unsafe { libc::kill(child.id() as i32, signal) };
            let o = finish(child, Duration::from_secs(60), name);
            let now = snapshot(&out);
            match o.status.code() {
                Some(c) if c == code => {
                    interrupted += 1;
                    assert_eq!(now, before, "{name}: {}", difference(&now, &before));
                    let e = text(&o.stderr);
                    assert!(e.contains(&format!("interrupted by {name}")), "{e}");
                }
                Some(0) => {
                    assert_eq!(now, planned);
                    scale *= 0.5;
                }
                other => panic!("{name}: exit {other:?}: {}", text(&o.stderr)),
            }
            attempt += 1;
        }
        eprintln!("{name}: {attempt} signals, {interrupted} rolled back (exit {code}), the others after the write was complete");
        assert!(interrupted > 0, "no {name} landed during the write");
    }
}

// ---------------------------------------------------------------------------
// Protected paths.

#[test]
fn outputs_into_git_or_skillchain_are_refused_by_lint_and_by_run() {
    let bad = [
        ".git/config",
        "a/.GIT/hooks/post-checkout",
        "b/.git./x",
        "c/.Git /x",
        ".skillchain/session.json",
        ".SkillChain/lock",
    ];
    let extra: Vec<(&str, &str, &str)> = bad.iter().map(|p| (*p, "x.j2", "x\n")).collect();
    let pack = bulk_pack(2, &extra);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");

    // Literal paths: lint refuses them, and `run` lints a --skillchains pack.
    for args in [
        run_args(&out, "one", false),
        vec!["lint".to_string(), pack.path().display().to_string()],
    ] {
        let o = output(pack.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let said = text(&o.stdout) + &text(&o.stderr);
        for p in bad {
            assert!(said.contains(&format!("output `{p}`: ")), "{p}: {said}");
        }
        assert!(!out.exists(), "something was written");
    }

    // A path that lint cannot see through is refused when it is rendered.
    let pack = bulk_pack(
        1,
        &[
            ("{{ '.gi' ~ 't' }}/config", "x.j2", "x\n"),
            ("{{ '.SKILL' ~ 'CHAIN' }}/answers.yaml", "x.j2", "x\n"),
        ],
    );
    let o = output(pack.path(), &run_args(&out, "one", false));
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(
        e.contains("files: output {{ '.gi' ~ 't' }}/config: refused: `.git/config` has the segment `.git`, which git reads as its `.git` folder"),
        "{e}"
    );
    assert!(
        e.contains("files: output {{ '.SKILL' ~ 'CHAIN' }}/answers.yaml: refused: `.SKILLCHAIN/answers.yaml` is inside `.skillchain/`"),
        "{e}"
    );
    assert!(!out.exists(), "something was written");
}

#[test]
fn an_answer_that_puts_git_in_a_path_is_refused_like_dotdot() {
    let pack = bulk_pack(1, &[("by/{{ files.tag }}/f.txt", "x.j2", "x\n")]);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    // `..` itself is refused earlier, when the path renders (see the
    // escaping of path segments); the `.git` spellings reach the path check.
    let o = output(pack.path(), &run_args(&out, "..", false));
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("the answer `..` cannot be part of a file name"));
    assert!(!out.exists(), "..: something was written");
    for tag in [".git", ".GIT", ".git.", ".gIt  ", "GIT~1"] {
        let o = output(pack.path(), &run_args(&out, tag, false));
        assert_eq!(o.status.code(), Some(2), "{tag:?}");
        let e = text(&o.stderr);
        assert!(
            e.contains("files: output by/{{ files.tag }}/f.txt: refused: `by/"),
            "{tag:?}: {e}"
        );
        assert!(
            e.contains("(it comes from the answer files.tag); output paths must stay inside the output folder"),
            "{tag:?}: {e}"
        );
        assert!(!out.exists(), "{tag:?}: something was written");
    }
}

// ---------------------------------------------------------------------------
// FIFOs, sockets, devices: never opened, never blocking.

fn mkfifo(path: &Path) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[test]
fn special_files_where_a_file_is_planned_are_named_and_never_block() {
    let pack = bulk_pack(5, &[]);
    let pack = pack.path();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    mkfifo(&out.join("d0/f0.txt"));
    fs::create_dir_all(out.join("d2")).unwrap();
    std::os::unix::net::UnixListener::bind(out.join("d2/f2.txt")).unwrap();
    fs::create_dir_all(out.join("d3")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", out.join("d3/f3.txt")).unwrap();
    let before = snapshot(&out);
    for extra in [&["--pretend"][..], &[], &["--force"]] {
        let mut args = run_args(&out, "one", false);
        args.extend(extra.iter().map(|s| s.to_string()));
        let o = output(pack, &args);
        assert_eq!(o.status.code(), Some(2), "{extra:?}");
        let e = text(&o.stderr);
        for (path, kind) in [
            ("d0/f0.txt", "named pipe (FIFO)"),
            ("d2/f2.txt", "socket"),
            ("d3/f3.txt", "symbolic link"),
        ] {
            assert!(
                e.contains(&format!(
                    "{}: is a {kind}, not a regular file, so a file cannot be written there; remove it or choose another --out",
                    out.join(path).display()
                )),
                "{extra:?} {path}: {e}"
            );
        }
        assert_eq!(snapshot(&out), before, "{extra:?}");
    }
}

#[test]
fn fifos_in_the_validated_tree_the_session_file_and_the_lock_never_block() {
    let pack = bulk_pack(5, &[]);
    let pack = pack.path();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let o = output(pack, &run_args(&out, "one", false));
    assert_eq!(o.status.code(), Some(0));

    // A FIFO among the project's files: validation skips it and says so.
    mkfifo(&out.join("d0/notes.txt"));
    let o = output(pack, &["validate".to_string(), out.display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout)
            .contains("`d0/notes.txt` is a named pipe (FIFO), not a regular file; not counted"),
        "{}",
        text(&o.stdout)
    );

    // The session file is a FIFO: resume says so.
    mkfifo(&out.join(".skillchain/session.json"));
    let o = output(pack, &["resume".to_string(), out.display().to_string()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains(&format!(
            "{}: is a named pipe (FIFO), not a regular file; skillchain reads only regular files: point it at one",
            out.join(".skillchain/session.json").display()
        )),
        "{}",
        text(&o.stderr)
    );
    fs::remove_file(out.join(".skillchain/session.json")).unwrap();

    // The lock file is a FIFO: run and validate say so.
    mkfifo(&out.join(".skillchain/lock"));
    for args in [
        run_args(&out, "one", false),
        vec!["validate".to_string(), out.display().to_string()],
    ] {
        let o = output(pack, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            text(&o.stderr).contains(&format!(
                "{}: is a named pipe (FIFO), not a regular file; skillchain keeps its lock file there: remove it",
                out.join(".skillchain/lock").display()
            )),
            "{args:?}: {}",
            text(&o.stderr)
        );
    }
}

// ---------------------------------------------------------------------------
// Render budget.

#[test]
fn a_template_that_never_ends_stops_with_its_name_and_nothing_is_written() {
    let pack = bulk_pack(
        1,
        &[
            (
                "loop.txt",
                "loop.j2",
                "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
            ),
            (
                "huge.txt",
                "huge.j2",
                "{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}",
            ),
        ],
    );
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let o = output(pack.path(), &run_args(&out, "one", false));
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(e.contains("files: output loop.txt: template loop.j2 stopped: it did more than 5000000 steps of work"), "{e}");
    assert!(e.contains("files: output huge.txt: template huge.j2 stopped: its output passed 8 MiB, the limit for one generated file"), "{e}");
    assert!(!out.exists());
}

// ---------------------------------------------------------------------------
// Torn folders: every command that touches one repairs it and says so, and
// a kill of the repair itself is repaired by the next command.

/// `tree` without what a journey keeps for itself (its session, and the
/// record and hand-off, whose wording depends on how the answers were
/// given: only their presence counts): the project a user sees.
fn project(tree: &BTreeMap<String, Node>) -> BTreeMap<String, Node> {
    tree.iter()
        .filter(|(k, _)| !matches!(k.as_str(), ".skillchain/session.json" | ".skillchain/lock"))
        .map(|(k, v)| match k.as_str() {
            ".skillchain/plan.md" | ".skillchain/answers.yaml" => (k.clone(), Node::Special),
            _ => (k.clone(), v.clone()),
        })
        .collect()
}

/// Kills `run` at seeded moments of its write until it leaves a write
/// under way (`.skillchain/write*`: staged, committed or half applied) for
/// the next command to repair. False when no kill landed in 40 tries.
fn tear(pack: &Path, out: &Path, base: Option<&Path>, args: &[String], rng: &mut Rng) -> bool {
    for _ in 0..40 {
        reset(out, base);
        let mut child = command(pack, args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if wait_for(
            &out.join(".skillchain/write/journal.json"),
            &mut child,
            Duration::from_secs(60),
        ) {
            std::thread::sleep(rng.upto(Duration::from_millis(20)));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        if snapshot(out)
            .keys()
            .any(|k| k.starts_with(".skillchain/write"))
        {
            return true;
        }
    }
    false
}

/// A journey's session in `out`: the plain journey cut off after its first
/// answer (input ends), which keeps the session for `resume`.
fn saved_session(pack: &Path, out: &Path) {
    let o = plain(pack, out, &[], "\n");
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    assert!(out.join(".skillchain/session.json").is_file());
}

fn plain(pack: &Path, out: &Path, extra: &[&str], input: &str) -> Output {
    let mut args = vec![
        "bulk files".to_string(),
        "--pack".to_string(),
        "bulk".to_string(),
        "--plain".to_string(),
        "--out".to_string(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    fed(pack, &args, input)
}

/// Runs `args` with `input` on stdin (then closed).
fn fed(pack: &Path, args: &[String], input: &str) -> Output {
    use std::io::Write;
    let mut child = command(pack, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    finish(child, hang_limit(), &args.join(" "))
}

#[test]
fn every_command_that_touches_a_torn_folder_repairs_it_and_says_so_once() {
    let files = if stress() { 1000 } else { 100 };
    let pack = bulk_pack(files, &[]);
    let pack = pack.path();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let base = work.path().join("base");
    // The folder before: a journey's saved session only (so `resume` has
    // something to resume), and the tree `run` plans over it.
    saved_session(pack, &out);
    copy_tree(&out, &base);
    let before = project(&snapshot(&out));
    let args = run_args(&out, "one", false);
    let o = output(pack, &args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let planned = project(&snapshot(&out));
    let dir = out.display().to_string();
    let mut rng = Rng::new(41);
    let mut torn = 0;
    // Each command that touches the folder; the journeys answer every
    // question with its default and write.
    type Next<'a> = Box<dyn Fn() -> Output + 'a>;
    let commands: [(&str, Next); 6] = [
        ("run", Box::new(|| output(pack, &args))),
        (
            "run --pretend",
            Box::new(|| output(pack, &[&args[..], &["--pretend".to_string()]].concat())),
        ),
        (
            "validate",
            Box::new(|| output(pack, &["validate".to_string(), dir.clone()])),
        ),
        (
            "--plain",
            Box::new(|| plain(pack, &out, &["--replace-session"], "\n\n\ny\n")),
        ),
        (
            "--plain, input ends at once",
            Box::new(|| plain(pack, &out, &["--replace-session"], "")),
        ),
        (
            "resume",
            Box::new(|| fed(pack, &["resume".to_string(), dir.clone()], "\n\n\ny\n")),
        ),
    ];
    for (name, next) in &commands {
        assert!(
            tear(pack, &out, Some(&base), &args, &mut rng),
            "{name}: no kill tore the folder"
        );
        torn += 1;
        let o = next();
        let said = text(&o.stderr);
        let lines: Vec<&str> = said.lines().filter(|l| l.contains("recovered `")).collect();
        assert_eq!(
            lines.len(),
            1,
            "{name}: the repair was not said on one line:\n{said}\n{}",
            text(&o.stdout)
        );
        assert!(
            lines[0].starts_with(&format!("⚠ recovered `{}`: ", out.display())),
            "{name}: {}",
            lines[0]
        );
        let after = project(&snapshot(&out));
        assert!(
            after == before || after == planned,
            "{name}: the folder is neither as before nor as planned:\n{}",
            difference(&after, &planned)
        );
        assert!(
            !after.keys().any(|k| k.starts_with(".skillchain/write")),
            "{name}: the journal was left: {:?}",
            after
                .keys()
                .filter(|k| k.starts_with(".skillchain/"))
                .collect::<Vec<_>>()
        );
    }
    assert_eq!(torn, commands.len());
}

#[test]
fn a_kill_during_the_repair_is_repaired_by_the_next_command() {
    let (rounds, files) = if stress() { (20, 1000) } else { (2, 150) };
    let setup = Edited::new(files);
    let (pack, out, base) = (setup.pack.path(), setup.out(), setup.base());
    let before = snapshot(&out);
    let args = run_args(&out, "two", true);
    let o = output(pack, &args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let planned = snapshot(&out);
    // A killed repair by `run` can have finished the torn write itself and
    // then planned again over the finished tree: every file identical, so
    // its record (`plan.md` lists each file's status) differs, and that one
    // file is what the next command finishes.
    let o = output(pack, &args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let replanned = snapshot(&out);
    let validate = vec!["validate".to_string(), out.display().to_string()];
    let mut rng = Rng::new(43);
    let started = Instant::now();
    let (mut repairs_killed, mut whole) = (0, 0);
    for round in 0..rounds {
        assert!(
            tear(pack, &out, Some(&base), &args, &mut rng),
            "round {round}: not torn"
        );
        // The repair (by `validate` or a new `run`) is killed at a random
        // moment, twice in a row, then a third command runs to its end.
        for _ in 0..2 {
            let next = if rng.next().is_multiple_of(2) {
                &validate
            } else {
                &args
            };
            let mut child = command(pack, next)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(rng.upto(Duration::from_millis(60)));
            if child.try_wait().unwrap().is_none() {
                repairs_killed += 1;
            }
            child.kill().unwrap();
            child.wait().unwrap();
        }
        let o = output(pack, &validate);
        let after = snapshot(&out);
        assert!(
            after == before || after == planned || after == replanned,
            "round {round}: after a killed repair the folder is neither as before nor as planned:\n{}\nstderr: {}",
            difference(&after, &planned),
            text(&o.stderr)
        );
        whole += 1;
    }
    eprintln!(
        "kills during recovery: {rounds} torn folders, {repairs_killed} repairs killed, {whole} whole after the next command, {files} files, in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(repairs_killed > 0);
}

// ---------------------------------------------------------------------------
// A write that fails half-way (a full disk, a file-size limit, a read-only
// folder) puts back exactly the previous tree and says which file and what
// to do.

/// Runs `args` with a file-size limit (RLIMIT_FSIZE) of `limit` bytes: a
/// write past it fails with EFBIG, as a full disk fails with ENOSPC.
fn output_with_file_limit(pack: &Path, args: &[String], limit: u64) -> Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = command(pack, args);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: limit,
                rlim_max: libc::RLIM_INFINITY,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // EFBIG instead of the default SIGXFSZ kill.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    finish(
        cmd.spawn().unwrap(),
        hang_limit(),
        "run with a file-size limit",
    )
}

#[test]
fn a_write_error_half_way_puts_back_the_exact_previous_tree_and_names_the_file() {
    // A pack whose one big file comes after many small ones (in write
    // order), so the error strikes half-way; over a fresh folder and over
    // an edited tree with --force.
    let big =
        "{% for i in range(20000) %}{{ files.tag }}: line {{ i }} of a big file\n{% endfor %}";
    let pack = bulk_pack(60, &[("zz/big.txt", "big.txt.j2", big)]);
    let pack = pack.path();
    let work = tempfile::tempdir().unwrap();
    for (force, limit) in [(false, 64 * 1024), (true, 64 * 1024), (true, 1)] {
        let out = work.path().join(format!("out-{force}-{limit}"));
        let base = work.path().join(format!("base-{force}-{limit}"));
        if force {
            let o = output(pack, &run_args(&out, "one", false));
            assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
            for i in (0..60).step_by(4) {
                fs::write(out.join(format!("d{}/f{i}.txt", i % 7)), "edited\n").unwrap();
            }
            copy_tree(&out, &base);
        }
        let before = snapshot(&out);
        let o = output_with_file_limit(pack, &run_args(&out, "two", force), limit);
        let e = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "force {force} limit {limit}: {e}");
        assert!(
            e.contains("nothing was changed: every file written so far was put back")
                || e.contains("nothing was written"),
            "force {force} limit {limit}: {e}"
        );
        assert!(
            e.contains("File too large") || e.contains("too large"),
            "force {force} limit {limit}: the cause is not named: {e}"
        );
        assert_eq!(
            without_lock(&snapshot(&out)),
            without_lock(&before),
            "force {force} limit {limit}: not the previous tree:\n{}",
            difference(&snapshot(&out), &before)
        );
        // And the next command finds nothing to repair.
        let o = output(pack, &["validate".to_string(), out.display().to_string()]);
        assert!(
            !text(&o.stderr).contains("recovered `"),
            "{}",
            text(&o.stderr)
        );
        if !force {
            assert!(
                !out.exists() || snapshot(&out).is_empty(),
                "{:?}",
                snapshot(&out).keys()
            );
        }
    }
}

#[test]
fn a_write_error_in_the_first_half_of_a_fresh_write_puts_back_the_previous_tree() {
    // A fresh folder's files are written from two threads, a half each:
    // the big file first, so the error strikes in the first half while the
    // second half is being written.
    let big =
        "{% for i in range(20000) %}{{ files.tag }}: line {{ i }} of a big file\n{% endfor %}";
    let small: Vec<(String, String)> = (0..60)
        .map(|i| {
            (
                format!("e{}/g{i}.txt", i % 5),
                "g {{ files.tag }}\n".to_string(),
            )
        })
        .collect();
    let mut extra = vec![("aa/big.txt", "big.txt.j2", big)];
    extra.extend(
        small
            .iter()
            .map(|(p, c)| (p.as_str(), "g.txt.j2", c.as_str())),
    );
    let pack = bulk_pack(0, &extra);
    let work = tempfile::tempdir().unwrap();
    for existing in [false, true] {
        let out = work.path().join(format!("out-{existing}"));
        if existing {
            fs::create_dir(&out).unwrap();
            fs::write(out.join("mine.txt"), "the user's\n").unwrap();
        }
        let before = snapshot(&out);
        let o = output_with_file_limit(pack.path(), &run_args(&out, "one", false), 64 * 1024);
        let e = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{e}");
        assert!(e.contains("aa/big.txt") && e.contains("too large"), "{e}");
        assert!(
            e.contains("nothing was changed: every file written so far was put back"),
            "{e}"
        );
        assert_eq!(
            snapshot(&out),
            before,
            "{}",
            difference(&snapshot(&out), &before)
        );
    }
}

#[test]
fn a_read_only_subfolder_half_way_puts_back_the_previous_tree() {
    if unsafe { libc::geteuid() } == 0 {
        return; // root writes through read-only folders
    }
    let pack = bulk_pack(40, &[]);
    let pack = pack.path();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let o = output(pack, &run_args(&out, "one", false));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    fs::set_permissions(out.join("d4"), fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot(&out);
    let o = output(pack, &run_args(&out, "two", true));
    fs::set_permissions(out.join("d4"), fs::Permissions::from_mode(0o755)).unwrap();
    let e = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.contains("d4"), "the folder is not named: {e}");
    assert!(e.contains("check permissions on"), "{e}");
    assert_eq!(without_lock(&snapshot(&out)), without_lock(&before));
}

// ---------------------------------------------------------------------------
// The pack store has the same one writer at a time: two pack commands at
// once both land in `packs.lock`, and a FIFO at its lock never blocks.

fn pack_command(home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn two_pack_commands_at_once_both_land_in_the_pack_lock() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("skillchains");
    let (a, b) = (repo.join("dbt-workflows"), repo.join("pipeline-analysis"));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let tries = if stress() { 20 } else { 1 };
    for t in 0..tries {
        let home = tempfile::tempdir().unwrap();
        let h = home.path();
        let lock = h.join("config/skillchain/packs.lock");
        let both = |args: [[&str; 3]; 2]| {
            let children: Vec<Child> = args
                .iter()
                .map(|a| pack_command(h, a).spawn().unwrap())
                .collect();
            for (c, a) in children.into_iter().zip(args) {
                let o = finish(c, hang_limit(), "pack");
                assert_eq!(
                    o.status.code(),
                    Some(0),
                    "try {t} {a:?}: {}",
                    text(&o.stderr)
                );
            }
        };
        both([["pack", "add", a], ["pack", "add", b]]);
        let text_of = fs::read_to_string(&lock).unwrap();
        for id in ["dbt-workflows", "pipeline-analysis"] {
            assert!(
                text_of.contains(&format!("id: {id}")),
                "try {t}: {id} lost:\n{text_of}"
            );
        }
        both([
            ["pack", "remove", "dbt-workflows"],
            ["pack", "remove", "pipeline-analysis"],
        ]);
        let text_of = fs::read_to_string(&lock).unwrap();
        assert!(
            !text_of.contains("id: "),
            "try {t}: a removed pack stays:\n{text_of}"
        );
        // Nothing of the lock is left behind.
        assert!(!h.join("config/skillchain/.skillchain").exists());
    }
    // A FIFO where the store's lock goes: refused at once, named.
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    mkfifo(&h.join("config/skillchain/.skillchain/lock"));
    let o = finish(
        pack_command(h, &["pack", "add", a]).spawn().unwrap(),
        hang_limit(),
        "pack add",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains(".skillchain/lock: is a named pipe (FIFO), not a regular file; skillchain keeps its lock file there: remove it"),
        "{}",
        text(&o.stderr)
    );
}

/// Every state a kill can leave before the journal is committed, made by
/// hand: the next command (read-only ones included) leaves the folder
/// exactly as before, with nothing of skillchain's left.
#[test]
fn what_a_kill_leaves_before_the_commit_is_cleared_by_the_next_command() {
    let pack = bulk_pack(5, &[]);
    let pack = pack.path();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let dead = r#"{"pid":999999999,"command":"skillchain run","since":0,"created":[]}"#;
    // A folder (None) or a file with its content.
    type Entry<'a> = (&'a str, Option<&'a str>);
    let states: [(&str, &[Entry]); 6] = [
        ("empty .skillchain", &[(".skillchain", None)]),
        ("empty lock", &[(".skillchain/lock", Some(""))]),
        ("a dead holder's lock", &[(".skillchain/lock", Some(dead))]),
        (
            "garbage lock",
            &[(".skillchain/lock", Some("\0\0not json"))],
        ),
        ("empty staging", &[(".skillchain/write", None)]),
        (
            "staged files, no journal",
            &[
                (".skillchain/write", None),
                (".skillchain/write/staged-1", Some("half")),
            ],
        ),
    ];
    let nexts = [
        vec!["validate".to_string(), out.display().to_string()],
        [
            &run_args(&out, "one", false)[..],
            &["--pretend".to_string()],
        ]
        .concat(),
    ];
    // Each state with each next command under stress; by turns otherwise.
    for (i, (name, files)) in states.iter().enumerate() {
        for (j, next) in nexts.iter().enumerate() {
            if !stress() && (i + j) % 2 == 1 {
                continue;
            }
            reset(&out, None);
            fs::create_dir_all(&out).unwrap();
            fs::write(out.join("mine.txt"), "the user's\n").unwrap();
            let before = snapshot(&out);
            for (path, content) in *files {
                match content {
                    None => fs::create_dir_all(out.join(path)).unwrap(),
                    Some(c) => {
                        fs::create_dir_all(out.join(path).parent().unwrap()).unwrap();
                        fs::write(out.join(path), c).unwrap();
                    }
                }
            }
            let o = output(pack, next);
            assert_eq!(
                snapshot(&out),
                before,
                "{name}, then `{}`: {}",
                next[0],
                text(&o.stderr)
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Power loss: the order of flushes and steps that the journal module's
// argument rests on, read off the system calls of real runs (strace).

/// One file system step of a traced run, with absolute paths.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Create(String),
    /// A new name for an existing file (`link`), or a folder made.
    Name(String),
    Flush(String),
    Rename(String, String),
    Remove(String),
    WholeFs,
}

/// The quoted strings and `<path>` annotations (strace -y) of one call.
fn call_paths(args: &str) -> (Vec<String>, Vec<String>) {
    let (mut quoted, mut fds) = (Vec::new(), Vec::new());
    let mut chars = args.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => s.extend(chars.next()),
                        '"' => break,
                        c => s.push(c),
                    }
                }
                quoted.push(s);
            }
            '<' => {
                let s: String = chars.by_ref().take_while(|&c| c != '>').collect();
                fds.push(s);
            }
            _ => {}
        }
    }
    (quoted, fds)
}

/// The successful file system steps of a `strace -f -y` log, in the order
/// they completed (a call split by another thread counts where it resumed).
fn parse_trace(log: &str) -> Vec<Step> {
    let mut pending: BTreeMap<String, String> = BTreeMap::new();
    let mut steps = Vec::new();
    for line in log.lines() {
        let Some((pid, rest)) = line.split_once(' ') else {
            continue;
        };
        let rest = rest.trim_start();
        let call = if let Some(head) = rest.strip_suffix("<unfinished ...>") {
            pending.insert(pid.to_string(), head.to_string());
            continue;
        } else if rest.starts_with("<...") {
            let Some((_, tail)) = rest.split_once("resumed>") else {
                continue;
            };
            format!("{}{tail}", pending.remove(pid).unwrap_or_default())
        } else {
            rest.to_string()
        };
        // strace pads a resumed call's result: one space between words.
        let call = call.split_whitespace().collect::<Vec<_>>().join(" ");
        let Some((name, args)) = call.split_once('(') else {
            continue;
        };
        let Some((args, ret)) = args.rsplit_once(") = ") else {
            continue;
        };
        if ret.starts_with('-') {
            continue;
        }
        let (quoted, fds) = call_paths(args);
        let (_, ret_fds) = call_paths(ret);
        let last = |v: &[String]| v.last().cloned().unwrap_or_default();
        steps.push(match name {
            "openat" | "open" | "creat" if args.contains("O_CREAT") => {
                Step::Create(ret_fds.first().cloned().unwrap_or_else(|| last(&quoted)))
            }
            "fsync" | "fdatasync" => Step::Flush(last(&fds)),
            "syncfs" | "sync" => Step::WholeFs,
            "rename" | "renameat" | "renameat2" if quoted.len() == 2 => {
                Step::Rename(quoted[0].clone(), quoted[1].clone())
            }
            "mkdir" | "mkdirat" | "link" | "linkat" => Step::Name(last(&quoted)),
            "unlink" | "unlinkat" | "rmdir" => Step::Remove(last(&quoted)),
            _ => continue,
        });
    }
    steps
}

/// Runs skillchain under `strace -f -y`; `None` where strace is missing or
/// cannot trace here (the test then says so and checks nothing else).
fn traced(pack: &Path, args: &[String], work: &Path, each: bool) -> Option<(Output, Vec<Step>)> {
    let log = work.join("strace.log");
    let _ = fs::remove_file(&log);
    let mut cmd = Command::new("strace");
    cmd.args(["-f", "-y", "-qq", "-o"]).arg(&log).args([
        "-e",
        "trace=openat,open,creat,fsync,fdatasync,syncfs,sync,rename,renameat,renameat2,\
         mkdir,mkdirat,link,linkat,unlink,unlinkat,rmdir",
        bin(),
    ]);
    isolated(&mut cmd)
        .arg("--skillchains")
        .arg(pack)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if each {
        cmd.env("SKILLCHAIN_FLUSH", "each");
    }
    let Ok(child) = cmd.spawn() else {
        eprintln!("strace is not installed: the flush order is not checked");
        return None;
    };
    let o = finish(child, hang_limit(), "strace skillchain run");
    match fs::read_to_string(&log) {
        Ok(text) if !text.is_empty() => Some((o, parse_trace(&text))),
        _ => {
            eprintln!(
                "strace cannot trace here ({}): the flush order is not checked",
                text(&o.stderr)
            );
            None
        }
    }
}

fn parent(p: &str) -> &str {
    p.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Where each barrier of the journal's power-loss argument is missing in
/// `steps`, a traced write into `out` (absolute); empty when every one holds.
/// A `syncfs` flushes every path, but is allowed only unless `each`.
fn flush_order_violations(steps: &[Step], out: &str, each: bool) -> Vec<String> {
    let state = format!("{out}/.skillchain");
    let txn = format!("{state}/write");
    let journal_tmp = format!("{txn}/journal.json.tmp");
    let mut bad = Vec::new();
    let flushed = |path: &str, after: usize, before: usize| {
        steps[after.min(before)..before]
            .iter()
            .any(|s| *s == Step::Flush(path.to_string()) || *s == Step::WholeFs)
    };
    // A name added or removed in the output tree (not in skillchain's state).
    let in_tree = |p: &str| {
        p.starts_with(&format!("{out}/")) && !p.starts_with(&format!("{state}/")) && p != state
    };
    let tree_dirs = |s: &Step| -> Vec<String> {
        let paths: Vec<&str> = match s {
            Step::Create(p) | Step::Name(p) | Step::Remove(p) => vec![p],
            Step::Rename(a, b) => vec![a, b],
            _ => vec![],
        };
        paths
            .into_iter()
            .filter(|p| in_tree(p))
            .map(|p| parent(p).to_string())
            .collect()
    };
    if each && steps.contains(&Step::WholeFs) {
        bad.push(
            "a whole file system is flushed (syncfs or sync) with SKILLCHAIN_FLUSH=each"
                .to_string(),
        );
    }
    // A write that only creates files has no staging folder for new contents.
    if !steps.contains(&Step::Name(format!("{txn}/new"))) {
        bad.extend(created_in_place_violations(steps, out));
        bad.truncate(12);
        return bad;
    }
    let Some(commit) = steps
        .iter()
        .position(|s| *s == Step::Rename(journal_tmp.clone(), format!("{txn}/journal.json")))
    else {
        return vec!["the journal was never committed".to_string()];
    };
    // B1: staged files, copies and the journal, then their folders.
    for (i, s) in steps[..commit].iter().enumerate() {
        if !tree_dirs(s).is_empty() {
            bad.push(format!("{s:?} changes the output tree before the commit"));
        }
        if let Step::Create(p) | Step::Name(p) = s {
            if matches!(s, Step::Create(_))
                && p.starts_with(&format!("{txn}/"))
                && !flushed(p, i, commit)
            {
                bad.push(format!("{p} is not flushed before the commit"));
            }
            for dir in [txn.as_str(), state.as_str(), out] {
                let named_in = format!("{txn}/new");
                let backups = format!("{txn}/backup");
                let d = parent(p);
                if (d == dir || d == named_in || d == backups) && !flushed(d, i, commit) {
                    bad.push(format!(
                        "the folder {d} is not flushed after {p} is named in it, before the commit"
                    ));
                }
            }
        }
    }
    // B2: the commit is flushed before the first change to the tree.
    let first_change = steps
        .iter()
        .enumerate()
        .skip(commit)
        .find(|(_, s)| !tree_dirs(s).is_empty())
        .map_or(steps.len(), |(i, _)| i);
    if !flushed(&txn, commit, first_change) {
        bad.push(
            "the commit (the folder `write`) is not flushed before the tree changes".to_string(),
        );
    }
    // B3: every folder the tree changed in is flushed before the journal goes.
    let done = format!("{state}/write.done");
    let Some(end) = steps
        .iter()
        .position(|s| *s == Step::Rename(txn.clone(), done.clone()))
    else {
        bad.push("the journal was never removed".to_string());
        return bad;
    };
    for (i, s) in steps.iter().enumerate().take(end).skip(commit) {
        for dir in tree_dirs(s) {
            if !flushed(&dir, i, end) {
                bad.push(format!(
                    "{dir} is not flushed after {s:?}, before the journal goes"
                ));
            }
        }
    }
    // A rollback's mark is durable before anything is undone.
    let mark = format!("{txn}/rolling-back");
    if let Some(m) = steps.iter().position(|s| *s == Step::Create(mark.clone())) {
        let undo = steps
            .iter()
            .enumerate()
            .skip(m)
            .find(|(_, s)| !tree_dirs(s).is_empty())
            .map_or(end, |(i, _)| i);
        if !flushed(&mark, m, undo) || !flushed(&txn, m, undo) {
            bad.push("the rollback mark is not flushed before the first undo".to_string());
        }
    }
    bad.truncate(12);
    bad
}

/// [`flush_order_violations`] of a write that creates every file in place
/// (no file replaced): C1, C2 and C3 of `src/generate/write/direct.rs`.
fn created_in_place_violations(steps: &[Step], out: &str) -> Vec<String> {
    let state = format!("{out}/.skillchain");
    let txn = format!("{state}/write");
    let journal = format!("{txn}/journal.json");
    let Some(commit) = steps
        .iter()
        .position(|s| *s == Step::Create(journal.clone()))
    else {
        return vec!["the journal was never written".to_string()];
    };
    let mut bad = Vec::new();
    let flushed = |path: &str, after: usize, before: usize| {
        steps[after.min(before)..before]
            .iter()
            .any(|s| *s == Step::Flush(path.to_string()) || *s == Step::WholeFs)
    };
    let in_tree = |p: &str| {
        p.starts_with(&format!("{out}/")) && !p.starts_with(&format!("{state}/")) && p != state
    };
    let changes_tree = |s: &Step| match s {
        Step::Create(p) | Step::Name(p) | Step::Remove(p) => in_tree(p),
        Step::Rename(a, b) => in_tree(a) || in_tree(b),
        _ => false,
    };
    if let Some(i) = steps[..commit].iter().position(changes_tree) {
        bad.push(format!(
            "{:?} changes the output tree before the commit",
            steps[i]
        ));
    }
    let first_change = steps
        .iter()
        .enumerate()
        .skip(commit)
        .find(|(_, s)| changes_tree(s))
        .map_or(steps.len(), |(i, _)| i);
    // C1: the journal and the folders naming it, before the tree changes.
    if !flushed(&journal, commit, first_change) {
        bad.push("journal.json is not flushed before the tree changes".to_string());
    }
    for (i, s) in steps.iter().enumerate().take(first_change) {
        let named = match s {
            Step::Create(p) | Step::Name(p) => parent(p).to_string(),
            Step::Rename(_, b) => parent(b).to_string(),
            _ => continue,
        };
        if [txn.as_str(), state.as_str(), out].contains(&named.as_str())
            && !flushed(&named, i, first_change)
        {
            bad.push(format!(
                "the folder {named} is not flushed after {s:?}, before the tree changes"
            ));
        }
    }
    // C2: every created file and every folder a name was added to, before
    // the journal goes.
    let done = format!("{state}/write.done");
    let Some(end) = steps
        .iter()
        .position(|s| *s == Step::Rename(txn.clone(), done.clone()))
    else {
        bad.push("the journal was never removed".to_string());
        return bad;
    };
    for (i, s) in steps.iter().enumerate().take(end).skip(commit) {
        if !changes_tree(s) {
            continue;
        }
        if let Step::Create(p) = s {
            let removed = steps[i..end].contains(&Step::Remove(p.clone()));
            if !removed && !flushed(p, i, end) {
                bad.push(format!("{p} is not flushed before the journal goes"));
            }
        }
        if let Step::Create(p) | Step::Name(p) | Step::Remove(p) = s {
            if !flushed(parent(p), i, end) {
                bad.push(format!(
                    "{} is not flushed after {s:?}, before the journal goes",
                    parent(p)
                ));
            }
        }
    }
    // C3: the completion is durable before the process ends.
    if !steps[end..].contains(&Step::Flush(state.clone())) && !steps[end..].contains(&Step::WholeFs)
    {
        bad.push("the journal's removal (.skillchain) is never flushed".to_string());
    }
    bad
}

/// True on tmpfs or ramfs, where skillchain flushes nothing.
fn in_memory(dir: &Path) -> bool {
    let Ok(o) = Command::new("stat")
        .args(["-f", "-c", "%t"])
        .arg(dir)
        .output()
    else {
        return false;
    };
    matches!(text(&o.stdout).trim(), "1021994" | "858458f6")
}

#[test]
fn every_barrier_of_the_power_loss_argument_is_in_the_system_calls() {
    let mut rng = Rng::new(13);
    let work = tempfile::tempdir().unwrap();
    let work = work.path().canonicalize().unwrap();
    if in_memory(&work) {
        eprintln!("the temp folder is in memory (tmpfs), where nothing is flushed: set TMPDIR to a disk to check the flush order");
        return;
    }
    // Fresh folders of generated shapes: files spread over 7 folders, and
    // new folders up to 4 deep.
    for round in 0..3 {
        let files = 1 + (rng.next() % 40) as usize;
        let deep: Vec<(String, String, String)> = (0..(rng.next() % 4))
            .map(|k| {
                let depth = 1 + rng.next() % 4;
                let dirs: Vec<String> = (0..depth).map(|d| format!("n{round}{k}{d}")).collect();
                (
                    format!("{}/deep{k}.txt", dirs.join("/")),
                    format!("deep{k}.j2"),
                    format!("deep {k}\n"),
                )
            })
            .collect();
        let extra: Vec<(&str, &str, &str)> = deep
            .iter()
            .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
            .collect();
        let pack = bulk_pack(files, &extra);
        let out = work.join(format!("fresh{round}"));
        // Each file flushed (as on a busy machine), or, when the machine
        // holds little dirty data, maybe one pass over the file system.
        let each = round != 2;
        let Some((o, steps)) = traced(pack.path(), &run_args(&out, "one", false), &work, each)
        else {
            return;
        };
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let bad = flush_order_violations(&steps, out.to_str().unwrap(), each);
        assert!(
            bad.is_empty(),
            "fresh folder, {files} files, {} deep: {}",
            deep.len(),
            bad.join("\n")
        );
    }
    // Over an edited tree: files replaced, one created again, the rest kept.
    let edited = Edited::new(30);
    let out = edited.out().canonicalize().unwrap();
    let (o, steps) = traced(
        edited.pack.path(),
        &run_args(&out, "two", true),
        &work,
        true,
    )
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let bad = flush_order_violations(&steps, out.to_str().unwrap(), true);
    assert!(
        bad.is_empty(),
        "--force over an edited tree: {}",
        bad.join("\n")
    );
    // A rollback: a folder the renames cannot enter (immutable for root,
    // read-only for anyone else) fails the apply half-way.
    reset(&out, Some(&edited.base()));
    let locked = out.join("d4");
    let root = unsafe { libc::geteuid() } == 0;
    let blocked = if root {
        Command::new("chattr")
            .arg("+i")
            .arg(&locked)
            .status()
            .is_ok_and(|s| s.success())
    } else {
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).is_ok()
    };
    if !blocked {
        eprintln!(
            "cannot make a folder unwritable here: the rollback's flush order is not checked"
        );
        return;
    }
    let before = snapshot(&out);
    let traced_run = traced(
        edited.pack.path(),
        &run_args(&out, "two", true),
        &work,
        true,
    );
    if root {
        Command::new("chattr")
            .arg("-i")
            .arg(&locked)
            .status()
            .unwrap();
    } else {
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let (o, steps) = traced_run.unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert_eq!(without_lock(&snapshot(&out)), without_lock(&before));
    assert!(
        steps.contains(&Step::Create(format!(
            "{}/.skillchain/write/rolling-back",
            out.display()
        ))),
        "no rollback happened"
    );
    let bad = flush_order_violations(&steps, out.to_str().unwrap(), true);
    assert!(bad.is_empty(), "a rollback: {}", bad.join("\n"));
}

#[test]
fn a_write_into_memory_flushes_nothing() {
    let Ok(shm) = tempfile::tempdir_in("/dev/shm") else {
        return; // no /dev/shm here
    };
    if !in_memory(shm.path()) {
        return;
    }
    let pack = bulk_pack(12, &[("a/b/deep.txt", "deep.j2", "deep\n")]);
    let out = shm.path().join("out");
    let Some((o, steps)) = traced(
        pack.path(),
        &run_args(&out, "one", false),
        shm.path(),
        false,
    ) else {
        return;
    };
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        fs::read_to_string(out.join("a/b/deep.txt")).unwrap(),
        "deep\n"
    );
    let prefix = format!("{}/", out.display());
    let flushed: Vec<&Step> = steps
        .iter()
        .filter(|s| matches!(s, Step::Flush(p) if p.starts_with(&prefix)) || **s == Step::WholeFs)
        .collect();
    assert!(flushed.is_empty(), "tmpfs was flushed: {flushed:?}");
}
