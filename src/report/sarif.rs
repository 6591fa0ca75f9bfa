//! SARIF 2.1.0 output, for code-scanning dashboards and editors.

use serde_json::{json, Value};

use crate::letter::LineIndex;
use crate::lint::{template, Finding};
use crate::rules::{Rule, Severity};

use super::FileResult;

/// SARIF's name for a severity.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Where a guide section lives: in a published copy of the site
/// (`decline-lint guide build`) when `base` is given, else a `decline-lint:` URI
/// naming the section (`decline-lint guide show` opens it).
pub fn guide_uri(anchor: &str, base: Option<&str>) -> String {
    let (page, frag) = anchor.split_once('#').unwrap_or((anchor, ""));
    let frag = if frag.is_empty() {
        String::new()
    } else {
        format!("#{frag}")
    };
    match base {
        Some(b) => format!("{}/{page}.html{frag}", b.trim_end_matches('/')),
        None => format!("decline-lint:guide/{page}{frag}"),
    }
}

/// The `tool.driver.rules` entries.
pub fn driver_rules(rules: &[&Rule], base: Option<&str>) -> Vec<Value> {
    rules
        .iter()
        .map(|r| {
            let summary = super::one_line(&template::summary(&r.message));
            let mut v = json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": {"text": summary},
                "fullDescription": {"text": r.description.clone().unwrap_or(summary)},
                "defaultConfiguration": {"level": level(r.severity)},
            });
            if let Some(h) = &r.help {
                v["help"] = json!({"text": template::summary(h)});
            }
            if let Some(g) = &r.guide {
                v["helpUri"] = json!(guide_uri(g, base));
            }
            v
        })
        .collect()
}

/// The results of one file.
pub fn results(
    result: &FileResult<'_>,
    index: &LineIndex,
    rule_index: &dyn Fn(&str) -> Option<usize>,
) -> Vec<Value> {
    let text = result.letter.source();
    result
        .outcome
        .findings
        .iter()
        .map(|f: &Finding| {
            let (line, col) = index.line_col(text, f.span.start);
            let (end_line, end_col) = index.line_col(text, f.span.end);
            let mut v = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": {"text": f.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(result.path)},
                        "region": {
                            "startLine": line,
                            "startColumn": col,
                            "endLine": end_line,
                            "endColumn": end_col,
                            "byteOffset": f.span.start,
                            "byteLength": f.span.end - f.span.start,
                        }
                    }
                }],
            });
            if let Some(i) = rule_index(&f.rule) {
                v["ruleIndex"] = json!(i);
            }
            if let Some(fix) = &f.fix {
                v["fixes"] = json!([{
                    "description": {"text": format!("{} fix", fix.applicability.as_str())},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": uri(result.path)},
                        "replacements": fix.edits.iter().map(|e| json!({
                            "deletedRegion": {"byteOffset": e.span.start, "byteLength": e.span.end - e.span.start},
                            "insertedContent": {"text": e.replacement},
                        })).collect::<Vec<_>>(),
                    }],
                }]);
            }
            v
        })
        .collect()
}

/// A path as a relative URI reference (spaces and other reserved bytes escaped).
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The whole SARIF log.
pub fn document(rules: &[&Rule], results: Vec<Value>, base: Option<&str>) -> Value {
    json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "decline-lint",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": driver_rules(rules, base),
            }},
            "results": results,
        }],
    })
}
