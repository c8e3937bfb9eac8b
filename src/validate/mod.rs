//! Validation: does a project folder hold the deliverables that a blueprint
//! (or, without one, the chain's skills) promised? This module owns the
//! status of each deliverable, the completeness arithmetic and the pass
//! mark, the [`Report`] and its JSON shape, and the plain-text report panel
//! ([`render_text`]). It reads the disk but never writes it.
//!
//! # Rules
//!
//! - A content check with a `when` applies only while its expression holds
//!   for the answers (an alert demanded only when `alert_on` names it).
//! - **skipped**: the deliverable is not required at the run's maturity, or
//!   an answer rules it out (`skipped_when`). An answer can also make it
//!   required at every maturity (`required_when`); `reason` then says which.
//! - **missing**: none of its file globs matches a real file. Empty files and
//!   placeholders ([`PLACEHOLDER_NAMES`]) are not real, so a folder holding
//!   only those is missing too. A glob that names a folder matches the real
//!   files inside it.
//! - **incomplete**: something is there, but another file glob matches
//!   nothing, or a content check fails (its path matches no real file, or
//!   its regex matches in none of the files it does match).
//! - **fulfilled**: otherwise.
//!
//! Completeness is fulfilled ÷ (all − skipped), 100% when nothing is
//! required; the report passes at [`PASS_MARK`]%. A `*` in a glob never
//! crosses a `/` (use `**` for that). [`SKIPPED_FOLDERS`] are not looked at.
//!
//! # JSON (`skillchain validate --json`, `skillchain run --json`)
//!
//! [`Report`] serialises to this shape; field names and status words are
//! stable. Fields may be added, never renamed or removed.
//!
//! ```json
//! {
//!   "root": "data-pipeline",
//!   "blueprint": "kafka-snowflake-dbt",
//!   "maturity": "intermediate",
//!   "results": [
//!     {
//!       "id": "dbt-project",
//!       "name": "dbt project",
//!       "skill": "transforming-data",
//!       "status": "incomplete",
//!       "expected": ["transforms/dbt/dbt_project.yml", "transforms/dbt/models/**/*.sql"],
//!       "found": ["transforms/dbt/dbt_project.yml"],
//!       "missing": ["transforms/dbt/models/**/*.sql"],
//!       "failed_checks": [
//!         {
//!           "path": "transforms/dbt/dbt_project.yml",
//!           "pattern": "(?m)^models:",
//!           "description": "models are configured",
//!           "reason": "`(?m)^models:` not found in transforms/dbt/dbt_project.yml"
//!         }
//!       ],
//!       "maturity": [],
//!       "in_chain": true,
//!       "reason": null
//!     }
//!   ],
//!   "required": 1,
//!   "fulfilled": 0,
//!   "missing": 0,
//!   "incomplete": 1,
//!   "skipped": 0,
//!   "completeness": 0,
//!   "pass": false,
//!   "warnings": []
//! }
//! ```
//!
//! - `blueprint` is `null` when the deliverables are the skills' outputs.
//! - `status` is one of `fulfilled`, `missing`, `incomplete`, `skipped`.
//! - `expected` lists the deliverable's globs as written; `found` the real
//!   files they matched (relative, `/`-separated, sorted); `missing` the globs
//!   that matched none.
//! - `failed_checks` lists every content check that failed, with `reason` in
//!   words. For a skipped deliverable, `found`, `missing` and `failed_checks`
//!   still describe the disk, so a consumer can see what a higher maturity
//!   would ask for.
//! - `maturity` lists the levels that require the deliverable; `[]` means all.
//! - `reason` is `null` unless an answer decided the requirement: then it
//!   says why the deliverable is skipped (`skipped_when`) or required at
//!   every maturity (`required_when`), in the pack's words.
//! - `completeness` is a whole percent, rounded down; `pass` is
//!   `completeness >= 80`.
//! - `warnings` names parts of the tree that could not be read or links that
//!   were not followed: a deliverable behind them looks missing.

