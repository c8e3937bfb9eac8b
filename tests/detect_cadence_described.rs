//! A cadence word that describes something the goal names ("the nightly
//! finance_gl pipeline", "our hourly claims load") says when that thing
//! already runs; it asks for no scheduling. A cadence word that measures
//! ("daily row count", "hourly rollups") is the grain of a number. Only a
//! cadence the goal asks for ("should run nightly", "a new hourly load")
//! asks for the orchestrator (issue 12, must-not skills).

mod common;

use common::evalgoals::{bundled, miss_unless};
use skillchain::detect::detect;

/// Ways a goal names a pipeline that runs; `{C}` is the cadence, `{N}` what
/// it carries, `{H}` the kind of thing.
const SUBJECTS: &[&str] = &[
    "the {C} {N} {H}",
    "our {C} {N} {H}",
    "my team's {C} {N} {H}",
    "this {C} {N} {H}",
    "the existing {C} {N} {H}",
];
const CADENCES: &[&str] = &["nightly", "daily", "hourly", "weekly"];
const CARRIED: &[&str] = &[
    "finance_gl",
    "pharmacy claims",
    "store inventory",
    "member eligibility",
    "ledger",
];
const KINDS: &[&str] = &["pipeline", "load", "refresh", "sync", "extract"];

/// Operations work on a pipeline that runs: none of it picks or sets up a
/// scheduler.
const ASKS: &[&str] = &[
    "runbook + troubleshooting guide for {S}, nobody on call knows what to do when it breaks",
    "alert rules for {S}: slack on warnings, pagerduty on failures and timeouts",
    "retries with exponential backoff and a circuit breaker for {S}",
    "null rate and duplicate checks on {S}, criticals halt the run and the rest just warn",
    "write the on-call runbook for {S} and route its failures to pagerduty",
];

/// The `k`th subject: every determiner meets every cadence and every kind
/// of thing over `k` in 0..100.
fn subject(k: usize) -> String {
    SUBJECTS[k % SUBJECTS.len()]
        .replace("{C}", CADENCES[(k / 5) % CADENCES.len()])
        .replace("{N}", CARRIED[(k / 3) % CARRIED.len()])
        .replace("{H}", KINDS[(k / 20) % KINDS.len()])
}

#[test]
fn a_cadence_describing_a_running_pipeline_asks_no_orchestrator() {
    let mut misses = Vec::new();
    let mut n = 0;
    for ask in ASKS {
        for k in 0..SUBJECTS.len() * CADENCES.len() * KINDS.len() {
            let goal = ask.replace("{S}", &subject(k));
            n += 1;
            misses.extend(miss_unless(
                &goal,
                "data-orchestration",
                &[],
                &["orchestrator"],
            ));
        }
    }
    assert_eq!(n, 500);
    assert!(
        misses.is_empty(),
        "{} of {n} goals asked the orchestrator (or left the pack):\n{}",
        misses.len(),
        misses.join("\n")
    );
}

/// The same work with the cadence asked: it still asks the orchestrator.
#[test]
fn a_cadence_the_goal_asks_for_still_asks_the_orchestrator() {
    let asked_forms = [
        "I need a new {C} {N} pipeline with retries and backoff",
        "the {N} extract should run {C}, with retries and a runbook",
        "a {C} {N} refresh with null checks and a runbook",
    ];
    let mut misses = Vec::new();
    for form in asked_forms {
        for (k, c) in CADENCES.iter().enumerate() {
            let goal = form
                .replace("{C}", c)
                .replace("{N}", CARRIED[k % CARRIED.len()]);
            misses.extend(miss_unless(
                &goal,
                "data-orchestration",
                &["orchestrator"],
                &[],
            ));
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// A cadence that measures a number ("daily row count") is its grain.
#[test]
fn a_cadence_measuring_a_number_asks_no_orchestrator() {
    let measures = [
        "anomaly checks on the {C} row count of silver.{T} (>30% off the 7 day average), warn only",
        "alert when {C} volume in gold.{T} swings more than 20%, the pipeline itself works fine",
        "null-rate and {C} row counts checks on bronze.{T}, critical ones fail the run",
    ];
    let tables = ["transactions", "claims", "orders", "shipments"];
    let mut misses = Vec::new();
    for m in measures {
        for (k, c) in CADENCES.iter().enumerate() {
            let goal = m.replace("{C}", c).replace("{T}", tables[k]);
            misses.extend(miss_unless(
                &goal,
                "data-orchestration",
                &[],
                &["orchestrator"],
            ));
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// What a condition names ("when the SAP extract fails", "if the hubspot
/// sync dies") runs already: the work is what happens then, not the thing
/// that fails.
#[test]
fn what_a_failure_condition_names_is_not_asked() {
    let conditions = [
        "when the SAP extract fails",
        "if the hubspot sync dies",
        "whenever our orders load breaks",
        "when the vendor api pull times out",
        "if the netsuite import crashes",
        "when the postgres source is down",
    ];
    let asks = [
        "write the runbook + troubleshooting guide: what on-call does {C}",
        "page on-call through pagerduty {C}, slack for the rest",
        "a troubleshooting guide for {C}, docs only",
        "retries with backoff, then a slack alert {C}",
    ];
    let mut misses = Vec::new();
    for ask in asks {
        for c in conditions {
            let goal = ask.replace("{C}", c);
            misses.extend(miss_unless(
                &goal,
                "data-orchestration",
                &[],
                &["ingestion", "orchestrator", "layered-transforms"],
            ));
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// The same things as the work's object stay asked: "make the SAP extract
/// incremental" asks for ingestion.
#[test]
fn the_same_things_as_the_work_stay_asked() {
    let objects = [
        "the SAP extract",
        "the hubspot sync",
        "our orders load",
        "the netsuite import",
    ];
    let mut misses = Vec::new();
    for o in objects {
        let goal = format!(
            "switch {o} to incremental with an updated_at cursor and retries when it fails"
        );
        misses.extend(miss_unless(
            &goal,
            "data-orchestration",
            &["ingestion"],
            &[],
        ));
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// `detect --json` says which words it read as what runs or as a grain,
/// and which skills those words asked nothing of.
#[test]
fn the_detection_names_the_words_it_read_as_describing() {
    let notes = |goal: &str| -> Vec<(String, String, Vec<String>)> {
        let d = detect(bundled(), goal).expect("the goal matches a pack");
        d.inner
            .scopes
            .iter()
            .filter(|s| s.kind == "runs" || s.kind == "grain")
            .map(|s| (s.kind.clone(), s.text.clone(), s.skills.clone()))
            .collect()
    };
    let got = notes("runbook + troubleshooting guide for the nightly ledger sync");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "runs");
    assert_eq!(got[0].1, "nightly ledger sync");
    assert!(got[0].2.contains(&"orchestrator".to_string()), "{got:?}");
    assert!(got[0].2.contains(&"ingestion".to_string()), "{got:?}");
    let got = notes("anomaly checks on the daily row count of silver.orders, warn only");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "grain");
    assert_eq!(got[0].1, "daily");
    assert!(got[0].2.contains(&"orchestrator".to_string()), "{got:?}");
    let got =
        notes("alerts on slack when the hubspot extract fails, pagerduty if it keeps failing");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "runs");
    assert_eq!(got[0].1, "the hubspot extract");
    assert_eq!(got[0].2, ["ingestion"]);
    assert!(notes("a new nightly claims pipeline with retries").is_empty());
}
