//! Fuzz target `search_tokenize`: see `checks.rs` for what it checks and docs/fuzzing.md to
//! run it.
#![no_main]

#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::search_tokenize(data));
