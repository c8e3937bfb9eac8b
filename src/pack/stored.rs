//! The form bundled packs are stored in inside the binary: each pack's
//! model with its detection index, as MessagePack. Shared by build.rs
//! (which encodes it at build time, compiling this file with `#[path]`) and
//! `blob.rs` (which decodes it at start), so both sides read one definition.
//!
//! Templates are not stored here: the binary embeds the pack folders, and
//! a pack's templates are read from there when first rendered.
//!
//! MessagePack with field names: the model needs a self-describing format
//! (keywords read through `serde_yaml::Value`, fields skipped when empty).
//! A skill's questions, outputs and checks and a blueprint's questions,
//! presets and deliverables are stored as bytes inside it and decoded on
//! first use (`lazy.rs`), so `detect` decodes only what detection reads.

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

    /// For build.rs's precompiled content checks.
    pub fn skills(&self) -> &[Skill] {
        &self.skills
    }

    pub fn blueprints(&self) -> &[Blueprint] {
        &self.blueprints
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
            detect_index: std::sync::OnceLock::from(std::sync::Arc::new(self.index)),
        }
    }
}

/// The CRC-32 of the body (little-endian), then the body: the number of
/// packs and each pack's length (u32, little-endian), then each pack's
/// MessagePack. Packs stand apart so that two threads can decode them.
#[allow(dead_code)]
pub fn encode(packs: &[StoredPack]) -> Vec<u8> {
    let mut parts = Vec::with_capacity(packs.len());
    for p in packs {
        let Ok(bytes) = rmp_serde::to_vec_named(p) else {
            return Vec::new();
        };
        parts.push(bytes);
    }
    let mut body = Vec::new();
    let count = |n: usize| u32::try_from(n).map(u32::to_le_bytes);
    let Ok(n) = count(parts.len()) else {
        return Vec::new();
    };
    body.extend_from_slice(&n);
    for part in &parts {
        let Ok(len) = count(part.len()) else {
            return Vec::new();
        };
        body.extend_from_slice(&len);
    }
    for part in &parts {
        body.extend_from_slice(part);
    }
    let mut out = crc32fast::hash(&body).to_le_bytes().to_vec();
    out.extend_from_slice(&body);
    out
}

/// Each pack's MessagePack, in order; `None` when the checksum or the
/// framing does not hold. The checksum covers the parts decoded later (see
/// `lazy.rs`): a damaged blob is refused here, as a whole, and the caller
/// falls back to the YAML.
pub fn parts(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let (sum, body) = bytes.split_first_chunk::<4>()?;
    if crc32fast::hash(body) != u32::from_le_bytes(*sum) {
        return None;
    }
    let word = |at: usize| -> Option<usize> {
        let b = body.get(at..at.checked_add(4)?)?;
        usize::try_from(u32::from_le_bytes(b.try_into().ok()?)).ok()
    };
    let n = word(0)?;
    let mut start = n.checked_add(1)?.checked_mul(4)?;
    let mut out = Vec::with_capacity(n.min(body.len() / 4));
    for i in 0..n {
        let len = word((i + 1) * 4)?;
        let end = start.checked_add(len)?;
        out.push(body.get(start..end)?);
        start = end;
    }
    (start == body.len()).then_some(out)
}

/// One pack from its MessagePack (a part of [`parts`]).
pub fn decode_part(part: &[u8]) -> Option<Pack> {
    rmp_serde::from_slice::<StoredPack>(part)
        .ok()
        .map(StoredPack::into_pack)
}

/// `None` when the bytes are not a blob of stored packs (an empty blob means
/// the build left the packs to be parsed from YAML), or any pack in it does
/// not decode.
pub fn decode(bytes: &[u8]) -> Option<Vec<Pack>> {
    parts(bytes)?.into_iter().map(decode_part).collect()
}

/// Decodes everything, the lazy parts too; the first part that does not
/// decode is the error (build.rs runs this on the blob it writes).
#[allow(dead_code)]
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let packs = decode(bytes).ok_or("the blob does not decode")?;
    for p in &packs {
        let at =
            |what: &str, id: &str, e: String| format!("pack {}, {what} {id}: {e}", p.manifest.id);
        for s in &p.skills {
            s.questions.check().map_err(|e| at("skill", &s.id, e))?;
            s.outputs.check().map_err(|e| at("skill", &s.id, e))?;
            s.checks.check().map_err(|e| at("skill", &s.id, e))?;
        }
        for b in &p.blueprints {
            b.questions.check().map_err(|e| at("blueprint", &b.id, e))?;
            b.presets.check().map_err(|e| at("blueprint", &b.id, e))?;
            b.deliverables
                .check()
                .map_err(|e| at("blueprint", &b.id, e))?;
        }
    }
    Ok(())
}
