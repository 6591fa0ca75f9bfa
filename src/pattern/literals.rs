//! Finding every occurrence of many literals in a letter, for the index.
//!
//! A run starts with an Aho-Corasick NFA: quick to build, slow to walk (each
//! byte may follow failure links through a sparse state). Once the run has
//! scanned enough text to pay for it, a DFA takes over: one table load a byte.
//! Walked a byte at a time, each load waits for the one before, so the text
//! is cut into [`LANES`] pieces walked side by side, their loads overlapping.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{dfa, nfa, Anchored, MatchKind};

/// Text scanned with the NFA before the DFA is built: for the default rules'
/// 2,525 literals the DFA takes ~5x longer to build (~12 ms) and ~14x the
/// memory (4 MB), and walks a byte ~2x faster, so it pays off only on runs of
/// a few thousand letters.
const DFA_AFTER_BYTES: usize = 2 << 20;

/// Pieces a text is cut into for the DFA walk.
const LANES: usize = 4;

/// The literals' automata.
pub(super) struct Finder {
    nfa: nfa::contiguous::NFA,
    dfa: OnceLock<Option<dfa::DFA>>,
    /// The literals, kept to build the DFA.
    literals: Box<[Box<[u8]>]>,
    /// The length of the longest literal.
    longest: usize,
    /// Bytes scanned so far (counted up to [`DFA_AFTER_BYTES`]).
    scanned: AtomicUsize,
    /// Set by the thread that builds the DFA; the others go on with the NFA.
    building: AtomicBool,
}

impl Finder {
    /// `None` when the automaton cannot be built (never for literals taken
    /// from validated patterns).
    pub(super) fn new(literals: Box<[Box<[u8]>]>) -> Option<Finder> {
        let nfa = nfa::contiguous::NFA::builder()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(literals.iter())
            .ok()?;
        Some(Finder {
            nfa,
            dfa: OnceLock::new(),
            longest: literals.iter().map(|l| l.len()).max().unwrap_or(0),
            literals,
            scanned: AtomicUsize::new(0),
            building: AtomicBool::new(false),
        })
    }

    /// Calls `each(id, start, end)` for every occurrence of every literal in
    /// `hay`, in order of `end` (literals ending at the same byte in no set
    /// order). Returns the set of bytes `hay` holds.
    pub(super) fn find_all(&self, hay: &[u8], each: impl FnMut(u32, u32, u32)) -> [u64; 4] {
        if self.literals.is_empty() {
            return byte_set(hay);
        }
        match self.dfa() {
            Some(dfa) => find_all_lanes(dfa, self.longest, hay, each),
            None => {
                self.scanned.fetch_add(hay.len(), Ordering::Relaxed);
                find_all(&self.nfa, hay, each)
            }
        }
    }

    /// The DFA once built; builds it when enough text has been scanned and
    /// no other thread is building it.
    fn dfa(&self) -> Option<&dfa::DFA> {
        if let Some(built) = self.dfa.get() {
            return built.as_ref();
        }
        if self.scanned.load(Ordering::Relaxed) < DFA_AFTER_BYTES
            || self.building.swap(true, Ordering::Relaxed)
        {
            return None;
        }
        let built = dfa::DFA::builder()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .byte_classes(true)
            .build(self.literals.iter())
            .ok();
        self.dfa.get_or_init(|| built).as_ref()
    }

