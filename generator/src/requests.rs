//! The docs' example requests as typed calls: each example's target read
//! back into the values of its operation's request line (one per hole) and
//! its query pairs, and the target those values rebuild. An example whose
//! rebuilt target is not the one written is a miss with a stated reason (a
//! doc defect: a trailing slash, a segment in another case, an unquoted
//! string argument). Language-neutral: emit turns each [`CallExample`] into
//! a constructor call in the generated crate's `tests/requests.rs`, which
//! checks that the Rust call writes exactly the target.

use crate::ir::{path_holes, Endpoint, Exchange, HoleKind, Model, Primitive, TypeRef};
use crate::source::Location;
use percent_encoding::percent_decode_str;

/// A hole's value read from an example.
#[derive(Clone, Debug, PartialEq)]
pub enum HoleValue {
    /// Text for a key, item path or quoted argument (`''` already undone).
    Text(String),
    /// An unquoted argument: a string literal (unquoted, `''` undone).
    String(String),
    Integer(i64),
    Boolean(bool),
    /// Another literal (a date, an enum member, a placeholder), written as is.
    Raw(String),
}

/// One example request, decomposed.
#[derive(Clone, Debug, PartialEq)]
pub struct CallExample {
    /// Index of the request line (0 the main path, i the alternate i − 1).
    pub line: usize,
    pub values: Vec<HoleValue>,
    /// Query pairs in order, percent-decoded.
    pub query: Vec<(String, String)>,
    /// The target as the docs write it, percent-decoded.
    pub expected: String,
    pub source: Location,
}

/// An example request that no typed call can rebuild, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Miss {
    pub source: Location,
    pub target: String,
    pub reason: String,
}

/// How many of the docs' annotated example requests typed calls rebuild.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Every annotated example request to Graph: attached to an operation or not.
    pub total: usize,
    pub rebuilt: usize,
    /// Of `rebuilt`, those on a request line only an example writes
    /// (`RequestLine::from_example`).
    pub on_example_lines: usize,
    /// Not rebuilt, each with its reason; sorted by page and line.
    pub misses: Vec<Miss>,
}

impl Summary {
    pub fn ratio(&self) -> f64 {
        self.rebuilt as f64 / self.total.max(1) as f64
    }
}

/// Whether an example is a request to Microsoft Graph: a relative URL, or
/// a Graph host of any cloud (`graph.microsoft.com`, `graph.microsoft.us`,
/// `dod-graph.microsoft.us`, `microsoftgraph.chinacloudapi.cn`). Callback,
/// upload and download URLs of other hosts are not.
pub fn is_graph_request(x: &Exchange) -> bool {
    x.request.host.as_deref().is_none_or(|h| {
        let h = h.to_ascii_lowercase();
        h.ends_with("graph.microsoft.com")
            || h.ends_with("graph.microsoft.us")
            || h.ends_with("microsoftgraph.chinacloudapi.cn")
    })
}

/// The figure `cargo xtask op-coverage` prints and `generated/tests/requests.rs`
/// checks: over the annotated example requests to Graph, how many typed
/// calls rebuild.
pub fn summary(model: &Model) -> Summary {
    let counted = |x: &Exchange| x.request.annotated && is_graph_request(x);
    let mut total = 0;
    let mut rebuilt = 0;
    let mut on_example_lines = 0;
    let mut misses = Vec::new();
    for e in &model.endpoints {
        for x in e.operation.exchanges.iter().filter(|x| counted(x)) {
            total += 1;
            match decompose(e, x) {
                Ok(c) => {
                    rebuilt += 1;
                    if c.line > 0 && e.alternate_paths.get(c.line - 1).is_some_and(|l| l.from_example) {
                        on_example_lines += 1;
                    }
                }
                Err(reason) => misses.push(Miss {
                    source: x.source.clone(),
                    target: x.request.target.clone(),
                    reason,
                }),
            }
        }
    }
    for x in model.unmatched_exchanges.iter().filter(|x| counted(x)) {
        total += 1;
        misses.push(Miss {
            source: x.source.clone(),
            target: x.request.target.clone(),
            reason: format!("no operation has a `{}` request line it fits", x.request.method),
        });
    }
    misses.sort_by(|a, b| (&a.source.path, a.source.line).cmp(&(&b.source.path, b.source.line)));
    Summary {
        total,
        rebuilt,
        on_example_lines,
        misses,
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "request examples: {}; rebuilt by typed calls {} ({:.1}%; {} on a request line only an example \
             writes); not rebuilt {} (doc defects):",
            self.total,
            self.rebuilt,
            100.0 * self.ratio(),
            self.on_example_lines,
            self.misses.len()
        )?;
        for m in &self.misses {
            writeln!(f, "  {}:{}: `{}`: {}", m.source.path, m.source.line, m.target, m.reason)?;
        }
        Ok(())
    }
}

