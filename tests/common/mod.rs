//! Helpers for tests that run the real `skillchain` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_skillchain")
}

/// Config and data folders no test writes to, so a developer's saved
/// preferences and sessions never leak into a test run.
pub fn untouched_xdg() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("xdg-untouched")
}

/// Points `cmd` at `untouched_xdg` for preferences and sessions.
pub fn isolated(cmd: &mut Command) -> &mut Command {
    let x = untouched_xdg();
    cmd.env("XDG_CONFIG_HOME", x.join("config"))
        .env("XDG_DATA_HOME", x.join("data"))
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn mini() -> PathBuf {
    repo().join("tests/fixtures/packs/mini")
}

/// Runs skillchain with the mini fixture pack added and colours off.
pub fn sc(args: &[&str]) -> Output {
    let mini = mini();
    let mut cmd = Command::new(bin());
    isolated(&mut cmd);
    cmd.arg("--skillchains")
        .arg(&mini)
        .args(args)
        .env("NO_COLOR", "1");
    cmd.output().expect("skillchain runs")
}

/// `run "kafka pipeline with dbt" --pack mini --defaults [extra] --out OUT`:
/// the fixture pack's everyday run.
pub fn run_mini(out: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "run",
        "kafka pipeline with dbt",
        "--pack",
        "mini",
        "--defaults",
    ];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--out", out]);
    sc(&args)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Every file under `dir` (relative path → bytes), `.skillchain/` excluded.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("under dir")
                .to_string_lossy()
                .replace('\\', "/");
            if !rel.starts_with(".skillchain/") {
                out.insert(rel, std::fs::read(e.path()).expect("readable"));
            }
        }
    }
    out
}
pub mod evalgoals;
pub mod realtools;

/// Runs skillchain with the bundled packs only and colours off.
pub fn sc_bundled(args: &[&str]) -> Output {
    isolated(&mut Command::new(bin()))
        .arg("--no-color")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("skillchain runs")
}

/// Runs skillchain with `args`, `input` piped to its stdin (as a script or a
/// screen reader's user types), colours off.
pub fn piped(args: &[&std::ffi::OsStr], input: &str) -> Output {
    let mut cmd = Command::new(bin());
    isolated(&mut cmd).args(args).env("NO_COLOR", "1");
    feed(cmd, input)
}

/// Runs `cmd` with `input` on its stdin and its output captured.
pub fn feed(mut cmd: Command, input: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("skillchain starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("input written");
    child.wait_with_output().expect("skillchain ends")
}

/// `sc_bundled` with a path between two groups of arguments.
pub fn sc_path(args: &[&str], path: &std::path::Path, more: &[&str]) -> Output {
    isolated(&mut Command::new(bin()))
        .arg("--no-color")
        .args(args)
        .arg(path)
        .args(more)
        .env("NO_COLOR", "1")
        .output()
        .expect("skillchain runs")
}

/// `skillchain detect GOAL --json` over the bundled packs, parsed.
pub fn detect_json(goal: &str) -> serde_json::Value {
    let out = sc_bundled(&["detect", goal, "--json"]);
    assert_eq!(code(&out), 0, "detect {goal:?}: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("detect --json is JSON")
}

/// The `examples:` of a bundled pack's manifest.
pub fn pack_examples(pack: &str) -> Vec<String> {
    let path = repo().join("skillchains").join(pack).join("pack.yaml");
    let text = std::fs::read_to_string(&path).expect("pack.yaml readable");
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("pack.yaml parses");
    yaml["examples"]
        .as_sequence()
        .expect("examples list")
        .iter()
        .map(|g| g.as_str().expect("example is text").to_string())
        .collect()
}

/// The keyword-detected chain of a `detect --json` answer (no blueprint skills).
pub fn detected_chain(det: &serde_json::Value) -> Vec<String> {
    det["detected_chain"]
        .as_array()
        .expect("detected_chain")
        .iter()
        .map(|e| e["id"].as_str().expect("id").to_string())
        .collect()
}

/// The trigger weight detection gave `pack` for the goal of `det`.
pub fn pack_trigger_weight(det: &serde_json::Value, pack: &str) -> u64 {
    det["packs"]
        .as_array()
        .expect("packs")
        .iter()
        .find(|p| p["id"] == pack)
        .and_then(|p| p["trigger_weight"].as_u64())
        .unwrap_or(0)
}

/// Copies a folder and everything in it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dir created");
    for entry in std::fs::read_dir(from).expect("readable").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copied");
        }
    }
}
