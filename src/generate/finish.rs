//! The last step of a journey, shared by `run` and the interactive modes:
//! write a session's plan all-or-nothing together with its record
//! (`.skillchain/answers.yaml`, `.skillchain/plan.md`), then validate.

use std::collections::BTreeSet;

use super::write::{write_locked_knowing, FolderLock};
use super::{deliverables, FileStatus, Plan, WriteItem, WriteMode, WriteSummary};
use crate::answers;
use crate::error::EngineError;
use crate::handoff;
use crate::session::Session;
use crate::validate::{self, Report};

#[derive(Debug)]
pub struct Finished {
    pub written: WriteSummary,
    pub report: Report,
}

impl Finished {
    /// Files of the tree written (created, overwritten), leaving out the record.
    pub fn counts(&self) -> (usize, usize) {
        let ours = |v: &[String]| v.iter().filter(|p| !p.starts_with(".skillchain/")).count();
        (ours(&self.written.created), ours(&self.written.overwritten))
    }
}

/// Writes every new file, overwrites the conflicting files named in
/// `overwrite` (the others are kept as they are), records the session, and
/// validates the folder against the session's deliverables. What the lock
/// did first about a write a killed process had left is in
/// `written.recovered`, for the caller to say.
pub fn write_and_validate(
    session: &Session,
    plan: &Plan,
    overwrite: &BTreeSet<String>,
) -> Result<Finished, EngineError> {
    let mut lock =
        FolderLock::acquire(&plan.root).map_err(|e| EngineError::Other(e.to_string()))?;
    let recovered = lock.take_recovered();
    let mut done = write_and_validate_locked(&lock, session, plan, overwrite)?;
    done.written.recovered = recovered;
    Ok(done)
}

/// [`write_and_validate`] under the output folder's lock, held by the
/// caller since before it built `plan`.
pub fn write_and_validate_locked(
    lock: &FolderLock,
    session: &Session,
    plan: &Plan,
    overwrite: &BTreeSet<String>,
) -> Result<Finished, EngineError> {
    let delivers = deliverables(session, plan);
    let mut items: Vec<WriteItem> = plan
        .files
        .iter()
        .filter_map(|f| {
            let mode = match f.status {
                FileStatus::New => WriteMode::Create,
                FileStatus::Conflict if overwrite.contains(&f.path) => WriteMode::Overwrite,
                _ => return None,
            };
            Some(WriteItem::new(f.path.clone(), f.content.clone(), mode))
        })
        .collect();
    items.push(WriteItem::new(
        ".skillchain/answers.yaml",
        answers::to_yaml(&answers::from_session(session)),
        WriteMode::Overwrite,
    ));
    items.push(WriteItem::new(
        ".skillchain/plan.md",
        handoff::render(session, plan, &delivers),
        WriteMode::Overwrite,
    ));
    // Every item is on disk exactly as written (created, replaced, or
    // found identical) once the write returns, under the lock: validation
    // need not read it back, nor walk a folder that held nothing else.
    let files = items
        .iter()
        .map(|i| (i.path.as_str(), i.content.as_slice()))
        .collect();
    // The content checks compile while the staged files go to the disk; the
    // tree is validated once every file is in place, while the renames are
    // flushed. Either result counts only if the write succeeds.
    let (written, report) = write_locked_knowing(
        lock,
        &items,
        || validate::compile(&delivers, session.blueprint.as_deref()),
        |compiled, whole| {
            let known = validate::Known { files, whole };
            compiled.and_then(|compiled| {
                validate::validate_session_compiled(
                    &plan.root, &delivers, session, &compiled, &known,
                )
            })
        },
    )
    .map_err(|e| EngineError::Other(e.to_string()))?;
    let report = report?;
    Ok(Finished { written, report })
}

/// The tree written at `root` judged again against the session's answers
/// and maturity as they are now (a maturity switch can move dynamic
/// defaults, and with them which deliverables are required or skipped and
/// why), without writing anything.
pub fn rejudge(session: &Session, root: &std::path::Path) -> Result<Report, EngineError> {
    let plan = super::build_plan(session, root).map_err(|p| EngineError::Other(p.to_string()))?;
    validate::validate_session(root, &deliverables(session, &plan), session)
}

/// What "generate missing" overwrites when the tree `written` was written
/// and `fresh` is planned with the answers as they are now: the files whose
/// content checks fail in a deliverable `report` shows to fix (what the user
/// asked to generate again), and every other file the answers now generate
/// otherwise (a maturity switch moves several) while it is still exactly as
/// written, so the record never holds answers the tree does not reflect.
/// Any other file the user edited is theirs, whatever its skill: it is kept,
/// and the second list names those for the caller to say. Absent files are
/// written anyway.
pub fn missing_overwrites(
    report: &Report,
    written: &Plan,
    fresh: &Plan,
) -> (BTreeSet<String>, Vec<String>) {
    let failing: Vec<globset::GlobMatcher> = report
        .to_fix()
        .flat_map(|d| d.failed_checks.iter())
        .filter_map(|c| {
            globset::GlobBuilder::new(&c.path)
                .literal_separator(true)
                .build()
                .ok()
        })
        .map(|g| g.compile_matcher())
        .collect();
    let was: std::collections::BTreeMap<&str, &str> = written
        .files
        .iter()
        .filter(|f| f.status != FileStatus::Skipped)
        .map(|f| (f.path.as_str(), f.content.as_str()))
        .collect();
    let mut overwrite = BTreeSet::new();
    let mut kept_edited = Vec::new();
    for f in fresh.conflicts() {
        let as_written = matches!(
            (was.get(f.path.as_str()), f.existing.as_deref()),
            (Some(w), Some(disk)) if *w == disk
        );
        if as_written || failing.iter().any(|g| g.is_match(&f.path)) {
            overwrite.insert(f.path.clone());
        } else {
            kept_edited.push(f.path.clone());
        }
    }
    (overwrite, kept_edited)
}

/// The sentence for files "generate missing" kept as the user edited them.
pub fn kept_edited_note(kept: &[String]) -> Option<String> {
    (!kept.is_empty()).then(|| {
        format!(
            "kept as you edited them, though the answers now generate them otherwise: {} (delete one and generate missing again to take the generated version)",
            kept.join(", ")
        )
    })
}
