//! Progress per step for the status overlay and the sidebar.

use serde::Serialize;

use super::{Resolved, Screen, Session};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepState {
    Done,
    Current { index: usize, count: usize },
    Pending,
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepStatus {
    pub key: String,
    pub title: String,
    pub state: StepState,
    /// Applicable questions in this step.
    pub questions: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusView {
    /// 1-based index of the current step; 0 before the questions start.
    pub step: usize,
    pub total: usize,
    pub steps: Vec<StepStatus>,
    pub answered: usize,
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
        let mut steps = Vec::new();
        for (si, st) in self.steps.iter().enumerate() {
            let qs: Vec<&Resolved> = self.applicable().filter(|r| r.step == si).collect();
            let state = if let Some((cs, cq)) = current.filter(|(cs, _)| *cs == si) {
                let index = qs
                    .iter()
                    .position(|r| r.question == cq)
                    .map(|i| i + 1)
                    .unwrap_or(1);
                let _ = cs;
                StepState::Current {
                    index,
                    count: qs.len(),
                }
            } else if self.skipped_steps.contains(&st.key) {
                StepState::Skipped
            } else if qs.iter().all(|r| self.visited.contains(&r.key))
                && (!qs.is_empty()
                    || current.is_some_and(|(cs, _)| cs > si)
                    || matches!(self.screen, Screen::Review | Screen::Tree | Screen::Report))
            {
                StepState::Done
            } else {
                StepState::Pending
            };
            steps.push(StepStatus {
                key: st.key.clone(),
                title: st.title.clone(),
                state,
                questions: qs.len(),
            });
        }
        let answered = self
            .applicable()
            .filter(|r| self.visited.contains(&r.key))
            .count();
        let total_q = self.applicable().count();
        StatusView {
            step: current.map(|(s, _)| s + 1).unwrap_or(0),
            total: self.steps.len(),
            steps,
            answered,
            remaining: total_q - answered,
        }
    }

    /// Number of questions asked with the current answers (defaults included).
    pub fn question_count(&self) -> usize {
        self.applicable().count()
    }
}
