use super::*;
use crate::detect::{detect_in_pack, PackIndex};
use crate::pack::load_dir;
use crate::session::{Command, Source};
use std::path::Path;

fn mini_pack() -> Pack {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs/mini");
    load_dir(&dir).expect("mini pack loads")
}

/// The mini pack after `edit`, with its lookup caches rebuilt.
fn edited(edit: impl FnOnce(&mut Pack)) -> Arc<Pack> {
    let mut p = mini_pack();
    edit(&mut p);
    p.by_id = std::sync::OnceLock::new();
    p.detect_index = std::sync::OnceLock::new();
    Arc::new(p)
}

fn session(goal: &str) -> Session {
    let pack = Arc::new(mini_pack());
    let det = detect_in_pack(&pack, &PackIndex::new(&pack), goal);
    Session::new(pack, det, None, Maturity::Intermediate)
}

fn meta() -> SessionMeta {
    SessionMeta {
        id: "s1".to_string(),
        created: 100,
        out: Some(PathBuf::from("/tmp/out")),
    }
}

fn run(s: &mut Session, lines: &[&str]) {
    for l in lines {
        let cmd = match *l {
            "<confirm>" => Command::Confirm,
            "" => Command::Skip,
            other => Command::Answer(other.to_string()),
        };
        s.apply(cmd.clone())
            .unwrap_or_else(|e| panic!("{cmd:?} refused: {e}"));
    }
}

/// Saved, written as JSON and read back, as the store does.
fn through_json(s: &Session) -> SavedSession {
    let text = serde_json::to_string_pretty(&s.to_saved(&meta(), 200)).expect("serialises");
    serde_json::from_str(&text).expect("parses")
}

fn at(s: &Session) -> String {
    match s.current() {
        Some((st, q, _)) => format!("{}.{}", st.key, q.id),
        None => format!("{:?}", s.screen),
    }
}

fn describe(notices: &[RestoreNotice]) -> Vec<String> {
    notices.iter().map(RestoreNotice::describe).collect()
}

fn question_mut<'a>(p: &'a mut Pack, skill: &str, q: &str) -> &'a mut crate::pack::Question {
    p.skills
        .iter_mut()
        .find(|s| s.id == skill)
        .and_then(|s| s.questions.iter_mut().find(|x| x.id == q))
        .expect("question exists")
}

#[test]
fn a_saved_session_restores_every_answer_visit_and_position_with_no_notice() {
    let mut s = session("kafka streaming");
    run(&mut s, &["<confirm>", "gcp", "back"]);
    run(&mut s, &["aws", "", "shop", "kinesis"]);
    s.apply(Command::SkipSkill).expect("skip skill");
    s.apply(Command::Edit(QKey::new("base", "scale")))
        .expect("edit");
    let saved = through_json(&s);
    assert_eq!(saved.skillchain_session, SESSION_FORMAT);
    assert_eq!(saved.chain, ["base", "stream"]);
    assert_eq!(
        saved.position,
        SavedPosition {
            screen: SavedScreen::Question,
            question: Some(QKey::new("base", "scale"))
        }
    );
    let (r, notices) = Session::restore(s.pack().clone(), &saved);
    assert_eq!(notices, []);
    assert_eq!(r.resolved(), s.resolved());
    assert_eq!(r.screen, s.screen);
    assert_eq!(r.status(), s.status());
    assert_eq!(
        r.answer(&QKey::new("base", "name"))
            .map(|a| a.provenance.source),
        Some(Source::Typed)
    );
    // The restored session saves to the same file, and goes on the same way.
    assert_eq!(r.to_saved(&meta(), 200), s.to_saved(&meta(), 200));
    let (mut a, mut b) = (s, r);
    run(&mut a, &["large"]);
    run(&mut b, &["large"]);
    assert_eq!(at(&a), "Review");
    assert_eq!(at(&b), "Review");
    assert_eq!(a.resolved(), b.resolved());
}

