//! One function per rule kind: a rule and a parsed letter in, findings out.

use crate::letter::{Letter, Span};
use crate::moves::{LetterMoves, MoveSet, STRUCTURAL};
use crate::pattern::{Alternation, Matcher, Scan};
use crate::rules::{Applicability, Condition, Kind, Metric, Position, Rule, Scope, Swap};

use super::{checks, Context, Edit, Finding, Fix, WordStarts};

/// Everything a rule may look at.
pub(super) struct Cx<'a> {
    pub letter: &'a Letter,
    /// The letter's text, scanned for the literals patterns need.
    pub scan: &'a Scan<'a>,
    /// Where the letter's words start, found on first need.
    pub words: std::cell::OnceCell<WordStarts>,
    /// The spans of the letter and of its paragraphs, gathered on first
    /// need and shared by every rule of those scopes.
    pub spans: SpanLists,
    /// The moves of each sentence. A linter may tag only the moves its rules
    /// read ([`crate::rules::Rule::moves`]): a rule must read no other.
    pub moves: &'a LetterMoves,
    pub move_set: &'a MoveSet,
    pub context: &'a Context,
}

/// Values a message may mention.
#[derive(Default)]
pub(super) struct Vars<'a> {
    pub matched: Option<&'a str>,
    pub count: Option<String>,
    pub limit: Option<String>,
    pub replacement: Option<&'a str>,
    pub expected: Option<&'a str>,
}

/// `template` with the values of `vars` put in (see [`super::template`]).
pub(super) fn fill(template: &str, vars: &Vars<'_>) -> String {
    super::template::fill(template, |name| match name {
        "match" => vars.matched,
        "count" => vars.count.as_deref(),
        "limit" => vars.limit.as_deref(),
        "replacement" => vars.replacement,
        "expected" => vars.expected,
        _ => None,
    })
}

/// Builds a finding for `rule` at `span`.
pub(super) fn finding(rule: &Rule, span: Span, vars: &Vars<'_>) -> Finding {
    Finding {
        rule: rule.id.clone(),
        severity: rule.severity,
        message: fill(&rule.message, vars),
        help: rule.help.as_deref().map(|h| fill(h, vars)),
        guide: rule.guide.clone(),
        checklist: rule.checklist,
        span,
        label: rule.label.as_deref().map(|l| fill(l, vars)),
        related: Vec::new(),
        fix: None,
    }
}

/// The units of text a scope covers; each unit is one or more spans.
pub(super) struct Units<'a> {
    spans: std::borrow::Cow<'a, [Span]>,
    /// All the spans make one unit (even none); otherwise each is a unit.
    one: bool,
}

impl Units<'_> {
    pub(super) fn iter(&self) -> impl Iterator<Item = &[Span]> {
        let size = if self.one { self.spans.len().max(1) } else { 1 };
        let empty = self.one && self.spans.is_empty();
        self.spans.chunks(size).chain(empty.then_some(&[][..]))
    }

    /// Every span of every unit.
    pub(super) fn spans(&self) -> &[Span] {
        &self.spans
    }
}

/// Lists of spans several scopes read, made once per letter.
#[derive(Default)]
pub(super) struct SpanLists {
    included: std::cell::OnceCell<Vec<Span>>,
    paragraphs: std::cell::OnceCell<Vec<Span>>,
}

