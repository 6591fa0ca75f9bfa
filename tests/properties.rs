//! Properties of parsing, linting, fixing and reporting, on random text and on
//! mutated real letters: no panic, spans on character boundaries, line and
//! column right, JSON that parses, fixes that settle and touch only their edits,
//! and quoted text that never gets a finding. Each property runs a bounded
//! number of cases, so the whole file takes seconds.

use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use decline_lint::letter::{split_sentences, Letter, LineIndex};
use decline_lint::lint::{fix, Context, Finding, Linter, Options};
use decline_lint::report::{self, Format, Style};
use decline_lint::rules::RuleSet;
use proptest::prelude::*;

/// Pieces that make letters hard: scripts, joiners, bidi controls, every line
/// ending, terminal escapes, and the words the rules look for.
const FRAGMENTS: &[&str] = &[
    "Thank you",
    "I must decline",
    "the interview",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "\r\n\r\n",
    "\r",
    "\r\r",
    ". ",
    "! ",
    "? ",
    "...",
    "…",
    "!!!",
    "Mr. ",
    "e.g. ",
    "U.S. ",
    "3.5",
    "café",
    "naïve",
    "Ça",
    "東京",
    "。",
    "！",
    "ありがとう",
    "🎉",
    "👍🏽",
    "👨‍👩‍👧",
    "שלום",
    "مرحبا",
    "\u{200b}",
    "\u{200d}",
    "\u{feff}",
    "\u{202e}",
    "\u{85}",
    "\u{2028}",
    "\x1b[31m",
    "\x1b]0;pwned\x07",
    "\u{7f}",
    "[Name]",
    "{company}",
    "{{role}}",
    "gonna",
    "the the",
    "sorry sorry",
    "HATE",
    "Dear Ms. Lee,",
    "Hi Dana,",
    "Hey!",
    "Best regards,",
    "Thanks,",
    "Cheers, Sam",
    "Sam Rivera",
    "On Mon, 3 Nov 2026, Dana <dana@example.com> wrote:",
    "> quoted line",
    "-- ",
    "-----Original Message-----",
    "From: Dana",
    "Sent: Monday",
    "Subject: Interview",
    "To: Dana Park <dana@example.com>",
    "Sent from my iPhone",
    "- ",
    "1. ",
    "\"",
    "“",
    "’",
    "(",
    ")",
    ",",
    ":",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::sample::select(FRAGMENTS).prop_map(str::to_string),
        2 => "[a-zA-Z]{1,12}",
        1 => "\\PC{0,20}",
        1 => any::<String>(),
        1 => (1usize..4000).prop_map(long_line),
    ]
}

/// A line of about `n` bytes: varied words, then one long unbroken word.
fn long_line(n: usize) -> String {
    const WORDS: [&str; 7] = ["we", "talked", "about", "the", "role", "and", "pay"];
    let mut s: String = (0..n / 6)
        .map(|i| WORDS[i % 7])
        .collect::<Vec<_>>()
        .join(" ");
    s.push(' ');
    s.push_str(&"x".repeat(n % 97));
    s
}

/// Random text built from hostile fragments.
fn random_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(fragment(), 0..60).prop_map(|v| v.concat())
}

/// The example letters and the labelled corpus, read once.
fn letters() -> &'static [String] {
    static CELL: OnceLock<Vec<String>> = OnceLock::new();
    CELL.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        for dir in ["examples", "tests/corpus/letters"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
            paths.sort();
            for p in paths {
                if p.extension().is_some_and(|e| e == "txt") {
                    if let Ok(t) = std::fs::read_to_string(&p) {
                        out.push(t);
                    }
                }
            }
        }
        assert!(!out.is_empty(), "no example letters found");
        out
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, String),
    Delete(usize, usize),
    LineEndings(&'static str),
    LongLine(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        5 => (any::<usize>(), fragment()).prop_map(|(at, s)| Mutation::Insert(at, s)),
        2 => (any::<usize>(), 0usize..40).prop_map(|(at, n)| Mutation::Delete(at, n)),
        1 => proptest::sample::select(&["\r\n", "\r", "\n\n", "\u{2028}"][..])
            .prop_map(Mutation::LineEndings),
        1 => (500usize..20_000).prop_map(Mutation::LongLine),
    ]
}

