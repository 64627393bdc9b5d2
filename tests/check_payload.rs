//! `cargo xtask check-payload`: hand-written payloads for each case the
//! model must survive (exact findings), every typed docs example (a lossless
//! round trip). The command line: `xtask/check-payload/tests/cli.rs`.

use check_payload::report::{self, Args, Format, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use check_payload::{Checker, Kind, Severity};
use generator::ir::TypeRef;
use serde_json::json;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The IR of the committed docs, built once for all tests.
fn checker() -> &'static Checker {
    static C: OnceLock<Checker> = OnceLock::new();
    C.get_or_init(|| Checker::new(tests::v1_model().clone()))
}

fn fixture(name: &str) -> PathBuf {
    tests::root().join("tests/fixtures/payloads").join(name)
}

/// `path severity[kind]` of each finding of a fixture, and the exit code.
fn findings(name: &str, type_name: Option<&str>, deny_drift: bool) -> (Vec<String>, i32) {
    let args = Args {
        files: vec![fixture(name)],
        type_name: type_name.map(str::to_owned),
        format: Format::Json,
        deny_drift,
        docs: None,
    };
    let out = report::run(checker(), &args).unwrap();
    let lines = out
        .text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert_eq!(v["file"], fixture(name).display().to_string());
            format!(
                "{} {}[{}]",
                v["path"].as_str().unwrap(),
                v["severity"].as_str().unwrap(),
                v["kind"].as_str().unwrap()
            )
        })
        .collect();
    (lines, out.code)
}

#[test]
fn unknown_properties_are_drift_at_every_level() {
    let (f, code) = findings("user-drift.json", None, false);
    assert_eq!(
        f,
        [
            "$ info[type]",
            "$.passwordProfile.passwordStrength warning[drift]",
            "$.futureProperty warning[drift]",
        ]
    );
    assert_eq!(code, EXIT_OK, "drift is kept: a warning");
    assert_eq!(findings("user-drift.json", None, true).1, EXIT_FAILED, "--deny drift");
}

#[test]
fn the_type_comes_from_the_context_and_the_message_says_how() {
    let text = std::fs::read_to_string(fixture("user-drift.json")).unwrap();
    let c = checker().check_text(&text, None);
    assert_eq!(
        c.findings[0].message,
        "checked as `microsoft.graph.user` (from `@odata.context`, by the operation `GET /users`)"
    );
    assert!(
        c.findings[2].message.contains("an open type; kept in additional_data"),
        "{:?}",
        c.findings[2]
    );
}

#[test]
fn undocumented_enum_values_are_drift() {
    let (f, code) = findings("device-status-enum.json", None, false);
    assert_eq!(f, ["$ info[type]", "$.status warning[enum-value]"]);
    assert_eq!(code, EXIT_OK);
    assert_eq!(findings("device-status-enum.json", None, true).1, EXIT_FAILED);
}

#[test]
fn explicit_nulls_survive_silently() {
    let (f, code) = findings("user-null.json", None, true);
    assert_eq!(f, ["$ info[type]"]);
    assert_eq!(code, EXIT_OK);
}

#[test]
fn derived_types_in_a_base_typed_page_resolve_by_odata_type() {
    let (f, code) = findings("group-members.json", None, true);
    assert_eq!(
        f,
        [
            "$ info[type]",
            "$.value[0] info[derived]",
            "$.value[1] info[derived]",
            "$.value[2] info[derived]",
        ]
    );
    assert_eq!(code, EXIT_OK, "nextLink kept, every item lossless");
}

#[test]
fn nested_collections_with_paging_links_are_kept() {
    let (f, code) = findings("groups-page.json", None, true);
    assert_eq!(f, ["$ info[type]", "$.value[0].members[0] info[derived]"]);
    assert_eq!(code, EXIT_OK);
}

#[test]
fn types_of_other_namespaces() {
    let (f, code) = findings("callrecord.json", None, false);
    assert_eq!(
        f,
        [
            "$ info[type]",
            "$.modalities[1] warning[enum-value]",
            "$.sessions[0].caller info[derived]",
            "$.sessions[0].caller.userAgent info[derived]",
        ]
    );
    assert_eq!(code, EXIT_OK);
}

