use super::*;
use crate::detect::{detect_in_pack, PackIndex, Reason};
use crate::pack::load_dir;
use std::collections::HashMap;
use std::path::Path;

fn mini() -> Arc<Pack> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs/mini");
    Arc::new(load_dir(&dir).expect("mini pack loads"))
}

fn session(goal: &str) -> Session {
    let pack = mini();
    let det = detect_in_pack(&pack, &PackIndex::new(&pack), goal);
    Session::new(pack, det, None, Maturity::Intermediate)
}

fn session_with_blueprint(goal: &str) -> Session {
    let pack = mini();
    let det = detect_in_pack(&pack, &PackIndex::new(&pack), goal);
    let offer = det.offer.clone();
    Session::new(pack, det, offer, Maturity::Intermediate)
}

fn at(s: &Session) -> String {
    match s.current() {
        Some((st, q, _)) => format!("{}.{}", st.key, q.id),
        None => format!("{:?}", s.screen),
    }
}

fn value(s: &Session, key: &str) -> Option<AnswerValue> {
    let (step, q) = key.split_once('.').expect("step.question");
    s.resolved()
        .iter()
        .find(|r| r.key == QKey::new(step, q))
        .and_then(|r| r.value.clone())
}

fn source(s: &Session, key: &str) -> Option<Source> {
    let (step, q) = key.split_once('.').expect("step.question");
    s.resolved()
        .iter()
        .find(|r| r.key == QKey::new(step, q))
        .and_then(|r| r.provenance.as_ref().map(|p| p.source))
}

fn text(v: &str) -> AnswerValue {
    AnswerValue::Text(v.to_string())
}

fn ok(s: &mut Session, c: Command) {
    s.apply(c.clone())
        .unwrap_or_else(|e| panic!("{c:?} refused: {e}"));
}

fn answer(s: &mut Session, input: &str) {
    ok(s, Command::Answer(input.to_string()));
}

#[test]
fn chain_orders_foundation_then_dependencies_then_priority() {
    let s = session("kafka streaming with dbt transforms");
    let ids: Vec<&str> = s.chain.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, vec!["base", "stream", "transform"]);
    assert_eq!(
        s.chain[0].reasons,
        vec![
            Reason::Required,
            Reason::DependencyOf {
                skills: vec!["stream".into(), "transform".into()]
            }
        ]
    );
    assert_eq!(
        s.chain[1].reasons,
        vec![Reason::Matched {
            keywords: vec!["kafka".into(), "streaming".into()],
            score: 20
        }]
    );
    assert_eq!(
        s.chain[2].reasons,
        vec![Reason::Matched {
            keywords: vec!["dbt".into(), "transform".into()],
            score: 15
        }]
    );
}

#[test]
fn confirm_starts_at_first_question_and_answers_walk_across_skills() {
    let mut s = session("kafka streaming");
    assert_eq!(s.screen, Screen::Chain);
    ok(&mut s, Command::Confirm);
    assert_eq!(at(&s), "base.cloud");
    answer(&mut s, "aws");
    answer(&mut s, "2");
    assert_eq!(value(&s, "base.scale"), Some(text("large")));
    answer(&mut s, "my_proj");
    // last question of base → first of stream
    assert_eq!(at(&s), "stream.platform");
    answer(&mut s, "kinesis");
    answer(&mut s, "avro");
    answer(&mut s, "no");
    answer(&mut s, "12");
    assert_eq!(s.screen, Screen::Review);
    assert_eq!(value(&s, "stream.partitions"), Some(AnswerValue::Int(12)));
    assert_eq!(source(&s, "stream.partitions"), Some(Source::Typed));
    assert!(s.all_visited());
}

#[test]
fn skip_takes_the_default_and_drops_an_earlier_typed_answer() {
    let mut s = session("kafka streaming");
    ok(&mut s, Command::Confirm);
    answer(&mut s, "gcp");
    ok(&mut s, Command::Back);
    assert_eq!(at(&s), "base.cloud");
    assert_eq!(value(&s, "base.cloud"), Some(text("gcp")));
    ok(&mut s, Command::Skip);
    assert_eq!(at(&s), "base.scale");
    assert_eq!(value(&s, "base.cloud"), Some(text("aws")));
    assert_eq!(source(&s, "base.cloud"), Some(Source::Default));
}

