//! Reading a YAML settings file (answers, preferences, keymap, theme) the
//! way pack files are read: a leading byte-order mark is dropped, broken
//! YAML and a key given twice are refused with the line and column (a
//! repeated key at its second place), and a value of the wrong type says
//! which key, what was expected there and what was found, in words instead
//! of serde's Rust types.

use serde::de::DeserializeOwned;
use std::fmt;

/// One problem in a YAML file, with its place when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlProblem {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl YamlProblem {
    /// `file:line:column` (or just `file`), for a [`crate::error::Problem`] location.
    pub fn location(&self, file: &str) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.to_string(),
        }
    }

    /// `line L, column C: message` for messages that name the file elsewhere.
    pub fn placed(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("line {l}, column {c}: {}", self.message),
            _ => self.message.clone(),
        }
    }
}

impl fmt::Display for YamlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.placed())
    }
}

/// Parses one YAML document into `T`; `None` for an empty document.
/// `expect` says in words what a key (serde's dotted path, `answers.base`)
/// holds, for the wrong-type messages; `None` keeps serde's wording.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    expect: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<T>, YamlProblem> {
    let text = text.strip_prefix(crate::textfile::BOM).unwrap_or(text);
    let doc = match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(doc) => doc,
        Err(e) => return Err(syntax(text, &e)),
    };
    if doc.is_null() {
        return Ok(None);
    }
    serde_yaml::from_str::<T>(text)
        .map(Some)
        .map_err(|e| typed(&e, expect))
}

/// A problem of the YAML itself: broken syntax, or a key given twice.
fn syntax(text: &str, e: &serde_yaml::Error) -> YamlProblem {
    let msg = crate::pack::describe_yaml_error(e);
    let (line, column) = place(e);
    if let Some((path, key)) = msg.split_once("duplicate entry with key ") {
        let path = path.strip_suffix(": ").unwrap_or(path);
        let key = key.trim_matches('"');
        let parent: Vec<&str> = if path.is_empty() {
            Vec::new()
        } else {
            path.split('.').collect()
        };
        let found = key_lines(text, &parent, key);
        let within = if path.is_empty() {
            String::new()
        } else {
            format!(" in `{path}`")
        };
        return match (found.first(), found.get(1)) {
            (Some(first), Some(second)) => YamlProblem {
                line: Some(second.0),
                column: Some(second.1),
                message: format!(
                    "key `{key}` appears twice{within} (first on line {}); keep one",
                    first.0
                ),
            },
            _ => YamlProblem {
                line,
                column,
                message: format!("key `{key}` appears twice{within}; keep one"),
            },
        };
    }
    YamlProblem {
        line,
        column,
        message: format!(
            "not valid YAML: {msg}; check the indentation and quoting on this line and the lines above it"
        ),
    }
}

fn place(e: &serde_yaml::Error) -> (Option<usize>, Option<usize>) {
    match e.location() {
        Some(l) => (Some(l.line()), Some(l.column())),
        None => (None, None),
    }
}

/// A well-formed document with a value of the wrong type or a missing key.
fn typed(e: &serde_yaml::Error, expect: &dyn Fn(&str) -> Option<String>) -> YamlProblem {
    let (line, column) = place(e);
    let msg = crate::pack::describe_yaml_error(e);
    let message = explain(&msg, expect).unwrap_or(msg);
    YamlProblem {
        line,
        column,
        message,
    }
}

/// serde's "path: invalid type: sequence, expected a string" as "`path`
/// must be text; found a list".
fn explain(msg: &str, expect: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    for marker in ["invalid type: ", "invalid value: "] {
        let Some(at) = msg.find(marker) else { continue };
        let path = msg[..at].strip_suffix(": ").unwrap_or("");
        let rest = &msg[at + marker.len()..];
        let (found, expected) = rest.split_once(", expected ")?;
        let wanted = expect(path).unwrap_or_else(|| expected.to_string());
        let key = if path.is_empty() {
            "the file".to_string()
        } else {
            format!("`{path}`")
        };
        return Some(format!(
            "{key} must be {wanted}; found {}",
            found_words(found)
        ));
    }
    if let Some(at) = msg.find("missing field `") {
        let path = msg[..at].strip_suffix(": ").unwrap_or("");
        let field = msg[at + "missing field `".len()..].strip_suffix('`')?;
        let whole = if path.is_empty() {
            field.to_string()
        } else {
            format!("{path}.{field}")
        };
        let what = expect(&whole)
            .map(|w| format!(" ({w})"))
            .unwrap_or_default();
        let within = if path.is_empty() {
            String::new()
        } else {
            format!(" in `{path}`")
        };
        return Some(format!(
            "the required key `{field}`{within} is missing{what}; add `{field}: …`"
        ));
    }
    None
}

