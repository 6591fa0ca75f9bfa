//! A Markdown letter: the markup is masked at the same byte offsets, so every
//! span must also fall on character boundaries of the source the reporters
//! show. Never panics; human and JSON output render.
#![no_main]

use decline_lint::input::markdown;
use decline_lint::lint::Context;
use decline_lint::report::Format;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data).into_owned();
    let Ok(letter) = markdown::load("fuzz.md", source.clone()) else {
        return;
    };
    assert_eq!(letter.source(), source);
    assert_eq!(letter.text.len(), source.len(), "the mask keeps offsets");
    common::check_letter(&letter);
    let outcome = common::linter().lint(&letter, &Context::new());
    common::check_findings(&letter, &outcome.findings);
    for f in &outcome.findings {
        common::check_span(&source, &f.span, &f.rule);
    }
    for format in [Format::Human, Format::Json, Format::Short] {
        common::render("fuzz.md", &letter, &outcome, format, false);
    }
});
