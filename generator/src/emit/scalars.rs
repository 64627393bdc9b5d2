//! The model's value types in the generated `support` module: scalar
//! newtypes that keep the wire text (dates, times, durations, GUIDs, binary),
//! `Int64` and `Decimal` read from numbers or strings, flags sets, the
//! opaque value of an undocumented enum member, and the spelling a member
//! was read in. Conversions to the ecosystem's types sit behind the `time`,
//! `uuid` and `base64` features. Fixed code, emitted with the support module.

use proc_macro2::TokenStream;
use quote::quote;

/// Every item, one subject after another.
pub fn items() -> TokenStream {
    let parts = [
        text_scalars(),
        numbers(),
        enum_values(),
        flags(),
        time_conversions(),
        other_conversions(),
    ];
    quote! { #(#parts)* }
}

/// `DateTimeOffset`, `Date`, `TimeOfDay`, `Duration`, `Guid`, `Binary`:
/// the wire text, kept byte for byte.
fn text_scalars() -> TokenStream {
    quote! {
        /// A conversion from a scalar's wire text that did not parse.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct ScalarError {
            kind: &'static str,
            text: ::std::string::String,
        }

        impl ScalarError {
            #[allow(dead_code)]
            fn new(kind: &'static str, text: &str) -> Self {
                ScalarError { kind, text: text.to_owned() }
            }
        }

        impl ::std::fmt::Display for ScalarError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "`{}` is not a valid {}", self.text, self.kind)
            }
        }

        impl ::std::error::Error for ScalarError {}

        macro_rules! text_scalar {
            ($($name:ident: $doc:literal,)*) => {$(
                #[doc = $doc]
                ///
                /// Holds the wire text exactly as read (Graph's 7-digit
                /// fractions and offsets survive a round trip); `as_str` reads
                /// it, `From<String>` and `new` set it. Typed conversions are
                /// behind the crate's features (see the crate README).
                #[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub struct $name(::std::string::String);

                impl $name {
                    /// A value with this wire text (not validated).
                    pub fn new(text: impl ::std::convert::Into<::std::string::String>) -> Self {
                        $name(text.into())
                    }

                    /// The wire text.
                    pub fn as_str(&self) -> &str {
                        &self.0
                    }

                    /// The wire text, owned.
                    pub fn into_string(self) -> ::std::string::String {
                        self.0
                    }
                }

                impl ::std::convert::From<::std::string::String> for $name {
                    fn from(s: ::std::string::String) -> Self {
                        $name(s)
                    }
                }

                impl ::std::convert::From<&str> for $name {
                    fn from(s: &str) -> Self {
                        $name(s.to_owned())
                    }
                }

                impl ::std::ops::Deref for $name {
                    type Target = str;
                    fn deref(&self) -> &str {
                        &self.0
                    }
                }

                impl ::std::convert::AsRef<str> for $name {
                    fn as_ref(&self) -> &str {
                        &self.0
                    }
                }

                impl ::std::fmt::Display for $name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(&self.0)
                    }
                }

                impl ::serde::Serialize for $name {
                    fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                        s.serialize_str(&self.0)
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for $name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                        <::std::string::String as ::serde::Deserialize>::deserialize(d).map($name)
                    }
                }
            )*};
        }

        text_scalar! {
            DateTimeOffset: "`Edm.DateTimeOffset`: an RFC 3339 timestamp (`2017-09-04T19:36:28.0000000Z`).",
            Date: "`Edm.Date`: a calendar date (`2017-09-04`).",
            TimeOfDay: "`Edm.TimeOfDay`: a time of day (`08:00:00.0000000`).",
            Duration: "`Edm.Duration`: an ISO 8601 duration (`PT1H30M`).",
            Guid: "`Edm.Guid`: a GUID (`5f2e8a56-b8f7-4c54-a9ba-2b0d6b0e0a39`).",
            Binary: "`Edm.Binary`: base64 text.",
        }
    }
}

