//! Reading letters from files, folders and standard input, with clear errors for bad input.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::letter::Letter;

pub mod eml;
pub mod markdown;

/// Letters larger than this are refused unless the limit is raised.
pub const DEFAULT_MAX_BYTES: u64 = 1024 * 1024;

/// File extensions linted when a folder is given.
pub const LETTER_EXTENSIONS: &[&str] = &["txt", "eml", "md"];

/// Why a letter could not be read. Each names the file.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: no such file or folder")]
    NotFound { path: String },
    #[error("{path}: cannot read it: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: the file is {size} bytes, more than the limit of {limit} bytes (raise it with --max-bytes)")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: this looks like a binary file (a NUL byte at offset {offset}), not a letter")]
    Binary { path: String, offset: usize },
    #[error("{path}:{line}: the text is not valid UTF-8 (bad byte at offset {offset}); save the letter as UTF-8")]
    NotUtf8 {
        path: String,
        line: usize,
        offset: usize,
    },
    #[error("{path}: the letter is empty")]
    Empty { path: String },
    #[error("{path}: the folder holds no letters (*.txt, *.eml, *.md)")]
    NoLetters { path: String },
    #[error("{path}: not a regular file")]
    NotAFile { path: String },
    #[error("{path}: cannot read this mail: {message}")]
    Mail { path: String, message: String },
}

/// Where a letter comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    /// Standard input, shown under this name.
    Stdin(String),
}

impl Source {
    pub fn display(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Stdin(name) => name.clone(),
        }
    }
}

/// Expands the command line's paths: files stay, folders become the letters in
/// them (recursively, sorted), `-` is standard input. Problems are returned in
/// place so the run can go on with the rest.
pub fn expand(paths: &[PathBuf], stdin_name: &str) -> Vec<Result<Source, InputError>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Ok(Source::Stdin(stdin_name.to_string())));
            continue;
        }
        let display = p.display().to_string();
        match std::fs::metadata(p) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                out.push(Err(InputError::NotFound { path: display }));
            }
            Err(e) => out.push(Err(InputError::Io {
                path: display,
                source: e,
            })),
            Ok(m) if m.is_dir() => {
                let before = out.len();
                let mut files = Vec::new();
                walk(p, &mut files, &mut out);
                if files.is_empty() && out.len() == before {
                    out.push(Err(InputError::NoLetters { path: display }));
                }
                out.extend(files.into_iter().map(|f| Ok(Source::File(f))));
            }
            Ok(_) => out.push(Ok(Source::File(p.clone()))),
        }
    }
    out
}

/// The letters under folder `dir`, depth first with the entries of each
/// folder in order of their names (as bytes), into `files`; a folder or entry
/// that cannot be read is an error in `errors`. Symbolic links are passed
/// over, so no link can lead the walk in a circle. (Each name is read once
/// and the names compared as they are: sorting by a name worked out from the
/// path at every comparison cost a tenth of a second on 100,000 letters,
/// before the first could be checked.)
fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<Result<Source, InputError>>) {
    let io = |path: &Path, source| {
        Err(InputError::Io {
            path: path.display().to_string(),
            source,
        })
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return errors.push(io(dir, e)),
    };
    let mut here = Vec::new();
    for entry in entries {
        match entry.and_then(|e| Ok((e.file_name(), e.file_type()?))) {
            Ok(named) => here.push(named),
            Err(e) => errors.push(io(dir, e)),
        }
    }
    here.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, kind) in here {
        let path = dir.join(name);
        if kind.is_dir() {
            walk(&path, files, errors);
        } else if kind.is_file() && has_letter_extension(&path) {
            files.push(path);
        }
    }
}

fn has_letter_extension(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| LETTER_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Opens a file for reading. Opening a FIFO blocks until a writer comes, so
/// on Unix the file is opened without blocking (the caller then refuses what
/// is not a regular file).
fn open_without_blocking(p: &Path) -> std::io::Result<std::fs::File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(p)
    }
    #[cfg(not(unix))]
    {
        std::fs::File::open(p)
    }
}

