//! The guide: loading content/, rendering it to HTML and the terminal, and checking it against the rules.
//!
//! A guide is a folder of Markdown pages, `NN-slug.md`, each with YAML front
//! matter (`title`, `order`, optional `summary`, optional `lint: {none: {anchor: reason}}`).
//! The page's name is the file stem without the `NN-` prefix (`04-tips.md` is
//! `tips`). The shipped pages are embedded in the binary.

pub mod check;
pub mod draft;
pub mod html;
pub mod slug;
pub mod terminal;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use serde::Deserialize;

pub use slug::{slug, Slugger};

/// The guide's pages as shipped, embedded in the binary.
pub static DEFAULT_CONTENT: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/content");

/// The largest page read, in bytes.
pub const MAX_PAGE: usize = 1024 * 1024;

/// Page names taken by generated pages of the site.
pub const RESERVED_NAMES: [&str; 3] = ["index", "rules", "style"];

/// The pulldown-cmark options every reader of the guide uses: tables, footnotes,
/// strikethrough and heading attributes (`## Title {#id}`).
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A Markdown parser with the guide's options.
pub fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(markdown, markdown_options())
}

/// Where the guide's pages come from.
#[derive(Debug, Clone)]
pub enum ContentSource {
    /// The pages embedded in the binary.
    Embedded,
    /// A folder of `*.md` pages.
    Dir(PathBuf),
}

/// A page's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub order: i64,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub lint: LintMeta,
}

/// How the page's sections relate to the linter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintMeta {
    /// Sections no rule enforces, by anchor, each with the reason why.
    #[serde(default)]
    pub none: BTreeMap<String, String>,
}

/// A heading and its anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's text, without markup.
    pub text: String,
    /// The unique anchor within the page.
    pub id: String,
    /// Where the heading is in the page's source.
    pub span: Range<usize>,
}

/// A link in the page's Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    pub span: Range<usize>,
}

/// What a fenced ` ```letter ` block is meant to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LetterKind {
    /// ` ```letter good `: must not draw a warning or an error.
    Good,
    /// ` ```letter bad expect=a,b `: must fire at least the rules named.
    Bad,
    /// ` ```letter template `: a letter with `[Placeholders]`.
    Template,
    /// Anything else after `letter` (an error `guide check` reports).
    Unknown(String),
}

impl LetterKind {
    /// The caption a rendered letter gets.
    pub fn caption(&self) -> &str {
        match self {
            LetterKind::Good => "Good example",
            LetterKind::Bad => "Poor example",
            LetterKind::Template => "Template",
            LetterKind::Unknown(_) => "Letter",
        }
    }

    /// The CSS class and short label: `good`, `bad`, `template`.
    pub fn label(&self) -> &str {
        match self {
            LetterKind::Good => "good",
            LetterKind::Bad => "bad",
            LetterKind::Template => "template",
            LetterKind::Unknown(_) => "letter",
        }
    }
}

/// A fenced ` ```letter ` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterBlock {
    pub kind: LetterKind,
    /// Rule ids a `bad` block expects to fire.
    pub expect: Vec<String>,
    /// The letter's text.
    pub text: String,
    /// The whole block, fences included, in the page's source.
    pub span: Range<usize>,
    /// Where the text starts in the page's source, when it is there verbatim
    /// (so findings can point into the Markdown file).
    pub text_start: Option<usize>,
}

impl LetterBlock {
    /// The span in the page's source of a span in the letter's text, or the
    /// block's opening line when the text is not in the source verbatim.
    pub fn source_span(&self, span: &Range<usize>) -> Range<usize> {
        match self.text_start {
            Some(start) => start + span.start..start + span.end,
            None => self.span.start..self.span.start + 3,
        }
    }
}

/// Parses a fenced block's info string; `None` unless it starts with `letter`.
pub fn parse_letter_info(info: &str) -> Option<(LetterKind, Vec<String>)> {
    let mut words = info.split_whitespace();
    if words.next()? != "letter" {
        return None;
    }
    let kind = match words.next() {
        Some("good") => LetterKind::Good,
        Some("bad") => LetterKind::Bad,
        Some("template") => LetterKind::Template,
        Some(other) => LetterKind::Unknown(other.to_string()),
        None => LetterKind::Unknown(String::new()),
    };
    let mut expect = Vec::new();
    for w in words {
        match w.strip_prefix("expect=") {
            Some(list) => expect.extend(
                list.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from),
            ),
            None => {
                if !matches!(kind, LetterKind::Unknown(_)) {
                    return Some((LetterKind::Unknown(info.trim().to_string()), expect));
                }
            }
        }
    }
    Some((kind, expect))
}

