//! Any bytes as a page, together with a real seed page: the whole pipeline
//! must return, and everything it emits must be valid Rust.
#![no_main]
use libfuzzer_sys::fuzz_target;

const SEED: &[u8] = include_bytes!("../../../docs-input/seeds/create-deviceconfigurationuserstatus.md");

fuzz_target!(|data: &[u8]| {
    let db = generator::source::SourceDb::from_pages([
        ("fuzzed.md", data.to_vec()),
        ("seed.md", SEED.to_vec()),
    ]);
    let out = generator::generate(&db, &generator::Options::default());
    assert!(
        !out.diagnostics.iter().any(|d| d.code == generator::diagnostics::Code::EmitFailure),
        "emitted code does not parse"
    );
    assert!(!out.files.is_empty());
    for (path, text) in &out.files {
        if path.ends_with(".rs") {
            syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
    // The seed's type survives whatever the other page says.
    assert!(out.model.types.iter().any(|t| t.name.eq_ignore_ascii_case("deviceConfigurationUserStatus")));
});
