//! What text a pattern needs: literal strings that every match must contain.
//!
//! A conservative reading of a parsed pattern. It finds clauses of literal
//! strings such that every match contains at least one string of every clause.
//! The strings are ASCII-lowercased, so they can be looked for in text
//! lowercased the same way. Anything it does not fully understand contributes
//! no clause, so the answer is always safe: a text without the needed strings
//! cannot match, and a pattern with no clauses can match anything.
//!
//! It also tells whether a pattern's groups are balanced as written, which the
//! rule loader uses to know that a pattern valid inside an alternation is valid
//! on its own.
//!
//! Strings under construction live in one buffer ([`Arena`]) and are handled as
//! spans into it: the analysis runs for every pattern of every rule at start-up,
//! so it must not allocate per string.

use super::syntax::{self, Class, Node, Prop};

/// At most this many strings in a set of exact strings.
const MAX_EXACT: usize = 24;
/// At most this long, an exact string (longer ones are cut to a clause).
const MAX_LEN: usize = 48;
/// At most this many clauses are kept per pattern (the most selective ones).
const MAX_CLAUSES: usize = 3;
/// At most this many strings in one clause.
const MAX_CLAUSE: usize = 64;

/// What the analysis found out about one pattern.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Needs {
    /// Every match contains one string of each clause (ASCII-lowercased).
    pub clauses: Vec<Vec<String>>,
    /// The source parsed cleanly, with balanced groups and classes: wrapped in
    /// `(?:…)` it means the same as on its own.
    pub balanced: bool,
}

/// Reads a pattern. Never fails: what it cannot read yields no clauses.
pub fn needs(pattern: &str) -> Needs {
    match syntax::parse(pattern, false) {
        Some(tree) => needs_of(&tree.node),
        None => Needs::default(),
    }
}

/// The needs of a parsed pattern.
pub fn needs_of(node: &Node) -> Needs {
    let mut a = Arena::default();
    let mut clauses = match a.info(node) {
        Info::Exact(set) => a.clause_of(set).into_iter().collect(),
        Info::Inexact(i) => i.clauses,
    };
    // Most selective first: the clause whose shortest string is longest.
    clauses.sort_by_key(|c| std::cmp::Reverse(c.iter().map(|s| s.len).min().unwrap_or(0)));
    clauses.dedup_by(|x, y| a.same_set(x, y));
    clauses.truncate(MAX_CLAUSES);
    Needs {
        clauses: clauses
            .iter()
            .map(|c| c.iter().map(|&s| a.get(s).to_string()).collect())
            .collect(),
        balanced: true,
    }
}

/// A string in the [`Arena`].
#[derive(Debug, Clone, Copy)]
struct S {
    start: u32,
    len: u32,
}

const EMPTY: S = S { start: 0, len: 0 };

impl S {
    fn is_empty(self) -> bool {
        self.len == 0
    }
}

type Set = Vec<S>;

/// The strings a node matches.
#[derive(Debug, Clone)]
enum Info {
    /// Exactly one of these strings (sorted, no duplicates; may hold "").
    Exact(Set),
    Inexact(Inexact),
}

/// Unknown strings, described by what they must contain.
#[derive(Debug, Clone, Default)]
struct Inexact {
    /// Each match contains one string of every clause.
    clauses: Vec<Set>,
    /// Each match starts with one of these (never holds "").
    prefix: Option<Set>,
    /// Each match ends with one of these (never holds "").
    suffix: Option<Set>,
}

/// A node that matches one unknown character (or more).
fn any() -> Info {
    Info::Inexact(Inexact::default())
}

/// The buffer that holds every string of one analysis.
#[derive(Default)]
struct Arena {
    buf: Vec<u8>,
}

impl Arena {
    fn bytes(&self, s: S) -> &[u8] {
        &self.buf[s.start as usize..(s.start + s.len) as usize]
    }