#[test]
fn back_from_first_question_of_skill_returns_to_last_question_of_previous_skill() {
    let mut s = session("kafka streaming");
    ok(&mut s, Command::Confirm);
    answer(&mut s, "gcp");
    answer(&mut s, "large");
    answer(&mut s, "proj");
    assert_eq!(at(&s), "stream.platform");
    ok(&mut s, Command::Back);
    assert_eq!(at(&s), "base.name");
    assert_eq!(value(&s, "base.name"), Some(text("proj")));
    assert_eq!(source(&s, "base.name"), Some(Source::Typed));
}

#[test]
fn back_from_the_very_first_question_returns_to_the_chain_keeping_answers() {
    let mut s = session("kafka streaming");
    ok(&mut s, Command::Confirm);
    answer(&mut s, "gcp");
    ok(&mut s, Command::Back);
    ok(&mut s, Command::Back);
    assert_eq!(s.screen, Screen::Chain);
    ok(&mut s, Command::Confirm);
    assert_eq!(value(&s, "base.cloud"), Some(text("gcp")));
}

#[test]
fn back_skips_questions_whose_condition_does_not_hold() {
    let mut s = session("kafka streaming");
    ok(&mut s, Command::Confirm);
    for a in ["aws", "small", "p"] {
        answer(&mut s, a);
    }
    answer(&mut s, "kafka");
    answer(&mut s, "json");
    // registry only applies to avro: partitions comes next, and back skips registry
    assert_eq!(at(&s), "stream.partitions");
    ok(&mut s, Command::Back);
    assert_eq!(at(&s), "stream.format");
}

#[test]
fn changing_an_earlier_answer_drops_answers_whose_condition_flips_and_reports_them() {
    let mut s = session("kafka streaming");
    ok(&mut s, Command::Confirm);
    for a in ["aws", "small", "p", "kafka", "avro", "no"] {
        answer(&mut s, a);
    }
    assert_eq!(value(&s, "stream.registry"), Some(AnswerValue::Bool(false)));
    ok(&mut s, Command::Back);
    ok(&mut s, Command::Back);
    assert_eq!(at(&s), "stream.format");
    answer(&mut s, "json");
    assert_eq!(
        s.changes,
        vec![Change::Dropped {
            key: QKey::new("stream", "registry"),
            was: AnswerValue::Bool(false)
        }]
    );
    assert_eq!(value(&s, "stream.registry"), None);
    assert!(s.answer(&QKey::new("stream", "registry")).is_none());
    // flipping back asks it again with its default, not the dropped answer
    ok(&mut s, Command::Back);
    answer(&mut s, "avro");
    assert_eq!(
        s.changes,
        vec![Change::Appeared {
            key: QKey::new("stream", "registry"),
            value: AnswerValue::Bool(true)
        }]
    );
    assert_eq!(at(&s), "stream.registry");
}

#[test]
fn changing_an_earlier_answer_recomputes_dynamic_defaults_but_keeps_typed_ones() {
    let mut s = session("kafka streaming");
    ok(&mut s, Command::Confirm);
    assert_eq!(value(&s, "stream.platform"), Some(text("kafka")));
    answer(&mut s, "gcp");
    assert_eq!(
        s.changes,
        vec![Change::Changed {
            key: QKey::new("stream", "platform"),
            from: text("kafka"),
            to: text("pubsub")
        }]
    );
    assert_eq!(source(&s, "stream.platform"), Some(Source::EarlierAnswer));
    ok(&mut s, Command::Back);
    answer(&mut s, "aws");
    assert_eq!(value(&s, "stream.platform"), Some(text("kafka")));
}

