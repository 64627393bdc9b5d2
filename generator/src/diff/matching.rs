//! Pairing old and new items: types (with rename detection), properties,
//! enum members, endpoints. Every stage is symmetric (pairing A with B gives
//! the same pairs as B with A, swapped) and deterministic.

use crate::ir::{Endpoint, Model, TypeDef, TypeKind};
use std::collections::{BTreeSet, HashMap, HashSet};

/// A candidate pair: score (higher first), indexes, and a tie-break key that
/// reads the same from either side.
struct Candidate {
    score: u32,
    a: usize,
    b: usize,
    tie: (String, String),
}

fn candidate(score: u32, a: usize, b: usize, ka: &str, kb: &str) -> Candidate {
    let tie = if ka <= kb {
        (ka.to_owned(), kb.to_owned())
    } else {
        (kb.to_owned(), ka.to_owned())
    };
    Candidate { score, a, b, tie }
}

/// Takes candidates best first; each item is paired at most once.
fn greedy(mut cands: Vec<Candidate>, used_a: &mut [bool], used_b: &mut [bool]) -> Vec<(usize, usize)> {
    cands.sort_by(|x, y| y.score.cmp(&x.score).then_with(|| x.tie.cmp(&y.tie)));
    let mut out = Vec::new();
    for c in cands {
        if !used_a[c.a] && !used_b[c.b] {
            used_a[c.a] = true;
            used_b[c.b] = true;
            out.push((c.a, c.b));
        }
    }
    out
}

fn unused(used: &[bool]) -> Vec<usize> {
    used.iter().enumerate().filter(|(_, u)| !**u).map(|(i, _)| i).collect()
}

/// The result of pairing two lists: pairs (old index, new index), then what
/// only one side has.
#[derive(Debug, Default)]
pub struct Pairs {
    pub pairs: Vec<(usize, usize)>,
    pub removed: Vec<usize>,
    pub added: Vec<usize>,
}

/// Pairs by exact key, then by case-insensitive key (a rename of spelling).
pub fn by_name<'a>(old: &[&'a str], new: &[&'a str]) -> Pairs {
    let mut ua = vec![false; old.len()];
    let mut ub = vec![false; new.len()];
    let mut pairs = Vec::new();
    let index: HashMap<&str, usize> = new.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    for (i, o) in old.iter().enumerate() {
        if let Some(&j) = index.get(o) {
            if !ub[j] {
                ua[i] = true;
                ub[j] = true;
                pairs.push((i, j));
            }
        }
    }
    let lower: HashMap<String, Vec<usize>> = unused(&ub).into_iter().fold(HashMap::new(), |mut m, j| {
        m.entry(new[j].to_ascii_lowercase()).or_default().push(j);
        m
    });
    let mut cands = Vec::new();
    for i in unused(&ua) {
        for &j in lower.get(&old[i].to_ascii_lowercase()).into_iter().flatten() {
            cands.push(candidate(1, i, j, old[i], new[j]));
        }
    }
    pairs.extend(greedy(cands, &mut ua, &mut ub));
    pairs.sort_unstable();
    Pairs {
        pairs,
        removed: unused(&ua),
        added: unused(&ub),
    }
}

/// The names that identify a type's shape: own property names, or members.
fn elements(t: &TypeDef) -> BTreeSet<String> {
    if t.kind == TypeKind::Enum {
        t.members.iter().map(|m| m.name.to_ascii_lowercase()).collect()
    } else {
        t.properties.iter().map(|p| p.name.to_ascii_lowercase()).collect()
    }
}

/// Sentinel members nearly every Graph enum has: no evidence of identity.
const SENTINELS: &[&str] = &["unknown", "unknownfuturevalue", "none", "other", "id"];

/// Minimum shared, non-sentinel elements for a rename.
const MIN_SHARED: usize = 2;

