//! `src/dispatch.rs` of the generated crate, behind the `dispatch` feature:
//! from a qualified type name to its generated type, for tools that check
//! payloads whose type is known only at run time (`cargo xtask
//! check-payload`). One match arm per struct, gated like the struct, so the
//! dispatch covers exactly the workloads a build enables; a polymorphic base
//! goes through its `…Any` enum, so derived payloads resolve by `@odata.type`.

use super::model::gate;
use super::types::value_path;
use crate::ir::{Model, TypeKind};
use crate::rust::Plan;
use proc_macro2::TokenStream;
use quote::quote;

/// The module header and one match arm per struct (enums are values of
/// properties, never payloads on their own).
pub fn module(model: &Model, plan: &Plan) -> TokenStream {
    let mut arms = Vec::new();
    let mut pushes = Vec::new();
    for t in model.types.iter().filter(|t| t.kind != TypeKind::Enum) {
        let cfg = gate(plan.features.of_type(t.id));
        let wire = t.qualified().to_string().to_ascii_lowercase();
        let qualified = t.qualified().to_string();
        let path = value_path(model, &plan.names, t.id);
        arms.push(quote! { #cfg #wire => Some(round_trip_as::<#path>(value)), });
        pushes.push(quote! { #cfg out.push(#qualified); });
    }
    quote! {
        //! From a qualified type name (`microsoft.graph.user`) to the generated
        //! type, at run time. Covers the types of the enabled workload
        //! features; enable `full` for all of them.

        /// Deserializes `value` into type `T` and serializes it back.
        pub fn round_trip_as<T>(value: ::serde_json::Value) -> ::std::result::Result<::serde_json::Value, ::serde_json::Error>
        where
            T: ::serde::de::DeserializeOwned + ::serde::Serialize,
        {
            let typed: T = ::serde_json::from_value(value)?;
            ::serde_json::to_value(&typed)
        }

        /// Deserializes `value` into the generated type of `qualified_name`
        /// (case-insensitive, a leading `#` allowed) and serializes it back.
        /// A base type with derived types goes through its `…Any` enum, so the
        /// payload's `@odata.type` picks the struct. `None`: the type is not
        /// documented, or its feature is off in this build.
        // Without any workload feature only the fallback arm remains.
        #[allow(unused_variables, clippy::match_single_binding)]
        pub fn round_trip(
            qualified_name: &str,
            value: ::serde_json::Value,
        ) -> ::std::option::Option<::std::result::Result<::serde_json::Value, ::serde_json::Error>> {
            match qualified_name.trim_start_matches('#').to_ascii_lowercase().as_str() {
                #(#arms)*
                _ => None,
            }
        }

        /// The qualified names `round_trip` knows in this build, in doc spelling.
        // One gated push per type: `vec![…]` cannot gate its elements.
        #[allow(clippy::vec_init_then_push)]
        pub fn type_names() -> ::std::vec::Vec<&'static str> {
            #[allow(unused_mut)]
            let mut out = ::std::vec::Vec::new();
            #(#pushes)*
            out
        }
    }
}
