//! Validation against real files in temp dirs: statuses, placeholders,
//! completeness, glob semantics, ignored folders, errors, the text panel and
//! the JSON shape.

use std::fs;

use skillchain::pack::{ContentCheck, Deliverable, Maturity};
use skillchain::validate::{
    completeness, render_text, validate_tree, CheckFailure, Report, Status,
};
use tempfile::TempDir;

fn tree(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let full = dir.path().join(path);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(full, content).unwrap();
    }
    dir
}

fn deliverable(id: &str, files: &[&str]) -> Deliverable {
    Deliverable {
        id: id.to_string(),
        name: id.replace('-', " "),
        description: String::new(),
        skill: "transforming-data".to_string(),
        files: files.iter().map(|s| s.to_string()).collect(),
        checks: Vec::new(),
        maturity: Vec::new(),
        required_when: Vec::new(),
        skipped_when: Vec::new(),
    }
}

fn with_check(mut d: Deliverable, path: &str, pattern: &str, description: &str) -> Deliverable {
    d.checks.push(ContentCheck {
        path: path.to_string(),
        pattern: pattern.to_string(),
        description: description.to_string(),
        when: None,
    });
    d
}

fn at(mut d: Deliverable, levels: &[Maturity]) -> Deliverable {
    d.maturity = levels.to_vec();
    d
}

fn run(dir: &TempDir, ds: &[Deliverable]) -> Report {
    validate_tree(dir.path(), ds, Maturity::Intermediate, Some("bp")).unwrap()
}

fn statuses(report: &Report) -> Vec<Status> {
    report.results.iter().map(|r| r.status).collect()
}

#[test]
fn fulfilled_when_every_glob_matches_a_non_empty_file_and_every_check_passes() {
    let dir = tree(&[
        ("dbt/dbt_project.yml", "name: shop\nmodels:\n  shop: {}\n"),
        ("dbt/models/orders.sql", "select 1"),
    ]);
    let d = with_check(
        deliverable("dbt-project", &["dbt/dbt_project.yml", "dbt/models/*.sql"]),
        "dbt/dbt_project.yml",
        r"(?m)^models:",
        "models are configured",
    );
    let report = run(&dir, &[d]);
    let r = &report.results[0];
    assert_eq!(r.status, Status::Fulfilled);
    assert_eq!(r.found, ["dbt/dbt_project.yml", "dbt/models/orders.sql"]);
    assert!(r.missing.is_empty());
    assert!(r.failed_checks.is_empty());
    assert_eq!((report.fulfilled, report.required), (1, 1));
}

#[test]
fn missing_when_no_glob_matches_anything() {
    let dir = tree(&[("README.md", "# hi")]);
    let report = run(
        &dir,
        &[deliverable(
            "stream",
            &["streaming/*.yml", "streaming/consumer.py"],
        )],
    );
    let r = &report.results[0];
    assert_eq!(r.status, Status::Missing);
    assert!(r.found.is_empty());
    assert_eq!(r.missing, ["streaming/*.yml", "streaming/consumer.py"]);
    assert_eq!(report.missing, 1);
}

#[test]
fn an_empty_file_counts_as_missing() {
    let dir = tree(&[("docker-compose.yml", "")]);
    let report = run(&dir, &[deliverable("compose", &["docker-compose.yml"])]);
    assert_eq!(report.results[0].status, Status::Missing);
    assert_eq!(report.results[0].missing, ["docker-compose.yml"]);
}

#[test]
fn a_folder_holding_only_placeholders_counts_as_missing() {
    let dir = tree(&[
        ("monitoring/.gitkeep", ""),
        // A placeholder never counts, even with something written in it.
        ("monitoring/alerts/.keep", "keep this folder\n"),
        ("monitoring/alerts/empty.yml", ""),
    ]);
    let report = run(
        &dir,
        &[
            deliverable("by-folder", &["monitoring"]),
            deliverable("by-trailing-slash", &["monitoring/"]),
            deliverable("by-contents", &["monitoring/**"]),
        ],
    );
    assert_eq!(statuses(&report), [Status::Missing; 3]);
}