#[test]
fn secrets_are_never_saved_and_are_asked_again_before_the_saved_position() {
    let mut s = session("slow query in the warehouse");
    s.apply(Command::Confirm).expect("confirm");
    while at(&s) != "tune.token" {
        s.apply(Command::Skip).expect("skip");
    }
    run(&mut s, &["s3cret-value"]);
    assert_eq!(at(&s), "Review");
    let saved = through_json(&s);
    let text = serde_json::to_string(&saved).expect("serialises");
    assert!(!text.contains("s3cret-value"), "{text}");
    assert_eq!(saved.secrets_to_ask, [QKey::new("tune", "token")]);
    let (mut r, notices) = Session::restore(s.pack().clone(), &saved);
    assert_eq!(
        describe(&notices),
        ["tune.token: secrets are never saved; it is asked again"]
    );
    assert_eq!(at(&r), "tune.token");
    run(&mut r, &["s3cret-value"]);
    assert_eq!(at(&r), "Review");
    assert_eq!(r.resolved(), s.resolved());
}

#[test]
fn a_question_removed_from_the_pack_is_reported_with_the_answer_it_drops() {
    let mut s = session("kafka streaming");
    run(&mut s, &["<confirm>", "", "", "", "", "", "", "12"]);
    let saved = through_json(&s);
    let pack = edited(|p| {
        let stream = p
            .skills
            .iter_mut()
            .find(|s| s.id == "stream")
            .expect("stream");
        stream.questions.retain(|q| q.id != "partitions");
        p.manifest.version = "1.1.0".to_string();
    });
    let (r, notices) = Session::restore(pack, &saved);
    assert_eq!(
        describe(&notices),
        [
            "the pack changed since the save (version 1.0.0 then, 1.1.0 now)",
            "stream.partitions: the question no longer exists; your answer 12 was dropped",
        ]
    );
    assert_eq!(at(&r), "Review");
}

#[test]
fn a_pack_edited_without_a_new_version_says_its_content_changed_not_a_version_change() {
    let mut s = session("kafka streaming");
    run(&mut s, &["<confirm>", "", "", "", "", "", "", "12"]);
    let saved = through_json(&s);
    let pack = edited(|p| {
        let stream = p
            .skills
            .iter_mut()
            .find(|s| s.id == "stream")
            .expect("stream");
        stream.questions.retain(|q| q.id != "partitions");
    });
    let version = pack.manifest.version.clone();
    let (_, notices) = Session::restore(pack, &saved);
    assert_eq!(
        describe(&notices)[0],
        format!("the pack's content changed since the save, under the same version {version}")
    );
}

#[test]
fn an_option_renamed_in_the_pack_is_reported_with_the_likely_new_name_and_the_default_taken() {
    let mut s = session("kafka streaming");
    run(&mut s, &["<confirm>", "", "", "", "kinesis"]);
    let saved = through_json(&s);
    let pack = edited(|p| {
        let q = question_mut(p, "stream", "platform");
        for o in &mut q.options {
            if o.value == "kinesis" {
                o.value = "kinesis-streams".to_string();
            }
        }
    });
    let (r, notices) = Session::restore(pack, &saved);
    assert_eq!(
        describe(&notices)[1..],
        [
            "stream.platform: `kinesis` is no longer an option (renamed to `kinesis-streams`?); \
          the options are kafka, kinesis-streams, pubsub; it takes its default now (kafka)"
        ]
    );
    assert!(r.answer(&QKey::new("stream", "platform")).is_none());
    assert_eq!(at(&r), "stream.format");
}

#[test]
fn a_value_the_rules_no_longer_accept_is_reported_with_the_rule() {
    let mut s = session("kafka streaming");
    run(&mut s, &["<confirm>", "", "", "", "", "", "", "40"]);
    let saved = through_json(&s);
    let pack = edited(|p| question_mut(p, "stream", "partitions").validate.max = Some(32.0));
    let (_, notices) = Session::restore(pack, &saved);
    assert_eq!(
        describe(&notices)[1..],
        ["stream.partitions: your answer 40 is no longer accepted (40 is not a whole number from 1 to 32); \
          it takes its default now (6)"]
    );
}

