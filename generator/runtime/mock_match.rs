//! How the replay server compares a request with a documented example:
//! method, path (percent-decoded), query (a multiset of decoded pairs) and
//! body (JSON by value). Pure functions; each mismatch is said in words.

use percent_encoding::percent_decode_str;
use serde_json::Value;

/// A request target, decoded: path segments (the version segment removed)
/// and query pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Target {
    pub segments: Vec<String>,
    pub query: Vec<(String, String)>,
}

/// Splits and decodes `raw` (`/users/a%40b?$select=id`, or a docs target
/// as written, spaces and all). With `strip_version`, a leading `v1.0`,
/// `beta`, `v1` … segment is dropped.
pub(crate) fn parse_target(raw: &str, strip_version: bool) -> Target {
    let raw = raw.split('#').next().unwrap_or_default();
    let (path, query) = raw.split_once('?').unwrap_or((raw, ""));
    let path = path.strip_prefix('/').unwrap_or(path);
    let mut segments: Vec<String> = if path.is_empty() {
        Vec::new()
    } else {
        path.split('/').map(decode).collect()
    };
    if segments.last().is_some_and(String::is_empty) {
        segments.pop();
    }
    if strip_version && segments.first().is_some_and(|s| is_version(s)) {
        segments.remove(0);
    }
    let query = query
        .split('&')
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(n).trim().to_ascii_lowercase(), decode(v).trim().to_owned())
        })
        .collect();
    Target { segments, query }
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// `v1.0`, `beta`, `v1`, `V1.0`: a version root, not part of the path.
pub(crate) fn is_version(s: &str) -> bool {
    if s.eq_ignore_ascii_case("beta") {
        return true;
    }
    let Some(rest) = s.strip_prefix(['v', 'V']) else {
        return false;
    };
    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit() || b == b'.') && rest.as_bytes()[0].is_ascii_digit()
}

/// Whether `text` fits `pattern`, where each `{…}` of the pattern (a docs
/// placeholder such as `{id}` or `{id | userPrincipalName}`) stands for
/// any non-empty text; the rest compares ignoring ASCII case.
pub(crate) fn fits(pattern: &str, text: &str) -> bool {
    if !pattern.contains('{') {
        return pattern.eq_ignore_ascii_case(text);
    }
    // Literal pieces between holes, matched in order.
    let mut pieces = Vec::new();
    let mut rest = pattern;
    let mut holes = 0;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        pieces.push(&rest[..open]);
        holes += 1;
        rest = &rest[close + 1..];
    }
    pieces.push(rest);
    if holes == 0 {
        return pattern.eq_ignore_ascii_case(text);
    }
    let text_l = text.to_ascii_lowercase();
    let first = pieces[0].to_ascii_lowercase();
    let last = pieces[pieces.len() - 1].to_ascii_lowercase();
    if !text_l.starts_with(&first) || text_l.len() < first.len() + last.len() || !text_l.ends_with(&last) {
        return false;
    }
    let mut at = first.len();
    let end = text_l.len() - last.len();
    for piece in &pieces[1..pieces.len() - 1] {
        let piece = piece.to_ascii_lowercase();
        // Each hole takes at least one character.
        let from = at + 1;
        if from > end {
            return false;
        }
        match text_l[from..end].find(&piece) {
            Some(i) => at = from + i + piece.len(),
            None => return false,
        }
    }
    end > at
}

/// Whether the request carries every header the example sends, other than
/// framing, content type and credentials (`Prefer: return=minimal`,
/// `ConsistencyLevel: eventual`), with the same value.
pub(crate) fn fit_headers(example: &[(String, String)], request: &http::HeaderMap) -> bool {
    const IGNORED: [&str; 6] = [
        "content-type",
        "content-length",
        "authorization",
        "host",
        "accept",
        "connection",
    ];
    example
        .iter()
        .filter(|(n, _)| !IGNORED.iter().any(|i| n.trim().eq_ignore_ascii_case(i)))
        .all(|(n, v)| {
            request
                .get_all(n.trim())
                .iter()
                .any(|got| got.to_str().is_ok_and(|g| g.trim().eq_ignore_ascii_case(v.trim())))
        })
}

