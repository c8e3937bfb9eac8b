//! Building a complete session without a terminal: from a goal, an answers
//! file, `--blueprint`, `--skills`, `--set` and `--defaults`. Every answer is
//! checked exactly as the app checks a typed one, and every problem is
//! reported at once.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::answers::{self, AnswersFile};
use crate::detect::{self, chain_for_with, detect_in_pack, PackDetection, Reason};
use crate::error::{Problem, Problems};
use crate::pack::Pack;
use crate::pack::{Maturity, Registry};
use crate::session::{QKey, Session, Source};
use crate::value::AnswerValue;

#[derive(Debug, Default, Clone)]
pub struct Request {
    pub goal: Option<String>,
    /// Use this pack instead of the best-scoring one.
    pub pack: Option<String>,
    /// (where it came from, parsed file)
    pub answers: Option<(String, AnswersFile)>,
    pub blueprint: Option<String>,
    /// `none` turns blueprints off.
    pub no_blueprint: bool,
    pub skills: Option<Vec<String>>,
    pub maturity: Option<Maturity>,
    /// `skill.question=value` from the command line.
    pub sets: Vec<String>,
    /// `conflict=resolution` from the command line.
    pub resolves: Vec<String>,
    /// Unanswered questions take their defaults (otherwise each is a problem).
    pub defaults: bool,
    /// Do not read the files of `load:` answers (`validate` only needs the
    /// tree's shape).
    pub skip_loads: bool,
    /// Saved preferences of the pack (vetted): defaults with provenance
    /// "saved preference"; every explicit answer wins over them.
    pub preferences: BTreeMap<QKey, AnswerValue>,
    /// The detection [`pick`] chose `pack` with, when a caller picked the
    /// pack first: `prepare` builds on it instead of detecting again.
    pub detection: Option<PackDetection>,
}

fn problems(context: &str, list: Vec<Problem>) -> Problems {
    Problems {
        context: context.to_string(),
        problems: list,
    }
}

fn goal_of(req: &Request) -> Result<String, Problems> {
    match (&req.goal, req.answers.as_ref().map(|(_, f)| f)) {
        (Some(g), _) => Ok(g.clone()),
        (None, Some(f)) => Ok(f.goal.clone()),
        (None, None) => Err(problems(
            "run",
            vec![Problem::new("", "give a GOAL or --answers FILE")],
        )),
    }
}

/// The pack a request runs in: the answers file's, `--pack`, or the
/// detected one. Callers use it to load that pack's preferences first.
pub fn pick_pack(registry: &Registry, req: &Request) -> Result<Pack, Problems> {
    pick(registry, req).map(|(pack, _)| pack)
}

/// [`pick_pack`], with the detection that chose the pack when detection
/// did: `run` then builds on exactly what `detect` shows (words another
/// pack's phrase takes, a close call that withholds the blueprint).
pub fn pick(registry: &Registry, req: &Request) -> Result<(Pack, Option<PackDetection>), Problems> {
    let goal = goal_of(req)?;
    let file = req.answers.as_ref().map(|(_, f)| f);
    let origin = req
        .answers
        .as_ref()
        .map(|(o, _)| o.as_str())
        .unwrap_or("answers");
    if let Some(id) = &req.pack {
        if registry.get(id).is_none() {
            return Err(problems(
                "--pack",
                vec![unknown_pack(registry, id, "--pack")],
            ));
        }
    }
    let mut detected = None;
    let pack = match file {
        Some(f) => match registry.get(&f.pack) {
            Some(p) => p.clone(),
            None => {
                let loc = format!("{origin}: pack");
                return Err(problems(
                    "answers",
                    vec![unknown_pack(registry, &f.pack, &loc)],
                ));
            }
        },
        None if req.pack.is_some() => match req.pack.as_deref().and_then(|id| registry.get(id)) {
            Some(p) => p.clone(),
            None => {
                return Err(problems(
                    "--pack",
                    vec![Problem::new("--pack", "unknown pack")],
                ))
            }
        },
        None => match detect::detect(registry, &goal) {
            Ok(d) => match registry.get(&d.inner.pack) {
                Some(p) => {
                    detected = Some(d.inner);
                    p.clone()
                }
                None => {
                    return Err(problems(
                        "detect",
                        vec![Problem::new("", "detected pack vanished")],
                    ))
                }
            },
            Err(no) => return Err(problems("goal", vec![Problem::new("", no.to_string())])),
        },
    };
    Ok((pack, detected))
}

