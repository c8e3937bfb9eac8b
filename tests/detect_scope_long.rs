//! Scope in long, context-rich goals: lists ruled out with "or", work put
//! off to a later PR or ticket, a tool mentioned as context and ruled out
//! later, goals that rule out building, things said to be fine, kept or
//! already done. Every cue × part × pack, said before and after the ask,
//! with the exact outcome: the part's skill is out of the asked chain, the
//! asked work is in it.

use skillchain::detect::detect;
use skillchain::pack::Registry;

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

/// One pack: a goal asking for one skill's work, that skill, and parts of
/// other skills as people name them (skill, part).
struct Case {
    pack: &'static str,
    ask: &'static str,
    asked: &'static str,
    parts: &'static [(&'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        pack: "data-engineering",
        ask: "tune the 20 most expensive snowflake queries: pruning, clustering, exploding joins",
        asked: "optimizing-sql",
        parts: &[
            ("secret-management", "secrets setup"),
            ("secret-management", "vault secrets"),
            ("streaming-data", "kafka topics"),
        ],
    },
    Case {
        pack: "data-orchestration",
        ask: "add exponential backoff, max 3 retries and a circuit breaker to the nightly zendesk load",
        asked: "error-handling",
        parts: &[
            ("validation", "data quality checks"),
            ("validation", "great expectations suite"),
            ("layered-transforms", "medallion layers"),
        ],
    },
    Case {
        pack: "dbt-workflows",
        ask: "add a drivers dimension with scd type 2 history on vehicle changes",
        asked: "dim-modeler",
        parts: &[
            ("powerbi-modeler", "power bi semantic model"),
            ("powerbi-modeler", "power bi"),
        ],
    },
    Case {
        pack: "bigquery-etl",
        ask: "new derived table telemetry_derived.crash_counts_v1 aggregating crash pings from clients_daily",
        asked: "query-writer",
        parts: &[
            ("metadata-manager", "metadata.yaml"),
            ("sql-test-generator", "unit test fixtures"),
            ("bigconfig-generator", "bigconfig monitoring"),
        ],
    },
];

/// Detects `goal` and returns failures: the pack, `asked` in the chain,
/// every skill of `out` out of it.
fn check(goal: &str, pack: &str, asked: &str, out: &[&str]) -> Vec<String> {
    let mut failures = Vec::new();
    match detect(bundled(), goal) {
        Ok(d) if d.inner.pack == pack => {
            let ids: Vec<&str> = d.inner.chain.iter().map(|e| e.id.as_str()).collect();
            if !ids.contains(&asked) {
                failures.push(format!("{goal}: {asked} missing from {ids:?}"));
            }
            for skill in out {
                if ids.contains(skill) {
                    failures.push(format!("{goal}: {skill} in {ids:?}"));
                }
            }
        }
        Ok(d) => failures.push(format!("{goal}: got pack {}", d.inner.pack)),
        Err(e) => failures.push(format!("{goal}: no match ({e:?})")),
    }
    failures
}

