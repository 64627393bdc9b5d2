//! Endpoints that share a title (`List owners` of an application and of a
//! group; `Update profilePhoto` by `PATCH` and by `PUT`) get names that say
//! what tells them apart, never a counter: the method when that differs, else
//! the nearest segments that address each one's owner (`… for group`,
//! `… for calendar`).

use super::naming::{to_rust_name, Case};
use super::operations::{common_suffix, owner_words, segments};
use crate::ir::Endpoint;
use std::collections::BTreeMap;

/// The wanted name of each endpoint (title words, before the naming
/// authority's collision check), parallel to `endpoints`.
pub(super) fn wanted_names(endpoints: &[Endpoint]) -> Vec<String> {
    let mut out: Vec<String> = endpoints.iter().map(|e| e.name.clone()).collect();
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, e) in endpoints.iter().enumerate() {
        groups
            .entry(to_rust_name(&e.name, Case::Shouty).to_ascii_lowercase())
            .or_default()
            .push(i);
    }
    for members in groups.values().filter(|m| m.len() > 1) {
        let group: Vec<&Endpoint> = members.iter().map(|&i| &endpoints[i]).collect();
        for (&i, q) in members.iter().zip(qualifiers(&group)) {
            if !q.is_empty() {
                out[i] = format!("{} {q}", endpoints[i].name);
            }
        }
    }
    out
}

/// What tells each endpoint of a same-titled group apart: its method when
/// all methods differ, else `for` and the fewest trailing owner words that
/// make it unique (plus the method where owners tie). Empty where nothing does.
fn qualifiers(group: &[&Endpoint]) -> Vec<String> {
    let methods: Vec<&str> = group.iter().map(|e| e.method.as_str()).collect();
    if distinct(&methods) {
        return methods.iter().map(|m| m.to_ascii_lowercase()).collect();
    }
    let segs: Vec<Vec<String>> = group.iter().map(|e| segments(&e.path)).collect();
    let common = common_suffix(&segs);
    let owners: Vec<Vec<String>> = segs.iter().map(|s| owner_words(s, s.len() - common)).collect();
    let longest = owners.iter().map(Vec::len).max().unwrap_or(0);
    let mut names: Vec<String> = Vec::new();
    for k in 1..=longest.max(1) {
        names = owners
            .iter()
            .map(|w| w[w.len().saturating_sub(k)..].join(" "))
            .collect();
        if distinct(&names) {
            break;
        }
    }
    names
        .iter()
        .zip(&methods)
        .map(|(n, m)| {
            let tied = names.iter().filter(|o| *o == n).count() > 1;
            match (n.is_empty(), tied) {
                (true, _) => String::new(),
                (false, false) => format!("for {n}"),
                (false, true) => format!("for {n} {}", m.to_ascii_lowercase()),
            }
        })
        .collect()
}

fn distinct(xs: &[impl AsRef<str>]) -> bool {
    let mut seen: Vec<String> = Vec::new();
    xs.iter().all(|x| {
        let k = x.as_ref().to_ascii_lowercase();
        let new = !seen.contains(&k);
        seen.push(k);
        new
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(name: &str, method: &str, path: &str) -> Endpoint {
        Endpoint {
            name: name.into(),
            method: method.into(),
            path: path.into(),
            ..Default::default()
        }
    }

    #[test]
    fn same_titles_are_told_apart_by_owner_or_method() {
        let eps = [
            endpoint("List events", "GET", "/groups/{groupId}/events"),
            endpoint("List events", "GET", "/me/calendar/events"),
            endpoint("List events", "GET", "/me/events"),
            endpoint("Update photo", "PATCH", "/me/photo/$value"),
            endpoint("Update photo", "PUT", "/me/photo/$value"),
            endpoint("Get user", "GET", "/users/{userId}"),
        ];
        assert_eq!(
            wanted_names(&eps),
            [
                "List events for group",
                "List events for calendar",
                "List events for me",
                "Update photo patch",
                "Update photo put",
                "Get user",
            ]
        );
    }

    #[test]
    fn owners_tied_on_the_last_word_take_more_words() {
        let eps = [
            endpoint("Assign", "POST", "/a/policies/{id}/x/assign"),
            endpoint("Assign", "POST", "/b/policies/{id}/x/assign"),
            endpoint("Assign", "POST", "/c/x/assign"),
        ];
        assert_eq!(
            wanted_names(&eps),
            ["Assign for a policy", "Assign for b policy", "Assign for c"]
        );
    }
}