/// One page of the guide.
#[derive(Debug, Clone)]
pub struct Page {
    /// `tips` for `04-tips.md`.
    pub name: String,
    /// The file name without `.md` (`04-tips`).
    pub file_stem: String,
    /// The path shown in messages (`content/04-tips.md`).
    pub path: String,
    /// The whole file, front matter included.
    pub source: String,
    /// Where the Markdown after the front matter starts.
    pub body_start: usize,
    /// Where the front matter's YAML is.
    pub front_matter_span: Range<usize>,
    pub meta: FrontMatter,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    pub letters: Vec<LetterBlock>,
}

impl Page {
    pub fn title(&self) -> &str {
        &self.meta.title
    }

    /// The Markdown after the front matter.
    pub fn body(&self) -> &str {
        &self.source[self.body_start..]
    }

    /// The page's Markdown events with spans into [`Page::source`].
    pub fn events(&self) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
        let offset = self.body_start;
        parser(self.body())
            .into_offset_iter()
            .map(move |(e, r)| (e, r.start + offset..r.end + offset))
    }

    pub fn heading(&self, id: &str) -> Option<&Heading> {
        self.headings.iter().find(|h| h.id == id)
    }

    /// The `##` headings: the sections rules link to.
    pub fn sections(&self) -> impl Iterator<Item = &Heading> {
        self.headings.iter().filter(|h| h.level == 2)
    }

    /// The span of a section of the page source: from its heading to the next
    /// heading of the same or a higher level.
    pub fn section_span(&self, id: &str) -> Option<Range<usize>> {
        let i = self.headings.iter().position(|h| h.id == id)?;
        let level = self.headings[i].level;
        let end = self.headings[i + 1..]
            .iter()
            .find(|h| h.level <= level)
            .map_or(self.source.len(), |h| h.span.start);
        Some(self.headings[i].span.start..end)
    }

    /// The span of a front-matter key such as an anchor under `lint: none`.
    pub fn front_matter_key_span(&self, key: &str) -> Option<Range<usize>> {
        let fm = &self.source[self.front_matter_span.clone()];
        let mut offset = self.front_matter_span.start;
        for line in fm.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let lead = line.len() - trimmed.len();
            for candidate in [key.to_string(), format!("\"{key}\""), format!("'{key}'")] {
                if let Some(rest) = trimmed.strip_prefix(&candidate) {
                    if rest.trim_start().starts_with(':') {
                        return Some(offset + lead..offset + lead + candidate.len());
                    }
                }
            }
            offset += line.len();
        }
        None
    }
}

/// A page that could not be loaded, or a content folder that could not be read.
pub type GuideError = crate::file_error::FileError;

/// Guide pages.
const GUIDE: crate::file_error::FileKind = crate::file_error::FileKind::Guide;

/// The whole guide: its pages in reading order.
#[derive(Debug, Clone)]
pub struct Guide {
    pub pages: Vec<Page>,
}

impl Guide {
    /// The guide embedded in the binary.
    pub fn embedded() -> Result<Guide, Vec<GuideError>> {
        Guide::load(&ContentSource::Embedded)
    }

    /// Loads every page; all problems are returned together.
    pub fn load(source: &ContentSource) -> Result<Guide, Vec<GuideError>> {
        let files = match source {
            ContentSource::Embedded => embedded_files(),
            ContentSource::Dir(dir) => dir_files(dir).map_err(|e| vec![e])?,
        };
        Guide::from_files(files)
    }

