//! "write unit test fixtures for search_clients_daily_v8": the verb of
//! making ("write", "create", "build") makes what the asked skill makes,
//! not the table it works on; a table the goal names and does not call new
//! exists, so its query is not asked again (issue 12, forced chains). The
//! same ask for a new table still asks the query.

mod common;

use common::evalgoals::asked;

fn chain(goal: &str) -> Vec<String> {
    let (got, ids) = asked(goal);
    assert_eq!(got, "bigquery-etl", "{goal}");
    ids
}

/// The goal and its chain when the chain asks the query again or lacks the
/// asked skill; `None` when it is right.
fn query_asked_again(goal: &str, skill: &str) -> Option<String> {
    let ids = chain(goal);
    let wrong = ids.iter().any(|i| i == "query-writer") || !ids.iter().any(|i| i == skill);
    wrong.then(|| format!("{goal:?}: {ids:?}"))
}

fn assert_none_asked_again(wrong: &[String]) {
    assert!(
        wrong.is_empty(),
        "asked the query again:\n{}",
        wrong.join("\n")
    );
}

const VERBS: &[&str] = &["write", "create", "build", "can someone write"];
/// What the asked skill makes, and that skill.
const ASKS: &[(&str, &str)] = &[
    ("unit test fixtures", "sql-test-generator"),
    ("the expect.yaml test fixtures", "sql-test-generator"),
    (
        "bigconfig freshness and volume monitors",
        "bigconfig-generator",
    ),
];
const TABLES: &[&str] = &[
    "search_clients_daily_v8",
    "telemetry_derived.clients_weekly_v2",
    "org_mozilla_fenix_derived.metrics_clients_daily",
];

#[test]
fn making_a_skills_own_files_for_a_named_table_does_not_ask_its_query() {
    let mut wrong = Vec::new();
    for v in VERBS {
        for (ask, skill) in ASKS {
            for t in TABLES {
                wrong.extend(query_asked_again(&format!("{v} {ask} for {t}"), skill));
            }
        }
    }
    assert_none_asked_again(&wrong);
}

#[test]
fn the_same_ask_for_a_new_table_asks_its_query() {
    for v in VERBS {
        for (ask, skill) in ASKS {
            let goal = format!("{v} a new derived table telemetry_derived.retention_v1 with {ask}");
            let ids = chain(&goal);
            assert!(
                ids.iter().any(|i| i == "query-writer") && ids.iter().any(|i| i == skill),
                "{goal:?}: {ids:?}"
            );
        }
    }
}

/// Asks of one skill's own files, each for a table named in words
/// ("the fenix metrics tbl") rather than by its snake_case name.
const WORD_ASKS: &[(&str, &str)] = &[
    ("bigeye freshness check", "bigconfig-generator"),
    ("bigconfig.yml with volume monitors", "bigconfig-generator"),
    ("metadata.yaml owners and labels", "metadata-manager"),
];
const WORD_TABLES: &[&str] = &[
    "on the fenix metrics tbl",
    "for the search clients table",
    "on our ads impressions table",
    "to the newtab interactions tbl",
];

#[test]
fn a_table_the_goal_works_on_in_words_exists_and_its_query_is_not_asked() {
    let wrong: Vec<String> = WORD_ASKS
        .iter()
        .flat_map(|(ask, skill)| {
            WORD_TABLES
                .iter()
                .filter_map(move |t| query_asked_again(&format!("{ask} {t}"), skill))
        })
        .collect();
    assert_none_asked_again(&wrong);
}

#[test]
fn something_new_in_a_table_is_no_new_table() {
    let mut wrong = Vec::new();
    for part in [
        "owners",
        "labels",
        "columns",
        "column descriptions",
        "checks",
        "tags",
    ] {
        for t in [
            "mobile_derived.sessions_v2",
            "telemetry_derived.clients_daily_v6",
        ] {
            let goal = format!("metadata.yaml for {t} needs new {part}");
            wrong.extend(query_asked_again(&goal, "metadata-manager"));
        }
    }
    assert_none_asked_again(&wrong);
    // A new table is still built, with its query.
    for goal in [
        "metadata.yaml for a new table telemetry_derived.retention_v1",
        "new derived table for ads impressions per day, with metadata.yaml",
    ] {
        let ids = chain(goal);
        assert!(ids.iter().any(|i| i == "query-writer"), "{goal}: {ids:?}");
    }
}
