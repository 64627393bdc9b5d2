//! Typed `$select`, `$expand`, `$orderby` and `$filter`.
//!
//! Every model struct has one associated constant per documented property:
//! a [`Field`] for a structural property (`User::DISPLAY_NAME:
//! Field<User, String>`), a [`Nav`] for a navigation property
//! (`User::MANAGER: Nav<User, DirectoryObject>`). An operation's
//! [`QueryItem`] names the type its query options talk about, so
//! `ListUsers::call().select((User::ID, User::MAIL))` compiles and
//! `.select(Group::MAIL)` does not. Raw strings are accepted wherever a
//! field is, for what the docs do not list.
//!
//! `$filter` expressions ([`Expr`]) are built from the same constants, and
//! the value compared must suit the property ([`Comparable`]): a string
//! field takes text (quoted, `'` doubled), a GUID or a date is written bare,
//! an enum field takes that enum. `&`, `|` and `!` combine expressions,
//! with parentheses only where OData's precedence needs them.
//!
//! A field of another type is rejected where the item type is known:
//!
//! ```compile_fail
//! # #[cfg(all(feature = "users", feature = "groups"))] {
//! use generated::graph::Group;
//! use generated::operations::ListUsers;
//! use generated::runtime::prelude::*;
//! // `ListUsers` lists users: a group's `mail` is not one of their fields.
//! let _ = ListUsers::call().select(Group::MAIL);
//! # }
//! # #[cfg(not(all(feature = "users", feature = "groups")))]
//! # compile_error!("this example needs the users and groups features");
//! ```
//!
//! and so is a value of the wrong type:
//!
//! ```compile_fail
//! # #[cfg(feature = "users")] {
//! use generated::graph::User;
//! let _ = User::ACCOUNT_ENABLED.eq("yes");
//! # }
//! # #[cfg(not(feature = "users"))]
//! # compile_error!("this example needs the users feature");
//! ```

use super::call::Operation;
use super::literal::push_quoted;
use crate::support::{Binary, Date, DateTimeOffset, Decimal, Duration, Guid, Int64, Member, TimeOfDay};
use std::fmt::Write as _;
use std::marker::PhantomData;

/// The type whose properties an operation's `$select`, `$expand`,
/// `$orderby` and `$filter` name: its response's item type, or
/// [`Untyped`] where the docs give it no properties.
pub trait QueryItem: Operation {
    type Item;
}

/// The item of an operation whose response has no documented properties:
/// only raw strings name its fields.
#[derive(Debug)]
pub enum Untyped {}

/// A structural property of `T` whose value is a `V` (a collection's is a
/// `Vec`). `Copy`, and built in constant context by the generated code.
pub struct Field<T, V> {
    name: &'static str,
    _of: PhantomData<fn() -> (T, V)>,
}

/// A navigation property of `T` leading to `U` (the item type, for a
/// collection): what `$expand` takes.
pub struct Nav<T, U> {
    name: &'static str,
    _of: PhantomData<fn() -> (T, U)>,
}

macro_rules! static_name {
    ($($ty:ident),*) => {$(
        impl<T, V> $ty<T, V> {
            /// The property with this wire name.
            pub const fn new(name: &'static str) -> Self {
                $ty { name, _of: PhantomData }
            }

            /// The wire name.
            pub const fn name(&self) -> &'static str {
                self.name
            }
        }

        impl<T, V> Clone for $ty<T, V> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<T, V> Copy for $ty<T, V> {}

        impl<T, V> std::fmt::Debug for $ty<T, V> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({})", stringify!($ty), self.name)
            }
        }
    )*};
}

static_name!(Field, Nav);

fn comma(out: &mut String) {
    if !out.is_empty() {
        out.push(',');
    }
}

/// What `select` takes: a [`Field`] of `T`, raw text, or an array, `Vec` or
/// tuple of them.
pub trait SelectList<T> {
    /// Appends the entries, comma-separated.
    fn write_to(self, out: &mut String);
}

/// What `expand` takes: a [`Nav`] of `T`, an [`Expansion`] (a navigation
/// property with nested options), raw text, or an array, `Vec` or tuple of
/// them.
pub trait ExpandList<T> {
    /// Appends the entries, comma-separated.
    fn write_to(self, out: &mut String);
}

/// What `order_by` takes: a [`Field`] (ascending), an [`OrderKey`]
/// (`.desc()`), raw text, or an array, `Vec` or tuple of them.
pub trait OrderList<T> {
    /// Appends the entries, comma-separated.
    fn write_to(self, out: &mut String);
}

