//! A task about a person or a household (a resume, a cover letter, a talk
//! at a meetup, a car) is not data work even when it names data tools; other software
//! work (web back ends, games, desktops) needs much more evidence than a data
//! goal. Goals are generated: every such task × every data tool.

use skillchain::detect::detect;
use skillchain::pack::Registry;

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

const TOOLS: &[&str] = &[
    "Airflow",
    "dbt",
    "Snowflake",
    "Kafka",
    "BigQuery",
    "Dagster",
    "Spark",
    "Prefect",
];

const PERSONAL: &[&str] = &[
    "rewrite my resume so it highlights my {a} and {b} projects",
    "a cover letter for a data engineer job, mention {a} and {b}",
    "update my CV: five years of {a}, two of {b}",
    "LinkedIn summary for an analytics engineer who knows {a} and {b}",
    "abstract for my meetup talk on moving from {a} to {b}",
];

#[test]
fn a_task_about_a_person_is_refused_whatever_data_tools_it_names() {
    let mut wrong = Vec::new();
    for form in PERSONAL {
        for (i, a) in TOOLS.iter().enumerate() {
            let b = TOOLS[(i + 3) % TOOLS.len()];
            let goal = form.replace("{a}", a).replace("{b}", b);
            if let Ok(d) = detect(bundled(), &goal) {
                wrong.push(format!("{goal}: {}", d.inner.pack));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

const OTHER_WORK: &[&str] = &[
    "load test the checkout API with k6 to 2000 rps and report p95 latency",
    "add a redis cache in front of the catalog endpoint so p95 latency drops",
    "rate limiting middleware for our fastapi backend",
    "multiplayer game server has 180ms p99 tick latency, profile it",
    "powershell script to rsync my laptop backups every night",
    "figma mockups for the onboarding screens, then a logo",
    "monitor http 5xx rates on the php web servers",
];

#[test]
fn other_software_work_with_a_data_word_or_two_is_refused() {
    let wrong: Vec<String> = OTHER_WORK
        .iter()
        .filter_map(|g| {
            detect(bundled(), g)
                .ok()
                .map(|d| format!("{g}: {}", d.inner.pack))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The same tools in data work still match: the guard is the task, not
/// the tool.
#[test]
fn the_same_tools_in_data_work_still_match() {
    for (i, a) in TOOLS.iter().enumerate() {
        let b = TOOLS[(i + 3) % TOOLS.len()];
        for goal in [
            format!("nightly {a} pipeline that loads orders into {b} with tests"),
            format!("move the {a} jobs that feed {b} onto a daily schedule with retries"),
        ] {
            assert!(detect(bundled(), &goal).is_ok(), "{goal}");
        }
        // "resume" the verb is data work.
        let goal = format!("resume the failed {a} backfill into {b} from yesterday");
        assert!(detect(bundled(), &goal).is_ok(), "{goal}");
    }
}
