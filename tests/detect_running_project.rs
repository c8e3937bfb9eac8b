//! A goal that works on a running project asks that work and not the
//! storage the project already has (issue 12, must-not skills):
//! - a system named as the owner of a credential ("the kafka SASL creds",
//!   "the warehouse service account key", "postgres + snowflake passwords")
//!   says whose secret moves, not that the system itself is built or
//!   changed: a goal that only moves or rotates credentials asks for the
//!   secrets work and nothing of the systems it names;
//! - a goal that adds only operations work (metrics, alerts, load tests,
//!   autoscaling) to a pipeline that runs asks that work alone, while the
//!   same work on a pipeline it builds asks the pipeline's storage too.

mod common;

use common::evalgoals::{asked, cross, sweep};

/// Systems whose credentials a team moves, as people write them.
const OWNERS: &[&str] = &[
    "warehouse",
    "snowflake",
    "postgres",
    "redshift",
    "kafka",
    "kinesis",
    "databricks",
    "dbt",
    "airflow",
    "clickhouse",
];

/// What is moved, as people write it.
const SECRETS: &[&str] = &[
    "password",
    "passwords",
    "pw",
    "creds",
    "credentials",
    "service account key",
    "key-pair",
    "API token",
    "connection string",
    "SASL creds",
    "access keys",
    "secrets",
];

/// The ask, with {S} for "owner secret" (or two owners joined).
const ASKS: &[&str] = &[
    "move the {S} out of .env files into HashiCorp Vault",
    "rotate the {S} every 30 days via AWS Secrets Manager",
    "get the {S} out of the repo and into Azure Key Vault, jobs read them at runtime",
    "the {S} are hardcoded in the loader scripts. put them in Vault with 90d rotation",
    "{S} into GCP Secret Manager w/ auto rotation pls",
];

/// The skills a credentials-only goal may ask: the secrets work and, in
/// data-orchestration, the requirements every goal of that pack starts from.
fn allowed(pack: &str) -> &'static [&'static str] {
    match pack {
        "data-engineering" => &["secret-management"],
        "data-orchestration" => &["requirements", "security"],
        _ => &[],
    }
}

fn secrets_skill(pack: &str) -> &'static str {
    match pack {
        "data-orchestration" => "security",
        _ => "secret-management",
    }
}

/// `None` when the goal asks the secrets work and nothing else; otherwise
/// what it did.
fn miss(goal: &str) -> Option<String> {
    let Some(d) = skillchain::detect::detect(common::evalgoals::bundled(), goal).ok() else {
        return Some(format!("{goal:?} -> no pack"));
    };
    let pack = d.inner.pack.as_str();
    let ids: Vec<&str> = d.inner.chain.iter().map(|e| e.id.as_str()).collect();
    let ok = allowed(pack).contains(&secrets_skill(pack))
        && ids.contains(&secrets_skill(pack))
        && ids.iter().all(|id| allowed(pack).contains(id));
    (!ok).then(|| format!("{goal:?} -> {pack} {ids:?}"))
}

fn goals() -> Vec<String> {
    let mut out = Vec::new();
    for (i, ask) in ASKS.iter().enumerate() {
        for (j, secret) in SECRETS.iter().enumerate() {
            for (k, owner) in OWNERS.iter().enumerate() {
                // Every owner with every secret and every ask would be 600
                // goals of the same shape; a covering pass keeps each pair.
                if (i + j + k) % 2 == 0 {
                    out.push(ask.replace("{S}", &format!("{owner} {secret}")));
                }
            }
            // Two owners sharing one secret noun.
            let a = OWNERS[j % OWNERS.len()];
            let b = OWNERS[(j + i + 3) % OWNERS.len()];
            if a != b {
                for join in [" + ", " and ", "/"] {
                    out.push(ask.replace("{S}", &format!("{a}{join}{b} {secret}")));
                }
            }
        }
    }
    out
}

#[test]
fn a_credential_move_asks_the_secrets_work_and_none_of_the_systems_it_names() {
    let all = goals();
    assert!(all.len() > 400, "{} goals", all.len());
    let misses: Vec<String> = all.iter().filter_map(|g| miss(g)).collect();
    assert!(
        misses.is_empty(),
        "{} of {} goals asked more than the secrets work:\n{}",
        misses.len(),
        all.len(),
        misses.join("\n")
    );
}

