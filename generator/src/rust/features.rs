//! Cargo features of the generated crate: one per workload, and per type the
//! features whose build compiles it.
//!
//! Each workload's feature enables the types of that workload plus their
//! dependency closure: structural property types (and the base type of a
//! polymorphic property, whose derived types stay behind their own
//! features). Inheritance is flattened and navigation properties are
//! emitted as raw JSON, so neither pulls in other types.

use super::layout::FIXED_FEATURES;
use super::naming::{to_rust_name, Case, Scope};
use crate::ir::{Endpoint, Model, TypeId, TypeKind};
use crate::lower::workloads::GENERAL;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Which features compile each type.
#[derive(Clone, Debug, Default, PartialEq, Hash, Eq)]
pub struct Features {
    /// Cargo feature per workload; every workload of the model has one.
    pub by_workload: BTreeMap<String, String>,
    /// Every workload, sorted.
    workloads: Vec<String>,
    /// Per `TypeId`: indexes into `workloads` whose feature compiles the type.
    types: Vec<BTreeSet<usize>>,
}

/// Every workload of the model's types and endpoints, sorted.
pub fn workloads(model: &Model) -> BTreeSet<&str> {
    model
        .types
        .iter()
        .map(|t| filed_under(&t.workload))
        .chain(model.endpoints.iter().map(|e| filed_under(&e.workload)))
        .collect()
}

/// A feature name per workload: kebab-case, distinct from the fixed features.
fn feature_names(workloads: &BTreeSet<&str>) -> BTreeMap<String, String> {
    let mut scope = Scope::new(&FIXED_FEATURES);
    workloads
        .iter()
        .map(|w| {
            let (f, _) = scope.claim(
                to_rust_name(w, Case::Snake).trim_start_matches("r#").to_owned(),
                Case::Snake,
            );
            (w.to_string(), f.replace('_', "-"))
        })
        .collect()
}

/// Per type, the types its struct holds by value (navigation properties are
/// raw JSON: they need nothing).
fn direct_dependencies(model: &Model) -> Vec<Vec<TypeId>> {
    model
        .types
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            if t.kind != TypeKind::Enum {
                for p in model.all_properties(t.id) {
                    if let (false, Some(id)) = (p.navigation, p.ty.named()) {
                        out.push(id);
                    }
                }
            }
            out
        })
        .collect()
}

/// The workload an item (type or endpoint) is filed under, by the layout and
/// by the features alike: its own, else `GENERAL` where the docs name none.
pub(super) fn filed_under(workload: &Option<String>) -> &str {
    workload.as_deref().unwrap_or(GENERAL)
}

impl Features {
    pub fn plan(model: &Model) -> Features {
        let workload_set = workloads(model);
        let by_workload = feature_names(&workload_set);
        let workloads: Vec<String> = workload_set.into_iter().map(str::to_owned).collect();
        let index: HashMap<&str, usize> = workloads.iter().enumerate().map(|(i, w)| (w.as_str(), i)).collect();
        let deps = direct_dependencies(model);
        let mut types = vec![BTreeSet::new(); model.types.len()];
        // Depth-first over dependencies not yet gated by this workload.
        let mut close = |w: usize, mut stack: Vec<TypeId>| {
            while let Some(x) = stack.pop() {
                if types[x.0 as usize].insert(w) {
                    stack.extend(deps[x.0 as usize].iter().copied());
                }
            }
        };
        for t in &model.types {
            if let Some(w) = index.get(filed_under(&t.workload)) {
                close(*w, vec![t.id]);
            }
        }
        // An operation compiles with its workload: so do its body and result.
        for e in &model.endpoints {
            if let Some(w) = index.get(filed_under(&e.workload)) {
                let info = &e.operation;
                let params = info.body_parameters.iter().chain(&info.function_parameters);
                let roots = [
                    &e.request_type,
                    &e.response_type,
                    &info.request_body.ty,
                    &info.response_body.ty,
                ]
                .into_iter()
                .flatten()
                .chain(params.filter_map(|p| p.ty.as_ref()));
                close(*w, roots.filter_map(|t| t.named()).collect());
            }
        }
        Features {
            by_workload,
            workloads,
            types,
        }
    }

    /// The feature of a workload.
    pub fn of_workload(&self, workload: &str) -> &str {
        &self.by_workload[workload]
    }

    /// The feature of an endpoint: its operation's workload's, as the layout
    /// files the operation (`filed_under`).
    pub fn of_endpoint(&self, e: &Endpoint) -> &str {
        self.of_workload(filed_under(&e.workload))
    }

    /// The features that compile type `id`.
    pub fn of_type(&self, id: TypeId) -> impl Iterator<Item = &str> {
        self.types[id.0 as usize]
            .iter()
            .map(|i| self.by_workload[&self.workloads[*i]].as_str())
    }

    /// Whether type `target` is compiled whenever type `owner` is.
    pub fn compiled_with(&self, target: TypeId, owner: TypeId) -> bool {
        self.types[owner.0 as usize].is_subset(&self.types[target.0 as usize])
    }

    /// Every workload feature, sorted.
    pub fn all(&self) -> BTreeSet<&str> {
        self.by_workload.values().map(String::as_str).collect()
    }
}
