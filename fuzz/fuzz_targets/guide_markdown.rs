//! Arbitrary Markdown as a guide page: parsing, the HTML page and the
//! terminal rendering never panic.
#![no_main]

use std::sync::OnceLock;

use decline_lint::guide::{html, terminal, Guide};
use decline_lint::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

fn rules() -> &'static RuleSet {
    static CELL: OnceLock<RuleSet> = OnceLock::new();
    CELL.get_or_init(|| RuleSet::defaults().expect("defaults load"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let Ok(guide) = Guide::from_files(vec![("content/01-fuzz.md".into(), text)]) else {
        return;
    };
    for page in &guide.pages {
        let _ = html::render_page(&guide, rules(), page);
        for (width, color) in [(80, false), (20, true), (1, false)] {
            let style = terminal::TermStyle { width, color };
            let _ = terminal::render_page(&guide, page, style);
        }
    }
});
