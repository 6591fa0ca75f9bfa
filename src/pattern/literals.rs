//! Finding every occurrence of many literals in a letter, for the index.
//!
//! The literals make one Aho-Corasick DFA, built here as a dense table (one
//! load a byte). Walked a byte at a time, each load waits for the one
//! before, so the text is cut into [`LANES`] pieces walked side by side,
//! their loads overlapping. Literals too many for a table of sensible size
//! are looked for with the `aho-corasick` crate's NFA instead.

use std::cell::Cell;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{nfa, Anchored, MatchKind};

/// Pieces a text is cut into for the DFA walk.
const LANES: usize = 4;

/// The most entries a DFA table may have (64 MB of four-byte entries, and
/// as much again while it is built): the default rules' table has about a
/// million (two bytes each), with 500 rules more 1.2 million.
const MAX_ENTRIES: usize = 1 << 24;

/// The literals' automaton.
pub(super) enum Finder {
    /// No literals.
    None,
    Dense {
        dfa: Dense,
        /// The length of the longest literal.
        longest: usize,
    },
    Nfa(nfa::contiguous::NFA),
}

#[cfg(test)]
thread_local! {
    /// Set by tests to have finders made on this thread use the NFA.
    pub(super) static NFA_ONLY: Cell<bool> = const { Cell::new(false) };
}

impl Finder {
    /// `None` when the automaton cannot be built (never for literals taken
    /// from validated patterns).
    pub(super) fn new(literals: &[Box<[u8]>]) -> Option<Finder> {
        Finder::with_limit(literals, MAX_ENTRIES)
    }

    /// As [`Finder::new`], with a DFA of at most `max_entries` entries.
    fn with_limit(literals: &[Box<[u8]>], max_entries: usize) -> Option<Finder> {
        if literals.is_empty() {
            return Some(Finder::None);
        }
        #[cfg(test)]
        let max_entries = if NFA_ONLY.get() { 0 } else { max_entries };
        if let Some(dfa) = Dense::new(literals, max_entries) {
            let longest = literals.iter().map(|l| l.len()).max().unwrap_or(0);
            return Some(Finder::Dense { dfa, longest });
        }
        let nfa = nfa::contiguous::NFA::builder()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(literals.iter())
            .ok()?;
        Some(Finder::Nfa(nfa))
    }

    /// Calls `each(id, start, end)` for every occurrence of every literal in
    /// `hay`, in order of `end` (literals ending at the same byte in no set
    /// order). Returns the set of bytes `hay` holds.
    pub(super) fn find_all(&self, hay: &[u8], each: impl FnMut(u32, u32, u32)) -> [u64; 4] {
        match self {
            Finder::None => byte_set(hay),
            Finder::Dense { dfa, longest } => dfa.find_all(*longest, hay, each),
            Finder::Nfa(nfa) => find_all(nfa, hay, each),
        }
    }
}

/// The set of bytes `hay` holds, as a 256-bit set.
fn byte_set(hay: &[u8]) -> [u64; 4] {
    let mut seen = [false; 256];
    for &b in hay {
        seen[usize::from(b)] = true;
    }
    let mut set = [0u64; 4];
    for (b, &s) in seen.iter().enumerate() {
        set[b / 64] |= u64::from(s) << (b % 64);
    }
    set
}

/// Reports the literals of match state `sid` ending at `end`. (Called for
/// every match, and shorter than a call: always inlined.)
#[inline(always)]
fn report<A: Automaton>(aut: &A, sid: StateID, end: usize, each: &mut impl FnMut(u32, u32, u32)) {
    for k in 0..aut.match_len(sid) {
        let pid = aut.match_pattern(sid, k);
        let len = aut.pattern_len(pid);
        each(pid.as_u32(), (end - len) as u32, end as u32);
    }
}

/// Walks `aut` over `hay` a byte at a time: with standard match semantics a
/// match state lists every literal that ends at that byte.
fn find_all<A: Automaton>(aut: &A, hay: &[u8], mut each: impl FnMut(u32, u32, u32)) -> [u64; 4] {
    let Ok(mut sid) = aut.start_state(Anchored::No) else {
        return byte_set(hay);
    };
    for (at, &b) in hay.iter().enumerate() {
        sid = aut.next_state(Anchored::No, sid, b);
        if aut.is_special(sid) && aut.is_match(sid) {
            report(aut, sid, at + 1, &mut each);
        }
    }
    byte_set(hay)
}

