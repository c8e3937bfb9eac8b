//! Words that describe rather than ask. "The nightly finance_gl pipeline"
//! names a pipeline that already runs every night: the goal's work is on
//! it, not on when it runs. "Daily row count" is the grain of a number.
//! Neither asks for a schedule; "should run nightly" and "a new hourly
//! load" do. "When the SAP extract fails" names a step that runs: the work
//! is what happens then.

use super::normalise::{is_stopword, Token};

/// Words that say how often.
fn is_cadence(w: &str) -> bool {
    matches!(
        w,
        "nightly" | "daily" | "hourly" | "weekly" | "monthly" | "quarterly" | "overnight"
    )
}

/// Words that point at a thing the reader knows: it exists.
fn is_definite(w: &str) -> bool {
    matches!(
        w,
        "the" | "our" | "my" | "this" | "that" | "these" | "those" | "their" | "your" | "its"
    )
}

/// Numbers a cadence can be the grain of.
fn is_measure(w: &str) -> bool {
    matches!(
        w,
        "row"
            | "rows"
            | "count"
            | "counts"
            | "volume"
            | "volumes"
            | "total"
            | "totals"
            | "average"
            | "averages"
            | "avg"
            | "mean"
            | "baseline"
            | "delta"
            | "variance"
            | "swing"
            | "partition"
            | "partitions"
            | "rollup"
            | "rollups"
            | "snapshot"
            | "snapshots"
            | "grain"
            | "granularity"
    )
}

/// How many words a description reaches back for its determiner ("the
/// existing nightly inventory pipeline") and on for its noun ("nightly
/// pharmacy claims refresh").
const REACH_BACK: usize = 3;
const REACH_ON: usize = 4;

/// What a cadence word does in the goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Described {
    /// Part of a thing the goal names that runs already ("the nightly
    /// ledger sync"): the cadence and the thing's words.
    Running,
    /// The grain of a number ("daily row count").
    Grain,
    /// What the documentation is asked about ("what do the docs say about
    /// retry policies"): the subject of a search, not work.
    Researched,
}

/// Verbs that end a described phrase ("the nightly job fails").
fn is_verb(w: &str) -> bool {
    matches!(
        w,
        "fails"
            | "failed"
            | "failing"
            | "breaks"
            | "broke"
            | "dies"
            | "died"
            | "crashes"
            | "crashed"
            | "errors"
            | "errored"
            | "keeps"
            | "kept"
            | "takes"
            | "took"
            | "misses"
            | "missed"
            | "runs"
            | "ran"
            | "went"
            | "goes"
            | "started"
            | "stopped"
            | "got"
            | "gets"
            | "slipped"
            | "blew"
            | "blows"
            | "lands"
            | "landed"
            | "finishes"
            | "finished"
            | "times"
            | "timed"
            | "should"
            | "must"
    )
}

/// Words that open a condition the asked work reacts to.
fn is_condition(w: &str) -> bool {
    matches!(w, "when" | "whenever" | "if" | "once")
}

/// The number of words at `i` that say a thing fails ("fails", "times
/// out", "is down").
fn failure_at(toks: &[Token], i: usize) -> Option<usize> {
    let w = |k: usize| toks.get(i + k).map(|t| t.word.as_str());
    match (w(0)?, w(1)) {
        (
            "fails" | "failed" | "breaks" | "broke" | "dies" | "died" | "crashes" | "crashed"
            | "errors" | "errored" | "hangs" | "stalls",
            _,
        ) => Some(1),
        ("times" | "timed", Some("out")) => Some(2),
        ("is" | "goes" | "went" | "was", Some("down" | "late" | "unavailable")) => Some(2),
        ("keeps", Some("failing" | "dying" | "breaking" | "crashing")) => Some(2),
        _ => None,
    }
}

/// How many words a condition's subject holds at most ("the vendor api
/// pull").
const CONDITION_SUBJECT: usize = 5;

/// "when the SAP extract fails": the positions of the thing that fails.
fn condition_subject(toks: &[Token], c: usize) -> Option<std::ops::Range<usize>> {
    if toks[c].in_name || !is_condition(&toks[c].word) {
        return None;
    }
    let start = c + 1;
    for v in start + 1..(start + 1 + CONDITION_SUBJECT).min(toks.len()) {
        if toks[v].clause_start {
            return None;
        }
        if failure_at(toks, v).is_some() {
            return Some(start..v);
        }
    }
    None
}

