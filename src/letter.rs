//! The letter model: a decline letter split into its parts, as byte spans into the original text.

use std::ops::Range;

use crate::pattern::Builtin;

/// A byte range into a letter's text, always on UTF-8 character boundaries.
pub type Span = Range<usize>;

/// A mail header found at the top of a letter (`Subject:`, `To:` …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The header's name, as written (`Subject`).
    pub name: Span,
    /// The header's value, trimmed.
    pub value: Span,
}

/// A body paragraph and the sentences in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub span: Span,
    /// Indexes into [`Letter::sentences`].
    pub sentences: Range<usize>,
}

/// A parsed letter. Every part is a span into [`Letter::text`].
#[derive(Debug, Clone)]
pub struct Letter {
    pub name: String,
    /// The text rules read. Spans index it.
    pub text: String,
    /// The text as the file holds it, when it differs from [`Letter::text`] but
    /// has the same length (a Markdown letter with its markup blanked out).
    pub original: Option<String>,
    /// A note for the reader about how the text was derived ("decoded from MIME").
    pub derived: Option<String>,
    /// Mail headers at the top of the text (or from a `.eml` file).
    pub headers: Vec<Header>,
    /// True when the input carried mail headers other than a lone subject line.
    pub has_headers: bool,
    /// The subject's value.
    pub subject: Option<Span>,
    /// Lines before the greeting that are not headers: address blocks, dates.
    pub preamble: Vec<Span>,
    /// The whole greeting ("Dear Ms. Lee,").
    pub greeting: Option<Span>,
    /// The name in the greeting ("Ms. Lee").
    pub greeting_name: Option<Span>,
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Span>,
    /// The valediction ("Best regards,").
    pub signoff: Option<Span>,
    /// Lines after the sign-off (or a lone name closing the letter).
    pub signature: Vec<Span>,
    /// Quoted replies, forwarded messages and `-- ` signature blocks: no rule looks here.
    pub excluded: Vec<Span>,
}

#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    /// End of the line's content, before `\r\n` or `\n`.
    end: usize,
}

static HEADER: Builtin =
    Builtin::new(r"(?i)^(subject|to|from|cc|bcc|date|reply-to|sent)[ \t]*:[ \t]*(.*?)[ \t]*$");

static SUBJECT_LINE: Builtin =
    Builtin::new(r"(?i)^[ \t]*(?:subject|sub|re)[ \t]*:[ \t]*(.*?)[ \t]*$");

static GREETING: Builtin = Builtin::new(
    r"(?i)^[ \t]*(dear|hello|hi|hey|hiya|heya|yo|sup|howdy|greetings|good (?:morning|afternoon|evening|day)|what['’]?s up|to whom it may concern)\b",
);

static BARE_NAME_GREETING: Builtin = Builtin::new(
    r"^[ \t]*((?:(?:Mr|Mrs|Ms|Mx|Dr|Prof)\.?[ \t]+)?[\p{Lu}\[][\p{L}\]'’.\-]*(?:[ \t]+[\p{Lu}\[][\p{L}\]'’.\-]*){0,2})[ \t]*,[ \t]*$",
);

static SIGNOFF: Builtin = Builtin::new(
    r"(?i)^[ \t]*((?:(?:best|kind|kindest|warm|warmest|warmly|with (?:best|kind|warm)) )?regards|best wishes|warm wishes|with best wishes|all the best|all my best|(?:yours )?(?:sincerely|truly|faithfully|respectfully|cordially)(?: yours)?|(?:many|with many|with|again,?) thanks(?: again)?|thanks(?: again| so much| once again| once more)?|thank you(?: again| so much| once again| once more)?|cheers|take care|with (?:gratitude|appreciation|thanks)|gratefully|respectfully|warmly|best|regards)\b[ \t]*([,.!:;\-–—]?)[ \t]*",
);

/// The names [`HEADER`] knows.
const HEADER_NAMES: [&str; 8] = [
    "subject", "to", "from", "cc", "bcc", "date", "reply-to", "sent",
];

/// A mail header line, `Name: value`: the spans of the name and of the value
/// (without the spaces and tabs around it), as [`HEADER`] reads them. Read by
/// hand when the name is ASCII, which is quicker than the regex's groups; the
/// regex reads the rest (its case folding matches `ſ` to `s`).
fn header_in(t: &str) -> Option<(Span, Span)> {
    let colon = t.find(':')?;
    let name = t[..colon].trim_end_matches([' ', '\t']);
    if !name.is_ascii() {
        let caps = HEADER.captures(t)?;
        return Some((group(&caps, 1), group(&caps, 2)));
    }
    if !HEADER_NAMES.iter().any(|n| n.eq_ignore_ascii_case(name)) {
        return None;
    }
    let value = t[colon + 1..].trim_start_matches([' ', '\t']);
    let start = t.len() - value.len();
    Some((
        0..name.len(),
        start..start + value.trim_end_matches([' ', '\t']).len(),
    ))
}

/// The words a sign-off ([`SIGNOFF`]) can begin with.
const SIGNOFF_FIRST: [&str; 22] = [
    "again",
    "all",
    "best",
    "cheers",
    "cordially",
    "faithfully",
    "gratefully",
    "kind",
    "kindest",
    "many",
    "regards",
    "respectfully",
    "sincerely",
    "take",
    "thank",
    "thanks",
    "truly",
    "warm",
    "warmest",
    "warmly",
    "with",
    "yours",
];

/// False when line `t` cannot be a sign-off: its first word (after spaces and
/// tabs) is ASCII and none of [`SIGNOFF_FIRST`]. A first word beyond ASCII is
/// left to the regex, whose case folding matches `ſ` to `s` and the Kelvin
/// sign to `k`.
fn may_sign_off(t: &str) -> bool {
    let rest = t.trim_start_matches([' ', '\t']);
    let first = &rest[..rest
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(rest.len())];
    !first.is_ascii() || SIGNOFF_FIRST.iter().any(|w| w.eq_ignore_ascii_case(first))
}