/// The char boundary nearest below `at % (len + 1)`.
fn boundary(text: &str, at: usize) -> usize {
    let mut i = at % (text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(mut text: String, mutations: &[Mutation]) -> String {
    for m in mutations {
        match m {
            Mutation::Insert(at, s) => {
                let i = boundary(&text, *at);
                text.insert_str(i, s);
            }
            Mutation::Delete(at, n) => {
                let i = boundary(&text, *at);
                let j = boundary(&text, i + n);
                if i <= j && j <= text.len() {
                    text.replace_range(i..j, "");
                }
            }
            Mutation::LineEndings(e) => text = text.replace('\n', e),
            Mutation::LongLine(n) => {
                let i = boundary(&text, *n);
                let line = "and then we talked about the role again ".repeat(n / 40);
                text.insert_str(i, &line);
            }
        }
    }
    text
}

/// A real letter with a few random mutations.
fn mutated_letter() -> impl Strategy<Value = String> {
    (any::<usize>(), proptest::collection::vec(mutation(), 0..8))
        .prop_map(|(i, m)| mutate(letters()[i % letters().len()].clone(), &m))
}

fn any_letter() -> impl Strategy<Value = String> {
    prop_oneof![random_text(), mutated_letter()]
}

fn linter() -> &'static Linter {
    static CELL: OnceLock<Linter> = OnceLock::new();
    CELL.get_or_init(|| {
        Linter::new(
            RuleSet::defaults().expect("default rules load"),
            Options::default(),
        )
    })
}

fn context(with: bool) -> Context {
    let mut c = Context::new();
    if with {
        c.insert("company".into(), "Acme Corp".into());
        c.insert("recipient".into(), "Dana Park".into());
    }
    c
}

/// 1-based line and character column, counted the slow way: a line ends at
/// `\n`, `\r\n` or a lone `\r`.
fn naive_line_col(text: &str, offset: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut line, mut start) = (1, 0);
    for i in 0..offset {
        if bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            line += 1;
            start = i + 1;
        }
    }
    (line, text[start..offset].chars().count() + 1)
}

fn check_span(text: &str, span: &Range<usize>, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        span.start <= span.end && span.end <= text.len(),
        "{} {:?} out of bounds (len {})",
        what,
        span,
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{} {:?} off a char boundary",
        what,
        span
    );
    Ok(())
}

fn check_letter(l: &Letter) -> Result<(), TestCaseError> {
    let t = &l.text;
    let mut spans: Vec<(&Range<usize>, &str)> = Vec::new();
    for h in &l.headers {
        spans.push((&h.name, "header name"));
        spans.push((&h.value, "header value"));
    }
    spans.extend(l.subject.iter().map(|s| (s, "subject")));
    spans.extend(l.preamble.iter().map(|s| (s, "preamble")));
    spans.extend(l.greeting.iter().map(|s| (s, "greeting")));
    spans.extend(l.greeting_name.iter().map(|s| (s, "greeting name")));
    spans.extend(l.paragraphs.iter().map(|p| (&p.span, "paragraph")));
    spans.extend(l.sentences.iter().map(|s| (s, "sentence")));
    spans.extend(l.signoff.iter().map(|s| (s, "signoff")));
    spans.extend(l.signature.iter().map(|s| (s, "signature")));
    spans.extend(l.excluded.iter().map(|s| (s, "excluded")));
    for (s, what) in spans {
        check_span(t, s, what)?;
    }
    for p in &l.paragraphs {
        prop_assert!(p.sentences.end <= l.sentences.len());
        for s in &l.sentences[p.sentences.clone()] {
            prop_assert!(
                p.span.start <= s.start && s.end <= p.span.end,
                "sentence {:?} outside its paragraph {:?}",
                s,
                p.span
            );
        }
    }
    Ok(())
}

fn check_findings(l: &Letter, findings: &[Finding]) -> Result<(), TestCaseError> {
    for f in findings {
        check_span(&l.text, &f.span, &f.rule)?;
        for (s, _) in &f.related {
            check_span(&l.text, s, &f.rule)?;
        }
        for e in f.fix.iter().flat_map(|x| &x.edits) {
            check_span(&l.text, &e.span, &f.rule)?;
        }
        prop_assert!(
            !l.is_excluded(&f.span),
            "{} reported in quoted text",
            f.rule
        );
    }
    Ok(())
}

/// Lints and applies fixes until nothing changes (as `--fix` does); `None`
/// when ten passes do not settle.
fn fix_until_stable(text: &str, ctx: &Context, allow_unsafe: bool) -> Option<String> {
    let mut text = text.to_string();
    for _ in 0..10 {
        let letter = Letter::parse("p.txt", text.clone());
        let findings = linter().lint(&letter, ctx).findings;
        let fixed = fix::apply(&text, &findings, allow_unsafe);
        if fixed.text == text {
            return Some(text);
        }
        text = fixed.text;
    }
    None
}

