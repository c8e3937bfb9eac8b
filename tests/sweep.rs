//! The answer-space sweep: for every bundled pack, answer sets generated from
//! the pack's own question definitions, each generated in process exactly as
//! `skillchain run` would, then checked by real parsers in one Python process
//! (`tests/sweep/check.py`).
//!
//! Sets per pack: rows of a covering array (every option of every choice,
//! multi-choice and bool question at least once; all pairs of the choices
//! that pick a tool or a dialect, by a greedy pairwise algorithm; every
//! blueprint and maturity), plus seeded random sets. Text answers are hostile
//! strings (quotes, colon, `#`, backslash, `"""`, SQL, Jinja, shell, unicode,
//! RTL, very long; line breaks only for multiline questions) wherever the
//! question's own validation accepts them, and so is the goal.
//!
//! `SKILLCHAIN_SWEEP=full` runs the expensive checks (dbt build on DuckDB,
//! the project's pytest, Dagster definitions validate, Prefect import) on
//! every set; by default they run on a small subset. Needs the venv of
//! `.ci/setup-python` (`SKILLCHAIN_VENV`).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use skillchain::generate::{build_plan, deliverables, FileStatus};
use skillchain::headless::{prepare, Request};
use skillchain::pack::{Maturity, Pack, Question, QuestionKind, Registry};

/// Known failures owned by the `packs` branch (issue 10, pack content). Each
/// entry is matched exactly: pack, template (the file's source under
/// `templates/`, or `-` for checks of the whole project), check. Delete an
/// entry when the fix merges: the sweep then checks that file again. An entry
/// that no longer matches any failure is reported, so stale entries show.
const KNOWN_FAILURES: &[(&str, &str, &str, &str)] = &[
    // (pack, template or deliverable, check, why)
];

/// Sets per pack that the default run checks with the expensive tools.
const EXPENSIVE_PER_PACK: usize = 1;

/// Choice questions that pick a tool, an engine or a dialect: all pairs of
/// their options are covered.
const TOOL_QUESTION: &str = r"^(engine|warehouse|storage|table_format|object_store|platform|format|schema_registry|tool|orchestrator|monitoring|deploy_target|backend|language|secret_store|cdc_tool|cloud_service|cloud|ingestion|strategy|.*materialization|incremental_strategy|existing_orchestrator|hosting|scd_type|grain|load)$";

/// The question whose answer is the SQL dialect of a pack's generated SQL.
fn dialect(pack: &str, answers: &BTreeMap<String, String>) -> Option<String> {
    let key = match pack {
        "bigquery-etl" => return Some("bigquery".into()),
        "data-engineering" => "architecting-data.engine",
        "data-orchestration" => "layered-transforms.warehouse",
        "dbt-workflows" => "data-modeler.warehouse",
        _ => return None,
    };
    answers.get(key).cloned()
}

/// One-line hostile strings; `{m}` is replaced by the answer's marker.
const HOSTILE: &[&str] = &[
    "{m} it's \"quoted\" and `ticked`",
    "{m} User Retention: Daily (7-day) # not a comment",
    "{m} C:\\new\\q ends with \\",
    "{m} \"\"\" ; import os; os.system('id') ; \"\"\"",
    "{m} '; drop table x; --",
    "{m} {{ 7*7 }} {% if x %} {# c #}",
    "{m} ${HOME} $(id) `id` && rm -rf ~",
    "{m} Ünïcödé 数据 🚀 émoji",
    "{m} שלום עולם مرحبا \u{202e}override\u{202c}",
    "{m} | a | b | a table row",
    "{m} key: value, [flow], {map}, &anchor *alias !tag %dir @at",
    "{m} -- comment /* block */ ''' triple",
    "#{m} heading? - [ ] item",
    "- {m} list item: with colon",
    "{m} $(touch /tmp/sweep-pwned) `touch /tmp/sweep-pwned` ${PATH} $HOME \\$ \\",
    "{m} &a *a <<: *a !!python/object/apply:os.system ['id'] !!binary",
    "? {m} a complex key: value",
    "@{m} starts with an at",
    "%{m} %TAG ! tag:x,2000: percent first",
    "--- {m} document start ... document end",
    "{{ {m} }}{% raw %}{{ x }}{% endraw %}{%- set y = 1 -%}",
    "{{{m}}} {{'{'}} }} %} #} {{-",
    "!{m} bang first and trailing colon:",
    "{m}\u{200b}zero\u{200c}width\u{200d}joiner\u{2060}word\u{feff}bom",
    "{m} \u{200f}rtl mark\u{200e} \u{2066}isolate\u{2069} \u{202b}embed\u{202c}",
    "{m} null: ~, true, no, 0x1F, 1e3, .inf, 2024-01-01",
    "{m}\u{a0}nbsp\u{3000}ideographic\u{2003}em space  two spaces trailing ",
];

