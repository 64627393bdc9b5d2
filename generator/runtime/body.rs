//! Request and response bodies: JSON through serde, raw bytes, nothing.

use super::error::GraphError;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// How a request body goes on the wire.
pub trait RequestBody {
    /// The encoded bytes and their content type; `None` for no body.
    fn encode(&self) -> Result<Option<(Vec<u8>, &'static str)>, serde_json::Error>;
}

/// How a success response's body is read.
pub trait ResponseBody: Sized {
    /// Decodes a 2xx response body; never panics.
    fn decode(status: http::StatusCode, headers: &http::HeaderMap, body: &[u8]) -> Result<Self, GraphError>;
}

/// The body of an operation that sends none (`GET`, `DELETE`, most
/// functions).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NoBody;

impl RequestBody for NoBody {
    fn encode(&self) -> Result<Option<(Vec<u8>, &'static str)>, serde_json::Error> {
        Ok(None)
    }
}

/// Raw content (`$value`, file uploads, photos), with its content type.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Bytes {
    pub data: Vec<u8>,
    /// Sent as `Content-Type`; read from the response.
    pub content_type: Option<String>,
}

impl RequestBody for Bytes {
    fn encode(&self) -> Result<Option<(Vec<u8>, &'static str)>, serde_json::Error> {
        // A caller-set content type goes in the headers; this is the default.
        Ok(Some((self.data.clone(), "application/octet-stream")))
    }
}

impl ResponseBody for Bytes {
    fn decode(_: http::StatusCode, headers: &http::HeaderMap, body: &[u8]) -> Result<Self, GraphError> {
        Ok(Bytes {
            data: body.to_vec(),
            content_type: headers
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        })
    }
}

/// Every serde type is a JSON body: models, parameter structs,
/// `Collection<T>`, `serde_json::Value`.
impl<T: Serialize> RequestBody for T {
    fn encode(&self) -> Result<Option<(Vec<u8>, &'static str)>, serde_json::Error> {
        serde_json::to_vec(self).map(|b| Some((b, "application/json")))
    }
}

impl<T: DeserializeOwned> ResponseBody for T {
    /// An empty body reads as JSON `null`, so `()` and `Option<T>` accept
    /// `204 No Content` and a model reports the missing body as an error.
    fn decode(status: http::StatusCode, headers: &http::HeaderMap, body: &[u8]) -> Result<Self, GraphError> {
        let empty = body.iter().all(u8::is_ascii_whitespace);
        let json: &[u8] = if empty { b"null" } else { body };
        if !empty && !is_json(headers) && !json.starts_with(b"{") && !json.starts_with(b"[") {
            return Err(GraphError::decode(status, headers, body, "$", "the body is not JSON"));
        }
        let mut de = serde_json::Deserializer::from_slice(json);
        let value = match serde_path_to_error::deserialize(&mut de) {
            Ok(v) => v,
            Err(e) => {
                // OData wraps a primitive result (a function's `Edm.String`,
                // `Edm.Int32`): `{"@odata.context": …, "value": "…"}`.
                if let Some(v) = unwrapped(json) {
                    return Ok(v);
                }
                let outer = json_path(&e.path().to_string());
                let (path, message) = model_steps(outer, &e.into_inner().to_string());
                return Err(GraphError::decode(status, headers, body, &path, &message));
            }
        };
        de.end()
            .map_err(|e| GraphError::decode(status, headers, body, "$", &e.to_string()))?;
        Ok(value)
    }
}

/// The `value` of an OData wrapper (`value` and annotations only) read as
/// `T`, if it is one and reads.
fn unwrapped<T: DeserializeOwned>(json: &[u8]) -> Option<T> {
    let serde_json::Value::Object(mut map) = serde_json::from_slice(json).ok()? else {
        return None;
    };
    if !map.keys().all(|k| k == "value" || k.starts_with('@')) {
        return None;
    }
    serde_json::from_value(map.remove("value")?).ok()
}

fn is_json(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("json"))
}

/// serde_path_to_error's `a.b[0]` (or `.` for the root) as a JSON path.
fn json_path(path: &str) -> String {
    if path == "." || path.is_empty() {
        "$".to_owned()
    } else if path.starts_with('[') {
        format!("${path}")
    } else {
        format!("$.{path}")
    }
}

/// The body that adds a relationship (`POST …/members/$ref`): a reference
/// to the entity, `{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub struct Reference {
    /// The entity's URL.
    #[serde(rename = "@odata.id", default)]
    pub odata_id: String,
}

impl Reference {
    /// A reference to the entity at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Reference { odata_id: url.into() }
    }
}

/// The generated models name the way down in their errors
/// (`` `value`: `[3]`: `accountEnabled`: invalid type … ``): appended to the
/// JSON path, and removed from the message.
fn model_steps(mut path: String, message: &str) -> (String, String) {
    let mut rest = message;
    while let Some((step, tail)) = rest.strip_prefix('`').and_then(|r| r.split_once("`: ")) {
        if step.starts_with('[') {
            path.push_str(step);
        } else {
            path.push('.');
            path.push_str(step);
        }
        rest = tail;
    }
    (path, rest.to_owned())
}

/// A PATCH body: the fields set in `value` are changed, those absent are
/// left unchanged, and those named by [`Patch::set_null`] are cleared.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Patch<T> {
    pub value: T,
    nulls: Vec<String>,
}

impl<T> Patch<T> {
    /// Changes the fields set in `value`.
    pub fn new(value: T) -> Self {
        Patch {
            value,
            nulls: Vec::new(),
        }
    }

    /// Clears property `wire_name` (as Graph spells it: `jobTitle`); this
    /// wins over a value set for the same property.
    pub fn set_null(mut self, wire_name: impl Into<String>) -> Self {
        let name = wire_name.into();
        if !self.nulls.contains(&name) {
            self.nulls.push(name);
        }
        self
    }

    /// The properties cleared so far.
    pub fn nulls(&self) -> &[String] {
        &self.nulls
    }
}

impl<T> From<T> for Patch<T> {
    fn from(value: T) -> Self {
        Patch::new(value)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.nulls.is_empty() {
            return self.value.serialize(s);
        }
        let mut map = match serde_json::to_value(&self.value).map_err(serde::ser::Error::custom)? {
            serde_json::Value::Object(m) => m,
            _ => return Err(serde::ser::Error::custom("a PATCH body with nulls must be a JSON object")),
        };
        for n in &self.nulls {
            map.insert(n.clone(), serde_json::Value::Null);
        }
        map.serialize(s)
    }
}
