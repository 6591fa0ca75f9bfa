//! A small matcher for the common subset of patterns, so that checking one
//! letter needs no regex compiled.
//!
//! It is a bounded backtracker (like the `regex` crate's own): a pattern becomes
//! a short program, and a search explores it in priority order, remembering
//! which (instruction, position) pairs already failed. That gives exactly the
//! leftmost-first matches, and captures, that the `regex` crate reports. Where
//! exactness would need Unicode tables it does not carry (a character outside
//! the blocks it knows, next to `\b` or under `\w`), a search gives up with
//! [`Bail`] and the caller uses the compiled regex instead.

use std::cell::RefCell;
use std::ops::Range;

use super::syntax::{self, Class, Look, Node, Perl, Prop};

/// The search could not be decided exactly; use the compiled regex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bail;

/// What a character is, for the classes the matcher supports.
#[derive(Debug, Clone, Copy, Default)]
struct Kind {
    word: bool,
    digit: bool,
    letter: bool,
    upper: bool,
    lower: bool,
    number: bool,
}

/// Classifies a character, exactly as the `regex` crate's Unicode tables do, for
/// ASCII and a few blocks common in letters (Latin-1 and Latin Extended A/B,
/// general punctuation, currency signs, emoji). Others bail.
fn kind(c: char) -> Result<Kind, Bail> {
    let u = c as u32;
    let letter = |upper: bool, lower: bool| Kind {
        word: true,
        letter: true,
        upper,
        lower,
        ..Kind::default()
    };
    Ok(match u {
        0..=0x7F => {
            let b = u as u8;
            Kind {
                word: b.is_ascii_alphanumeric() || b == b'_',
                digit: b.is_ascii_digit(),
                letter: b.is_ascii_alphabetic(),
                upper: b.is_ascii_uppercase(),
                lower: b.is_ascii_lowercase(),
                number: b.is_ascii_digit(),
            }
        }
        0xAA | 0xBA => letter(false, false),
        0xB5 => letter(false, true),
        0xB2 | 0xB3 | 0xB9 | 0xBC..=0xBE => Kind {
            number: true,
            ..Kind::default()
        },
        0x80..=0xBF | 0xD7 | 0xF7 => Kind::default(),
        0xC0..=0xDE => letter(true, false),
        0xDF..=0xFF => letter(false, true),
        0x100..=0x24F => letter(c.is_uppercase(), c.is_lowercase()),
        0x212A => letter(true, false),
        0x200C | 0x200D | 0x203F | 0x2040 | 0x2054 => Kind {
            word: true,
            ..Kind::default()
        },
        0x2000..=0x206F | 0x20A0..=0x20CF | 0x1F300..=0x1F64F | 0x1F680..=0x1F6FF => {
            Kind::default()
        }
        _ => return Err(Bail),
    })
}

/// True for a letter or number (`[\p{L}\p{N}]`), `None` when not known here.
pub fn letter_or_number(c: char) -> Option<bool> {
    if c.is_ascii() {
        return Some(c.is_ascii_alphanumeric());
    }
    kind(c).ok().map(|k| k.letter || k.number)
}

fn is_word(c: char) -> Result<bool, Bail> {
    if c.is_ascii() {
        return Ok(c.is_ascii_alphanumeric() || c == '_');
    }
    kind(c).map(|k| k.word)
}

/// Characters that case folding maps onto ASCII letters.
const KELVIN: char = '\u{212A}';
const LONG_S: char = '\u{17F}';

/// True when `t` equals the ASCII letter `l` (lowercase) up to case folding.
fn ascii_fold_eq(t: char, l: char) -> bool {
    t.to_ascii_lowercase() == l || (l == 'k' && t == KELVIN) || (l == 's' && t == LONG_S)
}

/// True when no character has a case partner other than itself under simple
/// case folding (so a case-insensitive match is an exact one).
pub(super) fn uncased(c: char) -> bool {
    !c.is_alphabetic()
        && c.to_lowercase().eq(std::iter::once(c))
        && c.to_uppercase().eq(std::iter::once(c))
}

#[derive(Debug, Clone)]
enum Pred {
    Char(char),
    /// An ASCII letter (lowercase), any case.
    Folded(char),
    Set(Box<Set>),
    Perl(Perl, bool),
    Prop(Prop, bool),
    Dot {
        nl: bool,
    },
}

