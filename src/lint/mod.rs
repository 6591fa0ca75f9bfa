//! Judging a letter: findings as plain data, and the linter that applies a rule set.

mod checks;
mod engine;
pub mod fix;
mod gates;
pub mod template;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::letter::{Letter, Span};
use crate::moves::{LetterMoves, MoveMask};
use crate::pattern::{Index, Ones, Reached, Scan};
use crate::rules::{Applicability, Checklist, Rule, RuleSet, Severity};
use gates::Gates;

/// Values that some rules compare the letter against (`company`, `role`, `recipient`).
pub type Context = BTreeMap<String, String>;

/// One replacement of a byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// A suggested change and how safe it is to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

impl Fix {
    /// The text of the first edit (what the JSON `replacement` field shows).
    pub fn replacement(&self) -> &str {
        self.edits.first().map_or("", |e| e.replacement.as_str())
    }
}

/// One problem found in a letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// `page#anchor` in the guide.
    pub guide: Option<String>,
    pub checklist: Option<Checklist>,
    /// Where the problem is (byte range into the letter's text).
    pub span: Span,
    /// Text for the marker under the span.
    pub label: Option<String>,
    /// Other places that belong to the same finding.
    pub related: Vec<(Span, String)>,
    pub fix: Option<Fix>,
}

/// What linting one letter produced.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub moves: LetterMoves,
}

/// Which rules run, and how their findings are gated.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only these rule ids (empty: all).
    pub select: Vec<String>,
    /// Never these rule ids.
    pub ignore: Vec<String>,
    /// Drop findings below this severity.
    pub min_severity: Option<Severity>,
    /// Per-rule severity overrides.
    pub severity: BTreeMap<String, Severity>,
    /// Per-rule overrides of `min`/`max` (for word limits and the like).
    pub limits: BTreeMap<String, (Option<f64>, Option<f64>)>,
    /// Tag only the moves the rules that run read, so that a move no rule
    /// asks about costs nothing; [`Outcome::moves`] then lacks the others.
    /// For output that does not show the moves.
    pub needed_moves_only: bool,
}

/// A rule set with options, ready to lint letters. Cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Linter {
    rules: Arc<RuleSet>,
    active: Vec<usize>,
    options: Options,
    /// The moves tagged in each letter: all of them, or those the rules that
    /// run read (see [`Options::needed_moves_only`]).
    moves: MoveMask,
    /// The patterns of the active rules and of the detectors of those moves,
    /// indexed by the literals they need.
    index: Arc<Index>,
    /// Which rules run on which letters.
    gates: Arc<Gates>,
}

impl Linter {
    pub fn new(rules: RuleSet, options: Options) -> Linter {
        Linter::shared(Arc::new(rules), options)
    }

