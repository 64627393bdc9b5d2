//! The naming authority: assigns every Rust identifier of the generated crate
//! (modules, types, fields, variants, endpoint constants and functions, path
//! parameters), escapes keywords, and resolves collisions deterministically,
//! reporting each one. The emitter never invents a name.

use crate::diagnostics::{Code, Diagnostic};
use crate::ir::{Model, TypeId, TypeKind};
use crate::lower::workloads::GENERAL;
use crate::source::{FileId, Span};
use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, HashSet};

/// Name of the catch-all variant every enum gets for values the docs did not list.
pub const CATCH_ALL_VARIANT: &str = "Undocumented";

/// Field every struct gets for properties the docs do not declare.
pub const ADDITIONAL_FIELD: &str = "additional_data";

/// Identifiers that cannot be used, even as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "extern", "_"];

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Names of items the generated code itself defines or uses unqualified in a
/// model module; a Graph type must not take them.
const RESERVED_TYPES: &[&str] = &[
    "Collection",
    "Endpoint",
    "Method",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointNames {
    pub constant: String,
    pub path_fn: String,
    /// One per IR parameter, in order.
    pub params: Vec<String>,
}

/// Every Rust name of one generation run, by IR id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    /// Module per namespace.
    pub modules: BTreeMap<String, String>,
    /// Type name per `TypeId`.
    pub types: Vec<String>,
    /// Field names per struct, parallel to `Model::all_properties`.
    pub fields: Vec<Vec<String>>,
    /// Variant names per enum, parallel to `TypeDef::members`.
    pub variants: Vec<Vec<String>>,
    /// Catch-all variant per enum.
    pub catch_all: Vec<String>,
    pub endpoints: Vec<EndpointNames>,
    /// Test function per `Model::examples` entry.
    pub example_tests: Vec<String>,
    /// Module per workload (inside each namespace module).
    pub workload_modules: BTreeMap<String, String>,
    /// Cargo feature per workload.
    pub features: BTreeMap<String, String>,
    /// Per `TypeId`: the enum that dispatches on `@odata.type` over the type
    /// and its derived types (`None` where nothing derives from it).
    pub polymorphic: Vec<Option<String>>,
    /// Per `TypeId`: variants of its polymorphic enum, parallel to the type
    /// followed by [`Model::descendants`].
    pub polymorphic_variants: Vec<Vec<String>>,
    /// Per struct: the field that keeps undeclared properties and nulls.
    pub additional: Vec<String>,
}

/// Features of the generated crate that are not workloads.
pub const FIXED_FEATURES: &[&str] = &["default", "full", "dispatch"];

/// Whether `s` is usable as written (not a keyword, a valid identifier).
fn is_plain_ident(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s != "_"
}

/// Makes any text a valid identifier in the given case: ASCII only,
/// no leading digit, keywords raw (`r#type`) or suffixed (`self_`).
pub fn ident(raw: &str, case: Case) -> String {
    // Keep word boundaries: non-identifier characters become separators.
    let cleaned: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut s = match case {
        Case::Snake => cleaned.to_snake_case(),
        Case::Pascal => cleaned.to_upper_camel_case(),
        Case::Shouty => cleaned.to_shouty_snake_case(),
    };
    if s.is_empty() {
        s = match case {
            Case::Pascal => "Unnamed".into(),
            Case::Shouty => "UNNAMED".into(),
            Case::Snake => "unnamed".into(),
        };
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, if case == Case::Pascal { 'V' } else { '_' });
    }
    if NOT_RAW.contains(&s.as_str()) {
        s.push('_');
    } else if KEYWORDS.contains(&s.as_str()) {
        s.insert_str(0, "r#");
    }
    debug_assert!(is_plain_ident(s.trim_start_matches("r#")));
    s
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    Snake,
    Pascal,
    Shouty,
}

/// Hands out unique names within one scope: the first claimant keeps the
/// name, later ones get `2`, `3` … (with the separator the case needs).
struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    fn new(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| s.to_ascii_lowercase()).collect(),
        }
    }
    /// Returns the unique name, and whether it had to change.
    fn claim(&mut self, base: String, case: Case) -> (String, bool) {
        // Compare case-insensitively without the raw prefix, so `Foo`/`FOO`
        // and `r#type`/`type_` can never both appear.
        let norm = |s: &str| s.trim_start_matches("r#").to_ascii_lowercase();
        if self.taken.insert(norm(&base)) {
            return (base, false);
        }
        let stem = base.trim_start_matches("r#").trim_end_matches('_').to_owned();
        for n in 2.. {
            let cand = match case {
                Case::Pascal => format!("{stem}{n}"),
                _ => format!("{stem}_{n}"),
            };
            if self.taken.insert(norm(&cand)) {
                return (cand, true);
            }
        }
        unreachable!("an unbounded counter always finds a free name")
    }
}

