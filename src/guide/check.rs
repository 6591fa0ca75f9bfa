//! `guide check`: the guide and the rules agree — anchors, links, coverage of the advice, and the example letters.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use regex::Regex;

use crate::letter::Letter;
use crate::lint::{Context, Finding, Linter, Options};
use crate::rules::{RuleSet, Severity, DEFAULT_RULES};

use super::draft::{self, DraftRequest, Reason};
use super::html::enforcing_rules;
use super::{Guide, LetterBlock, LetterKind, LinkTarget, Page};

/// Pages whose every `##` section must be enforced by a rule or marked `lint: none`.
pub const COVERED_PAGES: [&str; 3] = ["steps", "reasons", "tips"];

/// The rule that reports unfilled template slots.
pub const PLACEHOLDER_RULE: &str = "unfilled-placeholder";

/// One section of advice and what enforces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageRow {
    pub page: String,
    pub anchor: String,
    pub heading: String,
    /// Rules that name it in `guide:` or `covers:`.
    pub rules: Vec<String>,
    /// The reason given under `lint: none`, if any.
    pub none: Option<String>,
}

impl CoverageRow {
    pub fn target(&self) -> String {
        format!("{}#{}", self.page, self.anchor)
    }

    pub fn is_covered(&self) -> bool {
        !self.rules.is_empty() || self.none.as_deref().is_some_and(|r| !r.trim().is_empty())
    }
}

/// What `guide check` found: diagnostics into the pages and rule files, and the coverage table.
#[derive(Debug)]
pub struct CheckReport {
    /// The files the diagnostics point into.
    pub files: SimpleFiles<String, String>,
    /// Errors fail the check; warnings do not.
    pub diagnostics: Vec<Diagnostic<usize>>,
    pub coverage: Vec<CoverageRow>,
    /// How many ```letter``` blocks were linted.
    pub letters: usize,
    /// How many drafted letters were linted.
    pub drafts: usize,
    /// How many internal links were followed.
    pub links: usize,
}

impl CheckReport {
    /// The number of failures (error diagnostics).
    pub fn failures(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == codespan_reporting::diagnostic::Severity::Error)
            .count()
    }

    pub fn passed(&self) -> bool {
        self.failures() == 0
    }
}

struct Checker<'a> {
    guide: &'a Guide,
    rules: &'a RuleSet,
    linter: Linter,
    files: SimpleFiles<String, String>,
    page_ids: Vec<usize>,
    rule_ids: BTreeMap<String, Option<(usize, String)>>,
    diagnostics: Vec<Diagnostic<usize>>,
    letters: usize,
    drafts: usize,
    links: usize,
}

/// Runs every check of the guide against the rules.
pub fn check(guide: &Guide, rules: &RuleSet) -> CheckReport {
    let mut files = SimpleFiles::new();
    let page_ids = guide
        .pages
        .iter()
        .map(|p| files.add(p.path.clone(), p.source.clone()))
        .collect();
    let mut c = Checker {
        guide,
        rules,
        linter: Linter::new(rules.clone(), Options::default()),
        files,
        page_ids,
        rule_ids: BTreeMap::new(),
        diagnostics: Vec::new(),
        letters: 0,
        drafts: 0,
        links: 0,
    };
    c.rule_anchors();
    c.links();
    let coverage = c.coverage();
    c.letters();
    c.template();
    c.drafts();
    CheckReport {
        files: c.files,
        diagnostics: c.diagnostics,
        coverage,
        letters: c.letters,
        drafts: c.drafts,
        links: c.links,
    }
}

/// The text of a rule file: the embedded default, or the file on disk.
fn rule_file_text(origin: &str) -> Option<String> {
    if let Some(name) = origin.strip_prefix("rules/") {
        if let Some(text) = DEFAULT_RULES.get_file(name).and_then(|f| f.contents_utf8()) {
            return Some(text.to_string());
        }
    }
    std::fs::read_to_string(origin).ok()
}

fn is_failure(f: &Finding) -> bool {
    f.severity >= Severity::Warning
}

