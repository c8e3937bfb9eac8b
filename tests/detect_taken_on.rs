//! Work someone else takes on ("metadata + tests are on Priya", "Priya is
//! doing the schema in her follow-up", "query and metadata i do myself",
//! "the metadata scaffolding separately") and a ruled-out part whose
//! reason reuses its words ("NO bigeye on this one, we're over our monitor
//! quota") are not asked (issue 12, must-not skills). Controls: the same
//! parts asked, or asked again after "but".

mod common;

use common::evalgoals::miss_unless;

/// The ask in bigquery-etl; `{T}` is the table.
const ASKS: &[&str] = &[
    "only the query.sql for {T}",
    "write the sql for {T}: group by submission_date and country",
    "bqetl query for {T}, one row per client_id per day",
];

const TABLES: &[&str] = &[
    "telemetry_derived.newtab_clicks_daily_v1",
    "ads_derived.tile_impressions_hourly_v2",
];

/// Ways to hand metadata and tests to someone; the skills they take.
const HANDED: &[(&str, &[&str])] = &[
    (
        "metadata + tests are on Priya",
        &["metadata-manager", "sql-test-generator"],
    ),
    ("the tests are on Marc", &["sql-test-generator"]),
    (
        "Priya is doing the metadata in her follow-up",
        &["metadata-manager"],
    ),
    (
        "Sam's doing the metadata scaffolding separately",
        &["metadata-manager"],
    ),
    ("tests i do myself", &["sql-test-generator"]),
    (
        "the unit tests we'll write ourselves",
        &["sql-test-generator"],
    ),
];

#[test]
fn work_someone_takes_on_is_not_asked() {
    let mut misses = Vec::new();
    let mut n = 0;
    for ask in ASKS {
        for table in TABLES {
            for (handed, skills) in HANDED {
                let goal = format!("{}. {handed}", ask.replace("{T}", table));
                n += 1;
                misses.extend(miss_unless(
                    &goal,
                    "bigquery-etl",
                    &["query-writer"],
                    skills,
                ));
            }
        }
    }
    assert_eq!(n, 36);
    assert!(
        misses.is_empty(),
        "{} of {n} goals asked work someone else takes on:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

/// A part ruled out, then its reason in the same sentence.
const RULED_WITH_REASON: &[&str] = &[
    "NO bigeye on this one, we're over our monitor quota",
    "no bigconfig, the dataset's monitoring is run by data SRE",
    "skip bigeye, freshness alerts already page the on-call",
];

#[test]
fn the_reason_for_ruling_a_part_out_does_not_ask_it_again() {
    let mut misses = Vec::new();
    for ask in ASKS {
        for table in TABLES {
            for ruled in RULED_WITH_REASON {
                let goal = format!("{}. {ruled}", ask.replace("{T}", table));
                misses.extend(miss_unless(
                    &goal,
                    "bigquery-etl",
                    &["query-writer"],
                    &["bigconfig-generator"],
                ));
            }
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// Asked again after a contrast, or asked outright: still asked.
#[test]
fn a_part_asked_again_is_asked() {
    let goals = [
        "bqetl query for telemetry_derived.newtab_clicks_daily_v1. no bigeye volume checks, but we need a freshness monitor",
        "only the query.sql and metadata for ads_derived.tile_impressions_hourly_v2; Priya is on holiday",
        "sql + unit tests for telemetry_derived.newtab_clicks_daily_v1, I'll review them myself",
    ];
    let wanted: [&[&str]; 3] = [
        &["bigconfig-generator"],
        &["metadata-manager"],
        &["sql-test-generator"],
    ];
    let misses: Vec<String> = goals
        .iter()
        .zip(wanted)
        .filter_map(|(g, w)| miss_unless(g, "bigquery-etl", w, &[]))
        .collect();
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}
