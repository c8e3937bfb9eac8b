//! A goal that gathers requirements before anything is built ("reqs
//! first", "requirements doc only", "before we pick any tooling", "no
//! code yet") asks the skill that gathers them and nothing else: the
//! sources, jobs and cadence it names are the subject of those
//! requirements, not work of their own (issue 12, must-not skills). A
//! "then" that goes on to more work, or a "before" that puts off no
//! picking or building, leaves the goal as it was.

mod common;

use common::evalgoals::asked;

/// What the requirements are about, written the way a team describes a
/// data product to keep fresh (data-orchestration).
const PRODUCTS: &[&str] = &[
    "how fresh the finance close dashboard must be: sources are NetSuite and Stripe, about 20 jobs run weekly",
    "the refresh cadence and SLA of the inventory feed, ~2M rows/day from 3 ERPs, consumers are the replenishment job and store ops",
    "freshness targets for the churn model's weekly retrain, features come from the CRM and hubspot exports",
    "the supplier scorecard's refresh: sources are SAP extracts and the Coupa API, what already runs on Azure",
    "how fresh the fraud-review queue must be, fed by card auths, chargeback files and the CRM",
];

/// A table to scope in bigquery-etl, with its sources.
const TABLES: &[&str] = &[
    "grain and partitioning for monitoring_derived.crash_rates_v1 off telemetry.main",
    "the bqetl table for weekly VPN subscription retention from subscriptions_v1 and clients_daily",
    "partitioning and clustering for ads_derived.tile_clicks_daily_v1 in bigquery-etl, sources are clicks_v2 + impressions_v1",
    "which source tables feed a new moz-fx-data-shared-prod login_funnel_daily_v1 aggregate and at what grain",
];

/// Ways to say requirements come before anything is built; `{T}` is the
/// subject.
const CUES: &[&str] = &[
    "{T}. requirements doc only",
    "{T}. requirements summary only please",
    "help me write down {T}. reqs first",
    "before we pick any tooling: {T}",
    "before anyone writes code, pin down {T}",
    "pin down {T}, no code yet",
    "{T} - requirements write-up only, the build is next quarter",
    "{T}. just the requirements for now",
    "before anything gets built: {T}. requirements doc is the whole deliverable",
    "settle {T}, requirements first, nobody writes sql until sign-off",
];

fn check(goal: &str, pack: &str, gatherer: &str, misses: &mut Vec<String>) {
    let (got, ids) = asked(goal);
    if got != pack || ids != [gatherer] {
        misses.push(format!("{goal:?} -> {got} {ids:?}"));
    }
}

#[test]
fn a_requirements_first_goal_asks_only_the_requirements() {
    let mut misses = Vec::new();
    let mut n = 0;
    for c in CUES {
        for p in PRODUCTS {
            check(
                &c.replace("{T}", p),
                "data-orchestration",
                "requirements",
                &mut misses,
            );
            n += 1;
        }
        for t in TABLES {
            check(
                &c.replace("{T}", t),
                "bigquery-etl",
                "model-requirements",
                &mut misses,
            );
            n += 1;
        }
    }
    assert!(
        misses.is_empty(),
        "{} of {n} goals asked more than the requirements:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

/// The same subjects with work after the requirements ("then …") or a
/// "before" that defers no picking or building keep the work they ask.
#[test]
fn requirements_followed_by_more_work_keep_that_work() {
    let mut misses = Vec::new();
    for p in PRODUCTS {
        let goal = format!("requirements first: {p}, then pick airflow or prefect and set up incremental ingestion with retries");
        let (got, ids) = asked(&goal);
        for want in [
            "requirements",
            "orchestrator",
            "ingestion",
            "error-handling",
        ] {
            if got != "data-orchestration" || !ids.iter().any(|i| i == want) {
                misses.push(format!("{goal:?}: {want} not asked: {got} {ids:?}"));
            }
        }
        let goal = format!("orchestrate a refresh with retries and incremental ingestion so it lands before the 7am standup: {p}");
        let (got, ids) = asked(&goal);
        for want in ["ingestion", "error-handling"] {
            if got != "data-orchestration" || !ids.iter().any(|i| i == want) {
                misses.push(format!("{goal:?}: {want} not asked: {got} {ids:?}"));
            }
        }
    }
    for t in TABLES {
        let goal = format!("reqs first for {t}, then write the query.sql and the metadata.yaml");
        let (got, ids) = asked(&goal);
        for want in ["model-requirements", "query-writer", "metadata-manager"] {
            if got != "bigquery-etl" || !ids.iter().any(|i| i == want) {
                misses.push(format!("{goal:?}: {want} not asked: {got} {ids:?}"));
            }
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// A choice the goal asks ("SCD1 or SCD2?", "airflow vs dagster?") is
/// design work that putting off the build leaves asked.
#[test]
fn a_choice_asked_before_building_stays_asked() {
    let cases = [
        (
            "dim_product SCD1 or SCD2? prices change monthly, analysts want as-was reporting. design call, no build yet",
            "dbt-workflows",
            "dim-modeler",
        ),
        (
            "airflow vs dagster for the finance refresh? ~20 daily jobs from netsuite. before we build anything, write down the SLA and the pick",
            "data-orchestration",
            "orchestrator",
        ),
        (
            "prefect or mage for the churn retrain feed? how fresh must it be, sources are hubspot and stripe. no code yet",
            "data-orchestration",
            "orchestrator",
        ),
    ];
    for (goal, pack, skill) in cases {
        let (got, ids) = asked(goal);
        assert_eq!(got, pack, "{goal:?}");
        assert!(
            ids.iter().any(|i| i == skill),
            "{goal:?}: {skill} not asked: {ids:?}"
        );
    }
}
