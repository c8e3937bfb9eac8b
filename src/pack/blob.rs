//! The bundled packs precompiled: parsed from YAML and linted once, stored
//! as MessagePack in `bundled.msgpack`, and decoded at start instead of
//! parsing YAML (which was most of a `detect` process's time).
//!
//! The blob is a checked-in artifact, refreshed by a test: the pack model
//! lives in this crate, so build.rs could only build it by compiling the
//! model twice. The blob records the hash of `skillchains/` (and of the
//! files that read pack YAML into the model) it was built
//! from (build.rs computes the current one); a blob that does not match, or
//! does not decode, is ignored and the packs are parsed from YAML as before,
//! so a stale blob costs time, never correctness. The test
//! `pack::blob::tests::blob_is_fresh` fails while it is stale; refresh with
//! `SKILLCHAIN_REFRESH_PACKS_BLOB=1 cargo test --lib pack::blob`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::model::{Blueprint, Manifest, Pack, Skill};

/// Hash of `skillchains/` as this binary embeds it (see build.rs).
const SOURCE_HASH: &str = env!("SKILLCHAIN_PACKS_HASH");

static BLOB: &[u8] = include_bytes!("bundled.msgpack");

/// Serialised form of the bundled packs. MessagePack rather than postcard
/// or bincode: the model's `Deserialize` impls need a self-describing format
/// (an untagged answer value, keywords read through `serde_yaml::Value`).
#[derive(Serialize, Deserialize)]
struct Stored {
    source_hash: String,
    packs: Vec<StoredPack>,
}

#[derive(Serialize, Deserialize)]
struct StoredPack {
    manifest: Manifest,
    skills: Vec<Skill>,
    blueprints: Vec<Blueprint>,
    templates: BTreeMap<String, String>,
    origin: String,
}

/// The bundled packs from the blob, or `None` when it is stale or unreadable
/// (the caller then parses the YAML).
pub(crate) fn bundled_packs() -> Option<Vec<Pack>> {
    decode(BLOB, SOURCE_HASH)
}

fn decode(bytes: &[u8], expected_hash: &str) -> Option<Vec<Pack>> {
    let stored: Stored = rmp_serde::from_slice(bytes).ok()?;
    if stored.source_hash != expected_hash {
        return None;
    }
    Some(
        stored
            .packs
            .into_iter()
            .map(|p| Pack {
                manifest: p.manifest,
                skills: p.skills,
                blueprints: p.blueprints,
                templates: p.templates,
                origin: p.origin,
                source: super::model::PackSource::Bundled,
                by_id: Default::default(),
                detect_index: Default::default(),
            })
            .collect(),
    )
}

#[cfg(test)]
fn encode(packs: &[Pack], hash: &str) -> Vec<u8> {
    let stored = Stored {
        source_hash: hash.to_string(),
        packs: packs
            .iter()
            .map(|p| StoredPack {
                manifest: p.manifest.clone(),
                skills: p.skills.clone(),
                blueprints: p.blueprints.clone(),
                templates: p.templates.clone(),
                origin: p.origin.clone(),
            })
            .collect(),
    };
    rmp_serde::to_vec_named(&stored).expect("the pack model serialises")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::Registry;

    const REFRESH: &str = "SKILLCHAIN_REFRESH_PACKS_BLOB";

    /// Parsed and linted once for all the tests here (slow in a debug build).
    fn from_yaml() -> Vec<Pack> {
        static PACKS: std::sync::OnceLock<Vec<Pack>> = std::sync::OnceLock::new();
        PACKS
            .get_or_init(|| {
                Registry::bundled_checked()
                    .expect("bundled packs parse and lint")
                    .packs
            })
            .clone()
    }

    #[test]
    fn blob_is_fresh() {
        let fresh = encode(&from_yaml(), SOURCE_HASH);
        if std::env::var_os(REFRESH).is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/pack/bundled.msgpack");
            std::fs::write(path, &fresh).expect("write the blob");
            return;
        }
        assert!(
            BLOB == fresh.as_slice(),
            "src/pack/bundled.msgpack is stale (skillchains/ or the pack model changed): \
             run `{REFRESH}=1 cargo test --lib pack::blob` and commit the file"
        );
    }

    /// Every field of the pack model in Debug form (which shows floats to
    /// the last digit); the lazily built caches are left out.
    fn model(p: &Pack) -> String {
        format!(
            "{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:?}",
            p.manifest, p.skills, p.blueprints, p.templates, p.origin
        )
    }

    fn assert_same(blob: &[Pack], yaml: &[Pack]) {
        assert_eq!(blob.len(), yaml.len());
        for (b, y) in blob.iter().zip(yaml) {
            let (b, y) = (model(b), model(y));
            if let Some((i, (lb, ly))) = b
                .lines()
                .zip(y.lines())
                .enumerate()
                .find(|(_, (l, r))| l != r)
            {
                panic!("pack differs at Debug line {i}:\n blob: {lb}\n yaml: {ly}");
            }
            assert_eq!(b.len(), y.len());
        }
    }

    #[test]
    fn blob_packs_equal_yaml_packs_exactly() {
        let yaml = from_yaml();
        let blob = bundled_packs().expect("the blob is fresh and decodes");
        assert_same(&blob, &yaml);
        // The registry the app gets is the blob's, with no cache built yet.
        let reg = Registry::bundled().expect("bundled");
        assert_same(&reg.packs, &yaml);
        assert!(reg
            .packs
            .iter()
            .all(|p| p.by_id.get().is_none() && p.detect_index.get().is_none()));
    }

    #[test]
    fn a_blob_from_other_sources_is_ignored() {
        let packs = from_yaml();
        let bytes = encode(&packs, "0000000000000000-0");
        assert!(decode(&bytes, SOURCE_HASH).is_none());
        assert!(decode(&bytes, "0000000000000000-0").is_some());
    }

    #[test]
    fn a_damaged_blob_is_ignored_without_panicking() {
        // The smallest pack keeps this quick in a debug build.
        let mut packs = from_yaml();
        packs.sort_by_key(|p| p.templates.values().map(String::len).sum::<usize>());
        packs.truncate(1);
        let bytes = encode(&packs, SOURCE_HASH);
        assert!(decode(&bytes, SOURCE_HASH).is_some());
        // Truncations all along, and seeded byte flips across the whole blob.
        let step = (bytes.len() / 150).max(1);
        for len in (0..bytes.len()).step_by(step) {
            assert!(decode(&bytes[..len], SOURCE_HASH).is_none(), "cut at {len}");
        }
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..100 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut damaged = bytes.clone();
            let at = (seed % damaged.len() as u64) as usize;
            damaged[at] ^= 0xff;
            // Either refused or decoded to packs; never a panic.
            let _ = decode(&damaged, SOURCE_HASH);
        }
    }
}
