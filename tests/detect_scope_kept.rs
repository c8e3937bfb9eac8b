//! Parts a goal says are fine, correct, verified or kept, and parts it
//! points back at ("query is correct, don't edit it", "flow code is fine,
//! no changes to it", "dbt side is verified, dont rebuild anything there"):
//! the skill that makes the part is neither asked nor written, while the
//! skill asked for is. Generated over every pack's parts × the ways people
//! say a part is kept × the order of the clauses, with contrasts where the
//! same part is the ask (so the rule cannot pass by ruling everything out)
//! and where "X is fine" picks a kind of thing rather than keeping one.

mod common;

use common::evalgoals::bundled;
use skillchain::detect::{blueprint_chain, detect};

/// The pack, the asked chain and the skills `run` writes files for (as the
/// evaluation counts them: the blueprint's chain, or the full chain without
/// the answers-only skills).
fn written(goal: &str) -> (String, Vec<String>, Vec<String>) {
    let registry = bundled();
    let d = detect(registry, goal).unwrap_or_else(|e| panic!("{goal:?} matched nothing: {e}"));
    let pack = registry.get(&d.inner.pack).expect("detected pack loads");
    let offered = d
        .inner
        .offer
        .as_deref()
        .and_then(|b| pack.blueprints.iter().find(|x| x.id == b));
    let chain = match offered {
        Some(b) => blueprint_chain(pack, &d.inner, b),
        None => d.inner.chain.clone(),
    };
    let ids: Vec<String> = chain.iter().map(|e| e.id.clone()).collect();
    let writes = if offered.is_some() {
        ids.clone()
    } else {
        let only = d.inner.answers_only(pack);
        d.inner
            .full_chain(pack)
            .into_iter()
            .map(|e| e.id)
            .filter(|id| !only.contains(id))
            .collect()
    };
    (d.inner.pack, ids, writes)
}

/// One pack's part: how people name it, the skill that makes it, and asks
/// that need that skill's answers (the skill each ask must keep).
struct Part {
    pack: &'static str,
    names: &'static [&'static str],
    maker: &'static str,
    asks: &'static [(&'static str, &'static str)],
}

const PARTS: &[Part] = &[
    Part {
        pack: "bigquery-etl",
        names: &["query", "query.sql", "the query", "the sql"],
        maker: "query-writer",
        asks: &[
            (
                "baseline_clients_daily_v1 schema.yaml has no column descriptions and the owners in metadata.yaml left last year, fix the docs side",
                "metadata-manager",
            ),
            (
                "sql unit test for mobile_search_clients_v1 keeps erroring, the fixture for the source table is missing. regenerate the fixtures",
                "sql-test-generator",
            ),
        ],
    },
    Part {
        pack: "dbt-workflows",
        names: &["dbt side", "the dbt side"],
        maker: "dim-modeler",
        asks: &[
            (
                "Power BI semantic model: add a relationship fct_sales -> dim_promo and a YoY sales measure",
                "powerbi-modeler",
            ),
            (
                "power bi total revenue doesnt match the mart, I think the relationships in the semantic model are wrong",
                "powerbi-modeler",
            ),
        ],
    },
];

/// Ways of saying a part is kept; `{p}` is the part.
const KEPT: &[&str] = &[
    "{p} is fine",
    "{p} is correct",
    "{p} is verified",
    "{p} is reviewed",
    "{p} is approved",
    "{p} is fine, dont touch it",
    "{p} is correct, don't edit it",
    "{p} is verified, dont rebuild anything there",
    "{p} is written + reviewed already, pls dont touch it",
    "{p} is fine, no changes to it",
    "{p} is good as is",
];

#[test]
fn a_part_said_fine_correct_or_kept_is_neither_asked_nor_written() {
    let mut n = 0;
    for part in PARTS {
        for name in part.names {
            for (k, kept) in KEPT.iter().enumerate() {
                let (ask, wanted) = part.asks[k % part.asks.len()];
                let said = kept.replace("{p}", name);
                for goal in [format!("{ask}. {said}"), format!("{ask}, {said}")] {
                    let (pack, ids, writes) = written(&goal);
                    assert_eq!(pack, part.pack, "{goal:?}");
                    assert!(
                        ids.iter().any(|id| id == wanted),
                        "{goal:?}: {wanted} not asked: {ids:?}"
                    );
                    assert!(
                        !ids.iter().any(|id| id == part.maker),
                        "{goal:?}: {} asked although the goal keeps it: {ids:?}",
                        part.maker
                    );
                    assert!(
                        !writes.iter().any(|id| id == part.maker),
                        "{goal:?}: {} written although the goal keeps it: {writes:?}",
                        part.maker
                    );
                    n += 1;
                }
            }
        }
    }
    assert_eq!(n, (4 + 2) * KEPT.len() * 2);
}

