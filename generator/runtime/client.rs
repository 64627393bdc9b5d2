//! An async client over reqwest (feature `reqwest`): a bearer token from
//! your provider on every request, retries on throttling by a
//! [`RetryPolicy`], paging over `@odata.nextLink`. Everything else is the
//! sans-IO core: [`Call::to_request`] and [`Operation::parse_response`].
//!
//! ```
//! # #[cfg(all(feature = "mock", feature = "users"))] {
//! use generated::operations::ListAgreementAcceptances;
//! use generated::runtime::client::{Client, StaticToken};
//! use generated::runtime::mock::{Exchange, Exchanges, MockServer};
//!
//! // A local server that answers one scripted exchange (or the docs' own:
//! // `Exchanges::documented()`).
//! let server = MockServer::start(Exchanges::new().with(Exchange::json(
//!     "GET",
//!     "/me/agreementAcceptances",
//!     200,
//!     r#"{"value": [{"id": "94410bbf", "userDisplayName": "Adele Vance"}]}"#,
//! )))
//! .unwrap();
//!
//! let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
//! rt.block_on(async {
//!     let client = Client::builder(StaticToken::new("token")).base_url(server.base_url()).build().unwrap();
//!     let page = client.send(&ListAgreementAcceptances::me()).await.unwrap();
//!     assert_eq!(page.value[0].user_display_name.as_deref(), Some("Adele Vance"));
//! });
//! # }
//! ```

use super::batch::{Batch, BatchError, BatchResponse};
use super::call::{BaseUrl, Call, Operation};
use super::error::{BuildError, GraphError};
use super::paging::{same_origin, Paged};
use super::retry::{Retry, RetryPolicy};
use super::upload::{Step, Upload, UploadError};
use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Any error a token provider returns.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What [`TokenProvider::token`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<String, BoxError>> + Send + 'a>>;

/// Where bearer tokens come from: your own code (MSAL, azure_identity, a
/// cache, a test constant); no auth library is built in. Asked before
/// every attempt, so a provider that refreshes tokens just works.
///
/// Any `Fn() -> impl Future<Output = Result<String, E>>` is one:
///
/// ```
/// # fn demo() -> generated::runtime::client::ClientBuilder {
/// generated::runtime::client::Client::builder(|| async { Ok::<_, std::io::Error>("eyJ0eX…".to_owned()) })
/// # }
/// ```
pub trait TokenProvider: Send + Sync {
    /// The access token, without the `Bearer ` prefix.
    fn token(&self) -> TokenFuture<'_>;
}

impl<F, Fut, E> TokenProvider for F
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<String, E>> + Send + 'static,
    E: Into<BoxError>,
{
    fn token(&self) -> TokenFuture<'_> {
        let fut = self();
        Box::pin(async move { fut.await.map_err(Into::into) })
    }
}

/// A fixed token (tests, short scripts).
#[derive(Clone)]
pub struct StaticToken(String);

impl StaticToken {
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(token.into())
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(…)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }
}

/// Everything that can go wrong sending a call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The call did not become a request.
    Build(BuildError),
    /// The batch did not become a request.
    Batch(BatchError),
    /// The token provider failed.
    Token(BoxError),
    /// No response: connection, TLS, timeout.
    Transport(reqwest::Error),
    /// A response that is not the typed result: an error status (after
    /// retries), or a body that does not decode.
    Graph(GraphError),
    /// A response body larger than the client's limit.
    TooLarge { limit: usize },
    /// A paging link the client will not follow: another origin (the token
    /// would leave), one already fetched (a loop), or past the page limit.
    Link { link: String, reason: &'static str },
    /// A large file upload stopped ([`Client::upload`]).
    Upload(UploadError),
}

