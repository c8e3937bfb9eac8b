//! The generation plan: every file a session would write, rendered in memory
//! and compared with what is on disk, before anything is written.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::unsafe_path;

/// The longest file or folder name common file systems accept, in bytes.
const NAME_MAX_BYTES: usize = 255;
use crate::error::{Problem, Problems};
use crate::expr;
use crate::pack::{ContentCheck, Deliverable};
use crate::session::Session;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// Does not exist yet.
    New,
    /// Exists with exactly this content.
    Identical,
    /// Exists with other content: written only with an explicit choice.
    Conflict,
    /// Not generated: its condition does not hold.
    Skipped,
}

impl FileStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::New => "new",
            FileStatus::Identical => "identical",
            FileStatus::Conflict => "conflict",
            FileStatus::Skipped => "skipped",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedFile {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub skill: String,
    pub template: String,
    pub status: FileStatus,
    #[serde(skip)]
    pub content: String,
    /// What is on disk now, for conflicts (diff preview).
    #[serde(skip)]
    pub existing: Option<String>,
    /// Why a skipped file is skipped, or why a file of a skill that only
    /// gives its answers is written (another skill's files need it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl PlannedFile {
    /// A file the plan does not write, and why.
    fn skipped(path: String, skill: &str, template: &str, reason: String) -> PlannedFile {
        PlannedFile {
            path,
            skill: skill.to_string(),
            template: template.to_string(),
            status: FileStatus::Skipped,
            content: String::new(),
            existing: None,
            reason: Some(reason),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub root: PathBuf,
    pub files: Vec<PlannedFile>,
}

impl Plan {
    pub fn count(&self, status: FileStatus) -> usize {
        self.files.iter().filter(|f| f.status == status).count()
    }

    pub fn conflicts(&self) -> impl Iterator<Item = &PlannedFile> {
        self.files
            .iter()
            .filter(|f| f.status == FileStatus::Conflict)
    }
}

/// Why the files of a skill in the chain only for its answers are skipped.
pub const ANSWERS_ONLY_REASON: &str =
    "not asked by the goal: its answers are defaults for the others, its files are not written";

/// Renders every output of every skill in the chain. All problems (template
/// errors, unsafe or duplicate paths) are reported together. Values printed
/// into a path must be one file-name segment; values printed into a file are
/// escaped for the file's type (see [`expr::escape`]).
pub fn build_plan(session: &Session, root: &Path) -> Result<Plan, Problems> {
    let pack = session.pack();
    let path_env = expr::path_env();
    let ctx = session.scope().to_value();
    let mut problems = Vec::new();
    let mut files: Vec<PlannedFile> = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    // Every output sees the same answers, so a condition shared by several
    // outputs is evaluated once.
    let mut conditions: HashMap<&str, Result<bool, String>> = HashMap::new();
    for entry in &session.chain {
        let Some(skill) = pack.skill(&entry.id) else {
            continue;
        };
        for out in &skill.outputs {
            let loc = format!("{}: output {}", skill.id, out.path);
            // A path without `{` has no tag, so it renders as itself: no
            // template to compile.
            let rendered = if out.path.contains('{') {
                expr::render_str(&path_env, &out.path, &ctx)
            } else {
                Ok(out.path.clone())
            };
            let path = match rendered {
                Ok(p) => p.trim().to_string(),
                Err(e) => {
                    problems.push(Problem::new(&loc, format!("path does not render: {e}")));
                    continue;
                }
            };
            let needed_by = needed_by_writer(session, &out.shared_with);
            let owner_writes = session.writes_files(&skill.id);
            if !owner_writes && needed_by.is_none() {
                files.push(PlannedFile::skipped(
                    path,
                    &skill.id,
                    &out.template,
                    ANSWERS_ONLY_REASON.to_string(),
                ));
                continue;
            }
            if let Some(w) = &out.when {
                let holds = conditions
                    .entry(w.as_str())
                    .or_insert_with(|| expr::eval_bool(&path_env, w, &ctx))
                    .clone();
                match holds {
                    Ok(true) => {}
                    Ok(false) => {
                        files.push(PlannedFile::skipped(
                            path,
                            &skill.id,
                            &out.template,
                            format!("condition `{w}` does not hold"),
                        ));
                        continue;
                    }
                    Err(e) => {
                        problems.push(Problem::new(&loc, e));
                        continue;
                    }
                }
            }
            if let Some(why) = unsafe_path(&path) {
                let from = super::paths::answers_behind(&path, &session.scope().answers);
                let from = match from.as_slice() {
                    [] => String::new(),
                    names => format!(" (it comes from the answer {})", names.join(", ")),
                };
                problems.push(Problem::new(
                    &loc,
                    format!(
                        "refused: {why}{from}; output paths must stay inside the output folder"
                    ),
                ));
                continue;
            }
            // Linted packs bound the answers in paths (`PATH_ANSWER_MAX`);
            // this catches an unlinted pack before the file system does.
            if let Some(seg) = path.split('/').find(|s| s.len() > NAME_MAX_BYTES) {
                let start: String = seg.chars().take(40).collect();
                problems.push(Problem::new(
                    &loc,
                    format!(
                        "refused: the file name `{start}…` is {} bytes, longer than the {NAME_MAX_BYTES} a file system allows; shorten the answers in this path",
                        seg.len()
                    ),
                ));
                continue;
            }
            if let Some(other) = seen.insert(path.clone(), skill.id.clone()) {
                problems.push(Problem::new(
                    &loc,
                    format!("`{path}` is also generated by {other}"),
                ));
                continue;
            }
            files.push(PlannedFile {
                path,
                skill: skill.id.clone(),
                template: out.template.clone(),
                status: FileStatus::New,
                content: String::new(),
                existing: None,
                reason: needed_by
                    .filter(|_| !owner_writes)
                    .map(|by| format!("{}: {by} needs it", SHARED_REASON)),
            });
        }
    }
    // dbt reads the SQL and YAML of its project as Jinja templates.
    let jinja_roots: Vec<String> = files
        .iter()
        .filter(|f| f.status != FileStatus::Skipped)
        .filter_map(|f| match f.path.rsplit_once('/') {
            Some((dir, "dbt_project.yml")) => Some(dir.to_string()),
            None if f.path == "dbt_project.yml" => Some(String::new()),
            _ => None,
        })
        .collect();
    let env = expr::file_env(pack, jinja_roots);
    // Each file to render with its template's source; `None` when the
    // template does not exist.
    let wanted: Vec<(usize, Option<&String>)> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.status != FileStatus::Skipped)
        .map(|(i, f)| (i, pack.templates.get(&f.template)))
        .collect();
    let jobs: Vec<Job> = wanted
        .iter()
        .filter_map(|&(i, source)| {
            source.map(|source| Job {
                path: &files[i].path,
                template: &files[i].template,
                source,
            })
        })
        .collect();
    let mut rendered = render_all(&env, &jobs, &ctx).into_iter();
    let mut contents = Vec::with_capacity(wanted.len());
    for &(i, source) in &wanted {
        let f = &files[i];
        let result = match source {
            None => Err(format!("template {} does not exist", f.template)),
            Some(_) => rendered
                .next()
                .unwrap_or_else(|| Err(format!("template {} was not rendered", f.template))),
        };
        contents.push((i, result));
    }
    for (i, result) in contents {
        let f = &mut files[i];
        match result {
            Ok(c) => f.content = c,
            Err(e) => problems.push(Problem::new(format!("{}: output {}", f.skill, f.path), e)),
        }
    }
    if !problems.is_empty() {
        return Err(Problems {
            context: "generation".to_string(),
            problems,
        });
    }
    let mut folders = Folders::default();
    for f in files.iter_mut().filter(|f| f.status != FileStatus::Skipped) {
        if folders.missing_parent(root, &f.path) {
            // Nothing can stand below a missing folder: no need to look.
            f.status = FileStatus::New;
            continue;
        }
        if let Err(p) = compare_with_disk(root, f) {
            problems.push(p);
        }
    }
    if !problems.is_empty() {
        return Err(Problems {
            context: "generation".to_string(),
            problems,
        });
    }
    Ok(Plan {
        root: root.to_path_buf(),
        files,
    })
}

/// One file to render: its output path (which picks the escaping), the
/// pack template it comes from, and that template's source.
struct Job<'a> {
    path: &'a str,
    template: &'a str,
    source: &'a str,
}

