//! Paging and delta rounds, sans-IO: a page's `@odata.nextLink` (or a delta
//! round's `@odata.deltaLink`) becomes the next [`Call`] of the same
//! operation, with the same headers (a `Prefer: odata.maxpagesize=N` set by
//! [`Call::max_page_size`] included), whatever client sends it. A delta
//! page's items are changes or removals ([`Collection::delta_items`],
//! [`Removed`]).
//!
//! ```
//! use generated::runtime::{next_call, BaseUrl, Call, NoBody, Operation};
//! use generated::{Collection, Endpoint, Method};
//!
//! struct ListThings;
//! impl Operation for ListThings {
//!     type Body = NoBody;
//!     type Output = Collection<serde_json::Value>;
//!     const ENDPOINT: &'static Endpoint = &Endpoint {
//!         name: "List things", method: Method::Get, path: "/things", parameters: &[],
//!         request_type: None, response_type: None, success_status: Some(200), permissions: &[],
//!     };
//! }
//!
//! let first: Call<ListThings> = Call::from_parts("/things".into(), NoBody).header("ConsistencyLevel", "eventual");
//! let page: Collection<serde_json::Value> = serde_json::from_str(
//!     r#"{"value": [1, 2], "@odata.nextLink": "https://graph.microsoft.com/v1.0/things?$skiptoken=X%27Y"}"#,
//! ).unwrap();
//! let second = next_call(&first, &page).unwrap();
//! let request = second.to_request(&BaseUrl::default()).unwrap();
//! // The link is used as the service wrote it, never re-encoded.
//! assert_eq!(request.uri(), "https://graph.microsoft.com/v1.0/things?$skiptoken=X%27Y");
//! assert_eq!(request.headers()["consistencylevel"], "eventual");
//! ```

use super::call::{BaseUrl, Call, Operation};
use super::query::Query;
use crate::support::Collection;
use serde::Serialize;

/// A response that may link to more of it: [`Collection`] (and untyped
/// JSON, read the same way).
pub trait Paged {
    /// `@odata.nextLink`: the next page of the same request.
    fn next_link(&self) -> Option<&str>;
    /// `@odata.deltaLink`: the start of the next delta round (on the last
    /// page of a delta query).
    fn delta_link(&self) -> Option<&str>;
}

impl<T> Paged for Collection<T> {
    fn next_link(&self) -> Option<&str> {
        self.odata_next_link.as_deref().filter(|l| !l.trim().is_empty())
    }
    fn delta_link(&self) -> Option<&str> {
        self.odata_delta_link.as_deref().filter(|l| !l.trim().is_empty())
    }
}

impl Paged for serde_json::Value {
    fn next_link(&self) -> Option<&str> {
        self.get("@odata.nextLink")
            .and_then(serde_json::Value::as_str)
            .filter(|l| !l.trim().is_empty())
    }
    fn delta_link(&self) -> Option<&str> {
        self.get("@odata.deltaLink")
            .and_then(serde_json::Value::as_str)
            .filter(|l| !l.trim().is_empty())
    }
}

impl<O: Operation> Call<O>
where
    O::Body: Clone,
{
    /// The call that fetches `link`, a URL the service returned (a next or
    /// delta link): the same operation, headers and body, the link's own
    /// query (the call's query options are already in it), never
    /// re-encoded. An absolute link is sent as is; one starting with `/` is
    /// taken relative to the [`BaseUrl`].
    pub fn follow(&self, link: &str) -> Call<O> {
        Call {
            path: link.trim().to_owned(),
            query: Query::default(),
            headers: self.headers.clone(),
            body: self.body.clone(),
        }
    }
}

impl<O: Operation> Call<O> {
    /// Asks for pages of at most `n` items: `Prefer: odata.maxpagesize=n`,
    /// added to the other preferences of a `Prefer` header set before
    /// (replacing an earlier page size). The next-page and delta calls
    /// ([`Call::follow`]) carry it to every page, as Graph requires.
    pub fn max_page_size(self, n: u32) -> Self {
        let mut prefs: Vec<String> = self
            .headers
            .get("prefer")
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty() && !p.to_ascii_lowercase().starts_with("odata.maxpagesize"))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        prefs.push(format!("odata.maxpagesize={n}"));
        self.header("Prefer", prefs.join(", "))
    }
}

/// An item a delta round reports as removed: `{"id": "…", "@removed":
/// {"reason": "changed" | "deleted"}}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Removed {
    /// The item's `id`, if it has one.
    pub id: Option<String>,
    /// `deleted`: gone for good; `changed`: deleted softly or out of the
    /// query's scope (it may come back); as the service wrote it.
    pub reason: Option<String>,
}

