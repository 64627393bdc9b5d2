//! Rust names of operations: the operation type, one constructor per request
//! line named for what the line addresses (`me`, `user`, `group_calendar`),
//! one argument per hole, the parameter struct of an action's body and its
//! fields, and a setter per documented request header.

use super::layout;
use super::naming::{to_rust_name as ident, Case, EndpointNames};
use crate::ir::{Endpoint, Model};
use crate::plural::member_of;
use std::collections::HashSet;

#[derive(Clone, Debug, PartialEq, Hash, Eq)]
pub struct RequestLineNames {
    pub constructor: String,
    /// One per hole of the line, in order.
    pub arguments: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Hash, Eq)]
pub struct OperationNames {
    pub type_name: String,
    pub endpoint_constant: String,
    /// The main request line first, then the alternates in IR order.
    pub lines: Vec<RequestLineNames>,
    /// The struct of the body's parameters (`UserAssignLicenseBody`), its
    /// fields parallel to `operation.body_parameters`, and the field that
    /// keeps undeclared properties.
    pub body_struct: String,
    pub body_fields: Vec<String>,
    pub body_rest: String,
    /// Per `operation.request_headers`: its setter on `Call`, `None` for a
    /// header the body or transport sets (`Content-Type`, `Authorization`).
    pub header_setters: Vec<Option<String>>,
}

/// Methods `Call` has whatever the operation: a header setter must not take them.
const CALL_METHODS: &[&str] = &[
    "method",
    "path",
    "query",
    "headers",
    "body",
    "body_mut",
    "query_param",
    "header",
    "target",
    "to_request",
    "from_parts",
    "select",
    "expand",
    "order_by",
    "filter",
    "search",
    "top",
    "skip",
    "count",
    "skip_token",
    "next_page",
    "clone",
    "eq",
    "fmt",
];

/// Headers a call never sets by hand: the transport and the body decide them.
const IMPLIED_HEADERS: &[&str] = &["authorization", "content-type", "content-length", "host"];

/// Names for every endpoint, parallel to `model.endpoints`; an operation
/// type never takes a name the operation files import.
pub fn assign(model: &Model, endpoints: &[EndpointNames]) -> Vec<OperationNames> {
    let mut taken: HashSet<String> = layout::OPERATION_FILE_IMPORTS
        .iter()
        .map(|s| s.to_ascii_lowercase())
        .collect();
    let types: Vec<String> = endpoints
        .iter()
        .map(|n| {
            let mut type_name = ident(&n.constant, Case::Pascal);
            // Constants are unique case-insensitively; their Pascal forms
            // can still meet (`A_B1` / `AB_1`): keep the constant's words.
            if !taken.insert(type_name.to_ascii_lowercase()) {
                type_name = format!("{type_name}Op");
                taken.insert(type_name.to_ascii_lowercase());
            }
            type_name
        })
        .collect();
    // Each endpoint's own names in parallel (the request lines' are most
    // of the plan); only the body structs share `taken`, in order.
    use rayon::prelude::*;
    let own: Vec<_> = model
        .endpoints
        .par_iter()
        .zip(&types)
        .map(|(e, type_name)| (line_names(e, type_name), body_fields(e), header_setters(e)))
        .collect();
    own.into_iter()
        .zip(endpoints)
        .zip(types)
        .map(
            |(((lines, (body_fields, body_rest), header_setters), n), type_name)| OperationNames {
                body_struct: unique(&mut taken, format!("{type_name}Body"), "Parameters"),
                body_fields,
                body_rest,
                header_setters,
                type_name,
                endpoint_constant: n.constant.clone(),
                lines,
            },
        )
        .collect()
}

/// `wanted`, or `wanted` + `suffix` … when an operation type has it.
fn unique(taken: &mut HashSet<String>, wanted: String, suffix: &str) -> String {
    let mut name = wanted;
    while !taken.insert(name.to_ascii_lowercase()) {
        name.push_str(suffix);
    }
    name
}

/// Snake-case fields of the body parameters, distinct; the rest field last.
fn body_fields(e: &Endpoint) -> (Vec<String>, String) {
    let mut used: HashSet<String> = HashSet::new();
    let fields = e
        .operation
        .body_parameters
        .iter()
        .map(|p| {
            let mut f = ident(&p.name, Case::Snake);
            while !used.insert(f.trim_start_matches("r#").to_owned()) {
                f = format!("{}_", f.trim_start_matches("r#"));
            }
            f
        })
        .collect();
    let mut rest = super::naming::ADDITIONAL_FIELD.to_owned();
    while used.contains(&rest) {
        rest.push('_');
    }
    (fields, rest)
}

fn header_setters(e: &Endpoint) -> Vec<Option<String>> {
    let mut used: HashSet<String> = CALL_METHODS.iter().map(|s| (*s).to_owned()).collect();
    e.operation
        .request_headers
        .iter()
        .map(|h| {
            if IMPLIED_HEADERS.contains(&h.name.to_ascii_lowercase().as_str()) {
                return None;
            }
            let mut f = ident(&h.name, Case::Snake);
            if used.contains(&f) {
                f = format!("{f}_header");
            }
            while !used.insert(f.clone()) {
                f.push('_');
            }
            Some(f)
        })
        .collect()
}

