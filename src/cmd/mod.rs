//! The command line (clap): one file per subcommand.
//!
//! NOTE (import branch): a minimal root holding only `import`, so that the importer can be
//! run and tested on this branch; the lead merges `import` into the real command layer.

pub mod import;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// A static site generator for public science-literacy policy plans.
#[derive(Debug, Parser)]
#[command(name = "site", version)]
pub struct Cli {
    /// The site's root folder.
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// Quiet: errors only.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Turn a policy text into content pages.
    Import(import::ImportArgs),
}