fn report(failures: &[String], n: usize) {
    assert!(
        failures.is_empty(),
        "{} of {n} goals:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_negation_reaches_every_item_of_a_list_joined_by_or() {
    let forms = [
        "Don't touch the {a} or the {b}.",
        "don't touch {a} or {b}",
        "no {a} or {b}",
        "no {a}, nor {b}",
        "without {a} or {b}",
        "skip the {a} or the {b}",
    ];
    let mut failures = Vec::new();
    let mut n = 0;
    for case in CASES {
        for (i, (sa, a)) in case.parts.iter().enumerate() {
            for (sb, b) in case.parts.iter().skip(i + 1) {
                for form in forms {
                    let scope = form.replace("{a}", a).replace("{b}", b);
                    for goal in [
                        format!("{}. {scope}", case.ask),
                        format!("{scope}. {}", case.ask),
                    ] {
                        n += 1;
                        failures.extend(check(&goal, case.pack, case.asked, &[sa, sb]));
                    }
                }
            }
        }
    }
    report(&failures, n);
}

#[test]
fn work_put_off_to_a_later_pr_or_ticket_is_not_asked() {
    let forms = [
        "{} in a later PR",
        "{} in a follow-up PR",
        "{} for a follow-up ticket",
        "{} in another PR",
        "{} in a separate ticket",
        "QA writes the {} in a later PR",
        "the platform team adds the {} in a follow-up pull request",
        "{} can wait for a follow-up ticket",
        "{} comes in a folow-up PR",
    ];
    let mut failures = Vec::new();
    let mut n = 0;
    for case in CASES {
        for (skill, part) in case.parts {
            for form in forms {
                let scope = form.replace("{}", part);
                for goal in [
                    format!("{}; {scope}.", case.ask),
                    format!("{scope}. {}", case.ask),
                ] {
                    n += 1;
                    failures.extend(check(&goal, case.pack, case.asked, &[skill]));
                }
            }
        }
    }
    report(&failures, n);
}

#[test]
fn a_follow_up_that_is_the_work_itself_is_no_cue() {
    // "the follow-up emails", "follow up with finance": the words before stay asked.
    for goal in [
        "add a drivers dimension with scd type 2 history, then draft the follow-up notes for the team",
        "add a drivers dimension with scd type 2 history and follow up with finance",
    ] {
        let d = detect(bundled(), goal).expect("matches");
        assert_eq!(d.inner.pack, "dbt-workflows", "{goal}");
        assert!(
            d.inner.chain.iter().any(|e| e.id == "dim-modeler"),
            "{goal}: {:?}",
            d.inner.chain
        );
        assert!(
            !d.inner.negated.iter().any(|n| n.skill == "dim-modeler"),
            "{goal}: {:?}",
            d.inner.negated
        );
    }
}

#[test]
fn a_part_mentioned_as_context_and_ruled_out_later_stays_out() {
    let forms = [
        "{} can wait for a follow-up ticket",
        "{} in a later PR",
        "no {} this time",
        "leave out the {}",
    ];
    let mut failures = Vec::new();
    let mut n = 0;
    for form in forms {
        for (stack, part) in [
            (
                "dbt-core on DuckDB for dev, Snowflake prod, Power BI on top",
                "Power BI",
            ),
            ("dbt on snowflake with power bi dashboards", "power bi"),
        ] {
            let goal = format!(
                "{stack}. Add a drivers dimension with scd type 2 history on vehicle changes. {}.",
                form.replace("{}", part)
            );
            n += 1;
            failures.extend(check(
                &goal,
                "dbt-workflows",
                "dim-modeler",
                &["powerbi-modeler"],
            ));
        }
    }
    report(&failures, n);
}

#[test]
fn a_goal_that_rules_out_building_asks_for_the_decisions_only() {
    let cues = [
        "Don't build anything yet.",
        "no build yet",
        "advise, don't build",
        "dont build it yet",
        "don't implement anything yet",
    ];
    // (pack, goal, the decision skill asked, skills whose work is building)
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "data-orchestration",
            "partner usage reports refreshed every 4h from the zendesk api, I need the requirements captured and an orchestrator recommendation",
            "requirements",
            &["ingestion", "layered-transforms"],
        ),
        (
            "dbt-workflows",
            "should dim_customer be scd type 1 or scd type 2? marketing wants history of segment changes",
            "dim-modeler",
            &["dbt-runner"],
        ),
        (
            "data-orchestration",
            "churn model retrains weekly off crm data, figure out the refresh sla first",
            "requirements",
            &["layered-transforms", "ingestion"],
        ),
    ];
    let mut failures = Vec::new();
    let mut n = 0;
    for (pack, ask, asked, out) in cases {
        for cue in cues {
            for goal in [format!("{ask}. {cue}"), format!("{cue}. {ask}")] {
                n += 1;
                failures.extend(check(&goal, pack, asked, out));
                if let Ok(d) = detect(bundled(), &goal) {
                    if let Some(b) = &d.inner.offer {
                        failures.push(format!("{goal}: blueprint {b} offered"));
                    }
                }
            }
        }
    }
    report(&failures, n);
}

#[test]
fn ruling_out_one_thing_to_build_is_not_ruling_out_building() {
    for goal in [
        "ingest zendesk tickets through the api every 4h with retries, don't build the gold layer yet",
        "cdc ingestion from mysql orchestrated with prefect, no build of the dashboards yet",
    ] {
        let d = detect(bundled(), goal).expect("matches");
        assert_eq!(d.inner.pack, "data-orchestration", "{goal}");
        assert!(
            d.inner.chain.iter().any(|e| e.id == "ingestion"),
            "{goal}: {:?}",
            d.inner.chain
        );
    }
}

#[test]
fn a_thing_pointed_at_and_said_to_be_fine_exists() {
    let forms = [
        "the {} is fine",
        "our {} is fine",
        "the {} is fine, leave it alone",
        "this {} is fine",
    ];
    let mut failures = Vec::new();
    let mut n = 0;
    for form in forms {
        for part in ["sql", "query"] {
            let scope = form.replace("{}", part);
            for goal in [
                format!("fix metadata.yaml and schema.yaml for telemetry_derived.users_daily_v1 only, {scope}"),
                format!("{scope}; fix metadata.yaml and schema.yaml for telemetry_derived.users_daily_v1"),
            ] {
                n += 1;
                failures.extend(check(&goal, "bigquery-etl", "metadata-manager", &["query-writer"]));
            }
        }
    }
    report(&failures, n);
    // A kind of thing that will do is no thing that exists.
    let d = detect(
        bundled(),
        "add a drivers dimension, type 1 is fine, no history",
    )
    .expect("matches");
    assert!(d.inner.chain.iter().any(|e| e.id == "dim-modeler"));
}

