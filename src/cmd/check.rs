//! `site check`: everything `build` validates, nothing written.

use super::{Cli, Outcome, print_diagnostics};
use crate::build::{self, BuildOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Also check pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
}

pub fn run(cli: &Cli, args: &Args) -> Outcome {
    let opts = BuildOptions {
        drafts: args.drafts,
        ..BuildOptions::new(cli.root.clone())
    };
    match build::check(&opts) {
        Ok(report) => {
            print_diagnostics(&report.warnings, cli.quiet);
            if cli.verbose {
                super::build::print_timings(&report);
            }
            if !cli.quiet {
                println!(
                    "checked {} pages in {} ms: no errors",
                    report.pages,
                    report.elapsed.as_millis()
                );
            }
            Outcome::Ok
        }
        Err(errors) => {
            print_diagnostics(&errors, cli.quiet);
            let n = errors.iter().filter(|d| d.is_error()).count();
            eprintln!("{n} error{} found", if n == 1 { "" } else { "s" });
            Outcome::Failed
        }
    }
}
