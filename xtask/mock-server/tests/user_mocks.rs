//! Your own mock responses checked against the model
//! (`runtime::mock_check`), and the README's example "a mock with your own
//! responses and injected faults", verbatim between the markers;
//! `readme_shows_this_file` keeps them equal. Bounded: servers on
//! 127.0.0.1, a few requests, 30 s at most each.

// README user mock example start
use generated::operations::{GetUser, ListUsers};
use generated::runtime::client::{Client, StaticToken};
use generated::runtime::mock::{Exchanges, Faults, MockServer};
use generated::runtime::mock_check::UserMocks;
use std::time::Duration;

#[test]
fn your_own_responses_checked_then_served_with_faults() {
    // Your responses: one typed by its operation, one by route from a file.
    let mocks = UserMocks::new()
        .respond(
            &ListUsers::call(),
            200,
            r#"{"value": [{"id": "1", "displayName": "Adele Vance", "accountEnabled": true, "ageGroup": "adult"}]}"#,
        )
        .operation::<GetUser>() // checks the routes of `GET /users/{usersId}`
        .from_json(
            "users.json",
            r#"{"responses": [{"method": "GET", "path": "/users/{id}", "body": {"id": "2", "displayName": "Alex Wilber"}}]}"#,
        )
        .unwrap();
    // Each body read as its operation's output: nothing unknown, mistyped or undocumented.
    let report = mocks.check();
    assert!(report.is_empty(), "{report}");

    // Served in front of the docs' examples; every fresh `GET /users…` is throttled
    // first (429, 503 or 504 with `Retry-After: 0`), and the client retries it.
    let faults = Faults::new(0.0, 7).route("GET", "/users", 1.0).retry_after(0);
    let server = MockServer::start_with(mocks.over(Exchanges::documented()), 0, true, Some(faults)).unwrap();
    let client = Client::builder(StaticToken::new("test-token"))
        .base_url(server.base_url())
        .build()
        .unwrap(); // the default RetryPolicy: 429, 503 and 504 are retried
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (users, alex) = rt
        .block_on(async {
            tokio::time::timeout(Duration::from_secs(30), async {
                let users = client.send(&ListUsers::call()).await;
                (users, client.send(&GetUser::user("2")).await)
            })
            .await
        })
        .expect("bounded");
    assert_eq!(users.unwrap().value[0].display_name.as_deref(), Some("Adele Vance"));
    assert_eq!(alex.unwrap().display_name.as_deref(), Some("Alex Wilber"));
    assert_eq!(
        server.fault_report().unwrap().line(),
        "faults: injected 2, retried 2, waited as told 2, lost 0"
    );
}
// README user mock example end

/// The findings of one typed body, as `path kind`.
fn findings_of(body: &str) -> Vec<String> {
    let report = UserMocks::new().respond(&ListUsers::call(), 200, body).check();
    assert_eq!(report.checked, 1);
    report
        .findings
        .iter()
        .map(|f| format!("{} {}", f.path, f.kind))
        .collect()
}

