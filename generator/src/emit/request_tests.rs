//! `tests/requests.rs` of the generated crate: every docs example request
//! that [`crate::requests`] reads back into request-line values becomes a
//! typed call (constructor, arguments, typed query setters), and the test
//! checks that the call writes the example's target exactly (compared
//! percent-decoded: the docs write URLs unencoded). One test per workload,
//! compiled with its feature.

use super::operations::{body_kind, query_traits, Body};
use super::types::ident_token as ident;
use crate::ir::{Endpoint, Model};
use crate::requests::{CallExample, HoleValue, Miss};
use crate::rust::Plan;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// The file header and one test per workload.
pub fn file(model: &Model, plan: &Plan) -> (TokenStream, Vec<String>) {
    let (calls, misses) = crate::requests::examples(model);
    let mut by_workload: BTreeMap<&str, Vec<TokenStream>> = BTreeMap::new();
    for (i, c) in &calls {
        let e = &model.endpoints[*i];
        let w = e.workload.as_deref().unwrap_or(crate::lower::workloads::GENERAL);
        by_workload.entry(w).or_default().push(check(model, plan, *i, e, c));
    }
    let items = by_workload
        .into_iter()
        .map(|(w, checks)| {
            let feature = plan.features.of_workload(w);
            let f = ident(&plan.names.workload_modules[w]);
            let n = checks.len();
            quote! {
                #[cfg(feature = #feature)]
                #[test]
                fn #f() {
                    let mut failed = Vec::new();
                    #(#checks)*
                    assert!(failed.is_empty(), "{} of {} example requests not rebuilt:\n{}", failed.len(), #n, failed.join("\n"));
                }
            }
            .to_string()
        })
        .collect();
    (header(&misses), items)
}

fn header(misses: &[Miss]) -> TokenStream {
    let listed = misses.iter().map(|m| {
        let at = format!("{}:{}", m.source.path, m.source.line);
        let why = format!("`{}`: {}", m.target, m.reason);
        quote!((#at, #why),)
    });
    quote! {
        //! Every docs example request rebuilt by its typed operation: the
        //! call's target must be the example's, percent-decoded.
        #![allow(dead_code, unused_imports, unused_mut)]
        use generated::runtime::prelude::*;

        /// Example requests no typed call rebuilds (doc defects): page, why.
        pub const NOT_REBUILT: &[(&str, &str)] = &[#(#listed)*];

        fn check(failed: &mut Vec<String>, at: &str, written: String, expected: &str) {
            let decoded = percent_encoding::percent_decode_str(&written).decode_utf8_lossy();
            if decoded != expected {
                failed.push(format!("{at}: wrote `{written}`, the docs `{expected}`"));
            }
        }

        /// An empty body of any JSON type: the URL does not depend on it.
        fn body<T: serde::de::DeserializeOwned>() -> T {
            for json in ["{}", "null", "[]", "\"\"", "0", "false"] {
                if let Ok(v) = serde_json::from_str(json) {
                    return v;
                }
            }
            panic!("no empty JSON value reads as {}", std::any::type_name::<T>())
        }
    }
}

fn check(model: &Model, plan: &Plan, i: usize, e: &Endpoint, c: &CallExample) -> TokenStream {
    let call = typed_call(model, plan, i, e, c, |body| match body {
        BodyArg::Bytes => quote!(Bytes::default()),
        BodyArg::Json(t) => quote!(body::<#t>()),
        BodyArg::Patch(t) => quote!(Patch::<#t>::new(body())),
    });
    let at = format!("{}:{}", c.source.path, c.source.line);
    let expected = &c.expected;
    quote! {
        check(&mut failed, #at, #call.target(), #expected);
    }
}

/// The body argument a request line's constructor takes, its type named
/// from the generated crate's tests.
pub(super) enum BodyArg {
    Bytes,
    Json(TokenStream),
    /// `Patch<T>`: the type `T`.
    Patch(TokenStream),
}

/// The typed call that rebuilds example `c` of endpoint `i`: the request
/// line's constructor with the example's values (and the body argument
/// `body` writes, if the operation takes one), then a typed setter per
/// query pair. Shared by `tests/requests.rs` and `tests/replay.rs`.
pub(super) fn typed_call(
    model: &Model,
    plan: &Plan,
    i: usize,
    e: &Endpoint,
    c: &CallExample,
    body: impl FnOnce(BodyArg) -> TokenStream,
) -> TokenStream {
    let n = &plan.names.operations[i];
    let op = ident(&n.type_name);
    let ctor = ident(&n.lines[c.line].constructor);
    let mut args: Vec<TokenStream> = c.values.iter().map(argument).collect();
    match body_kind(model, &plan.names, e, n) {
        Body::None => {}
        Body::Json(t) if t.to_string() == "Bytes" => args.push(body(BodyArg::Bytes)),
        Body::Json(t) => args.push(body(BodyArg::Json(in_tests(t)))),
        Body::Patch(t) => args.push(body(BodyArg::Patch(in_tests(t)))),
    }
    let traits = query_traits(e);
    let mut seen: Vec<&str> = Vec::new();
    let setters = c.query.iter().map(|(k, v)| {
        let repeat = seen.contains(&k.as_str());
        seen.push(k);
        query_setter(&traits, k, v, repeat)
    });
    quote!(generated::operations::#op::#ctor(#(#args),*) #(#setters)*)
}

/// A type path of the crate, named from its tests.
fn in_tests(t: TokenStream) -> TokenStream {
    let text = t.to_string().replace("crate ::", "generated ::");
    text.parse().unwrap_or(t)
}

fn argument(v: &HoleValue) -> TokenStream {
    match v {
        HoleValue::Text(s) | HoleValue::String(s) => quote!(#s),
        HoleValue::Integer(n) => {
            // Unsuffixed: the argument may be any integer type.
            let lit = proc_macro2::Literal::i64_unsuffixed(*n);
            quote!(#lit)
        }
        HoleValue::Boolean(b) => quote!(#b),
        HoleValue::Raw(s) => quote!(Literal::raw(#s)),
    }
}

/// The typed setter for a query pair the operation documents, spelled as
/// the setter writes it; anything else through `query_param`.
fn query_setter(traits: &[&str], k: &str, v: &str, repeat: bool) -> TokenStream {
    let has = |t: &str| traits.contains(&t) && !repeat;
    let list = |v: &str| -> Vec<String> { v.split(',').map(str::to_owned).collect() };
    match k {
        "$select" if has("Select") => {
            let parts = list(v);
            quote!(.select([#(#parts),*]))
        }
        "$expand" if has("Expand") => {
            let parts = list(v);
            quote!(.expand([#(#parts),*]))
        }
        "$orderby" if has("OrderBy") => {
            let parts = list(v);
            quote!(.order_by([#(#parts),*]))
        }
        "$filter" if has("Filter") => quote!(.filter(#v)),
        "$search" if has("Search") => quote!(.search(#v)),
        "$skipToken" if has("SkipToken") => quote!(.skip_token(#v)),
        "$top" if has("Top") && canonical_u32(v) => {
            let n: u32 = v.parse().unwrap_or_default();
            quote!(.top(#n))
        }
        "$skip" if has("Skip") && canonical_u32(v) => {
            let n: u32 = v.parse().unwrap_or_default();
            quote!(.skip(#n))
        }
        "$count" if has("Count") && (v == "true" || v == "false") => {
            let b = v == "true";
            quote!(.count(#b))
        }
        _ => quote!(.query_param(#k, #v)),
    }
}

fn canonical_u32(v: &str) -> bool {
    v.parse::<u32>().is_ok_and(|n| n.to_string() == v)
}
