//! A goal that asks for a kind of work that builds nothing, in words nobody
//! on the team chose (issue 12): "nobody builds anything yet", "nothing
//! executed against prod", "design only", "just the review". Each cue is
//! generated over review and design asks of dbt-workflows; the dbt runner
//! (it builds and runs models) must leave the chain while the design or
//! review work stays. Contrasts: a goal that says nothing has been built
//! *yet* as its starting point still asks for the build, and a goal that
//! asks to run still asks the runner, so the test fails when the cues
//! simply drop the runner everywhere.

mod common;

use common::evalgoals::{asked, check_asked};

/// An ask, the skill its work needs, and the cues that say it builds
/// nothing in the way that fits the ask.
const DESIGN_ASKS: &[&str] = &[
    "bus matrix for the retail marts: which dims are conformed across fct_sales, fct_returns and fct_inventory?",
    "should dim_customer be SCD1 or SCD2 for the marts? finance wants as-was reporting",
];
const REVIEW_ASKS: &[&str] = &[
    "review PR #512: 2 new marts and fct_orders switched to incremental, with an assessment of the modeling choices",
    "code review of the new marts in models/marts/finance before merge",
];

/// Said of any ask.
const CUES: &[&str] = &[
    "nobody builds anything yet",
    "no one runs anything",
    "nothing gets built this sprint",
    "nothing executed against prod",
    "nothing should be run",
];
const DESIGN_CUES: &[&str] = &["design only", "assessment only", "only the design please"];
const REVIEW_CUES: &[&str] = &["just the review", "review only"];

#[test]
fn a_goal_that_builds_nothing_does_not_ask_the_runner() {
    let mut failures = Vec::new();
    let design = DESIGN_ASKS.iter().flat_map(|a| {
        CUES.iter()
            .chain(DESIGN_CUES)
            .map(move |c| (*a, *c, "data-modeler"))
    });
    let review = REVIEW_ASKS.iter().flat_map(|a| {
        CUES.iter()
            .chain(REVIEW_CUES)
            .map(move |c| (*a, *c, "code-reviewer"))
    });
    for (ask, cue, kept) in design.chain(review) {
        for joint in [". ", ", "] {
            let goal = format!("{ask}{joint}{cue}");
            let (pack, ids) = asked(&goal);
            if pack != "dbt-workflows"
                || ids.iter().any(|id| id == "dbt-runner")
                || !ids.iter().any(|id| id == kept)
            {
                failures.push(format!("{goal:?} -> {pack} {ids:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn nothing_built_yet_as_a_starting_point_still_asks_for_the_build() {
    for start in [
        "nobody has built anything yet",
        "nothing is built yet",
        "nothing built yet",
    ] {
        check_asked(
            &format!("{start}: new fct_orders at order-line grain, incremental, dbt build and dbt test it"),
            "dbt-workflows",
            &["dbt-runner"],
            &[],
        );
    }
    check_asked(
        "review PR #512 and then dbt build the changed marts",
        "dbt-workflows",
        &["code-reviewer", "dbt-runner"],
        &[],
    );
}

#[test]
fn a_review_that_builds_nothing_is_still_offered_its_blueprint() {
    let d = skillchain::detect::detect(
        common::evalgoals::bundled(),
        "architecture review of the jaffle_shop project before handover: layers, materializations, naming. no building anything, report only",
    )
    .expect("matches");
    assert_eq!(d.inner.offer.as_deref(), Some("architecture-review"));
    let ids: Vec<&str> = d.inner.chain.iter().map(|e| e.id.as_str()).collect();
    for never in ["dbt-runner", "powerbi-modeler", "dim-modeler"] {
        assert!(!ids.contains(&never), "{never} in {ids:?}");
    }
}
