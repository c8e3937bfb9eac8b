//! Every glob and regex of a set of deliverables, compiled once: the globs
//! matched against each path of the tree in a single pass (the bundled
//! packs' as DFAs compiled at build time, `globs.rs`; any other in one
//! `GlobSet`), and the content checks (`content.rs`), which read each file
//! they need at most once.

use std::borrow::Cow;
use std::collections::HashMap;

use globset::{Candidate, GlobBuilder, GlobSet, GlobSetBuilder};

use super::content::ContentRegex;
use super::embedded::normalise_glob as normalise;
use super::globs::GlobDfa;
use super::walk::Tree;
use super::CheckFailure;
use crate::error::{Problem, Problems};
use crate::pack::{ContentCheck, Deliverable};

/// A deliverable's globs and checks as indices into the matcher's tables.
struct Plan {
    /// The promised globs as written, each with its index.
    files: Vec<(String, usize)>,
    /// Index into the deliverable's checks, its glob and its regex.
    checks: Vec<(usize, usize, usize)>,
}

pub(crate) struct Matcher {
    /// The globs without an embedded DFA, and the glob index of each.
    set: GlobSet,
    set_ids: Vec<usize>,
    /// The globs with one (the bundled packs'), with their index.
    dfas: Vec<(usize, GlobDfa<'static>)>,
    glob_count: usize,
    regexes: Vec<ContentRegex<'static>>,
    plans: Vec<Plan>,
}

/// What a deliverable's globs found on disk and which of its checks failed.
pub(crate) struct Evaluation {
    pub found: Vec<String>,
    pub missing: Vec<String>,
    pub failed_checks: Vec<CheckFailure>,
}

/// The globs a deliverable promises. One declared with content checks only
/// (as a skill's checks can be) promises the files its checks read.
pub(crate) fn promised_files(d: &Deliverable) -> Vec<&str> {
    if d.files.is_empty() {
        d.checks.iter().map(|c| c.path.as_str()).collect()
    } else {
        d.files.iter().map(String::as_str).collect()
    }
}

impl Matcher {
    /// Compiles the globs and regexes of `deliverables`, listing every invalid
    /// one (not just the first) with the deliverable that holds it.
    pub fn compile(deliverables: &[Deliverable], context: &str) -> Result<Matcher, Problems> {
        let mut builder = GlobSetBuilder::new();
        let mut set_ids = Vec::new();
        let mut dfas = Vec::new();
        let mut glob_ids: HashMap<String, usize> = HashMap::new();
        let mut regex_ids: HashMap<&str, usize> = HashMap::new();
        let mut regexes = Vec::new();
        let mut problems = Vec::new();
        let mut plans = Vec::with_capacity(deliverables.len());

        for d in deliverables {
            let loc = format!("deliverable `{}`", d.id);
            // A check path doubles as a file glob when no files are listed;
            // a bad one is reported once per deliverable, not twice.
            let mut reported: Vec<String> = Vec::new();
            let mut glob_id = |raw: &str, what: &str, problems: &mut Vec<Problem>| {
                let g = normalise(raw);
                if let Some(&id) = glob_ids.get(g) {
                    return Some(id);
                }
                if reported.iter().any(|r| r == g) {
                    return None;
                }
                reported.push(g.to_string());
                if g.is_empty() {
                    problems.push(Problem::new(&loc, format!("{what} is empty")));
                    return None;
                }
                if let Some(dfa) = GlobDfa::find(g) {
                    let id = glob_ids.len();
                    glob_ids.insert(g.to_string(), id);
                    dfas.push((id, dfa));
                    return Some(id);
                }
                // `*` must stay inside one folder: `models/*.sql` is not a
                // promise about `models/staging/x.sql`.
                match GlobBuilder::new(g).literal_separator(true).build() {
                    Ok(glob) => {
                        let id = glob_ids.len();
                        glob_ids.insert(g.to_string(), id);
                        builder.add(glob);
                        set_ids.push(id);
                        Some(id)
                    }
                    Err(e) => {
                        problems.push(Problem::new(
                            &loc,
                            format!("{what} `{raw}` is not a valid glob: {}", e.kind()),
                        ));
                        None
                    }
                }
            };
            let files: Vec<(String, usize)> = promised_files(d)
                .into_iter()
                .filter_map(|g| {
                    glob_id(g, "file glob", &mut problems).map(|id| (g.to_string(), id))
                })
                .collect();
            let mut checks = Vec::with_capacity(d.checks.len());
            for (k, c) in d.checks.iter().enumerate() {
                let g = glob_id(&c.path, "check path", &mut problems);
                let r = match regex_ids.get(c.pattern.as_str()) {
                    Some(&id) => Some(id),
                    None => match ContentRegex::new(&c.pattern) {
                        Ok(re) => {
                            regexes.push(re);
                            regex_ids.insert(&c.pattern, regexes.len() - 1);
                            Some(regexes.len() - 1)
                        }
                        Err(e) => {
                            problems.push(Problem::new(
                                &loc,
                                format!(
                                    "check pattern `{}` is not a valid regex: {}",
                                    c.pattern,
                                    regex_reason(&e)
                                ),
                            ));
                            None
                        }
                    },
                };
                if let (Some(g), Some(r)) = (g, r) {
                    checks.push((k, g, r));
                }
            }
            plans.push(Plan { files, checks });
        }

        // Every glob of a bundled pack has a DFA: no set to build then.
        let set = if set_ids.is_empty() {
            GlobSet::empty()
        } else {
            builder.build().unwrap_or_else(|e| {
                problems.push(Problem::new("deliverables", format!("globs: {e}")));
                GlobSet::empty()
            })
        };
        if !problems.is_empty() {
            return Err(Problems {
                context: context.to_string(),
                problems,
            });
        }
        Ok(Matcher {
            set,
            set_ids,
            dfas,
            glob_count: glob_ids.len(),
            regexes,
            plans,
        })
    }