/// An Aho-Corasick DFA as a dense table, kept small: states are numbered
/// densely (two bytes each while there are at most 65,535), the bytes no
/// literal holds share one column, and the match states come last, so that
/// "may this state match" is one comparison. The walk reads an entry a byte,
/// and for a letter those reads are scattered over the table: the smaller it
/// is, the more of them the processor's caches answer; the other states are
/// numbered breadth first, so that the shallow ones a walk is most often in
/// are together.
pub(super) struct Dense {
    /// The column of each byte: 0 for the bytes no literal holds.
    class: [u8; 256],
    /// A row has `1 << shift` entries (at least the number of columns).
    shift: u32,
    table: Table,
    start: u32,
    /// States from this one on are match states.
    first_match: u32,
    /// Match state `first_match + i` reports `matches[ends[i]..ends[i + 1]]`.
    ends: Box<[u32]>,
    /// (literal id, length).
    matches: Box<[(u32, u32)]>,
}

/// The transitions: row by state, column by byte class.
enum Table {
    Small(Box<[u16]>),
    Large(Box<[u32]>),
}

/// A state number as a table holds it.
trait Id: Copy {
    /// Not a state (all bits set): where the trie has no child.
    const NONE: u32;
    fn from_u32(id: u32) -> Self;
    fn get(self) -> u32;
}

impl Id for u16 {
    const NONE: u32 = u16::MAX as u32;

    #[inline(always)]
    fn from_u32(id: u32) -> u16 {
        id as u16
    }

    #[inline(always)]
    fn get(self) -> u32 {
        u32::from(self)
    }
}

impl Id for u32 {
    const NONE: u32 = u32::MAX;

    #[inline(always)]
    fn from_u32(id: u32) -> u32 {
        id
    }

    #[inline(always)]
    fn get(self) -> u32 {
        self
    }
}

impl Dense {
    /// The DFA of `literals` (distinct, none empty), or `None` when its table
    /// would have more than `max_entries` entries (or every byte is in some
    /// literal, which never happens with text: some bytes are not UTF-8).
    fn new(literals: &[Box<[u8]>], max_entries: usize) -> Option<Dense> {
        let mut held = [false; 256];
        for lit in literals {
            for &b in lit.iter() {
                held[usize::from(b)] = true;
            }
        }
        if held.iter().all(|&h| h) {
            return None;
        }
        let mut class = [0u8; 256];
        let mut columns = 1usize;
        for (b, _) in held.iter().enumerate().filter(|(_, &h)| h) {
            class[b] = columns as u8;
            columns += 1;
        }
        let shift = columns.next_power_of_two().trailing_zeros();
        // The trie's states, counted from the literals in order: each adds
        // what it does not share with the one before.
        let mut sorted: Vec<&[u8]> = literals.iter().map(|l| &l[..]).collect();
        sorted.sort_unstable();
        let states = 1 + sorted
            .iter()
            .enumerate()
            .map(|(i, lit)| {
                let before = if i == 0 { &[][..] } else { sorted[i - 1] };
                lit.len() - lit.iter().zip(before).take_while(|(a, b)| a == b).count()
            })
            .sum::<usize>();
        if states.saturating_mul(1 << shift) > max_entries {
            return None;
        }
        Some(if states < <u16 as Id>::NONE as usize {
            build(literals, class, columns, shift, states, Table::Small)
        } else {
            build(literals, class, columns, shift, states, Table::Large)
        })
    }

    /// Calls `each(id, start, end)` for every occurrence of every literal in
    /// `hay`, in order of `end`; returns the set of bytes `hay` holds.
    fn find_all(&self, longest: usize, hay: &[u8], each: impl FnMut(u32, u32, u32)) -> [u64; 4] {
        match &self.table {
            Table::Small(t) => self.find_all_in(t, longest, hay, each),
            Table::Large(t) => self.find_all_in(t, longest, hay, each),
        }
    }

    /// The state after `sid` reads `b`.
    #[inline(always)]
    fn next<T: Id>(&self, table: &[T], sid: u32, b: u8) -> u32 {
        table[(sid as usize) << self.shift | usize::from(self.class[usize::from(b)])].get()
    }