/// A mail client's line before the quoted message: "On Tue, 3 Nov 2026,
/// Dana Park <dana@x> wrote:", and the same in French, German, Spanish,
/// Italian, Dutch, Portuguese, Swedish and Danish, and Polish ("Le … a
/// écrit :", "Am … schrieb Dana Park <dana@x>:"). It gives a date, so a
/// line without a digit ("On reflection, this is what I wrote:") is not one,
/// nor is one of more than [`ATTRIBUTION_MAX`] bytes. (Unbounded `.*` here:
/// a bounded repetition of any character compiles to a large automaton,
/// and this pattern is compiled for most letters.)
const ATTRIBUTION_MAX: usize = 400;

static ATTRIBUTION: Builtin = Builtin::new(
    r"(?i)^[ \t]*(?:on|le|am|el|il|op|em|den|w dniu)\b.*\b(?:wrote|a écrit|schrieb|escribió|ha scritto|schreef|escreveu|skrev|napisał(?:\(a\))?)(?:[ \t][^:\n]*)?[ \t]*:[ \t]*$",
);

static ORIGINAL_MESSAGE: Builtin = Builtin::new(
    r"(?i)^[ \t]*(?:-{2,}[ \t]*(?:original message|forwarded message)[ \t]*-{2,}|_{10,}|begin forwarded message:)",
);

static OUTLOOK_FIELD: Builtin = Builtin::new(r"(?i)^[ \t]*\*?(from|sent|date|to|cc|subject)\*?:");

static SENT_FROM: Builtin = Builtin::new(r"(?i)^[ \t]*sent from my \w+");

/// What the quoted-text patterns must begin with (after spaces and tabs), as
/// (pattern, ASCII bytes in either case): most lines begin otherwise, and are
/// ruled out without a search.
const LEADS: [(&Builtin, &[u8]); 3] = [
    (&ATTRIBUTION, b"olaeidw"),
    (&ORIGINAL_MESSAGE, b"-_b"),
    (&SENT_FROM, b"s"),
];

/// True when `pattern` matches `t`, ruling out first (see [`LEADS`]) lines
/// that begin with none of `leads`. A line that begins with a character other
/// than ASCII is left to the pattern: case folding maps a few of them onto
/// ASCII letters (`ſ` onto `s`).
fn leads_to((pattern, leads): (&Builtin, &[u8]), t: &str) -> bool {
    t.bytes()
        .find(|&b| b != b' ' && b != b'\t')
        .is_some_and(|b| !b.is_ascii() || leads.iter().any(|l| l.eq_ignore_ascii_case(&b)))
        && pattern.is_match(t)
}

/// A group that the pattern always sets when it matches.
fn group(groups: &[Option<Span>], i: usize) -> Span {
    groups[i].clone().expect("group")
}

impl Letter {
    /// Parses plain text into a letter. Never fails: every text has some reading.
    pub fn parse(name: impl Into<String>, text: impl Into<String>) -> Letter {
        let text = text.into();
        let mut letter = Letter {
            name: name.into(),
            text,
            original: None,
            derived: None,
            headers: Vec::new(),
            has_headers: false,
            subject: None,
            preamble: Vec::new(),
            greeting: None,
            greeting_name: None,
            paragraphs: Vec::new(),
            sentences: Vec::new(),
            signoff: None,
            signature: Vec::new(),
            excluded: Vec::new(),
        };
        letter.analyse();
        letter
    }

    /// Parses a body whose headers came from elsewhere (a `.eml` file).
    pub fn with_headers(name: impl Into<String>, text: impl Into<String>) -> Letter {
        let mut letter = Letter::parse(name, text);
        letter.has_headers = true;
        letter
    }

    /// The text to show and to fix: the file's own text where spans map onto it.
    pub fn source(&self) -> &str {
        self.original.as_deref().unwrap_or(&self.text)
    }

