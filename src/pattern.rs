//! Rule patterns: literal tokens, raw regexes and exceptions as one matcher,
//! matched like one joined regex but compiled only as far as letters need.

mod analysis;
mod embedded;
mod literals;
mod mini;
mod scan;
mod size;
mod syntax;
mod words;

use std::fmt;
use std::ops::Range;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use regex::{Regex, RegexBuilder};

pub(crate) use mini::letter_or_number;
use mini::Mini;
use scan::Needs;
pub use scan::Scan;
use words::Words;

/// Limits on a compiled pattern, so a hostile rule cannot exhaust memory.
pub const REGEX_SIZE_LIMIT: usize = 2 * 1024 * 1024;
pub const REGEX_DFA_SIZE_LIMIT: usize = 4 * 1024 * 1024;

/// What went wrong compiling one pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// The pattern as written in the rule.
    pub pattern: String,
    pub message: String,
}

/// Turns a literal token into a regex: metacharacters are literal, spaces match any
/// white space, a straight apostrophe also matches a curly one, and word characters
/// at either end get a word boundary.
pub fn token_to_regex(token: &str) -> String {
    let mut out = String::with_capacity(token.len() + 8);
    let first_word = token.chars().next().is_some_and(is_word);
    let last_word = token.chars().last().is_some_and(is_word);
    if first_word {
        out.push_str(r"\b");
    }
    let mut in_space = false;
    for c in token.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push_str(r"\s+");
            }
            in_space = true;
            continue;
        }
        in_space = false;
        match c {
            '\'' | '’' => out.push_str("['’]"),
            '"' | '“' | '”' => out.push_str("[\"“”]"),
            // What `regex::escape` escapes, without a string per character.
            '\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$'
            | '#' | '&' | '-' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    if last_word {
        out.push_str(r"\b");
    }
    out
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Compiles one regex with the crate's size limits.
pub fn compile(pattern: &str, ignorecase: bool) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .case_insensitive(ignorecase)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(limit) => {
                format!("the pattern compiles to more than {limit} bytes; simplify it")
            }
            other => other.to_string(),
        })
}

/// Whether [`compile`] would succeed, found more cheaply. A pattern that
/// parses and whose NFA provably fits the size limit (see the `size` module)
/// needs no build. Otherwise the same regex is built without the literal
/// prefilter, whose extraction is most of the cost of a big alternation and
/// can never make a build fail: the NFAs, and so the size limits, are the
/// same. If that build fails, [`compile`] itself gives the answer and the
/// message.
pub fn compiles(pattern: &str, ignorecase: bool) -> Result<(), String> {
    use regex_automata::{meta, util::syntax, MatchKind};
    // Once it parses, a pattern whose NFA cannot outgrow the limit builds.
    let config = syntax::Config::new()
        .case_insensitive(ignorecase)
        .utf8(true);
    if syntax::parse_with(pattern, &config)
        .is_ok_and(|hir| size::nfa_bound(&hir) <= REGEX_SIZE_LIMIT as u64)
    {
        return Ok(());
    }
    let quick = meta::Builder::new()
        .configure(
            meta::Config::new()
                .match_kind(MatchKind::LeftmostFirst)
                .utf8_empty(true)
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                .hybrid_cache_capacity(REGEX_DFA_SIZE_LIMIT)
                .auto_prefilter(false),
        )
        .syntax(
            syntax::Config::new()
                .case_insensitive(ignorecase)
                .utf8(true),
        )
        .build(pattern);
    match quick {
        Ok(_) => Ok(()),
        Err(_) => compile(pattern, ignorecase).map(|_| ()),
    }
}

/// True when the regex can match without consuming any text.
pub fn matches_empty(re: &Regex) -> bool {
    ["", " ", "a", "a b", "A. B", "!", "ab", "éa", "a\nb", "1,5"]
        .iter()
        .any(|probe| re.find_iter(probe).any(|m| m.is_empty()))
}

/// Compiles and checks one pattern as it stands in a rule.
pub fn compile_checked(
    written: &str,
    regex_src: &str,
    ignorecase: bool,
) -> Result<Regex, PatternError> {
    let err = |message: String| PatternError {
        pattern: written.to_string(),
        message,
    };
    let re = compile(regex_src, ignorecase).map_err(err)?;
    if matches_empty(&re) {
        return Err(err(
            "this pattern can match empty text, which would flag every position".into(),
        ));
    }
    Ok(re)
}

/// How the parts of an alternation are written as one regex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// `(?:p0)|(?:p1)|…`
    Plain,
    /// `(?P<s0>p0)|(?P<s1>p1)|…`: a match tells which part it came from.
    Named,
}

/// One alternative: its source, the literals every match needs, and its own
/// regex, compiled when first needed.
struct Part {
    src: String,
    /// What the analysis found, when first needed.
    analysed: OnceLock<Analysed>,
    re: OnceLock<Option<Regex>>,
    mini: OnceLock<Option<Mini>>,
    /// The phrases it matches, when it is a list of whole words or phrases.
    words: OnceLock<Option<Words>>,
    /// What every match needs besides its literals (two capitals in a row,
    /// a character beyond ASCII).
    char_needs: OnceLock<analysis::CharNeeds>,
    /// How often it has been run; after [`MINI_USES`] runs its regex is compiled.
    uses: AtomicU32,
}

struct Analysed {
    needs: Needs,
    /// The analysis read it fully and found literals every match contains, so it
    /// cannot match empty text and is valid alone whenever it is valid joined.
    vouched: bool,
    /// What matches need besides literals (with case heeded and ignored), when
    /// the table of embedded patterns says; else worked out when first needed.
    chars: Option<[analysis::CharNeeds; 2]>,
}

impl Analysed {
    fn new(balanced: bool, needs: Needs) -> Analysed {
        Analysed {
            vouched: balanced && !needs.is_empty(),
            needs,
            chars: None,
        }
    }

    fn from_table(entry: embedded::Entry) -> Analysed {
        Analysed {
            chars: Some(entry.chars),
            ..Analysed::new(entry.balanced, entry.needs)
        }
    }
}

impl Part {
    fn analysed(&self) -> &Analysed {
        self.analysed
            .get_or_init(|| match embedded::lookup(&self.src) {
                Some(entry) => Analysed::from_table(entry),
                None => {
                    let found = analysis::needs(&self.src);
                    Analysed::new(found.balanced, Needs::new(&found.clauses))
                }
            })
    }

    /// Reads the part from the table of embedded patterns; false when it is
    /// not there (and so must be analysed).
    fn analysed_from_table(&self) -> bool {
        if self.analysed.get().is_some() {
            return true;
        }
        match embedded::lookup(&self.src) {
            Some(entry) => {
                let _ = self.analysed.set(Analysed::from_table(entry));
                true
            }
            None => false,
        }
    }

    fn vouched(&self) -> bool {
        self.analysed().vouched
    }

    fn words(&self, ignorecase: bool) -> Option<&Words> {
        self.words
            .get_or_init(|| Words::of(&self.src, ignorecase))
            .as_ref()
    }

    fn char_needs(&self, ignorecase: bool) -> analysis::CharNeeds {
        if let Some(chars) = self.analysed().chars {
            return chars[usize::from(ignorecase)];
        }
        *self
            .char_needs
            .get_or_init(|| analysis::char_needs(&self.src, ignorecase))
    }

    fn needs_capitals(&self, ignorecase: bool) -> bool {
        self.char_needs(ignorecase).two_capitals
    }

    fn needs_non_ascii(&self, ignorecase: bool) -> bool {
        self.char_needs(ignorecase).non_ascii
    }
}

/// Counts a use; true while fewer than `limit` were counted. Past the limit it
/// only reads the counter, so threads do not fight over its cache line.
fn count_up_to(counter: &AtomicU32, limit: u32) -> bool {
    counter.load(Ordering::Relaxed) < limit && counter.fetch_add(1, Ordering::Relaxed) < limit
}

/// A part is run by the small matcher this many times before its regex is
/// compiled: one letter never pays for compiling, a thousand do, once.
const MINI_USES: u32 = 16;

#[cfg(test)]
fn mini_always() -> bool {
    tests::mini_always()
}

#[cfg(not(test))]
const fn mini_always() -> bool {
    false
}

struct Inner {
    parts: Vec<Part>,
    ignorecase: bool,
    join: Join,
    /// All parts in one regex, compiled only when needed (or when validated).
    full: OnceLock<Option<Regex>>,
    /// Searches so far: after [`WARM_SEARCHES`], ASCII text goes to `full`.
    searches: AtomicU32,
    /// The number of an index known to look at this alternation (0 for none
    /// yet); see [`Scan::any_candidate`].
    indexed_in: AtomicU64,
}

