//! Arbitrary bytes as a rule file in a `--rules` folder: loading never panics
//! or hangs; errors render; a rule that loads lints a sample letter safely.
#![no_main]

use std::sync::OnceLock;

use decline_lint::letter::Letter;
use decline_lint::lint::{Context, Linter, Options};
use decline_lint::report;
use decline_lint::rules::{RuleSet, RuleSource};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const SAMPLE: &str = "Subject: Interview\nTo: Dana Park <dana@example.com>\n\nDear Ms. Lee,\n\nThank you so much for the invite!! I'm gonna pass, sorry sorry. The the pay is too low.\nI hope our paths cross again — café 東京 🎉 עברית.\r\nBest regards,\nSam\n\nOn Mon, Dana wrote:\n> hey\n";

fn dir() -> &'static tempfile::TempDir {
    static CELL: OnceLock<tempfile::TempDir> = OnceLock::new();
    CELL.get_or_init(|| tempfile::tempdir().expect("temp dir"))
}

fuzz_target!(|data: &[u8]| {
    let dir = dir();
    std::fs::write(dir.path().join("x.yaml"), data).expect("write rule file");
    let (set, errors) = RuleSet::load_partial(&[RuleSource::Dir(dir.path().to_path_buf())]);
    for e in &errors {
        let _ = e.to_string();
        let _ = e.line();
        let mut out = Vec::new();
        report::render_rule_error(&mut out, false, e).expect("render");
    }
    if set.rules.is_empty() {
        return;
    }
    let letter = Letter::parse("sample.txt", SAMPLE);
    let mut context = Context::new();
    context.insert("company".into(), "Acme".into());
    let outcome = Linter::new(set, Options::default()).lint(&letter, &context);
    common::check_findings(&letter, &outcome.findings);
});
