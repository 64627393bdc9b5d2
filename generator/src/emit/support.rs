//! The small runtime every generated crate carries: endpoint descriptions,
//! path filling with percent-encoding, and the collection-response wrapper.
//! Fixed code, emitted through the same pipeline so it carries the header.

use proc_macro2::TokenStream;
use quote::quote;

/// The whole module, one subject after another.
pub fn module() -> TokenStream {
    let (endpoints, collection, helpers, macros) = (endpoints(), collection(), serde_helpers(), model_macros());
    let scalars = super::scalars::items();
    quote! {
        //! Shared runtime items of the generated crate.

        #endpoints
        #collection
        #helpers
        #scalars
        #macros
    }
}

/// Methods, permissions and the `Endpoint` description with its path filling.
fn endpoints() -> TokenStream {
    quote! {
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
    }
}

/// `Collection<T>`: a page of a collection response, with its serde impls.
fn collection() -> TokenStream {
    quote! {
        /// A page of a collection response: `value` plus OData paging and delta
        /// links; other annotations are kept in `additional_data`.
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct Collection<T> {
            pub value: ::std::vec::Vec<T>,
            pub odata_context: ::std::option::Option<::std::string::String>,
            pub odata_next_link: ::std::option::Option<::std::string::String>,
            /// A number, or a string under IEEE754Compatible; written back as read.
            pub odata_count: ::std::option::Option<Int64>,
            /// The link to the next round of a delta query.
            pub odata_delta_link: ::std::option::Option<::std::string::String>,
            pub additional_data: Object,
        }

        impl<T: ::serde::Serialize> ::serde::Serialize for Collection<T> {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut m = s.serialize_map(::std::option::Option::None)?;
                put(&mut m, "@odata.context", &self.odata_context)?;
                put(&mut m, "@odata.count", &self.odata_count)?;
                m.serialize_entry("value", &self.value)?;
                put(&mut m, "@odata.nextLink", &self.odata_next_link)?;
                put(&mut m, "@odata.deltaLink", &self.odata_delta_link)?;
                put_rest(&mut m, &self.additional_data, |k| match k {
                    "value" => true,
                    "@odata.context" => self.odata_context.is_some(),
                    "@odata.count" => self.odata_count.is_some(),
                    "@odata.nextLink" => self.odata_next_link.is_some(),
                    "@odata.deltaLink" => self.odata_delta_link.is_some(),
                    _ => false,
                })?;
                m.end()
            }
        }

        impl<'de, T: ::serde::de::DeserializeOwned> ::serde::Deserialize<'de> for Collection<T> {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let mut m = <Object as ::serde::Deserialize>::deserialize(d)?;
                ::std::result::Result::Ok(Collection {
                    value: take(&mut m, "value")?.unwrap_or_default(),
                    odata_context: take(&mut m, "@odata.context")?,
                    odata_next_link: take(&mut m, "@odata.nextLink")?,
                    odata_count: take(&mut m, "@odata.count")?,
                    odata_delta_link: take(&mut m, "@odata.deltaLink")?,
                    additional_data: m,
                })
            }
        }
    }
}

