//! Negation and scope. "no kafka", "without streaming", "don't touch the
//! query" remove what they name; "existing query", "the sql is already
//! written" say a thing exists, so the skill that would make it is not asked.
//! A cue covers the next few words of its clause (a comma or "just", "only",
//! "but" ends it); "X and Y stay as they are", "X remains unchanged" say
//! what is kept exists, like "already"; a cue that is part of a matched phrase ("no code changes")
//! is read as that phrase instead.

use super::normalise::{is_stopword, Token};

/// Content words a cue reaches at most.
const SCOPE_WORDS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Negated,
    Exists,
}

#[derive(Debug, Clone)]
pub struct Scope {
    pub kind: ScopeKind,
    /// The words as typed, cue included ("no kafka", "existing query").
    pub text: String,
    /// Word positions the scope covers (the cue excluded).
    pub words: Vec<usize>,
}

fn ends_scope(t: &Token) -> bool {
    matches!(
        t.word.as_str(),
        "just"
            | "only"
            | "but"
            | "and"
            | "then"
            | "instead"
            | "rather"
            | "plus"
            | "so"
            | "we"
            | "i"
            | "it"
            | "use"
            | "using"
            | "with"
            | "in"
            | "on"
    )
}

fn negation_cue(toks: &[Token], i: usize) -> Option<usize> {
    let t = toks.get(i)?;
    if t.in_name {
        return None;
    }
    let w = t.word.as_str();
    let next = toks.get(i + 1).map(|t| t.word.as_str());
    match w {
        "no" | "not" | "without" | "never" | "dont" | "doesnt" | "didnt" | "wont" | "isnt"
        | "arent" | "shouldnt" | "except" | "excluding" | "exclude" | "avoid" => Some(1),
        "don" | "doesn" | "didn" | "won" if next == Some("t") => Some(2),
        _ => None,
    }
}

/// Positions after `from` in the same clause, up to `SCOPE_WORDS` content words.
fn forward(toks: &[Token], from: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut content = 0;
    for (j, t) in toks.iter().enumerate().skip(from) {
        if (t.clause_start && j > from) || (ends_scope(t) && !out.is_empty()) {
            break;
        }
        out.push(j);
        if !is_stopword(&t.word) {
            content += 1;
            if content == SCOPE_WORDS {
                break;
            }
        }
    }
    out
}

/// Positions before `at` in the same clause, up to `SCOPE_WORDS` content words.
fn backward(toks: &[Token], at: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut content = 0;
    let mut j = at;
    while j > 0 {
        if toks[j].clause_start {
            break;
        }
        j -= 1;
        let t = &toks[j];
        if ends_scope(t)
            || matches!(
                t.word.as_str(),
                "for" | "to" | "of" | "from" | "into" | "at"
            )
        {
            break;
        }
        out.push(j);
        if !is_stopword(&t.word) {
            content += 1;
            if content == SCOPE_WORDS {
                break;
            }
        }
    }
    out.reverse();
    while out.first().is_some_and(|&p| is_stopword(&toks[p].word)) {
        out.remove(0);
    }
    out
}

fn text_of(toks: &[Token], cue: std::ops::Range<usize>, words: &[usize]) -> String {
    let mut pos: Vec<usize> = cue.chain(words.iter().copied()).collect();
    pos.sort_unstable();
    pos.dedup();
    let typed: Vec<&str> = pos
        .iter()
        .filter_map(|&p| toks.get(p).map(|t| t.typed.as_str()))
        .collect();
    let mut out: Vec<&str> = Vec::new();
    for w in typed {
        if out.last() != Some(&w) {
            out.push(w);
        }
    }
    out.join(" ")
        .replace("dont", "don't")
        .replace("don t", "don't")
}

/// Words saying something is kept as it is.
fn is_kept_cue(w: &str) -> bool {
    matches!(
        w,
        "stay" | "stays" | "remain" | "remains" | "unchanged" | "untouched" | "intact"
    )
}

/// Words saying something is finished or there ("query.sql is done", "query
/// and metadata are final", "the warehouse already exists"). They read so
/// only after what they describe: "the final mart" is still to build.
fn is_done_cue(w: &str) -> bool {
    matches!(
        w,
        "done"
            | "final"
            | "finalised"
            | "finalized"
            | "finished"
            | "ready"
            | "merged"
            | "shipped"
            | "exist"
            | "exists"
    )
}

/// A done word closes what it describes: nothing but a clause break, a small
/// word or a scope end follows it.
fn closes(toks: &[Token], i: usize) -> bool {
    match toks.get(i + 1) {
        None => true,
        Some(t) => t.clause_start || is_stopword(&t.word) || ends_scope(t) || t.word == "now",
    }
}

