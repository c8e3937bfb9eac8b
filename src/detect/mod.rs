//! Detection: from a goal to a pack, a blueprint offer and an ordered chain of
//! skills, with every number explainable (DESIGN.md §2 "Detection").
//!
//! The stages, one module each: [`normalise`] (words, stems), [`reading`]
//! (synonyms, typos), [`phrases`] (terms found, longer phrases consuming
//! their words), [`negation`] (negation and "already exists" scopes),
//! [`score`] (skills and pack evidence), [`choose`] (pack, ambiguity),
//! [`blueprint`] (offer), [`chain`] (run order), [`names`] (identifiers the
//! goal names).

use serde::Serialize;

use crate::pack::Tier;

mod blueprint;
mod capabilities;
mod chain;
mod choose;
mod close;
pub mod context;
mod cues;
mod described;
mod everyday;
mod index;
mod makes;
pub mod names;
mod negation;
pub mod normalise;
mod phrases;
mod reading;
mod requirements_first;
mod researched;
mod score;
mod shared;
mod wider;

pub use chain::{blueprint_chain, build_chain, build_chain_with, chain_for, chain_for_with, Pull};
pub use choose::{
    detect, detect_with, AMBIGUOUS_GAP, AMBIGUOUS_RATIO, MIN_EVIDENCE, SHORT_GOAL_WORDS,
    SHORT_RUNNER_UP,
};
pub use index::{PackIndex, PRIMARY_POINTS, SECONDARY_POINTS};
pub use score::detect_in_pack;

/// Blueprints at or above this confidence are offered.
pub const OFFER_THRESHOLD: u32 = 70;

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
    /// The goal asks for a new one of what the pack makes ("create
    /// telemetry_derived.crashes_v1"), which this skill is made with.
    Makes {
        by: String,
    },
    /// Added by the user on the customize screen or with `--skills`.
    Chosen,
    /// A dependency of what the goal asks for, where the goal says the thing
    /// it makes exists ("existing query"): its defaults will do.
    Exists {
        by: String,
    },
    /// A dependency the goal rules out ("don't touch the query"): only its
    /// answers are used, by what depends on it.
    RuledOut {
        by: String,
    },
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
            Reason::Makes { by } => format!("part of the new one asked for (\"{by}\")"),
            Reason::Chosen => "chosen".to_string(),
            Reason::Exists { by } => {
                format!("exists per the goal (\"{by}\"): skip its questions, the defaults will do")
            }
            Reason::RuledOut { by } => {
                format!("ruled out by \"{by}\": only its defaults are used, by what depends on it")
            }
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
    /// Every keyword that matched and how (typed form, stem, typo, synonym).
    pub hits: Vec<Hit>,
    /// The negation that zeroed the score ("no kafka").
    pub negated_by: Option<String>,
    /// The goal says what this skill makes exists ("existing query").
    pub exists_by: Option<String>,
}

impl SkillScore {
    /// Why the goal leaves this skill out, worded as `detect` prints it:
    /// an exclusion or negation ("excluded by \"no kafka\"") or work the
    /// goal says exists. `None` when it scored or nothing ruled it out.
    pub fn left_out_because(&self) -> Option<String> {
        if self.score > 0 {
            return None;
        }
        match (&self.excluded_by, &self.negated_by, &self.exists_by) {
            (Some(x), _, _) | (_, Some(x), _) => Some(format!("excluded by \"{x}\"")),
            (_, _, Some(x)) => Some(format!("exists per the goal: \"{x}\"")),
            _ => None,
        }
    }
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
    /// The most this goal can reach: short goals are capped (60 % for one
    /// content word, +10 per word, 100 % from five on).
    pub cap: u32,
    /// The blueprint's skills the goal names (a primary keyword or two secondary ones).
    pub skills_named: Vec<String>,
    /// The blueprint's own phrase the goal says ("new fact table"): a
    /// trigger of several words that reaches the offer alone.
    pub own_phrase: Option<String>,
    /// The goal asks for the whole thing (its own phrase, two of its skills
    /// or a third of a larger blueprint, two trigger words each worth 30 %
    /// of the full weight, or two of its skills and trigger words beyond
    /// the heaviest worth 30 %): only then is it offered.
    pub whole: bool,
    /// The blueprint's skills the goal rules out ("no code review", "I'll
    /// rerun it myself"): the goal asks for part of the journey, so it is
    /// not whole unless it says so ("end to end").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts_ruled_out: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PackScore {
    pub id: String,
    pub trigger_weight: u32,
    pub triggers: Vec<String>,
    pub skill_score: u32,
    /// Combined evidence the pack is chosen on: each matched word's weight in
    /// this pack times this pack's share of that word across all packs.
    pub evidence: f64,
    /// The same words' weights before sharing them out: a pack matches at
    /// all only when this reaches the minimum.
    pub raw_evidence: u32,
    /// The words behind `evidence`.
    pub words: Vec<PackWord>,
    /// The weight of the pack's words read with its own vocabulary alone
    /// (another pack's longer phrase of shared words, such as "slow query"
    /// or "airflow dag", not taking them), before sharing: for a short goal,
    /// 5 or more makes the pack a runner-up.
    pub own_raw: u32,
    /// Those words.
    pub own_words: Vec<String>,
    /// Where the pack comes from: bundled, folder, or installed from a URL
    /// with its sha256 pin.
    pub source: String,
    /// For a runner-up: why the goal is a close call with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub close_call: Option<String>,
}

