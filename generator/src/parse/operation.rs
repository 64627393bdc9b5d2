//! What an API page says about its operation beyond the request line: the
//! Request body parameter tables, the query options and query parameters,
//! request headers, function parameters, and whether the request and the
//! response carry a body. Read off the sections of a [`Page`], every fact with
//! its span; lowered by `lower::operations`.

use super::facts::Spanned;
use super::http::RequestPath;
use super::page::{Block, Inline, Page, Section, SectionKind, Table};
use super::type_expr::{self, TypeExpr};
use crate::ir::QuerySupport;
use crate::source::{FileId, Span};

/// A row of a parameter table (body, query or function parameters).
#[derive(Clone, Debug, PartialEq)]
pub struct ParamFact {
    pub name: Spanned<String>,
    /// `None`: no type column, or a cell that is not a type.
    pub ty: Option<Spanned<TypeExpr>>,
    /// Target of the type cell's link, to resolve link text naming no type.
    pub ty_link: Option<super::facts::TypeLink>,
    pub required: bool,
    pub description: Option<String>,
    /// The description says the value may name several members ("If
    /// selecting more than one value"): a flags enum when the property is one.
    pub multi_valued: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HeaderFact {
    pub name: String,
    /// `outlook.timezone` of a `Prefer: outlook.timezone` row, or the Value
    /// column when the table has a Description column too.
    pub value: Option<String>,
    pub description: Option<String>,
    pub required: bool,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct OperationFacts {
    /// Rows of the Request body tables.
    pub body_parameters: Vec<ParamFact>,
    /// The tables name parameters (`Parameter`/`Name` columns), not the
    /// properties of a resource (`Property`).
    pub body_is_parameters: bool,
    /// The Request body section has a table with rows or states a type.
    pub body_table: bool,
    /// "Don't supply a request body", "no request body".
    pub no_request_body: bool,
    /// A non-JSON `Content-Type` from the Request headers table.
    pub content_type: Option<String>,
    /// The Response section says no body: `204`, "does not return anything".
    pub no_response_body: bool,
    /// "… response code and a Stream in the response body": a primitive the
    /// Response prose names (objects and collections are `response_type`).
    pub response_primitive: Option<Spanned<TypeExpr>>,
    pub query_options: Vec<String>,
    pub query_support: QuerySupport,
    pub query_parameters: Vec<ParamFact>,
    pub request_headers: Vec<HeaderFact>,
    pub function_parameters: Vec<ParamFact>,
}

/// The operation facts of an API page whose request lines are `requests`.
pub fn read(page: &Page, method: &str, requests: &[&RequestPath]) -> OperationFacts {
    let file = page.file;
    let ns = super::facts::namespace(page).unwrap_or_else(|| super::facts::DEFAULT_NAMESPACE.to_owned());
    let mut f = OperationFacts::default();
    let is_get = method.eq_ignore_ascii_case("GET");
    for s in &page.sections {
        let heading = s
            .heading
            .as_ref()
            .map(|h| h.text.to_ascii_lowercase())
            .unwrap_or_default();
        let function_section = heading.contains("function parameter");
        let query_section = s.kind == SectionKind::QueryParameters || heading.contains("query parameter");
        if query_section {
            read_query(file, &ns, s, &mut f);
        } else if s.kind == SectionKind::RequestBody && (function_section || is_get) {
            for t in tables(s) {
                push_unique(&mut f.function_parameters, param_rows(file, &ns, t));
            }
        } else if s.kind == SectionKind::RequestBody {
            for p in paragraphs(s) {
                let l = p.text.to_ascii_lowercase().replace('\u{2019}', "'");
                if [
                    "not supply a request body",
                    "don't supply a request body",
                    "no request body",
                ]
                .iter()
                .any(|w| l.contains(w))
                {
                    f.no_request_body = true;
                }
                if l.contains("json representation of") || l.contains("json representation for") {
                    f.body_table = true;
                }
            }
            for t in tables(s) {
                let rows = param_rows(file, &ns, t);
                if rows.is_empty() {
                    continue;
                }
                f.body_table = true;
                if t.column(|c| c == "property" || c.starts_with("property ")).is_none() {
                    f.body_is_parameters = true;
                }
                push_unique(&mut f.body_parameters, rows);
            }
        } else if s.kind == SectionKind::PathParameters {
            // Parameters of a function called in the path: typed rows whose
            // name is not a whole path segment (`{id}`) of any request line.
            for t in tables(s) {
                let rows = param_rows(file, &ns, t)
                    .into_iter()
                    .filter(|r| r.ty.is_some() && !is_segment_hole(requests, &r.name.value))
                    .collect();
                push_unique(&mut f.function_parameters, rows);
            }
        } else if s.kind == SectionKind::RequestHeaders {
            read_headers(file, s, &mut f);
        } else if s.kind == SectionKind::Response {
            for p in paragraphs(s) {
                let l = p.text.to_ascii_lowercase().replace('\u{2019}', "'");
                if f.response_primitive.is_none() {
                    let may = super::prefilter::may_contain_ci(&p.text, &["code and"]);
                    f.response_primitive = may.then(|| primitive_re().captures(&p.text)).flatten().and_then(|c| {
                        let lower = c["name"].to_ascii_lowercase();
                        let prim =
                            super::type_expr::primitive_from_doc_name(lower.strip_prefix("edm.").unwrap_or(&lower))?;
                        let t = TypeExpr::Primitive(prim);
                        Some(Spanned {
                            value: match c.name("coll") {
                                Some(_) => TypeExpr::Collection(Box::new(t)),
                                None => t,
                            },
                            span: Span::new(file, p.span.clone()),
                        })
                    });
                }
                if l.contains("204 no content")
                    || l.contains("does not return anything")
                    || l.contains("doesn't return anything")
                    || l.contains("no response body")
                    || l.contains("empty response body")
                {
                    f.no_response_body = true;
                }
            }
        }
    }
    f
}

regex!(
    primitive_re,
    r"(?i)response code and (?:an? |the )?(?P<coll>collection of )?(?P<name>[A-Za-z_][\w.]*) (?:in the response body|value|object)"
);

fn push_unique(into: &mut Vec<ParamFact>, rows: Vec<ParamFact>) {
    for r in rows {
        if !into.iter().any(|p| p.name.value == r.name.value) {
            into.push(r);
        }
    }
}

/// Whether `name` is a hole filling a whole segment (`/{name}/`) of a request line.
fn is_segment_hole(requests: &[&RequestPath], name: &str) -> bool {
    let hole = format!("{{{}}}", name.to_ascii_lowercase());
    requests.iter().any(|r| {
        r.template
            .to_ascii_lowercase()
            .split('/')
            .any(|seg| seg == hole || seg.trim_end_matches(':') == hole)
    })
}

/// Rows of a `Name | Type | Description` table (also `Parameter`,
/// `Property`, a `Required` column), leniently: a row without a readable
/// name is skipped, one without a readable type keeps `ty: None`.
pub fn param_rows(file: FileId, ns: &str, t: &Table) -> Vec<ParamFact> {
    let sp = |r: std::ops::Range<usize>| Span::new(file, r);
    let Some(nc) = t
        .column(|c| {
            matches!(
                c,
                "parameter" | "name" | "property" | "property name" | "parameter name" | "query parameter"
            )
        })
        .or_else(|| (!t.header.is_empty()).then_some(0))
    else {
        return Vec::new();
    };
    let tc = t.column(|c| c == "type" || c == "value type" || c == "data type");
    let rc = t.column(|c| c == "required" || c == "required?");
    let dc = t.column(|c| c.starts_with("description"));
    let mut out = Vec::new();
    for row in &t.rows {
        let Some(name) = row.get(nc) else { continue };
        let pname = clean_name(&name.text);
        if pname.is_empty() || !pname.chars().all(|c| c.is_alphanumeric() || "_@.-$".contains(c)) {
            continue;
        }
        let ty = tc.and_then(|i| row.get(i)).and_then(|cell| {
            Some(Spanned {
                value: type_expr::parse(cell)?,
                span: sp(cell.span.clone()),
            })
        });
        let ty_link = tc
            .and_then(|i| row.get(i))
            .and_then(|c| c.links.iter().find(|l| !l.text.is_empty()))
            .map(|l| super::facts::TypeLink::new(&l.target, ns));
        let description = dc
            .and_then(|i| row.get(i))
            .map(|d| d.text.clone())
            .filter(|d| !d.is_empty());
        let required = match rc.and_then(|i| row.get(i)) {
            Some(cell) => {
                let c = cell.text.trim().to_ascii_lowercase();
                c.starts_with("yes") || c.starts_with("true") || c.starts_with("required")
            }
            None => description.as_deref().is_some_and(says_required),
        };
        out.push(ParamFact {
            name: Spanned {
                value: pname,
                span: sp(name.span.clone()),
            },
            ty,
            ty_link,
            required,
            multi_valued: crate::parse::description::multi_valued(description.as_deref()),
            description,
        });
    }
    out
}

/// `` `{id}` ``, `**name**`, `name (deprecated)` → the bare name.
fn clean_name(text: &str) -> String {
    let n = text
        .trim()
        .trim_matches(|c| c == '`' || c == '*' || c == '{' || c == '}')
        .trim();
    match n.strip_suffix(')').and_then(|p| p.rsplit_once(" (")) {
        Some((n, note)) if note.chars().all(|c| c.is_alphabetic() || c == ' ') => n.trim_end().to_owned(),
        _ => n.to_owned(),
    }
}

/// A description saying the value is required ("Required.", "Required if …"),
/// and not "Optional" or "not required".
pub fn says_required(description: &str) -> bool {
    let l = description.to_ascii_lowercase();
    if l.contains("optional") || l.contains("not required") || l.contains("isn't required") {
        return false;
    }
    l.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w == "required")
}

/// The OData options in a text: `$select`, and bare names in code spans.
const OPTIONS: &[&str] = &[
    "select",
    "filter",
    "expand",
    "orderby",
    "top",
    "skip",
    "search",
    "count",
    "skiptoken",
    "deltatoken",
    "format",
    "apply",
    "compute",
    "levels",
];

fn option_name(word: &str) -> Option<String> {
    let w = word.trim().trim_start_matches('$').to_ascii_lowercase();
    let w = w.split(['=', ' ', '(']).next().unwrap_or("");
    OPTIONS.contains(&w).then(|| match w {
        "skiptoken" => "$skipToken".to_owned(),
        "deltatoken" => "$deltaToken".to_owned(),
        w => format!("${w}"),
    })
}

fn add_option(f: &mut OperationFacts, o: String) {
    if !f.query_options.contains(&o) {
        f.query_options.push(o);
    }
}

fn read_query(file: FileId, ns: &str, s: &Section, f: &mut OperationFacts) {
    let mut general = false;
    let mut none = false;
    let mut required_rows = false;
    for p in paragraphs(s) {
        let l = p.text.to_ascii_lowercase().replace('\u{2019}', "'");
        for (i, _) in l.match_indices('$') {
            let word: String = l[i + 1..].chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            if let Some(o) = option_name(&word) {
                add_option(f, o);
            }
        }
        // Bare names are options only in code spans next to "query parameter"
        // prose (`select`), never in running text ("to select").
        if l.contains("query parameter") || l.contains("query option") {
            for c in &p.code {
                if let Some(o) = option_name(c) {
                    add_option(f, o);
                }
            }
        }
        if (l.contains("not support") || l.contains("doesn't support")) && l.contains("odata") {
            none = true;
        } else if l.contains("supports the odata")
            || l.contains("supports the [odata")
            || l.contains("supports some of the odata")
            || l.contains("supports all")
            || l.contains("support the odata")
        {
            general = true;
        }
        if l.contains("required query parameter") || l.contains("following required") {
            required_rows = true;
        }
    }
    for t in tables(s) {
        for mut r in param_rows(file, ns, t) {
            // Type names (`microsoft.graph.user`) list casts, not parameters.
            if r.name.value.contains('.') {
                continue;
            }
            if r.name.value.starts_with('$') {
                if let Some(o) = option_name(&r.name.value) {
                    add_option(f, o);
                }
                continue;
            }
            r.required |= required_rows && !r.description.as_deref().is_some_and(|d| d.contains("ptional"));
            if !f.query_parameters.iter().any(|p| p.name.value == r.name.value) {
                f.query_parameters.push(r);
            }
        }
    }
    let support = if none && f.query_options.is_empty() {
        QuerySupport::None
    } else if general {
        QuerySupport::General
    } else if !f.query_options.is_empty() {
        QuerySupport::Listed
    } else {
        QuerySupport::Unknown
    };
    // Canonical order, whatever order the prose names them in.
    f.query_options.sort_by_key(|o| {
        let l = o.trim_start_matches('$').to_ascii_lowercase();
        OPTIONS.iter().position(|x| *x == l)
    });
    // Several query sections: the most informative statement wins.
    let rank = |q: QuerySupport| match q {
        QuerySupport::Unknown => 0,
        QuerySupport::None => 1,
        QuerySupport::Listed => 2,
        QuerySupport::General => 3,
    };
    if rank(support) > rank(f.query_support) {
        f.query_support = support;
    }
}

fn is_json(media: &str) -> bool {
    let m = media.to_ascii_lowercase();
    m.is_empty() || m.contains("json") || m.starts_with("bearer") || m.contains("{")
}

fn read_headers(file: FileId, s: &Section, f: &mut OperationFacts) {
    for t in tables(s) {
        let nc = t
            .column(|c| matches!(c, "header" | "name" | "request header" | "header name"))
            .unwrap_or(0);
        let vc = t.column(|c| c == "value");
        let dc = t.column(|c| c.starts_with("description"));
        for row in &t.rows {
            let Some(cell) = row.get(nc) else { continue };
            let written = cell.text.trim().trim_matches('`').trim();
            let (name, mut value) = match written.split_once(':') {
                Some((n, v)) => (n.trim(), Some(v.trim().to_owned()).filter(|v| !v.is_empty())),
                None => (written, None),
            };
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                continue;
            }
            let value_cell = vc.and_then(|i| row.get(i)).map(|c| c.text.trim().to_owned());
            let desc_cell = dc.and_then(|i| row.get(i)).map(|c| c.text.trim().to_owned());
            let description = desc_cell.clone().or(value_cell.clone()).filter(|d| !d.is_empty());
            if dc.is_some() && value.is_none() {
                value = value_cell.filter(|v| !v.is_empty());
            }
            let lname = name.to_ascii_lowercase();
            let text = description.clone().unwrap_or_default();
            if lname == "authorization" {
                continue;
            }
            if lname == "content-type" || lname == "accept" {
                // The media type: the value, else the description's first word.
                let media = value
                    .clone()
                    .or_else(|| text.split([' ', ';', ',']).next().map(str::to_owned))
                    .unwrap_or_default();
                let media = media.trim_end_matches('.').to_owned();
                if is_json(&media) {
                    continue;
                }
                if lname == "content-type" && media.contains('/') && f.content_type.is_none() {
                    f.content_type = Some(media);
                }
            }
            if f.request_headers
                .iter()
                .any(|h| h.name.eq_ignore_ascii_case(name) && h.value == value)
            {
                continue;
            }
            f.request_headers.push(HeaderFact {
                name: name.to_owned(),
                value,
                required: says_required(&text),
                description,
                span: Span::new(file, cell.span.clone()),
            });
        }
    }
}

