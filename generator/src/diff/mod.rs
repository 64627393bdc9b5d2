//! The API change report (`cargo xtask diff`): compares two IRs semantically
//! and classifies every change for users of the generated crate.
//!
//! [`matching`] pairs types (with rename detection), properties, members and
//! endpoints; [`compare`] turns each difference into a [`Change`], classed
//! by the emitter's own rules ([`rules`], observed on its output, plus its
//! field types and the naming authority); [`render`] writes markdown or JSON.

pub mod change;
pub mod compare;
pub mod matching;
pub mod render;
pub mod rules;

pub use change::{Change, Class, Counts, Kind, Report};
pub use rules::Rules;

use crate::ir::Model;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Only what both sides document: no added or removed types and
    /// endpoints (for comparing a sample against a whole corpus).
    pub common_only: bool,
}

/// Compares `old` with `new`. Deterministic: changes are sorted.
pub fn diff(old: &Model, new: &Model, options: &Options) -> Report {
    let rules = Rules::observe();
    diff_with(old, new, options, rules)
}

/// [`diff`] with rules already observed (for callers comparing many pairs).
pub fn diff_with(old: &Model, new: &Model, options: &Options, rules: Rules) -> Report {
    let (a, b) = rayon::join(|| compare::Side::new(old), || compare::Side::new(new));
    let opts = compare::Options {
        common_only: options.common_only,
    };
    let mut changes = Vec::new();
    compare::types(&a, &b, &rules, &opts, &mut changes);
    compare::endpoints(&a, &b, &rules, &opts, &mut changes);
    changes.sort();
    changes.dedup();
    Report {
        summary: Counts::of(&changes),
        rules,
        changes,
    }
}