/// Every attached example of every operation: calls and misses.
pub fn examples(model: &Model) -> (Vec<(usize, CallExample)>, Vec<Miss>) {
    let mut calls = Vec::new();
    let mut misses = Vec::new();
    for (i, e) in model.endpoints.iter().enumerate() {
        for x in e.operation.exchanges.iter().filter(|x| is_graph_request(x)) {
            match decompose(e, x) {
                Ok(c) => calls.push((i, c)),
                Err(reason) => misses.push(Miss {
                    source: x.source.clone(),
                    target: x.request.target.clone(),
                    reason,
                }),
            }
        }
    }
    (calls, misses)
}

/// Reads `x`'s target into the values of its request line.
pub fn decompose(e: &Endpoint, x: &Exchange) -> Result<CallExample, String> {
    let template = if x.line == 0 {
        &e.path
    } else {
        &e.alternate_paths.get(x.line - 1).ok_or("no such request line")?.path
    };
    let target = x.request.target.trim();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let raw = match_template(template, path).ok_or_else(|| format!("the path does not fit `{template}`"))?;
    let params = if x.line == 0 {
        &e.parameters
    } else {
        &e.alternate_paths[x.line - 1].parameters
    };
    let mut values = Vec::with_capacity(raw.len());
    for (text, name) in raw.iter().zip(params) {
        let detail = e.path_parameters.iter().find(|p| &p.name == name);
        let kind = detail.map_or(HoleKind::Key, |d| d.kind);
        let quoted = detail.is_some_and(|d| d.quoted);
        values.push(hole_value(e, name, kind, quoted, text)?);
    }
    let query = query_pairs(query)?;
    let rebuilt = rebuild(template, &values, &query);
    let expected = decode(target);
    if rebuilt != expected {
        return Err(format!("the typed call writes `{rebuilt}`"));
    }
    Ok(CallExample {
        line: x.line,
        values,
        query,
        expected,
        source: x.source.clone(),
    })
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// The text of each hole of `template` in `path`, or `None` when the
/// literal parts differ (case included) or a hole would be empty. A hole is
/// one path segment or less (`[^/]+`), except after `:/` (a drive item path,
/// any text but a line break); each hole takes as little as it can (the
/// first fit, holes left to right), as the lazy regex
/// `^lit(hole+?)lit…$` would. Matched by hand, not by compiling that regex
/// for every example (tests::hand_matcher_is_the_regex pins the two alike).
fn match_template(template: &str, path: &str) -> Option<Vec<String>> {
    let holes = path_holes(template);
    let mut literals = Vec::with_capacity(holes.len() + 1);
    let mut any = Vec::with_capacity(holes.len());
    let mut at = 0;
    for (range, _) in &holes {
        literals.push(&template[at..range.start]);
        any.push(template[..range.start].ends_with(":/"));
        at = range.end;
    }
    literals.push(&template[at..]);
    let mut out = Vec::with_capacity(holes.len());
    let mut failed = std::collections::HashSet::new();
    fit(&literals, &any, 0, path, path.len(), &mut out, &mut failed)
        .then(|| out.into_iter().map(str::to_owned).collect())
}

/// Whether `rest` (which ends the path of length `len`) reads as literal
/// `k`, then hole `k` and what follows; the holes' texts pushed on `out`.
/// `failed` remembers the (hole, offset) pairs that cannot fit, so a
/// mismatch costs at most holes × length².
fn fit<'a>(
    literals: &[&str],
    any: &[bool],
    k: usize,
    rest: &'a str,
    len: usize,
    out: &mut Vec<&'a str>,
    failed: &mut std::collections::HashSet<(usize, usize)>,
) -> bool {
    let Some(rest) = rest.strip_prefix(literals[k]) else {
        return false;
    };
    if k == any.len() {
        return rest.is_empty();
    }
    let at = len - rest.len();
    if failed.contains(&(k, at)) {
        return false;
    }
    for (i, c) in rest.char_indices() {
        if c == if any[k] { '\n' } else { '/' } {
            break;
        }
        let end = i + c.len_utf8();
        out.push(&rest[..end]);
        if fit(literals, any, k + 1, &rest[end..], len, out, failed) {
            return true;
        }
        out.pop();
    }
    failed.insert((k, at));
    false
}

