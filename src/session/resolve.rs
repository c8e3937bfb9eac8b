//! Answer resolution: which questions apply and what value each holds,
//! from explicit answers, saved session, preferences, blueprint presets,
//! smart defaults and skill defaults; and what moved when an earlier answer
//! changed.

use std::collections::HashMap;

use super::{Provenance, QKey, Session, Source, Step};
use crate::expr::{Context, Scope};
use crate::pack::{Question, QuestionKind};
use crate::value::{self, AnswerValue};
use serde::Serialize;

/// How a later answer moved because of an earlier change.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Change {
    /// Still asked, with another value (a recomputed default).
    Changed {
        key: QKey,
        from: AnswerValue,
        to: AnswerValue,
    },
    /// No longer asked: its condition stopped holding; the answer is dropped.
    Dropped { key: QKey, was: AnswerValue },
    /// Newly asked: its condition now holds.
    Appeared { key: QKey, value: AnswerValue },
}

impl Change {
    pub fn key(&self) -> &QKey {
        match self {
            Change::Changed { key, .. }
            | Change::Dropped { key, .. }
            | Change::Appeared { key, .. } => key,
        }
    }
}

/// One question as resolved against the current answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub step: usize,
    pub question: usize,
    pub key: QKey,
    pub applicable: bool,
    /// Present when applicable.
    pub value: Option<AnswerValue>,
    pub provenance: Option<Provenance>,
}

impl Session {
    /// Default value and where it comes from, given the answers so far.
    pub(super) fn default_for(
        &self,
        step: &Step,
        q: &Question,
        key: &QKey,
        ctx: &minijinja::Value,
        goal_words: &[String],
        errors: &mut Vec<String>,
    ) -> (AnswerValue, Provenance) {
        if let Some(v) = self.session_defaults.get(key) {
            if let Ok(v) = value::check_value(q, v) {
                return (v, Provenance::new(Source::SavedSession));
            }
        }
        if let Some(v) = self.preferences.get(key) {
            if let Ok(v) = value::check_value(q, v) {
                return (v, Provenance::new(Source::SavedPreference));
            }
        }
        if step.key != "blueprint" {
            if let Some(b) = self
                .blueprint
                .as_deref()
                .and_then(|i| self.pack.blueprint(i))
            {
                if let Some(v) = b.presets.get(&key.to_string()) {
                    if let Ok(v) = value::check_value(q, v) {
                        return (v, Provenance::with(Source::Blueprint, b.id.clone()));
                    }
                }
            }
        }
        for sd in &q.smart_defaults {
            if let Some(p) = sd
                .goal
                .iter()
                .find(|p| crate::text::Phrase::new(p).is_in(goal_words))
            {
                if let Ok(v) = value::check_value(q, &sd.value) {
                    return (v, Provenance::with(Source::GoalKeyword, p.clone()));
                }
            }
            if let Some(w) = &sd.when {
                match self.conditions.eval_bool(w, ctx) {
                    Ok(true) => {
                        if let Ok(v) = value::check_value(q, &sd.value) {
                            return (v, Provenance::with(Source::EarlierAnswer, w.clone()));
                        }
                    }
                    Ok(false) => {}
                    Err(e) => errors.push(format!("{key}: {e}")),
                }
            }
        }
        // Names the goal mentions ("user_retention_daily ... from events_daily").
        if let Some((name, written)) =
            crate::detect::names::default_and_name(&self.detection.names, q)
        {
            if let Ok(v) = value::check_value(q, &AnswerValue::Text(name)) {
                return (
                    v,
                    Provenance::with(Source::GoalKeyword, format!("goal names {written}")),
                );
            }
        }
        match &q.default {
            Some(d) => match value::check_value(q, d) {
                Ok(v) => (v, Provenance::new(Source::Default)),
                Err(_) => (
                    AnswerValue::empty_for(q.kind),
                    Provenance::new(Source::Default),
                ),
            },
            None => (
                AnswerValue::empty_for(q.kind),
                Provenance::new(Source::Default),
            ),
        }
    }

