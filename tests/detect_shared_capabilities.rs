//! Work several packs do (issue 12: every ambiguous goal flagged with its
//! runner-up). A goal that asks for nothing but data quality checks,
//! freshness alerting, retries, a star schema or a migration plan between
//! orchestrators is a close call with every pack that offers that work
//! (src/detect/shared_capabilities.yaml), however far ahead the best pack's
//! vocabulary puts it. A word that only one pack's way of working reads
//! ("bigeye", "runbook", a `silver.` table) places the goal, and a pack whose
//! trigger the goal rules out is no runner-up.

mod common;

use common::evalgoals::bundled;
use skillchain::detect::{detect, Detection};

const SHARED_REASON: &str = "the goal asks only for";

/// Words that say where the work happens (as in the capability file).
const CONTEXT: &[&str] = &["snowflake", "table", "job", "load"];

/// Openers, asks and objects, combined: each ask with the packs that offer
/// it (every one of them is the best pack or a runner-up).
const OPENERS: &[&str] = &["", "pls ", "we need ", "can you set up ", "next sprint: "];
const ASKS: &[(&str, &[&str])] = &[
    (
        "null and uniqueness checks",
        &[
            "data-orchestration",
            "data-engineering",
            "dbt-workflows",
            "bigquery-etl",
        ],
    ),
    (
        "row count checks",
        &[
            "data-orchestration",
            "data-engineering",
            "dbt-workflows",
            "bigquery-etl",
        ],
    ),
    (
        "dq checks",
        &[
            "data-orchestration",
            "data-engineering",
            "dbt-workflows",
            "bigquery-etl",
        ],
    ),
    (
        "freshness alerts to slack",
        &["data-orchestration", "data-engineering", "bigquery-etl"],
    ),
    (
        "nulls, row counts and freshness checks",
        &["data-orchestration", "data-engineering", "bigquery-etl"],
    ),
    (
        "pagerduty alerts when freshness slips",
        &["data-orchestration", "data-engineering", "bigquery-etl"],
    ),
    (
        "retries with backoff",
        &["data-orchestration", "data-engineering", "dbt-workflows"],
    ),
];
const OBJECTS: &[&str] = &[
    "on the payments table",
    "for the orders load",
    "on our customer tables in snowflake",
    "for the nightly invoices job",
];

fn all_ids(d: &Detection) -> Vec<&str> {
    let mut ids = vec![d.inner.pack.as_str()];
    ids.extend(d.inner.runner_ups.iter().map(|r| r.id.as_str()));
    ids
}

fn shared_runner_ups(d: &Detection) -> Vec<&str> {
    d.inner
        .runner_ups
        .iter()
        .filter(|r| {
            r.close_call
                .as_deref()
                .is_some_and(|c| c.starts_with(SHARED_REASON))
        })
        .map(|r| r.id.as_str())
        .collect()
}

#[test]
fn a_goal_asking_only_for_shared_work_names_every_pack_that_offers_it() {
    let mut failures = Vec::new();
    let mut goals = 0;
    let mut read = 0;
    for opener in OPENERS {
        for (ask, packs) in ASKS {
            for object in OBJECTS {
                let goal = format!("{opener}{ask} {object}");
                goals += 1;
                let Ok(d) = detect(bundled(), &goal) else {
                    failures.push(format!("{goal:?}: matched nothing"));
                    continue;
                };
                let ids = all_ids(&d);
                // The rule reads the best pack's words: a tie won on a
                // context word ("snowflake") is a close call of its own.
                if d.packs.first().is_some_and(|p| {
                    p.words
                        .iter()
                        .all(|w| CONTEXT.contains(&w.keyword.as_str()))
                }) {
                    if !d.inner.ambiguous {
                        failures.push(format!("{goal:?}: a tie on context words, not flagged"));
                    }
                    continue;
                }
                read += 1;
                let missing: Vec<&&str> = packs.iter().filter(|p| !ids.contains(p)).collect();
                if !d.inner.ambiguous || !missing.is_empty() || !packs.contains(&ids[0]) {
                    failures.push(format!(
                        "{goal:?}: {} ambiguous={} runner-ups {:?}, missing {missing:?}",
                        d.inner.pack,
                        d.inner.ambiguous,
                        &ids[1..]
                    ));
                }
            }
        }
    }
    assert_eq!(goals, 140);
    // Nearly every goal is read for the shared work: the test cannot pass
    // by the rule never applying.
    assert!(read >= 130, "only {read} of {goals} read for shared work");
    assert!(
        failures.is_empty(),
        "{} of {goals}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_star_schema_or_a_migration_plan_is_a_close_call_between_the_two_packs_that_do_it() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "star schema for sales: fct_sales, dim_customer, dim_store",
            "dbt-workflows",
            "data-engineering",
        ),
        (
            "star schema for claims - grain, dims and measures",
            "dbt-workflows",
            "data-engineering",
        ),
        (
            "design the star schema for subscriptions, dim_plan as scd2",
            "dbt-workflows",
            "data-engineering",
        ),
        (
            "plan how we migrate 40 cron jobs to dagster, with rollback",
            "pipeline-analysis",
            "data-orchestration",
        ),
        (
            "migration plan from airflow to prefect, nothing moves yet",
            "pipeline-analysis",
            "data-orchestration",
        ),
    ];
    for (goal, best, other) in cases {
        let d = detect(bundled(), goal).expect("matches");
        assert_eq!(d.inner.pack, *best, "{goal}");
        assert!(
            all_ids(&d).contains(other),
            "{goal}: runner-ups {:?}",
            d.inner
                .runner_ups
                .iter()
                .map(|r| (r.id.as_str(), r.close_call.as_deref()))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn a_word_of_one_packs_way_of_working_places_the_goal() {
    // The same asks, each with a word that only one pack's way of working
    // reads: none is a close call on shared work any more.
    let placing = [
        "in bigconfig.yml",
        "plus a runbook for on-call",
        "on silver.orders",
        "with a great expectations suite",
    ];
    let mut failures = Vec::new();
    for (ask, _) in ASKS {
        for place in placing {
            let goal = format!("{ask} {place}");
            match detect(bundled(), &goal) {
                Ok(d) => {
                    let shared = shared_runner_ups(&d);
                    if !shared.is_empty() {
                        failures.push(format!("{goal:?}: {} or {shared:?}", d.inner.pack));
                    }
                }
                // A goal matching nothing would pass the check above unseen.
                Err(e) => failures.push(format!("{goal:?} matched nothing: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_pack_whose_trigger_the_goal_rules_out_is_no_runner_up_for_shared_work() {
    for goal in [
        "row count anomaly checks on the orders table, not in bigquery",
        "null checks on the invoices table, we are not on bigquery",
    ] {
        let d = detect(bundled(), goal).expect("matches");
        assert!(d.inner.ambiguous, "{goal}");
        let shared = shared_runner_ups(&d);
        assert!(shared.contains(&"data-engineering"), "{goal}: {shared:?}");
        assert!(!shared.contains(&"bigquery-etl"), "{goal}: {shared:?}");
    }
}