#[derive(Debug, Clone)]
struct Set {
    ranges: Vec<(char, char)>,
    perls: Vec<(Perl, bool)>,
    props: Vec<(Prop, bool)>,
    negated: bool,
    ci: bool,
}

fn perl(p: Perl, negated: bool, t: char) -> Result<bool, Bail> {
    let yes = match p {
        Perl::Space => t.is_whitespace(),
        Perl::Word => is_word(t)?,
        Perl::Digit => kind(t)?.digit,
    };
    Ok(yes != negated)
}

fn prop(p: Prop, negated: bool, t: char) -> Result<bool, Bail> {
    let k = kind(t)?;
    let yes = match p {
        Prop::Upper => k.upper,
        Prop::Lower => k.lower,
        Prop::Letter => k.letter,
        Prop::Number => k.number,
    };
    Ok(yes != negated)
}

impl Set {
    fn matches(&self, t: char) -> Result<bool, Bail> {
        let in_ranges = |p: char| self.ranges.iter().any(|&(lo, hi)| lo <= p && p <= hi);
        let mut hit = in_ranges(t);
        if !hit && self.ci {
            // Case partners of `t` (the ranges hold no other cased characters).
            hit = match t {
                KELVIN => in_ranges('k') || in_ranges('K'),
                LONG_S => in_ranges('s') || in_ranges('S'),
                c if c.is_ascii_alphabetic() => {
                    let lower = c.to_ascii_lowercase();
                    in_ranges(lower)
                        || in_ranges(c.to_ascii_uppercase())
                        || (lower == 'k' && in_ranges(KELVIN))
                        || (lower == 's' && in_ranges(LONG_S))
                }
                _ => false,
            };
        }
        if !hit {
            for &(p, neg) in &self.perls {
                if perl(p, neg, t)? {
                    hit = true;
                    break;
                }
            }
        }
        if !hit {
            for &(p, neg) in &self.props {
                if prop(p, neg, t)? {
                    hit = true;
                    break;
                }
            }
        }
        Ok(hit != self.negated)
    }
}

impl Pred {
    fn matches(&self, t: char) -> Result<bool, Bail> {
        match self {
            Pred::Char(c) => Ok(t == *c),
            Pred::Folded(l) => Ok(ascii_fold_eq(t, *l)),
            Pred::Set(s) => s.matches(t),
            Pred::Perl(p, neg) => perl(*p, *neg, t),
            Pred::Prop(p, neg) => prop(*p, *neg, t),
            Pred::Dot { nl } => Ok(*nl || t != '\n'),
        }
    }
}

#[derive(Debug, Clone)]
enum Inst {
    Char(Pred),
    /// Try the first target, then the second.
    Split(usize, usize),
    Jmp(usize),
    Look(Look),
    Save(usize),
    Match,
}

/// The most instructions a program may have.
const MAX_INSTS: usize = 4000;
/// The most (instruction, position) pairs a search may track.
const MAX_VISITED: usize = 1 << 21;

/// A compiled pattern for the small matcher.
#[derive(Debug, Clone)]
pub struct Mini {
    insts: Vec<Inst>,
    /// Capture slots: two per group, the whole match first.
    slots: usize,
    /// It starts with `^` (or `\A`): a match can only start at 0.
    anchored: bool,
    /// The bytes a match can start with, when that is a short list.
    first: Option<Box<[bool; 256]>>,
}

struct Unsupported;

/// The shortest text a node can match (in characters), up to a cap.
fn min_len(node: &Node) -> u32 {
    match node {
        Node::Empty | Node::Look(_) => 0,
        Node::Lit { .. } | Node::Class(_) => 1,
        Node::Str { s, .. } => s.chars().count() as u32,
        Node::Concat(items) => items.iter().map(min_len).fold(0, u32::saturating_add),
        Node::Alt(branches) => branches.iter().map(min_len).min().unwrap_or(0),
        Node::Repeat { node, min, .. } => min_len(node).saturating_mul(*min),
        Node::Group { node, .. } => min_len(node),
    }
}

impl Mini {
    /// Compiles a pattern, or `None` when it is outside the supported subset.
    pub fn new(pattern: &str, ignorecase: bool) -> Option<Mini> {
        let tree = syntax::parse(pattern, ignorecase)?;
        if !tree.exact {
            return None;
        }
        let mut c = Compiler { insts: Vec::new() };
        c.push(Inst::Save(0)).ok()?;
        c.node(&tree.node).ok()?;
        c.push(Inst::Save(1)).ok()?;
        c.push(Inst::Match).ok()?;
        let anchored = matches!(c.insts.get(1), Some(Inst::Look(Look::Start)));
        let first = first_bytes(&c.insts);
        Some(Mini {
            insts: c.insts,
            slots: 2 * (tree.captures as usize + 1),
            anchored,
            first,
        })
    }

