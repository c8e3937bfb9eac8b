//! More ways a goal says how things stand that ask nothing of a skill
//! (issue 12, must-not skills): a report asked without a plan; a rate of
//! failures ("503s a couple times a week") that is no schedule; a BI tool
//! that is not hooked up or was switched off; a piece of work "on" or "of"
//! something said to be done; "whoever is on call" (a rota, not a person
//! who owns the work). Each sweep crosses openings with phrasings;
//! controls ask for the same work in the same words.

mod common;

use common::evalgoals::{cross, sweep};

const REPORTS: [&str; 4] = [
    "summarise this morning's failed dbt nodes and their parents from run_results.json for the next shift",
    "write up which tests failed in last night's prod run from the run artifacts, with the upstream models",
    "go through the manifest.json and run_results.json of the failed job and report the erroring nodes",
    "findings from the last 5 run_results files: which tests fail every time and which only sometimes",
];

#[test]
fn a_report_asked_without_a_plan_asks_no_plan() {
    let no_plan = [
        "no plan needed",
        "a plan is not needed here",
        "recommendations aren't wanted here",
        "the plan can wait for phase 2",
        "skip the implementation plan",
        "recommendations are for another ticket",
    ];
    let goals = cross(&REPORTS, &no_plan, |r, n| format!("{r}. {n}"));
    assert_eq!(goals.len(), 24);
    sweep(
        &goals,
        "pipeline-analysis",
        &["reading-run-artifacts", "writing-findings"],
        &["planning-changes"],
    );
}

#[test]
fn a_report_with_a_plan_asks_the_plan() {
    let with_plan = [
        "then a plan to fix them with validation and rollback",
        "and a rollback plan for each fix",
        "and recommend what to change, each with the test that proves it",
    ];
    let goals = cross(&REPORTS, &with_plan, |r, p| format!("{r}, {p}"));
    sweep(
        &goals,
        "pipeline-analysis",
        &[
            "reading-run-artifacts",
            "planning-changes",
            "writing-findings",
        ],
        &[],
    );
}