/// The units of text `scope` covers.
pub(super) fn units<'c, 'a: 'c>(cx: &'c Cx<'a>, scope: Scope) -> Units<'c> {
    use std::borrow::Cow::{Borrowed, Owned};
    let l = cx.letter;
    let paragraphs = || {
        cx.spans
            .paragraphs
            .get_or_init(|| l.paragraphs.iter().map(|p| p.span.clone()).collect())
            .as_slice()
    };
    let (spans, one) = match scope {
        Scope::Letter => (
            Borrowed(
                cx.spans
                    .included
                    .get_or_init(|| l.included_spans())
                    .as_slice(),
            ),
            true,
        ),
        Scope::Subject => (Borrowed(l.subject.as_slice()), false),
        Scope::Greeting => (Borrowed(l.greeting.as_slice()), false),
        Scope::Body => (Borrowed(paragraphs()), true),
        Scope::Paragraph => (Borrowed(paragraphs()), false),
        Scope::Sentence => (Borrowed(l.sentences.as_slice()), false),
        Scope::Signoff => (Borrowed(l.signoff.as_slice()), false),
        // No signature, no unit.
        Scope::Signature => (Borrowed(l.signature.as_slice()), !l.signature.is_empty()),
        Scope::Move(m) => (
            Owned(
                l.sentences
                    .iter()
                    .zip(&cx.moves.sentences)
                    .filter(|(_, mask)| *mask & (1 << m) != 0)
                    .map(|(s, _)| s.clone())
                    .collect(),
            ),
            false,
        ),
    };
    Units { spans, one }
}

/// A span to point at when there is nothing better: the first line with text.
fn fallback_span(l: &Letter) -> Span {
    let t = &l.text;
    let start = t.len() - t.trim_start().len();
    let end = t[start..].find(['\n', '\r']).map_or(t.len(), |i| start + i);
    start..end
}

fn unit_span(unit: &[Span], l: &Letter) -> Span {
    match (unit.first(), unit.last()) {
        (Some(a), Some(b)) => a.start..b.end,
        _ => fallback_span(l),
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x:.1}")
    }
}

/// Runs one rule. `limits` overrides the rule's own `min`/`max`.
pub(super) fn run(
    rule: &Rule,
    limits: Option<(Option<f64>, Option<f64>)>,
    cx: &Cx<'_>,
    out: &mut Vec<Finding>,
) {
    let bounds = |min: Option<f64>, max: Option<f64>| match limits {
        Some((lmin, lmax)) => (lmin.or(min), lmax.or(max)),
        None => (min, max),
    };
    match &rule.kind {
        Kind::Existence { matcher, fix } => existence(rule, matcher, fix.as_ref(), cx, out),
        Kind::Substitution {
            swaps,
            combined,
            exceptions,
            applicability,
        } => substitution(
            rule,
            swaps,
            combined,
            exceptions.as_ref(),
            *applicability,
            cx,
            out,
        ),
        Kind::Occurrence { matcher, min, max } => {
            let (min, max) = bounds(*min, *max);
            occurrence(rule, matcher, min, max, cx, out)
        }
        Kind::Metric { metric, min, max } => {
            let (min, max) = bounds(*min, *max);
            metric_rule(rule, *metric, min, max, cx, out)
        }
        Kind::Conditional { first, second } => conditional(rule, first, second, cx, out),
        Kind::Move {
            mv,
            min,
            max,
            position,
        } => {
            let (min, max) = bounds(*min, *max);
            move_rule(rule, *mv, min, max, *position, cx, out)
        }
        Kind::Check(check) => checks::run(rule, *check, cx, out),
    }
}

fn existence(
    rule: &Rule,
    matcher: &Matcher,
    fix: Option<&crate::rules::FixSpec>,
    cx: &Cx<'_>,
    out: &mut Vec<Finding>,
) {
    // The flowed text: a match wrapped over two lines reads as one line.
    let text = cx.scan.text;
    // Most rules find nothing in most letters: say so before listing units.
    if !matcher.may_match(cx.scan) {
        return;
    }
    let starts = matcher.starts(cx.scan);
    for unit in units(cx, rule.scope).iter() {
        for span in unit {
            if !cx.scan.may_hold(starts, span) {
                continue;
            }
            for m in matcher.find_all_in(cx.scan, span) {
                let abs = span.start + m.start..span.start + m.end;
                let matched = &text[abs.clone()];
                let mut f = finding(
                    rule,
                    abs.clone(),
                    &Vars {
                        matched: Some(matched),
                        replacement: fix.map(|x| x.replacement.as_str()),
                        ..Vars::default()
                    },
                );
                if let Some(spec) = fix {
                    f.fix = Some(Fix {
                        edits: vec![Edit {
                            span: abs,
                            replacement: match_case(matched, &spec.replacement),
                        }],
                        applicability: spec.applicability,
                    });
                }
                out.push(f);
            }
        }
    }
}

