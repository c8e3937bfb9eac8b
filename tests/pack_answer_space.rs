//! The answer space of every bundled pack, generated from the packs
//! themselves (never hand-listed): every option of every choice and
//! multi-choice question (and all options at once), both values of every
//! bool, the minimum and maximum of every bounded number, in every blueprint
//! (and without one, all skills chosen), each tree judged at every maturity.
//! A question whose `when` does not hold at the defaults is answered together
//! with an answer that opens it; one refused by a conflict is tried again
//! next to an answer of the questions the conflict names. By default each
//! answer is tried in one context (blueprint presets in their blueprint);
//! `SKILLCHAIN_ANSWER_SPACE=full` tries every answer in every context.
//!
//! Checked in-process, without the real tools (tests/real_tools*.rs run
//! those):
//! - every accepted answer set is either refused up front by a conflict
//!   rule naming its resolutions, or writes a project that passes its own
//!   validation with no required deliverable missing or incomplete
//!   (issue 10, items 7 and 11);
//! - every question changes the generated tree for at least one of its
//!   answers, or is listed in [`PLAN_ONLY`] with the reason (item 8).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use skillchain::generate::build_plan;
use skillchain::generate::FileStatus;
use skillchain::headless::{prepare, Request};
use skillchain::pack::{Maturity, Pack, Question, Registry};
use skillchain::session::Session;
use skillchain::validate::{validate_session, Status};

/// Questions whose answer changes only the plan hand-off or the answers
/// record, with why. Everything else must change a generated file.
const PLAN_ONLY: &[(&str, &str, &str)] = &[
    (
        "pipeline-analysis",
        "reading-run-artifacts.slow_seconds",
        "it selects the slow nodes of loaded run artifacts (findings.md, \
         workflow-analysis.md); without artifacts, as in this sweep, there are none",
    ),
    (
        "pipeline-analysis",
        "reading-run-artifacts.slowest_count",
        "it sizes the list of the slowest nodes of loaded run artifacts \
         (workflow-analysis.md); without artifacts, as in this sweep, there is none",
    ),
];

/// One answer context: a pack, a blueprint (or all skills), a maturity.
#[derive(Clone)]
struct Context<'a> {
    pack: &'a Pack,
    blueprint: Option<String>,
    maturity: Maturity,
}

impl Context<'_> {
    fn describe(&self, sets: &[String]) -> String {
        let how = match &self.blueprint {
            Some(b) => format!("--blueprint {b}"),
            None => format!("--skills {}", self.skills().join(",")),
        };
        let sets: Vec<String> = sets.iter().map(|s| format!("--set '{s}'")).collect();
        format!(
            "skillchain run --pack {} {how} --maturity {} --defaults {}",
            self.pack.id(),
            self.maturity.as_str(),
            sets.join(" ")
        )
    }

    fn skills(&self) -> Vec<String> {
        self.pack.skills.iter().map(|s| s.id.clone()).collect()
    }

    fn request(&self, sets: &[String]) -> Request {
        let goal = self
            .pack
            .manifest
            .examples
            .first()
            .cloned()
            .unwrap_or_else(|| self.pack.id().to_string());
        Request {
            goal: Some(goal),
            pack: Some(self.pack.id().to_string()),
            blueprint: self.blueprint.clone(),
            no_blueprint: self.blueprint.is_none(),
            skills: if self.blueprint.is_none() {
                Some(self.skills())
            } else {
                None
            },
            maturity: Some(self.maturity),
            sets: sets.to_vec(),
            defaults: true,
            skip_loads: true,
            ..Request::default()
        }
    }
}