mod content;
#[cfg(test)]
mod content_tests;
mod embedded;
mod globs;
#[cfg(test)]
mod globs_tests;
mod matcher;
#[cfg(test)]
mod precompile;
mod render;
mod walk;

use std::path::Path;

use serde::Serialize;

use crate::error::{EngineError, Problem, Problems};
use crate::expr::Scope;
use crate::pack::{Deliverable, Maturity};
use crate::session::Session;

pub use render::render_text;
pub use walk::{PLACEHOLDER_NAMES, SKIPPED_FOLDERS};

/// Completeness (percent) at or above which a report passes.
pub const PASS_MARK: u32 = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Fulfilled,
    Missing,
    Incomplete,
    Skipped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Fulfilled => "fulfilled",
            Status::Missing => "missing",
            Status::Incomplete => "incomplete",
            Status::Skipped => "skipped",
        }
    }

    /// The symbol shown for this status everywhere (text report, TUI), so
    /// colour is never the only carrier of meaning.
    pub fn symbol(self) -> &'static str {
        match self {
            Status::Fulfilled => "✓",
            Status::Missing => "✗",
            Status::Incomplete => "⚠",
            Status::Skipped => "○",
        }
    }
}

/// A content check that failed, and why in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckFailure {
    pub path: String,
    pub pattern: String,
    pub description: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliverableResult {
    pub id: String,
    pub name: String,
    /// Primary skill: the one to re-run to produce it.
    pub skill: String,
    pub status: Status,
    /// Globs as written in the blueprint.
    pub expected: Vec<String>,
    /// Real files matched, relative, `/`-separated, sorted.
    pub found: Vec<String>,
    /// Globs that matched no real file.
    pub missing: Vec<String>,
    pub failed_checks: Vec<CheckFailure>,
    /// Levels that require it; empty means all.
    pub maturity: Vec<Maturity>,
    /// False when its primary skill is not in the chain: nothing promised it,
    /// so it is skipped at every maturity.
    pub in_chain: bool,
    /// Why the answers decided the requirement, when they did.
    pub reason: Option<String>,
    /// What the answers decided: required (`Some(true)`) or skipped
    /// (`Some(false)`) at every maturity; `None` leaves it to the maturity.
    #[serde(skip)]
    pub decided: Option<bool>,
}

impl DeliverableResult {
    pub fn required_at(&self, maturity: Maturity) -> bool {
        self.in_chain
            && self
                .decided
                .unwrap_or_else(|| self.maturity.is_empty() || self.maturity.contains(&maturity))
    }

    /// The status this deliverable has when it is required. It depends only
    /// on what was found, which is why a report can change maturity without
    /// walking the tree again.
    pub fn status_if_required(&self) -> Status {
        if self.found.is_empty() {
            Status::Missing
        } else if !self.missing.is_empty() || !self.failed_checks.is_empty() {
            Status::Incomplete
        } else {
            Status::Fulfilled
        }
    }

    /// The most useful single thing to say about an incomplete or missing
    /// deliverable: the first glob that matched nothing, else the first
    /// failed check.
    pub fn first_problem(&self) -> Option<String> {
        if let Some(glob) = self.missing.first() {
            return Some(format!("missing: {glob}"));
        }
        self.failed_checks.first().map(|f| {
            if f.description.is_empty() {
                f.reason.clone()
            } else {
                format!("{}: {}", f.description, f.reason)
            }
        })
    }
}

/// The outcome of validating one folder. See the module documentation for
/// its JSON shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub root: String,
    /// Blueprint id, or `None` when the deliverables are the skills' outputs.
    pub blueprint: Option<String>,
    pub maturity: Maturity,
    /// In the order the deliverables were given.
    pub results: Vec<DeliverableResult>,
    /// All deliverables minus the skipped ones.
    pub required: usize,
    pub fulfilled: usize,
    pub missing: usize,
    pub incomplete: usize,
    pub skipped: usize,
    /// Percent, rounded down; 100 when nothing is required.
    pub completeness: u32,
    pub pass: bool,
    /// Parts of the tree that could not be read, links not followed.
    pub warnings: Vec<String>,
}

