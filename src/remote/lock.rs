//! `packs.lock` in the config dir: one entry per installed pack (id,
//! version, source, sha256, installed at), rewritten atomically. The lock is
//! the pointer to the installed files: a pack's folder in the data dir is
//! named by its id and checksum, so switching versions is one rename of the
//! lock file, and a kill at any moment leaves the old or the new version
//! whole.

use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LockFile {
    #[serde(default)]
    pub packs: Vec<LockEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LockEntry {
    pub id: String,
    pub version: String,
    /// An https:// URL, or an absolute path to a local archive or folder.
    pub source: String,
    /// Of the archive; for a local folder, of its files (see `tree_sha256`).
    pub sha256: String,
    /// UTC, `2026-11-29T01:55:53Z`.
    pub installed_at: String,
    /// The pack index the archive was found in, for `pack update`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
}

impl LockEntry {
    /// The pack's folder under the data dir's `packs/`.
    pub fn folder_name(&self) -> String {
        folder_name(&self.id, &self.sha256)
    }
}

pub(crate) fn folder_name(id: &str, sha256: &str) -> String {
    let short: String = sha256.chars().take(12).collect();
    format!("{id}-{short}")
}

const HEADER: &str = "# Installed packs, written by `skillchain pack add|update|remove`.\n# Each pack's files are in the data dir's packs/<id>-<first 12 of sha256>/.\n";

impl LockFile {
    /// Reads the lock; a missing file is an empty lock.
    pub fn read(path: &Path) -> Result<LockFile, String> {
        let text =
            match crate::textfile::read(path, crate::limits::PACK_CONFIG_FILE, "the pack lock") {
                Ok(t) => t,
                Err(e) if e.is_not_found() => return Ok(LockFile::default()),
                Err(e) => return Err(e.to_string()),
            };
        if text.trim().is_empty()
            || serde_yaml::from_str::<serde_yaml::Value>(&text).is_ok_and(|v| v.is_null())
        {
            return Ok(LockFile::default());
        }
        let lock: LockFile = serde_yaml::from_str(&text).map_err(|e| {
            format!(
                "{}: the pack lock is damaged ({}); fix it by hand, or delete it and add the packs again with `skillchain pack add`",
                path.display(),
                crate::pack::describe_yaml_error(&e)
            )
        })?;
        for entry in &lock.packs {
            if !super::is_sha256(&entry.sha256)
                || entry.id.is_empty()
                || entry.id.contains(['/', '\\', '.'])
            {
                return Err(format!(
                    "{}: the entry for `{}` is damaged (id or sha256); remove it from the file and add the pack again",
                    path.display(),
                    entry.id
                ));
            }
        }
        Ok(lock)
    }

    /// Writes the lock atomically (temporary file, fsync, rename).
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let body = serde_yaml::to_string(self).map_err(|e| e.to_string())?;
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| {
            format!(
                "{}: cannot create the config dir ({e}); check its permissions",
                dir.display()
            )
        })?;
        let fail = |e: std::io::Error| {
            format!("{}: cannot write the pack lock ({e}); check the space and permissions of the config dir", path.display())
        };
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
        use std::io::Write;
        tmp.write_all(HEADER.as_bytes()).map_err(fail)?;
        tmp.write_all(body.as_bytes()).map_err(fail)?;
        tmp.as_file().sync_all().map_err(fail)?;
        tmp.persist(path).map_err(|e| fail(e.error))?;
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<&LockEntry> {
        self.packs.iter().find(|p| p.id == id)
    }

    /// Adds or replaces the entry with the same id.
    pub fn put(&mut self, entry: LockEntry) {
        match self.packs.iter_mut().find(|p| p.id == entry.id) {
            Some(slot) => *slot = entry,
            None => {
                self.packs.push(entry);
                self.packs.sort_by(|a, b| a.id.cmp(&b.id));
            }
        }
    }
}

/// Now, as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc_timestamp() -> String {
    crate::utc::iso(crate::store::now_secs())
}
