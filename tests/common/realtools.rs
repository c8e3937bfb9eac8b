//! Helpers for tests that check generated trees with real tools: the Python
//! venv made by `.ci/setup-python`, running commands with their whole output
//! on failure, and the checks every pack's tree must survive (py_compile,
//! YAML/JSON parsing, dbt build).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::repo;

/// The venv's `bin` folder; fails the test with what to do when it is missing.
pub fn venv_bin() -> PathBuf {
    let venv = std::env::var_os("SKILLCHAIN_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv"));
    let bin = venv.join("bin");
    for tool in ["python", "dbt"] {
        assert!(
            bin.join(tool).is_file(),
            "the real-tool tests need a Python venv with dbt-duckdb, PyYAML and pytest at {}, \
             and {} is missing: run `bash .ci/run` once (it creates the venv with \
             .ci/setup-python), or point SKILLCHAIN_VENV at such a venv",
            venv.display(),
            bin.join(tool).display()
        );
    }
    bin
}

pub fn text(out: &Output) -> String {
    format!(
        "exit status: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs a command; on failure the test fails with the tool's whole output.
pub fn run_ok(what: &str, cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start {cmd:?}: {e}"));
    assert!(out.status.success(), "{what} failed:\n{}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn skillchain() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_skillchain"));
    super::isolated(&mut cmd);
    cmd.arg("--no-color").env("NO_COLOR", "1");
    cmd
}

/// What `dbt build` reported: the `Found ...` inventory and the `Done.` tally.
#[derive(Debug, PartialEq, Eq)]
pub struct DbtBuild {
    pub models: u32,
    pub data_tests: u32,
    pub seeds: u32,
    pub pass: u32,
    pub error: u32,
    pub skip: u32,
}

pub fn count_before(line: &str, noun: &str) -> u32 {
    let words: Vec<&str> = line.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    words
        .windows(2)
        .find(|w| w[1] == noun || w[1].trim_end_matches('s') == noun)
        .and_then(|w| w[0].parse().ok())
        .unwrap_or(0)
}

pub fn tally(line: &str, key: &str) -> u32 {
    line.split_whitespace()
        .find_map(|w| w.strip_prefix(&format!("{key}=")))
        .and_then(|n| n.parse().ok())
        .unwrap_or(u32::MAX)
}

pub fn parse_dbt(stdout: &str) -> DbtBuild {
    let found = stdout
        .lines()
        .find(|l| l.contains(" Found "))
        .unwrap_or_else(|| panic!("no `Found ...` line in dbt output:\n{stdout}"));
    let done = stdout
        .lines()
        .find(|l| l.contains("Done. PASS="))
        .unwrap_or_else(|| panic!("no `Done. PASS=` line in dbt output:\n{stdout}"));
    // "Found 5 models, 34 data tests, 3 seeds, 2 sources, 487 macros"
    let data_tests = {
        let words: Vec<&str> = found.split([' ', ',']).filter(|w| !w.is_empty()).collect();
        words
            .windows(3)
            .find(|w| w[1] == "data" && w[2].starts_with("test"))
            .and_then(|w| w[0].parse().ok())
            .unwrap_or(0)
    };
    DbtBuild {
        models: count_before(found, "model"),
        data_tests,
        seeds: count_before(found, "seed"),
        pass: tally(done, "PASS"),
        error: tally(done, "ERROR"),
        skip: tally(done, "SKIP"),
    }
}

pub fn files_with(tree: &Path, suffixes: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![tree.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable dir").flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                // dbt's own output and logs are not generated files.
                if !["target", "logs", "__pycache__", ".pytest_cache"].contains(&name.as_str()) {
                    stack.push(path);
                }
            } else if suffixes.iter().any(|s| name.ends_with(s)) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

pub fn py_compile_all(bin: &Path, tree: &Path) -> usize {
    let files = files_with(tree, &[".py"]);
    assert!(!files.is_empty(), "no Python files in {}", tree.display());
    run_ok(
        "python -m py_compile on every generated .py file",
        Command::new(bin.join("python"))
            .args(["-B", "-m", "py_compile"])
            .args(&files),
    );
    files.len()
}

pub const PARSE_ALL: &str = r#"
import json, sys, yaml
bad = []
for path in sys.argv[1:]:
    try:
        with open(path) as f:
            if path.endswith(".json"):
                json.load(f)
            else:
                list(yaml.safe_load_all(f))
    except Exception as err:
        bad.append(f"{path}: {err}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
"#;

pub fn parse_yaml_and_json(bin: &Path, tree: &Path) -> usize {
    let files = files_with(tree, &[".yml", ".yaml", ".json"]);
    assert!(!files.is_empty(), "no YAML files in {}", tree.display());
    run_ok(
        "PyYAML/json on every generated .yml, .yaml and .json file",
        Command::new(bin.join("python"))
            .args(["-c", PARSE_ALL])
            .args(&files),
    );
    files.len()
}

/// One `dbt build` of `project` on `target`, with the project as profiles
/// dir; fails the test on any error or skipped node and returns the tally.
pub fn dbt_build(bin: &Path, project: &Path, target: &str) -> (DbtBuild, String) {
    assert!(
        project.join("dbt_project.yml").is_file(),
        "no dbt project in {}",
        project.display()
    );
    let stdout = run_ok(
        &format!("`dbt build --target {target}` in {}", project.display()),
        Command::new(bin.join("dbt"))
            .args(["build", "--no-use-colors", "--target", target])
            .arg("--project-dir")
            .arg(project)
            .arg("--profiles-dir")
            .arg(project)
            .current_dir(project)
            .env_remove("DBT_TARGET")
            .env_remove("DBT_RAW_SCHEMA")
            .env_remove("DBT_DUCKDB_PATH")
            .env("DBT_SEND_ANONYMOUS_USAGE_STATS", "false"),
    );
    let build = parse_dbt(&stdout);
    assert_eq!(
        (build.error, build.skip),
        (0, 0),
        "dbt build reported errors or skips: {build:?}\n{stdout}"
    );
    (build, stdout)
}

/// Runs one SQL query on a DuckDB file with the venv's `duckdb` module and
/// returns its rows, one line each, columns separated by `|`.
pub fn duckdb_rows(bin: &Path, database: &Path, sql: &str) -> Vec<String> {
    const QUERY: &str = r#"
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
for row in con.execute(sys.argv[2]).fetchall():
    print("|".join(str(v) for v in row))
"#;
    run_ok(
        &format!("duckdb query {sql:?} on {}", database.display()),
        Command::new(bin.join("python"))
            .args(["-c", QUERY])
            .arg(database)
            .arg(sql),
    )
    .lines()
    .map(str::to_string)
    .collect()
}

/// `skillchain run --answers tests/fixtures/answers/<answers> --out <out>`.
pub fn generate_from_answers(answers: &str, out: &Path) {
    let file = repo().join("tests/fixtures/answers").join(answers);
    run_ok(
        &format!("skillchain run --answers {answers}"),
        skillchain()
            .args(["run", "--answers"])
            .arg(&file)
            .arg("--out")
            .arg(out),
    );
}

/// pytest on `paths` inside the generated project `tree`; returns its output.
pub fn pytest_in(bin: &Path, tree: &Path, paths: &[&str]) -> String {
    run_ok(
        &format!("pytest {} in the generated project", paths.join(" ")),
        Command::new(bin.join("python"))
            .args(["-B", "-m", "pytest", "-q", "-p", "no:cacheprovider"])
            .args(paths)
            .current_dir(tree),
    )
}

/// `skillchain validate DIR` must exit 0 (PASS).
pub fn validate_passes(tree: &Path) -> String {
    run_ok(
        "skillchain validate",
        skillchain().arg("validate").arg(tree),
    )
}

/// `skillchain run --answers tests/fixtures/answers/<answers> --out <out>`;
/// fails the test with the whole output when it does not succeed.
pub fn generate_from(answers: &str, out: &Path) {
    let file = repo().join("tests/fixtures/answers").join(answers);
    run_ok(
        &format!("skillchain run --answers {answers}"),
        skillchain()
            .args(["run", "--answers"])
            .arg(&file)
            .arg("--out")
            .arg(out),
    );
}

/// Runs the Python check `script` (relative to the repository) of the venv
/// in `bin` over `trees`, each given as `TREE=DIALECT`, in one process.
pub fn python_check<D: std::fmt::Display>(bin: &Path, script: &str, trees: &[(PathBuf, D)]) {
    let mut cmd = Command::new(bin.join("python"));
    cmd.arg("-B")
        .arg(repo().join(script))
        .env("DBT_SEND_ANONYMOUS_USAGE_STATS", "false");
    for (tree, dialect) in trees {
        cmd.arg(format!("{}={dialect}", tree.display()));
    }
    run_ok(script, &mut cmd);
}
