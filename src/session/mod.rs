//! The session state machine: chain confirmation, customize, questions,
//! review, tree and report. Every workflow command is a pure transition on
//! [`Session`] (no terminal, no disk), so each can be tested at every border.
//!
//! Answers are stored only when explicit (typed, answers file, command line,
//! conflict resolution); every other value is recomputed (`resolve.rs`)
//! from preferences, blueprint presets, smart defaults and skill defaults, so a
//! changed earlier answer moves every dependent default with it.
//!
//! Where things live: `commands` (the command vocabulary and typed words),
//! `navigation` (confirm, answer, skip, skip skill, back, done), `answers`
//! (explicit answers), `resolve` (defaults, provenance, what applies, what
//! moved), `chain` (blueprint, steps, customize), `conflicts`, `review`,
//! `status` (progress per step), `saved` (the session file).

mod answers;
mod chain;
mod commands;
mod conflicts;
mod describe;
mod navigation;
mod provenance;
mod resolve;
mod review;
mod saved;
mod status;

pub use chain::SkillChoice;
pub use commands::{command_in_answer, Command, TYPED_COMMANDS};
pub use conflicts::ActiveConflict;
pub use provenance::{Provenance, Source};
pub use resolve::{Change, Resolved};
pub use saved::{
    pack_fingerprint, RestoreNotice, SavedAnswer, SavedPosition, SavedScreen, SavedSession,
    SessionMeta, SESSION_FORMAT,
};
pub use status::{StatusView, StepState, StepStatus};

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::detect::{ChainEntry, PackDetection};
use crate::expr::{self, Scope};
use crate::pack::{Maturity, Pack, Question};
use crate::value::AnswerValue;
/// Identifies a question: its step (a skill id, or `blueprint` for the
/// blueprint's quick questions) and its id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct QKey {
    pub step: String,
    pub question: String,
}

impl QKey {
    pub fn new(step: &str, question: &str) -> QKey {
        QKey {
            step: step.to_string(),
            question: question.to_string(),
        }
    }
}

impl std::fmt::Display for QKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.step, self.question)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub value: AnswerValue,
    pub provenance: Provenance,
}

/// One group of questions asked together: a skill, or the blueprint's quick questions.
#[derive(Debug, Clone)]
pub struct Step {
    pub key: String,
    pub title: String,
    /// Name of this step's answers in expressions (`streaming_data`, `blueprint`).
    pub scope_key: String,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Chain,
    Customize,
    Question { step: usize, question: usize },
    Review,
    Tree,
    Report,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Status,
    Help,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    Restart,
}

/// A refused command: nothing changed; the message says what is expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pack: Arc<Pack>,
    /// The conditions of the pack's questions, each compiled once.
    conditions: expr::Conditions,
    pub goal: String,
    pub detection: PackDetection,
    pub blueprint: Option<String>,
    pub maturity: Maturity,
    pub chain: Vec<ChainEntry>,
    steps: Vec<Step>,
    answers: BTreeMap<QKey, Answer>,
    preferences: BTreeMap<QKey, AnswerValue>,
    /// Answers of a saved session offered as defaults ("restart this chain
    /// with the saved answers"); above preferences, below explicit answers.
    session_defaults: BTreeMap<QKey, AnswerValue>,
    visited: BTreeSet<QKey>,
    /// Visited questions that took their default without being shown (skip
    /// skill, done, skip all): not answered, so back does not land on them
    /// and the status does not count them.
    defaulted: BTreeSet<QKey>,
    skipped_steps: BTreeSet<String>,
    /// Skills in the chain only for their answers: detection assumed them
    /// (the goal says they exist, or does not ask about them) and the pack
    /// does not require them. Their defaults feed the templates; their
    /// files are not written. Typing an answer of one makes it asked.
    answers_only: BTreeSet<String>,
    chosen_resolutions: BTreeMap<String, String>,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub pending: Option<Pending>,
    /// The last refusal, shown inline until the next successful command.
    pub error: Option<String>,
    /// What the last command changed among later answers.
    pub changes: Vec<Change>,
    return_to_review: bool,
    resolved: Vec<Resolved>,
    scope: Scope,
    /// Conditions that failed to evaluate (shown on review; lint prevents most).
    pub eval_errors: Vec<String>,
    /// `load:` answers whose files do not load (a default, preset or
    /// preference pointing at a missing file); explicit answers are refused
    /// before they get here.
    pub load_errors: Vec<(QKey, String)>,
    loads: crate::load::Cache,
    /// The generation of `loads` the resolution was computed with.
    loads_seen: u64,
    /// False when only the shape of the tree matters (`validate`): `load:`
    /// answers are taken as given and their files are not read.
    read_loads: bool,
    /// The pack's fingerprint, computed at the first save (it serialises the
    /// whole pack, too slow to repeat after every keystroke).
    fingerprint: std::sync::OnceLock<String>,
}
impl Session {
    /// A session on the chain screen. `blueprint` is used when given (and
    /// must be a blueprint of the pack); the chain is the blueprint's or the
    /// detected one.
    pub fn new(
        pack: Arc<Pack>,
        detection: PackDetection,
        blueprint: Option<String>,
        maturity: Maturity,
    ) -> Session {
        let goal = detection.goal.clone();
        let scope = Scope::for_pack(&pack, &goal);
        let mut s = Session {
            conditions: expr::Conditions::default(),
            goal,
            chain: Vec::new(),
            blueprint: None,
            maturity,
            steps: Vec::new(),
            answers: BTreeMap::new(),
            preferences: BTreeMap::new(),
            session_defaults: BTreeMap::new(),
            visited: BTreeSet::new(),
            defaulted: BTreeSet::new(),
            skipped_steps: BTreeSet::new(),
            answers_only: BTreeSet::new(),
            chosen_resolutions: BTreeMap::new(),
            screen: Screen::Chain,
            overlay: None,
            pending: None,
            error: None,
            changes: Vec::new(),
            return_to_review: false,
            resolved: Vec::new(),
            scope,
            eval_errors: Vec::new(),
            load_errors: Vec::new(),
            loads: crate::load::Cache::default(),
            loads_seen: 0,
            read_loads: true,
            fingerprint: std::sync::OnceLock::new(),
            detection,
            pack,
        };
        s.set_blueprint(blueprint);
        s
    }

