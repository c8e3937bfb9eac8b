//! Which relative paths a generated file may have: inside the output folder
//! (no absolute path, no `..`, no empty or `.` segment), never a `.git`
//! segment in any spelling a filesystem treats as `.git`, and never inside
//! skillchain's own `.skillchain/` folder. Lint, the plan and the writer all
//! ask here, so a pack that was never linted is refused the same way.

use std::collections::BTreeMap;

use crate::value::AnswerValue;

/// skillchain's own folder inside the output folder.
pub const STATE_DIR: &str = ".skillchain";

/// The files of `STATE_DIR` that a write may produce (the session's record).
pub const RECORD_FILES: [&str; 2] = [".skillchain/answers.yaml", ".skillchain/plan.md"];

/// Why a relative output path is refused, if it is: it could leave the output
/// folder, or it touches `.git` or `.skillchain`.
pub fn unsafe_path(path: &str) -> Option<String> {
    if path.trim().is_empty() {
        return Some("the path is empty".to_string());
    }
    if path.starts_with('/') || path.starts_with('\\') || path.contains(':') && cfg!(windows) {
        return Some(format!("`{path}` is absolute"));
    }
    for seg in path.split(['/', '\\']) {
        if seg == ".." {
            return Some(format!("`{path}` climbs out with `..`"));
        }
        if seg.is_empty() || seg == "." {
            return Some(format!("`{path}` has an empty or `.` segment"));
        }
    }
    protected_segment(path)
}

/// Like [`unsafe_path`], but the record files of `.skillchain/` are allowed:
/// what the writer accepts from skillchain itself.
pub fn unsafe_item_path(path: &str) -> Option<String> {
    let normal = path.replace('\\', "/");
    if RECORD_FILES.contains(&normal.as_str()) {
        return None;
    }
    unsafe_path(path)
}

/// The answers (`skill.question`) whose text makes up a refused segment of
/// `path` (`..`, a `.git`, a leading `.skillchain`), so that a refusal can
/// name them. Values themselves are never shown: one could be a secret.
pub fn answers_behind(
    path: &str,
    answers: &BTreeMap<String, BTreeMap<String, AnswerValue>>,
) -> Vec<String> {
    let refused: Vec<&str> = path
        .split(['/', '\\'])
        .enumerate()
        .filter(|(i, seg)| *seg == ".." || is_git_dir(seg) || (*i == 0 && is_state_dir(seg)))
        .map(|(_, seg)| seg)
        .collect();
    let mut names = Vec::new();
    for (skill, questions) in answers {
        for (question, value) in questions {
            let texts: Vec<&str> = match value {
                AnswerValue::Text(s) => vec![s.as_str()],
                AnswerValue::List(items) => items.iter().map(String::as_str).collect(),
                _ => Vec::new(),
            };
            let behind = texts.iter().any(|t| {
                t.split(['/', '\\']).any(|part| {
                    refused
                        .iter()
                        .any(|r| r.trim() == part.trim() && !part.trim().is_empty())
                })
            });
            if behind {
                names.push(format!("{skill}.{question}"));
            }
        }
    }
    names
}

/// A `.git` segment anywhere, or `.skillchain` as the first segment.
fn protected_segment(path: &str) -> Option<String> {
    let mut segments = path.split(['/', '\\']);
    if segments.next().is_some_and(is_state_dir) {
        return Some(format!(
            "`{path}` is inside `{STATE_DIR}/`, which holds skillchain's own files; choose another path"
        ));
    }
    for seg in path.split(['/', '\\']) {
        if is_git_dir(seg) {
            return Some(format!(
                "`{path}` has the segment `{seg}`, which git reads as its `.git` folder; generated files never go there (git runs commands configured in it); choose another path"
            ));
        }
    }
    None
}

/// The name as a filesystem may see it: without the code points HFS+
/// ignores, without the trailing dots and spaces Windows drops, without an
/// NTFS stream suffix (`name:stream`), lowercased.
fn as_filesystems_see_it(seg: &str) -> String {
    let kept: String = seg.chars().filter(|c| !is_ignorable(*c)).collect();
    let base = kept.split(':').next().unwrap_or("");
    base.trim_end_matches(['.', ' ']).to_lowercase()
}

/// Code points HFS+ drops when comparing names (git's own list).
fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{200c}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{206a}'..='\u{206f}' | '\u{feff}')
}

