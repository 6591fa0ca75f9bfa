//! Reading Markdown letters: the markup is blanked out so rules see the words, at the same byte offsets.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};

use super::InputError;
use crate::letter::Letter;

/// The Markdown extensions a letter may use.
fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

/// Reads a Markdown letter: rules read the masked text, spans point into the source.
pub fn load(path: &str, source: String) -> Result<Letter, InputError> {
    let masked = mask(&source);
    let mut letter = Letter::parse(path, masked);
    if letter.text != source {
        letter.original = Some(source);
    }
    Ok(letter)
}

/// An element being walked: its source range, whether its own syntax is
/// blanked, and the ranges its children cover.
struct Frame {
    range: Range<usize>,
    blank_syntax: bool,
    blank_all: bool,
    children: Vec<Range<usize>>,
}

/// A copy of `source` of the same byte length in which Markdown syntax is
/// replaced by spaces: emphasis and heading markers, link and image syntax
/// (their text stays), code backticks, HTML, front matter and link reference
/// definitions. Escapes and entities become the character they stand for.
/// Blockquote `>` markers and list bullets stay, and line breaks never move.
pub fn mask(source: &str) -> String {
    let mut out = source.as_bytes().to_vec();
    let prefix = line_prefixes(source);
    let mut parser = Parser::new_ext(source, options()).into_offset_iter();
    let mut stack: Vec<Frame> = Vec::new();
    for (event, range) in parser.by_ref() {
        match event {
            Event::Start(tag) => {
                let blank_syntax = match &tag {
                    Tag::Paragraph
                    | Tag::Heading { .. }
                    | Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::Link { .. }
                    | Tag::Image { .. } => true,
                    Tag::CodeBlock(kind) => matches!(kind, CodeBlockKind::Fenced(_)),
                    _ => false,
                };
                stack.push(Frame {
                    range,
                    blank_syntax,
                    blank_all: matches!(tag, Tag::MetadataBlock(_)),
                    children: Vec::new(),
                });
                continue;
            }
            Event::End(_) => {
                let Some(frame) = stack.pop() else { continue };
                if frame.blank_all {
                    blank(&mut out, source, frame.range.clone(), &prefix);
                } else if frame.blank_syntax {
                    for gap in gaps(&frame.range, &frame.children) {
                        blank(&mut out, source, gap, &prefix);
                    }
                }
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(frame.range);
                }
                continue;
            }
            Event::Text(text) => {
                let raw = &source[range.clone()];
                if *text != *raw && text.len() <= raw.len() && !raw.contains('\n') {
                    // An escape or an entity: the character it stands for, then spaces.
                    out[range.start..range.start + text.len()].copy_from_slice(text.as_bytes());
                    out[range.start + text.len()..range.end].fill(b' ');
                }
            }
            Event::Code(_) => {
                let raw = source[range.clone()].as_bytes();
                let lead = raw.iter().take_while(|&&b| b == b'`').count();
                let trail = raw.iter().rev().take_while(|&&b| b == b'`').count();
                out[range.start..range.start + lead].fill(b' ');
                out[range.end - trail..range.end].fill(b' ');
            }
            Event::Html(_) | Event::InlineHtml(_) | Event::HardBreak | Event::Rule => {
                blank(&mut out, source, range.clone(), &prefix);
            }
            _ => {}
        }
        if let Some(parent) = stack.last_mut() {
            parent.children.push(range);
        }
    }
    for (_, def) in parser.reference_definitions().iter() {
        blank(&mut out, source, def.span.clone(), &prefix);
    }
    // Only ASCII bytes and whole characters were replaced, by valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| source.to_string())
}

/// The parts of `range` that no child covers.
fn gaps(range: &Range<usize>, children: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut sorted = children.to_vec();
    sorted.sort_by_key(|c| c.start);
    let mut out = Vec::new();
    let mut at = range.start;
    for c in sorted {
        if c.start > at {
            out.push(at..c.start.min(range.end));
        }
        at = at.max(c.end);
    }
    if at < range.end {
        out.push(at..range.end);
    }
    out
}

/// Marks the bytes of each line's leading run of spaces, tabs and `>`.
fn line_prefixes(source: &str) -> Vec<bool> {
    let mut prefix = vec![false; source.len()];
    let mut at_start = true;
    for (i, b) in source.bytes().enumerate() {
        if b == b'\n' || b == b'\r' {
            at_start = true;
        } else if at_start && matches!(b, b' ' | b'\t' | b'>') {
            prefix[i] = true;
        } else {
            at_start = false;
        }
    }
    prefix
}

/// Replaces every character of `range` with spaces (as many as its bytes),
/// except white space, line breaks and line prefixes.
fn blank(out: &mut [u8], source: &str, range: Range<usize>, prefix: &[bool]) {
    let start = range.start;
    for (i, c) in source[range].char_indices() {
        let at = start + i;
        if c.is_whitespace() || prefix[at] {
            continue;
        }
        out[at..at + c.len_utf8()].fill(b' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(source: &str, expected: &str) {
        let masked = mask(source);
        assert_eq!(masked.len(), source.len(), "length changed for {source:?}");
        assert_eq!(masked, expected, "masking {source:?}");
    }

    #[test]
    fn emphasis_headings_and_code() {
        check(
            "# Hello\n\n**Thank you** for _this_ and `that`.\n",
            "  Hello\n\n  Thank you   for  this  and  that .\n",
        );
    }

    #[test]
    fn links_keep_their_text() {
        check(
            "See [the guide](https://example.com \"t\") and <https://x.org>.\n",
            "See  the guide                           and  https://x.org .\n",
        );
        check(
            "A [ref][r] here.\n\n[r]: https://example.com\n",
            "A  ref     here.\n\n                        \n",
        );
    }

    #[test]
    fn quotes_bullets_and_front_matter() {
        check(
            "---\ntitle: x\n---\n\n> **Hey** there\n\n- *one*\n",
            "   \n        \n   \n\n>   Hey   there\n\n-  one \n",
        );
    }

    #[test]
    fn escapes_entities_html_and_multibyte() {
        check(
            "Caf\u{e9} \\*ok\\* &amp; <b>bold</b> **\u{201c}quoted\u{201d}**<!-- note -->\n",
            "Caf\u{e9}  *ok * &        bold       \u{201c}quoted\u{201d}               \n",
        );
        let s = "Ünïcödé **ß** — `€` <span>日本</span>\n";
        let m = mask(s);
        assert_eq!(m.len(), s.len());
        assert!(m.contains("ß") && m.contains("€") && m.contains("日本"));
    }
}