    /// Reports the literals of match state `sid` ending at `end`.
    #[inline(always)]
    fn report(&self, sid: u32, end: usize, each: &mut impl FnMut(u32, u32, u32)) {
        let i = (sid - self.first_match) as usize;
        let (from, to) = (self.ends[i] as usize, self.ends[i + 1] as usize);
        for &(id, len) in &self.matches[from..to] {
            each(id, (end - len as usize) as u32, end as u32);
        }
    }

    /// Walks the table over `hay` a byte at a time.
    fn find_all_one<T: Id>(&self, table: &[T], hay: &[u8], mut each: impl FnMut(u32, u32, u32)) {
        let mut sid = self.start;
        for (at, &b) in hay.iter().enumerate() {
            sid = self.next(table, sid, b);
            if sid >= self.first_match {
                self.report(sid, at + 1, &mut each);
            }
        }
    }

    /// As [`Dense::find_all_one`], with `hay` cut into [`LANES`] pieces
    /// walked side by side.
    ///
    /// Lane `l` reports the matches ending in its piece, `bound[l] < end <=
    /// bound[l + 1]`, and starts walking `longest - 1` bytes before its piece:
    /// from there on, its state is the one a walk from the start of the text
    /// would have (no state stands for more than `longest` bytes), so every
    /// match ending in its piece is seen. The states that may match are
    /// noted without a branch and looked at after the walk, lane by lane, so
    /// in order of end.
    fn find_all_in<T: Id>(
        &self,
        table: &[T],
        longest: usize,
        hay: &[u8],
        mut each: impl FnMut(u32, u32, u32),
    ) -> [u64; 4] {
        let n = hay.len();
        let piece = n / LANES;
        if piece < 2 * longest.max(1) {
            self.find_all_one(table, hay, each);
            return byte_set(hay);
        }
        let bound: [usize; LANES + 1] =
            std::array::from_fn(|l| if l == LANES { n } else { l * piece });
        let from: [usize; LANES] =
            std::array::from_fn(|l| bound[l].saturating_sub(longest.saturating_sub(1)));
        // The last lane's piece is the longest: every lane gets as many
        // slots as it has bytes to walk.
        let slots = bound[LANES] - from[LANES - 1];
        // Taken out of its cell rather than borrowed in a closure: run in a
        // closure, the walk was compiled out of line and cost 2% more
        // instructions a letter.
        let mut noted = SPECIAL.take();
        // Every slot read below is written first.
        if noted.len() < LANES * slots {
            noted.resize(LANES * slots, (0, 0));
        }
        let mut lanes = noted.chunks_exact_mut(slots);
        let noted_in: [&mut [(u32, u32)]; LANES] =
            std::array::from_fn(|_| lanes.next().unwrap_or_default());
        let mut count = [0usize; LANES];
        let mut sid = [self.start; LANES];
        let common = bound[1] - from[0];
        let text: [&[u8]; LANES] = std::array::from_fn(|l| &hay[from[l]..from[l] + common]);
        // By index: the lanes' texts are read in lock step (each as long as
        // `common`, so that reading them needs no bounds check).
        #[allow(clippy::needless_range_loop)]
        for i in 0..common {
            for l in 0..LANES {
                sid[l] = self.next(table, sid[l], text[l][i]);
                noted_in[l][count[l]] = (sid[l], (from[l] + i + 1) as u32);
                count[l] += usize::from(sid[l] >= self.first_match);
            }
        }
        for l in 0..LANES {
            for (pos, &b) in hay
                .iter()
                .enumerate()
                .take(bound[l + 1])
                .skip(from[l] + common)
            {
                sid[l] = self.next(table, sid[l], b);
                noted_in[l][count[l]] = (sid[l], (pos + 1) as u32);
                count[l] += usize::from(sid[l] >= self.first_match);
            }
        }
        for l in 0..LANES {
            for &(sid, end) in &noted_in[l][..count[l]] {
                let end = end as usize;
                if end > bound[l] {
                    self.report(sid, end, &mut each);
                }
            }
        }
        SPECIAL.set(noted);
        byte_set(hay)
    }
}

