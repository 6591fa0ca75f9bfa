//! Reading `.eml` mail (RFC 5322 + MIME): headers, the text body, transfer encodings and charsets.

use mail_parser::{Address, Message, MessageParser, PartType};

use super::InputError;
use crate::letter::Letter;

/// The note shown with findings in decoded mail.
pub const DERIVED_NOTE: &str =
    "decoded from the MIME message; line numbers refer to the decoded text";

/// Decodes a mail message into a letter whose text is the headers that matter
/// (`Subject`, `From`, `To`, `Date`), a blank line and the decoded body.
pub fn load(path: &str, bytes: &[u8]) -> Result<Letter, InputError> {
    let text = decode(path, bytes)?;
    let mut letter = Letter::with_headers(path, text);
    letter.derived = Some(DERIVED_NOTE.to_string());
    Ok(letter)
}

/// The text a mail message is linted as.
pub fn decode(path: &str, bytes: &[u8]) -> Result<String, InputError> {
    let fail = |message: &str| InputError::Mail {
        path: path.to_string(),
        message: message.to_string(),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty {
            path: path.to_string(),
        });
    }
    let message = MessageParser::default()
        .parse(bytes)
        .filter(|m| !m.root_part().headers.is_empty())
        .ok_or_else(|| fail("not a mail message: it has no RFC 5322 headers"))?;
    let body = body_text(&message).ok_or_else(|| fail("the message has no text part"))?;
    if body.contains('\0') {
        return Err(fail(
            "the decoded text part holds a NUL byte; it is not a letter",
        ));
    }
    if body.trim().is_empty() {
        return Err(fail("the message's text part is empty"));
    }

    let mut text = String::new();
    let has_subject = message.headers().iter().any(|h| h.name() == "Subject");
    if has_subject {
        push_header(&mut text, "Subject", message.subject().unwrap_or(""));
    }
    if let Some(from) = message.from() {
        push_header(&mut text, "From", &addresses(from));
    }
    if let Some(to) = message.to() {
        push_header(&mut text, "To", &addresses(to));
    }
    if let Some(date) = message.header_raw("Date") {
        push_header(&mut text, "Date", date);
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(&normalize_newlines(&body));
    Ok(text)
}

