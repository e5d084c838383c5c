//! Rebuilds the binary when the default theme changes: the theme is embedded (see
//! `src/theme.rs`) and `include_dir!` alone does not tell cargo to watch it.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
