//! Seeded generated sessions over every bundled pack, for the tests that
//! compare answer resolution and rendering with a recorded digest table:
//! a random goal, blueprint or none, maturity, customized chain, saved
//! preferences, bulk answers (some invalid or not applicable), a random walk
//! of commands (answers, skips, skip skill, back, done, restart, edits and
//! conflict resolutions from review) and, at the end, the defaults.

use super::test_rng::Rng;
use super::walk_tests::pick;
use super::*;
use crate::detect::{detect_in_pack, PackIndex};
use crate::pack::{Pack, QuestionKind};

/// A value for `q`: usually valid, sometimes not (a refusal or a problem
/// must come out the same too).
fn random_value(q: &Question, rng: &mut Rng) -> AnswerValue {
    let opt = |rng: &mut Rng| {
        q.options
            .get(rng.below(q.options.len()))
            .map(|o| o.value.clone())
            .unwrap_or_else(|| "unknown".to_string())
    };
    match q.kind {
        QuestionKind::Choice => AnswerValue::Text(opt(rng)),
        QuestionKind::MultiChoice => AnswerValue::List(
            q.options
                .iter()
                .filter(|_| rng.chance(40))
                .map(|o| o.value.clone())
                .collect(),
        ),
        QuestionKind::Bool => AnswerValue::Bool(rng.chance(50)),
        QuestionKind::Integer | QuestionKind::Number => {
            let lo = q.validate.min.unwrap_or(0.0) as i64;
            let hi = q.validate.max.unwrap_or(lo as f64 + 100.0) as i64;
            let n = lo - 1 + rng.below((hi - lo + 3).max(1) as usize) as i64;
            AnswerValue::Text(n.to_string())
        }
        _ => {
            let words = [
                "orders",
                "events_raw",
                "x",
                "daily sales",
                "a.b",
                "",
                "ü-名",
            ];
            AnswerValue::Text(words[rng.below(words.len())].to_string())
        }
    }
}

/// Random questions of the session's steps (and a few that do not exist)
/// with random values.
fn random_answers(s: &Session, rng: &mut Rng, percent: u64) -> Vec<(QKey, AnswerValue)> {
    let mut out = Vec::new();
    for st in s.steps() {
        for q in &st.questions {
            if rng.chance(percent) {
                out.push((QKey::new(&st.key, &q.id), random_value(q, rng)));
            }
        }
    }
    if rng.chance(20) {
        out.push((QKey::new("no-such-step", "x"), AnswerValue::Bool(true)));
    }
    out
}

/// Words of the pack's keywords and smart-default phrases, for goals that
/// detect different chains and trigger goal-keyword defaults.
fn goal_words(pack: &Pack) -> Vec<String> {
    let mut words = vec!["pipeline".to_string()];
    for sk in &pack.skills {
        words.extend(sk.keywords.primary.iter().cloned());
        words.extend(sk.keywords.secondary.iter().take(3).cloned());
        for q in sk.questions.iter() {
            for sd in &q.smart_defaults {
                words.extend(sd.goal.iter().cloned());
            }
        }
    }
    words
}

/// Builds and drives one generated session; `log` sees it after every step.
pub(crate) fn generated_session(
    pack: &Arc<Pack>,
    seed: u64,
    log: &mut dyn FnMut(&Session, &str),
) -> Session {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let words = goal_words(pack);
    let goal: Vec<String> = (0..1 + rng.below(5))
        .map(|_| words[rng.below(words.len())].clone())
        .collect();
    let goal = goal.join(" ");
    let det = detect_in_pack(pack, &PackIndex::new(pack), &goal);
    let bps: Vec<String> = pack.blueprints.iter().map(|b| b.id.clone()).collect();
    let bp = match rng.below(bps.len() + 2) {
        i if i < bps.len() => Some(bps[i].clone()),
        i if i == bps.len() => det.offer.clone(),
        _ => None,
    };
    let maturity = Maturity::ALL[rng.below(Maturity::ALL.len())];
    let mut s = Session::new(pack.clone(), det, bp, maturity);
    log(&s, "new");
    if rng.chance(50) {
        let _ = s.apply(Command::Customize);
        for _ in 0..rng.below(5) {
            let id = pack.skills[rng.below(pack.skills.len())].id.clone();
            let _ = s.apply(Command::ToggleSkill(id));
            log(&s, "toggle");
        }
        let _ = s.apply(Command::FinishCustomize);
    }
    if rng.chance(20) {
        let _ = s.apply(Command::UseBlueprint(rng.chance(50)));
        log(&s, "blueprint");
    }
    if rng.chance(30) {
        let prefs = random_answers(&s, &mut rng, 30).into_iter().collect();
        s.set_preferences(prefs);
        log(&s, "preferences");
    }
    if rng.chance(30) {
        let defaults = random_answers(&s, &mut rng, 20).into_iter().collect();
        s.set_session_defaults(defaults);
        log(&s, "session defaults");
    }
    if rng.chance(60) {
        let items = random_answers(&s, &mut rng, 40);
        let problems = s.set_answers(items, Source::AnswersFile);
        log(&s, &format!("set_answers {problems:?}"));
    }
    if rng.chance(30) {
        let problems = s.set_answers(Vec::new(), Source::CommandLine);
        log(&s, &format!("set_answers none {problems:?}"));
    }
    let _ = s.apply(Command::Confirm);
    for _ in 0..rng.below(40) {
        let cmd = if rng.chance(3) {
            Command::SetMaturity(Maturity::ALL[rng.below(Maturity::ALL.len())])
        } else {
            pick(&s, &mut rng)
        };
        let r = s.apply(cmd.clone());
        if s.pending.is_some() {
            let _ = s.apply(Command::ConfirmYes);
        }
        log(&s, &format!("{cmd:?} {r:?}"));
    }
    s.finish_with_defaults();
    log(&s, "finish");
    s
}

/// Everything a command can change that a person or a later step sees.
pub(crate) fn state_of(s: &Session) -> String {
    format!(
        "screen {:?}\nerror {:?}\nchanges {:?}\nchain {:?}\nsteps {:?}\nresolved {:?}\nscope {:?}\neval {:?}\nload {:?}\nanswers {:?}\nvisited {:?}\ndefaulted {:?}\nskipped {:?}\nresolutions {:?}\nconflicts {:?}\n",
        s.screen,
        s.error,
        s.changes,
        s.chain.iter().map(|e| &e.id).collect::<Vec<_>>(),
        s.steps.iter().map(|st| &st.key).collect::<Vec<_>>(),
        s.resolved,
        s.scope,
        s.eval_errors,
        s.load_errors,
        s.answers,
        s.visited,
        s.defaulted,
        s.skipped_steps,
        s.chosen_resolutions,
        s.conflicts(),
    )
}

/// A short stable digest of `text` (SHA-256, first 16 hex digits).
pub(crate) fn digest(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(text.as_bytes());
    hash.iter().take(8).map(|b| format!("{b:02x}")).collect()
}
