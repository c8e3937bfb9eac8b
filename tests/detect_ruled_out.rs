//! Work the goal rules out stays out of the chain, however it is said: every
//! way of ruling out × every part of a pack's work, named the way people
//! name it (not by the packs' keyword lists), after a goal that would
//! otherwise ask for it.

use skillchain::detect::detect;
use skillchain::pack::Registry;

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

/// (pack, a goal asking for the whole of its work, [(skill, how people
/// name that skill's part)]).
/// (skill, how people name that skill's part).
type Parts = &'static [(&'static str, &'static str)];

const CASES: &[(&str, &str, Parts)] = &[
    (
        "bigquery-etl",
        "new bigquery derived table telemetry_derived.crash_counts_v1 from clients_daily",
        &[
            ("metadata-manager", "metadata.yaml"),
            ("metadata-manager", "metadata"),
            ("sql-test-generator", "unit tests"),
            ("query-writer", "query"),
            ("query-writer", "query.sql"),
        ],
    ),
    // pipeline-analysis has no case: its plan is asked only in its own
    // words, so no goal asks for it that a cue could then rule out; a report
    // asked without a plan is swept in tests/detect_said_and_asked.rs.
];

const FORMS: &[&str] = &[
    "skip the {}",
    "no {} yet",
    "no {} for now",
    "without the {}",
    "w/o the {}",
    "leave out the {}",
    "hold off on the {}",
    "the {} later",
    "{} not needed",
    "the {} is out of scope",
    "the {} is someone else's job",
    "the {} is another team's job",
    "I'll do the {} myself",
    "don't touch the {}",
    "no changes to the {}",
    "no code changes to the {}",
];

#[test]
fn work_the_goal_rules_out_is_not_in_the_chain() {
    let mut failures = Vec::new();
    let mut n = 0;
    for (pack, base, parts) in CASES {
        for (skill, named) in *parts {
            for form in FORMS {
                for goal in [
                    format!("{base}; {}", form.replace("{}", named)),
                    format!("{}. {base}", form.replace("{}", named)),
                ] {
                    n += 1;
                    match detect(bundled(), &goal) {
                        Ok(d) if d.inner.pack == *pack => {
                            if d.inner.chain.iter().any(|e| e.id == *skill) {
                                failures.push(format!("{goal}: {skill} in the chain"));
                            }
                            if d.inner.offer.is_some() {
                                failures.push(format!("{goal}: blueprint offered"));
                            }
                        }
                        Ok(d) => failures.push(format!("{goal}: pack {}", d.inner.pack)),
                        Err(_) => failures.push(format!("{goal}: matched nothing")),
                    }
                }
            }
        }
    }
    assert!(n >= 160, "{n} goals");
    assert!(
        failures.is_empty(),
        "{} of {n}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The base goals ask for every part the cases rule out, so the test above
/// cannot pass by a chain that never held them.
#[test]
fn the_base_goals_ask_for_every_part_ruled_out() {
    for (pack, base, parts) in CASES {
        let d = detect(bundled(), base).expect("base goal matches");
        assert_eq!(d.inner.pack, *pack, "{base}");
        let ids: Vec<&str> = d.inner.chain.iter().map(|e| e.id.as_str()).collect();
        for (skill, _) in *parts {
            assert!(ids.contains(skill), "{base}: {skill} not in {ids:?}");
        }
    }
}

/// A goal that only looks ("diagnose only", "just investigate for now",
/// "read-only") rules out the skills whose work is to change things, unless
/// it names them by their own words.
#[test]
fn a_goal_that_only_looks_leaves_out_the_skills_that_change_things() {
    let cases: &[(&str, &str)] = &[(
        "dbt build failed on fct_orders last night with a compilation error, find the cause",
        "dbt-runner",
    )];
    let cues = [
        "diagnose only",
        "diagnosis only",
        "just diagnose for now",
        "investigation only",
        "just investigate",
        "review only",
        "research only",
        "read only",
    ];
    let mut failures = Vec::new();
    for (base, skill) in cases {
        let d = detect(bundled(), base).expect("base goal matches");
        let ids: Vec<&str> = d.inner.chain.iter().map(|e| e.id.as_str()).collect();
        assert!(ids.contains(skill), "{base}: {skill} not in {ids:?}");
        for cue in cues {
            let goal = format!("{base}, {cue}");
            let d = detect(bundled(), &goal).expect("goal matches");
            if d.inner.chain.iter().any(|e| e.id == *skill) {
                failures.push(format!("{goal}: {skill} in the chain"));
            }
        }
    }
    // Named by its own words, the skill stays.
    let goal =
        "go through last week's run_results.json for the finance pipelines and write the rollback plan, research only";
    let d = detect(bundled(), goal).expect("goal matches");
    assert!(
        d.inner.chain.iter().any(|e| e.id == "planning-changes"),
        "{goal}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
