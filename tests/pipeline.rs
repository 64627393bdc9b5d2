//! Whole-pipeline properties: freshness of the committed crate, determinism,
//! the CLI's output folder and check mode.

use std::collections::BTreeMap;
use tests::{load, seeds_dir};

/// The committed `generated/` equals a fresh run (what CI's `--check` does).
#[test]
fn committed_generated_crate_is_fresh() {
    let args = xtask::CodegenArgs {
        check: true,
        ..xtask::CodegenArgs::default()
    };
    let report = xtask::codegen(&args).unwrap();
    assert!(
        report.changed.is_empty(),
        "generated/ is stale, run `cargo xtask codegen`:\n{}",
        report.changed.join("\n")
    );
}

fn files_for(pages: Vec<(String, Vec<u8>)>, threads: usize) -> BTreeMap<String, String> {
    let db = generator::source::SourceDb::from_pages(pages);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| generator::generate(&db, &generator::Options::default()).files)
}

/// Byte-identical output with 1 and 4 threads and with pages in reverse order.
#[test]
fn output_is_deterministic() {
    let db = load(&seeds_dir());
    let pages: Vec<(String, Vec<u8>)> = db
        .iter()
        .map(|(_, f)| (f.path.clone(), f.text.clone().into_bytes()))
        .collect();
    let a = files_for(pages.clone(), 1);
    let mut reversed = pages.clone();
    reversed.reverse();
    let b = files_for(reversed, 4);
    assert_eq!(a, b);
    assert!(a.values().all(|c| c.contains("@generated")));
}

/// The emit cache gives the same files: a run with the cache of an earlier
/// run (nothing emitted, the cache still exact), with a cache missing one
/// item (everything emitted, that item formatted), with an empty cache; and
/// the cache survives its bytes, through the CLI's path too.
#[test]
fn format_cache_gives_the_same_files() {
    let db = load(&seeds_dir());
    let options = generator::Options::default();
    let cold = generator::generate(&db, &options);
    let cold_cache = cold.format_cache.unwrap();
    assert!(!cold_cache.is_empty());
    let bytes = cold_cache.to_bytes();
    let cache = generator::emit::FormatCache::from_bytes(&bytes).unwrap();
    assert_eq!(cache, cold_cache);
    // Every item hit: the same files, and the cache is still exact.
    let warm = generator::generate_cached(&db, &options, Some(&cache));
    assert_eq!(warm.files, cold.files);
    assert_eq!(warm.format_cache, None);
    // A cache with one item missing: every file emitted again, that item
    // formatted, the rest taken.
    let mut partial = cache.clone();
    partial.remove_any();
    let rerun = generator::generate_cached(&db, &options, Some(&partial));
    assert_eq!(rerun.files, cold.files);
    assert_eq!(rerun.format_cache.as_ref(), Some(&cache));
    // An empty cache: everything formatted, the same files and cache.
    let empty = generator::generate_cached(&db, &options, Some(&Default::default()));
    assert_eq!(empty.files, cold.files);
    assert_eq!(empty.format_cache.as_ref(), Some(&cache));
    // Truncated or foreign bytes are no cache (the run starts empty).
    assert!(generator::emit::FormatCache::from_bytes(&bytes[..bytes.len() - 1]).is_none());
    assert!(generator::emit::FormatCache::from_bytes(b"not a cache").is_none());
    // Through the CLI's path: written on the first run, read on the second.
    let tmp = tempfile::tempdir().unwrap();
    let args = xtask::CodegenArgs {
        docs: seeds_dir(),
        out: tmp.path().join("crate"),
        format_cache: Some(tmp.path().join("cache/format.bin")),
        ..xtask::CodegenArgs::default()
    };
    xtask::codegen(&args).unwrap();
    let stored = std::fs::read(tmp.path().join("cache/format.bin")).unwrap();
    assert_eq!(stored, bytes);
    let check = xtask::CodegenArgs { check: true, ..args };
    assert!(xtask::codegen(&check).unwrap().changed.is_empty());
}

/// The seed pages with `from` replaced by `to` in every page.
fn seeds_replaced(from: &str, to: &str) -> generator::source::SourceDb {
    let pages: Vec<(String, Vec<u8>)> = load(&seeds_dir())
        .iter()
        .map(|(_, f)| (f.path.clone(), f.text.replace(from, to).into_bytes()))
        .collect();
    generator::source::SourceDb::from_pages(pages)
}

