//! Microsoft Graph reference docs → intermediate schema → Rust.
//!
//! Layers, one way only: [`parse`] (page shape with spans, then page facts)
//! → [`lower`] (merge, resolve) into the language-neutral [`ir`] → [`rust`]
//! (the plan: names, features, files of the generated crate) → [`emit`]
//! (tokens → prettyplease). [`source`] owns all text; [`diagnostics`] are rendered
//! only at the edge. No I/O: callers hand in page bytes and get files back.
//! [`load::docs_model`] is the one docs → model entry; [`diff`] and
//! [`metadata`] compare models (with each other, with CSDL metadata).

/// `regex!(name, r"…")` defines `fn name() -> &'static Regex`, compiled once.
/// Only for literal patterns: no page reaches the `expect`, and each use
/// also defines a unit test (`name::compiles`, in a module of the same name)
/// that compiles its pattern, so a bad literal fails `cargo test`.
macro_rules! regex {
    ($name:ident, $re:expr) => {
        fn $name() -> &'static ::regex::Regex {
            static RE: ::std::sync::OnceLock<::regex::Regex> = ::std::sync::OnceLock::new();
            RE.get_or_init(|| ::regex::Regex::new($re).expect("literal regex"))
        }

        #[cfg(test)]
        mod $name {
            #[test]
            fn compiles() {
                assert!(::regex::Regex::new($re).is_ok());
            }
        }
    };
}

pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod metadata;
pub mod parse;
mod plural;
pub mod requests;
pub mod rust;
pub mod source;

use diagnostics::{Code, Diagnostic};
use rayon::prelude::*;
use source::{SourceDb, Span};

pub struct Options {
    /// Package name written into the generated `Cargo.toml`.
    pub crate_name: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            crate_name: "generated".into(),
        }
    }
}

/// Counts for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub pages: usize,
    pub types: usize,
    pub enums: usize,
    pub endpoints: usize,
    pub examples: usize,
}

pub struct Output {
    pub model: ir::Model,
    pub names: rust::naming::Names,
    /// Files of the generated crate by relative path; empty if emission failed.
    pub files: emit::Files,
    /// Sorted by file, position, code.
    pub diagnostics: Vec<Diagnostic>,
    pub stats: Stats,
    /// Every formatted item of this run, for the next one (see
    /// [`generate_cached`]), when it differs from the cache given (`None`:
    /// that cache is still exact, or emission failed).
    pub format_cache: Option<emit::FormatCache>,
}

/// Both parse passes over every page (not include files), in parallel; the
/// facts come back in page order.
pub fn parse_all(db: &SourceDb) -> (Vec<parse::PageFacts>, Vec<Diagnostic>) {
    let pages: Vec<_> = db.iter().map(|(id, _)| id).filter(|id| !db.is_include(*id)).collect();
    let parsed: Vec<_> = pages
        .par_iter()
        .map(|id| {
            let (_, facts, diags) = parse::page_facts(db, *id);
            (facts, diags)
        })
        .collect();
    let mut diagnostics = Vec::new();
    let mut facts = Vec::with_capacity(parsed.len());
    for (f, d) in parsed {
        facts.push(f);
        diagnostics.extend(d);
    }
    (facts, diagnostics)
}

/// Parses every page, then lowers and emits. Parsing runs in parallel; the
/// result does not depend on thread count or input order.
pub fn generate(db: &SourceDb, options: &Options) -> Output {
    generate_cached(db, options, None)
}

/// As [`generate`], with the [`Output::format_cache`] of an earlier run: the
/// same files, taken from `cache` whole when the emitter's inputs are
/// unchanged (no tokens built), else formatting only the items whose tokens
/// are not in it.
pub fn generate_cached(db: &SourceDb, options: &Options, cache: Option<&emit::FormatCache>) -> Output {
    let load::DocsModel {
        model,
        mut diagnostics,
        pages,
    } = load::docs_model(db);
    let span_of = |loc: &source::Location| db.span_at(loc);
    // The plan is made on one thread: the IR's cache key is hashed meanwhile.
    let (plan, hashed) = rayon::join(
        || rust::plan(&model, &mut diagnostics, &span_of),
        || emit::HashedModel::new(&model),
    );
    let settings = emit::CrateSettings {
        name: &options.crate_name,
    };
    let emitted = emit::emit_cached(&hashed, &plan, &settings, cache);
    let (files, format_cache) = match emitted {
        Ok(f) => f,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                Code::EmitFailure,
                Span::new(source::FileId(0), 0..0),
                format!("generator bug: emitted code does not parse: {e}"),
            ));
            (emit::Files::new(), None)
        }
    };
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    let stats = Stats {
        pages,
        types: model.types.iter().filter(|t| t.kind != ir::TypeKind::Enum).count(),
        enums: model.types.iter().filter(|t| t.kind == ir::TypeKind::Enum).count(),
        endpoints: model.endpoints.len(),
        examples: model.examples.len(),
    };
    Output {
        model,
        names: plan.names,
        files,
        diagnostics,
        stats,
        format_cache,
    }
}
