//! Provenance in words: the titles, prompts and answers behind a value,
//! never the ids or expressions stored with it (those stay in the answers
//! file and the session file, where tools read them).

use super::{Change, Provenance, QKey, Session, Source};
use crate::pack::QuestionKind;

impl Session {
    /// Where a value came from, as a person reads it: "follows your answer
    /// to “Cloud” (gcp)", "set by resolving “JSON with dbt”: Use Avro".
    /// Details the pack no longer knows (a saved session, a changed pack)
    /// fall back to the kind in words rather than show the raw detail.
    pub fn describe(&self, p: &Provenance) -> String {
        let detail = p.detail.as_deref();
        match (p.source, detail) {
            (Source::GoalKeyword, Some(d)) => match d.strip_prefix("goal names ") {
                Some(name) => format!("your goal names “{name}”"),
                None => format!("goal keyword \"{d}\""),
            },
            (Source::Blueprint, Some(id)) => match self.pack.blueprint(id) {
                Some(b) => format!("blueprint “{}”", b.title),
                None => "blueprint preset".to_string(),
            },
            (Source::ConflictResolution, Some(d)) => self.resolution_words(d),
            (Source::EarlierAnswer, Some(w)) => self.condition_words(w),
            (Source::ConflictResolution, None) => "set by resolving a conflict".to_string(),
            (Source::EarlierAnswer, None) => "follows an earlier answer".to_string(),
            (Source::Blueprint, None) => "blueprint preset".to_string(),
            (s, _) => s.as_str().to_string(),
        }
    }

    /// A later answer that moved, named by its question's prompt:
    /// "“Which platform”: kafka → pubsub".
    pub fn describe_change(&self, c: &Change) -> String {
        let q = self.question(c.key());
        let name = q.map_or_else(
            || "an answer".to_string(),
            |q| format!("“{}”", q.prompt.trim_end_matches('?')),
        );
        let secret = q.is_some_and(|q| q.kind == QuestionKind::Secret);
        let shown = |v: &crate::value::AnswerValue| {
            if secret {
                "(hidden)".to_string()
            } else {
                v.to_string()
            }
        };
        match c {
            Change::Changed { from, to, .. } => {
                format!("{name}: {} → {}", shown(from), shown(to))
            }
            Change::Dropped { was, .. } => format!("{name}: no longer asked (was {})", shown(was)),
            Change::Appeared { value, .. } => {
                format!("{name}: now asked (default {})", shown(value))
            }
        }
    }

    /// `conflict-id: resolution-id` → the conflict's title and the
    /// resolution's label.
    fn resolution_words(&self, detail: &str) -> String {
        let found = detail.split_once(": ").and_then(|(c, r)| {
            let rule = self.pack.manifest.conflicts.iter().find(|x| x.id == c)?;
            let res = rule.resolutions.iter().find(|x| x.id == r)?;
            Some(format!("set by resolving “{}”: {}", rule.title, res.label))
        });
        found.unwrap_or_else(|| "set by resolving a conflict".to_string())
    }

    /// A smart default's condition → the earlier answers it reads, by
    /// prompt and current value, in the order the condition names them.
    fn condition_words(&self, condition: &str) -> String {
        let Ok(compiled) = crate::expr::shared_env().compile_expression(condition) else {
            return "follows an earlier answer".to_string();
        };
        let mut names: Vec<String> = compiled.undeclared_variables(true).into_iter().collect();
        names.sort_by_key(|n| (condition.find(n.as_str()).unwrap_or(usize::MAX), n.clone()));
        let mut answers = Vec::new();
        let mut others = Vec::new();
        for name in names {
            let mut parts = name.splitn(3, '.');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("loaded"), Some(step), Some(q)) => {
                    if let Some(prompt) = self.prompt_of(step, q) {
                        others.push(format!("the file given for “{prompt}”"));
                    }
                }
                (Some(step), Some(q), _) => {
                    if let Some((prompt, value)) = self.answer_words(step, q) {
                        answers.push(format!("“{prompt}” ({value})"));
                    }
                }
                (Some("maturity"), None, _) => others.push(format!(
                    "the maturity ({})",
                    self.scope.maturity.unwrap_or_default().as_str()
                )),
                (Some("goal"), None, _) => others.push("the words of your goal".to_string()),
                (Some("chain"), None, _) => others.push("the skills in the chain".to_string()),
                (Some("blueprint_id"), None, _) => others.push("the blueprint".to_string()),
                _ => {}
            }
        }
        // `has_skill('…')` reads the chain and `goal_has('…')` the goal,
        // not an answer.
        if condition.contains("has_skill(") && !others.iter().any(|o| o.contains("chain")) {
            others.push("the skills in the chain".to_string());
        }
        if condition.contains("goal_has(") && !others.iter().any(|o| o.contains("goal")) {
            others.push("the words of your goal".to_string());
        }
        let mut said: Vec<String> = Vec::new();
        if !answers.is_empty() {
            said.push(format!("your answer to {}", answers.join(" and to ")));
        }
        said.extend(others);
        if said.is_empty() {
            return "follows an earlier answer".to_string();
        }
        format!("follows {}", said.join(" and "))
    }

    fn prompt_of(&self, scope_key: &str, question: &str) -> Option<String> {
        let step = self.steps.iter().find(|s| s.scope_key == scope_key)?;
        let q = step.questions.iter().find(|q| q.id == question)?;
        Some(q.prompt.trim_end_matches('?').to_string())
    }

    /// The prompt and the value shown for a question named as expressions
    /// name it (`<scope key>.<question id>`); secrets stay hidden.
    fn answer_words(&self, scope_key: &str, question: &str) -> Option<(String, String)> {
        let step = self.steps.iter().find(|s| s.scope_key == scope_key)?;
        let q = step.questions.iter().find(|q| q.id == question)?;
        let key = QKey::new(&step.key, question);
        let value = self
            .resolved
            .iter()
            .find(|r| r.key == key)
            .and_then(|r| r.value.as_ref());
        let value = match value {
            _ if q.kind == QuestionKind::Secret => "hidden".to_string(),
            Some(v) if v.is_empty() => "empty".to_string(),
            Some(v) => v.to_string(),
            None => "not asked".to_string(),
        };
        Some((q.prompt.trim_end_matches('?').to_string(), value))
    }
}