/// `Int64` and `Decimal`: a JSON number or (IEEE754Compatible) a string,
/// written back the way it was read.
// Long by design: one `quote!` of fixed runtime code, read as the Rust it
// emits; splitting it would only scatter that code.
fn numbers() -> TokenStream {
    quote! {
        macro_rules! number_scalar {
            ($name:ident, $t:ty, $doc:literal) => {
                #[doc = $doc]
                ///
                /// Read from a JSON number or a JSON string (OData's
                /// IEEE754Compatible form, `"1024"`), and written back the way
                /// it was read: a string keeps its text. Equality compares
                /// values. Built from a number, it is written as a number.
                #[derive(Clone, Debug, Default)]
                pub struct $name {
                    value: $t,
                    text: ::std::option::Option<::std::boxed::Box<str>>,
                }

                impl $name {
                    /// A value written as a JSON number.
                    pub fn new(value: $t) -> Self {
                        $name { value, text: ::std::option::Option::None }
                    }

                    /// A value written as a JSON string (`"1024"`).
                    pub fn quoted(value: $t) -> Self {
                        $name { value, text: ::std::option::Option::Some(value.to_string().into()) }
                    }

                    /// The value.
                    pub fn get(&self) -> $t {
                        self.value
                    }

                    /// The string it was read from, if it was a string.
                    pub fn as_quoted(&self) -> ::std::option::Option<&str> {
                        self.text.as_deref()
                    }
                }

                impl ::std::convert::From<$t> for $name {
                    fn from(value: $t) -> Self {
                        $name::new(value)
                    }
                }

                impl ::std::cmp::PartialEq for $name {
                    fn eq(&self, other: &Self) -> bool {
                        self.value == other.value
                    }
                }

                impl ::std::cmp::PartialEq<$t> for $name {
                    fn eq(&self, other: &$t) -> bool {
                        self.value == *other
                    }
                }

                impl ::std::fmt::Display for $name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        match &self.text {
                            ::std::option::Option::Some(t) => f.write_str(t),
                            ::std::option::Option::None => ::std::fmt::Display::fmt(&self.value, f),
                        }
                    }
                }

                impl ::serde::Serialize for $name {
                    fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                        match &self.text {
                            ::std::option::Option::Some(t) => s.serialize_str(t),
                            ::std::option::Option::None => ::serde::Serialize::serialize(&self.value, s),
                        }
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for $name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                        struct V;
                        impl<'de> ::serde::de::Visitor<'de> for V {
                            type Value = $name;
                            fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                                f.write_str(::std::concat!("a number or a string holding one (", ::std::stringify!($name), ")"))
                            }
                            fn visit_i64<E: ::serde::de::Error>(self, v: i64) -> ::std::result::Result<$name, E> {
                                number_scalar!(@from_i64 $name, v)
                            }
                            fn visit_u64<E: ::serde::de::Error>(self, v: u64) -> ::std::result::Result<$name, E> {
                                number_scalar!(@from_u64 $name, v)
                            }
                            fn visit_f64<E: ::serde::de::Error>(self, v: f64) -> ::std::result::Result<$name, E> {
                                number_scalar!(@from_f64 $name, v)
                            }
                            fn visit_str<E: ::serde::de::Error>(self, v: &str) -> ::std::result::Result<$name, E> {
                                match v.trim().parse::<$t>() {
                                    ::std::result::Result::Ok(n) => ::std::result::Result::Ok($name {
                                        value: n,
                                        text: ::std::option::Option::Some(v.into()),
                                    }),
                                    ::std::result::Result::Err(_) => ::std::result::Result::Err(E::invalid_value(::serde::de::Unexpected::Str(v), &self)),
                                }
                            }
                        }
                        d.deserialize_any(V)
                    }
                }
            };
            (@from_i64 Int64, $v:ident) => { ::std::result::Result::Ok(Int64::new($v)) };
            (@from_u64 Int64, $v:ident) => {
                i64::try_from($v)
                    .map(Int64::new)
                    .map_err(|_| E::invalid_value(::serde::de::Unexpected::Unsigned($v), &"an Int64"))
            };
            (@from_f64 Int64, $v:ident) => { ::std::result::Result::Err(E::invalid_type(::serde::de::Unexpected::Float($v), &"an Int64")) };
            (@from_i64 Decimal, $v:ident) => { ::std::result::Result::Ok(Decimal::new($v as f64)) };
            (@from_u64 Decimal, $v:ident) => { ::std::result::Result::Ok(Decimal::new($v as f64)) };
            (@from_f64 Decimal, $v:ident) => { ::std::result::Result::Ok(Decimal::new($v)) };
        }

        number_scalar!(Int64, i64, "`Edm.Int64`.");
        number_scalar!(Decimal, f64, "`Edm.Decimal`, held as an `f64`.");

        impl ::std::cmp::Eq for Int64 {}

        impl ::std::hash::Hash for Int64 {
            fn hash<H: ::std::hash::Hasher>(&self, h: &mut H) {
                self.value.hash(h)
            }
        }
    }
}

