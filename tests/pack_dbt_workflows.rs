//! The bundled `dbt-workflows` pack through the real binary, without Python:
//! which goals detect it (and which belong to data-engineering instead), that
//! every workflow blueprint passes validation at its defaults, that a removed
//! file is named in NEEDS ATTENTION, that replaying the answers file gives the
//! same bytes, and that the answers (SCD type, grain, scope, failure point)
//! change the generated project and the workflow report.

mod common;

use common::{code, detect_json, pack_examples, sc_bundled, stderr, stdout, tree};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|e| e["id"].as_str().expect("id").to_string())
        .collect()
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

fn out_dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("dbt-workflow");
    (tmp, out)
}

fn run_blueprint(blueprint: &str, out: &Path) -> Output {
    sc_bundled(&[
        "run",
        "dbt workflow",
        "--blueprint",
        blueprint,
        "--defaults",
        "--out",
        path_str(out),
    ])
}

fn run_answers(yaml: &str, out: &Path) -> Output {
    let file = out.with_extension("answers.yaml");
    std::fs::write(&file, yaml).expect("answers file written");
    sc_bundled(&[
        "run",
        "--answers",
        path_str(&file),
        "--defaults",
        "--out",
        path_str(out),
    ])
}

fn validate(out: &Path) -> Output {
    sc_bundled(&["validate", path_str(out)])
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn answers_for(blueprint: &str, body: &str) -> String {
    format!(
        "skillchain: 1\npack: dbt-workflows\ngoal: dbt workflow\nblueprint: {blueprint}\n\
         answers:\n{body}"
    )
}

#[test]
fn workflow_goals_detect_the_pack_the_blueprint_and_the_chain() {
    let full = [
        "workflow-orchestrator",
        "data-modeler",
        "dim-modeler",
        "dbt-runner",
        "code-reviewer",
    ];
    // goal, blueprint offered, keyword-detected chain, chain `run` uses
    let cases: [(&str, &str, &[&str], &[&str]); 7] = [
        // "a new dimension" asks what the pack makes one with (`makes:`),
        // its dbt models too, before any blueprint.
        (
            "add a new dimension for drivers with scd type 2 history",
            "new-dimension",
            &[
                "workflow-orchestrator",
                "data-modeler",
                "dim-modeler",
                "dbt-runner",
            ],
            &full,
        ),
        (
            "snapshot vendor history as a slowly changing dimension",
            "new-dimension",
            &["workflow-orchestrator", "data-modeler", "dim-modeler"],
            &full,
        ),
        (
            "add a fact table for the trip process with an incremental dbt model",
            "new-fact-table",
            &[
                "workflow-orchestrator",
                "data-modeler",
                "dim-modeler",
                "dbt-runner",
            ],
            &full,
        ),
        (
            "run the full data pipeline and refresh the power bi model",
            "full-pipeline",
            &[
                "workflow-orchestrator",
                "data-modeler",
                "dim-modeler",
                "dbt-runner",
                "powerbi-modeler",
            ],
            &[
                "workflow-orchestrator",
                "data-modeler",
                "dim-modeler",
                "dbt-runner",
                "powerbi-modeler",
            ],
        ),
        (
            "dbt build failed on fct_trips, debug the pipeline failure",
            "debug-failure",
            &["workflow-orchestrator", "dbt-doctor", "dbt-runner"],
            &["workflow-orchestrator", "dbt-doctor", "dbt-runner"],
        ),
        (
            "dbt compilation error in stg_drivers, diagnose it",
            "debug-failure",
            &["workflow-orchestrator", "dbt-doctor", "dbt-runner"],
            &["workflow-orchestrator", "dbt-doctor", "dbt-runner"],
        ),
        // "our dbt project" names what the review looks at: the blueprint
        // runs no dbt (its skills are the three below).
        (
            "review the architecture of our dbt project before the pull request",
            "architecture-review",
            &["workflow-orchestrator", "data-modeler", "code-reviewer"],
            &["workflow-orchestrator", "data-modeler", "code-reviewer"],
        ),
    ];
    for (goal, blueprint, detected, chain) in cases {
        let det = detect_json(goal);
        assert_eq!(det["pack"], "dbt-workflows", "{goal}");
        assert_eq!(det["blueprint"], blueprint, "{goal}");
        let offer = det["blueprints"]
            .as_array()
            .expect("blueprints")
            .iter()
            .find(|b| b["id"] == blueprint)
            .expect("the blueprint is scored");
        assert_eq!(
            (offer["confidence"].as_u64(), offer["offered"].as_bool()),
            (Some(100), Some(true)),
            "{goal}"
        );
        assert_eq!(ids(&det["detected_chain"]), detected, "{goal}");
        assert_eq!(ids(&det["chain"]), chain, "{goal}");
    }
}

#[test]
fn the_packs_examples_detect_their_own_pack_and_never_the_other() {
    let ours = pack_examples("dbt-workflows");
    let theirs = pack_examples("data-engineering");
    assert_eq!((ours.len(), theirs.len()), (5, 5));
    for goal in &ours {
        assert_eq!(detect_json(goal)["pack"], "dbt-workflows", "{goal}");
    }
    for goal in &theirs {
        assert_eq!(detect_json(goal)["pack"], "data-engineering", "{goal}");
    }
}

#[test]
fn every_workflow_blueprint_passes_validation_with_default_answers() {
    let deliverables = [
        ("full-pipeline", 4),
        ("new-dimension", 4),
        ("new-fact-table", 4),
        ("debug-failure", 3),
        ("architecture-review", 3),
    ];
    for (blueprint, required) in deliverables {
        let (_tmp, out) = out_dir();
        let run = run_blueprint(blueprint, &out);
        assert_eq!(
            code(&run),
            0,
            "{blueprint}:\n{}{}",
            stdout(&run),
            stderr(&run)
        );
        let report = stdout(&run);
        assert!(
            report.contains(&format!("Blueprint:  {blueprint}\n")),
            "{report}"
        );
        assert!(
            report.contains(&format!(
                "Required: {required}  Fulfilled: {required}  Missing: 0  Incomplete: 0"
            )),
            "{blueprint}: {report}"
        );
        assert!(report.trim_end().ends_with("PASS"), "{blueprint}: {report}");
        let again = validate(&out);
        assert_eq!(code(&again), 0, "{blueprint}: {}", stdout(&again));
    }
}

#[test]
fn a_removed_deliverable_file_turns_the_report_to_needs_attention_naming_it() {
    // ✗ when the deliverable has nothing left, ⚠ when other files remain.
    let cases = [
        (
            "new-dimension",
            "models/marts/dim_driver.sql",
            "⚠ Staging and dimension models — missing: models/marts/dim_*.sql (+1 more)",
        ),
        (
            "new-fact-table",
            "tests/assert_fct_trips_grain.sql",
            "⚠ Grain and foreign key tests — missing: tests/assert_fct_*_grain.sql",
        ),
        (
            "full-pipeline",
            "powerbi/measures.dax",
            "⚠ Power BI semantic model — missing: powerbi/measures.dax (+1 more)",
        ),
        (
            "debug-failure",
            "reports/diagnosis.md",
            "✗ Failure diagnosis — missing: reports/diagnosis.md",
        ),
        (
            "architecture-review",
            "reports/workflow_report.md",
            "✗ Workflow report — missing: reports/workflow_report.md",
        ),
    ];
    for (blueprint, file, line) in cases {
        let (_tmp, out) = out_dir();
        let run = run_blueprint(blueprint, &out);
        assert_eq!(code(&run), 0, "{blueprint}: {}", stdout(&run));
        std::fs::remove_file(out.join(file)).expect("generated file removed");
        let check = validate(&out);
        let report = stdout(&check);
        assert_eq!(code(&check), 1, "{blueprint}: {report}");
        assert!(report.contains(line), "{blueprint}: {report}");
        assert!(report.contains("NEEDS ATTENTION"), "{blueprint}: {report}");
    }
}

#[test]
fn a_workflow_report_check_fails_when_its_steps_are_cut() {
    let (_tmp, out) = out_dir();
    assert_eq!(code(&run_blueprint("new-dimension", &out)), 0);
    let report = read(&out, "reports/workflow_report.md");
    let cut = report
        .split("### Step 6: ")
        .next()
        .expect("text before step 6");
    std::fs::write(out.join("reports/workflow_report.md"), cut).expect("report rewritten");
    let check = validate(&out);
    assert_eq!(code(&check), 1, "{}", stdout(&check));
    assert!(
        stdout(&check).contains("⚠ Workflow report — all six steps are reported"),
        "{}",
        stdout(&check)
    );
}

#[test]
fn replaying_the_recorded_answers_gives_byte_identical_files() {
    let custom = answers_for(
        "new-fact-table",
        "  workflow-orchestrator:\n    scope: the trips fact and its driver dimension only\n\
         \x20 dim-modeler:\n    scd_type: scd2\n    snapshot_strategy: check\n    grain: daily\n",
    );
    for (what, first) in [("defaults", None), ("scd2 daily", Some(custom))] {
        let (_tmp, out) = out_dir();
        let run = match &first {
            None => run_blueprint("new-fact-table", &out),
            Some(yaml) => run_answers(yaml, &out),
        };
        assert_eq!(code(&run), 0, "{what}: {}{}", stdout(&run), stderr(&run));
        let (_tmp2, replay) = out_dir();
        let recorded = out.join(".skillchain/answers.yaml");
        let again = sc_bundled(&[
            "run",
            "--answers",
            path_str(&recorded),
            "--out",
            path_str(&replay),
        ]);
        assert_eq!(
            code(&again),
            0,
            "{what}: {}{}",
            stdout(&again),
            stderr(&again)
        );
        let (a, b) = (tree(&out), tree(&replay));
        assert!(a.len() > 10, "{what}: only {} files", a.len());
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{what}"
        );
        for (path, bytes) in &a {
            assert!(
                b.get(path) == Some(bytes),
                "{what}: {path} differs on replay"
            );
        }
    }
}

