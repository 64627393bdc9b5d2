//! The client against the replay server on 127.0.0.1: throttling, paging,
//! bad responses. Every test is bounded: a few requests, seconds at most.

use super::batch::{Batch, BatchError};
use super::call::{Call, Operation};
use super::client::{Client, Error, StaticToken};
use super::error::GraphError;
use super::mock::{Exchange, Exchanges, Faults, MockServer};
use super::retry::RetryPolicy;
use super::NoBody;
use crate::support::{Collection, Endpoint, Method};
use std::time::{Duration, Instant};

struct ListUsers;
impl Operation for ListUsers {
    type Body = NoBody;
    type Output = Collection<serde_json::Value>;
    const ENDPOINT: &'static Endpoint = &Endpoint {
        name: "List users",
        method: Method::Get,
        path: "/users",
        parameters: &[],
        request_type: None,
        response_type: None,
        success_status: Some(200),
        permissions: &[],
    };
}

#[derive(Debug, PartialEq)]
struct User {
    id: String,
}

impl<'de> serde::Deserialize<'de> for User {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        struct Raw {
            id: String,
        }
        Raw::deserialize(d).map(|r| User { id: r.id })
    }
}

struct GetUser;
impl Operation for GetUser {
    type Body = NoBody;
    type Output = User;
    const ENDPOINT: &'static Endpoint = &Endpoint {
        name: "Get user",
        method: Method::Get,
        path: "/users/{id}",
        parameters: &["id"],
        request_type: None,
        response_type: None,
        success_status: Some(200),
        permissions: &[],
    };
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(30), f)
            .await
            .expect("bounded test")
    })
}