impl Removed {
    /// The removal an item (as JSON) reports, if it carries `@removed`.
    pub fn of_json(item: &serde_json::Value) -> Option<Removed> {
        let removed = item.get("@removed")?;
        let text = |v: Option<&serde_json::Value>| v.and_then(serde_json::Value::as_str).map(str::to_owned);
        Some(Removed {
            id: text(item.get("id")),
            reason: text(removed.get("reason")),
        })
    }

    /// Whether the item is gone for good (`reason` `deleted`).
    pub fn is_deleted(&self) -> bool {
        self.reason
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case("deleted"))
    }
}

/// One item of a delta page: added or changed (the members that changed),
/// or removed.
#[derive(Clone, Debug, PartialEq)]
pub enum DeltaItem<'a, T> {
    Changed(&'a T),
    Removed(&'a T, Removed),
}

impl<T: Serialize> Collection<T> {
    /// The page's items as a delta round reports them: each one changed, or
    /// removed (it carries `@removed`, kept among a model's undeclared
    /// members). The round's end is [`Paged::delta_link`].
    pub fn delta_items(&self) -> Vec<DeltaItem<'_, T>> {
        self.value
            .iter()
            .map(
                |item| match serde_json::to_value(item).ok().as_ref().and_then(Removed::of_json) {
                    Some(r) => DeltaItem::Removed(item, r),
                    None => DeltaItem::Changed(item),
                },
            )
            .collect()
    }

    /// The removals of the page only.
    pub fn removed(&self) -> Vec<Removed> {
        self.delta_items()
            .into_iter()
            .filter_map(|i| match i {
                DeltaItem::Removed(_, r) => Some(r),
                DeltaItem::Changed(_) => None,
            })
            .collect()
    }
}

/// The call for the page after `page`, which answered `call`; `None` on the
/// last page.
pub fn next_call<O>(call: &Call<O>, page: &O::Output) -> Option<Call<O>>
where
    O: Operation,
    O::Body: Clone,
    O::Output: Paged,
{
    page.next_link().map(|l| call.follow(l))
}

/// The call that starts the next delta round after `page`, the last page of
/// a delta query; `None` when the page has no delta link.
pub fn delta_call<O>(call: &Call<O>, page: &O::Output) -> Option<Call<O>>
where
    O: Operation,
    O::Body: Clone,
    O::Output: Paged,
{
    page.delta_link().map(|l| call.follow(l))
}

/// Whether `link` points at `base`'s scheme, host and port (a relative link
/// does). A client sends its bearer token only there: a next link to
/// another origin is refused, never followed with credentials.
pub fn same_origin(base: &BaseUrl, link: &str) -> bool {
    let link = link.trim();
    if link.starts_with('/') && !link.starts_with("//") {
        return true;
    }
    match (origin(base.as_str()), origin(link)) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(&b),
        _ => false,
    }
}

