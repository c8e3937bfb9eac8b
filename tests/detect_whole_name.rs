//! A keyword that is a whole name (`run_results`) is the thing the goal
//! names, so its skill is asked; the same words inside a longer table name
//! (`stg_run_results_daily`) are only part of that name.

use skillchain::detect::detect;
use skillchain::pack::Registry;

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

const ASKS: &[&str] = &[
    "research only: read the {} of the nightly dbt build and write the findings",
    "go through {} from last night and write up what failed, no code changes",
    "write the findings from the {} of the failed prod build",
];

#[test]
fn an_artifact_named_whole_asks_for_the_skill_that_reads_it() {
    for ask in ASKS {
        let goal = ask.replace("{}", "run_results");
        let d = detect(bundled(), &goal).unwrap_or_else(|e| panic!("{goal}: {e:?}"));
        assert_eq!(d.inner.pack, "pipeline-analysis", "{goal}");
        let ids: Vec<&str> = d.inner.chain.iter().map(|e| e.id.as_str()).collect();
        assert!(ids.contains(&"reading-run-artifacts"), "{goal}: {ids:?}");
    }
}

#[test]
fn the_same_words_inside_a_table_name_ask_for_nothing() {
    for goal in [
        "write the findings on the stg_run_results_daily model, no code changes",
        "write the findings for fct_run_results_summary, research only",
    ] {
        let d = detect(bundled(), goal).unwrap_or_else(|e| panic!("{goal}: {e:?}"));
        let ids: Vec<&str> = d.inner.chain.iter().map(|e| e.id.as_str()).collect();
        assert!(!ids.contains(&"reading-run-artifacts"), "{goal}: {ids:?}");
    }
}