/// One word's contribution to a pack's evidence.
#[derive(Debug, Clone, Serialize)]
pub struct PackWord {
    pub keyword: String,
    /// The pack's weight for it (trigger weight or keyword points).
    pub weight: u32,
    /// This pack's share of the word's weight over all packs (1 = only this pack).
    pub share: f64,
    /// weight × share.
    pub evidence: f64,
}

/// One keyword of the goal and how it matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    /// The keyword as the pack writes it.
    pub keyword: String,
    /// The goal's words as typed.
    pub typed: String,
    /// "word" (as written), "stem" (another form), "typo" or "synonym".
    pub how: String,
    /// "matched 'dimension' (typed 'dimesion')".
    pub note: String,
}

/// A negation or "exists" scope the goal contains, and what it removed.
#[derive(Debug, Clone, Serialize)]
pub struct ScopeNote {
    /// "negated", "exists", "runs" (words naming what runs already: "the
    /// nightly ledger sync"), "grain" (a cadence that measures: "daily
    /// row count"), "researched" (what a documentation search is about),
    /// "placed" (a layer named as where other work happens: "in silver"),
    /// "criterion" (what a tool should offer or a workload is like: "DQ
    /// built in", "dq-heavy jobs"), "frequency" (how often something
    /// happens: "503s a couple times a week") or "examined" (secondary
    /// words of a skill in a goal that only reviews or searches: what is
    /// looked at); the last seven ask for nothing.
    pub kind: String,
    /// The words as typed ("no kafka", "existing query").
    pub text: String,
    /// Skills of the chosen pack it excluded (negated), marked as done
    /// (exists) or kept from being asked by those words (runs, grain).
    pub skills: Vec<String>,
}

impl ScopeNote {
    /// For words read as describing ("runs", "grain"): what they were read
    /// as, and the skills they asked nothing of.
    pub fn describing(&self) -> Option<String> {
        let what = match self.kind.as_str() {
            "runs" => "names what runs already",
            "grain" => "is the grain of a number, not a schedule",
            "examined" => "names what is looked at",
            "researched" => "is what the documentation is asked about",
            "placed" => "says where the work happens",
            "criterion" => "says what the tool should offer or the work is like",
            "frequency" => "says how often something happens, not a schedule",
            _ => return None,
        };
        Some(format!(
            "\u{201c}{}\u{201d} {what}: it asks nothing of {}",
            self.text,
            self.skills.join(", ")
        ))
    }
}

/// A skill the goal rules out, and the words that do.
#[derive(Debug, Clone, Serialize)]
pub struct NegatedSkill {
    pub skill: String,
    pub by: String,
}

