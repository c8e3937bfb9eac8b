//! The chain: matched skills, required skills and hard dependencies, in run
//! order (tier, then a topological sort of dependencies, then priority, then
//! score). A dependency the goal says exists is not pulled in.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet};

use super::{ChainEntry, PackDetection, Reason};
use crate::pack::{Blueprint, Pack, Tier};

/// Adds hard dependencies transitively to `seeds` and orders the result:
/// dependencies (hard and soft, when present) always before dependants; among
/// skills free to run, by tier, then priority, then score (higher first), then id.
pub fn build_chain(
    pack: &Pack,
    seeds: Vec<(String, Vec<Reason>)>,
    scores: &HashMap<&str, u32>,
) -> Vec<ChainEntry> {
    build_chain_with(pack, seeds, scores, &Pull::default())
}

/// Which hard dependencies a chain pulls in.
#[derive(Debug, Clone, Default)]
pub struct Pull {
    /// Set when the goal says what the skills build on exists ("existing
    /// query", "already written"): dependencies are still in the chain (their
    /// answers feed the templates) but say so, and their defaults will do.
    pub exists_by: Option<String>,
    /// Skills the goal rules out ("no kafka"): never pulled in.
    pub never: HashSet<String>,
}

/// [`build_chain`] with a say over which dependencies are pulled in.
pub fn build_chain_with(
    pack: &Pack,
    seeds: Vec<(String, Vec<Reason>)>,
    scores: &HashMap<&str, u32>,
    pull: &Pull,
) -> Vec<ChainEntry> {
    let mut reasons: BTreeMap<String, Vec<Reason>> = BTreeMap::new();
    for (id, r) in seeds {
        if pack.skill(&id).is_some() {
            // A reason given twice (the chain read again with its
            // blueprint) is shown once.
            let entry = reasons.entry(id).or_default();
            for reason in r {
                if !entry.contains(&reason) {
                    entry.push(reason);
                }
            }
        }
    }
    // Pull in hard dependencies, remembering who needed them.
    let mut queue: Vec<String> = reasons.keys().cloned().collect();
    while let Some(id) = queue.pop() {
        let Some(skill) = pack.skill(&id) else {
            continue;
        };
        for dep in &skill.dependencies.hard {
            if pack.skill(dep).is_none() {
                continue;
            }
            if pull.never.contains(dep) && !reasons.contains_key(dep) {
                continue;
            }
            let entry = reasons.entry(dep.clone()).or_default();
            let was_new = entry.is_empty();
            match entry.iter_mut().find_map(|r| match r {
                Reason::DependencyOf { skills } => Some(skills),
                _ => None,
            }) {
                Some(skills) => {
                    if !skills.contains(&id) {
                        skills.push(id.clone());
                        skills.sort();
                    }
                }
                None => entry.push(Reason::DependencyOf {
                    skills: vec![id.clone()],
                }),
            }
            if was_new {
                if let Some(by) = &pull.exists_by {
                    entry.push(Reason::Exists { by: by.clone() });
                }
                queue.push(dep.clone());
            }
        }
    }
    let members: BTreeSet<&str> = reasons.keys().map(String::as_str).collect();
    let order = order_skills(pack, &members, scores);
    order
        .into_iter()
        .filter_map(|id| {
            let s = pack.skill(id)?;
            Some(ChainEntry {
                id: s.id.clone(),
                title: s.title.clone(),
                tier: s.tier,
                priority: s.priority,
                score: scores.get(id).copied().unwrap_or(0),
                reasons: reasons.get(id).cloned().unwrap_or_default(),
            })
        })
        .collect()
}

/// Run-order key of a skill that is free to run: tier, priority, higher score, id.
type OrderKey<'a> = (Tier, i32, Reverse<u32>, &'a str);

/// Kahn's topological sort with a priority queue keyed by (tier, priority,
/// -score, id); a skill in a cycle (lint refuses those) is appended last.
fn order_skills<'a>(
    pack: &'a Pack,
    members: &BTreeSet<&'a str>,
    scores: &HashMap<&str, u32>,
) -> Vec<&'a str> {
    let mut indegree: BTreeMap<&str, usize> = members.iter().map(|m| (*m, 0)).collect();
    let mut dependants: HashMap<&str, Vec<&str>> = HashMap::new();
    for m in members {
        let Some(skill) = pack.skill(m) else { continue };
        for dep in skill
            .dependencies
            .hard
            .iter()
            .chain(&skill.dependencies.soft)
        {
            if let Some((dep_id, _)) = members.get(dep.as_str()).map(|d| (*d, ())) {
                if let Some(n) = indegree.get_mut(m) {
                    *n += 1;
                }
                dependants.entry(dep_id).or_default().push(m);
            }
        }
    }
    let key = |id: &'a str| {
        let s = pack.skill(id);
        (
            s.map(|s| s.tier).unwrap_or(Tier::Assembly),
            s.map(|s| s.priority).unwrap_or(i32::MAX),
            Reverse(scores.get(id).copied().unwrap_or(0)),
            id,
        )
    };
    let mut ready: BinaryHeap<Reverse<OrderKey<'a>>> = indegree
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(id, _)| Reverse(key(id)))
        .collect();
    let mut out = Vec::with_capacity(members.len());
    while let Some(Reverse((_, _, _, id))) = ready.pop() {
        out.push(id);
        for d in dependants.get(id).cloned().unwrap_or_default() {
            if let Some(n) = indegree.get_mut(d) {
                *n -= 1;
                if *n == 0 {
                    ready.push(Reverse(key(d)));
                }
            }
        }
    }
    if out.len() < members.len() {
        let placed: std::collections::HashSet<&str> = out.iter().copied().collect();
        let rest: Vec<&str> = members
            .iter()
            .copied()
            .filter(|m| !placed.contains(m))
            .collect();
        out.extend(rest);
    }
    out
}

