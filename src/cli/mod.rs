//! The command line: clap definitions and dispatch. Only `main.rs` uses it.

mod guide;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use decline_lint::input::{self, InputError};
use decline_lint::letter::Letter;
use decline_lint::lint::{fix, Context, Linter, Options};
use decline_lint::report::{self, FileResult, Format, Style, Summary};
use decline_lint::rules::{Checklist, RuleError, RuleSet, RuleSource, Severity};
use decline_lint::selftest;

/// Exit codes.
pub(crate) const OK: u8 = 0;
pub(crate) const FINDINGS: u8 = 1;
pub(crate) const TROUBLE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "decline-lint",
    version,
    about = "Check a letter that declines a job interview, and read the guide behind the checks.",
    long_about = "Check a letter that declines a job interview against rules drawn from the guide, \
                  and read the guide itself.\n\n\
                  Exit codes: 0 no finding at error severity (warnings allowed unless --deny-warnings), \
                  1 findings at or above the gate, 2 usage, input, configuration or rule-file errors.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    lint: LintArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List, explain and test rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Read, build and check the guide.
    #[command(subcommand)]
    Guide(guide::GuideCommand),
    /// Write a decline letter from the guide's template.
    Draft(guide::DraftArgs),
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// List every rule: id, severity, kind, fixability and message.
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Explain one rule: what it finds, why, how to fix it, with examples.
    Explain {
        /// The rule id, like `missing-gratitude`.
        id: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Run the examples in rule files: bad examples must fire, good ones must not.
    Test {
        /// A folder of rules to test (default: the built-in rules).
        dir: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Human,
    Short,
    Json,
    JsonLines,
    Moves,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SeverityArg {
    Info,
    Warning,
    Error,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Error => Severity::Error,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub(crate) struct RuleArgs {
    /// A folder of extra rules (`*.yaml`, and move detectors in `moves/`); a rule
    /// with the same id as a built-in one replaces it. May be repeated.
    #[arg(long = "rules", value_name = "DIR")]
    pub(crate) dirs: Vec<PathBuf>,
    /// Start from no rules at all, only those from --rules.
    #[arg(long)]
    pub(crate) no_default_rules: bool,
}

#[derive(Debug, Clone, Args)]
struct LintArgs {
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
    rules: RuleArgs,

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

    /// Print how many findings each rule produced.
    #[arg(long)]
    statistics: bool,

    /// Less output: no checklist line and no info findings.
    #[arg(short, long)]
    quiet: bool,

    /// Say more: which rules replaced which.
    #[arg(short, long)]
    verbose: bool,

    /// The name to show for a letter read from standard input.
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    stdin_filename: String,

    /// Refuse letters larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = input::DEFAULT_MAX_BYTES)]
    max_bytes: u64,

    /// Apply safe fixes in place (standard input: print the fixed letter).
    #[arg(long)]
    fix: bool,

    /// With --fix or --diff, also apply fixes that change the letter's meaning.
    #[arg(long)]
    unsafe_fixes: bool,

    /// Print the fixes as a unified diff instead of writing them.
    #[arg(long, conflicts_with = "fix")]
    diff: bool,

    /// A context value some rules check against, like `company=Acme` (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    set: Vec<(String, String)>,
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

pub(crate) fn use_color(choice: ColorChoice, stream_is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

/// Runs the program and returns its exit code.
pub fn main() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { TROUBLE } else { OK };
        }
    };
    let result = match cli.command {
        Some(Command::Rules(cmd)) => run_rules(cmd),
        Some(Command::Guide(cmd)) => guide::run_guide(cmd),
        Some(Command::Draft(args)) => guide::run_draft(args),
        None => run_lint(cli.lint),
    };
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => OK,
        Err(e) => {
            let _ = writeln!(io::stderr(), "error: {e}");
            TROUBLE
        }
    }
}

pub(crate) fn load_rules(args: &RuleArgs, color: bool) -> Result<RuleSet, u8> {
    let mut sources = Vec::new();
    if !args.no_default_rules {
        sources.push(RuleSource::Defaults);
    }
    sources.extend(args.dirs.iter().cloned().map(RuleSource::Dir));
    RuleSet::load(&sources).map_err(|errors| {
        print_rule_errors(&errors, color);
        TROUBLE
    })
}

fn print_rule_errors(errors: &[RuleError], color: bool) {
    let stderr = io::stderr();
    let mut err = stderr.lock();
    for e in errors {
        let _ = report::render_rule_error(&mut err, color, e);
    }
}

fn run_lint(args: LintArgs) -> io::Result<u8> {
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
    // A broken rule file is reported, and the letters are still checked with
    // the rules that did load; the run then exits 2.
    let mut sources = Vec::new();
    if !args.rules.no_default_rules {
        sources.push(RuleSource::Defaults);
    }
    sources.extend(args.rules.dirs.iter().cloned().map(RuleSource::Dir));
    let (rules, rule_errors) = RuleSet::load_partial(&sources);
    print_rule_errors(&rule_errors, err_color);
    for id in args.select.iter().chain(&args.ignore) {
        if rules.get(id).is_none() {
            let _ = report::render_error(
                &mut io::stderr().lock(),
                err_color,
                "usage",
                &format!("unknown rule `{id}` (see `decline-lint rules list`)"),
            );
            return Ok(TROUBLE);
        }
    }
    if args.verbose {
        for note in &rules.notes {
            writeln!(io::stderr(), "note: {note}")?;
        }
    }
    let options = Options {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        min_severity: args.min_severity.map(Severity::from),
        ..Options::default()
    };
    let linter = Linter::new(rules, options);
    let context: Context = args.set.iter().cloned().collect();
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
    };
    let style = Style {
        color: out_color,
        quiet: args.quiet,
    };
    let gate = if args.deny_warnings {
        Severity::Warning
    } else {
        Severity::Error
    };

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut summary = Summary::default();
    let mut json_files = Vec::new();
    let mut trouble = !rule_errors.is_empty();
    let mut gated = false;
    for item in input::expand(&args.paths, &args.stdin_filename) {
        let loaded = item.and_then(|source| {
            let path = source.display();
            let bytes = input::read_bytes(&source, args.max_bytes)?;
            let letter = input::load_letter(&path, bytes)?;
            Ok::<_, InputError>((path, letter))
        });
        let (path, mut letter) = match loaded {
            Ok(x) => x,
            Err(e) => {
                trouble = true;
                out.flush()?;
                let _ = report::render_error(
                    &mut io::stderr().lock(),
                    err_color,
                    "input",
                    &e.to_string(),
                );
                continue;
            }
        };
        let mut outcome = linter.lint(&letter, &context);
        if (args.fix || args.diff) && letter.derived.is_some() {
            writeln!(
                io::stderr(),
                "note: {path}: fixes are not applied to decoded mail; the findings are shown instead"
            )?;
        } else if args.fix || args.diff {
            let original = letter.source().to_string();
            let fixed = fix_until_stable(&linter, &letter, &context, args.unsafe_fixes);
            if fixed != original {
                let is_stdin =
                    path == args.stdin_filename && args.paths.iter().any(|p| p.as_os_str() == "-");
                if args.diff {
                    gated = true;
                    let diff = similar::TextDiff::from_lines(&original, &fixed);
                    write!(
                        out,
                        "{}",
                        diff.unified_diff()
                            .context_radius(2)
                            .header(&format!("a/{path}"), &format!("b/{path}"))
                    )?;
                    continue;
                } else if is_stdin {
                    out.write_all(fixed.as_bytes())?;
                    letter = input::load_letter(&path, fixed.into_bytes()).map_err(io::Error::other)?;
                    outcome = linter.lint(&letter, &context);
                    gated |= outcome.findings.iter().any(|f| f.severity >= gate);
                    summary.add(&outcome.findings);
                    continue;
                } else if let Err(e) =
                    fix::write_atomic(std::path::Path::new(&path), fixed.as_bytes())
                {
                    trouble = true;
                    out.flush()?;
                    let _ = report::render_error(
                        &mut io::stderr().lock(),
                        err_color,
                        "fix",
                        &format!(
                            "{path}: cannot write the fixed letter, it was left as it was: {e}"
                        ),
                    );
                } else {
                    letter = input::load_letter(&path, fixed.into_bytes()).map_err(io::Error::other)?;
                    outcome = linter.lint(&letter, &context);
                }
            } else if args.diff {
                continue;
            }
        }
        summary.add(&outcome.findings);
        gated |= outcome.findings.iter().any(|f| f.severity >= gate);
        let result = FileResult {
            path: &path,
            letter: &letter,
            outcome: &outcome,
            checklist: &checklist,
        };
        report::write_file(
            &mut out,
            format,
            style,
            &linter.rules().moves,
            &result,
            &mut json_files,
        )?;
    }
    if !args.diff {
        report::finish(
            &mut out,
            format,
            style,
            &summary,
            args.statistics,
            json_files,
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
    let mut text = letter.text.clone();
    for _ in 0..10 {
        let current = Letter::parse(letter.name.clone(), text.clone());
        let findings = linter.lint(&current, context).findings;
        let fixed = fix::apply(&text, &findings, allow_unsafe);
        if fixed.applied == 0 || fixed.text == text {
            break;
        }
        text = fixed.text;
    }
    text
}

fn run_rules(cmd: RulesCommand) -> io::Result<u8> {
    let err_color = use_color(ColorChoice::Auto, io::stderr().is_terminal());
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match cmd {
        RulesCommand::List { format, rules } => {
            let set = match load_rules(&rules, err_color) {
                Ok(s) => s,
                Err(code) => return Ok(code),
            };
            match format {
                ListFormat::Json => {
                    let rows: Vec<serde_json::Value> = set
                        .rules
                        .iter()
                        .map(|r| {
                            serde_json::json!({
                                "id": r.id,
                                "severity": r.severity.as_str(),
                                "kind": r.extends,
                                "fixable": r.fix_applicability().map(|a| a.as_str()),
                                "message": r.message,
                                "help": r.help,
                                "guide": r.guide,
                                "origin": r.origin,
                            })
                        })
                        .collect();
                    serde_json::to_writer_pretty(&mut out, &rows)?;
                    writeln!(out)?;
                }
                ListFormat::Text => {
                    let w = set.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
                    for r in &set.rules {
                        let fix = r.fix_applicability().map_or("-", |a| a.as_str());
                        writeln!(
                            out,
                            "{:<w$}  {:<7}  {:<12}  {:<11}  {}",
                            r.id,
                            r.severity.as_str(),
                            r.extends,
                            fix,
                            report::one_line(&r.message)
                        )?;
                    }
                }
            }
        }
        RulesCommand::Explain { id, rules } => {
            let set = match load_rules(&rules, err_color) {
                Ok(s) => s,
                Err(code) => return Ok(code),
            };
            let Some(r) = set.get(&id) else {
                let _ = report::render_error(
                    &mut io::stderr().lock(),
                    err_color,
                    "usage",
                    &format!("unknown rule `{id}` (see `decline-lint rules list`)"),
                );
                return Ok(TROUBLE);
            };
            writeln!(out, "# {} ({})", r.id, r.severity)?;
            writeln!(out)?;
            writeln!(out, "{}", r.message)?;
            if let Some(d) = &r.description {
                writeln!(out, "\n{d}")?;
            }
            if let Some(h) = &r.help {
                writeln!(out, "\n## What to do\n\n{h}")?;
            }
            if let Some(a) = r.fix_applicability() {
                writeln!(
                    out,
                    "\n## Fix\n\nThis rule suggests replacements ({}).",
                    a.as_str()
                )?;
            }
            if let Some(g) = &r.guide {
                writeln!(out, "\n## Guide\n\ndecline-lint guide show {g}")?;
            }
            for (title, list) in [("Bad", &r.examples.bad), ("Good", &r.examples.good)] {
                if list.is_empty() {
                    continue;
                }
                writeln!(out, "\n## {title} examples")?;
                for ex in list {
                    writeln!(out)?;
                    for line in ex.text().lines() {
                        writeln!(out, "    {line}")?;
                    }
                }
            }
            writeln!(
                out,
                "\nKind: {} · scope: {} · from {}",
                r.extends,
                r.scope.name(&set.moves),
                r.origin
            )?;
        }
        RulesCommand::Test { dir, color } => {
            let color = use_color(color, io::stderr().is_terminal());
            let mut args = RuleArgs {
                dirs: Vec::new(),
                no_default_rules: false,
            };
            args.dirs.extend(dir.clone());
            let set = match load_rules(&args, color) {
                Ok(s) => s,
                Err(code) => return Ok(code),
            };
            let prefix = dir.as_ref().map(|d| d.display().to_string());
            let failures = selftest::check_examples(&set, |origin| match &prefix {
                Some(p) => origin.starts_with(p.as_str()),
                None => true,
            });
            let tested = set
                .rules
                .iter()
                .filter(|r| {
                    prefix
                        .as_ref()
                        .is_none_or(|p| r.origin.starts_with(p.as_str()))
                })
                .count();
            for f in &failures {
                let _ = report::render_error(
                    &mut io::stderr().lock(),
                    color,
                    &f.subject,
                    &format!("{} ({})\n  example: {:?}", f.problem, f.origin, f.example),
                );
            }
            writeln!(
                out,
                "{} rules tested: {} passed, {} failed",
                tested,
                tested.saturating_sub(
                    failures
                        .iter()
                        .map(|f| &f.subject)
                        .collect::<std::collections::BTreeSet<_>>()
                        .len()
                        .min(tested)
                ),
                failures.len()
            )?;
            out.flush()?;
            return Ok(if failures.is_empty() { OK } else { FINDINGS });
        }
    }
    out.flush()?;
    Ok(OK)
}

/// The clap command, for tests and generated docs.
#[allow(dead_code)]
pub fn command() -> clap::Command {
    Cli::command()
}

#[cfg(test)]
mod tests {
    #[test]
    fn clap_definition_is_valid() {
        super::command().debug_assert();
    }
}
