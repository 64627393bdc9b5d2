//! The text of `cargo xtask metadata-diff`: the figures against their
//! targets, then the largest causes of disagreement with page and line.

use super::{Fidelity, TARGETS};
use std::collections::BTreeMap;
use std::fmt::Write as _;

fn met(x: f64, target: f64) -> &'static str {
    if x >= target {
        "met"
    } else {
        "NOT met"
    }
}

impl Fidelity {
    /// The report. Type disagreements and enum gaps list the first 15
    /// causes, or all with `all`.
    pub fn summary(&self, all: bool) -> String {
        let shown = if all { usize::MAX } else { 15 };
        let mut text = self.figures();
        let mut miss: Vec<(&String, &(String, Vec<String>))> = self.missing.iter().collect();
        miss.sort_by(|a, b| b.1 .1.len().cmp(&a.1 .1.len()).then(a.0.cmp(b.0)));
        let _ = writeln!(
            text,
            "\nlargest causes: properties the docs do not give (type, page, count, names)"
        );
        for (q, (page, names)) in miss.iter().take(15) {
            let shown: Vec<&str> = names.iter().take(6).map(String::as_str).collect();
            let _ = writeln!(
                text,
                "  {q} at {page}: {} missing: {}{}",
                names.len(),
                shown.join(", "),
                if names.len() > 6 { ", …" } else { "" }
            );
        }
        let mut mm: Vec<(&(String, String), &Vec<String>)> = self.mismatches.iter().collect();
        mm.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        let _ = writeln!(
            text,
            "\nlargest causes: type disagreements (CSDL type <- docs type, count, first example)"
        );
        for ((csdl_ty, mine), where_) in mm.iter().take(shown) {
            let _ = writeln!(text, "  {csdl_ty} <- {mine}: {} e.g. {}", where_.len(), where_[0]);
        }
        self.base_causes(&mut text, shown);
        let mut gaps: Vec<&(usize, String, String)> = self.member_gaps.iter().collect();
        gaps.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let _ = writeln!(text, "\nlargest causes: enum members the docs do not list");
        for (n, q, names) in gaps.iter().take(shown) {
            let _ = writeln!(text, "  {q}: {n} missing: {names}");
        }
        text
    }

    /// Base-type disagreements grouped by (metadata's base, docs' base),
    /// largest first, each with its first types; then invented bases.
    fn base_causes(&self, text: &mut String, shown: usize) {
        let mut groups: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
        for g in &self.base_gaps {
            groups
                .entry((
                    g.csdl.as_deref().unwrap_or("(none)"),
                    g.docs.as_deref().unwrap_or("(none)"),
                ))
                .or_default()
                .push(&g.at);
        }
        let mut groups: Vec<_> = groups.into_iter().collect();
        groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        let _ = writeln!(
            text,
            "\nlargest causes: base types (CSDL base <- docs base, count, first types)"
        );
        for ((csdl, docs), at) in groups.iter().take(shown) {
            let first: Vec<&str> = at.iter().take(3).copied().collect();
            let _ = writeln!(
                text,
                "  {csdl} <- {docs}: {} e.g. {}{}",
                at.len(),
                first.join("; "),
                if at.len() > 3 { "; …" } else { "" }
            );
        }
        for (base, at) in &self.invented_bases {
            let _ = writeln!(
                text,
                "  invented base type {base} (no page defines it, not in the CSDL): {at}"
            );
        }
    }

    /// The head of the report: each figure against its target.
    fn figures(&self) -> String {
        let mut text = String::new();
        let pct = |x: f64| x * 100.0;
        let _ = writeln!(text, "metadata-diff: IR vs CSDL for the types the docs document");
        let _ = writeln!(
            text,
            "  properties present: {}/{} = {:.2}% (target >= 97.5%: {})",
            self.props_present,
            self.props_total,
            pct(self.presence()),
            met(self.presence(), TARGETS.presence)
        );
        let _ = writeln!(
            text,
            "  same type:          {}/{} = {:.2}% (target >= 98.85%: {})",
            self.props_same_type,
            self.props_present,
            pct(self.type_agreement()),
            met(self.type_agreement(), TARGETS.same_type)
        );
        let _ = writeln!(
            text,
            "  enum members:       {}/{} = {:.2}% (target >= 97.75%: {})",
            self.members_present,
            self.members_total,
            pct(self.member_presence()),
            met(self.member_presence(), TARGETS.members)
        );
        let _ = writeln!(
            text,
            "  base types:         {}/{} = {:.2}% the same ({} missing, {} different, {} invented) (target >= 95%, none invented: {})",
            self.bases_same,
            self.bases_compared,
            pct(self.base_agreement()),
            self.bases_missing,
            self.bases_different,
            self.invented_bases.len(),
            met(
                if self.invented_bases.is_empty() { self.base_agreement() } else { 0.0 },
                TARGETS.bases.unwrap_or(0.0)
            )
        );
        let _ = writeln!(
            text,
            "  compared {} structured types and {} enums; {} documented types are not in the CSDL",
            self.types_compared, self.enums_compared, self.types_not_in_csdl
        );
        text.push_str(&self.flags.summary());
        text
    }
}
