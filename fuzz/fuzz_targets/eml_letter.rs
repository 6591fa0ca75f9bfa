//! Arbitrary bytes as a `.eml` file: decoding never panics, and a decoded
//! letter lints with sound spans.
#![no_main]

use std::sync::OnceLock;

use decline_lint::input::eml;
use decline_lint::lint::{Context, Linter, Options};
use decline_lint::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fn linter() -> &'static Linter {
    static CELL: OnceLock<Linter> = OnceLock::new();
    CELL.get_or_init(|| {
        Linter::new(
            RuleSet::defaults().expect("defaults load"),
            Options::default(),
        )
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(letter) = eml::load("fuzz.eml", data) else {
        return;
    };
    common::check_letter(&letter);
    let outcome = linter().lint(&letter, &Context::new());
    common::check_findings(&letter, &outcome.findings);
});