/// The DFA of `literals` (with `states` states, entries of type `T`, which
/// `table` wraps), its bytes in columns by `class` (see [`Dense`]).
fn build<T: Id>(
    literals: &[Box<[u8]>],
    class: [u8; 256],
    columns: usize,
    shift: u32,
    states: usize,
    table: fn(Box<[T]>) -> Table,
) -> Dense {
    let none = T::from_u32(T::NONE);
    let is_none = |e: T| e.get() == T::NONE;
    let stride = 1 << shift;
    // The trie, its states numbered breadth first (so that the rows of
    // the states a walk is most often in, the shallow ones, are together),
    // built a depth at a time from the literals in order: the literals that
    // share a prefix are together, and add its state once. `own[s]` is the
    // literal spelled by the path to `s`, if any.
    let mut go = Vec::with_capacity(states << shift);
    go.resize(stride, none);
    let mut own = Vec::with_capacity(states);
    own.push(u32::MAX);
    let mut active: Vec<(u32, u32)> = (0..literals.len() as u32).map(|id| (id, 0)).collect();
    active.sort_unstable_by(|a, b| literals[a.0 as usize].cmp(&literals[b.0 as usize]));
    let mut depth = 0;
    while !active.is_empty() {
        let mut prev = (u32::MAX, 0, 0);
        for (id, node) in &mut active {
            let lit = &literals[*id as usize];
            let at = (*node as usize) << shift | usize::from(class[usize::from(lit[depth])]);
            if (prev.0, prev.1) != (*node, at) {
                go[at] = T::from_u32(own.len() as u32);
                own.push(u32::MAX);
                go.resize(go.len() + stride, none);
                prev = (*node, at, go[at].get());
            }
            *node = prev.2;
            if lit.len() == depth + 1 {
                own[*node as usize] = *id;
            }
        }
        depth += 1;
        active.retain(|&(id, _)| literals[id as usize].len() > depth);
    }
    debug_assert_eq!(own.len(), states);

    // In order (so breadth first), each state's missing transitions are
    // those of its failure state (the longest proper suffix of its path
    // that is a path too), whose row is complete by then, being shallower.
    // `out[s]` is the nearest state down the failure chain (`s` excluded)
    // that ends a literal, or `u32::MAX`.
    let mut fail = vec![0u32; states];
    let mut out = vec![u32::MAX; states];
    for e in &mut go[..columns] {
        if is_none(*e) {
            *e = T::from_u32(0);
        }
    }
    for s in 1..states {
        let f = fail[s] as usize;
        out[s] = if own[f] != u32::MAX { f as u32 } else { out[f] };
        // The failure state is shallower, so numbered before `s`.
        let (before, from_s) = go.split_at_mut(s << shift);
        let via_fail = &before[f << shift..][..columns];
        for (e, &v) in from_s[..columns].iter_mut().zip(via_fail) {
            if is_none(*e) {
                *e = v;
            } else {
                fail[e.get() as usize] = v.get();
            }
        }
    }

    // Renumbered with the match states last (each part still breadth
    // first), and what each match state reports: its own literal and those
    // down its chain.
    let matching = |s: usize| own[s] != u32::MAX || out[s] != u32::MAX;
    let (mut order, mut last): (Vec<u32>, Vec<u32>) =
        (0..states as u32).partition(|&s| !matching(s as usize));
    let first_match = order.len() as u32;
    order.append(&mut last);
    let mut renumber = vec![0u32; states];
    for (new, &old) in order.iter().enumerate() {
        renumber[old as usize] = new as u32;
    }
    let mut ends = vec![0];
    let mut matches = Vec::new();
    for &old in &order[first_match as usize..] {
        let mut m = if own[old as usize] != u32::MAX {
            old
        } else {
            out[old as usize]
        };
        while m != u32::MAX {
            let id = own[m as usize];
            matches.push((id, literals[id as usize].len() as u32));
            m = out[m as usize];
        }
        ends.push(matches.len() as u32);
    }
    let mut rows = vec![T::from_u32(0); states << shift];
    for (row, &old) in rows.chunks_exact_mut(stride).zip(&order) {
        for (e, &to) in row
            .iter_mut()
            .zip(&go[(old as usize) << shift..][..columns])
        {
            *e = T::from_u32(renumber[to.get() as usize]);
        }
    }
    Dense {
        class,
        shift,
        table: table(rows.into()),
        start: renumber[0],
        first_match,
        ends: ends.into(),
        matches: matches.into(),
    }
}

