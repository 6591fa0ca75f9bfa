//! Arbitrary bytes as a `.eml` file: decoding never panics, and a decoded
//! letter lints with sound spans.
#![no_main]

use decline_lint::input::eml;
use decline_lint::lint::Context;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(letter) = eml::load("fuzz.eml", data) else {
        return;
    };
    common::check_letter(&letter);
    let outcome = common::linter().lint(&letter, &Context::new());
    common::check_findings(&letter, &outcome.findings);
});
