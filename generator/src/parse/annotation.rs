//! `<!-- { "blockType": … } -->` annotations: JSON inside an HTML comment,
//! parsed leniently (trailing commas, string booleans, `@type`).

use super::json::parse_lenient;
use super::page::Annotation;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use std::ops::Range;

/// Parses an HTML comment. Returns `None` for comments that are not
/// annotations; a diagnostic when it looks like one but is not JSON.
pub fn parse(file: FileId, html: &str, span: Range<usize>, diags: &mut Vec<Diagnostic>) -> Option<Annotation> {
    let inner = html.trim().strip_prefix("<!--")?.trim_end();
    let inner = inner.strip_suffix("-->").unwrap_or(inner).trim();
    if !inner.starts_with('{') || !inner.contains("blockType") {
        return None;
    }
    let value = match parse_lenient(inner) {
        Ok(v) => v,
        Err(e) => {
            diags.push(
                Diagnostic::warning(
                    Code::Annotation,
                    Span::new(file, span),
                    format!("annotation is not valid JSON: {e}"),
                )
                .with_label("ignored"),
            );
            return None;
        }
    };
    let obj = value.as_object()?;
    let string = |k: &str| -> Option<String> {
        match obj.get(k)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Array(a) => a.first()?.as_str().map(str::to_owned),
            _ => None,
        }
    };
    let boolean = |k: &str| match obj.get(k) {
        Some(serde_json::Value::Bool(b)) => *b,
        Some(serde_json::Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    };
    Some(Annotation {
        block_type: string("blockType")?.to_ascii_lowercase(),
        name: string("name"),
        odata_type: string("@odata.type").or_else(|| string("@type")),
        truncated: boolean("truncated"),
        is_collection: boolean("isCollection"),
        base_type: string("baseType"),
        key_property: string("keyProperty"),
        open_type: boolean("openType"),
        is_abstract: boolean("abstract"),
        span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient() {
        let mut d = vec![];
        let a = parse(
            FileId(0),
            "<!-- {\n \"blockType\": \"response\", \"truncated\": \"true\", \"@type\": \"x\",\n} -->",
            0..10,
            &mut d,
        )
        .unwrap();
        assert_eq!(a.block_type, "response");
        assert!(a.truncated);
        assert_eq!(a.odata_type.as_deref(), Some("x"));
        assert!(parse(FileId(0), "<!-- just a note -->", 0..1, &mut d).is_none());
        assert!(parse(FileId(0), "<!-- { \"blockType\": oops } -->", 0..1, &mut d).is_none());
        assert_eq!(d.len(), 1);
    }
}
