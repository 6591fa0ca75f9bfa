//! Real mail and Markdown inputs: `.eml` decoding, Markdown spans, and replies as mail clients write them.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use decline_lint::input::{self, InputError};
use decline_lint::lint::{Context, Finding, Linter, Options};
use decline_lint::rules::RuleSet;
use decline_lint::{Letter, Span};
use predicates::prelude::*;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mail")
        .join(rel)
}

#[track_caller]
fn load(rel: &str) -> Letter {
    let path = fixture(rel);
    let bytes = std::fs::read(&path).unwrap();
    input::load_letter(&path.display().to_string(), bytes)
        .unwrap_or_else(|e| panic!("{rel} does not load: {e}"))
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

fn lint(letter: &Letter) -> Vec<Finding> {
    linter().lint(letter, &Context::new()).findings
}

fn rule_ids(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.rule.as_str()).collect()
}

#[track_caller]
fn assert_fires(letter: &Letter, rule: &str) -> Finding {
    let findings = lint(letter);
    findings
        .iter()
        .find(|f| f.rule == rule)
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "{rule} did not fire on {}; found {:?}\n{}",
                letter.name,
                rule_ids(&findings),
                letter.text
            )
        })
}

#[track_caller]
fn assert_silent(letter: &Letter, rule: &str) {
    let findings = lint(letter);
    assert!(
        !findings.iter().any(|f| f.rule == rule),
        "{rule} fired on {}: {findings:#?}\n{}",
        letter.name,
        letter.text
    );
}

fn bin() -> Command {
    let mut c = Command::cargo_bin("decline-lint").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env("NO_COLOR", "1");
    c
}

// ---------------------------------------------------------------- .eml

#[test]
fn quoted_printable_mail_is_decoded_with_its_headers() {
    let l = load("quoted-printable.eml");
    assert!(l.has_headers);
    assert!(l.derived.as_deref().unwrap().contains("decoded"));
    assert!(l.original.is_none());
    assert_eq!(
        l.header("subject"),
        Some("Withdrawing from the Data Analyst interview")
    );
    assert_eq!(
        l.header("from"),
        Some("Sam Rivera <sam.rivera@example.com>")
    );
    assert_eq!(l.header("to"), Some("Dana Park <dana.park@example.com>"));
    assert_eq!(l.header("date"), Some("Tue, 3 Nov 2026 10:30:00 +0000"));
    assert!(l.header("message-id").is_none());
    // Soft line breaks joined, UTF-8 decoded, CRLF gone.
    assert!(l.text.contains("at Northwind. I’m grateful"), "{}", l.text);
    assert!(!l.text.contains('='), "{}", l.text);
    assert!(!l.text.contains('\r'));
    assert_eq!(l.slice(l.greeting.as_ref().unwrap()), "Dear Dana,");
    assert_eq!(l.slice(l.signoff.as_ref().unwrap()), "Best regards,");
    assert_eq!(l.paragraphs.len(), 3);
    assert!(lint(&l).is_empty(), "{:#?}", lint(&l));
}

#[test]
fn base64_mail_and_encoded_words_are_decoded() {
    let l = load("base64.eml");
    assert_eq!(
        l.header("from"),
        Some("Zoë Ångström <sam.rivera@example.com>")
    );
    assert_eq!(l.slice(&l.signature[0]), "Zoë Ångström");
    assert!(l.text.contains("Thank you for inviting me"));
}

#[test]
fn iso_8859_1_mail_is_decoded() {
    let l = load("iso-8859-1.eml");
    assert_eq!(
        l.header("to"),
        Some("Renée Müller <renee.muller@example.com>")
    );
    assert_eq!(
        l.header("from"),
        Some("José Núñez <sam.rivera@example.com>")
    );
    assert_eq!(l.slice(l.greeting_name.as_ref().unwrap()), "Ms. Müller");
    assert!(l.text.contains("the Café Lumière office"));
    assert_eq!(l.slice(&l.signature[0]), "José Núñez");
    assert_silent(&l, "mismatched-recipient");
}

#[test]
fn windows_1252_mail_is_decoded() {
    let l = load("windows-1252.eml");
    for s in [
        "the invitation – it means",
        "I’m writing",
        "the “Senior Analyst” role, €55,000…)",
    ] {
        assert!(l.text.contains(s), "{s:?} missing from\n{}", l.text);
    }
}

#[test]
fn plain_text_part_wins_over_html() {
    let l = load("alternative.eml");
    assert!(l.text.contains("Thank you for inviting me"));
    assert!(!l.text.contains("HTML VERSION"), "{}", l.text);
    let findings = lint(&l);
    assert!(
        !rule_ids(&findings).contains(&"slang"),
        "the HTML part was linted: {findings:#?}"
    );
}

