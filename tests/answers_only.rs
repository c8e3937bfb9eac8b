//! A skill in the chain only for its answers (detection assumed it and the
//! pack does not require it: "the query already exists", a narrow goal's
//! dependencies) writes no file. Over every goal of every evaluation set:
//! its outputs are planned as skipped with the reason, nothing else is,
//! validation does not hold the tree to them, `detect --json`'s `chain` is
//! the skills that write, and the answers file replays exactly the same
//! files. Asking for the skill (the customize toggle, a typed answer)
//! writes its files again. Every third such goal by default, every one with
//! `SKILLCHAIN_ANSWERS_ONLY_ALL=1`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::evalgoals::{bundled, eval_goals};
use skillchain::answers;
use skillchain::detect::detect;
use skillchain::generate::{
    self, build_plan, FileStatus, Plan, ANSWERS_ONLY_REASON, SHARED_REASON,
};
use skillchain::headless::{prepare, Request};
use skillchain::pack::Maturity;
use skillchain::session::{Command, Screen, Session};

fn session_for(goal: &str) -> Session {
    try_session_for(goal).unwrap_or_else(|| panic!("{goal}: stops on a conflict"))
}

/// The session with defaults, or `None` when a pack conflict the defaults
/// leave open stops it (by design: it names the resolution to add).
fn try_session_for(goal: &str) -> Option<Session> {
    let req = Request {
        goal: Some(goal.to_string()),
        defaults: true,
        skip_loads: true,
        ..Request::default()
    };
    match prepare(bundled(), &req) {
        Ok(s) => Some(s),
        Err(p)
            if p.problems
                .iter()
                .all(|x| x.location.starts_with("conflict ")) =>
        {
            None
        }
        Err(p) => panic!("{goal}: {p:?}"),
    }
}

/// Path → content of the files the plan writes.
fn written(plan: &Plan) -> Vec<(String, String)> {
    plan.files
        .iter()
        .filter(|f| f.status != FileStatus::Skipped)
        .map(|f| (f.path.clone(), f.content.clone()))
        .collect()
}

/// The skills of the best blueprint when it is withheld only because the
/// goal rules some of its parts out (the rest of its journey is asked).
fn journey_but_parts(
    d: &skillchain::detect::PackDetection,
    pack: &skillchain::pack::Pack,
) -> Vec<String> {
    d.blueprints
        .first()
        .filter(|b| {
            !b.offered
                && !d.ambiguous
                && b.confidence >= skillchain::detect::OFFER_THRESHOLD
                && !b.parts_ruled_out.is_empty()
        })
        .and_then(|b| pack.blueprints.iter().find(|x| x.id == b.id))
        .map(|b| b.skills.clone())
        .unwrap_or_default()
}

/// The goals whose chain holds a skill only for its answers (found once).
fn answers_only_goal_list() -> &'static [String] {
    static G: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    G.get_or_init(|| {
        eval_goals()
            .into_iter()
            .filter(|g| {
                detect(bundled(), g).is_ok_and(|d| {
                    let pack = bundled().get(&d.inner.pack).expect("pack");
                    d.inner.offer.is_none() && !d.inner.answers_only(pack).is_empty()
                })
            })
            .collect()
    })
}

/// Every `step`-th such goal, with its session.
fn answers_only_goals(step: usize) -> Vec<(String, Session)> {
    answers_only_goal_list()
        .iter()
        .step_by(step)
        .filter_map(|g| try_session_for(g).map(|s| (g.clone(), s)))
        .collect()
}

