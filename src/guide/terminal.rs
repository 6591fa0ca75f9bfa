//! The guide for the terminal: pages, sections and the table of contents as wrapped, optionally coloured text.

use std::fmt::Write as _;

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{Guide, LetterKind, LinkTarget, Page};

/// How to render for the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermStyle {
    /// Columns to wrap to.
    pub width: usize,
    /// ANSI bold, underline and colour.
    pub color: bool,
}

impl Default for TermStyle {
    fn default() -> Self {
        TermStyle {
            width: 80,
            color: false,
        }
    }
}

const BOLD: u8 = 1;
const ITALIC: u8 = 2;
const CODE: u8 = 4;
const LINK: u8 = 8;
const STRIKE: u8 = 16;
const DIM: u8 = 32;
const UNDERLINE: u8 = 64;

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String, u8),
    Break,
}

type Inlines = Vec<Piece>;

#[derive(Debug, Clone)]
enum Block {
    Heading {
        level: u8,
        content: Inlines,
    },
    Paragraph(Inlines),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
        tight: bool,
    },
    Quote(Vec<Block>),
    Code {
        info: String,
        text: String,
    },
    Letter {
        kind: LetterKind,
        expect: Vec<String>,
        text: String,
    },
    Table {
        head: Vec<Inlines>,
        rows: Vec<Vec<Inlines>>,
    },
    Rule,
    Footnote {
        label: String,
        blocks: Vec<Block>,
    },
}

enum Frame {
    Root(Vec<Block>),
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
        tight: bool,
    },
    Item(Vec<Block>),
    Footnote(String, Vec<Block>),
}

impl Frame {
    fn blocks(&mut self) -> &mut Vec<Block> {
        match self {
            Frame::Root(b) | Frame::Quote(b) | Frame::Item(b) | Frame::Footnote(_, b) => b,
            Frame::List { items, .. } => {
                if items.is_empty() {
                    items.push(Vec::new());
                }
                items.last_mut().expect("an item")
            }
        }
    }
}

/// A table being read: its header cells, its rows, and the row being read.
#[derive(Default)]
struct TableState {
    head: Vec<Inlines>,
    rows: Vec<Vec<Inlines>>,
    row: Vec<Inlines>,
}

/// Turns Markdown events into blocks, keeping only what the terminal shows.
struct Builder<'g> {
    guide: &'g Guide,
    page: &'g Page,
    color: bool,
    stack: Vec<Frame>,
    inline: Option<Inlines>,
    style: Vec<u8>,
    heading: Option<u8>,
    code: Option<(String, String)>,
    letter: Option<(LetterKind, Vec<String>, String)>,
    table: Option<TableState>,
    link_note: Vec<Option<String>>,
}

