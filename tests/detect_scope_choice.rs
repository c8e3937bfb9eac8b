//! A tool or kind named in a negation or a deferral, when the pack requires
//! the skill that sets such a thing up, is a choice among its kind ("GCP
//! Workflows, not airflow" still needs an orchestrator); when the skill is
//! not required, the negation rules it out ("batch into snowflake, not
//! kafka"). Work put off without a preposition ("tests next sprint",
//! "transforms are a Q3 thing"), work another team owns ("alert routing is
//! the platform team's job", "DQ squad owns monitoring"), "nothing
//! realtime" and "Out of scope for this epic: secrets" are not asked.
//! Each family is generated over tools or parts × ways of saying it, with a
//! contrast where the same words ask for the work.

mod common;

use common::evalgoals::check_asked as check;

/// Ways of ruling one tool out while choosing another; `{x}` is chosen,
/// `{y}` ruled out.
const CHOICES: &[&str] = &[
    "{x}, not {y}",
    "on {x}, not {y}",
    "no {y}, we go with {x}",
    "{x} now, {y} later",
    "{x} now, {y} next quarter",
];

#[test]
fn a_tool_ruled_out_of_a_required_skill_is_a_choice_of_its_kind() {
    let orchestrators = ["airflow", "prefect", "dagster"];
    let ask = "webhook events -> bronze -> silver, validate, alert on fails";
    let mut n = 0;
    for y in orchestrators {
        for form in CHOICES {
            let said = form.replace("{x}", "GCP Workflows").replace("{y}", y);
            let goal = format!("{ask}. {said}");
            check(
                &goal,
                "data-orchestration",
                &["orchestrator", "validation"],
                &[],
            );
            n += 1;
        }
    }
    let warehouses = ["snowflake", "redshift", "databricks"];
    let ask = "kimball star schema DDL for raw trips and payments, spark jobs for the staged marts";
    for y in warehouses {
        for form in CHOICES {
            let said = form.replace("{x}", "duckdb locally").replace("{y}", y);
            let goal = format!("{ask} ({said})");
            check(
                &goal,
                "data-engineering",
                &["architecting-data", "transforming-data"],
                &[],
            );
            n += 1;
        }
    }
    for goal in [
        "hourly ML feature refresh (cloud-native, no self-hosted scheduler): ingest from the events API + validate",
        "hourly ML feature refresh, no dedicated scheduler box: ingest from the events API + validate",
    ] {
        check(goal, "data-orchestration", &["orchestrator"], &[]);
        n += 1;
    }
    assert_eq!(n, 3 * CHOICES.len() * 2 + 2);
}

/// Contrast: a skill the pack does not require is ruled out by its tool.
#[test]
fn a_tool_ruled_out_of_a_skill_not_required_rules_it_out() {
    for form in ["{x}, not {y}", "no {y}, we go with {x}", "{x} only, no {y}"] {
        for y in ["kafka", "kinesis", "flink"] {
            let said = form.replace("{x}", "nightly batch").replace("{y}", y);
            let goal = format!("orders from postgres into snowflake with dbt marts. {said}");
            check(
                &goal,
                "data-engineering",
                &["transforming-data"],
                &["streaming-data"],
            );
        }
    }
}

/// (the part as people name it, the skill that makes it, the ask, the skill it keeps)
const LATER_PARTS: &[(&str, &str, &str, &str)] = &[
    (
        "tests",
        "sql-test-generator",
        "weekly subscription churn from stripe_external as a bq derived table. walk me thru requirements then draft the query",
        "query-writer",
    ),
    (
        "transforms",
        "transforming-data",
        "lakehouse on s3 + iceberg for clickstream, DDL for the raw tbls partitioned by event_date",
        "architecting-data",
    ),
];

#[test]
fn work_put_off_without_a_preposition_is_not_asked() {
    let forms = [
        "{p} next sprint",
        "{p} next quarter",
        "{p} next PR",
        "{p} are a Q3 thing",
        "{p} are a later problem",
    ];
    let mut n = 0;
    for (part, maker, ask, kept) in LATER_PARTS {
        for form in forms {
            let said = form.replace("{p}", part);
            let pack = if *maker == "sql-test-generator" {
                "bigquery-etl"
            } else {
                "data-engineering"
            };
            for goal in [format!("{ask}; {said}"), format!("{ask}. {said}.")] {
                check(&goal, pack, &[kept], &[maker]);
                n += 1;
            }
        }
    }
    assert_eq!(n, LATER_PARTS.len() * forms.len() * 2);
}

