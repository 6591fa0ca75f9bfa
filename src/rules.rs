//! Loading and validating rules: YAML files (embedded defaults and folders) into a rule set.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use include_dir::{include_dir, Dir};
use regex::Regex;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::letter::Span;
use crate::moves::{MoveSet, STRUCTURAL};
use crate::pattern::{self, Alternation, Invalid, Join, Matcher, Order, PatternError};

/// The default rules and move detectors, embedded in the binary.
pub static DEFAULT_RULES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// The largest rule file read, in bytes.
pub const MAX_RULE_FILE: usize = 1024 * 1024;

/// Flow collections (`[`, `{`) nested deeper than this are refused before the
/// YAML parser sees them: its time grows with the square of the depth.
const MAX_FLOW_DEPTH: usize = 1000;

/// The deepest nesting of `[` and `{` (brackets in strings count too: a
/// real rule file never comes near the limit).
fn flow_depth(text: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for b in text.bytes() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[serde(alias = "suggestion")]
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How safe it is to apply a fix without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Applied by `--fix`.
    Safe,
    /// Applied only with `--unsafe-fixes`: it changes what the letter says.
    Unsafe,
    /// A suggestion with blanks: shown, never applied.
    Placeholder,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::Placeholder => "placeholder",
        }
    }
}

/// The items of the per-letter checklist, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Checklist {
    Gratitude,
    Decline,
    Reason,
    DoorOpen,
    Brevity,
    Professional,
    Template,
}

impl Checklist {
    pub const ALL: [Checklist; 7] = [
        Checklist::Gratitude,
        Checklist::Decline,
        Checklist::Reason,
        Checklist::DoorOpen,
        Checklist::Brevity,
        Checklist::Professional,
        Checklist::Template,
    ];

    /// How the checklist line names the item.
    pub fn label(self) -> &'static str {
        match self {
            Checklist::Gratitude => "gratitude",
            Checklist::Decline => "clear decline",
            Checklist::Reason => "tactful reason",
            Checklist::DoorOpen => "door left open",
            Checklist::Brevity => "brief",
            Checklist::Professional => "professional",
            Checklist::Template => "filled in",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Checklist::Gratitude => "gratitude",
            Checklist::Decline => "decline",
            Checklist::Reason => "reason",
            Checklist::DoorOpen => "door-open",
            Checklist::Brevity => "brevity",
            Checklist::Professional => "professional",
            Checklist::Template => "template",
        }
    }
}

/// Where a rule looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Letter,
    Subject,
    Greeting,
    Body,
    Paragraph,
    Sentence,
    Signoff,
    Signature,
    /// Each body sentence with this move (an index into the move set).
    Move(usize),
}

impl Scope {
    fn parse(s: &str, moves: &MoveSet) -> Result<Scope, String> {
        Ok(match s {
            "letter" | "text" => Scope::Letter,
            "subject" => Scope::Subject,
            "greeting" => Scope::Greeting,
            "body" => Scope::Body,
            "paragraph" => Scope::Paragraph,
            "sentence" => Scope::Sentence,
            "signoff" => Scope::Signoff,
            "signature" => Scope::Signature,
            other => {
                if let Some(name) = other.strip_prefix("move:") {
                    return moves
                        .index(name)
                        .map(Scope::Move)
                        .ok_or_else(|| unknown_move(name, moves));
                }
                return Err(format!(
                    "unknown scope `{other}`; expected letter, subject, greeting, body, paragraph, sentence, signoff, signature or move:<name>"
                ));
            }
        })
    }

    /// The scope as written in rule files.
    pub fn name(self, moves: &MoveSet) -> String {
        match self {
            Scope::Letter => "letter".into(),
            Scope::Subject => "subject".into(),
            Scope::Greeting => "greeting".into(),
            Scope::Body => "body".into(),
            Scope::Paragraph => "paragraph".into(),
            Scope::Sentence => "sentence".into(),
            Scope::Signoff => "signoff".into(),
            Scope::Signature => "signature".into(),
            Scope::Move(i) => format!("move:{}", moves.names()[i]),
        }
    }
}

fn unknown_move(name: &str, moves: &MoveSet) -> String {
    format!(
        "unknown move `{name}`; known moves: {}",
        moves.names().join(", ")
    )
}

/// An example letter or sentence in a rule file: plain text, or text with context
/// values (`company`, `role`, `recipient`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Example {
    Text(String),
    WithContext {
        text: String,
        #[serde(default)]
        context: BTreeMap<String, String>,
    },
}

impl Example {
    pub fn text(&self) -> &str {
        match self {
            Example::Text(t) => t,
            Example::WithContext { text, .. } => text,
        }
    }

    pub fn context(&self) -> BTreeMap<String, String> {
        match self {
            Example::Text(_) => BTreeMap::new(),
            Example::WithContext { context, .. } => context.clone(),
        }
    }
}

/// A rule's examples: `bad` ones must fire it, `good` ones must not.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default)]
    pub bad: Vec<Example>,
    #[serde(default)]
    pub good: Vec<Example>,
}

