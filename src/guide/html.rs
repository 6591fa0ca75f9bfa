//! The static site: the guide's pages, an index and a rules reference as HTML that works from `file://`.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use regex::Regex;

use crate::moves::STRUCTURAL;
use crate::rules::{Example, Rule, RuleSet};

use super::{Guide, LetterKind, LinkTarget, Page};

/// The site's name, shown in the sidebar and every `<title>`.
pub const SITE_TITLE: &str = "Declining an interview, politely";

/// The stylesheet every page links to.
pub const STYLE: &str = include_str!("style.css");

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// A generated site: file names relative to the output folder, and their contents.
#[derive(Debug, Clone)]
pub struct Site {
    pub files: Vec<(PathBuf, String)>,
}

impl Site {
    /// Writes every file under `out`, creating the folder. Nothing else in it is touched.
    pub fn write(&self, out: &Path) -> io::Result<()> {
        std::fs::create_dir_all(out)?;
        for (name, text) in &self.files {
            std::fs::write(out.join(name), text)?;
        }
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(p, _)| p.as_os_str() == name)
            .map(|(_, t)| t.as_str())
    }
}

/// One entry of the reading order: file name and title.
struct NavItem {
    href: String,
    title: String,
}

fn nav_items(guide: &Guide) -> Vec<NavItem> {
    let mut items = vec![NavItem {
        href: "index.html".into(),
        title: "Contents".into(),
    }];
    items.extend(guide.pages.iter().map(|p| NavItem {
        href: format!("{}.html", p.name),
        title: p.meta.title.clone(),
    }));
    items.push(NavItem {
        href: "rules.html".into(),
        title: "Rules reference".into(),
    });
    items
}

/// Builds the whole site in memory.
pub fn build(guide: &Guide, rules: &RuleSet) -> Site {
    let mut files = vec![
        (PathBuf::from("index.html"), render_index(guide, rules)),
        (PathBuf::from("style.css"), STYLE.to_string()),
    ];
    for page in &guide.pages {
        files.push((
            PathBuf::from(format!("{}.html", page.name)),
            render_page(guide, rules, page),
        ));
    }
    files.push((PathBuf::from("rules.html"), render_rules(guide, rules)));
    Site { files }
}

/// Wraps a page's main content in the shared layout: head, sidebar, pager.
fn layout(
    guide: &Guide,
    current: &str,
    title: &str,
    description: Option<&str>,
    main: &str,
) -> String {
    let items = nav_items(guide);
    let pos = items.iter().position(|i| i.href == current);
    let mut html = String::new();
    let full_title = if current == "index.html" {
        SITE_TITLE.to_string()
    } else {
        format!("{title} · {SITE_TITLE}")
    };
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.push_str("<meta name=\"color-scheme\" content=\"light dark\">\n");
    let _ = writeln!(html, "<title>{}</title>", escape(&full_title));
    if let Some(d) = description {
        let _ = writeln!(
            html,
            "<meta name=\"description\" content=\"{}\">",
            escape(d)
        );
    }
    html.push_str(
        "<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"style.css\">\n",
    );
    html.push_str("</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the content</a>\n");
    html.push_str("<div class=\"layout\">\n<nav class=\"sidebar\" aria-label=\"Guide\">\n");
    let _ = writeln!(
        html,
        "<a class=\"brand\" href=\"index.html\">{}</a>",
        escape(SITE_TITLE)
    );
    html.push_str("<ol class=\"pages\">\n");
    for item in &items[1..items.len() - 1] {
        let _ = writeln!(html, "<li>{}</li>", nav_link(item, current));
    }
    html.push_str("</ol>\n<ul class=\"extra\">\n");
    let _ = writeln!(
        html,
        "<li>{}</li>",
        nav_link(&items[items.len() - 1], current)
    );
    html.push_str("</ul>\n</nav>\n<main id=\"main\">\n<article>\n");
    html.push_str(main);
    html.push_str("</article>\n");
    if let Some(pos) = pos {
        html.push_str("<nav class=\"pager\" aria-label=\"Previous and next page\">\n");
        if pos > 0 {
            let p = &items[pos - 1];
            let _ = writeln!(
                html,
                "<a class=\"prev\" href=\"{}\" rel=\"prev\"><span>Previous</span>{}</a>",
                escape(&p.href),
                escape(&p.title)
            );
        }
        if let Some(n) = items.get(pos + 1) {
            let _ = writeln!(
                html,
                "<a class=\"next\" href=\"{}\" rel=\"next\"><span>Next</span>{}</a>",
                escape(&n.href),
                escape(&n.title)
            );
        }
        html.push_str("</nav>\n");
    }
    html.push_str("<footer>Check your own letter before you send it: <code>decline-lint letter.txt</code>. Read this guide in a terminal: <code>decline-lint guide show</code>.</footer>\n");
    html.push_str("</main>\n</div>\n</body>\n</html>\n");
    html
}

