//! A goal that asks for a new one of what the pack makes ("create
//! telemetry_derived.crashes_v1", "we need a table of installs per
//! country", "so we need _v2"): every skill a new one is made with is
//! asked, not only the ones its words happen to name.

use super::index::PackIndex;
use super::normalise::Token;
use super::score::Analysis;
use crate::pack::Pack;

/// How far after its verb the thing asked for may stand ("build a daily
/// rolling aggregate").
const REACH: usize = 7;

/// The words that ask for a new one of the pack's `makes`, if any.
pub(super) fn asks_new(a: &Analysis, index: &PackIndex, pos: usize) -> Option<String> {
    if index.makes_skills.is_empty() {
        return None;
    }
    let toks = &a.reading.tokens;
    let name_part = super::reading::name_parts(toks);
    // A word of other work only ("tests", "bigconfig"): the verb makes
    // that, in or for the thing, which exists. A word a new one is also
    // made with ("bigquery table") is no other work.
    let other_work = |j: usize| other_work(a, index, pos, j);
    for (i, t) in toks.iter().enumerate() {
        let Some(from) = asks_at(toks, i) else {
            continue;
        };
        if t.in_name
            || a.in_scope(i)
            || (t.word == "new" && (governed(toks, i) || made_before(toks, i)))
        {
            continue;
        }
        for (j, n) in toks.iter().enumerate().skip(from).take(REACH) {
            if (j > from && n.clause_start) || a.in_scope(j) {
                break;
            }
            // A table's name (or the words its shape reads as), not a
            // file's (`schema.yaml`), or one of the nouns.
            let made = if super::reading::is_shape(n) {
                true
            } else if n.in_name {
                n.name_start && name_part[j]
            } else {
                index.makes_nouns.contains(&n.stem)
            };
            if made
                && !(adds(t) && goes_into_work(a, index, pos, j))
                && !names_other_work(a, index, pos, j)
            {
                return Some(typed(toks, i, j));
            }
            if n.in_name
                || super::score::is_part_of_a_table(&n.word)
                || other_work(j)
                || ends_the_thing(&n.word)
            {
                break;
            }
        }
    }
    described_new(a, index, pos)
}

/// A new one named by what it holds, with no verb asking for it: "28d
/// rolling retention tbl from events_daily", "a daily aggregate of revenue
/// by partner is needed", "agg table: search metrics by engine". A noun
/// with a determiner of something known ("the", "our"), or in a phrase
/// that other work governs ("a test on a table of …"), is a thing that
/// exists.
fn described_new(a: &Analysis, index: &PackIndex, pos: usize) -> Option<String> {
    let toks = &a.reading.tokens;
    for (j, n) in toks.iter().enumerate() {
        if n.in_name
            || a.in_scope(j)
            || !index.makes_nouns.contains(&n.stem)
            || after_preposition(toks, j)
        {
            continue;
        }
        // Back through the noun phrase to what stands before it.
        let mut k = j;
        let mut known = false;
        while k > 0 && !toks[k].clause_start {
            k -= 1;
            let w = toks[k].word.as_str();
            if is_known_determiner(w) {
                known = true;
                break;
            }
            // "full-refresh tbl": a word of what a new one is made with
            // describes it.
            if describes_it(a, index, pos, k) {
                continue;
            }
            // "active devices per os tbl": a measure's own words.
            if matches!(w, "per" | "by" | "x" | "and") {
                continue;
            }
            if ends_the_thing(w)
                || asks_at(toks, k).is_some()
                || is_statement_verb(w)
                || other_work(a, index, pos, k)
            {
                known = true;
                break;
            }
        }
        if known {
            continue;
        }
        let nj = (j + 1..toks.len()).find(|&x| !super::reading::is_shape(&toks[x]));
        let word_at = |x: Option<usize>| x.and_then(|x| toks.get(x)).map(|t| t.word.as_str());
        let heading = k == 0 && toks.get(j + 1).is_some_and(|t| t.after_colon);
        let holds = nj.is_some_and(|x| !toks[x].clause_start)
            && match word_at(nj) {
                Some("is" | "are") => {
                    matches!(
                        word_at(nj.map(|x| x + 1)),
                        Some("needed" | "wanted" | "required")
                    )
                }
                Some(w) => matches!(
                    w,
                    "of" | "for"
                        | "from"
                        | "off"
                        | "by"
                        | "per"
                        | "in"
                        | "counting"
                        | "showing"
                        | "tracking"
                        | "that"
                        | "which"
                        | "with"
                ),
                None => false,
            };
        if heading || holds {
            return Some(typed(toks, k, j));
        }
    }
    None
}

