//! Request lines that only an example writes. A page's example request whose
//! path none of the page's request lines fits (`GET /me/ownedDevices` under
//! the documented `GET /users/{id}/ownedDevices`) is a doc defect, reported
//! in parse; when the path is made of segments the docs use elsewhere, it is
//! also a line Graph serves, so it joins the operation's request lines,
//! marked `fromExample`, with its literal function arguments as holes
//! (`rowsAbove(count=2)` → `rowsAbove(count={count})`).
//!
//! Not adopted: a path another documented line already fits (its case or a
//! trailing `/` differ: a typo, not a line), a path with a segment no
//! documented line has (an example's own id, `AAMkAGI1…=`, or a drive path),
//! and a path that ends in another name than the operation's lines (`POST
//! /calls` under `POST /communications/calls/{id}/answer` is another
//! operation's request).

use crate::ir::{path_holes, path_shape, Endpoint, RequestLine};
use crate::parse::http::{matches_template, segment_count};
use std::collections::{BTreeMap, HashMap, HashSet};

/// An unfit example path of the endpoint under `key` (path, method).
pub(super) struct Candidate {
    pub key: (String, String),
    pub template: String,
}

type Endpoints = BTreeMap<(String, String), (Endpoint, bool)>;

/// Adds each adoptable candidate to its endpoint's alternate lines.
pub(super) fn adopt(endpoints: &mut Endpoints, candidates: Vec<Candidate>) {
    let vocabulary: HashSet<String> = endpoints
        .values()
        .flat_map(|(e, _)| e.paths().flat_map(|l| segment_names(l)).collect::<Vec<_>>())
        .collect();
    let mut lines = Lines::of(endpoints);
    for c in candidates {
        let Some(line) = generalise(&c.template, &vocabulary) else {
            continue;
        };
        let method = &c.key.1;
        if lines.taken(method, &c.template, &line) {
            continue;
        }
        if let Some((e, _)) = endpoints.get_mut(&c.key).filter(|(e, _)| same_target(e, &line)) {
            let parameters = path_holes(&line).into_iter().map(|(_, h)| h.to_owned()).collect();
            lines.add(method, &line);
            e.alternate_paths.push(RequestLine {
                path: line,
                parameters,
                from_example: true,
            });
        }
    }
}

/// Every request line by method and number of segments (a template fits
/// only a path of as many), with the set of their shapes by method: whether
/// a candidate is taken is asked of every line of its method, so the shapes
/// are computed once, not once per candidate and line.
struct Lines {
    by_method: HashMap<String, MethodLines>,
}

/// The lines of one method by segment count, and their shapes.
type MethodLines = (HashMap<usize, Vec<String>>, HashSet<String>);

impl Lines {
    fn of(endpoints: &Endpoints) -> Lines {
        let mut lines = Lines {
            by_method: HashMap::new(),
        };
        for ((_, method), (e, _)) in endpoints {
            e.paths().for_each(|l| lines.add(method, l));
        }
        lines
    }

    fn add(&mut self, method: &str, line: &str) {
        let (all, shapes) = match self.by_method.get_mut(method) {
            Some(entry) => entry,
            None => self.by_method.entry(method.to_owned()).or_default(),
        };
        all.entry(segment_count(line)).or_default().push(line.to_owned());
        shapes.insert(path_shape(line));
    }

    /// Whether a line of `method` fits the example path `template` or has
    /// the shape of its generalised `line`.
    fn taken(&self, method: &str, template: &str, line: &str) -> bool {
        self.by_method.get(method).is_some_and(|(all, shapes)| {
            shapes.contains(&path_shape(line))
                || all
                    .get(&segment_count(template))
                    .is_some_and(|ls| ls.iter().any(|l| matches_template(l, template)))
        })
    }
}

/// Whether `line` ends as one of `e`'s lines ends: the same last name
/// (singular or plural, any case; casts and holes looked through), a key
/// last on both or neither, and the same trailing `$ref`/`$value`/`$count`,
/// if any (`POST …/deviceStatuses`
/// creates, `POST …/deviceStatuses/$ref` adds a reference).
fn same_target(e: &Endpoint, line: &str) -> bool {
    let target = last_name(line);
    e.paths().any(|l| last_name(l) == target)
}

fn last_name(line: &str) -> (Option<String>, Option<String>, bool) {
    // `…/widgets` lists, `…/widgets/{id}` addresses one: not the same target.
    let keyed = line
        .split('/')
        .rev()
        .find(|s| !s.is_empty() && !s.starts_with('$'))
        .is_some_and(|s| s.starts_with('{'));
    let names = segment_names(line);
    let dollar = names
        .last()
        .filter(|s| s.starts_with('$'))
        .map(|s| s.to_ascii_lowercase());
    let name = names
        .into_iter()
        .rev()
        .find(|s| !s.starts_with('$') && !s.contains('.'))
        .map(|s| crate::plural::member_of(&s.to_ascii_lowercase()));
    (name, dollar, keyed)
}

