//! The bundled `pipeline-analysis` pack through the real binary, without
//! Python: which goals detect it (and which stay with data-engineering), that
//! its default report says no artifacts were given and is incomplete for
//! it (naming what to provide),
//! that hand-written dbt artifacts fill the report, that removing a promised
//! file or a recommendation's validation test fails validation, that replay
//! is byte-identical, and that missing or malformed artifacts are refused
//! with exit 2 and nothing written.

mod common;

use common::{detect_json as detect, detected_chain as chain};

use common::{code, repo, stderr, stdout, tree};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn out_dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("pipeline-analysis");
    (tmp, out)
}

fn artifacts() -> String {
    repo()
        .join("tests/fixtures/dbt/artifacts")
        .to_string_lossy()
        .into_owned()
}

const FAILED_GOAL: &str = "analyze why our dbt pipeline failed last night";
/// The same analysis with the plan asked for: planning-changes answers.
const PLAN_GOAL: &str = "analyze why our dbt pipeline failed last night and plan the fixes";

fn run(goal: &str, out: &Path, sets: &[String]) -> Output {
    let mut cmd = Command::new(common::bin());
    cmd.args(["--no-color", "run", goal, "--defaults", "--out"])
        .arg(out)
        .env("NO_COLOR", "1");
    for s in sets {
        cmd.arg("--set").arg(s);
    }
    cmd.output().expect("skillchain runs")
}