/// Multi-line hostile strings for multiline questions.
const HOSTILE_MULTI: &[&str] = &[
    "{m} first line\n```\n# heading\n'''\n\"\"\"\n-- drop table x;",
    "{m} line: one\n  - two: 'x'\n\tthree \\ {{ four }}",
    "{m} yaml\n---\n- item\n? key\n... end\n%YAML 1.1\n&a *a !!python/object:os.system",
    "{m} zero\u{200b}width\n\u{202e}rtl\u{202c}\n\u{a0}nbsp line\n@at\n`tick`",
    "{m}\n\n    indented code\n~~~\n{% if x %}\n$(id)\n",
];

/// One-line hostile strings a `text` question must refuse, each with the
/// character the refusal names: line breaks by every definition a parser
/// of a generated file uses (YAML 1.1, Python's `splitlines`, JSON, Unicode),
/// NUL and other control characters no file type can carry in every place.
const REFUSED_IN_TEXT: &[(&str, &str)] = &[
    ("{m} a\nb", "a line break"),
    ("{m} a\rb", "a carriage return"),
    ("{m} a\tb", "a tab"),
    ("{m} a\u{b}b", "the control character U+000B"),
    ("{m} a\u{c}b", "the control character U+000C"),
    ("{m} a\u{1c}b", "the control character U+001C"),
    ("{m} a\u{1e}b", "the control character U+001E"),
    ("{m} a\u{85}b", "the control character U+0085"),
    ("{m} a\u{2028}b", "the line separator U+2028"),
    ("{m} a\u{2029}b", "the paragraph separator U+2029"),
    ("{m} a\u{0}b", "the control character U+0000"),
    ("{m} a\u{1b}[31mred", "the control character U+001B"),
    ("{m} a\u{7f}b", "the control character U+007F"),
];

#[derive(Clone)]
struct Q {
    key: String,
    q: Question,
    /// A blueprint's quick question: only with that blueprint.
    blueprint: Option<String>,
}

#[derive(Clone, Debug)]
struct Set {
    pack: String,
    goal: String,
    skills: Vec<String>,
    blueprint: Option<String>,
    maturity: Maturity,
    /// `skill.question` → value as typed on the command line.
    sets: BTreeMap<String, String>,
    /// Hostile answers (with their markers) this set gave.
    hostile: Vec<(String, String)>,
}

impl Set {
    fn command(&self) -> String {
        let mut cmd = format!(
            "skillchain run {} --pack {} --skills {} --blueprint {} --maturity {} --defaults --no-prefs",
            sh(&self.goal),
            self.pack,
            self.skills.join(","),
            self.blueprint.as_deref().unwrap_or("none"),
            self.maturity.as_str()
        );
        for (k, v) in &self.sets {
            cmd.push_str(&format!(" --set {}", sh(&format!("{k}={v}"))));
        }
        cmd.push_str(" --out /tmp/sweep-repro");
        cmd
    }
}

fn sh(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// A small deterministic generator (xorshift64*): the sets are the same on
/// every run, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn questions(pack: &Pack) -> Vec<Q> {
    let mut out = Vec::new();
    for s in &pack.skills {
        for q in &s.questions {
            out.push(Q {
                key: format!("{}.{}", s.id, q.id),
                q: q.clone(),
                blueprint: None,
            });
        }
    }
    for b in &pack.blueprints {
        for q in &b.questions {
            out.push(Q {
                key: format!("blueprint.{}", q.id),
                q: q.clone(),
                blueprint: Some(b.id.clone()),
            });
        }
    }
    out
}

