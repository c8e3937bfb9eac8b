//! Bundled packs are embedded with `include_dir!`, which cargo cannot see:
//! rebuild whenever anything under `skillchains/` changes, so an edited or
//! added pack is never silently left out of the binary.

fn main() {
    println!("cargo:rerun-if-changed=skillchains");
}
