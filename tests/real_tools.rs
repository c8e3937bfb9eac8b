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

mod common;

use common::realtools::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// `dbt build` on the local DuckDB target, run twice: the first run creates
/// every table, the second takes the incremental path of incremental models.
fn dbt_build_twice(bin: &Path, tree: &Path) -> DbtBuild {
    let project = tree.join("transforms/dbt");
    let mut last = None;
    for round in ["first", "second (incremental)"] {
        let (build, stdout) = dbt_build(bin, &project, "local");
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