#[test]
fn html_only_mail_becomes_paragraphs() {
    let l = load("html-only.eml");
    let body = &l.text[l.body_span().unwrap()];
    assert!(!body.contains('<') && !body.contains("&amp;"), "{body}");
    assert!(body.contains("Northwind & Co. I’m grateful"), "{body}");
    assert!(
        body.contains("as I have accepted another offer"),
        "a line break inside <p> joins words: {body}"
    );
    assert!(!l.text.contains("margin") && !l.text.contains("Re: Interview"));
    assert_eq!(l.slice(l.greeting.as_ref().unwrap()), "Dear Dana,");
    assert_eq!(l.paragraphs.len(), 3);
    assert_eq!(l.slice(l.signoff.as_ref().unwrap()), "Best regards,");
    assert_eq!(l.slice(&l.signature[0]), "Sam Rivera");
    assert!(lint(&l).is_empty(), "{:#?}", lint(&l));
}

#[test]
fn missing_or_empty_subject_fires_for_mail() {
    let absent = load("no-subject.eml");
    assert!(absent.subject.is_none());
    assert!(!absent.text.contains("Subject"));
    assert_fires(&absent, "missing-subject");

    let empty = load("empty-subject.eml");
    assert!(empty.text.starts_with("Subject:\n"), "{}", empty.text);
    assert_fires(&empty, "missing-subject");

    assert_silent(&load("quoted-printable.eml"), "missing-subject");
}

#[test]
fn greeting_is_checked_against_the_to_name() {
    let l = load("wrong-name.eml");
    let f = assert_fires(&l, "mismatched-recipient");
    assert_eq!(l.slice(&f.span), "Ms. Lee");
    assert!(f.message.contains("Dana Park"), "{}", f.message);
    // "Dear Dana" to "Dana Park" is right.
    assert_silent(&load("quoted-printable.eml"), "mismatched-recipient");
}

#[test]
fn malformed_mail_is_an_input_error() {
    let err = |rel: &str| {
        let path = fixture(rel).display().to_string();
        let bytes = std::fs::read(fixture(rel)).unwrap();
        input::load_letter(&path, bytes).unwrap_err()
    };
    let e = err("malformed.eml");
    assert!(matches!(e, InputError::Mail { .. }), "{e:?}");
    assert!(e.to_string().contains("malformed.eml"), "{e}");
    let e = err("no-text.eml");
    assert!(e.to_string().contains("no text part"), "{e}");
    assert!(matches!(
        input::load_letter("blank.eml", b"\r\n \r\n".to_vec()),
        Err(InputError::Empty { .. })
    ));
    let nul = b"From: a@example.com\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\nRGVhcgBEYW5h\r\n";
    let e = input::load_letter("nul.eml", nul.to_vec()).unwrap_err();
    assert!(e.to_string().contains("NUL"), "{e}");
}

#[test]
fn malformed_mail_exits_two_on_the_command_line() {
    for (rel, says) in [
        ("malformed.eml", "no RFC 5322 headers"),
        ("no-text.eml", "no text part"),
    ] {
        bin()
            .arg(fixture(rel))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(rel))
            .stderr(predicate::str::contains(says));
    }
}

#[test]
fn eml_from_the_command_line_and_stdin() {
    bin()
        .args(["--format", "json"])
        .arg(fixture("wrong-name.eml"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "\"rule\": \"mismatched-recipient\"",
        ));
    let bytes = std::fs::read(fixture("no-subject.eml")).unwrap();
    bin()
        .args(["--format", "json", "--stdin-filename", "draft.eml", "-"])
        .write_stdin(bytes)
        .assert()
        .stdout(predicate::str::contains("\"rule\": \"missing-subject\""));
}

#[test]
fn plain_text_stays_strict_utf8() {
    let latin1 = b"Dear Ms. M\xfcller,\n\nThank you.\n".to_vec();
    assert!(matches!(
        input::load_letter("letter.txt", latin1),
        Err(InputError::NotUtf8 { line: 1, .. })
    ));
}

// ---------------------------------------------------------------- Markdown

#[test]
fn markdown_mask_keeps_length_and_utf8() {
    let source = std::fs::read_to_string(fixture("markdown/letter.md")).unwrap();
    let masked = input::markdown::mask(&source);
    assert_eq!(masked.len(), source.len());
    for (m, s) in masked.lines().zip(source.lines()) {
        assert_eq!(m.len(), s.len(), "line lengths differ:\n{s}\n{m}");
    }
    for s in ["**", "](", "`", "<br>", "# ", "title:"] {
        assert!(!masked.contains(s), "{s:?} left in\n{masked}");
    }
    let odd = "Caf\u{e9} **\u{201c}d\u{e9}j\u{e0} vu\u{201d}** \u{2014} `\u{20ac}5` <i>\u{65e5}\u{672c}</i> \\* &eacute;\n";
    let masked = input::markdown::mask(odd);
    assert_eq!(masked.len(), odd.len());
    assert!(
        masked.contains("\u{201c}d\u{e9}j\u{e0} vu\u{201d}") && masked.contains("\u{65e5}\u{672c}")
    );
    assert!(masked.contains('\u{e9}') && !masked.contains("&eacute;"));
}