#[test]
fn skip_skill_takes_defaults_for_the_rest_of_the_skill_and_marks_it_skipped() {
    let mut s = session("kafka streaming with dbt");
    ok(&mut s, Command::Confirm);
    for a in ["aws", "small", "p", "kinesis"] {
        answer(&mut s, a);
    }
    assert_eq!(at(&s), "stream.format");
    ok(&mut s, Command::SkipSkill);
    assert_eq!(at(&s), "transform.tool");
    assert_eq!(value(&s, "stream.platform"), Some(text("kinesis")));
    assert_eq!(value(&s, "stream.format"), Some(text("avro")));
    assert_eq!(value(&s, "stream.registry"), Some(AnswerValue::Bool(true)));
    let st = s.status();
    // platform was answered; format, registry and partitions took defaults.
    assert_eq!(
        st.steps[1].state,
        StepState::Partial {
            answered: 1,
            count: 4
        }
    );
    assert_eq!(st.steps[0].state, StepState::Done);
    assert_eq!(st.steps[2].state, StepState::Current { index: 1, count: 2 });
}

#[test]
fn skip_skill_on_the_last_skill_goes_to_review() {
    let mut s = session("kafka streaming");
    ok(&mut s, Command::Confirm);
    for a in ["aws", "small", "p"] {
        answer(&mut s, a);
    }
    ok(&mut s, Command::SkipSkill);
    assert_eq!(s.screen, Screen::Review);
    assert!(s.all_visited());
}

#[test]
fn done_takes_defaults_for_the_rest_and_keeps_given_answers() {
    let mut s = session("kafka streaming with dbt");
    ok(&mut s, Command::Confirm);
    answer(&mut s, "gcp");
    ok(&mut s, Command::Done);
    assert_eq!(s.screen, Screen::Review);
    assert_eq!(value(&s, "base.cloud"), Some(text("gcp")));
    assert_eq!(value(&s, "stream.platform"), Some(text("pubsub")));
    assert_eq!(value(&s, "transform.tests"), Some(AnswerValue::Bool(true)));
    assert!(s.all_visited());
}

#[test]
fn restart_asks_first_and_clears_answers_only_when_confirmed() {
    let mut s = session("kafka streaming");
    ok(&mut s, Command::Confirm);
    answer(&mut s, "gcp");
    ok(&mut s, Command::Restart);
    assert_eq!(s.pending, Some(Pending::Restart));
    assert!(s.apply(Command::Skip).is_err());
    ok(&mut s, Command::ConfirmNo);
    assert_eq!(at(&s), "base.scale");
    assert_eq!(value(&s, "base.cloud"), Some(text("gcp")));
    answer(&mut s, "restart");
    ok(&mut s, Command::ConfirmYes);
    assert_eq!(s.screen, Screen::Chain);
    assert_eq!(s.goal, "kafka streaming");
    assert_eq!(value(&s, "base.cloud"), Some(text("aws")));
    assert!(s.answer(&QKey::new("base", "cloud")).is_none());
}

#[test]
fn status_and_help_are_overlays_that_keep_the_position() {
    let mut s = session("kafka streaming");
    ok(&mut s, Command::Confirm);
    answer(&mut s, "aws");
    answer(&mut s, "status");
    assert_eq!(s.overlay, Some(Overlay::Status));
    assert_eq!(at(&s), "base.scale");
    let st = s.status();
    assert_eq!((st.step, st.total), (1, 2));
    assert_eq!(st.steps[0].state, StepState::Current { index: 2, count: 3 });
    assert_eq!(st.steps[1].state, StepState::Pending);
    assert_eq!((st.answered, st.remaining), (1, 6));
    ok(&mut s, Command::CloseOverlay);
    answer(&mut s, "help");
    assert_eq!(s.overlay, Some(Overlay::Help));
    answer(&mut s, "small");
    assert_eq!(s.overlay, None);
    assert_eq!(at(&s), "base.name");
}

#[test]
fn typed_words_run_commands_in_text_answers() {
    let mut s = session("kafka streaming");
    ok(&mut s, Command::Confirm);
    answer(&mut s, "aws");
    answer(&mut s, "small");
    assert_eq!(at(&s), "base.name");
    answer(&mut s, " Back ");
    assert_eq!(at(&s), "base.scale");
    answer(&mut s, "small");
    answer(&mut s, "skip skill");
    assert_eq!(at(&s), "stream.platform");
    answer(&mut s, "done");
    assert_eq!(s.screen, Screen::Review);
}

