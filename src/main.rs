//! The `decline-lint` binary: parse arguments, run, map the result to an exit code.

mod cli;

use std::process::ExitCode;

/// A letter makes many small, short-lived allocations; mimalloc serves them
/// faster than the system allocator, especially from several threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ExitCode::from(cli::main())
}
