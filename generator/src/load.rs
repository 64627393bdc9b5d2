//! The one "docs → model" entry: every page through both parse passes, then
//! lowered into the IR. `generate` (codegen), `cargo xtask diff`,
//! `check-payload` and `metadata-diff` all start here. No I/O: the caller
//! reads the docs folder into a [`SourceDb`] (xtask's `fsio`).

use crate::diagnostics::Diagnostic;
use crate::ir::Model;
use crate::source::SourceDb;

/// A docs tree as the IR, with what parsing and lowering said about it.
pub struct DocsModel {
    pub model: Model,
    /// Parse diagnostics, then lowering's; unsorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages read (include files are read only through their pages).
    pub pages: usize,
}

/// Parses every page and lowers the facts into one IR.
pub fn docs_model(db: &SourceDb) -> DocsModel {
    let (facts, mut diagnostics) = crate::parse_all(db);
    let (model, lower_diags) = crate::lower::lower(db, &facts);
    diagnostics.extend(lower_diags);
    let pages = facts.len();
    // The facts are a few hundred thousand small allocations: they are freed
    // on the thread pool while the caller goes on with the model.
    rayon::spawn(move || drop(facts));
    DocsModel {
        model,
        diagnostics,
        pages,
    }
}