/// The values a question can take in the covering array.
fn levels(q: &Question) -> Vec<String> {
    match q.kind {
        QuestionKind::Choice => q.options.iter().map(|o| o.value.clone()).collect(),
        QuestionKind::MultiChoice => {
            let mut l: Vec<String> = q.options.iter().map(|o| o.value.clone()).collect();
            l.push(
                q.options
                    .iter()
                    .map(|o| o.value.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            );
            l
        }
        QuestionKind::Bool => vec!["yes".into(), "no".into()],
        _ => Vec::new(),
    }
}

/// Greedy pairwise covering array over `params` (levels per parameter):
/// each row takes, parameter by parameter in a shuffled order, the level
/// that covers the most pairs not yet covered.
fn pairwise(params: &[Vec<String>], rng: &mut Rng) -> Vec<Vec<usize>> {
    let n = params.len();
    let mut uncovered: BTreeSet<(usize, usize, usize, usize)> = BTreeSet::new();
    for a in 0..n {
        for b in a + 1..n {
            for i in 0..params[a].len() {
                for j in 0..params[b].len() {
                    uncovered.insert((a, i, b, j));
                }
            }
        }
    }
    let mut rows = Vec::new();
    while !uncovered.is_empty() {
        let mut row: Vec<Option<usize>> = vec![None; n];
        // Start from an uncovered pair so every row makes progress.
        let &(a, i, b, j) = uncovered
            .iter()
            .nth(rng.below(uncovered.len()))
            .expect("non-empty");
        row[a] = Some(i);
        row[b] = Some(j);
        let mut order: Vec<usize> = (0..n).filter(|p| *p != a && *p != b).collect();
        for k in (1..order.len()).rev() {
            order.swap(k, rng.below(k + 1));
        }
        for p in order {
            let mut best = (0usize, rng.below(params[p].len()));
            for l in 0..params[p].len() {
                let gain = (0..n)
                    .filter_map(|o| row[o].map(|v| (o, v)))
                    .filter(|&(o, v)| {
                        let key = if o < p { (o, v, p, l) } else { (p, l, o, v) };
                        uncovered.contains(&key)
                    })
                    .count();
                if gain > best.0 {
                    best = (gain, l);
                }
            }
            row[p] = Some(best.1);
        }
        let row: Vec<usize> = row.into_iter().map(|v| v.unwrap_or(0)).collect();
        for a in 0..n {
            for b in a + 1..n {
                uncovered.remove(&(a, row[a], b, row[b]));
            }
        }
        rows.push(row);
    }
    rows
}

/// Whether the question's own validation accepts `value`.
fn accepts(q: &Question, value: &str) -> bool {
    skillchain::value::check_value(q, &skillchain::value::AnswerValue::Text(value.to_string()))
        .is_ok()
}

fn pool(q: &Question, marker: &str) -> Vec<String> {
    let one_line = HOSTILE
        .iter()
        .map(|h| h.replace("{m}", marker))
        .chain(std::iter::once(format!(
            "{marker} {}",
            "very long answer ".repeat(70).trim_end()
        )))
        .chain(std::iter::once(format!(
            "{marker}_{}",
            "identifier".repeat(40)
        )));
    if q.kind == QuestionKind::Multiline {
        HOSTILE_MULTI
            .iter()
            .map(|h| h.replace("{m}", marker))
            .chain(one_line)
            .collect()
    } else {
        one_line.collect()
    }
}

/// Which hostile strings the question's own validation accepts (the same
/// for every marker: markers have one shape).
fn accepted(q: &Question) -> Vec<usize> {
    if !matches!(q.kind, QuestionKind::Text | QuestionKind::Multiline) {
        return Vec::new();
    }
    pool(q, "Qz0w0x")
        .iter()
        .enumerate()
        .filter(|(_, v)| accepts(q, v))
        .map(|(k, _)| k)
        .collect()
}

fn hostile_for(q: &Question, ok: &[usize], n: usize, marker: &str) -> Option<String> {
    if ok.is_empty() {
        return None;
    }
    pool(q, marker).into_iter().nth(ok[n % ok.len()])
}

fn sets_for(pack: &Pack) -> Vec<Set> {
    let tool_re = regex::Regex::new(TOOL_QUESTION).expect("valid regex");
    let qs = questions(pack);
    let mut rng = Rng(0x5eed_0000_0000_0001 ^ pack.id().len() as u64);
    let ok: Vec<Vec<usize>> = qs.iter().map(|q| accepted(&q.q)).collect();
    let tool: Vec<&Q> = qs
        .iter()
        .filter(|q| q.blueprint.is_none())
        .filter(|q| q.q.kind == QuestionKind::Choice && tool_re.is_match(&q.q.id))
        .collect();
    let tool_levels: Vec<Vec<String>> = tool.iter().map(|q| levels(&q.q)).collect();
    let mut pairs = pairwise(&tool_levels, &mut rng);
    if pairs.is_empty() {
        // Fewer than two tool questions: one row per option of the one there is.
        let n = tool_levels.first().map_or(1, Vec::len).max(1);
        pairs = (0..n).map(|l| vec![l; tool_levels.len()]).collect();
    }
    let mut blueprints: Vec<Option<String>> = vec![None];
    blueprints.extend(pack.blueprints.iter().map(|b| Some(b.id.clone())));
    let combos: Vec<(Option<String>, Maturity)> = blueprints
        .iter()
        .flat_map(|b| Maturity::ALL.iter().map(move |m| (b.clone(), *m)))
        .collect();
    let max_levels = qs.iter().map(|q| levels(&q.q).len()).max().unwrap_or(1);
    let rows = pairs.len().max(max_levels).max(combos.len());
    let examples = &pack.manifest.examples;
    let all_skills: Vec<String> = pack.skills.iter().map(|s| s.id.clone()).collect();
    let mut out = Vec::new();
    let random_rows = 8;
    for r in 0..rows + random_rows {
        let random = r >= rows;
        let (blueprint, maturity) = if random {
            combos[rng.below(combos.len())].clone()
        } else {
            combos[r % combos.len()].clone()
        };
        let skills = if random {
            let mut s: Vec<String> = all_skills
                .iter()
                .filter(|_| rng.below(3) != 0)
                .cloned()
                .collect();
            if s.is_empty() {
                s.push(all_skills[0].clone());
            }
            s
        } else {
            all_skills.clone()
        };
        let mut sets = BTreeMap::new();
        let mut hostile = Vec::new();
        for (i, q) in qs.iter().enumerate() {
            if q.blueprint.is_some() && q.blueprint != blueprint {
                continue;
            }
            let step = q.key.split('.').next().unwrap_or("");
            if q.blueprint.is_none() && !skills.iter().any(|s| s == step) {
                continue;
            }
            let lv = levels(&q.q);
            let value = if let Some(t) = tool.iter().position(|t| t.key == q.key) {
                let row = &pairs[r % pairs.len()];
                Some(if random {
                    lv[rng.below(lv.len())].clone()
                } else {
                    lv[row[t]].clone()
                })
            } else if !lv.is_empty() {
                Some(if random {
                    lv[rng.below(lv.len())].clone()
                } else {
                    lv[(r + i) % lv.len()].clone()
                })
            } else {
                match q.q.kind {
                    QuestionKind::Text | QuestionKind::Multiline => {
                        let marker = format!("Qz{r}w{i}x");
                        let v = hostile_for(&q.q, &ok[i], r + i, &marker);
                        if let Some(v) = &v {
                            hostile.push((marker, v.clone()));
                        }
                        v
                    }
                    QuestionKind::Integer | QuestionKind::Number if random => {
                        let lo = q.q.validate.min;
                        let hi = q.q.validate.max;
                        match rng.below(3) {
                            0 => lo.map(|x| (x as i64).to_string()),
                            1 => hi.map(|x| (x as i64).to_string()),
                            _ => None,
                        }
                    }
                    _ => None,
                }
            };
            if let Some(v) = value {
                sets.insert(q.key.clone(), v);
            }
        }
        let marker = format!("Qz{r}goalx");
        let goal_hostile = HOSTILE[r % HOSTILE.len()].replace("{m}", &marker);
        let goal = format!("{} {}", examples[r % examples.len().max(1)], goal_hostile);
        hostile.push((marker, goal_hostile));
        out.push(Set {
            pack: pack.id().to_string(),
            goal,
            skills,
            blueprint,
            maturity,
            sets,
            hostile,
        });
    }
    out
}

enum Outcome {
    Refused(String),
    /// Accepted answers the generator could not render: always a failure.
    PlanFailed(Vec<(String, String)>),
    Generated {
        dir: PathBuf,
        files: BTreeMap<String, String>,
        jinja_roots: Vec<String>,
        validate: Vec<(String, String)>,
    },
}

/// Generates one set in process, as `skillchain run` does (prepare, plan,
/// write, validate), but without the journal: the write path is not what
/// the sweep tests.
fn generate(registry: &Registry, set: &mut Set, dir: &Path) -> Outcome {
    match prepare_applicable(registry, set) {
        Ok(session) => generate_session(session, dir),
        Err(why) => Outcome::Refused(why),
    }
}

/// Drops the answers whose question does not apply with the other answers
/// (`run` refuses them), until the set is consistent, and prepares the
/// session. The set then holds exactly what the reproducing command passes.
fn prepare_applicable(
    registry: &Registry,
    set: &mut Set,
) -> Result<skillchain::session::Session, String> {
    loop {
        let p = match prepare(registry, &request(set)) {
            Ok(session) => return Ok(session),
            Err(p) => p,
        };
        let mut dropped = false;
        for problem in &p.problems {
            if problem.message.contains("its condition")
                && problem.message.contains("does not hold")
            {
                if let Some(key) = problem.location.strip_prefix("--set ") {
                    dropped |= set.sets.remove(key.trim()).is_some();
                }
            }
        }
        if !dropped {
            return Err(p.to_string());
        }
        let (goal, sets) = (&set.goal, &set.sets);
        set.hostile
            .retain(|(m, v)| goal.contains(m.as_str()) || sets.values().any(|s| s == v));
    }
}

fn request(set: &Set) -> Request {
    Request {
        goal: Some(set.goal.clone()),
        pack: Some(set.pack.clone()),
        answers: None,
        blueprint: set.blueprint.clone(),
        no_blueprint: set.blueprint.is_none(),
        skills: Some(set.skills.clone()),
        maturity: Some(set.maturity),
        sets: set.sets.iter().map(|(k, v)| format!("{k}={v}")).collect(),
        resolves: Vec::new(),
        defaults: true,
        skip_loads: false,
        preferences: Default::default(),
        detection: None,
    }
}

fn generate_session(session: skillchain::session::Session, dir: &Path) -> Outcome {
    let plan = match build_plan(&session, dir) {
        Ok(p) => p,
        Err(p) => {
            return Outcome::PlanFailed(
                p.problems
                    .iter()
                    .map(|p| (p.location.clone(), p.message.clone()))
                    .collect(),
            )
        }
    };
    let mut files = BTreeMap::new();
    for f in plan
        .files
        .iter()
        .filter(|f| f.status != FileStatus::Skipped)
    {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&path, &f.content).expect("write file");
        files.insert(f.path.clone(), f.template.clone());
    }
    let jinja_roots = files
        .keys()
        .filter_map(|p| match p.rsplit_once('/') {
            Some((d, "dbt_project.yml")) => Some(d.to_string()),
            None if p == "dbt_project.yml" => Some(String::new()),
            _ => None,
        })
        .collect();
    let delivers = deliverables(&session, &plan);
    // Each deliverable that does not pass is its own cause.
    let validate: Vec<(String, String)> =
        match skillchain::validate::validate_session(dir, &delivers, &session) {
            Ok(r) if r.pass => Vec::new(),
            Ok(r) => {
                r.to_fix()
                    // The sweep gives no run artifacts: an analysis without run
                    // evidence is incomplete by design (issue 11, 9c).
                    .filter(|d| {
                        d.failed_checks.is_empty()
                            || !d.failed_checks.iter().all(|c| {
                                c.description.starts_with("the analysis holds run evidence")
                            })
                    })
                    .map(|d| {
                        (
                            format!("deliverable {}", d.id),
                            format!(
                                "NEEDS ATTENTION {}%: {}",
                                r.completeness,
                                d.first_problem().unwrap_or_default()
                            ),
                        )
                    })
                    .collect()
            }
            Err(e) => vec![("-".to_string(), e.to_string())],
        };
    Outcome::Generated {
        dir: dir.to_path_buf(),
        files,
        jinja_roots,
        validate,
    }
}

