//! Seeded random walks over the state machine of every bundled pack:
//! answer, accept, skip, skip skill, back, done, edit from review and
//! conflict resolutions in random order, checking after every command that
//! no explicit answer is lost or changed except by the person changing it or
//! by its condition becoming false (announced), that accepting a shown
//! value never records "typed", and that back never lands on a question the
//! person has not seen.

use super::*;
use crate::detect::{build_chain, detect_in_pack, PackIndex, Reason};
use crate::pack::{Pack, QuestionKind, Registry};
use std::collections::HashMap;

use super::test_rng::Rng;

fn packs() -> Vec<Arc<Pack>> {
    Registry::bundled()
        .expect("bundled packs load")
        .packs
        .into_iter()
        .map(Arc::new)
        .collect()
}

/// A session over every skill of `pack`, with a blueprint when `bp` is set.
pub(super) fn full_session(pack: &Arc<Pack>, bp: Option<String>) -> Session {
    let det = detect_in_pack(pack, &PackIndex::new(pack), "pipeline");
    let mut s = Session::new(pack.clone(), det, bp.clone(), Maturity::Intermediate);
    if bp.is_none() {
        let seeds = pack
            .skills
            .iter()
            .map(|sk| (sk.id.clone(), vec![Reason::Chosen]))
            .collect();
        s.set_chain(build_chain(pack, seeds, &HashMap::new()));
    }
    s
}

/// A value for `q` that is usually valid, sometimes not (refusals must
/// change nothing either).
fn random_input(q: &Question, rng: &mut Rng) -> Command {
    let opt = |rng: &mut Rng| {
        q.options
            .get(rng.below(q.options.len()))
            .map(|o| o.value.clone())
            .unwrap_or_default()
    };
    match q.kind {
        QuestionKind::Choice => Command::AnswerValue(AnswerValue::Text(opt(rng))),
        QuestionKind::MultiChoice => {
            let picked: Vec<String> = q
                .options
                .iter()
                .filter(|_| rng.chance(40))
                .map(|o| o.value.clone())
                .collect();
            Command::AnswerValue(AnswerValue::List(picked))
        }
        QuestionKind::Bool => Command::AnswerValue(AnswerValue::Bool(rng.chance(50))),
        QuestionKind::Integer | QuestionKind::Number => {
            let lo = q.validate.min.unwrap_or(0.0) as i64;
            let hi = q.validate.max.unwrap_or(lo as f64 + 100.0) as i64;
            let n = lo + rng.below((hi - lo + 1).max(1) as usize) as i64;
            Command::Answer(n.to_string())
        }
        _ => {
            let words = ["orders", "events_raw", "x", "daily sales", "a.b", ""];
            Command::Answer(words[rng.below(words.len())].to_string())
        }
    }
}

/// The explicit answers the person gave, as the model of the walk.
type Given = BTreeMap<QKey, AnswerValue>;

fn same(a: &AnswerValue, b: &AnswerValue) -> bool {
    match (a, b) {
        (AnswerValue::List(x), AnswerValue::List(y)) => {
            let (mut x, mut y) = (x.clone(), y.clone());
            x.sort();
            y.sort();
            x == y
        }
        _ => a == b,
    }
}

fn shown(s: &Session, key: &QKey) -> Option<(AnswerValue, Provenance)> {
    s.resolved()
        .iter()
        .find(|r| &r.key == key)
        .and_then(|r| Some((r.value.clone()?, r.provenance.clone()?)))
}

/// Picks the next command for the screen the session is on.
pub(super) fn pick(s: &Session, rng: &mut Rng) -> Command {
    match s.screen {
        Screen::Chain => Command::Confirm,
        Screen::Customize => Command::FinishCustomize,
        Screen::Question { .. } => {
            let Some((_, q, _)) = s.current() else {
                return Command::Back;
            };
            match rng.below(100) {
                0..=39 => random_input(q, rng),
                40..=54 => Command::Accept,
                55..=62 => Command::Skip,
                63..=72 => Command::SkipSkill,
                73..=87 => Command::Back,
                88..=91 => Command::Done,
                92..=93 => Command::Status,
                94..=95 => Command::Restart,
                _ => {
                    // The value shown, picked again: accepting, not typing.
                    let r = s
                        .resolved()
                        .iter()
                        .find(|r| Some(&r.key) == s.current().map(|c| &c.2.key));
                    match r.and_then(|r| r.value.clone()) {
                        Some(v) => Command::AnswerValue(v),
                        None => Command::Accept,
                    }
                }
            }
        }
        Screen::Review => {
            let conflicts = s.conflicts();
            let keys: Vec<QKey> = s.applicable().map(|r| r.key.clone()).collect();
            match rng.below(10) {
                0..=3 if !keys.is_empty() => Command::Edit(keys[rng.below(keys.len())].clone()),
                4..=6 if !conflicts.is_empty() => {
                    let c = &conflicts[rng.below(conflicts.len())];
                    let (r, _) = &c.resolutions[rng.below(c.resolutions.len())];
                    Command::Resolve {
                        conflict: c.id.clone(),
                        resolution: r.clone(),
                    }
                }
                7 => Command::Back,
                _ => Command::Proceed,
            }
        }
        Screen::Tree => Command::Back,
        Screen::Report => Command::Back,
    }
}

