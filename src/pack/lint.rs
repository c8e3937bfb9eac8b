//! Semantic checks of a parsed pack: references, cycles, defaults, templates,
//! paths. Every problem is collected; nothing stops at the first.

mod escape;

use globset::Glob;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::jinja_names::{jinja_error, line_of, unknown_filters_and_tests, TEMPLATE_RUNTIME_NAMES};
#[cfg(test)]
use super::model::skill_key;
use super::model::{Pack, Question, QuestionKind};
use crate::error::Problem;
use crate::expr::{self, BUILTIN_NAMES};
use crate::suggest::did_you_mean;
use crate::value::{check_value, AnswerValue};

/// Where each skill and blueprint came from, and what did not parse, for
/// messages.
#[derive(Debug, Default)]
pub struct Sources {
    pub origin: String,
    /// The file of each skill, in `pack.skills` order.
    pub skill_files: Vec<String>,
    /// The file of each blueprint, in `pack.blueprints` order.
    pub blueprint_files: Vec<String>,
    /// Ids of skills whose file did not parse (already reported): references
    /// to them are taken on trust.
    pub broken_skills: BTreeSet<String>,
    /// A blueprint file did not parse, so `blueprint.<question>` references
    /// cannot be checked.
    pub broken_blueprints: bool,
    /// pack.yaml is missing or did not parse: its own checks are skipped.
    pub manifest_broken: bool,
}

impl Sources {
    fn skill_loc(&self, index: usize) -> String {
        let file = self
            .skill_files
            .get(index)
            .map(String::as_str)
            .unwrap_or("skills");
        format!("{}/{file}", self.origin)
    }

    fn skill_loc_of(&self, pack: &Pack, id: &str) -> String {
        match pack.skill_index(id) {
            Some(i) => self.skill_loc(i),
            None => self.origin.clone(),
        }
    }

    fn blueprint_loc(&self, index: usize) -> String {
        let file = self
            .blueprint_files
            .get(index)
            .map(String::as_str)
            .unwrap_or("blueprints");
        format!("{}/{file}", self.origin)
    }
}

fn id_ok(id: &str) -> bool {
    static RE: std::sync::OnceLock<Option<Regex>> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[a-z0-9][a-z0-9-]*$").ok())
        .as_ref()
        .is_some_and(|re| re.is_match(id))
}

fn question_id_ok(id: &str) -> bool {
    static RE: std::sync::OnceLock<Option<Regex>> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[a-z][a-z0-9_]*$").ok())
        .as_ref()
        .is_some_and(|re| re.is_match(id))
}

/// " (did you mean `x`?)" for a likely typo, else the list of valid names so
/// the author can pick one.
fn hint<'a>(
    word: &str,
    what: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    match did_you_mean(word, candidates.clone()) {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => {
            let all: Vec<&str> = candidates.into_iter().collect();
            if all.is_empty() {
                String::new()
            } else {
                format!(" ({what}: {})", all.join(", "))
            }
        }
    }
}

/// What names an expression may refer to.
struct Known<'a> {
    pack: &'a Pack,
    /// skill key → question ids; the first skill wins when ids repeat (as in
    /// `Pack::skill`).
    skills: BTreeMap<String, Vec<String>>,
    /// skill key → ids of its `load:` questions, the names under `loaded.<key>`.
    loads: BTreeMap<String, Vec<String>>,
    /// Keys of skills whose file did not parse.
    broken_skills: BTreeSet<String>,
    blueprint_questions: BTreeSet<String>,
    broken_blueprints: bool,
    /// Globals of the expression environment: `range`, `has_skill`, …
    globals: BTreeSet<String>,
}

