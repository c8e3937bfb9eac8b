//! Engine benchmarks against the budgets of DESIGN §6.
//!
//! `cargo bench --bench engine [FILTER]` runs every case whose name contains
//! FILTER. A small harness instead of criterion keeps CI builds light; it
//! reports min / median / max per iteration and the budget, ✓ when the
//! median is within it.
//!
//! Without `--bench` (as under `cargo test --all-targets`, which runs this
//! binary too) every case runs once on a fixture a hundred times smaller:
//! a smoke test that the cases still work, not a measurement.
//!
//! To add a case: write a `fn case_…(mode: Mode)` that builds its fixture
//! once (scaled by `mode`), then calls [`bench`] with the DESIGN §6 budget,
//! and list it in [`CASES`].

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

#[path = "support/harness.rs"]
mod harness;
use harness::{bench, Case, Measurement, Mode};

use std::collections::HashMap;
use std::sync::Arc;

use skillchain::detect::{detect_in_pack, PackIndex, Reason};
use skillchain::generate::{build_plan, write_all, WriteItem, WriteMode};
use skillchain::pack::{parse_pack, ContentCheck, Deliverable, Maturity, Pack, PackFiles};
use skillchain::session::Session;
use skillchain::validate::{validate_tree, Status};

const CASES: &[Case] = &[
    ("detect over a 10,000-skill pack", case_detect_10k),
    (
        "detect, 1,000-skill chain of 10,000 (stress)",
        case_detect_stress,
    ),
    ("index a 10,000-skill pack (once per load)", case_index_10k),
    ("plan and write 1,000 files", case_generate_1k),
    (
        "validate 100,000-file tree against a blueprint",
        case_validate_100k,
    ),
];

fn main() {
    harness::run("engine", CASES);
}

// ---------------------------------------------------------------------------
// validate: 100,000 files, 20 deliverables

const AREAS: [&str; 10] = [
    "architecture",
    "streaming",
    "transforms",
    "sql",
    "config",
    "monitoring",
    "tests",
    "docs",
    "dags",
    "seeds",
];
const FOLDERS_PER_AREA: usize = 100;
const FILES_PER_FOLDER: usize = 100;

/// 10 areas × 100 folders × 100 small files, in four kinds, plus the files
/// a data-pipeline blueprint promises, some placeholders and skillchain's
/// own folder (which validation must skip).
fn write_tree(root: &Path, mode: Mode) -> std::io::Result<usize> {
    let mut count = 0;
    let mut content = String::new();
    for area in AREAS {
        for m in 0..mode.scale(FOLDERS_PER_AREA) {
            let dir = root.join(area).join(format!("mod_{m:03}"));
            fs::create_dir_all(&dir)?;
            for i in 0..FILES_PER_FOLDER {
                content.clear();
                let name = match i % 4 {
                    0 => {
                        let _ = writeln!(content, "select {i} as id, name from source_{m}");
                        format!("f_{i:03}.sql")
                    }
                    1 => {
                        let _ = writeln!(content, "name: f{i}\nversion: 2");
                        format!("f_{i:03}.yml")
                    }
                    2 => {
                        let _ = writeln!(content, "def run_{i}():\n    return {i}");
                        format!("f_{i:03}.py")
                    }
                    _ => {
                        let _ = writeln!(content, "# {area} {m} {i}");
                        format!("f_{i:03}.md")
                    }
                };
                fs::write(dir.join(name), &content)?;
                count += 1;
            }
        }
    }
    let extra = [
        ("README.md", "# data pipeline\n"),
        ("docker-compose.yml", "services:\n  kafka: {}\n"),
        (
            "transforms/dbt/dbt_project.yml",
            "name: shop\nmodels:\n  shop: {}\n",
        ),
        (
            "transforms/dbt/models/stg_orders.sql",
            "select * from raw.orders\n",
        ),
        ("config/.env.example", "SNOWFLAKE_ACCOUNT=\n"),
        ("streaming/topics.yml", "topics:\n  - orders\n"),
        ("monitoring/.gitkeep", ""),
        ("tests/empty.sql", ""),
        (".skillchain/answers.yaml", "answers: {}\n"),
        (".skillchain/plan.md", "# plan\n"),
    ];
    for (path, text) in extra {
        let full = root.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(full, text)?;
        count += 1;
    }
    Ok(count)
}