    /// The text rules match: the letter's text with each line break inside
    /// a paragraph made a space (`\r\n` two), so that a phrase wrapped onto
    /// the next line, as mail is at some 72 columns, still matches. Offsets
    /// are the text's; line breaks next to a blank line stay.
    pub fn flowed(&self) -> std::borrow::Cow<'_, str> {
        flowed(&self.text)
    }

    /// The text of a span.
    pub fn slice(&self, span: &Span) -> &str {
        &self.text[span.clone()]
    }

    /// A header's value by name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| self.slice(&h.name).eq_ignore_ascii_case(name))
            .map(|h| self.slice(&h.value))
    }

    /// The span from the first body paragraph's start to the last one's end.
    pub fn body_span(&self) -> Option<Span> {
        let first = self.paragraphs.first()?;
        let last = self.paragraphs.last()?;
        Some(first.span.start..last.span.end)
    }

    /// True when `span` overlaps excluded text (quotes, signature blocks).
    pub fn is_excluded(&self, span: &Span) -> bool {
        self.excluded
            .iter()
            .any(|e| e.start < span.end.max(span.start + 1) && span.start < e.end)
    }

    /// All text rules may look at, in order: subject, preamble, greeting, body,
    /// sign-off and signature.
    pub fn included_spans(&self) -> Vec<Span> {
        let mut spans: Vec<Span> = Vec::new();
        spans.extend(self.subject.clone());
        spans.extend(self.preamble.iter().cloned());
        spans.extend(self.greeting.clone());
        spans.extend(self.paragraphs.iter().map(|p| p.span.clone()));
        spans.extend(self.signoff.clone());
        spans.extend(self.signature.iter().cloned());
        spans.sort_by_key(|s| s.start);
        spans
    }

    fn lines(&self) -> Vec<Line> {
        let mut lines = Vec::new();
        // A UTF-8 byte-order mark is not part of the first line.
        let mut start = if self.text.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        let bytes = self.text.as_bytes();
        while start <= bytes.len() {
            let rel = memchr_newline(&bytes[start..]);
            let (end, next) = match rel {
                Some(i) => (start + i, start + i + 1),
                None => (bytes.len(), bytes.len() + 1),
            };
            // A lone CR ends a line (and is not in it); so does CR before LF,
            // the only place a CR can be at the end of `start..end`.
            let content_end = if end > start && bytes[end - 1] == b'\r' {
                end - 1
            } else {
                end
            };
            lines.push(Line {
                start,
                end: content_end,
            });
            start = next;
        }
        if let Some(last) = lines.last() {
            if last.start == bytes.len() && lines.len() > 1 {
                lines.pop();
            }
        }
        lines
    }

    fn line_text(&self, line: &Line) -> &str {
        &self.text[line.start..line.end]
    }

    fn is_blank(&self, line: &Line) -> bool {
        self.line_text(line).trim().is_empty()
    }

    /// Trims white space off both ends of a span.
    fn trim(&self, span: Span) -> Span {
        let s = &self.text[span.clone()];
        let lead = s.len() - s.trim_start().len();
        let trail = s.len() - s.trim_end().len();
        if lead == s.len() {
            return span.start..span.start;
        }
        span.start + lead..span.end - trail
    }

    fn analyse(&mut self) {
        let lines = self.lines();
        let n = lines.len();

        // 1. Headers at the very top.
        let mut i = 0;
        while i < n && !self.is_blank(&lines[i]) {
            let t = self.line_text(&lines[i]);
            let Some((name, value)) = header_in(t) else {
                break;
            };
            let base = lines[i].start;
            self.headers.push(Header {
                name: base + name.start..base + name.end,
                value: base + value.start..base + value.end,
            });
            i += 1;
        }
        // A lone `Subject:` line is a subject, not mail headers.
        let header_lines = i;
        if header_lines > 0 {
            let only_subject = self
                .headers
                .iter()
                .all(|h| self.slice(&h.name).eq_ignore_ascii_case("subject"));
            self.has_headers = !only_subject;
            if let Some(h) = self
                .headers
                .iter()
                .find(|h| self.slice(&h.name).eq_ignore_ascii_case("subject"))
            {
                self.subject = Some(h.value.clone());
            }
        }

        // 2. Where quoted or forwarded text begins, and `>` lines.
        let mut cut = n;
        let mut quoted = vec![false; n];
        let mut j = header_lines;
        while j < n {
            let t = self.line_text(&lines[j]);
            let trimmed = t.trim_start();
            if trimmed.starts_with('>') {
                quoted[j] = true;
            } else if (t.len() <= ATTRIBUTION_MAX
                && t.trim_end().ends_with(':')
                && t.bytes().any(|b| b.is_ascii_digit())
                && leads_to(LEADS[0], t))
                || leads_to(LEADS[1], t)
                || t == "-- "
                || t == "--"
                || self.is_wrapped_attribution(&lines, j)
                || self.is_outlook_block(&lines, j)
            {
                cut = j;
                break;
            } else if leads_to(LEADS[2], t) {
                quoted[j] = true;
            }
            j += 1;
        }
        if cut < n {
            let start = lines[cut].start;
            self.excluded.push(start..self.text.len());
        }
        for (k, q) in quoted.iter().enumerate() {
            if *q {
                self.excluded.push(lines[k].start..lines[k].end);
            }
        }

        // Content lines: after headers, before the cut, not quoted.
        let content: Vec<usize> = (header_lines..cut)
            .filter(|&k| !quoted[k] && !self.is_blank(&lines[k]))
            .collect();
        if content.is_empty() {
            return;
        }

        // 3. Greeting (and everything before it is preamble).
        let mut body_first_line = 0; // index into `content`
        let mut body_start_offset: Option<usize> = None;
        for (ci, &k) in content.iter().enumerate().take(14) {
            let line = lines[k];
            let t = self.line_text(&line);
            if let Some((greeting, name, rest)) = self.greeting_in(line, t, ci == 0) {
                for &p in &content[..ci] {
                    self.add_preamble_line(lines[p]);
                }
                self.greeting = Some(greeting);
                self.greeting_name = name;
                body_start_offset = rest;
                body_first_line = if rest.is_some() { ci } else { ci + 1 };
                break;
            }
        }
        if self.greeting.is_none() {
            // Without a greeting, subject lines may still open the text.
            let mut ci = 0;
            while ci < content.len() {
                let line = lines[content[ci]];
                if let Some(c) = SUBJECT_LINE.captures(self.line_text(&line)) {
                    if self.subject.is_none() {
                        let v = group(&c, 1);
                        self.subject = Some(line.start + v.start..line.start + v.end);
                    } else {
                        self.preamble.push(line.start..line.end);
                    }
                    ci += 1;
                } else {
                    break;
                }
            }
            body_first_line = ci;
        }

        // 4. Sign-off and signature, searched from the end.
        let mut body_last_line = content.len(); // exclusive
        let tail_from = content.len().saturating_sub(8).max(body_first_line);
        for ci in (tail_from..content.len()).rev() {
            let line = lines[content[ci]];
            let after = content.len() - ci - 1;
            if after > 6 {
                break;
            }
            if let Some((signoff, inline_name)) = self.signoff_in(line) {
                let short_tail = content[ci + 1..].iter().all(|&k| {
                    let t = self.line_text(&lines[k]);
                    t.split_whitespace().count() <= 9 && !t.trim_end().ends_with('?')
                });
                if !short_tail {
                    continue;
                }
                // A line that both opens and closes the letter stays the body's.
                if ci < body_first_line
                    || (ci == body_first_line && body_start_offset.is_some_and(|o| o > line.start))
                {
                    break;
                }
                self.signoff = Some(signoff);
                self.signature.extend(inline_name);
                for &k in &content[ci + 1..] {
                    let span = self.trim(lines[k].start..lines[k].end);
                    self.signature.push(span);
                }
                body_last_line = ci;
                break;
            }
        }
        if self.signoff.is_none() && content.len() > body_first_line + 1 {
            // A lone name on the last line, set apart from the body.
            let last = lines[content[content.len() - 1]];
            if self.looks_like_name(self.line_text(&last)) {
                self.signature.push(self.trim(last.start..last.end));
                body_last_line = content.len() - 1;
            }
        }
        if body_last_line < body_first_line {
            body_last_line = body_first_line;
        }

        // 5. Body paragraphs: runs of adjacent content lines.
        let mut para: Option<(usize, usize, usize)> = None; // (start offset, end offset, last line index)
        for (ci, &k) in content
            .iter()
            .enumerate()
            .take(body_last_line)
            .skip(body_first_line)
        {
            let line = lines[k];
            let start = if ci == body_first_line {
                body_start_offset.unwrap_or(line.start)
            } else {
                line.start
            };
            let end = line.end;
            let span = self.trim(start..end);
            if span.is_empty() {
                continue;
            }
            match para {
                Some((ps, _, last_k)) if last_k + 1 == k => para = Some((ps, span.end, k)),
                Some((ps, pe, _)) => {
                    self.push_paragraph(ps..pe);
                    para = Some((span.start, span.end, k));
                }
                None => para = Some((span.start, span.end, k)),
            }
        }
        if let Some((ps, pe, _)) = para {
            self.push_paragraph(ps..pe);
        }
        self.excluded.sort_by_key(|s| s.start);
    }

    fn add_preamble_line(&mut self, line: Line) {
        if let Some(c) = SUBJECT_LINE.captures(self.line_text(&line)) {
            if self.subject.is_none() {
                let v = group(&c, 1);
                self.subject = Some(line.start + v.start..line.start + v.end);
                return;
            }
        }
        self.preamble.push(self.trim(line.start..line.end));
    }

    /// Recognises a greeting at the start of a line: its span, the name in it, and
    /// where the body starts when the greeting is inline ("Hi Dana, thanks for …").
    fn greeting_in(
        &self,
        line: Line,
        t: &str,
        first: bool,
    ) -> Option<(Span, Option<Span>, Option<usize>)> {
        if let Some(m) = GREETING.find(t) {
            let words = t.split_whitespace().count();
            // Where does the greeting end? At the first comma, colon or dash within
            // a few words, else at the end of a short line.
            let head_end = t[m.end..]
                .char_indices()
                .find(|&(_, c)| matches!(c, ',' | ':' | '!' | '—' | '–' | ';'))
                .map(|(i, c)| m.end + i + c.len_utf8());
            let greeting_end = match head_end {
                Some(e) if t[..e].split_whitespace().count() <= 7 => e,
                _ if words <= 7 => t.trim_end().len(),
                _ => return None,
            };
            let greeting = self.trim(line.start..line.start + greeting_end);
            let name_start = line.start + m.end;
            let mut name_end = line.start + greeting_end;
            let raw = &self.text[name_start..name_end];
            let strip = raw.len()
                - raw
                    .trim_end_matches([',', ':', '!', '—', '–', ';', ' ', '\t'])
                    .len();
            name_end -= strip;
            let name = self.trim(name_start..name_end);
            let name = (!name.is_empty()).then_some(name);
            let rest = self.trim(line.start + greeting_end..line.end);
            let rest = (!rest.is_empty()).then_some(rest.start);
            return Some((greeting, name, rest));
        }
        if first {
            if let Some(c) = BARE_NAME_GREETING.captures(t) {
                let g = self.trim(line.start..line.end);
                let name = group(&c, 1);
                return Some((
                    g,
                    Some(line.start + name.start..line.start + name.end),
                    None,
                ));
            }
        }
        None
    }

    /// Recognises a sign-off line: the valediction and, for "Best, Sam", the name.
    fn signoff_in(&self, line: Line) -> Option<(Span, Option<Span>)> {
        let t = self.line_text(&line);
        if !may_sign_off(t) {
            return None;
        }
        let caps = SIGNOFF.captures(t)?;
        let whole = group(&caps, 0);
        let punct = caps[2].clone().map_or("", |m| &t[m]);
        let rest = t[whole.end..].trim();
        let signoff = self.trim(line.start..line.start + whole.end);
        if rest.is_empty() {
            return Some((signoff, None));
        }
        if (punct == "," || punct == "-" || punct == "–" || punct == "—")
            && self.looks_like_name(rest)
        {
            let name = self.trim(line.start + whole.end..line.end);
            return Some((signoff, Some(name)));
        }
        None
    }

    /// A short run of capitalised words or a bracketed slot: "Sam Rivera", "[Your Name]".
    fn looks_like_name(&self, t: &str) -> bool {
        let t = t.trim().trim_end_matches('.');
        if t.is_empty() || t.len() > 60 {
            return false;
        }
        if t.starts_with('[') || t.starts_with('{') || t.starts_with('<') {
            return true;
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        if words.is_empty() || words.len() > 4 {
            return false;
        }
        if t.contains(['!', '?', ':', ';']) {
            return false;
        }
        words.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                || matches!(
                    *w,
                    "de" | "van" | "von" | "da" | "del" | "la" | "le" | "bin"
                )
        }) || (words.len() == 1 && words[0].chars().all(|c| c.is_alphanumeric() || c == '_'))
    }

    fn is_wrapped_attribution(&self, lines: &[Line], j: usize) -> bool {
        let t = self.line_text(&lines[j]);
        let starts_on = t.trim_start().as_bytes().get(..3);
        if !starts_on.is_some_and(|p| p.eq_ignore_ascii_case(b"on ")) || j + 1 >= lines.len() {
            return false;
        }
        let next = self.line_text(&lines[j + 1]).trim();
        next.ends_with("wrote:") && next.split_whitespace().count() <= 8 && t.len() < 300
    }

    /// An Outlook header block: `From:` followed within a few lines by `Sent:`/`Date:`
    /// and `To:` or `Subject:`.
    fn is_outlook_block(&self, lines: &[Line], j: usize) -> bool {
        let t = self
            .line_text(&lines[j])
            .trim_start()
            .trim_start_matches('*');
        if !t
            .as_bytes()
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"from:"))
        {
            return false;
        }
        let mut seen_sent = false;
        let mut seen_to = false;
        for line in lines.iter().skip(j + 1).take(6) {
            let t = self.line_text(line);
            if let Some(c) = OUTLOOK_FIELD.captures(t) {
                match t[group(&c, 1)].to_ascii_lowercase().as_str() {
                    "sent" | "date" => seen_sent = true,
                    "to" | "subject" | "cc" => seen_to = true,
                    _ => {}
                }
            }
        }
        seen_sent && seen_to
    }

    fn push_paragraph(&mut self, span: Span) {
        let first = self.sentences.len();
        for s in split_sentences(&self.text[span.clone()]) {
            self.sentences
                .push(span.start + s.start..span.start + s.end);
        }
        let last = self.sentences.len();
        self.paragraphs.push(Paragraph {
            span,
            sentences: first..last,
        });
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    memchr::memchr2(b'\n', b'\r', bytes).map(|i| {
        // Treat "\r\n" as one break (the '\r' is excluded from content by the caller),
        // and a lone '\r' as a break of its own.
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i + 1
        } else {
            i
        }
    })
}

