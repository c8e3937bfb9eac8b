//! A blueprint asks for a whole build: naming its foundation skills (the
//! requirements, the storage pattern), which frame every goal of the pack,
//! does not ask for it. Goals that change one working part (ingestion,
//! retries) of a pipeline, with cadence and freshness words, are not offered
//! the orchestrated pipeline; goals that name several working parts are.

use skillchain::detect::detect;
use skillchain::pack::Registry;

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

const SOURCES: &[&str] = &["the Oracle ERP", "salesforce", "the postgres app db"];
const ONE_PART: &[&str] = &[
    "nightly full extract of {s} takes 5h, move it to CDC and keep a weekly full refresh",
    "weekly extract of {s} for the churn model retraining, as a mage pipeline",
    "switch the daily load of {s} to incremental extraction on updated_at, ready by 6am",
];
const WHOLE: &[&str] = &[
    "orchestrated pipeline from {s}: ingestion, bronze silver gold layers, validation checks, retries and alerts, secrets in vault",
];

#[test]
fn one_working_part_with_cadence_words_is_offered_no_blueprint() {
    for s in SOURCES {
        for g in ONE_PART {
            let goal = g.replace("{s}", s);
            let d = detect(bundled(), &goal).expect("matches");
            assert_eq!(d.inner.offer, None, "{goal}: {:?}", d.inner.blueprints);
        }
    }
}

#[test]
fn several_working_parts_are_offered_the_blueprint() {
    for s in SOURCES {
        for g in WHOLE {
            let goal = g.replace("{s}", s);
            let d = detect(bundled(), &goal).expect("matches");
            assert_eq!(d.inner.pack, "data-orchestration", "{goal}");
            assert_eq!(
                d.inner.offer.as_deref(),
                Some("orchestrated-pipeline"),
                "{goal}: {:?}",
                d.inner.blueprints
            );
        }
    }
}
