//! CI, services and code files: every software team has them, data teams
//! too. A goal about an application's CI, its services or its methods
//! matches no pack, however many words of repairing and testing it uses
//! ("fix the broken CI, tests fail since the merge"); the same CI around a
//! named data object (`ads_derived.clicks_v1`, `clients_daily_v6`,
//! `run_results.json`) or a data tool is data work (issue 12, non-data
//! goals refused).

mod common;

use common::evalgoals::{bundled, matched};
use skillchain::detect::detect;

/// What a goal says of CI; `{x}` is the thing it runs on.
const CI_SAYINGS: &[&str] = &[
    "CI is red on {x} since the merge, fix the broken tests",
    "our CI pipeline keeps failing for {x}, debug the failing test step",
    "ci job for {x} fails 1 in 5 runs, flaky unit tests, pls fix",
    "speed up the CI build for {x}, the test run takes 30 min",
    "after merging the refactor the CI for {x} is failing, find the error and fix it",
    "add a CI step that runs the unit tests of {x} before the build",
];

/// Things of application work: an app's modules, services and code files.
const APP_THINGS: &[&str] = &[
    "the checkout page",
    "user_service",
    "test_checkout.py",
    "the payment service",
    "billing_api",
    "src/auth_module.ts",
];

/// Named data objects, and data tools.
const DATA_THINGS: &[&str] = &[
    "ads_derived.impressions_by_campaign_v1",
    "clients_daily_v6",
    "the dbt project",
    "telemetry_derived.events_daily_v2 and its expect.yaml fixtures",
    "the airflow dags",
];

fn goal(saying: &str, thing: &str) -> String {
    saying.replace("{x}", thing)
}

#[test]
fn ci_of_application_work_matches_no_pack() {
    let wrong = matched(
        CI_SAYINGS
            .iter()
            .flat_map(|s| APP_THINGS.iter().map(move |t| goal(s, t))),
    );
    assert!(wrong.is_empty(), "matched a pack:\n{}", wrong.join("\n"));
}

#[test]
fn ci_around_a_named_data_object_or_data_tool_is_data_work() {
    let registry = bundled();
    let mut refused = Vec::new();
    for s in CI_SAYINGS {
        for t in DATA_THINGS {
            let g = goal(s, t);
            if detect(registry, &g).is_err() {
                refused.push(g);
            }
        }
    }
    assert!(refused.is_empty(), "refused:\n{}", refused.join("\n"));
}

#[test]
fn a_camel_case_method_without_parentheses_is_application_code() {
    let asks = [
        "write unit tests for {m}, mock the repository layer",
        "{m} throws on empty input, add a test and fix it",
        "refactor {m} and add retries with exponential backoff",
    ];
    let methods = [
        "UserService.updateEmail",
        "OrderController.cancelOrder",
        "InvoiceRepository.findByCustomer",
    ];
    let wrong = matched(
        asks.iter()
            .flat_map(|a| methods.iter().map(move |m| a.replace("{m}", m))),
    );
    assert!(wrong.is_empty(), "matched a pack:\n{}", wrong.join("\n"));
}

#[test]
fn a_service_that_feeds_data_is_a_source() {
    let registry = bundled();
    for g in [
        "nightly export from the user service db to s3",
        "ingest events from the billing service into snowflake",
        "replicate the orders service tables into bigquery every hour",
        "dump the inventory service db into the data lake daily",
        "copy the inventory service db into the warehouse every night",
    ] {
        assert!(detect(registry, g).is_ok(), "{g:?} was refused");
    }
}

#[test]
fn asking_which_tests_failed_or_ran_slowest_reads_the_run_artifacts() {
    let registry = bundled();
    let mut wrong = Vec::new();
    for ask in [
        "which tests failed {w}?",
        "which tests failed {w}, and on which models?",
        "slowest dbt nodes {w}?",
        "which tests failed {w}? the artifacts are in ./target",
    ] {
        // "slowest dbt nodes in the 2am run?" still reads as dbt work: "run"
        // is a dbt-workflows word and weighing it for analysis costs more
        // goals than it wins.
        for w in ["overnight", "last night", "yesterday", "this week"] {
            let g = ask.replace("{w}", w);
            match detect(registry, &g) {
                Ok(d) => {
                    let ids: Vec<&str> = d.inner.chain.iter().map(|e| e.id.as_str()).collect();
                    if d.inner.pack != "pipeline-analysis"
                        || !ids.contains(&"reading-run-artifacts")
                        || ids.contains(&"planning-changes")
                    {
                        wrong.push(format!("{g:?} -> {} {ids:?}", d.inner.pack));
                    }
                }
                Err(_) => wrong.push(format!("{g:?} -> refused")),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