fn nav_link(item: &NavItem, current: &str) -> String {
    let here = if item.href == current {
        " aria-current=\"page\""
    } else {
        ""
    };
    format!(
        "<a href=\"{}\" title=\"{}\"{here}>{}</a>",
        escape(&item.href),
        escape(&item.title),
        escape(&item.title)
    )
}

/// The rules that enforce `page#anchor` through `guide:` or `covers:`.
pub fn enforcing_rules<'a>(rules: &'a RuleSet, target: &str) -> Vec<&'a Rule> {
    rules
        .rules
        .iter()
        .filter(|r| r.guide.as_deref() == Some(target) || r.covers.iter().any(|c| c == target))
        .collect()
}

/// The `href` of a link written in the guide's Markdown, as it works on the site.
fn site_href(guide: &Guide, page: &Page, dest: &str) -> String {
    match guide.link_target(page, dest) {
        LinkTarget::Page { page: name, anchor } => {
            let file = if name == page.name && dest.starts_with('#') {
                String::new()
            } else {
                format!("{name}.html")
            };
            match anchor {
                Some(a) => format!("{file}#{a}"),
                None if file.is_empty() => "#".into(),
                None => file,
            }
        }
        LinkTarget::Rules { anchor } => match anchor {
            Some(a) => format!("rules.html#{a}"),
            None => "rules.html".into(),
        },
        LinkTarget::External | LinkTarget::Unknown => dest.to_string(),
    }
}

fn slot_re() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    CELL.get_or_init(|| Regex::new(r"\[[^\]\n<>&]{1,60}\]").expect("slot pattern compiles"))
}

/// A letter as a styled box: caption (good, bad or template) and the text.
pub fn letter_box(kind: &LetterKind, expect: &[String], text: &str, rules: &RuleSet) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<figure class=\"letter {}\">\n<figcaption><span class=\"letter-label\">{}</span>",
        kind.label(),
        escape(kind.caption())
    );
    if !expect.is_empty() {
        html.push_str("<span class=\"flags\">decline-lint flags ");
        let links: Vec<String> = expect.iter().map(|id| rule_ref(id, rules)).collect();
        html.push_str(&links.join(", "));
        html.push_str("</span>");
    }
    html.push_str("</figcaption>\n<pre class=\"letter-text\">");
    let body = escape(text.trim_end_matches('\n'));
    if *kind == LetterKind::Template {
        html.push_str(&slot_re().replace_all(&body, "<mark class=\"slot\">$0</mark>"));
    } else {
        html.push_str(&body);
    }
    html.push_str("</pre>\n</figure>\n");
    html
}

/// A rule id, linked to its entry in the rules reference when the rule exists.
fn rule_ref(id: &str, rules: &RuleSet) -> String {
    if rules.get(id).is_some() {
        format!(
            "<a href=\"rules.html#{}\"><code>{}</code></a>",
            escape(id),
            escape(id)
        )
    } else {
        format!("<code>{}</code>", escape(id))
    }
}

