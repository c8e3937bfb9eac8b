//! Every subcommand with its output going nowhere: standard output on a
//! full disk (`/dev/full`), on a pipe whose reader has gone (`| head`), and
//! standard error on a full disk. Never a panic; a full disk ends with exit
//! code 4 and a message on standard error; a closed pipe ends quietly with
//! the command's own exit code; the command's work (files written) is done
//! either way.
#![cfg(unix)]

use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const GOAL: &str = "streaming pipeline from kafka to snowflake with dbt tests";
const EXIT_OUTPUT_FAILED: i32 = 4;
const FULL_MESSAGE: &str =
    "skillchain: could not write to standard output: No space left on device (os error 28)";

/// Where standard output or error of a run goes.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Sink {
    Captured,
    Full,
    ClosedPipe,
}

fn sink(s: Sink) -> Stdio {
    match s {
        Sink::Captured => Stdio::piped(),
        Sink::Full => Stdio::from(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .expect("/dev/full"),
        ),
        Sink::ClosedPipe => {
            let mut fds = [0; 2];
            // SAFETY: pipe(2) into a two-element array; the read end is
            // closed at once and the write end handed to the child.
            unsafe {
                assert_eq!(libc::pipe(fds.as_mut_ptr()), 0, "a pipe");
                libc::close(fds[0]);
                Stdio::from(OwnedFd::from_raw_fd(fds[1]))
            }
        }
    }
}

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().expect("temp dir");
        Home { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self, args: &[&str], stdin: &str, out: Sink, err: Sink) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_skillchain"));
        cmd.args(args)
            .current_dir(self.path())
            .env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.path().join(".config"))
            .env("XDG_DATA_HOME", self.path().join(".data"))
            .env("NO_COLOR", "1")
            .env_remove("RUST_BACKTRACE")
            .stdin(Stdio::piped())
            .stdout(sink(out))
            .stderr(sink(err));
        let mut child = cmd.spawn().expect("skillchain starts");
        if let Some(mut input) = child.stdin.take() {
            use std::io::Write;
            let _ = input.write_all(stdin.as_bytes());
        }
        child.wait_with_output().expect("skillchain ends")
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Files under `dir`, relative, sorted (empty when it does not exist).
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walk(dir)
        .into_iter()
        .filter_map(|p| p.strip_prefix(dir).ok().map(Path::to_path_buf))
        .filter(|p| !p.starts_with(".skillchain"))
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// What a command does with working output: its exit code, whether it
/// prints on standard output and on standard error, and whether it writes
/// a tree into `{out}`.
struct Normal {
    code: i32,
    prints: bool,
    complains: bool,
    writes: bool,
}

const PRINTS: Normal = Normal {
    code: 0,
    prints: true,
    complains: false,
    writes: false,
};

const REFUSES: Normal = Normal {
    code: 2,
    prints: false,
    complains: true,
    writes: false,
};

/// Runs `args` (with `{out}` replaced by a fresh folder per run) with
/// standard output broken each way (and, with `stderr_too`, standard error
/// as well), and checks each outcome against what the command does
/// normally.
fn check(home: &Home, name: &str, args: &[&str], stdin: &str, normal: Normal, stderr_too: bool) {
    let mut n = 0;
    let mut with_out = |out: Sink, err: Sink| -> (Output, PathBuf) {
        n += 1;
        let folder = format!("{name}-{n}");
        let args: Vec<String> = args.iter().map(|a| a.replace("{out}", &folder)).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        (home.run(&args, stdin, out, err), home.path().join(&folder))
    };
    let code = normal.code;
    let written = |dir: &Path| {
        let files = tree(dir);
        if normal.writes {
            assert!(
                dir.join(".skillchain/answers.yaml").is_file() && files.len() > 5,
                "{name}: the whole tree is written: {files:?}"
            );
        } else {
            assert!(files.is_empty(), "{name} wrote {files:?}");
        }
        files
    };

    let (full, full_dir) = with_out(Sink::Full, Sink::Captured);
    let err = text(&full.stderr);
    assert!(
        !err.contains("panicked"),
        "{name} > /dev/full panicked:\n{err}"
    );
    if normal.prints {
        assert_eq!(
            full.status.code(),
            Some(EXIT_OUTPUT_FAILED),
            "{name} > /dev/full: {err}"
        );
        assert!(
            err.lines()
                .last()
                .is_some_and(|l| l.starts_with(FULL_MESSAGE)),
            "{name} > /dev/full ends by saying what happened:\n{err}"
        );
    } else {
        assert_eq!(full.status.code(), Some(code), "{name} > /dev/full: {err}");
    }
    assert_eq!(
        !err.is_empty(),
        normal.prints || normal.complains,
        "{name} > /dev/full: {err}"
    );
    let full_tree = written(&full_dir);

    let (piped, piped_dir) = with_out(Sink::ClosedPipe, Sink::Captured);
    let err = text(&piped.stderr);
    assert!(
        !err.contains("panicked"),
        "{name} | (closed) panicked:\n{err}"
    );
    assert_eq!(
        piped.status.code(),
        Some(code),
        "{name} | (closed) keeps its exit code: {err}"
    );
    assert!(
        !err.contains("could not write"),
        "{name} | (closed) is quiet: {err}"
    );
    assert_eq!(written(&piped_dir), full_tree, "{name}: the same tree");
    if !stderr_too {
        return;
    }

    let (err_full, _) = with_out(Sink::Captured, Sink::Full);
    let expected = if normal.complains {
        EXIT_OUTPUT_FAILED
    } else {
        code
    };
    assert_eq!(
        err_full.status.code(),
        Some(expected),
        "{name} 2> /dev/full"
    );

    let (both, _) = with_out(Sink::Full, Sink::Full);
    let expected = if normal.prints || normal.complains {
        EXIT_OUTPUT_FAILED
    } else {
        code
    };
    assert_eq!(both.status.code(), Some(expected), "{name} &> /dev/full");
}

