//! Workloads: the docs' product areas, by page and by type. Which language
//! construct a workload becomes (a module, a cargo feature) is decided later,
//! by the target's plan.
//!
//! A page's workload is its `ms.prod` (or today's `ms.subservice`),
//! lowercased. A product whose pages nearly all follow the
//! `{product}-{family}-{name}` file convention (Intune's
//! `intune-deviceconfig-…`) is split by family, so a user can enable one
//! family. Types no page assigns take the workload of the first type that
//! uses them, else [`GENERAL`].

use crate::ir::Model;
use crate::parse::facts::PageFacts;
use crate::source::{FileId, SourceDb};
use std::collections::{BTreeMap, HashMap};

/// The workload of types and endpoints whose pages name no product.
pub const GENERAL: &str = "general";

/// Share of a product's pages that must use the family file convention for
/// the product to be split by family.
const FAMILY_SHARE: f64 = 0.8;

fn normalize(product: &str) -> Option<String> {
    let p: String = product
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .to_ascii_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-");
    (!p.is_empty()).then_some(p)
}

/// The family of a page file stem under the `{product}-{family}-{name}` convention.
fn family<'a>(stem: &'a str, product: &str) -> Option<&'a str> {
    let rest = stem.strip_prefix(product)?.strip_prefix('-')?;
    let (fam, name) = rest.split_once('-')?;
    (!fam.is_empty() && !name.is_empty()).then_some(fam)
}

/// The workload of every page that names a product.
pub fn page_workloads(db: &SourceDb, pages: &[PageFacts]) -> HashMap<FileId, String> {
    let stem = |f: FileId| {
        let p = &db.file(f).path;
        let base = p.rsplit('/').next().unwrap_or(p);
        base.split('.').next().unwrap_or(base).to_ascii_lowercase()
    };
    let mut by_product: BTreeMap<String, Vec<(FileId, String)>> = BTreeMap::new();
    for page in pages {
        let (Some(f), Some(p)) = (page.file, page.product.as_deref().and_then(normalize)) else {
            continue;
        };
        by_product.entry(p).or_default().push((f, stem(f)));
    }
    let mut out = HashMap::new();
    for (product, files) in by_product {
        let conventional = files.iter().filter(|(_, s)| family(s, &product).is_some()).count();
        let split = files.len() >= 2 && conventional as f64 >= FAMILY_SHARE * files.len() as f64;
        for (f, s) in files {
            let w = match family(&s, &product) {
                Some(fam) if split => format!("{product}-{fam}"),
                _ => product.clone(),
            };
            out.insert(f, w);
        }
    }
    out
}

/// Gives every type a workload: types no page assigned take that of the
/// first type (in id order) that refers to them, else [`GENERAL`].
pub fn fill_missing(model: &mut Model) {
    let mut inherited: Vec<Option<String>> = vec![None; model.types.len()];
    for t in &model.types {
        let Some(w) = &t.workload else { continue };
        for p in &t.properties {
            if let Some(id) = p.ty.named() {
                let slot = &mut inherited[id.0 as usize];
                if slot.is_none() {
                    *slot = Some(w.clone());
                }
            }
        }
    }
    for (t, w) in model.types.iter_mut().zip(inherited) {
        if t.workload.is_none() {
            t.workload = Some(w.unwrap_or_else(|| GENERAL.to_owned()));
        }
    }
    for e in &mut model.endpoints {
        if e.workload.is_none() {
            e.workload = Some(GENERAL.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families() {
        assert_eq!(
            family("intune-deviceconfig-windows10generalconfiguration", "intune"),
            Some("deviceconfig")
        );
        assert_eq!(family("intune-graph", "intune"), None);
        assert_eq!(family("intunex-a-b", "intune"), None);
        assert_eq!(family("user-get", "users"), None);
        assert_eq!(normalize(" \"SharePoint\" "), Some("sharepoint".into()));
        assert_eq!(normalize("Microsoft Teams"), Some("microsoft-teams".into()));
        assert_eq!(normalize("  "), None);
    }
}
