//! Applying fixes to a letter's text, and writing files so that a crash never leaves half a letter.

use std::io::Write;
use std::path::Path;

use crate::rules::Applicability;

use super::{Edit, Finding};

/// The result of applying fixes to a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// Fixes skipped because they overlapped one applied before them.
    pub skipped: usize,
}

/// Applies the fixes of `findings` whose applicability is allowed. Edits are
/// applied in order of position; an edit that overlaps an earlier one is skipped.
pub fn apply(text: &str, findings: &[Finding], allow_unsafe: bool) -> Fixed {
    let mut fixes: Vec<&[Edit]> = findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .filter(|fix| match fix.applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => allow_unsafe,
            Applicability::Placeholder => false,
        })
        .map(|fix| fix.edits.as_slice())
        .filter(|e| !e.is_empty())
        .collect();
    fixes.sort_by_key(|edits| edits.iter().map(|e| e.span.start).min().unwrap_or(0));
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    let mut skipped = 0;
    for edits in fixes {
        let overlaps = edits.iter().any(|e| {
            taken.iter().any(|t| {
                e.span.start < t.span.end && t.span.start < e.span.end
                    || (e.span.start == t.span.start && e.span.is_empty() && t.span.is_empty())
            })
        });
        let in_bounds = edits.iter().all(|e| {
            e.span.end <= text.len()
                && text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
        });
        if overlaps || !in_bounds {
            skipped += 1;
            continue;
        }
        taken.extend(edits.iter());
        applied += 1;
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in taken {
        out.push_str(&text[pos..e.span.start]);
        out.push_str(&e.replacement);
        pos = e.span.end;
    }
    out.push_str(&text[pos..]);
    Fixed {
        text: out,
        applied,
        skipped,
    }
}

/// Writes `contents` to `path` through a temporary file in the same folder and a
/// rename, keeping the original file's permissions. A read-only file is
/// refused. If anything fails, the original is untouched.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "letter".into());
    let perms = std::fs::metadata(path)?.permissions();
    // Replacing a read-only file through a rename would succeed (the folder
    // allows it, and root may write anything): respect the file's own bits.
    if perms.readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only",
        ));
    }
    let mut attempt = 0u32;
    let (tmp_path, mut file) = loop {
        let candidate = dir.join(format!(
            ".{name}.decline-lint-{}-{attempt}.tmp",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(f) => break (candidate, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    };
    let result = (|| {
        file.write_all(contents)?;
        file.sync_all()?;
        std::fs::set_permissions(&tmp_path, perms)?;
        drop(file);
        std::fs::rename(&tmp_path, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp_path);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Fix;
    use crate::rules::Severity;

    fn f(span: std::ops::Range<usize>, rep: &str, a: Applicability) -> Finding {
        Finding {
            rule: "r".into(),
            severity: Severity::Warning,
            message: String::new(),
            help: None,
            guide: None,
            checklist: None,
            span: span.clone(),
            label: None,
            related: vec![],
            fix: Some(Fix {
                edits: vec![Edit {
                    span,
                    replacement: rep.into(),
                }],
                applicability: a,
            }),
        }
    }

    #[test]
    fn applies_safe_skips_overlap_and_placeholders() {
        let text = "hey u gonna";
        let findings = vec![
            f(0..3, "Hello", Applicability::Safe),
            f(4..5, "you", Applicability::Safe),
            f(4..11, "x", Applicability::Safe),
            f(6..11, "going to", Applicability::Placeholder),
        ];
        let fixed = apply(text, &findings, false);
        assert_eq!(fixed.text, "Hello you gonna");
        assert_eq!((fixed.applied, fixed.skipped), (2, 1));
    }

    #[test]
    fn atomic_write_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.txt");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