impl Report {
    /// The same findings judged at another maturity, without reading the
    /// disk again (the report screen can switch levels instantly).
    pub fn with_maturity(&self, maturity: Maturity) -> Report {
        let results = self
            .results
            .iter()
            .map(|r| DeliverableResult {
                status: if r.required_at(maturity) {
                    r.status_if_required()
                } else {
                    Status::Skipped
                },
                ..r.clone()
            })
            .collect();
        Report::tally(
            self.root.clone(),
            self.blueprint.clone(),
            maturity,
            results,
            self.warnings.clone(),
        )
    }

    /// Required deliverables that are not fulfilled, in report order: what
    /// "generate missing" would work on.
    pub fn to_fix(&self) -> impl Iterator<Item = &DeliverableResult> {
        self.results
            .iter()
            .filter(|r| matches!(r.status, Status::Missing | Status::Incomplete))
    }

    /// `PASS` or `NEEDS ATTENTION`.
    pub fn verdict(&self) -> &'static str {
        if self.pass {
            "PASS"
        } else {
            "NEEDS ATTENTION"
        }
    }

    fn tally(
        root: String,
        blueprint: Option<String>,
        maturity: Maturity,
        results: Vec<DeliverableResult>,
        warnings: Vec<String>,
    ) -> Report {
        let count = |s: Status| results.iter().filter(|r| r.status == s).count();
        let (fulfilled, missing, incomplete, skipped) = (
            count(Status::Fulfilled),
            count(Status::Missing),
            count(Status::Incomplete),
            count(Status::Skipped),
        );
        let required = results.len() - skipped;
        let (completeness, pass) = completeness(fulfilled, required);
        Report {
            root,
            blueprint,
            maturity,
            results,
            required,
            fulfilled,
            missing,
            incomplete,
            skipped,
            completeness,
            pass,
            warnings,
        }
    }
}

/// Whole percent (rounded down) and whether it reaches the pass mark.
/// Compared on the exact ratio, not the rounded percent, so rounding can
/// never turn a fail into a pass.
pub fn completeness(fulfilled: usize, required: usize) -> (u32, bool) {
    if required == 0 {
        return (100, true);
    }
    let percent = (fulfilled as u128 * 100 / required as u128) as u32;
    let pass = fulfilled as u128 * 100 >= PASS_MARK as u128 * required as u128;
    (percent, pass)
}

/// Validates the folder `root` against `deliverables` at `maturity`.
/// `blueprint` is the blueprint id shown in the report (`None`: skill
/// outputs).
///
/// The tree is walked once and every glob is matched in that one pass; sizes
/// are read only for the files a glob matched, and contents only for the
/// files content checks need, each at most once.
///
/// Errors: the root does not exist or is not a folder; a glob or regex is
/// invalid (every one is listed).
pub fn validate_tree(
    root: &Path,
    deliverables: &[Deliverable],
    maturity: Maturity,
    blueprint: Option<&str>,
) -> Result<Report, EngineError> {
    validate_chain(root, deliverables, maturity, blueprint, None)
}

/// [`validate_tree`] for a run: deliverables whose primary skill is not in
/// `chain` are skipped (a batch chain never promised streaming config).
pub fn validate_chain(
    root: &Path,
    deliverables: &[Deliverable],
    maturity: Maturity,
    blueprint: Option<&str>,
    chain: Option<&[String]>,
) -> Result<Report, EngineError> {
    let decisions = vec![Decision::default(); deliverables.len()];
    validate_decided(root, deliverables, maturity, blueprint, chain, &decisions)
}

