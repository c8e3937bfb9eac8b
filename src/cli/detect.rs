//! `skillchain detect GOAL`: the chain a goal detects, every number explained.

use serde::Serialize;
use std::sync::Arc;

use super::{print_json, Style};
use crate::detect::{self, BlueprintScore, ChainEntry, Detection, PackScore, SkillScore};
use crate::error::EngineError;
use crate::pack::{Maturity, Registry};
use crate::session::Session;

#[derive(Serialize)]
struct DetectJson<'a> {
    goal: &'a str,
    normalised: &'a [String],
    pack: &'a str,
    packs: &'a [PackScore],
    /// The blueprint offered (confidence ≥ 70%), if any.
    blueprint: Option<&'a str>,
    blueprints: &'a [BlueprintScore],
    scores: &'a [SkillScore],
    /// The chain `run` uses: the blueprint's when one is offered.
    chain: &'a [ChainEntry],
    /// The chain from keywords alone (what "custom" starts from).
    detected_chain: &'a [ChainEntry],
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
                    &serde_json::json!({ "goal": goal, "pack": null, "error": "no pack matches the goal",
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
            pack: &det.inner.pack,
            packs: &det.packs,
            blueprint: det.inner.offer.as_deref(),
            blueprints: &det.inner.blueprints,
            scores: &det.inner.scores,
            chain: &session.chain,
            detected_chain: &det.inner.chain,
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
    }
    match det.inner.blueprints.first() {
        Some(b) => {
            let verdict = if b.offered {
                st.green("offered")
            } else {
                st.dim(&format!("not offered (needs {}%)", detect::OFFER_THRESHOLD))
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
                "           {hits}: weight {} of {} for 100%",
                b.hit_weight, b.full_weight
            );
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
        for r in &e.reasons {
            println!("       {}", r.describe());
        }
    }
    let excluded: Vec<&SkillScore> = det.inner.scores.iter().filter(|s| s.score == 0).collect();
    for s in excluded {
        let why = match &s.excluded_by {
            Some(x) => format!("excluded by \"{x}\""),
            None => "none of its required words is in the goal".to_string(),
        };
        println!("  {} {} {}", st.dim("–"), s.id, st.dim(&format!("({why})")));
    }
    println!();
    println!(
        "Estimated: {} min, {} questions",
        session.estimated_minutes(),
        session.question_count()
    );
    if session.blueprint.is_some() && det.inner.chain.len() != session.chain.len() {
        let ids: Vec<&str> = det.inner.chain.iter().map(|e| e.id.as_str()).collect();
        println!(
            "{}",
            st.dim(&format!("Without the blueprint: {}", ids.join(", ")))
        );
    }
}
