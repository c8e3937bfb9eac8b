//! Generation: render a plan of files in memory, then write it all-or-nothing.

pub mod budget;
pub mod diff;
mod finish;
pub mod interrupt;
pub mod paths;
mod plan;
pub mod write;

pub use finish::{
    kept_edited_note, missing_overwrites, rejudge, write_and_validate, write_and_validate_locked,
    Finished,
};
pub use plan::{
    build_plan, deliverables, FileStatus, Plan, PlannedFile, ANSWERS_ONLY_REASON, SHARED_REASON,
};

pub use diff::{diff_stat, unified_diff, DiffStat};
pub use paths::unsafe_path;
pub use write::{
    atomic_write, make_durable, recover, recovery_notice, write_all, FolderLock, Recovered,
    WriteError, WriteFailure, WriteItem, WriteMode, WriteSummary,
};
