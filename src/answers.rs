//! The answers file: `.skillchain/answers.yaml`, written after every run and
//! read by `run --answers`. It records every applicable answer with its
//! provenance (never a secret), so a replay produces the same files.

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

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
    /// Skills of `skills` there only for their answers: their files are
    /// not written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers_only: Vec<String>,
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
#[derive(Debug, Clone, Serialize, PartialEq)]
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

/// What an answer in the file may be, for messages.
const ANSWER_SHAPES: &str =
    "text, a number, true/false, a list of texts, or a map with `value:` and `source:`";

/// Read by hand instead of as an untagged enum, so a wrong answer says
/// what is wrong with it (serde says only "did not match any variant").
impl<'de> Deserialize<'de> for FileAnswer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FileAnswer, D::Error> {
        d.deserialize_any(AnswerVisitor { recorded: true })
            .map(|a| a.0)
    }
}

/// An answer (with `recorded`, also a `{value, source, detail}` map).
struct AnswerVisitor {
    recorded: bool,
}

struct Visited(FileAnswer);

fn plain(v: AnswerValue) -> Visited {
    Visited(FileAnswer::Plain(v))
}

impl<'de> Visitor<'de> for AnswerVisitor {
    type Value = Visited;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.recorded {
            f.write_str(ANSWER_SHAPES)
        } else {
            f.write_str("text, a number, true/false or a list of texts")
        }
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Visited, E> {
        Ok(plain(AnswerValue::Bool(b)))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Visited, E> {
        Ok(plain(AnswerValue::Int(i)))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Visited, E> {
        Ok(plain(match i64::try_from(u) {
            Ok(i) => AnswerValue::Int(i),
            Err(_) => AnswerValue::Float(u as f64),
        }))
    }

    fn visit_f64<E: de::Error>(self, x: f64) -> Result<Visited, E> {
        Ok(plain(AnswerValue::Float(x)))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Visited, E> {
        Ok(plain(AnswerValue::Text(s.to_string())))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Visited, E> {
        Ok(plain(AnswerValue::Text(s)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Visited, E> {
        Err(E::custom(
            "has no value: give one, or remove the line so the question takes its default",
        ))
    }

    fn visit_none<E: de::Error>(self) -> Result<Visited, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Visited, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<ListItem>()? {
            items.push(item.0);
        }
        Ok(plain(AnswerValue::List(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Visited, A::Error> {
        const KEYS: &[&str] = &["value", "source", "detail"];
        if !self.recorded {
            return Err(de::Error::custom(
                "is a map, but a value is text, a number, true/false or a list of texts",
            ));
        }
        let mut value = None;
        let mut source = None;
        let mut detail = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "value" => value = Some(map.next_value::<ValueOnly>()?.0),
                "source" => source = Some(map.next_value::<Source>()?),
                "detail" => detail = map.next_value::<Option<String>>()?,
                other => {
                    return Err(de::Error::custom(format!(
                        "unknown key `{}`{}; an answer written as a map has the keys value, source and detail (or write the answer itself: `question: text`)",
                        crate::limits::shown(other),
                        crate::suggest::hint(other, KEYS.iter().copied())
                    )))
                }
            }
        }
        let Some(value) = value else {
            return Err(de::Error::custom(
                "is a map without `value:`; write the answer itself (`question: text`) or as `{value: …, source: answers-file}`",
            ));
        };
        Ok(Visited(FileAnswer::Recorded {
            value,
            source: source.unwrap_or(Source::AnswersFile),
            detail,
        }))
    }
}

/// The `value:` of a recorded answer: an answer, not a map.
struct ValueOnly(AnswerValue);

impl<'de> Deserialize<'de> for ValueOnly {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ValueOnly, D::Error> {
        let v = d.deserialize_any(AnswerVisitor { recorded: false })?;
        Ok(ValueOnly(v.0.value().clone()))
    }
}

/// Skill → question → value maps (preferences), read with the same
/// messages as answers.
pub(crate) fn de_value_maps<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, BTreeMap<String, AnswerValue>>, D::Error> {
    let maps = BTreeMap::<String, BTreeMap<String, ValueOnly>>::deserialize(d)?;
    Ok(maps
        .into_iter()
        .map(|(skill, qs)| (skill, qs.into_iter().map(|(q, v)| (q, v.0)).collect()))
        .collect())
}

/// One item of a list answer: any scalar, as text.
struct ListItem(String);

impl<'de> Deserialize<'de> for ListItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ListItem, D::Error> {
        struct Item;
        impl<'de> Visitor<'de> for Item {
            type Value = ListItem;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("text")
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<ListItem, E> {
                Ok(ListItem(b.to_string()))
            }
            fn visit_i64<E: de::Error>(self, i: i64) -> Result<ListItem, E> {
                Ok(ListItem(i.to_string()))
            }
            fn visit_u64<E: de::Error>(self, u: u64) -> Result<ListItem, E> {
                Ok(ListItem(u.to_string()))
            }
            fn visit_f64<E: de::Error>(self, x: f64) -> Result<ListItem, E> {
                Ok(ListItem(x.to_string()))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<ListItem, E> {
                Ok(ListItem(s.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<ListItem, E> {
                Err(E::custom(
                    "a list answer holds texts, but one item is empty",
                ))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<ListItem, A::Error> {
                Err(de::Error::custom(
                    "a list answer holds texts, like [a, b], but one item is itself a list",
                ))
            }
            fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<ListItem, A::Error> {
                Err(de::Error::custom(
                    "a list answer holds texts, like [a, b], but one item is a map",
                ))
            }
        }
        d.deserialize_any(Item)
    }
}

/// What each key of an answers file holds, in words, for messages.
fn expectation(path: &str) -> Option<String> {
    let depth = path.split('.').count();
    Some(match path {
        "skillchain" => format!("the format version, {FORMAT_VERSION}"),
        "pack" => "a pack id (text)".to_string(),
        "pack_version" => "the pack's version (text)".to_string(),
        "goal" => "the goal, as text".to_string(),
        "blueprint" => "a blueprint id, or null for none".to_string(),
        "maturity" => "one of starter, intermediate, advanced".to_string(),
        "skills" => "a list of skill ids, like [base, stream]".to_string(),
        "answers_only" => "a list of skill ids of `skills` whose files are not written".to_string(),
        "answers" => "a map of skill id → question id → answer".to_string(),
        "resolutions" => "a map of conflict id → resolution id".to_string(),
        p if p.starts_with("answers.") && depth == 2 => "a map of question id → answer".to_string(),
        p if p.starts_with("answers.") && depth == 3 => ANSWER_SHAPES.to_string(),
        p if p.starts_with("resolutions.") => "a resolution id (text)".to_string(),
        p if p.starts_with("skills[") || p.starts_with("answers_only[") => {
            "a skill id (text)".to_string()
        }
        _ => return None,
    })
}

/// Reads and parses the answers file at `path` (a regular file of at most
/// [`crate::limits::ANSWERS_FILE`]).
pub fn read(path: &Path) -> Result<AnswersFile, Problem> {
    let origin = path.display().to_string();
    let text = crate::textfile::read(path, crate::limits::ANSWERS_FILE, "answers files")
        .map_err(|e| match e {
            crate::textfile::ReadError::NotFound { .. } => Problem::new(
                &origin,
                "no such file; `--answers` takes a YAML file such as .skillchain/answers.yaml of an earlier run",
            ),
            other => Problem::new(other.location(), other.message()),
        })?;
    parse(&origin, &text)
}

/// Parses an answers file; errors carry the file, line and column.
pub fn parse(path: &str, text: &str) -> Result<AnswersFile, Problem> {
    let file: AnswersFile = match crate::yamlfile::parse(text, &expectation) {
        Ok(Some(f)) => f,
        Ok(None) => {
            return Err(Problem::new(
                path,
                "the file is empty: an answers file needs at least `skillchain: 1`, `pack:` and `goal:`",
            ))
        }
        Err(p) => return Err(Problem::new(p.location(path), p.message)),
    };
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
        answers_only: session.answers_only_chain(),
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
         # Secrets are never written here: on replay they take their defaults, or give\n\
         # them with --set <skill>.<question>=VALUE.\n{body}"
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
