//! What a goal asks the documentation about. "What do the Orchestra docs
//! say about retry policies on task groups?" searches the docs: "retry"
//! and "task" name the subject of the search, not work on retries or
//! tasks. A goal that also makes something ("… then add retries to our
//! DAG") keeps its words: the subject ends where the next step starts.

use super::normalise::Token;

/// Words for a body of documentation.
fn is_doc_word(w: &str) -> bool {
    matches!(
        w,
        "docs" | "doc" | "documentation" | "manual" | "guide" | "guides" | "reference"
    )
}

/// Verbs a documentation search reports with ("the docs say …").
fn is_saying(w: &str) -> bool {
    matches!(
        w,
        "say" | "says" | "said" | "state" | "states" | "recommend" | "recommends" | "mention"
    )
}

/// Verbs that look a thing up in the documentation.
fn is_consulting(w: &str) -> bool {
    matches!(
        w,
        "check" | "read" | "consult" | "search" | "skim" | "find" | "pull" | "dig"
    )
}

/// Words that open the subject of a search.
fn is_subject_lead(w: &str) -> bool {
    matches!(
        w,
        "about" | "on" | "regarding" | "re" | "that" | "whether" | "if" | "how"
    )
}

/// Verbs that start another step of the goal ("… and plan the change").
fn is_next_step(w: &str) -> bool {
    matches!(
        w,
        "add"
            | "build"
            | "create"
            | "implement"
            | "write"
            | "fix"
            | "change"
            | "analyse"
            | "analyze"
            | "check"
            | "compare"
            | "plan"
            | "review"
            | "read"
            | "parse"
            | "draft"
            | "propose"
            | "recommend"
            | "migrate"
            | "port"
            | "tune"
            | "optimise"
            | "optimize"
            | "investigate"
            | "diagnose"
            | "rerun"
            | "run"
            | "set"
            | "make"
            | "give"
            | "list"
            | "dig"
            | "look"
    )
}

/// Where the cue at `i` opens a subject: the position of the lead word
/// ("about", "that"). Forms: "docs say about", "documented anywhere that",
/// "check the dagster docs on".
fn subject_lead(toks: &[Token], i: usize) -> Option<usize> {
    let t = &toks[i];
    if t.in_name {
        return None;
    }
    let within = |from: usize, reach: usize| {
        (from..(from + reach).min(toks.len()))
            .take_while(|&k| k == from || !toks[k].clause_start)
            .find(|&k| is_subject_lead(&toks[k].word) && !toks[k].in_name)
    };
    if t.word == "documented" {
        return within(i + 1, 3);
    }
    if !is_doc_word(&t.word) {
        return None;
    }
    // "the docs say about", "the documentation states that".
    if let Some(s) = (i + 1..(i + 3).min(toks.len()))
        .take_while(|&k| !toks[k].clause_start)
        .find(|&k| is_saying(&toks[k].word))
    {
        return within(s + 1, 2);
    }
    // "check the dagster docs on sensors": a consulting verb before.
    let consulted = (i.saturating_sub(4)..i)
        .rev()
        .take_while(|&k| !toks[k + 1].clause_start)
        .any(|k| is_consulting(&toks[k].word));
    if consulted {
        return toks
            .get(i + 1)
            .filter(|n| !n.clause_start && is_subject_lead(&n.word) && n.word != "that")
            .map(|_| i + 1);
    }
    None
}

/// Per word: part of what the documentation is asked about.
pub fn researched(toks: &[Token]) -> Vec<bool> {
    let mut out = vec![false; toks.len()];
    for i in 0..toks.len() {
        let Some(lead) = subject_lead(toks, i) else {
            continue;
        };
        for k in lead + 1..toks.len() {
            let t = &toks[k];
            if t.clause_start {
                break;
            }
            // "… and analyse our run_results": the next step is work.
            let joined = k > lead + 1 && matches!(toks[k - 1].word.as_str(), "and" | "then");
            if t.word == "then" || (joined && is_next_step(&t.word)) {
                if joined {
                    out[k - 1] = false;
                }
                break;
            }
            out[k] = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::normalise::{stemmer, tokenise};

    fn subject(goal: &str) -> Vec<String> {
        let toks = tokenise(&stemmer(), goal);
        researched(&toks)
            .iter()
            .zip(&toks)
            .filter(|(r, _)| **r)
            .map(|(_, t)| t.word.clone())
            .collect()
    }

    #[test]
    fn the_subject_of_a_docs_question_runs_to_the_clause_end() {
        assert_eq!(
            subject("what do the dagster docs say about sensor retries? links pls"),
            ["sensor", "retries"]
        );
        assert_eq!(
            subject("is it documented anywhere that airflow pools cap task slots"),
            ["airflow", "pools", "cap", "task", "slots"]
        );
        assert_eq!(
            subject("check the prefect docs on work pools, then write it up"),
            ["work", "pools"]
        );
    }

    #[test]
    fn the_next_step_ends_the_subject() {
        assert_eq!(
            subject("what does the dbt documentation say about snapshots and plan the move"),
            ["snapshots"]
        );
        assert_eq!(
            subject("read the docs on freshness then add checks"),
            ["freshness"]
        );
    }

    #[test]
    fn documentation_that_is_made_has_no_subject() {
        for goal in [
            "write documentation for the orders model",
            "docs for the retention query",
            "add column docs on fct_orders",
            "update the runbook guide for on-call",
        ] {
            assert!(subject(goal).is_empty(), "{goal}: {:?}", subject(goal));
        }
    }
}
