//! How far the IR agrees with the official CSDL metadata (`cargo xtask
//! metadata-diff`, and GD0026 under `codegen --metadata`). Comparison only:
//! the generator never takes a fact from the metadata.
//!
//! [`Csdl`] reads the metadata XML; [`compare`] measures the IR against it
//! into a [`Fidelity`] (counts, and every disagreement at the docs location
//! it concerns); [`Fidelity::summary`] is the report's text.

mod csdl;
mod fidelity;
mod flags;
mod summary;

pub use csdl::Csdl;
pub use fidelity::{compare, Fidelity};
pub use flags::FlagsAgreement;

/// The real-corpus issue's targets: properties present, same type, enum members.
pub const TARGETS: (f64, f64, f64) = (0.97, 0.99, 0.98);
