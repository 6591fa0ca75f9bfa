//! The `decline-lint` binary: parse arguments, run, map the result to an exit code.

mod cli;

use std::process::ExitCode;

/// A letter makes many small, short-lived allocations; mimalloc serves them
/// faster than the system allocator, especially from several threads. It
/// costs a run about a hundred more page faults at start, though, so a
/// build for checking one letter at a time may leave it out (build without
/// the default `mimalloc` feature).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ExitCode::from(cli::main())
}
