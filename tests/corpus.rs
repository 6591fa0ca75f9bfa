//! Precision and recall of every rule over the labelled corpus in `tests/corpus/`.
//!
//! `cargo test --test corpus -- --nocapture` prints the table.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use decline_lint::{Context, Letter, Linter, Options, RuleSet, Severity};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    expect: Vec<String>,
    #[serde(default)]
    context: BTreeMap<String, String>,
    #[allow(dead_code)]
    note: String,
}

const MIN_SCORE: f64 = 0.9;

#[derive(Default, Debug, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn precision(&self) -> Option<f64> {
        let d = self.tp + self.fp;
        (d > 0).then(|| self.tp as f64 / d as f64)
    }
    fn recall(&self) -> Option<f64> {
        let d = self.tp + self.fn_;
        (d > 0).then(|| self.tp as f64 / d as f64)
    }
}

fn fmt(x: Option<f64>) -> String {
    x.map_or("  -  ".into(), |v| format!("{v:.3}"))
}

/// The labelled sets: the main corpus, and letters written later from the rule
/// definitions alone, without sight of the rules (`heldout/`).
const SETS: &[&str] = &["tests/corpus", "tests/corpus/heldout"];

#[test]
fn rules_meet_precision_and_recall_on_the_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut expected: Vec<(std::path::PathBuf, String, Entry)> = Vec::new();
    for set in SETS {
        let dir = root.join(set);
        let entries: BTreeMap<String, Entry> =
            serde_yaml::from_str(&std::fs::read_to_string(dir.join("expected.yaml")).unwrap())
                .unwrap_or_else(|e| panic!("{set}/expected.yaml: {e}"));
        for (name, entry) in entries {
            expected.push((
                dir.join("letters").join(&name),
                format!("{set}/{name}"),
                entry,
            ));
        }
    }
    let set = RuleSet::defaults().expect("default rules load");
    let ids: Vec<String> = set.rules.iter().map(|r| r.id.clone()).collect();
    let linter = Linter::new(set, Options::default());

    let mut counts: BTreeMap<String, Counts> = ids
        .iter()
        .map(|id| (id.clone(), Counts::default()))
        .collect();
    let mut mistakes = Vec::new();
    let mut clean_with_errors = Vec::new();
    let mut files = 0;
    for (path, name, entry) in &expected {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        files += 1;
        let letter = Letter::parse(name.clone(), text);
        let context: Context = entry.context.clone();
        let outcome = linter.lint(&letter, &context);
        let got: BTreeSet<&str> = outcome.findings.iter().map(|f| f.rule.as_str()).collect();
        let want: BTreeSet<&str> = entry.expect.iter().map(String::as_str).collect();
        for id in &want {
            assert!(ids.iter().any(|i| i == id), "{name}: unknown rule {id}");
        }
        for id in &ids {
            let c = counts.get_mut(id).unwrap();
            match (want.contains(id.as_str()), got.contains(id.as_str())) {
                (true, true) => c.tp += 1,
                (false, true) => {
                    c.fp += 1;
                    let f = outcome.findings.iter().find(|f| &f.rule == id).unwrap();
                    mistakes.push(format!(
                        "{name}: unexpected {id}: {:?}",
                        &letter.text[f.span.clone()]
                    ));
                }
                (true, false) => {
                    c.fn_ += 1;
                    mistakes.push(format!("{name}: missed {id}"));
                }
                (false, false) => {}
            }
        }
        if want.is_empty()
            && outcome
                .findings
                .iter()
                .any(|f| f.severity == Severity::Error)
        {
            clean_with_errors.push(name.clone());
        }
    }

    let mut table = format!(
        "corpus: {files} letters\n{:<24} {:>4} {:>4} {:>4}  {:>9}  {:>6}\n",
        "rule", "tp", "fp", "fn", "precision", "recall"
    );
    let mut failing = Vec::new();
    for (id, c) in &counts {
        table.push_str(&format!(
            "{:<24} {:>4} {:>4} {:>4}  {:>9}  {:>6}\n",
            id,
            c.tp,
            c.fp,
            c.fn_,
            fmt(c.precision()),
            fmt(c.recall())
        ));
        let low = |x: Option<f64>| x.is_some_and(|v| v < MIN_SCORE);
        if low(c.precision()) || low(c.recall()) {
            failing.push(id.clone());
        }
        if c.tp + c.fn_ == 0 {
            failing.push(format!("{id} (no letter in the corpus expects it)"));
        }
    }
    println!("{table}");
    for m in &mistakes {
        println!("  {m}");
    }
    assert!(
        clean_with_errors.is_empty(),
        "clean letters with error findings: {clean_with_errors:?}"
    );
    assert!(
        failing.is_empty(),
        "rules under {MIN_SCORE} precision or recall: {failing:?}\n\n{table}\n{}",
        mistakes.join("\n")
    );
}

/// A linter that has checked thousands of letters (and so looks for needed
/// literals with its index, first as a small automaton and later as a DFA,
/// and runs compiled regexes instead of the small matcher) finds exactly what
/// a fresh linter finds in each letter.
#[test]
fn a_long_run_finds_what_a_fresh_linter_finds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    for set in SETS {
        let dir = root.join(set).join("letters");
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for path in names {
            texts.push(std::fs::read_to_string(&path).unwrap());
        }
    }
    // Variants that keep the index honest about case and curly quotes.
    let variants: Vec<String> = texts
        .iter()
        .step_by(4)
        .flat_map(|t| [t.to_uppercase(), t.replace('\'', "’")])
        .collect();
    texts.extend(variants);
    let rules = std::sync::Arc::new(RuleSet::defaults().expect("default rules load"));
    let context = Context::new();
    let fresh: Vec<_> = texts
        .iter()
        .map(|t| {
            let linter = Linter::shared(rules.clone(), Options::default());
            let outcome = linter.lint(&Letter::parse("fresh", t.clone()), &context);
            (
                outcome.findings,
                outcome.moves.sentences,
                outcome.moves.signoff,
            )
        })
        .collect();
    let long = Linter::shared(rules.clone(), Options::default());
    let rounds = 2100 / texts.len() + 1;
    for round in 0..rounds {
        for (i, t) in texts.iter().enumerate() {
            let outcome = long.lint(&Letter::parse("fresh", t.clone()), &context);
            let got = (
                outcome.findings,
                outcome.moves.sentences,
                outcome.moves.signoff,
            );
            assert_eq!(got, fresh[i], "round {round}, letter {i}:\n{t}");
        }
    }
}