    fn get(&self, s: S) -> &str {
        // Only whole UTF-8 strings are ever appended.
        std::str::from_utf8(self.bytes(s)).unwrap_or_default()
    }

    fn add(&mut self, text: &str) -> S {
        let start = self.buf.len() as u32;
        self.buf.extend_from_slice(text.as_bytes());
        S {
            start,
            len: text.len() as u32,
        }
    }

    fn join(&mut self, a: S, b: S) -> S {
        let start = self.buf.len() as u32;
        let (a0, b0) = (a.start as usize, b.start as usize);
        self.buf.extend_from_within(a0..a0 + a.len as usize);
        self.buf.extend_from_within(b0..b0 + b.len as usize);
        S {
            start,
            len: a.len + b.len,
        }
    }

    fn sort_dedup(&self, set: &mut Set) {
        if set.len() > 1 {
            set.sort_unstable_by(|x, y| self.bytes(*x).cmp(self.bytes(*y)));
            set.dedup_by(|x, y| self.bytes(*x) == self.bytes(*y));
        }
    }

    fn same_set(&self, x: &Set, y: &Set) -> bool {
        x.len() == y.len()
            && x.iter()
                .zip(y)
                .all(|(a, b)| self.bytes(*a) == self.bytes(*b))
    }

    /// The clause an exact set gives: none when it holds the empty string.
    fn clause_of(&self, set: Set) -> Option<Set> {
        (!set.iter().any(|s| s.is_empty()) && set.len() <= MAX_CLAUSE).then_some(set)
    }

    /// Every string of `a` followed by every string of `b`, if that stays small.
    fn product(&mut self, a: &[S], b: &[S]) -> Option<Set> {
        if a.len() * b.len() > MAX_EXACT
            || a.iter()
                .any(|p| b.iter().any(|q| (p.len + q.len) as usize > MAX_LEN))
        {
            return None;
        }
        let mut out = Vec::with_capacity(a.len() * b.len());
        for &p in a {
            for &q in b {
                out.push(if q.is_empty() {
                    p
                } else if p.is_empty() {
                    q
                } else {
                    self.join(p, q)
                });
            }
        }
        self.sort_dedup(&mut out);
        Some(out)
    }

    /// A literal character as a one-string set, or an unknown character.
    fn char_info(&mut self, c: char) -> Info {
        let mut buf = [0u8; 4];
        match literal_str(c, &mut buf) {
            Some(s) => Info::Exact(vec![self.add(s)]),
            None => any(),
        }
    }

    fn info(&mut self, node: &Node) -> Info {
        match node {
            Node::Empty | Node::Look(_) => Info::Exact(vec![EMPTY]),
            Node::Lit { c, .. } => self.char_info(*c),
            Node::Str { .. } => {
                let mut seq = Concat::new();
                seq.push_node(self, node);
                seq.finish(self)
            }
            Node::Class(class) => self.class_info(class),
            Node::Concat(items) => {
                let mut seq = Concat::new();
                for item in items {
                    seq.push_node(self, item);
                }
                seq.finish(self)
            }
            Node::Alt(branches) => {
                let infos = branches.iter().map(|b| self.info(b)).collect();
                self.alternate(infos)
            }
            Node::Repeat { node, min, max, .. } => {
                let inner = self.info(node);
                self.repeat(inner, *min, *max)
            }
            Node::Group { node, .. } => self.info(node),
        }
    }

    /// A small set of plain characters gives its strings; any other class is one
    /// unknown character.
    fn class_info(&mut self, class: &Class) -> Info {
        let Class::Set {
            ranges,
            perls,
            props,
            negated: false,
            ..
        } = class
        else {
            return any();
        };
        if !perls.is_empty() || !props.is_empty() {
            return any();
        }
        let mut set = Vec::new();
        let mut buf = [0u8; 4];
        for &(lo, hi) in ranges {
            if (hi as u32) - (lo as u32) > 10 {
                return any();
            }
            for c in lo..=hi {
                match literal_str(c, &mut buf) {
                    Some(s) => set.push(self.add(s)),
                    None => return any(),
                }
                if set.len() > 10 {
                    return any();
                }
            }
        }
        self.sort_dedup(&mut set);
        Info::Exact(set)
    }

