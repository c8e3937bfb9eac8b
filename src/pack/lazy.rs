//! A part of a bundled pack that is decoded only when something reads it.
//!
//! `detect` needs every pack's keywords and index but the questions,
//! outputs and checks of none of them, and a journey needs them for one
//! pack only. In the embedded blob (a binary, not human-readable format)
//! such a part is stored as its own MessagePack bytes and kept undecoded
//! until first use; from YAML or JSON (human-readable formats) it is read
//! and written as the plain value, so pack files and every text output are
//! unchanged.
//!
//! The blob's integrity is checked when it is opened (`stored.rs`) and
//! every part was decoded back at build time, so a part that fails to
//! decode here means a damaged binary; it then reads as empty.

use serde::de::{DeserializeOwned, Deserializer, Error, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// Set by a command that runs one journey and ends: what its pack decodes
/// then lives until the process ends, as the packs themselves do.
static FOR_THE_PROCESS: AtomicBool = AtomicBool::new(false);

/// From now on, parts are decoded into the start-up region
/// (`arena::scope`): allocated by moving a pointer and never freed, instead
/// of thousands of calls to malloc and, at the end, to free. Only for a
/// process that runs one journey (`run`, `validate`); the app, which starts
/// journey after journey, keeps the system allocator.
pub fn decode_for_the_process() {
    FOR_THE_PROCESS.store(true, Ordering::Relaxed);
}

pub struct Lazy<T> {
    value: OnceLock<T>,
    /// MessagePack of the value, until it is decoded; shared by clones.
    packed: Option<Packed>,
}

/// The MessagePack of a part: borrowed from the blob embedded in the binary
/// (no copy: the blob outlives everything), or a shared copy of bytes from
/// anywhere else.
#[derive(Clone)]
enum Packed {
    Embedded(&'static [u8]),
    Shared(Arc<[u8]>),
}

impl std::ops::Deref for Packed {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Packed::Embedded(b) => b,
            Packed::Shared(b) => b,
        }
    }
}

impl<T: DeserializeOwned + Default> Lazy<T> {
    fn decode(packed: Option<&[u8]>) -> T {
        let decode = || {
            packed
                .and_then(|b| rmp_serde::from_slice(b).ok())
                .unwrap_or_default()
        };
        if FOR_THE_PROCESS.load(Ordering::Relaxed) {
            crate::arena::scope(decode)
        } else {
            decode()
        }
    }

    /// True once the value has been decoded (tests check laziness).
    #[allow(dead_code)]
    pub fn is_decoded(&self) -> bool {
        self.value.get().is_some()
    }

    /// True while the value is still the embedded blob's bytes, not a copy
    /// (tests check the blob is borrowed).
    #[allow(dead_code)]
    pub fn borrows_embedded(&self) -> bool {
        matches!(self.packed, Some(Packed::Embedded(_))) && !self.is_decoded()
    }

    /// Decodes the value now; `Err` when the stored bytes do not decode
    /// (build.rs checks every part this way).
    #[allow(dead_code)]
    pub fn check(&self) -> Result<(), String> {
        match (&self.packed, self.value.get()) {
            (Some(b), None) => rmp_serde::from_slice::<T>(b)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            _ => Ok(()),
        }
    }
}

impl<T> From<T> for Lazy<T> {
    fn from(value: T) -> Lazy<T> {
        Lazy {
            value: OnceLock::from(value),
            packed: None,
        }
    }
}

impl<T> Default for Lazy<T> {
    fn default() -> Lazy<T> {
        Lazy {
            value: OnceLock::new(),
            packed: None,
        }
    }
}

impl<T: Clone> Clone for Lazy<T> {
    fn clone(&self) -> Lazy<T> {
        match self.value.get() {
            Some(v) => Lazy::from(v.clone()),
            None => Lazy {
                value: OnceLock::new(),
                packed: self.packed.clone(),
            },
        }
    }
}

impl<T: DeserializeOwned + Default> std::ops::Deref for Lazy<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value
            .get_or_init(|| Self::decode(self.packed.as_deref()))
    }
}

impl<T: DeserializeOwned + Default> std::ops::DerefMut for Lazy<T> {
    fn deref_mut(&mut self) -> &mut T {
        let value = match self.value.take() {
            Some(v) => v,
            None => Self::decode(self.packed.as_deref()),
        };
        self.packed = None;
        self.value = OnceLock::from(value);
        match self.value.get_mut() {
            Some(v) => v,
            // Set on the line above.
            None => unreachable!("a Lazy value was just set"),
        }
    }
}

impl<T: DeserializeOwned + Default + std::fmt::Debug> std::fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl<'a, T: DeserializeOwned + Default> IntoIterator for &'a Lazy<T>
where
    &'a T: IntoIterator,
{
    type Item = <&'a T as IntoIterator>::Item;
    type IntoIter = <&'a T as IntoIterator>::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        (**self).into_iter()
    }
}