#[test]
fn invalid_input_is_refused_inline_and_never_blocks_back() {
    let mut s = session("kafka streaming");
    ok(&mut s, Command::Confirm);
    for a in ["aws", "small", "p", "kafka", "avro", "yes"] {
        answer(&mut s, a);
    }
    assert_eq!(at(&s), "stream.partitions");
    let err = s
        .apply(Command::Answer("100".into()))
        .expect_err("out of range");
    assert_eq!(err.0, "100 is not a whole number from 1 to 64");
    assert_eq!(s.error.as_deref(), Some(err.0.as_str()));
    assert_eq!(at(&s), "stream.partitions");
    let err = s
        .apply(Command::Answer("lots".into()))
        .expect_err("not a number");
    assert!(
        err.0.starts_with("`lots` is not a whole number"),
        "{}",
        err.0
    );
    ok(&mut s, Command::Back);
    assert_eq!(s.error, None);
    assert_eq!(at(&s), "stream.registry");
    let err = s.apply(Command::Answer("kafak".into()));
    assert!(err.is_err());
    ok(&mut s, Command::Back);
    ok(&mut s, Command::Back);
    let err = s.apply(Command::Answer("kafak".into())).expect_err("typo");
    assert_eq!(
        err.0,
        "`kafak` is not one of: kafka, kinesis, pubsub (did you mean `kafka`?)"
    );
}

#[test]
fn regex_validation_uses_the_pack_message() {
    let mut s = session("kafka streaming");
    ok(&mut s, Command::Confirm);
    answer(&mut s, "aws");
    answer(&mut s, "small");
    let err = s
        .apply(Command::Answer("My Project".into()))
        .expect_err("regex");
    assert_eq!(err.0, "lower-case letters and _ only");
    let err = s.apply(Command::Answer("".into())).expect_err("required");
    assert_eq!(err.0, "an answer is required");
}

#[test]
fn goal_keywords_set_smart_defaults_with_provenance() {
    let s = session("kinesis streaming into bigquery");
    assert_eq!(value(&s, "base.cloud"), Some(text("gcp")));
    assert_eq!(
        s.resolved()
            .iter()
            .find(|r| r.key == QKey::new("base", "cloud"))
            .and_then(|r| r.provenance.clone()),
        Some(Provenance::with(Source::GoalKeyword, "bigquery"))
    );
    // goal keyword (kinesis) is tried before the earlier-answer rule (gcp → pubsub)
    assert_eq!(value(&s, "stream.platform"), Some(text("kinesis")));
}

#[test]
fn precedence_typed_over_preference_over_blueprint_over_smart_over_default() {
    let mut s = session_with_blueprint("kafka pipeline");
    assert_eq!(s.blueprint.as_deref(), Some("pipe"));
    assert_eq!(value(&s, "base.scale"), Some(text("large")));
    assert_eq!(source(&s, "base.scale"), Some(Source::Blueprint));
    let mut prefs = BTreeMap::new();
    prefs.insert(QKey::new("base", "scale"), text("small"));
    prefs.insert(QKey::new("base", "cloud"), text("not-an-option"));
    s.set_preferences(prefs);
    assert_eq!(value(&s, "base.scale"), Some(text("small")));
    assert_eq!(source(&s, "base.scale"), Some(Source::SavedPreference));
    // an invalid saved value is ignored
    assert_eq!(source(&s, "base.cloud"), Some(Source::Default));
    s.set_answer(
        &QKey::new("base", "scale"),
        &text("large"),
        Source::AnswersFile,
    )
    .expect("valid");
    assert_eq!(source(&s, "base.scale"), Some(Source::AnswersFile));
}

#[test]
fn blueprint_adds_a_quick_setup_step_first_and_its_skills() {
    let mut s = session_with_blueprint("kafka pipeline");
    let keys: Vec<&str> = s.steps().iter().map(|st| st.key.as_str()).collect();
    assert_eq!(keys, vec!["blueprint", "base", "stream", "transform"]);
    assert_eq!(
        s.chain
            .iter()
            .find(|e| e.id == "transform")
            .map(|e| e.reasons.clone()),
        Some(vec![Reason::Blueprint { id: "pipe".into() }])
    );
    ok(&mut s, Command::Confirm);
    assert_eq!(at(&s), "blueprint.size");
    // dropping the blueprint from the chain screen restores the detected chain
    let mut s = session_with_blueprint("kafka pipeline");
    ok(&mut s, Command::UseBlueprint(false));
    let keys: Vec<&str> = s.steps().iter().map(|st| st.key.as_str()).collect();
    assert_eq!(keys, vec!["base", "stream"]);
}