/// A file's `examples:`, parsed when first read. The embedded rule files keep
/// about half their text there, and only `rules test`, `rules explain` and the
/// guide read it, so for them it is split off at load and parsed on demand.
/// Reads like the value itself (`rule.examples.bad`).
#[derive(Clone)]
pub struct LazyExamples<T> {
    cell: Arc<OnceLock<T>>,
    /// The `examples:` block, when not parsed yet.
    block: Option<Arc<str>>,
}

impl<T> LazyExamples<T> {
    pub fn ready(value: T) -> LazyExamples<T> {
        LazyExamples {
            cell: Arc::new(OnceLock::from(value)),
            block: None,
        }
    }

    /// Examples still to be parsed from a top-level `examples:` block.
    pub(crate) fn later(block: &str) -> LazyExamples<T> {
        LazyExamples {
            cell: Arc::new(OnceLock::new()),
            block: Some(Arc::from(block)),
        }
    }
}

impl<T: DeserializeOwned + Default> std::ops::Deref for LazyExamples<T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.cell.get_or_init(|| {
            #[derive(Deserialize)]
            struct Block<T> {
                examples: T,
            }
            // The block comes from an embedded file the tests load in full.
            self.block
                .as_deref()
                .and_then(|b| serde_yaml::from_str::<Block<T>>(b).ok())
                .map(|b| b.examples)
                .unwrap_or_default()
        })
    }
}

impl<T: DeserializeOwned + Default + fmt::Debug> fmt::Debug for LazyExamples<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

/// Splits the top-level `examples:` block off a file's text: the text without
/// it, and the block. `None` when there is no such block.
pub(crate) fn split_examples(text: &str) -> Option<(String, &str)> {
    let block = examples_block(text)?;
    Some((
        format!("{}{}", &text[..block.start], &text[block.end..]),
        &text[block],
    ))
}

/// Where a file's top-level `examples:` block is, if it has one.
fn examples_block(text: &str) -> Option<Range<usize>> {
    let start = if text.starts_with("examples:") {
        0
    } else {
        memchr::memmem::find(text.as_bytes(), b"\nexamples:")? + 1
    };
    // The block runs to the next line that starts a top-level key.
    let bytes = text.as_bytes();
    let end = memchr::memchr_iter(b'\n', &bytes[start..])
        .map(|nl| start + nl + 1)
        .find(|&line| {
            !matches!(
                bytes.get(line),
                None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'#' | b'-')
            )
        })
        .unwrap_or(text.len());
    Some(start..end)
}

/// A replacement an existence rule suggests for each match.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixSpec {
    pub replacement: String,
    #[serde(default = "default_applicability")]
    pub applicability: Applicability,
}

fn default_applicability() -> Applicability {
    Applicability::Unsafe
}

/// One side of a conditional rule.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MatcherSpec {
    #[serde(default)]
    tokens: Vec<String>,
    #[serde(default)]
    raw: Vec<String>,
    #[serde(default, rename = "move")]
    mv: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum KindName {
    Existence,
    Substitution,
    Occurrence,
    Metric,
    Conditional,
    Move,
    Check,
}

/// The measures a `metric` rule can bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    Words,
    Sentences,
    Characters,
    AvgSentenceWords,
    MaxSentenceWords,
    ReadingEase,
}

/// Where a missing move belongs in the letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Position {
    #[default]
    Opening,
    Closing,
}

/// Checks written in Rust, for what patterns cannot express.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// The same word twice in a row.
    RepeatedWord,
    /// Mail headers but no subject.
    Subject,
    /// The `To:` name differs from the greeting's.
    Recipient,
    /// The letter names another company than the expected one.
    Company,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    id: Option<String>,
    extends: KindName,
    #[serde(default, alias = "level")]
    severity: Option<Severity>,
    message: String,
    #[serde(default)]
    help: Option<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    guide: Option<String>,
    #[serde(default)]
    checklist: Option<Checklist>,
    #[serde(default)]
    covers: Vec<String>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    tokens: Vec<String>,
    #[serde(default)]
    raw: Vec<String>,
    #[serde(default)]
    exceptions: Vec<String>,
    #[serde(default)]
    ignorecase: Option<bool>,
    #[serde(default)]
    swap: serde_yaml::Mapping,
    #[serde(default)]
    applicability: Option<Applicability>,
    #[serde(default)]
    fix: Option<FixSpec>,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
    #[serde(default)]
    metric: Option<Metric>,
    #[serde(default)]
    first: Option<MatcherSpec>,
    #[serde(default)]
    second: Option<MatcherSpec>,
    #[serde(default, rename = "move")]
    mv: Option<String>,
    #[serde(default)]
    position: Option<Position>,
    #[serde(default)]
    check: Option<Check>,
    #[serde(default)]
    examples: Examples,
}

/// One swap of a substitution rule.
#[derive(Debug, Clone)]
pub struct Swap {
    pub pattern: String,
    pub replacement: String,
}

/// The matcher side of a conditional rule.
#[derive(Debug, Clone)]
pub struct Condition {
    pub matcher: Matcher,
    pub mv: Option<usize>,
}