/// What model enums are made of: the opaque value of an undocumented member
/// and the spelling of a member the docs spell in several cases.
fn enum_values() -> TokenStream {
    quote! {
        /// The value of an enum member the docs do not list, kept verbatim and
        /// written back unchanged. Opaque: read it with `as_str`; it cannot be
        /// built by hand, so a documented value is always its own variant
        /// (`From<&str>` and deserialization pick it), and code matching on an
        /// undocumented string cannot silently stop matching when the docs
        /// add that member.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct UnknownValue(::std::string::String);

        impl UnknownValue {
            #[allow(dead_code)]
            pub(crate) fn new(s: &str) -> Self {
                if crate::support::checking::on() {
                    // The mock's model check: the value shows where it is.
                    return UnknownValue(::std::format!("{}{s}", crate::support::checking::UNDOCUMENTED));
                }
                UnknownValue(s.to_owned())
            }

            /// The value as received.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for UnknownValue {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        /// Which spelling of a member the docs spell in several cases
        /// (`NotStarted` and `notStarted`) a value was read in, so that it is
        /// written back the same way. `Spelling::CANONICAL` (the `Default`)
        /// writes the canonical spelling. All spellings of a member are equal.
        #[derive(Clone, Copy, Debug, Default)]
        pub struct Spelling(::std::option::Option<&'static str>);

        impl Spelling {
            /// The member's canonical spelling (its enum's members table).
            pub const CANONICAL: Spelling = Spelling(::std::option::Option::None);

            #[allow(dead_code)]
            pub(crate) const fn alias(s: &'static str) -> Self {
                Spelling(::std::option::Option::Some(s))
            }

            /// The other documented spelling the value was read in, if any.
            pub fn alias_text(&self) -> ::std::option::Option<&'static str> {
                self.0
            }
        }

        impl ::std::cmp::PartialEq for Spelling {
            fn eq(&self, _: &Self) -> bool {
                true
            }
        }
        impl ::std::cmp::Eq for Spelling {}
        impl ::std::cmp::PartialOrd for Spelling {
            fn partial_cmp(&self, other: &Self) -> ::std::option::Option<::std::cmp::Ordering> {
                ::std::option::Option::Some(self.cmp(other))
            }
        }
        impl ::std::cmp::Ord for Spelling {
            fn cmp(&self, _: &Self) -> ::std::cmp::Ordering {
                ::std::cmp::Ordering::Equal
            }
        }
        impl ::std::hash::Hash for Spelling {
            fn hash<H: ::std::hash::Hasher>(&self, _: &mut H) {}
        }
    }
}

/// Flags sets: a value of a flags enum is a set of its members.
// Long by design: one `quote!` of fixed runtime code, read as the Rust it
// emits.
fn flags() -> TokenStream {
    quote! {
        /// A model enum: its members convert from and to their wire text.
        pub trait Member: for<'a> ::std::convert::From<&'a str> {
            /// The wire value.
            fn wire(&self) -> &str;
        }

        /// A value of a flags enum: a set of members, on the wire their
        /// values joined by commas (`"x86,x64"`). The text is kept as read, so
        /// it is written back byte for byte; `insert` and `remove` rewrite it
        /// as `a,b`. Members the docs do not list are kept (opaque, like any
        /// undocumented value). Equality is set equality.
        #[derive(Clone, Debug)]
        pub struct Flags<E> {
            text: ::std::string::String,
            members: ::std::marker::PhantomData<fn() -> E>,
        }

        impl<E> ::std::default::Default for Flags<E> {
            fn default() -> Self {
                Flags { text: ::std::string::String::new(), members: ::std::marker::PhantomData }
            }
        }

        impl<E: Member> Flags<E> {
            /// The empty set.
            pub fn empty() -> Self {
                Self::default()
            }

            /// The wire text.
            pub fn as_str(&self) -> &str {
                &self.text
            }

            fn parts(&self) -> impl ::std::iter::Iterator<Item = &str> + '_ {
                self.text.split(',').map(str::trim).filter(|p| !p.is_empty())
            }

            /// The members, in wire order.
            pub fn iter(&self) -> impl ::std::iter::Iterator<Item = E> + '_ {
                self.parts().map(E::from)
            }

            /// Whether the set holds `m`.
            pub fn contains(&self, m: &E) -> bool {
                self.parts().any(|p| p == m.wire())
            }

            /// Adds `m` (a no-op when present).
            pub fn insert(&mut self, m: E) {
                if !self.contains(&m) {
                    if !self.text.is_empty() {
                        self.text.push(',');
                    }
                    self.text.push_str(m.wire());
                }
            }

            /// Removes `m`; the text becomes `a,b`.
            pub fn remove(&mut self, m: &E) {
                let kept: ::std::vec::Vec<&str> = self.parts().filter(|p| *p != m.wire()).collect();
                self.text = kept.join(",");
            }

            fn set(&self) -> ::std::collections::BTreeSet<&str> {
                self.parts().collect()
            }
        }

        impl<E: Member> ::std::cmp::PartialEq for Flags<E> {
            fn eq(&self, other: &Self) -> bool {
                self.set() == other.set()
            }
        }
        impl<E: Member> ::std::cmp::Eq for Flags<E> {}

        impl<E: Member> ::std::hash::Hash for Flags<E> {
            fn hash<H: ::std::hash::Hasher>(&self, h: &mut H) {
                self.set().hash(h)
            }
        }

        impl<E: Member> ::std::iter::FromIterator<E> for Flags<E> {
            fn from_iter<I: ::std::iter::IntoIterator<Item = E>>(it: I) -> Self {
                let mut f = Self::default();
                for m in it {
                    f.insert(m);
                }
                f
            }
        }

        impl<E: Member> ::std::convert::From<E> for Flags<E> {
            fn from(m: E) -> Self {
                ::std::iter::once(m).collect()
            }
        }

        impl<E> ::std::fmt::Display for Flags<E> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.text)
            }
        }

        impl<E> ::serde::Serialize for Flags<E> {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(&self.text)
            }
        }

        impl<'de, E: Member> ::serde::Deserialize<'de> for Flags<E> {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let mut text = <::std::string::String as ::serde::Deserialize>::deserialize(d)?;
                if crate::support::checking::on() {
                    // The mock's model check: a member the docs do not list
                    // marks the whole value.
                    let mark = crate::support::checking::UNDOCUMENTED;
                    let f = Flags::<E> { text, members: ::std::marker::PhantomData };
                    let odd = f.iter().any(|m| m.wire().starts_with(mark));
                    text = if odd { ::std::format!("{mark}{}", f.text) } else { f.text };
                }
                ::std::result::Result::Ok(Flags { text, members: ::std::marker::PhantomData })
            }
        }
    }
}

