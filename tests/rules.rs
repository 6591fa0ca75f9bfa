//! The rule registry: every example behaves, ids follow the convention, the catalog is complete.

use decline_lint::rules::{is_kebab_case, RuleSet, Severity};
use decline_lint::selftest::check_examples;

/// The default catalog. Rule ids are public API: scripts and configs name them.
const CATALOG: &[(&str, Severity)] = &[
    ("unfilled-placeholder", Severity::Error),
    ("missing-decline", Severity::Error),
    ("hostile-language", Severity::Error),
    ("missing-gratitude", Severity::Warning),
    ("missing-door-open", Severity::Warning),
    ("blunt-reason", Severity::Warning),
    ("overexplained-reason", Severity::Warning),
    ("hedged-decline", Severity::Warning),
    ("overlong-letter", Severity::Warning),
    ("curt-letter", Severity::Warning),
    ("excessive-apology", Severity::Warning),
    ("negative-tone", Severity::Warning),
    ("missing-greeting", Severity::Warning),
    ("missing-signoff", Severity::Warning),
    ("missing-signature", Severity::Warning),
    ("informal-greeting", Severity::Warning),
    ("slang", Severity::Warning),
    ("shouting", Severity::Warning),
    ("excessive-exclamation", Severity::Warning),
    ("emoji", Severity::Warning),
    ("long-sentence", Severity::Info),
    ("repeated-word", Severity::Warning),
    ("missing-subject", Severity::Info),
    ("missing-alternative", Severity::Info),
    ("mismatched-recipient", Severity::Warning),
    ("mismatched-company", Severity::Warning),
];

const MOVES: &[&str] = &[
    "gratitude",
    "decline",
    "reason",
    "apology",
    "door-open",
    "alternative",
    "well-wishes",
];

fn defaults() -> RuleSet {
    match RuleSet::defaults() {
        Ok(set) => set,
        Err(errors) => panic!(
            "the default rules do not load:\n{}",
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

#[test]
fn every_example_of_every_rule_and_move_behaves() {
    let set = defaults();
    let failures = check_examples(&set, |_| true);
    assert!(
        failures.is_empty(),
        "{} example(s) misbehave:\n\n{}",
        failures.len(),
        failures
            .iter()
            .map(|f| f.to_string())
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

#[test]
fn catalog_is_complete_with_listed_severities() {
    let set = defaults();
    let mut problems = Vec::new();
    for (id, severity) in CATALOG {
        match set.get(id) {
            None => problems.push(format!("{id}: missing")),
            Some(r) if r.severity != *severity => problems.push(format!(
                "{id}: severity {} but the catalog says {}",
                r.severity, severity
            )),
            Some(_) => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn registry_invariants() {
    let set = defaults();
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for r in &set.rules {
        if !seen.insert(r.id.clone()) {
            problems.push(format!("{}: duplicate id", r.id));
        }
        let stem = std::path::Path::new(&r.origin)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if stem != r.id {
            problems.push(format!("{}: file stem is {stem}", r.id));
        }
        if !is_kebab_case(&r.id) {
            problems.push(format!("{}: not kebab-case", r.id));
        }
        // Ids name the fault, not the remedy.
        if ["add-", "use-", "be-", "include-"]
            .iter()
            .any(|p| r.id.starts_with(p))
        {
            problems.push(format!("{}: the id names a remedy, not a fault", r.id));
        }
        if r.message.trim().is_empty() {
            problems.push(format!("{}: empty message", r.id));
        }
        if r.help.as_deref().is_none_or(|h| h.trim().is_empty()) {
            problems.push(format!("{}: no help", r.id));
        }
        match r.guide.as_deref() {
            Some(g)
                if g.split_once('#')
                    .is_some_and(|(p, a)| !p.is_empty() && !a.is_empty()) => {}
            other => problems.push(format!(
                "{}: guide anchor {other:?} is not page#anchor",
                r.id
            )),
        }
        if r.examples.bad.len() < 3 || r.examples.good.len() < 3 {
            problems.push(format!(
                "{}: {} bad and {} good examples (at least 3 of each)",
                r.id,
                r.examples.bad.len(),
                r.examples.good.len()
            ));
        }
        if r.checklist.is_none() {
            problems.push(format!("{}: no checklist item", r.id));
        }
    }
    for m in MOVES {
        match set.moves.detectors().iter().find(|d| d.name == *m) {
            None => problems.push(format!("move {m}: no detector")),
            Some(d) => {
                if d.examples.is.len() < 8 || d.examples.is_not.len() < 8 {
                    problems.push(format!(
                        "move {m}: {} `is` and {} `is_not` examples (at least 8 of each)",
                        d.examples.is.len(),
                        d.examples.is_not.len()
                    ));
                }
                if d.description.trim().is_empty() {
                    problems.push(format!("move {m}: no description"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn readme_rule_table_matches_the_rules() {
    let set = defaults();
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let mut problems = Vec::new();
    for r in &set.rules {
        let row = format!("| `{}` | {} |", r.id, r.severity);
        match readme.lines().find(|l| l.starts_with(&row)) {
            None => problems.push(format!("README has no row starting `{row}`")),
            Some(line) => {
                // The last column is the message as a summary.
                let summary = decline_lint::lint::template::summary(&r.message);
                if !line.ends_with(&format!("| {summary} |")) {
                    problems.push(format!(
                        "README row of `{}` should end `| {summary} |`",
                        r.id
                    ));
                }
            }
        }
    }
    let rows = readme
        .lines()
        .filter(|l| l.starts_with("| `") && l.contains("` | "))
        .filter(|l| {
            let sev = l.split('|').nth(2).map(str::trim).unwrap_or("");
            matches!(sev, "error" | "warning" | "info")
        })
        .count();
    if rows != set.rules.len() {
        problems.push(format!(
            "README lists {rows} rules, rules/ has {}",
            set.rules.len()
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
