//! The needed literals of the embedded rules' patterns, worked out ahead of
//! time: reading some four hundred patterns is most of what start-up would
//! otherwise spend. The table is generated from the rules by the test below
//! (`DECLINE_LINT_WRITE_NEEDS=1 cargo test --lib needs_table` rewrites it)
//! and the test fails while it is out of date. A pattern missing from it is
//! simply analysed when first used, so the table only ever saves time: the
//! analysis depends on nothing but the pattern's source.
//!
//! The table holds no pointer but one (to its text): literals and clauses
//! are numbers, and each literal's hashes are computed when building (by the
//! `const fn` [`Lit::at`]). So it is read-only data, read in place: nothing
//! is allocated or hashed for it at start-up, and the loader has nothing in
//! it to patch.

use super::analysis::CharNeeds;
use super::scan::{Lit, Needs};

#[rustfmt::skip]
mod table;

/// One pattern's analysis, as the table gives it.
pub(super) struct Entry {
    pub balanced: bool,
    pub needs: Needs,
    /// What every match needs besides literals, with case heeded and ignored.
    pub chars: [CharNeeds; 2],
}

/// The table's analysis of the pattern `src`, if the table has it.
pub(super) fn lookup(src: &str) -> Option<Entry> {
    // By length first: most steps of the search compare two numbers.
    let i = table::PATTERNS
        .binary_search_by(|&(at, len, ..)| (len as usize, text(at, len)).cmp(&(src.len(), src)))
        .ok()?;
    let (_, _, balanced, from, to, chars) = table::PATTERNS[i];
    let clauses = &table::CLAUSES[from as usize..to as usize];
    Some(Entry {
        balanced,
        needs: Needs::borrowed(table::TEXT, &table::LITS, clauses),
        chars: [from_bits(chars), from_bits(chars >> 2)],
    })
}

/// From two bits: two capitals, a character beyond ASCII.
fn from_bits(b: u8) -> CharNeeds {
    CharNeeds {
        two_capitals: b & 1 != 0,
        non_ascii: b & 2 != 0,
    }
}

fn text(at: u32, len: u32) -> &'static str {
    &table::TEXT[at as usize..(at + len) as usize]
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};
    use std::fmt::Write;

    use super::*;
    use crate::pattern::analysis;
    use crate::rules::RuleSet;

    /// Two bits: two capitals, a character beyond ASCII.
    fn bits(c: CharNeeds) -> u8 {
        u8::from(c.two_capitals) | u8::from(c.non_ascii) << 1
    }

    fn render() -> String {
        let set = RuleSet::defaults().expect("defaults load");
        // In the order `lookup` searches.
        let sources: BTreeSet<(usize, String)> = set
            .alternations()
            .flat_map(|a| a.sources())
            .map(|s| (s.len(), s.to_string()))
            .collect();
        // Texts are written once each, literals first; a literal is listed
        // once for every clause it is in (a clause is a range of literals).
        let mut text = Vec::new();
        let mut at: HashMap<String, usize> = HashMap::new();
        let mut len = 0;
        let mut place = |s: &str| -> usize {
            *at.entry(s.to_string()).or_insert_with(|| {
                text.push(s.to_string());
                len += s.len();
                len - s.len()
            })
        };
        let mut lits = String::new();
        let mut clauses = String::new();
        let mut patterns = Vec::new();
        let (mut n_lits, mut n_clauses) = (0, 0);
        for (_, src) in &sources {
            let needs = analysis::needs(src);
            let from = n_clauses;
            for clause in &needs.clauses {
                let first = n_lits;
                for lit in clause {
                    let _ = writeln!(lits, "    Lit::at({}, {lit:?}),", place(lit));
                    n_lits += 1;
                }
                let _ = writeln!(clauses, "    ({first}, {n_lits}),");
                n_clauses += 1;
            }
            let chars =
                bits(analysis::char_needs(src, false)) | bits(analysis::char_needs(src, true)) << 2;
            patterns.push((src, needs.balanced, from, n_clauses, chars));
        }
        let mut entries = String::new();
        for (src, balanced, from, to, chars) in patterns {
            let _ = writeln!(
                entries,
                "    ({}, {}, {balanced}, {from}, {to}, {chars:#06b}), // {src:?}",
                place(src),
                src.len()
            );
        }
        let mut out = String::from(
            "// @generated from the embedded rules by `DECLINE_LINT_WRITE_NEEDS=1 cargo test \
             --lib needs_table`.\n// Do not edit: see src/pattern/embedded.rs.\n\n\
             use super::Lit;\n\n\
             /// The texts of the literals and the patterns' sources, one after another.\n\
             pub(super) static TEXT: &str = concat!(\n",
        );
        for t in &text {
            let _ = writeln!(out, "    {t:?},");
        }
        let _ = write!(
            out,
            ");\n\n/// The literals, each with where its text is in `TEXT`.\n\
             pub(super) static LITS: [Lit; {n_lits}] = [\n{lits}];\n\n\
             /// Each clause, as a range of `LITS`.\n\
             pub(super) static CLAUSES: [(u32, u32); {n_clauses}] = [\n{clauses}];\n\n\
             /// Each pattern, by its source's length and text (where it is in\n\
             /// `TEXT`), with whether it is balanced, its clauses (a range of\n\
             /// `CLAUSES`), and what its matches need besides literals (bits:\n\
             /// two capitals, a character beyond ASCII; the next two bits with\n\
             /// case ignored).\n\
             pub(super) static PATTERNS: [(u32, u32, bool, u32, u32, u8); {}] = [\n{entries}];\n",
            sources.len()
        );
        out
    }

    #[test]
    fn needs_table_is_current() {
        crate::testing::generated_is_current(
            "src/pattern/embedded/table.rs",
            &render(),
            "DECLINE_LINT_WRITE_NEEDS",
            "DECLINE_LINT_WRITE_NEEDS=1 cargo test --lib needs_table",
        );
    }

    #[test]
    fn the_table_gives_what_the_analysis_gives() {
        let mut found = 0;
        for &(at, len, ..) in &table::PATTERNS {
            let src = text(at, len);
            let needs = analysis::needs(src);
            let Entry {
                balanced,
                needs: table,
                chars,
            } = lookup(src).expect("listed");
            assert_eq!(balanced, needs.balanced, "{src}");
            for (ci, c) in [false, true].into_iter().zip(chars) {
                let want = analysis::char_needs(src, ci);
                assert_eq!(
                    (c.two_capitals, c.non_ascii),
                    (want.two_capitals, want.non_ascii),
                    "{src}"
                );
            }
            let owned = Needs::new(&needs.clauses);
            assert_eq!(table.len(), owned.len(), "{src}");
            for (a, b) in table.clauses().zip(owned.clauses()) {
                let texts = |n: &Needs, c: &[Lit]| -> Vec<String> {
                    c.iter().map(|l| n.text(l).to_string()).collect()
                };
                assert_eq!(texts(&table, a), texts(&owned, b), "{src}");
                for (x, y) in a.iter().zip(b) {
                    // The same hashes, whether computed when building or now.
                    assert!(x.same_search(y), "{src}");
                }
            }
            found += 1;
        }
        assert!(found > 100);
        assert!(lookup(r"\bzzz-not-in-the-table\b").is_none());
    }
}