    /// The one clause that best sums up a node, if it has one.
    fn best_clause(&self, info: &Info) -> Option<Set> {
        match info {
            Info::Exact(set) => self.clause_of(set.clone()),
            Info::Inexact(a) => a
                .clauses
                .iter()
                .max_by_key(|c| c.iter().map(|s| s.len).min().unwrap_or(0))
                .cloned(),
        }
    }

    /// The union of one set per branch, if every branch has one.
    fn union_of(&self, sets: impl Iterator<Item = Option<Set>>) -> Option<Set> {
        let mut all = Vec::new();
        for s in sets {
            all.extend(s?);
        }
        self.sort_dedup(&mut all);
        (all.len() <= MAX_CLAUSE).then_some(all)
    }

    fn alternate(&mut self, branches: Vec<Info>) -> Info {
        let all_exact = branches.iter().all(|b| matches!(b, Info::Exact(_)));
        if all_exact {
            let mut all: Set = branches
                .iter()
                .flat_map(|b| match b {
                    Info::Exact(set) => set.clone(),
                    Info::Inexact(_) => Vec::new(),
                })
                .collect();
            self.sort_dedup(&mut all);
            if all.len() <= MAX_EXACT {
                return Info::Exact(all);
            }
            // Too many to carry on exactly: one set is the clause and both ends.
            let set = self.clause_of(all);
            return Info::Inexact(Inexact {
                clauses: set.iter().cloned().collect(),
                prefix: set.clone(),
                suffix: set,
            });
        }
        let ends = |suffix: bool| {
            self.union_of(branches.iter().map(|b| match b {
                Info::Exact(set) => self.clause_of(set.clone()),
                Info::Inexact(a) if suffix => a.suffix.clone(),
                Info::Inexact(a) => a.prefix.clone(),
            }))
        };
        Info::Inexact(Inexact {
            prefix: ends(false),
            suffix: ends(true),
            clauses: self
                .union_of(branches.iter().map(|b| self.best_clause(b)))
                .into_iter()
                .collect(),
        })
    }

    fn repeat(&mut self, info: Info, min: u32, max: Option<u32>) -> Info {
        match (min, max) {
            (1, Some(1)) => info,
            (0, Some(1)) => match info {
                Info::Exact(mut set) => {
                    if !set.iter().any(|s| s.is_empty()) {
                        set.insert(0, EMPTY);
                    }
                    Info::Exact(set)
                }
                Info::Inexact(_) => any(),
            },
            (0, _) => any(),
            // One or more: each match starts and ends like one repetition.
            _ => match info {
                Info::Exact(set) => {
                    let set = self.clause_of(set);
                    Info::Inexact(Inexact {
                        clauses: set.iter().cloned().collect(),
                        prefix: set.clone(),
                        suffix: set,
                    })
                }
                other => other,
            },
        }
    }
}

/// Reads a sequence left to right, keeping a run of exact strings (the text
/// just before the current position) as long as the cross product stays small.
struct Concat {
    run: Set,
    /// Still in the exact stretch the sequence starts with.
    at_start: bool,
    prefix: Option<Set>,
    clauses: Vec<Set>,
    inexact: bool,
}

impl Concat {
    fn new() -> Concat {
        Concat {
            run: vec![EMPTY],
            at_start: true,
            prefix: None,
            clauses: Vec::new(),
            inexact: false,
        }
    }

    /// Appends literal text to every string of the run.
    fn push_str(&mut self, a: &mut Arena, s: &str) {
        let lit = a.add(s);
        if self
            .run
            .iter()
            .all(|r| (r.len + lit.len) as usize <= MAX_LEN)
        {
            // The same ending keeps the run sorted and distinct.
            for r in &mut self.run {
                *r = if r.is_empty() { lit } else { a.join(*r, lit) };
            }
        } else {
            self.push(a, Info::Exact(vec![lit]));
        }
    }

