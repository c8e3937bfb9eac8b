//! Detection: from a goal to a pack, a blueprint offer and an ordered chain of
//! skills, with every number explainable (DESIGN.md §2 "Detection").

use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap};

use crate::pack::{Blueprint, Pack, Registry, Skill, Tier};
use crate::text::{self, Phrase};

/// Blueprints at or above this confidence are offered.
pub const OFFER_THRESHOLD: u32 = 70;

pub const PRIMARY_POINTS: u32 = 10;
pub const SECONDARY_POINTS: u32 = 5;

/// Why a skill is in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Reason {
    /// Keywords of the goal matched; `score` is the skill's total.
    Matched {
        keywords: Vec<String>,
        score: u32,
    },
    Required,
    DependencyOf {
        skills: Vec<String>,
    },
    Blueprint {
        id: String,
    },
    /// Added by the user on the customize screen or with `--skills`.
    Chosen,
}

impl Reason {
    pub fn describe(&self) -> String {
        match self {
            Reason::Matched { keywords, score } => {
                let words: Vec<String> = keywords.iter().map(|k| format!("\"{k}\"")).collect();
                format!("matched {} (score {score})", words.join(", "))
            }
            Reason::Required => "required".to_string(),
            Reason::DependencyOf { skills } => format!("dependency of {}", skills.join(", ")),
            Reason::Blueprint { id } => format!("in blueprint {id}"),
            Reason::Chosen => "chosen".to_string(),
        }
    }
}