#[test]
fn bold_thanks_still_counts_as_thanks() {
    let letter = |thanks: &str| {
        let md = format!(
            "Dear Dana,\n\n{thanks} I have decided to withdraw my application, as I have accepted another offer.\n\nI hope our paths cross again.\n\nBest regards,\nSam Rivera\n"
        );
        input::load_letter("letter.md", md.into_bytes()).unwrap()
    };
    let bold = letter("**Thank you** for the invitation.");
    assert_eq!(
        bold.original.as_deref().map(str::len),
        Some(bold.text.len())
    );
    assert_silent(&bold, "missing-gratitude");
    assert_fires(&letter("I got the invitation."), "missing-gratitude");
}

#[test]
fn markdown_findings_point_into_the_source() {
    let l = load("markdown/letter.md");
    let source = l.source();
    assert_ne!(source, l.text);
    assert!(source.starts_with("---\ntitle:"));
    let findings = lint(&l);
    let slang = findings.iter().find(|f| f.rule == "slang").expect("slang");
    assert_eq!(&source[slang.span.clone()], "gonna");
    let slot = findings
        .iter()
        .find(|f| f.rule == "unfilled-placeholder")
        .expect("placeholder");
    assert_eq!(&source[slot.span.clone()], "[Company Name]");
    // Markup never fires: no finding covers a markup character.
    for f in &findings {
        let covered = &source[f.span.clone()];
        assert!(
            !covered.contains(['*', '`', '#', '(']),
            "{} covers markup: {covered:?}",
            f.rule
        );
    }
    assert_silent(&l, "missing-gratitude");
    assert_silent(&l, "missing-signoff");

    // Line and column in the JSON output are the Markdown file's.
    let line = source.lines().position(|s| s.contains("_gonna_")).unwrap() + 1;
    let column = source.lines().nth(line - 1).unwrap().find("gonna").unwrap() + 1;
    let out = bin()
        .args(["--format", "json"])
        .arg(fixture("markdown/letter.md"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let spans: Vec<&serde_json::Value> = json["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "slang")
        .map(|f| &f["span"])
        .collect();
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0]["line"], line);
    assert_eq!(spans[0]["column"], column);
}

#[test]
fn clean_markdown_letter_is_clean() {
    let l = load("markdown/clean.md");
    // The `>` quote is excluded; the bold signature is a signature.
    let quote = l.text.find("> Hey").unwrap();
    assert!(l.is_excluded(&(quote..quote + 5)));
    assert_eq!(l.slice(&l.signature[0]).trim(), "Sam Rivera");
    assert!(lint(&l).is_empty(), "{:#?}", lint(&l));
}

// ---------------------------------------------------------------- replies

/// Where each reply fixture's quoted invitation begins (`None`: only `>` lines are quoted).
const REPLIES: &[(&str, Option<&str>)] = &[
    ("replies/gmail.txt", Some("On Tue, 3 Nov 2026 at 09:12")),
    (
        "replies/gmail-wrapped.txt",
        Some("On Tue, 3 Nov 2026 at 09:12"),
    ),
    (
        "replies/gmail-top-post.eml",
        Some("On Tue, 3 Nov 2026 at 09:12"),
    ),
    (
        "replies/gmail-html-only.eml",
        Some("On Tue, 3 Nov 2026 at 09:12"),
    ),
    ("replies/outlook.txt", Some("________________")),
    ("replies/outlook-bare.txt", Some("From: Dana Park")),
    (
        "replies/outlook-original-message.txt",
        Some("-----Original Message-----"),
    ),
    ("replies/outlook-top-post.eml", Some("From: Dana Park")),
    ("replies/apple-mail.txt", Some("> On 3 Nov 2026, at 09:12")),
    ("replies/apple-mail.eml", Some("> On 3 Nov 2026, at 09:12")),
    (
        "replies/apple-mail-unquoted.txt",
        Some("On 3 Nov 2026, at 09:12"),
    ),
    ("replies/interleaved.txt", None),
];

/// The quoted parts of a reply: from its marker to the end, and every `>` line.
fn quoted_parts(text: &str, marker: Option<&str>) -> Vec<Span> {
    let mut parts = Vec::new();
    if let Some(m) = marker {
        let start = text
            .find(m)
            .unwrap_or_else(|| panic!("{m:?} not in\n{text}"));
        parts.push(start..text.len());
    }
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('>') {
            parts.push(at..at + line.trim_end().len());
        }
        at += line.len();
    }
    parts
}

