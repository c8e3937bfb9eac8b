//! The `skillchain` binary: a thin shell over the engine's command line.

fn main() -> std::process::ExitCode {
    // Piping into `head` must end quietly, as other command-line tools do,
    // instead of panicking on a closed stdout.
    #[cfg(unix)]
    // SAFETY: called first, before any thread exists; restores the default action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    skillchain::cli::main()
}
