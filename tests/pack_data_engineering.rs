//! The bundled `data-engineering` pack through the real binary, without
//! Python: what its example goals detect, that their default answers raise
//! no conflict and pass validation, that choices change the generated tree,
//! that conflict rules fire and resolve, and that the blueprint's content
//! checks fail when the promised content is removed.

mod common;

use common::{detect_json as detect, detected_chain as chain, sc_path};

use common::{code, stderr, stdout};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn blueprint_confidence(det: &Value) -> (u64, bool) {
    let b = det["blueprints"]
        .as_array()
        .expect("blueprints")
        .iter()
        .find(|b| b["id"] == "data-pipeline")
        .expect("data-pipeline is scored");
    (
        b["confidence"].as_u64().expect("confidence"),
        b["offered"].as_bool().expect("offered"),
    )
}

fn out_dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("data-pipeline");
    (tmp, out)
}

fn run_defaults(goal: &str, out: &Path) -> Output {
    sc_path(&["run", goal, "--defaults", "--out"], out, &[])
}

fn run_answers(yaml: &str, out: &Path, extra: &[&str]) -> Output {
    let file = out.with_extension("answers.yaml");
    std::fs::write(&file, yaml).expect("answers file written");
    Command::new(common::bin())
        .args(["--no-color", "run", "--answers"])
        .arg(&file)
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .expect("skillchain runs")
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const EXAMPLES: [&str; 5] = [
    "streaming pipeline from kafka to snowflake with dbt tests",
    "batch ELT from postgres into bigquery with airflow",
    "data lake on s3 with spark and vault secrets",
    "tune slow warehouse queries",
    "monitor pipeline latency and throughput",
];

#[test]
fn example_goals_detect_the_expected_chains_and_blueprint_offers() {
    let expected: [(&str, &[&str], (u64, bool)); 5] = [
        (
            EXAMPLES[0],
            &["architecting-data", "streaming-data", "transforming-data"],
            (100, true),
        ),
        (
            EXAMPLES[1],
            &["architecting-data", "transforming-data"],
            (80, true),
        ),
        (
            EXAMPLES[2],
            &[
                "architecting-data",
                "transforming-data",
                "secret-management",
            ],
            (0, false),
        ),
        (
            EXAMPLES[3],
            &["architecting-data", "optimizing-sql"],
            (0, false),
        ),
        (
            EXAMPLES[4],
            &["architecting-data", "performance-engineering"],
            (30, false),
        ),
    ];
    for (goal, skills, offer) in expected {
        let det = detect(goal);
        assert_eq!(det["pack"], "data-engineering", "{goal}");
        assert_eq!(chain(&det), skills, "{goal}");
        assert_eq!(blueprint_confidence(&det), offer, "{goal}");
    }
}

#[test]
fn default_answers_of_every_example_goal_raise_no_conflict_and_pass_validation() {
    for goal in EXAMPLES {
        let (_tmp, out) = out_dir();
        let run = run_defaults(goal, &out);
        assert_eq!(code(&run), 0, "{goal}:\n{}\n{}", stdout(&run), stderr(&run));
        assert!(stdout(&run).contains("PASS"), "{goal}: {}", stdout(&run));
        let validate = sc_path(&["validate"], &out, &[]);
        assert_eq!(code(&validate), 0, "{goal}: {}", stdout(&validate));
    }
}

#[test]
fn the_kafka_goal_passes_at_starter_and_advanced_with_defaults() {
    for maturity in ["starter", "advanced"] {
        let (_tmp, out) = out_dir();
        let run = sc_path(
            &[
                "run",
                EXAMPLES[0],
                "--defaults",
                "--maturity",
                maturity,
                "--out",
            ],
            &out,
            &[],
        );
        assert_eq!(
            code(&run),
            0,
            "{maturity}:\n{}{}",
            stdout(&run),
            stderr(&run)
        );
        assert!(
            stdout(&run).contains("Completeness: 100%"),
            "{maturity}: {}",
            stdout(&run)
        );
    }
}

#[test]
fn goal_keywords_steer_engine_platform_and_orchestrator() {
    let (_tmp, out) = out_dir();
    let run = run_defaults(
        "stream orders from kinesis into redshift with prefect",
        &out,
    );
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    assert!(read(&out, "streaming/topics.yaml").contains("shard_count:"));
    assert!(read(&out, "architecture/ddl.sql").contains("distkey (customer_id)"));
    assert!(read(&out, "transforms/dbt/profiles.yml").contains("type: redshift"));
    assert!(read(&out, "transforms/flows/data_pipeline_flow.py").contains("cron=\"*/15 * * * *\""));
    assert!(!out.join("transforms/dags").exists());
    let answers = read(&out, ".skillchain/answers.yaml");
    assert!(
        answers.contains("value: kinesis\n      source: goal-keyword"),
        "{answers}"
    );
}

#[test]
fn the_engine_choice_changes_ddl_profile_and_slow_query_source() {
    let cases = [
        (
            "snowflake",
            "cluster by (to_date(ordered_at))",
            "type: snowflake",
            "snowflake.account_usage.query_history",
        ),
        (
            "bigquery",
            "partition by date(ordered_at)",
            "type: bigquery",
            "INFORMATION_SCHEMA.JOBS_BY_PROJECT",
        ),
        (
            "redshift",
            "compound sortkey (ordered_at, customer_id)",
            "type: redshift",
            "sys_query_history",
        ),
        (
            "postgres",
            "partition by range (ordered_at)",
            "type: postgres",
            "pg_stat_statements",
        ),
        (
            "duckdb",
            "create table if not exists raw.orders",
            "path: \"{{ env_var('DUCKDB_PATH'",
            "pragma enable_profiling",
        ),
        (
            "spark",
            "using parquet",
            "type: spark",
            "system.query.history",
        ),
    ];
    for (engine, ddl, profile, slow) in cases {
        let (_tmp, out) = out_dir();
        let yaml = format!(
            "skillchain: 1\npack: data-engineering\ngoal: tune slow queries of our elt\n\
             skills: [architecting-data, transforming-data, optimizing-sql]\n\
             answers:\n  architecting-data:\n    engine: {engine}\n"
        );
        let run = run_answers(&yaml, &out, &["--defaults"]);
        assert_eq!(code(&run), 0, "{engine}: {}{}", stdout(&run), stderr(&run));
        assert!(
            read(&out, "architecture/ddl.sql").contains(ddl),
            "{engine}: ddl"
        );
        assert!(
            read(&out, "transforms/dbt/profiles.yml").contains(profile),
            "{engine}: profile"
        );
        assert!(
            read(&out, "sql/slow_queries.sql").contains(slow),
            "{engine}: slow queries"
        );
    }
}

#[test]
fn a_lake_with_dbt_on_snowflake_must_be_resolved_and_use_duckdb_switches_the_engine() {
    let base = "skillchain: 1\npack: data-engineering\ngoal: data lake with dbt\n\
                skills: [architecting-data, transforming-data]\n\
                answers:\n  architecting-data:\n    storage: lake\n    engine: snowflake\n";
    let (_tmp, out) = out_dir();
    let refused = run_answers(base, &out, &["--defaults"]);
    assert_eq!(
        code(&refused),
        2,
        "{}{}",
        stdout(&refused),
        stderr(&refused)
    );
    let why = format!("{}{}", stdout(&refused), stderr(&refused));
    for word in ["lake-with-dbt", "use-lakehouse", "use-duckdb", "accept"] {
        assert!(why.contains(word), "`{word}` missing from:\n{why}");
    }
    assert!(!out.exists(), "nothing is written while a conflict is open");

    let resolved = format!("{base}resolutions:\n  lake-with-dbt: use-duckdb\n");
    let run = run_answers(&resolved, &out, &["--defaults"]);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    let profile = read(&out, "transforms/dbt/profiles.yml");
    assert!(
        profile.contains("extensions: [httpfs, parquet]"),
        "{profile}"
    );
    assert!(read(&out, "architecture/ddl.sql").contains("read_parquet('s3://"));
}

#[test]
fn exactly_once_with_json_must_be_resolved() {
    let yaml = "skillchain: 1\npack: data-engineering\ngoal: kafka streaming\n\
                skills: [architecting-data, streaming-data]\n\
                answers:\n  streaming-data:\n    format: json\n    delivery: exactly-once\n";
    let (_tmp, out) = out_dir();
    let refused = run_answers(yaml, &out, &["--defaults"]);
    assert_eq!(code(&refused), 2);
    let why = format!("{}{}", stdout(&refused), stderr(&refused));
    assert!(why.contains("exactly-once-without-schema"), "{why}");

    let resolved = format!("{yaml}resolutions:\n  exactly-once-without-schema: use-avro\n");
    let run = run_answers(&resolved, &out, &["--defaults"]);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    assert!(out.join("streaming/schemas/order_event.avsc").is_file());
    assert!(!out
        .join("streaming/schemas/order_event.schema.json")
        .exists());
    let consumer = read(&out, "streaming/consumer.yaml");
    assert!(
        consumer.contains("isolation.level: read_committed"),
        "{consumer}"
    );
}

#[test]
fn removing_promised_content_makes_validation_fail() {
    let (_tmp, out) = out_dir();
    let run = run_defaults(EXAMPLES[0], &out);
    assert_eq!(code(&run), 0, "{}", stdout(&run));

    // Tests stripped from every dbt YAML file and the DAG's schedule removed.
    for rel in [
        "transforms/dbt/models/staging/_staging.yml",
        "transforms/dbt/models/marts/_marts.yml",
    ] {
        let stripped = read(&out, rel).replace("data_tests:", "meta:");
        std::fs::write(out.join(rel), stripped).expect("rewrite");
    }
    let dag = "transforms/dags/data_pipeline.py";
    let unscheduled = read(&out, dag).replace("schedule=", "description_=");
    std::fs::write(out.join(dag), unscheduled).expect("rewrite");

    let validate = sc_path(&["validate"], &out, &[]);
    let report = stdout(&validate);
    assert_eq!(code(&validate), 0, "10 of 12 is still a pass:\n{report}");
    assert!(report.contains("⚠ Data quality tests"), "{report}");
    assert!(report.contains("⚠ Orchestration DAG or flow"), "{report}");
    assert!(report.contains("Completeness: 83%"), "{report}");

    std::fs::remove_file(out.join("architecture/ddl.sql")).expect("remove");
    let validate = sc_path(&["validate"], &out, &[]);
    assert_eq!(code(&validate), 1, "{}", stdout(&validate));
    assert!(stdout(&validate).contains("NEEDS ATTENTION"));
}

/// Every platform × registry pair: a registry the platform's clients use is
/// accepted, any other is refused up front with the fitting resolution
/// (issue 10, item 9).
#[test]
fn every_schema_registry_fits_its_platform_or_is_refused() {
    let fits = |platform: &str, registry: &str| match platform {
        "kafka" | "redpanda" => ["confluent", "apicurio"].contains(&registry),
        "kinesis" => registry == "glue",
        "pubsub" => registry == "pubsub",
        _ => unreachable!(),
    };
    for platform in ["kafka", "kinesis", "pubsub", "redpanda"] {
        for registry in ["confluent", "glue", "pubsub", "apicurio"] {
            let (_tmp, out) = out_dir();
            let run = sc_path(
                &[
                    "run",
                    "streaming pipeline from kafka to snowflake with dbt tests",
                    "--defaults",
                    "--pretend",
                    "--out",
                ],
                &out,
                &[
                    "--set",
                    &format!("streaming-data.platform={platform}"),
                    "--set",
                    &format!("streaming-data.schema_registry={registry}"),
                    "--set",
                    "streaming-data.delivery=at-least-once",
                ],
            );
            let err = stderr(&run);
            if fits(platform, registry) {
                assert_eq!(code(&run), 0, "{platform}+{registry}: {err}");
            } else {
                assert_eq!(
                    code(&run),
                    2,
                    "{platform}+{registry} is accepted: {}",
                    stdout(&run)
                );
                let rule = match platform {
                    "kinesis" => "registry-for-kinesis",
                    "pubsub" => "registry-for-pubsub",
                    _ => "registry-for-kafka",
                };
                assert!(
                    err.contains(&format!("conflict {rule}")),
                    "{platform}+{registry}: {err}"
                );
            }
        }
    }
}

/// The freshness SLA defaults to the transforms' schedule interval plus
/// time for a run, whatever else is in the chain (issue 11, item 16).
#[test]
fn the_freshness_sla_follows_the_schedule_it_guards() {
    for (schedule, sla) in [
        ("*/5 * * * *", 20),
        ("*/15 * * * *", 45),
        ("0 * * * *", 120),
        ("0 */6 * * *", 840),
        ("0 3 * * *", 1560),
        ("0 5 * * 1", 10200),
        ("0 5 1 * *", 44640),
    ] {
        for goal in [
            "streaming pipeline from kafka to snowflake with dbt tests",
            "batch ELT from postgres into bigquery with airflow",
        ] {
            let (_tmp, out) = out_dir();
            let run = sc_path(
                &["run", goal, "--defaults", "--out"],
                &out,
                &["--set", &format!("transforming-data.schedule={schedule}")],
            );
            assert!(code(&run) <= 1, "{schedule}: {}", stderr(&run));
            let project = read(&out, "transforms/dbt/dbt_project.yml");
            assert!(
                project.contains(&format!("freshness_sla_minutes: {sla}\n")),
                "{goal} / {schedule}: {project}"
            );
        }
    }
}

/// A resolution named in the answers file replaces the file's own value
/// for the answers it sets, as skillchains/README.md says (item 13).
#[test]
fn a_chosen_resolution_outranks_the_answers_file() {
    let (_tmp, out) = out_dir();
    let yaml = "skillchain: 1\npack: data-engineering\ngoal: data lake on s3 with dbt\n\
                blueprint: data-pipeline\nanswers:\n  architecting-data:\n    storage: lake\n    \
                engine: snowflake\n  transforming-data:\n    tool: dbt\n\
                resolutions:\n  lake-with-dbt: use-duckdb\n";
    let run = run_answers(yaml, &out, &["--defaults"]);
    assert!(code(&run) <= 1, "{}{}", stdout(&run), stderr(&run));
    let record = read(&out, ".skillchain/answers.yaml");
    assert!(
        record.contains(
            "    engine:\n      value: duckdb\n      source: conflict-resolution\n      detail: 'lake-with-dbt: use-duckdb'\n"
        ),
        "{record}"
    );
}
