//! `skillchain validate DIR`: re-check a generated folder, e.g. after edits.

use std::path::Path;

use super::{print_json, refuse, Style};
use crate::answers;
use crate::error::{EngineError, Problem};
use crate::generate::{self, build_plan};
use crate::headless::{prepare, Request};
use crate::pack::{Maturity, Registry};
use crate::validate;

pub fn run(
    registry: &Registry,
    dir: &Path,
    blueprint: Option<&str>,
    maturity: Option<Maturity>,
    json: bool,
    st: Style,
) -> Result<u8, EngineError> {
    if !dir.is_dir() {
        return Err(refuse(
            "validate",
            vec![Problem::new(
                dir.display().to_string(),
                "no such folder; pass the folder that `skillchain run --out` wrote",
            )],
        ));
    }
    super::run::report_recovery(dir)?;
    let record = dir.join(".skillchain/answers.yaml");
    let mut decisions = Vec::new();
    // Anything at the record's name is read (and refused with what it is,
    // if not a file), never taken for a missing record.
    let (deliverables, maturity, bp_name, chain) = if std::fs::symlink_metadata(&record).is_ok() {
        let origin = record.display().to_string();
        let file = answers::read(&record).map_err(|p| refuse("validate", vec![p]))?;
        let req = Request {
            answers: Some((origin, file)),
            defaults: true,
            blueprint: blueprint.map(str::to_string),
            maturity,
            skip_loads: true,
            ..Request::default()
        };
        let session = prepare(registry, &req)?;
        let plan = build_plan(&session, dir)?;
        let deliverables = generate::deliverables(&session, &plan);
        decisions = validate::decide(&deliverables, session.scope())?;
        (
            deliverables,
            session.maturity,
            session.blueprint.clone(),
            Some(session.writing_chain()),
        )
    } else {
        let Some(b) = blueprint else {
            return Err(refuse(
                "validate",
                vec![Problem::new(
                    dir.display().to_string(),
                    "has no .skillchain/answers.yaml; pass --blueprint B (or PACK/B) to say what to check (`skillchain list` shows blueprints)",
                )],
            ));
        };
        let (pack_id, bp_id) = match b.split_once('/') {
            Some((p, x)) => (Some(p), x),
            None => (None, b),
        };
        let found: Vec<_> = registry
            .packs
            .iter()
            .filter(|p| pack_id.is_none_or(|id| p.manifest.id == id))
            .filter_map(|p| p.blueprint(bp_id).map(|bp| (p, bp)))
            .collect();
        match found.as_slice() {
            [(_, bp)] => (
                bp.deliverables.to_vec(),
                maturity.unwrap_or_default(),
                Some(bp.id.clone()),
                None,
            ),
            [] => {
                let all = registry
                    .packs
                    .iter()
                    .flat_map(|p| p.blueprints.iter().map(|b| b.id.as_str()));
                let mut msg = format!("no blueprint `{b}`");
                msg.push_str(&crate::suggest::hint(bp_id, all));
                return Err(refuse("validate", vec![Problem::new("--blueprint", msg)]));
            }
            many => {
                let names: Vec<String> = many
                    .iter()
                    .map(|(p, bp)| format!("{}/{}", p.manifest.id, bp.id))
                    .collect();
                return Err(refuse(
                    "validate",
                    vec![Problem::new(
                        "--blueprint",
                        format!(
                            "`{b}` is in several packs; name one of {}",
                            names.join(", ")
                        ),
                    )],
                ));
            }
        }
    };
    let report = validate::validate_decided(
        dir,
        &deliverables,
        maturity,
        bp_name.as_deref(),
        chain.as_deref(),
        &decisions,
    )?;
    if json {
        print_json(&report)?;
    } else {
        print!("{}", validate::render_text(&report, st.color));
    }
    Ok(if report.pass { 0 } else { 1 })
}
