//! Parts that match whole words or phrases from a fixed list, such as
//! `\bthank\b` (what a token becomes), `\bappreciat(?:e|ed|ion)\b` or
//! `\b(?:a|this) toxic (?:culture|workplace)\b`.
//!
//! Where the literal index has found every occurrence of such a part's
//! phrases (one- and two-byte words are looked for directly), the part
//! matches exactly those occurrences that have a word boundary at both ends:
//! no regex needs to run. The phrases are ASCII
//! (or characters without case, such as a curly apostrophe), and each starts
//! and ends with an ASCII letter, digit or `_`. Single words never
//! overlap, so at most one of them matches at a position; phrases can
//! ("thank" and "thank you"), and then which one the regex takes depends on
//! how it is written, so a caller that needs the matches themselves (not just
//! whether there is one) must check that the occurrences do not overlap.

use super::mini::uncased;
use super::syntax::{self, Class, Look, Node};

/// At most this many phrases; larger sets are left to the regex.
const MAX_WORDS: usize = 64;
/// At most this many characters in a bracketed set.
const MAX_SET: usize = 4;

/// The phrases a part matches, and how their case is compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Words {
    /// As written; sorted, without repeats.
    pub words: Vec<String>,
    /// Matched in any ASCII case (the letter holds no character that case
    /// folding maps onto an ASCII letter, or the index would not be used).
    pub ci: bool,
}

impl Words {
    /// Reads a pattern; `None` unless it is exactly `\b(one of the phrases)\b`.
    pub(crate) fn of(pattern: &str, ignorecase: bool) -> Option<Words> {
        let tree = syntax::parse(pattern, ignorecase)?;
        if !tree.exact {
            return None;
        }
        let mut ci = None;
        let mut words = bounded(&tree.node, &mut ci)?;
        words.sort();
        words.dedup();
        let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        if words.is_empty()
            || !words
                .iter()
                .all(|w| word(w.as_bytes().first()) && word(w.as_bytes().last()))
        {
            return None;
        }
        Some(Words {
            words,
            // Words without letters match the same either way.
            ci: ci.unwrap_or(true),
        })
    }

    /// The words, ASCII-lowercased, sorted and without repeats: what the
    /// index looks for.
    pub(crate) fn lowercased(&self) -> Vec<String> {
        let mut v: Vec<String> = self.words.iter().map(|w| w.to_ascii_lowercase()).collect();
        v.sort();
        v.dedup();
        v
    }

    /// True when `found` (text the index found, equal to one of the words in
    /// ASCII case) is one of the words as the part compares case.
    pub(crate) fn accepts(&self, found: &str) -> bool {
        self.ci
            || self
                .words
                .binary_search_by(|w| w.as_str().cmp(found))
                .is_ok()
    }
}

/// How the strings of a node are read.
type Reader = fn(&Node, &mut Option<bool>) -> Option<Vec<String>>;

/// `\b…\b` around a set of words, or alternatives of that.
fn bounded(node: &Node, ci: &mut Option<bool>) -> Option<Vec<String>> {
    match node {
        Node::Group { node, .. } => bounded(node, ci),
        Node::Alt(alts) => union(alts, ci, bounded),
        Node::Concat(nodes) => match nodes.as_slice() {
            [Node::Look(Look::WordBoundary), inner @ .., Node::Look(Look::WordBoundary)] => {
                concat(inner, ci, strings)
            }
            _ => None,
        },
        _ => None,
    }
}

/// The strings a node without assertions matches.
fn strings(node: &Node, ci: &mut Option<bool>) -> Option<Vec<String>> {
    match node {
        Node::Empty => Some(vec![String::new()]),
        Node::Lit { c, ci: fold } => Some(vec![word_text(&c.to_string(), *fold, ci)?]),
        Node::Str { s, ci: fold } => Some(vec![word_text(s, *fold, ci)?]),
        Node::Group { node, .. } => strings(node, ci),
        Node::Class(class) => set_chars(class, ci),
        Node::Concat(nodes) => concat(nodes, ci, strings),
        Node::Alt(alts) => union(alts, ci, strings),
        // `x?` and `x??`
        Node::Repeat {
            node,
            min: 0,
            max: Some(1),
            ..
        } => {
            let mut set = strings(node, ci)?;
            set.push(String::new());
            Some(set)
        }
        _ => None,
    }
}