thread_local! {
    /// Where the lanes note the states they pass that may match.
    static SPECIAL: Cell<Vec<(u32, u32)>> = const { Cell::new(Vec::new()) };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(finder: &Finder, hay: &str) -> (Vec<(u32, u32, u32)>, [u64; 4]) {
        let mut found = Vec::new();
        let bytes = finder.find_all(hay.as_bytes(), |id, s, e| found.push((id, s, e)));
        (found, bytes)
    }

    /// Every occurrence, found the slow way, in order of end then id.
    fn naive(literals: &[&str], hay: &str) -> Vec<(u32, u32, u32)> {
        let mut found = Vec::new();
        for end in 1..=hay.len() {
            for (id, lit) in literals.iter().enumerate() {
                if hay.as_bytes()[..end].ends_with(lit.as_bytes()) {
                    found.push((id as u32, (end - lit.len()) as u32, end as u32));
                }
            }
        }
        found
    }

    fn sorted(mut found: Vec<(u32, u32, u32)>) -> Vec<(u32, u32, u32)> {
        found.sort_by_key(|&(id, _, end)| (end, id));
        found
    }

    fn finder(literals: &[&str], max_entries: usize) -> Finder {
        let literals: Vec<Box<[u8]>> = literals.iter().map(|l| l.as_bytes().into()).collect();
        Finder::with_limit(&literals, max_entries).expect("built")
    }

    #[test]
    fn the_table_and_the_nfa_find_every_occurrence_wherever_the_lanes_are_cut() {
        // Literals that are suffixes and prefixes of one another, so that
        // failure links and the literals a match state reports both matter.
        let literals = [
            "thank you",
            "you",
            "ank",
            "the team",
            "team",
            "a",
            "aaaa",
            "aa",
        ];
        let table = finder(&literals, MAX_ENTRIES);
        let nfa = finder(&literals, 0);
        assert!(matches!(table, Finder::Dense { .. }));
        assert!(matches!(nfa, Finder::Nfa(_)));
        // Texts of every length up to several times the shortest that is cut
        // into lanes, so that every literal straddles every cut somewhere.
        let unit = "thank you to the team, aaaaa! ";
        for len in 0..=unit.len() * 8 {
            let hay: String = unit.chars().cycle().skip(len % 7).take(len).collect();
            let (a, bytes_a) = all(&table, &hay);
            let (b, bytes_b) = all(&nfa, &hay);
            let want = naive(&literals, &hay);
            assert_eq!(sorted(a.clone()), want, "{hay:?}");
            assert_eq!(sorted(b), want, "{hay:?}");
            assert_eq!(bytes_a, bytes_b);
            // Reported in order of end.
            assert!(a.windows(2).all(|w| w[0].2 <= w[1].2), "{hay:?}");
        }
    }

    #[test]
    fn bytes_beyond_ascii_and_bytes_in_no_literal_are_read_right() {
        let literals = ["café", "é!", "\u{1F600}x", "x\0y"];
        let table = finder(&literals, MAX_ENTRIES);
        assert!(matches!(table, Finder::Dense { .. }));
        let hay = "un café! \u{1F600}x, x\0y x\0\0y caf\u{e9}\u{301} \u{1F600}\u{1F600}x".repeat(9);
        let (found, _) = all(&table, &hay);
        assert_eq!(sorted(found), naive(&literals, &hay));
    }

    #[test]
    fn a_table_too_large_is_left_for_the_nfa() {
        let literals = ["abc", "bcd"];
        // The start and six states, of five columns (four bytes and the
        // rest) rounded up to eight.
        assert!(matches!(finder(&literals, 7 * 8), Finder::Dense { .. }));
        assert!(matches!(finder(&literals, 7 * 8 - 1), Finder::Nfa(_)));
        assert!(matches!(finder(&[], 0), Finder::None));
    }

    #[test]
    fn the_byte_set_holds_exactly_the_bytes_of_the_text() {
        let hay = "Zoë, ok?\n";
        let set = byte_set(hay.as_bytes());
        for b in 0..=255u8 {
            let has = set[usize::from(b) / 64] & (1 << (b % 64)) != 0;
            assert_eq!(has, hay.as_bytes().contains(&b), "byte {b}");
        }
    }
}
