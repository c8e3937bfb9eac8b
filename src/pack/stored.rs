//! The form bundled packs are stored in inside the binary: each pack's
//! model with its detection index, as MessagePack. Shared by build.rs
//! (which encodes it at build time, compiling this file with `#[path]`) and
//! `blob.rs` (which decodes it at start), so both sides read one definition.
//!
//! Templates are not stored here: the binary embeds the pack folders, and
//! a pack's templates are read from there when first rendered.
//!
//! MessagePack with field names: the model needs a self-describing format
//! (an untagged answer value, keywords read through `serde_yaml::Value`,
//! fields skipped when empty).

use serde::{Deserialize, Serialize};

use crate::detect::PackIndex;
use crate::pack::{Blueprint, Manifest, Pack, PackSource, Skill};

#[derive(Serialize, Deserialize)]
pub struct StoredPack {
    manifest: Manifest,
    skills: Vec<Skill>,
    blueprints: Vec<Blueprint>,
    origin: String,
    index: PackIndex,
}

// `new`, `id` and `encode` are build.rs's (and the tests').
#[allow(dead_code)]
impl StoredPack {
    pub fn new(pack: Pack, index: PackIndex) -> StoredPack {
        StoredPack {
            manifest: pack.manifest,
            skills: pack.skills,
            blueprints: pack.blueprints,
            origin: pack.origin,
            index,
        }
    }

    pub fn id(&self) -> &str {
        &self.manifest.id
    }

    /// The pack, its detection index already built, without templates
    /// (the binary has them: see `blob.rs`).
    pub fn into_pack(self) -> Pack {
        Pack {
            manifest: self.manifest,
            skills: self.skills,
            blueprints: self.blueprints,
            templates: Default::default(),
            origin: self.origin,
            source: PackSource::Bundled,
            by_id: Default::default(),
            detect_index: std::sync::OnceLock::from(self.index),
        }
    }
}

#[allow(dead_code)]
pub fn encode(packs: &[StoredPack]) -> Vec<u8> {
    rmp_serde::to_vec_named(packs).unwrap_or_default()
}

/// `None` when the bytes are not a list of stored packs (an empty blob means
/// the build left the packs to be parsed from YAML).
pub fn decode(bytes: &[u8]) -> Option<Vec<Pack>> {
    let stored: Vec<StoredPack> = rmp_serde::from_slice(bytes).ok()?;
    Some(stored.into_iter().map(StoredPack::into_pack).collect())
}
