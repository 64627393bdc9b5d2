//! Rust names of operations: the operation type, one constructor per request
//! line named for what the line addresses (`me`, `user`, `group_calendar`),
//! one argument per hole, the parameter struct of an action's body and its
//! fields, and a setter per documented request header.

use super::layout;
use super::naming::{to_rust_name as ident, Case, EndpointNames};
use crate::ir::{Endpoint, Model};
use std::collections::HashSet;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestLineNames {
    pub constructor: String,
    /// One per hole of the line, in order.
    pub arguments: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
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
    model
        .endpoints
        .iter()
        .zip(endpoints)
        .zip(types)
        .map(|((e, n), type_name)| {
            let body_struct = unique(&mut taken, format!("{type_name}Body"), "Parameters");
            let (body_fields, body_rest) = body_fields(e);
            OperationNames {
                body_struct,
                body_fields,
                body_rest,
                header_setters: header_setters(e),
                type_name,
                endpoint_constant: n.constant.clone(),
                lines: line_names(e),
            }
        })
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

/// The segments of a path, with every hole written `{}`.
fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            crate::ir::path_shape(&format!("/{s}"))
                .trim_start_matches('/')
                .to_owned()
        })
        .collect()
}

fn line_names(e: &Endpoint) -> Vec<RequestLineNames> {
    let lines: Vec<(&String, &Vec<String>)> = std::iter::once((&e.path, &e.parameters))
        .chain(e.alternate_paths.iter().map(|l| (&l.path, &l.parameters)))
        .collect();
    let segs: Vec<Vec<String>> = lines.iter().map(|(p, _)| segments(p)).collect();
    let common = common_suffix(&segs);
    let mut used: HashSet<String> = HashSet::new();
    lines
        .iter()
        .zip(&segs)
        .map(|((path, params), s)| {
            let wanted = if lines.len() == 1 {
                // `new` would have to return `Self`; a call is built.
                "call".to_owned()
            } else {
                let owner = words(&s[..s.len() - common]);
                if owner.is_empty() {
                    words(s)
                } else {
                    owner
                }
            };
            let mut constructor = ident(&wanted, Case::Snake);
            if !used.insert(constructor.clone()) {
                constructor = ident(&format!("{wanted} {}", words(&segments(path))), Case::Snake);
                let mut n = 2;
                while !used.insert(constructor.clone()) {
                    constructor = ident(&format!("{wanted} line {n}"), Case::Snake);
                    n += 1;
                }
            }
            RequestLineNames {
                constructor,
                arguments: arguments(params),
            }
        })
        .collect()
}

/// How many trailing segments every line shares.
fn common_suffix(segs: &[Vec<String>]) -> usize {
    let shortest = segs.iter().map(Vec::len).min().unwrap_or(0);
    (0..shortest)
        .take_while(|k| {
            let at = |s: &Vec<String>| s[s.len() - 1 - k].to_ascii_lowercase();
            segs.iter().all(|s| at(s) == at(&segs[0]))
        })
        .count()
}

/// `users/{}/calendars/{}` → `user calendar`; `me/drive/root:` → `me drive root`.
fn words(segs: &[String]) -> String {
    let mut out: Vec<String> = Vec::new();
    for (i, s) in segs.iter().enumerate() {
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
        out.push(if keyed { singular(&word) } else { word });
    }
    out.join(" ")
}

fn singular(word: &str) -> String {
    for sibilant in ["sses", "ches", "shes", "xes"] {
        if word.ends_with(sibilant) {
            return word[..word.len() - 2].to_owned();
        }
    }
    if let Some(s) = word.strip_suffix("ies") {
        return format!("{s}y");
    }
    match word.strip_suffix('s') {
        Some(s) if !word.ends_with("ss") && !word.ends_with("us") => s.to_owned(),
        _ => word.to_owned(),
    }
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
        line_names(&e).into_iter().map(|l| l.constructor).collect()
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
        assert_eq!(names(&["/me", "/users/{id | userPrincipalName}"]), vec!["me", "user"]);
    }
}