    /// The leftmost-first match in `hay` starting at or after `at`.
    pub fn find_at(&self, hay: &str, at: usize) -> Result<Option<Range<usize>>, Bail> {
        Ok(self
            .search(hay, at)?
            .map(|slots| slots[0].expect("start")..slots[1].expect("end")))
    }

    /// The leftmost-first match in `hay` and its groups (group 0 is the match).
    pub fn captures(&self, hay: &str) -> Result<Option<Vec<Option<Range<usize>>>>, Bail> {
        Ok(self.search(hay, 0)?.map(|slots| {
            slots
                .chunks(2)
                .map(|pair| match (pair[0], pair[1]) {
                    (Some(s), Some(e)) => Some(s..e),
                    _ => None,
                })
                .collect()
        }))
    }

    fn search(&self, hay: &str, at: usize) -> Result<Option<Vec<Option<usize>>>, Bail> {
        if at > hay.len() || (self.anchored && at > 0) {
            return Ok(None);
        }
        let width = hay.len() + 1 - at;
        let cells = self.insts.len() * width;
        if cells > MAX_VISITED {
            return Err(Bail);
        }
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let Scratch { visited, dirty } = &mut *scratch;
            if visited.len() < cells.div_ceil(64) {
                visited.resize(cells.div_ceil(64), 0);
            }
            let mut run = Run {
                mini: self,
                hay,
                at,
                width,
                visited,
                dirty,
                slots: vec![None; self.slots],
                stack: Vec::new(),
            };
            let found = run.starts();
            // Leave the set empty for the next search: clear only what was used.
            for &w in run.dirty.iter() {
                run.visited[w as usize] = 0;
            }
            run.dirty.clear();
            Ok(found?.then_some(run.slots))
        })
    }
}

/// The bytes a match can start with, or `None` when that is not a short list
/// of ASCII characters (and lead bytes).
fn first_bytes(insts: &[Inst]) -> Option<Box<[bool; 256]>> {
    let mut first = Box::new([false; 256]);
    let mut seen = vec![false; insts.len()];
    let mut todo = vec![0usize];
    let lead_bytes = |first: &mut [bool; 256]| first[0xC2..=0xF4].fill(true);
    while let Some(pc) = todo.pop() {
        if std::mem::replace(&mut seen[pc], true) {
            continue;
        }
        match &insts[pc] {
            Inst::Save(_) | Inst::Look(_) => todo.push(pc + 1),
            Inst::Jmp(t) => todo.push(*t),
            Inst::Split(a, b) => todo.extend([*a, *b]),
            // A match without a character: any position may start one.
            Inst::Match => return None,
            Inst::Char(pred) => match pred {
                Pred::Char(c) => {
                    let mut buf = [0u8; 4];
                    first[c.encode_utf8(&mut buf).as_bytes()[0] as usize] = true;
                }
                Pred::Folded(l) => {
                    first[*l as usize] = true;
                    first[l.to_ascii_uppercase() as usize] = true;
                    lead_bytes(&mut first);
                }
                Pred::Set(set) if !set.negated && set.perls.is_empty() && set.props.is_empty() => {
                    for &(lo, hi) in &set.ranges {
                        for c in lo..=hi.min('\x7F') {
                            first[c as usize] = true;
                            if set.ci {
                                first[c.to_ascii_lowercase() as usize] = true;
                                first[c.to_ascii_uppercase() as usize] = true;
                            }
                        }
                        if !hi.is_ascii() || set.ci {
                            lead_bytes(&mut first);
                        }
                    }
                }
                _ => return None,
            },
        }
    }
    Some(first)
}

struct Scratch {
    visited: Vec<u64>,
    /// Words of `visited` set by this search.
    dirty: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = const {
        RefCell::new(Scratch {
            visited: Vec::new(),
            dirty: Vec::new(),
        })
    };
}

enum Frame {
    Explore(usize, usize),
    Restore(usize, Option<usize>),
}

struct Run<'a> {
    mini: &'a Mini,
    hay: &'a str,
    at: usize,
    width: usize,
    visited: &'a mut Vec<u64>,
    dirty: &'a mut Vec<u32>,
    slots: Vec<Option<usize>>,
    stack: Vec<Frame>,
}

