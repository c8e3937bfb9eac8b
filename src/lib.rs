//! skillchain: turn a free-text data-engineering goal into a configured,
//! generated and validated project. Every module but `tui` (the full-screen
//! app) and `cli` (the command line) is engine: no terminal code.
#![deny(clippy::unwrap_used)]

// First, so its `print!`/`println!`/`eprint!`/`eprintln!` (which never
// panic on a failed write) replace the standard ones in every module below.
#[macro_use]
pub mod output;

pub mod answers;
pub mod arena;
pub mod artifacts;
pub mod cli;
pub mod detect;
pub mod error;
pub mod expr;
pub mod fs_hint;
pub mod generate;
pub mod handoff;
pub mod headless;
pub mod limits;
pub mod load;
pub mod pack;
pub mod remote;
pub mod session;
pub mod store;
pub mod suggest;
pub mod text;
pub mod textfile;
pub mod tui;
pub mod utc;
pub mod validate;
pub mod value;
pub mod yamlfile;

// The lib's own tests run with the binary's allocator.
#[cfg(test)]
#[global_allocator]
static ALLOC: arena::StartupAlloc = arena::StartupAlloc;
