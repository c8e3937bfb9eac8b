//! The command line as a user runs it: the real binary, real folders.

mod common;

use common::*;
use std::fs;

fn out_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// `run --answers FILE --defaults --out OUT` with more arguments.
fn run_answers(
    file: &std::path::Path,
    out: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "run",
        "--answers",
        file.to_str().expect("utf8"),
        "--defaults",
        "--out",
        out.to_str().expect("utf8"),
    ];
    args.extend_from_slice(extra);
    sc(&args)
}

#[test]
fn detect_explains_pack_blueprint_chain_and_estimates() {
    let o = sc(&["detect", "kafka pipeline with dbt", "--pack", "mini"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    assert_eq!(
        text,
        r#"SKILL CHAIN DETECTED FOR: "kafka pipeline with dbt"

Pack:      mini (Mini pack for tests)
           trigger words "kafka", "pipeline" (weight 4)
           skill score 20
           evidence 25 from "kafka" 10, "pipeline" 5, "dbt" 10
Blueprint: pipe, 80% confidence, offered
           "kafka", "pipeline", "dbt": weight 10 of 8 for 100%, at most 80% for a goal this short

Chain, in run order:
  1. base (foundation)
       required
       dependency of stream, transform
  2. stream (component)
       matched "kafka" (score 10)
       in blueprint pipe
  3. transform (component)
       matched "dbt" (score 10)
       in blueprint pipe

Estimated: 9 min, 10 questions

Next: skillchain run "kafka pipeline with dbt" --pack mini --defaults --out ./mini-out
"#
    );
}

#[test]
fn detect_json_gives_every_number_behind_the_chain() {
    let o = sc(&[
        "detect",
        "kafka pipelines with dbt",
        "--pack",
        "mini",
        "--json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["pack"], "mini");
    assert_eq!(v["blueprint"], "pipe");
    assert_eq!(
        v["normalised"],
        serde_json::json!(["kafka", "pipeline", "with", "dbt"])
    );
    let chain: Vec<&str> = v["chain"]
        .as_array()
        .expect("chain")
        .iter()
        .map(|e| e["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(chain, ["base", "stream", "transform"]);
    assert_eq!(
        v["chain"][1]["reasons"][0],
        serde_json::json!({"kind": "matched", "keywords": ["kafka"], "score": 10})
    );
    assert_eq!(
        v["chain"][0]["reasons"][1],
        serde_json::json!({"kind": "dependency-of", "skills": ["stream", "transform"]})
    );
    // Three content words: capped at 80 % (a short goal is never a sure match).
    assert_eq!(v["blueprints"][0]["confidence"], 80);
    assert_eq!(v["blueprints"][0]["cap"], 80);
    assert_eq!(v["ambiguous"], false);
    assert_eq!(v["runner_ups"], serde_json::json!([]));
    assert_eq!(
        v["stems"],
        serde_json::json!(["kafka", "pipelin", "with", "dbt"])
    );
    assert_eq!(v["blueprints"][0]["hit_weight"], 10);
    assert_eq!(v["blueprints"][0]["full_weight"], 8);
    assert_eq!(v["estimated_minutes"], 9);
    assert_eq!(v["question_count"], 10);
}

#[test]
fn a_goal_that_matches_nothing_exits_2_and_shows_example_goals() {
    let o = sc(&["detect", "bake a sourdough loaf"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("no pack matches the goal \"bake a sourdough loaf\""),
        "{err}"
    );
    assert!(
        err.contains("skillchain detect \"kafka pipeline with dbt\""),
        "{err}"
    );
}

#[test]
fn run_with_defaults_writes_the_tree_the_answers_and_the_plan_and_reports_pass() {
    let dir = out_dir();
    let out = dir.path().join("p");
    let o = run_mini(out.to_str().expect("utf8"), &[]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let files: Vec<String> = tree(&out).keys().cloned().collect();
    assert_eq!(
        files,
        [
            "base/demo.txt",
            "models/main.sql",
            "stream/kafka.yaml",
            "stream/registry.txt"
        ]
    );
    assert_eq!(
        fs::read_to_string(out.join("stream/kafka.yaml")).expect("file"),
        "platform: kafka\nformat: avro\npartitions: 6\n"
    );
    let answers = fs::read_to_string(out.join(".skillchain/answers.yaml")).expect("answers");
    assert!(
        answers.contains(
            "    scale:\n      value: large\n      source: blueprint\n      detail: pipe\n"
        ),
        "{answers}"
    );
    let plan = fs::read_to_string(out.join(".skillchain/plan.md")).expect("plan");
    assert!(
        plan.starts_with("# Plan: kafka pipeline with dbt\n"),
        "{plan}"
    );
    assert!(
        plan.contains("| `stream/kafka.yaml` | stream | new |"),
        "{plan}"
    );
    let text = stdout(&o);
    assert!(text.contains("Plan for"), "{text}");
    assert!(text.contains("\nPASS\n"), "{text}");
}

#[test]
fn replaying_the_answers_file_reproduces_byte_identical_files() {
    let dir = out_dir();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    let o = run_mini(
        a.to_str().expect("utf8"),
        &[
            "--set",
            "stream.platform=kinesis",
            "--set",
            "base.name=shop",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let answers = a.join(".skillchain/answers.yaml");
    let o = sc(&[
        "run",
        "--answers",
        answers.to_str().expect("utf8"),
        "--out",
        b.to_str().expect("utf8"),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(tree(&a), tree(&b));
    assert!(tree(&b).contains_key("stream/kinesis.yaml"));
    assert!(tree(&b).contains_key("base/shop.txt"));
}

#[test]
fn a_broken_answers_file_lists_every_problem_and_writes_nothing() {
    let dir = out_dir();
    let file = dir.path().join("answers.yaml");
    fs::write(
        &file,
        "skillchain: 1\npack: mini\ngoal: kafka streaming\nanswers:\n  base:\n    cloud: azure\n    nmae: x\n  stream:\n    format: json\n    registry: true\n    partitions: 100\n  nope:\n    a: 1\n",
    )
    .expect("write");
    let out = dir.path().join("never");
    let o = run_answers(&file, &out, &[]);
    assert_eq!(code(&o), 2);
    let f = file.display().to_string();
    let expected = format!(
        "error: nothing was written (5 problems):\n  \
         - {f}: answers.nope: `nope` is not a skill of pack mini\n  \
         - {f}: answers.base.cloud: `azure` is not one of: aws, gcp\n  \
         - {f}: answers.base.nmae: `base` has no question `nmae` (did you mean `name`?)\n  \
         - {f}: answers.stream.partitions: 100 is not a whole number from 1 to 64\n  \
         - {f}: answers.stream.registry: is answered, but its condition `stream.format == 'avro'` does not hold with these answers; remove it\n"
    );
    assert_eq!(stderr(&o), expected);
    assert!(!out.exists());
}

#[test]
fn without_defaults_every_unanswered_question_is_a_problem() {
    let dir = out_dir();
    let file = dir.path().join("answers.yaml");
    fs::write(&file, "skillchain: 1\npack: mini\ngoal: kafka streaming\nanswers:\n  base: { cloud: gcp, scale: small, name: x }\n  stream: { platform: kafka, format: json }\n").expect("write");
    let o = sc(&[
        "run",
        "--answers",
        file.to_str().expect("utf8"),
        "--out",
        dir.path().join("o").to_str().expect("utf8"),
    ]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        "error: nothing was written:\n  - answers.stream.partitions: no answer for \"Partitions?\"; add it to the answers file, or pass --defaults to take defaults\n"
    );
}

#[test]
fn malformed_answers_yaml_names_the_line_and_column() {
    let dir = out_dir();
    let file = dir.path().join("answers.yaml");
    fs::write(
        &file,
        "skillchain: 1\npack: mini\ngoal: x\nanswers:\n  base:\n    cloud: [aws\n",
    )
    .expect("write");
    let o = sc(&[
        "run",
        "--answers",
        file.to_str().expect("utf8"),
        "--out",
        dir.path().join("o").to_str().expect("utf8"),
    ]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!("error: answers:\n  - {}:7:1: ", file.display())),
        "{err}"
    );
}

#[test]
fn an_unknown_field_in_the_answers_file_suggests_the_right_one() {
    let dir = out_dir();
    let file = dir.path().join("answers.yaml");
    fs::write(&file, "skillchain: 1\npack: mini\ngoal: x\nanwsers: {}\n").expect("write");
    let o = sc(&[
        "run",
        "--answers",
        file.to_str().expect("utf8"),
        "--out",
        dir.path().join("o").to_str().expect("utf8"),
    ]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains(":4:1: unknown field `anwsers`, expected one of"),
        "{err}"
    );
    assert!(err.contains("(did you mean `answers`?)"), "{err}");
}

#[test]
fn an_existing_file_with_other_content_is_never_overwritten_without_force() {
    let dir = out_dir();
    let out = dir.path().join("p");
    let o_s = out.to_str().expect("utf8");
    assert_eq!(code(&run_mini(o_s, &[])), 0);
    fs::write(out.join("models/main.sql"), "-- my edit\n").expect("edit");
    let before = tree(&out);
    let o = run_mini(o_s, &[]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        format!(
            "error: nothing was written; these files exist with other content (rerun with --force to overwrite them, --pretend to see the plan, or --out to write elsewhere):\n  - {}: exists with other content (+1 −1 lines against what would be generated)\n",
            out.join("models/main.sql").display()
        )
    );
    assert_eq!(tree(&out), before);
    assert_eq!(code(&run_mini(o_s, &["--force"])), 0);
    assert_eq!(
        fs::read_to_string(out.join("models/main.sql")).expect("file"),
        "select 1 as id -- dbt\n"
    );
}

#[test]
fn pretend_shows_each_file_status_and_writes_nothing() {
    let dir = out_dir();
    let out = dir.path().join("p");
    let o_s = out.to_str().expect("utf8");
    assert_eq!(code(&run_mini(o_s, &[])), 0);
    fs::write(out.join("models/main.sql"), "changed\n").expect("edit");
    let o = run_mini(
        o_s,
        &[
            "--set",
            "stream.platform=kinesis",
            "--set",
            "stream.registry=no",
            "--pretend",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    let expected = format!(
        "Pack mini · blueprint pipe · maturity intermediate\n\
         Chain base → stream → transform\n\
         \n\
         Plan for {o_s}: 1 new, 1 identical, 1 conflict, 1 skipped\n  \
         base\n    \
         = base/demo.txt (identical)\n  \
         stream\n    \
         + stream/kinesis.yaml\n    \
         - stream/registry.txt\n        \
         condition `stream.registry` does not hold\n  \
         transform\n    \
         ! models/main.sql (exists with other content)\n\
         \n\
         Nothing written (--pretend).\n"
    );
    assert_eq!(text, expected);
    assert!(text.ends_with("Nothing written (--pretend).\n"), "{text}");
    assert_eq!(
        fs::read_to_string(out.join("models/main.sql")).expect("file"),
        "changed\n"
    );
}

#[test]
fn validate_passes_then_names_the_missing_deliverable_after_a_file_is_removed() {
    let dir = out_dir();
    let out = dir.path().join("p");
    let o_s = out.to_str().expect("utf8");
    assert_eq!(code(&run_mini(o_s, &[])), 0);
    let o = sc(&["validate", o_s]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("✓ Models\n"));
    fs::remove_file(out.join("models/main.sql")).expect("remove");
    let o = sc(&["validate", o_s]);
    assert_eq!(code(&o), 1);
    let text = stdout(&o);
    assert!(
        text.contains("✗ Models — missing: models/*.sql\n"),
        "{text}"
    );
    assert!(text.contains("NEEDS ATTENTION\n"), "{text}");
    let o = sc(&["validate", o_s, "--json"]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["pass"], false);
    assert_eq!(v["completeness"], 50);
    assert_eq!(v["results"][1]["status"], "missing");
    assert_eq!(v["results"][2]["status"], "skipped");
    let o = sc(&["validate", o_s, "--maturity", "advanced", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["results"][2]["status"], "fulfilled");
}

#[test]
fn validate_refuses_a_missing_folder_and_a_folder_without_a_record() {
    let dir = out_dir();
    let missing = dir.path().join("nope");
    let o = sc(&["validate", missing.to_str().expect("utf8")]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        format!("error: validate:\n  - {}: no such folder; pass the folder that `skillchain run --out` wrote\n", missing.display())
    );
    let o = sc(&["validate", dir.path().to_str().expect("utf8")]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("has no .skillchain/answers.yaml; pass --blueprint B"),
        "{}",
        stderr(&o)
    );
    fs::create_dir_all(dir.path().join("models")).expect("mkdir");
    fs::write(dir.path().join("models/a.sql"), "select 1").expect("write");
    let o = sc(&[
        "validate",
        dir.path().to_str().expect("utf8"),
        "--blueprint",
        "mini/pipe",
        "--json",
    ]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["blueprint"], "pipe");
    assert_eq!(v["fulfilled"], 1);
}

#[test]
fn without_a_blueprint_each_skills_outputs_are_its_deliverables() {
    let dir = out_dir();
    let out = dir.path().join("p");
    let o = sc(&[
        "run",
        "kafka streaming",
        "--pack",
        "mini",
        "--blueprint",
        "none",
        "--defaults",
        "--out",
        out.to_str().expect("utf8"),
        "--json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["blueprint"], serde_json::Value::Null);
    let names: Vec<&str> = v["report"]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["Base", "Stream"]);
    assert_eq!(v["report"]["pass"], true);
}

#[test]
fn an_unresolved_conflict_is_refused_with_its_resolutions_and_a_named_one_is_applied() {
    let dir = out_dir();
    let file = dir.path().join("answers.yaml");
    let body = "skillchain: 1\npack: mini\ngoal: kafka streaming with dbt\nblueprint: null\nskills: [stream, transform]\nanswers:\n  stream: { format: json }\n";
    fs::write(&file, body).expect("write");
    let out = dir.path().join("o");
    let o = run_answers(&file, &out, &[]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        "error: nothing was written:\n  - conflict json-with-dbt: dbt contracts need typed events: JSON events carry no schema for dbt contracts. Choose one of: use-avro (Switch to avro), accept (Keep both); pass `--resolve json-with-dbt=use-avro`, or add `resolutions: {json-with-dbt: <choice>}` to the answers file\n"
    );
    fs::write(
        &file,
        format!("{body}resolutions: {{ json-with-dbt: use-avro }}\n"),
    )
    .expect("write");
    let o = run_answers(&file, &out, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(out.join("stream/kafka.yaml")).expect("file"),
        "platform: kafka\nformat: avro\npartitions: 6\n"
    );
    let record = fs::read_to_string(out.join(".skillchain/answers.yaml")).expect("record");
    assert!(record.contains("    format:\n      value: avro\n      source: conflict-resolution\n      detail: 'json-with-dbt: use-avro'\n"), "{record}");
    assert!(
        record.contains("resolutions:\n  json-with-dbt: use-avro\n"),
        "{record}"
    );
}

#[test]
fn resolve_on_the_command_line_applies_a_resolution_and_wins_over_the_file() {
    let dir = out_dir();
    let file = dir.path().join("answers.yaml");
    let body = "skillchain: 1\npack: mini\ngoal: kafka streaming with dbt\nblueprint: null\nskills: [stream, transform]\nanswers:\n  stream: { format: json }\n";
    let out = dir.path().join("o");
    // The file accepts both; the command line switches to avro.
    fs::write(
        &file,
        format!("{body}resolutions: {{ json-with-dbt: accept }}\n"),
    )
    .expect("write");
    let o = run_answers(&file, &out, &["--resolve", "json-with-dbt=use-avro"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(out.join("stream/kafka.yaml")).expect("file"),
        "platform: kafka\nformat: avro\npartitions: 6\n"
    );
    let record = fs::read_to_string(out.join(".skillchain/answers.yaml")).expect("record");
    assert!(
        record.contains("resolutions:\n  json-with-dbt: use-avro\n"),
        "{record}"
    );
}

#[test]
fn a_wrong_resolve_names_the_flag_the_rule_and_the_choices_and_writes_nothing() {
    let dir = out_dir();
    let file = dir.path().join("answers.yaml");
    fs::write(&file, "skillchain: 1\npack: mini\ngoal: kafka streaming with dbt\nblueprint: null\nskills: [stream, transform]\nanswers:\n  stream: { format: json }\n").expect("write");
    let out = dir.path().join("o");
    let o = run_answers(
        &file,
        &out,
        &[
            "--resolve",
            "json-with-db=use-avro",
            "--resolve",
            "json-with-dbt",
        ],
    );
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        "error: nothing was written (3 problems):\n  - --resolve json-with-db: pack mini has no conflict rule `json-with-db` (did you mean `json-with-dbt`?)\n  - --resolve: `json-with-dbt` must be `conflict-id=resolution-id`\n  - conflict json-with-dbt: dbt contracts need typed events: JSON events carry no schema for dbt contracts. Choose one of: use-avro (Switch to avro), accept (Keep both); pass `--resolve json-with-dbt=use-avro`, or add `resolutions: {json-with-dbt: <choice>}` to the answers file\n"
    );
    assert!(!out.exists());
    let o = run_answers(&file, &out, &["--resolve", "json-with-dbt=avro"]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        "error: nothing was written:\n  - --resolve json-with-dbt: conflict `json-with-dbt` has no resolution `avro`: choose one of use-avro, accept\n"
    );
    assert!(!out.exists());
}

#[test]
fn skills_and_set_choose_the_chain_and_answers_from_the_command_line() {
    let dir = out_dir();
    let out = dir.path().join("o");
    let o = sc(&[
        "run",
        "anything",
        "--pack",
        "mini",
        "--skills",
        "transform",
        "--defaults",
        "--set",
        "transform.tool=sql",
        "--out",
        out.to_str().expect("utf8"),
        "--json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["chain"], serde_json::json!(["base", "transform"]));
    assert_eq!(
        fs::read_to_string(out.join("models/main.sql")).expect("file"),
        "select 1 as id -- sql\n"
    );
    let o = sc(&[
        "run",
        "anything",
        "--pack",
        "mini",
        "--skills",
        "transfrom",
        "--defaults",
        "--set",
        "base.cloud=mars",
        "--out",
        out.to_str().expect("utf8"),
    ]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        "error: nothing was written (2 problems):\n  - skills: `transfrom` is not a skill of pack mini (did you mean `transform`?)\n  - --set base.cloud: `mars` is not one of: aws, gcp\n"
    );
}

#[test]
fn list_shows_packs_with_skills_and_blueprints() {
    let o = sc(&["list", "--json"]);
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let mini = v["packs"]
        .as_array()
        .expect("packs")
        .iter()
        .find(|p| p["id"] == "mini")
        .expect("mini listed")
        .clone();
    let skills: Vec<&str> = mini["skills"]
        .as_array()
        .expect("skills")
        .iter()
        .map(|s| s["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(skills, ["base", "stream", "transform", "tune"]);
    assert_eq!(mini["blueprints"][0]["id"], "pipe");
    let o = sc(&["list"]);
    assert!(stdout(&o).contains("mini 1.0.0 (Mini pack for tests)"));
}

#[test]
fn a_secret_answer_is_never_written_or_printed() {
    let dir = out_dir();
    let out = dir.path().join("o");
    let o = sc(&[
        "run",
        "anything",
        "--pack",
        "mini",
        "--skills",
        "tune",
        "--defaults",
        "--set",
        "tune.token=s3cr3t-value",
        "--out",
        out.to_str().expect("utf8"),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!stdout(&o).contains("s3cr3t"));
    assert!(!stderr(&o).contains("s3cr3t"));
    for e in walkdir::WalkDir::new(&out).into_iter().flatten() {
        if e.file_type().is_file() {
            let text = fs::read_to_string(e.path()).expect("text");
            assert!(
                !text.contains("s3cr3t"),
                "{} holds the secret",
                e.path().display()
            );
        }
    }
    let plan = fs::read_to_string(out.join(".skillchain/plan.md")).expect("plan");
    assert!(
        plan.contains("   - Warehouse token: (secret, not recorded) (command line)\n"),
        "{plan}"
    );
    let record = fs::read_to_string(out.join(".skillchain/answers.yaml")).expect("record");
    assert!(!record.contains("token"), "{record}");
}

#[test]
fn blueprint_deliverables_of_skills_outside_the_chain_are_skipped_not_missing() {
    let dir = out_dir();
    let file = dir.path().join("answers.yaml");
    fs::write(
        &file,
        "skillchain: 1\npack: mini\ngoal: kafka pipeline\nblueprint: pipe\nskills: [stream]\nanswers: {}\n",
    )
    .expect("write");
    let out = dir.path().join("o");
    let o = run_answers(&file, &out, &[]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("✓ Stream config\n"), "{text}");
    assert!(
        text.contains("○ Models (skill transform is not in the chain)\n"),
        "{text}"
    );
    assert!(
        text.contains("Required: 1  Fulfilled: 1  Missing: 0  Incomplete: 0  Skipped: 2\n"),
        "{text}"
    );
    let o = sc(&["validate", out.to_str().expect("utf8"), "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["results"][1]["status"], "skipped");
    assert_eq!(v["results"][1]["in_chain"], false);
    let o = sc(&[
        "validate",
        out.to_str().expect("utf8"),
        "--maturity",
        "advanced",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["results"][1]["status"], "skipped");
}

#[test]
fn every_bundled_pack_passes_lint() {
    let o = std::process::Command::new(bin())
        .arg("lint")
        .output()
        .expect("runs");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("✓ data-engineering (bundled:data-engineering): 6 skills"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.ends_with("no problems")), "{text}");
}

#[test]
fn a_pack_on_disk_with_a_bundled_id_replaces_the_bundled_one() {
    let dir = out_dir();
    let copy = dir.path().join("data-engineering");
    for e in walkdir::WalkDir::new(repo().join("skillchains/data-engineering"))
        .into_iter()
        .flatten()
    {
        let rel = e
            .path()
            .strip_prefix(repo().join("skillchains/data-engineering"))
            .expect("inside");
        let target = copy.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(e.path(), &target).expect("copy");
        }
    }
    let manifest = copy.join("pack.yaml");
    let text = fs::read_to_string(&manifest).expect("manifest");
    fs::write(&manifest, text.replacen("title: ", "title: Local ", 1)).expect("write");
    let o = std::process::Command::new(bin())
        .args([
            "--skillchains",
            dir.path().to_str().expect("utf8"),
            "list",
            "--json",
        ])
        .output()
        .expect("runs");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let found: Vec<&serde_json::Value> = v["packs"]
        .as_array()
        .expect("packs")
        .iter()
        .filter(|p| p["id"] == "data-engineering")
        .collect();
    assert_eq!(found.len(), 1);
    assert!(
        found[0]["title"]
            .as_str()
            .unwrap_or("")
            .starts_with("Local "),
        "{}",
        found[0]["title"]
    );
    assert_eq!(found[0]["origin"], copy.display().to_string());
}

#[test]
fn packs_in_the_config_dir_are_loaded_and_a_broken_one_is_named() {
    let xdg = tempfile::tempdir().unwrap();
    let packs = xdg.path().join("skillchain/skillchains");
    std::fs::create_dir_all(&packs).unwrap();
    common::copy_dir(&common::mini(), &packs.join("mini"));
    let list = |args: &[&str]| {
        std::process::Command::new(common::bin())
            .env("XDG_CONFIG_HOME", xdg.path())
            .env("XDG_DATA_HOME", xdg.path().join("data"))
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .unwrap()
    };
    let o = list(&["list"]);
    assert_eq!(common::code(&o), 0, "{}", common::stderr(&o));
    assert!(
        common::stdout(&o).contains("mini"),
        "{}",
        common::stdout(&o)
    );
    std::fs::write(packs.join("mini/pack.yaml"), "id: mini\ntitle: [broken\n").unwrap();
    // Issue 9: a broken user pack is named with its real source and
    // skipped, so the bundled packs keep working.
    let o = list(&["list"]);
    assert_eq!(common::code(&o), 0);
    assert!(
        common::stderr(&o).contains(&format!(
            "{}, in your packs folder {}, is skipped until it is fixed",
            packs.join("mini").display(),
            packs.display()
        )),
        "{}",
        common::stderr(&o)
    );
    assert!(common::stdout(&o).contains("data-engineering"));
}