#[test]
fn the_scd_type_decides_between_an_overwriting_dimension_and_a_snapshot() {
    let (_tmp1, scd1) = out_dir();
    assert_eq!(code(&run_blueprint("new-dimension", &scd1)), 0);
    let dim1 = read(&scd1, "models/marts/dim_driver.sql");
    assert!(dim1.contains("-- dim_driver: SCD type 1"), "{dim1}");
    assert!(dim1.contains("{{ ref('stg_drivers') }}"), "{dim1}");
    assert!(!scd1.join("snapshots").exists());
    assert!(!scd1.join("tests/assert_one_current_driver.sql").exists());

    let (_tmp2, scd2) = out_dir();
    let run = run_answers(
        &answers_for("new-dimension", "  dim-modeler:\n    scd_type: scd2\n"),
        &scd2,
    );
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    let dim2 = read(&scd2, "models/marts/dim_driver.sql");
    assert!(dim2.contains("{{ ref('snap_driver') }}"), "{dim2}");
    for column in [
        "as valid_from",
        "as valid_to",
        "as is_current",
        "dbt_scd_id as driver_key",
    ] {
        assert!(dim2.contains(column), "{column} missing:\n{dim2}");
    }
    let snapshot = read(&scd2, "snapshots/snap_driver.yml");
    assert!(
        snapshot.contains("relation: ref('stg_drivers')"),
        "{snapshot}"
    );
    assert!(
        snapshot.contains("strategy: timestamp\n      updated_at: updated_at"),
        "{snapshot}"
    );
    assert!(scd2.join("tests/assert_one_current_driver.sql").is_file());
    let report = read(&scd2, "reports/workflow_report.md");
    assert!(
        report.contains("SCD type 2 through snapshots/snap_driver.yml (timestamp strategy)"),
        "{report}"
    );

    // The goal alone asks for history: type 2 with the check strategy when chosen.
    let (_tmp3, goal) = out_dir();
    let run = sc_bundled(&[
        "run",
        "add a new dimension for vendors with scd type 2 history",
        "--defaults",
        "--out",
        path_str(&goal),
    ]);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    assert!(goal.join("snapshots/snap_vendor.yml").is_file());
    assert!(goal.join("models/marts/dim_vendor.sql").is_file());
    let answers = read(&goal, ".skillchain/answers.yaml");
    assert!(
        answers.contains("scd_type:\n      value: scd2\n      source: goal-keyword"),
        "{answers}"
    );
}

