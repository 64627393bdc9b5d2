//! The CSDL metadata XML, read into what the comparison needs: each
//! structured or enum type with its base type, properties and members.

use std::collections::HashMap;

#[derive(Debug, Default)]
pub(super) struct CsdlType {
    base: Option<String>,
    pub(super) is_enum: bool,
    /// `IsFlags="true"` (enums).
    pub(super) is_flags: bool,
    /// (name, type, navigation)
    props: Vec<(String, String, bool)>,
    pub(super) members: Vec<String>,
}

/// Entity, complex and enum types of a CSDL file by qualified name
/// (lowercase), aliases resolved.
#[derive(Debug, Default)]
pub struct Csdl {
    types: HashMap<String, CsdlType>,
}

fn key(q: &str) -> String {
    q.to_ascii_lowercase()
}

/// `Namespace.` for every `Alias.` the schemas declare.
struct Aliases(Vec<(String, String)>);

impl Aliases {
    fn of(doc: &roxmltree::Document) -> Aliases {
        let mut aliases = Vec::new();
        for s in doc.descendants().filter(|n| n.has_tag_name("Schema")) {
            if let (Some(a), Some(ns)) = (s.attribute("Alias"), s.attribute("Namespace")) {
                aliases.push((format!("{a}."), format!("{ns}.")));
            }
        }
        Aliases(aliases)
    }

    /// A type reference with its alias replaced, inside `Collection(…)` too.
    fn resolve(&self, t: &str) -> String {
        let (inner, coll) = match t.strip_prefix("Collection(").and_then(|x| x.strip_suffix(')')) {
            Some(i) => (i, true),
            None => (t, false),
        };
        let mut inner = inner.to_owned();
        for (a, ns) in &self.0 {
            if let Some(rest) = inner.strip_prefix(a.as_str()) {
                inner = format!("{ns}{rest}");
            }
        }
        if coll {
            format!("Collection({inner})")
        } else {
            inner
        }
    }
}

impl Csdl {
    pub fn parse(xml: &str) -> Result<Csdl, String> {
        let opts = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(xml, opts).map_err(|e| e.to_string())?;
        let aliases = Aliases::of(&doc);
        let mut csdl = Csdl::default();
        for s in doc.descendants().filter(|n| n.has_tag_name("Schema")) {
            let ns = s.attribute("Namespace").unwrap_or("").to_owned();
            for t in s.children().filter(|n| n.is_element()) {
                let tag = t.tag_name().name();
                if !matches!(tag, "EntityType" | "ComplexType" | "EnumType") {
                    continue;
                }
                let name = t.attribute("Name").unwrap_or("");
                csdl.types
                    .insert(key(&format!("{ns}.{name}")), read_type(t, tag == "EnumType", &aliases));
            }
        }
        Ok(csdl)
    }

    pub(super) fn get(&self, q: &str) -> Option<&CsdlType> {
        self.types.get(&key(q))
    }

    /// Properties including those of all base types, base-most first.
    pub(super) fn flattened(&self, q: &str) -> Vec<(String, String, bool)> {
        let mut chain = Vec::new();
        let mut cur = Some(key(q));
        while let Some(k) = cur {
            if chain.contains(&k) || chain.len() > 32 {
                break;
            }
            let Some(t) = self.types.get(&k) else { break };
            chain.push(k);
            cur = t.base.as_deref().map(key);
        }
        let mut out: Vec<(String, String, bool)> = Vec::new();
        for k in chain.iter().rev() {
            for p in &self.types[k].props {
                if !out.iter().any(|q| q.0 == p.0) {
                    out.push(p.clone());
                }
            }
        }
        out
    }
}

fn read_type(t: roxmltree::Node, is_enum: bool, aliases: &Aliases) -> CsdlType {
    let mut ct = CsdlType {
        base: t.attribute("BaseType").map(|b| aliases.resolve(b)),
        is_enum,
        is_flags: t.attribute("IsFlags") == Some("true"),
        ..CsdlType::default()
    };
    for c in t.children().filter(|n| n.is_element()) {
        let cname = c.attribute("Name").unwrap_or("").to_owned();
        let ty = || aliases.resolve(c.attribute("Type").unwrap_or(""));
        match c.tag_name().name() {
            "Property" => ct.props.push((cname, ty(), false)),
            "NavigationProperty" => ct.props.push((cname, ty(), true)),
            "Member" => ct.members.push(cname),
            _ => {}
        }
    }
    ct
}
