//! `run --defaults` answers every question the goal leaves open with its
//! default; a default must not contradict what a goal keyword chose. Over
//! every goal phrase of every smart default of every bundled pack, a goal
//! of that phrase alone, with the whole pack's chain, leaves no pack
//! conflict open: the conflict would stop a run the user gave no reason to
//! stop ("webhook ingestion" with the default daily refresh did). A goal
//! that states both sides of a conflict still stops, naming the
//! resolutions (the contrast below).

mod common;

use common::evalgoals::bundled;
use skillchain::headless::{prepare, Request};

fn open_conflicts(pack: &str, skills: &[String], goal: &str) -> Vec<String> {
    let req = Request {
        goal: Some(goal.to_string()),
        pack: Some(pack.to_string()),
        skills: Some(skills.to_vec()),
        defaults: true,
        skip_loads: true,
        ..Request::default()
    };
    match prepare(bundled(), &req) {
        Ok(_) => Vec::new(),
        Err(p) => p
            .problems
            .iter()
            .filter(|x| x.location.starts_with("conflict "))
            .map(|x| x.location.clone())
            .collect(),
    }
}

#[test]
fn no_single_goal_keyword_leaves_the_defaults_in_conflict() {
    let mut checked = 0;
    let mut stopped = Vec::new();
    for pack in &bundled().packs {
        let skills: Vec<String> = pack.skills.iter().map(|s| s.id.clone()).collect();
        for skill in &pack.skills {
            for q in &skill.questions {
                for sd in &q.smart_defaults {
                    for phrase in &sd.goal {
                        checked += 1;
                        let open = open_conflicts(pack.id(), &skills, phrase);
                        if !open.is_empty() {
                            stopped.push(format!("{} {phrase:?}: {open:?}", pack.id()));
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} goal phrases");
    assert!(stopped.is_empty(), "{}", stopped.join("\n"));
}

#[test]
fn a_goal_that_states_both_sides_of_a_conflict_still_stops_on_it() {
    let pack = "data-orchestration";
    let skills: Vec<String> = bundled()
        .packs
        .iter()
        .find(|p| p.id() == pack)
        .expect("pack")
        .skills
        .iter()
        .map(|s| s.id.clone())
        .collect();
    assert_eq!(
        open_conflicts(
            pack,
            &skills,
            "webhook ingestion of stripe events, refreshed daily"
        ),
        vec!["conflict event-driven-daily".to_string()]
    );
    assert!(open_conflicts(pack, &skills, "webhook ingestion of stripe events").is_empty());
}