impl<'a> Known<'a> {
    fn new(pack: &'a Pack, src: &Sources, env: &minijinja::Environment<'_>) -> Self {
        let mut skills = BTreeMap::new();
        let mut loads = BTreeMap::new();
        for s in &pack.skills {
            skills
                .entry(s.key())
                .or_insert_with(|| s.questions.iter().map(|q| q.id.clone()).collect());
            loads.entry(s.key()).or_insert_with(|| {
                s.questions
                    .iter()
                    .filter(|q| q.load.is_some())
                    .map(|q| q.id.clone())
                    .collect()
            });
        }
        let blueprint_questions = pack
            .blueprints
            .iter()
            .flat_map(|b| b.questions.iter().map(|q| q.id.clone()))
            .collect();
        Known {
            pack,
            skills,
            loads,
            broken_skills: src
                .broken_skills
                .iter()
                .map(|id| super::model::skill_key(id))
                .collect(),
            blueprint_questions,
            broken_blueprints: src.broken_blueprints,
            globals: env.globals().map(|(name, _)| name.to_string()).collect(),
        }
    }

    /// `(name, message)` for every name in `vars` that does not exist; one
    /// message per unknown top-level name.
    fn check(&self, vars: &HashSet<String>) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut vars: Vec<&String> = vars.iter().collect();
        vars.sort();
        let mut unknown_heads = BTreeSet::new();
        for var in vars {
            let mut parts = var.splitn(3, '.');
            let head = parts.next().unwrap_or_default();
            let field = parts.next();
            if self.globals.contains(head)
                || TEMPLATE_RUNTIME_NAMES.contains(&head)
                || self.broken_skills.contains(head)
            {
                continue;
            }
            if let Some(questions) = self.skills.get(head) {
                if let Some(f) = field {
                    if !questions.iter().any(|q| q == f) {
                        let skill = self
                            .pack
                            .skills
                            .iter()
                            .find(|s| s.key() == head)
                            .map(|s| s.id.as_str())
                            .unwrap_or(head);
                        let msg = format!(
                            "refers to `{head}.{f}`, but skill `{skill}` has no question `{f}`{}",
                            hint(f, "its questions", questions.iter().map(String::as_str))
                        );
                        out.push((format!("{head}.{f}"), msg));
                    }
                }
                continue;
            }
            if head == "blueprint" {
                if let Some(f) = field {
                    if !self.broken_blueprints && !self.blueprint_questions.contains(f) {
                        out.push((
                            format!("blueprint.{f}"),
                            format!(
                                "refers to `blueprint.{f}`, but no blueprint of this pack has a quick question `{f}`{}",
                                hint(f, "quick questions", self.blueprint_questions.iter().map(String::as_str))
                            ),
                        ));
                    }
                }
                continue;
            }
            if head == "loaded" {
                if let Some(f) = field {
                    let question = var
                        .splitn(3, '.')
                        .nth(2)
                        .map(|q| q.split('.').next().unwrap_or(q));
                    match (self.loads.get(f), question) {
                        _ if self.broken_skills.contains(f) => {}
                        (None, _) => out.push((
                            format!("loaded.{f}"),
                            format!(
                                "refers to `loaded.{f}`, but the pack has no skill with key `{f}`{}",
                                hint(f, "skill keys", self.skills.keys().map(String::as_str))
                            ),
                        )),
                        (Some(qs), Some(q)) if !qs.iter().any(|x| x == q) => out.push((
                            format!("loaded.{f}.{q}"),
                            format!(
                                "refers to `loaded.{f}.{q}`, but only path questions with `load:` are loaded{}",
                                if qs.is_empty() {
                                    format!("; skill key `{f}` has none")
                                } else {
                                    format!(" (`{f}` has: {})", qs.join(", "))
                                }
                            ),
                        )),
                        _ => {}
                    }
                }
                continue;
            }
            if head == "pack" {
                if let Some(f) = field {
                    if !["id", "title", "version"].contains(&f) {
                        out.push((
                            format!("pack.{f}"),
                            format!("refers to `pack.{f}`: pack has only id, title and version"),
                        ));
                    }
                }
                continue;
            }
            if BUILTIN_NAMES.contains(&head) || !unknown_heads.insert(head) {
                continue;
            }
            let names = self
                .skills
                .keys()
                .map(String::as_str)
                .chain(BUILTIN_NAMES.iter().copied())
                .chain(self.globals.iter().map(String::as_str));
            let mut msg = format!("refers to unknown name `{head}`");
            if let Some(s) = did_you_mean(head, names) {
                msg.push_str(&format!(" (did you mean `{s}`?)"));
            } else {
                msg.push_str(
                    " (answers are `<skill_key>.<question>`, with dashes in the skill id written as underscores)",
                );
            }
            out.push((head.to_string(), msg));
        }
        out
    }
}