/// Runs one command and checks every invariant; updates the model.
fn step(s: &mut Session, given: &mut Given, cmd: Command, trace: &str) {
    let on = s.current().map(|(_, _, r)| r.key.clone());
    let before_shown = on.as_ref().and_then(|k| shown(s, k));
    let before_answer = on.as_ref().and_then(|k| s.answer(k).cloned());
    let ok = s.apply(cmd.clone()).is_ok();
    if s.pending.is_some() {
        // Restart asks first: confirm it, and the person cleared everything.
        s.apply(Command::ConfirmYes).expect("restart confirms");
        given.clear();
        return;
    }
    if ok {
        match (&cmd, &on) {
            (Command::AnswerValue(v), Some(k))
                if before_shown.as_ref().is_some_and(|(b, _)| same(b, v)) =>
            {
                assert_eq!(
                    s.answer(k).cloned(),
                    before_answer,
                    "{trace}: picking the value shown for {k} is accepting it, not typing"
                );
            }
            (Command::Answer(_) | Command::AnswerValue(_), Some(k)) => {
                match (s.answer(k), &before_shown) {
                    // Text that parses to the shown value: accepted as it stands.
                    (_, Some((v, p)))
                        if shown(s, k).is_some_and(|(nv, np)| same(&nv, v) && &np == p) =>
                    {
                        assert_eq!(
                            s.answer(k).cloned(),
                            before_answer,
                            "{trace}: re-entering the shown value of {k} changed its answer"
                        );
                    }
                    (Some(a), _) => {
                        assert_eq!(a.provenance.source, Source::Typed, "{trace}");
                        given.insert(k.clone(), a.value.clone());
                    }
                    (None, _) => panic!("{trace}: {cmd:?} on {k} stored nothing"),
                }
            }
            (Command::Accept, Some(k)) => {
                assert_eq!(
                    s.answer(k).cloned(),
                    before_answer,
                    "{trace}: accepting {k} changed its answer"
                );
            }
            (Command::Skip, Some(k)) => {
                given.remove(k);
            }
            (
                Command::Resolve {
                    conflict,
                    resolution,
                },
                _,
            ) => {
                let rule = s
                    .pack()
                    .manifest
                    .conflicts
                    .iter()
                    .find(|c| &c.id == conflict)
                    .cloned()
                    .expect("rule exists");
                let res = rule
                    .resolutions
                    .iter()
                    .find(|r| &r.id == resolution)
                    .expect("resolution exists");
                for k in res.set.keys() {
                    let (st, q) = k.split_once('.').expect("step.question");
                    let key = QKey::new(st, q);
                    let a = s.answer(&key).expect("a resolution's value is kept");
                    given.insert(key, a.value.clone());
                }
            }
            _ => {}
        }
    }
    // No explicit answer lost or changed, unless its condition stopped
    // holding and the change list says so.
    let dropped: Vec<QKey> = given
        .iter()
        .filter_map(|(k, v)| match s.answer(k) {
            Some(a) => {
                assert!(
                    same(&a.value, v),
                    "{trace}: {k} was {v}, is now {} ({:?})",
                    a.value,
                    a.provenance
                );
                None
            }
            None => {
                let applicable = s.resolved().iter().any(|r| &r.key == k && r.applicable);
                assert!(!applicable, "{trace}: the answer {v} of {k} was lost");
                assert!(
                    s.changes
                        .iter()
                        .any(|c| matches!(c, Change::Dropped { key, .. } if key == k)),
                    "{trace}: {k} ({v}) was dropped without a notice; changes: {:?}",
                    s.changes
                );
                Some(k.clone())
            }
        })
        .collect();
    for k in dropped {
        given.remove(&k);
    }
    // Back lands on a question the person has seen, or a skill's first.
    if matches!(cmd, Command::Back) && ok {
        if let Some((_, _, r)) = s.current() {
            let first_of_step = s
                .resolved()
                .iter()
                .find(|x| x.step == r.step && x.applicable)
                .is_some_and(|x| x.key == r.key);
            assert!(
                first_of_step || !s.defaulted.contains(&r.key),
                "{trace}: back landed on {}, which took its default unseen",
                r.key
            );
        }
    }
    // Partly answered skills say so.
    let v = s.status();
    for st in &v.steps {
        if !matches!(st.state, StepState::Current { .. })
            && st.answered > 0
            && st.answered < st.questions
        {
            assert_eq!(
                st.state,
                StepState::Partial {
                    answered: st.answered,
                    count: st.questions
                },
                "{trace}: {}",
                st.key
            );
        }
    }
}

