//! The pack data model: what a pack author writes in YAML, as Rust types.
//!
//! Every struct denies unknown fields so a typo in a pack is an error with a
//! suggestion instead of a silently ignored setting.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::pack::lazy::Lazy;
use crate::value::AnswerValue;

/// `pack.yaml`: identity, domain triggers and cross-skill rules of a pack.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub version: String,
    /// Default name of the folder the generated tree is written to.
    pub output_root: String,
    /// Domain phrases and their weight: evidence for this pack, weighed against
    /// every other pack that knows the same phrase.
    #[serde(default, deserialize_with = "crate::pack::words::text_keys")]
    pub triggers: BTreeMap<String, u32>,
    /// Abbreviations and other spellings → the words detection reads instead
    /// (`tbl: table`, `scd2: slowly changing dimension type 2`).
    #[serde(default, deserialize_with = "crate::pack::words::text_map")]
    pub synonyms: BTreeMap<String, String>,
    /// Goals that detect this pack; shown when a goal matches nothing.
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub conflicts: Vec<ConflictRule>,
    /// Globs of output paths that the project's own tool reads as Jinja
    /// templates (bigquery-etl renders its `sql/**/*.sql`), so printed
    /// answers are escaped for Jinja there too. Matched against output
    /// paths and against the names of included templates without `.j2`.
    /// dbt projects are found by their `dbt_project.yml` and need no entry.
    #[serde(default)]
    pub jinja_files: Vec<String>,
    /// What the pack makes anew: a goal that asks for a new one by noun or
    /// by name ("create telemetry_derived.crashes_v1", "a new table of
    /// installs per country") asks every skill it is made with.
    #[serde(default)]
    pub makes: Option<Makes>,
}

/// `makes:` of `pack.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Makes {
    /// One-word nouns of the thing (`table`, `aggregate`).
    #[serde(deserialize_with = "crate::pack::words::text_list")]
    pub nouns: Vec<String>,
    /// The skills every new one is made with.
    pub skills: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Foundation,
    Component,
    Integration,
    Assembly,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Foundation => "foundation",
            Tier::Component => "component",
            Tier::Integration => "integration",
            Tier::Assembly => "assembly",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Keywords {
    #[serde(default, deserialize_with = "crate::pack::words::text_list")]
    pub primary: Vec<String>,
    #[serde(default, deserialize_with = "crate::pack::words::text_list")]
    pub secondary: Vec<String>,
    #[serde(default, deserialize_with = "crate::pack::words::text_list")]
    pub exclusions: Vec<String>,
    #[serde(default, deserialize_with = "crate::pack::words::text_list")]
    pub requires_any: Vec<String>,
    /// Primary keywords that also name where data sits ("silver"): after
    /// "in", "on", "into", "between" they place other work ("mask emails
    /// in silver") and ask nothing of this skill.
    #[serde(default, deserialize_with = "crate::pack::words::text_list")]
    pub places: Vec<String>,
    /// Words too general to ask for this skill ("pipeline") that, ruled
    /// out or said to exist ("no pipeline yet", "the pipeline code is
    /// fine"), settle it: it is not asked.
    #[serde(default, deserialize_with = "crate::pack::words::text_list")]
    pub settled_by: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dependencies {
    /// Must be in the chain and run before this skill.
    #[serde(default)]
    pub hard: Vec<String>,
    /// Used when present in the chain (runs before this skill), never pulled in.
    #[serde(default)]
    pub soft: Vec<String>,
}

/// `skills/<id>.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Skill {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub tier: Tier,
    /// Lower runs earlier among skills of the same tier.
    #[serde(default = "default_priority")]
    pub priority: i32,
    #[serde(default)]
    pub required: bool,
    /// For a required root foundation skill: a narrow goal still asks it.
    /// `false` for one that sets up what a running project already has (its
    /// storage and skeleton): a narrow goal that makes nothing new and only
    /// moves the credentials of the systems it names, or adds integration
    /// work to a pipeline that runs, leaves it out.
    #[serde(default = "yes")]
    pub frames_every_goal: bool,
    /// The skill's work looks at what the others make (a review, a search
    /// of the documentation): in a goal that asks only it and the frame,
    /// the other skills' secondary words name what it looks at.
    #[serde(default)]
    pub examines: bool,
    #[serde(default)]
    pub keywords: Keywords,
    #[serde(default)]
    pub dependencies: Dependencies,
    #[serde(default)]
    pub estimated_minutes: u32,
    /// Lazy: `detect` reads no question, output or check (see `lazy.rs`).
    #[serde(default)]
    pub questions: Lazy<Vec<Question>>,
    #[serde(default)]
    pub outputs: Lazy<Vec<Output>>,
    /// Content checks on this skill's outputs, used when no blueprint is chosen.
    #[serde(default)]
    pub checks: Lazy<Vec<ContentCheck>>,
}

