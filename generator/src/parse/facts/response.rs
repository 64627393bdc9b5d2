//! The Response section: the documented success status and the response
//! type named in its prose, checked against the examples' status lines.

use super::{mention, paragraphs, sections, Spanned, TypeMention};
use crate::diagnostics::{Code, Diagnostic};
use crate::parse::page::{Page, SectionKind};
use crate::source::Span;

/// What the Response section's prose says.
pub(super) struct ResponseProse {
    /// "returns a `201 Created` response code".
    pub status: Option<Spanned<u16>>,
    /// "… and a collection of [user](user.md) objects".
    pub ty: Option<TypeMention>,
}

/// The first status and the first response type the section's paragraphs name.
pub(super) fn read(page: &Page, namespace: &str) -> ResponseProse {
    let (mut status, mut ty) = (None, None);
    for p in sections(page, SectionKind::Response).flat_map(paragraphs) {
        if status.is_none() {
            if let Some(c) = status_re().captures(&p.text) {
                if let Ok(n) = c[1].parse::<u16>() {
                    status = Some(Spanned {
                        value: n,
                        span: Span::new(page.file, p.span.clone()),
                    });
                }
            }
        }
        if ty.is_none() {
            ty = response_re()
                .captures(&p.text)
                .and_then(|c| mention(&c, p, page.file, namespace));
        }
    }
    ResponseProse { status, ty }
}

/// A `GET` whose every request line ends in a segment named in the plural
/// (no key, no function: `GET /teams/{id}/schedule/timeOffRequests`, not
/// `GET /me/presence`) and whose example response is a `value` array lists: its response is a collection of the
/// type the prose names, even where the prose says "the requested \[x\]
/// object" (a List page written from its Get page).
pub(super) fn listed_by_example(
    response: &mut ResponseProse,
    requests: &[super::http_request::RequestLine],
    examples: &[super::ExampleFact],
) {
    let Some(ty) = response.ty.as_mut().filter(|t| !t.collection) else {
        return;
    };
    let plural = |seg: &str| {
        let mut cs = seg.chars();
        cs.next().is_some_and(|c| c.is_ascii_alphabetic())
            && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
            && crate::plural::singular(seg).is_some()
    };
    let lists = !requests.is_empty()
        && requests.iter().all(|r| {
            r.method.eq_ignore_ascii_case("GET")
                && r.path
                    .template
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .is_some_and(plural)
        });
    let value_array = examples.iter().any(|e| {
        e.role == super::ExampleRole::Response
            && e.value
                .as_ref()
                .and_then(|v| v.get("value"))
                .is_some_and(|v| v.is_array())
    });
    if lists && value_array {
        ty.collection = true;
    }
}

/// The documented success status against the examples' status lines.
pub(super) fn check_status(response: &ResponseProse, example_statuses: &[(u16, Span)], diags: &mut Vec<Diagnostic>) {
    let Some(documented) = &response.status else { return };
    if !(200..300).contains(&documented.value) {
        return;
    }
    for (code, span) in example_statuses {
        if (200..300).contains(code) && *code != documented.value {
            diags.push(
                Diagnostic::warning(
                    Code::StatusMismatch,
                    span.clone(),
                    format!(
                        "example response has status {code}, the Response section documents {}",
                        documented.value
                    ),
                )
                .with_related(documented.span.clone(), "documented here")
                .with_help("make the example's status line and the Response section agree"),
            );
        }
    }
}

regex!(status_re, r"(?i)\b([1-5]\d\d) [A-Za-z][A-Za-z ]*?\s*response code");
regex!(
    response_re,
    r"(?i)response code and (?:an? |the )?(?:(?:updated|requested|created|new|restored|single|specified) )?(?P<coll>(?:collection|list) of (?:one or more |zero or more |one )?|all |new )?(?P<name>[A-Za-z_][\w.]*) (?P<tail>collection|objects?|resources?|entity|entities|items)\b"
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::page::Inline;
    use crate::source::FileId;

    #[test]
    fn status_and_response_type_sentences() {
        let c = status_re()
            .captures("returns a 201 Created response code and a x object")
            .unwrap();
        assert_eq!(&c[1], "201");
        let c = response_re()
            .captures("returns a 200 OK response code and a collection of user objects in")
            .unwrap();
        for (text, name, coll) in [
            (
                "response code and an updated user object in the response body",
                "user",
                false,
            ),
            (
                "response code and the requested offerShiftRequest objects in the response body",
                "offerShiftRequest",
                false,
            ),
            ("response code and a list of printer items", "printer", true),
            (
                "response code and a collection of one organization object in the response body",
                "organization",
                true,
            ),
            ("response code and a user collection in the response body", "user", true),
            (
                "response code and all openShift objects in the team in the response body",
                "openShift",
                true,
            ),
        ] {
            let c = response_re().captures(text).unwrap();
            assert_eq!(&c["name"], name, "{text}");
            let p = Inline {
                text: text.into(),
                ..Inline::default()
            };
            assert_eq!(
                mention(&c, &p, FileId(0), "microsoft.graph").map(|m| m.collection),
                Some(coll),
                "{text}"
            );
        }
        assert!(response_re()
            .captures("response code and a Location header with a URI")
            .is_none());
        // Not a type `a`: "a collection of user and/or group objects".
        let text = "response code and a collection of user and/or group objects";
        let p = Inline {
            text: text.into(),
            ..Inline::default()
        };
        assert!(response_re()
            .captures(text)
            .and_then(|c| mention(&c, &p, FileId(0), "microsoft.graph"))
            .is_none());
        assert_eq!(&c["name"], "user");
    }

    #[test]
    fn a_primitive_named_in_prose_is_a_primitive() {
        let text = "response code and a String collection in the response body";
        let p = Inline {
            text: text.into(),
            ..Inline::default()
        };
        let m = response_re()
            .captures(text)
            .and_then(|c| mention(&c, &p, FileId(0), "microsoft.graph"));
        assert_eq!(m.and_then(|m| m.primitive), Some(crate::ir::Primitive::String));
    }
}
