//! The JSON shape of findings (version 1: fields may be added, never removed).

use serde_json::{json, Value};

use crate::letter::{Letter, LineIndex};
use crate::lint::Finding;

use super::FileResult;

/// One finding as JSON.
pub fn finding_value(f: &Finding, letter: &Letter, index: &LineIndex) -> Value {
    let (line, column) = index.line_col(letter.source(), f.span.start);
    let (end_line, end_column) = index.line_col(letter.source(), f.span.end);
    let fix = f.fix.as_ref().map(|fix| {
        json!({
            "replacement": fix.replacement(),
            "applicability": fix.applicability.as_str(),
            "edits": fix.edits.iter().map(|e| json!({
                "start": e.span.start,
                "end": e.span.end,
                "replacement": e.replacement,
            })).collect::<Vec<_>>(),
        })
    });
    json!({
        "rule": f.rule,
        "severity": f.severity.as_str(),
        "message": f.message,
        "help": f.help,
        "guide": f.guide,
        "span": {
            "start": f.span.start,
            "end": f.span.end,
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
        },
        "fix": fix,
    })
}

/// One file's findings as JSON.
pub fn file_value(result: &FileResult<'_>, index: &LineIndex) -> Value {
    json!({
        "path": result.path,
        "decoded": result.letter.derived.is_some(),
        "findings": result
            .outcome
            .findings
            .iter()
            .map(|f| finding_value(f, result.letter, index))
            .collect::<Vec<_>>(),
    })
}