#[test]
fn a_report_without_a_plan_is_written_and_validated() {
    let dir = std::env::temp_dir().join(format!("sc-report-no-plan-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_skillchain"))
        .args([
            "run",
            "--defaults",
            "--no-prefs",
            "--out",
            dir.to_str().expect("temp dir is text"),
            "write up the failed nodes of last night's run for the handoff, no plan needed",
        ])
        .env("HOME", &dir)
        .output()
        .expect("skillchain runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Without run artifacts the report asks for them (exit 1, "needs
    // attention"); the findings themselves are complete.
    assert!(
        stdout.contains("Chain scoping-analysis → reading-run-artifacts → writing-findings\n"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!dir.join("integration-plan.md").exists(), "{stdout}");
    let findings = std::fs::read_to_string(dir.join("findings.md")).expect("findings.md written");
    assert!(findings.contains("## Recommendations\n"), "{findings}");
    assert!(
        findings.contains("## Implementation plan\n\nNo implementation plan was asked for"),
        "{findings}"
    );
    assert!(
        findings.contains("reaches the team's alert channel"),
        "{findings}"
    );
    assert!(stdout.contains("✓ Writing the findings"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_rate_of_failures_asks_no_schedule() {
    let things = [
        "the vendor api 503s",
        "the zendesk extract fails",
        "our salesforce pull times out",
        "the hubspot load breaks",
    ];
    let rates = [
        "a couple times a week",
        "twice a day",
        "three times a week",
        "several times per month",
    ];
    let stated = cross(&things, &rates, |t, r| format!("{t} {r}"));
    let goals = cross(
        &stated.iter().map(String::as_str).collect::<Vec<_>>(),
        &["add retries with exponential backoff and a slack alert after the last attempt"],
        |s, a| format!("{s}. {a}"),
    );
    assert_eq!(goals.len(), 16);
    sweep(
        &goals,
        "data-orchestration",
        &["error-handling"],
        &["orchestrator"],
    );
}

#[test]
fn a_run_asked_a_number_of_times_a_day_is_scheduled() {
    let goals: Vec<String> = [
        "orchestrate the shopify orders refresh twice a day into postgres with retries",
        "schedule the hubspot extract three times a day in airflow, with retries and alerts",
        "run the salesforce load four times a day with prefect and alert on failure",
    ]
    .iter()
    .map(|g| g.to_string())
    .collect();
    sweep(&goals, "data-orchestration", &["orchestrator"], &[]);
}

#[test]
fn a_bi_tool_not_hooked_up_or_switched_off_is_not_asked() {
    let off = [
        "power bi isn't hooked up yet",
        "PBI isn't connected yet",
        "power bi was decommissioned last quarter",
        "we disconnected Power BI last month",
        "the power bi workspace got switched off",
    ];
    let asks = [
        "new fact for refunds, one row per refund, FKs to dim_customer and dim_date, incremental, seeds so it builds on duckdb",
        "dim_store with scd type 2 on region and format, tests and seeds for local duckdb",
    ];
    let goals = cross(&asks, &off, |a, o| format!("{a}. {o}, leave it"));
    assert_eq!(goals.len(), 10);
    sweep(
        &goals,
        "dbt-workflows",
        &["dim-modeler"],
        &["powerbi-modeler"],
    );
}

#[test]
fn a_bi_tool_not_hooked_up_is_asked_when_the_goal_asks_to_set_it_up() {
    let goals: Vec<String> = [
        "power bi isn't hooked up yet, can you set up the semantic model on fct_refunds with DAX measures",
        "PBI isn't connected yet. build the power bi semantic model for fct_sales: relationships and DAX measures",
    ]
    .iter()
    .map(|g| g.to_string())
    .collect();
    sweep(&goals, "dbt-workflows", &["powerbi-modeler"], &[]);
}

#[test]
fn work_on_or_of_a_thing_said_done_is_not_asked_again() {
    let done = [
        "the research on the tableau extract delays is done",
        "the docs research for the tableau extract delays is finished",
        "the research on tableau extract delays was done last sprint",
    ];
    let asks = [
        "just need findings.md and a readme from it",
        "only the findings report and the readme now",
    ];
    let goals = cross(&done, &asks, |d, a| format!("{d}, {a}"));
    sweep(
        &goals,
        "pipeline-analysis",
        &["writing-findings"],
        &["researching-documentation"],
    );
}

#[test]
fn research_asked_on_the_same_thing_is_asked() {
    let goals: Vec<String> = [
        "research on the tableau extract delays: what do the official docs say about extract refresh limits",
        "do the documentation research for the tableau extract delays, then findings.md",
    ]
    .iter()
    .map(|g| g.to_string())
    .collect();
    sweep(
        &goals,
        "pipeline-analysis",
        &["researching-documentation"],
        &[],
    );
}

#[test]
fn whoever_is_on_call_is_a_rota_not_an_owner() {
    let goals: Vec<String> = [
        "keep the inventory dashboard fresh hourly from the shopify api and postgres, with retries, dq checks, alerting and a runbook for whoever is on call",
        "hourly refresh of the orders mart from stripe with retries and a runbook for the person on call",
        "daily salesforce to snowflake load with retries, alerts and a runbook for whoever is on duty",
    ]
    .iter()
    .map(|g| g.to_string())
    .collect();
    sweep(
        &goals,
        "data-orchestration",
        &["error-handling", "orchestrator"],
        &[],
    );
}

#[test]
fn security_work_placed_in_a_layer_asks_no_transforms() {
    let placed = [
        "mask email and phone in silver",
        "hash the member ssn column in silver",
        "90 day retention on bronze",
        "audit log on who reads gold",
        "column-level access on the gold tables",
    ];
    let rest = [
        "least-privilege service account for the loader",
        "and the pii columns tagged for governance",
    ];
    let goals = cross(&placed, &rest, |p, r| {
        format!("PII work on the claims pipeline: {p}, {r}")
    });
    assert_eq!(goals.len(), 10);
    sweep(
        &goals,
        "data-orchestration",
        &["security"],
        &["layered-transforms"],
    );
}

#[test]
fn a_layer_named_as_the_work_asks_the_transforms() {
    let goals: Vec<String> = [
        "gold tables only, bronze and silver are owned by the ingest squad. add validation and alerting on top",
        "build silver and gold for inventory: dedupe to the latest version in silver, stock on hand per day in gold",
        "the silver layer for orders: cleanse and conform the raw rows, then mask the emails",
        "dq checks in silver for the orders pipeline, with the silver models built from bronze",
    ]
    .iter()
    .map(|g| g.to_string())
    .collect();
    sweep(&goals, "data-orchestration", &["layered-transforms"], &[]);
}

#[test]
fn a_source_answering_with_errors_runs_already_and_asks_for_no_whole_pipeline() {
    let sources = [
        "HubSpot gives us 429s",
        "the zendesk api returns 503s",
        "the stripe extract throws 500s",
    ];
    let falls = [
        "and the whole airflow dag dies",
        "and takes the whole run down with it",
    ];
    let asks = "need exponential backoff, a circuit breaker while it is down and an on-call runbook. the extractor code itself is fine";
    let stated = cross(&sources, &falls, |s, f| format!("{s} {f}"));
    let goals = cross(
        &stated.iter().map(String::as_str).collect::<Vec<_>>(),
        &[asks],
        |s, a| format!("{s}. {a}"),
    );
    assert_eq!(goals.len(), 6);
    sweep(
        &goals,
        "data-orchestration",
        &["error-handling"],
        &["ingestion"],
    );
    let offered: Vec<String> = goals
        .iter()
        .filter_map(|g| {
            let d = skillchain::detect::detect(common::evalgoals::bundled(), g).ok()?;
            d.inner.offer.map(|b| format!("{g:?} -> {b}"))
        })
        .collect();
    assert!(offered.is_empty(), "{}", offered.join("\n"));
}

#[test]
fn the_whole_pipeline_asked_for_keeps_its_blueprint() {
    for g in [
        "run the full thing: dlt ingest, then dbt build --select +fct_trips and dbt test. PBI isn't hooked up yet so stop after tests",
        "the whole pipeline end to end: dlt ingest, dbt build and dbt test, no power bi refresh",
    ] {
        let d = skillchain::detect::detect(common::evalgoals::bundled(), g).expect("matches");
        assert_eq!(d.inner.offer.as_deref(), Some("full-pipeline"), "{g}");
        assert!(
            !d.inner.chain.iter().any(|e| e.id == "powerbi-modeler"),
            "{g}: {:?}",
            d.inner.chain.iter().map(|e| &e.id).collect::<Vec<_>>()
        );
    }
}

/// "that's all", "thats it for now", "that section only": the work the
/// goal named is the whole ask; the report that closes an analysis is not
/// asked on top.
#[test]
fn thats_all_after_the_asked_work_asks_nothing_more() {
    let asks = [
        (
            "list the failed nodes and their messages from run_results.json",
            "reading-run-artifacts",
        ),
        (
            "which pipelines depend on stg_orders and what breaks downstream",
            "scoping-analysis",
        ),
    ];
    let ends = [
        "that's all",
        "thats it for now",
        "that is all, thanks",
        "that part only",
        "that's all for this ticket",
    ];
    for (ask, skill) in asks {
        let goals: Vec<String> = ends.iter().map(|e| format!("{ask}. {e}")).collect();
        sweep(
            &goals,
            "pipeline-analysis",
            &[skill],
            &["writing-findings", "planning-changes"],
        );
    }
    // A skill named by a side word ("register it in the dag") stays asked.
    let goals: Vec<String> = ends
        .iter()
        .map(|e| format!("register telemetry_derived.crashes_v1 in the bqetl_crash dag. {e}"))
        .collect();
    sweep(
        &goals,
        "bigquery-etl",
        &["metadata-manager"],
        &["model-requirements", "query-writer", "sql-test-generator"],
    );
}

/// Controls: "that's all we know" is context, not the end of the ask.
#[test]
fn thats_all_we_know_keeps_the_report() {
    let goals = [
        "the nightly dbt build failed twice this week; that's all we know. write up the findings from run_results.json".to_string(),
        "that is all the context: summarise the failures in run_results.json for the team".to_string(),
    ];
    sweep(&goals, "pipeline-analysis", &["writing-findings"], &[]);
}

/// Layers said to exist are places; another layer the goal asks for is
/// the layers' work ("bronze & silver exist, we only need gold").
#[test]
fn a_layer_asked_beside_layers_that_exist_asks_the_transforms() {
    let exist = [
        "bronze & silver exist",
        "bronze and silver are already there",
        "bronze is done",
    ];
    let asks = [
        "we only need gold",
        "build the gold tables for marketing",
        "gold aggregates per campaign are what's missing",
    ];
    let goals = cross(&exist, &asks, |e, a| format!("{e}, {a}"));
    sweep(&goals, "data-orchestration", &["layered-transforms"], &[]);
    // Control: every layer said to exist, other work asked on one.
    let goals = vec!["bronze, silver and gold all exist, add checks on gold".to_string()];
    sweep(
        &goals,
        "data-orchestration",
        &["validation"],
        &["layered-transforms"],
    );
    // A layer the data lands in is where the extraction writes.
    let goals: Vec<String> = [
        "silver and gold are already live",
        "silver/gold exist in dbt",
    ]
    .iter()
    .map(|e| format!("CDC from the postgres orders db into bronze. {e}"))
    .collect();
    sweep(
        &goals,
        "data-orchestration",
        &["ingestion"],
        &["layered-transforms"],
    );
}
