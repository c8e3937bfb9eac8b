//! Close calls made by what a goal asks for beyond the best pack's words
//! (issue 12: ambiguous goals flagged with a right runner-up, clear goals
//! left alone). Each kind is tested over generated goals, with the same
//! goals minus the words that make the close call as the contrast.

use skillchain::detect::{detect, Detection};
use skillchain::pack::Registry;

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

fn run(goal: &str) -> Detection {
    detect(bundled(), goal).unwrap_or_else(|_| panic!("{goal:?} matches a pack"))
}

fn reason<'a>(d: &'a Detection, id: &str) -> Option<&'a str> {
    d.inner
        .runner_ups
        .iter()
        .find(|r| r.id == id)
        .and_then(|r| r.close_call.as_deref())
}

fn runner_up_ids(d: &Detection) -> Vec<&str> {
    d.inner.runner_ups.iter().map(|r| r.id.as_str()).collect()
}

const FAILING: &[&str] = &[
    "dbt build failing every night since tuesday",
    "dbt run failed overnight",
    "the nightly dbt job keeps erroring",
    "dbt build on fct_trips broke this morning",
];
const ARTEFACTS: &[(&str, &str)] = &[
    ("read the run_results", "run_results"),
    ("look at run_results", "run_results"),
    ("dig through run_results.json", "run_results"),
    ("check the manifest", "manifest"),
    ("go through the run logs", "run logs"),
];
const FIXES: &[&str] = &["and fix it", "then fix and rerun", "tell me why and fix it"];

/// A failure goal that names what the run left behind (run_results, the
/// manifest, run logs) is a fix and a reading of those artefacts alike:
/// the pack that reads them is the runner-up and says which word; without
/// the artefact the same goal is the fixer's alone.
#[test]
fn a_failure_goal_naming_run_artefacts_names_the_pack_that_reads_them() {
    let mut n = 0;
    for f in FAILING {
        for (a, word) in ARTEFACTS {
            for x in FIXES {
                let goal = format!("{f}. {a} {x}");
                let d = run(&goal);
                assert_eq!(d.inner.pack, "dbt-workflows", "{goal}");
                assert!(d.inner.ambiguous, "{goal}");
                let why = reason(&d, "pipeline-analysis")
                    .unwrap_or_else(|| panic!("{goal}: {:?}", runner_up_ids(&d)));
                // The evidence margin may name it first.
                assert!(
                    why.starts_with("evidence")
                        || (why.starts_with("the goal names what a run left behind")
                            && why.contains(&format!("\"{word}\""))),
                    "{goal}: {why}"
                );
                n += 1;
                let plain = format!("{f}, {x}");
                let d = run(&plain);
                assert_eq!(d.inner.pack, "dbt-workflows", "{plain}");
                assert!(
                    !runner_up_ids(&d).contains(&"pipeline-analysis"),
                    "{plain}: {:?}",
                    runner_up_ids(&d)
                );
            }
        }
    }
    assert_eq!(n, FAILING.len() * ARTEFACTS.len() * FIXES.len());
}

const REVIEWS: &[&str] = &[
    "code review of",
    "review",
    "please review",
    "can you review",
];
/// Work under review that reaches past dbt (orchestration, ingestion, a
/// pipeline), always together with dbt work.
const WIDER: &[&str] = &[
    "our airflow DAGs and dbt models",
    "the new Dagster job and the dbt models it triggers",
    "the dbt models and the airflow dag that runs them",
    "the ingestion code and the dbt staging models",
];
/// The same, with dbt work only.
const DBT_ONLY: &[&str] = &[
    "the dbt models in this PR",
    "the dbt models and their tests",
    "the new dbt models and the macros they call",
];
const WHEN: &[&str] = &["before the release", "in this PR", "before we merge"];

/// A review of work that reaches past the best pack's own (an
/// orchestrator's DAGs, ingestion code next to the dbt models) is an
/// analysis of that system as much as a code review: the pack that reads
/// the review ask too is the runner-up. A review of dbt work alone is not.
#[test]
fn a_review_of_work_past_the_best_pack_names_the_analysing_pack() {
    let mut n = 0;
    for r in REVIEWS {
        for w in WHEN {
            for o in WIDER {
                let goal = format!("{r} {o} {w}");
                let d = run(&goal);
                assert_eq!(d.inner.pack, "dbt-workflows", "{goal}");
                // Another rule may name it first (a short goal).
                assert!(
                    d.inner.ambiguous && runner_up_ids(&d).contains(&"pipeline-analysis"),
                    "{goal}: {:?}",
                    runner_up_ids(&d)
                );
                n += 1;
            }
            for o in DBT_ONLY {
                let goal = format!("{r} {o} {w}");
                let d = run(&goal);
                assert_eq!(d.inner.pack, "dbt-workflows", "{goal}");
                assert!(
                    reason(&d, "pipeline-analysis")
                        .is_none_or(|why| !why.starts_with("the goal asks for a review")),
                    "{goal}"
                );
            }
        }
    }
    assert_eq!(n, REVIEWS.len() * WHEN.len() * WIDER.len());
}