/// [`backward`] from `at`, joined over "and" ("the transforms and the
/// warehouse already exist" covers both).
fn backward_joined(toks: &[Token], at: usize) -> Vec<usize> {
    let mut words = backward(toks, at);
    while let Some(&first) = words.first() {
        if toks[first].clause_start {
            break;
        }
        // Small words between the "and" and the part ("and the warehouse").
        let mut k = first;
        while k > 0 && toks[k - 1].word != "and" && is_stopword(&toks[k - 1].word) {
            if toks[k].clause_start {
                break;
            }
            k -= 1;
        }
        let Some(and) = k.checked_sub(1) else {
            break;
        };
        if toks[and].word != "and" || toks[k].clause_start {
            break;
        }
        let more = backward(toks, and);
        if more.is_empty() {
            break;
        }
        words = more
            .into_iter()
            .chain(std::iter::once(and))
            .chain(k..first)
            .chain(words)
            .collect();
    }
    words
}

/// The scopes of the goal; `consumed[i]` is true when word `i` belongs to a
/// matched multi-word term, which then is not read as a cue.
pub fn scopes(toks: &[Token], consumed: &[bool]) -> Vec<Scope> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if consumed.get(i).copied().unwrap_or(false) {
            i += 1;
            continue;
        }
        if let Some(n) = negation_cue(toks, i) {
            let words = forward(toks, i + n);
            if !words.is_empty() {
                out.push(Scope {
                    kind: ScopeKind::Negated,
                    text: text_of(toks, i..i + n, &words),
                    words,
                });
            }
            i += n;
            continue;
        }
        let w = toks[i].word.as_str();
        let after_already = i > 0 && toks[i - 1].word == "already";
        if matches!(w, "existing" | "preexisting") && !toks[i].in_name {
            let words = forward(toks, i + 1);
            if !words.is_empty() {
                out.push(Scope {
                    kind: ScopeKind::Exists,
                    text: text_of(toks, i..i + 1, &words),
                    words,
                });
            }
        } else if !toks[i].in_name
            && !after_already
            && (is_kept_cue(w) || (is_done_cue(w) && closes(toks, i)))
        {
            // "metadata and schema stay as they are", "query and metadata
            // are final": what is kept or done exists.
            let words = backward_joined(toks, i);
            if !words.is_empty() {
                out.push(Scope {
                    kind: ScopeKind::Exists,
                    text: text_of(toks, i..i + 1, &words),
                    words,
                });
            }
            // "stays unchanged" is one cue.
            while toks.get(i + 1).is_some_and(|t| is_kept_cue(&t.word)) {
                i += 1;
            }
        } else if w == "already" {
            let next = toks.get(i + 1).map(|t| t.word.as_str());
            let words = if matches!(next, Some("have" | "got" | "has")) {
                forward(toks, i + 2)
            } else {
                backward_joined(toks, i)
            };
            if !words.is_empty() {
                let mut cue = i..i + 1;
                if let Some(t) = toks.get(i + 1) {
                    if !t.clause_start && !is_stopword(&t.word) {
                        cue = i..i + 2;
                    }
                }
                out.push(Scope {
                    kind: ScopeKind::Exists,
                    text: text_of(toks, cue, &words),
                    words,
                });
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::normalise::{stemmer, tokenise};

    fn sc(goal: &str) -> Vec<(ScopeKind, String)> {
        let toks = tokenise(&stemmer(), goal);
        let consumed = vec![false; toks.len()];
        scopes(&toks, &consumed)
            .into_iter()
            .map(|s| (s.kind, s.text))
            .collect()
    }

    #[test]
    fn negation_stops_at_the_clause() {
        assert_eq!(
            sc("no kafka, just batch ELT"),
            vec![(ScopeKind::Negated, "no kafka".into())]
        );
        assert_eq!(
            sc("pipeline without streaming but with dbt"),
            vec![(ScopeKind::Negated, "without streaming".into())]
        );
        assert_eq!(
            sc("the query is already written, don't touch it"),
            vec![
                (ScopeKind::Exists, "query is already written".into()),
                (ScopeKind::Negated, "don't touch".into())
            ]
        );
        assert_eq!(
            sc("tests for the existing query"),
            vec![(ScopeKind::Exists, "existing query".into())]
        );
        assert!(sc("not_null tests on dim_customer").is_empty());
        assert_eq!(
            sc("rewrite query.sql; metadata and schema stay as they are"),
            vec![(ScopeKind::Exists, "metadata and schema stay".into())]
        );
        assert_eq!(
            sc("new table, the dag stays unchanged"),
            vec![(ScopeKind::Exists, "dag stays".into())]
        );
    }

    #[test]
    fn done_words_after_a_part_say_it_exists() {
        assert_eq!(
            sc("query and metadata are final, only the tests"),
            vec![(ScopeKind::Exists, "query and metadata are final".into())]
        );
        assert_eq!(
            sc("I've got query.sql done for x, now schema.yaml"),
            vec![(ScopeKind::Exists, "got query sql done".into())]
        );
        assert_eq!(
            sc("the transforms and the warehouse already exist"),
            vec![(
                ScopeKind::Exists,
                "transforms and the warehouse already exist".into()
            )]
        );
        // Before a noun they describe what is still to build.
        assert!(sc("build the final revenue mart").is_empty());
        assert!(sc("a ready made table").is_empty());
    }
}