/// `@odata.type` lookup and the property-map helpers the model macros call.
fn serde_helpers() -> TokenStream {
    let (maps, slots, checking) = (property_maps(), field_tables(), model_check());
    quote! { #maps #slots #checking }
}

/// `@odata.type` lookup and taking and writing single properties.
fn property_maps() -> TokenStream {
    quote! {
        /// The qualified type a payload names in `@odata.type`, without the
        /// leading `#` and lowercased (the docs vary the case).
        pub fn odata_type_of(v: &::serde_json::Value) -> ::std::option::Option<::std::string::String> {
            v.get("@odata.type")
                .and_then(::serde_json::Value::as_str)
                .map(|t| t.trim_start_matches('#').to_ascii_lowercase())
        }

        /// A JSON object: what every model struct is on the wire.
        pub type Object = ::serde_json::Map<::std::string::String, ::serde_json::Value>;

        /// Takes property `key` out of a payload being deserialized. An
        /// explicit `null` stays in the map, so it survives a round trip.
        /// An error names the way down, one backquoted step per property or
        /// array index (`` `value`: `[3]`: `accountEnabled`: invalid type … ``),
        /// which `runtime` turns into a JSON path.
        #[doc(hidden)]
        pub fn take<T, E>(m: &mut Object, key: &str) -> ::std::result::Result<::std::option::Option<T>, E>
        where
            T: ::serde::de::DeserializeOwned,
            E: ::serde::de::Error,
        {
            match m.remove(key) {
                ::std::option::Option::None => ::std::result::Result::Ok(::std::option::Option::None),
                ::std::option::Option::Some(::serde_json::Value::Null) => {
                    m.insert(key.to_owned(), ::serde_json::Value::Null);
                    ::std::result::Result::Ok(::std::option::Option::None)
                }
                ::std::option::Option::Some(v) => match ::serde_path_to_error::deserialize::<_, T>(v) {
                    ::std::result::Result::Ok(t) => ::std::result::Result::Ok(::std::option::Option::Some(t)),
                    ::std::result::Result::Err(e) => {
                        let mut steps = ::std::string::String::new();
                        for step in e.path().iter() {
                            match step {
                                ::serde_path_to_error::Segment::Seq { index } => {
                                    steps.push_str(&::std::format!("`[{index}]`: "))
                                }
                                ::serde_path_to_error::Segment::Map { key } => {
                                    steps.push_str(&::std::format!("`{key}`: "))
                                }
                                _ => {}
                            }
                        }
                        ::std::result::Result::Err(E::custom(::std::format_args!("`{key}`: {steps}{}", e.inner())))
                    }
                },
            }
        }

        /// Writes a property that has a value.
        #[doc(hidden)]
        pub fn put<M, T>(m: &mut M, key: &str, v: &::std::option::Option<T>) -> ::std::result::Result<(), M::Error>
        where
            M: ::serde::ser::SerializeMap,
            T: ::serde::Serialize,
        {
            match v {
                ::std::option::Option::Some(v) => m.serialize_entry(key, v),
                ::std::option::Option::None => ::std::result::Result::Ok(()),
            }
        }

        /// Writes the kept properties, except those a typed field has written.
        #[doc(hidden)]
        pub fn put_rest<M>(m: &mut M, rest: &Object, written: impl Fn(&str) -> bool) -> ::std::result::Result<(), M::Error>
        where
            M: ::serde::ser::SerializeMap,
        {
            let checking = checking::on();
            for (k, v) in rest {
                if !written(k) {
                    if checking {
                        m.serialize_entry(&::std::format!("{}{k}", checking::KEPT), v)?;
                    } else {
                        m.serialize_entry(k, v)?;
                    }
                }
            }
            ::std::result::Result::Ok(())
        }

    }
}

/// The `(wire name, &field)` tables model structs serialize and deserialize through.
fn field_tables() -> TokenStream {
    quote! {
        /// A field of a model struct as `Serialize` sees it: one object-safe
        /// trait for every field type, so that a struct's `Serialize` is one
        /// table of `(wire name, &field)` and one call, not a generic call
        /// per field (type-checked and borrow-checked once per field per
        /// struct: the most expensive code of the crate to compile).
        #[doc(hidden)]
        pub trait PutSlot<M: ::serde::ser::SerializeMap> {
            /// Whether the field has a value (and so is written).
            fn is_set(&self) -> bool;
            /// Writes the field under `key` if it has a value ([`put`]).
            fn put_to(&self, m: &mut M, key: &str) -> ::std::result::Result<(), M::Error>;
        }

        impl<M, T> PutSlot<M> for ::std::option::Option<T>
        where
            M: ::serde::ser::SerializeMap,
            T: ::serde::Serialize,
        {
            fn is_set(&self) -> bool {
                self.is_some()
            }

            fn put_to(&self, m: &mut M, key: &str) -> ::std::result::Result<(), M::Error> {
                put(m, key, self)
            }
        }

        /// A model struct's `Serialize`: its fields that have a value, in
        /// table order, then the kept properties no field has written. The
        /// first error ends it.
        #[doc(hidden)]
        pub fn put_fields<S>(
            s: S,
            fields: &[(&str, &dyn PutSlot<S::SerializeMap>)],
            rest: &Object,
        ) -> ::std::result::Result<S::Ok, S::Error>
        where
            S: ::serde::Serializer,
        {
            use ::serde::ser::SerializeMap as _;
            let mut m = s.serialize_map(::std::option::Option::None)?;
            for (key, field) in fields {
                field.put_to(&mut m, key)?;
            }
            put_rest(&mut m, rest, |k| fields.iter().any(|(key, field)| *key == k && field.is_set()))?;
            m.end()
        }

        /// A field of a model struct as `Deserialize` sees it (see
        /// [`PutSlot`]). The error is the message [`take`] makes; the
        /// struct's deserializer wraps it in its own error type.
        #[doc(hidden)]
        pub trait TakeSlot {
            /// Sets the field from property `key` of `m` ([`take`]).
            fn take_from(&mut self, m: &mut Object, key: &str) -> ::std::result::Result<(), ::std::string::String>;
        }

        impl<T: ::serde::de::DeserializeOwned> TakeSlot for ::std::option::Option<T> {
            fn take_from(&mut self, m: &mut Object, key: &str) -> ::std::result::Result<(), ::std::string::String> {
                *self = take::<T, SlotError>(m, key).map_err(|e| e.0)?;
                ::std::result::Result::Ok(())
            }
        }

        /// The error of [`TakeSlot`]: [`take`]'s message, as text.
        #[derive(Debug)]
        struct SlotError(::std::string::String);

        impl ::std::fmt::Display for SlotError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::error::Error for SlotError {}

        impl ::serde::de::Error for SlotError {
            fn custom<T: ::std::fmt::Display>(msg: T) -> Self {
                SlotError(msg.to_string())
            }
        }

        /// A model struct's `Deserialize`: each field, in table order, from
        /// its property (taken out of `m`, which keeps the rest). The first
        /// error ends it.
        #[doc(hidden)]
        pub fn take_fields(
            m: &mut Object,
            fields: &mut [(&str, &mut dyn TakeSlot)],
        ) -> ::std::result::Result<(), ::std::string::String> {
            for (key, field) in fields.iter_mut() {
                field.take_from(m, key)?;
            }
            ::std::result::Result::Ok(())
        }
    }
}

/// The per-thread switch of the mock's model check.
fn model_check() -> TokenStream {
    quote! {
        /// The mock's model check (`runtime::mock_check`), per thread: while
        /// it is on, a property a struct keeps in its rest map is written
        /// with [`checking::KEPT`] before its name, and an enum value the
        /// docs do not list is read with [`checking::UNDOCUMENTED`] before
        /// it, so a value read and written back shows where the payload did
        /// not fit the model. Off unless that check runs; nothing else
        /// changes.
        #[doc(hidden)]
        pub mod checking {
            ::std::thread_local! {
                static ON: ::std::cell::Cell<bool> = const { ::std::cell::Cell::new(false) };
            }
            /// Before the name of a property kept in a rest map.
            pub const KEPT: &str = "\u{0}kept\u{0}";
            /// Before an undocumented enum value.
            pub const UNDOCUMENTED: &str = "\u{0}undocumented\u{0}";
            /// Whether the check is on on this thread.
            pub fn on() -> bool {
                ON.with(::std::cell::Cell::get)
            }
            /// Turns it on or off; returns what it was.
            pub fn set(on: bool) -> bool {
                ON.with(|c| c.replace(on))
            }
        }
    }
}

/// `model_serde!` and `model_enum!`: the serde impls of model structs and enums.
// Long by design: one `quote!` of fixed runtime code, read as the Rust it
// emits; splitting it would only scatter that code.
fn model_macros() -> TokenStream {
    quote! {
        /// Serde impls of a model struct: each listed field is an optional
        /// property with that wire name; the last field keeps the rest.
        // A build whose features compile no struct (endpoint-only workloads)
        // leaves the macros unused.
        #[allow(unused_macros)]
        macro_rules! model_serde {
            // A type derived from another: `Default` (and `new`) set its
            // `@odata.type`, so that a value built in Rust says which type it
            // is; a payload read without one is written back without one.
            ($name:ident { $($field:ident : $wire:literal,)* } $rest:ident, $odata:ident = $qualified:literal) => {
                impl $name {
                    /// The qualified `@odata.type` of this type, with its `#`.
                    pub const ODATA_TYPE: &'static str = $qualified;

                    /// A value with its `@odata.type` set and nothing else (the `Default`).
                    pub fn new() -> Self {
                        <Self as ::std::default::Default>::default()
                    }
                }

                // Plain `None`s, no fallible field: linear to check.
                impl ::std::default::Default for $name {
                    fn default() -> Self {
                        let mut v = $name {
                            $( $field: ::std::option::Option::None, )*
                            $rest: ::std::default::Default::default(),
                        };
                        v.$odata = ::std::option::Option::Some(::std::borrow::ToOwned::to_owned($qualified));
                        v
                    }
                }

                crate::support::model_serde!($name { $($field: $wire,)* } $rest);
            };
            ($name:ident { $($field:ident : $wire:literal,)* } $rest:ident) => {
                // One table of `(wire name, &field)` and one call each way:
                // per field, an element of an array (an unsizing coercion),
                // no generic call and no early return. Linear in the number
                // of fields, and the cheapest form to check (BENCHMARKS.md,
                // compile cost). `tests::linear_serde` pins it.
                impl ::serde::Serialize for $name {
                    fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                        crate::support::put_fields(s, &[$( ($wire, &self.$field), )*], &self.$rest)
                    }
                }

                // Built from `Default` and filled from the table: one struct
                // literal of N fallible (`?`) fields costs the compiler time
                // and memory quadratic in N (each early return drops the
                // fields built so far; 5.8 GB at N = 2,000), this form
                // linear (BENCHMARKS.md, width).
                impl<'de> ::serde::Deserialize<'de> for $name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                        let mut m = <crate::support::Object as ::serde::Deserialize>::deserialize(d)?;
                        let mut v = <Self as ::std::default::Default>::default();
                        crate::support::take_fields(&mut m, &mut [$( ($wire, &mut v.$field), )*])
                            .map_err(<D::Error as ::serde::de::Error>::custom)?;
                        v.$rest = m;
                        ::std::result::Result::Ok(v)
                    }
                }
            };
        }
        #[allow(unused_imports)]
        pub(crate) use model_serde;

        /// Wire values, conversions and serde impls of a model enum; values
        /// not listed go to the catch-all variant.
        #[allow(unused_macros)]
        macro_rules! model_enum {
            // `V(Spelling) = "w"` is a member the docs also spell otherwise;
            // `"alias" => V` lists those other spellings.
            ($name:ident { $($variant:ident $(($spelling:ident))? = $wire:literal,)* } { $($alias:literal => $avariant:ident,)* } $other:ident) => {
                impl $name {
                    /// The documented values (canonical spellings), in doc order.
                    pub const VALUES: &'static [&'static str] = &[$($wire),*];

                    /// The wire value: the spelling it was read in, else the
                    /// canonical one.
                    pub fn as_str(&self) -> &str {
                        match self {
                            $( Self::$variant $((sp @ crate::support::$spelling { .. }))? => {
                                $( if let ::std::option::Option::Some(t) = crate::support::$spelling::alias_text(sp) {
                                    return t;
                                } )?
                                $wire
                            } )*
                            Self::$other(s) => s.as_str(),
                        }
                    }
                }

                impl ::std::convert::From<&str> for $name {
                    fn from(s: &str) -> Self {
                        match s {
                            $( $wire => Self::$variant $((crate::support::$spelling::CANONICAL))?, )*
                            $( $alias => Self::$avariant(crate::support::Spelling::alias($alias)), )*
                            other => Self::$other(crate::support::UnknownValue::new(other)),
                        }
                    }
                }

                impl crate::support::Member for $name {
                    fn wire(&self) -> &str {
                        self.as_str()
                    }
                }

                impl ::std::fmt::Display for $name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }

                impl ::serde::Serialize for $name {
                    fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                        s.serialize_str(self.as_str())
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for $name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                        let s = <::std::string::String as ::serde::Deserialize>::deserialize(d)?;
                        ::std::result::Result::Ok(Self::from(s.as_str()))
                    }
                }
            };
        }
        #[allow(unused_imports)]
        pub(crate) use model_enum;
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::{Delimiter, TokenStream, TokenTree};

    /// The body of `macro_rules! name { … }` in the support module.
    fn macro_body(name: &str) -> TokenStream {
        let tokens: Vec<TokenTree> = super::module().into_iter().collect();
        for w in tokens.windows(4) {
            if let [TokenTree::Ident(m), TokenTree::Punct(bang), TokenTree::Ident(n), TokenTree::Group(g)] = w {
                if m == "macro_rules" && bang.as_char() == '!' && n == name {
                    return g.stream();
                }
            }
        }
        panic!("no macro_rules! {name} in the support module");
    }

    /// Every `$( … )*` repetition in `t`, with the group (if any) that
    /// encloses it and the token before that group.
    fn repetitions(
        t: TokenStream,
        outer: Option<(String, Delimiter)>,
        out: &mut Vec<(TokenStream, Option<(String, Delimiter)>)>,
    ) {
        let tokens: Vec<TokenTree> = t.into_iter().collect();
        for (i, tt) in tokens.iter().enumerate() {
            let TokenTree::Group(g) = tt else { continue };
            let dollar = i > 0 && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == '$');
            if dollar && g.delimiter() == Delimiter::Parenthesis {
                out.push((g.stream(), outer.clone()));
            }
            let before = if i > 0 {
                tokens[i - 1].to_string()
            } else {
                String::new()
            };
            repetitions(g.stream(), Some((before, g.delimiter())), out);
        }
    }

    fn has_question_mark(t: &TokenStream) -> bool {
        t.clone().into_iter().any(|tt| match tt {
            TokenTree::Punct(p) => p.as_char() == '?',
            TokenTree::Group(g) => has_question_mark(&g.stream()),
            _ => false,
        })
    }

    /// The shape of the serde impls every model struct expands to: per field,
    /// one element of a `(wire name, &field)` table, each way. No `?` inside
    /// a per-field repetition (each early return is a drop path over what is
    /// built so far), and no struct literal (`Self { $(…)* }`) over the
    /// fields: both made `cargo check` quadratic in the number of properties
    /// (5.8 GB at 2,000, out of memory at 5,000). No generic call per field
    /// either: that form was linear but cost a third of the crate's check
    /// time (BENCHMARKS.md, compile cost).
    #[test]
    fn linear_serde() {
        let body = macro_body("model_serde");
        let mut reps = Vec::new();
        repetitions(body.clone(), None, &mut reps);
        let texts: Vec<String> = reps.iter().map(|(r, _)| r.to_string()).collect();
        for (rep, outer) in &reps {
            assert!(!has_question_mark(rep), "a `?` per field: {rep}");
            if let Some((before, Delimiter::Brace)) = outer {
                assert_ne!(before, "Self", "a struct literal over the fields: {rep}");
            }
        }
        // Each arm's matcher has one repetition; the derived types' arm
        // expands to `Default` (plain `None`s) and the plain arm; the plain
        // arm's expansion has two, one table element per field each way.
        assert_eq!(
            texts,
            [
                "$ field : ident : $ wire : literal ,",
                "$ field : :: std :: option :: Option :: None ,",
                "$ field : $ wire ,",
                "$ field : ident : $ wire : literal ,",
                "($ wire , & self . $ field) ,",
                "($ wire , & mut v . $ field) ,",
            ]
        );
        // Built from `Default`, the first error kept and returned at the end.
        let text = body.to_string();
        assert!(
            text.contains("let mut v = < Self as :: std :: default :: Default > :: default () ;"),
            "{text}"
        );
        assert!(!text.contains("= Self {") && !text.contains("(Self {"), "{text}");
    }
}
