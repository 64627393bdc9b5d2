//! `runtime::replay` in batch mode (`cargo xtask replay --batch`): each pair
//! sent as an item of a `$batch` gets the outcome it gets alone, through the
//! same checks. Bounded: two servers on 127.0.0.1, a few requests.

use generated::operations::{GetUser, ListLicenseDetails, ListUsers};
use generated::runtime::mock::Exchanges;
use generated::runtime::replay::{Outcome, Replay, Report};

fn replay(batched: bool) -> Report {
    let mut r = Replay::start_with(Exchanges::documented(), None).unwrap();
    if batched {
        r = r.batched();
    }
    r.pair("api/user-get.md:125:1", |_| Ok(GetUser::me()));
    r.pair("api/user-list.md:73:1", |_| Ok(ListUsers::call()));
    r.pair("api/user-list-licensedetails.md:55:1", |_| Ok(ListLicenseDetails::me()));
    // The first outcome of a pair counts, in both modes.
    r.pair::<GetUser, _>("api/user-get.md:125:1", |_| Err("never built".to_owned()));
    // A call that writes another request than its example fails before sending.
    r.pair("api/user-list-manager.md:84:1", |_| Ok(GetUser::me()));
    r.finish()
}

#[test]
fn each_batch_item_gets_the_outcome_it_gets_alone() {
    let alone = replay(false);
    let batched = replay(true);
    assert_eq!(batched.outcomes, alone.outcomes);
    let mut passed: Vec<&str> = alone
        .outcomes
        .iter()
        .filter(|(_, o)| *o == Outcome::Passed)
        .map(|(s, _)| s.as_str())
        .collect();
    passed.sort_unstable();
    assert_eq!(
        passed,
        [
            "api/user-get.md:125:1",
            "api/user-list-licensedetails.md:55:1",
            "api/user-list.md:73:1"
        ],
        "{:?}",
        alone.outcomes
    );
    assert_eq!(alone.failed(), 1, "{:?}", alone.outcomes);
    assert_eq!(alone.summary(), batched.summary());
    assert!(alone.batch.is_none());
    let b = batched.batch.unwrap();
    assert_eq!((b.batches, b.items, b.alone.len()), (1, 3, 0));
    assert!(
        b.line()
            .starts_with("batch: 1 $batch requests of up to 20 items carried 3 pairs"),
        "{}",
        b.line()
    );
}