impl Run<'_> {
    /// Tries each start position in turn; true (with the slots set) on a match.
    fn starts(&mut self) -> Result<bool, Bail> {
        let bytes = self.hay.as_bytes();
        let mut start = self.at;
        loop {
            if let Some(first) = &self.mini.first {
                // Only ASCII bytes and lead bytes are listed: this stays on
                // character boundaries.
                while start < bytes.len() && !first[bytes[start] as usize] {
                    start += 1;
                }
                if start == bytes.len() {
                    return Ok(false);
                }
            }
            if self.backtrack(start)? {
                return Ok(true);
            }
            if self.mini.anchored {
                return Ok(false);
            }
            match self.hay[start..].chars().next() {
                Some(c) => start += c.len_utf8(),
                None => return Ok(false),
            }
        }
    }

    /// Explores from `start`; true (with the slots set) on a match.
    fn backtrack(&mut self, start: usize) -> Result<bool, Bail> {
        self.stack.clear();
        self.stack.push(Frame::Explore(0, start));
        while let Some(frame) = self.stack.pop() {
            match frame {
                Frame::Restore(slot, old) => self.slots[slot] = old,
                Frame::Explore(pc, pos) => {
                    if self.step(pc, pos)? {
                        return Ok(true);
                    }
                }
            }
        }
        Ok(false)
    }

    /// Follows one thread until it fails (false) or matches (true).
    fn step(&mut self, mut pc: usize, mut pos: usize) -> Result<bool, Bail> {
        loop {
            let cell = pc * self.width + (pos - self.at);
            let (word, bit) = (cell / 64, 1u64 << (cell % 64));
            if self.visited[word] & bit != 0 {
                return Ok(false);
            }
            if self.visited[word] == 0 {
                self.dirty.push(word as u32);
            }
            self.visited[word] |= bit;
            match &self.mini.insts[pc] {
                Inst::Char(pred) => match self.hay[pos..].chars().next() {
                    Some(t) if pred.matches(t)? => {
                        pc += 1;
                        pos += t.len_utf8();
                    }
                    _ => return Ok(false),
                },
                Inst::Split(a, b) => {
                    self.stack.push(Frame::Explore(*b, pos));
                    pc = *a;
                }
                Inst::Jmp(t) => pc = *t,
                Inst::Look(look) => {
                    if !self.look(*look, pos)? {
                        return Ok(false);
                    }
                    pc += 1;
                }
                Inst::Save(slot) => {
                    self.stack.push(Frame::Restore(*slot, self.slots[*slot]));
                    self.slots[*slot] = Some(pos);
                    pc += 1;
                }
                Inst::Match => return Ok(true),
            }
        }
    }

    fn look(&self, look: Look, pos: usize) -> Result<bool, Bail> {
        let hay = self.hay;
        Ok(match look {
            Look::Start => pos == 0,
            Look::End => pos == hay.len(),
            Look::LineStart => pos == 0 || hay.as_bytes()[pos - 1] == b'\n',
            Look::LineEnd => pos == hay.len() || hay.as_bytes()[pos] == b'\n',
            Look::WordBoundary | Look::NotWordBoundary => {
                let before = match hay[..pos].chars().next_back() {
                    Some(c) => is_word(c)?,
                    None => false,
                };
                let after = match hay[pos..].chars().next() {
                    Some(c) => is_word(c)?,
                    None => false,
                };
                (before != after) == (look == Look::WordBoundary)
            }
        })
    }
}

struct Compiler {
    insts: Vec<Inst>,
}

impl Compiler {
    fn push(&mut self, inst: Inst) -> Result<usize, Unsupported> {
        if self.insts.len() >= MAX_INSTS {
            return Err(Unsupported);
        }
        self.insts.push(inst);
        Ok(self.insts.len() - 1)
    }

    fn patch(&mut self, at: usize, to: usize, second: bool) {
        match &mut self.insts[at] {
            Inst::Split(a, b) => {
                if second {
                    *b = to;
                } else {
                    *a = to;
                }
            }
            Inst::Jmp(t) => *t = to,
            _ => unreachable!("only splits and jumps are patched"),
        }
    }