/// The quoted invitation on its own, from its greeting on, without `>` marks.
fn unquoted(text: &str) -> String {
    let hey = text.find("Hey [Candidate Name]").unwrap();
    let start = text[..hey].rfind('\n').map_or(0, |i| i + 1);
    text[start..]
        .lines()
        .map(|l| l.trim_start().trim_start_matches('>').trim_start())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn quoted_invitations_never_fire() {
    let faults = [
        "unfilled-placeholder",
        "informal-greeting",
        "excessive-exclamation",
        "slang",
    ];
    for &(rel, marker) in REPLIES {
        let l = load(rel);
        let parts = quoted_parts(&l.text, marker);
        assert!(l.text.contains("Hey [Candidate Name]!!"), "{rel}");

        // The invitation alone would fire: the fixture tests something.
        let alone = Letter::parse("invitation.txt", unquoted(&l.text));
        let alone_rules = rule_ids(&lint(&alone))
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>();
        for rule in faults {
            assert!(
                alone_rules.iter().any(|r| r == rule),
                "{rule} does not fire on the invitation of {rel}: {alone_rules:?}\n{}",
                alone.text
            );
        }

        // Quoted in the reply, it is excluded and nothing fires there.
        for p in &parts {
            let mut at = p.start;
            for line in l.text[p.clone()].split_inclusive('\n') {
                let content = at..at + line.trim_end().len();
                at += line.len();
                if line.trim().trim_start_matches('>').trim().is_empty() {
                    continue;
                }
                assert!(
                    l.excluded
                        .iter()
                        .any(|e| e.start <= content.start && content.end <= e.end),
                    "{rel}: quoted line not excluded: {line:?}"
                );
            }
        }
        let findings = lint(&l);
        for f in &findings {
            assert!(
                !parts
                    .iter()
                    .any(|p| f.span.start < p.end && p.start < f.span.end.max(f.span.start + 1)),
                "{rel}: {} fired inside the quote: {:?}",
                f.rule,
                &l.text[f.span.clone()]
            );
        }
        for rule in faults {
            assert!(!rule_ids(&findings).contains(&rule), "{rel}: {rule} fired");
        }
        // The reply itself is whole: greeting, body and sign-off found above the quote.
        assert_eq!(l.slice(l.greeting.as_ref().unwrap()), "Dear Dana,", "{rel}");
        assert_eq!(l.slice(&l.signature[0]), "Sam Rivera", "{rel}");
    }
}

// ---------------------------------------------------------------- folders

/// Long letters are linted a few at a time (a batch closes once its letters
/// hold 2 MiB): a folder of long and short letters reports, letter by letter,
/// what checking each on its own reports.
#[test]
fn long_and_short_letters_in_one_folder_report_as_alone() {
    let dir = tempfile::tempdir().unwrap();
    let letter =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/letter.txt"))
            .unwrap();
    let long = |n: usize| {
        let mut text = letter.clone();
        while text.len() < n {
            text.push_str("\nI am sorry, but I cannot attend. Thanks a lot!!! [Your Name]\n");
        }
        text
    };
    let files = [
        ("a.txt", long(800_000)),
        ("b.txt", letter.replace("Thank", "Thanks so much, thank")),
        ("c.txt", long(820_000)),
        ("d.txt", long(760_000)),
        ("e.txt", letter.clone()),
    ];
    for (name, text) in &files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let run = |args: &[&Path]| -> String {
        let out = bin()
            .args(["--format", "json-lines", "--threads", "1"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.code() == Some(0) || out.status.code() == Some(1),
            "{out:?}"
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let together = run(&[dir.path()]);
    let alone: String = files
        .iter()
        .map(|(name, _)| run(&[&dir.path().join(name)]))
        .collect();
    assert!(together.lines().count() > 20, "{together}");
    assert_eq!(together, alone);
}

#[test]
fn a_folder_of_txt_eml_and_md_letters() {
    let out = bin()
        .args(["--format", "json"])
        .arg(fixture("mixed"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = json["files"].as_array().unwrap();
    let names: Vec<&str> = files
        .iter()
        .map(|f| {
            let p = f["path"].as_str().unwrap();
            &p[p.rfind('/').unwrap() + 1..]
        })
        .collect();
    assert_eq!(names, ["a-decline.eml", "b-decline.md", "c-decline.txt"]);
    let rules_of = |i: usize| -> Vec<String> {
        files[i]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(rules_of(0).is_empty(), "{:?}", rules_of(0));
    assert!(rules_of(1).contains(&"unfilled-placeholder".to_string()));
    assert!(rules_of(2).is_empty(), "{:?}", rules_of(2));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