/// The chain for an explicit list of skills (`--skills`, customize, answers
/// files, blueprints), with dependencies added and run order applied.
pub fn chain_for(
    pack: &Pack,
    ids: &[String],
    reason: Reason,
    scores: &HashMap<&str, u32>,
) -> Vec<ChainEntry> {
    chain_for_with(pack, ids, reason, scores, &Pull::default())
}

/// [`chain_for`] with a say over which dependencies are pulled in: a chain
/// named for a goal (an answers file's, `--skills`) does not pull in what
/// the goal rules out, so a recorded chain replays as it was.
pub fn chain_for_with(
    pack: &Pack,
    ids: &[String],
    reason: Reason,
    scores: &HashMap<&str, u32>,
    pull: &Pull,
) -> Vec<ChainEntry> {
    let mut seeds: Vec<(String, Vec<Reason>)> = ids
        .iter()
        .map(|id| (id.clone(), vec![reason.clone()]))
        .collect();
    for s in &pack.skills {
        if s.required {
            seeds.push((s.id.clone(), vec![Reason::Required]));
        }
    }
    build_chain_with(pack, seeds, scores, pull)
}

/// The chain when a blueprint is used: its skills plus the matched ones.
pub fn blueprint_chain(pack: &Pack, det: &PackDetection, blueprint: &Blueprint) -> Vec<ChainEntry> {
    let mut seeds: Vec<(String, Vec<Reason>)> = det
        .chain
        .iter()
        .chain(&det.assumed)
        .map(|e| {
            let r: Vec<Reason> = e
                .reasons
                .iter()
                .filter(|r| !matches!(r, Reason::DependencyOf { .. }))
                .cloned()
                .collect();
            (e.id.clone(), r)
        })
        .collect();
    seeds.extend(blueprint_seeds(blueprint, |id| {
        det.negated.iter().any(|n| n.skill == id)
    }));
    build_chain_with(pack, seeds, &score_map(det), &det.pull())
}

/// The chain of a goal that asks for a blueprint's journey but rules parts
/// of it out ("new dim_warehouse, scd1, skip review"): the blueprint is
/// withheld, yet the rest of its journey is asked (the dimension is still
/// built and tested). `None` unless the best blueprint reached the offer
/// and was withheld for ruled-out parts.
pub fn journey_without_parts(pack: &Pack, det: &PackDetection) -> Option<Vec<ChainEntry>> {
    let best = det.blueprints.first().filter(|b| {
        det.offer.is_none()
            && !b.offered
            && b.confidence >= super::OFFER_THRESHOLD
            && !b.parts_ruled_out.is_empty()
    })?;
    let blueprint = pack.blueprint(&best.id)?;
    // The goal names work of the journey that is still to do: "the dbt
    // side is done" around a Power BI ask leaves no journey to finish.
    let names_open_part = det
        .scores
        .iter()
        .any(|s| s.score > 0 && blueprint.skills.contains(&s.id) && !det.settles(&s.id));
    if !names_open_part {
        return None;
    }
    let mut seeds: Vec<(String, Vec<Reason>)> = det
        .chain
        .iter()
        .map(|e| (e.id.clone(), e.reasons.clone()))
        .collect();
    seeds.extend(blueprint_seeds(blueprint, |id| det.settles(id)));
    let scores = score_map(det);
    let assumed: BTreeSet<&str> = det.assumed.iter().map(|e| e.id.as_str()).collect();
    let mut chain = build_chain_with(pack, seeds, &scores, &det.pull());
    // What the goal settles stays out of the asked chain, also as a
    // dependency: its answers still serve from the assumed skills.
    chain.retain(|e| {
        let pulled = e
            .reasons
            .iter()
            .all(|r| matches!(r, Reason::DependencyOf { .. }));
        // A dependency the narrower reading only assumed stays assumed.
        let only_assumed =
            pulled && assumed.contains(e.id.as_str()) && !blueprint.skills.contains(&e.id);
        !(det.settles(&e.id) || only_assumed)
    });
    Some(chain)
}

/// The blueprint's skills as seeds of a chain, but those `left_out` says.
fn blueprint_seeds(
    blueprint: &Blueprint,
    left_out: impl Fn(&str) -> bool,
) -> Vec<(String, Vec<Reason>)> {
    blueprint
        .skills
        .iter()
        .filter(|id| !left_out(id))
        .map(|id| {
            let reason = Reason::Blueprint {
                id: blueprint.id.clone(),
            };
            (id.clone(), vec![reason])
        })
        .collect()
}

/// Each scored skill's score, by id.
fn score_map(det: &PackDetection) -> HashMap<&str, u32> {
    det.scores
        .iter()
        .map(|s| (s.id.as_str(), s.score))
        .collect()
}
