//! The I/O edge of the generator: reading a docs tree (and a CSDL file),
//! writing the generated crate atomically, checking it is fresh. Everything
//! else (the model, the comparisons, every rendering of diagnostics) is the
//! `generator` library's; the `xtask` binary is a thin CLI over this, and
//! tests call it directly.

pub mod diff;
pub mod fsio;

use generator::diagnostics::{self, summary, Code, Diagnostic, Format};
use generator::load::DocsModel;
use generator::metadata::{self, Csdl};
use generator::source::SourceDb;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The workspace root (parent of this crate).
pub fn project_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

#[derive(Clone, Debug)]
pub struct CodegenArgs {
    pub docs: PathBuf,
    pub out: PathBuf,
    pub emit_ir: Option<PathBuf>,
    pub check: bool,
    pub color: bool,
    /// How diagnostics are printed: rustc-style text, JSON lines or SARIF.
    pub diagnostics: Format,
    /// Warnings fail the run (exit 1) like errors.
    pub deny_warnings: bool,
    /// A CSDL file: report where the docs and the metadata disagree.
    pub metadata: Option<PathBuf>,
    /// Where the formatted items of the last run are kept ([`format_cache_file`]),
    /// so a run formats only what changed; `None` formats everything.
    pub format_cache: Option<PathBuf>,
}

/// The committed docs input, relative to the project root.
pub const DEFAULT_DOCS: &str = "docs-input/graph-v1.0";

impl Default for CodegenArgs {
    fn default() -> Self {
        let root = project_root();
        CodegenArgs {
            docs: root.join(DEFAULT_DOCS),
            out: root.join("generated"),
            emit_ir: None,
            check: false,
            color: false,
            diagnostics: Format::Human,
            deny_warnings: false,
            metadata: None,
            format_cache: None,
        }
    }
}

/// What a codegen run did, for the exit code and tests.
#[derive(Debug)]
pub struct CodegenReport {
    pub stats: generator::Stats,
    pub counts: diagnostics::Counts,
    /// Files that differ from disk (`--check`), or were written.
    pub changed: Vec<String>,
    /// Rendered diagnostics (human format), then the table and summary line.
    pub text: String,
    /// JSON lines or SARIF, for stdout, when asked for.
    pub machine: Option<String>,
}

impl CodegenReport {
    /// Whether the run fails: errors, or warnings under `--deny warnings`, or
    /// stale output under `--check`.
    pub fn failed(&self, args: &CodegenArgs) -> bool {
        self.counts.errors > 0
            || (args.deny_warnings && self.counts.warnings > 0)
            || (args.check && !self.changed.is_empty())
    }
}

/// Exit codes, documented in the README.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

pub fn load_docs(dir: &Path) -> Result<SourceDb, String> {
    let pages = fsio::read_pages(dir).map_err(|e| format!("cannot read docs in {}: {e}", dir.display()))?;
    if pages.is_empty() {
        return Err(format!("no .md or .txt pages under {}", dir.display()));
    }
    Ok(SourceDb::from_pages(pages))
}

/// A docs folder read from disk and through the library's one "docs →
/// model" entry ([`generator::load::docs_model`]): what `diff`,
/// `check-payload` and `metadata-diff` compare (codegen gets there through
/// `generator::generate`).
pub fn docs_model(dir: &Path) -> Result<(SourceDb, DocsModel), String> {
    let db = load_docs(dir)?;
    let docs = generator::load::docs_model(&db);
    Ok((db, docs))
}

/// A CSDL metadata file, read and parsed.
pub fn read_metadata(path: &Path) -> Result<Csdl, String> {
    let xml = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Csdl::parse(&xml).map_err(|e| format!("{}: {e}", path.display()))
}

/// The CLI's emit cache (`generator::emit::FormatCache`): `format-<lock>.bin`
/// under the cargo target folder (`CARGO_TARGET_DIR`, else `target/`),
/// `<lock>` a hash of `Cargo.lock` as this binary was built with it, so a
/// new `syn` or `prettyplease` (which decide the formatted text) starts a
/// fresh cache; the cached run is also keyed by the generator's code hash.
pub fn format_cache_file() -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    include_str!("../../Cargo.lock").hash(&mut h);
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("target"));
    target.join("codegen").join(format!("format-{:016x}.bin", h.finish()))
}

