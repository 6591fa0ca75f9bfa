//! The `guide` and `draft` subcommands.

use std::io;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::TROUBLE;

#[derive(Debug, Subcommand)]
pub enum GuideCommand {
    /// Render the guide to a static HTML site.
    Build {
        /// Where to write the site.
        #[arg(long, default_value = "site")]
        out: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct DraftArgs {
    /// The reason for declining.
    #[arg(long)]
    reason: Option<String>,
}

pub fn run_guide(_cmd: GuideCommand) -> io::Result<u8> {
    eprintln!("error: the guide commands are not available yet");
    Ok(TROUBLE)
}

pub fn run_draft(_args: DraftArgs) -> io::Result<u8> {
    eprintln!("error: drafting is not available yet");
    Ok(TROUBLE)
}
