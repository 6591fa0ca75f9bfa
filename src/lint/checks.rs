//! Built-in checks: what patterns alone cannot say (repeated words, headers, names).

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use crate::letter::Span;
use crate::pattern::{letter_or_number, Builtin};
use crate::rules::{Applicability, Check, Rule};

use super::engine::{finding, units, Cx, Vars};
use super::{Edit, Finding, Fix};

pub(super) fn run(rule: &Rule, check: Check, cx: &Cx<'_>, out: &mut Vec<Finding>) {
    match check {
        Check::RepeatedWord => repeated_word(rule, cx, out),
        Check::Subject => subject(rule, cx, out),
        Check::Recipient => recipient(rule, cx, out),
        Check::Company => company(rule, cx, out),
    }
}

static WORD: Builtin = Builtin::new(r"[\p{L}\p{N}][\p{L}\p{N}'’]*");

/// The matches of [`WORD`], found a character at a time (a byte at a time
/// for ASCII text) when every character is one whose class is known exactly,
/// else by the pattern itself.
fn words(text: &str) -> Vec<std::ops::Range<usize>> {
    let found = if text.is_ascii() {
        let bytes = text.bytes().enumerate();
        split_words(
            text.len(),
            bytes.map(|(i, b)| (i, Some(b.is_ascii_alphanumeric()), b == b'\'')),
        )
    } else {
        let chars = text.char_indices();
        split_words(
            text.len(),
            chars.map(|(i, c)| (i, letter_or_number(c), c == '\'' || c == '’')),
        )
    };
    found.unwrap_or_else(|| WORD.find_iter(text))
}

/// Words from each character's offset, whether it is a letter or number
/// (`None` when not known exactly, which gives up) and whether it is an
/// apostrophe, which a word may hold but not start with.
fn split_words(
    len: usize,
    chars: impl Iterator<Item = (usize, Option<bool>, bool)>,
) -> Option<Vec<std::ops::Range<usize>>> {
    let mut out = Vec::with_capacity(len / 6);
    let mut start = None;
    for (i, letter_or_number, apostrophe) in chars {
        let letter_or_number = letter_or_number?;
        match start {
            None if letter_or_number => start = Some(i),
            Some(s) if !(letter_or_number || apostrophe) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..len);
    }
    Some(out)
}

/// Pairs that are correct English when doubled.
const DOUBLES_ALLOWED: &[&str] = &["had", "that", "bye", "ha"];

/// True when word `b` repeats word `a` just before it: the same word (case
/// aside), only spaces or tabs between, not a number, not a pair that English
/// allows ("had had"), not a doubled name ("Walla Walla", "Ms. Li Li": the
/// second word capitalised and not all capitals, so "The the" and "I I"
/// still count).
fn repeats(slice: &str, a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    let gap = &slice[a.end..b.start];
    let (first, second) = (&slice[a.clone()], &slice[b.clone()]);
    // The cheap tests first; lowercase only words that may be equal.
    let same = || {
        if first.is_ascii() && second.is_ascii() {
            first.eq_ignore_ascii_case(second)
        } else {
            first.to_lowercase() == second.to_lowercase()
        }
    };
    !gap.is_empty()
        && gap.chars().all(|c| c == ' ' || c == '\t')
        && same()
        && !second.chars().all(|c| c.is_numeric())
        && !is_name_like(second)
        && !DOUBLES_ALLOWED.contains(&second.to_lowercase().as_str())
}

/// A capitalised word with a lowercase letter after the first: "Li",
/// "Walla", not "I" or "THE".
fn is_name_like(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

/// What [`repeated_pairs`] sees in an ASCII byte, looked up in one load:
/// anything else, a space or tab, a letter or digit (a word starts), an
/// apostrophe (a word goes on).
const OTHER: u8 = 0;
const BLANK: u8 = 1;
const APOSTROPHE: u8 = 2;
const ALNUM: u8 = 3;
static ASCII_CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphanumeric() {
            ALNUM
        } else if c == b' ' || c == b'\t' {
            BLANK
        } else if c == b'\'' {
            APOSTROPHE
        } else {
            OTHER
        };
        b += 1;
    }
    table
};

