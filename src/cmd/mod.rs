//! The command line (clap): global options, one subcommand per file, and how results map to
//! exit codes (0 ok, 1 content or template errors, 2 bad usage — clap's own code).

pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod new;
pub mod serve;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::diagnostic::Diagnostic;

/// site: publishes a science-literacy plan as a fast, searchable, accessible website.
#[derive(Debug, Parser)]
#[command(name = "site", version, about, long_about = None)]
pub struct Cli {
    /// The site's folder (holds site.yaml and content/)
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Print errors only
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print the time each stage took
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --out); --watch rebuilds on every change
    Build(build::Args),
    /// Validate everything build does; write nothing
    Check(check::Args),
    /// Create a new, buildable site skeleton in DIR
    Init(init::Args),
    /// Turn a policy text into content pages
    Import(import::Args),
    /// Create a new page with its front matter filled in
    New(new::Args),
    /// Build, watch and serve the site with live reload
    Serve(serve::Args),
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// Content, template or file-system errors (exit code 1).
    Failed,
    /// Bad usage of the command line that clap cannot see, e.g. an empty title (exit code 2).
    Usage,
}

impl Outcome {
    /// The process exit code.
    pub fn code(&self) -> u8 {
        match self {
            Outcome::Ok => 0,
            Outcome::Failed => 1,
            Outcome::Usage => 2,
        }
    }
}

/// Prints diagnostics to stderr, errors always, warnings unless quiet.
pub fn print_diagnostics(diagnostics: &[Diagnostic], quiet: bool) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        if d.is_error() || !quiet {
            let _ = writeln!(err, "{d}");
        }
    }
}

/// Prints the number of errors after a failed command.
pub fn print_failure(errors: &[Diagnostic], quiet: bool) {
    print_diagnostics(errors, quiet);
    let n = errors.iter().filter(|d| d.is_error()).count();
    eprintln!(
        "{n} error{} found; nothing was written",
        if n == 1 { "" } else { "s" }
    );
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Outcome {
    match &cli.command {
        Command::Build(args) => build::run(&cli, args),
        Command::Check(args) => check::run(&cli, args),
        Command::Init(args) => init::run(&cli, args),
        Command::Import(args) => import::run(&cli, args),
        Command::New(args) => new::run(&cli, args),
        Command::Serve(args) => serve::run(&cli, args),
    }
}