impl<'g> Builder<'g> {
    fn new(guide: &'g Guide, page: &'g Page, color: bool) -> Builder<'g> {
        Builder {
            guide,
            page,
            color,
            stack: vec![Frame::Root(Vec::new())],
            inline: None,
            style: Vec::new(),
            heading: None,
            code: None,
            letter: None,
            table: None,
            link_note: Vec::new(),
        }
    }

    fn current_style(&self) -> u8 {
        self.style.iter().fold(0, |a, s| a | s)
    }

    fn push_text(&mut self, text: &str, extra: u8) {
        let style = self.current_style() | extra;
        let text = if extra & CODE != 0 && !self.color {
            format!("`{text}`")
        } else {
            text.to_string()
        };
        let inline = self.inline.get_or_insert_with(Vec::new);
        if let Some(Piece::Text(last, s)) = inline.last_mut() {
            if *s == style {
                last.push_str(&text);
                return;
            }
        }
        inline.push(Piece::Text(text, style));
    }

    fn push_block(&mut self, block: Block) {
        self.stack.last_mut().expect("a frame").blocks().push(block);
    }

    /// Ends an implicit paragraph (text directly inside a tight list item).
    fn flush(&mut self) {
        if let Some(inline) = self.inline.take() {
            if !inline.is_empty() && self.table.is_none() && self.heading.is_none() {
                self.push_block(Block::Paragraph(inline));
            }
        }
    }

    fn event(&mut self, event: Event<'_>) {
        if let Some(letter) = self.letter.as_mut() {
            match event {
                Event::Text(t) => letter.2.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (kind, expect, text) = self.letter.take().expect("in a letter");
                    self.push_block(Block::Letter { kind, expect, text });
                }
                _ => {}
            }
            return;
        }
        if let Some(code) = self.code.as_mut() {
            match event {
                Event::Text(t) => code.1.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (info, text) = self.code.take().expect("in code");
                    self.push_block(Block::Code { info, text });
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.push_text(&t, 0),
            Event::Code(t) => self.push_text(&t, CODE),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.push_text(&t, CODE),
            Event::Html(t) | Event::InlineHtml(t) => self.push_text(&t, 0),
            Event::FootnoteReference(label) => self.push_text(&format!("[^{label}]"), DIM),
            Event::SoftBreak => self.push_text(" ", 0),
            Event::HardBreak => self.inline.get_or_insert_with(Vec::new).push(Piece::Break),
            Event::Rule => {
                self.flush();
                self.push_block(Block::Rule);
            }
            Event::TaskListMarker(done) => self.push_text(if done { "[x] " } else { "[ ] " }, 0),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                self.flush();
                self.inline = Some(Vec::new());
            }
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some(level as u8);
                self.inline = Some(Vec::new());
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.stack.push(Frame::Quote(Vec::new()));
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                match super::parse_letter_info(&info) {
                    Some((kind, expect)) => self.letter = Some((kind, expect, String::new())),
                    None => self.code = Some((info, String::new())),
                }
            }
            Tag::List(start) => {
                self.flush();
                self.stack.push(Frame::List {
                    start,
                    items: Vec::new(),
                    tight: true,
                });
            }
            Tag::Item => {
                self.flush();
                self.stack.push(Frame::Item(Vec::new()));
            }
            Tag::FootnoteDefinition(label) => {
                self.flush();
                self.stack
                    .push(Frame::Footnote(label.to_string(), Vec::new()));
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some(TableState::default());
            }
            Tag::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.row.clear();
                }
            }
            Tag::TableCell => self.inline = Some(Vec::new()),
            Tag::Emphasis => self.style.push(ITALIC),
            Tag::Strong => self.style.push(BOLD),
            Tag::Strikethrough => self.style.push(STRIKE),
            Tag::Link { dest_url, .. } => {
                self.style.push(LINK);
                let note = match self.guide.link_target(self.page, &dest_url) {
                    LinkTarget::Page { page, anchor } => Some(match anchor {
                        Some(a) => format!("{page}#{a}"),
                        None => page,
                    }),
                    LinkTarget::Rules { anchor } => Some(match anchor {
                        Some(a) => format!("decline-lint rules explain {a}"),
                        None => "decline-lint rules list".into(),
                    }),
                    LinkTarget::External | LinkTarget::Unknown => Some(dest_url.to_string()),
                };
                self.link_note.push(note);
            }
            Tag::Image { dest_url, .. } => {
                self.style.push(LINK);
                self.push_text("[image: ", 0);
                self.link_note.push(Some(dest_url.to_string()));
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.flush(),
            TagEnd::Heading(_) => {
                let content = self.inline.take().unwrap_or_default();
                let level = self.heading.take().unwrap_or(2);
                self.push_block(Block::Heading { level, content });
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                if let Some(Frame::Quote(blocks)) = self.stack.pop() {
                    self.push_block(Block::Quote(blocks));
                }
            }
            TagEnd::List(_) => {
                self.flush();
                if let Some(Frame::List {
                    start,
                    items,
                    tight,
                }) = self.stack.pop()
                {
                    self.push_block(Block::List {
                        start,
                        items,
                        tight,
                    });
                }
            }
            TagEnd::Item => {
                let implicit = self.inline.as_ref().is_some_and(|i| !i.is_empty());
                self.flush();
                if let Some(Frame::Item(blocks)) = self.stack.pop() {
                    if let Some(Frame::List { items, tight, .. }) = self.stack.last_mut() {
                        // A loose list wraps its items' text in paragraphs.
                        if !implicit && blocks.iter().any(|b| matches!(b, Block::Paragraph(_))) {
                            *tight = false;
                        }
                        items.push(blocks);
                    }
                }
            }
            TagEnd::FootnoteDefinition => {
                self.flush();
                if let Some(Frame::Footnote(label, blocks)) = self.stack.pop() {
                    self.push_block(Block::Footnote { label, blocks });
                }
            }
            TagEnd::TableCell => {
                let cell = self.inline.take().unwrap_or_default();
                if let Some(t) = self.table.as_mut() {
                    t.row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.head = std::mem::take(&mut t.row);
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(TableState { head, rows, .. }) = self.table.take() {
                    self.push_block(Block::Table { head, rows });
                }
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                self.style.pop();
            }
            TagEnd::Link | TagEnd::Image => {
                self.style.pop();
                if matches!(tag, TagEnd::Image) {
                    self.push_text("]", 0);
                }
                if let Some(Some(note)) = self.link_note.pop() {
                    let shown = self
                        .inline
                        .as_ref()
                        .and_then(|i| i.last())
                        .is_some_and(|p| matches!(p, Piece::Text(t, _) if t.trim() == note));
                    if !shown {
                        self.push_text(&format!(" (→ {note})"), DIM);
                    }
                }
            }
            _ => {}
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush();
        while self.stack.len() > 1 {
            let frame = self.stack.pop().expect("a frame");
            let blocks = match frame {
                Frame::Root(b) | Frame::Quote(b) | Frame::Item(b) | Frame::Footnote(_, b) => b,
                Frame::List { items, .. } => items.into_iter().flatten().collect(),
            };
            for b in blocks {
                self.push_block(b);
            }
        }
        match self.stack.pop() {
            Some(Frame::Root(b)) => b,
            _ => Vec::new(),
        }
    }
}