/// The HTML of a page's Markdown body: heading anchors, letter boxes, links to `.html`.
pub fn render_body(guide: &Guide, rules: &RuleSet, page: &Page) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut heading_index = 0;
    let mut in_letter: Option<(LetterKind, Vec<String>, String)> = None;
    let mut current_heading: Option<&super::Heading> = None;
    let body = page.body();
    for event in super::parser(body) {
        if let Some(letter) = in_letter.as_mut() {
            match event {
                Event::Text(t) => letter.2.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (kind, expect, text) = in_letter.take().expect("inside a letter");
                    events.push(Event::Html(CowStr::from(letter_box(
                        &kind, &expect, &text, rules,
                    ))));
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let h = page.headings.get(heading_index);
                heading_index += 1;
                current_heading = h;
                let id = h.map_or(String::new(), |h| h.id.clone());
                events.push(Event::Html(CowStr::from(format!(
                    "<h{} id=\"{}\">",
                    level as u8,
                    escape(&id)
                ))));
            }
            Event::End(TagEnd::Heading(level)) => {
                let mut html = String::new();
                if let Some(h) = current_heading.take() {
                    let _ = write!(
                        html,
                        "<a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a>",
                        escape(&h.id)
                    );
                    let _ = writeln!(html, "</h{}>", level as u8);
                    if h.level == 2 {
                        html.push_str(&checked_by(rules, page, &h.id));
                    }
                } else {
                    let _ = writeln!(html, "</h{}>", level as u8);
                }
                events.push(Event::Html(CowStr::from(html)));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info))) => {
                match super::parse_letter_info(info) {
                    Some((kind, expect)) => in_letter = Some((kind, expect, String::new())),
                    None => events.push(event),
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let href = site_href(guide, page, &dest_url);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(href),
                    title,
                    id,
                }));
            }
            // Raw HTML in the Markdown is shown as text, never passed through.
            Event::Html(t) | Event::InlineHtml(t) => events.push(Event::Text(t)),
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// The note under a `##` heading naming the rules that check it.
fn checked_by(rules: &RuleSet, page: &Page, anchor: &str) -> String {
    let target = format!("{}#{anchor}", page.name);
    let enforcing = enforcing_rules(rules, &target);
    if !enforcing.is_empty() {
        let links: Vec<String> = enforcing.iter().map(|r| rule_ref(&r.id, rules)).collect();
        let noun = if links.len() == 1 { "rule" } else { "rules" };
        format!(
            "<p class=\"checked-by\">decline-lint checks this with the {noun} {}.</p>\n",
            links.join(", ")
        )
    } else if let Some(reason) = page.meta.lint.none.get(anchor) {
        format!(
            "<p class=\"checked-by not-checked\">Not checked by decline-lint: {}</p>\n",
            escape(reason)
        )
    } else {
        String::new()
    }
}

/// One page of the guide.
pub fn render_page(guide: &Guide, rules: &RuleSet, page: &Page) -> String {
    let mut main = String::new();
    let _ = writeln!(main, "<h1>{}</h1>", escape(&page.meta.title));
    if let Some(s) = &page.meta.summary {
        let _ = writeln!(main, "<p class=\"summary\">{}</p>", escape(s));
    }
    let sections: Vec<_> = page.sections().collect();
    if sections.len() >= 4 {
        main.push_str(
            "<nav class=\"on-this-page\" aria-label=\"On this page\">\n<p>On this page</p>\n<ul>\n",
        );
        for h in sections {
            let _ = writeln!(
                main,
                "<li><a href=\"#{}\">{}</a></li>",
                escape(&h.id),
                escape(&h.text)
            );
        }
        main.push_str("</ul>\n</nav>\n");
    }
    main.push_str(&render_body(guide, rules, page));
    layout(
        guide,
        &format!("{}.html", page.name),
        &page.meta.title,
        page.meta.summary.as_deref(),
        &main,
    )
}

