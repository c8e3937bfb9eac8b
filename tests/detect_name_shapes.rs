//! Names in a goal: a modelled table's prefix (`fct_`, `dim_`, `stg_`,
//! `int_`) is evidence for the pack that declares the shape, while the words
//! inside a name (`warehouse` of `dim_warehouse`, `aggregates` of
//! `active_users_aggregates_v3`) are weak context: they neither pull the
//! goal to another pack nor name a skill by a primary keyword. File names
//! (`run_results.json`, `metadata.yaml`) keep their words' full weight.

use skillchain::detect::detect;
use skillchain::pack::Registry;

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

const PREFIXES: &[&str] = &["fct", "dim", "stg", "int"];
/// Entity words, some of which are other packs' keywords on their own.
const ENTITIES: &[&str] = &[
    "warehouse",
    "events",
    "pipeline_runs",
    "stream_sessions",
    "orders",
    "kafka_offsets",
];
const ASKS: &[&str] = &[
    "should {n} be incremental or a table?",
    "{n} gets rebuilt nightly and takes 40 minutes, make it incremental",
    "is {n} really one row per order line?",
];

#[test]
fn a_modelled_table_goes_to_the_pack_of_its_shape() {
    for p in PREFIXES {
        for e in ENTITIES {
            for a in ASKS {
                let goal = a.replace("{n}", &format!("{p}_{e}"));
                let d = detect(bundled(), &goal).unwrap_or_else(|_| panic!("{goal}: no match"));
                assert_eq!(d.inner.pack, "dbt-workflows", "{goal}");
                let dbt = d.chosen().expect("chosen pack scored");
                assert!(
                    dbt.words.iter().any(|w| w.keyword == "modelled table"),
                    "{goal}: {:?}",
                    dbt.words
                );
                // The name's parts are weak context for every pack.
                for p in &d.packs {
                    for w in &p.words {
                        if e.contains(w.keyword.as_str()) {
                            assert!(w.weight <= 3, "{goal}: {} {:?}", p.id, w);
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn a_word_inside_a_name_names_no_skill() {
    let d = detect(
        bundled(),
        "bigconfig.yml with freshness and volume checks for firefox_desktop_derived.active_users_aggregates_v3",
    )
    .expect("matches");
    assert_eq!(d.inner.pack, "bigquery-etl");
    let ids: Vec<&str> = d.inner.chain.iter().map(|e| e.id.as_str()).collect();
    assert!(!ids.contains(&"query-writer"), "{ids:?}");
    // A name that is not a modelled table has no shape.
    let d = detect(bundled(), "parse_duration returns the wrong unit").ok();
    assert!(d.is_none_or(|d| d
        .packs
        .iter()
        .all(|p| p.words.iter().all(|w| w.keyword != "modelled table"))));
}

#[test]
fn a_file_name_keeps_its_words() {
    let d = detect(
        bundled(),
        "which tests failed in run_results.json last night, report only",
    )
    .expect("matches");
    let pa = d
        .packs
        .iter()
        .find(|p| p.id == "pipeline-analysis")
        .expect("scored");
    let w = pa
        .words
        .iter()
        .find(|w| w.keyword == "run results")
        .expect("run results read");
    assert_eq!(w.weight, 10);
}
