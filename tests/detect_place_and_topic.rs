//! Words that say where or about what, not what to do (issue 12,
//! must-not skills):
//! - the raw landing layer named as the place of other work ("mask emails
//!   in bronze", "retention on the bronze tables") asks nothing of the
//!   layered transforms;
//! - what the documentation is asked about ("what do the Orchestra docs
//!   say about retry policies") asks nothing of reading run artifacts.
//!
//! Controls: work on the layers themselves, and a next step after the
//! question, are still asked.

mod common;

use common::evalgoals::{bundled, miss_unless};
use skillchain::detect::detect;

/// Security and governance asks that happen in a layer; `{L}` is the
/// place phrase.
const LAYER_WORK: &[&str] = &[
    "mask email and phone columns {L}, least-privilege service account for the loader",
    "PII: hash member SSN and DOB {L}, audit log of who reads them",
    "column-level access {L} plus a 90-day retention policy, nothing else changes",
    "encryption at rest and a 13 month retention {L}; credentials into the secret manager",
    "row-level security {L} for the regional analysts, and rotate the service account keys",
    "tokenize card numbers {L} and keep an access audit trail",
];

/// The raw landing layer as a place, as people write it.
const PLACES: &[&str] = &[
    "in bronze",
    "on the bronze tables",
    "on bronze",
    "across the bronze tables",
    "in our bronze layer",
    "at bronze",
    "on bronze raw files",
];

#[test]
fn a_layer_named_as_the_place_of_other_work_asks_no_transforms() {
    let mut misses = Vec::new();
    let mut n = 0;
    for work in LAYER_WORK {
        for place in PLACES {
            let goal = work.replace("{L}", place);
            n += 1;
            misses.extend(miss_unless(
                &goal,
                "data-orchestration",
                &["security"],
                &["layered-transforms"],
            ));
        }
    }
    assert_eq!(n, 42);
    assert!(
        misses.is_empty(),
        "{} of {n} goals asked the layered transforms for a place:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

/// Work on the layers themselves is asked, whatever preposition is near.
#[test]
fn work_on_the_layers_is_still_asked() {
    let goals = [
        "bronze/silver/gold for the inventory feed: silver dedupes to the latest version, gold has stock per sku per day",
        "build silver and gold on top of bronze for the orders feed",
        "dedupe customers in silver and aggregate revenue into gold, daily in prefect",
        "medallion layers for the hubspot contacts: clean and conform in silver",
        "the silver layer should standardize country codes; mask emails there too",
    ];
    let misses: Vec<String> = goals
        .iter()
        .filter_map(|g| miss_unless(g, "data-orchestration", &["layered-transforms"], &[]))
        .collect();
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// `detect` names the place words and the skill they asked nothing of.
#[test]
fn detect_names_the_place_that_asked_nothing() {
    let det = detect(
        bundled(),
        "mask email and phone on the bronze tables, least-privilege roles for the loader",
    )
    .expect("matches a pack");
    let note = det
        .inner
        .scopes
        .iter()
        .find(|s| s.kind == "placed")
        .expect("a place note");
    assert_eq!(note.text, "on the bronze");
    assert_eq!(note.skills, ["layered-transforms"]);
    assert_eq!(
        note.describing().as_deref(),
        Some("\u{201c}on the bronze\u{201d} says where the work happens: it asks nothing of layered-transforms")
    );
}

/// Ways to ask the documentation; `{T}` is the subject.
const QUESTIONS: &[&str] = &[
    "what do the Orchestra docs say about {T}? links before we propose anything",
    "is it documented anywhere that {T}? need a source for the postmortem",
    "what does the Prefect documentation say about {T}, with links",
    "check the Dagster docs on {T} and cite the pages, no changes yet",
    "what do the official Airflow docs recommend about {T}? want citations",
];

/// Subjects that use the words of run artifacts and failures.
const SUBJECTS: &[&str] = &[
    "retry policies on task groups",
    "passing dbt artifacts between tasks",
    "how long run logs are kept",
    "task timeouts and failed runs",
    "retries being per task not per flow",
    "run durations in the UI",
];

#[test]
fn what_the_documentation_is_asked_about_asks_no_artifact_reading() {
    let mut misses = Vec::new();
    let mut n = 0;
    for q in QUESTIONS {
        for t in SUBJECTS {
            let goal = q.replace("{T}", t);
            n += 1;
            misses.extend(miss_unless(
                &goal,
                "pipeline-analysis",
                &["researching-documentation"],
                &["reading-run-artifacts"],
            ));
        }
    }
    assert_eq!(n, 30);
    assert!(
        misses.is_empty(),
        "{} of {n} documentation questions asked to read run artifacts:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

/// A next step after the question reads the artifacts as asked.
#[test]
fn a_step_after_the_question_is_still_asked() {
    let goals = [
        "what do the Orchestra docs say about retries, then read our run_results and list the failed runs",
        "check the dbt docs on retries and analyse last night's run_results.json for the slowest models",
        "is it documented that retries are per task? also pull the failure rate from last week's run history",
    ];
    let misses: Vec<String> = goals
        .iter()
        .filter_map(|g| {
            miss_unless(
                g,
                "pipeline-analysis",
                &["researching-documentation", "reading-run-artifacts"],
                &[],
            )
        })
        .collect();
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}