/// The index: what the guide is, and its table of contents.
pub fn render_index(guide: &Guide, rules: &RuleSet) -> String {
    let mut main = String::new();
    let _ = writeln!(main, "<h1>{}</h1>", escape(SITE_TITLE));
    main.push_str(
        "<p class=\"summary\">A short, practical guide to turning down a job interview \
         without burning a bridge: when it is fine to decline, how to write the letter, \
         which reasons to give and how to phrase them, and a template to start from.</p>\n",
    );
    main.push_str(
        "<p>Much of this advice can be checked, and <code>decline-lint</code> checks it: it \
         reads the letter you wrote and points out what the guide would change, rule by rule. \
         The <a href=\"rules.html\">rules reference</a> lists every check and the section of \
         the guide behind it.</p>\n",
    );
    main.push_str("<h2 id=\"contents\">Contents<a class=\"anchor\" href=\"#contents\" aria-label=\"Link to this section\">#</a></h2>\n<ol class=\"toc\">\n");
    for page in &guide.pages {
        let _ = write!(
            main,
            "<li><a class=\"toc-title\" href=\"{}.html\">{}</a>",
            escape(&page.name),
            escape(&page.meta.title)
        );
        if let Some(s) = &page.meta.summary {
            let _ = write!(main, "<p>{}</p>", escape(s));
        }
        let sections: Vec<_> = page.sections().collect();
        if !sections.is_empty() {
            main.push_str("<ul>");
            for h in sections {
                let _ = write!(
                    main,
                    "<li><a href=\"{}.html#{}\">{}</a></li>",
                    escape(&page.name),
                    escape(&h.id),
                    escape(&h.text)
                );
            }
            main.push_str("</ul>");
        }
        main.push_str("</li>\n");
    }
    let _ = writeln!(
        main,
        "<li><a class=\"toc-title\" href=\"rules.html\">Rules reference</a><p>The {} checks decline-lint makes, each with the guide section it enforces and example letters.</p></li>",
        rules.rules.len()
    );
    main.push_str("</ol>\n");
    layout(guide, "index.html", SITE_TITLE, None, &main)
}

/// What the structural moves mean (they have no detector file).
fn structural_description(name: &str) -> &'static str {
    match name {
        "greeting" => "The opening line that addresses the reader (\"Dear Ms. Lee,\").",
        "signoff" => "The closing phrase before the name (\"Best regards,\").",
        "signature" => "The writer's name and any lines after the sign-off.",
        _ => "",
    }
}

/// Escapes a rule message, showing the values it names as variables and
/// a choice of words as the plural (see [`crate::lint::template`]).
fn with_vars(text: &str) -> String {
    crate::lint::template::shown(&escape(text), |name| format!("<var>{name}</var>"))
}

fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            format!(
                "<p>{}</p>\n",
                escape(&p.split_whitespace().collect::<Vec<_>>().join(" "))
            )
        })
        .collect()
}

fn guide_link(guide: &Guide, target: &str) -> String {
    match guide.resolve(target) {
        Ok((page, Some(h))) => format!(
            "<a href=\"{}.html#{}\">{}</a> <span class=\"where\">({})</span>",
            escape(&page.name),
            escape(&h.id),
            escape(&h.text),
            escape(&page.meta.title)
        ),
        Ok((page, None)) => format!(
            "<a href=\"{}.html\">{}</a>",
            escape(&page.name),
            escape(&page.meta.title)
        ),
        Err(_) => format!(
            "<code>{}</code> <span class=\"where\">(not in this guide)</span>",
            escape(target)
        ),
    }
}

fn examples_html(kind: LetterKind, list: &[Example], rules: &RuleSet) -> String {
    let mut html = String::new();
    let Some((first, rest)) = list.split_first() else {
        return html;
    };
    html.push_str(&letter_box(&kind, &[], first.text(), rules));
    if !rest.is_empty() {
        let _ = writeln!(
            html,
            "<details><summary>{} more {} example{}</summary>",
            rest.len(),
            if kind == LetterKind::Good {
                "good"
            } else {
                "poor"
            },
            if rest.len() == 1 { "" } else { "s" }
        );
        for ex in rest {
            html.push_str(&letter_box(&kind, &[], ex.text(), rules));
        }
        html.push_str("</details>\n");
    }
    html
}

