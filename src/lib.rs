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

/// Helpers the unit tests share.
#[cfg(test)]
pub(crate) mod testing {
    /// The texts of the files under `tests/` and `examples/` with one of these
    /// extensions.
    pub(crate) fn sample_files(extensions: &[&str]) -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        let mut dirs = vec![root.join("tests"), root.join("examples")];
        while let Some(dir) = dirs.pop() {
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p
                    .extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| extensions.contains(&x))
                {
                    texts.extend(std::fs::read_to_string(&p));
                }
            }
        }
        texts
    }

    /// Checks that the generated file at `path` (relative to the crate) is
    /// `want`; with the environment variable `write` set, rewrites it first.
    /// Fails with how to rewrite it (`command`) while it is out of date.
    pub(crate) fn generated_is_current(path: &str, want: &str, write: &str, command: &str) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        if std::env::var_os(write).is_some() {
            std::fs::write(&path, want).expect("write the generated file");
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{} is out of date; rewrite it with `{command}`",
            path.display()
        );
    }
}