fn client(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder(StaticToken::new("t0ken"))
        .base_url(server.base_url())
        .retry(retry)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn get_user() -> Call<GetUser> {
    Call::from_parts("/users/1".into(), NoBody)
}

#[test]
fn throttled_then_ok_waits_for_retry_after() {
    let server = MockServer::start(
        Exchanges::new()
            .with(
                Exchange::json(
                    "GET",
                    "/users/1",
                    429,
                    r#"{"error": {"code": "TooManyRequests", "message": "slow down"}}"#,
                )
                .response_header("Retry-After", "1")
                .once(),
            )
            .with(Exchange::json("GET", "/users/1", 200, r#"{"id": "1"}"#)),
    )
    .unwrap();
    let started = Instant::now();
    let user = run(client(&server, RetryPolicy::default()).send(&get_user())).unwrap();
    assert_eq!(user, User { id: "1".into() });
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After honoured");
    let seen = server.seen();
    assert_eq!(seen.iter().map(|s| s.status).collect::<Vec<_>>(), [429, 200]);
}

/// Users `1`..=`n`, each answered by its example.
fn users(n: u32) -> Exchanges {
    (1..=n).fold(Exchanges::new(), |x, i| {
        x.with(Exchange::json("GET", &format!("/users/{i}"), 200, &format!(r#"{{"id": "{i}"}}"#)))
    })
}

fn get(i: u32) -> Call<GetUser> {
    Call::from_parts(format!("/users/{i}"), NoBody)
}

#[test]
fn the_client_waits_as_the_faulty_mock_tells() {
    // One route faulted every time, with a real (1 s) wait; the rest never.
    let faults = Faults::new(0.0, 7).route("GET", "/users/2", 1.0).statuses(&[503]);
    let server = MockServer::start_with(users(3), 0, true, Some(faults)).unwrap();
    let client = client(&server, RetryPolicy::default());
    let started = Instant::now();
    for i in 1..=3 {
        assert_eq!(run(client.send(&get(i))).unwrap(), User { id: i.to_string() });
    }
    assert!(started.elapsed() >= Duration::from_secs(1));
    let seen: Vec<u16> = server.seen().iter().map(|s| s.status).collect();
    assert_eq!(seen, [200, 503, 200, 200]);
    let report = server.fault_report().unwrap();
    assert_eq!(
        report.line(),
        "faults: injected 1, retried 1, waited as told 1, lost 0"
    );
    assert!(report.ok());
}

#[test]
fn seeded_faults_repeat_and_a_client_that_does_not_retry_loses_them() {
    let statuses = |retry: RetryPolicy| {
        let faults = Faults::new(0.3, 7).retry_after(0);
        let server = MockServer::start_with(users(40), 0, true, Some(faults)).unwrap();
        let client = client(&server, retry);
        let ok = (1..=40).filter(|&i| run(client.send(&get(i))).is_ok()).count();
        let faulted: Vec<(String, u16)> = server
            .mock()
            .fault_records()
            .into_iter()
            .map(|r| (r.path, r.status))
            .collect();
        (ok, faulted, server.fault_report().unwrap())
    };
    let (ok, faulted, report) = statuses(RetryPolicy::default());
    assert_eq!(ok, 40);
    assert!((4..=20).contains(&faulted.len()), "{faulted:?}");
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.injected, faulted.len());
    // The same seed, the same requests: the same faults; without retries
    // each is an error and lost.
    let (ok, again, report) = statuses(RetryPolicy::none());
    assert_eq!(again, faulted);
    assert_eq!(ok, 40 - faulted.len());
    assert_eq!((report.retried, report.lost), (0, faulted.len()));
}

#[test]
fn throttling_gives_up_after_the_policy_s_attempts() {
    let server = MockServer::start(
        Exchanges::new().with(
            Exchange::json(
                "GET",
                "/users/1",
                503,
                r#"{"error": {"code": "serviceNotAvailable", "message": "later"}}"#,
            )
            .response_header("Retry-After", "0"),
        ),
    )
    .unwrap();
    let policy = RetryPolicy {
        max_attempts: 3,
        ..RetryPolicy::default()
    };
    let err = run(client(&server, policy).send(&get_user())).unwrap_err();
    let graph = err.graph().expect("a Graph error");
    assert_eq!(graph.status(), 503);
    assert_eq!(graph.code(), Some("serviceNotAvailable"));
    assert_eq!(graph.retry_after(), Some(Duration::ZERO));
    assert_eq!(server.seen().len(), 3);
}

#[test]
fn three_pages_through_next_links() {
    let page = |n: u32, next: Option<u32>| {
        let link = next
            .map(|m| format!(r#", "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$top=2&$skiptoken=p{m}""#))
            .unwrap_or_default();
        format!(r#"{{"value": [{{"id": "{n}a"}}, {{"id": "{n}b"}}]{link}}}"#)
    };
    let server = MockServer::start(
        Exchanges::new()
            .with(Exchange::json("GET", "/users?$top=2", 200, &page(1, Some(2))))
            .with(Exchange::json(
                "GET",
                "/users?$top=2&$skiptoken=p2",
                200,
                &page(2, Some(3)),
            ))
            .with(Exchange::json(
                "GET",
                "/users?$top=2&$skiptoken=p3",
                200,
                &page(3, None),
            )),
    )
    .unwrap();
    let client = client(&server, RetryPolicy::none());
    let ids = run(async {
        let mut pages = client.pages(Call::<ListUsers>::from_parts("/users".into(), NoBody).query_param("$top", "2"));
        let mut ids = Vec::new();
        while let Some(page) = pages.next().await {
            ids.extend(
                page.unwrap()
                    .value
                    .into_iter()
                    .map(|v| v["id"].as_str().unwrap().to_owned()),
            );
        }
        assert_eq!(pages.fetched(), 3);
        ids
    });
    assert_eq!(ids, ["1a", "1b", "2a", "2b", "3a", "3b"]);
}

#[test]
fn a_paging_loop_and_a_foreign_link_stop() {
    let server = MockServer::start_on(
        Exchanges::new()
            .with(Exchange::json(
                "GET",
                "/users",
                200,
                r#"{"value": [], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=x"}"#,
            ))
            .with(Exchange::json(
                "GET",
                "/users?$skiptoken=x",
                200,
                r#"{"value": [], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=x"}"#,
            )),
        0,
        true,
    )
    .unwrap();
    let client = client(&server, RetryPolicy::none());
    run(async {
        let mut pages = client.pages(Call::<ListUsers>::from_parts("/users".into(), NoBody));
        assert!(pages.next().await.unwrap().is_ok());
        assert!(pages.next().await.unwrap().is_ok());
        assert!(matches!(pages.next().await, Some(Err(Error::Link { .. }))));
        assert!(pages.next().await.is_none());
    });
    // Without rewriting, the link leads to Graph itself: the token stays home.
    let foreign = MockServer::start_on(
        Exchanges::new().with(Exchange::json(
            "GET",
            "/users",
            200,
            r#"{"value": [], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=x"}"#,
        )),
        0,
        false,
    )
    .unwrap();
    let client = Client::builder(StaticToken::new("t"))
        .base_url(foreign.base_url())
        .build()
        .unwrap();
    run(async {
        let mut pages = client.pages(Call::<ListUsers>::from_parts("/users".into(), NoBody));
        assert!(pages.next().await.unwrap().is_ok());
        let err = pages.next().await.unwrap().unwrap_err();
        assert!(err.to_string().contains("another origin"), "{err}");
    });
    assert_eq!(foreign.seen().len(), 1);
}

/// Every kind of bad answer becomes an error value, never a panic.
#[test]
fn bad_responses_are_errors() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let cases: Vec<(u16, &str, &str)> = vec![
        (200, "text/html", html),
        (502, "text/html", html),
        (200, "application/json", ""),
        (500, "application/json", ""),
        (200, "application/json", r#"{"id": "1", "displ"#),
        (400, "application/json", r#"{"error": {"code": "Bad"#),
        (200, "text/plain", "id=1"),
        (200, "application/json", r#"{"id": 1}"#),
        (200, "application/json", r#"[1, 2]"#),
        (200, "application/octet-stream", "\u{0}\u{1}\u{2}"),
    ];
    let mut exchanges = Exchanges::new();
    for (i, (status, ct, body)) in cases.iter().enumerate() {
        let mut x = Exchange::json("GET", &format!("/users/{i}"), *status, body);
        if let Some(r) = &mut x.response {
            r.headers = vec![("Content-Type".into(), ct.to_string())];
        }
        exchanges.push(x);
    }
    let server = MockServer::start(exchanges).unwrap();
    let client = client(&server, RetryPolicy::none());
    let errors: Vec<GraphError> = run(async {
        let mut out = Vec::new();
        for i in 0..cases.len() {
            let call = Call::<GetUser>::from_parts(format!("/users/{i}"), NoBody);
            match client.send(&call).await {
                Err(Error::Graph(e)) => out.push(e),
                other => panic!("case {i}: {other:?}"),
            }
        }
        out
    });
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(matches!(errors[0], GraphError::Decode { .. }), "{}", shown[0]);
    assert!(shown[0].contains("not JSON"), "{}", shown[0]);
    assert!(matches!(&errors[1], GraphError::Http { excerpt, .. } if excerpt.contains("502 Bad Gateway")));
    assert!(shown[2].contains("empty body"), "{}", shown[2]);
    assert!(shown[3].contains("empty body"), "{}", shown[3]);
    assert!(matches!(&errors[4], GraphError::Decode { .. }), "{}", shown[4]);
    assert!(matches!(&errors[5], GraphError::Http { status, .. } if *status == 400));
    assert!(shown[6].contains("not JSON"), "{}", shown[6]);
    assert!(
        matches!(&errors[7], GraphError::Decode { path, .. } if path == "$.id"),
        "{}",
        shown[7]
    );
    assert!(matches!(&errors[8], GraphError::Decode { .. }), "{}", shown[8]);
    assert!(matches!(&errors[9], GraphError::Decode { .. }), "{}", shown[9]);
}

#[test]
fn the_bearer_token_comes_from_the_provider_on_every_attempt() {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;
    let server = MockServer::start(
        Exchanges::new()
            .with(
                Exchange::json("GET", "/users/1", 429, "")
                    .response_header("Retry-After", "0")
                    .once(),
            )
            .with(Exchange::json("GET", "/users/1", 200, r#"{"id": "1"}"#)),
    )
    .unwrap();
    let asked = Arc::new(AtomicU32::new(0));
    let counter = asked.clone();
    let client = Client::builder(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        async move { Ok::<_, std::io::Error>(format!("token-{n}")) }
    })
    .base_url(server.base_url())
    .build()
    .unwrap();
    run(client.send(&get_user())).unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 2);

    let failing = Client::builder(|| async { Err::<String, _>(std::io::Error::other("no tenant")) })
        .base_url(server.base_url())
        .build()
        .unwrap();
    let err = run(failing.send(&get_user())).unwrap_err();
    assert!(matches!(err, Error::Token(_)), "{err}");
}

#[test]
fn an_unreachable_server_is_a_transport_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = Client::builder(StaticToken::new("t"))
        .base_url(crate::runtime::BaseUrl::new(
            &format!("http://127.0.0.1:{port}"),
            "v1.0",
        ))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let err = run(client.send(&get_user())).unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err}");
}

#[test]
fn a_batch_retries_only_its_throttled_item() {
    let server = MockServer::start(
        Exchanges::new()
            .with(
                Exchange::json(
                    "GET",
                    "/users/1",
                    429,
                    r#"{"error": {"code": "TooManyRequests", "message": "slow down"}}"#,
                )
                .response_header("Retry-After", "1")
                .once(),
            )
            .with(Exchange::json("GET", "/users/1", 200, r#"{"id": "1"}"#))
            .with(Exchange::json(
                "GET",
                "/users?$top=1",
                200,
                r#"{"value": [{"id": "9"}]}"#,
            )),
    )
    .unwrap();
    let mut batch = Batch::new();
    let user = batch.add(&get_user()).unwrap();
    let list = batch
        .add(&Call::<ListUsers>::from_parts("/users".into(), NoBody).query_param("$top", "1"))
        .unwrap();
    let started = Instant::now();
    let answers = run(client(&server, RetryPolicy::default()).send_batch(&batch)).unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the item's Retry-After honoured"
    );
    assert_eq!(answers.result(&user).unwrap(), User { id: "1".into() });
    assert_eq!(answers.result(&list).unwrap().value[0]["id"], "9");
    let seen: Vec<(String, u16)> = server.seen().into_iter().map(|s| (s.path, s.status)).collect();
    assert_eq!(
        seen,
        [
            ("users/1", 429),
            ("users", 200),
            ("$batch", 200),
            ("users/1", 200),
            ("$batch", 200)
        ]
        .map(|(p, s)| (p.to_owned(), s))
    );
    let last: serde_json::Value = serde_json::from_slice(&server.seen()[4].body).unwrap();
    assert_eq!(last["requests"].as_array().unwrap().len(), 1, "{last}");

    // Without retries the throttled item keeps its error, with its Retry-After.
    let server = MockServer::start(
        Exchanges::new().with(
            Exchange::json(
                "GET",
                "/users/1",
                429,
                r#"{"error": {"code": "TooManyRequests", "message": "slow down"}}"#,
            )
            .response_header("Retry-After", "30"),
        ),
    )
    .unwrap();
    let mut batch = Batch::new();
    let user = batch.add(&get_user()).unwrap();
    let answers = run(client(&server, RetryPolicy::none()).send_batch(&batch)).unwrap();
    let err = answers.result(&user).unwrap_err();
    assert_eq!(err.status(), 429);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    assert_eq!(server.seen().len(), 2);

    // An empty batch is refused before anything is sent.
    let err = run(client(&server, RetryPolicy::none()).send_batch(&Batch::new())).unwrap_err();
    assert!(matches!(err, Error::Batch(BatchError::Empty)), "{err}");
    assert_eq!(server.seen().len(), 2);
}