/// Gives a replacement the leading capital of the text it replaces.
pub(super) fn match_case(original: &str, replacement: &str) -> String {
    let orig_upper = original
        .trim_start()
        .chars()
        .next()
        .is_some_and(char::is_uppercase);
    let mut chars = replacement.chars();
    match chars.next() {
        Some(c) if orig_upper && c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
        _ => replacement.to_string(),
    }
}

fn substitution(
    rule: &Rule,
    swaps: &[Swap],
    combined: &Alternation,
    exceptions: Option<&Alternation>,
    applicability: Applicability,
    cx: &Cx<'_>,
    out: &mut Vec<Finding>,
) {
    let text = cx.scan.text;
    if !combined.may_match(cx.scan) {
        return;
    }
    let starts = combined.starts(cx.scan);
    for unit in units(cx, rule.scope).iter() {
        for span in unit {
            if !cx.scan.may_hold(starts, span) {
                continue;
            }
            let slice = &text[span.clone()];
            let hits = combined.matches(cx.scan, span);
            if hits.is_empty() {
                continue;
            }
            let excepted: Vec<std::ops::Range<usize>> = exceptions
                .map(|e| {
                    e.matches(cx.scan, span)
                        .into_iter()
                        .map(|(_, m)| m)
                        .collect()
                })
                .unwrap_or_default();
            for (i, m) in hits {
                if i >= swaps.len()
                    || m.is_empty()
                    || excepted.iter().any(|e| e.start < m.end && m.start < e.end)
                {
                    continue;
                }
                let abs = span.start + m.start..span.start + m.end;
                let matched = &slice[m];
                let replacement = match_case(matched, &swaps[i].replacement);
                if replacement.eq_ignore_ascii_case(matched) {
                    continue;
                }
                let mut f = finding(
                    rule,
                    abs.clone(),
                    &Vars {
                        matched: Some(matched.trim()),
                        replacement: Some(&replacement),
                        ..Vars::default()
                    },
                );
                f.fix = Some(Fix {
                    edits: vec![Edit {
                        span: abs,
                        replacement,
                    }],
                    applicability,
                });
                out.push(f);
            }
        }
    }
}

fn occurrence(
    rule: &Rule,
    matcher: &Matcher,
    min: Option<f64>,
    max: Option<f64>,
    cx: &Cx<'_>,
    out: &mut Vec<Finding>,
) {
    let text = cx.scan.text;
    let starts = matcher.starts(cx.scan);
    for unit in units(cx, rule.scope).iter() {
        let mut found: Vec<Span> = Vec::new();
        for span in unit {
            if !cx.scan.may_hold(starts, span) {
                continue;
            }
            for m in matcher.find_all_in(cx.scan, span) {
                found.push(span.start + m.start..span.start + m.end);
            }
        }
        let count = found.len() as f64;
        if let Some(max) = max.filter(|&m| count > m.max(0.0)) {
            let first_excess = max.max(0.0) as usize;
            let mut f = finding(
                rule,
                found[first_excess].clone(),
                &Vars {
                    matched: Some(&text[found[first_excess].clone()]),
                    count: Some(fmt_num(count)),
                    limit: Some(fmt_num(max)),
                    ..Vars::default()
                },
            );
            f.related = found
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != first_excess)
                .map(|(_, s)| (s.clone(), "also here".to_string()))
                .collect();
            out.push(f);
        } else if let Some(min) = min.filter(|&m| count < m) {
            out.push(finding(
                rule,
                unit_span(unit, cx.letter),
                &Vars {
                    count: Some(fmt_num(count)),
                    limit: Some(fmt_num(min)),
                    ..Vars::default()
                },
            ));
        }
    }
}

