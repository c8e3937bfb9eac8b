//! Chain editing: the blueprint, the steps built from the chain, and the
//! customize screen (add or remove skills, with why each is in or out).

use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

use super::{not_here, Command, Refusal, Screen, Session, Step};
use crate::detect::{self, ChainEntry, Reason};
use crate::pack::skill_key;

/// How one skill of the pack stands on the customize screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillChoice {
    pub id: String,
    pub title: String,
    pub in_chain: bool,
    pub locked: bool,
    /// Why it is in, or why it is out.
    pub why: String,
    /// Skills in the chain that need it (a hard dependency).
    pub needed_by: Vec<String>,
}

impl Session {
    /// Replaces the chain (with dependencies added and run order applied).
    pub fn set_chain(&mut self, chain: Vec<ChainEntry>) {
        self.chain = chain;
        self.answers_only
            .retain(|id| self.chain.iter().any(|e| &e.id == id));
        self.rebuild_steps();
    }

    pub(super) fn set_blueprint(&mut self, id: Option<String>) {
        let bp = id.as_deref().and_then(|i| self.pack.blueprint(i)).cloned();
        self.blueprint = bp.as_ref().map(|b| b.id.clone());
        self.chain = match &bp {
            Some(b) => detect::blueprint_chain(&self.pack, &self.detection, b),
            None => self.detection.full_chain(&self.pack),
        };
        self.answers_only.clear();
        self.rebuild_steps();
        match &bp {
            None => {
                let only = self.detection.answers_only(&self.pack);
                let assumed: Vec<String> = self
                    .detection
                    .assumed
                    .iter()
                    .map(|e| e.id.clone())
                    .collect();
                self.assume_skills(only, assumed);
            }
            // A blueprint runs its whole journey, but what the goal rules
            // out or says exists ("ingestion is not our problem") is not
            // asked and writes nothing.
            Some(b) => {
                let only = self.detection.blueprint_answers_only(&self.pack, b);
                self.assume_skills(only, Vec::new());
            }
        }
    }

    /// Skills detection assumed (the goal says they exist, or a narrow goal
    /// does not ask about them) start skipped: their unanswered questions
    /// take their defaults, and the user can still go back into them.
    /// `only` are there only for their answers (a dependency the goal says
    /// exists or rules out): their files are not written. Conditions read
    /// the chain that writes files, so the resolution is computed again.
    fn assume_skills(&mut self, only: Vec<String>, assumed: Vec<String>) {
        self.answers_only = only
            .into_iter()
            .filter(|id| self.chain.iter().any(|e| &e.id == id))
            .collect();
        let assumed: BTreeSet<String> = assumed
            .into_iter()
            .chain(self.answers_only.iter().cloned())
            .collect();
        if assumed.is_empty() {
            return;
        }
        let steps: BTreeSet<usize> = self
            .steps
            .iter()
            .enumerate()
            .filter(|(_, st)| assumed.contains(&st.key))
            .map(|(i, _)| i)
            .collect();
        if !self.answers_only.is_empty() {
            self.refresh();
        }
        self.default_unvisited(|r| steps.contains(&r.step));
        for i in &steps {
            self.skipped_steps.insert(self.steps[*i].key.clone());
        }
    }

    pub(super) fn rebuild_steps(&mut self) {
        let mut steps = Vec::new();
        if let Some(b) = self
            .blueprint
            .as_deref()
            .and_then(|i| self.pack.blueprint(i))
        {
            if !b.questions.is_empty() {
                steps.push(Step {
                    key: "blueprint".to_string(),
                    title: format!("{} (quick setup)", b.title),
                    scope_key: "blueprint".to_string(),
                    questions: b.questions.to_vec(),
                });
            }
        }
        for e in &self.chain {
            if let Some(skill) = self.pack.skill(&e.id) {
                steps.push(Step {
                    key: skill.id.clone(),
                    title: skill.title.clone(),
                    scope_key: skill_key(&skill.id),
                    questions: skill.questions.to_vec(),
                });
            }
        }
        self.steps = steps;
        self.refresh();
    }

    /// Skills in the chain with a hard dependency on `id`.
    pub(super) fn needed_by(&self, id: &str) -> Vec<String> {
        self.chain
            .iter()
            .filter(|e| {
                self.pack
                    .skill(&e.id)
                    .is_some_and(|d| d.dependencies.hard.iter().any(|h| h == id))
            })
            .map(|e| e.id.clone())
            .collect()
    }

