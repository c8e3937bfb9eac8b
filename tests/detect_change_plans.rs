//! A plan for a change, with the test that proves each step and a
//! rollback, is pipeline-analysis' implementation plan: the dbt words in
//! it ("incremental", "merge", "step", "test") name what the plan is about,
//! not dbt work asked for (issue 12, right pack and must-have skills).

mod common;

use common::evalgoals::{bundled, lands_asking};
use skillchain::detect::detect;

/// Ways to ask for a plan; `{x}` is the change.
const ASKS: &[&str] = &[
    "rollback plan for {x}, each step with the test that proves it worked",
    "write the validation plan for {x}: where we test first, validation steps and the rollback. another team implements",
    "need a rollback plan for {x}, every change w/ the test that validates it",
    "implementation plan for {x} for the platform team: validation steps, monitoring, rollback",
];

const CHANGES: &[&str] = &[
    "switching fct_orders to incremental",
    "moving stg_events to the merge strategy",
    "changing the unique_key on fct_sessions",
    "splitting the nightly dbt run into two jobs",
    "dropping the full refresh from the nightly job",
];

#[test]
fn a_plan_for_a_change_with_its_tests_is_an_implementation_plan() {
    let wrong: Vec<String> = ASKS
        .iter()
        .flat_map(|ask| CHANGES.iter().map(move |x| ask.replace("{x}", x)))
        .filter_map(|g| lands_asking(&g, "pipeline-analysis", "planning-changes"))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of 20 wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// Building the change itself is dbt work, tests and all.
#[test]
fn making_the_change_with_its_tests_stays_dbt_work() {
    let goals = [
        "switch fct_orders to incremental with a merge on order_id and unique/not_null tests",
        "move stg_events to the merge strategy and add a test for duplicate event_ids",
        "change the unique_key on fct_sessions and rerun the dbt tests",
    ];
    let mut wrong = Vec::new();
    for goal in goals {
        let pack = detect(bundled(), goal).ok().map(|d| d.inner.pack);
        if pack.as_deref() != Some("dbt-workflows") {
            wrong.push(format!("{goal:?} -> {pack:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
