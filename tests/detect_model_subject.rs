//! The model a goal makes, named by its prefix (`new fct_shipments ...`,
//! `dim_supplier with type 2 history ...`, `add dim_customer with scd2`),
//! asks for the blueprint of its kind; a modelled table the goal reads from
//! (`measures from fct_sales`), changes, or that fails is not one it makes.

use skillchain::detect::detect;
use skillchain::pack::Registry;

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

const ENTITIES: &[&str] = &["orders", "shipments", "page_views", "subscriptions"];

fn offer(goal: &str) -> Option<String> {
    let d = detect(bundled(), goal).expect("matches");
    assert_eq!(d.inner.pack, "dbt-workflows", "{goal}");
    d.inner.offer.clone()
}

#[test]
fn a_model_the_goal_makes_asks_for_its_blueprint() {
    for e in ENTITIES {
        for (g, want) in [
            (
                "new fct_{e} at one row per event, keys to dim_customer and dim_date, incremental",
                "new-fact-table",
            ),
            ("add dim_{e} with scd2 on status and owner", "new-dimension"),
            (
                "dim_{e} with type 2 history on status, source is stg_crm__{e}",
                "new-dimension",
            ),
        ] {
            let goal = g.replace("{e}", e);
            assert_eq!(offer(&goal).as_deref(), Some(want), "{goal}");
        }
    }
}

#[test]
fn a_model_read_changed_or_failing_asks_for_no_build() {
    for e in ENTITIES {
        for g in [
            "power bi measures from fct_{e} and a relationship to dim_store",
            "rename two columns in fct_{e}, incremental",
            "fct_{e} keeps failing in prod since yesterday",
        ] {
            let goal = g.replace("{e}", e);
            let got = offer(&goal);
            assert!(
                !matches!(got.as_deref(), Some("new-fact-table" | "new-dimension")),
                "{goal}: {got:?}"
            );
        }
    }
}
