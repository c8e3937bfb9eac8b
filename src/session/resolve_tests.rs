//! Answer resolution against the full computation it replaced: every
//! expression compiled at each evaluation and the whole expression context
//! rebuilt for each conditional question, as before it was made incremental.
//! Generated sessions over every bundled pack (seeded random goals,
//! blueprints, customized chains, preferences, bulk answers and walks with
//! skips) must resolve exactly as that computation does after every
//! command, and end in the states recorded in `resolve_digests.txt` by the
//! code before the change (record again with `SKILLCHAIN_RECORD_DIGESTS=1`
//! only when a behaviour is meant to change).

use super::generated::{digest, generated_session, state_of};
use super::*;
use crate::pack::{Pack, QuestionKind, Registry};
use crate::value;

/// Generated sessions per pack in the recorded table.
const SEEDS: u64 = 16;

/// Sessions per pack compared with the full computation:
/// `SKILLCHAIN_RESOLVE_SEEDS=2000` for a long sweep.
fn sweep_seeds() -> u64 {
    std::env::var("SKILLCHAIN_RESOLVE_SEEDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(SEEDS)
}
const TABLE: &str = "src/session/resolve_digests.txt";

fn packs() -> Vec<Arc<Pack>> {
    Registry::bundled()
        .expect("bundled packs load")
        .packs
        .into_iter()
        .map(Arc::new)
        .collect()
}

/// The default of `q` as the full computation found it.
fn reference_default(
    s: &Session,
    env: &minijinja::Environment<'static>,
    step: &Step,
    q: &Question,
    key: &QKey,
    ctx: &minijinja::Value,
    errors: &mut Vec<String>,
) -> (AnswerValue, Provenance) {
    if let Some(v) = s.session_defaults.get(key) {
        if let Ok(v) = value::check_value(q, v) {
            return (v, Provenance::new(Source::SavedSession));
        }
    }
    if let Some(v) = s.preferences.get(key) {
        if let Ok(v) = value::check_value(q, v) {
            return (v, Provenance::new(Source::SavedPreference));
        }
    }
    if step.key != "blueprint" {
        if let Some(b) = s.blueprint.as_deref().and_then(|i| s.pack.blueprint(i)) {
            if let Some(v) = b.presets.get(&key.to_string()) {
                if let Ok(v) = value::check_value(q, v) {
                    return (v, Provenance::with(Source::Blueprint, b.id.clone()));
                }
            }
        }
    }
    let goal_words = crate::text::normalise(&s.goal);
    for sd in &q.smart_defaults {
        if let Some(p) = sd
            .goal
            .iter()
            .find(|p| crate::text::Phrase::new(p).is_in(&goal_words))
        {
            if let Ok(v) = value::check_value(q, &sd.value) {
                return (v, Provenance::with(Source::GoalKeyword, p.clone()));
            }
        }
        if let Some(w) = &sd.when {
            match expr::eval_bool(env, w, ctx) {
                Ok(true) => {
                    if let Ok(v) = value::check_value(q, &sd.value) {
                        return (v, Provenance::with(Source::EarlierAnswer, w.clone()));
                    }
                }
                Ok(false) => {}
                Err(e) => errors.push(format!("{key}: {e}")),
            }
        }
    }
    if let Some(name) = crate::detect::names::default_for(&s.detection.names, q) {
        if let Ok(v) = value::check_value(q, &AnswerValue::Text(name.clone())) {
            return (
                v,
                Provenance::with(Source::GoalKeyword, format!("goal names {name}")),
            );
        }
    }
    match &q.default {
        Some(d) => match value::check_value(q, d) {
            Ok(v) => (v, Provenance::new(Source::Default)),
            Err(_) => (
                AnswerValue::empty_for(q.kind),
                Provenance::new(Source::Default),
            ),
        },
        None => (
            AnswerValue::empty_for(q.kind),
            Provenance::new(Source::Default),
        ),
    }
}

/// What the full computation gives.
struct Reference {
    resolved: Vec<Resolved>,
    /// As text: a scope has no equality.
    scope: String,
    errors: Vec<String>,
    load_errors: Vec<(QKey, String)>,
}

/// The full computation.
fn reference(s: &Session) -> Reference {
    let env = expr::base_env();
    let mut scope = Scope::for_pack(&s.pack, &s.goal);
    scope.maturity = Some(s.maturity);
    scope.chain = s.writing_chain();
    scope.blueprint_id = s.blueprint.clone();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut load_errors = Vec::new();
    for (si, step) in s.steps.iter().enumerate() {
        for (qi, q) in step.questions.iter().enumerate() {
            let key = QKey::new(&step.key, &q.id);
            let ctx = scope.to_value();
            let applicable = match &q.when {
                None => true,
                Some(w) => match expr::eval_bool(&env, w, &ctx) {
                    Ok(b) => b,
                    Err(e) => {
                        errors.push(format!("{key}: {e}"));
                        false
                    }
                },
            };
            if !applicable {
                out.push(Resolved {
                    step: si,
                    question: qi,
                    key,
                    applicable,
                    value: None,
                    provenance: None,
                });
                continue;
            }
            let (value, provenance) = match s.answers.get(&key) {
                Some(a) => (a.value.clone(), a.provenance.clone()),
                None => reference_default(s, &env, step, q, &key, &ctx, &mut errors),
            };
            if q.kind != QuestionKind::Secret {
                scope.set(&step.scope_key, &q.id, value.clone());
            }
            if let (Some(spec), AnswerValue::Text(path)) = (&q.load, &value) {
                if s.read_loads && !path.trim().is_empty() {
                    match s.loads.get(spec, path) {
                        Ok(content) => {
                            scope
                                .loaded
                                .entry(step.scope_key.clone())
                                .or_default()
                                .insert(q.id.clone(), content);
                        }
                        Err(e) => load_errors.push((key.clone(), e)),
                    }
                }
            }
            out.push(Resolved {
                step: si,
                question: qi,
                key,
                applicable,
                value: Some(value),
                provenance: Some(provenance),
            });
        }
    }
    Reference {
        resolved: out,
        scope: format!("{scope:?}"),
        errors,
        load_errors,
    }
}

#[test]
fn resolution_matches_the_full_computation_after_every_command() {
    for pack in packs() {
        for seed in 0..sweep_seeds() {
            generated_session(&pack, seed, &mut |s, what| {
                let Reference {
                    resolved,
                    scope,
                    errors,
                    load_errors,
                } = reference(s);
                let trace = format!("pack {} seed {seed} after {what}", pack.id());
                assert_eq!(s.resolved, resolved, "{trace}");
                assert_eq!(format!("{:?}", s.scope), scope, "{trace}");
                assert_eq!(s.eval_errors, errors, "{trace}");
                assert_eq!(s.load_errors, load_errors, "{trace}");
                // A finished resolution drops every answer whose question
                // stopped applying.
                for r in s.resolved.iter().filter(|r| !r.applicable) {
                    assert!(
                        !s.answers.contains_key(&r.key) && !s.visited.contains(&r.key),
                        "{trace}: {} kept although it does not apply",
                        r.key
                    );
                }
            });
        }
    }
}

#[test]
fn generated_sessions_end_as_recorded() {
    let mut table = String::new();
    for pack in packs() {
        for seed in 0..SEEDS {
            let mut text = String::new();
            generated_session(&pack, seed, &mut |s, what| {
                text.push_str(what);
                text.push('\n');
                text.push_str(&state_of(s));
            });
            table.push_str(&format!("{} {seed} {}\n", pack.id(), digest(&text)));
        }
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(TABLE);
    if std::env::var_os("SKILLCHAIN_RECORD_DIGESTS").is_some() {
        std::fs::write(&path, &table).expect("digest table written");
        return;
    }
    let recorded = std::fs::read_to_string(&path).expect("digest table exists");
    for (got, want) in table.lines().zip(recorded.lines()) {
        assert_eq!(got, want, "a generated session ended in another state");
    }
    assert_eq!(table.lines().count(), recorded.lines().count());
}
