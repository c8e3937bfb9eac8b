//! The session as a file: a versioned snapshot of everything the person has
//! decided (goal, pack, chain, explicit answers with provenance, visits,
//! skips, conflict resolutions, position), and the restore that replays it
//! against the pack as it is now, with a notice for everything that no
//! longer fits. Pure: no disk (the store in `crate::store` reads and writes).
//!
//! Only explicit answers are saved: every default is recomputed on restore,
//! exactly as it is after each command. Secrets are never saved; the keys of
//! answered secrets are, so resume can ask them again.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use super::{Provenance, QKey, Screen, Session};
use crate::detect::{self, chain_for, Reason};
use crate::pack::{Maturity, Pack, QuestionKind};
use crate::value::{self, AnswerValue};

/// Format version of `session.json`.
pub const SESSION_FORMAT: u32 = 1;

/// `.skillchain/session.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedSession {
    /// Format version of this file.
    pub skillchain_session: u32,
    pub id: String,
    /// Seconds since the Unix epoch.
    pub created: u64,
    pub updated: u64,
    pub goal: String,
    pub pack: String,
    pub pack_version: String,
    /// Changes whenever the pack's skills, questions or blueprints change.
    pub pack_fingerprint: String,
    pub blueprint: Option<String>,
    pub maturity: Maturity,
    /// Skill ids in run order.
    pub chain: Vec<String>,
    /// Explicit answers (typed, answers file, command line, conflict
    /// resolution) with their provenance; never a secret.
    pub answers: Vec<SavedAnswer>,
    pub visited: Vec<QKey>,
    /// Visited questions that took their default unseen (skip skill, done).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub defaulted: Vec<QKey>,
    pub skipped_steps: Vec<String>,
    /// Skills of the chain only for their answers (files not written).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers_only: Vec<String>,
    /// Conflict id → resolution id.
    pub resolutions: BTreeMap<String, String>,
    pub position: SavedPosition,
    /// Editing from the review: the next answer returns there.
    pub return_to_review: bool,
    /// Secret questions answered before the save: asked again on resume.
    pub secrets_to_ask: Vec<QKey>,
    /// Where the tree will be written, when chosen.
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedAnswer {
    pub step: String,
    pub question: String,
    pub value: AnswerValue,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SavedScreen {
    Chain,
    Question,
    Review,
    Tree,
}

/// Where the person was: a screen and, on a question, which one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedPosition {
    pub screen: SavedScreen,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<QKey>,
}

/// What the caller knows and the state machine does not: the session's
/// identity, when it started and where it will be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionMeta {
    pub id: String,
    pub created: u64,
    pub out: Option<PathBuf>,
}

/// Something of a saved session that did not fit the pack as it is now, and
/// what happened to it instead. Restore never drops anything without one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RestoreNotice {
    /// The pack changed since the save (the details follow in other notices).
    PackChanged {
        saved: String,
        now: String,
    },
    BlueprintRemoved {
        blueprint: String,
    },
    /// The skill is no longer in the pack: it left the chain with its answers.
    SkillRemoved {
        skill: String,
    },
    /// The pack now pulls in a skill the saved chain did not have.
    SkillAdded {
        skill: String,
        why: String,
    },
    /// The question is gone (from the pack, or with its skill or blueprint).
    QuestionRemoved {
        key: QKey,
        was: AnswerValue,
    },
    /// A choice no longer offers the saved value (removed or renamed).
    OptionRemoved {
        key: QKey,
        was: AnswerValue,
        options: Vec<String>,
        /// The closest option now offered, when one looks like a rename.
        renamed_to: Option<String>,
        now: Option<AnswerValue>,
    },
    /// The saved value breaks the question's rules as they are now.
    ValueInvalid {
        key: QKey,
        was: AnswerValue,
        reason: String,
        now: Option<AnswerValue>,
    },
    /// The question's condition no longer holds: it is not asked and its
    /// answer is not used.
    NoLongerAsked {
        key: QKey,
        was: AnswerValue,
    },
    /// Secrets are never saved: this one is asked again.
    SecretAskedAgain {
        key: QKey,
    },
    ResolutionRemoved {
        conflict: String,
        resolution: String,
    },
    /// The saved position no longer exists; the session continues here.
    PositionMoved {
        from: String,
        to: String,
    },
}

