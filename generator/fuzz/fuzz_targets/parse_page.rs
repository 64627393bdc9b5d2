//! Any bytes as a page: both parse passes must return, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let db = generator::source::SourceDb::from_pages([("page.md", data.to_vec())]);
    for (id, _) in db.iter() {
        let (_page, _facts, diags) = generator::parse::page_facts(&db, id);
        for d in &diags {
            // Rendering must cope with any span a layer produced.
            let _ = generator::diagnostics::render(&db, d, false);
        }
    }
});