/// Raw text, arrays, vectors and tuples for each list trait.
macro_rules! lists {
    ($($list:ident),*) => {$(
        impl<T> $list<T> for &str {
            fn write_to(self, out: &mut String) {
                comma(out);
                out.push_str(self);
            }
        }

        impl<T> $list<T> for String {
            fn write_to(self, out: &mut String) {
                $list::<T>::write_to(self.as_str(), out)
            }
        }

        impl<T> $list<T> for &String {
            fn write_to(self, out: &mut String) {
                $list::<T>::write_to(self.as_str(), out)
            }
        }

        impl<T, S: $list<T>, const N: usize> $list<T> for [S; N] {
            fn write_to(self, out: &mut String) {
                self.into_iter().for_each(|s| s.write_to(out));
            }
        }

        impl<T, S: $list<T>> $list<T> for Vec<S> {
            fn write_to(self, out: &mut String) {
                self.into_iter().for_each(|s| s.write_to(out));
            }
        }

        lists!(@tuples $list; A B C D E F G H I J K L);
    )*};
    (@tuples $list:ident; $($x:ident)*) => {
        lists!(@tuple $list; [] $($x)*);
    };
    (@tuple $list:ident; [$($done:ident)*]) => {};
    (@tuple $list:ident; [$($done:ident)*] $next:ident $($rest:ident)*) => {
        #[allow(non_snake_case)]
        impl<T, $($done: $list<T>,)* $next: $list<T>> $list<T> for ($($done,)* $next,) {
            fn write_to(self, out: &mut String) {
                let ($($done,)* $next,) = self;
                $($done.write_to(out);)*
                $next.write_to(out);
            }
        }
        lists!(@tuple $list; [$($done)* $next] $($rest)*);
    };
}

lists!(SelectList, ExpandList, OrderList);

impl<T, V> SelectList<T> for Field<T, V> {
    fn write_to(self, out: &mut String) {
        comma(out);
        out.push_str(self.name);
    }
}

impl<T, V> OrderList<T> for Field<T, V> {
    fn write_to(self, out: &mut String) {
        comma(out);
        out.push_str(self.name);
    }
}

impl<T, U> ExpandList<T> for Nav<T, U> {
    fn write_to(self, out: &mut String) {
        comma(out);
        out.push_str(self.name);
    }
}

/// A navigation property with nested query options:
/// `members($select=id,displayName;$filter=…;$top=5)`.
pub struct Expansion<T, U> {
    name: &'static str,
    options: Vec<(&'static str, String)>,
    _of: PhantomData<fn() -> (T, U)>,
}

impl<T, U> Expansion<T, U> {
    fn set(mut self, option: &'static str, value: String) -> Self {
        match self.options.iter_mut().find(|(o, _)| *o == option) {
            Some(slot) => slot.1 = value,
            None => self.options.push((option, value)),
        }
        self
    }

    /// Nested `$select` of the related item's properties.
    pub fn select(self, fields: impl SelectList<U>) -> Self {
        let mut s = String::new();
        fields.write_to(&mut s);
        self.set("$select", s)
    }

    /// Nested `$expand` of the related item's navigation properties.
    pub fn expand(self, relationships: impl ExpandList<U>) -> Self {
        let mut s = String::new();
        relationships.write_to(&mut s);
        self.set("$expand", s)
    }

    /// Nested `$filter` over the related items.
    pub fn filter(self, expression: impl Into<Expr<U>>) -> Self {
        self.set("$filter", expression.into().text)
    }

    /// Nested `$orderby`.
    pub fn order_by(self, keys: impl OrderList<U>) -> Self {
        let mut s = String::new();
        keys.write_to(&mut s);
        self.set("$orderby", s)
    }

    /// Nested `$top`.
    pub fn top(self, n: u32) -> Self {
        self.set("$top", n.to_string())
    }
}

impl<T, U> Nav<T, U> {
    fn expansion(self) -> Expansion<T, U> {
        Expansion {
            name: self.name,
            options: Vec::new(),
            _of: PhantomData,
        }
    }

    /// Expands this relationship, returning only the given properties.
    pub fn select(self, fields: impl SelectList<U>) -> Expansion<T, U> {
        self.expansion().select(fields)
    }

    /// Expands this relationship and its own relationships.
    pub fn expand(self, relationships: impl ExpandList<U>) -> Expansion<T, U> {
        self.expansion().expand(relationships)
    }

