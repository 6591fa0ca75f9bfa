//! Heading anchors: mdBook-style slugs, made unique within a page.

use std::collections::{HashMap, HashSet};

/// The slug of a heading's text, the way mdBook makes it: lower case; letters,
/// digits, `-` and `_` kept; white space turned into `-`; everything else dropped.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    out
}

/// Hands out unique anchors within one page: the second "Examples" heading gets
/// `examples-1`, the third `examples-2`.
#[derive(Debug, Default, Clone)]
pub struct Slugger {
    counts: HashMap<String, usize>,
    used: HashSet<String>,
}

impl Slugger {
    pub fn new() -> Slugger {
        Slugger::default()
    }

    /// The anchor for a heading with this text.
    pub fn unique(&mut self, text: &str) -> String {
        let mut base = slug(text);
        if base.is_empty() {
            base = "section".to_string();
        }
        self.claim(base)
    }

    /// Reserves an anchor the author chose (`## Heading {#my-id}`), made unique
    /// the same way if it is taken already.
    pub fn claim(&mut self, base: String) -> String {
        let count = self.counts.entry(base.clone()).or_insert(0);
        let mut id = if *count == 0 {
            base.clone()
        } else {
            format!("{base}-{count}")
        };
        while self.used.contains(&id) {
            *count += 1;
            id = format!("{base}-{count}");
        }
        *count += 1;
        self.used.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_mdbook() {
        assert_eq!(slug("Assess the offer"), "assess-the-offer");
        assert_eq!(
            slug("Build bridges, don't burn them"),
            "build-bridges-dont-burn-them"
        );
        assert_eq!(
            slug("Build bridges, don’t burn them"),
            "build-bridges-dont-burn-them"
        );
        assert_eq!(slug("Step 1: say_thanks!"), "step-1-say_thanks");
        assert_eq!(slug("Pre-send checks"), "pre-send-checks");
        assert_eq!(slug("Über Café"), "über-café");
        assert_eq!(slug("  Trim me  "), "trim-me");
        assert_eq!(slug("`code` and *emphasis*"), "code-and-emphasis");
        assert_eq!(slug("Two  spaces"), "two--spaces");
    }

    #[test]
    fn repeats_get_numbered() {
        let mut s = Slugger::new();
        assert_eq!(s.unique("Examples"), "examples");
        assert_eq!(s.unique("Examples"), "examples-1");
        assert_eq!(s.unique("Examples"), "examples-2");
        assert_eq!(s.unique("Other"), "other");
    }

    #[test]
    fn numbered_ids_never_collide() {
        let mut s = Slugger::new();
        assert_eq!(s.unique("Note 1"), "note-1");
        assert_eq!(s.unique("Note"), "note");
        assert_eq!(s.unique("Note"), "note-2");
        assert_eq!(s.claim("note".into()), "note-3");
    }

    #[test]
    fn empty_headings_get_an_anchor() {
        let mut s = Slugger::new();
        assert_eq!(s.unique("!!!"), "section");
        assert_eq!(s.unique(""), "section-1");
    }
}
