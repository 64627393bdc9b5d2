//! Parse: page bytes → page model (pass 1, shape with spans) → page facts
//! (pass 2, Graph semantics). Markdown quirks and doc wording are read here and
//! nowhere else: later layers get facts.

pub mod annotation;
pub mod description;
pub mod exchanges;
pub mod facts;
pub mod front_matter;
pub mod http;
pub mod json;
pub mod markdown;
pub mod operation;
pub mod page;
pub mod placeholder;
pub mod prefilter;
pub mod text;
pub mod type_expr;

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, SourceDb, Span};
pub use facts::PageFacts;
pub use page::{Format, Page};

/// `body.split_inclusive('\n')`, the line ends found by `memchr`: every
/// line of every page is looked at (front matter, delimiter rows).
pub(crate) fn lines(body: &str) -> impl Iterator<Item = &str> {
    let ends = memchr::memchr_iter(b'\n', body.as_bytes()).map(|i| i + 1);
    let last = (!body.is_empty() && !body.ends_with('\n')).then_some(body.len());
    ends.chain(last).scan(0, move |start, end| {
        let line = body.get(*start..end);
        *start = end;
        line
    })
}

/// Pass 1: the page's shape. The format is detected from the content.
pub fn parse_page(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> Page {
    let (front_matter, body_start) = front_matter::split(file, text, diags);
    if front_matter.is_none() && text::looks_rendered(text) {
        return Page {
            file,
            format: Format::RenderedText,
            front_matter,
            title: None,
            sections: text::parse(file, text, diags),
        };
    }
    let (title, sections) = markdown::parse(file, text, body_start, diags);
    Page {
        file,
        format: Format::Markdown,
        front_matter,
        title,
        sections,
    }
}

/// Both passes over one page of `db` (which also holds its include files).
pub fn page_facts(db: &SourceDb, file: FileId) -> (Page, PageFacts, Vec<Diagnostic>) {
    let source = db.file(file);
    let mut diags = Vec::new();
    if source.lossy_utf8 {
        diags.push(Diagnostic::warning(
            Code::InvalidUtf8,
            Span::new(file, 0..0),
            "page is not valid UTF-8; invalid bytes were replaced with U+FFFD",
        ));
    }
    let page = parse_page(file, &source.text, &mut diags);
    let facts = facts::extract(&page, db, &mut diags);
    let has_body = page
        .sections
        .iter()
        .any(|s| s.heading.is_some() || !s.blocks.is_empty());
    if page.format == Format::Markdown && page.title.is_none() && has_body {
        diags.push(
            Diagnostic::warning(
                Code::MissingTitle,
                Span::new(file, 0..0),
                "page has no `# title` heading",
            )
            .with_help("start the body with `# <operation>` or `# <type> resource type`"),
        );
    }
    if facts.types.is_empty() && facts.endpoints.is_empty() {
        let conceptual = page
            .front_matter
            .as_ref()
            .and_then(|f| f.doc_type.as_deref())
            .is_some_and(|d| d.to_ascii_lowercase().starts_with("conceptual"));
        if !conceptual {
            let span = page.title.as_ref().map_or(0..0, |t| t.span.clone());
            diags.push(
                Diagnostic::note(Code::NoFacts, Span::new(file, span), "page yields no type and no endpoint")
                    .with_help("a resource page needs a `# x resource type` title and a Properties table; an API page needs an HTTP request block"),
            );
        }
    }
    (page, facts, diags)
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// [`super::lines`] is `split_inclusive('\n')`.
        #[test]
        fn lines_split_inclusive(body in "[a\n|é]{0,12}") {
            let by_std: Vec<&str> = body.split_inclusive('\n').collect();
            proptest::prop_assert_eq!(super::lines(&body).collect::<Vec<_>>(), by_std);
        }
    }
}
