//! The README's worked example ("Testing your code against the docs"),
//! verbatim between the markers; `readme_shows_this_file` keeps them equal.

// README example start
use generated::operations::GetUser;
use generated::runtime::client::{Client, Error, StaticToken};
use generated::runtime::mock::{Exchange, Exchanges, MockServer};

/// Your code: greets the signed-in user.
async fn greeting(client: &Client) -> Result<String, Error> {
    let me = client.send(&GetUser::me()).await?;
    Ok(format!("Hello, {}!", me.display_name.unwrap_or_default()))
}

fn client_of(server: &MockServer) -> Client {
    Client::builder(StaticToken::new("test-token"))
        .base_url(server.base_url()) // http://127.0.0.1:PORT/v1.0
        .build()
        .unwrap()
}

#[test]
fn greets_the_signed_in_user() {
    // Every request/response example of the docs, on an ephemeral port of 127.0.0.1.
    let server = MockServer::start(Exchanges::documented()).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // `GET /v1.0/me` is answered with the example response of api/user-get.md.
    assert_eq!(
        rt.block_on(greeting(&client_of(&server))).unwrap(),
        "Hello, Adele Vance!"
    );
}

#[test]
fn waits_when_throttled() {
    // A scripted step first: one 429 with Retry-After, then the docs' answer.
    let throttled = Exchange::json(
        "GET",
        "/me",
        429,
        r#"{"error": {"code": "TooManyRequests", "message": "Slow down"}}"#,
    )
    .response_header("Retry-After", "1")
    .once();
    let server = MockServer::start(Exchanges::documented().with(throttled)).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    assert_eq!(
        rt.block_on(greeting(&client_of(&server))).unwrap(),
        "Hello, Adele Vance!"
    );
    assert_eq!(server.seen().iter().map(|s| s.status).collect::<Vec<_>>(), [429, 200]);
}

#[test]
fn a_request_no_example_documents_gets_a_graph_error() {
    let server = MockServer::start(Exchanges::documented()).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let call = GetUser::me().query_param("$select", "nickname");
    let err = rt.block_on(client_of(&server).send(&call)).unwrap_err();
    let graph = err.graph().unwrap();
    assert_eq!(graph.status(), 400);
    assert_eq!(graph.code(), Some("RequestDiffersFromExample"));
    // "no documented example matches GET /v1.0/me?$select=nickname; the closest is
    //  api/user-get.md:125:1 (GET /me, "Get user"): query: `$select=nickname` is not in the example"
    println!("{graph}");
}
// README example end

#[test]
fn readme_shows_this_file() {
    crate::readme::assert_shows(
        "worked_example.rs",
        include_str!("worked_example.rs"),
        "// README example start\n",
        "// README example end",
    );
}
