//! A skill gated on data words (`requires_any` holding "table") opens for a
//! table the goal names instead of saying "table": `clients_daily_v6`,
//! `moz-fx-data-shared-prod.telemetry_derived.clients_daily_v6`,
//! `telemetry_derived.clients_daily`. Generated over every such skill of
//! every bundled pack × each of its primary keywords × three table shapes:
//! when the goal lands in the skill's pack, the skill scores on its
//! keyword. The contrasts, the same keyword about a thing that is no table
//! ("for the parser") or a dbt model (`dim_orders`, read by its shape as
//! dbt's), leave the gate shut, so the test can fail.

mod common;

use common::evalgoals::bundled;
use skillchain::detect::detect;

const TABLES: [&str; 3] = [
    "search_clients_daily_v8",
    "moz-fx-data-shared-prod.telemetry_derived.clients_daily_v6",
    "telemetry_derived.clients_daily",
];

#[test]
fn a_named_table_opens_a_gate_that_asks_for_a_table() {
    let mut checked = 0;
    let mut shut = Vec::new();
    let mut open_without = Vec::new();
    for pack in &bundled().packs {
        for skill in &pack.skills {
            let gated = &skill.keywords.requires_any;
            if !gated.iter().any(|w| w == "table") {
                continue;
            }
            for keyword in &skill.keywords.primary {
                // A keyword that is itself a gate word opens the gate alone.
                if gated.iter().any(|g| keyword.contains(g.as_str())) {
                    continue;
                }
                for table in TABLES {
                    let goal = format!("{keyword} for {table}");
                    let Ok(d) = detect(bundled(), &goal) else {
                        continue;
                    };
                    if d.inner.pack != pack.id() {
                        continue;
                    }
                    checked += 1;
                    let score = d.inner.scores.iter().find(|s| s.id == skill.id);
                    if score.is_none_or(|s| s.score == 0) {
                        shut.push(format!("{goal:?}: {} scores 0", skill.id));
                    }
                }
                let goal = format!("{keyword} for the parser");
                if let Ok(d) = detect(bundled(), &goal) {
                    if d.inner.pack == pack.id()
                        && d.inner
                            .scores
                            .iter()
                            .any(|s| s.id == skill.id && s.score > 0)
                    {
                        open_without.push(goal);
                    }
                }
            }
        }
    }
    assert!(checked >= 60, "only {checked} goals landed in their pack");
    assert!(shut.is_empty(), "{}", shut.join("\n"));
    assert!(open_without.is_empty(), "{}", open_without.join("\n"));
}

/// "clients_daily got a new column" says what happened to a table that
/// exists: a narrow fix of its tests asks no requirements interview. "a new
/// table" still asks to create, and pulls the work it builds on.
#[test]
fn new_after_a_verb_of_having_is_no_request_to_create() {
    let asks = [
        "regenerate the fixtures for {t}",
        "fix the test data of {t}",
        "sql unit test fixtures of {t} are stale",
    ];
    let happened = [
        "{u} got a new column",
        "{u} has a new field",
        "the upstream {u} gained a new col",
    ];
    let mut checked = 0;
    let mut contrasts = 0;
    for ask in asks {
        for what in happened {
            for (t, u) in [
                ("sessions_v1", "clients_daily"),
                ("fct_orders", "stg_orders"),
            ] {
                let goal = format!("{}, {}", ask.replace("{t}", t), what.replace("{u}", u));
                let d = detect(bundled(), &goal).expect("matches");
                let chain: Vec<&str> = d.inner.chain.iter().map(|e| e.id.as_str()).collect();
                if d.inner.pack != "bigquery-etl" {
                    continue;
                }
                checked += 1;
                assert!(chain.contains(&"sql-test-generator"), "{goal}: {chain:?}");
                assert!(!chain.contains(&"model-requirements"), "{goal}: {chain:?}");
            }
            let goal = format!(
                "{} for a new table clients_daily_v9",
                ask.replace(" of {t}", "")
                    .replace(" for {t}", "")
                    .replace("{t}", "")
            );
            let d = detect(bundled(), &goal).expect("matches");
            if d.inner.pack == "bigquery-etl" {
                let chain: Vec<&str> = d.inner.chain.iter().map(|e| e.id.as_str()).collect();
                assert!(chain.contains(&"model-requirements"), "{goal}: {chain:?}");
                contrasts += 1;
            }
        }
    }
    assert!(checked >= 12, "only {checked} goals in bigquery-etl");
    assert!(contrasts >= 3, "only {contrasts} contrasts in bigquery-etl");
}