/// What a rule does, by kind.
#[derive(Debug, Clone)]
pub enum Kind {
    Existence {
        matcher: Matcher,
        fix: Option<FixSpec>,
    },
    Substitution {
        swaps: Vec<Swap>,
        /// All swaps as one alternation, swap `i` as group `s{i}`.
        combined: Alternation,
        exceptions: Option<Alternation>,
        applicability: Applicability,
    },
    Occurrence {
        matcher: Matcher,
        min: Option<f64>,
        max: Option<f64>,
    },
    Metric {
        metric: Metric,
        min: Option<f64>,
        max: Option<f64>,
    },
    Conditional {
        first: Condition,
        second: Condition,
    },
    Move {
        mv: usize,
        min: Option<f64>,
        max: Option<f64>,
        position: Position,
    },
    Check(Check),
}

/// A loaded, validated rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    /// The kind as written (`existence`, `move`, …).
    pub extends: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub label: Option<String>,
    /// `page#anchor` in the guide.
    pub guide: Option<String>,
    /// Further guide sections (`page#anchor`) this rule enforces.
    pub covers: Vec<String>,
    pub checklist: Option<Checklist>,
    pub scope: Scope,
    pub description: Option<String>,
    pub examples: LazyExamples<Examples>,
    pub kind: Kind,
    /// The file it came from (`rules/slang.yaml`, or `(default)/slang.yaml`).
    pub origin: String,
}

impl Rule {
    /// The moves (as bits of the rule set's [`MoveSet`]) this rule reads:
    /// the one it counts, those its conditions or its scope name.
    pub fn moves(&self) -> crate::moves::MoveMask {
        let bit = |mv: Option<usize>| mv.map_or(0, |m| 1 << m);
        let scope = match self.scope {
            Scope::Move(m) => bit(Some(m)),
            _ => 0,
        };
        scope
            | match &self.kind {
                Kind::Move { mv, .. } => bit(Some(*mv)),
                Kind::Conditional { first, second } => bit(first.mv) | bit(second.mv),
                _ => 0,
            }
    }

    /// The applicability of this rule's fixes, if it has any.
    pub fn fix_applicability(&self) -> Option<Applicability> {
        match &self.kind {
            Kind::Existence { fix: Some(f), .. } => Some(f.applicability),
            Kind::Substitution { applicability, .. } => Some(*applicability),
            Kind::Check(Check::RepeatedWord) => Some(Applicability::Safe),
            _ => None,
        }
    }
}

/// A rule or move file that could not be loaded: the file, where in it, and why.
pub type RuleError = crate::file_error::FileError;

/// Rule, move and configuration files.
pub(crate) const RULE_FILE: crate::file_error::FileKind = crate::file_error::FileKind::Rule;

/// A YAML file being loaded: its display path and text.
#[derive(Debug, Clone)]
pub struct YamlFile {
    pub path: String,
    pub text: String,
}

/// An embedded file's JSON copy: its path, the hash of its text, where its
/// examples block is, and the text without that block as JSON.
type JsonCopy = (&'static str, u64, Option<(u32, u32)>, &'static str);

/// JSON copies of the embedded rule files (without their examples), made
/// ahead of time: JSON parses several times faster than YAML, and start-up
/// reads every file.
#[rustfmt::skip]
mod embedded;

/// Ties a JSON copy to the exact text it was made from: FNV-1a's step taken
/// eight bytes at a time, after the length. Each step is one-to-one in the
/// hash so far and in the eight bytes, so two texts of one length that differ
/// within one eight-byte word never hash alike (the test below edits a file
/// both ways).
fn text_hash(text: &str) -> u64 {
    let step = |h: u64, word: u64| (h ^ word).wrapping_mul(0x0100_0000_01b3);
    let bytes = text.as_bytes();
    let mut words = bytes.chunks_exact(8);
    let mut h = step(0xcbf2_9ce4_8422_2325, bytes.len() as u64);
    for w in &mut words {
        h = step(h, u64::from_le_bytes(w.try_into().unwrap_or_default()));
    }
    let mut last = [0; 8];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    step(h, u64::from_le_bytes(last))
}

/// The JSON copy of the embedded file at `path` (its text without examples),
/// if it was made from `text`, with where the examples block is in `text`.
fn embedded_copy(path: &str, text: &str) -> Option<(Option<Range<usize>>, &'static str)> {
    let i = embedded::FILES
        .binary_search_by(|&(p, ..)| p.cmp(path))
        .ok()?;
    let (_, hash, block, json) = embedded::FILES[i];
    (hash == text_hash(text)).then(|| (block.map(|(a, b)| a as usize..b as usize), json))
}

impl YamlFile {
    /// Parses an embedded file without its examples, and gives its examples
    /// block (parsed when first read): from the JSON copy while that was made
    /// from this very text, else as YAML.
    pub(crate) fn parse_embedded<T: DeserializeOwned>(
        &self,
    ) -> Result<(T, Option<&str>), RuleError> {
        if let Some((block, json)) = embedded_copy(&self.path, &self.text) {
            if let Ok(parsed) = serde_json::from_str(json) {
                return Ok((parsed, block.and_then(|r| self.text.get(r))));
            }
        }
        match split_examples(&self.text) {
            Some((rest, block)) => {
                Ok((YamlFile::new(self.path.clone(), rest).parse()?, Some(block)))
            }
            None => Ok((self.parse()?, None)),
        }
    }

    pub fn new(path: impl Into<String>, text: impl Into<String>) -> YamlFile {
        YamlFile {
            path: path.into(),
            text: text.into(),
        }
    }

