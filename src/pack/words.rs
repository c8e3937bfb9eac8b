//! Detection vocabulary in pack files must be text: YAML reads an unquoted
//! `null`, `true`, `no`, `1.0` or `~` as something else, and a keyword that is
//! silently turned into "null" or lost is a keyword that never matches what
//! its author meant. These deserializers refuse such entries with the fix.

use serde::de::{Deserializer, Error};
use serde::Deserialize;
use serde_yaml::Value;
use std::collections::BTreeMap;

/// The text of `v`, or an error telling the author to quote it.
fn text(v: Value, what: &str) -> Result<String, String> {
    if let Value::String(s) = v {
        return Ok(s);
    }
    let shown = match &v {
        Value::String(s) => s.clone(),
        Value::Null => "null (or ~, or nothing)".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Sequence(_) => "a list".to_string(),
        Value::Mapping(_) => "a mapping".to_string(),
        Value::Tagged(t) => format!("a value tagged {}", t.tag),
    };
    let example = match v {
        Value::Null => "null".to_string(),
        _ => shown.clone(),
    };
    Err(format!(
        "{what} is read by YAML as {shown}, not as text: quote it, e.g. \"{example}\""
    ))
}

// The embedded packs' blob (a binary format, see `stored.rs`) holds only
// text already checked at build time: it is read as text directly, without
// the detour through YAML values.

pub(crate) fn text_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    if !d.is_human_readable() {
        return Vec::<String>::deserialize(d);
    }
    Vec::<Value>::deserialize(d)?
        .into_iter()
        .map(|v| text(v, "a keyword").map_err(D::Error::custom))
        .collect()
}

pub(crate) fn text_keys<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, u32>, D::Error> {
    if !d.is_human_readable() {
        return BTreeMap::<String, u32>::deserialize(d);
    }
    let raw = serde_yaml::Mapping::deserialize(d)?;
    let mut out = BTreeMap::new();
    for (k, v) in raw {
        let key = text(k, "a trigger").map_err(D::Error::custom)?;
        let w =
            u32::deserialize(v).map_err(|e| D::Error::custom(format!("trigger \"{key}\": {e}")))?;
        out.insert(key, w);
    }
    Ok(out)
}

pub(crate) fn text_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    if !d.is_human_readable() {
        return BTreeMap::<String, String>::deserialize(d);
    }
    let raw = serde_yaml::Mapping::deserialize(d)?;
    let mut out = BTreeMap::new();
    for (k, v) in raw {
        let key = text(k, "a synonym").map_err(D::Error::custom)?;
        let val =
            text(v, &format!("the reading of synonym \"{key}\"")).map_err(D::Error::custom)?;
        out.insert(key, val);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::pack::Keywords;

    #[test]
    fn keywords_that_yaml_reads_as_other_types_are_refused_with_the_fix() {
        for bad in ["null", "~", "true", "False", "1.0", "42", "0x1F"] {
            let yaml = format!("primary: [kafka, {bad}]");
            let err = serde_yaml::from_str::<Keywords>(&yaml)
                .expect_err(bad)
                .to_string();
            assert!(err.contains("quote it"), "{bad}: {err}");
        }
        let ok: Keywords =
            serde_yaml::from_str("primary: [kafka, \"null\", 'true']").expect("quoted");
        assert_eq!(ok.primary, vec!["kafka", "null", "true"]);
    }
}
