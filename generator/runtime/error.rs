//! What can go wrong building a request or reading a response.

use serde::Deserialize;
use std::fmt;
use std::time::Duration;

/// Graph's OData error body: `{"error": {"code", "message", …}}`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ODataError {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub details: Vec<ErrorDetail>,
    /// Service-specific detail (`request-id`, `date`, nested errors).
    #[serde(default)]
    pub inner_error: Option<serde_json::Value>,
}

/// One entry of an OData error's `details`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ErrorDetail {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub target: Option<String>,
}

/// A response that is not the operation's typed result.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum GraphError {
    /// An error status with Graph's OData error body.
    Service {
        status: http::StatusCode,
        /// Boxed: the error stays small on the happy path's `Result`.
        error: Box<ODataError>,
        /// `Retry-After` in seconds (throttling: 429, 503, 504).
        retry_after: Option<Duration>,
        /// The `request-id` header, for support cases.
        request_id: Option<String>,
    },
    /// An error status whose body is not an OData error: an HTML page, an
    /// empty body, truncated JSON.
    Http {
        status: http::StatusCode,
        content_type: Option<String>,
        retry_after: Option<Duration>,
        /// The start of the body, lossily decoded.
        excerpt: String,
    },
    /// A success status whose body does not decode into the operation's type.
    Decode {
        status: http::StatusCode,
        content_type: Option<String>,
        /// JSON path of the value that failed (`$.value[3].createdDateTime`).
        path: String,
        message: String,
    },
}

const EXCERPT: usize = 200;

impl GraphError {
    /// The error of a non-2xx response.
    pub fn from_error_response(status: http::StatusCode, headers: &http::HeaderMap, body: &[u8]) -> Self {
        #[derive(Deserialize)]
        struct Envelope {
            error: ODataError,
        }
        let retry_after = retry_after(headers);
        match serde_json::from_slice::<Envelope>(body) {
            Ok(Envelope { error }) => GraphError::Service {
                status,
                error: Box::new(error),
                retry_after,
                request_id: header(headers, "request-id").or_else(|| header(headers, "client-request-id")),
            },
            Err(_) => GraphError::Http {
                status,
                content_type: header(headers, "content-type"),
                retry_after,
                excerpt: excerpt(body),
            },
        }
    }

    pub(crate) fn decode(
        status: http::StatusCode,
        headers: &http::HeaderMap,
        body: &[u8],
        path: &str,
        message: &str,
    ) -> Self {
        let mut message = message.to_owned();
        if body.is_empty() {
            message.push_str(" (empty body)");
        }
        GraphError::Decode {
            status,
            content_type: header(headers, "content-type"),
            path: path.to_owned(),
            message,
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> http::StatusCode {
        match self {
            GraphError::Service { status, .. } | GraphError::Http { status, .. } | GraphError::Decode { status, .. } => {
                *status
            }
        }
    }

    /// The OData error code (`Request_ResourceNotFound`), if the body had one.
    pub fn code(&self) -> Option<&str> {
        match self {
            GraphError::Service { error, .. } => Some(&error.code),
            _ => None,
        }
    }

    /// How long the service asked the caller to wait, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            GraphError::Service { retry_after, .. } | GraphError::Http { retry_after, .. } => *retry_after,
            GraphError::Decode { .. } => None,
        }
    }
}

fn header(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// `Retry-After` as delay-seconds (Graph's form); an HTTP date is not read
/// here, since that needs a clock.
fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    header(headers, "retry-after")?.trim().parse::<u64>().ok().map(Duration::from_secs)
}

fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT)]);
    let mut out: String = text.chars().filter(|c| !c.is_control() || *c == ' ').collect();
    if body.len() > EXCERPT {
        out.push('…');
    }
    out
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GraphError::Service { status, error, .. } => write!(f, "{status}: {}: {}", error.code, error.message),
            GraphError::Http {
                status,
                content_type,
                excerpt,
                ..
            } => {
                let ct = content_type.as_deref().unwrap_or("no content type");
                if excerpt.is_empty() {
                    write!(f, "{status} with an empty body ({ct})")
                } else {
                    write!(f, "{status} with a body that is not an OData error ({ct}): {excerpt}")
                }
            }
            GraphError::Decode {
                status, path, message, ..
            } => write!(f, "{status}: the response does not decode at {path}: {message}"),
        }
    }
}

impl std::error::Error for GraphError {}

/// A call that cannot become a request.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The body did not serialize.
    Body(serde_json::Error),
    /// The URL or a header is not valid HTTP.
    Http { url: String, message: String },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Body(e) => write!(f, "the request body does not serialize: {e}"),
            BuildError::Http { url, message } => write!(f, "invalid request for `{url}`: {message}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Body(e) => Some(e),
            BuildError::Http { .. } => None,
        }
    }
}
