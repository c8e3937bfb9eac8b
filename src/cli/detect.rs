//! `skillchain detect GOAL`: the chain a goal detects, every number explained.

use serde::Serialize;
use std::sync::Arc;

use super::{print_json, Style};
use crate::detect::names::Name;
use crate::detect::{
    self, BlueprintScore, ChainEntry, Detection, NegatedSkill, PackScore, ScopeNote, SkillScore,
};
use crate::error::EngineError;
use crate::pack::{Maturity, Registry};
use crate::session::Session;

#[derive(Serialize)]
struct DetectJson<'a> {
    goal: &'a str,
    normalised: &'a [String],
    /// The stems detection compares, one per normalised word.
    stems: &'a [String],
    pack: &'a str,
    /// True when another pack's evidence is within the margin of this one.
    ambiguous: bool,
    /// Those packs, best first, with their evidence and the words behind it.
    runner_ups: &'a [PackScore],
    /// Negation ("no kafka") and "exists" ("existing query") scopes.
    scopes: &'a [ScopeNote],
    /// Skills the goal rules out.
    negated: &'a [NegatedSkill],
    /// True when the goal says what it builds on exists: hard dependencies not added.
    dependencies_exist: bool,
    /// True for a narrow goal: required skills outside foundation/assembly left out.
    narrow: bool,
    /// True when the goal names skills and no blueprint is offered: required
    /// skills that do not frame it are assumed, not asked.
    focused: bool,
    /// Names the goal mentions (tables, datasets) used as defaults.
    names: &'a [Name],
    packs: &'a [PackScore],
    /// The blueprint offered (confidence ≥ 70%), if any.
    blueprint: Option<&'a str>,
    blueprints: &'a [BlueprintScore],
    scores: &'a [SkillScore],
    /// The chain `run` writes files for: the blueprint's when one is
    /// offered; without one, the skills only there for their answers
    /// (`answers_only`) are left out.
    chain: &'a [ChainEntry],
    /// The chain from keywords alone (what "custom" starts from).
    detected_chain: &'a [ChainEntry],
    /// The skills of `detected_chain` the goal does not ask about, whose
    /// defaults the templates use (dependencies it says exist; a narrow
    /// goal's required and dependency skills).
    assumed: &'a [ChainEntry],
    /// The assumed skills the pack does not require: `run` takes their
    /// defaults and writes none of their files.
    answers_only: Vec<String>,
    estimated_minutes: u32,
    question_count: usize,
}

pub fn run(
    registry: &Registry,
    goal: &str,
    only: Option<&str>,
    json: bool,
    st: Style,
) -> Result<u8, EngineError> {
    if let Some(id) = only {
        if registry.get(id).is_none() {
            return Err(super::refuse(
                "detect",
                vec![crate::error::Problem::new(
                    "--pack",
                    format!("pack `{id}` is not installed; `skillchain list` shows the packs"),
                )],
            ));
        }
    }
    let det = match detect::detect_with(registry, goal, only) {
        Ok(d) => d,
        Err(no) => {
            if json {
                print_json(
                    &serde_json::json!({ "goal": goal, "pack": null, "error": "no pack matches the goal", "elsewhere": no.elsewhere, "thin": no.thin,
                    "packs": no.packs.iter().map(|(id, title, ex)| serde_json::json!({"id": id, "title": title, "examples": ex})).collect::<Vec<_>>() }),
                )?;
            } else {
                eprint!("{}", st.error(&no.to_string()));
                eprintln!();
            }
            return Ok(2);
        }
    };
    let pack = registry
        .get(&det.inner.pack)
        .cloned()
        .ok_or_else(|| EngineError::Other("detected pack is not loaded".into()))?;
    let session = Session::new(
        Arc::new(pack),
        det.inner.clone(),
        det.inner.offer.clone(),
        Maturity::default(),
    );
    if json {
        print_json(&DetectJson {
            goal,
            normalised: &det.inner.normalised,
            stems: &det.inner.stems,
            pack: &det.inner.pack,
            ambiguous: det.inner.ambiguous,
            runner_ups: &det.inner.runner_ups,
            scopes: &det.inner.scopes,
            negated: &det.inner.negated,
            dependencies_exist: det.inner.dependencies_exist,
            narrow: det.inner.narrow,
            focused: det.inner.focused,
            names: &det.inner.names,
            packs: &det.packs,
            blueprint: det.inner.offer.as_deref(),
            blueprints: &det.inner.blueprints,
            scores: &det.inner.scores,
            chain: &session
                .chain
                .iter()
                .filter(|e| session.writes_files(&e.id))
                .cloned()
                .collect::<Vec<_>>(),
            detected_chain: &det.inner.full_chain(session.pack()),
            assumed: &det.inner.assumed,
            answers_only: session.answers_only_chain(),
            estimated_minutes: session.estimated_minutes(),
            question_count: session.question_count(),
        })?;
        return Ok(0);
    }
    print_chain_screen(&det, &session, st);
    let p = session.pack();
    println!();
    println!(
        "Next: skillchain run \"{goal}\"{} --defaults --out ./{}",
        only.map(|id| format!(" --pack {id}")).unwrap_or_default(),
        p.manifest.output_root
    );
    Ok(0)
}

