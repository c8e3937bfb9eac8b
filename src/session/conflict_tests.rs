//! Every resolution of every bundled pack's conflict rules, applied where its
//! conflict holds: it sets exactly the values it states, with provenance
//! "conflict resolution", changes no other explicit answer, ends the
//! conflict when it sets something, and its label names what it sets.

use super::*;
use crate::detect::{build_chain, detect_in_pack, PackIndex, Reason};
use crate::pack::{ConflictRule, Pack, QuestionKind, Registry};
use crate::value;
use std::collections::HashMap;

use super::test_rng::Rng;

fn full_session(pack: &Arc<Pack>) -> Session {
    let det = detect_in_pack(pack, &PackIndex::new(pack), "pipeline");
    let mut s = Session::new(pack.clone(), det, None, Maturity::Intermediate);
    let seeds = pack
        .skills
        .iter()
        .map(|sk| (sk.id.clone(), vec![Reason::Chosen]))
        .collect();
    s.set_chain(build_chain(pack, seeds, &HashMap::new()));
    s
}

/// Answers that make `rule` hold: choice answers drawn mostly from the
/// options its condition names, retried with fresh draws.
fn session_where_it_holds(pack: &Arc<Pack>, rule: &ConflictRule) -> Option<Session> {
    let mut rng = Rng(0x5EED ^ rule.id.len() as u64);
    let base = full_session(pack);
    // Blueprints the condition names (a rule may hold only in a workflow).
    let blueprints: Vec<String> = pack
        .blueprints
        .iter()
        .map(|b| b.id.clone())
        .filter(|id| rule.when.contains(&format!("'{id}'")))
        .collect();
    for _ in 0..200 {
        let mut s = base.clone();
        if !blueprints.is_empty() {
            let chain = s.chain.clone();
            s.set_blueprint(Some(blueprints[rng.below(blueprints.len())].clone()));
            s.set_chain(chain);
        }
        let mut items = Vec::new();
        for step in s.steps() {
            for q in &step.questions {
                let named: Vec<&str> = q
                    .options
                    .iter()
                    .map(|o| o.value.as_str())
                    .filter(|v| rule.when.contains(&format!("'{v}'")))
                    .collect();
                let pick = |rng: &mut Rng| -> String {
                    if !named.is_empty() && rng.below(4) > 0 {
                        named[rng.below(named.len())].to_string()
                    } else {
                        q.options[rng.below(q.options.len())].value.clone()
                    }
                };
                let v = match q.kind {
                    QuestionKind::Choice if !q.options.is_empty() => {
                        AnswerValue::Text(pick(&mut rng))
                    }
                    QuestionKind::MultiChoice if !q.options.is_empty() => {
                        AnswerValue::List(vec![pick(&mut rng), pick(&mut rng)])
                    }
                    QuestionKind::Bool => AnswerValue::Bool(rng.below(2) == 0),
                    // A text the condition names may need to be empty,
                    // equal to another named text (one shared name for
                    // all), or one of the condition's quoted values.
                    QuestionKind::Text | QuestionKind::Path
                        if rule.when.contains(&format!("{}.{}", step.scope_key, q.id))
                            && rng.below(3) > 0 =>
                    {
                        let quoted: Vec<&str> = rule.when.split('\'').skip(1).step_by(2).collect();
                        AnswerValue::Text(match rng.below(3) {
                            0 => String::new(),
                            1 if !quoted.is_empty() => quoted[rng.below(quoted.len())].to_string(),
                            _ => "trip".to_string(),
                        })
                    }
                    _ => continue,
                };
                items.push((QKey::new(&step.key, &q.id), v));
            }
        }
        // Answers whose condition does not hold are refused; the rest stay.
        let _ = s.set_answers(items, Source::AnswersFile);
        s.finish_with_defaults();
        if s.conflicts().iter().any(|c| c.id == rule.id) {
            return Some(s);
        }
    }
    None
}