/// Detection within one pack.
#[derive(Debug, Clone, Serialize)]
pub struct PackDetection {
    pub pack: String,
    pub goal: String,
    pub normalised: Vec<String>,
    /// The stems detection compares, one per word of `normalised`.
    pub stems: Vec<String>,
    /// Only skills with a non-zero score or a reason to be zero (exclusion,
    /// requirement, negation).
    pub scores: Vec<SkillScore>,
    pub blueprints: Vec<BlueprintScore>,
    /// The best blueprint at or above the offer threshold (none on a close call).
    pub offer: Option<String>,
    /// Keyword-detected chain (matched, required and dependencies), in run order.
    pub chain: Vec<ChainEntry>,
    /// True when another pack's evidence is within the margin: the user picks.
    pub ambiguous: bool,
    /// Packs within the margin of this one, best first (empty unless ambiguous).
    pub runner_ups: Vec<PackScore>,
    /// Negation and "exists" scopes found in the goal.
    pub scopes: Vec<ScopeNote>,
    /// Skills the goal rules out; never in the chain, not even as dependencies.
    pub negated: Vec<NegatedSkill>,
    /// True when the goal says what it builds on exists ("existing query"):
    /// hard dependencies are marked [`Reason::Exists`].
    pub dependencies_exist: bool,
    /// True when the goal is narrow (one or two skills named by a primary
    /// keyword, no blueprint): the required skills are still in the chain,
    /// and their defaults are usually enough.
    pub narrow: bool,
    /// True when the goal names skills (a primary keyword or two secondary
    /// ones) and its pack offers no blueprint: it asks for those skills,
    /// so required skills that do not frame every goal (components,
    /// integrations, foundation skills that build on another) are assumed.
    pub focused: bool,
    /// Names the goal mentions (tables, datasets), usable as defaults.
    pub names: Vec<names::Name>,
    /// Skills the templates still need but the goal does not ask about:
    /// dependencies it says exist ("existing query"), and for a narrow goal
    /// the required skills and the dependencies of a change to something
    /// that exists. Their defaults will do; [`PackDetection::full_chain`]
    /// merges them back in run order.
    pub assumed: Vec<ChainEntry>,
}

/// How `detect` and the chain screen mark an assumed skill.
pub const ASSUMED_NOTE: &str = "not asked by the goal: its defaults will do";
/// How `detect` and the chain screen mark an assumed skill the pack does
/// not require: it is in the chain only for its answers.
pub const ANSWERS_ONLY_NOTE: &str =
    "not asked by the goal: its defaults serve the others, its files are not written";

impl PackDetection {
    /// The skills of blueprint `b`'s chain the goal rules out ("ingestion
    /// is not our problem", "end to end, but no security work"): in a
    /// session's chain only for their answers, their files not written,
    /// also when the pack requires them or the blueprint lists them. A
    /// foundation skill stays asked: a
    /// decision said made ("we have prefect already") or missing ("no
    /// orchestrator yet") is what the journey is built on. So does a skill
    /// the goal also asks for in other words, and one it says exists: a
    /// skill of two jobs may exist for one ("dlt already ran, rebuild the
    /// marts").
    pub fn blueprint_answers_only(
        &self,
        pack: &crate::pack::Pack,
        b: &crate::pack::Blueprint,
    ) -> Vec<String> {
        blueprint_chain(pack, self, b)
            .into_iter()
            .filter(|e| {
                self.negated.iter().any(|n| n.skill == e.id)
                    && pack
                        .skill(&e.id)
                        .is_some_and(|k| k.tier != crate::pack::Tier::Foundation)
                    && !self.scores.iter().any(|s| s.id == e.id && s.score > 0)
            })
            .map(|e| e.id)
            .collect()
    }

    /// The skills of [`PackDetection::full_chain`] the goal does not ask
    /// for: in a session's chain only for their answers, their files not
    /// written. A required skill is among them when the goal rules it out
    /// or says it exists ("skip security", "the ingestion stays as is"),
    /// or when a focused goal does not ask for it ("add retries to the
    /// vendor task" needs no new ingestion), unless the goal asks for the
    /// whole journey of a blueprint with only some parts ruled out.
    pub fn answers_only(&self, pack: &crate::pack::Pack) -> Vec<String> {
        let journey = self.journey_but_parts(pack);
        self.full_chain(pack)
            .into_iter()
            .filter(|e| !self.chain.iter().any(|c| c.id == e.id))
            .filter(|e| {
                pack.skill(&e.id).is_some_and(|s| {
                    !s.required || self.settles(&e.id) || !journey.iter().any(|id| *id == e.id)
                })
            })
            .map(|e| e.id)
            .collect()
    }