fn yes() -> bool {
    true
}

fn default_priority() -> i32 {
    50
}

impl Skill {
    /// The name under which this skill's answers appear in expressions and templates.
    pub fn key(&self) -> String {
        skill_key(&self.id)
    }
}

/// `streaming-data` becomes `streaming_data`: ids may hold dashes, expressions may not.
pub fn skill_key(id: &str) -> String {
    id.replace('-', "_")
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    Choice,
    MultiChoice,
    Text,
    Multiline,
    Bool,
    Integer,
    Number,
    Path,
    Secret,
}

impl QuestionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Choice => "choice",
            QuestionKind::MultiChoice => "multi-choice",
            QuestionKind::Text => "text",
            QuestionKind::Multiline => "multiline",
            QuestionKind::Bool => "bool",
            QuestionKind::Integer => "integer",
            QuestionKind::Number => "number",
            QuestionKind::Path => "path",
            QuestionKind::Secret => "secret",
        }
    }

    pub fn has_options(self) -> bool {
        matches!(self, QuestionKind::Choice | QuestionKind::MultiChoice)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable id, used in answers files and as `<skill_key>.<id>` in expressions.
    pub id: String,
    pub prompt: String,
    /// Why this matters.
    #[serde(default)]
    pub help: String,
    pub kind: QuestionKind,
    #[serde(default)]
    pub options: Vec<Choice>,
    #[serde(default)]
    pub default: Option<AnswerValue>,
    /// Tried in order; the first that applies sets the default.
    #[serde(default)]
    pub smart_defaults: Vec<SmartDefault>,
    /// Condition over earlier answers and the goal; the question is asked only when true.
    #[serde(default)]
    pub when: Option<String>,
    #[serde(default)]
    pub validate: Validation,
    /// Path questions only: read the answered file(s) and offer the parsed
    /// content to templates as `loaded.<skill_key>.<question>`.
    #[serde(default)]
    pub load: Option<Load>,
}

/// How a path answer is loaded (see `crate::load`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(deny_unknown_fields)]
pub struct Load {
    pub format: LoadFormat,
    /// When set, the answer is a folder and these files inside it are
    /// loaded (templates see a map file name → content); otherwise the
    /// answer is the file itself.
    #[serde(default)]
    pub files: Vec<String>,
    /// What to do when a file is missing, appended to "file not found: …".
    #[serde(default)]
    pub hint: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum LoadFormat {
    Json,
    Yaml,
    Text,
}

impl LoadFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            LoadFormat::Json => "JSON",
            LoadFormat::Yaml => "YAML",
            LoadFormat::Text => "text",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub help: String,
}

impl Choice {
    pub fn label(&self) -> &str {
        if self.label.is_empty() {
            &self.value
        } else {
            &self.label
        }
    }
}

/// A default that depends on the goal's words (`goal`) or on earlier answers (`when`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SmartDefault {
    /// Applies when any of these phrases is in the goal.
    #[serde(default)]
    pub goal: Vec<String>,
    /// Applies when this expression over earlier answers is true.
    #[serde(default)]
    pub when: Option<String>,
    pub value: AnswerValue,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Validation {
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub regex: Option<String>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub min_length: Option<usize>,
    #[serde(default)]
    pub max_length: Option<usize>,
    /// Shown instead of the generic message when `regex` does not match.
    #[serde(default)]
    pub message: Option<String>,
}

/// One generated file: a template and the (templated) path it renders to.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Output {
    /// Path under the pack's `templates/` folder.
    pub template: String,
    /// Path under the output folder; a minijinja template.
    pub path: String,
    #[serde(default)]
    pub when: Option<String>,
    /// Skills whose own files need this one (a module they import): while
    /// one of them writes its files, this file is written even when its
    /// skill only gives its answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared_with: Vec<String>,
}

