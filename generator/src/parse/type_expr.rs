//! The type column of property and parameter tables: `String`, `Edm.Int32`,
//! `[identitySet](identityset.md)`, bare `complianceStatus`, `Enumeration`,
//! `X collection`, `Collection(X)` … into a [`TypeExpr`].

use super::page::Inline;
use crate::ir::Primitive;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum TypeExpr {
    Primitive(Primitive),
    /// A type name as written (unqualified or qualified), resolved in lower.
    Named(String),
    /// `Enumeration` / `String (enum)`: an enum whose members the description lists.
    AnonymousEnum,
    Collection(Box<TypeExpr>),
    /// `[a](a.md) or [b](b.md)`: a value of any of these types, which lower
    /// reads as their nearest common base type.
    AnyOf(Vec<String>),
}

/// Parses a type cell. `None` when the text is not a type expression.
pub fn parse(cell: &Inline) -> Option<TypeExpr> {
    let raw = cell.text.trim().trim_matches('*').trim();
    // `X collection. Holds grades …`: prose after the type's sentence.
    let raw = raw.split_once(". ").map_or(raw, |(head, _)| head);
    let raw = raw.strip_suffix('.').unwrap_or(raw).trim();
    let lower = raw.to_ascii_lowercase();
    // Collection forms.
    // "Collection of String"
    if let Some(inner) = lower
        .strip_prefix("collection of ")
        .map(|_| &raw["collection of ".len()..])
    {
        return inner_expr(inner, cell).map(|t| TypeExpr::Collection(Box::new(t)));
    }
    if let Some(inner) = strip_ci_wrapping(raw, "collection(", ")") {
        return inner_expr(inner, cell).map(|t| TypeExpr::Collection(Box::new(t)));
    }
    for suffix in [" collection", " collections", "[]"] {
        if lower.ends_with(suffix) {
            let inner = raw[..raw.len() - suffix.len()].trim();
            return inner_expr(inner, cell).map(|t| TypeExpr::Collection(Box::new(t)));
        }
    }
    any_of(raw, cell).or_else(|| inner_expr(raw, cell))
}

/// `[a](a.md) or [b](b.md)`, `[a](a.md), [b](b.md), or [c](c.md)`: only
/// links that name types, separated by commas and `or`.
fn any_of(raw: &str, cell: &Inline) -> Option<TypeExpr> {
    let names: Vec<&str> = cell.links.iter().map(|l| l.text.trim().trim_matches('`')).collect();
    if names.len() < 2 || !names.iter().all(|n| is_type_name(n)) {
        return None;
    }
    let mut rest = raw;
    for n in &names {
        let (before, after) = rest.split_once(n)?;
        if !before
            .split(|c: char| c == ',' || c.is_whitespace())
            .all(|w| w.is_empty() || w == "or")
        {
            return None;
        }
        rest = after;
    }
    rest.trim()
        .is_empty()
        .then(|| TypeExpr::AnyOf(names.iter().map(|n| (*n).to_owned()).collect()))
}

fn strip_ci_wrapping<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    // `get` rather than indexing: the cell may hold any UTF-8.
    let head = s.get(..open.len())?;
    if s.len() > open.len() + close.len() && head.eq_ignore_ascii_case(open) && s.ends_with(close) {
        s.get(open.len()..s.len() - close.len())
    } else {
        None
    }
}

fn inner_expr(text: &str, cell: &Inline) -> Option<TypeExpr> {
    let text = text.trim().trim_matches('`').trim();
    let lower = text.to_ascii_lowercase();
    if lower == "enumeration" || lower == "enum" || lower == "string (enum)" || lower == "string enum" {
        return Some(TypeExpr::AnonymousEnum);
    }
    let unprefixed = lower.strip_prefix("edm.").unwrap_or(&lower);
    if let Some(p) = primitive_from_doc_name(unprefixed) {
        return Some(TypeExpr::Primitive(p));
    }
    // "Untyped JSON object", "JSON object": open JSON.
    if unprefixed.contains("json") && unprefixed.split_whitespace().count() <= 3 && !unprefixed.contains('[') {
        return Some(TypeExpr::Primitive(Primitive::Untyped));
    }
    // `string (url)`, `Int64 (bytes)`: a primitive with a note.
    if let Some((head, _)) = unprefixed.split_once(" (").filter(|_| unprefixed.ends_with(')')) {
        if let Some(p) = primitive_from_doc_name(head.trim()) {
            return Some(TypeExpr::Primitive(p));
        }
    }
    // A link: its text names the type (the target file name is a poorer key).
    if let Some(link) = cell.links.iter().find(|l| !l.text.is_empty()) {
        let name = link.text.trim().trim_matches('`');
        let name = name.strip_suffix(" collection").unwrap_or(name).trim();
        if is_type_name(name) {
            return Some(TypeExpr::Named(name.to_owned()));
        }
    }
    if is_type_name(text) {
        return Some(TypeExpr::Named(text.to_owned()));
    }
    None
}

