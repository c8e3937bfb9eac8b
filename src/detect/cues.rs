//! Scope phrases read from `scope_cues.yaml`: the many ways a goal puts a
//! part of the work off ("bigeye is pushed to Q4"), leaves it alone ("leave
//! those be", "must not be rewritten"), gives it to someone else ("the MSK
//! cluster is run by infra") or says it works ("the loader runs fine").
//! The phrases are data so that a new way of saying it is one line, and a
//! test can walk every phrase.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::normalise::Token;

/// Which way a phrase points, and what it says of what it points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Points {
    /// What stands before is not asked.
    OutBefore,
    /// What stands before exists and works.
    ExistsBefore,
    /// What follows is not asked.
    OutAfter,
    /// What stands before and the rest of the clause exist.
    ExistsAround,
    /// A heading ("Out of scope:", "Non-goals:"): the list that follows
    /// it, up to the next heading, is not asked.
    OutHeading,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Alt {
    Word(String),
    Class(String),
    Any,
}

#[derive(Debug, Clone)]
struct Place {
    alts: Vec<Alt>,
    optional: bool,
}

#[derive(Debug, Clone)]
struct Phrase {
    points: Points,
    places: Vec<Place>,
}

#[derive(Debug, Default, serde::Deserialize)]
struct File {
    #[serde(default)]
    classes: HashMap<String, Vec<String>>,
    #[serde(default)]
    out_before: Vec<String>,
    #[serde(default)]
    exists_before: Vec<String>,
    #[serde(default)]
    out_after: Vec<String>,
    #[serde(default)]
    exists_around: Vec<String>,
    #[serde(default)]
    out_heading: Vec<String>,
}

#[derive(Default)]
struct Cues {
    classes: HashMap<String, HashSet<String>>,
    phrases: Vec<Phrase>,
    words: HashSet<String>,
}

/// A phrase found at a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub len: usize,
    pub points: Points,
    /// The phrase points with "it", "those", … ("leave those be").
    pub pointer: bool,
}

fn parse_phrase(text: &str, points: Points) -> Result<Phrase, String> {
    let mut places = Vec::new();
    for part in text.split_whitespace() {
        let (body, optional) = match part.strip_suffix('?') {
            Some(b) => (b, true),
            None => (part, false),
        };
        let mut alts = Vec::new();
        for a in body.split('|') {
            let alt = if a == "*" {
                Alt::Any
            } else if let Some(c) = a.strip_prefix('<').and_then(|c| c.strip_suffix('>')) {
                Alt::Class(c.to_string())
            } else if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            {
                Alt::Word(a.to_string())
            } else {
                return Err(format!(
                    "\"{a}\" in \"{text}\" is not a lower-case word, <class> or *"
                ));
            };
            alts.push(alt);
        }
        places.push(Place { alts, optional });
    }
    if places.iter().all(|p| p.optional) {
        return Err(format!("\"{text}\" has no place that is always there"));
    }
    Ok(Phrase { points, places })
}

fn load(text: &str) -> Result<Cues, String> {
    from_file(serde_yaml::from_str(text).map_err(|e| e.to_string())?)
}