fn page_blocks(guide: &Guide, page: &Page, color: bool) -> Vec<Block> {
    let mut b = Builder::new(guide, page, color);
    for event in super::parser(page.body()) {
        b.event(event);
    }
    b.finish()
}

fn sgr(style: u8) -> String {
    let mut codes = Vec::new();
    if style & BOLD != 0 {
        codes.push("1");
    }
    if style & DIM != 0 {
        codes.push("2");
    }
    if style & ITALIC != 0 {
        codes.push("3");
    }
    if style & (UNDERLINE | LINK) != 0 {
        codes.push("4");
    }
    if style & STRIKE != 0 {
        codes.push("9");
    }
    if style & CODE != 0 {
        codes.push("36");
    }
    if style & LINK != 0 {
        codes.push("34");
    }
    format!("\x1b[{}m", codes.join(";"))
}

fn paint(text: &str, style: u8, color: bool) -> String {
    if !color || style == 0 || text.is_empty() {
        text.to_string()
    } else {
        format!("{}{text}\x1b[0m", sgr(style))
    }
}

/// Cleans text for the terminal: control characters (escape sequences from a
/// content folder) become visible `?`.
fn defang(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '?'
            } else if c == '\t' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// A word: fragments with their styles, no white space inside.
type Word = Vec<(String, u8)>;

fn word_width(w: &Word) -> usize {
    w.iter().map(|(t, _)| t.width()).sum()
}

