//! Compiles the bundled packs at build time: every pack under `skillchains/`
//! is parsed from YAML into the crate's own pack model, its detection index
//! is built, and the result is written as MessagePack to
//! `$OUT_DIR/bundled.msgpack`, which `src/pack/blob.rs` embeds. A start then
//! decodes that blob instead of parsing YAML and stemming keywords.
//!
//! The model, the YAML readers and the index are the crate's own source
//! files, compiled into this script with `#[path]`, so the blob is always
//! the current sources' output: there is no checked-in artifact to go stale.
//! A bundled pack that does not parse is left out of the blob with a
//! warning; the binary then parses the YAML and reports the problem as
//! `skillchain lint` does (lint itself runs in CI, `.ci/run`).

#![allow(dead_code, unused_imports)]

use std::collections::BTreeMap;
use std::path::Path;

#[path = "src/value/answer.rs"]
mod answer;
#[path = "src/pack/lazy.rs"]
mod lazy;
#[path = "src/pack/model.rs"]
mod model;
#[path = "src/pack/words.rs"]
mod words;

/// `crate::pack` and `crate::value` as the model files name them.
mod pack {
    pub use crate::model::*;
    pub(crate) use crate::{lazy, words};
    /// No blob is embedded in the script: every part is copied.
    pub(crate) mod blob {
        pub(crate) fn embedded(_: &[u8]) -> Option<&'static [u8]> {
            None
        }
    }
}
mod value {
    pub use crate::answer::AnswerValue;
}
/// `crate::arena` as `lazy.rs` names it: the script allocates as usual.
mod arena {
    pub fn scope<R>(f: impl FnOnce() -> R) -> R {
        f()
    }
}

// The index's `super::normalise` is this crate root's `normalise`.
#[path = "src/detect/index.rs"]
mod index;
#[path = "src/detect/normalise.rs"]
mod normalise;

/// `crate::detect` as the index files name it.
mod detect {
    pub use crate::index::PackIndex;
    pub(crate) use crate::normalise;
}

#[path = "src/pack/stored.rs"]
mod stored;

// The content checks' DFAs (`$OUT_DIR/checks.bin`, `src/validate/content.rs`).
#[path = "src/validate/embedded.rs"]
mod embedded;
#[path = "src/validate/precompile.rs"]
mod precompile;

/// Everything that decides the blob's content.
const SOURCES: [&str; 13] = [
    "src/pack/model.rs",
    "src/pack/lazy.rs",
    "src/value/answer.rs",
    "src/pack/words.rs",
    "src/detect/index.rs",
    "src/detect/normalise.rs",
    "src/pack/stored.rs",
    "src/validate/embedded.rs",
    "src/validate/precompile.rs",
    "skillchains",
    "src/detect/other_work.yaml",
    "src/detect/scope_cues.yaml",
    "src/detect/shared_capabilities.yaml",
];

/// Detection's word files, parsed from YAML here and embedded as
/// MessagePack: decoding them at each start costs a tenth of parsing YAML.
/// A file that does not parse is written empty, and the binary then parses
/// the YAML itself (its unit tests refuse a broken file).
const WORD_FILES: [(&str, &str); 3] = [
    ("src/detect/other_work.yaml", "other_work.msgpack"),
    ("src/detect/scope_cues.yaml", "scope_cues.msgpack"),
    (
        "src/detect/shared_capabilities.yaml",
        "shared_capabilities.msgpack",
    ),
];

fn main() {
    for s in SOURCES {
        println!("cargo:rerun-if-changed={s}");
    }
    // The binary is linked at a fixed address (not position-independent):
    // the loader then has no 26,000 relocations to apply and no 120 pages
    // of `.data.rel.ro` to copy at every start (`--version` 1.5 -> 1.1 ms
    // of CPU). Libraries, heap and stack keep their random addresses.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    let root = Path::new("skillchains");
    let mut packs = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(root)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    dirs.sort();
    let mut complete = true;
    for dir in dirs.iter().filter(|d| d.join("pack.yaml").is_file()) {
        match compile(dir) {
            Ok(p) => packs.push(p),
            Err(e) => {
                println!("cargo:warning=bundled pack {}: {e}; the binary will parse its YAML at start (run `cargo run -- lint`)", dir.display());
                complete = false;
            }
        }
    }
    packs.sort_by(|a, b| a.id().cmp(b.id()));
    let bytes = if complete {
        let bytes = stored::encode(&packs);
        // Every part decodes back, lazy ones included, so the binary never
        // meets a part it cannot read.
        if let Err(e) = stored::check(&bytes) {
            panic!("the bundled packs' blob does not decode back: {e}");
        }
        bytes
    } else {
        Vec::new()
    };
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("bundled.msgpack"), bytes).expect("write the pack blob");
    std::fs::write(Path::new(&out).join("checks.bin"), check_dfas(&packs))
        .expect("write the content checks' DFAs");
    std::fs::write(Path::new(&out).join("globs.bin"), glob_dfas(&packs))
        .expect("write the deliverables' glob DFAs");
    for (yaml, blob) in WORD_FILES {
        let bytes = std::fs::read_to_string(yaml)
            .ok()
            .and_then(|text| serde_yaml::from_str::<serde_yaml::Value>(&text).ok())
            .and_then(|v| rmp_serde::to_vec_named(&v).ok())
            .unwrap_or_default();
        std::fs::write(Path::new(&out).join(blob), bytes).expect("write a word file's blob");
    }
}

