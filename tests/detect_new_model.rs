//! A new dimension or fact in dbt-workflows is designed, modelled and
//! built: its architecture, its star and the dbt models that run it,
//! however the goal asks for it (by name, by the process it records, with
//! its grain and keys, with a later step ruled out). A model that exists
//! and only needs other work (tests, a Power BI relationship, a grain
//! question) is not made again.
//! The goals are written from the dbt seed's language (entities, business
//! processes, grain, SCD types, foreign keys), not from the pack's keywords.

mod common;
use common::evalgoals::{asks_of, cross, sweep};
use skillchain::detect::Reason;

const BUILD: [&str; 3] = ["data-modeler", "dim-modeler", "dbt-runner"];

/// Ways to ask for a model that does not exist yet, `{t}` standing for it.
const ASKS: [&str; 9] = [
    "new {t}",
    "create {t}",
    "build {t}",
    "need {t}",
    "we need {t} in the dbt project",
    "add {t} to our dbt project",
    "can you make {t}",
    "pls set up {t}",
    "I'd like {t}",
];

/// Models, by name or by what they record.
const MODELS: [&str; 8] = [
    "dim_supplier",
    "fct_refunds",
    "a dimension for warehouses",
    "a fact for shipments",
    "a dimension of sales territories",
    "fct_subscription_events",
    "a fact table of trip cancellations",
    "dim_campaign",
];

/// What a writer adds after the ask.
const TAILS: [&str; 6] = [
    "",
    ", one row per event, keys to dim_date and dim_customer",
    ", type 2 history on the address",
    ", incremental on updated_at",
    ", skip the power bi part",
    ". review comes later, not now",
];

fn goals() -> Vec<String> {
    // Every goal says where it lives: a model's name or dbt.
    let place = |g: String| {
        let g = g.replace("new a ", "a new ");
        if ["dbt", "dim_", "fct_"].iter().any(|w| g.contains(w)) {
            g
        } else {
            format!("{g} in dbt")
        }
    };
    asks_of(&ASKS, &MODELS, place, &TAILS)
}

/// Known limit, held so it cannot grow: "a dimension for warehouses in
/// dbt" (the buildings) reads "warehouses" as data-engineering's product
/// word; the goal is flagged ambiguous with dbt-workflows as the runner-up,
/// so the user picks (8 asks × 3 tails).
const WAREHOUSE_ELSEWHERE_AT_MOST: usize = 24;

#[test]
fn a_new_dimension_or_fact_asks_its_design_star_and_build() {
    let goals = goals();
    assert_eq!(goals.len(), 9 * 8 * 6);
    let (here, elsewhere): (Vec<String>, Vec<String>) = goals
        .into_iter()
        .partition(|g| common::evalgoals::try_asked(g).is_some_and(|(p, _)| p == "dbt-workflows"));
    for g in &elsewhere {
        let d = skillchain::detect::detect(common::evalgoals::bundled(), g)
            .unwrap_or_else(|e| panic!("{g:?} matched nothing: {e}"));
        assert!(
            g.contains("warehouses")
                && d.inner.ambiguous
                && d.inner.runner_ups.iter().any(|r| r.id == "dbt-workflows"),
            "{g:?} -> {} without dbt-workflows as its flagged runner-up",
            d.inner.pack
        );
    }
    assert!(
        elsewhere.len() <= WAREHOUSE_ELSEWHERE_AT_MOST,
        "{} goals land elsewhere:\n{}",
        elsewhere.len(),
        elsewhere.join("\n")
    );
    sweep(&here, "dbt-workflows", &BUILD, &[]);
}

#[test]
fn a_new_model_with_power_bi_ruled_out_asks_no_semantic_model() {
    let goals: Vec<String> = goals()
        .into_iter()
        .filter(|g| g.contains("power bi") && !g.contains("warehouses"))
        .collect();
    assert_eq!(goals.len(), 9 * 7);
    sweep(&goals, "dbt-workflows", &BUILD, &["powerbi-modeler"]);
}

/// Controls: a model that exists gets other work, and is not made anew.
#[test]
fn other_work_on_a_model_that_exists_makes_no_model() {
    let models = ["dim_store", "fct_orders", "dim_product"];
    let asks = [
        "add not_null and unique tests to {t}, the model itself is fine",
        "Power BI: relate the new {t} on its surrogate key and add a DAX measure. dbt models are already deployed, no need to rebuild them",
        "the semantic model needs the new {t} relationship and a total sales DAX measure. marts are already built",
    ];
    let goals = cross(&asks, &models, |a, m| a.replace("{t}", m));
    for g in &goals {
        let d = skillchain::detect::detect(common::evalgoals::bundled(), g)
            .unwrap_or_else(|e| panic!("{g:?} matched nothing: {e}"));
        assert_eq!(d.inner.pack, "dbt-workflows", "{g:?}");
        let made: Vec<&str> = d
            .inner
            .chain
            .iter()
            .filter(|e| e.reasons.iter().any(|r| matches!(r, Reason::Makes { .. })))
            .map(|e| e.id.as_str())
            .collect();
        assert!(
            made.is_empty(),
            "{g:?}: a model that exists is made again: {made:?}"
        );
    }
}

/// "the grain per fact": a fact a preposition takes is what the design is
/// about, and its words still ask the star's design.
#[test]
fn a_fact_after_a_preposition_is_no_known_thing() {
    let goals: Vec<String> = [
        "which dims are conformed across fct_a, fct_b and fct_c? want the matrix + grain per fact. design only, no models",
        "bus matrix for the retail marts with the grain per fact. design only, nobody builds anything yet",
    ]
    .iter()
    .map(|g| g.to_string())
    .collect();
    sweep(&goals, "dbt-workflows", &["dim-modeler"], &["dbt-runner"]);
}
