//! A skill the pack requires but the goal rules out ("skip security",
//! "the ingestion stays as is") gives only its answers: its files are not
//! written, except a file another writing skill's files need (a module
//! they import), which says so. Goals are generated over every required
//! skill of every bundled pack and several ways of ruling work out; what
//! the goal asks for comes from another skill of the same pack.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::evalgoals::bundled;
use skillchain::detect::detect;
use skillchain::generate::{build_plan, FileStatus, ANSWERS_ONLY_REASON, SHARED_REASON};
use skillchain::headless::{prepare, Request};

/// Ways a goal rules a part out or says it exists; `{}` is the part.
const RULINGS: &[&str] = &[
    "skip the {}",
    "no {} work",
    "don't touch the {}",
    "the {} already exists",
    "leave the {} alone",
    "without any {} changes",
];

#[test]
fn a_required_skill_the_goal_rules_out_writes_no_file_it_alone_needs() {
    let root = Path::new("/nonexistent-skillchain-required");
    let mut settled_cases = 0;
    let mut packs_seen = BTreeSet::new();
    for pack in &bundled().packs {
        let asks: Vec<&str> = pack
            .skills
            .iter()
            .filter(|s| !s.required)
            .filter_map(|s| s.keywords.primary.first().map(String::as_str))
            .collect();
        for required in pack.skills.iter().filter(|s| s.required) {
            let Some(part) = required.keywords.primary.first() else {
                continue;
            };
            for (i, ruling) in RULINGS.iter().enumerate() {
                let Some(ask) = asks.get(i % asks.len().max(1)) else {
                    continue;
                };
                let goal = format!(
                    "{ask} for the nightly orders load, {}",
                    ruling.replace("{}", part)
                );
                let Ok(d) = detect(bundled(), &goal) else {
                    continue;
                };
                if d.inner.pack != pack.manifest.id
                    || d.inner.offer.is_some()
                    || !d.inner.settles(&required.id)
                {
                    continue;
                }
                settled_cases += 1;
                packs_seen.insert(pack.manifest.id.clone());
                let only = d.inner.answers_only(pack);
                assert!(only.contains(&required.id), "{goal}: {only:?}");
                let session = prepare(
                    bundled(),
                    &Request {
                        goal: Some(goal.clone()),
                        defaults: true,
                        skip_loads: true,
                        ..Request::default()
                    },
                )
                .unwrap_or_else(|p| panic!("{goal}: {p:?}"));
                assert!(!session.writes_files(&required.id), "{goal}");
                let writing: BTreeSet<String> = session.writing_chain().into_iter().collect();
                assert!(!writing.contains(&required.id), "{goal}: {writing:?}");
                let plan = build_plan(&session, root).unwrap_or_else(|p| panic!("{goal}: {p:?}"));
                for f in plan.files.iter().filter(|f| f.skill == required.id) {
                    let out = required
                        .outputs
                        .iter()
                        .find(|o| o.template == f.template)
                        .expect("the file's output");
                    let by = out.shared_with.iter().find(|id| writing.contains(*id));
                    match (f.status, by) {
                        (FileStatus::Skipped, None) => assert_eq!(
                            f.reason.as_deref(),
                            Some(ANSWERS_ONLY_REASON),
                            "{goal}: {}",
                            f.path
                        ),
                        (FileStatus::Skipped, Some(_)) => {}
                        (_, Some(by)) => assert_eq!(
                            f.reason.as_deref(),
                            Some(format!("{SHARED_REASON}: {by} needs it").as_str()),
                            "{goal}: {}",
                            f.path
                        ),
                        (status, None) => {
                            panic!(
                                "{goal}: {} of ruled-out {} is {status:?}",
                                f.path, required.id
                            )
                        }
                    }
                }
            }
        }
    }
    // The generated goals reach the rule in every pack with a required
    // skill that asks for nothing else on its own.
    assert!(
        settled_cases >= 20,
        "only {settled_cases} goals rule a required skill out"
    );
    for pack in ["data-orchestration", "data-engineering"] {
        assert!(packs_seen.contains(pack), "{pack}: {packs_seen:?}");
    }
}

#[test]
fn the_rest_of_a_journey_with_parts_ruled_out_writes_its_required_skills() {
    // "orchestrated pipeline for the data product, skip security": the
    // blueprint is withheld, but the rest of its journey is asked, so every
    // required skill of it the goal keeps writes its files.
    let mut journeys = 0;
    for goal in common::evalgoals::eval_goals() {
        let Ok(d) = detect(bundled(), &goal) else {
            continue;
        };
        let Some(pack) = bundled().get(&d.inner.pack) else {
            continue;
        };
        let Some(best) = d.inner.blueprints.first().filter(|b| {
            !b.offered
                && !d.inner.ambiguous
                && b.confidence >= skillchain::detect::OFFER_THRESHOLD
                && !b.parts_ruled_out.is_empty()
        }) else {
            continue;
        };
        let blueprint = pack
            .blueprints
            .iter()
            .find(|b| b.id == best.id)
            .expect("scored blueprint exists");
        journeys += 1;
        let only = d.inner.answers_only(pack);
        for id in &blueprint.skills {
            let required = pack.skill(id).is_some_and(|s| s.required);
            if required && !d.inner.settles(id) {
                assert!(
                    !only.contains(id),
                    "{goal}: required {id} of the journey gives only its answers"
                );
            }
        }
    }
    assert!(
        journeys >= 3,
        "only {journeys} eval goals ask for a journey with parts ruled out"
    );
}

#[test]
fn a_focused_goal_writes_no_required_skill_it_does_not_ask_for() {
    // "add retries to the vendor task": the required skills that do not
    // frame every goal give only their answers. Generated over every
    // non-required skill of data-orchestration, the pack with such skills.
    let pack = bundled().get("data-orchestration").expect("pack");
    let mut focused = 0;
    for s in pack.skills.iter().filter(|s| !s.required) {
        for k in s.keywords.primary.iter().take(3) {
            let goal = format!("{k} for the nightly orders refresh");
            let Ok(d) = detect(bundled(), &goal) else {
                continue;
            };
            if d.inner.pack != "data-orchestration" || d.inner.offer.is_some() || !d.inner.focused {
                continue;
            }
            focused += 1;
            let asked: Vec<&str> = d.inner.chain.iter().map(|e| e.id.as_str()).collect();
            let only = d.inner.answers_only(pack);
            for e in d.inner.full_chain(pack) {
                let required = pack.skill(&e.id).is_some_and(|k| k.required);
                if required && !asked.contains(&e.id.as_str()) {
                    assert!(
                        only.contains(&e.id),
                        "{goal}: {} writes though not asked",
                        e.id
                    );
                }
            }
        }
    }
    assert!(focused >= 3, "only {focused} focused goals");
}