/// Whether `old` → `new` is a rename and how strong the evidence is: the two
/// must share a page and at least half their properties (members), or have
/// the same four or more properties (members) outright. Symmetric.
pub fn rename_score(old: &TypeDef, new: &TypeDef) -> Option<u32> {
    if (old.kind == TypeKind::Enum) != (new.kind == TypeKind::Enum) {
        return None;
    }
    let (a, b) = (elements(old), elements(new));
    let shared: Vec<&String> = a.intersection(&b).collect();
    let meaningful = shared.iter().filter(|s| !SENTINELS.contains(&s.as_str())).count();
    if meaningful < MIN_SHARED {
        return None;
    }
    let union = a.union(&b).count();
    // In per-mille, to stay in integers (and exactly symmetric).
    let sim = (shared.len() * 1000 / union.max(1)) as u32;
    let pages = |t: &TypeDef| t.sources.iter().map(|s| s.path.clone()).collect::<HashSet<_>>();
    let same_page = !pages(old).is_disjoint(&pages(new));
    if (same_page && sim >= 500) || (sim == 1000 && shared.len() >= 4) {
        Some(sim + if same_page { 1000 } else { 0 })
    } else {
        None
    }
}

/// Pairs types: the same qualified name (case-insensitively), then renames
/// with strong evidence. `pairs` are (old index, new index).
pub fn types(old: &Model, new: &Model) -> Pairs {
    let key = |t: &TypeDef| format!("{}.{}", t.namespace, t.name).to_ascii_lowercase();
    let mut ua = vec![false; old.types.len()];
    let mut ub = vec![false; new.types.len()];
    let index: HashMap<String, usize> = new.types.iter().enumerate().map(|(i, t)| (key(t), i)).collect();
    let mut pairs = Vec::new();
    for (i, t) in old.types.iter().enumerate() {
        if let Some(&j) = index.get(&key(t)) {
            if !ub[j] {
                ua[i] = true;
                ub[j] = true;
                pairs.push((i, j));
            }
        }
    }
    // Rename candidates: only types sharing a page or an element set are
    // compared, so this stays linear-ish on a whole corpus.
    let (left_a, left_b) = (unused(&ua), unused(&ub));
    let mut by_page: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_set: HashMap<BTreeSet<String>, Vec<usize>> = HashMap::new();
    for &j in &left_b {
        let t = &new.types[j];
        let pages: BTreeSet<&str> = t.sources.iter().map(|s| s.path.as_str()).collect();
        for p in pages {
            by_page.entry(p).or_default().push(j);
        }
        by_set.entry(elements(t)).or_default().push(j);
    }
    let mut cands = Vec::new();
    for &i in &left_a {
        let t = &old.types[i];
        let mut js: BTreeSet<usize> = t
            .sources
            .iter()
            .flat_map(|s| by_page.get(s.path.as_str()).into_iter().flatten().copied())
            .collect();
        js.extend(by_set.get(&elements(t)).into_iter().flatten().copied());
        for j in js {
            if let Some(score) = rename_score(t, &new.types[j]) {
                cands.push(candidate(score, i, j, &key(t), &key(&new.types[j])));
            }
        }
    }
    pairs.extend(greedy(cands, &mut ua, &mut ub));
    pairs.sort_unstable();
    Pairs {
        pairs,
        removed: unused(&ua),
        added: unused(&ub),
    }
}

/// The page that defines a type: one named after it (`resources/user.md`,
/// `resources/callrecords-callrecord.md`), or for enums the page of its
/// first member (`resources/enums.md`).
pub fn defining_page(t: &TypeDef) -> Option<&str> {
    if t.kind == TypeKind::Enum {
        if let Some(m) = t.members.first() {
            return Some(m.source.path.as_str());
        }
    }
    let name = t.name.to_ascii_lowercase();
    t.sources.iter().map(|s| s.path.as_str()).find(|p| {
        let file = p.rsplit('/').next().unwrap_or(p);
        let stem = file.split('.').next().unwrap_or(file).to_ascii_lowercase();
        stem == name || stem.rsplit('-').next() == Some(name.as_str())
    })
}