/// Every glob of the bundled packs' deliverables and checks, as the
/// validation normalises it, compiled to a DFA (`glob_dfa` in
/// `src/validate/precompile.rs`). Empty for a target of the other byte
/// order or path convention (globset's default escapes differ on Windows).
fn glob_dfas(packs: &[stored::StoredPack]) -> Vec<u8> {
    let host_big = cfg!(target_endian = "big");
    let target_windows = std::env::var_os("CARGO_CFG_WINDOWS").is_some();
    if std::env::var("CARGO_CFG_TARGET_ENDIAN").is_ok_and(|e| (e == "big") != host_big)
        || target_windows != cfg!(windows)
    {
        return Vec::new();
    }
    let mut globs = Vec::new();
    for p in packs {
        let mut of_pack = std::collections::BTreeSet::new();
        for s in p.skills() {
            of_pack.extend(s.checks.iter().map(|c| c.path.clone()));
        }
        for b in p.blueprints() {
            for d in b.deliverables.iter() {
                of_pack.extend(d.files.iter().cloned());
                of_pack.extend(d.checks.iter().map(|c| c.path.clone()));
            }
        }
        globs.extend(
            of_pack
                .iter()
                .map(|g| embedded::normalise_glob(g).to_string()),
        );
    }
    let mut seen = std::collections::HashSet::new();
    globs.retain(|g| seen.insert(g.clone()));
    let items = globs
        .into_iter()
        .filter_map(|glob| {
            let dfa = precompile::glob_dfa(&glob)?;
            Some(embedded::Item {
                pattern: glob,
                dfa,
                flags: 0,
            })
        })
        .collect();
    embedded::encode(items)
}

/// Every content-check pattern of the bundled packs compiled to a DFA (see
/// `src/validate/precompile.rs`). A target of the other byte order gets an
/// empty table (its patterns are compiled at run time): the DFAs are
/// checked by reading them back here.
fn check_dfas(packs: &[stored::StoredPack]) -> Vec<u8> {
    let host_big = cfg!(target_endian = "big");
    if std::env::var("CARGO_CFG_TARGET_ENDIAN").is_ok_and(|e| (e == "big") != host_big) {
        return Vec::new();
    }
    // Pack by pack, so the DFAs one run uses lie together in the binary
    // (fewer pages read in); `encode` keeps a shared pattern's first place.
    let mut patterns = Vec::new();
    for p in packs {
        let mut of_pack = std::collections::BTreeSet::new();
        for s in p.skills() {
            of_pack.extend(s.checks.iter().map(|c| c.pattern.clone()));
        }
        for b in p.blueprints() {
            for d in b.deliverables.iter() {
                of_pack.extend(d.checks.iter().map(|c| c.pattern.clone()));
            }
        }
        patterns.extend(of_pack);
    }
    let mut seen = std::collections::HashSet::new();
    patterns.retain(|p| seen.insert(p.clone()));
    let items = patterns
        .into_iter()
        .filter_map(|pattern| {
            let pre = precompile::precompile(&pattern)?;
            let flags = if pre.quits { embedded::QUITS } else { 0 };
            Some(embedded::Item {
                pattern,
                dfa: pre.bytes,
                flags,
            })
        })
        .collect();
    embedded::encode(items)
}

/// One pack folder as the runtime's YAML loader reads it (`src/pack/load.rs`,
/// `parse_pack_with` over the embedded files).
fn compile(dir: &Path) -> Result<stored::StoredPack, String> {
    let mut files = BTreeMap::new();
    collect(dir, dir, &mut files);
    let yaml = |name: &str, text: &str| -> Result<serde_yaml::Value, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        serde_yaml::from_str(text).map_err(|e| format!("{name}: {e}"))
    };
    let manifest: model::Manifest = files
        .get("pack.yaml")
        .ok_or("no pack.yaml".to_string())
        .and_then(|t| typed("pack.yaml", t, &yaml))?;
    let mut pack = model::Pack {
        manifest,
        skills: Vec::new(),
        blueprints: Vec::new(),
        templates: Default::default(),
        origin: format!(
            "bundled:{}",
            dir.file_name().unwrap_or_default().to_string_lossy()
        ),
        source: model::PackSource::Bundled,
        by_id: Default::default(),
        detect_index: Default::default(),
    };
    for (name, text) in &files {
        if is_yaml_in(name, "skills/") {
            pack.skills.push(typed(name, text, &yaml)?);
        } else if is_yaml_in(name, "blueprints/") {
            pack.blueprints.push(typed(name, text, &yaml)?);
        }
    }
    let index = detect::PackIndex::new(&pack);
    Ok(stored::StoredPack::new(pack, index))
}

fn typed<T: serde::de::DeserializeOwned>(
    name: &str,
    text: &str,
    yaml: &dyn Fn(&str, &str) -> Result<serde_yaml::Value, String>,
) -> Result<T, String> {
    let doc = yaml(name, text)?;
    if doc.is_null() {
        return Err(format!("{name}: the file is empty"));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_yaml::from_str(text).map_err(|e| format!("{name}: {e}"))
}

fn is_yaml_in(name: &str, folder: &str) -> bool {
    name.strip_prefix(folder).is_some_and(|rest| {
        !rest.contains('/') && (rest.ends_with(".yaml") || rest.ends_with(".yml"))
    })
}

/// UTF-8 files under `dir`, keyed by `/`-separated path relative to `root`
/// (what `include_dir` embeds for the YAML path).
fn collect(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            if let Ok(rel) = path.strip_prefix(root) {
                let key = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(key, text);
            }
        }
    }
}