#[test]
fn list_detect_and_help_never_panic_on_a_full_disk_or_a_closed_pipe() {
    let home = Home::new();
    check(&home, "list", &["list"], "", PRINTS, true);
    check(
        &home,
        "detect",
        &["detect", GOAL, "--json"],
        "",
        PRINTS,
        false,
    );
    check(
        &home,
        "detect-nothing",
        &["detect", "qqq zzz"],
        "",
        REFUSES,
        true,
    );
    check(&home, "help", &["--help"], "", PRINTS, false);
    check(&home, "version", &["--version"], "", PRINTS, false);
    check(&home, "usage", &["--bogus"], "", REFUSES, true);
}

#[test]
fn run_writes_its_whole_tree_whatever_happens_to_its_output() {
    let home = Home::new();
    let run = ["run", GOAL, "--defaults", "--out", "{out}"];
    let writes = Normal {
        writes: true,
        ..PRINTS
    };
    check(&home, "run", &run, "", writes, true);
    let pretend = [&run[..], &["--pretend"]].concat();
    check(&home, "pretend", &pretend, "", PRINTS, false);
    check(
        &home,
        "run-bad",
        &["run", GOAL, "--set", "x"],
        "",
        REFUSES,
        false,
    );
}

#[test]
fn validate_lint_prefs_resume_and_plain_never_panic_on_broken_output() {
    let home = Home::new();
    let made = home.run(
        &["run", GOAL, "--defaults", "--out", "project"],
        "",
        Sink::Captured,
        Sink::Captured,
    );
    assert_eq!(made.status.code(), Some(0), "{}", text(&made.stderr));
    let mini = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/packs/mini");
    check(
        &home,
        "validate",
        &["validate", "project", "--json"],
        "",
        PRINTS,
        false,
    );
    check(&home, "lint", &["lint", mini], "", PRINTS, false);
    check(
        &home,
        "lint-bad",
        &["lint", "/etc/passwd"],
        "",
        REFUSES,
        false,
    );
    check(&home, "prefs", &["prefs", "show"], "", PRINTS, false);
    check(&home, "resume", &["resume", "nowhere"], "", REFUSES, false);
    let quits = Normal {
        code: 0,
        prints: true,
        complains: false,
        writes: false,
    };
    check(
        &home,
        "plain",
        &["--plain", GOAL, "--out", "{out}"],
        "\nquit\ny\n",
        quits,
        true,
    );
}

#[test]
fn pack_commands_never_panic_on_a_full_disk_or_a_closed_pipe() {
    let home = Home::new();
    let mini = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/packs/mini");
    check(&home, "pack add", &["pack", "add", mini], "", PRINTS, true);
    check(&home, "pack list", &["pack", "list"], "", PRINTS, true);
    check(
        &home,
        "pack update",
        &["pack", "update", "--yes"],
        "",
        PRINTS,
        false,
    );
    check(
        &home,
        "pack index",
        &["pack", "index", mini, "--out", "index"],
        "",
        PRINTS,
        false,
    );
    check(&home, "pack help", &["pack", "--help"], "", PRINTS, false);
    check(
        &home,
        "pack search",
        &["pack", "search", "x"],
        "",
        REFUSES,
        true,
    );
    check(
        &home,
        "pack remove",
        &["pack", "remove", "nothing"],
        "",
        REFUSES,
        true,
    );
}
