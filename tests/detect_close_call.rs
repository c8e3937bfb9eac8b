//! A runner-up with 80 % of the best pack's evidence is a close call, even
//! when the goal orders the whole of a blueprint the best pack offers
//! (`look at the failed tests in run_results.json and fix them` is dbt work
//! and pipeline analysis alike).

use skillchain::detect::{detect, MIN_EVIDENCE};
use skillchain::pack::Registry;

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

const VERBS: &[&str] = &["look at", "check", "go through", "triage"];
const THINGS: &[&str] = &["failed tests", "failing models", "broken snapshots"];
const WHERE: &[&str] = &["run_results.json", "the run results", "last night's run"];
const THEN: &[&str] = &["and fix them", "and rerun them", "then fix the models"];

#[test]
fn a_runner_up_near_the_best_is_always_named() {
    let mut close = 0;
    for v in VERBS {
        for t in THINGS {
            for w in WHERE {
                for n in THEN {
                    let goal = format!("{v} the {t} in {w} {n}");
                    let Ok(d) = detect(bundled(), &goal) else {
                        continue;
                    };
                    let best = &d.packs[0];
                    for p in d.packs.iter().skip(1) {
                        if p.evidence >= 0.8 * best.evidence
                            && f64::from(p.raw_evidence) >= MIN_EVIDENCE / 2.0
                        {
                            close += 1;
                            assert!(
                                d.inner.runner_ups.iter().any(|r| r.id == p.id),
                                "{goal}: {} {} vs {} {}",
                                best.id,
                                best.evidence,
                                p.id,
                                p.evidence
                            );
                        }
                    }
                }
            }
        }
    }
    assert!(close > 0, "no close call generated");
}

#[test]
fn failed_tests_in_the_run_results_are_dbt_work_or_analysis() {
    for w in ["run_results.json", "the run results"] {
        let goal = format!("look at the failed tests in {w} and fix them");
        let d = detect(bundled(), &goal).expect("matches");
        assert!(d.inner.ambiguous, "{goal}");
        let mut ids: Vec<&str> = d.inner.runner_ups.iter().map(|r| r.id.as_str()).collect();
        ids.push(&d.inner.pack);
        assert!(
            ids.contains(&"dbt-workflows") && ids.contains(&"pipeline-analysis"),
            "{goal}: {ids:?}"
        );
    }
}