    /// Expands this relationship, keeping the related items that match.
    pub fn filter(self, expression: impl Into<Expr<U>>) -> Expansion<T, U> {
        self.expansion().filter(expression)
    }

    /// Expands this relationship, its items in this order.
    pub fn order_by(self, keys: impl OrderList<U>) -> Expansion<T, U> {
        self.expansion().order_by(keys)
    }

    /// Expands at most `n` related items.
    pub fn top(self, n: u32) -> Expansion<T, U> {
        self.expansion().top(n)
    }
}

impl<T, U> ExpandList<T> for Expansion<T, U> {
    fn write_to(self, out: &mut String) {
        comma(out);
        out.push_str(self.name);
        for (i, (option, value)) in self.options.iter().enumerate() {
            out.push(if i == 0 { '(' } else { ';' });
            let _ = write!(out, "{option}={value}");
        }
        if !self.options.is_empty() {
            out.push(')');
        }
    }
}

/// A sort key with its direction.
pub struct OrderKey<T> {
    text: String,
    _of: PhantomData<fn() -> T>,
}

impl<T> OrderList<T> for OrderKey<T> {
    fn write_to(self, out: &mut String) {
        comma(out);
        out.push_str(&self.text);
    }
}

/// A value of type `V` reached from `T`: a property, a property of a
/// complex property (`address/city`), or a lambda variable inside `any` or
/// `all`. What [`Field`] converts into to be compared.
pub struct Path<T, V> {
    text: String,
    /// How many lambdas enclose it (names the next lambda's variable).
    depth: u8,
    _of: PhantomData<fn() -> (T, V)>,
}

impl<T, V> From<Field<T, V>> for Path<T, V> {
    fn from(f: Field<T, V>) -> Self {
        Path {
            text: f.name.to_owned(),
            depth: 0,
            _of: PhantomData,
        }
    }
}

impl<T, V> OrderList<T> for Path<T, V> {
    fn write_to(self, out: &mut String) {
        comma(out);
        out.push_str(&self.text);
    }
}

/// How tightly an expression binds: what decides the parentheses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Binding {
    /// Raw text: could be anything, so it is parenthesised when combined.
    Raw,
    Or,
    And,
    /// A comparison, a function call, `not(…)`, a lambda.
    Atom,
}

/// A `$filter` expression over the properties of `T`. Raw text converts
/// into one (`"startswith(displayName,'a')".into()`).
pub struct Expr<T> {
    text: String,
    binding: Binding,
    _of: PhantomData<fn() -> T>,
}

impl<T> Clone for Expr<T> {
    fn clone(&self) -> Self {
        Expr {
            text: self.text.clone(),
            binding: self.binding,
            _of: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Expr<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Expr").field(&self.text).finish()
    }
}

impl<T> std::fmt::Display for Expr<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl<T> Expr<T> {
    fn atom(text: String) -> Self {
        Expr {
            text,
            binding: Binding::Atom,
            _of: PhantomData,
        }
    }

    /// The expression's OData text (before percent-encoding).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The text, in parentheses when it binds less tightly than `at`.
    fn operand(self, at: Binding) -> String {
        if self.binding < at {
            format!("({})", self.text)
        } else {
            self.text
        }
    }

    fn join(self, op: &str, at: Binding, other: Expr<T>) -> Expr<T> {
        let text = format!("{} {op} {}", self.operand(at), other.operand(at));
        Expr {
            text,
            binding: at,
            _of: PhantomData,
        }
    }

    /// Both hold: `a and b`.
    pub fn and(self, other: impl Into<Expr<T>>) -> Expr<T> {
        self.join("and", Binding::And, other.into())
    }

