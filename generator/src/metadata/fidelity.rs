//! The IR measured against the CSDL, type by type.

use super::csdl::{Csdl, CsdlType};
use crate::diagnostics::{Code, Diagnostic};
use crate::ir::{Model, TypeDef, TypeKind};
use crate::source::{Location, SourceDb};
use std::collections::BTreeMap;

/// How far the IR agrees with the metadata, and where it does not.
#[derive(Debug, Default)]
pub struct Fidelity {
    pub types_compared: usize,
    pub types_not_in_csdl: usize,
    pub props_total: usize,
    pub props_present: usize,
    pub props_same_type: usize,
    pub enums_compared: usize,
    pub members_total: usize,
    pub members_present: usize,
    /// Each disagreement at the docs location it concerns, for diagnostics.
    pub disagreements: Vec<(Location, String)>,
    /// Qualified type → (its page, the metadata's properties the docs do not give).
    pub(super) missing: BTreeMap<String, (String, Vec<String>)>,
    /// (CSDL type, docs type) → `type.property (page)` of each.
    pub(super) mismatches: BTreeMap<(String, String), Vec<String>>,
    /// (count, `type (page)`, the metadata's members the docs do not list).
    pub(super) member_gaps: Vec<(usize, String, String)>,
    /// Structured types whose base type was compared (every one the CSDL
    /// also has; no base on both sides counts as the same).
    pub bases_compared: usize,
    pub bases_same: usize,
    /// The metadata states a base, the IR none.
    pub bases_missing: usize,
    /// The IR states another base than the metadata (or one where the
    /// metadata has none).
    pub bases_different: usize,
    /// Each base disagreement.
    pub(super) base_gaps: Vec<BaseGap>,
    /// Base types the IR names that neither a page of the docs defines nor
    /// the CSDL has: (base, `type (page)`).
    pub invented_bases: Vec<(String, String)>,
    /// Flags enums against the CSDL's `IsFlags`.
    pub flags: super::FlagsAgreement,
}

/// A base type the IR and the metadata disagree on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct BaseGap {
    /// The metadata's base (`None`: it has none).
    pub(super) csdl: Option<String>,
    /// The IR's base (`None`: the docs state none).
    pub(super) docs: Option<String>,
    /// `type (page:line:col)`.
    pub(super) at: String,
}

impl Fidelity {
    pub fn presence(&self) -> f64 {
        ratio(self.props_present, self.props_total)
    }
    pub fn type_agreement(&self) -> f64 {
        ratio(self.props_same_type, self.props_present)
    }
    pub fn member_presence(&self) -> f64 {
        ratio(self.members_present, self.members_total)
    }
    pub fn base_agreement(&self) -> f64 {
        ratio(self.bases_same, self.bases_compared)
    }

