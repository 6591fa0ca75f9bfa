//! Linting letters from the command line: settings from flags and config, files in parallel, output in order.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;
use rayon::prelude::*;

use decline_lint::config::{self, Config};
use decline_lint::input::{self, InputError, Source};
use decline_lint::letter::Letter;
use decline_lint::lint::{fix, Context, Linter, Options, Outcome};
use decline_lint::report::{self, FileResult, Format, Style, Summary};
use decline_lint::rules::{Checklist, Rule, RuleSet, RuleSource, Severity};

use super::{print_rule_errors, use_color, ColorChoice, FormatArg, RuleArgs, SeverityArg};
use super::{FINDINGS, OK, TROUBLE};

/// Files handed to the thread pool at a time: output stays in order and memory
/// stays bounded however many letters there are. The threads lint a chunk
/// while the one before it is written, and wait for each other only at the
/// end of a chunk. On 100,000 letters with two threads, chunks of 1,024 cut
/// into equal batches kept about 1.8 of the 2 cores busy (CPU over wall
/// time, medians of 7 to 10 runs), chunks of 4,096 1.88, and chunks of 4,096
/// with the small batches last (see [`batches`]) 1.95.
const CHUNK: usize = 4096;

/// At most this many letters are linted together (see
/// [`Linter::lint_many`]): each rule's patterns then stay in the processor's
/// caches from one letter to the next. On 100,000 letters, one thread, 16
/// at a time took 0.98 of the time one at a time did, 64 0.89, 256 about
/// 0.8 and 512 0.78 (with 14 MB more memory).
const BATCH: usize = 256;

/// The smallest batch (see [`batches`]) but for the last.
const MIN_BATCH: usize = 16;

/// A batch is linted as soon as its letters hold this many bytes, so that
/// long letters are not held (with their scans) hundreds at a time.
const BATCH_BYTES: usize = 2 << 20;

#[derive(Debug, Clone, Args)]
pub struct LintArgs {
    /// Letters to check: files, folders (searched for *.txt, *.eml, *.md), or `-` for standard input.
    #[arg(value_name = "FILE|DIR|-")]
    paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,

    /// When to use colour (NO_COLOR in the environment turns it off).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,

    #[command(flatten)]
    settings: SettingsArgs,

    /// Print how many findings each rule produced.
    #[arg(long)]
    statistics: bool,

    /// Less output: no checklist line, no info findings in the human format,
    /// no progress bar (the other formats list every finding).
    #[arg(short, long)]
    quiet: bool,

    /// Say more: the configuration file used, which rules replaced which.
    #[arg(short, long)]
    verbose: bool,

    /// The name to show for a letter read from standard input.
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    stdin_filename: String,

    /// Apply safe fixes in place (standard input: print the fixed letter).
    #[arg(long)]
    fix: bool,

    /// With --fix or --diff, also apply fixes that change the letter's meaning.
    #[arg(long)]
    unsafe_fixes: bool,

    /// Print the fixes as a unified diff instead of writing them (the diff
    /// is the output: no --format).
    #[arg(long, conflicts_with_all = ["fix", "format"])]
    diff: bool,

    /// Where a built copy of the guide is published, for links in SARIF output
    /// (`https://example.org/decline-guide`).
    #[arg(long, value_name = "URL")]
    guide_url: Option<String>,

    /// How many letters to check at once (default: one per core).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
}

/// Flags that the configuration file can also set.
#[derive(Debug, Clone, Args)]
pub struct SettingsArgs {
    #[command(flatten)]
    rules: RuleArgs,

    /// Read settings from this file instead of searching for .decline-lint.yaml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Ignore any configuration file.
    #[arg(long, conflicts_with = "config")]
    isolated: bool,

    /// Run only these rules (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    select: Vec<String>,

    /// Skip these rules (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    ignore: Vec<String>,

    /// Drop findings below this severity.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    min_severity: Option<SeverityArg>,

