//! The JSON representation of a resource page: properties it shows that no
//! table lists, typed by a guess from the doc placeholders it holds.

use super::{PropertyFact, Spanned};
use crate::parse::page::CodeBlock;
use crate::parse::placeholder;
use crate::parse::type_expr::{self, TypeExpr};
use crate::source::{FileId, Span};

/// Appends the properties the representation `code` shows but `properties`
/// lacks, as inferred facts (any table row overrides their type).
pub(super) fn unlisted_properties(file: FileId, code: &CodeBlock, properties: &mut Vec<PropertyFact>) {
    let Ok(serde_json::Value::Object(obj)) = crate::parse::json::parse_lenient(&code.text) else {
        return;
    };
    for (k, v) in &obj {
        if k.starts_with('@') || properties.iter().any(|p: &PropertyFact| &p.name.value == k) {
            continue;
        }
        let Some(ty) = infer_type(v) else { continue };
        let at = code
            .text
            .find(&format!("\"{k}\""))
            .map_or(code.span.start, |i| code.span.start + i);
        let span = Span::new(file, at..at + k.len() + 2);
        properties.push(PropertyFact {
            name: Spanned {
                value: k.clone(),
                span: span.clone(),
            },
            ty: Spanned { value: ty, span },
            description: None,
            read_only: false,
            nullable: None,
            possible_values: Vec::new(),
            multi_valued: false,
            inherited_from: None,
            values_section: false,
            navigation: false,
            inferred: true,
            ty_link: None,
        });
    }
}

/// A type guessed from a JSON representation value: doc placeholders
/// (`"String"`, `"String (timestamp)"`, `"Int32"` …), literals, typed objects
/// and arrays of those.
fn infer_type(v: &serde_json::Value) -> Option<TypeExpr> {
    use crate::ir::Primitive as P;
    use serde_json::Value as V;
    Some(match v {
        V::Bool(_) => TypeExpr::Primitive(P::Boolean),
        V::Number(n) if n.is_f64() => TypeExpr::Primitive(P::Double),
        V::Number(_) => TypeExpr::Primitive(P::Int32),
        V::String(s) => {
            if s.to_ascii_lowercase().contains("timestamp") {
                return Some(TypeExpr::Primitive(P::DateTimeOffset));
            }
            if placeholder::is_choice_list(s) {
                // SharePoint pages write `a | b` for string choices.
                return Some(TypeExpr::Primitive(P::String));
            }
            let head = s.split(" (").next().unwrap_or(s).trim();
            let head = head.strip_prefix("Edm.").unwrap_or(head);
            if !placeholder::is_placeholder(s) {
                // A literal string (SharePoint pages write `a | b` for string choices).
                return Some(TypeExpr::Primitive(P::String));
            }
            TypeExpr::Primitive(type_expr::primitive_from_doc_name(&head.to_ascii_lowercase())?)
        }
        V::Object(o) => {
            let t = o
                .get("@odata.type")
                .or_else(|| o.get("@type"))?
                .as_str()?
                .trim_start_matches('#');
            if let Some(p) = t.strip_prefix("Edm.") {
                return Some(TypeExpr::Primitive(type_expr::primitive_from_doc_name(
                    &p.to_ascii_lowercase(),
                )?));
            }
            if !type_expr::is_type_name(t) {
                return None;
            }
            TypeExpr::Named(t.to_owned())
        }
        V::Array(items) => TypeExpr::Collection(Box::new(infer_type(items.first()?)?)),
        V::Null => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Primitive as P;

    #[test]
    fn types_guessed_from_values() {
        let guess = |v: serde_json::Value| infer_type(&v);
        assert_eq!(guess("String".into()), Some(TypeExpr::Primitive(P::String)));
        assert_eq!(
            guess("String (timestamp)".into()),
            Some(TypeExpr::Primitive(P::DateTimeOffset))
        );
        assert_eq!(guess("Int64".into()), Some(TypeExpr::Primitive(P::Int64)));
        assert_eq!(guess("a | b".into()), Some(TypeExpr::Primitive(P::String)));
        assert_eq!(guess("hello".into()), Some(TypeExpr::Primitive(P::String)));
        assert_eq!(
            guess(serde_json::json!([{"@odata.type": "microsoft.graph.x"}])),
            Some(TypeExpr::Collection(Box::new(TypeExpr::Named(
                "microsoft.graph.x".into()
            ))))
        );
        assert_eq!(guess(serde_json::Value::Null), None);
    }
}
