//! Start-up work: loading the embedded rules, readying a linter, and the first
//! letter a fresh rule set checks (what one `decline-lint letter.txt` pays).
//!
//! `cargo bench --bench load`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use decline_lint::{Context, Letter, Linter, Options, RuleSet};

const LETTER: &str = include_str!("../examples/letter.txt");

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("start-up");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(4));
    group.bench_function("load embedded rules", |b| {
        b.iter(|| RuleSet::defaults().expect("rules load").rules.len())
    });
    group.bench_function("load + linter", |b| {
        b.iter(|| {
            let set = RuleSet::defaults().expect("rules load");
            Linter::new(set, Options::default()).active_rules().count()
        })
    });
    group.bench_function("load + linter + first letter", |b| {
        b.iter_batched(
            || (),
            |()| {
                let set = RuleSet::defaults().expect("rules load");
                let linter = Linter::new(set, Options::default());
                let letter = Letter::parse("letter.txt", black_box(LETTER));
                linter.lint(&letter, &Context::new()).findings.len()
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
