//! Publishing packs: reproducible `.tar.gz` archives (sorted entries, zero
//! times and owners, fixed modes, no gzip name or time) and the index that
//! lists them, so the same packs always give the same bytes and sha256.
//! `skillchain pack index` runs it; the repository's `index/` is its output
//! for the bundled packs.

use serde::Serialize;
use std::io::Write;
use std::path::Path;

use super::archive::Limits;
use super::index::IndexEntry;
use crate::error::EngineError;
use crate::pack::{load_dir, pack_folders};

/// A folder's regular files as a reproducible `.tar.gz`, each under `prefix/`.
pub fn tar_gz_folder(dir: &Path, prefix: &str) -> Result<Vec<u8>, String> {
    let files = super::install::folder_files(dir, &Limits::default()).map_err(|p| p.join("\n"))?;
    let gz = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), flate2::Compression::best());
    let mut tar = tar::Builder::new(gz);
    tar.mode(tar::HeaderMode::Deterministic);
    for (rel, path) in files {
        let bytes = crate::textfile::read_bytes(&path, crate::limits::PACK_TOTAL, "pack files")
            .map_err(|e| e.to_string())?;
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        tar.append_data(&mut header, format!("{prefix}/{rel}"), bytes.as_slice())
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let gz = tar.into_inner().map_err(|e| e.to_string())?;
    gz.finish().map_err(|e| e.to_string())
}

#[derive(Serialize)]
struct IndexOut<'a> {
    index_version: u32,
    title: &'a str,
    packs: Vec<IndexEntry>,
}

/// Lints every pack in `src` (a pack or a folder of packs), writes
/// `<id>-<version>.tar.gz` for each and `index.yaml` into `out`, and removes
/// archives no pack produces any more. Files whose bytes are unchanged are
/// not rewritten. Returns the files written.
pub fn build_index(src: &Path, out: &Path, title: &str) -> Result<Vec<String>, EngineError> {
    let mut entries = Vec::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut problems = Vec::new();
    for dir in pack_folders(src)? {
        let pack = match load_dir(&dir) {
            Ok(p) => p,
            Err(EngineError::Problems(p)) => {
                problems.extend(p.problems);
                continue;
            }
            Err(e) => return Err(e),
        };
        let version: String = pack
            .manifest
            .version
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let name = format!("{}-{version}.tar.gz", pack.id());
        let bytes = tar_gz_folder(&dir, pack.id()).map_err(EngineError::Other)?;
        entries.push(IndexEntry {
            id: pack.id().to_string(),
            title: pack.manifest.title.clone(),
            description: pack.manifest.description.trim().to_string(),
            version: pack.manifest.version.clone(),
            archive: name.clone(),
            sha256: super::sha256_hex(&bytes),
            triggers: pack.manifest.triggers.keys().cloned().collect(),
        });
        files.push((name, bytes));
    }
    if !problems.is_empty() {
        return Err(crate::error::Problems::new(
            format!("packs in {} fail lint; no index written", src.display()),
            problems,
        )
        .into());
    }
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    let yaml = serde_yaml::to_string(&IndexOut {
        index_version: 1,
        title,
        packs: entries,
    })
    .map_err(|e| EngineError::Other(e.to_string()))?;
    let header =
        "# Pack index, built by `skillchain pack index` (scripts/build-index); do not edit.\n";
    files.push((
        "index.yaml".to_string(),
        format!("{header}{yaml}").into_bytes(),
    ));
    std::fs::create_dir_all(out).map_err(|e| EngineError::io(out, e))?;
    let mut written = Vec::new();
    for (name, bytes) in &files {
        let path = out.join(name);
        if std::fs::read(&path).ok().as_deref() == Some(bytes.as_slice()) {
            continue;
        }
        let mut f = std::fs::File::create(&path).map_err(|e| EngineError::io(&path, e))?;
        f.write_all(bytes).map_err(|e| EngineError::io(&path, e))?;
        written.push(name.clone());
    }
    if let Ok(rd) = std::fs::read_dir(out) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".tar.gz") && !files.iter().any(|(n, _)| *n == name) {
                let _ = std::fs::remove_file(e.path());
                written.push(format!("{name} (removed)"));
            }
        }
    }
    Ok(written)
}
