//! The guide: anchors, the static site, terminal rendering, `guide check` and `draft`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use regex::Regex;

use decline_lint::guide::check;
use decline_lint::guide::draft::{self, DraftRequest, Reason};
use decline_lint::guide::html;
use decline_lint::guide::terminal::{self, TermStyle};
use decline_lint::guide::{slug, Guide, Slugger};
use decline_lint::letter::Letter;
use decline_lint::lint::{Context, Linter, Options};
use decline_lint::rules::{RuleSet, RuleSource, Severity};

fn bin() -> Command {
    let mut c = Command::cargo_bin("decline-lint").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("NO_COLOR");
    c.env_remove("COLUMNS");
    c
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn defaults() -> RuleSet {
    RuleSet::defaults().expect("the default rules load")
}

// A small guide written for these tests, so snapshots do not change when the
// shipped content does.
const BASICS: &str = r#"---
title: "The basics"
order: 1
summary: "What a decline letter needs, in brief & <plain> words."
---

A decline letter is short. Read the [other page](other.md#details) or the
[section below](#examples-1), and mind **bold**, *emphasis*, ~~strike~~ and `code`.

## Examples

> Say it like this: "I have decided to withdraw my application."

- one item
- two items with a [link](02-other.md)

1. first
2. second

## Examples

```letter good
Dear Ms. Lee,

Thank you for the invitation.
```

```letter bad expect=missing-gratitude
Dear Ms. Lee,

I will not attend.
```

```letter template
Dear [Hiring Manager's Name],

Thank you, [Company].
```

| Slot | Example |
|---|---|
| `[Company]` | Acme |

Raw <b>HTML</b> is shown as text.[^note]

[^note]: A footnote.
"#;

const OTHER: &str = r#"---
title: "Other"
order: 2
---

## Details

Back to [the basics](basics.md).

```text
a code block
```
"#;

fn mini_guide() -> Guide {
    Guide::from_files(vec![
        ("content/01-basics.md".into(), BASICS.into()),
        ("content/02-other.md".into(), OTHER.into()),
    ])
    .expect("the test guide loads")
}

fn write_mini_guide(dir: &Path) {
    std::fs::write(dir.join("01-basics.md"), BASICS).unwrap();
    std::fs::write(dir.join("02-other.md"), OTHER).unwrap();
}

// --- anchors -------------------------------------------------------------

#[test]
fn slugs_are_mdbook_style() {
    assert_eq!(
        slug("Express gratitude and appreciation"),
        "express-gratitude-and-appreciation"
    );
    assert_eq!(
        slug("Build bridges, don't burn them"),
        "build-bridges-dont-burn-them"
    );
    assert_eq!(
        slug("Fill in every placeholder!"),
        "fill-in-every-placeholder"
    );
    assert_eq!(
        slug("snake_case and kebab-case"),
        "snake_case-and-kebab-case"
    );
    assert_eq!(slug("Step 2: Write"), "step-2-write");
    assert_eq!(slug("Ünïcode Heading"), "ünïcode-heading");
}

#[test]
fn repeated_headings_get_unique_anchors() {
    let mut s = Slugger::new();
    let ids: Vec<String> = ["Examples", "Examples", "Other", "Examples"]
        .iter()
        .map(|t| s.unique(t))
        .collect();
    assert_eq!(ids, ["examples", "examples-1", "other", "examples-2"]);

    let guide = mini_guide();
    let page = guide.page("basics").unwrap();
    let ids: Vec<&str> = page.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["examples", "examples-1"]);
}

#[test]
fn every_shipped_page_has_unique_anchors_and_the_catalog_anchors() {
    let guide = Guide::embedded().unwrap();
    for page in &guide.pages {
        let ids: BTreeSet<&str> = page.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids.len(),
            page.headings.len(),
            "duplicate anchors on {}",
            page.name
        );
    }
    for target in [
        "steps#assess-the-offer",
        "steps#craft-the-decline",
        "steps#build-bridges-dont-burn-them",
        "steps#reflect-and-refocus",
        "reasons#not-a-good-fit",
        "reasons#the-company-culture-does-not-match",
        "reasons#location",
        "reasons#you-accepted-another-offer",
        "reasons#lack-of-interest",
        "tips#respond-promptly-and-respectfully",
        "tips#be-honest-but-tactful",
        "tips#express-gratitude-and-appreciation",
        "tips#maintain-relationships",
        "tips#keep-it-brief-but-thoughtful",
        "tips#offer-an-alternative",
        "tips#stay-professional-in-every-interaction",
        "tips#practise-your-response",
        "tips#stay-positive-and-focused",
        "template#write-a-clear-subject-line",
        "template#the-template",
        "template#fill-in-every-placeholder",
    ] {
        assert!(guide.resolve(target).is_ok(), "{target} is missing");
    }
    let names: Vec<&str> = guide.pages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "is-declining-unprofessional",
            "steps",
            "reasons",
            "tips",
            "template",
            "wrap-up"
        ]
    );
}

