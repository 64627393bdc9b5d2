//! Page fixtures, data-driven in the style of rust-analyzer's `test_data`:
//! every page under `data/pages/` (`.md`, or `.txt` as learn.microsoft.com
//! renders it) alone, and every folder under `data/models/` as one docs
//! tree, through parse and lower. The IR (JSON) and the rendered diagnostics
//! of each are snapshotted (`snapshots/pages__*@<fixture>.snap`).
//!
//! A new page shape needs only a file (or a folder of pages) and
//! `cargo insta accept` after reviewing the new snapshots.

use tests::{load, parse_and_lower, render_diagnostics, single};

#[test]
fn each_page_alone() {
    insta::glob!("data/pages/*.{md,txt}", |path| {
        let db = single(path);
        let (model, diags) = parse_and_lower(&db);
        insta::assert_snapshot!("ir", model.to_json());
        insta::assert_snapshot!("diagnostics", render_diagnostics(&db, &diags));
    });
}

#[test]
fn each_folder_as_one_model() {
    insta::glob!("data/models/*", |dir| {
        let db = load(dir);
        let (model, diags) = parse_and_lower(&db);
        insta::assert_snapshot!("model-ir", model.to_json());
        insta::assert_snapshot!("model-diagnostics", render_diagnostics(&db, &diags));
    });
}