    /// Either holds: `a or b`.
    pub fn or(self, other: impl Into<Expr<T>>) -> Expr<T> {
        self.join("or", Binding::Or, other.into())
    }
}

impl<T> From<&str> for Expr<T> {
    fn from(text: &str) -> Self {
        Expr::from(text.to_owned())
    }
}

impl<T> From<&String> for Expr<T> {
    fn from(text: &String) -> Self {
        Expr::from(text.clone())
    }
}

impl<T> From<String> for Expr<T> {
    fn from(text: String) -> Self {
        Expr {
            text,
            binding: Binding::Raw,
            _of: PhantomData,
        }
    }
}

impl<T, R: Into<Expr<T>>> std::ops::BitAnd<R> for Expr<T> {
    type Output = Expr<T>;
    fn bitand(self, other: R) -> Expr<T> {
        self.and(other)
    }
}

impl<T, R: Into<Expr<T>>> std::ops::BitOr<R> for Expr<T> {
    type Output = Expr<T>;
    fn bitor(self, other: R) -> Expr<T> {
        self.or(other)
    }
}

/// It does not hold: `!a` is `not(a)`.
impl<T> std::ops::Not for Expr<T> {
    type Output = Expr<T>;
    fn not(self) -> Expr<T> {
        Expr::atom(format!("not({})", self.text))
    }
}

/// A Rust value a property of type `V` can be compared with, written as
/// an OData literal.
pub trait Comparable<V> {
    /// Appends the literal.
    fn write_literal(self, out: &mut String);
}

impl Comparable<String> for &str {
    fn write_literal(self, out: &mut String) {
        push_quoted(out, self)
    }
}

impl Comparable<String> for String {
    fn write_literal(self, out: &mut String) {
        push_quoted(out, &self)
    }
}

impl Comparable<String> for &String {
    fn write_literal(self, out: &mut String) {
        push_quoted(out, self)
    }
}

/// An enum property takes a member of its enum, written quoted
/// (`status eq 'active'`).
impl<E: Member> Comparable<E> for E {
    fn write_literal(self, out: &mut String) {
        push_quoted(out, self.wire())
    }
}

/// Numbers and booleans are written bare. Each property type takes the
/// Rust types that convert to it without loss, so an unsuffixed literal
/// (`5`, `2.5`) fits.
macro_rules! comparable_numbers {
    ($($v:ty: $($n:ty),*;)*) => {$($(
        impl Comparable<$v> for $n {
            fn write_literal(self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*)*};
}

comparable_numbers! {
    bool: bool;
    u8: u8;
    i8: i8;
    i16: i8, u8, i16;
    i32: i8, u8, i16, u16, i32;
    f64: i32, u32, f32, f64;
}

macro_rules! comparable_wide_numbers {
    ($($v:ident: $($n:ty),*;)*) => {$(
        $(impl Comparable<$v> for $n {
            fn write_literal(self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        })*
        impl Comparable<$v> for $v {
            fn write_literal(self, out: &mut String) {
                let _ = write!(out, "{}", self.get());
            }
        }
    )*};
}

comparable_wide_numbers! {
    Int64: i32, u32, i64;
    Decimal: i32, i64, f64;
}

/// Dates, times and GUIDs are written bare (`createdDateTime ge
/// 2024-01-01T00:00:00Z`), durations and binary with their prefix; each
/// takes its scalar type or its text.
macro_rules! comparable_text {
    ($($v:ident $prefix:literal,)*) => {$(
        impl<S: Into<$v>> Comparable<$v> for S {
            fn write_literal(self, out: &mut String) {
                let v: $v = self.into();
                if $prefix.is_empty() {
                    out.push_str(v.as_str());
                } else {
                    out.push_str($prefix);
                    push_quoted(out, v.as_str());
                }
            }
        }
    )*};
}

comparable_text! {
    Guid "",
    DateTimeOffset "",
    Date "",
    TimeOfDay "",
    Duration "duration",
    Binary "binary",
}

/// The comparisons of a [`Path`], also on [`Field`] (which converts).
macro_rules! operand {
    ($($method:ident $op:literal,)*) => {
        impl<T, V> Path<T, V> {
            fn compare(self, op: &str, value: impl Comparable<V>) -> Expr<T> {
                let mut text = self.text;
                let _ = write!(text, " {op} ");
                value.write_literal(&mut text);
                Expr::atom(text)
            }

            $(
                #[doc = concat!("`path ", $op, " value`.")]
                pub fn $method(self, value: impl Comparable<V>) -> Expr<T> {
                    self.compare($op, value)
                }
            )*

            /// `path eq null`.
            pub fn is_null(self) -> Expr<T> {
                Expr::atom(format!("{} eq null", self.text))
            }

            /// `path ne null`.
            pub fn is_not_null(self) -> Expr<T> {
                Expr::atom(format!("{} ne null", self.text))
            }

            /// `path in (a,b,…)`.
            pub fn is_in<L: Comparable<V>>(self, values: impl IntoIterator<Item = L>) -> Expr<T> {
                let mut text = self.text;
                text.push_str(" in (");
                for (i, v) in values.into_iter().enumerate() {
                    if i > 0 {
                        text.push(',');
                    }
                    v.write_literal(&mut text);
                }
                text.push(')');
                Expr::atom(text)
            }

            /// This key, ascending.
            pub fn asc(self) -> OrderKey<T> {
                OrderKey { text: format!("{} asc", self.text), _of: PhantomData }
            }

            /// This key, descending.
            pub fn desc(self) -> OrderKey<T> {
                OrderKey { text: format!("{} desc", self.text), _of: PhantomData }
            }

            /// A property of this (complex) value: `address/city`.
            pub fn get<W>(self, field: Field<V, W>) -> Path<T, W> {
                Path { text: format!("{}/{}", self.text, field.name), depth: self.depth, _of: PhantomData }
            }
        }

        impl<T, V> Field<T, V> {
            $(
                #[doc = concat!("`field ", $op, " value`.")]
                pub fn $method(self, value: impl Comparable<V>) -> Expr<T> {
                    Path::from(self).$method(value)
                }
            )*

            /// `field eq null`.
            pub fn is_null(self) -> Expr<T> {
                Path::from(self).is_null()
            }

            /// `field ne null`.
            pub fn is_not_null(self) -> Expr<T> {
                Path::from(self).is_not_null()
            }

            /// `field in (a,b,…)`.
            pub fn is_in<L: Comparable<V>>(self, values: impl IntoIterator<Item = L>) -> Expr<T> {
                Path::from(self).is_in(values)
            }

            /// This key, ascending.
            pub fn asc(self) -> OrderKey<T> {
                Path::from(self).asc()
            }

            /// This key, descending.
            pub fn desc(self) -> OrderKey<T> {
                Path::from(self).desc()
            }

            /// A property of this (complex) property: `address/city`.
            pub fn get<W>(self, field: Field<V, W>) -> Path<T, W> {
                Path::from(self).get(field)
            }
        }
    };
}

operand! {
    eq "eq",
    ne "ne",
    gt "gt",
    ge "ge",
    lt "lt",
    le "le",
}

impl<T> Path<T, String> {
    fn call(self, function: &str, value: &str) -> Expr<T> {
        let mut text = format!("{function}({},", self.text);
        push_quoted(&mut text, value);
        text.push(')');
        Expr::atom(text)
    }

    /// `startswith(path,'prefix')`.
    pub fn starts_with(self, prefix: &str) -> Expr<T> {
        self.call("startswith", prefix)
    }

    /// `endswith(path,'suffix')` (Graph needs `$count=true` and
    /// `ConsistencyLevel: eventual` for it on directory objects).
    pub fn ends_with(self, suffix: &str) -> Expr<T> {
        self.call("endswith", suffix)
    }
}

impl<T> Field<T, String> {
    /// `startswith(field,'prefix')`.
    pub fn starts_with(self, prefix: &str) -> Expr<T> {
        Path::from(self).starts_with(prefix)
    }

    /// `endswith(field,'suffix')`.
    pub fn ends_with(self, suffix: &str) -> Expr<T> {
        Path::from(self).ends_with(suffix)
    }
}

impl<T, E> Path<T, Vec<E>> {
    fn lambda(self, op: &str, predicate: impl FnOnce(Path<E, E>) -> Expr<E>) -> Expr<T> {
        // `x`, then `x1`, `x2` … for lambdas inside lambdas.
        let var = match self.depth {
            0 => "x".to_owned(),
            d => format!("x{d}"),
        };
        let item = Path {
            text: var.clone(),
            depth: self.depth.saturating_add(1),
            _of: PhantomData,
        };
        let body = predicate(item);
        Expr::atom(format!("{}/{op}({var}:{})", self.text, body.text))
    }

    /// Some item matches: `path/any(x:…)`. The closure gets the item (a
    /// [`Path`]: compare it, or `get` its properties).
    pub fn any(self, predicate: impl FnOnce(Path<E, E>) -> Expr<E>) -> Expr<T> {
        self.lambda("any", predicate)
    }

    /// Every item matches: `path/all(x:…)`.
    pub fn all(self, predicate: impl FnOnce(Path<E, E>) -> Expr<E>) -> Expr<T> {
        self.lambda("all", predicate)
    }
}

impl<T, E> Field<T, Vec<E>> {
    /// Some item matches: `field/any(x:…)`.
    pub fn any(self, predicate: impl FnOnce(Path<E, E>) -> Expr<E>) -> Expr<T> {
        Path::from(self).any(predicate)
    }

    /// Every item matches: `field/all(x:…)`.
    pub fn all(self, predicate: impl FnOnce(Path<E, E>) -> Expr<E>) -> Expr<T> {
        Path::from(self).all(predicate)
    }
}