    /// Every disagreement as a GD0026 warning at its place in the docs.
    pub fn diagnostics(&self, db: &SourceDb) -> Vec<Diagnostic> {
        self.disagreements
            .iter()
            .map(|(loc, msg)| Diagnostic::warning(Code::MetadataDisagreement, db.span_at(loc), msg.clone()))
            .collect()
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Whether the IR's type is the metadata's. The IR reads the docs' `Json`
/// as open JSON (`Edm.Untyped`); the metadata spells the same thing as its
/// empty complex type `microsoft.graph.Json`.
fn same_type(ir: &str, csdl: &str) -> bool {
    ir.replace("Edm.Untyped", "microsoft.graph.Json")
        .eq_ignore_ascii_case(csdl)
}

/// Compares the IR with the CSDL for every type the docs document.
pub fn compare(model: &Model, csdl: &Csdl) -> Fidelity {
    let mut f = Fidelity::default();
    for t in &model.types {
        let q = format!("{}.{}", t.namespace, t.name);
        if t.kind == TypeKind::Enum {
            f.flags
                .record(t, &q, csdl.get(&q).filter(|c| c.is_enum).map(|c| c.is_flags));
        }
        let Some(ct) = csdl.get(&q) else {
            if !t.synthesized {
                f.types_not_in_csdl += 1;
            }
            continue;
        };
        if t.kind == TypeKind::Enum || ct.is_enum {
            if ct.is_enum {
                f.enum_members(t, &q, ct);
            }
            continue;
        }
        f.properties(model, t, &q, csdl);
        f.base(model, t, &q, ct, csdl);
    }
    f
}

/// The qualified name of a type reference, without its namespace's case.
fn qualified(q: &crate::ir::QualifiedName) -> String {
    format!("{}.{}", q.namespace, q.name)
}

impl Fidelity {
    fn enum_members(&mut self, t: &TypeDef, q: &str, ct: &CsdlType) {
        self.enums_compared += 1;
        if t.is_flags != ct.is_flags {
            if let Some(loc) = t.sources.first() {
                let says = if ct.is_flags { "is" } else { "is not" };
                self.disagreements
                    .push((loc.clone(), format!("the metadata's enum `{q}` {says} a flags enum")));
            }
        }
        // A member the docs spell in several cases is one member with its
        // other spellings as aliases: any of them names it.
        let have: Vec<&str> = t
            .members
            .iter()
            .flat_map(|m| std::iter::once(m.name.as_str()).chain(m.aliases.iter().map(String::as_str)))
            .collect();
        let gaps: Vec<&String> = ct.members.iter().filter(|m| !have.contains(&m.as_str())).collect();
        self.members_total += ct.members.len();
        self.members_present += ct.members.len() - gaps.len();
        if gaps.is_empty() {
            return;
        }
        if let Some(loc) = t.sources.first() {
            let names: Vec<String> = gaps.iter().map(|g| format!("`{g}`")).collect();
            self.disagreements.push((
                loc.clone(),
                format!("the metadata's enum `{q}` also has {}", names.join(", ")),
            ));
        }
        self.member_gaps.push((
            gaps.len(),
            format!("{q} ({})", page(t)),
            gaps.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
        ));
    }

    /// The IR's base type against the metadata's.
    fn base(&mut self, model: &Model, t: &TypeDef, q: &str, ct: &CsdlType, csdl: &Csdl) {
        self.bases_compared += 1;
        let docs = t.base_type.as_ref().map(qualified);
        if let Some(b) = &docs {
            if t.base_id.is_none_or(|id| model.ty(id).sources.is_empty()) && !csdl.has(b) {
                self.invented_bases.push((b.clone(), format!("{q} ({})", page(t))));
            }
        }
        let same = match (&docs, &ct.base) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            (None, None) => true,
            _ => false,
        };
        if same {
            self.bases_same += 1;
            return;
        }
        if docs.is_none() {
            self.bases_missing += 1;
        } else {
            self.bases_different += 1;
        }
        if let Some(loc) = t.sources.first() {
            let msg = match (&docs, &ct.base) {
                (None, Some(b)) => format!("the metadata derives `{q}` from `{b}`; the docs state no base type"),
                (Some(a), None) => format!("the docs derive `{q}` from `{a}`; the metadata states no base type"),
                (Some(a), Some(b)) => format!("the docs derive `{q}` from `{a}`, the metadata from `{b}`"),
                (None, None) => unreachable!(),
            };
            self.disagreements.push((loc.clone(), msg));
        }
        self.base_gaps.push(BaseGap {
            csdl: ct.base.clone(),
            docs,
            at: format!("{q} ({})", page(t)),
        });
    }

    fn properties(&mut self, model: &Model, t: &TypeDef, q: &str, csdl: &Csdl) {
        self.types_compared += 1;
        let ours = model.all_properties(t.id);
        for (name, ty, _nav) in csdl.flattened(q) {
            self.props_total += 1;
            let Some(p) = ours.iter().find(|p| p.name == name) else {
                if let Some(loc) = t.sources.first() {
                    self.disagreements.push((
                        loc.clone(),
                        format!("the metadata gives `{q}` a property `{name}` ({ty}) that the docs do not"),
                    ));
                }
                self.missing
                    .entry(q.to_owned())
                    .or_insert_with(|| (page(t), Vec::new()))
                    .1
                    .push(name);
                continue;
            };
            self.props_present += 1;
            let mine = p.ty.csdl();
            if same_type(&mine, &ty) {
                self.props_same_type += 1;
                continue;
            }
            self.disagreements.push((
                p.source.clone(),
                format!("`{q}.{name}` is `{mine}` in the docs but `{ty}` in the metadata"),
            ));
            self.mismatches
                .entry((ty, mine))
                .or_default()
                .push(format!("{q}.{name} ({})", p.source));
        }
    }
}

/// The type's first page, `path:line:col`.
fn page(t: &TypeDef) -> String {
    t.sources.first().map(|s| s.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_open_json() {
        assert!(same_type("Edm.Untyped", "microsoft.graph.Json"));
        assert!(same_type("Collection(Edm.Untyped)", "Collection(microsoft.graph.Json)"));
        assert!(same_type("microsoft.graph.User", "microsoft.graph.user"));
        assert!(!same_type("Edm.Double", "Edm.Single"));
        assert!(!same_type("Edm.Untyped", "Edm.String"));
    }
}