    /// Builds a guide from `(display path, text)` pairs.
    pub fn from_files(files: Vec<(String, String)>) -> Result<Guide, Vec<GuideError>> {
        let mut pages = Vec::new();
        let mut errors = Vec::new();
        for (path, text) in files {
            match Page::parse(path, text) {
                Ok(p) => pages.push(p),
                Err(e) => errors.push(e),
            }
        }
        pages.sort_by(|a, b| (a.meta.order, &a.file_stem).cmp(&(b.meta.order, &b.file_stem)));
        for (i, p) in pages.iter().enumerate() {
            if let Some(first) = pages[..i].iter().find(|q| q.name == p.name) {
                errors.push(GuideError::new(
                    GUIDE,
                    &p.path,
                    format!(
                        "two pages are called `{}`: {} and {}",
                        p.name, first.path, p.path
                    ),
                ));
            }
        }
        if errors.is_empty() && pages.is_empty() {
            errors.push(GuideError::new(
                GUIDE,
                "content",
                "the guide has no pages (`*.md` files)",
            ));
        }
        if errors.is_empty() {
            Ok(Guide { pages })
        } else {
            Err(errors)
        }
    }

    /// A page by name (`tips`), file stem (`04-tips`) or file name (`tips.md`).
    pub fn page(&self, name: &str) -> Option<&Page> {
        let name = name.strip_suffix(".md").unwrap_or(name);
        let name = name.strip_suffix(".html").unwrap_or(name);
        self.pages
            .iter()
            .find(|p| p.name == name || p.file_stem == name)
    }