/// True when a filesystem may see `seg` as one of `names` (lowercase).
/// Every output path's segments are checked at each plan and write, so an
/// ASCII segment (no code point HFS+ ignores, lowercasing is ASCII's) is
/// compared in place instead of building its lowercased copy.
fn seen_as(seg: &str, names: [&str; 2]) -> bool {
    if seg.is_ascii() {
        let base = seg.split(':').next().unwrap_or("");
        let base = base.trim_end_matches(['.', ' ']);
        return names.iter().any(|n| base.eq_ignore_ascii_case(n));
    }
    let seen = as_filesystems_see_it(seg);
    names.contains(&seen.as_str())
}

/// `.git` as any filesystem may read it, including the NTFS short name `git~1`.
pub fn is_git_dir(seg: &str) -> bool {
    seen_as(seg, [".git", "git~1"])
}

fn is_state_dir(seg: &str) -> bool {
    seen_as(seg, [STATE_DIR, "skillc~1"])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The in-place comparison answers as the lowercased copy does, for
    /// seeded segments built from the names' letters in both cases,
    /// trailing dots and spaces, stream suffixes and non-ASCII code points.
    #[test]
    fn ascii_segments_compare_as_their_lowercased_copy() {
        let pieces = [
            ".",
            "g",
            "G",
            "i",
            "I",
            "t",
            "T",
            "~",
            "1",
            " ",
            ":",
            "x",
            "s",
            "K",
            "l",
            "c",
            "skillchain",
            ".SkillChain",
            "\u{200c}",
            "\u{feff}",
            "é",
            "İ",
            "K",
            "ſ",
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut hits = 0;
        for _ in 0..20_000 {
            let n = (next() % 8) as usize;
            let seg: String = (0..n)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            for names in [[".git", "git~1"], [STATE_DIR, "skillc~1"]] {
                let slow = names.contains(&as_filesystems_see_it(&seg).as_str());
                assert_eq!(seen_as(&seg, names), slow, "{seg:?} {names:?}");
                hits += usize::from(slow);
            }
        }
        for seg in [
            ".git",
            ".GIT",
            ".git.",
            ".git ",
            ".git:x",
            "GIT~1",
            ".Git. . ",
            ".skillchain",
        ] {
            assert!(is_git_dir(seg) || is_state_dir(seg), "{seg}");
        }
        assert!(hits > 20, "{hits}");
    }

    #[test]
    fn paths_that_leave_the_output_folder_are_named() {
        assert_eq!(unsafe_path("a/b.sql"), None);
        assert!(unsafe_path("/etc/passwd").is_some());
        assert!(unsafe_path("a/../../x").is_some());
        assert!(unsafe_path("a//b").is_some());
        assert!(unsafe_path("").is_some());
    }

    #[test]
    fn every_spelling_of_git_is_refused_in_every_position() {
        let spellings = [
            ".git",
            ".GIT",
            ".Git",
            ".git.",
            ".git..",
            ".git ",
            ".git . ",
            ".git::$INDEX_ALLOCATION",
            ".g\u{200c}it",
            "\u{feff}.git",
            "GIT~1",
            "git~1",
        ];
        for s in spellings {
            for path in [
                s.to_string(),
                format!("{s}/config"),
                format!("a/{s}/hooks/pre-commit"),
                format!("a\\{s}\\config"),
            ] {
                let why = unsafe_path(&path).unwrap_or_default();
                assert!(why.contains("`.git` folder"), "{path:?} passed: {why}");
            }
        }
        for fine in [
            ".github/workflows/ci.yml",
            ".gitignore",
            "a/.gitkeep",
            "git/x",
            "my.git/x",
            ".gitmodules",
        ] {
            assert_eq!(unsafe_path(fine), None, "{fine}");
        }
    }

    #[test]
    fn the_state_folder_is_refused_except_the_record_files_for_the_writer() {
        for p in [
            ".skillchain/x",
            ".SKILLCHAIN/lock",
            ".skillchain./session.json",
            ".skillchain",
        ] {
            assert!(
                unsafe_path(p).is_some_and(|w| w.contains("skillchain's own files")),
                "{p}"
            );
            assert!(unsafe_item_path(p).is_some(), "{p}");
        }
        for p in RECORD_FILES {
            assert!(unsafe_path(p).is_some());
            assert_eq!(unsafe_item_path(p), None);
        }
        assert_eq!(unsafe_path("docs/.skillchain/x"), None);
    }
}