// --- HTML ----------------------------------------------------------------

#[test]
fn page_html_snapshot() {
    let guide = mini_guide();
    let page = guide.page("basics").unwrap();
    insta::assert_snapshot!(
        "basics_page_html",
        html::render_page(&guide, &RuleSet::default(), page)
    );
}

#[test]
fn page_html_basics() {
    let guide = mini_guide();
    let html = html::render_page(&guide, &RuleSet::default(), guide.page("basics").unwrap());
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("<title>The basics · "));
    // Links between pages point at the HTML files.
    assert!(html.contains("href=\"other.html#details\""));
    assert!(html.contains("href=\"other.html\""));
    assert!(html.contains("href=\"#examples-1\""));
    // Every heading has an id and a `#` link.
    assert!(html.contains("<h2 id=\"examples\">Examples<a class=\"anchor\" href=\"#examples\""));
    assert!(html.contains("<h2 id=\"examples-1\">"));
    // Letters are boxes labelled good, bad and template.
    assert!(html.contains("<figure class=\"letter good\">"));
    assert!(html.contains("<figure class=\"letter bad\">"));
    assert!(html.contains("<figure class=\"letter template\">"));
    assert!(html.contains("<mark class=\"slot\">[Company]</mark>"));
    // Front matter and raw HTML are escaped.
    assert!(html.contains("in brief &amp; &lt;plain&gt; words."));
    assert!(html.contains("Raw &lt;b&gt;HTML&lt;/b&gt; is shown as text."));
    assert!(!html.contains("<b>HTML</b>"));
}

/// Every `href` in the built site names a file that exists and, when it has
/// one, an anchor that file defines.
fn check_hrefs(dir: &Path) -> (usize, Vec<String>) {
    let href = Regex::new(r#"href="([^"]*)""#).unwrap();
    let id = Regex::new(r#"\bid="([^"]*)""#).unwrap();
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut pages = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        if name.ends_with(".html") {
            ids.insert(
                name.clone(),
                id.captures_iter(&text).map(|c| c[1].to_string()).collect(),
            );
            pages.insert(name, text);
        }
    }
    let mut checked = 0;
    let mut broken = Vec::new();
    for (name, text) in &pages {
        for c in href.captures_iter(text) {
            let target = c[1].replace("&amp;", "&");
            if target.starts_with("data:") {
                continue;
            }
            checked += 1;
            assert!(
                !target.contains("://"),
                "{name} links outside the site: {target}"
            );
            let (file, anchor) = match target.split_once('#') {
                Some((f, a)) => (f, Some(a)),
                None => (target.as_str(), None),
            };
            let file = if file.is_empty() { name.as_str() } else { file };
            if !dir.join(file).is_file() {
                broken.push(format!("{name}: {target} (no file {file})"));
                continue;
            }
            if let Some(a) = anchor {
                if !ids.get(file).is_some_and(|set| set.contains(a)) {
                    broken.push(format!("{name}: {target} (no id {a} in {file})"));
                }
            }
        }
    }
    (checked, broken)
}

#[test]
fn built_site_links_all_resolve() {
    let out = tempfile::tempdir().unwrap();
    bin()
        .args(["guide", "build", "--out"])
        .arg(out.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("index.html"));
    for name in [
        "index.html",
        "style.css",
        "rules.html",
        "is-declining-unprofessional.html",
        "steps.html",
        "reasons.html",
        "tips.html",
        "template.html",
        "wrap-up.html",
    ] {
        assert!(out.path().join(name).is_file(), "{name} was not written");
    }
    let (checked, broken) = check_hrefs(out.path());
    assert!(checked > 200, "only {checked} links checked");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));

    for entry in std::fs::read_dir(out.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "html") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains("<html lang=\"en\">"), "{}", path.display());
            assert!(text.contains("<title>"), "{}", path.display());
            assert!(text.contains("<link rel=\"stylesheet\" href=\"style.css\">"));
            assert!(!text.contains("<script"), "{} has a script", path.display());
        }
    }
    let css = std::fs::read_to_string(out.path().join("style.css")).unwrap();
    assert!(css.contains("prefers-color-scheme: dark"));
    assert!(css.contains("@media (max-width:"));
}

