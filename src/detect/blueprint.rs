//! Blueprint confidence: the weight of the blueprint's trigger terms found in
//! the goal (a phrase and the words inside it count once; negated words not at
//! all) over its full weight, capped for short goals: a goal of a few words
//! says too little to be a sure match. Offered at ≥ 70 %, unless another
//! blueprint is as likely (a close call is the user's to make), and only
//! when the goal asks for the whole thing: it names several of the
//! blueprint's skills, one of them a working part (not the pack's root
//! frame) and, with only one part, says more (its triggers in full, or a flow
//! "from X into Y"), says the blueprint's own phrase (a trigger phrase of
//! several words that reaches the offer alone), or reaches the confidence on
//! more than one weighty trigger word. A narrow goal that reaches it on one
//! word ("pick an orchestrator ...") or changes one part of a running
//! pipeline ("move it to CDC") is not offered it.

use super::index::PackIndex;
use super::score::Analysis;
use super::{BlueprintScore, OFFER_THRESHOLD};
use crate::pack::Pack;

/// From this many content words on, a goal can reach 100 %.
pub const FULL_CONFIDENCE_WORDS: usize = 5;
/// Two blueprints this close (in points) are a close call: neither is offered.
pub const BLUEPRINT_MARGIN: u32 = 10;

/// A trigger hit worth at least this share (%) of the full weight is
/// substantial; two of them ask for the whole blueprint.
pub const SUBSTANTIAL_HIT: u32 = 30;

/// A blueprint of `n` skills is asked for whole when the goal names at least
/// this many of them: two, or a third of a larger blueprint.
pub fn skills_for_whole(n: usize) -> usize {
    n.div_ceil(3).max(2)
}

/// The highest confidence a goal of `content` words can reach.
pub fn confidence_cap(content: usize) -> u32 {
    if content >= FULL_CONFIDENCE_WORDS {
        100
    } else {
        50 + 10 * content as u32
    }
}