#[test]
fn the_fact_grain_sets_keys_incremental_filter_and_grain_test() {
    let (_tmp1, event) = out_dir();
    assert_eq!(code(&run_blueprint("new-fact-table", &event)), 0);
    let fct = read(&event, "models/marts/fct_trips.sql");
    assert!(
        fct.starts_with("-- Grain: one row per trip (trip_id).\n"),
        "{fct}"
    );
    assert!(fct.contains("materialized='incremental'"), "{fct}");
    assert!(fct.contains("unique_key='trip_id'"), "{fct}");
    assert!(
        fct.contains("where updated_at > (select max(updated_at) from {{ this }})"),
        "{fct}"
    );
    let marts = read(&event, "models/marts/_marts.yml");
    assert!(marts.contains("to: ref('dim_driver')"), "{marts}");
    assert!(marts.contains("to: ref('dim_date')"), "{marts}");

    let (_tmp2, daily) = out_dir();
    let run = run_answers(
        &answers_for(
            "new-fact-table",
            "  dim-modeler:\n    grain: daily\n    date_dimension: false\n",
        ),
        &daily,
    );
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    let fct = read(&daily, "models/marts/fct_trips.sql");
    assert!(
        fct.contains("unique_key=['driver_key', 'trip_date']"),
        "{fct}"
    );
    assert!(
        fct.contains("sum(trips.fare_amount) as fare_amount"),
        "{fct}"
    );
    assert!(
        fct.contains("group by drivers.driver_key, trips.trip_date"),
        "{fct}"
    );
    let grain = read(&daily, "tests/assert_fct_trips_grain.sql");
    assert!(grain.contains("group by driver_key, trip_date"), "{grain}");
    assert!(!daily.join("models/marts/dim_date.sql").exists());
    assert!(!read(&daily, "models/marts/_marts.yml").contains("dim_date"));
}

