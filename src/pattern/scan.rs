//! Which needed literals a letter may hold: a per-letter scan that answers
//! "can this text (or this part of it) contain …?" from a hashed set of the
//! bytes, byte pairs and byte triples it holds (a false yes is possible, a
//! false no is not), then exactly for the parts of the text searched.

use std::borrow::Cow;
use std::cell::{Cell, OnceCell, Ref, RefCell};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use smallvec::SmallVec;

use super::words::Words;

/// A literal string a pattern needs, as it is looked for: up to four hashed
/// byte triples (first, last and two between); a two-byte literal by its pair,
/// a one-byte literal by its byte. Its text is `at..at + len` of the text of
/// the [`Needs`] it belongs to. It holds no pointer, so the table of the
/// embedded patterns' literals is read-only data the loader never patches.
#[derive(Debug, Clone, Copy)]
pub struct Lit {
    at: u32,
    len: u32,
    grams: [u32; 4],
    count: u8,
    byte: Option<u8>,
}

/// The literals every match of a pattern needs: a list of clauses, each met
/// when the text holds one of its literals. Borrowed from the table of
/// embedded patterns, or owned.
#[derive(Debug, Clone)]
pub struct Needs {
    /// The literals' texts, one after another (the table's text is shared by
    /// all its patterns).
    text: Cow<'static, str>,
    lits: Cow<'static, [Lit]>,
    /// Each clause's literals, as a range of `lits`.
    clauses: Cow<'static, [(u32, u32)]>,
}

impl Needs {
    /// Clauses of the literals given.
    pub fn new<S: AsRef<str>, C: AsRef<[S]>>(clauses: &[C]) -> Needs {
        let mut text = String::new();
        let mut lits = Vec::new();
        let mut ranges = Vec::with_capacity(clauses.len());
        for clause in clauses {
            let from = lits.len() as u32;
            for lit in clause.as_ref() {
                lits.push(Lit::at(text.len() as u32, lit.as_ref()));
                text.push_str(lit.as_ref());
            }
            ranges.push((from, lits.len() as u32));
        }
        Needs {
            text: Cow::Owned(text),
            lits: Cow::Owned(lits),
            clauses: Cow::Owned(ranges),
        }
    }

    /// Clauses of a table: `clauses` are ranges of `lits`, whose texts are in
    /// `text`.
    pub(crate) fn borrowed(
        text: &'static str,
        lits: &'static [Lit],
        clauses: &'static [(u32, u32)],
    ) -> Needs {
        Needs {
            text: Cow::Borrowed(text),
            lits: Cow::Borrowed(lits),
            clauses: Cow::Borrowed(clauses),
        }
    }

    /// The number of clauses.
    pub fn len(&self) -> usize {
        self.clauses.len()
    }

    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// Clause `k`'s literals.
    pub fn clause(&self, k: usize) -> &[Lit] {
        let (from, to) = self.clauses[k];
        &self.lits[from as usize..to as usize]
    }

    pub fn clauses(&self) -> impl ExactSizeIterator<Item = &[Lit]> + '_ {
        (0..self.len()).map(|k| self.clause(k))
    }

    /// The text of one of these literals.
    pub fn text(&self, lit: &Lit) -> &str {
        &self.text[lit.at as usize..(lit.at + lit.len) as usize]
    }
}

/// FNV-1a (a multiply-and-shift for whole numbers): short keys hash much
/// faster than with SipHash, and nothing here needs protection from chosen
/// collisions.
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// Keys here are mostly addresses: one multiply-and-shift mix (as in
    /// SplitMix64) spreads their aligned low bits in a few instructions.
    fn write_usize(&mut self, n: usize) {
        let x = (self.0 ^ n as u64).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        self.0 = x ^ (x >> 31);
    }

    /// Characters (as in character classes) are mixed the same way.
    fn write_u32(&mut self, n: u32) {
        self.write_usize(n as usize);
    }
}

impl Lit {
    /// The literal `text`, found at `at` in its [`Needs`]' text. (A `const
    /// fn`: the table of embedded patterns is worked out when building.)
    pub const fn at(at: u32, text: &str) -> Lit {
        let b = text.as_bytes();
        let mut lit = Lit {
            at,
            len: b.len() as u32,
            grams: [0; 4],
            count: 0,
            byte: None,
        };
        match b {
            [] => {}
            [x] => lit.byte = Some(*x),
            [x, y] => {
                lit.grams[0] = pair_gram(*x, *y);
                lit.count = 1;
            }
            _ => {
                let n = b.len() - 2;
                // In order already: 2n/3 <= n - 1 for n >= 1.
                let at = [0, n / 3, 2 * n / 3, n - 1];
                let mut k = 0;
                while k < at.len() {
                    let i = at[k];
                    if k == 0 || at[k - 1] != i {
                        lit.grams[lit.count as usize] = triple_gram(b[i], b[i + 1], b[i + 2]);
                        lit.count += 1;
                    }
                    k += 1;
                }
            }
        }
        lit
    }

