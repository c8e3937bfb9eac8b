//! A goal that only reviews ("sqlfluff + a checklist for models/marts/*",
//! "review my PR before merge") names the models it looks at; those words
//! ask for no dbt run (issue 12, must-not skills). A goal that builds and
//! then reviews, or asks for the re-run in so many words, still runs dbt.

mod common;

use common::evalgoals::{bundled, miss_unless};
use skillchain::detect::detect;

/// Review-only asks; `{O}` is what is reviewed.
const REVIEWS: &[&str] = &[
    "review my PR touching {O} before I merge it",
    "code review of {O} please, naming and sql style",
    "sqlfluff config and a review checklist for {O}",
    "give {O} a code review: which findings should block the merge?",
    "lint and review {O} before the pull request goes out, style only",
    "review my branch with {O}, conventions and naming",
];

/// What a review looks at, as people point at it.
const OBJECTS: &[&str] = &[
    "models/marts/finance/*",
    "the staging models for stripe",
    "our dbt repo",
    "the marts layer",
    "models/staging/hubspot/*.sql",
    "the mart models",
    "the new staging and mart models",
    "stg_orders and the marts built on it",
];

#[test]
fn a_review_only_goal_asks_no_dbt_run_of_what_it_reviews() {
    let mut misses = Vec::new();
    let mut n = 0;
    for ask in REVIEWS {
        for object in OBJECTS {
            let goal = ask.replace("{O}", object);
            n += 1;
            misses.extend(miss_unless(
                &goal,
                "dbt-workflows",
                &["code-reviewer"],
                &["dbt-runner"],
            ));
        }
    }
    assert_eq!(n, 48);
    assert!(
        misses.is_empty(),
        "{} of {n} review-only goals asked dbt-runner (or lost the review):\n{}",
        misses.len(),
        misses.join("\n")
    );
}

/// Building, then reviewing: the models are work asked, and dbt runs them.
#[test]
fn a_goal_that_builds_then_reviews_still_runs_dbt() {
    let goals = [
        "add fct_refunds at one row per refund, incremental merge, stage the stripe refunds first, then review before merge",
        "create the staging models for the returns feed, then review my change before merge",
        "create stg_zendesk__tickets and int_ticket_sla, dbt build them, and review my change",
        "review my PR, then rerun the models that failed in prod",
    ];
    let misses: Vec<String> = goals
        .iter()
        .filter_map(|g| miss_unless(g, "dbt-workflows", &["dbt-runner", "code-reviewer"], &[]))
        .collect();
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// `detect` says which words it read as what the review looks at, and
/// which skill they asked nothing of.
#[test]
fn detect_names_the_words_read_as_what_is_reviewed() {
    let det = detect(
        bundled(),
        "sqlfluff config and a review checklist for models/marts/finance/*",
    )
    .expect("the goal matches a pack");
    let best = &det.inner;
    assert_eq!(best.pack, "dbt-workflows");
    let note = best
        .scopes
        .iter()
        .find(|s| s.kind == "examined")
        .expect("an examined note");
    assert_eq!(note.skills, vec!["dbt-runner".to_string()]);
    assert_eq!(note.text, "model, mart");
    assert_eq!(
        note.describing().as_deref(),
        Some("\u{201c}model, mart\u{201d} names what is looked at: it asks nothing of dbt-runner")
    );
    let runner = best
        .scores
        .iter()
        .find(|s| s.id == "dbt-runner")
        .expect("dbt-runner's words are shown");
    assert_eq!(runner.score, 0);
    assert_eq!(
        runner.secondary,
        vec!["model".to_string(), "mart".to_string()]
    );
}

/// A blueprint run keeps a part the goal rules out for its answers only:
/// not asked and no files, whatever way the goal rules it out.
#[test]
fn a_blueprint_leaves_a_ruled_out_part_unasked() {
    let goals = [
        "fivetran already loads everything in raw, so ingestion is not our problem. we need bronze/silver/gold layers and the dq on top",
        "orchestrated pipeline end to end for the claims data product, but no security work, it is an internal sandbox",
    ];
    for (goal, part) in goals.iter().zip(["ingestion", "security"]) {
        let d = detect(bundled(), goal).expect("the goal matches a pack");
        let pack = bundled().get(&d.inner.pack).expect("the pack is loaded");
        let offer = d.inner.offer.as_deref().expect("a blueprint is offered");
        let b = pack.blueprint(offer).expect("the blueprint exists");
        assert_eq!(
            d.inner.blueprint_answers_only(pack, b),
            vec![part.to_string()],
            "{goal}"
        );
    }
}
