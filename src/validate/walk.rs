//! The one walk of a project tree that validation needs: every file and
//! folder under the root, relative and `/`-separated, sorted so that
//! everything under a folder is one contiguous run; then the sizes of the
//! files that matter, read in parallel.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::EngineError;

/// Folders that belong to tools, not to the project: skillchain's own state
/// (answers, plan, session) and git's object store. Skipped at any depth so a
/// project nested inside another one is not polluted by either.
pub const SKIPPED_FOLDERS: [&str; 2] = [".skillchain", ".git"];

/// File names that only exist to keep an empty folder in version control.
/// They never count as a deliverable, whatever their size.
pub const PLACEHOLDER_NAMES: [&str; 3] = [".gitkeep", ".keep", ".placeholder"];

#[derive(Debug)]
pub(crate) struct Entry {
    /// Relative to the root, `/`-separated.
    pub rel: String,
    pub path: PathBuf,
    pub is_dir: bool,
    pub placeholder: bool,
    /// Known for links (resolved during the walk) and for files measured by
    /// [`Tree::measure`]; `None` for files no glob asked about.
    pub size: Option<u64>,
}

impl Entry {
    /// A non-empty file that is not a placeholder: the only kind of file
    /// that can fulfil a deliverable. Only meaningful once measured.
    pub fn is_real(&self) -> bool {
        !self.is_dir && !self.placeholder && self.size.is_some_and(|s| s > 0)
    }

    /// A file that could be real once measured.
    pub fn is_candidate(&self) -> bool {
        !self.is_dir && !self.placeholder && self.size != Some(0)
    }
}

#[derive(Debug)]
pub(crate) struct Tree {
    /// Sorted by `rel`, so the entries under `dir/` form one run.
    pub entries: Vec<Entry>,
    /// Parts of the tree that could not be seen; a deliverable behind them
    /// would look missing, so the report says why.
    pub warnings: Vec<String>,
}

/// Below this many files, starting threads costs more than it saves.
const PARALLEL_MEASURE_MIN: usize = 4096;

impl Tree {
    /// Indices of the files anywhere under the folder `dir` that could be
    /// real (not placeholders, not links known to be empty).
    pub fn candidates_under(&self, dir: &str) -> impl Iterator<Item = usize> + '_ {
        let prefix = format!("{dir}/");
        let start = self
            .entries
            .partition_point(|e| e.rel.as_str() < prefix.as_str());
        self.entries[start..]
            .iter()
            .take_while(move |e| e.rel.starts_with(&prefix))
            .enumerate()
            .filter(|(_, e)| e.is_candidate())
            .map(move |(i, _)| start + i)
    }

    /// Reads the size of each entry in `needed` (indices, sorted, unique)
    /// that is not known yet. Sizes are read only for files some glob
    /// matched: on a large tree, one `stat` per file costs more than the
    /// whole rest of validation. Spread over the available cores.
    pub fn measure(&mut self, needed: &[usize]) {
        let todo: Vec<usize> = needed
            .iter()
            .copied()
            .filter(|&i| self.entries[i].size.is_none() && !self.entries[i].is_dir)
            .collect();
        // Asking for the core count reads cgroup files: only worth it when
        // the threads could pay off.
        let threads = if todo.len() < PARALLEL_MEASURE_MIN {
            1
        } else {
            std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(8)
        };
        let sizes: Vec<std::io::Result<u64>> = if threads < 2 {
            todo.iter()
                .map(|&i| file_size(&self.entries[i].path))
                .collect()
        } else {
            let entries = &self.entries;
            let chunk = todo.len().div_ceil(threads);
            std::thread::scope(|scope| {
                let handles: Vec<_> = todo
                    .chunks(chunk)
                    .map(|part| {
                        let run = move || -> Vec<std::io::Result<u64>> {
                            part.iter().map(|&i| file_size(&entries[i].path)).collect()
                        };
                        (part, std::thread::Builder::new().spawn_scoped(scope, run))
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|(part, handle)| {
                        // A thread that could not start (or died) leaves its
                        // share to this one rather than failing the report.
                        match handle.ok().and_then(|h| h.join().ok()) {
                            Some(sizes) => sizes,
                            None => part.iter().map(|&i| file_size(&entries[i].path)).collect(),
                        }
                    })
                    .collect()
            })
        };
        for (&i, size) in todo.iter().zip(sizes) {
            match size {
                Ok(size) => self.entries[i].size = Some(size),
                Err(err) => {
                    let rel = &self.entries[i].rel;
                    self.warnings.push(format!("could not read `{rel}`: {err}"));
                    // Unreadable counts as absent.
                    self.entries[i].size = Some(0);
                }
            }
        }
        self.warnings.sort();
    }
}

fn file_size(path: &Path) -> std::io::Result<u64> {
    std::fs::symlink_metadata(path).map(|m| m.len())
}