/// Contrast: the same part asked, with "next" naming something else.
#[test]
fn next_before_what_is_asked_defers_nothing() {
    check(
        "weekly subscription churn from stripe_external as a bq derived table with unit tests, ready before the next release",
        "bigquery-etl",
        &["sql-test-generator"],
        &[],
    );
}

#[test]
fn work_another_team_owns_is_not_asked() {
    let forms = [
        "{p} is the platform team's job",
        "{p} is the SRE team's problem",
        "{p} is the DQ squad's responsibility",
    ];
    for form in forms {
        let said = form.replace("{p}", "alert routing");
        let goal =
            format!("DQ suite on silver only: completeness, ranges, uniqueness, freshness. {said}");
        check(
            &goal,
            "data-orchestration",
            &["validation"],
            &["error-handling"],
        );
    }
    check(
        "agg tbl for search metrics by engine/day in bq, incremental, w/ tests. DQ squad owns bigeye monitoring",
        "bigquery-etl",
        &["query-writer"],
        &["bigconfig-generator"],
    );
}

/// Contrast: the user's own team's job is asked.
#[test]
fn work_our_team_owns_is_asked() {
    check(
        "DQ suite on silver: completeness, ranges, freshness. alert routing to pagerduty is our team's job now",
        "data-orchestration",
        &["validation", "error-handling"],
        &[],
    );
}

#[test]
fn nothing_of_a_kind_rules_it_out_and_nothing_happening_does_not() {
    for kind in ["realtime", "streaming", "kafka"] {
        let goal = format!(
            "clean feature tables out of the raw app events, raw -> staging -> features as dbt models on duckdb. batch is fine, nothing {kind}"
        );
        check(
            &goal,
            "data-engineering",
            &["transforming-data"],
            &["streaming-data"],
        );
    }
    // A symptom: nothing arrives, the work that makes it arrive is asked.
    check(
        "nothing lands in bronze since monday from the hubspot api pull, fix the ingestion and add retries",
        "data-orchestration",
        &["ingestion"],
        &[],
    );
}

#[test]
fn out_of_scope_opening_its_clause_rules_out_what_follows() {
    let ask = "IoT telemetry platform, phase 1: Kafka ingestion of device events, Flink windowed aggs, land in ClickHouse; storage design + DDL";
    for cue in [
        "Out of scope for this epic",
        "Out of scope",
        "Not in scope for now",
    ] {
        let goal = format!("{ask}. {cue}: secrets (platform team has it).");
        check(
            &goal,
            "data-engineering",
            &["streaming-data", "architecting-data"],
            &["secret-management"],
        );
    }
    // Contrast: secrets named as part of the ask.
    check(
        &format!("{ask}. Secrets go in vault, the rest is out of scope"),
        "data-engineering",
        &["secret-management"],
        &[],
    );
}

/// "skip the review step, we'll do it in the PR": where the user does the
/// ruled-out work is no ask for it, and the rest of the build (running the
/// models) is still asked.
#[test]
fn work_the_user_takes_on_is_not_asked_and_the_rest_of_the_build_is() {
    let asks = [
        "new dim_employee from workday, SCD2",
        "new dimension dim_store in dbt, type 2 history on region",
    ];
    let skips = [
        "skip the review step",
        "no review needed",
        "skip code review",
    ];
    let takes = [
        "we'll do it in the PR",
        "I'll handle that in the PR",
        "we will cover it in the PR",
        "I'm the reviewer",
    ];
    let mut n = 0;
    for ask in asks {
        for skip in skips {
            for take in takes {
                let goal = format!("{ask}. {skip}, {take}");
                check(
                    &goal,
                    "dbt-workflows",
                    &["dim-modeler", "dbt-runner"],
                    &["code-reviewer"],
                );
                n += 1;
            }
        }
    }
    assert_eq!(n, asks.len() * skips.len() * takes.len());
}

/// Contrast: a review the goal asks for, named beside "I'll", is asked.
#[test]
fn a_review_asked_beside_the_user_is_asked() {
    check(
        "new dim_employee from workday, SCD2, then a code review of the PR before I merge it",
        "dbt-workflows",
        &["dim-modeler", "code-reviewer"],
        &[],
    );
}