fn hole_value(e: &Endpoint, name: &str, kind: HoleKind, quoted: bool, text: &str) -> Result<HoleValue, String> {
    let text = decode(text);
    match kind {
        HoleKind::Argument if quoted => Ok(HoleValue::Text(text.replace("''", "'"))),
        HoleKind::Argument => argument(e, name, &text),
        _ => Ok(HoleValue::Text(text)),
    }
}

/// An unquoted argument's literal, read by the type its parameter table
/// gives (the typed argument the operation takes): a string must be
/// quoted, a boolean or an integer must be one.
fn argument(e: &Endpoint, name: &str, text: &str) -> Result<HoleValue, String> {
    let declared = e
        .operation
        .function_parameters
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
        .and_then(|p| p.ty.clone());
    let quoted = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\''));
    let integer = text.parse::<i64>().ok().filter(|n| n.to_string() == text);
    let boolean = matches!(text, "true" | "false");
    use Primitive::*;
    match (declared, quoted) {
        (Some(TypeRef::Primitive(String)), Some(s)) | (None, Some(s)) => Ok(HoleValue::String(s.replace("''", "'"))),
        (Some(TypeRef::Primitive(String)), None) => Err(format!("argument `{name}` is a string written unquoted")),
        (Some(TypeRef::Primitive(Boolean)), _) if boolean => Ok(HoleValue::Boolean(text == "true")),
        (Some(TypeRef::Primitive(Boolean)), _) => Err(format!("argument `{name}` is not a boolean")),
        (Some(TypeRef::Primitive(Int16 | Int32 | Int64 | Byte)), _) => integer
            .map(HoleValue::Integer)
            .ok_or_else(|| format!("argument `{name}` is not an integer")),
        (None, None) if boolean => Ok(HoleValue::Boolean(text == "true")),
        (None, None) if integer.is_some() => Ok(HoleValue::Integer(integer.unwrap_or_default())),
        _ => Ok(HoleValue::Raw(text.to_owned())),
    }
}

fn query_pairs(query: &str) -> Result<Vec<(String, String)>, String> {
    if query.is_empty() {
        return Ok(Vec::new());
    }
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((decode(k), decode(v))),
            _ => Err(format!("query part `{pair}` is not name=value")),
        })
        .collect()
}