/// Estimates syllables in an English word.
fn syllables(word: &str) -> usize {
    let w: Vec<char> = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if w.is_empty() {
        return 0;
    }
    let vowel = |c: char| "aeiouy".contains(c);
    let mut count = 0;
    let mut prev = false;
    for &c in &w {
        let v = vowel(c);
        if v && !prev {
            count += 1;
        }
        prev = v;
    }
    if w.len() > 2 && w.ends_with(&['e']) && !w.ends_with(&['l', 'e']) && count > 1 {
        count -= 1;
    }
    count.max(1)
}

/// The sentences of the letter that lie inside a unit, in order. The sentences
/// are in order and apart; when the unit's spans are too, each span finds its
/// sentences by binary search, else each sentence is looked up (a long letter
/// is not quadratic either way).
fn sentences_in<'a>(l: &'a Letter, unit: &[Span]) -> Vec<&'a Span> {
    if !unit.windows(2).all(|w| w[0].end <= w[1].start) {
        let within = Within::new(unit);
        return l.sentences.iter().filter(|s| within.holds(s)).collect();
    }
    let mut out = Vec::new();
    for u in unit {
        let from = l.sentences.partition_point(|s| s.start < u.start);
        for s in &l.sentences[from..] {
            if s.start >= u.end {
                break;
            }
            if s.end <= u.end {
                out.push(s);
            }
        }
    }
    out
}

/// Words in a span of the letter.
fn words_at(cx: &Cx<'_>, span: &Span) -> usize {
    cx.words
        .get_or_init(|| WordStarts::new(&cx.letter.text))
        .count(&cx.letter.text, &(span.start..span.end))
}

fn metric_rule(
    rule: &Rule,
    metric: Metric,
    min: Option<f64>,
    max: Option<f64>,
    cx: &Cx<'_>,
    out: &mut Vec<Finding>,
) {
    let l = cx.letter;
    for unit in units(cx, rule.scope).iter() {
        let words = || unit.iter().map(|s| words_at(cx, s)).sum::<usize>();
        let sentence_words = || -> Vec<usize> {
            sentences_in(l, unit)
                .into_iter()
                .map(|s| words_at(cx, s))
                .collect()
        };
        let value = match metric {
            Metric::Words => words() as f64,
            Metric::Sentences => sentences_in(l, unit).len() as f64,
            Metric::Characters => unit
                .iter()
                .map(|s| l.slice(s).chars().filter(|c| !c.is_whitespace()).count())
                .sum::<usize>() as f64,
            Metric::AvgSentenceWords => {
                let sentence_words = sentence_words();
                if sentence_words.is_empty() {
                    0.0
                } else {
                    sentence_words.iter().sum::<usize>() as f64 / sentence_words.len() as f64
                }
            }
            Metric::MaxSentenceWords => sentence_words().into_iter().max().unwrap_or(0) as f64,
            Metric::ReadingEase => {
                let w = words() as f64;
                let s = sentences_in(l, unit).len().max(1) as f64;
                let syl: usize = unit
                    .iter()
                    .flat_map(|sp| l.slice(sp).split_whitespace())
                    .map(syllables)
                    .sum();
                if w == 0.0 {
                    100.0
                } else {
                    206.835 - 1.015 * (w / s) - 84.6 * (syl as f64 / w)
                }
            }
        };
        let (limit, over) = if let Some(m) = max.filter(|&m| value > m) {
            (m, true)
        } else if let Some(m) = min.filter(|&m| value < m) {
            (m, false)
        } else {
            continue;
        };
        // For a long unit, point at the sentence where the limit is crossed.
        let mut span = unit_span(unit, l);
        if over && metric == Metric::Words && unit.len() > 1
            || (over
                && l.sentences.len() > 1
                && matches!(rule.scope, Scope::Body | Scope::Letter)
                && metric == Metric::Words)
        {
            let mut total = 0usize;
            for s in sentences_in(l, unit) {
                total += words_at(cx, s);
                if total as f64 > limit {
                    span = s.clone();
                    break;
                }
            }
        }
        out.push(finding(
            rule,
            span,
            &Vars {
                count: Some(fmt_num(value)),
                limit: Some(fmt_num(limit)),
                ..Vars::default()
            },
        ));
    }
}

