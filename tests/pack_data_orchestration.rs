//! The bundled `data-orchestration` pack through the real binary, without
//! Python: which goals detect it (and which do not), the decision rules that
//! choose the orchestrator and the provenance they record, the conflict
//! rules, that default answers pass validation, that removing promised files
//! or content makes the report name the deliverable, and that replaying the
//! recorded answers regenerates the same bytes.

mod common;

use common::sc_path as sc;

use common::{code, detect_json, detected_chain, pack_trigger_weight, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::Output;

const PACK: &str = "data-orchestration";

fn out_dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("orchestrated-pipeline");
    (tmp, out)
}

/// `run GOAL --defaults` with extra `--set skill.question=value` answers.
fn run_defaults(goal: &str, out: &Path, sets: &[&str]) -> Output {
    let mut more = Vec::new();
    for s in sets {
        more.push("--set");
        more.push(s);
    }
    sc(&["run", goal, "--defaults", "--out"], out, &more)
}

fn generated(goal: &str, sets: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let (tmp, out) = out_dir();
    let run = run_defaults(goal, &out, sets);
    assert_eq!(code(&run), 0, "{goal}:\n{}{}", stdout(&run), stderr(&run));
    (tmp, out)
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn validate(out: &Path) -> (i32, String) {
    let v = sc(&["validate"], out, &[]);
    (code(&v), stdout(&v))
}

/// (value, source, detail) of one answer in `.skillchain/answers.yaml`.
fn answer(out: &Path, skill: &str, question: &str) -> (String, String, String) {
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&read(out, ".skillchain/answers.yaml")).expect("answers.yaml parses");
    let a = &yaml["answers"][skill][question];
    let text = |v: &serde_yaml::Value| match v {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Null => String::new(),
        other => serde_yaml::to_string(other)
            .expect("serialises")
            .trim()
            .to_string(),
    };
    (text(&a["value"]), text(&a["source"]), text(&a["detail"]))
}

const EXAMPLES: [&str; 5] = [
    "orchestrate a daily refresh of the sales dashboard from postgres",
    "weekly churn model retraining with data from our crm, with retries and a runbook",
    "medallion bronze silver gold pipeline with dagster and anomaly checks",
    "cdc ingestion from mysql orchestrated with prefect every 15 minutes",
    "serverless workflow scheduling on aws with circuit breakers",
];

#[test]
fn orchestration_goals_detect_this_pack_with_their_chains_and_blueprint_offers() {
    // The keyword chain (without the blueprint's extra skills) in run order:
    // foundation, component, integration. Requirements, orchestrator,
    // ingestion, transforms and security are required.
    const BASE: &[&str] = &[
        "requirements",
        "orchestrator",
        "ingestion",
        "layered-transforms",
        "security",
    ];
    const WITH_VALIDATION: &[&str] = &[
        "requirements",
        "orchestrator",
        "ingestion",
        "layered-transforms",
        "validation",
        "security",
    ];
    const WITH_ERROR_HANDLING: &[&str] = &[
        "requirements",
        "orchestrator",
        "ingestion",
        "layered-transforms",
        "error-handling",
        "security",
    ];
    let cases: [(&str, &[&str], (u64, bool)); 7] = [
        (EXAMPLES[0], BASE, (100, true)),
        // "retraining" and "retries" now read as "retrain" and "retry" (stems).
        (EXAMPLES[1], WITH_ERROR_HANDLING, (100, true)),
        (EXAMPLES[2], WITH_VALIDATION, (100, true)),
        (EXAMPLES[3], BASE, (100, true)),
        (EXAMPLES[4], WITH_ERROR_HANDLING, (100, true)),
        (
            "keep the streamlit dashboard fresh with hourly data validation and quarantine of bad data",
            WITH_VALIDATION,
            (12, false),
        ),
        (
            "our existing airflow should orchestrate the nightly crm extract with a freshness sla",
            BASE,
            // "extract" is a blueprint trigger now (building the pipeline, issue 12).
            (100, true),
        ),
    ];
    for (goal, chain, offer) in cases {
        let det = detect_json(goal);
        assert_eq!(det["pack"], PACK, "{goal}");
        assert_eq!(detected_chain(&det), chain, "{goal}");
        let bp = det["blueprints"]
            .as_array()
            .expect("blueprints")
            .iter()
            .find(|b| b["id"] == "orchestrated-pipeline")
            .expect("the blueprint is scored");
        assert_eq!(
            (
                bp["confidence"].as_u64().expect("confidence"),
                bp["offered"].as_bool().expect("offered")
            ),
            offer,
            "{goal}"
        );
        assert!(
            pack_trigger_weight(&det, PACK) > pack_trigger_weight(&det, "data-engineering"),
            "{goal}: {}",
            det["packs"]
        );
    }
}

