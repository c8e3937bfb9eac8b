//! Real-tool checks of the bundled `dbt-workflows` pack: the built binary
//! generates a workflow (`skillchain run`), then dbt builds it on DuckDB and
//! DuckDB itself is asked what the models hold: a type 1 dimension, a type 2
//! dimension whose snapshot opens a new version when a seed row changes, an
//! incremental fact that picks up a new row on its second build, and the full
//! pipeline run through the generated step runner. Every tree's YAML parses
//! and `skillchain validate` passes.
//!
//! Needs the venv of `.ci/setup-python` (see tests/common/realtools.rs).

mod common;

use common::realtools::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn out_dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("dbt-workflow");
    (tmp, out)
}

/// `skillchain run` for `blueprint` with `answers` (YAML under `answers:`,
/// may be empty) and defaults for the rest.
fn generate(blueprint: &str, answers: &str, out: &Path) {
    let file = out.with_extension("answers.yaml");
    let yaml = format!(
        "skillchain: 1\npack: dbt-workflows\ngoal: dbt workflow\nblueprint: {blueprint}\n\
         answers:\n{answers}"
    );
    std::fs::write(&file, yaml).expect("answers file written");
    run_ok(
        &format!("skillchain run --answers for {blueprint}"),
        skillchain()
            .args(["run", "--defaults", "--answers"])
            .arg(&file)
            .arg("--out")
            .arg(out),
    );
}

/// One `dbt build` that must pass every node; returns its tally.
fn build_all(bin: &Path, project: &Path, round: &str) -> DbtBuild {
    let (build, stdout) = dbt_build(bin, project, "local");
    assert_eq!(
        build.pass,
        build.models + build.data_tests + build.seeds + snapshots(&stdout),
        "{round} dbt build did not pass every node: {build:?}\n{stdout}"
    );
    build
}

fn snapshots(stdout: &str) -> u32 {
    stdout
        .lines()
        .find(|l| l.contains(" Found "))
        .map(|l| count_before(l, "snapshot"))
        .unwrap_or(0)
}

fn finish(bin: &Path, out: &Path) -> usize {
    let parsed = parse_yaml_and_json(bin, out);
    validate_passes(out);
    parsed
}

fn rows(bin: &Path, out: &Path, sql: &str) -> Vec<String> {
    duckdb_rows(bin, &out.join("analytics.duckdb"), sql)
}

#[test]
fn a_type_1_dimension_builds_on_duckdb() {
    let bin = venv_bin();
    let (_tmp, out) = out_dir();
    generate("new-dimension", "", &out);
    let build = build_all(&bin, &out, "first");
    eprintln!("new-dimension scd1: dbt {build:?}");
    assert_eq!(
        (build.models, build.seeds, build.data_tests, build.pass),
        (2, 1, 8, 11)
    );
    assert_eq!(
        rows(
            &bin,
            &out,
            "select count(*), count(distinct driver_key) from main_marts.dim_driver"
        ),
        ["8|8"]
    );
    eprintln!(
        "new-dimension scd1: {} yaml files parsed",
        finish(&bin, &out)
    );
}

#[test]
fn a_type_2_dimension_snapshot_opens_a_new_version_when_a_driver_changes() {
    let bin = venv_bin();
    let (_tmp, out) = out_dir();
    generate(
        "new-dimension",
        "  dim-modeler:\n    scd_type: scd2\n",
        &out,
    );
    let first = build_all(&bin, &out, "first");
    eprintln!("new-dimension scd2: dbt {first:?}");
    assert_eq!(
        (first.models, first.seeds, first.data_tests, first.pass),
        (2, 1, 11, 15)
    );
    // Driver 3 comes back from a pause: the timestamp strategy sees the new
    // updated_at and closes the old version.
    let seed = out.join("seeds/raw/drivers.csv");
    let csv = std::fs::read_to_string(&seed).expect("seed");
    let changed = csv.replace(
        "3,Chen Wei,standard,south,paused,2024-01-10 12:00:00",
        "3,Chen Wei,standard,south,active,2024-03-01 09:00:00",
    );
    assert_ne!(csv, changed, "the seed row to change exists");
    std::fs::write(&seed, changed).expect("seed rewritten");
    let second = build_all(&bin, &out, "second (snapshot)");
    assert_eq!(second.pass, 15);
    assert_eq!(
        rows(
            &bin,
            &out,
            "select status, is_current, valid_to = timestamp '9999-12-31' \
             from main_marts.dim_driver where driver_id = 3 order by valid_from"
        ),
        ["paused|False|False", "active|True|True"]
    );
    assert_eq!(
        rows(&bin, &out, "select count(*) from main_marts.dim_driver"),
        ["9"]
    );
    eprintln!(
        "new-dimension scd2: {} yaml files parsed",
        finish(&bin, &out)
    );
}