#[test]
fn a_glob_naming_a_folder_matches_the_real_files_inside_it() {
    let dir = tree(&[
        ("monitoring/.gitkeep", ""),
        ("monitoring/alerts/cpu.yml", "alert: cpu"),
    ]);
    let report = run(&dir, &[deliverable("monitoring", &["./monitoring/"])]);
    let r = &report.results[0];
    assert_eq!(r.status, Status::Fulfilled);
    assert_eq!(r.expected, ["./monitoring/"]);
    assert_eq!(r.found, ["monitoring/alerts/cpu.yml"]);
}

#[test]
fn incomplete_when_one_glob_matches_and_another_matches_nothing() {
    let dir = tree(&[("dbt/dbt_project.yml", "name: shop")]);
    let report = run(
        &dir,
        &[deliverable(
            "dbt",
            &["dbt/dbt_project.yml", "dbt/tests/*.sql"],
        )],
    );
    let r = &report.results[0];
    assert_eq!(r.status, Status::Incomplete);
    assert_eq!(r.found, ["dbt/dbt_project.yml"]);
    assert_eq!(r.missing, ["dbt/tests/*.sql"]);
    assert_eq!(report.incomplete, 1);
}

#[test]
fn incomplete_when_a_check_regex_matches_nowhere_and_the_failure_is_named() {
    let dir = tree(&[("dbt/dbt_project.yml", "name: shop\n")]);
    let d = with_check(
        deliverable("dbt", &["dbt/dbt_project.yml"]),
        "dbt/dbt_project.yml",
        r"(?m)^models:",
        "models are configured",
    );
    let report = run(&dir, &[d]);
    let r = &report.results[0];
    assert_eq!(r.status, Status::Incomplete);
    assert_eq!(
        r.failed_checks,
        [CheckFailure {
            path: "dbt/dbt_project.yml".into(),
            pattern: "(?m)^models:".into(),
            description: "models are configured".into(),
            reason: "`(?m)^models:` not found in dbt/dbt_project.yml".into(),
        }]
    );
    assert_eq!(
        r.first_problem().as_deref(),
        Some("models are configured: `(?m)^models:` not found in dbt/dbt_project.yml")
    );
}

#[test]
fn a_check_over_several_files_names_how_many_it_searched() {
    let dir = tree(&[("sql/a.sql", "select 1"), ("sql/b.sql", "select 2")]);
    let d = with_check(
        deliverable("sql", &["sql/*.sql"]),
        "sql/*.sql",
        "(?i)create table",
        "",
    );
    let r = &run(&dir, &[d]).results[0];
    assert_eq!(r.status, Status::Incomplete);
    assert_eq!(
        r.failed_checks[0].reason,
        "`(?i)create table` not found in any of the 2 files matching `sql/*.sql`"
    );
}

#[test]
fn a_check_passes_when_its_regex_matches_in_any_one_file() {
    let dir = tree(&[
        ("sql/a.sql", "select 1"),
        ("sql/b.sql", "CREATE TABLE orders (id int)"),
    ]);
    let d = with_check(
        deliverable("sql", &["sql/*.sql"]),
        "sql/*.sql",
        "(?i)create table",
        "",
    );
    assert_eq!(run(&dir, &[d]).results[0].status, Status::Fulfilled);
}

#[test]
fn incomplete_when_a_check_path_matches_only_empty_files() {
    let dir = tree(&[
        ("dbt/dbt_project.yml", "name: shop"),
        ("dbt/schema.yml", ""),
    ]);
    let d = with_check(
        deliverable("dbt", &["dbt/dbt_project.yml"]),
        "dbt/schema.yml",
        "tests:",
        "",
    );
    let r = &run(&dir, &[d]).results[0];
    assert_eq!(r.status, Status::Incomplete);
    assert_eq!(
        r.failed_checks[0].reason,
        "no non-empty file matches `dbt/schema.yml`"
    );
    assert_eq!(
        r.first_problem().as_deref(),
        Some("no non-empty file matches `dbt/schema.yml`")
    );
}