    /// For each glob, the sorted indices of the real files it matches. A glob
    /// that matches a folder matches the real files inside it, so a folder of
    /// placeholders matches nothing. Measures (stats) only the files some
    /// glob matched.
    pub fn match_tree(&self, tree: &mut Tree) -> Vec<Vec<usize>> {
        let mut hits: Vec<Vec<usize>> = vec![Vec::new(); self.glob_count];
        let mut folder_hits: Vec<Vec<usize>> = vec![Vec::new(); self.glob_count];
        let mut buf = Vec::new();
        for (i, e) in tree.entries.iter().enumerate() {
            if !e.is_dir && !e.is_candidate() {
                continue;
            }
            buf.clear();
            if !self.set_ids.is_empty() {
                self.set
                    .matches_candidate_into(&Candidate::new(&e.rel), &mut buf);
                for k in &mut buf {
                    *k = self.set_ids[*k];
                }
            }
            for (id, dfa) in &self.dfas {
                if dfa.is_match(&e.rel) {
                    buf.push(*id);
                }
            }
            for &g in &buf {
                if e.is_dir {
                    folder_hits[g].push(i);
                } else {
                    hits[g].push(i);
                }
            }
        }
        for (g, folders) in folder_hits.into_iter().enumerate() {
            if folders.is_empty() {
                continue;
            }
            // Folders come in sorted order, so a folder inside the last one
            // expanded adds nothing new and is not expanded again.
            let mut last: Option<String> = None;
            for f in folders {
                let rel = &tree.entries[f].rel;
                if let Some(prefix) = &last {
                    if rel.starts_with(prefix.as_str()) {
                        continue;
                    }
                }
                hits[g].extend(tree.candidates_under(rel));
                last = Some(format!("{rel}/"));
            }
            hits[g].sort_unstable();
            hits[g].dedup();
        }

        let mut wanted = vec![false; tree.entries.len()];
        for &i in hits.iter().flatten() {
            wanted[i] = true;
        }
        let needed: Vec<usize> = (0..wanted.len()).filter(|&i| wanted[i]).collect();
        tree.measure(&needed);
        for h in &mut hits {
            h.retain(|&i| tree.entries[i].is_real());
        }
        hits
    }