/// The pairs of neighbouring words in `slice` whose second repeats the
/// first (see [`repeats`]), in order.
fn repeated_pairs(slice: &str) -> Vec<(Range<usize>, Range<usize>)> {
    if !slice.is_ascii() {
        return pairs_of_words(slice);
    }
    // ASCII text: one pass, comparing each word with the one before when
    // only spaces or tabs lie between them and they could be equal.
    let b = slice.as_bytes();
    let mut out = Vec::new();
    let mut prev: Option<Range<usize>> = None;
    // Only spaces and tabs since the previous word ended.
    let mut blank = false;
    let mut i = 0;
    while i < b.len() {
        let c = ASCII_CLASS[usize::from(b[i])];
        if c != ALNUM {
            blank &= c == BLANK;
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < b.len() && ASCII_CLASS[usize::from(b[i])] >= APOSTROPHE {
            i += 1;
        }
        let word = start..i;
        if let Some(p) = prev.filter(|p| {
            blank && p.len() == word.len() && b[p.start].eq_ignore_ascii_case(&b[start])
        }) {
            if repeats(slice, &p, &word) {
                out.push((p, word.clone()));
            }
        }
        prev = Some(word);
        blank = true;
    }
    out
}

/// [`repeated_pairs`] from the list of all the words.
fn pairs_of_words(slice: &str) -> Vec<(Range<usize>, Range<usize>)> {
    words(slice)
        .windows(2)
        .filter(|w| repeats(slice, &w[0], &w[1]))
        .map(|w| (w[0].clone(), w[1].clone()))
        .collect()
}

/// One finding per run of a repeated word ("the the the"), whose fix keeps
/// the first and deletes the rest in one go.
fn repeated_word(rule: &Rule, cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let text = &cx.letter.text;
    for unit in units(cx, rule.scope).iter() {
        for span in unit {
            let slice = &text[span.clone()];
            let pairs = repeated_pairs(slice);
            let mut i = 0;
            while i < pairs.len() {
                // A run: pairs that share a word, each with the next.
                let mut j = i + 1;
                while j < pairs.len() && pairs[j].0 == pairs[j - 1].1 {
                    j += 1;
                }
                let (first, last) = (&pairs[i].0, &pairs[j - 1].1);
                let word = &slice[first.clone()];
                let mut f = finding(
                    rule,
                    span.start + first.start..span.start + last.end,
                    &Vars {
                        matched: Some(word),
                        replacement: Some(word),
                        ..Vars::default()
                    },
                );
                f.fix = Some(Fix {
                    edits: vec![Edit {
                        span: span.start + first.end..span.start + last.end,
                        replacement: String::new(),
                    }],
                    applicability: Applicability::Safe,
                });
                out.push(f);
                i = j;
            }
        }
    }
}

fn subject(rule: &Rule, cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let l = cx.letter;
    if !l.has_headers {
        return;
    }
    let empty = l
        .subject
        .as_ref()
        .is_none_or(|s| l.slice(s).trim().is_empty());
    if !empty {
        return;
    }
    let span = match (&l.subject, l.headers.first(), l.headers.last()) {
        (Some(s), _, _) => s.start..s.end.max(s.start),
        (None, Some(first), Some(last)) => first.name.start..last.value.end,
        _ => 0..0,
    };
    out.push(finding(rule, span, &Vars::default()));
}

const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "madam",
    "dear",
];

/// Greetings that name no one in particular.
fn generic_greeting(name: &str) -> bool {
    // Whole words: "Ms. Hall" and "Mr. Sirota" are people.
    name.contains(['[', '{', '<'])
        || name
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .any(|w| {
                w.starts_with("recruit")
                    || w.starts_with("hiring")
                    || w.starts_with("manager")
                    || w.starts_with("team")
                    || w.starts_with("committee")
                    || matches!(
                        w.as_str(),
                        "whom"
                            | "sir"
                            | "sirs"
                            | "madam"
                            | "all"
                            | "there"
                            | "everyone"
                            | "colleagues"
                    )
            })
}

