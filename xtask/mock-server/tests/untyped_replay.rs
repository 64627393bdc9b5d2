//! Every documented example pair, sent as the docs write it through the
//! reqwest client to the replay server on 127.0.0.1: the server answers each
//! pair, or the docs are at fault (named). Bounded: `REPLAY_LIMIT` in all.

use generated::runtime::mock::Exchanges;
use mock_server::{replay_untyped, Outcome};

#[test]
fn every_documented_pair_is_answered() {
    let exchanges = Exchanges::documented();
    let report = replay_untyped(&exchanges).unwrap();
    println!("{}", report.summary());
    assert_eq!(report.pairs(), exchanges.len());
    let failed: Vec<_> = report
        .outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Failed(_)))
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert!(report.passed() * 10 >= report.pairs() * 9, "{}", report.summary());
    // Each doc defect is one of the named kinds.
    for (source, o) in &report.outcomes {
        if let Outcome::DocDefect(code, _) = o {
            assert!(
                ["no-response", "duplicate-request", "body-without-content"].contains(code),
                "{source}: {code}"
            );
        }
    }
}
