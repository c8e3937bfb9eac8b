//! Semantic checks of a parsed pack: references, cycles, defaults, templates,
//! paths. Every problem is collected; nothing stops at the first.

use globset::Glob;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, HashSet};

#[cfg(test)]
use super::model::skill_key;
use super::model::{Pack, Question, QuestionKind};
use crate::error::Problem;
use crate::expr::{self, BUILTIN_NAMES, FUNCTION_NAMES};
use crate::suggest::did_you_mean;
use crate::value::check_value;

/// Where each skill and blueprint came from, for messages.
#[derive(Debug, Default)]
pub struct Sources {
    pub origin: String,
    pub skill_files: Vec<(String, String)>,
    pub blueprint_files: Vec<(String, String)>,
}

impl Sources {
    fn skill_loc(&self, id: &str) -> String {
        let file = self
            .skill_files
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, f)| f.as_str())
            .unwrap_or("skills");
        format!("{}/{file}", self.origin)
    }

    fn blueprint_loc(&self, id: &str) -> String {
        let file = self
            .blueprint_files
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, f)| f.as_str())
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

/// What names an expression may refer to.
struct Known<'a> {
    pack: &'a Pack,
    /// skill key → question ids
    skills: BTreeMap<String, Vec<String>>,
    blueprint_questions: BTreeSet<String>,
}

impl<'a> Known<'a> {
    fn new(pack: &'a Pack) -> Self {
        let skills = pack
            .skills
            .iter()
            .map(|s| (s.key(), s.questions.iter().map(|q| q.id.clone()).collect()))
            .collect();
        let blueprint_questions = pack
            .blueprints
            .iter()
            .flat_map(|b| b.questions.iter().map(|q| q.id.clone()))
            .collect();
        Known {
            pack,
            skills,
            blueprint_questions,
        }
    }

    /// Messages for every name in `vars` that does not exist.
    fn check(&self, vars: &HashSet<String>) -> Vec<String> {
        let mut out = Vec::new();
        let mut vars: Vec<&String> = vars.iter().collect();
        vars.sort();
        for var in vars {
            let mut parts = var.splitn(3, '.');
            let head = parts.next().unwrap_or_default();
            let field = parts.next();
            if FUNCTION_NAMES.contains(&head)
                || ["range", "dict", "namespace", "debug", "loop"].contains(&head)
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
                        let mut msg = format!(
                            "refers to `{head}.{f}`, but skill `{skill}` has no question `{f}`"
                        );
                        if let Some(s) = did_you_mean(f, questions.iter().map(String::as_str)) {
                            msg.push_str(&format!(" (did you mean `{s}`?)"));
                        }
                        out.push(msg);
                    }
                }
                continue;
            }
            if head == "blueprint" {
                if let Some(f) = field {
                    if !self.blueprint_questions.contains(f) {
                        out.push(format!(
                            "refers to `blueprint.{f}`, but no blueprint of this pack has a quick question `{f}`"
                        ));
                    }
                }
                continue;
            }
            if head == "pack" {
                if let Some(f) = field {
                    if !["id", "title", "version"].contains(&f) {
                        out.push(format!(
                            "refers to `pack.{f}`: pack has only id, title and version"
                        ));
                    }
                }
                continue;
            }
            if BUILTIN_NAMES.contains(&head) {
                continue;
            }
            let names = self
                .skills
                .keys()
                .map(String::as_str)
                .chain(BUILTIN_NAMES.iter().copied());
            let mut msg = format!("refers to unknown name `{head}`");
            if let Some(s) = did_you_mean(head, names) {
                msg.push_str(&format!(" (did you mean `{s}`?)"));
            } else {
                msg.push_str(
                    " (answers are `<skill_key>.<question>`, with dashes in the skill id written as underscores)",
                );
            }
            out.push(msg);
        }
        out
    }
}

struct Linter<'a> {
    env: minijinja::Environment<'static>,
    known: Known<'a>,
    problems: Vec<Problem>,
}