/// Titles that never end a sentence.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "prof", "st", "sr", "jr", "rev", "hon", "capt", "col", "gen",
    "lt", "sgt", "messrs", "mme", "mlle",
];

/// Abbreviations that never end a sentence.
const NON_FINAL: &[&str] = &[
    "e.g", "i.e", "eg", "ie", "vs", "cf", "approx", "ca", "viz", "fig", "ref", "incl", "dept",
    "ext", "tel", "p", "pp", "op",
];

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»' | '}')
}

fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '(' | '[' | '«' | '{')
}

/// The bytes [`split_sentences`] stops at: '.', '!', '?', '\n' and the first
/// byte of a character from U+2000 on (where '…' and the full-width
/// terminators are). One table load a byte, not five comparisons.
static MAY_END: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b as u8, b'.' | b'!' | b'?' | b'\n') || b >= 0xE2;
        b += 1;
    }
    table
};

/// Splits a paragraph into sentences, returning trimmed byte ranges into `text`.
///
/// Titles ("Ms.", "Dr."), initials ("J."), "e.g.", "i.e.", "U.S.", decimals and
/// ellipses followed by a lower-case word do not end a sentence; closing quotes
/// and brackets stay with the sentence they close.
pub fn split_sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    // The character at a byte offset (a character boundary), if any.
    let at = |p: usize| text.get(p..).and_then(|rest| rest.chars().next());
    let mut start = 0usize;
    let mut pos = 0usize;
    // Only line ends and terminators can end a sentence: skip to the next.
    while let Some(skip) = bytes[pos..].iter().position(|&b| MAY_END[usize::from(b)]) {
        pos += skip;
        let Some(c) = at(pos) else { break };
        let after = pos + c.len_utf8();
        let is_line_end = c == '\n' && starts_bullet(text, after);
        if !matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？') && !is_line_end {
            pos = after;
            continue;
        }
        if is_line_end {
            push_trimmed(text, start..pos, &mut out);
            start = pos;
            pos = after;
            continue;
        }
        // The run of terminators and closers.
        let mut j = after;
        while let Some(t) = at(j).filter(|t| matches!(t, '.' | '!' | '?' | '…')) {
            j += t.len_utf8();
        }
        let run = &text[pos..j];
        while let Some(t) = at(j).filter(|&t| is_closer(t)) {
            j += t.len_utf8();
        }
        let end = j;
        let Some(following) = at(j) else {
            push_trimmed(text, start..end, &mut out);
            start = end;
            pos = j;
            continue;
        };
        if !following.is_whitespace() {
            // "3.5", "U.S.", "example.com", "?!)" glued to a word.
            pos = j;
            continue;
        }
        let mut k = j;
        let mut newline = false;
        while let Some(w) = at(k).filter(|w| w.is_whitespace()) {
            newline |= w == '\n' || w == '\r';
            k += w.len_utf8();
        }
        let Some(next) = at(k) else {
            push_trimmed(text, start..end, &mut out);
            start = end;
            pos = k;
            continue;
        };
        let next_upperish = next.is_uppercase()
            || next.is_numeric()
            || is_opener(next)
            || !next.is_alphabetic()
            || (next.is_alphabetic() && !next.is_lowercase());
        let boundary = if run == "." {
            let word = word_before(text, pos);
            // Lowercased only when it has to be (most words already are).
            let lowered;
            let lower = if word.is_ascii() && !word.bytes().any(|b| b.is_ascii_uppercase()) {
                word
            } else {
                lowered = word.to_lowercase();
                lowered.as_str()
            };
            if TITLES.contains(&lower) || NON_FINAL.contains(&lower) {
                false
            } else if matches!(lower, "no" | "nos") && next.is_ascii_digit() {
                // "No. 5"
                false
            } else if word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase()) {
                // An initial: "J. Smith".
                false
            } else if word.contains('.') {
                // "U.S.", "a.m.", "p.m.": a sentence ends only before a capital.
                next_upperish && !next.is_numeric()
            } else {
                next_upperish || newline
            }
        } else if run.chars().all(|c| c == '.' || c == '…') {
            // An ellipsis ends a sentence only before a capital.
            next_upperish && !is_opener(next)
        } else {
            true
        };
        if boundary {
            push_trimmed(text, start..end, &mut out);
            start = end;
        }
        pos = j;
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

