//! The whole pipeline with the default rules: parse, lint, fix, report in
//! every format. Never panics; spans stay on character boundaries; the JSON
//! parses; human output without colour carries no escape byte.
#![no_main]

use std::sync::OnceLock;

use decline_lint::letter::Letter;
use decline_lint::lint::{fix, Context, Linter, Options};
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
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    let letter = Letter::parse("fuzz.txt", text);
    common::check_letter(&letter);
    let mut context = Context::new();
    if flags & 1 != 0 {
        context.insert("company".into(), "Acme Corp".into());
        context.insert("recipient".into(), "Dana Park".into());
    }
    let linter = linter();
    let outcome = linter.lint(&letter, &context);
    common::check_findings(&letter, &outcome.findings);

    let fixed = fix::apply(&letter.text, &outcome.findings, flags & 2 != 0);
    let again = Letter::parse("fuzz.txt", fixed.text.clone());
    let outcome2 = linter.lint(&again, &context);
    common::check_findings(&again, &outcome2.findings);

    let checklist = Checklist::ALL;
    let result = FileResult {
        path: "fuzz.txt",
        letter: &letter,
        outcome: &outcome,
        checklist: &checklist,
    };
    for format in [
        Format::Human,
        Format::Short,
        Format::Json,
        Format::JsonLines,
        Format::Moves,
        Format::Sarif,
        Format::Github,
    ] {
        for color in [false, true] {
            let mut out = Vec::new();
            let mut json = Vec::new();
            let style = Style {
                color,
                quiet: false,
            };
            report::write_file(
                &mut out,
                format,
                style,
                &linter.rules().moves,
                &result,
                &mut json,
            )
            .expect("write to a Vec");
            if format == Format::Human && !color {
                assert!(!out.contains(&0x1b), "an escape byte reached human output");
            }
            if matches!(format, Format::Json | Format::Sarif) {
                let summary = report::Summary::default();
                let rules: Vec<_> = linter.active_rules().collect();
                let run = report::RunInfo {
                    rules: &rules,
                    guide_url: None,
                    statistics: false,
                };
                report::finish(&mut out, format, style, &summary, json, &run).expect("write");
                let _: serde_json::Value =
                    serde_json::from_slice(&out).expect("JSON output parses");
            }
        }
    }
});