/// A regex that must match in at least one file matched by the glob `path`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ContentCheck {
    pub path: String,
    pub pattern: String,
    #[serde(default)]
    pub description: String,
    /// Expression over the answers; the check applies only while it holds
    /// (an alert rule is demanded only when the answers ask for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

#[derive(
    Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[serde(rename_all = "lowercase")]
pub enum Maturity {
    Starter,
    #[default]
    Intermediate,
    Advanced,
}

impl Maturity {
    pub const ALL: [Maturity; 3] = [
        Maturity::Starter,
        Maturity::Intermediate,
        Maturity::Advanced,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Maturity::Starter => "starter",
            Maturity::Intermediate => "intermediate",
            Maturity::Advanced => "advanced",
        }
    }
}

impl std::str::FromStr for Maturity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "starter" => Ok(Maturity::Starter),
            "intermediate" => Ok(Maturity::Intermediate),
            "advanced" => Ok(Maturity::Advanced),
            other => Err(format!(
                "unknown maturity `{other}`: expected starter, intermediate or advanced"
            )),
        }
    }
}

/// `blueprints/<id>.yaml`: a known shape of project with presets and promised deliverables.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Blueprint {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Phrases and weights; confidence = hit weight / `full_confidence` (capped at 100%).
    #[serde(deserialize_with = "crate::pack::words::text_keys")]
    pub triggers: BTreeMap<String, u32>,
    /// Hit weight that means 100% confidence; defaults to the sum of all trigger weights.
    #[serde(default)]
    pub full_confidence: Option<u32>,
    /// The chain this blueprint proposes (dependencies are added).
    pub skills: Vec<String>,
    /// Quick questions asked first, visible as `blueprint.<id>` in expressions.
    /// Lazy, as are the presets and deliverables: detection reads none of them.
    #[serde(default)]
    pub questions: Lazy<Vec<Question>>,
    /// `skill-id.question-id` → value, used as defaults with provenance "blueprint".
    #[serde(default)]
    pub presets: Lazy<BTreeMap<String, AnswerValue>>,
    #[serde(default)]
    pub deliverables: Lazy<Vec<Deliverable>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Deliverable {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The skill that produces it (and that "generate missing" would re-run).
    pub skill: String,
    /// Globs relative to the output folder; each must match a non-empty file.
    pub files: Vec<String>,
    #[serde(default)]
    pub checks: Vec<ContentCheck>,
    /// Maturity levels that require this deliverable; all levels when empty.
    #[serde(default)]
    pub maturity: Vec<Maturity>,
    /// Answers that make it required at every maturity ("load tests: yes").
    #[serde(default)]
    pub required_when: Vec<DeliverableCondition>,
    /// Answers that rule it out at every maturity; these win over
    /// `required_when` (an answer that rules a file out is never asked for it).
    #[serde(default)]
    pub skipped_when: Vec<DeliverableCondition>,
}

/// An expression over the answers deciding a deliverable's requirement, with
/// the reason the report shows when it holds.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverableCondition {
    pub when: String,
    pub reason: String,
}

impl Deliverable {
    pub fn required_at(&self, m: Maturity) -> bool {
        self.maturity.is_empty() || self.maturity.contains(&m)
    }
}

/// A cross-skill rule: when `when` holds, the user must pick one of the resolutions.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConflictRule {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub message: String,
    pub when: String,
    pub resolutions: Vec<Resolution>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    pub id: String,
    pub label: String,
    /// `skill-id.question-id` → value; empty means "accept as is".
    #[serde(default)]
    pub set: BTreeMap<String, AnswerValue>,
}

/// A fully loaded pack.
#[derive(Debug, Clone)]
pub struct Pack {
    pub manifest: Manifest,
    /// In file-name order.
    pub skills: Vec<Skill>,
    pub blueprints: Vec<Blueprint>,
    /// Template path (relative to `templates/`) → source.
    pub templates: Templates,
    /// Where the pack came from: `bundled` or a folder path.
    pub origin: String,
    /// How it got here (bundled, a folder, or installed with its pin).
    pub source: PackSource,
    /// Skill id → position in `skills`, built on first lookup (packs can
    /// hold thousands of skills; detection looks them up constantly).
    pub(crate) by_id: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
    /// Normalised keywords for detection, built on first use; shared by
    /// clones (a journey clones its pack, and the index is most of a pack).
    pub(crate) detect_index: std::sync::OnceLock<std::sync::Arc<crate::detect::PackIndex>>,
}

