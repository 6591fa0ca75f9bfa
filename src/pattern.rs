//! Compiling rule patterns: literal tokens, raw regexes and exceptions into one matcher.

use std::ops::Range;

use regex::{Regex, RegexBuilder};

/// Limits on a compiled pattern, so a hostile rule cannot exhaust memory.
pub const REGEX_SIZE_LIMIT: usize = 2 * 1024 * 1024;
pub const REGEX_DFA_SIZE_LIMIT: usize = 4 * 1024 * 1024;

/// What went wrong compiling one pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// The pattern as written in the rule.
    pub pattern: String,
    pub message: String,
}

/// Turns a literal token into a regex: metacharacters are literal, spaces match any
/// white space, a straight apostrophe also matches a curly one, and word characters
/// at either end get a word boundary.
pub fn token_to_regex(token: &str) -> String {
    let mut out = String::new();
    let first_word = token.chars().next().is_some_and(is_word);
    let last_word = token.chars().last().is_some_and(is_word);
    if first_word {
        out.push_str(r"\b");
    }
    let mut in_space = false;
    for c in token.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push_str(r"\s+");
            }
            in_space = true;
            continue;
        }
        in_space = false;
        match c {
            '\'' | '’' => out.push_str("['’]"),
            '"' | '“' | '”' => out.push_str("[\"“”]"),
            _ => out.push_str(&regex::escape(&c.to_string())),
        }
    }
    if last_word {
        out.push_str(r"\b");
    }
    out
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Compiles one regex with the crate's size limits.
pub fn compile(pattern: &str, ignorecase: bool) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .case_insensitive(ignorecase)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(limit) => {
                format!("the pattern compiles to more than {limit} bytes; simplify it")
            }
            other => other.to_string(),
        })
}

/// True when the regex can match without consuming any text.
pub fn matches_empty(re: &Regex) -> bool {
    ["", " ", "a", "a b", "A. B", "!"]
        .iter()
        .any(|probe| re.find_iter(probe).any(|m| m.is_empty()))
}

/// Compiles and checks one pattern as it stands in a rule.
pub fn compile_checked(
    written: &str,
    regex_src: &str,
    ignorecase: bool,
) -> Result<Regex, PatternError> {
    let err = |message: String| PatternError {
        pattern: written.to_string(),
        message,
    };
    let re = compile(regex_src, ignorecase).map_err(err)?;
    if matches_empty(&re) {
        return Err(err(
            "this pattern can match empty text, which would flag every position".into(),
        ));
    }
    Ok(re)
}

/// Literal tokens and raw regexes, with exceptions, compiled into one matcher.
#[derive(Debug, Clone)]
pub struct Matcher {
    re: Option<Regex>,
    exceptions: Option<Regex>,
}

impl Matcher {
    /// Builds a matcher. Each pattern is checked on its own first, so that an
    /// error names the pattern that caused it.
    pub fn new(
        tokens: &[String],
        raw: &[String],
        exceptions: &[String],
        ignorecase: bool,
    ) -> Result<Matcher, PatternError> {
        let mut parts = Vec::new();
        for t in tokens {
            if t.trim().is_empty() {
                return Err(PatternError {
                    pattern: t.clone(),
                    message: "an empty token would match everywhere".into(),
                });
            }
            let src = token_to_regex(t);
            compile_checked(t, &src, ignorecase)?;
            parts.push(src);
        }
        for r in raw {
            compile_checked(r, r, ignorecase)?;
            parts.push(r.clone());
        }
        let re = join(&parts, ignorecase)?;
        let mut exc = Vec::new();
        for e in exceptions {
            compile_checked(e, e, ignorecase)?;
            exc.push(e.clone());
        }
        let exceptions = join(&exc, ignorecase)?;
        Ok(Matcher { re, exceptions })
    }

    /// True when the matcher has no pattern at all.
    pub fn is_empty(&self) -> bool {
        self.re.is_none()
    }

    /// Matches in `text`, as ranges relative to `text`, minus those that overlap
    /// an exception.
    pub fn find_all(&self, text: &str) -> Vec<Range<usize>> {
        let Some(re) = &self.re else {
            return Vec::new();
        };
        let mut found: Vec<Range<usize>> = re.find_iter(text).map(|m| m.range()).collect();
        if found.is_empty() {
            return found;
        }
        if let Some(exc) = &self.exceptions {
            let excepted: Vec<Range<usize>> = exc.find_iter(text).map(|m| m.range()).collect();
            if !excepted.is_empty() {
                found.retain(|m| !excepted.iter().any(|e| e.start < m.end && m.start < e.end));
            }
        }
        found
    }

    /// True when there is at least one match that no exception covers.
    pub fn is_match(&self, text: &str) -> bool {
        match &self.re {
            None => false,
            Some(re) if self.exceptions.is_none() => re.is_match(text),
            Some(_) => !self.find_all(text).is_empty(),
        }
    }
}

/// Joins patterns into one alternation; `None` when there are none.
pub fn join(parts: &[String], ignorecase: bool) -> Result<Option<Regex>, PatternError> {
    if parts.is_empty() {
        return Ok(None);
    }
    let src = parts
        .iter()
        .map(|p| format!("(?:{p})"))
        .collect::<Vec<_>>()
        .join("|");
    compile(&src, ignorecase)
        .map(Some)
        .map_err(|message| PatternError {
            pattern: "(all patterns together)".into(),
            message,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_literal_with_boundaries() {
        let m = Matcher::new(&["a.b (c)".into(), "I'm".into()], &[], &[], true).unwrap();
        assert_eq!(m.find_all("a.b (c) a-b (c) xa.b (c) a.b  (c)").len(), 2);
        assert_eq!(m.find_all("I’m here, im not").len(), 1);
        let m = Matcher::new(&["pass".into()], &[], &[], true).unwrap();
        assert!(m.find_all("passing").is_empty());
    }

    #[test]
    fn exceptions_drop_overlapping_matches() {
        let m = Matcher::new(&["thanks".into()], &[], &[r"no,? thanks".into()], true).unwrap();
        assert_eq!(m.find_all("No thanks. Thanks!").len(), 1);
    }

    #[test]
    fn empty_matching_patterns_are_refused() {
        let err = Matcher::new(&[], &["x*".into()], &[], true).unwrap_err();
        assert_eq!(err.pattern, "x*");
        assert!(Matcher::new(&[" ".into()], &[], &[], true).is_err());
    }
}