impl RestoreNotice {
    /// In the words of the restored session: a question that still exists
    /// is named by its prompt, a skill or conflict by its title; what the
    /// pack no longer has keeps its id (there is nothing else to call it).
    pub fn describe_for(&self, session: &super::Session) -> String {
        let pack = session.pack();
        let question = |k: &QKey| match session.question(k) {
            Some(q) => format!("“{}”", q.prompt.trim_end_matches('?')),
            None => k.to_string(),
        };
        let skill = |id: &str| match pack.skill(id) {
            Some(sk) => format!("“{}”", sk.title),
            None => id.to_string(),
        };
        let conflict = |id: &str| match pack.manifest.conflicts.iter().find(|c| c.id == id) {
            Some(c) => format!("“{}”", c.title),
            None => id.to_string(),
        };
        self.describe_with(&question, &skill, &conflict)
    }

    /// With the ids as they are (no session to name them from).
    pub fn describe(&self) -> String {
        self.describe_with(&|k: &QKey| k.to_string(), &str::to_string, &str::to_string)
    }

    fn describe_with(
        &self,
        question: &dyn Fn(&QKey) -> String,
        skill_name: &dyn Fn(&str) -> String,
        conflict_name: &dyn Fn(&str) -> String,
    ) -> String {
        let now = |v: &Option<AnswerValue>| match v {
            Some(v) => format!("it takes its default now ({v})"),
            None => "it takes its default now".to_string(),
        };
        match self {
            RestoreNotice::PackChanged { saved, now } if saved == now => {
                format!("the pack's content changed since the save, under the same version {now}")
            }
            RestoreNotice::PackChanged { saved, now } => {
                format!("the pack changed since the save (version {saved} then, {now} now)")
            }
            RestoreNotice::BlueprintRemoved { blueprint } => {
                format!("blueprint {blueprint} is no longer in the pack; continuing without it")
            }
            RestoreNotice::SkillRemoved { skill } => {
                format!("skill {skill} is no longer in the pack; it left the chain")
            }
            RestoreNotice::SkillAdded { skill, why } => {
                format!("skill {} joined the chain ({why})", skill_name(skill))
            }
            RestoreNotice::QuestionRemoved { key, was } => {
                format!(
                    "{}: the question no longer exists; your answer {was} was dropped",
                    question(key)
                )
            }
            RestoreNotice::OptionRemoved {
                key,
                was,
                options,
                renamed_to,
                now: n,
            } => {
                let renamed = match renamed_to {
                    Some(r) => format!(" (renamed to `{r}`?)"),
                    None => String::new(),
                };
                format!(
                    "{}: `{was}` is no longer an option{renamed}; the options are {}; {}",
                    question(key),
                    options.join(", "),
                    now(n)
                )
            }
            RestoreNotice::ValueInvalid {
                key,
                was,
                reason,
                now: n,
            } => format!(
                "{}: your answer {was} is no longer accepted ({reason}); {}",
                question(key),
                now(n)
            ),
            RestoreNotice::NoLongerAsked { key, was } => format!(
                "{}: no longer asked with these answers; your answer {was} is not used",
                question(key)
            ),
            RestoreNotice::SecretAskedAgain { key } => {
                format!(
                    "{}: secrets are never saved; it is asked again",
                    question(key)
                )
            }
            RestoreNotice::ResolutionRemoved {
                conflict,
                resolution,
            } => format!(
                "conflict {}: resolution {resolution} no longer exists; choose again on the review",
                conflict_name(conflict)
            ),
            RestoreNotice::PositionMoved { from, to } => {
                format!("you were at {from}, which no longer exists; continuing at {to}")
            }
        }
    }
}

