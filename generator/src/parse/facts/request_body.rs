//! The Request body section: the request type its prose names, the
//! properties its tables list, and example bodies where it says to send none.

use super::properties::property_rows;
use super::{
    mention, paragraphs, sections, tables, ExampleFact, ExampleRole, Spanned, TypeFact, TypeKindHint, TypeMention,
};
use crate::diagnostics::{Code, Diagnostic};
use crate::parse::page::{Page, SectionKind};
use crate::source::Span;

/// "supply a JSON representation of the [user](user.md) object".
pub(super) fn request_type(page: &Page, namespace: &str) -> Option<TypeMention> {
    sections(page, SectionKind::RequestBody)
        .flat_map(paragraphs)
        .find_map(|p| mention(&request_re().captures(&p.text)?, p, page.file, namespace))
}

/// A request example with a body where the page says to send none.
pub(super) fn check_no_body(page: &Page, request_bodies: &[Span], diags: &mut Vec<Diagnostic>) {
    let no_body = sections(page, SectionKind::RequestBody).flat_map(paragraphs).find(|p| {
        let l = p.text.to_ascii_lowercase();
        l.contains("not supply a request body")
            || l.contains("don't supply a request body")
            || l.contains("don\u{2019}t supply a request body")
    });
    if let (Some(p), Some(body)) = (no_body, request_bodies.first()) {
        diags.push(
            Diagnostic::warning(
                Code::UnexpectedRequestBody,
                body.clone(),
                "example request has a body, but the page says to send none",
            )
            .with_related(
                Span::new(page.file, p.span.clone()),
                "documented without a request body",
            )
            .with_help("drop the body from the example, or document the request body"),
        );
    }
}

/// Property tables of the request body describe the request type: the one
/// the prose names, else the `@odata.type` of the example request.
pub(super) fn body_types(
    page: &Page,
    namespace: &str,
    request_type: Option<&TypeMention>,
    examples: &[ExampleFact],
    diags: &mut Vec<Diagnostic>,
) -> Vec<TypeFact> {
    let body_type = request_type.map(|m| m.name.clone()).or_else(|| {
        examples
            .iter()
            .find(|e| e.role == ExampleRole::Request)
            .and_then(|e| e.type_name.clone())
    });
    let mut out = Vec::new();
    for s in sections(page, SectionKind::RequestBody) {
        for t in tables(s) {
            let Some(owner) = &body_type else { continue };
            if t.column(|c| c == "property").is_none() {
                continue; // action parameters, not properties of a type
            }
            let props = property_rows(page.file, namespace, t, false, diags);
            if !props.is_empty() {
                let name = Spanned {
                    value: owner.clone(),
                    span: Span::new(page.file, t.span.clone()),
                };
                out.push(TypeFact {
                    properties: props,
                    ..TypeFact::named(name, TypeKindHint::Unknown)
                });
            }
        }
    }
    out
}

regex!(
    request_re,
    r"(?i)JSON representation (?:of|for) (?:the |an? )?(?P<coll>collection of )?(?P<name>[A-Za-z_][\w.]*) (?:object|resource|entity)"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_type_sentence() {
        assert!(request_re().is_match("supply a JSON representation for the deviceConfigurationDeviceStatus object."));
    }
}