/// After this many searches an alternation's joined regex is compiled and
/// takes ASCII text the index has not located literals in (letters whose
/// characters turn the literal filter off): its own prefilter and lazy DFA
/// then beat picking parts. Where the index has located them, the few parts
/// it leaves run faster alone. The first letters of a run, checked before the
/// index is built, stay well below this count, so their joined regexes are
/// not compiled only to be dropped. (On text other than ASCII a Unicode `\b`
/// keeps a joined regex off its fast engine, so parts stay.)
const WARM_SEARCHES: u32 = 1024;

/// Patterns tried as one leftmost-first alternation, without compiling it.
///
/// Matching behaves exactly like the joined regex (`(?:p0)|(?:p1)|…`), but a
/// part whose needed literals are missing from the text is never run: it
/// cannot match, so dropping it changes nothing. A part that may match is run
/// by the small matcher at first and by its own compiled regex once it has
/// been used enough; when two or more may match, their leftmost-first order is
/// merged here (an empty match, which the merge does not model, falls back to
/// the joined regex). An alternation that has searched often sends ASCII text
/// to the joined regex directly. Clones share all of it.
#[derive(Clone)]
pub struct Alternation(Arc<Inner>);

impl fmt::Debug for Alternation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.parts.iter().map(|p| &p.src))
            .finish()
    }
}

/// One match: the index of the part (or `usize::MAX` when unknown) and its
/// range, relative to the searched span.
type Hit = (usize, Range<usize>);

impl Alternation {
    /// An alternation of regex sources; nothing is compiled yet. `None` when there
    /// are no sources.
    pub fn new(sources: Vec<String>, ignorecase: bool, join: Join) -> Option<Alternation> {
        if sources.is_empty() {
            return None;
        }
        let parts = sources
            .into_iter()
            .map(|src| Part {
                src,
                analysed: OnceLock::new(),
                re: OnceLock::new(),
                mini: OnceLock::new(),
                words: OnceLock::new(),
                char_needs: OnceLock::new(),
                uses: AtomicU32::new(0),
            })
            .collect();
        Some(Alternation(Arc::new(Inner {
            parts,
            ignorecase,
            join,
            full: OnceLock::new(),
            searches: AtomicU32::new(0),
            indexed_in: AtomicU64::new(0),
        })))
    }

    /// True when both are the same alternation (clones of one another).
    pub fn same(&self, other: &Alternation) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The sources of its parts.
    #[cfg(test)]
    pub(crate) fn sources(&self) -> impl Iterator<Item = &str> {
        self.0.parts.iter().map(|p| p.src.as_str())
    }

    /// The joined regex source, as it is compiled.
    pub fn source(&self) -> String {
        let parts = self.0.parts.iter();
        match self.0.join {
            Join::Plain => parts
                .map(|p| format!("(?:{})", p.src))
                .collect::<Vec<_>>()
                .join("|"),
            Join::Named => parts
                .enumerate()
                .map(|(i, p)| format!("(?P<s{i}>{})", p.src))
                .collect::<Vec<_>>()
                .join("|"),
        }
    }

    fn full(&self) -> Option<&Regex> {
        self.0
            .full
            .get_or_init(|| compile(&self.source(), self.0.ignorecase).ok())
            .as_ref()
    }

    /// How part `i` is run for one search: the small matcher while it is young
    /// and the text is within its reach, else its compiled regex.
    fn runner(&self, i: usize) -> Runner<'_> {
        let p = &self.0.parts[i];
        let young = count_up_to(&p.uses, MINI_USES) || mini_always();
        let mini = if young {
            p.mini
                .get_or_init(|| Mini::new(&p.src, self.0.ignorecase))
                .as_ref()
        } else {
            None
        };
        Runner { alt: self, i, mini }
    }

    fn part(&self, i: usize) -> Option<&Regex> {
        let p = &self.0.parts[i];
        p.re.get_or_init(|| compile(&p.src, self.0.ignorecase).ok())
            .as_ref()
    }

    /// True when the joined regex should search this (ASCII) text.
    fn warm(&self, hay: &str) -> bool {
        !count_up_to(&self.0.searches, WARM_SEARCHES) && !mini_always() && hay.is_ascii()
    }

    /// False when nothing in the scanned text can match.
    pub fn may_match(&self, scan: &Scan<'_>) -> bool {
        let parts = &self.0.parts;
        let key = Arc::as_ptr(&self.0) as usize;
        scan.any_candidate(
            key,
            parts.len(),
            |i| &parts[i].analysed().needs,
            &self.0.indexed_in,
        )
    }

    /// The blocks of the scanned text where a match may start (see
    /// [`Scan::may_hold`]): asked once per letter, it spares asking again for
    /// every sentence.
    pub fn starts(&self, scan: &Scan<'_>) -> u64 {
        scan.starts(Arc::as_ptr(&self.0) as usize)
    }

    /// The parts that can match in `scan.text[span]`: by their literals, and
    /// (for patterns of words in capitals, which need no literal) by whether
    /// the span has two capitals in a row, and (for patterns that need a
    /// character beyond ASCII, such as emoji) by whether it has one.
    fn candidates(&self, scan: &Scan<'_>, span: &Range<usize>) -> scan::Parts {
        let parts = &self.0.parts;
        let key = Arc::as_ptr(&self.0) as usize;
        let mut cands = scan.candidates(key, parts.len(), |i| &parts[i].analysed().needs, span);
        let capitals = |i: &usize| parts[*i].needs_capitals(self.0.ignorecase);
        if cands.iter().any(capitals) && !scan.two_capitals(span) {
            cands.retain(|i| !capitals(i));
        }
        let non_ascii = |i: &usize| parts[*i].needs_non_ascii(self.0.ignorecase);
        if cands.iter().any(non_ascii) && scan.text[span.clone()].is_ascii() {
            cands.retain(|i| !non_ascii(i));
        }
        cands
    }

    /// Every match of the joined regex in `scan.text[span]`, in order, as
    /// `find_iter` (or `captures_iter` for [`Join::Named`]) reports them.
    pub fn matches(&self, scan: &Scan<'_>, span: &Range<usize>) -> Vec<Hit> {
        let hay = &scan.text[span.clone()];
        if !self.may_match(scan) {
            return Vec::new();
        }
        // Where the index told where its literals are, a span without them
        // is ruled out cheaply, and only the few parts it leaves run; else a
        // warm joined regex just searches.
        if !scan.located() && self.warm(hay) {
            return self.matches_joined(hay);
        }
        let cands = self.candidates(scan, span);
        if cands.is_empty() {
            return Vec::new();
        }
        if let Some(hits) = self.word_hits(scan, span, &cands) {
            return hits;
        }
        self.merge(hay, &cands, usize::MAX)
            .unwrap_or_else(|| self.matches_joined(hay))
    }

    /// True when the joined regex finds a non-empty match in `scan.text[span]`.
    pub fn has_nonempty_match(&self, scan: &Scan<'_>, span: &Range<usize>) -> bool {
        let hay = &scan.text[span.clone()];
        if !self.may_match(scan) {
            return false;
        }
        let joined = |re: &Regex| re.find_iter(hay).any(|m| !m.is_empty());
        if !scan.located() && self.warm(hay) {
            if let Some(re) = self.full() {
                return joined(re);
            }
        }
        let mut cands = self.candidates(scan, span);
        if cands.is_empty() {
            return false;
        }
        let vouched = cands.iter().all(|&i| self.0.parts[i].vouched());
        if vouched && scan.located() {
            // Any match of any candidate is then a match of the joined regex;
            // lists of words are decided from where the index found them.
            let mut rest = scan::Parts::new();
            for &i in &cands {
                match self.word_matches(scan, span, i) {
                    Some(found) if !found.is_empty() => return true,
                    Some(_) => {}
                    None => rest.push(i),
                }
            }
            if rest.is_empty() {
                return false;
            }
            cands = rest;
        }
        if vouched {
            // None of them can match empty, so any match of any of them counts.
            let mut undecided = false;
            for &i in &cands {
                match self.runner(i).is_match_at(hay, 0) {
                    Some(true) => return true,
                    Some(false) => {}
                    None => undecided = true,
                }
            }
            if !undecided {
                return false;
            }
        }
        match self.merge(hay, &cands, 1) {
            Some(hits) => !hits.is_empty(),
            None => self
                .full()
                .is_some_and(|re| re.find_iter(hay).any(|m| !m.is_empty())),
        }
    }

    /// Part `i`'s matches in the span, read off the index's finds when it is
    /// a list of phrases (see the `words` module).
    fn word_matches(
        &self,
        scan: &Scan<'_>,
        span: &Range<usize>,
        i: usize,
    ) -> Option<Vec<Range<usize>>> {
        let part = &self.0.parts[i];
        let words = part.words(self.0.ignorecase)?;
        scan.word_matches(
            Arc::as_ptr(&self.0) as usize,
            i,
            words,
            &part.analysed().needs,
            span,
        )
    }

    /// The joined regex's matches in the span when every candidate is a list
    /// of phrases and their occurrences do not overlap (where two parts match
    /// the same text, the first of them is the one the regex reports); `None`
    /// otherwise.
    fn word_hits(&self, scan: &Scan<'_>, span: &Range<usize>, cands: &[usize]) -> Option<Vec<Hit>> {
        if !scan.located() {
            return None;
        }
        let mut hits = Vec::new();
        for &i in cands {
            let part = match self.0.join {
                Join::Plain => usize::MAX,
                Join::Named => i,
            };
            hits.extend(
                self.word_matches(scan, span, i)?
                    .into_iter()
                    .map(|m| (part, m)),
            );
        }
        // Candidates come in part order; a stable sort keeps the first part first.
        hits.sort_by_key(|(_, m)| (m.start, m.end));
        hits.dedup_by(|(_, b), (_, a)| a == b);
        hits.windows(2)
            .all(|w| w[0].1.end <= w[1].1.start)
            .then_some(hits)
    }

    /// Leftmost-first merge of the candidates' own matches, up to `limit` of
    /// them; `None` when an empty match (or a failed compile) needs the joined
    /// regex instead.
    fn merge(&self, hay: &str, cands: &[usize], limit: usize) -> Option<Vec<Hit>> {
        let mut runners: Vec<Runner<'_>> = cands.iter().map(|&i| self.runner(i)).collect();
        // Each candidate's next match at or after `at`, once looked for.
        let mut next: Vec<Option<Option<Range<usize>>>> = vec![None; runners.len()];
        let mut hits = Vec::new();
        let mut at = 0;
        while hits.len() < limit {
            let mut best: Option<(usize, Range<usize>)> = None;
            for (j, runner) in runners.iter_mut().enumerate() {
                let m = match &next[j] {
                    Some(Some(m)) if m.start >= at => Some(m.clone()),
                    Some(None) => None,
                    _ => {
                        let m = runner.find_at(hay, at)?;
                        next[j] = Some(m.clone());
                        m
                    }
                };
                if let Some(m) = m {
                    if best.as_ref().is_none_or(|(_, b)| m.start < b.start) {
                        best = Some((j, m));
                    }
                }
            }
            let Some((j, m)) = best else { break };
            if m.is_empty() {
                return None;
            }
            at = m.end;
            hits.push((cands[j], m));
        }
        Some(hits)
    }

    /// The matches of the joined regex itself.
    fn matches_joined(&self, hay: &str) -> Vec<Hit> {
        let Some(re) = self.full() else {
            return Vec::new();
        };
        match self.0.join {
            Join::Plain => re.find_iter(hay).map(|m| (usize::MAX, m.range())).collect(),
            Join::Named => re
                .captures_iter(hay)
                .filter_map(|caps| {
                    (0..self.0.parts.len())
                        .find_map(|i| caps.name(&format!("s{i}")).map(|m| (i, m.range())))
                })
                .collect(),
        }
    }
}

