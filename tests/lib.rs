//! Helpers shared by the end-to-end tests.

use generator::diagnostics::Diagnostic;
use generator::emit::FormatCache;
use generator::ir::Model;
use generator::source::SourceDb;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

pub fn root() -> PathBuf {
    xtask::project_root()
}

pub fn seeds_dir() -> PathBuf {
    root().join("tests/fixtures/seeds")
}

/// Loads every page under `dir`.
pub fn load(dir: &Path) -> SourceDb {
    xtask::load_docs(dir).unwrap_or_else(|e| panic!("{e}"))
}

/// A database holding one page under its own file name.
pub fn single(path: &Path) -> SourceDb {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    SourceDb::from_pages([(name, std::fs::read(path).unwrap())])
}

/// The seed pages, sorted.
pub fn seed_paths() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(seeds_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

/// The model of the vendored v1.0 docs (`xtask::DEFAULT_DOCS`), parsed and
/// lowered once for every test of the binary that reads it.
pub fn v1_model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| generator::load::docs_model(&load(&root().join(xtask::DEFAULT_DOCS))).model)
}

/// `generator::generate` with default options, through one format cache
/// shared by every call in the test binary: the many small crates of the
/// tests repeat the same support code, which a debug build would otherwise
/// format again each time. The files are the same either way
/// (`pipeline::format_cache_gives_the_same_files`).
pub fn generate(db: &SourceDb) -> generator::Output {
    static CACHE: Mutex<Option<Arc<FormatCache>>> = Mutex::new(None);
    let shared = CACHE.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let out = generator::generate_cached(db, &generator::Options::default(), shared.as_deref());
    if let Some(new) = &out.format_cache {
        let mut slot = CACHE.lock().unwrap_or_else(|e| e.into_inner());
        let mut merged = slot.as_deref().cloned().unwrap_or_default();
        merged.absorb(new);
        *slot = Some(Arc::new(merged));
    }
    out
}

/// Diagnostics rendered without color, for snapshots.
pub fn rendered_diagnostics(db: &SourceDb, out: &generator::Output) -> String {
    render_diagnostics(db, &out.diagnostics)
}

/// `diags` rendered without color, for snapshots.
pub fn render_diagnostics(db: &SourceDb, diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| generator::diagnostics::render(db, d, false))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The model of every page of `db` and the diagnostics of parse and lower,
/// sorted as the generator reports them (no Rust names, no emission).
pub fn parse_and_lower(db: &SourceDb) -> (Model, Vec<Diagnostic>) {
    let (facts, mut diags) = generator::parse_all(db);
    let (model, lower_diags) = generator::lower::lower(db, &facts);
    diags.extend(lower_diags);
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
    (model, diags)
}

/// `cargo check --tests` of a generated crate with warnings denied, sharing one
/// target folder so dependencies build once.
///
/// Every feature but the HTTP client's and the mock server's (`reqwest`,
/// `mock`): those gate only the runtime, which every generated crate copies
/// verbatim and which the workspace's own `generated` crate is checked and
/// tested with; here they would compile reqwest, tokio, axum and rustls once
/// more.
pub fn cargo_check(dir: &Path) {
    let target = root().join("target/fixture-crates");
    let manifest = dir.join("Cargo.toml");
    let features = crate_features(&manifest);
    assert!(
        features.iter().any(|f| f == "full"),
        "no `full` feature in {}",
        manifest.display()
    );
    let features = features
        .into_iter()
        .filter(|f| !HTTP_FEATURES.contains(&f.as_str()))
        .collect::<Vec<_>>()
        .join(",");
    let status = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "check",
            "--tests",
            "--features",
            &features,
            "--quiet",
            "--offline",
            "--manifest-path",
        ])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        // Nothing here is run or rebuilt by hand: no debug info for the
        // proc macros and build scripts (the only code a check compiles to
        // machine code), no incremental state for the checked crate.
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env("CARGO_INCREMENTAL", "0")
        .status()
        .unwrap();
    assert!(
        status.success(),
        "generated crate in {} does not compile cleanly",
        dir.display()
    );
}

/// The features of a generated crate that pull in an HTTP stack.
const HTTP_FEATURES: &[&str] = &["reqwest", "mock"];

/// The features of the crate at `manifest`, as cargo reads them (`cargo
/// metadata`, without resolving dependencies).
fn crate_features(manifest: &Path) -> Vec<String> {
    let out = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
            "--manifest-path",
        ])
        .arg(manifest)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    meta["packages"][0]["features"]
        .as_object()
        .map(|f| f.keys().cloned().collect())
        .unwrap_or_default()
}