struct Linter<'a> {
    env: minijinja::Environment<'static>,
    known: Known<'a>,
    broken_skills: &'a BTreeSet<String>,
    problems: Vec<Problem>,
}

impl Linter<'_> {
    fn push(&mut self, loc: &str, msg: impl Into<String>) {
        self.problems.push(Problem::new(loc, msg));
    }

    /// `None` when `id` is a skill of the pack (or one whose file did not
    /// parse), else the hint to append to "… is not a skill of this pack".
    fn unknown_skill(&self, id: &str) -> Option<String> {
        let pack = self.known.pack;
        if pack.skill(id).is_some() || self.broken_skills.contains(id) {
            return None;
        }
        let names = pack
            .skills
            .iter()
            .map(|s| s.id.as_str())
            .chain(self.broken_skills.iter().map(String::as_str));
        Some(hint(id, "skills", names))
    }

    fn expression(&mut self, loc: &str, what: &str, src: &str) {
        let vars = match self.env.compile_expression(src) {
            Ok(e) => e.undeclared_variables(true),
            Err(e) => {
                self.push(
                    loc,
                    format!("{what} `{src}` does not parse: {}", jinja_error(&e)),
                );
                return;
            }
        };
        for (_, m) in self.known.check(&vars) {
            self.push(loc, format!("{what} `{src}` {m}"));
        }
        for (_, m) in unknown_filters_and_tests(&self.env, src, true) {
            self.push(loc, format!("{what} `{src}` {m}"));
        }
    }

    fn template_str(&mut self, loc: &str, what: &str, src: &str) -> bool {
        match self.env.template_from_str(src) {
            Ok(t) => {
                let vars = t.undeclared_variables(true);
                for (_, m) in self.known.check(&vars) {
                    self.push(loc, format!("{what} `{src}` {m}"));
                }
                for (_, m) in unknown_filters_and_tests(&self.env, src, false) {
                    self.push(loc, format!("{what} `{src}` {m}"));
                }
                true
            }
            Err(e) => {
                self.push(
                    loc,
                    format!("{what} `{src}` does not parse: {}", jinja_error(&e)),
                );
                false
            }
        }
    }

    fn glob(&mut self, loc: &str, what: &str, g: &str) {
        if let Err(e) = Glob::new(g) {
            self.push(
                loc,
                format!("{what} `{g}` is not a valid glob: {}", e.kind()),
            );
        }
        if g.starts_with('/') || g.split('/').any(|c| c == "..") {
            self.push(
                loc,
                format!("{what} `{g}` must stay inside the output folder (no leading / or ..)"),
            );
        }
    }

    fn regex(&mut self, loc: &str, what: &str, r: &str) {
        if let Err(e) = Regex::new(r) {
            // The regex crate draws a multi-line caret diagram; its last line
            // says what is wrong.
            let text = e.to_string();
            let why = text
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or(&text)
                .trim_start_matches("error: ");
            self.push(
                loc,
                format!(
                    "{what} `{r}` is not a valid regex: {why}; escape characters meant literally, such as `(` or `[`, with `\\`"
                ),
            );
        }
    }

    /// The problem with `value` for `q`, with a "did you mean" for a
    /// misspelt option.
    fn value_problem(q: &Question, value: &AnswerValue) -> Option<String> {
        let e = check_value(q, value).err()?;
        let options = q.options.iter().map(|o| o.value.as_str());
        let wrong = match value {
            AnswerValue::Text(s) => Some(s.as_str()),
            AnswerValue::List(items) => items
                .iter()
                .map(String::as_str)
                .find(|s| !q.options.iter().any(|o| o.value == *s)),
            _ => None,
        };
        match wrong
            .filter(|_| q.kind.has_options())
            .and_then(|w| did_you_mean(w, options))
        {
            Some(s) => Some(format!("{e} (did you mean `{s}`?)")),
            None => Some(e),
        }
    }

    /// `owner_key` is how the questions' owner is named in expressions
    /// (`stream`, `blueprint`), `owner` how it is named in messages.
    fn questions(&mut self, loc: &str, owner_key: &str, owner: &str, questions: &[Question]) {
        let mut seen: HashSet<&str> = HashSet::new();
        for (i, q) in questions.iter().enumerate() {
            let qloc = format!("{loc}: question `{}`", q.id);
            if !question_id_ok(&q.id) {
                self.push(&qloc, "question id must be lower-case letters, digits and `_`, starting with a letter (it is used in expressions)");
            }
            if !seen.insert(q.id.as_str()) {
                self.push(
                    &qloc,
                    format!("question id `{}` is used twice in {owner}; give each question its own id (answers files and expressions refer to it)", q.id),
                );
            }
            if q.prompt.trim().is_empty() {
                self.push(&qloc, "prompt is empty");
            }
            // Without options every value is "not one of: ", which says
            // nothing new; the missing options are the problem.
            let mut values_checkable = true;
            if q.kind.has_options() {
                if q.options.is_empty() {
                    values_checkable = false;
                    self.push(
                        &qloc,
                        format!(
                            "a {} question needs options: add `options: [{{ value: … }}, …]`",
                            q.kind.as_str()
                        ),
                    );
                }
                let mut values = HashSet::new();
                for o in &q.options {
                    if !values.insert(o.value.as_str()) {
                        self.push(&qloc, format!("option `{}` is listed twice", o.value));
                    }
                }
            } else if !q.options.is_empty() {
                self.push(
                    &qloc,
                    format!(
                        "a {} question takes no options: remove `options` or make it a choice",
                        q.kind.as_str()
                    ),
                );
            }
            if let Some(r) = &q.validate.regex {
                self.regex(&qloc, "validate.regex", r);
            }
            if let Some(load) = &q.load {
                if q.kind != QuestionKind::Path {
                    self.push(
                        &qloc,
                        format!(
                            "`load` reads files, so it needs a path question, not a {} one: make it `kind: path` or remove `load`",
                            q.kind.as_str()
                        ),
                    );
                }
                for f in &load.files {
                    if f.trim().is_empty()
                        || f.starts_with('/')
                        || f.split(['/', '\\']).any(|c| c == "..")
                    {
                        self.push(
                            &qloc,
                            format!("load.files entry `{f}` must be a relative path inside the answered folder"),
                        );
                    }
                }
            }
            if let (Some(lo), Some(hi)) = (q.validate.min, q.validate.max) {
                if lo > hi {
                    self.push(
                        &qloc,
                        format!("validate.min {lo} is greater than validate.max {hi}"),
                    );
                }
            }
            if q.kind == QuestionKind::Secret {
                if q.default.as_ref().is_some_and(|d| !d.is_empty()) || !q.smart_defaults.is_empty()
                {
                    self.push(
                        &qloc,
                        "a secret question cannot have a default or smart defaults (the value would be stored in the pack in plain text): remove them",
                    );
                }
            } else if let Some(d) = q.default.as_ref().filter(|_| values_checkable) {
                if let Some(e) = Self::value_problem(q, d) {
                    self.push(&qloc, format!("default is invalid: {e}"));
                }
            }
            for sd in &q.smart_defaults {
                let has_when = sd.when.as_deref().is_some_and(|w| !w.trim().is_empty());
                if sd.goal.is_empty() != has_when {
                    self.push(&qloc, "each smart default needs exactly one of `goal` (phrases) or `when` (expression)");
                }
                if let Some(w) = &sd.when {
                    self.expression(&qloc, "smart default condition", w);
                    self.later_reference(
                        &qloc,
                        "smart default condition",
                        owner_key,
                        questions,
                        i,
                        w,
                    );
                }
                if values_checkable && q.kind != QuestionKind::Secret {
                    if let Some(e) = Self::value_problem(q, &sd.value) {
                        self.push(&qloc, format!("smart default value is invalid: {e}"));
                    }
                }
            }
            if let Some(w) = &q.when {
                self.expression(&qloc, "condition", w);
                self.later_reference(&qloc, "condition", owner_key, questions, i, w);
            }
        }
    }

    /// A condition may only look at earlier questions of its own skill: the
    /// others have no answer yet when it is evaluated.
    fn later_reference(
        &mut self,
        loc: &str,
        what: &str,
        owner_key: &str,
        questions: &[Question],
        index: usize,
        src: &str,
    ) {
        let Ok(e) = self.env.compile_expression(src) else {
            return;
        };
        let mut vars: Vec<String> = e.undeclared_variables(true).into_iter().collect();
        vars.sort();
        for var in vars {
            let mut parts = var.splitn(2, '.');
            if parts.next() != Some(owner_key) {
                continue;
            }
            let Some(f) = parts.next() else { continue };
            let this = &questions[index].id;
            match questions.iter().position(|q| q.id == f) {
                Some(pos) if pos == index => self.push(
                    loc,
                    format!("{what} `{src}` refers to `{var}`, the answer to this very question, which is not known yet: refer to an earlier question"),
                ),
                Some(pos) if pos > index => self.push(
                    loc,
                    format!("{what} `{src}` refers to `{var}`, but question `{f}` is asked after `{this}`: move `{f}` above `{this}` or refer to an earlier question"),
                ),
                _ => {}
            }
        }
    }

    fn assignment(&mut self, loc: &str, key: &str, value: &AnswerValue) {
        let pack = self.known.pack;
        let Some((skill_id, qid)) = key.split_once('.') else {
            self.push(loc, format!("`{key}` must be `skill-id.question-id`"));
            return;
        };
        if let Some(h) = self.unknown_skill(skill_id) {
            self.push(loc, format!("`{key}` names unknown skill `{skill_id}`{h}"));
            return;
        }
        let Some(skill) = pack.skill(skill_id) else {
            return; // its file did not parse; already reported
        };
        match skill.questions.iter().find(|q| q.id == qid) {
            None => {
                let h = hint(
                    qid,
                    "its questions",
                    skill.questions.iter().map(|q| q.id.as_str()),
                );
                self.push(
                    loc,
                    format!("`{key}`: skill `{skill_id}` has no question `{qid}`{h}"),
                );
            }
            Some(q) if q.kind.has_options() && q.options.is_empty() => {}
            Some(q) => {
                if let Some(e) = Self::value_problem(q, value) {
                    self.push(loc, format!("`{key}`: {e}"));
                }
            }
        }
    }
}