/// Reads every part of these alternations ahead of their first use, half of
/// them on a second thread, so the first letter finds them ready.
pub fn prepare(alternations: &[&Alternation]) {
    let parts: Vec<&Part> = alternations
        .iter()
        .flat_map(|a| a.0.parts.iter())
        .filter(|p| !p.analysed_from_table())
        .collect();
    let read = |every: usize, from: usize| {
        for p in parts.iter().skip(from).step_by(every) {
            p.analysed();
        }
    };
    if parts.len() < 64 {
        read(1, 0);
        return;
    }
    std::thread::scope(|s| {
        let helper = std::thread::Builder::new().spawn_scoped(s, || read(2, 1));
        read(2, 0);
        match helper {
            Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            Err(_) => read(2, 1),
        }
    });
}

/// Which parts of a set of alternations a letter may make candidates, found
/// in one pass over the letter: the needed literals of three or more bytes
/// of every part are one Aho-Corasick automaton, which reports exactly which
/// of them the (lowercased) text holds. Each part is filed under the literals
/// of its first clause, so only parts whose first clause is met are looked at;
/// parts that cannot be filed (a short literal, or none) are looked at for
/// every letter. So the work per letter follows the letter's length, not the
/// number of rules.
pub struct Index {
    alternations: Vec<Alternation>,
    keys: Arc<scan::KeySet>,
    /// This index's number, unique in the process (from 1).
    number: u64,
    /// Letters scanned so far (counted up to [`INDEX_AFTER`]).
    seen: AtomicU32,
    /// Built when first needed.
    tables: OnceLock<Option<Tables>>,
}

/// What the index looks letters up with.
struct Tables {
    /// The long literals, by id.
    texts: Vec<Box<str>>,
    /// Finds `texts` in a letter.
    finder: literals::Finder,
    /// Parts are numbered through all alternations: alternation `a` has
    /// parts from `first_part[a]` on.
    first_part: Vec<u32>,
    /// The alternation each part belongs to.
    alternation_of: Vec<u32>,
    parts: usize,
    /// For each long literal, the parts filed under it.
    by_literal: Vec<Vec<u32>>,
    always: Vec<u32>,
    /// For each alternation and part, its clauses as literal keys.
    clauses: Vec<Vec<Clauses>>,
    /// Parts (numbered as in `first_part`) that are lists of phrases, each of
    /// them a needed literal: their matches are read off the automaton's
    /// finds (or looked for directly, when short).
    words: Vec<u64>,
}

/// A part's clauses as literal keys.
type Clauses = Box<[Box<[Key]>]>;

/// How a needed literal is looked up: by its id in the automaton, or (one or
/// two bytes long) in the letter's bytes.
#[derive(Debug, Clone, Copy)]
enum Key {
    Long(u32),
    Short(u8, [u8; 2]),
}

impl fmt::Debug for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Index")
            .field("alternations", &self.alternations.len())
            .field("built", &self.tables.get().is_some())
            .finish()
    }
}

/// The first letters are checked without the index: one letter should not
/// wait for an automaton to be built.
const INDEX_AFTER: u32 = 8;

/// A letter this long is worth building the index for by itself.
const INDEX_AT_ONCE: usize = 64 << 10;

impl Index {
    /// Indexes alternations; the tables are built when a run has checked a
    /// few letters.
    pub fn new(alternations: &[&Alternation]) -> Index {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Index {
            number: NEXT.fetch_add(1, Ordering::Relaxed),
            alternations: alternations.iter().map(|a| (*a).clone()).collect(),
            keys: Arc::new(
                alternations
                    .iter()
                    .map(|a| Arc::as_ptr(&a.0) as usize)
                    .collect(),
            ),
            seen: AtomicU32::new(0),
            tables: OnceLock::new(),
        }
    }

    /// The tables, once the index is in use (`None` before, or when there is
    /// nothing to look for). A long text (`len` bytes) uses them at once.
    fn tables(&self, len: usize) -> Option<&Tables> {
        if len < INDEX_AT_ONCE && count_up_to(&self.seen, INDEX_AFTER) {
            return None;
        }
        self.tables
            .get_or_init(|| Tables::new(&self.alternations))
            .as_ref()
    }
}

