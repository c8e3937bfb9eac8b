//! Close calls on work several packs do: a goal that asks for nothing but a
//! capability more than one pack offers ("DQ checks on the orders table:
//! nulls, uniqueness, freshness") is a close call with every other pack that
//! offers it, however far ahead the best pack's vocabulary puts it. The
//! capabilities, the words that only say where the work happens and the
//! words that place a goal with one pack are data
//! (`shared_capabilities.yaml`), compiled in at build time.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::Deserialize;

use super::index::SECONDARY_POINTS;
use super::PackWord;

#[derive(Debug, Default, Deserialize)]
struct File {
    capabilities: Vec<Capability>,
    #[serde(default)]
    context: BTreeSet<String>,
    #[serde(default)]
    places: BTreeSet<String>,
}

#[derive(Debug, Deserialize)]
struct Capability {
    name: String,
    packs: Vec<String>,
    cues: BTreeSet<String>,
    #[serde(default)]
    words: BTreeSet<String>,
}

/// One word the best pack reads outside the capabilities it touched and the
/// context words, weighing this much (a secondary keyword), places the goal.
pub const PLACED_FROM: u32 = SECONDARY_POINTS;

fn load(text: &str) -> Result<File, String> {
    serde_yaml::from_str(text).map_err(|e| e.to_string())
}

fn file() -> &'static File {
    static FILE: OnceLock<File> = OnceLock::new();
    FILE.get_or_init(|| {
        // Compiled in and checked by a test; a broken file reads as no
        // shared capability rather than stopping detection.
        let blob: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/shared_capabilities.msgpack"));
        rmp_serde::from_slice::<File>(blob)
            .or_else(|_| load(include_str!("shared_capabilities.yaml")))
            .unwrap_or_default()
    })
}

/// What the goal asks of the best pack when that is only shared work: the
/// capabilities' names and the other packs that offer all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedAsk {
    pub names: Vec<String>,
    pub packs: BTreeSet<String>,
}

impl SharedAsk {
    /// The reason `detect` prints for a runner-up that offers the work too.
    pub fn reason_for(&self, pack: &str) -> Option<String> {
        self.packs.contains(pack).then(|| {
            format!(
                "the goal asks only for {}, which this pack offers too",
                self.names.join(" and ")
            )
        })
    }
}

/// The shared work `words` (the best pack's counted words) ask for, when
/// nothing else they read places the goal with `best`, and no other pack
/// reads a word of its own way of working (`elsewhere`: words only that
/// pack reads, each with a primary keyword's weight or more, as "bigeye";
/// a word of shared work or of context, as dbt's "not null", is none).
pub fn shared_ask(best: &str, words: &[PackWord], elsewhere: &[&str]) -> Option<SharedAsk> {
    let f = file();
    let shared_word = |w: &str| {
        f.context.contains(w)
            || f.capabilities
                .iter()
                .any(|c| c.cues.contains(w) || c.words.contains(w))
    };
    if elsewhere.iter().any(|w| !shared_word(w)) {
        return None;
    }
    shared_ask_in(f, best, words)
}

fn shared_ask_in(f: &File, best: &str, words: &[PackWord]) -> Option<SharedAsk> {
    let live: Vec<&Capability> = f
        .capabilities
        .iter()
        .filter(|c| c.packs.iter().any(|p| p == best))
        .filter(|c| words.iter().any(|w| c.cues.contains(&w.keyword)))
        .collect();
    if live.is_empty() {
        return None;
    }
    if words.iter().any(|w| f.places.contains(&w.keyword)) {
        return None;
    }
    let mut touched: Vec<&Capability> = Vec::new();
    let mut placing = 0;
    for w in words {
        let explains: Vec<&Capability> = live
            .iter()
            .copied()
            .filter(|c| c.cues.contains(&w.keyword) || c.words.contains(&w.keyword))
            .collect();
        if explains.is_empty() {
            if !f.context.contains(&w.keyword) {
                placing += w.weight;
            }
            continue;
        }
        for c in explains {
            if !touched.iter().any(|t| t.name == c.name) {
                touched.push(c);
            }
        }
    }
    if placing >= PLACED_FROM {
        return None;
    }
    let mut packs: Option<BTreeSet<String>> = None;
    for c in &touched {
        let offer: BTreeSet<String> = c.packs.iter().filter(|p| *p != best).cloned().collect();
        packs = Some(match packs {
            None => offer,
            Some(p) => p.intersection(&offer).cloned().collect(),
        });
    }
    let packs = packs.filter(|p| !p.is_empty())?;
    Some(SharedAsk {
        names: touched.iter().map(|c| c.name.clone()).collect(),
        packs,
    })
}

