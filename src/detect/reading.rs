//! How detection reads a goal: tokens, then pack-declared synonyms and
//! abbreviations, then a bounded typo fix for longer words no pack knows.

use super::index::PackIndex;
use super::normalise::{is_stopword, stem_word, stemmer, tokenise, How, Token};

/// Words shorter than this are never typo-corrected ("etl", "dag", "dbt" are
/// too close to each other and to ordinary words).
pub const TYPO_MIN_LEN: usize = 5;
/// From this length two edits are allowed, below it one.
pub const TYPO_TWO_EDITS_LEN: usize = 10;

#[derive(Debug, Clone)]
pub struct Reading {
    pub tokens: Vec<Token>,
}

impl Reading {
    /// Words that say something (not stopwords, not digits).
    pub fn content_words(&self) -> usize {
        self.tokens
            .iter()
            .filter(|t| {
                !is_stopword(&t.word) && !t.word.chars().all(|c| c.is_ascii_digit()) && !is_shape(t)
            })
            .count()
    }

    /// The words read, plurals reduced as `goal_has()` reads them (the
    /// `normalised` field of `detect --json`).
    pub fn words(&self) -> Vec<String> {
        self.tokens
            .iter()
            .flat_map(|t| crate::text::normalise(&t.word))
            .collect()
    }

    /// The stems detection compares.
    pub fn stems(&self) -> Vec<String> {
        self.tokens.iter().map(|t| t.stem.clone()).collect()
    }
}

/// Reads `goal` with the vocabulary of `packs` (synonyms of every pack apply;
/// the first pack that declares a word wins).
pub fn read(goal: &str, packs: &[&PackIndex]) -> Reading {
    let st = stemmer();
    let mut tokens = Vec::new();
    let raw = tokenise(&st, goal);
    for (i, t) in raw.iter().cloned().enumerate() {
        // "every 15 minutes" is a cadence like "every minute": the count
        // between "every" and a unit of time says how often, not what.
        if is_cadence_count(&raw, i) {
            continue;
        }
        // A name's shape is evidence of its own: a pack declares it as a
        // synonym of a prefix (`fct_`) or a suffix (`_v`, any version
        // number); it is read as a word standing before the name.
        let shape = name_shape(&raw, i, packs);
        let shaped = shape.is_some();
        if let Some((key, words)) = shape {
            for (k, w) in words.iter().enumerate() {
                tokens.push(Token {
                    typed: key.clone(),
                    word: w.clone(),
                    stem: stem_word(&st, w),
                    how: How::Synonym { typed: key.clone() },
                    clause_start: t.clause_start && k == 0,
                    after_comma: t.after_comma && k == 0,
                    after_colon: t.after_colon && k == 0,
                    new_section: t.new_section && k == 0,
                    in_name: false,
                    name_start: false,
                    dotted: false,
                });
            }
        }
        let t = if shaped {
            Token {
                clause_start: false,
                after_comma: false,
                after_colon: false,
                new_section: false,
                ..t
            }
        } else {
            t
        };
        // A name's parts are not abbreviations: `fct_trips` names a model,
        // it does not ask for a fact table.
        let syn = if t.in_name {
            None
        } else {
            packs.iter().find_map(|p| p.synonyms.get(&t.typed))
        };
        match syn {
            Some(words) => {
                for (i, w) in words.iter().enumerate() {
                    tokens.push(Token {
                        typed: t.typed.clone(),
                        word: w.clone(),
                        stem: stem_word(&st, w),
                        how: How::Synonym {
                            typed: t.typed.clone(),
                        },
                        clause_start: t.clause_start && i == 0,
                        after_comma: t.after_comma && i == 0,
                        after_colon: t.after_colon && i == 0,
                        new_section: t.new_section && i == 0,
                        in_name: t.in_name,
                        name_start: t.name_start && i == 0,
                        dotted: t.dotted && i == 0,
                    });
                }
            }
            None => tokens.push(t),
        }
    }
    for t in tokens.iter_mut() {
        if t.how != How::Word
            || t.in_name
            || is_stopword(&t.typed)
            || super::negation::is_cue_word(&t.typed)
            || super::cues::is_cue_word(&t.typed)
        {
            continue;
        }
        if packs.iter().any(|p| p.knows_stem(&t.stem)) {
            continue;
        }
        if let Some((word, stem)) = typo_fix(&t.typed, packs) {
            t.how = How::Typo {
                typed: t.typed.clone(),
            };
            t.word = word;
            t.stem = stem;
        }
    }
    Reading { tokens }
}

/// A number standing between "every" and a unit of time.
fn is_cadence_count(raw: &[Token], i: usize) -> bool {
    let unit = |t: &Token| {
        matches!(
            t.word.as_str(),
            "minute"
                | "minutes"
                | "min"
                | "mins"
                | "hour"
                | "hours"
                | "day"
                | "days"
                | "week"
                | "weeks"
        )
    };
    i > 0
        && raw[i].word.chars().all(|c| c.is_ascii_digit())
        && raw[i - 1].word == "every"
        && raw.get(i + 1).is_some_and(unit)
}

/// True for a word read from a name's shape (`fct_`, `_v`), not typed.
pub fn is_shape(t: &Token) -> bool {
    matches!(&t.how, How::Synonym { typed } if typed.starts_with('_') || typed.ends_with('_'))
}

