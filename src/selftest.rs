//! Running the examples that rule and move files carry: bad ones must fire, good ones must not.

use std::sync::Arc;

use crate::letter::Letter;
use crate::lint::{Linter, Options};
use crate::rules::{Example, Rule, RuleSet};

/// An example that did not behave as its file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// The rule id or `moves/<name>`.
    pub subject: String,
    /// The file the example is in.
    pub origin: String,
    /// The example's text, as written.
    pub example: String,
    /// What went wrong.
    pub problem: String,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {}\n    example: {:?}",
            self.subject, self.origin, self.problem, self.example
        )
    }
}

/// Does `rule` fire on `example`?
pub fn fires(set: &RuleSet, rule: &Rule, example: &Example) -> bool {
    let linter = Linter::new(
        set.clone(),
        Options {
            select: vec![rule.id.clone()],
            needed_moves_only: true,
            ..Options::default()
        },
    );
    let letter = Letter::parse("example", example.text());
    linter
        .lint(&letter, &example.context())
        .findings
        .iter()
        .any(|f| f.rule == rule.id)
}

/// Checks the examples of the rules that `wanted` selects and of every move detector.
pub fn check_examples(set: &RuleSet, wanted: impl Fn(&str) -> bool) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    // One copy shared by every rule's linter (and its compiled patterns).
    let shared = Arc::new(set.clone());
    for rule in set.rules.iter().filter(|r| wanted(&r.origin)) {
        let linter = Linter::shared(
            Arc::clone(&shared),
            Options {
                select: vec![rule.id.clone()],
                needed_moves_only: true,
                ..Options::default()
            },
        );
        let fired = |ex: &Example| {
            let letter = Letter::parse("example", ex.text());
            linter
                .lint(&letter, &ex.context())
                .findings
                .iter()
                .any(|f| f.rule == rule.id)
        };
        for ex in &rule.examples.bad {
            if !fired(ex) {
                failures.push(ExampleFailure {
                    subject: rule.id.clone(),
                    origin: rule.origin.clone(),
                    example: ex.text().to_string(),
                    problem: "a bad example does not fire the rule".into(),
                });
            }
        }
        for ex in &rule.examples.good {
            if fired(ex) {
                failures.push(ExampleFailure {
                    subject: rule.id.clone(),
                    origin: rule.origin.clone(),
                    example: ex.text().to_string(),
                    problem: "a good example fires the rule".into(),
                });
            }
        }
    }
    let moves = &set.moves;
    for d in moves.detectors().iter().filter(|d| wanted(&d.origin)) {
        let bit = 1 << moves.index(&d.name).expect("detector is a move");
        for ex in &d.examples.is {
            if moves.tag(ex.text()) & bit == 0 {
                failures.push(ExampleFailure {
                    subject: format!("moves/{}", d.name),
                    origin: d.origin.clone(),
                    example: ex.text().to_string(),
                    problem: "an `is` example is not detected".into(),
                });
            }
        }
        for ex in &d.examples.is_not {
            if moves.tag(ex.text()) & bit != 0 {
                failures.push(ExampleFailure {
                    subject: format!("moves/{}", d.name),
                    origin: d.origin.clone(),
                    example: ex.text().to_string(),
                    problem: "an `is_not` example is detected".into(),
                });
            }
        }
    }
    failures
}
