//! The answers file: `.skillchain/answers.yaml`, written after every run and
//! read by `run --answers`. It records every applicable answer with its
//! provenance (never a secret), so a replay produces the same files.

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

use crate::error::Problem;
use crate::pack::Maturity;
use crate::session::{QKey, Session, Source};
use crate::value::AnswerValue;

pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AnswersFile {
    /// Format version of this file.
    pub skillchain: u32,
    pub pack: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack_version: Option<String>,
    pub goal: String,
    /// Absent: decided by detection. `null`: no blueprint. A name: that blueprint.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub blueprint: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maturity: Option<Maturity>,
    /// The chain, in run order; detection decides when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<String>>,
    /// Step (skill id or `blueprint`) → question id → answer.
    #[serde(default)]
    pub answers: BTreeMap<String, BTreeMap<String, FileAnswer>>,
    /// Conflict id → resolution id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resolutions: BTreeMap<String, String>,
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// A plain value, or a value with the provenance it had when written.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum FileAnswer {
    Recorded {
        value: AnswerValue,
        source: Source,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    Plain(AnswerValue),
}

impl FileAnswer {
    pub fn value(&self) -> &AnswerValue {
        match self {
            FileAnswer::Recorded { value, .. } | FileAnswer::Plain(value) => value,
        }
    }
}

/// Parses an answers file; errors carry the file, line and column.
pub fn parse(path: &str, text: &str) -> Result<AnswersFile, Problem> {
    let file: AnswersFile = serde_yaml::from_str(text).map_err(|e| {
        let loc = match e.location() {
            Some(l) => format!("{path}:{}:{}", l.line(), l.column()),
            None => path.to_string(),
        };
        Problem::new(loc, crate::pack::describe_yaml_error(&e))
    })?;
    if file.skillchain != FORMAT_VERSION {
        return Err(Problem::new(
            path,
            format!(
                "answers file format {} is not supported (this skillchain reads format {FORMAT_VERSION})",
                file.skillchain
            ),
        ));
    }
    Ok(file)
}

/// The answers file describing `session` as it stands.
pub fn from_session(session: &Session) -> AnswersFile {
    let mut answers: BTreeMap<String, BTreeMap<String, FileAnswer>> = BTreeMap::new();
    for r in session.resolved().iter().filter(|r| r.applicable) {
        let Some(q) = session.question(&r.key) else {
            continue;
        };
        if q.kind == crate::pack::QuestionKind::Secret {
            continue;
        }
        let (Some(value), Some(prov)) = (&r.value, &r.provenance) else {
            continue;
        };
        answers.entry(r.key.step.clone()).or_default().insert(
            r.key.question.clone(),
            FileAnswer::Recorded {
                value: value.clone(),
                source: prov.source,
                detail: prov.detail.clone(),
            },
        );
    }
    let resolutions = session.chosen_resolutions().clone();
    AnswersFile {
        skillchain: FORMAT_VERSION,
        pack: session.pack().manifest.id.clone(),
        pack_version: Some(session.pack().manifest.version.clone()),
        goal: session.goal.clone(),
        blueprint: Some(session.blueprint.clone()),
        maturity: Some(session.maturity),
        skills: Some(session.chain.iter().map(|e| e.id.clone()).collect()),
        answers,
        resolutions,
    }
}

/// YAML text of an answers file, with a header saying how to replay it.
pub fn to_yaml(file: &AnswersFile) -> String {
    let body = serde_yaml::to_string(file).unwrap_or_default();
    format!(
        "# skillchain answers: every applicable answer with where it came from.\n\
         # Replay: skillchain run --answers .skillchain/answers.yaml --out <folder>\n\
         # Secrets are never written here; they take their defaults on replay.\n{body}"
    )
}

/// Applies the file's answers to a session as explicit answers; returns every
/// problem (unknown skill or question, invalid value, a condition that does
/// not hold).
pub fn apply(session: &mut Session, file: &AnswersFile, origin: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut bulk = Vec::new();
    let in_chain: Vec<String> = session.steps().iter().map(|s| s.key.clone()).collect();
    for (step, qs) in &file.answers {
        if !in_chain.contains(step) {
            let why = if step == "blueprint" {
                "no blueprint is in use; set `blueprint:` or remove these answers".to_string()
            } else if session.pack().skill(step).is_some() {
                format!("skill `{step}` is not in the chain; add it to `skills:` or remove these answers")
            } else {
                let mut m = format!("`{step}` is not a skill of pack {}", session.pack().id());
                m.push_str(&crate::suggest::hint(
                    step,
                    session.pack().skills.iter().map(|s| s.id.as_str()),
                ));
                m
            };
            problems.push(Problem::new(format!("{origin}: answers.{step}"), why));
            continue;
        }
        for (qid, ans) in qs {
            let key = QKey::new(step, qid);
            bulk.push((key, ans.value().clone()));
        }
    }
    for (key, msg) in session.set_answers(bulk, Source::AnswersFile) {
        problems.push(Problem::new(format!("{origin}: answers.{key}"), msg));
    }
    problems
}