#[test]
fn customize_refuses_required_and_needed_skills_and_adds_dependencies() {
    let mut s = session("tune slow query in the warehouse");
    let ids: Vec<&str> = s.chain.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, vec!["base", "tune"]);
    ok(&mut s, Command::Customize);
    let err = s
        .apply(Command::ToggleSkill("base".into()))
        .expect_err("required");
    assert_eq!(
        err.0,
        "base is required and cannot be removed (its questions can still be skipped)"
    );
    ok(&mut s, Command::ToggleSkill("transform".into()));
    let ids: Vec<&str> = s.chain.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, vec!["base", "transform", "tune"]);
    let choices = s.skill_choices();
    let stream = choices
        .iter()
        .find(|c| c.id == "stream")
        .expect("stream listed");
    assert!(!stream.in_chain);
    assert_eq!(stream.why, "no keyword of the goal matched");
    let base = choices
        .iter()
        .find(|c| c.id == "base")
        .expect("base listed");
    assert!(base.locked);
    assert_eq!(base.needed_by, vec!["transform".to_string()]);
    ok(&mut s, Command::ToggleSkill("tune".into()));
    let ids: Vec<&str> = s.chain.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, vec!["base", "transform"]);
    ok(&mut s, Command::FinishCustomize);
    assert_eq!(s.screen, Screen::Chain);
}

#[test]
fn removing_a_skill_others_need_names_them() {
    let pack = mini();
    let det = detect_in_pack(&pack, &PackIndex::new(&pack), "kafka");
    let mut s = Session::new(pack.clone(), det, None, Maturity::Intermediate);
    // make base removable in principle by checking the dependency message on a non-required dep
    let mut seeds = vec![("transform".to_string(), vec![Reason::Chosen])];
    seeds.push(("stream".to_string(), vec![Reason::Chosen]));
    let chain = crate::detect::build_chain(&pack, seeds, &HashMap::new());
    s.set_chain(chain);
    ok(&mut s, Command::Customize);
    let err = s
        .apply(Command::ToggleSkill("base".into()))
        .expect_err("required and needed");
    assert!(err.0.starts_with("base is required"), "{}", err.0);
}

#[test]
fn conflicts_block_proceeding_until_a_named_resolution_is_chosen() {
    let mut s = session("kafka streaming with dbt");
    ok(&mut s, Command::SkipAll);
    assert!(s.conflicts().is_empty());
    ok(&mut s, Command::Edit(QKey::new("stream", "format")));
    answer(&mut s, "json");
    assert_eq!(s.screen, Screen::Review);
    let c = s.conflicts();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].id, "json-with-dbt");
    assert_eq!(c[0].chosen, None);
    assert_eq!(
        c[0].resolutions,
        vec![
            ("use-avro".to_string(), "Switch to avro".to_string()),
            ("accept".to_string(), "Keep both".to_string())
        ]
    );
    let err = s.apply(Command::Proceed).expect_err("unresolved");
    assert_eq!(
        err.0,
        "resolve or accept the conflict first: “dbt contracts need typed events”"
    );
    assert_eq!(s.screen, Screen::Review);
    ok(
        &mut s,
        Command::Resolve {
            conflict: "json-with-dbt".into(),
            resolution: "use-avro".into(),
        },
    );
    assert_eq!(value(&s, "stream.format"), Some(text("avro")));
    assert_eq!(
        source(&s, "stream.format"),
        Some(Source::ConflictResolution)
    );
    assert!(s.conflicts().is_empty());
    ok(&mut s, Command::Proceed);
    assert_eq!(s.screen, Screen::Tree);
}