    /// Walks every question in order, deciding which apply and what value
    /// each holds. Pure: reads answers, writes nothing.
    pub(super) fn compute(&self) -> Computed {
        let mut scope = Scope::for_pack(&self.pack, &self.goal);
        scope.maturity = Some(self.maturity);
        // Templates and conditions see the skills whose files are written.
        scope.chain = self.writing_chain();
        scope.blueprint_id = self.blueprint.clone();
        // The context conditions see, kept in step with `scope` so each one
        // converts only what changed since the last.
        let mut context = Context::new(&scope);
        // The goal's words, for the goal-keyword smart defaults.
        let goal_words = crate::text::normalise(&self.goal);
        let mut out = Vec::new();
        let mut errors = Vec::new();
        let mut load_errors = Vec::new();
        for (si, step) in self.steps.iter().enumerate() {
            for (qi, q) in step.questions.iter().enumerate() {
                let key = QKey::new(&step.key, &q.id);
                // Building the expression context is the costly part of a
                // refresh; only questions with conditions need it.
                let needs_ctx =
                    q.when.is_some() || q.smart_defaults.iter().any(|sd| sd.when.is_some());
                let ctx = if needs_ctx {
                    context.value()
                } else {
                    minijinja::Value::UNDEFINED
                };
                let applicable = match &q.when {
                    None => true,
                    Some(w) => match self.conditions.eval_bool(w, &ctx) {
                        Ok(b) => b,
                        Err(e) => {
                            errors.push(format!("{key}: {e}"));
                            false
                        }
                    },
                };
                if !applicable {
                    out.push(Resolved {
                        step: si,
                        question: qi,
                        key,
                        applicable,
                        value: None,
                        provenance: None,
                    });
                    continue;
                }
                let (value, provenance) = match self.answers.get(&key) {
                    Some(a) => (a.value.clone(), a.provenance.clone()),
                    None => self.default_for(step, q, &key, &ctx, &goal_words, &mut errors),
                };
                if q.kind != QuestionKind::Secret {
                    context.set(&step.scope_key, &q.id, &value);
                    scope.set(&step.scope_key, &q.id, value.clone());
                }
                if let (Some(spec), AnswerValue::Text(path)) = (&q.load, &value) {
                    if self.read_loads && !path.trim().is_empty() {
                        match self.loads.get(spec, path) {
                            Ok(content) => {
                                context.set_loaded(&step.scope_key, &q.id, content.clone());
                                scope
                                    .loaded
                                    .entry(step.scope_key.clone())
                                    .or_default()
                                    .insert(q.id.clone(), content);
                            }
                            Err(e) => load_errors.push((key.clone(), e)),
                        }
                    }
                }
                out.push(Resolved {
                    step: si,
                    question: qi,
                    key,
                    applicable,
                    value: Some(value),
                    provenance: Some(provenance),
                });
            }
        }
        Computed {
            resolved: out,
            scope,
            eval_errors: errors,
            load_errors,
        }
    }

    /// Checks an explicit answer like [`value::check_value`] and, for a
    /// `load:` question, loads its file(s) afresh: a file fixed since the
    /// last try is read again.
    pub(super) fn check_answer(
        &self,
        q: &Question,
        v: &AnswerValue,
    ) -> Result<AnswerValue, String> {
        let v = value::check_value(q, v)?;
        if let (Some(spec), AnswerValue::Text(path)) = (&q.load, &v) {
            if self.read_loads && !path.trim().is_empty() {
                self.loads.refresh(spec, path)?;
            }
        }
        Ok(v)
    }

    /// Recomputes everything and drops explicit answers (and visits) of
    /// questions that no longer apply.
    pub(super) fn refresh(&mut self) {
        let computed = self.compute();
        self.settle(computed);
    }

    /// Takes `computed` (a [`Session::compute`] of the session as it is) as
    /// the resolution, then drops explicit answers (and visits) of questions
    /// that no longer apply and computes again until none is left.
    pub(super) fn settle(&mut self, mut computed: Computed) {
        loop {
            let Computed {
                resolved,
                scope,
                eval_errors: errors,
                load_errors,
            } = computed;
            let stale: Vec<QKey> = resolved
                .iter()
                .filter(|r| {
                    !r.applicable
                        && (self.answers.contains_key(&r.key) || self.visited.contains(&r.key))
                })
                .map(|r| r.key.clone())
                .collect();
            self.resolved = resolved;
            self.scope = scope;
            self.eval_errors = errors;
            self.load_errors = load_errors;
            self.loads_seen = self.loads.generation();
            if stale.is_empty() {
                break;
            }
            for k in stale {
                self.answers.remove(&k);
                self.visited.remove(&k);
                self.defaulted.remove(&k);
            }
            computed = self.compute();
        }
    }

    /// Brings the resolution up to date when a file a `load:` answer names
    /// was read again since it was computed (a refused answer naming the
    /// same file reloads it). Every other change refreshes as it is made.
    pub(super) fn ensure_current(&mut self) {
        if self.loads_seen != self.loads.generation() {
            self.refresh();
        }
        debug_assert!(
            self.compute().resolved == self.resolved,
            "the resolution is out of date"
        );
    }

    pub(super) fn position_of(&self, key: &QKey) -> Option<(usize, usize)> {
        self.resolved
            .iter()
            .find(|r| &r.key == key)
            .map(|r| (r.step, r.question))
    }

    pub(super) fn applicable(&self) -> impl Iterator<Item = &Resolved> {
        self.resolved.iter().filter(|r| r.applicable)
    }

    /// What moved between two resolutions, for every question but the ones
    /// the command itself set (`except`): recomputed defaults, dropped and
    /// newly asked questions, wherever they are in the chain.
    pub(super) fn diff_after(
        before: &[Resolved],
        after: &[Resolved],
        except: &[QKey],
    ) -> Vec<Change> {
        let old: HashMap<&QKey, &Resolved> = before.iter().map(|r| (&r.key, r)).collect();
        let mut out = Vec::new();
        for r in after.iter().filter(|r| !except.contains(&r.key)) {
            let Some(o) = old.get(&r.key) else { continue };
            match (&o.value, &r.value) {
                (Some(a), Some(b)) if a != b => out.push(Change::Changed {
                    key: r.key.clone(),
                    from: a.clone(),
                    to: b.clone(),
                }),
                (Some(a), None) => out.push(Change::Dropped {
                    key: r.key.clone(),
                    was: a.clone(),
                }),
                (None, Some(b)) => out.push(Change::Appeared {
                    key: r.key.clone(),
                    value: b.clone(),
                }),
                _ => {}
            }
        }
        out
    }
}

/// What [`Session::compute`] decides from the answers so far.
pub(super) struct Computed {
    pub(super) resolved: Vec<Resolved>,
    pub(super) scope: Scope,
    pub(super) eval_errors: Vec<String>,
    pub(super) load_errors: Vec<(QKey, String)>,
}