/// serde's name of what it found, in words: `string "x"` → "the text `x`".
fn found_words(found: &str) -> String {
    let quoted = |s: &str| {
        s.trim_matches('`')
            .trim_matches('"')
            .replace("\\\"", "\"")
            .to_string()
    };
    if let Some(s) = found.strip_prefix("string ") {
        return format!("the text `{}`", crate::limits::shown(&quoted(s)));
    }
    for (prefix, words) in [
        ("integer ", "the number"),
        ("floating point ", "the number"),
        ("boolean ", ""),
        ("character ", "the text"),
    ] {
        if let Some(v) = found.strip_prefix(prefix) {
            let v = quoted(v);
            return if words.is_empty() {
                format!("`{v}`")
            } else {
                format!("{words} {v}")
            };
        }
    }
    match found {
        "sequence" => "a list".to_string(),
        "map" => "a map".to_string(),
        "unit value" => "nothing (an empty value)".to_string(),
        "string" => "text".to_string(),
        other => other.to_string(),
    }
}

/// Lines and columns (1-based) of every place `key` appears as a key of
/// the block mapping at `parent` (keys from the top), in block-style YAML;
/// empty when the file is written another way (flow style).
pub fn key_lines(text: &str, parent: &[&str], key: &str) -> Vec<(usize, usize)> {
    // (line number, indent, content) of every line holding something.
    let lines: Vec<(usize, usize, &str)> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let content = l.trim_start();
            let indent = l.len() - content.len();
            let skip = content.is_empty()
                || content.starts_with('#')
                || content.starts_with("---")
                || content.starts_with("...");
            (!skip).then_some((i + 1, indent, content))
        })
        .collect();
    // The block: a range of `lines` and the indent of its keys.
    let mut range = 0..lines.len();
    for segment in parent {
        let Some(child_indent) = lines[range.clone()].first().map(|l| l.1) else {
            return Vec::new();
        };
        let Some(at) = range.clone().find(|&i| {
            lines[i].1 == child_indent && key_of(lines[i].2) == Some(segment.to_string())
        }) else {
            return Vec::new();
        };
        let end = (at + 1..range.end)
            .find(|&i| lines[i].1 <= child_indent)
            .unwrap_or(range.end);
        range = at + 1..end;
    }
    let Some(child_indent) = lines[range.clone()].first().map(|l| l.1) else {
        return Vec::new();
    };
    range
        .filter(|&i| lines[i].1 == child_indent && key_of(lines[i].2) == Some(key.to_string()))
        .map(|i| (lines[i].0, lines[i].1 + 1))
        .collect()
}

/// The key a line of a block mapping starts with (`name: x` → `name`,
/// `"a b": x` → `a b`).
fn key_of(content: &str) -> Option<String> {
    if let Some(rest) = content.strip_prefix('"') {
        let end = rest.find('"')?;
        return rest[end + 1..]
            .starts_with(':')
            .then(|| rest[..end].to_string());
    }
    if let Some(rest) = content.strip_prefix('\'') {
        let end = rest.find('\'')?;
        return rest[end + 1..]
            .starts_with(':')
            .then(|| rest[..end].to_string());
    }
    let colon = content
        .find(": ")
        .or_else(|| content.ends_with(':').then(|| content.len() - 1))?;
    Some(content[..colon].trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    type Doc = BTreeMap<String, BTreeMap<String, String>>;

    fn none(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn a_repeated_key_is_placed_at_its_second_appearance() {
        let text = "a:\n  x: 1\n  # note\n  y: 2\n  x: 3\nb:\n  x: 4\n";
        let e = parse::<Doc>(text, &none).expect_err("twice");
        assert_eq!(
            e.placed(),
            "line 5, column 3: key `x` appears twice in `a` (first on line 2); keep one"
        );
        let e = parse::<Doc>("a:\n  x: 1\nb: {}\na:\n  y: 2\n", &none).expect_err("twice");
        assert_eq!(
            e.placed(),
            "line 4, column 1: key `a` appears twice (first on line 1); keep one"
        );
    }

    #[test]
    fn a_bom_is_accepted_and_an_empty_document_is_none() {
        let doc = parse::<Doc>("\u{feff}a:\n  x: '1'\n", &none).expect("parses");
        assert_eq!(doc.expect("a document")["a"]["x"], "1");
        assert_eq!(parse::<Doc>("# nothing\n", &none).expect("parses"), None);
    }

    #[test]
    fn a_wrong_type_names_the_key_the_expectation_and_what_was_found() {
        let expect = |p: &str| (p == "a").then(|| "a map of names to texts".to_string());
        let e = parse::<Doc>("a: [1, 2]\n", &expect).expect_err("a list");
        assert_eq!(
            e.placed(),
            "line 1, column 4: `a` must be a map of names to texts; found a list"
        );
        let e = parse::<Doc>("a:\n  x: [1]\n", &expect).expect_err("a list");
        assert_eq!(
            e.placed(),
            "line 2, column 6: `a.x` must be a string; found a list"
        );
    }
}
