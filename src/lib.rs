//! skillchain: turn a free-text data-engineering goal into a configured,
//! generated and validated project. Every module but `tui` (the full-screen
//! app) and `cli` (the command line) is engine: no terminal code.
#![deny(clippy::unwrap_used)]

pub mod answers;
pub mod cli;
pub mod detect;
pub mod error;
pub mod expr;
pub mod generate;
pub mod handoff;
pub mod headless;
pub mod load;
pub mod pack;
pub mod remote;
pub mod session;
pub mod store;
pub mod suggest;
pub mod text;
pub mod tui;
pub mod validate;
pub mod value;