/// Whether both sides document the type on the same page (not merely
/// mention it), for comparing a sample of pages against a whole corpus.
pub fn both_document(a: &TypeDef, b: &TypeDef) -> bool {
    matches!((defining_page(a), defining_page(b)), (Some(x), Some(y)) if x == y)
}

pub use crate::ir::path_shape as normalize_path;

fn endpoint_key(e: &Endpoint) -> String {
    format!("{} {}", e.method, e.path)
}

/// Pairs endpoints: same method and path (parameter names ignored), then the
/// same method and any shared path (primary or alternate), then the same
/// operation name on the same page (the method or path changed).
pub fn endpoints(old: &Model, new: &Model) -> Pairs {
    let (o, n) = (&old.endpoints, &new.endpoints);
    let mut ua = vec![false; o.len()];
    let mut ub = vec![false; n.len()];
    let mut pairs = Vec::new();
    let primary = |e: &Endpoint| format!("{} {}", e.method, normalize_path(&e.path));
    let all_paths = |e: &Endpoint| -> Vec<String> {
        e.paths()
            .map(|p| format!("{} {}", e.method, normalize_path(p)))
            .collect()
    };
    let stage = |pairs: &mut Vec<(usize, usize)>,
                 ua: &mut Vec<bool>,
                 ub: &mut Vec<bool>,
                 keys_a: &dyn Fn(&Endpoint) -> Vec<String>,
                 keys_b: &dyn Fn(&Endpoint) -> Vec<String>| {
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for j in unused(ub) {
            for k in keys_b(&n[j]) {
                index.entry(k).or_default().push(j);
            }
        }
        let mut cands = Vec::new();
        for i in unused(ua) {
            let mut js: BTreeSet<usize> = BTreeSet::new();
            for k in keys_a(&o[i]) {
                js.extend(index.get(&k).into_iter().flatten().copied());
            }
            for j in js {
                cands.push(candidate(1, i, j, &endpoint_key(&o[i]), &endpoint_key(&n[j])));
            }
        }
        pairs.extend(greedy(cands, ua, ub));
    };
    stage(&mut pairs, &mut ua, &mut ub, &|e| vec![primary(e)], &|e| {
        vec![primary(e)]
    });
    stage(&mut pairs, &mut ua, &mut ub, &all_paths, &all_paths);
    // The same title alone is weak evidence ("Update alert" is two APIs):
    // the operation must also be documented on the same page.
    let name = |e: &Endpoint| -> Vec<String> {
        let title = e.name.trim().to_ascii_lowercase();
        let pages: BTreeSet<&str> = e.sources.iter().map(|s| s.path.as_str()).collect();
        pages.into_iter().map(|p| format!("{title}\u{0}{p}")).collect()
    };
    stage(&mut pairs, &mut ua, &mut ub, &name, &name);
    pairs.sort_unstable();
    Pairs {
        pairs,
        removed: unused(&ua),
        added: unused(&ub),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize() {
        assert_eq!(normalize_path("/users/{id}/Photo/"), "/users/{}/photo");
        assert_eq!(normalize_path("/users/{user-id}"), "/users/{}");
        assert_eq!(normalize_path("/a/{x{y}}/b"), "/a/{}/b");
        assert_eq!(normalize_path("/"), "/");
        assert_eq!(normalize_path("}/{"), "}/{}");
    }

    #[test]
    fn names_pair_exactly_then_by_case() {
        let p = by_name(&["a", "B", "c"], &["b", "a", "d"]);
        assert_eq!(p.pairs, vec![(0, 1), (1, 0)]);
        assert_eq!(p.removed, vec![2]);
        assert_eq!(p.added, vec![2]);
    }
}