/// The label names `value` of `q`: by its id, its label, or the
/// explanation in the label's parentheses; a longer word form counts
/// ("incrementally" names `incremental`).
fn names(label: &str, q: &Question, value: &str) -> bool {
    let split = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split(|c: char| !(c.is_alphanumeric() || c == '+'))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let hay = split(label);
    let mut ways = vec![value.to_string()];
    if let Some(o) = q.options.iter().find(|o| o.value == value) {
        let l = o.label();
        ways.push(l.split('(').next().unwrap_or(l).to_string());
        if let Some((_, inner)) = l.split_once('(') {
            ways.push(inner.trim_end_matches(')').to_string());
        }
    }
    let word_ok = |l: &String, w: &String| l == w || (w.len() >= 5 && l.starts_with(w.as_str()));
    ways.iter()
        .map(|w| split(w))
        .filter(|w| !w.is_empty())
        .any(|w| {
            hay.windows(w.len())
                .any(|win| win.iter().zip(&w).all(|(l, w)| word_ok(l, w)))
        })
}

#[test]
fn every_resolution_of_every_pack_sets_exactly_what_it_says() {
    let registry = Registry::bundled().expect("bundled packs load");
    let mut checked = 0;
    for pack in registry.packs.into_iter().map(Arc::new) {
        for rule in &pack.manifest.conflicts {
            let s0 = session_where_it_holds(&pack, rule).unwrap_or_else(|| {
                panic!("{}: no answers found where `{}` holds", pack.id(), rule.id)
            });
            for res in &rule.resolutions {
                let mut s = s0.clone();
                let others: Vec<(QKey, Answer)> = s
                    .answers
                    .iter()
                    .filter(|(k, _)| !res.set.contains_key(&k.to_string()))
                    .map(|(k, a)| (k.clone(), a.clone()))
                    .collect();
                let cmd = Command::Resolve {
                    conflict: rule.id.clone(),
                    resolution: res.id.clone(),
                };
                s.apply(cmd)
                    .unwrap_or_else(|e| panic!("{}: {}/{}: {e}", pack.id(), rule.id, res.id));
                let what = format!("{}: {} → {}", pack.id(), rule.id, res.label);
                for (k, v) in &res.set {
                    let (st, qid) = k.split_once('.').expect("step.question");
                    let key = QKey::new(st, qid);
                    let q = s.question(&key).expect("question in chain").clone();
                    let want = value::check_value(&q, v).expect("value fits");
                    let got = s
                        .answer(&key)
                        .unwrap_or_else(|| panic!("{what}: {k} unset"));
                    assert_eq!(got.value, want, "{what}: {k}");
                    assert_eq!(got.provenance.source, Source::ConflictResolution);
                    let stated: Vec<String> = match &want {
                        AnswerValue::List(items) => items.clone(),
                        AnswerValue::Text(t) => vec![t.clone()],
                        _ => Vec::new(),
                    };
                    for item in stated {
                        assert!(
                            names(&res.label, &q, &item),
                            "{what}: sets {k} to {want}, but the label does not name `{item}`"
                        );
                    }
                }
                // No other explicit answer changed, except announced drops.
                for (k, a) in others {
                    match s.answer(&k) {
                        Some(now) => assert_eq!(now, &a, "{what}: {k} changed"),
                        None => assert!(
                            s.changes
                                .iter()
                                .any(|c| matches!(c, Change::Dropped { key, .. } if key == &k)),
                            "{what}: {k} dropped silently"
                        ),
                    }
                }
                let holds = s.conflicts().iter().any(|c| c.id == rule.id);
                assert_eq!(
                    holds,
                    res.set.is_empty(),
                    "{what}: a resolution that sets values ends its conflict; accept keeps it shown"
                );
                assert!(s
                    .conflicts()
                    .iter()
                    .all(|c| c.id != rule.id || c.chosen.as_deref() == Some(res.id.as_str())));
                checked += 1;
            }
        }
    }
    assert!(checked >= 25, "only {checked} resolutions checked");
}
