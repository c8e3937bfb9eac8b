//! How far a goal reaches, over generated goals built from every bundled
//! pack's own keywords: a narrow goal's asked chain is short but the chain a
//! session generates from still holds every dependency; a goal that names
//! other software work needs three primary keywords' worth of evidence; a
//! short goal names every other pack with a secondary keyword's worth of
//! its own words as runner-up; infrastructure around a data tool matches.

use std::collections::BTreeSet;

use skillchain::detect::context::MIN_EVIDENCE_ELSEWHERE;
use skillchain::detect::{detect, Reason};
use skillchain::pack::{Registry, Tier};

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

/// Goals made of one skill's primary keyword, alone or in one of the
/// phrasings a narrow change or a new build takes (the phrasing rotates, so
/// every keyword appears once and every phrasing about as often).
fn keyword_goals() -> Vec<String> {
    let mut out = Vec::new();
    let mut n = 0;
    for p in &bundled().packs {
        for s in &p.skills {
            for k in &s.keywords.primary {
                out.push(match n % 4 {
                    0 => k.clone(),
                    1 => format!("add {k} to the existing pipeline"),
                    2 => format!("new {k} for the orders data"),
                    _ => format!("{k}, the query is already written"),
                });
                n += 1;
            }
        }
    }
    out
}

#[test]
fn the_asked_chain_and_the_assumed_skills_together_hold_every_dependency() {
    let mut narrow = 0;
    for goal in keyword_goals() {
        let Ok(d) = detect(bundled(), &goal) else {
            continue;
        };
        let pack = bundled().get(&d.inner.pack).expect("pack loaded");
        let asked: BTreeSet<&str> = d.inner.chain.iter().map(|e| e.id.as_str()).collect();
        let assumed: BTreeSet<&str> = d.inner.assumed.iter().map(|e| e.id.as_str()).collect();
        assert!(
            asked.is_disjoint(&assumed),
            "{goal}: {asked:?} / {assumed:?}"
        );
        let full = d.inner.full_chain(pack);
        let full_ids: BTreeSet<&str> = full.iter().map(|e| e.id.as_str()).collect();
        let union: BTreeSet<&str> = asked.union(&assumed).copied().collect();
        assert_eq!(full_ids, union, "{goal}");
        for e in &full {
            let skill = pack.skill(&e.id).expect("chain skill exists");
            for dep in &skill.dependencies.hard {
                let negated = d.inner.negated.iter().any(|n| &n.skill == dep);
                assert!(
                    negated || full_ids.contains(dep.as_str()),
                    "{goal}: {} needs {dep}, missing from {full_ids:?}",
                    e.id
                );
            }
        }
        for s in d.inner.scores.iter().filter(|s| s.score > 0) {
            assert!(
                asked.contains(s.id.as_str()),
                "{goal}: matched {} not asked",
                s.id
            );
        }
        for s in pack.skills.iter().filter(|s| s.required) {
            // The roots of the pack and its closing report frame every goal;
            // a goal that names skills with no blueprint offered asks only
            // those (and what they need). A root that sets up what a running
            // project has (`frames_every_goal: false`) may stay unasked only
            // where the goal works on a pipeline that exists (only what
            // exists can be load-tested).
            let running = goal.ends_with(" to the existing pipeline")
                || goal.contains("load test")
                || goal.contains("stress test");
            let frames = match s.tier {
                Tier::Foundation => {
                    s.dependencies.hard.is_empty() && (s.frames_every_goal || !running)
                }
                Tier::Assembly => true,
                _ => false,
            };
            if !d.inner.focused || frames {
                assert!(
                    asked.contains(s.id.as_str()),
                    "{goal}: required {} not asked",
                    s.id
                );
            } else {
                narrow += 1;
            }
        }
        for e in &d.inner.assumed {
            assert!(
                !e.reasons
                    .iter()
                    .any(|r| matches!(r, Reason::Matched { .. } | Reason::Chosen)),
                "{goal}: {} is assumed but was asked for",
                e.id
            );
        }
        // Full run order: every skill after its hard dependencies.
        let pos = |id: &str| full.iter().position(|e| e.id == id);
        for e in &full {
            for dep in &pack.skill(&e.id).expect("exists").dependencies.hard {
                if let (Some(a), Some(b)) = (pos(dep), pos(&e.id)) {
                    assert!(a < b, "{goal}: {dep} after {}", e.id);
                }
            }
        }
    }
    assert!(narrow > 0, "no narrow goal left a required skill out");
}

/// Words naming other software work, one per kind.
const ELSEWHERE: &[&str] = &["react", "nginx", "helm", "ios", "llama", "meeting", "css"];

fn names_a_data_tool(goal: &str) -> bool {
    use skillchain::detect::normalise::{stemmer, tokenise};
    skillchain::detect::context::data_tool(&tokenise(&stemmer(), goal)).is_some()
}

