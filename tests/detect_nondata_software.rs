//! Software work that shares words with data engineering is not data work
//! (issue 12): training and evaluating a machine-learning model, application
//! code named by its class and method, a service's handlers and payloads,
//! Twitter-style "snowflake" ids, and a call with a data tool's vendor about
//! buying. Each family is generated over its parts and must match no pack;
//! data goals that use the same words (a feature pipeline for a model, a
//! dbt macro, a Snowflake billing table) still match theirs, so the test
//! fails when refusal is simply widened. The vocabulary of other work is
//! `src/detect/other_work.yaml`.

mod common;

use common::evalgoals::bundled;
use skillchain::detect::detect;

/// Every goal of `goals` matches no pack; the failures are listed together.
fn all_refused(goals: impl IntoIterator<Item = String>) {
    let matched: Vec<String> = goals
        .into_iter()
        .filter_map(|g| {
            detect(bundled(), &g)
                .ok()
                .map(|d| format!("{g:?} -> {}", d.inner.pack))
        })
        .collect();
    assert!(
        matched.is_empty(),
        "matched a pack:\n{}",
        matched.join("\n")
    );
}

fn matches(goal: &str, pack: &str) {
    let d = detect(bundled(), goal).unwrap_or_else(|_| panic!("{goal:?} matches nothing"));
    assert_eq!(d.inner.pack, pack, "{goal}");
}

/// Every combination of the parts, `{a}` and `{b}` filled in each template.
fn combine(templates: &[&str], a: &[&str], b: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for t in templates {
        for x in a {
            for y in b {
                out.push(t.replace("{a}", x).replace("{b}", y));
            }
        }
    }
    out
}

#[test]
fn training_and_evaluating_a_model_is_not_data_work() {
    all_refused(combine(
        &[
            "fine-tune {a} on the support ticket dataset and {b}",
            "{a} for churn: {b}",
            "can someone {b} for the {a} we shipped last week",
        ],
        &[
            "distilbert",
            "a BERT classifier",
            "the lightgbm model",
            "a catboost model",
        ],
        &[
            "report F1 on the test split",
            "compare AUC against prod",
            "tune hyperparams with optuna",
            "rerun it on the A100s with a bigger epoch budget",
        ],
    ));
    matches(
        "churn model gets retrained weekly - need the CRM extract -> feature table pipeline in Prefect, data ready Mon 06:00",
        "data-orchestration",
    );
}

#[test]
fn a_class_and_its_method_are_application_code() {
    all_refused(combine(
        &[
            "unit tests for {a}.{b}() pls",
            "{a}.{b}() throws on an empty cart, fix it and add a test",
            "refactor {a}.{b}() so it stops calling the db twice",
        ],
        &["PaymentService", "OrderRepository", "InvoiceClient"],
        &["refund", "findByCustomer", "send"],
    ));
    matches(
        "incremental dbt model for orders: filter with is_incremental() on updated_at, ref('stg_orders')",
        "dbt-workflows",
    );
}

#[test]
fn a_services_handlers_and_payloads_are_application_work() {
    all_refused(combine(
        &[
            "pydantic model for the {a} endpoint payload, {b}",
            "the {a} websocket handler drops connections, {b}",
        ],
        &["checkout api", "search api", "auth service"],
        &[
            "p95 latency 2s",
            "add tests",
            "jwt checks fail after deploy",
        ],
    ));
    matches(
        "orders-sink consumer lag hit 200k during the load test; lag alerts to pagerduty, HPA on the consumer deployment and a grafana board",
        "data-engineering",
    );
}

#[test]
fn snowflake_ids_are_not_the_warehouse() {
    all_refused(combine(
        &[
            "snowflake id generator in the {a} service {b}",
            "need a twitter-style snowflake ID generator in {a}: {b}",
        ],
        &["go", "rust", "java", "node"],
        &[
            "emits dupes after NTP clock skew",
            "64-bit, unique across 12 nodes",
            "collides across two pods",
        ],
    ));
    for g in [
        "load the orders ids into a snowflake table every night",
        "dedupe the snowflake orders table on order id",
    ] {
        assert!(detect(bundled(), g).is_ok(), "{g:?} matches nothing");
    }
}

#[test]
fn a_call_with_a_data_tools_vendor_about_buying_is_not_data_work() {
    all_refused(combine(
        &[
            "set up a 30 min call with the {a} account rep about {b}",
            "book a demo with {a} sales before {b}",
            "meeting with our {a} rep re {b}",
        ],
        &["Snowflake", "Databricks", "Fivetran", "BigQuery"],
        &[
            "renewal pricing",
            "the contract renewal",
            "the purchase order",
        ],
    ));
    matches(
        "renewal pricing table from the snowflake billing export into the finance mart, daily",
        "data-engineering",
    );
}

#[test]
fn an_api_or_an_app_with_no_data_around_it_is_application_work() {
    all_refused(combine(
        &[
            "reduce the {a} of the {b} API, p99 is 1.4s",
            "{b} app: {a} doubled after the last release, what changed?",
            "{a} on the {b} api is bad under load, can we cache it",
        ],
        &["latency", "response time", "error rate"],
        &["checkout", "search", "billing", "profile"],
    ));
    for b in ["hubspot", "stripe", "partner"] {
        matches(
            &format!(
                "upstream {b} API timeouts kill the nightly ingest job, add retries and alerting"
            ),
            "data-orchestration",
        );
    }
    matches(
        "pull the stripe API into the bronze table every hour with retries",
        "data-orchestration",
    );
}

#[test]
fn air_through_a_room_is_not_the_orchestrator() {
    all_refused(combine(
        &[
            "airflow {a} in {b} reads 0 CFM since Tuesday, open a ticket with facilities",
            "hvac: airflow {a} near {b} is low, get facilities to check the ducts",
        ],
        &["sensor", "monitor", "reading"],
        &["server room B", "the lab", "rack 12"],
    ));
    matches(
        "airflow sensor waits for the s3 file before the dag runs, add a timeout",
        "data-orchestration",
    );
}

#[test]
fn front_end_hooks_and_application_tests_are_not_data_work() {
    all_refused(combine(
        &[
            "{a} re-queries /api/users on every render, {b}",
            "write {a} tests for the checkout-service retry backoff paths, {b}",
        ],
        &["useEffect", "JUnit5", "mockito", "the redux store"],
        &["fix it", "coverage is 41%", "pls before friday"],
    ));
    matches(
        "add retries with exponential backoff to the airflow tasks that load orders",
        "data-orchestration",
    );
}
