//! Pack indexes: a YAML file listing packs (id, title, description,
//! version, archive URL, sha256, triggers), and the config dir's
//! `indexes.yaml` that names the indexes `pack search` and `pack add ID`
//! look in. A broken entry is reported and skipped; the others stay usable.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// One pack in an index.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IndexEntry {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Text, though an unquoted `1.0` is read as a number and accepted.
    #[serde(deserialize_with = "text_or_number")]
    pub version: String,
    /// URL, or a path relative to the index.
    pub archive: String,
    pub sha256: String,
    /// Phrases `pack search` matches (the pack's triggers).
    #[serde(default)]
    pub triggers: Vec<String>,
}

fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match serde_yaml::Value::deserialize(d)? {
        serde_yaml::Value::String(s) => Ok(s),
        serde_yaml::Value::Number(n) => Ok(n.to_string()),
        _ => Err(serde::de::Error::custom("expected text such as 1.2.0")),
    }
}

/// The file as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexFile {
    pub index_version: u32,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub packs: Vec<serde_yaml::Value>,
}

/// An index read from somewhere, with its usable entries and the problems
/// of the others.
#[derive(Debug, Clone)]
pub struct LoadedIndex {
    /// URL or path it was read from.
    pub location: String,
    pub title: String,
    pub entries: Vec<IndexEntry>,
    pub problems: Vec<String>,
    /// Entries the file lists, usable or not.
    pub listed: usize,
}

impl LoadedIndex {
    pub fn parse(bytes: &[u8], location: &str) -> Result<LoadedIndex, String> {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| format!("{location}: not a pack index (not UTF-8 text); check the URL"))?;
        let file: IndexFile = serde_yaml::from_str(text).map_err(|e| {
            format!(
                "{location}: not a pack index ({}); an index has `index_version: 1` and a `packs:` list (see README, \"Packs from anywhere\")",
                crate::pack::describe_yaml_error(&e)
            )
        })?;
        if file.index_version != 1 {
            return Err(format!(
                "{location}: index_version {} is not supported (this skillchain reads version 1); update skillchain",
                file.index_version
            ));
        }
        let mut entries: Vec<IndexEntry> = Vec::new();
        let mut problems = Vec::new();
        let listed = file.packs.len();
        for (i, raw) in file.packs.into_iter().enumerate() {
            let label = raw
                .get("id")
                .and_then(|v| v.as_str())
                .map(|id| format!("packs[{i}] (`{id}`)"))
                .unwrap_or_else(|| format!("packs[{i}]"));
            let entry: IndexEntry = match serde_yaml::from_value(raw) {
                Ok(e) => e,
                Err(e) => {
                    problems.push(format!(
                        "{location}: {label}: {}; this entry is skipped",
                        crate::pack::describe_yaml_error(&e)
                    ));
                    continue;
                }
            };
            let mut bad = Vec::new();
            if !super::install::is_id(&entry.id) {
                bad.push("the id must be lower-case letters, digits and dashes".to_string());
            }
            if !super::is_sha256(&entry.sha256) {
                bad.push("sha256 must be 64 hexadecimal digits".to_string());
            }
            if entry.version.trim().is_empty() {
                bad.push("version is empty".to_string());
            }
            if entry.archive.trim().is_empty() {
                bad.push("archive is empty".to_string());
            } else if super::install::is_url(&entry.archive) {
                if let Err(e) = super::url::check_url(&entry.archive) {
                    bad.push(e);
                }
            }
            if entries.iter().any(|e| e.id == entry.id) {
                bad.push("the id appears twice; the first entry is used".to_string());
            }
            if bad.is_empty() {
                entries.push(entry);
            } else {
                problems.push(format!(
                    "{location}: {label}: {}; this entry is skipped: tell the index's maintainer",
                    bad.join("; ")
                ));
            }
        }
        Ok(LoadedIndex {
            location: location.to_string(),
            title: file.title,
            entries,
            problems,
            listed,
        })
    }

    /// Where an entry's archive is: its URL, or its path resolved against
    /// the index's own location.
    pub fn archive_location(&self, entry: &IndexEntry) -> Result<String, String> {
        if super::install::is_url(&entry.archive) {
            return Ok(entry.archive.clone());
        }
        if super::install::is_url(&self.location) {
            let base = reqwest::Url::parse(&self.location)
                .map_err(|e| format!("{}: {e}", self.location))?;
            return base
                .join(&entry.archive)
                .map(|u| u.to_string())
                .map_err(|e| format!("{}: archive `{}`: {e}", self.location, entry.archive));
        }
        if entry.archive.starts_with('/') {
            return Ok(entry.archive.clone());
        }
        let dir = Path::new(&self.location).parent().unwrap_or(Path::new("."));
        Ok(dir.join(&entry.archive).display().to_string())
    }

    /// Entries matching any of `words`, best first: (entry, words matched).
    pub fn search<'a>(&'a self, words: &[String]) -> Vec<(&'a IndexEntry, usize)> {
        let words: Vec<String> = words
            .iter()
            .flat_map(|w| {
                w.split_whitespace()
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut hits: Vec<(&IndexEntry, usize)> = self
            .entries
            .iter()
            .filter_map(|e| {
                let hay = format!(
                    "{} {} {} {}",
                    e.id,
                    e.title,
                    e.description,
                    e.triggers.join(" ")
                )
                .to_lowercase();
                let n = words.iter().filter(|w| hay.contains(w.as_str())).count();
                (n > 0 || words.is_empty()).then_some((e, n))
            })
            .collect();
        hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
        hits
    }
}

/// The config dir's `indexes.yaml`: `indexes: [URL or path, …]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexesFile {
    #[serde(default)]
    pub indexes: Vec<String>,
}

