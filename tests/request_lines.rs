//! Request lines and their builders over the whole v1.0 corpus: every hole
//! of every line has a distinct name equal to its parameter, the generated
//! crate has a constructor filling each line, and filling percent-encodes
//! any value so that nothing of it can read as path structure.

use generated::runtime::{fill, Hole, Literal};
use generator::ir::{path_holes, HoleKind, Model};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn model() -> &'static Model {
    tests::v1_model()
}

/// A request line's template and, per hole, its kind and whether it is quoted.
type Line = (String, Vec<(HoleKind, bool)>);

/// Every request line of the corpus.
fn lines() -> &'static Vec<Line> {
    static LINES: OnceLock<Vec<Line>> = OnceLock::new();
    LINES.get_or_init(|| {
        let mut out = Vec::new();
        for e in &model().endpoints {
            let all = std::iter::once((&e.path, &e.parameters))
                .chain(e.alternate_paths.iter().map(|l| (&l.path, &l.parameters)));
            for (path, params) in all {
                let kinds = params
                    .iter()
                    .map(|p| {
                        let d = e.path_parameters.iter().find(|d| &d.name == p);
                        (d.map_or(HoleKind::Key, |d| d.kind), d.is_some_and(|d| d.quoted))
                    })
                    .collect();
                out.push((path.clone(), kinds));
            }
        }
        out
    })
}

#[test]
fn every_request_line_has_distinct_named_holes_and_a_builder() {
    let mut templates: BTreeMap<String, usize> = BTreeMap::new();
    for e in &model().endpoints {
        let all =
            std::iter::once((&e.path, &e.parameters)).chain(e.alternate_paths.iter().map(|l| (&l.path, &l.parameters)));
        for (path, params) in all {
            let holes: Vec<&str> = path_holes(path).into_iter().map(|(_, h)| h).collect();
            assert_eq!(&holes, params, "{} {path}", e.method);
            let mut distinct = params.clone();
            distinct.sort();
            distinct.dedup();
            assert_eq!(distinct.len(), params.len(), "{} {path}: repeated hole", e.method);
            *templates.entry(path.clone()).or_default() += 1;
        }
    }
    // The constructors of the committed crate, read from its source: each
    // fills its request line with `fill("<template>", …)`.
    let mut built: std::collections::BTreeSet<String> = Default::default();
    let dir = tests::root().join("generated/src/operations");
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for (i, _) in text.match_indices("fill(") {
            if let Some(lit) = text[i + "fill(".len()..].trim_start().strip_prefix('"') {
                built.insert(lit[..lit.find('"').unwrap()].to_owned());
            }
        }
    }
    let lines: usize = templates.values().sum();
    assert!(lines > 3000, "{lines} request lines");
    let missing: Vec<_> = templates.keys().filter(|t| !built.contains(*t)).collect();
    assert!(missing.is_empty(), "request lines without a builder: {missing:?}");
}

/// Any text: ASCII punctuation that means something in a URL, Unicode.
fn value() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            prop::sample::select(vec![
                '/', '?', '#', '%', '\'', '{', '}', ' ', '&', '=', ':', '+', '$', '(', ')', ','
            ]),
            any::<char>(),
            prop::char::range('a', 'z'),
        ],
        0..12,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_builder_encodes_every_hole(i in 0usize..100_000, values in proptest::collection::vec(value(), 8)) {
        let (template, kinds) = &lines()[i % lines().len()];
        let holes: Vec<Hole<'_>> = kinds
            .iter()
            .zip(values.iter().cycle())
            .map(|((kind, quoted), v)| match kind {
                HoleKind::ItemPath => Hole::ItemPath(v),
                HoleKind::Argument if *quoted => Hole::Quoted(v),
                HoleKind::Argument => Hole::Arg(Literal::from(v.as_str())),
                HoleKind::Key | HoleKind::Text => Hole::Key(v),
            })
            .collect();
        let path = fill(template, &holes);
        // Nothing of a value reads as structure: no hole, query or fragment
        // starts, no bare `%`, `'` or non-ASCII; slashes only where the
        // template has them (and inside an item path).
        prop_assert!(!path.contains(['{', '}', '?', '#']), "{path}");
        prop_assert_eq!(path.matches(' ').count(), template.matches(' ').count(), "{}", path);
        prop_assert!(path.is_ascii(), "{path}");
        let literal_slashes = template.matches('/').count();
        let item_slashes: usize = kinds
            .iter()
            .zip(values.iter().cycle())
            .filter(|((k, _), _)| *k == HoleKind::ItemPath)
            .map(|(_, v)| v.trim_start_matches('/').matches('/').count())
            .sum();
        prop_assert_eq!(path.matches('/').count(), literal_slashes + item_slashes, "{}", path);
        // Every `%` starts an escape.
        let bytes = path.as_bytes();
        for (j, b) in bytes.iter().enumerate() {
            if *b == b'%' {
                prop_assert!(bytes.len() > j + 2, "{}", path);
                prop_assert!(bytes[j + 1].is_ascii_hexdigit() && bytes[j + 2].is_ascii_hexdigit(), "{}", path);
            }
        }
    }
}