/// Walks `root` once. Links are never followed into folders (that is how
/// walks loop or escape); a link to a file counts only when the file it
/// points to is inside the root.
pub(crate) fn walk(root: &Path) -> Result<Tree, EngineError> {
    check_root(root)?;
    let mut entries = Vec::new();
    let mut warnings = Vec::new();
    // Canonicalised only when a link shows up: most trees have none.
    let mut canonical_root: Option<PathBuf> = None;

    let walker = WalkDir::new(root)
        .follow_links(false)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| {
            !(e.file_type().is_dir()
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| SKIPPED_FOLDERS.contains(&n)))
        });

    for item in walker {
        let entry = match item {
            Ok(entry) => entry,
            Err(err) => {
                let at = err
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| ".".to_string());
                warnings.push(format!("could not read `{at}`: {}", io_reason(&err)));
                continue;
            }
        };
        let rel = relative(root, entry.path());
        let file_type = entry.file_type();
        if file_type.is_dir() {
            entries.push(Entry {
                rel,
                path: entry.into_path(),
                is_dir: true,
                placeholder: false,
                size: None,
            });
            continue;
        }
        // A FIFO, socket or device is never opened (it can block forever)
        // and never counts as a deliverable.
        if !file_type.is_file() && !file_type.is_symlink() {
            let kind = std::fs::symlink_metadata(entry.path())
                .ok()
                .as_ref()
                .and_then(crate::textfile::kind_of)
                .unwrap_or("special file");
            warnings.push(format!(
                "`{rel}` {}; not counted",
                crate::textfile::not_regular(kind)
            ));
            continue;
        }
        // Regular files are measured later, and only if a glob asks.
        let size = if file_type.is_symlink() {
            let canonical = match &canonical_root {
                Some(c) => c.clone(),
                None => {
                    let c = root.canonicalize().map_err(|e| EngineError::io(root, e))?;
                    canonical_root = Some(c.clone());
                    c
                }
            };
            match linked_file_size(entry.path(), &canonical) {
                Ok(size) => Some(size),
                Err(why) => {
                    warnings.push(format!("`{rel}` {why}; not counted"));
                    continue;
                }
            }
        } else {
            None
        };
        let placeholder = entry
            .file_name()
            .to_str()
            .is_some_and(|n| PLACEHOLDER_NAMES.contains(&n));
        entries.push(Entry {
            rel,
            path: entry.into_path(),
            is_dir: false,
            placeholder,
            size,
        });
    }
    entries.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    // Walk order is the file system's; reports must not depend on it.
    warnings.sort();
    Ok(Tree { entries, warnings })
}

/// The tree a [`walk`] of `root` finds when its files outside
/// `.skillchain` are exactly `files` (relative, `/`-separated) and nothing
/// else is there: the folders are those the files lie in. `None` when a
/// path is one a walk would see otherwise (a skipped folder below the top,
/// an empty or odd segment): then walk.
pub(crate) fn of_files<'a>(root: &Path, files: impl Iterator<Item = &'a str>) -> Option<Tree> {
    let mut entries = Vec::new();
    let mut dirs = std::collections::HashSet::new();
    for rel in files {
        if rel.contains('\\') {
            return None;
        }
        let segments: Vec<&str> = rel.split('/').collect();
        if segments[0] == SKIPPED_FOLDERS[0] {
            continue;
        }
        if segments
            .iter()
            .any(|s| s.is_empty() || *s == "." || *s == ".." || SKIPPED_FOLDERS.contains(s))
        {
            return None;
        }
        for depth in 1..segments.len() {
            let dir = segments[..depth].join("/");
            if dirs.insert(dir.clone()) {
                entries.push(Entry {
                    path: root.join(&dir),
                    rel: dir,
                    is_dir: true,
                    placeholder: false,
                    size: None,
                });
            }
        }
        let name = segments[segments.len() - 1];
        entries.push(Entry {
            rel: rel.to_string(),
            path: root.join(rel),
            is_dir: false,
            placeholder: PLACEHOLDER_NAMES.contains(&name),
            size: None,
        });
    }
    entries.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    Some(Tree {
        entries,
        warnings: Vec::new(),
    })
}

fn check_root(root: &Path) -> Result<(), EngineError> {
    match std::fs::metadata(root) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(EngineError::Other(format!(
            "cannot validate `{}`: it is a file, not a folder; pass the folder the project was generated into",
            root.display()
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(EngineError::Other(format!(
            "cannot validate `{}`: the folder does not exist; pass the folder the project was generated into, or generate it first with `skillchain run`",
            root.display()
        ))),
        Err(e) => Err(EngineError::io(root, e)),
    }
}

/// Size of the file a link points to, or why the link does not count.
fn linked_file_size(link: &Path, canonical_root: &Path) -> Result<u64, String> {
    let broken = |_| "is a broken link".to_string();
    let target = link.canonicalize().map_err(broken)?;
    if !target.starts_with(canonical_root) {
        return Err("links out of the project folder".to_string());
    }
    let meta = std::fs::metadata(&target).map_err(broken)?;
    if meta.is_dir() {
        return Err("is a link to a folder, which validation does not follow".to_string());
    }
    if let Some(kind) = crate::textfile::kind_of(&meta) {
        return Err(format!("is a link to a {kind}, not a regular file"));
    }
    Ok(meta.len())
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// The OS reason alone: walkdir's own message repeats the absolute path.
fn io_reason(err: &walkdir::Error) -> String {
    err.io_error()
        .map(ToString::to_string)
        .unwrap_or_else(|| err.to_string())
}