    /// Appends a node, plain characters without building sets for each.
    fn push_node(&mut self, a: &mut Arena, node: &Node) {
        let mut buf = [0u8; 4];
        match node {
            Node::Str { s, .. } => {
                // Whole stretches of literal characters at once.
                let mut lit = String::with_capacity(s.len());
                for c in s.chars() {
                    match literal_str(c, &mut buf) {
                        Some(l) => lit.push_str(l),
                        None => {
                            if !lit.is_empty() {
                                self.push_str(a, &lit);
                                lit.clear();
                            }
                            self.push(a, any());
                        }
                    }
                }
                if !lit.is_empty() {
                    self.push_str(a, &lit);
                }
            }
            other => {
                let info = a.info(other);
                self.push(a, info);
            }
        }
    }

    /// Ends the run: it becomes a clause (and the prefix, at the start).
    fn flush(&mut self, a: &Arena) {
        let run = std::mem::replace(&mut self.run, vec![EMPTY]);
        if self.at_start {
            self.prefix = a.clause_of(run.clone());
            self.at_start = false;
        }
        self.clauses.extend(a.clause_of(run));
    }

    fn push(&mut self, a: &mut Arena, atom: Info) {
        match atom {
            Info::Exact(y) => match a.product(&self.run, &y) {
                Some(run) => self.run = run,
                None => {
                    self.inexact = true;
                    self.flush(a);
                    self.run = y;
                }
            },
            Info::Inexact(i) => {
                self.inexact = true;
                // The run is followed right away by one of the atom's prefixes.
                match i.prefix.as_ref().and_then(|p| a.product(&self.run, p)) {
                    Some(joined) => self.run = joined,
                    None => {
                        self.flush(a);
                        if let Some(p) = i.prefix {
                            self.clauses.push(p);
                        }
                    }
                }
                self.flush(a);
                self.clauses.extend(i.clauses);
                self.run = i.suffix.unwrap_or_else(|| vec![EMPTY]);
            }
        }
    }

    fn finish(mut self, a: &Arena) -> Info {
        if !self.inexact {
            return Info::Exact(self.run);
        }
        let suffix = a.clause_of(self.run.clone());
        self.flush(a);
        Info::Inexact(Inexact {
            clauses: self.clauses,
            prefix: self.prefix,
            suffix,
        })
    }
}

/// A literal character as it can be looked for in lowercased text, or `None`
/// when case folding might match it with other characters.
fn literal_str(c: char, buf: &mut [u8; 4]) -> Option<&str> {
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase().encode_utf8(buf));
    }
    let uncased = !c.is_alphabetic()
        && c.to_lowercase().eq(std::iter::once(c))
        && c.to_uppercase().eq(std::iter::once(c));
    uncased.then(|| &*c.encode_utf8(buf))
}

/// What every match of a pattern needs besides its literals, read off one
/// parse (see [`char_needs`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct CharNeeds {
    /// Two capitals in a row: two adjacent characters for which
    /// [`is_capital`] holds (capitals from the ASCII range, or letters from
    /// beyond it that are not lower case).
    pub two_capitals: bool,
    /// A character beyond ASCII (as the emoji patterns do): a text that is
    /// all ASCII cannot match.
    pub non_ascii: bool,
}

/// What every match of `pattern` needs, read conservatively: no need
/// whenever unsure. Two capitals: from literal pairs, repetitions of a
/// capital class and adjacent items that end and begin with capitals, never
/// for anything matched without regard to case. A character beyond ASCII:
/// from a literal beyond ASCII, a class of characters all beyond ASCII, or
/// any sequence, repetition (at least once) or alternation (in every branch)
/// of them. Both only from a tree the parser reads exactly.
pub fn char_needs(pattern: &str, ignorecase: bool) -> CharNeeds {
    match syntax::parse(pattern, ignorecase) {
        Some(tree) if tree.exact => CharNeeds {
            two_capitals: capitals(&tree.node),
            non_ascii: non_ascii(&tree.node),
        },
        _ => CharNeeds::default(),
    }
}