#[test]
fn append_on_a_daily_grain_is_a_conflict_until_resolved() {
    let body =
        "  dim-modeler:\n    grain: daily\n  dbt-runner:\n    incremental_strategy: append\n";
    let (_tmp1, out) = out_dir();
    let refused = run_answers(&answers_for("new-fact-table", body), &out);
    assert_eq!(code(&refused), 2, "{}", stdout(&refused));
    assert!(
        stderr(&refused).contains("conflict append-with-daily-grain"),
        "{}",
        stderr(&refused)
    );
    assert!(
        !out.exists(),
        "nothing is written while the conflict is open"
    );

    let (_tmp2, out) = out_dir();
    let resolved = format!(
        "{}resolutions:\n  append-with-daily-grain: use-delete-insert\n",
        answers_for("new-fact-table", body)
    );
    let run = run_answers(&resolved, &out);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    assert!(
        read(&out, "models/marts/fct_trips.sql").contains("incremental_strategy='delete+insert'")
    );
}

#[test]
fn the_workflow_report_echoes_the_scope_and_reports_every_step_with_a_status() {
    let (_tmp, out) = out_dir();
    let run = run_answers(
        &answers_for(
            "full-pipeline",
            "  workflow-orchestrator:\n    scope: nightly rebuild of the trips mart only\n    on_failure: continue-independent\n",
        ),
        &out,
    );
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    let report = read(&out, "reports/workflow_report.md");
    assert!(
        report.starts_with("## Workflow: Full data pipeline\n"),
        "{report}"
    );
    assert!(
        report.contains("\nScope: nightly rebuild of the trips mart only\n"),
        "{report}"
    );
    assert!(
        report.contains("\nOn failure: skip the steps that depend on a failed step"),
        "{report}"
    );
    let steps: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("### Step "))
        .collect();
    assert_eq!(
        steps,
        [
            "### Step 1: Load the raw data with dlt",
            "### Step 2: Build everything upstream of fct_trips",
            "### Step 3: Validate with the data tests",
            "### Step 4: Refresh the Power BI semantic model",
        ]
    );
    let statuses: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("Status: "))
        .collect();
    assert_eq!(
        statuses,
        [
            "Status: Skipped",
            "Status: Pending (scripts/run_workflow.py runs it)",
            "Status: Pending (scripts/run_workflow.py runs it)",
            "Status: Skipped",
        ]
    );
    assert!(
        report.contains("Command: `dbt build --selector full_pipeline`\n"),
        "{report}"
    );
    assert!(
        report.contains("\n## Summary\n4 steps: 0 done, 2 open, 2 skipped.\n"),
        "{report}"
    );
    let runner = read(&out, "scripts/run_workflow.py");
    assert!(runner.contains("STOP_ON_FAILURE = False\n"), "{runner}");
    assert!(
        runner.contains("SCOPE = \"nightly rebuild of the trips mart only\"\n"),
        "{runner}"
    );
}

