//! The Rust plan: every decision about the generated crate that is not token
//! text, made once between [`crate::lower`] (language-neutral IR) and
//! [`crate::emit`] (tokens). It owns the Rust names ([`naming`], the one
//! naming authority; the only user of `heck` and the only place that knows
//! Rust keywords), the cargo features and what each compiles ([`features`]),
//! and the crate's files and modules ([`layout`], from which the reserved
//! names are derived).
//!
//! A new family of generated items (say, operation structs) is one function in
//! [`naming`] filling a new [`naming::Names`] field, a [`layout::Content`]
//! variant if it gets files of its own, and one emit module.

pub mod features;
pub mod layout;
pub mod naming;
pub mod operations;
mod qualify;

use crate::diagnostics::Diagnostic;
use crate::ir::Model;
use crate::source::{Location, Span};

/// The Rust plan of one generation run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Plan {
    pub names: naming::Names,
    pub features: features::Features,
    pub layout: layout::Layout,
}

/// Plans the generated crate for `model`. Name collisions are reported as
/// notes at the span `span_of` gives for their IR location.
pub fn plan(model: &Model, diags: &mut Vec<Diagnostic>, span_of: &dyn Fn(&Location) -> Span) -> Plan {
    let names = naming::assign(model, diags, span_of);
    let features = features::Features::plan(model);
    let layout = layout::Layout::plan(model, &names);
    Plan {
        names,
        features,
        layout,
    }
}