#[test]
fn accepting_a_conflict_keeps_the_answers_and_lets_the_user_proceed() {
    let mut s = session("kafka streaming with dbt");
    ok(&mut s, Command::SkipAll);
    ok(&mut s, Command::Edit(QKey::new("stream", "format")));
    answer(&mut s, "json");
    ok(
        &mut s,
        Command::Resolve {
            conflict: "json-with-dbt".into(),
            resolution: "accept".into(),
        },
    );
    assert_eq!(value(&s, "stream.format"), Some(text("json")));
    assert_eq!(s.conflicts()[0].chosen.as_deref(), Some("accept"));
    ok(&mut s, Command::Proceed);
    ok(&mut s, Command::ToReport);
    assert_eq!(s.screen, Screen::Report);
    ok(&mut s, Command::Back);
    ok(&mut s, Command::Back);
    assert_eq!(s.screen, Screen::Review);
    let err = s
        .resolve_conflict("nope", "x", Source::ConflictResolution)
        .expect_err("unknown");
    assert_eq!(err.0, "no conflict rule `nope` in pack mini");
    let err = s
        .resolve_conflict("json-with-dbt", "x", Source::ConflictResolution)
        .expect_err("unknown res");
    assert_eq!(
        err.0,
        "conflict `json-with-dbt` has no resolution `x`: choose one of use-avro, accept"
    );
}

#[test]
fn question_count_follows_conditions_at_current_answers() {
    let mut s = session("kafka streaming");
    assert_eq!(s.question_count(), 7);
    assert_eq!(s.estimated_minutes(), 5);
    s.set_answer(
        &QKey::new("stream", "format"),
        &text("json"),
        Source::CommandLine,
    )
    .expect("ok");
    assert_eq!(s.question_count(), 6);
}

#[test]
fn exclusions_and_requires_any_zero_the_score() {
    let s = session("batch only kafka");
    assert!(s.chain.iter().all(|e| e.id != "stream"));
    let sc = s
        .detection
        .scores
        .iter()
        .find(|x| x.id == "stream")
        .expect("scored");
    assert_eq!(
        (sc.score, sc.excluded_by.as_deref()),
        (0, Some("batch only"))
    );
    let s = session("fix slow query");
    assert!(s.chain.iter().all(|e| e.id != "tune"));
    let s = session("fix slow queries in the database");
    assert!(s.chain.iter().any(|e| e.id == "tune"));
}

#[test]
fn blueprint_confidence_is_hit_weight_over_full_weight() {
    // A two-word goal is capped at 70 % (DESIGN §2: a vague goal is never a sure match).
    let s = session("kafka pipeline");
    let b = &s.detection.blueprints[0];
    assert_eq!(
        (b.hit_weight, b.full_weight, b.confidence, b.offered),
        (8, 8, 70, true)
    );
    let s = session("kafka with dbt");
    let b = &s.detection.blueprints[0];
    assert_eq!((b.hit_weight, b.confidence, b.offered), (5, 62, false));
    assert_eq!(s.detection.offer, None);
}

#[test]
fn review_edit_returns_to_review_after_the_answer() {
    let mut s = session("kafka streaming");
    ok(&mut s, Command::SkipAll);
    assert_eq!(s.screen, Screen::Review);
    ok(&mut s, Command::Edit(QKey::new("base", "scale")));
    assert_eq!(at(&s), "base.scale");
    answer(&mut s, "large");
    assert_eq!(s.screen, Screen::Review);
    ok(&mut s, Command::Edit(QKey::new("stream", "format")));
    answer(&mut s, "json");
    assert_eq!(s.screen, Screen::Review);
    // an edit that reveals a question visits it before returning to review
    ok(&mut s, Command::Edit(QKey::new("stream", "format")));
    answer(&mut s, "avro");
    assert_eq!(at(&s), "stream.registry");
    answer(&mut s, "no");
    assert_eq!(s.screen, Screen::Review);
    let err = s
        .apply(Command::Edit(QKey::new("stream", "nope")))
        .expect_err("unknown");
    assert_eq!(err.0, "stream.nope is not a question of this chain");
}