impl Tables {
    fn new(alternations: &[Alternation]) -> Option<Tables> {
        let mut ids: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
        let mut texts: Vec<Box<str>> = Vec::new();
        let mut by_literal: Vec<Vec<u32>> = Vec::new();
        let mut always = Vec::new();
        let mut clauses = Vec::with_capacity(alternations.len());
        let mut first_part = Vec::with_capacity(alternations.len());
        let mut parts = 0u32;
        let mut words: Vec<u64> = Vec::new();
        for alt in alternations {
            first_part.push(parts);
            let mut of_alt = Vec::with_capacity(alt.0.parts.len());
            for part in alt.0.parts.iter() {
                let entry = parts;
                parts += 1;
                let needs = &part.analysed().needs;
                let as_ids: Clauses = needs
                    .clauses()
                    .map(|clause| {
                        clause
                            .iter()
                            .map(|lit| {
                                let text = needs.text(lit);
                                match *text.as_bytes() {
                                    [] => Key::Short(0, [0, 0]),
                                    [a] => Key::Short(1, [a, 0]),
                                    [a, b] => Key::Short(2, [a, b]),
                                    _ => Key::Long(*ids.entry(text).or_insert_with(|| {
                                        texts.push(text.into());
                                        by_literal.push(Vec::new());
                                        (texts.len() - 1) as u32
                                    })),
                                }
                            })
                            .collect()
                    })
                    .collect();
                let long = |k: &Key| match k {
                    Key::Long(id) => Some(*id),
                    Key::Short(..) => None,
                };
                match as_ids.first() {
                    Some(first) if first.iter().all(|k| long(k).is_some()) => {
                        for id in first.iter().filter_map(long) {
                            let list = &mut by_literal[id as usize];
                            if list.last() != Some(&entry) {
                                list.push(entry);
                            }
                        }
                    }
                    _ => always.push(entry),
                }
                if as_ids.len() == 1
                    && part.words(alt.0.ignorecase).is_some_and(|w| {
                        let mut clause: Vec<&str> =
                            needs.clause(0).iter().map(|l| needs.text(l)).collect();
                        clause.sort_unstable();
                        clause.dedup();
                        w.lowercased() == clause
                    })
                {
                    words.resize(words.len().max(entry as usize / 64 + 1), 0);
                    words[entry as usize / 64] |= 1 << (entry % 64);
                }
                of_alt.push(as_ids);
            }
            clauses.push(of_alt);
        }
        // With no literal long enough for the automaton, the tables still
        // rule parts out by their short literals (if any), and spare each
        // letter the grams an unindexed text is checked with.
        if parts == 0 {
            return None;
        }
        let literals: Vec<Box<[u8]>> = texts.iter().map(|t| t.as_bytes().into()).collect();
        let finder = literals::Finder::new(&literals)?;
        let alternation_of = (0..alternations.len())
            .flat_map(|a| std::iter::repeat_n(a as u32, alternations[a].0.parts.len()))
            .collect();
        Some(Tables {
            alternation_of,
            texts,
            finder,
            first_part,
            parts: parts as usize,
            by_literal,
            always,
            clauses,
            words,
        })
    }
}

/// Which of an index's alternations, by their position in it, a scanned
/// text may match: those the index left no candidate part in cannot match
/// anywhere in the text.
#[derive(Debug, Clone)]
pub struct Reached(Vec<u64>);

impl Reached {
    /// The positions of the alternations that may match, in order.
    pub fn positions(&self) -> Ones<'_> {
        Ones::new(&self.0)
    }
}

/// The set bits of a bit set kept in words (bit `i` in word `i / 64`), in order.
pub struct Ones<'a> {
    words: &'a [u64],
    /// The word `bits` came from, times 64.
    base: usize,
    /// What is left of that word.
    bits: u64,
}

impl<'a> Ones<'a> {
    /// The set bits of `words`.
    pub fn new(words: &'a [u64]) -> Ones<'a> {
        Ones {
            words,
            base: 0,
            bits: words.first().copied().unwrap_or(0),
        }
    }
}

impl Iterator for Ones<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.bits == 0 {
            self.base += 64;
            self.bits = *self.words.get(self.base / 64)?;
        }
        let i = self.base + self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        Some(i)
    }
}

impl Index {
    /// Works out, for every indexed alternation, the parts the scanned text
    /// may match. Tells which alternations may match at all, unless the
    /// index has not looked (the text's characters turn the literal filter
    /// off, or the index is not in use yet): then any may.
    pub fn scan(&self, scan: &Scan<'_>) -> Option<Reached> {
        if !scan.filters() {
            return None;
        }
        let t = self.tables(scan.text.len())?;
        let norm = scan.norm();
        // Which literals the text holds, and the parts filed under them.
        let mut present = vec![0u64; t.texts.len().div_ceil(64)];
        let mut hit = vec![0u64; t.parts.div_ceil(64)];
        for &p in &t.always {
            hit[p as usize / 64] |= 1 << (p % 64);
        }
        let mut found: Vec<(u32, u32, u32)> = Vec::with_capacity(norm.len() / 4);
        let bytes = t.finder.find_all(norm.as_bytes(), |id, start, end| {
            found.push((id, start, end));
            present[id as usize / 64] |= 1u64 << (id % 64);
        });
        for id in Ones::new(&present) {
            for &p in &t.by_literal[id] {
                hit[p as usize / 64] |= 1 << (p % 64);
            }
        }
        // Group the finds by literal (a counting sort over the literals
        // present): each present literal gets a range of `grouped`. Its rank
        // among them is looked up, not counted from the bit set: without
        // the `popcnt` instruction (not in the baseline x86-64 this is built
        // for), counting the bits of a word takes some twenty instructions.
        // The table is kept from letter to letter, not cleared: only the
        // entries of present literals are read, and they are written first.
        let mut rank_of = RANKS.take();
        if rank_of.len() < t.texts.len() {
            rank_of.resize(t.texts.len(), 0);
        }
        let mut n = 0u32;
        for id in Ones::new(&present) {
            rank_of[id] = n;
            n += 1;
        }
        let rank = |id: u32| rank_of[id as usize];
        let mut starts = vec![0u32; n as usize + 1];
        for f in &found {
            starts[rank(f.0) as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut grouped = vec![(0, 0, 0); found.len()];
        let mut next = starts.clone();
        for f in found {
            let r = rank(f.0) as usize;
            grouped[next[r] as usize] = f;
            next[r] += 1;
        }
        let short = ShortGrams {
            text: norm.as_bytes(),
            bytes,
            pairs: Default::default(),
        };
        let has = |key: &Key| match *key {
            Key::Long(id) => present[id as usize / 64] & (1 << (id % 64)) != 0,
            Key::Short(n, bytes) => short.has(&bytes[..n as usize]),
        };
        // Where a present literal was found: a range of `grouped`.
        let range = |key: &Key| match *key {
            Key::Long(id) => {
                let r = rank(id) as usize;
                (starts[r], starts[r + 1])
            }
            Key::Short(..) => scan::NOT_FOUND,
        };
        // Only the parts filed under a present literal (or always looked at)
        // are gone through, in order, so alternations come one after another.
        let mut met = Vec::new();
        // The candidates of every alternation, one after another (one list
        // for the letter, not one allocation per alternation), and for each
        // alternation with some, its key, range of the list and blocks.
        let mut candidates = Vec::new();
        let mut lists: Vec<(usize, u32, u32, u64)> = Vec::new();
        let mut first = 0;
        let mut current = None;
        // The blocks where the first clauses' literals of an alternation's
        // candidates start (all of them when one of those literals is
        // looked for directly).
        let mut starts = 0u64;
        let mut reached = vec![0u64; self.alternations.len().div_ceil(64)];
        let mut flush =
            |a: Option<usize>, candidates: &mut Vec<scan::Candidate>, starts: &mut u64| {
                if let Some(a) = a.filter(|_| candidates.len() > first) {
                    let alt: &Alternation = &self.alternations[a];
                    let key = Arc::as_ptr(&alt.0) as usize;
                    lists.push((key, first as u32, candidates.len() as u32, *starts));
                    reached[a / 64] |= 1 << (a % 64);
                }
                first = candidates.len();
                *starts = 0;
            };
        for p in Ones::new(&hit) {
            let p = p as u32;
            let a = t.alternation_of[p as usize] as usize;
            if current != Some(a) {
                flush(current, &mut candidates, &mut starts);
                current = Some(a);
            }
            let i = (p - t.first_part[a]) as usize;
            let clauses = &t.clauses[a][i];
            if !clauses.iter().all(|clause| clause.iter().any(has)) {
                continue;
            }
            met.clear();
            if clauses.is_empty() {
                starts = u64::MAX;
            }
            for (k, clause) in clauses.iter().enumerate() {
                for (l, key) in clause.iter().enumerate() {
                    if has(key) {
                        let (from, to) = range(key);
                        met.push((k as u8, l as u16, from, to));
                        if k == 0 && (from, to) == scan::NOT_FOUND {
                            starts = u64::MAX;
                        } else if k == 0 {
                            for f in &grouped[from as usize..to as usize] {
                                starts |= 1 << scan.block(f.1 as usize);
                            }
                        }
                    }
                }
            }
            let words = t
                .words
                .get(p as usize / 64)
                .is_some_and(|w| w & (1 << (p % 64)) != 0);
            candidates.push(scan::Candidate::new(i as u32, met.as_slice(), words));
        }
        flush(current, &mut candidates, &mut starts);
        RANKS.set(rank_of);
        scan.set_candidates(candidates, &lists);
        scan.set_found(grouped);
        scan.set_indexed(Arc::clone(&self.keys), self.number);
        Some(Reached(reached))
    }
}

thread_local! {
    /// Each present literal's rank among those a letter holds, by id (see
    /// [`Index::scan`]).
    static RANKS: std::cell::Cell<Vec<u32>> = const { std::cell::Cell::new(Vec::new()) };
}

/// What literals too short for the automaton are looked up in: the set of
/// bytes a text holds (noted during the walk), and a set of the byte pairs it
/// holds (made when a pair is first asked for; it may say yes to a pair the
/// text does not hold, never no to one it does).
struct ShortGrams<'t> {
    text: &'t [u8],
    bytes: [u64; 4],
    pairs: std::cell::OnceCell<[u64; 64]>,
}

/// Where a byte pair is noted in [`ShortGrams`]: by the low six bits of each
/// byte, so that the set is 512 bytes, not 8 KB to clear for every letter.
/// Pairs of lowercase letters and spaces each have a slot of their own; other
/// bytes share (a digit with a letter from `p` to `y`, an apostrophe with
/// `g`), which only makes a literal look present where it is not, and the
/// search of each span rules it out.
fn pair_slot(a: u8, b: u8) -> usize {
    usize::from(a & 63) << 6 | usize::from(b & 63)
}

impl ShortGrams<'_> {
    fn has_byte(&self, b: u8) -> bool {
        self.bytes[b as usize / 64] & (1 << (b % 64)) != 0
    }