#[cfg(test)]
fn needs_two_capitals(pattern: &str, ignorecase: bool) -> bool {
    char_needs(pattern, ignorecase).two_capitals
}

#[cfg(test)]
fn needs_non_ascii(pattern: &str, ignorecase: bool) -> bool {
    char_needs(pattern, ignorecase).non_ascii
}

/// The characters beyond ASCII with an ASCII character among their case
/// mappings (`ß` upper-cases to `SS`, `ſ` and the Kelvin sign fold onto `s`
/// and `k`, the ligatures split into letters), in order: with case ignored,
/// ASCII text can match them. A test checks the list against the standard
/// library's case mappings of every character.
const CASED_FROM_ASCII: [char; 19] = [
    '\u{DF}', '\u{130}', '\u{131}', '\u{149}', '\u{17F}', '\u{1F0}', '\u{1E96}', '\u{1E97}',
    '\u{1E98}', '\u{1E99}', '\u{1E9A}', '\u{212A}', '\u{FB00}', '\u{FB01}', '\u{FB02}', '\u{FB03}',
    '\u{FB04}', '\u{FB05}', '\u{FB06}',
];

/// A character beyond ASCII that nothing in ASCII matches, with case
/// ignored or not.
fn beyond_ascii(c: char, ci: bool) -> bool {
    !(c.is_ascii() || ci && CASED_FROM_ASCII.binary_search(&c).is_ok())
}

/// True when every character from `a` to `b` is [`beyond_ascii`].
fn all_beyond_ascii(a: char, b: char, ci: bool) -> bool {
    !(a.is_ascii() || ci && CASED_FROM_ASCII.iter().any(|c| (a..=b).contains(c)))
}

fn non_ascii(node: &Node) -> bool {
    match node {
        Node::Lit { c, ci } => beyond_ascii(*c, *ci),
        Node::Str { s, ci } => s.chars().any(|c| beyond_ascii(c, *ci)),
        Node::Class(Class::Set {
            ranges,
            perls,
            props,
            negated: false,
            ci,
        }) => {
            perls.is_empty()
                && props.is_empty()
                && !ranges.is_empty()
                && ranges.iter().all(|&(a, b)| all_beyond_ascii(a, b, *ci))
        }
        Node::Concat(items) => items.iter().any(non_ascii),
        Node::Alt(branches) => !branches.is_empty() && branches.iter().all(non_ascii),
        Node::Group { node, .. } => non_ascii(node),
        Node::Repeat { node, min, .. } => *min >= 1 && non_ascii(node),
        _ => false,
    }
}

/// True when `text` has two adjacent characters that [`is_capital`] holds
/// for: a text without them cannot match a pattern that
/// [`CharNeeds::two_capitals`]. (A scan reads this off [`capital_pairs`], made
/// once per letter.)
#[cfg(test)]
pub fn two_capitals(text: &str) -> bool {
    !capital_pairs(text).is_empty()
}