/// The chain screen as text: pack, blueprint offer, the chain in run order
/// with every reason, excluded skills and the estimates. Shared by `detect`
/// and the plain journey.
pub(super) fn print_chain_screen(det: &Detection, session: &Session, st: Style) {
    let goal = session.goal.as_str();
    let p = session.pack();
    println!("{} \"{goal}\"", st.bold("SKILL CHAIN DETECTED FOR:"));
    println!();
    let quoted = |words: &[String]| {
        words
            .iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Details go on their own indented lines so the screen reads well at 80 columns.
    println!(
        "Pack:      {} ({})",
        st.cyan(&p.manifest.id),
        p.manifest.title
    );
    if let Some(ps) = det.packs.iter().find(|x| x.id == det.inner.pack) {
        if ps.trigger_weight > 0 {
            println!(
                "           trigger words {} (weight {})",
                quoted(&ps.triggers),
                ps.trigger_weight
            );
        }
        println!("           skill score {}", ps.skill_score);
        println!(
            "           evidence {} from {}",
            ps.evidence,
            evidence_words(ps)
        );
    }
    if det.inner.ambiguous {
        println!(
            "{}",
            st.bold("Ambiguous: another pack could fit this goal; pick one with --pack")
        );
        for r in &det.inner.runner_ups {
            println!(
                "           runner-up {} evidence {} from {}",
                st.cyan(&r.id),
                r.evidence,
                evidence_words(r)
            );
            if let Some(why) = &r.close_call {
                println!("           close call: {why}");
            }
            let alone: Vec<&String> = r
                .own_words
                .iter()
                .filter(|w| !r.words.iter().any(|x| &x.keyword == *w))
                .collect();
            if !alone.is_empty() {
                println!(
                    "           it reads {} on its own too (weight {}), inside another pack's longer phrase",
                    alone
                        .iter()
                        .map(|w| format!("\"{w}\""))
                        .collect::<Vec<_>>()
                        .join(", "),
                    r.own_raw
                );
            }
        }
    }
    match det.inner.blueprints.first() {
        Some(b) => {
            let verdict = if b.offered {
                st.green("offered")
            } else {
                st.dim(&format!(
                    "not offered ({})",
                    det.inner.blueprint_withheld().unwrap_or_default()
                ))
            };
            println!(
                "Blueprint: {}, {}% confidence, {verdict}",
                st.cyan(&b.id),
                b.confidence
            );
            let hits = if b.hits.is_empty() {
                "no trigger words".to_string()
            } else {
                quoted(&b.hits)
            };
            println!(
                "           {hits}: weight {} of {} for 100%{}",
                b.hit_weight,
                b.full_weight,
                if b.cap < 100 {
                    format!(", at most {}% for a goal this short", b.cap)
                } else {
                    String::new()
                }
            );
            if !det.inner.ambiguous && !b.whole && b.confidence >= detect::OFFER_THRESHOLD {
                println!(
                    "           not offered: it asks for part of it (names {} of its skills, one weighty trigger word, not its own phrase)",
                    b.skills_named.len()
                );
            }
        }
        None => println!("Blueprint: none in this pack"),
    }
    println!();
    println!("{}", st.bold("Chain, in run order:"));
    for (i, e) in session.chain.iter().enumerate() {
        println!(
            "  {}. {} {}",
            i + 1,
            st.bold(&e.id),
            st.dim(&format!("({})", e.tier.as_str()))
        );
        if !session.writes_files(&e.id) {
            println!("       {}", st.dim(detect::ANSWERS_ONLY_NOTE));
        } else if det.inner.assumed.iter().any(|a| a.id == e.id) {
            println!("       {}", st.dim(detect::ASSUMED_NOTE));
        }
        for r in &e.reasons {
            println!("       {}", r.describe());
        }
        if let Some(sc) = det.inner.scores.iter().find(|s| s.id == e.id) {
            for h in sc.hits.iter().filter(|h| h.how != "word") {
                println!("       {}", st.dim(&h.note));
            }
        }
    }
    let excluded: Vec<&SkillScore> = det.inner.scores.iter().filter(|s| s.score == 0).collect();
    for s in excluded {
        let why = s
            .left_out_because()
            .unwrap_or_else(|| "none of its required words is in the goal".to_string());
        println!("  {} {} {}", st.dim("–"), s.id, st.dim(&format!("({why})")));
    }
    for note in det.inner.scopes.iter().filter_map(|s| s.describing()) {
        println!("  {}", st.dim(&note));
    }
    if det.inner.dependencies_exist {
        println!(
            "  {}",
            st.dim("the goal says what these skills build on exists: their dependencies' defaults will do")
        );
    }
    if !det.inner.assumed.is_empty() {
        let ids: Vec<&str> = det.inner.assumed.iter().map(|e| e.id.as_str()).collect();
        println!(
            "  {}",
            st.dim(&format!(
                "{}: not asked by the goal, defaults will do: {}",
                if det.inner.narrow {
                    "narrow goal"
                } else {
                    "exists per the goal"
                },
                ids.join(", ")
            ))
        );
    }
    if !det.inner.names.is_empty() {
        let names: Vec<String> = det
            .inner
            .names
            .iter()
            .map(|n| format!("{} ({})", n.text, n.role))
            .collect();
        println!("Names in the goal: {}", names.join(", "));
    }
    println!();
    println!(
        "Estimated: {} min, {} questions",
        session.estimated_minutes(),
        session.question_count()
    );
    let detected = det.inner.full_chain(session.pack());
    if session.blueprint.is_some() && detected.len() != session.chain.len() {
        let ids: Vec<&str> = detected.iter().map(|e| e.id.as_str()).collect();
        println!(
            "{}",
            st.dim(&format!("Without the blueprint: {}", ids.join(", ")))
        );
    }
}

/// "\"airflow\" 3.0, \"dag\" 1.5" for a pack's evidence line.
fn evidence_words(ps: &PackScore) -> String {
    if ps.words.is_empty() {
        return "no words".to_string();
    }
    ps.words
        .iter()
        .map(|w| format!("\"{}\" {}", w.keyword, w.evidence))
        .collect::<Vec<_>>()
        .join(", ")
}