impl<'a, T: DeserializeOwned + Default> IntoIterator for &'a mut Lazy<T>
where
    &'a mut T: IntoIterator,
{
    type Item = <&'a mut T as IntoIterator>::Item;
    type IntoIter = <&'a mut T as IntoIterator>::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        (**self).into_iter()
    }
}

impl<T: Serialize + DeserializeOwned + Default> Serialize for Lazy<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            return (**self).serialize(s);
        }
        match (&self.packed, self.value.get()) {
            (Some(b), None) => s.serialize_bytes(b),
            _ => {
                let bytes = rmp_serde::to_vec_named(&**self).map_err(serde::ser::Error::custom)?;
                s.serialize_bytes(&bytes)
            }
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Lazy<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Lazy<T>, D::Error> {
        if d.is_human_readable() {
            return T::deserialize(d).map(Lazy::from);
        }
        let packed = d.deserialize_bytes(Bytes)?;
        Ok(Lazy {
            value: OnceLock::new(),
            packed: Some(packed),
        })
    }
}

struct Bytes;

impl<'de> Visitor<'de> for Bytes {
    type Value = Packed;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the MessagePack bytes of a pack part")
    }
    fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Packed, E> {
        // Decoding the embedded blob hands out slices of it: keep the slice
        // instead of copying a quarter of a megabyte at every start.
        Ok(match crate::pack::blob::embedded(v) {
            Some(b) => Packed::Embedded(b),
            None => Packed::Shared(v.into()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Lazy;
    use std::collections::BTreeMap;

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Holder {
        name: String,
        #[serde(default)]
        parts: Lazy<Vec<BTreeMap<String, Vec<String>>>>,
    }

    fn parts(seed: u64) -> Vec<BTreeMap<String, Vec<String>>> {
        let mut s = seed | 1;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        (0..next() % 6)
            .map(|i| {
                (0..next() % 4)
                    .map(|j| {
                        (
                            format!("k{i}.{j} ü"),
                            vec![format!("{}", next()); (next() % 3) as usize],
                        )
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn binary_form_stays_packed_until_read_and_reads_back_equal() {
        for seed in 0..60u64 {
            let want = parts(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let h = Holder {
                name: "n".into(),
                parts: Lazy::from(want.clone()),
            };
            let bytes = rmp_serde::to_vec_named(&h).expect("encodes");
            let back: Holder = rmp_serde::from_slice(&bytes).expect("decodes");
            assert!(!back.parts.is_decoded());
            // A clone of a packed value is packed too, and both read the same.
            let copy = Holder {
                name: back.name.clone(),
                parts: back.parts.clone(),
            };
            assert!(!copy.parts.is_decoded());
            assert_eq!(back.parts.check(), Ok(()));
            assert_eq!(*back.parts, want);
            assert!(back.parts.is_decoded());
            assert_eq!(*copy.parts, want);
            // Encoding again, before or after reading, gives the same bytes.
            assert_eq!(rmp_serde::to_vec_named(&back).expect("encodes"), bytes);
        }
    }

    #[test]
    fn text_forms_hold_the_plain_value() {
        let want = parts(7);
        let h = Holder {
            name: "n".into(),
            parts: Lazy::from(want.clone()),
        };
        let json = serde_json::to_value(&h).expect("JSON");
        assert_eq!(json["parts"], serde_json::to_value(&want).expect("JSON"));
        let yaml = serde_yaml::to_string(&h).expect("YAML");
        let back: Holder = serde_yaml::from_str(&yaml).expect("YAML back");
        assert!(back.parts.is_decoded());
        assert_eq!(*back.parts, want);
        let missing: Holder = serde_yaml::from_str("name: n").expect("default");
        assert!(missing.parts.is_empty());
        assert_eq!(format!("{:?}", back.parts), format!("{want:?}"));
    }

    #[test]
    fn changing_a_packed_value_decodes_it_first() {
        let want = parts(11);
        let bytes = rmp_serde::to_vec_named(&Holder {
            name: "n".into(),
            parts: Lazy::from(want.clone()),
        })
        .expect("encodes");
        let mut back: Holder = rmp_serde::from_slice(&bytes).expect("decodes");
        back.parts.push(BTreeMap::new());
        let mut expected = want;
        expected.push(BTreeMap::new());
        assert_eq!(*back.parts, expected);
        // The change is what is encoded, not the old bytes.
        let again: Holder =
            rmp_serde::from_slice(&rmp_serde::to_vec_named(&back).expect("encodes"))
                .expect("decodes");
        assert_eq!(*again.parts, expected);
    }

    #[test]
    fn damaged_bytes_are_reported_by_check_and_read_as_empty() {
        // 0xc1 is never used in MessagePack; the others are cut short.
        for bytes in [&[0xc1][..], &[0x92, 0x81], &[0xdd, 0, 0, 0, 9], &[]] {
            let bad: Lazy<Vec<BTreeMap<String, Vec<String>>>> = Lazy {
                value: std::sync::OnceLock::new(),
                packed: Some(super::Packed::Shared(bytes.into())),
            };
            assert!(bad.check().is_err(), "{bytes:?}");
            assert!(bad.is_empty());
        }
    }
}
