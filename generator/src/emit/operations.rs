//! One unit type per operation, implementing `runtime::Operation`, with one
//! constructor per request line that fills its holes; one file per workload,
//! compiled with that workload's feature.

use super::docs;
use super::types::{ident_token as ident, primitive, value_path};
use crate::ir::{Endpoint, EndpointId, HoleKind, Model, Primitive, TypeRef};
use crate::rust::layout::{self, Content};
use crate::rust::naming::Names;
use crate::rust::operations::{OperationNames, RequestLineNames};
use crate::rust::Plan;
use proc_macro2::TokenStream;
use quote::quote;
use rayon::prelude::*;

/// `src/operations.rs`: each workload's module, behind its feature, all
/// re-exported.
pub fn root(plan: &Plan) -> TokenStream {
    let subs = plan.layout.files.iter().filter_map(|f| {
        let Content::OperationsWorkload { workload, .. } = &f.content else {
            return None;
        };
        let feature = plan.features.of_workload(workload);
        let m = ident(f.module.as_deref().unwrap_or_default());
        Some(quote! {
            #[cfg(feature = #feature)]
            mod #m;
            #[cfg(feature = #feature)]
            pub use #m::*;
        })
    });
    quote! {
        //! Every documented operation as a type implementing
        //! [`Operation`](crate::runtime::Operation), by workload; each
        //! workload's operations compile with its feature. Build a call with
        //! an operation's request-line constructor, then turn it into an
        //! `http::Request` with [`Call::to_request`](crate::runtime::Call::to_request).
        #(#subs)*
    }
}

/// The operations of one workload: the file header and one item per operation.
pub fn workload_file(
    model: &Model,
    plan: &Plan,
    workload: &str,
    endpoints: &[EndpointId],
) -> (TokenStream, Vec<String>) {
    let items: Vec<String> = endpoints
        .par_iter()
        .map(|id| {
            let i = id.0 as usize;
            operation(model, &plan.names, &model.endpoints[i], &plan.names.operations[i]).to_string()
        })
        .collect();
    let feature = plan.features.of_workload(workload);
    let doc = format!(" Operations of the `{workload}` workload (feature `{feature}`).");
    let imports = layout::OPERATION_FILE_IMPORTS.iter().map(|i| ident(i));
    let header = quote! {
        #![doc = #doc]
        #[allow(unused_imports)]
        use crate::runtime::{#(#imports),*};
    };
    (header, items)
}

fn operation(model: &Model, names: &Names, e: &Endpoint, n: &OperationNames) -> TokenStream {
    let ty = ident(&n.type_name);
    let constant = ident(&n.endpoint_constant);
    let body = body_kind(model, names, e);
    let body_ty = body.rust_type();
    let output = output_type(model, names, e);
    let doc = operation_doc(e);
    let lines = std::iter::once((&e.path, &e.parameters))
        .chain(e.alternate_paths.iter().map(|l| (&l.path, &l.parameters)))
        .zip(&n.lines)
        .map(|((path, params), ln)| constructor(e, path, params, ln, &body));
    let options = query_traits(e).into_iter().map(|t| {
        let t = ident(t);
        quote!(impl crate::runtime::#t for #ty {})
    });
    quote! {
        #doc
        pub struct #ty;

        impl Operation for #ty {
            type Body = #body_ty;
            type Output = #output;
            const ENDPOINT: &'static crate::support::Endpoint = &crate::endpoints::#constant;
        }

        impl #ty {
            #(#lines)*
        }

        #(#options)*
    }
}

fn operation_doc(e: &Endpoint) -> TokenStream {
    let mut paragraphs = vec![format!("`{} {}`: {}", e.method, e.path, docs::escape(&e.name))];
    let srcs: Vec<String> = e.sources.iter().map(|s| format!("`{}:{}`", s.path, s.line)).collect();
    paragraphs.push(format!(
        "Documented in {}; method, permissions and statuses in its `ENDPOINT`.",
        srcs.join(", ")
    ));
    docs::attrs(&paragraphs)
}