/// The literal names of a line's segments: `range(address='{a}')` → `range`;
/// holes left out.
fn segment_names(line: &str) -> Vec<String> {
    line.split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .map(|s| s.split('(').next().unwrap_or(s).to_owned())
        .collect()
}

/// The example path as a request line, or `None` when a segment is not one
/// the docs use (case and all) or the path is malformed.
fn generalise(template: &str, vocabulary: &HashSet<String>) -> Option<String> {
    if template.len() > 1 && template.ends_with('/') || template.contains("//") {
        return None;
    }
    let mut out = String::with_capacity(template.len());
    for seg in template.split('/').skip(1) {
        out.push('/');
        if seg.starts_with('{') && seg.ends_with('}') {
            out.push_str(seg);
            continue;
        }
        let (name, args) = match seg.split_once('(') {
            Some((n, rest)) => (n, Some(rest.strip_suffix(')')?)),
            None => (seg, None),
        };
        if !vocabulary.contains(name) {
            return None;
        }
        out.push_str(name);
        if let Some(args) = args {
            out.push('(');
            out.push_str(&arguments(args)?);
            out.push(')');
        }
    }
    Some(out)
}

/// `count=2, address='A1'` → `count={count},address='{address}'`; holes kept.
fn arguments(args: &str) -> Option<String> {
    if args.trim().is_empty() {
        return Some(String::new());
    }
    let mut out = Vec::new();
    for arg in split_args(args) {
        let (k, v) = arg.split_once('=')?;
        let (k, v) = (k.trim(), v.trim());
        if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        out.push(if v.contains('{') {
            format!("{k}={v}")
        } else if v.starts_with('\'') {
            format!("{k}='{{{k}}}'")
        } else {
            format!("{k}={{{k}}}")
        });
    }
    Some(out.join(","))
}

/// Splits on commas outside single quotes.
fn split_args(args: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in args.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(&args[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&args[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> HashSet<String> {
        [
            "me",
            "drive",
            "root",
            "workbook",
            "worksheets",
            "range",
            "rowsAbove",
            "ownedDevices",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect()
    }

    #[test]
    fn known_segments_make_a_line_with_literal_arguments_as_holes() {
        assert_eq!(
            generalise("/me/ownedDevices", &vocab()).as_deref(),
            Some("/me/ownedDevices")
        );
        assert_eq!(
            generalise(
                "/me/drive/root/workbook/worksheets/{id}/range(address='A1:B2')/rowsAbove(count=2)",
                &vocab()
            )
            .as_deref(),
            Some("/me/drive/root/workbook/worksheets/{id}/range(address='{address}')/rowsAbove(count={count})")
        );
    }

    #[test]
    fn unknown_segments_case_typos_and_trailing_slashes_are_not_lines() {
        assert_eq!(generalise("/me/AAMkAGI1=/ownedDevices", &vocab()), None);
        assert_eq!(generalise("/me/owneddevices", &vocab()), None);
        assert_eq!(generalise("/me/ownedDevices/", &vocab()), None);
        assert_eq!(generalise("/me/range(A1)", &vocab()), None);
    }

    #[test]
    fn a_path_another_line_fits_is_not_adopted() {
        let mut eps: Endpoints = BTreeMap::new();
        let ep = |path: &str| Endpoint {
            method: "GET".into(),
            path: path.into(),
            ..Default::default()
        };
        eps.insert(
            ("/users/{id}/ownedDevices".into(), "GET".into()),
            (ep("/users/{id}/ownedDevices"), false),
        );
        eps.insert(
            ("/me/ownedDevices".into(), "GET".into()),
            (ep("/me/ownedDevices"), false),
        );
        eps.insert(("/users".into(), "GET".into()), (ep("/users"), false));
        let key = ("/users".to_owned(), "GET".to_owned());
        let c = |t: &str| Candidate {
            key: key.clone(),
            template: t.into(),
        };
        adopt(
            &mut eps,
            vec![
                c("/me/ownedDevices/"),
                c("/me/OwnedDevices"),
                c("/users/{u}/ownedDevices"),
            ],
        );
        assert!(eps[&key].0.alternate_paths.is_empty());
        adopt(&mut eps, vec![c("/me/users")]);
        assert_eq!(
            eps[&key].0.alternate_paths.len(),
            1,
            "`me` and `users` are both documented segments"
        );
        assert!(eps[&key].0.alternate_paths[0].from_example);
    }
}
