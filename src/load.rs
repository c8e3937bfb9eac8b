//! Loading the files a `path` question with `load:` points at, so templates
//! can compute reports from real artifacts (dbt's `run_results.json` and
//! `manifest.json`, say) as `loaded.<skill_key>.<question>`.
//!
//! Loading is part of answer validation: a missing or malformed file is a
//! problem of that answer, reported where every other invalid answer is, and
//! nothing is written. Files whose names mark them as secret stores are
//! refused, because whatever is loaded can end up in generated files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use minijinja::Value;

use crate::pack::{Load, LoadFormat};
use crate::textfile::ReadError;

/// Larger files are refused: templates hold the whole parsed content.
pub const MAX_BYTES: u64 = crate::limits::LOADED_FILE;

/// One file that could not be loaded. The messages say what to do next.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("file not found: {path}; {hint}")]
    NotFound { path: String, hint: String },
    #[error("folder not found: {path}; {hint}")]
    FolderNotFound { path: String, hint: String },
    #[error("{path} is a file, but the files {files} are read from a folder; {hint}")]
    NotAFolder {
        path: String,
        files: String,
        hint: String,
    },
    #[error("{path} is a folder; point it at a file")]
    NotAFile { path: String },
    #[error("{path}:{line}:{column}: not valid {format}: {message}; regenerate the file or point at another one")]
    Malformed {
        path: String,
        line: usize,
        column: usize,
        format: &'static str,
        message: String,
    },
    #[error("{path}: not UTF-8 text; point it at a text file")]
    NotText { path: String },
    #[error(
        "{path} is larger than {}, the limit for files loaded into templates; point it at a smaller file", crate::limits::human(MAX_BYTES)
    )]
    TooLarge { path: String },
    #[error("{path} {}", crate::textfile::not_a_file(.kind))]
    NotRegular { path: String, kind: &'static str },
    #[error("{path}: `{field}` is {found}, but {artifact} has {expected} there; point it at the target/ folder of a finished dbt run, or regenerate the file")]
    Shape {
        path: String,
        artifact: &'static str,
        field: String,
        found: &'static str,
        expected: &'static str,
    },
    #[error("{path} looks like a secrets file; skillchain never loads secrets into templates: point it at another file")]
    Secret { path: String },
    #[error("{path}: cannot read: {message}")]
    Io { path: String, message: String },
}

