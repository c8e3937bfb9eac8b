//! The many ways a goal takes a part of the work out of the ask (issue 12):
//! put off ("bigeye got pushed to Q3", "power bi gets its own ticket"),
//! left as it is ("the query is frozen", "must not be rewritten", "leave
//! those be"), someone else's ("the cluster is run by infra"), outside this
//! ask ("isn't in this ticket", "not my concern"), working ("runs fine
//! today") or waved away ahead ("ignore tuning", "hands off the secrets").
//!
//! Every cue is said of every part over asks of four packs, after a full
//! stop and after a comma. Each ask is checked first without the cue
//! ("… too."), so the test fails when the part would not have been in the
//! chain anyway. Contrasts keep the same words where they ask for work
//! ("make sure the loader runs fine", "events pushed to bigquery", "don't
//! ignore the tests", "deferred revenue").

mod common;

use common::evalgoals::asked;

/// An ask, a part named in the cue, and the skill that part asks for.
const PARTS: &[(&str, &str, &str)] = &[
    (
        "build the kafka to snowflake pipeline for orders with dbt models",
        "the monitoring",
        "performance-engineering",
    ),
    (
        "build the kafka to snowflake pipeline for orders with dbt models",
        "secrets",
        "secret-management",
    ),
    (
        "nightly airflow dag loading shopify into snowflake bronze/silver/gold with retries",
        "the quality checks",
        "validation",
    ),
    (
        "nightly airflow dag into snowflake bronze/silver/gold with dq checks and retries",
        "the shopify extraction",
        "ingestion",
    ),
    (
        "new bigquery table telemetry_derived.clients_daily_v1 with query, metadata and unit tests",
        "bigeye",
        "bigconfig-generator",
    ),
    (
        "new bigquery table telemetry_derived.clients_daily_v1 with query, metadata and bigeye monitors",
        "the unit tests",
        "sql-test-generator",
    ),
    (
        "add dim_customer as scd2 in dbt with tests",
        "the power bi semantic model",
        "powerbi-modeler",
    ),
];

/// Said after the part: what stands before is out of the ask.
const AFTER: &[&str] = &[
    "got pushed to Q3",
    "was moved to next quarter",
    "is punted until the next sprint",
    "gets its own ticket",
    "needs a separate PR",
    "is parked for now",
    "has been postponed",
    "is shelved",
    "is on hold",
    "is on the back burner",
    "is for another day",
    "can wait till v2",
    "comes after go-live",
    "we'll bolt on later",
    "not now",
    "is frozen",
    "stays locked",
    "was signed off last week",
    "must not be rewritten",
    "shouldn't be touched",
    "can't change",
    "is run by infra",
    "is managed by the platform team",
    "sits with analytics",
    "isn't in this ticket",
    "is not part of this ask",
    "is not my concern",
    "runs fine today",
    "works perfectly",
];

/// Said before the part: what follows is out of the ask.
const BEFORE: &[&str] = &[
    "ignore",
    "forget about",
    "don't bother with",
    "hands off",
    "keep your hands off",
    "set aside",
];

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The goal and its chain when the chain still asks `skill`.
fn still_asks(goal: &str, skill: &str) -> Option<String> {
    let (_, ids) = asked(goal);
    ids.iter()
        .any(|id| id == skill)
        .then(|| format!("{goal:?} still asks {skill}: {ids:?}"))
}

fn assert_none_still_asks(tried: usize, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} of {tried} goals:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_part_put_off_kept_or_given_away_leaves_the_chain() {
    let mut failures = Vec::new();
    let mut tried = 0;
    for (ask, part, skill) in PARTS {
        let control = format!("{ask}. {} too.", capital(part));
        let (_, ids) = asked(&control);
        assert!(
            ids.iter().any(|id| id == skill),
            "without a cue {control:?} must ask {skill}: {ids:?}"
        );
        let said = AFTER
            .iter()
            .map(|cue| format!("{part} {cue}"))
            .chain(BEFORE.iter().map(|cue| format!("{cue} {part}")));
        for clause in said {
            for goal in [
                format!("{ask}. {}.", capital(&clause)),
                format!("{ask}, {clause}"),
            ] {
                tried += 1;
                failures.extend(still_asks(&goal, skill));
            }
        }
    }
    assert_none_still_asks(tried, &failures);
}

