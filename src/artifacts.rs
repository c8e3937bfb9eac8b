//! The shape of the dbt artifacts packs load (`run_results.json`,
//! `manifest.json`), checked when they are loaded, so a file of the wrong
//! shape is refused naming the file and the field instead of failing inside
//! a template ("number is not iterable"). Only the fields templates read
//! are checked, and each only when present: dbt adds fields between
//! versions, and a missing one reads as empty.

use serde_json::Value;
use std::path::Path;

/// What a field must hold.
enum Shape {
    Text,
    Number,
    TextOrNull,
    NumberOrNull,
    /// A map with these fields (each optional); other fields are free.
    Fields(&'static [(&'static str, Shape)]),
    /// A list whose every item has this shape.
    ListOf(&'static Shape),
    /// A map whose every value has this shape.
    MapOf(&'static Shape),
}

const RESULT: Shape = Shape::Fields(&[
    ("unique_id", Shape::Text),
    ("status", Shape::Text),
    ("execution_time", Shape::Number),
    ("message", Shape::TextOrNull),
    ("failures", Shape::NumberOrNull),
]);

const METADATA: Shape =
    Shape::Fields(&[("dbt_version", Shape::Text), ("generated_at", Shape::Text)]);

const RUN_RESULTS: Shape = Shape::Fields(&[
    ("results", Shape::ListOf(&RESULT)),
    ("elapsed_time", Shape::Number),
    ("metadata", METADATA),
]);

const NODE: Shape = Shape::Fields(&[
    ("name", Shape::Text),
    ("resource_type", Shape::Text),
    ("original_file_path", Shape::Text),
]);

const NAMES: Shape = Shape::ListOf(&Shape::Text);

const MANIFEST: Shape = Shape::Fields(&[
    ("nodes", Shape::MapOf(&NODE)),
    ("sources", Shape::MapOf(&NODE)),
    ("parent_map", Shape::MapOf(&NAMES)),
    ("child_map", Shape::MapOf(&NAMES)),
    ("metadata", METADATA),
]);

/// Where a loaded artifact differs from what dbt writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// "dbt's run_results.json".
    pub artifact: &'static str,
    /// `results[3].execution_time`; `(the file)` for the whole document.
    pub field: String,
    pub found: &'static str,
    pub expected: &'static str,
}

/// Checks `doc` (the parsed file at `path`) when its name is a dbt artifact.
pub fn check(path: &Path, doc: &Value) -> Result<(), Mismatch> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let (artifact, shape) = match name {
        "run_results.json" => ("dbt's run_results.json", &RUN_RESULTS),
        "manifest.json" => ("dbt's manifest.json", &MANIFEST),
        _ => return Ok(()),
    };
    walk(doc, shape, "").map_err(|(field, found, expected)| Mismatch {
        artifact,
        field: if field.is_empty() {
            "(the file)".to_string()
        } else {
            field
        },
        found,
        expected,
    })
}

type Wrong = (String, &'static str, &'static str);

fn walk(v: &Value, shape: &Shape, at: &str) -> Result<(), Wrong> {
    let wrong = |expected: &'static str| Err((at.to_string(), kind(v), expected));
    match shape {
        Shape::Text if !v.is_string() => wrong("text"),
        Shape::Number if !v.is_number() => wrong("a number"),
        Shape::TextOrNull if !(v.is_string() || v.is_null()) => wrong("text or null"),
        Shape::NumberOrNull if !(v.is_number() || v.is_null()) => wrong("a number or null"),
        Shape::Fields(fields) => {
            let Some(map) = v.as_object() else {
                return wrong("a map");
            };
            for (name, inner) in fields.iter() {
                if let Some(x) = map.get(*name) {
                    walk(x, inner, &join(at, name))?;
                }
            }
            Ok(())
        }
        Shape::ListOf(inner) => {
            let Some(items) = v.as_array() else {
                return wrong("a list");
            };
            for (i, x) in items.iter().enumerate() {
                walk(x, inner, &format!("{at}[{i}]"))?;
            }
            Ok(())
        }
        Shape::MapOf(inner) => {
            let Some(map) = v.as_object() else {
                return wrong("a map");
            };
            for (k, x) in map {
                walk(x, inner, &format!("{at}[\"{k}\"]"))?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn join(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_string()
    } else {
        format!("{at}.{name}")
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_json(name: &str, json: &str) -> Result<(), Mismatch> {
        check(Path::new(name), &serde_json::from_str(json).expect("json"))
    }

    #[test]
    fn every_field_templates_read_is_checked_where_it_is() {
        let bad: &[(&str, &str, &str, &str, &str)] = &[
            (
                "run_results.json",
                r#"[1]"#,
                "(the file)",
                "a list",
                "a map",
            ),
            (
                "run_results.json",
                r#"{"results": 5}"#,
                "results",
                "a number",
                "a list",
            ),
            (
                "run_results.json",
                r#"{"results": [{"unique_id": "a"}, 3]}"#,
                "results[1]",
                "a number",
                "a map",
            ),
            (
                "run_results.json",
                r#"{"results": [{"execution_time": "1s"}]}"#,
                "results[0].execution_time",
                "text",
                "a number",
            ),
            (
                "run_results.json",
                r#"{"results": [{"status": null}]}"#,
                "results[0].status",
                "null",
                "text",
            ),
            (
                "run_results.json",
                r#"{"elapsed_time": [1]}"#,
                "elapsed_time",
                "a list",
                "a number",
            ),
            (
                "run_results.json",
                r#"{"metadata": {"dbt_version": 1.8}}"#,
                "metadata.dbt_version",
                "a number",
                "text",
            ),
            (
                "manifest.json",
                r#"{"nodes": []}"#,
                "nodes",
                "a list",
                "a map",
            ),
            (
                "manifest.json",
                r#"{"nodes": {"model.p.a": {"name": 7}}}"#,
                "nodes[\"model.p.a\"].name",
                "a number",
                "text",
            ),
            (
                "manifest.json",
                r#"{"parent_map": {"model.p.a": "model.p.b"}}"#,
                "parent_map[\"model.p.a\"]",
                "text",
                "a list",
            ),
            (
                "manifest.json",
                r#"{"child_map": {"a": [1]}}"#,
                "child_map[\"a\"][0]",
                "a number",
                "text",
            ),
        ];
        for (name, json, field, found, expected) in bad {
            let m = check_json(name, json).expect_err(json);
            assert_eq!(
                (m.field.as_str(), m.found, m.expected),
                (*field, *found, *expected),
                "{json}"
            );
        }
    }

    #[test]
    fn dbt_files_with_extra_or_missing_fields_and_other_files_pass() {
        for (name, json) in [
            ("run_results.json", r#"{"results": [], "args": {"x": 1}}"#),
            (
                "run_results.json",
                r#"{"results": [{"unique_id": "a", "status": "pass", "execution_time": 0.5, "message": null, "failures": 0, "timing": []}]}"#,
            ),
            (
                "manifest.json",
                r#"{"nodes": {}, "parent_map": {"a": ["b"]}, "macros": {}}"#,
            ),
            ("other.json", r#"{"results": 5}"#),
        ] {
            assert_eq!(check_json(name, json), Ok(()), "{name}: {json}");
        }
    }
}
