//! Close calls the evidence margin misses. Two packs can both honestly serve
//! a goal while one of them has far more words for it: the margin of
//! [`super::choose`] sees only the totals. Each rule here names a runner-up
//! with the reason `detect` prints and `--json` carries (`close_call`):
//!
//! - **a capability of its own**: in a goal of a few words that orders no
//!   blueprint, another pack that reads words where the best pack reads
//!   nothing, and whose skill scores a primary keyword's worth (10) from
//!   them, or 15 in all with one of them, offers that part of the goal as
//!   a whole ("airflow dag loading stripe into snowflake hourly" is
//!   orchestration, and a Snowflake load too); in a goal of at most 7
//!   words, so does a word one of its skills holds as a primary keyword
//!   that the best pack knows only in passing ("choose an orchestrator and
//!   write the dbt transforms");
//! - **a question about a problem**: a goal that reports a failure or a
//!   slowness and asks why, without asking for a change, is a diagnosis
//!   and an investigation alike; every other pack that reads its question
//!   words ("why", "figure out", "what happened") is a runner-up.

use super::index::{PackIndex, PRIMARY_POINTS, SECONDARY_POINTS};
use super::score::Analysis;
use super::{PackDetection, PackScore};

/// Goals of at most this many content words are read for a capability of
/// the runner-up's own (longer goals say enough to place them).
pub const CAPABILITY_GOAL_WORDS: usize = 10;
/// A skill of the runner-up needs this score from words the best pack does
/// not read (a primary keyword, or two secondary ones), or at least one
/// such word and this score plus a secondary keyword's in all.
pub const CAPABILITY_SCORE: u32 = 10;
/// ... and its pack this share of the best pack's evidence.
pub const CAPABILITY_SHARE: f64 = 0.15;
/// A goal of at most this many content words is read for a word the
/// runner-up holds as a capability (a skill's primary keyword) and the best
/// pack knows only in passing (a secondary keyword's weight or less) ...
pub const HELD_WORD_GOAL_WORDS: usize = 7;
/// ... when the runner-up has this share of the best pack's evidence.
pub const HELD_WORD_SHARE: f64 = 0.2;

/// "its skill architecting-data scores 10 on "snowflake", words
/// data-orchestration does not read" when the pack at `pos` reads a
/// capability of its own in a goal of a few words.
pub fn own_capability(
    a: &Analysis,
    indexes: &[&PackIndex],
    (best_pos, pos): (usize, usize),
    offered: bool,
    best: &PackScore,
    other: &PackScore,
    det: &PackDetection,
) -> Option<String> {
    if offered
        || a.reading.content_words() > CAPABILITY_GOAL_WORDS
        || other.evidence < best.evidence * CAPABILITY_SHARE
    {
        return None;
    }
    if let Some(why) = held_word(a, best, other, det) {
        return Some(why);
    }
    // The goal's words the best pack reads (not negated), once longer
    // phrases of any pack took theirs: `sql` inside `sql server` is not
    // the best pack's word.
    let mut read_by_best = vec![false; a.reading.tokens.len()];
    for f in a
        .found
        .iter()
        .filter(|f| f.pack == best_pos && !a.is_negated(f))
    {
        for w in f.start..f.start + f.len {
            if let Some(slot) = read_by_best.get_mut(w) {
                *slot = true;
            }
        }
    }
    let ix = indexes.get(pos)?;
    // This pack's words standing where the best pack reads nothing.
    let apart: Vec<&str> = a
        .all_found
        .iter()
        .filter(|f| f.pack == pos && !a.is_negated(f))
        .filter(|f| {
            (f.start..f.start + f.len).all(|w| !read_by_best.get(w).copied().unwrap_or(true))
        })
        .filter_map(|f| ix.terms.get(f.term).map(|t| t.text.as_str()))
        .collect();
    // The skill's points from those words alone: the capability must be
    // named apart from the best pack's words, not only touched by them.
    let (skill, points, words) = det
        .scores
        .iter()
        .filter_map(|s| {
            let primary = s.primary.iter().filter(|w| apart.contains(&w.as_str()));
            let secondary = s.secondary.iter().filter(|w| apart.contains(&w.as_str()));
            let points = PRIMARY_POINTS * primary.clone().count() as u32
                + SECONDARY_POINTS * secondary.clone().count() as u32;
            let words: Vec<&String> = primary.chain(secondary).collect();
            (points >= CAPABILITY_SCORE
                || (points > 0 && s.score >= CAPABILITY_SCORE + SECONDARY_POINTS))
                .then_some((s, points, words))
        })
        .max_by_key(|(s, points, _)| (*points, s.score))?;
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    Some(format!(
        "its skill {} scores {} ({points} on {}, words {} does not read)",
        skill.id,
        skill.score,
        quoted.join(", "),
        best.id
    ))
}

