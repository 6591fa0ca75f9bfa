//! Printing findings: human (codespan), short, JSON, JSON lines and the move map.

mod human;
mod json;
pub mod sarif;

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::letter::{Letter, LineIndex};
use crate::lint::{Finding, Linter, Outcome};
use crate::moves::MoveSet;
use crate::rules::{Checklist, Rule, Severity};

pub use human::{render_error, render_rule_error};

/// Output formats for lint results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Rich diagnostics with source snippets, a checklist and a summary.
    #[default]
    Human,
    /// One line per finding: `path:line:col: severity[rule]: message`.
    Short,
    /// One JSON document for the whole run.
    Json,
    /// One JSON object per finding, one per line.
    JsonLines,
    /// Each sentence with the moves it makes.
    Moves,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

/// Counts over a whole run.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings per rule, for `--statistics`.
    pub per_rule: BTreeMap<String, usize>,
    pub fixable: usize,
}

impl Summary {
    /// Adds another summary's counts to this one.
    pub fn merge(&mut self, other: &Summary) {
        self.files += other.files;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.fixable += other.fixable;
        for (k, v) in &other.per_rule {
            *self.per_rule.entry(k.clone()).or_default() += v;
        }
    }

    /// Counts one letter's findings; `fixable` is false when its fixes
    /// cannot be applied (decoded mail).
    pub fn add(&mut self, findings: &[Finding], fixable: bool) {
        self.files += 1;
        for f in findings {
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
            *self.per_rule.entry(f.rule.clone()).or_default() += 1;
            if fixable
                && f.fix
                    .as_ref()
                    .is_some_and(|x| x.applicability == crate::rules::Applicability::Safe)
            {
                self.fixable += 1;
            }
        }
    }

    /// "2 files: 1 error, 3 warnings".
    pub fn line(&self) -> String {
        let mut parts = vec![
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
        ];
        if self.infos > 0 {
            parts.push(plural(self.infos, "info"));
        }
        format!("{}: {}", plural(self.files, "file"), parts.join(", "))
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// How the human format looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub color: bool,
    /// `-q`: no checklist line, no info findings.
    pub quiet: bool,
}

/// One linted letter, ready to print.
pub struct FileResult<'a> {
    pub path: &'a str,
    pub letter: &'a Letter,
    pub outcome: &'a Outcome,
    /// Checklist items that at least one active rule can fail.
    pub checklist: &'a [Checklist],
}

/// Writes one file's results in the given format. The JSON document format
/// collects values in `json_files` instead, printed by [`finish`].
pub fn write_file(
    out: &mut dyn Write,
    format: Format,
    style: Style,
    moves: &MoveSet,
    result: &FileResult<'_>,
    json_files: &mut Vec<serde_json::Value>,
) -> io::Result<()> {
    // These formats print nothing for a letter without findings: no need to
    // find where its lines start.
    let per_finding = matches!(
        format,
        Format::Short | Format::JsonLines | Format::Sarif | Format::Github
    );
    if per_finding && result.outcome.findings.is_empty() {
        return Ok(());
    }
    let index = LineIndex::new(result.letter.source());
    match format {
        Format::Human => human::write(out, style, result, &index),
        Format::Short => {
            for f in &result.outcome.findings {
                let (line, col) = index.line_col(result.letter.source(), f.span.start);
                writeln!(
                    out,
                    "{}:{line}:{col}: {}[{}]: {}",
                    visible(result.path),
                    f.severity,
                    f.rule,
                    visible(&one_line(&f.message))
                )?;
            }
            Ok(())
        }
        Format::Json => {
            json_files
                .push(serde_json::to_value(json::file(result, &index)).map_err(io::Error::other)?);
            Ok(())
        }
        Format::JsonLines => {
            for f in &result.outcome.findings {
                let v = json::finding(f, result.letter, &index, Some(result.path));
                serde_json::to_writer(&mut *out, &v)?;
                out.write_all(b"\n")?;
            }
            Ok(())
        }
        Format::Moves => write_moves(out, moves, result, &index),
        Format::Sarif => {
            // Rule indexes are filled in by `finish`, which knows the driver's rules.
            json_files.extend(sarif::results(result, &index, &|_| None));
            Ok(())
        }
        Format::Github => {
            let text = result.letter.source();
            for f in &result.outcome.findings {
                let (line, col) = index.line_col(text, f.span.start);
                let (end_line, end_col) = index.line_col(text, f.span.end);
                let kind = match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "notice",
                };
                writeln!(
                    out,
                    "::{kind} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
                    gh_property(result.path),
                    gh_property(&f.rule),
                    gh_data(&f.message)
                )?;
            }
            Ok(())
        }
    }
}