/// Renders `jobs` in order with one budget, as one thread would.
fn render_in_order(
    env: &minijinja::Environment<'_>,
    jobs: &[Job],
    ctx: &minijinja::Value,
) -> Vec<Result<String, String>> {
    let mut budget = super::budget::Budget::default();
    jobs.iter()
        .map(|j| budget.render(env, j.path, j.template, j.source, ctx))
        .collect()
}

/// Below this much template source, a second thread costs more than it saves.
const PARALLEL_MIN_BYTES: usize = 16 << 10;

/// Renders `jobs`, the second half (by source size) on another thread:
/// compiling templates is most of a plan's work, and each file renders
/// from the same answers alone. The result is exactly what rendering in
/// order gives: when every file rendered within the run's budget in both
/// halves, it is the same files in order; otherwise (an error, the run's
/// byte budget passed, no thread) everything is rendered again in order,
/// so which file reports which limit stays as it was.
fn render_all(
    env: &minijinja::Environment<'_>,
    jobs: &[Job],
    ctx: &minijinja::Value,
) -> Vec<Result<String, String>> {
    let total: usize = jobs.iter().map(|j| j.source.len()).sum();
    if jobs.len() < 4 || total < PARALLEL_MIN_BYTES {
        return render_in_order(env, jobs, ctx);
    }
    let mut sum = 0;
    let split = jobs
        .iter()
        .position(|j| {
            sum += j.source.len();
            sum * 2 >= total
        })
        .map_or(jobs.len() / 2, |i| i + 1)
        .clamp(1, jobs.len() - 1);
    let (first, second) = jobs.split_at(split);
    let halves = std::thread::scope(|s| {
        // The main thread's stack size: templates may nest deeply.
        let helper = std::thread::Builder::new()
            .name("render".into())
            .stack_size(8 << 20)
            .spawn_scoped(s, || render_in_order(env, second, ctx));
        let mine = render_in_order(env, first, ctx);
        helper
            .ok()
            .and_then(|h| h.join().ok())
            .map(|theirs| (mine, theirs))
    });
    let Some((mut all, theirs)) = halves else {
        return render_in_order(env, jobs, ctx);
    };
    all.extend(theirs);
    let bytes: usize = all.iter().map(|r| r.as_ref().map_or(0, String::len)).sum();
    if bytes > super::budget::MAX_RUN_BYTES || all.iter().any(Result::is_err) {
        return render_in_order(env, jobs, ctx);
    }
    all
}

