//! `site build`: build the site, print one summary line.

use std::path::PathBuf;

use super::{Cli, Outcome, print_diagnostics, print_failure};
use crate::build::{self, BuildOptions, BuildReport};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output folder [default: ROOT/public]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Publish under this address instead of site.yaml's base_url
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Also publish pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
}

/// Prints per-stage timings.
pub fn print_timings(report: &BuildReport) {
    for (stage, t) in &report.timings {
        eprintln!("  {stage:<10} {:>7.1} ms", t.as_secs_f64() * 1000.0);
    }
}

pub fn run(cli: &Cli, args: &Args) -> Outcome {
    let opts = BuildOptions {
        root: cli.root.clone(),
        out: args.out.clone(),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
    };
    match build::build(&opts) {
        Ok(report) => {
            print_diagnostics(&report.warnings, cli.quiet);
            if cli.verbose {
                print_timings(&report);
            }
            if !cli.quiet {
                println!(
                    "built {} pages in {} ms",
                    report.pages,
                    report.elapsed.as_millis()
                );
            }
            Outcome::Ok
        }
        Err(errors) => {
            print_failure(&errors, cli.quiet);
            Outcome::Failed
        }
    }
}
