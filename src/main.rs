//! The `site` binary: parse the command line, run the command, map the outcome to an exit
//! code (0 ok, 1 content or template errors, 2 bad usage).

use clap::Parser;

/// mimalloc instead of the system allocator: a build makes millions of small template
/// values and strings on every thread, and glibc's malloc and free were an eighth of a large
/// build's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = site::cmd::Cli::parse();
    std::process::ExitCode::from(site::cmd::run(cli).code())
}