#[test]
fn a_skill_removed_from_the_pack_leaves_the_chain_with_notices_for_its_answers() {
    let mut s = session("kafka streaming with dbt");
    run(&mut s, &["<confirm>", "", "", "", "", "", "", "", "sql"]);
    assert_eq!(at(&s), "Review");
    let saved = through_json(&s);
    let pack = edited(|p| p.skills.retain(|s| s.id != "transform"));
    let (r, notices) = Session::restore(pack, &saved);
    assert_eq!(
        describe(&notices)[1..],
        [
            "skill transform is no longer in the pack; it left the chain",
            "transform.tool: the question no longer exists; your answer sql was dropped",
        ]
    );
    let chain: Vec<&str> = r.chain.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(chain, ["base", "stream"]);
    assert_eq!(at(&r), "Review");
}

#[test]
fn a_condition_that_no_longer_holds_is_reported_and_its_answer_not_used() {
    let mut s = session("kafka streaming");
    run(&mut s, &["<confirm>", "", "", "", "", "", "no"]);
    assert_eq!(at(&s), "stream.partitions");
    let saved = through_json(&s);
    let pack = edited(|p| {
        question_mut(p, "stream", "registry").when = Some("stream.format == 'json'".to_string())
    });
    let (r, notices) = Session::restore(pack, &saved);
    assert_eq!(
        describe(&notices)[1..],
        ["stream.registry: no longer asked with these answers; your answer no is not used"]
    );
    assert_eq!(at(&r), "stream.partitions");
}

#[test]
fn a_saved_position_that_no_longer_exists_moves_to_the_next_unanswered_question() {
    let mut s = session("kafka streaming");
    run(&mut s, &["<confirm>", "", "", "", ""]);
    assert_eq!(at(&s), "stream.format");
    let saved = through_json(&s);
    let pack = edited(|p| {
        let stream = p
            .skills
            .iter_mut()
            .find(|s| s.id == "stream")
            .expect("stream");
        stream.questions.retain(|q| q.id != "format");
        question_mut(p, "stream", "registry").when = None;
    });
    let (r, notices) = Session::restore(pack, &saved);
    assert_eq!(
        describe(&notices)[1..],
        ["you were at question stream.format, which no longer exists; continuing at question stream.registry"]
    );
    assert_eq!(at(&r), "stream.registry");
}

#[test]
fn a_removed_blueprint_and_a_removed_resolution_are_reported() {
    let pack = Arc::new(mini_pack());
    let det = detect_in_pack(&pack, &PackIndex::new(&pack), "kafka pipeline with dbt");
    let offer = det.offer.clone();
    assert_eq!(offer.as_deref(), Some("pipe"));
    let mut s = Session::new(pack, det, offer, Maturity::Intermediate);
    s.apply(Command::Confirm).expect("confirm");
    run(&mut s, &["team"]);
    while at(&s) != "stream.format" {
        s.apply(Command::Skip).expect("skip");
    }
    run(&mut s, &["json"]);
    s.apply(Command::Done).expect("done");
    s.apply(Command::Resolve {
        conflict: "json-with-dbt".to_string(),
        resolution: "accept".to_string(),
    })
    .expect("resolve");
    let saved = through_json(&s);
    assert_eq!(saved.blueprint.as_deref(), Some("pipe"));
    let pack = edited(|p| {
        p.blueprints.clear();
        for c in &mut p.manifest.conflicts {
            c.resolutions.retain(|r| r.id != "accept");
        }
    });
    let (r, notices) = Session::restore(pack, &saved);
    assert_eq!(
        describe(&notices)[1..],
        [
            "blueprint pipe is no longer in the pack; continuing without it",
            "blueprint.size: the question no longer exists; your answer team was dropped",
            "conflict json-with-dbt: resolution accept no longer exists; choose again on the review",
        ]
    );
    assert_eq!(r.blueprint, None);
    assert_eq!(r.conflicts()[0].chosen, None);
    let chain: Vec<&str> = r.chain.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(chain, ["base", "stream", "transform"]);
}

#[test]
fn a_skill_the_pack_now_depends_on_joins_the_chain_with_a_notice() {
    let mut s = session("kafka streaming");
    run(&mut s, &["<confirm>", "gcp"]);
    let saved = through_json(&s);
    let pack = edited(|p| {
        let stream = p
            .skills
            .iter_mut()
            .find(|s| s.id == "stream")
            .expect("stream");
        stream.dependencies.hard.push("transform".to_string());
        stream.tier = crate::pack::Tier::Integration;
    });
    let (r, notices) = Session::restore(pack, &saved);
    assert_eq!(
        describe(&notices)[1..],
        ["skill transform joined the chain (dependency of stream)"]
    );
    assert_eq!(at(&r), "base.scale");
    assert_eq!(
        r.answer(&QKey::new("base", "cloud"))
            .map(|a| a.value.clone()),
        Some(AnswerValue::Text("gcp".to_string()))
    );
}