impl Linter<'_> {
    fn push(&mut self, loc: &str, msg: impl Into<String>) {
        self.problems.push(Problem::new(loc, msg));
    }

    fn expression(&mut self, loc: &str, what: &str, src: &str) {
        let vars = match self.env.compile_expression(src) {
            Ok(e) => e.undeclared_variables(true),
            Err(e) => {
                self.push(loc, format!("{what} `{src}` does not parse: {e}"));
                return;
            }
        };
        for m in self.known.check(&vars) {
            self.push(loc, format!("{what} `{src}` {m}"));
        }
    }

    fn template_str(&mut self, loc: &str, what: &str, src: &str) -> bool {
        match self.env.template_from_str(src) {
            Ok(t) => {
                let vars = t.undeclared_variables(true);
                for m in self.known.check(&vars) {
                    self.push(loc, format!("{what} `{src}` {m}"));
                }
                true
            }
            Err(e) => {
                self.push(loc, format!("{what} `{src}` does not parse: {e}"));
                false
            }
        }
    }

    fn glob(&mut self, loc: &str, what: &str, g: &str) {
        if let Err(e) = Glob::new(g) {
            self.push(loc, format!("{what} `{g}` is not a valid glob: {e}"));
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
            self.push(loc, format!("{what} `{r}` is not a valid regex: {e}"));
        }
    }

    fn questions(&mut self, loc: &str, owner: &str, questions: &[Question]) {
        let mut seen: HashSet<&str> = HashSet::new();
        for (i, q) in questions.iter().enumerate() {
            let qloc = format!("{loc}: question `{}`", q.id);
            if !question_id_ok(&q.id) {
                self.push(&qloc, "question id must be lower-case letters, digits and `_`, starting with a letter (it is used in expressions)");
            }
            if !seen.insert(q.id.as_str()) {
                self.push(&qloc, format!("duplicate question id in {owner}"));
            }
            if q.prompt.trim().is_empty() {
                self.push(&qloc, "prompt is empty");
            }
            if q.kind.has_options() {
                if q.options.is_empty() {
                    self.push(
                        &qloc,
                        format!("a {} question needs options", q.kind.as_str()),
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
                    format!("a {} question takes no options", q.kind.as_str()),
                );
            }
            if let Some(r) = &q.validate.regex {
                self.regex(&qloc, "validate.regex", r);
            }
            if let (Some(lo), Some(hi)) = (q.validate.min, q.validate.max) {
                if lo > hi {
                    self.push(
                        &qloc,
                        format!("validate.min {lo} is greater than validate.max {hi}"),
                    );
                }
            }
            if let Some(d) = &q.default {
                if let Err(e) = check_value(q, d) {
                    self.push(&qloc, format!("default is invalid: {e}"));
                }
            }
            if q.kind == QuestionKind::Secret && q.default.as_ref().is_some_and(|d| !d.is_empty()) {
                self.push(
                    &qloc,
                    "a secret question cannot have a default (it would be stored in the pack)",
                );
            }
            for sd in &q.smart_defaults {
                let has_when = sd.when.as_deref().is_some_and(|w| !w.trim().is_empty());
                if sd.goal.is_empty() != has_when {
                    self.push(&qloc, "each smart default needs exactly one of `goal` (phrases) or `when` (expression)");
                }
                if let Some(w) = &sd.when {
                    self.expression(&qloc, "smart default condition", w);
                    self.later_reference(&qloc, owner, questions, i, w);
                }
                if let Err(e) = check_value(q, &sd.value) {
                    self.push(&qloc, format!("smart default value is invalid: {e}"));
                }
            }
            if let Some(w) = &q.when {
                self.expression(&qloc, "condition", w);
                self.later_reference(&qloc, owner, questions, i, w);
            }
        }
    }

    /// A condition may only look at earlier questions of its own skill.
    fn later_reference(
        &mut self,
        loc: &str,
        owner_key: &str,
        questions: &[Question],
        index: usize,
        src: &str,
    ) {
        let Ok(e) = self.env.compile_expression(src) else {
            return;
        };
        for var in e.undeclared_variables(true) {
            let mut parts = var.splitn(2, '.');
            if parts.next() != Some(owner_key) {
                continue;
            }
            let Some(f) = parts.next() else { continue };
            if let Some(pos) = questions.iter().position(|q| q.id == f) {
                if pos >= index {
                    self.push(
                        loc,
                        format!(
                            "`{src}` refers to `{var}`, which is not asked before this question"
                        ),
                    );
                }
            }
        }
    }

    fn assignment(&mut self, loc: &str, key: &str, value: &crate::value::AnswerValue) {
        let pack = self.known.pack;
        let Some((skill_id, qid)) = key.split_once('.') else {
            self.push(loc, format!("`{key}` must be `skill-id.question-id`"));
            return;
        };
        let Some(skill) = pack.skill(skill_id) else {
            let mut msg = format!("`{key}` names unknown skill `{skill_id}`");
            if let Some(s) = did_you_mean(skill_id, pack.skills.iter().map(|s| s.id.as_str())) {
                msg.push_str(&format!(" (did you mean `{s}`?)"));
            }
            self.push(loc, msg);
            return;
        };
        match skill.questions.iter().find(|q| q.id == qid) {
            None => {
                let mut msg = format!("`{key}`: skill `{skill_id}` has no question `{qid}`");
                if let Some(s) = did_you_mean(qid, skill.questions.iter().map(|q| q.id.as_str())) {
                    msg.push_str(&format!(" (did you mean `{s}`?)"));
                }
                self.push(loc, msg);
            }
            Some(q) => {
                if let Err(e) = check_value(q, value) {
                    self.push(loc, format!("`{key}`: {e}"));
                }
            }
        }
    }
}

