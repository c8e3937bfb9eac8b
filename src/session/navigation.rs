//! Navigation: the chain screen's confirm and skip-all, and on a question
//! answer, skip, skip skill, back and done; where each lands.

use super::{command_in_answer, not_here, Command, QKey, Refusal, Resolved, Screen, Session, Step};
use crate::pack::Question;
use crate::value;

impl Session {
    /// The question at the current position, if on a question screen.
    pub fn current(&self) -> Option<(&Step, &Question, &Resolved)> {
        let Screen::Question { step, question } = self.screen else {
            return None;
        };
        let st = self.steps.get(step)?;
        let q = st.questions.get(question)?;
        let r = self
            .resolved
            .iter()
            .find(|r| r.step == step && r.question == question)?;
        Some((st, q, r))
    }
    pub(super) fn first_question(&self) -> Screen {
        match self.applicable().next() {
            Some(r) => Screen::Question {
                step: r.step,
                question: r.question,
            },
            None => Screen::Review,
        }
    }

    pub(super) fn next_after(&self, pos: (usize, usize), unvisited_only: bool) -> Screen {
        match self.applicable().find(|r| {
            (r.step, r.question) > pos && (!unvisited_only || !self.visited.contains(&r.key))
        }) {
            Some(r) => Screen::Question {
                step: r.step,
                question: r.question,
            },
            None => Screen::Review,
        }
    }

    pub(super) fn go_to(&mut self, screen: Screen) {
        if screen == Screen::Review {
            self.return_to_review = false;
        }
        self.screen = screen;
    }
    pub(super) fn on_chain(&mut self, cmd: Command) -> Result<(), Refusal> {
        match cmd {
            Command::Confirm => {
                self.changes.clear();
                let first = self.first_question();
                self.go_to(first);
                Ok(())
            }
            Command::SkipAll | Command::Done => {
                self.take_remaining_defaults();
                self.go_to(Screen::Review);
                Ok(())
            }
            Command::Customize => {
                self.screen = Screen::Customize;
                Ok(())
            }
            Command::UseBlueprint(true) => match self.detection.offer.clone() {
                Some(id) => {
                    self.set_blueprint(Some(id));
                    Ok(())
                }
                None => Err(Refusal(
                    "no blueprint matches this goal well enough to offer".to_string(),
                )),
            },
            Command::UseBlueprint(false) => {
                self.set_blueprint(None);
                Ok(())
            }
            Command::Back => Ok(()),
            other => Err(not_here(&other, "the chain screen")),
        }
    }
    pub(super) fn on_question(&mut self, cmd: Command, pos: (usize, usize)) -> Result<(), Refusal> {
        let Some(step) = self.steps.get(pos.0) else {
            return Err(Refusal("no such step".to_string()));
        };
        let Some(q) = step.questions.get(pos.1).cloned() else {
            return Err(Refusal("no such question".to_string()));
        };
        let key = QKey::new(&step.key, &q.id);
        match cmd {
            Command::Answer(text) => {
                if let Some(c) = command_in_answer(&q, &text) {
                    return self.dispatch(c);
                }
                let v = value::parse_input(&q, &text)
                    .map_err(|e| Refusal(format!("{e}: expected {}", value::expectation(&q))))?;
                let v = self.check_answer(&q, &v).map_err(Refusal)?;
                self.store(pos, key, v);
                Ok(())
            }
            Command::AnswerValue(v) => {
                let v = self.check_answer(&q, &v).map_err(Refusal)?;
                self.store(pos, key, v);
                Ok(())
            }
            Command::Skip => {
                let before = self.resolved.clone();
                self.answers.remove(&key);
                self.visited.insert(key);
                self.refresh();
                self.changes = Self::diff_after(&before, &self.resolved, pos);
                let next = self.next_after(pos, self.return_to_review);
                self.go_to(next);
                Ok(())
            }
            Command::SkipSkill => {
                let before = self.resolved.clone();
                let step_key = key.step.clone();
                self.answers.remove(&key);
                self.visited.insert(key);
                // Taking defaults can reveal more questions of the same skill: repeat until stable.
                loop {
                    self.refresh();
                    let fresh: Vec<QKey> = self
                        .applicable()
                        .filter(|r| {
                            r.step == pos.0 && r.question > pos.1 && !self.visited.contains(&r.key)
                        })
                        .map(|r| r.key.clone())
                        .collect();
                    if fresh.is_empty() {
                        break;
                    }
                    self.visited.extend(fresh);
                }
                self.skipped_steps.insert(step_key);
                self.changes = Self::diff_after(&before, &self.resolved, pos);
                let next = self.next_after((pos.0, usize::MAX), self.return_to_review);
                self.go_to(next);
                Ok(())
            }
            Command::Back => {
                let prev = self
                    .applicable()
                    .filter(|r| (r.step, r.question) < pos)
                    .last()
                    .map(|r| (r.step, r.question));
                self.changes.clear();
                self.screen = match prev {
                    Some((step, question)) => Screen::Question { step, question },
                    None => Screen::Chain,
                };
                Ok(())
            }
            Command::Done => {
                self.take_remaining_defaults();
                self.go_to(Screen::Review);
                Ok(())
            }
            other => Err(not_here(&other, "a question")),
        }
    }
    /// Marks every applicable unvisited question as taking its default.
    pub(super) fn take_remaining_defaults(&mut self) {
        loop {
            self.refresh();
            let fresh: Vec<QKey> = self
                .applicable()
                .filter(|r| !self.visited.contains(&r.key))
                .map(|r| r.key.clone())
                .collect();
            if fresh.is_empty() {
                break;
            }
            self.visited.extend(fresh);
        }
    }
    /// True once every applicable question has been visited.
    pub fn all_visited(&self) -> bool {
        self.applicable().all(|r| self.visited.contains(&r.key))
    }

    /// Finishes non-interactively: every remaining question takes its default.
    pub fn finish_with_defaults(&mut self) {
        self.take_remaining_defaults();
        self.go_to(Screen::Review);
    }
}
