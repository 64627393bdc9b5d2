//! Resource pages: the type the `# x resource type` title (or the `resource`
//! annotation) names, with its Properties and Relationships tables, its
//! Members table, its base type and its key.

use super::enum_members::{flags_table, member_rows};
use super::properties::property_rows;
use super::{json_representation, paragraphs, sections, tables, PropertyFact, Spanned, TypeFact, TypeKindHint};
use crate::diagnostics::Diagnostic;
use crate::parse::page::{Annotation, Block, CodeBlock, Page, SectionKind};
use crate::parse::type_expr::{self, TypeExpr};
use crate::source::{FileId, Span};
use std::ops::Range;

/// The type a resource page defines. A titled resource page defines its type
/// even when it lists no properties (abstract bases, empty tables).
pub(super) fn resource_type(page: &Page, namespace: &str, diags: &mut Vec<Diagnostic>) -> Option<TypeFact> {
    let file = page.file;
    let name = title_type(page)?;
    let mut properties = Vec::new();
    for s in sections(page, SectionKind::Properties) {
        for t in tables(s) {
            properties.extend(property_rows(file, namespace, t, false, diags));
        }
    }
    for s in sections(page, SectionKind::Relationships) {
        for t in tables(s) {
            properties.extend(property_rows(file, namespace, t, true, diags));
        }
    }
    let mut members = Vec::new();
    let mut flags = false;
    for s in sections(page, SectionKind::Members) {
        members.extend(member_rows(file, s, diags));
        flags |= flags_table(s);
    }
    let flags = flags && !members.is_empty();
    let resource = resource_annotation(page, &name.value);
    let mut kind = if !members.is_empty() {
        TypeKindHint::Enum
    } else {
        TypeKindHint::Unknown
    };
    if resource.is_some_and(|(a, _)| a.key_property.is_some()) {
        kind = TypeKindHint::Entity;
    }
    let base = resource
        .and_then(|(a, _)| a.base_type.clone().map(|b| (b, a.span.clone())))
        .or_else(|| inherits_sentence(page))
        .map(|(b, r)| Spanned {
            value: b,
            span: Span::new(file, r),
        });
    if let Some((annotation, code)) = resource {
        key_property(file, annotation, &mut properties);
        json_representation::unlisted_properties(file, code, &mut properties);
    }
    let derived = derived_types(page, &name.value);
    Some(TypeFact {
        base,
        properties,
        members,
        open: resource.is_some_and(|(a, _)| a.open_type),
        from_title: true,
        derived,
        key: resource.and_then(|(a, _)| a.key_property.clone()),
        is_abstract: resource.is_some_and(|(a, _)| a.is_abstract),
        flags,
        ..TypeFact::named(name, kind)
    })
}

/// The type the title names. The annotation's `@odata.type` spells the name
/// as the API does (`list` where the title says `List resource`). A title
/// that drops a prefix the API keeps (`ChartAxes resource type` for
/// `microsoft.graph.workbookChartAxes`) also yields to the annotation.
/// `System facet` is `systemFacet` too: the title's words run together.
/// An H1 that names another type than the front matter's title and the
/// annotation both name (`# chatMessagePolicyTip` on the page of
/// `chatMessagePolicyViolationPolicyTip`) yields to those two.
fn title_type(page: &Page) -> Option<Spanned<String>> {
    let file = page.file;
    let title_type = page
        .title
        .as_ref()
        .and_then(|t| resource_title_re().captures(&t.text).map(|c| (c, t)))
        .map(|(c, t)| Spanned {
            value: c[1].to_owned(),
            span: Span::new(file, t.span.clone()),
        });
    let compact_title: String = page
        .title
        .as_ref()
        .map(|t| t.text.split_whitespace().collect::<String>().to_ascii_lowercase())
        .unwrap_or_default();
    let front_matter_type: Option<String> = page
        .front_matter
        .as_ref()
        .and_then(|f| f.title.as_deref())
        .and_then(|t| {
            resource_title_re()
                .captures(t.trim())
                .map(|c| c[1].to_ascii_lowercase())
        });
    title_type
        .map(|mut n| {
            let annotated = annotated_types(page).find(|short| {
                let (sl, nl) = (short.to_ascii_lowercase(), n.value.to_ascii_lowercase());
                sl == nl
                    || sl.ends_with(&nl)
                    || sl == compact_title
                    || front_matter_type.as_deref() == Some(sl.as_str())
            });
            if let Some(short) = annotated {
                n.value = short.to_owned();
            }
            n
        })
        .or_else(|| annotation_only_type(page, file))
}