#[test]
fn data_engineering_examples_stay_with_data_engineering() {
    let pack: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(common::repo().join("skillchains/data-engineering/pack.yaml"))
            .expect("pack.yaml"),
    )
    .expect("parses");
    let examples = pack["examples"].as_sequence().expect("examples");
    assert_eq!(examples.len(), 5);
    for goal in examples {
        let goal = goal.as_str().expect("text");
        let det = detect_json(goal);
        assert_eq!(det["pack"], "data-engineering", "{goal}: {}", det["packs"]);
    }
}

#[test]
fn this_packs_examples_are_the_ones_tested_here() {
    let pack: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(common::repo().join("skillchains/data-orchestration/pack.yaml"))
            .expect("pack.yaml"),
    )
    .expect("parses");
    let examples: Vec<&str> = pack["examples"]
        .as_sequence()
        .expect("examples")
        .iter()
        .map(|g| g.as_str().expect("text"))
        .collect();
    assert_eq!(examples, EXAMPLES);
}

/// A goal that names no tool, so only the rules over the requirements decide.
const NEUTRAL: &str = "orchestrate the refresh of our data product";

#[test]
fn decision_rules_choose_the_orchestrator_and_record_the_rule_as_provenance() {
    let cases: [(&[&str], &str, &str); 9] = [
        (&[], "prefect", "requirements.team_priority == 'python-first'"),
        (
            &["requirements.existing_orchestrator=airflow"],
            "airflow",
            "requirements.existing_orchestrator == 'airflow'",
        ),
        (
            &["requirements.existing_orchestrator=dagster"],
            "dagster",
            "requirements.existing_orchestrator == 'dagster'",
        ),
        (
            &["requirements.existing_orchestrator=mage"],
            "mage",
            "requirements.existing_orchestrator == 'mage'",
        ),
        (
            &[
                "requirements.hosting=gcp",
                "requirements.team_priority=minimal-ops",
            ],
            "cloud-native",
            "requirements.hosting != 'self-managed' and requirements.team_priority == 'minimal-ops'",
        ),
        (
            &["requirements.complexity=complex"],
            "airflow",
            "requirements.complexity == 'complex' or requirements.team_priority == 'mature-ecosystem'",
        ),
        (
            &["requirements.team_priority=data-quality"],
            "dagster",
            "requirements.team_priority == 'data-quality'",
        ),
        (
            &["requirements.consumer=ml-model"],
            "mage",
            "requirements.consumer == 'ml-model' or requirements.team_priority == 'simple-setup'",
        ),
        // Existing infrastructure outranks the complexity rule.
        (
            &[
                "requirements.existing_orchestrator=prefect",
                "requirements.complexity=complex",
            ],
            "prefect",
            "requirements.existing_orchestrator == 'prefect'",
        ),
    ];
    for (sets, tool, rule) in cases {
        let (_tmp, out) = generated(NEUTRAL, sets);
        assert_eq!(
            answer(&out, "orchestrator", "tool"),
            (
                tool.to_string(),
                "earlier-answer".to_string(),
                rule.to_string()
            ),
            "{sets:?}"
        );
        let plan = read(&out, ".skillchain/plan.md");
        // The plan says the rule in words; the answers file keeps it as written.
        let line = format!("Orchestrator: `{tool}` (follows your answer to “");
        let said = plan.lines().find(|l| l.contains(&line));
        let said = said.unwrap_or_else(|| panic!("{sets:?}: `{line}` not in\n{plan}"));
        assert!(
            !said.contains("==") && !said.contains("requirements."),
            "{said}"
        );
    }
}

#[test]
fn self_managed_hosting_never_defaults_to_a_cloud_native_orchestrator() {
    // minimal-ops alone matches no rule without a cloud: the skill default.
    let (_tmp, out) = generated(NEUTRAL, &["requirements.team_priority=minimal-ops"]);
    assert_eq!(
        answer(&out, "orchestrator", "tool"),
        ("prefect".to_string(), "default".to_string(), String::new())
    );
}

#[test]
fn a_tool_named_in_the_goal_outranks_the_rules() {
    let (_tmp, out) = generated(
        "orchestrate the refresh of our data product with dagster",
        &["requirements.existing_orchestrator=airflow"],
    );
    assert_eq!(
        answer(&out, "orchestrator", "tool"),
        (
            "dagster".to_string(),
            "goal-keyword".to_string(),
            "dagster".to_string()
        )
    );
    assert!(out.join("orchestration/dagster/definitions.py").is_file());
    assert!(!out.join("orchestration/airflow").exists());
}

