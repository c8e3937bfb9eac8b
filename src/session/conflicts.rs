//! Cross-skill conflicts: which rules hold, and applying a named resolution.

use serde::Serialize;
use std::collections::BTreeMap;

use super::{Provenance, QKey, Refusal, Session, Source};
use crate::pack::ConflictRule;
use crate::value::{self, AnswerValue};

/// A conflict rule whose condition holds for the current answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActiveConflict {
    pub id: String,
    pub title: String,
    pub message: String,
    pub resolutions: Vec<(String, String)>,
    /// The resolution the user chose, when one was.
    pub chosen: Option<String>,
    /// What each resolution sets, exactly: `(resolution id, [(question,
    /// value)])`, in the order of `resolutions`; empty for "accept".
    pub sets: Vec<(String, Vec<(QKey, AnswerValue)>)>,
}

impl Session {
    /// Applies a named resolution of an active conflict.
    pub fn resolve_conflict(
        &mut self,
        conflict: &str,
        resolution: &str,
        _source: Source,
    ) -> Result<(), Refusal> {
        let Some(rule) = self
            .pack
            .manifest
            .conflicts
            .iter()
            .find(|c| c.id == conflict)
            .cloned()
        else {
            return Err(Refusal(format!(
                "no conflict rule `{conflict}` in pack {}",
                self.pack.id()
            )));
        };
        let Some(res) = rule.resolutions.iter().find(|r| r.id == resolution) else {
            let names: Vec<&str> = rule.resolutions.iter().map(|r| r.id.as_str()).collect();
            return Err(Refusal(format!(
                "conflict `{conflict}` has no resolution `{resolution}`: choose one of {}",
                names.join(", ")
            )));
        };
        // Check every value first: a resolution applies whole or not at all.
        let mut sets = Vec::new();
        for (k, v) in &res.set {
            let key = match k.split_once('.') {
                Some((s, q)) => QKey::new(s, q),
                None => QKey::new(k, ""),
            };
            let Some(q) = self.question(&key) else {
                // A skill of the pack taken out of the chain: the user can
                // put it back; only a question the pack lacks is the pack's.
                if self.pack.skill(&key.step).is_some() {
                    let label = rule
                        .resolutions
                        .iter()
                        .find(|r| r.id == resolution)
                        .map_or(resolution, |r| r.label.as_str());
                    return Err(Refusal(format!(
                        "“{label}” sets {k}, but {} is not in the chain: add it back with customize (c on the chain screen) to resolve this",
                        key.step
                    )));
                }
                return Err(Refusal(format!(
                    "resolution `{resolution}` of `{conflict}` sets {k}, which is not a question of this chain; fix the pack's conflict rule"
                )));
            };
            let v = value::check_value(q, v).map_err(|e| {
                Refusal(format!(
                    "resolution `{resolution}` of `{conflict}` sets {k}: {e}; fix the pack's conflict rule"
                ))
            })?;
            sets.push((key, v));
        }
        let undo = self.clone();
        let before = self.resolved.clone();
        for (key, v) in &sets {
            self.put(
                key.clone(),
                v.clone(),
                Provenance::with(
                    Source::ConflictResolution,
                    format!("{conflict}: {resolution}"),
                ),
            );
        }
        self.chosen_resolutions
            .insert(conflict.to_string(), resolution.to_string());
        self.refresh();
        // A resolution sets exactly what it says: a value its own change
        // would drop again (a condition it breaks) is refused, not half done.
        if let Some((key, _)) = sets
            .iter()
            .find(|(k, v)| self.answer(k).map(|a| &a.value) != Some(v))
        {
            *self = undo;
            return Err(Refusal(format!(
                "resolution `{resolution}` of `{conflict}` sets {key}, but that question is no longer asked once the resolution applies; fix the pack's conflict rule"
            )));
        }
        let keys: Vec<QKey> = sets.into_iter().map(|(k, _)| k).collect();
        self.changes = Self::diff_after(&before, &self.resolved, &keys);
        Ok(())
    }

    /// What each resolution of `rule` sets, in the pack's words:
    /// `(resolution id, [(question, value)])`.
    fn resolution_sets(rule: &ConflictRule) -> Vec<(String, Vec<(QKey, AnswerValue)>)> {
        rule.resolutions
            .iter()
            .map(|r| {
                let sets = r
                    .set
                    .iter()
                    .filter_map(|(k, v)| {
                        k.split_once('.').map(|(s, q)| (QKey::new(s, q), v.clone()))
                    })
                    .collect();
                (r.id.clone(), sets)
            })
            .collect()
    }

    /// Conflict rules that hold for the current answers.
    pub fn conflicts(&self) -> Vec<ActiveConflict> {
        let ctx = self.scope.to_value();
        self.pack
            .manifest
            .conflicts
            .iter()
            .filter(|c| self.conditions.eval_bool(&c.when, &ctx).unwrap_or(false))
            .map(|c| ActiveConflict {
                id: c.id.clone(),
                title: c.title.clone(),
                message: c.message.clone(),
                resolutions: c
                    .resolutions
                    .iter()
                    .map(|r| (r.id.clone(), r.label.clone()))
                    .collect(),
                chosen: self.chosen_resolutions.get(&c.id).cloned(),
                sets: Self::resolution_sets(c),
            })
            .collect()
    }

    pub fn chosen_resolutions(&self) -> &BTreeMap<String, String> {
        &self.chosen_resolutions
    }
}
