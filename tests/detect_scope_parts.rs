//! Parts a goal rules out or says exist without naming the skill's own
//! keyword: a list after a negation ("skip streaming and vault"), a side of
//! the work ("the dbt side is done", "batch side is fine dont touch it"),
//! the rest of the work ("nothing else", "the rest of the pipeline is
//! fine"), a done part named by a word of the skill's work ("the analysis is
//! done") and a part another team owns ("Bigeye is owned by the DQ team,
//! leave it alone"). Each is generated over parts × ways of saying it ×
//! positions, with contrasts in which the same words must not rule the part
//! out.

mod common;

use common::evalgoals::{bundled, check_asked as check};
use skillchain::detect::detect;

/// (part as people name it, the skill that makes it)
const DE_PARTS: &[(&str, &str)] = &[
    ("streaming", "streaming-data"),
    ("vault", "secret-management"),
    ("kafka", "streaming-data"),
    ("secrets", "secret-management"),
    ("monitoring", "performance-engineering"),
];

/// Every later item of a list after a negation is ruled out too.
#[test]
fn every_item_of_a_list_after_a_negation_is_ruled_out() {
    let forms = [
        "skip {a} and {b}",
        "no {a} and no {b}",
        "no {a} or {b}",
        "without {a} and {b}",
        "leave out {a} and {b}",
    ];
    let ask = "landing tables in duckdb, dbt stg + mart on top";
    let mut n = 0;
    for (i, (a, sa)) in DE_PARTS.iter().enumerate() {
        for (b, sb) in DE_PARTS.iter().skip(i + 1) {
            if sa == sb {
                continue;
            }
            for form in forms {
                let neg = form.replace("{a}", a).replace("{b}", b);
                for goal in [
                    format!("small pipeline pls: {ask}. {neg}, local only for now"),
                    format!("{neg}. small pipeline: {ask}"),
                ] {
                    check(&goal, "data-engineering", &["transforming-data"], &[sa, sb]);
                    n += 1;
                }
            }
        }
    }
    assert_eq!(n, 80);
}

/// "and" before a verb starts a new ask: the part after it is asked.
#[test]
fn and_before_a_new_ask_ends_the_list() {
    for goal in [
        "skip streaming and set up vault for the warehouse creds",
        "no kafka and move the secrets into vault",
    ] {
        check(goal, "data-engineering", &["secret-management"], &[]);
    }
}

/// A side of the work by its tool or kind ("the dbt side", "batch side")
/// said to be done, fine or someone else's: the skills of that side are
/// not asked; the side asked for is.
#[test]
fn a_side_said_done_or_ruled_out_is_not_asked() {
    let sayings = [
        "{t} side is done",
        "the {t} side is done already",
        "{t} side is done, don't rebuild",
        "the {t} side is someone elses job",
        "{t} side is fine dont touch it",
        "{t} side is fine, leave it alone",
        "no {t} changes",
    ];
    let pbi = [
        "PBI semantic model needs relationships to dim_vendor and an avg fare measure",
        "power bi semantic model: relationships for the new dim_vehicle, DAX measure for avg fare",
        "add total_fare and avg_tip measures to the Power BI semantic model on top of fct_orders",
    ];
    let stream = [
        "Kinesis consumer lags ~20 min at peak and the Flink job keeps OOMing. fix the stream job",
        "the kafka consumer group falls behind, fix the streaming job",
    ];
    let mut n = 0;
    for s in sayings {
        for ask in pbi {
            let side = s.replace("{t}", "dbt");
            for goal in [format!("{ask}. {side}"), format!("{side}. {ask}")] {
                check(
                    &goal,
                    "dbt-workflows",
                    &["powerbi-modeler"],
                    &["dbt-runner", "dbt-doctor", "dim-modeler"],
                );
                n += 1;
            }
        }
        for ask in stream {
            let side = s.replace("{t}", "batch");
            let goal = format!("{ask}, {side}");
            check(
                &goal,
                "data-engineering",
                &["streaming-data"],
                &["transforming-data"],
            );
            n += 1;
        }
    }
    assert_eq!(n, sayings.len() * (pbi.len() * 2 + stream.len()));
}