    /// The file name without folder or extension.
    pub fn stem(&self) -> String {
        Path::new(&self.path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// Deserialises the whole file, turning serde errors into located errors.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, RuleError> {
        if self.text.len() > MAX_RULE_FILE {
            return Err(self.error(
                None,
                format!(
                    "the file is {} bytes; rule files are limited to {MAX_RULE_FILE} bytes",
                    self.text.len()
                ),
                "",
            ));
        }
        if flow_depth(&self.text) > MAX_FLOW_DEPTH {
            return Err(self.error(
                None,
                format!(
                    "the file nests too deeply (more than {MAX_FLOW_DEPTH} levels of `[` and `{{`)"
                ),
                "",
            ));
        }
        serde_yaml::from_str(&self.text).map_err(|e| {
            let span = e.location().map(|loc| {
                let start = loc.index().min(self.text.len());
                let end = self.text[start..]
                    .find('\n')
                    .map_or(self.text.len(), |i| start + i);
                start..end.max(start)
            });
            let message = e.to_string();
            // serde_yaml appends " at line X column Y"; the label shows that already.
            let message = match message.find(" at line ") {
                Some(i) if span.is_some() => message[..i].to_string(),
                _ => message,
            };
            // serde_yaml's guards against alias bombs and deep nesting, explained.
            let message = if message.starts_with("repetition limit exceeded") {
                format!("{message}: the file expands YAML aliases too many times (an alias bomb?)")
            } else if message.starts_with("recursion limit exceeded") {
                format!("{message}: the file nests too deeply")
            } else {
                message
            };
            self.error(span, message, "here")
        })
    }

    pub fn error(&self, span: Option<Span>, message: String, label: &str) -> RuleError {
        RuleError {
            kind: RULE_FILE,
            path: self.path.clone(),
            text: self.text.as_str().into(),
            span,
            message,
            label: label.to_string(),
        }
    }

    /// The span of `key:` at the start of a line, if present.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        let re = Regex::new(&format!(r"(?m)^[ \t]*{}[ \t]*:", regex::escape(key))).ok()?;
        re.find(&self.text).map(|m| {
            let s = &self.text[m.range()];
            let lead = s.len() - s.trim_start().len();
            m.start() + lead..m.end() - 1
        })
    }

    pub fn error_at_key(&self, key: &str, message: String, label: &str) -> RuleError {
        self.error(self.key_span(key), message, label)
    }

    /// An error about a pattern, pointing at where the pattern is written.
    pub fn pattern_error(&self, e: &PatternError) -> RuleError {
        let span = self
            .text
            .find(&e.pattern)
            .map(|i| i..i + e.pattern.len())
            .filter(|_| !e.pattern.is_empty());
        self.error(
            span,
            format!("invalid pattern `{}`: {}", e.pattern, e.message),
            "this pattern",
        )
    }
}

/// The rules and moves in force for a run.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub moves: MoveSet,
    /// Things worth saying on `-v`: rules that replaced others, and so on.
    pub notes: Vec<String>,
}

/// Where rules come from, in order; later sources override earlier ones by id.
#[derive(Debug, Clone)]
pub enum RuleSource {
    /// The rules embedded in the binary.
    Defaults,
    /// A folder on disk: `*.yaml` rules and `moves/*.yaml` detectors.
    Dir(std::path::PathBuf),
}

impl RuleSet {
    /// The embedded default rules.
    pub fn defaults() -> Result<RuleSet, Vec<RuleError>> {
        RuleSet::load(&[RuleSource::Defaults])
    }

    /// Loads rules from several sources. Every file is tried; all errors are
    /// returned together.
    pub fn load(sources: &[RuleSource]) -> Result<RuleSet, Vec<RuleError>> {
        let (set, errors) = RuleSet::load_partial(sources);
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
    }

