//! The bundled packs precompiled: build.rs parses them from YAML into the
//! pack model, builds each one's detection index, and stores them as
//! MessagePack (`stored.rs`) in `$OUT_DIR`; a start decodes that instead of
//! parsing YAML and stemming keywords (which was most of a `detect`
//! process's time). Templates stay in the embedded pack folders and are
//! copied out only for the pack that renders.
//!
//! The blob is built from the current sources at every build that touches
//! them, so it cannot be stale. When build.rs could not compile a pack (a
//! broken pack during development) the blob is empty and the packs are
//! parsed from YAML, which reports the problem.

use std::sync::Mutex;
use std::thread::JoinHandle;

use super::model::Pack;

static BLOB: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/bundled.msgpack"));

/// `bytes` as a slice of the embedded blob when that is where they are
/// (decoding it hands out its own bytes), else `None`.
pub(crate) fn embedded(bytes: &[u8]) -> Option<&'static [u8]> {
    let start = (bytes.as_ptr() as usize).checked_sub(BLOB.as_ptr() as usize)?;
    BLOB.get(start..start.checked_add(bytes.len())?)
}

/// The second half of the bundled packs (by size), being decoded on a
/// helper thread since the process started; the first [`bundled_packs`]
/// takes it.
static AHEAD: Mutex<Option<JoinHandle<Option<Vec<Pack>>>>> = Mutex::new(None);

/// Starts decoding the second half of the bundled packs on another thread,
/// so that the first [`bundled_packs`] decodes only the first half itself.
/// Called first thing in `main`, while the command line is parsed.
pub fn decode_ahead() {
    if BLOB.is_empty() {
        return;
    }
    let helper = std::thread::Builder::new().name("decode".into()).spawn(|| {
        let parts = super::stored::parts(BLOB)?;
        let second = &parts[split(&parts)..];
        crate::arena::scope(|| {
            second
                .iter()
                .map(|p| super::stored::decode_part(p))
                .collect()
        })
    });
    if let (Ok(helper), Ok(mut ahead)) = (helper, AHEAD.lock()) {
        *ahead = Some(helper);
    }
}

/// Where the packs split into two halves of about equal size.
fn split(parts: &[&[u8]]) -> usize {
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let mut sum = 0;
    parts
        .iter()
        .position(|p| {
            sum += p.len();
            sum * 2 >= total
        })
        .map_or(parts.len(), |i| i + 1)
}

