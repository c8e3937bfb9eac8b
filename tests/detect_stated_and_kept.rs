//! Ways a goal says how things stand that ask nothing of a skill (issue
//! 12, must-not skills): a thing it says fails runs already ("the prefect
//! flow times out"); parts it says are fine ("ingestion and the DAG are
//! fine"); a heading put off ("perf tuning: not now"); work put off or
//! waved away ("bigeye is out for now", "forget bigeye", "bigeye is
//! overkill"); "nothing existing" (nothing exists).
//! Each sweep crosses several openings with several phrasings; controls
//! ask for the same work in the same words.

mod common;

use common::evalgoals::{cross, sweep};

#[test]
fn an_orchestrator_said_to_fail_runs_already_and_is_not_asked() {
    let subjects = [
        "prefect flow",
        "our airflow dag",
        "the dagster job",
        "the nightly flow",
    ];
    let failures = [
        "times out on the shopify extract",
        "dies every few days on the shopify extract",
        "keeps failing on the shopify extract",
        "crashes halfway through the shopify extract",
    ];
    let asks = [
        "switch the extract to incremental with an updated_at cursor and checkpoints",
        "make the extraction incremental: cursor on updated_at, checkpoint per page",
    ];
    let stated: Vec<String> = cross(&subjects, &failures, |s, f| format!("{s} {f}"));
    let goals = cross(
        &stated.iter().map(String::as_str).collect::<Vec<_>>(),
        &asks,
        |s, a| format!("{s}. {a}"),
    );
    assert_eq!(goals.len(), 32);
    sweep(
        &goals,
        "data-orchestration",
        &["ingestion"],
        &["orchestrator"],
    );
}

#[test]
fn an_orchestrator_asked_for_is_asked_beside_the_same_extract() {
    let goals: Vec<String> = [
        "set up a prefect flow for the shopify extract with an updated_at cursor",
        "new airflow dag that runs the shopify extract every hour, incremental on updated_at",
        "schedule the shopify extract in dagster, incremental with checkpoints",
    ]
    .iter()
    .map(|g| g.to_string())
    .collect();
    sweep(
        &goals,
        "data-orchestration",
        &["ingestion", "orchestrator"],
        &[],
    );
}

#[test]
fn parts_joined_by_and_said_to_be_fine_are_not_asked() {
    let asks = [
        "add schema checks and anomaly detection on gold.orders",
        "null and row count checks on gold.customer_ltv, criticals halt the run",
    ];
    let kept = [
        "ingestion and the dag are fine",
        "Ingestion and the DAG are fine.",
        "the dag and ingestion are fine",
        "ingestion and the orchestrator are fine",
    ];
    let goals = cross(&asks, &kept, |a, k| format!("{a}. {k}"));
    sweep(
        &goals,
        "data-orchestration",
        &["validation"],
        &["ingestion", "orchestrator"],
    );
}

#[test]
fn a_heading_a_colon_puts_off_is_not_asked() {
    let bases = [
        "plain SQL transforms in snowflake run by airflow daily at 06:00, with dbt tests",
        "dbt staging and marts on snowflake, scheduled by airflow every morning",
    ];
    let put_off = [
        "perf tuning and the k8s/monitoring stuff: not now",
        "query tuning and prometheus monitoring: not for now",
        "perf tuning and monitoring: pushed to next sprint",
    ];
    let goals = cross(&bases, &put_off, |b, p| format!("{b}. {p}"));
    sweep(
        &goals,
        "data-engineering",
        &["transforming-data"],
        &["optimizing-sql", "performance-engineering"],
    );
}

#[test]
fn monitoring_put_off_or_waved_away_is_not_asked() {
    let bases = [
        "new derived table for daily clicks per advertiser in bigquery-etl, with query.sql, metadata and tests",
        "bqetl table telemetry_derived.search_counts_v1: one row per client per day, query, metadata, unit tests",
    ];
    let waved = [
        "bigeye is out for now",
        "bigeye monitoring is off the table",
        "bigeye is overkill for it",
        "forget bigeye, this is a throwaway",
    ];
    let goals = cross(&bases, &waved, |b, w| format!("{b}. {w}"));
    sweep(
        &goals,
        "bigquery-etl",
        &["query-writer"],
        &["bigconfig-generator"],
    );
}

#[test]
fn monitoring_the_goal_does_not_wave_away_is_asked() {
    let goals: Vec<String> = [
        "new derived table for daily clicks per advertiser, with tests. don't forget bigeye",
        "new derived table for daily clicks per advertiser. build our own bigeye monitors for it",
        "new derived table for daily clicks per advertiser. the docs are out of date, add bigeye freshness checks",
    ]
    .iter()
    .map(|g| g.to_string())
    .collect();
    sweep(&goals, "bigquery-etl", &["bigconfig-generator"], &[]);
}

#[test]
fn streaming_said_to_be_out_is_not_asked() {
    let bases = [
        "30TB of IoT telemetry on Azure: storage layout and DDL, partitioned by device and day",
        "warehouse layout in snowflake: raw, staging and marts schemas with the DDL",
    ];
    let out = [
        "Streaming is out for now, nightly batch loads are good enough.",
        "kafka is off the table",
        "streaming waits for phase 2",
    ];
    let goals = cross(&bases, &out, |b, o| format!("{b}. {o}"));
    sweep(
        &goals,
        "data-engineering",
        &["architecting-data"],
        &["streaming-data"],
    );
}

#[test]
fn nothing_existing_says_nothing_exists() {
    let goals: Vec<String> = [
        "prefect vs dagster vs step functions for ~30 small python jobs? all on AWS, nothing existing. just want the pick + schedules and timeouts",
        "airflow or dagster for 12 python jobs? nothing existing yet, want the pick and the schedules",
    ]
    .iter()
    .map(|g| g.to_string())
    .collect();
    sweep(&goals, "data-orchestration", &["orchestrator"], &[]);
}

#[test]
fn what_the_tool_should_offer_asks_no_checks() {
    let choices = [
        "airflow vs prefect vs dagster for 3 python people on aws?",
        "Airflow vs Dagster vs ADF for us, all-in on Azure?",
    ];
    let criteria = [
        "jobs are mostly dq heavy",
        "want lineage + DQ built in",
        "want data quality checks built in",
    ];
    let goals = cross(&choices, &criteria, |c, k| format!("{c} {k}"));
    sweep(
        &goals,
        "data-orchestration",
        &["orchestrator"],
        &["validation"],
    );
}