#[test]
fn an_unknown_property_is_reported_with_its_path() {
    let found = findings_of(r#"{"value": [{"id": "1"}, {"id": "2", "shoeSize": 42, "@odata.etag": "W/1"}]}"#);
    assert_eq!(found, ["$.value[1].shoeSize unknown property"]);
    // Deeper: inside a complex property, and at the top of the collection.
    let found = findings_of(
        r#"{"value": [{"passwordProfile": {"password": "x", "colour": "red"}}], "nextPage": 2, "@odata.count": 1}"#,
    );
    assert_eq!(
        found,
        [
            "$.nextPage unknown property",
            "$.value[0].passwordProfile.colour unknown property"
        ]
    );
}

#[test]
fn a_wrong_type_is_reported_with_its_path_and_the_rest_still_checked() {
    let found = findings_of(
        r#"{"value": [{"id": "1", "accountEnabled": "yes"}, {"id": 2, "ageGroup": "minor"}, {"id": "3", "extra": true}]}"#,
    );
    assert_eq!(
        found,
        [
            "$.value[0].accountEnabled wrong type",
            "$.value[1].id wrong type",
            "$.value[2].extra unknown property"
        ]
    );
    let report = UserMocks::new()
        .respond(&ListUsers::call(), 200, r#"{"value": [{"accountEnabled": "yes"}]}"#)
        .check();
    let line = report.findings[0].to_string();
    assert!(
        line.starts_with("code: ListUsers: $.value[0].accountEnabled: wrong type: ") && line.contains("boolean"),
        "{line}"
    );
    // Not JSON, or not the shape at all: reported at `$`, never a panic.
    assert_eq!(findings_of("<html>"), ["$ wrong type"]);
    assert_eq!(findings_of("[1, 2]"), ["$ wrong type"]);
}

#[test]
fn an_undocumented_enum_value_is_reported_with_its_path() {
    let found = findings_of(r#"{"value": [{"ageGroup": "adult"}, {"ageGroup": "teenager"}]}"#);
    assert_eq!(found, ["$.value[1].ageGroup undocumented enum value"]);
    let report = UserMocks::new()
        .respond(&GetUser::me(), 200, r#"{"ageGroup": "teenager"}"#)
        .check();
    assert_eq!(
        report.findings[0].to_string(),
        "code: GetUser: $.ageGroup: undocumented enum value: `teenager` is not among the documented values"
    );
}

#[test]
fn a_correct_body_reports_nothing() {
    let body = r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "value": [
        {"id": "1", "displayName": "Adele Vance", "accountEnabled": true, "ageGroup": "notAdult",
         "businessPhones": ["+1 425 555 0109"], "passwordProfile": {"forceChangePasswordNextSignIn": false},
         "officeLocation": null, "manager": {"id": "9", "anything": "navigation properties are JSON"}}
    ], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=X"}"#;
    assert_eq!(findings_of(body), Vec::<String>::new());
    // A Graph error body fits any operation; another error body does not.
    let errors = UserMocks::new()
        .respond(
            &GetUser::me(),
            404,
            r#"{"error": {"code": "Request_ResourceNotFound", "message": "no"}}"#,
        )
        .respond(&GetUser::me(), 500, "oops")
        .check();
    let kinds: Vec<String> = errors.findings.iter().map(|f| f.kind.to_string()).collect();
    assert_eq!(kinds, ["not a Graph error"]);
}

#[test]
fn a_file_names_itself_and_each_entry_in_its_findings() {
    let dir = std::env::temp_dir().join(format!("user-mocks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("mocks.json");
    std::fs::write(
        &file,
        r#"{"responses": [
            {"method": "GET", "path": "/users/42", "status": 200, "body": {"id": "42", "ageGroup": "ancient"}},
            {"method": "GET", "path": "/me", "operation": "GetUser", "body": {"id": "me", "favouriteColour": "red"}},
            {"method": "GET", "path": "/users", "operation": "List users", "body": {"value": [{"accountEnabled": 1}]}},
            {"method": "GET", "path": "/groups", "body": {"value": []}},
            {"method": "GET", "path": "/users/7", "body": {"id": "7"}, "headers": {"ETag": "1"}, "once": true}
        ]}"#,
    )
    .unwrap();
    let mocks = UserMocks::new()
        .operation::<GetUser>()
        .operation::<ListUsers>()
        .from_file(&file)
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let report = mocks.check();
    let name = file.display().to_string();
    let lines: Vec<String> = report
        .findings
        .iter()
        .map(|f| format!("{} | {} | {}", f.origin, f.path, f.kind))
        .collect();
    assert_eq!(
        lines,
        [
            format!("{name}: responses[0] (GET /users/42) | $.ageGroup | undocumented enum value"),
            format!("{name}: responses[1] (GET /me) | $.favouriteColour | unknown property"),
            format!("{name}: responses[2] (GET /users) | $.value[0].accountEnabled | wrong type"),
            format!("{name}: responses[3] (GET /groups) | $ | unchecked"),
        ]
    );
    assert_eq!(report.checked, 5);
    assert!(
        report.to_string().ends_with("mock check: 5 responses, 4 findings"),
        "{report}"
    );
}

#[test]
fn a_bad_file_is_an_error_naming_the_place_never_a_panic() {
    for (text, want) in [
        ("", "m.json: not JSON"),
        ("[]", "m.json: $.responses"),
        (r#"{"responses": [{"path": "/me"}]}"#, "m.json: $.responses[0].method"),
        (r#"{"responses": [{"method": "GET"}]}"#, "m.json: $.responses[0].path"),
        (
            r#"{"responses": [{"method": "GET", "path": "/me", "status": 99999}]}"#,
            "m.json: $.responses[0].status",
        ),
        (
            r#"{"responses": [{"method": "GET", "path": "/me", "headers": []}]}"#,
            "m.json: $.responses[0].headers",
        ),
        (
            r#"{"responses": [{"method": "GET", "path": "/me", "operation": 3}]}"#,
            "m.json: $.responses[0].operation",
        ),
    ] {
        let err = UserMocks::new().from_json("m.json", text).unwrap_err();
        assert!(err.starts_with(want), "{text}: {err}");
    }
    let err = UserMocks::new().from_file("/nonexistent/mocks.json").unwrap_err();
    assert!(err.starts_with("/nonexistent/mocks.json: "), "{err}");
}

#[test]
fn registered_responses_win_over_the_docs_examples() {
    let mocks = UserMocks::new().respond(&GetUser::me(), 200, r#"{"displayName": "Mine"}"#);
    let server = MockServer::start(mocks.over(Exchanges::documented())).unwrap();
    let client = Client::builder(StaticToken::new("t"))
        .base_url(server.base_url())
        .build()
        .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let me = rt
        .block_on(async { tokio::time::timeout(Duration::from_secs(30), client.send(&GetUser::me())).await })
        .expect("bounded")
        .unwrap();
    assert_eq!(me.display_name.as_deref(), Some("Mine"));
    assert_eq!(server.seen()[0].example.as_deref(), Some("code: GetUser"));
}

#[test]
fn readme_shows_this_file() {
    crate::readme::assert_shows(
        "user_mocks.rs",
        include_str!("user_mocks.rs"),
        "// README user mock example start\n",
        "// README user mock example end",
    );
}
