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
