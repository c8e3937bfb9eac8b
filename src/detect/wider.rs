//! Close calls made by what the goal asks for beyond the best pack's own
//! words. The evidence margin weighs words; these rules read what kind of
//! ask the words make. Each names a runner-up with the reason `detect`
//! prints and `--json` carries (`close_call`):
//!
//! - **what a run left behind**: a goal that names a run's artefacts
//!   (`run_results`, the manifest, run logs) asks for them to be read as
//!   well as for whatever the best pack does about the run; the pack that
//!   reads those words, where the best pack reads nothing, is a runner-up;
//! - **a review of work beyond the best pack**: a review whose subject
//!   reaches past the best pack's work (an orchestrator's DAGs, ingestion
//!   code, the pipeline, next to the dbt models) is an analysis of that
//!   system as much as a code review: another pack that reads the review
//!   word is a runner-up;
//! - **a stream feeding the build**: a stream source only one other pack
//!   knows (a primary keyword's weight, no other pack reading it), flowing
//!   "into" the best pack's build, is that pack's work too;
//! - **a slowness the best pack does not read**: a goal that reports
//!   something slow ("the report crawls", "takes 40 min") where the best
//!   pack has no word for slowness is performance work too; another pack
//!   that knows "slow" as a keyword is a runner-up.

use super::index::{PackIndex, PRIMARY_POINTS, SECONDARY_POINTS};
use super::score::Analysis;

/// Words that name what a run leaves behind, as read ("run_results" is
/// read as "run results").
const ARTEFACTS: &[&[&str]] = &[
    &["run", "results"],
    &["run", "result"],
    &["manifest"],
    &["run", "logs"],
    &["run", "log"],
    &["run", "history"],
    &["execution", "history"],
];

/// Words that ask for a review.
const REVIEW_WORDS: &[&str] = &["review", "reviews", "reviewing"];

/// Words that name a system beyond one tool's code: under review next to
/// the best pack's own work, they widen the review into an analysis.
const SYSTEM_WORDS: &[&str] = &[
    "pipeline",
    "pipelines",
    "ingestion",
    "ingest",
    "dag",
    "dags",
    "orchestration",
    "orchestrator",
    "streaming",
    // orchestrators
    "airflow",
    "dagster",
    "prefect",
    "luigi",
];

/// Stream sources: a platform of events that one pack builds on.
const STREAM_TOOLS: &[&str] = &[
    "kafka", "kinesis", "pubsub", "redpanda", "pulsar", "flink", "eventhub",
];

/// Words after a stream source that send it into the build.
const FLOW_WORDS: &[&str] = &["into"];
/// A flow word stands at most this many words after the source.
const FLOW_REACH: usize = 4;

/// Words after "takes" that measure a duration ("takes 40 min").
const DURATION_UNITS: &[&str] = &[
    "min", "mins", "minute", "minutes", "hour", "hours", "hr", "hrs",
];

/// Per pack position: the reason it is a runner-up by one of this module's
/// rules, or `None`.
pub fn readers(
    a: &Analysis,
    indexes: &[&PackIndex],
    gated: &[Vec<usize>],
    (best_pos, best_id): (usize, &str),
) -> Vec<Option<String>> {
    let n = a.reading.tokens.len();
    let reads = |pos: usize, start: usize, len: usize| {
        a.all_found.iter().any(|f| {
            f.pack == pos
                && !a.is_negated(f)
                && f.start < start + len
                && start < f.start + f.len
                && indexes
                    .get(pos)
                    .is_some_and(|ix| ix.weight_without(f.term, &gated[pos]) > 0)
        })
    };
    let mut out: Vec<Option<String>> = vec![None; indexes.len()];
    for (pos, slot) in out.iter_mut().enumerate() {
        if pos == best_pos {
            continue;
        }
        *slot = artefact(a, n, (pos, best_pos), &reads)
            .or_else(|| review(a, indexes, gated, pos, (best_pos, best_id), &reads))
            .or_else(|| stream(a, indexes, gated, pos, best_pos))
            .or_else(|| slow(a, indexes, gated, (pos, best_pos), &reads));
    }
    out
}

/// The typed words of `start..start + len`, a name's parts joined as typed.
fn typed(a: &Analysis, start: usize, len: usize) -> String {
    let toks = &a.reading.tokens[start..start + len];
    let sep = if toks.iter().all(|t| t.in_name) {
        "_"
    } else {
        " "
    };
    toks.iter()
        .map(|t| t.typed.as_str())
        .collect::<Vec<_>>()
        .join(sep)
}

fn artefact(
    a: &Analysis,
    n: usize,
    (pos, best_pos): (usize, usize),
    reads: &impl Fn(usize, usize, usize) -> bool,
) -> Option<String> {
    let words: Vec<&str> = a.reading.tokens.iter().map(|t| t.word.as_str()).collect();
    (0..n).find_map(|i| {
        let len = ARTEFACTS
            .iter()
            .find(|p| words.get(i..i + p.len()) == Some(p))?
            .len();
        // The best pack may read a part ("run"), not the artefact whole.
        let best_reads_whole = a.all_found.iter().any(|f| {
            f.pack == best_pos && !a.is_negated(f) && f.start <= i && i + len <= f.start + f.len
        });
        (reads(pos, i, len) && !best_reads_whole).then(|| {
            format!(
                "the goal names what a run left behind (\"{}\"), which this pack reads and the best pack does not: reading the run is this pack's work",
                typed(a, i, len)
            )
        })
    })
}