#[test]
fn a_check_over_a_folder_reads_the_files_inside_it() {
    let dir = tree(&[("dags/pipeline.py", "from airflow import DAG\n")]);
    let d = with_check(deliverable("dag", &["dags/*.py"]), "dags", r"\bDAG\b", "");
    assert_eq!(run(&dir, &[d]).results[0].status, Status::Fulfilled);
}

#[test]
fn skipped_when_not_required_at_the_maturity_and_judged_again_at_another() {
    let dir = tree(&[("README.md", "# hi")]);
    let ds = [
        deliverable("readme", &["README.md"]),
        at(
            deliverable("monitoring", &["monitoring/**"]),
            &[Maturity::Advanced],
        ),
    ];
    let report = run(&dir, &ds);
    assert_eq!(statuses(&report), [Status::Fulfilled, Status::Skipped]);
    assert_eq!(
        (report.required, report.skipped, report.completeness),
        (1, 1, 100)
    );
    assert!(report.pass);
    // Skipped results still say what is on disk.
    assert_eq!(report.results[1].missing, ["monitoring/**"]);

    let advanced = report.with_maturity(Maturity::Advanced);
    assert_eq!(advanced.maturity, Maturity::Advanced);
    assert_eq!(statuses(&advanced), [Status::Fulfilled, Status::Missing]);
    assert_eq!(
        (advanced.required, advanced.completeness, advanced.pass),
        (2, 50, false)
    );
    assert_eq!(
        advanced,
        validate_tree(dir.path(), &ds, Maturity::Advanced, Some("bp")).unwrap()
    );
}

#[test]
fn four_of_five_fulfilled_is_80_percent_and_passes() {
    let dir = tree(&[("a", "1"), ("b", "1"), ("c", "1"), ("d", "1")]);
    let ds: Vec<_> = ["a", "b", "c", "d", "e"]
        .iter()
        .map(|f| deliverable(f, &[f]))
        .collect();
    let report = run(&dir, &ds);
    assert_eq!(
        (report.fulfilled, report.missing, report.required),
        (4, 1, 5)
    );
    assert_eq!(report.completeness, 80);
    assert!(report.pass);
    assert_eq!(report.verdict(), "PASS");
}

#[test]
fn three_of_four_fulfilled_is_75_percent_and_needs_attention() {
    let dir = tree(&[("a", "1"), ("b", "1"), ("c", "1")]);
    let ds: Vec<_> = ["a", "b", "c", "d"]
        .iter()
        .map(|f| deliverable(f, &[f]))
        .collect();
    let report = run(&dir, &ds);
    assert_eq!(report.completeness, 75);
    assert!(!report.pass);
    assert_eq!(report.verdict(), "NEEDS ATTENTION");
    assert_eq!(
        report.to_fix().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["d"]
    );
}

#[test]
fn completeness_rounds_down_and_is_full_when_nothing_is_required() {
    assert_eq!(completeness(0, 0), (100, true));
    assert_eq!(completeness(2, 3), (66, false));
    assert_eq!(completeness(4, 5), (80, true));
    assert_eq!(completeness(79, 100), (79, false));
    assert_eq!(completeness(3, 3), (100, true));
    // 0.7999… must not round up into a pass.
    assert_eq!(completeness(7999, 10000), (79, false));

    let dir = tree(&[]);
    let report = run(&dir, &[at(deliverable("x", &["x"]), &[Maturity::Advanced])]);
    assert_eq!(
        (report.required, report.completeness, report.pass),
        (0, 100, true)
    );
}

#[test]
fn a_single_star_does_not_cross_folders() {
    let dir = tree(&[("models/staging/stg_orders.sql", "select 1")]);
    let report = run(
        &dir,
        &[
            deliverable("flat", &["models/*.sql"]),
            deliverable("any-depth", &["models/**/*.sql"]),
            deliverable("star-star-top", &["**/stg_*.sql"]),
        ],
    );
    assert_eq!(
        statuses(&report),
        [Status::Missing, Status::Fulfilled, Status::Fulfilled]
    );
}