    /// True when the two are looked for alike (wherever their texts are).
    #[cfg(test)]
    pub(crate) fn same_search(&self, other: &Lit) -> bool {
        (self.len, self.grams, self.count, self.byte)
            == (other.len, other.grams, other.count, other.byte)
    }
}

const fn mix(kind: u64, x: u64) -> u32 {
    let h = (x | kind << 32).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h ^ (h >> 29)) as u32
}

const fn pair_gram(x: u8, y: u8) -> u32 {
    mix(2, (x as u64) << 8 | y as u64)
}

const fn triple_gram(x: u8, y: u8, z: u8) -> u32 {
    mix(3, (x as u64) << 16 | (y as u64) << 8 | z as u64)
}

/// The bytes of a text, and a hashed set of its byte pairs and triples.
struct Grams {
    bytes: [u64; 4],
    bits: Vec<u64>,
    mask: u64,
}

impl Grams {
    fn of(b: &[u8]) -> Grams {
        // About sixteen bits per byte keeps the set sparse.
        let n = (b.len() * 16).next_power_of_two().max(256);
        let mut g = Grams {
            bytes: [0; 4],
            bits: vec![0; n / 64],
            mask: n as u64 - 1,
        };
        for (i, &x) in b.iter().enumerate() {
            g.bytes[x as usize / 64] |= 1 << (x % 64);
            if let Some(&y) = b.get(i + 1) {
                g.add(pair_gram(x, y));
                if let Some(&z) = b.get(i + 2) {
                    g.add(triple_gram(x, y, z));
                }
            }
        }
        g
    }

    fn add(&mut self, h: u32) {
        let i = (u64::from(h) & self.mask) as usize;
        self.bits[i / 64] |= 1 << (i % 64);
    }

    fn has(&self, h: u32) -> bool {
        let i = (u64::from(h) & self.mask) as usize;
        self.bits[i / 64] & (1 << (i % 64)) != 0
    }

    /// False when the text surely does not contain the literal.
    fn may_contain(&self, lit: &Lit) -> bool {
        match lit.byte {
            Some(x) => self.bytes[x as usize / 64] & (1 << (x % 64)) != 0,
            None => lit.grams[..lit.count as usize].iter().all(|&h| self.has(h)),
        }
    }
}

thread_local! {
    /// No candidates, shared (so that saying so does not allocate).
    static NONE: Rc<[Candidate]> = Rc::from(Vec::new());
}

/// One alternation's candidates: a range of a list that may hold other
/// alternations' too (an index lists a letter's candidates all at once).
#[derive(Clone)]
pub(crate) struct Cands {
    all: Rc<[Candidate]>,
    from: u32,
    to: u32,
}

impl Cands {
    /// All of `all`.
    fn whole(all: Rc<[Candidate]>) -> Cands {
        let to = all.len() as u32;
        Cands { all, from: 0, to }
    }
}

impl std::ops::Deref for Cands {
    type Target = [Candidate];

    fn deref(&self) -> &[Candidate] {
        &self.all[self.from as usize..self.to as usize]
    }
}

/// A hash map keyed by small values (addresses, offsets).
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

type Memo<K, V> = RefCell<FastMap<K, V>>;

/// A set of alternations, by address.
pub(crate) type KeySet = HashSet<usize, BuildHasherDefault<Fnv>>;

/// A part the whole text may match, with the literals of each clause the text
/// may hold (a clause of thirty words usually keeps one or two): spans of the
/// text are checked against those only.
pub(crate) struct Candidate {
    part: u32,
    /// (clause, literal) indexes, by clause, with where the literal was found:
    /// a range of [`Scan::found`], or [`NOT_FOUND`] when it is looked for
    /// directly. (Usually one or two: held inline, without an allocation.)
    present: SmallVec<[(u8, u16, u32, u32); 2]>,
    /// A list of whole words or phrases (see the `words` module): its
    /// matches are read off where the index found them.
    words: bool,
}