/// The primitive a lowercased doc spelling names, `Edm.` already removed.
/// Accepts the aliases and misspellings the corpus uses (`Integer`,
/// `DateTime`, `Int`).
pub fn primitive_from_doc_name(lower: &str) -> Option<Primitive> {
    Some(match lower {
        // `Url`/`Uri` cells (remoteItem.webUrl) name no Graph type: a URL is a string.
        "string" | "str" | "url" | "uri" => Primitive::String,
        "boolean" | "bool" => Primitive::Boolean,
        "byte" => Primitive::Byte,
        "sbyte" => Primitive::SByte,
        "int16" => Primitive::Int16,
        "int32" | "int" | "integer" => Primitive::Int32,
        "int64" | "long" => Primitive::Int64,
        "single" | "float" => Primitive::Single,
        "double" => Primitive::Double,
        "decimal" => Primitive::Decimal,
        "guid" | "uuid" => Primitive::Guid,
        "datetimeoffset" | "datetime" | "timestamp" => Primitive::DateTimeOffset,
        "date" => Primitive::Date,
        "timeofday" => Primitive::TimeOfDay,
        "duration" | "timespan" => Primitive::Duration,
        "binary" | "base64" => Primitive::Binary,
        "stream" => Primitive::Stream,
        "json" | "untyped" | "object" => Primitive::Untyped,
        _ => return None,
    })
}

/// `identitySet`, `microsoft.graph.callRecords.session`: identifier parts
/// separated by dots.
pub fn is_type_name(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|part| {
            let mut cs = part.chars();
            cs.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::page::Link;

    fn cell(text: &str) -> Inline {
        Inline {
            text: text.into(),
            ..Inline::default()
        }
    }

    #[test]
    fn forms() {
        assert_eq!(parse(&cell("String")), Some(TypeExpr::Primitive(Primitive::String)));
        assert_eq!(parse(&cell("Edm.int32")), Some(TypeExpr::Primitive(Primitive::Int32)));
        assert_eq!(parse(&cell("Enumeration")), Some(TypeExpr::AnonymousEnum));
        assert_eq!(
            parse(&cell("complianceStatus")),
            Some(TypeExpr::Named("complianceStatus".into()))
        );
        assert_eq!(
            parse(&cell("String collection")),
            Some(TypeExpr::Collection(Box::new(TypeExpr::Primitive(Primitive::String))))
        );
        assert_eq!(
            parse(&cell("Collection(microsoft.graph.x)")),
            Some(TypeExpr::Collection(Box::new(TypeExpr::Named(
                "microsoft.graph.x".into()
            ))))
        );
        let mut c = cell("identitySet collection");
        c.links.push(Link {
            text: "identitySet".into(),
            target: "identityset.md".into(),
        });
        assert_eq!(
            parse(&c),
            Some(TypeExpr::Collection(Box::new(TypeExpr::Named("identitySet".into()))))
        );
        assert_eq!(parse(&cell("** Unknown Type **")), None);
        assert_eq!(
            parse(&cell("Untyped JSON object")),
            Some(TypeExpr::Primitive(Primitive::Untyped))
        );
        assert_eq!(
            parse(&cell("string (url)")),
            Some(TypeExpr::Primitive(Primitive::String))
        );
        assert_eq!(
            parse(&cell("Int64 (bytes)")),
            Some(TypeExpr::Primitive(Primitive::Int64))
        );
        assert_eq!(
            parse(&cell("educationOutcome collection. Holds grades and feedback")),
            Some(TypeExpr::Collection(Box::new(TypeExpr::Named(
                "educationOutcome".into()
            ))))
        );
        assert_eq!(parse(&cell("String.")), Some(TypeExpr::Primitive(Primitive::String)));
        assert_eq!(parse(&cell("Url")), Some(TypeExpr::Primitive(Primitive::String)));
        let linked = |text: &str, names: &[&str]| {
            let mut c = cell(text);
            for n in names {
                c.links.push(Link {
                    text: (*n).into(),
                    target: format!("{}.md", n.to_ascii_lowercase()),
                });
            }
            c
        };
        assert_eq!(
            parse(&linked(
                "appHostedMediaConfig or serviceHostedMediaConfig",
                &["appHostedMediaConfig", "serviceHostedMediaConfig"]
            )),
            Some(TypeExpr::AnyOf(vec![
                "appHostedMediaConfig".into(),
                "serviceHostedMediaConfig".into()
            ]))
        );
        assert_eq!(
            parse(&linked("a, b, or c", &["a", "b", "c"])),
            Some(TypeExpr::AnyOf(vec!["a".into(), "b".into(), "c".into()]))
        );
        // Prose between the links is not a list of types: the first link names it.
        assert_eq!(
            parse(&linked("a unless b", &["a", "b"])),
            Some(TypeExpr::Named("a".into()))
        );
    }

    /// Fuzz regression: multi-byte characters where `Collection(` would be.
    #[test]
    fn non_ascii_prefix_does_not_panic() {
        assert_eq!(parse(&cell("\u{fffd}\u{fffd}\u{fffd}DateTimeOffset")), None);
        assert_eq!(parse(&cell("ééééééDateTimeOffset)")), None);
    }
}