const STREAMS: &[&str] = &[
    "kafka order events",
    "kafka clickstream",
    "kinesis events",
    "kafka CDC from mysql",
];
const NOT_STREAMS: &[&str] = &["the shopify api", "postgres tables", "csv drops"];
const LAYERS: &[&str] = &[
    "into bronze/silver/gold",
    "into bronze, then silver/gold",
    "-> bronze -> silver -> gold",
];
const THEN: &[&str] = &[
    "w/ dagster, DQ checks at each layer",
    "with DQ checks on silver",
    "run it all from airflow",
];

/// A stream only another pack builds (Kafka, Kinesis), feeding the best
/// pack's layered build, is that pack's work too: either is the best and
/// the other the runner-up. A batch source feeding the same layers leaves
/// the layered build alone.
#[test]
fn a_stream_feeding_layers_names_the_pack_that_builds_the_stream() {
    let mut n = 0;
    for s in STREAMS {
        for l in LAYERS {
            for t in THEN {
                let goal = format!("{s} {l} {t}");
                let d = run(&goal);
                let mut both = runner_up_ids(&d);
                both.push(d.inner.pack.as_str());
                assert!(
                    d.inner.ambiguous
                        && both.contains(&"data-orchestration")
                        && both.contains(&"data-engineering"),
                    "{goal}: {} {both:?}",
                    d.inner.pack
                );
                n += 1;
            }
        }
    }
    for s in NOT_STREAMS {
        for l in LAYERS {
            for t in THEN {
                let goal = format!("{s} {l} {t}");
                let d = run(&goal);
                assert_eq!(d.inner.pack, "data-orchestration", "{goal}");
                assert!(
                    !runner_up_ids(&d).contains(&"data-engineering"),
                    "{goal}: {:?}",
                    runner_up_ids(&d)
                );
            }
        }
    }
    assert_eq!(n, STREAMS.len() * LAYERS.len() * THEN.len());
}

const SLOW_SUBJECTS: &[&str] = &[
    "the power bi sales report",
    "the finance dbt models",
    "fct_sessions in dbt",
    "the power bi dataset refresh",
];
const SLOWNESS: &[&str] = &["is slow", "crawls", "takes 40 min", "got slower this week"];
const NOT_SLOW: &[&str] = &["needs a new measure", "needs a margin column"];
const SLOW_ASKS: &[&str] = &["fix it", "fix the model behind it"];

/// Something slow in a pack that has no word for slowness (a Power BI
/// report, dbt models) is performance work too: a pack that knows "slow"
/// is the runner-up. The same subjects asking for something else are not.
#[test]
fn a_slowness_the_best_pack_has_no_word_for_names_a_pack_that_has() {
    let mut n = 0;
    for s in SLOW_SUBJECTS {
        for a in SLOW_ASKS {
            for w in SLOWNESS {
                let goal = format!("{s} {w}, {a}");
                let d = run(&goal);
                assert_eq!(d.inner.pack, "dbt-workflows", "{goal}");
                assert!(
                    runner_up_ids(&d).contains(&"data-engineering"),
                    "{goal}: {:?}",
                    runner_up_ids(&d)
                );
                n += 1;
            }
            for w in NOT_SLOW {
                let goal = format!("{s} {w}, {a}");
                let d = run(&goal);
                assert_eq!(d.inner.pack, "dbt-workflows", "{goal}");
                // A short goal may name it for its own reason.
                assert!(
                    d.inner
                        .runner_ups
                        .iter()
                        .filter_map(|r| r.close_call.as_deref())
                        .all(|why| !why.starts_with("the goal reports slowness")),
                    "{goal}: {:?}",
                    runner_up_ids(&d)
                );
            }
        }
    }
    assert_eq!(n, SLOW_SUBJECTS.len() * SLOW_ASKS.len() * SLOWNESS.len());
    // "slowly changing" names a kind of dimension, not a slowness.
    let d = run("slowly changing dimension type 2 for dim_employee using dbt snapshots");
    assert!(d
        .inner
        .runner_ups
        .iter()
        .filter_map(|r| r.close_call.as_deref())
        .all(|why| !why.starts_with("the goal reports slowness")));
}