#[test]
fn what_the_goal_stays_on_exists_however_close_to_a_keyword_it_is_spelled() {
    let forms = [
        "staying on {}",
        "we are staying on {}",
        "stay on {}",
        "sticking with {}",
        "we keep using {}",
    ];
    let mut failures = Vec::new();
    let mut n = 0;
    for tool in ["prefect", "airflow", "dagster"] {
        for form in forms {
            let scope = form.replace("{}", tool);
            for goal in [
                format!("the vendor sftp load dies at 2am, want exponential backoff, max 3 retries, one slack alert. {scope}"),
                format!("{scope}. the vendor sftp load dies at 2am, want exponential backoff, max 3 retries, one slack alert"),
            ] {
                n += 1;
                failures.extend(check(&goal, "data-orchestration", "error-handling", &["orchestrator"]));
            }
        }
    }
    report(&failures, n);
}

#[test]
fn work_said_to_be_done_already_is_not_asked() {
    // (pack, ask, asked, done part, skill)
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        (
            "data-engineering",
            "write the ELT transforms from raw events to staging and marts",
            "transforming-data",
            "queries are already tuned",
            "optimizing-sql",
        ),
        (
            "data-engineering",
            "write the ELT transforms from raw events to staging and marts",
            "transforming-data",
            "the queries are already optimized",
            "optimizing-sql",
        ),
    ];
    let mut failures = Vec::new();
    for (pack, ask, asked, done, skill) in cases {
        for goal in [format!("{ask}. {done}"), format!("{done}; {ask}")] {
            failures.extend(check(&goal, pack, asked, &[skill]));
        }
    }
    report(&failures, cases.len() * 2);
}

#[test]
fn a_negation_names_a_skills_work_in_any_word_order() {
    let forms = [
        "Don't run dbt",
        "do not run dbt",
        "without running dbt",
        "no dbt run",
    ];
    let mut failures = Vec::new();
    for form in forms {
        for goal in [
            format!("Power BI semantic model: add measure Total Fare and hide the surrogate keys. {form}, models are already built."),
            format!("{form}. Power BI semantic model: add measure Total Fare and hide the surrogate keys"),
        ] {
            failures.extend(check(&goal, "dbt-workflows", "powerbi-modeler", &["dbt-runner"]));
        }
    }
    report(&failures, forms.len() * 2);
}

#[test]
fn work_another_team_takes_over_is_not_asked() {
    let teams = [
        "QA writes",
        "our DQ team writes",
        "the platform team owns",
        "infosec handles",
        "the analytics team maintains",
    ];
    let mut failures = Vec::new();
    let mut n = 0;
    for case in CASES {
        for (skill, part) in case.parts {
            for team in teams {
                let scope = format!("{team} the {part}");
                for goal in [
                    format!("{}. {scope}.", case.ask),
                    format!("{scope}. {}", case.ask),
                ] {
                    n += 1;
                    failures.extend(check(&goal, case.pack, case.asked, &[skill]));
                }
            }
        }
    }
    report(&failures, n);
    // The user's own team takes nothing away.
    let d = detect(
        bundled(),
        "add a drivers dimension with scd type 2 history; our team owns the power bi semantic model too",
    )
    .expect("matches");
    assert!(
        !d.inner.negated.iter().any(|n| n.skill == "powerbi-modeler"),
        "{:?}",
        d.inner.negated
    );
}

#[test]
fn nothing_about_a_part_rules_it_out() {
    let mut failures = Vec::new();
    let mut n = 0;
    for case in CASES {
        for (skill, part) in case.parts {
            for form in ["nothing about the {} yet", "nothing on {} for now"] {
                let scope = form.replace("{}", part);
                for goal in [
                    format!("{}; {scope}", case.ask),
                    format!("{scope}. {}", case.ask),
                ] {
                    n += 1;
                    failures.extend(check(&goal, case.pack, case.asked, &[skill]));
                }
            }
        }
    }
    report(&failures, n);
}

