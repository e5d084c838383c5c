//! The `site` binary: parse the command line, run the command, map the outcome to an exit
//! code (0 ok, 1 content or template errors, 2 bad usage).

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = site::cmd::Cli::parse();
    std::process::ExitCode::from(site::cmd::run(cli).code())
}