/// A session on the review screen with every answer set, or every problem.
pub fn prepare(registry: &Registry, req: &Request) -> Result<Session, Problems> {
    // One journey per process: what the pack decodes for it stays to the end.
    crate::pack::decode_for_the_process();
    let goal = goal_of(req)?;
    let file = req.answers.as_ref().map(|(_, f)| f);
    let origin = req
        .answers
        .as_ref()
        .map(|(o, _)| o.as_str())
        .unwrap_or("answers");
    let (pack, detected) = pick(registry, req)?;
    let mut list = Vec::new();
    let pack = Arc::new(pack);
    let det = detected
        .or_else(|| {
            req.detection
                .clone()
                .filter(|d| d.pack == pack.manifest.id && d.goal == goal)
        })
        .unwrap_or_else(|| detect_in_pack(&pack, pack.detect_index(), &goal));
    // On the other core meanwhile: the heap the session, plan and write
    // grow into is mapped, and what the plan and the validation read next
    // is decoded (the pack's templates, the detected chain's outputs and
    // checks, the offered blueprint's deliverables). Each is a OnceLock: a
    // thread that needs one first decodes it or waits for it.
    // Only when detection decides the chain and the blueprint: otherwise
    // the session may not read them.
    let detected = req.skills.is_none()
        && req.blueprint.is_none()
        && !req.no_blueprint
        && file.is_none_or(|f| f.skills.is_none() && f.blueprint.is_none());
    let shared = Arc::clone(&pack);
    let (chain, offer): (Vec<String>, Option<String>) = if detected {
        let chain = det.chain.iter().map(|e| e.id.clone()).collect();
        (chain, det.offer.clone())
    } else {
        (Vec::new(), None)
    };
    crate::arena::ahead::journey(move || {
        let _ = shared.templates.len();
        for skill in chain.iter().filter_map(|id| shared.skill(id)) {
            let _ = (skill.outputs.len(), skill.checks.len());
        }
        if let Some(b) = offer.as_deref().and_then(|b| shared.blueprint(b)) {
            let _ = b.deliverables.len();
        }
    });

    // Blueprint: --blueprint > the file's choice > --skills means none > the offer.
    let blueprint = if req.no_blueprint {
        None
    } else if let Some(b) = &req.blueprint {
        if pack.blueprint(b).is_none() {
            let mut msg = format!("pack {} has no blueprint `{b}`", pack.id());
            msg.push_str(&crate::suggest::hint(
                b,
                pack.blueprints.iter().map(|x| x.id.as_str()),
            ));
            list.push(Problem::new("--blueprint", msg));
            None
        } else {
            Some(b.clone())
        }
    } else if let Some(choice) = file.and_then(|f| f.blueprint.clone()) {
        match choice {
            Some(b) if pack.blueprint(&b).is_none() => {
                list.push(Problem::new(
                    format!("{origin}: blueprint"),
                    format!("pack {} has no blueprint `{b}`", pack.id()),
                ));
                None
            }
            other => other,
        }
    } else if req.skills.is_some() {
        None
    } else {
        det.offer.clone()
    };
    let maturity = req
        .maturity
        .or(file.and_then(|f| f.maturity))
        .unwrap_or_default();
    let mut session = Session::new(pack.clone(), det.clone(), blueprint, maturity);
    if !req.preferences.is_empty() {
        session.set_preferences(req.preferences.clone());
    }
    if req.skip_loads {
        session.skip_loads();
    }

    // Chain: --skills > the file's skills > detection/blueprint.
    let skills = req
        .skills
        .clone()
        .or_else(|| file.and_then(|f| f.skills.clone()));
    if let Some(ids) = skills {
        let mut ok = Vec::new();
        for id in ids {
            if pack.skill(&id).is_some() {
                ok.push(id);
            } else {
                let mut msg = format!("`{id}` is not a skill of pack {}", pack.id());
                msg.push_str(&crate::suggest::hint(
                    &id,
                    pack.skills.iter().map(|s| s.id.as_str()),
                ));
                list.push(Problem::new("skills", msg));
            }
        }
        let scores: HashMap<&str, u32> = det
            .scores
            .iter()
            .map(|s| (s.id.as_str(), s.score))
            .collect();
        let mut chain = chain_for_with(&pack, &ok, Reason::Chosen, &scores, &det.pull());
        // Keep what detection knew about why each skill is there.
        for e in &mut chain {
            if let Some(d) = session.chain.iter().find(|d| d.id == e.id) {
                if e.reasons == vec![Reason::Chosen] {
                    e.reasons = d.reasons.clone();
                }
            }
        }
        session.set_chain(chain);
        if req.skills.is_some() {
            // A chain named on the command line is asked whole.
            session.set_answers_only(&[]);
        }
    }
    if let Some(f) = file.filter(|f| f.skills.is_none() && !f.answers_only.is_empty()) {
        let _ = f;
        list.push(Problem::new(
            format!("{origin}: answers_only"),
            "needs `skills:`, the chain it is part of; add it or remove answers_only".to_string(),
        ));
    }
    // An answers file says which skills of its chain only gave their
    // answers (none when it does not say: older files wrote them all).
    if let Some(f) = file.filter(|f| req.skills.is_none() && f.skills.is_some()) {
        for id in &f.answers_only {
            if !session.chain.iter().any(|e| &e.id == id) {
                list.push(Problem::new(
                    format!("{origin}: answers_only"),
                    format!("`{id}` is not in the chain; list only skills of `skills:`"),
                ));
            }
        }
        session.set_answers_only(&f.answers_only);
    }

    if let Some(f) = file {
        list.extend(answers::apply(&mut session, f, origin));
    }
    let mut sets = Vec::new();
    for s in &req.sets {
        match s.split_once('=') {
            Some((k, v)) => match k.split_once('.') {
                Some((step, q)) => sets.push((QKey::new(step.trim(), q.trim()), v.to_string())),
                None => list.push(Problem::new(
                    "--set",
                    format!(
                        "`{}` must be `skill-id.question-id`",
                        crate::limits::shown(k)
                    ),
                )),
            },
            None => list.push(Problem::new(
                "--set",
                format!(
                    "`{}` must be `skill-id.question-id=value`",
                    crate::limits::shown(s)
                ),
            )),
        }
    }
    let mut typed = Vec::new();
    for (key, raw) in sets {
        match session.question(&key) {
            Some(q) => match crate::value::parse_input(q, &raw) {
                Ok(v) => typed.push((key, v)),
                Err(e) => list.push(Problem::new(format!("--set {key}"), e)),
            },
            None => list.push(Problem::new(
                format!("--set {key}"),
                "not a question of this chain",
            )),
        }
    }
    for (key, msg) in session.set_answers(typed, Source::CommandLine) {
        list.push(Problem::new(format!("--set {key}"), msg));
    }

    if !req.defaults {
        for r in session.resolved().iter().filter(|r| r.applicable) {
            let suffix = format!("answers.{}", r.key);
            let reported = list.iter().any(|p| p.location.ends_with(&suffix));
            // Answers files never hold secrets: on replay they take their
            // defaults, as the file's header says.
            let secret = session
                .question(&r.key)
                .is_some_and(|q| q.kind == crate::pack::QuestionKind::Secret);
            if session.answer(&r.key).is_none() && !reported && !(secret && file.is_some()) {
                let prompt = session
                    .question(&r.key)
                    .map(|q| q.prompt.clone())
                    .unwrap_or_default();
                list.push(Problem::new(
                    format!("answers.{}", r.key),
                    format!("no answer for \"{prompt}\"; add it to the answers file, or pass --defaults to take defaults"),
                ));
            }
        }
    }
    session.finish_with_defaults();
    for key in session.unanswered_required() {
        let (prompt, secret) = session
            .question(&key)
            .map(|q| {
                (
                    q.prompt.clone(),
                    q.kind == crate::pack::QuestionKind::Secret,
                )
            })
            .unwrap_or_default();
        let msg = if secret {
            format!("\"{prompt}\" is a secret without a default, and secrets are never written to answers files; give it with --set {key}=VALUE")
        } else {
            format!("\"{prompt}\" needs an answer (it has no default)")
        };
        list.push(Problem::new(format!("answers.{key}"), msg));
    }
    for (key, e) in &session.load_errors {
        list.push(Problem::new(format!("answers.{key}"), e.clone()));
    }
    for e in &session.eval_errors {
        list.push(Problem::new("pack", e.clone()));
    }

    // Conflicts: resolved from the command line, else from the file.
    let (from_line, mut bad) = command_line_resolutions(&session, &req.resolves);
    list.append(&mut bad);
    let from_file = file.map(|f| f.resolutions.clone()).unwrap_or_default();
    for c in session.conflicts() {
        if c.chosen.is_some() {
            continue;
        }
        let chosen = match from_line.get(&c.id) {
            Some(r) => Some((r, Source::CommandLine, format!("--resolve {}", c.id))),
            None => from_file.get(&c.id).map(|r| {
                (
                    r,
                    Source::AnswersFile,
                    format!("{origin}: resolutions.{}", c.id),
                )
            }),
        };
        match chosen {
            Some((r, source, place)) => {
                if let Err(e) = session.resolve_conflict(&c.id, r, source) {
                    list.push(Problem::new(place, e.0));
                }
            }
            None => {
                let options: Vec<String> = c
                    .resolutions
                    .iter()
                    .map(|(id, label)| format!("{id} ({label})"))
                    .collect();
                let first = c
                    .resolutions
                    .first()
                    .map(|(id, _)| id.as_str())
                    .unwrap_or("CHOICE");
                list.push(Problem::new(
                    format!("conflict {}", c.id),
                    format!(
                        "{}: {} Choose one of: {}; pass `--resolve {}={first}`, or add `resolutions: {{{}: <choice>}}` to the answers file",
                        c.title,
                        c.message,
                        options.join(", "),
                        c.id,
                        c.id
                    ),
                ));
            }
        }
    }
    if list.is_empty() {
        Ok(session)
    } else {
        Err(problems("nothing was written", list))
    }
}

