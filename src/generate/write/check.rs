//! Checking a write before the disk is touched: every item path is safe
//! (inside the output folder, no `.git`, nothing of `.skillchain` but the
//! record), listed once, not both a file and a folder; every existing parent
//! is a real folder (never a link), and each target is absent, a regular
//! file with the same content, or one the caller chose to overwrite.

use std::collections::HashMap;
use std::fs;
use std::io::ErrorKind;
use std::path::Path;

use super::fs::parent_or_dot;
use super::{WriteItem, WriteMode};
use crate::error::Problem;
use crate::generate::paths::{is_git_dir, unsafe_item_path, STATE_DIR};
use crate::textfile::{kind_of, read_bytes_with, Links};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    Unchanged,
    Create,
    Replace,
}

pub(super) struct Planned<'a> {
    /// Index in the caller's items; names the staged file.
    pub index: usize,
    /// Normalised `/`-separated relative path.
    pub rel: String,
    pub segments: Vec<&'a str>,
    pub content: &'a [u8],
    pub action: Action,
}

/// Every reason the items cannot be written, all at once, or the plan.
/// `root` exists (the folder lock created it). `fresh`: `root` holds
/// nothing but `.skillchain` (see [`holds_only_state`]), so every target
/// outside it is absent without looking.
pub(super) fn check<'a>(
    root: &Path,
    items: &'a [WriteItem],
    fresh: bool,
) -> Result<Vec<Planned<'a>>, Vec<Problem>> {
    let mut problems = Vec::new();
    if let Some(seg) = root
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .find(|s| is_git_dir(s))
    {
        problems.push(Problem::new(
            root.display().to_string(),
            format!("the output folder is inside `{seg}`, git's own folder; generated files never go there; choose another output folder"),
        ));
    }

    // Paths that some item needs to be a folder, with the first item needing it.
    let mut folders: HashMap<String, String> = HashMap::new();
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    let mut shaped = Vec::new();
    for (index, item) in items.iter().enumerate() {
        if let Some(why) = unsafe_item_path(&item.path) {
            problems.push(Problem::new(&item.path, why));
            continue;
        }
        // unsafe_path treats `\` as a separator too; split the same way so the
        // check and the write agree on what the path means.
        let segments: Vec<&str> = item.path.split(['/', '\\']).collect();
        let rel = segments.join("/");
        if let Some(first) = first_seen.get(&rel) {
            problems.push(Problem::new(
                &item.path,
                format!(
                    "is listed twice (items {} and {}); each file can be written once",
                    first + 1,
                    index + 1
                ),
            ));
            continue;
        }
        first_seen.insert(rel.clone(), index);
        for depth in 1..segments.len() {
            folders
                .entry(segments[..depth].join("/"))
                .or_insert_with(|| rel.clone());
        }
        shaped.push((index, item, rel, segments));
    }

    let mut plan = Vec::new();
    let mut known = HashMap::new();
    for (index, item, rel, segments) in shaped {
        if let Some(child) = folders.get(&rel) {
            problems.push(Problem::new(
                &item.path,
                format!("is written as a file, but `{child}` needs it to be a folder"),
            ));
            continue;
        }
        let action = match inspect_target(root, &segments, item, &mut known, fresh) {
            Ok(action) => action,
            Err(why) => {
                problems.push(Problem::new(&item.path, why));
                continue;
            }
        };
        plan.push(Planned {
            index,
            rel,
            segments,
            content: &item.content,
            action,
        });
    }

    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(problems)
    }
}

/// What a parent folder was found to be, so that the items sharing it look
/// it up once.
#[derive(Clone, Copy)]
enum Parent {
    Folder,
    Missing,
}

