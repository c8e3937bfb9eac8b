//! A goal that names a fault of a table's metadata ("schema.yaml missing
//! column descriptions", "metadata is missing labels", "schema drifted")
//! works on a table that exists: it asks for the metadata, not for the
//! query beneath it. Words of the work that only stand inside the table's
//! name (`crash_counts_daily_v1`) ask for nothing either (issue 12,
//! must-not skills).

mod common;

use common::evalgoals::miss_unless;

const TABLES: &[&str] = &[
    "telemetry_derived.crash_counts_daily_v1",
    "org_mozilla_vpn_derived.subscriptions_daily_v1",
    "ads_derived.tile_clicks_aggregates_v2",
    "search_derived.mobile_search_counts_v1",
    "fenix_derived.attribution_clients_v1",
];

const FAULTS: &[&str] = &[
    "bqetl schema.yaml for {T} missing column descriptions",
    "metadata.yaml on {T} is missing owners and labels",
    "the schema.yaml of {T} drifted, regen it and fill in descriptions",
    "{T} metadata is outdated: owners left, description is wrong",
];

#[test]
fn a_metadata_fault_asks_the_metadata_not_the_query() {
    let mut misses = Vec::new();
    for f in FAULTS {
        for t in TABLES {
            let goal = f.replace("{T}", t);
            misses.extend(miss_unless(
                &goal,
                "bigquery-etl",
                &["metadata-manager"],
                &["query-writer", "model-requirements"],
            ));
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// Building the table anew still asks for its query.
#[test]
fn a_new_table_still_asks_its_query() {
    let mut misses = Vec::new();
    for t in TABLES {
        let goal = format!(
            "new bqetl table {t}: query.sql, metadata.yaml and schema.yaml with descriptions"
        );
        misses.extend(miss_unless(&goal, "bigquery-etl", &["query-writer"], &[]));
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// Owners, labels and a DAG slot for a table that exists: the words of its
/// name ("counts", "daily", "aggregates") ask for no query.
#[test]
fn words_inside_a_table_name_ask_for_no_query() {
    let asks = [
        "put {T} on bqetl_main_summary at 04:00 UTC and add owners",
        "add owners and a table description to {T}",
        "owners for {T} should be data-eng@, plus a description in metadata.yaml",
    ];
    let mut misses = Vec::new();
    for a in asks {
        for t in TABLES {
            let goal = a.replace("{T}", t);
            misses.extend(miss_unless(
                &goal,
                "bigquery-etl",
                &["metadata-manager"],
                &["query-writer"],
            ));
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}
