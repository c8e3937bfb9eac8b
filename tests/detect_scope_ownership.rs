//! A part of the work the goal gives to someone else ("ingestion is the
//! platform team's", "taken care of", "out of our hands") or says stays as
//! it is ("is staying", "needs no changes", "left exactly as it is") is
//! not asked, whichever side of the ask it stands on (issue 12, must-not
//! skills). Said the other way ("is ours to redo"), it is asked.

mod common;

use common::evalgoals::bundled;

/// (the part, its skill, an ask that does not name the part, the ask's
/// pack, a skill the ask needs)
const PARTS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "ingestion",
        "ingestion",
        "add row count anomaly checks with slack alerts to the nightly load",
        "data-orchestration",
        "validation",
    ),
    (
        "the snapshots",
        "dim-modeler",
        "add unique and not_null tests on fct_orders",
        "dbt-workflows",
        "dbt-runner",
    ),
    (
        "the staging models",
        "transforming-data",
        "add consumer lag alerts in prometheus and a grafana board for the clickstream consumers",
        "data-engineering",
        "performance-engineering",
    ),
    (
        "the query",
        "query-writer",
        "generate bigconfig freshness and volume monitors for clients_daily_v6",
        "bigquery-etl",
        "bigconfig-generator",
    ),
];

/// Someone else's, or already handled.
const NOT_OURS: &[&str] = &[
    "{X} is the platform team's",
    "{X} is the data platform team's, not ours",
    "{X} is platform team's",
    "{X} isn't ours to change",
    "{X} is not ours",
    "{X} is taken care of",
    "{X} is already taken care of",
    "{X} is out of our hands",
    "{X} is covered elsewhere",
    "{X} is handled separately",
    "{X} is not on us",
    "{X} isn't on our plate",
    "{X} is not something we own",
    "{X} is out of scope here",
    "{X} is out of scope for us",
    "{X} is out of scope for this one",
];

/// Stays as it is.
const STAYS: &[&str] = &[
    "{X} is staying",
    "{X} stays untouched",
    "{X} remains unchanged",
    "{X} is not changing",
    "{X} isn't changing",
    "{X} needs no changes",
    "{X} doesn't need any work",
    "{X} is already in place",
    "{X} is not the problem",
    "{X} isn't the issue",
    "with {X} left exactly as it is",
    "{X} left as is",
    "{X} stays exactly as it is",
];

const ARRANGEMENTS: &[&str] = &["{S}. {A}", "{S}, {A}", "{A}. {S}", "{A}; {S}", "{A} ({S})"];

fn goal(arrangement: &str, saying: &str, part: &str, ask: &str) -> String {
    let s = saying.replace("{X}", part);
    arrangement.replace("{S}", &s).replace("{A}", ask)
}

/// The pack and the skills the goal itself asks for (matched words), or
/// None when it matches no pack.
fn asked_by_goal(goal: &str) -> Option<(String, Vec<String>)> {
    let d = skillchain::detect::detect(bundled(), goal).ok()?;
    let ids = d
        .inner
        .chain
        .iter()
        .filter(|e| {
            e.reasons
                .iter()
                .any(|r| matches!(r, skillchain::detect::Reason::Matched { .. }))
        })
        .map(|e| e.id.clone())
        .collect();
    Some((d.inner.pack, ids))
}

/// Asserts that no goal built from `sayings` asks the part's skill.
fn assert_part_not_asked(sayings: &[&str]) {
    let mut wrong = Vec::new();
    let mut total = 0;
    for (part, skill, ask, pack, wanted) in PARTS {
        for saying in sayings {
            for arrangement in ARRANGEMENTS {
                let g = goal(arrangement, saying, part, ask);
                total += 1;
                match asked_by_goal(&g) {
                    Some((p, ids))
                        if p == *pack
                            && ids.iter().any(|i| i == wanted)
                            && !ids.iter().any(|i| i == skill) => {}
                    got => wrong.push(format!("{g:?} -> {got:?} ({skill} must not be asked)")),
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {total}:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn work_someone_else_owns_or_handled_is_not_asked() {
    assert_part_not_asked(NOT_OURS);
}

#[test]
fn work_that_stays_as_it_is_is_not_asked() {
    assert_part_not_asked(STAYS);
}

/// The same part said to be ours to change, or needing work, is asked:
/// the parts and asks above do not hide the skill by themselves.
#[test]
fn the_same_part_as_our_work_is_asked() {
    let mut wrong = Vec::new();
    for (part, skill, ask, pack, _) in PARTS {
        for saying in [
            "{X} is ours to redo",
            "{X} needs a rework",
            "rework {X} too",
        ] {
            for arrangement in ["{S}. {A}", "{A}. {S}", "{A}; {S}"] {
                let g = goal(arrangement, saying, part, ask);
                match asked_by_goal(&g) {
                    Some((p, ids)) if p == *pack && ids.iter().any(|i| i == skill) => {}
                    got => wrong.push(format!("{g:?} -> {got:?} ({skill} must be asked)")),
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