/// `keyProperty` names a property even when no table lists it.
fn key_property(file: FileId, annotation: &Annotation, properties: &mut Vec<PropertyFact>) {
    let Some(kp) = annotation.key_property.clone() else {
        return;
    };
    if !type_expr::is_type_name(&kp) || properties.iter().any(|p| p.name.value == kp) {
        return;
    }
    let span = Span::new(file, annotation.span.clone());
    properties.insert(
        0,
        PropertyFact {
            name: Spanned {
                value: kp,
                span: span.clone(),
            },
            ty: Spanned {
                value: TypeExpr::Primitive(crate::ir::Primitive::String),
                span,
            },
            description: None,
            read_only: false,
            nullable: None,
            possible_values: Vec::new(),
            multi_valued: false,
            inherited_from: None,
            values_section: false,
            navigation: false,
            inferred: true,
            ty_link: None,
        },
    );
}

/// Type names (unqualified) of the page's `resource` annotations.
fn annotated_types(page: &Page) -> impl Iterator<Item = &str> {
    page.sections.iter().flat_map(|s| &s.blocks).filter_map(|b| match b {
        Block::Code(c) => {
            let a = c.annotation.as_ref().filter(|a| a.block_type == "resource")?;
            let t = a.odata_type.as_deref()?;
            let short = t.rsplit('.').next().unwrap_or(t).trim_start_matches('#');
            type_expr::is_type_name(short).then_some(short)
        }
        _ => None,
    })
}

/// A resource page whose title is prose (`Configuring the invitation
/// message`) or a bare name (`insightIdentity`): with a Properties table and
/// one `resource` annotation, the annotation names the type the page defines.
fn annotation_only_type(page: &Page, file: FileId) -> Option<Spanned<String>> {
    let has_table = sections(page, SectionKind::Properties).any(|s| tables(s).next().is_some());
    let mut names = annotated_types(page);
    let (Some(name), None) = (names.next(), names.next()) else {
        return None;
    };
    let span = page.title.as_ref().map(|t| t.span.clone())?;
    has_table.then(|| Spanned {
        value: name.to_owned(),
        span: Span::new(file, span),
    })
}

/// The page's `resource` annotation and its JSON block, for the titled type
/// (an annotation naming another type belongs to that type).
fn resource_annotation<'p>(page: &'p Page, name: &str) -> Option<(&'p Annotation, &'p CodeBlock)> {
    page.sections.iter().flat_map(|s| &s.blocks).find_map(|b| match b {
        Block::Code(c) => {
            let a = c.annotation.as_ref()?;
            if a.block_type != "resource" {
                return None;
            }
            let named = a.odata_type.as_deref().map(|t| t.rsplit('.').next().unwrap_or(t));
            match named {
                Some(n) if !n.eq_ignore_ascii_case(name) => None,
                _ => Some((a, c)),
            }
        }
        _ => None,
    })
}

/// "x inherits from [y]", "is derived from [y]", "inherits the properties
/// from [y]", "a subclass of [y]", "creates a subclass from [y]", "inherits
/// from base class [y]" in the page's prose (never in a "Derived types"
/// section). An unlinked name followed by another word ("inherits from base
/// policy type") names no type.
fn inherits_sentence(page: &Page) -> Option<(String, Range<usize>)> {
    page.sections
        .iter()
        .filter(|s| match s.kind {
            SectionKind::Preamble | SectionKind::Properties => true,
            SectionKind::Other => s.heading.as_ref().is_some_and(|h| !is_derived_heading(&h.text)),
            _ => false,
        })
        .flat_map(paragraphs)
        .find_map(|p| {
            let c = inherits_re().captures(&p.text)?;
            let name = c["name"].trim_end_matches('.');
            let linked = p.links.iter().any(|l| l.text == name);
            let sentence_ends = c["name"].ends_with('.');
            let bare_word_after = c.name("after").is_some_and(|a| !is_kind_word(a.as_str().trim()));
            if !linked && !sentence_ends && bare_word_after {
                return None;
            }
            type_expr::is_type_name(name).then(|| (name.to_owned(), p.span.clone()))
        })
}

/// A word that may follow a type's name in prose without naming another.
fn is_kind_word(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().as_str(),
        "resource" | "type" | "object" | "class" | "entity" | "and" | "which" | "that" | "with" | "to"
    )
}

fn is_derived_heading(h: &str) -> bool {
    let h = h.to_ascii_lowercase();
    h.contains("derived") || h.contains("subtypes") || h.contains("subclasses")
}