/// The same systems as the work itself are still asked: the owner reading
/// applies only to the words that name a credential's owner.
#[test]
fn the_systems_as_the_work_itself_are_still_asked() {
    for (goal, pack, wanted) in [
        (
            "kafka -> snowflake streaming pipeline, with the kafka SASL creds in Vault",
            "data-engineering",
            &["streaming-data", "secret-management"][..],
        ),
        (
            "design the snowflake warehouse schema for orders and keep the snowflake password in AWS Secrets Manager",
            "data-engineering",
            &["architecting-data", "secret-management"][..],
        ),
        (
            "dbt staging and mart models for payments on snowflake, creds in vault",
            "data-engineering",
            &["transforming-data", "secret-management"][..],
        ),
    ] {
        common::evalgoals::check_asked(goal, pack, wanted, &[]);
    }
    // The owner words still place the goal: a credentials goal is data work.
    let (pack, _) = asked("rotate the kafka SASL creds every 30 days via AWS Secrets Manager");
    assert_eq!(pack, "data-engineering");
}

/// Pipelines that run, as their teams name them (no system that is a skill
/// of its own: those are asked when named).
const RUNNING: &[&str] = &[
    "the nightly ETL",
    "our ingest jobs",
    "the orders pipeline",
    "the loaders we run in prod",
    "the clickstream pipeline",
    "our batch jobs on EKS",
    "the payments pipeline that went live in March",
];

/// Operations work added to a pipeline, with {P} for the pipeline. (Alerts
/// and freshness monitoring alone are the orchestration pack's error
/// handling, a pack without a storage skill.)
const OPS: &[&str] = &[
    "add prometheus metrics and a grafana board for {P}",
    "load test {P} at 5x black friday volume and tell me where it breaks",
    "add p95/p99 latency dashboards + alert rules for {P}",
    "improve throughput of {P}, it needs to handle 3x the rows",
];

/// Each goal asks the operations work and not the storage it runs on.
fn asks_the_operations_work_only(goals: &[String]) {
    sweep(
        goals,
        "data-engineering",
        &["performance-engineering"],
        &["architecting-data"],
    );
}

#[test]
fn operations_work_on_a_running_pipeline_does_not_ask_its_storage() {
    let goals = cross(OPS, RUNNING, |ask, pipeline| ask.replace("{P}", pipeline));
    asks_the_operations_work_only(&goals);
}

/// Operations work on a pipeline the goal does not call running, said to
/// change nothing else ("no new infra", "nothing else about the pipeline
/// changes"): what it works on exists. "no new infra" makes nothing new.
#[test]
fn operations_work_that_changes_nothing_else_does_not_ask_its_storage() {
    let asks = [
        "add prometheus metrics and a grafana board for the ingest path",
        "load test the ingest path at 3x peak and show where it falls over, lag + throughput dashboards",
        "p95 latency dashboards and alert rules for the event consumers",
    ];
    let cues = [
        ". no new infra",
        ", nothing else about the pipeline changes",
        "; no new servers, no creds work",
        ". the rest of the pipeline is fine",
    ];
    let goals = cross(&asks, &cues, |ask, cue| format!("{ask}{cue}"));
    asks_the_operations_work_only(&goals);
}

#[test]
fn operations_work_on_a_pipeline_it_builds_asks_its_storage() {
    for goal in [
        "build a new orders pipeline with prometheus metrics and pagerduty alerts",
        "design a clickstream pipeline from scratch, with grafana dashboards and load tests",
        "create the payments ETL, monitored with a 30 min freshness SLA",
    ] {
        let (pack, ids) = asked(goal);
        assert_eq!(pack, "data-engineering", "{goal}");
        assert!(
            ids.contains(&"architecting-data".to_string()),
            "{goal}: {ids:?}"
        );
    }
}

/// A secret store between a system and the secret ("spark and vault
/// secrets") owns the secret: the system before it is still work the goal
/// builds.
#[test]
fn a_secret_store_after_a_system_leaves_the_system_asked() {
    let systems = [
        ("spark", "transforming-data"),
        ("kafka", "streaming-data"),
        ("dbt", "transforming-data"),
        ("flink", "streaming-data"),
    ];
    let stores = ["vault", "kms", "sops", "doppler", "infisical", "keyvault"];
    let shapes = [
        "data lake on s3 with {sys} and {store} secrets",
        "build a lakehouse pipeline: {sys} + {store} creds",
        "new pipeline into snowflake using {sys}, and {store} for the passwords",
    ];
    let mut misses = Vec::new();
    for (i, shape) in shapes.iter().enumerate() {
        for (j, (sys, skill)) in systems.iter().enumerate() {
            for (k, store) in stores.iter().enumerate() {
                if (i + j + k) % 2 == 1 {
                    continue;
                }
                let goal = shape.replace("{sys}", sys).replace("{store}", store);
                let (pack, ids) = common::evalgoals::asked(&goal);
                let ok = pack == "data-engineering"
                    && ids.iter().any(|id| id == skill)
                    && ids.iter().any(|id| id == "secret-management");
                if !ok {
                    misses.push(format!("{goal:?} -> {pack} {ids:?}"));
                }
            }
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}
