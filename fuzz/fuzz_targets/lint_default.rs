//! The whole pipeline with the default rules: parse, lint, fix, report in
//! every format. Never panics; spans stay on character boundaries; a linter
//! using its literal index finds what a fresh one finds, and a letter linted
//! in a batch what it finds alone, and one that tags only the moves its rules
//! read what one that tags them all finds; the JSON parses;
//! human output without colour carries no escape byte.
#![no_main]

use decline_lint::letter::Letter;
use decline_lint::lint::{fix, Context, Options};
use decline_lint::report::Format;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

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
    let linter = common::linter();
    let outcome = linter.lint(&letter, &context);
    common::check_findings(&letter, &outcome.findings);
    // After a few inputs the shared linter looks letters up in its literal
    // index; a fresh one does not. Both must find the same.
    let fresh = linter
        .with_options(Options::default())
        .lint(&letter, &context);
    assert_eq!(
        outcome.findings, fresh.findings,
        "the index changed the findings"
    );
    assert_eq!(
        outcome.moves.sentences, fresh.moves.sentences,
        "the index changed the moves"
    );

    // Tagging only the moves the rules read (as every output but the moves
    // format does) changes no finding, and leaves the moves it tags as they were.
    static NEEDED: std::sync::OnceLock<decline_lint::lint::Linter> = std::sync::OnceLock::new();
    let needed = NEEDED
        .get_or_init(|| {
            linter.with_options(Options {
                needed_moves_only: true,
                ..Options::default()
            })
        })
        .lint(&letter, &context);
    assert_eq!(
        needed.findings, outcome.findings,
        "tagging only the moves read changed the findings"
    );
    let read = linter.active_rules().fold(0, |m, r| m | r.moves());
    for (all, some) in outcome.moves.sentences.iter().zip(&needed.moves.sentences) {
        assert_eq!(
            all & read,
            *some,
            "tagging only the moves read changed them"
        );
    }

    // Linted in a batch beside another letter (each rule over both before
    // the next rule), it gets what it gets alone.
    let other = Letter::parse("other.txt", include_str!("../../examples/letter.txt"));
    let together = linter.lint_many(&[(&other, &context), (&letter, &context)]);
    assert_eq!(
        together[1].findings, outcome.findings,
        "a batch changed the findings"
    );
    assert_eq!(
        together[1].moves.sentences, outcome.moves.sentences,
        "a batch changed the moves"
    );

    let fixed = fix::apply(&letter.text, &outcome.findings, flags & 2 != 0);
    let again = Letter::parse("fuzz.txt", fixed.text.clone());
    let outcome2 = linter.lint(&again, &context);
    common::check_findings(&again, &outcome2.findings);

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
            let out = common::render("fuzz.txt", &letter, &outcome, format, color);
            if format == Format::Human && !color {
                assert!(!out.contains(&0x1b), "an escape byte reached human output");
            }
        }
    }
});