/// Greedy word wrap of styled text to `width` columns.
fn wrap(inlines: &Inlines, width: usize, color: bool) -> Vec<String> {
    let width = width.max(10);
    // Lines of words; a Break starts a new line.
    let mut paragraphs: Vec<Vec<Word>> = vec![Vec::new()];
    let mut word: Word = Vec::new();
    for piece in inlines {
        match piece {
            Piece::Break => {
                if !word.is_empty() {
                    paragraphs
                        .last_mut()
                        .expect("a line")
                        .push(std::mem::take(&mut word));
                }
                paragraphs.push(Vec::new());
            }
            Piece::Text(text, style) => {
                let text = defang(text);
                let mut frag = String::new();
                for c in text.chars() {
                    if c.is_whitespace() {
                        if !frag.is_empty() {
                            word.push((std::mem::take(&mut frag), *style));
                        }
                        if !word.is_empty() {
                            paragraphs
                                .last_mut()
                                .expect("a line")
                                .push(std::mem::take(&mut word));
                        }
                    } else {
                        frag.push(c);
                    }
                }
                if !frag.is_empty() {
                    word.push((frag, *style));
                }
            }
        }
    }
    if !word.is_empty() {
        paragraphs.last_mut().expect("a line").push(word);
    }
    let mut lines = Vec::new();
    for words in paragraphs {
        let mut line: Vec<(String, u8)> = Vec::new();
        let mut used = 0;
        for w in words {
            for part in split_long(w, width) {
                let ww = word_width(&part);
                if used > 0 && used + 1 + ww > width {
                    lines.push(paint_line(&std::mem::take(&mut line), color));
                    used = 0;
                }
                if used > 0 {
                    // The space keeps the style of a run it sits inside, so an
                    // underlined link stays one line.
                    let before = line.last().map_or(0, |(_, s)| *s);
                    let after = part.first().map_or(0, |(_, s)| *s);
                    line.push((" ".to_string(), if before == after { before } else { 0 }));
                    used += 1;
                }
                line.extend(part);
                used += ww;
            }
        }
        lines.push(paint_line(&line, color));
    }
    lines
}

/// Paints a line's styled fragments, one escape sequence per run of a style.
fn paint_line(fragments: &[(String, u8)], color: bool) -> String {
    let mut out = String::new();
    let mut run = String::new();
    let mut style = 0;
    for (text, s) in fragments {
        if *s != style && !run.is_empty() {
            out.push_str(&paint(&run, style, color));
            run.clear();
        }
        style = *s;
        run.push_str(text);
    }
    out.push_str(&paint(&run, style, color));
    out
}