    /// Exit with 1 on warnings too, not only on errors.
    #[arg(long)]
    deny_warnings: bool,

    /// Refuse letters larger than this many bytes (default 1 MiB).
    #[arg(long, value_name = "BYTES")]
    max_bytes: Option<u64>,

    /// A context value some rules check against, like `company=Acme` (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    set: Vec<(String, String)>,
}

#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    settings: SettingsArgs,
}

fn parse_key_value(s: &str) -> Result<(String, String), String> {
    let (k, v) = s
        .split_once('=')
        .ok_or_else(|| format!("expected KEY=VALUE, got `{s}`"))?;
    let k = k.trim();
    if !matches!(k, "company" | "role" | "recipient") {
        return Err(format!(
            "unknown context key `{k}`; known keys: company, role, recipient"
        ));
    }
    Ok((k.to_string(), v.trim().to_string()))
}

/// The settings in force, with where each came from.
struct Settings {
    config: Config,
    sources: Vec<RuleSource>,
    options: Options,
    context: Context,
    deny_warnings: bool,
    max_bytes: u64,
    /// key → (value, origin), for `decline-lint config`.
    explained: Vec<(String, String, String)>,
}

fn settings(args: &SettingsArgs, err_color: bool) -> Result<Settings, u8> {
    let config_path = if args.isolated {
        None
    } else if let Some(p) = &args.config {
        Some(p.clone())
    } else {
        std::env::current_dir()
            .ok()
            .and_then(|d| Config::discover(&d))
    };
    let config = match &config_path {
        Some(p) => Config::load(p).map_err(|e| {
            print_rule_errors(&[e], err_color);
            TROUBLE
        })?,
        None => Config::default(),
    };
    let cfg_name = config_path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let mut explained = Vec::new();
    let mut explain = |key: &str, value: String, from: &str| {
        explained.push((key.to_string(), value, from.to_string()));
    };
    let from = |cli: bool, cfg: bool| -> &str {
        if cli {
            "command line"
        } else if cfg {
            &cfg_name
        } else {
            "default"
        }
    };
    explain(
        "config",
        config_path
            .as_ref()
            .map_or("(none)".into(), |p| p.display().to_string()),
        if args.config.is_some() {
            "command line"
        } else if config_path.is_some() {
            "found upward from the working directory"
        } else {
            "default"
        },
    );

    let no_default = args.rules.no_default_rules || config.no_default_rules.unwrap_or(false);
    explain(
        "no-default-rules",
        no_default.to_string(),
        from(
            args.rules.no_default_rules,
            config.no_default_rules.is_some(),
        ),
    );
    let mut sources = Vec::new();
    if !no_default {
        sources.push(RuleSource::Defaults);
    }
    for d in &config.rules {
        sources.push(RuleSource::Dir(d.clone()));
        explain("rules", d.display().to_string(), &cfg_name);
    }
    for d in &args.rules.dirs {
        sources.push(RuleSource::Dir(d.clone()));
        explain("rules", d.display().to_string(), "command line");
    }

    let select = if !args.select.is_empty() {
        args.select.clone()
    } else {
        config.select.clone().unwrap_or_default()
    };
    explain(
        "select",
        if select.is_empty() {
            "(all)".into()
        } else {
            select.join(", ")
        },
        from(!args.select.is_empty(), config.select.is_some()),
    );
    let mut ignore = config.ignore.clone();
    ignore.extend(args.ignore.iter().cloned());
    for id in &config.ignore {
        explain("ignore", id.clone(), &cfg_name);
    }
    for id in &args.ignore {
        explain("ignore", id.clone(), "command line");
    }
    for (id, sev) in &config.severity {
        explain(&format!("severity.{id}"), sev.to_string(), &cfg_name);
    }
    let min_severity = args
        .min_severity
        .map(Severity::from)
        .or(config.min_severity);
    explain(
        "min-severity",
        min_severity.map_or("info".into(), |s| s.to_string()),
        from(args.min_severity.is_some(), config.min_severity.is_some()),
    );
    let deny_warnings = args.deny_warnings || config.deny_warnings.unwrap_or(false);
    explain(
        "deny-warnings",
        deny_warnings.to_string(),
        from(args.deny_warnings, config.deny_warnings.is_some()),
    );
    let max_bytes = args
        .max_bytes
        .or(config.max_bytes)
        .unwrap_or(input::DEFAULT_MAX_BYTES);
    explain(
        "max-bytes",
        max_bytes.to_string(),
        from(args.max_bytes.is_some(), config.max_bytes.is_some()),
    );
    let mut limits = BTreeMap::new();
    for (id, l) in &config.limits {
        limits.insert(id.clone(), (l.min, l.max));
        let shown = [("min", l.min), ("max", l.max)]
            .iter()
            .filter_map(|(k, v)| v.map(|v| format!("{k} {v}")))
            .collect::<Vec<_>>()
            .join(", ");
        explain(&format!("limits.{id}"), shown, &cfg_name);
    }
    let mut context: Context = config.context.clone();
    for (k, v) in &config.context {
        explain(&format!("context.{k}"), v.clone(), &cfg_name);
    }
    for (k, v) in &args.set {
        context.insert(k.clone(), v.clone());
        explain(&format!("context.{k}"), v.clone(), "command line");
    }
    for o in &config.overrides {
        explain("overrides", format!("files {}", o.files), &cfg_name);
    }
    Ok(Settings {
        options: Options {
            select,
            ignore,
            min_severity,
            severity: config.severity.clone(),
            limits,
            needed_moves_only: false,
        },
        config,
        sources,
        context,
        deny_warnings,
        max_bytes,
        explained,
    })
}

