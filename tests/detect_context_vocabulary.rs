//! Right-pack words a pack's work uses that were missing (issue 12): a
//! materialisation asked as a choice is dbt modelling, flaky tests across
//! runs are read from the runs' results, and a backfill that must not write
//! rows twice is an ingestion's load strategy. Generated goals, each with
//! the pack and the skill the words name.

use skillchain::detect::detect;
use skillchain::pack::Registry;

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

fn check(goal: &str, pack: &str, skill: &str) {
    let d = detect(bundled(), goal).unwrap_or_else(|_| panic!("{goal:?} matches nothing"));
    assert_eq!(d.inner.pack, pack, "{goal}");
    assert!(
        d.inner.chain.iter().any(|e| e.id == skill),
        "{goal}: {skill} missing from {:?}",
        d.inner
            .chain
            .iter()
            .map(|e| e.id.as_str())
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_materialisation_asked_as_a_choice_is_dbt_modelling() {
    let choices = [
        "view, table or incremental?",
        "table or incremental?",
        "view or incremental?",
        "incremental or table?",
        "view or table, or ephemeral?",
    ];
    let models = ["int_sessions", "stg_events", "int_orders_enriched"];
    let sizes = ["~2bn rows, rebuilt daily", "300M rows", "grows 2M a day"];
    for m in models {
        for c in choices {
            for s in sizes {
                check(&format!("{m}: {c} {s}"), "dbt-workflows", "data-modeler");
            }
        }
    }
}

#[test]
fn flaky_tests_across_runs_are_read_from_the_runs() {
    let asks = [
        "compare run_results across the last {n} runs to spot flaky tests",
        "which tests are flaky tests over the last {n} runs? read the run results",
        "list the flaky tests from the last {n} runs",
    ];
    for n in ["5", "10", "30"] {
        for a in asks {
            check(
                &a.replace("{n}", n),
                "pipeline-analysis",
                "reading-run-artifacts",
            );
        }
    }
}

#[test]
fn a_backfill_that_must_not_write_rows_twice_is_the_ingestion_load() {
    let ranges = ["jan-mar 2024", "the last 90 days", "Q1"];
    let tables = ["orders_ingest", "payments_raw", "events_load"];
    let asks = [
        "without dup rows, merge on order_id instead of append",
        "merge on payment_id instead of append so reruns don't double",
        "no duplicate rows this time, merge on the key instead of append",
    ];
    for r in ranges {
        for t in tables {
            for a in asks {
                check(
                    &format!("backfill {r} for {t} {a}"),
                    "data-orchestration",
                    "ingestion",
                );
            }
        }
    }
}
