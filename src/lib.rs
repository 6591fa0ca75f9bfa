//! decline-lint: a guide to declining a job interview well, and a linter that checks
//! decline letters against the guide's advice.
//!
//! The library never prints; the binary (`src/main.rs`, `src/cli.rs`) does.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod config;
pub mod file_error;
pub mod guide;
pub mod input;
pub mod letter;
pub mod lint;
pub mod moves;
pub mod pattern;
pub mod report;
pub mod rules;
pub mod selftest;
pub mod vale;

pub use letter::{Letter, Span};
pub use lint::{Context, Finding, Linter, Options};
pub use rules::{RuleSet, Severity};
