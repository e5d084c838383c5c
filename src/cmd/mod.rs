//! The command line: one file per subcommand.
//!
//! TEMPORARY (branch `serve`): the core pipeline's `cmd/mod.rs` replaces this file at merge;
//! it then adds `New(new::NewArgs)` and `Serve(serve::ServeArgs)` to its subcommands and
//! calls `session::watch_in_terminal` for `build --watch` (see the branch report).

pub mod new;
pub mod serve;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Success.
pub const EXIT_OK: u8 = 0;
/// A content or template error (or the tool could not do its job).
pub const EXIT_CONTENT: u8 = 1;
/// Bad usage of the command line.
pub const EXIT_USAGE: u8 = 2;

/// `site`: publish a science-literacy plan as a website.
#[derive(Debug, Parser)]
#[command(name = "site", version)]
pub struct Cli {
    /// The site's folder
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// Print errors only
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// A new page with its front matter filled in
    New(new::NewArgs),
}

/// Runs a parsed command line. Returns the exit code.
pub fn run(cli: &Cli) -> u8 {
    match &cli.command {
        Command::New(args) => new::run(&cli.root, cli.quiet, args),
    }
}