#[test]
fn wrong_typed_values_are_errors_with_paths() {
    let (f, code) = findings("user-wrong-type.json", None, false);
    assert_eq!(
        f,
        [
            "$ info[type]",
            "$.accountEnabled error[wrong-type]",
            "$.businessPhones[1] error[wrong-type]",
        ]
    );
    assert_eq!(code, EXIT_FAILED);
}

#[test]
fn type_flag_overrides_and_unknown_types_are_usage_errors() {
    let (f, _) = findings(
        "device-status-enum.json",
        Some("microsoft.graph.deviceConfigurationDeviceStatus"),
        false,
    );
    assert_eq!(f[0], "$ info[type]");
    let args = Args {
        files: vec![fixture("user-null.json")],
        type_name: Some("microsoft.graph.noSuchThing".into()),
        ..Args::default()
    };
    assert!(report::run(checker(), &args).is_err());
}

#[test]
fn a_payload_without_a_type_is_an_error() {
    let c = checker().check(&json!({"id": "1"}), None);
    assert_eq!(c.findings.len(), 1);
    assert_eq!(
        (c.findings[0].kind, c.findings[0].severity),
        (Kind::NoType, Severity::Error)
    );
}

#[test]
fn precision_an_f64_cannot_hold_is_a_loss() {
    // `Edm.Double` is an `f64`: 2^53 + 1 comes back as 2^53.
    let ty = checker().type_id("microsoft.graph.geoCoordinates").unwrap();
    let c = checker().check(&json!({"latitude": 9007199254740993u64, "longitude": 2.5}), Some(ty));
    let losses: Vec<_> = c.findings.iter().filter(|f| f.kind == Kind::Loss).collect();
    assert_eq!(losses.len(), 1, "{:?}", c.findings);
    assert_eq!(losses[0].path, "$.latitude");
    assert_eq!(
        losses[0].message,
        "changed by the round trip: 9007199254740993 became 9007199254740992.0"
    );
}

#[test]
fn a_loss_in_the_page_wrapper_would_be_found() {
    // The compare itself: a value the round trip changed is reported with its path.
    let d = check_payload::compare::differences(&json!({"a": {"b": 1}}), &json!({"a": {}}), "$.value[3]");
    assert_eq!(d[0].path, "$.value[3].a.b");
}

#[test]
fn bad_files_are_located_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"id\": 1,\n  oops\n}").unwrap();
    let args = Args {
        files: vec![bad.clone(), dir.path().join("missing.json")],
        ..Args::default()
    };
    let out = report::run(checker(), &args).unwrap();
    assert_eq!(out.code, EXIT_USAGE);
    assert!(
        out.text
            .contains("bad.json: $: error[invalid-json]: not JSON: key must be a string at line 3 column 3"),
        "{}",
        out.text
    );
    assert!(out.summary.contains("cannot read"), "{}", out.summary);
}

/// Every typed example of the docs through check-payload: nothing is ever
/// lost, and exactly the examples the generator found ill-typed fail.
#[test]
fn every_docs_example_round_trips_losslessly() {
    let c = checker();
    let (mut checked, mut ill) = (0, 0);
    let mut problems = Vec::new();
    for e in &c.model().examples {
        let Some(TypeRef::Named(id, _)) = &e.type_ref else {
            continue;
        };
        let origin = format!("{}:{}", e.source.path, e.source.line);
        let v: serde_json::Value = serde_json::from_str(&e.json).unwrap_or_else(|err| panic!("{origin}: {err}"));
        let r = c.check_as(&v, *id, e.is_collection);
        checked += 1;
        let losses: Vec<_> = r.findings.iter().filter(|f| f.kind == Kind::Loss).collect();
        let errors = r.findings.iter().filter(|f| f.severity == Severity::Error).count();
        if !losses.is_empty() {
            problems.push(format!("{origin}: loss {losses:?}"));
        }
        if e.ill_typed {
            ill += 1;
            if errors == 0 {
                problems.push(format!("{origin}: ill-typed but no error"));
            }
        } else if errors > 0 {
            problems.push(format!("{origin}: unexpected errors {:?}", r.findings));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(checked > 3000, "{checked}");
    assert!(ill > 0);
}