/// Splits a word wider than `width` into pieces that fit.
fn split_long(word: Word, width: usize) -> Vec<Word> {
    if word_width(&word) <= width {
        return vec![word];
    }
    let mut out = Vec::new();
    let mut current: Word = Vec::new();
    let mut used = 0;
    for (text, style) in word {
        let mut frag = String::new();
        for c in text.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw > width && used > 0 {
                if !frag.is_empty() {
                    current.push((std::mem::take(&mut frag), style));
                }
                out.push(std::mem::take(&mut current));
                used = 0;
            }
            frag.push(c);
            used += cw;
        }
        if !frag.is_empty() {
            current.push((frag, style));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Wraps plain text (letters, code) to `width`, keeping its line breaks.
fn wrap_plain(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in defang(text.trim_end_matches('\n')).split('\n') {
        if line.width() <= width {
            out.push(line.to_string());
            continue;
        }
        let indent: String = line.chars().take_while(|c| *c == ' ').collect();
        let words = vec![Piece::Text(line.trim_start().to_string(), 0)];
        let inner = width.saturating_sub(indent.len()).max(10);
        out.extend(
            wrap(&words, inner, false)
                .into_iter()
                .map(|l| format!("{indent}{l}")),
        );
    }
    out
}

fn plain_text(inlines: &Inlines) -> String {
    inlines
        .iter()
        .map(|p| match p {
            Piece::Text(t, _) => t.as_str(),
            Piece::Break => " ",
        })
        .collect()
}

fn restyle(inlines: &Inlines, add: u8) -> Inlines {
    inlines
        .iter()
        .map(|p| match p {
            Piece::Text(t, s) => Piece::Text(t.clone(), s | add),
            Piece::Break => Piece::Break,
        })
        .collect()
}

/// Shortens text to `max` columns, ending it with `…` when cut.
fn fit(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// A box around lines, `┌─ caption ─┐ │ line │ └──┘`, `width` columns wide
/// overall; `border` is the SGR colour of the frame, `None` for plain text.
fn boxed(caption: &str, lines: &[String], width: usize, border: Option<&str>) -> Vec<String> {
    let inner = width.saturating_sub(4);
    let caption = fit(caption, width.saturating_sub(6));
    let cap = if caption.is_empty() {
        String::new()
    } else {
        format!(" {caption} ")
    };
    let top_fill = width.saturating_sub(3 + cap.width());
    let (on, bold, unbold, off) = match border {
        Some(code) => (format!("\x1b[{code}m"), "\x1b[1m", "\x1b[22m", "\x1b[0m"),
        None => (String::new(), "", "", ""),
    };
    let mut out = vec![format!(
        "{on}┌─{bold}{cap}{unbold}{}┐{off}",
        "─".repeat(top_fill)
    )];
    for line in lines {
        let pad = inner.saturating_sub(line.width());
        out.push(format!("{on}│{off} {line}{} {on}│{off}", " ".repeat(pad)));
    }
    out.push(format!(
        "{on}└{}┘{off}",
        "─".repeat(width.saturating_sub(2))
    ));
    out
}

fn letter_lines(
    kind: &LetterKind,
    expect: &[String],
    text: &str,
    width: usize,
    color: bool,
) -> Vec<String> {
    let width = width.clamp(20, 76);
    let mut caption = kind.caption().to_string();
    if !expect.is_empty() {
        caption.push_str(&format!(": {}", expect.join(", ")));
    }
    let lines = wrap_plain(text, width - 4);
    let code = match kind {
        LetterKind::Good => "32",
        LetterKind::Bad => "31",
        LetterKind::Template => "33",
        LetterKind::Unknown(_) => "2",
    };
    boxed(&caption, &lines, width, color.then_some(code))
}

fn heading_lines(level: u8, content: &Inlines, width: usize, color: bool) -> Vec<String> {
    if color {
        let style = match level {
            1 => BOLD | UNDERLINE,
            2 => BOLD | UNDERLINE,
            _ => BOLD,
        };
        let mut lines = wrap(&restyle(content, style), width, true);
        if level == 1 {
            lines = lines
                .into_iter()
                .map(|l| l.replace("\x1b[1;4m", "\x1b[1;4;35m"))
                .collect();
        }
        lines
    } else {
        let lines = wrap(content, width, false);
        let rule = match level {
            1 => Some('═'),
            2 => Some('─'),
            _ => None,
        };
        match rule {
            Some(c) => {
                let w = lines.iter().map(|l| l.width()).max().unwrap_or(0);
                let mut lines = lines;
                lines.push(c.to_string().repeat(w));
                lines
            }
            None => lines,
        }
    }
}

fn table_lines(head: &[Inlines], rows: &[Vec<Inlines>], width: usize, color: bool) -> Vec<String> {
    let cols = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
    if cols == 0 {
        return Vec::new();
    }
    let cell_text = |cell: Option<&Inlines>| cell.map(plain_text).unwrap_or_default();
    let mut natural = vec![0usize; cols];
    let mut min = vec![4usize; cols];
    for row in std::iter::once(head).chain(rows.iter().map(Vec::as_slice)) {
        for (i, nat) in natural.iter_mut().enumerate() {
            let t = cell_text(row.get(i));
            *nat = (*nat).max(t.width());
            let longest = t.split_whitespace().map(|w| w.width()).max().unwrap_or(0);
            min[i] = min[i].max(longest.min(20));
        }
    }
    let gap = 2;
    let available = width.saturating_sub(gap * (cols - 1));
    let mut widths = natural.clone();
    while widths.iter().sum::<usize>() > available {
        // Shrink the widest column that can still shrink.
        let Some((i, _)) = widths
            .iter()
            .enumerate()
            .filter(|(i, w)| **w > min[*i])
            .max_by_key(|(_, w)| **w)
        else {
            break;
        };
        widths[i] -= 1;
    }
    let render_row = |row: &[Inlines], style: u8| -> Vec<String> {
        let cells: Vec<Vec<String>> = (0..cols)
            .map(|i| {
                let cell = row.get(i).cloned().unwrap_or_default();
                let cell = if style != 0 {
                    restyle(&cell, style)
                } else {
                    cell
                };
                wrap(&cell, widths[i].max(1), color)
            })
            .collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(1);
        (0..height)
            .map(|line| {
                let mut out = String::new();
                for (i, cell) in cells.iter().enumerate() {
                    let text = cell.get(line).map(String::as_str).unwrap_or("");
                    out.push_str(text);
                    if i + 1 < cols {
                        let visible = strip_ansi(text).width();
                        out.push_str(&" ".repeat(widths[i].saturating_sub(visible) + gap));
                    }
                }
                out.trim_end().to_string()
            })
            .collect()
    };
    let mut out = Vec::new();
    if !head.is_empty() {
        out.extend(render_row(head, BOLD));
        let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        out.push(paint(&rule.join(&" ".repeat(gap)), DIM, color));
    }
    for row in rows {
        out.extend(render_row(row, 0));
    }
    out
}

/// Removes ANSI escape sequences (to measure what is visible).
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            chars.next();
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn render_blocks(blocks: &[Block], width: usize, color: bool, tight: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 && !(tight && matches!(block, Block::Paragraph(_) | Block::List { .. })) {
            out.push(String::new());
        }
        out.extend(render_block(block, width, color));
    }
    out
}

fn prefixed(lines: Vec<String>, first: &str, rest: &str) -> Vec<String> {
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let p = if i == 0 { first } else { rest };
            if l.is_empty() {
                p.trim_end().to_string()
            } else {
                format!("{p}{l}")
            }
        })
        .collect()
}

