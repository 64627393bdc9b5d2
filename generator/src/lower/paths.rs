//! Request lines with named holes: every hole of a request line gets a
//! distinct, language-neutral name (camelCase, as Graph names things), so a
//! path has exactly its `parameters` as holes, in order.
//!
//! The docs write holes loosely: `{id}` for every key, the same `{id}` twice
//! in one path (`/me/drive/items/{id}/workbook/worksheets/{id}`), `{id |
//! userPrincipalName}` for a key with two forms, `{n}` for function
//! arguments. A generic or repeated key hole is named after the segment that
//! addresses it (`worksheets/{id}` → `worksheetId`), an argument after its
//! parameter (`itemAt(index={n})` → `index`), anything else after what the
//! docs wrote (`{drive-id}` → `driveId`).

use crate::ir::{path_holes, Endpoint, HoleKind, Model, PathParameter, RequestLine};
use crate::plural::member_of;
use std::ops::Range;

/// Names the holes of every endpoint's request lines; alternates that become
/// the same line as another are dropped.
pub(super) fn name_holes(model: &mut Model) {
    for e in &mut model.endpoints {
        name_endpoint(e);
    }
}

fn name_endpoint(e: &mut Endpoint) {
    let mut params = Vec::new();
    let main = rename(&e.path, &mut params);
    let mut alternates: Vec<RequestLine> = Vec::new();
    for a in std::mem::take(&mut e.alternate_paths) {
        let mut line = rename(&a.path, &mut params);
        line.from_example = a.from_example;
        if line.path != main.path && !alternates.iter().any(|l| l.path == line.path) {
            alternates.push(line);
        }
    }
    e.path = main.path;
    e.parameters = main.parameters;
    e.alternate_paths = alternates;
    e.path_parameters = params;
}

/// One line's holes renamed; each parameter's docs recorded in `params`.
pub(crate) fn rename(path: &str, params: &mut Vec<PathParameter>) -> RequestLine {
    let holes = path_holes(path);
    let mut names: Vec<String> = Vec::with_capacity(holes.len());
    let mut out = String::with_capacity(path.len());
    let mut at = 0;
    for (range, written) in &holes {
        let repeated = holes.iter().filter(|(_, w)| w == written).count() > 1;
        let kind = hole_kind(path, range);
        let mut name = hole_name(path, range, written, kind, repeated);
        if names.contains(&name) {
            name = disambiguate(path, range.start, &name, &names);
        }
        record(params, &name, written, kind, is_quoted(path, range));
        out.push_str(&path[at..range.start]);
        out.push('{');
        out.push_str(&name);
        out.push('}');
        at = range.end;
        names.push(name);
    }
    out.push_str(&path[at..]);
    RequestLine {
        path: out,
        parameters: names,
        from_example: false,
    }
}

fn record(params: &mut Vec<PathParameter>, name: &str, written: &str, kind: HoleKind, quoted: bool) {
    let written = written.trim().to_owned();
    match params.iter_mut().find(|p| p.name == name) {
        Some(p) => {
            if !p.written.contains(&written) {
                p.written.push(written);
            }
            p.quoted |= quoted;
        }
        None => params.push(PathParameter {
            name: name.to_owned(),
            kind,
            written: vec![written],
            quoted,
        }),
    }
}

fn hole_kind(path: &str, range: &Range<usize>) -> HoleKind {
    let before = &path[..range.start];
    let after = &path[range.end..];
    if argument_key(before).is_some() || before.ends_with('(') || before.ends_with("('") {
        HoleKind::Argument
    } else if before.ends_with(":/") {
        HoleKind::ItemPath
    } else if before.ends_with('/') && (after.is_empty() || after.starts_with(['/', ':'])) {
        HoleKind::Key
    } else {
        HoleKind::Text
    }
}

fn is_quoted(path: &str, range: &Range<usize>) -> bool {
    path[..range.start].ends_with('\'') && path[range.end..].starts_with('\'')
}

fn hole_name(path: &str, range: &Range<usize>, written: &str, kind: HoleKind, repeated: bool) -> String {
    let first = first_form(written);
    match kind {
        HoleKind::Argument => argument_key(&path[..range.start]).map_or_else(|| camel(first), camel),
        HoleKind::Key if repeated || is_generic(first) => match addressing_segment(&path[..range.start]) {
            // `names/{name}` is a `name`, not a `nameName`.
            Some(seg) => {
                let member = camel(&member_of(seg));
                if member.eq_ignore_ascii_case(first) {
                    member
                } else {
                    format!("{member}{}", upper_first(&camel(first)))
                }
            }
            None => camel(first),
        },
        _ => camel(first),
    }
}

/// `{id | userPrincipalName}` → `id`; `{user-id} | user-principal-name` keeps `user-id`.
fn first_form(written: &str) -> &str {
    let first = written.split('|').next().unwrap_or(written).trim();
    if first.is_empty() {
        "value"
    } else {
        first
    }
}

/// A hole that names nothing by itself: `{id}`, `{name}`, `{key}`.
fn is_generic(first: &str) -> bool {
    ["id", "name", "key"].iter().any(|g| first.eq_ignore_ascii_case(g))
}