#[test]
fn a_known_failure_point_from_the_goal_shapes_the_diagnosis_and_rerun() {
    let (_tmp, out) = out_dir();
    let run = sc_bundled(&[
        "run",
        "dbt compilation error in stg_drivers, diagnose it",
        "--defaults",
        "--out",
        path_str(&out),
    ]);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    let diagnosis = read(&out, "reports/diagnosis.md");
    assert!(
        diagnosis.contains("\nFailure point: compilation\n"),
        "{diagnosis}"
    );
    assert!(diagnosis.contains("- [ ] Run `dbt parse`"), "{diagnosis}");
    let rerun = read(&out, "scripts/rerun_failed.sh");
    assert!(
        rerun.contains(
            "\ndbt build --select result:error+ result:fail+ --state target --fail-fast\n"
        ),
        "{rerun}"
    );
    let report = read(&out, "reports/workflow_report.md");
    assert!(report.contains("### Step 1: Identify the failure point (dlt or dbt)\nOwner: workflow-orchestrator\nStatus: Done"), "{report}");
    assert!(report.contains("### Step 5: Verify success"), "{report}");
}

#[test]
fn a_modelling_goal_without_a_workflow_phrase_still_generates_a_building_project() {
    let goal = "incremental dbt model for orders on snowflake";
    let det = detect_json(goal);
    assert_eq!(det["pack"], "dbt-workflows");
    assert_eq!(det["blueprint"], Value::Null);
    assert_eq!(
        ids(&det["chain"]),
        [
            "workflow-orchestrator",
            "data-modeler",
            "dim-modeler",
            "dbt-runner"
        ]
    );
    let (_tmp, out) = out_dir();
    let run = sc_bundled(&["run", goal, "--defaults", "--out", path_str(&out)]);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    assert!(
        stdout(&run).trim_end().ends_with("PASS"),
        "{}",
        stdout(&run)
    );
    assert!(read(&out, "models/marts/fct_trips.sql").contains("materialized='incremental'"));
    assert!(read(&out, "profiles.yml").contains("      type: snowflake\n"));
    assert!(read(&out, "reports/workflow_report.md").starts_with("## Workflow: Custom workflow\n"));
}

/// Generated names take the real English plural of the entity and process
/// (issue 10, item 10), for irregular and sibilant nouns alike.
#[test]
fn generated_names_use_real_plurals_for_every_kind_of_noun() {
    let cases = [
        ("category", "address", "categories", "addresses"),
        ("bus", "delivery", "buses", "deliveries"),
        ("person", "box", "people", "boxes"),
        ("order_item", "status", "order_items", "statuses"),
    ];
    for (entity, process, entities, processes) in cases {
        let (_tmp, out) = out_dir();
        let run = sc_bundled(&[
            "run",
            "dbt workflow",
            "--blueprint",
            "new-fact-table",
            "--defaults",
            "--set",
            &format!("dim-modeler.entity={entity}"),
            "--set",
            &format!("dim-modeler.process={process}"),
            "--out",
            path_str(&out),
        ]);
        assert_eq!(
            code(&run),
            0,
            "{entity}/{process}: {}{}",
            stdout(&run),
            stderr(&run)
        );
        for rel in [
            format!("models/staging/stg_{entities}.sql"),
            format!("models/staging/stg_{processes}.sql"),
            format!("models/marts/fct_{processes}.sql"),
            format!("seeds/raw/{entities}.csv"),
            format!("seeds/raw/{processes}.csv"),
        ] {
            assert!(out.join(&rel).is_file(), "{entity}/{process}: no {rel}");
        }
        let fct = read(&out, &format!("models/marts/fct_{processes}.sql"));
        assert!(
            !fct.contains(&format!("{process}s")) || processes == format!("{process}s"),
            "{fct}"
        );
        let sources = read(&out, "models/staging/_sources.yml");
        assert!(
            sources.contains(&format!("- name: {entities}\n")),
            "{sources}"
        );
    }
}

