//! The bundled `bigquery-etl` pack through the real binary, without Python:
//! which goals detect it and with which chain, that goals meant for
//! `data-engineering` stay there, that default answers pass validation and a
//! removed deliverable does not, that replaying the recorded answers gives
//! the same bytes, and that answers (language, grain, partitioning,
//! monitoring, sources) change the generated tree.

mod common;

use common::{detect_json as detect, detected_chain as chain, sc_path};

use common::{code, stderr, stdout, tree};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn out_dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("bigquery-etl");
    (tmp, out)
}

fn run_defaults(goal: &str, out: &Path) -> Output {
    sc_path(&["run", goal, "--defaults", "--out"], out, &[])
}

fn run_answers_file(file: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(common::bin())
        .args(["--no-color", "run", "--answers"])
        .arg(file)
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .expect("skillchain runs")
}

fn run_answers(yaml: &str, out: &Path, extra: &[&str]) -> Output {
    let file = out.with_extension("answers.yaml");
    std::fs::write(&file, yaml).expect("answers file written");
    run_answers_file(&file, out, extra)
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Relative paths of every generated file (`.skillchain/` excluded).
fn files(out: &Path) -> Vec<String> {
    tree(out).into_keys().collect()
}

const FULL: [&str; 6] = [
    "bigquery-etl-core",
    "model-requirements",
    "query-writer",
    "metadata-manager",
    "sql-test-generator",
    "bigconfig-generator",
];

const RETENTION: &str = "new bigquery table for daily user retention with tests and monitoring";
const TABLE_DIR: &str = "sql/acme-data-prod/analytics_derived/user_activity_daily_v1";
const TEST_DIR: &str =
    "tests/sql/acme-data-prod/analytics_derived/user_activity_daily_v1/test_aggregation";

#[test]
fn bigquery_etl_goals_detect_the_pack_and_their_chains() {
    let cases: [(&str, &[&str]); 6] = [
        (RETENTION, &FULL),
        (
            "derived table counting search events per client with incremental updates",
            &FULL[..5],
        ),
        (
            "write query.sql, metadata.yaml and schema.yaml for a telemetry_derived dataset",
            &FULL[..4],
        ),
        (
            "python query.py for a bigquery etl table that pulls from an api",
            &FULL[..3],
        ),
        (
            "bigconfig freshness and volume checks for the clients_daily_v6 bigquery table",
            &FULL,
        ),
        (
            "unit test fixtures and expect.yaml for a bigquery-etl aggregate table",
            &FULL[..5],
        ),
    ];
    for (goal, skills) in cases {
        let det = detect(goal);
        assert_eq!(det["pack"], "bigquery-etl", "{goal}");
        assert_eq!(chain(&det), skills, "{goal}");
    }
}

fn examples(pack: &str) -> Vec<String> {
    let text = std::fs::read_to_string(
        common::repo()
            .join("skillchains")
            .join(pack)
            .join("pack.yaml"),
    )
    .expect("pack.yaml");
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("pack.yaml parses");
    doc["examples"]
        .as_sequence()
        .expect("examples")
        .iter()
        .map(|e| e.as_str().expect("example is text").to_string())
        .collect()
}

#[test]
fn each_pack_keeps_its_own_example_goals() {
    let de = examples("data-engineering");
    assert_eq!(de.len(), 5);
    for goal in de {
        assert_eq!(detect(&goal)["pack"], "data-engineering", "{goal}");
    }
    let bq = examples("bigquery-etl");
    assert_eq!(bq.len(), 6);
    for goal in bq {
        assert_eq!(detect(&goal)["pack"], "bigquery-etl", "{goal}");
    }
}

#[test]
fn default_answers_of_every_example_goal_pass_validation() {
    for goal in examples("bigquery-etl") {
        let (_tmp, out) = out_dir();
        let run = run_defaults(&goal, &out);
        assert_eq!(code(&run), 0, "{goal}:\n{}\n{}", stdout(&run), stderr(&run));
        assert!(
            stdout(&run).contains("Completeness: 100%"),
            "{goal}: {}",
            stdout(&run)
        );
        let validate = sc_path(&["validate"], &out, &[]);
        assert_eq!(code(&validate), 0, "{goal}: {}", stdout(&validate));
    }
}

#[test]
fn defaults_of_the_full_chain_generate_the_promised_tree() {
    let (_tmp, out) = out_dir();
    let run = run_defaults(RETENTION, &out);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    let expected: Vec<String> = [
        "dags.yaml".to_string(),
        format!("{TABLE_DIR}/bigconfig.yml"),
        format!("{TABLE_DIR}/metadata.yaml"),
        format!("{TABLE_DIR}/query.sql"),
        format!("{TABLE_DIR}/schema.yaml"),
        format!("{TEST_DIR}/analytics_derived.clients_daily_v1.yaml"),
        format!("{TEST_DIR}/analytics_stable.events_v1.yaml"),
        format!("{TEST_DIR}/expect.yaml"),
        format!("{TEST_DIR}/query_params.yaml"),
    ]
    .into();
    assert_eq!(files(&out), expected);
    let report = stdout(&run);
    for line in [
        "✓ Query (query.sql or query.py)",
        "✓ Metadata, schema and DAG entry",
        "✓ SQL unit tests",
        "✓ Bigeye monitoring (bigconfig.yml)",
        "Required: 4  Fulfilled: 4",
    ] {
        assert!(report.contains(line), "`{line}` missing:\n{report}");
    }
    // "user" in the goal makes user_id the key, "monitoring" switches Bigeye on.
    let query = read(&out, &format!("{TABLE_DIR}/query.sql"));
    assert!(
        query.contains("FROM\n    `acme-data-prod.analytics_stable.events_v1`"),
        "{query}"
    );
    assert!(
        query.contains("USING (submission_date, user_id)"),
        "{query}"
    );
    assert!(
        query.contains("submission_date = @submission_date"),
        "{query}"
    );
    let metadata = read(&out, &format!("{TABLE_DIR}/metadata.yaml"));
    assert!(
        metadata.contains("friendly_name: User Activity Daily\n"),
        "{metadata}"
    );
    assert!(
        metadata.contains("monitoring:\n  enabled: true"),
        "{metadata}"
    );
    assert!(
        metadata.contains("    field: submission_date\n"),
        "{metadata}"
    );
}

#[test]
fn removing_a_promised_file_needs_attention_and_names_the_deliverable() {
    let (_tmp, out) = out_dir();
    let run = run_defaults(RETENTION, &out);
    assert_eq!(code(&run), 0, "{}", stdout(&run));

    std::fs::remove_file(out.join(TABLE_DIR).join("metadata.yaml")).expect("remove");
    let validate = sc_path(&["validate"], &out, &[]);
    let report = stdout(&validate);
    assert_eq!(code(&validate), 1, "{report}");
    assert!(
        report.contains("⚠ Metadata, schema and DAG entry"),
        "{report}"
    );
    assert!(report.contains("Completeness: 75%"), "{report}");
    assert!(report.contains("NEEDS ATTENTION"), "{report}");

    std::fs::remove_file(out.join(TABLE_DIR).join("query.sql")).expect("remove");
    let validate = sc_path(&["validate"], &out, &[]);
    let report = stdout(&validate);
    assert_eq!(code(&validate), 1, "{report}");
    assert!(
        report.contains("✗ Query (query.sql or query.py)"),
        "{report}"
    );
    assert!(report.contains("Completeness: 50%"), "{report}");
}

#[test]
fn an_emptied_expect_yaml_leaves_the_tests_incomplete() {
    let (_tmp, out) = out_dir();
    assert_eq!(code(&run_defaults(RETENTION, &out)), 0);
    std::fs::write(
        out.join(TEST_DIR).join("expect.yaml"),
        "# nothing expected\n",
    )
    .expect("write");
    let report = stdout(&sc_path(&["validate"], &out, &[]));
    assert!(report.contains("⚠ SQL unit tests"), "{report}");
}

#[test]
fn replaying_the_recorded_answers_gives_identical_files() {
    let fixtures = common::repo().join("tests/fixtures/answers");
    let sources: [Option<PathBuf>; 3] = [
        None,
        Some(fixtures.join("bigquery-etl-python-snapshot.yaml")),
        Some(fixtures.join("bigquery-etl-four-sources-monitored.yaml")),
    ];
    for source in sources {
        let (_tmp, first) = out_dir();
        let run = match &source {
            None => run_defaults(RETENTION, &first),
            Some(file) => run_answers_file(file, &first, &[]),
        };
        assert_eq!(
            code(&run),
            0,
            "{source:?}: {}{}",
            stdout(&run),
            stderr(&run)
        );
        let second = first.with_file_name("replay");
        let record = first.join(".skillchain/answers.yaml");
        let replay = run_answers_file(&record, &second, &[]);
        assert_eq!(
            code(&replay),
            0,
            "{source:?}: {}{}",
            stdout(&replay),
            stderr(&replay)
        );
        assert_eq!(tree(&first), tree(&second), "{source:?}");
    }
}

#[test]
fn a_python_snapshot_without_monitoring_gets_query_py_and_no_bigconfig() {
    let (_tmp, out) = out_dir();
    let file = common::repo().join("tests/fixtures/answers/bigquery-etl-python-snapshot.yaml");
    let run = run_answers_file(&file, &out, &[]);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    let dir = "sql/shop-analytics-prod/accounts_derived/users_first_seen_v2";
    let tests =
        "tests/sql/shop-analytics-prod/accounts_derived/users_first_seen_v2/test_first_seen";
    let expected: Vec<String> = [
        "dags.yaml".to_string(),
        format!("{dir}/metadata.yaml"),
        format!("{dir}/query.py"),
        format!("{dir}/schema.yaml"),
        format!("{tests}/expect.yaml"),
        format!("{tests}/shop-raw-prod.accounts_stable.signups_v1.yaml"),
    ]
    .into();
    assert_eq!(
        files(&out),
        expected,
        "no query.sql, bigconfig.yml or query_params.yaml"
    );
    let report = stdout(&run);
    assert!(
        !report.contains("Bigeye"),
        "monitoring off promises nothing:\n{report}"
    );
    assert!(report.contains("Required: 3  Fulfilled: 3"), "{report}");
    let query = read(&out, &format!("{dir}/query.py"));
    assert!(
        query.contains("MIN(signup_date) AS first_seen_date"),
        "{query}"
    );
    assert!(query.contains("ANY_VALUE(country) AS country"), "{query}");
    assert!(
        query.contains("clustering_fields=[\"user_id\",\"country\"]"),
        "{query}"
    );
    assert!(
        !query.contains("@submission_date"),
        "a full refresh has no date filter"
    );
    let metadata = read(&out, &format!("{dir}/metadata.yaml"));
    assert!(
        metadata.contains("  date_partition_parameter: null\n"),
        "{metadata}"
    );
    assert!(metadata.contains("  incremental: false\n"), "{metadata}");
    assert!(!metadata.contains("monitoring:"), "{metadata}");
}

#[test]
fn four_sources_get_four_fixtures_and_every_monitoring_check() {
    let (_tmp, out) = out_dir();
    let file =
        common::repo().join("tests/fixtures/answers/bigquery-etl-four-sources-monitored.yaml");
    let run = run_answers_file(&file, &out, &[]);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    let tests =
        "tests/sql/search-data-prod/search_derived/search_volume_daily_v1/test_daily_volume/";
    let fixtures: Vec<String> = files(&out)
        .into_iter()
        .filter_map(|f| f.strip_prefix(tests).map(str::to_string))
        .collect();
    assert_eq!(
        fixtures,
        [
            "expect.yaml",
            "query_params.yaml",
            "search_stable.ad_clicks_v1.yaml",
            "search_stable.searches_v3.yaml",
            "web-events-prod.sessions_derived.bounces_v1.yaml",
            "web-events-prod.sessions_stable.sessions_v2.yaml",
        ]
    );
    let bigconfig = read(
        &out,
        "sql/search-data-prod/search_derived/search_volume_daily_v1/bigconfig.yml",
    );
    for metric in ["FRESHNESS", "VOLUME", "PERCENT_NULL", "COUNT_DUPLICATES"] {
        assert!(
            bigconfig.contains(&format!("predefined_metric: {metric}\n")),
            "{metric}: {bigconfig}"
        );
    }
    assert!(
        bigconfig.contains("- slack: \"#search-alerts\""),
        "{bigconfig}"
    );
    let metadata = read(
        &out,
        "sql/search-data-prod/search_derived/search_volume_daily_v1/metadata.yaml",
    );
    assert!(metadata.contains("  schedule: hourly\n"), "{metadata}");
    assert!(metadata.contains("  clustering: null\n"), "{metadata}");
}

const ONE_TABLE: &str = "skillchain: 1\npack: bigquery-etl\ngoal: new bigquery table\n\
     skills: [bigquery-etl-core, model-requirements, query-writer, metadata-manager, sql-test-generator]\n";

#[test]
fn an_unpartitioned_full_refresh_table_has_no_partitioning_and_no_query_params() {
    let (_tmp, out) = out_dir();
    let yaml = format!(
        "{ONE_TABLE}answers:\n  model-requirements:\n    load: full_refresh\n    partition_field: \"\"\n    cluster_by: \"\"\n"
    );
    let run = run_answers(&yaml, &out, &["--defaults"]);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    let metadata = read(&out, &format!("{TABLE_DIR}/metadata.yaml"));
    assert!(
        metadata.contains("  time_partitioning: null\n  clustering: null\n"),
        "{metadata}"
    );
    let query = read(&out, &format!("{TABLE_DIR}/query.sql"));
    assert!(!query.contains("WHERE"), "{query}");
    assert!(!out.join(TEST_DIR).join("query_params.yaml").exists());
}

#[test]
fn an_incremental_table_without_partition_is_a_conflict_until_resolved() {
    let (_tmp, out) = out_dir();
    let yaml = format!(
        "{ONE_TABLE}answers:\n  model-requirements:\n    load: incremental\n    partition_field: \"\"\n"
    );
    let refused = run_answers(&yaml, &out, &["--defaults"]);
    assert_eq!(
        code(&refused),
        2,
        "{}{}",
        stdout(&refused),
        stderr(&refused)
    );
    let why = format!("{}{}", stdout(&refused), stderr(&refused));
    for word in [
        "incremental-without-partition",
        "partition-by-submission-date",
        "full-refresh",
    ] {
        assert!(why.contains(word), "`{word}` missing from:\n{why}");
    }
    assert!(!out.exists(), "nothing is written while a conflict is open");

    let resolved = format!(
        "{yaml}resolutions:\n  incremental-without-partition: partition-by-submission-date\n"
    );
    let run = run_answers(&resolved, &out, &["--defaults"]);
    assert_eq!(code(&run), 0, "{}{}", stdout(&run), stderr(&run));
    let metadata = read(&out, &format!("{TABLE_DIR}/metadata.yaml"));
    assert!(
        metadata.contains("    field: submission_date\n"),
        "{metadata}"
    );
}

#[test]
fn invalid_bigquery_identifiers_are_refused_with_what_is_expected() {
    let (_tmp, out) = out_dir();
    let yaml = format!(
        "{ONE_TABLE}answers:\n  bigquery-etl-core:\n    project: My_Project\n    dataset: 9lives\n    table: user-activity\n  \
         model-requirements:\n    sources: \"events, a.b.c.d\"\n  metadata-manager:\n    owners: not-an-email\n"
    );
    let refused = run_answers(&yaml, &out, &["--defaults"]);
    assert_eq!(
        code(&refused),
        2,
        "{}{}",
        stdout(&refused),
        stderr(&refused)
    );
    let why = stderr(&refused);
    for expected in [
        "a GCP project id",
        "a BigQuery dataset name",
        "ending in a version suffix such as _v1",
        "1 to 4 source tables as dataset.table or project.dataset.table",
        "one or more email addresses",
    ] {
        assert!(why.contains(expected), "`{expected}` missing from:\n{why}");
    }
    assert!(!out.exists());
}

#[test]
fn monitoring_defaults_to_on_for_incremental_tables_or_when_the_goal_asks() {
    let bigconfig = format!("{TABLE_DIR}/bigconfig.yml");
    let cases = [
        ("new bigquery table", "incremental", true),
        ("new bigquery table", "full_refresh", false),
        (
            "new bigquery table with bigeye alerts",
            "full_refresh",
            true,
        ),
        (
            "new bigquery table without monitoring",
            "incremental",
            false,
        ),
    ];
    for (goal, load, monitored) in cases {
        let (_tmp, out) = out_dir();
        let yaml = format!(
            "skillchain: 1\npack: bigquery-etl\ngoal: {goal}\nskills: [{}]\n\
             answers:\n  model-requirements:\n    load: {load}\n",
            FULL.join(", ")
        );
        let run = run_answers(&yaml, &out, &["--defaults"]);
        assert_eq!(code(&run), 0, "{goal}: {}{}", stdout(&run), stderr(&run));
        assert_eq!(out.join(&bigconfig).is_file(), monitored, "{goal}, {load}");
        let metadata = read(&out, &format!("{TABLE_DIR}/metadata.yaml"));
        assert_eq!(
            metadata.contains("monitoring:\n  enabled: true"),
            monitored,
            "{goal}, {load}: {metadata}"
        );
    }
}