pub fn codegen(args: &CodegenArgs) -> Result<CodegenReport, String> {
    // The cache is read while the pages are; a missing or unreadable cache
    // only means formatting everything.
    let (db, cache) = std::thread::scope(|s| {
        let cache = s.spawn(|| {
            let bytes = std::fs::read(args.format_cache.as_deref()?).ok()?;
            generator::emit::FormatCache::from_vec(bytes)
        });
        (load_docs(&args.docs), cache.join().ok().flatten())
    });
    let db = db?;
    let mut out = generator::generate_cached(&db, &generator::Options::default(), cache.as_ref());
    if let Some(m) = &args.metadata {
        let fidelity = metadata::compare(&out.model, &read_metadata(m)?);
        out.diagnostics.extend(fidelity.diagnostics(&db));
        out.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    // The IR (a few hundred thousand allocations) is freed while the files
    // are compared and written, unless it is written too.
    let model = args.emit_ir.is_none().then(|| std::mem::take(&mut out.model));
    // Diagnostics are rendered while the files are compared and written.
    let ((mut text, machine), written) = std::thread::scope(|s| {
        if let Some(model) = model {
            s.spawn(move || drop(model));
        }
        let written = s.spawn(|| -> Result<(Vec<String>, String), String> {
            if let (Some(p), Some(next)) = (&args.format_cache, &out.format_cache) {
                save_format_cache(p, next);
            }
            drop(cache);
            if let Some(ir) = &args.emit_ir {
                fsio::write_file_atomic(ir, out.model.to_json().as_bytes())
                    .map_err(|e| format!("cannot write {}: {e}", ir.display()))?;
            }
            let mut text = String::new();
            let changed = if out.files.is_empty() {
                // Emission failed: the diagnostics say why; never touch the output.
                Vec::new()
            } else {
                write_or_check(args, &out.files, &mut text)?
            };
            Ok((changed, text))
        });
        let rendered = render_diagnostics(&db, args, &out.diagnostics);
        let written = written
            .join()
            .unwrap_or_else(|_| Err("writing the output panicked".into()));
        (rendered, written)
    });
    let (changed, stale_list) = written?;
    text.push_str(&stale_list);
    text.push_str(&summary::table(&out.diagnostics));
    text.push_str(&summary::line(&out.stats, &out.diagnostics));
    Ok(CodegenReport {
        stats: out.stats,
        counts: diagnostics::count(&out.diagnostics),
        changed,
        text,
        machine,
    })
}

/// Stores the format cache. Best effort, like any build cache: a failure
/// costs time, not output. Written under a temporary name of this process
/// and renamed, so concurrent runs do not clash.
fn save_format_cache(path: &Path, cache: &generator::emit::FormatCache) {
    let _ = path.parent().map(std::fs::create_dir_all);
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, cache.to_bytes()).is_ok() {
        let _ = std::fs::rename(&tmp, path);
    }
}

/// Human diagnostics into the run's text; JSON lines or SARIF apart, for stdout.
fn render_diagnostics(db: &SourceDb, args: &CodegenArgs, diags: &[Diagnostic]) -> (String, Option<String>) {
    match args.diagnostics {
        Format::Human => (diagnostics::render_all(db, diags, args.color), None),
        Format::Json => (
            String::new(),
            Some(diagnostics::json::lines(db, &display_base(&args.docs), diags)),
        ),
        Format::Sarif => (
            String::new(),
            Some(diagnostics::sarif::log(db, &display_base(&args.docs), diags)),
        ),
    }
}

/// The docs folder as CI sees it: relative to the working directory (the
/// repository root in CI) when inside it, `/`-separated.
fn display_base(docs: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let docs = cwd.as_deref().and_then(|c| docs.strip_prefix(c).ok()).unwrap_or(docs);
    docs.to_string_lossy().replace('\\', "/")
}

/// `--check`: lists stale files in `text`; otherwise replaces the output
/// folder when anything changed. Returns the stale (or written) files.
fn write_or_check(
    args: &CodegenArgs,
    files: &generator::emit::Files,
    text: &mut String,
) -> Result<Vec<String>, String> {
    if !args.check {
        let changed = fsio::stale_files(&args.out, files).unwrap_or_default();
        if !changed.is_empty() {
            fsio::replace_dir_atomic(&args.out, files)
                .map_err(|e| format!("cannot write {}: {e}", args.out.display()))?;
        }
        return Ok(changed);
    }
    let changed =
        fsio::stale_files(&args.out, files).map_err(|e| format!("cannot read {}: {e}", args.out.display()))?;
    if !changed.is_empty() {
        let _ = writeln!(
            text,
            "{} is stale; run `cargo xtask codegen` and commit the result:",
            args.out.display()
        );
        for f in &changed {
            let _ = writeln!(text, "  {f}");
        }
    }
    Ok(changed)
}

/// `cargo xtask metadata-diff`: compares the IR of `docs` with a CSDL file.
pub fn metadata_diff(docs: &Path, metadata: &Path) -> Result<metadata::Fidelity, String> {
    let (_, docs) = docs_model(docs)?;
    Ok(metadata::compare(&docs.model, &read_metadata(metadata)?))
}

/// `cargo xtask sample-diagnostics`: `n` diagnostics drawn at random across
/// codes (round-robin over codes, a seeded pick within each), rendered, for a
/// person to verify against the pages.
pub fn sample_diagnostics(docs: &Path, n: usize, seed: u64) -> Result<String, String> {
    let db = load_docs(docs)?;
    let out = generator::generate(&db, &generator::Options::default());
    let mut by: BTreeMap<Code, Vec<&diagnostics::Diagnostic>> = BTreeMap::new();
    // Notes are information (a name collision, a page without facts), not
    // defects of a page: only warnings and errors are sampled.
    for d in out
        .diagnostics
        .iter()
        .filter(|d| d.severity > diagnostics::Severity::Note)
    {
        by.entry(d.code).or_default().push(d);
    }
    // A small LCG: reproducible without a dependency.
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = move |bound: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % bound.max(1)
    };
    let mut picked = Vec::new();
    while picked.len() < n && by.values().any(|v| !v.is_empty()) {
        for list in by.values_mut() {
            if picked.len() == n {
                break;
            }
            if !list.is_empty() {
                let i = next(list.len());
                picked.push(list.swap_remove(i));
            }
        }
    }
    let mut text = String::new();
    for (i, d) in picked.iter().enumerate() {
        let _ = writeln!(text, "--- sample {} of {} ---", i + 1, picked.len());
        text.push_str(&diagnostics::render(&db, d, false));
        text.push('\n');
    }
    Ok(text)
}