fn review(
    a: &Analysis,
    indexes: &[&PackIndex],
    gated: &[Vec<usize>],
    pos: usize,
    (best_pos, best): (usize, &str),
    reads: &impl Fn(usize, usize, usize) -> bool,
) -> Option<String> {
    let toks = &a.reading.tokens;
    let asked = toks
        .iter()
        .enumerate()
        .any(|(i, t)| REVIEW_WORDS.contains(&t.word.as_str()) && reads(pos, i, 1));
    if !asked {
        return None;
    }
    // The best pack reads the review ask too: its review, widened.
    let best_asked = toks
        .iter()
        .enumerate()
        .any(|(i, t)| REVIEW_WORDS.contains(&t.word.as_str()) && reads(best_pos, i, 1));
    if !best_asked {
        return None;
    }
    // A system or an orchestrator the best pack does not read, which some
    // other pack reads with a secondary keyword's weight or more.
    let wider = toks.iter().enumerate().find(|(i, t)| {
        !t.in_name
            && SYSTEM_WORDS.contains(&t.word.as_str())
            && !reads(best_pos, *i, 1)
            && a.all_found.iter().any(|f| {
                f.pack != best_pos
                    && !a.is_negated(f)
                    && f.start <= *i
                    && *i < f.start + f.len
                    && indexes.get(f.pack).is_some_and(|ix| {
                        ix.weight_without(f.term, &gated[f.pack]) >= SECONDARY_POINTS
                    })
            })
    })?;
    Some(format!(
        "the goal asks for a review of work beyond {best} (\"{}\"), an analysis of that system as much as a code review",
        wider.1.typed
    ))
}

fn stream(
    a: &Analysis,
    indexes: &[&PackIndex],
    gated: &[Vec<usize>],
    pos: usize,
    best_pos: usize,
) -> Option<String> {
    let toks = &a.reading.tokens;
    let ix = indexes.get(pos)?;
    let arrow = a.goal.contains("->") || a.goal.contains('→');
    a.all_found
        .iter()
        .filter(|f| f.pack == pos && !a.is_negated(f))
        .filter(|f| ix.weight_without(f.term, &gated[pos]) >= PRIMARY_POINTS)
        .filter(|f| {
            toks[f.start..f.start + f.len]
                .iter()
                .all(|t| !t.in_name && STREAM_TOOLS.contains(&t.word.as_str()))
        })
        // No other pack reads anything where the source stands.
        .filter(|f| {
            !a.all_found
                .iter()
                .any(|g| g.pack != pos && g.start < f.start + f.len && f.start < g.start + g.len)
        })
        .find_map(|f| {
            let end = f.start + f.len;
            // "kafka -> bronze": an arrow counts when the goal opens on the source.
            let flows = (arrow && f.start == 0)
                || toks
                    .iter()
                    .skip(end)
                    .take(FLOW_REACH)
                    .any(|t| FLOW_WORDS.contains(&t.word.as_str()));
            // The best pack builds after the source.
            let builds = a.found.iter().any(|g| {
                g.pack == best_pos
                    && g.start >= end
                    && !a.is_negated(g)
                    && indexes.get(best_pos).is_some_and(|bx| {
                        bx.weight_without(g.term, &gated[best_pos]) >= PRIMARY_POINTS
                    })
            });
            (flows && builds).then(|| {
                format!(
                    "the goal's source \"{}\" is this pack's alone (weight {}), and it feeds the best pack's build",
                    typed(a, f.start, f.len),
                    ix.weight_without(f.term, &gated[pos])
                )
            })
        })
}

/// The goal's report of slowness: where it stands, how many words, as typed.
fn slowness(a: &Analysis) -> Option<(usize, usize, String)> {
    let toks = &a.reading.tokens;
    toks.iter().enumerate().find_map(|(i, t)| {
        let w = t.word.as_str();
        if t.in_name {
            return None;
        }
        if (w.starts_with("slow") && !w.starts_with("slowly"))
            || w.starts_with("crawl")
            || w == "sluggish"
        {
            return Some((i, 1, t.typed.clone()));
        }
        // "takes 40 min", "took 3 hours"
        let took = matches!(w, "take" | "takes" | "took" | "taking");
        let number = toks
            .get(i + 1)
            .is_some_and(|n| n.word.chars().next().is_some_and(|c| c.is_ascii_digit()));
        let unit = toks
            .get(i + 2)
            .is_some_and(|u| DURATION_UNITS.contains(&u.word.as_str()));
        (took && number && unit).then(|| {
            let typed: Vec<&str> = toks[i..i + 3].iter().map(|t| t.typed.as_str()).collect();
            (i, 3, typed.join(" "))
        })
    })
}

fn slow(
    a: &Analysis,
    indexes: &[&PackIndex],
    gated: &[Vec<usize>],
    (pos, best_pos): (usize, usize),
    reads: &impl Fn(usize, usize, usize) -> bool,
) -> Option<String> {
    let (start, len, typed) = slowness(a)?;
    let knows_slow = |p: usize| {
        indexes.get(p).is_some_and(|ix| {
            ix.term_id(&["slow".to_string()])
                .is_some_and(|t| ix.weight_without(t, &gated[p]) >= SECONDARY_POINTS)
        })
    };
    if reads(best_pos, start, len) || knows_slow(best_pos) || !knows_slow(pos) {
        return None;
    }
    Some(format!(
        "the goal reports slowness (\"{typed}\"), which the best pack has no word for and this pack knows as its own (\"slow\")"
    ))
}
