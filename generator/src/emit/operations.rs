//! One unit type per operation, implementing `runtime::Operation`, with one
//! constructor per request line that fills its holes; one file per workload,
//! compiled with that workload's feature.

use super::docs;
use super::types::{ident_token as ident, primitive, type_path, value_path};
use crate::ir::{BodyKind, Endpoint, EndpointId, HoleKind, Model, Primitive, QuerySupport, TypeRef};
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
    let body = body_kind(model, names, e, n);
    let body_ty = body.rust_type();
    let output = output_type(model, names, e);
    let doc = operation_doc(e);
    let lines = std::iter::once((&e.path, &e.parameters, false))
        .chain(
            e.alternate_paths
                .iter()
                .map(|l| (&l.path, &l.parameters, l.from_example)),
        )
        .zip(&n.lines)
        .map(|((path, params, from_example), ln)| constructor(e, (path, params, from_example), ln, &body));
    let traits = query_traits(e);
    let item = traits
        .iter()
        .any(|t| matches!(*t, "Select" | "Expand" | "Filter" | "OrderBy"))
        .then(|| {
            let item = query_item(model, names, e);
            quote!(impl crate::runtime::QueryItem for #ty { type Item = #item; })
        });
    let options = traits.into_iter().map(|t| {
        let t = ident(t);
        quote!(impl crate::runtime::#t for #ty {})
    });
    let parameters = parameter_struct(model, names, e, n);
    let headers = header_setters(e, n);
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
        #item
        #parameters
        #headers
    }
}