fn deliverable(
    id: &str,
    files: &[&str],
    checks: &[(&str, &str)],
    maturity: &[Maturity],
) -> Deliverable {
    Deliverable {
        id: id.to_string(),
        name: id.replace('-', " "),
        description: String::new(),
        skill: "architecting-data".to_string(),
        files: files.iter().map(|s| s.to_string()).collect(),
        checks: checks
            .iter()
            .map(|(path, pattern)| ContentCheck {
                path: path.to_string(),
                pattern: pattern.to_string(),
                description: String::new(),
                when: None,
            })
            .collect(),
        maturity: maturity.to_vec(),
        required_when: Vec::new(),
        skipped_when: Vec::new(),
    }
}

/// About twenty deliverables shaped like a real blueprint's: exact paths,
/// `*` and `**` globs over thousands of files, folder globs, checks that
/// pass on the first file, checks that read a whole folder and fail.
fn blueprint() -> Vec<Deliverable> {
    use Maturity::*;
    vec![
        deliverable("readme", &["README.md"], &[("README.md", "(?m)^# ")], &[]),
        deliverable(
            "compose",
            &["docker-compose.yml"],
            &[("docker-compose.yml", "services:")],
            &[],
        ),
        deliverable(
            "ddl",
            &["architecture/**/*.sql"],
            &[("architecture/**/*.sql", "(?i)select")],
            &[],
        ),
        deliverable("schema-docs", &["architecture/*/f_*.md"], &[], &[]),
        deliverable(
            "topics",
            &["streaming/topics.yml"],
            &[("streaming/topics.yml", "topics:")],
            &[],
        ),
        deliverable(
            "consumers",
            &["streaming/**/*.py"],
            &[("streaming", r"def run_\d+")],
            &[],
        ),
        deliverable(
            "dbt-project",
            &[
                "transforms/dbt/dbt_project.yml",
                "transforms/dbt/models/**/*.sql",
            ],
            &[("transforms/dbt/dbt_project.yml", "(?m)^models:")],
            &[],
        ),
        deliverable("dbt-tests", &["transforms/dbt/tests/*.sql"], &[], &[]),
        deliverable(
            "sql",
            &["sql/mod_0*/*.sql"],
            &[("sql/mod_00*/*.sql", "from source_")],
            &[],
        ),
        deliverable(
            "env",
            &["config/.env.example"],
            &[("config/.env.example", "SNOWFLAKE_")],
            &[],
        ),
        deliverable(
            "secrets",
            &["config/secrets/*.yml"],
            &[],
            &[Intermediate, Advanced],
        ),
        deliverable("monitoring", &["monitoring"], &[], &[Advanced]),
        // Reads the 25 yml files of one folder and finds nothing.
        deliverable(
            "alerts",
            &["monitoring/mod_007/*.yml"],
            &[("monitoring/mod_007/*.yml", "alerting:")],
            &[],
        ),
        deliverable("tests", &["tests/**/*.sql", "tests/empty.sql"], &[], &[]),
        deliverable("docs", &["docs"], &[("docs/mod_050", "(?m)^# docs")], &[]),
        deliverable(
            "dags",
            &["dags/**/*.py"],
            &[("dags/mod_000/*.py", "return")],
            &[],
        ),
        deliverable(
            "seeds",
            &["seeds/*/*.yml"],
            &[("seeds/mod_099/f_099.md", "seeds")],
            &[],
        ),
        deliverable("runbook", &["docs/runbook.md"], &[], &[Advanced]),
        deliverable("answers", &["**/answers.yaml"], &[], &[Starter]),
        deliverable(
            "everything-sql",
            &["**/*.sql"],
            &[("**/*.sql", "(?i)select")],
            &[],
        ),
    ]
}