/// The message's text: its `text/plain` parts, or its HTML converted to text.
fn body_text(message: &Message<'_>) -> Option<String> {
    let mut parts = Vec::new();
    for part in message.text_bodies() {
        match &part.body {
            PartType::Text(t) => parts.push(t.to_string()),
            PartType::Html(h) => parts.push(html_to_text(h)),
            _ => {}
        }
    }
    if parts.is_empty() {
        if let Some(PartType::Html(h)) = message.html_bodies().next().map(|p| &p.body) {
            parts.push(html_to_text(h));
        }
    }
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

fn push_header(text: &mut String, name: &str, value: &str) {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    text.push_str(name);
    text.push(':');
    if !value.is_empty() {
        text.push(' ');
        text.push_str(&value);
    }
    text.push('\n');
}

/// `Dana Park <dana@example.com>, ops@example.com`.
fn addresses(address: &Address<'_>) -> String {
    address
        .iter()
        .map(|a| {
            let email = a.address().unwrap_or("");
            match a.name().map(str::trim).filter(|n| !n.is_empty()) {
                Some(name) if email.is_empty() => name.to_string(),
                Some(name) if name.contains([',', '<', '>', '"']) => {
                    format!("\"{}\" <{email}>", name.replace('"', ""))
                }
                Some(name) => format!("{name} <{email}>"),
                None => email.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// CRLF and lone CR become LF.
fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Tags whose content is never text.
const SKIPPED: &[&str] = &["head", "style", "script", "title", "template"];
/// Tags that stand apart as paragraphs.
const PARAGRAPHS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "pre",
    "hr",
    "blockquote",
];
/// Tags that start a new line.
const LINES: &[&str] = &[
    "div", "li", "tr", "section", "article", "header", "footer", "dt", "dd", "address", "center",
];

/// Converts an HTML body to plain text: tags dropped, block elements on their
/// own lines, paragraphs apart, entities decoded, `<blockquote>` lines quoted
/// with `> ` so they stay out of the letter.
pub fn html_to_text(html: &str) -> String {
    let mut out = Html::default();
    let mut skip: Option<String> = None;
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        if rest.starts_with('<') {
            if let Some(end) = rest.find('>') {
                let tag = &rest[1..end];
                rest = &rest[end + 1..];
                let closing = tag.starts_with('/');
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                if let Some(skipped) = &skip {
                    if closing && *skipped == name {
                        skip = None;
                    }
                    continue;
                }
                out.tag(&name, closing, tag.ends_with('/'), &mut skip);
                continue;
            }
        }
        // A `<` that opens no tag is text.
        let from = usize::from(rest.starts_with('<'));
        let end = rest[from..].find('<').map_or(rest.len(), |i| i + from);
        if skip.is_none() {
            out.text(&decode_entities(&rest[..end]));
        }
        rest = &rest[end..];
    }
    out.finish()
}

#[derive(Default)]
struct Html {
    out: String,
    quote_depth: usize,
    pending_space: bool,
}

impl Html {
    fn tag(&mut self, name: &str, closing: bool, self_closing: bool, skip: &mut Option<String>) {
        if SKIPPED.contains(&name) && !closing && !self_closing {
            *skip = Some(name.to_string());
        } else if name == "br" {
            self.out.push('\n');
            self.pending_space = false;
        } else if PARAGRAPHS.contains(&name) {
            self.paragraph_break();
            if name == "blockquote" {
                if closing {
                    self.quote_depth = self.quote_depth.saturating_sub(1);
                } else {
                    self.quote_depth += 1;
                }
            }
        } else if LINES.contains(&name) {
            self.line_break();
        } else if matches!(name, "td" | "th") {
            self.pending_space = true;
        }
    }

    fn text(&mut self, text: &str) {
        for c in text.chars() {
            // A no-break space is kept (as a plain space): `<div>&nbsp;</div>` is a blank line.
            if c.is_whitespace() && c != '\u{a0}' {
                self.pending_space = true;
                continue;
            }
            let c = if c == '\u{a0}' { ' ' } else { c };
            if self.out.is_empty() || self.out.ends_with('\n') {
                for _ in 0..self.quote_depth {
                    self.out.push_str("> ");
                }
            } else if self.pending_space {
                self.out.push(' ');
            }
            self.pending_space = false;
            self.out.push(c);
        }
    }

    fn line_break(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.pending_space = false;
    }

    fn paragraph_break(&mut self) {
        self.line_break();
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// Trailing spaces off, runs of blank lines down to one.
    fn finish(self) -> String {
        let mut text = String::new();
        let mut blank = true;
        for line in self.out.lines().map(str::trim_end) {
            if line.is_empty() {
                if !blank {
                    text.push('\n');
                }
                blank = true;
            } else {
                text.push_str(line);
                text.push('\n');
                blank = false;
            }
        }
        while text.ends_with("\n\n") {
            text.pop();
        }
        text
    }
}

/// Decodes `&amp;`, `&#8217;`, `&rsquo;` and the other HTML character references.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let len = rest[1..]
            .bytes()
            .take(32)
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
            .count();
        if rest.as_bytes().get(len + 1) == Some(&b';') && len > 0 {
            mail_parser::decoders::html::add_html_token(
                &mut out,
                &rest.as_bytes()[..len + 2],
                false,
            );
            rest = &rest[len + 2..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_keeps_paragraphs_and_quotes() {
        let html = "<html><head><style>p{}</style></head><body>\
            <p>Dear Dana,</p><p>Thank&nbsp;you &amp; goodbye &rsquo;til&#8230;</p>\
            <div>Best,</div><div>Sam</div>\
            <blockquote><p>Hey [Name]!!</p></blockquote></body></html>";
        assert_eq!(
            html_to_text(html),
            "Dear Dana,\n\nThank you & goodbye ’til…\n\nBest,\nSam\n\n> Hey [Name]!!\n"
        );
    }

    #[test]
    fn gmail_divs_and_breaks() {
        let html =
            "<div dir=\"ltr\"><div>Hi Dana,</div><div><br></div><div>No, thank you.</div></div>";
        assert_eq!(html_to_text(html), "Hi Dana,\n\nNo, thank you.\n");
        let outlook = "<div>Subject: Interview</div><div>&nbsp;</div><div>Hey!!</div>";
        assert_eq!(html_to_text(outlook), "Subject: Interview\n\nHey!!\n");
    }

    #[test]
    fn stray_ampersands_and_angles_survive() {
        assert_eq!(html_to_text("A & B < C"), "A & B < C\n");
    }
}