/// [`validate_chain`] for a session: its chain, maturity and blueprint, and
/// the deliverables' `required_when`/`skipped_when` decided by its answers.
pub fn validate_session(
    root: &Path,
    deliverables: &[Deliverable],
    session: &Session,
) -> Result<Report, EngineError> {
    let compiled = compile(deliverables, session.blueprint.as_deref())?;
    validate_session_compiled(root, deliverables, session, &compiled, &Known::default())
}

/// The globs and regexes of a set of deliverables, compiled for
/// [`validate_session_compiled`].
pub struct Compiled(matcher::Matcher);

/// Compiles the deliverables' globs and regexes, listing every invalid one.
pub fn compile(
    deliverables: &[Deliverable],
    blueprint: Option<&str>,
) -> Result<Compiled, EngineError> {
    Ok(Compiled(matcher::Matcher::compile(
        deliverables,
        &context_for(blueprint),
    )?))
}

/// Contents of files known to be on disk as they are here, by path relative
/// to the root: the files a run has just written under the folder's lock.
/// Validation takes their size and content from here instead of reading
/// them back; every other file is read from disk.
#[derive(Default)]
pub struct Known<'a> {
    pub files: std::collections::HashMap<&'a str, &'a [u8]>,
    /// `files` (outside `.skillchain`) are the whole tree: the folder held
    /// nothing else before the run created them. The tree is then not
    /// walked, and the report is the one a walk would give.
    pub whole: bool,
}

/// [`validate_session`] with the deliverables compiled by [`compile`] and
/// the contents a run has just written.
pub fn validate_session_compiled(
    root: &Path,
    deliverables: &[Deliverable],
    session: &Session,
    compiled: &Compiled,
    known: &Known<'_>,
) -> Result<Report, EngineError> {
    let chain: Vec<String> = session.writing_chain();
    let decisions = decide(deliverables, session.scope())?;
    validate_with(
        root,
        deliverables,
        session.maturity,
        session.blueprint.as_deref(),
        Some(&chain),
        &decisions,
        &compiled.0,
        known,
    )
}

fn context_for(blueprint: Option<&str>) -> String {
    match blueprint {
        Some(b) => format!("cannot validate against blueprint `{b}`"),
        None => "cannot validate against the skills' outputs".to_string(),
    }
}

/// What the answers say about one deliverable's requirement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decision {
    /// `Some(true)`: required at every maturity; `Some(false)`: skipped.
    pub required: Option<bool>,
    pub reason: Option<String>,
    /// Indices of content checks whose `when` does not hold: not applied.
    pub skipped_checks: Vec<usize>,
}

/// Evaluates each deliverable's `skipped_when` (first that holds wins) and
/// then its `required_when` against the answers in `scope`.
///
/// Errors: a condition that does not evaluate (lint catches most), naming
/// the deliverable and the expression.
pub fn decide(deliverables: &[Deliverable], scope: &Scope) -> Result<Vec<Decision>, EngineError> {
    let env = crate::expr::base_env();
    let ctx = scope.to_value();
    let mut problems = Vec::new();
    // An expression that does not evaluate is reported; meanwhile the
    // condition counts as `fallback`.
    let mut holds = |id: &str, field: &str, when: &str, fallback: bool| {
        crate::expr::eval_bool(&env, when, &ctx).unwrap_or_else(|e| {
            problems.push(Problem::new(
                format!("deliverable `{id}`: {field}"),
                format!("{e}; fix the expression in the pack"),
            ));
            fallback
        })
    };
    let mut decisions = Vec::with_capacity(deliverables.len());
    for d in deliverables {
        let skipped_checks: Vec<usize> = d
            .checks
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.when
                    .as_deref()
                    .is_some_and(|w| !holds(&d.id, "check when", w, true))
            })
            .map(|(k, _)| k)
            .collect();
        let skipped = d
            .skipped_when
            .iter()
            .find(|c| holds(&d.id, "skipped_when", &c.when, false));
        let required = d
            .required_when
            .iter()
            .find(|c| holds(&d.id, "required_when", &c.when, false));
        decisions.push(match (skipped, required) {
            (Some(c), _) => Decision {
                required: Some(false),
                reason: Some(c.reason.clone()),
                skipped_checks,
            },
            (None, Some(c)) => Decision {
                required: Some(true),
                reason: Some(c.reason.clone()),
                skipped_checks,
            },
            (None, None) => Decision {
                skipped_checks,
                ..Decision::default()
            },
        });
    }
    if problems.is_empty() {
        Ok(decisions)
    } else {
        Err(EngineError::from(Problems {
            context: "cannot decide which deliverables are required".to_string(),
            problems,
        }))
    }
}

