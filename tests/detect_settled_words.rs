//! General words of a skill's work ("pipeline", "transforms", "the
//! layers", "the extractor"), ruled out or said to exist, settle that
//! skill when nothing else in the goal asks for it (issue 12, must-not
//! skills; the pack field `keywords.settled_by`). Controls ask for the
//! work.

mod common;

use common::evalgoals::miss_unless;

/// Design-only asks in data-engineering.
const DESIGNS: &[&str] = &[
    "snowflake DDL for the retail warehouse: dim_store, dim_product, fct_sales, clustering keys",
    "data vault or kimball for the new claims warehouse? need the physical model and DDL",
    "storage layout for 40TB of sensor readings, partitioned by device and day, with the DDL",
];

/// Ways to keep the pipeline out.
const NO_PIPELINE: &[&str] = &[
    "no pipeline yet",
    "no pipelines yet, just the model",
    "don't change any pipeline logic",
    "the pipeline code is fine",
    "pipeline code is out of scope",
];

#[test]
fn a_pipeline_ruled_out_or_kept_asks_no_transforms() {
    let mut misses = Vec::new();
    let mut n = 0;
    for d in DESIGNS {
        for p in NO_PIPELINE {
            let goal = format!("{d}. {p}");
            n += 1;
            misses.extend(miss_unless(
                &goal,
                "data-engineering",
                &["architecting-data"],
                &["transforming-data"],
            ));
        }
    }
    assert_eq!(n, 15);
    assert!(
        misses.is_empty(),
        "{} of {n} goals asked the transforms:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

/// Governance asks in data-orchestration, each naming its place.
const GOVERNANCE: &[&str] = &[
    "mask email and phone in bronze, least-privilege service account for the loader",
    "PII: tokenize card numbers on the bronze tables, keep an access audit trail",
    "column-level security and a 90-day retention policy on bronze",
];

const KEPT: &[&str] = &[
    "transforms are fine as they are",
    "don't rebuild the layers",
    "the transformations stay as they are",
    "no changes to the transforms",
];

#[test]
fn transforms_ruled_out_or_kept_are_not_asked() {
    let mut misses = Vec::new();
    for g in GOVERNANCE {
        for k in KEPT {
            let goal = format!("{g}. {k}");
            misses.extend(miss_unless(
                &goal,
                "data-orchestration",
                &["security"],
                &["layered-transforms"],
            ));
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// The work asked by its own words is still asked.
#[test]
fn work_asked_by_its_own_words_is_asked() {
    let cases: [(&str, &str, &str); 4] = [
        (
            "build the pipeline for the orders feed with dbt and airflow, DDL for the marts too",
            "data-engineering",
            "transforming-data",
        ),
        (
            "batch ELT pipeline into snowflake with dbt transforms, no streaming",
            "data-engineering",
            "transforming-data",
        ),
        (
            "bronze/silver/gold for the inventory feed; the extractor code itself is fine",
            "data-orchestration",
            "layered-transforms",
        ),
        (
            "dedupe customers in silver, no changes to the extractor",
            "data-orchestration",
            "layered-transforms",
        ),
    ];
    let misses: Vec<String> = cases
        .iter()
        .filter_map(|(g, p, s)| miss_unless(g, p, &[s], &[]))
        .collect();
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}
