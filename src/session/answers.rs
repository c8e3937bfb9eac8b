//! Explicit answers: typed, answers file, command line; checked like a
//! typed one and kept until the user changes them or their condition stops
//! holding.

use super::{Answer, Provenance, QKey, Session, Source};
use crate::value::AnswerValue;

impl Session {
    /// Stores a typed answer and goes on. The value already shown is not an
    /// answer of one's own: it is accepted as it stands (a default keeps
    /// following its source, an explicit answer keeps its provenance).
    pub(super) fn store(&mut self, pos: (usize, usize), key: QKey, v: AnswerValue) {
        let shown = self
            .resolved
            .iter()
            .find(|r| r.key == key)
            .and_then(|r| r.value.clone());
        if shown.is_some_and(|s| same_value(&s, &v)) {
            self.accept(pos, key);
            return;
        }
        let before = self.resolved.clone();
        self.skipped_steps.remove(&key.step);
        // An answer typed into a skill asks for it: its files are written.
        self.answers_only.remove(&key.step);
        self.put(key.clone(), v, Provenance::new(Source::Typed));
        self.refresh();
        self.changes = Self::diff_after(&before, &self.resolved, std::slice::from_ref(&key));
        let next = self.next_after(pos, self.return_to_review);
        self.go_to(next);
    }

    /// Records an explicit answer; the caller refreshes.
    pub(super) fn put(&mut self, key: QKey, value: AnswerValue, provenance: Provenance) {
        self.visited.insert(key.clone());
        self.defaulted.remove(&key);
        self.answers.insert(key, Answer { value, provenance });
    }

    /// Sets an explicit answer from outside the question flow (answers file,
    /// command line), checked like a typed one.
    pub fn set_answer(
        &mut self,
        key: &QKey,
        v: &AnswerValue,
        source: Source,
    ) -> Result<(), String> {
        match self
            .set_answers(vec![(key.clone(), v.clone())], source)
            .into_iter()
            .next()
        {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    }

    /// Sets many explicit answers at once (an answers file), checking each
    /// value and, with all of them in place, that each question applies.
    /// Returns the problems; answers with a problem are not kept.
    pub fn set_answers(
        &mut self,
        items: Vec<(QKey, AnswerValue)>,
        source: Source,
    ) -> Vec<(QKey, String)> {
        let mut problems = Vec::new();
        let mut given = Vec::new();
        let items_given = items.len();
        for (key, v) in items {
            let Some(step) = self.steps.iter().find(|s| s.key == key.step) else {
                problems.push((key, "not a step of this chain".to_string()));
                continue;
            };
            let Some(q) = step.questions.iter().find(|q| q.id == key.question) else {
                let mut msg = format!("`{}` has no question `{}`", key.step, key.question);
                msg.push_str(&crate::suggest::hint(
                    &key.question,
                    step.questions.iter().map(|q| q.id.as_str()),
                ));
                problems.push((key, msg));
                continue;
            };
            match self.check_answer(q, &v) {
                Ok(v) => {
                    self.put(key.clone(), v, Provenance::new(source));
                    given.push(key);
                }
                Err(e) => problems.push((key, e)),
            }
        }
        if items_given == 0 {
            // Nothing was set or loaded: the resolution stands.
            return problems;
        }
        let computed = self.compute();
        let mut dropped = false;
        for key in given {
            if computed
                .resolved
                .iter()
                .any(|r| r.key == key && !r.applicable)
            {
                dropped = true;
                let cond = self
                    .question(&key)
                    .and_then(|q| q.when.clone())
                    .unwrap_or_default();
                problems.push((
                    key.clone(),
                    format!("is answered, but its condition `{cond}` does not hold with these answers; remove it"),
                ));
                self.answers.remove(&key);
                self.visited.remove(&key);
            }
        }
        if dropped {
            self.refresh();
        } else {
            // The computation above is of the answers as they stand.
            self.settle(computed);
        }
        problems
    }

    /// Applicable questions that have no value and must have one (required
    /// with an empty default).
    pub fn unanswered_required(&self) -> Vec<QKey> {
        self.applicable()
            .filter(|r| {
                self.question(&r.key).is_some_and(|q| q.validate.required)
                    && r.value.as_ref().is_none_or(AnswerValue::is_empty)
            })
            .map(|r| r.key.clone())
            .collect()
    }
}

/// Equal as answers: a multi-choice is a set (the order of picking does not
/// make another answer).
fn same_value(a: &AnswerValue, b: &AnswerValue) -> bool {
    match (a, b) {
        (AnswerValue::List(x), AnswerValue::List(y)) => {
            let mut x = x.clone();
            let mut y = y.clone();
            x.sort();
            y.sort();
            x.dedup();
            y.dedup();
            x == y
        }
        _ => a == b,
    }
}
