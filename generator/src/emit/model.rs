//! One module per namespace and workload: serde structs, forward-compatible
//! enums, and the enums that dispatch polymorphic values on `@odata.type`.
//! Every item is gated by the features whose dependency closure needs it.

use super::docs;
use super::types::{field_type, ident_token, selector_value, type_path};
use crate::ir::{Model, TypeDef, TypeId, TypeKind, TypeRef};
use crate::rust::features::Features;
use crate::rust::layout::ODATA_TYPE_FIELD;
use crate::rust::naming::Names;
use crate::rust::Plan;
use proc_macro2::TokenStream;
use quote::quote;
use rayon::prelude::*;
use std::collections::BTreeSet;

/// `#[cfg(any(feature = …))]` for the given features.
pub fn gate<'a>(features: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let features: BTreeSet<&str> = features.into_iter().collect();
    if features.len() == 1 {
        let f = features.into_iter();
        return quote!(#[cfg(#(feature = #f)*)]);
    }
    let features = features.into_iter();
    quote!(#[cfg(any(#(feature = #features),*))])
}

/// The items of one namespace and workload module: the module header and one
/// item group per type of the plan's layout.
pub fn module(
    model: &Model,
    plan: &Plan,
    namespace: &str,
    workload: &str,
    types: &[TypeId],
) -> (TokenStream, Vec<String>) {
    let names = &plan.names;
    // Items are built in parallel; token streams are not `Send`, so each
    // leaves its thread as text.
    let items = types
        .par_iter()
        .map(|id| {
            let t = model.ty(*id);
            let cfg = gate(plan.features.of_type(t.id));
            let mut item = match t.kind {
                TypeKind::Enum => enumeration(t, names, &cfg),
                _ => {
                    let mut s = structure(model, names, t, &cfg);
                    s.extend(selectors(model, names, &plan.features, t, &cfg));
                    s
                }
            };
            if names.polymorphic[t.id.0 as usize].is_some() {
                item.extend(polymorphic(model, names, &plan.features, t, &cfg));
            }
            item.to_string()
        })
        .collect();
    let feature = plan.features.of_workload(workload);
    let doc = format!(
        " `{namespace}` types of the `{workload}` workload. Each type is compiled when the \
         `{feature}` feature, or the feature of a workload that uses it, is enabled."
    );
    (quote! { #![doc = #doc] }, items)
}

fn source_line(t: &TypeDef) -> String {
    let srcs: Vec<String> = t.sources.iter().map(|s| format!("`{}:{}`", s.path, s.line)).collect();
    format!("Documented in {}.", srcs.join(", "))
}

fn structure(model: &Model, names: &Names, t: &TypeDef, cfg: &TokenStream) -> TokenStream {
    let name = ident_token(&names.types[t.id.0 as usize]);
    let mut paragraphs = vec![format!("`{}.{}` ({})", t.namespace, t.name, kind_word(t.kind))];
    if let Some(d) = &t.description {
        paragraphs.push(docs::escape(d));
    }
    if let Some(b) = &t.base_type {
        paragraphs.push(format!("Derives from `{b}`; inherited properties are flattened in."));
    }
    paragraphs.push(source_line(t));
    let doc = docs::attrs(&paragraphs);
    // Wire names and field names, `@odata.type` first whether documented or not.
    let props = model.all_properties(t.id);
    let mut wires: Vec<&str> = Vec::new();
    let mut fields: Vec<TokenStream> = Vec::new();
    let mut decls: Vec<TokenStream> = Vec::new();
    if !props.iter().any(|p| p.name == "@odata.type") {
        let f = ident_token(ODATA_TYPE_FIELD);
        wires.push("@odata.type");
        fields.push(quote!(#f));
        decls.push(quote! {
            /// The `@odata.type` annotation: the payload's concrete type.
            pub #f: Option<String>,
        });
    }
    for (p, fname) in props.iter().zip(&names.fields[t.id.0 as usize]) {
        let f = ident_token(fname);
        let ty = field_type(model, names, p);
        let mut paras = Vec::new();
        if let Some(d) = &p.description {
            paras.push(docs::escape(d));
        }
        let nav = if p.navigation {
            " Relationship (navigation property), kept as raw JSON (an `$expand`ed value): \
             deserialize it with `serde_json::from_value` into the type's struct."
        } else {
            ""
        };
        paras.push(format!(
            "Wire name `{}`, type `{}`.{nav} From `{}:{}`.",
            p.name,
            p.ty.csdl(),
            p.source.path,
            p.source.line
        ));
        let doc = docs::attrs(&paras);
        decls.push(quote! {
            #doc
            pub #f: Option<#ty>,
        });
        wires.push(&p.name);
        fields.push(quote!(#f));
    }
    let rest = ident_token(&names.additional[t.id.0 as usize]);
    // A derived type's `Default` sets its `@odata.type` (written by the
    // macro); the others derive it.
    let (derives, odata) = if t.base_type.is_some() {
        let f = ident_token(ODATA_TYPE_FIELD);
        let q = format!("#{}", t.qualified());
        (quote!(#[derive(Clone, Debug, PartialEq)]), quote!(, #f = #q))
    } else {
        (quote!(#[derive(Clone, Debug, Default, PartialEq)]), TokenStream::new())
    };
    // Serde impls are written out (by `support::model_serde!`) rather than
    // derived: the derive's visitors cost several times more to type-check
    // (see BENCHMARKS.md), and the property map they go through keeps
    // undeclared properties and nulls.
    quote! {
        #doc
        #cfg
        #derives
        pub struct #name {
            #(#decls)*
            /// Properties the docs do not declare, and explicit `null`s, as
            /// received; serialized back unchanged (insert a `null` here to
            /// clear a property in a PATCH).
            pub #rest: crate::support::Object,
        }

        #cfg
        crate::support::model_serde!(#name { #( #fields: #wires, )* } #rest #odata);
    }
}

/// The struct's selector constants, one per property: a `Field` (with the
/// type its `$filter` comparisons take) or, for a navigation property to a
/// documented struct, a `Nav` to that struct, gated by the target's
/// features where they are not the owner's.
fn selectors(model: &Model, names: &Names, features: &Features, t: &TypeDef, cfg: &TokenStream) -> TokenStream {
    let i = t.id.0 as usize;
    let name = ident_token(&names.types[i]);
    let props = model.all_properties(t.id);
    let consts = props
        .iter()
        .zip(&names.field_consts[i])
        .filter(|(p, _)| !p.name.starts_with('@'))
        .map(|(p, c)| {
            let c = ident_token(c);
            let wire = p.name.as_str();
            let target = match p.ty.item() {
                TypeRef::Named(id, _) if p.navigation && model.ty(*id).kind != TypeKind::Enum => Some(*id),
                _ => None,
            };
            match target {
                Some(to) => {
                    let gate = if features.compiled_with(to, t.id) {
                        TokenStream::new()
                    } else {
                        gate(features.of_type(to))
                    };
                    let u = type_path(model, names, to);
                    quote!(#gate pub const #c: crate::runtime::Nav<Self, #u> = crate::runtime::Nav::new(#wire);)
                }
                None => {
                    let v = selector_value(model, names, &p.ty);
                    quote!(pub const #c: crate::runtime::Field<Self, #v> = crate::runtime::Field::new(#wire);)
                }
            }
        });
    quote! {
        /// The properties by name, for typed `$select`, `$expand`, `$orderby`
        /// and `$filter` (see `runtime::Field`).
        #cfg
        impl #name {
            #(#consts)*
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

fn enumeration(t: &TypeDef, names: &Names, cfg: &TokenStream) -> TokenStream {
    let i = t.id.0 as usize;
    let name = ident_token(&names.types[i]);
    let other = ident_token(&names.catch_all[i]);
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
    let variants: Vec<_> = names.variants[i].iter().map(|v| ident_token(v)).collect();
    let wires: Vec<&str> = t.members.iter().map(|m| m.name.as_str()).collect();
    // A member the docs spell in several cases holds the spelling read.
    let spelled: Vec<TokenStream> = t
        .members
        .iter()
        .map(|m| {
            if m.aliases.is_empty() {
                TokenStream::new()
            } else {
                quote!((Spelling))
            }
        })
        .collect();
    let fields = spelled.iter().map(|s| {
        if s.is_empty() {
            TokenStream::new()
        } else {
            quote!((crate::support::Spelling))
        }
    });
    let (aliases, aliased): (Vec<&str>, Vec<_>) = t
        .members
        .iter()
        .zip(&variants)
        .flat_map(|(m, v)| m.aliases.iter().map(move |a| (a.as_str(), v)))
        .unzip();
    let variant_docs = t.members.iter().map(|m| {
        let mut p = vec![format!("`{}`", m.name)];
        if !m.aliases.is_empty() {
            let others: Vec<String> = m.aliases.iter().map(|a| format!("`{a}`")).collect();
            p.push(format!(
                "Also spelled {} in the docs: the `Spelling` keeps which one was read, and \
                 that one is written back (`Spelling::CANONICAL` writes `{}`).",
                others.join(", "),
                m.name
            ));
        }
        if let Some(d) = &m.description {
            p.push(docs::escape(d));
        }
        docs::attrs(&p)
    });
    let flags = if t.is_flags {
        "A flags enum: a property of this type holds `support::Flags` of it, a set of members written `\"a,b\"`."
    } else {
        ""
    };
    let flags_doc = if flags.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[doc = ""] #[doc = #flags])
    };
    quote! {
        #doc
        #flags_doc
        #cfg
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #variants #fields, )*
            /// A value the docs do not list, kept verbatim (opaque: see `support::UnknownValue`).
            #other(crate::support::UnknownValue),
        }

        #cfg
        crate::support::model_enum!(#name { #( #variants #spelled = #wires, )* } { #( #aliases => #aliased, )* } #other);
    }
}

/// The enum over a base type and its derived types: deserializes by the
/// payload's `@odata.type`; a derived type whose feature is off, or a type
/// the docs do not list, falls back to the base.
fn polymorphic(model: &Model, names: &Names, features: &Features, t: &TypeDef, cfg: &TokenStream) -> TokenStream {
    let i = t.id.0 as usize;
    let Some(any) = &names.polymorphic[i] else {
        return TokenStream::new();
    };
    let any = ident_token(any);
    let members: Vec<TypeId> = std::iter::once(t.id).chain(model.descendants(t.id)).collect();
    let variants: Vec<_> = names.polymorphic_variants[i].iter().map(|v| ident_token(v)).collect();
    let paths: Vec<_> = members.iter().map(|d| type_path(model, names, *d)).collect();
    let cfgs: Vec<_> = members.iter().map(|d| gate(features.of_type(*d))).collect();
    let wires: Vec<String> = members
        .iter()
        .map(|d| model.ty(*d).qualified().to_string().to_ascii_lowercase())
        .collect();
    let base = &variants[0];
    let qualified = t.qualified().to_string();
    let doc = format!(
        " A `{qualified}` value of any documented type: the `@odata.type` of the payload picks \
         the variant. Derived types whose feature is off, and types the docs do not list, \
         deserialize as `{base}`."
    );
    let (dv, dc, dw) = (&variants[1..], &cfgs[1..], &wires[1..]);
    quote! {
        #[doc = #doc]
        #cfg
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        // Variants hold the structs by value, as fields of that type would.
        #[allow(clippy::large_enum_variant)]
        pub enum #any {
            #( #cfgs #variants(#paths), )*
        }

        #cfg
        impl ::std::default::Default for #any {
            fn default() -> Self {
                Self::#base(::std::default::Default::default())
            }
        }

        #cfg
        impl ::serde::Serialize for #any {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( #cfgs Self::#variants(v) => v.serialize(s), )*
                }
            }
        }

        #cfg
        impl<'de> ::serde::Deserialize<'de> for #any {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let v = <::serde_json::Value as ::serde::Deserialize>::deserialize(d)?;
                let t = crate::support::odata_type_of(&v);
                match t.as_deref() {
                    #( #dc Some(#dw) => ::serde_json::from_value(v).map(Self::#dv), )*
                    _ => ::serde_json::from_value(v).map(Self::#base),
                }
                .map_err(::serde::de::Error::custom)
            }
        }
    }
}
