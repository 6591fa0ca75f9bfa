//! The configuration file (`.decline-lint.yaml`): finding it, reading it, and per-file overrides.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};
use serde::Deserialize;

use crate::lint::Options;
use crate::rules::{RuleError, Severity, YamlFile};

/// The file name searched for from the working directory upward.
pub const FILE_NAME: &str = ".decline-lint.yaml";

/// Word limits and other bounds a rule reads as parameters.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct OverrideFile {
    files: String,
    #[serde(default)]
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, Severity>,
    #[serde(default)]
    context: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigFile {
    #[serde(default)]
    rules: Vec<PathBuf>,
    #[serde(default)]
    no_default_rules: Option<bool>,
    #[serde(default)]
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, Severity>,
    #[serde(default)]
    min_severity: Option<Severity>,
    #[serde(default)]
    deny_warnings: Option<bool>,
    #[serde(default)]
    context: BTreeMap<String, String>,
    #[serde(default)]
    limits: BTreeMap<String, Limit>,
    #[serde(default)]
    max_bytes: Option<u64>,
    #[serde(default)]
    overrides: Vec<OverrideFile>,
}

/// Settings for files that match a glob.
#[derive(Debug, Clone)]
pub struct Override {
    pub files: String,
    matcher: GlobMatcher,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub context: BTreeMap<String, String>,
}

/// A loaded configuration file. Paths in it are resolved against its folder.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it was read from (`None`: no file, all defaults).
    pub path: Option<PathBuf>,
    pub rules: Vec<PathBuf>,
    pub no_default_rules: Option<bool>,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub min_severity: Option<Severity>,
    pub deny_warnings: Option<bool>,
    pub context: BTreeMap<String, String>,
    pub limits: BTreeMap<String, Limit>,
    pub max_bytes: Option<u64>,
    pub overrides: Vec<Override>,
}

const CONTEXT_KEYS: &[&str] = &["company", "role", "recipient"];

impl Config {
    /// Finds `.decline-lint.yaml` in `start` or the nearest folder above it.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|dir| dir.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    /// Reads and validates a configuration file.
    pub fn load(path: &Path) -> Result<Config, RuleError> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            RuleError::new(
                crate::rules::RULE_FILE,
                display.clone(),
                format!("cannot read the configuration file: {e}"),
            )
        })?;
        Config::parse(path, &text)
    }

    /// Parses configuration text; `path` names it in errors and anchors relative paths.
    pub fn parse(path: &Path, text: &str) -> Result<Config, RuleError> {
        let file = YamlFile::new(path.display().to_string(), text);
        let raw: ConfigFile = if text.trim().is_empty() {
            ConfigFile::default()
        } else {
            file.parse()?
        };
        let base = path.parent().unwrap_or(Path::new("."));
        let check_context = |ctx: &BTreeMap<String, String>| {
            for k in ctx.keys() {
                if !CONTEXT_KEYS.contains(&k.as_str()) {
                    return Err(file.error(
                        file.key_span(k),
                        format!("unknown context key `{k}`; known keys: company, role, recipient"),
                        "this key",
                    ));
                }
            }
            Ok(())
        };
        check_context(&raw.context)?;
        let mut overrides = Vec::new();
        for o in raw.overrides {
            check_context(&o.context)?;
            let glob = Glob::new(&o.files).map_err(|e| {
                file.error(
                    file.text.find(&o.files).map(|i| i..i + o.files.len()),
                    format!("invalid glob `{}`: {e}", o.files),
                    "this pattern",
                )
            })?;
            overrides.push(Override {
                matcher: glob.compile_matcher(),
                files: o.files,
                select: o.select,
                ignore: o.ignore,
                severity: o.severity,
                context: o.context,
            });
        }
        Ok(Config {
            path: Some(path.to_path_buf()),
            rules: raw.rules.into_iter().map(|p| base.join(p)).collect(),
            no_default_rules: raw.no_default_rules,
            select: raw.select,
            ignore: raw.ignore,
            severity: raw.severity,
            min_severity: raw.min_severity,
            deny_warnings: raw.deny_warnings,
            context: raw.context,
            limits: raw.limits,
            max_bytes: raw.max_bytes,
            overrides,
        })
    }

    /// Every rule id the configuration names, with the key that names it, so the
    /// caller can check they exist.
    pub fn named_rules(&self) -> Vec<(&str, String)> {
        let mut out = Vec::new();
        for id in self.select.iter().flatten().chain(&self.ignore) {
            out.push(("select/ignore", id.clone()));
        }
        for id in self.severity.keys().chain(self.limits.keys()) {
            out.push(("severity/limits", id.clone()));
        }
        for o in &self.overrides {
            for id in o
                .select
                .iter()
                .flatten()
                .chain(&o.ignore)
                .chain(o.severity.keys())
            {
                out.push(("overrides", id.clone()));
            }
        }
        out
    }

    /// The overrides that apply to a file, given its path relative to the
    /// configuration file's folder (or as given).
    pub fn overrides_for<'a>(&'a self, file: &Path) -> impl Iterator<Item = &'a Override> + 'a {
        let file = file.to_path_buf();
        let base = self
            .path
            .as_ref()
            .and_then(|p| p.parent())
            .map(Path::to_path_buf);
        let rel = match &base {
            Some(b) => {
                let abs = if file.is_absolute() {
                    file.clone()
                } else {
                    std::env::current_dir().unwrap_or_default().join(&file)
                };
                let b_abs = if b.is_absolute() {
                    b.clone()
                } else {
                    std::env::current_dir().unwrap_or_default().join(b)
                };
                abs.strip_prefix(&b_abs)
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|_| file.clone())
            }
            None => file.clone(),
        };
        let rel = PathBuf::from(rel.to_string_lossy().trim_start_matches("./").to_string());
        self.overrides
            .iter()
            .filter(move |o| o.matcher.is_match(&rel) || o.matcher.is_match(&file))
    }
}

/// Applies an override to lint options and context.
pub fn apply_override(o: &Override, options: &mut Options, context: &mut BTreeMap<String, String>) {
    if let Some(select) = &o.select {
        options.select = select.clone();
    }
    options.ignore.extend(o.ignore.iter().cloned());
    for (k, v) in &o.severity {
        options.severity.insert(k.clone(), *v);
    }
    for (k, v) in &o.context {
        context.insert(k.clone(), v.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_located() {
        let err = Config::parse(Path::new("c.yaml"), "ignore: [slang]\nwords: 3\n").unwrap_err();
        assert_eq!(err.line(), Some(2));
        assert!(
            err.message.contains("unknown field `words`"),
            "{}",
            err.message
        );
        let err = Config::parse(Path::new("c.yaml"), "context:\n  compnay: Acme\n").unwrap_err();
        assert_eq!(err.line(), Some(2));
    }

    #[test]
    fn overrides_match_relative_paths() {
        let c = Config::parse(
            Path::new("/proj/.decline-lint.yaml"),
            "overrides:\n  - files: 'templates/*.txt'\n    ignore: [unfilled-placeholder]\n",
        )
        .unwrap();
        assert_eq!(
            c.overrides_for(Path::new("/proj/templates/a.txt")).count(),
            1
        );
        assert_eq!(c.overrides_for(Path::new("/proj/letters/a.txt")).count(), 0);
        let mut o = Options::default();
        let mut ctx = BTreeMap::new();
        apply_override(&c.overrides[0], &mut o, &mut ctx);
        assert_eq!(o.ignore, vec!["unfilled-placeholder".to_string()]);
    }
}