/// Generates `sets` in parallel (one worker per core), numbering their
/// folders from `first`.
fn generate_all(
    registry: &Registry,
    sets: &[Set],
    root: &Path,
    first: usize,
) -> BTreeMap<usize, (Set, Outcome)> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for (k, set) in sets.iter().enumerate().skip(w).step_by(workers) {
                        let n = first + k;
                        let mut set = set.clone();
                        let dir = root.join(format!("{n:04}"));
                        let o = generate(registry, &mut set, &dir);
                        out.push((n, (set, o)));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("generation worker"))
            .collect()
    })
}

/// Options of choice, multi-choice and bool questions that no generated
/// set of `pack` answered with (a multi-choice option counts when it is
/// among the answer's items).
fn uncovered(pack: &Pack, outcomes: &BTreeMap<usize, (Set, Outcome)>) -> Vec<(String, String)> {
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    for (set, o) in outcomes.values() {
        if set.pack != pack.id() || !matches!(o, Outcome::Generated { .. }) {
            continue;
        }
        for (k, v) in &set.sets {
            for item in v.split(',') {
                seen.insert((k.clone(), item.to_string()));
            }
        }
    }
    let mut missing = Vec::new();
    for q in questions(pack) {
        let options: Vec<String> = match q.q.kind {
            QuestionKind::Choice | QuestionKind::MultiChoice => {
                q.q.options.iter().map(|o| o.value.clone()).collect()
            }
            QuestionKind::Bool => vec!["yes".into(), "no".into()],
            _ => continue,
        };
        for o in options {
            if !seen.contains(&(q.key.clone(), o.clone())) {
                missing.push((q.key.clone(), o));
            }
        }
    }
    missing
}