pub(super) fn score_blueprints(
    pack: &Pack,
    index: &PackIndex,
    a: &Analysis,
    pos: usize,
    matched: &[&str],
    ruled_out: &[&str],
    building_out: bool,
) -> (Vec<BlueprintScore>, Option<String>) {
    let cap = confidence_cap(a.reading.content_words());
    // "re-run just the failed models", "only the tests", "streaming leg
    // only": the goal restricts itself to a part, so only the blueprint's
    // own phrase still asks for the whole thing.
    // "it just works" restricts nothing: the word must come before what it
    // singles out ("just the", "only a") or close its clause ("leg only").
    let toks = &a.reading.tokens;
    let restricted = toks.iter().enumerate().any(|(i, t)| {
        let next = toks.get(i + 1);
        !t.in_name
            && match t.word.as_str() {
                "just" | "only" => next.is_some_and(|n| {
                    matches!(
                        n.word.as_str(),
                        "the" | "a" | "an" | "one" | "this" | "these" | "those" | "our" | "my"
                    )
                }),
                _ => false,
            }
            || (t.word == "only" && next.is_none_or(|n| n.clause_start))
    });
    // A goal that changes a part of something that runs ("move it to
    // CDC", "switch the load to incremental") asks for that part.
    let changes = toks.iter().any(|t| {
        !t.in_name && matches!(t.word.as_str(), "move" | "switch" | "convert" | "replace")
    }) && !toks.iter().any(|t| super::score::is_creation_cue(&t.word));
    let free = !restricted && !changes;
    let whole_said = says_whole(toks);
    // "from postgres into bigquery": a source and a destination.
    let flow = toks.iter().enumerate().any(|(i, t)| {
        t.word == "from"
            && toks[i + 1..]
                .iter()
                .any(|n| matches!(n.word.as_str(), "into" | "to" | "onto"))
    });
    // The model the goal makes: the first modelled table it names ("new
    // fct_shipments", "dim_supplier with type 2 history"). The plain word
    // of its prefix by the pack's synonyms (`fct` is "fact") is read for
    // the blueprints, once; the pack and its skills read only the name's
    // shape.
    let subject = toks
        .iter()
        .enumerate()
        .find(|&(i, t)| {
            t.in_name && t.name_start && i > 0 && super::reading::is_shape(&toks[i - 1])
        })
        // A name after "from", "into", "in"... is a source or a place,
        // not the model the goal makes.
        .filter(|&(i, _)| {
            let before = toks[..i]
                .iter()
                .rev()
                .find(|t| !super::reading::is_shape(t));
            // It opens the goal ("dim_supplier with type 2 history"), is
            // what it adds ("add dim_customer with SCD2"), or the goal
            // builds anew ("new fct_shipments", "build dim_product").
            match before {
                None => true,
                Some(t) if t.word == "add" || t.word == "new" => true,
                Some(t) => {
                    !matches!(
                        t.word.as_str(),
                        "from" | "into" | "to" | "in" | "on" | "of" | "behind" | "with" | "and"
                    ) && toks.iter().any(|t| super::score::is_creation_cue(&t.word))
                }
            }
        })
        .and_then(|(_, t)| index.synonyms.get(&t.typed))
        .and_then(|words| {
            let st = super::normalise::stemmer();
            let stems: Vec<String> = words
                .iter()
                .map(|w| super::normalise::stem_word(&st, w))
                .collect();
            index.term_id(&stems)
        });
    let mut out: Vec<BlueprintScore> = pack
        .blueprints
        .iter()
        .zip(&index.blueprints)
        .map(|(b, triggers)| {
            let mut hits: Vec<String> = Vec::new();
            let mut seen: Vec<usize> = Vec::new();
            let mut hit_weight = 0u32;
            let local = a.found_in(pos, |t| triggers.iter().any(|(x, _)| *x == t));
            // Words the goal rules out or says exist ("ingestion logic
            // itself is fine"), or that describe what runs ("the nightly
            // ledger refresh"), ask for nothing.
            for f in local
                .iter()
                .filter(|f| a.scope(f).is_none() && !a.describes(f))
            {
                if seen.contains(&f.term) {
                    continue;
                }
                if let Some((_, w)) = triggers.iter().find(|(t, _)| *t == f.term) {
                    seen.push(f.term);
                    hit_weight += w;
                    hits.push(index.terms[f.term].text.clone());
                }
            }
            let mut subject_weight = 0;
            if let Some(t) = subject.filter(|t| !seen.contains(t)) {
                if let Some((_, w)) = triggers.iter().find(|(x, _)| *x == t) {
                    seen.push(t);
                    hit_weight += w;
                    subject_weight = *w;
                    hits.push(index.terms[t].text.clone());
                }
            }
            let full_weight = b
                .full_confidence
                .unwrap_or_else(|| triggers.iter().map(|(_, w)| *w).sum())
                .max(1);
            // A goal that rules building out ("design only, nothing gets
            // built") leaves only the blueprints that build nothing (a
            // review) in the running.
            let confidence = if building_out && super::score::blueprint_builds(pack, b) {
                0
            } else {
                (hit_weight.saturating_mul(100) / full_weight)
                    .min(100)
                    .min(cap)
            };
            let skills_named: Vec<String> = b
                .skills
                .iter()
                .filter(|s| matched.contains(&s.as_str()))
                .cloned()
                .collect();
            // The blueprint's own phrase: several words that reach the offer alone.
            let own_phrase = local
                .iter()
                .filter(|f| f.len > 1 && !a.is_negated(f))
                .filter_map(|f| triggers.iter().find(|(t, _)| *t == f.term))
                .find(|(_, w)| w.saturating_mul(100) >= OFFER_THRESHOLD * full_weight)
                .map(|(t, _)| index.terms[*t].text.clone());
            // An offer that rests on one word, the other hits being tool or
            // cadence words of little weight, is a goal about one part of it.
            let substantial = seen
                .iter()
                .filter_map(|t| triggers.iter().find(|(x, _)| x == t))
                .filter(|(_, w)| w.saturating_mul(100) >= SUBSTANTIAL_HIT * full_weight)
                .count();
            // Two of its skills and trigger words beyond the heaviest worth
            // 30 % ("cdc ingestion ... orchestrated with prefect").
            let heaviest = seen
                .iter()
                .filter_map(|t| triggers.iter().find(|(x, _)| x == t))
                .map(|(_, w)| *w)
                .max()
                .unwrap_or(0);
            let beyond_one =
                (hit_weight - heaviest).saturating_mul(100) >= SUBSTANTIAL_HIT * full_weight;
            // The pack's root foundation skills (requirements, the storage
            // pattern) frame every goal: naming them asks for no build. A
            // working skill is a component, an integration, or a foundation
            // choice that builds on the roots (the orchestrator).
            let working = |id: &String| {
                pack.skill(id).is_some_and(|s| {
                    s.tier != crate::pack::Tier::Foundation || !s.dependencies.hard.is_empty()
                })
            };
            let part = |id: &String| {
                pack.skill(id)
                    .is_some_and(|s| s.tier != crate::pack::Tier::Foundation)
            };
            let working_named = skills_named.iter().filter(|s| working(s)).count();
            let parts_total = b.skills.iter().filter(|s| part(s)).count();
            let parts_named = skills_named.iter().filter(|s| part(s)).count();
            // Two named skills with one working part describe the whole only
            // with more said: a second part or the blueprint's triggers in
            // full; a flow from a source into a destination describes it
            // with one working part.
            let described = parts_named >= 2 || hit_weight >= full_weight || flow;
            // The goal asks only for work outside the blueprint: a semantic
            // model "for the new fct_tips" names the fact, it does not build it.
            let asks_elsewhere = working_named == 0
                && matched
                    .iter()
                    .any(|m| !b.skills.iter().any(|s| s == m) && working(&m.to_string()));
            // The model the goal makes is of this blueprint's kind (a
            // weighty trigger) and the goal says more of it.
            let subject_whole = subject_weight.saturating_mul(100) >= SUBSTANTIAL_HIT * full_weight
                && hits.len() >= 2
                && !asks_elsewhere;
            // A goal that rules out one of its skills asks for part of the
            // journey ("build dim_vehicle ..., no code
            // review", "diagnose only, I'll rerun it myself"), unless it says
            // it wants the whole ("end to end, but no security work").
            let parts_ruled_out: Vec<String> = b
                .skills
                .iter()
                .filter(|s| ruled_out.contains(&s.as_str()))
                .cloned()
                .collect();
            let whole = (parts_ruled_out.is_empty() || whole_said)
                && (own_phrase.is_some()
                    || (!restricted && subject_whole)
                    || (!restricted && substantial >= 2 && working_named >= 1)
                    || (free
                        && working_named >= 1
                        && ((skills_named.len() >= 2 && described) || flow)
                        && (beyond_one || skills_named.len() >= skills_for_whole(b.skills.len())))
                    || (free && parts_named >= 2 && parts_named >= skills_for_whole(parts_total)));
            BlueprintScore {
                id: b.id.clone(),
                title: b.title.clone(),
                confidence,
                hits,
                hit_weight,
                full_weight,
                offered: false,
                cap,
                skills_named,
                own_phrase,
                whole,
                parts_ruled_out,
            }
        })
        .collect();
    out.sort_by(|a, b| b.confidence.cmp(&a.confidence).then(a.id.cmp(&b.id)));
    let close_call = match (out.first(), out.get(1)) {
        (Some(a), Some(b)) => {
            b.confidence >= OFFER_THRESHOLD && a.confidence - b.confidence < BLUEPRINT_MARGIN
        }
        _ => false,
    };
    let mut offer = None;
    if let Some(first) = out.first_mut() {
        if first.confidence >= OFFER_THRESHOLD && !close_call && first.whole {
            first.offered = true;
            offer = Some(first.id.clone());
        }
    }
    (out, offer)
}

