//! OData literals for function arguments in paths (`cell(row=2,column=5)`,
//! `range(address='A1:B2')`).

use std::borrow::Cow;
use std::fmt;

/// The inside of an OData string literal: `'` doubled.
pub(super) fn escaped(s: &str) -> Cow<'_, str> {
    if s.contains('\'') {
        Cow::Owned(s.replace('\'', "''"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Appends `s` as an OData string literal: between single quotes, `'`
/// doubled. The one place string literals are quoted (paths and `$filter`).
pub(super) fn push_quoted(out: &mut String, s: &str) {
    out.push('\'');
    out.push_str(&escaped(s));
    out.push('\'');
}

/// A value written the way OData writes it in a URL: numbers and booleans
/// bare, strings in single quotes with `'` doubled. Enum members, dates and
/// GUIDs that an API takes unquoted go through [`Literal::raw`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Literal(String);

impl Literal {
    /// A string literal: `O'Brien` → `'O''Brien'`.
    pub fn string(s: &str) -> Self {
        let mut out = String::with_capacity(s.len() + 2);
        push_quoted(&mut out, s);
        Literal(out)
    }

    /// Text written as is (then percent-encoded like every value).
    pub fn raw(text: impl Into<String>) -> Self {
        Literal(text.into())
    }

    /// The literal's OData text, before percent-encoding.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Literal {
    fn from(s: &str) -> Self {
        Literal::string(s)
    }
}

impl From<String> for Literal {
    fn from(s: String) -> Self {
        Literal::string(&s)
    }
}

impl From<bool> for Literal {
    fn from(b: bool) -> Self {
        Literal(b.to_string())
    }
}

macro_rules! numeric_literal {
    ($($t:ty),*) => {$(
        impl From<$t> for Literal {
            fn from(n: $t) -> Self {
                Literal(n.to_string())
            }
        }
    )*};
}

numeric_literal!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_quoted_and_escaped() {
        assert_eq!(Literal::from("O'Brien").as_str(), "'O''Brien'");
        assert_eq!(Literal::from(42_i32).as_str(), "42");
        assert_eq!(Literal::from(true).as_str(), "true");
        assert_eq!(Literal::raw("2017-06-05").as_str(), "2017-06-05");
    }
}