#[test]
fn skillchain_and_git_folders_are_never_looked_at() {
    let dir = tree(&[
        (".skillchain/answers.yaml", "answers: {}"),
        (".skillchain/plan.md", "# plan"),
        (".git/config", "[core]"),
        ("nested/.git/HEAD", "ref: main"),
        ("plan.md", "# the project's own plan"),
    ]);
    let report = run(
        &dir,
        &[
            deliverable("answers", &["**/answers.yaml"]),
            deliverable("git", &["**/config", "nested/**"]),
            deliverable("plans", &["**/plan.md"]),
        ],
    );
    assert_eq!(
        statuses(&report),
        [Status::Missing, Status::Missing, Status::Fulfilled]
    );
    assert_eq!(report.results[2].found, ["plan.md"]);
}

#[test]
fn found_is_sorted_deduplicated_and_slash_separated() {
    let dir = tree(&[
        ("sql/b/2.sql", "x"),
        ("sql/a/1.sql", "x"),
        ("sql/a-z.sql", "x"),
    ]);
    let r = &run(
        &dir,
        &[deliverable(
            "sql",
            &["sql/**/*.sql", "sql/a", "sql/a/1.sql"],
        )],
    )
    .results[0];
    assert_eq!(r.status, Status::Fulfilled);
    assert_eq!(r.found, ["sql/a-z.sql", "sql/a/1.sql", "sql/b/2.sql"]);
}

#[test]
fn a_deliverable_with_only_checks_promises_the_files_its_checks_read() {
    let dir = tree(&[("config/.env.example", "DATABASE_URL=\n")]);
    let d = with_check(
        deliverable("env", &[]),
        "config/.env.example",
        "DATABASE_URL",
        "",
    );
    let r = &run(&dir, &[d]).results[0];
    assert_eq!(r.expected, ["config/.env.example"]);
    assert_eq!(r.status, Status::Fulfilled);
}

#[test]
fn a_missing_root_says_which_folder_and_what_to_do() {
    let dir = tree(&[]);
    let root = dir.path().join("data-pipeline");
    let err = validate_tree(
        &root,
        &[deliverable("x", &["x"])],
        Maturity::Intermediate,
        None,
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        format!(
            "cannot validate `{}`: the folder does not exist; pass the folder the project was generated into, or generate it first with `skillchain run`",
            root.display()
        )
    );
}

#[test]
fn a_root_that_is_a_file_is_refused() {
    let dir = tree(&[("file.txt", "x")]);
    let root = dir.path().join("file.txt");
    let err = validate_tree(&root, &[], Maturity::Intermediate, None)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "cannot validate `{}`: it is a file, not a folder; pass the folder the project was generated into",
            root.display()
        )
    );
}