    /// Loads what can be loaded: the rule set without the files that failed, and
    /// the errors of those that did.
    pub fn load_partial(sources: &[RuleSource]) -> (RuleSet, Vec<RuleError>) {
        let mut move_files = Vec::new();
        let mut rule_files = Vec::new();
        let mut errors = Vec::new();
        for source in sources {
            match source {
                // The embedded files are checked by the tests, so their patterns
                // are trusted: compiled only when a letter needs them.
                RuleSource::Defaults => {
                    let (m, r) = embedded_files();
                    move_files.extend(m.into_iter().map(|f| (f, true)));
                    rule_files.extend(r.into_iter().map(|f| (f, true)));
                }
                RuleSource::Dir(dir) => match dir_files(dir, &mut errors) {
                    Ok((m, r)) => {
                        move_files.extend(m.into_iter().map(|f| (f, false)));
                        rule_files.extend(r.into_iter().map(|f| (f, false)));
                    }
                    Err(e) => errors.push(e),
                },
            }
        }
        let mut set = RuleSet::default();
        for (f, trusted) in &move_files {
            if let Err(e) = set.moves.load_with(f, *trusted) {
                errors.push(e);
            }
        }
        for compiled in compile_all(&rule_files, &set.moves) {
            match compiled {
                Ok(rule) => {
                    if let Some(existing) = set.rules.iter_mut().find(|r| r.id == rule.id) {
                        set.notes.push(format!(
                            "rule `{}` from {} replaces the one from {}",
                            rule.id, rule.origin, existing.origin
                        ));
                        *existing = rule;
                    } else {
                        set.rules.push(rule);
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        set.rules.sort_by(|a, b| a.id.cmp(&b.id));
        (set, errors)
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Every pattern alternation of every rule and move detector.
    #[cfg(test)]
    pub(crate) fn alternations(&self) -> impl Iterator<Item = &Alternation> {
        self.rules
            .iter()
            .flat_map(Rule::alternations)
            .chain(self.moves.alternations_of(crate::moves::MoveMask::MAX))
    }
}

impl Rule {
    /// The alternation without a match of which the rule finds nothing in a
    /// letter (`None` when it may find something in any letter).
    pub(crate) fn gate(&self) -> Option<&Alternation> {
        match &self.kind {
            Kind::Existence { matcher, .. } => matcher.patterns(),
            Kind::Substitution { combined, .. } => Some(combined),
            _ => None,
        }
    }

    /// The rule's pattern alternations, exceptions included.
    pub(crate) fn alternations(&self) -> Vec<&Alternation> {
        match &self.kind {
            Kind::Existence { matcher, .. } | Kind::Occurrence { matcher, .. } => {
                matcher.alternations().collect()
            }
            Kind::Conditional { first, second } => first
                .matcher
                .alternations()
                .chain(second.matcher.alternations())
                .collect(),
            Kind::Substitution {
                combined,
                exceptions,
                ..
            } => std::iter::once(combined).chain(exceptions).collect(),
            _ => Vec::new(),
        }
    }
}

/// Compiles rule files, half of them on a second thread when there are enough
/// to check in full; results in file order.
fn compile_all(files: &[(YamlFile, bool)], moves: &MoveSet) -> Vec<Result<Rule, RuleError>> {
    let one = |(f, trusted): &(YamlFile, bool)| -> Result<Rule, RuleError> {
        if crate::vale::is_vale(&f.text) {
            crate::vale::to_native(f).and_then(|t| {
                let mut rule = compile_rule(&t.file, moves, false)
                    .map_err(|e| crate::vale::remap_error(f, &t, e))?;
                rule.origin = f.path.clone();
                Ok(rule)
            })
        } else {
            compile_rule(f, moves, *trusted)
        }
    };
    // The embedded files load from their JSON copies quickly; a second
    // thread pays off only for files that are parsed and checked in full.
    if files.iter().filter(|(_, trusted)| !trusted).count() < 4 {
        return files.iter().map(one).collect();
    }
    std::thread::scope(|s| {
        let helper = std::thread::Builder::new().spawn_scoped(s, || {
            files.iter().skip(1).step_by(2).map(one).collect::<Vec<_>>()
        });
        let Ok(helper) = helper else {
            return files.iter().map(one).collect();
        };
        let mine: Vec<_> = files.iter().step_by(2).map(one).collect();
        let theirs = helper
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let (mut mine, mut theirs) = (mine.into_iter(), theirs.into_iter());
        (0..files.len())
            .filter_map(|i| {
                if i % 2 == 0 {
                    mine.next()
                } else {
                    theirs.next()
                }
            })
            .collect()
    })
}

fn embedded_files() -> (Vec<YamlFile>, Vec<YamlFile>) {
    let mut moves = Vec::new();
    let mut rules = Vec::new();
    if let Some(dir) = DEFAULT_RULES.get_dir("moves") {
        for f in dir.files() {
            if is_yaml(f.path()) {
                moves.push(YamlFile::new(
                    format!("rules/{}", f.path().display()),
                    f.contents_utf8().unwrap_or_default(),
                ));
            }
        }
    }
    for f in DEFAULT_RULES.files() {
        if is_yaml(f.path()) {
            rules.push(YamlFile::new(
                format!("rules/{}", f.path().display()),
                f.contents_utf8().unwrap_or_default(),
            ));
        }
    }
    moves.sort_by(|a, b| a.path.cmp(&b.path));
    rules.sort_by(|a, b| a.path.cmp(&b.path));
    (moves, rules)
}

fn is_yaml(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml")
    )
}

fn read_yaml_dir(dir: &Path, too_large: &mut Vec<RuleError>) -> Result<Vec<YamlFile>, RuleError> {
    let io_err = |e: std::io::Error| {
        RuleError::new(
            RULE_FILE,
            dir.display().to_string(),
            format!("cannot read the rules folder: {e}"),
        )
    };
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io_err)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && is_yaml(p))
        .collect();
    entries.sort();
    for p in entries {
        let display = p.display().to_string();
        // A huge file is refused before it is read (the others still load).
        let size = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        if size > MAX_RULE_FILE as u64 {
            too_large.push(RuleError::new(
                RULE_FILE,
                display,
                format!(
                    "the file is {size} bytes; rule files are limited to {MAX_RULE_FILE} bytes"
                ),
            ));
            continue;
        }
        let bytes = std::fs::File::open(&p)
            .and_then(|f| {
                let mut buf = Vec::new();
                f.take(MAX_RULE_FILE as u64 + 1)
                    .read_to_end(&mut buf)
                    .map(|_| buf)
            })
            .map_err(|e| {
                RuleError::new(
                    RULE_FILE,
                    display.clone(),
                    format!("cannot read the rule file: {e}"),
                )
            })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            RuleError::new(
                RULE_FILE,
                display.clone(),
                format!(
                    "the rule file is not valid UTF-8 (at byte {})",
                    e.utf8_error().valid_up_to()
                ),
            )
        })?;
        out.push(YamlFile::new(display, text));
    }
    Ok(out)
}