    /// Builds the DFA now.
    #[cfg(test)]
    pub(super) fn build_dfa(&self) {
        self.scanned.store(DFA_AFTER_BYTES, Ordering::Relaxed);
        assert!(self.dfa().is_some());
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

thread_local! {
    /// Where the lanes note the states they pass that may match.
    static SPECIAL: Cell<Vec<(StateID, u32)>> = const { Cell::new(Vec::new()) };
}

/// As [`find_all`], with `hay` cut into [`LANES`] pieces walked side by side.
///
/// Lane `l` reports the matches ending in its piece, `bound[l] < end <=
/// bound[l + 1]`, and starts walking `longest - 1` bytes before its piece:
/// from there on, its state is the one a walk from the start of the text
/// would have (no state stands for more than `longest` bytes), so every match
/// ending in its piece is seen. The states that may match are noted without
/// a branch and looked at after the walk, lane by lane, so in order of end.
fn find_all_lanes<A: Automaton>(
    aut: &A,
    longest: usize,
    hay: &[u8],
    mut each: impl FnMut(u32, u32, u32),
) -> [u64; 4] {
    let n = hay.len();
    let piece = n / LANES;
    let Ok(start) = aut.start_state(Anchored::No) else {
        return byte_set(hay);
    };
    if piece < 2 * longest.max(1) {
        return find_all(aut, hay, each);
    }
    let bound: [usize; LANES + 1] = std::array::from_fn(|l| if l == LANES { n } else { l * piece });
    let from: [usize; LANES] =
        std::array::from_fn(|l| bound[l].saturating_sub(longest.saturating_sub(1)));
    let len: [usize; LANES] = std::array::from_fn(|l| bound[l + 1] - from[l]);
    // Lane `l` notes its states in `noted[at[l]..]`, `len[l]` slots.
    let at: [usize; LANES] = std::array::from_fn(|l| len[..l].iter().sum());
    // Taken out of its cell rather than borrowed in a closure: run in a
    // closure, the walk was compiled out of line and cost 2% more
    // instructions a letter.
    let mut noted = SPECIAL.take();
    // Every slot read below is written first.
    let slots = len.iter().sum();
    if noted.len() < slots {
        noted.resize(slots, (start, 0));
    }
    let mut count = [0usize; LANES];
    let mut sid = [start; LANES];
    let common = *len.iter().min().unwrap_or(&0);
    for i in 0..common {
        for l in 0..LANES {
            let pos = from[l] + i;
            sid[l] = aut.next_state(Anchored::No, sid[l], hay[pos]);
            noted[at[l] + count[l]] = (sid[l], (pos + 1) as u32);
            count[l] += usize::from(aut.is_special(sid[l]));
        }
    }
    for l in 0..LANES {
        for (pos, &b) in hay
            .iter()
            .enumerate()
            .take(bound[l + 1])
            .skip(from[l] + common)
        {
            sid[l] = aut.next_state(Anchored::No, sid[l], b);
            noted[at[l] + count[l]] = (sid[l], (pos + 1) as u32);
            count[l] += usize::from(aut.is_special(sid[l]));
        }
    }
    for l in 0..LANES {
        for &(sid, end) in &noted[at[l]..at[l] + count[l]] {
            let end = end as usize;
            if end > bound[l] && aut.is_match(sid) {
                report(aut, sid, end, &mut each);
            }
        }
    }
    SPECIAL.set(noted);
    byte_set(hay)
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

    #[test]
    fn lanes_find_what_one_walk_finds_wherever_the_pieces_are_cut() {
        let literals = ["thank you", "you", "ank", "the team", "team", "a", "aaaa"];
        let new = || Finder::new(literals.iter().map(|l| l.as_bytes().into()).collect()).unwrap();
        let (lanes, one) = (new(), new());
        lanes.build_dfa();
        // Texts of every length up to several times the shortest that is cut
        // into lanes, so that every literal straddles every cut somewhere.
        let unit = "thank you to the team, aaaaa! ";
        for len in 0..=unit.len() * 8 {
            let hay: String = unit.chars().cycle().skip(len % 7).take(len).collect();
            let (a, bytes_a) = all(&lanes, &hay);
            let (b, bytes_b) = all(&one, &hay);
            let want = naive(&literals, &hay);
            assert_eq!(sorted(a.clone()), want, "{hay:?}");
            assert_eq!(sorted(b), want, "{hay:?}");
            assert_eq!(bytes_a, bytes_b);
            // Reported in order of end.
            assert!(a.windows(2).all(|w| w[0].2 <= w[1].2), "{hay:?}");
        }
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

    #[test]
    fn the_dfa_is_built_only_after_enough_text() {
        let finder = Finder::new(["abc".as_bytes().into()].into()).unwrap();
        let letter = "abc ".repeat(256);
        let mut scans = 0;
        while finder.dfa.get().is_none() {
            let (found, _) = all(&finder, &letter);
            assert_eq!(found.len(), 256);
            scans += 1;
        }
        assert_eq!(scans, DFA_AFTER_BYTES.div_ceil(letter.len()) + 1);
        assert_eq!(all(&finder, &letter).0.len(), 256);
    }
}