/// The words of a name, lowercased and without accents ("José Álvarez"
/// and "Jose Alvarez" have the same words), titles left out.
fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
                .chars()
                .map(without_accent)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty() && !TITLES.contains(&w.as_str()))
        .collect()
}

/// A lowercase Latin letter without its accent: the accents names in
/// Western and Central European languages carry, which writers often leave
/// out.
fn without_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ł' | 'ľ' | 'ĺ' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ŕ' | 'ř' => 'r',
        'ś' | 'š' | 'ş' | 'ș' => 's',
        'ť' | 'ţ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        _ => c,
    }
}

/// The display names of an address header, one per address: `Dana Park
/// <dana@x>, "Chen, Lee" <lee@x>` → `Dana Park`, `Chen, Lee`. Addresses
/// without a name are left out.
fn display_names(value: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let (mut start, mut quoted, mut angled) = (0, false, false);
    for (i, c) in value.char_indices().chain([(value.len(), ',')]) {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => angled = true,
            '>' if !quoted => angled = false,
            ',' if !quoted && !angled => {
                if let Some(name) = display_name(&value[start..i]) {
                    names.push(name);
                }
                start = (i + 1).min(value.len());
            }
            _ => {}
        }
    }
    names
}

/// The display name of one address: `Dana Park <dana@x>` → `Dana Park`.
fn display_name(v: &str) -> Option<&str> {
    let v = v.trim();
    let name = match v.find('<') {
        Some(i) => v[..i].trim(),
        None if v.contains('@') => return None,
        None => v,
    };
    let name = name.trim_matches('"').trim();
    (!name.is_empty()).then_some(name)
}

/// A shared mailbox rather than a person ("Recruiting Team", "Careers").
fn role_mailbox(name: &str) -> bool {
    generic_greeting(name)
        || name_words(name).iter().any(|w| {
            matches!(
                w.as_str(),
                "hr" | "careers"
                    | "jobs"
                    | "talent"
                    | "people"
                    | "recruitment"
                    | "office"
                    | "admin"
                    | "info"
                    | "noreply"
                    | "no-reply"
                    | "applications"
            )
        })
}

fn recipient(rule: &Rule, cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let l = cx.letter;
    let to: Vec<&str> = match cx.context.get("recipient") {
        Some(r) => vec![r.as_str()],
        None => l.header("to").map(display_names).unwrap_or_default(),
    };
    let Some(name_span) = l.greeting_name.as_ref() else {
        return;
    };
    // Greeting any one of the people it is addressed to is right; a letter
    // to a shared mailbox may greet whoever the writer knows is reading.
    if to.is_empty()
        || to
            .iter()
            .any(|t| role_mailbox(t) || name_words(t).is_empty())
    {
        return;
    }
    let greeted = l.slice(name_span);
    if generic_greeting(greeted) {
        return;
    }
    let greeted_words = name_words(greeted);
    if greeted_words.is_empty() {
        return;
    }
    if to.iter().any(|t| {
        let to_words = name_words(t);
        greeted_words.iter().all(|w| to_words.contains(w))
    }) {
        return;
    }
    let expected = to.join(" and ");
    out.push(finding(
        rule,
        name_span.clone(),
        &Vars {
            matched: Some(greeted),
            expected: Some(&expected),
            ..Vars::default()
        },
    ));
}

fn company_cue_re() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    CELL.get_or_init(|| {
        Regex::new(
            r"(?:\b(?:at|join|joining|with|hold|regard for)\s+)((?:\p{Lu}[\p{L}\p{N}&'’\-]*)(?:\s+(?:&\s+)?\p{Lu}[\p{L}\p{N}&'’\-]*){0,3})|((?:\p{Lu}[\p{L}\p{N}&\-]*)(?:\s+\p{Lu}[\p{L}\p{N}&\-]*){0,3})['’]s\b",
        )
        .expect("compiles")
    })
}

