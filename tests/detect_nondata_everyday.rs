//! Goals that name a data tool in its everyday sense (Kafka the author, a
//! snowflake falling on a web page, the airflow of a server room) or as a
//! product to buy ("renew our Power BI Pro seats") are not data work: they
//! match no pack, and say why (issue 12). The same tool named as the tool
//! still matches its pack.

use skillchain::detect::detect;
use skillchain::pack::Registry;

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

fn refused_with(goal: &str, word: &str) {
    match detect(bundled(), goal) {
        Ok(d) => panic!("{goal:?} matched {}", d.inner.pack),
        Err(no) => {
            let why = no.thin.unwrap_or_default();
            assert!(
                why.starts_with(&format!("\"{word}\" is ")) && why.ends_with("not the data tool"),
                "{goal:?}: reason {why:?} names {word:?}"
            );
        }
    }
}

fn matches(goal: &str, pack: &str) {
    let d = detect(bundled(), goal).unwrap_or_else(|_| panic!("{goal:?} matches nothing"));
    assert_eq!(d.inner.pack, pack, "{goal}");
}

#[test]
fn kafka_the_author_is_not_the_stream_platform() {
    let works = ["The Metamorphosis", "The Trial", "The Castle"];
    let asks = [
        "book club notes on Kafka's {w}, 1 page",
        "summarise Kafka's {w} for my literature class",
        "essay outline on {w} by Franz Kafka",
        "discussion questions for the novel {w} (Kafka)",
    ];
    for w in works {
        for a in asks {
            refused_with(&a.replace("{w}", w), "kafka");
        }
    }
    for x in ["orders", "clickstream", "payment"] {
        matches(
            &format!("kafka topic for {x} events landing in snowflake, near real time"),
            "data-engineering",
        );
    }
}

#[test]
fn a_snowflake_on_a_page_is_not_the_warehouse() {
    let asks = [
        "falling snowflake animation in css for the {p}",
        "snowflake icon svg for the {p}",
        "draw a snowflake on a canvas for the {p}",
        "animated snowflake emoji for the {p}",
    ];
    for p in [
        "holiday landing page",
        "newsletter header",
        "christmas card",
    ] {
        for a in asks {
            refused_with(&a.replace("{p}", p), "snowflake");
        }
    }
    for x in ["orders", "sessions", "invoices"] {
        matches(
            &format!("move the {x} warehouse from redshift to snowflake"),
            "data-engineering",
        );
    }
}

#[test]
fn the_airflow_of_a_room_or_a_machine_is_not_the_orchestrator() {
    let asks = [
        "airflow in server room B is bad, racks running hot. get facilities to check the CRAC units",
        "my laptop fan is loud and airflow seems blocked, how do I clean it",
        "improve airflow around the server racks, the cooling can't keep up",
        "airflow through the PC case is poor, which case fans should I buy",
        "hvac airflow in the office is weak, email facilities about the vents",
    ];
    for a in asks {
        refused_with(a, "airflow");
    }
    for x in ["orders", "stripe", "hubspot"] {
        matches(
            &format!("airflow dag that loads {x} nightly with retries and alerting"),
            "data-orchestration",
        );
    }
}

#[test]
fn a_tool_named_as_a_purchase_is_not_data_work() {
    let tools = [
        "Power BI Pro",
        "Looker",
        "Tableau",
        "Snowflake",
        "dbt Cloud",
    ];
    let asks = [
        "draft an email to procurement about renewing our {t} seats before the 31st",
        "renew the {t} licenses for the sales team",
        "ask finance to approve 5 more {t} seats",
        "get a quote for 20 {t} licences from the vendor",
    ];
    for t in tools {
        for a in asks {
            let goal = a.replace("{t}", t);
            match detect(bundled(), &goal) {
                Ok(d) => panic!("{goal:?} matched {}", d.inner.pack),
                Err(no) => assert!(
                    no.thin.as_deref().is_some_and(|w| w.contains("to buy")),
                    "{goal:?}: {:?}",
                    no.thin
                ),
            }
        }
    }
    // Renewals as data are data work.
    matches(
        "fact table for license renewals by customer, monthly grain",
        "dbt-workflows",
    );
    matches(
        "subscription renewals need their own fact: one row per renewal event, keys to dim_plan and dim_date",
        "dbt-workflows",
    );
}

/// Other tools' everyday senses: the astronomer's redshift, an iceberg at
/// sea, a school prefect, a spark of joy; each refused, each still the tool
/// when a word of the tool follows it.
#[test]
fn other_tools_in_their_everyday_sense_are_refused() {
    let cases = [
        (
            "redshift",
            "explain the redshift of distant galaxies for my astronomy homework",
        ),
        (
            "redshift",
            "plot redshift against distance from the hubble telescope data for class",
        ),
        (
            "iceberg",
            "write a short poem about the iceberg that sank the titanic",
        ),
        (
            "iceberg",
            "recipe for an iceberg lettuce salad with blue cheese",
        ),
        (
            "prefect",
            "speech for my prefect election at school next week",
        ),
        ("prefect", "prefect duties rota for the pupils in assembly"),
        (
            "spark",
            "ideas to spark joy and creativity in our team offsite games",
        ),
    ];
    let cases = cases.into_iter().chain([
        (
            "macro",
            "excel macro to merge the monthly expense sheets for accounting",
        ),
        (
            "macro",
            "vba macro that copies 12 monthly sheets into one workbook",
        ),
        (
            "salesforce",
            "update opportunity stages in salesforce so the Q3 deck is accurate",
        ),
        (
            "salesforce",
            "clean up my salesforce opportunities before the quota review",
        ),
    ]);
    for (word, goal) in cases {
        refused_with(goal, word);
    }
    matches(
        "resize the redshift cluster and vacuum the big tables",
        "data-engineering",
    );
    matches(
        "ingest the salesforce opportunities table into the warehouse daily",
        "data-orchestration",
    );
    matches(
        "prefect flow that pulls stripe daily with retries",
        "data-orchestration",
    );
}

/// Fragments of every cue the everyday senses and the close calls of the
/// kind of ask read (arrows, "into", "takes N", seats, possessives, names),
/// combined in every order of three: detection answers without a panic,
/// and a refusal for an everyday sense quotes a word the goal holds.
#[test]
fn hostile_combinations_of_the_cues_never_panic_and_quote_the_goal() {
    let parts = [
        "->",
        "→",
        "into",
        "takes 5 min",
        "kafka's novel",
        "snowflake",
        "airflow",
        "renew",
        "seats",
        "run_results",
        "review",
        "slow",
        "🙂",
        "_",
    ];
    let mut n = 0;
    for a in parts {
        for b in parts {
            for c in parts {
                let goal = format!("{a} {b} {c}");
                n += 1;
                if let Err(no) = detect(bundled(), &goal) {
                    if let Some(why) = no.thin.filter(|w| w.ends_with("not the data tool")) {
                        let quoted = why.split('"').nth(1).unwrap_or_default().to_string();
                        assert!(goal.to_lowercase().contains(&quoted), "{goal:?}: {why}");
                    }
                }
            }
        }
    }
    assert_eq!(n, parts.len().pow(3));
}