#[test]
fn the_refresh_requirement_sets_schedule_timeout_sla_and_ingestion() {
    let cases = [
        ("realtime", "*/5 * * * *", "4", "5", "event-driven"),
        ("sub-hourly", "*/15 * * * *", "12", "45", "incremental"),
        ("hourly", "0 * * * *", "45", "120", "incremental"),
        ("daily", "0 5 * * *", "120", "1500", "incremental"),
        ("weekly", "0 5 * * 1", "120", "10800", "full"),
    ];
    for (refresh, schedule, timeout, sla, strategy) in cases {
        let set = format!("requirements.refresh={refresh}");
        // Event-driven ingestion is only a default for real time, so no
        // conflict opens for the batch cadences.
        let (_tmp, out) = generated(NEUTRAL, &[set.as_str()]);
        assert_eq!(
            answer(&out, "orchestrator", "schedule").0,
            schedule,
            "{refresh}"
        );
        assert_eq!(
            answer(&out, "orchestrator", "timeout_minutes").0,
            timeout,
            "{refresh}"
        );
        assert_eq!(
            answer(&out, "requirements", "freshness_sla_minutes").0,
            sla,
            "{refresh}"
        );
        assert_eq!(
            answer(&out, "ingestion", "strategy").0,
            strategy,
            "{refresh}"
        );
        let flow = read(&out, "orchestration/prefect/flow.py");
        assert!(
            flow.contains(&format!("CRON = \"{schedule}\"")),
            "{refresh}"
        );
    }
}

#[test]
fn each_orchestrator_generates_its_own_definition_with_schedule_retries_and_timeout() {
    let cases: [(&str, &str, &[&str]); 7] = [
        (
            "airflow",
            "orchestration/airflow/dags/product_refresh.py",
            &[
                "schedule=SCHEDULE",
                "\"retries\": 3",
                "\"execution_timeout\": TIMEOUT",
                "dagrun_timeout=TIMEOUT",
            ],
        ),
        (
            "prefect",
            "orchestration/prefect/flow.py",
            &[
                "CRON = \"0 5 * * *\"",
                "RETRIES = 3",
                "exponential_backoff(backoff_factor=60)",
                "TIMEOUT_SECONDS = 7200",
            ],
        ),
        (
            "dagster",
            "orchestration/dagster/definitions.py",
            &[
                "@schedule(cron_schedule=CRON",
                "max_retries=3",
                "Backoff.EXPONENTIAL",
                "\"dagster/max_runtime\": TIMEOUT_SECONDS",
            ],
        ),
        (
            "mage",
            "orchestration/mage/pipelines/product_refresh/triggers.yaml",
            &["schedule_interval: \"0 5 * * *\"", "timeout: 7200"],
        ),
        (
            "mage",
            "orchestration/mage/pipelines/product_refresh/metadata.yaml",
            &["retries: 3", "exponential_backoff: true"],
        ),
        (
            "cloud-native",
            "orchestration/cloud/state_machine.json",
            &[
                "\"MaxAttempts\": 3",
                "\"BackoffRate\": 2.0",
                "\"TimeoutSeconds\": 7200",
            ],
        ),
        (
            "cloud-native",
            "orchestration/cloud/schedule.json",
            &["\"ScheduleExpression\": \"cron(0 5 * * ? *)\""],
        ),
    ];
    for (tool, file, needles) in cases {
        let set = format!("orchestrator.tool={tool}");
        let mut sets = vec![set.as_str()];
        if tool == "cloud-native" {
            sets.push("requirements.hosting=aws");
        }
        let (_tmp, out) = generated(NEUTRAL, &sets);
        let text = read(&out, file);
        for needle in needles {
            assert!(
                text.contains(needle),
                "{tool}: `{needle}` not in {file}:\n{text}"
            );
        }
        let (rc, report) = validate(&out);
        assert_eq!(rc, 0, "{tool}:\n{report}");
        assert!(report.contains("Completeness: 100%"), "{tool}:\n{report}");
    }
}

