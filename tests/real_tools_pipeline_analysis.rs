//! Real-tool check of the bundled `pipeline-analysis` pack: `dbt build` runs
//! on a small DuckDB project whose data test fails on purpose
//! (tests/fixtures/dbt/failing_project), and the artifacts it leaves in
//! target/ are fed to `skillchain run`. The report must name the failure,
//! its message and timing as run_results.json records them, and the failing
//! node's upstream parents as manifest.json records them.
//!
//! Needs the venv made by `.ci/setup-python` (see tests/common/realtools.rs).

mod common;

use common::realtools::*;
use common::repo;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// How minijinja prints `x | round(3)`: shortest form, at least one decimal.
fn seconds(x: f64) -> String {
    let r = (x * 1000.0).round() / 1000.0;
    let s = r.to_string();
    if s.contains('.') {
        s
    } else {
        format!("{s}.0")
    }
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_failing_dbt_build_is_analysed_from_its_own_artifacts() {
    let bin = venv_bin();
    let tmp = tempfile::tempdir().expect("temp dir");
    let project = tmp.path().join("failing_project");
    common::copy_dir(&repo().join("tests/fixtures/dbt/failing_project"), &project);

    // The failing test makes dbt exit 1; anything else is a broken fixture.
    let build = Command::new(bin.join("dbt"))
        .args(["build", "--no-use-colors", "--project-dir"])
        .arg(&project)
        .arg("--profiles-dir")
        .arg(&project)
        .current_dir(&project)
        .env("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        .output()
        .expect("dbt starts");
    let build_out = text(&build);
    assert_eq!(build.status.code(), Some(1), "{build_out}");
    let tally = parse_dbt(&String::from_utf8_lossy(&build.stdout));
    assert_eq!(
        (
            tally.models,
            tally.data_tests,
            tally.seeds,
            tally.pass,
            tally.error,
            tally.skip
        ),
        (3, 6, 2, 10, 1, 0),
        "{build_out}"
    );

    // What the report must say, read from dbt's own artifacts.
    let target = project.join("target");
    let run_results = json(&target.join("run_results.json"));
    let manifest = json(&target.join("manifest.json"));
    let failed: Vec<&Value> = run_results["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["status"] == "fail")
        .collect();
    assert_eq!(failed.len(), 1, "{run_results}");
    let failure = failed[0];
    let uid = failure["unique_id"].as_str().expect("unique_id");
    assert!(uid.starts_with("test.failing_shop.not_null_fct_orders_customer_name."));
    let message = failure["message"].as_str().expect("message");
    assert_eq!(message, "Got 1 result, configured to fail if != 0");
    let time = seconds(failure["execution_time"].as_f64().expect("execution_time"));
    let parents: Vec<&str> = manifest["parent_map"][uid]
        .as_array()
        .expect("parents")
        .iter()
        .map(|p| p.as_str().expect("id"))
        .collect();
    assert_eq!(parents, ["model.failing_shop.fct_orders"]);

    let out = tmp.path().join("analysis");
    run_ok(
        "skillchain run with the dbt artifacts",
        skillchain()
            .args([
                "run",
                "analyze why our dbt pipeline failed last night",
                "--defaults",
                "--set",
            ])
            .arg(format!(
                "reading-run-artifacts.artifacts={}",
                target.display()
            ))
            .arg("--out")
            .arg(&out),
    );
    let wa = std::fs::read_to_string(out.join("workflow-analysis.md")).expect("workflow analysis");
    let expected = format!(
        "### {uid}\n\n- Status: fail\n- Message: {message}\n- Execution time: {time} s\n- Failing rows: 1\n- Defined in: models/schema.yml\n"
    );
    assert!(wa.contains(&expected), "missing {expected:?} in:\n{wa}");
    assert!(
        wa.contains(&format!("| {uid} | 1 | {message} | {time} |\n")),
        "{wa}"
    );
    assert!(
        wa.contains(&format!(
            "### {uid}\n\n- Direct parents: model.failing_shop.fct_orders\n- All upstream nodes: model.failing_shop.fct_orders, model.failing_shop.stg_customers, model.failing_shop.stg_orders, seed.failing_shop.raw_customers, seed.failing_shop.raw_orders\n"
        )),
        "{wa}"
    );
    assert!(wa.contains("| nodes run | 11 |\n"), "{wa}");
    assert!(wa.contains("| failed tests | 1 |\n"), "{wa}");

    let findings = std::fs::read_to_string(out.join("findings.md")).expect("findings");
    assert!(
        findings.contains(&format!(
            "### R1: Make the test not_null_fct_orders_customer_name pass again\n- Finding: {uid} failed with \"{message}\" (1 failing rows, {time} s).\n"
        )),
        "{findings}"
    );
    assert!(
        findings
            .contains("- Workflow structure: 3 models, 6 data tests, 2 seeds in manifest.json.\n"),
        "{findings}"
    );

    let report = run_ok(
        "skillchain validate on the analysis",
        skillchain().arg("validate").arg(&out),
    );
    assert!(report.contains("PASS"), "{report}");
}