/// Contrast: the other side ruled out leaves this one asked, and a goal
/// that names the side's own work outside the ruling keeps it.
#[test]
fn the_side_asked_for_stays() {
    check(
        "the power bi side is done, dbt build the marts and run the tests",
        "dbt-workflows",
        &["dbt-runner"],
        &["powerbi-modeler"],
    );
    check(
        "PBI semantic model needs relationships to dim_vendor and an avg fare measure",
        "dbt-workflows",
        &["powerbi-modeler", "dim-modeler"],
        &[],
    );
}

/// "nothing else", "the rest of the pipeline is fine", "the pipeline
/// itself is fine": only what the goal names is asked; a skill named only
/// by a platform it runs on (snowflake) is context.
#[test]
fn the_rest_said_fine_asks_only_what_is_named() {
    let rests = [
        "nothing else",
        "nothing else in scope",
        "the rest of the pipeline is fine",
        "the pipeline itself is fine",
        "Nothing else, the pipeline itself is fine",
        "everything else stays as it is",
    ];
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "bad rows in the churn dashboard: add schema checks, row-count anomaly detection (alert on >25% swing) and a quarantine tbl",
            "data-orchestration",
            &["validation"],
            &["orchestrator", "ingestion"],
        ),
        (
            "rotate the snowflake service account key and move it into AWS Secrets Manager",
            "data-engineering",
            &["secret-management"],
            &["architecting-data", "optimizing-sql"],
        ),
        (
            "bigconfig freshness + volume checks for telemetry_derived.clients_daily_v1",
            "bigquery-etl",
            &["bigconfig-generator"],
            &["query-writer", "sql-test-generator"],
        ),
    ];
    for rest in rests {
        for (ask, pack, wanted, never) in cases {
            for goal in [format!("{ask}. {rest}"), format!("{ask}; {rest}.")] {
                check(&goal, pack, wanted, never);
            }
        }
    }
}

/// Contrast: without the rest said fine, the pack's required skills are
/// asked as before, so the test above can fail.
#[test]
fn without_the_rest_said_fine_required_skills_stay() {
    check(
        "bad rows in the churn dashboard: add schema checks, row-count anomaly detection (alert on >25% swing) and a quarantine tbl",
        "data-orchestration",
        &["validation", "orchestrator"],
        &[],
    );
    check(
        "nothing else works, so build the whole orchestrated pipeline with ingestion and validation",
        "data-orchestration",
        &["orchestrator", "ingestion", "validation"],
        &[],
    );
}

/// A done part named by a word of the skill's work ("the analysis",
/// "the scoping") is not asked; the part asked for is.
#[test]
fn a_done_part_named_by_its_work_is_not_asked() {
    let sayings = [
        "the analysis is done, findings are in the ticket",
        "analysis is finished",
        "the analysis is already done",
        "we did the analysis already",
    ];
    for s in sayings {
        for goal in [
            format!("need an implementation plan for monitoring + alerting on the nightly dbt job, w/ rollback. {s}"),
            format!("{s}. write the rollback plan for the orchestra migration"),
        ] {
            check(&goal, "pipeline-analysis", &["planning-changes"], &["scoping-analysis"]);
        }
    }
    // Contrast: analysis asked for.
    check(
        "impact analysis of dropping the legacy orders pipeline, then a rollback plan",
        "pipeline-analysis",
        &["scoping-analysis", "planning-changes"],
        &[],
    );
}

/// A part another team owns, with or without "leave it alone" after it.
#[test]
fn a_part_another_team_owns_is_not_asked() {
    let parts = ["Bigeye", "monitoring", "the bigconfig"];
    let sayings = [
        "{p} is owned by the DQ team, leave it alone",
        "{p} belongs to another team",
        "{p} is owned by the data quality team",
        "{p} belongs to the DQ team so leave it out of it",
    ];
    let ask = "firefox_desktop_derived.crash_counts_v1 from crash_v4, grain client_id x day. write the query and fixtures";
    for p in parts {
        for s in sayings {
            let said = s.replace("{p}", p);
            for goal in [format!("{ask}. {said}"), format!("{said}. {ask}")] {
                check(
                    &goal,
                    "bigquery-etl",
                    &["query-writer", "sql-test-generator"],
                    &["bigconfig-generator"],
                );
            }
        }
    }
    // Contrast: our own team owns it and asks for it.
    check(
        "we own the bigeye monitoring for telemetry_derived.clients_daily_v1, add freshness checks",
        "bigquery-etl",
        &["bigconfig-generator"],
        &[],
    );
}