/// Contrast: the same part named as the ask is asked, so the rule above
/// cannot pass by ruling the part out wherever it is named.
#[test]
fn the_same_part_asked_for_is_asked() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "the query for baseline_clients_daily_v1 is wrong, rewrite the query and fix the docs in schema.yaml",
            "bigquery-etl",
            "query-writer",
        ),
        (
            "query is fine but slow, rewrite the query.sql as an incremental query and update metadata.yaml",
            "bigquery-etl",
            "query-writer",
        ),
        (
            "Power BI semantic model: add a relationship fct_sales -> dim_promo and a YoY sales measure, and add a new dim_promo dimension in dbt",
            "dbt-workflows",
            "dim-modeler",
        ),
    ];
    for (goal, pack, wanted) in cases {
        let (got, ids, _) = written(goal);
        assert_eq!(&got, pack, "{goal:?}");
        assert!(
            ids.iter().any(|id| id == wanted),
            "{goal:?}: {wanted} not asked: {ids:?}"
        );
    }
}

/// Contrast: "X is fine" that picks a kind of thing ("type 1 is fine",
/// "batch is fine", "a daily load is fine") keeps nothing: the work it
/// qualifies is still asked.
#[test]
fn a_kind_said_fine_is_a_choice_not_a_kept_part() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "new dimension dim_promo_code in dbt, type 1 is fine",
            "dbt-workflows",
            "dim-modeler",
        ),
        (
            "raw -> staging -> marts as dbt models on duckdb. batch is fine",
            "data-engineering",
            "transforming-data",
        ),
        (
            "new dimension dim_store in dbt, scd1 is fine",
            "dbt-workflows",
            "dim-modeler",
        ),
    ];
    for (goal, pack, wanted) in cases {
        let (got, ids, _) = written(goal);
        assert_eq!(&got, pack, "{goal:?}");
        assert!(
            ids.iter().any(|id| id == wanted),
            "{goal:?}: {wanted} not asked: {ids:?}"
        );
    }
}

/// Parts joined by "and" said fine, "can't change X", and a thing said to
/// live on a platform already ("creds already sit in vault"): none of
/// them is asked or written.
#[test]
fn joined_parts_cant_change_and_a_thing_living_on_a_platform_are_kept() {
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "bigeye alerts on clients_daily_v6 are noisy, regenerate bigconfig.yml with saner thresholds. the query and fixtures are fine",
            "bigquery-etl",
            "bigconfig-generator",
            &["query-writer", "sql-test-generator"],
        ),
        (
            "bigeye alerts on clients_daily_v6 are noisy, regenerate bigconfig.yml with saner thresholds. the query and the tests are fine",
            "bigquery-etl",
            "bigconfig-generator",
            &["query-writer", "sql-test-generator"],
        ),
        (
            "snowflake warehouses are oversized, right-size them and set auto-suspend. we can't change the dbt models",
            "data-engineering",
            "architecting-data",
            &["transforming-data"],
        ),
        (
            "snowflake warehouses are oversized, right-size them and set auto-suspend. we cannot change the dbt models",
            "data-engineering",
            "architecting-data",
            &["transforming-data"],
        ),
        (
            "fivetran lands hubspot in bigquery, need the dbt transforms. creds already sit in vault",
            "data-engineering",
            "transforming-data",
            &["secret-management"],
        ),
        (
            "fivetran lands hubspot in bigquery, need the dbt transforms. the keys already live in vault",
            "data-engineering",
            "transforming-data",
            &["secret-management"],
        ),
    ];
    for (goal, pack, wanted, kept) in cases {
        let (got, ids, writes) = written(goal);
        assert_eq!(&got, pack, "{goal:?}");
        assert!(
            ids.iter().any(|id| id == wanted),
            "{goal:?}: {wanted} not asked: {ids:?}"
        );
        for k in *kept {
            assert!(
                !writes.iter().any(|id| id == k),
                "{goal:?}: {k} written: {writes:?}"
            );
        }
    }
}

/// A platform that exists does not outweigh the work the goal asks in the
/// skill's own words ("fivetran already lands X, need the dbt transforms"),
/// while a platform a required skill sets up, said to exist, settles it.
#[test]
fn a_platform_that_exists_settles_only_what_the_goal_does_not_ask() {
    for goal in [
        "fivetran already lands salesforce into RAW. build the dbt transform layer on top",
        "fivetran already lands hubspot + ga4 in bigquery, need the dbt transforms",
    ] {
        let (_, ids, _) = written(goal);
        assert!(
            ids.iter().any(|id| id == "transforming-data"),
            "{goal:?}: transforming-data not asked: {ids:?}"
        );
    }
    for goal in [
        "dagster is decided, pls don't reopen that. need CDC off the orders db via debezium plus stripe webhooks landing in bronze",
        "we're on prefect, not reopening that. CRM api pull: incremental w/ pagination and checkpoints",
        "the orchestrator question is settled. CRM api pull: incremental w/ pagination and checkpoints",
    ] {
        let (pack, ids, writes) = written(goal);
        assert_eq!(pack, "data-orchestration", "{goal:?}");
        assert!(ids.iter().any(|id| id == "ingestion"), "{goal:?}: {ids:?}");
        assert!(
            !writes.iter().any(|id| id == "orchestrator"),
            "{goal:?}: orchestrator written although decided: {writes:?}"
        );
    }
}