#[test]
fn every_invalid_glob_and_regex_is_listed() {
    let dir = tree(&[]);
    let ds = [
        with_check(deliverable("a", &["models/[.sql"]), "x", "(unclosed", ""),
        deliverable("b", &["models/[.sql", "ok/*.sql"]),
    ];
    let err = validate_tree(dir.path(), &ds, Maturity::Intermediate, Some("shop"))
        .unwrap_err()
        .to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[0],
        "cannot validate against blueprint `shop` (3 problems):"
    );
    assert!(
        lines[1].starts_with("  - deliverable `a`: file glob `models/[.sql` is not a valid glob: "),
        "{err}"
    );
    assert!(
        lines[2]
            .starts_with("  - deliverable `a`: check pattern `(unclosed` is not a valid regex: "),
        "{err}"
    );
    assert!(
        lines[3].starts_with("  - deliverable `b`: file glob `models/[.sql` is not a valid glob: "),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn links_count_only_when_they_point_inside_the_root() {
    let outside = tree(&[("secret.yml", "password: x")]);
    let dir = tree(&[("real/target.yml", "a: 1")]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.yml"),
        dir.path().join("out.yml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("real/target.yml"),
        dir.path().join("in.yml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("linked-dir")).unwrap();
    let report = run(
        &dir,
        &[
            deliverable("out", &["out.yml"]),
            deliverable("in", &["in.yml"]),
            deliverable("dir", &["linked-dir/**"]),
        ],
    );
    assert_eq!(
        statuses(&report),
        [Status::Missing, Status::Fulfilled, Status::Missing]
    );
    assert_eq!(
        report.warnings,
        [
            "`linked-dir` links out of the project folder; not counted",
            "`out.yml` links out of the project folder; not counted",
        ]
    );
}

/// One deliverable of each status, with the root made stable for snapshots.
fn sample_report() -> Report {
    let dir = tree(&[
        ("architecture/schema.sql", "create table orders (id int);"),
        ("dbt/dbt_project.yml", "name: shop\n"),
        ("streaming/.gitkeep", ""),
    ]);
    let mut streaming = deliverable("streaming", &["streaming/topics.yml", "streaming/*.py"]);
    streaming.name = "Streaming config".into();
    streaming.skill = "streaming-data".into();
    let mut architecture = deliverable("architecture", &["architecture/*.sql"]);
    architecture.name = "Architecture DDL".into();
    architecture.skill = "architecting-data".into();
    let mut dbt = with_check(
        deliverable("dbt", &["dbt/dbt_project.yml", "dbt/models/**/*.sql"]),
        "dbt/dbt_project.yml",
        "models:",
        "models are configured",
    );
    dbt.name = "dbt project".into();
    let mut monitoring = at(
        deliverable("monitoring", &["monitoring/**"]),
        &[Maturity::Advanced],
    );
    monitoring.name = "Monitoring".into();
    monitoring.skill = "performance-engineering".into();
    let mut report = validate_tree(
        dir.path(),
        &[architecture, streaming, dbt, monitoring],
        Maturity::Intermediate,
        Some("kafka-snowflake-dbt"),
    )
    .unwrap();
    report.root = "data-pipeline".into();
    report
}

#[test]
fn render_text_shows_every_status_counts_gauge_and_what_to_fix() {
    let text = render_text(&sample_report(), false);
    assert_eq!(
        text,
        "\
VALIDATION REPORT
Root:       data-pipeline
Blueprint:  kafka-snowflake-dbt
Maturity:   intermediate

✓ Architecture DDL
✗ Streaming config — missing: streaming/topics.yml, streaming/*.py
⚠ dbt project — missing: dbt/models/**/*.sql (+1 more)
○ Monitoring (not required at intermediate)

Required: 3  Fulfilled: 1  Missing: 1  Incomplete: 1  Skipped: 1
Completeness: 33% [███░░░░░░░]
NEEDS ATTENTION
To fix: Streaming config (streaming-data), dbt project (transforming-data)
"
    );
}

#[test]
fn render_text_passing_without_blueprint_has_no_fix_line() {
    let dir = tree(&[("a", "1")]);
    let mut report = validate_tree(
        dir.path(),
        &[deliverable("a", &["a"])],
        Maturity::Starter,
        None,
    )
    .unwrap();
    report.root = "out".into();
    assert_eq!(
        render_text(&report, false),
        "\
VALIDATION REPORT
Root:       out
Blueprint:  (skill outputs)
Maturity:   starter

✓ a

Required: 1  Fulfilled: 1  Missing: 0  Incomplete: 0  Skipped: 0
Completeness: 100% [██████████]
PASS
"
    );
}

#[test]
fn render_text_colours_symbols_and_verdict_only_when_asked() {
    let report = sample_report();
    let plain = render_text(&report, false);
    assert!(!plain.contains('\x1b'));
    let coloured = render_text(&report, true);
    assert!(coloured.contains("\x1b[32m✓\x1b[0m Architecture DDL"));
    assert!(coloured.contains("\x1b[31m✗\x1b[0m Streaming config"));
    assert!(coloured.contains("\x1b[33m⚠\x1b[0m dbt project"));
    assert!(coloured.contains("\x1b[2m○\x1b[0m Monitoring"));
    assert!(coloured.contains("\x1b[1;31mNEEDS ATTENTION\x1b[0m"));
    // Stripping the colour codes gives back the plain text exactly.
    let stripped = regex::Regex::new("\x1b\\[[0-9;]*m")
        .unwrap()
        .replace_all(&coloured, "");
    assert_eq!(stripped, plain);
}

#[test]
fn json_shape_is_stable() {
    let mut report = sample_report();
    report.results.truncate(1);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "root": "data-pipeline",
            "blueprint": "kafka-snowflake-dbt",
            "maturity": "intermediate",
            "results": [{
                "id": "architecture",
                "name": "Architecture DDL",
                "skill": "architecting-data",
                "status": "fulfilled",
                "expected": ["architecture/*.sql"],
                "found": ["architecture/schema.sql"],
                "missing": [],
                "failed_checks": [],
                "maturity": [],
                "in_chain": true,
                "reason": null
            }],
            "required": 3,
            "fulfilled": 1,
            "missing": 1,
            "incomplete": 1,
            "skipped": 1,
            "completeness": 33,
            "pass": false,
            "warnings": []
        })
    );
    let skipped = serde_json::to_value(&sample_report().results[3]).unwrap();
    assert_eq!(skipped["status"], "skipped");
    assert_eq!(skipped["maturity"], serde_json::json!(["advanced"]));
}

#[test]
fn sizes_are_right_when_many_files_are_measured_at_once() {
    // Enough matched files to spread the size reads over threads.
    let dir = tempfile::tempdir().unwrap();
    for f in 0..50 {
        let folder = dir.path().join(format!("models/f{f:02}"));
        fs::create_dir_all(&folder).unwrap();
        for i in 0..100 {
            let content = if i % 2 == 0 { "select 1" } else { "" };
            fs::write(folder.join(format!("m{i:02}.sql")), content).unwrap();
        }
    }
    fs::write(dir.path().join("models/f07/.gitkeep"), "keep").unwrap();
    let report = run(
        &dir,
        &[
            deliverable("all", &["models/**/*.sql"]),
            deliverable("odd-only", &["models/*/m?[13579].sql"]),
            deliverable("one-folder", &["models/f07"]),
        ],
    );
    assert_eq!(report.results[0].found.len(), 2500);
    assert_eq!(
        report.results[0].found[..2],
        ["models/f00/m00.sql", "models/f00/m02.sql"]
    );
    assert_eq!(report.results[1].status, Status::Missing);
    assert_eq!(report.results[2].found.len(), 50);
    assert!(report.warnings.is_empty());
}

#[test]
fn a_bad_check_path_standing_in_for_files_is_reported_once() {
    let dir = tree(&[]);
    let d = with_check(deliverable("env", &[]), "config/[.env", "X", "");
    let err = validate_tree(dir.path(), &[d], Maturity::Intermediate, None)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "\
cannot validate against the skills' outputs:
  - deliverable `env`: file glob `config/[.env` is not a valid glob: unclosed character class; missing ']'
"
    );
}

