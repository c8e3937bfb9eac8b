//! Real-tool checks of the bundled `data-orchestration` pack, one answers
//! file per orchestrator (tests/fixtures/answers/data-orchestration-*.yaml):
//! every generated `.py` compiles, every YAML/JSON file parses, the generated
//! pipeline runs end to end on its sample data with SQLite
//! (`python -m pipeline.run --local`), the generated pytest suite passes,
//! and `skillchain validate` says PASS. On top of that the orchestration code
//! meets its real library: the Prefect flow and the Dagster definitions are
//! imported from the venv and checked (schedule, retries, timeouts), and the
//! Dagster assets are materialized in process. Airflow is too heavy to
//! install, so its DAG is compiled and its syntax tree checked.
//!
//! Needs the venv of `.ci/setup-python` (see tests/common/realtools.rs).

mod common;

use common::realtools::*;
use common::repo;
use std::path::{Path, PathBuf};
use std::process::Command;

fn out_dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("orchestrated-pipeline");
    (tmp, out)
}

fn script(name: &str) -> PathBuf {
    repo().join("tests/fixtures/realtools").join(name)
}

/// The whole pipeline on the sample data, in a fresh SQLite file.
fn local_run(bin: &Path, tree: &Path, tmp: &Path) -> String {
    run_ok(
        "python -m pipeline.run --local",
        Command::new(bin.join("python"))
            .args(["-B", "-m", "pipeline.run", "--local", "--db"])
            .arg(tmp.join("local.db"))
            .current_dir(tree),
    )
}

/// What every generated tree must survive; returns the pytest summary line.
fn check_tree(bin: &Path, tree: &Path) -> String {
    let compiled = py_compile_all(bin, tree);
    let parsed = parse_yaml_and_json(bin, tree);
    let pytest = pytest_in(bin, tree, &["tests"]);
    let last = pytest.lines().last().unwrap_or("").to_string();
    assert!(last.starts_with("17 passed"), "generated tests:\n{pytest}");
    validate_passes(tree);
    eprintln!(
        "{}: {compiled} .py compiled, {parsed} yaml/json parsed, pytest {last}",
        tree.display()
    );
    last
}

#[test]
fn prefect_cdc_flow_imports_with_prefect_and_its_tasks_run_the_pipeline() {
    let bin = venv_bin();
    let (tmp, out) = out_dir();
    generate_from_answers("data-orchestration-prefect.yaml", &out);
    check_tree(&bin, &out);
    assert_eq!(
        local_run(&bin, &out, tmp.path()).trim(),
        r#"{"batch_id": "2024-06-02", "bronze_rows": 15, "failed_warnings": 2, "gold": {"gold_customer_summary": 6, "gold_daily_revenue": 2}, "silver_rows": 9}"#
    );
    let expected = r#"{"flow": "inventory-refresh", "timeout_seconds": 720, "cron": "*/15 * * * *", "retries": 4, "delays": [10, 20, 40, 80]}"#;
    let checked = run_ok(
        "import the Prefect flow and run its tasks",
        Command::new(bin.join("python"))
            .arg("-B")
            .arg(script("prefect_check.py"))
            .arg(&out)
            .arg(tmp.path().join("prefect.db"))
            .arg(expected)
            .env("PREFECT_HOME", tmp.path().join("prefect-home"))
            .env_remove("PREFECT_API_URL"),
    );
    assert_eq!(
        checked.trim(),
        r#"{"batch_id": "2024-06-02", "bronze_rows": 15, "failed_warnings": 2, "gold": {"gold_customer_summary": 6, "gold_daily_revenue": 2}, "silver_rows": 9}"#
    );
    assert!(out.join("data/sample/order_changes.jsonl").is_file());
    assert!(!out.join("orchestration/dagster").exists());
}

