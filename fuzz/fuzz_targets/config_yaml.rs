//! Arbitrary bytes as `.decline-lint.yaml`: parsing never panics or hangs,
//! and errors render.
#![no_main]

use std::path::Path;

use decline_lint::config::Config;
use decline_lint::report;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = Config::parse(Path::new("/nonexistent/project/.decline-lint.yaml"), &text) {
        let _ = e.to_string();
        let mut out = Vec::new();
        report::render_rule_error(&mut out, false, &e).expect("render");
    }
});
