//! The hand-written operation core (`generator/runtime/`), carried into every
//! generated crate as `src/runtime/`: fixed code, so it is written as it is
//! (comments kept) under the generated-file header, after a parse check.

use super::HEADER;

/// The text of runtime file `name` (one of `layout::RUNTIME_FILES`); fails
/// if it is unknown or not Rust (a generator bug).
pub fn file(name: &str) -> Result<String, String> {
    let text = match name {
        "mod.rs" => include_str!("../../runtime/mod.rs"),
        "batch.rs" => include_str!("../../runtime/batch.rs"),
        "body.rs" => include_str!("../../runtime/body.rs"),
        "call.rs" => include_str!("../../runtime/call.rs"),
        "error.rs" => include_str!("../../runtime/error.rs"),
        "literal.rs" => include_str!("../../runtime/literal.rs"),
        "path.rs" => include_str!("../../runtime/path.rs"),
        "query.rs" => include_str!("../../runtime/query.rs"),
        "paging.rs" => include_str!("../../runtime/paging.rs"),
        "retry.rs" => include_str!("../../runtime/retry.rs"),
        "selectors.rs" => include_str!("../../runtime/selectors.rs"),
        "upload.rs" => include_str!("../../runtime/upload.rs"),
        "client.rs" => include_str!("../../runtime/client.rs"),
        "client_tests.rs" => include_str!("../../runtime/client_tests.rs"),
        "mock.rs" => include_str!("../../runtime/mock.rs"),
        "mock_check.rs" => include_str!("../../runtime/mock_check.rs"),
        "mock_faults.rs" => include_str!("../../runtime/mock_faults.rs"),
        "mock_match.rs" => include_str!("../../runtime/mock_match.rs"),
        "mock_upload.rs" => include_str!("../../runtime/mock_upload.rs"),
        "replay.rs" => include_str!("../../runtime/replay.rs"),
        other => return Err(format!("runtime/{other}: no such runtime file")),
    };
    syn::parse_file(text).map_err(|e| format!("runtime/{name}: {e}"))?;
    Ok(format!("// {HEADER}\n\n{text}"))
}

/// `tests/runtime.rs`: the runtime's unit tests (the `#[cfg(test)]` modules
/// of `src/runtime/`), compiled here with the runtime's own source. The
/// library's manifest sets `test = false`: otherwise `cargo test` compiles
/// the whole model a second time, as the library's unit-test binary, for
/// these tests alone.
pub fn tests() -> String {
    format!(
        r#"// {HEADER}

//! The runtime's unit tests: the `#[cfg(test)]` modules of `src/runtime/`,
//! compiled here with the runtime's source (the library itself has
//! `test = false`, so `cargo test` compiles the model once). With the
//! runtime come the module it builds on, `support`, and the crate root's
//! re-exports of it, as in `src/lib.rs`.
// Only the tests use this copy of the runtime. Its API is public in the
// library, where clippy spares exported names (`is_in`, `from_file`); here
// nothing is exported, so the naming lint would judge that API anew.
#![allow(dead_code, unused_imports, clippy::wrong_self_convention)]

#[path = "../src/support.rs"]
mod support;
#[path = "../src/runtime/mod.rs"]
mod runtime;

use support::{{Collection, Endpoint, Method, PermissionKind, Permissions}};
"#
    )
}