#[test]
fn an_incremental_fact_builds_twice_and_takes_only_new_rows_the_second_time() {
    let bin = venv_bin();
    let (_tmp, out) = out_dir();
    generate("new-fact-table", "", &out);
    let first = build_all(&bin, &out, "first");
    eprintln!("new-fact-table event grain: dbt {first:?}");
    assert_eq!(
        (first.models, first.seeds, first.data_tests, first.pass),
        (6, 2, 24, 32)
    );
    let seed = out.join("seeds/raw/trips.csv");
    let mut csv = std::fs::read_to_string(&seed).expect("seed");
    // Newer than every loaded row's updated_at, so the incremental filter takes it.
    csv.push_str(
        "1017,2,2024-02-06 07:00:00,2024-02-06 07:20:00,6.00,12.50,1.50,2024-02-06 07:20:00\n",
    );
    std::fs::write(&seed, csv).expect("seed extended");
    let second = build_all(&bin, &out, "second (incremental)");
    assert_eq!(second.pass, 32);
    assert_eq!(
        rows(
            &bin,
            &out,
            "select count(*), sum(fare_amount), count(driver_key) from main_marts.fct_trips"
        ),
        ["17|335.30|17"]
    );
    eprintln!("new-fact-table: {} yaml files parsed", finish(&bin, &out));
}

#[test]
fn the_full_pipeline_builds_and_its_runner_reports_every_step() {
    let bin = venv_bin();
    let (_tmp, out) = out_dir();
    generate(
        "full-pipeline",
        "  dim-modeler:\n    scd_type: scd2\n    snapshot_strategy: check\n    grain: daily\n",
        &out,
    );
    assert_eq!(py_compile_all(&bin, &out), 1);
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let printed = run_ok(
        "python scripts/run_workflow.py",
        Command::new(bin.join("python"))
            .args(["-B", "scripts/run_workflow.py"])
            .current_dir(&out)
            .env("PATH", path)
            .env("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
            .env_remove("DBT_TARGET")
            .env_remove("DBT_RAW_SCHEMA")
            .env_remove("DBT_DUCKDB_PATH"),
    );
    assert_eq!(
        printed.lines().collect::<Vec<_>>(),
        [
            "step 1 skipped: Load the raw data with dlt",
            "step 2 success: Build everything upstream of fct_trips",
            "step 3 success: Validate with the data tests",
            "step 4 skipped: Refresh the Power BI semantic model",
        ]
    );
    let report = std::fs::read_to_string(out.join("reports/workflow_run.md")).expect("run report");
    // The runner's build step is the pipeline's dbt build: every seed,
    // the snapshot, every model and every test of the selector.
    let done = report
        .lines()
        .find(|l| l.contains("Done. PASS="))
        .unwrap_or_else(|| panic!("no dbt tally in the run report:\n{report}"));
    eprintln!("full-pipeline scd2 check, daily grain, via run_workflow.py: {done}");
    assert_eq!(
        (
            tally(done, "PASS"),
            tally(done, "ERROR"),
            tally(done, "SKIP")
        ),
        (34, 0, 0),
        "{report}"
    );
    assert!(
        report.ends_with("## Summary\nSuccess: every step that ran passed.\n"),
        "{report}"
    );
    eprintln!("full-pipeline: {} yaml files parsed", finish(&bin, &out));
}
