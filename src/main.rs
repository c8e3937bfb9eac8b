//! The `skillchain` binary: a thin shell over the engine's command line.

/// The system allocator, plus a region for the bundled packs decoded at
/// start (see `skillchain::arena`).
#[global_allocator]
static ALLOC: skillchain::arena::StartupAlloc = skillchain::arena::StartupAlloc;

fn main() -> std::process::ExitCode {
    // The pages the packs decode into are mapped on the other core while
    // this one parses the command line.
    skillchain::arena::ahead::startup();
    // Half the bundled packs are decoded on the other core meanwhile too.
    skillchain::pack::decode_ahead();
    // SIGPIPE stays ignored (Rust's default): a closed pipe is an EPIPE
    // error that the output layer handles, so a `run` piped into `head`
    // still finishes writing its files instead of dying halfway.
    skillchain::cli::main()
}
