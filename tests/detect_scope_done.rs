//! A goal that says a part is done, final or already there, or rules a part
//! out, is not asked that part: over a covering array of parts, the ways
//! people say "done" and what they ask next, the skill that makes the part
//! is neither asked nor pulled in as a question (it may stay `assumed`, so
//! the templates still read its defaults), and the skill asked for is.

mod common;

use common::evalgoals::asked;

/// (the part as people name it, "is" or "are", the skill that makes it)
const DONE_PARTS: &[(&str, &str, &str)] = &[
    ("the query.sql", "is", "query-writer"),
    ("the query", "is", "query-writer"),
    ("the query and the requirements", "are", "query-writer"),
    ("the sql", "is", "query-writer"),
];

/// How the goal says the part exists; `{p}` the part, `{v}` is/are.
const DONE_SAYINGS: &[&str] = &[
    "{p} {v} done",
    "{p} {v} final",
    "{p} {v} finished",
    "{p} {v} ready",
    "{p} already {v} written",
    "I've got {p} done",
    "{p} already exist",
];

/// What the goal asks next, and the skill that must be asked.
const ASKS: &[(&str, &str)] = &[
    (
        "now I need schema.yaml with field descriptions",
        "metadata-manager",
    ),
    (
        "only the unit test fixtures and expect.yaml",
        "sql-test-generator",
    ),
    (
        "bigconfig freshness monitoring please",
        "bigconfig-generator",
    ),
];

#[test]
fn a_part_the_goal_says_is_done_is_not_asked() {
    let mut n = 0;
    for (i, (part, verb, maker)) in DONE_PARTS.iter().enumerate() {
        for (j, saying) in DONE_SAYINGS.iter().enumerate() {
            let (ask, wanted) = ASKS[(i + j) % ASKS.len()];
            let said = saying.replace("{p}", part).replace("{v}", verb);
            let goal = format!("{said}, {ask} for telemetry_derived.clients_daily_v1");
            let (pack, ids) = asked(&goal);
            assert_eq!(pack, "bigquery-etl", "{goal:?}");
            assert!(
                !ids.iter().any(|id| id == maker),
                "{goal:?}: {maker} asked although the goal says it is done: {ids:?}"
            );
            assert!(
                ids.iter().any(|id| id == wanted),
                "{goal:?}: {wanted} not asked: {ids:?}"
            );
            n += 1;
        }
    }
    assert_eq!(n, DONE_PARTS.len() * DONE_SAYINGS.len());
}

/// "final" or "done" before the thing it describes is not a cue: "the final
/// mart" is still to build.
#[test]
fn done_words_before_a_noun_say_nothing_exists() {
    for goal in [
        "write the query for the final revenue table in telemetry_derived",
        "new query.sql for the done_orders table in telemetry_derived",
    ] {
        let (_, ids) = asked(goal);
        assert!(
            ids.iter().any(|id| id == "query-writer"),
            "{goal:?}: query-writer not asked: {ids:?}"
        );
    }
}

/// Several parts joined by "and" before "already exist" / "are done" are
/// all said to exist; the part asked for is still asked.
#[test]
fn parts_joined_by_and_all_exist() {
    let exists = [
        "the transforms and the warehouse already exist",
        "the dbt transforms and the warehouse schema are done",
        "transforms and warehouse tables are final",
    ];
    let asks = [
        "add the kafka streaming ingestion leg",
        "only the streaming part: kafka into flink",
    ];
    for e in exists {
        for a in asks {
            for goal in [format!("{e}, {a}"), format!("{a}. {e}")] {
                let (pack, ids) = asked(&goal);
                assert_eq!(pack, "data-engineering", "{goal:?}");
                for never in ["transforming-data", "architecting-data"] {
                    assert!(
                        !ids.iter().any(|id| id == never),
                        "{goal:?}: {never} asked: {ids:?}"
                    );
                }
                assert!(
                    ids.iter().any(|id| id == "streaming-data"),
                    "{goal:?}: streaming-data not asked: {ids:?}"
                );
            }
        }
    }
}

/// A part the goal rules out is not asked even when the pack requires it
/// (it stays among the assumed skills, its defaults only).
#[test]
fn a_required_skill_the_goal_rules_out_is_not_asked() {
    for goal in [
        "rewrite the slowest queries from pg_stat_statements, no schema changes allowed",
        "tune the slow postgres query. no schema changes",
        "optimize the slow postgres query, no schema changes allowed",
    ] {
        let (pack, ids) = asked(goal);
        assert_eq!(pack, "data-engineering", "{goal:?}");
        assert!(
            !ids.iter().any(|id| id == "architecting-data"),
            "{goal:?}: architecting-data asked: {ids:?}"
        );
        assert!(
            ids.iter().any(|id| id == "optimizing-sql"),
            "{goal:?}: optimizing-sql not asked: {ids:?}"
        );
    }
}

/// "relationships" tests between dbt models are dbt tests: the Power BI
/// semantic model is asked only when the goal speaks of BI.
#[test]
fn dbt_relationships_tests_do_not_ask_for_the_semantic_model() {
    let facts = ["fct_orders", "fct_trips", "fct_sessions"];
    let dims = ["dim_customer", "dim_zone", "dim_date"];
    for (i, f) in facts.iter().enumerate() {
        let d = dims[(i + 1) % dims.len()];
        for goal in [
            format!("relationships tests between {f} and {d}"),
            format!("add unique, not_null and relationships tests for {f} and {d}"),
        ] {
            let (pack, ids) = asked(&goal);
            assert_eq!(pack, "dbt-workflows", "{goal:?}");
            assert!(
                !ids.iter().any(|id| id == "powerbi-modeler"),
                "{goal:?}: powerbi-modeler asked: {ids:?}"
            );
        }
        let goal = format!("power bi relationships from {f} to {d} in the semantic model");
        let (_, ids) = asked(&goal);
        assert!(
            ids.iter().any(|id| id == "powerbi-modeler"),
            "{goal:?}: powerbi-modeler not asked: {ids:?}"
        );
    }
}

/// A read-only scope said either way round ("report only", "just a
/// report", "only research") asks for an analysis, not a change.
#[test]
fn read_only_scopes_either_way_round_ask_for_an_analysis() {
    read_only_asks(&[
        "list the airflow tasks that retried most last month",
        "how often does the orders dag miss its sla",
        "summarise which pipelines failed most this quarter",
    ]);
}

/// Known gap (`-- --ignored`): a tool's own words ("dbt models") outweigh
/// the read-only scope, in either order ("report only" too): dbt-workflows
/// wins or ties.
#[test]
#[ignore = "known gap: dbt models outweigh a read-only scope"]
fn read_only_scopes_outweigh_a_tools_own_words() {
    read_only_asks(&["which dbt models took longest in the last 20 runs"]);
}

fn read_only_asks(asks: &[&str]) {
    let scopes = [
        "just a report",
        "only a report",
        "report only",
        "just research",
        "only research",
        "research only",
    ];
    for (i, ask) in asks.iter().enumerate() {
        for (j, scope) in scopes.iter().enumerate() {
            let goal = if (i + j) % 2 == 0 {
                format!("{ask}, {scope}")
            } else {
                format!("{scope}: {ask}")
            };
            let (pack, _) = asked(&goal);
            assert_eq!(pack, "pipeline-analysis", "{goal:?}");
        }
    }
}
