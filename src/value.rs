//! Answer values and their validation per question kind.
//!
//! The same checks serve typed input in the app, answers files and presets, so
//! an answer accepted in one place is accepted everywhere.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::pack::{Question, QuestionKind};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnswerValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    List(Vec<String>),
}

impl fmt::Display for AnswerValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerValue::Bool(b) => write!(f, "{}", if *b { "yes" } else { "no" }),
            AnswerValue::Int(i) => write!(f, "{i}"),
            AnswerValue::Float(x) => write!(f, "{x}"),
            AnswerValue::Text(s) => f.write_str(s),
            AnswerValue::List(items) => f.write_str(&items.join(", ")),
        }
    }
}

impl AnswerValue {
    pub fn to_jinja(&self) -> minijinja::Value {
        match self {
            AnswerValue::Bool(b) => minijinja::Value::from(*b),
            AnswerValue::Int(i) => minijinja::Value::from(*i),
            AnswerValue::Float(x) => minijinja::Value::from(*x),
            AnswerValue::Text(s) => minijinja::Value::from(s.as_str()),
            AnswerValue::List(items) => minijinja::Value::from(items.clone()),
        }
    }

    /// The empty value of a kind: what an unanswered optional question holds.
    pub fn empty_for(kind: QuestionKind) -> AnswerValue {
        match kind {
            QuestionKind::Bool => AnswerValue::Bool(false),
            QuestionKind::MultiChoice => AnswerValue::List(Vec::new()),
            _ => AnswerValue::Text(String::new()),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            AnswerValue::Text(s) => s.trim().is_empty(),
            AnswerValue::List(items) => items.is_empty(),
            _ => false,
        }
    }
}

/// What a question of this kind expects, phrased for error messages.
pub fn expectation(q: &Question) -> String {
    match q.kind {
        QuestionKind::Choice => format!("one of: {}", option_values(q)),
        QuestionKind::MultiChoice => {
            format!("zero or more of: {} (comma-separated)", option_values(q))
        }
        QuestionKind::Bool => "yes or no".to_string(),
        QuestionKind::Integer => with_range("a whole number", q),
        QuestionKind::Number => with_range("a number", q),
        QuestionKind::Path => "a relative or absolute path".to_string(),
        QuestionKind::Text | QuestionKind::Multiline | QuestionKind::Secret => "text".to_string(),
    }
}