    fn node(&mut self, node: &Node) -> Result<(), Unsupported> {
        match node {
            Node::Empty => {}
            Node::Lit { c, ci } => {
                self.push(Inst::Char(lit_pred(*c, *ci)?))?;
            }
            Node::Str { s, ci } => {
                for c in s.chars() {
                    self.push(Inst::Char(lit_pred(c, *ci)?))?;
                }
            }
            Node::Class(class) => {
                let pred = class_pred(class)?;
                self.push(Inst::Char(pred))?;
            }
            Node::Look(look) => {
                self.push(Inst::Look(*look))?;
            }
            Node::Concat(items) => {
                for item in items {
                    self.node(item)?;
                }
            }
            Node::Alt(branches) => {
                let mut jumps = Vec::new();
                for (i, branch) in branches.iter().enumerate() {
                    if i + 1 < branches.len() {
                        let split = self.push(Inst::Split(0, 0))?;
                        self.patch(split, split + 1, false);
                        self.node(branch)?;
                        jumps.push(self.push(Inst::Jmp(0))?);
                        let next = self.insts.len();
                        self.patch(split, next, true);
                    } else {
                        self.node(branch)?;
                    }
                }
                let end = self.insts.len();
                for j in jumps {
                    self.patch(j, end, false);
                }
            }
            Node::Repeat {
                node,
                min,
                max,
                greedy,
            } => {
                // An optional part that can match empty text repeats in ways
                // this compiler does not reproduce; leave those to the regex.
                if min_len(node) == 0 && max.is_none_or(|m| m > 1) {
                    return Err(Unsupported);
                }
                for _ in 0..*min {
                    self.node(node)?;
                }
                match max {
                    None => {
                        let split = self.push(Inst::Split(0, 0))?;
                        self.node(node)?;
                        self.push(Inst::Jmp(split))?;
                        let exit = self.insts.len();
                        self.branch(split, split + 1, exit, *greedy);
                    }
                    Some(max) => {
                        let mut splits = Vec::new();
                        for _ in *min..*max {
                            let split = self.push(Inst::Split(0, 0))?;
                            splits.push(split);
                            self.node(node)?;
                        }
                        let exit = self.insts.len();
                        for split in splits {
                            self.branch(split, split + 1, exit, *greedy);
                        }
                    }
                }
            }
            Node::Group { node, capture } => match capture {
                Some(i) => {
                    self.push(Inst::Save(2 * *i as usize))?;
                    self.node(node)?;
                    self.push(Inst::Save(2 * *i as usize + 1))?;
                }
                None => self.node(node)?,
            },
        }
        Ok(())
    }

    /// Points a split at "one more" and "stop", in the order greed asks for.
    fn branch(&mut self, split: usize, more: usize, stop: usize, greedy: bool) {
        let (a, b) = if greedy { (more, stop) } else { (stop, more) };
        self.insts[split] = Inst::Split(a, b);
    }
}

fn lit_pred(c: char, ci: bool) -> Result<Pred, Unsupported> {
    Ok(if ci && c.is_ascii_alphabetic() {
        Pred::Folded(c.to_ascii_lowercase())
    } else if ci && !c.is_ascii() && !uncased(c) {
        return Err(Unsupported);
    } else {
        Pred::Char(c)
    })
}

/// Non-ASCII ranges in a case-insensitive class must hold no cased character
/// (then folding adds nothing to them); larger ranges are not checked.
fn ranges_ok(ranges: &[(char, char)], ci: bool) -> bool {
    !ci || ranges.iter().all(|&(lo, hi)| {
        hi.is_ascii()
            || ((hi as u32) - (lo as u32) <= 0x4000
                && (lo..=hi).all(|c| c.is_ascii() || uncased(c)))
    })
}

