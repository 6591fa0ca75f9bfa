//! Builds the program at a fixed address when asked to.
//!
//! Linked to load anywhere (the default), the program has the loader patch
//! some twenty thousand addresses in its tables at every start, and each of
//! the hundred pages they sit on faults in as a private copy: about a
//! millisecond of a run that checks one letter. Built with
//! `DECLINE_LINT_NO_PIE=1` (Linux, GNU toolchain), it is linked at a fixed
//! address: nothing is patched and those pages are read only where used. The
//! price is that its own code is then always at the same address, which
//! makes some attacks on a memory bug easier, so it is not the default.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=DECLINE_LINT_NO_PIE");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let asked = !matches!(var("DECLINE_LINT_NO_PIE").as_str(), "" | "0");
    if asked && var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
