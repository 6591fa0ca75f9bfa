//! The `decline-lint` binary: parse arguments, run, map the result to an exit code.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(cli::main())
}
