//! A word that names one skill's work in one sense is plain context in
//! another: a SQL window function is no streaming window, the one report a
//! review ends in is no Power BI report, a semantic model's relationships
//! are no dbt relationships test, a DAX measure is no fact table's measure.
//! Each class: goals where the word is context (the skill must not be
//! matched by it), and contrasts where the word is the ask (it must be), so
//! the tests fail if the word is simply dropped.

mod common;

use common::evalgoals::bundled;
use skillchain::detect::{detect, Detection, Reason};

/// True when `skill` is in the chain because the goal's words matched it.
fn matched(d: &Detection, skill: &str) -> bool {
    d.inner.chain.iter().any(|e| {
        e.id == skill
            && e.reasons
                .iter()
                .any(|r| matches!(r, Reason::Matched { .. }))
    })
}

fn in_chain(d: &Detection, skill: &str) -> bool {
    d.inner.chain.iter().any(|e| e.id == skill)
}

const TABLES: &[&str] = &[
    "fct_sessions",
    "revenue_rollup.sql",
    "int_orders_enriched",
    "the orders mart",
    "user_events",
];

/// Fills `{t}` with every table: one goal per table and form.
fn goals(forms: &[&str]) -> Vec<String> {
    forms
        .iter()
        .flat_map(|f| TABLES.iter().map(move |t| f.replace("{t}", t)))
        .collect()
}

fn check(
    goals: &[String],
    pack: &str,
    want: impl Fn(&Detection) -> Result<(), String>,
) -> Vec<String> {
    let mut failures = Vec::new();
    for g in goals {
        match detect(bundled(), g) {
            Ok(d) if d.inner.pack == pack => {
                if let Err(e) = want(&d) {
                    failures.push(format!("{g}: {e}"));
                }
            }
            Ok(d) => failures.push(format!("{g}: pack {}", d.inner.pack)),
            Err(_) => failures.push(format!("{g}: matched nothing")),
        }
    }
    failures
}

fn report(n: usize, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} of {n}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_sql_window_function_is_not_a_streaming_window() {
    let gs = goals(&[
        "rewrite the correlated subqueries in {t} as window fns, the query is slow",
        "the query behind {t} is slow; rewrite the window function",
        "EXPLAIN shows a full scan for {t}. add the right index and rewrite the window fn",
        "tune the sql of {t}: replace the self join with window functions",
        "optimize the query on {t}, the window functions sort 2bn rows",
    ]);
    let n = gs.len();
    let f = check(&gs, "data-engineering", |d| {
        if in_chain(d, "streaming-data") {
            return Err("streaming-data in the chain".into());
        }
        if !matched(d, "optimizing-sql") {
            return Err("optimizing-sql not matched".into());
        }
        Ok(())
    });
    report(n, f);
}

#[test]
fn a_streaming_window_still_asks_for_streaming() {
    let gs = [
        "5-minute tumbling window counts per merchant, emitted as events arrive",
        "sliding window aggregates of sensor readings from the iot devices",
        "session windows over the clickstream events with late arrivals",
        "hopping window of 10 minutes over page events, low latency",
        "kinesis consumer for iot sensor readings, 1-min windowed aggs into postgres",
    ]
    .map(String::from);
    let f = check(&gs, "data-engineering", |d| {
        if matched(d, "streaming-data") {
            Ok(())
        } else {
            Err("streaming-data not matched".into())
        }
    });
    report(gs.len(), f);
}

#[test]
fn the_report_a_review_ends_in_is_not_a_power_bi_report() {
    let gs = goals(&[
        "review the architecture of the marts refactor around {t}, one report",
        "code review of the last 3 PRs touching {t}, single report please",
        "review the layering and naming of {t} and the code, all in one report",
        "architecture review of {t} plus the last commits, a written report",
        "should the dim behind {t} be type 1 or type 2? reporting only ever uses the current value",
        "should the dim behind {t} keep history? finance wants it for margin reporting",
    ]);
    let n = gs.len();
    let f = check(&gs, "dbt-workflows", |d| {
        if in_chain(d, "powerbi-modeler") {
            Err("powerbi-modeler in the chain".into())
        } else {
            Ok(())
        }
    });
    report(n, f);
}

#[test]
fn a_power_bi_report_still_asks_for_the_semantic_model() {
    let gs = goals(&[
        "power bi report on top of {t} with revenue by region",
        "the PBI report page for {t} needs a margin visual",
    ]);
    let n = gs.len();
    let f = check(&gs, "dbt-workflows", |d| {
        if matched(d, "powerbi-modeler") {
            Ok(())
        } else {
            Err("powerbi-modeler not matched".into())
        }
    });
    report(n, f);
}