/// Every two adjacent characters of `text` that [`is_capital`] holds for, as
/// (start of the first, end of the second), in order: `text[span]` has two
/// capitals in a row when a pair lies within `span`. (Pairs overlap in runs
/// of capitals; their starts and their ends both rise.)
pub fn capital_pairs(text: &str) -> Vec<(u32, u32)> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let b = text.as_bytes();
    let mut pairs = Vec::new();
    // Where the character before `at` starts, when it may be a capital.
    let mut previous: Option<u32> = None;
    let mut at = 0;
    while at < b.len() {
        // Eight ASCII bytes at once: the high bit of each byte of `upper` is
        // set for `A` to `Z` (adding 0x3f carries a byte from 0x41 on into
        // its high bit, adding 0x25 from 0x5b on, and no ASCII byte carries
        // into the next). With no capital next to another, they are passed.
        if let Some(chunk) = b.get(at..at + 8) {
            let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            if w & HIGH == 0 {
                let upper = (w + 0x3f * ONES) & !(w + 0x25 * ONES) & HIGH;
                let joined = previous.is_some() && upper & 0x80 != 0;
                if upper & (upper >> 8) == 0 && !joined {
                    previous = (upper >> 63 != 0).then_some(at as u32 + 7);
                    at += 8;
                    continue;
                }
            }
        }
        let c = text[at..].chars().next().expect("a character starts here");
        let capital = is_capital(c);
        if let (true, Some(start)) = (capital, previous) {
            pairs.push((start, (at + c.len_utf8()) as u32));
        }
        previous = capital.then_some(at as u32);
        at += c.len_utf8();
    }
    pairs
}

/// A character that may be an upper-case letter (`\p{Lu}`): `A` to `Z`, or
/// any character beyond ASCII except lower-case ones, general punctuation
/// (curly quotes, dashes) and emoji, none of which is an upper-case letter.
fn is_capital(c: char) -> bool {
    c.is_ascii_uppercase()
        || (!c.is_ascii()
            && !c.is_lowercase()
            && !('\u{2000}'..='\u{206F}').contains(&c)
            && !('\u{1F000}'..='\u{1FAFF}').contains(&c))
}

fn capitals(node: &Node) -> bool {
    match node {
        Node::Str { s, ci: false } => {
            let chars: Vec<char> = s.chars().collect();
            chars
                .windows(2)
                .any(|w| is_capital(w[0]) && is_capital(w[1]))
        }
        Node::Concat(items) => {
            items.iter().any(capitals)
                || items
                    .windows(2)
                    .any(|w| edge_is_capital(&w[0], true) && edge_is_capital(&w[1], false))
        }
        Node::Alt(branches) => !branches.is_empty() && branches.iter().all(capitals),
        Node::Group { node, .. } => capitals(node),
        Node::Repeat { node, min, .. } => {
            (*min >= 1 && capitals(node)) || (*min >= 2 && every_char_capital(node))
        }
        _ => false,
    }
}

/// Every character `node` matches (a single one) is a capital.
fn every_char_capital(node: &Node) -> bool {
    match node {
        Node::Lit { c, ci: false } => is_capital(*c),
        Node::Class(Class::Prop(Prop::Upper, false)) => true,
        Node::Class(Class::Set {
            ranges,
            perls,
            props,
            negated: false,
            ci: false,
        }) => {
            perls.is_empty()
                && props.iter().all(|p| *p == (Prop::Upper, false))
                && ranges
                    .iter()
                    .all(|&(a, b)| a.is_ascii_uppercase() && b.is_ascii_uppercase())
        }
        Node::Group { node, .. } => every_char_capital(node),
        _ => false,
    }
}