#[test]
fn mini_site_links_all_resolve() {
    let content = tempfile::tempdir().unwrap();
    write_mini_guide(content.path());
    let out = tempfile::tempdir().unwrap();
    bin()
        .args(["guide", "build", "--content"])
        .arg(content.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0);
    let (checked, broken) = check_hrefs(out.path());
    assert!(checked > 20);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn rules_page_has_an_anchor_per_rule_and_every_move() {
    let guide = Guide::embedded().unwrap();
    let rules = defaults();
    let page = html::render_rules(&guide, &rules);
    for r in &rules.rules {
        assert!(
            page.contains(&format!("<h2 id=\"{}\">", r.id)),
            "no anchor for {}",
            r.id
        );
        if let Some(g) = &r.guide {
            if let Ok((p, Some(h))) = guide.resolve(g) {
                assert!(page.contains(&format!("href=\"{}.html#{}\"", p.name, h.id)));
            }
        }
    }
    for name in rules.moves.names() {
        assert!(
            page.contains(&format!("id=\"move-{name}\"")),
            "no entry for move {name}"
        );
    }
    for d in rules.moves.detectors() {
        assert!(page.contains(&html::escape(&d.description)));
    }
    assert!(page.contains("<figure class=\"letter bad\">"));
    assert!(page.contains("<figure class=\"letter good\">"));
}

#[test]
fn rule_text_is_escaped_on_the_rules_page() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("script-tag.yaml"),
        r#"extends: existence
severity: warning
message: 'The letter has a <script>alert("message")</script> tag & more.'
help: 'Remove <img src=x onerror=alert(1)> from it.'
guide: tips#be-honest-but-tactful
scope: body
tokens:
  - script
description: 'A <b>description</b> with <script>alert(2)</script>.'
examples:
  bad: ["<script>alert('bad example')</script> is a script."]
  good: ["Thank you for the <em>invitation</em>."]
"#,
    )
    .unwrap();
    let rules = RuleSet::load(&[
        RuleSource::Defaults,
        RuleSource::Dir(dir.path().to_path_buf()),
    ])
    .expect("the test rule loads");
    let guide = Guide::embedded().unwrap();
    let page = html::render_rules(&guide, &rules);
    assert!(
        !page.contains("<script"),
        "unescaped <script> on the rules page"
    );
    assert!(!page.contains("<img"), "unescaped <img> on the rules page");
    assert!(!page.contains("<b>description"));
    assert!(
        page.contains("&lt;script&gt;alert(&quot;message&quot;)&lt;/script&gt; tag &amp; more.")
    );
    assert!(page.contains("&lt;script&gt;alert('bad example')&lt;/script&gt; is a script."));
    assert!(page.contains("Thank you for the &lt;em&gt;invitation&lt;/em&gt;."));

    // The same through the command line.
    let out = tempfile::tempdir().unwrap();
    bin()
        .args(["guide", "build", "--rules"])
        .arg(dir.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(0);
    let built = std::fs::read_to_string(out.path().join("rules.html")).unwrap();
    assert!(built.contains("id=\"script-tag\""));
    assert!(!built.contains("<script"));
}

// --- terminal --------------------------------------------------------------

#[test]
fn show_plain_text_snapshot() {
    let content = tempfile::tempdir().unwrap();
    write_mini_guide(content.path());
    let out = bin()
        .args(["guide", "show", "basics", "--content"])
        .arg(content.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\x1b'), "colour in plain output");
    assert!(
        text.lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80),
        "{text}"
    );
    insta::assert_snapshot!("basics_page_terminal", text);
}