/// The segments of a path, case kept, with every hole written `{}`.
pub(super) fn segments(path: &str) -> Vec<String> {
    crate::ir::blank_holes(path)
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Constructor names, distinct, never the type's own name in snake case
/// (`UserReminderView::user_reminder_view` would read as a second `new`).
fn line_names(e: &Endpoint, type_name: &str) -> Vec<RequestLineNames> {
    let lines: Vec<(&String, &Vec<String>)> = std::iter::once((&e.path, &e.parameters))
        .chain(e.alternate_paths.iter().map(|l| (&l.path, &l.parameters)))
        .collect();
    let segs: Vec<Vec<String>> = lines.iter().map(|(p, _)| segments(p)).collect();
    let common = common_suffix(&segs);
    let wanted: Vec<String> = if lines.len() == 1 {
        // `new` would have to return `Self`; a call is built.
        vec!["call".to_owned()]
    } else {
        segs.iter()
            .map(|s| {
                let w = words(s, s.len() - common);
                if w.is_empty() {
                    words(s, s.len())
                } else {
                    w
                }
            })
            .collect()
    };
    let shared = |w: &String| wanted.iter().filter(|x| x.eq_ignore_ascii_case(w)).count() > 1;
    let mut used: HashSet<String> = [ident(type_name, Case::Snake)].into_iter().collect();
    lines
        .iter()
        .zip(&segs)
        .zip(&wanted)
        .map(|(((_, params), s), w)| {
            // Two lines that address the same words differ by a key: the
            // keyed one says so (`me_calendar()` for `/me/calendar/…`,
            // `me_calendar_by_calendar_id(…)` for `/me/calendars/{id}/…`).
            let keyed = s[..s.len() - common].last().is_some_and(|x| x.starts_with("{}"));
            let mut candidates = vec![];
            match params.last() {
                Some(p) if shared(w) && keyed => candidates.push(format!("{w} by {p}")),
                _ => candidates.push(w.clone()),
            }
            candidates.push(words(s, s.len()));
            let constructor = candidates
                .into_iter()
                .chain((2..).map(|n| format!("{w} line {n}")))
                .map(|c| ident(&c, Case::Snake))
                .find(|c| !used.contains(c))
                .unwrap_or_default();
            used.insert(constructor.clone());
            RequestLineNames {
                constructor,
                arguments: arguments(params),
            }
        })
        .collect()
}

/// How many trailing segments every line shares.
pub(super) fn common_suffix(segs: &[Vec<String>]) -> usize {
    let shortest = segs.iter().map(Vec::len).min().unwrap_or(0);
    (0..shortest)
        .take_while(|k| {
            // Function segments compare by name: `f(a=x)` and `f(a='{a}')` are one.
            let at = |s: &Vec<String>| {
                let seg = &s[s.len() - 1 - k];
                seg.split('(').next().unwrap_or(seg).to_ascii_lowercase()
            };
            segs.iter().all(|s| at(s) == at(&segs[0]))
        })
        .count()
}

/// `users/{}/calendars/{}` → `user calendar`; `me/drive/root:` → `me drive root`.
fn words(segs: &[String], n: usize) -> String {
    owner_words(segs, n).join(" ")
}

/// The words of the first `n` of `segs` that name what they address: holes
/// and `$` segments dropped, a collection singular where a hole keys it
/// (`users/{}` → `user`, even as the last of the `n`).
pub(super) fn owner_words(segs: &[String], n: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, s) in segs.iter().enumerate().take(n) {
        if s.starts_with("{}") || s.starts_with('$') {
            continue;
        }
        let word: String = s
            .split(['(', ':', '.'])
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        if word.is_empty() {
            continue;
        }
        let keyed = segs.get(i + 1).is_some_and(|n| n.starts_with("{}"));
        out.push(if keyed { member_of(&word) } else { word });
    }
    out
}

/// Snake-case argument names, distinct, never `body`.
fn arguments(params: &[String]) -> Vec<String> {
    let mut used: HashSet<String> = ["body".to_owned()].into_iter().collect();
    params
        .iter()
        .map(|p| {
            let mut a = ident(p, Case::Snake);
            while !used.insert(a.clone()) {
                a = format!("{}_", a.trim_start_matches("r#"));
            }
            a
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(paths: &[&str]) -> Vec<String> {
        let mut e = Endpoint {
            id: Default::default(),
            name: String::new(),
            method: "GET".into(),
            path: String::new(),
            alternate_paths: Vec::new(),
            parameters: Vec::new(),
            path_parameters: Vec::new(),
            request_type: None,
            response_type: None,
            success_status: None,
            permissions: Vec::new(),
            api_versions: Vec::new(),
            workload: None,
            sources: Vec::new(),
            operation: Default::default(),
        };
        let lines: Vec<_> = paths
            .iter()
            .map(|p| crate::lower::paths::rename(p, &mut Vec::new()))
            .collect();
        e.path = lines[0].path.clone();
        e.parameters = lines[0].parameters.clone();
        e.alternate_paths = lines[1..].to_vec();
        line_names(&e, "Op").into_iter().map(|l| l.constructor).collect()
    }

    #[test]
    fn constructors_name_the_owner() {
        assert_eq!(
            names(&["/users/{id}/assignLicense", "/me/assignLicense"]),
            vec!["user", "me"]
        );
        assert_eq!(
            names(&[
                "/me/events/{id}",
                "/users/{id}/events/{id}",
                "/me/calendars/{id}/events/{id}"
            ]),
            vec!["me", "user", "me_calendar"]
        );
        assert_eq!(names(&["/users"]), vec!["call"]);
        assert_eq!(
            names(&[
                "/me/calendar/events",
                "/users/{id}/calendar/events",
                "/me/calendars/{id}/events",
                "/users/{id}/calendars/{id}/events"
            ]),
            vec![
                "me_calendar",
                "user_calendar",
                "me_calendar_by_calendar_id",
                "user_calendar_by_calendar_id"
            ]
        );
        assert_eq!(names(&["/me", "/users/{id | userPrincipalName}"]), vec!["me", "user"]);
    }
}
