//! `GENERATOR_CODE_HASH`: a hash of everything that decides the generator's
//! output besides its input — its own source, the runtime it carries, its
//! manifest and the workspace's `Cargo.lock` (the versions of quote,
//! proc-macro2, syn and prettyplease). The emit cache (`emit::cache`) salts
//! its keys with it, so a cache written by another build of the generator
//! never answers for this one: an edit of the emit code cannot go stale
//! silently.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

fn main() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let inputs = [
        dir.join("src"),
        dir.join("runtime"),
        dir.join("Cargo.toml"),
        dir.join("../Cargo.lock"),
    ];
    let mut files = Vec::new();
    for input in &inputs {
        // A folder: cargo reruns this script when any file under it changes.
        println!("cargo:rerun-if-changed={}", input.display());
        collect(input, &mut files);
    }
    files.sort();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for f in &files {
        f.strip_prefix(&dir).unwrap_or(f).hash(&mut h);
        std::fs::read(f).unwrap_or_default().hash(&mut h);
    }
    println!("cargo:rustc-env=GENERATOR_CODE_HASH={:016x}", h.finish());
}

/// Every file under `path` (or `path` itself), recursively.
fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    match std::fs::read_dir(path) {
        Ok(entries) => {
            for e in entries.flatten() {
                collect(&e.path(), out);
            }
        }
        Err(_) if path.is_file() => out.push(path.to_path_buf()),
        Err(_) => {}
    }
}
