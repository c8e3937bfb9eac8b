//! "add retries to the hubspot extract task", "the salesforce pull dies on
//! 429s, need backoff": resilience bolted onto a step the goal names as one
//! that runs. The step exists, so the chain asks the resilience work, not
//! the extraction, and no whole-pipeline blueprint is offered or rebuilt
//! around it (issue 12, forced chains and must-not skills).

mod common;

use common::evalgoals::bundled;
use skillchain::detect::detect;

const STEPS: &[&str] = &[
    "hubspot extract task",
    "salesforce api pull",
    "vendor sftp download",
    "nightly zendesk sync",
];

/// The pack, the chain, and the blueprint offered.
fn read(goal: &str) -> (String, Vec<String>, Option<String>) {
    let d = detect(bundled(), goal).unwrap_or_else(|e| panic!("{goal:?} matched nothing: {e}"));
    let ids = d.inner.chain.iter().map(|e| e.id.clone()).collect();
    (d.inner.pack, ids, d.inner.offer)
}

/// The goal and what it got when the chain builds the step again, lacks
/// the resilience work or offers a blueprint.
fn rebuilds_the_step(goal: &str) -> Option<String> {
    let (pack, ids, offer) = read(goal);
    let has = |s: &str| ids.iter().any(|i| i == s);
    (pack != "data-orchestration" || has("ingestion") || !has("error-handling") || offer.is_some())
        .then(|| format!("{goal:?}: {pack} {ids:?} blueprint {offer:?}"))
}

fn assert_none(wrong: &[String], tried: usize) {
    assert!(
        wrong.is_empty(),
        "{} of {tried} goals rebuild the step:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn resilience_bolted_onto_a_named_step_does_not_rebuild_it() {
    let asks = [
        "add retries w/ exponential backoff + a circuit breaker to {det} {step}",
        "put a circuit breaker and backoff retries around {det} {step}, alert on sla miss",
        "wrap {det} {step} in retries with exponential backoff and write a runbook",
        "bolt exponential backoff retries onto {det} {step}",
    ];
    let mut wrong = Vec::new();
    let mut tried = 0;
    for ask in asks {
        for det in ["the", "our", "that"] {
            for step in STEPS {
                tried += 1;
                let goal = ask.replace("{det}", det).replace("{step}", step);
                wrong.extend(rebuilds_the_step(&goal));
            }
        }
    }
    assert_none(&wrong, tried);
}

#[test]
fn a_step_that_fails_runs_and_is_not_rebuilt() {
    let symptoms = [
        "dies on 429s every night",
        "keeps failing since monday",
        "is flaky, 3 red runs a week",
        "crashed twice this week",
    ];
    let mut wrong = Vec::new();
    let mut tried = 0;
    for step in STEPS {
        for symptom in symptoms {
            tried += 1;
            let goal = format!(
                "{step} {symptom}. need backoff + retries and a circuit breaker, page on-call if still broken at 6am"
            );
            wrong.extend(rebuilds_the_step(&goal));
        }
    }
    assert_none(&wrong, tried);
}

/// The same words where the step is still to be built, or where a failure
/// is what the asked alert reacts to.
#[test]
fn a_step_to_build_or_a_failure_to_react_to_keeps_its_work() {
    for goal in [
        "new prefect flow: pull hubspot contacts every hour into bronze, with retries and exponential backoff",
        "add a task to the new dagster job that pulls stripe charges, retries with backoff",
        "build the salesforce api pull into bronze, silver and gold, with a circuit breaker and a runbook",
    ] {
        let (pack, ids, _) = read(goal);
        assert_eq!(pack, "data-orchestration", "{goal}");
        assert!(ids.iter().any(|i| i == "ingestion"), "{goal}: {ids:?}");
    }
    for goal in [
        "add a slack alert when the hubspot extract fails",
        "page on-call if the nightly zendesk sync fails twice",
    ] {
        let (pack, ids, _) = read(goal);
        assert_eq!(pack, "data-orchestration", "{goal}");
        assert!(ids.iter().any(|i| i == "error-handling"), "{goal}: {ids:?}");
    }
    // Where a table moves to is the change asked: its DAG entry is written.
    let (_, ids, _) = read("move telemetry_derived.crash_counts_v1 to the bqetl_main_summary dag");
    assert!(ids.iter().any(|i| i == "metadata-manager"), "{ids:?}");
}

/// "before anyone writes SQL, pin down the grain": the code comes after
/// the asked requirements, so the query is not asked, even when the
/// requirements' words (partitioning, incremental) are the query's too.
#[test]
fn requirements_before_anyone_writes_code_leave_the_query_out() {
    let openers = [
        "before anyone writes SQL",
        "before anybody writes any sql",
        "before i write a line of code",
        "before writing any SQL",
        "before we write sql or yaml",
    ];
    let asks = [
        "pin down grain, sources and partitioning for a new telemetry_derived.retention_weekly_v1",
        "help me settle the grain, incremental vs full refresh and the partition column for an ads clicks per day table in bqetl",
    ];
    let mut wrong = Vec::new();
    let mut tried = 0;
    for opener in openers {
        for ask in asks {
            for sep in [": ", ", "] {
                tried += 1;
                let goal = format!("{opener}{sep}{ask}");
                let (pack, ids, _) = read(&goal);
                let has = |s: &str| ids.iter().any(|i| i == s);
                if pack != "bigquery-etl" || has("query-writer") || !has("model-requirements") {
                    wrong.push(format!("{goal:?}: {pack} {ids:?}"));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {tried} goals ask the query:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    // Writing one named part before something else is no rule on code.
    let (_, ids, _) = read(
        "write the query for telemetry_derived.retention_weekly_v1, incremental, partitioned by submission_date",
    );
    assert!(ids.iter().any(|i| i == "query-writer"), "{ids:?}");
}
