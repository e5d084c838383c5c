//! The `site` binary: parse the command line, run, exit with the command's code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match site::cmd::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                site::cmd::EXIT_USAGE
            } else {
                0
            });
        }
    };
    ExitCode::from(site::cmd::run(&cli))
}