enum Outcome {
    /// Refused by an open conflict; the message names the resolutions.
    Conflict(#[allow(dead_code)] String),
    /// A question in the set does not apply with these answers.
    NotApplicable,
    Session(Box<Session>),
}

fn prepare_set(registry: &Registry, ctx: &Context<'_>, sets: &[String]) -> Outcome {
    match prepare(registry, &ctx.request(sets)) {
        Ok(s) => Outcome::Session(Box::new(s)),
        Err(p) => {
            if let Some(c) = p
                .problems
                .iter()
                .find(|x| x.location.starts_with("conflict "))
            {
                assert!(
                    c.message.contains("Choose one of:"),
                    "a conflict refusal names its resolutions: {c:?}"
                );
                return Outcome::Conflict(c.message.clone());
            }
            let not_here = p.problems.iter().all(|x| {
                x.message.contains("does not hold") || x.message.contains("not a question of")
            });
            assert!(
                not_here,
                "{} was refused for another reason than a conflict or a condition: {p}",
                ctx.describe(sets)
            );
            Outcome::NotApplicable
        }
    }
}

/// The answers worth trying for one question.
fn variants(q: &Question) -> Vec<String> {
    use skillchain::pack::QuestionKind as K;
    match q.kind {
        K::Choice => q.options.iter().map(|o| o.value.clone()).collect(),
        K::MultiChoice => {
            let mut v: Vec<String> = q.options.iter().map(|o| o.value.clone()).collect();
            v.push(
                q.options
                    .iter()
                    .map(|o| o.value.clone())
                    .collect::<Vec<_>>()
                    .join(","),
            );
            v
        }
        K::Bool => vec!["true".into(), "false".into()],
        K::Integer | K::Number => {
            let v = &q.validate;
            [v.min, v.max]
                .into_iter()
                .flatten()
                .map(|x| {
                    if q.kind == K::Integer {
                        format!("{}", x as i64)
                    } else {
                        format!("{x}")
                    }
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// `(key, question)` of every question a context can ask: the blueprint's
/// quick questions and every skill's.
fn questions<'a>(ctx: &Context<'a>) -> Vec<(String, &'a Question)> {
    let mut out = Vec::new();
    if let Some(b) = ctx.blueprint.as_deref().and_then(|b| ctx.pack.blueprint(b)) {
        for q in &b.questions {
            out.push((format!("blueprint.{}", q.id), q));
        }
    }
    for s in &ctx.pack.skills {
        for q in &s.questions {
            out.push((format!("{}.{}", s.id, q.id), q));
        }
    }
    out
}

fn contexts(pack: &Pack) -> Vec<Context<'_>> {
    let mut bps: Vec<Option<String>> = pack.blueprints.iter().map(|b| Some(b.id.clone())).collect();
    bps.push(None);
    // One session per blueprint; its tree is judged at every maturity
    // (the answers decide the files, the maturity only what is required).
    bps.into_iter()
        .map(|b| Context {
            pack,
            blueprint: b,
            maturity: Maturity::Intermediate,
        })
        .collect()
}

/// Question keys (`skill-id.question`) an expression refers to.
fn referenced(expr: &str, qs: &[(String, &Question)]) -> Vec<String> {
    qs.iter()
        .filter(|(key, _)| {
            let (skill, q) = key.split_once('.').expect("key");
            expr.contains(&format!("{}.{q}", skill.replace('-', "_")))
        })
        .map(|(key, _)| key.clone())
        .collect()
}

/// The answer sets for `wanted` (key, value) pairs in a context; a question
/// closed at the defaults is answered together with one answer to a
/// question its `when` names that opens it (two levels deep).
fn answer_sets(
    registry: &Registry,
    ctx: &Context<'_>,
    wanted: &[(String, String)],
) -> Vec<(String, Vec<String>)> {
    let qs = questions(ctx);
    let mut out = Vec::new();
    for (key, v) in wanted {
        let set = format!("{key}={v}");
        let mut chosen = vec![set.clone()];
        let first = prepare_set(registry, ctx, &chosen);
        if matches!(first, Outcome::Conflict(_)) {
            // Refused at these defaults: also try it next to one answer of
            // the questions the conflict rules name, so the answer is seen
            // in a project too (the refused set stays in the list).
            let (skill, q) = key.split_once('.').unwrap_or((key.as_str(), ""));
            let me = format!("{}.{q}", skill.replace('-', "_"));
            let others: Vec<String> = ctx
                .pack
                .manifest
                .conflicts
                .iter()
                .filter(|c| c.when.contains(&me))
                .flat_map(|c| referenced(&c.when, &qs))
                .filter(|r| r != key)
                .collect();
            'other: for r in others {
                let rq = qs
                    .iter()
                    .find(|(k, _)| *k == r)
                    .map(|(_, q)| *q)
                    .expect("ref");
                for rv in variants(rq) {
                    let pair = vec![format!("{r}={rv}"), set.clone()];
                    if matches!(prepare_set(registry, ctx, &pair), Outcome::Session(_)) {
                        out.push((key.clone(), pair));
                        break 'other;
                    }
                }
            }
        }
        if matches!(first, Outcome::NotApplicable) {
            let Some(q) = qs.iter().find(|(k, _)| k == key).map(|(_, q)| *q) else {
                continue;
            };
            let Some(when) = q.when.as_deref() else {
                continue;
            };
            let mut found = None;
            'search: for r in referenced(when, &qs) {
                let rq = qs
                    .iter()
                    .find(|(k, _)| *k == r)
                    .map(|(_, q)| *q)
                    .expect("ref");
                for rv in variants(rq) {
                    let mut tries = vec![vec![format!("{r}={rv}"), set.clone()]];
                    // The opener may itself be closed: open it first.
                    if let Some(rwhen) = rq.when.as_deref() {
                        for r2 in referenced(rwhen, &qs) {
                            let r2q = qs
                                .iter()
                                .find(|(k, _)| *k == r2)
                                .map(|(_, q)| *q)
                                .expect("ref");
                            for r2v in variants(r2q) {
                                tries.push(vec![
                                    format!("{r2}={r2v}"),
                                    format!("{r}={rv}"),
                                    set.clone(),
                                ]);
                            }
                        }
                    }
                    for t in tries {
                        if !matches!(prepare_set(registry, ctx, &t), Outcome::NotApplicable) {
                            found = Some(t);
                            break 'search;
                        }
                    }
                }
            }
            match found {
                Some(t) => chosen = t,
                None => continue,
            }
        }
        out.push((key.clone(), chosen));
    }
    out
}

fn tree_of(session: &Session, root: &Path) -> BTreeMap<String, String> {
    let plan = build_plan(session, root).unwrap_or_else(|p| panic!("plan: {p}"));
    plan.files
        .into_iter()
        .filter(|f| f.status != FileStatus::Skipped)
        .map(|f| (f.path, f.content))
        .collect()
}

fn write_tree(root: &Path, files: &BTreeMap<String, String>) {
    for (path, content) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, content).expect("write");
    }
}

