//! Parsing and linting: one ordinary letter, and one letter of 1 MiB.
//!
//! `cargo bench --bench lint`. The rules are loaded once, outside the timing;
//! the first iterations warm the patterns up as a long run would.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use decline_lint::{Context, Letter, Linter, Options, RuleSet};

const LETTER: &str = include_str!("../examples/letter.txt");

/// A long letter: many body paragraphs between an opening and a sign-off.
fn long_letter(bytes: usize) -> String {
    let paragraph = "Thank you for the time you and the team spent with me. I have decided to \
                     withdraw, as I accepted an offer closer to home for my family. I hope our \
                     paths cross again, and I wish you every success with the search.\n\n";
    let mut body = String::with_capacity(bytes + paragraph.len());
    while body.len() < bytes {
        body.push_str(paragraph);
    }
    format!("Subject: Interview\n\nDear Ms. Lee,\n\n{body}Best regards,\nSam Rivera\n")
}

fn bench(c: &mut Criterion) {
    let linter = Linter::new(RuleSet::defaults().expect("rules load"), Options::default());
    let context = Context::new();

    let mut group = c.benchmark_group("one letter");
    group
        .sample_size(40)
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Bytes(LETTER.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| Letter::parse("letter.txt", black_box(LETTER)))
    });
    group.bench_function("parse + lint", |b| {
        b.iter(|| {
            let letter = Letter::parse("letter.txt", black_box(LETTER));
            linter.lint(&letter, &context).findings.len()
        })
    });
    group.finish();

    let long = long_letter(1024 * 1024);
    let mut group = c.benchmark_group("1 MiB letter");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Bytes(long.len() as u64));
    group.bench_function("parse + lint", |b| {
        b.iter(|| {
            let letter = Letter::parse("long.txt", black_box(long.as_str()));
            linter.lint(&letter, &context).findings.len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
