//! `site import FILE [--out DIR] [--force]`: turn a policy text into content pages
//! (see [`crate::import`]). Prints the import report; errors go to the caller, which exits 1.

use std::path::PathBuf;

use super::{Cli, Outcome};
use crate::import;

/// Arguments of `site import`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The plan as a plain-text file (UTF-8 or GBK), e.g. seeds/plan.txt.
    pub file: PathBuf,
    /// Folder to write the content pages into [default: content/ under --root].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write into a non-empty folder. Files changed since the last import are kept.
    #[arg(long)]
    pub force: bool,
}

/// Runs the import; prints the report (pages, units, targets, doubtful spots) unless
/// quiet. Any error exits 1.
pub fn run(cli: &Cli, args: &Args) -> Outcome {
    let out = args.out.clone().unwrap_or_else(|| cli.root.join("content"));
    match import::run(&args.file, &out, args.force) {
        Ok(report) => {
            if !cli.quiet {
                print!("{report}");
            }
            Outcome::Ok
        }
        Err(e) => {
            eprintln!("error: {e}");
            Outcome::Failed
        }
    }
}
