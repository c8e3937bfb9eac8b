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
            .filter(|t| !is_stopword(&t.word) && !t.word.chars().all(|c| c.is_ascii_digit()))
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
    for t in tokenise(&st, goal) {
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
                        in_name: t.in_name,
                    });
                }
            }
            None => tokens.push(t),
        }
    }
    for t in tokens.iter_mut() {
        if t.how != How::Word || t.in_name || is_stopword(&t.typed) {
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