fn option_values(q: &Question) -> String {
    q.options
        .iter()
        .map(|o| o.value.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn with_range(base: &str, q: &Question) -> String {
    match (q.validate.min, q.validate.max) {
        (Some(lo), Some(hi)) => format!("{base} from {lo} to {hi}"),
        (Some(lo), None) => format!("{base} of at least {lo}"),
        (None, Some(hi)) => format!("{base} of at most {hi}"),
        (None, None) => base.to_string(),
    }
}

/// Parses what a person typed for `q`. Choices accept the value, the label
/// (any case) or the 1-based number shown next to it.
pub fn parse_input(q: &Question, input: &str) -> Result<AnswerValue, String> {
    let text = if q.kind == QuestionKind::Multiline {
        input.trim_end().to_string()
    } else {
        input.trim().to_string()
    };
    let value = match q.kind {
        QuestionKind::Choice => AnswerValue::Text(resolve_choice(q, &text)?),
        QuestionKind::MultiChoice => {
            let mut picked = Vec::new();
            for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let v = resolve_choice(q, part)?;
                if !picked.contains(&v) {
                    picked.push(v);
                }
            }
            AnswerValue::List(picked)
        }
        QuestionKind::Bool => match text.to_ascii_lowercase().as_str() {
            "y" | "yes" | "true" | "on" | "1" => AnswerValue::Bool(true),
            "n" | "no" | "false" | "off" | "0" => AnswerValue::Bool(false),
            _ => return Err(format!("`{text}` is not yes or no")),
        },
        QuestionKind::Integer => match text.parse::<i64>() {
            Ok(i) => AnswerValue::Int(i),
            Err(_) => return Err(format!("`{text}` is not {}", expectation(q))),
        },
        QuestionKind::Number => match text.parse::<f64>() {
            Ok(x) if x.is_finite() => AnswerValue::Float(x),
            _ => return Err(format!("`{text}` is not {}", expectation(q))),
        },
        _ => AnswerValue::Text(text),
    };
    check_value(q, &value)
}

fn resolve_choice(q: &Question, text: &str) -> Result<String, String> {
    if let Some(o) = q.options.iter().find(|o| o.value == text) {
        return Ok(o.value.clone());
    }
    if let Some(o) = q
        .options
        .iter()
        .find(|o| o.value.eq_ignore_ascii_case(text) || o.label().eq_ignore_ascii_case(text))
    {
        return Ok(o.value.clone());
    }
    if let Ok(n) = text.parse::<usize>() {
        if n >= 1 && n <= q.options.len() {
            return Ok(q.options[n - 1].value.clone());
        }
    }
    let mut msg = format!("`{text}` is not {}", expectation(q));
    msg.push_str(&crate::suggest::hint(
        text,
        q.options.iter().map(|o| o.value.as_str()),
    ));
    Err(msg)
}

/// Checks (and normalises to the kind's shape) a value that did not come from
/// typing: an answers file, a preset, a default.
pub fn check_value(q: &Question, value: &AnswerValue) -> Result<AnswerValue, String> {
    let v = coerce(q, value)?;
    let rules = &q.validate;
    if v.is_empty() {
        if rules.required {
            return Err(format!("an answer is required: {}", expectation(q)));
        }
        return Ok(v);
    }
    match (&v, q.kind) {
        (AnswerValue::Text(s), QuestionKind::Choice)
            if !q.options.iter().any(|o| &o.value == s) =>
        {
            return Err(format!("`{s}` is not {}", expectation(q)));
        }
        (AnswerValue::Text(_), QuestionKind::Choice) => {}
        (AnswerValue::List(items), QuestionKind::MultiChoice) => {
            for s in items {
                if !q.options.iter().any(|o| &o.value == s) {
                    return Err(format!("`{s}` is not {}", expectation(q)));
                }
            }
        }
        (AnswerValue::Int(i), _) => check_range(q, *i as f64)?,
        (AnswerValue::Float(x), _) => check_range(q, *x)?,
        (AnswerValue::Text(s), _) => {
            let len = s.chars().count();
            if let Some(min) = rules.min_length {
                if len < min {
                    return Err(format!(
                        "must be at least {min} characters long (got {len})"
                    ));
                }
            }
            if let Some(max) = rules.max_length {
                if len > max {
                    return Err(format!("must be at most {max} characters long (got {len})"));
                }
            }
            if q.kind == QuestionKind::Path && s.contains('\0') {
                return Err("a path cannot contain a NUL character".to_string());
            }
            if let Some(pattern) = &rules.regex {
                let ok = regex::Regex::new(pattern)
                    .map(|re| re.is_match(s))
                    .unwrap_or(false);
                if !ok {
                    return Err(rules
                        .message
                        .clone()
                        .unwrap_or_else(|| format!("`{s}` must match the pattern {pattern}")));
                }
            }
        }
        _ => {}
    }
    Ok(v)
}

fn check_range(q: &Question, x: f64) -> Result<(), String> {
    let below = q.validate.min.is_some_and(|lo| x < lo);
    let above = q.validate.max.is_some_and(|hi| x > hi);
    if below || above {
        return Err(format!("{x} is not {}", expectation(q)));
    }
    Ok(())
}

/// Brings a value into the shape of the kind (a YAML `8` for a text question
/// is the text "8"), or says why it cannot be.
fn coerce(q: &Question, value: &AnswerValue) -> Result<AnswerValue, String> {
    let wrong = || {
        Err(format!(
            "`{value}` is a {} but {} expects {}",
            shape(value),
            q.kind.as_str(),
            expectation(q)
        ))
    };
    Ok(match (q.kind, value) {
        (QuestionKind::Bool, AnswerValue::Bool(b)) => AnswerValue::Bool(*b),
        (QuestionKind::Bool, AnswerValue::Text(s)) => return parse_input(q, s),
        (QuestionKind::Bool, _) => return wrong(),
        (QuestionKind::Integer, AnswerValue::Int(i)) => AnswerValue::Int(*i),
        (QuestionKind::Integer, AnswerValue::Float(x)) if x.fract() == 0.0 => {
            AnswerValue::Int(*x as i64)
        }
        (QuestionKind::Integer, AnswerValue::Text(s)) => return parse_input(q, s),
        (QuestionKind::Integer, _) => return wrong(),
        (QuestionKind::Number, AnswerValue::Int(i)) => AnswerValue::Float(*i as f64),
        (QuestionKind::Number, AnswerValue::Float(x)) => AnswerValue::Float(*x),
        (QuestionKind::Number, AnswerValue::Text(s)) => return parse_input(q, s),
        (QuestionKind::Number, _) => return wrong(),
        (QuestionKind::MultiChoice, AnswerValue::List(items)) => AnswerValue::List(items.clone()),
        (QuestionKind::MultiChoice, AnswerValue::Text(s)) if s.trim().is_empty() => {
            AnswerValue::List(Vec::new())
        }
        (QuestionKind::MultiChoice, AnswerValue::Text(s)) => AnswerValue::List(vec![s.clone()]),
        (QuestionKind::MultiChoice, _) => return wrong(),
        (_, AnswerValue::List(_)) => return wrong(),
        (_, AnswerValue::Text(s)) => AnswerValue::Text(s.clone()),
        (_, other) => AnswerValue::Text(other.to_string_plain()),
    })
}

fn shape(v: &AnswerValue) -> &'static str {
    match v {
        AnswerValue::Bool(_) => "boolean",
        AnswerValue::Int(_) => "whole number",
        AnswerValue::Float(_) => "number",
        AnswerValue::Text(_) => "text",
        AnswerValue::List(_) => "list",
    }
}

impl AnswerValue {
    /// Scalar as it would be written in YAML (`true`, not `yes`).
    fn to_string_plain(&self) -> String {
        match self {
            AnswerValue::Bool(b) => b.to_string(),
            other => other.to_string(),
        }
    }
}
