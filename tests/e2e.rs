//! The end-to-end tests, one module per file (see `Cargo.toml`).

mod bad_input;
mod check_payload;
mod current_docs;
mod diagnostics;
mod diff;
mod generated_api;
mod operations;
mod pages;
mod pipeline;
mod relationships;
mod request_lines;
mod seeds;
