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
            // Daily/weekly/monthly active users, revenue, retention: the
            // measures a table holds.
            | "active"
            | "revenue"
            | "retention"
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
    /// What a tool should offer or what the workload is like ("want
    /// lineage + DQ built in", "jobs are mostly dq heavy"): a criterion of
    /// a choice, not work.
    Criterion,
    /// How often something happens ("503s a couple times a week", "fails
    /// twice a day"): a rate, not a schedule the goal asks for.
    Frequency,
}

/// How many content words a criterion reaches back for ("lineage + DQ
/// built in").
const CRITERION_WORDS: usize = 4;

/// "built in", "out of the box", "natively" at `i`: the number of words.
fn offered_at(toks: &[Token], i: usize) -> Option<usize> {
    let w = |k: usize| toks.get(i + k).map(|t| t.word.as_str());
    let n = match (w(0)?, w(1), w(2), w(3)) {
        ("built", Some("in" | "into"), _, _) => 2,
        ("builtin" | "natively", _, _, _) => 1,
        ("out", Some("of"), Some("the"), Some("box")) => 4,
        _ => return None,
    };
    // "built into the loader" names where, "built in" closing says what.
    let closes = toks
        .get(i + n)
        .is_none_or(|t| t.clause_start || matches!(t.word.as_str(), "please" | "pls"));
    (!toks[i].in_name && !toks[i].clause_start && closes).then_some(n)
}

/// "X heavy", "X intensive": the workload is like X.
fn is_like(w: &str) -> bool {
    matches!(w, "heavy" | "intensive" | "bound")
}

/// The words a criterion at `i` is said of: back over content words (and
/// "and") in its clause, up to a verb of wanting.
fn criterion_words(toks: &[Token], i: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut k = i;
    let mut content = 0;
    while k > 0 && !toks[k].clause_start && content < CRITERION_WORDS {
        k -= 1;
        let w = toks[k].word.as_str();
        if matches!(
            w,
            "want" | "wants" | "need" | "needs" | "with" | "has" | "have" | "mostly" | "are" | "is"
        ) || (is_stopword(w) && w != "and")
        {
            break;
        }
        if w != "and" {
            content += 1;
        }
        out.push(k);
        if toks[k].clause_start {
            break;
        }
    }
    out.reverse();
    out
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
        ("keeps", Some("failing" | "dying" | "breaking" | "crashing" | "timing")) => Some(2),
        ("ooms" | "flakes" | "chokes", _) => Some(1),
        // "the vendor api 503s twice a week"
        (w, _) if is_status_plural(w) => Some(1),
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
        // "retries when Stripe 429s": the source answers with an error; it
        // says nothing of a pipeline that runs.
        if is_status_plural(&toks[v].word) {
            return None;
        }
        if failure_at(toks, v).is_some() {
            return Some(start..v);
        }
    }
    None
}

/// Things that run and can be said to fail: a pipeline and its parts, or
/// the system it pulls from.
fn is_runnable(w: &str) -> bool {
    matches!(
        w,
        "pipeline"
            | "pipelines"
            | "flow"
            | "flows"
            | "dag"
            | "dags"
            | "job"
            | "jobs"
            | "load"
            | "loads"
            | "sync"
            | "extract"
            | "task"
            | "tasks"
            | "pull"
            | "api"
            | "consumer"
            | "consumers"
            | "sink"
            | "connector"
            | "worker"
            | "workers"
    )
}

/// Words after "failed"/"crashed" that keep it a verb ("the load failed
/// again"): before any other word it names a kind of thing ("failed
/// tasks").
fn keeps_verb(w: &str) -> bool {
    is_stopword(w)
        || matches!(
            w,
            "again"
                | "twice"
                | "yesterday"
                | "today"
                | "tonight"
                | "overnight"
                | "last"
                | "every"
                | "since"
                | "repeatedly"
                | "intermittently"
                | "randomly"
                | "whenever"
                | "when"
                | "because"
                | "after"
        )
}

/// How many words a symptom's subject holds at most ("our prefect flow
/// for the zendesk pull").
const SYMPTOM_SUBJECT: usize = 8;

