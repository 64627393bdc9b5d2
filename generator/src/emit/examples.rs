//! `tests/examples.rs` of the generated crate: every typed JSON example of the
//! docs becomes a round-trip test. Examples the generator found ill-typed
//! (placeholders where a number or boolean belongs) are listed explicitly and
//! must fail to deserialize, so a fixed page or a changed model shows up.

use super::model::gate;
use super::types::ident_token;
use crate::ir::{Example, Model, TypeKind, TypeRef};
use crate::rust::Plan;
use proc_macro2::TokenStream;
use quote::quote;
use rayon::prelude::*;

/// A raw string literal with enough `#`s for its content.
fn raw_literal(s: &str) -> TokenStream {
    let mut hashes = String::from("#");
    while s.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{s}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| quote!(#s))
}

/// The qualified name an example's value goes through `dispatch` with,
/// and the gate of the type it documents. Enums are never payloads on
/// their own (`dispatch` has no arm for them).
fn example_type(model: &Model, plan: &Plan, e: &Example) -> Option<(String, TokenStream)> {
    let TypeRef::Named(id, _) = e.type_ref.as_ref()? else {
        return None;
    };
    let t = model.ty(*id);
    if t.kind == TypeKind::Enum {
        return None;
    }
    Some((t.qualified().to_string(), gate(plan.features.of_type(*id))))
}

/// A documented example that must fail: page and line, why.
type Defect = (String, String);

/// The file header (helpers) and one item per example test, built in
/// parallel (tokens leave their thread as text).
pub fn file(model: &Model, plan: &Plan) -> (TokenStream, Vec<String>) {
    let pairs: Vec<_> = model.examples.iter().zip(&plan.names.example_tests).collect();
    let built: Vec<Option<(String, Option<Defect>)>> = pairs
        .par_iter()
        .map(|(e, test_name)| {
            let (name, cfg) = example_type(model, plan, e)?;
            let collection = e.is_collection;
            let f = ident_token(test_name);
            let json = raw_literal(&e.json);
            let origin = format!("{}:{}", e.source.path, e.source.line);
            let kept = if e.undocumented.is_empty() {
                String::new()
            } else {
                format!(
                    " Properties the docs do not declare, kept as additional data: {}.",
                    e.undocumented.join(", ")
                )
            };
            let doc = format!(" Round trip of the example at `{origin}`.{kept}");
            Some(if e.ill_typed {
                let reason = if e.placeholders.is_empty() {
                    "values of the wrong type".to_owned()
                } else {
                    format!("placeholders at {}", e.placeholders.join(", "))
                };
                let test = quote! {
                    /// Doc defect: placeholders where the type needs real values.
                    #cfg
                    #[cfg(feature = "dispatch")]
                    #[test]
                    fn #f() {
                        must_fail(#origin, #name, #collection, #json);
                    }
                };
                (test.to_string(), Some((origin, reason)))
            } else {
                let test = quote! {
                    #[doc = #doc]
                    #cfg
                    #[cfg(feature = "dispatch")]
                    #[test]
                    fn #f() {
                        round_trip(#origin, #name, #collection, #json);
                    }
                };
                (test.to_string(), None)
            })
        })
        .collect();
    let mut tests = Vec::new();
    let mut defects = Vec::new();
    for (test, defect) in built.into_iter().flatten() {
        tests.push(test);
        if let Some((origin, reason)) = defect {
            defects.push(quote!((#origin, #reason)));
        }
    }
    (header(&defects, write_side(model, plan)), tests)
}

/// The file's header: the defect list, the round-trip helpers and the
/// write-side tests.
fn header(defects: &[TokenStream], written: TokenStream) -> TokenStream {
    quote! {
        //! Round trip of every typed JSON example in the docs through the
        //! generated model: deserialize, serialize, compare. The round trips
        //! need the feature `dispatch` (they go through `dispatch::round_trip`);
        //! each example also needs its workload's feature.
        // Docs without examples leave the helpers unused.
        #![allow(dead_code, unused_imports)]

        use generated as crate_under_test;
        use serde_json::Value;

        /// Examples that cannot deserialize into the documented type
        /// (placeholders such as `"Integer"`, values of the wrong type): page, why.
        pub const KNOWN_DOC_DEFECTS: &[(&str, &str)] = &[#(#defects),*];

        /// Equality of JSON values that treats `1` and `1.0` as equal (the
        /// model reads Single and Double as `f64`).
        fn equivalent(a: &Value, b: &Value) -> bool {
            match (a, b) {
                (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
                (Value::Array(x), Value::Array(y)) => {
                    x.len() == y.len() && x.iter().zip(y).all(|(x, y)| equivalent(x, y))
                }
                (Value::Object(x), Value::Object(y)) => {
                    x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equivalent(v, w)))
                }
                _ => a == b,
            }
        }

        /// Deserialize, serialize, compare: nothing may be lost, not even
        /// undeclared properties or explicit nulls. A collection's page goes
        /// through `Collection<Value>`, each item through its type.
        #[cfg(feature = "dispatch")]
        fn round_trip(origin: &str, name: &str, collection: bool, json: &str) {
            let expected: Value = serde_json::from_str(json).expect(origin);
            let back = through_dispatch(name, collection, expected.clone())
                .unwrap_or_else(|e| panic!("{origin}: does not deserialize: {e}"));
            assert!(
                equivalent(&expected, &back),
                "{origin}: round trip changed the payload\nexpected: {expected:#}\n     got: {back:#}"
            );
        }

        #[cfg(feature = "dispatch")]
        fn must_fail(origin: &str, name: &str, collection: bool, json: &str) {
            let expected: Value = serde_json::from_str(json).expect(origin);
            let r = through_dispatch(name, collection, expected);
            assert!(r.is_err(), "{origin}: listed as a doc defect but now deserializes: {r:?}");
        }

        /// The value read into the generated type of `name` (into pages of
        /// it for a collection) and written back, through the non-generic
        /// `dispatch::round_trip` the library already compiles: one generic
        /// instantiation per type here would compile the model's serde code
        /// a second time.
        #[cfg(feature = "dispatch")]
        fn through_dispatch(name: &str, collection: bool, value: Value) -> Result<Value, serde_json::Error> {
            let one = |v: Value| {
                crate_under_test::dispatch::round_trip(name, v)
                    .unwrap_or_else(|| panic!("`{name}` is not in `dispatch`"))
            };
            if !collection {
                return one(value);
            }
            let mut page: crate_under_test::support::Collection<Value> = serde_json::from_value(value)?;
            for item in &mut page.value {
                *item = one(item.take())?;
            }
            serde_json::to_value(&page)
        }

        #written

        #[test]
        fn defects_are_listed() {
            for (origin, reason) in KNOWN_DOC_DEFECTS {
                assert!(!origin.is_empty() && !reason.is_empty());
            }
        }
    }
}

/// The write side of polymorphism: every type derived from another, built in
/// Rust from `Default`, serializes with its `@odata.type`, directly and
/// through each polymorphic base's `…Any` enum (and reads back as that
/// variant); every request example of a derived type that names its type is
/// what a value built with `..Default::default()` writes.
fn write_side(model: &Model, plan: &Plan) -> TokenStream {
    let names = &plan.names;
    let odata = ident_token(crate::rust::layout::ODATA_TYPE_FIELD);
    let root = quote!(crate_under_test);
    let mut per_base = Vec::new();
    for t in &model.types {
        let i = t.id.0 as usize;
        let Some(any) = &names.polymorphic[i] else { continue };
        let any_path = {
            let m = ident_token(&names.modules[&t.namespace]);
            let a = ident_token(any);
            quote!(#root::#m::#a)
        };
        let base_cfg = gate(plan.features.of_type(t.id));
        let members: Vec<_> = std::iter::once(t.id).chain(model.descendants(t.id)).collect();
        let checks = members.iter().zip(&names.polymorphic_variants[i]).filter_map(|(d, v)| {
            let dt = model.ty(*d);
            dt.base_type.as_ref()?;
            let cfg = gate(plan.features.of_type(*d));
            let m = ident_token(&names.modules[&dt.namespace]);
            let n = ident_token(&names.types[d.0 as usize]);
            let v = ident_token(v);
            let q = format!("#{}", dt.qualified());
            // Each check its own function: one frame of its own (a single
            // frame holding every check's values overflows the stack).
            Some(quote! {
                #cfg
                {
                    fn check() {
                    let direct = serde_json::to_value(#root::#m::#n::default()).unwrap();
                    assert_eq!(direct["@odata.type"], #q, "{}", #q);
                    let via = serde_json::to_value(#any_path::#v(::std::default::Default::default())).unwrap();
                    assert_eq!(via["@odata.type"], #q, "{}", #q);
                    let back: #any_path = serde_json::from_value(via).unwrap();
                    assert!(matches!(back, #any_path::#v(_)), "{}", #q);
                    }
                    check();
                }
            })
        });
        per_base.push(quote! { #base_cfg { #(#checks)* } });
    }
    let posts = model.examples.iter().filter_map(|e| {
        if e.kind != crate::ir::ExampleKind::Request || e.is_collection || e.ill_typed {
            return None;
        }
        let TypeRef::Named(id, _) = e.type_ref.as_ref()? else {
            return None;
        };
        let value: serde_json::Value = serde_json::from_str(&e.json).ok()?;
        let named = value
            .get("@odata.type")?
            .as_str()?
            .trim_start_matches('#')
            .to_ascii_lowercase();
        // The example's own type: the declared one or a type derived from it.
        let d = std::iter::once(*id)
            .chain(model.descendants(*id))
            .find(|d| model.ty(*d).qualified().to_string().to_ascii_lowercase() == named)?;
        let dt = model.ty(d);
        if dt.base_type.is_none() || dt.kind == TypeKind::Enum {
            return None;
        }
        let cfg = gate(plan.features.of_type(d));
        let m = ident_token(&names.modules[&dt.namespace]);
        let n = ident_token(&names.types[d.0 as usize]);
        let origin = format!("{}:{}", e.source.path, e.source.line);
        let json = raw_literal(&e.json);
        Some(quote! {
            #cfg
            {
                fn check() {
                type T = #root::#m::#n;
                let expected: Value = serde_json::from_str(#json).unwrap();
                let mut fields = expected.clone();
                fields.as_object_mut().unwrap().remove("@odata.type");
                let fields: T = serde_json::from_value(fields).unwrap();
                // `T { …fields…, ..T::default() }`, as a user writes it.
                let built = T { #odata: T::default().#odata, ..fields };
                let got = serde_json::to_value(&built).unwrap();
                assert!(
                    // The docs write the name with or without `#`, in varying case.
                    got["@odata.type"].as_str().unwrap().trim_start_matches('#')
                        .eq_ignore_ascii_case(expected["@odata.type"].as_str().unwrap().trim_start_matches('#')),
                    "{}: {}", #origin, got["@odata.type"]
                );
                let mut got = got;
                got["@odata.type"] = expected["@odata.type"].clone();
                assert!(equivalent(&expected, &got), "{}", #origin);
                }
                check();
            }
        })
    });
    quote! {
        /// Every derived type built in Rust writes its `@odata.type`, directly and through
        /// each polymorphic base's `…Any` enum, and reads back as the same variant.
        #[test]
        fn derived_types_write_their_odata_type() {
            #(#per_base)*
        }

        /// The docs' request examples (POST bodies) of derived types: a value built in Rust
        /// from the example's properties and `Default` writes the example, `@odata.type` included.
        #[test]
        fn request_examples_of_derived_types_are_written_with_their_type() {
            #(#posts)*
        }
    }
}
