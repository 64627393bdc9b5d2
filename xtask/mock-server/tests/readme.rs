//! The README's worked examples are test files of this binary, shown verbatim.

/// Asserts that README.md holds the text of `file` (its source `this`)
/// between the markers `start` and `end`, verbatim.
pub fn assert_shows(file: &str, this: &str, start: &str, end: &str) {
    let example = between(this, start, end);
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    assert!(
        readme.contains(example),
        "README.md must show xtask/mock-server/tests/{file} between its markers, verbatim"
    );
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap() + start.len();
    let to = from + text[from..].find(end).unwrap();
    &text[from..to]
}
