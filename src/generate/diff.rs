//! Text diffs shown when a generated file differs from the one on disk: a unified
//! diff in the format of `diff -u` / `git diff` (so users and agents read it without
//! surprise) and a count of added and removed lines for summaries.

use similar::{ChangeTag, TextDiff};

/// How many lines a change adds and removes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiffStat {
    pub added: usize,
    pub removed: usize,
}

/// A unified diff of `old` → `new` with `context` unchanged lines around each change,
/// headed `--- a/PATH` / `+++ b/PATH` like `git diff`. Identical texts give an empty
/// string, so "no diff" is easy to test for.
pub fn unified_diff(path: &str, old: &str, new: &str, context: usize) -> String {
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(context)
        // `\ No newline at end of file` keeps a lost final newline visible; without
        // it the two last lines would look identical.
        .missing_newline_hint(true)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Lines added and removed between `old` and `new`, counted like `git diff --stat`
/// (a changed line counts once on each side).
pub fn diff_stat(old: &str, new: &str) -> DiffStat {
    let diff = TextDiff::from_lines(old, new);
    let mut stat = DiffStat::default();
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => stat.added += 1,
            ChangeTag::Delete => stat.removed += 1,
            ChangeTag::Equal => {}
        }
    }
    stat
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_have_no_diff_and_a_zero_stat() {
        assert_eq!(unified_diff("a.txt", "x\ny\n", "x\ny\n", 3), "");
        assert_eq!(diff_stat("x\ny\n", "x\ny\n"), DiffStat::default());
    }

    #[test]
    fn changed_line_gives_git_style_headers_and_one_hunk() {
        let old = "one\ntwo\nthree\nfour\nfive\n";
        let new = "one\ntwo\nTHREE\nfour\nfive\n";
        assert_eq!(
            unified_diff("dbt/models/a.sql", old, new, 1),
            "--- a/dbt/models/a.sql\n\
             +++ b/dbt/models/a.sql\n\
             @@ -2,3 +2,3 @@\n \
             two\n\
             -three\n\
             +THREE\n \
             four\n"
        );
        assert_eq!(
            diff_stat(old, new),
            DiffStat {
                added: 1,
                removed: 1
            }
        );
    }

    #[test]
    fn distant_changes_make_separate_hunks_and_close_ones_merge() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let new = "1\nX\n3\n4\n5\n6\n7\nY\n9\n";
        assert_eq!(
            unified_diff("f", old, new, 1),
            "--- a/f\n+++ b/f\n\
             @@ -1,3 +1,3 @@\n 1\n-2\n+X\n 3\n\
             @@ -7,3 +7,3 @@\n 7\n-8\n+Y\n 9\n"
        );
        // With 3 lines of context the two hunks overlap and become one.
        assert_eq!(
            unified_diff("f", old, new, 3),
            "--- a/f\n+++ b/f\n\
             @@ -1,9 +1,9 @@\n 1\n-2\n+X\n 3\n 4\n 5\n 6\n 7\n-8\n+Y\n 9\n"
        );
    }

    #[test]
    fn new_file_diffs_against_an_empty_range() {
        assert_eq!(
            unified_diff("new.md", "", "a\nb\n", 3),
            "--- a/new.md\n+++ b/new.md\n@@ -0,0 +1,2 @@\n+a\n+b\n"
        );
        assert_eq!(
            diff_stat("", "a\nb\n"),
            DiffStat {
                added: 2,
                removed: 0
            }
        );
    }

    #[test]
    fn deleted_lines_count_as_removed() {
        assert_eq!(
            unified_diff("x", "a\nb\nc\n", "a\n", 0),
            "--- a/x\n+++ b/x\n@@ -2,2 +1,0 @@\n-b\n-c\n"
        );
        assert_eq!(
            diff_stat("a\nb\nc\n", "a\n"),
            DiffStat {
                added: 0,
                removed: 2
            }
        );
    }

    #[test]
    fn missing_final_newline_is_marked() {
        assert_eq!(
            unified_diff("x", "a\nb", "a\nb\n", 3),
            "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"
        );
    }
}