#[test]
fn skip_on_the_last_question_of_the_last_skill_goes_to_review() {
    let mut s = session("kafka streaming");
    ok(&mut s, Command::Confirm);
    for a in ["aws", "small", "p", "kafka", "avro", "yes"] {
        answer(&mut s, a);
    }
    assert_eq!(at(&s), "stream.partitions");
    ok(&mut s, Command::Skip);
    assert_eq!(s.screen, Screen::Review);
    assert_eq!(value(&s, "stream.partitions"), Some(AnswerValue::Int(6)));
    // back from review returns to that last question
    ok(&mut s, Command::Back);
    assert_eq!(at(&s), "stream.partitions");
}

#[test]
fn back_into_a_skipped_skill_lands_on_its_first_question_not_one_never_seen() {
    let mut s = session("kafka streaming with dbt");
    ok(&mut s, Command::Confirm);
    for a in ["aws", "small", "p"] {
        answer(&mut s, a);
    }
    ok(&mut s, Command::SkipSkill);
    assert_eq!(at(&s), "transform.tool");
    assert_eq!(s.status().steps[1].state, StepState::Skipped);
    ok(&mut s, Command::Back);
    assert_eq!(at(&s), "stream.platform");
    assert_eq!(value(&s, "stream.platform"), Some(text("kafka")));
    assert_eq!(source(&s, "stream.platform"), Some(Source::Default));
    answer(&mut s, "kinesis");
    assert_eq!(at(&s), "stream.format");
    assert_eq!(source(&s, "stream.platform"), Some(Source::Typed));
    // Back again from the skill after it: its last answered question.
    ok(&mut s, Command::SkipSkill);
    assert_eq!(at(&s), "transform.tool");
    assert_eq!(
        s.status().steps[1].state,
        StepState::Partial {
            answered: 1,
            count: 4
        }
    );
    ok(&mut s, Command::Back);
    assert_eq!(at(&s), "stream.platform");
}

#[test]
fn back_from_review_after_done_lands_on_the_last_answered_question_of_the_last_skill() {
    let mut s = session("kafka streaming with dbt");
    ok(&mut s, Command::Confirm);
    for a in ["aws", "small", "p", "kinesis", "json", "3", "sql"] {
        answer(&mut s, a);
    }
    assert_eq!(s.screen, Screen::Review);
    ok(&mut s, Command::Back);
    assert_eq!(at(&s), "transform.tool");
    let mut s = session("kafka streaming with dbt");
    ok(&mut s, Command::Confirm);
    for a in ["aws", "small", "p", "kinesis"] {
        answer(&mut s, a);
    }
    ok(&mut s, Command::Done);
    ok(&mut s, Command::Back);
    // transform took its defaults unseen: its first question, not its last.
    assert_eq!(at(&s), "transform.tool");
    ok(&mut s, Command::Back);
    assert_eq!(at(&s), "stream.platform");
    ok(&mut s, Command::Back);
    assert_eq!(at(&s), "base.name");
}

#[test]
fn status_counts_answered_defaulted_and_remaining_questions() {
    let mut s = session("kafka streaming with dbt");
    ok(&mut s, Command::Confirm);
    answer(&mut s, "gcp");
    ok(&mut s, Command::Accept);
    ok(&mut s, Command::SkipSkill);
    let v = s.status();
    assert_eq!((v.answered, v.defaulted, v.remaining), (2, 1, 6), "{v:?}");
    assert_eq!(
        v.steps[0].state,
        StepState::Partial {
            answered: 2,
            count: 3
        }
    );
    assert_eq!(v.steps[2].state, StepState::Pending);
}

#[test]
fn skip_all_on_the_chain_equals_done_on_the_first_question() {
    let mut a = session("kafka streaming with dbt");
    ok(&mut a, Command::SkipAll);
    let mut b = session("kafka streaming with dbt");
    ok(&mut b, Command::Confirm);
    ok(&mut b, Command::Done);
    assert_eq!(a.screen, Screen::Review);
    assert_eq!(a.resolved(), b.resolved());
    assert!(a.all_visited() && b.all_visited());
}