/// Per word: part of a known thing called by what it holds, from its
/// determiner to its noun ("our retention table", "the daily revenue
/// aggregate table"). "the new table" is no known thing.
pub(super) fn known_things(a: &Analysis, index: &PackIndex) -> Vec<bool> {
    let toks = &a.reading.tokens;
    let mut out = vec![false; toks.len()];
    for (j, n) in toks.iter().enumerate() {
        if n.in_name || !index.makes_nouns.contains(&n.stem) || after_preposition(toks, j) {
            continue;
        }
        let mut k = j;
        while k > 0 && !toks[k].clause_start && j - k < REACH {
            k -= 1;
            let w = toks[k].word.as_str();
            if is_known_determiner(w) {
                // "the facts and dimensions" is no name, only the nouns:
                // they still name the work ("our dimensions" exist).
                let named = toks[k + 1..=j].iter().any(|t| {
                    !index.makes_nouns.contains(&t.stem) && !matches!(t.word.as_str(), "and" | "or")
                });
                if named || !matches!(w, "the" | "these" | "those") {
                    for slot in out.iter_mut().take(j + 1).skip(k + 1) {
                        *slot = true;
                    }
                }
                break;
            }
            if w == "new"
                || toks[k].in_name
                || ends_the_thing(w) && !matches!(w, "per" | "by" | "and")
                || is_statement_verb(w)
                || asks_at(toks, k).is_some()
            {
                break;
            }
        }
    }
    out
}

/// A word of other work only ("tests", "bigconfig") at word `j`.
fn other_work(a: &Analysis, index: &PackIndex, pos: usize, j: usize) -> bool {
    a.found
        .iter()
        .filter(|f| f.pack == pos && f.start == j)
        .any(|f| {
            let skills = &index.skills_of[f.term];
            !skills.is_empty()
                && skills
                    .iter()
                    .all(|s| !index.makes_skills.contains(s) && !index.required.contains(s))
        })
}

/// Word `k` stands in a keyword of a skill a new one is made with.
fn describes_it(a: &Analysis, index: &PackIndex, pos: usize, k: usize) -> bool {
    a.found.iter().any(|f| {
        f.pack == pos
            && f.start <= k
            && k < f.start + f.len
            && index.skills_of[f.term]
                .iter()
                .any(|s| index.makes_skills.contains(s))
    })
}

/// Determiners of a thing the reader already knows.
fn is_known_determiner(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "this"
            | "that"
            | "these"
            | "those"
            | "our"
            | "my"
            | "its"
            | "their"
            | "your"
            | "existing"
            | "current"
            | "same"
            | "each"
            | "every"
            | "old"
    )
}

/// Verbs that make the noun after them a thing something is said of.
fn is_statement_verb(w: &str) -> bool {
    matches!(
        w,
        "is" | "are"
            | "was"
            | "were"
            | "has"
            | "have"
            | "had"
            | "got"
            | "reads"
            | "read"
            | "hits"
            | "scans"
            | "joins"
            | "check"
            | "checks"
            | "fix"
            | "fixes"
            | "update"
            | "rewrite"
            | "refresh"
            | "backfill"
            | "monitor"
            | "drop"
            | "delete"
            | "rename"
            | "migrate"
    )
}