/// An entity and a process with the same plural are refused before anything
/// is written, naming both answers and the resolution (items 7 and 10).
#[test]
fn an_entity_named_like_the_process_is_refused_naming_both_answers() {
    for (entity, process) in [("trip", "trip"), ("trip", "trips"), ("datum", "data")] {
        let (_tmp, out) = out_dir();
        let run = sc_bundled(&[
            "run",
            "dbt workflow",
            "--blueprint",
            "new-fact-table",
            "--defaults",
            "--set",
            &format!("dim-modeler.entity={entity}"),
            "--set",
            &format!("dim-modeler.process={process}"),
            "--out",
            path_str(&out),
        ]);
        let err = stderr(&run);
        assert_eq!(code(&run), 2, "{entity}/{process}: {}{err}", stdout(&run));
        assert!(err.contains("conflict entity-is-process"), "{err}");
        assert!(
            err.contains("dim-modeler.entity and dim-modeler.process"),
            "{err}"
        );
        assert!(err.contains("use-driver-and-trip"), "{err}");
        assert!(!out.exists(), "nothing is written");
    }
}

/// Fact workflows refuse a model list without the fact, up front, instead
/// of writing a project that fails its own validation (item 7).
#[test]
fn fact_workflows_without_a_fact_are_a_conflict_not_needs_attention() {
    for blueprint in ["new-fact-table", "full-pipeline"] {
        let (_tmp, out) = out_dir();
        let run = sc_bundled(&[
            "run",
            "dbt workflow",
            "--blueprint",
            blueprint,
            "--defaults",
            "--set",
            "dim-modeler.models=dimension",
            "--out",
            path_str(&out),
        ]);
        let err = stderr(&run);
        assert_eq!(code(&run), 2, "{blueprint}: {}{err}", stdout(&run));
        assert!(err.contains("conflict fact-workflow-without-fact"), "{err}");
        assert!(err.contains("add-fact"), "{err}");
        let yaml = answers_for(
            blueprint,
            "  dim-modeler:\n    models: [dimension]\nresolutions:\n  fact-workflow-without-fact: add-fact\n",
        );
        let run = run_answers(&yaml, &out);
        assert_eq!(
            code(&run),
            0,
            "{blueprint}: {}{}",
            stdout(&run),
            stderr(&run)
        );
        assert!(out.join("models/marts/fct_trips.sql").is_file());
    }
}

/// `--fail-fast` reaches every place that runs dbt after a failure: the
/// rerun script and the runner's re-run step, for every rerun choice
/// (item 8).
#[test]
fn fail_fast_reaches_the_rerun_script_and_the_workflow_runner() {
    for rerun in ["failed-downstream", "full", "retry"] {
        for fail_fast in [true, false] {
            let (_tmp, out) = out_dir();
            let run = sc_bundled(&[
                "run",
                "dbt compilation error in stg_drivers, diagnose it",
                "--defaults",
                "--set",
                &format!("dbt-runner.rerun={rerun}"),
                "--set",
                &format!("dbt-runner.fail_fast={fail_fast}"),
                "--out",
                path_str(&out),
            ]);
            assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
            let script = read(&out, "scripts/rerun_failed.sh");
            let runner = out.join("scripts/run_workflow.py");
            let runner = if runner.is_file() {
                read(&out, "scripts/run_workflow.py")
            } else {
                String::new()
            };
            let report = read(&out, "reports/workflow_report.md");
            // `dbt retry` repeats the failed run's own flags.
            let expect = fail_fast && rerun != "retry";
            assert_eq!(
                script.contains("--fail-fast"),
                expect,
                "{rerun} {fail_fast}: {script}"
            );
            assert_eq!(
                report.contains("--fail-fast"),
                expect,
                "{rerun} {fail_fast}: {report}"
            );
            if !runner.is_empty() {
                assert_eq!(
                    runner.contains("\"--fail-fast\""),
                    expect,
                    "{rerun} {fail_fast}: {runner}"
                );
            }
        }
    }
}

/// dim_date's weekend flag uses the day-of-week numbering of the engine
/// dbt runs on, for every warehouse the pack offers (item 6).
#[test]
fn dim_date_picks_the_weekday_numbering_of_each_target() {
    let (_tmp, out) = out_dir();
    let run = run_blueprint("new-fact-table", &out);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    let sql = read(&out, "models/marts/dim_date.sql");
    for line in [
        "{% if target.type in ('bigquery',) %}\n    extract(dayofweek from date_day) in (1, 7) as is_weekend",
        "{% elif target.type in ('databricks', 'spark') %}\n    dayofweek(date_day) in (1, 7) as is_weekend",
        "{% elif target.type == 'snowflake' %}\n    dayofweekiso(date_day) in (6, 7) as is_weekend",
        "{% else %}\n    extract(dow from date_day) in (0, 6) as is_weekend",
    ] {
        assert!(sql.contains(line), "{sql}");
    }
}