/// `Some(the other software work named)` when `g` matches nothing; else
/// asserts the goal names a data tool (infrastructure around one is data
/// work) or its pack rests on at least `need` raw evidence.
fn refused_or_with_evidence(g: &str, need: f64) -> Option<Option<String>> {
    match detect(bundled(), g) {
        Ok(_) if names_a_data_tool(g) => None,
        Ok(d) => {
            let best = d.chosen().expect("scored");
            assert!(
                f64::from(best.raw_evidence) >= need,
                "{g}: matched {} on {}",
                best.id,
                best.raw_evidence
            );
            None
        }
        Err(no) => Some(no.elsewhere.map(|w| w.to_string())),
    }
}

#[test]
fn a_goal_naming_other_software_work_needs_three_primary_keywords_of_evidence() {
    let mut refused = 0;
    for (i, goal) in keyword_goals().iter().enumerate() {
        for w in ELSEWHERE.iter().skip(i % 3).step_by(3) {
            let g = format!("{goal} for the {w} app");
            if let Some(elsewhere) = refused_or_with_evidence(&g, MIN_EVIDENCE_ELSEWHERE) {
                refused += 1;
                if !names_a_data_tool(&g) {
                    assert_eq!(elsewhere.as_deref(), Some(*w), "{g}");
                }
            }
        }
    }
    assert!(refused > 50, "only {refused} refused");
}

#[test]
fn each_further_word_of_other_software_work_raises_the_minimum() {
    let need =
        MIN_EVIDENCE_ELSEWHERE + skillchain::detect::context::MIN_EVIDENCE_PER_MORE_ELSEWHERE;
    let mut refused = 0;
    for (i, goal) in keyword_goals().iter().enumerate() {
        let (a, b) = (
            ELSEWHERE[i % ELSEWHERE.len()],
            ELSEWHERE[(i + 3) % ELSEWHERE.len()],
        );
        let g = format!("{goal} for the {a} app and its {b}");
        if refused_or_with_evidence(&g, need).is_some() {
            refused += 1;
        }
    }
    assert!(refused > 50, "only {refused} refused");
}

/// Data tools, one per kind, and infrastructure words around them.
const TOOLS: &[&str] = &[
    "airflow",
    "dagster",
    "dbt",
    "kafka",
    "spark",
    "snowflake",
    "bigquery",
];
const INFRA: &[&str] = &[
    "helm chart for {}",
    "terraform module that provisions {}",
    "kubernetes deployment of {} on k8s",
    "dockerfile and nginx proxy in front of {}",
];

#[test]
fn infrastructure_around_a_data_tool_matches_and_without_one_is_refused() {
    for form in INFRA {
        for tool in TOOLS {
            let g = form.replace("{}", tool);
            let d = detect(bundled(), &g).unwrap_or_else(|_| panic!("{g}: refused"));
            let alone = detect(bundled(), tool).expect("a tool alone matches");
            let packs: Vec<&str> = std::iter::once(d.inner.pack.as_str())
                .chain(d.inner.runner_ups.iter().map(|r| r.id.as_str()))
                .collect();
            assert!(
                packs.contains(&alone.inner.pack.as_str()),
                "{g}: {packs:?} leaves out {}, the pack of {tool} alone",
                alone.inner.pack
            );
        }
        for thing in [
            "the payments api",
            "our landing page",
            "a redis cache",
            "the kafka-style bus",
        ] {
            let g = form.replace("{}", thing);
            let no = detect(bundled(), &g).err();
            assert!(no.is_some(), "{g}: matched a pack");
        }
    }
}

#[test]
fn a_word_of_other_software_work_never_moves_a_pack_example_to_another_pack() {
    for p in &bundled().packs {
        for ex in &p.manifest.examples {
            let plain = detect(bundled(), ex).expect("an example matches");
            for w in ELSEWHERE {
                if let Ok(d) = detect(bundled(), &format!("{ex} with a {w} front")) {
                    assert_eq!(d.inner.pack, plain.inner.pack, "{ex} + {w}");
                }
            }
        }
    }
}

#[test]
fn a_short_goal_names_every_pack_with_a_secondary_keywords_worth_as_runner_up() {
    let mut flagged = 0;
    for goal in keyword_goals() {
        let Ok(d) = detect(bundled(), &goal) else {
            continue;
        };
        let words = d
            .inner
            .normalised
            .iter()
            .filter(|w| !skillchain::detect::normalise::is_stopword(w))
            .count();
        // A blueprint of the best pack reached makes the goal specific
        // (it may be withdrawn afterwards because the call was close).
        let blueprint = d
            .inner
            .blueprints
            .iter()
            .any(|b| b.confidence >= skillchain::detect::OFFER_THRESHOLD);
        if words > skillchain::detect::SHORT_GOAL_WORDS || blueprint {
            continue;
        }
        for p in d.packs.iter().filter(|p| p.id != d.inner.pack) {
            // Its own words count, even inside another pack's phrase.
            if f64::from(p.own_raw) >= skillchain::detect::SHORT_RUNNER_UP {
                flagged += 1;
                assert!(d.inner.ambiguous, "{goal}: {} not flagged", p.id);
                assert!(
                    d.inner.runner_ups.iter().any(|r| r.id == p.id),
                    "{goal}: {} missing from runner-ups",
                    p.id
                );
            }
        }
    }
    assert!(flagged > 5, "only {flagged} runner-ups");
}
