//! Progress per step for the status overlay and the sidebar.

use serde::Serialize;
use std::collections::BTreeSet;

use super::{Resolved, Screen, Session};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepState {
    /// Every applicable question answered (typed, accepted or skipped one
    /// by one on screen).
    Done,
    Current {
        index: usize,
        count: usize,
    },
    /// Some questions answered, the others still to come or left to their
    /// defaults by skip skill or done: `answered` of `count`.
    Partial {
        answered: usize,
        count: usize,
    },
    Pending,
    /// No question answered on screen; all of them take their defaults.
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepStatus {
    pub key: String,
    pub title: String,
    pub state: StepState,
    /// Applicable questions in this step.
    pub questions: usize,
    /// Of those, answered on screen or explicitly (not defaults taken unseen).
    pub answered: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusView {
    /// 1-based index of the current step; 0 before the questions start.
    pub step: usize,
    pub total: usize,
    pub steps: Vec<StepStatus>,
    /// Questions answered on screen or explicitly.
    pub answered: usize,
    /// Questions that took their default unseen (skip skill, done).
    pub defaulted: usize,
    /// Questions not reached yet.
    pub remaining: usize,
}

impl StatusView {
    /// (k, n): the current question is the k-th of n in its step (1/1
    /// when no question is on screen).
    pub fn question_of_step(&self) -> (usize, usize) {
        self.steps
            .iter()
            .find_map(|x| match x.state {
                StepState::Current { index, count } => Some((index, count)),
                _ => None,
            })
            .unwrap_or((1, 1))
    }
}

impl Session {
    /// Progress per step, for the status overlay and the sidebar.
    pub fn status(&self) -> StatusView {
        let current = match self.screen {
            Screen::Question { step, question } => Some((step, question)),
            _ => None,
        };
        let past = |si: usize| {
            current.is_some_and(|(cs, _)| cs > si)
                || matches!(self.screen, Screen::Review | Screen::Tree | Screen::Report)
        };
        let mut steps = Vec::new();
        for (si, st) in self.steps.iter().enumerate() {
            let qs: Vec<&Resolved> = self.applicable().filter(|r| r.step == si).collect();
            let count = qs.len();
            let answered = qs.iter().filter(|r| self.is_answered(&r.key)).count();
            let all_visited = qs.iter().all(|r| self.visited.contains(&r.key));
            let state = if let Some((_, cq)) = current.filter(|(cs, _)| *cs == si) {
                let index = qs
                    .iter()
                    .position(|r| r.question == cq)
                    .map(|i| i + 1)
                    .unwrap_or(1);
                StepState::Current { index, count }
            } else if count > 0 && answered == count {
                StepState::Done
            } else if answered > 0 {
                StepState::Partial { answered, count }
            } else if self.skipped_steps.contains(&st.key) || (count > 0 && all_visited) {
                StepState::Skipped
            } else if count == 0 && past(si) {
                StepState::Done
            } else {
                StepState::Pending
            };
            steps.push(StepStatus {
                key: st.key.clone(),
                title: st.title.clone(),
                state,
                questions: count,
                answered,
            });
        }
        let answered = self
            .applicable()
            .filter(|r| self.is_answered(&r.key))
            .count();
        let visited = self
            .applicable()
            .filter(|r| self.visited.contains(&r.key))
            .count();
        let total_q = self.applicable().count();
        StatusView {
            step: current.map(|(s, _)| s + 1).unwrap_or(0),
            total: self.steps.len(),
            steps,
            answered,
            defaulted: visited - answered,
            remaining: total_q - visited,
        }
    }

    /// Answered on screen (typed, accepted, skipped one by one) or given
    /// explicitly (answers file, command line, conflict resolution).
    pub fn is_answered(&self, key: &super::QKey) -> bool {
        self.answers.contains_key(key)
            || (self.visited.contains(key) && !self.defaulted.contains(key))
    }

    /// Number of questions asked with the current answers (defaults
    /// included); a skipped skill's questions are not asked.
    pub fn question_count(&self) -> usize {
        self.applicable()
            .filter(|r| !self.is_skipped(&self.steps[r.step].key))
            .count()
    }

    /// True for a skill the user skipped or detection assumed.
    pub fn is_skipped(&self, step_key: &str) -> bool {
        self.skipped_steps.contains(step_key)
    }

    /// Skills of the chain whose files are not written: they only give
    /// their answers (see [`Session::writes_files`]).
    pub fn answers_only(&self) -> &BTreeSet<String> {
        &self.answers_only
    }

    /// False for a skill in the chain only for its answers.
    pub fn writes_files(&self, skill: &str) -> bool {
        !self.answers_only.contains(skill)
    }

    /// The chain's skills that write files, in run order: what templates
    /// see as `chain` and `has_skill`, and what validation holds to.
    pub fn writing_chain(&self) -> Vec<String> {
        self.chain_ids(true)
    }

    /// The chain's skills there only for their answers, in run order.
    pub fn answers_only_chain(&self) -> Vec<String> {
        self.chain_ids(false)
    }

    fn chain_ids(&self, writing: bool) -> Vec<String> {
        self.chain
            .iter()
            .filter(|e| self.writes_files(&e.id) == writing)
            .map(|e| e.id.clone())
            .collect()
    }

    /// Sets the skills that only give their answers (an answers file's
    /// record); ids not in the chain are ignored.
    pub fn set_answers_only(&mut self, ids: &[String]) {
        self.answers_only = ids
            .iter()
            .filter(|id| self.chain.iter().any(|e| &e.id == *id))
            .cloned()
            .collect();
        self.refresh();
    }
}