    /// False when the text surely does not hold `lit` (of one or two bytes;
    /// longer ones are never asked here).
    fn has(&self, lit: &[u8]) -> bool {
        match *lit {
            [] => true,
            [b] => self.has_byte(b),
            [a, b] => {
                if !(self.has_byte(a) && self.has_byte(b)) {
                    return false;
                }
                let pairs = self.pairs.get_or_init(|| {
                    let mut set = [0u64; 64];
                    for w in self.text.windows(2) {
                        let i = pair_slot(w[0], w[1]);
                        set[i / 64] |= 1 << (i % 64);
                    }
                    set
                });
                let i = pair_slot(a, b);
                pairs[i / 64] & (1 << (i % 64)) != 0
            }
            _ => false,
        }
    }
}

/// Runs one part: the small matcher until it cannot decide, then the regex.
struct Runner<'a> {
    alt: &'a Alternation,
    i: usize,
    mini: Option<&'a Mini>,
}

impl Runner<'_> {
    /// The small matcher's answer to [`Runner::find_at`], while it can
    /// decide; once it cannot, it is dropped and the regex answers.
    fn mini_find_at(&mut self, hay: &str, at: usize) -> Option<Option<Range<usize>>> {
        match self.mini?.find_at(hay, at) {
            Ok(m) => Some(m),
            Err(mini::Bail) => {
                self.mini = None;
                None
            }
        }
    }

    /// The part's leftmost-first match at or after `at`; `None` when its regex
    /// does not compile (never for a validated pattern).
    fn find_at(&mut self, hay: &str, at: usize) -> Option<Option<Range<usize>>> {
        if let Some(m) = self.mini_find_at(hay, at) {
            return Some(m);
        }
        let re = self.alt.part(self.i)?;
        Some(re.find_at(hay, at).map(|m| m.range()))
    }

    /// Whether [`Runner::find_at`] would find a match. The regex then only
    /// searches forward, and stops at the first place a match is certain,
    /// without looking for where it starts or how far it runs.
    fn is_match_at(&mut self, hay: &str, at: usize) -> Option<bool> {
        if let Some(m) = self.mini_find_at(hay, at) {
            return Some(m.is_some());
        }
        let re = self.alt.part(self.i)?;
        Some(re.is_match_at(hay, at))
    }
}

/// A fixed pattern the library itself uses (letter structure, word splitting):
/// run by the small matcher when it can decide, compiled only when it cannot.
/// Results are always those of the regex.
pub struct Builtin {
    src: &'static str,
    mini: OnceLock<Option<Mini>>,
    re: OnceLock<Regex>,
    /// Searches so far; after [`BUILTIN_MINI_USES`] the compiled regex takes over.
    uses: AtomicU32,
}

/// A built-in pattern runs on almost every line, so in a long run its compiled
/// regex soon pays for itself.
const BUILTIN_MINI_USES: u32 = 200;

/// Groups of one match, by number (0 is the whole match).
pub type Groups = Vec<Option<Range<usize>>>;

impl Builtin {
    pub const fn new(src: &'static str) -> Builtin {
        Builtin {
            src,
            mini: OnceLock::new(),
            re: OnceLock::new(),
            uses: AtomicU32::new(0),
        }
    }

    /// The pattern's source.
    #[cfg(test)]
    pub(crate) fn src(&self) -> &'static str {
        self.src
    }

    fn mini(&self) -> Option<&Mini> {
        if !count_up_to(&self.uses, BUILTIN_MINI_USES) {
            return None;
        }
        self.mini
            .get_or_init(|| Mini::new(self.src, false))
            .as_ref()
    }

    /// The compiled regex (for what the small matcher cannot decide).
    pub fn regex(&self) -> &Regex {
        self.re
            .get_or_init(|| Regex::new(self.src).expect("built-in pattern compiles"))
    }

    /// The first match and its groups, like [`Regex::captures`].
    pub fn captures(&self, hay: &str) -> Option<Groups> {
        if let Some(Ok(found)) = self.mini().map(|m| m.captures(hay)) {
            return found;
        }
        self.regex()
            .captures(hay)
            .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect())
    }

    /// The first match, like [`Regex::find`].
    pub fn find(&self, hay: &str) -> Option<Range<usize>> {
        if let Some(Ok(found)) = self.mini().map(|m| m.find_at(hay, 0)) {
            return found;
        }
        self.regex().find(hay).map(|m| m.range())
    }

    pub fn is_match(&self, hay: &str) -> bool {
        self.find(hay).is_some()
    }

    /// Every match, like [`Regex::find_iter`].
    pub fn find_iter(&self, hay: &str) -> Vec<Range<usize>> {
        if let Some(mini) = self.mini() {
            let mut found = Vec::new();
            let mut at = 0;
            let decided = loop {
                match mini.find_at(hay, at) {
                    Ok(Some(m)) if !m.is_empty() => {
                        at = m.end;
                        found.push(m);
                    }
                    Ok(None) => break true,
                    // An empty match or an undecided search: the regex says.
                    _ => break false,
                }
            };
            if decided {
                return found;
            }
        }
        self.regex().find_iter(hay).map(|m| m.range()).collect()
    }
}

/// How patterns failed to validate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// One pattern is wrong on its own.
    Pattern(PatternError),
    /// Each is fine alone, but not joined (too big together, clashing names).
    Together(String),
}

/// When the joined regex is checked: after the parts (as for tokens and raw
/// patterns) or before them (as for a substitution's exceptions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    PartsFirst,
    JoinedFirst,
}

/// Validates patterns, given as (as written, regex source), with the same errors
/// as checking each alone with [`compile_checked`] and then compiling them joined,
/// in the given order. The joined regex is compiled once and kept; a pattern is
/// compiled alone only when the analysis cannot vouch for it (or to find which
/// one broke the joined regex).
pub fn validate(
    patterns: &[(&str, String)],
    ignorecase: bool,
    join: Join,
    order: Order,
) -> Result<Option<Alternation>, Invalid> {
    let sources = patterns.iter().map(|(_, s)| s.clone()).collect();
    let Some(alt) = Alternation::new(sources, ignorecase, join) else {
        return Ok(None);
    };
    let each_alone = |all: bool| -> Result<(), Invalid> {
        for ((written, src), part) in patterns.iter().zip(&alt.0.parts) {
            if all || !part.vouched() {
                compile_checked(written, src, ignorecase).map_err(Invalid::Pattern)?;
            }
        }
        Ok(())
    };
    match compiles(&alt.source(), ignorecase) {
        Ok(()) => {
            each_alone(false)?;
            Ok(Some(alt))
        }
        Err(message) => {
            if order == Order::PartsFirst {
                each_alone(true)?;
            }
            Err(Invalid::Together(message))
        }
    }
}