/// Conversions to `time` types, behind the `time` feature.
// Long by design: one `quote!` of fixed runtime code, read as the Rust it
// emits.
fn time_conversions() -> TokenStream {
    quote! {
        #[cfg(feature = "time")]
        mod time_conversions {
            use super::{Date, DateTimeOffset, Duration, ScalarError, TimeOfDay};
            use ::time::format_description::well_known::Rfc3339;

            impl DateTimeOffset {
                /// The timestamp (RFC 3339; any number of fraction digits).
                pub fn to_time(&self) -> ::std::result::Result<::time::OffsetDateTime, ScalarError> {
                    ::time::OffsetDateTime::parse(self.as_str(), &Rfc3339)
                        .map_err(|_| ScalarError::new("Edm.DateTimeOffset", self.as_str()))
                }
            }

            impl ::std::convert::TryFrom<::time::OffsetDateTime> for DateTimeOffset {
                type Error = ::time::error::Format;
                /// RFC 3339 text (fails only for years outside 0–9999).
                fn try_from(t: ::time::OffsetDateTime) -> ::std::result::Result<Self, Self::Error> {
                    t.format(&Rfc3339).map(DateTimeOffset::new)
                }
            }

            impl Date {
                /// The date (`YYYY-MM-DD`).
                pub fn to_time(&self) -> ::std::result::Result<::time::Date, ScalarError> {
                    let err = || ScalarError::new("Edm.Date", self.as_str());
                    let mut it = self.as_str().splitn(3, '-');
                    let (y, m, d) = (it.next(), it.next(), it.next());
                    let (y, m, d) = match (y, m, d) {
                        (::std::option::Option::Some(y), ::std::option::Option::Some(m), ::std::option::Option::Some(d))
                            if y.len() >= 4 && m.len() == 2 && d.len() == 2 => (y, m, d),
                        _ => return ::std::result::Result::Err(err()),
                    };
                    let y: i32 = y.parse().map_err(|_| err())?;
                    let m: u8 = m.parse().map_err(|_| err())?;
                    let d: u8 = d.parse().map_err(|_| err())?;
                    let m = ::time::Month::try_from(m).map_err(|_| err())?;
                    ::time::Date::from_calendar_date(y, m, d).map_err(|_| err())
                }
            }

            impl ::std::convert::From<::time::Date> for Date {
                fn from(d: ::time::Date) -> Self {
                    Date::new(::std::format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()))
                }
            }

            impl TimeOfDay {
                /// The time (`hh:mm`, `hh:mm:ss`, with any fraction of a second).
                pub fn to_time(&self) -> ::std::result::Result<::time::Time, ScalarError> {
                    let err = || ScalarError::new("Edm.TimeOfDay", self.as_str());
                    let s = self.as_str();
                    let (hms, frac) = s.split_once('.').unwrap_or((s, ""));
                    let mut it = hms.split(':').map(|p| p.parse::<u8>().ok());
                    let (h, m, sec) = (it.next().flatten(), it.next().flatten(), it.next());
                    if it.next().is_some() || frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                        return ::std::result::Result::Err(err());
                    }
                    let sec = match sec {
                        ::std::option::Option::None => 0,
                        ::std::option::Option::Some(v) => v.ok_or_else(err)?,
                    };
                    let nanos = if frac.is_empty() { 0 } else { ::std::format!("{frac:0<9}").parse::<u32>().map_err(|_| err())? };
                    ::time::Time::from_hms_nano(h.ok_or_else(err)?, m.ok_or_else(err)?, sec, nanos).map_err(|_| err())
                }
            }

            impl ::std::convert::From<::time::Time> for TimeOfDay {
                /// `hh:mm:ss`, with a 7-digit fraction when there is one (as Graph writes it).
                fn from(t: ::time::Time) -> Self {
                    let base = ::std::format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
                    if t.nanosecond() == 0 {
                        TimeOfDay::new(base)
                    } else {
                        TimeOfDay::new(::std::format!("{base}.{:07}", t.nanosecond() / 100))
                    }
                }
            }

            impl Duration {
                /// The duration, from ISO 8601 `PnW`, `PnDTnHnMn.nS` (a leading
                /// `-` negates). Years and months have no fixed length: an error.
                pub fn to_time(&self) -> ::std::result::Result<::time::Duration, ScalarError> {
                    let err = || ScalarError::new("Edm.Duration", self.as_str());
                    let s = self.as_str();
                    let (neg, s) = match s.strip_prefix('-') {
                        ::std::option::Option::Some(r) => (true, r),
                        ::std::option::Option::None => (false, s),
                    };
                    let s = s.strip_prefix('P').ok_or_else(err)?;
                    let (date, time) = s.split_once('T').unwrap_or((s, ""));
                    if s.is_empty() || s.ends_with('T') {
                        return ::std::result::Result::Err(err());
                    }
                    let mut total = ::time::Duration::ZERO;
                    for (part, units) in [(date, "WD"), (time, "HMS")] {
                        let mut num = ::std::string::String::new();
                        for c in part.chars() {
                            if c.is_ascii_digit() || c == '.' || c == ',' {
                                num.push(if c == ',' { '.' } else { c });
                                continue;
                            }
                            if !units.contains(c) || num.is_empty() {
                                return ::std::result::Result::Err(err());
                            }
                            let n: f64 = num.parse().map_err(|_| err())?;
                            let secs = match c {
                                'W' => 604_800.0,
                                'D' => 86_400.0,
                                'H' => 3_600.0,
                                'M' => 60.0,
                                _ => 1.0,
                            };
                            total += ::time::Duration::seconds_f64(n * secs);
                            num.clear();
                        }
                        if !num.is_empty() {
                            return ::std::result::Result::Err(err());
                        }
                    }
                    ::std::result::Result::Ok(if neg { -total } else { total })
                }
            }

            impl ::std::convert::From<::time::Duration> for Duration {
                /// `PTnS` (`PT5400S`, `-PT0.5S`): exact, if not the shortest form.
                fn from(d: ::time::Duration) -> Self {
                    let sign = if d.is_negative() { "-" } else { "" };
                    let d = d.abs();
                    let (secs, nanos) = (d.whole_seconds(), d.subsec_nanoseconds());
                    let text = if nanos == 0 {
                        ::std::format!("{sign}PT{secs}S")
                    } else {
                        let frac = ::std::format!("{nanos:09}");
                        ::std::format!("{sign}PT{secs}.{}S", frac.trim_end_matches('0'))
                    };
                    Duration::new(text)
                }
            }
        }
    }
}