/// The two bits of a 256-bit filter that stand for `key` (an address):
/// (word, bit) pairs from the top bytes of a multiplicative hash.
#[inline]
fn key_bits(key: usize) -> [(usize, u64); 2] {
    let h = (key as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let (a, b) = ((h >> 56) as usize, (h >> 48) as usize & 255);
    [(a / 64, 1 << (a % 64)), (b / 64, 1 << (b % 64))]
}

/// Parts of an alternation, by index: those a span may match (usually a
/// few, held inline: a span is asked about many times a letter).
pub type Parts = SmallVec<[usize; 4]>;

/// A literal an index does not look for with its automaton.
pub(crate) const NOT_FOUND: (u32, u32) = (u32::MAX, u32::MAX);

impl Candidate {
    pub(crate) fn new(part: u32, present: &[(u8, u16, u32, u32)], words: bool) -> Candidate {
        Candidate {
            part,
            present: SmallVec::from_slice(present),
            words,
        }
    }
}

/// One text being checked: the text and what it (and parts of it) may hold.
pub struct Scan<'t> {
    pub text: &'t str,
    /// `text` with ASCII letters lowercased: same length, same offsets.
    norm: String,
    /// False when the text holds characters that case-insensitive patterns match
    /// to ASCII letters (KELVIN SIGN, LONG S); then nothing is ruled out.
    filter: bool,
    /// Grams of the whole text, made on first need.
    whole: OnceCell<Grams>,

    /// The parts each alternation (by address) may match somewhere in the
    /// text, and the blocks of the text (see [`Scan::block`]) where a literal
    /// of their first clauses starts: a span that has none of those blocks
    /// has no candidates. (All blocks, when the index did not locate them.)
    candidates: Memo<usize, (Cands, u64)>,
    /// The keys of `candidates` as a 256-bit filter (see [`key_bits`]): a key
    /// whose two bits are not both set is surely not there, which spares
    /// most rules a lookup in a letter they cannot match. Kept by
    /// [`Scan::list`], read by [`Scan::listed`]: every entry goes in and out
    /// through those two.
    listed: Cell<[u64; 4]>,
    /// Blocks are `1 << block_shift` bytes, so that a text has at most 64.
    block_shift: u32,
    /// Alternations an index has looked at: one missing from `candidates`
    /// has none.
    indexed: RefCell<Option<Arc<KeySet>>>,
    /// The number of the index that set `indexed` (0 for none).
    indexed_by: Cell<u64>,
    /// Where the index found its literals: (id, start, end), sorted.
    found: RefCell<Vec<(u32, u32, u32)>>,
    /// Where the text has two capitals in a row, made on first need.
    capitals: OnceCell<Box<[(u32, u32)]>>,
}