/// A set that answers `key` with `value` and that `run` accepts: a
/// generated set of the pack with that answer, or with that answer and one
/// other choice changed (a conflict rule may refuse the option beside the
/// base's other answers). `None` when no such set is found.
fn consistent_with(
    registry: &Registry,
    pack: &Pack,
    outcomes: &BTreeMap<usize, (Set, Outcome)>,
    key: &str,
    value: &str,
) -> Option<Set> {
    let bases: Vec<&Set> = outcomes
        .values()
        .filter(|(s, o)| {
            s.pack == pack.id()
                && s.sets.contains_key(key)
                && matches!(o, Outcome::Generated { .. })
        })
        .map(|(s, _)| s)
        .collect();
    let qs = questions(pack);
    for base in bases {
        let mut variants = vec![base.clone()];
        for q in &qs {
            if q.key == key || !base.sets.contains_key(&q.key) {
                continue;
            }
            for level in levels(&q.q) {
                let mut v = base.clone();
                v.sets.insert(q.key.clone(), level);
                variants.push(v);
            }
        }
        for mut set in variants {
            set.sets.insert(key.to_string(), value.to_string());
            if prepare_applicable(registry, &mut set).is_ok()
                && set.sets.get(key).is_some_and(|v| v == value)
            {
                return Some(set);
            }
        }
    }
    None
}

