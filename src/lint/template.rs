//! Message templates: a rule's `message`, `help` and `label`, with a
//! finding's values put in.
//!
//! `{match}`, `{count}`, `{limit}`, `{replacement}` and `{expected}` stand for
//! a value. `{count|word|words}` (or `{limit|…|…}`) stands for its first word
//! when that number is 1 and its second otherwise, so that a message can say
//! "1 word" and "2 words". Anything else in braces is text.

use std::borrow::Cow;

/// The values a template may name.
const NAMES: [&str; 5] = ["match", "count", "limit", "replacement", "expected"];

/// The values that are numbers, which may choose between two words.
const NUMBERS: [&str; 2] = ["count", "limit"];

/// What a pair of braces holds.
enum Slot<'t> {
    /// `{name}`.
    Value(&'t str),
    /// `{number|one|other}`.
    Choice(&'t str, &'t str, &'t str),
    /// Anything else: text.
    Text,
}

impl<'t> Slot<'t> {
    fn of(inner: &'t str) -> Slot<'t> {
        let mut parts = inner.split('|');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(name), None, None, None) if NAMES.contains(&name) => Slot::Value(name),
            (Some(number), Some(one), Some(other), None) if NUMBERS.contains(&number) => {
                Slot::Choice(number, one, other)
            }
            _ => Slot::Text,
        }
    }
}

/// Each pair of braces in `template` with no brace between them: where it
/// opens, and what it holds.
fn braces(template: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || loop {
        let open = at + template[at..].find('{')?;
        at = open + 1;
        let rest = &template[at..];
        if let Some(close) = rest
            .find(['{', '}'])
            .filter(|&i| rest.as_bytes()[i] == b'}')
        {
            at += close + 1;
            return Some((open, &rest[..close]));
        }
    })
}

/// `template` with each pair of braces `put` gives a text for replaced by it.
fn render<'t>(template: &'t str, mut put: impl FnMut(Slot<'t>) -> Option<Cow<'t, str>>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut done = 0;
    for (open, inner) in braces(template) {
        if let Some(text) = put(Slot::of(inner)) {
            out.push_str(&template[done..open]);
            out.push_str(&text);
            done = open + inner.len() + 2;
        }
    }
    out.push_str(&template[done..]);
    out
}

/// `template` with the values `value` gives put in. A value goes in as it
/// is (braces in a matched text are not read again); a name with no value
/// is left as written.
pub(super) fn fill<'v>(template: &str, value: impl Fn(&str) -> Option<&'v str>) -> String {
    render(template, |slot| match slot {
        Slot::Value(name) => value(name).map(Cow::Borrowed),
        Slot::Choice(number, one, other) => {
            value(number).map(|n| Cow::Borrowed(if n == "1" { one } else { other }))
        }
        Slot::Text => None,
    })
}

/// `template` as the reader of a rule sees it: each name as `name` shows
/// it, and each choice of words as the word for any number but 1, so that
/// `{count} {count|word|words}` reads "{count} words".
pub fn shown(template: &str, name: impl Fn(&str) -> String) -> String {
    render(template, |slot| match slot {
        Slot::Value(n) => Some(Cow::Owned(name(n))),
        Slot::Choice(_, _, other) => Some(Cow::Borrowed(other)),
        Slot::Text => None,
    })
}

/// `template` as a summary of what a rule reports, the way the README's
/// table of rules shows it: numbers as "N", other values as "…", and each
/// choice of words as the plural ("The body has only N words").
pub fn summary(template: &str) -> String {
    shown(template, |name| {
        if NUMBERS.contains(&name) { "N" } else { "…" }.to_string()
    })
}

/// Why `template` cannot be used: braces that start like a choice of words
/// but are not one. Other braces are text.
pub fn check(template: &str) -> Result<(), String> {
    for (_, inner) in braces(template) {
        let Some((name, _)) = inner.split_once('|') else {
            continue;
        };
        if !NAMES.contains(&name) || matches!(Slot::of(inner), Slot::Choice(..)) {
            continue;
        }
        return Err(if NUMBERS.contains(&name) {
            format!(
                "`{{{inner}}}` needs two words, the one for 1 and the one for any other number, as in `{{{name}|word|words}}`"
            )
        } else {
            format!("`{{{inner}}}`: only `count` and `limit` choose between two words")
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(name: &str) -> Option<&'static str> {
        match name {
            "count" => Some("1"),
            "limit" => Some("25"),
            "match" => Some("{count} [Name]"),
            _ => None,
        }
    }

    #[test]
    fn values_go_in_and_numbers_choose_a_word() {
        assert_eq!(
            fill(
                "only {count} {count|word|words}, at least {limit} {limit|word|words}",
                vars
            ),
            "only 1 word, at least 25 words"
        );
        assert_eq!(fill("{limit} {limit|is|are} plenty", vars), "25 are plenty");
    }

    /// A matched text is put in as it is, even when it looks like a name.
    #[test]
    fn a_value_is_not_read_again() {
        assert_eq!(
            fill("\"{match}\" ({count})", vars),
            "\"{count} [Name]\" (1)"
        );
    }

    /// A name with no value, unknown names, stray and nested braces stay.
    #[test]
    fn what_is_not_filled_stays_as_written() {
        for t in [
            "{replacement} and {replacement|a|b}",
            "{name}, {{company}}, {count",
            "{ {count}",
            "}{",
            "{count|word}",
            "{match|a|b}",
            "",
        ] {
            let expected = t.replace("{count}", "1");
            assert_eq!(fill(t, vars), expected, "{t}");
        }
    }

    #[test]
    fn shown_names_the_values_and_takes_the_plural() {
        assert_eq!(
            shown(
                "only {count} {count|word|words}; {limit} {limit|is|are} {x}",
                |n| format!("<{n}>")
            ),
            "only <count> words; <limit> are {x}"
        );
    }

    #[test]
    fn a_summary_shows_numbers_as_n() {
        assert_eq!(
            summary("\"{match}\": {count} {count|word|words}"),
            "\"…\": N words"
        );
    }

    #[test]
    fn only_well_formed_choices_pass_the_check() {
        for ok in [
            "The body has only {count} {count|word|words}.",
            "{limit} {limit|is|are} plenty; {name} and {x|y} are text",
            "a | b {count}",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        let err = check("{count|word}").unwrap_err();
        assert!(err.contains("{count|word|words}"), "{err}");
        assert!(check("{limit|a|b|c}").is_err());
        let err = check("{match|it|them}").unwrap_err();
        assert!(err.contains("only `count` and `limit`"), "{err}");
    }
}