/// Every (question, answer) pair of a pack, and the contexts to try them
/// in: all contexts with `SKILLCHAIN_ANSWER_SPACE=full`, otherwise each pair
/// in one context, taken in turn (every pair is still covered, and every
/// context gets its defaults).
fn plan_of_pack(registry: &Registry, pack: &Pack) -> Vec<(usize, Vec<(String, String)>)> {
    let full = std::env::var("SKILLCHAIN_ANSWER_SPACE").is_ok_and(|v| v == "full");
    let ctxs = contexts(pack);
    let mut per: Vec<Vec<(String, String)>> = vec![Vec::new(); ctxs.len()];
    let mut turn = 0usize;
    let mut seen = BTreeSet::new();
    for (i, ctx) in ctxs.iter().enumerate() {
        // Preset questions first, so each blueprint gets its own.
        if let Some(b) = ctx.blueprint.as_deref().and_then(|b| pack.blueprint(b)) {
            if ctx.maturity == Maturity::Intermediate {
                for (key, q) in questions(ctx) {
                    if b.presets.contains_key(&key) && !full {
                        for v in variants(q) {
                            per[i].push((key.clone(), v));
                        }
                    }
                }
            }
        }
        for (key, q) in questions(ctx) {
            for v in variants(q) {
                if full {
                    per[i].push((key.clone(), v));
                } else if seen.insert((key.clone(), v.clone())) {
                    // Blueprint quick questions exist only in their
                    // blueprint; a question a blueprint presets is where
                    // that blueprint makes its promises: try it there.
                    let preset = ctx
                        .blueprint
                        .as_deref()
                        .and_then(|b| pack.blueprint(b))
                        .is_some_and(|b| b.presets.contains_key(&key));
                    let target = if key.starts_with("blueprint.") || preset {
                        i
                    } else {
                        turn += 1;
                        turn % ctxs.len()
                    };
                    per[target].push((key.clone(), v));
                }
            }
        }
    }
    let _ = registry;
    per.into_iter().enumerate().collect()
}