impl<'t> Scan<'t> {
    pub fn new(text: &'t str) -> Scan<'t> {
        let norm = text.to_ascii_lowercase();
        let filter = !(text.contains('\u{212A}') || text.contains('\u{17F}'));
        Scan {
            text,
            norm,
            filter,
            whole: OnceCell::new(),

            // About as many alternations as a letter has candidates in.
            candidates: RefCell::new(FastMap::with_capacity_and_hasher(32, Default::default())),
            listed: Cell::new([0; 4]),
            indexed: RefCell::default(),
            indexed_by: Cell::new(0),
            found: RefCell::default(),
            capitals: OnceCell::new(),
            block_shift: (text
                .len()
                .div_ceil(64)
                .max(1)
                .next_power_of_two()
                .trailing_zeros())
            .max(4),
        }
    }

    /// The block of the text offset `at` falls in.
    pub(crate) fn block(&self, at: usize) -> u32 {
        ((at >> self.block_shift) as u32).min(63)
    }

    /// The blocks where alternation `key` may have a match start: none when
    /// an index found it has no candidates, all when the index did not
    /// locate its literals (or did not look).
    pub(crate) fn starts(&self, key: usize) -> u64 {
        if !self.filter {
            return u64::MAX;
        }
        if let Some(listed) = self.listed(key) {
            return listed.1;
        }
        if self.indexed_has(key) {
            0
        } else {
            u64::MAX
        }
    }

    /// True when an index has looked at alternation `key` (so that it has
    /// no candidates unless the index set some).
    fn indexed_has(&self, key: usize) -> bool {
        self.indexed
            .borrow()
            .as_ref()
            .is_some_and(|keys| keys.contains(&key))
    }

    /// False when nothing with these `starts` can match in `span`.
    pub fn may_hold(&self, starts: u64, span: &Range<usize>) -> bool {
        starts & self.blocks(span) != 0
    }

    /// The blocks `span` touches, as a set.
    fn blocks(&self, span: &Range<usize>) -> u64 {
        if span.is_empty() {
            return 0;
        }
        let (a, b) = (self.block(span.start), self.block(span.end - 1));
        (u64::MAX >> (63 - b)) & (u64::MAX << a)
    }

    /// True when `text[span]` has two adjacent characters that may be
    /// capitals, read off the list [`super::analysis::capital_pairs`] makes
    /// once for the whole text.
    pub(crate) fn two_capitals(&self, span: &Range<usize>) -> bool {
        let pairs = self
            .capitals
            .get_or_init(|| super::analysis::capital_pairs(self.text).into());
        let i = pairs.partition_point(|&(s, _)| (s as usize) < span.start);
        pairs.get(i).is_some_and(|&(_, e)| e as usize <= span.end)
    }

    /// True once the grams of the whole text have been made.
    #[cfg(test)]
    pub(crate) fn made_grams(&self) -> bool {
        self.whole.get().is_some()
    }

    fn whole(&self) -> &Grams {
        self.whole.get_or_init(|| Grams::of(self.norm.as_bytes()))
    }

    /// The parts (by index) that can match in `text[span]`, by what their
    /// needed literals allow: those the whole text may hold (found once per
    /// alternation, `key`, and text), then those the span may hold.
    pub fn candidates<'n>(
        &self,
        key: usize,
        parts: usize,
        needs: impl Fn(usize) -> &'n Needs,
        span: &Range<usize>,
    ) -> Parts {
        if !self.filter {
            return (0..parts).collect();
        }
        let starts = self.listed(key).map(|listed| listed.1);
        if starts.is_some_and(|s| s & self.blocks(span) == 0) {
            return Parts::new();
        }
        let whole = self.whole_candidates(key, parts, &needs);
        if whole.is_empty() {
            return Parts::new();
        }
        let slice = &self.norm[span.clone()];
        let found = self.found.borrow();
        let (start, end) = (span.start as u32, span.end as u32);
        whole
            .iter()
            .filter(|c| {
                let needs = needs(c.part as usize);
                // Every clause has a present literal the span holds too.
                let mut ok = true;
                let mut clause = u8::MAX;
                let mut met = true;
                for &(k, l, from, to) in c.present.iter() {
                    if k != clause {
                        if !met {
                            ok = false;
                            break;
                        }
                        clause = k;
                        met = false;
                    }
                    met = met
                        || if (from, to) == NOT_FOUND {
                            contains(slice, needs.text(&needs.clause(k as usize)[l as usize]))
                        } else {
                            // One literal's finds are in order (of start and
                            // of end alike): the first at or after the span's
                            // start decides.
                            let finds = &found[from as usize..to as usize];
                            let i = finds.partition_point(|&(_, s, _)| s < start);
                            finds.get(i).is_some_and(|&(_, _, e)| e <= end)
                        };
                }
                ok && met
            })
            .map(|c| c.part as usize)
            .collect()
    }

    /// The matches in `text[span]` (relative to it, in order) of part `part`
    /// of alternation `key` (whose needed literals are `needs`), when the
    /// index marked it a list of whole words: every place one of them can
    /// match is where the index found it, or (a word of one or two bytes) is
    /// looked for here. `None` when the part is not such a list, or when a
    /// word boundary there cannot be decided.
    pub(crate) fn word_matches(
        &self,
        key: usize,
        part: usize,
        words: &Words,
        needs: &Needs,
        span: &Range<usize>,
    ) -> Option<Vec<Range<usize>>> {
        let listed = self.listed(key)?;
        let cands = &listed.0;
        let c = cands
            .binary_search_by_key(&(part as u32), |c| c.part)
            .ok()
            .map(|i| &cands[i])?;
        if !c.words {
            return None;
        }
        let hay = &self.text.as_bytes()[span.clone()];
        let look = regex_automata::util::look::LookMatcher::new();
        let found = self.found.borrow();
        let (start, end) = (span.start as u32, span.end as u32);
        let mut out = Vec::new();
        let mut check = |s: usize, e: usize| -> Option<()> {
            let whole = look.is_word_unicode(hay, s).ok()? && look.is_word_unicode(hay, e).ok()?;
            if whole && words.accepts(&self.text[span.start + s..span.start + e]) {
                out.push(s..e);
            }
            Some(())
        };
        for &(k, l, from, to) in c.present.iter() {
            if (from, to) == NOT_FOUND {
                // A word of one or two bytes: looked for here, in the span.
                let lit = needs.text(&needs.clause(k as usize)[l as usize]).as_bytes();
                let norm = &self.norm.as_bytes()[span.clone()];
                let (&first, rest) = lit.split_first()?;
                for s in memchr::memchr_iter(first, norm) {
                    if norm[s + 1..].starts_with(rest) {
                        check(s, s + lit.len())?;
                    }
                }
                continue;
            }
            let finds = &found[from as usize..to as usize];
            let i = finds.partition_point(|&(_, s, _)| s < start);
            for &(_, s, e) in finds[i..].iter().take_while(|&&(_, _, e)| e <= end) {
                check((s - start) as usize, (e - start) as usize)?;
            }
        }
        out.sort_unstable_by_key(|r| r.start);
        Some(out)
    }

