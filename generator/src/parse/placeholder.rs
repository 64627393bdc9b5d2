//! Doc placeholders: JSON example values that stand for a type (`"String"`,
//! `"Integer"`, `"String (timestamp)"`, `"microsoft.graph.x"`, `"a | b"`)
//! instead of a value.

use std::collections::BTreeMap;

/// How sure a placeholder is to be one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// A bare type word (`"String"`): a real value can read the same.
    Weak,
    /// A type word with a note, a type hint or a choice list.
    Strong,
}

/// The placeholder string values of an example, by text.
pub type Placeholders = BTreeMap<String, Evidence>;

/// Every string value in `v` (at any depth, not keys) that is a placeholder.
pub fn values(v: &serde_json::Value) -> Placeholders {
    fn walk(v: &serde_json::Value, out: &mut Placeholders) {
        match v {
            serde_json::Value::String(s) if is_placeholder(s) => {
                let evidence = if is_weak(s) { Evidence::Weak } else { Evidence::Strong };
                out.insert(s.clone(), evidence);
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            serde_json::Value::Object(o) => o.values().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = Placeholders::new();
    walk(v, &mut out);
    out
}

/// Values that stand for a type, not a value.
pub fn is_placeholder(s: &str) -> bool {
    let head = s.split(" (").next().unwrap_or(s).trim();
    let head = head.strip_prefix("Edm.").unwrap_or(head);
    let words = [
        "String",
        "string",
        "Integer",
        "integer",
        "Int16",
        "Int32",
        "Int64",
        "Boolean",
        "boolean",
        "Double",
        "Single",
        "Decimal",
        "Guid",
        "DateTimeOffset",
        "DateTime",
        "Date",
        "TimeOfDay",
        "Duration",
        "Binary",
        "Byte",
        "Stream",
        "Timestamp",
        "Number",
    ];
    if words.contains(&head) && (head.len() == s.len() || s.ends_with(')')) {
        return true;
    }
    // Type hints used as values: `microsoft.graph.x`, `Collection(microsoft.graph.x)`,
    // `@odata.type: microsoft.graph.x`.
    let t = s.trim().trim_start_matches("@odata.type:").trim();
    t.starts_with("Collection(") || (t.starts_with("microsoft.graph.") && !t.contains(' ')) || is_choice_list(t)
}

/// `incoming | outgoing`: the documented choices instead of one value.
pub fn is_choice_list(s: &str) -> bool {
    let parts: Vec<&str> = s.split(" | ").collect();
    parts.len() >= 2 && parts.iter().all(|p| !p.is_empty() && !p.contains(' '))
}

/// A bare type word (`"String"`) is weak evidence: `dataType: "String"` can be
/// a real value. Parenthesised forms, type hints and choice lists are not.
fn is_weak(s: &str) -> bool {
    !s.contains('(') && !s.contains(" | ") && !s.starts_with("microsoft.") && !s.starts_with("@odata")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        assert!(is_placeholder("String"));
        assert!(is_placeholder("String (timestamp)"));
        assert!(is_placeholder("Integer"));
        assert!(!is_placeholder("Stringent"));
        assert!(!is_placeholder("User Name value"));
        assert!(is_placeholder("Collection(microsoft.graph.x)"));
        assert!(is_placeholder("@odata.type: microsoft.graph.alertStatus"));
        assert!(!is_placeholder("microsoft.graph is great"));
    }

    #[test]
    fn placeholder_values_with_their_evidence() {
        let v = serde_json::json!({
            "a": "String",
            "b": ["Int32 (identifier)", "real value"],
            "c": {"d": "incoming | outgoing", "String": 1}
        });
        let found = values(&v);
        let got: Vec<(&str, Evidence)> = found.iter().map(|(k, e)| (k.as_str(), *e)).collect();
        assert_eq!(
            got,
            [
                ("Int32 (identifier)", Evidence::Strong),
                ("String", Evidence::Weak),
                ("incoming | outgoing", Evidence::Strong)
            ]
        );
    }
}