impl Error {
    /// The Graph error, if the service answered with one.
    pub fn graph(&self) -> Option<&GraphError> {
        match self {
            Error::Graph(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Build(e) => e.fmt(f),
            Error::Batch(e) => e.fmt(f),
            Error::Token(e) => write!(f, "the token provider failed: {e}"),
            Error::Transport(e) => write!(f, "no response: {e}"),
            Error::Graph(e) => e.fmt(f),
            Error::TooLarge { limit } => write!(f, "the response body is larger than {limit} bytes"),
            Error::Link { link, reason } => write!(f, "not following `{link}`: {reason}"),
            Error::Upload(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Build(e) => Some(e),
            Error::Batch(e) => Some(e),
            Error::Token(e) => Some(e.as_ref()),
            Error::Transport(e) => Some(e),
            Error::Graph(e) => Some(e),
            Error::Upload(e) => Some(e),
            Error::TooLarge { .. } | Error::Link { .. } => None,
        }
    }
}

impl From<GraphError> for Error {
    fn from(e: GraphError) -> Self {
        Error::Graph(e)
    }
}

impl From<UploadError> for Error {
    fn from(e: UploadError) -> Self {
        Error::Upload(e)
    }
}

impl From<BatchError> for Error {
    fn from(e: BatchError) -> Self {
        Error::Batch(e)
    }
}

impl From<BuildError> for Error {
    fn from(e: BuildError) -> Self {
        Error::Build(e)
    }
}

/// Sends calls. Cheap to clone (shared inside).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: BaseUrl,
    token: Box<dyn TokenProvider>,
    retry: RetryPolicy,
    max_body: usize,
    max_pages: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.inner.base)
            .field("retry", &self.inner.retry)
            .field("max_body", &self.inner.max_body)
            .field("max_pages", &self.inner.max_pages)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    http: Option<reqwest::Client>,
    base: BaseUrl,
    token: Box<dyn TokenProvider>,
    retry: RetryPolicy,
    max_body: usize,
    max_pages: usize,
    timeout: Duration,
}

impl Client {
    /// A client with `token`, v1.0 of the global service, the default
    /// [`RetryPolicy`], a 100 s timeout per attempt.
    pub fn new(token: impl TokenProvider + 'static) -> Result<Client, Error> {
        Client::builder(token).build()
    }

    /// A client to configure.
    pub fn builder(token: impl TokenProvider + 'static) -> ClientBuilder {
        ClientBuilder {
            http: None,
            base: BaseUrl::default(),
            token: Box::new(token),
            retry: RetryPolicy::default(),
            max_body: 64 << 20,
            max_pages: 1000,
            timeout: Duration::from_secs(100),
        }
    }

