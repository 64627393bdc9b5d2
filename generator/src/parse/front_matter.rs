//! YAML front matter, split off by hand at offset 0 (pulldown-cmark's metadata
//! blocks also fire mid-page on a `---` line) and read with serde_yaml.

use super::page::FrontMatter;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// Splits `text` into optional front matter and the byte offset where the body
/// starts. Malformed YAML yields a diagnostic and the body is still read.
pub fn split(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> (Option<FrontMatter>, usize) {
    let line_end = |from: usize| memchr::memchr(b'\n', &text.as_bytes()[from..]).map_or(text.len(), |i| from + i + 1);
    let first_line_end = line_end(0);
    if text[..first_line_end].trim_end() != "---" {
        return (None, 0);
    }
    // Find the closing delimiter.
    let mut pos = first_line_end;
    let mut close = None;
    while pos < text.len() {
        let end = line_end(pos);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            close = Some((pos, end));
            break;
        }
        pos = end;
    }
    let Some((yaml_end, body_start)) = close else {
        diags.push(
            Diagnostic::warning(
                Code::FrontMatter,
                Span::new(file, 0..first_line_end.saturating_sub(1)),
                "front matter is never closed",
            )
            .with_help("end the front matter with a line holding only `---`"),
        );
        return (None, 0);
    };
    let yaml = &text[first_line_end..yaml_end];
    let span = 0..body_start;
    let mut fm = FrontMatter {
        span: span.clone(),
        ..FrontMatter::default()
    };
    if let Some(map) = simple_mapping(yaml) {
        let get = |k: &str| map.iter().find(|(key, _)| *key == k).and_then(|(_, v)| kept(v));
        fill(&mut fm, get);
        return (Some(fm), body_start);
    }
    match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
        Ok(serde_yaml::Value::Mapping(map)) => {
            let get = |k: &str| -> Option<String> {
                match map.get(k)? {
                    serde_yaml::Value::String(s) => kept(s),
                    serde_yaml::Value::Number(n) => kept(&n.to_string()),
                    serde_yaml::Value::Bool(b) => kept(&b.to_string()),
                    _ => None,
                }
            };
            fill(&mut fm, get);
        }
        Ok(serde_yaml::Value::Null) => {}
        Ok(_) => diags.push(Diagnostic::warning(
            Code::FrontMatter,
            Span::new(file, span.clone()),
            "front matter is not a `key: value` mapping",
        )),
        Err(e) => {
            // serde_yaml reports a location inside the YAML text.
            let at = e
                .location()
                .map(|l| first_line_end + l.index())
                .unwrap_or(first_line_end)
                .min(yaml_end);
            // The YAML error's index need not fall on a char boundary of the page.
            let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            diags.push(
                Diagnostic::warning(
                    Code::FrontMatter,
                    Span::new(file, at..line_end.max(at)),
                    format!("front matter is not valid YAML: {e}"),
                )
                .with_help("quote values that contain `: `, e.g. `title: \"a: b\"`"),
            );
        }
    }
    (Some(fm), body_start)
}

/// The keys read, each through `get`.
fn fill(fm: &mut FrontMatter, get: impl Fn(&str) -> Option<String>) {
    fm.title = get("title");
    fm.description = get("description");
    fm.doc_type = get("doc_type");
    fm.product = get("ms.prod").or_else(|| get("ms.subservice"));
}

/// A value as read: trimmed; nothing when blank or a `**TODO` stub.
fn kept(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty() && !s.starts_with("**TODO"))
}

/// The front matter as `(key, string value)` pairs when every line is
/// `key: "text"` or `key: text` in the plainest YAML (no escapes, comments,
/// continuation lines or values YAML reads as other than text), as nearly
/// every page writes it; `None` sends anything else to serde_yaml. The
/// values are what serde_yaml reads (the tests compare the two): libyaml
/// costs a tenth of parsing a page.
fn simple_mapping(yaml: &str) -> Option<Vec<(&str, &str)>> {
    let mut map: Vec<(&str, &str)> = Vec::new();
    // `yaml.lines()`, the line ends found by memchr.
    let lines = super::lines(yaml).map(|l| l.strip_suffix('\n').map_or(l, |l| l.strip_suffix('\r').unwrap_or(l)));
    for line in lines {
        let (key, value) = line.split_once(':')?;
        let plain_key = key.starts_with(|c: char| c.is_ascii_alphabetic())
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
            && !is_null_or_bool(key);
        let value = value.strip_prefix(' ')?.trim_matches(' ');
        if !plain_key || map.iter().any(|(k, _)| *k == key) || !value.chars().all(printable) {
            return None;
        }
        map.push((key, simple_value(value)?));
    }
    // Empty front matter is YAML's null: serde_yaml says so.
    (!map.is_empty()).then_some(map)
}