/// The struct of an action's body parameters: optional fields like a
/// model's (the docs' "required" is not enforced by the type, since pages
/// disagree on it), undeclared properties kept.
fn parameter_struct(model: &Model, names: &Names, e: &Endpoint, n: &OperationNames) -> TokenStream {
    let info = &e.operation;
    if info.request_body.kind != BodyKind::Parameters || info.body_parameters.is_empty() {
        return TokenStream::new();
    }
    let name = ident(&n.body_struct);
    let rest = ident(&n.body_rest);
    let mut decls = Vec::new();
    let (mut fields, mut wires) = (Vec::new(), Vec::new());
    for (p, f) in info.body_parameters.iter().zip(&n.body_fields) {
        let field = ident(f);
        let ty =
            p.ty.as_ref()
                .map_or_else(|| quote!(::serde_json::Value), |t| field_type(model, names, t));
        let mut paras: Vec<String> = p.description.iter().map(|d| docs::escape(d)).collect();
        if p.required {
            paras.push("Required by the docs.".into());
        }
        let doc = docs::attrs(&paras);
        decls.push(quote! { #doc pub #field: Option<#ty>, });
        fields.push(field);
        wires.push(p.name.as_str());
    }
    let doc = format!(
        " The body parameters of [`{}`], as the page's Request body table lists them.",
        n.type_name
    );
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #name {
            #(#decls)*
            /// Properties the docs do not list, kept as sent.
            pub #rest: crate::support::Object,
        }
        crate::support::model_serde!(#name { #( #fields: #wires, )* } #rest);
    }
}

/// A setter on `Call<Op>` per documented request header.
fn header_setters(e: &Endpoint, n: &OperationNames) -> TokenStream {
    let ty = ident(&n.type_name);
    let setters: Vec<TokenStream> = e
        .operation
        .request_headers
        .iter()
        .zip(&n.header_setters)
        .filter_map(|(h, setter)| {
            let f = ident(setter.as_ref()?);
            let name = &h.name;
            let mut paras = vec![format!("Sets the `{}` header.", h.name)];
            if let Some(v) = &h.value {
                paras.push(format!("The docs give `{}`.", docs::escape(v)));
            }
            if let Some(d) = &h.description {
                paras.push(docs::escape(d));
            }
            let doc = docs::attrs(&paras);
            Some(quote! {
                #doc
                pub fn #f(self, value: impl Into<String>) -> Self {
                    self.header(#name, value)
                }
            })
        })
        .collect();
    if setters.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl Call<#ty> {
            #(#setters)*
        }
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
/// The constructor of one request line: `(path, parameters, from_example)`.
fn constructor(
    e: &Endpoint,
    (path, params, from_example): (&str, &[String], bool),
    line: &RequestLineNames,
    body: &Body,
) -> TokenStream {
    let f = ident(&line.constructor);
    let mut args = Vec::new();
    let mut holes = Vec::new();
    let mut paras = vec![format!("`{} {}`", e.method, path)];
    if from_example {
        paras.push("Written only by an example request of the page, not by its HTTP request section.".to_owned());
    }
    for (p, arg) in params.iter().zip(&line.arguments) {
        let a = ident(arg);
        let detail = e.path_parameters.iter().find(|d| &d.name == p);
        let kind = detail.map_or(HoleKind::Key, |d| d.kind);
        let quoted = detail.is_some_and(|d| d.quoted);
        let (ty, hole) = match kind {
            HoleKind::Argument if quoted => (quote!(&str), quote!(Hole::Quoted(#a))),
            HoleKind::Argument => match argument_type(e, p) {
                Some(t) => (t, quote!(Hole::Arg(#a.into()))),
                None => (quote!(impl Into<Literal>), quote!(Hole::Arg(#a.into()))),
            },
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
pub(super) enum Body {
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

/// The typed argument of a function-call hole whose type a parameter table
/// gives: a string, boolean or integer the literal is written from (the
/// rule [`crate::requests`] reads examples by). Other types take any
/// `Into<Literal>`.
fn argument_type(e: &Endpoint, hole: &str) -> Option<TokenStream> {
    let p = e
        .operation
        .function_parameters
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(hole))?;
    match p.ty.as_ref()? {
        TypeRef::Primitive(Primitive::String) => Some(quote!(&str)),
        TypeRef::Primitive(Primitive::Boolean) => Some(quote!(bool)),
        TypeRef::Primitive(prim @ (Primitive::Int16 | Primitive::Int32 | Primitive::Int64 | Primitive::Byte)) => {
            Some(primitive(*prim))
        }
        _ => None,
    }
}

/// A parameter's type inside a JSON object: collections are arrays; a flags
/// enum's value is a set of its members, as in a model's field.
fn field_type(model: &Model, names: &Names, t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Unresolved(_) => quote!(::serde_json::Value),
        TypeRef::Named(id, _) if model.ty(*id).is_flags => {
            let p = value_path(model, names, *id);
            quote!(crate::support::Flags<#p>)
        }
        TypeRef::Named(id, _) => value_path(model, names, *id),
        TypeRef::Collection(inner) => {
            let inner = field_type(model, names, inner);
            quote!(Vec<#inner>)
        }
    }
}

/// A whole body's type: raw content is [`Bytes`], a collection response a
/// page of `value`.
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

pub(super) fn body_kind(model: &Model, names: &Names, e: &Endpoint, n: &OperationNames) -> Body {
    let info = &e.operation.request_body;
    let typed = |t: &TypeRef| value_type(model, names, t);
    match (e.method.as_str(), info.kind, &info.ty) {
        (_, BodyKind::None, _) => Body::None,
        ("PATCH", BodyKind::Type, Some(t @ TypeRef::Named(..))) => Body::Patch(typed(t)),
        (_, BodyKind::Type, Some(t)) => Body::Json(typed(t)),
        (_, BodyKind::Parameters, _) if !e.operation.body_parameters.is_empty() => {
            let s = ident(&n.body_struct);
            Body::Json(quote!(crate::operations::#s))
        }
        (_, BodyKind::Reference, _) => Body::Json(quote!(crate::runtime::Reference)),
        // A GET or DELETE the docs say nothing about sends nothing.
        ("GET" | "DELETE", BodyKind::Unknown, _) => Body::None,
        _ if !info.documented && e.method == "POST" => Body::None,
        _ => Body::Json(quote!(::serde_json::Value)),
    }
}

fn output_type(model: &Model, names: &Names, e: &Endpoint) -> TokenStream {
    let info = &e.operation.response_body;
    match (info.kind, &info.ty) {
        (BodyKind::None, _) => quote!(()),
        (_, Some(t)) => value_type(model, names, t),
        _ => quote!(::serde_json::Value),
    }
}

/// The type whose properties the operation's query options name: the
/// struct it returns, or the item struct of the collection it returns;
/// `runtime::Untyped` for anything else.
fn query_item(model: &Model, names: &Names, e: &Endpoint) -> TokenStream {
    match e.operation.response_body.ty.as_ref().map(TypeRef::item) {
        Some(TypeRef::Named(id, _)) if model.ty(*id).kind != crate::ir::TypeKind::Enum => type_path(model, names, *id),
        _ => quote!(crate::runtime::Untyped),
    }
}

/// The query-option traits an operation implements: the options its page
/// lists; where the page says "supports the OData query parameters" without
/// a list, the ones that apply to what a GET returns (a collection's paging
/// and shaping options, an entity's `$select`/`$expand`).
pub(super) fn query_traits(e: &Endpoint) -> Vec<&'static str> {
    const ALL: [(&str, &str); 9] = [
        ("$select", "Select"),
        ("$expand", "Expand"),
        ("$filter", "Filter"),
        ("$orderby", "OrderBy"),
        ("$top", "Top"),
        ("$skip", "Skip"),
        ("$search", "Search"),
        ("$count", "Count"),
        ("$skiptoken", "SkipToken"),
    ];
    let info = &e.operation;
    match info.query_support {
        QuerySupport::Listed => ALL
            .iter()
            .filter(|(o, _)| info.query_options.iter().any(|q| q.eq_ignore_ascii_case(o)))
            .map(|(_, t)| *t)
            .collect(),
        QuerySupport::General if e.method == "GET" => {
            let collection = matches!(info.response_body.ty, Some(TypeRef::Collection(_)));
            let n = if collection { ALL.len() } else { 2 };
            ALL[..n].iter().map(|(_, t)| *t).collect()
        }
        _ => ALL
            .iter()
            .filter(|(o, _)| info.query_options.iter().any(|q| q.eq_ignore_ascii_case(o)))
            .map(|(_, t)| *t)
            .collect(),
    }
}