/// What writing `segments` needs to do, or why it must not: every existing parent
/// must be a real folder (never a link), and the target a regular file or absent.
fn inspect_target(
    root: &Path,
    segments: &[&str],
    item: &WriteItem,
    known: &mut HashMap<String, Parent>,
    fresh: bool,
) -> Result<Action, String> {
    if fresh && segments.first() != Some(&STATE_DIR) {
        return unnameable(root, segments).map_or(Ok(Action::Create), Err);
    }
    let mut path = root.to_path_buf();
    for (depth, seg) in segments.iter().enumerate() {
        path.push(seg);
        let shown = segments[..=depth].join("/");
        let is_target = depth + 1 == segments.len();
        if !is_target {
            match known.get(&shown) {
                Some(Parent::Folder) => continue,
                Some(Parent::Missing) => return Ok(Action::Create),
                None => {}
            }
        }
        let meta = match fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            // Nothing below a missing folder can exist either.
            Err(e) if e.kind() == ErrorKind::NotFound => {
                if !is_target {
                    known.insert(shown, Parent::Missing);
                }
                return Ok(Action::Create);
            }
            Err(e) => {
                return Err(format!(
                    "cannot inspect `{shown}`: {e}; {}",
                    super::hint_for(&e, parent_or_dot(&path))
                ))
            }
        };
        if meta.file_type().is_symlink() {
            let where_to = if points_outside(root, &path) {
                "which points outside the output folder"
            } else {
                "and links are never followed"
            };
            return Err(if is_target {
                format!("is a symbolic link, {where_to}; remove the link or choose another path")
            } else {
                format!("passes through the symbolic link `{shown}`, {where_to}; remove the link or choose another path")
            });
        }
        if !is_target {
            if !meta.is_dir() {
                return Err(format!(
                    "needs `{shown}` to be a folder, but it is a {}; move it away or choose another path",
                    kind_of(&meta).unwrap_or("file")
                ));
            }
            known.insert(shown, Parent::Folder);
            continue;
        }
        if meta.is_dir() {
            return Err(
                "is a folder on disk, so a file cannot be written there; move it away or choose another path".to_string(),
            );
        }
        if let Some(kind) = kind_of(&meta) {
            return Err(super::cannot_write_over(kind));
        }
        // Equal sizes are needed before reading; most changed files differ in size.
        let same = if meta.len() == item.content.len() as u64 {
            read_bytes_with(
                &path,
                meta.len(),
                "files in the output folder",
                Links::Refuse,
            )
            .map(|old| old == item.content)
            .map_err(|e| e.reason())
        } else {
            Ok(false)
        };
        return match (same, item.mode) {
            (Ok(true), _) => Ok(Action::Unchanged),
            (Ok(false), WriteMode::Create) => Err(
                "already exists with different content; choose to overwrite or keep it".to_string(),
            ),
            (Err(e), WriteMode::Create) => Err(format!(
                "already exists and cannot be read to compare it: {e}; check permissions on it"
            )),
            // Overwrite was chosen, so an unreadable file is simply replaced.
            (_, WriteMode::Overwrite) => Ok(Action::Replace),
        };
    }
    // `segments` is never empty (unsafe_path refuses empty paths).
    Ok(Action::Create)
}

/// Without looking at the disk, what looking up `segments` would say of a
/// name too long for it (`NAME_MAX`, `PATH_MAX` of Linux): the same
/// refusal as [`inspect_target`] gives after a failed lookup.
fn unnameable(root: &Path, segments: &[&str]) -> Option<String> {
    const NAME_MAX: usize = 255;
    const PATH_MAX: usize = 4096;
    let mut path = root.to_path_buf();
    for (depth, seg) in segments.iter().enumerate() {
        path.push(seg);
        if seg.len() > NAME_MAX || path.as_os_str().len() >= PATH_MAX {
            #[cfg(unix)]
            let e = std::io::Error::from_raw_os_error(libc::ENAMETOOLONG);
            #[cfg(not(unix))]
            let e = std::io::Error::new(ErrorKind::InvalidFilename, "name too long");
            let shown = segments[..=depth].join("/");
            return Some(format!(
                "cannot inspect `{shown}`: {e}; {}",
                super::hint_for(&e, parent_or_dot(&path))
            ));
        }
    }
    None
}

/// Only used to word the message: every link is refused either way.
fn points_outside(root: &Path, link: &Path) -> bool {
    match (fs::canonicalize(root), fs::canonicalize(link)) {
        (Ok(root), Ok(target)) => !target.starts_with(root),
        // A dangling link cannot be placed; call it outside to be safe.
        _ => true,
    }
}

/// True when `root` holds nothing but skillchain's own folder: a fresh
/// output folder (the lock just created it, or it was empty). Its plan
/// needs no look at the disk, and once written its tree is exactly what
/// was written. One short read of the folder; false on any error.
pub(super) fn holds_only_state(root: &Path) -> bool {
    // Name limits are known (see `unnameable`) only for Linux.
    if cfg!(not(target_os = "linux")) {
        return false;
    }
    match fs::read_dir(root) {
        Ok(mut entries) => entries.all(|e| e.is_ok_and(|e| e.file_name() == STATE_DIR)),
        Err(_) => false,
    }
}

/// Folders the changes need that do not exist yet, relative, parents first
/// (in the order the changes first need them). Outside `.skillchain`, a
/// `fresh` folder has none, so nothing is looked up.
pub(super) fn missing_dirs(root: &Path, changes: &[&Planned<'_>], fresh: bool) -> Vec<String> {
    let mut dirs: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in changes {
        for depth in 1..p.segments.len() {
            let dir = p.segments[..depth].join("/");
            if seen.contains(&dir) {
                continue;
            }
            seen.insert(dir.clone());
            // Below a folder to create, every folder is to create too.
            let parent_missing = depth > 1
                && dirs
                    .last()
                    .is_some_and(|last| p.segments[..depth - 1].join("/") == *last);
            let known_missing = fresh && p.segments[0] != STATE_DIR;
            // Anything but an existing entry (missing, or a name too long
            // to look up) is created in apply, where a failure is reported.
            if parent_missing || known_missing || fs::symlink_metadata(root.join(&dir)).is_err() {
                dirs.push(dir);
            }
        }
    }
    dirs
}