#[test]
fn a_cloud_native_orchestrator_on_self_managed_hosting_must_be_resolved() {
    let (_tmp, out) = out_dir();
    let refused = run_defaults(NEUTRAL, &out, &["orchestrator.tool=cloud-native"]);
    assert_eq!(
        code(&refused),
        2,
        "{}{}",
        stdout(&refused),
        stderr(&refused)
    );
    let why = format!("{}{}", stdout(&refused), stderr(&refused));
    for word in [
        "cloud-native-without-cloud",
        "use-prefect",
        "host-on-aws",
        "accept",
    ] {
        assert!(why.contains(word), "`{word}` missing from:\n{why}");
    }
    assert!(!out.exists(), "nothing is written while a conflict is open");

    let answers = out.with_extension("answers.yaml");
    std::fs::write(
        &answers,
        format!(
            "skillchain: 1\npack: {PACK}\ngoal: {NEUTRAL}\nanswers:\n  orchestrator:\n    tool: cloud-native\n\
             resolutions:\n  cloud-native-without-cloud: host-on-aws\n"
        ),
    )
    .expect("answers written");
    let run = sc(
        &["run", "--defaults", "--answers"],
        &answers,
        &["--out", &out.to_string_lossy()],
    );
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    assert_eq!(answer(&out, "requirements", "hosting").0, "aws");
    assert!(out.join("orchestration/cloud/state_machine.json").is_file());
    assert_eq!(
        answer(&out, "security", "secret_store"),
        (
            "aws-secrets-manager".to_string(),
            "earlier-answer".to_string(),
            "requirements.hosting == 'aws'".to_string()
        )
    );
}

#[test]
fn default_answers_of_every_example_goal_pass_validation() {
    let tools = ["prefect", "mage", "dagster", "prefect", "cloud-native"];
    for (goal, tool) in EXAMPLES.iter().zip(tools) {
        let (_tmp, out) = out_dir();
        let run = run_defaults(goal, &out, &[]);
        assert_eq!(code(&run), 0, "{goal}:\n{}\n{}", stdout(&run), stderr(&run));
        assert!(
            stdout(&run).contains("Required: 13  Fulfilled: 13"),
            "{goal}: {}",
            stdout(&run)
        );
        assert_eq!(answer(&out, "orchestrator", "tool").0, tool, "{goal}");
        let (rc, report) = validate(&out);
        assert_eq!(rc, 0, "{goal}: {report}");
        assert!(report.contains("PASS"), "{goal}: {report}");
    }
}

#[test]
fn without_the_blueprint_each_skills_outputs_are_the_deliverables_and_pass() {
    let goal =
        "keep the streamlit dashboard fresh with hourly data validation and quarantine of bad data";
    let (_tmp, out) = generated(goal, &[]);
    let (rc, report) = validate(&out);
    assert_eq!(rc, 0, "{report}");
    // Five skills write: the goal does not ask for security, which the pack
    // requires, so it gives only its answers (credentials come from the
    // environment) and is no deliverable.
    assert!(report.contains("Required: 5  Fulfilled: 5"), "{report}");
    assert!(!out.join("pipeline/secrets.py").exists());
    assert!(read(&out, "pipeline/load.py").contains("get_secret = config.credential"));
    // error-handling is not in the chain: its files are not generated, and
    // the code falls back to the seed's three retries.
    assert!(!out.join("docs/runbook.md").exists());
    assert!(read(&out, "pipeline/config.py").contains("RETRIES = 3\n"));
}

#[test]
fn removing_the_orchestration_file_needs_attention_and_names_the_deliverables() {
    let (_tmp, out) = generated(EXAMPLES[0], &[]);
    std::fs::remove_file(out.join("orchestration/prefect/flow.py")).expect("remove");
    let (rc, report) = validate(&out);
    assert_eq!(rc, 1, "{report}");
    assert!(report.contains("NEEDS ATTENTION"), "{report}");
    assert!(
        report.contains(
            "✗ Orchestration definition with schedule — missing: orchestration/**/*.{py,json,yaml}"
        ),
        "{report}"
    );
    assert!(
        report.contains("⚠ Checklist: error handling — the orchestrator retries tasks"),
        "{report}"
    );
    assert!(
        report.contains("⚠ Checklist: performance within the SLA — runs have a timeout"),
        "{report}"
    );
    assert!(report.contains("Completeness: 76%"), "{report}");
}

#[test]
fn removing_the_runbook_leaves_the_documentation_deliverable_incomplete() {
    let (_tmp, out) = generated(EXAMPLES[0], &[]);
    std::fs::remove_file(out.join("docs/runbook.md")).expect("remove");
    let (rc, report) = validate(&out);
    assert_eq!(rc, 0, "12 of 13 is still a pass:\n{report}");
    assert!(
        report
            .contains("⚠ Checklist: runbook and troubleshooting guide — missing: docs/runbook.md"),
        "{report}"
    );
    assert!(report.contains("Completeness: 92%"), "{report}");
}