/// Which folders of the output paths exist, each looked up once: a fresh
/// output folder costs one lookup per top folder instead of one open per file.
#[derive(Default)]
struct Folders {
    missing: HashMap<String, bool>,
}

impl Folders {
    /// True when a folder on the way to `path` (relative) does not exist.
    /// Anything else (a file or link in the way, an error) is left to
    /// [`compare_with_disk`], which names it.
    fn missing_parent(&mut self, root: &Path, path: &str) -> bool {
        let mut end = 0;
        while let Some(i) = path[end..].find('/') {
            end += i;
            let dir = &path[..end];
            let missing = match self.missing.get(dir) {
                Some(&m) => m,
                None => {
                    let m = std::fs::symlink_metadata(root.join(dir))
                        .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
                    self.missing.insert(dir.to_string(), m);
                    m
                }
            };
            if missing {
                return true;
            }
            end += 1;
        }
        false
    }
}

/// Only a regular file is ever read: a FIFO or a device at a planned path
/// would block or never end, a link would be written through.
fn compare_with_disk(root: &Path, f: &mut PlannedFile) -> Result<(), Problem> {
    let target = root.join(&f.path);
    let limit = super::budget::MAX_FILE_BYTES as u64;
    match crate::textfile::read_bytes_with(
        &target,
        limit,
        "files in the output folder",
        crate::textfile::Links::Refuse,
    ) {
        Ok(bytes) if bytes == f.content.as_bytes() => f.status = FileStatus::Identical,
        Ok(bytes) => {
            f.status = FileStatus::Conflict;
            f.existing = Some(String::from_utf8_lossy(&bytes).into_owned());
        }
        Err(e) if e.is_not_found() => f.status = FileStatus::New,
        Err(crate::textfile::ReadError::NotAFile { kind, .. }) => {
            return Err(Problem::new(
                target.display().to_string(),
                super::write::cannot_write_over(kind),
            ))
        }
        // Unreadable or larger than anything generated: it differs.
        Err(_) => {
            f.status = FileStatus::Conflict;
            f.existing = Some(String::new());
        }
    }
    Ok(())
}