/// Reads a letter's bytes, refusing anything over `limit`.
pub fn read_bytes(source: &Source, limit: u64) -> Result<Vec<u8>, InputError> {
    let path = source.display();
    let mut buf = Vec::new();
    match source {
        Source::Stdin(_) => {
            std::io::stdin()
                .lock()
                .take(limit + 1)
                .read_to_end(&mut buf)
                .map_err(|e| InputError::Io {
                    path: path.clone(),
                    source: e,
                })?;
        }
        Source::File(p) => {
            // Elsewhere, look before opening.
            #[cfg(not(unix))]
            if std::fs::metadata(p).is_ok_and(|m| !m.is_file()) {
                return Err(InputError::NotAFile { path });
            }
            let file = open_without_blocking(p).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => InputError::NotFound { path: path.clone() },
                _ => InputError::Io {
                    path: path.clone(),
                    source: e,
                },
            })?;
            let meta = file.metadata().map_err(|e| InputError::Io {
                path: path.clone(),
                source: e,
            })?;
            if !meta.is_file() {
                return Err(InputError::NotAFile { path });
            }
            if meta.len() > limit {
                return Err(InputError::TooLarge {
                    path,
                    size: meta.len(),
                    limit,
                });
            }
            // One read asks for the whole file and one byte more. Getting
            // exactly the size the file had is the end (a regular file reads
            // short only at its end); otherwise (it grew, or shrank, or the
            // read was cut short) the rest is read to the end, as ever.
            let size = meta.len() as usize;
            let io = |e| InputError::Io {
                path: path.clone(),
                source: e,
            };
            let mut file = file.take(limit + 1);
            buf.resize(size + 1, 0);
            let first = loop {
                match file.read(&mut buf) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    other => break other.map_err(io)?,
                }
            };
            buf.truncate(first);
            if first != size || size == 0 {
                file.read_to_end(&mut buf).map_err(io)?;
            }
        }
    }
    if buf.len() as u64 > limit {
        return Err(InputError::TooLarge {
            path,
            size: buf.len() as u64,
            limit,
        });
    }
    Ok(buf)
}

/// Checks a letter's bytes and turns them into text (a UTF-8 byte-order mark
/// is kept out of the text but counted in offsets by the caller).
pub fn decode_text(path: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    if let Some(offset) = memchr::memchr(0, &bytes) {
        return Err(InputError::Binary {
            path: path.to_string(),
            offset,
        });
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        InputError::NotUtf8 {
            path: path.to_string(),
            line,
            offset,
        }
    })?;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(InputError::Empty {
            path: path.to_string(),
        });
    }
    Ok(text)
}

/// Turns a file's bytes into a letter, by the kind of file: `.eml` mail is
/// decoded (headers, MIME parts, transfer encodings, charsets), `.md` letters
/// are read without their markup, anything else is plain UTF-8 text.
pub fn load_letter(path: &str, bytes: Vec<u8>) -> Result<Letter, InputError> {
    let extension = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("eml") => eml::load(path, &bytes),
        Some("md" | "markdown") => markdown::load(path, decode_text(path, bytes)?),
        _ => Ok(Letter::parse(path, decode_text(path, bytes)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Folders are walked depth first, each folder's entries in order of
    /// their names as bytes (folders among files), keeping regular files
    /// with a letter extension; links are passed over; a folder that cannot
    /// be read is an error naming it, and the rest is still walked.
    #[test]
    fn folders_expand_to_their_letters_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "c.txt",
            "a.txt",
            "B.txt",
            "b/z.md",
            "b/y/x.eml",
            "b/a.TXT",
            "notes.rtf",
            "d/e.txt",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "Hello").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("a.txt"), root.join("aa.txt")).unwrap();
        let names = |out: &[Result<Source, InputError>]| -> Vec<String> {
            out.iter()
                .map(|r| match r {
                    Ok(src) => src.display()[root.display().to_string().len() + 1..].to_string(),
                    Err(e) => format!("error: {e}"),
                })
                .collect()
        };
        let out = expand(&[root.to_path_buf()], "-");
        assert_eq!(
            names(&out),
            [
                "B.txt",
                "a.txt",
                "b/a.TXT",
                "b/y/x.eml",
                "b/z.md",
                "c.txt",
                "d/e.txt"
            ]
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let locked = root.join("b");
            std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
            // Someone who can read it anyway (root) walks it as before.
            if std::fs::read_dir(&locked).is_err() {
                let out = expand(&[root.to_path_buf()], "-");
                let got = names(&out);
                assert!(
                    got[0].starts_with("error: ") && got[0].contains("/b"),
                    "{got:?}"
                );
                assert_eq!(got[1..], ["B.txt", "a.txt", "c.txt", "d/e.txt"]);
            }
            std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }

    #[test]
    fn decode_reports_offsets() {
        assert!(matches!(
            decode_text("a", b"ab\0c".to_vec()),
            Err(InputError::Binary { offset: 2, .. })
        ));
        assert!(matches!(
            decode_text("a", b"ok\nok\n\xff".to_vec()),
            Err(InputError::NotUtf8 {
                line: 3,
                offset: 6,
                ..
            })
        ));
        assert!(matches!(
            decode_text("a", b" \n ".to_vec()),
            Err(InputError::Empty { .. })
        ));
        assert_eq!(decode_text("a", b"hi".to_vec()).unwrap(), "hi");
    }
}
