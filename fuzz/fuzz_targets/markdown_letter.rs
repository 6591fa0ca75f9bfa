//! A Markdown letter: the markup is masked at the same byte offsets, so every
//! span must also fall on character boundaries of the source the reporters
//! show. Never panics; human and JSON output render.
#![no_main]

use std::sync::OnceLock;

use decline_lint::input::markdown;
use decline_lint::lint::{Context, Linter, Options};
use decline_lint::report::{self, FileResult, Format, Style};
use decline_lint::rules::{Checklist, RuleSet};
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
    let source = String::from_utf8_lossy(data).into_owned();
    let Ok(letter) = markdown::load("fuzz.md", source.clone()) else {
        return;
    };
    assert_eq!(letter.source(), source);
    assert_eq!(letter.text.len(), source.len(), "the mask keeps offsets");
    common::check_letter(&letter);
    let outcome = linter().lint(&letter, &Context::new());
    common::check_findings(&letter, &outcome.findings);
    for f in &outcome.findings {
        common::check_span(&source, &f.span, &f.rule);
    }
    let checklist = Checklist::ALL;
    let result = FileResult {
        path: "fuzz.md",
        letter: &letter,
        outcome: &outcome,
        checklist: &checklist,
    };
    for format in [Format::Human, Format::Json, Format::Short] {
        let mut out = Vec::new();
        let style = Style {
            color: false,
            quiet: false,
        };
        report::write_file(
            &mut out,
            format,
            style,
            &linter().rules().moves,
            &result,
            &mut Vec::new(),
        )
        .expect("write to a Vec");
    }
});
