//! The small runtime every generated crate carries: endpoint descriptions,
//! path filling with percent-encoding, and the collection-response wrapper.
//! Fixed code, emitted through the same pipeline so it carries the header.

use proc_macro2::TokenStream;
use quote::quote;

pub fn module() -> TokenStream {
    quote! {
        //! Shared runtime items of the generated crate.

        /// HTTP methods used by Graph operations.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Method {
            Get,
            Post,
            Put,
            Patch,
            Delete,
        }

        impl Method {
            pub const fn as_str(self) -> &'static str {
                match self {
                    Method::Get => "GET",
                    Method::Post => "POST",
                    Method::Put => "PUT",
                    Method::Patch => "PATCH",
                    Method::Delete => "DELETE",
                }
            }
        }

        /// Who may call an operation.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum PermissionKind {
            /// Delegated, work or school account.
            DelegatedWork,
            /// Delegated, personal Microsoft account.
            DelegatedPersonal,
            Application,
        }

        /// What the docs say about one permission kind.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Permissions {
            /// Scopes from least to most privileged.
            Scopes(&'static [&'static str]),
            NotSupported,
            /// The docs hold a placeholder, not scopes.
            NotDocumented,
        }

        /// One documented operation.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct Endpoint {
            /// The operation's title in the docs.
            pub name: &'static str,
            pub method: Method,
            /// Path template relative to the version root, with `{parameter}` holes.
            pub path: &'static str,
            /// Path parameter names, in template order.
            pub parameters: &'static [&'static str],
            /// Qualified name of the request body type, if any.
            pub request_type: ::std::option::Option<&'static str>,
            /// Qualified name of the response body type (`Collection(x)` for lists).
            pub response_type: ::std::option::Option<&'static str>,
            pub success_status: ::std::option::Option<u16>,
            pub permissions: &'static [(PermissionKind, Permissions)],
        }

        /// Characters kept as-is in a path segment (RFC 3986 unreserved).
        const SEGMENT: &::percent_encoding::AsciiSet = &::percent_encoding::NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'.')
            .remove(b'_')
            .remove(b'~');

        impl Endpoint {
            /// Fills the template's `{parameter}` holes, in order, with
            /// percent-encoded values. Missing values leave the hole as is.
            pub fn fill(&self, values: &[&str]) -> ::std::string::String {
                let mut out = ::std::string::String::with_capacity(self.path.len() + 16);
                let mut values = values.iter();
                let mut rest = self.path;
                while let ::std::option::Option::Some(open) = rest.find('{') {
                    out.push_str(&rest[..open]);
                    let close = match rest[open..].find('}') {
                        ::std::option::Option::Some(c) => open + c,
                        ::std::option::Option::None => break,
                    };
                    match values.next() {
                        ::std::option::Option::Some(v) => {
                            out.extend(::percent_encoding::utf8_percent_encode(v, SEGMENT));
                        }
                        ::std::option::Option::None => out.push_str(&rest[open..=close]),
                    }
                    rest = &rest[close + 1..];
                }
                out.push_str(rest);
                out
            }
        }

        /// A page of a collection response: `value` plus OData paging and delta links.
        #[derive(Clone, Debug, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        pub struct Collection<T> {
            #[serde(default = "::std::vec::Vec::new")]
            pub value: ::std::vec::Vec<T>,
            #[serde(rename = "@odata.context", skip_serializing_if = "::std::option::Option::is_none")]
            pub odata_context: ::std::option::Option<::std::string::String>,
            #[serde(rename = "@odata.nextLink", skip_serializing_if = "::std::option::Option::is_none")]
            pub odata_next_link: ::std::option::Option<::std::string::String>,
            #[serde(rename = "@odata.count", skip_serializing_if = "::std::option::Option::is_none")]
            pub odata_count: ::std::option::Option<i64>,
            /// The link to the next round of a delta query.
            #[serde(rename = "@odata.deltaLink", skip_serializing_if = "::std::option::Option::is_none")]
            pub odata_delta_link: ::std::option::Option<::std::string::String>,
        }
    }
}