/// How a request's path compares with an example's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PathFit {
    /// Every segment equal.
    Exact,
    /// Equal where the example has text, any value where it has a `{…}`.
    Placeholder,
    /// Different: how many leading segments agree, and why.
    No { agree: usize, why: String },
}

pub(crate) fn fit_path(example: &[String], request: &[String]) -> PathFit {
    let mut placeholder = false;
    for (i, (e, r)) in example.iter().zip(request).enumerate() {
        if e.eq_ignore_ascii_case(r) {
            continue;
        }
        if e.contains('{') && fits(e, r) {
            placeholder = true;
            continue;
        }
        return PathFit::No {
            agree: i,
            why: format!("path segment {}: the example has `{e}`, the request `{r}`", i + 1),
        };
    }
    if example.len() != request.len() {
        let agree = example.len().min(request.len());
        let why = if example.len() > request.len() {
            format!("path: the example goes on with `/{}`", example[agree..].join("/"))
        } else {
            format!("path: the request goes on with `/{}`", request[agree..].join("/"))
        };
        return PathFit::No { agree, why };
    }
    if placeholder {
        PathFit::Placeholder
    } else {
        PathFit::Exact
    }
}

/// A query value in a comparable form: `$select` lists as sorted items,
/// `$expand`/`$orderby` lists with spaces trimmed.
fn normal_value(name: &str, value: &str) -> String {
    match name {
        "$select" | "select" => {
            let mut items: Vec<String> = split_top(value).iter().map(|s| s.to_ascii_lowercase()).collect();
            items.sort();
            items.join(",")
        }
        "$expand" | "expand" | "$orderby" | "orderby" => split_top(value).join(","),
        _ => value.to_owned(),
    }
}

/// Splits at commas outside parentheses and quotes, each item trimmed.
fn split_top(value: &str) -> Vec<String> {
    let (mut depth, mut quoted, mut items, mut cur) = (0i32, false, Vec::new(), String::new());
    for c in value.chars() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                items.push(cur.trim().to_owned());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    items.push(cur.trim().to_owned());
    items
}

/// `Ok` when the request's query pairs are the example's (any order; names
/// ignoring case; `{…}` placeholders in the example's values take anything).
pub(crate) fn fit_query(example: &[(String, String)], request: &[(String, String)]) -> Result<(), String> {
    let mut left: Vec<(&str, String)> = request.iter().map(|(n, v)| (n.as_str(), normal_value(n, v))).collect();
    for (name, value) in example {
        let want = normal_value(name, value);
        let hit = left
            .iter()
            .position(|(n, v)| n == name && (v == &want || (want.contains('{') && fits(&want, v))));
        match hit {
            Some(i) => {
                left.remove(i);
            }
            None => {
                let got: Vec<&str> = request
                    .iter()
                    .filter(|(n, _)| n == name)
                    .map(|(_, v)| v.as_str())
                    .collect();
                return Err(if got.is_empty() {
                    format!("query: the example has `{name}={value}`, the request no `{name}`")
                } else {
                    format!(
                        "query `{name}`: the example has `{value}`, the request `{}`",
                        got.join("`, `")
                    )
                });
            }
        }
    }
    match left.first() {
        Some((n, _)) => {
            let v = request
                .iter()
                .find(|(rn, _)| rn == n)
                .map(|(_, v)| v.as_str())
                .unwrap_or_default();
            Err(format!("query: `{n}={v}` is not in the example"))
        }
        None => Ok(()),
    }
}

/// How many query parameter names one side has and the other not: the
/// closeness of two queries that differ.
pub(crate) fn query_distance(example: &[(String, String)], request: &[(String, String)]) -> usize {
    let missing = example
        .iter()
        .filter(|(n, _)| !request.iter().any(|(m, _)| m == n))
        .count();
    let extra = request
        .iter()
        .filter(|(n, _)| !example.iter().any(|(m, _)| m == n))
        .count();
    missing + extra
}