/// True when the line that starts at byte `at` is a list item ("- ", "* ",
/// "• ", "– ", "1. ", "2) "), after any spaces or tabs.
fn starts_bullet(text: &str, at: usize) -> bool {
    let rest = text[at..].trim_start_matches([' ', '\t']);
    let mut chars = rest.chars();
    match chars.next() {
        Some('-' | '*' | '•' | '–') => chars.next() == Some(' '),
        Some(c) if c.is_ascii_digit() => {
            let mut after = rest
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .chars();
            matches!(after.next(), Some('.' | ')')) && after.next() == Some(' ')
        }
        _ => false,
    }
}

/// The word (letters and inner dots) right before byte `pos`.
fn word_before(text: &str, pos: usize) -> &str {
    let head = &text[..pos];
    let start = head
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &head[start..]
}

fn push_trimmed(text: &str, span: Span, out: &mut Vec<Span>) {
    let s = &text[span.clone()];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return;
    }
    let start = span.start + lead;
    out.push(start..start + trimmed.len());
}

/// Maps byte offsets to 1-based lines and character columns.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        let bytes = text.as_bytes();
        // A line ends at "\n", or at a "\r" not followed by "\n".
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    /// The 1-based line and 1-based character column of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let col = text[self.starts[line]..offset].chars().count() + 1;
        (line + 1, col)
    }

    /// The byte offset where a 0-based line starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }
}

