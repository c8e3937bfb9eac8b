//! The `skillchain` binary: a thin shell over the engine's command line.

fn main() -> std::process::ExitCode {
    skillchain::cli::main()
}
