//! Cross-skill conflicts: which rules hold, and applying a named resolution.

use serde::Serialize;
use std::collections::BTreeMap;

use super::{Provenance, QKey, Refusal, Session, Source};
use crate::expr;

/// A conflict rule whose condition holds for the current answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActiveConflict {
    pub id: String,
    pub title: String,
    pub message: String,
    pub resolutions: Vec<(String, String)>,
    /// The resolution the user chose, when one was.
    pub chosen: Option<String>,
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
        for (k, v) in &res.set {
            if let Some((s, q)) = k.split_once('.') {
                self.put(
                    QKey::new(s, q),
                    v.clone(),
                    Provenance::with(
                        Source::ConflictResolution,
                        format!("{conflict}: {resolution}"),
                    ),
                );
            }
        }
        self.chosen_resolutions
            .insert(conflict.to_string(), resolution.to_string());
        self.refresh();
        Ok(())
    }

    /// Conflict rules that hold for the current answers.
    pub fn conflicts(&self) -> Vec<ActiveConflict> {
        let ctx = self.scope.to_value();
        self.pack
            .manifest
            .conflicts
            .iter()
            .filter(|c| expr::eval_bool(&self.env, &c.when, &ctx).unwrap_or(false))
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
            })
            .collect()
    }
    pub fn chosen_resolutions(&self) -> &BTreeMap<String, String> {
        &self.chosen_resolutions
    }
}