/// `s` when it is printable ASCII or characters without case (a curly
/// apostrophe, a dash), noting how its letters compare case (every part of
/// the pattern must agree).
fn word_text(s: &str, fold: bool, ci: &mut Option<bool>) -> Option<String> {
    let plain = |c: char| {
        (' '..='~').contains(&c)
            || (!c.is_ascii() && !c.is_whitespace() && !c.is_control() && uncased(c))
    };
    if !s.chars().all(plain) {
        return None;
    }
    if s.bytes().any(|b| b.is_ascii_alphabetic()) {
        match *ci {
            Some(seen) if seen != fold => return None,
            _ => *ci = Some(fold),
        }
    }
    Some(s.to_string())
}

/// The characters of a small bracketed set such as `[- ]` or `[sz]`.
fn set_chars(class: &Class, ci: &mut Option<bool>) -> Option<Vec<String>> {
    let Class::Set {
        ranges,
        perls,
        props,
        negated: false,
        ci: fold,
    } = class
    else {
        return None;
    };
    if !perls.is_empty() || !props.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for &(lo, hi) in ranges {
        if (hi as u32).saturating_sub(lo as u32) >= MAX_SET as u32 {
            return None;
        }
        for c in lo..=hi {
            out.push(word_text(&c.to_string(), *fold, ci)?);
        }
    }
    (out.len() <= MAX_SET).then_some(out)
}

/// Every string of the first node followed by every string of the next, …
fn concat(nodes: &[Node], ci: &mut Option<bool>, read: Reader) -> Option<Vec<String>> {
    let mut set = vec![String::new()];
    for n in nodes {
        let next = read(n, ci)?;
        if set.len() * next.len() > MAX_WORDS {
            return None;
        }
        set = set
            .iter()
            .flat_map(|x| next.iter().map(move |y| format!("{x}{y}")))
            .collect();
    }
    Some(set)
}

/// The strings of any of the alternatives.
fn union(alts: &[Node], ci: &mut Option<bool>, read: Reader) -> Option<Vec<String>> {
    let mut all = Vec::new();
    for a in alts {
        all.extend(read(a, ci)?);
        if all.len() > MAX_WORDS {
            return None;
        }
    }
    Some(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(p: &str) -> Option<Vec<String>> {
        Words::of(p, true).map(|w| w.words)
    }

    #[test]
    fn reads_word_lists() {
        assert_eq!(of(r"\bthank\b"), Some(vec!["thank".into()]));
        assert_eq!(
            of(r"\bappreciat(?:e|ed|ion)\b"),
            Some(vec![
                "appreciate".into(),
                "appreciated".into(),
                "appreciation".into()
            ])
        );
        assert_eq!(
            of(r"\b(?:a|this) low[- ]?ball\b"),
            Some(
                [
                    "a low ball",
                    "a low-ball",
                    "a lowball",
                    "this low ball",
                    "this low-ball",
                    "this lowball"
                ]
                .map(String::from)
                .to_vec()
            )
        );
        assert_eq!(
            of(r"\bcan['’]t\b"),
            Some(vec!["can't".into(), "can’t".into()])
        );
        assert_eq!(
            of(r"\bsorry\b|\b(?:regret)s?\b"),
            Some(vec!["regret".into(), "regrets".into(), "sorry".into()])
        );
        let shout = Words::of(r"\b(?:NOT|NO)\b", false).unwrap();
        assert!(!shout.ci);
        assert!(shout.accepts("NOT") && !shout.accepts("not"));
        assert!(Words::of(r"\bthank\b", true).unwrap().accepts("THANK"));
    }

    #[test]
    fn refuses_what_is_not_a_word_list() {
        for p in [
            r"thank",
            r"\bthank",
            r"\bthank\s+you\b",
            r"\bthank \b",
            r"\b(?:x|-y)\b",
            r"\bco[^x]op\b",
            r"\bthanks?\w*\b",
            r"\bthank\nyou\b",
            r"\bcafé\b",
            r"\b\p{Lu}{2,}\b",
            r"(?-u:\b)thank(?-u:\b)",
            r"\b(?:x|)\b",
            r"\b(?-i:Ya)(?i:ur)\b",
        ] {
            assert_eq!(of(p), None, "{p}");
        }
    }
}