#[test]
fn skills_there_only_for_their_answers_write_no_file_and_replay_exactly() {
    let root = Path::new("/nonexistent-skillchain-answers-only");
    assert!(
        answers_only_goal_list().len() >= 100,
        "the eval sets hold narrow goals: only {} have answers-only skills",
        answers_only_goal_list().len()
    );
    // Every third by default; all of them with SKILLCHAIN_ANSWERS_ONLY_ALL=1.
    let all = std::env::var_os("SKILLCHAIN_ANSWERS_ONLY_ALL").is_some();
    let goals = answers_only_goals(if all { 1 } else { 3 });
    let mut packs = BTreeSet::new();
    for (goal, session) in &goals {
        packs.insert(session.pack().id().to_string());
        let only = session.answers_only().clone();
        assert!(
            !only.is_empty(),
            "{goal}: no answers-only skill in the session"
        );
        let d = detect(bundled(), goal).expect("detects");
        let pack = session.pack();
        assert_eq!(
            only,
            d.inner
                .answers_only(pack)
                .into_iter()
                .collect::<BTreeSet<_>>(),
            "{goal}"
        );
        // A required skill gives only its answers when the goal rules it
        // out or says its work exists, or does not ask for it; never when
        // the goal asks for a blueprint's journey with only parts ruled out.
        let journey = journey_but_parts(&d.inner, pack);
        for id in &only {
            let required = pack.skill(id).is_some_and(|s| s.required);
            assert!(
                !required || d.inner.settles(id) || !journey.contains(id),
                "{goal}: required {id} is answers-only though the goal asks for its journey"
            );
            assert!(
                !d.inner.chain.iter().any(|e| &e.id == id),
                "{goal}: {id} is asked"
            );
        }
        let writing_ids: BTreeSet<String> = session.writing_chain().into_iter().collect();
        let plan = build_plan(session, root).unwrap_or_else(|p| panic!("{goal}: {p:?}"));
        for f in &plan.files {
            let by_reason = f.reason.as_deref() == Some(ANSWERS_ONLY_REASON);
            if only.contains(&f.skill) {
                // Written only when a writing skill's files need it, and
                // then it says which.
                let out = pack
                    .skill(&f.skill)
                    .and_then(|s| s.outputs.iter().find(|o| o.template == f.template))
                    .expect("the file's output");
                let needed_by: Vec<&String> = out
                    .shared_with
                    .iter()
                    .filter(|id| writing_ids.contains(*id))
                    .collect();
                match needed_by.first() {
                    None => {
                        assert_eq!(f.status, FileStatus::Skipped, "{goal}: {} written", f.path);
                        assert!(by_reason, "{goal}: {} skipped for {:?}", f.path, f.reason);
                    }
                    Some(by) if f.status != FileStatus::Skipped => assert_eq!(
                        f.reason.as_deref(),
                        Some(format!("{SHARED_REASON}: {by} needs it").as_str()),
                        "{goal}: {}",
                        f.path
                    ),
                    // A shared file can still be off by its own condition.
                    Some(_) => assert!(!by_reason, "{goal}: {} skipped though needed", f.path),
                }
            } else {
                assert!(
                    !by_reason,
                    "{goal}: {} of asked {} skipped",
                    f.path, f.skill
                );
            }
        }
        // Validation holds the tree to the writing skills only.
        for dl in generate::deliverables(session, &plan) {
            assert!(!only.contains(&dl.skill), "{goal}: deliverable {}", dl.id);
        }
        let writing: Vec<String> = session.writing_chain();
        let expected: Vec<String> = session
            .chain
            .iter()
            .map(|e| e.id.clone())
            .filter(|id| !only.contains(id))
            .collect();
        assert_eq!(writing, expected, "{goal}");
        // The answers file replays the same files, byte for byte.
        let file = answers::from_session(session);
        assert_eq!(
            file.answers_only.iter().cloned().collect::<BTreeSet<_>>(),
            only,
            "{goal}"
        );
        let text = answers::to_yaml(&file);
        let reread = answers::parse("answers.yaml", &text).expect("answers file parses");
        let replay = prepare(
            bundled(),
            &Request {
                answers: Some(("answers.yaml".into(), reread)),
                defaults: true,
                skip_loads: true,
                ..Request::default()
            },
        )
        .unwrap_or_else(|p| panic!("{goal}: replay: {p:?}"));
        let again = build_plan(&replay, root).expect("replay plans");
        assert_eq!(written(&again), written(&plan), "{goal}: replay differs");
    }
    for pack in ["bigquery-etl", "dbt-workflows", "pipeline-analysis"] {
        assert!(
            packs.contains(pack),
            "no answers-only goal of {pack}: {packs:?}"
        );
    }
}