/// Every keyword the capability file names, for the lint test.
#[cfg(test)]
fn all_words(f: &File) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for c in &f.capabilities {
        for w in c.cues.iter().chain(&c.words) {
            out.push((c.name.clone(), w.clone()));
        }
    }
    for w in &f.context {
        out.push(("context".to_string(), w.clone()));
    }
    for w in &f.places {
        out.push(("places".to_string(), w.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(k: &str, weight: u32) -> PackWord {
        PackWord {
            keyword: k.to_string(),
            weight,
            share: 1.0,
            evidence: f64::from(weight),
        }
    }

    const SMALL: &str = "
capabilities:
  - name: checks
    packs: [a, b, c]
    cues: [dq]
    words: [alert]
  - name: alerting
    packs: [a, b]
    cues: [alert]
context: [snowflake]
";

    #[test]
    fn only_shared_work_names_every_pack_that_offers_all_of_it() {
        let f = load(SMALL).expect("parses");
        let ask = shared_ask_in(&f, "a", &[word("dq", 10), word("snowflake", 10)]);
        assert_eq!(
            ask.map(|a| (a.names, a.packs.into_iter().collect::<Vec<_>>())),
            Some((
                vec!["checks".to_string()],
                vec!["b".to_string(), "c".to_string()]
            ))
        );
        // Two capabilities touched: only the packs offering both.
        let ask = shared_ask_in(&f, "a", &[word("dq", 10), word("alert", 3)]);
        assert_eq!(
            ask.map(|a| a.packs.into_iter().collect::<Vec<_>>()),
            Some(vec!["b".to_string()])
        );
    }

    #[test]
    fn a_word_outside_the_lists_places_the_goal_from_a_secondary_weight() {
        let f = load(SMALL).expect("parses");
        assert_eq!(
            shared_ask_in(&f, "a", &[word("dq", 10), word("bigeye", PLACED_FROM)]),
            None
        );
        assert!(
            shared_ask_in(&f, "a", &[word("dq", 10), word("bigeye", PLACED_FROM - 1)]).is_some()
        );
        // No cue read: nothing is asked of shared work.
        assert_eq!(shared_ask_in(&f, "a", &[word("snowflake", 10)]), None);
        // A pack that does not offer the capability is not read for it.
        assert_eq!(shared_ask_in(&f, "z", &[word("dq", 10)]), None);
    }

    #[test]
    fn the_embedded_blob_reads_as_the_yaml_does() {
        let blob: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/shared_capabilities.msgpack"));
        let from_blob = rmp_serde::from_slice::<File>(blob).expect("the blob decodes");
        let from_yaml = load(include_str!("shared_capabilities.yaml")).expect("the yaml parses");
        assert_eq!(all_words(&from_blob), all_words(&from_yaml));
        assert_eq!(
            from_blob
                .capabilities
                .iter()
                .map(|c| &c.packs)
                .collect::<Vec<_>>(),
            from_yaml
                .capabilities
                .iter()
                .map(|c| &c.packs)
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn every_word_is_a_keyword_of_a_bundled_pack_and_every_pack_exists() {
        let f = load(include_str!("shared_capabilities.yaml")).expect("the yaml parses");
        let registry = crate::pack::Registry::bundled_checked().expect("bundled packs load");
        let known: BTreeSet<String> = registry
            .packs
            .iter()
            .flat_map(|p| p.detect_index().terms.iter().map(|t| t.text.clone()))
            .collect();
        let unknown: Vec<(String, String)> = all_words(&f)
            .into_iter()
            .filter(|(_, w)| !known.contains(w))
            .collect();
        assert!(
            unknown.is_empty(),
            "words no bundled pack reads: {unknown:?}"
        );
        for c in &f.capabilities {
            assert!(
                c.packs.len() >= 2,
                "{}: a shared capability needs two packs",
                c.name
            );
            for p in &c.packs {
                assert!(registry.get(p).is_some(), "{}: no bundled pack {p}", c.name);
            }
        }
    }
}