/// Conversions to `uuid` and `base64` types, each behind its feature.
fn other_conversions() -> TokenStream {
    quote! {
        #[cfg(feature = "uuid")]
        mod uuid_conversions {
            use super::{Guid, ScalarError};

            impl Guid {
                /// The GUID (hyphenated, braced or simple; any case).
                pub fn to_uuid(&self) -> ::std::result::Result<::uuid::Uuid, ScalarError> {
                    ::uuid::Uuid::parse_str(self.as_str()).map_err(|_| ScalarError::new("Edm.Guid", self.as_str()))
                }
            }

            impl ::std::convert::From<::uuid::Uuid> for Guid {
                /// Hyphenated lowercase, as Graph writes GUIDs.
                fn from(u: ::uuid::Uuid) -> Self {
                    Guid::new(u.hyphenated().to_string())
                }
            }
        }

        #[cfg(feature = "base64")]
        mod base64_conversions {
            use super::{Binary, ScalarError};
            use ::base64::Engine as _;

            impl Binary {
                /// The bytes. Graph writes standard base64; OData's JSON format
                /// says base64url: both alphabets are read, padded or not.
                pub fn decode(&self) -> ::std::result::Result<::std::vec::Vec<u8>, ScalarError> {
                    use ::base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
                    let t = self.as_str().trim_end_matches('=');
                    STANDARD_NO_PAD
                        .decode(t)
                        .or_else(|_| URL_SAFE_NO_PAD.decode(t))
                        .map_err(|_| ScalarError::new("Edm.Binary", self.as_str()))
                }

                /// Standard padded base64 of `bytes`, as Graph writes it.
                pub fn encode(bytes: impl ::std::convert::AsRef<[u8]>) -> Self {
                    Binary::new(::base64::engine::general_purpose::STANDARD.encode(bytes))
                }
            }
        }
    }
}