/// See [`Letter::flowed`].
pub fn flowed(text: &str) -> std::borrow::Cow<'_, str> {
    let blank = |line: &[u8]| line.iter().all(u8::is_ascii_whitespace);
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    // Bytes of `text` copied to `out` so far.
    let mut done = 0;
    let mut breaks = memchr::memchr_iter(b'\n', bytes).peekable();
    let mut start = 0;
    let mut line_blank = None;
    while let Some(at) = breaks.next() {
        let this_blank = line_blank.unwrap_or_else(|| blank(&bytes[start..at]));
        let next_end = breaks.peek().copied().unwrap_or(bytes.len());
        let next_blank = blank(&bytes[at + 1..next_end]);
        if !this_blank && !next_blank {
            let from = if at > 0 && bytes[at - 1] == b'\r' {
                at - 1
            } else {
                at
            };
            let s = out.get_or_insert_with(|| String::with_capacity(text.len()));
            s.push_str(&text[done..from]);
            s.push_str(&"  "[..at + 1 - from]);
            done = at + 1;
        }
        start = at + 1;
        line_blank = Some(next_blank);
    }
    match out {
        None => std::borrow::Cow::Borrowed(text),
        Some(mut s) => {
            s.push_str(&text[done..]);
            std::borrow::Cow::Owned(s)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Breaks inside a paragraph become spaces, offsets kept; breaks next
    /// to a blank line, and a last line's, stay.
    #[test]
    fn flowed_joins_the_lines_of_a_paragraph() {
        let text = "Dear Ann,\n\nI must\ndecline, as\r\nI moved.\n  \nBest,\nBo\n";
        let f = flowed(text);
        assert_eq!(
            f,
            "Dear Ann,\n\nI must decline, as  I moved.\n  \nBest, Bo\n"
        );
        assert_eq!(f.len(), text.len());
        assert!(matches!(
            flowed("One line.\n\nTwo.\n"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    proptest::proptest! {
        /// Only line breaks change, each to a space, and only between two
        /// lines that are not blank.
        #[test]
        fn flowed_changes_only_breaks_between_lines_of_text(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["a", "é", " ", "\t", "\n", "\r\n"]),
                0..40,
            )
        ) {
            let text: String = parts.concat();
            let f = flowed(&text);
            proptest::prop_assert_eq!(f.len(), text.len());
            for (i, (a, b)) in text.bytes().zip(f.bytes()).enumerate() {
                if a != b {
                    proptest::prop_assert!(b == b' ' && (a == b'\n' || a == b'\r'));
                    let nl = if a == b'\r' { i + 1 } else { i };
                    let before = text[..nl].rsplit('\n').next().unwrap_or("");
                    let after = text[nl + 1..].split('\n').next().unwrap_or("");
                    proptest::prop_assert!(!before.trim().is_empty() && !after.trim().is_empty());
                }
            }
        }
    }

    /// Header lines read by hand are what the regex reads, and the quick check
    /// before the sign-off regex never turns away a line it matches (and does
    /// turn away most lines).
    #[test]
    fn header_and_sign_off_lines_are_read_as_the_regexes_read_them() {
        let mut lines = sample_lines();
        for first in SIGNOFF_FIRST {
            for line in [
                first.to_string(),
                format!("  {}, Sam", first.to_uppercase()),
                format!("\t{first}ly"),
                format!("{first}_x"),
                format!("{first}é"),
            ] {
                lines.push(line);
            }
        }
        for name in HEADER_NAMES {
            for line in [
                format!("{name}: x"),
                format!("{}\t :  a: b \t", name.to_uppercase()),
                format!("{name}:"),
                format!("{name} x: y"),
                format!(" {name}: y"),
                format!("{name}:\r \t"),
            ] {
                lines.push(line);
            }
        }
        lines.extend(
            [
                "ſincerely,",
                "\u{212A}ind regards",
                "Subject: x",
                "ſubject: x  ",
                "ſent:",
                "Daté: x",
                "- Best",
                "Best-wishes",
            ]
            .map(str::to_string),
        );
        let (mut passed, mut signoffs, mut headers) = (0, 0, 0);
        for line in &lines {
            let matches = SIGNOFF.captures(line).is_some();
            signoffs += usize::from(matches);
            if !may_sign_off(line) {
                assert!(!matches, "{line:?}");
                passed += 1;
            }
            let by_regex = HEADER
                .captures(line)
                .map(|caps| (group(&caps, 1), group(&caps, 2)));
            assert_eq!(header_in(line), by_regex, "{line:?}");
            headers += usize::from(by_regex.is_some());
        }
        assert!(
            signoffs > 50 && passed > lines.len() / 2 && headers > 20,
            "{signoffs} sign-offs, {headers} headers, {passed} of {} passed over",
            lines.len()
        );
    }

    /// The first words (runs of characters `in_word` accepts) of every match
    /// of `pattern` (case folding off), read off the literal prefixes the
    /// regex parser extracts.
    fn first_words(pattern: &str, in_word: impl Fn(char) -> bool) -> Vec<String> {
        use regex_syntax::hir::literal::{ExtractKind, Extractor};
        let hir = regex_syntax::parse(pattern).expect("pattern parses");
        let seq = Extractor::new()
            .kind(ExtractKind::Prefix)
            .limit_total(100_000)
            .extract(&hir);
        let lits = seq.literals().expect("a finite set of prefixes");
        let mut words: Vec<String> = lits
            .iter()
            .map(|lit| {
                let text = std::str::from_utf8(lit.as_bytes()).expect("UTF-8");
                let end = text.find(|c: char| !in_word(c)).unwrap_or(text.len());
                text[..end].to_string()
            })
            .collect();
        words.sort();
        words.dedup();
        words
    }

    /// The hand-written lists of header names and of sign-offs' first words
    /// are exactly the words the two regexes can begin with, so a word added
    /// to a regex cannot be turned away unseen by the quick checks.
    #[test]
    fn the_quick_checks_know_every_word_the_regexes_begin_with() {
        let body =
            |src: &'static str, prefix: &str| src.strip_prefix(prefix).expect("known prefix");
        // A header's name runs to the colon; a sign-off's first word to the
        // first character that is not a letter or digit.
        let header = first_words(body(HEADER.src(), "(?i)^"), |c| {
            c != ':' && c != ' ' && c != '\t'
        });
        let mut names = HEADER_NAMES.map(str::to_string).to_vec();
        names.sort();
        assert_eq!(header, names);
        let signoff = first_words(body(SIGNOFF.src(), r"(?i)^[ \t]*"), char::is_alphanumeric);
        let mut firsts = SIGNOFF_FIRST.map(str::to_string).to_vec();
        firsts.sort();
        assert_eq!(signoff, firsts);
    }

    /// Every line of the letters under `tests/` and `examples/`.
    fn sample_lines() -> Vec<String> {
        crate::testing::sample_files(&["txt", "eml"])
            .iter()
            .flat_map(|t| t.lines().map(str::to_string).collect::<Vec<_>>())
            .collect()
    }

    /// The built-in patterns give what their regexes give, on every line of the
    /// letters under `tests/` and `examples/` (and variants of them).
    #[test]
    fn builtins_match_like_their_regexes() {
        let mut lines = sample_lines();
        let variants: Vec<String> = lines
            .iter()
            .flat_map(|l| {
                [
                    l.to_uppercase(),
                    format!("  \t{l}  "),
                    l.replace('s', "\u{17F}"),
                    l.replace('\'', "’"),
                ]
            })
            .collect();
        lines.extend(variants);
        lines.extend(
            [
                "Subject:",
                "to :  x  ",
                "Reply-To:\tDana",
                "On Tue, 3 Nov 2026 at 09:12, Dana <d@x.example> wrote:",
                "Le mar. 3 nov. 2026 à 09:12, Dana <d@x.example> a écrit :",
                "Am Di., 3. Nov. 2026 um 09:12 Uhr schrieb Dana <d@x.example>:",
                "Leave it with me, I wrote:",
                "----- Original Message -----",
                "__________",
                "*From:* Dana",
                "Sent from my iPhone",
                "Best, Sam",
                "Thanks again!",
                "With best wishes —",
                "Ms. Dana Lee,",
                "[Your Name],",
                "Ünal Öz,",
            ]
            .map(str::to_string),
        );
        assert!(lines.len() > 1000, "{} lines", lines.len());
        let all = [
            &HEADER,
            &SUBJECT_LINE,
            &GREETING,
            &BARE_NAME_GREETING,
            &SIGNOFF,
            &ATTRIBUTION,
            &ORIGINAL_MESSAGE,
            &OUTLOOK_FIELD,
            &SENT_FROM,
        ];
        for b in all {
            let re = b.regex();
            for l in &lines {
                let want = re
                    .captures(l)
                    .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect::<Vec<_>>());
                assert_eq!(b.captures(l), want, "{} on {l:?}", re.as_str());
                assert_eq!(
                    b.find(l),
                    re.find(l).map(|m| m.range()),
                    "{} on {l:?}",
                    re.as_str()
                );
            }
        }
    }

    /// Ruling lines out by how they begin never rules out a match.
    #[test]
    fn leads_rule_out_only_lines_that_cannot_match() {
        let mut lines = sample_lines();
        lines.extend(
            [
                "On Tue, 3 Nov 2026 at 09:12, Dana <d@x.example> wrote:",
                "  ON MONDAY DANA WROTE:",
                "----- Original Message -----",
                "\t__________",
                "Begin forwarded message:",
                "Sent from my iPhone",
                "\u{17F}ent from my phone",
                "SENT FROM MY TABLET",
                "",
                "   ",
            ]
            .map(str::to_string),
        );
        let (mut matched, mut unmatched) = (0, 0);
        for l in &lines {
            for lead in LEADS {
                let want = lead.0.regex().is_match(l);
                assert_eq!(leads_to(lead, l), want, "{l:?}");
                matched += usize::from(want);
                unmatched += usize::from(!want);
            }
        }
        assert!(matched >= 8 && unmatched > 1000, "{matched} {unmatched}");
    }

    fn sentences(text: &str) -> Vec<&str> {
        split_sentences(text)
            .into_iter()
            .map(|s| &text[s])
            .collect()
    }

    #[test]
    fn splitter_survives_abbreviations() {
        let t = "I met Ms. Lee and Dr. Ruiz at 9 a.m. on Monday. Mr. J. Smith was there, e.g. for notes. We moved to the U.S. last year.";
        assert_eq!(
            sentences(t),
            vec![
                "I met Ms. Lee and Dr. Ruiz at 9 a.m. on Monday.",
                "Mr. J. Smith was there, e.g. for notes.",
                "We moved to the U.S. last year."
            ]
        );
    }

    #[test]
    fn splitter_handles_decimals_ellipses_quotes() {
        let t = "The offer was 3.5 times higher... but no. She said \"thanks.\" Then (in brackets.) Done!";
        assert_eq!(
            sentences(t),
            vec![
                "The offer was 3.5 times higher... but no.",
                "She said \"thanks.\"",
                "Then (in brackets.)",
                "Done!"
            ]
        );
        assert_eq!(
            sentences("Wait... What? Yes i.e. no."),
            vec!["Wait...", "What?", "Yes i.e. no."]
        );
    }

    #[test]
    fn splitter_sees_am_pm_before_capital() {
        assert_eq!(
            sentences("We spoke at 10 a.m. Thank you again."),
            vec!["We spoke at 10 a.m.", "Thank you again."]
        );
    }

    #[test]
    fn parses_parts() {
        let t = "Subject: Interview\n\nDear Ms. Lee,\n\nThank you. I must decline.\n\nI hope we meet again.\n\nBest regards,\nSam Rivera\n";
        let l = Letter::parse("a.txt", t);
        assert_eq!(l.slice(l.subject.as_ref().unwrap()), "Interview");
        assert_eq!(l.slice(l.greeting.as_ref().unwrap()), "Dear Ms. Lee,");
        assert_eq!(l.slice(l.greeting_name.as_ref().unwrap()), "Ms. Lee");
        assert_eq!(l.paragraphs.len(), 2);
        assert_eq!(l.sentences.len(), 3);
        assert_eq!(l.slice(l.signoff.as_ref().unwrap()), "Best regards,");
        assert_eq!(l.slice(&l.signature[0]), "Sam Rivera");
        assert!(!l.has_headers);
    }

    #[test]
    fn inline_greeting_and_signoff() {
        let t = "Hi Dana, thanks for the invite. I will pass on the interview.\nKind regards, Sam Patel";
        let l = Letter::parse("a.txt", t);
        assert_eq!(l.slice(l.greeting.as_ref().unwrap()), "Hi Dana,");
        assert_eq!(l.slice(&l.sentences[0]), "thanks for the invite.");
        assert_eq!(l.slice(l.signoff.as_ref().unwrap()), "Kind regards,");
        assert_eq!(l.slice(&l.signature[0]), "Sam Patel");
    }

    #[test]
    fn quoted_reply_is_excluded() {
        let t = "Dear Dana,\n\nThank you, but I must decline.\n\nBest,\nSam\n\nOn Tue, 3 Nov 2026 at 09:12, Dana Park <dana@example.com> wrote:\n> Hey [Name]!!\n> Come in.\n";
        let l = Letter::parse("a.txt", t);
        assert_eq!(l.slice(&l.signature[0]), "Sam");
        let quote = t.find("On Tue").unwrap();
        assert!(l.is_excluded(&(quote..quote + 5)));
        assert!(l.sentences.iter().all(|s| s.end <= quote));
    }

    /// Mail clients in other languages introduce the quote in their own
    /// words; a sentence that merely ends in "wrote:" is not one of them.
    #[test]
    fn localised_attributions_start_the_quote() {
        for line in [
            "Le mar. 3 nov. 2026 à 09:12, Dana Park <dana@example.com> a écrit :",
            "Am Di., 3. Nov. 2026 um 09:12 Uhr schrieb Dana Park <dana@example.com>:",
            "El mar, 3 nov 2026 a las 09:12, Dana Park (<dana@example.com>) escribió:",
            "Il giorno mar 3 nov 2026 alle ore 09:12 Dana Park <dana@example.com> ha scritto:",
            "Op di 3 nov 2026 om 09:12 schreef Dana Park <dana@example.com>:",
            "Em ter., 3 de nov. de 2026 às 09:12, Dana Park <dana@example.com> escreveu:",
            "Den tis 3 nov. 2026 kl 09:12 skrev Dana Park <dana@example.com>:",
        ] {
            let t = format!("Dear Dana,\n\nThank you, but I must decline.\n\nBest,\nSam\n\n{line}\n> Hey [Name]!!\n");
            let l = Letter::parse("a.txt", t.as_str());
            assert_eq!(l.signature.len(), 1, "{line}");
            assert_eq!(l.slice(&l.signature[0]), "Sam", "{line}");
            let quote = t.find(line).unwrap();
            assert!(l.is_excluded(&(quote..quote + 5)), "{line}");
        }
        let t =
            "Dear Dana,\n\nOn reflection, here is what I wrote:\nI must decline.\n\nBest,\nSam\n";
        let l = Letter::parse("a.txt", t);
        assert!(!l.is_excluded(&(13..20)));
    }

    #[test]
    fn outlook_block_and_sig_delimiter() {
        let t = "Hello,\n\nI withdraw.\n\nRegards,\nAmir\n-- \nAmir Haddad | +1 555\n\nFrom: Dana Park\nSent: Monday\nTo: Amir\nSubject: Interview\n\nHi!!!\n";
        let l = Letter::parse("a.txt", t);
        let sig = t.find("-- ").unwrap();
        assert_eq!(l.excluded.last().unwrap().start, sig);
        assert_eq!(l.signature.len(), 1);
    }

    #[test]
    fn headers_at_top() {
        let t = "To: Dana Park <dana@example.com>\nFrom: Sam <sam@example.com>\n\nDear Ms. Lee,\n\nNo thanks.\n\nBest,\nSam";
        let l = Letter::parse("a.txt", t);
        assert!(l.has_headers);
        assert!(l.subject.is_none());
        assert_eq!(l.header("to"), Some("Dana Park <dana@example.com>"));
    }

    #[test]
    fn crlf_and_lone_cr() {
        let t = "Dear Sam,\r\n\r\nThank you. I decline.\r\n\r\nBest,\r\nAna\r\n";
        let l = Letter::parse("a.txt", t);
        assert_eq!(l.slice(l.greeting.as_ref().unwrap()), "Dear Sam,");
        assert_eq!(l.slice(&l.signature[0]), "Ana");
        let t = "Dear Sam,\r\rThank you.\rBest,\rAna";
        let l = Letter::parse("a.txt", t);
        assert_eq!(l.slice(&l.signature[0]), "Ana");
    }

    #[test]
    fn line_index_counts_characters() {
        let t = "é1\nab€c";
        let idx = LineIndex::new(t);
        assert_eq!(idx.line_col(t, 0), (1, 1));
        assert_eq!(idx.line_col(t, 2), (1, 2));
        assert_eq!(idx.line_col(t, t.find('c').unwrap()), (2, 4));
    }
}
