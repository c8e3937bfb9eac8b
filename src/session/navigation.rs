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
        match self
            .applicable()
            .find(|r| !self.visited.contains(&r.key))
            .or_else(|| self.applicable().next())
        {
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
                // The value errors name what is expected themselves.
                let v = value::parse_input(&q, &text).map_err(Refusal)?;
                let v = self.check_answer(&q, &v).map_err(Refusal)?;
                self.store(pos, key, v);
                Ok(())
            }
            Command::AnswerValue(v) => {
                let v = self.check_answer(&q, &v).map_err(Refusal)?;
                self.store(pos, key, v);
                Ok(())
            }
            Command::Accept => {
                self.accept(pos, key);
                Ok(())
            }
            Command::Skip => {
                let before = self.resolved.clone();
                self.answers.remove(&key);
                self.defaulted.remove(&key);
                self.visited.insert(key.clone());
                self.refresh();
                self.changes =
                    Self::diff_after(&before, &self.resolved, std::slice::from_ref(&key));
                let next = self.next_after(pos, self.return_to_review);
                self.go_to(next);
                Ok(())
            }
            Command::SkipSkill => {
                let before = self.resolved.clone();
                // Answered questions (explicit or accepted on screen) are
                // left exactly as they are.
                self.default_unvisited(|r| r.step == pos.0 && r.question >= pos.1);
                self.skipped_steps.insert(key.step.clone());
                self.changes =
                    Self::diff_after(&before, &self.resolved, std::slice::from_ref(&key));
                let next = self.next_after((pos.0, usize::MAX), self.return_to_review);
                self.go_to(next);
                Ok(())
            }
            Command::Back => {
                self.changes.clear();
                self.screen = self.back_from(pos);
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
        self.default_unvisited(|_| true);
    }

    /// Every applicable question that `which` selects and nobody has seen
    /// takes its default (answers given are kept). Taking a default stores
    /// no answer, so values and conditions stay as resolved: no question
    /// appears that would need another pass.
    pub(super) fn default_unvisited(&mut self, which: impl Fn(&Resolved) -> bool) {
        self.ensure_current();
        let fresh: Vec<QKey> = self
            .applicable()
            .filter(|r| which(r) && !self.visited.contains(&r.key))
            .map(|r| r.key.clone())
            .collect();
        for k in fresh {
            if !self.answers.contains_key(&k) {
                self.defaulted.insert(k.clone());
            }
            self.visited.insert(k);
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

impl Session {
    /// Accepts the value shown at `pos`: an explicit answer stays as it is,
    /// a default stays a default (no answer is stored), and the question
    /// counts as answered on screen.
    pub(super) fn accept(&mut self, pos: (usize, usize), key: QKey) {
        let before = self.resolved.clone();
        self.defaulted.remove(&key);
        self.visited.insert(key.clone());
        self.refresh();
        self.changes = Self::diff_after(&before, &self.resolved, std::slice::from_ref(&key));
        let next = self.next_after(pos, self.return_to_review);
        self.go_to(next);
    }

    /// Where back from `pos` lands: the previous applicable question; but
    /// when that one took its default unseen (skip skill, done), the last
    /// question its skill has an answer for before `pos`, else the skill's
    /// first question, never one the person has not seen. The chain
    /// screen before the first question.
    pub(super) fn back_from(&self, pos: (usize, usize)) -> Screen {
        let earlier: Vec<&Resolved> = self
            .applicable()
            .filter(|r| (r.step, r.question) < pos)
            .collect();
        let Some(prev) = earlier.last() else {
            return Screen::Chain;
        };
        let target = if self.defaulted.contains(&prev.key) {
            let in_step = earlier.iter().filter(|r| r.step == prev.step);
            in_step
                .clone()
                .filter(|r| self.visited.contains(&r.key) && !self.defaulted.contains(&r.key))
                .last()
                .or_else(|| in_step.clone().next())
                .unwrap_or(prev)
        } else {
            prev
        };
        Screen::Question {
            step: target.step,
            question: target.question,
        }
    }
}
