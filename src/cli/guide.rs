//! The `guide` and `draft` subcommands: clap definitions, and printing what the library returns.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};
use termcolor::{Ansi, NoColor};

use decline_lint::guide::check::{self, CheckReport};
use decline_lint::guide::draft::{self, DraftRequest, Reason};
use decline_lint::guide::terminal::{self, TermStyle};
use decline_lint::guide::{html, ContentSource, Guide, GuideError};
use decline_lint::letter::Letter;
use decline_lint::lint::{Context, Linter, Options};
use decline_lint::report::{self, FileResult, Format, Style};
use decline_lint::rules::Severity;

use super::{load_rules, use_color, ColorChoice, RuleArgs, FINDINGS, OK, TROUBLE};

#[derive(Debug, Subcommand)]
pub enum GuideCommand {
    /// Render the guide to a static HTML site (open index.html in a browser; no network needed).
    Build {
        /// Where to write the site.
        #[arg(long, value_name = "DIR", default_value = "site")]
        out: PathBuf,
        #[command(flatten)]
        content: ContentArgs,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Read the guide in the terminal: the contents, a page, or one section.
    Show {
        /// A page (`tips`) or a section (`tips#express-gratitude-and-appreciation`);
        /// without it, the table of contents.
        #[arg(value_name = "PAGE[#ANCHOR]")]
        target: Option<String>,
        #[command(flatten)]
        content: ContentArgs,
        /// When to use bold, underline and colour (NO_COLOR in the environment turns it off).
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        /// Wrap to this many columns (default: $COLUMNS, the terminal's width, or 80).
        #[arg(long, value_name = "COLUMNS")]
        width: Option<usize>,
    },
    /// Check that the guide and the rules agree: anchors, links, coverage of
    /// every tip, step and reason, and the example letters.
    Check {
        #[command(flatten)]
        content: ContentArgs,
        #[command(flatten)]
        rules: RuleArgs,
        /// When to use colour in diagnostics.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ContentArgs {
    /// Read the guide's pages from this folder instead of the built-in ones.
    #[arg(long = "content", value_name = "DIR")]
    dir: Option<PathBuf>,
}

impl ContentArgs {
    fn source(&self) -> ContentSource {
        match &self.dir {
            Some(d) => ContentSource::Dir(d.clone()),
            None => ContentSource::Embedded,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReasonArg {
    /// You accepted another offer.
    OtherOffer,
    /// The role is not a good fit.
    NotAFit,
    /// The company culture does not match.
    Culture,
    /// The location does not work.
    Location,
    /// You are no longer interested.
    NotInterested,
    /// Give no reason: the letter goes from the decision to the close.
    None,
}

impl ReasonArg {
    /// The reason, or `None` for `--reason none`.
    fn reason(self) -> Option<Reason> {
        match self {
            ReasonArg::OtherOffer => Some(Reason::OtherOffer),
            ReasonArg::NotAFit => Some(Reason::NotAFit),
            ReasonArg::Culture => Some(Reason::Culture),
            ReasonArg::Location => Some(Reason::Location),
            ReasonArg::NotInterested => Some(Reason::NotInterested),
            ReasonArg::None => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct DraftArgs {
    /// The reason for declining; its tactful sentence comes from the guide's reasons page.
    #[arg(long, value_enum)]
    reason: Option<ReasonArg>,
    /// The company you are writing to.
    #[arg(long)]
    company: Option<String>,
    /// The role you were invited to interview for.
    #[arg(long)]
    role: Option<String>,
    /// The reader, as the greeting should name them ("Ms. Lee").
    #[arg(long, value_name = "NAME")]
    to: Option<String>,
    /// Your name, for the signature.
    #[arg(long, value_name = "NAME")]
    from: Option<String>,
    /// Offer an alternative: a call in a few months about other roles.
    #[arg(long)]
    alternative: bool,
    /// The subject line (default: the template's, filled in).
    #[arg(long)]
    subject: Option<String>,
    #[command(flatten)]
    content: ContentArgs,
    #[command(flatten)]
    rules: RuleArgs,
}

/// Runs a `guide` subcommand and returns the exit code.
pub fn run_guide(cmd: GuideCommand) -> io::Result<u8> {
    match cmd {
        GuideCommand::Build {
            out,
            content,
            rules,
        } => build(&out, &content, &rules),
        GuideCommand::Show {
            target,
            content,
            color,
            width,
        } => show(target.as_deref(), &content, color, width),
        GuideCommand::Check {
            content,
            rules,
            color,
        } => run_check(&content, &rules, color),
    }
}

fn err_color() -> bool {
    use_color(ColorChoice::Auto, io::stderr().is_terminal())
}

/// Loads the guide, printing what is wrong with it on failure.
fn load_guide(content: &ContentArgs, color: bool) -> Result<Guide, u8> {
    Guide::load(&content.source()).map_err(|errors| {
        let stderr = io::stderr();
        let mut err = stderr.lock();
        for e in &errors {
            let _ = emit_guide_error(&mut err, color, e);
        }
        TROUBLE
    })
}

fn emit_guide_error(out: &mut dyn Write, color: bool, e: &GuideError) -> io::Result<()> {
    let file = SimpleFile::new(e.path.as_str(), &*e.text);
    let config = Config::default();
    let result = if color {
        term::emit_to_write_style(&mut Ansi::new(&mut *out), &config, &file, &e.report())
    } else {
        term::emit_to_write_style(&mut NoColor::new(&mut *out), &config, &file, &e.report())
    };
    result.map_err(to_io)
}

fn to_io(e: codespan_reporting::files::Error) -> io::Error {
    match e {
        codespan_reporting::files::Error::Io(io) => io,
        other => io::Error::other(other.to_string()),
    }
}

fn usage_error(message: &str) -> u8 {
    let _ = report::render_error(&mut io::stderr().lock(), err_color(), "usage", message);
    TROUBLE
}

fn build(out_dir: &Path, content: &ContentArgs, rule_args: &RuleArgs) -> io::Result<u8> {
    let color = err_color();
    let guide = match load_guide(content, color) {
        Ok(g) => g,
        Err(code) => return Ok(code),
    };
    let rules = match load_rules(rule_args, color) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let site = html::build(&guide, &rules);
    if let Err(e) = site.write(out_dir) {
        let _ = report::render_error(
            &mut io::stderr().lock(),
            color,
            "io",
            &format!("cannot write the site to {}: {e}", out_dir.display()),
        );
        return Ok(TROUBLE);
    }
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "wrote {} files to {}; open {} in a browser",
        site.files.len(),
        out_dir.display(),
        out_dir.join("index.html").display()
    )?;
    Ok(OK)
}

fn show(
    target: Option<&str>,
    content: &ContentArgs,
    color: ColorChoice,
    width: Option<usize>,
) -> io::Result<u8> {
    let guide = match load_guide(content, err_color()) {
        Ok(g) => g,
        Err(code) => return Ok(code),
    };
    let is_terminal = io::stdout().is_terminal();
    // --width, then $COLUMNS (as `ls` and `man` read it), then the terminal's.
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    let width = width.or(columns).unwrap_or_else(|| {
        if is_terminal {
            terminal_size::terminal_size().map_or(80, |(w, _)| usize::from(w.0))
        } else {
            80
        }
    });
    let style = TermStyle {
        width: width.max(20),
        color: use_color(color, is_terminal),
    };
    let text = match target {
        None => terminal::render_toc(&guide, style),
        Some(target) => match guide.resolve(target) {
            Err(message) => return Ok(usage_error(&message)),
            Ok((page, None)) => terminal::render_page(&guide, page, style),
            Ok((page, Some(h))) => terminal::render_section(&guide, page, &h.id, style)
                .unwrap_or_else(|| terminal::render_page(&guide, page, style)),
        },
    };
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(OK)
}

fn emit_check(out: &mut dyn Write, color: bool, report: &CheckReport) -> io::Result<()> {
    let config = Config::default();
    for d in &report.diagnostics {
        let result = if color {
            term::emit_to_write_style(&mut Ansi::new(&mut *out), &config, &report.files, d)
        } else {
            term::emit_to_write_style(&mut NoColor::new(&mut *out), &config, &report.files, d)
        };
        result.map_err(to_io)?;
    }
    Ok(())
}

fn run_check(content: &ContentArgs, rule_args: &RuleArgs, color: ColorChoice) -> io::Result<u8> {
    let color = use_color(color, io::stderr().is_terminal());
    let guide = match load_guide(content, color) {
        Ok(g) => g,
        Err(code) => return Ok(code),
    };
    let rules = match load_rules(rule_args, color) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let report = check::check(&guide, &rules);
    emit_check(&mut io::stderr().lock(), color, &report)?;
    let mut out = io::stdout().lock();
    out.write_all(check::coverage_table(&report.coverage).as_bytes())?;
    let stats = format!(
        "{} pages, {} rules, {} links, {} example letters, {} drafts",
        guide.pages.len(),
        rules.rules.len(),
        report.links,
        report.letters,
        report.drafts
    );
    if report.passed() {
        writeln!(out, "guide check passed ({stats})")?;
        Ok(OK)
    } else {
        let n = report.failures();
        writeln!(
            out,
            "guide check failed: {n} problem{} ({stats})",
            if n == 1 { "" } else { "s" }
        )?;
        Ok(FINDINGS)
    }
}

/// Runs `draft` and returns the exit code.
pub fn run_draft(args: DraftArgs) -> io::Result<u8> {
    let color = err_color();
    let guide = match load_guide(&args.content, color) {
        Ok(g) => g,
        Err(code) => return Ok(code),
    };
    let rules = match load_rules(&args.rules, color) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let req = DraftRequest {
        reason: args.reason.and_then(ReasonArg::reason),
        omit_reason: args.reason == Some(ReasonArg::None),
        company: args.company,
        role: args.role,
        to: args.to,
        from: args.from,
        subject: args.subject,
        alternative: args.alternative,
    };
    let drafted = match draft::draft(&guide, &rules.moves, &req) {
        Ok(d) => d,
        Err(e) => {
            let _ = report::render_error(&mut io::stderr().lock(), color, "draft", &e.to_string());
            return Ok(TROUBLE);
        }
    };
    {
        let mut out = io::stdout().lock();
        out.write_all(drafted.text.as_bytes())?;
        out.flush()?;
    }
    let mut err = io::stderr().lock();
    if args.reason.is_none() {
        writeln!(
            err,
            "warning: no --reason given; choose one of {}, or none",
            Reason::ALL.map(|r| r.key()).join(", ")
        )?;
    }
    for m in drafted.missing.iter().filter(|m| m.slot != "[Reason]") {
        writeln!(err, "warning: {m}")?;
    }
    if !drafted.missing.is_empty() {
        return Ok(FINDINGS);
    }
    // Check the letter, as the guide promises.
    let linter = Linter::new(rules, Options::default());
    let letter = Letter::parse("draft", drafted.text.clone());
    let outcome = linter.lint(&letter, &Context::new());
    if !outcome
        .findings
        .iter()
        .any(|f| f.severity >= Severity::Warning)
    {
        return Ok(OK);
    }
    let result = FileResult {
        path: "draft",
        letter: &letter,
        outcome: &outcome,
        checklist: &[],
    };
    report::write_file(
        &mut err,
        Format::Human,
        Style { color, quiet: true },
        &linter.rules().moves,
        &result,
        &mut Vec::new(),
    )?;
    Ok(FINDINGS)
}
