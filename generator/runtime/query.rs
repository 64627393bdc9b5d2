//! Query options and headers of a call. The OData system query options an
//! operation's page documents are typed setters, added by the marker traits
//! below, which the generated operations implement per their docs.

use super::call::{Call, Operation};
use super::selectors::{ExpandList, Expr, OrderList, QueryItem, SelectList};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// Characters encoded in a query value: what would end or split the value
/// (`& # + %`, space), what is not allowed in a URL, and all non-ASCII.
/// OData's own punctuation (`$ ' ( ) , / : = @`) stays readable.
const VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b'<')
    .add(b'>')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Query parameters in the order they were set; a name set twice keeps its
/// first place and its last value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Sets `name` (replacing an earlier value).
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let (name, value) = (name.into(), value.into());
        match self.pairs.iter_mut().find(|(n, _)| *n == name) {
            Some(pair) => pair.1 = value,
            None => self.pairs.push((name, value)),
        }
    }

    /// Adds `name=value` (a name may repeat).
    pub fn push(&mut self, name: String, value: String) {
        self.pairs.push((name, value));
    }

    /// The value of `name`, unencoded.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Name and unencoded value of every parameter.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Appends `?a=b&c=d`, encoded, to `out` (nothing when empty).
    pub fn write_to(&self, out: &mut String) {
        for (i, (name, value)) in self.pairs.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.extend(utf8_percent_encode(name, VALUE));
            out.push('=');
            out.extend(utf8_percent_encode(value, VALUE));
        }
    }
}

/// Request headers of a call; names compare case-insensitively.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headers {
    pairs: Vec<(String, String)>,
}

impl Headers {
    /// Sets `name`, replacing a value set before under any case.
    pub fn set(&mut self, name: String, value: String) {
        match self.pairs.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(&name)) {
            Some(pair) => *pair = (name, value),
            None => self.pairs.push((name, value)),
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
}

macro_rules! query_option {
    (@trait $(#[$doc:meta])* $trait_:ident) => {
        $(#[$doc])*
        ///
        /// Implemented by the operations whose page documents the option.
        pub trait $trait_: Operation {}
    };
    // The options that name properties of the operation's `QueryItem`.
    ($(#[$doc:meta])* $trait_:ident, $param:literal, fn $method:ident($arg:ident: impl $list:ident) $(#[$mdoc:meta])*) => {
        query_option!(@trait $(#[$doc])* $trait_);

        impl<O: $trait_ + QueryItem> Call<O> {
            #[doc = concat!("Sets `", $param, "`.")]
            ///
            $(#[$mdoc])*
            pub fn $method(mut self, $arg: impl $list<O::Item>) -> Self {
                let mut value = String::new();
                $arg.write_to(&mut value);
                self.query.set($param, value);
                self
            }
        }
    };
    ($(#[$doc:meta])* $trait_:ident, $param:literal, fn $method:ident($($arg:ident : $ty:ty),*) $value:expr) => {
        query_option!(@trait $(#[$doc])* $trait_);

        impl<O: $trait_> Call<O> {
            #[doc = concat!("Sets `", $param, "`.")]
            pub fn $method(mut self, $($arg: $ty),*) -> Self {
                self.query.set($param, $value);
                self
            }
        }
    };
}

query_option!(
    /// `$select`: the properties to return.
    Select, "$select", fn select(fields: impl SelectList)
    /// Takes the item type's field constants (`User::DISPLAY_NAME`), raw
    /// text, or an array, `Vec` or tuple of them: `.select((User::ID, User::MAIL))`.
);
query_option!(
    /// `$expand`: the relationships to return inline (`members($select=id)`).
    Expand, "$expand", fn expand(relationships: impl ExpandList)
    /// Takes the item type's navigation constants (`User::MANAGER`), with
    /// nested options (`User::MANAGER.select(DirectoryObject::ID)`), raw
    /// text, or an array, `Vec` or tuple of them.
);
query_option!(
    /// `$orderby`: sort keys, each optionally followed by ` desc`.
    OrderBy, "$orderby", fn order_by(keys: impl OrderList)
    /// Takes field constants (ascending), `.desc()` or `.asc()` keys, raw
    /// text, or an array, `Vec` or tuple of them.
);

/// `$filter`: an OData filter expression (`startswith(displayName,'a')`).
///
/// Implemented by the operations whose page documents the option.
pub trait Filter: Operation {}

impl<O: Filter + QueryItem> Call<O> {
    /// Sets `$filter`: a typed expression over the item type's fields
    /// (`User::DISPLAY_NAME.starts_with("A") & User::ACCOUNT_ENABLED.eq(true)`)
    /// or raw text.
    pub fn filter(mut self, expression: impl Into<Expr<O::Item>>) -> Self {
        self.query.set("$filter", expression.into().as_str());
        self
    }
}
query_option!(
    /// `$search`: Graph expects the value in double quotes (`"displayName:room"`).
    Search, "$search", fn search(expression: impl Into<String>) expression.into()
);
query_option!(
    /// `$top`: the page size.
    Top, "$top", fn top(n: u32) n.to_string()
);
query_option!(
    /// `$skip`: how many items to skip.
    Skip, "$skip", fn skip(n: u32) n.to_string()
);
query_option!(
    /// `$count`: include `@odata.count` (some APIs also need `ConsistencyLevel: eventual`).
    Count, "$count", fn count(include: bool) include.to_string()
);
query_option!(
    /// `$skipToken`: a paging token.
    SkipToken, "$skipToken", fn skip_token(token: impl Into<String>) token.into()
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_encoded_but_odata_punctuation_stays() {
        let mut q = Query::default();
        q.set("$filter", "startswith(displayName,'a b') and x eq 'c&d#e+f%'");
        q.set("$select", "id,displayName");
        q.set("$filter", "id eq 'é'");
        let mut out = String::new();
        q.write_to(&mut out);
        assert_eq!(out, "?$filter=id%20eq%20'%C3%A9'&$select=id,displayName");
        let mut q = Query::default();
        q.set("$filter", "a b&c#d+e%f");
        let mut out = String::new();
        q.write_to(&mut out);
        assert_eq!(out, "?$filter=a%20b%26c%23d%2Be%25f");
    }

    #[test]
    fn headers_compare_names_without_case() {
        let mut h = Headers::default();
        h.set("ConsistencyLevel".into(), "eventual".into());
        h.set("consistencylevel".into(), "x".into());
        assert_eq!(h.iter().count(), 1);
        assert_eq!(h.get("CONSISTENCYLEVEL"), Some("x"));
    }
}