/// The skills a new one is made with, but those that build on a skill the
/// goal rules out ("don't write any sql yet": no metadata for a query not
/// written) and those a skill the goal says is done builds on ("query
/// already written": its requirements were gathered).
/// With `everything` ("the complete package"), every skill of the pack.
pub(super) fn made_with<'p>(
    pack: &'p Pack,
    index: &PackIndex,
    everything: bool,
    ruled_out: &[&str],
    done: &[&str],
) -> Vec<&'p str> {
    pack.skills
        .iter()
        .enumerate()
        .filter(|(i, _)| everything || index.makes_skills.contains(i))
        .map(|(_, s)| s.id.as_str())
        .filter(|id| {
            !ruled_out.contains(id)
                && !done.contains(id)
                && !ruled_out.iter().any(|r| builds_on(pack, id, r))
                && !done.iter().any(|d| builds_on(pack, d, id))
        })
        .collect()
}

/// Whether skill `a` needs `b` first, through its hard dependencies.
fn builds_on(pack: &Pack, a: &str, b: &str) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    let mut queue: Vec<&str> = vec![a];
    while let Some(id) = queue.pop() {
        for dep in pack
            .skill(id)
            .map(|s| s.dependencies.hard.as_slice())
            .unwrap_or(&[])
        {
            if dep == b {
                return true;
            }
            if !seen.contains(&dep.as_str()) {
                seen.push(dep);
                queue.push(dep);
            }
        }
    }
    false
}

/// The goal's words from `i` to `j` as typed, a name whole
/// ("create telemetry_derived.crashes_v1"), without the words read from a
/// name's shape.
fn typed(toks: &[Token], i: usize, j: usize) -> String {
    let shape = super::reading::is_shape;
    // From the words a shape reads as to the name they stand before.
    let mut end = j;
    while shape(&toks[end]) && end + 1 < toks.len() {
        end += 1;
    }
    while toks
        .get(end + 1)
        .is_some_and(|n| toks[end].in_name && n.in_name && !n.name_start)
    {
        end += 1;
    }
    let mut out = String::new();
    for (k, t) in toks.iter().enumerate().take(end + 1).skip(i) {
        if shape(t) {
            continue;
        }
        if t.in_name && !t.name_start && k > i && toks[k - 1].in_name {
            out.push(if t.dotted { '.' } else { '_' });
        } else if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t.typed);
    }
    out
}

/// Where the thing asked for may start when word `i` asks for something
/// new ("create", "need", "set up", "I'd like").
fn asks_at(toks: &[Token], i: usize) -> Option<usize> {
    let w = toks[i].word.as_str();
    let next = toks.get(i + 1).map(|t| t.word.as_str());
    let prev = i
        .checked_sub(1)
        .and_then(|p| toks.get(p))
        .map(|t| t.word.as_str());
    match w {
        "set" | "spin" if next == Some("up") => Some(i + 2),
        "like" if matches!(prev, Some("d" | "id" | "would")) => Some(i + 1),
        "need" | "needs" | "want" | "wants" | "make" | "making" | "add" | "adding" => Some(i + 1),
        _ if super::score::is_creation_cue(w) => Some(i + 1),
        _ => None,
    }
}

/// Words that end the phrase naming what is made: a preposition starts
/// what it is made of or where it goes ("a table of installs", "in bq").
fn ends_the_thing(w: &str) -> bool {
    matches!(
        w,
        "of" | "for"
            | "from"
            | "in"
            | "on"
            | "to"
            | "into"
            | "with"
            | "by"
            | "per"
            | "at"
            | "about"
            | "than"
            | "that"
            | "which"
            | "so"
            | "and"
            | "or"
            | "but"
    )
}

/// A word of [`ends_the_thing`] that starts what the thing is made of or
/// where it goes, not a conjunction.
fn is_preposition(w: &str) -> bool {
    ends_the_thing(w) && !matches!(w, "and" | "or" | "but" | "so")
}

/// "new" in a thing another word governs: "metadata for my new table",
/// "put my new table in the DAG". The new thing is where other work goes;
/// it is not what the goal asks to make.
fn governed(toks: &[Token], i: usize) -> bool {
    let mut k = i;
    while k > 0 && !toks[k].clause_start {
        k -= 1;
        let w = toks[k].word.as_str();
        if matches!(
            w,
            "a" | "an" | "the" | "my" | "our" | "this" | "that" | "their" | "your"
        ) {
            continue;
        }
        return !toks[k].in_name
            && (is_preposition(w)
                || matches!(w, "put" | "move" | "moving" | "schedule" | "document"));
    }
    false
}