/// The literal segment before `/{…}`: `users` in `/users/{id}`. None when it
/// is itself a hole, a function call, a cast or an item path.
fn addressing_segment(before: &str) -> Option<&str> {
    let seg = before.strip_suffix('/')?.rsplit('/').next()?;
    (!seg.is_empty() && seg.chars().all(|c| c.is_ascii_alphanumeric())).then_some(seg)
}

/// The parameter name of `name={` or `name='{` inside a call's parentheses.
fn argument_key(before: &str) -> Option<&str> {
    let open = before.rfind('(')?;
    if before[open..].contains(')') {
        return None;
    }
    let b = before
        .strip_suffix('\'')
        .unwrap_or(before)
        .strip_suffix('=')?
        .trim_end();
    let start = b
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    (start < b.len() && start > open).then(|| &b[start..])
}

/// A second hole with a taken name: prefixed with the segment that addresses
/// the hole before it (`/groups/{id}/members/{id}/members/{id}`:
/// `memberId`, then `memberMemberId`); as a last resort, by position.
fn disambiguate(path: &str, start: usize, name: &str, taken: &[String]) -> String {
    let before = &path[..start];
    let outer = before
        .trim_end_matches('/')
        .rsplit_once('/')
        .and_then(|(head, _)| head.rsplit_once('/').map(|(h, _)| h))
        .and_then(|h| h.rsplit('/').next())
        .filter(|s| s.chars().all(|c| c.is_ascii_alphanumeric()) && !s.is_empty());
    if let Some(outer) = outer {
        let candidate = format!("{}{}", camel(&member_of(outer)), upper_first(name));
        if !taken.contains(&candidate) {
            return candidate;
        }
    }
    let ordinals = ["second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"];
    for o in ordinals {
        let candidate = format!("{o}{}", upper_first(name));
        if !taken.contains(&candidate) {
            return candidate;
        }
    }
    format!("{name}At{start}")
}

/// `drive-id`, `period_value`, `Id`, `item path` → `driveId`, `periodValue`, `id`, `itemPath`.
fn camel(written: &str) -> String {
    let mut out = String::with_capacity(written.len());
    for (i, part) in written
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        if i == 0 {
            let mut cs = part.chars();
            if let Some(c) = cs.next() {
                out.extend(c.to_lowercase());
                out.push_str(cs.as_str());
            }
        } else {
            out.push_str(&upper_first(part));
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "value");
    }
    out
}

fn upper_first(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) => c.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(path: &str) -> (String, Vec<String>) {
        let l = rename(path, &mut Vec::new());
        (l.path, l.parameters)
    }

    #[test]
    fn repeated_and_generic_keys_are_named_by_their_segment() {
        assert_eq!(
            line("/me/drive/items/{id}/workbook/worksheets/{id}/range"),
            (
                "/me/drive/items/{itemId}/workbook/worksheets/{worksheetId}/range".into(),
                vec!["itemId".into(), "worksheetId".into()]
            )
        );
        assert_eq!(line("/users/{id | userPrincipalName}").0, "/users/{userId}");
        assert_eq!(line("/policies/{id}").0, "/policies/{policyId}");
        assert_eq!(
            line("/classes/{id}/schools/{id}").0,
            "/classes/{classId}/schools/{schoolId}"
        );
        assert_eq!(
            line("/groups/{id}/owners/{id}/$ref").0,
            "/groups/{groupId}/owners/{ownerId}/$ref"
        );
        assert_eq!(line("/workbook/names/{name}").0, "/workbook/names/{name}");
        assert_eq!(line("/charts/{name}/image").0, "/charts/{chartName}/image");
    }

    #[test]
    fn specific_names_are_kept_in_camel_case() {
        assert_eq!(
            line("/drives/{drive-id}/items/{item_id}").0,
            "/drives/{driveId}/items/{itemId}"
        );
        assert_eq!(line("/teams/{teamId}").0, "/teams/{teamId}");
    }

    #[test]
    fn arguments_item_paths_and_collisions() {
        let mut params = Vec::new();
        let l = rename(
            "/sheets/{id}/range(address={address})/itemAt(index={n})/x(a='{p}')",
            &mut params,
        );
        assert_eq!(
            l.path,
            "/sheets/{sheetId}/range(address={address})/itemAt(index={index})/x(a='{a}')"
        );
        assert!(params
            .iter()
            .any(|p| p.name == "a" && p.quoted && p.kind == HoleKind::Argument));
        assert_eq!(
            line("/resizedRange(deltaRows={n}, deltaColumns={n})").1,
            vec!["deltaRows", "deltaColumns"]
        );
        let mut params = Vec::new();
        rename("/me/drive/root:/{item-path}:/content", &mut params);
        assert_eq!(params[0].kind, HoleKind::ItemPath);
        assert_eq!(params[0].name, "itemPath");
        assert_eq!(
            line("/groups/{id}/members/{id}/members/{id}").1,
            vec!["groupId", "memberId", "memberMemberId"]
        );
    }

    #[test]
    fn every_hole_is_distinct_and_listed() {
        for p in ["/a/{id}/b/{id}/c/{id}", "/{x}/{x}", "/f(a={n},b={n},c={n})", "/x/{}/{}"] {
            let (path, names) = line(p);
            let holes: Vec<&str> = path_holes(&path).into_iter().map(|(_, h)| h).collect();
            assert_eq!(holes, names, "{p}");
            let mut sorted = names.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), names.len(), "{p}: {names:?}");
        }
    }
}
