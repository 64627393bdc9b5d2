//! What an operation's page says beyond its request line: the body it takes
//! and returns, the query options, headers and function parameters it
//! accepts, and the request/response exchanges of its examples. Flattened
//! into [`super::Endpoint`] (see the README's "IR contract").

use super::TypeRef;
use crate::source::Location;
use serde::{Deserialize, Serialize};

/// The operation facts of one endpoint. Every field defaults, so IRs written
/// before these facts existed still read.
#[derive(Clone, Debug, Default, PartialEq, Hash, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationInfo {
    /// What the request carries.
    #[serde(default)]
    pub request_body: Body,
    /// Rows of the "Request body" tables: an action's parameters, or the
    /// properties a create/update page names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body_parameters: Vec<Parameter>,
    /// What a successful response carries.
    #[serde(default)]
    pub response_body: Body,
    /// OData system query options the page says the operation supports
    /// (`$select`, `$filter` …), as the page spells them, lowercase after `$`
    /// except `$skipToken`/`$deltaToken`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query_options: Vec<String>,
    /// How the page states query support: `listed` (the options above),
    /// `general` (it supports "the OData query parameters" without a list;
    /// the options above, if any, are the ones it names), `none` (it says it
    /// supports none), `unknown` (it does not say).
    #[serde(default, skip_serializing_if = "QuerySupport::is_unknown")]
    pub query_support: QuerySupport,
    /// Other query parameters from a query-parameter table (`startDateTime`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query_parameters: Vec<Parameter>,
    /// Documented request headers other than `Authorization` (and other than
    /// a JSON `Content-Type`/`Accept`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub request_headers: Vec<Header>,
    /// Typed parameters of functions called in the path
    /// (`cell(row={row},column={column})`), from "Function parameters" and
    /// "Path parameters" tables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub function_parameters: Vec<Parameter>,
    /// The page's annotated request examples, each with the response that
    /// follows it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exchanges: Vec<Exchange>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Hash, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BodyKind {
    /// The page does not say, and no rule tells.
    #[default]
    Unknown,
    /// No body: `204 No Content`, "Don't supply a request body", a GET or
    /// DELETE request.
    None,
    /// A value of `type` (a resource, a collection, or `Edm.Stream` for a
    /// non-JSON content type).
    Type,
    /// A JSON object of `bodyParameters` (actions).
    Parameters,
    /// An entity reference, `{"@odata.id": "<url>"}` (POST/PUT `…/$ref`).
    Reference,
}

/// Where a body type was read from.
#[derive(Clone, Copy, Debug, PartialEq, Hash, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TypeSource {
    /// The Request body / Response section's prose.
    Prose,
    /// The response example's annotation (`@odata.type`, `isCollection`).
    Annotation,
    /// The example's `@odata.context` or `@odata.type`.
    Example,
    /// The operation's own response type (a PATCH/PUT body).
    Response,
    /// The response type of a GET on the same path.
    Get,
    /// The path: the type of what its last segment addresses (a property
    /// or relationship of the type the rest of the path addresses).
    Path,
    /// A non-JSON `Content-Type` header (`Edm.Stream`).
    ContentType,
}

#[derive(Clone, Debug, Default, PartialEq, Hash, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Body {
    #[serde(default)]
    pub kind: BodyKind,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<TypeRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<TypeSource>,
    /// A media type other than JSON (`text/plain`, `application/octet-stream`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The page documents a body: for a request, the Request body section
    /// has a table or states a type, or an example request has a JSON body;
    /// for a response, the Response section states a type or an example
    /// response has a JSON body.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub documented: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Hash, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum QuerySupport {
    #[default]
    Unknown,
    Listed,
    General,
    None,
}

/// A body, query or function parameter.
#[derive(Clone, Debug, PartialEq, Hash, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    pub name: String,
    /// `None` when the table has no type column or the cell is not a type.
    #[serde(rename = "type", default)]
    pub ty: Option<TypeRef>,
    /// The page says "Required" (a Required column or the description).
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub source: Location,
}

#[derive(Clone, Debug, PartialEq, Hash, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    pub name: String,
    /// A fixed value the page gives (`outlook.timezone` of `Prefer:
    /// outlook.timezone`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The value or description column as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub source: Location,
}

/// A request example and the response example after it.
#[derive(Clone, Debug, PartialEq, Hash, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Exchange {
    pub request: ExampleRequest,
    #[serde(default)]
    pub response: Option<ExampleResponse>,
    /// Which request line the example fits: 0 the endpoint's `path`, `i` its
    /// `alternatePaths[i - 1]`.
    #[serde(default)]
    pub line: usize,
    #[serde(default)]
    pub source: Location,
}

#[derive(Clone, Debug, PartialEq, Hash, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExampleRequest {
    pub method: String,
    /// Path and query as written, host and version segment removed
    /// (`/me/assignLicense?$select=id`).
    pub target: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The host of an absolute URL (`graph.microsoft.com`, or a bot's
    /// callback host for notification examples).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The block carries a `blockType: request` annotation.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub annotated: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Hash, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExampleResponse {
    pub status: u16,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The annotation's `@odata.type`, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub odata_type: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_collection: bool,
    #[serde(default)]
    pub source: Location,
}

impl QuerySupport {
    pub fn is_unknown(&self) -> bool {
        *self == QuerySupport::Unknown
    }
}

impl OperationInfo {
    /// Re-links type names to model types after reading JSON.
    pub(super) fn relink(&mut self, lookup: &dyn Fn(&str) -> Option<super::TypeId>) {
        let params = self
            .body_parameters
            .iter_mut()
            .chain(&mut self.query_parameters)
            .chain(&mut self.function_parameters);
        for t in params.filter_map(|p| p.ty.as_mut()) {
            t.relink(lookup);
        }
        for t in [&mut self.request_body.ty, &mut self.response_body.ty]
            .into_iter()
            .flatten()
        {
            t.relink(lookup);
        }
    }
}
