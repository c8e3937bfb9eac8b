//! Terms found in the goal. A multi-word term consumes its words: a shorter
//! term standing inside a longer one that matched is not read on its own, in
//! any pack ("explain analyze" vetoes "analyze", "pipeline failed" is one hit,
//! not "pipeline" + "failed" + "pipeline failed").

use super::index::PackIndex;
use super::reading::Reading;

/// One place a pack's term stands in the goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub pack: usize,
    pub term: usize,
    pub start: usize,
    pub len: usize,
}

/// Every place any term of `index` stands in the goal.
pub fn find(pack: usize, index: &PackIndex, reading: &Reading, out: &mut Vec<Found>) {
    let toks = &reading.tokens;
    for (start, t) in toks.iter().enumerate() {
        let Some(ids) = index.first.get(&t.stem) else {
            continue;
        };
        for &id in ids {
            let stems = &index.terms[id].stems;
            let len = stems.len();
            // A term lies within one clause: "don't run dbt, models are
            // built" holds no "dbt model".
            if start + len <= toks.len()
                && stems
                    .iter()
                    .zip(&toks[start..start + len])
                    .all(|(s, t)| *s == t.stem)
                && toks[start + 1..start + len].iter().all(|t| !t.clause_start)
                && one_thing(&toks[start..start + len])
            {
                out.push(Found {
                    pack,
                    term: id,
                    start,
                    len,
                });
            }
        }
    }
}

/// A term's words lie all outside names or all inside one name:
/// "telemetry_derived tables" holds no "derived table".
fn one_thing(span: &[super::normalise::Token]) -> bool {
    span.iter().all(|t| !t.in_name)
        || (span[0].in_name && span[1..].iter().all(|t| t.in_name && !t.name_start))
}

/// Keeps the finds no strictly longer find covers. Longest first, so the
/// result does not depend on the order of packs or terms.
pub fn consume(mut found: Vec<Found>, words: usize) -> Vec<Found> {
    found.sort_by(|a, b| b.len.cmp(&a.len).then(a.start.cmp(&b.start)));
    // Length of the longest accepted find covering each word.
    let mut cover = vec![0usize; words];
    let mut kept = Vec::with_capacity(found.len());
    let mut i = 0;
    while i < found.len() {
        // Finds of one length are judged against longer ones only.
        let len = found[i].len;
        let group_end = found[i..]
            .iter()
            .position(|f| f.len != len)
            .map_or(found.len(), |p| i + p);
        let group: Vec<Found> = found[i..group_end]
            .iter()
            .copied()
            .filter(|f| {
                (f.start..f.start + f.len).all(|w| cover.get(w).is_some_and(|c| *c <= f.len))
            })
            .collect();
        for f in &group {
            for w in f.start..f.start + f.len {
                if let Some(c) = cover.get_mut(w) {
                    *c = (*c).max(f.len);
                }
            }
        }
        kept.extend(group);
        i = group_end;
    }
    kept.sort_by_key(|f| (f.start, f.pack, f.term));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(term: usize, start: usize, len: usize) -> Found {
        Found {
            pack: 0,
            term,
            start,
            len,
        }
    }

    #[test]
    fn a_longer_phrase_consumes_the_words_inside_it() {
        // "pipeline failed" (0..2) covers "pipeline" (0) and "failed" (1).
        let kept = consume(vec![f(1, 0, 1), f(2, 1, 1), f(0, 0, 2), f(3, 2, 1)], 3);
        assert_eq!(kept, vec![f(0, 0, 2), f(3, 2, 1)]);
    }

    #[test]
    fn overlapping_phrases_of_one_length_both_stand() {
        let kept = consume(vec![f(0, 0, 2), f(1, 1, 2)], 3);
        assert_eq!(kept.len(), 2);
    }
}