/// `scheme://authority` of an absolute http(s) URL, with the default port
/// made explicit.
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => "443",
        "http" => "80",
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let with_port = match authority.rsplit_once(':') {
        Some((_, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => authority.to_owned(),
        _ => format!("{authority}:{default_port}"),
    };
    Some(format!("{scheme}://{with_port}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::NoBody;
    use crate::support::{Endpoint, Method};

    struct List;
    impl Operation for List {
        type Body = NoBody;
        type Output = Collection<serde_json::Value>;
        const ENDPOINT: &'static Endpoint = &Endpoint {
            name: "List",
            method: Method::Get,
            path: "/users",
            parameters: &[],
            request_type: None,
            response_type: None,
            success_status: Some(200),
            permissions: &[],
        };
    }

    fn page(json: &str) -> Collection<serde_json::Value> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn next_link_becomes_the_next_call_with_the_same_headers() {
        let first = Call::<List>::from_parts("/users".into(), NoBody)
            .query_param("$top", "2")
            .header("ConsistencyLevel", "eventual");
        let p = page(
            r#"{"value": [], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$top=2&$skiptoken=a%2Bb"}"#,
        );
        let next = next_call(&first, &p).unwrap();
        assert!(next.query().is_empty());
        let r = next.to_request(&BaseUrl::default()).unwrap();
        assert_eq!(
            r.uri(),
            "https://graph.microsoft.com/v1.0/users?$top=2&$skiptoken=a%2Bb"
        );
        assert_eq!(r.headers()["consistencylevel"], "eventual");
        assert!(delta_call(&first, &p).is_none());
    }

    #[test]
    fn last_page_has_no_next_call_and_a_delta_link_starts_the_next_round() {
        let first = Call::<List>::from_parts("/users/delta".into(), NoBody);
        let last =
            page(r#"{"value": [], "@odata.deltaLink": "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=Z"}"#);
        assert!(next_call(&first, &last).is_none());
        let round = delta_call(&first, &last).unwrap();
        assert_eq!(
            round.path(),
            "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=Z"
        );
        assert!(next_call(&first, &page(r#"{"value": [], "@odata.nextLink": "  "}"#)).is_none());
    }

    #[test]
    fn a_relative_link_goes_under_the_base_url() {
        let first = Call::<List>::from_parts("/users".into(), NoBody);
        let next = first.follow("/users?$skiptoken=1");
        let base = BaseUrl::new("http://127.0.0.1:8080", "v1.0");
        assert_eq!(
            next.to_request(&base).unwrap().uri(),
            "http://127.0.0.1:8080/v1.0/users?$skiptoken=1"
        );
    }

    #[test]
    fn the_page_size_preference_goes_to_every_page() {
        let first = Call::<List>::from_parts("/users/delta".into(), NoBody)
            .header("Prefer", "return=minimal, odata.maxpagesize=5")
            .max_page_size(2);
        assert_eq!(
            first.headers().get("prefer"),
            Some("return=minimal, odata.maxpagesize=2")
        );
        let p1 =
            page(r#"{"value": [], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users/delta?$skiptoken=a"}"#);
        let second = next_call(&first, &p1).unwrap();
        let p2 =
            page(r#"{"value": [], "@odata.deltaLink": "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=b"}"#);
        assert!(next_call(&second, &p2).is_none());
        let round = delta_call(&second, &p2).unwrap();
        for call in [&first, &second, &round] {
            let r = call.to_request(&BaseUrl::default()).unwrap();
            assert_eq!(
                r.headers()["prefer"],
                "return=minimal, odata.maxpagesize=2",
                "{}",
                r.uri()
            );
        }
        let only = Call::<List>::from_parts("/users".into(), NoBody).max_page_size(999);
        assert_eq!(only.headers().get("prefer"), Some("odata.maxpagesize=999"));
    }

    #[test]
    fn a_delta_page_tells_removed_items_and_ends_with_the_delta_link() {
        // As api/directoryrole-delta.md writes the last page of a round.
        let last = page(
            r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryRoles",
                "@odata.deltaLink": "https://graph.microsoft.com/v1.0/directoryRoles/delta?$deltatoken=T",
                "value": [
                  {"id": "a", "displayName": "Helpdesk"},
                  {"id": "b", "@removed": {"reason": "deleted"}},
                  {"id": "c", "@removed": {"reason": "changed"}},
                  {"@removed": 7}
                ]}"#,
        );
        let items = last.delta_items();
        assert!(matches!(items[0], DeltaItem::Changed(v) if v["displayName"] == "Helpdesk"));
        let removed = last.removed();
        assert_eq!(removed.len(), 3);
        assert_eq!(removed[0].id.as_deref(), Some("b"));
        assert!(removed[0].is_deleted());
        assert_eq!(removed[1].reason.as_deref(), Some("changed"));
        assert!(!removed[1].is_deleted());
        assert_eq!(
            removed[2],
            Removed::default(),
            "a malformed annotation still reads as removed"
        );
        assert_eq!(
            last.delta_link(),
            Some("https://graph.microsoft.com/v1.0/directoryRoles/delta?$deltatoken=T")
        );
        assert!(last.next_link().is_none());
    }

    #[test]
    fn untyped_json_pages_read_the_same_links() {
        let v: serde_json::Value =
            serde_json::from_str(r#"{"@odata.nextLink": "https://x/y", "@odata.deltaLink": 3}"#).unwrap();
        assert_eq!(v.next_link(), Some("https://x/y"));
        assert_eq!(v.delta_link(), None);
    }

    #[test]
    fn origins() {
        let base = BaseUrl::default();
        assert!(same_origin(
            &base,
            "https://graph.microsoft.com/v1.0/users?$skiptoken=1"
        ));
        assert!(same_origin(&base, "https://GRAPH.microsoft.com:443/beta/users"));
        assert!(same_origin(&base, "/users?$skiptoken=1"));
        assert!(!same_origin(&base, "//evil.example/users"));
        assert!(!same_origin(
            &base,
            "https://graph.microsoft.com.evil.example/v1.0/users"
        ));
        assert!(!same_origin(&base, "https://user@graph.microsoft.com/v1.0/users"));
        assert!(!same_origin(&base, "http://graph.microsoft.com/v1.0/users"));
        assert!(!same_origin(&base, "javascript:alert(1)"));
        let local = BaseUrl::new("http://127.0.0.1:4000", "v1.0");
        assert!(same_origin(&local, "http://127.0.0.1:4000/v1.0/users"));
        assert!(!same_origin(&local, "http://127.0.0.1:4001/v1.0/users"));
    }
}