/// Capitalised words that are not company names.
const NOT_COMPANIES: &[&str] = &[
    "i",
    "the",
    "a",
    "an",
    "my",
    "your",
    "our",
    "this",
    "that",
    "it",
    "we",
    "you",
    "he",
    "she",
    "they",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "linkedin",
    "english",
    "christmas",
    "easter",
    "covid",
    "thank",
    "thanks",
    "dear",
    "hello",
    "hi",
    "best",
    "kind",
    "regards",
    "please",
    "sincerely",
    "mr",
    "mrs",
    "ms",
    "dr",
    "hr",
    "ceo",
    "cv",
    "team",
];

/// Words that show a company is the writer's new employer, not the reader's.
const NEW_EMPLOYER_CUES: &[&str] = &[
    "accepted",
    "accepting",
    "another",
    "joining",
    "offer from",
    "elsewhere",
    "moving to",
    "signed with",
    "start at",
    "starting at",
    "taken a",
    "took a",
    "decided to join",
    "going to join",
    "will join",
];

fn company(rule: &Rule, cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let l = cx.letter;
    let Some(expected) = cx.context.get("company").map(|s| s.trim()) else {
        return;
    };
    if expected.is_empty() {
        return;
    }
    let expected_lower = expected.to_lowercase();
    let spans: Vec<Span> = l.included_spans();
    let named = spans
        .iter()
        .any(|s| l.slice(s).to_lowercase().contains(&expected_lower));
    // People's names are not companies.
    let mut people: Vec<String> = Vec::new();
    for s in l.greeting_name.iter().chain(l.signature.iter()) {
        people.extend(name_words(l.slice(s)));
    }
    for key in ["recipient", "role"] {
        if let Some(v) = cx.context.get(key) {
            people.extend(name_words(v));
        }
    }
    for to in l.header("to").map(display_names).unwrap_or_default() {
        people.extend(name_words(to));
    }
    let expected_words = name_words(expected);
    let mut reported = false;
    for s in l.paragraphs.iter().map(|p| &p.span) {
        let slice = l.slice(s);
        for caps in company_cue_re().captures_iter(slice) {
            let Some(m) = caps.get(1).or_else(|| caps.get(2)) else {
                continue;
            };
            let cand = m.as_str();
            let words = name_words(cand);
            let cand_lower = cand.to_lowercase();
            if words.is_empty()
                || words.iter().all(|w| NOT_COMPANIES.contains(&w.as_str()))
                || words.iter().all(|w| expected_words.contains(w))
                || words.iter().all(|w| people.contains(w))
                || expected_lower.contains(&cand_lower)
                || cand_lower.contains(&expected_lower)
            {
                continue;
            }
            // The company the writer is going to is not the one written to.
            let sentence_start = slice[..m.start()]
                .rfind(['.', '!', '?', '\n'])
                .map_or(0, |i| i + 1);
            let before = slice[sentence_start..m.start()].to_lowercase();
            if NEW_EMPLOYER_CUES.iter().any(|c| before.contains(c)) {
                continue;
            }
            // Only a name that stands where a company would: at the start of
            // a sentence it may just be a capitalised word.
            let first_word = words[0].as_str();
            if NOT_COMPANIES.contains(&first_word) {
                continue;
            }
            let abs = s.start + m.start()..s.start + m.end();
            out.push(finding(
                rule,
                abs,
                &Vars {
                    matched: Some(cand),
                    expected: Some(expected),
                    ..Vars::default()
                },
            ));
            reported = true;
        }
    }
    if !named && !reported {
        let span = l
            .sentences
            .first()
            .cloned()
            .unwrap_or_else(|| 0..l.text.find('\n').unwrap_or(l.text.len()));
        let mut f = finding(
            rule,
            span,
            &Vars {
                matched: Some(expected),
                expected: Some(expected),
                ..Vars::default()
            },
        );
        f.message = format!("The letter never names {expected}, the company it is addressed to.");
        out.push(f);
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Letters under `tests/` and `examples/`, and variants with other scripts.
    pub(crate) fn sample_texts() -> Vec<String> {
        let mut texts = crate::testing::sample_files(&["txt"]);
        let variants: Vec<String> = texts
            .iter()
            .flat_map(|t| {
                [
                    t.replace('\'', "’"),
                    t.replace("the", "thé ½ x\u{a0}y"),
                    t.replace('a', "ä").replace('e', "ǅ"),
                    t.replace('o', "ω"),
                ]
            })
            .collect();
        texts.extend(variants);
        texts
    }

    /// On ASCII text, looking around runs of spaces finds the same repeated
    /// pairs as listing every word.
    #[test]
    fn repeated_pairs_are_found_around_spaces() {
        let mut texts: Vec<String> = crate::testing::sample_files(&["txt", "md"])
            .into_iter()
            .filter(|t| t.is_ascii())
            .collect();
        texts.push(
            "the the THE\tthe  the. 'tis 'tis dogs' dogs' don't don't 1 1 x2 x2 had had \
             ''a ''a a'' a'' ''b b 'c c it's it's's - - a-a a a\n a a\r\na a _x _x x_ x_ end end"
                .to_string(),
        );
        let doubled: Vec<String> = texts
            .iter()
            .map(|t| {
                t.split(' ')
                    .enumerate()
                    .map(|(i, w)| {
                        if i % 4 == 0 {
                            format!("{w} {w}\t{w}")
                        } else {
                            w.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        texts.extend(doubled);
        let mut found = 0;
        for t in &texts {
            let want = pairs_of_words(t);
            assert_eq!(repeated_pairs(t), want, "{t:?}");
            found += want.len();
        }
        assert!(found > 1000, "{found}");
    }

    /// A run of repeats is one finding, and its fix leaves one word.
    #[test]
    fn a_run_of_repeats_is_one_finding() {
        let set = crate::rules::RuleSet::defaults().expect("defaults load");
        let linter = crate::lint::Linter::new(set, Default::default());
        let text = "Dear Sam,\n\nThank you for the the the the interview. I had had a long week.\n\nBest,\nAl\n";
        let letter = crate::Letter::parse("t.txt", text.to_string());
        let outcome = linter.lint(&letter, &Default::default());
        let found: Vec<_> = outcome
            .findings
            .iter()
            .filter(|f| f.rule == "repeated-word")
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(&text[found[0].span.clone()], "the the the the");
        let fixed = crate::lint::fix::apply(text, &outcome.findings, false);
        assert!(
            fixed.text.contains("for the interview. I had had"),
            "{}",
            fixed.text
        );
    }

    #[test]
    fn words_are_the_pattern_matches() {
        for text in sample_texts() {
            assert_eq!(
                words(&text),
                WORD.regex()
                    .find_iter(&text)
                    .map(|m| m.range())
                    .collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn counting_words_fast_is_counting_words() {
        for text in sample_texts().iter().chain(&[
            "a\u{b}b c\u{1c}d  -- 1".to_string(),
            "é\u{a0}x\u{2003}— ½\u{3000}ω\u{85}b\u{2028}’ \u{1f600}z".to_string(),
        ]) {
            let slow = text
                .split_whitespace()
                .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
                .count();
            assert_eq!(super::super::count_words(text), slow, "{text:?}");
        }
    }

    /// Counting a span's words from the letter's word starts gives what
    /// counting the span's own text gives, for spans that begin and end
    /// anywhere (inside words too).
    #[test]
    fn words_of_a_span_are_counted_from_the_letters_word_starts() {
        for text in sample_texts().iter().step_by(3).chain(&[
            "a\u{b}b c\u{1c}d  -- 1 (x) --y z--".to_string(),
            "é\u{a0}x\u{2003}— ½\u{3000}ω\u{85}b\u{2028}’ \u{1f600}z".to_string(),
        ]) {
            let starts = super::super::WordStarts::new(text);
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let step = (bounds.len() / 40).max(1);
            for (k, &a) in bounds.iter().enumerate().step_by(step) {
                for &b in bounds[k..].iter().step_by(step.max(3) - 1) {
                    assert_eq!(
                        starts.count(text, &(a..b)),
                        super::super::count_words(&text[a..b]),
                        "{:?}",
                        &text[a..b]
                    );
                }
            }
        }
    }
}
