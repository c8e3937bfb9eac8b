//! Real-tool checks of the bundled `bigquery-etl` pack: the built binary
//! generates a tree, then `tests/common/bigquery_etl_check.py` (in the venv
//! made by `.ci/setup-python`) proves it with the tools a BigQuery engineer
//! would reach for:
//!
//! - sqlglot parses the query (query.sql, or the QUERY string of query.py)
//!   as BigQuery SQL, and the tables it reads are exactly the answered
//!   sources, fully qualified with the table's project when written as
//!   dataset.table;
//! - PyYAML parses metadata.yaml, schema.yaml, dags.yaml, bigconfig.yml and
//!   the test files, each with its required keys, and schema.yaml names
//!   exactly the query's output columns;
//! - there is one fixture per source table, and the unit test runs: sqlglot
//!   transpiles the query to DuckDB with every source replaced by its
//!   fixture and @submission_date by query_params.yaml, and the result must
//!   equal expect.yaml;
//! - `skillchain validate` passes.
//!
//! Every generated .yaml/.yml also goes through the shared PyYAML check and
//! every .py through py_compile.

mod common;

use common::realtools::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

const CHECK: &str = include_str!("common/bigquery_etl_check.py");

fn out_dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("bigquery-etl");
    (tmp, out)
}

/// Where the generated table lives: project, dataset, table, test name.
struct Table<'a>(&'a str, &'a str, &'a str, &'a str);

fn check_table(bin: &Path, tree: &Path, t: &Table) -> Value {
    let stdout = run_ok(
        "bigquery_etl_check.py (sqlglot, PyYAML, unit test on DuckDB)",
        Command::new(bin.join("python"))
            .args(["-B", "-c", CHECK])
            .arg(tree)
            .args([t.0, t.1, t.2, t.3]),
    );
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("checker output is JSON ({e}):\n{stdout}"))
}

fn check_tree(bin: &Path, tree: &Path, t: &Table) -> Value {
    assert!(parse_yaml_and_json(bin, tree) >= 6, "too few YAML files");
    run_ok(
        "skillchain validate",
        skillchain().arg("validate").arg(tree),
    );
    check_table(bin, tree, t)
}

#[test]
fn defaults_for_a_new_table_with_tests_and_monitoring() {
    let bin = venv_bin();
    let (_tmp, out) = out_dir();
    let goal = "new bigquery table for daily user retention with tests and monitoring";
    run_ok(
        "skillchain run --defaults",
        skillchain()
            .args(["run", goal, "--defaults", "--out"])
            .arg(&out),
    );
    let report = check_tree(
        &bin,
        &out,
        &Table(
            "acme-data-prod",
            "analytics_derived",
            "user_activity_daily_v1",
            "test_aggregation",
        ),
    );
    assert_eq!(
        report,
        json!({
            "query_file": "query.sql",
            "sources": [
                "acme-data-prod.analytics_derived.clients_daily_v1",
                "acme-data-prod.analytics_stable.events_v1"
            ],
            "columns": [
                "submission_date",
                "user_id",
                "analytics_stable_events_v1_rows",
                "analytics_derived_clients_daily_v1_rows"
            ],
            "partition": "submission_date",
            "cluster": ["user_id"],
            "dag": "bqetl_analytics",
            "schedule": "0 4 * * *",
            "monitoring": ["FRESHNESS", "VOLUME"],
            "fixtures": ["analytics_derived.clients_daily_v1", "analytics_stable.events_v1"],
            "query_params": ["submission_date"],
            "unit_test_rows": 1
        })
    );
}

#[test]
fn a_python_snapshot_from_another_project() {
    let bin = venv_bin();
    let (_tmp, out) = out_dir();
    generate_from("bigquery-etl-python-snapshot.yaml", &out);
    assert_eq!(py_compile_all(&bin, &out), 1);
    let report = check_tree(
        &bin,
        &out,
        &Table(
            "shop-analytics-prod",
            "accounts_derived",
            "users_first_seen_v2",
            "test_first_seen",
        ),
    );
    assert_eq!(
        report,
        json!({
            "query_file": "query.py",
            "sources": ["shop-raw-prod.accounts_stable.signups_v1"],
            "columns": [
                "first_seen_date",
                "user_id",
                "country",
                "accounts_stable_signups_v1_rows"
            ],
            "partition": "first_seen_date",
            "cluster": ["user_id", "country"],
            "dag": "bqetl_accounts",
            "schedule": "30 2 * * *",
            "monitoring": [],
            "fixtures": ["shop-raw-prod.accounts_stable.signups_v1"],
            "query_params": [],
            "unit_test_rows": 1
        })
    );
}

#[test]
fn four_sources_in_two_projects_with_every_check() {
    let bin = venv_bin();
    let (_tmp, out) = out_dir();
    generate_from("bigquery-etl-four-sources-monitored.yaml", &out);
    let table = Table(
        "search-data-prod",
        "search_derived",
        "search_volume_daily_v1",
        "test_daily_volume",
    );
    let report = check_tree(&bin, &out, &table);
    assert_eq!(
        report,
        json!({
            "query_file": "query.sql",
            "sources": [
                "search-data-prod.search_stable.ad_clicks_v1",
                "search-data-prod.search_stable.searches_v3",
                "web-events-prod.sessions_derived.bounces_v1",
                "web-events-prod.sessions_stable.sessions_v2"
            ],
            "columns": [
                "activity_date",
                "search_stable_searches_v3_rows",
                "search_stable_ad_clicks_v1_rows",
                "sessions_stable_sessions_v2_rows",
                "sessions_derived_bounces_v1_rows"
            ],
            "partition": "activity_date",
            "cluster": [],
            "dag": "bqetl_search",
            "schedule": "0 * * * *",
            "monitoring": [
                "FRESHNESS",
                "VOLUME",
                "activity_date:PERCENT_NULL",
                "activity_date:COUNT_DUPLICATES"
            ],
            "fixtures": [
                "search_stable.ad_clicks_v1",
                "search_stable.searches_v3",
                "web-events-prod.sessions_derived.bounces_v1",
                "web-events-prod.sessions_stable.sessions_v2"
            ],
            "query_params": ["submission_date"],
            "unit_test_rows": 1
        })
    );

    // The unit test can fail: a wrong expected count is caught.
    let expect = out
        .join("tests/sql")
        .join(table.0)
        .join(table.1)
        .join(table.2)
        .join(table.3)
        .join("expect.yaml");
    let original = std::fs::read_to_string(&expect).expect("expect.yaml");
    let wrong = original.replace(
        "sessions_derived_bounces_v1_rows: 3",
        "sessions_derived_bounces_v1_rows: 4",
    );
    assert_ne!(
        original, wrong,
        "expect.yaml counts 3 rows per source:\n{original}"
    );
    std::fs::write(&expect, wrong).expect("rewrite");
    let failed = Command::new(bin.join("python"))
        .args(["-B", "-c", CHECK])
        .arg(&out)
        .args([table.0, table.1, table.2, table.3])
        .output()
        .expect("python runs");
    assert!(!failed.status.success(), "{}", text(&failed));
    assert!(
        String::from_utf8_lossy(&failed.stderr)
            .contains("unit test test_daily_volume: the query returned"),
        "{}",
        text(&failed)
    );
}
