//! Fuzz target `front_matter`: see `checks.rs` for what it checks and docs/fuzzing.md to run it.
#![no_main]

#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::front_matter(data));
