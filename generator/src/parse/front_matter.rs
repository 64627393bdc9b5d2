//! YAML front matter, split off by hand at offset 0 (pulldown-cmark's metadata
//! blocks also fire mid-page on a `---` line) and read with serde_yaml.

use super::page::FrontMatter;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// Splits `text` into optional front matter and the byte offset where the body
/// starts. Malformed YAML yields a diagnostic and the body is still read.
pub fn split(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> (Option<FrontMatter>, usize) {
    // Each line with its offset.
    let mut lines = super::lines(text).scan(0, |start, line| {
        let at = *start;
        *start += line.len();
        Some((at, line))
    });
    let first_line_end = match lines.next() {
        Some((_, first)) if first.trim_end() == "---" => first.len(),
        _ => return (None, 0),
    };
    // The closing delimiter: its start, and where the body starts.
    let close = lines
        .find(|(_, line)| matches!(line.trim_end(), "---" | "..."))
        .map(|(at, line)| (at, at + line.len()));
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
    match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
        Ok(serde_yaml::Value::Mapping(map)) => {
            let get = |k: &str| -> Option<String> {
                match map.get(k)? {
                    serde_yaml::Value::String(s) => Some(s.trim().to_owned()),
                    serde_yaml::Value::Number(n) => Some(n.to_string()),
                    serde_yaml::Value::Bool(b) => Some(b.to_string()),
                    _ => None,
                }
                .filter(|s| !s.is_empty() && !s.starts_with("**TODO"))
            };
            fm.title = get("title");
            fm.description = get("description");
            fm.doc_type = get("doc_type");
            fm.product = get("ms.prod").or_else(|| get("ms.subservice"));
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

    #[test]
    fn no_front_matter() {
        let mut d = vec![];
        assert_eq!(split(FileId(0), "# Title\n", &mut d), (None, 0));
    }
}