fn from_file(f: File) -> Result<Cues, String> {
    let classes: HashMap<String, HashSet<String>> = f
        .classes
        .into_iter()
        .map(|(k, v)| (k, v.into_iter().map(|w| w.to_ascii_lowercase()).collect()))
        .collect();
    let mut phrases = Vec::new();
    for (list, points) in [
        (&f.out_before, Points::OutBefore),
        (&f.exists_before, Points::ExistsBefore),
        (&f.out_after, Points::OutAfter),
        (&f.exists_around, Points::ExistsAround),
        (&f.out_heading, Points::OutHeading),
    ] {
        for text in list {
            phrases.push(parse_phrase(text, points)?);
        }
    }
    let mut words = HashSet::new();
    for p in &phrases {
        for place in &p.places {
            for a in &place.alts {
                match a {
                    Alt::Word(w) => {
                        words.insert(w.clone());
                    }
                    Alt::Class(c) if !classes.contains_key(c) => {
                        return Err(format!("class <{c}> is not defined"));
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(Cues {
        classes,
        phrases,
        words,
    })
}

fn cues() -> &'static Cues {
    static CUES: OnceLock<Cues> = OnceLock::new();
    CUES.get_or_init(|| {
        // Compiled in and checked by a test; a broken file reads as no
        // phrases rather than stopping detection.
        let blob: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/scope_cues.msgpack"));
        rmp_serde::from_slice::<File>(blob)
            .map_err(|e| e.to_string())
            .and_then(from_file)
            .or_else(|_| load(include_str!("scope_cues.yaml")))
            .unwrap_or_default()
    })
}

/// A word some phrase spells out: read as typed, never as a typo of a
/// keyword.
pub fn is_cue_word(w: &str) -> bool {
    cues().words.contains(w)
}

impl Cues {
    fn alt_matches(&self, a: &Alt, t: &Token) -> bool {
        let is = |w: &str| t.word == w || t.typed == w;
        match a {
            Alt::Word(w) => is(w),
            Alt::Class(c) => self
                .classes
                .get(c)
                .is_some_and(|set| set.contains(&t.word) || set.contains(&t.typed)),
            Alt::Any => true,
        }
    }

    /// Every end (exclusive) at which `places` match from `k`.
    fn ends(&self, places: &[Place], toks: &[Token], k: usize, first: bool, out: &mut Vec<usize>) {
        let Some((place, rest)) = places.split_first() else {
            out.push(k);
            return;
        };
        if place.optional {
            self.ends(rest, toks, k, first, out);
        }
        let Some(t) = toks.get(k) else {
            return;
        };
        if t.in_name || (!first && t.clause_start) {
            return;
        }
        if place.alts.iter().any(|a| self.alt_matches(a, t)) {
            self.ends(rest, toks, k + 1, false, out);
        }
    }

    fn is_pointer(&self, t: &Token) -> bool {
        self.classes
            .get("pointer")
            .is_some_and(|set| set.contains(&t.word))
    }
}

/// The longest phrase at word `i` that fits where it stands: a phrase that
/// points back must close its clause (`closes(end)` for the word after
/// it), one that points ahead must have a word to point at
/// (`points_at(end)`).
pub fn found_at(
    toks: &[Token],
    i: usize,
    closes: impl Fn(usize) -> bool,
    points_at: impl Fn(usize) -> bool,
) -> Option<Found> {
    let c = cues();
    let mut best: Option<(usize, Points)> = None;
    for p in &c.phrases {
        let mut ends = Vec::new();
        c.ends(&p.places, toks, i, true, &mut ends);
        for end in ends {
            let fits = match p.points {
                Points::OutBefore | Points::ExistsBefore => closes(end),
                Points::OutAfter | Points::ExistsAround => points_at(end),
                // A heading starts a line or a sentence (not an item after
                // a comma) and a colon ends it.
                Points::OutHeading => {
                    toks[i].clause_start
                        && !toks[i].after_comma
                        && toks.get(end).is_some_and(|t| t.after_colon)
                }
            };
            // A heading wins over any phrase; then a phrase that points back
            // wins over one that points ahead ("… — hands off" closes;
            // "hands off the transforms" opens).
            let better = best.is_none_or(|(n, was)| {
                let rank = |q: Points| match q {
                    Points::OutHeading => 2,
                    Points::OutBefore | Points::ExistsBefore => 1,
                    Points::OutAfter | Points::ExistsAround => 0,
                };
                rank(p.points) > rank(was) || (rank(p.points) == rank(was) && end - i > n)
            });
            if fits && end > i && better {
                best = Some((end - i, p.points));
            }
        }
    }
    best.map(|(len, points)| Found {
        len,
        points,
        pointer: toks[i..i + len].iter().any(|t| c.is_pointer(t)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_file_parses_and_names_only_defined_classes() {
        let c = load(include_str!("scope_cues.yaml")).expect("scope_cues.yaml");
        assert!(c.phrases.len() > 40, "{} phrases", c.phrases.len());
        for (name, set) in &c.classes {
            for w in set {
                assert!(
                    w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
                    "class <{name}>: \"{w}\" is not one lower-case word"
                );
            }
        }
    }

    #[test]
    fn the_embedded_blob_reads_as_the_yaml_does() {
        let blob: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/scope_cues.msgpack"));
        let from_blob = rmp_serde::from_slice::<File>(blob)
            .map_err(|e| e.to_string())
            .and_then(from_file)
            .expect("the blob decodes");
        let from_yaml = load(include_str!("scope_cues.yaml")).expect("the yaml parses");
        assert_eq!(from_blob.phrases.len(), from_yaml.phrases.len());
        assert_eq!(from_blob.words, from_yaml.words);
        assert_eq!(from_blob.classes, from_yaml.classes);
    }

    #[test]
    fn a_phrase_naming_an_unknown_class_or_all_optional_is_refused() {
        let e = load("out_before: [\"is <nothing>\"]")
            .err()
            .unwrap_or_default();
        assert_eq!(e, "class <nothing> is not defined");
        let e = load("out_before: [\"is? parked?\"]")
            .err()
            .unwrap_or_default();
        assert_eq!(e, "\"is? parked?\" has no place that is always there");
        let e = load("out_before: [\"Parked\"]").err().unwrap_or_default();
        assert_eq!(
            e,
            "\"Parked\" in \"Parked\" is not a lower-case word, <class> or *"
        );
    }
}
