//! `Letter::parse` on arbitrary bytes (decoded lossily): never panics, and
//! every part is a span on character boundaries.
#![no_main]

use decline_lint::letter::{split_sentences, Letter};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    for s in split_sentences(&text) {
        common::check_span(&text, &s, "split sentence");
    }
    let letter = Letter::parse("fuzz.txt", text);
    common::check_letter(&letter);
});
