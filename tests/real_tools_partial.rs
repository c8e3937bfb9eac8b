//! Trees for goals that ask for part of a pack's work (some skills only give
//! their answers and write no file) pass the real tools:
//! `tests/common/partial_tree_check.py` reads every YAML and JSON file,
//! compiles the Python, parses plain SQL with sqlglot in the pack's dialect,
//! runs `dbt parse` on a dbt project, and checks that no Markdown file names
//! a file that was not written. The goals are every evaluation goal whose
//! chain holds such a skill: a sample of eight per pack by default, all of
//! them with `SKILLCHAIN_PARTIAL_ALL=1`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::realtools::{run_ok, skillchain, venv_bin};
use skillchain::detect::detect;
use skillchain::pack::Registry;

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

#[derive(serde::Deserialize)]
struct Case {
    goal: String,
}

/// Pack → goals of the evaluation sets with an answers-only skill.
fn goals_by_pack() -> BTreeMap<String, Vec<String>> {
    let dir = common::repo().join("tests/fixtures/detect_eval");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("eval dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("eval file");
        let cases: Vec<Case> = serde_yaml::from_str(&text).expect("eval YAML");
        for c in cases {
            let Ok(d) = detect(bundled(), &c.goal) else {
                continue;
            };
            let pack = bundled().get(&d.inner.pack).expect("pack");
            if d.inner.offer.is_none() && !d.inner.answers_only(pack).is_empty() {
                out.entry(d.inner.pack.clone()).or_default().push(c.goal);
            }
        }
    }
    out
}

fn dialect(pack: &str) -> &'static str {
    match pack {
        "bigquery-etl" => "bigquery",
        _ => "duckdb",
    }
}

#[test]
fn trees_of_goals_that_ask_for_part_of_a_pack_pass_the_real_tools() {
    let bin = venv_bin();
    let all = std::env::var_os("SKILLCHAIN_PARTIAL_ALL").is_some();
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut trees: Vec<(PathBuf, &str)> = Vec::new();
    let by_pack = goals_by_pack();
    assert_eq!(
        by_pack.keys().map(String::as_str).collect::<Vec<_>>(),
        ["bigquery-etl", "dbt-workflows", "pipeline-analysis"]
    );
    for (pack, goals) in &by_pack {
        let step = if all { 1 } else { (goals.len() / 8).max(1) };
        for (i, goal) in goals
            .iter()
            .step_by(step)
            .take(if all { usize::MAX } else { 8 })
            .enumerate()
        {
            let out = tmp.path().join(format!("{pack}-{i}"));
            let o = skillchain()
                .args(["run", "--defaults", goal, "--out"])
                .arg(&out)
                .output()
                .expect("skillchain runs");
            // 1 is a report that needs attention (pipeline-analysis without
            // run artifacts); anything else is a failure.
            assert!(
                matches!(o.status.code(), Some(0 | 1)),
                "skillchain run {goal:?}:\n{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            assert!(
                String::from_utf8_lossy(&o.stdout)
                    .contains("answers only (not asked by the goal, files not written)"),
                "{goal}: no answers-only skill"
            );
            trees.push((out, dialect(pack)));
        }
    }
    assert!(trees.len() >= 20, "{}", trees.len());
    check(&bin, &trees);
}

fn check(bin: &Path, trees: &[(PathBuf, &str)]) {
    let script = common::repo().join("tests/common/partial_tree_check.py");
    let mut cmd = Command::new(bin.join("python"));
    cmd.arg("-B")
        .arg(script)
        .env("DBT_SEND_ANONYMOUS_USAGE_STATS", "false");
    for (tree, dialect) in trees {
        cmd.arg(format!("{}={dialect}", tree.display()));
    }
    run_ok("tests/common/partial_tree_check.py", &mut cmd);
}