fn validate(out: &Path) -> Output {
    Command::new(common::bin())
        .args(["--no-color", "validate"])
        .arg(out)
        .env("NO_COLOR", "1")
        .output()
        .expect("skillchain runs")
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const BASE: [&str; 2] = ["scoping-analysis", "writing-findings"];

#[test]
fn analysis_goals_detect_this_pack_and_their_chains() {
    // The plan is asked only when the goal asks for one (a fix, a
    // recommendation, a plan): "analyze why it failed" is a diagnosis.
    let with_runs: Vec<&str> = vec![
        "scoping-analysis",
        "reading-run-artifacts",
        "writing-findings",
    ];
    let planned_runs: Vec<&str> = vec![
        "scoping-analysis",
        "reading-run-artifacts",
        "planning-changes",
        "writing-findings",
    ];
    let with_docs: Vec<&str> = vec![
        "scoping-analysis",
        "researching-documentation",
        "writing-findings",
    ];
    let cases: [(&str, &Vec<&str>); 7] = [
        (FAILED_GOAL, &with_runs),
        (PLAN_GOAL, &planned_runs),
        (
            "review pipeline run history and recommend fixes",
            &planned_runs,
        ),
        ("investigate slow dbt models", &with_runs),
        (
            "research integration options for our orchestration",
            &with_docs,
        ),
        (
            "find the root cause of the failing tests in run_results.json",
            &with_runs,
        ),
        (
            "write findings and recommendations for our orchestra pipelines",
            &vec![
                "scoping-analysis",
                "researching-documentation",
                "planning-changes",
                "writing-findings",
            ],
        ),
    ];
    for (goal, skills) in cases {
        let det = detect(goal);
        assert_eq!(det["pack"], "pipeline-analysis", "{goal}");
        assert_eq!(chain(&det), *skills, "{goal}");
        assert!(BASE.iter().all(|b| skills.contains(b)));
    }
}

#[test]
fn data_engineering_examples_stay_with_data_engineering_and_ours_stay_here() {
    let text = std::fs::read_to_string(repo().join("skillchains/data-engineering/pack.yaml"))
        .expect("data-engineering pack.yaml");
    let manifest: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    let examples = manifest["examples"].as_sequence().expect("examples");
    assert_eq!(examples.len(), 5);
    for goal in examples {
        let goal = goal.as_str().expect("text");
        assert_eq!(detect(goal)["pack"], "data-engineering", "{goal}");
    }
    let ours = std::fs::read_to_string(repo().join("skillchains/pipeline-analysis/pack.yaml"))
        .expect("pipeline-analysis pack.yaml");
    let ours: serde_yaml::Value = serde_yaml::from_str(&ours).expect("YAML");
    for goal in ours["examples"].as_sequence().expect("examples") {
        let goal = goal.as_str().expect("text");
        assert_eq!(detect(goal)["pack"], "pipeline-analysis", "{goal}");
    }
}

#[test]
fn defaults_without_artifacts_write_a_coherent_report_that_says_it_is_incomplete() {
    let (_tmp, out) = out_dir();
    let o = run(FAILED_GOAL, &out, &[]);
    // A report built without its run evidence is not a passing one: the
    // analysis says what to provide (issue 11, 9c).
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    // The goal asks why it failed, not for a plan: planning-changes is not
    // in the chain and no integration-plan.md is written.
    assert!(stdout(&o).contains("Completeness: 66%"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("⚠ Reading run artifacts — the analysis holds run evidence (give reading-run-artifacts.artifacts dbt's target/ folder with run_results.json and manifest.json, then generate again)"),
        "{}",
        stdout(&o)
    );
    let files: Vec<String> = tree(&out).into_keys().collect();
    assert_eq!(
        files,
        [
            "README.md",
            "findings.md",
            "scope.md",
            "workflow-analysis.md"
        ]
    );
    let findings = read(&out, "findings.md");
    assert!(!findings.contains("integration-plan.md"), "{findings}");
    assert!(!read(&out, "README.md").contains("integration-plan.md"));
    assert!(findings.contains("No run artifacts were given, so this report holds no run evidence."));
    assert!(findings.contains("### R1: Keep the run artifacts of every scheduled run\n"));
    assert!(findings.contains("### R2: Alert on failures and runs over budget\n"));
    assert!(read(&out, "workflow-analysis.md").contains(
        "## Failed and erroring nodes\n\nNo artifacts given: failures cannot be listed."
    ));
    assert_eq!(code(&validate(&out)), 1);
}

#[test]
fn artifacts_fill_failures_messages_timings_parents_and_one_recommendation_each() {
    let (_tmp, out) = out_dir();
    let o = run(
        "investigate slow dbt models",
        &out,
        &[format!("reading-run-artifacts.artifacts={}", artifacts())],
    );
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let wa = read(&out, "workflow-analysis.md");
    for line in [
        "| nodes run | 6 |",
        "| failed tests | 1 |",
        "| errors | 1 |",
        "| skipped | 1 |",
        "### model.shop.stg_payments\n\n- Status: error\n- Message: Runtime Error in model stg_payments (models/staging/stg_payments.sql) Binder Error: column \"amount_cents\" not found\n- Execution time: 0.125 s\n",
        "| test.shop.accepted_values_stg_orders_status.1a2b3c | 2 | Got 2 results, configured to fail if != 0 | 0.031 |",
        "| node | status | time (s) |\n|---|---|---|\n| model.shop.stg_orders | success | 72.25 |\n| seed.shop.raw_orders | success | 0.4 |\n",
        "### test.shop.accepted_values_stg_orders_status.1a2b3c\n\n- Direct parents: model.shop.stg_orders\n- All upstream nodes: model.shop.stg_orders, seed.shop.raw_orders\n",
        "- Direct parents: source.shop.billing.payments\n",
        "## Skipped because of upstream failures\n\n- model.shop.fct_payments\n",
    ] {
        assert!(wa.contains(line), "missing {line:?} in:\n{wa}");
    }
    let findings = read(&out, "findings.md");
    let titles: Vec<&str> = findings
        .lines()
        .filter(|l| l.starts_with("### R"))
        .collect();
    // "slow" in the goal lowers the slow threshold to 30 s: stg_orders (72.25 s) qualifies.
    assert_eq!(
        titles,
        [
            "### R1: Fix the error in stg_payments",
            "### R2: Make the test accepted_values_stg_orders_status pass again",
            "### R3: Bring stg_orders under 30.0 s",
            "### R4: Alert on failures and runs over budget",
        ]
    );
    // No plan asked: the tests run in "a test environment", not a named one.
    assert!(findings.contains("- Validation test: `dbt build --select accepted_values_stg_orders_status` in a test environment reports status pass with 0 failing rows (was 2).\n"));
    assert!(findings.contains("## Implementation plan\n\nNo implementation plan was asked for"));
    assert_eq!(findings.matches("- Validation test: ").count(), 4);
    assert_eq!(code(&validate(&out)), 0);
}

#[test]
fn removing_a_promised_report_needs_attention_naming_it() {
    let (_tmp, out) = out_dir();
    let given = [format!("reading-run-artifacts.artifacts={}", artifacts())];
    assert_eq!(code(&run(FAILED_GOAL, &out, &given)), 0);
    std::fs::remove_file(out.join("workflow-analysis.md")).expect("removed");
    let v = validate(&out);
    let report = stdout(&v);
    assert_eq!(code(&v), 1, "{report}");
    assert!(
        report.contains("✗ Reading run artifacts — missing: workflow-analysis.md\n"),
        "{report}"
    );
    assert!(report.contains("Completeness: 66%"), "{report}");
    assert!(report.contains("NEEDS ATTENTION"), "{report}");
}

#[test]
fn a_recommendation_without_its_validation_test_needs_attention() {
    let (_tmp, out) = out_dir();
    let o = run(
        FAILED_GOAL,
        &out,
        &[format!("reading-run-artifacts.artifacts={}", artifacts())],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let path = out.join("findings.md");
    let text = std::fs::read_to_string(&path).expect("findings");
    let line = "- Validation test: `dbt build --select stg_payments+` in a test environment finishes with no error and runs the nodes skipped today.\n";
    assert!(text.contains(line), "{text}");
    std::fs::write(&path, text.replacen(line, "", 1)).expect("written");
    let v = validate(&out);
    let report = stdout(&v);
    assert_eq!(code(&v), 1, "{report}");
    assert!(
        report.contains(
            "⚠ Writing the findings — every recommendation carries the test that validates it"
        ),
        "{report}"
    );
}

#[test]
fn replaying_the_recorded_answers_writes_byte_identical_files() {
    let (tmp, out) = out_dir();
    let o = run(
        FAILED_GOAL,
        &out,
        &[format!("reading-run-artifacts.artifacts={}", artifacts())],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let replay = tmp.path().join("replay");
    let o = Command::new(common::bin())
        .args(["--no-color", "run", "--answers"])
        .arg(out.join(".skillchain/answers.yaml"))
        .arg("--out")
        .arg(&replay)
        .env("NO_COLOR", "1")
        .output()
        .expect("skillchain runs");
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let first = tree(&out);
    assert_eq!(first.len(), 4);
    assert_eq!(first, tree(&replay));
    assert!(String::from_utf8_lossy(&first["findings.md"]).contains("stg_payments"));
}

#[test]
fn missing_artifacts_are_refused_with_every_other_problem_and_nothing_written() {
    let (tmp, out) = out_dir();
    let gone = tmp.path().join("target").to_string_lossy().into_owned();
    let o = run(
        PLAN_GOAL,
        &out,
        &[
            format!("reading-run-artifacts.artifacts={gone}"),
            "planning-changes.success_target=20".to_string(),
        ],
    );
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    assert_eq!(
        stderr(&o),
        format!(
            "error: nothing was written (2 problems):\n\
             \x20 - --set planning-changes.success_target: 20 is not a whole number from 50 to 100\n\
             \x20 - --set reading-run-artifacts.artifacts: folder not found: {gone}; point it at dbt's target/ folder (the one holding run_results.json and manifest.json)\n"
        )
    );
    assert!(!out.exists());

    // A folder without manifest.json names the missing file.
    let half = tmp.path().join("half");
    std::fs::create_dir(&half).expect("dir");
    std::fs::copy(
        repo().join("tests/fixtures/dbt/artifacts/run_results.json"),
        half.join("run_results.json"),
    )
    .expect("copied");
    let o = run(
        FAILED_GOAL,
        &out,
        &[format!(
            "reading-run-artifacts.artifacts={}",
            half.display()
        )],
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains(&format!(
            "--set reading-run-artifacts.artifacts: file not found: {}/manifest.json; point it at dbt's target/ folder",
            half.display()
        )),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
}

#[test]
fn malformed_artifacts_are_refused_with_line_and_column_from_an_answers_file_too() {
    let (tmp, out) = out_dir();
    let bad = tmp.path().join("bad");
    std::fs::create_dir(&bad).expect("dir");
    std::fs::write(bad.join("run_results.json"), "{\n  \"results\": [\n").expect("written");
    std::fs::write(bad.join("manifest.json"), "{}").expect("written");
    let answers = tmp.path().join("answers.yaml");
    std::fs::write(
        &answers,
        format!(
            "skillchain: 1\npack: pipeline-analysis\ngoal: {FAILED_GOAL}\nanswers:\n  reading-run-artifacts:\n    artifacts: {}\n",
            bad.display()
        ),
    )
    .expect("written");
    let o = Command::new(common::bin())
        .args(["--no-color", "run", "--defaults", "--answers"])
        .arg(&answers)
        .arg("--out")
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .expect("skillchain runs");
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    assert_eq!(
        stderr(&o),
        format!(
            "error: nothing was written:\n  - {}: answers.reading-run-artifacts.artifacts: {}/run_results.json:3:1: not valid JSON: EOF while parsing a list; regenerate the file or point at another one\n",
            answers.display(),
            bad.display()
        )
    );
    assert!(!out.exists());
}

#[test]
fn a_typed_folder_that_does_not_load_is_refused_inline_in_the_plain_journey() {
    let (tmp, out) = out_dir();
    let gone = tmp.path().join("target").to_string_lossy().into_owned();
    // confirm · skip the scoping skill · a missing folder · the fixture · done · write · yes
    let input = format!("\nskip skill\n{gone}\n{}\ndone\nwrite\ny\n", artifacts());
    let o = common::piped(
        &[
            "--no-color".as_ref(),
            FAILED_GOAL.as_ref(),
            "--plain".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ],
        &input,
    );
    let text = stdout(&o);
    assert_eq!(code(&o), 0, "{text}{}", stderr(&o));
    assert!(
        text.contains(&format!("✗ folder not found: {gone}; point it at dbt's target/ folder (the one holding run_results.json and manifest.json)\n")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Where is dbt's target/ folder with run_results.json and manifest.json: {} (typed)",
            artifacts()
        )),
        "{text}"
    );
    assert!(read(&out, "workflow-analysis.md").contains("### model.shop.stg_payments\n"));
}

#[test]
fn default_answers_of_every_example_goal_with_its_evidence_pass_validation() {
    let text = std::fs::read_to_string(repo().join("skillchains/pipeline-analysis/pack.yaml"))
        .expect("pack.yaml");
    let manifest: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    for goal in manifest["examples"].as_sequence().expect("examples") {
        let goal = goal.as_str().expect("text");
        let (_tmp, out) = out_dir();
        // A chain that reads run artifacts is given them.
        let reads_runs = chain(&detect(goal))
            .iter()
            .any(|s| s == "reading-run-artifacts");
        let given: Vec<String> = if reads_runs {
            vec![format!("reading-run-artifacts.artifacts={}", artifacts())]
        } else {
            Vec::new()
        };
        let o = run(goal, &out, &given);
        assert_eq!(code(&o), 0, "{goal}: {}{}", stdout(&o), stderr(&o));
        assert!(stdout(&o).ends_with("PASS\n"), "{goal}: {}", stdout(&o));
        assert_eq!(code(&validate(&out)), 0, "{goal}");
    }
}

#[test]
fn a_goal_that_asks_for_the_plan_gets_integration_plan_md_and_the_pointers_to_it() {
    let (_tmp, out) = out_dir();
    let o = run(
        "analyze why our dbt pipeline failed last night and write an implementation plan for the fix",
        &out,
        &[format!("reading-run-artifacts.artifacts={}", artifacts())],
    );
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let files: Vec<String> = tree(&out).into_keys().collect();
    assert_eq!(
        files,
        [
            "README.md",
            "findings.md",
            "integration-plan.md",
            "scope.md",
            "workflow-analysis.md"
        ]
    );
    assert!(read(&out, "findings.md").contains(
        "Steps, validation procedures, monitoring and rollback in detail: integration-plan.md.\n"
    ));
    assert!(read(&out, "README.md").contains("| integration-plan.md | implementation steps"));
    assert!(stdout(&o).contains("Completeness: 100%"), "{}", stdout(&o));
}

#[test]
fn a_plan_asked_names_its_environment_and_writes_the_integration_plan() {
    let (_tmp, out) = out_dir();
    let o = run(
        PLAN_GOAL,
        &out,
        &[
            format!("reading-run-artifacts.artifacts={}", artifacts()),
            "planning-changes.test_environment=ci".to_string(),
        ],
    );
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let files: Vec<String> = tree(&out).into_keys().collect();
    assert_eq!(
        files,
        [
            "README.md",
            "findings.md",
            "integration-plan.md",
            "scope.md",
            "workflow-analysis.md"
        ]
    );
    let findings = read(&out, "findings.md");
    assert!(findings.contains("- Validation test: `dbt build --select stg_payments+` in CI finishes with no error and runs the nodes skipped today.\n"), "{findings}");
    assert!(
        findings.contains(
            "## Implementation plan\n\n1. Record the baseline run in CI (artifacts kept).\n"
        ),
        "{findings}"
    );
    assert!(findings.contains("Steps, validation procedures, monitoring and rollback in detail: integration-plan.md.\n"), "{findings}");
    assert!(
        !findings.contains("No implementation plan was asked for"),
        "{findings}"
    );
}