fn case_validate_100k(mode: Mode) -> Measurement {
    let name = "validate 100,000-file tree against a blueprint";
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("cannot create a temp dir for the benchmark: {e}"),
    };
    let start = Instant::now();
    let files = match write_tree(dir.path(), mode) {
        Ok(n) => n,
        Err(e) => panic!("cannot write the benchmark tree: {e}"),
    };
    println!(
        "  (fixture: {files} files written in {:.1} s)",
        start.elapsed().as_secs_f64()
    );
    let deliverables = blueprint();

    // One run outside the timing to show the benchmark validates something
    // real: a mix of every status, not 20 early exits.
    match validate_tree(
        dir.path(),
        &deliverables,
        Maturity::Intermediate,
        Some("bench"),
    ) {
        Ok(r) => {
            let found: usize = r.results.iter().map(|d| d.found.len()).sum();
            let count = |s: Status| r.results.iter().filter(|d| d.status == s).count();
            println!(
                "  (report: {} fulfilled, {} missing, {} incomplete, {} skipped, {found} files found, {}%)",
                count(Status::Fulfilled),
                count(Status::Missing),
                count(Status::Incomplete),
                count(Status::Skipped),
                r.completeness
            );
        }
        Err(e) => panic!("validation failed: {e}"),
    }

    bench(mode, name, Duration::from_millis(500), 10, || {
        validate_tree(
            dir.path(),
            &deliverables,
            Maturity::Intermediate,
            Some("bench"),
        )
    })
}

// ---------------------------------------------------------------------------
// detect: a synthetic pack of 10,000 skills

/// Skills with primary, secondary (some multi-word), exclusion and
/// requires_any keywords, and hard dependencies on earlier skills, so the
/// chain has transitive dependencies to add and order.
fn synthetic_pack(skills: usize, outputs_per_skill: usize) -> Pack {
    let mut files = std::collections::BTreeMap::new();
    files.insert(
        "pack.yaml".to_string(),
        "id: synthetic\ntitle: Synthetic\nversion: 1.0.0\noutput_root: out\ntriggers: { pipeline: 1 }\n".to_string(),
    );
    let tiers = ["foundation", "component", "integration", "assembly"];
    for i in 0..skills {
        let deps = if i >= 3 && i % 3 == 0 {
            format!(
                "dependencies: {{ hard: [s{}], soft: [s{}] }}\n",
                i - 1,
                i - 2
            )
        } else {
            String::new()
        };
        let mut outputs = String::new();
        if outputs_per_skill > 0 {
            outputs.push_str("outputs:\n");
            for o in 0..outputs_per_skill {
                outputs.push_str(&format!(
                    "  - {{ template: file.sql.j2, path: \"s{i}/{{{{ s{i}.name }}}}_{o}.sql\" }}\n"
                ));
            }
        }
        files.insert(
            format!("skills/s{i:05}.yaml"),
            format!(
                "id: s{i}\ntitle: Skill {i}\ntier: {}\npriority: {}\nkeywords:\n  primary: [word{i}, topic{} data]\n  secondary: [area{}, {} term]\n  exclusions: [not{i}]\n  requires_any: [{}]\n{deps}questions:\n  - {{ id: name, prompt: Name?, kind: text, default: t{i} }}\n  - {{ id: mode, prompt: Mode?, kind: choice, options: [{{ value: a }}, {{ value: b }}], default: a }}\n{outputs}",
                tiers[i % 4],
                i % 7,
                i % 1000,
                i % 2000,
                if i % 10 == 0 { "shared".to_string() } else { format!("term{}", i % 500) },
                if i % 2 == 0 { "word".to_string() + &i.to_string() + ", shared" } else { "shared".to_string() },
            ),
        );
    }
    files.insert(
        "templates/file.sql.j2".to_string(),
        "-- {{ goal }}\n{% for s in chain %}{% if loop.index <= 3 %}-- step {{ loop.index }}: {{ s }}\n{% endif %}{% endfor %}\nselect\n  id,\n  name,\n  updated_at\nfrom {{ pack.id }}_source\nwhere mode = 'a'\n".to_string(),
    );
    parse_pack(&PackFiles {
        origin: "synthetic".to_string(),
        files,
        unreadable: Vec::new(),
    })
    .unwrap_or_else(|e| panic!("synthetic pack is valid: {e}"))
}

