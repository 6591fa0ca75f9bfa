//! Reading simple Vale rules (`existence`, `substitution`, `occurrence`) as they are.
//!
//! A rule file that sets `level:` (Vale's name for severity) is read with Vale's
//! meaning: `tokens` are regular expressions wrapped in word boundaries (unless
//! `nonword: true`; an occurrence rule's `token` is used as written), `%s` in the message stands for the match (and, in a
//! substitution, the replacement first), `ignorecase` defaults to false and
//! `scope` to `text`. Vale features decline-lint does not have are an error.

use serde::{Deserialize, Serialize};

use crate::rules::{RuleError, YamlFile};

/// True when a rule file is written for Vale (it has a top-level `level:` key).
pub fn is_vale(text: &str) -> bool {
    // Only lines that start with "level" need a look.
    memchr::memmem::find_iter(text.as_bytes(), "level").any(|at| {
        (at == 0 || text.as_bytes()[at - 1] == b'\n')
            && text[at + "level".len()..]
                .lines()
                .next()
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ValeFile {
    extends: String,
    message: String,
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    link: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    ignorecase: Option<bool>,
    #[serde(default)]
    nonword: Option<bool>,
    #[serde(default)]
    tokens: Vec<String>,
    #[serde(default)]
    raw: Vec<String>,
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    exceptions: Vec<String>,
    #[serde(default)]
    swap: serde_yaml::Mapping,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
    // Vale features that decline-lint does not support: present means error.
    #[serde(default)]
    action: Option<serde_yaml::Value>,
    #[serde(default)]
    vocab: Option<serde_yaml::Value>,
    #[serde(default)]
    append: Option<serde_yaml::Value>,
    #[serde(default)]
    code: Option<serde_yaml::Value>,
}

#[derive(Debug, Serialize)]
struct Native {
    extends: String,
    severity: String,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    scope: String,
    ignorecase: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    raw: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    exceptions: Vec<String>,
    #[serde(skip_serializing_if = "serde_yaml::Mapping::is_empty")]
    swap: serde_yaml::Mapping,
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    applicability: Option<String>,
}

/// A Vale rule translated to decline-lint's format, and how its patterns map back.
pub struct Translated {
    pub file: YamlFile,
    /// (pattern as compiled, pattern as the user wrote it)
    pub patterns: Vec<(String, String)>,
}

/// Translates a Vale rule file. Errors point into the original file.
pub fn to_native(file: &YamlFile) -> Result<Translated, RuleError> {
    // The kind first, so an unsupported kind is named before its fields are.
    let loose: serde_yaml::Value = file.parse()?;
    if let Some(kind) = loose.get("extends").and_then(|k| k.as_str()) {
        if !matches!(kind, "existence" | "substitution" | "occurrence") {
            return Err(unsupported_kind(file, kind));
        }
    }
    let v: ValeFile = file.parse()?;
    for (key, present) in [
        ("action", v.action.is_some()),
        ("vocab", v.vocab.is_some()),
        ("append", v.append.is_some()),
        ("code", v.code.is_some()),
    ] {
        if present {
            return Err(file.error_at_key(
                key,
                format!("the Vale feature `{key}` is not supported by decline-lint; remove it"),
                "not supported",
            ));
        }
    }
    let kind = v.extends.as_str();
    if !matches!(kind, "existence" | "substitution" | "occurrence") {
        return Err(unsupported_kind(file, kind));
    }
    let severity = match v.level.as_deref().unwrap_or("suggestion") {
        "error" => "error",
        "warning" => "warning",
        "suggestion" => "info",
        other => {
            return Err(file.error_at_key(
                "level",
                format!("unknown level `{other}`; Vale levels are suggestion, warning and error"),
                "this level",
            ))
        }
    };
    let scope = match v.scope.as_deref().unwrap_or("text") {
        "text" | "raw" | "summary" => "letter",
        "sentence" => "sentence",
        "paragraph" => "paragraph",
        other => {
            return Err(file.error_at_key(
                "scope",
                format!(
                    "the Vale scope `{other}` has no counterpart in a letter; use text, sentence or paragraph"
                ),
                "not supported",
            ))
        }
    };
    let nonword = v.nonword.unwrap_or(false);
    let mut patterns = Vec::new();
    let mut raw = Vec::new();
    // An occurrence rule's `token` is a plain regex in Vale; `tokens` get boundaries.
    if let Some(t) = &v.token {
        patterns.push((t.clone(), t.clone()));
        raw.push(t.clone());
    }
    for t in &v.tokens {
        let compiled = if nonword {
            t.clone()
        } else {
            format!(r"\b(?:{t})\b")
        };
        patterns.push((compiled.clone(), t.clone()));
        raw.push(compiled);
    }
    for r in &v.raw {
        patterns.push((r.clone(), r.clone()));
    }
    raw.extend(v.raw.iter().cloned());
    // Vale's printf-style message: the match (and, for a swap, the replacement first).
    let mut message = v.message.clone();
    let slots: &[&str] = if kind == "substitution" {
        &["{replacement}", "{match}"]
    } else {
        &["{match}"]
    };
    for slot in slots {
        if let Some(i) = message.find("%s") {
            message.replace_range(i..i + 2, slot);
        }
    }
    let native = Native {
        extends: kind.to_string(),
        severity: severity.to_string(),
        message,
        help: v.link.as_ref().map(|l| format!("See {l}")),
        description: v.description,
        scope: scope.to_string(),
        ignorecase: v.ignorecase.unwrap_or(false),
        raw,
        exceptions: v.exceptions,
        swap: v.swap,
        min: v.min,
        max: v.max,
        applicability: (kind == "substitution").then(|| "unsafe".to_string()),
    };
    let text = serde_yaml::to_string(&native)
        .map_err(|e| file.error(None, format!("cannot translate the Vale rule: {e}"), ""))?;
    // Vale names rules in CamelCase; decline-lint ids are kebab-case.
    let stem = file.stem();
    let path = std::path::Path::new(&file.path)
        .with_file_name(format!("{}.yaml", kebab_case(&stem)))
        .display()
        .to_string();
    Ok(Translated {
        file: YamlFile::new(path, text),
        patterns,
    })
}

/// `TooManyCommas` → `too-many-commas`.
pub fn kebab_case(name: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_uppercase() && prev_lower {
            out.push('-');
        }
        if c == '_' || c == '.' || c == ' ' {
            out.push('-');
            prev_lower = false;
            continue;
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        out.extend(c.to_lowercase());
    }
    out
}

fn unsupported_kind(file: &YamlFile, kind: &str) -> RuleError {
    file.error_at_key(
        "extends",
        format!(
            "Vale rules that extend `{kind}` are not supported; decline-lint reads Vale `existence`, `substitution` and `occurrence` rules"
        ),
        "not supported",
    )
}

/// Points an error about the translated rule back into the Vale file.
pub fn remap_error(original: &YamlFile, t: &Translated, mut e: RuleError) -> RuleError {
    e.path = original.path.clone();
    e.text = original.text.as_str().into();
    e.span = None;
    for (compiled, written) in &t.patterns {
        if e.message.contains(compiled.as_str()) {
            e.message = e.message.replace(compiled.as_str(), written);
            e.span = original
                .text
                .find(written.as_str())
                .map(|i| i..i + written.len());
            break;
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_and_translates() {
        let f = YamlFile::new(
            "Vale/Cliches.yaml",
            "extends: existence\nmessage: \"Try to avoid using clichés like '%s'.\"\nlevel: warning\nignorecase: true\ntokens:\n  - at the end of the day\n  - touch base\n",
        );
        assert!(is_vale(&f.text));
        let t = to_native(&f).unwrap();
        assert!(t.file.text.contains("severity: warning"), "{}", t.file.text);
        assert!(t.file.text.contains("{match}"));
        assert!(!is_vale("extends: existence\nseverity: info\n"));
        assert!(is_vale("level: warning"));
        assert!(is_vale("extends: existence\r\nlevel  : error\r\n"));
        assert!(!is_vale(
            "message: my level: is fine\n  level: indented\nlevels: x\nlevel\n: split"
        ));
    }

    #[test]
    fn unsupported_features_are_errors() {
        let f = YamlFile::new(
            "Vale/Spell.yaml",
            "extends: spelling\nmessage: \"'%s' is misspelled\"\nlevel: error\n",
        );
        let e = to_native(&f).err().unwrap();
        assert!(
            e.message.contains("`spelling` are not supported"),
            "{}",
            e.message
        );
        assert_eq!(e.line(), Some(1));
        let f = YamlFile::new(
            "Vale/X.yaml",
            "extends: existence\nmessage: m\nlevel: error\ntokens: [a]\naction:\n  name: remove\n",
        );
        assert_eq!(to_native(&f).err().unwrap().line(), Some(5));
    }
}