/// Checks that every rule id the settings name exists.
fn check_rule_ids(s: &Settings, rules: &RuleSet, err_color: bool) -> bool {
    let mut ok = true;
    let mut named: Vec<(String, String)> = s
        .options
        .select
        .iter()
        .chain(&s.options.ignore)
        .map(|id| (id.clone(), String::new()))
        .collect();
    if let Some(p) = &s.config.path {
        named.extend(
            s.config
                .named_rules()
                .into_iter()
                .map(|(_, id)| (id, format!(" (in {})", p.display()))),
        );
    }
    for (id, whence) in named {
        if rules.get(&id).is_none() {
            ok = false;
            let _ = report::render_error(
                &mut io::stderr().lock(),
                err_color,
                "usage",
                &format!("unknown rule `{id}`{whence} (see `decline-lint rules list`)"),
            );
        }
    }
    ok
}

pub fn run_config(args: ConfigArgs) -> io::Result<u8> {
    let err_color = use_color(ColorChoice::Auto, io::stderr().is_terminal());
    let s = match settings(&args.settings, err_color) {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let mut out = io::stdout().lock();
    let w = s
        .explained
        .iter()
        .map(|e| e.0.len() + e.1.len())
        .max()
        .unwrap_or(0)
        + 2;
    for (k, v, from) in &s.explained {
        let kv = format!("{k}: {v}");
        writeln!(out, "{kv:<w$}  # {from}")?;
    }
    Ok(OK)
}

/// What checking one letter produced, ready to be written in order.
#[derive(Default)]
struct FileOutput {
    out: Vec<u8>,
    err: Vec<u8>,
    summary: Summary,
    json: Vec<serde_json::Value>,
    gated: bool,
    trouble: bool,
}

/// Cuts a chunk of files into batches for `threads` threads to take in turn:
/// of [`BATCH`] files at most, and (with more than one thread) a share of
/// what is left, so that the last batches are small and the threads finish
/// the chunk at about the same time.
fn batches<T>(chunk: Vec<T>, threads: usize) -> Vec<Vec<T>> {
    let mut rest = chunk.into_iter();
    let mut out = Vec::new();
    while rest.len() > 0 {
        let size = match threads {
            0 | 1 => BATCH,
            n => rest.len().div_ceil(2 * n).clamp(MIN_BATCH, BATCH),
        };
        out.push(rest.by_ref().take(size).collect());
    }
    out
}

/// Where finished letters go, in order: their output to standard output,
/// their errors to standard error, their findings into the run's summary.
struct Sink<'p> {
    out: io::BufWriter<io::Stdout>,
    summary: Summary,
    json: Vec<serde_json::Value>,
    trouble: bool,
    gated: bool,
    progress: Option<&'p indicatif::ProgressBar>,
}

