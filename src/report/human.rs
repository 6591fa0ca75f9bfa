//! The human format: codespan diagnostics, the checklist line per letter.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};
use termcolor::{Ansi, NoColor};

use crate::letter::LineIndex;
use crate::lint::Finding;
use crate::rules::{Applicability, RuleError, Severity};

use super::{FileResult, Style};

fn cs_severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

/// A finding as a codespan diagnostic (file id `()`).
pub fn diagnostic(f: &Finding, decoded: bool) -> Diagnostic<()> {
    let mut labels =
        vec![Label::primary((), f.span.clone()).with_message(f.label.clone().unwrap_or_default())];
    labels.extend(
        f.related
            .iter()
            .map(|(s, m)| Label::secondary((), s.clone()).with_message(m)),
    );
    let mut notes = Vec::new();
    if let Some(h) = &f.help {
        notes.push(format!("help: {h}"));
    }
    if let Some(fix) = &f.fix {
        let shown = if fix.replacement().is_empty() {
            "remove it".to_string()
        } else {
            format!("`{}`", fix.replacement())
        };
        let how = match fix.applicability {
            // Fixes are made to the file as written, not to decoded mail.
            Applicability::Safe | Applicability::Unsafe if decoded => {
                " (make it by hand: fixes are not applied to decoded mail)"
            }
            Applicability::Safe => " (fixable with --fix)",
            Applicability::Unsafe => {
                " (changes the meaning: review it; --fix --unsafe-fixes applies it)"
            }
            Applicability::Placeholder => " (fill in the blanks yourself)",
        };
        notes.push(format!("suggestion: {shown}{how}"));
    }
    if let Some(g) = &f.guide {
        notes.push(format!("see: decline-lint guide show {g}"));
    }
    Diagnostic::new(cs_severity(f.severity))
        .with_code(&f.rule)
        .with_message(&f.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// Replaces control characters with visible ones of the same byte length, so
/// spans stay valid and a letter cannot send escape sequences to the terminal.
/// A lone carriage return becomes a line feed: a line break, as the linter
/// reads it, rather than a jump back over the line on screen.
fn defang(text: &str) -> String {
    let mut chars = text.chars().peekable();
    let mut out = String::with_capacity(text.len());
    while let Some(c) = chars.next() {
        out.push(match c {
            '\r' if chars.peek() != Some(&'\n') => '\n',
            '\n' | '\r' | '\t' => c,
            c if c.is_control() && c.len_utf8() == 1 => '?',
            c if c.is_control() => '¿',
            c => c,
        });
    }
    out
}

/// A diagnostic whose texts (messages quote the letter) are defanged.
fn defang_diagnostic(mut d: Diagnostic<()>) -> Diagnostic<()> {
    d.message = defang(&d.message);
    for label in &mut d.labels {
        label.message = defang(&label.message);
    }
    for note in &mut d.notes {
        *note = defang(note);
    }
    d
}

fn emit(
    out: &mut dyn Write,
    color: bool,
    file: &SimpleFile<&str, &str>,
    d: &Diagnostic<()>,
) -> io::Result<()> {
    let config = Config::default();
    let result = if color {
        let mut w = Ansi::new(&mut *out);
        term::emit_to_write_style(&mut w, &config, file, d)
    } else {
        let mut w = NoColor::new(&mut *out);
        term::emit_to_write_style(&mut w, &config, file, d)
    };
    result.map_err(|e| match e {
        codespan_reporting::files::Error::Io(io) => io,
        other => io::Error::other(other.to_string()),
    })
}

/// The most diagnostics shown per letter. Each prints its source lines, so a
/// hostile letter (one long line with thousands of findings) would otherwise
/// print gigabytes.
pub const MAX_DIAGNOSTICS: usize = 100;

pub fn write(
    out: &mut dyn Write,
    style: Style,
    result: &FileResult<'_>,
    _index: &LineIndex,
) -> io::Result<()> {
    let text = defang(result.letter.source());
    let path = defang(result.path);
    let file = SimpleFile::new(path.as_str(), text.as_str());
    if let Some(note) = &result.letter.derived {
        if !result.outcome.findings.is_empty() {
            writeln!(out, "note: {path}: {note}")?;
        }
    }
    let shown = result
        .outcome
        .findings
        .iter()
        .filter(|f| !(style.quiet && f.severity == Severity::Info));
    let mut hidden = 0usize;
    for (i, f) in shown.enumerate() {
        if i >= MAX_DIAGNOSTICS {
            hidden += 1;
            continue;
        }
        emit(
            out,
            style.color,
            &file,
            &defang_diagnostic(diagnostic(f, result.letter.derived.is_some())),
        )?;
    }
    if hidden > 0 {
        writeln!(
            out,
            "{path}: {hidden} more findings not shown (--format short lists them all)"
        )?;
    }
    if !style.quiet && !result.checklist.is_empty() {
        let mut line = String::new();
        line.push_str(&path);
        for item in result.checklist {
            let failed = result
                .outcome
                .findings
                .iter()
                .any(|f| f.checklist == Some(*item) && f.severity >= Severity::Warning);
            let mark = match (failed, style.color) {
                (true, true) => "\x1b[31m✗\x1b[0m",
                (false, true) => "\x1b[32m✓\x1b[0m",
                (true, false) => "✗",
                (false, false) => "✓",
            };
            line.push_str(&format!("  {mark} {}", item.label()));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Prints a rule-file error as a diagnostic pointing into the YAML.
pub fn render_rule_error(out: &mut dyn Write, color: bool, e: &RuleError) -> io::Result<()> {
    let (path, text) = (defang(&e.path), defang(&e.text));
    let file = SimpleFile::new(path.as_str(), text.as_str());
    emit(out, color, &file, &defang_diagnostic(e.report()))
}

/// Prints any other error as a one-line diagnostic.
pub fn render_error(out: &mut dyn Write, color: bool, code: &str, message: &str) -> io::Result<()> {
    let file = SimpleFile::new("", "");
    let d = Diagnostic::error()
        .with_code(defang(code))
        .with_message(defang(message));
    emit(out, color, &file, &d)
}
