//! The README's upload example ("Large file upload"): `createUploadSession`
//! answered by the replay server, then a 5 MiB file in 1.25 MiB ranges
//! through the client to the mock's upload sessions, one `PUT` failing with
//! `503`, ending in the typed `DriveItem`; verbatim between the markers,
//! `readme_shows_this_file` keeps them equal. Bounded: two servers on
//! 127.0.0.1, a few requests, 60 s at most.

// README upload example start
use generated::graph::DriveItem;
use generated::operations::{UploadLargeFilesWithAnUploadSession, UploadLargeFilesWithAnUploadSessionBody};
use generated::runtime::client::{Client, StaticToken};
use generated::runtime::mock::{Exchange, Exchanges, MockServer};
use generated::runtime::mock_upload::UploadServer;
use generated::runtime::{RetryPolicy, Upload, UPLOAD_CHUNK_UNIT};
use std::time::Duration;

fn a_large_file_in_ranges_resumed_after_a_failure() {
    // Upload sessions whose `uploadUrl`s accumulate ranges; its second PUT fails.
    let uploads = UploadServer::start().unwrap();
    let session = uploads.session("big.bin"); // what createUploadSession answers
    uploads.fail_put(2);
    let graph = MockServer::start(
        Exchanges::new().with(
            Exchange::json(
                "POST",
                "/me/drive/items/01BIGFILE/createUploadSession",
                200,
                &session.to_string(),
            )
            .request_body("{}"),
        ),
    )
    .unwrap();
    let client = Client::builder(StaticToken::new("test-token"))
        .base_url(graph.base_url())
        .retry(RetryPolicy {
            base_delay: Duration::from_millis(10),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();

    let data: Vec<u8> = (0..5u32 << 20).map(|i| (i % 251) as u8).collect(); // 5 MiB
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let item: DriveItem = rt
        .block_on(async {
            tokio::time::timeout(Duration::from_secs(60), async {
                let create = UploadLargeFilesWithAnUploadSession::me_drive(
                    "01BIGFILE",
                    UploadLargeFilesWithAnUploadSessionBody::default(),
                );
                let session = client.send(&create).await?; // uploadUrl, expirationDateTime
                                                           // Ranges of 4 × 320 KiB: PUTs without the token, a resume after the 503.
                let upload = Upload::from_session(&session, data.len() as u64, 4 * UPLOAD_CHUNK_UNIT)?;
                client.upload(upload, &data).await
            })
            .await
        })
        .expect("bounded")
        .unwrap();

    assert_eq!(item.name.as_deref(), Some("big.bin"));
    assert_eq!(item.size.map(|s| s.get()), Some(5 << 20));
    assert_eq!(uploads.sessions().puts(), 5); // four ranges and the failed one again
    let url = session["uploadUrl"].as_str().unwrap();
    assert_eq!(uploads.sessions().uploaded(url).unwrap(), data);
}
// README upload example end

/// Run on a thread with a 2 MiB stack, what a test thread or a tokio worker
/// gets, in a debug build with every workload feature (the workspace's):
/// when model structs held nested structs inline, the typed `DriveItem`
/// (29 KB then) overflowed it on its way through the upload.
#[test]
fn large_file_upload() {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(a_large_file_in_ranges_resumed_after_a_failure)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn readme_shows_this_file() {
    crate::readme::assert_shows(
        "upload.rs",
        include_str!("upload.rs"),
        "// README upload example start\n",
        "// README upload example end",
    );
}
