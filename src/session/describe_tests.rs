//! Every provenance reads in words: over every bundled pack, with and without
//! each blueprint, seeded random answers and every conflict resolution, no
//! description (nor a notice of a later answer that moved) shows an id, a
//! question key or an expression.

use super::*;
use crate::pack::{Pack, QuestionKind, Registry};

use super::test_rng::Rng;
use super::walk_tests::full_session as session;

/// A valid value of a choice or yes/no question; other kinds keep their default.
fn pick(q: &Question, rng: &mut Rng) -> Option<AnswerValue> {
    let opt = q.options.get(rng.below(q.options.len()))?.value.clone();
    match q.kind {
        QuestionKind::Choice => Some(AnswerValue::Text(opt)),
        QuestionKind::MultiChoice => Some(AnswerValue::List(vec![opt])),
        QuestionKind::Bool => Some(AnswerValue::Bool(rng.below(2) == 0)),
        _ => None,
    }
}

/// What a description must never show: an expression operator, a question
/// key as expressions name it, or an id followed by a colon.
fn leak(s: &Session, text: &str) -> Option<String> {
    for op in ["==", "!=", " in [", "{{", "}}"] {
        if text.contains(op) {
            return Some(format!("expression operator `{op}`"));
        }
    }
    for st in s.steps() {
        for key in [&st.scope_key, &st.key] {
            if text.contains(&format!("{key}.")) {
                return Some(format!("question key of step `{key}`"));
            }
        }
    }
    for c in &s.pack.manifest.conflicts {
        if text.contains(&format!("{}:", c.id)) || text.contains(&format!("{} ", c.id)) {
            return Some(format!("conflict id `{}`", c.id));
        }
    }
    // `word-word: word` is an id with a colon.
    let parts: Vec<&str> = text.split(": ").collect();
    let id_colon = parts[..parts.len() - 1].iter().any(|part| {
        let last = part.rsplit(' ').next().unwrap_or("");
        last.contains('-')
            && last
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    });
    id_colon.then(|| "id followed by a colon".to_string())
}

#[test]
fn every_provenance_of_every_pack_reads_in_words() {
    let packs: Vec<Arc<Pack>> = Registry::bundled()
        .expect("bundled packs load")
        .packs
        .into_iter()
        .map(Arc::new)
        .collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut checked = 0;
    let mut moved = 0;
    for pack in &packs {
        let mut bps: Vec<Option<String>> = vec![None];
        bps.extend(pack.blueprints.iter().map(|b| Some(b.id.clone())));
        for bp in bps {
            for seed in 1..=6u64 {
                let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
                let mut s = session(pack, bp.clone());
                let _ = s.apply(Command::Confirm);
                for round in 0..3 {
                    let keys: Vec<QKey> = s.applicable().map(|r| r.key.clone()).collect();
                    for key in keys {
                        if (seed + round) % 2 == 0 && rng.below(3) == 0 {
                            continue;
                        }
                        let Some(v) = s.question(&key).and_then(|q| pick(q, &mut rng)) else {
                            continue;
                        };
                        if rng.below(3) == 0 {
                            let before = s.resolved.clone();
                            s.put(key.clone(), v, Provenance::new(Source::Typed));
                            s.refresh();
                            let changes = Session::diff_after(&before, &s.resolved, &[key]);
                            for c in &changes {
                                let text = s.describe_change(c);
                                moved += 1;
                                if let Some(why) = leak(&s, &text) {
                                    panic!(
                                        "pack {} seed {seed}: change reads \"{text}\": {why}",
                                        pack.id()
                                    );
                                }
                            }
                        }
                    }
                }
                for c in s.conflicts() {
                    if let Some((r, _)) = c.resolutions.get(rng.below(c.resolutions.len())) {
                        let _ = s.resolve_conflict(&c.id, r, Source::Typed);
                    }
                }
                for r in s.resolved().iter().filter(|r| r.applicable) {
                    let Some(p) = &r.provenance else { continue };
                    let text = s.describe(p);
                    seen.insert(format!("{:?}", p.source));
                    checked += 1;
                    if let Some(why) = leak(&s, &text) {
                        panic!(
                            "pack {} blueprint {bp:?} seed {seed}: {} reads \"{text}\": {why}",
                            pack.id(),
                            r.key
                        );
                    }
                    assert!(!text.trim().is_empty(), "{}: empty provenance", r.key);
                    match p.source {
                        Source::ConflictResolution => {
                            let (c, res) = p
                                .detail
                                .as_deref()
                                .and_then(|d| d.split_once(": "))
                                .expect("a resolution names its conflict");
                            let rule = s.pack.manifest.conflicts.iter().find(|x| x.id == c);
                            let rule = rule.expect("the conflict is the pack's");
                            let label = &rule.resolutions.iter().find(|x| x.id == res);
                            let label = &label.expect("the resolution is the rule's").label;
                            assert_eq!(text, format!("set by resolving “{}”: {label}", rule.title));
                        }
                        Source::EarlierAnswer => {
                            assert!(text.starts_with("follows "), "{}: {text}", r.key)
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    for kind in [
        "Typed",
        "Blueprint",
        "EarlierAnswer",
        "ConflictResolution",
        "Default",
    ] {
        assert!(
            seen.contains(kind),
            "no {kind} provenance generated: {seen:?}"
        );
    }
    assert!(checked > 1000, "only {checked} provenances checked");
    assert!(moved > 100, "only {moved} moved answers checked");
}

fn mini() -> Session {
    let pack = Registry::bundled()
        .expect("bundled packs load")
        .packs
        .into_iter()
        .next()
        .map(Arc::new)
        .expect("a bundled pack");
    session(&pack, None)
}

#[test]
fn each_kind_reads_as_a_sentence_without_ids() {
    let s = mini();
    // A saved session from before, or a pack that changed: an unknown id
    // still reads in words.
    let cases = [
        (Provenance::new(Source::Typed), "typed"),
        (Provenance::new(Source::Default), "skill default"),
        (Provenance::new(Source::AnswersFile), "answers file"),
        (Provenance::new(Source::CommandLine), "command line"),
        (Provenance::new(Source::SavedSession), "saved session"),
        (Provenance::new(Source::SavedPreference), "saved preference"),
        (
            Provenance::with(Source::GoalKeyword, "bigquery"),
            "goal keyword \"bigquery\"",
        ),
        (
            Provenance::with(Source::GoalKeyword, "goal names events_daily"),
            "your goal names “events_daily”",
        ),
        (
            Provenance::with(Source::ConflictResolution, "gone-rule: gone-fix"),
            "set by resolving a conflict",
        ),
        (
            Provenance::with(Source::Blueprint, "gone-blueprint"),
            "blueprint preset",
        ),
        (
            Provenance::with(Source::EarlierAnswer, "nothing_here.at_all == 'x'"),
            "follows an earlier answer",
        ),
    ];
    for (p, want) in cases {
        assert_eq!(s.describe(&p), want, "{p:?}");
    }
}