fn render_block(block: &Block, width: usize, color: bool) -> Vec<String> {
    match block {
        Block::Heading { level, content } => heading_lines(*level, content, width, color),
        Block::Paragraph(inlines) => wrap(inlines, width, color),
        Block::List {
            start,
            items,
            tight,
        } => {
            let mut out = Vec::new();
            let last = start.map(|s| s + items.len() as u64).unwrap_or(0);
            let marker_width = match start {
                Some(_) => format!("{last}. ").len(),
                None => 2,
            };
            for (i, item) in items.iter().enumerate() {
                if i > 0 && !tight {
                    out.push(String::new());
                }
                let marker = match start {
                    Some(s) => format!("{:>w$}", format!("{}. ", s + i as u64), w = marker_width),
                    None => "• ".to_string(),
                };
                let marker = paint(&marker, DIM, color);
                let lines = render_blocks(item, width.saturating_sub(marker_width), color, *tight);
                out.extend(prefixed(lines, &marker, &" ".repeat(marker_width)));
            }
            out
        }
        Block::Quote(blocks) => {
            let lines = render_blocks(blocks, width.saturating_sub(2), color, false);
            let bar = paint("│ ", DIM, color);
            prefixed(lines, &bar, &bar)
        }
        Block::Code { info, text } => {
            let lines = wrap_plain(text, width.saturating_sub(4));
            let w = lines.iter().map(|l| l.width()).max().unwrap_or(0) + 4;
            let caption = info.split_whitespace().next().unwrap_or("");
            let w = w.max(caption.width() + 6).min(width.max(10));
            boxed(caption, &lines, w, color.then_some("2"))
        }
        Block::Letter { kind, expect, text } => letter_lines(kind, expect, text, width, color),
        Block::Table { head, rows } => table_lines(head, rows, width, color),
        Block::Rule => vec![paint(&"─".repeat(width.min(40)), DIM, color)],
        Block::Footnote { label, blocks } => {
            let lines = render_blocks(blocks, width.saturating_sub(4), color, false);
            let first = format!("[^{label}]: ");
            prefixed(lines, &first, "    ")
        }
    }
}

fn join(lines: Vec<String>) -> String {
    let mut s = String::new();
    for l in lines {
        s.push_str(l.trim_end_matches(' '));
        s.push('\n');
    }
    s
}

/// A whole page: its title, summary and body.
pub fn render_page(guide: &Guide, page: &Page, style: TermStyle) -> String {
    let mut blocks = vec![Block::Heading {
        level: 1,
        content: vec![Piece::Text(page.meta.title.clone(), 0)],
    }];
    if let Some(s) = &page.meta.summary {
        blocks.push(Block::Paragraph(vec![Piece::Text(s.clone(), ITALIC)]));
    }
    blocks.extend(page_blocks(guide, page, style.color));
    join(render_blocks(&blocks, style.width, style.color, false))
}