/// The schema's design ruled out in a tuning goal that names the platform
/// (snowflake): the platform is context, the design is not asked.
#[test]
fn design_ruled_out_beside_a_platform_name_is_not_asked() {
    let outs = [
        "don't redesign the tables",
        "do NOT redesign the schema",
        "no schema changes",
        "don't touch the schema",
    ];
    let asks = [
        "the query behind fct_sessions takes 4 min in Snowflake. tune it",
        "fct_events x dim_user join does a full scan in snowflake. just tune the sql",
    ];
    for o in outs {
        for a in asks {
            for goal in [format!("{a}, but {o}"), format!("{o}. {a}")] {
                check(
                    &goal,
                    "data-engineering",
                    &["optimizing-sql"],
                    &["architecting-data"],
                );
            }
        }
    }
    // Contrast: the design asked for.
    check(
        "tune the slow query in snowflake and redesign the schema as a star schema",
        "data-engineering",
        &["optimizing-sql", "architecting-data"],
        &[],
    );
}

/// (ways of asking for the part alone, the rest of the goal, pack, the
/// skill asked, skills settled)
type AloneCase = (
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

/// "X only" / "just the X part" / "just the X" as a clause of its own asks
/// for the part X names alone, at the start or the end of the goal.
#[test]
fn a_part_asked_alone_settles_the_rest() {
    let cases: &[AloneCase] = &[
        (
            &["SQL only", "sql only, no infra changes", "just the sql part"],
            "EXPLAIN ANALYZE shows a seq scan on events for the user lookup. add the right index or rewrite the query",
            "data-engineering",
            "optimizing-sql",
            &["architecting-data"],
        ),
        (
            &["just the secrets part", "secrets only", "only the secrets"],
            "hashicorp vault dynamic database creds for the pipeline service account",
            "data-engineering",
            "secret-management",
            &["architecting-data"],
        ),
        (
            &["just the review", "review only", "just the review pls"],
            "review my PR, 3 new stg models + changes to dim_zone",
            "dbt-workflows",
            "code-reviewer",
            &["dbt-runner", "data-modeler"],
        ),
        (
            &["diagnose only", "just the diagnosis"],
            "compilation error 'dbt_utils' is undefined in int_rides_enriched",
            "dbt-workflows",
            "dbt-doctor",
            &["code-reviewer", "dbt-runner"],
        ),
    ];
    for (cues, ask, pack, wanted, never) in cases {
        for cue in *cues {
            for goal in [format!("{cue}: {ask}"), format!("{ask}. {cue}")] {
                check(&goal, pack, &[wanted], never);
            }
        }
    }
}

/// Contrast: a mode of the work ("research only", "batch only", "findings
/// only") or "only" inside an ask narrows nothing.
#[test]
fn a_mode_or_an_only_inside_an_ask_settles_nothing() {
    check(
        "clustering keys + warehouse sizing for a 5TB events tbl in snowflake, batch only, no kafka",
        "data-engineering",
        &["architecting-data"],
        &["streaming-data"],
    );
    check(
        "why did last night's dbt job fail? go through run_results.json + manifest, list the failed nodes. findings only, don't change anything",
        "pipeline-analysis",
        &["reading-run-artifacts", "writing-findings"],
        &[],
    );
    check(
        "INV-57 flaky unique_fct_orders_order_id. fails some nights only. pull the run artifacts, find the pattern, write it up",
        "pipeline-analysis",
        &["reading-run-artifacts", "writing-findings"],
        &[],
    );
}

/// "skip the code review, I'm the reviewer": the person of a ruled-out
/// work asks for nothing; the reviewer asked for is still asked.
#[test]
fn the_person_of_ruled_out_work_asks_nothing() {
    for goal in [
        "Add dim_driver as an SCD type 2 snapshot; skip the code review, I'm the reviewer.",
        "no code review needed, I'm the reviewer. add dim_driver as an SCD type 2 snapshot",
    ] {
        check(goal, "dbt-workflows", &["dim-modeler"], &["code-reviewer"]);
    }
    check(
        "Add dim_driver as an SCD type 2 snapshot and get a code review from a second reviewer",
        "dbt-workflows",
        &["dim-modeler", "code-reviewer"],
        &[],
    );
}

/// "the query is next sprint", "tests are for a later PR": a part said to
/// come later is not asked now.
#[test]
fn a_part_said_to_come_later_is_not_asked() {
    for later in [
        "query is next sprint",
        "the query is for next sprint",
        "query is in a later PR",
        "the sql is for a follow-up ticket",
    ] {
        let goal = format!(
            "pin down grain, upstream tables, full refresh vs incremental and partition col for telemetry_derived.attribution_v1. reqs first, {later}"
        );
        check(
            &goal,
            "bigquery-etl",
            &["model-requirements"],
            &["query-writer"],
        );
    }
    check(
        "write the query for telemetry_derived.attribution_v1, tests are next",
        "bigquery-etl",
        &["query-writer"],
        &[],
    );
}

/// "just tell me ..." only looks: the skills whose work is to change
/// things (the plan) are not asked; "tell me ... and fix it" still fixes.
#[test]
fn just_tell_me_only_looks() {
    for goal in [
        "run_results.json attached, just tell me which models errored vs skipped",
        "just tell me which nodes failed in last night's run_results.json",
        "manifest + run_results from the 02:00 run: only tell me what failed",
    ] {
        check(
            goal,
            "pipeline-analysis",
            &["reading-run-artifacts"],
            &["planning-changes"],
        );
    }
    check(
        "go through run_results.json, tell me which models failed, then write an implementation plan with rollback",
        "pipeline-analysis",
        &["reading-run-artifacts", "planning-changes"],
        &[],
    );
}

/// A side said done is work, not a tool chosen: a blueprint that would
/// build that side ("new dim_vehicle") does not bring its skills back.
#[test]
fn a_side_said_done_is_not_rebuilt_by_a_blueprint() {
    for side in [
        "dbt side is done already",
        "the dbt side is done",
        "no dbt changes",
    ] {
        let goal = format!(
            "power bi semantic model: relationships for the new dim_vehicle, hide the surrogate keys, DAX measure for avg fare. {side}"
        );
        let d = detect(bundled(), &goal).expect("matches");
        let pack = bundled().get(&d.inner.pack).expect("pack");
        let ids: Vec<String> = match d.inner.offer.as_deref() {
            Some(_) => d.inner.full_chain(pack).into_iter().map(|e| e.id).collect(),
            None => d.inner.chain.iter().map(|e| e.id.clone()).collect(),
        };
        assert!(d.inner.offer.is_none(), "{goal:?}: {:?}", d.inner.offer);
        assert!(
            ids.iter().any(|i| i == "powerbi-modeler"),
            "{goal:?}: {ids:?}"
        );
        for never in ["dbt-runner", "dim-modeler"] {
            assert!(
                !ids.iter().any(|i| i == never),
                "{goal:?}: {never} in {ids:?}"
            );
        }
    }
}

/// The thing a skill makes, named by the word its keywords share ("the
/// tbl", "the query"), said to exist: that skill is not asked; a longer
/// term holding the word ("schema registry already exists") is that term's
/// thing, and the skill it would have named is still asked.
#[test]
fn the_thing_a_skill_makes_said_to_exist_is_not_asked() {
    for done in [
        "tbl already exists",
        "the table already exists",
        "the table exists and has been green for months",
    ] {
        for goal in [
            format!("add bigconfig.yml for telemetry_derived.clients_daily_v1: freshness + volume anomaly on row count. {done}"),
            format!("{done}; bigconfig freshness + volume checks for telemetry_derived.clients_daily_v1"),
        ] {
            check(&goal, "bigquery-etl", &["bigconfig-generator"], &["query-writer"]);
        }
    }
    for done in [
        "the query is fine",
        "the query itself is fine, leave it alone",
    ] {
        let goal =
            format!("{done}. add p95 latency monitoring and grafana dashboards for the warehouse");
        check(
            &goal,
            "data-engineering",
            &["performance-engineering"],
            &["optimizing-sql"],
        );
    }
    check(
        "kafka streams job joining orders and payments, sink to clickhouse. schema registry already exists. also design the target tbl, partition by day",
        "data-engineering",
        &["streaming-data", "architecting-data"],
        &[],
    );
}