#[test]
fn an_unchanged_pack_has_the_same_fingerprint_and_an_edited_one_another() {
    let a = pack_fingerprint(&mini_pack());
    assert_eq!(a, pack_fingerprint(&mini_pack()));
    assert_eq!(a.len(), 16);
    let b = pack_fingerprint(&edited(|p| p.skills[0].title.push('!')));
    assert_ne!(a, b);
}

#[test]
fn restarting_with_the_answers_as_defaults_clears_answers_and_offers_them_as_saved_session() {
    let mut s = session("kafka streaming");
    run(&mut s, &["<confirm>", "gcp", "", "shop"]);
    let fresh = s.restart_with_answers_as_defaults();
    assert_eq!(fresh.screen, Screen::Chain);
    assert_eq!(fresh.chain.len(), s.chain.len());
    let name = QKey::new("base", "name");
    assert!(fresh.answer(&name).is_none());
    let r = fresh
        .resolved()
        .iter()
        .find(|r| r.key == name)
        .expect("asked");
    assert_eq!(r.value, Some(AnswerValue::Text("shop".to_string())));
    assert_eq!(
        r.provenance.as_ref().map(|p| p.source),
        Some(Source::SavedSession)
    );
    // A skipped question was no answer: it keeps its ordinary default.
    let scale = fresh
        .resolved()
        .iter()
        .find(|r| r.key == QKey::new("base", "scale"))
        .expect("asked");
    assert_eq!(
        scale.provenance.as_ref().map(|p| p.source),
        Some(Source::Default)
    );
}

#[test]
fn every_restore_notice_names_what_still_exists_in_words() {
    let s = session("kafka pipeline with dbt");
    let was = AnswerValue::Text("x".to_string());
    let conflict = s.pack().manifest.conflicts.first().map(|c| c.id.clone());
    for (si, st) in s.steps().iter().enumerate() {
        for q in &st.questions {
            let key = QKey::new(&st.key, &q.id);
            let prompt = format!("“{}”", q.prompt.trim_end_matches('?'));
            let notices = [
                RestoreNotice::OptionRemoved {
                    key: key.clone(),
                    was: was.clone(),
                    options: vec!["a".to_string()],
                    renamed_to: None,
                    now: None,
                },
                RestoreNotice::ValueInvalid {
                    key: key.clone(),
                    was: was.clone(),
                    reason: "too long".to_string(),
                    now: None,
                },
                RestoreNotice::NoLongerAsked {
                    key: key.clone(),
                    was: was.clone(),
                },
                RestoreNotice::SecretAskedAgain { key: key.clone() },
            ];
            for n in notices {
                let text = n.describe_for(&s);
                assert!(text.starts_with(&prompt), "step {si}: {text}");
                assert!(!text.contains(&key.to_string()), "{text}");
            }
        }
        let added = RestoreNotice::SkillAdded {
            skill: st.key.clone(),
            why: "required".to_string(),
        }
        .describe_for(&s);
        assert_eq!(
            added,
            format!("skill “{}” joined the chain (required)", st.title)
        );
    }
    // What the pack no longer has keeps its id: there is nothing else to call it.
    let gone = QKey::new("base", "no-such-question");
    let text = RestoreNotice::QuestionRemoved {
        key: gone,
        was: was.clone(),
    }
    .describe_for(&s);
    assert_eq!(
        text,
        "base.no-such-question: the question no longer exists; your answer x was dropped"
    );
    if let Some(id) = conflict {
        let title = &s.pack().manifest.conflicts[0].title;
        let text = RestoreNotice::ResolutionRemoved {
            conflict: id,
            resolution: "old".to_string(),
        }
        .describe_for(&s);
        assert!(text.starts_with(&format!("conflict “{title}”: ")), "{text}");
    }
}
