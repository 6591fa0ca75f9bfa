//! The needed literals of the embedded rules' patterns, worked out ahead of
//! time: reading some four hundred patterns is most of what start-up would
//! otherwise spend. The table is generated from the rules by the test below
//! (`DECLINE_LINT_WRITE_NEEDS=1 cargo test --lib needs_table` rewrites it)
//! and the test fails while it is out of date. A pattern missing from it is
//! simply analysed when first used, so the table only ever saves time: the
//! analysis depends on nothing but the pattern's source.

#[rustfmt::skip]
mod table;

/// The analysis of `src` (balanced, clauses), if the table has it.
pub(super) fn lookup(src: &str) -> Option<(bool, &'static [&'static [&'static str]])> {
    let i = table::NEEDS
        .binary_search_by(|(s, _, _)| (*s).cmp(src))
        .ok()?;
    let (_, balanced, clauses) = table::NEEDS[i];
    Some((balanced, clauses))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::fmt::Write;

    use crate::pattern::analysis;
    use crate::rules::RuleSet;

    fn render() -> String {
        let set = RuleSet::defaults().expect("defaults load");
        let sources: BTreeSet<String> = set
            .alternations()
            .flat_map(|a| a.sources())
            .map(str::to_string)
            .collect();
        let mut out = String::new();
        out.push_str(
            "// @generated from the embedded rules by `DECLINE_LINT_WRITE_NEEDS=1 cargo test \
             --lib needs_table`.\n// Do not edit: see src/pattern/embedded.rs.\n\n\
             /// (pattern source, balanced, clauses of needed literals), by source.\n\
             pub(super) static NEEDS: &[(&str, bool, &[&[&str]])] = &[\n",
        );
        for src in &sources {
            let needs = analysis::needs(src);
            let _ = write!(out, "    ({src:?}, {}, &[", needs.balanced);
            for clause in &needs.clauses {
                let _ = write!(out, "&{clause:?}, ");
            }
            out.push_str("]),\n");
        }
        out.push_str("];\n");
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
        for src in [r"\bthank(?:s| you)\b", r"\bzzz-not-in-the-table\b"] {
            let needs = analysis::needs(src);
            if let Some((balanced, clauses)) = super::lookup(src) {
                assert_eq!(balanced, needs.balanced);
                assert_eq!(clauses, needs.clauses);
            }
        }
        assert!(super::lookup(r"\bzzz-not-in-the-table\b").is_none());
    }
}