/// Types the page names as derived from its own type: the type links of a
/// section headed "Derived types" (or "Subtypes"/"Subclasses"), and of a
/// preamble or Properties paragraph that says so ("the derived types are
/// [a], [b]", "[a] and [b] are subclasses of this", "the base type for [a]",
/// "the base resource for", "can be one of the following types").
fn derived_types(page: &Page, own: &str) -> Vec<Spanned<String>> {
    let mut out: Vec<Spanned<String>> = Vec::new();
    let mut add = |text: &str, span: &Range<usize>| {
        let name = text.trim().trim_matches('*');
        if type_expr::is_type_name(name)
            && !name.eq_ignore_ascii_case(own)
            && !out.iter().any(|d| d.value.eq_ignore_ascii_case(name))
        {
            out.push(Spanned {
                value: name.to_owned(),
                span: Span::new(page.file, span.clone()),
            });
        }
    };
    let page_link = |l: &crate::parse::page::Link| {
        let t = l.target.split('#').next().unwrap_or("");
        t.ends_with(".md") && !t.contains("://")
    };
    for s in &page.sections {
        let in_section = s.heading.as_ref().is_some_and(|h| is_derived_heading(&h.text));
        let prose = matches!(s.kind, SectionKind::Preamble | SectionKind::Properties);
        for b in &s.blocks {
            match b {
                Block::Paragraph(p) if in_section => {
                    for l in p.links.iter().filter(|l| page_link(l)) {
                        add(&l.text, &p.span);
                    }
                }
                Block::Paragraph(p) if prose => {
                    for name in stated_derived(p) {
                        add(name, &p.span);
                    }
                }
                Block::Table(t) if in_section => {
                    for cell in t.rows.iter().filter_map(|r| r.first()) {
                        for l in cell.links.iter().filter(|l| page_link(l)) {
                            add(&l.text, &cell.span);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

regex!(
    resource_title_re,
    r"^(?i:the )?([A-Za-z_][\w.]*) (?i:resource type|complex type|entity type|enum type|enumeration type|resource|facet)(?:\s*\([^)]*\))?$"
);
regex!(
    inherits_re,
    r"(?i)(?:(?:inherits|inheriting|derived|derives)(?: all)?(?: the)?(?: properties(?: and relationships)?| relationships)? from|\ba subclass of|creates a subclass from) (?:the |an? )?(?:base (?:class|type|resource) )?[\[*`]*(?P<name>[A-Za-z_][\w.]*)[\]*`]*(?:\([^)]*\))?(?P<after> [A-Za-z]+)?"
);
/// The link texts a derived-types sentence names: those after the phrase
/// ("the derived types are [a], [b]"), or before it ("[a] and [b] are
/// subclasses of this"), within the sentence.
fn stated_derived(p: &crate::parse::page::Inline) -> Vec<&str> {
    let Some(m) = derived_re().find(&p.text) else {
        return Vec::new();
    };
    let start = p.text[..m.start()].rfind(". ").map_or(0, |i| i + 2);
    let end = p.text[m.end()..].find(". ").map_or(p.text.len(), |i| m.end() + i);
    let before = m.as_str().to_ascii_lowercase().contains("subclass");
    let (from, to) = if before { (start, m.start()) } else { (m.end(), end) };
    let part = &p.text[from..to];
    p.links
        .iter()
        .filter(|l| {
            let t = l.target.split('#').next().unwrap_or("");
            t.ends_with(".md") && !t.contains("://") && !l.text.is_empty() && part.contains(l.text.as_str())
        })
        .map(|l| l.text.as_str())
        .collect()
}

regex!(
    derived_re,
    r"(?i)derived types (?:are|include)|(?:are|is) (?:a )?subclass(?:es)? of this|\bthe base (?:type|resource|class) for|can be one of the following types"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_titles() {
        assert!(resource_title_re().is_match("user resource type"));
        assert!(resource_title_re().is_match("List resource"));
        assert!(resource_title_re().is_match("schemaExtension resource type (schema extensions)"));
        assert!(!resource_title_re().is_match("Create user"));
        assert!(!resource_title_re().is_match("Get user resource"));
    }

    #[test]
    fn inherits_sentences() {
        for text in [
            "x inherits from [mailFolder](mailfolder.md).",
            "It is derived from mailFolder.",
            "Inherits the properties and relationships from mailFolder",
            "A subclass of [mailFolder](mailfolder.md) that holds things.",
            "This creates a subclass from [mailFolder](mailfolder.md).",
            "Used to retrieve a thing, derived from [mailFolder](mailfolder.md).",
            "Inherits from base class [mailFolder](../resources/mailfolder.md).",
        ] {
            let c = inherits_re().captures(text).unwrap();
            assert_eq!(c["name"].trim_end_matches('.'), "mailFolder", "{text}");
        }
        // "base policy type": an unlinked word followed by another word.
        let c = inherits_re()
            .captures("It inherits from base policy type, and exists.")
            .unwrap();
        assert_eq!(
            (&c["name"], c.name("after").map(|a| a.as_str())),
            ("base", Some(" policy"))
        );
        for text in [
            "the derived types are [a](a.md), [b](b.md), and [c](c.md).",
            "The [a](a.md) and [b](b.md) resources are subclasses of this.",
            "This is the base type for richer location types such as [room](room.md).",
            "A request can be one of the following types:",
        ] {
            assert!(derived_re().is_match(text), "{text}");
        }
        assert!(!derived_re().is_match("Represents a base class for apply actions in the [settings](s.md)."));
    }
}