/// "grain per fact", "one row per dimension": the noun is what a
/// preposition takes, not the head of the phrase before it.
fn after_preposition(toks: &[Token], j: usize) -> bool {
    j.checked_sub(1)
        .and_then(|p| toks.get(p))
        .is_some_and(|t| !t.in_name && is_preposition(&t.word))
}

/// "relate the new dim_product", "the new table is slow": a definite new
/// thing is one made already, unless a verb asks for it ("create the new
/// table").
fn made_before(toks: &[Token], i: usize) -> bool {
    let Some(d) = i.checked_sub(1) else {
        return false;
    };
    if toks[d].in_name || !is_known_determiner(&toks[d].word) {
        return false;
    }
    toks[d].clause_start || d.checked_sub(1).is_none_or(|v| asks_at(toks, v).is_none())
}

/// "add not_null and unique tests to …", "needs the new dim_store
/// relationship": the name stands before a word of other work in its
/// phrase, so that work is what is asked, about a thing that exists.
fn names_other_work(a: &Analysis, index: &PackIndex, pos: usize, j: usize) -> bool {
    let toks = &a.reading.tokens;
    for (k, t) in toks.iter().enumerate().skip(j + 1).take(REACH) {
        if t.clause_start
            || (!t.in_name
                && (is_known_determiner(&t.word)
                    || matches!(t.word.as_str(), "a" | "an")
                    || ends_the_thing(&t.word) && !matches!(t.word.as_str(), "and" | "or")))
        {
            return false;
        }
        if other_work(a, index, pos, k) || (!t.in_name && super::score::is_part_of_a_table(&t.word))
        {
            return true;
        }
    }
    false
}

fn names_the_project(keyword: &str) -> bool {
    keyword
        .rsplit(' ')
        .next()
        .is_some_and(|w| matches!(w, "project" | "repo" | "repository" | "codebase"))
}

fn adds(t: &Token) -> bool {
    matches!(t.word.as_str(), "add" | "adding")
}

/// "add fx_ios_kpis_v1 to bqetl_firefox_ios in dags.yaml": what follows
/// "to"/"into" is other work's (a DAG), so the table is placed, not made.
/// "add it to bigquery-etl" names only the project.
fn goes_into_work(a: &Analysis, index: &PackIndex, pos: usize, j: usize) -> bool {
    let toks = &a.reading.tokens;
    let Some(to) = toks[j + 1..]
        .iter()
        .take(6)
        .take_while(|t| !t.clause_start)
        .position(|t| !t.in_name && matches!(t.word.as_str(), "to" | "into"))
        .map(|p| j + 1 + p)
    else {
        return false;
    };
    let end = toks[to + 1..]
        .iter()
        .position(|t| t.clause_start)
        .map_or(toks.len(), |p| to + 1 + p);
    a.found.iter().any(|f| {
        f.pack == pos
            && f.start > to
            && f.start < end
            // "add dim_store to our dbt project": the project holds
            // every model; it is no other work.
            && !names_the_project(&index.terms[f.term].text)
            && index.skills_of[f.term]
                .iter()
                .any(|s| !index.required.contains(s))
    })
}

/// "the complete package", "full treatment", "start to finish", "the
/// works": a new one asked with every part the pack makes.
pub(super) fn asks_everything(a: &Analysis) -> Option<String> {
    let toks = &a.reading.tokens;
    let w = |i: usize| toks.get(i).filter(|t| !t.in_name).map(|t| t.word.as_str());
    (0..toks.len()).find_map(|i| {
        let n = match (w(i)?, w(i + 1), w(i + 2)) {
            (
                "complete" | "full" | "whole",
                Some("package" | "treatment" | "set" | "scaffolding" | "suite"),
                _,
            ) => 2,
            ("start", Some("to"), Some("finish")) => 3,
            ("the", Some("works"), _) => 2,
            _ => return None,
        };
        (!a.in_scope(i)).then(|| {
            toks[i..i + n]
                .iter()
                .map(|t| t.typed.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
    })
}