/// One section: its heading and everything up to the next heading of the same
/// or a higher level. `None` when the page has no such anchor.
pub fn render_section(
    guide: &Guide,
    page: &Page,
    anchor: &str,
    style: TermStyle,
) -> Option<String> {
    let index = page.headings.iter().position(|h| h.id == anchor)?;
    let level = page.headings[index].level;
    let blocks = page_blocks(guide, page, style.color);
    let mut seen = 0;
    let mut start = None;
    let mut end = blocks.len();
    for (i, b) in blocks.iter().enumerate() {
        if let Block::Heading { level: l, .. } = b {
            if start.is_some() && *l <= level {
                end = i;
                break;
            }
            if seen == index {
                start = Some(i);
            }
            seen += 1;
        }
    }
    let start = start?;
    let mut lines = vec![paint(&format!("{} › ", page.meta.title), DIM, style.color)
        .trim_end()
        .to_string()];
    lines.push(String::new());
    lines.extend(render_blocks(
        &blocks[start..end],
        style.width,
        style.color,
        false,
    ));
    Some(join(lines))
}

/// The table of contents: every page with its title, and its `##` sections with anchors.
pub fn render_toc(guide: &Guide, style: TermStyle) -> String {
    let color = style.color;
    let mut out = String::new();
    let title = super::html::SITE_TITLE;
    for l in heading_lines(
        1,
        &vec![Piece::Text(title.to_string(), 0)],
        style.width,
        color,
    ) {
        let _ = writeln!(out, "{l}");
    }
    out.push('\n');
    for page in &guide.pages {
        let _ = writeln!(
            out,
            "{}  {}",
            paint(&page.name, BOLD, color),
            defang(&page.meta.title)
        );
        // Anchors in one column per page, as wide as fits beside the titles.
        let widest_anchor = page.sections().map(|h| h.id.width() + 1).max().unwrap_or(0);
        let widest_title = page.sections().map(|h| h.text.width()).max().unwrap_or(0);
        let column = widest_anchor
            .min(style.width.saturating_sub(6 + widest_title))
            .max(10);
        for h in page.sections() {
            let anchor = format!("#{}", h.id);
            let pad = column.saturating_sub(anchor.width());
            let _ = writeln!(
                out,
                "  {}{}  {}",
                paint(&anchor, CODE, color),
                " ".repeat(pad),
                defang(&h.text)
            );
        }
        out.push('\n');
    }
    let example = guide
        .pages
        .iter()
        .find_map(|p| {
            p.sections()
                .next()
                .map(|h| format!(" (for example {}#{})", p.name, h.id))
        })
        .unwrap_or_default();
    let hint = vec![Piece::Text(
        format!(
            "Read a page with `decline-lint guide show PAGE`, one section with `decline-lint guide show PAGE#ANCHOR`{example}."
        ),
        DIM,
    )];
    for l in wrap(&hint, style.width, color) {
        let _ = writeln!(out, "{l}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inlines {
        vec![Piece::Text(s.to_string(), 0)]
    }

    #[test]
    fn wraps_to_width() {
        let lines = wrap(&text("one two three four five six seven"), 10, false);
        assert_eq!(lines, ["one two", "three four", "five six", "seven"]);
        assert!(lines.iter().all(|l| l.width() <= 10));
    }

    #[test]
    fn long_words_are_split() {
        let lines = wrap(&text("abcdefghijklmnopqrstuvwxyz"), 10, false);
        assert_eq!(lines, ["abcdefghij", "klmnopqrst", "uvwxyz"]);
    }

    #[test]
    fn colour_does_not_count_towards_width() {
        let inl = vec![Piece::Text("bold words here".into(), BOLD)];
        let lines = wrap(&inl, 10, true);
        assert_eq!(lines.len(), 2);
        assert_eq!(strip_ansi(&lines[0]), "bold words");
    }

    #[test]
    fn boxes_are_closed() {
        let lines = boxed("code", &["let x = 1;".to_string()], 20, None);
        assert_eq!(lines[0], "┌─ code ───────────┐");
        assert_eq!(lines[1], "│ let x = 1;       │");
        assert_eq!(lines[2], "└──────────────────┘");
        assert!(lines.iter().all(|l| l.width() == 20));
        let long = boxed("a caption far too long for the box", &[], 20, None);
        assert_eq!(long[0], "┌─ a caption far… ─┐");
    }
}
