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

/// Transparent huge pages off for this process. mimalloc asks the kernel for huge pages on
/// its arenas, and each first touch of one zeroes 2 MB; as a build lets one stage's memory
/// go and the next stage takes it again, that zeroing was half of a 10,000-page check's
/// system time (0.6 s of 2.5 s wall), and the huge pages cost 5 to 15 MB of peak memory.
/// What `MIMALLOC_ALLOW_THP=0` does, which mimalloc reads before `main`.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours; on
    // failure (an old kernel) the process just keeps the default.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> std::process::ExitCode {
    no_huge_pages();
    let cli = site::cmd::Cli::parse();
    std::process::ExitCode::from(site::cmd::run(cli).code())
}