#[test]
fn commands_that_do_not_belong_on_a_screen_are_refused_without_change() {
    let mut s = session("kafka streaming");
    let err = s
        .apply(Command::Skip)
        .expect_err("no question on the chain screen");
    assert_eq!(err.0, "skip is not available on the chain screen");
    assert_eq!(s.screen, Screen::Chain);
    ok(&mut s, Command::SkipAll);
    let err = s
        .apply(Command::ToReport)
        .expect_err("review goes to the tree first");
    assert_eq!(err.0, "report is not available on the review");
    assert_eq!(s.screen, Screen::Review);
}

/// The bundled pipeline-analysis pack, whose `reading-run-artifacts.artifacts`
/// loads run_results.json and manifest.json from a folder.
fn analysis(goal: &str, edit: impl FnOnce(&mut Pack)) -> Session {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("skillchains/pipeline-analysis");
    let mut pack = load_dir(&dir).expect("pipeline-analysis loads");
    edit(&mut pack);
    let pack = Arc::new(pack);
    let det = detect_in_pack(&pack, &PackIndex::new(&pack), goal);
    Session::new(pack, det, None, Maturity::Intermediate)
}

fn artifacts_key() -> QKey {
    QKey::new("reading-run-artifacts", "artifacts")
}

fn go_to_artifacts(s: &mut Session) {
    ok(s, Command::Confirm);
    while at(s) != "reading-run-artifacts.artifacts" {
        ok(s, Command::Skip);
    }
}

#[test]
fn a_typed_path_whose_files_do_not_load_is_refused_inline_and_not_stored() {
    let mut s = analysis("analyze why the dbt run failed", |_| {});
    go_to_artifacts(&mut s);
    let tmp = tempfile::tempdir().expect("temp dir");
    let gone = tmp.path().join("target").to_string_lossy().into_owned();
    let err = s
        .apply(Command::Answer(gone.clone()))
        .expect_err("no such folder");
    assert_eq!(
        err.0,
        format!("folder not found: {gone}; point it at dbt's target/ folder (the one holding run_results.json and manifest.json)")
    );
    assert_eq!(at(&s), "reading-run-artifacts.artifacts");
    assert!(s.answer(&artifacts_key()).is_none());
    // back still works after a refusal.
    ok(&mut s, Command::Back);
}

#[test]
fn a_loaded_answer_is_in_the_scope_templates_see() {
    let mut s = analysis("analyze why the dbt run failed", |_| {});
    go_to_artifacts(&mut s);
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dbt/artifacts");
    ok(
        &mut s,
        Command::Answer(folder.to_string_lossy().into_owned()),
    );
    let env = crate::expr::base_env();
    let out = crate::expr::render_str(
        &env,
        "{{ loaded.reading_run_artifacts.artifacts['run_results.json'].results | length }} \
         {{ loaded.reading_run_artifacts.artifacts['manifest.json'].parent_map['model.shop.fct_payments'] | join(',') }}",
        &s.scope().to_value(),
    )
    .expect("renders");
    assert_eq!(out, "6 model.shop.stg_orders,model.shop.stg_payments");
    assert!(s.load_errors.is_empty());
}

#[test]
fn a_default_path_that_does_not_load_is_listed_as_a_load_error() {
    let mut s = analysis("analyze why the dbt run failed", |pack| {
        for skill in &mut pack.skills {
            for q in &mut skill.questions {
                if q.load.is_some() {
                    q.default = Some(AnswerValue::Text("no/such/target".into()));
                }
            }
        }
    });
    s.finish_with_defaults();
    assert_eq!(
        s.load_errors,
        vec![(
            artifacts_key(),
            "folder not found: no/such/target; point it at dbt's target/ folder (the one holding run_results.json and manifest.json)".to_string()
        )]
    );
    // validate needs the tree's shape only: it does not read the files.
    s.skip_loads();
    assert!(s.load_errors.is_empty());
}

#[test]
fn a_change_notice_lasts_until_the_next_command_but_survives_overlays() {
    let mut s = session("kafka streaming");
    ok(&mut s, Command::Confirm);
    answer(&mut s, "gcp");
    assert_eq!(s.changes.len(), 1);
    ok(&mut s, Command::Status);
    ok(&mut s, Command::CloseOverlay);
    assert_eq!(s.changes.len(), 1);
    ok(&mut s, Command::Done);
    assert!(s.changes.is_empty());
}