/// `--resolve conflict=choice` pairs, each naming a conflict rule of the
/// pack (whether or not this session's answers raise it).
fn command_line_resolutions(
    session: &Session,
    resolves: &[String],
) -> (BTreeMap<String, String>, Vec<Problem>) {
    let mut chosen = BTreeMap::new();
    let mut problems = Vec::new();
    let rules = &session.pack().manifest.conflicts;
    for r in resolves {
        let Some((id, choice)) = r.split_once('=') else {
            problems.push(Problem::new(
                "--resolve",
                format!(
                    "`{}` must be `conflict-id=resolution-id`",
                    crate::limits::shown(r)
                ),
            ));
            continue;
        };
        let (id, choice) = (id.trim(), choice.trim());
        if rules.iter().any(|c| c.id == id) {
            chosen.insert(id.to_string(), choice.to_string());
        } else {
            let mut msg = format!(
                "pack {} has no conflict rule `{}`",
                session.pack().id(),
                crate::limits::shown(id)
            );
            msg.push_str(&crate::suggest::hint(
                id,
                rules.iter().map(|c| c.id.as_str()),
            ));
            problems.push(Problem::new(
                format!("--resolve {}", crate::limits::shown(id)),
                msg,
            ));
        }
    }
    (chosen, problems)
}

fn unknown_pack(registry: &Registry, id: &str, location: &str) -> Problem {
    let mut msg = format!("pack `{id}` is not installed");
    msg.push_str(&crate::suggest::hint(
        id,
        registry.packs.iter().map(|p| p.manifest.id.as_str()),
    ));
    msg.push_str("; `skillchain list` shows the packs, --skillchains DIR adds one");
    Problem::new(location, msg)
}