fn walk(pack: &Arc<Pack>, seed: u64, steps: usize) {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let bp = if rng.chance(30) {
        pack.blueprints
            .get(rng.below(pack.blueprints.len()))
            .map(|b| b.id.clone())
    } else {
        None
    };
    let mut s = full_session(pack, bp);
    let mut given = Given::new();
    let mut trace = format!("pack {} seed {seed}", pack.id());
    for i in 0..steps {
        let cmd = pick(&s, &mut rng);
        let at = s
            .current()
            .map(|(_, _, r)| r.key.to_string())
            .unwrap_or_else(|| format!("{:?}", s.screen));
        if trace.len() < 4000 {
            trace.push_str(&format!("\n  {i}: at {at}: {cmd:?}"));
        }
        step(&mut s, &mut given, cmd, &trace);
    }
}

#[test]
fn random_walks_over_every_pack_never_lose_an_explicit_answer() {
    let runs: u64 = std::env::var("SKILLCHAIN_WALKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    // One thread per pack: the walks are independent.
    std::thread::scope(|scope| {
        for pack in packs() {
            scope.spawn(move || {
                for seed in 0..runs {
                    walk(&pack, seed, 80);
                }
            });
        }
    });
}

#[test]
fn refusals_say_what_is_expected_once_for_every_question_of_every_pack() {
    let hostile = [
        "mars",
        "-1",
        "1e999",
        "99999999999",
        "maybe",
        "  ",
        "a,b,zz",
        "\u{0}",
        "ünïcödé",
        "0",
        "Not A Valid Name!",
    ];
    for pack in packs() {
        let mut s = full_session(&pack, None);
        s.apply(Command::Confirm).expect("questions start");
        while let Some((_, q, r)) = s.current() {
            let (q, key) = (q.clone(), r.key.clone());
            let options = q
                .options
                .iter()
                .map(|o| o.value.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let text_like = matches!(
                q.kind,
                QuestionKind::Text
                    | QuestionKind::Multiline
                    | QuestionKind::Secret
                    | QuestionKind::Path
            );
            for input in hostile {
                // Most words are valid text: only the ones that can fail.
                if text_like && !["  ", "\u{0}", "Not A Valid Name!", "0"].contains(&input) {
                    continue;
                }
                let mut t = s.clone();
                let Err(e) = t.apply(Command::Answer(input.to_string())) else {
                    continue;
                };
                let m = e.0;
                let at = format!("{}: {key} ← {input:?}: {m}", pack.id());
                assert!(!m.trim().is_empty(), "{at}");
                assert!(!m.contains(": expected"), "{at}");
                assert!(
                    !m.ends_with(": text") && !m.ends_with(": expected text"),
                    "{at}"
                );
                if !options.is_empty() {
                    assert!(m.matches(&options).count() <= 1, "{at}");
                }
                for debug in ["Text(", "Int(", "List(", "QKey", "Some(", "\")"] {
                    assert!(!m.contains(debug), "{at}");
                }
                assert_eq!(t.screen, s.screen, "{at}");
                assert_eq!(t.resolved(), s.resolved(), "{at}");
            }
            s.apply(Command::Accept).expect("accept");
        }
        // Commands that do not belong to a screen are named in words.
        for cmd in [
            Command::Skip,
            Command::ToReport,
            Command::Edit(QKey::new("a", "b")),
        ] {
            let mut t = full_session(&pack, None);
            let e = t.apply(cmd).expect_err("not on the chain screen");
            assert!(
                e.0.ends_with("is not available on the chain screen"),
                "{}",
                e.0
            );
            assert!(!e.0.contains('('), "{}", e.0);
        }
    }
}
