//! Relationships that only API pages document. Graph addresses a
//! relationship as a path segment after its owner (`GET /users/{id}/joinedTeams`
//! lists the `joinedTeams` of a `user`), so an operation whose path extends
//! the path of a known type by one plain segment, and whose response type is
//! documented, states a navigation property of that type. Resource pages often
//! omit such relationships; their API pages are the only record.
//!
//! Added as navigation properties (raw JSON in the generated crate, so they
//! cost nothing to compile), after every table-documented property, and only
//! where the type has no property of that name in any case.

use crate::diagnostics::{Code, Diagnostic};
use crate::ir::{path_shape as shape, Model, Property, TypeId, TypeKind, TypeRef};
use crate::source::{Location, SourceDb};
use std::collections::{BTreeMap, HashMap};

/// A segment that can name a property: an identifier, not a key, function,
/// cast (`microsoft.graph.x`) or `$value`-style system segment.
fn plain_segment(seg: &str) -> bool {
    let mut cs = seg.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic()) && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A segment named in the plural (`connectors`, `allowedGroups`), not a
/// singular ending in s (`status`, `address`, `settings`, `analytics`).
fn plural(seg: &str) -> bool {
    crate::plural::singular(seg).is_some()
}

/// `operations[i]`: endpoint `i` is a function or action (parse reads that
/// from its title); its path segments are operations, not relationships.
pub fn infer(model: &mut Model, operations: &[bool], db: &SourceDb, diags: &mut Vec<Diagnostic>) {
    let gets = |model: &Model| -> Vec<usize> {
        (0..model.endpoints.len())
            .filter(|&i| model.endpoints[i].method == "GET" && !operations.get(i).copied().unwrap_or(false))
            .collect()
    };
    // The type each path shape addresses, by vote of the GET operations
    // (`/me` is the path of many); ties address nothing.
    let mut votes: HashMap<String, BTreeMap<TypeId, usize>> = HashMap::new();
    for e in gets(model).into_iter().map(|i| &model.endpoints[i]) {
        for p in e.paths() {
            let (key, id) = match &e.response_type {
                Some(TypeRef::Named(id, _)) => (shape(p), *id),
                Some(TypeRef::Collection(inner)) => match inner.as_ref() {
                    TypeRef::Named(id, _) => (format!("{}/{{}}", shape(p)), *id),
                    _ => continue,
                },
                _ => continue,
            };
            *votes.entry(key).or_default().entry(id).or_default() += 1;
        }
    }
    let addressed: HashMap<String, TypeId> = votes
        .into_iter()
        .filter_map(|(k, v)| {
            let best = *v.values().max()?;
            let mut winners = v.into_iter().filter(|(_, n)| *n == best);
            match (winners.next(), winners.next()) {
                (Some((id, _)), None) => Some((k, id)),
                _ => None,
            }
        })
        .collect();
    let keyed: std::collections::HashSet<String> = model
        .endpoints
        .iter()
        .flat_map(|e| e.paths())
        .map(|p| shape(p))
        .collect();
    // Owner → segment → (type, source), first documented operation wins.
    let mut found: BTreeMap<(TypeId, String), (TypeRef, bool, Location)> = BTreeMap::new();
    for e in gets(model).into_iter().map(|i| &model.endpoints[i]) {
        let Some(ty) = &e.response_type else { continue };
        if matches!(ty, TypeRef::Primitive(_) | TypeRef::Unresolved(_)) {
            continue;
        }
        for p in e.paths() {
            let Some((parent, seg)) = p.trim_end_matches('/').rsplit_once('/') else {
                continue;
            };
            if !plain_segment(seg) {
                continue;
            }
            let Some(owner) = addressed.get(&shape(parent)) else {
                continue;
            };
            if model.ty(*owner).kind == TypeKind::Enum {
                continue;
            }
            let Some(source) = e.sources.first() else { continue };
            // A segment whose members are addressed by key is a collection,
            // whatever the page says its GET returns.
            let by_key = keyed.contains(&format!("{}/{{}}", shape(p)));
            let (ty, listed) = match ty {
                TypeRef::Named(..) if by_key => (TypeRef::Collection(Box::new(ty.clone())), false),
                // Listed, and addressed by key or named in the plural: evidence
                // enough to override a table.
                TypeRef::Collection(_) => (ty.clone(), by_key || plural(seg)),
                _ => (ty.clone(), false),
            };
            found
                .entry((*owner, seg.to_owned()))
                .or_insert_with(|| (ty, listed, source.clone()));
        }
    }
    for ((owner, seg), (ty, listed, source)) in found {
        let known = model
            .all_properties(owner)
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case(&seg));
        if known {
            lowercase_spelling(model, db, diags, owner, &seg, &source);
            // Only a listed, keyed relationship overrides a table (prose
            // alone says "a collection of" for single values too).
            if listed {
                collection_evidence(model, db, diags, owner, &seg, &ty, &source);
            }
            continue;
        }
        model.types[owner.0 as usize].properties.push(Property {
            name: seg,
            ty,
            navigation: true,
            description: None,
            read_only: false,
            nullable: None,
            source,
        });
    }
}

