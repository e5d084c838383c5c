//! `site build`: build the site, print one summary line; with `--watch`, keep rebuilding on
//! every change until Ctrl-C. [`SiteBuilder`] is the seam between the build pipeline and
//! the authoring room (`--watch` and `site serve`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{Cli, Outcome, print_diagnostics, print_failure};
use crate::build::{self, BuildOptions, BuildReport};
use crate::diagnostic::Diagnostic;
use crate::watch::ChangeSet;
use crate::watch::session::{self, BuildFailed, Built, Rebuild};

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
    /// Keep watching content/, themes/, templates/ and site.yaml; rebuild on every change
    /// until Ctrl-C
    #[arg(long)]
    pub watch: bool,
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
    if args.watch {
        let out = opts.out_dir();
        let mut builder = SiteBuilder::new(opts);
        builder.verbose = cli.verbose;
        return match session::watch_in_terminal(&cli.root, &out, &mut builder, cli.quiet) {
            Ok(()) => Outcome::Ok,
            Err(e) => {
                eprintln!("error: {e}");
                Outcome::Failed
            }
        };
    }
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

/// The build pipeline as the authoring room sees it: a full build first, then incremental
/// rebuilds through [`build::Incremental`], which keeps the parsed site in memory. A
/// change to the config, a theme, templates, `units.yaml` or a folder is a full build.
pub struct SiteBuilder {
    site: build::Incremental,
    /// Print per-stage timings after each build.
    pub verbose: bool,
}

impl SiteBuilder {
    pub fn new(opts: BuildOptions) -> Self {
        SiteBuilder {
            site: build::Incremental::new(opts),
            verbose: false,
        }
    }

    fn finish(&self, result: Result<build::Step, Vec<Diagnostic>>) -> Result<Built, BuildFailed> {
        match result {
            Ok(step) => {
                if self.verbose {
                    print_timings(&step.report);
                }
                let summary = if step.full {
                    format!("{} pages", step.report.pages)
                } else {
                    format!(
                        "{} pages ({} rendered, {} file{} changed)",
                        step.report.pages,
                        step.rendered,
                        step.changed_files,
                        if step.changed_files == 1 { "" } else { "s" }
                    )
                };
                Ok(Built {
                    summary,
                    warnings: step.report.warnings.iter().map(|w| w.to_string()).collect(),
                })
            }
            Err(errors) => Err(failure(&errors)),
        }
    }
}

/// The terminal's text of a failed build: every diagnostic, then the count.
fn failure(errors: &[Diagnostic]) -> BuildFailed {
    let mut message: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
    let n = errors.iter().filter(|d| d.is_error()).count();
    message.push(format!("{n} error{} found", if n == 1 { "" } else { "s" }));
    BuildFailed {
        message: message.join("\n"),
    }
}

impl Rebuild for SiteBuilder {
    fn build_all(&mut self) -> Result<Built, BuildFailed> {
        let result = self.site.build_all();
        self.finish(result)
    }

    fn rebuild(&mut self, changes: &ChangeSet) -> Result<Built, BuildFailed> {
        if changes.needs_full_build() {
            return self.build_all();
        }
        // Files the watcher saw change, relative to content/: read again whatever their
        // time stamps say.
        let changed: HashSet<String> = changes
            .changes
            .keys()
            .filter_map(|p| p.strip_prefix("content").ok())
            .map(|p| crate::load::walk::rel_slash(p, Path::new("")))
            .collect();
        let result = self.site.rebuild_exact(&changed);
        self.finish(result)
    }
}
