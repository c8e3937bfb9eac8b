//! A goal that orders the whole of a blueprint, naming several of its
//! skills, keeps the offer although another pack reads some of its words;
//! the same goal asked as a question is not an order and offers nothing
//! when another pack is close.

use skillchain::detect::detect;
use skillchain::pack::Registry;

fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

const SOURCES: &[&str] = &[
    "the billing api",
    "two internal apis",
    "the partner sftp drop",
];
const TEAMS: &[&str] = &["finance", "support", "growth"];

#[test]
fn an_order_for_the_whole_pipeline_keeps_its_offer() {
    for (i, src) in SOURCES.iter().enumerate() {
        let team = TEAMS[(i + 1) % TEAMS.len()];
        let goal = format!(
            "data pipeline from scratch for the {team} team: {src} into raw tables, dbt marts with tests, orchestration, secrets managed, runs locally"
        );
        let d = detect(bundled(), &goal).expect("matches");
        assert_eq!(d.inner.pack, "data-engineering", "{goal:?}");
        assert_eq!(
            d.inner.offer.as_deref(),
            Some("data-pipeline"),
            "{goal:?}: runner-ups {:?}",
            d.inner.runner_ups.iter().map(|r| &r.id).collect::<Vec<_>>()
        );
        // The same words as a question: a close call offers nothing.
        let asked =
            format!("which dbt marts with tests, orchestration and secrets would {src} need?");
        if let Ok(q) = detect(bundled(), &asked) {
            assert!(
                !q.inner.ambiguous || q.inner.offer.is_none(),
                "{asked:?}: offered on a close call"
            );
        }
    }
}

/// "just the ...", "only the ...", "... only" restrict a goal to a part: a
/// blueprint is offered only on its own phrase then; "it just works"
/// restricts nothing.
#[test]
fn a_goal_restricted_to_a_part_is_not_offered_the_whole() {
    let parts = ["the models", "the dbt models", "the two models"];
    for (i, part) in parts.iter().enumerate() {
        let cue = ["just", "only"][i % 2];
        let goal =
            format!("re-run {cue} {part} that failed in last night's build and check it's green");
        let d = detect(bundled(), &goal).expect("matches");
        assert_eq!(d.inner.offer, None, "{goal:?}");
    }
    for src in SOURCES {
        let goal = format!(
            "data pipeline from scratch: {src} into raw tables, dbt marts with tests, orchestration, secrets managed, and it just works locally"
        );
        let d = detect(bundled(), &goal).expect("matches");
        assert_eq!(d.inner.offer.as_deref(), Some("data-pipeline"), "{goal:?}");
    }
}