/// `Ok` when the request body is the example's: JSON by value (numbers by
/// value, object keys in any order), other text ignoring line endings and
/// surrounding space; no body in the example asks for none.
pub(crate) fn fit_body(
    example: Option<&str>,
    example_json: Option<&Value>,
    request: &[u8],
    request_json: Option<&Value>,
) -> Result<(), String> {
    let request_text = String::from_utf8_lossy(request);
    let request_blank = request_text.trim().is_empty();
    let example = example.map(str::trim).filter(|e| !e.is_empty());
    match (example, example_json) {
        (None, _) if request_blank => Ok(()),
        (None, _) => Err("body: the example sends none, the request does".to_owned()),
        (Some(_), _) if request_blank => Err("body: the example sends one, the request none".to_owned()),
        (Some(_), Some(want)) => match request_json {
            Some(got) => match json_diff("$", want, got) {
                None => Ok(()),
                Some(d) => Err(format!("body {d}")),
            },
            None => Err("body: the example's is JSON, the request's is not".to_owned()),
        },
        (Some(text), None) => {
            let norm = |s: &str| s.replace("\r\n", "\n").trim().to_owned();
            if norm(text) == norm(&request_text) {
                Ok(())
            } else {
                Err("body: the text differs from the example's".to_owned())
            }
        }
    }
}

/// The first difference between two JSON values, as `path: …`.
pub(crate) fn json_diff(path: &str, want: &Value, got: &Value) -> Option<String> {
    let show = |v: &Value| {
        let s = v.to_string();
        if s.chars().count() > 60 {
            format!("{}…", s.chars().take(60).collect::<String>())
        } else {
            s
        }
    };
    match (want, got) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let p = format!("{path}.{k}");
                match b.get(k) {
                    Some(w) => {
                        if let Some(d) = json_diff(&p, v, w) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("{p}: the example has {}, the request nothing", show(v))),
                }
            }
            b.iter()
                .find(|(k, _)| !a.contains_key(*k))
                .map(|(k, v)| format!("{path}.{k}: the request has {}, the example nothing", show(v)))
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (v, w)) in a.iter().zip(b).enumerate() {
                if let Some(d) = json_diff(&format!("{path}[{i}]"), v, w) {
                    return Some(d);
                }
            }
            (a.len() != b.len()).then(|| format!("{path}: the example has {} items, the request {}", a.len(), b.len()))
        }
        (Value::Number(a), Value::Number(b)) if same_number(a, b) => None,
        _ if want == got => None,
        _ => Some(format!(
            "{path}: the example has {}, the request {}",
            show(want),
            show(got)
        )),
    }
}

fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return x == y;
    }
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Target {
        parse_target(s, true)
    }

    #[test]
    fn targets_decode_and_drop_the_version() {
        let a = t("/v1.0/users/adele%40contoso.com/messages?$select=id,%20subject&$top=5");
        assert_eq!(a.segments, ["users", "adele@contoso.com", "messages"]);
        assert_eq!(
            a.query,
            [("$select".into(), "id, subject".into()), ("$top".into(), "5".into())]
        );
        let b = t("/users/adele@contoso.com/messages?$select=id, subject&$TOP=5");
        assert_eq!(b.segments, a.segments);
        assert_eq!(b.query[1].0, "$top");
        assert_eq!(t("/beta/me/").segments, ["me"]);
        assert_eq!(t("/V1.0/me").segments, ["me"]);
        assert_eq!(parse_target("/v1.0/me", false).segments, ["v1.0", "me"]);
        assert_eq!(t("/version/me").segments, ["version", "me"]);
        assert!(t("/me?").query.is_empty());
    }

    #[test]
    fn placeholders_fit_any_text() {
        assert!(fits("{id}", "abc"));
        assert!(fits("{id | userPrincipalName}", "adele@contoso.com"));
        assert!(fits("root:{item-path}:", "root:folder:"));
        assert!(fits("cell(row={row},column={col})", "cell(row=1,column=2)"));
        assert!(!fits("cell(row={row},column={col})", "range(row=1,column=2)"));
        assert!(!fits("{id}", ""));
        assert!(!fits("a{x}b", "ab"));
        assert!(fits("Users", "users"));
        assert!(!fits("users", "groups"));
    }

    #[test]
    fn paths() {
        let seg = |s: &str| t(s).segments;
        assert_eq!(fit_path(&seg("/users/{id}"), &seg("/users/42")), PathFit::Placeholder);
        assert_eq!(fit_path(&seg("/me/messages"), &seg("/ME/Messages")), PathFit::Exact);
        let PathFit::No { agree, why } = fit_path(&seg("/me/messages"), &seg("/me/events")) else {
            panic!()
        };
        assert_eq!(agree, 1);
        assert_eq!(why, "path segment 2: the example has `messages`, the request `events`");
        let PathFit::No { why, .. } = fit_path(&seg("/me/messages/{id}"), &seg("/me/messages")) else {
            panic!()
        };
        assert_eq!(why, "path: the example goes on with `/{id}`");
    }

    #[test]
    fn queries_compare_as_decoded_multisets() {
        let q = |s: &str| t(s).query;
        assert_eq!(fit_query(&q("/x?$top=1&$skip=2"), &q("/x?$skip=2&$top=1")), Ok(()));
        assert_eq!(
            fit_query(&q("/x?$select=id, displayName"), &q("/x?$select=displayName,id")),
            Ok(())
        );
        assert_eq!(
            fit_query(
                &q("/x?$filter=startswith(displayName,'a b')"),
                &q("/x?$filter=startswith(displayName,%27a%20b%27)")
            ),
            Ok(())
        );
        assert_eq!(
            fit_query(&q("/x?$top=1"), &q("/x?$top=2")),
            Err("query `$top`: the example has `1`, the request `2`".into())
        );
        assert_eq!(
            fit_query(&q("/x?$top=1"), &q("/x")),
            Err("query: the example has `$top=1`, the request no `$top`".into())
        );
        assert_eq!(
            fit_query(&q("/x"), &q("/x?$count=true")),
            Err("query: `$count=true` is not in the example".into())
        );
        assert_eq!(
            fit_query(&q("/x?$filter=id eq '{id}'"), &q("/x?$filter=id eq '7'")),
            Ok(())
        );
        assert_eq!(query_distance(&q("/x?$top=1&$skip=2"), &q("/x?$top=3&$count=true")), 2);
    }

    fn fit_body(example: Option<&str>, example_json: Option<&Value>, request: &[u8]) -> Result<(), String> {
        let json = serde_json::from_slice::<Value>(request).ok();
        super::fit_body(example, example_json, request, json.as_ref())
    }

    #[test]
    fn bodies_compare_by_value() {
        let want: Value = serde_json::from_str(r#"{"a": 1, "b": [true, {"c": "x"}]}"#).unwrap();
        let ex = Some(r#"{"a": 1, "b": [true, {"c": "x"}]}"#);
        assert_eq!(fit_body(ex, Some(&want), br#"{"b":[true,{"c":"x"}],"a":1.0}"#), Ok(()));
        assert_eq!(
            fit_body(ex, Some(&want), br#"{"b":[true,{"c":"y"}],"a":1}"#),
            Err(r#"body $.b[1].c: the example has "x", the request "y""#.into())
        );
        assert_eq!(
            fit_body(ex, Some(&want), br#"{"b":[true,{"c":"x"}],"a":1,"d":null}"#),
            Err("body $.d: the request has null, the example nothing".into())
        );
        assert!(fit_body(ex, Some(&want), b"{\"a\": 1,").unwrap_err().contains("is not"));
        assert!(fit_body(ex, Some(&want), b"").is_err());
        assert_eq!(fit_body(None, None, b"  "), Ok(()));
        assert!(fit_body(None, None, b"{}").is_err());
        assert_eq!(fit_body(Some("a,b\r\n"), None, b"a,b\n"), Ok(()));
        assert_eq!(
            json_diff("$", &serde_json::json!(u64::MAX), &serde_json::json!(-1)),
            Some(format!("$: the example has {}, the request -1", u64::MAX))
        );
    }
}
