//! What the emitted code of a probe model looks like, read back with `syn`:
//! the facts the change report classifies by (`diff::rules`), observed
//! rather than restated, so that only emit knows Rust syntax.

use super::Files;
use quote::ToTokens;

/// Facts about one emitted struct and one emitted enum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Observed {
    pub fields_optional: bool,
    pub structs_default: bool,
    pub deny_unknown_fields: bool,
    pub enums_non_exhaustive: bool,
    pub enums_catch_all: bool,
    pub enums_ord: bool,
}

/// Finds struct `struct_name` and enum `enum_name` in any source file of
/// `files` and reports how they are written; `additional` is the struct's
/// field for undeclared properties, `catch_all` the enum's catch-all variant.
pub fn probe_items(files: &Files, struct_name: &str, enum_name: &str, additional: &str, catch_all: &str) -> Observed {
    // Wherever the emitter puts them (a module per namespace, or per
    // workload below it): every source file is searched.
    let items: Vec<syn::Item> = files
        .iter()
        .filter(|(path, _)| path.starts_with("src/") && path.ends_with(".rs"))
        .filter_map(|(_, text)| syn::parse_file(text).ok())
        .flat_map(|f| f.items)
        .collect();
    let mut r = Observed::default();
    let attrs_text = |attrs: &[syn::Attribute]| -> String {
        attrs
            .iter()
            .map(|a| a.to_token_stream().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    for item in &items {
        match item {
            syn::Item::Struct(s) if s.ident == struct_name => {
                let attrs = attrs_text(&s.attrs);
                r.structs_default = derives(&s.attrs, "Default");
                r.deny_unknown_fields = attrs.contains("deny_unknown_fields");
                // How serialization is written (derived or by hand) does
                // not matter here, only that every property field is an
                // `Option` (the additional-data map is not a property).
                let extra = additional;
                r.fields_optional = !s.fields.is_empty()
                    && s.fields
                        .iter()
                        .filter(|f| f.ident.as_ref().is_none_or(|i| i != extra))
                        .all(|f| {
                            matches!(&f.ty, syn::Type::Path(p)
                                if p.path.segments.last().is_some_and(|seg| seg.ident == "Option"))
                        });
            }
            syn::Item::Enum(e) if e.ident == enum_name => {
                r.enums_non_exhaustive = e.attrs.iter().any(|a| a.path().is_ident("non_exhaustive"));
                r.enums_ord = derives(&e.attrs, "Ord");
                r.enums_catch_all = e.variants.iter().any(|v| {
                    v.ident == catch_all && matches!(&v.fields, syn::Fields::Unnamed(u) if u.unnamed.len() == 1)
                });
            }
            _ => {}
        }
    }
    r
}

fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().filter(|a| a.path().is_ident("derive")).any(|a| {
        let mut found = false;
        let _ = a.parse_nested_meta(|m| {
            found |= m.path.segments.last().is_some_and(|s| s.ident == name);
            Ok(())
        });
        found
    })
}