fn when(expr: &str, reason: &str) -> skillchain::pack::DeliverableCondition {
    skillchain::pack::DeliverableCondition {
        when: expr.to_string(),
        reason: reason.to_string(),
    }
}

/// Every combination of the deciding answer, the maturity and the file on
/// disk: `skipped_when` wins, `required_when` requires at every maturity,
/// neither leaves it to the maturity; the reason is reported exactly.
#[test]
fn answers_decide_a_deliverable_at_every_maturity_with_the_reason() {
    use skillchain::expr::Scope;
    use skillchain::validate::{decide, validate_decided};
    let mut d = at(
        deliverable("load-tests", &["load.py"]),
        &[Maturity::Advanced],
    );
    d.required_when = vec![when("perf.load_tests == true", "asked for")];
    d.skipped_when = vec![when("perf.load_tests == false", "not asked for")];
    for answer in [Some(true), Some(false), None] {
        for present in [true, false] {
            let dir = if present {
                tree(&[("load.py", "print(1)\n")])
            } else {
                tree(&[])
            };
            // Every skill has a map in a session's scope, empty when unanswered.
            let mut scope = Scope::default();
            scope.answers.insert("perf".to_string(), Default::default());
            if let Some(a) = answer {
                scope.set(
                    "perf",
                    "load_tests",
                    skillchain::value::AnswerValue::Bool(a),
                );
            }
            let decisions = decide(std::slice::from_ref(&d), &scope).unwrap();
            for m in [
                Maturity::Starter,
                Maturity::Intermediate,
                Maturity::Advanced,
            ] {
                let r = validate_decided(
                    dir.path(),
                    std::slice::from_ref(&d),
                    m,
                    None,
                    None,
                    &decisions,
                )
                .unwrap();
                let res = &r.results[0];
                let required = match answer {
                    Some(a) => a,
                    None => m == Maturity::Advanced,
                };
                let expected = match (required, present) {
                    (false, _) => Status::Skipped,
                    (true, true) => Status::Fulfilled,
                    (true, false) => Status::Missing,
                };
                assert_eq!(
                    res.status, expected,
                    "answer {answer:?}, file {present}, {m:?}"
                );
                let reason = answer.map(|a| if a { "asked for" } else { "not asked for" });
                assert_eq!(res.reason.as_deref(), reason);
                // Changing maturity on the report keeps the answers' decision.
                let other = r.with_maturity(Maturity::Starter);
                assert_eq!(
                    other.results[0].status == Status::Skipped,
                    !answer.unwrap_or(false),
                    "answer {answer:?} at starter"
                );
                let text = render_text(&r, false);
                if expected == Status::Skipped && answer.is_some() {
                    assert!(
                        text.contains("load tests (skipped: not asked for)"),
                        "{text}"
                    );
                }
                let json = serde_json::to_value(&r).unwrap();
                assert_eq!(json["results"][0]["reason"], serde_json::json!(reason));
            }
        }
    }
}