/// Finds every dependency cycle reachable in the skill graph (hard and soft
/// dependencies both order skills, so both count).
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
    let mut l = Linter {
        env: expr::base_env(),
        known: Known::new(pack),
        problems: Vec::new(),
    };
    let mloc = format!("{}/pack.yaml", src.origin);
    let m = &pack.manifest;
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
                "output_root `{}` must be a plain folder name",
                m.output_root
            ),
        );
    }
    if pack.skills.is_empty() {
        l.push(&src.origin, "the pack has no skills (skills/*.yaml)");
    }

    // Skills
    let mut skill_ids: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &pack.skills {
        *skill_ids.entry(s.id.as_str()).or_default() += 1;
    }
    for (id, n) in &skill_ids {
        if *n > 1 {
            let files: Vec<&str> = src
                .skill_files
                .iter()
                .filter(|(i, _)| i == id)
                .map(|(_, f)| f.as_str())
                .collect();
            l.push(
                &src.origin,
                format!(
                    "skill id `{id}` is defined {n} times ({})",
                    files.join(", ")
                ),
            );
        }
    }
    for s in &pack.skills {
        let loc = src.skill_loc(&s.id);
        if !id_ok(&s.id) {
            l.push(
                &loc,
                format!(
                    "skill id `{}` must be lower-case letters, digits and dashes",
                    s.id
                ),
            );
        }
        if s.id == "blueprint" {
            l.push(
                &loc,
                "`blueprint` is reserved for blueprint quick questions; rename the skill",
            );
        }
        for dep in s.dependencies.hard.iter().chain(&s.dependencies.soft) {
            if dep == &s.id {
                l.push(&loc, format!("skill `{}` depends on itself", s.id));
            } else if pack.skill(dep).is_none() {
                let mut msg = format!("dependency `{dep}` is not a skill of this pack");
                if let Some(x) = did_you_mean(dep, pack.skills.iter().map(|s| s.id.as_str())) {
                    msg.push_str(&format!(" (did you mean `{x}`?)"));
                }
                l.push(&loc, msg);
            }
        }
        l.questions(&loc, &s.key(), &s.questions);
        for o in &s.outputs {
            let oloc = format!("{loc}: output `{}`", o.path);
            if !pack.templates.contains_key(&o.template) {
                let mut msg = format!("template `{}` does not exist under templates/", o.template);
                if let Some(x) =
                    did_you_mean(&o.template, pack.templates.keys().map(String::as_str))
                {
                    msg.push_str(&format!(" (did you mean `{x}`?)"));
                }
                l.push(&oloc, msg);
            }
            if l.template_str(&oloc, "path", &o.path) {
                check_static_path(&mut l, &oloc, &o.path);
            }
            if let Some(w) = &o.when {
                l.expression(&oloc, "condition", w);
            }
        }
        for c in &s.checks {
            l.glob(&loc, "check path", &c.path);
            l.regex(&loc, "check pattern", &c.pattern);
        }
    }
    for cycle in cycles(pack) {
        l.push(
            &src.origin,
            format!("dependency cycle: {}", cycle.join(" → ")),
        );
    }

    // Templates
    for (name, source) in &pack.templates {
        let loc = format!("{}/templates/{name}", src.origin);
        match l.env.template_from_named_str(name, source) {
            Ok(t) => {
                let vars = t.undeclared_variables(true);
                for m in l.known.check(&vars) {
                    l.problems.push(Problem::new(&loc, m));
                }
            }
            Err(e) => l.push(&loc, format!("does not parse: {e}")),
        }
    }

    // Blueprints
    let mut bp_ids = HashSet::new();
    for b in &pack.blueprints {
        let loc = src.blueprint_loc(&b.id);
        if !id_ok(&b.id) {
            l.push(
                &loc,
                format!(
                    "blueprint id `{}` must be lower-case letters, digits and dashes",
                    b.id
                ),
            );
        }
        if !bp_ids.insert(b.id.as_str()) {
            l.push(&loc, format!("blueprint id `{}` is defined twice", b.id));
        }
        if b.triggers.is_empty() {
            l.push(&loc, "a blueprint needs at least one trigger");
        }
        if b.full_confidence == Some(0) {
            l.push(&loc, "full_confidence must be greater than 0");
        }
        for s in &b.skills {
            if pack.skill(s).is_none() {
                let mut msg = format!("skill `{s}` is not a skill of this pack");
                if let Some(x) = did_you_mean(s, pack.skills.iter().map(|s| s.id.as_str())) {
                    msg.push_str(&format!(" (did you mean `{x}`?)"));
                }
                l.push(&loc, msg);
            }
        }
        l.questions(&loc, "blueprint", &b.questions);
        for (key, value) in &b.presets {
            l.assignment(&format!("{loc}: presets"), key, value);
        }
        let mut dids = HashSet::new();
        for d in &b.deliverables {
            let dloc = format!("{loc}: deliverable `{}`", d.id);
            if !dids.insert(d.id.as_str()) {
                l.push(&dloc, "duplicate deliverable id");
            }
            if pack.skill(&d.skill).is_none() {
                l.push(
                    &dloc,
                    format!("primary skill `{}` is not a skill of this pack", d.skill),
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
            format!("path `{path}` could leave the output folder: {why}"),
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
