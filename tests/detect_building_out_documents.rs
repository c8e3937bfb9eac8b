//! Ruling out building ("no implementation", "don't build anything yet")
//! leaves the skills that write only documents: findings, a scope, a run
//! analysis are what an analysis delivers, not a build. Every cue × every
//! analysis goal keeps them; a build skill of another pack is still out.

use skillchain::detect::detect;
use skillchain::pack::Registry;

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

const CUES: &[&str] = &[
    "no implementation",
    "don't build anything yet",
    "no build yet",
    "we are not implementing any of it this sprint",
    "no code yet",
    "all this before we build anything",
    "before anyone implements it",
];

const ANALYSES: &[&str] = &[
    "go through last week's run_results.json for the finance pipelines and write up the slowest nodes",
    "analyze why the nightly dbt run failed three times this week and write the findings",
    "read the run artifacts of the marketing pipelines and report which models regressed",
];

#[test]
fn ruling_out_building_keeps_the_skills_that_write_documents() {
    let mut n = 0;
    for base in ANALYSES {
        for cue in CUES {
            for goal in [format!("{base}. {cue}"), format!("{cue}: {base}")] {
                let d = detect(bundled(), &goal).unwrap_or_else(|e| panic!("{goal}: {e:?}"));
                assert_eq!(d.inner.pack, "pipeline-analysis", "{goal}");
                let ids: Vec<&str> = d.inner.chain.iter().map(|e| e.id.as_str()).collect();
                for kept in [
                    "scoping-analysis",
                    "reading-run-artifacts",
                    "writing-findings",
                ] {
                    assert!(ids.contains(&kept), "{goal}: {kept} missing from {ids:?}");
                }
                n += 1;
            }
        }
    }
    assert_eq!(n, 2 * CUES.len() * ANALYSES.len());
}

#[test]
fn ruling_out_building_still_rules_out_building_skills() {
    for cue in [
        "don't build anything yet",
        "no implementation in this session",
        "all of it before we build anything",
        "do that before anyone builds it",
    ] {
        let goal = format!(
            "capture the refresh requirements for the churn data product and recommend an orchestrator. {cue}"
        );
        let d = detect(bundled(), &goal).unwrap_or_else(|e| panic!("{goal}: {e:?}"));
        assert_eq!(d.inner.pack, "data-orchestration", "{goal}");
        let negated: Vec<&str> = d.inner.negated.iter().map(|n| n.skill.as_str()).collect();
        for out in ["ingestion", "layered-transforms", "validation"] {
            assert!(
                negated.contains(&out),
                "{goal}: {out} not ruled out: {negated:?}"
            );
        }
    }
}