#[test]
fn asking_for_an_answers_only_skill_writes_its_files() {
    let root = Path::new("/nonexistent-skillchain-answers-only");
    let mut checked = 0;
    for goal in answers_only_goal_list().iter().step_by(7) {
        let d = detect(bundled(), goal).expect("detects");
        let pack = std::sync::Arc::new(bundled().get(&d.inner.pack).expect("pack").clone());
        let mut session = Session::new(pack, d.inner, None, Maturity::Intermediate);
        let only: Vec<String> = session.answers_only().iter().cloned().collect();
        let target = only[0].clone();
        let before = build_plan(&session, root).expect("plans");
        session.apply(Command::Customize).expect("customize");
        assert_eq!(session.screen, Screen::Customize, "{goal}");
        session
            .apply(Command::ToggleSkill(target.clone()))
            .unwrap_or_else(|r| panic!("{goal}: toggle {target}: {}", r.0));
        assert!(session.writes_files(&target), "{goal}: {target}");
        assert!(
            session.chain.iter().any(|e| e.id == target),
            "{goal}: {target} left the chain"
        );
        let after = build_plan(&session, root).expect("plans");
        for f in after.files.iter().filter(|f| f.skill == target) {
            assert_ne!(
                f.reason.as_deref(),
                Some(ANSWERS_ONLY_REASON),
                "{goal}: {}",
                f.path
            );
        }
        let had: usize = before.files.iter().filter(|f| f.skill == target).count();
        let has: usize = after.files.iter().filter(|f| f.skill == target).count();
        assert_eq!(had, has, "{goal}: {target} plans other outputs");
        // The others stay answers-only.
        for id in only.iter().skip(1) {
            assert!(!session.writes_files(id), "{goal}: {id}");
        }
        checked += 1;
    }
    assert!(checked >= 10, "{checked}");
}

#[test]
fn a_chain_named_on_the_command_line_writes_every_skill() {
    let root = Path::new("/nonexistent-skillchain-answers-only");
    for (goal, session) in answers_only_goals(11) {
        let ids: Vec<String> = session.chain.iter().map(|e| e.id.clone()).collect();
        let named = prepare(
            bundled(),
            &Request {
                goal: Some(goal.clone()),
                pack: Some(session.pack().id().to_string()),
                skills: Some(ids.clone()),
                defaults: true,
                skip_loads: true,
                ..Request::default()
            },
        )
        .unwrap_or_else(|p| panic!("{goal}: {p:?}"));
        assert!(named.answers_only().is_empty(), "{goal}");
        let plan = build_plan(&named, root).expect("plans");
        assert!(
            plan.files
                .iter()
                .all(|f| f.reason.as_deref() != Some(ANSWERS_ONLY_REASON)),
            "{goal}"
        );
    }
}

#[test]
fn an_answers_file_naming_a_skill_outside_its_chain_is_refused() {
    let goal = answers_only_goal_list()[0].clone();
    let session = session_for(&goal);
    let mut file = answers::from_session(&session);
    let outside = session
        .pack()
        .skills
        .iter()
        .map(|s| s.id.clone())
        .find(|id| !session.chain.iter().any(|e| &e.id == id))
        .expect("a skill outside the chain");
    file.answers_only.push(outside.clone());
    let err = prepare(
        bundled(),
        &Request {
            answers: Some(("answers.yaml".into(), file.clone())),
            defaults: true,
            skip_loads: true,
            ..Request::default()
        },
    )
    .err()
    .unwrap_or_else(|| panic!("{goal}: accepted {outside}"));
    let text = format!("{err:?}");
    assert!(text.contains("answers.yaml: answers_only"), "{text}");
    assert!(
        text.contains(&format!("`{outside}` is not in the chain")),
        "{text}"
    );
    file.skills = None;
    file.answers_only = vec![outside];
    let Err(err) = prepare(
        bundled(),
        &Request {
            answers: Some(("answers.yaml".into(), file)),
            defaults: true,
            skip_loads: true,
            ..Request::default()
        },
    ) else {
        panic!("answers_only without skills is accepted");
    };
    assert!(format!("{err:?}").contains("needs `skills:`"), "{err:?}");
}