    /// Resolves `page#anchor` (or `page`) to the page and, when given, its heading.
    pub fn resolve(&self, target: &str) -> Result<(&Page, Option<&Heading>), String> {
        let (name, anchor) = match target.split_once('#') {
            Some((n, a)) => (n, Some(a)),
            None => (target, None),
        };
        let page = self.page(name).ok_or_else(|| {
            format!(
                "the guide has no page `{name}`; pages: {}",
                self.pages
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        match anchor {
            None => Ok((page, None)),
            Some(a) => match page.heading(a) {
                Some(h) => Ok((page, Some(h))),
                None => Err(format!(
                    "the page `{}` has no section `#{a}`; sections: {}",
                    page.name,
                    page.headings
                        .iter()
                        .map(|h| format!("#{}", h.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            },
        }
    }

    /// The first ` ```letter template ` block, with its page.
    pub fn template(&self) -> Option<(&Page, &LetterBlock)> {
        self.pages.iter().find_map(|p| {
            p.letters
                .iter()
                .find(|l| l.kind == LetterKind::Template)
                .map(|l| (p, l))
        })
    }
}

/// The page name of a file stem: `04-tips` is `tips`.
pub fn page_name(stem: &str) -> &str {
    match stem.split_once('-') {
        Some((num, rest))
            if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty() =>
        {
            rest
        }
        _ => stem,
    }
}

/// A folder's `README.md` describes the folder; it is not a page.
fn is_readme(path: &Path) -> bool {
    path.file_stem()
        .is_some_and(|s| s.eq_ignore_ascii_case("readme"))
}

fn embedded_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = DEFAULT_CONTENT
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "md") && !is_readme(f.path()))
        .map(|f| {
            (
                format!("content/{}", f.path().display()),
                f.contents_utf8().unwrap_or_default().to_string(),
            )
        })
        .collect();
    files.sort();
    files
}

fn dir_files(dir: &Path) -> Result<Vec<(String, String)>, GuideError> {
    let shown = dir.display().to_string();
    if !dir.is_dir() {
        return Err(GuideError::new(
            GUIDE,
            shown,
            "the content folder does not exist",
        ));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| {
        GuideError::new(
            GUIDE,
            &shown,
            format!("cannot read the content folder: {e}"),
        )
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "md") && !is_readme(p))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for p in paths {
        let display = p.display().to_string();
        let bytes = std::fs::read(&p)
            .map_err(|e| GuideError::new(GUIDE, &display, format!("cannot read the page: {e}")))?;
        if bytes.len() > MAX_PAGE {
            return Err(GuideError::new(
                GUIDE,
                &display,
                format!(
                    "the page is {} bytes; pages are limited to {MAX_PAGE} bytes",
                    bytes.len()
                ),
            ));
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            GuideError::new(
                GUIDE,
                &display,
                format!(
                    "the page is not valid UTF-8 (at byte {})",
                    e.utf8_error().valid_up_to()
                ),
            )
        })?;
        files.push((display, text));
    }
    Ok(files)
}

/// Splits `---\nyaml\n---\n` off the top: the YAML's span and where the body starts.
fn split_front_matter(source: &str) -> Option<(Range<usize>, usize)> {
    let first_end = source.find('\n')?;
    if source[..first_end].trim_end() != "---" {
        return None;
    }
    let yaml_start = first_end + 1;
    let mut offset = yaml_start;
    for line in source[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((yaml_start..offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

impl Page {
    /// Parses one page from its display path and text.
    pub fn parse(path: String, source: String) -> Result<Page, GuideError> {
        let file_stem = Path::new(&path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = page_name(&file_stem).to_string();
        let err = |span: Option<Range<usize>>, message: String, label: &str| GuideError {
            kind: GUIDE,
            path: path.clone(),
            text: source.as_str().into(),
            span,
            message,
            label: label.to_string(),
        };
        if RESERVED_NAMES.contains(&name.as_str()) {
            return Err(err(
                None,
                format!("the page name `{name}` is taken by a generated page; rename the file"),
                "",
            ));
        }
        if slug(&name) != name {
            return Err(err(
                None,
                format!("the page name `{name}` should be lower case, with `-` between words"),
                "",
            ));
        }
        let Some((fm_span, body_start)) = split_front_matter(&source) else {
            return Err(err(
                Some(0..source.find('\n').unwrap_or(source.len())),
                "the page has no front matter: start it with `---`, then `title:` and `order:`, then `---`".into(),
                "expected `---` here",
            ));
        };
        let meta: FrontMatter = serde_yaml::from_str(&source[fm_span.clone()]).map_err(|e| {
            let span = e.location().map(|loc| {
                let start = (fm_span.start + loc.index()).min(fm_span.end);
                let end = source[start..fm_span.end]
                    .find('\n')
                    .map_or(fm_span.end, |i| start + i);
                start..end.max(start)
            });
            let message = e.to_string();
            let message = match message.find(" at line ") {
                Some(i) if span.is_some() => message[..i].to_string(),
                _ => message,
            };
            err(
                span.or(Some(fm_span.clone())),
                format!("bad front matter: {message}"),
                "here",
            )
        })?;
        let mut page = Page {
            name,
            file_stem,
            path: path.clone(),
            source: source.clone(),
            body_start,
            front_matter_span: fm_span,
            meta,
            headings: Vec::new(),
            links: Vec::new(),
            letters: Vec::new(),
        };
        page.scan();
        Ok(page)
    }

    /// Collects headings (with unique anchors), links and letter blocks.
    fn scan(&mut self) {
        let mut slugger = Slugger::new();
        let mut headings = Vec::new();
        let mut links = Vec::new();
        let mut letters = Vec::new();
        // The heading being read: level, explicit id, span, text so far.
        let mut heading: Option<(u8, Option<String>, Range<usize>, String)> = None;
        // The letter block being read; `text_start` is where its first text is.
        let mut letter: Option<LetterBlock> = None;
        for (event, range) in self.events() {
            match event {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    heading = Some((level as u8, id.map(|i| i.to_string()), range, String::new()));
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((level, id, span, text)) = heading.take() {
                        let text = text.trim().to_string();
                        let written = self.source[span.clone()].trim_end();
                        let span = span.start..span.start + written.len();
                        let id = match id {
                            Some(id) => slugger.claim(id),
                            None => slugger.unique(&text),
                        };
                        headings.push(Heading {
                            level,
                            text,
                            id,
                            span,
                        });
                    }
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some(h) = heading.as_mut() {
                        h.3.push_str(&t);
                    }
                    if let Some(l) = letter.as_mut() {
                        l.text_start.get_or_insert(range.start);
                        l.text.push_str(&t);
                    }
                }
                Event::Start(Tag::Link { dest_url, .. }) => {
                    links.push(Link {
                        dest: dest_url.to_string(),
                        span: range,
                    });
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    if let Some((kind, expect)) = parse_letter_info(&info) {
                        letter = Some(LetterBlock {
                            kind,
                            expect,
                            text: String::new(),
                            span: range,
                            text_start: None,
                        });
                    }
                }
                Event::End(TagEnd::CodeBlock) => {
                    if let Some(mut l) = letter.take() {
                        // Only point into the source when the text is there verbatim.
                        l.text_start = l.text_start.filter(|&s| {
                            self.source.get(s..s + l.text.len()) == Some(l.text.as_str())
                        });
                        letters.push(l);
                    }
                }
                _ => {}
            }
        }
        self.headings = headings;
        self.links = links;
        self.letters = letters;
    }
}

/// Where an internal link points, once resolved against the guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another place in the guide: page name and optional anchor.
    Page {
        page: String,
        anchor: Option<String>,
    },
    /// The generated rules reference, optionally a rule's anchor.
    Rules { anchor: Option<String> },
    /// A web address or other link the guide does not check.
    External,
    /// A relative link to something that is not a page.
    Unknown,
}

impl fmt::Display for LinkTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkTarget::Page {
                page,
                anchor: Some(a),
            } => write!(f, "{page}#{a}"),
            LinkTarget::Page { page, anchor: None } => f.write_str(page),
            LinkTarget::Rules { anchor: Some(a) } => write!(f, "rules#{a}"),
            LinkTarget::Rules { anchor: None } => f.write_str("rules"),
            LinkTarget::External => f.write_str("(external)"),
            LinkTarget::Unknown => f.write_str("(unknown)"),
        }
    }
}

impl Guide {
    /// Classifies a link written on `from`: `tips.md#x`, `04-tips.md`, `#x`,
    /// `rules.html#id`, or an outside address.
    pub fn link_target(&self, from: &Page, dest: &str) -> LinkTarget {
        let lower = dest.to_ascii_lowercase();
        if lower.contains("://")
            || lower.starts_with("mailto:")
            || lower.starts_with("tel:")
            || lower.starts_with("data:")
        {
            return LinkTarget::External;
        }
        let (file, anchor) = match dest.split_once('#') {
            Some((f, a)) => (f, Some(a.to_string()).filter(|a| !a.is_empty())),
            None => (dest, None),
        };
        let file = file.strip_prefix("./").unwrap_or(file);
        if file.is_empty() {
            return LinkTarget::Page {
                page: from.name.clone(),
                anchor,
            };
        }
        let stem = file
            .strip_suffix(".md")
            .or_else(|| file.strip_suffix(".html"));
        match stem {
            Some("rules") => LinkTarget::Rules { anchor },
            Some(stem) if !stem.contains('/') => LinkTarget::Page {
                page: self
                    .page(stem)
                    .map_or(page_name(stem).to_string(), |p| p.name.clone()),
                anchor,
            },
            _ => LinkTarget::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_names_drop_the_number() {
        assert_eq!(page_name("04-tips"), "tips");
        assert_eq!(
            page_name("01-is-declining-unprofessional"),
            "is-declining-unprofessional"
        );
        assert_eq!(page_name("tips"), "tips");
        assert_eq!(page_name("wrap-up"), "wrap-up");
    }

    #[test]
    fn letter_info_strings() {
        assert_eq!(
            parse_letter_info("letter good"),
            Some((LetterKind::Good, vec![]))
        );
        assert_eq!(
            parse_letter_info("letter bad expect=a,b"),
            Some((LetterKind::Bad, vec!["a".into(), "b".into()]))
        );
        assert_eq!(parse_letter_info("rust"), None);
        assert!(matches!(
            parse_letter_info("letter nice"),
            Some((LetterKind::Unknown(_), _))
        ));
    }

    #[test]
    fn shipped_guide_loads_with_unique_anchors() {
        let guide = Guide::embedded().expect("the shipped guide loads");
        for page in &guide.pages {
            let mut ids: Vec<_> = page.headings.iter().map(|h| &h.id).collect();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), page.headings.len(), "{}", page.name);
        }
        assert!(guide
            .resolve("tips#express-gratitude-and-appreciation")
            .is_ok());
        assert!(guide.resolve("steps#build-bridges-dont-burn-them").is_ok());
    }

    #[test]
    fn duplicate_headings_get_numbered_anchors() {
        let page = Page::parse(
            "x/01-a.md".into(),
            "---\ntitle: A\norder: 1\n---\n\n## Example\n\ntext\n\n## Example\n\n### Example {#custom}\n".into(),
        )
        .unwrap();
        let ids: Vec<_> = page.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["example", "example-1", "custom"]);
        assert_eq!(
            &page.source[page.headings[0].span.clone()].trim_end(),
            &"## Example"
        );
    }
}
