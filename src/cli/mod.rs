//! The command line: clap definitions and dispatch. Only `main.rs` uses it.

mod guide;
mod lint;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use decline_lint::report;
use decline_lint::rules::{RuleError, RuleSet, RuleSource, Severity};
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
    lint: lint::LintArgs,
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
    /// Print the effective configuration and where each value comes from.
    Config(lint::ConfigArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), generated from the command-line definition.
    Man,
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
pub(crate) enum FormatArg {
    Human,
    Short,
    Json,
    JsonLines,
    Moves,
    Sarif,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SeverityArg {
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
        Some(Command::Config(args)) => lint::run_config(args),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "decline-lint",
                &mut io::stdout(),
            );
            Ok(OK)
        }
        Some(Command::Man) => clap_mangen::Man::new(Cli::command())
            .render(&mut io::stdout())
            .map(|()| OK),
        None => lint::run_lint(cli.lint),
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

pub(crate) fn print_rule_errors(errors: &[RuleError], color: bool) {
    let stderr = io::stderr();
    let mut err = stderr.lock();
    for e in errors {
        let _ = report::render_rule_error(&mut err, color, e);
    }
}

/// A rule's message or help as a reader of the rule sees it:
/// "The body has only {count} words".
fn shown(template: &str) -> String {
    decline_lint::lint::template::shown(template, |name| format!("{{{name}}}"))
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
                            report::one_line(&shown(&r.message))
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
            writeln!(out, "{}", shown(&r.message))?;
            if let Some(d) = &r.description {
                writeln!(out, "\n{d}")?;
            }
            if let Some(h) = &r.help {
                writeln!(out, "\n## What to do\n\n{}", shown(h))?;
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
