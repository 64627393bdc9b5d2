//! Rust types for IR type references, and the cycle check that decides where
//! a struct must hold another by `Box`.

use crate::ir::{Model, Primitive, TypeId, TypeKind, TypeRef};
use crate::lower::naming::Names;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::HashSet;

pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

pub fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::Boolean => quote!(bool),
        Primitive::Byte => quote!(u8),
        Primitive::SByte => quote!(i8),
        Primitive::Int16 => quote!(i16),
        Primitive::Int32 => quote!(i32),
        Primitive::Int64 => quote!(i64),
        // Single as f64 too: JSON carries decimal text, and `4.2` read into an
        // f32 prints back as `4.199999809265137`.
        Primitive::Single | Primitive::Double | Primitive::Decimal => quote!(f64),
        Primitive::Untyped => quote!(::serde_json::Value),
        // Dates, times, durations and GUIDs stay strings: Graph's
        // 7-digit fractions and offsets then round-trip byte for byte.
        Primitive::String
        | Primitive::Guid
        | Primitive::DateTimeOffset
        | Primitive::Date
        | Primitive::TimeOfDay
        | Primitive::Duration
        | Primitive::Binary
        | Primitive::Stream => quote!(::std::string::String),
    }
}

/// The path of a model type from anywhere in the crate.
pub fn type_path(model: &Model, names: &Names, id: TypeId) -> TokenStream {
    let t = model.ty(id);
    let m = ident(&names.modules[&t.namespace]);
    let n = ident(&names.types[id.0 as usize]);
    quote!(crate::#m::#n)
}

/// The field type for a reference held by `owner` (boxed when the reference
/// closes a cycle of direct containment).
pub fn field_type(
    model: &Model,
    names: &Names,
    owner: TypeId,
    ty: &TypeRef,
    boxed: &HashSet<(TypeId, TypeId)>,
) -> TokenStream {
    match ty {
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Unresolved(_) => quote!(::serde_json::Value),
        TypeRef::Collection(inner) => {
            let inner = field_type(model, names, owner, inner, &HashSet::new());
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Named(id, _) => {
            let p = type_path(model, names, *id);
            if boxed.contains(&(owner, *id)) {
                quote!(::std::boxed::Box<#p>)
            } else {
                p
            }
        }
    }
}

/// Edges `(from, to)` of direct (non-collection) struct containment that lie
/// on a cycle; boxing them gives every struct a finite size.
pub fn boxed_edges(model: &Model) -> HashSet<(TypeId, TypeId)> {
    let direct = |id: TypeId| -> Vec<TypeId> {
        model
            .all_properties(id)
            .iter()
            .filter_map(|p| match &p.ty {
                TypeRef::Named(t, _) if model.ty(*t).kind != TypeKind::Enum => Some(*t),
                _ => None,
            })
            .collect()
    };
    let mut out = HashSet::new();
    for t in &model.types {
        if t.kind == TypeKind::Enum {
            continue;
        }
        for to in direct(t.id) {
            // Does `to` reach back to `t`?
            let mut seen = HashSet::new();
            let mut stack = vec![to];
            while let Some(x) = stack.pop() {
                if x == t.id {
                    out.insert((t.id, to));
                    break;
                }
                if seen.insert(x) {
                    stack.extend(direct(x));
                }
            }
        }
    }
    out
}