#[test]
fn more_ways_of_ruling_out_building() {
    let cues = [
        "no code yet",
        "No implementation in this session.",
        "I'll build the rest myself",
        "we implement everything else later",
    ];
    let mut failures = Vec::new();
    let mut n = 0;
    for cue in cues {
        for goal in [
            format!("partner usage reports refreshed every 4h from the zendesk api, gather the refresh requirements and pick the orchestrator. {cue}"),
            format!("{cue}. partner usage reports refreshed every 4h from the zendesk api, gather the refresh requirements and pick the orchestrator"),
        ] {
            n += 1;
            failures.extend(check(
                &goal,
                "data-orchestration",
                "requirements",
                &["ingestion", "layered-transforms"],
            ));
        }
    }
    report(&failures, n);
    // "no code changes" rules out changes, not building: the load is asked.
    let d = detect(
        bundled(),
        "ingest zendesk tickets through the api every 4h with retries, no code changes to the dashboards",
    )
    .expect("matches");
    assert!(
        d.inner.chain.iter().any(|e| e.id == "ingestion"),
        "{:?}",
        d.inner.chain
    );
}

#[test]
fn work_done_in_an_earlier_sprint_exists() {
    let forms = [
        "scoping and doc research were done last sprint",
        "I already scoped it to the finance pipelines",
        "scoping was finished yesterday",
    ];
    for form in forms {
        for goal in [
            format!("Write the findings report for the Dagster-to-Orchestra migration analysis; {form}."),
            format!("{form}. Write the findings report for the Dagster-to-Orchestra migration analysis"),
        ] {
            let d = detect(bundled(), &goal).expect("matches");
            assert_eq!(d.inner.pack, "pipeline-analysis", "{goal}");
            let ids: Vec<&str> = d.inner.chain.iter().map(|e| e.id.as_str()).collect();
            assert!(!ids.contains(&"scoping-analysis"), "{goal}: {ids:?}");
            assert!(ids.contains(&"writing-findings"), "{goal}: {ids:?}");
        }
    }
}

#[test]
fn a_list_said_to_be_all_working_exists() {
    let lists = [
        "We have Snowflake, a ~300 model dbt project and Airflow on MWAA",
        "we run fivetran, dbt and airflow",
        "Stack: snowflake, dbt core, airflow",
    ];
    let states = [
        "all working",
        "all green",
        "everything works fine",
        "all are stable",
    ];
    let ask = "Want tuning on the 20 most expensive snowflake queries: pruning, clustering, exploding joins";
    let mut failures = Vec::new();
    let mut n = 0;
    for list in lists {
        for state in states {
            let goal = format!("{list}, {state}. {ask}.");
            n += 1;
            failures.extend(check(
                &goal,
                "data-engineering",
                "optimizing-sql",
                &["transforming-data"],
            ));
        }
    }
    report(&failures, n);
    // Working by a date is still to build.
    let d = detect(
        bundled(),
        "batch ELT from postgres with fivetran and dbt transforms, all working by friday",
    )
    .expect("matches");
    assert!(
        d.inner.chain.iter().any(|e| e.id == "transforming-data"),
        "{:?}",
        d.inner.chain
    );
}

#[test]
fn a_closing_no_rules_out_what_stands_before_it() {
    let mut failures = Vec::new();
    let mut n = 0;
    for case in CASES {
        for (skill, part) in case.parts {
            for form in ["{} no", "the rest yes, {} no", "{}? no"] {
                let scope = form.replace("{}", part);
                let goal = format!("{}. {scope}.", case.ask);
                n += 1;
                // "{}? no" answers a question: the question is its own
                // clause, so nothing is ruled out.
                if form.ends_with("? no") {
                    let d = detect(bundled(), &goal).expect("matches");
                    if d.inner.negated.iter().any(|x| x.by.ends_with(" no")) {
                        failures.push(format!("{goal}: {:?}", d.inner.negated));
                    }
                    continue;
                }
                failures.extend(check(&goal, case.pack, case.asked, &[skill]));
            }
        }
    }
    report(&failures, n);
}

#[test]
fn skip_that_part_points_back_at_the_sentence_before() {
    let mut failures = Vec::new();
    let mut n = 0;
    for case in CASES {
        for (skill, part) in case.parts {
            for form in [
                "the {} is already handled elsewhere, so skip that part",
                "the {} is settled; leave that out",
                "{} was decided last week, skip that",
            ] {
                let scope = form.replace("{}", part);
                let goal = format!("{}. {scope}.", case.ask);
                n += 1;
                failures.extend(check(&goal, case.pack, case.asked, &[skill]));
            }
        }
    }
    report(&failures, n);
}

#[test]
fn later_work_put_in_a_separate_plan_takes_the_plan_with_it() {
    let goal = "Write the findings document for last week's investigation of the Snowflake warehouse queueing. Keep recommendations out of it, they go in a separate plan.";
    let d = detect(bundled(), goal).expect("matches");
    assert_eq!(d.inner.pack, "pipeline-analysis");
    let ids: Vec<&str> = d.inner.chain.iter().map(|e| e.id.as_str()).collect();
    assert!(ids.contains(&"writing-findings"), "{ids:?}");
    assert!(!ids.contains(&"planning-changes"), "{ids:?}");
}