    /// The root every relative call goes under.
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.base
    }

    /// Sends `call` (retrying on throttling) and parses the response into
    /// the operation's output or an error. Never panics on a response.
    pub async fn send<O: Operation>(&self, call: &Call<O>) -> Result<O::Output, Error> {
        let request = call.to_request(&self.inner.base)?;
        let response = self.execute(request).await?;
        O::parse_response(response).map_err(Error::Graph)
    }

    /// Sends `batch` as one `POST /$batch` and returns every item's answer
    /// ([`BatchResponse::result`] reads each as its operation's output or
    /// its error). The batch request itself is retried like any request;
    /// then the items the retry policy retries (throttled ones, each by its
    /// own `Retry-After`, and those that failed on them with `424`) are sent
    /// again as a smaller batch, within the policy's attempts and time; the
    /// others keep their first answer.
    ///
    /// ```no_run
    /// # async fn demo(client: generated::runtime::client::Client) -> Result<(), generated::runtime::client::Error> {
    /// # #[cfg(feature = "users")] {
    /// use generated::operations::{GetUser, ListAgreementAcceptances};
    /// use generated::runtime::Batch;
    ///
    /// let mut batch = Batch::new();
    /// let me = batch.add(&GetUser::me())?;
    /// let acceptances = batch.add(&ListAgreementAcceptances::me())?;
    /// let answers = client.send_batch(&batch).await?;
    /// let me = answers.result(&me)?; // a `User`, or this item's `GraphError`
    /// let acceptances = answers.result(&acceptances)?;
    /// # }
    /// # Ok(()) }
    /// ```
    pub async fn send_batch(&self, batch: &Batch) -> Result<BatchResponse, Error> {
        let started = Instant::now();
        let mut pending = batch.clone();
        let mut answers = BatchResponse::default();
        // The policy bounds the rounds; this bounds a policy without bounds.
        for attempt in 1..=MAX_BATCH_ROUNDS {
            let request = pending.to_request(&self.inner.base)?;
            let response = self.execute(request).await?;
            answers.merge(BatchResponse::parse(response)?);
            let plan = pending.retry_throttled(
                &answers,
                &self.inner.retry,
                attempt,
                started.elapsed(),
                std::time::SystemTime::now(),
                super::retry::random(),
            );
            match plan {
                Some(plan) => {
                    tokio::time::sleep(plan.after).await;
                    pending = plan.batch;
                }
                None => break,
            }
        }
        Ok(answers)
    }

    /// Drives `upload` to its end: each range `PUT` to the `uploadUrl`
    /// (without the bearer token: the URL is the credential, on whatever
    /// host the service chose), and after a failure (429, 416, 5xx, no
    /// response) a wait by the retry policy (its `Retry-After`, else its
    /// doubling delay) and the status `GET` to resume from. Returns the
    /// final item as `T` (`DriveItem`, or `serde_json::Value`). `data` is
    /// the whole file.
    ///
    /// ```no_run
    /// # async fn demo(client: generated::runtime::client::Client, data: Vec<u8>) -> Result<(), generated::runtime::client::Error> {
    /// # #[cfg(feature = "sharepoint")] {
    /// use generated::graph::DriveItem;
    /// use generated::operations::{UploadLargeFilesWithAnUploadSession, UploadLargeFilesWithAnUploadSessionBody};
    /// use generated::runtime::{Upload, UPLOAD_CHUNK_UNIT};
    ///
    /// let create = UploadLargeFilesWithAnUploadSession::me_drive("root:/big.bin:", UploadLargeFilesWithAnUploadSessionBody::default());
    /// let session = client.send(&create).await?;
    /// let upload = Upload::from_session(&session, data.len() as u64, 10 * UPLOAD_CHUNK_UNIT)?;
    /// let item: DriveItem = client.upload(upload, &data).await?;
    /// # }
    /// # Ok(()) }
    /// ```
    pub async fn upload<T: serde::de::DeserializeOwned>(&self, mut upload: Upload, data: &[u8]) -> Result<T, Error> {
        let inner = &self.inner;
        let started = Instant::now();
        loop {
            let request = upload.next_request(data)?;
            let req = reqwest::Request::try_from(request).map_err(Error::Transport)?;
            let sent = match inner.http.execute(req).await {
                Ok(response) => read(response, inner.max_body).await,
                Err(e) => Err(Error::Transport(e)),
            };
            let (status, headers) = match sent {
                Ok(response) => {
                    let (status, headers) = (response.status(), response.headers().clone());
                    match upload.on_response::<T>(response)? {
                        Step::Done(item) => return Ok(item),
                        Step::Continue => continue,
                        Step::Resume => (status, headers),
                    }
                }
                // No response, or a body cut off: ask the session where it stands.
                Err(Error::Transport(_)) => {
                    upload.on_transport_error()?;
                    (http::StatusCode::SERVICE_UNAVAILABLE, http::HeaderMap::new())
                }
                Err(e) => return Err(e),
            };
            // A wait before the status `GET`: the policy's, for any failure.
            let failures = upload.failures();
            let delay = match inner.retry.decide(
                failures,
                http::StatusCode::SERVICE_UNAVAILABLE,
                &headers,
                started.elapsed(),
            ) {
                Retry::After(d) if status != http::StatusCode::RANGE_NOT_SATISFIABLE => d,
                Retry::After(_) => Duration::ZERO,
                Retry::GiveUp(_) => inner.retry.base_delay.min(inner.retry.max_delay),
            };
            tokio::time::sleep(delay).await;
        }
    }

    /// Sends any request under the retry policy, with the bearer token
    /// (unless it already has an `Authorization` header), and returns the
    /// response whatever its status. Only the base URL's origin gets the
    /// token.
    pub async fn execute(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, Error> {
        let inner = &self.inner;
        let url = request.uri().to_string();
        if !same_origin(&inner.base, &url) {
            return Err(Error::Link {
                link: url,
                reason: "another origin than the client's base URL",
            });
        }
        let started = Instant::now();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let mut req = reqwest::Request::try_from(request.clone()).map_err(Error::Transport)?;
            if !req.headers().contains_key(http::header::AUTHORIZATION) {
                let token = inner.token.token().await.map_err(Error::Token)?;
                let value = http::HeaderValue::try_from(format!("Bearer {token}"))
                    .map_err(|e| Error::Token(format!("the token is not a valid header value: {e}").into()))?;
                req.headers_mut().insert(http::header::AUTHORIZATION, value);
            }
            let response = inner.http.execute(req).await.map_err(Error::Transport)?;
            let response = read(response, inner.max_body).await?;
            match inner
                .retry
                .decide(attempt, response.status(), response.headers(), started.elapsed())
            {
                Retry::After(delay) => tokio::time::sleep(delay).await,
                Retry::GiveUp(_) => return Ok(response),
            }
        }
    }

    /// The pages of `call`, following `@odata.nextLink` (at most the
    /// client's page limit, never the same link twice, never to another
    /// origin):
    ///
    /// ```no_run
    /// # async fn demo<O: generated::runtime::Operation<Output = generated::Collection<serde_json::Value>>>(
    /// #     client: generated::runtime::client::Client, call: generated::runtime::Call<O>,
    /// # ) -> Result<(), generated::runtime::client::Error> where O::Body: Clone {
    /// let mut pages = client.pages(call);
    /// while let Some(page) = pages.next().await {
    ///     for item in page?.value {
    ///         println!("{item}");
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages<O>(&self, call: Call<O>) -> Pages<O>
    where
        O: Operation,
        O::Body: Clone,
        O::Output: Paged,
    {
        Pages {
            client: self.clone(),
            next: Some(Ok(call)),
            seen: HashSet::new(),
            fetched: 0,
            delta_link: None,
        }
    }
}

