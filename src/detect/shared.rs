//! Close calls on a shared reading: the best pack leads, but nothing in the
//! goal is its alone. When every word the best pack reads is a word other
//! packs read too ("partition and cluster the page_views table so daily
//! queries stop scanning", "model the orders domain: grain, dims, facts"),
//! its lead comes from weighing shared words differently, not from the goal
//! naming what only it does; a pack that reads those same words with a
//! secondary keyword's weight of its own serves the goal as honestly. One
//! word only the best pack reads with a secondary keyword's weight or more
//! ("bigeye", "dbt", "power bi") places the goal, and the rule stays silent.

use super::index::SECONDARY_POINTS;
use super::PackScore;

/// One word a pack counted as evidence: where it stands in the goal, its
/// weight in the pack, and whether no other pack reads it.
#[derive(Debug, Clone)]
pub struct Read {
    pub start: usize,
    pub len: usize,
    pub keyword: String,
    pub weight: u32,
    pub alone: bool,
}

/// The best pack's words that no other pack reads must weigh less than
/// this (a secondary keyword) for its reading to be a shared one.
pub const UNPINNED_BELOW: u32 = SECONDARY_POINTS;
/// The runner-up's own weight on the best pack's words: a secondary keyword.
pub const SHARED_READING: u32 = SECONDARY_POINTS;

fn overlaps(a: &Read, b: &Read) -> bool {
    a.start < b.start + b.len && b.start < a.start + a.len
}

/// "no word of the goal is bigquery-etl's alone ..." when `other` reads
/// the words `best` reads, and `best` reads nothing of its own.
pub fn shared_reading(best_id: &str, best: &[Read], other: &[Read]) -> Option<String> {
    let alone: u32 = best.iter().filter(|r| r.alone).map(|r| r.weight).sum();
    if alone >= UNPINNED_BELOW {
        return None;
    }
    let shared: Vec<&Read> = other
        .iter()
        .filter(|r| best.iter().any(|b| overlaps(b, r)))
        .collect();
    let weight: u32 = shared.iter().map(|r| r.weight).sum();
    if weight < SHARED_READING {
        return None;
    }
    let quoted: Vec<String> = shared
        .iter()
        .map(|r| format!("\"{}\"", r.keyword))
        .collect();
    Some(format!(
        "no word of the goal is {best_id}'s alone (its words no other pack reads weigh {alone}), and this pack reads its words too ({}, weight {weight})",
        quoted.join(", ")
    ))
}

/// Once the goal is a close call, every other pack the goal would match on
/// its own words alone (they reach `minimum`) is named too: a goal that
/// does not settle between two packs does not rule out a third that reads
/// it as well ("set up airflow to run dbt build nightly after the fivetran
/// sync" is orchestration, dbt and a Fivetran load). `scores` is best
/// first; a goal that is no close call keeps no runner-up.
pub fn also_matching(
    mut runner_ups: Vec<PackScore>,
    scores: &[(usize, PackScore)],
    minimum: f64,
) -> Vec<PackScore> {
    let Some(first) = runner_ups.first().map(|r| r.id.clone()) else {
        return runner_ups;
    };
    for (_, s) in scores.iter().skip(1) {
        if f64::from(s.own_raw) < minimum || runner_ups.iter().any(|r| r.id == s.id) {
            continue;
        }
        runner_ups.push(PackScore {
            close_call: Some(format!(
                "the goal is a close call with {first} already, and this pack's own words weigh {}, enough to match it alone (at least {minimum})",
                s.own_raw
            )),
            ..s.clone()
        });
    }
    runner_ups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(start: usize, keyword: &str, weight: u32, alone: bool) -> Read {
        Read {
            start,
            len: keyword.split(' ').count(),
            keyword: keyword.to_string(),
            weight,
            alone,
        }
    }

    #[test]
    fn a_runner_up_reading_the_same_words_is_named_when_the_best_has_none_alone() {
        let best = [read(0, "partition", 5, false), read(2, "query", 10, false)];
        let other = [read(0, "partition", 5, false), read(5, "history", 5, true)];
        let why = shared_reading("bigquery-etl", &best, &other).expect("a close call");
        assert_eq!(
            why,
            "no word of the goal is bigquery-etl's alone (its words no other pack reads weigh 0), and this pack reads its words too (\"partition\", weight 5)"
        );
    }

    #[test]
    fn a_word_only_the_best_reads_places_the_goal() {
        for w in [5, 8, 10, 15] {
            let best = [read(0, "partition", 5, false), read(3, "bigeye", w, true)];
            let other = [read(0, "partition", 10, false)];
            assert_eq!(shared_reading("bigquery-etl", &best, &other), None, "{w}");
        }
        // A word of less than a secondary keyword's weight does not.
        let best = [read(0, "partition", 5, false), read(3, "derived", 3, true)];
        let other = [read(0, "partition", 10, false)];
        assert!(shared_reading("bigquery-etl", &best, &other).is_some());
    }

    #[test]
    fn words_elsewhere_or_too_light_do_not_make_a_close_call() {
        let best = [read(0, "grain", 10, false)];
        // Other words of the goal only.
        let other = [read(4, "snowflake", 10, true)];
        assert_eq!(shared_reading("dbt-workflows", &best, &other), None);
        // The same word, with less than a secondary keyword's weight.
        let other = [read(0, "grain", 4, false)];
        assert_eq!(shared_reading("dbt-workflows", &best, &other), None);
        // A phrase of the runner-up that covers the best pack's word counts.
        let other = [read(0, "grain size", 5, false)];
        assert!(shared_reading("dbt-workflows", &best, &other).is_some());
    }
}