/// File names that hold credentials by convention. Generated files may be
/// committed or handed to an agent, so such files are never read.
fn looks_secret(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().to_lowercase()) else {
        return false;
    };
    name == ".env"
        || name.starts_with(".env.")
        || name == "profiles.yml"
        || name == ".netrc"
        || name.starts_with("id_rsa")
        || name.starts_with("id_ed25519")
        || name.starts_with("credentials")
        || name.starts_with("secrets.")
        || [".pem", ".key", ".p12", ".pfx", ".keystore"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

fn hint(spec: &Load) -> String {
    spec.hint
        .clone()
        .filter(|h| !h.trim().is_empty())
        .unwrap_or_else(|| "check the path".to_string())
}

/// Loads what `answer` names according to `spec`: the file itself, or with
/// `files` the map file name → content of those files in the folder.
/// Every problem is returned, not just the first.
pub fn load(spec: &Load, answer: &str) -> Result<Value, Vec<LoadError>> {
    let root = PathBuf::from(answer);
    if spec.files.is_empty() {
        return load_file(spec, &root, answer).map_err(|e| vec![e]);
    }
    if root.is_file() {
        return Err(vec![LoadError::NotAFolder {
            path: answer.to_string(),
            files: spec.files.join(", "),
            hint: hint(spec),
        }]);
    }
    if !root.is_dir() {
        return Err(vec![LoadError::FolderNotFound {
            path: answer.to_string(),
            hint: hint(spec),
        }]);
    }
    let mut map = BTreeMap::new();
    let mut errors = Vec::new();
    for name in &spec.files {
        let shown = format!("{}/{name}", answer.trim_end_matches('/'));
        match load_file(spec, &root.join(name), &shown) {
            Ok(v) => {
                map.insert(name.clone(), v);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(Value::from(map))
    } else {
        Err(errors)
    }
}

fn load_file(spec: &Load, path: &Path, shown: &str) -> Result<Value, LoadError> {
    let shown = shown.to_string();
    if looks_secret(path) {
        return Err(LoadError::Secret { path: shown });
    }
    let text = match crate::textfile::read(path, MAX_BYTES, "files loaded into templates") {
        Ok(t) => t,
        Err(ReadError::NotFound { .. }) => {
            return Err(LoadError::NotFound {
                path: shown,
                hint: hint(spec),
            })
        }
        Err(ReadError::NotAFile { kind: "folder", .. }) => {
            return Err(LoadError::NotAFile { path: shown })
        }
        Err(ReadError::NotAFile { kind, .. }) => {
            return Err(LoadError::NotRegular { path: shown, kind })
        }
        Err(ReadError::TooLarge { .. }) => return Err(LoadError::TooLarge { path: shown }),
        Err(ReadError::NotUtf8 { .. }) => return Err(LoadError::NotText { path: shown }),
        Err(ReadError::Io { message, .. }) => {
            return Err(LoadError::Io {
                path: shown,
                message,
            })
        }
    };
    match spec.format {
        LoadFormat::Text => Ok(Value::from(text)),
        LoadFormat::Json => {
            let v = serde_json::from_str::<serde_json::Value>(&text).map_err(|e| {
                LoadError::Malformed {
                    path: shown.clone(),
                    line: e.line(),
                    // serde_json says column 0 at the end of input; editors count from 1.
                    column: e.column().max(1),
                    format: LoadFormat::Json.as_str(),
                    message: without_position(&e.to_string()),
                }
            })?;
            crate::artifacts::check(path, &v).map_err(|m| LoadError::Shape {
                path: shown,
                artifact: m.artifact,
                field: m.field,
                found: m.found,
                expected: m.expected,
            })?;
            Ok(Value::from_serialize(&v))
        }
        LoadFormat::Yaml => serde_yaml::from_str::<serde_yaml::Value>(&text)
            .map(|v| Value::from_serialize(&v))
            .map_err(|e| {
                let (line, column) = e
                    .location()
                    .map(|l| (l.line(), l.column()))
                    .unwrap_or((1, 1));
                LoadError::Malformed {
                    path: shown,
                    line,
                    column,
                    format: LoadFormat::Yaml.as_str(),
                    message: without_position(&e.to_string()),
                }
            }),
    }
}

/// serde's messages end in " at line L column C"; the location is already
/// in front of the message.
fn without_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// All problems of one answer as one message (an answer has one slot for
/// its problem wherever answers are validated).
pub fn message(errors: &[LoadError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; also ")
}

/// Loaded content by (spec, answer), so the session recomputing its scope
/// after every answer does not parse a large manifest again. An answer is
/// reloaded whenever it is given again (`refresh`), so fixing a file and
/// re-entering the path picks up the fix.
#[derive(Debug, Clone, Default)]
pub struct Cache {
    entries: Arc<Mutex<Entries>>,
    /// Counts loads, so a session can tell that content it resolved with
    /// may have changed.
    generation: Arc<std::sync::atomic::AtomicU64>,
}

/// (spec, answer as given) → content, or the message saying why it did not load.
type Entries = BTreeMap<(Load, String), Result<Value, String>>;

impl Cache {
    /// The content for `answer`, loading it on first use.
    pub fn get(&self, spec: &Load, answer: &str) -> Result<Value, String> {
        let key = (spec.clone(), answer.to_string());
        if let Ok(entries) = self.entries.lock() {
            if let Some(hit) = entries.get(&key) {
                return hit.clone();
            }
        }
        self.refresh(spec, answer)
    }

    /// How many times a file was loaded (a first use or a reload).
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Loads `answer` again, replacing what was cached.
    pub fn refresh(&self, spec: &Load, answer: &str) -> Result<Value, String> {
        let result = load(spec, answer).map_err(|e| message(&e));
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert((spec.clone(), answer.to_string()), result.clone());
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(format: LoadFormat, files: &[&str]) -> Load {
        Load {
            format,
            files: files.iter().map(|f| f.to_string()).collect(),
            hint: Some("point it at dbt's target/ folder".to_string()),
        }
    }

    fn render(template: &str, loaded: Value) -> String {
        crate::expr::base_env()
            .render_str(template, minijinja::context! { loaded => loaded })
            .expect("renders")
    }

    #[test]
    fn missing_file_in_folder_names_the_file_and_what_to_do() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("manifest.json"), "{}").expect("written");
        let root = dir.path().to_string_lossy().into_owned();
        let err = load(
            &spec(LoadFormat::Json, &["run_results.json", "manifest.json"]),
            &root,
        )
        .expect_err("run_results.json is missing");
        assert_eq!(
            message(&err),
            format!("file not found: {root}/run_results.json; point it at dbt's target/ folder")
        );
    }

    #[test]
    fn missing_folder_and_file_given_for_a_folder_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let gone = dir.path().join("target").to_string_lossy().into_owned();
        let s = spec(LoadFormat::Json, &["run_results.json"]);
        assert_eq!(
            message(&load(&s, &gone).expect_err("no folder")),
            format!("folder not found: {gone}; point it at dbt's target/ folder")
        );
        let file = dir.path().join("run_results.json");
        std::fs::write(&file, "{}").expect("written");
        let file = file.to_string_lossy().into_owned();
        assert_eq!(
            message(&load(&s, &file).expect_err("a file, not a folder")),
            format!("{file} is a file, but the files run_results.json are read from a folder; point it at dbt's target/ folder")
        );
    }

    #[test]
    fn malformed_json_is_reported_with_line_and_column() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("run_results.json");
        std::fs::write(&file, "{\n  \"results\": [1,\n}\n").expect("written");
        let file = file.to_string_lossy().into_owned();
        let err = load(&spec(LoadFormat::Json, &[]), &file).expect_err("malformed");
        assert_eq!(
            message(&err),
            format!("{file}:3:1: not valid JSON: expected value; regenerate the file or point at another one")
        );
    }

    #[test]
    fn malformed_yaml_is_reported_with_line_and_column() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("schedule.yaml");
        std::fs::write(&file, "a: 1\nb: [2\n").expect("written");
        let file = file.to_string_lossy().into_owned();
        let err = load(&spec(LoadFormat::Yaml, &[]), &file).expect_err("malformed");
        let text = message(&err);
        assert!(
            text.starts_with(&format!("{file}:3:1: not valid YAML: ")),
            "{text}"
        );
    }

    #[test]
    fn good_files_are_visible_in_a_template_with_sorted_keys() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("run_results.json"),
            r#"{"results": [{"unique_id": "test.p.b", "status": "fail", "execution_time": 0.25},
                            {"unique_id": "model.p.a", "status": "success", "execution_time": 1.5}]}"#,
        )
        .expect("written");
        std::fs::write(
            dir.path().join("manifest.json"),
            r#"{"parent_map": {"test.p.b": ["model.p.a"], "model.p.a": []}}"#,
        )
        .expect("written");
        let root = dir.path().to_string_lossy().into_owned();
        let value = load(
            &spec(LoadFormat::Json, &["run_results.json", "manifest.json"]),
            &root,
        )
        .expect("loads");
        let out = render(
            "{% set rr = loaded['run_results.json'] %}\
             {% for r in rr.results | selectattr('status', 'eq', 'fail') %}{{ r.unique_id }} \
             after {{ loaded['manifest.json'].parent_map[r.unique_id] | join(',') }}{% endfor %}; \
             slowest {{ (rr.results | sort(attribute='execution_time', reverse=true) | first).unique_id }}; \
             {% for k in loaded['manifest.json'].parent_map %}{{ k }} {% endfor %}",
            value,
        );
        assert_eq!(
            out,
            "test.p.b after model.p.a; slowest model.p.a; model.p.a test.p.b "
        );
    }

    #[test]
    fn text_and_yaml_files_load_as_string_and_map() {
        let dir = tempfile::tempdir().expect("temp dir");
        let log = dir.path().join("dbt.log");
        std::fs::write(&log, "line one\n").expect("written");
        let yaml = dir.path().join("schedule.yaml");
        std::fs::write(&yaml, "cron: '0 6 * * *'\n").expect("written");
        let text = load(&spec(LoadFormat::Text, &[]), &log.to_string_lossy()).expect("loads");
        assert_eq!(render("{{ loaded }}", text), "line one\n");
        let map = load(&spec(LoadFormat::Yaml, &[]), &yaml.to_string_lossy()).expect("loads");
        assert_eq!(render("{{ loaded.cron }}", map), "0 6 * * *");
    }

    #[test]
    fn secret_stores_are_never_loaded() {
        let dir = tempfile::tempdir().expect("temp dir");
        for name in [".env", "profiles.yml", "id_rsa", "server.pem"] {
            let file = dir.path().join(name);
            std::fs::write(&file, "password: hunter2\n").expect("written");
            let shown = file.to_string_lossy().into_owned();
            let err = load(&spec(LoadFormat::Text, &[]), &shown).expect_err("secret");
            assert_eq!(
                message(&err),
                format!("{shown} looks like a secrets file; skillchain never loads secrets into templates: point it at another file"),
                "{name}"
            );
        }
    }

    #[test]
    fn cache_reloads_a_path_when_it_is_given_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("data.json");
        std::fs::write(&file, "{").expect("written");
        let shown = file.to_string_lossy().into_owned();
        let s = spec(LoadFormat::Json, &[]);
        let cache = Cache::default();
        assert!(cache.get(&s, &shown).is_err());
        std::fs::write(&file, r#"{"ok": true}"#).expect("written");
        assert!(cache.get(&s, &shown).is_err(), "cached until given again");
        let v = cache.refresh(&s, &shown).expect("fixed file loads");
        assert_eq!(render("{% if loaded.ok %}fixed{% endif %}", v), "fixed");
    }
}
