//! A blueprint is a whole journey: a goal that rules out one of its parts
//! asks for a custom chain, so the blueprint is not offered (and the reason
//! is in `parts_ruled_out`), unless the goal says it wants the whole thing
//! ("end to end", "everything", "the whole ...").

use skillchain::detect::detect;
use skillchain::pack::Registry;

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

/// (blueprint, a goal asking for all of it, [(skill, how people name that part)]).
type Parts = &'static [(&'static str, &'static str)];
const CASES: &[(&str, &str, Parts)] = &[
    (
        "new-fact-table",
        "new fact table for subscription payments: grain one row per invoice line, foreign keys to dim_customer and dim_plan, incremental build with tests",
        &[("code-reviewer", "code review")],
    ),
    (
        "new-dimension",
        "new dimension dim_store with scd type 2 history on region and manager, stage it, build and test it",
        &[("code-reviewer", "code review"), ("code-reviewer", "review")],
    ),
    (
        "debug-failure",
        "the nightly job failed on stg_orders: locate the failure, diagnose it, fix the model and verify the run",
        &[("dbt-runner", "rerun"), ("dbt-runner", "re-run")],
    ),
    (
        "orchestrated-pipeline",
        "scheduled pipeline that keeps the churn data product fresh: ingest the crm api into bronze, silver and gold, validation, retries, runbook",
        &[("security", "security work"), ("security", "vault")],
    ),
    (
        "data-pipeline",
        "data pipeline from postgres into snowflake: raw landing tables, dbt staging and marts with tests, airflow, tuned queries and secrets in vault",
        &[("performance-engineering", "monitoring")],
    ),
];

const FORMS: &[&str] = &[
    "skip the {}",
    "no {}",
    "without the {}",
    "{} not needed",
    "leave out the {}",
    "I'll do the {} myself",
    "the {} can wait",
];

/// The blueprint detection offers for `goal`, and the skills it says the
/// goal ruled out of `blueprint`.
fn offer(goal: &str, blueprint: &str) -> (Option<String>, Vec<String>) {
    let d = detect(bundled(), goal).unwrap_or_else(|e| panic!("{goal}: no pack ({e:?})"));
    let ruled = d
        .inner
        .blueprints
        .iter()
        .find(|b| b.id == blueprint)
        .map(|b| b.parts_ruled_out.clone())
        .unwrap_or_default();
    (d.inner.offer.clone(), ruled)
}

#[test]
fn every_base_goal_is_offered_its_blueprint() {
    for (blueprint, base, _) in CASES {
        assert_eq!(
            offer(base, blueprint).0.as_deref(),
            Some(*blueprint),
            "{base}"
        );
    }
}

#[test]
fn a_goal_that_rules_out_a_part_is_not_offered_the_blueprint() {
    let mut failures = Vec::new();
    let mut n = 0;
    for (blueprint, base, parts) in CASES {
        for (skill, named) in *parts {
            for form in FORMS {
                let cue = form.replace("{}", named);
                for goal in [format!("{base}; {cue}"), format!("{cue}. {base}")] {
                    n += 1;
                    let (offered, ruled) = offer(&goal, blueprint);
                    if offered.is_some() || ruled != vec![skill.to_string()] {
                        failures.push(format!("{goal}: offered {offered:?}, ruled out {ruled:?}"));
                    }
                }
            }
        }
    }
    assert_eq!(n, 2 * FORMS.len() * 8);
    assert!(
        failures.is_empty(),
        "{} of {n}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_goal_that_says_it_wants_the_whole_keeps_the_blueprint() {
    let mut failures = Vec::new();
    for (blueprint, base, parts) in CASES {
        for (_, named) in *parts {
            for whole in ["end to end", "end-to-end", "the whole thing", "everything"] {
                let goal = format!("{whole}: {base}, but skip the {named}");
                let (offered, _) = offer(&goal, blueprint);
                if offered.as_deref() != Some(*blueprint) {
                    failures.push(format!("{goal}: offered {offered:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Work said to exist is a part the goal does not ask for, like work
/// ruled out; a tool said to exist is a choice made, and the journey can
/// still be built on it.
#[test]
fn work_said_to_exist_withholds_the_blueprint_a_tool_does_not() {
    let base = "scheduled pipeline that keeps the churn data product fresh: ingest the crm api into bronze, silver and gold, validation, retries, runbook";
    let mut n = 0;
    for exists in [
        "the ingestion already runs, keep it as it is",
        "extraction stays as is",
        "the ingestion is done",
    ] {
        let goal = format!("{base}. {exists}");
        let (offered, ruled) = offer(&goal, "orchestrated-pipeline");
        assert_eq!(offered, None, "{goal}");
        assert_eq!(ruled, vec!["ingestion".to_string()], "{goal}");
        n += 1;
    }
    for tool in [
        "our existing airflow",
        "the airflow we already run",
        "our existing prefect",
    ] {
        let goal = format!("{tool} should orchestrate it: {base}");
        let (offered, _) = offer(&goal, "orchestrated-pipeline");
        assert_eq!(offered.as_deref(), Some("orchestrated-pipeline"), "{goal}");
        n += 1;
    }
    assert_eq!(n, 6);
}

/// "handled", "sorted", "covered" say a part exists only after a copula:
/// in a list of asks ("..., secrets handled, runbook") they are the ask.
#[test]
fn a_state_word_in_a_list_of_asks_is_an_ask_not_a_thing_that_exists() {
    let base = "scheduled pipeline that keeps the churn data product fresh: ingest the crm api into bronze, silver and gold, validation, retries";
    for word in ["handled", "sorted", "covered"] {
        let ask = format!("{base}, secrets {word}, runbook");
        let d = detect(bundled(), &ask).expect("detects");
        assert!(
            d.inner.scopes.iter().all(|s| s.kind != "exists"),
            "{ask}: {:?}",
            d.inner.scopes
        );
        for said in [
            format!("secrets are {word}"),
            format!("secrets are already {word}"),
        ] {
            let goal = format!("{base}; {said}");
            let d = detect(bundled(), &goal).expect("detects");
            assert!(
                d.inner
                    .scopes
                    .iter()
                    .any(|s| s.kind == "exists" && s.skills.contains(&"security".to_string())),
                "{goal}: {:?}",
                d.inner.scopes
            );
        }
    }
}