/// Literal tokens and raw regexes, with exceptions, compiled into one matcher.
#[derive(Debug, Clone)]
pub struct Matcher {
    re: Option<Alternation>,
    exceptions: Option<Alternation>,
}

fn together(message: String) -> PatternError {
    PatternError {
        pattern: "(all patterns together)".into(),
        message,
    }
}

impl Matcher {
    /// Builds a matcher. Each pattern is checked on its own first, so that an
    /// error names the pattern that caused it.
    pub fn new(
        tokens: &[String],
        raw: &[String],
        exceptions: &[String],
        ignorecase: bool,
    ) -> Result<Matcher, PatternError> {
        let mut parts: Vec<(&str, String)> = Vec::new();
        for t in tokens {
            if t.trim().is_empty() {
                // Report what comes first: an earlier token's error, or this one.
                for (written, src) in &parts {
                    compile_checked(written, src, ignorecase)?;
                }
                return Err(PatternError {
                    pattern: t.clone(),
                    message: "an empty token would match everywhere".into(),
                });
            }
            parts.push((t.as_str(), token_to_regex(t)));
        }
        parts.extend(raw.iter().map(|r| (r.as_str(), r.clone())));
        let unwrap = |r: Result<Option<Alternation>, Invalid>| match r {
            Ok(a) => Ok(a),
            Err(Invalid::Pattern(e)) => Err(e),
            Err(Invalid::Together(m)) => Err(together(m)),
        };
        let re = unwrap(validate(&parts, ignorecase, Join::Plain, Order::PartsFirst))?;
        let exc: Vec<(&str, String)> = exceptions.iter().map(|e| (e.as_str(), e.clone())).collect();
        let exceptions = unwrap(validate(&exc, ignorecase, Join::Plain, Order::PartsFirst))?;
        Ok(Matcher { re, exceptions })
    }

    /// Builds a matcher from patterns known to be valid (the embedded rules,
    /// which the tests check): nothing is compiled until a letter needs it.
    pub fn trusted(
        tokens: &[String],
        raw: &[String],
        exceptions: &[String],
        ignorecase: bool,
    ) -> Matcher {
        let parts = tokens
            .iter()
            .map(|t| token_to_regex(t))
            .chain(raw.iter().cloned())
            .collect();
        Matcher {
            re: Alternation::new(parts, ignorecase, Join::Plain),
            exceptions: Alternation::new(exceptions.to_vec(), ignorecase, Join::Plain),
        }
    }

    /// Its patterns, without the exceptions (`None` when it has none).
    pub fn patterns(&self) -> Option<&Alternation> {
        self.re.as_ref()
    }

    /// Its patterns and its exceptions.
    pub fn alternations(&self) -> impl Iterator<Item = &Alternation> {
        self.re.iter().chain(&self.exceptions)
    }

    /// False when nothing in the scanned text can match.
    pub fn may_match(&self, scan: &Scan<'_>) -> bool {
        self.re.as_ref().is_some_and(|re| re.may_match(scan))
    }

    /// The blocks of the scanned text where a match may start (see
    /// [`Scan::may_hold`]).
    pub fn starts(&self, scan: &Scan<'_>) -> u64 {
        self.re.as_ref().map_or(0, |re| re.starts(scan))
    }

    /// True when the matcher has no pattern at all.
    pub fn is_empty(&self) -> bool {
        self.re.is_none()
    }

    /// Matches in `text`, as ranges relative to `text`, minus those that overlap
    /// an exception.
    pub fn find_all(&self, text: &str) -> Vec<Range<usize>> {
        self.find_all_in(&Scan::new(text), &(0..text.len()))
    }

    /// True when there is at least one match that no exception covers.
    pub fn is_match(&self, text: &str) -> bool {
        self.is_match_in(&Scan::new(text), &(0..text.len()))
    }

    /// Matches in `scan.text[span]`, as ranges relative to the span, minus those
    /// that overlap an exception.
    pub fn find_all_in(&self, scan: &Scan<'_>, span: &Range<usize>) -> Vec<Range<usize>> {
        let Some(re) = &self.re else {
            return Vec::new();
        };
        // An empty match (from a pattern the load-time probe missed) is never a finding.
        let mut found: Vec<Range<usize>> = re
            .matches(scan, span)
            .into_iter()
            .map(|(_, m)| m)
            .filter(|m| !m.is_empty())
            .collect();
        if found.is_empty() {
            return found;
        }
        if let Some(exc) = &self.exceptions {
            let excepted: Vec<Range<usize>> = exc
                .matches(scan, span)
                .into_iter()
                .map(|(_, m)| m)
                .collect();
            if !excepted.is_empty() {
                found.retain(|m| !excepted.iter().any(|e| e.start < m.end && m.start < e.end));
            }
        }
        found
    }

