//! "The dbt docs" in a goal is dbt's documentation, read before anything
//! is recommended: research, which pipeline-analysis does. Only the
//! commands (`dbt docs generate`, `dbt docs serve`) are dbt work (issue
//! 12, right pack).

mod common;

use common::evalgoals::{bundled, lands_asking};
use skillchain::detect::detect;

/// Ways to ask what the documentation says; `{t}` is the topic.
const ASKS: &[&str] = &[
    "what do the dbt docs say about {t}?",
    "according to the dbt docs, how does {t} behave? link the pages",
    "cite the dbt docs on {t} before we recommend it to the team",
    "read up in the dbt docs on {t} and summarise with links, no changes",
    "per the dbt docs is {t} safe for our nightly job? need sources",
    "check the official dbt docs for {t} and write down what they say",
];

const TOPICS: &[&str] = &[
    "--defer",
    "state:modified+",
    "incremental_predicates",
    "on_schema_change",
    "the retry command",
    "--full-refresh",
];

/// Ways to say the docs commands fail; `{x}` is the project.
const COMMANDS: &[&str] = &[
    "dbt docs generate fails on {x} with a compilation error",
    "dbt docs serve shows an empty lineage graph for {x}",
    "dbt docs generate takes 20 minutes on {x}, make it faster",
];

const PROJECTS: &[&str] = &["our dbt project", "the analytics repo", "jaffle_shop"];

#[test]
fn asking_what_the_dbt_docs_say_is_documentation_research() {
    let wrong: Vec<String> = ASKS
        .iter()
        .flat_map(|ask| TOPICS.iter().map(move |x| ask.replace("{t}", x)))
        .filter_map(|g| lands_asking(&g, "pipeline-analysis", "researching-documentation"))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of 36 wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_dbt_docs_commands_are_dbt_work() {
    let mut wrong = Vec::new();
    for command in COMMANDS {
        for project in PROJECTS {
            let goal = command.replace("{x}", project);
            let pack = detect(bundled(), &goal).ok().map(|d| d.inner.pack);
            if pack.as_deref() != Some("dbt-workflows") {
                wrong.push(format!("{goal:?} -> {pack:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