impl IndexesFile {
    /// The configured index locations; none when the file is missing.
    pub fn read(path: &Path) -> Result<Vec<String>, String> {
        let text = match crate::textfile::read(
            path,
            crate::limits::PACK_CONFIG_FILE,
            "the list of pack indexes",
        ) {
            Ok(t) => t,
            Err(e) if e.is_not_found() => return Ok(Vec::new()),
            Err(e) => return Err(e.to_string()),
        };
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        let file: IndexesFile = serde_yaml::from_str(&text).map_err(|e| {
            format!(
                "{}: {}; write `indexes:` followed by a list of index URLs",
                path.display(),
                crate::pack::describe_yaml_error(&e)
            )
        })?;
        Ok(file.indexes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, archive: &str, sha: &str, version: &str) -> String {
        format!("  - {{id: '{id}', title: T, version: '{version}', archive: '{archive}', sha256: '{sha}'}}\n")
    }

    #[test]
    fn hostile_entries_are_skipped_and_named() {
        let good = "a".repeat(64);
        let mut text = "index_version: 1\npacks:\n".to_string();
        text += &entry("ok", "ok.tar.gz", &good, "1.0");
        let bad = [
            ("../up", "x.tar.gz", good.as_str(), "1"),
            ("Caps", "x.tar.gz", good.as_str(), "1"),
            ("ftp", "ftp://h/x.tar.gz", good.as_str(), "1"),
            ("file", "file:///etc/passwd", good.as_str(), "1"),
            ("plain", "http://example.com/x.tar.gz", good.as_str(), "1"),
            ("short", "x.tar.gz", "abc", "1"),
            ("long", "x.tar.gz", &"a".repeat(65), "1"),
            ("nothex", "x.tar.gz", &"g".repeat(64), "1"),
            ("noversion", "x.tar.gz", good.as_str(), " "),
            ("noarchive", "", good.as_str(), "1"),
            ("ok", "again.tar.gz", good.as_str(), "1"),
        ];
        for (id, archive, sha, version) in bad {
            text += &entry(id, archive, sha, version);
        }
        text += "  - {id: extra, title: T, version: '1', archive: x, sha256: x, homepage: y}\n";
        let index = LoadedIndex::parse(text.as_bytes(), "https://h.example/packs/index.yaml")
            .expect("index parses");
        assert_eq!(index.entries.len(), 1);
        assert_eq!(index.listed, bad.len() + 2);
        assert_eq!(index.problems.len(), bad.len() + 1, "{:#?}", index.problems);
        for (i, p) in index.problems.iter().enumerate() {
            assert!(
                p.starts_with("https://h.example/packs/index.yaml: packs["),
                "{p}"
            );
            assert!(p.contains(&format!("packs[{}]", i + 1)), "{p}");
        }
        assert_eq!(
            index.archive_location(&index.entries[0]).expect("url"),
            "https://h.example/packs/ok.tar.gz"
        );
        let mut up = index.entries[0].clone();
        up.archive = "../../etc/passwd".to_string();
        assert_eq!(
            index.archive_location(&up).expect("url"),
            "https://h.example/etc/passwd",
            "a remote index never points at a local file"
        );
    }

    #[test]
    fn not_an_index() {
        for text in [
            "packs: []\n",
            "index_version: 2\npacks: []\n",
            "- a\n",
            "\u{0}",
        ] {
            assert!(
                LoadedIndex::parse(text.as_bytes(), "i.yaml").is_err(),
                "{text:?}"
            );
        }
    }
}
