//! "no other changes", "no other pipeline changes in this ticket": only
//! the change the goal names is made, exactly as "nothing else" says it.
//! Skills the goal meets only in passing ("hardcoded in our DAGs") are
//! not asked (issue 12, must-not-have skills).

mod common;

use common::evalgoals::try_asked;

const ASKS: &[&str] = &[
    "move the snowflake password hardcoded in our dags into vault with 30-day rotation",
    "add a not_null test on fct_orders.order_id",
    "add bigeye freshness checks to clients_daily_v6",
    "put the kafka consumer credentials for the events topic in aws secrets manager",
    "add retries with backoff to the hubspot extract task",
];

/// Ways to say that nothing but the named change is made.
const NO_OTHER: &[&str] = &[
    ", no other changes",
    ". no other pipeline changes in this ticket",
    " - no other dag changes this sprint",
    "; no other code changes please",
];

#[test]
fn no_other_changes_reads_as_nothing_else() {
    let mut differ = Vec::new();
    for ask in ASKS {
        let expected = try_asked(&format!("{ask}, nothing else"));
        for no_other in NO_OTHER {
            let goal = format!("{ask}{no_other}");
            let got = try_asked(&goal);
            if got != expected {
                differ.push(format!(
                    "{goal:?}: {got:?}, nothing else gives {expected:?}"
                ));
            }
        }
    }
    assert!(
        differ.is_empty(),
        "{} of 20 differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
}

/// A location said in passing is not asked once the goal limits itself.
#[test]
fn a_password_moved_out_of_dags_asks_no_transforms() {
    let (pack, skills) = try_asked(
        "the redshift password is hardcoded in 3 dags. move it to vault with 90-day rotation, no other pipeline changes",
    )
    .expect("matches a pack");
    assert_eq!(pack, "data-engineering");
    assert!(
        skills.contains(&"secret-management".to_string()),
        "{skills:?}"
    );
    assert!(
        !skills.contains(&"transforming-data".to_string()),
        "{skills:?}"
    );
}