    /// Every skill of the pack with whether it is in the chain and why.
    pub fn skill_choices(&self) -> Vec<SkillChoice> {
        let in_chain: BTreeSet<&str> = self.chain.iter().map(|e| e.id.as_str()).collect();
        self.pack
            .skills
            .iter()
            .map(|s| {
                let entry = self.chain.iter().find(|e| e.id == s.id);
                let needed_by = self.needed_by(&s.id);
                let why = match entry {
                    Some(e) => {
                        let mut why: Vec<String> = e.reasons.iter().map(Reason::describe).collect();
                        if !self.writes_files(&e.id) {
                            why.insert(
                                0,
                                format!("{} (toggle to write them)", detect::ANSWERS_ONLY_NOTE),
                            );
                        }
                        why.join("; ")
                    }
                    None => match self.detection.scores.iter().find(|x| x.id == s.id) {
                        Some(sc) if let Some(why) = sc.left_out_because() => why,
                        Some(sc) if sc.missing_requirement => {
                            format!("needs one of: {}", s.keywords.requires_any.join(", "))
                        }
                        _ => "no keyword of the goal matched".to_string(),
                    },
                };
                SkillChoice {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    in_chain: in_chain.contains(s.id.as_str()),
                    locked: s.required,
                    why,
                    needed_by,
                }
            })
            .collect()
    }

    pub(super) fn on_customize(&mut self, cmd: Command) -> Result<(), Refusal> {
        match cmd {
            Command::ToggleSkill(id) => {
                let Some(skill) = self.pack.skill(&id) else {
                    return Err(Refusal(format!(
                        "`{id}` is not a skill of pack {}",
                        self.pack.id()
                    )));
                };
                let present = self.chain.iter().any(|e| e.id == id);
                let mut seeds: Vec<(String, Vec<Reason>)> = self
                    .chain
                    .iter()
                    .filter_map(|e| {
                        let own: Vec<Reason> = e
                            .reasons
                            .iter()
                            .filter(|r| !matches!(r, Reason::DependencyOf { .. }))
                            .cloned()
                            .collect();
                        (!own.is_empty()).then(|| (e.id.clone(), own))
                    })
                    .collect();
                if present && self.answers_only.contains(&id) {
                    // First toggle of a skill there only for its answers:
                    // it is asked for now, and its files are written.
                    let before = self.resolved.clone();
                    self.answers_only.remove(&id);
                    self.skipped_steps.remove(&id);
                    self.refresh();
                    self.changes = Self::diff_after(&before, &self.resolved, &[]);
                    return Ok(());
                }
                if present {
                    if skill.required {
                        return Err(Refusal(format!(
                            "{id} is required and cannot be removed (its questions can still be skipped)"
                        )));
                    }
                    let needed_by = self.needed_by(&id);
                    if !needed_by.is_empty() {
                        return Err(Refusal(format!(
                            "{id} is needed by {}: remove {} first",
                            needed_by.join(", "),
                            if needed_by.len() == 1 { "it" } else { "those" }
                        )));
                    }
                    seeds.retain(|(s, _)| s != &id);
                } else {
                    seeds.push((id.clone(), vec![Reason::Chosen]));
                }
                let scores: HashMap<&str, u32> = self
                    .detection
                    .scores
                    .iter()
                    .map(|s| (s.id.as_str(), s.score))
                    .collect();
                let chain = detect::build_chain(&self.pack, seeds, &scores);
                let before = self.resolved.clone();
                self.chain = chain;
                self.answers_only
                    .retain(|id| self.chain.iter().any(|e| &e.id == id));
                self.rebuild_steps();
                // Answers of other skills whose conditions name this one move too.
                self.changes = Self::diff_after(&before, &self.resolved, &[]);
                Ok(())
            }
            Command::FinishCustomize | Command::Back => {
                self.screen = Screen::Chain;
                Ok(())
            }
            other => Err(not_here(&other, "the customize screen")),
        }
    }

    pub fn estimated_minutes(&self) -> u32 {
        self.chain
            .iter()
            .filter(|e| !self.is_skipped(&e.id))
            .filter_map(|e| self.pack.skill(&e.id))
            .map(|s| s.estimated_minutes)
            .sum()
    }
}
