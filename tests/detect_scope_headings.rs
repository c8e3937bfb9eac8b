//! Goals pasted from ticket templates: "… | Acceptance criteria: - … | Out
//! of scope: - Bigeye monitoring - historical backfill". The list under an
//! "Out of scope" heading (or "Non-goals", "Not doing", "Later", …) is not
//! asked; it ends at the next heading or the next part of the ticket, and
//! what stands under another heading is asked (issue 12, negation and
//! scope).

mod common;

use common::evalgoals::bundled;
use skillchain::detect::detect;

/// One pack's case: an ask, the items a heading rules out with the skill
/// each would bring, and a second ask with its skill.
struct Case {
    pack: &'static str,
    ask: &'static str,
    ask_skill: &'static str,
    items: [(&'static str, &'static str); 2],
    more: &'static str,
    more_skill: &'static str,
}

const CASES: &[Case] = &[
    Case {
        pack: "data-engineering",
        ask: "move the warehouse credentials into vault with 30d rotation",
        ask_skill: "secret-management",
        items: [
            ("kafka streaming changes", "streaming-data"),
            ("query tuning", "optimizing-sql"),
        ],
        more: "the dbt models read the new secrets",
        more_skill: "transforming-data",
    },
    Case {
        pack: "data-orchestration",
        ask: "add retries with backoff and pagerduty alerts to the orders dag",
        ask_skill: "error-handling",
        items: [
            ("onboarding new sources", "ingestion"),
            ("data quality checks", "validation"),
        ],
        more: "mask pii columns for gdpr",
        more_skill: "security",
    },
    Case {
        pack: "dbt-workflows",
        ask: "build dim_merchant as scd1 with unique and not_null tests",
        ask_skill: "dim-modeler",
        items: [
            ("the power bi model", "powerbi-modeler"),
            ("a code review", "code-reviewer"),
        ],
        more: "a star schema design for the merchant mart",
        more_skill: "data-modeler",
    },
    Case {
        pack: "bigquery-etl",
        ask: "new table finance_derived.fx_daily_v1, query partitioned on submission_date",
        ask_skill: "query-writer",
        items: [
            ("bigeye monitoring", "bigconfig-generator"),
            ("unit tests", "sql-test-generator"),
        ],
        more: "metadata.yaml with owners and labels",
        more_skill: "metadata-manager",
    },
    Case {
        pack: "pipeline-analysis",
        ask: "investigate SLA breaches on the finance pipelines and write findings",
        ask_skill: "writing-findings",
        items: [
            ("reading dbt artifacts", "reading-run-artifacts"),
            ("vendor docs research", "researching-documentation"),
        ],
        more: "a rollout plan with a rollback step",
        more_skill: "planning-changes",
    },
];

const HEADINGS: &[&str] = &[
    "Out of scope",
    "Out-of-scope",
    "Not in scope",
    "Non-goals",
    "Not doing",
    "Won't do",
    "Excluded",
    "Deferred",
    "Later",
    "Follow-ups",
    "Not this sprint",
    "Parking lot",
];

/// The items as a list the way tickets write one.
fn list(items: &[&str]) -> Vec<String> {
    vec![
        format!("- {} - {}", items[0], items[1]),
        format!("{}, {}", items[0], items[1]),
        format!("{}; {}", items[0], items[1]),
        format!("\n- {}\n- {}", items[0], items[1]),
    ]
}

/// The pack and the chain's skill ids.
fn chain(goal: &str) -> (String, Vec<String>) {
    let d = detect(bundled(), goal).unwrap_or_else(|e| panic!("{goal:?} matched nothing: {e}"));
    (
        d.inner.pack,
        d.inner.chain.iter().map(|e| e.id.clone()).collect(),
    )
}

fn assert_none(wrong: &[String], tried: usize, what: &str) {
    assert!(
        wrong.is_empty(),
        "{} of {tried} goals {what}:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_items_asked_in_plain_words_bring_their_skills() {
    // The control: without a heading the same words are asks, so the
    // tests below rule out something the chain would have.
    for c in CASES {
        let goal = format!(
            "{}. also {} and {}. {}",
            c.ask, c.items[0].0, c.items[1].0, c.more
        );
        let (pack, ids) = chain(&goal);
        assert_eq!(pack, c.pack, "{goal:?}");
        for skill in [c.ask_skill, c.items[0].1, c.items[1].1, c.more_skill] {
            assert!(
                ids.iter().any(|i| i == skill),
                "{goal:?}: {skill} not in {ids:?}"
            );
        }
    }
}

#[test]
fn a_list_under_an_out_of_scope_heading_is_not_asked() {
    let mut wrong = Vec::new();
    let mut tried = 0;
    for c in CASES {
        let items = [c.items[0].0, c.items[1].0];
        for heading in HEADINGS {
            for l in list(&items) {
                for sep in [" | ", "\n", ". "] {
                    tried += 1;
                    let goal = format!("{}{sep}{heading}: {l}", c.ask);
                    let (pack, ids) = chain(&goal);
                    let has = |s: &str| ids.iter().any(|i| i == s);
                    if pack != c.pack || !has(c.ask_skill) || has(c.items[0].1) || has(c.items[1].1)
                    {
                        wrong.push(format!("{goal:?}: {pack} {ids:?}"));
                    }
                }
            }
        }
    }
    assert_none(&wrong, tried, "ask a ruled-out item or lose the ask");
}

#[test]
fn the_list_ends_at_the_next_heading_whose_items_are_asked() {
    let mut wrong = Vec::new();
    let mut tried = 0;
    for c in CASES {
        let items = [c.items[0].0, c.items[1].0];
        for heading in HEADINGS {
            for next in ["Acceptance criteria", "AC", "DoD", "Also needed"] {
                for sep in [" | ", "\n"] {
                    tried += 1;
                    let goal = format!(
                        "Title: {}{sep}{heading}: - {} - {}{sep}{next}: - {}",
                        c.ask, items[0], items[1], c.more
                    );
                    let (pack, ids) = chain(&goal);
                    let has = |s: &str| ids.iter().any(|i| i == s);
                    if pack != c.pack
                        || !has(c.ask_skill)
                        || !has(c.more_skill)
                        || has(c.items[0].1)
                        || has(c.items[1].1)
                    {
                        wrong.push(format!("{goal:?}: {pack} {ids:?}"));
                    }
                }
            }
        }
    }
    assert_none(&wrong, tried, "read past the end of the list");
}

#[test]
fn an_in_scope_heading_or_a_mid_sentence_phrase_is_no_heading() {
    // "In scope:" asks its list; "out of scope" in the middle of a clause
    // is read as it always was, by what it closes.
    for c in CASES {
        let items = [c.items[0].0, c.items[1].0];
        let goal = format!("{} | In scope: - {} - {}", c.ask, items[0], items[1]);
        let (_, ids) = chain(&goal);
        for (_, skill) in c.items {
            assert!(
                ids.iter().any(|i| i == skill),
                "{goal:?}: {skill} not in {ids:?}"
            );
        }
        let goal = format!("{}, {} is out of scope", c.ask, items[0]);
        let (_, ids) = chain(&goal);
        assert!(
            !ids.iter().any(|i| i == c.items[0].1) && ids.iter().any(|i| i == c.ask_skill),
            "{goal:?}: {ids:?}"
        );
    }
}