    /// True when `scan.text[span]` has a match that no exception covers.
    pub fn is_match_in(&self, scan: &Scan<'_>, span: &Range<usize>) -> bool {
        // Where the index located the literals, ruling the exceptions out is
        // cheap, and then any match will do.
        let no_exception = |exc: &Alternation| {
            !exc.may_match(scan) || (scan.located() && exc.candidates(scan, span).is_empty())
        };
        match &self.re {
            None => false,
            Some(re) if self.exceptions.as_ref().is_none_or(no_exception) => {
                re.has_nonempty_match(scan, span)
            }
            Some(_) => !self.find_all_in(scan, span).is_empty(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;
    use std::cell::Cell;

    thread_local! {
        static MINI_ALWAYS: Cell<bool> = const { Cell::new(false) };
    }

    /// In tests, parts can be made to use the small matcher however often they run.
    pub(super) fn mini_always() -> bool {
        MINI_ALWAYS.with(Cell::get)
    }

    /// [`texts`], and `more`.
    fn texts_and(set: &RuleSet, more: &[&str]) -> Vec<String> {
        let mut texts = texts(set);
        texts.extend(more.iter().map(|t| t.to_string()));
        texts
    }

    /// Texts that exercise the rules: every letter under `tests/` and in
    /// `examples/`, every rule and detector example, each line of them, and
    /// variants in other cases, with curly quotes, and with the characters that
    /// fold onto ASCII letters.
    fn texts(set: &RuleSet) -> Vec<String> {
        let mut texts = crate::testing::sample_files(&["txt", "md"]);
        for r in &set.rules {
            texts.extend(
                r.examples
                    .bad
                    .iter()
                    .chain(&r.examples.good)
                    .map(|e| e.text().to_string()),
            );
        }
        for d in set.moves.detectors() {
            texts.extend(
                d.examples
                    .is
                    .iter()
                    .chain(&d.examples.is_not)
                    .map(|e| e.text().to_string()),
            );
        }
        let lines: Vec<String> = texts
            .iter()
            .flat_map(|t| t.lines().map(str::to_string))
            .filter(|l| !l.trim().is_empty())
            .collect();
        texts.extend(lines);
        let variants: Vec<String> = texts
            .iter()
            .step_by(3)
            .flat_map(|t| {
                [
                    t.to_uppercase(),
                    t.to_lowercase(),
                    t.replace('\'', "’"),
                    t.replace('k', "\u{212A}").replace('s', "\u{17F}"),
                ]
            })
            .collect();
        texts.extend(variants);
        texts.sort();
        texts.dedup();
        texts
    }

    /// Matching through needed literals and the small matcher (or the parts'
    /// own regexes) gives exactly what the joined regex gives, on every text.
    #[test]
    fn alternations_match_like_the_joined_regex() {
        let set = RuleSet::defaults().expect("defaults load");
        let texts = texts(&set);
        assert!(texts.len() > 1000, "{} texts", texts.len());
        for mini in [true, false] {
            MINI_ALWAYS.with(|m| m.set(mini));
            for alt in set.alternations() {
                let full = alt.full().expect("compiles");
                for text in &texts {
                    let scan = Scan::new(text);
                    let span = 0..text.len();
                    let got = alt.matches(&scan, &span);
                    let want = alt.matches_joined(text);
                    if alt.0.join == Join::Named {
                        assert_eq!(got, want, "{alt:?} on {text:?}");
                    } else {
                        let got: Vec<_> = got.into_iter().map(|(_, m)| m).collect();
                        let want: Vec<_> = want.into_iter().map(|(_, m)| m).collect();
                        assert_eq!(got, want, "{alt:?} on {text:?}");
                    }
                    assert_eq!(
                        alt.has_nonempty_match(&scan, &span),
                        full.find_iter(text).any(|m| !m.is_empty()),
                        "{alt:?} on {text:?}"
                    );
                }
            }
        }
    }

    /// Runs every default part that `picked` picks over the sample texts and
    /// `more`, asserting `holds` of each match; returns the parts picked and
    /// the number of matches.
    fn every_match_of_parts(
        more: &[&str],
        picked: impl Fn(&Part, bool) -> bool,
        holds: impl Fn(&str) -> bool,
    ) -> (Vec<String>, usize) {
        let set = RuleSet::defaults().expect("defaults load");
        let texts = texts_and(&set, more);
        let mut parts = Vec::new();
        let mut matches = 0;
        for alt in set.alternations() {
            for (i, part) in alt.0.parts.iter().enumerate() {
                if !picked(part, alt.0.ignorecase) {
                    continue;
                }
                parts.push(part.src.clone());
                let re = alt.part(i).expect("compiles");
                for text in &texts {
                    for m in re.find_iter(text) {
                        matches += 1;
                        assert!(holds(m.as_str()), "{:?} matched {:?}", part.src, m.as_str());
                    }
                }
            }
        }
        (parts, matches)
    }

    /// Parts read as needing two capitals in a row have them in every match,
    /// on every sample text and its variants (upper case among them).
    #[test]
    fn every_match_of_a_capitals_part_has_two_capitals() {
        let (parts, matches) = every_match_of_parts(
            &[
                "I am NOT interested. ÉCOLE, ΑΘΗΝΑ and НЕТ. ǅemal ǄEMAL. Ⅻ ⅫⅫ",
                "A B C D. I. O'NEILL O’NEILL NASA-style. ⒶⒷ",
            ],
            Part::needs_capitals,
            analysis::two_capitals,
        );
        assert!(
            parts.len() >= 3 && matches > 100,
            "{parts:?}, {matches} matches"
        );
    }

    /// Parts read as needing a character beyond ASCII have one in every
    /// match, on every sample text and its variants, and emoji among them.
    #[test]
    fn every_match_of_a_non_ascii_part_has_a_character_beyond_ascii() {
        let (parts, matches) = every_match_of_parts(
            &[
                "Thanks so much 😅🙏 for this ✨ ☺️ ❤ 〰 ㊗ 👍🏽 and ⭐.",
                "Caf\u{e9}, na\u{ef}ve \u{2013} \u{17f} \u{212a}",
            ],
            Part::needs_non_ascii,
            |m| !m.is_ascii(),
        );
        assert!(
            parts.iter().any(|p| p.contains("1F000")) && matches >= 8,
            "{parts:?}, {matches} matches"
        );
    }

    /// Checks that `alt` matches in `span` what its joined regex matches in
    /// the span's text, and returns those matches.
    fn assert_matches_like_the_regex(
        alt: &Alternation,
        scan: &Scan<'_>,
        span: &Range<usize>,
    ) -> Vec<Range<usize>> {
        let hay = &scan.text[span.clone()];
        let got: Vec<Range<usize>> = alt
            .matches(scan, span)
            .into_iter()
            .map(|(_, m)| m)
            .collect();
        let full = alt.full().expect("compiles");
        let want: Vec<Range<usize>> = full.find_iter(hay).map(|m| m.range()).collect();
        assert_eq!(got, want, "{alt:?} on {hay:?}");
        want
    }

    #[test]
    fn a_long_letter_is_indexed_at_once_and_matched_like_the_regex() {
        let set = RuleSet::defaults().expect("defaults load");
        let mut text = String::new();
        // (Without the characters that turn the literal filter off.)
        let texts: Vec<String> = texts(&set)
            .into_iter()
            .filter(|t| !t.contains(['\u{212A}', '\u{17F}']))
            .collect();
        for t in texts.iter().cycle() {
            text.push_str(t);
            text.push_str("\n\n");
            if text.len() > INDEX_AT_ONCE + 1000 {
                break;
            }
        }
        let alts: Vec<&Alternation> = set.alternations().collect();
        // A fresh index, with no letters seen: the length alone brings it in.
        let index = Index::new(&alts);
        let scan = Scan::new(&text);
        index.scan(&scan);
        assert!(scan.located());
        let ends: Vec<usize> = (0..=text.len())
            .step_by(997)
            .filter(|&i| text.is_char_boundary(i))
            .chain([text.len()])
            .collect();
        let spans: Vec<Range<usize>> = ends.windows(2).map(|w| w[0]..w[1]).collect();
        let mut hits = 0;
        for alt in &alts {
            for span in &spans {
                let want = assert_matches_like_the_regex(alt, &scan, span);
                assert_eq!(alt.has_nonempty_match(&scan, span), !want.is_empty());
                hits += want.len();
            }
        }
        assert!(hits > 100, "{hits}");
    }

    /// Whether an index looks at an alternation is remembered with the
    /// alternation. With two indexes taking turns on the same alternations
    /// (one over all of them, one over every other one), each letter gets
    /// the answers a fresh index gives it, and an alternation whose regex
    /// matches the letter is never ruled out. What an index says it reached
    /// is what the alternations say of themselves.
    #[test]
    fn alternations_two_indexes_share_are_ruled_out_by_their_own_index() {
        let set = RuleSet::defaults().expect("defaults load");
        let alts: Vec<&Alternation> = set.alternations().collect();
        let half: Vec<&Alternation> = alts.iter().copied().step_by(2).collect();
        let samples: Vec<String> = texts(&set)
            .into_iter()
            .filter(|t| !t.contains(['\u{212A}', '\u{17F}']))
            .collect();
        // Long letters (indexed at once), each a few sample texts repeated.
        let letters: Vec<String> = (0..3)
            .map(|k| {
                let mut text = String::new();
                for t in samples.iter().skip(k * 7).step_by(3).take(4).cycle() {
                    text.push_str(t);
                    text.push_str("\n\n");
                    if text.len() > INDEX_AT_ONCE + 1000 {
                        break;
                    }
                }
                text
            })
            .collect();
        let indexes = [(Index::new(&alts), &alts), (Index::new(&half), &half)];
        let (mut ruled_out, mut kept) = (0, 0);
        for round in 0..2 {
            for (k, text) in letters.iter().enumerate() {
                for (index, list) in indexes.iter().cycle().skip(k + round).take(2) {
                    let scan = Scan::new(text);
                    let reached = index.scan(&scan).expect("a long letter is indexed");
                    let reached: Vec<usize> = reached.positions().collect();
                    for (position, alt) in list.iter().enumerate() {
                        let may = alt.may_match(&scan);
                        assert_eq!(reached.contains(&position), may, "{alt:?}");
                    }
                    let fresh = Scan::new(text);
                    Index::new(list).scan(&fresh);
                    for alt in &alts {
                        let may = alt.may_match(&scan);
                        assert_eq!(may, alt.may_match(&fresh), "{alt:?}");
                        let full = alt.full().expect("compiles");
                        assert!(may || !full.is_match(text), "{alt:?}");
                        if may {
                            kept += 1;
                        } else {
                            ruled_out += 1;
                        }
                    }
                }
            }
        }
        assert!(ruled_out > 50 && kept > 50, "{ruled_out} {kept}");
    }

    /// `Ones` gives the set bits of a word slice in order, past empty words
    /// and at both ends of a word.
    #[test]
    fn ones_are_the_set_bits_in_order() {
        let sets: [&[u64]; 6] = [
            &[],
            &[0],
            &[0, 0, 1 << 63],
            &[1, 0, u64::MAX],
            &[0x8000_0000_0000_0001, 0b1010],
            &[u64::MAX; 3],
        ];
        for words in sets {
            let want: Vec<usize> = (0..words.len() * 64)
                .filter(|&i| words[i / 64] & (1 << (i % 64)) != 0)
                .collect();
            assert_eq!(Ones::new(words).collect::<Vec<_>>(), want, "{words:?}");
        }
    }

    /// The pair set says yes to every pair a text holds, and among lowercase
    /// letters and spaces, no to every pair it does not.
    #[test]
    fn the_pair_set_never_misses_a_pair() {
        let mut texts: Vec<String> = texts(&RuleSet::defaults().unwrap())
            .into_iter()
            .map(|t| t.to_ascii_lowercase())
            .collect();
        texts.push("x1 ‘q’ 9p 'g @` \t\r\n€".to_string());
        let plain = |b: u8| b == b' ' || b.is_ascii_lowercase();
        let mut exact = 0;
        for text in &texts {
            let t = text.as_bytes();
            let short = ShortGrams {
                text: t,
                bytes: [u64::MAX; 4],
                pairs: Default::default(),
            };
            for w in t.windows(2) {
                assert!(short.has(w), "{:?} in {text:?}", w);
            }
            if t.iter().all(|&b| plain(b)) {
                exact += 1;
                for a in (b'a'..=b'z').chain([b' ']) {
                    for b in (b'a'..=b'z').chain([b' ']) {
                        let held = t.windows(2).any(|w| w == [a, b]);
                        assert_eq!(short.has(&[a, b]), held, "{a} {b} in {text:?}");
                    }
                }
            }
        }
        assert!(exact > 10, "{exact}");
    }

    /// Patterns that give the automaton no literal to look for (words in
    /// capitals, as `shouting` once had them) are still indexed: their texts
    /// are located without grams, and they match what their regexes match.
    #[test]
    fn patterns_with_only_short_literals_are_indexed_and_matched_like_the_regex() {
        let set = RuleSet::defaults().expect("defaults load");
        let capitals = Alternation::new(
            vec![
                r"\b\p{Lu}{2,}(?:['’]\p{Lu}+)?(?:[ \t]+(?:\p{Lu}{2,}(?:['’]\p{Lu}+)?|[AI]))+\b"
                    .into(),
                r"\b\p{Lu}{5,}\b".into(),
                r"\b(?:NO|ME|MY|WE|SO|DO)\b".into(),
            ],
            false,
            Join::Plain,
        )
        .expect("compiles");
        let alts = vec![&capitals];
        let index = Index::new(&alts);
        for _ in 0..INDEX_AFTER {
            index.scan(&Scan::new("warming up"));
        }
        let t = index.tables(0).expect("built");
        assert!(t.texts.is_empty() && t.parts > 0);
        let texts = texts_and(
            &set,
            &["I am NOT sure. NO. We ME my SO do it. THANK YOU ALL."],
        );
        let mut hits = 0;
        for text in &texts {
            let scan = Scan::new(text);
            index.scan(&scan);
            assert_eq!(scan.located(), scan.filters(), "{text:?}");
            for alt in &alts {
                hits += assert_matches_like_the_regex(alt, &scan, &(0..text.len())).len();
            }
            assert!(!scan.made_grams(), "grams made for {text:?}");
        }
        assert!(hits > 20, "{hits}");
    }

    /// With the index in use, parts that are lists of phrases are matched
    /// from where it found them: on whole texts and on spans that start and
    /// end anywhere (inside words too), the matches are exactly the joined
    /// regex's, and each such part's own finds agree with its regex.
    #[test]
    fn phrases_are_matched_from_the_index_like_the_regex() {
        phrases_match_like_the_regex(false);
    }

    /// As above, with the literals found by the NFA that literals too many
    /// for a DFA table are left to.
    #[test]
    fn phrases_are_matched_from_the_index_like_the_regex_with_the_nfa() {
        phrases_match_like_the_regex(true);
    }

    fn phrases_match_like_the_regex(nfa: bool) {
        literals::NFA_ONLY.set(nfa);
        let set = RuleSet::defaults().expect("defaults load");
        let texts = texts_and(
            &set,
            &[
                "Thank you, thank you thank.",
                "I wish I could; all the best, all the best!",
                "a lowball offer, a low-ball offer, a low ball offer",
                "THANKS thanks Thanks thanksgiving unthankful thank_you thank1",
                "I am disappointed and disappointedly frustrated-ish.",
                "pathetic\u{e9}pathetic \u{e9}pathetic pathetic\u{301} circus",
            ],
        );
        let alts: Vec<&Alternation> = set.alternations().collect();
        let index = Index::new(&alts);
        for _ in 0..INDEX_AFTER {
            index.scan(&Scan::new("warming up"));
        }
        let nfa_used = matches!(
            index.tables(0).expect("built").finder,
            literals::Finder::Nfa(_)
        );
        assert_eq!(nfa_used, nfa);
        let (mut decided, mut found) = (0, 0);
        for text in &texts {
            let scan = Scan::new(text);
            index.scan(&scan);
            let mut ends: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .step_by(7)
                .collect();
            ends.push(text.len());
            let spans: Vec<Range<usize>> = std::iter::once(0..text.len())
                .chain(ends.windows(3).map(|w| w[0]..w[2]))
                .collect();
            for alt in &alts {
                for span in &spans {
                    let hay = &text[span.clone()];
                    let want = assert_matches_like_the_regex(alt, &scan, span);
                    if alt.0.join == Join::Named {
                        assert_eq!(alt.matches(&scan, span), alt.matches_joined(hay));
                    }
                    assert_eq!(
                        alt.has_nonempty_match(&scan, span),
                        !want.is_empty(),
                        "{alt:?} on {hay:?}"
                    );
                    for i in 0..alt.0.parts.len() {
                        let Some(words) = alt.word_matches(&scan, span, i) else {
                            continue;
                        };
                        decided += 1;
                        found += words.len();
                        let re = alt.part(i).expect("compiles");
                        let own: Vec<Range<usize>> = re.find_iter(hay).map(|m| m.range()).collect();
                        assert_eq!(
                            words.is_empty(),
                            own.is_empty(),
                            "{:?} on {hay:?}",
                            alt.0.parts[i].src
                        );
                        assert!(
                            own.iter().all(|m| words.contains(m)),
                            "{:?} on {hay:?}",
                            alt.0.parts[i].src
                        );
                        if words.windows(2).all(|w| w[0].end <= w[1].start) {
                            assert_eq!(words, own, "{:?} on {hay:?}", alt.0.parts[i].src);
                        }
                    }
                }
            }
        }
        // The quick path was taken, often, and found phrases.
        assert!(
            decided > 10_000 && found > 1_000,
            "{decided} decided, {found} found"
        );
    }

    /// The quick check agrees with compiling, error messages included, on
    /// good patterns, syntax errors, patterns over the size limit and a long
    /// literal alternation (which the regex crate builds without an NFA).
    #[test]
    fn compiles_agrees_with_compile() {
        let words: Vec<String> = (0..3000).map(|i| format!("word{i}x")).collect();
        let patterns = [
            r"\bthank(?:s| you)\b".to_string(),
            "a(b".into(),
            "[z-a]".into(),
            "(?P<x>a)(?P<x>b)".into(),
            r"\p{NoSuchClass}".into(),
            "x{100000}".into(),
            r"(?:\w{40}){40}".into(),
            r"\w{200}\s\w{200}".into(),
            words.join("|"),
            format!(r"\b(?:{})\b", words.join("|")),
        ];
        let mut outcomes = Vec::new();
        for p in &patterns {
            for ci in [false, true] {
                let want = compile(p, ci).map(|_| ());
                assert_eq!(compiles(p, ci), want, "{:.60}", p);
                outcomes.push(want);
            }
        }
        // Both kinds of failure and success are among them.
        assert!(outcomes.iter().any(|o| o.is_ok()));
        assert!(outcomes.iter().any(|o| o
            .as_ref()
            .is_err_and(|e| e.contains("compiles to more than"))));
        assert!(outcomes
            .iter()
            .any(|o| o.as_ref().is_err_and(|e| e.contains("regex parse error"))));
    }

    #[test]
    fn tokens_are_literal_with_boundaries() {
        let m = Matcher::new(&["a.b (c)".into(), "I'm".into()], &[], &[], true).unwrap();
        assert_eq!(m.find_all("a.b (c) a-b (c) xa.b (c) a.b  (c)").len(), 2);
        assert_eq!(m.find_all("I’m here, im not").len(), 1);
        let m = Matcher::new(&["pass".into()], &[], &[], true).unwrap();
        assert!(m.find_all("passing").is_empty());
        // Other characters are escaped exactly as `regex::escape` does.
        for c in (' '..='~').chain("é€—…\u{a0}".chars()) {
            if c.is_whitespace() || "'\"".contains(c) {
                continue;
            }
            let want = format!(r"\ba{}b\b", regex::escape(&c.to_string()));
            assert_eq!(token_to_regex(&format!("a{c}b")), want, "{c:?}");
        }
    }

    #[test]
    fn exceptions_drop_overlapping_matches() {
        let m = Matcher::new(&["thanks".into()], &[], &[r"no,? thanks".into()], true).unwrap();
        assert_eq!(m.find_all("No thanks. Thanks!").len(), 1);
    }

    #[test]
    fn empty_matching_patterns_are_refused() {
        let err = Matcher::new(&[], &["x*".into()], &[], true).unwrap_err();
        assert_eq!(err.pattern, "x*");
        assert!(Matcher::new(&[" ".into()], &[], &[], true).is_err());
    }
}
