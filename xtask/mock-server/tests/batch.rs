//! The README's batch example ("Batching"): three operations of different
//! kinds in one `POST /$batch`, answered by the mock from the docs' example
//! pairs, verbatim between the markers; `readme_shows_this_file` keeps them
//! equal. Bounded: one server on 127.0.0.1, a few requests, 30 s at most.

// README batch example start
use generated::operations::{GetUser, ListGroups, ListLicenseDetails};
use generated::runtime::client::{Client, StaticToken};
use generated::runtime::mock::{Exchanges, MockServer};
use generated::runtime::{Batch, BatchError};

#[test]
fn three_operations_in_one_batch() {
    let server = MockServer::start(Exchanges::documented()).unwrap();
    let client = Client::builder(StaticToken::new("test-token"))
        .base_url(server.base_url())
        .build()
        .unwrap();

    // Calls of different operations; each `add` returns a typed key.
    let mut batch = Batch::new();
    let me = batch.add(&GetUser::me()).unwrap();
    let licenses = batch.add_after(&ListLicenseDetails::me(), &[me.id()]).unwrap(); // dependsOn
    let groups = batch.add(&ListGroups::call()).unwrap();

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let answers = rt
        .block_on(async { tokio::time::timeout(std::time::Duration::from_secs(30), client.send_batch(&batch)).await })
        .expect("bounded")
        .unwrap();

    // Each item read back as its operation's type (or its own GraphError).
    let user = answers.result(&me).unwrap(); // api/user-get.md's example
    assert_eq!(user.display_name.as_deref(), Some("Adele Vance"));
    let page = answers.result(&licenses).unwrap(); // api/user-list-licensedetails.md's
    assert_eq!(page.value[0].sku_part_number.as_deref(), Some("skuPartNumber-value"));
    let groups = answers.result(&groups).unwrap(); // api/group-list.md's
    assert_eq!(groups.value[0].display_name.as_deref(), Some("Golf Assist"));
    assert_eq!(
        answers.get(me.id()).unwrap().headers["x-mock-example"],
        "api/user-get.md:125:1"
    );

    // Graph's limit and unique ids are checked before anything is sent.
    let mut full = Batch::new();
    for _ in 0..20 {
        full.add(&GetUser::me()).unwrap();
    }
    assert_eq!(full.add(&GetUser::me()).unwrap_err(), BatchError::TooMany { limit: 20 });
}
// README batch example end

#[test]
fn the_mock_saw_each_item_then_the_batch() {
    let server = MockServer::start(Exchanges::documented()).unwrap();
    let client = Client::builder(StaticToken::new("t"))
        .base_url(server.base_url())
        .build()
        .unwrap();
    let mut batch = Batch::new();
    let me = batch.add(&GetUser::me()).unwrap();
    let missing = batch
        .add(&GetUser::user("nobody").query_param("$select", "nickname"))
        .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let answers = rt
        .block_on(async { tokio::time::timeout(std::time::Duration::from_secs(30), client.send_batch(&batch)).await })
        .expect("bounded")
        .unwrap();
    assert!(answers.result(&me).is_ok());
    let err = answers.result(&missing).unwrap_err();
    assert_eq!(err.status(), 400, "{err}");
    assert_eq!(err.code(), Some("RequestDiffersFromExample"));
    let seen: Vec<(String, u16)> = server.seen().into_iter().map(|s| (s.path, s.status)).collect();
    assert_eq!(
        seen,
        [("me", 200), ("users/nobody", 400), ("$batch", 200)].map(|(p, s)| (p.to_owned(), s))
    );
}

#[test]
fn readme_shows_this_file() {
    crate::readme::assert_shows(
        "batch.rs",
        include_str!("batch.rs"),
        "// README batch example start\n",
        "// README batch example end",
    );
}