fn class_pred(class: &Class) -> Result<Pred, Unsupported> {
    Ok(match class {
        Class::Set {
            ranges,
            perls,
            props,
            negated,
            ci,
        } => {
            if !ranges_ok(ranges, *ci) {
                return Err(Unsupported);
            }
            Pred::Set(Box::new(Set {
                ranges: ranges.clone(),
                perls: perls.clone(),
                props: props.clone(),
                negated: *negated,
                ci: *ci,
            }))
        }
        Class::Perl(p, neg) => Pred::Perl(*p, *neg),
        Class::Prop(p, neg) => Pred::Prop(*p, *neg),
        Class::Dot(nl) => Pred::Dot { nl: *nl },
        Class::Other => return Err(Unsupported),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// Every match of the small matcher equals the regex crate's, on many texts.
    #[track_caller]
    fn agrees(pattern: &str, texts: &[&str]) {
        let mini = Mini::new(pattern, false).unwrap_or_else(|| panic!("unsupported: {pattern}"));
        let re = Regex::new(pattern).expect("valid");
        for text in texts {
            let want: Vec<_> = re
                .captures_iter(text)
                .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect::<Vec<_>>())
                .collect();
            let mut got = Vec::new();
            let mut at = 0;
            while at <= text.len() {
                let Some(m) = mini
                    .find_at(text, at)
                    .unwrap_or_else(|_| panic!("undecided: {pattern} on {text:?}"))
                else {
                    break;
                };
                got.push(m.clone());
                if m.is_empty() {
                    break;
                }
                at = m.end;
            }
            let want_ranges: Vec<_> = want.iter().map(|c| c[0].clone().expect("match")).collect();
            assert_eq!(got, want_ranges, "{pattern} on {text:?}");
            if let Some(first) = want.first() {
                assert_eq!(
                    mini.captures(text).unwrap().as_ref(),
                    Some(first),
                    "{pattern} on {text:?}"
                );
            }
        }
    }

    const TEXTS: &[&str] = &[
        "",
        "Thank you so much, Dana. I must decline.",
        "THANK YOU!! thanks... thankful? Thank-you",
        "I won’t be able to attend; I can't make it.",
        "Dear Ms. Lee,\nBest regards,\nSam",
        "Tomás García thanks ſam and the \u{212A}elvin team",
        "Ünïcödé wörds: café, naïve, ÆON, ǅemal",
        "a1_b2 ½ ² x_y ‿z",
        "mixed\u{200d}join and\u{a0}nbsp and em—dash…",
        "emoji 😅 and 🎉 ok",
    ];

    #[test]
    fn agrees_with_regex_on_common_patterns() {
        for p in [
            r"(?i)\bthank(?:s| you)?\b",
            r"(?i)\b(?:I['’]?ll|I will|I must) (?:decline|pass)\b",
            r"(?i)(?:\b(?:not|cannot|unable)|n['’]t)\b[^.!?;]{0,40}?\b(?:attend|make it)\b",
            r"(?i)^[ \t]*(dear|hello|hi|hey|hiya)\b",
            r"(?i)^[ \t]*((?:(?:best|kind) )?regards|thanks(?: again)?|best)\b[ \t]*([,.!:;\-–—]?)[ \t]*",
            r"[\p{L}\p{N}][\p{L}\p{N}'’]*",
            r"\b\p{Lu}{2,}\b",
            r"(?i)\w+\s+\d*",
            r"[a-z]+é?",
            r"(?i)\bsam\b|kelvin",
            r"x*?y|(?:ab|a)c",
            r"(?m)^\w+$",
            r"(?s).{2}",
            r"(?i)[^.!?;]+",
            r"\B\w\B",
            r"(?i)[\x{1F300}-\x{1F64F}]",
            r"(?i)[k-m]",
            r"(?U)a+b|\d{2,3}",
        ] {
            agrees(p, TEXTS);
        }
    }

    #[test]
    fn unsupported_and_undecided() {
        assert!(Mini::new(r"(?i)\p{Lu}", false).is_none());
        assert!(Mini::new(r"(?:a?)*", false).is_none());
        assert!(Mini::new(r"[[:alpha:]]", false).is_none());
        assert!(Mini::new(r"(?i)é", false).is_none());
        let m = Mini::new(r"\bx", false).unwrap();
        assert_eq!(m.find_at("Ωx", 0), Err(Bail));
    }

    /// The character classes agree with the regex crate on every character the
    /// matcher claims to know.
    #[test]
    fn kinds_agree_with_regex_tables() {
        let tables = [
            (Regex::new(r"^\w$").unwrap(), 0),
            (Regex::new(r"^\d$").unwrap(), 1),
            (Regex::new(r"^\p{L}$").unwrap(), 2),
            (Regex::new(r"^\p{Lu}$").unwrap(), 3),
            (Regex::new(r"^\p{Ll}$").unwrap(), 4),
            (Regex::new(r"^\p{N}$").unwrap(), 5),
        ];
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let Ok(k) = kind(c) else { continue };
            let got = [k.word, k.digit, k.letter, k.upper, k.lower, k.number];
            let s = c.encode_utf8(&mut buf);
            for (re, i) in &tables {
                assert_eq!(
                    got[*i],
                    re.is_match(s),
                    "U+{:04X} {}",
                    c as u32,
                    re.as_str()
                );
            }
        }
    }
}
