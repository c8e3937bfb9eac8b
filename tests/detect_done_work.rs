//! Work the goal says someone has done ("Priya already crunched the run
//! artifacts", "I've got the artifact analysis in my notes already",
//! "reuse Tuesday's artifact analysis rather than re-reading
//! run_results") is not asked again: only the write-up is (issue 12,
//! must-not skills). Controls ask for the reading itself.

mod common;

use common::evalgoals::miss_unless;

/// The write-up asked; `{X}` is what it is about.
const ASKS: &[&str] = &[
    "write up findings.md and the README for the {X} review",
    "draft the findings report for {X}: summary, current state, recommendations",
    "assemble the standard findings report for {X}",
    "findings + recs doc for {X} pls",
];

/// Ways to say the artifact reading is done.
const DONE: &[&str] = &[
    "Priya already crunched the run artifacts",
    "Sam already parsed the run_results.json files",
    "I've got the artifact analysis in my notes already",
    "we have the run artifact numbers already",
    "reuse Tuesday's artifact analysis rather than re-reading run_results",
    "reuse the numbers from last week's run artifacts instead of re-parsing them",
];

const SUBJECTS: &[&str] = &[
    "the Q3 pipeline health",
    "Tuesday's orders outage",
    "the chargeback pipeline audit",
];

#[test]
fn artifact_reading_said_done_is_not_asked_again() {
    let mut misses = Vec::new();
    let mut n = 0;
    for ask in ASKS {
        for done in DONE {
            for x in SUBJECTS {
                let goal = format!("{}. {done}", ask.replace("{X}", x));
                n += 1;
                misses.extend(miss_unless(
                    &goal,
                    "pipeline-analysis",
                    &["writing-findings"],
                    &["reading-run-artifacts"],
                ));
            }
        }
    }
    assert_eq!(n, 72);
    assert!(
        misses.is_empty(),
        "{} of {n} goals asked to read the artifacts again:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

/// Reading the artifacts, asked: still asked, whoever did other work.
#[test]
fn artifact_reading_asked_is_still_asked() {
    let goals = [
        "Priya already wrote the scope doc; parse last night's run_results.json and list the failed models",
        "the scope is already agreed. read the run artifacts for the orders DAG and rank the slowest nodes",
        "reuse the scope from Q2, then dig through this week's run_results for failures",
    ];
    let misses: Vec<String> = goals
        .iter()
        .filter_map(|g| miss_unless(g, "pipeline-analysis", &["reading-run-artifacts"], &[]))
        .collect();
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}
