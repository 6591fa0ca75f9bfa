//! An upper bound on how much memory the regex engine's NFA builder can use
//! for a pattern, worked out from the parsed pattern without building it.
//!
//! Building a pattern fails, once it parses, only when its NFA outgrows the
//! size limit. A folder of rules is checked at every run, and building every
//! NFA (Unicode classes such as `\w` make thousands of states each) is most
//! of that cost; when the bound is within the limit, the build cannot fail
//! and is left until a letter needs the regex.
//!
//! The bound follows how `regex-automata` compiles each kind of expression
//! (forward with capture states, and in reverse without them), counting every
//! state at the builder's 32 bytes plus what it holds on the heap, and
//! rounding each count up. A test builds patterns with the bound as their
//! size limit: a bound that is too small makes them fail.

use std::cell::RefCell;

use regex_syntax::hir::{Class, ClassUnicode, Hir, HirKind};

use super::scan::FastMap;

/// What an expression can add to the builder: states, and heap bytes (eight
/// per transition of a sparse state, four per branch of a union).
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    states: u64,
    heap: u64,
}

impl Cost {
    fn new(states: u64, heap: u64) -> Cost {
        Cost { states, heap }
    }

    fn plus(self, other: Cost) -> Cost {
        Cost::new(
            self.states.saturating_add(other.states),
            self.heap.saturating_add(other.heap),
        )
    }

    fn times(self, n: u64) -> Cost {
        Cost::new(self.states.saturating_mul(n), self.heap.saturating_mul(n))
    }

    fn bytes(self) -> u64 {
        self.states
            .saturating_mul(STATE_BYTES)
            .saturating_add(self.heap)
    }
}

/// The size of one state in the NFA builder (its own tests pin it at 32 on
/// 64-bit targets); counted as 40 to leave room.
const STATE_BYTES: u64 = 40;

/// At most how many bytes the NFA builder uses for `hir`, in either direction.
pub(super) fn nfa_bound(hir: &Hir) -> u64 {
    // The unanchored prefix, the match state and the implicit capture group.
    cost(hir).plus(Cost::new(16, 64)).bytes()
}

fn cost(hir: &Hir) -> Cost {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Cost::new(1, 0),
        HirKind::Literal(lit) => Cost::new(lit.0.len() as u64 + 1, 0),
        HirKind::Class(Class::Bytes(c)) => Cost::new(2, 8 * c.ranges().len() as u64),
        HirKind::Class(Class::Unicode(c)) if c.is_ascii() => {
            Cost::new(2, 8 * c.ranges().len() as u64)
        }
        HirKind::Class(Class::Unicode(c)) => unicode_class(c),
        HirKind::Capture(c) => cost(&c.sub).plus(Cost::new(2, 0)),
        HirKind::Concat(subs) => subs
            .iter()
            .fold(Cost::new(1, 0), |sum, sub| sum.plus(cost(sub))),
        HirKind::Alternation(subs) => subs
            .iter()
            .fold(Cost::new(2, 4 * subs.len() as u64), |sum, sub| {
                sum.plus(cost(sub))
            }),
        HirKind::Repetition(rep) => {
            // `x{m,n}` is `m` copies and `n - m` optional ones, `x{m,}` one
            // more copy than `m`, each with a union or two around it.
            let copies = u64::from(rep.max.unwrap_or(rep.min)).saturating_add(2);
            cost(&rep.sub)
                .plus(Cost::new(3, 12))
                .times(copies)
                .plus(Cost::new(2, 0))
        }
    }
}

