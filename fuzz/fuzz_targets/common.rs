//! Invariants shared by the fuzz targets: every span a letter or a finding
//! carries lies within the text and on character boundaries.

#![allow(dead_code)]

use std::sync::OnceLock;

use decline_lint::letter::{Letter, LineIndex, Span};
use decline_lint::lint::{Finding, Linter, Options, Outcome};
use decline_lint::report::{self, Format, Style};
use decline_lint::rules::RuleSet;

/// The default rules, loaded once for all runs of a target.
pub fn linter() -> &'static Linter {
    static CELL: OnceLock<Linter> = OnceLock::new();
    CELL.get_or_init(|| {
        Linter::new(
            RuleSet::defaults().expect("defaults load"),
            Options::default(),
        )
    })
}

/// One letter's results in one format, as a run over that one file prints
/// them; the JSON document formats must parse.
pub fn render(
    path: &str,
    letter: &Letter,
    outcome: &Outcome,
    format: Format,
    color: bool,
) -> Vec<u8> {
    let style = Style {
        color,
        quiet: false,
    };
    let out =
        report::render_one(linter(), path, letter, outcome, format, style).expect("write to a Vec");
    if matches!(format, Format::Json | Format::Sarif) {
        let _: serde_json::Value = serde_json::from_slice(&out).expect("JSON output parses");
    }
    out
}

pub fn check_span(text: &str, span: &Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} {span:?} out of bounds (len {})",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} {span:?} off a char boundary"
    );
}

/// 1-based line and character column, counted the slow way: a line ends at
/// `\n`, at `\r\n`, or at a lone `\r`.
pub fn naive_line_col(text: &str, offset: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut line, mut start) = (1, 0);
    for i in 0..offset {
        if bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            line += 1;
            start = i + 1;
        }
    }
    (line, text[start..offset].chars().count() + 1)
}

pub fn check_letter(l: &Letter) {
    let t = &l.text;
    let mut spans: Vec<(&Span, &str)> = Vec::new();
    for h in &l.headers {
        spans.push((&h.name, "header name"));
        spans.push((&h.value, "header value"));
    }
    spans.extend(l.subject.iter().map(|s| (s, "subject")));
    spans.extend(l.preamble.iter().map(|s| (s, "preamble")));
    spans.extend(l.greeting.iter().map(|s| (s, "greeting")));
    spans.extend(l.greeting_name.iter().map(|s| (s, "greeting name")));
    spans.extend(l.paragraphs.iter().map(|p| (&p.span, "paragraph")));
    spans.extend(l.sentences.iter().map(|s| (s, "sentence")));
    spans.extend(l.signoff.iter().map(|s| (s, "signoff")));
    spans.extend(l.signature.iter().map(|s| (s, "signature")));
    spans.extend(l.excluded.iter().map(|s| (s, "excluded")));
    let index = LineIndex::new(t);
    for (s, what) in spans {
        check_span(t, s, what);
        for off in [s.start, s.end] {
            assert_eq!(
                index.line_col(t, off),
                naive_line_col(t, off),
                "line/col of {what} at {off}"
            );
        }
    }
    for p in &l.paragraphs {
        assert!(p.sentences.start <= p.sentences.end && p.sentences.end <= l.sentences.len());
        for s in &l.sentences[p.sentences.clone()] {
            assert!(
                p.span.start <= s.start && s.end <= p.span.end,
                "sentence outside paragraph"
            );
        }
    }
}

pub fn check_findings(l: &Letter, findings: &[Finding]) {
    let t = &l.text;
    for f in findings {
        check_span(t, &f.span, &f.rule);
        assert!(
            !l.is_excluded(&f.span),
            "{} reported in excluded text",
            f.rule
        );
        for (s, _) in &f.related {
            check_span(t, s, &f.rule);
        }
        if let Some(fix) = &f.fix {
            for e in &fix.edits {
                check_span(t, &e.span, &f.rule);
            }
        }
    }
}