    /// Records where an index found its literals, as (id, start, end), by
    /// literal and then in order; candidates it sets refer to ranges of it.
    pub(crate) fn set_found(&self, found: Vec<(u32, u32, u32)>) {
        *self.found.borrow_mut() = found;
    }

    /// Sets the parts the whole text may match of the alternations an index
    /// worked them out for: `lists` gives each one's key, its range of
    /// `all` and the blocks where its candidates' first literals start.
    pub(crate) fn set_candidates(&self, all: Vec<Candidate>, lists: &[(usize, u32, u32, u64)]) {
        let all: Rc<[Candidate]> = all.into();
        for &(key, from, to, starts) in lists {
            let all = Rc::clone(&all);
            self.list(key, Cands { all, from, to }, starts);
        }
    }

    /// Tells which alternations an index has looked at: those it set no
    /// candidates for have none.
    /// `index` is the number of the index (unique in the process, never 0).
    pub(crate) fn set_indexed(&self, keys: Arc<KeySet>, index: u64) {
        *self.indexed.borrow_mut() = Some(keys);
        self.indexed_by.set(index);
    }

    /// Puts alternation `key`'s candidates and blocks into `candidates`,
    /// and its bits into the filter.
    fn list(&self, key: usize, found: Cands, starts: u64) {
        let mut set = self.listed.get();
        for (w, bit) in key_bits(key) {
            set[w] |= bit;
        }
        self.listed.set(set);
        self.candidates.borrow_mut().insert(key, (found, starts));
    }

    /// Alternation `key`'s entry in `candidates`, if any: the filter rules
    /// out most keys without a lookup.
    #[inline]
    fn listed(&self, key: usize) -> Option<Ref<'_, (Cands, u64)>> {
        let set = self.listed.get();
        if !key_bits(key).iter().all(|&(w, bit)| set[w] & bit != 0) {
            return None;
        }
        Ref::filter_map(self.candidates.borrow(), |memo| memo.get(&key)).ok()
    }

    /// True when an index has recorded where its literals are in the text.
    pub(crate) fn located(&self) -> bool {
        self.indexed.borrow().is_some()
    }

    /// The text with ASCII letters lowercased (what needed literals are looked for in).
    pub(crate) fn norm(&self) -> &str {
        &self.norm
    }

    /// False when the text holds characters that make every part a candidate.
    pub(crate) fn filters(&self) -> bool {
        self.filter
    }

    /// False when no part can match anywhere in the text.
    ///
    /// `indexed_in` belongs to the alternation: the number of an index known
    /// to have looked at it (0 for none yet). Whether an index looks at an
    /// alternation is the same for every letter, so it is found out once,
    /// not with a lookup for every rule in every letter.
    pub fn any_candidate<'n>(
        &self,
        key: usize,
        parts: usize,
        needs: impl Fn(usize) -> &'n Needs,
        indexed_in: &AtomicU64,
    ) -> bool {
        if !self.filter {
            return true;
        }
        // As `whole_candidates`, without sharing the list: this is asked of
        // every rule for every letter.
        if let Some(listed) = self.listed(key) {
            return !listed.0.is_empty();
        }
        let index = self.indexed_by.get();
        if index != 0 && indexed_in.load(Ordering::Relaxed) == index {
            return false;
        }
        if self.indexed_has(key) {
            indexed_in.store(index, Ordering::Relaxed);
            return false;
        }
        !self.whole_candidates(key, parts, &needs).is_empty()
    }

    /// The parts whole text may match, worked out once per alternation.
    fn whole_candidates<'n>(
        &self,
        key: usize,
        parts: usize,
        needs: &impl Fn(usize) -> &'n Needs,
    ) -> Cands {
        if let Some(listed) = self.listed(key) {
            return listed.0.clone();
        }
        if self.indexed_has(key) {
            return Cands::whole(NONE.with(Rc::clone));
        }
        let list = Cands::whole(
            (0..parts)
                .filter_map(|i| self.candidate(i, needs(i)))
                .collect(),
        );
        self.list(key, list.clone(), u64::MAX);
        list
    }

    /// Part `part` with the literals of its clauses the whole text may hold, or
    /// `None` when a clause has none.
    pub(crate) fn candidate(&self, part: usize, needs: &Needs) -> Option<Candidate> {
        // Most parts fail a clause: find out before listing what is present.
        let whole = self.whole();
        let may = |lit: &Lit| whole.may_contain(lit);
        if !needs.clauses().all(|clause| clause.iter().any(may)) {
            return None;
        }
        let mut present = Vec::new();
        for (k, clause) in needs.clauses().enumerate() {
            let before = present.len();
            for (l, lit) in clause.iter().enumerate() {
                if may(lit) {
                    present.push((k as u8, l as u16, NOT_FOUND.0, NOT_FOUND.1));
                }
            }
            if present.len() == before {
                return None;
            }
        }
        Some(Candidate::new(part as u32, &present, false))
    }
}

