//! A skill detection assumes (the goal says it exists, or a narrow goal does
//! not ask about it) is not asked: over every goal of the evaluation sets,
//! the session starts with those skills skipped, their questions defaulted
//! unseen, confirm lands on a question of a skill the goal asked for, and
//! the chain screen's count and estimate leave them out. Going back into an
//! assumed skill still works, and an explicit answer there is kept.

use std::collections::BTreeSet;
use std::sync::Arc;

use skillchain::detect::detect;
use skillchain::pack::{Maturity, Registry};
use skillchain::session::{Command, Screen, Session, StepState};

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

#[derive(serde::Deserialize)]
struct Case {
    goal: String,
}

fn eval_goals() -> Vec<String> {
    let mut goals = Vec::new();
    for file in ["goals.yaml", "heldout.yaml", "heldout2.yaml"] {
        let path = format!(
            "{}/tests/fixtures/detect_eval/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).expect("eval file reads");
        let cases: Vec<Case> = serde_yaml::from_str(&text).expect("eval file parses");
        goals.extend(cases.into_iter().map(|c| c.goal));
    }
    goals
}

/// Sessions of every eval goal whose detection assumes at least one skill.
fn assumed_sessions() -> Vec<(String, BTreeSet<String>, Session)> {
    let mut out = Vec::new();
    for goal in eval_goals() {
        let Ok(d) = detect(bundled(), &goal) else {
            continue;
        };
        if d.inner.assumed.is_empty() {
            continue;
        }
        let pack = Arc::new(bundled().get(&d.inner.pack).expect("pack").clone());
        // A dependency the goal rules out is in the chain for its answers
        // only, and is not asked either.
        let assumed: BTreeSet<String> = d
            .inner
            .assumed
            .iter()
            .map(|e| e.id.clone())
            .chain(d.inner.answers_only(&pack))
            .collect();
        let s = Session::new(pack, d.inner, None, Maturity::Intermediate);
        out.push((goal, assumed, s));
    }
    out
}

#[test]
fn assumed_skills_start_skipped_and_confirm_lands_on_an_asked_skill() {
    let sessions = assumed_sessions();
    assert!(
        sessions.len() >= 20,
        "the eval sets hold narrow goals: {} assumed some skill",
        sessions.len()
    );
    for (goal, assumed, mut s) in sessions {
        let status = s.status();
        let mut asked_questions = 0;
        for st in &status.steps {
            if assumed.contains(&st.key) {
                assert_eq!(st.state, StepState::Skipped, "{goal}: {}", st.key);
                assert_eq!(st.answered, 0, "{goal}: {}", st.key);
            } else {
                asked_questions += st.questions;
            }
        }
        assert_eq!(s.question_count(), asked_questions, "{goal}");
        s.apply(Command::Confirm).expect("confirm on the chain");
        match s.screen {
            Screen::Question { step, .. } => {
                let key = &s.steps()[step].key;
                assert!(
                    !assumed.contains(key),
                    "{goal}: confirm landed on assumed skill {key}"
                );
            }
            Screen::Review => assert_eq!(asked_questions, 0, "{goal}"),
            other => panic!("{goal}: confirm went to {other:?}"),
        }
    }
}

#[test]
fn taking_all_defaults_gives_an_assumed_skill_the_same_values_as_asking_it() {
    // Skipping a skill never changes what its questions resolve to: the
    // generated project of a narrow goal equals the one of the same chain
    // answered with Enter on every question.
    for (goal, _, s) in assumed_sessions().into_iter().take(40) {
        let mut pre = s.clone();
        pre.apply(Command::SkipAll).expect("all defaults");
        let values: Vec<String> = pre
            .resolved()
            .iter()
            .filter(|r| r.applicable)
            .map(|r| format!("{:?}={:?}", r.key, r.value))
            .collect();
        let mut fresh = s;
        fresh.apply(Command::Confirm).expect("confirm");
        for _ in 0..500 {
            if fresh.screen == Screen::Review {
                break;
            }
            fresh
                .apply(Command::Accept)
                .expect("enter takes the shown value");
        }
        assert_eq!(fresh.screen, Screen::Review, "{goal}");
        let walked: Vec<String> = fresh
            .resolved()
            .iter()
            .filter(|r| r.applicable)
            .map(|r| format!("{:?}={:?}", r.key, r.value))
            .collect();
        assert_eq!(values, walked, "{goal}");
    }
}