/// The goal says it wants the whole journey: "end to end", "e2e",
/// "everything", "the whole thing", "the entire pipeline".
fn says_whole(toks: &[super::normalise::Token]) -> bool {
    // "the whole dag dies", "takes the whole run down": the whole of a
    // thing that fails, not the whole journey asked for.
    let fails_after = |i: usize| {
        toks[i + 1..]
            .iter()
            .take(3)
            .take_while(|n| !n.clause_start)
            .any(|n| {
                matches!(
                    n.word.as_str(),
                    "dies"
                        | "died"
                        | "fails"
                        | "failed"
                        | "breaks"
                        | "broke"
                        | "crashes"
                        | "crashed"
                        | "stalls"
                        | "hangs"
                        | "down"
                        | "goes"
                        | "went"
                )
            })
            || (i > 0
                && matches!(toks[i - 1].word.as_str(), "the" | "our")
                && i > 1
                && matches!(
                    toks[i - 2].word.as_str(),
                    "takes" | "took" | "brings" | "brought" | "kills" | "killed" | "blocks"
                ))
    };
    toks.iter().enumerate().any(|(i, t)| {
        !t.in_name
            && (matches!(t.word.as_str(), "everything" | "e2e")
                || (matches!(t.word.as_str(), "whole" | "entire") && !fails_after(i))
                // "run the full thing", "the full pipeline"
                || (t.word == "full"
                    && toks.get(i + 1).is_some_and(|n| {
                        matches!(
                            n.word.as_str(),
                            "thing" | "pipeline" | "run" | "flow" | "journey" | "chain"
                                | "workflow" | "stack" | "treatment"
                        )
                    }))
                || (t.word == "end"
                    && toks.get(i + 1).is_some_and(|n| n.word == "to")
                    && toks.get(i + 2).is_some_and(|n| n.word == "end")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_goals_cannot_reach_full_confidence() {
        assert_eq!(confidence_cap(1), 60);
        assert_eq!(confidence_cap(2), 70);
        assert_eq!(confidence_cap(4), 90);
        assert_eq!(confidence_cap(5), 100);
        assert_eq!(confidence_cap(40), 100);
    }

    #[test]
    fn a_blueprint_is_whole_from_two_skills_or_a_third() {
        let got: Vec<usize> = (1..=9).map(skills_for_whole).collect();
        assert_eq!(got, vec![2, 2, 2, 2, 2, 2, 3, 3, 3]);
    }
}