/// True when `hay` contains `needle`; quick for the one- and two-byte
/// literals the span checks meet most, and for short texts.
fn contains(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    match *n {
        [] => true,
        [a] => memchr::memchr(a, h).is_some(),
        [a, b] => memchr::memchr_iter(a, h).any(|i| h.get(i + 1) == Some(&b)),
        // Setting up a searcher costs more than a sentence takes to read.
        [a, ..] if h.len() < 1024 => memchr::memchr_iter(a, h).any(|i| h[i..].starts_with(n)),
        _ => memchr::memmem::find(h, n).is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A span has two capitals in a row, by the letter's list of pairs,
    /// exactly when the text of the span has them.
    #[test]
    fn a_span_has_two_capitals_as_its_text_does() {
        let mut texts = crate::testing::sample_files(&["txt"]);
        texts.push("An ÉCOLE, SO big. No, NO. ÜBER alles AB".to_string());
        for text in &texts {
            let scan = Scan::new(text);
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .step_by(3)
                .collect();
            for (k, &a) in bounds.iter().enumerate() {
                for &b in bounds[k..].iter().step_by(7) {
                    assert_eq!(
                        scan.two_capitals(&(a..b)),
                        super::super::analysis::two_capitals(&text[a..b]),
                        "{:?}",
                        &text[a..b]
                    );
                }
            }
        }
    }

    #[test]
    fn a_span_holds_exactly_the_blocks_its_offsets_fall_in() {
        for len in [0, 1, 15, 16, 17, 100, 1023, 1024, 1025, 5000, 1 << 20] {
            let text = "a".repeat(len);
            let scan = Scan::new(&text);
            assert!(scan.block(len.saturating_sub(1)) < 64, "{len}");
            let step = (len / 41).max(1);
            for start in (0..len).step_by(step) {
                for end in (start + 1..=len).step_by(step) {
                    let span = start..end;
                    let mut touched = 0u64;
                    for at in span.clone().step_by(if len > 5000 { 64 } else { 1 }) {
                        touched |= 1 << scan.block(at);
                    }
                    touched |= 1 << scan.block(end - 1);
                    for b in 0..64 {
                        let held = scan.may_hold(1 << b, &span);
                        assert_eq!(held, touched & (1 << b) != 0, "{len}: block {b}, {span:?}");
                    }
                }
            }
            assert!(!scan.may_hold(u64::MAX, &(0..0)));
        }
    }

    #[test]
    fn grams_never_rule_out_a_present_literal() {
        let text = "Thank you, I appreciate it; I can’t decline. e";
        let norm = text.to_ascii_lowercase();
        let grams = Grams::of(norm.as_bytes());
        for w in [
            "thank",
            "than",
            "hank",
            "an",
            "you",
            "ou",
            "appreciat",
            "n’t",
            "’",
            "decline",
            "lin",
            "e",
            "i",
            "t;",
            "appreciate it; i can",
        ] {
            assert!(norm.contains(w));
            assert!(grams.may_contain(&Lit::at(0, w)), "{w}");
        }
        assert!(!grams.may_contain(&Lit::at(0, "zebra")));
        assert!(!grams.may_contain(&Lit::at(0, "x")));
    }
}