/// A class of non-ASCII characters. Each UTF-8 sequence of the class is a
/// chain of byte ranges; the forward compiler shares prefixes and the reverse
/// one suffixes, so either makes at most one state and one transition per
/// byte range, and a union branch per sequence. Counting the sequences takes
/// a while for a class like `\w`, which most rules of a folder share: counts
/// are kept per class.
fn unicode_class(c: &ClassUnicode) -> Cost {
    type Ranges = Box<[(char, char)]>;
    thread_local! {
        static COUNTED: RefCell<FastMap<Ranges, Cost>> = RefCell::default();
    }
    let key: Ranges = c.iter().map(|r| (r.start(), r.end())).collect();
    if let Some(cost) = COUNTED.with(|m| m.borrow().get(&key).copied()) {
        return cost;
    }
    let (mut ranges, mut sequences) = (0u64, 0u64);
    for &(start, end) in key.iter() {
        for seq in regex_syntax::utf8::Utf8Sequences::new(start, end) {
            ranges += seq.as_slice().len() as u64;
            sequences += 1;
        }
    }
    let cost = Cost::new(ranges + sequences + 4, 8 * ranges + 4 * sequences + 16);
    COUNTED.with(|m| m.borrow_mut().insert(key, cost));
    cost
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::{meta, util::syntax};

    fn parse(pattern: &str, ignorecase: bool) -> Hir {
        syntax::parse_with(pattern, &syntax::Config::new().case_insensitive(ignorecase))
            .expect("parses")
    }

    /// Builds `pattern` as the linter does, with `limit` as the NFA size limit.
    fn builds_within(pattern: &str, ignorecase: bool, limit: usize) -> bool {
        meta::Builder::new()
            .configure(
                meta::Config::new()
                    .nfa_size_limit(Some(limit))
                    .utf8_empty(true),
            )
            .syntax(syntax::Config::new().case_insensitive(ignorecase))
            .build(pattern)
            .is_ok()
    }

    #[test]
    fn patterns_build_within_their_bound() {
        let set = crate::rules::RuleSet::defaults().expect("defaults load");
        let mut patterns: Vec<(String, bool)> = set
            .alternations()
            .flat_map(|a| {
                let ic = a.0.ignorecase;
                std::iter::once((a.source(), ic))
                    .chain(a.sources().map(move |s| (s.to_string(), ic)))
            })
            .collect();
        for p in [
            r"\w",
            r"\w+",
            r"\bsynthword1\w*",
            r"\W{3,}",
            r"[\p{L}\p{N}]{2,5}",
            r"\p{Greek}+|\p{Cyrillic}*?",
            r"(?:a|b|c){10}",
            r"(?:\w\s){4,}",
            r"(?:(?:x|yy)?z){0,7}",
            r"[^a]",
            r"(?-u:[\x00-\x7f])+",
            r"\bthe (?:best|worst)\b[.!?]*",
            r"(?i)straße|ǅ|ﬀ",
            r"(?P<name>\d{3})-(\d{4})",
            r"\b(?:[A-Z]{2,}\s*){3,}\b",
            r"^\s*$",
            r"(?:)",
            r"a{0}",
            r"[\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}]",
        ] {
            patterns.push((p.to_string(), false));
            patterns.push((p.to_string(), true));
        }
        assert!(patterns.len() > 300);
        for (p, ic) in &patterns {
            let bound = nfa_bound(&parse(p, *ic));
            assert!(
                builds_within(p, *ic, bound as usize),
                "{p:?} (ignore case {ic}) needs more than its bound of {bound} bytes"
            );
        }
    }

    /// Patterns made up from pieces (classes, literals, groups, repetitions,
    /// alternations, nested), a few thousand of them, deterministically.
    fn made_up_patterns(n: usize) -> Vec<String> {
        const ATOMS: [&str; 14] = [
            r"\w",
            r"\W",
            r"\d",
            r"\s",
            r"[a-z]",
            r"[^a-z]",
            r"\p{L}",
            r"\p{Greek}",
            "é",
            "thank",
            "x",
            r"[\u{1F300}-\u{1FAFF}]",
            ".",
            r"\b",
        ];
        const REPS: [&str; 9] = ["", "*", "+", "?", "{2}", "{0,3}", "{3,}", "{1,9}", "{12}"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m as u64) as usize
        };
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let mut p = String::new();
            for _ in 0..1 + next(4) {
                let piece = match next(3) {
                    0 => ATOMS[next(ATOMS.len())].to_string(),
                    1 => format!(
                        "(?:{}|{})",
                        ATOMS[next(ATOMS.len())],
                        ATOMS[next(ATOMS.len())]
                    ),
                    _ => format!("({}{})", ATOMS[next(ATOMS.len())], REPS[next(REPS.len())]),
                };
                p.push_str(&piece);
                let rep = REPS[next(REPS.len())];
                if !piece.ends_with("\\b") {
                    p.push_str(rep);
                }
            }
            if next(4) == 0 {
                p = format!("(?:{p}){}", REPS[next(REPS.len())]);
            }
            out.push(p);
        }
        out
    }

    #[test]
    fn made_up_patterns_build_within_their_bound() {
        let (mut checked, mut within_limit) = (0, 0);
        for (i, p) in made_up_patterns(3000).iter().enumerate() {
            let ic = i % 2 == 0;
            let Ok(hir) = syntax::parse_with(p, &syntax::Config::new().case_insensitive(ic)) else {
                continue;
            };
            let bound = nfa_bound(&hir);
            // Far past the limit nothing is built; the real build decides.
            if bound > 64 << 20 {
                continue;
            }
            checked += 1;
            within_limit += usize::from(bound <= super::super::REGEX_SIZE_LIMIT as u64);
            assert!(
                builds_within(p, ic, bound as usize),
                "{p:?} (ignore case {ic}) needs more than its bound of {bound} bytes"
            );
        }
        assert!(
            checked > 2000 && within_limit > 1500,
            "{checked} {within_limit}"
        );
    }

    #[test]
    fn the_bound_grows_with_repetition_and_classes() {
        let b = |p: &str| nfa_bound(&parse(p, false));
        assert!(b(r"\w{20}") > 10 * b(r"\w"));
        assert!(b(r"\w") > 20 * b(r"[a-z]"));
        assert!(b(r"(?:abc){1000}{1000}") > 100 << 20);
        // A bound this large is left to the real build to decide.
        assert!(!builds_within(r"\w{2000}", false, 2 << 20));
        assert!(b(r"\w{2000}") > 2 << 20);
    }
}