/// Every match of `node` begins (or, with `end`, ends) with a capital.
fn edge_is_capital(node: &Node, end: bool) -> bool {
    let edge = |n: &Node| edge_is_capital(n, end);
    match node {
        Node::Str { s, ci: false } => {
            let c = if end {
                s.chars().last()
            } else {
                s.chars().next()
            };
            c.is_some_and(is_capital)
        }
        Node::Repeat { node, min, .. } => *min >= 1 && edge(node),
        Node::Concat(items) => (if end { items.last() } else { items.first() }).is_some_and(edge),
        Node::Alt(branches) => !branches.is_empty() && branches.iter().all(edge),
        Node::Group { node, .. } => edge(node),
        other => every_char_capital(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_beyond_ascii_is_read_where_every_match_has_one() {
        for (p, ci) in [
            (
                r"[\x{1F000}-\x{1FAFF}\x{2600}-\x{27BF}][\x{1F3FB}-\x{1F3FF}]?",
                false,
            ),
            (r"[\x{1F000}-\x{1FAFF}]", true),
            (r"caf(?:é|è)", false),
            (r"café", true),
            (r"\b(?:😅|🙂)+", false),
            (r"x[–—]y", false),
        ] {
            assert!(needs_non_ascii(p, ci), "{p} {ci}");
        }
        for (p, ci) in [
            (r"cafe", false),
            (r"caf(?:é|e)", false),
            (r"[é-ö]?x", false),
            (r"[^a-z]", false),
            (r"\w", false),
            (r"\p{Lu}", false),
            (r".", false),
            (r"ſ", true),                   // folds onto `s`
            (r"\x{212A}", true),            // the Kelvin sign folds onto `k`
            (r"[\x{100}-\x{200}]", true),   // holds `ſ`
            (r"[\x{80}-\x{10FFFF}]", true), // holds `ß`, `ſ` and more
            (r"😅*", false),
        ] {
            assert!(!needs_non_ascii(p, ci), "{p} {ci}");
        }
    }

    #[test]
    fn the_characters_cased_from_ascii_are_listed() {
        let found: Vec<char> = ('\u{80}'..=char::MAX)
            .filter(|c| {
                c.to_lowercase().any(|x| x.is_ascii()) || c.to_uppercase().any(|x| x.is_ascii())
            })
            .collect();
        assert_eq!(found, CASED_FROM_ASCII);
        assert!(all_beyond_ascii('\u{E0}', '\u{DE}', true)); // an empty range
        assert!(!all_beyond_ascii('\u{E0}', '\u{200}', true));
        assert!(all_beyond_ascii('\u{E0}', '\u{200}', false));
        assert!(all_beyond_ascii('\u{1F000}', '\u{1FAFF}', true));
        assert!(!all_beyond_ascii('\u{212A}', '\u{212A}', true));
    }

    #[test]
    fn two_capitals_in_a_row_are_read_where_every_match_has_them() {
        for p in [
            r"\b\p{Lu}{2,}\b",
            r"\b\p{Lu}{5,}\b",
            r"\b(?:NOT|NO|DON['’]T|YOU)\b",
            r"[A-Z][A-Z]+",
            r"x(?:AB|CD)y",
            r"(?:[A-Z]\p{Lu})+",
            r"ÉCOLE",
            r"Hello WORLD",
        ] {
            assert!(needs_two_capitals(p, false), "{p}");
        }
        for p in [
            r"\b\p{Lu}{2,}\b", // ignoring case, `\p{Lu}` takes any letter
            r"NOT",
        ] {
            assert!(!needs_two_capitals(p, true), "{p} ignoring case");
        }
        for p in [
            r"\p{Lu}",
            r"[A-Z][a-z]+",
            r"A\bB",
            r"A(?:B)?",
            r"(?:AB|c)",
            r"\p{Lu}{2,}|x",
            r"[A-Za-z]{2}",
            r"[^a-z]{2}",
            r"(?i:AB)",
            r"\w{2}",
            r"(?i)\p{Lu}{2}",
        ] {
            assert!(!needs_two_capitals(p, false), "{p}");
        }
        assert!(two_capitals("say NO"));
        assert!(two_capitals("ÉCOLE"));
        assert!(two_capitals("aÆØb"));
        assert!(!two_capitals("Hello World, I’m here – café 😅 Ünal"));
        assert!(!two_capitals("A"));
    }

    /// The pairs are exactly those a character-by-character look finds,
    /// including across the eight-byte steps of the ASCII fast path.
    #[test]
    fn capital_pairs_are_every_two_adjacent_capitals() {
        let naive = |t: &str| -> Vec<(u32, u32)> {
            let chars: Vec<(usize, char)> = t.char_indices().collect();
            chars
                .windows(2)
                .filter(|w| is_capital(w[0].1) && is_capital(w[1].1))
                .map(|w| (w[0].0 as u32, (w[1].0 + w[1].1.len_utf8()) as u32))
                .collect()
        };
        let mut texts: Vec<String> = [
            "",
            "AB",
            "abcdefgHIjklmnop",
            "abcdefGHijklmnop",
            "abcdefgH",
            "abcdefgHIJKLMNOPQrst",
            "@[`{AZaz@[`{AZaz",
            "aaaaaaaÉCOLEaaaaaaaa",
            "AAAAAAA\u{c9}aaaaaaaa",
            "\u{c6}aaaaaaaBCaaaaaaa",
            "Say NO to THIS – I’m SO done 😅 ÜBER",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        texts.extend(crate::testing::sample_files(&["txt", "md"]));
        texts.extend(texts.clone().iter().map(|t| t.to_uppercase()));
        for t in &texts {
            assert_eq!(capital_pairs(t), naive(t), "{t:?}");
        }
    }

    fn clauses(p: &str) -> Vec<Vec<String>> {
        needs(p).clauses
    }

    fn c(words: &[&str]) -> Vec<String> {
        words.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn literals_and_words() {
        assert_eq!(
            clauses(r"\bThank\s+you\b"),
            vec![c(&["thank"]), c(&["you"])]
        );
        assert_eq!(
            clauses(r"\bwithdr(?:aw|awn|ew)\b"),
            vec![c(&["withdraw", "withdrawn", "withdrew"])]
        );
        assert_eq!(clauses(r"\bcan['’]?t wait\b")[0].len(), 3);
    }

    #[test]
    fn optional_and_unknown_parts_need_nothing() {
        assert!(clauses("x*").is_empty());
        assert!(clauses(r"(?:foo)?").is_empty());
        assert!(clauses(r"\w+").is_empty());
        assert!(clauses(r"foo|\w+").is_empty());
        assert_eq!(clauses(r"foo|bar\w"), vec![c(&["bar", "foo"])]);
    }

    #[test]
    fn classes() {
        assert_eq!(
            clauses(r"\bU\.\s?[SKN]\."),
            vec![c(&["u."]), c(&["k.", "n.", "s."])]
        );
        assert_eq!(clauses(r"[\--/]x"), vec![c(&["-x", ".x", "/x"])]);
        assert_eq!(clauses(r"[+\-]x"), vec![c(&["+x", "-x"])]);
        assert!(clauses(r"[^a]").is_empty());
        assert_eq!(clauses(r"[]a]b"), vec![c(&["]b", "ab"])]);
        assert_eq!(clauses(r"[[:alpha:]]x"), vec![c(&["x"])]);
        assert_eq!(clauses(r"[a-\x7F]x"), vec![c(&["x"])]);
    }

    #[test]
    fn case_folded_letters_are_not_literals() {
        assert!(clauses("é").is_empty());
        assert_eq!(clauses("résumé"), vec![c(&["sum"]), c(&["r"])]);
    }

    #[test]
    fn odd_syntax_gives_up() {
        for p in [
            r"a)",
            r"(?x) a b",
            r"a\<b",
            r"\b{start}a",
            r"a{",
            r"(?=a)",
            r"\1",
        ] {
            assert_eq!(needs(p), Needs::default(), "{p}");
        }
        assert!(needs(r"a{2, 3}b").balanced);
        assert_eq!(clauses(r"a{2, 3}b"), vec![c(&["ab"]), c(&["a"])]);
    }

    #[test]
    fn repetitions_keep_their_ends() {
        assert_eq!(
            clauses(r"\bf+u+c+k\w*"),
            vec![c(&["fu"]), c(&["uc"]), c(&["ck"])]
        );
        assert_eq!(
            clauses(r"\b(?:foo\s+bar|baz\s+qux)!"),
            vec![c(&["bar!", "qux!"]), c(&["baz", "foo"]), c(&["bar", "qux"])]
        );
    }
}