/// A stable fingerprint (FNV-1a, hex) of what restore depends on: the
/// manifest, the skills and the blueprints.
pub fn pack_fingerprint(pack: &Pack) -> String {
    let text = serde_json::to_string(&(&pack.manifest, &pack.skills, &pack.blueprints))
        .unwrap_or_default();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn position_name(screen: SavedScreen, key: Option<&QKey>) -> String {
    match (screen, key) {
        (SavedScreen::Question, Some(k)) => format!("question {k}"),
        (SavedScreen::Chain, _) => "the chain".to_string(),
        (SavedScreen::Review, _) | (SavedScreen::Question, None) => "the review".to_string(),
        (SavedScreen::Tree, _) => "the tree".to_string(),
    }
}

impl Session {
    /// The session as a file, saved at `now` (seconds since the epoch).
    pub fn to_saved(&self, meta: &SessionMeta, now: u64) -> SavedSession {
        let is_secret = |k: &QKey| {
            self.question(k)
                .is_some_and(|q| q.kind == QuestionKind::Secret)
        };
        let mut answers = Vec::new();
        let mut secrets_to_ask = Vec::new();
        for (k, a) in &self.answers {
            if is_secret(k) {
                secrets_to_ask.push(k.clone());
                continue;
            }
            answers.push(SavedAnswer {
                step: k.step.clone(),
                question: k.question.clone(),
                value: a.value.clone(),
                provenance: a.provenance.clone(),
            });
        }
        let position = match self.screen {
            Screen::Chain | Screen::Customize => SavedPosition {
                screen: SavedScreen::Chain,
                question: None,
            },
            Screen::Question { .. } => SavedPosition {
                screen: SavedScreen::Question,
                question: self.current().map(|(_, _, r)| r.key.clone()),
            },
            Screen::Review => SavedPosition {
                screen: SavedScreen::Review,
                question: None,
            },
            Screen::Tree | Screen::Report => SavedPosition {
                screen: SavedScreen::Tree,
                question: None,
            },
        };
        SavedSession {
            skillchain_session: SESSION_FORMAT,
            id: meta.id.clone(),
            created: meta.created,
            updated: now,
            goal: self.goal.clone(),
            pack: self.pack.manifest.id.clone(),
            pack_version: self.pack.manifest.version.clone(),
            pack_fingerprint: self
                .fingerprint
                .get_or_init(|| pack_fingerprint(&self.pack))
                .clone(),
            blueprint: self.blueprint.clone(),
            maturity: self.maturity,
            chain: self.chain.iter().map(|e| e.id.clone()).collect(),
            answers,
            visited: self
                .visited
                .iter()
                .filter(|k| !secrets_to_ask.contains(k))
                .cloned()
                .collect(),
            defaulted: self.defaulted.iter().cloned().collect(),
            skipped_steps: self.skipped_steps.iter().cloned().collect(),
            answers_only: self.answers_only.iter().cloned().collect(),
            resolutions: self.chosen_resolutions.clone(),
            position,
            return_to_review: self.return_to_review,
            secrets_to_ask,
            out: meta.out.clone(),
        }
    }

    /// Rebuilds a saved session against `pack` as it is now. Everything that
    /// no longer fits (a skill, a question, an option, a condition, a
    /// resolution, the position) comes back as a notice saying what happened
    /// to it; the rest is exactly as saved.
    pub fn restore(pack: Arc<Pack>, saved: &SavedSession) -> (Session, Vec<RestoreNotice>) {
        Session::restore_with_preferences(pack, saved, BTreeMap::new())
    }

    /// [`Session::restore`] with saved preferences in place first, so every
    /// default (and every condition that depends on one) is as it will be.
    pub fn restore_with_preferences(
        pack: Arc<Pack>,
        saved: &SavedSession,
        preferences: BTreeMap<QKey, AnswerValue>,
    ) -> (Session, Vec<RestoreNotice>) {
        let mut notices = Vec::new();
        let fingerprint = pack_fingerprint(&pack);
        if fingerprint != saved.pack_fingerprint {
            notices.push(RestoreNotice::PackChanged {
                saved: saved.pack_version.clone(),
                now: pack.manifest.version.clone(),
            });
        }
        let det = detect::detect_in_pack(&pack, pack.detect_index(), &saved.goal);
        let blueprint = match &saved.blueprint {
            Some(b) if pack.blueprint(b).is_none() => {
                notices.push(RestoreNotice::BlueprintRemoved {
                    blueprint: b.clone(),
                });
                None
            }
            other => other.clone(),
        };
        let mut s = Session::new(pack.clone(), det, blueprint, saved.maturity);
        s.preferences = preferences;

        // The chain, as saved, less what the pack lost, plus what it now needs.
        let ids: Vec<String> = s.chain.iter().map(|e| e.id.clone()).collect();
        if ids != saved.chain {
            let mut kept = Vec::new();
            for id in &saved.chain {
                if pack.skill(id).is_some() {
                    kept.push(id.clone());
                } else {
                    notices.push(RestoreNotice::SkillRemoved { skill: id.clone() });
                }
            }
            let scores: HashMap<&str, u32> = s
                .detection
                .scores
                .iter()
                .map(|x| (x.id.as_str(), x.score))
                .collect();
            let mut chain = chain_for(&pack, &kept, Reason::Chosen, &scores);
            for e in &mut chain {
                if let Some(d) = s.chain.iter().find(|d| d.id == e.id) {
                    if e.reasons == vec![Reason::Chosen] {
                        e.reasons = d.reasons.clone();
                    }
                }
                if !saved.chain.contains(&e.id) {
                    let why: Vec<String> = e.reasons.iter().map(Reason::describe).collect();
                    notices.push(RestoreNotice::SkillAdded {
                        skill: e.id.clone(),
                        why: why.join("; "),
                    });
                }
            }
            s.set_chain(chain);
        }

        // Explicit answers, each checked against its question as it is now.
        let mut invalid: Vec<usize> = Vec::new();
        let mut given: Vec<(QKey, AnswerValue)> = Vec::new();
        for a in &saved.answers {
            let key = QKey::new(&a.step, &a.question);
            let Some(q) = s.question(&key).cloned() else {
                notices.push(RestoreNotice::QuestionRemoved {
                    key,
                    was: a.value.clone(),
                });
                continue;
            };
            match value::check_value(&q, &a.value) {
                Ok(v) => {
                    s.answers.insert(
                        key.clone(),
                        super::Answer {
                            value: v,
                            provenance: a.provenance.clone(),
                        },
                    );
                    given.push((key, a.value.clone()));
                }
                Err(reason) => {
                    invalid.push(notices.len());
                    let offered: Vec<&str> = q.options.iter().map(|o| o.value.as_str()).collect();
                    let missing: Option<String> = match &a.value {
                        AnswerValue::Text(t) if q.kind.has_options() => {
                            (!offered.contains(&t.as_str())).then(|| t.clone())
                        }
                        AnswerValue::List(items) if q.kind.has_options() => items
                            .iter()
                            .find(|t| !offered.contains(&t.as_str()))
                            .cloned(),
                        _ => None,
                    };
                    notices.push(match missing {
                        Some(gone) => RestoreNotice::OptionRemoved {
                            key,
                            was: a.value.clone(),
                            options: offered.iter().map(|o| o.to_string()).collect(),
                            renamed_to: crate::suggest::did_you_mean(&gone, offered.clone())
                                .map(str::to_string),
                            now: None,
                        },
                        None => RestoreNotice::ValueInvalid {
                            key,
                            was: a.value.clone(),
                            reason,
                            now: None,
                        },
                    });
                }
            }
        }
        let known: BTreeSet<QKey> = s.steps_keys();
        s.visited = saved
            .visited
            .iter()
            .filter(|k| known.contains(k))
            .cloned()
            .collect();
        s.defaulted = saved
            .defaulted
            .iter()
            .filter(|k| s.visited.contains(*k))
            .cloned()
            .collect();
        s.skipped_steps = saved
            .skipped_steps
            .iter()
            .filter(|k| s.steps.iter().any(|st| &st.key == *k))
            .cloned()
            .collect();
        s.answers_only = saved
            .answers_only
            .iter()
            .filter(|k| s.chain.iter().any(|e| &e.id == *k))
            .cloned()
            .collect();
        for (conflict, resolution) in &saved.resolutions {
            let exists = pack
                .manifest
                .conflicts
                .iter()
                .find(|c| &c.id == conflict)
                .is_some_and(|c| c.resolutions.iter().any(|r| &r.id == resolution));
            if exists {
                s.chosen_resolutions
                    .insert(conflict.clone(), resolution.clone());
            } else {
                notices.push(RestoreNotice::ResolutionRemoved {
                    conflict: conflict.clone(),
                    resolution: resolution.clone(),
                });
            }
        }
        s.refresh();
        for (key, was) in given {
            if !s.answers.contains_key(&key) {
                notices.push(RestoreNotice::NoLongerAsked { key, was });
            }
        }
        for i in invalid {
            let current = |k: &QKey| {
                s.resolved
                    .iter()
                    .find(|r| &r.key == k)
                    .and_then(|r| r.value.clone())
            };
            match &mut notices[i] {
                RestoreNotice::OptionRemoved { key, now, .. }
                | RestoreNotice::ValueInvalid { key, now, .. } => *now = current(key),
                _ => {}
            }
        }

        // Position: as saved, or the nearest place that still exists.
        let applicable = |s: &Session, k: &QKey| {
            s.resolved
                .iter()
                .find(|r| &r.key == k)
                .filter(|r| r.applicable)
                .map(|r| Screen::Question {
                    step: r.step,
                    question: r.question,
                })
        };
        s.return_to_review = saved.return_to_review;
        s.screen = match (saved.position.screen, &saved.position.question) {
            (SavedScreen::Chain, _) => Screen::Chain,
            (SavedScreen::Review, _) => Screen::Review,
            (SavedScreen::Tree, _) => Screen::Tree,
            (SavedScreen::Question, Some(k)) => match applicable(&s, k) {
                Some(screen) => screen,
                None => {
                    let to = s.next_unvisited();
                    notices.push(RestoreNotice::PositionMoved {
                        from: position_name(SavedScreen::Question, Some(k)),
                        to: s.describe_screen(to),
                    });
                    to
                }
            },
            (SavedScreen::Question, None) => s.next_unvisited(),
        };
        // Secrets answered before the save are asked again, first.
        let mut first_secret: Option<Screen> = None;
        for k in &saved.secrets_to_ask {
            if let Some(screen) = applicable(&s, k) {
                s.visited.remove(k);
                notices.push(RestoreNotice::SecretAskedAgain { key: k.clone() });
                first_secret = first_secret.or(Some(screen));
            }
        }
        if let Some(secret) = first_secret {
            let later = match (s.screen, secret) {
                (
                    Screen::Question { step, question },
                    Screen::Question {
                        step: ss,
                        question: sq,
                    },
                ) => (ss, sq) < (step, question),
                (Screen::Review | Screen::Tree, _) => true,
                _ => false,
            };
            if later {
                s.screen = secret;
                s.return_to_review = true;
            }
        }
        (s, notices)
    }

    /// "Restart this chain with the saved answers as defaults": the same
    /// goal, pack, blueprint, maturity, chain and preferences, back on the
    /// chain screen, with every explicit answer of `self` (secrets aside)
    /// offered as a default with provenance "saved session".
    pub fn restart_with_answers_as_defaults(&self) -> Session {
        let mut fresh = Session::new(
            self.pack.clone(),
            self.detection.clone(),
            self.blueprint.clone(),
            self.maturity,
        );
        fresh.chain = self.chain.clone();
        fresh.preferences = self.preferences.clone();
        fresh.session_defaults = self
            .resolved
            .iter()
            .filter(|r| r.applicable)
            .filter(|r| {
                self.question(&r.key)
                    .is_some_and(|q| q.kind != QuestionKind::Secret)
            })
            .filter_map(|r| {
                self.answers
                    .get(&r.key)
                    .map(|a| (r.key.clone(), a.value.clone()))
            })
            .collect();
        fresh.rebuild_steps();
        fresh
    }

    fn steps_keys(&self) -> BTreeSet<QKey> {
        self.resolved.iter().map(|r| r.key.clone()).collect()
    }

    /// The first applicable question not yet visited, or the review.
    fn next_unvisited(&self) -> Screen {
        match self
            .resolved
            .iter()
            .find(|r| r.applicable && !self.visited.contains(&r.key))
        {
            Some(r) => Screen::Question {
                step: r.step,
                question: r.question,
            },
            None => Screen::Review,
        }
    }

    fn describe_screen(&self, screen: Screen) -> String {
        match screen {
            Screen::Question { step, question } => self
                .resolved
                .iter()
                .find(|r| r.step == step && r.question == question)
                .map(|r| format!("question {}", r.key))
                .unwrap_or_else(|| "the questions".to_string()),
            Screen::Chain | Screen::Customize => "the chain".to_string(),
            Screen::Review => "the review".to_string(),
            Screen::Tree | Screen::Report => "the tree".to_string(),
        }
    }
}

#[cfg(test)]
#[path = "saved_tests.rs"]
mod tests;