#[test]
fn semantic_model_relationships_are_not_a_dbt_test() {
    let gs = [
        "power bi semantic model: relationships for the new dim_vehicle, dbt side is done already",
        "PBI semantic model needs relationships to dim_vendor and an avg fare measure",
        "hook up the dim_date relationships in the power bi model, one to many from fct_trips",
        "power bi: fix the relationships between fct_invoice and dim_customer in the semantic model",
        "semantic model relationships fct_sales -> dim_store / dim_date for the finance dataset in power bi",
    ]
    .map(String::from);
    let f = check(&gs, "dbt-workflows", |d| {
        if matched(d, "dbt-runner") {
            return Err("dbt-runner matched".into());
        }
        if !matched(d, "powerbi-modeler") {
            return Err("powerbi-modeler not matched".into());
        }
        Ok(())
    });
    report(gs.len(), f);
}

#[test]
fn a_relationships_test_still_asks_for_dbt_runner() {
    let gs = [
        "add relationships tests from fct_trips to dim_zone and run them",
        "relationships test on fct_orders.customer_id, then dbt build",
        "the relationship tests on stg_payments fail, rerun them after the fix",
    ]
    .map(String::from);
    let f = check(&gs, "dbt-workflows", |d| {
        if matched(d, "dbt-runner") {
            Ok(())
        } else {
            Err("dbt-runner not matched".into())
        }
    });
    report(gs.len(), f);
}

#[test]
fn a_dax_measure_is_not_a_fact_table_measure() {
    let gs = [
        "power bi semantic model: DAX measure for avg fare on fct_trips",
        "add two DAX measures (YoY revenue, margin %) to the power bi model",
        "PBI: dax measures for net revenue, hide the surrogate keys",
    ]
    .map(String::from);
    let f = check(&gs, "dbt-workflows", |d| {
        if matched(d, "dim-modeler") {
            Err("dim-modeler matched".into())
        } else {
            Ok(())
        }
    });
    report(gs.len(), f);
}

#[test]
fn a_fact_table_measure_still_asks_for_the_dimensional_model() {
    let gs = [
        "additive measures on the fct_orders fact table in dbt",
        "new fact table for shipments with measures for weight and cost",
    ]
    .map(String::from);
    let f = check(&gs, "dbt-workflows", |d| {
        if matched(d, "dim-modeler") {
            Ok(())
        } else {
            Err("dim-modeler not matched".into())
        }
    });
    report(gs.len(), f);
}

#[test]
fn changes_that_are_scope_or_data_do_not_ask_for_a_review() {
    let gs = goals(&[
        "compilation error 'dbt_utils' is undefined in {t} - diagnose only, no changes, no reruns",
        "SCD2 for the customer dim behind {t}, track address + tier changes",
        "dbt build fails on {t} with a compile error; debug it, no changes to other models",
    ]);
    let n = gs.len();
    let f = check(&gs, "dbt-workflows", |d| {
        if in_chain(d, "code-reviewer") {
            Err("code-reviewer in the chain".into())
        } else {
            Ok(())
        }
    });
    report(n, f);
}

#[test]
fn someones_changes_still_ask_for_a_review() {
    // dbt models by name: a bare table or `.sql` file names no pack.
    let gs: Vec<String> = [
        "sanity-check my changes to {t}",
        "look over these changes to {t}, the incremental logic especially",
        "someone please check our code changes on {t}",
    ]
    .iter()
    .flat_map(|f| {
        ["fct_sessions", "int_orders_enriched", "stg_payments"].map(|t| f.replace("{t}", t))
    })
    .collect();
    let n = gs.len();
    let f = check(&gs, "dbt-workflows", |d| {
        if matched(d, "code-reviewer") {
            Ok(())
        } else {
            Err("code-reviewer not matched".into())
        }
    });
    report(n, f);
}

/// A Power BI goal about a new model's semantic layer names the fact or
/// dimension; it does not ask to build it, so no model blueprint is offered.
#[test]
fn a_semantic_model_for_a_new_table_is_offered_no_model_blueprint() {
    let gs: Vec<String> = [
        "update the Power BI semantic model for the new {t}: relationships + a couple DAX measures",
        "power bi semantic model on top of the new {t}, DAX measures for revenue",
    ]
    .iter()
    .flat_map(|f| {
        ["fct_tips", "fct_refunds", "dim_vehicle", "dim_vendor"].map(|t| f.replace("{t}", t))
    })
    .collect();
    let n = gs.len();
    let f = check(&gs, "dbt-workflows", |d| match &d.inner.offer {
        Some(b) => Err(format!("blueprint {b} offered")),
        None => Ok(()),
    });
    report(n, f);
}

#[test]
fn a_new_model_named_as_such_is_still_offered_its_blueprint() {
    let cases = [
        (
            "new fct_shipments: one row per shipment, measures weight and cost, keys to dim_date",
            "new-fact-table",
        ),
        (
            "new fct_refunds fact table at refund grain with additive measures and tests",
            "new-fact-table",
        ),
        (
            "add dim_vendor with SCD2 history, a surrogate key and tests",
            "new-dimension",
        ),
    ];
    let mut failures = Vec::new();
    for (g, want) in cases {
        match detect(bundled(), g) {
            Ok(d) if d.inner.offer.as_deref() == Some(want) => {}
            Ok(d) => failures.push(format!("{g}: offer {:?}", d.inner.offer)),
            Err(_) => failures.push(format!("{g}: matched nothing")),
        }
    }
    report(cases.len(), failures);
}