/// A pack's templates: path (relative to `templates/`) → source. Bundled
/// packs read theirs from the binary on first use, so a command that never
/// renders (`detect`, or `run` for the other packs) never copies them.
#[derive(Clone, Default)]
pub struct Templates {
    map: std::sync::OnceLock<BTreeMap<String, String>>,
    /// Fills `map` on first use: a function and its argument.
    load: Option<(LoadTemplates, String)>,
}

/// Reads a pack's templates (see [`Templates::lazy`]).
pub(crate) type LoadTemplates = fn(&str) -> BTreeMap<String, String>;

impl Templates {
    /// Templates that `load(arg)` reads when they are first needed.
    pub(crate) fn lazy(load: LoadTemplates, arg: String) -> Templates {
        Templates {
            map: std::sync::OnceLock::new(),
            load: Some((load, arg)),
        }
    }

    /// True once the templates have been read (tests check laziness).
    #[cfg(test)]
    pub(crate) fn loaded(&self) -> bool {
        self.map.get().is_some()
    }
}

impl From<BTreeMap<String, String>> for Templates {
    fn from(map: BTreeMap<String, String>) -> Templates {
        Templates {
            map: std::sync::OnceLock::from(map),
            load: None,
        }
    }
}

impl std::ops::Deref for Templates {
    type Target = BTreeMap<String, String>;
    fn deref(&self) -> &BTreeMap<String, String> {
        self.map.get_or_init(|| match &self.load {
            Some((load, arg)) => load(arg),
            None => BTreeMap::new(),
        })
    }
}

impl<'a> IntoIterator for &'a Templates {
    type Item = (&'a String, &'a String);
    type IntoIter = std::collections::btree_map::Iter<'a, String, String>;
    fn into_iter(self) -> Self::IntoIter {
        (**self).iter()
    }
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// How a loaded pack got here, for `pack list` and the app's pack picker.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PackSource {
    /// Compiled into the binary.
    #[default]
    Bundled,
    /// A folder: the config dir's `skillchains/` or `--skillchains DIR`
    /// (the pack's `origin` is the path).
    Folder,
    /// Installed by `skillchain pack add`, pinned in `packs.lock`.
    Installed {
        /// The https:// URL or local path it came from.
        url: String,
        sha256: String,
        version: String,
        installed_at: String,
    },
}

impl PackSource {
    /// One line for lists and the pack picker: `bundled`, `folder`, or
    /// `installed from <url> (sha256 <first 12>)`.
    pub fn describe(&self) -> String {
        match self {
            PackSource::Bundled => "bundled".to_string(),
            PackSource::Folder => "folder".to_string(),
            PackSource::Installed { url, sha256, .. } => {
                let short: String = sha256.chars().take(12).collect();
                format!("installed from {url} (sha256 {short})")
            }
        }
    }
}

impl Pack {
    pub fn id(&self) -> &str {
        &self.manifest.id
    }

    pub fn skill(&self, id: &str) -> Option<&Skill> {
        self.skill_index(id).map(|i| &self.skills[i])
    }

    pub fn skill_index(&self, id: &str) -> Option<usize> {
        self.by_id
            .get_or_init(|| {
                let mut map = std::collections::HashMap::with_capacity(self.skills.len());
                for (i, s) in self.skills.iter().enumerate() {
                    // The first of duplicate ids wins, as lint reports.
                    map.entry(s.id.clone()).or_insert(i);
                }
                map
            })
            .get(id)
            .copied()
    }

    /// The pack's detection index, built once.
    pub fn detect_index(&self) -> &crate::detect::PackIndex {
        self.detect_index
            .get_or_init(|| std::sync::Arc::new(crate::detect::PackIndex::new(self)))
    }

    pub fn blueprint(&self, id: &str) -> Option<&Blueprint> {
        self.blueprints.iter().find(|b| b.id == id)
    }
}
