//! The JSON shape of findings (version 1: fields may be added, never removed).
//!
//! Findings are serialized from borrowed structs, field by field in the order
//! below, without building a JSON tree first: a bulk run writes millions.

use serde::Serialize;

use crate::letter::{Letter, LineIndex};
use crate::lint::Finding;

use super::FileResult;

/// One finding, as the `json` and `json-lines` formats write it.
#[derive(Serialize)]
pub struct FindingJson<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    guide: Option<&'a str>,
    span: SpanJson,
    fix: Option<FixJson<'a>>,
    /// Only in `json-lines`, where each line stands alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
}

#[derive(Serialize)]
struct SpanJson {
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct FixJson<'a> {
    replacement: &'a str,
    applicability: &'static str,
    edits: Vec<EditJson<'a>>,
}

#[derive(Serialize)]
struct EditJson<'a> {
    start: usize,
    end: usize,
    replacement: &'a str,
}

/// One finding as JSON; `path` is added for `json-lines`.
pub fn finding<'a>(
    f: &'a Finding,
    letter: &Letter,
    index: &LineIndex,
    path: Option<&'a str>,
) -> FindingJson<'a> {
    let (line, column) = index.line_col(letter.source(), f.span.start);
    let (end_line, end_column) = index.line_col(letter.source(), f.span.end);
    FindingJson {
        rule: &f.rule,
        severity: f.severity.as_str(),
        message: &f.message,
        help: f.help.as_deref(),
        guide: f.guide.as_deref(),
        span: SpanJson {
            start: f.span.start,
            end: f.span.end,
            line,
            column,
            end_line,
            end_column,
        },
        fix: f.fix.as_ref().map(|fix| FixJson {
            replacement: fix.replacement(),
            applicability: fix.applicability.as_str(),
            edits: fix
                .edits
                .iter()
                .map(|e| EditJson {
                    start: e.span.start,
                    end: e.span.end,
                    replacement: &e.replacement,
                })
                .collect(),
        }),
        path,
    }
}

/// One file's findings, as the `json` format writes it.
#[derive(Serialize)]
pub struct FileJson<'a> {
    path: &'a str,
    decoded: bool,
    findings: Vec<FindingJson<'a>>,
}

/// One file's findings as JSON.
pub fn file<'a>(result: &'a FileResult<'_>, index: &LineIndex) -> FileJson<'a> {
    FileJson {
        path: result.path,
        decoded: result.letter.derived.is_some(),
        findings: result
            .outcome
            .findings
            .iter()
            .map(|f| finding(f, result.letter, index, None))
            .collect(),
    }
}