/// The same words where they ask for the work, or name it as a thing.
#[test]
fn the_same_words_asking_for_the_work_keep_it() {
    let cases: &[(&str, &str)] = &[
        (
            "build the kafka to snowflake pipeline for orders with dbt models, make sure the monitoring runs fine after cutover",
            "performance-engineering",
        ),
        (
            "stream order events from kafka pushed to bigquery every minute, with dbt models on top",
            "streaming-data",
        ),
        (
            "new bigquery table telemetry_derived.clients_daily_v1 with query and metadata, don't ignore the unit tests",
            "sql-test-generator",
        ),
        (
            "add fct_deferred_revenue in dbt with a deferred revenue measure per contract",
            "dim-modeler",
        ),
        (
            "nightly airflow dag into snowflake bronze/silver/gold, check that the quality checks run fine on every layer",
            "validation",
        ),
    ];
    let mut failures = Vec::new();
    for (goal, skill) in cases {
        let (_, ids) = asked(goal);
        if !ids.iter().any(|id| id == skill) {
            failures.push(format!("{goal:?} lost {skill}: {ids:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A source said to land already is a state: the extract exists, and the
/// layers asked on top of it keep their transforms.
#[test]
fn a_source_that_already_lands_is_not_extracted_again() {
    let sources = [
        "Salesforce opportunities",
        "hubspot contacts",
        "shopify orders",
        "stripe charges",
    ];
    let states = [
        "already land in s3",
        "land in bronze every hour",
        "are already loaded into raw by fivetran",
        "get synced nightly by airbyte",
        "arrive in gcs every morning",
    ];
    let mut failures = Vec::new();
    for source in sources {
        for state in states {
            let goal =
                format!("{source} {state}. need silver and gold layers with dq checks on top");
            let (pack, ids) = asked(&goal);
            let has = |s: &str| ids.iter().any(|id| id == s);
            if pack != "data-orchestration" || has("ingestion") || !has("layered-transforms") {
                failures.push(format!("{goal:?} -> {pack} {ids:?}"));
            }
        }
    }
    // A landing that is a trigger or the ask keeps the extract.
    for goal in [
        "event-driven load: when shopify orders land in s3, step functions loads them into gold",
        "make sure the hubspot contacts land in bronze every hour, then silver and gold with dq checks",
        "stripe charges should land in bronze every hour; silver and gold with dq checks",
    ] {
        let (pack, ids) = asked(goal);
        if !ids.iter().any(|id| id == "requirements") {
            failures.push(format!("{goal:?} lost ingestion: {pack} {ids:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// "no other part of the stack moves", "leave everything else alone": the
/// rest of the work is settled, so only what the ask names stays. Each ask
/// is checked without the cue first, so the test fails when the rest would
/// have been left out anyway.
#[test]
fn the_rest_said_to_stay_as_it_is_leaves_the_chain() {
    let asks: &[(&str, &str, &[&str])] = &[
        (
            // The consumer is named as what reads the secret, not only as
            // its owner ("the kafka SASL creds" alone asks no streaming).
            "the kafka consumer reads its SASL creds from .env: move them into AWS Secrets Manager",
            "secret-management",
            &["streaming-data"],
        ),
        (
            "add null and unique checks with quarantine to gold.orders in the airflow dag",
            "validation",
            &["ingestion", "layered-transforms", "requirements"],
        ),
    ];
    let cues = [
        "no other part of the stack moves",
        "no other component changes",
        "the rest stays untouched",
        "leave everything else alone",
        "leave the rest as is",
        "all other parts stay as they are",
        "every other layer is untouched",
    ];
    let mut failures = Vec::new();
    for (ask, kept, rest) in asks {
        let (_, ids) = asked(ask);
        assert!(
            rest.iter().any(|r| ids.iter().any(|id| id == r)),
            "without a cue {ask:?} must ask some of {rest:?}: {ids:?}"
        );
        for cue in cues {
            let goal = format!("{ask}. {cue}");
            let (_, ids) = asked(&goal);
            let left: Vec<&&str> = rest
                .iter()
                .filter(|r| ids.iter().any(|id| id == **r))
                .collect();
            if !ids.iter().any(|id| id == kept) || !left.is_empty() {
                failures.push(format!("{goal:?} -> {ids:?}"));
            }
        }
    }
    // "no other team needs it" says who reads the data, not what is settled.
    let (_, ids) = asked("add null and unique checks with quarantine to gold.orders in the airflow dag, no other team needs to change anything");
    if !ids.iter().any(|id| id == "requirements") {
        failures.push(format!("another team settled the rest: {ids:?}"));
    }
    // "the rest of the team is away" says nothing of the work.
    let (_, ids) = asked("add null and unique checks with quarantine to gold.orders in the airflow dag, the rest of the team is away");
    if !ids.iter().any(|id| id == "requirements") {
        failures.push(format!("the team's absence settled the rest: {ids:?}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// "…, no need to redo them": the pointer names the clause before, which
/// says the part is there.
#[test]
fn no_need_to_redo_a_part_named_before_leaves_the_chain() {
    let mut failures = Vec::new();
    let mut tried = 0;
    for (ask, part, skill) in PARTS {
        for cue in [
            "no need to redo them",
            "no need to rebuild it",
            "don't need to touch those",
            "we won't need to redo that",
        ] {
            let goal = format!("{ask}. We have {part} from last year, {cue}.");
            tried += 1;
            failures.extend(still_asks(&goal, skill));
        }
    }
    assert_none_still_asks(tried, &failures);
}