/// What validation checks: the blueprint's deliverables, or, without a
/// blueprint, one deliverable per skill made of its generated files and checks.
pub fn deliverables(session: &Session, plan: &Plan) -> Vec<Deliverable> {
    let pack = session.pack();
    if let Some(b) = session
        .blueprint
        .as_deref()
        .and_then(|id| pack.blueprint(id))
    {
        return b.deliverables.to_vec();
    }
    session
        .chain
        .iter()
        .filter(|e| session.writes_files(&e.id))
        .filter_map(|e| pack.skill(&e.id))
        .filter_map(|skill| {
            let files: Vec<String> = plan
                .files
                .iter()
                .filter(|f| f.skill == skill.id && f.status != FileStatus::Skipped)
                .map(|f| globset_escape(&f.path))
                .collect();
            if files.is_empty() {
                return None;
            }
            Some(Deliverable {
                id: skill.id.clone(),
                name: skill.title.clone(),
                description: skill.summary.clone(),
                skill: skill.id.clone(),
                files,
                checks: skill
                    .checks
                    .iter()
                    .map(|c| ContentCheck { ..c.clone() })
                    .collect(),
                maturity: Vec::new(),
                required_when: Vec::new(),
                skipped_when: Vec::new(),
            })
        })
        .collect()
}

/// A literal path as a glob that matches only itself.
fn globset_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '{' | '}') {
            out.push('[');
            out.push(c);
            out.push(']');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
#[path = "plan_digest_tests.rs"]
mod digest_tests;

/// Why a file of a skill that only gives its answers is written.
pub const SHARED_REASON: &str = "written although its skill gives only its answers";

/// The first skill writing its files in this session that needs the
/// output (its `shared_with`).
fn needed_by_writer<'a>(session: &Session, shared_with: &'a [String]) -> Option<&'a str> {
    shared_with
        .iter()
        .find(|id| session.chain.iter().any(|e| &e.id == *id) && session.writes_files(id))
        .map(String::as_str)
}

#[cfg(test)]
mod render_tests {
    use super::*;
    use minijinja::Value;

    /// A seeded template: plain text, printed values, loops of varied
    /// output size, and now and then one that fails; padded with a
    /// comment so that a set of them takes the two-thread path.
    fn template(next: &mut impl FnMut() -> u64) -> String {
        let body = match next() % 7 {
            0 => "plain text only\n".to_string(),
            1 => "{{ name }} has {{ n }} rows\n".to_string(),
            2 => format!(
                "{{% for i in range({}) %}}{{{{ i }}}},{{% endfor %}}",
                next() % 300
            ),
            3 => "{{ name | upper }}{% if n > 3 %} big{% endif %}".to_string(),
            4 => format!("{{{{ 'ab' * {} }}}}", next() % 5000),
            5 if next().is_multiple_of(4) => "{{ name | no_such_filter }}".to_string(),
            5 => "{% for k in [1, 2] %}{{ loop.index }}{% endfor %}".to_string(),
            _ => "{{ 'é' ~ name }} {{ missing }}".to_string(),
        };
        let pad = "x".repeat((next() % 3000) as usize);
        format!("{{# {pad} #}}{body}")
    }

    #[test]
    fn two_threads_render_exactly_what_one_does() {
        let env = crate::expr::base_env();
        let ctx = Value::from_serialize(serde_json::json!({"name": "orders", "n": 5}));
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut parallel = 0;
        for _ in 0..40 {
            let count = 1 + (next() % 30) as usize;
            let sources: Vec<String> = (0..count).map(|_| template(&mut next)).collect();
            let paths: Vec<String> = (0..count).map(|i| format!("out/f{i}.sql")).collect();
            let jobs: Vec<Job> = sources
                .iter()
                .zip(&paths)
                .map(|(source, path)| Job {
                    path,
                    template: "t.j2",
                    source,
                })
                .collect();
            let total: usize = sources.iter().map(String::len).sum();
            if count >= 4 && total >= PARALLEL_MIN_BYTES {
                parallel += 1;
            }
            assert_eq!(
                render_all(&env, &jobs, &ctx),
                render_in_order(&env, &jobs, &ctx)
            );
        }
        assert!(parallel > 10, "{parallel}");
    }

    #[test]
    fn past_the_run_budget_the_same_file_reports_the_same_limit() {
        let env = crate::expr::base_env();
        // Ten files just under the file limit: the run's budget runs out
        // at the tenth, whichever thread renders it.
        let seven = format!("{{# {} #}}{{{{ 'x' * 7340032 }}}}", "p".repeat(4096));
        let jobs: Vec<Job> = (0..10)
            .map(|_| Job {
                path: "out.txt",
                template: "t.j2",
                source: &seven,
            })
            .collect();
        let got = render_all(&env, &jobs, &Value::UNDEFINED);
        assert_eq!(got, render_in_order(&env, &jobs, &Value::UNDEFINED));
        assert_eq!(got.iter().filter(|r| r.is_ok()).count(), 9);
        assert!(got[9]
            .as_ref()
            .is_err_and(|e| e.contains("the limit for one run")));
    }
}
