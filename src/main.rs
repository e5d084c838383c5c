//! The `site` binary: parse the command line, run the command, map the outcome to an exit
//! code (0 ok, 1 content or template errors, 2 bad usage).

use clap::Parser;

/// mimalloc instead of the system allocator: a build makes millions of small template
/// values and strings on every thread, and glibc's malloc and free were an eighth of a large
/// build's time. Version 2 of mimalloc (the `v2` feature in Cargo.toml): it gives freed
/// memory back to the system within milliseconds, version 3 only after a second, so that a
/// build, which lets go of each stage's memory as the next stage starts (the policy graph,
/// the page bodies, the big pages' buffers), peaked some 40 MB higher with it (300-320 MB
/// instead of 270 MB on the 10,000-page benchmark) at the same speed.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = site::cmd::Cli::parse();
    std::process::ExitCode::from(site::cmd::run(cli).code())
}