impl Checker<'_> {
    fn page_file(&self, page: &Page) -> usize {
        let i = self
            .guide
            .pages
            .iter()
            .position(|p| std::ptr::eq(p, page))
            .expect("the page belongs to the guide");
        self.page_ids[i]
    }

    /// The file id and text of a rule's YAML, added on first use.
    fn rule_file(&mut self, id: &str) -> Option<(usize, String)> {
        if let Some(known) = self.rule_ids.get(id) {
            return known.clone();
        }
        let rule = self.rules.get(id)?;
        let entry = rule_file_text(&rule.origin).map(|text| {
            let file = self.files.add(rule.origin.clone(), text.clone());
            (file, text)
        });
        self.rule_ids.insert(id.to_string(), entry.clone());
        entry
    }

    /// Does the rules reference have this anchor (a rule, `moves`, or `move-<name>`)?
    fn rules_page_has(&self, anchor: &str) -> bool {
        self.rules.get(anchor).is_some()
            || anchor == "moves"
            || anchor
                .strip_prefix("move-")
                .is_some_and(|m| self.rules.moves.index(m).is_some())
    }

    fn error(&mut self, d: Diagnostic<usize>) {
        self.diagnostics.push(d);
    }

    /// Every rule's `guide:` and `covers:` anchors exist.
    fn rule_anchors(&mut self) {
        let rules: Vec<_> = self
            .rules
            .rules
            .iter()
            .map(|r| {
                (
                    r.id.clone(),
                    r.guide.clone(),
                    r.covers.clone(),
                    r.origin.clone(),
                )
            })
            .collect();
        for (id, guide, covers, origin) in rules {
            let file = self.rule_file(&id);
            let Some(target) = guide.clone() else {
                let mut d = Diagnostic::error()
                    .with_code("guide-anchor")
                    .with_message(format!("the rule `{id}` names no guide section"))
                    .with_note("add `guide: page#anchor` naming the advice it enforces");
                match &file {
                    Some((f, _)) => d = d.with_label(Label::primary(*f, 0..0)),
                    None => d = d.with_note(format!("in {origin}")),
                }
                self.error(d);
                continue;
            };
            let keyed =
                std::iter::once(("guide", target)).chain(covers.into_iter().map(|c| ("covers", c)));
            for (key, target) in keyed {
                let Err(why) = self.guide.resolve(&target) else {
                    continue;
                };
                let mut d = Diagnostic::error()
                    .with_code("guide-anchor")
                    .with_message(format!(
                        "the rule `{id}` points to `{target}`, which is not in the guide"
                    ))
                    .with_note(why);
                match &file {
                    Some((f, text)) => {
                        d = d.with_label(
                            Label::primary(*f, value_span(text, key, &target)).with_message(
                                format!(
                                    "no such {}",
                                    if target.contains('#') {
                                        "section"
                                    } else {
                                        "page"
                                    }
                                ),
                            ),
                        );
                    }
                    None => d = d.with_note(format!("in {origin}")),
                }
                self.error(d);
            }
        }
    }

    /// Every internal link resolves to a page and a heading.
    fn links(&mut self) {
        let guide = self.guide;
        for page in &guide.pages {
            let file = self.page_file(page);
            for link in &page.links {
                let problem = match guide.link_target(page, &link.dest) {
                    LinkTarget::External => continue,
                    LinkTarget::Page { page: name, anchor } => match guide.page(&name) {
                        None => Some((
                            format!(
                                "the link `{}` points to a page the guide does not have",
                                link.dest
                            ),
                            guide.resolve(&name).err().unwrap_or_default(),
                        )),
                        Some(target) => match anchor {
                            Some(a) if target.heading(&a).is_none() => Some((
                                format!(
                                    "the link `{}` points to a section that does not exist",
                                    link.dest
                                ),
                                guide
                                    .resolve(&format!("{name}#{a}"))
                                    .err()
                                    .unwrap_or_default(),
                            )),
                            _ => None,
                        },
                    },
                    LinkTarget::Rules { anchor } => match anchor {
                        Some(a) if !self.rules_page_has(&a) => Some((
                            format!(
                                "the link `{}` points to a rule that does not exist",
                                link.dest
                            ),
                            "see `decline-lint rules list`".to_string(),
                        )),
                        _ => None,
                    },
                    LinkTarget::Unknown => Some((
                        format!("the link `{}` is not a page of the guide", link.dest),
                        "link to another page as `page.md` or `page.md#anchor`".to_string(),
                    )),
                };
                self.links += 1;
                if let Some((message, note)) = problem {
                    self.error(
                        Diagnostic::error()
                            .with_code("guide-link")
                            .with_message(message)
                            .with_label(
                                Label::primary(file, link.span.clone()).with_message("broken link"),
                            )
                            .with_note(note),
                    );
                }
            }
        }
    }

    /// Every section of advice is enforced by a rule or marked `lint: none` with a reason.
    fn coverage(&mut self) -> Vec<CoverageRow> {
        let guide = self.guide;
        let mut rows = Vec::new();
        for page in &guide.pages {
            let covered =
                COVERED_PAGES.contains(&page.name.as_str()) || !page.meta.lint.none.is_empty();
            let file = self.page_file(page);
            for (anchor, reason) in &page.meta.lint.none {
                let span = page
                    .front_matter_key_span(anchor)
                    .unwrap_or(page.front_matter_span.clone());
                if page.heading(anchor).is_none() {
                    self.error(
                        Diagnostic::error()
                            .with_code("guide-coverage")
                            .with_message(format!(
                                "`lint: none` names `#{anchor}`, which is not a section of this page"
                            ))
                            .with_label(Label::primary(file, span))
                            .with_note(format!(
                                "sections: {}",
                                page.sections().map(|h| format!("#{}", h.id)).collect::<Vec<_>>().join(", ")
                            )),
                    );
                } else if reason.trim().is_empty() {
                    self.error(
                        Diagnostic::error()
                            .with_code("guide-coverage")
                            .with_message(format!("`lint: none` for `#{anchor}` gives no reason"))
                            .with_label(
                                Label::primary(file, span)
                                    .with_message("say why no rule checks this"),
                            ),
                    );
                }
            }
            if !covered {
                continue;
            }
            for h in page.sections() {
                let target = format!("{}#{}", page.name, h.id);
                let rules: Vec<String> = enforcing_rules(self.rules, &target)
                    .into_iter()
                    .map(|r| r.id.clone())
                    .collect();
                let none = page.meta.lint.none.get(&h.id).cloned();
                if rules.is_empty() && none.is_none() {
                    self.error(
                        Diagnostic::error()
                            .with_code("guide-coverage")
                            .with_message(format!("no rule enforces `{target}`"))
                            .with_label(
                                Label::primary(file, h.span.clone())
                                    .with_message("no rule names this section"),
                            )
                            .with_note(format!(
                                "add `covers: [{target}]` to a rule that checks this advice, or list `{}` under `lint: none` in the front matter with the reason no rule can check it",
                                h.id
                            )),
                    );
                } else if !rules.is_empty() && none.is_some() {
                    let span = page.front_matter_key_span(&h.id).unwrap_or(h.span.clone());
                    self.error(
                        Diagnostic::warning()
                            .with_code("guide-coverage")
                            .with_message(format!(
                                "`{target}` is listed under `lint: none` but {} enforce it",
                                rules.join(", ")
                            ))
                            .with_label(Label::primary(file, span)),
                    );
                }
                rows.push(CoverageRow {
                    page: page.name.clone(),
                    anchor: h.id.clone(),
                    heading: h.text.clone(),
                    rules,
                    none,
                });
            }
        }
        rows
    }

    fn lint(&self, text: &str, name: &str) -> (Letter, Vec<Finding>) {
        let letter = Letter::parse(name, text);
        let findings = self.linter.lint(&letter, &Context::new()).findings;
        (letter, findings)
    }

    /// Good letters draw no warning; bad ones fire what they expect.
    fn letters(&mut self) {
        let guide = self.guide;
        for page in &guide.pages {
            let file = self.page_file(page);
            for block in &page.letters {
                let info = info_span(page, block);
                match &block.kind {
                    LetterKind::Unknown(what) => {
                        self.error(
                            Diagnostic::error()
                                .with_code("guide-letter")
                                .with_message(format!("unknown letter block `letter {what}`"))
                                .with_label(Label::primary(file, info))
                                .with_note("write ```letter good```, ```letter bad expect=rule-id``` or ```letter template```"),
                        );
                    }
                    LetterKind::Good => {
                        self.letters += 1;
                        let (letter, findings) = self.lint(&block.text, &page.path);
                        for f in findings.iter().filter(|f| is_failure(f)) {
                            let span = block.source_span(&f.span);
                            let mut d = Diagnostic::error()
                                .with_code("guide-letter")
                                .with_message(format!(
                                    "a good example letter draws {}[{}]: {}",
                                    f.severity, f.rule, f.message
                                ))
                                .with_label(
                                    Label::primary(file, span)
                                        .with_message(f.label.clone().unwrap_or_default()),
                                )
                                .with_label(
                                    Label::secondary(file, info.clone())
                                        .with_message("in this good example"),
                                );
                            if block.text_start.is_none() {
                                d = d.with_note(format!("at: {:?}", letter.slice(&f.span)));
                            }
                            if let Some(h) = &f.help {
                                d = d.with_note(format!("help: {h}"));
                            }
                            self.error(d);
                        }
                    }
                    LetterKind::Bad => {
                        self.letters += 1;
                        let (_, findings) = self.lint(&block.text, &page.path);
                        let fired: Vec<&str> = {
                            let mut v: Vec<&str> =
                                findings.iter().map(|f| f.rule.as_str()).collect();
                            v.sort_unstable();
                            v.dedup();
                            v
                        };
                        let fired_note = if fired.is_empty() {
                            "no rule fires on it".to_string()
                        } else {
                            format!("rules that fire: {}", fired.join(", "))
                        };
                        if block.expect.is_empty() && !findings.iter().any(is_failure) {
                            self.error(
                                Diagnostic::error()
                                    .with_code("guide-letter")
                                    .with_message("a poor example letter lints clean")
                                    .with_label(Label::primary(file, info.clone()))
                                    .with_note("name the rules it should fire: ```letter bad expect=rule-id```")
                                    .with_note(fired_note.clone()),
                            );
                        }
                        for id in &block.expect {
                            if self.rules.get(id).is_none() {
                                self.error(
                                    Diagnostic::error()
                                        .with_code("guide-letter")
                                        .with_message(format!(
                                            "a poor example expects `{id}`, which is not a rule"
                                        ))
                                        .with_label(
                                            Label::primary(file, info.clone())
                                                .with_message("unknown rule"),
                                        )
                                        .with_note("see `decline-lint rules list`"),
                                );
                            } else if !fired.contains(&id.as_str()) {
                                self.error(
                                    Diagnostic::error()
                                        .with_code("guide-letter")
                                        .with_message(format!(
                                            "a poor example letter does not fire `{id}`"
                                        ))
                                        .with_label(
                                            Label::primary(file, info.clone())
                                                .with_message(format!("expects {id}")),
                                        )
                                        .with_note(fired_note.clone()),
                                );
                            }
                        }
                    }
                    LetterKind::Template => {}
                }
            }
        }
    }

    /// The template fires `unfilled-placeholder` once per slot, and lints clean once filled in.
    fn template(&mut self) {
        let guide = self.guide;
        for page in &guide.pages {
            let file = self.page_file(page);
            for block in page
                .letters
                .iter()
                .filter(|b| b.kind == LetterKind::Template)
            {
                self.letters += 1;
                let info = info_span(page, block);
                let (letter, findings) = self.lint(&block.text, &page.path);
                if self.rules.get(PLACEHOLDER_RULE).is_some() {
                    let found: Vec<&Finding> = findings
                        .iter()
                        .filter(|f| f.rule == PLACEHOLDER_RULE)
                        .collect();
                    for m in draft::slot_re().find_iter(&block.text) {
                        let hit = found
                            .iter()
                            .any(|f| f.span.start < m.end() && m.start() < f.span.end);
                        if !hit {
                            self.error(
                                Diagnostic::error()
                                    .with_code("guide-template")
                                    .with_message(format!(
                                        "`{PLACEHOLDER_RULE}` does not fire on the slot `{}`",
                                        m.as_str()
                                    ))
                                    .with_label(
                                        Label::primary(file, block.source_span(&m.range()))
                                            .with_message("unfilled, but not reported"),
                                    )
                                    .with_label(
                                        Label::secondary(file, info.clone())
                                            .with_message("in the template"),
                                    ),
                            );
                        }
                    }
                    for f in &found {
                        let slots = draft::slot_re()
                            .find_iter(&block.text)
                            .filter(|m| f.span.start < m.end() && m.start() < f.span.end)
                            .count();
                        if slots != 1 {
                            self.error(
                                Diagnostic::error()
                                    .with_code("guide-template")
                                    .with_message(format!(
                                        "`{PLACEHOLDER_RULE}` fires on `{}`, which is not one template slot",
                                        letter.slice(&f.span)
                                    ))
                                    .with_label(Label::primary(file, block.source_span(&f.span)))
                                    .with_note("the rule should fire exactly once per `[Slot]`"),
                            );
                        }
                    }
                }
                let filled = draft::fill_with_samples(&block.text);
                let (filled_letter, findings) = self.lint(&filled, &page.path);
                for f in findings.iter().filter(|f| is_failure(f)) {
                    self.error(
                        Diagnostic::error()
                            .with_code("guide-template")
                            .with_message(format!(
                                "the template, filled in, draws {}[{}]: {}",
                                f.severity, f.rule, f.message
                            ))
                            .with_label(
                                Label::primary(file, info.clone()).with_message("in this template"),
                            )
                            .with_note(format!("at: {:?}", filled_letter.slice(&f.span))),
                    );
                }
            }
        }
    }

    /// Every reason, drafted into the template with and without an alternative, lints clean.
    fn drafts(&mut self) {
        let guide = self.guide;
        let Some((template_page, template)) = guide.template() else {
            return;
        };
        let Some(reasons) = guide.page(draft::REASONS_PAGE) else {
            return;
        };
        let reasons_file = self.page_file(reasons);
        let template_file = self.page_file(template_page);
        let template_info = info_span(template_page, template);
        for reason in Reason::ALL {
            let Some(heading) = reasons.heading(reason.anchor()) else {
                self.error(
                    Diagnostic::error()
                        .with_code("guide-draft")
                        .with_message(format!(
                            "the reasons page has no section `#{}` for `draft --reason {reason}`",
                            reason.anchor()
                        ))
                        .with_label(Label::primary(
                            reasons_file,
                            reasons.front_matter_span.clone(),
                        )),
                );
                continue;
            };
            let lines = draft::say_it_lines(reasons, reason.anchor());
            if lines.len() != 1 {
                let mut d = Diagnostic::error()
                    .with_code("guide-draft")
                    .with_message(format!(
                        "the section `#{}` needs exactly one line `> Say it like this: \"...\"` for `draft`; it has {}",
                        reason.anchor(),
                        lines.len()
                    ))
                    .with_label(Label::primary(reasons_file, heading.span.clone()));
                for (span, _) in &lines {
                    d = d.with_label(Label::secondary(reasons_file, span.clone()));
                }
                self.error(d);
                continue;
            }
            let say_span = lines[0].0.clone();
            for alternative in [false, true] {
                let req = DraftRequest::sample(Some(reason), alternative);
                let drafted = match draft::draft(guide, &self.rules.moves, &req) {
                    Ok(d) => d,
                    Err(e) => {
                        self.error(
                            Diagnostic::error()
                                .with_code("guide-draft")
                                .with_message(e.to_string())
                                .with_label(Label::primary(template_file, template_info.clone())),
                        );
                        return;
                    }
                };
                self.drafts += 1;
                let command = format!(
                    "draft --reason {reason}{}",
                    if alternative { " --alternative" } else { "" }
                );
                let (letter, findings) = self.lint(&drafted.text, "draft");
                for f in findings.iter().filter(|f| is_failure(f)) {
                    self.error(
                        Diagnostic::error()
                            .with_code("guide-draft")
                            .with_message(format!(
                                "`{command}` writes a letter that draws {}[{}]: {}",
                                f.severity, f.rule, f.message
                            ))
                            .with_label(
                                Label::primary(reasons_file, say_span.clone())
                                    .with_message("this sentence"),
                            )
                            .with_label(
                                Label::secondary(template_file, template_info.clone())
                                    .with_message("goes into this template"),
                            )
                            .with_note(format!("at: {:?}", letter.slice(&f.span))),
                    );
                }
            }
        }
    }
}