impl Sink<'_> {
    fn write(&mut self, outputs: Vec<FileOutput>) -> io::Result<()> {
        for fo in outputs {
            if !fo.err.is_empty() {
                self.out.flush()?;
                let stderr = io::stderr();
                let mut e = stderr.lock();
                match self.progress {
                    Some(bar) => bar.suspend(|| e.write_all(&fo.err))?,
                    None => e.write_all(&fo.err)?,
                }
            }
            self.out.write_all(&fo.out)?;
            self.summary.merge(&fo.summary);
            self.json.extend(fo.json);
            self.trouble |= fo.trouble;
            self.gated |= fo.gated;
        }
        Ok(())
    }
}

/// A letter read and ready to lint, with its settings.
struct Loaded {
    source: Source,
    path: String,
    letter: Letter,
    context: Context,
    /// The linter for a file with its own settings (from overrides).
    special: Option<Linter>,
}

/// Everything a worker needs, shared read-only across threads.
struct Run<'a> {
    args: &'a LintArgs,
    settings: &'a Settings,
    linter: &'a Linter,
    format: Format,
    style: Style,
    err_color: bool,
    gate: Severity,
    checklist: &'a [Checklist],
}

impl Run<'_> {
    /// Checks a few files: each is read, the letters are linted together
    /// (see [`Linter::lint_many`]) in groups of up to [`BATCH_BYTES`], and
    /// each gets its output, in order.
    fn process(&self, items: Vec<Result<Source, InputError>>) -> Vec<FileOutput> {
        let mut outputs = Vec::with_capacity(items.len());
        let mut group = Vec::new();
        let mut bytes = 0;
        for item in items {
            let mut fo = FileOutput::default();
            let loaded = self.load(item, &mut fo);
            bytes += loaded.as_ref().map_or(0, |l| l.letter.text.len());
            group.push((loaded, fo));
            // Long letters are not held many at a time.
            if bytes >= BATCH_BYTES {
                self.lint_group(std::mem::take(&mut group), &mut outputs);
                bytes = 0;
            }
        }
        self.lint_group(group, &mut outputs);
        outputs
    }

    /// Lints letters read by [`Run::load`] together and finishes each, in
    /// order, into `outputs`.
    fn lint_group(&self, group: Vec<(Option<Loaded>, FileOutput)>, outputs: &mut Vec<FileOutput>) {
        // Letters with their own settings are linted on their own.
        let together: Vec<(&Letter, &Context)> = group
            .iter()
            .filter_map(|(l, _)| l.as_ref())
            .filter(|l| l.special.is_none())
            .map(|l| (&l.letter, &l.context))
            .collect();
        let mut outcomes = self.linter.lint_many(&together).into_iter();
        for (loaded, mut fo) in group {
            if let Some(loaded) = loaded {
                let outcome = match &loaded.special {
                    None => outcomes
                        .next()
                        .expect("an outcome for each letter linted together"),
                    Some(linter) => linter.lint(&loaded.letter, &loaded.context),
                };
                if let Err(e) = self.finish(loaded, outcome, &mut fo) {
                    fo.trouble = true;
                    let _ = writeln!(fo.err, "error: {e}");
                }
            }
            outputs.push(fo);
        }
    }

    fn input_error(&self, fo: &mut FileOutput, e: &dyn std::fmt::Display) {
        fo.trouble = true;
        let _ = report::render_error(&mut fo.err, self.err_color, "input", &e.to_string());
    }

    /// Reads a letter and works out its settings; `None` (with the error in
    /// `fo`) when it cannot be read.
    fn load(&self, item: Result<Source, InputError>, fo: &mut FileOutput) -> Option<Loaded> {
        let source = match item {
            Ok(s) => s,
            Err(e) => {
                self.input_error(fo, &e);
                return None;
            }
        };
        let path = source.display();
        let loaded = input::read_bytes(&source, self.settings.max_bytes)
            .and_then(|bytes| input::load_letter(&path, bytes));
        let letter = match loaded {
            Ok(l) => l,
            Err(e) => {
                self.input_error(fo, &e);
                return None;
            }
        };
        // Per-file overrides from the configuration.
        let mut context = self.settings.context.clone();
        let mut special = None;
        if let Source::File(p) = &source {
            let matching: Vec<_> = self.settings.config.overrides_for(p).collect();
            if !matching.is_empty() {
                let mut options = self.settings.options.clone();
                for o in matching {
                    config::apply_override(o, &mut options, &mut context);
                }
                special = Some(self.linter.with_options(options));
            }
        }
        Some(Loaded {
            source,
            path,
            letter,
            context,
            special,
        })
    }

    /// Fixes (when asked), reports and gates one linted letter.
    fn finish(&self, loaded: Loaded, mut outcome: Outcome, fo: &mut FileOutput) -> io::Result<()> {
        let args = self.args;
        let Loaded {
            source,
            path,
            mut letter,
            context,
            special,
        } = loaded;
        let linter = special.as_ref().unwrap_or(self.linter);

        if (args.fix || args.diff) && letter.derived.is_some() {
            writeln!(
                fo.err,
                "note: {path}: fixes are not applied to decoded mail; the findings are shown instead"
            )?;
        } else if args.fix || args.diff {
            let original = letter.source().to_string();
            let fixed = fix_until_stable(linter, &letter, &context, args.unsafe_fixes);
            if fixed != original {
                if args.diff {
                    fo.gated = true;
                    let diff = similar::TextDiff::from_lines(&original, &fixed);
                    write!(
                        fo.out,
                        "{}",
                        diff.unified_diff()
                            .context_radius(2)
                            .header(&format!("a/{path}"), &format!("b/{path}"))
                    )?;
                    return Ok(());
                }
                if matches!(source, Source::Stdin(_)) {
                    fo.out.write_all(fixed.as_bytes())?;
                    let l =
                        input::load_letter(&path, fixed.into_bytes()).map_err(io::Error::other)?;
                    let o = linter.lint(&l, &context);
                    fo.gated |= o.findings.iter().any(|f| f.severity >= self.gate);
                    fo.summary.add(&o.findings, true);
                    return Ok(());
                }
                // Write to the path that was read, not to its display form
                // (which may have lost bytes that are not UTF-8).
                let target = match &source {
                    Source::File(p) => p.clone(),
                    Source::Stdin(_) => PathBuf::from(&path),
                };
                match fix::write_atomic(&target, fixed.as_bytes()) {
                    Err(e) => {
                        fo.trouble = true;
                        let _ = report::render_error(
                            &mut fo.err,
                            self.err_color,
                            "fix",
                            &format!(
                                "{path}: cannot write the fixed letter, it was left as it was: {e}"
                            ),
                        );
                    }
                    Ok(()) => {
                        letter = input::load_letter(&path, fixed.into_bytes())
                            .map_err(io::Error::other)?;
                        outcome = linter.lint(&letter, &context);
                    }
                }
            } else if args.diff {
                return Ok(());
            } else if matches!(source, Source::Stdin(_)) {
                // A filter prints the letter whether or not anything changed.
                fo.out.write_all(original.as_bytes())?;
                fo.gated |= outcome.findings.iter().any(|f| f.severity >= self.gate);
                fo.summary.add(&outcome.findings, true);
                return Ok(());
            }
        }

        fo.summary.add(&outcome.findings, letter.derived.is_none());
        fo.gated |= outcome.findings.iter().any(|f| f.severity >= self.gate);
        let result = FileResult {
            path: &path,
            letter: &letter,
            outcome: &outcome,
            checklist: self.checklist,
        };
        report::write_file(
            &mut fo.out,
            self.format,
            self.style,
            &linter.rules().moves,
            &result,
            &mut fo.json,
        )
    }
}

