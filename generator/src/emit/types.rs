//! Rust types for IR type references. A model struct holds every
//! single-valued struct (complex, entity or polymorphic) by `Box`: inline,
//! nested complex types made structs tens of kilobytes large (a drive item
//! was 29 KB with every workload), which a debug build copies on its way
//! through deserialization and async calls until a 2 MiB thread stack
//! overflows. Boxing every such field, not only those over a size, keeps
//! the rule one a reader can predict and a docs change cannot flip; it also
//! gives every struct a finite size where types contain each other.

use crate::ir::{Model, Primitive, Property, TypeId, TypeKind, TypeRef};
use crate::rust::naming::Names;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// The token of a name the naming authority assigned (`r#type` becomes a
/// raw identifier).
pub fn ident_token(name: &str) -> Ident {
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
        // Int64 and Decimal: a number or (IEEE754Compatible) a string,
        // written back as read.
        Primitive::Int64 => quote!(crate::support::Int64),
        Primitive::Decimal => quote!(crate::support::Decimal),
        // Single as f64 too: JSON carries decimal text, and `4.2` read into an
        // f32 prints back as `4.199999809265137`.
        Primitive::Single | Primitive::Double => quote!(f64),
        Primitive::Untyped => quote!(::serde_json::Value),
        // Dates, times, durations, GUIDs and binary keep their wire text
        // (Graph's 7-digit fractions and offsets round-trip byte for byte),
        // with typed conversions behind features.
        Primitive::Guid => quote!(crate::support::Guid),
        Primitive::DateTimeOffset => quote!(crate::support::DateTimeOffset),
        Primitive::Date => quote!(crate::support::Date),
        Primitive::TimeOfDay => quote!(crate::support::TimeOfDay),
        Primitive::Duration => quote!(crate::support::Duration),
        Primitive::Binary => quote!(crate::support::Binary),
        Primitive::String | Primitive::Stream => quote!(String),
    }
}

/// The path of a model type from anywhere in the crate.
pub fn type_path(model: &Model, names: &Names, id: TypeId) -> TokenStream {
    item_path(&quote!(crate), model, names, id, &names.types[id.0 as usize])
}

/// The path of an item emitted beside type `id` (the type itself or its
/// polymorphic enum), from crate root `root`, through the namespace module's
/// re-export: moving a type to another workload does not change the code that
/// names it.
fn item_path(root: &TokenStream, model: &Model, names: &Names, id: TypeId, item: &str) -> TokenStream {
    let m = ident_token(&names.modules[&model.ty(id).namespace]);
    let n = ident_token(item);
    quote!(#root::#m::#n)
}

/// The Rust type that holds a value declared as `id`: the polymorphic enum
/// where documented types derive from it, else the type itself.
pub fn value_path(model: &Model, names: &Names, id: TypeId) -> TokenStream {
    value_path_in(&quote!(crate), model, names, id)
}

/// [`value_path`] from another crate root (the generated tests name the crate).
pub fn value_path_in(root: &TokenStream, model: &Model, names: &Names, id: TypeId) -> TokenStream {
    match &names.polymorphic[id.0 as usize] {
        Some(any) => item_path(root, model, names, id, any),
        None => item_path(root, model, names, id, &names.types[id.0 as usize]),
    }
}

/// The field type of a model property: navigation properties are raw JSON
/// (typed chains of related entities cost too much to compile; see the
/// README), a single struct value is boxed (see the module's docs).
pub fn field_type(model: &Model, names: &Names, p: &Property) -> TokenStream {
    if p.navigation {
        return quote!(::serde_json::Value);
    }
    value_type(model, names, &p.ty, true)
}

/// The value type a property's selector constant compares with: the
/// field's type without `Option`, `Box` or the polymorphic enum (a
/// struct's own constants are on the struct).
pub fn selector_value(model: &Model, names: &Names, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Unresolved(_) => quote!(::serde_json::Value),
        TypeRef::Collection(inner) => {
            let inner = selector_value(model, names, inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Named(id, _) => {
            let p = type_path(model, names, *id);
            if model.ty(*id).is_flags {
                quote!(crate::support::Flags<#p>)
            } else {
                p
            }
        }
    }
}

/// `boxed`: whether a struct value is held by `Box` (a single value; a
/// collection's items are on the heap already).
fn value_type(model: &Model, names: &Names, ty: &TypeRef, boxed: bool) -> TokenStream {
    match ty {
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Unresolved(_) => quote!(::serde_json::Value),
        TypeRef::Collection(inner) => {
            let inner = value_type(model, names, inner, false);
            quote!(Vec<#inner>)
        }
        TypeRef::Named(id, _) => {
            let p = value_path(model, names, *id);
            // A flags enum's value is a set of its members.
            if model.ty(*id).is_flags {
                return quote!(crate::support::Flags<#p>);
            }
            if boxed && model.ty(*id).kind != TypeKind::Enum {
                quote!(Box<#p>)
            } else {
                p
            }
        }
    }
}
