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
fn a_required_skill_the_goal_keeps_still_writes_its_files() {
    // The same asks with nothing ruled out: required skills write.
    for pack in &bundled().packs {
        for s in pack.skills.iter().filter(|s| !s.required).take(2) {
            let Some(ask) = s.keywords.primary.first() else {
                continue;
            };
            let goal = format!("{ask} for the nightly orders load");
            let Ok(d) = detect(bundled(), &goal) else {
                continue;
            };
            let Some(p) = bundled().get(&d.inner.pack) else {
                continue;
            };
            for id in d.inner.answers_only(p) {
                assert!(
                    p.skill(&id).is_some_and(|k| !k.required),
                    "{goal}: required {id} gives only its answers though nothing rules it out"
                );
            }
        }
    }
}
