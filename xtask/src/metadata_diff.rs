//! `cargo xtask metadata-diff`: fidelity of the IR against the official CSDL
//! metadata. Comparison only: nothing here feeds the generator.

use generator::ir::{Model, TypeKind};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

#[derive(Debug, Default)]
struct CsdlType {
    base: Option<String>,
    is_enum: bool,
    /// (name, type, navigation)
    props: Vec<(String, String, bool)>,
    members: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Csdl {
    types: HashMap<String, CsdlType>,
}

fn key(q: &str) -> String {
    q.to_ascii_lowercase()
}

impl Csdl {
    pub fn parse(xml: &str) -> Result<Csdl, String> {
        let opts = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(xml, opts).map_err(|e| e.to_string())?;
        let mut aliases: Vec<(String, String)> = Vec::new();
        for s in doc.descendants().filter(|n| n.has_tag_name("Schema")) {
            if let (Some(a), Some(ns)) = (s.attribute("Alias"), s.attribute("Namespace")) {
                aliases.push((format!("{a}."), format!("{ns}.")));
            }
        }
        let unalias = |t: &str| -> String {
            let (inner, coll) = match t.strip_prefix("Collection(").and_then(|x| x.strip_suffix(')')) {
                Some(i) => (i, true),
                None => (t, false),
            };
            let mut inner = inner.to_owned();
            for (a, ns) in &aliases {
                if let Some(rest) = inner.strip_prefix(a.as_str()) {
                    inner = format!("{ns}{rest}");
                }
            }
            if coll {
                format!("Collection({inner})")
            } else {
                inner
            }
        };
        let mut csdl = Csdl::default();
        for s in doc.descendants().filter(|n| n.has_tag_name("Schema")) {
            let ns = s.attribute("Namespace").unwrap_or("").to_owned();
            for t in s.children().filter(|n| n.is_element()) {
                let tag = t.tag_name().name();
                if !matches!(tag, "EntityType" | "ComplexType" | "EnumType") {
                    continue;
                }
                let name = t.attribute("Name").unwrap_or("").to_owned();
                let mut ct = CsdlType {
                    base: t.attribute("BaseType").map(&unalias),
                    is_enum: tag == "EnumType",
                    ..CsdlType::default()
                };
                for c in t.children().filter(|n| n.is_element()) {
                    let cname = c.attribute("Name").unwrap_or("").to_owned();
                    match c.tag_name().name() {
                        "Property" => ct
                            .props
                            .push((cname, unalias(c.attribute("Type").unwrap_or("")), false)),
                        "NavigationProperty" => {
                            ct.props.push((cname, unalias(c.attribute("Type").unwrap_or("")), true))
                        }
                        "Member" => ct.members.push(cname),
                        _ => {}
                    }
                }
                csdl.types.insert(key(&format!("{ns}.{name}")), ct);
            }
        }
        Ok(csdl)
    }