fn collision(diags: &mut Vec<Diagnostic>, what: &str, wanted: &str, got: &str, span: Span) {
    diags.push(Diagnostic::note(
        Code::NameCollision,
        span,
        format!("{what} `{wanted}` collides with an earlier name; emitted as `{got}`"),
    ));
}

/// Assigns all names. `span_of` maps an IR location back to a span for the
/// collision notes.
pub fn assign(model: &Model, diags: &mut Vec<Diagnostic>, span_of: &dyn Fn(&crate::source::Location) -> Span) -> Names {
    let mut names = Names::default();
    let no_span = Span::new(FileId(0), 0..0);

    // Modules: one per namespace.
    let mut mods = Scope::new(&[
        "support",
        "endpoints",
        "dispatch",
        "lib",
        "std",
        "core",
        "serde",
        "alloc",
    ]);
    let namespaces: std::collections::BTreeSet<&str> = model.types.iter().map(|t| t.namespace.as_str()).collect();
    for ns in namespaces {
        let short = ns.strip_prefix("microsoft.").unwrap_or(ns);
        let (m, changed) = mods.claim(ident(short, Case::Snake), Case::Snake);
        if changed {
            collision(diags, "module", short, &m, no_span.clone());
        }
        names.modules.insert(ns.to_owned(), m);
    }

    // Types: unique per module.
    let mut type_scopes: BTreeMap<String, Scope> = BTreeMap::new();
    for t in &model.types {
        let scope = type_scopes
            .entry(t.namespace.clone())
            .or_insert_with(|| Scope::new(RESERVED_TYPES));
        let wanted = ident(&t.name, Case::Pascal);
        let (n, changed) = scope.claim(wanted.clone(), Case::Pascal);
        if changed {
            let span = t.sources.first().map_or(no_span.clone(), span_of);
            collision(diags, "type", &wanted, &n, span);
        }
        names.types.push(n);
    }

    // The polymorphic enum of each base type, in its type's scope.
    for t in &model.types {
        let name = model.is_polymorphic(t.id).then(|| {
            let scope = type_scopes
                .entry(t.namespace.clone())
                .or_insert_with(|| Scope::new(RESERVED_TYPES));
            let wanted = format!("{}Any", names.types[t.id.0 as usize]);
            let (n, changed) = scope.claim(wanted.clone(), Case::Pascal);
            if changed {
                let span = t.sources.first().map_or(no_span.clone(), span_of);
                collision(diags, "polymorphic enum", &wanted, &n, span);
            }
            n
        });
        // Variants: the base first, then every derived type, unique per enum.
        let variants = if name.is_some() {
            let mut scope = Scope::new(&[]);
            std::iter::once(t.id)
                .chain(model.descendants(t.id))
                .map(|d| scope.claim(names.types[d.0 as usize].clone(), Case::Pascal).0)
                .collect()
        } else {
            Vec::new()
        };
        names.polymorphic.push(name);
        names.polymorphic_variants.push(variants);
    }

    // Workloads: a module (inside each namespace module) and a feature each.
    let workloads: std::collections::BTreeSet<&str> = model
        .types
        .iter()
        .map(|t| t.workload.as_deref().unwrap_or(GENERAL))
        .chain(model.endpoints.iter().map(|e| e.workload.as_deref().unwrap_or(GENERAL)))
        .collect();
    let mut wmods = Scope::new(&["support", "endpoints", "dispatch"]);
    let mut features = Scope::new(FIXED_FEATURES);
    for w in workloads {
        let (m, changed) = wmods.claim(ident(w, Case::Snake), Case::Snake);
        if changed {
            collision(diags, "workload module", w, &m, no_span.clone());
        }
        names.workload_modules.insert(w.to_owned(), m);
        let (f, _) = features.claim(ident(w, Case::Snake).trim_start_matches("r#").to_owned(), Case::Snake);
        names.features.insert(w.to_owned(), f.replace('_', "-"));
    }

    // Fields and variants.
    for t in &model.types {
        let id = t.id;
        if t.kind == TypeKind::Enum {
            let mut scope = Scope::new(&[]);
            let mut vs = Vec::new();
            for m in &t.members {
                let wanted = ident(&m.name, Case::Pascal);
                let (n, changed) = scope.claim(wanted.clone(), Case::Pascal);
                if changed {
                    collision(diags, "enum member", &wanted, &n, span_of(&m.source));
                }
                vs.push(n);
            }
            let (catch_all, _) = scope.claim(CATCH_ALL_VARIANT.to_owned(), Case::Pascal);
            names.variants.push(vs);
            names.catch_all.push(catch_all);
            names.fields.push(Vec::new());
            names.additional.push(String::new());
        } else {
            let mut scope = Scope::new(&["odata_type"]);
            let mut fs = Vec::new();
            for p in model.all_properties(TypeId(id.0)) {
                if p.name == "@odata.type" {
                    fs.push("odata_type".to_owned());
                    continue;
                }
                let wanted = ident(&p.name, Case::Snake);
                let (n, changed) = scope.claim(wanted.clone(), Case::Snake);
                if changed {
                    collision(diags, "field", &wanted, &n, span_of(&p.source));
                }
                fs.push(n);
            }
            names.fields.push(fs);
            names
                .additional
                .push(scope.claim(ADDITIONAL_FIELD.to_owned(), Case::Snake).0);
            names.variants.push(Vec::new());
            names.catch_all.push(String::new());
        }
    }

    // Endpoints: constants and path functions share one module.
    let mut consts = Scope::new(&["ALL"]);
    let mut fns = Scope::new(&[]);
    for e in &model.endpoints {
        let span = e.sources.first().map_or(no_span.clone(), span_of);
        let wanted = ident(&e.name, Case::Shouty);
        let (constant, changed) = consts.claim(wanted.clone(), Case::Shouty);
        if changed {
            collision(diags, "endpoint", &wanted, &constant, span.clone());
        }
        let (path_fn, _) = fns.claim(
            format!("{}_path", constant.trim_start_matches("r#").to_ascii_lowercase()),
            Case::Snake,
        );
        let mut pscope = Scope::new(&[]);
        let params = e
            .parameters
            .iter()
            .map(|p| pscope.claim(ident(p, Case::Snake), Case::Snake).0)
            .collect();
        names.endpoints.push(EndpointNames {
            constant,
            path_fn,
            params,
        });
    }
    let mut tests = Scope::new(&["defects_are_listed", "round_trip", "must_fail", "equivalent"]);
    for e in &model.examples {
        let stem = e.source.path.rsplit('/').next().unwrap_or(&e.source.path);
        let base = ident(
            &format!("{} {:?} l{}", stem.trim_end_matches(".md"), e.kind, e.source.line),
            Case::Snake,
        );
        names.example_tests.push(tests.claim(base, Case::Snake).0);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idents() {
        assert_eq!(ident("type", Case::Snake), "r#type");
        assert_eq!(ident("self", Case::Snake), "self_");
        assert_eq!(ident("@odata.nextLink", Case::Snake), "odata_next_link");
        assert_eq!(ident("3dModel", Case::Pascal), "V3dModel");
        assert_eq!(ident("3dModel", Case::Snake), "_3d_model");
        assert_eq!(ident("", Case::Snake), "unnamed");
        assert_eq!(ident("notApplicable", Case::Pascal), "NotApplicable");
        assert_eq!(ident("Create deviceStatus", Case::Shouty), "CREATE_DEVICE_STATUS");
    }

    #[test]
    fn scope_collisions() {
        let mut s = Scope::new(&["String"]);
        assert_eq!(s.claim("String".into(), Case::Pascal), ("String2".into(), true));
        assert_eq!(s.claim("FooBar".into(), Case::Pascal), ("FooBar".into(), false));
        assert_eq!(s.claim("Foobar".into(), Case::Pascal), ("Foobar2".into(), true));
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    fn parses_as_ident(s: &str) -> bool {
        syn::parse_str::<syn::Ident>(s).is_ok()
    }

    proptest! {
        /// Any text becomes a valid identifier in every case style.
        #[test]
        fn any_name_is_a_valid_ident(raw in "\\PC{0,40}") {
            for case in [Case::Snake, Case::Pascal, Case::Shouty] {
                let id = ident(&raw, case);
                prop_assert!(parses_as_ident(&id), "{raw:?} -> {id:?}");
            }
        }

        /// Names in one scope never collide, case-insensitively, whatever
        /// mix of keywords, std names, digits and case twins comes in.
        #[test]
        fn scope_names_are_unique(raws in proptest::collection::vec(
            prop_oneof![
                Just("type".to_string()), Just("Self".to_string()), Just("Option".to_string()),
                Just("String".to_string()), Just("Result".to_string()), Just("Vec".to_string()),
                Just("Box".to_string()), Just("fooBar".to_string()), Just("FooBar".to_string()),
                Just("foo_bar".to_string()), Just("3d".to_string()), "[a-zA-Z0-9_ .@-]{0,12}",
            ], 0..40)) {
            for case in [Case::Snake, Case::Pascal] {
                let mut scope = Scope::new(RESERVED_TYPES);
                let mut seen = std::collections::HashSet::new();
                for r in &raws {
                    let (n, _) = scope.claim(ident(r, case), case);
                    prop_assert!(parses_as_ident(&n), "{n}");
                    prop_assert!(seen.insert(n.trim_start_matches("r#").to_ascii_lowercase()), "duplicate {n}");
                    prop_assert!(!RESERVED_TYPES.iter().any(|x| x.eq_ignore_ascii_case(&n)));
                }
            }
        }
    }
}
