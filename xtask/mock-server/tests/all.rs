//! The integration tests, one module per file (see `Cargo.toml`).

mod batch;
mod batched_replay;
mod readme;
mod untyped_replay;
mod upload;
mod user_mocks;
mod worked_example;