/// The decoded target the typed call writes for these values.
pub fn rebuild(template: &str, values: &[HoleValue], query: &[(String, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut at = 0;
    for ((range, _), v) in path_holes(template).iter().zip(values) {
        out.push_str(&template[at..range.start]);
        match v {
            HoleValue::Text(t) | HoleValue::Raw(t) => out.push_str(t),
            HoleValue::String(s) => {
                out.push('\'');
                out.push_str(&s.replace('\'', "''"));
                out.push('\'');
            }
            HoleValue::Integer(n) => out.push_str(&n.to_string()),
            HoleValue::Boolean(b) => out.push_str(&b.to_string()),
        }
        at = range.end;
    }
    out.push_str(&template[at..]);
    for (i, (k, v)) in query.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_holes_and_keep_case() {
        assert_eq!(
            match_template("/users/{userId}/events/{eventId}", "/users/a@b.c/events/AAM="),
            Some(vec!["a@b.c".to_owned(), "AAM=".to_owned()])
        );
        assert_eq!(match_template("/users/{userId}", "/Users/x"), None);
        assert_eq!(
            match_template("/root:/{itemPath}:/content", "/root:/a/b c.txt:/content"),
            Some(vec!["a/b c.txt".to_owned()])
        );
        assert_eq!(
            match_template("/cell(row={row},column={column})", "/cell(row=2,column=5)"),
            Some(vec!["2".to_owned(), "5".to_owned()])
        );
    }

    /// The regex `match_template` stands for.
    fn by_regex(template: &str, path: &str) -> Option<Vec<String>> {
        let holes = path_holes(template);
        let mut pattern = String::from("^");
        let mut at = 0;
        for (range, _) in &holes {
            pattern.push_str(&regex::escape(&template[at..range.start]));
            let before = &template[..range.start];
            pattern.push_str(if before.ends_with(":/") { "(.+?)" } else { "([^/]+?)" });
            at = range.end;
        }
        pattern.push_str(&regex::escape(&template[at..]));
        pattern.push('$');
        let caps = regex::Regex::new(&pattern).ok()?.captures(path)?;
        Some(
            caps.iter()
                .skip(1)
                .map(|c| c.map_or("", |m| m.as_str()).to_owned())
                .collect(),
        )
    }

    proptest::proptest! {
        #[test]
        fn hand_matcher_is_the_regex(
            template in "(/|:/|[ab(=,)']|\\{[xy]\\}){0,8}",
            path in "(/|:|[ab(=,)'\n]|é){0,12}",
        ) {
            proptest::prop_assert_eq!(match_template(&template, &path), by_regex(&template, &path));
        }

        /// Paths that fit: the template with its holes filled.
        #[test]
        fn hand_matcher_is_the_regex_on_fits(
            template in "(/|:/|[ab(=,)']|\\{[xy]\\}){0,8}",
            fills in proptest::collection::vec("(/|:|[ab(=,)'\n]|é){0,4}", 8),
        ) {
            let mut path = String::new();
            let mut at = 0;
            for ((range, _), fill) in path_holes(&template).iter().zip(&fills) {
                path.push_str(&template[at..range.start]);
                path.push_str(fill);
                at = range.end;
            }
            path.push_str(&template[at..]);
            proptest::prop_assert_eq!(match_template(&template, &path), by_regex(&template, &path));
        }
    }

    #[test]
    fn hand_matcher_on_the_docs_shapes() {
        for (t, p) in [
            ("/a/{x}:/{y}:/b", "/a/1:/c:/d:/b"),
            ("/a/{x}{y}", "/a/123"),
            ("/root:/{p}:", "/root:/a:/b:"),
            ("/x(k='{k}')", "/x(k='a/b')"),
            ("/x/{k}", "/x/a\nb"),
        ] {
            assert_eq!(match_template(t, p), by_regex(t, p), "{t} {p}");
        }
    }

    #[test]
    fn rebuilt_targets_write_literals_back() {
        let values = vec![HoleValue::String("A1:B2".into()), HoleValue::Integer(3)];
        let q = vec![("$select".to_owned(), "a,b".to_owned())];
        assert_eq!(
            rebuild("/range(address={address})/x(n={n})", &values, &q),
            "/range(address='A1:B2')/x(n=3)?$select=a,b"
        );
        assert!(query_pairs("a&b=1").is_err());
    }
}