/// For each QA-checklist deliverable: the edit that removes what its check
/// looks for, applied to a fresh default tree, makes exactly that
/// deliverable incomplete.
#[test]
fn every_checklist_deliverable_fails_when_its_content_is_removed() {
    let cases: [(&str, &str, &str, &str); 10] = [
        (
            "pipeline/load.py",
            "delete from {BRONZE} where _batch_id",
            "select 1 from {BRONZE} where _batch_id",
            "Checklist: idempotency",
        ),
        (
            "monitoring/alerts.yaml",
            "- name: freshness_sla_missed",
            "- name: stale_data",
            "Checklist: monitoring and alerting",
        ),
        (
            "pipeline/validate.py",
            "def detect_anomalies(",
            "def detect_nothing(",
            "Checklist: validation at each stage",
        ),
        (
            "pipeline/resilience.py",
            "class CircuitBreaker",
            "class Breaker",
            "Checklist: error handling",
        ),
        (
            "docs/runbook.md",
            "## Backfill",
            "## History",
            "Checklist: runbook and troubleshooting guide",
        ),
        (
            "tests/test_pipeline.py",
            "def test_circuit_breaker",
            "def circuit_breaker",
            "Checklist: tests of the transformation logic",
        ),
        (
            "security/policy.yaml",
            "\nencryption:",
            "\ntransport:",
            "Checklist: security",
        ),
        (
            "pipeline.yaml",
            "freshness_sla_minutes:",
            "freshness:",
            "Checklist: performance within the SLA",
        ),
        (
            "docs/lineage.md",
            "flowchart",
            "graph",
            "Checklist: observability and lineage",
        ),
        (
            "sql/silver/020_silver_orders.sql",
            "row_number() over",
            "rank() over",
            "Bronze, silver and gold layers",
        ),
    ];
    let (_tmp, pristine) = generated(EXAMPLES[0], &[]);
    for (file, from, to, deliverable) in cases {
        let tmp = tempfile::tempdir().expect("temp dir");
        for (rel, bytes) in common::tree(&pristine) {
            let path = tmp.path().join(&rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, bytes).expect("copy");
        }
        // validate finds the blueprint and maturity in the recorded answers.
        std::fs::create_dir_all(tmp.path().join(".skillchain")).expect("mkdir");
        std::fs::copy(
            pristine.join(".skillchain/answers.yaml"),
            tmp.path().join(".skillchain/answers.yaml"),
        )
        .expect("copy answers");
        let text = read(tmp.path(), file);
        assert!(text.contains(from), "{file} lacks `{from}`");
        std::fs::write(tmp.path().join(file), text.replace(from, to)).expect("rewrite");
        let (rc, report) = validate(tmp.path());
        assert_eq!(
            rc, 0,
            "{deliverable}: one incomplete deliverable still passes\n{report}"
        );
        assert!(
            report.contains(&format!("⚠ {deliverable} — ")),
            "{deliverable}:\n{report}"
        );
        assert!(
            report.contains("Fulfilled: 12  Missing: 0  Incomplete: 1"),
            "{deliverable}:\n{report}"
        );
    }
}

#[test]
fn replaying_the_recorded_answers_regenerates_identical_files() {
    let (_tmp, first) = generated(
        EXAMPLES[2],
        &[
            "requirements.refresh=hourly",
            "error-handling.backoff=fixed",
            "security.mask_pii=false",
        ],
    );
    let second = first.with_file_name("replayed");
    let recorded = first.join(".skillchain/answers.yaml");
    let run = sc(
        &["run", "--answers"],
        &recorded,
        &["--out", &second.to_string_lossy()],
    );
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    let (a, b) = (common::tree(&first), common::tree(&second));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (rel, bytes) in &a {
        assert!(b[rel] == *bytes, "{rel} differs after replay");
    }
    // Same values; the replay records them as coming from the answers file.
    let values = |dir: &Path| -> Vec<(String, String, String)> {
        let yaml: serde_yaml::Value =
            serde_yaml::from_str(&read(dir, ".skillchain/answers.yaml")).expect("parses");
        let mut all = Vec::new();
        for (skill, qs) in yaml["answers"].as_mapping().expect("answers") {
            for (q, a) in qs.as_mapping().expect("questions") {
                all.push((
                    serde_yaml::to_string(skill).expect("key"),
                    serde_yaml::to_string(q).expect("key"),
                    serde_yaml::to_string(&a["value"]).expect("value"),
                ));
            }
        }
        all
    };
    assert_eq!(values(&first), values(&second));
    assert_eq!(answer(&second, "orchestrator", "tool").1, "answers-file");
}