/// [`validate_chain`] with the answers' decisions, one per deliverable (see
/// [`decide`]); a missing one leaves the requirement to the maturity.
pub fn validate_decided(
    root: &Path,
    deliverables: &[Deliverable],
    maturity: Maturity,
    blueprint: Option<&str>,
    chain: Option<&[String]>,
    decisions: &[Decision],
) -> Result<Report, EngineError> {
    let matcher = matcher::Matcher::compile(deliverables, &context_for(blueprint))?;
    validate_with(
        root,
        deliverables,
        maturity,
        blueprint,
        chain,
        decisions,
        &matcher,
        &Known::default(),
    )
}

#[allow(clippy::too_many_arguments)]
fn validate_with(
    root: &Path,
    deliverables: &[Deliverable],
    maturity: Maturity,
    blueprint: Option<&str>,
    chain: Option<&[String]>,
    decisions: &[Decision],
    matcher: &matcher::Matcher,
    known: &Known<'_>,
) -> Result<Report, EngineError> {
    let mut tree = match known.whole {
        true => walk::of_files(root, known.files.keys().copied()),
        false => None,
    }
    .map_or_else(|| walk::walk(root), Ok)?;
    let mut cache = matcher::ContentCache::default();
    if !known.files.is_empty() {
        for (i, e) in tree.entries.iter_mut().enumerate() {
            // A link found by the walk is measured by what it points to.
            if e.is_dir || e.size.is_some() {
                continue;
            }
            if let Some(bytes) = known.files.get(e.rel.as_str()) {
                e.size = Some(bytes.len() as u64);
                cache.preset(i, bytes);
            }
        }
    }
    let hits = matcher.match_tree(&mut tree);

    let results = deliverables
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut eval = matcher.evaluate(i, d, &tree, &hits, &mut cache);
            // Checks whose `when` does not hold for these answers are not
            // promises; drop their failures.
            if let Some(decision) = decisions.get(i) {
                let off: Vec<(&str, &str)> = decision
                    .skipped_checks
                    .iter()
                    .filter_map(|&k| d.checks.get(k))
                    .map(|c| (c.path.as_str(), c.pattern.as_str()))
                    .collect();
                eval.failed_checks
                    .retain(|f| !off.contains(&(f.path.as_str(), f.pattern.as_str())));
            }
            let mut result = DeliverableResult {
                id: d.id.clone(),
                name: d.name.clone(),
                skill: d.skill.clone(),
                status: Status::Skipped,
                expected: matcher::promised_files(d)
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
                found: eval.found,
                missing: eval.missing,
                failed_checks: eval.failed_checks,
                maturity: d.maturity.clone(),
                in_chain: chain.is_none_or(|c| c.contains(&d.skill)),
                reason: decisions.get(i).and_then(|x| x.reason.clone()),
                decided: decisions.get(i).and_then(|x| x.required),
            };
            if result.required_at(maturity) {
                result.status = result.status_if_required();
            }
            result
        })
        .collect();

    Ok(Report::tally(
        root.display().to_string(),
        blueprint.map(str::to_string),
        maturity,
        results,
        tree.warnings,
    ))
}