/// `"text"` without quotes or backslashes inside, or plain text that starts
/// with a letter, holds no `#` or `: `, ends in no `:` and is not a YAML
/// null or boolean.
fn simple_value(value: &str) -> Option<&str> {
    if let Some(inner) = value.strip_prefix('"') {
        let inner = inner.strip_suffix('"')?;
        return (!inner.contains(['"', '\\'])).then_some(inner);
    }
    let plain = value.starts_with(|c: char| c.is_ascii_alphabetic())
        && !value.contains('#')
        && !value.contains(": ")
        && !value.ends_with(':')
        && !is_null_or_bool(value);
    plain.then_some(value)
}

/// YAML's `null` and booleans in any case (the core schema reads three
/// spellings of each; the others are text, but rare enough to leave to
/// serde_yaml).
fn is_null_or_bool(s: &str) -> bool {
    ["null", "true", "false"].iter().any(|w| s.eq_ignore_ascii_case(w))
}

/// Characters libyaml surely reads as text inside one line: printable ASCII
/// and the printable plane 0 but for line breaks (U+2028/9) and the BOM;
/// no tabs or control characters (the rest goes to serde_yaml).
fn printable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{a0}'..='\u{2027}' | '\u{202a}'..='\u{d7ff}' | '\u{e000}'..='\u{fefe}' | '\u{ff00}'..='\u{fffd}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_and_reports_bad_yaml() {
        let mut d = vec![];
        let (fm, body) = split(FileId(0), "---\ntitle: \"A\"\nms.prod: x\n---\n# A\n", &mut d);
        let fm = fm.unwrap();
        assert_eq!(fm.title.as_deref(), Some("A"));
        assert_eq!(fm.product.as_deref(), Some("x"));
        assert_eq!(body, 30);
        assert!(d.is_empty());

        let (fm, _) = split(FileId(0), "---\ntitle: a: b\n---\nbody", &mut d);
        assert!(fm.is_some());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::FrontMatter);
    }

    /// The hand-read front matter is serde_yaml's whenever it is taken.
    fn agrees_with_serde_yaml(yaml: &str) -> Result<(), String> {
        let Some(fast) = simple_mapping(yaml) else {
            return Ok(());
        };
        let Ok(serde_yaml::Value::Mapping(map)) = serde_yaml::from_str::<serde_yaml::Value>(yaml) else {
            return Err(format!("{yaml:?}: serde_yaml reads no mapping"));
        };
        let serde: Vec<(String, Option<String>)> = map
            .iter()
            .map(|(k, v)| (format!("{k:?}"), v.as_str().map(str::to_owned)))
            .collect();
        let hand: Vec<(String, Option<String>)> = fast
            .iter()
            .map(|(k, v)| {
                (
                    format!("{:?}", serde_yaml::Value::String((*k).into())),
                    Some((*v).to_owned()),
                )
            })
            .collect();
        if serde == hand {
            Ok(())
        } else {
            Err(format!("{yaml:?}: serde_yaml {serde:?}, by hand {hand:?}"))
        }
    }

    #[test]
    fn simple_front_matter_reads_as_serde_yaml_does() {
        for yaml in [
            "title: \"Get user\"\nms.prod: \"x\"\ndoc_type: apiPageType\n",
            "title: a:b  \ndescription: \"a: b # c\"  \r\n",
            "title: Get user's \"photo\" [beta]\n",
        ] {
            assert!(simple_mapping(yaml).is_some(), "{yaml:?}");
            agrees_with_serde_yaml(yaml).unwrap();
        }
        for yaml in [
            "",
            "title: 'a'\n",
            "title: a # c\n",
            "title: true\n",
            "title: 1.50\n",
            "title:\n",
            "title: a\n  b\n",
            "title: a\ntitle: b\n",
            "Null: a\nnull: b\n",
            "title: \"a\\\"b\"\n",
        ] {
            assert!(simple_mapping(yaml).is_none(), "{yaml:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn hand_read_front_matter_is_serde_yamls(lines in proptest::collection::vec(
            (
                "title|ms\\.prod|[a-zA-Z][a-zA-Z0-9_.-]{0,4}|null|True|-a|a b",
                ": {0,2}|:",
                "\"[^\"\\\\\n]{0,8}\"|'[a-z]{0,3}'|[a-zA-Z0-9 #:'\"\\\\.{}\\[\\]*&!|>%@-]{0,10}|\\PC{0,6}",
                " {0,2}\r?",
            ),
            0..5,
        )) {
            let yaml: String = lines.iter().map(|(k, c, v, t)| format!("{k}{c}{v}{t}\n")).collect();
            proptest::prop_assert!(agrees_with_serde_yaml(&yaml).is_ok(), "{}", agrees_with_serde_yaml(&yaml).unwrap_err());
        }
    }

    #[test]
    fn no_front_matter() {
        let mut d = vec![];
        assert_eq!(split(FileId(0), "# Title\n", &mut d), (None, 0));
    }
}
