//! Real-tool checks of the bundled `data-engineering` pack: the built binary
//! generates a tree (`skillchain run`), then the tools a data engineer would
//! use prove it works: `dbt build` on the DuckDB target (twice, so the second
//! run takes the incremental path), the plain-SQL runner on DuckDB, the
//! generated pytest suite, `python -m py_compile` on every `.py` file, PyYAML
//! on every `.yml`/`.yaml` file, `json` on every `.json` file, and finally
//! `skillchain validate`.
//!
//! The Python tools live in a venv made by `.ci/setup-python` at
//! `<repo>/.venv` (or `$SKILLCHAIN_VENV`). Without it every test here fails
//! and says to run `bash .ci/run` once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The venv's `bin` folder; fails the test with what to do when it is missing.
fn venv_bin() -> PathBuf {
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

fn text(out: &Output) -> String {
    format!(
        "exit status: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs a command; on failure the test fails with the tool's whole output.
fn run_ok(what: &str, cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start {cmd:?}: {e}"));
    assert!(out.status.success(), "{what} failed:\n{}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn skillchain() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_skillchain"));
    cmd.arg("--no-color").env("NO_COLOR", "1");
    cmd
}

/// A fresh output folder inside a temp dir that lives as long as the guard.
fn out_dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("data-pipeline");
    (tmp, out)
}

fn generate_defaults(goal: &str, out: &Path) {
    run_ok(
        &format!("skillchain run {goal:?} --defaults"),
        skillchain()
            .args(["run", goal, "--defaults", "--out"])
            .arg(out),
    );
}

fn generate_from(answers: &str, out: &Path) {
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

/// What `dbt build` reported: the `Found ...` inventory and the `Done.` tally.
#[derive(Debug, PartialEq, Eq)]
struct DbtBuild {
    models: u32,
    data_tests: u32,
    seeds: u32,
    pass: u32,
    error: u32,
    skip: u32,
}

fn count_before(line: &str, noun: &str) -> u32 {
    let words: Vec<&str> = line.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    words
        .windows(2)
        .find(|w| w[1] == noun || w[1].trim_end_matches('s') == noun)
        .and_then(|w| w[0].parse().ok())
        .unwrap_or(0)
}

fn tally(line: &str, key: &str) -> u32 {
    line.split_whitespace()
        .find_map(|w| w.strip_prefix(&format!("{key}=")))
        .and_then(|n| n.parse().ok())
        .unwrap_or(u32::MAX)
}

fn parse_dbt(stdout: &str) -> DbtBuild {
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

/// `dbt build` on the local DuckDB target, run twice: the first run creates
/// every table, the second takes the incremental path of incremental models.
fn dbt_build_twice(bin: &Path, tree: &Path) -> DbtBuild {
    let project = tree.join("transforms/dbt");
    assert!(
        project.join("dbt_project.yml").is_file(),
        "no dbt project in {}",
        tree.display()
    );
    let mut last = None;
    for round in ["first", "second (incremental)"] {
        let stdout = run_ok(
            &format!("{round} `dbt build` in {}", project.display()),
            Command::new(bin.join("dbt"))
                .args(["build", "--no-use-colors", "--target", "local"])
                .arg("--project-dir")
                .arg(&project)
                .arg("--profiles-dir")
                .arg(&project)
                .current_dir(&project)
                .env_remove("DBT_TARGET")
                .env_remove("DBT_RAW_SCHEMA")
                .env_remove("DBT_DUCKDB_PATH")
                .env("DBT_SEND_ANONYMOUS_USAGE_STATS", "false"),
        );
        let build = parse_dbt(&stdout);
        assert_eq!(
            (build.error, build.skip),
            (0, 0),
            "{round} dbt build reported errors or skips: {build:?}\n{stdout}"
        );
        assert_eq!(
            build.pass,
            build.models + build.data_tests + build.seeds,
            "{round} dbt build did not pass every node: {build:?}\n{stdout}"
        );
        last = Some(build);
    }
    last.expect("two rounds ran")
}

/// The plain-SQL runner on an in-memory DuckDB with the sample seeds.
fn run_sql_locally(bin: &Path, tree: &Path) -> String {
    run_ok(
        "python transforms/run_sql.py --local",
        Command::new(bin.join("python"))
            .arg(tree.join("transforms/run_sql.py"))
            .arg("--local")
            .current_dir(tree)
            .env_remove("DBT_TARGET"),
    )
}

fn files_with(tree: &Path, suffixes: &[&str]) -> Vec<PathBuf> {
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

fn py_compile_all(bin: &Path, tree: &Path) -> usize {
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

const PARSE_ALL: &str = r#"
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

fn parse_yaml_and_json(bin: &Path, tree: &Path) -> usize {
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

fn generated_pytest(bin: &Path, tree: &Path) -> String {
    run_ok(
        "pytest tests/test_pipeline.py in the generated project",
        Command::new(bin.join("python"))
            .args(["-B", "-m", "pytest", "-q", "-p", "no:cacheprovider"])
            .arg("tests/test_pipeline.py")
            .current_dir(tree)
            .env_remove("DBT_TARGET")
            .env_remove("DBT_RAW_SCHEMA"),
    )
}

fn validate_passes(tree: &Path) {
    run_ok(
        "skillchain validate",
        skillchain().arg("validate").arg(tree),
    );
}

/// Everything every tree must survive; returns a one-line summary.
fn check_tree(bin: &Path, tree: &Path) -> BTreeMap<&'static str, usize> {
    let mut summary = BTreeMap::new();
    summary.insert("python files compiled", py_compile_all(bin, tree));
    summary.insert("yaml/json files parsed", parse_yaml_and_json(bin, tree));
    let pytest = generated_pytest(bin, tree);
    assert!(
        pytest.contains("5 passed"),
        "the generated test suite did not pass all 5 tests:\n{pytest}"
    );
    validate_passes(tree);
    summary
}

#[test]
fn defaults_for_kafka_to_snowflake_with_dbt_tests_build_on_duckdb() {
    let bin = venv_bin();
    let (_tmp, out) = out_dir();
    generate_defaults(
        "streaming pipeline from kafka to snowflake with dbt tests",
        &out,
    );
    // strict tests (the goal says "dbt tests"), incremental facts (streaming).
    let build = dbt_build_twice(&bin, &out);
    eprintln!("kafka/snowflake defaults: dbt {build:?}");
    assert_eq!(
        (build.models, build.seeds, build.data_tests, build.pass),
        (5, 3, 30, 38)
    );
    let summary = check_tree(&bin, &out);
    eprintln!("kafka/snowflake defaults: {summary:?}");
    assert!(out.join("transforms/dags/data_pipeline.py").is_file());
    assert!(out.join("streaming/schemas/order_event.avsc").is_file());
}

#[test]
fn kinesis_lakehouse_with_dagster_builds_on_duckdb() {
    let bin = venv_bin();
    let (_tmp, out) = out_dir();
    generate_from("kinesis-lakehouse-dagster.yaml", &out);
    let build = dbt_build_twice(&bin, &out);
    eprintln!("kinesis/lakehouse/dagster: dbt {build:?}");
    assert_eq!(
        (build.models, build.seeds, build.data_tests, build.pass),
        (5, 3, 25, 33)
    );
    let summary = check_tree(&bin, &out);
    eprintln!("kinesis/lakehouse/dagster: {summary:?}");
    assert!(out
        .join("transforms/orchestration/definitions.py")
        .is_file());
    assert!(out.join("k8s/consumer-hpa.yaml").is_file());
    assert!(out.join("tests/load/generate_load.py").is_file());
}

#[test]
fn bigquery_plain_sql_with_prefect_runs_on_duckdb() {
    let bin = venv_bin();
    let (_tmp, out) = out_dir();
    generate_from("bigquery-sql-prefect.yaml", &out);
    assert!(
        !out.join("transforms/dbt").exists(),
        "plain SQL must not generate a dbt project"
    );
    let stdout = run_sql_locally(&bin, &out);
    eprintln!(
        "bigquery/sql/prefect: {}",
        stdout.lines().last().unwrap_or("")
    );
    assert!(
        stdout.contains("done   5 transforms, 20 orders in analytics.fct_orders, 0 failed checks"),
        "{stdout}"
    );
    // strict test level: all ten checks of transforms/sql/checks/ ran and passed.
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("pass ")).count(),
        10,
        "{stdout}"
    );
    let summary = check_tree(&bin, &out);
    eprintln!("bigquery/sql/prefect: {summary:?}");
    assert!(out
        .join("transforms/flows/shop_analytics_flow.py")
        .is_file());
}

#[test]
fn redpanda_into_postgres_with_a_resolved_conflict_builds_on_duckdb() {
    let bin = venv_bin();
    let (_tmp, out) = out_dir();
    generate_from("redpanda-postgres-conflict.yaml", &out);
    let consumer = std::fs::read_to_string(out.join("streaming/consumer.yaml")).expect("consumer");
    assert!(consumer.contains("delivery: at-least-once"), "{consumer}");
    let build = dbt_build_twice(&bin, &out);
    eprintln!("redpanda/postgres: dbt {build:?}");
    assert_eq!(
        (build.models, build.seeds, build.data_tests, build.pass),
        (5, 3, 17, 25)
    );
    let summary = check_tree(&bin, &out);
    eprintln!("redpanda/postgres: {summary:?}");
}

#[test]
fn defaults_for_batch_elt_into_bigquery_with_airflow_build_on_duckdb() {
    let bin = venv_bin();
    let (_tmp, out) = out_dir();
    generate_defaults("batch ELT from postgres into bigquery with airflow", &out);
    let build = dbt_build_twice(&bin, &out);
    eprintln!("bigquery/airflow defaults: dbt {build:?}");
    assert_eq!(build.error, 0);
    let summary = check_tree(&bin, &out);
    eprintln!("bigquery/airflow defaults: {summary:?}");
}

#[test]
fn defaults_for_a_data_lake_on_s3_with_spark_build_on_duckdb() {
    let bin = venv_bin();
    let (_tmp, out) = out_dir();
    generate_defaults("data lake on s3 with spark and vault secrets", &out);
    let build = dbt_build_twice(&bin, &out);
    eprintln!("lake/spark defaults: dbt {build:?}");
    assert_eq!(build.error, 0);
    let summary = check_tree(&bin, &out);
    eprintln!("lake/spark defaults: {summary:?}");
    assert!(out.join("config/vault-policy.hcl").is_file());
}

#[test]
fn dbt_output_is_parsed_into_counts() {
    let stdout = "12:00:00  Found 5 models, 34 data tests, 3 seeds, 2 sources, 487 macros\n\
                  12:00:02  Done. PASS=42 WARN=0 ERROR=0 SKIP=0 NO-OP=0 TOTAL=42\n";
    assert_eq!(
        parse_dbt(stdout),
        DbtBuild {
            models: 5,
            data_tests: 34,
            seeds: 3,
            pass: 42,
            error: 0,
            skip: 0
        }
    );
}