/// Every goal of every evaluation set (every fifth by default, all with
/// `SKILLCHAIN_ANSWERS_ONLY_ALL=1`) plans its tree with defaults without a
/// template error, blueprint or not: whatever the goal rules out or assumes,
/// what the templates read is there.
#[test]
fn every_evaluation_goal_plans_its_tree_with_defaults() {
    let root = Path::new("/nonexistent-skillchain-answers-only");
    let all = std::env::var_os("SKILLCHAIN_ANSWERS_ONLY_ALL").is_some();
    let (mut planned, mut conflicts) = (0, 0);
    for goal in eval_goals().iter().step_by(if all { 1 } else { 5 }) {
        if detect(bundled(), goal).is_err() {
            continue;
        }
        let req = Request {
            goal: Some(goal.to_string()),
            defaults: true,
            skip_loads: true,
            ..Request::default()
        };
        let session = match prepare(bundled(), &req) {
            Ok(s) => s,
            // Answers in conflict stop a headless run by design, with the
            // resolutions to choose from.
            Err(p)
                if p.problems
                    .iter()
                    .all(|x| x.location.starts_with("conflict ")) =>
            {
                conflicts += 1;
                continue;
            }
            Err(p) => panic!("{goal}: {p:?}"),
        };
        if let Err(p) = build_plan(&session, root) {
            panic!("{goal}: {p:?}");
        }
        planned += 1;
    }
    assert!(conflicts * 10 < planned, "{conflicts} conflicts");
    assert!(planned >= if all { 1500 } else { 300 }, "{planned}");
}

/// `run GOAL` builds on exactly what `detect GOAL` shows: the same pack,
/// blueprint, chain that writes files and answers-only skills, for every
/// evaluation goal (every third by default, all with
/// `SKILLCHAIN_ANSWERS_ONLY_ALL=1`). A word another pack's phrase takes, or
/// a close call that withholds the blueprint, used to be seen by `detect`
/// only.
#[test]
fn run_builds_on_what_detect_shows() {
    let all = std::env::var_os("SKILLCHAIN_ANSWERS_ONLY_ALL").is_some();
    let mut compared = 0;
    for goal in eval_goals().iter().step_by(if all { 1 } else { 3 }) {
        let Ok(d) = detect(bundled(), goal) else {
            continue;
        };
        let pack = std::sync::Arc::new(bundled().get(&d.inner.pack).expect("pack").clone());
        let offer = d.inner.offer.clone();
        let shown = Session::new(pack, d.inner, offer, Maturity::Intermediate);
        let req = Request {
            goal: Some(goal.to_string()),
            defaults: true,
            skip_loads: true,
            ..Request::default()
        };
        let Ok(run) = prepare(bundled(), &req) else {
            // Answers in conflict stop a headless run (counted above).
            continue;
        };
        assert_eq!(run.pack().id(), shown.pack().id(), "{goal}");
        assert_eq!(run.blueprint, shown.blueprint, "{goal}");
        assert_eq!(run.writing_chain(), shown.writing_chain(), "{goal}");
        assert_eq!(
            run.answers_only_chain(),
            shown.answers_only_chain(),
            "{goal}"
        );
        compared += 1;
    }
    assert!(compared >= if all { 1500 } else { 500 }, "{compared}");
}
