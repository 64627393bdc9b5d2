//! Flags agreement: the enums the IR marks `isFlags` against the CSDL's
//! `IsFlags="true"`, over the enums both define.

use crate::ir::TypeDef;
use std::fmt::Write as _;

/// Qualified enum names by agreement (the docs' spelling).
#[derive(Debug, Default)]
pub struct FlagsAgreement {
    /// Flags in both.
    pub agreed: Vec<String>,
    /// Flags in the CSDL, not in the IR.
    pub missed: Vec<String>,
    /// Flags in the IR, an enum without `IsFlags` in the CSDL.
    pub extra: Vec<String>,
    /// Flags in the IR, an enum the CSDL does not have.
    pub not_in_csdl: Vec<String>,
}

impl FlagsAgreement {
    /// One enum of the IR; `csdl_flags` is `None` when the CSDL has no enum
    /// of that name.
    pub(super) fn record(&mut self, t: &TypeDef, q: &str, csdl_flags: Option<bool>) {
        let list = match (t.is_flags, csdl_flags) {
            (true, Some(true)) => &mut self.agreed,
            (false, Some(true)) => &mut self.missed,
            (true, Some(false)) => &mut self.extra,
            (true, None) => &mut self.not_in_csdl,
            (false, _) => return,
        };
        list.push(q.to_owned());
    }

    /// The report's lines.
    pub fn summary(&self) -> String {
        let mut text = String::new();
        let _ = writeln!(
            text,
            "  flags enums:        {}/{} of the CSDL's IsFlags enums the docs define are flags; {} flagged that the CSDL does not mark{}",
            self.agreed.len(),
            self.agreed.len() + self.missed.len(),
            self.extra.len(),
            if self.not_in_csdl.is_empty() {
                String::new()
            } else {
                format!(" ({} flagged enums are not in the CSDL)", self.not_in_csdl.len())
            }
        );
        for (what, list) in [
            ("not flagged", &self.missed),
            ("flagged, not IsFlags in the CSDL", &self.extra),
            ("flagged, not in the CSDL", &self.not_in_csdl),
        ] {
            if !list.is_empty() {
                let _ = writeln!(text, "    {what}: {}", list.join(", "));
            }
        }
        text
    }
}
