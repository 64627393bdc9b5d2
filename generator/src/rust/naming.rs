//! The naming authority: assigns every Rust identifier of the generated crate
//! (modules, types, fields, variants, endpoint constants and functions, path
//! parameters, example tests), escapes keywords, and resolves collisions
//! deterministically, reporting each one. The emitter never invents a name.
//!
//! One function per family of names ([`assign`] calls them in order); a new
//! family of generated items gets a new function and a new [`Names`] field.

use super::features;
use super::layout;
use crate::diagnostics::{Code, Diagnostic};
use crate::ir::{Model, TypeDef, TypeKind};
use crate::source::{FileId, Location, Span};
use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

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

#[derive(Clone, Debug, Default, PartialEq, Hash, Eq)]
pub struct EndpointNames {
    pub constant: String,
    pub path_fn: String,
    /// One per IR parameter, in order.
    pub params: Vec<String>,
}

/// Every Rust name of one generation run, by IR id.
#[derive(Clone, Debug, Default, PartialEq, Hash, Eq)]
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
    /// Per endpoint: the operation type, its constructors and their arguments.
    pub operations: Vec<super::operations::OperationNames>,
    /// Test function per `Model::examples` entry.
    pub example_tests: Vec<String>,
    /// Module per workload (inside each namespace module).
    pub workload_modules: BTreeMap<String, String>,
    /// Per `TypeId`: the enum that dispatches on `@odata.type` over the type
    /// and its derived types (`None` where nothing derives from it).
    pub polymorphic: Vec<Option<String>>,
    /// Per `TypeId`: variants of its polymorphic enum, parallel to the type
    /// followed by [`Model::descendants`].
    pub polymorphic_variants: Vec<Vec<String>>,
    /// Per struct: the field that keeps undeclared properties and nulls.
    pub additional: Vec<String>,
    /// Per struct: the associated constant naming each property in typed
    /// queries (`User::DISPLAY_NAME`), parallel to `fields`.
    pub field_consts: Vec<Vec<String>>,
}

/// Whether `s` is usable as written (not a keyword, a valid identifier).
fn is_plain_ident(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s != "_"
}

thread_local! {
    /// Per case, the names converted so far on this thread. The plan asks for
    /// the same conversions over and over (an inherited property's name once
    /// per derived type, a field's name again for its selector constant), and
    /// `heck`'s conversion was 40% of the plan.
    static CONVERTED: RefCell<[HashMap<Box<str>, String>; 3]> = RefCell::default();
}

/// Entries kept per case before the memo starts over (a few MB at most).
const MEMO_LIMIT: usize = 1 << 17;

/// Makes any text a valid Rust name in the given case: ASCII only, no
/// leading digit, keywords raw (`r#type`) or suffixed (`self_`).
pub fn to_rust_name(raw: &str, case: Case) -> String {
    let slot = case as usize;
    if let Some(hit) = CONVERTED.with(|m| m.borrow()[slot].get(raw).cloned()) {
        return hit;
    }
    let s = convert(raw, case);
    CONVERTED.with(|m| {
        let memo = &mut m.borrow_mut()[slot];
        if memo.len() >= MEMO_LIMIT {
            memo.clear();
        }
        memo.insert(raw.into(), s.clone());
    });
    s
}

/// [`to_rust_name`] without the memo.
fn convert(raw: &str, case: Case) -> String {
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

#[derive(Clone, Copy, Debug, PartialEq, Hash, Eq)]
pub enum Case {
    Snake,
    Pascal,
    Shouty,
}

/// Hands out unique names within one scope: the first claimant keeps the
/// name, later ones get `2`, `3` … (with the separator the case needs).
pub(super) struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    pub(super) fn new(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| s.to_ascii_lowercase()).collect(),
        }
    }
    /// Returns the unique name, and whether it had to change.
    pub(super) fn claim(&mut self, base: String, case: Case) -> (String, bool) {
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

/// Reports collisions: each renamed name becomes a note at the IR location
/// it came from.
struct Collisions<'a> {
    diags: &'a mut Vec<Diagnostic>,
    span_of: &'a dyn Fn(&Location) -> Span,
}

impl Collisions<'_> {
    fn no_span() -> Span {
        Span::new(FileId(0), 0..0)
    }

    /// The span of the first source, or none.
    fn first(&self, sources: &[Location]) -> Span {
        sources.first().map_or(Self::no_span(), self.span_of)
    }

    fn note(&mut self, what: &str, wanted: &str, got: &str, span: Span) {
        self.diags.push(Diagnostic::note(
            Code::NameCollision,
            span,
            format!("{what} `{wanted}` collides with an earlier name; emitted as `{got}`"),
        ));
    }
}

