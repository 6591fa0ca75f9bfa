//! Which rules run on which letters of a batch.

use crate::pattern::Reached;

/// The rules that need not run on a letter: a rule that finds nothing
/// without a match of one alternation (its gate, see
/// [`Rule::gate`](crate::rules::Rule::gate)) is not run on a letter in which
/// the index says that alternation cannot match. So a rule costs a letter
/// almost nothing unless the letter holds the literals its patterns need.
#[derive(Debug)]
pub(super) struct Gates {
    /// For each active rule, its gate's position in the index (`None`: the
    /// rule runs on every letter).
    of_rule: Box<[Option<u32>]>,
    /// The active rules (numbered among them) with the gate at position `p`
    /// are `rules[from[p]..from[p + 1]]`.
    from: Box<[u32]>,
    rules: Box<[u32]>,
}

impl Gates {
    /// Gates of the active rules, over an index of `positions` alternations.
    pub(super) fn new(of_rule: Vec<Option<u32>>, positions: usize) -> Gates {
        let mut by_position: Vec<(u32, u32)> = of_rule
            .iter()
            .enumerate()
            .filter_map(|(k, g)| g.map(|p| (p, k as u32)))
            .collect();
        by_position.sort_unstable();
        let mut from = vec![0u32; positions + 1];
        for &(p, _) in &by_position {
            from[p as usize + 1] += 1;
        }
        for p in 1..from.len() {
            from[p] += from[p - 1];
        }
        Gates {
            of_rule: of_rule.into(),
            from: from.into(),
            rules: by_position.into_iter().map(|(_, k)| k).collect(),
        }
    }

    /// For each active rule in turn, the letters of a batch it runs on, a bit
    /// a letter (`reached.len().div_ceil(64)` words a rule), given what the
    /// index reached in each letter (`None`: it did not look, so every rule
    /// runs).
    pub(super) fn letters(&self, reached: &[Option<Reached>]) -> Vec<u64> {
        let words = reached.len().div_ceil(64);
        let mut runs = vec![0u64; self.of_rule.len() * words];
        let (mut all, mut unread) = (vec![0u64; words], vec![0u64; words]);
        for (l, reached) in reached.iter().enumerate() {
            let (w, bit) = (l / 64, 1u64 << (l % 64));
            all[w] |= bit;
            let Some(reached) = reached else {
                unread[w] |= bit;
                continue;
            };
            for p in reached.positions() {
                let (a, b) = (self.from[p] as usize, self.from[p + 1] as usize);
                for &k in &self.rules[a..b] {
                    runs[k as usize * words + w] |= bit;
                }
            }
        }
        for (row, gate) in runs.chunks_mut(words.max(1)).zip(self.of_rule.iter()) {
            let add = if gate.is_some() { &unread } else { &all };
            for (r, a) in row.iter_mut().zip(add) {
                *r |= a;
            }
        }
        runs
    }
}