    /// The skills of the best blueprint when the goal asks for its whole
    /// journey but rules parts out ("orchestrated pipeline for the data
    /// product, skip security"): the blueprint is withheld, yet the rest of
    /// the journey is asked, so its required skills write their files.
    fn journey_but_parts<'p>(&self, pack: &'p crate::pack::Pack) -> Vec<&'p str> {
        self.blueprints
            .first()
            .filter(|b| {
                !b.offered
                    && !self.ambiguous
                    && b.confidence >= OFFER_THRESHOLD
                    && !b.parts_ruled_out.is_empty()
            })
            .and_then(|b| pack.blueprint(&b.id))
            .map(|b| b.skills.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// True when the goal rules the skill out or says its work exists.
    pub fn settles(&self, skill: &str) -> bool {
        self.negated.iter().any(|n| n.skill == skill) || self.exists_by(skill).is_some()
    }

    /// The chain with the assumed skills merged back in run order: what a
    /// session's steps are built from. A dependency the goal rules out
    /// ("don't touch the query") is pulled in as well, for its answers
    /// only: what depends on it reads them.
    pub fn full_chain(&self, pack: &crate::pack::Pack) -> Vec<ChainEntry> {
        let mut pull = self.pull();
        let ruled = std::mem::take(&mut pull.never);
        let needs_ruled = self.chain.iter().chain(&self.assumed).any(|e| {
            pack.skill(&e.id)
                .is_some_and(|s| s.dependencies.hard.iter().any(|d| ruled.contains(d)))
        });
        if self.assumed.is_empty() && !needs_ruled {
            return self.chain.clone();
        }
        let seeds: Vec<(String, Vec<Reason>)> = self
            .chain
            .iter()
            .chain(&self.assumed)
            .map(|e| (e.id.clone(), e.reasons.clone()))
            .collect();
        let scores: std::collections::HashMap<&str, u32> = self
            .scores
            .iter()
            .map(|s| (s.id.as_str(), s.score))
            .collect();
        let mut chain = chain::build_chain_with(pack, seeds, &scores, &pull);
        for e in &mut chain {
            if let Some(n) = self.negated.iter().find(|n| n.skill == e.id) {
                e.reasons.push(Reason::RuledOut { by: n.by.clone() });
            } else if let Some(by) = self.exists_by(&e.id) {
                if !e.reasons.iter().any(|r| matches!(r, Reason::Exists { .. })) {
                    e.reasons.push(Reason::Exists { by });
                }
            }
        }
        chain
    }

    /// The words that say the skill's work exists ("we are on airflow
    /// already"), when the goal says so.
    fn exists_by(&self, skill: &str) -> Option<String> {
        self.scopes
            .iter()
            .find(|s| s.kind == "exists" && s.skills.iter().any(|k| k == skill))
            .map(|s| s.text.clone())
    }

    /// Why the best blueprint is not offered, in a few words for the screens
    /// ("needs 70%", "the pack is a close call"); `None` when it is offered
    /// or the pack has none.
    pub fn blueprint_withheld(&self) -> Option<String> {
        let best = self.blueprints.first().filter(|b| !b.offered)?;
        Some(if best.confidence < OFFER_THRESHOLD {
            format!("needs {OFFER_THRESHOLD}%")
        } else if self.ambiguous {
            "the pack is a close call".to_string()
        } else if !best.parts_ruled_out.is_empty() {
            format!("the goal rules out {}", best.parts_ruled_out.join(", "))
        } else if let Some(next) = self
            .blueprints
            .get(1)
            .filter(|b| b.confidence >= OFFER_THRESHOLD)
        {
            format!("{} at {}% is as likely", next.id, next.confidence)
        } else {
            "the goal asks for part of it".to_string()
        })
    }

    /// The dependency rule this detection's chain was built with.
    pub fn pull(&self) -> Pull {
        Pull {
            exists_by: self
                .scopes
                .iter()
                .find(|s| s.kind == "exists")
                .map(|s| s.text.clone()),
            never: self.negated.iter().map(|n| n.skill.clone()).collect(),
        }
    }
}

/// A goal that matched no pack.
#[derive(Debug, Clone)]
pub struct NoMatch {
    pub goal: String,
    /// The word that places the goal in other software work ("nginx"),
    /// when that raised the minimum the best pack missed.
    pub elsewhere: Option<String>,
    /// Why one data word among many others is not enough ("only "security"
    /// of its 9 words is data work").
    pub thin: Option<String>,
    /// (pack id, title, example goals)
    pub packs: Vec<(String, String, Vec<String>)>,
}

impl std::fmt::Display for NoMatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "no pack matches the goal \"{}\".", self.goal)?;
        if let Some(w) = &self.elsewhere {
            writeln!(
                f,
                "\"{w}\" reads as software work other than data engineering, and the goal has too few data words."
            )?;
        }
        if let Some(t) = &self.thin {
            writeln!(f, "The goal reads as other work: {t}.")?;
        }
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

impl Detection {
    /// The score of the pack detection chose.
    pub fn chosen(&self) -> Option<&PackScore> {
        self.packs.iter().find(|p| p.id == self.inner.pack)
    }
}