/// Per word: a cadence (with the words of what it describes) that says
/// what runs or measures a number, not a schedule the goal asks for, and
/// the thing a failure condition names.
pub fn described(toks: &[Token]) -> Vec<Option<Described>> {
    let mut out = vec![None; toks.len()];
    for c in 0..toks.len() {
        if let Some(subject) = condition_subject(toks, c) {
            for k in subject {
                out[k] = Some(Described::Running);
            }
        }
    }
    for (i, t) in toks.iter().enumerate() {
        if t.in_name || !is_cadence(&t.word) {
            continue;
        }
        // The word after: a noun of the same phrase, not the end of a
        // clause ("refresh it nightly, with retries") or a time ("nightly
        // at 2am").
        let Some(next) = toks.get(i + 1).filter(|n| !n.clause_start) else {
            continue;
        };
        if is_measure(&next.word) {
            out[i] = Some(Described::Grain);
            continue;
        }
        let Some(d) = definite_before(toks, i) else {
            continue;
        };
        // "orchestrate the nightly crm extract", "schedule the hourly
        // load": the thing is put on a schedule, and its cadence is asked.
        if is_stopword(&next.word)
            || is_verb(&next.word)
            || next.word.starts_with(|c: char| c.is_ascii_digit())
            || (d > 0 && is_scheduling(&toks[d - 1].word))
        {
            continue;
        }
        out[i] = Some(Described::Running);
        // The thing's own words are context only where the goal works
        // around it ("a runbook for the nightly ledger sync", "alert when
        // the nightly load fails"), not where it works on it ("port the
        // nightly ETL stored procedures to dbt").
        if d == 0 || !is_context_lead(&toks[d - 1].word) {
            continue;
        }
        for k in i + 1..(i + 1 + REACH_ON).min(toks.len()) {
            let w = toks[k].word.as_str();
            if (k > i + 1 && toks[k].clause_start) || is_stopword(w) || is_verb(w) {
                break;
            }
            out[k] = Some(Described::Running);
        }
    }
    out
}

/// Where a determiner that knows the thing stands before `i`, with only
/// content words between, in the same clause ("our existing nightly …").
fn definite_before(toks: &[Token], i: usize) -> Option<usize> {
    let mut k = i;
    for _ in 0..=REACH_BACK {
        if toks[k].clause_start {
            return None;
        }
        k -= 1;
        let w = toks[k].word.as_str();
        if is_definite(w) {
            return (!toks[k].in_name).then_some(k);
        }
        if is_stopword(w) || is_cadence(w) {
            return None;
        }
    }
    None
}

/// Verbs that put what follows on a schedule.
fn is_scheduling(w: &str) -> bool {
    matches!(
        w,
        "orchestrate" | "schedule" | "automate" | "run" | "trigger" | "cron" | "rerun"
    )
}

/// Words that make what follows the setting of the work, not its object.
fn is_context_lead(w: &str) -> bool {
    matches!(
        w,
        "for"
            | "on"
            | "of"
            | "in"
            | "around"
            | "about"
            | "from"
            | "after"
            | "behind"
            | "across"
            | "at"
            | "into"
            | "to"
            | "with"
            | "when"
            | "whenever"
            | "if"
            | "once"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::normalise::{stemmer, tokenise};

    fn marked(goal: &str) -> Vec<String> {
        let toks = tokenise(&stemmer(), goal);
        described(&toks)
            .iter()
            .zip(&toks)
            .filter(|(d, _)| d.is_some())
            .map(|(_, t)| t.word.clone())
            .collect()
    }

    #[test]
    fn a_cadence_after_a_determiner_describes_what_follows() {
        assert_eq!(
            marked("runbook for the nightly finance_gl pipeline"),
            ["nightly", "finance", "gl", "pipeline"]
        );
        assert_eq!(
            marked("alerts on our existing hourly claims load"),
            ["hourly", "claims", "load"]
        );
        assert_eq!(
            marked("checks on my weekly churn retrain"),
            ["weekly", "churn", "retrain"]
        );
        assert_eq!(marked("retries on the nightly job"), ["nightly", "job"]);
        assert_eq!(
            marked("port the nightly ETL stored procedures to dbt"),
            ["nightly"]
        );
    }

    #[test]
    fn a_cadence_before_a_measure_is_its_grain() {
        assert_eq!(marked("alert when daily row count drops 30%"), ["daily"]);
    }

    #[test]
    fn a_failure_condition_names_what_runs() {
        assert_eq!(
            marked("runbook for when the SAP extract fails"),
            ["the", "sap", "extract"]
        );
        assert_eq!(
            marked("page someone if the vendor api times out"),
            ["the", "vendor", "api"]
        );
        assert!(marked("when we add the new load, test it").is_empty());
        assert_eq!(marked("checks on silver.orders hourly volume"), ["hourly"]);
    }

    #[test]
    fn a_cadence_the_goal_asks_for_is_not_described() {
        for goal in [
            "refresh the dashboard nightly",
            "a new nightly claims pipeline",
            "run the claims load daily at 6am",
            "the claims load should run hourly, with retries",
            "refresh the tableau extract daily after the data lands",
            "move the load from the nightly, to hourly",
            "our airflow should orchestrate the nightly crm extract",
            "schedule the hourly claims load in prefect",
            "nightly refresh of the sales dashboard",
        ] {
            assert!(marked(goal).is_empty(), "{goal}: {:?}", marked(goal));
        }
    }
}
