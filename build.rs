//! Bundled packs are embedded with `include_dir!`, which cargo cannot see:
//! rebuild whenever anything under `skillchains/` changes, so an edited or
//! added pack is never silently left out of the binary.
//!
//! It also hashes `skillchains/` into `SKILLCHAIN_PACKS_HASH`: the
//! precompiled pack blob (`src/pack/bundled.msgpack`) records the hash it
//! was built from, and the binary ignores a blob whose hash differs. The
//! files that turn YAML into the pack model are hashed too, so a change in
//! how packs are read also retires the blob.

use std::path::Path;

/// The sources that define how pack YAML becomes the model.
const MODEL_SOURCES: [&str; 4] = [
    "src/pack/model.rs",
    "src/pack/words.rs",
    "src/pack/load.rs",
    "src/value.rs",
];

fn main() {
    println!("cargo:rerun-if-changed=skillchains");
    let mut files = Vec::new();
    collect(Path::new("skillchains"), &mut files);
    for reader in MODEL_SOURCES {
        println!("cargo:rerun-if-changed={reader}");
        if let Ok(bytes) = std::fs::read(reader) {
            files.push((reader.to_string(), bytes));
        }
    }
    files.sort();
    // FNV-1a 64: stable across Rust versions, unlike std's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (rel, bytes) in &files {
        for b in rel
            .bytes()
            .chain([0])
            .chain(bytes.iter().copied())
            .chain([0])
        {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!(
        "cargo:rustc-env=SKILLCHAIN_PACKS_HASH={hash:016x}-{}",
        files.len()
    );
}

fn collect(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path.to_string_lossy().replace('\\', "/"), bytes));
        }
    }
}