fn render(letter: &Letter, findings: &[Finding], format: Format, color: bool) -> Vec<u8> {
    let outcome = decline_lint::lint::Outcome {
        findings: findings.to_vec(),
        moves: linter().rules().moves.tag_letter(letter),
    };
    let style = Style {
        color,
        quiet: false,
    };
    report::render_one(linter(), "p.txt", letter, &outcome, format, style).unwrap()
}

/// Cases per property: parsing is cheap, linting and rendering less so (the
/// crate is built without optimisation for tests). `PROPTEST_CASES` in the
/// environment overrides the number for a longer run.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        max_shrink_iters: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn parse_never_panics_and_spans_are_sound(text in any_letter()) {
        for s in split_sentences(&text) {
            check_span(&text, &s, "split sentence")?;
        }
        let letter = Letter::parse("p.txt", text);
        check_letter(&letter)?;
    }

    #[test]
    fn line_index_agrees_with_counting(text in any_letter(), picks in proptest::collection::vec(any::<usize>(), 1..40)) {
        let index = LineIndex::new(&text);
        for p in picks.into_iter().chain([0, text.len()]) {
            let off = boundary(&text, p);
            prop_assert_eq!(index.line_col(&text, off), naive_line_col(&text, off), "offset {}", off);
        }
    }

}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn lint_spans_are_sound(text in any_letter(), with_context in any::<bool>()) {
        let letter = Letter::parse("p.txt", text);
        let outcome = linter().lint(&letter, &context(with_context));
        check_findings(&letter, &outcome.findings)?;
        prop_assert_eq!(outcome.moves.sentences.len(), letter.sentences.len());
    }

    #[test]
    fn json_parses_and_positions_agree(text in any_letter()) {
        let letter = Letter::parse("p.txt", text);
        let findings = linter().lint(&letter, &Context::new()).findings;
        let out = render(&letter, &findings, Format::Json, false);
        let doc: serde_json::Value = serde_json::from_slice(&out).expect("JSON parses");
        let json_findings = doc["files"][0]["findings"].as_array().unwrap();
        prop_assert_eq!(json_findings.len(), findings.len());
        let source = letter.source();
        for (j, f) in json_findings.iter().zip(&findings) {
            let (line, col) = naive_line_col(source, f.span.start);
            prop_assert_eq!(j["span"]["line"].as_u64(), Some(line as u64));
            prop_assert_eq!(j["span"]["column"].as_u64(), Some(col as u64));
            let (line, col) = naive_line_col(source, f.span.end);
            prop_assert_eq!(j["span"]["end_line"].as_u64(), Some(line as u64));
            prop_assert_eq!(j["span"]["end_column"].as_u64(), Some(col as u64));
        }
        let sarif = render(&letter, &findings, Format::Sarif, false);
        let _: serde_json::Value = serde_json::from_slice(&sarif).expect("SARIF parses");
        let lines = render(&letter, &findings, Format::JsonLines, false);
        for line in lines.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let _: serde_json::Value = serde_json::from_slice(line).expect("JSON line parses");
        }
    }

}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn human_output_carries_no_escape_from_the_letter(text in any_letter()) {
        let letter = Letter::parse("p.txt", format!("{text}\x1b]0;pwned\x07 \x1b[2J{text}"));
        let findings = linter().lint(&letter, &context(true)).findings;
        let plain = render(&letter, &findings, Format::Human, false);
        prop_assert!(!plain.contains(&0x1b), "an escape byte in uncoloured output");
        let colored = render(&letter, &findings, Format::Human, true);
        prop_assert!(!colored.contains(&0x07), "a bell byte in coloured output");
        for (i, _) in colored.iter().enumerate().filter(|(_, &b)| b == 0x1b) {
            // Only the colour codes we write: ESC '[' digits/';' 'm'.
            let rest = &colored[i + 1..];
            let end = rest.iter().position(|&b| b == b'm');
            let ok = rest.first() == Some(&b'[')
                && end.is_some_and(|e| rest[1..e].iter().all(|b| b.is_ascii_digit() || *b == b';'));
            prop_assert!(ok, "a foreign escape sequence in coloured output");
        }
    }

    #[test]
    fn fixes_settle_and_touch_only_their_edits(text in any_letter(), allow_unsafe in any::<bool>()) {
        let ctx = Context::new();
        let letter = Letter::parse("p.txt", text.clone());
        let findings = linter().lint(&letter, &ctx).findings;
        let once = fix::apply(&text, &findings, allow_unsafe);

        // Outside the union of the candidate edits, the text is kept byte for byte.
        let mut regions: Vec<Range<usize>> = findings
            .iter()
            .filter_map(|f| f.fix.as_ref())
            .flat_map(|f| f.edits.iter().map(|e| e.span.clone()))
            .collect();
        regions.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::new();
        for r in regions {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        let mut gaps = Vec::new();
        let mut pos = 0;
        for r in &merged {
            gaps.push(&text[pos..r.start]);
            pos = r.end;
        }
        gaps.push(&text[pos..]);
        let out = once.text.as_str();
        prop_assert!(out.starts_with(gaps[0]), "text before the first edit changed");
        prop_assert!(out.ends_with(gaps[gaps.len() - 1]), "text after the last edit changed");
        let mut at = gaps[0].len();
        for g in gaps.iter().skip(1).take(gaps.len().saturating_sub(2)) {
            let found = out[at..].find(g);
            prop_assert!(found.is_some(), "unedited text {:?} lost", g);
            at += found.unwrap() + g.len();
        }
        if once.applied == 0 {
            prop_assert_eq!(&once.text, &text);
        }

        // Fixing until stable, then linting and fixing again, changes nothing.
        let stable = fix_until_stable(&text, &ctx, allow_unsafe);
        prop_assert!(stable.is_some(), "fixes did not settle in ten passes");
        let stable = stable.unwrap();
        let again = Letter::parse("p.txt", stable.clone());
        let findings = linter().lint(&again, &ctx).findings;
        prop_assert_eq!(&fix::apply(&stable, &findings, allow_unsafe).text, &stable);
    }

    #[test]
    fn quoted_text_gets_no_finding(
        body in any_letter(),
        quoted in proptest::collection::vec(
            proptest::sample::select(&[
                "Hey [Name]!!! u gonna come???", "I HATE this", "the the", "{company}",
                "Sorry sorry sorry.", "\r\n", "\n", "\r", "café 🎉", "> Yo!!",
            ][..]),
            0..20,
        ),
    ) {
        let quote = quoted.concat();
        let text = format!("{body}\n\nOn Mon, 3 Nov 2026 at 09:12, Dana <dana@example.com> wrote:\n{quote}\n");
        let cut = text.rfind("On Mon, 3 Nov 2026").unwrap();
        let letter = Letter::parse("p.txt", text);
        prop_assert!(letter.is_excluded(&(cut..cut + 1)), "the attribution line is not excluded");
        for f in linter().lint(&letter, &context(true)).findings {
            prop_assert!(f.span.start < cut, "{} reported at {:?}, in the quote from {}", f.rule, f.span, cut);
        }
    }
}