/// Finds every dependency cycle in the skill graph (hard and soft
/// dependencies both order skills, so both count). A skill depending on
/// itself is reported on its own, not as a cycle.
/// True when the template (or expression) `src` reads the `loaded` name.
fn uses_loaded(env: &minijinja::Environment<'_>, src: &str, expression: bool) -> bool {
    let vars = if expression {
        env.compile_expression(src)
            .map(|e| e.undeclared_variables(false))
            .unwrap_or_default()
    } else {
        env.template_from_str(src)
            .map(|t| t.undeclared_variables(false))
            .unwrap_or_default()
    };
    vars.contains("loaded")
}

fn cycles(pack: &Pack) -> Vec<Vec<String>> {
    let mut found: Vec<Vec<String>> = Vec::new();
    let mut done: HashSet<&str> = HashSet::new();
    fn visit<'p>(
        pack: &'p Pack,
        id: &'p str,
        stack: &mut Vec<&'p str>,
        done: &mut HashSet<&'p str>,
        found: &mut Vec<Vec<String>>,
    ) {
        if let Some(pos) = stack.iter().position(|s| *s == id) {
            let mut cycle: Vec<String> = stack[pos..].iter().map(|s| s.to_string()).collect();
            cycle.push(id.to_string());
            found.push(cycle);
            return;
        }
        if done.contains(id) {
            return;
        }
        let Some(skill) = pack.skill(id) else { return };
        stack.push(id);
        for dep in skill
            .dependencies
            .hard
            .iter()
            .chain(&skill.dependencies.soft)
            .filter(|d| *d != id)
        {
            visit(pack, dep, stack, done, found);
        }
        stack.pop();
        done.insert(id);
    }
    for s in &pack.skills {
        visit(pack, &s.id, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

/// All semantic problems of `pack`.
pub fn lint_pack(pack: &Pack, src: &Sources) -> Vec<Problem> {
    let env = expr::base_env();
    let known = Known::new(pack, src, &env);
    let mut l = Linter {
        env,
        known,
        broken_skills: &src.broken_skills,
        problems: Vec::new(),
    };
    let mloc = format!("{}/pack.yaml", src.origin);
    let m = &pack.manifest;
    if !src.manifest_broken {
        if !id_ok(&m.id) {
            l.push(
                &mloc,
                format!(
                    "pack id `{}` must be lower-case letters, digits and dashes",
                    m.id
                ),
            );
        }
        if m.version.trim().is_empty() {
            l.push(&mloc, "version is empty");
        }
        if m.output_root.is_empty()
            || m.output_root.contains(['/', '\\'])
            || m.output_root.starts_with('.')
        {
            l.push(
                &mloc,
                format!(
                    "output_root `{}` must be a plain folder name, such as `{}-project`",
                    m.output_root, m.id
                ),
            );
        }
    }
    for g in &m.jinja_files {
        l.glob(&mloc, "jinja_files", g);
    }
    if let Some(makes) = &m.makes {
        if makes.nouns.is_empty() || makes.skills.is_empty() {
            l.push(
                &mloc,
                "makes: needs `nouns` (what a new one is called, e.g. table) and `skills` (what it is made with)",
            );
        }
        for n in &makes.nouns {
            if n.split_whitespace().count() != 1 {
                l.push(
                    &mloc,
                    format!("makes: noun `{n}` must be one word, such as `table`"),
                );
            }
        }
        for id in &makes.skills {
            if let Some(h) = l.unknown_skill(id) {
                l.push(
                    &mloc,
                    format!("makes: skill `{id}` is not a skill of this pack{h}"),
                );
            }
        }
    }
    if pack.skills.is_empty() && src.broken_skills.is_empty() {
        l.push(
            &src.origin,
            "the pack has no skills: add at least one skill file, skills/<id>.yaml",
        );
    }

    // Skills
    let mut first_file: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, s) in pack.skills.iter().enumerate() {
        if let Some(&first) = first_file.get(s.id.as_str()) {
            let other = src
                .skill_files
                .get(first)
                .map(String::as_str)
                .unwrap_or("another file");
            l.push(
                &src.skill_loc(i),
                format!(
                    "skill id `{}` is already defined in {other}; give each skill its own id",
                    s.id
                ),
            );
        } else {
            first_file.insert(s.id.as_str(), i);
        }
    }
    for (i, s) in pack.skills.iter().enumerate() {
        let loc = src.skill_loc(i);
        if !id_ok(&s.id) {
            l.push(
                &loc,
                format!(
                    "skill id `{}` must be lower-case letters, digits and dashes",
                    s.id
                ),
            );
        }
        for place in &s.keywords.places {
            if !s.keywords.primary.contains(place) {
                l.push(
                    &format!("{loc}: keywords.places"),
                    format!(
                        "`{place}` is not a primary keyword of `{}`: a place word must also be listed under keywords.primary",
                        s.id
                    ),
                );
            }
        }
        if s.id == "blueprint" {
            l.push(
                &loc,
                "`blueprint` is reserved for blueprint quick questions; rename the skill",
            );
        }
        for dep in s.dependencies.hard.iter().chain(&s.dependencies.soft) {
            if dep == &s.id {
                l.push(
                    &loc,
                    format!(
                        "skill `{}` depends on itself: remove `{dep}` from its dependencies",
                        s.id
                    ),
                );
            } else if let Some(h) = l.unknown_skill(dep) {
                l.push(
                    &loc,
                    format!("dependency `{dep}` is not a skill of this pack{h}"),
                );
            }
        }
        l.questions(&loc, &s.key(), &format!("skill `{}`", s.id), &s.questions);
        for o in &s.outputs {
            let oloc = format!("{loc}: output `{}`", o.path);
            if !pack.templates.contains_key(&o.template) {
                let msg = match did_you_mean(&o.template, pack.templates.keys().map(String::as_str)) {
                    Some(x) => format!(
                        "template `{}` does not exist under templates/ (did you mean `{x}`?)",
                        o.template
                    ),
                    None => format!(
                        "template `{0}` does not exist: add templates/{0} or name an existing template",
                        o.template
                    ),
                };
                l.push(&oloc, msg);
            }
            if l.template_str(&oloc, "path", &o.path) {
                check_static_path(&mut l, &oloc, &o.path);
            }
            if let Some(w) = &o.when {
                l.expression(&oloc, "condition", w);
            }
            for other in &o.shared_with {
                if other == &s.id {
                    l.push(
                        &oloc,
                        format!("shared_with names `{other}`, the skill the output belongs to: remove it"),
                    );
                } else if let Some(h) = l.unknown_skill(other) {
                    l.push(
                        &oloc,
                        format!("shared_with `{other}` is not a skill of this pack{h}"),
                    );
                }
            }
            // `validate` rebuilds the list of files without reading loaded
            // artifacts (they may be gone), so which files exist must not
            // depend on them.
            for (what, src) in [("path", Some(&o.path)), ("condition", o.when.as_ref())] {
                if src.is_some_and(|s| uses_loaded(&l.env, s, what == "condition")) {
                    l.push(
                        &oloc,
                        format!("{what} refers to `loaded`: which files are generated must not depend on loaded file content (`skillchain validate` checks a tree without reading it); use `loaded` inside the template instead"),
                    );
                }
            }
        }
        for c in &s.checks {
            l.glob(&loc, "check path", &c.path);
            l.regex(&loc, "check pattern", &c.pattern);
            if let Some(w) = &c.when {
                l.expression(&loc, "check condition", w);
            }
        }
    }
    for cycle in cycles(pack) {
        let loc = src.skill_loc_of(pack, &cycle[0]);
        l.push(
            &loc,
            format!(
                "dependency cycle {}: no order can run each skill after its dependencies; remove one of these dependencies",
                cycle.join(" → ")
            ),
        );
    }

    // Templates
    for (name, source) in &pack.templates {
        let loc = format!("{}/templates/{name}", src.origin);
        match l.env.template_from_named_str(name, source) {
            Ok(t) => {
                let vars = t.undeclared_variables(true);
                let mut found = l.known.check(&vars);
                found.extend(unknown_filters_and_tests(&l.env, source, false));
                for (var, m) in found {
                    let at = match line_of(source, &var) {
                        Some(line) => format!("{loc}:{line}"),
                        None => loc.clone(),
                    };
                    l.push(&at, m);
                }
            }
            Err(e) => {
                let at = match e.line() {
                    Some(line) => format!("{loc}:{line}"),
                    None => loc.clone(),
                };
                l.push(&at, format!("does not parse: {}", jinja_error(&e)));
            }
        }
    }

    // Where free-text answers are printed beyond the reach of escaping.
    l.problems.extend(escape::lint_templates(pack, &src.origin));

    // Blueprints
    let mut bp_first: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, b) in pack.blueprints.iter().enumerate() {
        let loc = src.blueprint_loc(i);
        if !id_ok(&b.id) {
            l.push(
                &loc,
                format!(
                    "blueprint id `{}` must be lower-case letters, digits and dashes",
                    b.id
                ),
            );
        }
        if let Some(&first) = bp_first.get(b.id.as_str()) {
            let other = src
                .blueprint_files
                .get(first)
                .map(String::as_str)
                .unwrap_or("another file");
            l.push(
                &loc,
                format!(
                    "blueprint id `{}` is already defined in {other}; give each blueprint its own id",
                    b.id
                ),
            );
        } else {
            bp_first.insert(b.id.as_str(), i);
        }
        if b.triggers.is_empty() {
            l.push(&loc, "a blueprint needs at least one trigger");
        }
        if b.full_confidence == Some(0) {
            l.push(&loc, "full_confidence must be greater than 0");
        }
        for s in &b.skills {
            if let Some(h) = l.unknown_skill(s) {
                l.push(
                    &format!("{loc}: skills"),
                    format!("`{s}` is not a skill of this pack{h}"),
                );
            }
        }
        l.questions(
            &loc,
            "blueprint",
            &format!("blueprint `{}`", b.id),
            &b.questions,
        );
        for (key, value) in &b.presets {
            l.assignment(&format!("{loc}: presets"), key, value);
        }
        let mut dids = HashSet::new();
        for d in &b.deliverables {
            let dloc = format!("{loc}: deliverable `{}`", d.id);
            if !dids.insert(d.id.as_str()) {
                l.push(&dloc, "duplicate deliverable id");
            }
            if let Some(h) = l.unknown_skill(&d.skill) {
                l.push(
                    &dloc,
                    format!("primary skill `{}` is not a skill of this pack{h}", d.skill),
                );
            }
            if d.files.is_empty() {
                l.push(&dloc, "a deliverable needs at least one file glob");
            }
            for g in &d.files {
                l.glob(&dloc, "file glob", g);
            }
            for c in &d.checks {
                l.glob(&dloc, "check path", &c.path);
                l.regex(&dloc, "check pattern", &c.pattern);
                if let Some(w) = &c.when {
                    l.expression(&dloc, "check condition", w);
                }
            }
            for (field, conds) in [
                ("required_when", &d.required_when),
                ("skipped_when", &d.skipped_when),
            ] {
                for c in conds {
                    l.expression(&dloc, field, &c.when);
                    if c.reason.trim().is_empty() {
                        l.push(
                            &dloc,
                            format!("{field} needs a `reason`: the report shows it"),
                        );
                    }
                }
            }
        }
    }

    // Conflicts
    let mut cids = HashSet::new();
    for c in &pack.manifest.conflicts {
        let cloc = format!("{mloc}: conflict `{}`", c.id);
        if !cids.insert(c.id.as_str()) {
            l.push(&cloc, "duplicate conflict id");
        }
        l.expression(&cloc, "condition", &c.when);
        if c.resolutions.is_empty() {
            l.push(&cloc, "a conflict needs at least one named resolution");
        }
        let mut rids = HashSet::new();
        for r in &c.resolutions {
            if !rids.insert(r.id.as_str()) {
                l.push(&cloc, format!("resolution `{}` is listed twice", r.id));
            }
            for (key, value) in &r.set {
                l.assignment(&format!("{cloc}: resolution `{}`", r.id), key, value);
            }
        }
    }
    l.problems
}

/// Checks the literal parts of a path template: each `{{ … }}` stands for a
/// plain name, each `{% … %}` for nothing. Rendered paths are checked again
/// at generation.
fn check_static_path(l: &mut Linter<'_>, loc: &str, path: &str) {
    let placeholder = Regex::new(r"\{\{.*?\}\}")
        .map(|re| re.replace_all(path, "x").into_owned())
        .unwrap_or_else(|_| path.to_string());
    let literal = Regex::new(r"\{%.*?%\}")
        .map(|re| re.replace_all(&placeholder, "").into_owned())
        .unwrap_or(placeholder);
    if let Some(why) = crate::generate::unsafe_path(&literal) {
        l.push(
            loc,
            format!("path could leave the output folder ({why}); write it relative to the output folder"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_ids() {
        assert!(id_ok("streaming-data"));
        assert!(!id_ok("Streaming"));
        assert!(question_id_ok("platform_2"));
        assert!(!question_id_ok("2platform"));
        assert!(!question_id_ok("plat-form"));
    }

    #[test]
    fn skill_key_replaces_dashes() {
        assert_eq!(skill_key("optimizing-sql"), "optimizing_sql");
    }
}