/// The bundled packs from the blob, or `None` when the build left them to
/// the YAML (the caller then parses it).
pub(crate) fn bundled_packs() -> Option<Vec<Pack>> {
    if BLOB.is_empty() {
        return None;
    }
    let parts = super::stored::parts(BLOB)?;
    let at = split(&parts);
    let ahead = AHEAD.lock().ok().and_then(|mut a| a.take());
    // Decoded once and kept to the end: from the start-up region.
    let decode = |parts: &[&[u8]]| -> Option<Vec<Pack>> {
        crate::arena::scope(|| {
            parts
                .iter()
                .map(|p| super::stored::decode_part(p))
                .collect()
        })
    };
    let mut packs = decode(&parts[..at])?;
    let rest = match ahead.and_then(|h| h.join().ok()).flatten() {
        Some(rest) => rest,
        None => decode(&parts[at..])?,
    };
    packs.extend(rest);
    for p in &mut packs {
        let dir = p.origin.strip_prefix("bundled:").unwrap_or(&p.origin);
        p.templates =
            super::model::Templates::lazy(super::load::embedded_templates, dir.to_string());
    }
    Some(packs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::stored::{encode, StoredPack};
    use crate::pack::Registry;

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

    /// Every field of the pack model in Debug form (which shows floats to
    /// the last digit); the lazily built caches are left out.
    fn model(p: &Pack) -> String {
        format!(
            "{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:?}\n{:?}",
            p.manifest, p.skills, p.blueprints, p.templates, p.origin, p.source
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
        let blob = bundled_packs().expect("build.rs compiled every bundled pack");
        assert_same(&blob, &yaml);
        // The registry the app gets is the blob's.
        let reg = Registry::bundled().expect("bundled");
        assert_same(&reg.packs, &yaml);
    }

    #[test]
    fn packs_decoded_ahead_on_a_helper_equal_those_decoded_in_place() {
        let yaml = from_yaml();
        for _ in 0..3 {
            decode_ahead();
            let packs = bundled_packs().expect("build.rs compiled every bundled pack");
            assert!(packs.iter().all(|p| !p.templates.loaded()));
            assert_same(&packs, &yaml);
        }
        // The halves: both non-empty, in blob order.
        let parts = crate::pack::stored::parts(BLOB).expect("blob");
        let at = split(&parts);
        assert!(at >= 1 && at < parts.len(), "{at} of {}", parts.len());
        assert_eq!(split(&[]), 0);
        assert_eq!(split(&[&[1u8][..]]), 1);
        assert_eq!(split(&[&[1u8; 10][..], &[1u8; 10][..]]), 1);
        assert_eq!(split(&[&[1u8; 1][..], &[1u8; 1][..], &[1u8; 10][..]]), 3);
    }

    #[test]
    fn templates_are_copied_out_only_for_the_pack_that_uses_them() {
        let reg = Registry::bundled().expect("bundled");
        assert!(reg.packs.len() > 1);
        assert!(reg.packs.iter().all(|p| !p.templates.loaded()));
        // Detection reads no template.
        let _ = crate::detect::detect(&reg, "dbt models on snowflake with tests");
        assert!(reg.packs.iter().all(|p| !p.templates.loaded()));
        let first = &reg.packs[0];
        assert!(!first.templates.is_empty());
        assert!(first.templates.loaded());
        assert!(reg.packs[1..].iter().all(|p| !p.templates.loaded()));
    }

    #[test]
    fn the_stored_detection_index_equals_one_built_from_yaml() {
        let yaml = from_yaml();
        let blob = bundled_packs().expect("build.rs compiled every bundled pack");
        for (b, y) in blob.iter().zip(&yaml) {
            let stored = b.detect_index.get().expect("the index comes with the pack");
            let built = crate::detect::PackIndex::new(y);
            let as_yaml = |ix: &crate::detect::PackIndex| {
                canonical(&serde_yaml::to_value(ix).expect("the index serialises"))
            };
            assert!(
                as_yaml(stored) == as_yaml(&built),
                "pack {}: the stored index differs from one built now",
                b.manifest.id
            );
        }
    }

    /// Text of `v` with every mapping and list in sorted order: HashMaps and
    /// HashSets iterate in a different order in every process.
    fn canonical(v: &serde_yaml::Value) -> String {
        use serde_yaml::Value;
        match v {
            Value::Mapping(m) => {
                let mut parts: Vec<String> = m
                    .iter()
                    .map(|(k, v)| format!("{}: {}", canonical(k), canonical(v)))
                    .collect();
                parts.sort();
                format!("{{{}}}", parts.join(", "))
            }
            Value::Sequence(items) => {
                let mut parts: Vec<String> = items.iter().map(canonical).collect();
                parts.sort();
                format!("[{}]", parts.join(", "))
            }
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn only_slices_inside_the_blob_are_borrowed_from_it() {
        let n = BLOB.len();
        assert!(n > 100);
        for (start, end) in [(0, 0), (0, n), (1, 7), (n - 5, n), (n / 2, n / 2 + 1)] {
            let got = embedded(&BLOB[start..end]).expect("inside");
            assert_eq!(got.as_ptr(), BLOB[start..].as_ptr());
            assert_eq!(got.len(), end - start);
        }
        // Equal bytes elsewhere, and slices that start before or run past it.
        let copy = BLOB.to_vec();
        assert!(embedded(&copy[..10]).is_none());
        assert!(embedded(&copy).is_none());
        let before = [0u8; 4];
        assert!(embedded(&before).is_none());
    }

    #[test]
    fn the_lazy_parts_of_bundled_packs_borrow_the_blob() {
        let packs = bundled_packs().expect("build.rs compiled every bundled pack");
        let mut parts = 0;
        for p in &packs {
            for s in &p.skills {
                for borrowed in [
                    s.questions.borrows_embedded(),
                    s.outputs.borrows_embedded(),
                    s.checks.borrows_embedded(),
                ] {
                    assert!(borrowed, "{}/{}", p.manifest.id, s.id);
                    parts += 1;
                }
            }
            for b in &p.blueprints {
                assert!(b.questions.borrows_embedded(), "{}/{}", p.manifest.id, b.id);
                assert!(
                    b.deliverables.borrows_embedded(),
                    "{}/{}",
                    p.manifest.id,
                    b.id
                );
            }
        }
        assert!(parts > 30, "{parts}");
        // A clone still borrows, and reads the same as the YAML.
        let yaml = from_yaml();
        let first = packs[0].clone();
        assert!(first.skills[0].outputs.borrows_embedded());
        assert_eq!(
            format!("{:?}", first.skills[0].outputs),
            format!("{:?}", yaml[0].skills[0].outputs)
        );
    }

    #[test]
    fn a_damaged_blob_is_refused_without_panicking() {
        // The smallest pack keeps this quick in a debug build.
        let mut packs = from_yaml();
        packs.sort_by_key(|p| p.templates.values().map(String::len).sum::<usize>());
        packs.truncate(1);
        let stored: Vec<StoredPack> = packs
            .into_iter()
            .map(|p| {
                let ix = crate::detect::PackIndex::new(&p);
                StoredPack::new(p, ix)
            })
            .collect();
        let bytes = encode(&stored);
        let decoded = crate::pack::stored::decode(&bytes).expect("round trip");
        assert_eq!(decoded.len(), 1);
        // Truncations all along, and seeded byte flips across the whole blob.
        let step = (bytes.len() / 150).max(1);
        for len in (0..bytes.len()).step_by(step) {
            assert!(
                crate::pack::stored::decode(&bytes[..len]).is_none(),
                "cut at {len}"
            );
        }
        // Seeded byte flips across the whole blob, the lazily decoded parts
        // included: the checksum refuses every one (the caller then reads
        // the YAML), so no damaged part is ever decoded later.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..300 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut damaged = bytes.clone();
            let at = (seed % damaged.len() as u64) as usize;
            damaged[at] ^= 1 << (seed >> 61);
            assert!(
                crate::pack::stored::decode(&damaged).is_none(),
                "flip at {at}"
            );
        }
        assert_eq!(crate::pack::stored::check(&bytes), Ok(()));
    }

    /// Which lazy parts of `packs` have been decoded, as "pack/skill.part".
    fn decoded(packs: &[Pack]) -> Vec<String> {
        let mut out = Vec::new();
        for p in packs {
            for s in &p.skills {
                for (part, done) in [
                    ("questions", s.questions.is_decoded()),
                    ("outputs", s.outputs.is_decoded()),
                    ("checks", s.checks.is_decoded()),
                ] {
                    if done {
                        out.push(format!("{}/{}.{part}", p.manifest.id, s.id));
                    }
                }
            }
            for b in &p.blueprints {
                for (part, done) in [
                    ("questions", b.questions.is_decoded()),
                    ("presets", b.presets.is_decoded()),
                    ("deliverables", b.deliverables.is_decoded()),
                ] {
                    if done {
                        out.push(format!("{}/{}.{part}", p.manifest.id, b.id));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn detection_decodes_no_question_output_or_check_and_a_journey_only_its_own() {
        let goals = [
            "dbt models on snowflake with tests and docs",
            "kafka streaming pipeline into bigquery with airflow",
            "analyse why my pipeline is slow",
            "",
            "no dbt, no airflow: 日本 ü \u{0} {{ x }}",
        ];
        for goal in goals {
            let reg = Registry::bundled().expect("bundled");
            assert!(decoded(&reg.packs).is_empty());
            let Ok(det) = crate::detect::detect(&reg, goal) else {
                assert!(decoded(&reg.packs).is_empty(), "{goal}");
                continue;
            };
            assert!(
                decoded(&reg.packs).is_empty(),
                "{goal}: {:?}",
                decoded(&reg.packs)
            );
            let det = det.inner;
            let pack = reg.get(&det.pack).expect("the detected pack");
            let session = crate::session::Session::new(
                std::sync::Arc::new(pack.clone()),
                det.clone(),
                det.offer.clone(),
                crate::pack::Maturity::default(),
            );
            // The registry's packs stay packed: the session decoded its copy.
            assert!(decoded(&reg.packs).is_empty(), "{goal}");
            let chain: Vec<String> = session
                .chain
                .iter()
                .map(|e| format!("{}/{}.questions", det.pack, e.id))
                .collect();
            let offered: Vec<String> = session
                .blueprint
                .iter()
                .flat_map(|b| ["questions", "presets"].map(|p| format!("{}/{b}.{p}", det.pack)))
                .collect();
            let used = decoded(std::slice::from_ref(session.pack()));
            for d in &used {
                assert!(
                    chain.contains(d) || offered.contains(d),
                    "{goal}: {d} decoded, chain {chain:?}"
                );
            }
        }
    }
}
