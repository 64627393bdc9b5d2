//! The real command line, once: the `check-payload` binary that
//! `cargo xtask check-payload` runs (`cargo run -p check-payload`, see
//! xtask's `check_payload_is_cargo_run_of_its_package`), built by this test
//! run with the workspace's features, so nothing is compiled twice. The
//! findings themselves are tested through the library in
//! `tests/check_payload.rs`.

use check_payload::report::EXIT_FAILED;

#[test]
fn cli_smoke() {
    let fixture = xtask::project_root().join("tests/fixtures/payloads/user-wrong-type.json");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_check-payload"))
        .current_dir(xtask::project_root())
        .args(["--format", "human"])
        .arg(&fixture)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(EXIT_FAILED),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(
            "user-wrong-type.json: $.accountEnabled: error[wrong-type]: string where `Edm.Boolean` is documented"
        ),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("check-payload: 1 files, 1 objects; 2 errors"));
}