fn paragraphs(s: &Section) -> impl Iterator<Item = &Inline> {
    s.blocks.iter().filter_map(|b| match b {
        Block::Paragraph(p) => Some(p),
        _ => None,
    })
}

fn tables(s: &Section) -> impl Iterator<Item = &Table> {
    s.blocks.iter().filter_map(|b| match b {
        Block::Table(t) => Some(t),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Primitive;
    use crate::source::SourceDb;

    fn read_page(text: &str) -> OperationFacts {
        let db = SourceDb::from_pages([("api/page.md", text.as_bytes().to_vec())]);
        let mut diags = Vec::new();
        let page = crate::parse::parse_page(FileId(0), &db.file(FileId(0)).text, &mut diags);
        let requests: Vec<RequestPath> = page
            .sections
            .iter()
            .filter(|s| s.kind == SectionKind::HttpRequest)
            .flat_map(|s| &s.blocks)
            .filter_map(|b| match b {
                Block::Code(c) => Some(super::super::http::request_lines(&c.text)),
                _ => None,
            })
            .flatten()
            .map(|(_, p, _)| p)
            .collect();
        let refs: Vec<&RequestPath> = requests.iter().collect();
        read(&page, "POST", &refs)
    }

    #[test]
    fn action_parameters_with_required_wording() {
        let f = read_page(
            "# user: sendMail\n\n## HTTP request\n```http\nPOST /me/sendMail\n```\n\n## Request body\nIn the request body, provide a JSON object with the following parameters.\n\n| Parameter\t   | Type\t|Description|\n|:---|:---|:---|\n|message|[message](../resources/message.md)|The message to send. Required.|\n|saveToSentItems|Boolean|Whether to save. Optional.|\n|broken|\n|`comment`|String collection|\n",
        );
        assert!(f.body_is_parameters && f.body_table);
        let got: Vec<(&str, bool, Option<&TypeExpr>)> = f
            .body_parameters
            .iter()
            .map(|p| (p.name.value.as_str(), p.required, p.ty.as_ref().map(|t| &t.value)))
            .collect();
        assert_eq!(
            got,
            [
                ("message", true, Some(&TypeExpr::Named("message".into()))),
                ("saveToSentItems", false, Some(&TypeExpr::Primitive(Primitive::Boolean))),
                ("broken", false, None),
                (
                    "comment",
                    false,
                    Some(&TypeExpr::Collection(Box::new(TypeExpr::Primitive(Primitive::String))))
                ),
            ]
        );
        assert_eq!(
            f.body_parameters[0].ty_link.as_ref().map(|l| l.target.as_str()),
            Some("../resources/message.md")
        );
    }

    #[test]
    fn property_tables_and_no_body() {
        let f = read_page("# Update x\n\n## Request body\n|Property|Type|Description|\n|:--|:--|:--|\n|a|String|x|\n");
        assert!(!f.body_is_parameters && f.body_table);
        let f = read_page("# Delete x\n\n## Request body\nDon\u{2019}t supply a request body for this method.\n\n## Response\nIf successful, this method returns a `204 No Content` response code.\n");
        assert!(f.no_request_body && f.no_response_body && !f.body_table);
        let f = read_page("# getCachedReport\n\n## Response\nIf successful, this action returns a `200 OK` response code and a Stream in the response body.\n");
        assert_eq!(
            f.response_primitive.map(|t| t.value),
            Some(TypeExpr::Primitive(Primitive::Stream))
        );
        let f = read_page("# x\n\n## Response\nIf successful, this method returns a `201 Created` response code and a Location header.\n");
        assert!(f.response_primitive.is_none());
    }

    #[test]
    fn query_options_and_parameters() {
        let f = read_page("# List\n\n## Optional query parameters\nThis method supports the `$filter`, `$select`, and `expand` [OData query parameters](/graph/query-parameters) to help customize the response. To select items, use $top=5.\n");
        assert_eq!(f.query_options, ["$select", "$filter", "$expand", "$top"]);
        assert_eq!(f.query_support, QuerySupport::Listed);
        let f = read_page("# List\n\n## Optional query parameters\nThis method supports the [OData Query Parameters](/graph/query-parameters) to help customize the response.\n");
        assert_eq!((f.query_options.len(), f.query_support), (0, QuerySupport::General));
        let f = read_page("# List\n\n## Optional query parameters\nThis method does not support OData query parameters to customize the response.\n");
        assert_eq!(f.query_support, QuerySupport::None);
        let f = read_page("# calendarView\n\n## Query parameters\nIn the request URL, provide the following required query parameters with values.\n\n| Parameter | Type | Description |\n|:--|:--|:--|\n| startDateTime | String | The start. |\n| endDateTime | String |\n| $skipToken | String | Paging. |\n");
        let names: Vec<(&str, bool)> = f
            .query_parameters
            .iter()
            .map(|p| (p.name.value.as_str(), p.required))
            .collect();
        assert_eq!(names, [("startDateTime", true), ("endDateTime", true)]);
        assert_eq!(f.query_options, ["$skipToken"]);
    }

    #[test]
    fn headers() {
        let f = read_page("# Upload\n\n## Request headers\n| Name | Type | Description |\n|:--|:--|:--|\n| Authorization | string | Bearer {token}. Required. |\n| Content-Type | string | text/plain. Required. |\n| Accept | application/json |\n| Prefer: outlook.timezone | string | Time zone. Optional. |\n| ConsistencyLevel | string | eventual. Required for $count. |\n| If-Match | string | |\n| bad header name | x |\n");
        let got: Vec<(&str, Option<&str>, bool)> = f
            .request_headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_deref(), h.required))
            .collect();
        assert_eq!(
            got,
            [
                ("Content-Type", None, true),
                ("Prefer", Some("outlook.timezone"), false),
                ("ConsistencyLevel", None, true),
                ("If-Match", None, false),
            ]
        );
        assert_eq!(f.content_type.as_deref(), Some("text/plain"));
    }

    #[test]
    fn function_parameters_from_path_and_function_tables() {
        let f = read_page("# range: cell\n\n## HTTP request\n```http\nGET /me/drive/items/{id}/workbook/worksheets/{id}/cell(row={row},column={column})\n```\n\n## Path parameters\n| Parameter | Type | Description |\n|:--|:--|:--|\n|id|String|key|\n|row|Int32|Row.|\n|column|Int32|Column.|\n\n## Function parameters\n|Parameter|Type|Description|\n|:--|:--|:--|\n|token|string|Delta token.|\n");
        let got: Vec<&str> = f.function_parameters.iter().map(|p| p.name.value.as_str()).collect();
        assert_eq!(got, ["row", "column", "token"]);
    }
}