    /// Stops reading the files of `load:` answers: `validate` re-checks a
    /// generated tree whose artifacts may be long gone, and lint keeps
    /// output paths and conditions independent of loaded content, so the
    /// set of files is the same without them.
    pub fn skip_loads(&mut self) {
        self.read_loads = false;
        self.refresh();
    }

    pub fn pack(&self) -> &Arc<Pack> {
        &self.pack
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    pub fn resolved(&self) -> &[Resolved] {
        &self.resolved
    }

    /// The values templates and expressions see (secrets left out).
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    pub fn answer(&self, key: &QKey) -> Option<&Answer> {
        self.answers.get(key)
    }

    pub fn question(&self, key: &QKey) -> Option<&Question> {
        self.steps
            .iter()
            .find(|s| s.key == key.step)
            .and_then(|s| s.questions.iter().find(|q| q.id == key.question))
    }

    /// Saved preferences: defaults with provenance "saved preference".
    /// Values that no longer fit their question are skipped here; vet them
    /// first with [`crate::store::prefs::vet`] to tell the user about them.
    pub fn set_preferences(&mut self, prefs: BTreeMap<QKey, AnswerValue>) {
        self.preferences = prefs;
        self.refresh();
    }

    /// Answers of a saved session offered as defaults (provenance "saved
    /// session"), for "restart this chain with the saved answers".
    pub fn set_session_defaults(&mut self, defaults: BTreeMap<QKey, AnswerValue>) {
        self.session_defaults = defaults;
        self.refresh();
    }

    /// Applies a command. On refusal nothing changes but `error`.
    pub fn apply(&mut self, cmd: Command) -> Result<(), Refusal> {
        // A change notice belongs to the command that caused it; overlays
        // leave it in place so it is still there when they close.
        if !matches!(cmd, Command::Status | Command::Help | Command::CloseOverlay) {
            self.changes.clear();
        }
        let result = self.dispatch(cmd);
        match &result {
            Ok(()) => self.error = None,
            Err(r) => self.error = Some(r.0.clone()),
        }
        result
    }

    fn dispatch(&mut self, cmd: Command) -> Result<(), Refusal> {
        if let Some(Pending::Restart) = self.pending {
            return match cmd {
                Command::ConfirmYes => {
                    self.pending = None;
                    self.answers.clear();
                    self.visited.clear();
                    self.defaulted.clear();
                    self.skipped_steps.clear();
                    self.chosen_resolutions.clear();
                    self.changes.clear();
                    self.overlay = None;
                    self.refresh();
                    self.go_to(Screen::Chain);
                    Ok(())
                }
                Command::ConfirmNo | Command::CloseOverlay | Command::Back => {
                    self.pending = None;
                    Ok(())
                }
                _ => Err(Refusal("restart? answer yes or no".to_string())),
            };
        }
        match cmd {
            Command::Status => {
                self.overlay = Some(Overlay::Status);
                return Ok(());
            }
            Command::Help => {
                self.overlay = Some(Overlay::Help);
                return Ok(());
            }
            Command::CloseOverlay => {
                self.overlay = None;
                return Ok(());
            }
            Command::Restart => {
                self.overlay = None;
                self.pending = Some(Pending::Restart);
                return Ok(());
            }
            Command::SetMaturity(m) => {
                // Conditions may name the maturity: what moves is announced.
                let before = self.resolved.clone();
                self.maturity = m;
                self.refresh();
                self.changes = Self::diff_after(&before, &self.resolved, &[]);
                return Ok(());
            }
            _ => {}
        }
        self.overlay = None;
        match self.screen {
            Screen::Chain => self.on_chain(cmd),
            Screen::Customize => self.on_customize(cmd),
            Screen::Question { step, question } => self.on_question(cmd, (step, question)),
            Screen::Review => self.on_review(cmd),
            Screen::Tree => match cmd {
                Command::Back => {
                    self.screen = Screen::Review;
                    Ok(())
                }
                Command::ToReport => {
                    self.screen = Screen::Report;
                    Ok(())
                }
                other => Err(not_here(&other, "the tree")),
            },
            Screen::Report => match cmd {
                Command::Back => {
                    self.screen = Screen::Tree;
                    Ok(())
                }
                other => Err(not_here(&other, "the report")),
            },
        }
    }
}

pub(super) fn not_here(cmd: &Command, place: &str) -> Refusal {
    Refusal(format!("{} is not available on {place}", cmd.name()))
}

#[cfg(test)]
mod test_rng;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod walk_tests;

#[cfg(test)]
mod conflict_tests;

#[cfg(test)]
mod describe_tests;

#[cfg(test)]
pub(crate) mod generated;

#[cfg(test)]
mod resolve_tests;