pub fn run_lint(args: LintArgs) -> io::Result<u8> {
    let err_color = use_color(args.color, io::stderr().is_terminal());
    let out_color = use_color(args.color, io::stdout().is_terminal());
    if args.paths.is_empty() {
        let _ = report::render_error(
            &mut io::stderr().lock(),
            err_color,
            "usage",
            "no letters given: name a file, a folder, or `-` for standard input (see --help)",
        );
        return Ok(TROUBLE);
    }
    let mut settings = match settings(&args.settings, err_color) {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    // Only `--format moves` shows the moves no rule reads.
    settings.options.needed_moves_only = !matches!(args.format, FormatArg::Moves);
    // A broken rule file is reported, and the letters are still checked with
    // the rules that did load; the run then exits 2.
    let (rules, rule_errors) = RuleSet::load_partial(&settings.sources);
    print_rule_errors(&rule_errors, err_color);
    if !check_rule_ids(&settings, &rules, err_color) {
        return Ok(TROUBLE);
    }
    if args.verbose {
        if let Some(p) = &settings.config.path {
            writeln!(io::stderr(), "note: using configuration {}", p.display())?;
        }
        for note in &rules.notes {
            writeln!(io::stderr(), "note: {note}")?;
        }
    }
    let linter = Linter::new(rules, settings.options.clone());
    if linter.active_rules().next().is_none() {
        // A gate that checks nothing would pass every letter.
        writeln!(
            io::stderr(),
            "warning: no rules are active, so every letter passes (see --no-default-rules, --rules, --select and the configuration)"
        )?;
    }
    let checklist: Vec<Checklist> = Checklist::ALL
        .into_iter()
        .filter(|c| linter.active_rules().any(|r| r.checklist == Some(*c)))
        .collect();
    let format = match args.format {
        FormatArg::Human => Format::Human,
        FormatArg::Short => Format::Short,
        FormatArg::Json => Format::Json,
        FormatArg::JsonLines => Format::JsonLines,
        FormatArg::Moves => Format::Moves,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Github => Format::Github,
    };
    let run = Run {
        args: &args,
        settings: &settings,
        linter: &linter,
        format,
        style: Style {
            color: out_color,
            quiet: args.quiet,
        },
        err_color,
        gate: if settings.deny_warnings {
            Severity::Warning
        } else {
            Severity::Error
        },
        checklist: &checklist,
    };

    let items = input::expand(&args.paths, &args.stdin_filename);
    // One letter is checked on this thread: starting a pool would cost more.
    let threads = match args.threads.filter(|&n| n > 0) {
        _ if items.len() < 2 => 1,
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let pool = if threads > 1 {
        Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(io::Error::other)?,
        )
    } else {
        None
    };
    let progress = (items.len() > 300 && io::stderr().is_terminal() && !args.quiet).then(|| {
        let bar = indicatif::ProgressBar::new(items.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} letters ({eta} left)")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });

    let mut sink = Sink {
        // Not locked: the sink is handed to whichever thread writes.
        out: io::BufWriter::with_capacity(64 << 10, io::stdout()),
        summary: Summary::default(),
        json: Vec::new(),
        trouble: !rule_errors.is_empty(),
        gated: false,
        progress: progress.as_ref(),
    };
    // Each chunk is linted while the one before it is written, so the
    // threads do not wait for the writing.
    let mut pending = Vec::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() || !pending.is_empty() {
        let chunk: Vec<_> = items.by_ref().take(CHUNK).collect();
        let batches = batches(chunk, threads);
        // A batch is counted on the bar as soon as it is linted.
        let process = |batch: Vec<_>| {
            let n = batch.len() as u64;
            let outputs = run.process(batch);
            if let Some(bar) = &progress {
                bar.inc(n);
            }
            outputs
        };
        let done = std::mem::take(&mut pending);
        let (written, outputs) = match &pool {
            None => {
                sink.write(done)?;
                (Ok(()), batches.into_iter().flat_map(process).collect())
            }
            Some(pool) => pool.install(|| {
                rayon::join(
                    || sink.write(done),
                    || {
                        // The threads take the batches in turn, in order (so
                        // the small ones come last); the outputs are put back
                        // in order.
                        let mut outputs: Vec<(usize, Vec<FileOutput>)> = batches
                            .into_iter()
                            .enumerate()
                            .par_bridge()
                            .map(|(i, b)| (i, process(b)))
                            .collect();
                        outputs.sort_unstable_by_key(|(i, _)| *i);
                        outputs.into_iter().flat_map(|(_, o)| o).collect()
                    },
                )
            }),
        };
        written?;
        pending = outputs;
    }
    let Sink {
        mut out,
        summary,
        json,
        trouble,
        gated,
        ..
    } = sink;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    // `--diff` prints only the diff; `--fix` on standard input prints only the letter.
    let filtering = args.fix && args.paths.iter().any(|p| p.as_os_str() == "-");
    if !args.diff && !filtering {
        let active: Vec<&Rule> = linter.active_rules().collect();
        report::finish(
            &mut out,
            format,
            run.style,
            &summary,
            json,
            &report::RunInfo {
                rules: &active,
                guide_url: args.guide_url.as_deref(),
                statistics: args.statistics,
            },
        )?;
    }
    out.flush()?;
    Ok(if trouble {
        TROUBLE
    } else if gated {
        FINDINGS
    } else {
        OK
    })
}

/// Applies fixes, re-linting after each pass, until nothing more changes.
fn fix_until_stable(
    linter: &Linter,
    letter: &Letter,
    context: &Context,
    allow_unsafe: bool,
) -> String {
    let mut text = letter.source().to_string();
    for _ in 0..10 {
        let Ok(current) = input::load_letter(&letter.name, text.clone().into_bytes()) else {
            break;
        };
        let findings = linter.lint(&current, context).findings;
        let fixed = fix::apply(&text, &findings, allow_unsafe);
        if fixed.applied == 0 || fixed.text == text {
            break;
        }
        text = fixed.text;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_keep_the_files_in_order_and_shrink_towards_the_end() {
        for (files, threads) in [
            (0, 2),
            (1, 2),
            (15, 2),
            (100, 2),
            (4096, 2),
            (4096, 8),
            (1000, 1),
        ] {
            let cut = batches((0..files).collect(), threads);
            let joined: Vec<usize> = cut.iter().flatten().copied().collect();
            assert_eq!(joined, (0..files).collect::<Vec<_>>(), "{files} {threads}");
            assert!(cut.iter().all(|b| !b.is_empty() && b.len() <= BATCH));
            if threads == 1 {
                assert!(cut.iter().rev().skip(1).all(|b| b.len() == BATCH));
            } else {
                // Never larger than the one before, none small but the last.
                assert!(cut.windows(2).all(|w| w[1].len() <= w[0].len()));
                assert!(cut.iter().rev().skip(1).all(|b| b.len() >= MIN_BATCH));
            }
        }
        let cut = batches((0..4096).collect::<Vec<_>>(), 2);
        assert_eq!(cut[0].len(), BATCH);
        assert!(cut.last().unwrap().len() <= MIN_BATCH);
    }
}