    /// Found files, globs that matched nothing, and failed checks of the
    /// deliverable at `index`.
    pub fn evaluate(
        &self,
        index: usize,
        deliverable: &Deliverable,
        tree: &Tree,
        hits: &[Vec<usize>],
        cache: &mut ContentCache<'_>,
    ) -> Evaluation {
        let plan = &self.plans[index];
        let mut found: Vec<usize> = Vec::new();
        let mut missing = Vec::new();
        for (raw, g) in &plan.files {
            if hits[*g].is_empty() {
                missing.push(raw.clone());
            } else {
                found.extend_from_slice(&hits[*g]);
            }
        }
        found.sort_unstable();
        found.dedup();

        let mut failed_checks = Vec::new();
        for &(k, g, r) in &plan.checks {
            let check = &deliverable.checks[k];
            if let Some(reason) = self.check(check, &hits[g], &self.regexes[r], tree, cache) {
                failed_checks.push(CheckFailure {
                    path: check.path.clone(),
                    pattern: check.pattern.clone(),
                    description: check.description.clone(),
                    reason,
                });
            }
        }
        Evaluation {
            found: found
                .into_iter()
                .map(|i| tree.entries[i].rel.clone())
                .collect(),
            missing,
            failed_checks,
        }
    }

    /// Why `check` fails, or `None` when its regex matches in one of `files`.
    /// Stops reading at the first file that matches.
    fn check(
        &self,
        check: &ContentCheck,
        files: &[usize],
        re: &ContentRegex<'_>,
        tree: &Tree,
        cache: &mut ContentCache<'_>,
    ) -> Option<String> {
        if files.is_empty() {
            return Some(format!("no non-empty file matches `{}`", check.path));
        }
        let mut unreadable = Vec::new();
        for &f in files {
            match cache.read(tree, f) {
                Ok(bytes) if re.is_match(bytes) => return None,
                Ok(_) => {}
                Err(e) => unreadable.push(format!("`{}` ({e})", tree.entries[f].rel)),
            }
        }
        let mut reason = match files {
            [only] => format!(
                "`{}` not found in {}",
                check.pattern, tree.entries[*only].rel
            ),
            _ => format!(
                "`{}` not found in any of the {} files matching `{}`",
                check.pattern,
                files.len(),
                check.path
            ),
        };
        if !unreadable.is_empty() {
            reason.push_str("; could not read ");
            reason.push_str(&unreadable.join(", "));
        }
        Some(reason)
    }
}

/// The regex crate's message draws a caret under the pattern over several
/// lines; a problem list needs the one line that says what is wrong.
fn regex_reason(e: &regex::Error) -> String {
    let text = e.to_string();
    text.lines()
        .find_map(|l| l.strip_prefix("error: "))
        .map(str::to_string)
        .unwrap_or_else(|| text.replace('\n', " "))
}

/// File contents read for content checks, so two checks on the same file
/// read it once.
/// Contents a run has just written are borrowed, not copied.
#[derive(Default)]
pub(crate) struct ContentCache<'a> {
    files: HashMap<usize, Result<Cow<'a, [u8]>, String>>,
}

impl<'a> ContentCache<'a> {
    /// `bytes` is what the file at `index` holds (a run has just written it).
    pub(crate) fn preset(&mut self, index: usize, bytes: &'a [u8]) {
        self.files.insert(index, Ok(Cow::Borrowed(bytes)));
    }

    fn read(&mut self, tree: &Tree, index: usize) -> Result<&[u8], &str> {
        self.files
            .entry(index)
            .or_insert_with(|| {
                crate::textfile::read_bytes(
                    &tree.entries[index].path,
                    crate::limits::VALIDATED_FILE,
                    "validated files",
                )
                .map(Cow::Owned)
                .map_err(|e| e.reason())
            })
            .as_ref()
            .map(|c| &**c)
            .map_err(String::as_str)
    }
}