/// Where a condition is first met in the scope.
fn condition_at(cond: &Condition, cx: &Cx<'_>, scope: Scope) -> Option<Span> {
    let l = cx.letter;
    if let Some(mv) = cond.mv {
        let scope_units = units(cx, scope);
        let within = Within::new(scope_units.spans());
        let hit = l
            .sentences
            .iter()
            .zip(&cx.moves.sentences)
            .filter(|(s, _)| within.holds(s))
            .find(|(_, mask)| *mask & (1 << mv) != 0)
            .map(|(s, _)| s.clone());
        if hit.is_some() {
            return hit;
        }
        if cx.moves.signoff & (1 << mv) != 0 {
            return l.signoff.clone();
        }
    }
    if !cond.matcher.is_empty() {
        for unit in units(cx, scope).iter() {
            for span in unit {
                if let Some(m) = cond.matcher.find_all_in(cx.scan, span).first() {
                    return Some(span.start + m.start..span.start + m.end);
                }
            }
        }
    }
    None
}

/// Tells whether a span lies inside one of a scope's spans, which come in
/// order of their starts. A long letter has thousands of paragraphs and
/// sentences: each sentence is looked up, not checked against every span.
struct Within<'a> {
    spans: &'a [Span],
    /// The furthest end among `spans[..=i]`; left empty for a few spans,
    /// which are checked one by one.
    reach: Vec<usize>,
}

impl<'a> Within<'a> {
    /// Up to this many spans are checked one by one.
    const FEW: usize = 8;

    fn new(spans: &'a [Span]) -> Within<'a> {
        debug_assert!(spans.windows(2).all(|w| w[0].start <= w[1].start));
        let reach = if spans.len() <= Self::FEW {
            Vec::new()
        } else {
            spans
                .iter()
                .scan(0, |far, u| {
                    *far = u.end.max(*far);
                    Some(*far)
                })
                .collect()
        };
        Within { spans, reach }
    }

    /// True when `s` lies inside one of the spans: one that starts at or
    /// before it and reaches its end.
    fn holds(&self, s: &Span) -> bool {
        if self.reach.is_empty() {
            return self
                .spans
                .iter()
                .any(|u| u.start <= s.start && s.end <= u.end);
        }
        let before = self.spans.partition_point(|u| u.start <= s.start);
        before > 0 && self.reach[before - 1] >= s.end
    }
}

fn conditional(
    rule: &Rule,
    first: &Condition,
    second: &Condition,
    cx: &Cx<'_>,
    out: &mut Vec<Finding>,
) {
    if let Some(at) = condition_at(first, cx, rule.scope) {
        if condition_at(second, cx, rule.scope).is_none() {
            let matched = cx.letter.slice(&at).to_string();
            out.push(finding(
                rule,
                at,
                &Vars {
                    matched: Some(&matched),
                    ..Vars::default()
                },
            ));
        }
    }
}

fn move_rule(
    rule: &Rule,
    mv: usize,
    min: Option<f64>,
    max: Option<f64>,
    position: Position,
    cx: &Cx<'_>,
    out: &mut Vec<Finding>,
) {
    let l = cx.letter;
    let name = cx.move_set.names()[mv].as_str();
    // Structural moves are present or not.
    let (places, structural): (Vec<Span>, bool) = match name {
        "greeting" => (l.greeting.iter().cloned().collect(), true),
        "signoff" => (l.signoff.iter().cloned().collect(), true),
        "signature" => (
            l.signature.first().iter().map(|s| (*s).clone()).collect(),
            true,
        ),
        _ => {
            let scope_units = units(cx, rule.scope);
            let within = Within::new(scope_units.spans());
            let mut places: Vec<Span> = l
                .sentences
                .iter()
                .zip(&cx.moves.sentences)
                .filter(|(_, mask)| *mask & (1 << mv) != 0)
                .filter(|(s, _)| within.holds(s))
                .map(|(s, _)| s.clone())
                .collect();
            if cx.moves.signoff & (1 << mv) != 0 {
                places.extend(l.signoff.clone());
            }
            (places, false)
        }
    };
    debug_assert!(structural == STRUCTURAL.contains(&name));
    let count = places.len() as f64;
    if let Some(max) = max.filter(|&m| count > m.max(0.0)) {
        let first_excess = max.max(0.0) as usize;
        let mut f = finding(
            rule,
            places[first_excess].clone(),
            &Vars {
                count: Some(fmt_num(count)),
                limit: Some(fmt_num(max)),
                matched: Some(l.slice(&places[first_excess])),
                ..Vars::default()
            },
        );
        f.related = places
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != first_excess)
            .map(|(_, s)| (s.clone(), format!("{name} here too")))
            .collect();
        out.push(f);
    } else if let Some(min) = min.filter(|&m| count < m) {
        let span = missing_move_span(l, name, position);
        out.push(finding(
            rule,
            span,
            &Vars {
                count: Some(fmt_num(count)),
                limit: Some(fmt_num(min)),
                ..Vars::default()
            },
        ));
    }
}