/// One request line's constructor: typed arguments for its holes, in order.
fn constructor(e: &Endpoint, path: &str, params: &[String], names: &RequestLineNames, body: &Body) -> TokenStream {
    let f = ident(&names.constructor);
    let mut args = Vec::new();
    let mut holes = Vec::new();
    let mut paras = vec![format!("`{} {}`", e.method, path)];
    for (p, arg) in params.iter().zip(&names.arguments) {
        let a = ident(arg);
        let detail = e.path_parameters.iter().find(|d| &d.name == p);
        let kind = detail.map_or(HoleKind::Key, |d| d.kind);
        let quoted = detail.is_some_and(|d| d.quoted);
        let (ty, hole) = match kind {
            HoleKind::Argument if quoted => (quote!(&str), quote!(Hole::Quoted(#a))),
            HoleKind::Argument => (quote!(impl Into<Literal>), quote!(Hole::Arg(#a.into()))),
            HoleKind::ItemPath => (quote!(&str), quote!(Hole::ItemPath(#a))),
            HoleKind::Key | HoleKind::Text => (quote!(&str), quote!(Hole::Key(#a))),
        };
        args.push(quote!(#a: #ty));
        holes.push(hole);
        if let Some(d) = detail {
            paras.push(format!(
                "`{}`: written `{{{}}}` in the docs.",
                arg.trim_start_matches("r#"),
                d.written.join("}`, `{")
            ));
        }
    }
    let doc = docs::attrs(&paras);
    let (body_arg, body_val) = match body {
        Body::None => (None, quote!(NoBody)),
        Body::Patch(t) => (Some(quote!(body: impl Into<Patch<#t>>)), quote!(body.into())),
        Body::Json(t) => (Some(quote!(body: #t)), quote!(body)),
    };
    let body_arg = body_arg.into_iter();
    quote! {
        #doc
        pub fn #f(#(#args,)* #(#body_arg)*) -> Call<Self> {
            Call::from_parts(fill(#path, &[#(#holes),*]), #body_val)
        }
    }
}

/// What a constructor takes as the body.
enum Body {
    None,
    Json(TokenStream),
    /// A PATCH of the wrapped type: unset fields stay unchanged.
    Patch(TokenStream),
}

impl Body {
    fn rust_type(&self) -> TokenStream {
        match self {
            Body::None => quote!(NoBody),
            Body::Json(t) => t.clone(),
            Body::Patch(t) => quote!(Patch<#t>),
        }
    }
}

fn value_type(model: &Model, names: &Names, t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::Primitive(Primitive::Stream | Primitive::Binary) => quote!(Bytes),
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Unresolved(_) => quote!(::serde_json::Value),
        TypeRef::Named(id, _) => value_path(model, names, *id),
        TypeRef::Collection(inner) => {
            let inner = match inner.as_ref() {
                TypeRef::Primitive(p) => primitive(*p),
                other => value_type(model, names, other),
            };
            quote!(crate::support::Collection<#inner>)
        }
    }
}

fn body_kind(model: &Model, names: &Names, e: &Endpoint) -> Body {
    match (e.method.as_str(), &e.request_type) {
        ("GET" | "DELETE", _) | (_, None) => Body::None,
        ("PATCH", Some(t)) => Body::Patch(value_type(model, names, t)),
        (_, Some(t)) => Body::Json(value_type(model, names, t)),
    }
}

fn output_type(model: &Model, names: &Names, e: &Endpoint) -> TokenStream {
    match &e.response_type {
        Some(t) => value_type(model, names, t),
        None if e.success_status == Some(204) => quote!(()),
        None => quote!(::serde_json::Value),
    }
}

/// The query-option traits a page documents. Until pages' "Optional query
/// parameters" are read, a GET of a collection supports the paging and
/// shaping options and a GET of one entity `$select`/`$expand`.
fn query_traits(e: &Endpoint) -> Vec<&'static str> {
    if e.method != "GET" {
        return Vec::new();
    }
    match &e.response_type {
        Some(TypeRef::Collection(_)) => vec![
            "Select",
            "Expand",
            "Filter",
            "OrderBy",
            "Top",
            "Skip",
            "Search",
            "Count",
            "SkipToken",
        ],
        Some(TypeRef::Named(..)) => vec!["Select", "Expand"],
        _ => Vec::new(),
    }
}