/// Both checks of the module documentation for one pack.
fn check_pack(pack_id: &str) {
    let registry = Registry::bundled().expect("bundled packs");
    let pack = registry
        .packs
        .iter()
        .find(|p| p.id() == pack_id)
        .expect("bundled pack");
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("project");
    let ctxs = contexts(pack);
    let (mut passed, mut refused, mut failures) = (0usize, 0usize, Vec::new());
    let mut changes: BTreeMap<String, bool> = BTreeMap::new();
    for (i, wanted) in plan_of_pack(&registry, pack) {
        let ctx = &ctxs[i];
        let mut bases: BTreeMap<Vec<String>, BTreeMap<String, String>> = BTreeMap::new();
        let mut sets = vec![(String::new(), Vec::new())];
        sets.extend(answer_sets(&registry, ctx, &wanted));
        for (key, set) in sets {
            let session = match prepare_set(&registry, ctx, &set) {
                Outcome::Session(s) => s,
                Outcome::Conflict(_) => {
                    refused += 1;
                    continue;
                }
                Outcome::NotApplicable => continue,
            };
            let files = tree_of(&session, &root);
            let _ = std::fs::remove_dir_all(&root);
            write_tree(&root, &files);
            let plan = build_plan(&session, &root).expect("plan");
            let delivers = skillchain::generate::deliverables(&session, &plan);
            let report = validate_session(&root, &delivers, &session).expect("validate");
            let mut bad: Vec<String> = Vec::new();
            for m in [
                Maturity::Starter,
                Maturity::Intermediate,
                Maturity::Advanced,
            ] {
                bad.extend(
                    report
                        .with_maturity(m)
                        .results
                        .iter()
                        .filter(|r| matches!(r.status, Status::Missing | Status::Incomplete))
                        // This sweep gives no run artifacts (`skip_loads`):
                        // an analysis without run evidence is incomplete by
                        // design (issue 11, 9c), and says so by that check.
                        .filter(|r| {
                            r.failed_checks.is_empty()
                                || !r.failed_checks.iter().all(is_run_evidence_check)
                        })
                        .map(|r| {
                            format!(
                                "at {}: {} {}: {}",
                                m.as_str(),
                                r.status.as_str(),
                                r.id,
                                r.first_problem().unwrap_or_default()
                            )
                        }),
                );
            }
            if bad.is_empty() {
                passed += 1;
            } else {
                failures.push(format!(
                    "{}\n    {}",
                    ctx.describe(&set),
                    bad.join("\n    ")
                ));
            }
            if key.is_empty() {
                bases.insert(Vec::new(), files);
                continue;
            }
            // The same answers without this question's: does it matter?
            let opener: Vec<String> = set[..set.len() - 1].to_vec();
            if !bases.contains_key(&opener) {
                let base = match prepare_set(&registry, ctx, &opener) {
                    Outcome::Session(s) => tree_of(&s, &root),
                    _ => BTreeMap::new(),
                };
                bases.insert(opener.clone(), base);
            }
            *changes.entry(key).or_insert(false) |= bases[&opener] != files;
        }
    }
    assert!(
        failures.is_empty(),
        "{} answer sets of {pack_id} wrote a project that fails its own validation; \
         such answers must be a conflict (refused up front, with resolutions) or the \
         deliverable must follow them (required_when/skipped_when):\n{}",
        failures.len(),
        failures.join("\n")
    );
    let listed: BTreeSet<String> = PLAN_ONLY
        .iter()
        .filter(|(p, _, _)| *p == pack_id)
        .map(|(_, k, _)| k.to_string())
        .collect();
    // A question tried in a context where it does not matter gets a
    // second chance in every other context.
    let dead: Vec<&String> = changes
        .iter()
        .filter(|(k, changed)| !**changed && !listed.contains(*k))
        .map(|(k, _)| k)
        .filter(|k| {
            !ctxs
                .iter()
                .filter(|c| c.maturity == Maturity::Intermediate)
                .any(|c| changes_tree(&registry, c, k, &root))
        })
        .collect();
    assert!(
        dead.is_empty(),
        "these questions of {pack_id} change no generated file for any of their answers; \
         make them matter, drop them, or list them in PLAN_ONLY with the reason: {dead:?}"
    );
    assert!(
        passed > 0,
        "{pack_id}: no answer set was accepted (refused {refused})"
    );
    eprintln!(
        "{pack_id}: {passed} answer sets pass their own validation at every maturity, \
         {refused} refused by a conflict"
    );
}

/// Does some answer to `key` change the tree in `ctx`, compared with the
/// same answers without it?
/// The pipeline-analysis check that the analysis holds run evidence.
fn is_run_evidence_check(c: &skillchain::validate::CheckFailure) -> bool {
    c.description.starts_with("the analysis holds run evidence")
}

fn changes_tree(registry: &Registry, ctx: &Context<'_>, key: &str, root: &Path) -> bool {
    let Some(q) = questions(ctx)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, q)| q)
    else {
        return false;
    };
    let wanted: Vec<(String, String)> = variants(q)
        .into_iter()
        .map(|v| (key.to_string(), v))
        .collect();
    let mut bases: BTreeMap<Vec<String>, BTreeMap<String, String>> = BTreeMap::new();
    for (_, set) in answer_sets(registry, ctx, &wanted) {
        let Outcome::Session(s) = prepare_set(registry, ctx, &set) else {
            continue;
        };
        let tree = tree_of(&s, root);
        let opener: Vec<String> = set[..set.len() - 1].to_vec();
        let base = bases.entry(opener.clone()).or_insert_with(|| {
            match prepare_set(registry, ctx, &opener) {
                Outcome::Session(b) => tree_of(&b, root),
                _ => BTreeMap::new(),
            }
        });
        if *base != tree {
            return true;
        }
    }
    false
}

#[test]
fn data_engineering_answer_space() {
    check_pack("data-engineering");
}

#[test]
fn dbt_workflows_answer_space() {
    check_pack("dbt-workflows");
}

#[test]
fn data_orchestration_answer_space() {
    check_pack("data-orchestration");
}

#[test]
fn bigquery_etl_answer_space() {
    check_pack("bigquery-etl");
}

#[test]
fn pipeline_analysis_answer_space() {
    check_pack("pipeline-analysis");
}
