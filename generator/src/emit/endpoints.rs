//! One constant per operation and a function that fills its path.

use super::docs;
use super::types::ident_token;
use crate::ir::{Model, PermissionKind, PermissionStatus, TypeRef};
use crate::rust::naming::Names;
use proc_macro2::TokenStream;
use quote::quote;
use rayon::prelude::*;

/// The module header (with `ALL`) and one item group per operation.
pub fn module(model: &Model, names: &Names) -> (TokenStream, Vec<String>) {
    let pairs: Vec<_> = model.endpoints.iter().zip(&names.endpoints).collect();
    let items = pairs.par_iter().map(|(e, n)| {
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
            pub fn #f(#(#args: &str),*) -> String {
                #c.fill(&[#(#args),*])
            }
        }
        .to_string()
    });
    let all: Vec<_> = names.endpoints.iter().map(|n| ident_token(&n.constant)).collect();
    let header = quote! {
        //! Every documented operation: method, path template, parameters, body
        //! types, success status and permissions.

        #[allow(unused_imports)]
        use crate::support::{Endpoint, Method, PermissionKind, Permissions};

        /// All operations, sorted by path then method.
        pub const ALL: &[&Endpoint] = &[#(&#all),*];
    };
    (header, items.collect())
}