impl ClientBuilder {
    /// Where calls go (national clouds, `beta`, a mock server).
    pub fn base_url(mut self, base: BaseUrl) -> Self {
        self.base = base;
        self
    }

    /// How throttled requests are retried ([`RetryPolicy::none`] to never).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Your own reqwest client (proxies, TLS, pools); the timeout below is
    /// then yours to set on it.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The timeout of one attempt (default 100 s, Graph's own).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The largest response body read (default 64 MiB).
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// The most pages one [`Pages`] fetches (default 1,000).
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = pages;
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let http = match self.http {
            Some(h) => h,
            None => reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.timeout.min(Duration::from_secs(30)))
                .build()
                .map_err(Error::Transport)?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base: self.base,
                token: self.token,
                retry: self.retry,
                max_body: self.max_body,
                max_pages: self.max_pages,
            }),
        })
    }
}

/// The most rounds [`Client::send_batch`] sends, whatever the policy.
const MAX_BATCH_ROUNDS: u32 = 100;

/// Reads a response whole, up to `limit` bytes.
async fn read(mut response: reqwest::Response, limit: usize) -> Result<http::Response<Vec<u8>>, Error> {
    let mut builder = http::Response::builder()
        .status(response.status())
        .version(response.version());
    if let Some(h) = builder.headers_mut() {
        *h = std::mem::take(response.headers_mut());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Error::Transport)? {
        if body.len() + chunk.len() > limit {
            return Err(Error::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    builder.body(body).map_err(|e| {
        Error::Build(BuildError::Http {
            url: String::new(),
            message: e.to_string(),
        })
    })
}

/// The pages of one call: an async iterator (`while let Some(page) =
/// pages.next().await`). Ends after the last page, after an error, or at
/// the client's page limit (with an [`Error::Link`]).
pub struct Pages<O: Operation> {
    client: Client,
    /// The next call, or the error that ends the pages after the last one
    /// returned.
    next: Option<Result<Call<O>, Error>>,
    seen: HashSet<String>,
    fetched: usize,
    delta_link: Option<String>,
}

impl<O> Pages<O>
where
    O: Operation,
    O::Body: Clone,
    O::Output: Paged,
{
    /// The next page, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<O::Output, Error>> {
        let call = match self.next.take()? {
            Ok(call) => call,
            Err(e) => return Some(Err(e)),
        };
        if self.fetched >= self.client.inner.max_pages {
            return Some(Err(Error::Link {
                link: call.target(),
                reason: "the client's page limit is reached",
            }));
        }
        self.fetched += 1;
        let page = match self.client.send(&call).await {
            Ok(p) => p,
            Err(e) => return Some(Err(e)),
        };
        self.delta_link = page.delta_link().map(str::to_owned);
        if let Some(link) = page.next_link() {
            self.next = Some(if self.seen.insert(link.to_owned()) {
                Ok(call.follow(link))
            } else {
                Err(Error::Link {
                    link: link.to_owned(),
                    reason: "the same next link came twice (a paging loop)",
                })
            });
        }
        Some(Ok(page))
    }

    /// Pages fetched so far.
    pub fn fetched(&self) -> usize {
        self.fetched
    }

    /// The last page's `@odata.deltaLink` (a delta query's next round), once
    /// the last page is read.
    pub fn delta_link(&self) -> Option<&str> {
        self.delta_link.as_deref()
    }
}