    /// Properties including those of all base types, base-most first.
    fn flattened(&self, q: &str) -> Vec<(String, String, bool)> {
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

#[derive(Debug, Default)]
pub struct Fidelity {
    pub types_compared: usize,
    pub types_not_in_csdl: usize,
    pub props_total: usize,
    pub props_present: usize,
    pub props_same_type: usize,
    pub enums_compared: usize,
    pub members_total: usize,
    pub members_present: usize,
    pub text: String,
    /// Each disagreement at the docs location it concerns, for diagnostics.
    pub disagreements: Vec<(generator::source::Location, String)>,
}

impl Fidelity {
    pub fn presence(&self) -> f64 {
        ratio(self.props_present, self.props_total)
    }
    pub fn type_agreement(&self) -> f64 {
        ratio(self.props_same_type, self.props_present)
    }
    pub fn member_presence(&self) -> f64 {
        ratio(self.members_present, self.members_total)
    }
}

/// The real-corpus issue's targets: properties present, same type, enum members.
pub const TARGETS: (f64, f64, f64) = (0.97, 0.99, 0.98);

fn met(x: f64, target: f64) -> &'static str {
    if x >= target {
        "met"
    } else {
        "NOT met"
    }
}

/// Whether the IR's type is the metadata's. The IR reads the docs' `Json`
/// as open JSON (`Edm.Untyped`); the metadata spells the same thing as its
/// empty complex type `microsoft.graph.Json`.
fn same_type(ir: &str, csdl: &str) -> bool {
    ir.replace("Edm.Untyped", "microsoft.graph.Json")
        .eq_ignore_ascii_case(csdl)
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Compares the IR with the CSDL for every type the docs document.
pub fn compare(model: &Model, csdl: &Csdl) -> Fidelity {
    let mut f = Fidelity::default();
    // type page -> missing property names
    let mut missing: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    let mut mismatches: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut member_gaps: Vec<(usize, String, String)> = Vec::new();
    let mut not_in_csdl: Vec<String> = Vec::new();
    for t in &model.types {
        let q = format!("{}.{}", t.namespace, t.name);
        let Some(ct) = csdl.types.get(&key(&q)) else {
            if !t.synthesized {
                f.types_not_in_csdl += 1;
                not_in_csdl.push(format!(
                    "{q} ({})",
                    t.sources.first().map(|s| s.to_string()).unwrap_or_default()
                ));
            }
            continue;
        };
        let page = t.sources.first().map(|s| s.to_string()).unwrap_or_default();
        if t.kind == TypeKind::Enum || ct.is_enum {
            if !ct.is_enum {
                continue;
            }
            f.enums_compared += 1;
            let have: Vec<&str> = t.members.iter().map(|m| m.name.as_str()).collect();
            let gaps: Vec<&String> = ct.members.iter().filter(|m| !have.contains(&m.as_str())).collect();
            f.members_total += ct.members.len();
            f.members_present += ct.members.len() - gaps.len();
            if !gaps.is_empty() {
                if let Some(loc) = t.sources.first() {
                    let names: Vec<String> = gaps.iter().map(|g| format!("`{g}`")).collect();
                    f.disagreements.push((
                        loc.clone(),
                        format!("the metadata's enum `{q}` also has {}", names.join(", ")),
                    ));
                }
                member_gaps.push((
                    gaps.len(),
                    format!("{q} ({page})"),
                    gaps.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
                ));
            }
            continue;
        }
        f.types_compared += 1;
        let ours = model.all_properties(t.id);
        for (name, ty, _nav) in csdl.flattened(&q) {
            f.props_total += 1;
            match ours.iter().find(|p| p.name == name) {
                None => {
                    if let Some(loc) = t.sources.first() {
                        f.disagreements.push((
                            loc.clone(),
                            format!("the metadata gives `{q}` a property `{name}` ({ty}) that the docs do not"),
                        ));
                    }
                    missing
                        .entry(q.clone())
                        .or_insert_with(|| (page.clone(), Vec::new()))
                        .1
                        .push(name);
                }
                Some(p) => {
                    f.props_present += 1;
                    let mine = p.ty.csdl();
                    if same_type(&mine, &ty) {
                        f.props_same_type += 1;
                    } else {
                        f.disagreements.push((
                            p.source.clone(),
                            format!("`{q}.{name}` is `{mine}` in the docs but `{ty}` in the metadata"),
                        ));
                        mismatches
                            .entry((ty.clone(), mine.clone()))
                            .or_default()
                            .push(format!("{q}.{name} ({})", p.source));
                    }
                }
            }
        }
    }
    let mut text = String::new();
    let pct = |x: f64| x * 100.0;
    let _ = writeln!(text, "metadata-diff: IR vs CSDL for the types the docs document");
    let _ = writeln!(
        text,
        "  properties present: {}/{} = {:.2}% (target >= 97%: {})",
        f.props_present,
        f.props_total,
        pct(f.presence()),
        met(f.presence(), TARGETS.0)
    );
    let _ = writeln!(
        text,
        "  same type:          {}/{} = {:.2}% (target >= 99%: {})",
        f.props_same_type,
        f.props_present,
        pct(f.type_agreement()),
        met(f.type_agreement(), TARGETS.1)
    );
    let _ = writeln!(
        text,
        "  enum members:       {}/{} = {:.2}% (target >= 98%: {})",
        f.members_present,
        f.members_total,
        pct(f.member_presence()),
        met(f.member_presence(), TARGETS.2)
    );
    let _ = writeln!(
        text,
        "  compared {} structured types and {} enums; {} documented types are not in the CSDL",
        f.types_compared, f.enums_compared, f.types_not_in_csdl
    );
    let mut miss: Vec<(&String, &(String, Vec<String>))> = missing.iter().collect();
    miss.sort_by(|a, b| b.1 .1.len().cmp(&a.1 .1.len()).then(a.0.cmp(b.0)));
    let _ = writeln!(
        text,
        "\nlargest causes: properties the docs do not give (type, page, count, names)"
    );
    for (q, (page, names)) in miss.iter().take(15) {
        let shown: Vec<&str> = names.iter().take(6).map(String::as_str).collect();
        let _ = writeln!(
            text,
            "  {q} at {page}: {} missing: {}{}",
            names.len(),
            shown.join(", "),
            if names.len() > 6 { ", …" } else { "" }
        );
    }
    let mut mm: Vec<(&(String, String), &Vec<String>)> = mismatches.iter().collect();
    mm.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let _ = writeln!(
        text,
        "\nlargest causes: type disagreements (CSDL type <- docs type, count, first example)"
    );
    let shown = if std::env::var_os("METADATA_DIFF_ALL").is_some() {
        usize::MAX
    } else {
        15
    };
    for ((csdl_ty, mine), where_) in mm.iter().take(shown) {
        let _ = writeln!(text, "  {csdl_ty} <- {mine}: {} e.g. {}", where_.len(), where_[0]);
    }
    member_gaps.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let _ = writeln!(text, "\nlargest causes: enum members the docs do not list");
    for (n, q, names) in member_gaps.iter().take(shown) {
        let _ = writeln!(text, "  {q}: {n} missing: {names}");
    }
    f.text = text;
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_open_json() {
        assert!(same_type("Edm.Untyped", "microsoft.graph.Json"));
        assert!(same_type("Collection(Edm.Untyped)", "Collection(microsoft.graph.Json)"));
        assert!(same_type("microsoft.graph.User", "microsoft.graph.user"));
        assert!(!same_type("Edm.Double", "Edm.Single"));
        assert!(!same_type("Edm.Untyped", "Edm.String"));
    }
}