fn dir_files(
    dir: &Path,
    too_large: &mut Vec<RuleError>,
) -> Result<(Vec<YamlFile>, Vec<YamlFile>), RuleError> {
    if !dir.is_dir() {
        return Err(RuleError::new(
            RULE_FILE,
            dir.display().to_string(),
            "the rules folder does not exist",
        ));
    }
    let rules = read_yaml_dir(dir, too_large)?;
    let moves_dir = dir.join("moves");
    let moves = if moves_dir.is_dir() {
        read_yaml_dir(&moves_dir, too_large)?
    } else {
        Vec::new()
    };
    Ok((moves, rules))
}

/// True for kebab-case ids: lower-case words joined by single hyphens.
pub fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && id.starts_with(|c: char| c.is_ascii_lowercase())
}

/// Compiles one rule file. A `trusted` file's patterns are not validated (the
/// embedded rules, which the tests validate); they compile on first use.
fn compile_rule(file: &YamlFile, moves: &MoveSet, trusted: bool) -> Result<Rule, RuleError> {
    let (mut f, examples): (RuleFile, _) = if trusted {
        let (f, block) = file.parse_embedded()?;
        (f, block.map(LazyExamples::later))
    } else {
        (file.parse()?, None)
    };
    let examples = examples.unwrap_or_else(|| LazyExamples::ready(std::mem::take(&mut f.examples)));
    let stem = file.stem();
    if let Some(id) = &f.id {
        if *id != stem {
            return Err(file.error_at_key(
                "id",
                format!("the rule id `{id}` differs from its file name `{stem}.yaml`"),
                "must equal the file stem",
            ));
        }
    }
    if !is_kebab_case(&stem) {
        return Err(file.error(
            None,
            format!(
                "the rule id `{stem}` (the file name) must be kebab-case, like `missing-gratitude`"
            ),
            "",
        ));
    }
    if f.message.trim().is_empty() {
        return Err(file.error_at_key(
            "message",
            "the message is empty".into(),
            "say what was observed",
        ));
    }
    for (key, text) in [
        ("message", Some(&f.message)),
        ("help", f.help.as_ref()),
        ("label", f.label.as_ref()),
    ] {
        if let Some(Err(m)) = text.map(|t| crate::lint::template::check(t)) {
            return Err(file.error_at_key(key, m, "in this text"));
        }
    }
    let ignorecase = f.ignorecase.unwrap_or(true);
    let scope_name = f.scope.clone().unwrap_or_else(|| "body".into());
    let scope = Scope::parse(&scope_name, moves)
        .map_err(|m| file.error_at_key("scope", m, "this scope"))?;
    let need = |key: &str, what: &str| {
        file.error(
            file.key_span("extends"),
            format!("a rule that extends `{what}` needs `{key}`"),
            "this kind",
        )
    };
    let matcher = |tokens: &[String], raw: &[String]| {
        if trusted {
            return Ok(Matcher::trusted(tokens, raw, &f.exceptions, ignorecase));
        }
        Matcher::new(tokens, raw, &f.exceptions, ignorecase).map_err(|e| file.pattern_error(&e))
    };
    let find_move = |name: &str, key: &str| {
        moves
            .index(name)
            .ok_or_else(|| file.error_at_key(key, unknown_move(name, moves), "this move"))
    };
    let (extends, kind) = match f.extends {
        KindName::Existence => {
            if f.tokens.is_empty() && f.raw.is_empty() {
                return Err(need("tokens` or `raw", "existence"));
            }
            (
                "existence",
                Kind::Existence {
                    matcher: matcher(&f.tokens, &f.raw)?,
                    fix: f.fix.clone(),
                },
            )
        }
        KindName::Substitution => {
            if f.swap.is_empty() {
                return Err(need("swap", "substitution"));
            }
            let mut swaps = Vec::new();
            let mut parts: Vec<(&str, String)> = Vec::new();
            for (k, v) in f.swap.iter() {
                let (Some(k), Some(v)) = (k.as_str(), v.as_str()) else {
                    // An earlier swap's pattern error comes first.
                    if !trusted {
                        for (written, src) in &parts {
                            pattern::compile_checked(written, src, ignorecase)
                                .map_err(|e| file.pattern_error(&e))?;
                        }
                    }
                    return Err(file.error_at_key(
                        "swap",
                        "every swap maps a pattern to a replacement, both strings".into(),
                        "here",
                    ));
                };
                let src = format!(r"\b(?:{k})\b");
                let src = if k.starts_with(|c: char| !c.is_alphanumeric()) {
                    format!(r"(?:{k})\b")
                } else {
                    src
                };
                parts.push((k, src));
                swaps.push(Swap {
                    pattern: k.to_string(),
                    replacement: v.to_string(),
                });
            }
            let exception_parts: Vec<(&str, String)> = f
                .exceptions
                .iter()
                .map(|e| (e.as_str(), e.clone()))
                .collect();
            let (combined, exceptions) = if trusted {
                let sources = parts.into_iter().map(|(_, src)| src).collect();
                (
                    Alternation::new(sources, ignorecase, Join::Named),
                    Alternation::new(f.exceptions.clone(), ignorecase, Join::Plain),
                )
            } else {
                // Each swap alone, then all in one regex (swap `i` as group `s{i}`);
                // the exceptions joined first, then each alone.
                let combined =
                    pattern::validate(&parts, ignorecase, Join::Named, Order::PartsFirst).map_err(
                        |e| match e {
                            Invalid::Pattern(e) => file.pattern_error(&e),
                            Invalid::Together(m) => file.error_at_key(
                                "swap",
                                format!("the swaps together are invalid: {m}"),
                                "here",
                            ),
                        },
                    )?;
                let exceptions = pattern::validate(
                    &exception_parts,
                    ignorecase,
                    Join::Plain,
                    Order::JoinedFirst,
                )
                .map_err(|e| match e {
                    Invalid::Pattern(e) => file.pattern_error(&e),
                    Invalid::Together(m) => file.pattern_error(&PatternError {
                        pattern: "(all patterns together)".into(),
                        message: m,
                    }),
                })?;
                (combined, exceptions)
            };
            let Some(combined) = combined else {
                return Err(need("swap", "substitution"));
            };
            (
                "substitution",
                Kind::Substitution {
                    swaps,
                    combined,
                    exceptions,
                    applicability: f.applicability.unwrap_or(Applicability::Unsafe),
                },
            )
        }
        KindName::Occurrence => {
            if f.tokens.is_empty() && f.raw.is_empty() {
                return Err(need("tokens` or `raw", "occurrence"));
            }
            if f.min.is_none() && f.max.is_none() {
                return Err(need("min` or `max", "occurrence"));
            }
            (
                "occurrence",
                Kind::Occurrence {
                    matcher: matcher(&f.tokens, &f.raw)?,
                    min: f.min,
                    max: f.max,
                },
            )
        }
        KindName::Metric => {
            let metric = f.metric.ok_or_else(|| need("metric", "metric"))?;
            if f.min.is_none() && f.max.is_none() {
                return Err(need("min` or `max", "metric"));
            }
            (
                "metric",
                Kind::Metric {
                    metric,
                    min: f.min,
                    max: f.max,
                },
            )
        }
        KindName::Conditional => {
            let first = f
                .first
                .clone()
                .ok_or_else(|| need("first", "conditional"))?;
            let second = f
                .second
                .clone()
                .ok_or_else(|| need("second", "conditional"))?;
            let cond = |m: &MatcherSpec, key: &str| -> Result<Condition, RuleError> {
                if m.tokens.is_empty() && m.raw.is_empty() && m.mv.is_none() {
                    return Err(file.error_at_key(
                        key,
                        format!("`{key}` needs `tokens`, `raw` or `move`"),
                        "empty",
                    ));
                }
                Ok(Condition {
                    matcher: matcher(&m.tokens, &m.raw)?,
                    mv: m.mv.as_deref().map(|n| find_move(n, "move")).transpose()?,
                })
            };
            (
                "conditional",
                Kind::Conditional {
                    first: cond(&first, "first")?,
                    second: cond(&second, "second")?,
                },
            )
        }
        KindName::Move => {
            let name = f.mv.clone().ok_or_else(|| need("move", "move"))?;
            if f.min.is_none() && f.max.is_none() {
                return Err(need("min` or `max", "move"));
            }
            (
                "move",
                Kind::Move {
                    mv: find_move(&name, "move")?,
                    min: f.min,
                    max: f.max,
                    position: f.position.unwrap_or_default(),
                },
            )
        }
        KindName::Check => (
            "check",
            Kind::Check(f.check.ok_or_else(|| need("check", "check"))?),
        ),
    };
    let _ = STRUCTURAL;
    Ok(Rule {
        id: stem,
        extends,
        severity: f.severity.unwrap_or(Severity::Warning),
        message: f.message.trim().to_string(),
        help: f.help.map(|h| h.trim().to_string()),
        label: f.label,
        guide: f.guide,
        covers: f.covers,
        checklist: f.checklist,
        scope,
        description: f.description.map(|d| d.trim().to_string()),
        examples,
        kind,
        origin: file.path.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_embedded_json() -> String {
        let (move_files, rule_files) = embedded_files();
        let mut files: Vec<&YamlFile> = move_files.iter().chain(&rule_files).collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut out = String::from(
            "// @generated from rules/ by `DECLINE_LINT_WRITE_JSON=1 cargo test --lib embedded_json`.\n\
             // Do not edit: a copy that no longer matches its file is not used.\n\n\
             /// The copies, by path.\n\
             pub(super) static FILES: &[super::JsonCopy] = &[\n",
        );
        for f in files {
            let rest = split_examples(&f.text).map_or_else(|| f.text.clone(), |(r, _)| r);
            let value: serde_yaml::Value =
                serde_yaml::from_str(&rest).expect("embedded YAML parses");
            let json = serde_json::to_string(&value).expect("converts to JSON");
            out.push_str(&format!(
                "    ({:?}, {:#x}, {:?}, {:?}),\n",
                f.path,
                text_hash(&f.text),
                examples_block(&f.text).map(|r| (r.start, r.end)),
                json
            ));
        }
        out.push_str("];\n");
        out
    }

    #[test]
    fn embedded_json_is_current() {
        crate::testing::generated_is_current(
            "src/rules/embedded.rs",
            &render_embedded_json(),
            "DECLINE_LINT_WRITE_JSON",
            "DECLINE_LINT_WRITE_JSON=1 cargo test --lib embedded_json",
        );
        let (_, rule_files) = embedded_files();
        let f = &rule_files[0];
        let (block, _) = embedded_copy(&f.path, &f.text).expect("a copy");
        assert_eq!(block, examples_block(&f.text));
        assert!(embedded_copy(&f.path, &format!("{}\n# edited", f.text)).is_none());
        // An edit within the examples, and one of the same length elsewhere.
        assert!(embedded_copy(&f.path, &f.text.replacen("examples:", "examples: ", 1)).is_none());
        let swapped = f.text.replacen("severity:", "sevErity:", 1);
        assert_eq!(swapped.len(), f.text.len());
        assert!(embedded_copy(&f.path, &swapped).is_none());
    }

    /// The embedded files load trusted (patterns compiled on first use,
    /// examples parsed on first read); checked in full, they load the same.
    #[test]
    fn embedded_files_pass_full_validation() {
        let (move_files, rule_files) = embedded_files();
        let mut moves = MoveSet::default();
        let mut trusted_moves = MoveSet::default();
        for f in &move_files {
            moves.load_with(f, false).unwrap_or_else(|e| panic!("{e}"));
            trusted_moves
                .load_with(f, true)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        for (a, b) in moves.detectors().iter().zip(trusted_moves.detectors()) {
            assert_eq!(format!("{:?}", a.examples), format!("{:?}", b.examples));
        }
        for f in &rule_files {
            let checked = compile_rule(f, &moves, false).unwrap_or_else(|e| panic!("{e}"));
            let trusted = compile_rule(f, &moves, true).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(format!("{checked:?}"), format!("{trusted:?}"), "{}", f.path);
            assert!(
                split_examples(&f.text).is_some() != checked.examples.bad.is_empty(),
                "{}",
                f.path
            );
        }
    }

    fn load_one(name: &str, yaml: &str) -> Result<Rule, RuleError> {
        let moves = MoveSet::default();
        compile_rule(
            &YamlFile::new(format!("rules/{name}.yaml"), yaml),
            &moves,
            false,
        )
    }

    #[test]
    fn unknown_field_points_at_its_line() {
        let err = load_one(
            "x-rule",
            "extends: existence\nmessage: hi\ntokens: [a]\ncolour: red\n",
        )
        .unwrap_err();
        assert_eq!(err.line(), Some(4), "{err}");
        assert!(err.message.contains("colour"), "{}", err.message);
    }

    /// A choice of words that is not `{count|one|other}` is an error at its
    /// key, not text printed in every finding.
    #[test]
    fn malformed_word_choice_points_at_its_line() {
        let err = load_one(
            "x-rule",
            "extends: metric\nmessage: \"{count} words\"\nhelp: Cut {count|word}.\nmetric: words\nmax: 9\n",
        )
        .unwrap_err();
        assert_eq!(err.line(), Some(3), "{err}");
        assert!(
            err.message.contains("{count|word|words}"),
            "{}",
            err.message
        );
        load_one(
            "x-rule",
            "extends: metric\nmessage: \"{count} {count|word|words}\"\nmetric: words\nmax: 9\n",
        )
        .unwrap();
    }

    #[test]
    fn invalid_regex_points_at_the_pattern() {
        let err = load_one(
            "x-rule",
            "extends: existence\nmessage: hi\nraw:\n  - 'ok'\n  - '(unclosed'\n",
        )
        .unwrap_err();
        assert_eq!(err.line(), Some(5), "{err}");
        assert!(err.message.contains("(unclosed"));
    }

    #[test]
    fn unknown_scope_and_move_are_errors() {
        let err = load_one(
            "x-rule",
            "extends: existence\nmessage: hi\ntokens: [a]\nscope: heading\n",
        )
        .unwrap_err();
        assert_eq!(err.line(), Some(4));
        let err =
            load_one("x-rule", "extends: move\nmessage: hi\nmove: joy\nmin: 1\n").unwrap_err();
        assert!(
            err.message.contains("unknown move `joy`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn ids_must_match_the_file_and_be_kebab_case() {
        assert!(load_one(
            "x-rule",
            "id: y-rule\nextends: check\ncheck: subject\nmessage: m\n"
        )
        .is_err());
        assert!(load_one("Bad_Id", "extends: check\ncheck: subject\nmessage: m\n").is_err());
        assert!(is_kebab_case("missing-gratitude"));
        assert!(!is_kebab_case("missing--gratitude"));
    }

    #[test]
    fn huge_regex_is_refused() {
        let err = load_one(
            "x-rule",
            "extends: existence\nmessage: hi\nraw: ['\\w{1000}\\w{1000}\\w{1000}']\n",
        )
        .unwrap_err();
        assert!(
            err.message.contains("compiles to more than"),
            "{}",
            err.message
        );
    }
}
