//! The operation core: how a typed call becomes an [`http::Request`] and how
//! an [`http::Response`] becomes its typed result or a [`GraphError`].
//!
//! Everything here is sans-IO: no HTTP client, no clock, no runtime. An
//! operation is a unit type implementing [`Operation`] (its method, body
//! type, output type and docs); a [`Call`] is one filled-in request of it,
//! built by the operation's request-line constructors:
//!
//! ```
//! # #[cfg(feature = "users")] {
//! use generated::graph::AgreementAcceptance;
//! use generated::operations::ListAgreementAcceptances;
//! use generated::runtime::prelude::*;
//!
//! // `GET /users/{userId}/agreementAcceptances`, with a typed `$select`.
//! let call = ListAgreementAcceptances::user("adele@contoso.com")
//!     .select((AgreementAcceptance::ID, AgreementAcceptance::USER_DISPLAY_NAME));
//! let request = call.to_request(&BaseUrl::default()).unwrap();
//! assert_eq!(request.method(), http::Method::GET);
//! assert_eq!(
//!     request.uri(),
//!     "https://graph.microsoft.com/v1.0/users/adele%40contoso.com/agreementAcceptances?$select=id,userDisplayName"
//! );
//!
//! let response = http::Response::builder()
//!     .status(200)
//!     .header("content-type", "application/json")
//!     .body(br#"{"value": [{"id": "94410bbf", "userDisplayName": "Adele Vance"}]}"#.to_vec())
//!     .unwrap();
//! let page = ListAgreementAcceptances::parse_response(response).unwrap();
//! assert_eq!(page.value[0].user_display_name.as_deref(), Some("Adele Vance"));
//!
//! let throttled = http::Response::builder()
//!     .status(429)
//!     .header("retry-after", "7")
//!     .body(br#"{"error": {"code": "TooManyRequests", "message": "Slow down"}}"#.to_vec())
//!     .unwrap();
//! let err = ListAgreementAcceptances::parse_response(throttled).unwrap_err();
//! assert_eq!(err.code(), Some("TooManyRequests"));
//! assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(7)));
//! # }
//! ```
//!
//! Multi-request flows are built from these two steps, so any HTTP client
//! can drive them: paging ([`next_call`], [`Paged`], delta rounds),
//! throttling ([`RetryPolicy::decide_at`]), JSON batching ([`Batch`],
//! [`BatchResponse`], [`Batch::retry_throttled`]) and large file upload
//! ([`Upload`]) are pure functions too. Feature `reqwest` adds
//! [`client`], an async client that does both; feature `mock` adds [`mock`],
//! a replay server of the docs' example pairs on 127.0.0.1 (and
//! [`mock_upload`], upload sessions that accumulate ranges, and
//! [`mock_check`], your own responses checked against the model); both together add
//! [`replay`], the typed replay of every pair that `tests/replay.rs` runs.

mod batch;
mod body;
mod call;
mod error;
mod literal;
mod paging;
mod path;
mod query;
mod retry;
mod selectors;
mod upload;

#[cfg(feature = "reqwest")]
pub mod client;
#[cfg(all(test, feature = "reqwest", feature = "mock"))]
mod client_tests;
#[cfg(feature = "mock")]
pub mod mock;
#[cfg(feature = "mock")]
pub mod mock_check;
#[cfg(feature = "mock")]
mod mock_faults;
#[cfg(feature = "mock")]
mod mock_match;
#[cfg(feature = "mock")]
pub mod mock_upload;
#[cfg(all(feature = "mock", feature = "reqwest"))]
pub mod replay;

pub use batch::{Batch, BatchError, BatchResponse, BatchRetry, ItemResponse, Key, MAX_BATCH_ITEMS};
pub use body::{Bytes, NoBody, Patch, Reference, RequestBody, ResponseBody};
pub use call::{BaseUrl, Call, Operation};
pub use error::{BuildError, ErrorDetail, GraphError, ODataError};
pub use literal::Literal;
pub use paging::{delta_call, next_call, same_origin, DeltaItem, Paged, Removed};
#[doc(hidden)]
pub use path::fill;
pub use path::Hole;
pub use query::{Count, Expand, Filter, Headers, OrderBy, Query, Search, Select, Skip, SkipToken, Top};
pub use retry::{http_date, retry_after, GiveUp, Retry, RetryPolicy};
pub use selectors::{
    Comparable, ExpandList, Expansion, Expr, Field, Nav, OrderKey, OrderList, Path, QueryItem, SelectList, Untyped,
};
pub use upload::{parse_ranges, Step, Upload, UploadError, MAX_UPLOAD_CHUNK, UPLOAD_CHUNK_UNIT};

/// Everything a caller needs in scope: the operation trait, the call type,
/// the query-option traits that add typed setters, and the body wrappers.
pub mod prelude {
    pub use super::{
        BaseUrl, Bytes, Call, Count, Expand, Filter, GraphError, Literal, NoBody, Operation, OrderBy, Patch, QueryItem,
        Reference, Search, Select, Skip, SkipToken, Top,
    };
}
