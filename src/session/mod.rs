//! The session state machine: chain confirmation, customize, questions,
//! review, tree and report. Every workflow command is a pure transition on
//! [`Session`] (no terminal, no disk), so each can be tested at every border.
//!
//! Answers are stored only when explicit (typed, answers file, command line,
//! conflict resolution); every other value is recomputed by [`Session::resolve`]
//! from preferences, blueprint presets, smart defaults and skill defaults, so a
//! changed earlier answer moves every dependent default with it.

mod provenance;
mod saved;

pub use provenance::{Provenance, Source};
pub use saved::{
    pack_fingerprint, RestoreNotice, SavedAnswer, SavedPosition, SavedScreen, SavedSession,
    SessionMeta, SESSION_FORMAT,
};

use minijinja::Environment;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::detect::{self, ChainEntry, PackDetection, Reason};
use crate::expr::{self, Scope};
use crate::pack::{skill_key, Maturity, Pack, Question, QuestionKind};
use crate::value::{self, AnswerValue};

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

/// Every transition the session knows. The app's keys and typed words map
/// onto these; tests drive them directly.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Chain screen: start the questions.
    Confirm,
    /// Chain screen: every question takes its default; go to review.
    SkipAll,
    Customize,
    /// Use (true) or drop (false) the offered blueprint.
    UseBlueprint(bool),
    ToggleSkill(String),
    FinishCustomize,
    /// Text as typed; a workflow word (`back`, `skip`, …) runs that command.
    Answer(String),
    /// A value picked from a list.
    AnswerValue(AnswerValue),
    Skip,
    SkipSkill,
    Back,
    Status,
    Done,
    Restart,
    Help,
    CloseOverlay,
    ConfirmYes,
    ConfirmNo,
    Edit(QKey),
    Resolve {
        conflict: String,
        resolution: String,
    },
    /// Review → tree; refused while a conflict is unresolved.
    Proceed,
    ToReport,
    SetMaturity(Maturity),
}

/// Words a person can type into any answer to run a command.
pub const TYPED_COMMANDS: &[(&str, &str)] = &[
    ("skip", "this question takes its default; go on"),
    (
        "skip skill",
        "every remaining question of this skill takes its default",
    ),
    ("back", "previous question (answers are kept)"),
    ("status", "show progress"),
    (
        "done",
        "every remaining question takes its default; go to review",
    ),
    (
        "restart",
        "back to the chain with the same goal; answers are cleared",
    ),
    ("help", "list commands and keys"),
];

/// The command a typed word stands for (`back`, `skip skill`, …), if any.
fn typed_command(input: &str) -> Option<Command> {
    let words: Vec<&str> = input.split_whitespace().collect();
    let w = words.join(" ").to_ascii_lowercase();
    Some(match w.as_str() {
        "skip" => Command::Skip,
        "skip skill" => Command::SkipSkill,
        "back" => Command::Back,
        "status" => Command::Status,
        "done" => Command::Done,
        "restart" => Command::Restart,
        "help" => Command::Help,
        _ => return None,
    })
}

/// The workflow command a text answer to `q` stands for: a typed word, unless
/// the question has an option of that name (then it is the answer).
pub fn command_in_answer(q: &Question, text: &str) -> Option<Command> {
    let is_option = q
        .options
        .iter()
        .any(|o| o.value.eq_ignore_ascii_case(text.trim()));
    if is_option {
        None
    } else {
        typed_command(text)
    }
}

/// How a later answer moved because of an earlier change.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Change {
    /// Still asked, with another value (a recomputed default).
    Changed {
        key: QKey,
        from: AnswerValue,
        to: AnswerValue,
    },
    /// No longer asked: its condition stopped holding; the answer is dropped.
    Dropped { key: QKey, was: AnswerValue },
    /// Newly asked: its condition now holds.
    Appeared { key: QKey, value: AnswerValue },
}

impl Change {
    pub fn key(&self) -> &QKey {
        match self {
            Change::Changed { key, .. }
            | Change::Dropped { key, .. }
            | Change::Appeared { key, .. } => key,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Change::Changed { key, from, to } => format!("{key}: {from} → {to}"),
            Change::Dropped { key, was } => format!("{key}: no longer asked (was {was})"),
            Change::Appeared { key, value } => format!("{key}: now asked (default {value})"),
        }
    }
}

