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
                let goal = format!("{v} {ask} for {t}");
                let ids = chain(&goal);
                if ids.iter().any(|i| i == "query-writer") || !ids.iter().any(|i| i == skill) {
                    wrong.push(format!("{goal:?}: {ids:?}"));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "asked the query again:\n{}",
        wrong.join("\n")
    );
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
