//! Brief goals (six content words): another pack is a runner-up when it
//! reads a word of the goal the best pack does not read at all, not when it
//! only sees the best pack's words again.

use skillchain::detect::detect;
use skillchain::pack::Registry;

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

/// The orchestration pack knows the store and the secrets of a data lake,
/// but reads nothing the data-engineering pack does not: no close call.
#[test]
fn a_second_pack_reading_only_shared_words_is_no_runner_up() {
    for store in ["s3", "gcs", "adls"] {
        for engine in ["spark", "flink", "trino"] {
            let goal = format!("data lake on {store} with {engine} and vault secrets");
            let d = detect(bundled(), &goal).expect("matches");
            assert_eq!(d.inner.pack, "data-engineering", "{goal}");
            assert!(!d.inner.ambiguous, "{goal}: {:?}", d.inner.runner_ups);
        }
    }
}

/// A brief goal that two packs read each with words of their own is a
/// close call, and each runner-up named reads some word apart.
#[test]
fn a_second_reading_of_a_brief_goal_is_a_runner_up() {
    for db in ["postgres", "mysql", "snowflake"] {
        let goal = format!("airflow dag that loads csv files into {db}");
        let d = detect(bundled(), &goal).expect("matches");
        assert!(d.inner.ambiguous, "{goal}");
        let ids: Vec<&str> = d.inner.runner_ups.iter().map(|r| r.id.as_str()).collect();
        assert!(
            ids.contains(&"data-engineering") || d.inner.pack == "data-engineering",
            "{goal}: {} or {ids:?}",
            d.inner.pack
        );
    }
}
