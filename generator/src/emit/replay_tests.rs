//! `tests/replay.rs` of the generated crate: the typed replay. Every docs
//! example pair whose request [`crate::requests`] reads back into
//! request-line values becomes the typed call of `tests/requests.rs` (the
//! same tokens, [`typed_call`]) with its body read from the example, handed
//! to `runtime::replay::Replay::pair`, which sends it through the client to
//! the replay server and checks request, match and typed response. The other
//! pairs are listed as doc defects with the reason. One function per
//! workload, compiled with its feature; one test runs them all and prints
//! the summary line that `cargo xtask replay` shows.

use super::request_tests::{typed_call, BodyArg};
use super::types::ident_token as ident;
use crate::ir::{ExampleKind, Model, TypeRef};
use crate::rust::Plan;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// The file header (the pairs no typed call rebuilds, the test) and one
/// function per workload.
pub fn file(model: &Model, plan: &Plan) -> (TokenStream, Vec<String>) {
    let (calls, misses) = crate::requests::examples(model);
    let mut by_workload: BTreeMap<&str, Vec<TokenStream>> = BTreeMap::new();
    for (i, c) in &calls {
        let e = &model.endpoints[*i];
        let w = e.workload.as_deref().unwrap_or(crate::lower::workloads::GENERAL);
        let call = typed_call(model, plan, *i, e, c, |body| match body {
            BodyArg::Bytes => quote!(x.body::<Bytes>()?),
            BodyArg::Json(t) => quote!(x.body::<#t>()?),
            BodyArg::Patch(t) => quote!(x.body::<Patch<#t>>()?),
        });
        let source = c.source.to_string();
        by_workload
            .entry(w)
            .or_default()
            .push(quote!(r.pair(#source, |x| Ok(#call));));
    }
    let mut untyped: Vec<(String, &str, String)> = misses
        .iter()
        .map(|m| {
            let why = format!("no typed call writes `{}`: {}", m.target, m.reason);
            (m.source.to_string(), "untyped-request", why)
        })
        .collect();
    for x in model.endpoints.iter().flat_map(|e| &e.operation.exchanges) {
        if !crate::requests::is_graph_request(x) {
            let host = x.request.host.as_deref().unwrap_or_default();
            let why = format!("a request to `{host}`, not to Graph");
            untyped.push((x.source.to_string(), "not-graph", why));
        }
    }
    let mut calls_in_order = Vec::new();
    let mut items = Vec::new();
    for (w, pairs) in by_workload {
        let feature = plan.features.of_workload(w);
        let f = ident(&plan.names.workload_modules[w]);
        calls_in_order.push(quote! {
            #[cfg(feature = #feature)]
            #f(&mut replay);
        });
        items.push(
            quote! {
                #[cfg(feature = #feature)]
                fn #f(r: &mut Replay) {
                    #(#pairs)*
                }
            }
            .to_string(),
        );
    }
    let untyped = untyped.iter().map(|(s, code, why)| quote!((#s, #code, #why),));
    let expected = expected_defects(model)
        .into_iter()
        .map(|(s, code, why)| quote!((#s, #code, #why),));
    let header = quote! {
        //! Every docs example pair replayed through its typed operation: the
        //! call built from the example's values, sent through the client to
        //! the replay server on 127.0.0.1, the server's match checked, the
        //! response parsed into the typed output and compared, serialized
        //! back, with the documented body (`runtime::replay`). Needs the
        //! features `mock` and `reqwest`; each workload's pairs need its
        //! feature. `cargo xtask replay` runs this test and prints its
        //! summary line.
        #![cfg(all(feature = "mock", feature = "reqwest"))]
        #![allow(dead_code, unused_imports, unused_mut, unused_variables)]
        use generated::runtime::mock::Exchanges;
        use generated::runtime::prelude::*;
        use generated::runtime::replay::Replay;

        /// Example pairs no typed call rebuilds (doc defects): source, code, why.
        pub const UNTYPED: &[(&str, &str, &str)] = &[#(#untyped)*];

        /// Example pairs whose request or response example the generator
        /// found at odds with the operation (doc defects if the typed code
        /// cannot read that side): source, code, why.
        pub const EXPECTED_DEFECTS: &[(&str, &str, &str)] = &[#(#expected)*];

        /// Where `cargo xtask replay` wants the report written.
        const REPORT_VAR: &str = "GRAPH_REPLAY_REPORT";

        #[test]
        fn every_documented_pair_through_its_typed_operation() {
            let mut replay = Replay::start(Exchanges::documented()).expect("the replay server starts");
            for (source, code, why) in UNTYPED {
                replay.defect(source, code, why);
            }
            for (source, code, why) in EXPECTED_DEFECTS {
                replay.expect_defect(source, code, why);
            }
            #(#calls_in_order)*
            let report = replay.finish();
            let text = report.render();
            print!("{text}");
            if let Some(path) = std::env::var_os(REPORT_VAR) {
                std::fs::write(&path, &text).expect("the report is written");
            }
            assert_eq!(report.failed(), 0, "{}", report.summary());
            if report.skipped == 0 {
                assert!(report.passed() * 10 >= report.pairs() * 9, "{}", report.summary());
            }
        }
    };
    (header, items)
}

/// The pairs whose request or response example is at odds with the
/// operation, with a code and why: a JSON example the generator found
/// ill-typed (`Example::ill_typed`: placeholders where the type needs a
/// number or boolean, values of the wrong type; an example belongs to a
/// pair when it is the first of its kind on the page after the pair's
/// request, for a request body, or response block, before the page's next
/// pair), or a response annotation naming another type than the page's
/// response section (GD0020).
fn expected_defects(model: &Model) -> Vec<(String, &'static str, String)> {
    let mut pages: BTreeMap<&str, Vec<&crate::ir::Example>> = BTreeMap::new();
    for ex in &model.examples {
        pages.entry(ex.source.path.as_str()).or_default().push(ex);
    }
    let mut starts: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for x in model.endpoints.iter().flat_map(|e| &e.operation.exchanges) {
        starts.entry(x.source.path.as_str()).or_default().push(x.source.line);
    }
    let mut out = Vec::new();
    for e in &model.endpoints {
        for x in &e.operation.exchanges {
            let page = x.source.path.as_str();
            let end = starts[page]
                .iter()
                .copied()
                .filter(|&l| l > x.source.line)
                .min()
                .unwrap_or(usize::MAX);
            let first_after = |kind: ExampleKind, from: usize| {
                pages.get(page).and_then(|list| {
                    list.iter()
                        .filter(|ex| ex.kind == kind && ex.source.line > from && ex.source.line < end)
                        .min_by_key(|ex| ex.source.line)
                })
            };
            let response_line = x.response.as_ref().map(|r| r.source.line);
            let request = first_after(ExampleKind::Request, x.source.line)
                .filter(|ex| response_line.is_none_or(|r| ex.source.line < r));
            let response = response_line.and_then(|r| first_after(ExampleKind::Response, r));
            for (side, code, ex) in [
                ("request", "ill-typed-request", request),
                ("response", "ill-typed-response", response),
            ] {
                let Some(ex) = ex.filter(|ex| ex.ill_typed) else {
                    continue;
                };
                let why = if ex.placeholders.is_empty() {
                    format!("the {side} example ({}) has values of the wrong type", ex.source)
                } else {
                    format!(
                        "the {side} example ({}) has placeholders at {}",
                        ex.source,
                        ex.placeholders.join(", ")
                    )
                };
                out.push((x.source.to_string(), code, why));
            }
            let annotated = x.response.as_ref().and_then(|r| {
                let t = r.odata_type.as_deref()?.trim_start_matches('#');
                Some(if r.is_collection {
                    format!("Collection({t})")
                } else {
                    t.to_owned()
                })
            });
            let page_type = e.operation.response_body.ty.as_ref().map(TypeRef::csdl);
            if let (Some(a), Some(p)) = (annotated, page_type) {
                if !a.eq_ignore_ascii_case(&p) {
                    let why = format!("the response annotation says `{a}`, the page's response section `{p}`");
                    out.push((x.source.to_string(), "response-type-mismatch", why));
                }
            }
        }
    }
    out
}
