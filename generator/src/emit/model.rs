//! One module per namespace: serde structs and forward-compatible enums.

use super::docs;
use super::types::{field_type, ident};
use crate::ir::{Model, TypeDef, TypeId, TypeKind};
use crate::lower::naming::Names;
use proc_macro2::TokenStream;
use quote::quote;
use rayon::prelude::*;
use std::collections::HashSet;

/// The items of one namespace module.
/// The module header and one item group per type.
pub fn module(
    model: &Model,
    names: &Names,
    namespace: &str,
    boxed: &HashSet<(TypeId, TypeId)>,
) -> (TokenStream, Vec<String>) {
    // Items are built in parallel; token streams are not `Send`, so each
    // leaves its thread as text.
    let types: Vec<&TypeDef> = model.types.iter().filter(|t| t.namespace == namespace).collect();
    let items = types
        .par_iter()
        .map(|t| match t.kind {
            TypeKind::Enum => enumeration(t, names).to_string(),
            _ => structure(model, names, t, boxed).to_string(),
        })
        .collect();
    let doc = format!(" Types of the `{namespace}` namespace.");
    (quote! { #![doc = #doc] }, items)
}

fn source_line(t: &TypeDef) -> String {
    let srcs: Vec<String> = t.sources.iter().map(|s| format!("`{}:{}`", s.path, s.line)).collect();
    format!("Documented in {}.", srcs.join(", "))
}

fn structure(model: &Model, names: &Names, t: &TypeDef, boxed: &HashSet<(TypeId, TypeId)>) -> TokenStream {
    let name = ident(&names.types[t.id.0 as usize]);
    let mut paragraphs = vec![format!("`{}.{}` ({})", t.namespace, t.name, kind_word(t.kind))];
    if let Some(d) = &t.description {
        paragraphs.push(docs::escape(d));
    }
    if let Some(b) = &t.base_type {
        paragraphs.push(format!("Derives from `{b}`; inherited properties are flattened in."));
    }
    paragraphs.push(source_line(t));
    let doc = docs::attrs(&paragraphs);
    let has_odata_type = model.all_properties(t.id).iter().any(|p| p.name == "@odata.type");
    let odata = (!has_odata_type).then(|| {
        quote! {
            /// The `@odata.type` annotation: the payload's concrete type.
            #[serde(rename = "@odata.type", skip_serializing_if = "::std::option::Option::is_none")]
            pub odata_type: ::std::option::Option<::std::string::String>,
        }
    });
    let fields = model
        .all_properties(t.id)
        .into_iter()
        .zip(&names.fields[t.id.0 as usize])
        .map(|(p, fname)| {
            let f = ident(fname);
            let ty = field_type(model, names, t.id, &p.ty, boxed);
            let wire = &p.name;
            let mut paras = Vec::new();
            if let Some(d) = &p.description {
                paras.push(docs::escape(d));
            }
            let nav = if p.navigation {
                " Relationship (navigation property)."
            } else {
                ""
            };
            paras.push(format!(
                "Wire name `{}`, type `{}`.{nav} From `{}:{}`.",
                wire,
                p.ty.csdl(),
                p.source.path,
                p.source.line
            ));
            let doc = docs::attrs(&paras);
            quote! {
                #doc
                #[serde(rename = #wire, skip_serializing_if = "::std::option::Option::is_none")]
                pub #f: ::std::option::Option<#ty>,
            }
        });
    quote! {
        #doc
        #[derive(Clone, Debug, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #odata
            #(#fields)*
        }
    }
}

fn kind_word(k: TypeKind) -> &'static str {
    match k {
        TypeKind::Entity => "entity type",
        TypeKind::Complex => "complex type",
        TypeKind::Enum => "enum type",
    }
}

fn enumeration(t: &TypeDef, names: &Names) -> TokenStream {
    let i = t.id.0 as usize;
    let name = ident(&names.types[i]);
    let other = ident(&names.catch_all[i]);
    let mut paragraphs = vec![format!("`{}.{}` ({})", t.namespace, t.name, kind_word(t.kind))];
    if t.synthesized {
        paragraphs.push("The docs give this enumeration no name; it is named after the property that uses it.".into());
    }
    paragraphs.push(format!(
        "Values the docs do not list deserialize into `{}` and serialize back unchanged; \
         the enum is `#[non_exhaustive]` so that members the docs add later are not breaking.",
        names.catch_all[i]
    ));
    paragraphs.push(source_line(t));
    let doc = docs::attrs(&paragraphs);
    let variants: Vec<_> = names.variants[i].iter().map(|v| ident(v)).collect();
    let wires: Vec<&str> = t.members.iter().map(|m| m.name.as_str()).collect();
    let variant_docs = t.members.iter().map(|m| {
        let mut p = vec![format!("`{}`", m.name)];
        if let Some(d) = &m.description {
            p.push(docs::escape(d));
        }
        docs::attrs(&p)
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value the docs do not list, kept verbatim.
            #other(::std::string::String),
        }

        impl #name {
            /// The documented values, in doc order.
            pub const VALUES: &'static [&'static str] = &[ #(#wires),* ];

            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::#other(s) => s.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(s: &str) -> Self {
                match s {
                    #( #wires => Self::#variants, )*
                    other => Self::#other(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::string::String as ::serde::Deserialize>::deserialize(d)?;
                ::std::result::Result::Ok(Self::from(s.as_str()))
            }
        }
    }
}