    /// A linter over a rule set that other linters share.
    pub fn shared(rules: Arc<RuleSet>, options: Options) -> Linter {
        let active: Vec<usize> = rules
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                (options.select.is_empty() || options.select.iter().any(|s| s == &r.id))
                    && !options.ignore.iter().any(|s| s == &r.id)
            })
            .map(|(i, _)| i)
            .collect();
        let moves = if options.needed_moves_only {
            active
                .iter()
                .map(|&i| &rules.rules[i])
                .filter(|r| !dropped(severity(r, &options), &options))
                .fold(0, |mask, r| mask | r.moves())
        } else {
            MoveMask::MAX
        };
        let (index, gates) = Linter::prepare(&rules, &active, moves);
        Linter {
            rules,
            active,
            options,
            moves,
            index: Arc::new(index),
            gates: Arc::new(gates),
        }
    }

    /// Reads the patterns the active rules and the detectors of `moves` use
    /// before the first letter, on both cores, and indexes them. Gives the
    /// index and the active rules' gates in it.
    fn prepare(rules: &RuleSet, active: &[usize], moves: MoveMask) -> (Index, Gates) {
        let mut alts = Vec::new();
        let mut gates = Vec::with_capacity(active.len());
        for &i in active {
            let rule = &rules.rules[i];
            let own = rule.alternations();
            let gate = rule
                .gate()
                .and_then(|g| own.iter().position(|a| a.same(g)))
                .map(|k| (alts.len() + k) as u32);
            gates.push(gate);
            alts.extend(own);
        }
        alts.extend(rules.moves.alternations_of(moves));
        crate::pattern::prepare(&alts);
        (Index::new(&alts), Gates::new(gates, alts.len()))
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The same rules with other options.
    pub fn with_options(&self, options: Options) -> Linter {
        Linter::shared(Arc::clone(&self.rules), options)
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The rules that run.
    pub fn active_rules(&self) -> impl Iterator<Item = &Rule> {
        self.active.iter().map(|&i| &self.rules.rules[i])
    }

    /// Lints one letter.
    pub fn lint(&self, letter: &Letter, context: &Context) -> Outcome {
        self.lint_many(&[(letter, context)])
            .pop()
            .expect("one outcome for one letter")
    }

    /// Lints letters together, with the same results as one at a time, in
    /// their order. Each rule runs on every letter before the next rule
    /// starts, so the rule's compiled patterns are still in the processor's
    /// caches from one letter to the next: checking a few hundred patterns
    /// once per letter spends most of its time fetching them. A rule that
    /// needs a pattern to match is not run on letters in which the index
    /// says it cannot.
    pub fn lint_many(&self, letters: &[(&Letter, &Context)]) -> Vec<Outcome> {
        let flowed: Vec<_> = letters.iter().map(|(l, _)| l.flowed()).collect();
        let scans: Vec<Scan<'_>> = flowed.iter().map(|t| Scan::new(t)).collect();
        let reached: Vec<Option<Reached>> = scans.iter().map(|s| self.index.scan(s)).collect();
        let runs = self.gates.letters(&reached);
        let words = letters.len().div_ceil(64);
        let scanned: Vec<(&Letter, &Scan<'_>)> =
            letters.iter().map(|(l, _)| *l).zip(&scans).collect();
        let moves = self.rules.moves.tag_letters_for(&scanned, self.moves);
        let cxs: Vec<engine::Cx<'_>> = letters
            .iter()
            .zip(&scans)
            .zip(&moves)
            .map(|(((letter, context), scan), moves)| engine::Cx {
                letter,
                scan,
                words: Default::default(),
                spans: Default::default(),
                moves,
                move_set: &self.rules.moves,
                context,
            })
            .collect();
        let mut findings: Vec<Vec<Finding>> = letters.iter().map(|_| Vec::new()).collect();
        let limits = &self.options.limits;
        for (rule, runs) in self.active_rules().zip(runs.chunks(words.max(1))) {
            let limits = (!limits.is_empty())
                .then(|| limits.get(&rule.id).copied())
                .flatten();
            let severity = severity(rule, &self.options);
            if dropped(severity, &self.options) {
                continue;
            }
            for l in Ones::new(runs) {
                let findings = &mut findings[l];
                let before = findings.len();
                engine::run(rule, limits, &cxs[l], findings);
                for f in &mut findings[before..] {
                    f.severity = severity;
                }
            }
        }
        drop(cxs);
        findings
            .into_iter()
            .zip(moves)
            .zip(letters)
            .map(|((mut findings, moves), (letter, _))| {
                findings.retain(|f| !letter.is_excluded(&f.span));
                findings.sort_by(|a, b| {
                    (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
                });
                findings.dedup_by(|a, b| a.rule == b.rule && a.span == b.span);
                Outcome { findings, moves }
            })
            .collect()
    }
}

/// A rule's severity under `options`.
fn severity(rule: &Rule, options: &Options) -> Severity {
    (!options.severity.is_empty())
        .then(|| options.severity.get(&rule.id).copied())
        .flatten()
        .unwrap_or(rule.severity)
}

/// True when findings of this severity are dropped under `options`, so that
/// the rule need not run.
fn dropped(severity: Severity, options: &Options) -> bool {
    options.min_severity.is_some_and(|m| severity < m)
}

/// Counts the words of a text: white-space separated tokens with a letter or digit.
pub fn count_words(text: &str) -> usize {
    WordStarts::new(text).starts.len()
}

/// Where the words of a text begin: the offset of each word's first letter
/// or digit. Made once per letter, it counts the words of any span of it
/// without reading the span again.
pub struct WordStarts {
    starts: Vec<u32>,
}

/// Byte `b` in all eight bytes of a word.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// Bit 7 of each byte of `w` (all of them ASCII) set when the byte is in
/// `lo..=hi`: adding `0x80 - lo` reaches bit 7 from `lo` up, adding `0x7F - hi`
/// from above `hi`, and neither carries into the next byte.
const fn in_range(w: u64, lo: u8, hi: u8) -> u64 {
    w.wrapping_add(splat(0x80 - lo)) & !w.wrapping_add(splat(0x7F - hi)) & splat(0x80)
}

/// The bits 7 of the eight bytes of `m` (little-endian) as the low eight bits.
const fn gather(m: u64) -> u64 {
    (m >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// How many bytes `block` (at most 64) starts with that are ASCII, and bit
/// masks of those that are letters or digits and of those that are white
/// space (ASCII white space is what `split_whitespace` splits at).
fn classify(block: &[u8]) -> (usize, u64, u64) {
    let (mut alnum, mut space) = (0u64, 0u64);
    for (k, chunk) in block.chunks(8).enumerate() {
        let mut w = match <[u8; 8]>::try_from(chunk) {
            Ok(word) => u64::from_le_bytes(word),
            Err(_) => {
                let mut word = [0u8; 8];
                word[..chunk.len()].copy_from_slice(chunk);
                u64::from_le_bytes(word)
            }
        };
        let high = w & splat(0x80);
        let valid = chunk.len().min(high.trailing_zeros() as usize / 8);
        if valid < 8 {
            w &= (1 << (8 * valid)) - 1;
        }
        let letter_or_digit = in_range(w, b'0', b'9') | in_range(w | splat(0x20), b'a', b'z');
        let white = in_range(w, b'\t', b'\r') | in_range(w, b' ', b' ');
        alnum |= gather(letter_or_digit) << (8 * k);
        space |= gather(white) << (8 * k);
        if valid < 8 {
            return (8 * k + valid, alnum, space);
        }
    }
    (block.len(), alnum, space)
}

impl WordStarts {
    pub fn new(text: &str) -> WordStarts {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(text.len() / 4);
        // A word starts at a letter or digit when the last byte before it
        // that is not punctuation is white space (or there is none).
        let mut armed = true;
        let mut i = 0;
        while i < bytes.len() {
            // Up to 64 ASCII bytes at once, as bit masks.
            let (ascii, alnum, space) = classify(&bytes[i..bytes.len().min(i + 64)]);
            if ascii > 0 {
                let punct = !(alnum | space) & (u64::MAX >> (64 - ascii));
                // "Armed before byte k" follows armed' = space | (punct &
                // armed): a carry through `space + (space | punct)`, with
                // the carry in at bit 0.
                let (x, y) = (space | punct, space);
                let (partial, over1) = x.overflowing_add(y);
                let (sum, over2) = partial.overflowing_add(u64::from(armed));
                let armed_at = sum ^ x ^ y;
                let mut hits = alnum & armed_at;
                while hits != 0 {
                    starts.push((i + hits.trailing_zeros() as usize) as u32);
                    hits &= hits - 1;
                }
                armed = if ascii == 64 {
                    over1 || over2
                } else {
                    sum >> ascii & 1 == 1
                };
                i += ascii;
                continue;
            }
            // A character beyond ASCII, by its Unicode properties.
            let c = text[i..].chars().next().expect("a character starts here");
            let class = if c.is_whitespace() {
                0
            } else {
                u8::from(!c.is_alphanumeric()) + 1
            };
            if armed && class == 1 {
                starts.push(i as u32);
            }
            armed = (armed && class != 1) || class == 0;
            i += c.len_utf8();
        }
        WordStarts { starts }
    }

    /// The words of `text[span]`, `text` being the text these are the starts
    /// of: [`count_words`] of the span, without reading it (but for a span
    /// that begins inside a word, whose first piece is looked at).
    pub fn count(&self, text: &str, span: &std::ops::Range<usize>) -> usize {
        let at = |offset: usize| self.starts.partition_point(|&s| (s as usize) < offset);
        let (from, to) = (at(span.start), at(span.end));
        let mut n = to - from;
        let inside = text[..span.start]
            .chars()
            .next_back()
            .is_some_and(|c| !c.is_whitespace());
        if inside {
            // The piece of the word in the span is a word of its own if it has
            // a letter or digit; the word's start, if in the piece, is not.
            let span_text = &text[span.clone()];
            let end = span.start
                + span_text
                    .find(char::is_whitespace)
                    .unwrap_or(span_text.len());
            let listed = self.starts[from..to]
                .first()
                .is_some_and(|&s| (s as usize) < end);
            let has = text[span.start..end].chars().any(char::is_alphanumeric);
            n = n - usize::from(listed) + usize::from(has);
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word starts of a text, a character at a time.
    fn word_starts_slowly(text: &str) -> Vec<u32> {
        let mut starts = Vec::new();
        let mut armed = true;
        for (i, c) in text.char_indices() {
            if c.is_whitespace() {
                armed = true;
            } else if c.is_alphanumeric() {
                if armed {
                    starts.push(i as u32);
                }
                armed = false;
            }
        }
        starts
    }

    /// Read 64 bytes at a time, the starts are the same, wherever the 64-byte
    /// steps and the characters beyond ASCII fall.
    #[test]
    fn word_starts_are_found_as_a_character_at_a_time() {
        let mut texts = checks::tests::sample_texts();
        let pieces = [
            "word", " ", "--", "(x)", "é", "\u{a0}", "’", "\n", "42", "\t",
        ];
        // Runs of every length around the 64-byte steps, glued in many orders.
        for n in 0..200usize {
            let mut t = String::new();
            for k in 0..n {
                t.push_str(pieces[(k * 7 + n) % pieces.len()]);
            }
            texts.push(t);
        }
        texts.push(format!("{}x{}y", "a".repeat(63), " ".repeat(64)));
        texts.push(format!("{}.é", "-".repeat(127)));
        for text in &texts {
            assert_eq!(
                WordStarts::new(text).starts,
                word_starts_slowly(text),
                "{text:?}"
            );
        }
    }

    /// The sample texts as letters.
    fn sample_letters() -> Vec<Letter> {
        checks::tests::sample_texts()
            .into_iter()
            .enumerate()
            .map(|(i, t)| Letter::parse(format!("letter-{i}.txt"), t))
            .collect()
    }

    /// Letters linted together get what each gets linted alone: the same
    /// findings and moves, in the same order, whatever else is in the batch
    /// (a company name in one letter's context among them).
    #[test]
    fn linting_together_is_linting_one_at_a_time() {
        let linter = Linter::new(
            RuleSet::defaults().expect("defaults load"),
            Options::default(),
        );
        let letters = sample_letters();
        let plain = Context::new();
        let named = Context::from([("company".to_string(), "Acme".to_string())]);
        let batch: Vec<(&Letter, &Context)> = letters
            .iter()
            .enumerate()
            .map(|(i, l)| (l, if i % 3 == 0 { &named } else { &plain }))
            .collect();
        let together = linter.lint_many(&batch);
        assert_eq!(together.len(), batch.len());
        let mut findings = 0;
        for ((letter, context), got) in batch.iter().zip(&together) {
            let alone = linter.lint(letter, context);
            assert_eq!(got.findings, alone.findings, "{}", letter.name);
            assert_eq!(format!("{:?}", got.moves), format!("{:?}", alone.moves));
            findings += got.findings.len();
        }
        assert!(findings > 50, "{findings} findings");
    }

    /// A rule is not run on a letter in which the index rules its gate out;
    /// run there, it would have found nothing. So a linter whose index is in
    /// use finds in each letter what a fresh one finds (whose index waits
    /// for a few letters, so every rule runs), and rules were skipped.
    #[test]
    fn rules_the_index_rules_out_would_find_nothing() {
        let set = Arc::new(RuleSet::defaults().expect("defaults load"));
        let context = Context::new();
        let warm = Linter::shared(Arc::clone(&set), Options::default());
        let plain = Letter::parse("plain.txt", "Thank you for the offer.\n");
        while warm.index.scan(&Scan::new(&plain.text)).is_none() {
            warm.lint(&plain, &context);
        }
        let (mut skipped, mut kept) = (0, 0);
        for letter in &sample_letters() {
            let fresh = Linter::shared(Arc::clone(&set), Options::default());
            let want = fresh.lint(letter, &context).findings;
            assert_eq!(
                warm.lint(letter, &context).findings,
                want,
                "{}",
                letter.name
            );
            let reached = warm.index.scan(&Scan::new(&letter.text));
            if reached.is_some() {
                let runs = warm.gates.letters(&[reached]);
                for (rule, &run) in warm.active_rules().zip(&runs) {
                    if run == 1 {
                        kept += 1;
                    } else {
                        skipped += 1;
                        assert!(want.iter().all(|f| f.rule != rule.id), "{}", rule.id);
                    }
                }
            }
        }
        assert!(skipped > 1000 && kept > 1000, "{skipped} {kept}");
    }

    /// A linter that tags only the moves its rules read finds what one that
    /// tags every move finds, for each default rule alone and for all of
    /// them, and its letters have the moves it reads and no others.
    #[test]
    fn tagging_only_the_moves_the_rules_read_changes_no_finding() {
        let set = Arc::new(RuleSet::defaults().expect("defaults load"));
        let letters = sample_letters();
        let context = Context::new();
        let mut selections: Vec<Vec<String>> = vec![Vec::new()];
        selections.extend(set.rules.iter().map(|r| vec![r.id.clone()]));
        let (mut findings, mut untagged) = (0, 0);
        for select in selections {
            let options = |needed_moves_only| Options {
                select: select.clone(),
                needed_moves_only,
                ..Options::default()
            };
            let every = Linter::shared(Arc::clone(&set), options(false));
            let needed = Linter::shared(Arc::clone(&set), options(true));
            let read = every.active_rules().fold(0, |m, r| m | r.moves());
            assert_eq!(needed.moves, read, "{select:?}");
            for letter in &letters {
                let (a, b) = (every.lint(letter, &context), needed.lint(letter, &context));
                assert_eq!(a.findings, b.findings, "{select:?} {}", letter.name);
                for (x, y) in a.moves.sentences.iter().zip(&b.moves.sentences) {
                    assert_eq!(x & read, *y, "{select:?} {}", letter.name);
                    untagged += usize::from(x != y);
                }
                assert_eq!(a.moves.signoff & read, b.moves.signoff);
                findings += a.findings.len();
            }
        }
        // Some findings, and some sentences whose unread moves were left out.
        assert!(findings > 500, "{findings} findings");
        assert!(untagged > 100, "{untagged} sentences");
    }
}