/// Where a missing move belongs: the opening or closing sentence, or for the
/// structural moves the place the part would stand.
fn missing_move_span(l: &Letter, name: &str, position: Position) -> Span {
    let first = l.sentences.first().cloned();
    let last = l.sentences.last().cloned();
    let span = match (name, position) {
        // A missing greeting belongs before the first sentence.
        ("greeting", _) => first,
        ("signature", _) => l.signoff.clone().or(last),
        (_, Position::Opening) => first,
        (_, Position::Closing) => last,
    };
    span.unwrap_or_else(|| fallback_span(l))
}

#[cfg(test)]
mod tests {
    use super::{Units, Within};
    use proptest::prelude::*;
    use std::borrow::Cow;

    proptest! {
        /// The lookup agrees with checking every span, for spans in order
        /// of their starts that may overlap, nest or be empty.
        #[test]
        fn within_agrees_with_checking_every_span(
            mut spans in proptest::collection::vec((0usize..60, 0usize..20), 0..24)
                .prop_map(|v| v.into_iter().map(|(a, n)| a..a + n).collect::<Vec<_>>()),
            a in 0usize..80,
            n in 0usize..30,
        ) {
            spans.sort_by_key(|s| s.start);
            let s = a..a + n;
            let plain = spans.iter().any(|u| u.start <= s.start && s.end <= u.end);
            prop_assert_eq!(Within::new(&spans).holds(&s), plain);
        }
    }

    fn units(spans: &[std::ops::Range<usize>], one: bool) -> Vec<Vec<std::ops::Range<usize>>> {
        let units = Units {
            spans: Cow::Borrowed(spans),
            one,
        };
        units.iter().map(<[_]>::to_vec).collect()
    }

    /// A scope of one unit has it even with no spans (an empty letter is
    /// still a letter to check); otherwise each span is a unit.
    #[test]
    fn units_are_one_of_all_spans_or_one_a_span() {
        assert_eq!(units(&[0..2, 5..9], true), vec![vec![0..2, 5..9]]);
        assert_eq!(units(&[], true), vec![Vec::<std::ops::Range<usize>>::new()]);
        assert_eq!(units(&[0..2, 5..9], false), vec![vec![0..2], vec![5..9]]);
        assert!(units(&[], false).is_empty());
    }
}
