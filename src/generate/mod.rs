//! Generation: render a plan of files in memory, then write it all-or-nothing.

pub mod diff;
mod finish;
mod plan;
pub mod write;

pub use finish::{write_and_validate, Finished};
pub use plan::{build_plan, deliverables, FileStatus, Plan, PlannedFile};

pub use diff::{diff_stat, unified_diff, DiffStat};
pub use write::{
    atomic_replace, atomic_write, make_durable, write_all, WriteError, WriteFailure, WriteItem,
    WriteMode, WriteSummary,
};

/// Why a relative output path could leave the output folder, if it could.
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
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_output_folder_are_named() {
        assert_eq!(unsafe_path("a/b.sql"), None);
        assert!(unsafe_path("/etc/passwd").is_some());
        assert!(unsafe_path("a/../../x").is_some());
        assert!(unsafe_path("a//b").is_some());
        assert!(unsafe_path("").is_some());
    }
}