/// Matches a few dozen skills (and their dependencies) among 10,000.
const DETECT_GOAL: &str =
    "build a shared data pipeline for topic7 data and word42 with area9 and term9 term metrics";
/// Matches every tenth skill: a 1,000-skill chain, far past any real goal.
const STRESS_GOAL: &str = "shared term everywhere";

fn case_detect_10k(mode: Mode) -> Measurement {
    let pack = synthetic_pack(mode.scale(10_000), 0);
    let index = PackIndex::new(&pack);
    let det = detect_in_pack(&pack, &index, DETECT_GOAL);
    assert!(det.chain.len() > 1, "the goal matches skills");
    println!(
        "  (goal matches {} skills; chain of {})",
        det.scores.len(),
        det.chain.len()
    );
    bench(
        mode,
        "detect over a 10,000-skill pack",
        Duration::from_millis(5),
        50,
        || detect_in_pack(&pack, &index, DETECT_GOAL),
    )
}

fn case_detect_stress(mode: Mode) -> Measurement {
    let pack = synthetic_pack(mode.scale(10_000), 0);
    let index = PackIndex::new(&pack);
    let det = detect_in_pack(&pack, &index, STRESS_GOAL);
    assert!(
        det.chain.len() >= mode.scale(10_000) / 10,
        "every tenth skill matches"
    );
    bench(
        mode,
        "detect, 1,000-skill chain of 10,000 (stress)",
        Duration::from_millis(50),
        20,
        || detect_in_pack(&pack, &index, STRESS_GOAL),
    )
}

fn case_index_10k(mode: Mode) -> Measurement {
    let pack = synthetic_pack(mode.scale(10_000), 0);
    bench(
        mode,
        "index a 10,000-skill pack (once per load)",
        Duration::from_millis(50),
        20,
        || PackIndex::new(&pack),
    )
}

// ---------------------------------------------------------------------------
// generate: render 1,000 files in memory, compare with disk, write all-or-nothing

fn case_generate_1k(mode: Mode) -> Measurement {
    let skills = 10;
    let pack = Arc::new(synthetic_pack(skills, mode.scale(1_000) / skills));
    let index = PackIndex::new(&pack);
    let det = detect_in_pack(&pack, &index, "pipeline");
    let mut session = Session::new(pack.clone(), det, None, Maturity::Intermediate);
    let ids: Vec<String> = pack.skills.iter().map(|s| s.id.clone()).collect();
    session.set_chain(skillchain::detect::chain_for(
        &pack,
        &ids,
        Reason::Chosen,
        &HashMap::new(),
    ));
    session.finish_with_defaults();
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    bench(
        mode,
        "  of which: plan 1,000 files in memory",
        Duration::from_millis(100),
        20,
        || build_plan(&session, &tmp.path().join("none")).map(|p| p.files.len()),
    );
    let mut n = 0;
    let m = bench(
        mode,
        "plan and write 1,000 files",
        Duration::from_millis(100),
        20,
        || {
            n += 1;
            let root = tmp.path().join(format!("run{n}"));
            let plan = build_plan(&session, &root).unwrap_or_else(|e| panic!("plan: {e}"));
            let items: Vec<WriteItem> = plan
                .files
                .iter()
                .map(|f| WriteItem::new(f.path.clone(), f.content.clone(), WriteMode::Create))
                .collect();
            write_all(&root, &items).unwrap_or_else(|e| panic!("write: {e}"));
            items.len()
        },
    );
    let files = walk_count(&tmp.path().join("run1"));
    assert_eq!(
        files,
        mode.scale(1_000) / skills * skills,
        "every planned file was written"
    );
    m
}

fn walk_count(root: &Path) -> usize {
    fn go(p: &Path) -> usize {
        fs::read_dir(p)
            .map(|rd| {
                rd.flatten()
                    .map(|e| if e.path().is_dir() { go(&e.path()) } else { 1 })
                    .sum()
            })
            .unwrap_or(0)
    }
    go(root)
}