/// A table that spells a property all in lower case (`openshifts`) where
/// the API paths spell it with its capitals (`…/schedule/openShifts`): the
/// paths' spelling is the wire name (a lower-case cell has lost the word
/// boundaries, the path has not). The table is reported.
fn lowercase_spelling(
    model: &mut Model,
    db: &SourceDb,
    diags: &mut Vec<Diagnostic>,
    owner: TypeId,
    seg: &str,
    at: &Location,
) {
    if !seg.chars().any(|c| c.is_ascii_uppercase()) {
        return;
    }
    let chain: Vec<TypeId> = std::iter::once(owner).chain(model.ancestors(owner)).collect();
    for t in chain {
        let owner_name = model.ty(t).name.clone();
        let props = &mut model.types[t.0 as usize].properties;
        if props.iter().any(|p| p.name == seg) {
            return;
        }
        let Some(p) = props
            .iter_mut()
            .find(|p| p.name.eq_ignore_ascii_case(seg) && !p.name.chars().any(|c| c.is_ascii_uppercase()))
        else {
            continue;
        };
        diags.push(
            Diagnostic::warning(
                Code::Conflict,
                db.span_at(&p.source),
                format!(
                    "property `{owner_name}.{}` is spelled `{seg}` in the API paths; read as `{seg}`",
                    p.name
                ),
            )
            .with_related(db.span_at(at), "spelled here")
            .with_help(format!("write the property as `{seg}`")),
        );
        p.name = seg.to_owned();
        return;
    }
}

/// A relationship a table types as a single `T` while the API pages list it
/// (`GET …/replies` returns a collection and members are addressed by key):
/// the operations decide the cardinality, and the table is reported.
fn collection_evidence(
    model: &mut Model,
    db: &SourceDb,
    diags: &mut Vec<Diagnostic>,
    owner: TypeId,
    seg: &str,
    evidence: &TypeRef,
    at: &Location,
) {
    let TypeRef::Collection(inner) = evidence else { return };
    let chain: Vec<TypeId> = std::iter::once(owner).chain(model.ancestors(owner)).collect();
    for t in chain {
        let owner_name = model.ty(t).name.clone();
        let Some(p) = model.types[t.0 as usize].properties.iter_mut().find(|p| p.name == seg) else {
            continue;
        };
        if p.navigation && p.ty == **inner {
            diags.push(
                Diagnostic::warning(
                    Code::Conflict,
                    db.span_at(&p.source),
                    format!(
                        "relationship `{owner_name}.{seg}` is typed as one `{}`, but its API pages list it as a collection; read as `{}`",
                        p.ty.csdl(),
                        evidence.csdl()
                    ),
                )
                .with_related(db.span_at(at), "listed here")
                .with_help("write the type cell as `[x](x.md) collection`"),
            );
            p.ty = evidence.clone();
        }
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_segments() {
        assert_eq!(
            shape("/users/{id | userPrincipalName}/joinedTeams"),
            "/users/{}/joinedteams"
        );
        assert_eq!(shape("/me/"), "/me");
        assert_eq!(shape(""), "/");
        assert!(plain_segment("joinedTeams"));
        assert!(!plain_segment("{id}"));
        assert!(!plain_segment("microsoft.graph.user"));
        assert!(!plain_segment("$value"));
        assert!(!plain_segment("delta()"));
        assert!(plural("allowedGroups") && plural("connectors"));
        assert!(!plural("status") && !plural("analytics") && !plural("settings") && !plural("address"));
    }
}