/// Escapes a GitHub workflow command's message.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a GitHub workflow command's property value.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One letter's results as a run over that one file prints them: its lines
/// (or JSON values) and then the closing summary or document, with the
/// checklist items and rules of `linter`.
pub fn render_one(
    linter: &Linter,
    path: &str,
    letter: &Letter,
    outcome: &Outcome,
    format: Format,
    style: Style,
) -> io::Result<Vec<u8>> {
    let checklist: Vec<Checklist> = Checklist::ALL
        .into_iter()
        .filter(|c| linter.active_rules().any(|r| r.checklist == Some(*c)))
        .collect();
    let result = FileResult {
        path,
        letter,
        outcome,
        checklist: &checklist,
    };
    let mut out = Vec::new();
    let mut json = Vec::new();
    write_file(
        &mut out,
        format,
        style,
        &linter.rules().moves,
        &result,
        &mut json,
    )?;
    let mut summary = Summary::default();
    summary.add(&outcome.findings, letter.derived.is_none());
    let rules: Vec<&Rule> = linter.active_rules().collect();
    let run = RunInfo {
        rules: &rules,
        guide_url: None,
        statistics: false,
    };
    finish(&mut out, format, style, &summary, json, &run)?;
    Ok(out)
}

/// What the closing output needs to know about the run.
#[derive(Debug, Clone, Copy)]
pub struct RunInfo<'a> {
    /// The rules that ran (SARIF lists them).
    pub rules: &'a [&'a Rule],
    /// Where the guide is published, for SARIF links.
    pub guide_url: Option<&'a str>,
    /// Print findings per rule.
    pub statistics: bool,
}

/// Writes what comes after all files: the summary line or the JSON document.
pub fn finish(
    out: &mut dyn Write,
    format: Format,
    style: Style,
    summary: &Summary,
    json_files: Vec<serde_json::Value>,
    run: &RunInfo<'_>,
) -> io::Result<()> {
    let RunInfo {
        rules,
        guide_url,
        statistics,
    } = *run;
    if statistics && !matches!(format, Format::Json | Format::Sarif) {
        let mut rows: Vec<(&String, &usize)> = summary.per_rule.iter().collect();
        rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (rule, n) in rows {
            writeln!(out, "{n:>6}  {rule}")?;
        }
    }
    match format {
        Format::Human => {
            let line = summary.line();
            if style.color {
                let bold = if summary.errors > 0 {
                    "\x1b[1;31m"
                } else if summary.warnings > 0 {
                    "\x1b[1;33m"
                } else {
                    "\x1b[1;32m"
                };
                writeln!(out, "{bold}{line}\x1b[0m")?;
            } else {
                writeln!(out, "{line}")?;
            }
            if summary.fixable > 0 {
                writeln!(
                    out,
                    "{} fixable with `--fix`",
                    plural(summary.fixable, "finding")
                )?;
            }
            Ok(())
        }
        Format::Short => writeln!(out, "{}", summary.line()),
        Format::Json => {
            let mut doc = serde_json::json!({
                "version": 1,
                "files": json_files,
                "summary": {
                    "files": summary.files,
                    "errors": summary.errors,
                    "warnings": summary.warnings,
                    "infos": summary.infos,
                },
            });
            if statistics {
                doc["statistics"] =
                    serde_json::to_value(&summary.per_rule).unwrap_or(serde_json::Value::Null);
            }
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            out.write_all(b"\n")
        }
        Format::Sarif => {
            let mut results = json_files;
            for r in &mut results {
                let id = r["ruleId"].as_str().unwrap_or_default().to_string();
                if let Some(i) = rules.iter().position(|x| x.id == id) {
                    r["ruleIndex"] = serde_json::json!(i);
                }
            }
            serde_json::to_writer_pretty(&mut *out, &sarif::document(rules, results, guide_url))?;
            out.write_all(b"\n")
        }
        Format::JsonLines | Format::Moves | Format::Github => Ok(()),
    }
}

/// Collapses white space so a message stays on one line.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Makes control characters visible, so a letter cannot drive the terminal.
pub fn visible(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' => c.to_string(),
            c if c.is_control() => format!("\\u{{{:x}}}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

fn write_moves(
    out: &mut dyn Write,
    moves: &MoveSet,
    result: &FileResult<'_>,
    index: &LineIndex,
) -> io::Result<()> {
    let l = result.letter;
    writeln!(out, "{}", result.path)?;
    let mut rows: Vec<(usize, String, String)> = Vec::new();
    if let Some(s) = &l.subject {
        rows.push((s.start, "subject".into(), l.slice(s).into()));
    }
    if let Some(s) = &l.greeting {
        rows.push((s.start, "greeting".into(), l.slice(s).into()));
    }
    for (s, mask) in l.sentences.iter().zip(&result.outcome.moves.sentences) {
        let names = moves.mask_names(*mask);
        let tag = if names.is_empty() {
            "-".to_string()
        } else {
            names.join(", ")
        };
        rows.push((s.start, tag, one_line(l.slice(s))));
    }
    if let Some(s) = &l.signoff {
        let mut names = vec!["signoff"];
        names.extend(moves.mask_names(result.outcome.moves.signoff));
        rows.push((s.start, names.join(", "), l.slice(s).into()));
    }
    for s in &l.signature {
        rows.push((s.start, "signature".into(), l.slice(s).into()));
    }
    let width = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
    for (start, tag, text) in rows {
        let (line, col) = index.line_col(l.source(), start);
        let pos = format!("{line}:{col}");
        writeln!(out, "  {pos:<7} {tag:<width$}  {}", visible(&text))?;
    }
    Ok(())
}
