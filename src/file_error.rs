//! A file the tool could not use (a rule or move file, a configuration file,
//! a guide page): the file, where in it, and why, shown as a diagnostic that
//! points into the file.

use std::ops::Range;
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic, Label};

/// What kind of file it is, which names the diagnostic's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A rule, move detector or configuration file (`rule-file`).
    Rule,
    /// A guide page or the content folder (`guide`).
    Guide,
}

impl FileKind {
    pub fn code(self) -> &'static str {
        match self {
            FileKind::Rule => "rule-file",
            FileKind::Guide => "guide",
        }
    }
}

/// One problem with one file.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{path}{}: {message}", self.line().map(|l| format!(":{l}")).unwrap_or_default())]
pub struct FileError {
    pub kind: FileKind,
    pub path: String,
    /// The file's text, when the problem is at a place in it.
    pub text: Arc<str>,
    pub span: Option<Range<usize>>,
    pub message: String,
    /// Text for the marker under the span.
    pub label: String,
}

impl FileError {
    /// A problem with the file as a whole (it cannot be read, it is too big).
    pub fn new(kind: FileKind, path: impl Into<String>, message: impl Into<String>) -> Self {
        FileError {
            kind,
            path: path.into(),
            text: Arc::from(""),
            span: None,
            message: message.into(),
            label: String::new(),
        }
    }

    /// The 1-based line of the problem, when known.
    pub fn line(&self) -> Option<usize> {
        self.span.as_ref().map(|s| {
            self.text[..s.start.min(self.text.len())]
                .matches('\n')
                .count()
                + 1
        })
    }

    /// The error as a diagnostic into the file (file id `()`).
    pub fn report(&self) -> Diagnostic<()> {
        let mut d = Diagnostic::error()
            .with_code(self.kind.code())
            .with_message(&self.message);
        match &self.span {
            Some(span) => {
                d = d.with_label(Label::primary((), span.clone()).with_message(&self.label));
            }
            None => d = d.with_note(format!("in {}", self.path)),
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_display_follow_the_span() {
        let mut e = FileError::new(FileKind::Rule, "rules/x.yaml", "bad value");
        assert_eq!(e.line(), None);
        assert_eq!(e.to_string(), "rules/x.yaml: bad value");
        e.text = Arc::from("a: 1\nb: 2\n");
        e.span = Some(5..9);
        assert_eq!(e.line(), Some(2));
        assert_eq!(e.to_string(), "rules/x.yaml:2: bad value");
        assert_eq!(e.report().code.as_deref(), Some("rule-file"));
    }
}
