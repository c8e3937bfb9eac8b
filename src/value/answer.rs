//! An answer's value: the type alone, without the validation of
//! `crate::value`, so build.rs compiles it into the bundled packs' blob.
//!
//! In human-readable formats (YAML pack files, JSON answers and output) a
//! value is untagged: `true`, `3`, `0.5`, `text`, `[a, b]`. In the binary
//! blob of bundled packs it carries its variant, so decoding it is one
//! lookup instead of trying each variant against a buffered copy.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, PartialEq)]
pub enum AnswerValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    List(Vec<String>),
}

/// The human-readable form: the first variant the data fits, in this order.
/// Named as the type it reads, so its error says "untagged enum AnswerValue".
mod untagged {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    pub enum AnswerValue {
        Bool(bool),
        Int(i64),
        Float(f64),
        Text(String),
        List(Vec<String>),
    }
}
use untagged::AnswerValue as Untagged;

/// The binary form: the variant is stored.
#[derive(Serialize, Deserialize)]
#[serde(rename = "AnswerValue")]
enum Tagged<T, L> {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(T),
    List(L),
}

impl Serialize for AnswerValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            return match self {
                AnswerValue::Bool(b) => s.serialize_bool(*b),
                AnswerValue::Int(i) => s.serialize_i64(*i),
                AnswerValue::Float(f) => s.serialize_f64(*f),
                AnswerValue::Text(t) => s.serialize_str(t),
                AnswerValue::List(l) => l.serialize(s),
            };
        }
        let tagged: Tagged<&String, &Vec<String>> = match self {
            AnswerValue::Bool(b) => Tagged::Bool(*b),
            AnswerValue::Int(i) => Tagged::Int(*i),
            AnswerValue::Float(f) => Tagged::Float(*f),
            AnswerValue::Text(t) => Tagged::Text(t),
            AnswerValue::List(l) => Tagged::List(l),
        };
        tagged.serialize(s)
    }
}

impl<'de> Deserialize<'de> for AnswerValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<AnswerValue, D::Error> {
        if d.is_human_readable() {
            return Ok(match Untagged::deserialize(d)? {
                Untagged::Bool(b) => AnswerValue::Bool(b),
                Untagged::Int(i) => AnswerValue::Int(i),
                Untagged::Float(f) => AnswerValue::Float(f),
                Untagged::Text(t) => AnswerValue::Text(t),
                Untagged::List(l) => AnswerValue::List(l),
            });
        }
        Ok(match Tagged::<String, Vec<String>>::deserialize(d)? {
            Tagged::Bool(b) => AnswerValue::Bool(b),
            Tagged::Int(i) => AnswerValue::Int(i),
            Tagged::Float(f) => AnswerValue::Float(f),
            Tagged::Text(t) => AnswerValue::Text(t),
            Tagged::List(l) => AnswerValue::List(l),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::AnswerValue;

    /// Seeded values of every variant, with the edges of each: extreme and
    /// negative integers, floats with and without a fraction, text that
    /// reads as another type, empty and hostile text, empty lists.
    fn values() -> Vec<AnswerValue> {
        let texts = [
            "",
            "true",
            "no",
            "42",
            "1.5",
            "null",
            "~",
            "- a",
            "a: b",
            "\"q\"",
            "é ü 日本",
            "\u{0}",
            "{{ x }}",
            "line\nbreak",
        ];
        let mut out: Vec<AnswerValue> = vec![
            AnswerValue::Bool(true),
            AnswerValue::Bool(false),
            AnswerValue::Int(0),
            AnswerValue::Int(i64::MIN),
            AnswerValue::Int(i64::MAX),
            AnswerValue::Float(0.5),
            AnswerValue::Float(-1e300),
            AnswerValue::Float(1.0),
            AnswerValue::List(Vec::new()),
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..200 {
            let n = next();
            out.push(match n % 5 {
                0 => AnswerValue::Bool(n & 8 == 0),
                1 => AnswerValue::Int(next() as i64),
                2 => AnswerValue::Float((next() % 1_000_000) as f64 / 64.0 - 7000.0),
                3 => AnswerValue::Text(texts[(next() % texts.len() as u64) as usize].to_string()),
                _ => AnswerValue::List(
                    (0..next() % 4)
                        .map(|_| texts[(next() % texts.len() as u64) as usize].to_string())
                        .collect(),
                ),
            });
        }
        out
    }

    #[test]
    fn every_value_round_trips_through_the_blob_and_json_and_yaml() {
        for v in values() {
            let packed = rmp_serde::to_vec_named(&v).expect("encodes");
            let back: AnswerValue = rmp_serde::from_slice(&packed).expect("decodes");
            assert_eq!(back, v, "MessagePack");
            let json = serde_json::to_string(&v).expect("JSON");
            let back: AnswerValue = serde_json::from_str(&json).expect("JSON back");
            // JSON writes 1.0 as `1.0` and reads it back as the float.
            assert_eq!(back, v, "JSON {json}");
            let yaml = serde_yaml::to_string(&v).expect("YAML");
            let back: AnswerValue = serde_yaml::from_str(&yaml).expect("YAML back");
            assert_eq!(back, v, "YAML {yaml}");
        }
    }

    #[test]
    fn text_forms_are_untagged_and_read_in_variant_order() {
        let json = |v: &AnswerValue| serde_json::to_string(v).expect("JSON");
        assert_eq!(json(&AnswerValue::Bool(true)), "true");
        assert_eq!(json(&AnswerValue::Int(-3)), "-3");
        assert_eq!(json(&AnswerValue::Float(0.25)), "0.25");
        assert_eq!(json(&AnswerValue::Text("x".into())), "\"x\"");
        assert_eq!(json(&AnswerValue::List(vec!["a".into()])), "[\"a\"]");
        let yaml = |s: &str| serde_yaml::from_str::<AnswerValue>(s);
        assert_eq!(yaml("true").ok(), Some(AnswerValue::Bool(true)));
        assert_eq!(yaml("7").ok(), Some(AnswerValue::Int(7)));
        assert_eq!(yaml("7.0").ok(), Some(AnswerValue::Float(7.0)));
        assert_eq!(
            yaml("18446744073709551615").ok(),
            Some(AnswerValue::Float(18446744073709551615.0))
        );
        assert_eq!(yaml("'7'").ok(), Some(AnswerValue::Text("7".into())));
        assert_eq!(
            yaml("[a, 'b']").ok(),
            Some(AnswerValue::List(vec!["a".into(), "b".into()]))
        );
        for bad in ["~", "{a: 1}", "[1, [2]]"] {
            let err = yaml(bad).expect_err(bad).to_string();
            assert!(
                err.starts_with("data did not match any variant of untagged enum AnswerValue"),
                "{bad}: {err}"
            );
        }
    }
}