/// One question as resolved against the current answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub step: usize,
    pub question: usize,
    pub key: QKey,
    pub applicable: bool,
    /// Present when applicable.
    pub value: Option<AnswerValue>,
    pub provenance: Option<Provenance>,
}

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
    env: Arc<Environment<'static>>,
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
    skipped_steps: BTreeSet<String>,
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
            env: Arc::new(expr::base_env()),
            goal,
            chain: Vec::new(),
            blueprint: None,
            maturity,
            steps: Vec::new(),
            answers: BTreeMap::new(),
            preferences: BTreeMap::new(),
            session_defaults: BTreeMap::new(),
            visited: BTreeSet::new(),
            skipped_steps: BTreeSet::new(),
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

    /// Replaces the chain (with dependencies added and run order applied).
    pub fn set_chain(&mut self, chain: Vec<ChainEntry>) {
        self.chain = chain;
        self.rebuild_steps();
    }

    fn set_blueprint(&mut self, id: Option<String>) {
        let bp = id.as_deref().and_then(|i| self.pack.blueprint(i)).cloned();
        self.blueprint = bp.as_ref().map(|b| b.id.clone());
        self.chain = match &bp {
            Some(b) => detect::blueprint_chain(&self.pack, &self.detection, b),
            None => self.detection.chain.clone(),
        };
        self.rebuild_steps();
    }

    fn rebuild_steps(&mut self) {
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
                    questions: b.questions.clone(),
                });
            }
        }
        for e in &self.chain {
            if let Some(skill) = self.pack.skill(&e.id) {
                steps.push(Step {
                    key: skill.id.clone(),
                    title: skill.title.clone(),
                    scope_key: skill_key(&skill.id),
                    questions: skill.questions.clone(),
                });
            }
        }
        self.steps = steps;
        self.refresh();
    }

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

    /// Default value and where it comes from, given the answers so far.
    fn default_for(
        &self,
        step: &Step,
        q: &Question,
        key: &QKey,
        ctx: &minijinja::Value,
        errors: &mut Vec<String>,
    ) -> (AnswerValue, Provenance) {
        if let Some(v) = self.session_defaults.get(key) {
            if let Ok(v) = value::check_value(q, v) {
                return (v, Provenance::new(Source::SavedSession));
            }
        }
        if let Some(v) = self.preferences.get(key) {
            if let Ok(v) = value::check_value(q, v) {
                return (v, Provenance::new(Source::SavedPreference));
            }
        }
        if step.key != "blueprint" {
            if let Some(b) = self
                .blueprint
                .as_deref()
                .and_then(|i| self.pack.blueprint(i))
            {
                if let Some(v) = b.presets.get(&key.to_string()) {
                    if let Ok(v) = value::check_value(q, v) {
                        return (v, Provenance::with(Source::Blueprint, b.id.clone()));
                    }
                }
            }
        }
        let goal_words = crate::text::normalise(&self.goal);
        for sd in &q.smart_defaults {
            if let Some(p) = sd
                .goal
                .iter()
                .find(|p| crate::text::Phrase::new(p).is_in(&goal_words))
            {
                if let Ok(v) = value::check_value(q, &sd.value) {
                    return (v, Provenance::with(Source::GoalKeyword, p.clone()));
                }
            }
            if let Some(w) = &sd.when {
                match expr::eval_bool(&self.env, w, ctx) {
                    Ok(true) => {
                        if let Ok(v) = value::check_value(q, &sd.value) {
                            return (v, Provenance::with(Source::EarlierAnswer, w.clone()));
                        }
                    }
                    Ok(false) => {}
                    Err(e) => errors.push(format!("{key}: {e}")),
                }
            }
        }
        // Names the goal mentions ("user_retention_daily ... from events_daily").
        if let Some(name) = detect::names::default_for(&self.detection.names, q) {
            if let Ok(v) = value::check_value(q, &AnswerValue::Text(name.clone())) {
                return (
                    v,
                    Provenance::with(Source::GoalKeyword, format!("goal names {name}")),
                );
            }
        }
        match &q.default {
            Some(d) => match value::check_value(q, d) {
                Ok(v) => (v, Provenance::new(Source::Default)),
                Err(_) => (
                    AnswerValue::empty_for(q.kind),
                    Provenance::new(Source::Default),
                ),
            },
            None => (
                AnswerValue::empty_for(q.kind),
                Provenance::new(Source::Default),
            ),
        }
    }

    /// Walks every question in order, deciding which apply and what value
    /// each holds. Pure: reads answers, writes nothing.
    fn compute(&self) -> Computed {
        let mut scope = Scope::for_pack(&self.pack, &self.goal);
        scope.maturity = Some(self.maturity);
        scope.chain = self.chain.iter().map(|e| e.id.clone()).collect();
        scope.blueprint_id = self.blueprint.clone();
        let mut out = Vec::new();
        let mut errors = Vec::new();
        let mut load_errors = Vec::new();
        for (si, step) in self.steps.iter().enumerate() {
            for (qi, q) in step.questions.iter().enumerate() {
                let key = QKey::new(&step.key, &q.id);
                // Building the expression context is the costly part of a
                // refresh; only questions with conditions need it.
                let needs_ctx =
                    q.when.is_some() || q.smart_defaults.iter().any(|sd| sd.when.is_some());
                let ctx = if needs_ctx {
                    scope.to_value()
                } else {
                    minijinja::Value::UNDEFINED
                };
                let applicable = match &q.when {
                    None => true,
                    Some(w) => match expr::eval_bool(&self.env, w, &ctx) {
                        Ok(b) => b,
                        Err(e) => {
                            errors.push(format!("{key}: {e}"));
                            false
                        }
                    },
                };
                if !applicable {
                    out.push(Resolved {
                        step: si,
                        question: qi,
                        key,
                        applicable,
                        value: None,
                        provenance: None,
                    });
                    continue;
                }
                let (value, provenance) = match self.answers.get(&key) {
                    Some(a) => (a.value.clone(), a.provenance.clone()),
                    None => self.default_for(step, q, &key, &ctx, &mut errors),
                };
                if q.kind != QuestionKind::Secret {
                    scope.set(&step.scope_key, &q.id, value.clone());
                }
                if let (Some(spec), AnswerValue::Text(path)) = (&q.load, &value) {
                    if self.read_loads && !path.trim().is_empty() {
                        match self.loads.get(spec, path) {
                            Ok(content) => {
                                scope
                                    .loaded
                                    .entry(step.scope_key.clone())
                                    .or_default()
                                    .insert(q.id.clone(), content);
                            }
                            Err(e) => load_errors.push((key.clone(), e)),
                        }
                    }
                }
                out.push(Resolved {
                    step: si,
                    question: qi,
                    key,
                    applicable,
                    value: Some(value),
                    provenance: Some(provenance),
                });
            }
        }
        Computed {
            resolved: out,
            scope,
            eval_errors: errors,
            load_errors,
        }
    }

    /// Checks an explicit answer like [`value::check_value`] and, for a
    /// `load:` question, loads its file(s) afresh: a file fixed since the
    /// last try is read again.
    fn check_answer(&self, q: &Question, v: &AnswerValue) -> Result<AnswerValue, String> {
        let v = value::check_value(q, v)?;
        if let (Some(spec), AnswerValue::Text(path)) = (&q.load, &v) {
            if self.read_loads && !path.trim().is_empty() {
                self.loads.refresh(spec, path)?;
            }
        }
        Ok(v)
    }

    /// Recomputes everything and drops explicit answers (and visits) of
    /// questions that no longer apply. Returns the answers dropped.
    fn refresh(&mut self) {
        loop {
            let Computed {
                resolved,
                scope,
                eval_errors: errors,
                load_errors,
            } = self.compute();
            let stale: Vec<QKey> = resolved
                .iter()
                .filter(|r| {
                    !r.applicable
                        && (self.answers.contains_key(&r.key) || self.visited.contains(&r.key))
                })
                .map(|r| r.key.clone())
                .collect();
            self.resolved = resolved;
            self.scope = scope;
            self.eval_errors = errors;
            self.load_errors = load_errors;
            if stale.is_empty() {
                break;
            }
            for k in stale {
                self.answers.remove(&k);
                self.visited.remove(&k);
            }
        }
    }

    fn position_of(&self, key: &QKey) -> Option<(usize, usize)> {
        self.resolved
            .iter()
            .find(|r| &r.key == key)
            .map(|r| (r.step, r.question))
    }

    fn applicable(&self) -> impl Iterator<Item = &Resolved> {
        self.resolved.iter().filter(|r| r.applicable)
    }

    fn first_question(&self) -> Screen {
        match self.applicable().next() {
            Some(r) => Screen::Question {
                step: r.step,
                question: r.question,
            },
            None => Screen::Review,
        }
    }

    fn next_after(&self, pos: (usize, usize), unvisited_only: bool) -> Screen {
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

    fn go_to(&mut self, screen: Screen) {
        if screen == Screen::Review {
            self.return_to_review = false;
        }
        self.screen = screen;
    }

    /// Changes among questions after `pos` between two resolutions.
    fn diff_after(before: &[Resolved], after: &[Resolved], pos: (usize, usize)) -> Vec<Change> {
        let old: HashMap<&QKey, &Resolved> = before.iter().map(|r| (&r.key, r)).collect();
        let mut out = Vec::new();
        for r in after.iter().filter(|r| (r.step, r.question) > pos) {
            let Some(o) = old.get(&r.key) else { continue };
            match (&o.value, &r.value) {
                (Some(a), Some(b)) if a != b => out.push(Change::Changed {
                    key: r.key.clone(),
                    from: a.clone(),
                    to: b.clone(),
                }),
                (Some(a), None) => out.push(Change::Dropped {
                    key: r.key.clone(),
                    was: a.clone(),
                }),
                (None, Some(b)) => out.push(Change::Appeared {
                    key: r.key.clone(),
                    value: b.clone(),
                }),
                _ => {}
            }
        }
        out
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
                self.maturity = m;
                self.refresh();
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

    fn on_chain(&mut self, cmd: Command) -> Result<(), Refusal> {
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

    /// Skills in the chain with a hard dependency on `id`.
    fn needed_by(&self, id: &str) -> Vec<String> {
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
                    Some(e) => e
                        .reasons
                        .iter()
                        .map(Reason::describe)
                        .collect::<Vec<_>>()
                        .join("; "),
                    None => match self.detection.scores.iter().find(|x| x.id == s.id) {
                        Some(sc) if sc.excluded_by.is_some() => format!(
                            "excluded by \"{}\"",
                            sc.excluded_by.clone().unwrap_or_default()
                        ),
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

    fn on_customize(&mut self, cmd: Command) -> Result<(), Refusal> {
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
                self.chain = chain;
                self.rebuild_steps();
                Ok(())
            }
            Command::FinishCustomize | Command::Back => {
                self.screen = Screen::Chain;
                Ok(())
            }
            other => Err(not_here(&other, "the customize screen")),
        }
    }

    fn on_question(&mut self, cmd: Command, pos: (usize, usize)) -> Result<(), Refusal> {
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

    fn store(&mut self, pos: (usize, usize), key: QKey, v: AnswerValue) {
        let before = self.resolved.clone();
        self.skipped_steps.remove(&key.step);
        self.put(key, v, Provenance::new(Source::Typed));
        self.refresh();
        self.changes = Self::diff_after(&before, &self.resolved, pos);
        let next = self.next_after(pos, self.return_to_review);
        self.go_to(next);
    }

    /// Records an explicit answer; the caller refreshes.
    fn put(&mut self, key: QKey, value: AnswerValue, provenance: Provenance) {
        self.visited.insert(key.clone());
        self.answers.insert(key, Answer { value, provenance });
    }

    /// Marks every applicable unvisited question as taking its default.
    fn take_remaining_defaults(&mut self) {
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

    fn on_review(&mut self, cmd: Command) -> Result<(), Refusal> {
        match cmd {
            Command::Edit(key) => match self.position_of(&key) {
                Some((step, question))
                    if self.resolved.iter().any(|r| r.key == key && r.applicable) =>
                {
                    self.return_to_review = true;
                    self.changes.clear();
                    self.screen = Screen::Question { step, question };
                    Ok(())
                }
                Some(_) => Err(Refusal(format!(
                    "{key} does not apply with the current answers"
                ))),
                None => Err(Refusal(format!("{key} is not a question of this chain"))),
            },
            Command::Resolve {
                conflict,
                resolution,
            } => self.resolve_conflict(&conflict, &resolution, Source::ConflictResolution),
            Command::Proceed => {
                let open: Vec<String> = self
                    .conflicts()
                    .into_iter()
                    .filter(|c| c.chosen.is_none())
                    .map(|c| c.id)
                    .collect();
                if !open.is_empty() {
                    return Err(Refusal(format!(
                        "resolve or accept the conflict{} first: {}",
                        if open.len() == 1 { "" } else { "s" },
                        open.join(", ")
                    )));
                }
                self.screen = Screen::Tree;
                Ok(())
            }
            Command::Back => {
                let last = self.applicable().last().map(|r| (r.step, r.question));
                self.screen = match last {
                    Some((step, question)) => Screen::Question { step, question },
                    None => Screen::Chain,
                };
                Ok(())
            }
            other => Err(not_here(&other, "the review")),
        }
    }

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

    pub fn estimated_minutes(&self) -> u32 {
        self.chain
            .iter()
            .filter_map(|e| self.pack.skill(&e.id))
            .map(|s| s.estimated_minutes)
            .sum()
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

    pub fn question(&self, key: &QKey) -> Option<&Question> {
        self.steps
            .iter()
            .find(|s| s.key == key.step)
            .and_then(|s| s.questions.iter().find(|q| q.id == key.question))
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
        let resolved = self.compute().resolved;
        for key in given {
            if resolved.iter().any(|r| r.key == key && !r.applicable) {
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
        self.refresh();
        problems
    }

    pub fn chosen_resolutions(&self) -> &BTreeMap<String, String> {
        &self.chosen_resolutions
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

/// What [`Session::compute`] decides from the answers so far.
struct Computed {
    resolved: Vec<Resolved>,
    scope: Scope,
    eval_errors: Vec<String>,
    load_errors: Vec<(QKey, String)>,
}

fn not_here(cmd: &Command, place: &str) -> Refusal {
    Refusal(format!("{cmd:?} does nothing on {place}"))
}

#[cfg(test)]
mod tests;