/// The opening fence line of a letter block.
fn info_span(page: &Page, block: &LetterBlock) -> Range<usize> {
    let start = block.span.start;
    let end = page.source[start..block.span.end]
        .find('\n')
        .map_or(block.span.end, |i| start + i);
    start..end
}

/// The span of `target` after `key:` in a rule file, or of the key's line.
fn value_span(text: &str, key: &str, target: &str) -> Range<usize> {
    let key_re = Regex::new(&format!(r"(?m)^[ \t]*{}[ \t]*:", regex::escape(key)))
        .expect("key pattern compiles");
    let from = key_re.find(text).map_or(0, |m| m.start());
    if let Some(i) = text[from..].find(target) {
        return from + i..from + i + target.len();
    }
    let end = text[from..].find('\n').map_or(text.len(), |i| from + i);
    from..end
}

/// The coverage table: each section of advice and the rules that enforce it.
pub fn coverage_table(rows: &[CoverageRow]) -> String {
    let mut out = String::new();
    if rows.is_empty() {
        return out;
    }
    let width = rows
        .iter()
        .map(|r| r.target().chars().count())
        .max()
        .unwrap_or(0);
    out.push_str("Guide sections and the rules that enforce them:\n");
    for r in rows {
        let (mark, what) = if !r.rules.is_empty() {
            ("✓", r.rules.join(", "))
        } else if let Some(reason) = r.none.as_deref().filter(|s| !s.trim().is_empty()) {
            ("–", format!("lint: none ({})", reason.trim()))
        } else {
            ("✗", "no rule".to_string())
        };
        let _ = writeln!(out, "  {mark} {:<width$}  {what}", r.target());
    }
    out
}