/// "prefect flow times out on the shopify extract", "the whole dag dies":
/// a thing the goal says fails, as a statement, runs already. The positions
/// of its words, from a failure at `v`.
fn symptom_subject(toks: &[Token], v: usize) -> Option<std::ops::Range<usize>> {
    let len = failure_at(toks, v)?;
    let w = toks[v].word.as_str();
    if matches!(w, "failed" | "failing" | "crashed" | "errored" | "broke")
        && toks
            .get(v + len)
            .is_some_and(|n| !n.clause_start && !keeps_verb(&n.word))
    {
        return None;
    }
    if toks[v].clause_start {
        return None;
    }
    // "HubSpot gives us 429s", "the api returns 503s": the thing that
    // answers with the error stands before the verb, and is a system that
    // runs whatever it is called.
    let mut v = v;
    let status = is_status_plural(w);
    if status {
        let mut k = v;
        while k > 0 && matches!(toks[k - 1].word.as_str(), "us" | "back" | "me" | "them") {
            k -= 1;
        }
        if k > 0
            && !toks[k].clause_start
            && matches!(
                toks[k - 1].word.as_str(),
                "gives"
                    | "gave"
                    | "give"
                    | "returns"
                    | "returned"
                    | "return"
                    | "throws"
                    | "threw"
                    | "throw"
                    | "sends"
                    | "sent"
                    | "spits"
            )
        {
            v = k - 1;
        }
    }
    let mut start = v;
    while start > 0 && v - start < SYMPTOM_SUBJECT {
        let p = &toks[start - 1];
        // "our prefect flow pulling from the zendesk api dies": what the
        // thing does or pulls from is part of its name.
        let inside = matches!(p.word.as_str(), "from" | "for" | "of" | "on")
            && start - 1 > 0
            && !p.clause_start;
        if p.in_name
            || is_verb(&p.word)
            || is_condition(&p.word)
            || (is_stopword(&p.word) && !is_definite(&p.word) && !inside)
        {
            break;
        }
        start -= 1;
        if p.clause_start {
            break;
        }
    }
    // "retries when Stripe 429s": a condition; the source answers with an
    // error, nothing says a pipeline of ours runs.
    if status && start > 0 && is_condition(&toks[start - 1].word) {
        return None;
    }
    ((status || toks[start..v].iter().any(|t| is_runnable(&t.word)))
        && toks[start..v]
            .iter()
            .any(|t| !is_definite(&t.word) && !is_stopword(&t.word)))
    .then_some(start..v)
}

/// "takes the whole dag down": the thing a failure brings down runs.
fn brought_down(toks: &[Token], v: usize) -> Option<std::ops::Range<usize>> {
    if !matches!(
        toks[v].word.as_str(),
        "takes" | "took" | "brings" | "brought" | "knocks" | "knocked"
    ) {
        return None;
    }
    let end = (v + 2..(v + 6).min(toks.len())).find(|&k| toks[k].word == "down")?;
    let object = v + 1..end;
    (toks[object.clone()].iter().all(|t| !t.clause_start)
        && toks[object.clone()]
            .iter()
            .any(|t| is_runnable(&t.word) || t.word == "run"))
    .then_some(object)
}