/// The rules reference: every rule with its anchor, and every move.
pub fn render_rules(guide: &Guide, rules: &RuleSet) -> String {
    let mut main = String::new();
    main.push_str("<h1>Rules reference</h1>\n");
    main.push_str(
        "<p class=\"summary\">Every check decline-lint makes, what it looks for, what to do \
         about it, and the section of the guide it comes from.</p>\n",
    );
    main.push_str(
        "<p>Each rule has an id you can use with <code>--select</code> and <code>--ignore</code>, \
         and a severity: an <span class=\"severity error\">error</span> fails the check, a \
         <span class=\"severity warning\">warning</span> is worth fixing, and \
         <span class=\"severity info\">info</span> is a suggestion. In a terminal, \
         <code>decline-lint rules explain ID</code> shows the same entry.</p>\n",
    );
    main.push_str("<nav class=\"rule-index\" aria-label=\"Rules\">\n<ul>\n");
    for r in &rules.rules {
        let _ = writeln!(
            main,
            "<li><a href=\"#{}\"><code>{}</code></a> <span class=\"severity {}\">{}</span></li>",
            escape(&r.id),
            escape(&r.id),
            r.severity.as_str(),
            r.severity.as_str()
        );
    }
    main.push_str("<li><a href=\"#moves\">Moves</a></li>\n</ul>\n</nav>\n");
    for r in &rules.rules {
        let id = escape(&r.id);
        let _ = writeln!(main, "<section class=\"rule\">");
        let _ = writeln!(
            main,
            "<h2 id=\"{id}\"><code>{id}</code> <span class=\"severity {sev}\">{sev}</span><a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this rule\">#</a></h2>",
            sev = r.severity.as_str()
        );
        let _ = writeln!(
            main,
            "<p class=\"rule-message\">{}</p>",
            with_vars(&r.message)
        );
        main.push_str("<dl class=\"rule-facts\">\n");
        if let Some(help) = &r.help {
            let _ = writeln!(main, "<dt>What to do</dt><dd>{}</dd>", with_vars(help));
        }
        let mut targets: Vec<&str> = r.guide.iter().map(String::as_str).collect();
        targets.extend(r.covers.iter().map(String::as_str));
        if !targets.is_empty() {
            let links: Vec<String> = targets.iter().map(|t| guide_link(guide, t)).collect();
            let _ = writeln!(main, "<dt>Guide</dt><dd>{}</dd>", links.join("<br>"));
        }
        let mut kind = format!(
            "{} · scope {}",
            escape(r.extends),
            escape(&r.scope.name(&rules.moves))
        );
        if let Some(a) = r.fix_applicability() {
            let _ = write!(kind, " · fix: {}", a.as_str());
        }
        let _ = writeln!(main, "<dt>Kind</dt><dd>{kind}</dd>");
        main.push_str("</dl>\n");
        if let Some(d) = &r.description {
            main.push_str("<div class=\"rule-description\">\n");
            main.push_str(&paragraphs(d));
            main.push_str("</div>\n");
        }
        if !r.examples.bad.is_empty() || !r.examples.good.is_empty() {
            main.push_str("<div class=\"examples\">\n<div>\n");
            main.push_str(&examples_html(LetterKind::Bad, &r.examples.bad, rules));
            main.push_str("</div>\n<div>\n");
            main.push_str(&examples_html(LetterKind::Good, &r.examples.good, rules));
            main.push_str("</div>\n</div>\n");
        }
        main.push_str("</section>\n");
    }
    main.push_str("<section class=\"moves\">\n<h2 id=\"moves\">Moves<a class=\"anchor\" href=\"#moves\" aria-label=\"Link to this section\">#</a></h2>\n");
    main.push_str(
        "<p>decline-lint reads a letter as a sequence of <em>moves</em>: thanking, declining, \
         giving a reason and so on. Rules such as <code>missing-gratitude</code> look for a \
         move; <code>decline-lint --format moves</code> shows which moves it found in your \
         letter.</p>\n<dl class=\"move-list\">\n",
    );
    for name in rules.moves.names() {
        let description = match rules.moves.detectors().iter().find(|d| &d.name == name) {
            Some(d) => escape(&d.description),
            None if STRUCTURAL.contains(&name.as_str()) => {
                format!(
                    "{} <span class=\"where\">(from the letter's layout)</span>",
                    escape(structural_description(name))
                )
            }
            None => String::new(),
        };
        let _ = writeln!(
            main,
            "<dt id=\"move-{}\"><code>{}</code></dt><dd>{description}</dd>",
            escape(name),
            escape(name)
        );
    }
    main.push_str("</dl>\n</section>\n");
    layout(
        guide,
        "rules.html",
        "Rules reference",
        Some("Every check decline-lint makes, with examples and the guide section behind it."),
        &main,
    )
}