/// Markdown syntax to sprinkle into letters.
const MARKUP: &[&str] = &[
    "**",
    "*",
    "_",
    "`",
    "```\n",
    "# ",
    "## ",
    "> ",
    "- ",
    "1. ",
    "[",
    "](http://x.y)",
    "![",
    "<b>",
    "</b>",
    "<!-- c -->",
    "&amp;",
    "&eacute;",
    "&#x1F389;",
    "\\*",
    "---\n",
    "~~",
    "<span title=\"東京\">",
    "[ref]: http://x.y\n",
];

fn markdown_letter() -> impl Strategy<Value = String> {
    (
        any_letter(),
        proptest::collection::vec((any::<usize>(), proptest::sample::select(MARKUP)), 0..30),
    )
        .prop_map(|(mut text, marks)| {
            for (at, m) in marks {
                let i = boundary(&text, at);
                text.insert_str(i, m);
            }
            text
        })
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn markdown_letters_keep_spans_on_the_source(source in markdown_letter()) {
        let letter = decline_lint::input::markdown::load("p.md", source.clone()).unwrap();
        prop_assert_eq!(letter.source(), source.as_str());
        prop_assert_eq!(letter.text.len(), source.len());
        check_letter(&letter)?;
        let findings = linter().lint(&letter, &Context::new()).findings;
        check_findings(&letter, &findings)?;
        for f in &findings {
            check_span(&source, &f.span, &f.rule)?;
        }
        let out = render(&letter, &findings, Format::Json, false);
        let _: serde_json::Value = serde_json::from_slice(&out).expect("JSON parses");
    }

    #[test]
    fn mail_decoding_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2000), text in any_letter()) {
        let _ = decline_lint::input::eml::load("p.eml", &bytes);
        let mail = format!("From: Sam <sam@example.com>\r\nTo: Dana <dana@example.com>\r\nSubject: Interview\r\n\r\n{text}");
        if let Ok(letter) = decline_lint::input::eml::load("p.eml", mail.as_bytes()) {
            check_letter(&letter)?;
            let findings = linter().lint(&letter, &Context::new()).findings;
            check_findings(&letter, &findings)?;
        }
    }
}