#[test]
fn show_toc_and_sections() {
    let content = tempfile::tempdir().unwrap();
    write_mini_guide(content.path());
    let out = bin()
        .args(["guide", "show", "--content"])
        .arg(content.path())
        .output()
        .unwrap();
    let toc = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("mini_toc_terminal", toc);

    bin()
        .args(["guide", "show", "other#details", "--content"])
        .arg(content.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Details"))
        .stdout(predicate::str::contains("a code block"))
        .stdout(predicate::str::contains("The basics").not());
}

#[test]
fn show_shipped_pages() {
    bin()
        .args(["guide", "show"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "tips  Tips for declining an interview",
        ))
        .stdout(predicate::str::contains(
            "#express-gratitude-and-appreciation",
        ));
    bin()
        .args(["guide", "show", "tips#express-gratitude-and-appreciation"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Express gratitude and appreciation",
        ))
        .stdout(predicate::str::contains("┌─ Good example"))
        .stdout(predicate::str::contains("Maintain relationships").not());
    let out = bin()
        .args(["guide", "show", "tips", "--width", "50"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text
        .lines()
        .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 50));
    // $COLUMNS is read when the output is not a terminal; --width wins.
    let widest = |args: &[&str], columns: &str| {
        let out = bin().args(args).env("COLUMNS", columns).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        text.lines()
            .map(unicode_width::UnicodeWidthStr::width)
            .max()
            .unwrap_or(0)
    };
    assert!(widest(&["guide", "show", "tips"], "50") <= 50);
    assert!(widest(&["guide", "show", "tips"], "50") > 40);
    assert!(widest(&["guide", "show", "tips", "--width", "60"], "50") > 50);
    bin()
        .args(["guide", "show", "tips", "--color", "always"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("\x1b[1;4m"));
    bin()
        .env("NO_COLOR", "1")
        .args(["guide", "show", "tips", "--color", "auto"])
        .assert()
        .stdout(predicate::str::contains("\x1b[").not());
}

#[test]
fn show_unknown_page_or_anchor_exits_two() {
    bin()
        .args(["guide", "show", "nonsense"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("no page `nonsense`"))
        .stderr(predicate::str::contains("tips"));
    bin()
        .args(["guide", "show", "tips#nonsense"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no section `#nonsense`"))
        .stderr(predicate::str::contains("#be-honest-but-tactful"));
}

#[test]
fn section_rendering_stops_at_the_next_heading() {
    let guide = mini_guide();
    let page = guide.page("basics").unwrap();
    let style = TermStyle::default();
    let first = terminal::render_section(&guide, page, "examples", style).unwrap();
    assert!(first.contains("Say it like this"));
    assert!(!first.contains("Good example"));
    let second = terminal::render_section(&guide, page, "examples-1", style).unwrap();
    assert!(second.contains("┌─ Good example"));
    assert!(second.contains("┌─ Poor example: missing-gratitude"));
    assert!(second.contains("┌─ Template"));
    assert!(terminal::render_section(&guide, page, "nope", style).is_none());
}

// --- check ---------------------------------------------------------------

/// Sections whose coverage comes from `covers:` lists in the rule files.
const COVERED_BY_COVERS: [&str; 6] = [
    "steps#build-bridges-dont-burn-them",
    "reasons#not-a-good-fit",
    "reasons#the-company-culture-does-not-match",
    "reasons#location",
    "reasons#you-accepted-another-offer",
    "reasons#lack-of-interest",
];

#[test]
fn shipped_guide_check_passes() {
    let guide = Guide::embedded().unwrap();
    let rules = defaults();
    let report = check::check(&guide, &rules);
    let messages: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == codespan_reporting::diagnostic::Severity::Error)
        .map(|d| d.message.clone())
        .collect();
    if rules.rules.iter().all(|r| r.covers.is_empty()) {
        // Until the rule files declare `covers:`, the only failures allowed are
        // the sections those lists will cover.
        let expected: Vec<String> = COVERED_BY_COVERS
            .iter()
            .map(|t| format!("no rule enforces `{t}`"))
            .collect();
        assert_eq!(
            messages,
            expected,
            "{}",
            check::coverage_table(&report.coverage)
        );
        return;
    }
    assert!(
        report.passed(),
        "guide check failed:\n{}\n{}",
        messages.join("\n"),
        check::coverage_table(&report.coverage)
    );
    assert!(report.letters >= 20);
    assert_eq!(report.drafts, 10);
    bin()
        .args(["guide", "check", "--color", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("guide check passed"))
        .stdout(predicate::str::contains(
            "tips#express-gratitude-and-appreciation",
        ))
        .stdout(predicate::str::contains("missing-gratitude"));
}

#[test]
fn coverage_table_lists_every_step_reason_and_tip() {
    let guide = Guide::embedded().unwrap();
    let report = check::check(&guide, &defaults());
    let targets: Vec<String> = report.coverage.iter().map(|r| r.target()).collect();
    assert_eq!(
        targets.iter().filter(|t| t.starts_with("steps#")).count(),
        4
    );
    assert_eq!(
        targets.iter().filter(|t| t.starts_with("reasons#")).count(),
        5
    );
    assert_eq!(targets.iter().filter(|t| t.starts_with("tips#")).count(), 9);
    let table = check::coverage_table(&report.coverage);
    assert!(table.contains("tips#express-gratitude-and-appreciation"));
    assert!(table.contains("lint: none (Timing happens outside the letter"));
    for row in &report.coverage {
        if !COVERED_BY_COVERS.contains(&row.target().as_str()) {
            assert!(row.is_covered(), "{} is not covered", row.target());
        }
    }
}

#[test]
fn broken_guide_fails_with_clear_messages() {
    bin()
        .args(["guide", "check", "--color", "never", "--no-default-rules", "--content"])
        .arg(fixture("tests/fixtures/guide-broken"))
        .arg("--rules")
        .arg(fixture("tests/fixtures/guide-broken/rules"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("guide check failed: 6 problems"))
        .stdout(predicate::str::contains("✗ tips#juggle-flaming-torches  no rule"))
        // A missing anchor: in a rule file and in a link.
        .stderr(predicate::str::contains(
            "error[guide-anchor]: the rule `rude-word` points to `tips#be-nice`, which is not in the guide",
        ))
        .stderr(predicate::str::contains("rude-word.yaml:5:8"))
        .stderr(predicate::str::contains(
            "error[guide-link]: the link `tips.md#no-such-tip` points to a section that does not exist",
        ))
        // A tip no rule enforces.
        .stderr(predicate::str::contains(
            "error[guide-coverage]: no rule enforces `tips#juggle-flaming-torches`",
        ))
        .stderr(predicate::str::contains("01-tips.md:35:1"))
        // Bad letters that lint clean.
        .stderr(predicate::str::contains(
            "error[guide-letter]: a poor example letter does not fire `rude-word`",
        ))
        .stderr(predicate::str::contains("error[guide-letter]: a poor example letter lints clean"));
}

#[test]
fn a_good_letter_that_draws_a_warning_fails_the_check() {
    let guide = Guide::from_files(vec![(
        "content/01-tips.md".into(),
        "---\ntitle: Tips\norder: 1\nlint:\n  none:\n    one: \"Nothing to check.\"\n---\n\n## One\n\n```letter good\nHey Sam,\n\nI'm gonna pass.\n```\n"
            .into(),
    )])
    .unwrap();
    let report = check::check(&guide, &defaults());
    let messages: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("a good example letter draws warning[informal-greeting]")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("[slang]")),
        "{messages:?}"
    );
    // The finding points at the word in the Markdown file.
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.message.contains("[slang]"))
        .unwrap();
    let span = d.labels[0].range.clone();
    assert_eq!(&guide.pages[0].source[span], "gonna");
    assert!(!report.passed());
}

#[test]
fn template_fires_one_placeholder_finding_per_slot() {
    let guide = Guide::embedded().unwrap();
    let rules = defaults();
    let (_, block) = guide.template().expect("the template page has a template");
    let slots = draft::slot_re().find_iter(&block.text).count();
    assert!(slots >= 6, "only {slots} slots");
    let linter = Linter::new(rules.clone(), Options::default());
    let findings = linter
        .lint(
            &Letter::parse("template", block.text.clone()),
            &Context::new(),
        )
        .findings;
    let placeholders = findings
        .iter()
        .filter(|f| f.rule == "unfilled-placeholder")
        .count();
    assert_eq!(placeholders, slots);

    let filled = draft::fill_with_samples(&block.text);
    assert!(!filled.contains('['));
    let findings = linter
        .lint(&Letter::parse("filled", filled.clone()), &Context::new())
        .findings;
    let bad: Vec<_> = findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect();
    assert!(bad.is_empty(), "{bad:?}\n{filled}");
}

// --- draft ---------------------------------------------------------------

/// `--reason none` leaves the reason's paragraph out, blank lines and all,
/// and the letter still lints clean.
#[test]
fn a_draft_without_a_reason_drops_its_paragraph() {
    let guide = Guide::embedded().unwrap();
    let rules = defaults();
    let mut req = DraftRequest::sample(None, false);
    req.omit_reason = true;
    let d = draft::draft(&guide, &rules.moves, &req).unwrap();
    assert!(d.missing.is_empty(), "{:?}", d.missing);
    assert!(!d.text.contains("another offer"), "{}", d.text);
    assert!(!d.text.contains("\n\n\n"), "{}", d.text);
    let linter = Linter::new(rules, Options::default());
    let outcome = linter.lint(&Letter::parse("draft", d.text.clone()), &Context::new());
    assert!(
        outcome.findings.is_empty(),
        "{:?}\n{}",
        outcome.findings,
        d.text
    );
}

#[test]
fn every_drafted_reason_lints_clean() {
    let guide = Guide::embedded().unwrap();
    let rules = defaults();
    let linter = Linter::new(rules.clone(), Options::default());
    for reason in Reason::ALL {
        let sentence = draft::reason_sentence(&guide, reason).unwrap();
        for alternative in [false, true] {
            let req = DraftRequest {
                reason: Some(reason),
                omit_reason: false,
                company: Some("Globex Corporation".into()),
                role: Some("Junior Product Designer".into()),
                to: Some("Mr. Okafor".into()),
                from: Some("Priya Nair".into()),
                subject: None,
                alternative,
            };
            let d = draft::draft(&guide, &rules.moves, &req).unwrap();
            assert!(d.missing.is_empty(), "{:?}", d.missing);
            assert!(
                d.text.contains(&sentence),
                "{reason}: reason sentence missing\n{}",
                d.text
            );
            assert_eq!(d.text.contains("welcome a call"), alternative, "{}", d.text);
            assert!(d.text.contains("Dear Mr. Okafor,"));
            assert!(d
                .text
                .contains("Junior Product Designer role at Globex Corporation"));
            assert!(d.text.trim_end().ends_with("Priya Nair"));
            let findings = linter
                .lint(&Letter::parse("draft", d.text.clone()), &Context::new())
                .findings;
            let bad: Vec<_> = findings
                .iter()
                .filter(|f| f.severity >= Severity::Warning)
                .map(|f| format!("{}: {}", f.rule, f.message))
                .collect();
            assert!(
                bad.is_empty(),
                "--reason {reason} (alternative: {alternative}) draws {bad:?}\n{}",
                d.text
            );
        }
    }
}

#[test]
fn draft_command_prints_a_clean_letter() {
    for reason in [
        "other-offer",
        "not-a-fit",
        "culture",
        "location",
        "not-interested",
    ] {
        for alternative in [false, true] {
            let mut cmd = bin();
            cmd.args([
                "draft",
                "--reason",
                reason,
                "--company",
                "Acme",
                "--role",
                "Data Analyst",
                "--to",
                "Ms. Lee",
                "--from",
                "Sam Rivera",
            ]);
            if alternative {
                cmd.arg("--alternative");
            }
            cmd.assert()
                .code(0)
                .stderr("")
                .stdout(predicate::str::starts_with(
                    "Subject: Interview for the Data Analyst position – Sam Rivera\n\nDear Ms. Lee,\n",
                ))
                .stdout(predicate::str::contains("[").not());
        }
    }
    bin()
        .args([
            "draft",
            "--reason",
            "location",
            "--company",
            "Acme",
            "--role",
            "Data Analyst",
            "--to",
            "Ms. Lee",
            "--from",
            "Sam Rivera",
            "--subject",
            "Data Analyst interview",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "Subject: Data Analyst interview\n",
        ));
}

#[test]
fn draft_with_missing_values_keeps_placeholders_and_warns() {
    bin()
        .args(["draft", "--reason", "culture", "--company", "Acme"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Dear [Hiring Manager's Name],"))
        .stdout(predicate::str::contains("[Role] role at Acme"))
        .stderr(predicate::str::contains(
            "`[Role]` is left as a placeholder: give --role",
        ))
        .stderr(predicate::str::contains("give --to"))
        .stderr(predicate::str::contains("give --from"));
    bin()
        .args([
            "draft",
            "--company",
            "Acme",
            "--role",
            "Analyst",
            "--to",
            "Ms. Lee",
            "--from",
            "Sam",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("[Reason]"))
        .stderr(predicate::str::contains("no --reason given"));
    bin()
        .args(["draft", "--reason", "money"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("other-offer"));
}

#[test]
fn guide_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("01-bad.md"),
        "---\ntitle: Bad\nordre: 1\n---\n\nText.\n",
    )
    .unwrap();
    bin()
        .args(["guide", "show", "--content"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("01-bad.md"))
        .stderr(predicate::str::contains("unknown field `ordre`"));
    let empty = tempfile::tempdir().unwrap();
    bin()
        .args(["guide", "check", "--content"])
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no pages"));
}
