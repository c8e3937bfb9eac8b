//! More ways a goal rules a part out after naming it (issue 12): "X isn't
//! needed", "X is not needed", "X is off limits", "X is phase 2", "a team
//! or the client runs/monitors X". Each cue is generated over parts of
//! several packs; the part's skill must leave the chain while the rest of
//! the goal is still asked. A contrast that says the part is needed keeps
//! it, so the test fails when a cue simply drops everything.

mod common;

use common::evalgoals::{asked, bundled};
use skillchain::detect::detect;

/// A goal's asked work, a part it can rule out, the part's skill and a
/// skill the rest of the goal asks for.
struct Case {
    base: &'static str,
    part: &'static str,
    skill: &'static str,
    kept: &'static str,
    pack: &'static str,
}

const CASES: &[Case] = &[
    Case {
        base: "orders from postgres into snowflake with dbt staging and marts",
        part: "kafka",
        skill: "streaming-data",
        kept: "transforming-data",
        pack: "data-engineering",
    },
    Case {
        base: "orders from postgres into snowflake with dbt staging and marts",
        part: "query tuning",
        skill: "optimizing-sql",
        kept: "transforming-data",
        pack: "data-engineering",
    },
    Case {
        base: "new derived table telemetry_derived.search_counts_v1 with query, metadata and tests",
        part: "bigeye",
        skill: "bigconfig-generator",
        kept: "sql-test-generator",
        pack: "bigquery-etl",
    },
    Case {
        base: "new dim_supplier as scd2 with a snapshot, build and test it",
        part: "the power bi model",
        skill: "powerbi-modeler",
        kept: "dim-modeler",
        pack: "dbt-workflows",
    },
];

const CUES: &[&str] = &[
    "{part} isn't needed",
    "{part} is not needed",
    "{part} is off limits",
    "{part} is phase 2",
];

fn chain(goal: &str, pack: &str) -> Vec<String> {
    let (got, ids) = asked(goal);
    assert_eq!(got, pack, "{goal}");
    ids
}

#[test]
fn a_part_said_unneeded_off_limits_or_later_leaves_the_chain() {
    let mut wrong = Vec::new();
    for c in CASES {
        for cue in CUES {
            let goal = format!("{}. {}", c.base, cue.replace("{part}", c.part));
            let ids = chain(&goal, c.pack);
            if ids.iter().any(|i| i == c.skill) || !ids.iter().any(|i| i == c.kept) {
                wrong.push(format!("{goal:?}: {ids:?}"));
            }
        }
        let needed = format!("{}. {} is needed too", c.base, c.part);
        let ids = chain(&needed, c.pack);
        assert!(
            ids.iter().any(|i| i == c.skill),
            "{needed:?} keeps {}: {ids:?}",
            c.skill
        );
    }
    assert!(wrong.is_empty(), "still asked:\n{}", wrong.join("\n"));
}

#[test]
fn work_another_party_runs_or_monitors_is_not_asked() {
    let goals = [
        "new derived table telemetry_derived.search_counts_v1 with query, metadata and tests. no bigeye - that team monitors it in Looker",
        "new derived table telemetry_derived.search_counts_v1 with query, metadata and tests. skip bigeye, the client runs Monte Carlo",
        "new derived table telemetry_derived.search_counts_v1 with query, metadata and tests. the platform team monitors it",
    ];
    for g in goals {
        let ids = chain(g, "bigquery-etl");
        assert!(
            !ids.iter().any(|i| i == "bigconfig-generator")
                && ids.iter().any(|i| i == "query-writer"),
            "{g:?}: {ids:?}"
        );
    }
    let ours = "new derived table telemetry_derived.search_counts_v1 with query, metadata, tests and bigeye monitoring";
    let ids = chain(ours, "bigquery-etl");
    assert!(
        ids.iter().any(|i| i == "bigconfig-generator"),
        "{ours:?}: {ids:?}"
    );
}

#[test]
fn work_the_user_does_themselves_after_a_pointer_is_not_asked() {
    for doing in ["rerun", "patch and rerun", "fix and rerun"] {
        for who in ["I'll", "we'll"] {
            let goal = format!(
                "fct_orders failed in last night's prod job: Binder Error, column order_ts not found. diagnose it, {who} {doing} it myself"
            );
            let ids = chain(&goal, "dbt-workflows");
            assert!(
                !ids.iter().any(|i| i == "dbt-runner") && ids.iter().any(|i| i == "dbt-doctor"),
                "{goal:?}: {ids:?}"
            );
        }
    }
    let goal = "fct_orders failed in last night's prod job: Binder Error, column order_ts not found. diagnose it and rerun it";
    let ids = chain(goal, "dbt-workflows");
    assert!(ids.iter().any(|i| i == "dbt-runner"), "{goal:?}: {ids:?}");
}

#[test]
fn arch_is_read_as_architecture_and_its_negation_withholds_the_review_blueprint() {
    let d = detect(
        bundled(),
        "arch review of our dbt project layers and naming",
    )
    .expect("matches");
    assert_eq!(d.inner.offer.as_deref(), Some("architecture-review"));
    let d = detect(
        bundled(),
        "review my PR w/ stg_zendesk__tickets before merge, style + sqlfluff, not an arch review",
    )
    .expect("matches");
    assert_eq!(d.inner.offer, None);
}

#[test]
fn keeping_secrets_out_of_a_place_asks_for_secret_handling() {
    let mut wrong = Vec::new();
    for what in ["creds", "secrets", "credentials", "passwords"] {
        for place in ["in git", "in the repo", "in plaintext", "in code"] {
            let goal = format!(
                "kafka to snowflake pipeline with dbt marts and vault for the secrets, no {what} {place}"
            );
            let ids = chain(&goal, "data-engineering");
            if !ids.iter().any(|i| i == "secret-management") {
                wrong.push(format!("{goal:?}: {ids:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "secrets ruled out:\n{}", wrong.join("\n"));
    let goal = "kafka to snowflake pipeline with dbt marts, no secrets management";
    let ids = chain(goal, "data-engineering");
    assert!(
        !ids.iter().any(|i| i == "secret-management"),
        "{goal:?}: {ids:?}"
    );
}

#[test]
fn creds_are_credentials_in_both_packs_that_keep_them() {
    let (_, ids) = asked(
        "nightly prefect flow for the orders refresh: retries, validation and creds in vault",
    );
    assert!(ids.iter().any(|i| i == "security"), "{ids:?}");
    let (_, ids) = asked(
        "nightly prefect flow for the orders refresh with retries and validation. creds come from 1Password, already sorted so skip that bit",
    );
    assert!(!ids.iter().any(|i| i == "security"), "{ids:?}");
}