#[test]
fn dagster_event_driven_assets_import_validate_and_materialize() {
    let bin = venv_bin();
    let (tmp, out) = out_dir();
    generate_from_answers("data-orchestration-dagster.yaml", &out);
    check_tree(&bin, &out);
    assert_eq!(
        local_run(&bin, &out, tmp.path()).trim(),
        r#"{"batch_id": "2024-06-02", "bronze_rows": 15, "failed_warnings": 1, "gold": {"gold_customer_summary": 6, "gold_daily_revenue": 2, "gold_status_counts": 3}, "silver_rows": 9}"#
    );
    let home = tmp.path().join("dagster-home");
    std::fs::create_dir_all(&home).expect("dagster home");
    let expected = r#"{"job": "order_events_job", "cron": "10 * * * *", "timeout_seconds": 2700, "retries": 2, "delay": 30, "backoff": "LINEAR"}"#;
    let checked = run_ok(
        "import and materialize the Dagster definitions",
        Command::new(bin.join("python"))
            .arg("-B")
            .arg(script("dagster_check.py"))
            .arg(&out)
            .arg(tmp.path().join("dagster.db"))
            .arg(expected)
            .env("DAGSTER_HOME", &home),
    );
    assert_eq!(
        checked.trim(),
        r#"{"assets": ["bronze_orders", "gold_tables", "silver_orders"], "checks": {"silver_orders_checks": true}, "gold": {"gold_customer_summary": 6, "gold_daily_revenue": 2, "gold_status_counts": 3}}"#
    );
    let validated = Command::new(bin.join("dagster"))
        .args(["definitions", "validate", "-f"])
        .arg(out.join("orchestration/dagster/definitions.py"))
        .current_dir(&out)
        .env("DAGSTER_HOME", &home)
        .env("NO_COLOR", "1")
        .output()
        .expect("dagster runs");
    let said = text(&validated);
    assert!(
        validated.status.success(),
        "dagster definitions validate:\n{said}"
    );
    assert!(
        said.contains("All code locations passed validation."),
        "{said}"
    );
}

#[test]
fn airflow_full_refresh_dag_compiles_with_schedule_retries_and_timeouts() {
    let bin = venv_bin();
    let (tmp, out) = out_dir();
    generate_from_answers("data-orchestration-airflow.yaml", &out);
    check_tree(&bin, &out);
    assert_eq!(
        local_run(&bin, &out, tmp.path()).trim(),
        r#"{"batch_id": "2024-06-02", "bronze_rows": 14, "failed_warnings": 1, "gold": {"gold_daily_revenue": 2, "gold_status_counts": 3}, "silver_rows": 10}"#
    );
    let dag = run_ok(
        "the Airflow DAG's syntax tree",
        Command::new(bin.join("python"))
            .arg("-B")
            .arg(script("airflow_check.py"))
            .arg(out.join("orchestration/airflow/dags/finance_daily.py")),
    );
    assert_eq!(
        dag.trim(),
        r#"{"catchup": false, "chain": "extract_to_bronze >> build_silver >> validate_silver >> build_gold", "dag_id": "finance_daily", "dagrun_timeout": "TIMEOUT", "execution_timeout": "TIMEOUT", "max_active_runs": 1, "retries": 2, "retry_delay": "timedelta(seconds=120)", "retry_exponential_backoff": true, "schedule": "30 4 * * *", "timeout": "timedelta(minutes=90)"}"#
    );
    assert!(out.join("data/sample/orders.csv").is_file());
}

/// Mage and the three cloud-native services cannot be installed here: their
/// trees must compile, parse, run locally and pass validation.
#[test]
fn mage_and_cloud_native_trees_compile_parse_and_run_locally() {
    let bin = venv_bin();
    let cases: [(&[&str], &[&str]); 4] = [
        (
            &["orchestrator.tool=mage", "ingestion.strategy=full"],
            &[
                "orchestration/mage/pipelines/product_refresh/metadata.yaml",
                "orchestration/mage/pipelines/product_refresh/triggers.yaml",
                "orchestration/mage/data_loaders/extract_to_bronze.py",
            ],
        ),
        (
            &["orchestrator.tool=cloud-native", "requirements.hosting=aws"],
            &[
                "orchestration/cloud/state_machine.json",
                "orchestration/cloud/schedule.json",
            ],
        ),
        (
            &["orchestrator.tool=cloud-native", "requirements.hosting=gcp"],
            &[
                "orchestration/cloud/workflow.yaml",
                "orchestration/cloud/schedule.yaml",
            ],
        ),
        (
            &[
                "orchestrator.tool=cloud-native",
                "requirements.hosting=azure",
                "requirements.refresh=weekly",
            ],
            &[
                "orchestration/cloud/pipeline.json",
                "orchestration/cloud/trigger.json",
            ],
        ),
    ];
    for (sets, files) in cases {
        let (tmp, out) = out_dir();
        let mut cmd = skillchain();
        cmd.args([
            "run",
            "orchestrate the refresh of our data product",
            "--defaults",
            "--out",
        ])
        .arg(&out);
        for s in sets {
            cmd.args(["--set", s]);
        }
        run_ok(&format!("skillchain run with {sets:?}"), &mut cmd);
        for f in files {
            assert!(out.join(f).is_file(), "{sets:?}: {f} missing");
        }
        py_compile_all(&bin, &out);
        parse_yaml_and_json(&bin, &out);
        let summary = local_run(&bin, &out, tmp.path());
        assert!(
            summary.contains(r#""silver_rows": 10"#),
            "{sets:?}: {summary}"
        );
        validate_passes(&out);
    }
}