/// (start, len) of every run of words read from one name's shape.
pub fn shape_spans(tokens: &[Token]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if !is_shape(t) {
            continue;
        }
        match out.last_mut() {
            Some((s, l)) if *s + *l == i && !t.clause_start && tokens[*s].typed == t.typed => {
                *l += 1
            }
            _ => out.push((i, 1)),
        }
    }
    out
}

/// File extensions: a dotted name ending in one is a file (`run_results.json`,
/// `metadata.yaml`), whose words say what the goal works on.
fn is_file_extension(w: &str) -> bool {
    matches!(
        w,
        "json" | "yaml" | "yml" | "sql" | "py" | "csv" | "md" | "toml" | "txt" | "ipynb"
    )
}

/// Per word: true when it is part of a table or code name (not a file
/// name): weak context for choosing a pack.
pub fn name_parts(tokens: &[Token]) -> Vec<bool> {
    let mut out = vec![false; tokens.len()];
    let mut i = 0;
    while i < tokens.len() {
        if !tokens[i].in_name {
            i += 1;
            continue;
        }
        let end = tokens[i + 1..]
            .iter()
            .position(|n| !n.in_name || n.name_start)
            .map_or(tokens.len(), |p| i + 1 + p);
        let file = is_file_extension(&tokens[end - 1].typed);
        for w in out.iter_mut().take(end).skip(i) {
            *w = !file;
        }
        i = end;
    }
    out
}

/// The shape synonym of the name starting at `raw[i]`, if a pack declares
/// one: `fct_` for a first part `fct`, `_v` for a last part `v` + digits,
/// `_derived` for a later part `derived`. The first pack that declares a
/// matching shape wins; a name has at most one shape.
fn name_shape(raw: &[Token], i: usize, packs: &[&PackIndex]) -> Option<(String, Vec<String>)> {
    let t = raw.get(i)?;
    if !t.name_start {
        return None;
    }
    let end = raw[i + 1..]
        .iter()
        .position(|n| !n.in_name || n.name_start)
        .map_or(raw.len(), |p| i + 1 + p);
    let parts = &raw[i..end];
    let mut keys: Vec<String> = vec![format!("{}_", t.typed)];
    for p in &parts[1..] {
        let versioned = p.typed.len() > 1
            && p.typed.starts_with('v')
            && p.typed[1..].chars().all(|c| c.is_ascii_digit());
        if versioned {
            keys.push("_v".to_string());
        } else {
            keys.push(format!("_{}", p.typed));
        }
    }
    keys.iter().find_map(|k| {
        packs
            .iter()
            .find_map(|p| p.synonyms.get(k))
            .map(|w| (k.clone(), w.clone()))
    })
}

/// Below this length a one-letter substitution is not read as a typo: short
/// words one letter apart are usually other words ("senior" / "sensor").
pub const SUBSTITUTION_MIN_LEN: usize = 7;

/// True when `a` and `b` differ by one inserted or dropped letter, or by two
/// neighbours swapped.
fn insert_or_swap(a: &str, b: &str) -> bool {
    let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if x.len() != y.len() {
        return true;
    }
    let diff: Vec<usize> = (0..x.len()).filter(|&i| x[i] != y[i]).collect();
    matches!(diff.as_slice(), [i, j] if *j == i + 1 && x[*i] == y[*j] && x[*j] == y[*i])
}

/// The closest keyword word within the edit bound, same first letter;
/// the smallest distance wins, then the word that sorts first.
fn typo_fix(typed: &str, packs: &[&PackIndex]) -> Option<(String, String)> {
    let n = typed.chars().count();
    if n < TYPO_MIN_LEN || !typed.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let first = typed.chars().next()?;
    let bound = if n >= TYPO_TWO_EDITS_LEN { 2 } else { 1 };
    let mut best: Option<(usize, String, String)> = None;
    for len in n.saturating_sub(bound)..=n + bound {
        for p in packs {
            let Some(bucket) = p.typo_buckets.get(&(first, len)) else {
                continue;
            };
            for (w, s) in bucket {
                let d = strsim::damerau_levenshtein(typed, w);
                if d == 0 || d > bound || (n < SUBSTITUTION_MIN_LEN && !insert_or_swap(typed, w)) {
                    continue;
                }
                let better = match &best {
                    None => true,
                    Some((bd, bw, _)) => (d, w.as_str()) < (*bd, bw.as_str()),
                };
                if better {
                    best = Some((d, w.clone(), s.clone()));
                }
            }
        }
    }
    best.map(|(_, w, s)| (w, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_between_every_and_a_unit_of_time_is_dropped() {
        for (goal, words) in [
            (
                "refresh every 15 minutes",
                vec!["refresh", "every", "minutes"],
            ),
            (
                "every 2 hours, and 3 retries",
                vec!["every", "hours", "and", "3", "retries"],
            ),
            ("every 10 rows", vec!["every", "10", "rows"]),
            (
                "load 15 minutes late",
                vec!["load", "15", "minutes", "late"],
            ),
        ] {
            let r = read(goal, &[]);
            let got: Vec<&str> = r.tokens.iter().map(|t| t.word.as_str()).collect();
            assert_eq!(got, words, "{goal}");
        }
    }
}