/// Assigns all names, family by family. `span_of` maps an IR location back
/// to a span for the collision notes.
pub fn assign(model: &Model, diags: &mut Vec<Diagnostic>, span_of: &dyn Fn(&Location) -> Span) -> Names {
    let mut report = Collisions { diags, span_of };
    let mut names = Names {
        modules: namespace_modules(model, &mut report),
        ..Names::default()
    };
    let mut type_scopes = BTreeMap::new();
    names.types = type_names(model, &mut type_scopes, &mut report);
    (names.polymorphic, names.polymorphic_variants) =
        polymorphic_names(model, &names.types, &mut type_scopes, &mut report);
    names.workload_modules = workload_modules(model, &mut report);
    for t in &model.types {
        let (variants, catch_all) = variant_names(t, &mut report);
        let (fields, additional) = field_names(model, t, &mut report);
        names.variants.push(variants);
        names.catch_all.push(catch_all);
        names.field_consts.push(field_consts(&fields));
        names.fields.push(fields);
        names.additional.push(additional);
    }
    names.endpoints = endpoint_names(model, &mut report);
    names.operations = super::operations::assign(model, &names.endpoints);
    names.example_tests = example_test_names(model);
    names
}

/// A module per namespace, `microsoft.` dropped.
fn namespace_modules(model: &Model, report: &mut Collisions) -> BTreeMap<String, String> {
    let mut scope = Scope::new(&layout::reserved_namespace_modules());
    let namespaces: BTreeSet<&str> = model.types.iter().map(|t| t.namespace.as_str()).collect();
    let mut out = BTreeMap::new();
    for ns in namespaces {
        let short = ns.strip_prefix("microsoft.").unwrap_or(ns);
        let (m, changed) = scope.claim(to_rust_name(short, Case::Snake), Case::Snake);
        if changed {
            report.note("module", short, &m, Collisions::no_span());
        }
        out.insert(ns.to_owned(), m);
    }
    out
}

/// Type names per `TypeId`, unique per namespace module; `scopes` keeps each
/// module's scope for the polymorphic enums.
fn type_names(model: &Model, scopes: &mut BTreeMap<String, Scope>, report: &mut Collisions) -> Vec<String> {
    model
        .types
        .iter()
        .map(|t| {
            let scope = scopes
                .entry(t.namespace.clone())
                .or_insert_with(|| Scope::new(&layout::RESERVED_TYPES));
            let wanted = to_rust_name(&t.name, Case::Pascal);
            let (n, changed) = scope.claim(wanted.clone(), Case::Pascal);
            if changed {
                report.note("type", &wanted, &n, report.first(&t.sources));
            }
            n
        })
        .collect()
}

/// Per `TypeId`: the polymorphic enum of a base type (`…Any`, in its type's
/// scope) and its variants, the base first, then every derived type.
fn polymorphic_names(
    model: &Model,
    types: &[String],
    scopes: &mut BTreeMap<String, Scope>,
    report: &mut Collisions,
) -> (Vec<Option<String>>, Vec<Vec<String>>) {
    let mut enums = Vec::new();
    let mut variants = Vec::new();
    for t in &model.types {
        let name = model.is_polymorphic(t.id).then(|| {
            let scope = scopes
                .entry(t.namespace.clone())
                .or_insert_with(|| Scope::new(&layout::RESERVED_TYPES));
            let wanted = format!("{}Any", types[t.id.0 as usize]);
            let (n, changed) = scope.claim(wanted.clone(), Case::Pascal);
            if changed {
                report.note("polymorphic enum", &wanted, &n, report.first(&t.sources));
            }
            n
        });
        // Variants are unique per enum.
        let vs = if name.is_some() {
            let mut scope = Scope::new(&[]);
            std::iter::once(t.id)
                .chain(model.descendants(t.id))
                .map(|d| scope.claim(types[d.0 as usize].clone(), Case::Pascal).0)
                .collect()
        } else {
            Vec::new()
        };
        enums.push(name);
        variants.push(vs);
    }
    (enums, variants)
}

/// A module per workload, inside each namespace module.
fn workload_modules(model: &Model, report: &mut Collisions) -> BTreeMap<String, String> {
    let mut scope = Scope::new(&layout::reserved_workload_modules());
    let mut out = BTreeMap::new();
    for w in features::workloads(model) {
        let (m, changed) = scope.claim(to_rust_name(w, Case::Snake), Case::Snake);
        if changed {
            report.note("workload module", w, &m, Collisions::no_span());
        }
        out.insert(w.to_owned(), m);
    }
    out
}

/// The variants of an enum and its catch-all variant (empty for a struct).
fn variant_names(t: &TypeDef, report: &mut Collisions) -> (Vec<String>, String) {
    if t.kind != TypeKind::Enum {
        return (Vec::new(), String::new());
    }
    let mut scope = Scope::new(&[]);
    let mut vs = Vec::new();
    for m in &t.members {
        let wanted = to_rust_name(&m.name, Case::Pascal);
        let (n, changed) = scope.claim(wanted.clone(), Case::Pascal);
        if changed {
            report.note("enum member", &wanted, &n, (report.span_of)(&m.source));
        }
        vs.push(n);
    }
    let (catch_all, _) = scope.claim(CATCH_ALL_VARIANT.to_owned(), Case::Pascal);
    (vs, catch_all)
}