/// "its skill orchestrator holds "orchestrator" as a capability, which
/// data-engineering knows only in passing (weight 5)".
fn held_word(
    a: &Analysis,
    best: &PackScore,
    other: &PackScore,
    det: &PackDetection,
) -> Option<String> {
    if a.reading.content_words() > HELD_WORD_GOAL_WORDS
        || other.evidence < best.evidence * HELD_WORD_SHARE
    {
        return None;
    }
    det.scores.iter().find_map(|s| {
        s.primary.iter().find_map(|w| {
            let in_best = best.words.iter().find(|b| &b.keyword == w)?;
            (in_best.weight <= SECONDARY_POINTS).then(|| {
                format!(
                    "its skill {} holds \"{w}\" as a capability, which {} knows only in passing (weight {})",
                    s.id, best.id, in_best.weight
                )
            })
        })
    })
}

/// Words that report a problem, by how they begin ("fails", "failing",
/// "slower", "duplicates", "flaky").
const PROBLEM_PREFIXES: &[&str] = &[
    "fail", "error", "slow", "stale", "duplicat", "dupe", "flak", "crash", "broke", "timeout",
    "hang", "drift", "spike", "regress", "mismatch", "delay", "stuck",
];
/// ... and whole words that do.
const PROBLEM_WORDS: &[&str] = &[
    "late", "missing", "wrong", "falls", "fell", "skipped", "hung", "timed",
];
/// Words that ask to understand something.
const QUESTION_PHRASES: &[&[&str]] = &[
    &["why"],
    &["what", "happened"],
    &["what", "changed"],
    &["what", "caused"],
    &["what", "broke"],
    &["went", "wrong"],
    &["figure", "out"],
    &["find", "out"],
    &["look", "into"],
    &["dig", "into"],
    &["trace"],
    &["investigate"],
    &["root", "cause"],
];
/// Words that ask for a change: the goal is a fix, not only a question.
const CHANGE_PREFIXES: &[&str] = &[
    "fix", "repair", "resolv", "rerun", "re-run", "debug", "faster", "tune", "optimi", "rewrit",
    "speed",
];

/// A question phrase in the goal: its first word, its length, as typed.
type Question = (usize, usize, String);

/// The goal's problem word and questions (as typed) when it asks about a
/// problem without asking for a change.
fn problem_question(a: &Analysis) -> Option<(String, Vec<Question>)> {
    let toks = &a.reading.tokens;
    let words: Vec<&str> = toks.iter().map(|t| t.word.as_str()).collect();
    let starts = |w: &str, list: &[&str]| list.iter().any(|p| w.starts_with(p));
    if words.iter().any(|w| starts(w, CHANGE_PREFIXES)) {
        return None;
    }
    let problem = toks
        .iter()
        .find(|t| starts(&t.word, PROBLEM_PREFIXES) || PROBLEM_WORDS.contains(&t.word.as_str()))?;
    let mut questions = Vec::new();
    for (i, _) in words.iter().enumerate() {
        for q in QUESTION_PHRASES {
            if words.get(i..i + q.len()).is_some_and(|ws| {
                ws.iter()
                    .zip(q.iter())
                    .all(|(w, q)| w == q || (q.len() > 4 && w.starts_with(q)))
            }) {
                let typed: Vec<&str> = toks[i..i + q.len()]
                    .iter()
                    .map(|t| t.typed.as_str())
                    .collect();
                questions.push((i, q.len(), typed.join(" ")));
            }
        }
    }
    (!questions.is_empty()).then(|| (problem.typed.clone(), questions))
}

/// For each pack position: the reason it is a runner-up because the goal
/// asks about a problem and the pack reads the question, or `None`.
pub fn question_readers(
    a: &Analysis,
    indexes: &[&PackIndex],
    gated: &[Vec<usize>],
    best_pos: usize,
) -> Vec<Option<String>> {
    let mut out = vec![None; indexes.len()];
    let Some((problem, questions)) = problem_question(a) else {
        return out;
    };
    for (pos, ix) in indexes.iter().enumerate() {
        if pos == best_pos {
            continue;
        }
        let read: Vec<&str> = questions
            .iter()
            .filter(|(start, len, _)| {
                a.all_found.iter().any(|f| {
                    f.pack == pos
                        && !a.is_negated(f)
                        && f.start < start + len
                        && *start < f.start + f.len
                        && ix.weight_without(f.term, &gated[pos]) > 0
                })
            })
            .map(|(_, _, typed)| typed.as_str())
            .collect();
        if let Some(q) = read.first() {
            out[pos] = Some(format!(
                "the goal asks \"{q}\" about \"{problem}\" without asking for a change: investigating it is this pack's work as much as fixing it is the best pack's"
            ));
        }
    }
    out
}