/// The generated files the pack declares its tool reads as Jinja
/// (`jinja_files` in pack.yaml).
fn jinja_files(registry: &Registry, pack: &str, files: &BTreeMap<String, String>) -> Vec<String> {
    let Some(pack) = registry.packs.iter().find(|p| p.id() == pack) else {
        return Vec::new();
    };
    let mut set = globset::GlobSetBuilder::new();
    for g in &pack.manifest.jinja_files {
        let glob = globset::GlobBuilder::new(g)
            .literal_separator(true)
            .build()
            .expect("pack globs are linted");
        set.add(glob);
    }
    let set = set.build().expect("glob set");
    files
        .keys()
        .filter(|f| set.is_match(f.as_str()))
        .cloned()
        .collect()
}

#[derive(Default)]
struct Tally {
    sets: usize,
    passed: usize,
    refused: usize,
    known: usize,
    failed: usize,
}

#[test]
fn every_generated_project_of_every_pack_passes_its_parsers_and_validation() {
    let started = Instant::now();
    let full = std::env::var("SKILLCHAIN_SWEEP").is_ok_and(|v| v == "full");
    let bin = common::realtools::venv_bin();
    let registry = Registry::bundled().expect("bundled packs load");
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut all_sets: Vec<Set> = Vec::new();
    for pack in &registry.packs {
        all_sets.extend(sets_for(pack));
    }
    eprintln!(
        "sweep: {} sets made in {:.1} s",
        all_sets.len(),
        started.elapsed().as_secs_f64()
    );
    let mut jobs = String::new();
    let mut refused: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut tally: BTreeMap<String, Tally> = BTreeMap::new();
    type Generated = (usize, Vec<(String, String)>, BTreeMap<String, String>);
    let mut generated: BTreeMap<String, Generated> = BTreeMap::new();
    let mut expensive_per_pack: BTreeMap<String, usize> = BTreeMap::new();
    // Failures grouped by cause: pack, template, check.
    type Cases = Vec<(String, String, String)>;
    let mut causes: BTreeMap<(String, String, String), Cases> = BTreeMap::new();
    let mut outcomes = generate_all(&registry, &all_sets, tmp.path(), 0);
    // Options no generated set reached (their question's condition was
    // false in every row, or a conflict refused the row): one more set each,
    // made from a generated set where the question applies.
    let mut extra = Vec::new();
    for pack in &registry.packs {
        for (key, value) in uncovered(pack, &outcomes) {
            let base = outcomes.values().find(|(s, o)| {
                s.pack == pack.id()
                    && s.sets.contains_key(&key)
                    && matches!(o, Outcome::Generated { .. })
            });
            if let Some(set) =
                base.and_then(|_| consistent_with(&registry, pack, &outcomes, &key, &value))
            {
                extra.push(set);
            }
        }
    }
    let first = outcomes.len();
    outcomes.extend(generate_all(&registry, &extra, tmp.path(), first));
    let mut coverage = String::new();
    for pack in &registry.packs {
        let missing = uncovered(pack, &outcomes);
        let total: usize = questions(pack)
            .iter()
            .map(|q| match q.q.kind {
                QuestionKind::Choice | QuestionKind::MultiChoice => q.q.options.len(),
                QuestionKind::Bool => 2,
                _ => 0,
            })
            .sum();
        coverage.push_str(&format!(
            "  {}: {} of {total} options in a generated set{}\n",
            pack.id(),
            total - missing.len(),
            if missing.is_empty() {
                String::new()
            } else {
                format!(
                    " (never generated: {})",
                    missing
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        ));
    }
    let all_sets: Vec<Set> = outcomes.values().map(|(s, _)| s.clone()).collect();
    for (n, (set, outcome)) in outcomes {
        let t = tally.entry(set.pack.clone()).or_default();
        t.sets += 1;
        match outcome {
            Outcome::PlanFailed(problems) => {
                for (loc, msg) in problems {
                    let template = msg
                        .strip_prefix("template ")
                        .and_then(|m| m.split_once(' '))
                        .map_or("-".to_string(), |(t, _)| t.to_string());
                    causes
                        .entry((set.pack.clone(), template, "generate".to_string()))
                        .or_default()
                        .push((set.command(), loc, msg));
                }
            }
            Outcome::Refused(why) => {
                assert!(
                    !why.trim().is_empty(),
                    "set refused without a reason: {}",
                    set.command()
                );
                t.refused += 1;
                refused.entry(set.pack.clone()).or_default().push(why);
            }
            Outcome::Generated {
                dir,
                files,
                jinja_roots,
                validate,
            } => {
                // The default run checks the expensive tools on the first
                // generated covering set of each pack; the full run on all.
                let count = expensive_per_pack.entry(set.pack.clone()).or_default();
                let expensive = full || *count < EXPENSIVE_PER_PACK;
                if expensive {
                    *count += 1;
                }
                let answers: Vec<serde_json::Value> = set
                    .hostile
                    .iter()
                    .map(|(m, v)| serde_json::json!({"marker": m, "value": v}))
                    .collect();
                let job = serde_json::json!({
                    "id": n.to_string(),
                    "dir": dir,
                    "dialect": dialect(&set.pack, &set.sets),
                    "answers": answers,
                    "files": files,
                    "jinja_roots": jinja_roots,
                    "jinja_files": jinja_files(&registry, &set.pack, &files),
                    "expensive": expensive,
                });
                jobs.push_str(&job.to_string());
                jobs.push('\n');
                generated.insert(n.to_string(), (n, validate, files));
            }
        }
    }
    let generated_at = started.elapsed();
    let script = common::repo().join("tests/sweep/check.py");
    let mut child = Command::new(bin.join("python"))
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the Python checker");
    let mut stdin = child.stdin.take().expect("stdin");
    let feeder = std::thread::spawn(move || stdin.write_all(jobs.as_bytes()));
    let out = child.wait_with_output().expect("checker runs");
    feeder.join().expect("feeder").expect("write jobs");
    assert!(
        out.status.success(),
        "the checker failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut seen_ids = BTreeSet::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("checker JSON");
        let id = v["id"].as_str().unwrap_or_default().to_string();
        seen_ids.insert(id.clone());
        let set = &all_sets[generated[&id].0];
        for (k, n) in v["counts"].as_object().into_iter().flatten() {
            *counts.entry(k.clone()).or_default() += n.as_u64().unwrap_or(0) as usize;
        }
        let mut failures: Vec<(String, String, String, String)> = v["failures"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                (
                    f["template"].as_str().unwrap_or("-").to_string(),
                    f["check"].as_str().unwrap_or_default().to_string(),
                    f["file"].as_str().unwrap_or_default().to_string(),
                    f["detail"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        for (deliverable, why) in &generated[&id].1 {
            failures.push((
                deliverable.clone(),
                "validate".into(),
                "-".into(),
                why.clone(),
            ));
        }
        for (template, check, file, detail) in failures {
            causes
                .entry((set.pack.clone(), template, check))
                .or_default()
                .push((set.command(), file, detail));
        }
    }
    assert_eq!(
        seen_ids.len(),
        generated.len(),
        "the checker skipped projects"
    );
    let checked_at = started.elapsed();
    // Which sets failed, and for what.
    let mut failed_sets: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut known_sets: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut used_known = BTreeSet::new();
    let mut report = String::new();
    for ((pack, template, check), cases) in &causes {
        let known = KNOWN_FAILURES
            .iter()
            .position(|(p, t, c, _)| p == pack && t == template && c == check);
        let target = if let Some(k) = known {
            used_known.insert(k);
            &mut known_sets
        } else {
            &mut failed_sets
        };
        for (cmd, _, _) in cases {
            target.entry(pack.clone()).or_default().insert(cmd.clone());
        }
        if known.is_none() {
            let (cmd, file, detail) = &cases[0];
            report.push_str(&format!(
                "\n✗ {pack} · {template} · {check}: {} set(s)\n  file: {file}\n  {detail}\n  reproduce: {cmd}\n",
                cases.len()
            ));
        }
    }
    for (pack, t) in tally.iter_mut() {
        let failed = failed_sets.get(pack).map_or(0, BTreeSet::len);
        let known = known_sets.get(pack).map_or(0, |k| {
            k.difference(failed_sets.get(pack).unwrap_or(&BTreeSet::new()))
                .count()
        });
        t.failed = failed;
        t.known = known;
        t.passed = t.sets - t.refused - failed - known;
    }
    let mut summary = format!(
        "sweep: {} sets in {:.1} s (generation {:.1} s, checks {:.1} s){}\n",
        all_sets.len(),
        checked_at.as_secs_f64(),
        generated_at.as_secs_f64(),
        (checked_at - generated_at).as_secs_f64(),
        if full { ", full" } else { "" }
    );
    for (pack, t) in &tally {
        summary.push_str(&format!(
            "  {pack}: {} sets, {} passed, {} refused, {} known failures (packs), {} failed\n",
            t.sets, t.passed, t.refused, t.known, t.failed
        ));
    }
    summary.push_str(&format!("  files checked: {counts:?}\n"));
    summary.push_str(&coverage);
    for (pack, why) in &refused {
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        for w in why {
            let first = w.lines().nth(1).unwrap_or(w).trim();
            let first: String = first.chars().take(110).collect();
            *reasons.entry(first).or_default() += 1;
        }
        summary.push_str(&format!("  refused in {pack}:\n"));
        for (r, n) in reasons {
            summary.push_str(&format!("    {n} × {r}\n"));
        }
    }
    for (k, entry) in KNOWN_FAILURES.iter().enumerate() {
        if !used_known.contains(&k) {
            summary.push_str(&format!(
                "  known failure no longer seen (delete it): {entry:?}\n"
            ));
        }
    }
    println!("{summary}");
    assert!(
        report.is_empty(),
        "{summary}\nfailures by cause (not in KNOWN_FAILURES):{report}"
    );
}

/// A line break in a one-line `text` answer is refused before anything is
/// written, from the command line and from an answers file alike, naming the
/// question and the character.
#[test]
fn a_line_break_in_a_text_answer_is_refused_from_every_headless_source() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    let out_s = out.to_str().expect("utf-8 path");
    let injected = "daily activity\ndrop table analytics.users; --";
    let by_set = common::sc_bundled(&[
        "run",
        "new bigquery table for daily user retention",
        "--pack",
        "bigquery-etl",
        "--defaults",
        "--no-prefs",
        "--out",
        out_s,
        "--set",
        &format!("model-requirements.purpose={injected}"),
    ]);
    let fixture =
        common::repo().join("tests/fixtures/answers/bigquery-etl-four-sources-monitored.yaml");
    let text = std::fs::read_to_string(fixture).expect("fixture");
    let line = "    purpose: Daily search, ad click and session volume across all search surfaces.";
    assert!(text.contains(line), "the fixture changed");
    let answers = tmp.path().join("answers.yaml");
    std::fs::write(
        &answers,
        text.replace(
            line,
            "    purpose: \"daily activity\\ndrop table analytics.users; --\"",
        ),
    )
    .expect("write answers");
    let by_file = common::sc_bundled(&[
        "run",
        "--answers",
        answers.to_str().expect("utf-8 path"),
        "--no-prefs",
        "--out",
        out_s,
    ]);
    for (source, o) in [("--set", by_set), ("answers file", by_file)] {
        let err = common::stderr(&o);
        assert_eq!(common::code(&o), 2, "{source}: {err}");
        assert!(
            err.contains("model-requirements.purpose")
                && err.contains("contains a line break at character 15; a text answer is one line"),
            "{source}: {err}"
        );
        assert!(!out.exists(), "{source}: something was written");
    }
}

/// Every character that breaks a line for some parser of a generated file,
/// and NUL and the other control characters, is refused in every one-line
/// `text` answer of every pack before anything is generated, naming the
/// question, the character's position and what it is.
#[test]
fn line_breaks_and_control_characters_are_refused_in_every_text_answer() {
    let registry = Registry::bundled().expect("bundled packs load");
    let mut checked = 0;
    for pack in &registry.packs {
        let skills: Vec<String> = pack.skills.iter().map(|s| s.id.clone()).collect();
        for s in &pack.skills {
            for q in s.questions.iter().filter(|q| q.kind == QuestionKind::Text) {
                let key = format!("{}.{}", s.id, q.id);
                // One check of the answer's rules serves every question:
                // each question gets two characters in turn, and every
                // character is tried on several questions.
                let n = REFUSED_IN_TEXT.len();
                for (hostile, what) in [
                    REFUSED_IN_TEXT[checked % n],
                    REFUSED_IN_TEXT[(checked + 5) % n],
                ] {
                    let value = hostile.replace("{m}", "Qz");
                    let set = Set {
                        pack: pack.id().to_string(),
                        goal: pack.manifest.examples.first().cloned().unwrap_or_default(),
                        skills: skills.clone(),
                        blueprint: None,
                        maturity: Maturity::Starter,
                        sets: BTreeMap::from([(key.clone(), value.clone())]),
                        hostile: Vec::new(),
                    };
                    let err = match prepare(&registry, &request(&set)) {
                        Ok(_) => panic!("{key} accepted {value:?}: {}", set.command()),
                        Err(p) => p.to_string(),
                    };
                    let at = value.chars().position(|c| c == 'a').map_or(0, |p| p + 2);
                    assert!(
                        err.contains(&key)
                            && err.contains(&format!("contains {what} at character {at}")),
                        "{key} = {value:?}: {err}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 2 * REFUSED_IN_TEXT.len(),
        "only {checked} questions checked"
    );
}
