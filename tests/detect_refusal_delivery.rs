//! Goals of other software work that share a word with the packs: shipping
//! a web app ("deploy to staging", "Next.js on Vercel") and sales work on a
//! CRM ("my Q4 sales pipeline: leads in HubSpot"). Every phrasing × host ×
//! app is refused; the same words around data work still match.

use skillchain::detect::detect;
use skillchain::pack::Registry;

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

fn refused(goals: &[String]) {
    let matched: Vec<String> = goals
        .iter()
        .filter_map(|g| {
            detect(bundled(), g)
                .ok()
                .map(|d| format!("{g}: {}", d.inner.pack))
        })
        .collect();
    assert!(
        matched.is_empty(),
        "{} of {} matched:\n{}",
        matched.len(),
        goals.len(),
        matched.join("\n")
    );
}

fn matched(goals: &[(&str, &str)]) {
    let wrong: Vec<String> = goals
        .iter()
        .filter_map(|(g, pack)| match detect(bundled(), g) {
            Ok(d) if d.inner.pack == *pack => None,
            Ok(d) => Some(format!("{g}: got {}", d.inner.pack)),
            Err(e) => Some(format!("{g}: refused ({e:?})")),
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn shipping_a_web_app_is_refused() {
    let mut goals = Vec::new();
    for env in ["staging", "prod", "production"] {
        for verb in ["deploy to", "deploy it to", "ship to", "release to"] {
            goals.push(format!("{verb} {env}"));
        }
    }
    for host in ["Vercel", "netlify", "Heroku"] {
        for app in [
            "the Next.js app",
            "our react site",
            "the marketing site",
            "the api",
        ] {
            for form in [
                "deploy {app} to {host} w/ preview envs per PR",
                "set up {host} preview deployments for {app}",
                "{app} on {host}: add a staging environment",
            ] {
                goals.push(form.replace("{app}", app).replace("{host}", host));
            }
        }
    }
    refused(&goals);
}

#[test]
fn deploying_data_work_still_matches() {
    matched(&[
        ("deploy the prefect flow to staging", "data-orchestration"),
        (
            "deploy the airflow dags to production",
            "data-orchestration",
        ),
        (
            "deploy the dagster assets for the nightly load",
            "data-orchestration",
        ),
    ]);
}

#[test]
fn sales_work_on_a_crm_is_refused() {
    let mut goals = Vec::new();
    for crm in ["HubSpot", "salesforce", "pipedrive"] {
        for (pipeline, leads) in [
            ("my Q4 sales pipeline", "30 leads"),
            ("the deal pipeline", "the new prospects"),
            ("our sales funnel", "inbound leads"),
        ] {
            for form in [
                "review {p}: {l} in {c}, which to prioritise, draft the follow-up emails",
                "clean up {p} in {c} and rank {l} for outreach",
                "{l} in {c} are going cold, help me work {p} this week",
            ] {
                goals.push(
                    form.replace("{p}", pipeline)
                        .replace("{l}", leads)
                        .replace("{c}", crm),
                );
            }
        }
    }
    refused(&goals);
}

#[test]
fn loading_crm_data_and_sales_data_pipelines_still_match() {
    // Which data pack loads CRM data is the packs' choice; it is data work.
    for goal in [
        "load hubspot leads and deals into snowflake every night",
        "sync salesforce leads to the warehouse with dlt",
        // A sales pipeline alone may be a data pipeline of sales data.
        "the sales pipeline dag failed last night, rerun it with retries",
    ] {
        assert!(detect(bundled(), goal).is_ok(), "{goal}");
    }
    matched(&[(
        "orchestrate a daily refresh of the sales dashboard from postgres",
        "data-orchestration",
    )]);
}

#[test]
fn a_possessive_names_its_word() {
    // "bakery's" is a bakery: personal work whatever tool it names.
    for goal in [
        "Make an Instagram promo graphic in Adobe Spark for our bakery's weekend sale.",
        "my bakery’s recipe cards in spark",
    ] {
        assert!(detect(bundled(), goal).is_err(), "{goal}");
    }
    // A data goal with a possessive still matches.
    assert!(detect(
        bundled(),
        "fix the finance team's dbt build, fct_orders fails on a null key"
    )
    .is_ok());
}

#[test]
fn sales_work_with_deals_and_reps_is_refused() {
    let mut goals = Vec::new();
    for crm in ["hubspot", "Salesforce"] {
        for form in [
            "our sales pipeline in {c} has too many stale deals, draft an email to reps asking them to clean up their stages",
            "the deal pipeline in {c}: which reps are behind on quota",
        ] {
            goals.push(form.replace("{c}", crm));
        }
    }
    refused(&goals);
}