/// How one skill scored against the goal.
#[derive(Debug, Clone, Serialize)]
pub struct SkillScore {
    pub id: String,
    pub score: u32,
    pub primary: Vec<String>,
    pub secondary: Vec<String>,
    /// The exclusion keyword that zeroed the score.
    pub excluded_by: Option<String>,
    /// True when `requires_any` is set and none of its words is in the goal.
    pub missing_requirement: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChainEntry {
    pub id: String,
    pub title: String,
    pub tier: Tier,
    pub priority: i32,
    pub score: u32,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BlueprintScore {
    pub id: String,
    pub title: String,
    pub confidence: u32,
    pub hits: Vec<String>,
    pub hit_weight: u32,
    pub full_weight: u32,
    pub offered: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PackScore {
    pub id: String,
    pub trigger_weight: u32,
    pub triggers: Vec<String>,
    pub skill_score: u32,
}

/// Keywords normalised once per pack, so detection only compares words.
#[derive(Debug, Clone)]
pub struct SkillIndex {
    primary: Vec<Phrase>,
    secondary: Vec<Phrase>,
    exclusions: Vec<Phrase>,
    requires_any: Vec<Phrase>,
}

#[derive(Debug, Clone)]
pub struct PackIndex {
    skills: Vec<SkillIndex>,
    triggers: Vec<(Phrase, u32)>,
    blueprints: Vec<Vec<(Phrase, u32)>>,
    /// First word of every primary and secondary keyword → skills that have
    /// it, so detection scores only skills that can match.
    postings: HashMap<String, Vec<usize>>,
    required: Vec<usize>,
}

impl PackIndex {
    pub fn new(pack: &Pack) -> PackIndex {
        let phrases = |v: &[String]| v.iter().map(|k| Phrase::new(k)).collect::<Vec<_>>();
        let weighted = |m: &BTreeMap<String, u32>| {
            m.iter()
                .map(|(k, w)| (Phrase::new(k), *w))
                .collect::<Vec<_>>()
        };
        let skills: Vec<SkillIndex> = pack
            .skills
            .iter()
            .map(|s| SkillIndex {
                primary: phrases(&s.keywords.primary),
                secondary: phrases(&s.keywords.secondary),
                exclusions: phrases(&s.keywords.exclusions),
                requires_any: phrases(&s.keywords.requires_any),
            })
            .collect();
        let mut postings: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, si) in skills.iter().enumerate() {
            for p in si.primary.iter().chain(&si.secondary) {
                if let Some(first) = p.words.first() {
                    let list = postings.entry(first.clone()).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
        }
        PackIndex {
            skills,
            postings,
            required: pack
                .skills
                .iter()
                .enumerate()
                .filter(|(_, s)| s.required)
                .map(|(i, _)| i)
                .collect(),
            triggers: weighted(&pack.manifest.triggers),
            blueprints: pack
                .blueprints
                .iter()
                .map(|b| weighted(&b.triggers))
                .collect(),
        }
    }
}

/// A goal, normalised, with a word set for quick rejection of phrases.
struct Goal {
    words: Vec<String>,
    set: std::collections::HashSet<String>,
}

impl Goal {
    fn new(goal: &str) -> Goal {
        let words = text::normalise(goal);
        let set = words.iter().cloned().collect();
        Goal { words, set }
    }

    fn has(&self, p: &Phrase) -> bool {
        match p.words.as_slice() {
            [] => false,
            [one] => self.set.contains(one),
            many => many.iter().all(|w| self.set.contains(w)) && p.is_in(&self.words),
        }
    }
}

/// Detection within one pack.
#[derive(Debug, Clone, Serialize)]
pub struct PackDetection {
    pub pack: String,
    pub goal: String,
    pub normalised: Vec<String>,
    /// Only skills with a non-zero score or a reason to be zero (exclusion, requirement).
    pub scores: Vec<SkillScore>,
    pub blueprints: Vec<BlueprintScore>,
    /// The best blueprint at or above the offer threshold.
    pub offer: Option<String>,
    /// Keyword-detected chain (matched, required and dependencies), in run order.
    pub chain: Vec<ChainEntry>,
}

pub fn score_skill(skill: &Skill, idx: &SkillIndex, goal: &[String]) -> SkillScore {
    let g = Goal {
        words: goal.to_vec(),
        set: goal.iter().cloned().collect(),
    };
    score_with(skill, idx, &g)
}

fn score_with(skill: &Skill, idx: &SkillIndex, goal: &Goal) -> SkillScore {
    let primary: Vec<String> = idx
        .primary
        .iter()
        .filter(|p| goal.has(p))
        .map(|p| p.original.clone())
        .collect();
    let secondary: Vec<String> = idx
        .secondary
        .iter()
        .filter(|p| goal.has(p))
        .map(|p| p.original.clone())
        .collect();
    let excluded_by = idx
        .exclusions
        .iter()
        .find(|p| goal.has(p))
        .map(|p| p.original.clone());
    let missing_requirement =
        !idx.requires_any.is_empty() && !idx.requires_any.iter().any(|p| goal.has(p));
    let raw = PRIMARY_POINTS * primary.len() as u32 + SECONDARY_POINTS * secondary.len() as u32;
    let score = if excluded_by.is_some() || missing_requirement {
        0
    } else {
        raw
    };
    SkillScore {
        id: skill.id.clone(),
        score,
        primary,
        secondary,
        excluded_by,
        missing_requirement,
    }
}

fn blueprint_score(b: &Blueprint, triggers: &[(Phrase, u32)], goal: &Goal) -> BlueprintScore {
    let hits: Vec<&(Phrase, u32)> = triggers.iter().filter(|(p, _)| goal.has(p)).collect();
    let hit_weight: u32 = hits.iter().map(|(_, w)| *w).sum();
    let full_weight = b
        .full_confidence
        .unwrap_or_else(|| triggers.iter().map(|(_, w)| *w).sum())
        .max(1);
    let confidence = (hit_weight.saturating_mul(100) / full_weight).min(100);
    BlueprintScore {
        id: b.id.clone(),
        title: b.title.clone(),
        confidence,
        hits: hits.iter().map(|(p, _)| p.original.clone()).collect(),
        hit_weight,
        full_weight,
        offered: confidence >= OFFER_THRESHOLD,
    }
}

/// Scores every skill and blueprint of `pack` against `goal` and builds the
/// keyword-detected chain.
pub fn detect_in_pack(pack: &Pack, index: &PackIndex, goal: &str) -> PackDetection {
    let g = Goal::new(goal);
    let mut candidates: Vec<usize> = g
        .set
        .iter()
        .filter_map(|w| index.postings.get(w))
        .flatten()
        .copied()
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    let all_scores: Vec<SkillScore> = candidates
        .iter()
        .filter_map(|&i| Some(score_with(pack.skills.get(i)?, index.skills.get(i)?, &g)))
        .collect();
    let mut reasons: HashMap<&str, Vec<Reason>> = HashMap::new();
    for s in &all_scores {
        if s.score > 0 {
            let mut keywords = s.primary.clone();
            keywords.extend(s.secondary.iter().cloned());
            reasons
                .entry(s.id.as_str())
                .or_default()
                .push(Reason::Matched {
                    keywords,
                    score: s.score,
                });
        }
    }
    for skill in index.required.iter().filter_map(|&i| pack.skills.get(i)) {
        reasons
            .entry(skill.id.as_str())
            .or_default()
            .push(Reason::Required);
    }
    let seeds: Vec<(String, Vec<Reason>)> = reasons
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let score_of: HashMap<&str, u32> = all_scores
        .iter()
        .map(|s| (s.id.as_str(), s.score))
        .collect();
    let chain = build_chain(pack, seeds, &score_of);
    let mut blueprints: Vec<BlueprintScore> = pack
        .blueprints
        .iter()
        .zip(&index.blueprints)
        .map(|(b, t)| blueprint_score(b, t, &g))
        .collect();
    blueprints.sort_by(|a, b| b.confidence.cmp(&a.confidence).then(a.id.cmp(&b.id)));
    let offer = blueprints.iter().find(|b| b.offered).map(|b| b.id.clone());
    let scores = all_scores
        .into_iter()
        .filter(|s| s.score > 0 || !s.primary.is_empty() || !s.secondary.is_empty())
        .collect();
    PackDetection {
        pack: pack.manifest.id.clone(),
        goal: goal.to_string(),
        normalised: g.words,
        scores,
        blueprints,
        offer,
        chain,
    }
}

/// Adds hard dependencies transitively to `seeds` and orders the result:
/// dependencies (hard and soft, when present) always before dependants; among
/// skills free to run, by tier, then priority, then score (higher first), then id.
pub fn build_chain(
    pack: &Pack,
    seeds: Vec<(String, Vec<Reason>)>,
    scores: &HashMap<&str, u32>,
) -> Vec<ChainEntry> {
    let mut reasons: BTreeMap<String, Vec<Reason>> = BTreeMap::new();
    for (id, r) in seeds {
        if pack.skill(&id).is_some() {
            reasons.entry(id).or_default().extend(r);
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
    let mut seeds: Vec<(String, Vec<Reason>)> = ids
        .iter()
        .map(|id| (id.clone(), vec![reason.clone()]))
        .collect();
    for s in &pack.skills {
        if s.required {
            seeds.push((s.id.clone(), vec![Reason::Required]));
        }
    }
    build_chain(pack, seeds, scores)
}

/// The chain when a blueprint is used: its skills plus the matched ones.
pub fn blueprint_chain(pack: &Pack, det: &PackDetection, blueprint: &Blueprint) -> Vec<ChainEntry> {
    let mut seeds: Vec<(String, Vec<Reason>)> = det
        .chain
        .iter()
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
    for id in &blueprint.skills {
        seeds.push((
            id.clone(),
            vec![Reason::Blueprint {
                id: blueprint.id.clone(),
            }],
        ));
    }
    let scores: HashMap<&str, u32> = det
        .scores
        .iter()
        .map(|s| (s.id.as_str(), s.score))
        .collect();
    build_chain(pack, seeds, &scores)
}

/// A goal that matched no pack.
#[derive(Debug, Clone)]
pub struct NoMatch {
    pub goal: String,
    /// (pack id, title, example goals)
    pub packs: Vec<(String, String, Vec<String>)>,
}

impl std::fmt::Display for NoMatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "no pack matches the goal \"{}\".", self.goal)?;
        writeln!(f, "Describe what you want to build with words like these:")?;
        for (id, title, examples) in &self.packs {
            writeln!(f, "  {id} ({title})")?;
            for e in examples {
                writeln!(f, "    skillchain detect \"{e}\"")?;
            }
        }
        Ok(())
    }
}

/// Scores every pack and detects within the best one.
#[derive(Debug, Clone, Serialize)]
pub struct Detection {
    pub packs: Vec<PackScore>,
    #[serde(flatten)]
    pub inner: PackDetection,
}

pub fn detect(registry: &Registry, goal: &str) -> Result<Detection, NoMatch> {
    detect_with(registry, goal, None)
}

/// Like [`detect`], limited to one pack when `only` names it.
pub fn detect_with(
    registry: &Registry,
    goal: &str,
    only: Option<&str>,
) -> Result<Detection, NoMatch> {
    let g = Goal::new(goal);
    let mut best: Option<(u32, u32, usize, PackDetection)> = None;
    let mut packs = Vec::new();
    for (i, pack) in registry.packs.iter().enumerate() {
        if only.is_some_and(|id| id != pack.manifest.id) {
            continue;
        }
        let index = pack.detect_index();
        let hits: Vec<&(Phrase, u32)> = index.triggers.iter().filter(|(p, _)| g.has(p)).collect();
        let trigger_weight: u32 = hits.iter().map(|(_, w)| *w).sum();
        let det = detect_in_pack(pack, index, goal);
        let skill_score: u32 = det.scores.iter().map(|s| s.score).sum();
        packs.push(PackScore {
            id: pack.manifest.id.clone(),
            trigger_weight,
            triggers: hits.iter().map(|(p, _)| p.original.clone()).collect(),
            skill_score,
        });
        if trigger_weight == 0 && skill_score == 0 {
            continue;
        }
        let better = match &best {
            None => true,
            Some((tw, ss, _, _)) => (trigger_weight, skill_score) > (*tw, *ss),
        };
        if better {
            best = Some((trigger_weight, skill_score, i, det));
        }
    }
    packs.sort_by(|a, b| {
        (b.trigger_weight, b.skill_score)
            .cmp(&(a.trigger_weight, a.skill_score))
            .then(a.id.cmp(&b.id))
    });
    match best {
        Some((_, _, _, inner)) => Ok(Detection { packs, inner }),
        _ => Err(NoMatch {
            goal: goal.to_string(),
            packs: registry
                .packs
                .iter()
                .map(|p| {
                    (
                        p.manifest.id.clone(),
                        p.manifest.title.clone(),
                        p.manifest.examples.clone(),
                    )
                })
                .collect(),
        }),
    }
}
