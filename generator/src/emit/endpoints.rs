//! One constant per operation and a function that fills its path, each
//! compiled with its operation's workload feature (as the operation is), so
//! that a build of one workload does not check every endpoint.

use super::docs;
use super::types::ident_token;
use crate::ir::{Model, PermissionKind, PermissionStatus, TypeRef};
use crate::rust::Plan;
use proc_macro2::TokenStream;
use quote::quote;
use rayon::prelude::*;

/// `#[cfg(feature = …)]` of the endpoint's operation's workload.
fn gate(feature: &str) -> TokenStream {
    quote!(#[cfg(feature = #feature)])
}

/// The module header (with `ALL`) and one item group per operation.
pub fn module(model: &Model, plan: &Plan) -> (TokenStream, Vec<String>) {
    let names = &plan.names;
    let features: Vec<&str> = model.endpoints.iter().map(|e| plan.features.of_endpoint(e)).collect();
    let triples: Vec<_> = model.endpoints.iter().zip(&names.endpoints).zip(&features).collect();
    let items = triples.par_iter().map(|((e, n), feature)| {
        let gate = gate(feature);
        let c = ident_token(&n.constant);
        let f = ident_token(&n.path_fn);
        let method = ident_token(match e.method.as_str() {
            "GET" => "Get",
            "PUT" => "Put",
            "PATCH" => "Patch",
            "DELETE" => "Delete",
            _ => "Post",
        });
        let (name, path, params) = (&e.name, &e.path, &e.parameters);
        let opt_str = |t: &Option<TypeRef>| match t {
            Some(t) => {
                let s = t.csdl();
                quote!(Some(#s))
            }
            None => quote!(None),
        };
        let req = opt_str(&e.request_type);
        let resp = opt_str(&e.response_type);
        let status = match e.success_status {
            Some(s) => quote!(Some(#s)),
            None => quote!(None),
        };
        let perms = e.permissions.iter().map(|p| {
            let kind = ident_token(match p.kind {
                PermissionKind::DelegatedWork => "DelegatedWork",
                PermissionKind::DelegatedPersonal => "DelegatedPersonal",
                PermissionKind::Application => "Application",
            });
            let status = match &p.status {
                PermissionStatus::Scopes { scopes, .. } => quote!(Permissions::Scopes(&[#(#scopes),*])),
                PermissionStatus::NotSupported => quote!(Permissions::NotSupported),
                PermissionStatus::NotDocumented => quote!(Permissions::NotDocumented),
            };
            quote!((PermissionKind::#kind, #status))
        });
        let mut paragraphs = vec![format!("{} `{}`", e.method, e.path)];
        paragraphs.push(docs::escape(&e.name));
        for a in &e.alternate_paths {
            paragraphs.push(format!("Also documented as `{} {}`.", e.method, a.path));
        }
        let srcs: Vec<String> = e.sources.iter().map(|s| format!("`{}:{}`", s.path, s.line)).collect();
        paragraphs.push(format!("Documented in {}.", srcs.join(", ")));
        let doc = docs::attrs(&paragraphs);
        let args: Vec<_> = n.params.iter().map(|p| ident_token(p)).collect();
        let fn_doc = format!(
            " Fills the path of [`{}`], percent-encoding each parameter.",
            n.constant.trim_start_matches("r#")
        );
        quote! {
            #doc
            #gate
            pub const #c: Endpoint = Endpoint {
                name: #name,
                method: Method::#method,
                path: #path,
                parameters: &[#(#params),*],
                request_type: #req,
                response_type: #resp,
                success_status: #status,
                permissions: &[#(#perms),*],
            };

            #[doc = #fn_doc]
            #gate
            pub fn #f(#(#args: &str),*) -> String {
                #c.fill(&[#(#args),*])
            }
        }
        .to_string()
    });
    let all = names.endpoints.iter().zip(&features).map(|(n, feature)| {
        let (c, gate) = (ident_token(&n.constant), gate(feature));
        quote!(#gate &#c)
    });
    let header = quote! {
        //! Every documented operation: method, path template, parameters, body
        //! types, success status and permissions.

        #[allow(unused_imports)]
        use crate::support::{Endpoint, Method, PermissionKind, Permissions};

        /// All operations of the enabled workload features, sorted by path
        /// then method.
        pub const ALL: &[&Endpoint] = &[#(#all),*];
    };
    (header, items.collect())
}
