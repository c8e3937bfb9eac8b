//! A goal that gathers requirements before anything is built ("reqs
//! first", "requirements doc only", "before we pick any tooling", "no code
//! yet") names the product's sources, jobs and cadence as the subject of
//! those requirements, not as work of their own: only the skill that
//! gathers them is asked.

use super::negation::{clause_end, clause_start, text_of};
use super::normalise::Token;

/// A word naming requirements: "requirements", "reqs", "req".
fn is_requirement_word(t: &Token) -> bool {
    !t.in_name
        && (t.stem == "requir"
            || t.word.starts_with("requirement")
            || matches!(t.word.as_str(), "req" | "reqs"))
}

/// "scoping" names the requirements when "only" or "first" closes it
/// ("scoping only: new aggregate at … grain").
fn is_scoping_word(t: &Token) -> bool {
    !t.in_name && t.word == "scoping"
}

/// Words that may stand between a requirement word and its "only" or
/// "first" ("requirements doc only", "reqs summary first", "requirements
/// doc is the whole deliverable for now").
fn deliverable_filler(w: &str) -> bool {
    matches!(
        w,
        "doc"
            | "docs"
            | "document"
            | "documents"
            | "summary"
            | "write"
            | "up"
            | "writeup"
            | "spec"
            | "specs"
            | "list"
            | "sheet"
            | "interview"
            | "gathering"
            | "is"
            | "are"
            | "the"
            | "whole"
            | "a"
            | "for"
            | "now"
            | "pls"
            | "please"
            | "this"
            | "sprint"
            | "here"
            | "all"
            | "we"
            | "need"
            | "want"
            | "deliverable"
            | "deliverables"
            | "output"
            | "ask"
            | "scope"
    )
}

/// What a "before …" clause puts off: picking, building or writing.
fn is_deferred_act(t: &Token) -> bool {
    matches!(
        t.word.as_str(),
        "pick"
            | "picks"
            | "picked"
            | "choose"
            | "chooses"
            | "chosen"
            | "select"
            | "selected"
            | "decide"
            | "decided"
            | "build"
            | "builds"
            | "built"
            | "write"
            | "writes"
            | "written"
            | "implement"
            | "implements"
            | "implemented"
            | "code"
            | "coding"
            | "commit"
            | "buy"
            | "generate"
            | "generated"
    )
}

/// Code a "no … yet" puts off.
fn is_code_word(w: &str) -> bool {
    matches!(
        w,
        "code"
            | "sql"
            | "build"
            | "building"
            | "files"
            | "file"
            | "implementation"
            | "tooling"
            | "dag"
            | "dags"
            | "pipeline"
            | "query"
    )
}

/// How the goal puts the requirements first.
pub(super) enum Cue {
    /// It names them: "requirements doc only", "reqs first".
    Named(String),
    /// It puts off building or picking: "before we pick any tooling", "no
    /// code yet". It counts only where the goal asks the requirements in
    /// their own words, and a choice it asks ("SCD1 or SCD2? design call,
    /// no build yet") stays asked.
    Deferred(String),
}

/// The cue, or `None`. A "then" after the cue ("requirements first, then
/// pick the scheduler") goes on to more work: no cue.
pub(super) fn requirements_first(toks: &[Token]) -> Option<Cue> {
    let w = |k: usize| toks.get(k).map_or("", |t| t.word.as_str());
    let then_after = |k: usize| toks[k..].iter().any(|t| t.word == "then");
    for i in 0..toks.len() {
        let end = clause_end(toks, i + 1);
        // "requirements first", "reqs doc only", "requirements doc is the
        // whole deliverable"; "just the requirements", "only reqs".
        if is_requirement_word(&toks[i]) || is_scoping_word(&toks[i]) {
            let mut k = i + 1;
            let mut closes = false;
            while k < end && (deliverable_filler(w(k)) || matches!(w(k), "only" | "first")) {
                closes |= matches!(w(k), "only" | "first" | "whole");
                k += 1;
            }
            let start = clause_start(toks, i);
            // "just requirements + query" names more than the requirements.
            let opened = is_requirement_word(&toks[i])
                && k == end
                && (start..i).any(|j| matches!(w(j), "just" | "only"))
                && (start..i).all(|j| matches!(w(j), "just" | "only" | "the" | "some"));
            // "requirements first" leaves what follows for later only when
            // every clause after it says so ("query is next sprint"):
            // "requirements first, query and metadata in this PR" asks both.
            let first_only = (i + 1..k).any(|j| w(j) == "first")
                && !(i + 1..k).any(|j| matches!(w(j), "only" | "whole"));
            let rest_later = !first_only || clauses_after_are_later(toks, end);
            if ((closes && k == end) || opened) && !then_after(i) && rest_later {
                return Some(Cue::Named(text_of(toks, start..end, &[])));
            }
        }
        // "before we pick any tooling", "before anything gets written",
        // "before anyone writes sql".
        if w(i) == "before" {
            let act = (i + 1..end.min(i + 5)).find(|&k| is_deferred_act(&toks[k]));
            if let Some(k) = act {
                if !then_after(k) && !builds_outside(toks, i..end) {
                    return Some(Cue::Deferred(text_of(toks, i..end.min(k + 3), &[])));
                }
            }
        }
        // "no code yet", "no sql this sprint", "no files generated yet".
        // ("nobody builds anything yet" is left out: it also says what
        // stands, before a review.)
        if w(i) == "no" && (i + 1..end.min(i + 3)).any(|k| is_code_word(w(k))) {
            let rest = &toks[i + 1..end];
            let later = rest
                .iter()
                .any(|t| matches!(t.word.as_str(), "yet" | "until" | "sprint"));
            // "no code exists yet" says nothing is there, not that
            // nothing is to be built.
            let exists = rest.iter().any(|t| {
                matches!(
                    t.word.as_str(),
                    "exists" | "exist" | "deployed" | "running" | "there" | "place"
                )
            });
            if later && !exists && !then_after(i) && !builds_outside(toks, i..end) {
                return Some(Cue::Deferred(text_of(toks, i..end, &[])));
            }
        }
    }
    None
}

/// A word of building outside the cue ("no code yet. design and build the
/// whole pipeline"): the goal asks the build after all.
fn builds_outside(toks: &[Token], cue: std::ops::Range<usize>) -> bool {
    toks.iter().enumerate().any(|(k, t)| {
        !cue.contains(&k)
            && matches!(
                t.word.as_str(),
                "build" | "create" | "implement" | "scaffold" | "deploy" | "develop" | "setup"
            )
    })
}

/// Every clause from `from` on puts its work off ("query is next sprint",
/// "sql comes after", "tool choice later").
fn clauses_after_are_later(toks: &[Token], from: usize) -> bool {
    let mut k = from;
    while k < toks.len() {
        let end = clause_end(toks, k + 1);
        let words: Vec<&str> = toks[k..end].iter().map(|t| t.word.as_str()).collect();
        let soon = words
            .windows(2)
            .any(|p| matches!(p[0], "right" | "straight" | "immediately") && p[1] == "after");
        let later = words.iter().any(|w| {
            matches!(
                *w,
                "next"
                    | "later"
                    | "after"
                    | "afterwards"
                    | "followup"
                    | "follow"
                    | "sprint"
                    | "quarter"
                    | "q1"
                    | "q2"
                    | "q3"
                    | "q4"
                    | "separate"
                    | "another"
                    | "no"
                    | "not"
                    | "dont"
                    | "nobody"
                    | "until"
            )
        });
        if soon || !later {
            return false;
        }
        k = end;
    }
    true
}
