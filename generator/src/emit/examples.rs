//! `tests/examples.rs` of the generated crate: every typed JSON example of the
//! docs becomes a round-trip test. Examples the generator found ill-typed
//! (placeholders where a number or boolean belongs) are listed explicitly and
//! must fail to deserialize, so a fixed page or a changed model shows up.

use super::model::gate;
use super::types::{ident_token, value_path_in};
use crate::ir::{Example, Model, TypeRef};
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

/// The Rust type of an example and the gate of the type it documents.
fn example_type(model: &Model, plan: &Plan, e: &Example) -> Option<(TokenStream, TokenStream)> {
    let TypeRef::Named(id, _) = e.type_ref.as_ref()? else {
        return None;
    };
    // Paths in tests refer to the crate under test by name.
    let p = value_path_in(&quote!(crate_under_test), model, &plan.names, *id);
    let ty = if e.is_collection {
        quote!(crate_under_test::support::Collection<#p>)
    } else {
        p
    };
    Some((ty, gate(plan.features.of_type(*id))))
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
            let (ty, cfg) = example_type(model, plan, e)?;
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
                    #[test]
                    fn #f() {
                        must_fail::<#ty>(#origin, #json);
                    }
                };
                (test.to_string(), Some((origin, reason)))
            } else {
                let test = quote! {
                    #[doc = #doc]
                    #cfg
                    #[test]
                    fn #f() {
                        round_trip::<#ty>(#origin, #json);
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
    let header = quote! {
        //! Round trip of every typed JSON example in the docs through the
        //! generated model: deserialize, serialize, compare.
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
        /// undeclared properties or explicit nulls.
        fn round_trip<T>(origin: &str, json: &str)
        where
            T: serde::de::DeserializeOwned + serde::Serialize,
        {
            let expected: Value = serde_json::from_str(json).expect(origin);
            let typed: T = serde_json::from_value(expected.clone())
                .unwrap_or_else(|e| panic!("{origin}: does not deserialize: {e}"));
            let back = serde_json::to_value(&typed).expect(origin);
            assert!(
                equivalent(&expected, &back),
                "{origin}: round trip changed the payload\nexpected: {expected:#}\n     got: {back:#}"
            );
        }

        fn must_fail<T: serde::de::DeserializeOwned + std::fmt::Debug>(origin: &str, json: &str) {
            let r = serde_json::from_str::<T>(json);
            assert!(r.is_err(), "{origin}: listed as a doc defect but now deserializes: {r:?}");
        }

        #[test]
        fn defects_are_listed() {
            for (origin, reason) in KNOWN_DOC_DEFECTS {
                assert!(!origin.is_empty() && !reason.is_empty());
            }
        }
    };
    (header, tests)
}