/// The cache of a run before a change never answers for the changed inputs:
/// a renamed property (its struct's field, the selectors, the examples that
/// spell it), a renamed type (every item that names it) or another crate
/// name (the manifest) is emitted again, and the files and the cache equal a
/// cold run of the changed docs.
#[test]
fn emit_cache_follows_changed_inputs() {
    let options = generator::Options::default();
    let before = generator::generate(&load(&seeds_dir()), &options);
    let cache = before.format_cache.clone().unwrap();
    let renamed = [
        ("userDisplayName", "userFullName"),
        ("complianceStatus", "complianceState"),
    ];
    for (from, to) in renamed {
        let db = seeds_replaced(from, to);
        let cold = generator::generate(&db, &options);
        assert_ne!(cold.files, before.files, "{from}: the change shows in the output");
        let warm = generator::generate_cached(&db, &options, Some(&cache));
        assert_eq!(warm.files, cold.files, "{from}");
        assert_eq!(warm.format_cache, cold.format_cache, "{from}");
    }
    let other = generator::Options {
        crate_name: "other".into(),
    };
    let db = load(&seeds_dir());
    let cold = generator::generate(&db, &other);
    assert_ne!(cold.files, before.files);
    let warm = generator::generate_cached(&db, &other, Some(&cache));
    assert_eq!(warm.files, cold.files);
    assert_eq!(warm.format_cache, cold.format_cache);
}

/// `--out DIR` writes a complete standalone crate; `--check` then passes, and
/// fails with a list after the folder is touched.
#[test]
fn out_dir_and_check() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("crate");
    let ir = tmp.path().join("ir.json");
    let args = xtask::CodegenArgs {
        docs: seeds_dir(),
        out: out.clone(),
        emit_ir: Some(ir.clone()),
        ..xtask::CodegenArgs::default()
    };
    let report = xtask::codegen(&args).unwrap();
    assert!(report.text.contains("codegen: 5 pages"), "{}", report.text);
    assert!(out.join("Cargo.toml").is_file() && out.join("src/lib.rs").is_file());
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&ir).unwrap()).unwrap();
    assert!(v["types"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["name"] == "complianceStatus" && t["kind"] == "enum"));
    assert!(v["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["method"].is_string() && e["path"].is_string()));

    let check = xtask::CodegenArgs {
        check: true,
        ..args.clone()
    };
    assert!(xtask::codegen(&check).unwrap().changed.is_empty());
    std::fs::write(out.join("src/graph.rs"), "// edited by hand\n").unwrap();
    std::fs::write(out.join("src/extra.rs"), "\n").unwrap();
    let stale = xtask::codegen(&check).unwrap();
    assert_eq!(
        stale.changed,
        vec![
            "src/graph.rs (differs)",
            "src/extra.rs (not generated; would be removed)"
        ]
    );
    assert!(stale.text.contains("is stale"));
}

/// Symlinks planted in the output folder are replaced, never written
/// through: files outside the folder stay as they were.
#[cfg(unix)]
#[test]
fn never_writes_through_symlinks_in_the_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("lib.rs"), "precious").unwrap();
    std::fs::write(outside.join("Cargo.toml"), "precious").unwrap();
    let out = tmp.path().join("crate");
    std::fs::create_dir_all(&out).unwrap();
    std::os::unix::fs::symlink(&outside, out.join("src")).unwrap();
    std::os::unix::fs::symlink(outside.join("Cargo.toml"), out.join("Cargo.toml")).unwrap();
    let args = xtask::CodegenArgs {
        docs: seeds_dir(),
        out: out.clone(),
        ..xtask::CodegenArgs::default()
    };
    xtask::codegen(&args).unwrap();
    assert_eq!(std::fs::read_to_string(outside.join("lib.rs")).unwrap(), "precious");
    assert_eq!(std::fs::read_to_string(outside.join("Cargo.toml")).unwrap(), "precious");
    assert!(!std::fs::symlink_metadata(out.join("src"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(out.join("src/lib.rs"))
        .unwrap()
        .contains("@generated"));
    let check = xtask::CodegenArgs { check: true, ..args };
    assert!(xtask::codegen(&check).unwrap().changed.is_empty());
}