/// Per word: a cadence (with the words of what it describes) that says
/// what runs or measures a number, not a schedule the goal asks for, and
/// the thing a failure condition or a stated failure names.
pub fn described(toks: &[Token]) -> Vec<Option<Described>> {
    let mut out = vec![None; toks.len()];
    for c in 0..toks.len() {
        let subject = condition_subject(toks, c)
            .or_else(|| symptom_subject(toks, c))
            .or_else(|| brought_down(toks, c));
        if let Some(subject) = subject {
            for k in subject {
                out[k] = Some(Described::Running);
            }
        }
    }
    for i in 0..toks.len() {
        let criterion = if let Some(n) = offered_at(toks, i) {
            Some((criterion_words(toks, i), n))
        } else if is_like(&toks[i].word) && !toks[i].in_name && i > 0 && !toks[i].clause_start {
            let prev = &toks[i - 1];
            // A word typed once and read as two ("dq" is "data quality").
            let mut from = i - 1;
            while from > 0 && !toks[from].clause_start && toks[from - 1].typed == prev.typed {
                from -= 1;
            }
            (!is_stopword(&prev.word) && !prev.in_name).then(|| ((from..i).collect(), 1))
        } else {
            None
        };
        if let Some((words, n)) = criterion.filter(|(w, _)| !w.is_empty()) {
            for k in words.into_iter().chain(i..i + n) {
                out[k] = Some(Described::Criterion);
            }
        }
    }
    for i in 2..toks.len() {
        if let Some(from) = frequency_at(toks, i) {
            for d in &mut out[from..=i] {
                *d = Some(Described::Frequency);
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

/// "a couple times a week", "twice per day": where a rate that ends at the
/// unit `i` starts. "once a week" is left alone: it is as often a schedule
/// asked for ("run it once a week").
fn frequency_at(toks: &[Token], i: usize) -> Option<usize> {
    let unit = &toks[i];
    let per = &toks[i - 1];
    let count = &toks[i - 2];
    let ok = !unit.in_name
        && !per.clause_start
        && !unit.clause_start
        && matches!(
            unit.word.as_str(),
            "day" | "days" | "week" | "weeks" | "month" | "months" | "hour" | "hours" | "night"
        )
        && matches!(per.word.as_str(), "a" | "per" | "each")
        && matches!(count.word.as_str(), "times" | "twice" | "thrice");
    // Of an event the clause names ("the api 503s a couple times a week"),
    // not of a run asked for ("refresh it twice a day").
    let event = (0..i - 2)
        .rev()
        .take_while(|&k| !toks[k + 1].clause_start)
        .take(FREQUENCY_REACH)
        .any(|k| failure_at(toks, k).is_some() || is_event_word(&toks[k].word));
    (ok && event).then_some(i - 2)
}

/// An HTTP error status said as a thing that happens ("503s", "429s").
fn is_status_plural(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 4
        && matches!(b[0], b'4' | b'5')
        && b[1..3].iter().all(u8::is_ascii_digit)
        && b[3] == b's'
}

/// How far back a rate looks for the event it counts.
const FREQUENCY_REACH: usize = 10;

/// Words of something that happens to a pipeline, not something it does
/// on schedule ("late", "503s", "alerts", "spikes").
fn is_event_word(w: &str) -> bool {
    is_status_plural(w)
        || matches!(
            w,
            "late"
                | "stale"
                | "slow"
                | "down"
                | "missing"
                | "flaky"
                | "flaked"
                | "failing"
                | "happens"
                | "happened"
                | "spikes"
                | "spiked"
                | "pages"
                | "paged"
                | "alerts"
                | "fired"
                | "fires"
                | "timeouts"
                | "errors"
                | "retried"
                | "restarts"
                | "restarted"
        )
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
    fn a_thing_the_goal_says_fails_runs_already() {
        for (goal, words) in [
            (
                "prefect flow times out on the shopify extract",
                vec!["prefect", "flow"],
            ),
            (
                "the whole airflow dag dies",
                vec!["the", "whole", "airflow", "dag"],
            ),
            (
                "spark sessionization job OOMs every night",
                vec!["spark", "sessionization", "job"],
            ),
            ("our load failed again, add retries", vec!["our", "load"]),
            (
                "a 503 takes the whole dag down",
                vec!["the", "whole", "dag"],
            ),
        ] {
            assert_eq!(marked(goal), words, "{goal}");
        }
        // A kind of thing ("failed tasks"), a failure of no running thing,
        // and a failure asked about are not statements that it runs.
        for goal in [
            "retry failed tasks three times",
            "the schema check fails loudly",
            "list the failed jobs from run_results",
        ] {
            assert!(marked(goal).is_empty(), "{goal}: {:?}", marked(goal));
        }
    }

    #[test]
    fn what_a_tool_should_offer_is_a_criterion() {
        // Read without a pack's synonyms: "dq" stays one word here.
        assert_eq!(
            marked("airflow or dagster? want lineage and dq built in"),
            ["lineage", "and", "dq", "built", "in"]
        );
        assert_eq!(marked("jobs are mostly dq heavy"), ["dq", "heavy"]);
        assert!(marked("retries built into the loader").is_empty());
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