/// The fields of a struct, parallel to [`Model::all_properties`], and its
/// field for undeclared properties (empty for an enum).
fn field_names(model: &Model, t: &TypeDef, report: &mut Collisions) -> (Vec<String>, String) {
    if t.kind == TypeKind::Enum {
        return (Vec::new(), String::new());
    }
    let mut scope = Scope::new(&[layout::ODATA_TYPE_FIELD]);
    let mut fs = Vec::new();
    for p in model.all_properties(t.id) {
        if p.name == "@odata.type" {
            fs.push(layout::ODATA_TYPE_FIELD.to_owned());
            continue;
        }
        let wanted = to_rust_name(&p.name, Case::Snake);
        let (n, changed) = scope.claim(wanted.clone(), Case::Snake);
        if changed {
            report.note("field", &wanted, &n, (report.span_of)(&p.source));
        }
        fs.push(n);
    }
    let additional = scope.claim(ADDITIONAL_FIELD.to_owned(), Case::Snake).0;
    (fs, additional)
}

/// The selector constants of a struct's fields: the field name in capitals.
/// Field names are unique without case and never the reserved
/// `odata_type`, so these are unique beside the struct's `ODATA_TYPE`.
fn field_consts(fields: &[String]) -> Vec<String> {
    fields
        .iter()
        .map(|f| f.trim_start_matches("r#").to_ascii_uppercase())
        .collect()
}

/// Endpoint constants, path functions and their parameters; constants and
/// functions share one module.
fn endpoint_names(model: &Model, report: &mut Collisions) -> Vec<EndpointNames> {
    let mut consts = Scope::new(&layout::ENDPOINTS_ITEMS);
    let mut fns = Scope::new(&[]);
    let mut out = Vec::new();
    let titles = super::qualify::wanted_names(&model.endpoints);
    for (e, title) in model.endpoints.iter().zip(&titles) {
        let wanted = to_rust_name(title, Case::Shouty);
        let (constant, changed) = consts.claim(wanted.clone(), Case::Shouty);
        if changed {
            report.note("endpoint", &wanted, &constant, report.first(&e.sources));
        }
        let (path_fn, _) = fns.claim(
            format!("{}_path", constant.trim_start_matches("r#").to_ascii_lowercase()),
            Case::Snake,
        );
        let mut pscope = Scope::new(&[]);
        let params = e
            .parameters
            .iter()
            .map(|p| pscope.claim(to_rust_name(p, Case::Snake), Case::Snake).0)
            .collect();
        out.push(EndpointNames {
            constant,
            path_fn,
            params,
        });
    }
    out
}

/// A test function per `Model::examples` entry: page, kind and line.
fn example_test_names(model: &Model) -> Vec<String> {
    let mut scope = Scope::new(&layout::EXAMPLE_TEST_HELPERS);
    model
        .examples
        .iter()
        .map(|e| {
            let stem = e.source.path.rsplit('/').next().unwrap_or(&e.source.path);
            let base = to_rust_name(
                &format!("{} {:?} l{}", stem.trim_end_matches(".md"), e.kind, e.source.line),
                Case::Snake,
            );
            scope.claim(base, Case::Snake).0
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idents() {
        assert_eq!(to_rust_name("type", Case::Snake), "r#type");
        assert_eq!(to_rust_name("self", Case::Snake), "self_");
        assert_eq!(to_rust_name("@odata.nextLink", Case::Snake), "odata_next_link");
        assert_eq!(to_rust_name("3dModel", Case::Pascal), "V3dModel");
        assert_eq!(to_rust_name("3dModel", Case::Snake), "_3d_model");
        assert_eq!(to_rust_name("", Case::Snake), "unnamed");
        assert_eq!(to_rust_name("notApplicable", Case::Pascal), "NotApplicable");
        assert_eq!(
            to_rust_name("Create deviceStatus", Case::Shouty),
            "CREATE_DEVICE_STATUS"
        );
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
                let id = to_rust_name(&raw, case);
                prop_assert!(parses_as_ident(&id), "{raw:?} -> {id:?}");
            }
        }

        /// lower's synthesized enum names capitalize words exactly as
        /// `heck` does, so the IR needs no Rust-side crate.
        #[test]
        fn synthesized_names_match_heck(
            owner in "[a-zA-Z]{0,6}",
            raw in prop_oneof!["\\PC{0,40}", "[a-zA-Z0-9 _.@ΣσǅĲ-]{0,24}"],
        ) {
            let expected = format!("{owner}{}", raw.to_upper_camel_case());
            prop_assert_eq!(crate::lower::enums::synthesized_name(&owner, &raw), expected);
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
                let mut scope = Scope::new(&layout::RESERVED_TYPES);
                let mut seen = std::collections::HashSet::new();
                for r in &raws {
                    let (n, _) = scope.claim(to_rust_name(r, case), case);
                    prop_assert!(parses_as_ident(&n), "{n}");
                    prop_assert!(seen.insert(n.trim_start_matches("r#").to_ascii_lowercase()), "duplicate {n}");
                    prop_assert!(!layout::RESERVED_TYPES.iter().any(|x| x.eq_ignore_ascii_case(&n)));
                }
            }
        }
    }
}