#[test]
fn a_deciding_condition_that_cannot_be_evaluated_names_the_deliverable() {
    use skillchain::expr::Scope;
    let mut d = deliverable("k8s", &["k8s/*.yaml"]);
    d.skipped_when = vec![when("perf.deploy_target |", "x")];
    let err = skillchain::validate::decide(&[d], &Scope::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("deliverable `k8s`: skipped_when"), "{err}");
}

/// A check with a `when` is a promise only while its expression holds for
/// the answers: each answer of a multi-choice, with the file that has or
/// lacks the rule.
#[test]
fn a_check_applies_only_while_its_condition_holds() {
    use skillchain::expr::Scope;
    use skillchain::validate::{decide, validate_decided};
    let mut d = with_check(
        deliverable("alerts", &["alerts.yaml"]),
        "alerts.yaml",
        "pipeline_failed",
        "failures alert",
    );
    d.checks[0].when = Some("'failure' in (eh.alert_on or [])".to_string());
    for alert_on in [vec!["failure"], vec!["timeout"], vec![]] {
        for has_rule in [true, false] {
            let body = if has_rule {
                "- name: pipeline_failed\n"
            } else {
                "- name: run_timed_out\n"
            };
            let dir = tree(&[("alerts.yaml", body)]);
            let mut scope = Scope::default();
            scope.answers.insert("eh".to_string(), Default::default());
            scope.set(
                "eh",
                "alert_on",
                skillchain::value::AnswerValue::List(
                    alert_on.iter().map(|s| s.to_string()).collect(),
                ),
            );
            let decisions = decide(std::slice::from_ref(&d), &scope).unwrap();
            let r = validate_decided(
                dir.path(),
                std::slice::from_ref(&d),
                Maturity::Intermediate,
                None,
                None,
                &decisions,
            )
            .unwrap();
            let demanded = alert_on.contains(&"failure");
            let expected = if demanded && !has_rule {
                Status::Incomplete
            } else {
                Status::Fulfilled
            };
            assert_eq!(
                r.results[0].status, expected,
                "{alert_on:?} rule {has_rule}"
            );
        }
    }
}
